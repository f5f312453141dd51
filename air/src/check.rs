//! A row-by-row checker of the constraints, for diagnostics and tests: where `winterfell`
//! would only emit a proof that fails verification, this names the first failing row, the
//! constraint family and constraint, and the instruction executed there.

use std::collections::BTreeMap;

use crate::air::{periodic_columns, PublicInputs};
use crate::boundary;
use crate::buses::{Bus, FRACTIONS};
use crate::columns::*;
use crate::constraints::{constraint_name, eval_main, num_main_constraints};
use crate::field::{Felt, FieldElement};
use crate::logup::{self, Challenges};

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
    /// A column the program's proofs do not commit (`columns::committed_columns`) is not
    /// zero: no proof can carry this trace.
    #[error("row {row}: column {column}, which proofs of this program do not commit, is not zero")]
    Uncommitted {
        /// Row.
        row: usize,
        /// Column of the layout.
        column: usize,
    },
}

/// Checks every main transition constraint, the boundary values and the balance of every
/// LogUp bus (with fixed, non-random challenges: a diagnostic, not a proof).
///
/// # Errors
/// The first [`Violation`].
pub fn check(columns: &[Vec<Felt>], pi: &PublicInputs) -> Result<(), Violation> {
    let n = columns[0].len();
    let width = columns.len();
    let committed = pi.committed_columns();
    for (column, col) in columns.iter().enumerate() {
        if committed.binary_search(&column).is_err() {
            if let Some(row) = col.iter().position(|v| *v != Felt::ZERO) {
                return Err(Violation::Uncommitted { row, column });
            }
        }
    }
    let mut cur = vec![Felt::ZERO; width];
    let mut nxt = vec![Felt::ZERO; width];
    let mut out = vec![Felt::ZERO; num_main_constraints()];
    let p = pi.program_period();
    let periodic = periodic_columns(pi.program(), p);
    let ch = Challenges::<Felt>::new(&[Felt::new(0x1234_5678_9abc), Felt::new(0x0fed_cba9_8765)]);
    let mut sums = BTreeMap::<Bus, Felt>::new();
    for row in 0..n - 1 {
        for c in 0..width {
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
        for (f, (num, den)) in FRACTIONS.iter().zip(fr) {
            *sums.entry(f.bus).or_insert(Felt::ZERO) += num / den;
        }
        if cur[FIRST] != Felt::ZERO {
            for (bus, m, den) in logup::first_row_fractions(&cur, &ch) {
                *sums.entry(bus).or_insert(Felt::ZERO) -= cur[FIRST] * m / den;
            }
        }
    }
    let expected_mem = logup::expected_sum(pi.initial_words(), &ch);
    for bus in Bus::ALL {
        let want = if bus == Bus::Memory {
            expected_mem
        } else {
            Felt::ZERO
        };
        if sums.get(&bus).copied().unwrap_or(Felt::ZERO) != want {
            return Err(Violation::Bus { bus: bus.name() });
        }
    }
    for b in boundary::main_assertions(pi, n) {
        if columns[b.column][b.row] != b.value {
            return Err(Violation::Boundary(b.name.into_owned()));
        }
    }
    Ok(())
}
