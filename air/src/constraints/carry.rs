//! The memory table's link between segments (wide layout; `docs/air.md` §5, *Segments*).
//!
//! A long run is proven as segments, each with its own memory table of the addresses it
//! touches. The table row of an address starts the segment's local memory argument with the
//! token `(TADDR, V_IN, 0)` and ends it with `(TADDR, FVAL, FTS)` ([`crate::buses::memory`]);
//! the carry bus ([`crate::buses::carry`]) consumes `(TADDR, V_IN, k - D)` when `CIN = 1` (a
//! token of an earlier segment or of the initial state) and produces `(TADDR, FVAL, k + 1)`
//! when `COUT = 1` (segment `k`; the final memory segments produce nothing). This family makes
//! the flags boolean and ties them to the values, so that every address's carry tokens form
//! one chain through the segments that touch it (§5, *Segments*, item 3):
//!
//! * an address not carried in starts at zero (`(1 - CIN) V_IN = 0`);
//! * a row carried in is carried out (`CIN (1 - COUT) = 0`): a chain never ends inside the
//!   run, only at the final memory segments, whose addresses are distinct across the run;
//! * a touched row is carried out (`(1 - COUT) FTS = 0`; `FTS` is nonzero exactly when the
//!   segment accessed the address): whatever a segment does to an address joins the chain;
//! * a nonzero final value is carried out (`(1 - COUT) FVAL = 0`).
//!
//! So the only row that neither consumes nor produces is an untouched zero row (padding).
//! A single proof is its own first and last segment: `CIN = 0` on every row and the
//! carry-out of its touched or nonzero rows is multiplied by zero.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::field::{Felt, FieldElement};

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("carry_in_boolean", 2),
    ("carry_out_boolean", 2),
    ("fresh_address_starts_at_zero", 2),
    ("nonzero_final_value_carried_out", 2),
    ("carried_in_is_carried_out", 2),
    ("touched_is_carried_out", 2),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    if !r.wide() {
        // Narrow layout: single proofs only, no carry columns.
        for _ in 0..CONSTRAINTS.len() {
            s.push(E::ZERO);
        }
        return;
    }
    let (cin, cout) = (r.c(CIN), r.c(COUT));
    s.push(cin * (cin - E::ONE));
    s.push(cout * (cout - E::ONE));
    s.push((E::ONE - cin) * r.c(V_IN));
    s.push((E::ONE - cout) * r.c(FVAL));
    s.push(cin * (E::ONE - cout));
    s.push((E::ONE - cout) * r.c(FTS));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    #[test]
    fn carried_values_hold_dropped_ones_do_not() {
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3)
            .set(V_IN, 9)
            .set(CIN, 1)
            .set(FVAL, 4)
            .set(COUT, 1);
        r.holds("carry");
        // a fresh address starting from a nonzero value
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3).set(V_IN, 9);
        r.rejected_by("carry", "fresh_address_starts_at_zero");
        // a nonzero final value not carried out
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3).set(FVAL, 4);
        r.rejected_by("carry", "nonzero_final_value_carried_out");
        // flags that are not bits
        let mut r = Rows::new(Op::Add);
        r.set(CIN, 2);
        r.rejected_by("carry", "carry_in_boolean");
        let mut r = Rows::new(Op::Add);
        r.set(COUT, 2).set(FVAL, 1);
        r.rejected_by("carry", "carry_out_boolean");
        // a chain ended inside the run: carried in (even a zero) and not carried out
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3).set(CIN, 1);
        r.rejected_by("carry", "carried_in_is_carried_out");
        // a touched address left out of the chain, even when it ends at zero
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3).set(FTS, 6);
        r.rejected_by("carry", "touched_is_carried_out");
        // the padding row: untouched, zero, neither consumed nor produced
        let mut r = Rows::new(Op::Add);
        r.set(TADDR, 3);
        r.holds("carry");
    }
}
