//! Unsigned division and remainder: `A = U * B + V` and `B - V - 1 = W` with `U`, `V`, `W`
//! 32-bit (range-checked bytes), so `V < B` (which also rules out `B = 0`: division by zero
//! cannot be proven) and `U * B + V < 2^64 - 2^32 < p` holds over the integers: `U` and `V`
//! are the unique quotient and remainder. Signed division is lowered by the front end.

use super::{Row, Sink, Spec};
use crate::decoder::Group;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("dividend", 3),
    ("remainder_below_divisor", 2),
    ("div_result", 3),
    ("rem_result", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let fd = r.g(Group::Div);
    let (a, b, u, v, c) = (r.a(), r.b(), r.u(), r.v(), r.res());
    s.push(fd * (a - u * b - v));
    s.push(fd * (b - v - E::ONE - r.w()));
    s.push(r.f(Op::DivU) * (c - u));
    s.push(r.f(Op::RemU) * (c - v));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use gloam_isa::Op;

    #[test]
    fn quotient_holds_off_by_one_does_not() {
        let mut r = Rows::new(Op::DivU);
        r.abc(47, 5, 9).u(9).v(2).w(2);
        r.holds("div");
        // 47 = 8 * 5 + 7, but the remainder 7 is not below 5.
        r.abc(47, 5, 8)
            .u(8)
            .v(7)
            .w((5u64.wrapping_sub(8)) & 0xFFFF_FFFF);
        r.rejected_by("div", "remainder_below_divisor");
    }
}
