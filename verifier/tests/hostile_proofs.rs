//! Hostile proof bytes: every single-byte corruption of a real proof is parsed with bounded
//! allocations (no abort, no panic), and corrupted proofs are rejected.

use std::sync::Arc;

use gloam_prover::{prove, ProveConfig};
use gloam_verifier::{bounds::parse_proof, verify, Claim};

/// Single-bit corruptions `(byte, mask)`: every bit of the first `header` bytes, then
/// `samples` pseudo-random (xorshift from `seed`) positions among `len` bytes.
fn corruptions(header: usize, samples: usize, len: usize, seed: u64) -> Vec<(usize, u8)> {
    let mut out: Vec<(usize, u8)> = (0..header)
        .flat_map(|pos| (0..8).map(move |bit| (pos, 1u8 << bit)))
        .collect();
    let mut x = seed;
    for _ in 0..samples {
        x ^= x << 13;
        x ^= x >> 7;
        x ^= x << 17;
        out.push(((x as usize) % len, 1 << (x >> 61)));
    }
    out
}

#[test]
fn every_single_byte_corruption_is_handled() {
    let wat = r#"(module (func (export "f") (param i32 i32) (result i32)
        local.get 0 local.get 1 i32.mul local.get 0 i32.rotl local.get 1 i32.div_u))"#;
    let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).unwrap());
    let run = prove(
        program.clone(),
        "f",
        &[123456, 789],
        &ProveConfig::default(),
    )
    .unwrap();
    let stark = run.file.stark.clone();
    let claim = Claim::i32(
        "f",
        &[123456, 789],
        &run.outcome.results,
        run.outcome.cycles,
    );
    assert!(verify(&program, &claim, &stark).is_ok());

    // Every byte flipped: the bounded parser must return, whatever it returns (the positions
    // split over the cores). The flip alternates between the low bit and the high nibble, so
    // every field of two or more bytes meets both a small and a large change (the header's
    // bytes meet every single-bit flip below, through full verification).
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    let chunk = stark.len().div_ceil(workers);
    let parsed: usize = std::thread::scope(|scope| {
        let handles: Vec<_> = (0..workers)
            .map(|w| {
                let stark = &stark;
                scope.spawn(move || {
                    let mut parsed = 0;
                    let mut bad = stark.clone();
                    for pos in w * chunk..((w + 1) * chunk).min(stark.len()) {
                        let mask = if pos % 2 == 0 { 0x01u8 } else { 0xF0 };
                        bad[pos] ^= mask;
                        parsed += parse_proof(&bad).is_ok() as usize;
                        bad[pos] ^= mask;
                    }
                    parsed
                })
            })
            .collect();
        handles.into_iter().map(|h| h.join().unwrap()).sum()
    });
    assert!(parsed > 0);

    // The header (trace shape, field, options, constraint count) through full verification,
    // every byte and bit; then a pseudo-random sample of the rest: always rejected (no field
    // may change without notice). The corruptions split over the cores.
    let corruptions = corruptions(64, 300, stark.len(), 0x2545_f491_4f6c_dd1d);
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (corruptions, stark, program, claim) = (&corruptions, &stark, &program, &claim);
            scope.spawn(move || {
                for &(pos, mask) in corruptions.iter().skip(w).step_by(workers) {
                    let mut bad = stark.clone();
                    bad[pos] ^= mask;
                    assert!(
                        verify(program, claim, &bad).is_err(),
                        "accepted a proof with byte {pos} xor {mask:#04x}"
                    );
                }
            });
        }
    });
}

/// The same for a zero-knowledge proof: every bit of the header (trace length, the three
/// roots, the start of the out-of-domain frame), a pseudo-random sample of the rest, and
/// truncations at every length step are rejected with an error, never a panic
/// ([`VerifyError::Internal`]).
#[test]
fn corrupted_zero_knowledge_proofs_are_rejected() {
    use gloam_prover::ZkMode;
    use gloam_verifier::{verify_proof, VerifyError};
    let wat = r#"(module (func (export "f") (param i32 i32) (result i32)
        local.get 0 local.get 1 i32.mul local.get 0 i32.rotl local.get 1 i32.div_u))"#;
    let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).unwrap());
    let cfg = ProveConfig {
        zero_knowledge: ZkMode::On,
        ..ProveConfig::default()
    };
    let run = prove(program.clone(), "f", &[123456, 789], &cfg).unwrap();
    assert!(run.file.zero_knowledge);
    let stark = run.file.stark.clone();
    let claim = Claim::i32(
        "f",
        &[123456, 789],
        &run.outcome.results,
        run.outcome.cycles,
    );
    assert!(verify_proof(&program, &claim, &stark, true).is_ok());
    let corruptions = corruptions(160, 400, stark.len(), 0x9e37_79b9_7f4a_7c15);
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let (corruptions, stark, program, claim) = (&corruptions, &stark, &program, &claim);
            scope.spawn(move || {
                for &(pos, mask) in corruptions.iter().skip(w).step_by(workers) {
                    let mut bad = stark.clone();
                    bad[pos] ^= mask;
                    let r = verify_proof(program, claim, &bad, true);
                    assert!(
                        r.is_err() && !matches!(r, Err(VerifyError::Internal)),
                        "byte {pos} xor {mask:#04x}: {r:?}"
                    );
                }
                let step = stark.len() / 97 + 1;
                for len in (w..stark.len()).step_by(step * workers) {
                    let r = verify_proof(program, claim, &stark[..len], true);
                    assert!(
                        matches!(r, Err(VerifyError::Malformed(_))),
                        "truncated to {len}: {r:?}"
                    );
                }
            });
        }
    });
}

/// A valid zero-knowledge proof altered without touching what the transcript hashes (a
/// trailing byte after a Merkle opening, an unused digest in one, a Merkle opening of
/// another depth) is refused: one proof, one encoding.
#[test]
fn zero_knowledge_proofs_are_not_malleable() {
    use gloam_air::zk::{ZkHasher, ZkProof};
    use gloam_prover::ZkMode;
    use gloam_verifier::verify_proof;
    use winter_utils::{Deserializable, Serializable, SliceReader};
    use winterfell::crypto::BatchMerkleProof;
    let wat = r#"(module (func (export "f") (param i32) (result i32)
        local.get 0 local.get 0 i32.mul))"#;
    let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).unwrap());
    let cfg = ProveConfig {
        zero_knowledge: ZkMode::On,
        ..ProveConfig::default()
    };
    let run = prove(program.clone(), "f", &[12], &cfg).unwrap();
    let claim = Claim::i32("f", &[12], &run.outcome.results, run.outcome.cycles);
    let proof = ZkProof::read_from(&mut SliceReader::new(&run.file.stark)).unwrap();
    assert!(verify_proof(&program, &claim, &proof.to_bytes(), true).is_ok());
    let merkle = |bytes: &[u8]| {
        BatchMerkleProof::<ZkHasher>::read_from(&mut SliceReader::new(bytes)).unwrap()
    };
    let mut variants = Vec::new();
    let mut p = proof.clone();
    p.main.merkle.push(0);
    variants.push(("trailing byte", p));
    let mut p = proof.clone();
    let mut m = merkle(&p.aux.merkle);
    let extra = m.nodes[0][0];
    m.nodes[0].push(extra);
    p.aux.merkle = m.to_bytes();
    variants.push(("unused digest", p));
    let mut p = proof.clone();
    let mut m = merkle(&p.composition.merkle);
    m.depth += 1;
    p.composition.merkle = m.to_bytes();
    variants.push(("deeper opening", p));
    for (what, p) in variants {
        assert!(
            verify_proof(&program, &claim, &p.to_bytes(), true).is_err(),
            "accepted a proof with a {what}"
        );
    }
}
