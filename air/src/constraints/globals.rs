//! Global words. A global is two 32-bit words in the memory argument (global `i` at
//! `GLOBAL_BASE + 2i` and `+ 2i + 1`); `global.get` reads word `imm` as access `b` and
//! writes it to slot `c`, `global.set` reads slot `a` and writes it to word `imm` as access
//! `c` (the addresses are pinned in [`super::memory`]). Their initial values are the module's
//! initialisers, added by the verifier ([`crate::logup::expected_sum`]).
//!
//! The indexed forms reach an entry of a table held in global words: `global.get_at` reads
//! word `imm + A` as access `b` into slot `c`, `global.set_at` writes slot `a` to word
//! `imm + B` as access `c` (`B` read from slot `b`). `A` and `B` are slot values, below 2^54,
//! so the word stays in the global region; the lowering has checked the index against the
//! table's size word (`i <u S`, exact for such values), so it is an entry of that table
//! (`docs/air.md` §5, *Tables that change*).

use super::{Row, Sink, Spec};
use crate::decoder::Group;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("get_result", 2),
    ("set_value", 2),
    ("get_at_result", 3),
    ("set_at_value", 3),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    s.push(r.g(Group::GlobalGet) * (r.res() - r.b()));
    s.push(r.g(Group::GlobalSet) * (r.res() - r.a()));
    s.push(r.f(Op::GlobalGetAt) * (r.res() - r.b()));
    s.push(r.f(Op::GlobalSetAt) * (r.res() - r.a()));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    #[test]
    fn get_copies_the_global_set_copies_the_slot() {
        let mut r = Rows::new(Op::GlobalGet);
        r.abc(0, 77, 77);
        r.holds("globals");
        r.set(VAL_C, 78);
        r.rejected_by("globals", "get_result");
        let mut r = Rows::new(Op::GlobalSet);
        r.abc(9, 0, 9);
        r.holds("globals");
        r.set(VAL_C, 8);
        r.rejected_by("globals", "set_value");
        let mut r = Rows::new(Op::GlobalGetAt);
        r.abc(3, 55, 55);
        r.holds("globals");
        r.set(VAL_C, 54);
        r.rejected_by("globals", "get_at_result");
        let mut r = Rows::new(Op::GlobalSetAt);
        r.abc(66, 3, 66);
        r.holds("globals");
        r.set(VAL_C, 3);
        r.rejected_by("globals", "set_at_value");
    }
}
