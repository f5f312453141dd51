//! Memory bus (tag 1): offline memory checking (Blum et al. 1991, in the read-set/write-set
//! form of Spice/Cairo). Every access `j` of a row consumes the token `(addr, old value,
//! old timestamp)` and produces `(addr, new value, ts_j)` with `ts_j = ACCESSES_PER_ROW * IDX
//! + j + 1`, weighted by its access enable; every token ends with the segment's index `k` (0
//! for a single proof), so the tokens of one segment balance among themselves; the memory
//! table produces `(TADDR, V_IN, 0)` (`V_IN` is 0 except for values carried in from an
//! earlier segment or the initial state of a run in segments, [`super::carry`]) and
//! consumes `(TADDR, FVAL, FTS)` for the address `TADDR` of every row (frame slots, global
//! words and memory words: [`crate::constraints::table`]); for a single proof the verifier
//! adds the tokens of the entry arguments and of the nonzero initial global and memory words
//! ([`crate::logup::expected_sum`]; a run in segments takes them on the carry bus instead,
//! [`crate::logup::expected_carry_sum`]). The timestamp order is the memory family's constraint
//! ([`crate::constraints::memory`]).

use super::{Bus, Declaration, Fraction, FractionSink};
use crate::columns::*;
use crate::constraints::Row;
use crate::field::{k, ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

/// The row's ten tokens.
pub struct Tokens;

/// The row's tokens `(numerator, (addr, value, timestamp))`, in the order of
/// [`Tokens`]' fractions (numerator signs: `+` consumed, `-` produced).
#[inline(always)]
pub fn tokens<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [(F, [F; 3]); 10] {
    let fp = r.c(FP);
    let (en_a, en_b, en_c, en_d) = (r.en_a(), r.en_b(), r.en_c(), r.en_d());
    let (aa, ab, ac) = (fp + r.c(OFF_A), r.addr_b(), r.addr_c());
    let ad = k::<F>(MEM_BASE + 1) + r.c(WA);
    [
        (en_a, [aa, r.c(VAL_A), r.c(PTS_A)]),
        (-en_a, [aa, r.c(VAL_A), r.ts(0)]),
        (en_c, [ac, r.c(PREV_C), r.c(PTS_C)]),
        (-en_c, [ac, r.c(VAL_C), r.ts(2)]),
        (en_b, [ab, r.c(PREV_B), r.c(PTS_B)]),
        (-en_b, [ab, r.c(VAL_B), r.ts(1)]),
        (en_d, [ad, r.c(PREV_D), r.c(PTS_D)]),
        (-en_d, [ad, r.c(VAL_D), r.ts(3)]),
        (-F::ONE, [r.table_addr(), r.c(V_IN), F::ZERO]),
        (F::ONE, [r.table_addr(), r.c(FVAL), r.c(FTS)]),
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
        Fraction::lookup(Bus::Memory, "d_consumed", 2),
        Fraction::lookup(Bus::Memory, "d_produced", 2),
        Fraction::lookup(Bus::Memory, "table_initial", 0),
        Fraction::lookup(Bus::Memory, "table_final", 0),
    ];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        // The segment's index closes every token, so tokens of two segments never match.
        for (num, t) in tokens(r) {
            s.push(E::from(num), ch.den_with(Bus::Memory.tag(), &t, ch.segment));
        }
    }
}
