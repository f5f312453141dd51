//! `const`, `advice` and `cmov`: `C = imm`; `C = W` (the range-checked bytes `r0..r3`: the
//! prover's free choice of a 32-bit value); `C = k A + (1 - k) prev_c` with `k = (B != 0)`
//! pinned like a branch condition (`B inv = k`, `B (1 - k) = 0`). `prev_c` is the value the
//! memory argument says slot `c` held.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("const_result", 3),
    ("advice_result", 3),
    ("cmov_inverse", 3),
    ("cmov_nonzero", 3),
    ("cmov_result", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    let (b, kk, c) = (r.b(), r.c(K), r.res());
    s.push(r.f(Op::Const) * (c - r.c(IMM)));
    s.push(r.f(Op::Advice) * (c - r.w()));
    let fc = r.g(Group::CMov);
    s.push(fc * (b * r.c(INV) - kk));
    s.push(fc * b * (one - kk));
    s.push(fc * (c - kk * r.a() - (one - kk) * r.c(PREV_C)));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use crate::field::Felt;
    use gloam_isa::Op;

    #[test]
    fn move_holds_ignored_condition_does_not() {
        let mut r = Rows::new(Op::CMov);
        r.abc(7, 3, 7).set(PREV_C, 9).set(K, 1).inv(Felt::new(3));
        r.holds("cmov");
        r.set(K, 0).set(VAL_C, 9);
        r.rejected_by("cmov", "cmov_nonzero");
    }

    #[test]
    fn advice_writes_its_range_checked_bytes() {
        let mut r = Rows::new(Op::Advice);
        r.set(R, 0x78)
            .set(R + 1, 0x56)
            .set(R + 2, 0x34)
            .set(R + 3, 0x12);
        r.set(VAL_C, 0x1234_5678);
        r.holds("cmov");
        r.set(VAL_C, 0x1234_5679);
        r.rejected_by("cmov", "advice_result");
    }

    #[test]
    fn const_writes_the_immediate() {
        let mut r = Rows::new(Op::Const);
        r.set(IMM, 77).set(VAL_C, 77);
        r.holds("cmov");
        r.set(VAL_C, 78);
        r.rejected_by("cmov", "const_result");
    }
}
