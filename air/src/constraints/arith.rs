//! Addition, subtraction and the comparisons derived from subtraction's borrow.
//!
//! `add`: `A + B = U + 2^32 k`; `sub`, `lt_u`, `ge_u`: `A - B = U - 2^32 k`, with `U` four
//! range-checked bytes and `k` boolean, so `U` and `k` are the unique 32-bit result and
//! carry/borrow. Signed `lt_s`/`ge_s` first bias both operands by `2^31` (`A + 2^31 = V +
//! 2^32 sa`, likewise `B` with `W`, `sb`), which maps signed order to unsigned order.

use super::{k, two32, Row, Sink, Spec};
use crate::columns::*;
use gloam_isa::Op;
use winterfell::math::{fields::f64::BaseElement as Felt, FieldElement};

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("k_bool", 2),
    ("sa_bool", 2),
    ("sb_bool", 2),
    ("add_carry", 2),
    ("sub_borrow", 2),
    ("signed_bias_a", 2),
    ("signed_bias_b", 2),
    ("signed_borrow", 2),
    ("add_result", 2),
    ("sub_result", 2),
    ("lt_result", 2),
    ("ge_result", 2),
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
    s.push(r.fs(&[Op::Sub, Op::LtU, Op::GeU]) * (a - b - u + t32 * kk));
    let signed = r.fs(&[Op::LtS, Op::GeS]);
    let bias = k::<E>(1 << 31);
    s.push(signed * (a + bias - r.v() - t32 * sa));
    s.push(signed * (b + bias - r.w() - t32 * sb));
    s.push(signed * (r.v() - r.w() - u + t32 * kk));
    s.push(r.f(Op::Add) * (c - u));
    s.push(r.f(Op::Sub) * (c - u));
    s.push(r.fs(&[Op::LtU, Op::LtS]) * (c - kk));
    s.push(r.fs(&[Op::GeU, Op::GeS]) * (c - one + kk));
}
