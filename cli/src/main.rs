//! `gloam`: run, prove and verify WebAssembly functions with the Gloam zkVM.
//!
//! Every failure is reported as one `error: ...` line on stderr (plus a JSON object on stdout
//! under `--json`) and a distinct exit code, listed in [`exit`] and in `gloam --help`.

use std::fmt::Write as _;
use std::io::{IsTerminal, Write as _};
use std::panic::{catch_unwind, AssertUnwindSafe};
use std::path::{Path, PathBuf};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use clap::{Args, Parser, Subcommand};
use gloam_air::proof_file::ProofFile;
use gloam_executor::{ExecError, Limits, Store, Value as WasmValue};
use gloam_isa::{FuncSig, IntValue, Program, TrapKind, ValType};
use gloam_prover::{Phase, ProveConfig, ProveError, ZkMode};
use gloam_verifier::VerifyError;
use serde_json::{json, Map, Value};

mod new;
mod node;
mod split;

/// Process exit codes. Keep in sync with [`EXIT_CODES_HELP`].
pub mod exit {
    /// Success (for `verify`: the proof was accepted).
    pub const OK: i32 = 0;
    /// `verify`: the proof was rejected (wrong program, invalid claim, failed STARK check).
    pub const REJECTED: i32 = 1;
    /// Usage error: bad command line, unknown entry function, wrong number of arguments.
    pub const USAGE: i32 = 2;
    /// The module was refused: unreadable file, invalid WebAssembly, unsupported instruction.
    pub const MODULE: i32 = 3;
    /// The run trapped (run / prove).
    pub const TRAP: i32 = 4;
    /// The run ran out of fuel (run / prove).
    pub const OUT_OF_FUEL: i32 = 5;
    /// Proving failed for another reason (trace too long, STARK prover error, output not
    /// writable).
    pub const PROVE_FAILED: i32 = 6;
    /// `verify`: the proof file is unreadable or malformed.
    pub const PROOF_FILE: i32 = 7;
    /// Internal error: a bug in Gloam (a panic caught by the command line tool).
    pub const INTERNAL: i32 = 8;
    /// `node submit`: the node refused the transaction (duplicate, forged proof, ...).
    pub const NODE_REFUSED: i32 = 9;
    /// `node submit/status`: the node is unreachable, or finality timed out.
    pub const NODE_UNREACHABLE: i32 = 10;
    /// `node dev/init/start`: bad configuration, or a port or folder is unusable.
    pub const NODE_CONFIG: i32 = 11;
    /// `prove`: the run is too large to prove within the memory limit (`--max-memory`,
    /// default the machine's available memory); refused before the trace is built.
    pub const TOO_LARGE: i32 = 12;
}

/// The exit-code table of `gloam --help`.
const EXIT_CODES_HELP: &str = "\
Exit codes:
  0  success (verify: the proof was accepted)
  1  proof rejected (verify: wrong program, invalid claim, STARK check failed)
  2  usage error (bad arguments, unknown entry function, wrong argument count)
  3  module refused (unreadable file, invalid WebAssembly, unsupported instruction or type)
  4  the run trapped (run, prove): trap kind, function and wasm offset are printed
  5  the run ran out of fuel (run, prove)
  6  proving failed otherwise (trace too long, STARK prover error, output not writable)
  7  proof file unreadable or malformed (verify)
  8  internal error (a bug in Gloam; please report it)
  9  the node refused the transaction (node submit): the reason is printed
 10  node unreachable or finality timed out (node submit, node status)
 11  node configuration unusable or node cannot start (node dev, init, start)
 12  the run is too large to prove within the memory limit (prove --max-memory): the
     estimate, the limit and what to do are printed

Errors are printed to stderr as `error: ...` lines. With --json, stdout also receives one
JSON object {\"error\": \"...\", \"exit_code\": N} (verify adds \"verified\": false).

Examples:
  gloam run examples/fib/fib.wasm --entry fib --args 10
  gloam prove examples/fib/fib.wasm --entry fib --args 10 -o fib.proof
  gloam verify examples/fib/fib.wasm fib.proof
  gloam node dev &   gloam node submit examples/fib/fib.wasm fib.proof";

const ARGS_HELP: &str = "Comma-separated arguments of the entry function: decimal \
(4294967295), negative (two's complement: -5 = 4294967291 as i32) or hex (0xff); 32 bits for \
i32 parameters, 64 bits for i64 parameters. Omit for functions without parameters. `prove` \
records each value's type in the proof file.";

#[derive(Parser, Debug)]
#[command(
    name = "gloam",
    version,
    about = "Gloam: run, prove and verify WebAssembly functions with a STARK zkVM",
    long_about = "Gloam lowers a WebAssembly module (binary .wasm or text .wat; i32 arithmetic, \
locals, structured control flow and direct calls) to its own instruction set, runs an exported \
function, and proves the run with a winterfell STARK. A verifier holding the same module checks \
the proof without re-executing it.",
    after_help = EXIT_CODES_HELP,
    propagate_version = true
)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand, Debug)]
enum Command {
    /// Run an exported function (fast path, no proof) and report results and cycle counts.
    #[command(after_help = "Exit codes: 0 ok, 2 usage, 3 module refused, 4 trap, 5 out of fuel.")]
    Run(RunArgs),
    /// Run an exported function and prove the run, writing a proof file.
    #[command(
        after_help = "Exit codes: 0 ok, 2 usage, 3 module refused, 4 trap, 5 out of fuel, \
6 proving failed (trace too long, STARK error, output not writable), 12 too large for the \
memory limit.

What a proof states: the module (its program hash, importing nothing but the contract \
interface, every active segment in bounds, its start function run first) run from the entry \
on the typed arguments and the public input, with some private input, halts after the cycles \
with the results, having committed the journal. Stack limits are not part of it: WebAssembly leaves them to the \
implementation, so a run that exhausts this prover's call-stack limits (call depth 16384, \
2^22 frame slots) is refused here, but its result is the one a prover with larger limits \
proves."
    )]
    Prove(ProveArgs),
    /// Execute a run and write one job file per segment, for proving the segments in
    /// separate processes (`prove-segment`) and assembling them (`assemble`).
    #[command(
        after_help = "Exit codes: 0 ok, 2 usage, 3 module refused, 4 trap, 5 out of fuel, 6 the run cannot be cut so."
    )]
    Split(split::SplitArgs),
    /// Prove one segment of a split run: round 1 commits its main trace, round 2 (once
    /// `assemble` wrote the challenges) finishes its proof.
    #[command(
        name = "prove-segment",
        after_help = "Exit codes: 0 ok, 2 usage, 3 module refused, 6 proving failed."
    )]
    ProveSegment(split::ProveSegmentArgs),
    /// Assemble a split run: after round 1 the shared challenges, after round 2 the proof file.
    #[command(after_help = "Exit codes: 0 ok, 2 usage, 6 proving failed.")]
    Assemble(split::AssembleArgs),
    /// Verify a proof file against a module, without re-executing it.
    #[command(
        after_help = "Exit codes: 0 proof accepted, 1 proof rejected, 2 usage, \
3 module refused, 7 proof file unreadable or malformed."
    )]
    Verify(VerifyArgs),
    /// Write a contract project (Rust with gloam-sdk, or C with gloam.h) that builds for
    /// wasm32 and has a test running it through `gloam run`.
    #[command(after_help = "Exit codes: 0 ok, 2 usage (bad name, existing directory, I/O).")]
    New(new::NewArgs),
    /// Print the module lowered to Gloam instructions, with its program hash and exports.
    #[command(after_help = "Exit codes: 0 ok, 2 usage, 3 module refused.")]
    Disasm(DisasmArgs),
    /// Run proof-of-stake validators that accept runs by verifying their proofs, and submit
    /// proven runs to them.
    Node(node::NodeArgs),
}

/// Module, entry function and arguments (shared by `run` and `prove`).
#[derive(Args, Debug)]
struct Invocation {
    /// WebAssembly module: binary (.wasm) or text (.wat).
    #[arg(value_name = "MODULE")]
    module: PathBuf,
    /// Exported function to call. May be omitted when the module exports exactly one function.
    #[arg(short, long, value_name = "NAME")]
    entry: Option<String>,
    #[arg(short, long, value_name = "A,B,...", help = ARGS_HELP, allow_hyphen_values = true,
          value_parser = parse_arg_list)]
    args: Option<ArgList>,
    /// Public input the contract reads with `gloam.read_public`: hex bytes, or @FILE for a
    /// file's bytes. Part of a proof's statement (at most 1 MiB).
    #[arg(long, value_name = "HEX|@FILE", value_parser = parse_stream)]
    public_input: Option<Stream>,
    /// Private input the contract reads with `gloam.read_private`: hex bytes, or @FILE. Never
    /// part of a statement, a proof file or any output.
    #[arg(long, value_name = "HEX|@FILE", value_parser = parse_stream)]
    private_input: Option<Stream>,
}

/// Bytes given on the command line (`--public-input`, `--private-input`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct Stream(Vec<u8>);

/// Parses hex bytes (an optional `0x`, whitespace and `_` ignored) or `@FILE`.
fn parse_stream(s: &str) -> Result<Stream, String> {
    if let Some(path) = s.strip_prefix('@') {
        return std::fs::read(path)
            .map(Stream)
            .map_err(|e| format!("cannot read input file {path}: {e}"));
    }
    let t: String = s
        .trim()
        .trim_start_matches("0x")
        .chars()
        .filter(|c| !c.is_whitespace() && *c != '_')
        .collect();
    hex::decode(&t)
        .map(Stream)
        .map_err(|e| format!("`{s}` is not hex bytes ({e}); use @FILE for a file"))
}

impl Invocation {
    /// The input streams given.
    fn io(&self) -> gloam_executor::IoInput {
        gloam_executor::IoInput {
            public: self.public_input.clone().unwrap_or_default().0,
            private: self.private_input.clone().unwrap_or_default().0,
        }
    }
}

#[derive(Args, Debug)]
struct RunArgs {
    #[command(flatten)]
    inv: Invocation,
    /// Maximum number of cycles (Gloam instructions) before the run is stopped [default: 2^32].
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Print one JSON object {results, cycles, wasm_instrs, cycles_per_wasm_instr, run_ms}.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct ProveArgs {
    #[command(flatten)]
    inv: Invocation,
    /// Where to write the proof file.
    #[arg(short, long, value_name = "FILE")]
    output: PathBuf,
    /// Maximum number of cycles [default: 2^29, the longest run the prover proves; runs
    /// longer than one proof (2^22 - 1 cycles, or what fits --max-memory) are proven in
    /// segments].
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// Prove the run in segments of N rows (a power of two from 16384 to 4194304), each a
    /// zero-knowledge proof, linked into one statement (docs/air.md §5, Segments). Without it,
    /// a run is split into segments of 131072 rows only when one proof cannot hold it.
    #[arg(long, value_name = "N")]
    segment_rows: Option<usize>,
    /// Refuse, before building the trace, a run whose estimated peak proving memory exceeds
    /// SIZE (bytes, or with a unit: 512MiB, 8GiB, 8GB) [default: the machine's available
    /// memory]. The estimate is about 16.1 KB per trace row, 18.6 KB for programs with memory or globals (docs/air.md §6).
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_memory: Option<u64>,
    /// Directory where a run proven in segments keeps, between its two passes, the segments'
    /// main commitments that do not fit --max-memory (about 1 GB a 2^17-row segment, in one
    /// unnamed temporary file, checked when read back) instead of rebuilding them [default:
    /// the system's temporary directory]
    #[arg(long, value_name = "DIR")]
    spill_dir: Option<PathBuf>,
    /// Most disk a run proven in segments spills to (SIZE as for --max-memory; 0: never
    /// spill, rebuild instead) [default: half the spill directory's free space; none on a
    /// file system kept in memory (tmpfs), or for a run with a private input, whose trace the
    /// file would hold in the clear]
    #[arg(long, value_name = "SIZE", value_parser = parse_size)]
    max_disk: Option<u64>,
    /// Zero-knowledge: `auto` hides the trace when the run has a private input or the module
    /// imports `gloam.read_private`; `on` always; `off` gives a transparent proof (faster;
    /// the queried trace rows are in the proof) (docs/zk.md).
    #[arg(long, value_name = "MODE", default_value = "auto", value_parser = ["auto", "on", "off"])]
    zk: String,
    /// Print one JSON object (results, cycles, trace shape, timings, proof size, security,
    /// program hash, output path) and no progress.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct VerifyArgs {
    /// The WebAssembly module (.wasm or .wat) the proof claims to be about.
    #[arg(value_name = "MODULE")]
    module: PathBuf,
    /// The proof file written by `gloam prove`.
    #[arg(value_name = "FILE")]
    proof: PathBuf,
    /// Print one JSON object {verified, program_hash, entry, args, results, cycles, security
    /// bits, verify_ms, error (when rejected)}.
    #[arg(long)]
    json: bool,
}

#[derive(Args, Debug)]
struct DisasmArgs {
    /// WebAssembly module: binary (.wasm) or text (.wat).
    #[arg(value_name = "MODULE")]
    module: PathBuf,
}

/// Parsed `--args` value: each argument as a 64-bit pattern, with its text for messages.
/// `i32` parameters take it through [`parse_word`]'s 32-bit range check.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
struct ArgList(Vec<(String, u64)>);

impl ArgList {
    /// The arguments as `i32` words.
    fn words(&self) -> Result<Vec<u32>, Failure> {
        self.0
            .iter()
            .map(|(t, _)| parse_word(t).map_err(|e| Failure::new(exit::USAGE, e)))
            .collect()
    }
}

fn parse_arg_list(s: &str) -> Result<ArgList, String> {
    if s.trim().is_empty() {
        return Ok(ArgList::default());
    }
    s.split(',')
        .map(|t| parse_word64(t).map(|v| (t.trim().to_string(), v)))
        .collect::<Result<_, _>>()
        .map(ArgList)
}

/// Parses a memory size: plain bytes or a number with a unit (`8GiB`, `512 MB`).
fn parse_size(s: &str) -> Result<u64, String> {
    s.trim()
        .parse::<bytesize::ByteSize>()
        .map(|b| b.as_u64())
        .map_err(|e| format!("`{s}` is not a memory size (e.g. 8GiB, 512MiB): {e}"))
}

/// Parses one 64-bit argument: decimal u64, negative i64 (two's complement) or `0x` hex.
fn parse_word64(s: &str) -> Result<u64, String> {
    let t = s.trim();
    let (neg, mag) = match t.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, t.strip_prefix('+').unwrap_or(t)),
    };
    let mag = mag.replace('_', "");
    let value = if let Some(hex) = mag.strip_prefix("0x").or_else(|| mag.strip_prefix("0X")) {
        u64::from_str_radix(hex, 16)
    } else {
        mag.parse::<u64>()
    }
    .map_err(|_| format!("`{t}` is not a 64-bit number (use decimal, -decimal or 0x hex)"))?;
    if neg {
        if value > 1 << 63 {
            return Err(format!("`{t}` is below the i64 minimum"));
        }
        Ok((value as i64).wrapping_neg() as u64)
    } else {
        Ok(value)
    }
}

/// Parses one argument: decimal u32, negative i32 (two's complement) or `0x` hex, optionally
/// signed.
fn parse_word(s: &str) -> Result<u32, String> {
    let t = s.trim();
    let v = parse_word64(t)
        .map_err(|_| format!("`{t}` is not a number (use decimal, -decimal or 0x hex)"))?;
    if t.starts_with('-') {
        let x = v as i64;
        if x < i32::MIN as i64 {
            return Err(format!("`{t}` is below the i32 minimum -2147483648"));
        }
        Ok(x as i32 as u32)
    } else {
        u32::try_from(v).map_err(|_| format!("`{t}` does not fit in 32 bits (maximum 4294967295)"))
    }
}

/// A failed command: exit code, message, and extra fields for the JSON error object.
#[derive(Debug)]
struct Failure {
    code: i32,
    msg: String,
    extra: Map<String, Value>,
}

impl Failure {
    fn new(code: i32, msg: impl Into<String>) -> Self {
        Failure {
            code,
            msg: msg.into(),
            extra: Map::new(),
        }
    }

    fn with(mut self, key: &str, value: Value) -> Self {
        self.extra.insert(key.to_string(), value);
        self
    }
}

type CmdResult = Result<(), Failure>;

// ---------------------------------------------------------------------------------------------
// Output helpers

/// Writes to stdout, ignoring a closed pipe (`gloam disasm m.wasm | head`).
fn emit(text: &str) {
    let mut out = std::io::stdout().lock();
    let _ = out.write_all(text.as_bytes());
    let _ = out.flush();
}

fn emit_json(v: &Value) {
    emit(&format!("{v}\n"));
}

/// Bytes as lowercase hex, with their count; long ones cut after 64 bytes.
fn fmt_bytes(b: &[u8]) -> String {
    if b.len() <= 64 {
        format!("{} ({} bytes)", hex::encode(b), b.len())
    } else {
        format!("{}... ({} bytes)", hex::encode(&b[..64]), b.len())
    }
}

fn ms(d: Duration) -> f64 {
    d.as_secs_f64() * 1e3
}

fn fmt_duration(d: Duration) -> String {
    let s = d.as_secs_f64();
    if s < 1e-3 {
        format!("{:.1} µs", s * 1e6)
    } else if s < 1.0 {
        format!("{:.1} ms", s * 1e3)
    } else {
        format!("{s:.2} s")
    }
}

/// `55`, or `4294967291 (i32 -5)` when the top bit is set.
fn fmt_word(w: u32) -> String {
    if w & 0x8000_0000 != 0 {
        format!("{w} (i32 {})", w as i32)
    } else {
        w.to_string()
    }
}

fn fmt_words(ws: &[u32]) -> String {
    if ws.is_empty() {
        "(none)".to_string()
    } else {
        ws.iter()
            .map(|w| fmt_word(*w))
            .collect::<Vec<_>>()
            .join(", ")
    }
}

fn fmt_call(entry: &str, args: &[u32], results: &[u32]) -> String {
    let a = args
        .iter()
        .map(|w| fmt_arg(*w))
        .collect::<Vec<_>>()
        .join(", ");
    let r = results
        .iter()
        .map(|w| fmt_arg(*w))
        .collect::<Vec<_>>()
        .join(", ");
    match results.len() {
        0 => format!("{entry}({a})"),
        1 => format!("{entry}({a}) = {r}"),
        _ => format!("{entry}({a}) = ({r})"),
    }
}

/// The signature of exported function `entry` (checked to exist by [`pick_entry`]).
fn entry_sig(program: &Program, entry: &str) -> FuncSig {
    program.export_sig(entry).cloned().unwrap_or_default()
}

/// Typed values as JSON numbers (bit patterns, as `gloam run --json` prints them).
fn values_json(v: &[IntValue]) -> Value {
    json!(v.iter().map(|x| x.bits()).collect::<Vec<_>>())
}

/// Types of typed values, for JSON (`["i32", "i64"]`).
fn types_json(v: &[IntValue]) -> Value {
    json!(v.iter().map(|x| x.ty().to_string()).collect::<Vec<_>>())
}

/// A typed value for call lines: `i32` as [`fmt_arg`], `i64` signed when negative.
fn fmt_value(v: &IntValue) -> String {
    match *v {
        IntValue::I32(w) => fmt_arg(w),
        IntValue::I64(w) if (w as i64) < 0 => (w as i64).to_string(),
        IntValue::I64(w) => w.to_string(),
    }
}

/// `entry(a, b) = r` for typed values.
fn fmt_call_values(entry: &str, args: &[IntValue], results: &[IntValue]) -> String {
    let join = |v: &[IntValue]| v.iter().map(fmt_value).collect::<Vec<_>>().join(", ");
    match results.len() {
        0 => format!("{entry}({})", join(args)),
        1 => format!("{entry}({}) = {}", join(args), join(results)),
        _ => format!("{entry}({}) = ({})", join(args), join(results)),
    }
}

/// Typed values for the detail lines: `7 (i32), -1 (i64)`.
fn fmt_values(v: &[IntValue]) -> String {
    if v.is_empty() {
        return "(none)".to_string();
    }
    v.iter()
        .map(|x| match x {
            IntValue::I32(w) => format!("{} (i32)", fmt_word(*w)),
            other => format!("{} (i64)", fmt_value(other)),
        })
        .collect::<Vec<_>>()
        .join(", ")
}

/// Compact form for call lines: negative i32 values are shown signed.
fn fmt_arg(w: u32) -> String {
    if w & 0x8000_0000 != 0 {
        (w as i32).to_string()
    } else {
        w.to_string()
    }
}

fn thousands(n: u64) -> String {
    let s = n.to_string();
    let mut out = String::new();
    for (i, ch) in s.chars().enumerate() {
        if i > 0 && (s.len() - i).is_multiple_of(3) {
            out.push(',');
        }
        out.push(ch);
    }
    out
}

// ---------------------------------------------------------------------------------------------
// Panic handling: panics are bugs; report them as one error line, never as a backtrace.

static LAST_PANIC: Mutex<Option<String>> = Mutex::new(None);

fn install_panic_hook() {
    std::panic::set_hook(Box::new(|info| {
        let msg = if let Some(s) = info.payload().downcast_ref::<&str>() {
            (*s).to_string()
        } else if let Some(s) = info.payload().downcast_ref::<String>() {
            s.clone()
        } else {
            "unknown panic".to_string()
        };
        let loc = info
            .location()
            .map(|l| format!(" at {}:{}", l.file(), l.line()))
            .unwrap_or_default();
        if let Ok(mut slot) = LAST_PANIC.lock() {
            slot.get_or_insert(format!("{msg}{loc}"));
        }
    }));
}

/// Runs `f`, turning a panic into a [`Failure`] with exit code `code`.
fn guard<R>(code: i32, what: &str, f: impl FnOnce() -> R) -> Result<R, Failure> {
    catch_unwind(AssertUnwindSafe(f)).map_err(|_| {
        let detail = LAST_PANIC
            .lock()
            .ok()
            .and_then(|mut s| s.take())
            .unwrap_or_default();
        Failure::new(
            code,
            format!("internal error while {what} (a bug in Gloam, please report it): {detail}"),
        )
    })
}

// ---------------------------------------------------------------------------------------------
// Loading and argument checks

fn load(path: &Path) -> Result<Program, Failure> {
    let bytes = std::fs::read(path).map_err(|e| {
        Failure::new(
            exit::MODULE,
            format!("cannot read module {}: {e}", path.display()),
        )
    })?;
    guard(exit::MODULE, "loading the module", || {
        gloam_isa::load_module(&bytes)
    })?
    .map_err(|e| {
        Failure::new(
            exit::MODULE,
            format!("module {} refused: {e}", path.display()),
        )
    })
}

fn signature(program: &Program, name: &str) -> String {
    match program.export_sig(name) {
        Some(sig) => format!(
            "{name}({} param{}) -> {} result{}",
            sig.params.len(),
            if sig.params.len() == 1 { "" } else { "s" },
            sig.results.len(),
            if sig.results.len() == 1 { "" } else { "s" }
        ),
        None => name.to_string(),
    }
}

fn export_list(program: &Program) -> String {
    if program.exports.is_empty() {
        return "none".to_string();
    }
    program
        .exports
        .iter()
        .map(|(n, _)| signature(program, n))
        .collect::<Vec<_>>()
        .join(", ")
}

/// The entry function: the one given, or the module's only export.
fn pick_entry(program: &Program, path: &Path, entry: Option<&str>) -> Result<String, Failure> {
    match entry {
        Some(name) if program.export(name).is_some() => Ok(name.to_string()),
        Some(name) => Err(Failure::new(
            exit::USAGE,
            format!(
                "module {} has no exported function `{name}`; its exported functions: {}",
                path.display(),
                export_list(program)
            ),
        )),
        None if program.exports.len() == 1 => Ok(program.exports[0].0.clone()),
        None => Err(Failure::new(
            exit::USAGE,
            format!(
                "--entry NAME is required; module {} exports: {}",
                path.display(),
                export_list(program)
            ),
        )),
    }
}

fn check_arity(program: &Program, entry: &str, args: &[u32]) -> Result<(), Failure> {
    let params = entry_sig(program, entry).params.len();
    if params != args.len() {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "`{entry}` takes {} argument(s), {} given with --args (signature: {})",
                params,
                args.len(),
                signature(program, entry)
            ),
        ));
    }
    Ok(())
}

fn exec_failure(e: ExecError, fuel_hint: &str) -> Failure {
    match &e {
        ExecError::Trap {
            kind,
            pc,
            func,
            offset,
            cycle,
        } => Failure::new(exit::TRAP, e.to_string())
            .with("trap", json!(kind.to_string()))
            .with("function", json!(func))
            .with("wasm_offset", json!(offset))
            .with("pc", json!(pc))
            .with("cycle", json!(cycle)),
        ExecError::OutOfFuel { fuel } => {
            Failure::new(exit::OUT_OF_FUEL, format!("{e}{fuel_hint}")).with("fuel", json!(fuel))
        }
        ExecError::NoSuchExport(_) | ExecError::ArgCount { .. } | ExecError::ArgType { .. } => {
            Failure::new(exit::USAGE, e.to_string())
        }
        ExecError::UnknownImport { .. } | ExecError::IncompatibleImport { .. } => Failure::new(
            exit::MODULE,
            format!("{e} (the gloam command line provides no host functions)"),
        ),
        ExecError::ResourceLimit(_) => Failure::new(exit::MODULE, e.to_string()),
        ExecError::NotProvable {
            instr,
            func,
            offset,
        } => Failure::new(exit::MODULE, e.to_string())
            .with("instruction", json!(instr))
            .with("function", json!(func))
            .with("wasm_offset", json!(offset)),
        ExecError::PcOutOfRange(_) => Failure::new(
            exit::INTERNAL,
            format!("{e} (a bug in the Gloam front end, please report it)"),
        ),
        ExecError::Stopped => Failure::new(exit::INTERNAL, e.to_string()),
    }
}

// ---------------------------------------------------------------------------------------------
// Commands

fn cmd_run(a: RunArgs) -> CmdResult {
    let program = load(&a.inv.module)?;
    let entry = pick_entry(&program, &a.inv.module, a.inv.entry.as_deref())?;
    let limits = Limits {
        fuel: a.fuel.unwrap_or(Limits::default().fuel),
        ..Limits::default()
    };
    let raw = a.inv.args.clone().unwrap_or_default();
    let sig = entry_sig(&program, &entry);
    // Entries with i64 (or reference) parameters or results print typed values.
    if sig
        .params
        .iter()
        .chain(&sig.results)
        .any(|t| *t != ValType::I32)
    {
        return run_typed(program, &entry, &sig, &raw, &a.inv.io(), limits, a.json);
    }
    let args = raw.words()?;
    check_arity(&program, &entry, &args)?;
    let io = a.inv.io();
    let t = Instant::now();
    let outcome = guard(exit::INTERNAL, "running", || {
        gloam_executor::run_io(&program, &entry, &args, &io, limits)
    })?
    .map_err(|e| exec_failure(e, " (raise the limit with --fuel N)"))?;
    let elapsed = t.elapsed();
    let cpw = (outcome.wasm_instrs > 0).then(|| outcome.cycles as f64 / outcome.wasm_instrs as f64);
    if a.json {
        emit_json(&json!({
            "results": outcome.results,
            "cycles": outcome.cycles,
            "wasm_instrs": outcome.wasm_instrs,
            "cycles_per_wasm_instr": cpw,
            "run_ms": ms(elapsed),
            "journal": hex::encode(&outcome.journal),
        }));
    } else {
        let mut s = String::new();
        let _ = writeln!(s, "{}", fmt_call(&entry, &args, &outcome.results));
        let _ = writeln!(s, "  results        {}", fmt_words(&outcome.results));
        if !outcome.journal.is_empty() {
            let _ = writeln!(s, "  journal        {}", fmt_bytes(&outcome.journal));
        }
        let _ = writeln!(s, "  cycles         {}", thousands(outcome.cycles));
        let _ = writeln!(s, "  wasm instrs    {}", thousands(outcome.wasm_instrs));
        if let Some(c) = cpw {
            let _ = writeln!(s, "  cycles/instr   {c:.3}");
        }
        let _ = writeln!(s, "  time           {}", fmt_duration(elapsed));
        emit(&s);
    }
    Ok(())
}

/// The `--args` values typed by the entry's parameters: 32-bit range check for `i32`, any
/// 64-bit pattern for `i64` (the count is checked by the caller).
fn typed_args(entry: &str, sig: &FuncSig, raw: &ArgList) -> Result<Vec<IntValue>, Failure> {
    let mut args = Vec::new();
    for ((text, v), ty) in raw.0.iter().zip(&sig.params) {
        args.push(match ty {
            ValType::I32 => {
                IntValue::I32(parse_word(text).map_err(|e| Failure::new(exit::USAGE, e))?)
            }
            ValType::I64 => IntValue::I64(*v),
            t => {
                let name = t.to_string();
                let article = if name.starts_with(['a', 'e', 'i', 'o', 'u']) {
                    "an"
                } else {
                    "a"
                };
                return Err(Failure::new(
                    exit::USAGE,
                    format!(
                        "`{entry}` takes {article} {name} parameter, which the command line cannot pass"
                    ),
                ));
            }
        });
    }
    Ok(args)
}

/// `gloam run` of an entry whose signature has `i64` (or reference) parameters or results:
/// typed invocation through a store.
fn run_typed(
    program: Program,
    entry: &str,
    sig: &FuncSig,
    raw: &ArgList,
    io: &gloam_executor::IoInput,
    limits: Limits,
    json_out: bool,
) -> CmdResult {
    if raw.0.len() != sig.params.len() {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "`{entry}` takes {} argument(s), {} given with --args (signature: {sig})",
                sig.params.len(),
                raw.0.len()
            ),
        ));
    }
    let args: Vec<WasmValue> = typed_args(entry, sig, raw)?
        .into_iter()
        .map(|v| match v {
            IntValue::I32(w) => WasmValue::I32(w),
            IntValue::I64(w) => WasmValue::I64(w),
        })
        .collect();
    let t = Instant::now();
    let integer = sig.params.iter().chain(&sig.results).all(|t| !t.is_ref());
    let (results, cycles, wasm_instrs, journal) = guard(exit::INTERNAL, "running", || {
        if integer {
            // As `run` of all-`i32` entries: a start function runs in the same run, counted
            // with it (what a proof states).
            let words = WasmValue::to_words(&args);
            let out = gloam_executor::run_io(&program, entry, &words, io, limits)?;
            let results = WasmValue::from_words(&sig.results, &out.results)
                .expect("the run returns the signature's result words");
            return Ok((results, out.cycles, out.wasm_instrs, out.journal));
        }
        let mut store = Store::new(limits);
        let inst = store.instantiate(Arc::new(program))?;
        store
            .invoke_counted(inst, entry, &args)
            .map(|(r, c, w)| (r, c, w, Vec::new()))
    })?
    .map_err(|e| exec_failure(e, " (raise the limit with --fuel N)"))?;
    let elapsed = t.elapsed();
    let text = |v: &WasmValue| match v {
        WasmValue::I32(w) => fmt_arg(*w),
        WasmValue::I64(w) if (*w as i64) < 0 => format!("{}", *w as i64),
        other => other.to_string(),
    };
    let cpw = (wasm_instrs > 0).then(|| cycles as f64 / wasm_instrs as f64);
    if json_out {
        let values: Vec<Value> = results
            .iter()
            .map(|v| match v {
                WasmValue::I32(w) => json!(w),
                WasmValue::I64(w) => json!(w),
                other => json!(other.to_string()),
            })
            .collect();
        emit_json(&json!({
            "results": values,
            "result_types": sig.results.iter().map(|t| t.to_string()).collect::<Vec<_>>(),
            "cycles": cycles,
            "wasm_instrs": wasm_instrs,
            "cycles_per_wasm_instr": cpw,
            "run_ms": ms(elapsed),
            "journal": hex::encode(&journal),
        }));
    } else {
        let a: Vec<String> = args.iter().map(text).collect();
        let r: Vec<String> = results.iter().map(text).collect();
        let mut s = String::new();
        let _ = writeln!(s, "{entry}({}) = ({})", a.join(", "), r.join(", "));
        let _ = writeln!(s, "  signature      {sig}");
        if !journal.is_empty() {
            let _ = writeln!(s, "  journal        {}", fmt_bytes(&journal));
        }
        let _ = writeln!(s, "  cycles         {}", thousands(cycles));
        let _ = writeln!(s, "  wasm instrs    {}", thousands(wasm_instrs));
        if let Some(c) = cpw {
            let _ = writeln!(s, "  cycles/instr   {c:.3}");
        }
        let _ = writeln!(s, "  time           {}", fmt_duration(elapsed));
        emit(&s);
    }
    Ok(())
}

fn extension_name(degree: u32) -> &'static str {
    match degree {
        1 => "base field",
        2 => "quadratic extension",
        3 => "cubic extension",
        _ => "extension field",
    }
}

fn cmd_prove(a: ProveArgs) -> CmdResult {
    let program = Arc::new(load(&a.inv.module)?);
    let entry = pick_entry(&program, &a.inv.module, a.inv.entry.as_deref())?;
    let raw = a.inv.args.clone().unwrap_or_default();
    let sig = entry_sig(&program, &entry);
    if raw.0.len() != sig.params.len() {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "`{entry}` takes {} argument(s), {} given with --args (signature: {sig})",
                sig.params.len(),
                raw.0.len()
            ),
        ));
    }
    let values = typed_args(&entry, &sig, &raw)?;
    // Fail before the (long) proof if the output cannot be written.
    if let Some(dir) = a.output.parent().filter(|d| !d.as_os_str().is_empty()) {
        if !dir.is_dir() {
            return Err(Failure::new(
                exit::PROVE_FAILED,
                format!(
                    "cannot write proof file {}: directory {} does not exist",
                    a.output.display(),
                    dir.display()
                ),
            ));
        }
    }
    if a.output.is_dir() {
        return Err(Failure::new(
            exit::PROVE_FAILED,
            format!(
                "cannot write proof file {}: it is a directory",
                a.output.display()
            ),
        ));
    }

    let mut cfg = ProveConfig {
        max_memory: a.max_memory,
        segment_rows: a.segment_rows,
        spill_dir: a.spill_dir.clone(),
        max_disk: a.max_disk,
        zero_knowledge: match a.zk.as_str() {
            "on" => ZkMode::On,
            "off" => ZkMode::Off,
            _ => ZkMode::Auto,
        },
        ..ProveConfig::default()
    };
    let default_fuel = cfg.limits.fuel;
    if let Some(f) = a.fuel {
        cfg.limits.fuel = f;
    }
    let fuel_hint = if a.fuel.is_some() {
        " (raise the limit with --fuel N)".to_string()
    } else {
        format!(
            " (the prover records at most {} cycles)",
            thousands(default_fuel)
        )
    };
    let bar = (!a.json && std::io::stderr().is_terminal()).then(|| {
        let pb = indicatif::ProgressBar::new(Phase::COUNT);
        let style = indicatif::ProgressStyle::with_template(
            "{spinner:.green} proving [{bar:24.cyan/blue}] {pos}/{len} {msg} ({elapsed})",
        )
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_bar())
        .progress_chars("=> ");
        pb.set_style(style);
        pb.enable_steady_tick(Duration::from_millis(100));
        pb
    });
    if let Some(pb) = &bar {
        let pb = pb.clone();
        cfg.progress = Some(Arc::new(move |p: Phase| {
            pb.set_position(p.index().min(Phase::COUNT));
            pb.set_message(p.label());
        }));
        let pb = bar.clone().expect("a bar");
        cfg.segment_progress = Some(Arc::new(
            move |p: gloam_prover::segments::SegmentProgress| {
                let what = if p.pass == 1 { "committing" } else { "proving" };
                let rate = p.cycles_done as f64 / p.elapsed.max(1e-3);
                pb.set_length(p.total as u64);
                pb.set_position(p.done as u64);
                pb.set_message(format!(
                    "segments, pass {}/2 ({what}), {} cycles/s",
                    p.pass,
                    thousands(rate as u64)
                ));
            },
        ));
    }

    let t = Instant::now();
    let result = guard(exit::PROVE_FAILED, "proving", || {
        gloam_prover::prove_io(program.clone(), &entry, &values, &a.inv.io(), &cfg)
    });
    let total = t.elapsed();
    if let Some(pb) = &bar {
        pb.finish_and_clear();
    }
    let run = result?.map_err(|e| match e {
        ProveError::Exec(
            e @ ExecError::Trap {
                kind: TrapKind::StackExhausted,
                ..
            },
        ) => {
            let mut f = exec_failure(e, "");
            f.msg.push_str(
                " (a resource limit of this prover, not part of the proven statement: \
                 WebAssembly leaves stack limits to the implementation; see `gloam prove --help`)",
            );
            f
        }
        ProveError::Exec(e @ ExecError::Trap { .. }) => {
            let mut f = exec_failure(e, "");
            f.msg.push_str(" (a trapping run cannot be proven)");
            f
        }
        e @ ProveError::Setup(_) => Failure::new(exit::MODULE, e.to_string()),
        e @ ProveError::Io(_) => Failure::new(exit::USAGE, e.to_string()),
        e @ ProveError::Args { .. } => Failure::new(exit::USAGE, e.to_string()),
        e @ ProveError::TooLarge {
            rows,
            estimate,
            limit,
            ..
        } => Failure::new(exit::TOO_LARGE, e.to_string())
            .with("trace_rows", json!(rows))
            .with("estimated_peak_memory_bytes", json!(estimate))
            .with("memory_limit_bytes", json!(limit)),
        ProveError::Exec(e) => exec_failure(e, &fuel_hint),
        ProveError::Trace(e) => {
            Failure::new(exit::PROVE_FAILED, format!("cannot build the trace: {e}"))
        }
        e @ ProveError::Stark(_) => Failure::new(exit::PROVE_FAILED, e.to_string()),
        e @ ProveError::Segments(_) => Failure::new(exit::PROVE_FAILED, e.to_string()),
        e @ ProveError::Diverged { .. } => Failure::new(exit::INTERNAL, e.to_string()),
    })?;

    let bytes = run.file.to_bytes();
    std::fs::write(&a.output, &bytes).map_err(|e| {
        Failure::new(
            exit::PROVE_FAILED,
            format!("cannot write proof file {}: {e}", a.output.display()),
        )
    })?;

    let st = &run.stats;
    let ext = cfg.options.field_extension().degree();
    let hash = program.hash().to_string();
    if a.json {
        emit_json(&json!({
            "program_hash": hash,
            "entry": entry,
            "args": values_json(&run.file.args),
            "arg_types": types_json(&run.file.args),
            "results": values_json(&run.file.results),
            "result_types": types_json(&run.file.results),
            "cycles": run.outcome.cycles,
            "wasm_instrs": run.outcome.wasm_instrs,
            "public_input": hex::encode(&run.file.public_input),
            "journal": hex::encode(&run.file.journal),
            "zero_knowledge": run.file.zero_knowledge,
            "segments": st.segments,
            "parallel_segments": st.parallel_segments,
            "spill_bytes": st.spill_bytes,
            "trace_rows": st.trace_rows,
            "trace_columns": st.main_columns + st.aux_columns,
            "main_columns": st.main_columns,
            "aux_columns": st.aux_columns,
            "field_extension_degree": ext,
            "execute_ms": ms(st.execute),
            "trace_ms": ms(st.build_trace),
            "stark_ms": ms(st.stark),
            "prove_ms": ms(total),
            "proof_bytes": bytes.len(),
            "stark_proof_bytes": st.proof_bytes,
            "conjectured_security_bits": st.conjectured_bits,
            "proven_security_bits": st.proven_bits,
            "estimated_peak_memory_bytes": st.estimated_peak_memory,
            "output": a.output.display().to_string(),
        }));
    } else {
        let o = &cfg.options;
        let mut s = String::new();
        let _ = writeln!(
            s,
            "proved {}",
            fmt_call_values(&entry, &run.file.args, &run.file.results)
        );
        let _ = writeln!(s, "  program    {hash}");
        let _ = writeln!(s, "  results    {}", fmt_values(&run.file.results));
        if !run.file.journal.is_empty() {
            let _ = writeln!(s, "  journal    {}", fmt_bytes(&run.file.journal));
        }
        let _ = writeln!(s, "  cycles     {}", thousands(run.outcome.cycles));
        if st.segments > 1 || run.file.segmented {
            let _ = writeln!(
                s,
                "  segments   {} of {} rows, {} proven at once; {} cycles/s",
                st.segments,
                st.trace_rows,
                st.parallel_segments,
                thousands((run.outcome.cycles as f64 / total.as_secs_f64().max(1e-3)) as u64)
            );
            if st.spill_bytes > 0 {
                let _ = writeln!(
                    s,
                    "  spilled    {} of pass-1 commitments to disk, read back in pass 2",
                    bytesize::ByteSize::b(st.spill_bytes)
                );
            }
        }
        let _ = writeln!(
            s,
            "  trace      {} x {} main + {} aux ({}) columns",
            st.trace_rows,
            st.main_columns,
            st.aux_columns,
            extension_name(ext)
        );
        let _ = writeln!(
            s,
            "  time       execute {}, trace {}, STARK {}; total {}",
            fmt_duration(st.execute),
            fmt_duration(st.build_trace),
            fmt_duration(st.stark),
            fmt_duration(total)
        );
        let _ = writeln!(
            s,
            "  proof      {} bytes ({} bytes STARK proof), written to {}",
            thousands(bytes.len() as u64),
            thousands(st.proof_bytes as u64),
            a.output.display()
        );
        let _ = writeln!(
            s,
            "  ZK         {}",
            if st.zero_knowledge {
                "yes (the proof hides the trace and the private input)"
            } else if run.file.segmented {
                "no (segments: each segment's proof is randomised, but the boundary states and running sums are public)"
            } else {
                "no (transparent proof)"
            }
        );
        let queries = if st.zero_knowledge || run.file.segmented {
            gloam_air::zk::ZK_QUERIES
        } else {
            o.num_queries()
        };
        let _ = writeln!(
            s,
            "  security   {} bits conjectured, {} bits proven ({} queries, blowup {}, grinding {} bits)",
            st.conjectured_bits,
            st.proven_bits,
            queries,
            o.blowup_factor(),
            o.grinding_factor()
        );
        emit(&s);
    }
    Ok(())
}

fn verify_failure(e: VerifyError, path: &Path) -> Failure {
    let code = match &e {
        VerifyError::File(_) | VerifyError::Malformed(_) => exit::PROOF_FILE,
        VerifyError::Program(_) | VerifyError::Setup(_) => exit::MODULE,
        VerifyError::WrongProgram { .. }
        | VerifyError::Claim(_)
        | VerifyError::Shape(_)
        | VerifyError::Rejected(_)
        | VerifyError::Internal => exit::REJECTED,
    };
    let msg = match &e {
        VerifyError::WrongProgram { .. } => {
            format!("proof rejected: {e} (it was made for a different or modified module)")
        }
        VerifyError::Claim(_) | VerifyError::Shape(_) => format!("proof rejected: {e}"),
        VerifyError::File(_) | VerifyError::Malformed(_) => {
            let hint = if e.to_string().contains("unexpected end of file") {
                " (the file looks truncated)"
            } else {
                ""
            };
            format!("cannot use proof file {}: {e}{hint}", path.display())
        }
        _ => e.to_string(),
    };
    Failure::new(code, msg)
}

fn cmd_verify(a: VerifyArgs) -> CmdResult {
    let program = Arc::new(load(&a.module)?);
    // Refuse oversized files before reading them into memory.
    let max = gloam_air::proof_file::MAX_FILE_BYTES;
    if let Ok(meta) = std::fs::metadata(&a.proof) {
        if meta.len() > max as u64 {
            return Err(Failure::new(
                exit::PROOF_FILE,
                format!(
                    "cannot use proof file {}: {} bytes exceeds the {max}-byte limit",
                    a.proof.display(),
                    meta.len()
                ),
            ));
        }
    }
    let bytes = std::fs::read(&a.proof).map_err(|e| {
        Failure::new(
            exit::PROOF_FILE,
            format!("cannot read proof file {}: {e}", a.proof.display()),
        )
    })?;
    // The claim, for reporting a rejection (the verifier decodes the file itself).
    let claim = ProofFile::from_bytes(&bytes).ok();
    let t = Instant::now();
    let result = guard(exit::REJECTED, "verifying", || {
        gloam_verifier::verify_file(&program, &bytes)
    })?;
    let elapsed = t.elapsed();
    let st = match result {
        Ok(st) => st,
        Err(e) => {
            let mut f = verify_failure(e, &a.proof).with("verify_ms", json!(ms(elapsed)));
            if let Some(c) = claim {
                f = f
                    .with(
                        "claimed_program_hash",
                        json!(gloam_isa::ProgramHash(c.program_hash).to_string()),
                    )
                    .with("entry", json!(c.entry))
                    .with("args", values_json(&c.args))
                    .with("results", values_json(&c.results))
                    .with("cycles", json!(c.cycles));
            }
            return Err(f.with("program_hash", json!(program.hash().to_string())));
        }
    };
    let c = &st.claim;
    if a.json {
        emit_json(&json!({
            "verified": true,
            "program_hash": st.program_hash.to_string(),
            "entry": c.entry,
            "args": values_json(&c.args),
            "arg_types": types_json(&c.args),
            "results": values_json(&c.results),
            "result_types": types_json(&c.results),
            "cycles": c.cycles,
            "public_input": hex::encode(&c.public_input),
            "journal": hex::encode(&c.journal),
            "zero_knowledge": st.zero_knowledge,
            "segmented": claim.as_ref().is_some_and(|c| c.segmented),
            "segments": st.segments,
            "conjectured_security_bits": st.conjectured_bits,
            "proven_security_bits": st.proven_bits,
            "verify_ms": ms(elapsed),
        }));
    } else {
        let mut s = String::new();
        let _ = writeln!(
            s,
            "verified {}",
            fmt_call_values(&c.entry, &c.args, &c.results)
        );
        let _ = writeln!(s, "  program    {}", st.program_hash);
        let _ = writeln!(s, "  entry      {}", c.entry);
        let _ = writeln!(s, "  args       {}", fmt_values(&c.args));
        let _ = writeln!(s, "  results    {}", fmt_values(&c.results));
        let _ = writeln!(s, "  cycles     {}", thousands(c.cycles));
        if !c.public_input.is_empty() {
            let _ = writeln!(s, "  public in  {}", fmt_bytes(&c.public_input));
        }
        if !c.journal.is_empty() {
            let _ = writeln!(s, "  journal    {}", fmt_bytes(&c.journal));
        }
        let _ = writeln!(
            s,
            "  ZK         {}",
            if st.zero_knowledge {
                "yes (the proof hides the trace and the private input)"
            } else if claim.as_ref().is_some_and(|c| c.segmented) {
                "no (segments: the boundary states and running sums are public)"
            } else {
                "no (transparent proof: the queried trace rows are in it)"
            }
        );
        if st.segments > 1 {
            let _ = writeln!(
                s,
                "  segments   {} (verified in parallel, {:.1} ms each)",
                st.segments,
                elapsed.as_secs_f64() * 1e3 / st.segments as f64
            );
        }
        let _ = writeln!(
            s,
            "  security   {} bits conjectured, {} bits proven",
            st.conjectured_bits, st.proven_bits
        );
        let _ = writeln!(s, "  time       {}", fmt_duration(elapsed));
        emit(&s);
    }
    Ok(())
}

fn cmd_disasm(a: DisasmArgs) -> CmdResult {
    let program = load(&a.module)?;
    let mut s = String::new();
    let _ = writeln!(s, "; module   {}", a.module.display());
    let _ = writeln!(s, "; program  {}", program.hash());
    let _ = writeln!(s, "; exports  {}", export_list(&program));
    let _ = writeln!(s, "; {} instructions", program.instrs.len());
    s.push_str(&program.disassemble());
    emit(&s);
    Ok(())
}

// ---------------------------------------------------------------------------------------------

fn json_requested() -> bool {
    std::env::args_os().skip(1).any(|a| a == "--json")
}

fn main() {
    install_panic_hook();
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            if e.use_stderr() && json_requested() {
                let text = e.render().to_string();
                let first = text.lines().next().unwrap_or("usage error");
                let msg = first.strip_prefix("error: ").unwrap_or(first);
                emit_json(&json!({ "error": msg, "exit_code": exit::USAGE }));
            }
            e.exit();
        }
    };
    let (json, verify) = match &cli.command {
        Command::Run(a) => (a.json, false),
        Command::Prove(a) => (a.json, false),
        Command::Verify(a) => (a.json, true),
        Command::Disasm(_)
        | Command::New(_)
        | Command::Split(_)
        | Command::ProveSegment(_)
        | Command::Assemble(_) => (false, false),
        Command::Node(a) => (a.cmd.json(), false),
    };
    let result = guard(exit::INTERNAL, "running the command", || {
        match cli.command {
            Command::Run(a) => cmd_run(a),
            Command::Prove(a) => cmd_prove(a),
            Command::Split(a) => split::cmd_split(a),
            Command::ProveSegment(a) => split::cmd_prove_segment(a),
            Command::Assemble(a) => split::cmd_assemble(a),
            Command::Verify(a) => cmd_verify(a),
            Command::Disasm(a) => cmd_disasm(a),
            Command::New(a) => new::cmd_new(a).map(|dir| {
                emit(&format!(
                    "created {} (build: ./build.sh, test: ./test.sh)\n",
                    dir.display()
                ))
            }),
            Command::Node(a) => node::cmd_node(a),
        }
    })
    .and_then(|r| r);
    match result {
        Ok(()) => std::process::exit(exit::OK),
        Err(f) => {
            eprintln!("error: {}", f.msg);
            if json {
                let mut obj = Map::new();
                if verify {
                    obj.insert("verified".into(), json!(false));
                }
                obj.extend(f.extra);
                obj.insert("error".into(), json!(f.msg));
                obj.insert("exit_code".into(), json!(f.code));
                emit_json(&Value::Object(obj));
            }
            std::process::exit(f.code);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn words() {
        assert_eq!(parse_word("10"), Ok(10));
        assert_eq!(parse_word(" -5 "), Ok(0xFFFF_FFFB));
        assert_eq!(parse_word("-2147483648"), Ok(0x8000_0000));
        assert!(parse_word("-2147483649").is_err());
        assert_eq!(parse_word("4294967295"), Ok(u32::MAX));
        assert!(parse_word("4294967296").is_err());
        assert_eq!(parse_word("0xff"), Ok(255));
        assert_eq!(parse_word("0XFFFFFFFF"), Ok(u32::MAX));
        assert!(parse_word("0x1_0000_0000").is_err());
        assert!(parse_word("abc").is_err());
        assert!(parse_word("").is_err());
        assert_eq!(parse_arg_list(""), Ok(ArgList(vec![])));
        assert_eq!(
            parse_arg_list("1,-1, 0x10").unwrap().words().unwrap(),
            vec![1, u32::MAX, 16]
        );
        let wide = parse_arg_list("-1,0x1_0000_0000,18446744073709551615").unwrap();
        assert_eq!(
            wide.0.iter().map(|(_, v)| *v).collect::<Vec<_>>(),
            vec![u64::MAX, 1 << 32, u64::MAX]
        );
        assert!(
            wide.words().is_err(),
            "i32 parameters keep the 32-bit check"
        );
        assert!(parse_arg_list("1,x").is_err());
        assert!(parse_word64("-9223372036854775809").is_err());
    }

    #[test]
    fn exit_codes_documented() {
        for (code, word) in [
            (exit::OK, "success"),
            (exit::REJECTED, "proof rejected"),
            (exit::USAGE, "usage error"),
            (exit::MODULE, "module refused"),
            (exit::TRAP, "trapped"),
            (exit::OUT_OF_FUEL, "out of fuel"),
            (exit::PROVE_FAILED, "proving failed"),
            (exit::PROOF_FILE, "proof file"),
            (exit::INTERNAL, "internal error"),
            (exit::NODE_REFUSED, "refused the transaction"),
            (exit::NODE_UNREACHABLE, "unreachable"),
            (exit::NODE_CONFIG, "configuration"),
            (exit::TOO_LARGE, "too large to prove"),
        ] {
            let line = EXIT_CODES_HELP
                .lines()
                .find(|l| l.trim_start().starts_with(&format!("{code} ")))
                .unwrap();
            assert!(line.contains(word), "{line}");
        }
    }

    #[test]
    fn cli_is_consistent() {
        use clap::CommandFactory;
        Cli::command().debug_assert();
    }

    #[test]
    fn formatting() {
        assert_eq!(fmt_word(55), "55");
        assert_eq!(fmt_word(u32::MAX), "4294967295 (i32 -1)");
        assert_eq!(thousands(1234567), "1,234,567");
        assert_eq!(thousands(123), "123");
        assert_eq!(fmt_call("f", &[1, u32::MAX], &[3]), "f(1, -1) = 3");
    }
}
