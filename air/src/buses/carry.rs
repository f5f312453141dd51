//! Carry bus (tag 6): the memory state handed from one segment to the next (`docs/air.md` §5,
//! *Segments*). On segment `k`, the memory table's row consumes `(TADDR, V_IN, k)` when
//! `CIN = 1` and produces `(TADDR, FVAL, k + 1)` when `COUT = 1`, unless `k` is the run's
//! last segment ([`crate::constraints::carry`] ties the flags to the values). All segments
//! share the LogUp challenges, drawn after every segment's main trace is committed, so a
//! token produced by segment `k` can only be consumed by segment `k + 1`'s row of the same
//! address with the same value. A single proof (first and last) carries nothing.

use super::{Bus, Declaration, Fraction, FractionSink};
use crate::columns::*;
use crate::constraints::Row;
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

/// The memory table row's two carry tokens.
pub struct Link;

impl Declaration for Link {
    const FRACTIONS: &'static [Fraction] = &[
        Fraction::lookup(Bus::Carry, "carried_in", 1),
        Fraction::lookup(Bus::Carry, "carried_out", 1),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        let tag = Bus::Carry.tag();
        let a = r.table_addr();
        // Consumed (`+`): the value the previous segment handed over.
        s.push(
            E::from(r.c(CIN)),
            ch.den_with(tag, &[a, r.c(V_IN)], ch.segment),
        );
        // Produced (`-`): the final value, for the next segment.
        let out = if ch.last { F::ZERO } else { -r.c(COUT) };
        s.push(
            E::from(out),
            ch.den_with(tag, &[a, r.c(FVAL)], ch.segment + 1),
        );
    }
}
