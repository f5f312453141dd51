//! Addition, subtraction and the comparisons derived from subtraction's borrow.
//!
//! `add`: `A + B = U + 2^32 k`; `sub`, `lt_u`, `ge_u`: `A - B = U - 2^32 k`, with `U` four
//! range-checked bytes and `k` boolean, so `U` and `k` are the unique 32-bit result and
//! carry/borrow. Signed `lt_s`/`ge_s` first bias both operands by `2^31` (`A + 2^31 = V +
//! 2^32 sa`, likewise `B` with `W`, `sb`), which maps signed order to unsigned order.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{k, two32, Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("k_bool", 2),
    ("sa_bool", 2),
    ("sb_bool", 2),
    ("add_carry", 3),
    ("sub_borrow", 3),
    ("signed_bias_a", 3),
    ("signed_bias_b", 3),
    ("signed_borrow", 3),
    ("add_result", 3),
    ("sub_result", 3),
    ("lt_result", 3),
    ("ge_result", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    let (kk, sa, sb) = (r.c(K), r.c(SA), r.c(SB));
    s.push(kk * (kk - one));
    s.push(sa * (sa - one));
    s.push(sb * (sb - one));
    let (a, b, u, c) = (r.a(), r.b(), r.u(), r.res());
    let t32 = two32::<E>();
    s.push(r.f(Op::Add) * (a + b - u - t32 * kk));
    // `sub`, `lt_u`, `ge_u`: the `Cmp` group without bit 1 (signed).
    let cmp = r.g(Group::Cmp);
    let unsigned = cmp * (one - r.bit(1));
    s.push((r.f(Op::Sub) + unsigned) * (a - b - u + t32 * kk));
    let signed = cmp * r.bit(1);
    let bias = k::<E>(1 << 31);
    s.push(signed * (a + bias - r.v() - t32 * sa));
    s.push(signed * (b + bias - r.w() - t32 * sb));
    s.push(signed * (r.v() - r.w() - u + t32 * kk));
    s.push(r.f(Op::Add) * (c - u));
    s.push(r.f(Op::Sub) * (c - u));
    // Bit 0 of `Cmp` negates: `lt` without it, `ge` with it.
    s.push(cmp * (one - r.bit(0)) * (c - kk));
    s.push(cmp * r.bit(0) * (c - one + kk));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    #[test]
    fn add_with_carry_holds_wrong_result_does_not() {
        let mut r = Rows::new(Op::Add);
        r.abc(0xFFFF_FFFF, 2, 1).u(1).set(K, 1);
        r.holds("arith");
        r.set(VAL_C, 2).u(2);
        r.rejected_by("arith", "add_carry");
    }

    #[test]
    fn signed_compare_holds_flipped_borrow_does_not() {
        // -1 <s 1: biased 0x7FFF_FFFF < 0x8000_0001.
        let (a, b) = (0xFFFF_FFFFu64, 1u64);
        let (ba, bb) = (a ^ 0x8000_0000, b ^ 0x8000_0000);
        let mut r = Rows::new(Op::LtS);
        r.abc(a, b, 1).set(SA, 1).set(SB, 0).v(ba).w(bb);
        r.u(ba.wrapping_sub(bb) & 0xFFFF_FFFF).set(K, 1);
        r.holds("arith");
        r.set(K, 0).set(VAL_C, 0);
        r.rejected_by("arith", "signed_borrow");
    }
}
