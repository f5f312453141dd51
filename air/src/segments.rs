//! Long runs proven as segments, verified as one statement (`docs/air.md` §5, *Segments*).
//!
//! A run of `cycles` cycles is cut into `K` execution segments of `n` rows each: segment `k`
//! executes cycles `k (n - 1) ..` on its rows `0..n-1`, and its last row holds the state the
//! next segment starts from (the last execution segment's is the halted state). `F >= 1` final
//! memory segments follow, which execute nothing and whose tables consume the final value of
//! every address the run touched or initialised, split at `F - 1` public cut addresses. Each
//! segment is a zero-knowledge proof of [`crate::GloamAir`] for its own statement
//! ([`crate::PublicInputs::for_segment`]), and the segments share one transcript prefix:
//!
//! 1. the seed: [`SEGMENTS_TAG`], the segment length and main width, the run's statement,
//!    `K + F`, every boundary state and the cuts ([`segments_seed`]; the protocol constants
//!    enter each segment's composition through its statement);
//! 2. every segment's main-trace root, in order;
//! 3. the LogUp challenges `alpha`, `beta` (shared by all segments) and a digest of the
//!    transcript so far, from which each segment's own transcript starts (with its index `k`,
//!    [`segment_coin`]); each segment then absorbs its auxiliary root and the end of its
//!    running sum ([`crate::zk::sum_digest`]) before its composition challenges.
//!
//! The verifier checks each segment's proof, the chain of boundary states (segment `k`'s end
//! is segment `k + 1`'s start, the first starts at the entry with `fp = clk = 0`), the cuts,
//! and that the ends of the segments' running sums add up to what the initial state adds
//! ([`crate::logup::expected_carry_sum`]): the memory tokens of each segment carry its index,
//! and the carry bus chains every address through the segments that touch it, so the sums
//! balance only if every value a segment takes is the one the segment before it left.

use winter_utils::{ByteReader, ByteWriter, Deserializable, DeserializationError, Serializable};
use winterfell::crypto::RandomCoin;

use crate::air::BoundaryState;
use crate::field::{Felt, ToElements};
use crate::logup::NUM_RAND;
use crate::zk::{draw_many, Digest, QuadFelt, ZkCoin};
use crate::PublicInputs;

/// Domain separation of the segments' shared transcript.
pub const SEGMENTS_TAG: &[u8] = b"gloam-zk-segments-v2";
/// Most segments one proof may hold (2^16: with 2^17-row segments, runs of 2^33 cycles).
pub const MAX_SEGMENTS: usize = 1 << 16;

fn limbs(bytes: &[u8]) -> impl Iterator<Item = Felt> + '_ {
    bytes
        .chunks(4)
        .map(|c| Felt::new(u32::from_le_bytes([c[0], c[1], c[2], c[3]]) as u64))
}

/// The shared seed: tag, the segment lengths `n` (execution) and `final_n` (final memory
/// segments) and main width, the run's statement, the
/// number of segments, every boundary state (`pc`, `fp`, `clk`) and the final memory
/// segments' cut addresses (canonical: the verifier bounds them before this is computed,
/// [`crate::validate_shape`], all below 2^61).
pub fn segments_seed(
    run: &PublicInputs,
    n: usize,
    final_n: usize,
    main_width: usize,
    boundaries: &[BoundaryState],
    cuts: &[u64],
) -> Vec<Felt> {
    let mut v: Vec<Felt> = limbs(blake3::hash(SEGMENTS_TAG).as_bytes()).collect();
    v.push(Felt::new(n as u64));
    v.push(Felt::new(final_n as u64));
    v.push(Felt::new(main_width as u64));
    v.extend(run.to_elements());
    v.push(Felt::new(boundaries.len() as u64 - 1));
    for b in boundaries {
        v.push(Felt::new(b.pc as u64));
        v.push(Felt::new(b.fp));
        v.push(Felt::new(b.clk));
    }
    v.push(Felt::new(cuts.len() as u64));
    v.extend(cuts.iter().map(|c| Felt::new(*c)));
    v
}

/// Step 3 of the transcript: from the seed and every segment's main root, the shared LogUp
/// challenges and the digest each segment's transcript starts from.
///
/// # Errors
/// The coin failed to draw (never in practice).
pub fn shared_challenges(
    seed: &[Felt],
    roots: &[Digest],
) -> Result<(Vec<QuadFelt>, [u8; 32]), String> {
    let mut coin = ZkCoin::new(seed);
    let mut h = blake3::Hasher::new();
    h.update(SEGMENTS_TAG);
    for x in seed {
        h.update(&x.as_int().to_le_bytes());
    }
    for r in roots {
        coin.reseed(*r);
        h.update(&r.to_bytes());
    }
    let aux_rand = draw_many(&mut coin, NUM_RAND)?;
    Ok((aux_rand, *h.finalize().as_bytes()))
}

/// Segment `k`'s own transcript, started from the shared digest.
pub fn segment_coin(shared: &[u8; 32], k: usize) -> ZkCoin {
    let mut v: Vec<Felt> = limbs(shared).collect();
    v.push(Felt::new(k as u64));
    ZkCoin::new(&v)
}

/// One segment's proof: where its running sum ends, and its zero-knowledge proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentProof {
    /// The end of its LogUp running sum.
    pub sum_end: QuadFelt,
    /// Its proof ([`crate::zk::ZkProof`], encoded).
    pub proof: Vec<u8>,
}

/// The proof of a run in segments: `K + F + 1` boundary states, `F - 1` cuts and `K + F`
/// segment proofs (execution segments of `n` rows, then final memory segments of
/// `final_n <= n` rows). Encoded with `winter-utils`: `u8 log2 n`, `u32 K + F`, the states
/// (`u32 pc`, `u64 fp`, `u64 clk`), `u8 log2 final_n`, `u32 F - 1` and the cuts (`u64`), then
/// per segment the sum (two `u64`) and the proof (`u32` length, bytes).
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct SegmentedProof {
    /// `log2` of each execution segment's trace length.
    pub segment_len_log2: u8,
    /// `log2` of each final memory segment's trace length (at most the execution
    /// segments'): just enough rows for the final memory, or the execution segments' length.
    pub final_len_log2: u8,
    /// The state at each boundary: `boundaries[k]` starts segment `k`, `boundaries[K]` is the
    /// halted state.
    pub boundaries: Vec<BoundaryState>,
    /// The cut addresses between the final memory segments' tables, increasing: final
    /// memory segment `c` holds the addresses in `[cuts[c-1], cuts[c])` (from 0, up to the
    /// end of memory).
    pub cuts: Vec<u64>,
    /// The segments, in order.
    pub segments: Vec<SegmentProof>,
}

impl Serializable for SegmentProof {
    fn write_into<W: ByteWriter>(&self, w: &mut W) {
        self.sum_end.write_into(w);
        w.write_u32(self.proof.len() as u32);
        w.write_bytes(&self.proof);
    }
}

impl Deserializable for SegmentProof {
    fn read_from<R: ByteReader>(r: &mut R) -> Result<Self, DeserializationError> {
        let sum_end = QuadFelt::read_from(r)?;
        let len = r.read_u32()? as usize;
        // `read_vec` checks the length against the bytes left before allocating.
        let proof = r.read_vec(len)?;
        Ok(SegmentProof { sum_end, proof })
    }
}

impl Serializable for SegmentedProof {
    fn write_into<W: ByteWriter>(&self, w: &mut W) {
        w.write_u8(self.segment_len_log2);
        w.write_u32(self.segments.len() as u32);
        for b in &self.boundaries {
            w.write_u32(b.pc);
            w.write_u64(b.fp);
            w.write_u64(b.clk);
        }
        w.write_u8(self.final_len_log2);
        w.write_u32(self.cuts.len() as u32);
        for c in &self.cuts {
            w.write_u64(*c);
        }
        for s in &self.segments {
            s.write_into(w);
        }
    }
}

impl Deserializable for SegmentedProof {
    fn read_from<R: ByteReader>(r: &mut R) -> Result<Self, DeserializationError> {
        let segment_len_log2 = r.read_u8()?;
        let count = r.read_u32()? as usize;
        if count == 0 || count > MAX_SEGMENTS {
            return Err(DeserializationError::InvalidValue(format!(
                "{count} segments (1 to {MAX_SEGMENTS})"
            )));
        }
        let mut boundaries = Vec::new();
        for _ in 0..=count {
            boundaries.push(BoundaryState {
                pc: r.read_u32()?,
                fp: r.read_u64()?,
                clk: r.read_u64()?,
            });
        }
        let final_len_log2 = r.read_u8()?;
        let cuts_len = r.read_u32()? as usize;
        if cuts_len >= count {
            return Err(DeserializationError::InvalidValue(format!(
                "{cuts_len} cuts for {count} segments"
            )));
        }
        let mut cuts = Vec::new();
        for _ in 0..cuts_len {
            cuts.push(r.read_u64()?);
        }
        let mut segments = Vec::new();
        for _ in 0..count {
            segments.push(SegmentProof::read_from(r)?);
        }
        Ok(SegmentedProof {
            segment_len_log2,
            final_len_log2,
            boundaries,
            cuts,
            segments,
        })
    }
}

/// The header of an encoded segment proof: `log2` of its trace length and its main root.
///
/// # Errors
/// The bytes do not start with a proof header.
pub fn header(proof: &[u8]) -> Result<(u8, Digest), DeserializationError> {
    let mut r = winter_utils::SliceReader::new(proof);
    let log_n = r.read_u8()?;
    Ok((log_n, Digest::read_from(&mut r)?))
}

/// The number of execution segments of `n` rows a run of `cycles` cycles is cut into: each
/// executes `n - 1` cycles, the last what remains (at least one segment).
pub fn segment_count(cycles: u64, n: usize) -> u64 {
    cycles.div_ceil(n as u64 - 1).max(1)
}

/// The rows of each final memory segment for a final memory of `words` table entries (the
/// addresses the run touched or initialised, slot 0, the result slots, global word 0), with
/// execution segments of `n` rows and a program table of `period` rows: the smallest power of
/// two, at least 2^14 and `period`, whose table holds them all, and at most `n` (then several
/// final memory segments share them).
pub fn final_rows(words: usize, n: usize, period: usize) -> usize {
    (words + 1)
        .next_power_of_two()
        .max(crate::MIN_TRACE_LEN)
        .max(period)
        .min(n)
}

/// The memory ranges `[lo, hi)` of the final memory segments' tables from the cuts between
/// them: `[0, cuts[0]), [cuts[0], cuts[1]), .., [cuts[F-2], end)` (`end`: the end of memory,
/// `MEM_BASE +` memory words). Whether they are valid ranges is
/// [`crate::validate_shape`]'s check of each segment.
pub fn final_frames(cuts: &[u64], end: u64) -> Vec<[u64; 2]> {
    let mut bounds = Vec::with_capacity(cuts.len() + 2);
    bounds.push(0);
    bounds.extend_from_slice(cuts);
    bounds.push(end);
    bounds.windows(2).map(|w| [w[0], w[1]]).collect()
}

/// The security of a segmented proof (bits): a segment's, less `log2 K` for the union bound
/// over the `count` segments, and at most what the shared LogUp challenges give: the
/// fractions of all segments form one check, whose error is about `7 * 39 * rows / 2^128`
/// (`rows`: all segments' rows; 39 fractions per row, tuples of up to 7 elements compressed
/// by powers of `beta`).
pub fn security_bits(segment_bits: u32, count: usize, rows: u64) -> u32 {
    let k = count as f64;
    let union = k.log2().ceil() as u32;
    let logup = (128.0 - (7.0 * crate::buses::NUM_FRACTIONS as f64 * rows as f64).log2()).floor();
    segment_bits
        .saturating_sub(union)
        .min(logup.max(0.0) as u32)
}
