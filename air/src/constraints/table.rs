//! The memory table's addresses (wide layout; the narrow one addresses the table by `IDX`):
//! one per row, strictly increasing, in three regions (frame
//! slots from 0, global words from `GLOBAL_BASE`, memory words from `MEM_BASE`).
//!
//! `REGION` steps by 0 or 1 between rows; within a region the gap `TADDR' - TADDR - 1`, and
//! when the region steps the offset `TADDR' - REGION' * REGION_STEP`, is four range-checked
//! bytes (below 2^32). With the boundary assertions `TADDR[0] = 0`, `REGION[0] = 0`,
//! `REGION[n-1] = 2` and `TADDR[n-1] = MEM_BASE + memory_words`, every row before the last
//! holds a distinct address: slots below `n 2^32 <= 2^54`, globals in `[2^59, 2^59 + 2^54)`,
//! memory words in `[2^60, 2^60 + memory_words)` — so each address gets exactly one initial
//! token and memory words beyond the memory get none (the last row's tokens do not count:
//! transition constraints never see it).

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::field::{k, Felt, FieldElement};

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[("region_steps_by_0_or_1", 2), ("address_gap", 2)];

/// The gap bytes as one value.
pub fn gap<E: FieldElement<BaseField = Felt>>(r: &Row<E>) -> E {
    let mut acc = E::ZERO;
    for i in (0..TABLE_GAP_BYTES).rev() {
        acc = acc * k::<E>(256) + r.c(G + i);
    }
    acc
}

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    if !r.wide() {
        // Narrow layout: the table is addressed by `IDX`, which `control` increments.
        s.push(E::ZERO);
        s.push(E::ZERO);
        return;
    }
    let one = E::ONE;
    let step = r.n(REGION) - r.c(REGION);
    s.push(step * (step - one));
    let (t, t1) = (r.c(TADDR), r.n(TADDR));
    let base = r.n(REGION) * k::<E>(REGION_STEP);
    s.push(t1 - t - one + step * (t + one - base) - gap(r));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    fn gap(r: &mut Rows, g: u64) {
        for i in 0..TABLE_GAP_BYTES {
            r.set(G + i, (g >> (8 * i)) & 255);
        }
    }

    #[test]
    fn increasing_addresses_and_region_steps_hold_repeats_do_not() {
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 10).next(TADDR, 15);
        gap(&mut r, 4);
        r.holds("table");
        // into the memory region: the offset from MEM_BASE is the gap
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, GLOBAL_BASE + 3).set(REGION, 1);
        r.next(TADDR, MEM_BASE + 7).next(REGION, 2);
        gap(&mut r, 7);
        r.holds("table");
        // the same address twice needs a gap of -1
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 10).next(TADDR, 10);
        gap(&mut r, 0);
        r.rejected_by("table", "address_gap");
        // a region jump by 2
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3).next(TADDR, MEM_BASE).next(REGION, 2);
        r.rejected_by("table", "region_steps_by_0_or_1");
    }
}
