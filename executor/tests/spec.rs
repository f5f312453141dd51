//! The official WebAssembly 2.0 core spec tests, run against Gloam's front end
//! (`gloam_isa::load_module`) and executor (`gloam_executor::Store`).
//!
//! Every `.wast` script in `<repo>/../shared/wasm-spec-tests/` (or in the folder named by the
//! `GLOAM_SPEC_TESTS` environment variable) is parsed with the `wast` crate and run directive by
//! directive, each script with a fresh [`Store`] holding the spec's `spectest` host module, so
//! that `register`ed instances persist within one script only. Each directive counts once as
//! passed, failed or skipped:
//!
//! - `module`: the module (text, `binary` or `quote`) is encoded with the `wast` crate, loaded and
//!   instantiated; it must succeed. It becomes the current module and, if it has one, is
//!   remembered under its `$id`.
//! - `register`: makes the instance's exports importable under the given name.
//! - `invoke`: the call must return without trapping.
//! - `assert_return`: the call (or `get` of a global) must return exactly the expected values.
//!   `ref.null func|extern` must be a null reference of that type, `ref.extern N` the
//!   external reference `N`, `ref.func` any non-null function reference, `either` any one of
//!   its alternatives.
//! - `assert_trap`: the call, or the instantiation of the given module, must trap, and the
//!   trap's message must start with the expected one or the expected one with ours (the spec
//!   writes e.g. `uninitialized element 2` where Gloam says `uninitialized element`).
//! - `assert_exhaustion`: as `assert_trap`, with the `call stack exhausted` trap; running out
//!   of fuel is a failure.
//! - `assert_invalid`, `assert_malformed`: the module must fail to load (the error message is
//!   not compared).
//! - `assert_unlinkable`: the module must load and then fail to instantiate with a link error.
//! - Any other directive (`module definition`, `thread`, ...) is a failure: the spec files of
//!   WebAssembly 2.0 contain none.
//!
//! Skips are allowed for three reasons only, and are listed per reason:
//!
//! 1. *module needs floats/SIMD*: the front end refused the module with
//!    `FrontendError::UnsupportedInstruction` or `UnsupportedType` naming a float or SIMD
//!    instruction or type. Every directive that uses the module (`invoke`, `register`,
//!    assertions, and modules whose instantiation fails only because they import from a
//!    registered module that was skipped) is skipped for the same reason, as are
//!    `assert_invalid`/`assert_malformed`/`assert_unlinkable`/`assert_trap` modules refused for
//!    floats, because the float refusal hides whether the module would be rejected for the
//!    right reason.
//! 2. *needs floats*: an `invoke` or assertion whose arguments or expected results are `f32`,
//!    `f64` or `v128` values (or NaN patterns).
//! 3. *text-format-only check not exposed by the wast crate*: an `assert_malformed` on a
//!    `(module quote ...)` whose text the `wast` crate parses and encodes without complaint
//!    (the spec expects a text-format error that `wast` does not check), and which Gloam then
//!    loads (or refuses only for floats).
//!
//! The test prints the counts per file and in total, and fails if any directive failed, listing
//! the first failures with their location. It also renders the counts as a Markdown table and
//! compares it with `docs/spec-tests.md`; `GLOAM_BLESS=1` rewrites that file instead.
//! `GLOAM_SPEC_FILTER=<text>` runs only the files whose name contains `<text>` (and then does not
//! compare the table).
//!
//! Run with `cargo test --release -p gloam-executor --test spec -- --nocapture`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gloam_executor::{ExecError, InstanceId, Limits, Store, Value};
use gloam_isa::{load_module, FrontendError, FuncSig, TrapKind, ValType};
use wast::core::{AbstractHeapType, HeapType, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::{self, ParseBuffer};
use wast::token::{Id, Span};
use wast::{QuoteWat, Wast, WastArg, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// Environment variable naming the folder of `.wast` files (overrides the default location).
const ENV_SPEC_DIR: &str = "GLOAM_SPEC_TESTS";
/// Environment variable that, when set to `1`, rewrites `docs/spec-tests.md`.
const ENV_BLESS: &str = "GLOAM_BLESS";
/// Environment variable restricting the run to files whose name contains its value.
const ENV_FILTER: &str = "GLOAM_SPEC_FILTER";
/// Default location of the spec tests, relative to this crate's manifest directory.
const DEFAULT_SPEC_DIR: &str = "../../shared/wasm-spec-tests";
/// The generated summary, relative to this crate's manifest directory.
const SUMMARY_DOC: &str = "../docs/spec-tests.md";
/// How many failures the panic message lists.
const MAX_LISTED_FAILURES: usize = 50;
/// Fuel per store: far more than any spec test needs. `assert_exhaustion` relies on the
/// call-depth limit, never on fuel.
const FUEL: u64 = 1 << 32;
/// The command that runs this test, as written in messages and in the generated document.
const RUN_COMMAND: &str = "cargo test --release -p gloam-executor --test spec";

// ------------------------------------------------------------------------------------------
// Outcomes and reports
// ------------------------------------------------------------------------------------------

/// Why a directive was skipped: the only three reasons the runner accepts.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum SkipReason {
    /// The module was refused for float or SIMD instructions or types (or the directive uses
    /// such a module).
    ModuleNeedsFloats,
    /// The directive's arguments or expected results are float or SIMD values.
    NeedsFloats,
    /// `assert_malformed` on quoted text that the `wast` crate accepts.
    TextFormatOnly,
}

impl SkipReason {
    fn describe(self) -> &'static str {
        match self {
            SkipReason::ModuleNeedsFloats => {
                "module needs floats/SIMD (itself or a module it imports)"
            }
            SkipReason::NeedsFloats => "needs floats",
            SkipReason::TextFormatOnly => "text-format-only check not exposed by the wast crate",
        }
    }
}

/// The result of running one directive.
#[derive(Debug)]
enum Outcome {
    Pass,
    Fail(String),
    Skip(SkipReason),
}

/// Passed, failed and skipped counts.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Tally {
    passed: usize,
    failed: usize,
    skipped: BTreeMap<SkipReason, usize>,
}

impl Tally {
    fn record(&mut self, outcome: &Outcome) {
        match outcome {
            Outcome::Pass => self.passed += 1,
            Outcome::Fail(_) => self.failed += 1,
            Outcome::Skip(reason) => *self.skipped.entry(*reason).or_default() += 1,
        }
    }

    fn add(&mut self, other: &Tally) {
        self.passed += other.passed;
        self.failed += other.failed;
        for (reason, n) in &other.skipped {
            *self.skipped.entry(*reason).or_default() += n;
        }
    }

    fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    /// `reason (n), reason (n)`, or empty when nothing was skipped.
    fn skip_reasons(&self) -> String {
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|(reason, n)| format!("{} ({n})", reason.describe()))
            .collect();
        parts.join(", ")
    }

    fn summary(&self) -> String {
        let mut s = format!(
            "{} passed, {} failed, {} skipped",
            self.passed,
            self.failed,
            self.skipped_total()
        );
        if !self.skipped.is_empty() {
            let _ = write!(s, " ({})", self.skip_reasons());
        }
        s
    }
}

/// One failed directive.
#[derive(Debug)]
struct Failure {
    /// `file:line:col`.
    location: String,
    /// The directive kind, e.g. `assert_return`.
    kind: &'static str,
    message: String,
}

/// The results of one `.wast` file.
#[derive(Debug)]
struct FileReport {
    name: String,
    tally: Tally,
    by_kind: BTreeMap<&'static str, Tally>,
    failures: Vec<Failure>,
}

impl FileReport {
    fn new(name: &str) -> FileReport {
        FileReport {
            name: name.to_string(),
            tally: Tally::default(),
            by_kind: BTreeMap::new(),
            failures: Vec::new(),
        }
    }

    fn record(&mut self, kind: &'static str, location: String, outcome: Outcome) {
        self.tally.record(&outcome);
        self.by_kind.entry(kind).or_default().record(&outcome);
        if let Outcome::Fail(message) = outcome {
            self.failures.push(Failure {
                location,
                kind,
                message,
            });
        }
    }
}

// ------------------------------------------------------------------------------------------
// Finding and reading the files
// ------------------------------------------------------------------------------------------

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

/// The folder of `.wast` files: `$GLOAM_SPEC_TESTS`, else `<repo>/../shared/wasm-spec-tests`.
fn spec_dir() -> PathBuf {
    match std::env::var_os(ENV_SPEC_DIR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => manifest_dir().join(DEFAULT_SPEC_DIR),
    }
}

/// All `.wast` files of `dir`, sorted by name; panics loudly if there are none.
fn wast_files(dir: &Path) -> Vec<PathBuf> {
    let shown = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    let entries = std::fs::read_dir(dir).unwrap_or_else(|e| {
        panic!(
            "\n\n*** WebAssembly spec tests NOT FOUND ***\n\
             Looked in {} ({e}).\n\
             The tests live in the shared folder beside the repository \
             (`<repo>/../shared/wasm-spec-tests`); set {ENV_SPEC_DIR}=<folder> to use another one.\n",
            shown.display()
        )
    });
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "wast") && p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "\n\n*** WebAssembly spec tests NOT FOUND ***\n\
         {} holds no .wast files.\n\
         The tests live in the shared folder beside the repository \
         (`<repo>/../shared/wasm-spec-tests`); set {ENV_SPEC_DIR}=<folder> to use another one.\n",
        shown.display()
    );
    files
}

/// The file's text. The spec scripts are UTF-8 (the text format requires it); some hold
/// control characters and non-ASCII text in comments, which `wast` lexes fine.
fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 (invalid byte at offset {}); the WebAssembly text format must be UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

// ------------------------------------------------------------------------------------------
// Running one file
// ------------------------------------------------------------------------------------------

/// Runs every directive of one `.wast` file.
fn run_file(path: &Path) -> FileReport {
    let name = path
        .file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string());
    let mut report = FileReport::new(&name);
    let text = match read_text(path) {
        Ok(text) => text,
        Err(message) => {
            report.record("file", format!("{name}:1:1"), Outcome::Fail(message));
            return report;
        }
    };
    if let Err(e) = run_script(&name, &text, &mut report) {
        let message = format!("the wast crate cannot parse the file: {}", e.message());
        report.record(
            "parse",
            location(&name, &text, e.span()),
            Outcome::Fail(message),
        );
    }
    report
}

/// Parses a script and runs its directives in order, recording each in `report`. A parse
/// error (returned) stops the file before any directive runs.
fn run_script(name: &str, text: &str, report: &mut FileReport) -> Result<(), wast::Error> {
    let mut lexer = Lexer::new(text);
    // names.wast holds bidirectional-override characters in strings on purpose.
    lexer.allow_confusing_unicode(true);
    let buffer = ParseBuffer::new_with_lexer(lexer)?;
    let script = parser::parse::<Wast<'_>>(&buffer)?;
    let mut runner = ScriptRunner::new();
    for directive in script.directives {
        let location = location(name, text, directive.span());
        let kind = directive_kind(&directive);
        let outcome = runner.run_guarded(directive);
        report.record(kind, location, outcome);
    }
    Ok(())
}

fn location(file: &str, text: &str, span: Span) -> String {
    let (line, col) = span.linecol_in(text);
    format!("{file}:{}:{}", line + 1, col + 1)
}

/// The name under which a directive is counted.
fn directive_kind(directive: &WastDirective<'_>) -> &'static str {
    match directive {
        WastDirective::Module(_) => "module",
        WastDirective::ModuleDefinition(_) => "module definition",
        WastDirective::ModuleInstance { .. } => "module instance",
        WastDirective::Register { .. } => "register",
        WastDirective::Invoke(_) => "invoke",
        WastDirective::AssertReturn { .. } => "assert_return",
        WastDirective::AssertTrap { .. } => "assert_trap",
        WastDirective::AssertExhaustion { .. } => "assert_exhaustion",
        WastDirective::AssertInvalid { .. } => "assert_invalid",
        WastDirective::AssertMalformed { .. } => "assert_malformed",
        WastDirective::AssertUnlinkable { .. } => "assert_unlinkable",
        WastDirective::AssertInvalidCustom { .. } => "assert_invalid_custom",
        WastDirective::AssertMalformedCustom { .. } => "assert_malformed_custom",
        WastDirective::AssertException { .. } => "assert_exception",
        WastDirective::AssertSuspension { .. } => "assert_suspension",
        WastDirective::Thread(_) => "thread",
        WastDirective::Wait { .. } => "wait",
    }
}

/// What a module name (or the absence of one) refers to.
#[derive(Clone, Debug)]
enum ModuleSlot {
    /// An instantiated module.
    Ready(InstanceId),
    /// A module skipped because it needs floats or SIMD.
    NeedsFloats,
    /// A module that failed to load or instantiate (a failure already counted).
    Broken,
}

/// What came of loading and instantiating one module.
enum Instantiation {
    Ready(InstanceId),
    /// Refused for floats/SIMD, or linked against a module that was.
    NeedsFloats,
    /// The `wast` crate could not encode it or the front end rejected it.
    NotLoaded(String),
    /// Loaded, but instantiation failed.
    Failed(ExecError),
}

/// What the front end said about one module.
enum Loaded {
    Program(Arc<gloam_isa::Program>),
    /// Refused for a float or SIMD instruction or type.
    NeedsFloats,
    /// Any other rejection.
    Rejected(String),
}

/// An `invoke` or `get` resolved against an instance, with its arguments converted.
enum Action<'a> {
    Invoke {
        instance: InstanceId,
        name: &'a str,
        args: Vec<Value>,
    },
    Get {
        instance: InstanceId,
        name: &'a str,
    },
}

/// Why an action returned no values.
#[derive(Debug)]
enum ActionError {
    /// The executor's error (a trap, a missing export, ...).
    Exec(ExecError),
    /// `get` of a global the instance does not export.
    NoSuchGlobal(String),
}

impl ActionError {
    fn trap_kind(&self) -> Option<TrapKind> {
        match self {
            ActionError::Exec(e) => e.trap_kind(),
            ActionError::NoSuchGlobal(_) => None,
        }
    }
}

impl std::fmt::Display for ActionError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            ActionError::Exec(e) => e.fmt(f),
            ActionError::NoSuchGlobal(name) => write!(f, "no exported global named `{name}`"),
        }
    }
}

/// The state of one script: its store and the modules defined so far.
struct ScriptRunner {
    store: Store,
    /// The most recently defined module.
    current: Option<ModuleSlot>,
    /// Modules by `$id` (without the `$`).
    named: HashMap<String, ModuleSlot>,
    /// Names under which a module skipped for floats was `register`ed: a later module that
    /// fails to link only because it imports from one of them is skipped too.
    float_registrations: HashSet<String>,
}

impl ScriptRunner {
    fn new() -> ScriptRunner {
        let mut store = Store::new(Limits {
            fuel: FUEL,
            ..Limits::default()
        });
        define_spectest(&mut store);
        ScriptRunner {
            store,
            current: None,
            named: HashMap::new(),
            float_registrations: HashSet::new(),
        }
    }

    /// Runs one directive; a panic in the front end or executor is a failure, not an abort,
    /// so that one bug does not hide the results of every later test.
    fn run_guarded(&mut self, directive: WastDirective<'_>) -> Outcome {
        match catch_unwind(AssertUnwindSafe(|| self.run(directive))) {
            Ok(outcome) => outcome,
            Err(payload) => {
                let message = payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_string());
                Outcome::Fail(format!("panicked: {message}"))
            }
        }
    }

    fn run(&mut self, directive: WastDirective<'_>) -> Outcome {
        match directive {
            WastDirective::Module(module) => self.define_module(module),
            WastDirective::Register { name, module, .. } => self.register(name, module),
            WastDirective::Invoke(invoke) => self.invoke(&invoke),
            WastDirective::AssertReturn { exec, results, .. } => {
                self.assert_return(&exec, &results)
            }
            WastDirective::AssertTrap { exec, message, .. } => self.assert_trap(exec, message),
            WastDirective::AssertExhaustion { call, message, .. } => {
                self.assert_exhaustion(&call, message)
            }
            WastDirective::AssertInvalid {
                module, message, ..
            } => self.assert_invalid(module, message),
            WastDirective::AssertMalformed {
                module, message, ..
            } => self.assert_malformed(module, message),
            WastDirective::AssertUnlinkable {
                module, message, ..
            } => self.assert_unlinkable(module, message),
            other => Outcome::Fail(format!(
                "directive `{}` is not supported by the spec runner (it is not part of \
                 WebAssembly 2.0's core tests)",
                directive_kind(&other)
            )),
        }
    }

    // --- modules ------------------------------------------------------------------------

    /// `(module ...)`: instantiate and make it the current module.
    fn define_module(&mut self, mut module: QuoteWat<'_>) -> Outcome {
        let id = module.name().map(|id| id.name().to_string());
        let (slot, outcome) = match self.instantiate(&mut module) {
            Instantiation::Ready(instance) => (ModuleSlot::Ready(instance), Outcome::Pass),
            Instantiation::NeedsFloats => (
                ModuleSlot::NeedsFloats,
                Outcome::Skip(SkipReason::ModuleNeedsFloats),
            ),
            Instantiation::NotLoaded(why) => (
                ModuleSlot::Broken,
                Outcome::Fail(format!("module failed to load: {why}")),
            ),
            Instantiation::Failed(e) => (
                ModuleSlot::Broken,
                Outcome::Fail(format!("module failed to instantiate: {e}")),
            ),
        };
        if let Some(id) = id {
            self.named.insert(id, slot.clone());
        }
        self.current = Some(slot);
        outcome
    }

    /// Encodes, loads and instantiates a module.
    fn instantiate(&mut self, module: &mut QuoteWat<'_>) -> Instantiation {
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            Err(e) => {
                return Instantiation::NotLoaded(format!(
                    "the wast crate cannot encode it: {}",
                    e.message()
                ))
            }
        };
        let program = match load(&bytes) {
            Loaded::Program(program) => program,
            Loaded::NeedsFloats => return Instantiation::NeedsFloats,
            Loaded::Rejected(why) => return Instantiation::NotLoaded(why),
        };
        match self.store.instantiate(program) {
            Ok(instance) => Instantiation::Ready(instance),
            Err(e) if self.imports_from_float_module(&e) => Instantiation::NeedsFloats,
            Err(e) => Instantiation::Failed(e),
        }
    }

    /// Whether a link error names a module name under which a float-skipped module was
    /// registered (and which therefore does not exist in the store).
    fn imports_from_float_module(&self, e: &ExecError) -> bool {
        match e {
            ExecError::UnknownImport { module, .. }
            | ExecError::IncompatibleImport { module, .. } => {
                self.float_registrations.contains(module)
            }
            _ => false,
        }
    }

    /// The module a directive refers to: `$id`, or the most recent one.
    fn lookup(&self, id: Option<Id<'_>>) -> Result<InstanceId, Outcome> {
        let slot = match id {
            Some(id) => self.named.get(id.name()).ok_or_else(|| {
                Outcome::Fail(format!("no module named ${} was defined", id.name()))
            })?,
            None => self
                .current
                .as_ref()
                .ok_or_else(|| Outcome::Fail("no module was defined before".to_string()))?,
        };
        match slot {
            ModuleSlot::Ready(instance) => Ok(*instance),
            ModuleSlot::NeedsFloats => Err(Outcome::Skip(SkipReason::ModuleNeedsFloats)),
            ModuleSlot::Broken => Err(Outcome::Fail(
                "the module was not instantiated (see its own failure)".to_string(),
            )),
        }
    }

    /// `(register "name" $id?)`.
    fn register(&mut self, name: &str, id: Option<Id<'_>>) -> Outcome {
        match self.lookup(id) {
            Ok(instance) => {
                self.store.register(name, instance);
                self.float_registrations.remove(name);
                Outcome::Pass
            }
            Err(outcome @ Outcome::Skip(SkipReason::ModuleNeedsFloats)) => {
                self.float_registrations.insert(name.to_string());
                outcome
            }
            Err(outcome) => outcome,
        }
    }

    // --- actions ------------------------------------------------------------------------

    /// Resolves an `invoke` against its instance and converts its arguments.
    fn invoke_action<'a>(&self, invoke: &WastInvoke<'a>) -> Result<Action<'a>, Outcome> {
        let instance = self.lookup(invoke.module)?;
        let args = invoke
            .args
            .iter()
            .map(argument)
            .collect::<Result<Vec<Value>, Outcome>>()?;
        Ok(Action::Invoke {
            instance,
            name: invoke.name,
            args,
        })
    }

    /// Resolves an `invoke` or `get`; a module in that place is the caller's business.
    fn action<'a>(&self, exec: &WastExecute<'a>) -> Result<Action<'a>, Outcome> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke_action(invoke),
            WastExecute::Get { module, global, .. } => Ok(Action::Get {
                instance: self.lookup(*module)?,
                name: global,
            }),
            WastExecute::Wat(_) => Err(Outcome::Fail(
                "a module is not an action here (only assert_trap instantiates one)".to_string(),
            )),
        }
    }

    fn perform(&mut self, action: Action<'_>) -> Result<Vec<Value>, ActionError> {
        match action {
            Action::Invoke {
                instance,
                name,
                args,
            } => self
                .store
                .invoke(instance, name, &args)
                .map_err(ActionError::Exec),
            Action::Get { instance, name } => self
                .store
                .global_value(instance, name)
                .map(|value| vec![value])
                .ok_or_else(|| ActionError::NoSuchGlobal(name.to_string())),
        }
    }

    /// A bare `(invoke ...)`: must not trap.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Outcome {
        let action = match self.invoke_action(invoke) {
            Ok(action) => action,
            Err(outcome) => return outcome,
        };
        match self.perform(action) {
            Ok(_) => Outcome::Pass,
            Err(e) => Outcome::Fail(format!("invoke of `{}` failed: {e}", invoke.name)),
        }
    }

    // --- assertions ---------------------------------------------------------------------

    fn assert_return(&mut self, exec: &WastExecute<'_>, results: &[WastRet<'_>]) -> Outcome {
        let action = match self.action(exec) {
            Ok(action) => action,
            Err(outcome) => return outcome,
        };
        let expected = match results
            .iter()
            .map(expected_result)
            .collect::<Result<Vec<_>, _>>()
        {
            Ok(expected) => expected,
            Err(outcome) => return outcome,
        };
        match self.perform(action) {
            Ok(values) if results_match(&expected, &values) => Outcome::Pass,
            Ok(values) => Outcome::Fail(format!(
                "expected {}, got {}",
                describe_expected(&expected),
                describe_values(&values)
            )),
            Err(e) => Outcome::Fail(format!(
                "expected {}, failed: {e}",
                describe_expected(&expected)
            )),
        }
    }

    fn assert_trap(&mut self, exec: WastExecute<'_>, message: &str) -> Outcome {
        if let WastExecute::Wat(wat) = exec {
            return self.assert_instantiation_traps(wat, message);
        }
        match self.action(&exec) {
            Ok(action) => {
                let result = self.perform(action);
                expect_trap(result, message)
            }
            Err(outcome) => outcome,
        }
    }

    /// `assert_trap` on a module: instantiation (segment initialisation or the start
    /// function) must trap.
    fn assert_instantiation_traps(&mut self, wat: Wat<'_>, message: &str) -> Outcome {
        match self.instantiate(&mut QuoteWat::Wat(wat)) {
            Instantiation::Ready(_) => Outcome::Fail(format!(
                "module instantiated, expected its instantiation to trap with `{message}`"
            )),
            Instantiation::NeedsFloats => Outcome::Skip(SkipReason::ModuleNeedsFloats),
            Instantiation::NotLoaded(why) => Outcome::Fail(format!(
                "module failed to load (expected its instantiation to trap with `{message}`): {why}"
            )),
            Instantiation::Failed(e) => expect_trap(Err(ActionError::Exec(e)), message),
        }
    }

    fn assert_exhaustion(&mut self, call: &WastInvoke<'_>, message: &str) -> Outcome {
        match self.invoke_action(call) {
            Ok(action) => {
                let result = self.perform(action);
                expect_trap(result, message)
            }
            Err(outcome) => outcome,
        }
    }

    /// `assert_invalid`: the front end must reject the module.
    fn assert_invalid(&mut self, mut module: QuoteWat<'_>, message: &str) -> Outcome {
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            Err(e) => {
                return Outcome::Fail(format!(
                    "the wast crate cannot encode the module, so it cannot be checked: {}",
                    e.message()
                ))
            }
        };
        match load(&bytes) {
            Loaded::Program(_) => Outcome::Fail(format!(
                "invalid module loaded without error (expected `{message}`)"
            )),
            Loaded::NeedsFloats => Outcome::Skip(SkipReason::ModuleNeedsFloats),
            Loaded::Rejected(_) => Outcome::Pass,
        }
    }

    /// `assert_malformed`: the module must fail to load. For quoted text the `wast` crate's
    /// own parser decides first.
    fn assert_malformed(&mut self, mut module: QuoteWat<'_>, message: &str) -> Outcome {
        let quoted = matches!(module, QuoteWat::QuoteModule(..));
        let bytes = match module.encode() {
            Ok(bytes) => bytes,
            // Text or binary the wast crate rejects is malformed: `load_module` would reject
            // the same text with the same parser.
            Err(_) => return Outcome::Pass,
        };
        match load(&bytes) {
            Loaded::Rejected(_) => Outcome::Pass,
            Loaded::Program(_) | Loaded::NeedsFloats if quoted => {
                Outcome::Skip(SkipReason::TextFormatOnly)
            }
            Loaded::NeedsFloats => Outcome::Skip(SkipReason::ModuleNeedsFloats),
            Loaded::Program(_) => Outcome::Fail(format!(
                "malformed module loaded without error (expected `{message}`)"
            )),
        }
    }

    /// `assert_unlinkable`: the module must load and fail to instantiate with a link error.
    fn assert_unlinkable(&mut self, wat: Wat<'_>, message: &str) -> Outcome {
        match self.instantiate(&mut QuoteWat::Wat(wat)) {
            Instantiation::Ready(_) => Outcome::Fail(format!(
                "module instantiated, expected a link error `{message}`"
            )),
            Instantiation::NeedsFloats => Outcome::Skip(SkipReason::ModuleNeedsFloats),
            Instantiation::NotLoaded(why) => Outcome::Fail(format!(
                "module failed to load (expected a link error `{message}`): {why}"
            )),
            Instantiation::Failed(e) if e.is_link_error() => Outcome::Pass,
            Instantiation::Failed(e) => Outcome::Fail(format!(
                "expected a link error `{message}`, instantiation failed otherwise: {e}"
            )),
        }
    }
}

/// The `spectest` module every spec script may import from. Its float functions and
/// globals are left out: modules importing them are refused for their float types anyway.
fn define_spectest(store: &mut Store) {
    use ValType::{I32, I64};
    let nothing = |_: &[Value]| -> Result<Vec<Value>, TrapKind> { Ok(Vec::new()) };
    store.define_func("spectest", "print", FuncSig::new(vec![], vec![]), nothing);
    store.define_func(
        "spectest",
        "print_i32",
        FuncSig::new(vec![I32], vec![]),
        nothing,
    );
    store.define_func(
        "spectest",
        "print_i64",
        FuncSig::new(vec![I64], vec![]),
        nothing,
    );
    store.define_global("spectest", "global_i32", Value::I32(666), false);
    store.define_global("spectest", "global_i64", Value::I64(666), false);
    store.define_table("spectest", "table", ValType::FuncRef, 10, Some(20));
    store.define_memory("spectest", "memory", 1, Some(2));
}

/// Runs the front end, telling a float/SIMD refusal from any other rejection.
fn load(bytes: &[u8]) -> Loaded {
    match load_module(bytes) {
        Ok(program) => Loaded::Program(Arc::new(program)),
        Err(e) if refused_for_floats(&e) => Loaded::NeedsFloats,
        Err(e) => Loaded::Rejected(e.to_string()),
    }
}

/// Whether the front end refused a float or SIMD instruction or type. Refusals of anything
/// else are not skips: Gloam must support all of integer WebAssembly 2.0.
fn refused_for_floats(e: &FrontendError) -> bool {
    e.is_float_or_simd()
}

/// Checks the error of an action that should have trapped with `message`.
fn expect_trap(result: Result<Vec<Value>, ActionError>, message: &str) -> Outcome {
    match result {
        Ok(values) => Outcome::Fail(format!(
            "expected trap `{message}`, returned {}",
            describe_values(&values)
        )),
        Err(e) => match e.trap_kind() {
            Some(kind) if trap_matches(kind, message) => Outcome::Pass,
            Some(kind) => Outcome::Fail(format!(
                "expected trap `{message}`, trapped with `{kind}`: {e}"
            )),
            None => Outcome::Fail(format!("expected trap `{message}`, failed otherwise: {e}")),
        },
    }
}

/// Whether our trap's message and the spec's agree: either is a prefix of the other.
fn trap_matches(kind: TrapKind, expected: &str) -> bool {
    let ours = kind.to_string();
    !ours.is_empty() && (ours.starts_with(expected) || expected.starts_with(ours.as_str()))
}

// ------------------------------------------------------------------------------------------
// Values
// ------------------------------------------------------------------------------------------

/// An expected result of `assert_return`.
#[derive(Debug)]
enum Expected {
    I32(u32),
    I64(u64),
    NullFuncRef,
    NullExternRef,
    /// `ref.null` without a type: a null reference of either type.
    NullRef,
    /// `ref.extern N`, or any non-null externref.
    ExternRef(Option<u32>),
    /// Any non-null funcref.
    AnyFuncRef,
    /// Any one of the alternatives.
    Either(Vec<Expected>),
}

/// Converts an `invoke` argument; floats and SIMD values are a skip.
fn argument(arg: &WastArg<'_>) -> Result<Value, Outcome> {
    let WastArg::Core(arg) = arg else {
        return Err(Outcome::Fail(format!("component-model argument {arg:?}")));
    };
    match arg {
        WastArgCore::I32(v) => Ok(Value::I32(*v as u32)),
        WastArgCore::I64(v) => Ok(Value::I64(*v as u64)),
        WastArgCore::F32(_) | WastArgCore::F64(_) | WastArgCore::V128(_) => {
            Err(Outcome::Skip(SkipReason::NeedsFloats))
        }
        WastArgCore::RefNull(heap) => match abstract_heap_type(heap) {
            Some(AbstractHeapType::Func) => Ok(Value::FuncRef(None)),
            Some(AbstractHeapType::Extern) => Ok(Value::ExternRef(None)),
            _ => Err(Outcome::Fail(format!(
                "argument `ref.null {heap:?}` is not a WebAssembly 2.0 value"
            ))),
        },
        WastArgCore::RefExtern(n) => Ok(Value::ExternRef(Some(*n))),
        WastArgCore::RefHost(_) => Err(Outcome::Fail(
            "argument `ref.host` is not a WebAssembly 2.0 value".to_string(),
        )),
    }
}

fn abstract_heap_type(heap: &HeapType<'_>) -> Option<AbstractHeapType> {
    match heap {
        HeapType::Abstract { shared: false, ty } => Some(*ty),
        _ => None,
    }
}

/// Converts an expected `assert_return` result; floats and SIMD values are a skip.
fn expected_result(ret: &WastRet<'_>) -> Result<Expected, Outcome> {
    let WastRet::Core(ret) = ret else {
        return Err(Outcome::Fail(format!("component-model result {ret:?}")));
    };
    expected_core(ret)
}

fn expected_core(ret: &WastRetCore<'_>) -> Result<Expected, Outcome> {
    match ret {
        WastRetCore::I32(v) => Ok(Expected::I32(*v as u32)),
        WastRetCore::I64(v) => Ok(Expected::I64(*v as u64)),
        WastRetCore::F32(_) | WastRetCore::F64(_) | WastRetCore::V128(_) => {
            Err(Outcome::Skip(SkipReason::NeedsFloats))
        }
        WastRetCore::RefNull(None) => Ok(Expected::NullRef),
        WastRetCore::RefNull(Some(heap)) => match abstract_heap_type(heap) {
            Some(AbstractHeapType::Func) => Ok(Expected::NullFuncRef),
            Some(AbstractHeapType::Extern) => Ok(Expected::NullExternRef),
            _ => Err(Outcome::Fail(format!(
                "result `ref.null {heap:?}` is not a WebAssembly 2.0 value"
            ))),
        },
        WastRetCore::RefExtern(n) => Ok(Expected::ExternRef(*n)),
        WastRetCore::RefFunc(None) => Ok(Expected::AnyFuncRef),
        WastRetCore::Either(alternatives) => alternatives
            .iter()
            .map(expected_core)
            .collect::<Result<Vec<_>, _>>()
            .map(Expected::Either),
        other => Err(Outcome::Fail(format!(
            "result {other:?} is not a WebAssembly 2.0 value"
        ))),
    }
}

fn results_match(expected: &[Expected], values: &[Value]) -> bool {
    expected.len() == values.len()
        && expected
            .iter()
            .zip(values)
            .all(|(e, v)| value_matches(e, v))
}

fn value_matches(expected: &Expected, value: &Value) -> bool {
    match (expected, value) {
        (Expected::I32(e), Value::I32(v)) => e == v,
        (Expected::I64(e), Value::I64(v)) => e == v,
        (Expected::NullFuncRef, Value::FuncRef(None)) => true,
        (Expected::NullExternRef, Value::ExternRef(None)) => true,
        (Expected::NullRef, Value::FuncRef(None) | Value::ExternRef(None)) => true,
        (Expected::ExternRef(None), Value::ExternRef(Some(_))) => true,
        (Expected::ExternRef(Some(e)), Value::ExternRef(Some(v))) => e == v,
        (Expected::AnyFuncRef, Value::FuncRef(Some(_))) => true,
        (Expected::Either(alternatives), _) => alternatives.iter().any(|e| value_matches(e, value)),
        _ => false,
    }
}

fn describe_expected(expected: &[Expected]) -> String {
    let parts: Vec<String> = expected.iter().map(describe_one_expected).collect();
    format!("[{}]", parts.join(", "))
}

fn describe_one_expected(expected: &Expected) -> String {
    match expected {
        Expected::I32(v) => format!("i32 {v} ({v:#x})"),
        Expected::I64(v) => format!("i64 {v} ({v:#x})"),
        Expected::NullFuncRef => "ref.null func".to_string(),
        Expected::NullExternRef => "ref.null extern".to_string(),
        Expected::NullRef => "ref.null".to_string(),
        Expected::ExternRef(Some(n)) => format!("ref.extern {n}"),
        Expected::ExternRef(None) => "ref.extern".to_string(),
        Expected::AnyFuncRef => "ref.func".to_string(),
        Expected::Either(alternatives) => {
            let parts: Vec<String> = alternatives.iter().map(describe_one_expected).collect();
            format!("either({})", parts.join(" | "))
        }
    }
}

fn describe_values(values: &[Value]) -> String {
    let parts: Vec<String> = values
        .iter()
        .map(|value| match value {
            Value::I32(v) => format!("i32 {v} ({v:#x})"),
            Value::I64(v) => format!("i64 {v} ({v:#x})"),
            Value::FuncRef(None) => "ref.null func".to_string(),
            Value::FuncRef(Some(f)) => format!("ref.func {f}"),
            Value::ExternRef(None) => "ref.null extern".to_string(),
            Value::ExternRef(Some(n)) => format!("ref.extern {n}"),
        })
        .collect();
    format!("[{}]", parts.join(", "))
}

// ------------------------------------------------------------------------------------------
// The summary document
// ------------------------------------------------------------------------------------------

/// The whole of `docs/spec-tests.md`.
fn render_summary(reports: &[FileReport]) -> String {
    let mut doc = String::new();
    doc.push_str(&summary_intro());
    doc.push_str("\n## By file\n\n");
    doc.push_str("| file | passed | failed | skipped | skip reasons |\n");
    doc.push_str("|---|---:|---:|---:|---|\n");
    let mut total = Tally::default();
    for report in reports {
        total.add(&report.tally);
        doc.push_str(&table_row(&format!("`{}`", report.name), &report.tally));
    }
    doc.push_str(&table_row("**total**", &total));

    doc.push_str("\n## By directive\n\n");
    doc.push_str("| directive | passed | failed | skipped | skip reasons |\n");
    doc.push_str("|---|---:|---:|---:|---|\n");
    let mut by_kind: BTreeMap<&str, Tally> = BTreeMap::new();
    for report in reports {
        for (kind, tally) in &report.by_kind {
            by_kind.entry(kind).or_default().add(tally);
        }
    }
    for (kind, tally) in &by_kind {
        doc.push_str(&table_row(&format!("`{kind}`"), tally));
    }
    doc.push_str(&table_row("**total**", &total));
    doc
}

fn table_row(label: &str, tally: &Tally) -> String {
    format!(
        "| {label} | {} | {} | {} | {} |\n",
        tally.passed,
        tally.failed,
        tally.skipped_total(),
        tally.skip_reasons()
    )
}

fn summary_intro() -> String {
    format!(
        "# WebAssembly spec tests\n\
         \n\
         Results of the official WebAssembly 2.0 core test suite on Gloam's front end and \
         executor. The `.wast` scripts are in `../shared/wasm-spec-tests/` beside the repository, \
         copied unmodified from the WebAssembly specification repository, tag `wg-2.0`, commit \
         `fffc6e12fa454e475455a7b58d3b5dc343980c10`, folder `test/core/` (float-only and SIMD \
         files left out). The runner, `executor/tests/spec.rs`, runs every directive of every \
         script; each `module`, `register`, `invoke` and assertion counts once. Skips are allowed \
         only for modules the front end refuses because they use float or SIMD instructions or \
         types (and for every directive using such a module), for invocations and assertions \
         whose arguments or results are float or SIMD values, and for `assert_malformed` on \
         quoted text that the `wast` crate parses without error (a text-format check it does not \
         expose). Everything else must pass.\n\
         \n\
         This file is generated: re-run with `{RUN_COMMAND}`, and rewrite it with \
         `{ENV_BLESS}=1 {RUN_COMMAND}`.\n"
    )
}

/// Compares the summary with the checked-in document, or rewrites it under `GLOAM_BLESS=1`.
/// Returns a complaint if they differ.
fn check_summary(rendered: &str) -> Option<String> {
    let path = manifest_dir().join(SUMMARY_DOC);
    if std::env::var(ENV_BLESS).is_ok_and(|v| v == "1") {
        if let Err(e) = std::fs::write(&path, rendered) {
            return Some(format!("cannot write {}: {e}", path.display()));
        }
        println!("wrote {}", path.display());
        return None;
    }
    let current = match std::fs::read_to_string(&path) {
        Ok(text) => text.replace("\r\n", "\n"),
        Err(e) => {
            return Some(format!(
                "cannot read {} ({e}); create it with `{ENV_BLESS}=1 {RUN_COMMAND}`",
                path.display()
            ))
        }
    };
    if current == rendered {
        return None;
    }
    let first_difference = current
        .lines()
        .zip(rendered.lines())
        .position(|(a, b)| a != b)
        .unwrap_or_else(|| current.lines().count().min(rendered.lines().count()));
    Some(format!(
        "{} is out of date (first difference at line {}: checked in `{}`, now `{}`); \
         re-run with `{ENV_BLESS}=1 {RUN_COMMAND}` to update it",
        path.display(),
        first_difference + 1,
        current
            .lines()
            .nth(first_difference)
            .unwrap_or("<end of file>"),
        rendered
            .lines()
            .nth(first_difference)
            .unwrap_or("<end of file>"),
    ))
}

// ------------------------------------------------------------------------------------------
// The test
// ------------------------------------------------------------------------------------------

/// The `.wast` files to run: all of them, or those whose name contains `filter`.
fn selected_files(dir: &Path, filter: Option<&str>) -> Vec<PathBuf> {
    let files: Vec<PathBuf> = wast_files(dir)
        .into_iter()
        .filter(|path| {
            let name = path.file_name().map(|n| n.to_string_lossy().into_owned());
            match (filter, name) {
                (Some(f), Some(name)) => name.contains(f),
                (Some(_), None) => false,
                (None, _) => true,
            }
        })
        .collect();
    assert!(
        !files.is_empty(),
        "{ENV_FILTER}={filter:?} matches no .wast file in {}",
        dir.display()
    );
    files
}

/// Writes every failure, one a line, to a file in the target directory; returns its path.
fn write_failure_list(failures: &[&Failure]) -> Option<PathBuf> {
    let path = PathBuf::from(env!("CARGO_TARGET_TMPDIR")).join("spec-test-failures.txt");
    let mut text = String::new();
    for failure in failures {
        let _ = writeln!(
            text,
            "{}: {}: {}",
            failure.location, failure.kind, failure.message
        );
    }
    std::fs::write(&path, text).ok().map(|()| path)
}

/// The panic message for failed directives: counts, then the first failures.
fn failure_message(failures: &[&Failure], total: &Tally) -> String {
    let mut message = format!(
        "{} spec test directive(s) failed ({}); the first {}:\n",
        failures.len(),
        total.summary(),
        failures.len().min(MAX_LISTED_FAILURES)
    );
    for failure in failures.iter().take(MAX_LISTED_FAILURES) {
        let _ = writeln!(
            message,
            "  {}: {}: {}",
            failure.location, failure.kind, failure.message
        );
    }
    if let Some(path) = write_failure_list(failures) {
        let _ = writeln!(message, "All failures are listed in {}", path.display());
    }
    message
}

#[test]
fn spec_tests() {
    let dir = spec_dir();
    let filter = std::env::var(ENV_FILTER).ok().filter(|f| !f.is_empty());
    let files = selected_files(&dir, filter.as_deref());

    println!("WebAssembly spec tests from {}", dir.display());
    let mut reports = Vec::new();
    let mut total = Tally::default();
    for path in &files {
        let report = run_file(path);
        println!("{:<32} {}", report.name, report.tally.summary());
        total.add(&report.tally);
        reports.push(report);
    }
    println!("{:<32} {}", "total", total.summary());

    let summary_complaint = match &filter {
        Some(f) => {
            println!("{ENV_FILTER}={f}: the summary document is neither compared nor rewritten");
            None
        }
        None => check_summary(&render_summary(&reports)),
    };

    let failures: Vec<&Failure> = reports.iter().flat_map(|r| &r.failures).collect();
    let mut message = String::new();
    if !failures.is_empty() {
        message.push_str(&failure_message(&failures, &total));
    }
    if let Some(complaint) = summary_complaint {
        message.push_str(&complaint);
    }
    assert!(message.is_empty(), "\n{message}");
}
