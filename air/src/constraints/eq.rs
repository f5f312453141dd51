//! `eq`, `ne`: `(A - B) * inv = 1 - k` and `(A - B) * k = 0` make `k` the indicator of `A = B`
//! (if `A != B` the second forces `k = 0`; if `A = B` the first forces `k = 1`).

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("difference_inverse", 3),
    ("equal_indicator", 3),
    ("eq_result", 3),
    ("ne_result", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    let fe = r.g(Group::Eq);
    let (d, kk, c) = (r.a() - r.b(), r.c(K), r.res());
    s.push(fe * (d * r.c(INV) - one + kk));
    s.push(fe * d * kk);
    s.push(r.f(Op::Eq) * (c - kk));
    s.push(r.f(Op::Ne) * (c - one + kk));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use crate::field::{Felt, FieldElement};
    use gloam_isa::Op;

    #[test]
    fn equality_holds_flipped_result_does_not() {
        let mut r = Rows::new(Op::Eq);
        r.abc(5, 5, 1).set(K, 1);
        r.holds("eq");
        r.set(K, 0).set(VAL_C, 0);
        r.rejected_by("eq", "difference_inverse");
        let mut r = Rows::new(Op::Ne);
        r.abc(5, 9, 1).set(K, 0).inv(Felt::new(5) - Felt::new(9));
        r.holds("eq");
        r.set(K, 1).set(VAL_C, 0).set_felt(INV, Felt::ZERO);
        r.rejected_by("eq", "equal_indicator");
    }
}
