//! pow2 bus (tag 5): shift rows look up `(S, right, P)` — amount, direction (`shr_u`/`rotr`)
//! and the multiplier — in the pow2 table, 3 periodic columns of period 64 (entry `k`:
//! `(k mod 32, k div 32, 2^k for k < 32 else 2^(64-k))`), weighted by `M_POW` (entry
//! `IDX mod 64`). The table lists amounts `0..32` only, which confines `S` to `[0, 32)`.

use super::{Bus, Declaration, Fraction, FractionSink, Period};
use crate::columns::{periodic, *};
use crate::constraints::Row;
use crate::decoder::Group;
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

/// The shift lookup, weighted by the `Shift` group flag.
pub struct Shift;
/// The pow2 table: one entry per row, weighted by `M_POW`.
pub struct Table;

/// The row's lookup: (multiplicity = the `Shift` group flag, `(S, right, P)`).
#[inline(always)]
pub fn lookup<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> (F, [F; periodic::POW_COLS]) {
    // On a `Shift` row bit 0 is the direction (`shr_u`, `rotr`); elsewhere the lookup's
    // multiplicity is 0, so the tuple does not matter.
    (r.g(Group::Shift), [r.c(S), r.bit(0), r.c(P)])
}

impl Declaration for Shift {
    const FRACTIONS: &'static [Fraction] = &[Fraction::lookup(Bus::Pow2, "shift", 1)];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        let (m, t) = lookup(r);
        s.push(E::from(m), ch.den(Bus::Pow2.tag(), &t));
    }
}

impl Declaration for Table {
    const FRACTIONS: &'static [Fraction] = &[Fraction::table(
        Bus::Pow2,
        "table_entry",
        Period::Rows(POW_TABLE_LEN),
    )];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        let table = &periodic[periodic::POW_TABLE.range()];
        s.push(-E::from(r.c(M_POW)), ch.den(Bus::Pow2.tag(), table));
    }
}

/// The pow2 table ([`periodic::POW_TABLE`]): `3 x 64` columns amount, direction, value.
pub fn table_columns() -> Vec<Vec<Felt>> {
    let keys = 0..POW_TABLE_LEN as u64;
    vec![
        keys.clone().map(|k| Felt::new(k % 32)).collect(),
        keys.clone().map(|k| Felt::new(k / 32)).collect(),
        keys.map(|k| Felt::new(pow_table_value(k))).collect(),
    ]
}
