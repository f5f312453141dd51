//! Range bus (tag 3): byte pairs `(x, y)` looked up in the byte-pair table (2^16 entries,
//! `BYTE_K = 4` per row in periodic columns of period 2^14), which proves both are bytes.
//! Lookups: the bytes of the word `W` (`(r0, r1)`, `(r2, r3)`), of the four timestamp gaps
//! (`(dA0, dA1)`, `(dB0, dB1)`, `(dC0, dC1)`, `(dD0, dD1)`, `(dA2, dB2)`, `(dC2, dD2)`) and of
//! the memory table's address gap (`(g0, g1)`, `(g2, g3)`), and, on a row carried in from an
//! earlier segment (`CIN = 1`), of the carry distance (`(dj0, dj1)`, [`super::carry`]).
//!
//! The table fractions use the *next* row's multiplicities `M_RANGE'` against periodic columns
//! shifted by one row (transition constraints never see the last row); row 0's entries
//! `(0, j)` are added through `FIRST` ([`crate::logup::first_row_fractions`]).

use super::{byte_table, Bus, Declaration, Fraction, FractionSink, Period};
use crate::columns::*;
use crate::constraints::Row;
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

/// The bytes of the word `W`: `(r0, r1)`, `(r2, r3)`.
pub struct WordBytes;
/// The bytes of the four timestamp gaps.
pub struct GapBytes;
/// The bytes of the memory table's address gap.
pub struct TableGapBytes;
/// The bytes of the carry distance, looked up when the row is carried in.
pub struct CarryDistanceBytes;
/// The byte-pair table: `BYTE_K` entries per row, weighted by `M_RANGE'`.
pub struct Table;

/// The bytes of `W` a row looks up, each pair with multiplicity 1.
#[inline(always)]
pub fn word_bytes<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [[F; 2]; 2] {
    [[r.c(R), r.c(R + 1)], [r.c(R + 2), r.c(R + 3)]]
}

/// The timestamp-gap bytes a row looks up, each pair with multiplicity 1: the two low bytes
/// of each gap, then the high bytes in pairs (`(dA2, dB2)`, `(dC2, dD2)`).
#[inline(always)]
pub fn gap_bytes<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [[F; 2]; 6] {
    let gap = |j: usize, i: usize| r.c(gap_col(j, i));
    [
        [gap(0, 0), gap(0, 1)],
        [gap(1, 0), gap(1, 1)],
        [gap(2, 0), gap(2, 1)],
        [gap(3, 0), gap(3, 1)],
        [gap(0, 2), gap(1, 2)],
        [gap(2, 2), gap(3, 2)],
    ]
}

/// The memory table's address-gap bytes a row looks up: `(g0, g1)`, `(g2, g3)`.
#[inline(always)]
pub fn table_gap_bytes<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [[F; 2]; 2] {
    [[r.c(G), r.c(G + 1)], [r.c(G + 2), r.c(G + 3)]]
}

/// The carry-distance bytes `(dj0, dj1)` a row looks up, with multiplicity `CIN` (the
/// distance only matters on a row that consumes a carried token).
#[inline(always)]
pub fn carry_distance_bytes<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> (F, [F; 2]) {
    (r.c(CIN), [r.c(DJ), r.c(DJ + 1)])
}

impl Declaration for WordBytes {
    const FRACTIONS: &'static [Fraction] = &[
        Fraction::lookup(Bus::Range, "w_bytes_0_1", 0),
        Fraction::lookup(Bus::Range, "w_bytes_2_3", 0),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        for t in word_bytes(r) {
            s.push(E::ONE, ch.den(Bus::Range.tag(), &t));
        }
    }
}

impl Declaration for GapBytes {
    const FRACTIONS: &'static [Fraction] = &[
        Fraction::lookup(Bus::Range, "gap_a_bytes_0_1", 0),
        Fraction::lookup(Bus::Range, "gap_b_bytes_0_1", 0),
        Fraction::lookup(Bus::Range, "gap_c_bytes_0_1", 0),
        Fraction::lookup(Bus::Range, "gap_d_bytes_0_1", 0),
        Fraction::lookup(Bus::Range, "gap_a_b_bytes_2", 0),
        Fraction::lookup(Bus::Range, "gap_c_d_bytes_2", 0),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        for t in gap_bytes(r) {
            s.push(E::ONE, ch.den(Bus::Range.tag(), &t));
        }
    }
}

impl Declaration for TableGapBytes {
    const FRACTIONS: &'static [Fraction] = &[
        Fraction::lookup(Bus::Range, "table_gap_bytes_0_1", 0),
        Fraction::lookup(Bus::Range, "table_gap_bytes_2_3", 0),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        for t in table_gap_bytes(r) {
            s.push(E::ONE, ch.den(Bus::Range.tag(), &t));
        }
    }
}

impl Declaration for CarryDistanceBytes {
    const FRACTIONS: &'static [Fraction] =
        &[Fraction::lookup(Bus::Range, "carry_distance_bytes", 1)];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        let (m, t) = carry_distance_bytes(r);
        s.push(E::from(m), ch.den(Bus::Range.tag(), &t));
    }
}

const fn entry(name: &'static str) -> Fraction {
    Fraction::table(Bus::Range, name, Period::Rows(BYTE_PERIOD))
}

impl Declaration for Table {
    const FRACTIONS: &'static [Fraction] = &[
        entry("table_entry_0"),
        entry("table_entry_1"),
        entry("table_entry_2"),
        entry("table_entry_3"),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        for j in 0..BYTE_K {
            s.push(
                -E::from(r.n(M_RANGE + j)),
                ch.den(Bus::Range.tag(), &byte_table(periodic, j)[..2]),
            );
        }
    }
}
const _: () = assert!(<Table as Declaration>::FRACTIONS.len() == BYTE_K);
