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
//! address `TADDR`; the verifier adds the tokens of the entry arguments and of the nonzero
//! initial global and memory words.
//!
//! The buses' fractions are declared in [`crate::buses`]; this module packs them into helper
//! columns ([`PACKING`], derived from the declarations under the degree bound [`MAX_DEGREE`])
//! and evaluates the auxiliary constraints.
//!
//! Auxiliary columns (quadratic-extension elements): helper columns `h_g`, each the sum of
//! the group's fractions on its row, pinned by `h_g * prod(d) = sum_j n_j prod_{k != j} d_k`,
//! and the running sum `S`, `S[0] = 0`, `S' = S + sum_g h_g - first * (first-row table
//! terms)` (multiplied through by the constant table denominators), `S[n-1] =` the value the
//! verifier computes from the initial state.
//!
//! The byte tables (range and bitwise, 2^16 entries each) hold `BYTE_K = 4` entries per row,
//! so they fit in 2^14 rows. They use the *next* row's multiplicities with periodic columns
//! shifted by one (so rows `1..n` are covered) plus an explicit first-row term for row 0,
//! because transition constraints never see the last row.

use crate::buses::{self, Bus, Den, Fraction, FRACTIONS};
use crate::columns::*;
use crate::field::{k, ExtensionOf, Felt, FieldElement};
use winterfell::TransitionConstraintDegree;

pub use crate::buses::{fractions, NUM_FRACTIONS};

/// Bus tags (see [`Bus::tag`]).
pub mod tag {
    use crate::buses::Bus;
    /// Memory tokens `(addr, value, timestamp)`.
    pub const MEM: u64 = Bus::Memory.tag();
    /// Program table `(pc, opcode, b_imm, a, b, c, imm)`.
    pub const PROG: u64 = Bus::Program.tag();
    /// Range table: a byte pair `(x, y)`.
    pub const RANGE: u64 = Bus::Range.tag();
    /// Bitwise table `(x, y, x & y, x ^ y)`.
    pub const BIT: u64 = Bus::Bitwise.tag();
    /// pow2 table `(amount, direction, value)`.
    pub const POW: u64 = Bus::Pow2.tag();
    /// Carry bus.
    pub const CARRY: u64 = Bus::Carry.tag();
}

/// The highest constraint degree allowed (counting one per trace column factor and one per
/// periodic column): 5 keeps the constraint-evaluation blowup at
/// [`crate::air::CE_BLOWUP`] = 4.
pub const MAX_DEGREE: usize = 5;
/// Most fractions in one helper column: `h * prod(d)` has degree `1 + len`.
pub const MAX_GROUP: usize = MAX_DEGREE - 1;

/// The fractions of [`FRACTIONS`] grouped into helper columns.
#[derive(Clone, Copy, Debug)]
pub struct Packing {
    groups: [[usize; MAX_GROUP]; NUM_FRACTIONS],
    lens: [usize; NUM_FRACTIONS],
    count: usize,
}

impl Packing {
    /// Number of groups (helper columns).
    pub const fn len(&self) -> usize {
        self.count
    }
    /// Whether there is no group.
    pub const fn is_empty(&self) -> bool {
        self.count == 0
    }
    /// The fraction indices of group `g`.
    #[inline(always)]
    pub fn group(&self, g: usize) -> &[usize] {
        &self.groups[g][..self.lens[g]]
    }
    /// Every group, in helper-column order.
    pub fn groups(&self) -> impl Iterator<Item = &[usize]> {
        (0..self.count).map(|g| self.group(g))
    }

    /// Packs `fr` under [`MAX_DEGREE`]: first the lookups, each into the first group it fits
    /// (declaration order), then each bus's table entries, kept together, into the first group
    /// they all fit. A group fits while its helper constraint
    /// `h prod_j d_j - sum_j n_j prod_{k != j} d_k` stays within the bound, counting every
    /// denominator as degree 1 (a periodic column counts as one).
    pub const fn pack(fr: &[Fraction; NUM_FRACTIONS]) -> Packing {
        let mut p = Packing {
            groups: [[0; MAX_GROUP]; NUM_FRACTIONS],
            lens: [0; NUM_FRACTIONS],
            count: 0,
        };
        let mut i = 0;
        while i < NUM_FRACTIONS {
            if !fr[i].is_table() {
                p.place(fr, i, 1);
            }
            i += 1;
        }
        i = 0;
        while i < NUM_FRACTIONS {
            if fr[i].is_table() {
                let mut len = 1;
                while i + len < NUM_FRACTIONS
                    && fr[i + len].is_table()
                    && fr[i + len].bus as u64 == fr[i].bus as u64
                {
                    len += 1;
                }
                p.place(fr, i, len);
                i += len;
            } else {
                i += 1;
            }
        }
        p
    }

    /// Puts fractions `first .. first + len` into the first group where they fit, or a new one.
    const fn place(&mut self, fr: &[Fraction; NUM_FRACTIONS], first: usize, len: usize) {
        let mut g = 0;
        while g < self.count && !self.fits(fr, g, first, len) {
            g += 1;
        }
        if g == self.count {
            self.count += 1;
            assert!(
                self.fits(fr, g, first, len),
                "a fraction alone exceeds the degree bound"
            );
        }
        let mut j = 0;
        while j < len {
            self.groups[g][self.lens[g]] = first + j;
            self.lens[g] += 1;
            j += 1;
        }
    }

    /// Whether group `g` plus fractions `first .. first + len` stays within [`MAX_DEGREE`].
    const fn fits(
        &self,
        fr: &[Fraction; NUM_FRACTIONS],
        g: usize,
        first: usize,
        len: usize,
    ) -> bool {
        let total = self.lens[g] + len;
        if total > MAX_GROUP {
            return false;
        }
        // h * prod(d): 1 + total; numerator j times the other denominators: n_j + total - 1.
        let mut deg = 1 + total;
        let mut m = 0;
        while m < total {
            let j = if m < self.lens[g] {
                self.groups[g][m]
            } else {
                first + m - self.lens[g]
            };
            let d = fr[j].num_degree + total - 1;
            if d > deg {
                deg = d;
            }
            m += 1;
        }
        deg <= MAX_DEGREE
    }
}

/// The helper columns' groups, derived from the buses' declarations.
pub const PACKING: Packing = Packing::pack(&FRACTIONS);
/// Helper columns.
pub const NUM_HELPERS: usize = PACKING.len();
/// Index of the running-sum column in the auxiliary segment.
pub const SUM: usize = NUM_HELPERS;
/// Auxiliary segment width (extension-field columns).
pub const AUX_WIDTH: usize = NUM_HELPERS + 1;
/// Random elements drawn for the auxiliary segment: `alpha`, `beta`.
pub const NUM_RAND: usize = 2;

/// Transition-constraint degrees of the auxiliary segment for program period `p`, derived
/// from the declarations: helper `g`'s constraint `h * prod(den) - sum(num * prod(other den))`
/// has trace degree `max(1 + L, n_j + L - [j is a lookup])` with `L` lookup denominators in
/// the group, and each table denominator adds its periodic column's cycle. The running-sum
/// constraint has degree 2 (`first` times a multiplicity).
pub fn aux_degrees(p: usize) -> Vec<TransitionConstraintDegree> {
    let mut d: Vec<TransitionConstraintDegree> = PACKING
        .groups()
        .map(|g| {
            let lookups: usize = g.iter().map(|&j| FRACTIONS[j].den_degree()).sum();
            let mut base = 1 + lookups;
            let mut cycles = Vec::new();
            for &j in g {
                let f = &FRACTIONS[j];
                base = base.max(f.num_degree + lookups - f.den_degree());
                if let Den::Table(period) = f.den {
                    cycles.push(period.rows(p));
                }
            }
            TransitionConstraintDegree::with_cycles(base, cycles)
        })
        .collect();
    d.push(TransitionConstraintDegree::new(2));
    debug_assert_eq!(d.len(), AUX_WIDTH);
    d
}

/// The verifier's challenges: `alpha` and the powers of `beta`.
#[derive(Clone, Debug)]
pub struct Challenges<E> {
    /// Shift `alpha`.
    pub alpha: E,
    /// `beta^0 .. beta^7`.
    pub beta: [E; 8],
    /// The segment's index `k` (0 for a single proof): the last element of every memory
    /// token, and the carry bus's link index ([`crate::buses::carry`]).
    pub segment: u64,
    /// Whether the segment produces no carry-out: a final memory segment of a run in
    /// segments, or a single proof.
    pub last: bool,
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
            segment: 0,
            last: true,
        }
    }

    /// The challenges as segment `index` of a run sees them (`last`: a final memory segment).
    pub fn for_segment(mut self, index: u64, last: bool) -> Self {
        self.segment = index;
        self.last = last;
        self
    }

    /// [`Challenges::den`] of the tuple `vals` followed by the constant `c`:
    /// `alpha - (tag + sum_j beta^(j+1) v_j + beta^(len+1) c)`.
    #[inline(always)]
    pub fn den_with<F>(&self, tag: u64, vals: &[F], c: u64) -> E
    where
        F: FieldElement<BaseField = Felt>,
        E: ExtensionOf<F>,
    {
        self.den(tag, vals) - self.beta[vals.len() + 1].mul_base(Felt::new(c))
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

/// Row 0's entries of the shifted byte tables, `(0, j)` of the range table and
/// `(0, j, 0, j)` of the bitwise table for `j < BYTE_K` (range first): `(bus, multiplicity
/// on this row, constant denominator)`. The table fractions of [`crate::buses::range`] and
/// [`crate::buses::bitwise`] pair each row's periodic entries with the *next* row's
/// multiplicities, so these entries are added on the first row instead.
pub fn first_row_fractions<F, E>(cur: &[F], ch: &Challenges<E>) -> [(Bus, F, E); 2 * BYTE_K]
where
    F: FieldElement<BaseField = Felt>,
    E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
{
    core::array::from_fn(|i| {
        let (bus, m_col, width) = if i < BYTE_K {
            (Bus::Range, M_RANGE, 2)
        } else {
            (Bus::Bitwise, M_BIT, 4)
        };
        let j = i % BYTE_K;
        let entry = buses::byte_entry(j).map(k::<F>);
        (bus, cur[m_col + j], ch.den(bus.tag(), &entry[..width]))
    })
}

/// The first-row entries ([`first_row_fractions`]) with denominators `d_1 .. d_2K`: returns
/// `(prod d, first * sum_i m_i prod_{k != i} d_k)`: the running-sum step is
/// `S' - S - sum h = -first * sum_i m_i / d_i`, multiplied through by `prod d` so no
/// inversion is needed.
pub fn first_row_scaled<F, E>(cur: &[F], ch: &Challenges<E>) -> (E, E)
where
    F: FieldElement<BaseField = Felt>,
    E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
{
    let fr = first_row_fractions(cur, ch);
    // prefix[i] = d_0 .. d_{i-1}; the product without d_i is prefix[i] * suffix[i+1]
    let mut prefix = [E::ONE; 2 * BYTE_K + 1];
    for i in 0..2 * BYTE_K {
        prefix[i + 1] = prefix[i] * fr[i].2;
    }
    let mut suffix = E::ONE;
    let mut term = E::ZERO;
    for i in (0..2 * BYTE_K).rev() {
        term += (prefix[i] * suffix).mul_base(fr[i].1);
        suffix *= fr[i].2;
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
    for (g, group) in PACKING.groups().enumerate() {
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

/// The running sum's required final value: for every address the statement initialises to a
/// nonzero value `v` (the entry arguments in slots `0..`, the global words at `GLOBAL_BASE +
/// w`, the memory words at `MEM_BASE + wa`: [`crate::PublicInputs::initial_words`]), the
/// verifier produces `(addr, v, 0)` and consumes the zero token `(addr, 0, 0)` that the memory
/// table produces for it: `sum 1/(alpha - enc(addr, v, 0)) - 1/(alpha - enc(addr, 0, 0))`.
/// The cost is one pair of inversions per initialised word (the data segments are part of the
/// program hash).
pub fn expected_sum<E: FieldElement<BaseField = Felt>>(
    initial: &[(u64, u32)],
    ch: &Challenges<E>,
) -> E {
    let mut s = E::ZERO;
    for &(addr, v) in initial {
        if v != 0 {
            s += ch.inv_const(tag::MEM, &[addr, v as u64, 0])
                - ch.inv_const(tag::MEM, &[addr, 0, 0]);
        }
    }
    s
}

/// What the segments of a run in segments must sum to (`docs/air.md` §5, *Segments*): the
/// verifier produces the carry token `(addr, v, 0)` (label 0: the initial state) for every
/// address the statement initialises to a nonzero `v` ([`crate::PublicInputs::initial_words`]),
/// which the first segment touching the address, or else the final memory segment holding it,
/// consumes: `sum 1/(alpha - enc(addr, v, 0))` on the carry bus. One inversion per initialised
/// word.
pub fn expected_carry_sum<E: FieldElement<BaseField = Felt>>(
    initial: &[(u64, u32)],
    ch: &Challenges<E>,
) -> E {
    let mut s = E::ZERO;
    for &(addr, v) in initial {
        if v != 0 {
            s += ch.inv_const(tag::CARRY, &[addr, v as u64, 0]);
        }
    }
    s
}
