//! `and`, `or`, `xor`: the four bitwise lanes hold the bytes of `A` (`x`) and `B` (`y`); the
//! bitwise lookup ([`crate::logup`]) forces `z = x & y` and `w = x ^ y` byte by byte, and
//! `x | y = (x & y) + (x ^ y)`.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("a_bytes", 2),
    ("b_bytes", 2),
    ("and_result", 4),
    ("or_result", 4),
    ("xor_result", 4),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let fb = r.g(Group::Bit);
    let xs = r.bytes4([X, X + 1, X + 2, X + 3]);
    let ys = r.bytes4([Y, Y + 1, Y + 2, Y + 3]);
    let zs = r.bytes4([Z, Z + 1, Z + 2, Z + 3]);
    let ws = r.bytes4([W, W + 1, W + 2, W + 3]);
    let c = r.res();
    s.push(fb * (r.a() - xs));
    s.push(fb * (r.b() - ys));
    s.push(r.f(Op::And) * (c - zs));
    s.push(r.f(Op::Or) * (c - zs - ws));
    s.push(r.f(Op::Xor) * (c - ws));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    fn and_row(a: u64, b: u64) -> Rows {
        let mut r = Rows::new(Op::And);
        r.abc(a, b, a & b);
        for i in 0..4 {
            r.set(X + i, (a >> (8 * i)) & 255)
                .set(Y + i, (b >> (8 * i)) & 255);
        }
        r.lanes();
        r
    }

    #[test]
    fn lanes_hold_a_lane_not_a_byte_of_a_does_not() {
        let mut r = and_row(0x1234_5678, 0x0F0F_F0F0);
        r.holds("bitwise");
        r.set(X, 0x79).lanes();
        let c = (0..4).map(|i| r.cur[Z + i].as_int() << (8 * i)).sum();
        r.set(VAL_C, c);
        r.rejected_by("bitwise", "a_bytes");
    }
}
