//! The main trace: from the executor's recorded run to the 92 columns of
//! `gloam_air::columns`, `MAIN_WIDTH x n`.
//!
//! Rows `0..cycles` are the executed instructions; the remaining rows, up to the next power
//! of two (at least 2^14, at least the memory size plus two, at least the program period), are
//! `HALT` rows. Every advice value is computed from the recorded values
//! ([`super::constraints`]); the multiplicities are counted from the lookups
//! ([`super::buses`]). The AIR pins each value (see `docs/air.md`).

use std::sync::Arc;

use gloam_air::columns::*;
use gloam_air::field::Felt;
use gloam_air::{PublicInputs, MAX_TRACE_LEN, MIN_TRACE_LEN};
use gloam_executor::{ExecTrace, Outcome};
use gloam_isa::{Op, Program};

use super::buses::fill_multiplicities;
use super::constraints::{fill_advice, fill_inverses};

/// Why a trace cannot be built.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum TraceError {
    /// The run needs more rows than the AIR supports.
    #[error("the run needs a trace of {rows} rows; at most {max} (2^22) are supported — split it into segments (not implemented yet)")]
    TooLong {
        /// Rows needed.
        rows: usize,
        /// The maximum.
        max: usize,
    },
    /// The entry function does not exist.
    #[error("no exported function named `{0}`")]
    NoSuchExport(String),
}

/// A built main trace: `columns[c][row]`, `MAIN_WIDTH` columns of `len` rows.
pub struct MainTrace {
    /// Column-major values.
    pub columns: Vec<Vec<Felt>>,
    /// Number of rows (a power of two).
    pub len: usize,
}

/// The trace length a run needs.
pub fn trace_len(program: &Program, cycles: u64, slots: usize) -> usize {
    let p = (program.instrs.len() + 1).next_power_of_two();
    [
        MIN_TRACE_LEN,
        (cycles as usize + 1).next_power_of_two(),
        (slots + 2).next_power_of_two(),
        p,
    ]
    .into_iter()
    .max()
    .unwrap_or(MIN_TRACE_LEN)
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
    let (_, f) = program
        .export(entry)
        .ok_or_else(|| TraceError::NoSuchExport(entry.into()))?;
    let entry_pc = f.entry_pc;
    let n = trace_len(&program, outcome.cycles, exec.slots_used());
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
            let ins = program.instrs[st.pc as usize];
            let op = ins.op;
            v[CLK] = row as u64;
            v[PC] = st.pc as u64;
            v[FP] = st.fp as u64;
            v[OFF_A] = ins.a as u64;
            v[OFF_B] = ins.b as u64;
            v[OFF_C] = ins.c as u64;
            v[IMM] = ins.imm as u64;
            v[BIMM] = ins.b_imm as u64;
            v[flag(op)] = 1;
            let (a, b, c) = (st.a as u64, st.b as u64, st.c as u64);
            v[VAL_A] = a;
            v[VAL_B] = b;
            v[VAL_C] = c;
            v[PREV_C] = st.c_prev as u64;
            v[PREV_B] = if op.writes_b() { st.b_prev as u64 } else { b };
            // Access j happens at ACCESSES_PER_ROW * row + j + 1.
            let ts = (ACCESSES_PER_ROW * row) as u64;
            let en = [
                op.reads_a(),
                (op.has_b() && !ins.b_imm) || op.writes_b(),
                op.writes_c(),
            ];
            let pts = [st.pts_a as u64, st.pts_b as u64, st.pts_c as u64];
            for j in 0..ACCESSES {
                if en[j] {
                    v[[PTS_A, PTS_B, PTS_C][j]] = pts[j];
                    let gap = ts + j as u64 + 1 - pts[j] - 1;
                    debug_assert!(gap < 1 << (8 * GAP_BYTES));
                    for i in 0..GAP_BYTES {
                        v[D + GAP_BYTES * j + i] = (gap >> (8 * i)) & 255;
                    }
                }
            }
            fill_advice(&mut v, op, a, b);
        } else {
            v[CLK] = outcome.cycles;
            v[PC] = gloam_isa::HALT_PC as u64;
            v[FP] = final_fp;
            v[flag(Op::Halt)] = 1;
        }
        // bitwise lanes: z, w follow x, y everywhere
        for i in 0..WORD_BYTES {
            v[Z + i] = v[X + i] & v[Y + i];
            v[W + i] = v[X + i] ^ v[Y + i];
        }
        if row < exec.slots_used() {
            v[FVAL] = exec.final_values[row] as u64;
            v[FTS] = exec.final_ts[row] as u64;
        }
        for (c, val) in cols.iter_mut().zip(v) {
            c[row] = val;
        }
    }

    let mut columns: Vec<Vec<Felt>> = cols
        .into_iter()
        .map(|c| c.into_iter().map(Felt::new).collect())
        .collect();
    fill_inverses(&mut columns, &program, exec);
    fill_multiplicities(&mut columns);
    let pi = PublicInputs::new(
        program,
        entry,
        entry_pc,
        args.to_vec(),
        outcome.results.clone(),
        outcome.cycles,
    );
    Ok((MainTrace { columns, len: n }, pi))
}
