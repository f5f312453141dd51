//! Memory bus (tag 1): offline memory checking (Blum et al. 1991, in the read-set/write-set
//! form of Spice/Cairo). Every access `j` of a row consumes the token `(addr, old value,
//! old timestamp)` and produces `(addr, new value, ts_j)` with `ts_j = ACCESSES_PER_ROW * IDX
//! + j + 1`, weighted by its access enable; the memory table produces `(IDX, 0, 0)` and
//! consumes `(IDX, FVAL, FTS)` for every address `IDX`; the verifier adds the entry
//! arguments' tokens ([`crate::logup::expected_sum`]). The timestamp order is the memory
//! family's constraint ([`crate::constraints::memory`]).

use super::{Bus, Declaration, Fraction, FractionSink};
use crate::columns::*;
use crate::constraints::Row;
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

/// The row's eight tokens.
pub struct Tokens;

/// The row's tokens `(numerator, (addr, value, timestamp))`, in the order of
/// [`Tokens`]' fractions (numerator signs: `+` consumed, `-` produced).
#[inline(always)]
pub fn tokens<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [(F, [F; 3]); 8] {
    let fp = r.c(FP);
    let (en_a, en_b, en_c) = (r.en_a(), r.en_b(), r.en_c());
    let (aa, ab, ac) = (fp + r.c(OFF_A), fp + r.c(OFF_B), fp + r.c(OFF_C));
    [
        (en_a, [aa, r.c(VAL_A), r.c(PTS_A)]),
        (-en_a, [aa, r.c(VAL_A), r.ts(0)]),
        (en_c, [ac, r.c(PREV_C), r.c(PTS_C)]),
        (-en_c, [ac, r.c(VAL_C), r.ts(2)]),
        (en_b, [ab, r.c(PREV_B), r.c(PTS_B)]),
        (-en_b, [ab, r.c(VAL_B), r.ts(1)]),
        (-F::ONE, [r.c(IDX), F::ZERO, F::ZERO]),
        (F::ONE, [r.c(IDX), r.c(FVAL), r.c(FTS)]),
    ]
}

impl Declaration for Tokens {
    const FRACTIONS: &'static [Fraction] = &[
        Fraction::lookup(Bus::Memory, "a_consumed", 1),
        Fraction::lookup(Bus::Memory, "a_produced", 1),
        Fraction::lookup(Bus::Memory, "c_consumed", 1),
        Fraction::lookup(Bus::Memory, "c_produced", 1),
        Fraction::lookup(Bus::Memory, "b_consumed", 2),
        Fraction::lookup(Bus::Memory, "b_produced", 2),
        Fraction::lookup(Bus::Memory, "table_initial", 0),
        Fraction::lookup(Bus::Memory, "table_final", 0),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        for (num, t) in tokens(r) {
            s.push(E::from(num), ch.den(Bus::Memory.tag(), &t));
        }
    }
}
