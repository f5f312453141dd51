//! Gloam's zero-knowledge STARK: the parameters, the transcript and the proof layout shared by
//! the prover (`gloam_prover::zk`) and the verifier (`gloam_verifier::zk`), and the one
//! function both use to evaluate the constraint composition at a point ([`Composer`]).
//!
//! `winterfell` 0.13 has no zero-knowledge mode, and its verifier cannot check a proof whose
//! trace, quotient and DEEP polynomials are masked. This protocol is written here on
//! `winterfell`'s building blocks: the same [`GloamAir`] (constraints, assertions, periodic
//! columns), `winter-math` (FFT, polynomials), `winter-crypto` (blake3, Merkle trees, the
//! Fiat-Shamir coin) and `winter-fri` (FRI prover and verifier). It follows Haböck and
//! Al-Kindi, "A note on adding zero-knowledge to STARKs" (ePrint 2024/1037):
//!
//! 1. every trace column `T` (main and auxiliary) is committed as `T + Z_H * r`, where
//!    `Z_H = x^n - 1` vanishes on the trace domain and `r` is a uniformly random polynomial
//!    with [`ZkParams::main_randomizers`] (base field) or [`ZkParams::aux_randomizers`]
//!    (extension field) coefficients: as many as the evaluations of the column the proof
//!    reveals, directly or through the quotient (the frame at `z` and `g z`, and every queried
//!    `x` and `g x`);
//! 2. the constraint quotient `H` is split into [`SEGMENTS`] segments of
//!    [`ZkParams::segment_len`] coefficients, each randomised by telescoping random
//!    polynomials (`H'_i = H_i + x^m s_i - s_{i-1}`), which cancel in `sum z^(i m) H'_i(z)`;
//! 3. a random polynomial `R` of degree below the FRI bound is committed with the quotient
//!    segments and added to the DEEP composition, so every FRI layer is a uniformly random
//!    codeword;
//! 4. every Merkle leaf of the trace and quotient commitments is salted
//!    (`merge(hash(row), salt)`, a fresh 256-bit salt per row), so the unopened rows' digests
//!    reveal nothing.
//!
//! `docs/zk.md` gives the simulator argument and what stays public (the statement and the
//! trace length).

use winter_fri::{FriOptions, FriProof};
use winter_utils::{ByteReader, ByteWriter, Deserializable, DeserializationError, Serializable};
use winterfell::crypto::{hashers::Blake3_256, DefaultRandomCoin, Hasher, RandomCoin};
use winterfell::math::fields::QuadExtension;
use winterfell::{Air, AuxRandElements, EvaluationFrame, TransitionConstraintDegree};

use crate::air::CE_BLOWUP;
use crate::field::{ExtensionOf, Felt, FieldElement, StarkField, ToElements};
use crate::logup::{AUX_WIDTH, NUM_RAND};
use crate::{GloamAir, PublicInputs};

/// The hash of zero-knowledge proofs (Merkle trees, Fiat-Shamir): blake3, 256 bits.
pub type ZkHasher = Blake3_256<Felt>;
/// A 32-byte digest of [`ZkHasher`].
pub type Digest = <ZkHasher as Hasher>::Digest;
/// The quadratic extension of Goldilocks: challenges, the auxiliary segment, the quotient.
pub type QuadFelt = QuadExtension<Felt>;
/// The Fiat-Shamir coin.
pub type ZkCoin = DefaultRandomCoin<ZkHasher>;

/// FRI queries. With blowup 8 and 16 bits of grinding, 28 queries give at least 96 bits of
/// conjectured security at every trace length ([`ZkParams::conjectured_bits`]): one more than
/// the transparent proofs' 27, because the committed polynomials are slightly longer than the
/// trace (by the randomizers), which lowers the code rate a little below 1/8.
pub const ZK_QUERIES: usize = 28;
/// Proof-of-work bits before the queries are drawn.
pub const ZK_GRINDING_BITS: u32 = 16;
/// LDE domain size over trace length.
pub const ZK_BLOWUP: usize = 8;
/// FRI folding factor.
pub const ZK_FOLDING: usize = 8;
/// Largest degree of the FRI remainder polynomial the prover may send (before its zero
/// high coefficients are dropped).
pub const ZK_REMAINDER_MAX_DEGREE: usize = 127;
/// Degree of the extension field.
pub const EXTENSION_DEGREE: usize = 2;
/// Random coefficients per main column ([`ZkParams::main_randomizers`]): `2 * 2 + 2 * 28 =
/// 60`, the base-field values the proof reveals about a column.
pub const MAIN_RANDOMIZERS: usize = 2 * EXTENSION_DEGREE + 2 * ZK_QUERIES;
/// Segments of the constraint quotient (the constraint degree bound: 5 - 1).
pub const SEGMENTS: usize = CE_BLOWUP;
/// Columns of the quotient commitment: the segments, then the DEEP mask `R`.
pub const COMPOSITION_WIDTH: usize = SEGMENTS + 1;
/// The domain tag at the start of the transcript.
pub const TRANSCRIPT_TAG: &[u8] = b"gloam-zk-stark-v1";

/// FRI options of zero-knowledge proofs. FRI infers its evaluation domain as the next power of
/// two above the degree bound times the blowup; the bound ([`ZkParams::fri_degree`]) lies
/// just above the trace length `n`, so a blowup of 4 here is the LDE domain of `8 n`; the
/// degree FRI enforces is the exact bound, not `2 n` (the remainder's zero high coefficients
/// are dropped before its length is checked).
pub fn fri_options() -> FriOptions {
    FriOptions::new(ZK_BLOWUP / 2, ZK_FOLDING, ZK_REMAINDER_MAX_DEGREE)
}

/// The sizes of one zero-knowledge proof, all derived from the AIR (trace length, widths,
/// constraint degrees) and the constants above, identically by prover and verifier.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkParams {
    /// Trace rows `n` (a power of two).
    pub trace_len: usize,
    /// LDE domain size, `8 n`.
    pub lde_len: usize,
    /// Committed main columns.
    pub main_width: usize,
    /// Random coefficients per main column: `2 * 2 + 2 * 28 = 60`, the base-field values the
    /// proof reveals about a column (its frame at `z` and `g z` in the extension field, and
    /// its values at every queried `x` and at `g x`, which the quotient there depends on).
    pub main_randomizers: usize,
    /// Random extension coefficients per auxiliary column: `2 + 2 * 28 = 58` (the same count
    /// in extension elements).
    pub aux_randomizers: usize,
    /// Coefficients of the constraint quotient `H` of the randomised trace.
    pub quotient_len: usize,
    /// Coefficients of each quotient segment before randomisation, `m`.
    pub segment_len: usize,
    /// Random extension coefficients of each telescoping segment randomizer:
    /// `28 + 1 = 29`, the points a segment is opened at (`z` and the queries).
    pub segment_randomizers: usize,
    /// FRI degree bound `D`: every committed polynomial (and the DEEP mask) has fewer than `D`
    /// coefficients; a multiple of `8^layers`, a little above `n`.
    pub fri_degree: usize,
}

/// `base` of a constraint degree descriptor: `d(2n) - 2 d(n) = b`, from `winterfell`'s
/// `b (n - 1) + sum n (c - 1) / c` (every cycle divides `n`).
fn base_degree(t: &TransitionConstraintDegree, n: usize) -> usize {
    t.get_evaluation_degree(2 * n) - 2 * t.get_evaluation_degree(n)
}

impl ZkParams {
    /// The parameters of a proof of `air`'s trace.
    pub fn new(air: &GloamAir) -> Self {
        let n = air.trace_length();
        let main_width = air.trace_info().main_trace_width();
        let main_randomizers = MAIN_RANDOMIZERS;
        let aux_randomizers = 2 + 2 * ZK_QUERIES;
        let k = main_randomizers.max(aux_randomizers);
        // A constraint of base degree b over columns of degree n + k - 1 has degree
        // d(n) + b k; the transition divisor has degree n - 1. A boundary quotient has
        // degree n + k - 2.
        let transition = air
            .transition_degrees()
            .iter()
            .map(|t| t.get_evaluation_degree(n) + base_degree(t, n) * k - (n - 1))
            .max()
            .unwrap_or(0);
        let quotient_len = (transition + 1).max(n + k - 1);
        let segment_len = quotient_len.div_ceil(SEGMENTS);
        let segment_randomizers = ZK_QUERIES + 1;
        let lde_len = ZK_BLOWUP * n;
        let raw = (n + main_randomizers)
            .max(n + aux_randomizers)
            .max(segment_len + segment_randomizers);
        let unit = ZK_FOLDING.pow(fri_options().num_fri_layers(lde_len) as u32);
        let fri_degree = raw.div_ceil(unit) * unit;
        ZkParams {
            trace_len: n,
            lde_len,
            main_width,
            main_randomizers,
            aux_randomizers,
            quotient_len,
            segment_len,
            segment_randomizers,
            fri_degree,
        }
    }

    /// Checks what the protocol needs of the sizes: the quotient fits the LDE domain, and the
    /// FRI bound lies in `(n, 2 n]` (FRI's domain is then `8 n`).
    ///
    /// # Errors
    /// A description of the first violated bound.
    pub fn check(&self) -> Result<(), String> {
        let n = self.trace_len;
        if self.quotient_len > self.lde_len {
            return Err(format!(
                "the constraint quotient ({} coefficients) does not fit the LDE domain of {}",
                self.quotient_len, self.lde_len
            ));
        }
        if self.fri_degree <= n + 1 || self.fri_degree > 2 * n {
            return Err(format!(
                "FRI degree bound {} outside ({}, {}]",
                self.fri_degree,
                n + 1,
                2 * n
            ));
        }
        Ok(())
    }

    /// Conjectured security in bits (ethSTARK conjecture, ePrint 2021/582, eq. 19, as
    /// `winterfell` computes it, with the code rate `D / 8n` of this protocol): the least of
    /// `queries * log2(8n / D) + grinding - 1`, the extension field (128 bits) minus one, and
    /// blake3-256's collision resistance (128 bits).
    pub fn conjectured_bits(&self) -> u32 {
        let per_query = (self.lde_len as f64 / self.fri_degree as f64).log2();
        let query = ZK_QUERIES as f64 * per_query + ZK_GRINDING_BITS as f64;
        let field = (64 * EXTENSION_DEGREE) as f64;
        (query.min(field) - 1.0).min(128.0).floor() as u32
    }

    /// Proven security in bits (list-decoding regime), as `winterfell` computes it for a
    /// transparent proof, with this protocol's queries, grinding and constraint count and the
    /// code rate rounded up to 1/4 (the degree bound taken as `2 n` over the `8 n` domain): a
    /// lower bound, since the true rate `D / 8n` is just above 1/8.
    pub fn proven_bits(&self, air: &GloamAir) -> u32 {
        let options = winterfell::ProofOptions::new(
            ZK_QUERIES,
            ZK_BLOWUP / 2,
            ZK_GRINDING_BITS,
            winterfell::FieldExtension::Quadratic,
            ZK_FOLDING,
            ZK_REMAINDER_MAX_DEGREE,
            winterfell::BatchingMethod::Linear,
            winterfell::BatchingMethod::Linear,
        );
        let c = air.context();
        let info = winterfell::TraceInfo::new_multi_segment(
            self.main_width,
            AUX_WIDTH,
            NUM_RAND,
            2 * self.trace_len,
            vec![],
        );
        let mut proof = winterfell::Proof::new_dummy();
        proof.context = winter_air::proof::Context::new::<Felt>(
            info,
            options,
            c.num_transition_constraints() + c.num_assertions(),
        );
        proof.proven_security::<ZkHasher>().ldr_bits()
    }

    /// The trace domain generator `g` (order `n`).
    pub fn g(&self) -> Felt {
        Felt::get_root_of_unity(self.trace_len.ilog2())
    }

    /// The LDE domain generator (order `8 n`); the domain is `GENERATOR * w^i`.
    pub fn lde_generator(&self) -> Felt {
        Felt::get_root_of_unity(self.lde_len.ilog2())
    }
}

/// The elements the Fiat-Shamir coin is seeded with: the transcript tag, the protocol's
/// constants, the trace shape and the statement (`PublicInputs::to_elements`: program hash,
/// entry, arguments, results, cycles, public input and journal). The tag differs from the
/// transparent proofs' seed, so no byte string verifies under both protocols.
pub fn seed(pi: &PublicInputs, params: &ZkParams) -> Vec<Felt> {
    let tag = blake3::hash(TRANSCRIPT_TAG);
    let mut v: Vec<Felt> = tag
        .as_bytes()
        .chunks(4)
        .map(|c| Felt::new(u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64))
        .collect();
    for x in [
        params.trace_len,
        params.main_width,
        AUX_WIDTH,
        NUM_RAND,
        ZK_QUERIES,
        ZK_GRINDING_BITS as usize,
        ZK_BLOWUP,
        ZK_FOLDING,
        ZK_REMAINDER_MAX_DEGREE,
        EXTENSION_DEGREE,
    ] {
        v.push(Felt::new(x as u64));
    }
    v.extend(pi.to_elements());
    v
}

/// Draws `count` extension elements from the coin.
///
/// # Errors
/// The coin failed to produce an element (after 1,000 tries each; never in practice).
pub fn draw_many(coin: &mut ZkCoin, count: usize) -> Result<Vec<QuadFelt>, String> {
    (0..count)
        .map(|_| coin.draw::<QuadFelt>().map_err(|e| e.to_string()))
        .collect()
}

/// Draws the out-of-domain point `z`: redrawn (by prover and verifier alike) while it lies in
/// the base field (hence possibly in the LDE domain) or `z^n = 1` (the trace domain).
///
/// # Errors
/// As [`draw_many`].
pub fn draw_ood_point(coin: &mut ZkCoin, n: usize) -> Result<QuadFelt, String> {
    loop {
        let z = coin.draw::<QuadFelt>().map_err(|e| e.to_string())?;
        if z.to_base_elements()[1] != Felt::ZERO && z.exp(n as u64) != QuadFelt::ONE {
            return Ok(z);
        }
    }
}

/// The digest of the out-of-domain values the coin is reseeded with.
pub fn ood_digest(ood: &OodFrame) -> Digest {
    let mut all = Vec::new();
    for part in [
        &ood.main_current,
        &ood.main_next,
        &ood.aux_current,
        &ood.aux_next,
        &ood.segments,
    ] {
        all.extend_from_slice(part);
    }
    <ZkHasher as winterfell::crypto::ElementHasher>::hash_elements(&all)
}

/// The digest of a segment's running-sum end, absorbed after its auxiliary root
/// ([`crate::segments`]).
pub fn sum_digest(sum_end: QuadFelt) -> Digest {
    <ZkHasher as winterfell::crypto::ElementHasher>::hash_elements(&[sum_end])
}

/// A digest with the given bytes.
pub fn digest_from_bytes(bytes: [u8; 32]) -> Digest {
    Digest::read_from(&mut winter_utils::SliceReader::new(&bytes)).expect("32 bytes are a digest")
}

/// The leaf of a salted Merkle commitment: `merge(hash(row), salt)`.
pub fn salted_leaf<E: FieldElement<BaseField = Felt>>(row: &[E], salt: &Digest) -> Digest {
    let h = <ZkHasher as winterfell::crypto::ElementHasher>::hash_elements(row);
    ZkHasher::merge(&[h, *salt])
}

/// The constraint composition `H(x)`: the random linear combination of every transition
/// constraint divided by the transition divisor `(x^n - 1) / (x - g^(n-1))`, plus every
/// assertion's `(T(x) - v) / (x - g^row)`. The prover evaluates it at every point of the LDE
/// domain, the verifier at `z`; both through [`Composer::eval`].
pub struct Composer<'a> {
    air: &'a GloamAir,
    aux_rand: AuxRandElements<QuadFelt>,
    transition: Vec<QuadFelt>,
    /// (column, index in `steps`, value, coefficient).
    main_assertions: Vec<(usize, usize, Felt, QuadFelt)>,
    /// (column, index in `steps`, value, coefficient).
    aux_assertions: Vec<(usize, usize, QuadFelt, QuadFelt)>,
    steps: Vec<usize>,
}

/// How many composition coefficients [`Composer::new`] takes for `air`: one per transition
/// constraint (main, then auxiliary) and one per assertion (main, then auxiliary).
pub fn num_composition_coefficients(air: &GloamAir) -> usize {
    let c = air.context();
    c.num_main_transition_constraints() + c.num_aux_transition_constraints() + c.num_assertions()
}

/// Reusable buffers of [`Composer::eval`].
pub struct Scratch<F: FieldElement> {
    main: EvaluationFrame<F>,
    aux: EvaluationFrame<QuadFelt>,
    main_out: Vec<F>,
    aux_out: Vec<QuadFelt>,
    acc: Vec<QuadFelt>,
}

impl<'a> Composer<'a> {
    /// The composition of `air` with the auxiliary challenges and the coefficients drawn
    /// after the auxiliary commitment ([`num_composition_coefficients`] of them, in order).
    pub fn new(air: &'a GloamAir, aux_rand: Vec<QuadFelt>, coefficients: &[QuadFelt]) -> Self {
        let aux_rand = AuxRandElements::new(aux_rand);
        let c = air.context();
        let n_main = c.num_main_transition_constraints();
        let n_aux = c.num_aux_transition_constraints();
        let transition = coefficients[..n_main + n_aux].to_vec();
        let mut beta = coefficients[n_main + n_aux..].iter().copied();
        let main: Vec<_> = air
            .get_assertions()
            .into_iter()
            .map(|a| (a.column(), a.first_step(), a.values()[0]))
            .collect();
        let aux: Vec<_> = air
            .get_aux_assertions(&aux_rand)
            .into_iter()
            .map(|a| (a.column(), a.first_step(), a.values()[0]))
            .collect();
        let mut steps: Vec<usize> = main
            .iter()
            .map(|a| a.1)
            .chain(aux.iter().map(|a| a.1))
            .collect();
        steps.sort_unstable();
        steps.dedup();
        // Each assertion with the index of its row in `steps`, resolved once here rather than
        // at every point the prover evaluates.
        let at = |step: usize| steps.binary_search(&step).expect("step listed");
        let main_assertions = main
            .into_iter()
            .map(|(col, step, v)| (col, at(step), v, beta.next().unwrap()))
            .collect();
        let aux_assertions = aux
            .into_iter()
            .map(|(col, step, v)| (col, at(step), v, beta.next().unwrap()))
            .collect();
        Composer {
            air,
            aux_rand,
            transition,
            main_assertions,
            aux_assertions,
            steps,
        }
    }

    /// The distinct rows the assertions are at; [`Composer::eval`] takes `1 / (x - g^row)` for
    /// each, in this order.
    pub fn steps(&self) -> &[usize] {
        &self.steps
    }

    /// Buffers for [`Composer::eval`] over `F`.
    pub fn scratch<F: FieldElement<BaseField = Felt>>(&self) -> Scratch<F> {
        let c = self.air.context();
        let w = self.air.trace_info().main_trace_width();
        Scratch {
            main: EvaluationFrame::new(w),
            aux: EvaluationFrame::new(AUX_WIDTH),
            main_out: vec![F::ZERO; c.num_main_transition_constraints()],
            aux_out: vec![QuadFelt::ZERO; c.num_aux_transition_constraints()],
            acc: vec![QuadFelt::ZERO; self.steps.len()],
        }
    }

    /// `H(x)` from the frame at `x` and `g x`: `main` and `aux` hold the current then the next
    /// row, `periodic` the periodic columns at `x`, `divisor_inv` is
    /// `(x - g^(n-1)) / (x^n - 1)` and `step_inv[j]` is `1 / (x - g^steps[j])`.
    #[allow(clippy::too_many_arguments)]
    pub fn eval<F>(
        &self,
        main_current: &[F],
        main_next: &[F],
        aux_current: &[QuadFelt],
        aux_next: &[QuadFelt],
        periodic: &[F],
        divisor_inv: F,
        step_inv: &[F],
        s: &mut Scratch<F>,
    ) -> QuadFelt
    where
        F: FieldElement<BaseField = Felt>,
        QuadFelt: ExtensionOf<F>,
    {
        s.main.current_mut().copy_from_slice(main_current);
        s.main.next_mut().copy_from_slice(main_next);
        s.aux.current_mut().copy_from_slice(aux_current);
        s.aux.next_mut().copy_from_slice(aux_next);
        s.main_out.iter_mut().for_each(|v| *v = F::ZERO);
        s.aux_out.iter_mut().for_each(|v| *v = QuadFelt::ZERO);
        self.air
            .evaluate_transition(&s.main, periodic, &mut s.main_out);
        self.air
            .evaluate_aux_transition(&s.main, &s.aux, periodic, &self.aux_rand, &mut s.aux_out);
        let n_main = s.main_out.len();
        let mut t = QuadFelt::ZERO;
        for (c, v) in self.transition[..n_main].iter().zip(&s.main_out) {
            t += c.mul_base(*v);
        }
        for (c, v) in self.transition[n_main..].iter().zip(&s.aux_out) {
            t += *c * *v;
        }
        let mut h = t.mul_base(divisor_inv);
        s.acc.iter_mut().for_each(|v| *v = QuadFelt::ZERO);
        for &(col, j, value, beta) in &self.main_assertions {
            s.acc[j] += beta.mul_base(main_current[col] - F::from(value));
        }
        for &(col, j, value, beta) in &self.aux_assertions {
            s.acc[j] += beta * (aux_current[col] - value);
        }
        for (a, inv) in s.acc.iter().zip(step_inv) {
            h += a.mul_base(*inv);
        }
        h
    }
}

/// The out-of-domain frame: every committed column at `z` and `g z`, every quotient segment
/// at `z`.
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct OodFrame {
    /// Main columns at `z`.
    pub main_current: Vec<QuadFelt>,
    /// Main columns at `g z`.
    pub main_next: Vec<QuadFelt>,
    /// Auxiliary columns at `z`.
    pub aux_current: Vec<QuadFelt>,
    /// Auxiliary columns at `g z`.
    pub aux_next: Vec<QuadFelt>,
    /// Randomised quotient segments at `z`.
    pub segments: Vec<QuadFelt>,
}

/// The openings of one salted commitment at the query positions (sorted, distinct).
#[derive(Clone, Debug, PartialEq, Eq, Default)]
pub struct Openings<E> {
    /// Rows at the positions, row after row.
    pub values: Vec<E>,
    /// Each row's salt.
    pub salts: Vec<Digest>,
    /// The serialised `BatchMerkleProof` of the leaves.
    pub merkle: Vec<u8>,
}

/// A zero-knowledge proof. Encoded with `winter-utils` (little-endian, vectors prefixed by a
/// `u32` count; Merkle and FRI openings as their own `winter` encodings).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct ZkProof {
    /// `log2` of the trace length.
    pub trace_len_log2: u8,
    /// Root of the salted main-trace commitment.
    pub main_root: Digest,
    /// Root of the salted auxiliary-trace commitment.
    pub aux_root: Digest,
    /// Root of the salted commitment to the quotient segments and the DEEP mask.
    pub composition_root: Digest,
    /// Out-of-domain evaluations.
    pub ood: OodFrame,
    /// FRI layer commitments, then the remainder's.
    pub fri_commitments: Vec<Digest>,
    /// FRI layer openings and remainder.
    pub fri: FriProof,
    /// Proof-of-work nonce.
    pub pow_nonce: u64,
    /// Main-trace openings.
    pub main: Openings<Felt>,
    /// Auxiliary-trace openings.
    pub aux: Openings<QuadFelt>,
    /// Quotient-segment and mask openings.
    pub composition: Openings<QuadFelt>,
}

fn write_vec<W: ByteWriter, T: Serializable>(w: &mut W, v: &[T]) {
    w.write_u32(v.len() as u32);
    for x in v {
        x.write_into(w);
    }
}

fn read_vec<R: ByteReader, T: Deserializable>(r: &mut R) -> Result<Vec<T>, DeserializationError> {
    let n = r.read_u32()? as usize;
    r.read_many(n)
}

impl<E: Serializable> Serializable for Openings<E> {
    fn write_into<W: ByteWriter>(&self, w: &mut W) {
        write_vec(w, &self.values);
        write_vec(w, &self.salts);
        w.write_u32(self.merkle.len() as u32);
        w.write_bytes(&self.merkle);
    }
}

impl<E: Deserializable> Deserializable for Openings<E> {
    fn read_from<R: ByteReader>(r: &mut R) -> Result<Self, DeserializationError> {
        let values = read_vec(r)?;
        let salts = read_vec(r)?;
        let n = r.read_u32()? as usize;
        let merkle = r.read_vec(n)?;
        Ok(Openings {
            values,
            salts,
            merkle,
        })
    }
}

impl Serializable for ZkProof {
    fn write_into<W: ByteWriter>(&self, w: &mut W) {
        w.write_u8(self.trace_len_log2);
        self.main_root.write_into(w);
        self.aux_root.write_into(w);
        self.composition_root.write_into(w);
        write_vec(w, &self.ood.main_current);
        write_vec(w, &self.ood.main_next);
        write_vec(w, &self.ood.aux_current);
        write_vec(w, &self.ood.aux_next);
        write_vec(w, &self.ood.segments);
        write_vec(w, &self.fri_commitments);
        self.fri.write_into(w);
        w.write_u64(self.pow_nonce);
        self.main.write_into(w);
        self.aux.write_into(w);
        self.composition.write_into(w);
    }
}

impl Deserializable for ZkProof {
    fn read_from<R: ByteReader>(r: &mut R) -> Result<Self, DeserializationError> {
        let trace_len_log2 = r.read_u8()?;
        let main_root = Digest::read_from(r)?;
        let aux_root = Digest::read_from(r)?;
        let composition_root = Digest::read_from(r)?;
        let ood = OodFrame {
            main_current: read_vec(r)?,
            main_next: read_vec(r)?,
            aux_current: read_vec(r)?,
            aux_next: read_vec(r)?,
            segments: read_vec(r)?,
        };
        let fri_commitments = read_vec(r)?;
        let fri = FriProof::read_from(r)?;
        let pow_nonce = r.read_u64()?;
        Ok(ZkProof {
            trace_len_log2,
            main_root,
            aux_root,
            composition_root,
            ood,
            fri_commitments,
            fri,
            pow_nonce,
            main: Openings::read_from(r)?,
            aux: Openings::read_from(r)?,
            composition: Openings::read_from(r)?,
        })
    }
}

/// The DEEP composition at one point `x` of the LDE domain, from the committed values there:
/// `sum_j a_j (T_j(x) - T_j(z)) / (x - z) + b_j (T_j(x) - T_j(g z)) / (x - g z)` over the
/// main and auxiliary columns, `+ sum_i c_i (H'_i(x) - H'_i(z)) / (x - z)` over the quotient
/// segments, `+ R(x)` (the mask, the composition commitment's last column). `coeffs` holds
/// `a, b` per main column, then per auxiliary column, then `c` per segment; `at_z` and `at_gz`
/// are the folded constants `sum a_j T_j(z) + sum c_i H'_i(z)` and `sum b_j T_j(g z)`
/// ([`deep_constants`]); `inv_z`, `inv_gz` are `1 / (x - z)`, `1 / (x - g z)`.
#[allow(clippy::too_many_arguments)]
pub fn deep_at(
    main: &[Felt],
    aux: &[QuadFelt],
    composition: &[QuadFelt],
    coeffs: &[QuadFelt],
    at_z: QuadFelt,
    at_gz: QuadFelt,
    inv_z: QuadFelt,
    inv_gz: QuadFelt,
) -> QuadFelt {
    let (mut a, mut b) = (QuadFelt::ZERO, QuadFelt::ZERO);
    let mut k = coeffs.chunks_exact(2);
    for (v, c) in main.iter().zip(&mut k) {
        a += c[0].mul_base(*v);
        b += c[1].mul_base(*v);
    }
    for (v, c) in aux.iter().zip(&mut k) {
        a += c[0] * *v;
        b += c[1] * *v;
    }
    let seg_coeffs = &coeffs[2 * (main.len() + aux.len())..];
    for (v, c) in composition[..SEGMENTS].iter().zip(seg_coeffs) {
        a += *c * *v;
    }
    (a - at_z) * inv_z + (b - at_gz) * inv_gz + composition[SEGMENTS]
}

/// The constants of [`deep_at`] from the out-of-domain frame.
pub fn deep_constants(ood: &OodFrame, coeffs: &[QuadFelt]) -> (QuadFelt, QuadFelt) {
    let (mut a, mut b) = (QuadFelt::ZERO, QuadFelt::ZERO);
    let mut k = coeffs.chunks_exact(2);
    for ((cur, next), c) in ood
        .main_current
        .iter()
        .chain(&ood.aux_current)
        .zip(ood.main_next.iter().chain(&ood.aux_next))
        .zip(&mut k)
    {
        a += c[0] * *cur;
        b += c[1] * *next;
    }
    let w = ood.main_current.len() + ood.aux_current.len();
    for (v, c) in ood.segments.iter().zip(&coeffs[2 * w..]) {
        a += *c * *v;
    }
    (a, b)
}

/// DEEP coefficients: two per main and auxiliary column, one per quotient segment.
pub fn num_deep_coefficients(main_width: usize) -> usize {
    2 * (main_width + AUX_WIDTH) + SEGMENTS
}
