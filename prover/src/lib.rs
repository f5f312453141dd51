//! # gloam-prover
//!
//! Proves a Gloam run with `winterfell` 0.13 (multi-threaded through rayon): execute with trace
//! recording, build the 92-column main trace ([`trace`]), build the 9 LogUp columns of the
//! auxiliary segment after the main-trace commitment ([`trace::logup`]), and run the STARK prover (LDE with blowup 8,
//! constraint evaluation, DEEP composition, FRI).
//!
//! ```no_run
//! # use std::sync::Arc;
//! let program = Arc::new(gloam_isa::load_module(&std::fs::read("fib.wasm").unwrap()).unwrap());
//! let run = gloam_prover::prove(program, "fib", &[10], &gloam_prover::ProveConfig::default()).unwrap();
//! std::fs::write("fib.proof", run.file.to_bytes()).unwrap();
//! ```
#![deny(missing_docs)]

use std::sync::Arc;
use std::time::{Duration, Instant};

use gloam_air::field::FieldElement;
use gloam_air::logup::{AUX_WIDTH, NUM_RAND};
use gloam_air::proof_file::ProofFile;
use gloam_air::{
    columns::{MAIN_WIDTH, NARROW_WIDTH},
    default_options, Felt, GloamAir, PublicInputs,
};
pub use gloam_executor::IoInput;
use gloam_executor::{ExecError, Limits, Outcome};
use gloam_isa::{IntValue, Program, SetupError};
use winterfell::crypto::{hashers::Blake3_256, DefaultRandomCoin, MerkleTree};
use winterfell::matrix::ColMatrix;
use winterfell::{
    AuxRandElements, CompositionPoly, CompositionPolyTrace, ConstraintCompositionCoefficients,
    DefaultConstraintCommitment, DefaultConstraintEvaluator, DefaultTraceLde, EvaluationFrame,
    PartitionOptions, Proof, ProofOptions, Prover, StarkDomain, Trace, TraceInfo, TracePolyTable,
};

pub mod progress;
pub mod segments;
pub mod trace;
pub mod zk;
pub use progress::Phase;

use trace::{build_aux_columns, build_main_trace_io, trace_rows_io, TraceError};

/// The hash function of Gloam proofs (Merkle commitments and Fiat-Shamir): blake3, 256 bits.
pub type Hasher = Blake3_256<Felt>;

/// Why proving failed.
#[derive(Debug, thiserror::Error)]
pub enum ProveError {
    /// A public input, private input or journal longer than its limit, or a public input or
    /// journal for a module that does not import the interface to use it (`gloam_isa::io`).
    #[error("{0}")]
    Io(String),
    /// The run itself failed (trap, out of fuel, bad entry or arguments).
    #[error(transparent)]
    Exec(#[from] ExecError),
    /// The run cannot be turned into a trace.
    #[error(transparent)]
    Trace(#[from] TraceError),
    /// The module's setup is outside what a proof covers (imports, a start function, a
    /// segment that traps at instantiation); the verifier refuses it the same way.
    #[error("module refused: {0}")]
    Setup(#[from] SetupError),
    /// The arguments do not match the entry function's signature.
    #[error("`{entry}`: {why}")]
    Args {
        /// Entry function.
        entry: String,
        /// What does not match.
        why: String,
    },
    /// Proving this run would need more memory than allowed, even in segments; refused before
    /// building the trace (see [`estimate_peak_memory`]).
    #[error("proving the run needs traces of {rows} rows, about {} of memory, above the limit of {} ({limit_source}). Free memory, use a machine with more, or prove in smaller segments (--segment-rows; a run too long for one proof is already split into segments of 131072 rows)", fmt_bytes(*estimate), fmt_bytes(*limit))]
    TooLarge {
        /// Trace rows the run needs.
        rows: usize,
        /// Estimated peak memory of the prover (bytes).
        estimate: u64,
        /// The limit (bytes).
        limit: u64,
        /// Where the limit came from (configured, or the machine's available memory).
        limit_source: String,
    },
    /// The run cannot be cut into segments of the requested size.
    #[error("segments: {0}")]
    Segments(String),
    /// `winterfell` refused.
    #[error("STARK prover failed: {0}")]
    Stark(String),
    /// The trace-recording interpreter and the fast interpreter disagree on the run's results
    /// or cycles: a bug in Gloam's executor (the proof would state what the recorded run did,
    /// not what `gloam run` reports), so nothing is proven.
    #[error("internal error: the recorded run ({traced}) differs from the fast interpreter's ({fast}); nothing was proven")]
    Diverged {
        /// Results and cycles of the recorded run.
        traced: String,
        /// Results and cycles of the fast interpreter.
        fast: String,
    },
}

/// `n` bytes in binary units (`1.5 GiB`).
pub fn fmt_bytes(n: u64) -> String {
    const UNITS: [&str; 5] = ["B", "KiB", "MiB", "GiB", "TiB"];
    let mut v = n as f64;
    let mut u = 0;
    while v >= 1024.0 && u + 1 < UNITS.len() {
        v /= 1024.0;
        u += 1;
    }
    if u == 0 {
        format!("{n} B")
    } else {
        format!("{v:.1} {}", UNITS[u])
    }
}

/// Fixed part of the prover's peak memory (bytes): the program, the executor, the periodic
/// tables (byte tables of 2^16 entries) and the allocator's slack.
pub const PEAK_MEMORY_BASE: u64 = 16 << 20;

/// Estimated peak memory (bytes) of proving a trace of `rows` rows with `options`.
///
/// `winterfell` keeps the whole low-degree extension: per trace row, `blowup` rows of the
/// main segment (`MAIN_WIDTH` base-field elements of 8 bytes) and of the auxiliary segment
/// (`AUX_WIDTH` extension elements of `8 * degree` bytes), plus the trace itself, its
/// polynomials, the Merkle trees over the LDE and the constraint evaluations. Measured peak
/// RSS divided by that LDE size is 1.83 at 2^14 rows rising to 1.97 at 2^20
/// (`benches/scaling.sh`, README), so the model is
///
/// `PEAK_MEMORY_BASE + rows * blowup * (8 * main_columns + 8 * degree * AUX_WIDTH) * 2.05`,
///
/// with `main_columns` the committed main columns (`PublicInputs::committed_columns`: 105 for
/// a contract using every opcode, 53 for Fibonacci): about 16.4 KB per row for the widest
/// trace with Gloam's options (blowup 8, quadratic extension). The factor was fitted at 92 + 9
/// columns (4-8% above the measured peak at every size from 2^14 to 2^20 rows); with 53
/// committed columns it is 16% above (Fibonacci: 1,094 MB measured at 2^17 rows, 4,346 MB at
/// 2^19).
pub fn estimate_peak_memory(rows: usize, main_columns: usize, options: &ProofOptions) -> u64 {
    let ext = options.field_extension().degree() as u64;
    let lde_row =
        options.blowup_factor() as u64 * (8 * main_columns as u64 + 8 * ext * AUX_WIDTH as u64);
    PEAK_MEMORY_BASE + rows as u64 * lde_row * 41 / 20
}

/// Memory the operating system reports as available to a new allocation (bytes), or `None`
/// where it cannot be read.
pub fn available_memory() -> Option<u64> {
    let mut sys = sysinfo::System::new();
    sys.refresh_memory();
    let a = sys.available_memory();
    (a > 0).then_some(a)
}

/// Bytes available to a new file in `dir`'s file system (`statfs`), and whether that file
/// system keeps its files in memory (tmpfs, ramfs); `None` where it cannot be read (and on
/// systems other than Linux).
pub fn available_disk(dir: &std::path::Path) -> Option<(u64, bool)> {
    #[cfg(target_os = "linux")]
    {
        const TMPFS_MAGIC: u64 = 0x0102_1994;
        const RAMFS_MAGIC: u64 = 0x8584_58f6;
        let st = rustix::fs::statfs(dir).ok()?;
        let kind = st.f_type as u64;
        let free = st.f_bavail.saturating_mul(st.f_bsize as u64);
        Some((free, kind == TMPFS_MAGIC || kind == RAMFS_MAGIC))
    }
    #[cfg(not(target_os = "linux"))]
    {
        let _ = dir;
        None
    }
}

/// Proving configuration.
#[derive(Clone)]
pub struct ProveConfig {
    /// STARK parameters of transparent proofs; [`gloam_air::default_options`] gives 96 bits of
    /// conjectured security. Zero-knowledge proofs use the fixed parameters of
    /// [`gloam_air::zk`].
    pub options: ProofOptions,
    /// Execution limits (fuel, call stack).
    pub limits: Limits,
    /// Called at the start of every phase.
    pub progress: Option<Arc<dyn Fn(Phase) + Send + Sync>>,
    /// Whether the proof hides the trace ([`ZkMode`]; default: zero-knowledge whenever the
    /// run can read a private input).
    pub zero_knowledge: ZkMode,
    /// Largest estimated peak memory (bytes) the prover may use
    /// ([`estimate_peak_memory`]); a run that needs more is refused with
    /// [`ProveError::TooLarge`] before its trace is built. `None`: the memory the machine
    /// reports as available when proving starts ([`available_memory`]).
    pub max_memory: Option<u64>,
    /// Rows per segment: `Some(n)` proves the run in segments of `n` rows (a power of two in
    /// `[2^14, 2^22]`; [`segments`]); `None` proves it as one proof when it fits (at most 2^22
    /// rows and within [`ProveConfig::max_memory`]) and in segments of
    /// [`segments::DEFAULT_SEGMENT_ROWS`] otherwise. A run in segments is not zero-knowledge
    /// (its boundary states and running-sum ends are public): one that [`ZkMode`] would prove
    /// in zero knowledge is refused.
    pub segment_rows: Option<usize>,
    /// Called after each segment of a segmented proof (segments done, cycles per second).
    pub segment_progress: Option<Arc<dyn Fn(segments::SegmentProgress) + Send + Sync>>,
    /// Directory where a segmented proof keeps, between its two passes, the main commitments
    /// that do not fit [`ProveConfig::max_memory`] ([`segments::Spill`]); `None`: the system's
    /// temporary directory.
    pub spill_dir: Option<std::path::PathBuf>,
    /// Most bytes of disk a segmented proof spills to ([`segments::spilled_segment_bytes`] a
    /// segment); segments beyond it are rebuilt in pass 2. `None`: half the space available
    /// in the spill directory's file system; none if that file system keeps its files in
    /// memory (tmpfs, ramfs), if it cannot be read ([`available_disk`]), or if the run has a
    /// private input (the spill file holds the trace in the clear).
    pub max_disk: Option<u64>,
}

impl Default for ProveConfig {
    fn default() -> Self {
        ProveConfig {
            options: default_options(),
            limits: Limits {
                fuel: MAX_RECORDED_CYCLES,
                ..Limits::default()
            },
            progress: None,
            zero_knowledge: ZkMode::Auto,
            max_memory: None,
            segment_rows: None,
            segment_progress: None,
            spill_dir: None,
            max_disk: None,
        }
    }
}

/// Whether a proof is zero-knowledge ([`zk`]) or transparent (`winterfell`'s prover, which
/// reveals trace values at the queried rows).
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub enum ZkMode {
    /// Zero-knowledge when the run has a private input or its module imports
    /// `gloam.read_private`; transparent otherwise (faster, and nothing to hide).
    #[default]
    Auto,
    /// Always zero-knowledge.
    On,
    /// Always transparent.
    Off,
}

impl ZkMode {
    /// Whether a run of `program` with a private input of `private_len` bytes is proven in
    /// zero knowledge.
    pub fn applies(self, program: &Program, private_len: usize) -> bool {
        match self {
            ZkMode::On => true,
            ZkMode::Off => false,
            ZkMode::Auto => {
                private_len > 0
                    || gloam_isa::io::imported_io(&program.module)
                        .contains(&Some(gloam_isa::io::IoFn::ReadPrivate))
            }
        }
    }
}

/// The memory limit of a proof and where it came from: [`ProveConfig::max_memory`], or the
/// memory the machine reports as available.
fn memory_limit(cfg: &ProveConfig) -> (u64, String) {
    match cfg.max_memory {
        Some(l) => (l, "the configured limit".to_string()),
        None => match available_memory() {
            Some(a) => (a, "the memory this machine has available".to_string()),
            None => (u64::MAX, String::new()),
        },
    }
}

/// Measurements of one proof.
#[derive(Clone, Debug)]
pub struct ProveStats {
    /// Trace rows (a power of two).
    pub trace_rows: usize,
    /// Main columns the proof commits (`PublicInputs::committed_columns`).
    pub main_columns: usize,
    /// Auxiliary (extension-field) columns.
    pub aux_columns: usize,
    /// Wall time of execution with trace recording.
    pub execute: Duration,
    /// Wall time of the main-trace build.
    pub build_trace: Duration,
    /// Wall time of the STARK prover (commitments, auxiliary trace, constraints, FRI).
    pub stark: Duration,
    /// Proof size in bytes (the STARK proof alone).
    pub proof_bytes: usize,
    /// Whether the proof is zero-knowledge.
    pub zero_knowledge: bool,
    /// Conjectured security in bits.
    pub conjectured_bits: u32,
    /// Proven security in bits (list-decoding regime).
    pub proven_bits: u32,
    /// The peak-memory estimate the run was admitted with ([`estimate_peak_memory`], bytes).
    pub estimated_peak_memory: u64,
    /// Segments the run was proven in (1: a single proof).
    pub segments: usize,
    /// Segments proven at once (1 for a single proof).
    pub parallel_segments: usize,
    /// Disk (bytes) the segments' pass-1 state that did not fit in memory was spilled to
    /// ([`ProveConfig::max_disk`]; 0 for a single proof).
    pub spill_bytes: u64,
}

/// Longest run the prover proves, and its default fuel (2^29 cycles,
/// [`segments::MAX_TRACED_CYCLES`]): the traced interpreter's access timestamps `4t + j` are
/// 32-bit. Runs beyond 2^22 - 1 cycles are proven in segments, never recorded whole.
pub const MAX_RECORDED_CYCLES: u64 = segments::MAX_TRACED_CYCLES;
/// Bytes a recorded run takes per cycle ([`gloam_executor::Step`]): a single proof's run is
/// recorded whole.
pub const RECORD_BYTES_PER_CYCLE: u64 = std::mem::size_of::<gloam_executor::Step>() as u64;

/// A proven run.
pub struct ProvenRun {
    /// What the run returned.
    pub outcome: Outcome,
    /// The proof file (statement and STARK proof).
    pub file: ProofFile,
    /// Measurements.
    pub stats: ProveStats,
}

/// Executes `entry(args)` of an entry whose parameters and results are all `i32`, and proves
/// the run (see [`prove_values`]).
///
/// # Errors
/// As [`prove_values`].
pub fn prove(
    program: Arc<Program>,
    entry: &str,
    args: &[u32],
    cfg: &ProveConfig,
) -> Result<ProvenRun, ProveError> {
    let values: Vec<IntValue> = args.iter().map(|v| IntValue::I32(*v)).collect();
    prove_values(program, entry, &values, cfg)
}

/// Executes `entry(args)` and proves the run.
///
/// Refuses, before executing, what the verifier refuses: a module whose setup a proof does
/// not cover ([`gloam_isa::check_setup`]) and arguments whose types differ from the entry's
/// parameters. After executing, refuses a run whose estimated peak memory exceeds
/// [`ProveConfig::max_memory`]. The statement's arguments and results are the values' words
/// ([`gloam_isa::value_words`]: an `i64` as its low, then its high word), the entry's
/// argument and result slots.
///
/// # Errors
/// [`ProveError`]: the module setup or the arguments are refused, the run trapped or ran out
/// of fuel (trapping runs are refused, not proven), the trace would be too long or too large
/// for memory, or the STARK prover failed.
pub fn prove_values(
    program: Arc<Program>,
    entry: &str,
    args: &[IntValue],
    cfg: &ProveConfig,
) -> Result<ProvenRun, ProveError> {
    prove_io(program, entry, args, &IoInput::default(), cfg)
}

/// [`prove_values`] of a run with input streams `io` for the contract interface
/// (`gloam_isa::io`): the statement (and the proof file) holds the public input and the
/// journal the run commits; the private input appears nowhere in it.
///
/// # Errors
/// As [`prove_values`], plus [`ProveError::Io`] for a public input, private input or journal
/// longer than its limit.
pub fn prove_io(
    program: Arc<Program>,
    entry: &str,
    args: &[IntValue],
    io: &IoInput,
    cfg: &ProveConfig,
) -> Result<ProvenRun, ProveError> {
    gloam_isa::check_setup(&program.module)?;
    // What the verifier refuses about the streams (`PublicIo::check_for`): the public input
    // before running, the journal after.
    let mut public_io = gloam_isa::PublicIo {
        public_input: io.public.clone(),
        journal: Vec::new(),
    };
    public_io
        .check_for(&program.module)
        .map_err(ProveError::Io)?;
    if io.private.len() > gloam_isa::io::MAX_PRIVATE_INPUT {
        return Err(ProveError::Io(format!(
            "private input of {} bytes exceeds the limit of {}",
            io.private.len(),
            gloam_isa::io::MAX_PRIVATE_INPUT
        )));
    }
    let sig = program
        .export_sig(entry)
        .cloned()
        .ok_or_else(|| ExecError::NoSuchExport(entry.to_string()))?;
    gloam_isa::check_types(args, &sig.params, "argument").map_err(|why| ProveError::Args {
        entry: entry.to_string(),
        why,
    })?;
    let typed_args = args.to_vec();
    let args = gloam_isa::value_words(args);
    let args = &args[..];
    let report = |p: Phase| {
        if let Some(cb) = &cfg.progress {
            cb(p)
        }
    };
    report(Phase::Execute);
    let t0 = Instant::now();
    // The fast interpreter first: the cycle count decides between one proof and segments,
    // and a long run's record is refused before it is made. An instruction the AIR does not
    // cover is reported as such before any memory refusal: a run for one proof whose record
    // is small is recorded at once, and a run in segments that is refused is first executed
    // traced (in chunks, nothing kept).
    let fast = gloam_executor::run_io(&program, entry, args, io, cfg.limits)?;
    let (limit, limit_source) = memory_limit(cfg);
    let record = fast.cycles * RECORD_BYTES_PER_CYCLE;
    let single_rows = (fast.cycles as usize + 1)
        .next_power_of_two()
        .max(gloam_air::MIN_TRACE_LEN);
    let single_estimate = estimate_peak_memory(
        single_rows,
        gloam_air::columns::committed_columns(&program).len(),
        &cfg.options,
    ) + record;
    let single_fits = cfg.segment_rows.is_none() && single_rows <= gloam_air::MAX_TRACE_LEN;
    let segmented = !single_fits || single_estimate > limit;
    let too_large = |rows: usize, estimate: u64| ProveError::TooLarge {
        rows,
        estimate,
        limit,
        limit_source: limit_source.clone(),
    };
    let private = cfg.zero_knowledge.applies(&program, io.private.len());
    // A run proven in one proof is recorded whole; a run in segments is executed again per
    // pass and never recorded whole (`segments::SegmentPlan`).
    let provable = || -> Result<(), ProveError> {
        gloam_executor::run_traced_chunks_io(
            &program,
            entry,
            args,
            io,
            cfg.limits,
            1 << 16,
            &mut |_| true,
        )?;
        Ok(())
    };
    let early = if record <= 1 << 30 && !segmented {
        Some(gloam_executor::run_traced_io(
            &program, entry, args, io, cfg.limits,
        )?)
    } else {
        None
    };
    if segmented && private {
        provable()?;
        if single_fits {
            // Short enough for one proof, which does not fit the memory; segments would not
            // be zero-knowledge.
            return Err(too_large(single_rows, single_estimate));
        }
        return Err(ProveError::Segments(format!(
            "this run ({} cycles) needs segments, and a run in segments is not zero-knowledge \
             (its boundary states and each segment's running sum are public); prove it with \
             --zk off to accept that, or prove a shorter run",
            fast.cycles
        )));
    }
    if segmented {
        let n = cfg.segment_rows.unwrap_or(segments::DEFAULT_SEGMENT_ROWS);
        let wide =
            gloam_air::columns::committed_columns_in(&program, gloam_air::columns::Layout::Wide)
                .len();
        let per_segment = estimate_peak_memory(n, wide, &cfg.options);
        let stream = segments::stream_bytes(n);
        if stream + per_segment > limit {
            // Neither fits: report one proof's need when the run is short enough for one,
            // after the traced run (in chunks, nothing kept) reports an instruction the AIR
            // does not cover.
            provable()?;
            return Err(if single_fits {
                too_large(single_rows, single_estimate)
            } else {
                too_large(n, stream + per_segment)
            });
        }
        let parallel = (((limit - stream) / per_segment) as usize)
            .min(rayon::current_num_threads())
            .max(1);
        let execute = t0.elapsed();
        public_io.journal = fast.journal.clone();
        public_io
            .check_for(&program.module)
            .map_err(ProveError::Io)?;
        let input = segments::RunInput {
            entry: entry.to_string(),
            args: args.to_vec(),
            io: io.clone(),
            limits: cfg.limits,
        };
        return prove_in_segments(
            program, input, typed_args, public_io, fast, sig, cfg, parallel, execute,
        );
    }
    let (outcome, exec) = match early {
        Some(recorded) => recorded,
        None => gloam_executor::run_traced_io(&program, entry, args, io, cfg.limits)?,
    };
    // Defence in depth: the statement a proof makes is what `gloam run` reports.
    if fast.results != outcome.results
        || fast.cycles != outcome.cycles
        || fast.journal != outcome.journal
    {
        let describe = |o: &Outcome| {
            format!(
                "results {:?}, {} cycles, a journal of {} bytes",
                o.results,
                o.cycles,
                o.journal.len()
            )
        };
        return Err(ProveError::Diverged {
            traced: describe(&outcome),
            fast: describe(&fast),
        });
    }
    let execute = t0.elapsed();
    public_io.journal = outcome.journal.clone();
    public_io
        .check_for(&program.module)
        .map_err(ProveError::Io)?;
    let rows = trace_rows_io(&program, outcome.cycles, &exec, &public_io.initial_words());
    let main_columns = gloam_air::columns::committed_columns(&program).len();
    let estimate = estimate_peak_memory(rows, main_columns, &cfg.options);
    if estimate > limit {
        return Err(ProveError::TooLarge {
            rows,
            estimate,
            limit,
            limit_source,
        });
    }
    report(Phase::BuildTrace);
    let t1 = Instant::now();
    let (main, pi) =
        build_main_trace_io(program.clone(), entry, args, &io.public, &outcome, &exec)?;
    drop(exec);
    // The columns the proof does not commit must be zero (`committed_columns`); the AIR reads
    // them as zero, so a nonzero one would only yield a proof that does not verify.
    let committed = pi.committed_columns();
    if let Some(c) = (0..main.columns.len())
        .filter(|c| committed.binary_search(c).is_err())
        .find(|&c| main.columns[c].iter().any(|v| *v != Felt::ZERO))
    {
        return Err(ProveError::Stark(format!(
            "internal error: column {c}, which this program's proofs do not commit, is not zero"
        )));
    }
    let trace = GloamTrace::new(main.columns, &pi);
    let build_trace = t1.elapsed();
    let trace_rows = trace.info.length();
    let t2 = Instant::now();
    let zero_knowledge = cfg.zero_knowledge.applies(&program, io.private.len());
    let (bytes, conjectured_bits, proven_bits) = if zero_knowledge {
        zk::prove_trace_zk(trace, pi, cfg.progress.clone())?
    } else {
        let proof = prove_trace(trace, pi, cfg.options.clone(), cfg.progress.clone())?;
        (
            proof.to_bytes(),
            proof.conjectured_security::<Hasher>().bits(),
            proof.proven_security::<Hasher>().ldr_bits(),
        )
    };
    let stark = t2.elapsed();
    report(Phase::Done);
    let stats = ProveStats {
        trace_rows,
        main_columns,
        aux_columns: AUX_WIDTH,
        execute,
        build_trace,
        stark,
        proof_bytes: bytes.len(),
        zero_knowledge,
        conjectured_bits,
        proven_bits,
        estimated_peak_memory: estimate,
        segments: 1,
        parallel_segments: 1,
        spill_bytes: 0,
    };
    let file = proof_file(
        &program,
        entry,
        typed_args,
        &sig,
        &outcome,
        public_io,
        ProofKind::single(zero_knowledge),
        bytes,
    );
    Ok(ProvenRun {
        outcome,
        file,
        stats,
    })
}

/// Executes `entry(args)` with the streams `io` and cuts the run into segments of
/// `segment_rows` rows without proving them (with `boundaries`, the boundary states and final
/// memory cuts and rows a first plan found, as `gloam split` records them: then the run is executed
/// only by the segments built later, each checked against them), for proving segment by segment in separate
/// processes ([`segments::commit_segment`], [`segments::prove_segment`]; `gloam split`,
/// `gloam prove-segment`, `gloam assemble`). Returns the plan and the proof file to fill in
/// (its `stark` empty). The same refusals as [`prove_io`] apply, except the memory limit: a
/// run that `zk` would prove in zero knowledge is refused (segments are not zero-knowledge),
/// and so is a private input above its limit.
///
/// # Errors
/// As [`prove_io`], and [`ProveError::Segments`] if the run cannot be cut so.
#[allow(clippy::too_many_arguments)]
pub fn plan_segments(
    program: Arc<Program>,
    entry: &str,
    args: &[IntValue],
    io: &IoInput,
    limits: Limits,
    segment_rows: usize,
    zk: ZkMode,
    boundaries: Option<(Vec<gloam_air::BoundaryState>, Vec<u64>, usize)>,
) -> Result<(segments::SegmentPlan, ProofFile), ProveError> {
    gloam_isa::check_setup(&program.module)?;
    if zk.applies(&program, io.private.len()) {
        return Err(ProveError::Segments(
            "a run in segments is not zero-knowledge (its boundary states and each segment's \
             running sum are public), and this run would be proven in zero knowledge; pass \
             --zk off to accept that"
                .into(),
        ));
    }
    if io.private.len() > gloam_isa::io::MAX_PRIVATE_INPUT {
        return Err(ProveError::Io(format!(
            "private input of {} bytes exceeds the limit of {}",
            io.private.len(),
            gloam_isa::io::MAX_PRIVATE_INPUT
        )));
    }
    let mut public_io = gloam_isa::PublicIo {
        public_input: io.public.clone(),
        journal: Vec::new(),
    };
    public_io
        .check_for(&program.module)
        .map_err(ProveError::Io)?;
    let sig = program
        .export_sig(entry)
        .cloned()
        .ok_or_else(|| ExecError::NoSuchExport(entry.to_string()))?;
    gloam_isa::check_types(args, &sig.params, "argument").map_err(|why| ProveError::Args {
        entry: entry.to_string(),
        why,
    })?;
    let words = gloam_isa::value_words(args);
    let outcome = gloam_executor::run_io(&program, entry, &words, io, limits)?;
    public_io.journal = outcome.journal.clone();
    public_io
        .check_for(&program.module)
        .map_err(ProveError::Io)?;
    let run = run_statement(&program, entry, &words, &outcome, public_io.clone())?;
    let file = proof_file(
        &program,
        entry,
        args.to_vec(),
        &sig,
        &outcome,
        public_io,
        ProofKind::Segmented,
        Vec::new(),
    );
    let input = segments::RunInput {
        entry: entry.to_string(),
        args: words,
        io: io.clone(),
        limits,
    };
    let plan = match boundaries {
        Some((b, cuts, final_n)) => segments::SegmentPlan::with_boundaries(
            program,
            run,
            input,
            segment_rows,
            b,
            cuts,
            final_n,
        )?,
        None => segments::SegmentPlan::new(program, run, input, segment_rows)?,
    };
    Ok((plan, file))
}

/// The statement of the run of `entry(args)` that ended in `outcome` with the streams
/// `public_io`.
fn run_statement(
    program: &Arc<Program>,
    entry: &str,
    args: &[u32],
    outcome: &Outcome,
    public_io: gloam_isa::PublicIo,
) -> Result<PublicInputs, ProveError> {
    let (_, f) = program
        .proof_entry(entry)
        .ok_or_else(|| TraceError::NoSuchExport(entry.into()))?;
    Ok(PublicInputs::new(
        program.clone(),
        entry,
        f.entry_pc,
        args.to_vec(),
        outcome.results.clone(),
        outcome.cycles,
    )
    .with_io(public_io))
}

/// Which proof a [`ProofFile`] holds.
#[derive(Clone, Copy)]
enum ProofKind {
    Transparent,
    ZeroKnowledge,
    Segmented,
}

impl ProofKind {
    fn single(zero_knowledge: bool) -> Self {
        if zero_knowledge {
            ProofKind::ZeroKnowledge
        } else {
            ProofKind::Transparent
        }
    }
}

/// The proof file of the run of `entry(args)` that ended in `outcome`.
#[allow(clippy::too_many_arguments)]
fn proof_file(
    program: &Program,
    entry: &str,
    args: Vec<IntValue>,
    sig: &gloam_isa::FuncSig,
    outcome: &Outcome,
    public_io: gloam_isa::PublicIo,
    kind: ProofKind,
    stark: Vec<u8>,
) -> ProofFile {
    let results = gloam_isa::values_from_words(&sig.results, &outcome.results)
        .expect("an integer entry leaves one word per i32 and two per i64 result");
    ProofFile {
        program_hash: program.hash().0,
        entry: entry.to_string(),
        args,
        results,
        cycles: outcome.cycles,
        public_input: public_io.public_input,
        journal: public_io.journal,
        zero_knowledge: matches!(kind, ProofKind::ZeroKnowledge),
        segmented: matches!(kind, ProofKind::Segmented),
        stark,
    }
}

/// The segmented path of [`prove_io`]: cuts the run (`outcome` from the fast interpreter)
/// into segments and proves them ([`segments::prove_segments`]), `parallel` at a time.
#[allow(clippy::too_many_arguments)]
fn prove_in_segments(
    program: Arc<Program>,
    input: segments::RunInput,
    typed_args: Vec<IntValue>,
    public_io: gloam_isa::PublicIo,
    outcome: Outcome,
    sig: gloam_isa::FuncSig,
    cfg: &ProveConfig,
    parallel: usize,
    execute: Duration,
) -> Result<ProvenRun, ProveError> {
    let report = |p: Phase| {
        if let Some(cb) = &cfg.progress {
            cb(p)
        }
    };
    if let Some(d) = &cfg.spill_dir {
        if !d.is_dir() {
            return Err(ProveError::Segments(format!(
                "the spill directory {} is not a directory",
                d.display()
            )));
        }
    }
    report(Phase::BuildTrace);
    let t1 = Instant::now();
    let entry = input.entry.clone();
    let run = run_statement(&program, &entry, &input.args, &outcome, public_io.clone())?;
    let n = cfg.segment_rows.unwrap_or(segments::DEFAULT_SEGMENT_ROWS);
    let private_input = !input.io.private.is_empty();
    let plan = segments::SegmentPlan::new(program.clone(), run, input, n)?;
    let build_trace = t1.elapsed();
    let t2 = Instant::now();
    // Memory left after the segments proven at once keeps pass-1 commitments for pass 2,
    // which then skips rebuilding and recommitting those segments.
    let wide = plan.statement(0).main_width();
    let (limit, _) = memory_limit(cfg);
    let busy =
        segments::stream_bytes(n) + parallel as u64 * estimate_peak_memory(n, wide, &cfg.options);
    let cached = (limit.saturating_sub(busy) / segments::cached_segment_bytes(n, wide)) as usize;
    // The segments that do not fit are spilled to disk between the passes, as far as the
    // disk allows, instead of being rebuilt and recommitted. By default not a run with a
    // private input (the files would hold it in the clear), nor onto a RAM-backed file system.
    let spill = {
        let dir = cfg.spill_dir.clone().unwrap_or_else(std::env::temp_dir);
        let max_bytes = match cfg.max_disk {
            Some(b) => b,
            None if private_input => 0,
            None => match available_disk(&dir) {
                Some((free, false)) => free / 2,
                _ => 0,
            },
        };
        segments::Spill { dir, max_bytes }
    };
    let spilled = Arc::new(std::sync::atomic::AtomicUsize::new(0));
    let progress: Arc<dyn Fn(segments::SegmentProgress) + Send + Sync> = {
        let spilled = spilled.clone();
        let user = cfg.segment_progress.clone();
        Arc::new(move |p: segments::SegmentProgress| {
            if p.pass == 1 {
                spilled.fetch_max(p.spilled, std::sync::atomic::Ordering::SeqCst);
            }
            if let Some(u) = &user {
                u(p)
            }
        })
    };
    let (bytes, conjectured_bits, proven_bits) =
        segments::prove_segments(&plan, parallel, cached, Some(&spill), Some(progress))?;
    let spilled = spilled.load(std::sync::atomic::Ordering::SeqCst) as u64;
    let stark = t2.elapsed();
    report(Phase::Done);
    let stats = ProveStats {
        trace_rows: n,
        main_columns: wide,
        aux_columns: AUX_WIDTH,
        execute,
        build_trace,
        stark,
        proof_bytes: bytes.len(),
        zero_knowledge: false,
        conjectured_bits,
        proven_bits,
        estimated_peak_memory: busy
            + cached.min(plan.count()) as u64 * segments::cached_segment_bytes(n, wide),
        segments: plan.count(),
        parallel_segments: parallel,
        spill_bytes: spilled * segments::spilled_segment_bytes(n, wide),
    };
    let file = proof_file(
        &program,
        &entry,
        typed_args,
        &sig,
        &outcome,
        public_io,
        ProofKind::Segmented,
        bytes,
    );
    Ok(ProvenRun {
        outcome,
        file,
        stats,
    })
}

/// Proves an already built main trace against a statement (used by tamper tests, which
/// modify the trace or the statement first).
///
/// # Errors
/// [`ProveError::Stark`].
pub fn prove_trace(
    trace: GloamTrace,
    pub_inputs: PublicInputs,
    options: ProofOptions,
    progress: Option<Arc<dyn Fn(Phase) + Send + Sync>>,
) -> Result<Proof, ProveError> {
    let prover = GloamProver {
        options,
        pub_inputs,
        progress: progress.clone(),
    };
    let run = || {
        prover
            .prove(trace)
            .map_err(|e| ProveError::Stark(e.to_string()))
    };
    match progress {
        Some(cb) => progress::with_phase_reports(cb, run),
        None => run(),
    }
}

/// Gloam's execution trace as `winterfell` sees it: the main segment (the auxiliary segment
/// is built by [`GloamProver`] after the main commitment).
pub struct GloamTrace {
    info: TraceInfo,
    main: ColMatrix<Felt>,
}

impl GloamTrace {
    /// Wraps the columns of a narrow or wide layout (`NARROW_WIDTH` or `MAIN_WIDTH` columns)
    /// of equal power-of-two length, keeping the columns the statement `pi` commits
    /// (`PublicInputs::committed_columns`: the layout's columns without the decoder cells
    /// (group flags, sub-op bits) no opcode of the program uses and the advice columns only
    /// opcodes it lacks write, which are zero in every honest trace).
    ///
    /// # Panics
    /// If the shape is wrong (the trace builder never produces such a trace).
    pub fn new(columns: Vec<Vec<Felt>>, pi: &PublicInputs) -> Self {
        let width = columns.len();
        assert!(width == MAIN_WIDTH || width == NARROW_WIDTH);
        assert_eq!(width, pi.layout().width(), "the statement's layout");
        let mut columns: Vec<Option<Vec<Felt>>> = columns.into_iter().map(Some).collect();
        let columns: Vec<Vec<Felt>> = pi
            .committed_columns()
            .iter()
            .map(|&c| columns[c].take().expect("committed columns are distinct"))
            .collect();
        let n = columns[0].len();
        let info = TraceInfo::new_multi_segment(columns.len(), AUX_WIDTH, NUM_RAND, n, vec![]);
        GloamTrace {
            info,
            main: ColMatrix::new(columns),
        }
    }

    /// Mutable access to one committed column (for tamper tests): the proof's main-trace
    /// column `col` (`PublicInputs::committed_index` of a layout column).
    pub fn column_mut(&mut self, col: usize) -> &mut [Felt] {
        self.main.get_column_mut(col)
    }
}

impl Trace for GloamTrace {
    type BaseField = Felt;

    fn info(&self) -> &TraceInfo {
        &self.info
    }

    fn main_segment(&self) -> &ColMatrix<Felt> {
        &self.main
    }

    fn read_main_frame(&self, row_idx: usize, frame: &mut EvaluationFrame<Felt>) {
        let next = (row_idx + 1) % self.info.length();
        self.main.read_row_into(row_idx, frame.current_mut());
        self.main.read_row_into(next, frame.next_mut());
    }
}

/// The `winterfell` prover for [`GloamAir`].
pub struct GloamProver {
    options: ProofOptions,
    pub_inputs: PublicInputs,
    progress: Option<Arc<dyn Fn(Phase) + Send + Sync>>,
}

impl Prover for GloamProver {
    type BaseField = Felt;
    type Air = GloamAir;
    type Trace = GloamTrace;
    type HashFn = Hasher;
    type VC = MerkleTree<Hasher>;
    type RandomCoin = DefaultRandomCoin<Hasher>;
    type TraceLde<E: FieldElement<BaseField = Felt>> = DefaultTraceLde<E, Hasher, Self::VC>;
    type ConstraintCommitment<E: FieldElement<BaseField = Felt>> =
        DefaultConstraintCommitment<E, Hasher, Self::VC>;
    type ConstraintEvaluator<'a, E: FieldElement<BaseField = Felt>> =
        DefaultConstraintEvaluator<'a, GloamAir, E>;

    fn get_pub_inputs(&self, _trace: &GloamTrace) -> PublicInputs {
        self.pub_inputs.clone()
    }

    fn options(&self) -> &ProofOptions {
        &self.options
    }

    fn new_trace_lde<E: FieldElement<BaseField = Felt>>(
        &self,
        trace_info: &TraceInfo,
        main_trace: &ColMatrix<Felt>,
        domain: &StarkDomain<Felt>,
        partition_option: PartitionOptions,
    ) -> (Self::TraceLde<E>, TracePolyTable<E>) {
        DefaultTraceLde::new(trace_info, main_trace, domain, partition_option)
    }

    fn new_evaluator<'a, E: FieldElement<BaseField = Felt>>(
        &self,
        air: &'a GloamAir,
        aux_rand_elements: Option<AuxRandElements<E>>,
        composition_coefficients: ConstraintCompositionCoefficients<E>,
    ) -> Self::ConstraintEvaluator<'a, E> {
        if let Some(cb) = &self.progress {
            cb(Phase::Constraints);
        }
        DefaultConstraintEvaluator::new(air, aux_rand_elements, composition_coefficients)
    }

    fn build_constraint_commitment<E: FieldElement<BaseField = Felt>>(
        &self,
        composition_poly_trace: CompositionPolyTrace<E>,
        num_constraint_composition_columns: usize,
        domain: &StarkDomain<Felt>,
        partition_options: PartitionOptions,
    ) -> (Self::ConstraintCommitment<E>, CompositionPoly<E>) {
        DefaultConstraintCommitment::new(
            composition_poly_trace,
            num_constraint_composition_columns,
            domain,
            partition_options,
        )
    }

    fn build_aux_trace<E: FieldElement<BaseField = Felt>>(
        &self,
        main_trace: &GloamTrace,
        aux_rand_elements: &AuxRandElements<E>,
    ) -> ColMatrix<E> {
        if let Some(cb) = &self.progress {
            cb(Phase::BuildAux);
        }
        let ch = self
            .pub_inputs
            .challenges(aux_rand_elements.rand_elements());
        ColMatrix::new(build_aux_columns(&main_trace.main, &self.pub_inputs, &ch))
    }
}
