//! Memory (frame slots, global words, memory words): the main-trace half of the offline
//! memory-checking argument.
//!
//! Each row makes up to four accesses, at timestamps `ACCESSES_PER_ROW * IDX + 1` (slot `a`,
//! read), `+2` (`b`: slot read, `call`'s write, a load's first memory word, `global.get`'s
//! or `global.get_at`'s word), `+3` (`c`: slot write, a store's first memory word,
//! `global.set`'s or `global.set_at`'s word) and `+4`
//! (`d`: the second memory word of a load or store crossing a word boundary); see
//! [`crate::columns::ACCESSES_PER_ROW`]. The addresses of `b` and `c` are the columns
//! `ADDR_B`, `ADDR_C`, pinned here: `fp + offset`, or `MEM_BASE + WA`, or `GLOBAL_BASE + imm`
//! (`+ A` for `global.get_at`, `+ B` for `global.set_at`).
//! Each access consumes the
//! token `(addr, previous value, previous timestamp)` and produces `(addr, value, timestamp)`;
//! [`crate::logup`] balances the multisets. Here: the previous timestamp is strictly older
//! (`ts - pts - 1` is three range-checked bytes, so `0 <= ts - pts - 1 < 2^24`), and a read
//! through `b` or a load's `d` leaves the value unchanged (`A` is always a read: its consumed
//! and produced tokens both carry `VAL_A`).

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{k, Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("a_timestamp_gap", 2),
    ("b_timestamp_gap", 3),
    ("c_timestamp_gap", 2),
    ("d_timestamp_gap", 3),
    ("b_read_keeps_value", 3),
    ("d_load_keeps_value", 3),
    ("b_address", 3),
    ("c_address", 3),
];

/// The gap bytes of access `j` as one value.
pub fn gap<E: FieldElement<BaseField = Felt>>(r: &Row<E>, j: usize) -> E {
    r.c(gap_col(j, 0)) + r.c(gap_col(j, 1)) * k::<E>(256) + r.c(gap_col(j, 2)) * k::<E>(65536)
}

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    s.push(r.en_a() * (r.ts(0) - r.c(PTS_A) - one) - gap(r, 0));
    s.push(r.en_b() * (r.ts(1) - r.c(PTS_B) - one) - gap(r, 1));
    s.push(r.en_c() * (r.ts(2) - r.c(PTS_C) - one) - gap(r, 2));
    s.push(r.en_d() * (r.ts(3) - r.c(PTS_D) - one) - gap(r, 3));
    s.push(r.read_b() * (one - r.c(BIMM)) * (r.b() - r.c(PREV_B)));
    s.push(r.f_load() * (r.c(VAL_D) - r.c(PREV_D)));
    if !r.wide() {
        // Narrow layout: the addresses are `fp + b`, `fp + c` by definition.
        s.push(E::ZERO);
        s.push(E::ZERO);
        return;
    }
    let fp = r.c(FP);
    let word = k::<E>(MEM_BASE) + r.c(WA);
    let global = k::<E>(GLOBAL_BASE) + r.c(IMM);
    let slot_b = fp + r.c(OFF_B);
    let slot_c = fp + r.c(OFF_C);
    s.push(
        r.c(ADDR_B)
            - slot_b
            - r.f_load() * (word - slot_b)
            - r.g(Group::GlobalGet) * (global - slot_b)
            - r.f(Op::GlobalGetAt) * (global + r.a() - slot_b),
    );
    s.push(
        r.c(ADDR_C)
            - slot_c
            - r.f_store() * (word - slot_c)
            - r.g(Group::GlobalSet) * (global - slot_c)
            - r.f(Op::GlobalSetAt) * (global + r.b() - slot_c),
    );
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    fn add_row() -> Rows {
        let mut r = Rows::new(Op::Add);
        r.abc(1, 2, 3).gap(0, 3).gap(1, 10).gap(2, 0);
        r
    }

    #[test]
    fn older_accesses_hold_one_from_the_future_does_not() {
        add_row().holds("memory");
        let mut r = add_row();
        let ts_a = ACCESSES_PER_ROW as u64 * 5 + 1;
        r.set(PTS_A, ts_a + 4);
        r.rejected_by("memory", "a_timestamp_gap");
    }

    #[test]
    fn a_read_of_b_keeps_its_value() {
        let mut r = add_row();
        r.set(PREV_B, 5);
        r.rejected_by("memory", "b_read_keeps_value");
    }
}
