//! Boundary assertions, declared once: [`crate::GloamAir`]'s `get_assertions` and
//! `get_aux_assertions` turn them into `winterfell` assertions, and the row checker
//! ([`crate::check`]) checks the same list by name.
//!
//! Main segment (`7 + results` assertions on a trace of `n` rows): `IDX[0] = 0`,
//! `FIRST[0] = 1`, `CLK[0] = 0`, `PC[0] =` entry pc, `FP[0] = 0`, `PC[n-1] = HALT_PC` (the run
//! halted), `CLK[n-1] =` cycles, and `FVAL[i] = results[i]` (the final values of the result
//! slots). Auxiliary segment (2): the running sum starts at 0 and ends at
//! [`crate::logup::expected_sum`] of the arguments.

use std::borrow::Cow;

use gloam_isa::HALT_PC;

use crate::air::PublicInputs;
use crate::columns::*;
use crate::field::{Felt, FieldElement};
use crate::logup::{self, Challenges};

/// One main-segment boundary assertion: `column[row] = value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boundary {
    /// Main-trace column.
    pub column: usize,
    /// Row.
    pub row: usize,
    /// Required value.
    pub value: Felt,
    /// What it states (the checker reports it).
    pub name: Cow<'static, str>,
}

impl Boundary {
    fn new(column: usize, row: usize, value: Felt, name: &'static str) -> Self {
        Boundary {
            column,
            row,
            value,
            name: Cow::Borrowed(name),
        }
    }
}

/// The main-segment boundary assertions of statement `p` on a trace of `n` rows.
pub fn main_assertions(p: &PublicInputs, n: usize) -> Vec<Boundary> {
    let last = n - 1;
    let mut a = vec![
        Boundary::new(IDX, 0, Felt::ZERO, "idx[0] = 0"),
        Boundary::new(FIRST, 0, Felt::ONE, "first[0] = 1"),
        Boundary::new(CLK, 0, Felt::ZERO, "clk[0] = 0"),
        Boundary::new(PC, 0, Felt::new(p.entry_pc as u64), "pc[0] = entry"),
        Boundary::new(FP, 0, Felt::ZERO, "fp[0] = 0"),
        Boundary::new(PC, last, Felt::new(HALT_PC as u64), "the run halts"),
        Boundary::new(CLK, last, Felt::new(p.cycles), "cycle count"),
    ];
    for (i, r) in p.results.iter().enumerate() {
        a.push(Boundary {
            column: FVAL,
            row: i,
            value: Felt::new(*r as u64),
            name: Cow::Owned(format!("result {i}")),
        });
    }
    a
}

/// The auxiliary-segment boundary assertions: `(column, row, value)` of the running sum,
/// `S[0] = 0` and `S[n-1] =` [`logup::expected_sum`].
pub fn aux_assertions<E: FieldElement<BaseField = Felt>>(
    p: &PublicInputs,
    n: usize,
    ch: &Challenges<E>,
) -> [(usize, usize, E); 2] {
    [
        (logup::SUM, 0, E::ZERO),
        (logup::SUM, n - 1, logup::expected_sum(&p.args, ch)),
    ]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn one_assertion_per_result_after_the_seven_fixed_ones() {
        let program = Arc::new(gloam_isa::load_module(br#"(module (func (export "f")))"#).unwrap());
        let p = PublicInputs::new(program, "f", 3, vec![1], vec![5, 6], 10);
        let a = main_assertions(&p, 1 << 14);
        assert_eq!(a.len(), 9);
        assert_eq!(a[3], Boundary::new(PC, 0, Felt::new(3), "pc[0] = entry"));
        assert_eq!((a[6].row, a[6].value), ((1 << 14) - 1, Felt::new(10)));
        assert_eq!((a[8].column, a[8].row, a[8].value), (FVAL, 1, Felt::new(6)));
    }
}
