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
//! Finding and parsing the scripts, converting their values, the `spectest` module and the
//! script's store and modules (`Session`) are in `gloam_testkit::spec`, shared with the
//! prover's spec runner (`prover/tests/spec_proofs.rs`); this file judges the directives.
//!
//! Run with `cargo test --release -p gloam-executor --test spec -- --nocapture`.

use std::collections::BTreeMap;
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};

use gloam_executor::Value;
use gloam_testkit::spec::{
    describe_expected, describe_values, directive_kind, expected_results, file_name, load,
    location, parse_buffer, read_text, results_match, spec_dir, trap_matches, wast_files,
    ActionError, Instantiation, Loaded, NotRun, Session,
};
use wast::parser;
use wast::token::Id;
use wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet, Wat};

/// Environment variable that, when set to `1`, rewrites `docs/spec-tests.md`.
const ENV_BLESS: &str = "GLOAM_BLESS";
/// Environment variable restricting the run to files whose name contains its value.
const ENV_FILTER: &str = "GLOAM_SPEC_FILTER";
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

impl From<NotRun> for Outcome {
    fn from(why: NotRun) -> Outcome {
        match why {
            NotRun::ModuleNeedsFloats => Outcome::Skip(SkipReason::ModuleNeedsFloats),
            NotRun::FloatValue => Outcome::Skip(SkipReason::NeedsFloats),
            NotRun::Invalid(message) => Outcome::Fail(message),
        }
    }
}

fn manifest_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

// ------------------------------------------------------------------------------------------
// Running one file
// ------------------------------------------------------------------------------------------

/// Runs every directive of one `.wast` file.
fn run_file(path: &Path) -> FileReport {
    let name = file_name(path);
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
    let buffer = parse_buffer(text)?;
    let script = parser::parse::<Wast<'_>>(&buffer)?;
    let mut runner = ScriptRunner {
        session: Session::new(FUEL),
    };
    for directive in script.directives {
        let location = location(name, text, directive.span());
        let kind = directive_kind(&directive);
        let outcome = runner.run_guarded(directive);
        report.record(kind, location, outcome);
    }
    Ok(())
}

/// One script's [`Session`], judged directive by directive.
struct ScriptRunner {
    session: Session,
}

impl ScriptRunner {
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
    fn define_module(&mut self, module: QuoteWat<'_>) -> Outcome {
        match self.session.define_module(module) {
            Instantiation::Ready { .. } => Outcome::Pass,
            Instantiation::NeedsFloats => Outcome::Skip(SkipReason::ModuleNeedsFloats),
            Instantiation::NotLoaded(why) => Outcome::Fail(format!("module failed to load: {why}")),
            Instantiation::Failed(e) => Outcome::Fail(format!("module failed to instantiate: {e}")),
        }
    }

    /// `(register "name" $id?)`.
    fn register(&mut self, name: &str, id: Option<Id<'_>>) -> Outcome {
        match self.session.register(name, id) {
            Ok(()) => Outcome::Pass,
            Err(why) => why.into(),
        }
    }

    // --- actions ------------------------------------------------------------------------

    /// A bare `(invoke ...)`: must not trap.
    fn invoke(&mut self, invoke: &WastInvoke<'_>) -> Outcome {
        let action = match self.session.invoke_action(invoke) {
            Ok(action) => action,
            Err(why) => return why.into(),
        };
        match self.session.perform(action) {
            Ok(_) => Outcome::Pass,
            Err(e) => Outcome::Fail(format!("invoke of `{}` failed: {e}", invoke.name)),
        }
    }

    // --- assertions ---------------------------------------------------------------------

    fn assert_return(&mut self, exec: &WastExecute<'_>, results: &[WastRet<'_>]) -> Outcome {
        let action = match self.session.action(exec) {
            Ok(action) => action,
            Err(why) => return why.into(),
        };
        let expected = match expected_results(results) {
            Ok(expected) => expected,
            Err(why) => return why.into(),
        };
        match self.session.perform(action) {
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
        match self.session.action(&exec) {
            Ok(action) => {
                let result = self.session.perform(action);
                expect_trap(result, message)
            }
            Err(why) => why.into(),
        }
    }

    /// `assert_trap` on a module: instantiation (segment initialisation or the start
    /// function) must trap.
    fn assert_instantiation_traps(&mut self, wat: Wat<'_>, message: &str) -> Outcome {
        match self.session.instantiate(&mut QuoteWat::Wat(wat)) {
            Instantiation::Ready { .. } => Outcome::Fail(format!(
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
        match self.session.invoke_action(call) {
            Ok(action) => {
                let result = self.session.perform(action);
                expect_trap(result, message)
            }
            Err(why) => why.into(),
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
        match self.session.instantiate(&mut QuoteWat::Wat(wat)) {
            Instantiation::Ready { .. } => Outcome::Fail(format!(
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
