//! Zero-knowledge proofs (`gloam_prover::zk`, `gloam_verifier::zk`, `docs/zk.md`): a run with
//! a private input is proven in zero knowledge by default and verifies through the same API
//! as a transparent proof; the proof file never holds the private input; proving twice gives
//! different proofs; the openings of proofs with different private inputs are statistically
//! indistinguishable, while a transparent proof's are not; the kind recorded in the file is
//! bound (a proof does not verify as the other kind).

use std::sync::Arc;

use gloam_air::zk::{QuadFelt, ZkProof};
use gloam_air::Felt;
use gloam_isa::Program;
use gloam_prover::{prove_io, IoInput, ProveConfig, ZkMode};
use gloam_verifier::{verify_file, verify_proof, Claim, VerifyError};
use winter_utils::{Deserializable, SliceReader};
use winterfell::math::StarkField;

/// `f()`: reads 64 private bytes, mixes them into memory (so they reach the trace as
/// loaded, multiplied and stored values), and returns 0 whatever they are; the number of
/// cycles does not depend on them. Two runs with different private inputs have the same
/// statement.
const HIDDEN: &str = r#"(module
  (import "gloam" "read_private" (func $rq (param i32 i32) (result i32)))
  (memory 1)
  (func (export "f") (result i32) (local $i i32) (local $acc i32)
    (drop (call $rq (i32.const 0) (i32.const 64)))
    (loop $l
      (local.set $acc (i32.add (local.get $acc)
        (i32.mul (i32.load (local.get $i)) (i32.load (local.get $i)))))
      (i32.store (i32.add (local.get $i) (i32.const 128)) (local.get $acc))
      (local.set $i (i32.add (local.get $i) (i32.const 4)))
      (br_if $l (i32.lt_u (local.get $i) (i32.const 64))))
    (i32.and (local.get $acc) (i32.const 0))))"#;

fn program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(HIDDEN.as_bytes()).expect("valid module"))
}

fn private(seed: u8) -> Vec<u8> {
    (0..64u8)
        .map(|i| i.wrapping_mul(37).wrapping_add(seed).rotate_left(3) ^ 0xA5)
        .collect()
}

fn prove(program: &Arc<Program>, private: Vec<u8>, mode: ZkMode) -> gloam_prover::ProvenRun {
    let cfg = ProveConfig {
        zero_knowledge: mode,
        ..ProveConfig::default()
    };
    let io = IoInput {
        public: Vec::new(),
        private,
    };
    prove_io(program.clone(), "f", &[], &io, &cfg).expect("honest run proves")
}

fn parse(bytes: &[u8]) -> ZkProof {
    ZkProof::read_from(&mut SliceReader::new(bytes)).expect("a zero-knowledge proof")
}

#[test]
fn a_private_run_is_proven_in_zero_knowledge_by_default_and_verifies() {
    let program = program();
    let run = prove(&program, private(1), ZkMode::Auto);
    assert!(run.file.zero_knowledge && run.stats.zero_knowledge);
    assert!(
        run.stats.conjectured_bits >= 96,
        "{}",
        run.stats.conjectured_bits
    );
    let st = verify_file(&program, &run.file.to_bytes()).expect("verifies");
    assert!(st.zero_knowledge);
    assert_eq!(st.conjectured_bits, run.stats.conjectured_bits);
    assert_eq!(st.proven_bits, run.stats.proven_bits);
    assert_eq!(st.claim.results, run.file.results);

    // The kind is bound: the same bytes do not verify as a transparent proof.
    let mut f = run.file.clone();
    f.zero_knowledge = false;
    assert!(verify_file(&program, &f.to_bytes()).is_err());

    // A transparent proof of the same run verifies too, and not as a zero-knowledge one.
    let t = prove(&program, private(1), ZkMode::Off);
    assert!(!t.file.zero_knowledge);
    let st = verify_file(&program, &t.file.to_bytes()).expect("verifies");
    assert!(!st.zero_knowledge);
    let mut f = t.file.clone();
    f.zero_knowledge = true;
    assert!(matches!(
        verify_file(&program, &f.to_bytes()),
        Err(VerifyError::Malformed(_) | VerifyError::Rejected(_))
    ));
}

#[test]
fn a_zero_knowledge_proof_of_another_statement_is_rejected() {
    let program = program();
    let run = prove(&program, private(2), ZkMode::On);
    let claim = |results, cycles| Claim {
        entry: "f".into(),
        args: vec![],
        results,
        cycles,
        public_input: vec![],
        journal: vec![],
    };
    let good = claim(run.file.results.clone(), run.file.cycles);
    verify_proof(&program, &good, &run.file.stark, true).expect("verifies");
    let other = claim(vec![gloam_isa::IntValue::I32(1)], run.file.cycles);
    assert!(verify_proof(&program, &other, &run.file.stark, true).is_err());
    let other = claim(run.file.results.clone(), run.file.cycles - 1);
    assert!(verify_proof(&program, &other, &run.file.stark, true).is_err());
    let mut with_journal = good.clone();
    with_journal.public_input = vec![1];
    assert!(verify_proof(&program, &with_journal, &run.file.stark, true).is_err());
}

/// `needle` occurs in `hay` at any offset.
fn contains(hay: &[u8], needle: &[u8]) -> bool {
    hay.windows(needle.len()).any(|w| w == needle)
}

#[test]
fn the_proof_file_never_contains_the_private_input() {
    let program = program();
    let secret = private(3);
    let run = prove(&program, secret.clone(), ZkMode::Auto);
    let file = run.file.to_bytes();
    // Any 8 consecutive secret bytes, at any alignment of the file.
    for w in secret.windows(8) {
        assert!(!contains(&file, w), "secret bytes {w:?} in the proof file");
    }
    // Nor any 4-byte word of it as a field element (a memory word in the trace), nor any
    // byte pair as two consecutive little-endian field elements (bytes in byte columns).
    for w in secret.chunks(4) {
        let word = u32::from_le_bytes([w[0], w[1], w[2], w[3]]) as u64;
        assert!(!contains(&file, &word.to_le_bytes()));
    }
    for w in secret.windows(2) {
        let mut pair = (w[0] as u64).to_le_bytes().to_vec();
        pair.extend_from_slice(&(w[1] as u64).to_le_bytes());
        assert!(!contains(&file, &pair));
    }
}

#[test]
fn proving_twice_gives_different_proofs_that_both_verify() {
    let program = program();
    let a = prove(&program, private(4), ZkMode::On);
    let b = prove(&program, private(4), ZkMode::On);
    assert_eq!(a.file.results, b.file.results);
    assert_ne!(a.file.stark, b.file.stark);
    let (pa, pb) = (parse(&a.file.stark), parse(&b.file.stark));
    assert_ne!(pa.main_root, pb.main_root);
    assert_ne!(pa.ood.main_current, pb.ood.main_current);
    for f in [&a.file, &b.file] {
        assert!(verify_file(&program, &f.to_bytes()).unwrap().zero_knowledge);
    }
}

/// Every revealed base-field value of a proof: the main-trace openings and the out-of-domain
/// frame (extension elements as their two coordinates).
fn revealed(p: &ZkProof) -> Vec<u64> {
    let mut v: Vec<u64> = p.main.values.iter().map(|x| x.as_int()).collect();
    let quad = |q: &QuadFelt| q.to_base_elements().map(|b: Felt| b.as_int());
    for q in p.ood.main_current.iter().chain(&p.ood.main_next) {
        v.extend(quad(q));
    }
    for q in p.aux.values.iter().chain(&p.ood.aux_current) {
        v.extend(quad(q));
    }
    v
}

/// Per bit position (0..64), the fraction of values with that bit set.
fn bit_frequencies(values: &[u64]) -> Vec<f64> {
    (0..64)
        .map(|b| values.iter().filter(|v| (*v >> b) & 1 == 1).count() as f64 / values.len() as f64)
        .collect()
}

/// The largest deviation, in standard errors, between two samples' bit frequencies.
fn max_deviation(a: &[u64], b: &[u64]) -> f64 {
    let (fa, fb) = (bit_frequencies(a), bit_frequencies(b));
    fa.iter()
        .zip(&fb)
        .map(|(x, y)| {
            let p = (x + y) / 2.0;
            let se = (p * (1.0 - p) * (1.0 / a.len() as f64 + 1.0 / b.len() as f64)).sqrt();
            if se == 0.0 {
                if x == y {
                    0.0
                } else {
                    f64::INFINITY
                }
            } else {
                (x - y).abs() / se
            }
        })
        .fold(0.0, f64::max)
}

/// Values below p drawn uniformly: the reference sample.
fn uniform(count: usize, mut state: u64) -> Vec<u64> {
    let mut out = Vec::with_capacity(count);
    while out.len() < count {
        // splitmix64
        state = state.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = state;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^= z >> 31;
        if z < Felt::MODULUS {
            out.push(z);
        }
    }
    out
}

/// Two private inputs, three proofs each: a per-bit two-sample test on every revealed value
/// cannot tell the two inputs apart (nor either from uniform field elements), while the same
/// test tells a transparent proof's openings from uniform at once, so it has the power to
/// see a leak of that kind.
#[test]
fn openings_of_proofs_with_different_private_inputs_are_indistinguishable() {
    let program = program();
    let sample = |seed: u8, mode: ZkMode| -> Vec<u64> {
        (0..3)
            .flat_map(|_| {
                let run = prove(&program, private(seed), mode);
                match mode {
                    ZkMode::Off => {
                        let proof = winterfell::Proof::from_bytes(&run.file.stark).unwrap();
                        trace_openings(&proof)
                    }
                    _ => revealed(&parse(&run.file.stark)),
                }
            })
            .collect()
    };
    let a = sample(5, ZkMode::On);
    let b = sample(6, ZkMode::On);
    let reference = uniform(a.len(), 7);
    // 64 bit positions per comparison: 6 standard errors is far in the tail for every one
    // (two-sided p about 2e-9 each).
    let ab = max_deviation(&a, &b);
    let au = max_deviation(&a, &reference);
    let bu = max_deviation(&b, &reference);
    assert!(
        ab < 6.0,
        "private inputs distinguishable: {ab:.1} standard errors"
    );
    assert!(
        au < 6.0 && bu < 6.0,
        "openings not uniform: {au:.1}, {bu:.1}"
    );
    // The transparent prover reveals trace values: the same test rejects them outright.
    let t = sample(5, ZkMode::Off);
    let tu = max_deviation(&t, &uniform(t.len(), 8));
    eprintln!("max deviation (standard errors): inputs {ab:.1}, from uniform {au:.1} / {bu:.1}, transparent {tu:.1}");
    assert!(tu > 6.0, "transparent openings looked uniform: {tu:.1}");
}

/// The main-trace values a transparent `winterfell` proof opens.
fn trace_openings(proof: &winterfell::Proof) -> Vec<u64> {
    let info = proof.trace_info();
    let width = info.main_trace_width();
    let (_, values) = proof.trace_queries[0]
        .clone()
        .parse::<Felt, gloam_prover::Hasher, winterfell::crypto::MerkleTree<gloam_prover::Hasher>>(
            proof.options().blowup_factor() * info.length(),
            proof.num_unique_queries as usize,
            width,
        )
        .expect("transparent openings");
    values
        .rows()
        .flat_map(|r| r.iter().map(|x| x.as_int()).collect::<Vec<_>>())
        .collect()
}
