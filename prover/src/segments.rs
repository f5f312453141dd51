//! Long runs proven as segments (`gloam_air::segments`, `docs/air.md` §5, *Segments*).
//!
//! Each segment's proof uses the zero-knowledge protocol (`crate::zk`), but a segmented proof
//! is not zero-knowledge: the boundary states and each segment's running-sum end are public.
//!
//! A run is cut into execution segments of `n` rows: segment `k` executes cycles
//! `k (n - 1) .. (k + 1)(n - 1)` on rows `0..n-1`, and its last row holds the state of cycle
//! `(k + 1)(n - 1)`, the next segment's first row. Each execution segment's memory table holds
//! the addresses it touches (each consuming the carry token of the segment that touched it
//! last, or of the initial state, and producing its own), plus slot 0 and global word 0; words
//! it does not touch skip it. Final memory segments follow, which execute nothing and whose
//! tables consume every address's last token, `n - 1` addresses each, in address order.
//!
//! Proving takes two passes over the segments, because the LogUp challenges must come after
//! every segment's main trace is committed: pass 1 builds and commits each segment's main
//! trace; pass 2 finishes the segment's proof from what pass 1 kept of it: its trace and
//! commitment in memory when the memory limit leaves room, on disk ([`Spill`]) when the disk
//! does, or else only its root: pass 2 then builds it again and commits it again to the same
//! root (the randomness comes from a per-segment generator seeded from one fresh key). The run is never recorded whole: each pass executes it
//! again (traced, in chunks of `n - 1` cycles, `gloam_executor::run_traced_chunks_io`),
//! building each segment's memory table from the addresses it touches and its trace as its
//! steps arrive ([`SegmentPlan`]). Peak memory is that of the segments proven at once, never
//! the run's: one segment's trace and LDE at a time per worker, plus [`stream_bytes`] and the
//! sweep's map of the addresses the run has touched (about 40 bytes each).

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
use gloam_executor::{ExecError, IoInput, Limits, Outcome, Step};
use gloam_isa::{Op, Program};
use rand::{Rng, SeedableRng};
use rayon::prelude::*;
use winter_utils::Serializable;
use winterfell::{Air, Trace};

use crate::trace::columns::{fill_table_gaps, step_accesses, step_row};
use crate::trace::constraints::fill_inverses;
use crate::trace::fill_multiplicities;
use crate::{zk, GloamTrace, Phase, ProveError};

/// Longest run the traced interpreter records (2^29 cycles: its access timestamps `4t + j`
/// are 32-bit), so the longest run proven in segments.
pub const MAX_TRACED_CYCLES: u64 = 1 << 29;

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
    /// Segments of this pass done through the disk ([`Spill`]): spilled after pass 1's
    /// commitment, or read back for pass 2.
    pub spilled: usize,
}

/// One memory-table entry of a segment: the address, its value at the start and the end,
/// the last access's timestamp, and its carry flags (`cin`: consumes the token `d` segments
/// back, `cout`: produces one).
#[derive(Clone, Copy, Debug)]
struct Entry {
    addr: u64,
    v_in: u32,
    fval: u32,
    fts: u64,
    cin: bool,
    d: u32,
    cout: bool,
}

impl Entry {
    /// A row that takes no part in the carry chain: an untouched zero (padding).
    fn isolated(addr: u64) -> Self {
        Entry {
            addr,
            v_in: 0,
            fval: 0,
            fts: 0,
            cin: false,
            d: 0,
            cout: false,
        }
    }
}

/// What executes a run again: its entry, argument words, input streams and limits.
#[derive(Clone, Debug)]
pub struct RunInput {
    /// Exported entry function.
    pub entry: String,
    /// Argument words (`gloam_isa::value_words`).
    pub args: Vec<u32>,
    /// Input streams.
    pub io: IoInput,
    /// Fuel and resource limits.
    pub limits: Limits,
}

/// A run cut into segments, ready to build each segment's trace.
///
/// Nothing of the run's trace is kept: [`SegmentPlan::new`] executes the run once (checking
/// every segment's memory table and recording the boundary states), and each later pass
/// executes it again, building segment traces as the steps arrive
/// ([`SegmentSource::for_each_trace`]). Memory is one segment's steps (56 bytes a cycle, two
/// chunks of `n - 1` cycles) and a map of the addresses the run has touched so far (about 40
/// bytes each: bounded by the program's memory, not the run's length); re-executing costs
/// about a second per 10^7 cycles, against hours of proving.
pub struct SegmentPlan {
    program: Arc<Program>,
    /// The whole run's statement (wide layout, as every segment's).
    run: PublicInputs,
    input: RunInput,
    n: usize,
    cycles: u64,
    final_fp: u64,
    /// Execution segments; the others are final memory segments.
    exec: usize,
    /// `count + 1` states; the last `count + 1 - exec` are the halted state.
    boundaries: Vec<BoundaryState>,
    /// First addresses of the final memory segments' tables after the first.
    cuts: Vec<u64>,
    /// Rows of each final memory segment.
    final_n: usize,
}

/// The accesses of one step: `(address, value after)` of `a`, `b`, `c`, `d` when enabled.
fn accesses(program: &Program, st: &Step) -> [Option<(u64, u32)>; ACCESSES] {
    let values = [st.a, st.b, st.c, st.d];
    let acc = step_accesses(program, st);
    std::array::from_fn(|j| acc[j].0.then_some((acc[j].1, values[j])))
}

/// The sweep over a run that gives each segment its memory table: for every address the run
/// has touched or initialised, its current value and the label of the carry token holding it
/// (`k + 1` for the segment `k` that last touched it, 0 for the initial state).
struct Sweep<'a> {
    program: &'a Program,
    n: usize,
    period: usize,
    results: u64,
    state: HashMap<u64, (u32, u32)>,
}

impl<'a> Sweep<'a> {
    fn new(program: &'a Program, run: &'a PublicInputs, n: usize) -> Self {
        Sweep {
            program,
            n,
            period: run.program_period(),
            results: run.results.len().max(1) as u64,
            state: run
                .initial_words()
                .iter()
                .filter(|(_, v)| *v != 0)
                .map(|&(a, v)| (a, (v, 0)))
                .collect(),
        }
    }

    /// Execution segment `k`'s memory table from the steps it executes (at most `n - 1`),
    /// sorted by address, unpadded: the addresses it touches (each consuming the token that
    /// holds it, if any, and producing a new one), slot 0 and the first global word (the
    /// table's frame needs a row in each region); advances the state past the segment.
    fn table(&mut self, k: usize, steps: &[Step]) -> Result<Vec<Entry>, ProveError> {
        let n = self.n;
        let mut touched: BTreeMap<u64, (u32, u64)> = BTreeMap::new();
        for (r, st) in steps.iter().enumerate() {
            for (j, acc) in accesses(self.program, st).into_iter().enumerate() {
                if let Some((addr, v)) = acc {
                    touched.insert(addr, (v, (ACCESSES_PER_ROW * r + j + 1) as u64));
                }
            }
        }
        let mut addrs: BTreeSet<u64> = touched.keys().copied().collect();
        addrs.insert(0);
        addrs.insert(GLOBAL_BASE);
        if addrs.len() > n - 1 {
            return Err(ProveError::Segments(format!(
                "segment {k} touches {} addresses; a segment of {n} rows holds {}: use larger segments",
                addrs.len(),
                n - 1
            )));
        }
        let table: Vec<Entry> = addrs
            .into_iter()
            .map(|addr| match touched.get(&addr) {
                Some(&(fval, fts)) => {
                    let (v_in, cin, d) = match self.state.get(&addr) {
                        Some(&(v, j)) => (v, true, k as u32 - j),
                        None => (0, false, 0),
                    };
                    Entry {
                        addr,
                        v_in,
                        fval,
                        fts,
                        cin,
                        d,
                        cout: true,
                    }
                }
                None => Entry::isolated(addr),
            })
            .collect();
        for (a, (v, _)) in touched {
            self.state.insert(a, (v, k as u32 + 1));
        }
        Ok(table)
    }

    /// The final memory segments' rows and tables, from segment index `first` on
    /// ([`final_tables`]).
    fn final_tables(&self, first: usize) -> (usize, Vec<Vec<Entry>>) {
        final_tables(&self.state, self.results, self.n, self.period, first)
    }
}

/// The final memory segments' rows ([`segments::final_rows`], for execution segments of `n`
/// rows and a program table of `period` rows) and tables, from segment index `first` on, of
/// a run that left the carry tokens `state` (address to value and label): every address with
/// a token (its final value, consumed), slot 0, the `results` slots and the first global
/// word, in order, one less than the rows to a table; the padding the last table would need
/// goes into the slots above the highest one used (where there is always room), so every
/// table is full.
fn final_tables(
    state: &HashMap<u64, (u32, u32)>,
    results: u64,
    n: usize,
    period: usize,
    first: usize,
) -> (usize, Vec<Vec<Entry>>) {
    let mut addrs: Vec<u64> = state.keys().copied().collect();
    addrs.extend(0..results);
    addrs.push(GLOBAL_BASE);
    addrs.sort_unstable();
    addrs.dedup();
    let rows = segments::final_rows(addrs.len(), n, period);
    let per = rows - 1;
    let pad = addrs.len().div_ceil(per) * per - addrs.len();
    let top_slot = addrs
        .iter()
        .take_while(|a| region_of(**a) == 0)
        .last()
        .copied();
    let top_slot = top_slot.unwrap_or(0);
    addrs.extend((1..=pad as u64).map(|i| top_slot + i));
    addrs.sort_unstable();
    let tables = addrs
        .chunks(per)
        .enumerate()
        .map(|(c, chunk)| {
            let k = (first + c) as u32;
            chunk
                .iter()
                .map(|&addr| match state.get(&addr) {
                    Some(&(v, j)) => Entry {
                        addr,
                        v_in: v,
                        fval: v,
                        fts: 0,
                        cin: true,
                        d: k - j,
                        cout: true,
                    },
                    None => Entry::isolated(addr),
                })
                .collect()
        })
        .collect();
    (rows, tables)
}

/// A segment's main trace, column by column (`MAIN_WIDTH x n`).
pub type MainColumns = Vec<Vec<Felt>>;

/// The final memory segments of a run whose execution segments `0..first` (of `n` rows) left
/// the carry tokens `state` (address to value and label `k + 1` of the segment that produced
/// it, 0 for the initial state) and halted at `final_fp`: their rows, main traces and the
/// cuts between their tables. For tests that build execution segments themselves.
///
/// # Errors
/// [`ProveError::Segments`] if a table cannot be laid out.
#[doc(hidden)]
pub fn final_memory_segments(
    program: &Program,
    run: &PublicInputs,
    n: usize,
    first: usize,
    final_fp: u64,
    state: &HashMap<u64, (u32, u32)>,
) -> Result<(usize, Vec<MainColumns>, Vec<u64>), ProveError> {
    let (rows, tables) = final_tables(
        state,
        run.results.len().max(1) as u64,
        n,
        run.program_period(),
        first,
    );
    let cuts: Vec<u64> = tables[1..].iter().map(|t| t[0].addr).collect();
    let end = MEM_BASE + run.memory_words();
    let frames = segments::final_frames(&cuts, end);
    let traces = tables
        .into_iter()
        .zip(frames)
        .enumerate()
        .map(|(c, (table, frame))| {
            build_columns(
                program,
                first + c,
                rows,
                &[],
                table,
                frame,
                run.cycles,
                final_fp,
            )
        })
        .collect::<Result<Vec<_>, _>>()?;
    Ok((rows, traces, cuts))
}

/// A segment as the stream hands it over: its index, its steps (the cycles it executes and
/// the next segment's first step, which its last row holds; none for a final memory segment)
/// and its memory table (sorted, unpadded).
type Visit<'f> = &'f mut dyn FnMut(usize, &[Step], Vec<Entry>) -> Result<bool, ProveError>;

/// Executes the run (traced, in chunks of `n - 1` cycles) and hands every execution segment
/// to `f` in order, then every final memory segment; `f` returns `false` to stop the run
/// there. Returns the run's outcome, or `None` when `f` stopped it.
fn stream_run(
    program: &Arc<Program>,
    run: &PublicInputs,
    input: &RunInput,
    n: usize,
    f: Visit<'_>,
) -> Result<Option<Outcome>, ProveError> {
    let mut sweep = Sweep::new(program, run, n);
    let mut prev: Option<Vec<Step>> = None;
    let mut k = 0usize;
    let mut failed: Option<ProveError> = None;
    let mut sink = |chunk: Vec<Step>| -> bool {
        if let Some(mut steps) = prev.take() {
            let r = sweep.table(k, &steps).and_then(|table| {
                // The executor never hands over an empty chunk.
                steps.extend(chunk.first().copied());
                f(k, &steps, table)
            });
            match r {
                Ok(true) => {}
                Ok(false) => return false,
                Err(e) => {
                    failed = Some(e);
                    return false;
                }
            }
            k += 1;
        }
        prev = Some(chunk);
        true
    };
    let out = gloam_executor::run_traced_chunks_io(
        program,
        &input.entry,
        &input.args,
        &input.io,
        input.limits,
        n - 1,
        &mut sink,
    );
    match out {
        Err(ExecError::Stopped) => match failed {
            Some(e) => Err(e),
            None => Ok(None),
        },
        Err(e) => Err(e.into()),
        Ok(outcome) => {
            let steps = prev.take().unwrap_or_default();
            let table = sweep.table(k, &steps)?;
            if !f(k, &steps, table)? {
                return Ok(None);
            }
            for (c, table) in sweep.final_tables(k + 1).1.into_iter().enumerate() {
                if !f(k + 1 + c, &[], table)? {
                    return Ok(None);
                }
            }
            Ok(Some(outcome))
        }
    }
}

impl SegmentPlan {
    /// Cuts the run of `input` (statement `run`, whose results and cycles come from the fast
    /// interpreter; the wide layout of `PublicInputs::for_segment` is applied here) into
    /// segments of `n` rows: executes it once, traced, checking every segment's memory table
    /// and recording the boundary states, and keeps nothing else of it.
    ///
    /// # Errors
    /// [`ProveError::Segments`] if `n` is not a power of two in `[2^14, 2^22]` or below the
    /// program table, the run needs more than [`MAX_SEGMENTS`] segments, or a segment's memory
    /// table (the live and touched addresses) does not fit its rows;
    /// [`ProveError::Diverged`] if the traced run's results or cycles differ from `run`'s;
    /// [`ProveError::Exec`] from the traced run.
    pub fn new(
        program: Arc<Program>,
        run: PublicInputs,
        input: RunInput,
        n: usize,
    ) -> Result<Self, ProveError> {
        let (run, exec) = Self::shape(run, n)?;
        let cycles = run.cycles;
        let per = (n - 1) as u64;
        let mut boundaries: Vec<Option<(u32, u64)>> = Vec::with_capacity(exec + 2);
        let mut cuts = Vec::new();
        let mut final_n = n;
        let mut final_fp = 0;
        let outcome = stream_run(&program, &run, &input, n, &mut |k, steps, table| {
            boundaries.push(steps.first().map(|s| (s.pc, s.fp as u64)));
            if let Some(st) = steps.last() {
                final_fp = st.b as u64;
            }
            if k > exec {
                cuts.push(table[0].addr);
            }
            if k >= exec {
                final_n = table.len() + 1;
            }
            Ok(true)
        })?
        .ok_or_else(|| ProveError::Segments("internal error: the plan's run stopped".into()))?;
        if outcome.results != run.results
            || outcome.cycles != cycles
            || outcome.journal != run.io().journal
        {
            let describe = |results: &[u32], cycles: u64, journal: &[u8]| {
                format!(
                    "results {results:?}, {cycles} cycles, a journal of {} bytes",
                    journal.len()
                )
            };
            return Err(ProveError::Diverged {
                traced: describe(&outcome.results, outcome.cycles, &outcome.journal),
                fast: describe(&run.results, cycles, &run.io().journal),
            });
        }
        let count = boundaries.len();
        if count != exec + 1 + cuts.len() {
            return Err(ProveError::Segments(format!(
                "internal error: the run streamed {count} segments, not {exec} and final ones"
            )));
        }
        if count > MAX_SEGMENTS {
            return Err(ProveError::Segments(format!(
                "the run needs {count} segments of {n} rows ({exec} executing it, {} holding its final memory); at most {MAX_SEGMENTS}",
                count - exec
            )));
        }
        let mut boundaries: Vec<BoundaryState> = boundaries
            .into_iter()
            .enumerate()
            .map(|(k, b)| {
                let (pc, fp) = b.unwrap_or((gloam_isa::HALT_PC, final_fp));
                BoundaryState {
                    pc,
                    fp,
                    clk: (k as u64 * per).min(cycles),
                }
            })
            .collect();
        boundaries.push(BoundaryState {
            pc: gloam_isa::HALT_PC,
            fp: final_fp,
            clk: cycles,
        });
        Ok(SegmentPlan {
            program,
            run,
            input,
            n,
            cycles,
            final_fp,
            exec,
            boundaries,
            cuts,
            final_n,
        })
    }

    /// A plan whose boundary states and final memory cuts are already known (those
    /// [`SegmentPlan::new`] found, as `gloam split` writes them to `run.json`): nothing is
    /// executed here, so a job proving one segment executes the run only up to that segment
    /// (a final memory segment: the whole run); every segment built later is checked against
    /// its boundary states and cut.
    ///
    /// # Errors
    /// As [`SegmentPlan::new`] for `n` and the run's length; [`ProveError::Segments`] if
    /// `boundaries` are not `count + 1` states at the canonical cuts ending halted, for
    /// `count` execution segments and `cuts.len() + 1` final memory segments of `final_n` rows
    /// (a power of two from 2^14 to `n`).
    pub fn with_boundaries(
        program: Arc<Program>,
        run: PublicInputs,
        input: RunInput,
        n: usize,
        boundaries: Vec<BoundaryState>,
        cuts: Vec<u64>,
        final_n: usize,
    ) -> Result<Self, ProveError> {
        let (run, exec) = Self::shape(run, n)?;
        let cycles = run.cycles;
        let per = (n - 1) as u64;
        let count = exec + 1 + cuts.len();
        let canonical = count <= MAX_SEGMENTS
            && final_n.is_power_of_two()
            && (MIN_TRACE_LEN..=n).contains(&final_n)
            && boundaries.len() == count + 1
            && boundaries
                .iter()
                .enumerate()
                .all(|(k, b)| b.clk == (k as u64 * per).min(cycles))
            && boundaries[exec..]
                .iter()
                .all(|b| b.pc == gloam_isa::HALT_PC && *b == boundaries[exec])
            && cuts.windows(2).all(|w| w[0] < w[1]);
        if !canonical {
            return Err(ProveError::Segments(format!(
                "the boundary states do not cut a run of {cycles} cycles into {exec} segments of {n} rows and {} final memory segments",
                cuts.len() + 1
            )));
        }
        Ok(SegmentPlan {
            program,
            run,
            input,
            n,
            cycles,
            final_fp: boundaries[exec].fp,
            exec,
            boundaries,
            cuts,
            final_n,
        })
    }

    /// The wide statement and the segment count of a run of `run.cycles` cycles in segments
    /// of `n` rows, or why it cannot be cut so.
    fn shape(run: PublicInputs, n: usize) -> Result<(PublicInputs, usize), ProveError> {
        let bad = |s: String| ProveError::Segments(s);
        // Every segment has the wide layout, whose statement holds the whole initial state.
        let run = run.for_segment(SegmentInfo {
            index: 0,
            count: 2,
            exec: 1,
            start: BoundaryState::default(),
            end: BoundaryState::default(),
            frame: [0, 0],
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
        let cycles = run.cycles;
        if cycles >= gloam_air::MAX_SEGMENTED_CYCLES || cycles > MAX_TRACED_CYCLES {
            return Err(bad(format!(
                "a run of {cycles} cycles is longer than the traced interpreter records ({MAX_TRACED_CYCLES} cycles; its timestamps are 32-bit)"
            )));
        }
        let per = (n - 1) as u64;
        let count = cycles.div_ceil(per).max(1) as usize;
        if count >= MAX_SEGMENTS {
            return Err(bad(format!(
                "the run needs {count} segments of {n} rows and at least one final memory segment; at most {MAX_SEGMENTS} in all"
            )));
        }
        Ok((run, count))
    }

    /// Number of segments (execution and final memory segments).
    pub fn count(&self) -> usize {
        self.boundaries.len() - 1
    }

    /// Number of execution segments.
    pub fn exec(&self) -> usize {
        self.exec
    }

    /// Rows of each final memory segment.
    pub fn final_rows(&self) -> usize {
        self.final_n
    }

    /// The end of memory, `MEM_BASE +` memory words: the end marker of every execution
    /// segment's table and of the last final memory segment's.
    fn memory_end(&self) -> u64 {
        MEM_BASE + self.run.memory_words()
    }

    /// Segment `k`'s table range `[lo, hi)` ([`SegmentInfo::frame`]).
    fn frame(&self, k: usize) -> [u64; 2] {
        if k < self.exec {
            [0, self.memory_end()]
        } else {
            segments::final_frames(&self.cuts, self.memory_end())[k - self.exec]
        }
    }

    /// Segment `k`'s statement (its running sum's end still zero).
    pub fn statement(&self, k: usize) -> PublicInputs {
        self.run.clone().for_segment(SegmentInfo {
            index: k as u32,
            count: self.count() as u32,
            exec: self.exec as u32,
            start: self.boundaries[k],
            end: self.boundaries[k + 1],
            frame: self.frame(k),
            sum_end: [Felt::ZERO; 2],
        })
    }

    /// Executes the run again, handing each segment `k` that `want` selects its main trace
    /// and statement, in order (see [`SegmentSource::for_each_trace`]); `f` returns `false`
    /// to stop.
    fn stream(
        &self,
        want: &dyn Fn(usize) -> bool,
        f: &mut dyn FnMut(usize, Vec<Vec<Felt>>, PublicInputs) -> Result<bool, ProveError>,
    ) -> Result<(), ProveError> {
        let out = stream_run(
            &self.program,
            &self.run,
            &self.input,
            self.n,
            &mut |k, steps, table| {
                // The segment's first and last rows must hold its boundary states.
                let halted = (gloam_isa::HALT_PC, self.final_fp);
                let first = steps.first().map_or(halted, |s| (s.pc, s.fp as u64));
                let last = match steps.get(self.n - 1) {
                    Some(s) => (s.pc, s.fp as u64),
                    None if steps.last().is_none_or(|s| s.b as u64 == self.final_fp) => halted,
                    None => (u32::MAX, u64::MAX),
                };
                let at = |j: usize| self.boundaries.get(j).map(|b| (b.pc, b.fp));
                if k >= self.count() || Some(first) != at(k) || Some(last) != at(k + 1) {
                    return Err(ProveError::Segments(format!(
                        "the run executed again differs from its plan at segment {k}"
                    )));
                }
                if !want(k) {
                    return Ok(true);
                }
                let (cols, pi) = self.build(k, steps, table)?;
                f(k, cols, pi)
            },
        )?;
        if let Some(o) = out {
            if o.cycles != self.cycles
                || o.results != self.run.results
                || o.journal != self.run.io().journal
            {
                return Err(ProveError::Segments(
                    "the run executed again differs from its plan".into(),
                ));
            }
        }
        Ok(())
    }

    /// Builds segment `k`'s main trace (`MAIN_WIDTH x n`) and statement, executing the run
    /// up to that segment.
    ///
    /// # Errors
    /// As [`SegmentPlan::new`] for the run; [`ProveError::Segments`] if two neighbouring
    /// table addresses are 2^32 apart or more (the table's gap bytes; never for frames, which
    /// grow by a call's frame size).
    pub fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        if k >= self.count() {
            return Err(ProveError::Segments(format!(
                "the run has {} segments, no segment {k}",
                self.count()
            )));
        }
        let mut found = None;
        self.stream(&|j| j == k, &mut |_, cols, pi| {
            found = Some((cols, pi));
            Ok(false)
        })?;
        found.ok_or_else(|| ProveError::Segments(format!("the run has no segment {k}")))
    }

    /// Segment `k`'s main trace from `steps` (its cycles and the next segment's first step)
    /// and its memory `table`.
    fn build(
        &self,
        k: usize,
        steps: &[Step],
        table: Vec<Entry>,
    ) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        let n = if k < self.exec { self.n } else { self.final_n };
        let program = &self.program;
        let [lo, hi] = self.frame(k);
        if table.first().map(|e| e.addr) != Some(lo) {
            return Err(ProveError::Segments(format!(
                "the run executed again differs from its plan at segment {k}'s memory"
            )));
        }
        let columns = build_columns(
            program,
            k,
            n,
            steps,
            table,
            [lo, hi],
            self.cycles,
            self.final_fp,
        )?;
        Ok((columns, self.statement(k)))
    }
}

/// Segment `k`'s main trace (`MAIN_WIDTH x n`): its `steps` (its cycles and the next
/// segment's first step; halted rows after them, at `cycles` and `final_fp`) and its memory
/// `table` in the range `[lo, hi)`, padded with the lowest unused addresses from `lo`.
#[allow(clippy::too_many_arguments)]
fn build_columns(
    program: &Program,
    k: usize,
    n: usize,
    steps: &[Step],
    table: Vec<Entry>,
    [lo, hi]: [u64; 2],
    cycles: u64,
    final_fp: u64,
) -> Result<Vec<Vec<Felt>>, ProveError> {
    let c0 = k * (n - 1);
    // The table: its entries, padded with the lowest unused addresses from its start.
    let used: BTreeSet<u64> = table.iter().map(|e| e.addr).collect();
    let pad: Vec<Entry> = (lo..hi)
        .filter(|a| !used.contains(a))
        .take(n - 1 - table.len())
        .map(Entry::isolated)
        .collect();
    if table.len() + pad.len() != n - 1 {
        return Err(ProveError::Segments(format!(
            "segment {k}: no room for its table's {} rows below address {hi}",
            n - 1
        )));
    }
    let mut rows_table = table;
    rows_table.extend(pad);
    rows_table.sort_unstable_by_key(|e| e.addr);
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
            v[CLK] = cycles;
            v[PC] = gloam_isa::HALT_PC as u64;
            v[FP] = final_fp;
            encode_op(&mut v, Op::Halt);
        }
        for i in 0..WORD_BYTES {
            v[Z + i] = v[X + i] & v[Y + i];
            v[W + i] = v[X + i] ^ v[Y + i];
        }
        if row < n - 1 {
            let e = rows_table[row];
            v[TADDR] = e.addr;
            v[REGION] = region_of(e.addr);
            v[FVAL] = e.fval as u64;
            v[FTS] = e.fts;
            v[V_IN] = e.v_in as u64;
            v[CIN] = e.cin as u64;
            v[COUT] = e.cout as u64;
            v[DJ] = (e.d & 255) as u64;
            v[DJ + 1] = (e.d >> 8) as u64;
        } else {
            v[TADDR] = hi;
            v[REGION] = region_of(hi);
        }
        for (c, val) in cols.iter_mut().zip(v) {
            c[row] = val;
        }
    }
    fill_table_gaps(&mut cols, n - 1).map_err(|(t, t1)| {
        ProveError::Segments(format!(
            "segment {k}: table addresses {t} and {t1} are too far apart"
        ))
    })?;
    let mut columns: Vec<Vec<Felt>> = cols
        .into_iter()
        .map(|c| c.into_iter().map(Felt::new).collect())
        .collect();
    fill_inverses(&mut columns, program, steps);
    fill_multiplicities(&mut columns);
    Ok(columns)
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
    /// The cut addresses between the final memory segments' tables
    /// ([`SegmentedProof::cuts`]).
    fn cuts(&self) -> &[u64];
    /// Rows of each final memory segment ([`SegmentedProof::final_len_log2`]).
    fn final_rows(&self) -> usize;
    /// Segment `k`'s main trace (`MAIN_WIDTH x n`) and statement.
    ///
    /// # Errors
    /// [`ProveError`] if the trace cannot be built.
    fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError>;
    /// Hands the main trace and statement of every segment `want` selects to `f`, in order of
    /// `k`. The default calls [`SegmentSource::trace`] for each; [`SegmentPlan`] executes
    /// the run once for all of them.
    ///
    /// # Errors
    /// [`ProveError`] from building a trace or from `f`.
    fn for_each_trace(
        &self,
        want: &dyn Fn(usize) -> bool,
        f: &mut dyn FnMut(usize, Vec<Vec<Felt>>, PublicInputs) -> Result<(), ProveError>,
    ) -> Result<(), ProveError> {
        for k in (0..self.count()).filter(|&k| want(k)) {
            let (cols, pi) = self.trace(k)?;
            f(k, cols, pi)?;
        }
        Ok(())
    }
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
    fn cuts(&self) -> &[u64] {
        &self.cuts
    }
    fn final_rows(&self) -> usize {
        self.final_n
    }
    fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        SegmentPlan::trace(self, k)
    }
    fn for_each_trace(
        &self,
        want: &dyn Fn(usize) -> bool,
        f: &mut dyn FnMut(usize, Vec<Vec<Felt>>, PublicInputs) -> Result<(), ProveError>,
    ) -> Result<(), ProveError> {
        self.stream(want, &mut |k, cols, pi| f(k, cols, pi).map(|()| true))
    }
}

/// A segment's pass-1 state kept for pass 2.
type Kept = (
    GloamTrace,
    PublicInputs,
    zk::MainCommitment,
    rand::rngs::StdRng,
);

/// Where pass 1 may keep main commitments that do not fit in memory ([`prove_segments`]): a
/// directory on disk and a budget of bytes. The spilled segments share one unnamed temporary
/// file (created in `dir`, removed when the proof is done or the process ends), each taking
/// [`spilled_segment_bytes`] of it, instead of being rebuilt and recommitted in pass 2. Unix
/// only (positioned reads and writes); elsewhere nothing is spilled.
#[derive(Clone, Debug)]
pub struct Spill {
    /// Directory of the temporary file (a disk, not a RAM-backed file system, or spilling
    /// costs the memory it saves).
    pub dir: std::path::PathBuf,
    /// Most bytes spilled.
    pub max_bytes: u64,
}

/// One proof's spill file: the spilled segments' regions, allotted in order.
struct SpillFile {
    file: std::fs::File,
    /// Bytes allotted so far.
    used: std::sync::atomic::AtomicU64,
    max: u64,
}

impl SpillFile {
    /// The file for `spill`, or `None` (logged) if it cannot be created.
    fn create(spill: &Spill) -> Option<SpillFile> {
        if spill.max_bytes == 0 || !cfg!(unix) {
            return None;
        }
        match tempfile::tempfile_in(&spill.dir) {
            Ok(file) => Some(SpillFile {
                file,
                used: std::sync::atomic::AtomicU64::new(0),
                max: spill.max_bytes,
            }),
            Err(e) => {
                tracing::warn!(dir = %spill.dir.display(), error = %e, "no spill file: pass 2 rebuilds segments instead");
                None
            }
        }
    }

    /// Allots `bytes` for a segment; returns its offset, or `None` when the budget is spent.
    fn allot(&self, bytes: u64) -> Option<u64> {
        use std::sync::atomic::Ordering::SeqCst;
        self.used
            .fetch_update(SeqCst, SeqCst, |used| {
                used.checked_add(bytes).filter(|&end| end <= self.max)
            })
            .ok()
    }

    /// Spends the rest of the budget (after a failed write: the disk is likely full).
    fn close(&self) {
        self.used
            .store(u64::MAX, std::sync::atomic::Ordering::SeqCst);
    }
}

/// A reader or writer at a position of a file (positioned reads and writes, so segments
/// spill concurrently to their own regions of one file).
struct At<'a> {
    file: &'a std::fs::File,
    pos: u64,
}

#[cfg(unix)]
impl std::io::Write for At<'_> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let n = std::os::unix::fs::FileExt::write_at(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(unix)]
impl std::io::Read for At<'_> {
    fn read(&mut self, buf: &mut [u8]) -> std::io::Result<usize> {
        let n = std::os::unix::fs::FileExt::read_at(self.file, buf, self.pos)?;
        self.pos += n as u64;
        Ok(n)
    }
}

#[cfg(not(unix))]
impl std::io::Write for At<'_> {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

#[cfg(not(unix))]
impl std::io::Read for At<'_> {
    fn read(&mut self, _: &mut [u8]) -> std::io::Result<usize> {
        Err(std::io::ErrorKind::Unsupported.into())
    }
}

/// A segment's pass-1 state on disk: its trace and main commitment at `offset` of the spill
/// file ([`zk::MainCommitment::spill`], checked on reading by `hash` and `root`), the rest in
/// memory.
struct Spilled {
    offset: u64,
    hash: blake3::Hash,
    root: gloam_air::zk::Digest,
    info: winterfell::TraceInfo,
    randomizers: usize,
    pi: PublicInputs,
    rng: rand::rngs::StdRng,
}

/// What pass 1 kept of a segment for pass 2 (nothing: pass 2 rebuilds it).
enum Pass1 {
    Memory(Box<Kept>),
    Disk(Box<Spilled>),
}

/// Bytes one segment's pass-1 state takes on disk when spilled ([`Spill`]): its trace, its
/// randomised polynomials, their LDE (blowup 8) and the Merkle tree's leaves, and the salt
/// key; for `n` rows by `main_columns` committed columns.
pub fn spilled_segment_bytes(n: usize, main_columns: usize) -> u64 {
    zk::MainCommitment::spill_bytes(
        n,
        gloam_air::zk::ZK_BLOWUP * n,
        main_columns,
        gloam_air::zk::MAIN_RANDOMIZERS,
    )
}

/// Writes a segment's pass-1 state to its region of the spill file; `None` if the budget is
/// spent or the write fails (logged; no more spilling then).
fn spill_segment(to: &SpillFile, kept: Kept, params: &ZkParams) -> Option<Spilled> {
    let bytes = zk::MainCommitment::spill_bytes(
        params.trace_len,
        params.lde_len,
        params.main_width,
        params.main_randomizers,
    );
    let offset = to.allot(bytes)?;
    let (trace, pi, main, rng) = kept;
    let mut w = At {
        file: &to.file,
        pos: offset,
    };
    match main.spill(&trace, &mut w) {
        Ok(hash) => Some(Spilled {
            offset,
            hash,
            root: main.root(),
            info: trace.info().clone(),
            randomizers: params.main_randomizers,
            pi,
            rng,
        }),
        Err(e) => {
            tracing::warn!(error = %e, "spilling a segment failed: it and later ones are rebuilt in pass 2");
            to.close();
            None
        }
    }
}

/// Reads a spilled segment back: its trace, statement, main commitment and generator.
fn unspill_segment(from: &SpillFile, s: Spilled) -> std::io::Result<Kept> {
    let Spilled {
        offset,
        hash,
        root,
        info,
        randomizers,
        pi,
        rng,
    } = s;
    let mut r = std::io::BufReader::with_capacity(
        1 << 20,
        At {
            file: &from.file,
            pos: offset,
        },
    );
    let (trace, main) = zk::MainCommitment::unspill(&mut r, &info, randomizers, &hash, &root)?;
    Ok((trace, pi, main, rng))
}

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
    build_from(columns, pi)
}

fn build_from(
    columns: Vec<Vec<Felt>>,
    pi: PublicInputs,
) -> Result<(GloamTrace, PublicInputs, ZkParams), ProveError> {
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
    let seed = segments::segments_seed(
        src.run(),
        src.segment_rows(),
        src.final_rows(),
        main_width,
        src.boundaries(),
        src.cuts(),
    );
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
    let (columns, pi) = src.trace(k)?;
    prove_built(columns, pi, k, key, root, aux_rand, shared)
}

/// [`prove_segment`] on segment `k`'s built trace.
fn prove_built(
    columns: Vec<Vec<Felt>>,
    pi: PublicInputs,
    k: usize,
    key: &[u8; 32],
    root: &gloam_air::zk::Digest,
    aux_rand: &[gloam_air::zk::QuadFelt],
    shared: &[u8; 32],
) -> Result<SegmentProof, ProveError> {
    let (trace, pi, params) = build_from(columns, pi)?;
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
    let final_n = src.final_rows();
    let exec = (segments::segment_count(src.run().cycles, n) as usize).min(count);
    let rows = (exec * n + (count - exec) * final_n) as u64;
    let proof = SegmentedProof {
        segment_len_log2: n.ilog2() as u8,
        final_len_log2: final_n.ilog2() as u8,
        boundaries: src.boundaries().to_vec(),
        cuts: src.cuts().to_vec(),
        segments: proofs,
    };
    (
        proof.to_bytes(),
        segments::security_bits(params.conjectured_bits(), count, rows),
        segments::security_bits(params.proven_bits(&air), count, rows),
    )
}

/// Bytes the run's execution takes while its segments stream ([`SegmentPlan`]) for segments
/// of `n` rows: two chunks of `n - 1` steps (56 bytes each, with the executor's growth
/// slack), and the live words and one table (at most `n - 1` each).
pub fn stream_bytes(n: usize) -> u64 {
    let n = n as u64;
    4 * n * RECORD_STEP_BYTES + n * 160
}

const RECORD_STEP_BYTES: u64 = std::mem::size_of::<Step>() as u64;

/// Bytes one segment's pass-1 state takes when kept for pass 2 ([`prove_segments`]'s cache):
/// the trace, its randomised polynomials, their LDE (blowup 8) and the Merkle tree.
pub fn cached_segment_bytes(n: usize, main_columns: usize) -> u64 {
    let n = n as u64;
    main_columns as u64 * n * 8 * (1 + 1 + 8) + 2 * 8 * n * 32
}

/// Proves every segment of `src` with the zero-knowledge protocol, `parallel` segments at a
/// time (each with rayon's threads inside): pass 1 commits every main trace, pass 2 finishes
/// each proof. The first `cached` segments keep their pass-1 trace and commitment in memory
/// for pass 2 ([`cached_segment_bytes`] each); the next ones, as far as `spill` allows,
/// write them to disk ([`spilled_segment_bytes`] each) and read them back; the others are
/// rebuilt (the run executed again) and recommitted to the same root, as is a spilled segment
/// whose file cannot be written or read back intact. Returns [`assemble`]'s result.
///
/// # Errors
/// [`ProveError`] from building a segment's trace or proving it.
pub fn prove_segments<S: SegmentSource + ?Sized>(
    src: &S,
    parallel: usize,
    cached: usize,
    spill: Option<&Spill>,
    progress: Option<Arc<dyn Fn(SegmentProgress) + Send + Sync>>,
) -> Result<(Vec<u8>, u32, u32), ProveError> {
    let mut key = [0u8; 32];
    rand::rng().fill(&mut key);
    prove_segments_with_key(src, parallel, cached, spill, progress, key)
}

/// [`prove_segments`] with the proof's secret randomness key given: the same key gives the
/// same proof whichever pass-1 state (memory, disk, none) each segment's pass 2 starts from.
/// For tests; a proof must use a fresh random key (its randomisers hide the trace).
#[doc(hidden)]
pub fn prove_segments_with_key<S: SegmentSource + ?Sized>(
    src: &S,
    parallel: usize,
    cached: usize,
    spill: Option<&Spill>,
    progress: Option<Arc<dyn Fn(SegmentProgress) + Send + Sync>>,
    key: [u8; 32],
) -> Result<(Vec<u8>, u32, u32), ProveError> {
    let count = src.count();
    let spill_file = spill.and_then(SpillFile::create);
    let start = Instant::now();
    let cycles_of = |k: usize| src.boundaries()[k + 1].clk - src.boundaries()[k].clk;
    if count == 0 || src.boundaries().len() != count + 1 {
        return Err(ProveError::Segments(
            "a run has at least one segment and a boundary state more than segments".into(),
        ));
    }
    let parallel = parallel.clamp(1, count);
    let done = std::sync::atomic::AtomicUsize::new(0);
    let cycles_done = std::sync::atomic::AtomicU64::new(0);
    let spilled = std::sync::atomic::AtomicUsize::new(0);
    let tick = |pass: u8, k: usize, disk: bool| {
        use std::sync::atomic::Ordering::SeqCst;
        let d = done.fetch_add(1, SeqCst) + 1;
        let c = cycles_done.fetch_add(cycles_of(k), SeqCst) + cycles_of(k);
        let s = spilled.fetch_add(usize::from(disk), SeqCst) + usize::from(disk);
        if let Some(cb) = &progress {
            cb(SegmentProgress {
                pass,
                done: d,
                total: count,
                cycles_done: c,
                elapsed: start.elapsed().as_secs_f64(),
                spilled: s,
            });
        }
    };
    // Pass 1: the segments arrive in order (one execution of the run) and are committed
    // `parallel` at a time.
    type Built = (usize, Vec<Vec<Felt>>, PublicInputs);
    let commit_batch = |batch: Vec<Built>| -> Result<Vec<(usize, _, Option<Pass1>)>, ProveError> {
        batch
            .into_par_iter()
            .map(|(k, cols, pi)| {
                let (trace, pi, params) = build_from(cols, pi)?;
                let mut rng = segment_rng(&key, k);
                let main = zk::commit_main(&trace, &params, &mut rng);
                let root = main.root();
                let kept = (trace, pi, main, rng);
                let keep = if k < cached {
                    Some(Pass1::Memory(Box::new(kept)))
                } else if let Some(file) = &spill_file {
                    spill_segment(file, kept, &params).map(|s| Pass1::Disk(Box::new(s)))
                } else {
                    None
                };
                tick(1, k, matches!(keep, Some(Pass1::Disk(_))));
                Ok((k, root, keep))
            })
            .collect()
    };
    let mut roots = vec![None; count];
    let mut kept: Vec<Option<Pass1>> = (0..count).map(|_| None).collect();
    let mut batch: Vec<Built> = Vec::with_capacity(parallel);
    let mut take = |batch: Vec<Built>| -> Result<(), ProveError> {
        for (k, root, keep) in commit_batch(batch)? {
            let bad = || ProveError::Segments(format!("segment {k} of {count} handed over"));
            *roots.get_mut(k).ok_or_else(bad)? = Some(root);
            *kept.get_mut(k).ok_or_else(bad)? = keep;
        }
        Ok(())
    };
    src.for_each_trace(&|_| true, &mut |k, cols, pi| {
        batch.push((k, cols, pi));
        if batch.len() == parallel {
            take(std::mem::take(&mut batch))?;
        }
        Ok(())
    })?;
    take(batch)?;
    let roots: Vec<gloam_air::zk::Digest> = roots
        .into_iter()
        .enumerate()
        .map(|(k, r)| r.ok_or_else(|| ProveError::Segments(format!("segment {k} was never built"))))
        .collect::<Result<_, _>>()?;
    let (aux_rand, shared) = shared_challenges(src, &roots)?;
    done.store(0, std::sync::atomic::Ordering::SeqCst);
    cycles_done.store(0, std::sync::atomic::Ordering::SeqCst);
    spilled.store(0, std::sync::atomic::Ordering::SeqCst);
    // Pass 2: the segments kept in memory first, then those spilled to disk, then the others
    // rebuilt as the run executes again.
    let mut proofs: Vec<Option<SegmentProof>> = (0..count).map(|_| None).collect();
    let kept_ks: Vec<usize> = (0..count).filter(|&k| kept[k].is_some()).collect();
    for chunk in kept_ks.chunks(parallel) {
        let keep: Vec<(usize, Pass1)> = chunk
            .iter()
            .map(|&k| (k, kept[k].take().expect("kept")))
            .collect();
        let r: Result<Vec<_>, ProveError> = keep
            .into_par_iter()
            .map(|(k, state)| {
                let disk = matches!(state, Pass1::Disk(_));
                let (trace, pi, main, mut rng) = match state {
                    Pass1::Memory(kept) => *kept,
                    Pass1::Disk(s) => {
                        let file = spill_file.as_ref().ok_or_else(|| {
                            ProveError::Segments("a spilled segment without a spill file".into())
                        })?;
                        match unspill_segment(file, *s) {
                            Ok(kept) => kept,
                            Err(e) => {
                                tracing::warn!(segment = k, error = %e, "a spilled segment did not read back: rebuilt");
                                return Ok((k, None));
                            }
                        }
                    }
                };
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
                tick(2, k, disk);
                Ok((
                    k,
                    Some(SegmentProof {
                        sum_end,
                        proof: proof.to_bytes(),
                    }),
                ))
            })
            .collect();
        for (k, p) in r? {
            proofs[k] = p;
        }
    }
    let prove_batch = |batch: Vec<Built>| -> Result<Vec<(usize, SegmentProof)>, ProveError> {
        batch
            .into_par_iter()
            .map(|(k, cols, pi)| {
                let root = roots
                    .get(k)
                    .ok_or_else(|| ProveError::Segments(format!("no segment {k}")))?;
                let p = prove_built(cols, pi, k, &key, root, &aux_rand, &shared)?;
                tick(2, k, false);
                Ok((k, p))
            })
            .collect()
    };
    let rest: Vec<bool> = proofs.iter().map(|p| p.is_none()).collect();
    let mut batch: Vec<Built> = Vec::with_capacity(parallel);
    let mut put = |batch: Vec<Built>| -> Result<(), ProveError> {
        for (k, p) in prove_batch(batch)? {
            *proofs.get_mut(k).ok_or_else(|| {
                ProveError::Segments(format!("segment {k} of {count} handed over"))
            })? = Some(p);
        }
        Ok(())
    };
    if rest.iter().any(|r| *r) {
        src.for_each_trace(
            &|k| rest.get(k).copied().unwrap_or(false),
            &mut |k, cols, pi| {
                batch.push((k, cols, pi));
                if batch.len() == parallel {
                    put(std::mem::take(&mut batch))?;
                }
                Ok(())
            },
        )?;
        put(batch)?;
    }
    let proofs: Vec<SegmentProof> = proofs
        .into_iter()
        .enumerate()
        .map(|(k, p)| {
            p.ok_or_else(|| ProveError::Segments(format!("segment {k} was never proven")))
        })
        .collect::<Result<_, _>>()?;
    Ok(assemble(src, proofs))
}
