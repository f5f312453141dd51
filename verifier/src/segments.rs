//! Verification of a run proven in segments (`gloam_air::segments`, `docs/air.md` §5,
//! *Segments*): one statement, `K` execution and `F` final memory segment proofs (all
//! zero-knowledge proofs of one AIR) sharing a transcript prefix.
//!
//! Checks, in order: the encoding (bounded, canonical), the segment length, the chain of
//! boundary states (the first is the entry with `fp = clk = 0`, the `K`-th and every later
//! one the halted state after the claimed cycles, each canonical), the final memory segments'
//! address ranges, every segment's proof against its own statement with the shared LogUp
//! challenges (in parallel across cores), and that the ends of the segments' running sums
//! add up to the initial state's carry tokens. Cost: linear in the
//! segments (one zero-knowledge verification each, about 20 ms) plus one Blake3 pass over the
//! roots.

use gloam_air::field::FieldElement;

use gloam_air::logup::{expected_carry_sum, Challenges};
use gloam_air::segments::{self, SegmentedProof, MAX_SEGMENTS};
use gloam_air::zk::QuadFelt;
use gloam_air::{PublicInputs, SegmentInfo, MAX_TRACE_LEN, MIN_TRACE_LEN};
use rayon::prelude::*;
use winter_utils::{Deserializable, Serializable};

use crate::bounds::BoundedReader;
use crate::VerifyError;

fn malformed(why: impl Into<String>) -> VerifyError {
    VerifyError::Malformed(why.into())
}

/// Parses a segmented proof with bounded allocations; the bytes must be its canonical
/// encoding.
///
/// # Errors
/// [`VerifyError::Malformed`].
pub fn parse(bytes: &[u8]) -> Result<SegmentedProof, VerifyError> {
    let mut r = BoundedReader::new(bytes);
    let proof = SegmentedProof::read_from(&mut r).map_err(|e| malformed(e.to_string()))?;
    if winter_utils::ByteReader::has_more_bytes(&r) {
        return Err(malformed("trailing bytes after the segments"));
    }
    if proof.to_bytes() != bytes {
        return Err(malformed("non-canonical segmented proof encoding"));
    }
    Ok(proof)
}

/// Verifies the segments of a run of the statement `run` (built as for a single proof; each
/// segment's statement is `run.for_segment(..)`). Returns the number of segments and the
/// conjectured and proven security ([`segments::security_bits`]: the weakest segment's, less
/// `log2` of the count, capped by the shared LogUp challenges).
///
/// # Errors
/// [`VerifyError::Malformed`] for bytes that are not a segmented proof,
/// [`VerifyError::Shape`] for a segment length or boundary state the statement does not allow,
/// [`VerifyError::Rejected`] for segments that do not verify or do not link up.
pub fn verify_segmented(run: PublicInputs, bytes: &[u8]) -> Result<(usize, u32, u32), VerifyError> {
    let proof = parse(bytes)?;
    let log_n = proof.segment_len_log2 as u32;
    if !(MIN_TRACE_LEN.ilog2()..=MAX_TRACE_LEN.ilog2()).contains(&log_n) {
        return Err(VerifyError::Shape(format!(
            "segment length 2^{log_n} is not in [2^14, 2^22]"
        )));
    }
    let n = 1usize << log_n;
    let log_final = proof.final_len_log2 as u32;
    if !(MIN_TRACE_LEN.ilog2()..=log_n).contains(&log_final) {
        return Err(VerifyError::Shape(format!(
            "final memory segments of 2^{log_final} rows with segments of 2^{log_n}"
        )));
    }
    let final_n = 1usize << log_final;
    let count = proof.segments.len();
    if !(2..=MAX_SEGMENTS).contains(&count) || proof.boundaries.len() != count + 1 {
        return Err(malformed("wrong number of segments or boundary states"));
    }
    // Canonical cuts: `K` execution segments, fixed by the cycles, segment `k` starting at
    // cycle `k (n - 1)` (so no empty segment can be inserted, and the work is bounded by the
    // claim before anything else is computed); then `F = count - K >= 1` final memory
    // segments, each starting and ending in the halted state, split at `F - 1` cuts.
    let exec = segments::segment_count(run.cycles, n);
    if exec >= count as u64 || proof.cuts.len() as u64 != count as u64 - exec - 1 {
        return Err(VerifyError::Shape(format!(
            "{count} segments and {} cuts of {n} rows for a run of {} cycles ({exec} executing it)",
            proof.cuts.len(),
            run.cycles
        )));
    }
    let exec = exec as usize;
    for (k, b) in proof.boundaries.iter().enumerate() {
        if b.clk != (k as u64 * (n as u64 - 1)).min(run.cycles) {
            return Err(VerifyError::Shape(format!(
                "segment boundary {k} is not at cycle {}",
                k * (n - 1)
            )));
        }
    }
    let first = proof.boundaries[0];
    let halted = proof.boundaries[exec];
    if first.pc != run.entry_pc || first.fp != 0 || first.clk != 0 {
        return Err(VerifyError::Rejected(
            "the first segment does not start at the entry".into(),
        ));
    }
    if halted.pc != gloam_isa::HALT_PC || halted.clk != run.cycles {
        return Err(VerifyError::Rejected(
            "the last segment does not end halted after the claimed cycles".into(),
        ));
    }
    if proof.boundaries[exec..].iter().any(|b| *b != halted) {
        return Err(VerifyError::Rejected(
            "a final memory segment does not hold the halted state".into(),
        ));
    }
    // The wide statement once (a narrow program's conversion hashes the program); each
    // segment's shares its initial state and streams.
    let wide = run.clone().for_segment(SegmentInfo {
        index: 0,
        count: count as u32,
        exec: exec as u32,
        start: proof.boundaries[0],
        end: proof.boundaries[1],
        frame: [0, 0],
        sum_end: [gloam_air::Felt::ZERO; 2],
    });
    // The final memory holds at most the initial state's words, what the execution segments'
    // tables touched (at most `n - 1` each), slot 0, the result slots and global word 0: so
    // many final memory segments, and no more, bound the work a claim can ask for.
    let words = wide.initial_words().iter().filter(|(_, v)| *v != 0).count() as u64
        + exec as u64 * (n as u64 - 1)
        + run.results.len().max(1) as u64
        + 2;
    if (count - exec) as u64 > words.div_ceil(final_n as u64 - 1) {
        return Err(VerifyError::Shape(format!(
            "{} final memory segments of {final_n} rows for at most {words} words",
            count - exec
        )));
    }
    let end = gloam_air::columns::MEM_BASE + wide.memory_words();
    let frames = segments::final_frames(&proof.cuts, end);
    let statement = |k: usize| {
        let s = &proof.segments[k];
        let base = QuadFelt::slice_as_base_elements(std::slice::from_ref(&s.sum_end));
        wide.clone().for_segment(SegmentInfo {
            index: k as u32,
            count: count as u32,
            exec: exec as u32,
            start: proof.boundaries[k],
            end: proof.boundaries[k + 1],
            frame: if k < exec { [0, end] } else { frames[k - exec] },
            sum_end: [base[0], base[1]],
        })
    };
    let first_statement = statement(0);
    // Shapes, canonical boundary values and memory ranges before anything is hashed.
    let rows = |k: usize| if k < exec { n } else { final_n };
    for k in 0..count {
        let info = winterfell::TraceInfo::new_multi_segment(
            first_statement.main_width(),
            gloam_air::logup::AUX_WIDTH,
            gloam_air::logup::NUM_RAND,
            rows(k),
            vec![],
        );
        gloam_air::validate_shape(&info, &statement(k), &gloam_air::default_options())
            .map_err(VerifyError::Shape)?;
    }
    let mut roots = Vec::with_capacity(count);
    for (k, s) in proof.segments.iter().enumerate() {
        let (log_n_k, root) = segments::header(&s.proof)
            .map_err(|e| malformed(format!("segment {k}'s proof header: {e}")))?;
        if log_n_k as u32 != rows(k).trailing_zeros() {
            return Err(VerifyError::Shape(format!(
                "segment {k} has 2^{log_n_k} rows, the proof says {}",
                rows(k)
            )));
        }
        roots.push(root);
    }
    let seed = segments::segments_seed(
        &run,
        n,
        final_n,
        first_statement.main_width(),
        &proof.boundaries,
        &proof.cuts,
    );
    let (aux_rand, shared) = segments::shared_challenges(&seed, &roots)
        .map_err(|e| VerifyError::Rejected(e.to_string()))?;
    // The segments' sums must add up to the carry tokens of the initial state.
    let total = proof
        .segments
        .iter()
        .fold(QuadFelt::ZERO, |acc, s| acc + s.sum_end);
    let expected = expected_carry_sum(
        first_statement.initial_words(),
        &Challenges::<QuadFelt>::new(&aux_rand),
    );
    if total != expected {
        return Err(VerifyError::Rejected(
            "the segments' memory arguments do not balance: a segment is missing, repeated, out of order or from another run".into(),
        ));
    }
    let bits = (0..count)
        .into_par_iter()
        .map(|k| {
            let pi = statement(k);
            let coin = segments::segment_coin(&shared, k);
            crate::zk::verify_zk_with(pi, &proof.segments[k].proof, Some((coin, aux_rand.clone())))
                .map_err(|e| match e {
                    VerifyError::Rejected(why) => {
                        VerifyError::Rejected(format!("segment {k}: {why}"))
                    }
                    VerifyError::Malformed(why) => {
                        VerifyError::Malformed(format!("segment {k}: {why}"))
                    }
                    other => other,
                })
        })
        .collect::<Result<Vec<_>, _>>()?;
    let conjectured = bits.iter().map(|b| b.0).min().unwrap_or(0);
    let proven = bits.iter().map(|b| b.1).min().unwrap_or(0);
    let total_rows = (exec * n + (count - exec) * final_n) as u64;
    Ok((
        count,
        segments::security_bits(conjectured, count, total_rows),
        segments::security_bits(proven, count, total_rows),
    ))
}
