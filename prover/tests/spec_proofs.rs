//! Proofs of the official WebAssembly 2.0 spec tests' runs: for the spec scripts listed in
//! [`FILES`], every `assert_return` that calls an export with integer values is executed, and
//! up to [`DEFAULT_PER_FUNC`] of them per exported function (and [`DEFAULT_PER_FILE`] per
//! script) are proven with `gloam_prover::prove_values` and checked with
//! `gloam_verifier::verify_file`; the verified statement must name the call's entry and
//! arguments and the spec's expected results.
//!
//! The scripts are parsed and run in order by the same code as the executor's spec runner
//! (`gloam_testkit::spec`, one [`Session`] per script, so that state changes and `register`ed
//! instances persist as the spec requires). A proof covers one call of an export on a freshly
//! instantiated module, so each `assert_return` ends in exactly one of these buckets:
//!
//! - **proven**: proven, verified, and the verified results are the spec's.
//! - **executed only**: the AIR covers the run (the prover, asked first with a memory limit
//!   of 0 bytes, executes it and refuses it only as too large, before building a trace), and
//!   a fresh instance returns the spec's results, but it is not proven because its function
//!   or its script already has its proofs (the budgets `GLOAM_SPEC_PROOFS_PER_FUNC` and
//!   `GLOAM_SPEC_PROOFS_PER_FILE`) or its trace would be longer than
//!   `GLOAM_SPEC_PROOFS_MAX_ROWS` rows.
//! - **not provable yet**, by instruction: the prover refuses the run with
//!   `ExecError::NotProvable` naming an instruction the AIR does not cover yet (or an entry
//!   signature it does not take yet).
//! - **skipped**, by reason: float arguments or results; a module the front end refuses for
//!   floats; a module with imports (from `spectest` or a `register`ed module), whose setup a
//!   proof does not cover (`gloam_isa::check_setup`); reference-typed
//!   arguments or results; `get` of a global (not a call); and *needs prior state*: a fresh
//!   instance returns something else than the spec's sequential run, which depends on earlier
//!   calls (e.g. a store before a load).
//! - **failed**: anything else: another prover or verifier error, a verified result that
//!   differs from the spec's, a panic, a sequential run that does not give the spec's result,
//!   or a fresh instance that differs from the sequential run although nothing ran on the
//!   instance before.
//!
//! Each `assert_trap` of a call is put to the prover too (with the zero-byte memory limit, so
//! nothing is ever proven): it must be **refused with the trap** the spec expects (no proof
//! of a trapping run exists), or be not provable yet or skipped for the reasons above (a
//! trap that a fresh instance does not raise needs prior state); anything else fails.
//!
//! The test fails on any failure, and if a file proves fewer calls, or refuses fewer
//! trapping calls, than its floors in [`FILES`] (the floors of proven calls are checked with
//! the default budgets and row limit only).
//!
//! Run with `cargo test --release -p gloam-prover --test spec_proofs -- --nocapture`.
//! `GLOAM_SPEC_PROOFS_FILTER=<text>` runs only the listed files whose name contains `<text>`.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::fmt::Write as _;
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::Path;
use std::sync::Arc;
use std::time::{Duration, Instant};

use gloam_executor::{ExecError, Limits, Store, Value};
use gloam_isa::{IntValue, Program, SetupError};
use gloam_prover::{prove_values, ProveConfig, ProveError};
use gloam_testkit::spec::wast::{self, parser};
use gloam_testkit::spec::wast::{QuoteWat, Wast, WastDirective, WastExecute, WastInvoke, WastRet};
use gloam_testkit::spec::{
    arguments, describe_expected, describe_values, expected_results, location, parse_buffer,
    read_text, results_match, spec_dir, trap_matches, Expected, NotRun, Session,
};
use gloam_verifier::verify_file;

/// The spec scripts whose runs are proven, each with its *floors*: the number of
/// `assert_return` calls it proves (with the default budgets), and the number of
/// `assert_trap` calls the prover refuses with the expected trap, which it must never fall
/// below.
///
/// The floors are today's counts. When the AIR covers more (or a file is added), run
/// `cargo test --release -p gloam-prover --test spec_proofs -- --nocapture`: when any file
/// exceeds a floor, the test prints this table with the new counts, ready to paste over
/// this one.
const FILES: &[(&str, usize, usize)] = &[
    ("i32.wast", 1, 10),
    ("i64.wast", 1, 10),
    ("memory.wast", 1, 0),
    ("address.wast", 1, 39),
    ("load.wast", 1, 0),
    ("store.wast", 1, 0),
    ("call_indirect.wast", 1, 5),
    ("bulk.wast", 1, 16),
    ("global.wast", 0, 0),
    ("int_exprs.wast", 1, 14),
    ("conversions.wast", 0, 0),
    ("left-to-right.wast", 0, 0),
    ("br_table.wast", 0, 0),
    ("block.wast", 0, 0),
    ("loop.wast", 0, 0),
    ("if.wast", 0, 0),
    ("call.wast", 0, 0),
    ("fac.wast", 1, 0),
    ("select.wast", 0, 0),
    ("local_get.wast", 0, 0),
    ("local_set.wast", 0, 0),
    ("local_tee.wast", 0, 0),
    ("memory_grow.wast", 1, 7),
    ("nop.wast", 1, 0),
    ("return.wast", 0, 0),
    ("switch.wast", 1, 0),
    ("stack.wast", 1, 0),
    ("unwind.wast", 0, 0),
    ("labels.wast", 1, 0),
    ("forward.wast", 1, 0),
    ("func.wast", 1, 0),
    ("br.wast", 0, 0),
    ("br_if.wast", 0, 0),
    ("endianness.wast", 0, 0),
    ("memory_fill.wast", 1, 6),
    ("memory_copy.wast", 1, 18),
    ("memory_init.wast", 1, 14),
    ("traps.wast", 0, 10),
    ("start.wast", 1, 0),
    ("align.wast", 1, 1),
    ("memory_size.wast", 1, 0),
    ("memory_trap.wast", 1, 10),
    ("memory_redundancy.wast", 0, 0),
    ("int_literals.wast", 1, 0),
    ("unreachable.wast", 0, 0),
    ("func_ptrs.wast", 1, 6),
    ("ref_func.wast", 0, 0),
    ("ref_is_null.wast", 1, 0),
    ("ref_null.wast", 0, 0),
    ("elem.wast", 1, 3),
    ("table_get.wast", 1, 0),
    ("table_set.wast", 1, 2),
    ("table_size.wast", 1, 0),
    ("table_grow.wast", 1, 0),
    ("table_fill.wast", 0, 0),
    ("table_copy.wast", 1, 460),
    ("table_init.wast", 0, 482),
    ("unreached-valid.wast", 0, 0),
    ("const.wast", 0, 0),
    ("exports.wast", 1, 0),
    ("names.wast", 1, 0),
    ("linking.wast", 1, 6),
    ("imports.wast", 0, 0),
];

/// Proofs per exported function (per instance): the first calls that the AIR covers are
/// proven, the later ones only executed.
const DEFAULT_PER_FUNC: usize = 1;
/// Environment variable overriding [`DEFAULT_PER_FUNC`].
const ENV_PER_FUNC: &str = "GLOAM_SPEC_PROOFS_PER_FUNC";
/// Proofs per script at most (`nop.wast` alone has 62 exported functions the AIR covers).
/// Proving dominates the test (one proof of 2^14 rows takes about 3 s of CPU, already spread
/// over the cores by the prover), so this bounds its time: 4 per script took about three
/// minutes on a 2-core machine (124 proofs and 1,119 refused traps); 2 took 96 s; 1 keeps CI
/// under its budget (every script with a covered call still proves one, and every trapping
/// call is still put to the prover).
/// `GLOAM_SPEC_PROOFS_PER_FILE=1000` proves every covered function (8 per script proved 126
/// calls of the first 39 scripts in 193 s).
const DEFAULT_PER_FILE: usize = 1;
/// Environment variable overriding [`DEFAULT_PER_FILE`].
const ENV_PER_FILE: &str = "GLOAM_SPEC_PROOFS_PER_FILE";
/// Longest trace proven (rows); longer runs are executed only. Spec-test calls are short:
/// nearly all fit the shortest trace, 2^14 rows.
const DEFAULT_MAX_ROWS: usize = 1 << 14;
/// Environment variable overriding [`DEFAULT_MAX_ROWS`].
const ENV_MAX_ROWS: &str = "GLOAM_SPEC_PROOFS_MAX_ROWS";
/// Environment variable restricting the run to listed files whose name contains its value.
const ENV_FILTER: &str = "GLOAM_SPEC_PROOFS_FILTER";
/// Fuel of the sequential and fresh runs (as in the executor's spec runner).
const FUEL: u64 = 1 << 32;
/// How many failures the panic message lists.
const MAX_LISTED_FAILURES: usize = 50;

// ------------------------------------------------------------------------------------------
// Outcomes and reports
// ------------------------------------------------------------------------------------------

/// Why an `assert_return` is out of scope for proofs.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
enum Skip {
    /// Float arguments or expected results.
    FloatValues,
    /// The module was refused for floats/SIMD.
    ModuleNeedsFloats,
    /// The module imports something (from `spectest` or a registered module).
    Imports,
    /// Reference-typed arguments or results.
    References,
    /// `get` of an exported global, not a call.
    GlobalGet,
    /// A fresh instance gives another result than the spec's sequential run.
    NeedsPriorState,
}

impl Skip {
    fn describe(self) -> &'static str {
        match self {
            Skip::FloatValues => "floats",
            Skip::ModuleNeedsFloats => "module needs floats",
            Skip::Imports => "imports/register",
            Skip::References => "reference values",
            Skip::GlobalGet => "global get",
            Skip::NeedsPriorState => "needs prior state",
        }
    }
}

/// Why a call the AIR covers was executed but not proven.
#[derive(Clone, Copy, Debug)]
enum NotProven {
    /// Its function or its script already has its proofs.
    Budget,
    /// Its trace is longer than the row limit.
    TooLong,
}

/// What came of one `assert_return` or `assert_trap`.
#[derive(Debug)]
enum Outcome {
    Proven,
    /// `assert_trap`: the prover refused the call with the expected trap.
    Refused,
    ExecutedOnly(NotProven),
    NotProvable(String),
    Skipped(Skip),
    Failed(String),
}

/// Which assertion an outcome is about.
#[derive(Clone, Copy, Debug)]
enum Assertion {
    Return,
    Trap,
}

/// The counts of one file (or of all), of one kind of assertion.
#[derive(Debug, Default)]
struct Tally {
    /// Modules defined (counted in the `assert_return` tally only).
    modules: usize,
    /// Assertions (`assert_return` or `assert_trap` of a call).
    calls: usize,
    proven: usize,
    /// `assert_trap` calls the prover refused with the expected trap.
    refused: usize,
    executed_only: usize,
    too_long: usize,
    /// Exported functions (per instance) with at least one call the AIR covers.
    functions: usize,
    skipped: BTreeMap<Skip, usize>,
    not_provable: BTreeMap<String, usize>,
    failed: usize,
    proving_time: Duration,
}

impl Tally {
    fn record(&mut self, outcome: &Outcome) {
        self.calls += 1;
        match outcome {
            Outcome::Proven => self.proven += 1,
            Outcome::Refused => self.refused += 1,
            Outcome::ExecutedOnly(why) => {
                self.executed_only += 1;
                if let NotProven::TooLong = why {
                    self.too_long += 1;
                }
            }
            Outcome::NotProvable(instr) => {
                *self.not_provable.entry(instr.clone()).or_default() += 1
            }
            Outcome::Skipped(skip) => *self.skipped.entry(*skip).or_default() += 1,
            Outcome::Failed(_) => self.failed += 1,
        }
    }

    fn add(&mut self, other: &Tally) {
        self.modules += other.modules;
        self.calls += other.calls;
        self.proven += other.proven;
        self.refused += other.refused;
        self.executed_only += other.executed_only;
        self.too_long += other.too_long;
        self.functions += other.functions;
        for (skip, n) in &other.skipped {
            *self.skipped.entry(*skip).or_default() += n;
        }
        for (instr, n) in &other.not_provable {
            *self.not_provable.entry(instr.clone()).or_default() += n;
        }
        self.failed += other.failed;
        self.proving_time += other.proving_time;
    }

    fn skipped_total(&self) -> usize {
        self.skipped.values().sum()
    }

    fn not_provable_total(&self) -> usize {
        self.not_provable.values().sum()
    }

    /// `reason n, reason n`.
    fn skip_reasons(&self) -> String {
        let parts: Vec<String> = self
            .skipped
            .iter()
            .map(|(skip, n)| format!("{} {n}", skip.describe()))
            .collect();
        parts.join(", ")
    }

    /// `instr n, instr n`, most frequent first.
    fn not_provable_instrs(&self) -> String {
        let mut v: Vec<(&String, &usize)> = self.not_provable.iter().collect();
        v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
        let parts: Vec<String> = v.iter().map(|(i, n)| format!("`{i}` {n}")).collect();
        parts.join(", ")
    }
}

/// One failed `assert_return` or `assert_trap`.
struct Failure {
    location: String,
    message: String,
}

/// The results of one file.
struct FileReport {
    name: String,
    /// `assert_return`s (and the modules).
    tally: Tally,
    /// `assert_trap`s of calls.
    traps: Tally,
    failures: Vec<Failure>,
}

impl FileReport {
    fn record(&mut self, kind: Assertion, location: String, outcome: Outcome) {
        let tally = match kind {
            Assertion::Return => &mut self.tally,
            Assertion::Trap => &mut self.traps,
        };
        tally.record(&outcome);
        if let Outcome::Failed(message) = outcome {
            self.failures.push(Failure { location, message });
        }
    }
}

// ------------------------------------------------------------------------------------------
// Configuration
// ------------------------------------------------------------------------------------------

/// The budget of one run of the test.
struct Budget {
    per_func: usize,
    per_file: usize,
    max_rows: usize,
    /// Whether all three are the defaults (the floors of proven calls are only checked then).
    default: bool,
    prove: ProveConfig,
    /// [`Budget::prove`] with a memory limit of 0 bytes: the prover's verdict on a call
    /// without a proof.
    probe: ProveConfig,
}

fn env_usize(name: &str) -> Option<usize> {
    let v = std::env::var(name).ok().filter(|v| !v.is_empty())?;
    Some(
        v.parse()
            .unwrap_or_else(|_| panic!("{name}={v:?} is not a number")),
    )
}

impl Budget {
    fn from_env() -> Budget {
        let per_func = env_usize(ENV_PER_FUNC).unwrap_or(DEFAULT_PER_FUNC);
        let per_file = env_usize(ENV_PER_FILE).unwrap_or(DEFAULT_PER_FILE);
        let max_rows = env_usize(ENV_MAX_ROWS).unwrap_or(DEFAULT_MAX_ROWS);
        Budget {
            per_func,
            per_file,
            max_rows,
            default: per_func == DEFAULT_PER_FUNC
                && per_file == DEFAULT_PER_FILE
                && max_rows == DEFAULT_MAX_ROWS,
            prove: ProveConfig::default(),
            probe: ProveConfig {
                max_memory: Some(0),
                ..ProveConfig::default()
            },
        }
    }
}

// ------------------------------------------------------------------------------------------
// Running one file
// ------------------------------------------------------------------------------------------

/// One script's session and what the prover side knows about its instances.
struct Runner<'b> {
    session: Session,
    budget: &'b Budget,
    /// Instances that something may have changed since instantiation: an action ran on
    /// them, or they were registered (other modules can then write their memory, tables and
    /// globals).
    touched: HashSet<u32>,
    /// Proofs made per (instance, export).
    proofs: HashMap<(u32, String), usize>,
    /// Functions (instance, export) with at least one call the AIR covers.
    covered: HashSet<(u32, String)>,
    proving_time: Duration,
}

fn run_file(path: &Path, budget: &Budget) -> FileReport {
    let name = gloam_testkit::spec::file_name(path);
    let mut report = FileReport {
        name: name.clone(),
        tally: Tally::default(),
        traps: Tally::default(),
        failures: Vec::new(),
    };
    let fail = |report: &mut FileReport, location: String, message: String| {
        report.record(Assertion::Return, location, Outcome::Failed(message));
    };
    let text = match read_text(path) {
        Ok(text) => text,
        Err(message) => {
            fail(&mut report, format!("{name}:1:1"), message);
            return report;
        }
    };
    let parse_failed = |report: &mut FileReport, e: &wast::Error| {
        let message = format!("the wast crate cannot parse the file: {}", e.message());
        fail(report, location(&name, &text, e.span()), message);
    };
    let buffer = match parse_buffer(&text) {
        Ok(buffer) => buffer,
        Err(e) => {
            parse_failed(&mut report, &e);
            return report;
        }
    };
    let script = match parser::parse::<Wast<'_>>(&buffer) {
        Ok(script) => script,
        Err(e) => {
            parse_failed(&mut report, &e);
            return report;
        }
    };
    let mut runner = Runner {
        session: Session::new(FUEL),
        budget,
        touched: HashSet::new(),
        proofs: HashMap::new(),
        covered: HashSet::new(),
        proving_time: Duration::ZERO,
    };
    for directive in script.directives {
        let loc = location(&name, &text, directive.span());
        if let WastDirective::Module(_) = directive {
            report.tally.modules += 1;
        }
        let kind = match directive {
            WastDirective::AssertTrap { .. } => Assertion::Trap,
            _ => Assertion::Return,
        };
        let outcome = match catch_unwind(AssertUnwindSafe(|| runner.run(directive))) {
            Ok(outcome) => outcome,
            Err(payload) => Some(Outcome::Failed(format!(
                "panicked: {}",
                payload
                    .downcast_ref::<&str>()
                    .map(|s| s.to_string())
                    .or_else(|| payload.downcast_ref::<String>().cloned())
                    .unwrap_or_else(|| "(no message)".to_string())
            ))),
        };
        if let Some(outcome) = outcome {
            report.record(kind, loc, outcome);
        }
    }
    report.tally.proving_time = runner.proving_time;
    report.tally.functions = runner.covered.len();
    report
}

impl Runner<'_> {
    /// Runs one directive on the session, as the executor's spec runner does; returns the
    /// outcome of an `assert_return`, or of an `assert_trap` of a call (other directives only
    /// move the script's state on; the executor's runner judges them).
    fn run(&mut self, directive: WastDirective<'_>) -> Option<Outcome> {
        match directive {
            WastDirective::Module(module) => {
                self.session.define_module(module);
            }
            WastDirective::Register { name, module, .. } => {
                if let Ok((instance, _)) = self.session.lookup(module) {
                    self.touched.insert(instance.0);
                }
                let _ = self.session.register(name, module);
            }
            WastDirective::Invoke(invoke) => self.perform(&WastExecute::Invoke(invoke)),
            WastDirective::AssertReturn { exec, results, .. } => {
                return Some(self.assert_return(&exec, &results))
            }
            WastDirective::AssertTrap { exec, message, .. } => match exec {
                WastExecute::Wat(wat) => {
                    self.session.instantiate(&mut QuoteWat::Wat(wat));
                }
                WastExecute::Invoke(invoke) => return Some(self.assert_trap(&invoke, message)),
                exec => self.perform(&exec),
            },
            WastDirective::AssertExhaustion { call, .. } => {
                self.perform(&WastExecute::Invoke(call))
            }
            WastDirective::AssertUnlinkable { module, .. } => {
                self.session.instantiate(&mut QuoteWat::Wat(module));
            }
            _ => {}
        }
        None
    }

    /// Performs an action for its effect on the script's state.
    fn perform(&mut self, exec: &WastExecute<'_>) {
        if let Ok(action) = self.session.action(exec) {
            self.touch(exec);
            let _ = self.session.perform(action);
        }
    }

    /// Marks the instance an action runs on.
    fn touch(&mut self, exec: &WastExecute<'_>) {
        let module = match exec {
            WastExecute::Invoke(invoke) => invoke.module,
            WastExecute::Get { module, .. } => *module,
            WastExecute::Wat(_) => return,
        };
        if let Ok((instance, _)) = self.session.lookup(module) {
            self.touched.insert(instance.0);
        }
    }

    /// `assert_trap` of a call: the prover must refuse it with the expected trap (no proof
    /// of a trapping run exists), or name an instruction it does not cover yet. Asked with
    /// the zero-byte memory limit, so that nothing is proven if the prover's run does not trap.
    fn assert_trap(&mut self, invoke: &WastInvoke<'_>, message: &str) -> Outcome {
        let action = match self.session.invoke_action(invoke) {
            Ok(action) => action,
            Err(why) => return not_run(why),
        };
        let (instance, program) = match self.session.lookup(invoke.module) {
            Ok((instance, program)) => (instance.0, program.clone()),
            Err(why) => return not_run(why),
        };
        let args = match arguments(&invoke.args) {
            Ok(args) => args,
            Err(why) => return not_run(why),
        };
        let was_touched = !self.touched.insert(instance);
        match self.session.perform(action) {
            Err(e) if e.trap_kind().is_some_and(|k| trap_matches(k, message)) => {}
            other => {
                return Outcome::Failed(format!(
                    "sequential run: expected trap `{message}`, got {other:?}"
                ))
            }
        }
        if let Err(skip) = provable_setup(&program) {
            return skip;
        }
        let Some(int_args) = int_values(&args) else {
            return Outcome::Skipped(Skip::References);
        };
        let name = invoke.name;
        // A reference-typed result (the arguments are integers here): out of scope like a
        // reference-typed `assert_return`.
        if program
            .export_sig(name)
            .is_some_and(|sig| sig.results.iter().any(|t| t.is_ref()))
        {
            return Outcome::Skipped(Skip::References);
        }
        match prove_values(program.clone(), name, &int_args, &self.budget.probe) {
            Err(ProveError::Exec(ExecError::Trap { kind, .. })) if trap_matches(kind, message) => {
                Outcome::Refused
            }
            Err(ProveError::Exec(ExecError::NotProvable { instr, .. })) => {
                Outcome::NotProvable(instruction_name(&instr))
            }
            // The prover's run did not trap: fine only if a fresh instance does not trap
            // either (the spec's trap needs earlier calls).
            Err(ProveError::TooLarge { .. }) => match fresh_run(&program, name, &args) {
                Ok(_) if was_touched => Outcome::Skipped(Skip::NeedsPriorState),
                fresh => Outcome::Failed(format!(
                    "the prover runs `{name}` without trapping; a fresh instance gives \
                     {fresh:?}, the spec expects trap `{message}`"
                )),
            },
            Err(e) => Outcome::Failed(format!(
                "prover refused otherwise than with trap `{message}`: {e}"
            )),
            Ok(_) => Outcome::Failed("proved within a memory limit of 0 bytes".into()),
        }
    }

    fn assert_return(&mut self, exec: &WastExecute<'_>, results: &[WastRet<'_>]) -> Outcome {
        // The sequential run, exactly as the executor's spec runner does it.
        let action = match self.session.action(exec) {
            Ok(action) => action,
            Err(why) => return not_run(why),
        };
        let expected = match expected_results(results) {
            Ok(expected) => expected,
            Err(why) => return not_run(why),
        };
        let WastExecute::Invoke(invoke) = exec else {
            self.touch(exec);
            let _ = self.session.perform(action);
            return Outcome::Skipped(Skip::GlobalGet);
        };
        let (instance, program) = match self.session.lookup(invoke.module) {
            Ok((instance, program)) => (instance.0, program.clone()),
            Err(why) => return not_run(why),
        };
        let args = match arguments(&invoke.args) {
            Ok(args) => args,
            Err(why) => return not_run(why),
        };
        let was_touched = !self.touched.insert(instance);
        match self.session.perform(action) {
            Ok(values) if results_match(&expected, &values) => {}
            Ok(values) => {
                return Outcome::Failed(format!(
                    "sequential run: expected {}, got {}",
                    describe_expected(&expected),
                    describe_values(&values)
                ))
            }
            Err(e) => {
                return Outcome::Failed(format!(
                    "sequential run: expected {}, failed: {e}",
                    describe_expected(&expected)
                ))
            }
        }

        // What a proof of this call would cover.
        if let Err(skip) = provable_setup(&program) {
            return skip;
        }
        let (Some(int_args), Some(int_expected)) = (int_values(&args), int_expected(&expected))
        else {
            return Outcome::Skipped(Skip::References);
        };
        let name = invoke.name;

        // A fresh instance must give the spec's result, else the call depends on earlier ones.
        match fresh_run(&program, name, &args) {
            Ok(values) if results_match(&expected, &values) => {}
            Ok(_) | Err(_) if was_touched => return Outcome::Skipped(Skip::NeedsPriorState),
            Ok(values) => {
                return Outcome::Failed(format!(
                    "a fresh instance returns {} where the sequential run returned {}, \
                     and nothing ran on the instance before",
                    describe_values(&values),
                    describe_expected(&expected)
                ))
            }
            Err(e) => {
                return Outcome::Failed(format!(
                    "a fresh instance fails ({e}) where the sequential run returned {}, \
                     and nothing ran on the instance before",
                    describe_expected(&expected)
                ))
            }
        }

        // Ask the prover first, with a memory limit of zero bytes: it executes the call,
        // refuses what the AIR does not cover (`NotProvable`) and refuses everything else
        // as `TooLarge`, naming the trace length, before building any trace. Cheap, and the
        // prover's own judgement.
        let rows = match prove_values(program.clone(), name, &int_args, &self.budget.probe) {
            Err(ProveError::TooLarge { rows, .. }) => rows,
            Err(ProveError::Exec(ExecError::NotProvable { instr, .. })) => {
                return Outcome::NotProvable(instruction_name(&instr))
            }
            Err(e) => return Outcome::Failed(format!("prover failed: {e}")),
            Ok(_) => return Outcome::Failed("proved within a memory limit of 0 bytes".into()),
        };
        let key = (instance, name.to_string());
        self.covered.insert(key.clone());
        let proofs = self.proofs.get(&key).copied().unwrap_or(0);
        let file_proofs: usize = self.proofs.values().sum();
        if rows > self.budget.max_rows {
            return Outcome::ExecutedOnly(NotProven::TooLong);
        }
        if proofs >= self.budget.per_func || file_proofs >= self.budget.per_file {
            return Outcome::ExecutedOnly(NotProven::Budget);
        }

        // Prove, verify, and compare with the spec.
        let t0 = Instant::now();
        let run = match prove_values(program.clone(), name, &int_args, &self.budget.prove) {
            Ok(run) => run,
            Err(e) => return Outcome::Failed(format!("prover failed: {e}")),
        };
        *self.proofs.entry(key.clone()).or_default() += 1;
        let verified = verify_file(&program, &run.file.to_bytes());
        self.proving_time += t0.elapsed();
        let statement = match verified {
            Ok(statement) => statement,
            Err(e) => return Outcome::Failed(format!("verifier rejected the proof: {e}")),
        };
        let claim = &statement.claim;
        if claim.entry != name || claim.args != int_args || claim.results != int_expected {
            return Outcome::Failed(format!(
                "verified `{}({:?})` = {:?}, the spec expects `{name}({:?})` = {}",
                claim.entry,
                claim.args,
                claim.results,
                int_args,
                describe_expected(&expected)
            ));
        }
        Outcome::Proven
    }
}

/// Why an action cannot be run, as an outcome.
fn not_run(why: NotRun) -> Outcome {
    match why {
        NotRun::ModuleNeedsFloats => Outcome::Skipped(Skip::ModuleNeedsFloats),
        NotRun::FloatValue => Outcome::Skipped(Skip::FloatValues),
        NotRun::Invalid(message) => Outcome::Failed(message),
    }
}

/// Whether a proof covers the module's setup (`gloam_isa::check_setup`); if not, the skip.
fn provable_setup(program: &Program) -> Result<(), Outcome> {
    match gloam_isa::check_setup(&program.module) {
        Ok(()) => Ok(()),
        Err(SetupError::Import { .. }) => Err(Outcome::Skipped(Skip::Imports)),
        Err(e) => Err(Outcome::Failed(format!(
            "the module instantiated, but check_setup refuses it: {e}"
        ))),
    }
}

/// The call on a freshly instantiated copy of the module.
fn fresh_run(program: &Arc<Program>, name: &str, args: &[Value]) -> Result<Vec<Value>, ExecError> {
    let mut store = Store::new(Limits {
        fuel: FUEL,
        ..Limits::default()
    });
    let instance = store.instantiate(program.clone())?;
    store.invoke(instance, name, args)
}

/// Integer arguments as the prover takes them; `None` if any is a reference.
fn int_values(values: &[Value]) -> Option<Vec<IntValue>> {
    values
        .iter()
        .map(|v| match v {
            Value::I32(x) => Some(IntValue::I32(*x)),
            Value::I64(x) => Some(IntValue::I64(*x)),
            Value::FuncRef(_) | Value::ExternRef(_) => None,
        })
        .collect()
}

/// Integer expected results; `None` if any is a reference (or a choice).
fn int_expected(expected: &[Expected]) -> Option<Vec<IntValue>> {
    expected
        .iter()
        .map(|e| match e {
            Expected::I32(x) => Some(IntValue::I32(*x)),
            Expected::I64(x) => Some(IntValue::I64(*x)),
            _ => None,
        })
        .collect()
}

/// The instruction of a `NotProvable` refusal, without its details: `i64 parameter or
/// result of the entry function ([i64] -> [i64])` counts as `i64 parameter or result of the
/// entry function`.
fn instruction_name(instr: &str) -> String {
    instr.split(" (").next().unwrap_or(instr).to_string()
}

// ------------------------------------------------------------------------------------------
// The test
// ------------------------------------------------------------------------------------------

/// `; skipped n (reason n, ...); not provable yet n (`instr` n, ...)`.
fn skips_and_refusals(t: &Tally) -> String {
    let mut s = String::new();
    if !t.skipped.is_empty() {
        let _ = write!(s, "; skipped {} ({})", t.skipped_total(), t.skip_reasons());
    }
    if !t.not_provable.is_empty() {
        let _ = write!(
            s,
            "; not provable yet {} ({})",
            t.not_provable_total(),
            t.not_provable_instrs()
        );
    }
    s
}

/// One line about the `assert_return`s and, if there are any, one about the `assert_trap`s.
fn summary_lines(name: &str, r: &Tally, traps: &Tally) -> String {
    let mut s = format!(
        "{name:<20} {} module(s), {} assert_return: {} proven+verified, {} executed only",
        r.modules, r.calls, r.proven, r.executed_only
    );
    if r.too_long > 0 {
        let _ = write!(s, " ({} too long)", r.too_long);
    }
    let _ = write!(
        s,
        ", {} failed; {} functions covered{}",
        r.failed,
        r.functions,
        skips_and_refusals(r)
    );
    if traps.calls > 0 {
        let _ = write!(
            s,
            "\n{:<20} {} assert_trap: {} refused with the trap, {} failed{}",
            "",
            traps.calls,
            traps.refused,
            traps.failed,
            skips_and_refusals(traps)
        );
    }
    s
}

fn table_row(label: &str, r: &Tally, traps: &Tally) -> String {
    format!(
        "| {label} | {} | {} | {} | {} | {} | {} | {} | {} | {} |\n",
        r.modules,
        r.calls,
        r.proven,
        r.executed_only,
        r.not_provable_total(),
        r.skipped_total(),
        traps.calls,
        traps.refused,
        r.failed + traps.failed
    )
}

/// The per-file Markdown table (as in the README).
fn markdown_table(reports: &[FileReport], total: &Tally, total_traps: &Tally) -> String {
    let mut s = String::from(
        "| file | modules | assert_return | proven + verified | executed only | not provable yet \
         | skipped | assert_trap | refused with the trap | failed |\n\
         |---|---:|---:|---:|---:|---:|---:|---:|---:|---:|\n",
    );
    for r in reports {
        s.push_str(&table_row(&format!("`{}`", r.name), &r.tally, &r.traps));
    }
    s.push_str(&table_row("**total**", total, total_traps));
    s
}

#[test]
fn spec_test_runs_prove_and_verify() {
    let started = Instant::now();
    let budget = Budget::from_env();
    let filter = std::env::var(ENV_FILTER).ok().filter(|f| !f.is_empty());
    let dir = spec_dir();
    let files: Vec<(&str, usize, usize)> = FILES
        .iter()
        .copied()
        .filter(|(name, _, _)| filter.as_deref().is_none_or(|f| name.contains(f)))
        .collect();
    assert!(
        !files.is_empty(),
        "{ENV_FILTER}={filter:?} matches no listed file"
    );
    println!(
        "Proving WebAssembly spec-test runs from {} ({} per function, {} per file, traces up \
         to {} rows)",
        dir.display(),
        budget.per_func,
        budget.per_file,
        budget.max_rows
    );

    // The scripts are independent: one worker per core takes the next script (the runs of
    // one script stay in order, as the spec requires); reports are printed in list order.
    let next = std::sync::atomic::AtomicUsize::new(0);
    let done: std::sync::Mutex<Vec<Option<(FileReport, Duration)>>> =
        std::sync::Mutex::new((0..files.len()).map(|_| None).collect());
    let workers = std::thread::available_parallelism()
        .map_or(1, |n| n.get())
        .min(files.len());
    std::thread::scope(|scope| {
        for _ in 0..workers {
            scope.spawn(|| loop {
                let i = next.fetch_add(1, std::sync::atomic::Ordering::Relaxed);
                let Some((name, _, _)) = files.get(i) else {
                    break;
                };
                let t0 = Instant::now();
                let report = run_file(&dir.join(name), &budget);
                done.lock().unwrap()[i] = Some((report, t0.elapsed()));
            });
        }
    });
    let mut reports = Vec::new();
    let (mut total, mut total_traps) = (Tally::default(), Tally::default());
    for entry in done.into_inner().unwrap() {
        let (report, took) = entry.expect("every script was run");
        println!(
            "{} [{:.1} s]",
            summary_lines(&report.name, &report.tally, &report.traps),
            took.as_secs_f64()
        );
        total.add(&report.tally);
        total_traps.add(&report.traps);
        reports.push(report);
    }
    println!("{}", summary_lines("total", &total, &total_traps));
    println!(
        "assert_return skipped by reason: {}\n\
         assert_return not provable yet by instruction: {}\n\
         assert_trap skipped by reason: {}\n\
         assert_trap not provable yet by instruction: {}",
        total.skip_reasons(),
        total.not_provable_instrs(),
        total_traps.skip_reasons(),
        total_traps.not_provable_instrs()
    );
    println!(
        "proving and verifying took {:.1} s of {:.1} s",
        total.proving_time.as_secs_f64(),
        started.elapsed().as_secs_f64()
    );
    println!("\n{}", markdown_table(&reports, &total, &total_traps));

    let mut message = String::new();
    let failures: Vec<&Failure> = reports.iter().flat_map(|r| &r.failures).collect();
    if !failures.is_empty() {
        let _ = writeln!(
            message,
            "{} assertion(s) failed; the first {}:",
            failures.len(),
            failures.len().min(MAX_LISTED_FAILURES)
        );
        for f in failures.iter().take(MAX_LISTED_FAILURES) {
            let _ = writeln!(message, "  {}: {}", f.location, f.message);
        }
    }
    let mut below = Vec::new();
    let mut raised = false;
    for (r, (_, proven, refused)) in reports.iter().zip(&files) {
        if budget.default && r.tally.proven < *proven {
            below.push(format!(
                "{} proves {} (floor {proven})",
                r.name, r.tally.proven
            ));
        }
        if r.traps.refused < *refused {
            below.push(format!(
                "{} refuses {} assert_trap call(s) with the trap (floor {refused})",
                r.name, r.traps.refused
            ));
        }
        raised |= r.tally.proven > *proven || r.traps.refused > *refused;
    }
    if !below.is_empty() {
        let _ = writeln!(message, "below the floors in FILES: {}", below.join(", "));
    }
    if !budget.default {
        println!(
            "{ENV_PER_FUNC}, {ENV_PER_FILE} or {ENV_MAX_ROWS} is set: the floors of proven \
             calls in FILES are not checked"
        );
    } else if raised && filter.is_none() {
        println!("Some files exceed their floors; the raised table for FILES:");
        println!("const FILES: &[(&str, usize, usize)] = &[");
        for (r, (name, proven, refused)) in reports.iter().zip(&files) {
            println!(
                "    ({name:?}, {}, {}),",
                r.tally.proven.max(*proven),
                r.traps.refused.max(*refused)
            );
        }
        println!("];");
    }
    assert!(message.is_empty(), "\n{message}");
}
