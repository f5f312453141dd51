//! `eq`, `ne`: `(A - B) * inv = 1 - k` and `(A - B) * k = 0` make `k` the indicator of `A = B`
//! (if `A != B` the second forces `k = 0`; if `A = B` the first forces `k = 1`).

use super::{Row, Sink, Spec};
use crate::columns::*;
use gloam_isa::Op;
use winterfell::math::{fields::f64::BaseElement as Felt, FieldElement};

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("difference_inverse", 3),
    ("equal_indicator", 3),
    ("eq_result", 2),
    ("ne_result", 2),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    let fe = r.fs(&[Op::Eq, Op::Ne]);
    let (d, kk, c) = (r.a() - r.b(), r.c(K), r.res());
    s.push(fe * (d * r.c(INV) - one + kk));
    s.push(fe * d * kk);
    s.push(r.f(Op::Eq) * (c - kk));
    s.push(r.f(Op::Ne) * (c - one + kk));
}
