//! The `winterfell` AIR of Gloam: [`GloamAir`], its [`PublicInputs`] and proof options.

use std::sync::Arc;

use gloam_isa::{Program, ProgramHash};
use winterfell::math::fft;
use winterfell::{
    Air, AirContext, Assertion, AuxRandElements, BatchingMethod, EvaluationFrame, FieldExtension,
    ProofOptions, TraceInfo, TransitionConstraintDegree,
};

use crate::boundary;
use crate::buses;
use crate::columns::{self, *};
use crate::constraints::{self, FAMILIES};
use crate::field::{ExtensionOf, Felt, FieldElement, ToElements};
use crate::logup::{self, aux_degrees, Challenges, AUX_WIDTH, NUM_RAND};

/// Shortest trace: the byte tables (2^16 entries, four per row) are periodic columns of
/// period 2^14 and must fit.
pub const MIN_TRACE_LEN: usize = columns::BYTE_PERIOD;
/// Longest trace: timestamps `4 * row + 3` must stay below 2^24 (the range of the
/// timestamp-gap check). 2^22 rows = 4,194,303 cycles.
pub const MAX_TRACE_LEN: usize = 1 << 22;
/// Blowup the constraints need: the highest constraint degree is 5 (LogUp helpers with four
/// fractions), so the degree bound is 4 and the constraint
/// evaluation domain is 4x the trace.
pub const CE_BLOWUP: usize = 4;

/// Default proof options, the same STARK parameters as Miden VM's 96-bit profile: 27 FRI
/// queries, blowup 8, 16 bits of grinding, quadratic extension of Goldilocks, FRI folding
/// factor 8, remainder degree < 128, linear batching. Conjectured security (ethSTARK
/// conjecture, ePrint 2021/582, eq. 19, as `winterfell` computes it): 96 bits, capped by the
/// extension field and blake3-256 collision resistance (128 bits); proven security about 55
/// bits (list-decoding regime). The prover reports both figures for every proof.
pub fn default_options() -> ProofOptions {
    ProofOptions::new(
        27,
        8,
        16,
        FieldExtension::Quadratic,
        8,
        127,
        BatchingMethod::Linear,
        BatchingMethod::Linear,
    )
}

/// The machine state at a segment boundary: the last row of segment `k` and the first row of
/// segment `k + 1` hold it (`docs/air.md` §5, *Segments*). Memory (frame slots, globals,
/// linear memory, tables) is handed over by the carry bus, not listed here.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Default)]
pub struct BoundaryState {
    /// Program counter (below the program's length).
    pub pc: u32,
    /// Frame pointer (below 2^54, `docs/air.md` §5, *Address separation*).
    pub fp: u64,
    /// Cycles executed before this row.
    pub clk: u64,
}

/// Largest frame pointer a boundary state may hold: slot addresses stay below 2^54.
pub const MAX_BOUNDARY_FP: u64 = 1 << 54;
/// Longest run a segmented proof may claim, in cycles (2^40): `CLK` and the cycle count stay
/// canonical field elements far below p.
pub const MAX_SEGMENTED_CYCLES: u64 = 1 << 40;

/// Which segment of a long run a statement covers ([`PublicInputs::for_segment`]).
///
/// A run in segments has `exec` execution segments, which execute its cycles, followed by
/// `count - exec >= 1` final memory segments, which execute nothing (every row halted) and
/// whose memory tables consume the final value of every address the run touched or
/// initialised, in disjoint address ranges (`docs/air.md` §5, *Segments*).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentInfo {
    /// Its index `k`, from 0.
    pub index: u32,
    /// Number of segments of the run (execution and final memory segments).
    pub count: u32,
    /// Number of execution segments: `ceil(cycles / (n - 1))`, at least 1.
    pub exec: u32,
    /// The state on its first row.
    pub start: BoundaryState,
    /// The state on its last row (the next segment's first; for the last execution segment
    /// and every final memory segment, the halted state `pc = 0`, `clk = cycles`).
    pub end: BoundaryState,
    /// The memory table's address range `[lo, hi)`: `TADDR[0] = lo` and the end marker
    /// `TADDR[n-1] = hi`. An execution segment's is `[0, MEM_BASE + memory words)`; the final
    /// memory segments' ranges partition it, in order.
    pub frame: [u64; 2],
    /// Where its LogUp running sum ends (quadratic-extension coordinates): public, chosen by
    /// the prover after the shared challenges; the verifier checks that the segments' ends sum
    /// to [`crate::logup::expected_carry_sum`] of the initial state.
    pub sum_end: [Felt; 2],
}

impl SegmentInfo {
    /// Whether it is the execution segment in which the run halts.
    pub fn is_last(&self) -> bool {
        self.index + 1 == self.exec
    }
    /// Whether it is a final memory segment (executes nothing, only consumes carried values).
    pub fn is_final(&self) -> bool {
        self.index >= self.exec
    }
}

/// The public statement: *running program `program` from export `entry` (first pc
/// `entry_pc`) on `args` halts after `cycles` cycles with `results`*.
#[derive(Clone, Debug)]
pub struct PublicInputs {
    program: Arc<Program>,
    program_hash: ProgramHash,
    /// Name of the exported entry function. Bound into the statement (a function exported
    /// under two names would otherwise give one proof that verifies under both).
    pub entry: String,
    /// First pc of the entry function.
    pub entry_pc: u32,
    /// Arguments of the entry function.
    pub args: Vec<u32>,
    /// Results it returned.
    pub results: Vec<u32>,
    /// Cycles executed.
    pub cycles: u64,
    /// The initial state besides zeros, from the arguments and the module (not hashed into
    /// the seed separately: the module is bound by the program hash): `(address, value)` of
    /// the argument slots, the nonzero global words and the nonzero memory words.
    initial: Arc<Vec<(u64, u32)>>,
    /// The linear memory's size in 4-byte words ([`gloam_isa::image::memory_words`]).
    memory_words: u64,
    /// The main trace's layout, from the program.
    layout: Layout,
    /// The committed main columns ([`columns::committed_columns`]).
    committed: Vec<usize>,
    /// The public input and the journal (`gloam_isa::io`; empty for a program that does not
    /// import the contract interface).
    io: Arc<gloam_isa::PublicIo>,
    /// The segment of a long run this statement covers (`None`: the whole run).
    segment: Option<SegmentInfo>,
}

impl PublicInputs {
    /// A statement about `program` (its hash is computed here, never taken on trust).
    pub fn new(
        program: Arc<Program>,
        entry: &str,
        entry_pc: u32,
        args: Vec<u32>,
        results: Vec<u32>,
        cycles: u64,
    ) -> Self {
        let program_hash = program.hash();
        let mut initial: Vec<(u64, u32)> = args
            .iter()
            .enumerate()
            .map(|(i, v)| (i as u64, *v))
            .collect();
        let layout = Layout::of(&program);
        // The narrow layout's programs read no global or memory word: their initial values
        // cannot matter, and its table (addressed by `IDX`) has no rows for them.
        let wide = layout == Layout::Wide;
        initial.extend(
            gloam_isa::image::initial_global_words(&program)
                .into_iter()
                .filter(|_| wide)
                .map(|(w, v)| (columns::GLOBAL_BASE + w as u64, v)),
        );
        initial.extend(
            gloam_isa::image::initial_memory_words(&program)
                .into_iter()
                .filter(|_| wide)
                .map(|(w, v)| (columns::MEM_BASE + w as u64, v)),
        );
        let memory_words = gloam_isa::image::memory_words(&program);
        let committed = columns::committed_columns(&program);
        PublicInputs {
            program,
            program_hash,
            entry: entry.to_string(),
            entry_pc,
            args,
            results,
            cycles,
            initial: Arc::new(initial),
            memory_words,
            layout,
            committed,
            io: Arc::default(),
            segment: None,
        }
    }

    /// The statement of one segment of the run (`docs/air.md` §5, *Segments*): always the
    /// wide layout (the carry columns), the initial state of the whole module (only segment 0's
    /// table holds it, checked through the segments' sums), and `segment`'s boundary states
    /// instead of the run's start and end.
    pub fn for_segment(mut self, segment: SegmentInfo) -> Self {
        if self.layout == Layout::Narrow {
            let io = (*self.io).clone();
            let mut wide = PublicInputs::new(
                self.program.clone(),
                &self.entry,
                self.entry_pc,
                self.args.clone(),
                self.results.clone(),
                self.cycles,
            );
            wide.layout = Layout::Wide;
            wide.committed = columns::committed_columns_in(&wide.program, Layout::Wide);
            let initial = Arc::make_mut(&mut wide.initial);
            initial.extend(
                gloam_isa::image::initial_global_words(&wide.program)
                    .into_iter()
                    .map(|(w, v)| (columns::GLOBAL_BASE + w as u64, v)),
            );
            initial.extend(
                gloam_isa::image::initial_memory_words(&wide.program)
                    .into_iter()
                    .map(|(w, v)| (columns::MEM_BASE + w as u64, v)),
            );
            self = wide.with_io(io);
        }
        self.segment = Some(segment);
        self
    }

    /// The segment this statement covers, if it is one segment of a long run.
    pub fn segment(&self) -> Option<&SegmentInfo> {
        self.segment.as_ref()
    }

    /// The LogUp challenges as this statement's trace uses them: segment `k` closes its
    /// memory tokens with `k` and links to its neighbours on the carry bus.
    pub fn challenges<E: FieldElement<BaseField = Felt>>(&self, rand: &[E]) -> Challenges<E> {
        let c = Challenges::new(rand);
        match &self.segment {
            Some(s) => c.for_segment(s.index as u64, s.is_final()),
            None => c,
        }
    }

    /// The statement with public input and journal `io` (`gloam_isa::io`): their IO words
    /// join the initial state (global words `IO_WORD ..`, `PUBLIC_WORDS ..`,
    /// `JOURNAL_WORDS ..`), and both streams join the Fiat-Shamir seed. A program that does
    /// not import the contract interface cannot read those words, so its statement with a
    /// nonempty `io` has no proof (its memory table holds no row for them).
    pub fn with_io(mut self, io: gloam_isa::PublicIo) -> Self {
        Arc::make_mut(&mut self.initial).extend(
            io.initial_words()
                .into_iter()
                .map(|(w, v)| (columns::GLOBAL_BASE + w as u64, v)),
        );
        self.io = Arc::new(io);
        self
    }

    /// The statement with its public input and journal replaced by `io` (tests build forged
    /// statements with it; [`Self::with_io`] on a statement without one is the normal use).
    pub fn with_io_replaced(mut self, io: gloam_isa::PublicIo) -> Self {
        let old: std::collections::BTreeSet<u64> = self
            .io
            .initial_words()
            .into_iter()
            .map(|(w, _)| columns::GLOBAL_BASE + w as u64)
            .collect();
        Arc::make_mut(&mut self.initial).retain(|(a, _)| !old.contains(a));
        self.with_io(io)
    }

    /// The public input and journal of the statement.
    pub fn io(&self) -> &gloam_isa::PublicIo {
        &self.io
    }
    /// The main trace's layout ([`Layout::of`] the program).
    pub fn layout(&self) -> Layout {
        self.layout
    }
    /// The committed main columns, as layout column indices
    /// ([`columns::committed_columns`]): `committed_columns()[i]` is the column the proof's
    /// main-trace column `i` holds.
    pub fn committed_columns(&self) -> &[usize] {
        &self.committed
    }
    /// Number of committed main columns: the proof's main-trace width.
    pub fn main_width(&self) -> usize {
        self.committed.len()
    }
    /// Whether every column of the layout is committed (no expansion needed).
    fn commits_all(&self) -> bool {
        self.committed.len() == self.layout.width()
    }
    /// The proof's main-trace column holding layout column `col`.
    ///
    /// # Panics
    /// If `col` is not committed (a flag or advice column; no assertion names one).
    pub fn committed_index(&self, col: usize) -> usize {
        self.committed
            .binary_search(&col)
            .expect("assertions name committed columns")
    }
    /// Every address the statement initialises, with its value (zeros included for the
    /// arguments): argument `i` at slot `i`, global word `w` at `GLOBAL_BASE + w`, memory
    /// word `wa` at `MEM_BASE + wa`. The memory table must hold a row for each.
    pub fn initial_words(&self) -> &[(u64, u32)] {
        &self.initial
    }
    /// The linear memory's size in 4-byte words (0 without a memory).
    pub fn memory_words(&self) -> u64 {
        self.memory_words
    }
    /// The program.
    pub fn program(&self) -> &Arc<Program> {
        &self.program
    }
    /// Its hash.
    pub fn program_hash(&self) -> ProgramHash {
        self.program_hash
    }
    /// Period of the program table: the next power of two above the program length (so the
    /// last entry is always padding).
    pub fn program_period(&self) -> usize {
        (self.program.instrs.len() + 1).next_power_of_two()
    }
}

impl ToElements<Felt> for PublicInputs {
    /// Program hash (8 little-endian 32-bit limbs), the entry name's digest
    /// (`blake3("gloam-entry-v1" ‖ name)`, 8 limbs), entry pc, argument count and arguments,
    /// result count and results, cycles: all hashed into the Fiat-Shamir seed. Every element
    /// is below 2^32 except `cycles`, which the verifier refuses at or above 2^22
    /// ([`validate_shape`]), so no public value is reduced modulo p.
    fn to_elements(&self) -> Vec<Felt> {
        let mut v: Vec<Felt> = self
            .program_hash
            .0
            .chunks(4)
            .map(|c| Felt::new(u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64))
            .collect();
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-entry-v1");
        h.update(self.entry.as_bytes());
        v.extend(
            h.finalize()
                .as_bytes()
                .chunks(4)
                .map(|c| Felt::new(u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64)),
        );
        v.push(Felt::new(self.entry_pc as u64));
        v.push(Felt::new(self.args.len() as u64));
        v.extend(self.args.iter().map(|a| Felt::new(*a as u64)));
        v.push(Felt::new(self.results.len() as u64));
        v.extend(self.results.iter().map(|a| Felt::new(*a as u64)));
        v.push(Felt::new(self.cycles));
        // The public input and the journal: their lengths (at most 2^20) and a digest.
        let io = &self.io;
        v.push(Felt::new(io.public_input.len() as u64));
        v.push(Felt::new(io.journal.len() as u64));
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-io-v1");
        h.update(&(io.public_input.len() as u64).to_le_bytes());
        h.update(&io.public_input);
        h.update(&io.journal);
        v.extend(
            h.finalize()
                .as_bytes()
                .chunks(4)
                .map(|c| Felt::new(u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64)),
        );
        v
    }
}

/// Gloam's AIR over the Goldilocks field: 105 main columns and the auxiliary LogUp columns
/// ([`crate::logup::AUX_WIDTH`]).
pub struct GloamAir {
    context: AirContext<Felt>,
    pub_inputs: PublicInputs,
    degrees: Vec<TransitionConstraintDegree>,
}

impl GloamAir {
    /// The degree descriptors of every transition constraint: main, then auxiliary (the
    /// zero-knowledge protocol sizes its quotient from them, [`crate::zk::ZkParams`]).
    pub fn transition_degrees(&self) -> &[TransitionConstraintDegree] {
        &self.degrees
    }
}

impl Air for GloamAir {
    type BaseField = Felt;
    type PublicInputs = PublicInputs;

    /// # Panics
    /// If `trace_info` is shorter than [`MIN_TRACE_LEN`] or the program table, or has the wrong
    /// widths; [`crate::validate_shape`] checks this first.
    fn new(trace_info: TraceInfo, pub_inputs: PublicInputs, options: ProofOptions) -> Self {
        let main: Vec<TransitionConstraintDegree> = FAMILIES
            .iter()
            .flat_map(|f| {
                f.constraints
                    .iter()
                    .map(|(_, d)| TransitionConstraintDegree::new(*d))
            })
            .collect();
        let aux = aux_degrees(pub_inputs.program_period());
        let num_main_assertions = boundary::main_assertions(&pub_inputs, trace_info.length()).len();
        let degrees: Vec<TransitionConstraintDegree> =
            main.iter().chain(aux.iter()).cloned().collect();
        let context =
            AirContext::new_multi_segment(trace_info, main, aux, num_main_assertions, 2, options);
        GloamAir {
            context,
            pub_inputs,
            degrees,
        }
    }

    fn context(&self) -> &AirContext<Felt> {
        &self.context
    }

    fn evaluate_transition<E: FieldElement<BaseField = Felt>>(
        &self,
        frame: &EvaluationFrame<E>,
        _periodic_values: &[E],
        result: &mut [E],
    ) {
        let pi = &self.pub_inputs;
        if pi.commits_all() {
            constraints::eval_main(frame.current(), frame.next(), result);
            return;
        }
        let w = pi.layout.width();
        let (mut cur, mut nxt) = ([E::ZERO; MAIN_WIDTH], [E::ZERO; MAIN_WIDTH]);
        columns::expand_row(&pi.committed, frame.current(), E::ZERO, &mut cur[..w]);
        columns::expand_row(&pi.committed, frame.next(), E::ZERO, &mut nxt[..w]);
        constraints::eval_main(&cur[..w], &nxt[..w], result);
    }

    fn get_assertions(&self) -> Vec<Assertion<Felt>> {
        boundary::main_assertions(&self.pub_inputs, self.trace_length())
            .into_iter()
            .map(|b| Assertion::single(self.pub_inputs.committed_index(b.column), b.row, b.value))
            .collect()
    }

    fn evaluate_aux_transition<F, E>(
        &self,
        main_frame: &EvaluationFrame<F>,
        aux_frame: &EvaluationFrame<E>,
        periodic_values: &[F],
        aux_rand_elements: &AuxRandElements<E>,
        result: &mut [E],
    ) where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        let pi = &self.pub_inputs;
        let ch = pi.challenges(aux_rand_elements.rand_elements());
        if pi.commits_all() {
            logup::eval_aux(
                main_frame.current(),
                main_frame.next(),
                aux_frame.current(),
                aux_frame.next(),
                periodic_values,
                &ch,
                result,
            );
            return;
        }
        let w = pi.layout.width();
        let (mut cur, mut nxt) = ([F::ZERO; MAIN_WIDTH], [F::ZERO; MAIN_WIDTH]);
        columns::expand_row(&pi.committed, main_frame.current(), F::ZERO, &mut cur[..w]);
        columns::expand_row(&pi.committed, main_frame.next(), F::ZERO, &mut nxt[..w]);
        logup::eval_aux(
            &cur[..w],
            &nxt[..w],
            aux_frame.current(),
            aux_frame.next(),
            periodic_values,
            &ch,
            result,
        );
    }

    fn get_aux_assertions<E: FieldElement<BaseField = Felt>>(
        &self,
        aux_rand_elements: &AuxRandElements<E>,
    ) -> Vec<Assertion<E>> {
        let ch = self
            .pub_inputs
            .challenges(aux_rand_elements.rand_elements());
        boundary::aux_assertions(&self.pub_inputs, self.trace_length(), &ch)
            .into_iter()
            .map(|(col, row, v)| Assertion::single(col, row, v))
            .collect()
    }

    fn get_periodic_column_values(&self) -> Vec<Vec<Felt>> {
        periodic_columns(&self.pub_inputs.program, self.pub_inputs.program_period())
    }

    /// The polynomials of [`periodic_columns`], as `winterfell`'s default interpolates them
    /// (each column over the subgroup of its period), with the byte table's 16 columns of
    /// period 2^14, the same for every statement, interpolated once per process: they were
    /// half of a verification's time.
    fn get_periodic_column_polys(&self) -> Vec<Vec<Felt>> {
        let p = self.pub_inputs.program_period();
        let mut polys = interpolate(buses::program::table_columns(&self.pub_inputs.program, p));
        polys.extend(byte_table_polys().iter().cloned());
        polys.extend(interpolate(buses::pow2::table_columns()));
        debug_assert_eq!(polys.len(), columns::periodic::WIDTH);
        polys
    }
}

/// Each column's polynomial over the subgroup of its length (a power of two).
fn interpolate(columns: Vec<Vec<Felt>>) -> Vec<Vec<Felt>> {
    columns
        .into_iter()
        .map(|mut c| {
            debug_assert!(c.len().is_power_of_two());
            let inv_twiddles = fft::get_inv_twiddles::<Felt>(c.len());
            fft::interpolate_poly(&mut c, &inv_twiddles);
            c
        })
        .collect()
}

/// The byte table's periodic polynomials ([`buses::byte_table_columns`] interpolated),
/// computed on first use: 16 x 2^14 coefficients.
///
/// Computed outside the `OnceLock` and then stored: the interpolation runs on rayon's pool,
/// and a `get_or_init` holding the lock while it waits for the pool deadlocks when the pool's
/// threads are themselves blocked on the same lock (two proofs starting at once in one
/// process). Threads that race here compute the same value; the first one stored is kept.
fn byte_table_polys() -> &'static [Vec<Felt>] {
    static POLYS: std::sync::OnceLock<Vec<Vec<Felt>>> = std::sync::OnceLock::new();
    if let Some(p) = POLYS.get() {
        return p;
    }
    let polys = interpolate(buses::byte_table_columns());
    let _ = POLYS.set(polys);
    POLYS.get().expect("stored above")
}

/// The 26 periodic columns ([`columns::periodic`]): the program table (7 columns of period
/// `p`), the four byte-table entries of the next row (16 columns of period 2^14) and the pow2
/// table (3 columns of period 64).
pub fn periodic_columns(program: &Program, p: usize) -> Vec<Vec<Felt>> {
    let mut cols = buses::program::table_columns(program, p);
    cols.extend(buses::byte_table_columns());
    cols.extend(buses::pow2::table_columns());
    debug_assert_eq!(cols.len(), columns::periodic::WIDTH);
    cols
}

/// Checks that a trace shape is one [`GloamAir::new`] accepts for this statement, so that
/// malformed proofs are rejected with an error instead of a panic inside `winterfell`.
///
/// # Errors
/// A description of the first mismatch.
pub fn validate_shape(
    info: &TraceInfo,
    pub_inputs: &PublicInputs,
    options: &ProofOptions,
) -> Result<(), String> {
    let n = info.length();
    if !n.is_power_of_two() || !(MIN_TRACE_LEN..=MAX_TRACE_LEN).contains(&n) {
        return Err(format!(
            "trace length {n} is not a power of two in [2^14, 2^22]"
        ));
    }
    if n < pub_inputs.program_period() {
        return Err(format!(
            "trace length {n} is shorter than the program table"
        ));
    }
    if info.main_trace_width() != pub_inputs.main_width()
        || info.aux_segment_width() != AUX_WIDTH
        || info.get_num_aux_segment_rand_elements() != NUM_RAND
    {
        return Err("trace widths do not match Gloam's AIR".into());
    }
    if options.blowup_factor() < CE_BLOWUP {
        return Err(format!(
            "blowup factor {} is below the minimum {}",
            options.blowup_factor(),
            CE_BLOWUP
        ));
    }
    if pub_inputs.results.len() >= n {
        return Err("more results than trace rows".into());
    }
    if let Some(s) = &pub_inputs.segment {
        // A segment's boundary values and the run's cycles must be canonical field elements
        // (the verifier checks the chain of states itself).
        let program_len = pub_inputs.program.instrs.len() as u64;
        for b in [s.start, s.end] {
            if b.pc as u64 >= program_len || b.fp >= MAX_BOUNDARY_FP || b.clk > pub_inputs.cycles {
                return Err(format!("segment {} has an invalid boundary state", s.index));
            }
        }
        if pub_inputs.cycles >= MAX_SEGMENTED_CYCLES
            || s.index >= s.count
            || s.exec == 0
            || s.exec >= s.count
        {
            return Err("segment claim out of range".into());
        }
        // The memory table's range: the whole address space for an execution segment; for a
        // final memory segment a nonempty range inside it (from 0 for the first), whose
        // bounds keep every row in its region.
        let end = columns::MEM_BASE + pub_inputs.memory_words;
        let [lo, hi] = s.frame;
        let frame_ok = if s.is_final() {
            lo < hi
                && hi <= end
                && columns::table_bound_ok(lo, end)
                && columns::table_bound_ok(hi, end)
                && (s.index != s.exec || lo == 0)
                && s.start == s.end
                && s.start.pc == gloam_isa::HALT_PC
                && s.start.clk == pub_inputs.cycles
        } else {
            s.frame == [0, end]
        };
        if !frame_ok {
            return Err(format!(
                "segment {} has an invalid memory range or state",
                s.index
            ));
        }
        if s.start.clk > s.end.clk || s.end.clk - s.start.clk >= n as u64 {
            return Err(format!(
                "segment {} claims more cycles than its {n} rows",
                s.index
            ));
        }
        return Ok(());
    }
    // Canonical cycle count: `CLK` counts rows, so a run of `n` rows has at most `n - 1`
    // cycles. Without this, `Felt::new(cycles)` reduces modulo p and a claim of
    // `cycles + p` would verify with the proof of `cycles`.
    if pub_inputs.cycles >= n as u64 {
        return Err(format!(
            "claimed {} cycles do not fit a trace of {n} rows",
            pub_inputs.cycles
        ));
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use winterfell::math::{polynom, StarkField};

    /// Every periodic polynomial takes its column's values over the subgroup of the column's
    /// period (checked at a spread of points), for two statements in one process (the byte
    /// table's polynomials are shared between them).
    #[test]
    fn periodic_polynomials_interpolate_their_columns() {
        for wat in [
            r#"(module (func (export "f") (result i32) i32.const 7 i32.const 3 i32.and))"#,
            r#"(module (memory 1) (func (export "f") (result i32) i32.const 0 i32.load))"#,
        ] {
            let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).unwrap());
            let pi = PublicInputs::new(program, "f", 0, vec![], vec![0], 3);
            let n = MIN_TRACE_LEN;
            let info =
                TraceInfo::new_multi_segment(pi.main_width(), AUX_WIDTH, NUM_RAND, n, vec![]);
            let air = GloamAir::new(info, pi, default_options());
            let values = air.get_periodic_column_values();
            let polys = air.get_periodic_column_polys();
            assert_eq!(polys.len(), values.len());
            for (poly, column) in polys.iter().zip(&values) {
                let len = column.len();
                assert_eq!(poly.len(), len);
                let w = Felt::get_root_of_unity(len.ilog2());
                for i in (0..len).step_by((len / 64).max(1)).chain([len - 1]) {
                    assert_eq!(polynom::eval(poly, w.exp(i as u64)), column[i]);
                }
            }
        }
    }
}
