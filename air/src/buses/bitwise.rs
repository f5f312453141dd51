//! Bitwise bus (tag 4): the four lanes `(x_i, y_i, z_i, w_i)` of every row are entries
//! `(x, y, x & y, x ^ y)` of the byte-pair table (which also proves `x_i`, `y_i` are bytes),
//! `BYTE_K` entries per row against the next row's multiplicities `M_BIT'`, like
//! [`super::range`] (row 0's entries `(0, j, 0, j)` through `FIRST`).

use super::{byte_table, Bus, Declaration, Fraction, FractionSink, Period};
use crate::columns::*;
use crate::constraints::Row;
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

/// The four lanes of a row.
pub struct Lanes;
/// The byte-pair table: `BYTE_K` entries per row, weighted by `M_BIT'`.
pub struct Table;

/// The lanes a row looks up, each with multiplicity 1.
#[inline(always)]
pub fn lanes<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [[F; 4]; WORD_BYTES] {
    core::array::from_fn(|i| [r.c(X + i), r.c(Y + i), r.c(Z + i), r.c(W + i)])
}

impl Declaration for Lanes {
    const FRACTIONS: &'static [Fraction] = &[
        Fraction::lookup(Bus::Bitwise, "lane_0", 0),
        Fraction::lookup(Bus::Bitwise, "lane_1", 0),
        Fraction::lookup(Bus::Bitwise, "lane_2", 0),
        Fraction::lookup(Bus::Bitwise, "lane_3", 0),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        for t in lanes(r) {
            s.push(E::ONE, ch.den(Bus::Bitwise.tag(), &t));
        }
    }
}
const _: () = assert!(<Lanes as Declaration>::FRACTIONS.len() == WORD_BYTES);

const fn entry(name: &'static str) -> Fraction {
    Fraction::table(Bus::Bitwise, name, Period::Rows(BYTE_PERIOD))
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
                -E::from(r.n(M_BIT + j)),
                ch.den(Bus::Bitwise.tag(), byte_table(periodic, j)),
            );
        }
    }
}
const _: () = assert!(<Table as Declaration>::FRACTIONS.len() == BYTE_K);
