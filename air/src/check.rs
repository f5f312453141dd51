//! A row-by-row checker of the constraints, for diagnostics and tests: where `winterfell`
//! would only emit a proof that fails verification, this names the first failing row, the
//! constraint family and constraint, and the instruction executed there.

use winterfell::math::{fields::f64::BaseElement as Felt, FieldElement};

use crate::air::{periodic_columns, PublicInputs};
use crate::columns::*;
use crate::constraints::{constraint_name, eval_main, num_main_constraints};
use crate::logup::{self, Challenges, FRACTION_BUS, NUM_FRACTIONS};

/// The first constraint a trace violates.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum Violation {
    /// A main transition constraint is non-zero.
    #[error("row {row} (pc {pc}): constraint `{family}::{name}` does not hold")]
    Transition {
        /// Row.
        row: usize,
        /// pc on that row.
        pc: u64,
        /// Family.
        family: &'static str,
        /// Constraint.
        name: &'static str,
    },
    /// A LogUp bus does not balance.
    #[error("the {bus} bus does not balance: a lookup has no matching table entry, or a multiplicity is wrong")]
    Bus {
        /// Bus name.
        bus: &'static str,
    },
    /// A boundary value is wrong.
    #[error("boundary: {0}")]
    Boundary(String),
}

/// Checks every main transition constraint, the boundary values and the balance of every
/// LogUp bus (with fixed, non-random challenges: a diagnostic, not a proof).
///
/// # Errors
/// The first [`Violation`].
pub fn check(columns: &[Vec<Felt>], pi: &PublicInputs) -> Result<(), Violation> {
    let n = columns[0].len();
    let mut cur = vec![Felt::ZERO; MAIN_WIDTH];
    let mut nxt = vec![Felt::ZERO; MAIN_WIDTH];
    let mut out = vec![Felt::ZERO; num_main_constraints()];
    let p = pi.program_period();
    let periodic = periodic_columns(pi.program(), p);
    let ch = Challenges::<Felt>::new(&[Felt::new(0x1234_5678_9abc), Felt::new(0x0fed_cba9_8765)]);
    let mut sums = std::collections::BTreeMap::<&str, Felt>::new();
    for row in 0..n - 1 {
        for c in 0..MAIN_WIDTH {
            cur[c] = columns[c][row];
            nxt[c] = columns[c][row + 1];
        }
        eval_main(&cur, &nxt, &mut out);
        if let Some(i) = out.iter().position(|v| *v != Felt::ZERO) {
            let (family, name) = constraint_name(i);
            return Err(Violation::Transition {
                row,
                pc: cur[PC].as_int(),
                family,
                name,
            });
        }
        let per: Vec<Felt> = periodic.iter().map(|c| c[row % c.len()]).collect();
        let fr = logup::fractions(&cur, &nxt, &per, &ch);
        for (j, (num, den)) in fr.iter().enumerate().take(NUM_FRACTIONS) {
            *sums.entry(FRACTION_BUS[j]).or_insert(Felt::ZERO) += *num / *den;
        }
        if row == 0 {
            for j in 0..BYTE_K {
                let y = j as u64;
                let inv_r = ch.inv_const(logup::tag::RANGE, &[0, y]);
                let inv_b = ch.inv_const(logup::tag::BIT, &[0, y, 0, y]);
                *sums.entry("range").or_insert(Felt::ZERO) -= cur[FIRST] * cur[M_RANGE + j] * inv_r;
                *sums.entry("bitwise").or_insert(Felt::ZERO) -= cur[FIRST] * cur[M_BIT + j] * inv_b;
            }
        }
    }
    let expected_mem = logup::expected_sum(&pi.args, &ch);
    // Lookup buses first: a forged lookup usually also changes a stored value, which then
    // unbalances the memory bus as a consequence.
    for bus in ["program", "range", "bitwise", "pow2", "memory"] {
        let want = if bus == "memory" {
            expected_mem
        } else {
            Felt::ZERO
        };
        if sums.get(bus).copied().unwrap_or(Felt::ZERO) != want {
            return Err(Violation::Bus { bus });
        }
    }
    let last = n - 1;
    let checks = [
        (PC, 0, pi.entry_pc as u64, "pc[0] = entry"),
        (FP, 0, 0, "fp[0] = 0"),
        (CLK, 0, 0, "clk[0] = 0"),
        (IDX, 0, 0, "idx[0] = 0"),
        (FIRST, 0, 1, "first[0] = 1"),
        (PC, last, gloam_isa::HALT_PC as u64, "the run halts"),
        (CLK, last, pi.cycles, "cycle count"),
    ];
    for (col, row, v, what) in checks {
        if columns[col][row] != Felt::new(v) {
            return Err(Violation::Boundary(what.into()));
        }
    }
    for (i, r) in pi.results.iter().enumerate() {
        if columns[FVAL][i] != Felt::new(*r as u64) {
            return Err(Violation::Boundary(format!("result {i}")));
        }
    }
    Ok(())
}
