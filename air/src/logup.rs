//! The LogUp arguments of the auxiliary (RAP) segment.
//!
//! LogUp (Haböck, "Multivariate lookups based on logarithmic derivatives", ePrint 2022/1530):
//! a multiset of lookups `{e}` is contained in a table `{t}` with multiplicities `m_t` iff
//! `sum_e 1/(alpha - e) = sum_t m_t/(alpha - t)` for random `alpha` (with overwhelming
//! probability over the quadratic extension of Goldilocks). Tuples are compressed as
//! `tag + beta v_1 + beta^2 v_2 + ...`, with a distinct `tag` per bus, so all buses share one
//! running sum. The memory bus is offline memory checking (Blum et al. 1991, in the
//! read-set/write-set form of Spice/Cairo): every access consumes the token
//! `(addr, old value, old timestamp)` and produces `(addr, new value, timestamp)`; the memory
//! table produces `(addr, 0, 0)` and consumes `(addr, final value, final timestamp)` for every
//! address `IDX`; the verifier adds the tokens of the entry arguments.
//!
//! Auxiliary columns (quadratic-extension elements): 8 helper columns `h_g`, each the sum of
//! the group's fractions on its row, pinned by `h_g * prod(d) = sum_j n_j prod_{k != j} d_k`,
//! and the running sum `S`, `S[0] = 0`, `S' = S + sum_g h_g - first * (first-row table
//! terms)` (multiplied through by the constant table denominators), `S[n-1] =` the value the verifier computes from the arguments.
//!
//! The byte tables (range and bitwise, 2^16 entries each) hold `BYTE_K = 4` entries per row,
//! so they fit in 2^14 rows. They use the *next* row's multiplicities with periodic columns
//! shifted by one (so rows `1..n` are covered) plus an explicit first-row term for row 0,
//! because transition constraints never see the last row.

use winterfell::math::{fields::f64::BaseElement as Felt, ExtensionOf, FieldElement};

use crate::columns::BYTE_K;
use crate::columns::{self, *};
use crate::constraints::{decode, k, mul::SHIFTS, Row};
use gloam_isa::Op;

/// Bus tags.
pub mod tag {
    /// Memory tokens `(addr, value, timestamp)`.
    pub const MEM: u64 = 1;
    /// Program table `(pc, opcode, b_imm, a, b, c, imm)`.
    pub const PROG: u64 = 2;
    /// Range table: a byte pair `(x, y)`.
    pub const RANGE: u64 = 3;
    /// Bitwise table `(x, y, x & y, x ^ y)`.
    pub const BIT: u64 = 4;
    /// pow2 table `(key, value)`.
    pub const POW: u64 = 5;
}

/// Fractions per row: 21 lookups and memory tokens, the program and pow2 tables, and
/// `BYTE_K` entries of each byte table.
pub const NUM_FRACTIONS: usize = 23 + 2 * BYTE_K;
/// How fractions are grouped into helper columns: four fractions with degree-1 denominators
/// give degree-5 helper constraints (constraint-evaluation blowup 4); the table groups have
/// periodic denominators.
pub const GROUPS: &[&[usize]] = &[
    &[0, 1, 2, 3],
    &[4, 5, 6, 7],
    &[8, 9, 10, 11],
    &[12, 13, 14, 15],
    &[16, 17, 18, 19],
    &[20, 21, 22],
    &[23, 24, 25, 26],
    &[27, 28, 29, 30],
];
/// Helper columns.
pub const NUM_HELPERS: usize = 8;
/// Index of the running-sum column in the auxiliary segment.
pub const SUM: usize = NUM_HELPERS;
/// Auxiliary segment width (extension-field columns).
pub const AUX_WIDTH: usize = NUM_HELPERS + 1;
/// Random elements drawn for the auxiliary segment: `alpha`, `beta`.
pub const NUM_RAND: usize = 2;

/// First table fraction in [`fractions`]' order: the lookups (denominators of degree 1 in the
/// trace) come first, then the program table, the pow2 table, the `BYTE_K` range-table and the
/// `BYTE_K` bitwise-table entries, whose denominators are periodic columns.
pub const FIRST_TABLE_FRACTION: usize = NUM_FRACTIONS - 2 - 2 * BYTE_K;

/// Period of the periodic columns in fraction `j`'s denominator, or `None` for a lookup (a
/// trace expression of degree 1). `p` is the program table's period.
pub fn table_period(j: usize, p: usize) -> Option<usize> {
    match j.checked_sub(FIRST_TABLE_FRACTION)? {
        0 => Some(p),
        1 => Some(columns::POW_TABLE_LEN),
        t if t < 2 + 2 * BYTE_K => Some(columns::BYTE_PERIOD),
        _ => None,
    }
}

/// The bus each fraction belongs to (for diagnostics).
pub const FRACTION_BUS: [&str; NUM_FRACTIONS] = [
    "program", "range", "range", "memory", "memory", "memory", "memory", "memory", "memory",
    "memory", "memory", "range", "range", "range", "range", "range", "bitwise", "bitwise",
    "bitwise", "bitwise", "pow2", "program", "pow2", "range", "range", "range", "range", "bitwise",
    "bitwise", "bitwise", "bitwise",
];

/// The verifier's challenges: `alpha` and the powers of `beta`.
#[derive(Clone, Debug)]
pub struct Challenges<E> {
    /// Shift `alpha`.
    pub alpha: E,
    /// `beta^0 .. beta^7`.
    pub beta: [E; 8],
}

impl<E: FieldElement<BaseField = Felt>> Challenges<E> {
    /// From the drawn random elements `[alpha, beta]`.
    pub fn new(rand: &[E]) -> Self {
        let mut beta = [E::ONE; 8];
        for i in 1..8 {
            beta[i] = beta[i - 1] * rand[1];
        }
        Challenges {
            alpha: rand[0],
            beta,
        }
    }

    /// `alpha - (tag + sum_j beta^(j+1) v_j)`.
    #[inline(always)]
    pub fn den<F>(&self, tag: u64, vals: &[F]) -> E
    where
        F: FieldElement<BaseField = Felt>,
        E: ExtensionOf<F>,
    {
        let mut acc = E::from(k::<F>(tag));
        for (j, v) in vals.iter().enumerate() {
            acc += self.beta[j + 1].mul_base(*v);
        }
        self.alpha - acc
    }

    /// `1 / (alpha - enc)` of a table entry of constants (for the first-row terms).
    pub fn inv_const(&self, tag: u64, vals: &[u64]) -> E {
        let vals: Vec<Felt> = vals.iter().map(|v| Felt::new(*v)).collect();
        let mut acc = E::from(Felt::new(tag));
        for (j, v) in vals.iter().enumerate() {
            acc += self.beta[j + 1].mul_base(*v);
        }
        (self.alpha - acc).inv()
    }
}

/// The fractions `(numerator, denominator)` of one transition `(cur, nxt)`.
pub fn fractions<F, E>(
    cur: &[F],
    nxt: &[F],
    periodic: &[F],
    ch: &Challenges<E>,
) -> [(E, E); NUM_FRACTIONS]
where
    F: FieldElement<BaseField = Felt>,
    E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
{
    let r = Row { cur, nxt };
    let one = E::ONE;
    let fp = r.c(FP);
    let (en_a, en_b, en_c) = (E::from(r.en_a()), E::from(r.en_b()), E::from(r.en_c()));
    let mem = |addr: F, val: F, ts: F| ch.den(tag::MEM, &[addr, val, ts]);
    let range = |x: F, y: F| ch.den(tag::RANGE, &[x, y]);
    let bit = |i: usize| ch.den(tag::BIT, &[r.c(X + i), r.c(Y + i), r.c(Z + i), r.c(W + i)]);
    let (aa, ab, ac) = (fp + r.c(OFF_A), fp + r.c(OFF_B), fp + r.c(OFF_C));
    let right = r.fs(&[Op::ShrU, Op::Rotr]);
    let pp = &periodic[periodic::PROG..periodic::PROG + periodic::PROG_COLS];
    let pb = |j: usize| &periodic[periodic::BYTE + 4 * j..periodic::BYTE + 4 * j + 4];
    let range_t = |j: usize| (-E::from(r.n(M_RANGE + j)), ch.den(tag::RANGE, &pb(j)[..2]));
    let bit_t = |j: usize| (-E::from(r.n(M_BIT + j)), ch.den(tag::BIT, pb(j)));
    [
        (
            one,
            ch.den(
                tag::PROG,
                &[
                    r.c(PC),
                    decode::opcode(&r),
                    r.c(BIMM),
                    r.c(OFF_A),
                    r.c(OFF_B),
                    r.c(OFF_C),
                    r.c(IMM),
                ],
            ),
        ),
        (one, range(r.c(R), r.c(R + 1))),
        (one, range(r.c(R + 2), r.c(R + 3))),
        (en_a, mem(aa, r.c(VAL_A), r.c(PTS_A))),
        (-en_a, mem(aa, r.c(VAL_A), r.ts(0))),
        (en_c, mem(ac, r.c(PREV_C), r.c(PTS_C))),
        (-en_c, mem(ac, r.c(VAL_C), r.ts(2))),
        (en_b, mem(ab, r.c(PREV_B), r.c(PTS_B))),
        (-en_b, mem(ab, r.c(VAL_B), r.ts(1))),
        (-one, mem(r.c(IDX), F::ZERO, F::ZERO)),
        (one, mem(r.c(IDX), r.c(FVAL), r.c(FTS))),
        (one, range(r.c(D), r.c(D + 1))),
        (one, range(r.c(D + 3), r.c(D + 4))),
        (one, range(r.c(D + 6), r.c(D + 7))),
        (one, range(r.c(D + 2), r.c(D + 5))),
        (one, range(r.c(D + 8), F::ZERO)),
        (one, bit(0)),
        (one, bit(1)),
        (one, bit(2)),
        (one, bit(3)),
        (
            E::from(r.fs(SHIFTS)),
            ch.den(tag::POW, &[r.c(S), right, r.c(columns::P)]),
        ),
        (-E::from(r.c(M_PROG)), ch.den(tag::PROG, pp)),
        (
            -E::from(r.c(M_POW)),
            ch.den(
                tag::POW,
                &periodic[periodic::POW..periodic::POW + periodic::POW_COLS],
            ),
        ),
        range_t(0),
        range_t(1),
        range_t(2),
        range_t(3),
        bit_t(0),
        bit_t(1),
        bit_t(2),
        bit_t(3),
    ]
}

/// The byte-table entries of row 0, `(0, j)` for `j < BYTE_K`, are not covered by the shifted
/// table fractions. With the constant denominators `d_1 .. d_2K` of those entries (range
/// entries first, then bitwise), returns `(prod d, first * sum_i m_i prod_{k != i} d_k)`:
/// the running-sum step is `S' - S - sum h = -first * sum_i m_i / d_i`, multiplied through by
/// `prod d` so no inversion is needed.
pub fn first_row_scaled<F, E>(cur: &[F], ch: &Challenges<E>) -> (E, E)
where
    F: FieldElement<BaseField = Felt>,
    E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
{
    let z = F::ZERO;
    let mut d = [E::ONE; 2 * BYTE_K];
    let mut m = [F::ZERO; 2 * BYTE_K];
    for j in 0..BYTE_K {
        let y = k::<F>(j as u64);
        d[j] = ch.den::<F>(tag::RANGE, &[z, y]);
        d[BYTE_K + j] = ch.den::<F>(tag::BIT, &[z, y, z, y]);
        m[j] = cur[M_RANGE + j];
        m[BYTE_K + j] = cur[M_BIT + j];
    }
    // prefix[i] = d_0 .. d_{i-1}; the product without d_i is prefix[i] * suffix[i+1]
    let mut prefix = [E::ONE; 2 * BYTE_K + 1];
    for i in 0..2 * BYTE_K {
        prefix[i + 1] = prefix[i] * d[i];
    }
    let mut suffix = E::ONE;
    let mut term = E::ZERO;
    for i in (0..2 * BYTE_K).rev() {
        term += (prefix[i] * suffix).mul_base(m[i]);
        suffix *= d[i];
    }
    (prefix[2 * BYTE_K], term.mul_base(cur[FIRST]))
}

/// The first-row term itself, `first * sum_i m_i / d_i` (for the trace builder and checker).
pub fn first_row_term<F, E>(cur: &[F], ch: &Challenges<E>) -> E
where
    F: FieldElement<BaseField = Felt>,
    E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
{
    let (scale, term) = first_row_scaled(cur, ch);
    term / scale
}

/// Evaluates the auxiliary transition constraints: one per helper column, then the running sum.
pub fn eval_aux<F, E>(
    cur: &[F],
    nxt: &[F],
    aux_cur: &[E],
    aux_nxt: &[E],
    periodic: &[F],
    ch: &Challenges<E>,
    out: &mut [E],
) where
    F: FieldElement<BaseField = Felt>,
    E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
{
    let fr = fractions(cur, nxt, periodic, ch);
    let mut total = E::ZERO;
    for (g, group) in GROUPS.iter().enumerate() {
        let h = aux_cur[g];
        total += h;
        let mut prod = E::ONE;
        for &j in group.iter() {
            prod *= fr[j].1;
        }
        let mut rhs = E::ZERO;
        for (pos, &j) in group.iter().enumerate() {
            let mut term = fr[j].0;
            for (pos2, &j2) in group.iter().enumerate() {
                if pos2 != pos {
                    term *= fr[j2].1;
                }
            }
            rhs += term;
        }
        out[g] = h * prod - rhs;
    }
    let (scale, term) = first_row_scaled(cur, ch);
    out[SUM] = (aux_nxt[SUM] - aux_cur[SUM] - total) * scale + term;
}

/// The running sum's required final value: the entry arguments' initial memory tokens,
/// `sum_i 1/(alpha - enc(i, arg_i, 0)) - 1/(alpha - enc(i, 0, 0))`.
pub fn expected_sum<E: FieldElement<BaseField = Felt>>(args: &[u32], ch: &Challenges<E>) -> E {
    let mut s = E::ZERO;
    for (i, a) in args.iter().enumerate() {
        if *a != 0 {
            s += ch.inv_const(tag::MEM, &[i as u64, *a as u64, 0])
                - ch.inv_const(tag::MEM, &[i as u64, 0, 0]);
        }
    }
    s
}
