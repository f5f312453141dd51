//! Long runs proven as segments (`gloam_air::segments`, `docs/air.md` §5, *Segments*).
//!
//! Each segment's proof uses the zero-knowledge protocol (`crate::zk`), but a segmented proof
//! is not zero-knowledge: the boundary states and each segment's running-sum end are public.
//!
//! The recorded run is cut into segments of `n` rows: segment `k` executes cycles
//! `k (n - 1) .. (k + 1)(n - 1)` on rows `0..n-1`, and its last row holds the state of cycle
//! `(k + 1)(n - 1)`, the next segment's first row. Each segment's memory table holds every
//! address with a nonzero value when it starts (carried in) and every address it touches,
//! plus the result slots and global word 0; segment 0's also holds the initial state.
//!
//! Proving takes two passes over the segments, because the LogUp challenges must come after
//! every segment's main trace is committed: pass 1 builds and commits each segment's main
//! trace and keeps only its root; pass 2 builds it again, commits it again to the same root
//! (the randomness comes from a per-segment generator seeded from one fresh key), and
//! finishes the segment's proof. Peak memory is that of the segments proven at once, never
//! the run's: one segment's trace and LDE at a time per worker, plus the recorded run
//! (56 bytes per cycle) and the segment tables.

use std::collections::{BTreeMap, BTreeSet, HashMap};
use std::sync::Arc;
use std::time::Instant;

use gloam_air::columns::*;
use gloam_air::field::{Felt, FieldElement};
use gloam_air::segments::{self, SegmentProof, SegmentedProof, MAX_SEGMENTS};
use gloam_air::zk::ZkParams;
use gloam_air::{
    default_options, BoundaryState, GloamAir, PublicInputs, SegmentInfo, MAX_TRACE_LEN,
    MIN_TRACE_LEN,
};
use gloam_executor::{ExecTrace, Outcome, Step};
use gloam_isa::{Op, Program};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use winter_utils::Serializable;
use winterfell::{Air, Trace};

use crate::trace::columns::step_row;
use crate::trace::constraints::fill_inverses;
use crate::trace::fill_multiplicities;
use crate::{zk, GloamTrace, Phase, ProveError};

/// Default rows per segment (2^17): a segment of a program using every opcode proves in
/// about 2.3 GB.
pub const DEFAULT_SEGMENT_ROWS: usize = 1 << 17;

/// Progress of a segmented proof, reported after each segment of each pass.
#[derive(Clone, Copy, Debug)]
pub struct SegmentProgress {
    /// 1: committing main traces; 2: finishing the proofs.
    pub pass: u8,
    /// Segments done in this pass.
    pub done: usize,
    /// Segments in all.
    pub total: usize,
    /// Cycles of the segments done in this pass.
    pub cycles_done: u64,
    /// Seconds since proving started.
    pub elapsed: f64,
}

/// One memory-table entry of a segment.
#[derive(Clone, Copy, Debug)]
struct Entry {
    addr: u64,
    v_in: u32,
    fval: u32,
    fts: u64,
}

/// A recorded run cut into segments, ready to build each segment's trace.
pub struct SegmentPlan {
    program: Arc<Program>,
    /// The whole run's statement (wide layout, as every segment's).
    run: PublicInputs,
    exec: ExecTrace,
    n: usize,
    cycles: u64,
    final_fp: u64,
    boundaries: Vec<BoundaryState>,
    tables: Vec<Vec<Entry>>,
}

fn region(addr: u64) -> u64 {
    if addr >= MEM_BASE {
        2
    } else if addr >= GLOBAL_BASE {
        1
    } else {
        0
    }
}

/// The accesses of one step: `(address, value after)` of `a`, `b`, `c`, `d` when enabled.
fn accesses(program: &Program, st: &Step) -> [Option<(u64, u32)>; ACCESSES] {
    let ins = program.instrs[st.pc as usize];
    let op = ins.op;
    let fp = st.fp as u64;
    let word = MEM_BASE + (st.ea / 4) as u64;
    let global = GLOBAL_BASE + ins.imm as u64;
    let addr_b = match op {
        op if op.is_load() => word,
        Op::GlobalGet => global,
        Op::GlobalGetAt => global + st.a as u64,
        _ => fp + ins.b as u64,
    };
    let addr_c = match op {
        op if op.is_store() => word,
        Op::GlobalSet => global,
        Op::GlobalSetAt => global + st.b as u64,
        _ => fp + ins.c as u64,
    };
    let width = op.mem_width();
    let cross = width > 0 && st.ea % 4 + width > 4;
    [
        op.reads_a().then_some((fp + ins.a as u64, st.a)),
        ((op.has_b() && !ins.b_imm) || op.writes_b()).then_some((addr_b, st.b)),
        op.writes_c().then_some((addr_c, st.c)),
        cross.then_some((word + 1, st.d)),
    ]
}

impl SegmentPlan {
    /// Cuts the recorded run (`outcome`, `exec`; statement `run` from
    /// `PublicInputs::for_segment`'s wide layout) into segments of `n` rows.
    ///
    /// # Errors
    /// [`ProveError::Segments`] if `n` is not a power of two in `[2^14, 2^22]` or below the
    /// program table, the run needs more than [`MAX_SEGMENTS`] segments, or a segment's memory
    /// table (the live and touched addresses) does not fit its rows.
    pub fn new(
        program: Arc<Program>,
        run: PublicInputs,
        outcome: &Outcome,
        exec: ExecTrace,
        n: usize,
    ) -> Result<Self, ProveError> {
        let bad = |s: String| ProveError::Segments(s);
        // Every segment has the wide layout, whose statement holds the whole initial state.
        let run = run.for_segment(SegmentInfo {
            index: 0,
            count: 1,
            start: BoundaryState::default(),
            end: BoundaryState::default(),
            sum_end: [Felt::ZERO; 2],
        });
        if !n.is_power_of_two() || !(MIN_TRACE_LEN..=MAX_TRACE_LEN).contains(&n) {
            return Err(bad(format!(
                "segment rows {n} are not a power of two in [2^14, 2^22]"
            )));
        }
        if n < run.program_period() {
            return Err(bad(format!(
                "segments of {n} rows are shorter than the program table ({} rows)",
                run.program_period()
            )));
        }
        let cycles = outcome.cycles;
        if cycles >= gloam_air::MAX_SEGMENTED_CYCLES || cycles >= 1 << 30 {
            return Err(bad(format!(
                "a run of {cycles} cycles is too long to record"
            )));
        }
        let per = (n - 1) as u64;
        let count = cycles.div_ceil(per).max(1) as usize;
        if count > MAX_SEGMENTS {
            return Err(bad(format!(
                "the run needs {count} segments of {n} rows; at most {MAX_SEGMENTS}"
            )));
        }
        let final_fp = exec.steps.last().map_or(0, |st| st.b as u64);
        let mut boundaries: Vec<BoundaryState> = (0..count)
            .map(|k| {
                let c = k as u64 * per;
                let st = exec.steps.get(c as usize);
                BoundaryState {
                    pc: st.map_or(gloam_isa::HALT_PC, |s| s.pc),
                    fp: st.map_or(final_fp, |s| s.fp as u64),
                    clk: c.min(cycles),
                }
            })
            .collect();
        boundaries.push(BoundaryState {
            pc: gloam_isa::HALT_PC,
            fp: final_fp,
            clk: cycles,
        });
        // The tables: a sweep over the run with the values of every address.
        let initial: Vec<(u64, u32)> = run.initial_words().to_vec();
        let mut state: HashMap<u64, u32> = initial
            .iter()
            .filter(|(_, v)| *v != 0)
            .map(|&(a, v)| (a, v))
            .collect();
        let results = run.results.len().max(1) as u64;
        let mut tables = Vec::with_capacity(count);
        for k in 0..count {
            let c0 = k * (n - 1);
            let end = (c0 + n - 1).min(cycles as usize);
            let mut touched: BTreeMap<u64, (u32, u64)> = BTreeMap::new();
            for (r, st) in exec.steps[c0..end].iter().enumerate() {
                for (j, acc) in accesses(&program, st).into_iter().enumerate() {
                    if let Some((addr, v)) = acc {
                        touched.insert(addr, (v, (ACCESSES_PER_ROW * r + j + 1) as u64));
                    }
                }
            }
            let mut addrs: BTreeSet<u64> = touched.keys().copied().collect();
            addrs.extend(state.keys().copied());
            addrs.extend(0..results);
            addrs.insert(GLOBAL_BASE);
            if k == 0 {
                addrs.extend(initial.iter().map(|(a, _)| *a));
            }
            if addrs.len() > n - 1 {
                return Err(bad(format!(
                    "segment {k}'s memory table needs {} rows (the addresses live at its start and those it touches); a segment of {n} rows holds {}: use larger segments",
                    addrs.len(),
                    n - 1
                )));
            }
            let table: Vec<Entry> = addrs
                .into_iter()
                .map(|addr| {
                    let start = state.get(&addr).copied().unwrap_or(0);
                    let (fval, fts) = touched.get(&addr).copied().unwrap_or((start, 0));
                    // Segment 0 starts from zeros: the verifier adds the initial state.
                    let v_in = if k == 0 { 0 } else { start };
                    Entry {
                        addr,
                        v_in,
                        fval,
                        fts,
                    }
                })
                .collect();
            for (a, (v, _)) in touched {
                if v == 0 {
                    state.remove(&a);
                } else {
                    state.insert(a, v);
                }
            }
            tables.push(table);
        }
        Ok(SegmentPlan {
            program,
            run,
            exec,
            n,
            cycles,
            final_fp,
            boundaries,
            tables,
        })
    }

    /// Number of segments.
    pub fn count(&self) -> usize {
        self.tables.len()
    }

    /// Segment `k`'s statement (its running sum's end still zero).
    pub fn statement(&self, k: usize) -> PublicInputs {
        self.run.clone().for_segment(SegmentInfo {
            index: k as u32,
            count: self.count() as u32,
            start: self.boundaries[k],
            end: self.boundaries[k + 1],
            sum_end: [Felt::ZERO; 2],
        })
    }

    /// Builds segment `k`'s main trace (`MAIN_WIDTH x n`) and statement.
    ///
    /// # Errors
    /// [`ProveError::Segments`] if two neighbouring table addresses are 2^32 apart or more
    /// (the table's gap bytes; never for frames, which grow by a call's frame size).
    pub fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        let n = self.n;
        let program = &self.program;
        let c0 = k * (n - 1);
        let steps_end = (c0 + n).min(self.cycles as usize);
        let steps = &self.exec.steps[c0.min(steps_end)..steps_end];
        // The table: its entries, padded with unused slot addresses after the last slot.
        let table = &self.tables[k];
        let slots = table.iter().take_while(|e| region(e.addr) == 0).count();
        let pad = n - 1 - table.len();
        let last_slot = table[slots - 1].addr;
        let mut rows_table: Vec<Entry> = Vec::with_capacity(n - 1);
        rows_table.extend_from_slice(&table[..slots]);
        rows_table.extend((1..=pad as u64).map(|i| Entry {
            addr: last_slot + i,
            v_in: 0,
            fval: 0,
            fts: 0,
        }));
        rows_table.extend_from_slice(&table[slots..]);
        let mut cols: Vec<Vec<u64>> = vec![vec![0u64; n]; MAIN_WIDTH];
        for row in 0..n {
            let mut v = [0u64; MAIN_WIDTH];
            v[IDX] = row as u64;
            v[FIRST] = (row == 0) as u64;
            if let Some(st) = steps.get(row) {
                step_row(
                    &mut v,
                    program,
                    st,
                    row,
                    c0 as u64,
                    (ACCESSES_PER_ROW * c0) as u64,
                );
            } else {
                v[CLK] = self.cycles;
                v[PC] = gloam_isa::HALT_PC as u64;
                v[FP] = self.final_fp;
                encode_op(&mut v, Op::Halt);
            }
            for i in 0..WORD_BYTES {
                v[Z + i] = v[X + i] & v[Y + i];
                v[W + i] = v[X + i] ^ v[Y + i];
            }
            if row < n - 1 {
                let e = rows_table[row];
                v[TADDR] = e.addr;
                v[REGION] = region(e.addr);
                v[FVAL] = e.fval as u64;
                v[FTS] = e.fts;
                v[V_IN] = e.v_in as u64;
                v[CIN] = (e.v_in != 0) as u64;
                v[COUT] = (e.fval != 0) as u64;
            } else {
                v[TADDR] = MEM_BASE + self.run.memory_words();
                v[REGION] = 2;
            }
            for (c, val) in cols.iter_mut().zip(v) {
                c[row] = val;
            }
        }
        for row in 0..n - 1 {
            let (t, t1, r, r1) = (
                cols[TADDR][row],
                cols[TADDR][row + 1],
                cols[REGION][row],
                cols[REGION][row + 1],
            );
            let gap = if r1 == r {
                t1 - t - 1
            } else {
                t1 - r1 * REGION_STEP
            };
            if gap >= 1 << 32 {
                return Err(ProveError::Segments(format!(
                    "segment {k}: table addresses {t} and {t1} are too far apart"
                )));
            }
            for i in 0..TABLE_GAP_BYTES {
                cols[G + i][row] = (gap >> (8 * i)) & 255;
            }
        }
        let mut columns: Vec<Vec<Felt>> = cols
            .into_iter()
            .map(|c| c.into_iter().map(Felt::new).collect())
            .collect();
        let window = ExecTrace {
            steps: steps.to_vec(),
            ..ExecTrace::default()
        };
        fill_inverses(&mut columns, program, &window);
        fill_multiplicities(&mut columns);
        Ok((columns, self.statement(k)))
    }
}

/// What the segment prover needs of a cut run: [`SegmentPlan`] implements it; tamper tests wrap
/// it to forge a segment's trace or a boundary state as a cheating prover would.
pub trait SegmentSource: Sync {
    /// Number of segments.
    fn count(&self) -> usize;
    /// Rows per segment.
    fn segment_rows(&self) -> usize;
    /// The whole run's statement.
    fn run(&self) -> &PublicInputs;
    /// The `count + 1` boundary states.
    fn boundaries(&self) -> &[BoundaryState];
    /// Segment `k`'s main trace (`MAIN_WIDTH x n`) and statement.
    ///
    /// # Errors
    /// [`ProveError`] if the trace cannot be built.
    fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError>;
}

impl SegmentSource for SegmentPlan {
    fn count(&self) -> usize {
        SegmentPlan::count(self)
    }
    fn segment_rows(&self) -> usize {
        self.n
    }
    fn run(&self) -> &PublicInputs {
        &self.run
    }
    fn boundaries(&self) -> &[BoundaryState] {
        &self.boundaries
    }
    fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        SegmentPlan::trace(self, k)
    }
}

/// A segment's pass-1 state kept for pass 2.
type Kept = (
    GloamTrace,
    PublicInputs,
    zk::MainCommitment,
    rand::rngs::StdRng,
);

/// The generator of segment `k`'s randomness (randomizers, salts), from the proof's secret
/// key: the same in both passes, so pass 2 commits the main trace to pass 1's root.
fn segment_rng(key: &[u8; 32], k: usize) -> rand::rngs::StdRng {
    rand::rngs::StdRng::from_seed(*blake3::keyed_hash(key, &(k as u64).to_le_bytes()).as_bytes())
}

fn build_segment<S: SegmentSource + ?Sized>(
    src: &S,
    k: usize,
) -> Result<(GloamTrace, PublicInputs, ZkParams), ProveError> {
    let (columns, pi) = src.trace(k)?;
    let trace = GloamTrace::new(columns, &pi);
    let air = GloamAir::new(trace.info().clone(), pi.clone(), default_options());
    let params = ZkParams::new(&air);
    params.check().map_err(ProveError::Stark)?;
    Ok((trace, pi, params))
}

/// Pass 1 for segment `k`: its main trace committed with the randomness of `key`; returns the
/// root.
///
/// # Errors
/// [`ProveError`] from building the trace.
pub fn commit_segment<S: SegmentSource + ?Sized>(
    src: &S,
    k: usize,
    key: &[u8; 32],
) -> Result<gloam_air::zk::Digest, ProveError> {
    let (trace, _, params) = build_segment(src, k)?;
    Ok(zk::commit_main(&trace, &params, &mut segment_rng(key, k)).root())
}

/// The shared LogUp challenges and transcript digest of a run whose segments committed to
/// `roots` ([`gloam_air::segments::shared_challenges`]).
///
/// # Errors
/// [`ProveError::Stark`] if the coin fails.
pub fn shared_challenges<S: SegmentSource + ?Sized>(
    src: &S,
    roots: &[gloam_air::zk::Digest],
) -> Result<(Vec<gloam_air::zk::QuadFelt>, [u8; 32]), ProveError> {
    let main_width = src.run().main_width();
    let seed = segments::segments_seed(src.run(), src.segment_rows(), main_width, src.boundaries());
    segments::shared_challenges(&seed, roots).map_err(ProveError::Stark)
}

/// Pass 2 for segment `k`: recommits its main trace (checked against `root`) and finishes its
/// proof with the shared challenges.
///
/// # Errors
/// [`ProveError`] from building or proving the segment.
pub fn prove_segment<S: SegmentSource + ?Sized>(
    src: &S,
    k: usize,
    key: &[u8; 32],
    root: &gloam_air::zk::Digest,
    aux_rand: &[gloam_air::zk::QuadFelt],
    shared: &[u8; 32],
) -> Result<SegmentProof, ProveError> {
    let (trace, pi, params) = build_segment(src, k)?;
    let mut rng = segment_rng(key, k);
    let main = zk::commit_main(&trace, &params, &mut rng);
    if main.root() != *root {
        return Err(ProveError::Stark(format!(
            "segment {k}'s main trace committed to another root than in pass 1"
        )));
    }
    let coin = segments::segment_coin(shared, k);
    let (proof, sum_end) = zk::prove_committed(
        trace,
        pi,
        main,
        coin,
        aux_rand.to_vec(),
        &mut rng,
        &|_: Phase| {},
    )?;
    Ok(SegmentProof {
        sum_end,
        proof: proof.to_bytes(),
    })
}

/// Assembles the segments' proofs into the encoded [`SegmentedProof`]; returns it with its
/// conjectured and proven security (bits, [`gloam_air::segments::security_bits`]).
pub fn assemble<S: SegmentSource + ?Sized>(
    src: &S,
    proofs: Vec<SegmentProof>,
) -> (Vec<u8>, u32, u32) {
    let count = src.count();
    let n = src.segment_rows();
    let air = {
        let pi = src.run().clone();
        let info = winterfell::TraceInfo::new_multi_segment(
            pi.main_width(),
            gloam_air::logup::AUX_WIDTH,
            gloam_air::logup::NUM_RAND,
            n,
            vec![],
        );
        GloamAir::new(info, pi, default_options())
    };
    let params = ZkParams::new(&air);
    let proof = SegmentedProof {
        segment_len_log2: n.ilog2() as u8,
        boundaries: src.boundaries().to_vec(),
        segments: proofs,
    };
    (
        proof.to_bytes(),
        segments::security_bits(params.conjectured_bits(), count, n),
        segments::security_bits(params.proven_bits(&air), count, n),
    )
}

/// Bytes one segment's pass-1 state takes when kept for pass 2 ([`prove_segments`]'s cache):
/// the trace, its randomised polynomials, their LDE (blowup 8) and the Merkle tree.
pub fn cached_segment_bytes(n: usize, main_columns: usize) -> u64 {
    let n = n as u64;
    main_columns as u64 * n * 8 * (1 + 1 + 8) + 2 * 8 * n * 32
}

/// Proves every segment of `src` with the zero-knowledge protocol, `parallel` segments at a
/// time (each with rayon's threads inside): pass 1 commits every main trace, pass 2 finishes
/// each proof. The first `cached` segments keep their pass-1 trace and commitment for pass 2
/// ([`cached_segment_bytes`] each); the others are rebuilt and recommitted to the same root.
/// Returns [`assemble`]'s result.
///
/// # Errors
/// [`ProveError`] from building a segment's trace or proving it.
pub fn prove_segments<S: SegmentSource + ?Sized>(
    src: &S,
    parallel: usize,
    cached: usize,
    progress: Option<Arc<dyn Fn(SegmentProgress) + Send + Sync>>,
) -> Result<(Vec<u8>, u32, u32), ProveError> {
    let count = src.count();
    let start = Instant::now();
    let mut key = [0u8; 32];
    rand::rng().fill(&mut key);
    let cycles_of = |k: usize| src.boundaries()[k + 1].clk - src.boundaries()[k].clk;
    let parallel = parallel.clamp(1, count);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let cycles_done = std::sync::atomic::AtomicU64::new(0);
    let tick = |pass: u8, k: usize| {
        use std::sync::atomic::Ordering::SeqCst;
        let d = done.fetch_add(1, SeqCst) + 1;
        let c = cycles_done.fetch_add(cycles_of(k), SeqCst) + cycles_of(k);
        if let Some(cb) = &progress {
            cb(SegmentProgress {
                pass,
                done: d,
                total: count,
                cycles_done: c,
                elapsed: start.elapsed().as_secs_f64(),
            });
        }
    };
    let indexes: Vec<usize> = (0..count).collect();
    let mut roots = Vec::with_capacity(count);
    let mut kept: Vec<Option<Kept>> = (0..count).map(|_| None).collect();
    for chunk in indexes.chunks(parallel) {
        let r: Result<Vec<_>, ProveError> = chunk
            .par_iter()
            .map(|&k| {
                let out = if k < cached {
                    let (trace, pi, params) = build_segment(src, k)?;
                    let mut rng = segment_rng(&key, k);
                    let main = zk::commit_main(&trace, &params, &mut rng);
                    (main.root(), Some((trace, pi, main, rng)))
                } else {
                    (commit_segment(src, k, &key)?, None)
                };
                tick(1, k);
                Ok(out)
            })
            .collect();
        for (i, (root, keep)) in r?.into_iter().enumerate() {
            roots.push(root);
            kept[chunk[0] + i] = keep;
        }
    }
    let (aux_rand, shared) = shared_challenges(src, &roots)?;
    done.store(0, std::sync::atomic::Ordering::SeqCst);
    cycles_done.store(0, std::sync::atomic::Ordering::SeqCst);
    let mut proofs = Vec::with_capacity(count);
    for chunk in indexes.chunks(parallel) {
        let keep: Vec<Option<Kept>> = chunk.iter().map(|&k| kept[k].take()).collect();
        let r: Result<Vec<_>, ProveError> = chunk
            .par_iter()
            .zip(keep)
            .map(|(&k, keep)| {
                let p = match keep {
                    Some((trace, pi, main, mut rng)) => {
                        let coin = segments::segment_coin(&shared, k);
                        let (proof, sum_end) = zk::prove_committed(
                            trace,
                            pi,
                            main,
                            coin,
                            aux_rand.clone(),
                            &mut rng,
                            &|_: Phase| {},
                        )?;
                        SegmentProof {
                            sum_end,
                            proof: proof.to_bytes(),
                        }
                    }
                    None => prove_segment(src, k, &key, &roots[k], &aux_rand, &shared)?,
                };
                tick(2, k);
                Ok(p)
            })
            .collect();
        proofs.extend(r?);
    }
    Ok(assemble(src, proofs))
}
