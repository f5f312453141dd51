//! The main trace: from the executor's recorded run to the 105 columns of
//! `gloam_air::columns`, `MAIN_WIDTH x n`.
//!
//! Rows `0..cycles` are the executed instructions; the remaining rows, up to the next power
//! of two (at least 2^14, at least the memory table plus one, at least the program period), are
//! `HALT` rows. Every advice value is computed from the recorded values
//! ([`super::constraints`]); the multiplicities are counted from the lookups
//! ([`super::buses`]). The AIR pins each value (see `docs/air.md`).
//!
//! The memory table (columns `TADDR .. FTS`) runs beside the instructions, one address per
//! row in increasing order: the frame slots the run touched (from 0, padded with unused slot
//! addresses to fill the rows), every global word, every memory word the run touched or the
//! data segments initialise, and on the last row the end of memory (its tokens do not count).

use std::sync::Arc;

use gloam_air::columns::*;
use gloam_air::field::Felt;
use gloam_air::{PublicInputs, MAX_TRACE_LEN, MIN_TRACE_LEN};
use gloam_executor::{ExecTrace, Outcome};
use gloam_isa::{Op, Program};

use super::buses::fill_multiplicities;
use super::constraints::{fill_advice, fill_inverses, fill_memory_advice};

/// Why a trace cannot be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TraceError {
    /// The run needs more rows than the AIR supports.
    #[error("the run needs a trace of {rows} rows; one proof holds at most {max} (2^22): prove it in segments (`gloam prove` splits a run too long for one proof by itself)")]
    TooLong {
        /// Rows needed.
        rows: usize,
        /// The maximum.
        max: usize,
    },
    /// The entry function does not exist.
    #[error("no exported function named `{0}`")]
    NoSuchExport(String),
    /// Two neighbouring memory-table addresses are 2^32 or more apart, more than the table's
    /// gap bytes hold.
    #[error("memory-table addresses {from} and {to} are too far apart")]
    TableGap {
        /// The lower address.
        from: u64,
        /// The next address in the table.
        to: u64,
    },
}

/// Fills the memory table's gap bytes `G` on rows `0..rows` (the last row has no successor):
/// the distance from each row's address to the next one's, within a region, or from the next
/// region's base (`docs/air.md` §3, *Memory table*).
///
/// # Errors
/// The two addresses `(from, to)` of the first gap of 2^32 or more, which the gap bytes
/// cannot hold.
pub(crate) fn fill_table_gaps(cols: &mut [Vec<u64>], rows: usize) -> Result<(), (u64, u64)> {
    for row in 0..rows {
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
            return Err((t, t1));
        }
        for i in 0..TABLE_GAP_BYTES {
            cols[G + i][row] = (gap >> (8 * i)) & 255;
        }
    }
    Ok(())
}

/// A built main trace: `columns[c][row]`, `Layout::width` columns of `len` rows.
pub struct MainTrace {
    /// Column-major values.
    pub columns: Vec<Vec<Felt>>,
    /// Number of rows (a power of two).
    pub len: usize,
}

/// The trace length a run needs: `cycles + 1` rows, the program table's period, 2^14, and
/// the memory table: `table_rows` addresses plus the end-of-memory row.
pub fn trace_len(program: &Program, cycles: u64, table_rows: usize) -> usize {
    let p = (program.instrs.len() + 1).next_power_of_two();
    [
        MIN_TRACE_LEN,
        (cycles as usize + 1).next_power_of_two(),
        (table_rows + 1).next_power_of_two(),
        p,
    ]
    .into_iter()
    .max()
    .unwrap_or(MIN_TRACE_LEN)
}

/// The rows of the trace a recorded run needs, as [`build_main_trace`] builds it.
pub fn trace_rows(program: &Program, cycles: u64, exec: &ExecTrace) -> usize {
    trace_rows_io(program, cycles, exec, &[])
}

/// [`trace_rows`] of a run whose IO words start as `io_words` (`PublicIo::initial_words`).
pub fn trace_rows_io(
    program: &Program,
    cycles: u64,
    exec: &ExecTrace,
    io_words: &[(u32, u32)],
) -> usize {
    let tail = match Layout::of(program) {
        Layout::Wide => table_tail(program, exec, io_words).len(),
        Layout::Narrow => 0,
    };
    trace_len(program, cycles, exec.slots_used() + tail)
}

/// One memory-table row: address, region, final value, final timestamp.
type TableRow = (u64, u64, u64, u64);

/// The memory table's global and memory-word rows (in address order) of a run: every global
/// word the run touched or the module initialises to a nonzero value (its final value if
/// touched, else its initial value; word 0 at least, so the global region is never empty),
/// and every memory word the run touched or the data segments initialise. Words the run
/// never touches and that start at zero need no row, so a table held in global words costs
/// rows for the entries a run touches or its element segments fill, not for its capacity.
fn table_tail(program: &Program, exec: &ExecTrace, io_words: &[(u32, u32)]) -> Vec<TableRow> {
    let mut rows = Vec::new();
    let init_g: std::collections::BTreeMap<u32, u32> =
        gloam_isa::image::initial_global_words(program)
            .into_iter()
            .chain(io_words.iter().copied())
            .collect();
    let touched_g: std::collections::BTreeMap<u32, (u32, u32)> = exec
        .globals
        .iter()
        .map(|&(w, v, ts)| (w, (v, ts)))
        .collect();
    let words: std::collections::BTreeSet<u32> = std::iter::once(0)
        .chain(touched_g.keys().copied())
        .chain(init_g.iter().filter(|(_, v)| **v != 0).map(|(w, _)| *w))
        .collect();
    for w in words {
        let (v, ts) = touched_g
            .get(&w)
            .copied()
            .unwrap_or((init_g.get(&w).copied().unwrap_or(0), 0));
        rows.push((GLOBAL_BASE + w as u64, 1, v as u64, ts as u64));
    }
    let mut mem: std::collections::BTreeMap<u32, (u32, u32)> =
        gloam_isa::image::initial_memory_words(program)
            .into_iter()
            .map(|(w, v)| (w, (v, 0)))
            .collect();
    for &(w, v, ts) in &exec.memory {
        mem.insert(w, (v, ts));
    }
    for (w, (v, ts)) in mem {
        rows.push((MEM_BASE + w as u64, 2, v as u64, ts as u64));
    }
    rows
}

/// The memory accesses `a`, `b`, `c`, `d` of step `st`: `(enabled, address)` each
/// (`docs/air.md` §3, *Memory*): `a` reads slot `fp + a`; `b` reads slot `fp + b` (unless it
/// is an immediate), a load's first word or a global, or writes the slot; `c` writes slot
/// `fp + c`, a store's first word or a global; `d` is the second word of a load or store that
/// crosses a 4-byte boundary. The addresses of `b` and `c` are also given when disabled (the
/// trace's `ADDR_B`, `ADDR_C`).
pub(crate) fn step_accesses(
    program: &Program,
    st: &gloam_executor::Step,
) -> [(bool, u64); ACCESSES] {
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
        (op.reads_a(), fp + ins.a as u64),
        ((op.has_b() && !ins.b_imm) || op.writes_b(), addr_b),
        (op.writes_c(), addr_c),
        (cross, word + 1),
    ]
}

/// Writes the instruction columns of `row` executing step `st` (cycle `clk0 + row`); the
/// step's timestamps are the run's, `ts0` the run's timestamp of the row before row 0
/// (`ACCESSES_PER_ROW * clk0`; 0 for a whole run).
pub(crate) fn step_row(
    v: &mut [u64; MAIN_WIDTH],
    program: &Program,
    st: &gloam_executor::Step,
    row: usize,
    clk0: u64,
    ts0: u64,
) {
    let ins = program.instrs[st.pc as usize];
    let op = ins.op;
    v[CLK] = clk0 + row as u64;
    v[PC] = st.pc as u64;
    v[FP] = st.fp as u64;
    v[OFF_A] = ins.a as u64;
    v[OFF_B] = ins.b as u64;
    v[OFF_C] = ins.c as u64;
    v[IMM] = ins.imm as u64;
    v[BIMM] = ins.b_imm as u64;
    encode_op(v, op);
    let (a, b, c) = (st.a as u64, st.b as u64, st.c as u64);
    v[VAL_A] = a;
    v[VAL_B] = b;
    v[VAL_C] = c;
    v[PREV_C] = st.c_prev as u64;
    v[PREV_B] = if op.writes_b() { st.b_prev as u64 } else { b };
    let acc = step_accesses(program, st);
    v[ADDR_B] = acc[1].1;
    v[ADDR_C] = acc[2].1;
    v[VAL_D] = st.d as u64;
    v[PREV_D] = st.d_prev as u64;
    // Access j happens at ACCESSES_PER_ROW * row + j + 1.
    let ts = (ACCESSES_PER_ROW * row) as u64;
    let en = acc.map(|(en, _)| en);
    let pts = [
        st.pts_a as u64,
        st.pts_b as u64,
        st.pts_c as u64,
        st.pts_d as u64,
    ];
    for j in 0..ACCESSES {
        if en[j] {
            // Timestamps are the segment's: an access before it follows the table's
            // initial token (timestamp 0).
            let pts = pts[j].saturating_sub(ts0);
            v[[PTS_A, PTS_B, PTS_C, PTS_D][j]] = pts;
            let gap = ts + j as u64 + 1 - pts - 1;
            debug_assert!(gap < 1 << (8 * GAP_BYTES));
            for i in 0..GAP_BYTES {
                v[gap_col(j, i)] = (gap >> (8 * i)) & 255;
            }
        }
    }
    if op.mem_width() > 0 {
        let w0 = if op.is_load() { st.b } else { st.c_prev };
        fill_memory_advice(v, op, st.ea, w0, st.d_prev, b);
    } else {
        fill_advice(v, op, a, b);
    }
    if op == Op::Advice {
        // `advice`'s value is `W`: its bytes, range-checked.
        for i in 0..WORD_BYTES {
            v[R + i] = (c >> (8 * i)) & 255;
        }
    }
}

/// Builds the main trace and the public inputs of a recorded run.
///
/// # Errors
/// [`TraceError`] if the run is too long or `entry` is not exported.
pub fn build_main_trace(
    program: Arc<Program>,
    entry: &str,
    args: &[u32],
    outcome: &Outcome,
    exec: &ExecTrace,
) -> Result<(MainTrace, PublicInputs), TraceError> {
    build_main_trace_io(program, entry, args, &[], outcome, exec)
}

/// [`build_main_trace`] of a run that read public input `public_input`; the statement's
/// journal is the outcome's (`gloam_isa::io`).
///
/// # Errors
/// As [`build_main_trace`].
pub fn build_main_trace_io(
    program: Arc<Program>,
    entry: &str,
    args: &[u32],
    public_input: &[u8],
    outcome: &Outcome,
    exec: &ExecTrace,
) -> Result<(MainTrace, PublicInputs), TraceError> {
    let io = gloam_isa::PublicIo {
        public_input: public_input.to_vec(),
        journal: outcome.journal.clone(),
    };
    let io_words = io.initial_words();
    // The function the proof covers: the export, or its start wrapper (`proof_entry`).
    let (_, f) = program
        .proof_entry(entry)
        .ok_or_else(|| TraceError::NoSuchExport(entry.into()))?;
    let entry_pc = f.entry_pc;
    let layout = Layout::of(&program);
    let tail = match layout {
        Layout::Wide => table_tail(&program, exec, &io_words),
        Layout::Narrow => Vec::new(),
    };
    let n = trace_len(&program, outcome.cycles, exec.slots_used() + tail.len());
    if n > MAX_TRACE_LEN {
        return Err(TraceError::TooLong {
            rows: n,
            max: MAX_TRACE_LEN,
        });
    }
    let mut cols: Vec<Vec<u64>> = vec![vec![0u64; n]; MAIN_WIDTH];
    // A halted run ended with the entry function's `ret`, which restored the saved fp (B).
    let final_fp = exec.steps.last().map_or(0, |st| st.b as u64);

    for row in 0..n {
        let mut v = [0u64; MAIN_WIDTH];
        v[IDX] = row as u64;
        v[FIRST] = (row == 0) as u64;
        if let Some(st) = exec.steps.get(row) {
            step_row(&mut v, &program, st, row, 0, 0);
        } else {
            v[CLK] = outcome.cycles;
            v[PC] = gloam_isa::HALT_PC as u64;
            v[FP] = final_fp;
            encode_op(&mut v, Op::Halt);
        }
        // bitwise lanes: z, w follow x, y everywhere
        for i in 0..WORD_BYTES {
            v[Z + i] = v[X + i] & v[Y + i];
            v[W + i] = v[X + i] ^ v[Y + i];
        }
        // The memory table: slots 0.. (unused slot addresses fill the rows the other
        // regions leave), then the globals and memory words, then the end of memory.
        let slot_rows = match layout {
            Layout::Wide => n - 1 - tail.len(),
            Layout::Narrow => n,
        };
        if row < slot_rows {
            v[TADDR] = row as u64;
            if row < exec.slots_used() {
                v[FVAL] = exec.final_values[row] as u64;
                v[FTS] = exec.final_ts[row] as u64;
            }
        } else if row < n - 1 {
            let (addr, region, fval, fts) = tail[row - slot_rows];
            (v[TADDR], v[REGION], v[FVAL], v[FTS]) = (addr, region, fval, fts);
        }
        if row < n - 1 {
            // A single proof carries nothing in; a touched or nonzero row is marked carried
            // out (a single proof's carry-out is not produced).
            v[COUT] = (v[FVAL] != 0 || v[FTS] != 0) as u64;
        } else {
            v[TADDR] = MEM_BASE + gloam_isa::image::memory_words(&program);
            v[REGION] = 2;
        }
        for (c, val) in cols.iter_mut().zip(v) {
            c[row] = val;
        }
    }

    if layout == Layout::Wide {
        fill_table_gaps(&mut cols, n - 1)
            .map_err(|(from, to)| TraceError::TableGap { from, to })?;
    }
    cols.truncate(layout.width());
    let mut columns: Vec<Vec<Felt>> = cols
        .into_iter()
        .map(|c| c.into_iter().map(Felt::new).collect())
        .collect();
    fill_inverses(&mut columns, &program, &exec.steps);
    fill_multiplicities(&mut columns);
    let pi = PublicInputs::new(
        program,
        entry,
        entry_pc,
        args.to_vec(),
        outcome.results.clone(),
        outcome.cycles,
    )
    .with_io(io);
    Ok((MainTrace { columns, len: n }, pi))
}
