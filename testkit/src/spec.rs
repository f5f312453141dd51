//! The official WebAssembly 2.0 core spec tests (`.wast` scripts), shared by the executor's
//! spec runner (`executor/tests/spec.rs`) and the prover's (`prover/tests/spec_proofs.rs`):
//! finding and parsing the scripts with the `wast` crate, converting their values, the
//! `spectest` host module, and a [`Session`] that runs a script's modules and actions in order
//! on one [`Store`] (so that `register`ed instances and state changes persist within a script,
//! as the spec requires).
//!
//! What to count and how to judge each directive is the runners' business: this module only
//! says what happened.

use std::collections::{HashMap, HashSet};
use std::path::{Path, PathBuf};
use std::sync::Arc;

use gloam_executor::{ExecError, InstanceId, Limits, Store, Value};
use gloam_isa::{load_module, FuncSig, Program, TrapKind, ValType};
use wast::core::{AbstractHeapType, HeapType, WastArgCore, WastRetCore};
use wast::lexer::Lexer;
use wast::parser::ParseBuffer;
use wast::token::{Id, Span};
use wast::{QuoteWat, WastArg, WastDirective, WastExecute, WastInvoke, WastRet};

/// Re-export of the `wast` crate the helpers are written against, so that runners use the
/// same version.
pub use wast;

/// Environment variable naming the folder of `.wast` files (overrides the default location).
pub const ENV_SPEC_DIR: &str = "GLOAM_SPEC_TESTS";

// ------------------------------------------------------------------------------------------
// Finding and reading the files
// ------------------------------------------------------------------------------------------

/// The folder of `.wast` files: `$GLOAM_SPEC_TESTS`, else `<repo>/../shared/wasm-spec-tests`.
pub fn spec_dir() -> PathBuf {
    match std::env::var_os(ENV_SPEC_DIR) {
        Some(dir) if !dir.is_empty() => PathBuf::from(dir),
        _ => PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../shared/wasm-spec-tests"),
    }
}

/// The panic message when the spec tests are missing.
fn not_found(dir: &Path, why: &str) -> String {
    let shown = dir.canonicalize().unwrap_or_else(|_| dir.to_path_buf());
    format!(
        "\n\n*** WebAssembly spec tests NOT FOUND ***\n\
         {} {why}.\n\
         The tests live in the shared folder beside the repository \
         (`<repo>/../shared/wasm-spec-tests`); set {ENV_SPEC_DIR}=<folder> to use another one.\n",
        shown.display()
    )
}

/// All `.wast` files of `dir`, sorted by name.
///
/// # Panics
/// Loudly, if the folder cannot be read or holds no `.wast` file.
pub fn wast_files(dir: &Path) -> Vec<PathBuf> {
    let entries = std::fs::read_dir(dir)
        .unwrap_or_else(|e| panic!("{}", not_found(dir, &format!("cannot be read ({e})"))));
    let mut files: Vec<PathBuf> = entries
        .filter_map(|entry| entry.ok().map(|e| e.path()))
        .filter(|p| p.extension().is_some_and(|ext| ext == "wast") && p.is_file())
        .collect();
    files.sort();
    assert!(
        !files.is_empty(),
        "{}",
        not_found(dir, "holds no .wast files")
    );
    files
}

/// The file name of `path`, for messages and tables.
pub fn file_name(path: &Path) -> String {
    path.file_name()
        .map(|n| n.to_string_lossy().into_owned())
        .unwrap_or_else(|| path.display().to_string())
}

/// The file's text. The spec scripts are UTF-8 (the text format requires it); some hold
/// control characters and non-ASCII text in comments, which `wast` lexes fine.
///
/// # Errors
/// A message if the file cannot be read or is not UTF-8.
pub fn read_text(path: &Path) -> Result<String, String> {
    let bytes = std::fs::read(path).map_err(|e| format!("cannot read {}: {e}", path.display()))?;
    String::from_utf8(bytes).map_err(|e| {
        format!(
            "{} is not UTF-8 (invalid byte at offset {}); the WebAssembly text format must be UTF-8",
            path.display(),
            e.utf8_error().valid_up_to()
        )
    })
}

/// The `wast` parse buffer of a script's text; parse it with
/// `wast::parser::parse::<wast::Wast>(&buffer)`.
///
/// # Errors
/// The lexer's error.
pub fn parse_buffer(text: &str) -> Result<ParseBuffer<'_>, wast::Error> {
    let mut lexer = Lexer::new(text);
    // names.wast holds bidirectional-override characters in strings on purpose.
    lexer.allow_confusing_unicode(true);
    ParseBuffer::new_with_lexer(lexer)
}

/// `file:line:col` of `span` in `text`.
pub fn location(file: &str, text: &str, span: Span) -> String {
    let (line, col) = span.linecol_in(text);
    format!("{file}:{}:{}", line + 1, col + 1)
}

/// The name under which a directive is counted.
pub fn directive_kind(directive: &WastDirective<'_>) -> &'static str {
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

// ------------------------------------------------------------------------------------------
// Why an action cannot run
// ------------------------------------------------------------------------------------------

/// Why an action (or a value in it) cannot be run here.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum NotRun {
    /// The module it refers to was refused for float or SIMD instructions or types (or
    /// imports from a module that was).
    ModuleNeedsFloats,
    /// An argument or expected result is an `f32`, `f64` or `v128` value (or NaN pattern).
    FloatValue,
    /// Anything else: a broken or undefined module, a value that is not WebAssembly 2.0.
    Invalid(String),
}

// ------------------------------------------------------------------------------------------
// Values
// ------------------------------------------------------------------------------------------

/// An expected result of `assert_return`.
#[derive(Debug)]
pub enum Expected {
    /// An `i32` bit pattern.
    I32(u32),
    /// An `i64` bit pattern.
    I64(u64),
    /// `ref.null func`.
    NullFuncRef,
    /// `ref.null extern`.
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

/// Converts an `invoke` argument.
///
/// # Errors
/// [`NotRun::FloatValue`] for floats and SIMD values, [`NotRun::Invalid`] for values outside
/// WebAssembly 2.0.
pub fn argument(arg: &WastArg<'_>) -> Result<Value, NotRun> {
    let WastArg::Core(arg) = arg else {
        return Err(NotRun::Invalid(format!("component-model argument {arg:?}")));
    };
    match arg {
        WastArgCore::I32(v) => Ok(Value::I32(*v as u32)),
        WastArgCore::I64(v) => Ok(Value::I64(*v as u64)),
        WastArgCore::F32(_) | WastArgCore::F64(_) | WastArgCore::V128(_) => Err(NotRun::FloatValue),
        WastArgCore::RefNull(heap) => match abstract_heap_type(heap) {
            Some(AbstractHeapType::Func) => Ok(Value::FuncRef(None)),
            Some(AbstractHeapType::Extern) => Ok(Value::ExternRef(None)),
            _ => Err(NotRun::Invalid(format!(
                "argument `ref.null {heap:?}` is not a WebAssembly 2.0 value"
            ))),
        },
        WastArgCore::RefExtern(n) => Ok(Value::ExternRef(Some(*n))),
        WastArgCore::RefHost(_) => Err(NotRun::Invalid(
            "argument `ref.host` is not a WebAssembly 2.0 value".to_string(),
        )),
    }
}

/// Converts all arguments of an `invoke`.
///
/// # Errors
/// As [`argument`], for the first argument that fails.
pub fn arguments(args: &[WastArg<'_>]) -> Result<Vec<Value>, NotRun> {
    args.iter().map(argument).collect()
}

fn abstract_heap_type(heap: &HeapType<'_>) -> Option<AbstractHeapType> {
    match heap {
        HeapType::Abstract { shared: false, ty } => Some(*ty),
        _ => None,
    }
}

/// Converts the expected results of an `assert_return`.
///
/// # Errors
/// [`NotRun::FloatValue`] if any is a float or SIMD value (or pattern), [`NotRun::Invalid`]
/// for results outside WebAssembly 2.0.
pub fn expected_results(rets: &[WastRet<'_>]) -> Result<Vec<Expected>, NotRun> {
    rets.iter().map(expected_result).collect()
}

/// Converts one expected `assert_return` result.
///
/// # Errors
/// As [`expected_results`].
pub fn expected_result(ret: &WastRet<'_>) -> Result<Expected, NotRun> {
    let WastRet::Core(ret) = ret else {
        return Err(NotRun::Invalid(format!("component-model result {ret:?}")));
    };
    expected_core(ret)
}

fn expected_core(ret: &WastRetCore<'_>) -> Result<Expected, NotRun> {
    match ret {
        WastRetCore::I32(v) => Ok(Expected::I32(*v as u32)),
        WastRetCore::I64(v) => Ok(Expected::I64(*v as u64)),
        WastRetCore::F32(_) | WastRetCore::F64(_) | WastRetCore::V128(_) => Err(NotRun::FloatValue),
        WastRetCore::RefNull(None) => Ok(Expected::NullRef),
        WastRetCore::RefNull(Some(heap)) => match abstract_heap_type(heap) {
            Some(AbstractHeapType::Func) => Ok(Expected::NullFuncRef),
            Some(AbstractHeapType::Extern) => Ok(Expected::NullExternRef),
            _ => Err(NotRun::Invalid(format!(
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
        other => Err(NotRun::Invalid(format!(
            "result {other:?} is not a WebAssembly 2.0 value"
        ))),
    }
}

/// Whether `values` are exactly the `expected` ones.
pub fn results_match(expected: &[Expected], values: &[Value]) -> bool {
    expected.len() == values.len()
        && expected
            .iter()
            .zip(values)
            .all(|(e, v)| value_matches(e, v))
}

/// Whether one value is the expected one.
pub fn value_matches(expected: &Expected, value: &Value) -> bool {
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

/// `[i32 7 (0x7), ref.null func]`.
pub fn describe_expected(expected: &[Expected]) -> String {
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

/// `[i32 7 (0x7), ref.func 3]`.
pub fn describe_values(values: &[Value]) -> String {
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

/// Whether a trap and the spec's expected trap message agree: either message is a prefix of
/// the other (the spec writes e.g. `uninitialized element 2` where Gloam says
/// `uninitialized element`).
pub fn trap_matches(kind: TrapKind, expected: &str) -> bool {
    let ours = kind.to_string();
    !ours.is_empty() && (ours.starts_with(expected) || expected.starts_with(ours.as_str()))
}

// ------------------------------------------------------------------------------------------
// Modules
// ------------------------------------------------------------------------------------------

/// The `spectest` module every spec script may import from. Its float functions and
/// globals are left out: modules importing them are refused for their float types anyway.
pub fn define_spectest(store: &mut Store) {
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

/// What the front end said about one module.
pub enum Loaded {
    /// Loaded.
    Program(Arc<Program>),
    /// Refused for a float or SIMD instruction or type.
    NeedsFloats,
    /// Any other rejection.
    Rejected(String),
}

/// Runs the front end, telling a float/SIMD refusal from any other rejection (refusals of
/// anything else are not skips: Gloam must support all of integer WebAssembly 2.0).
pub fn load(bytes: &[u8]) -> Loaded {
    match load_module(bytes) {
        Ok(program) => Loaded::Program(Arc::new(program)),
        Err(e) if e.is_float_or_simd() => Loaded::NeedsFloats,
        Err(e) => Loaded::Rejected(e.to_string()),
    }
}

/// What a module name (or the absence of one) refers to.
#[derive(Clone, Debug)]
pub enum ModuleSlot {
    /// An instantiated module.
    Ready {
        /// Its instance in the session's store.
        instance: InstanceId,
        /// Its program.
        program: Arc<Program>,
    },
    /// A module skipped because it needs floats or SIMD.
    NeedsFloats,
    /// A module that failed to load or instantiate.
    Broken,
}

/// What came of loading and instantiating one module.
pub enum Instantiation {
    /// Instantiated.
    Ready {
        /// Its instance in the session's store.
        instance: InstanceId,
        /// Its program.
        program: Arc<Program>,
    },
    /// Refused for floats/SIMD, or linked against a module that was.
    NeedsFloats,
    /// The `wast` crate could not encode it or the front end rejected it.
    NotLoaded(String),
    /// Loaded, but instantiation failed.
    Failed(ExecError),
}

impl Instantiation {
    fn slot(&self) -> ModuleSlot {
        match self {
            Instantiation::Ready { instance, program } => ModuleSlot::Ready {
                instance: *instance,
                program: program.clone(),
            },
            Instantiation::NeedsFloats => ModuleSlot::NeedsFloats,
            Instantiation::NotLoaded(_) | Instantiation::Failed(_) => ModuleSlot::Broken,
        }
    }
}

// ------------------------------------------------------------------------------------------
// Actions
// ------------------------------------------------------------------------------------------

/// An `invoke` or `get` resolved against an instance, with its arguments converted.
pub enum Action<'a> {
    /// Call an exported function.
    Invoke {
        /// The instance.
        instance: InstanceId,
        /// The export.
        name: &'a str,
        /// The arguments.
        args: Vec<Value>,
    },
    /// Read an exported global.
    Get {
        /// The instance.
        instance: InstanceId,
        /// The export.
        name: &'a str,
    },
}

/// Why an action returned no values.
#[derive(Debug)]
pub enum ActionError {
    /// The executor's error (a trap, a missing export, ...).
    Exec(ExecError),
    /// `get` of a global the instance does not export.
    NoSuchGlobal(String),
}

impl ActionError {
    /// The trap, if this is one.
    pub fn trap_kind(&self) -> Option<TrapKind> {
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

// ------------------------------------------------------------------------------------------
// A script's state
// ------------------------------------------------------------------------------------------

/// The state of one script: its store (with `spectest`) and the modules defined so far.
pub struct Session {
    /// The store every module of the script is instantiated in.
    pub store: Store,
    /// The most recently defined module.
    current: Option<ModuleSlot>,
    /// Modules by `$id` (without the `$`).
    named: HashMap<String, ModuleSlot>,
    /// Names under which a module skipped for floats was `register`ed: a later module that
    /// fails to link only because it imports from one of them is skipped too.
    float_registrations: HashSet<String>,
}

impl Session {
    /// A fresh session whose store has `fuel` cycles per invocation and holds `spectest`.
    pub fn new(fuel: u64) -> Session {
        let mut store = Store::new(Limits {
            fuel,
            ..Limits::default()
        });
        define_spectest(&mut store);
        Session {
            store,
            current: None,
            named: HashMap::new(),
            float_registrations: HashSet::new(),
        }
    }

    /// `(module ...)`: instantiates the module and makes it the current one (remembered under
    /// its `$id`, if it has one), whatever came of it.
    pub fn define_module(&mut self, mut module: QuoteWat<'_>) -> Instantiation {
        let id = module.name().map(|id| id.name().to_string());
        let result = self.instantiate(&mut module);
        let slot = result.slot();
        if let Some(id) = id {
            self.named.insert(id, slot.clone());
        }
        self.current = Some(slot);
        result
    }

    /// Encodes, loads and instantiates a module (without making it the current one).
    pub fn instantiate(&mut self, module: &mut QuoteWat<'_>) -> Instantiation {
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
        match self.store.instantiate(program.clone()) {
            Ok(instance) => Instantiation::Ready { instance, program },
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
    ///
    /// # Errors
    /// [`NotRun::ModuleNeedsFloats`], or [`NotRun::Invalid`] for a module that is undefined
    /// or was not instantiated.
    pub fn lookup(&self, id: Option<Id<'_>>) -> Result<(InstanceId, &Arc<Program>), NotRun> {
        let slot = match id {
            Some(id) => self.named.get(id.name()).ok_or_else(|| {
                NotRun::Invalid(format!("no module named ${} was defined", id.name()))
            })?,
            None => self
                .current
                .as_ref()
                .ok_or_else(|| NotRun::Invalid("no module was defined before".to_string()))?,
        };
        match slot {
            ModuleSlot::Ready { instance, program } => Ok((*instance, program)),
            ModuleSlot::NeedsFloats => Err(NotRun::ModuleNeedsFloats),
            ModuleSlot::Broken => Err(NotRun::Invalid(
                "the module was not instantiated (see its own failure)".to_string(),
            )),
        }
    }

    /// `(register "name" $id?)`: makes the instance's exports importable under `name`.
    ///
    /// # Errors
    /// As [`Session::lookup`].
    pub fn register(&mut self, name: &str, id: Option<Id<'_>>) -> Result<(), NotRun> {
        match self.lookup(id) {
            Ok((instance, _)) => {
                self.store.register(name, instance);
                self.float_registrations.remove(name);
                Ok(())
            }
            Err(NotRun::ModuleNeedsFloats) => {
                self.float_registrations.insert(name.to_string());
                Err(NotRun::ModuleNeedsFloats)
            }
            Err(e) => Err(e),
        }
    }

    /// Resolves an `invoke` against its instance and converts its arguments.
    ///
    /// # Errors
    /// As [`Session::lookup`] and [`argument`].
    pub fn invoke_action<'a>(&self, invoke: &WastInvoke<'a>) -> Result<Action<'a>, NotRun> {
        let (instance, _) = self.lookup(invoke.module)?;
        let args = arguments(&invoke.args)?;
        Ok(Action::Invoke {
            instance,
            name: invoke.name,
            args,
        })
    }

    /// Resolves an `invoke` or `get`; a module in that place is the caller's business.
    ///
    /// # Errors
    /// As [`Session::invoke_action`]; [`NotRun::Invalid`] for a module.
    pub fn action<'a>(&self, exec: &WastExecute<'a>) -> Result<Action<'a>, NotRun> {
        match exec {
            WastExecute::Invoke(invoke) => self.invoke_action(invoke),
            WastExecute::Get { module, global, .. } => Ok(Action::Get {
                instance: self.lookup(*module)?.0,
                name: global,
            }),
            WastExecute::Wat(_) => Err(NotRun::Invalid(
                "a module is not an action here (only assert_trap instantiates one)".to_string(),
            )),
        }
    }

    /// Runs an action on the session's store.
    ///
    /// # Errors
    /// [`ActionError`].
    pub fn perform(&mut self, action: Action<'_>) -> Result<Vec<Value>, ActionError> {
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
}
