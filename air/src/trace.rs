//! The trace builder: from the executor's recorded run to the 92-column main trace.
//!
//! Rows `0..cycles` are the executed instructions; the remaining rows, up to the next power
//! of two (at least 2^14, at least the memory size plus two, at least the program period), are
//! `HALT` rows. Every advice value is computed here from the recorded values; the AIR pins each
//! one (see `docs/air.md`).

use std::sync::Arc;

use gloam_executor::{ExecTrace, Outcome};
use gloam_isa::{Op, Program};
use winterfell::math::{fields::f64::BaseElement as Felt, FieldElement};

use crate::air::{PublicInputs, MAX_TRACE_LEN, MIN_TRACE_LEN};
use crate::columns::{self, *};

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
            let ts = 4 * row as u64;
            let en = [
                op.reads_a(),
                (op.has_b() && !ins.b_imm) || op.writes_b(),
                op.writes_c(),
            ];
            let pts = [st.pts_a as u64, st.pts_b as u64, st.pts_c as u64];
            for j in 0..3 {
                if en[j] {
                    v[[PTS_A, PTS_B, PTS_C][j]] = pts[j];
                    let gap = ts + j as u64 + 1 - pts[j] - 1;
                    debug_assert!(gap < 1 << 24);
                    v[D + 3 * j] = gap & 255;
                    v[D + 3 * j + 1] = (gap >> 8) & 255;
                    v[D + 3 * j + 2] = gap >> 16;
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
        for i in 0..4 {
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
    // Inverse advice is a field element, computed apart from the u64 values.
    for row in 0..exec.steps.len() {
        let st = &exec.steps[row];
        let op = program.instrs[st.pc as usize].op;
        let x = match op {
            Op::Eq | Op::Ne => Felt::new(st.a as u64) - Felt::new(st.b as u64),
            Op::CMov => Felt::new(st.b as u64),
            Op::Brz | Op::Brnz => Felt::new(st.a as u64),
            Op::Mul | Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr => {
                columns_v(&columns, row) - Felt::new(u32::MAX as u64)
            }
            _ => Felt::ZERO,
        };
        columns[INV][row] = if x == Felt::ZERO { Felt::ZERO } else { x.inv() };
    }
    fill_multiplicities(&mut columns);
    let pi = PublicInputs::new(
        program,
        entry_pc,
        args.to_vec(),
        outcome.results.clone(),
        outcome.cycles,
    );
    Ok((MainTrace { columns, len: n }, pi))
}

/// Derives the LogUp multiplicity columns (`M_RANGE`, `M_BIT`, `M_POW`, `M_PROG`) from the
/// rest of the trace: how often each table entry is looked up on rows `0..n-1` (the last row's
/// lookups are not part of the argument). Lookups of tuples that are not table entries (bytes
/// of 256 or more, shift amounts of 32 or more) cannot be counted and are skipped: such a trace
/// cannot satisfy the AIR.
pub fn fill_multiplicities(columns: &mut [Vec<Felt>]) {
    let n = columns[0].len();
    let mut m_range = vec![0u64; columns::BYTE_TABLE_LEN];
    let mut m_bit = vec![0u64; columns::BYTE_TABLE_LEN];
    let mut m_pow = vec![0u64; columns::POW_TABLE_LEN];
    let mut m_prog = vec![0u64; n];
    let count = |m: &mut Vec<u64>, x: u64, y: u64| {
        if x < 256 && y < 256 {
            m[(x * 256 + y) as usize] += 1;
        }
    };
    let range_pairs = [
        (R, R + 1),
        (R + 2, R + 3),
        (D, D + 1),
        (D + 3, D + 4),
        (D + 6, D + 7),
        (D + 2, D + 5),
    ];
    let shifts = [Op::Shl, Op::ShrU, Op::Rotl, Op::Rotr];
    // `row` indexes every column (the trace is column-major), so there is no single iterator.
    #[allow(clippy::needless_range_loop)]
    for row in 0..n - 1 {
        let g = |c: usize| columns[c][row].as_int();
        for (x, y) in range_pairs {
            count(&mut m_range, g(x), g(y));
        }
        count(&mut m_range, g(D + 8), 0);
        for i in 0..4 {
            count(&mut m_bit, g(X + i), g(Y + i));
        }
        if shifts.iter().any(|op| g(flag(*op)) == 1) {
            // Entry `k` is (k mod 32, k div 32, 2^..): the amount must be below 32.
            let (s, right) = (g(S), g(flag(Op::ShrU)) + g(flag(Op::Rotr)));
            if s < 32 && right < 2 {
                m_pow[(s + 32 * right) as usize] += 1;
            }
        }
        if let Some(m) = m_prog.get_mut(g(PC) as usize) {
            *m += 1;
        }
    }
    let m_cols = [
        M_RANGE,
        M_RANGE + 1,
        M_RANGE + 2,
        M_RANGE + 3,
        M_BIT,
        M_BIT + 1,
        M_BIT + 2,
        M_BIT + 3,
        M_POW,
        M_PROG,
    ];
    for col in m_cols {
        columns[col].iter_mut().for_each(|v| *v = Felt::ZERO);
    }
    for (e, (mr, mb)) in m_range.into_iter().zip(m_bit).enumerate() {
        columns[M_RANGE + e % columns::BYTE_K][e / columns::BYTE_K] = Felt::new(mr);
        columns[M_BIT + e % columns::BYTE_K][e / columns::BYTE_K] = Felt::new(mb);
    }
    for (k, m) in m_pow.into_iter().enumerate() {
        columns[M_POW][k] = Felt::new(m);
    }
    for (pc, m) in m_prog.into_iter().enumerate() {
        columns[M_PROG][pc] = Felt::new(m);
    }
}

/// `V` of a row (bytes `x2, y2, x3, y3`).
fn columns_v(c: &[Vec<Felt>], row: usize) -> Felt {
    let b = [c[X + 2][row], c[Y + 2][row], c[X + 3][row], c[Y + 3][row]];
    b[0] + b[1] * Felt::new(256) + b[2] * Felt::new(1 << 16) + b[3] * Felt::new(1 << 24)
}

fn put_u(v: &mut [u64; MAIN_WIDTH], u: u64) {
    v[X] = u & 255;
    v[Y] = (u >> 8) & 255;
    v[X + 1] = (u >> 16) & 255;
    v[Y + 1] = u >> 24;
}

fn put_v(v: &mut [u64; MAIN_WIDTH], x: u64) {
    v[X + 2] = x & 255;
    v[Y + 2] = (x >> 8) & 255;
    v[X + 3] = (x >> 16) & 255;
    v[Y + 3] = x >> 24;
}

fn put_w(v: &mut [u64; MAIN_WIDTH], w: u64) {
    for i in 0..4 {
        v[R + i] = (w >> (8 * i)) & 255;
    }
}

/// Advice of the arithmetic families (everything but the inverse).
fn fill_advice(v: &mut [u64; MAIN_WIDTH], op: Op, a: u64, b: u64) {
    const M32: u64 = 0xFFFF_FFFF;
    match op {
        Op::Add => {
            put_u(v, (a + b) & M32);
            v[K] = (a + b) >> 32;
        }
        Op::Sub | Op::LtU | Op::GeU => {
            put_u(v, a.wrapping_sub(b) & M32);
            v[K] = (a < b) as u64;
        }
        Op::LtS | Op::GeS => {
            let (ba, bb) = (a ^ 0x8000_0000, b ^ 0x8000_0000);
            v[SA] = a >> 31;
            v[SB] = b >> 31;
            put_v(v, ba);
            put_w(v, bb);
            put_u(v, ba.wrapping_sub(bb) & M32);
            v[K] = (ba < bb) as u64;
        }
        Op::Mul | Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr => {
            let p = if op == Op::Mul {
                b
            } else {
                let s = b & 31;
                v[S] = s;
                put_w(v, b >> 5);
                columns::pow_table_value(s + 32 * matches!(op, Op::ShrU | Op::Rotr) as u64)
            };
            v[P] = p;
            let prod = a as u128 * p as u128;
            put_u(v, (prod as u64) & M32);
            put_v(v, (prod >> 32) as u64);
        }
        Op::DivU | Op::RemU => {
            let (q, r) = (a / b, a % b);
            put_u(v, q);
            put_v(v, r);
            put_w(v, b - r - 1);
        }
        Op::And | Op::Or | Op::Xor => {
            for i in 0..4 {
                v[X + i] = (a >> (8 * i)) & 255;
                v[Y + i] = (b >> (8 * i)) & 255;
            }
        }
        Op::Eq | Op::Ne => v[K] = (a == b) as u64,
        Op::CMov => v[K] = (b != 0) as u64,
        Op::Brz | Op::Brnz => v[K] = (a != 0) as u64,
        _ => {}
    }
}
