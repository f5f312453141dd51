//! Carry bus (tag 6): the memory state handed from one segment to a later one (`docs/air.md`
//! §5, *Segments*). A token `(addr, value, j)` is labelled with `j = k + 1` by the segment `k`
//! that produced it (`j = 0`: the run's initial state, which the verifier produces). On
//! segment `k`, the memory table's row consumes `(TADDR, V_IN, k - D)` when `CIN = 1`, where
//! `D = dj0 + 256 dj1` is range-checked ([`super::range::CarryDistanceBytes`]), so only a
//! token of an earlier segment or of the initial state; and it produces `(TADDR, FVAL, k + 1)`
//! when `COUT = 1`, unless the segment is one of the run's final memory segments, which only
//! consume ([`crate::constraints::carry`] ties the flags to the values). All segments share
//! the LogUp challenges, drawn after every segment's main trace is committed. A single proof
//! carries nothing (`CIN = 0`, its carry-out not produced).

use super::{Bus, Declaration, Fraction, FractionSink};
use crate::columns::*;
use crate::constraints::Row;
use crate::field::{k, ExtensionOf, Felt, FieldElement};
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
        // Consumed (`+`): the value an earlier segment (`D` back) handed over.
        let d = r.c(DJ) + k::<F>(256) * r.c(DJ + 1);
        s.push(
            E::from(r.c(CIN)),
            ch.den(tag, &[a, r.c(V_IN), k::<F>(ch.segment) - d]),
        );
        // Produced (`-`): the final value, for a later segment.
        let out = if ch.last { F::ZERO } else { -r.c(COUT) };
        s.push(
            E::from(out),
            ch.den_with(tag, &[a, r.c(FVAL)], ch.segment + 1),
        );
    }
}
