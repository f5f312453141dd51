//! `const` and `cmov`: `C = imm`; `C = k A + (1 - k) prev_c` with `k = (B != 0)` pinned like a
//! branch condition (`B inv = k`, `B (1 - k) = 0`). `prev_c` is the value the memory argument
//! says slot `c` held.

use super::{Row, Sink, Spec};
use crate::columns::*;
use gloam_isa::Op;
use winterfell::math::{fields::f64::BaseElement as Felt, FieldElement};

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("const_result", 2),
    ("cmov_inverse", 3),
    ("cmov_nonzero", 3),
    ("cmov_result", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    let (b, kk, c) = (r.b(), r.c(K), r.res());
    s.push(r.f(Op::Const) * (c - r.c(IMM)));
    let fc = r.f(Op::CMov);
    s.push(fc * (b * r.c(INV) - kk));
    s.push(fc * b * (one - kk));
    s.push(fc * (c - kk * r.a() - (one - kk) * r.c(PREV_C)));
}
