//! Multiplication, shifts and rotations: `A * P = U + 2^32 V` with `U`, `V` four
//! range-checked bytes each. For `mul`, `P = B`; for shifts `P` is a power of two looked up in
//! the pow2 table by `s + 32 * right`, where `B = s + 32 W` splits `B` into `s = B mod 32` and
//! a 32-bit `W`. `shl` is `U`, `shr_u` is `V` of `A * 2^(32 - s)`, `rotl`/`rotr` are `U + V`; `mul` is `U`
//! and `mulhu` (the high word of the unsigned product) is `V`.
//!
//! Uniqueness: `A * P <= (2^32 - 1) 2^32 = p - 1`, and `U + 2^32 V` is below `p` unless
//! `V = 2^32 - 1` and `U > 0`; the `v_max` constraints exclude that case (`d = V - (2^32-1)`,
//! `d * (1 - d * inv) = 0` makes `1 - d * inv` the indicator of `d = 0`, and then `U` must be 0).

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{two32, Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("product", 3),
    ("v_max_indicator", 4),
    ("v_max_forces_u_zero", 4),
    ("mul_multiplier_is_b", 2),
    ("shift_amount_split", 2),
    ("shl_result", 4),
    ("shr_u_result", 4),
    ("rot_result", 3),
    ("mul_result", 3),
    ("mulhu_result", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    let fm = r.g(Group::Mul) + r.g(Group::Shift);
    let (a, b, u, v, c, p) = (r.a(), r.b(), r.u(), r.v(), r.res(), r.c(P));
    let t32 = two32::<E>();
    s.push(fm * (a * p - u - t32 * v));
    let d = v - (t32 - one);
    let is_max = one - d * r.c(INV);
    s.push(fm * d * is_max);
    s.push(fm * u * is_max);
    s.push(r.g(Group::Mul) * (p - b));
    s.push(r.g(Group::Shift) * (b - r.c(S) - E::from(32u32) * r.w()));
    s.push(r.f(Op::Shl) * (c - u));
    s.push(r.f(Op::ShrU) * (c - v));
    // Bit 1 of `Shift` rotates.
    s.push(r.g(Group::Shift) * r.bit(1) * (c - u - v));
    s.push(r.f(Op::Mul) * (c - u));
    s.push(r.f(Op::MulHU) * (c - v));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use crate::field::{Felt, FieldElement};
    use gloam_isa::Op;

    fn mul_row(a: u64, b: u64, u: u64, v: u64) -> Rows {
        let mut r = Rows::new(Op::Mul);
        r.abc(a, b, u).set(P, b).u(u).v(v);
        r.inv(Felt::new(v) - Felt::new(0xFFFF_FFFF));
        r
    }

    #[test]
    fn product_holds_wraparound_forgery_does_not() {
        mul_row(6, 7, 42, 0).holds("mul");
        // U + 2^32 (2^32 - 1) = 43 + p - 1 = 42 in the field: only v_max can object.
        let mut r = mul_row(6, 7, 43, 0xFFFF_FFFF);
        r.set_felt(INV, Felt::ZERO);
        r.rejected_by("mul", "v_max_forces_u_zero");
    }

    #[test]
    fn mulhu_is_the_high_word_of_the_product() {
        // 0xFFFF_FFFF * 0xFFFF_FFFF = 0xFFFF_FFFE_0000_0001: high word 0xFFFF_FFFE.
        let (a, b) = (0xFFFF_FFFFu64, 0xFFFF_FFFFu64);
        let mut r = Rows::new(Op::MulHU);
        r.abc(a, b, 0xFFFF_FFFE).set(P, b).u(1).v(0xFFFF_FFFE);
        r.inv(Felt::new(0xFFFF_FFFE) - Felt::new(0xFFFF_FFFF));
        r.holds("mul");
        // The low word as the result: only `mulhu_result` objects.
        r.set(VAL_C, 1);
        r.rejected_by("mul", "mulhu_result");
    }

    #[test]
    fn shift_splits_b_into_amount_and_high_bits() {
        // shl 5 by 35: amount 3, W = 1, P = 8.
        let mut r = Rows::new(Op::Shl);
        r.abc(5, 35, 40).set(S, 3).w(1).set(P, 8).u(40).v(0);
        r.inv(Felt::ZERO - Felt::new(0xFFFF_FFFF));
        r.holds("mul");
        r.set(S, 4);
        r.rejected_by("mul", "shift_amount_split");
    }
}
