//! The zero-knowledge proof verifier (protocol: `gloam_air::zk`, `docs/zk.md`).
//!
//! Replays the transcript from the statement, checks the constraint composition at the
//! out-of-domain point `z` against the randomised quotient segments, the salted Merkle
//! openings of every queried row, and FRI on the masked DEEP composition with the exact
//! degree bound. Every count and length in the proof is checked against what the statement
//! and the trace length imply before it is used.

use gloam_air::logup::{AUX_WIDTH, NUM_RAND};
use gloam_air::zk::{
    self, deep_at, deep_constants, draw_many, draw_ood_point, fri_options,
    num_composition_coefficients, num_deep_coefficients, salted_leaf, Composer, Digest, Openings,
    QuadFelt, ZkCoin, ZkHasher, ZkParams, ZkProof, COMPOSITION_WIDTH, SEGMENTS, ZK_BLOWUP,
    ZK_FOLDING, ZK_GRINDING_BITS, ZK_QUERIES,
};
use gloam_air::{
    default_options, validate_shape, Felt, GloamAir, PublicInputs, MAX_TRACE_LEN, MIN_TRACE_LEN,
};
use winter_fri::folding::fold_positions;
use winter_fri::{DefaultVerifierChannel, FriVerifier, VerifierChannel};
use winter_utils::{Deserializable, Serializable};
use winterfell::crypto::{BatchMerkleProof, ElementHasher, MerkleTree, RandomCoin};
use winterfell::math::{polynom, FieldElement, StarkField};
use winterfell::{Air, TraceInfo};

use crate::bounds::{check_batch_merkle, check_fri, BoundedReader};
use crate::VerifyError;

type Inner = DefaultVerifierChannel<QuadFelt, ZkHasher, MerkleTree<ZkHasher>>;

/// FRI's view of the proof, with the remainder's zero high coefficients dropped so that FRI
/// checks the exact degree bound (`gloam_air::zk::fri_options`).
struct Channel {
    inner: Inner,
    remainder: Vec<QuadFelt>,
}

impl VerifierChannel<QuadFelt> for Channel {
    type Hasher = ZkHasher;
    type VectorCommitment = MerkleTree<ZkHasher>;

    fn read_fri_num_partitions(&self) -> usize {
        self.inner.read_fri_num_partitions()
    }
    fn read_fri_layer_commitments(&mut self) -> Vec<Digest> {
        self.inner.read_fri_layer_commitments()
    }
    fn take_next_fri_layer_queries(&mut self) -> Vec<QuadFelt> {
        self.inner.take_next_fri_layer_queries()
    }
    fn take_next_fri_layer_proof(&mut self) -> BatchMerkleProof<ZkHasher> {
        self.inner.take_next_fri_layer_proof()
    }
    fn take_fri_remainder(&mut self) -> Vec<QuadFelt> {
        self.remainder.clone()
    }
}

fn rejected(why: impl Into<String>) -> VerifyError {
    VerifyError::Rejected(why.into())
}

fn malformed(why: impl Into<String>) -> VerifyError {
    VerifyError::Malformed(why.into())
}

/// Parses a zero-knowledge proof with bounded allocations; the bytes must be its canonical
/// encoding.
fn parse(bytes: &[u8]) -> Result<ZkProof, VerifyError> {
    let mut r = BoundedReader::new(bytes);
    let proof = ZkProof::read_from(&mut r).map_err(|e| malformed(e.to_string()))?;
    if winter_utils::ByteReader::has_more_bytes(&r) {
        return Err(malformed("trailing bytes after the proof"));
    }
    if proof.to_bytes() != bytes {
        return Err(malformed("non-canonical proof encoding"));
    }
    for o in [
        &proof.main.merkle,
        &proof.aux.merkle,
        &proof.composition.merkle,
    ] {
        check_batch_merkle(o).map_err(|e| malformed(format!("Merkle opening: {e}")))?;
    }
    check_fri(&proof.fri).map_err(|e| malformed(format!("FRI layers: {e}")))?;
    Ok(proof)
}

/// Checks one salted opening: `width` values and one salt per position, leaves proven
/// against `root`.
fn check_openings<E: FieldElement<BaseField = Felt> + Deserializable>(
    o: &Openings<E>,
    width: usize,
    positions: &[usize],
    lde_depth: usize,
    root: &Digest,
    what: &str,
) -> Result<(), VerifyError> {
    if o.values.len() != width * positions.len() || o.salts.len() != positions.len() {
        return Err(malformed(format!("{what} openings have the wrong shape")));
    }
    let leaves: Vec<Digest> = o
        .values
        .chunks(width)
        .zip(&o.salts)
        .map(|(row, s)| salted_leaf(row, s))
        .collect();
    let mut r = BoundedReader::new(&o.merkle);
    let proof = BatchMerkleProof::<ZkHasher>::read_from(&mut r)
        .map_err(|e| malformed(format!("{what} Merkle opening: {e}")))?;
    if winter_utils::ByteReader::has_more_bytes(&r) {
        return Err(malformed(format!("{what} Merkle opening: trailing bytes")));
    }
    if proof.depth as usize != lde_depth {
        return Err(malformed(format!(
            "{what} Merkle opening of depth {} for a tree of depth {lde_depth}",
            proof.depth
        )));
    }
    MerkleTree::<ZkHasher>::verify_batch(root, positions, &leaves, &proof)
        .map_err(|_| rejected(format!("{what} openings do not match their commitment")))?;
    canonical_merkle(&proof, &leaves, positions, what)
}

/// A batch Merkle opening must be the one the honest prover builds from its paths: no unused
/// digests, nothing a third party could add to a valid proof.
fn canonical_merkle(
    proof: &BatchMerkleProof<ZkHasher>,
    leaves: &[Digest],
    indexes: &[usize],
    what: &str,
) -> Result<(), VerifyError> {
    let copy = BatchMerkleProof::<ZkHasher>::read_from(&mut winter_utils::SliceReader::new(
        &proof.to_bytes(),
    ))
    .map_err(|e| malformed(format!("{what} Merkle opening: {e}")))?;
    let paths = copy
        .into_openings(leaves, indexes)
        .map_err(|_| rejected(format!("{what} Merkle opening does not decompose")))?;
    if BatchMerkleProof::<ZkHasher>::from_single_proofs(&paths, indexes) != *proof {
        return Err(malformed(format!("{what} Merkle opening is not canonical")));
    }
    Ok(())
}

/// Every FRI layer holds exactly the queried rows (8 values per folded position) with a
/// canonical opening of the right depth.
fn check_fri_layers(
    fri: &winter_fri::FriProof,
    positions: &[usize],
    lde_len: usize,
) -> Result<(), VerifyError> {
    let (values, proofs) = fri
        .clone()
        .parse_layers::<QuadFelt, ZkHasher, MerkleTree<ZkHasher>>(lde_len, ZK_FOLDING)
        .map_err(|e| malformed(format!("FRI layers: {e}")))?;
    let mut pos = positions.to_vec();
    let mut domain = lde_len;
    for (depth, (vals, proof)) in values.iter().zip(&proofs).enumerate() {
        let folded = fold_positions(&pos, domain, ZK_FOLDING);
        if vals.len() != ZK_FOLDING * folded.len() {
            return Err(malformed(format!(
                "FRI layer {depth} holds {} values for {} queried rows",
                vals.len(),
                folded.len()
            )));
        }
        let leaves: Vec<Digest> = vals
            .chunks(ZK_FOLDING)
            .map(ZkHasher::hash_elements)
            .collect();
        canonical_merkle(proof, &leaves, &folded, "FRI layer")?;
        pos = folded;
        domain /= ZK_FOLDING;
    }
    Ok(())
}

/// Verifies a zero-knowledge proof of the statement `pi`; returns the conjectured and proven
/// security (bits).
///
/// # Errors
/// [`VerifyError::Malformed`] for bytes that are not a proof of the expected shape,
/// [`VerifyError::Shape`] for a trace length the statement does not allow,
/// [`VerifyError::Rejected`] for a proof that does not verify.
pub fn verify_zk(pi: PublicInputs, bytes: &[u8]) -> Result<(u32, u32), VerifyError> {
    verify_zk_with(pi, bytes, None)
}

/// [`verify_zk`] of one segment of a long run (`pi.segment()`), whose transcript starts from
/// `start`: its own coin (`gloam_air::segments::segment_coin`) and the shared LogUp
/// challenges. `None`: a single proof's transcript (seeded by `pi`, then its main root).
///
/// # Errors
/// As [`verify_zk`].
pub fn verify_zk_with(
    pi: PublicInputs,
    bytes: &[u8],
    start: Option<(ZkCoin, Vec<QuadFelt>)>,
) -> Result<(u32, u32), VerifyError> {
    let proof = parse(bytes)?;
    let log_n = proof.trace_len_log2 as u32;
    if !(MIN_TRACE_LEN.ilog2()..=MAX_TRACE_LEN.ilog2()).contains(&log_n) {
        return Err(VerifyError::Shape(format!(
            "trace length 2^{log_n} is not in [2^14, 2^22]"
        )));
    }
    let n = 1usize << log_n;
    let info = TraceInfo::new_multi_segment(pi.main_width(), AUX_WIDTH, NUM_RAND, n, vec![]);
    validate_shape(&info, &pi, &default_options()).map_err(VerifyError::Shape)?;
    let air = GloamAir::new(info, pi.clone(), default_options());
    let params = ZkParams::new(&air);
    params.check().map_err(VerifyError::Shape)?;
    let ood = &proof.ood;
    if ood.main_current.len() != params.main_width
        || ood.main_next.len() != params.main_width
        || ood.aux_current.len() != AUX_WIDTH
        || ood.aux_next.len() != AUX_WIDTH
        || ood.segments.len() != SEGMENTS
    {
        return Err(malformed("out-of-domain frame of the wrong shape"));
    }
    let err = |e: String| rejected(e);

    // The transcript, as the prover ran it.
    let (mut coin, aux_rand) = match start {
        Some(start) => start,
        None => {
            let mut coin = ZkCoin::new(&zk::seed(&pi, &params));
            coin.reseed(proof.main_root);
            let aux_rand = draw_many(&mut coin, NUM_RAND).map_err(err)?;
            (coin, aux_rand)
        }
    };
    coin.reseed(proof.aux_root);
    if let Some(seg) = pi.segment() {
        coin.reseed(zk::sum_digest(QuadFelt::new(
            seg.sum_end[0],
            seg.sum_end[1],
        )));
    }
    let coefficients = draw_many(&mut coin, num_composition_coefficients(&air)).map_err(err)?;
    let composer = Composer::new(&air, aux_rand, &coefficients);
    coin.reseed(proof.composition_root);
    let z = draw_ood_point(&mut coin, n).map_err(err)?;

    // The constraints at z against the randomised quotient segments.
    let g = params.g();
    let periodic: Vec<QuadFelt> = air
        .get_periodic_column_polys()
        .iter()
        .map(|p| polynom::eval(p, z.exp((n / p.len()) as u64)))
        .collect();
    let divisor_inv =
        (z - QuadFelt::from(g.exp((n - 1) as u64))) / (z.exp(n as u64) - QuadFelt::ONE);
    let step_inv: Vec<QuadFelt> = composer
        .steps()
        .iter()
        .map(|&s| (z - QuadFelt::from(g.exp(s as u64))).inv())
        .collect();
    let mut scratch = composer.scratch::<QuadFelt>();
    let h = composer.eval(
        &ood.main_current,
        &ood.main_next,
        &ood.aux_current,
        &ood.aux_next,
        &periodic,
        divisor_inv,
        &step_inv,
        &mut scratch,
    );
    let zm = z.exp(params.segment_len as u64);
    let mut claimed = QuadFelt::ZERO;
    for s in ood.segments.iter().rev() {
        claimed = claimed * zm + *s;
    }
    if h != claimed {
        return Err(rejected(
            "the constraints at the out-of-domain point do not match the quotient",
        ));
    }
    coin.reseed(zk::ood_digest(ood));
    let deep_coeffs =
        draw_many(&mut coin, num_deep_coefficients(params.main_width)).map_err(err)?;

    // FRI commitments; the remainder must be the one committed last.
    let layers = fri_options().num_fri_layers(params.lde_len);
    // One partition: the encoding's last byte is its exponent (read before `num_partitions`,
    // which computes 2^byte).
    if proof.fri_commitments.len() != layers + 1
        || proof.fri.num_layers() != layers
        || proof.fri.to_bytes().last() != Some(&0)
    {
        return Err(malformed("wrong number of FRI layers or partitions"));
    }
    let remainder: Vec<QuadFelt> = proof
        .fri
        .parse_remainder()
        .map_err(|e| malformed(format!("FRI remainder: {e}")))?;
    let remainder_len = params.lde_len / ZK_FOLDING.pow(layers as u32) / (ZK_BLOWUP / 2);
    if remainder.len() != remainder_len {
        return Err(malformed(format!(
            "FRI remainder of {} coefficients, not {remainder_len}",
            remainder.len()
        )));
    }
    if ZkHasher::hash_elements(&remainder) != proof.fri_commitments[layers] {
        return Err(rejected("the FRI remainder is not the committed one"));
    }
    // Coefficients are sent highest first: drop the zero high ones, so FRI bounds the degree.
    let first = remainder
        .iter()
        .position(|c| *c != QuadFelt::ZERO)
        .unwrap_or(remainder.len());
    let inner = Inner::new(
        proof.fri.clone(),
        proof.fri_commitments.clone(),
        params.lde_len,
        fri_options().folding_factor(),
    )
    .map_err(|e| malformed(format!("FRI layers: {e}")))?;
    let mut channel = Channel {
        inner,
        remainder: remainder[first..].to_vec(),
    };
    let fri = FriVerifier::<QuadFelt, Channel, ZkHasher, ZkCoin, MerkleTree<ZkHasher>>::new(
        &mut channel,
        &mut coin,
        fri_options(),
        params.fri_degree - 1,
    )
    .map_err(|e| rejected(e.to_string()))?;
    if fri.domain_size() != params.lde_len {
        return Err(rejected("FRI domain differs from the LDE domain"));
    }

    // Proof of work and queries.
    if coin.check_leading_zeros(proof.pow_nonce) < ZK_GRINDING_BITS {
        return Err(rejected("insufficient proof of work"));
    }
    let mut positions = coin
        .draw_integers(ZK_QUERIES, params.lde_len, proof.pow_nonce)
        .map_err(|e| rejected(e.to_string()))?;
    positions.sort_unstable();
    positions.dedup();
    let depth = params.lde_len.ilog2() as usize;
    check_fri_layers(&proof.fri, &positions, params.lde_len)?;
    check_openings(
        &proof.main,
        params.main_width,
        &positions,
        depth,
        &proof.main_root,
        "main-trace",
    )?;
    check_openings(
        &proof.aux,
        AUX_WIDTH,
        &positions,
        depth,
        &proof.aux_root,
        "auxiliary-trace",
    )?;
    check_openings(
        &proof.composition,
        COMPOSITION_WIDTH,
        &positions,
        depth,
        &proof.composition_root,
        "quotient",
    )?;

    // The masked DEEP composition at the queried points, then FRI.
    let (at_z, at_gz) = deep_constants(ood, &deep_coeffs);
    let gz = z * QuadFelt::from(g);
    let w = params.lde_generator();
    let evaluations: Vec<QuadFelt> = positions
        .iter()
        .enumerate()
        .map(|(k, &p)| {
            let x = QuadFelt::from(Felt::GENERATOR * w.exp(p as u64));
            let mw = params.main_width;
            deep_at(
                &proof.main.values[k * mw..(k + 1) * mw],
                &proof.aux.values[k * AUX_WIDTH..(k + 1) * AUX_WIDTH],
                &proof.composition.values[k * COMPOSITION_WIDTH..(k + 1) * COMPOSITION_WIDTH],
                &deep_coeffs,
                at_z,
                at_gz,
                (x - z).inv(),
                (x - gz).inv(),
            )
        })
        .collect();
    fri.verify(&mut channel, &evaluations, &positions)
        .map_err(|e| rejected(format!("FRI: {e}")))?;
    Ok((params.conjectured_bits(), params.proven_bits(&air)))
}
