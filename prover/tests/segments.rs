//! Runs proven in segments (`gloam_prover::segments`, `gloam_verifier::segments`,
//! `docs/air.md` §5, *Segments*): a run of several segments proves and verifies with the
//! results `gloam run` gives; a segment removed, repeated, swapped, taken from another run,
//! or a forged boundary state is rejected; a truncated file is rejected with an error.

use std::sync::Arc;

use gloam_air::columns::*;
use gloam_air::field::{Felt, FieldElement};
use gloam_air::segments::SegmentedProof;
use gloam_air::{BoundaryState, PublicInputs};
use gloam_isa::{IntValue, Program};
use gloam_prover::segments::{
    prove_segments, prove_segments_with_key, spilled_segment_bytes, RunInput, SegmentPlan,
    SegmentProgress, SegmentSource, Spill,
};
use gloam_prover::{available_disk, prove_values, ProveConfig, ProveError, ProvenRun};
use gloam_verifier::{verify_file, verify_kind, Claim, ProofKind, VerifyError};
use winter_utils::{Deserializable, Serializable, SliceReader};

/// `run(n)`: `n` rounds of a linear congruential generator whose values are stored in a
/// 256-word ring in linear memory, read back at another index, and folded into a mutable
/// global through a call: memory, globals and the call stack all cross segment boundaries.
/// Word 1024 is written first and read last, so the segments between carry it untouched.
const LONG: &str = r#"(module
  (memory 1)
  (global $g (mut i32) (i32.const 7))
  (func $step (param $x i32) (result i32)
    (i32.add (i32.mul (local.get $x) (i32.const 1103515245)) (i32.const 12345)))
  (func (export "run") (param $n i32) (result i32)
    (local $i i32) (local $s i32) (local $x i32)
    (local.set $x (global.get $g))
    (i32.store (i32.const 4096) (local.get $n))
    (loop $l
      (local.set $x (call $step (local.get $x)))
      (i32.store (i32.shl (i32.and (local.get $i) (i32.const 255)) (i32.const 2)) (local.get $x))
      (local.set $s (i32.add (local.get $s)
        (i32.load (i32.shl (i32.and (i32.mul (local.get $i) (i32.const 7)) (i32.const 255))
                           (i32.const 2)))))
      (global.set $g (i32.xor (global.get $g) (local.get $s)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
    (i32.add (i32.add (local.get $s) (global.get $g)) (i32.load (i32.const 4096)))))"#;

const ROWS: usize = 1 << 14;

fn program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(LONG.as_bytes()).expect("valid module"))
}

fn prove(program: &Arc<Program>, n: u32) -> ProvenRun {
    let cfg = ProveConfig {
        segment_rows: Some(ROWS),
        ..ProveConfig::default()
    };
    prove_values(program.clone(), "run", &[IntValue::I32(n)], &cfg).expect("honest run proves")
}

fn claim(run: &ProvenRun) -> Claim {
    Claim {
        entry: run.file.entry.clone(),
        args: run.file.args.clone(),
        results: run.file.results.clone(),
        cycles: run.file.cycles,
        public_input: Vec::new(),
        journal: Vec::new(),
    }
}

fn parse(bytes: &[u8]) -> SegmentedProof {
    SegmentedProof::read_from(&mut SliceReader::new(bytes)).expect("a segmented proof")
}

fn verify(
    program: &Arc<Program>,
    run: &ProvenRun,
    proof: &SegmentedProof,
) -> Result<(), VerifyError> {
    verify_kind(
        program,
        &claim(run),
        &proof.to_bytes(),
        ProofKind::Segmented,
    )
    .map(|_| ())
}

#[test]
fn a_long_run_proves_in_segments_and_forgeries_are_rejected() {
    let program = program();
    let run = prove(&program, 3000);
    let expected = gloam_executor::run(&program, "run", &[3000], gloam_executor::Limits::default())
        .expect("the run");
    assert_eq!(run.outcome.results, expected.results);
    assert_eq!(run.file.cycles, expected.cycles);
    assert!(run.file.segmented && !run.file.zero_knowledge);
    let st = verify_file(&program, &run.file.to_bytes()).expect("the segmented proof verifies");
    assert!(st.segments >= 4, "{} segments", st.segments);
    assert!(!st.zero_knowledge);
    assert_eq!(st.segments, run.stats.segments);
    assert_eq!(st.claim.results, run.file.results);
    let proof = parse(&run.file.stark);
    let k = proof.segments.len();

    // Another claimed result or cycle count.
    let mut c = claim(&run);
    c.results = vec![IntValue::I32(expected.results[0] ^ 1)];
    assert!(verify_kind(&program, &c, &run.file.stark, ProofKind::Segmented).is_err());
    let mut c = claim(&run);
    c.cycles -= 1;
    assert!(verify_kind(&program, &c, &run.file.stark, ProofKind::Segmented).is_err());

    // A segment removed (with its boundary), repeated, or two swapped.
    let mut p = proof.clone();
    p.segments.remove(1);
    p.boundaries.remove(2);
    assert!(verify(&program, &run, &p).is_err(), "segment removed");
    let mut p = proof.clone();
    p.segments.insert(1, p.segments[1].clone());
    p.boundaries.insert(1, p.boundaries[1]);
    assert!(verify(&program, &run, &p).is_err(), "segment repeated");
    let mut p = proof.clone();
    p.segments.swap(1, 2);
    assert!(verify(&program, &run, &p).is_err(), "segments swapped");
    let mut p = proof.clone();
    p.segments.swap(1, 2);
    p.boundaries.swap(1, 2);
    assert!(
        verify(&program, &run, &p).is_err(),
        "segments and boundaries swapped"
    );

    // A forged boundary state (the next segment's start too, so the chain still links).
    for field in 0..3 {
        let mut p = proof.clone();
        let b = &mut p.boundaries[2];
        match field {
            0 => b.pc ^= 1,
            1 => b.fp += 4,
            _ => b.clk += 1,
        }
        assert!(
            verify(&program, &run, &p).is_err(),
            "boundary field {field} forged"
        );
    }
    // A forged running-sum end, balanced by its neighbour (the sum still adds up).
    let mut p = proof.clone();
    let delta = p.segments[0].sum_end;
    p.segments[1].sum_end += delta;
    p.segments[2].sum_end -= delta;
    assert!(
        verify(&program, &run, &p).is_err(),
        "sums shifted between segments"
    );

    // A segment of another run of the same program, at the same place.
    let other = prove(&program, 3001);
    let other_proof = parse(&other.file.stark);
    let mut p = proof.clone();
    p.segments[1] = other_proof.segments[1].clone();
    assert!(
        verify(&program, &run, &p).is_err(),
        "segment of another run"
    );
    // Its segments and boundaries up to the last one: the other run's prefix, this run's end.
    let mut p = other_proof.clone();
    p.segments.truncate(k - 1);
    p.boundaries.truncate(k);
    p.segments.push(proof.segments[k - 1].clone());
    p.boundaries.push(proof.boundaries[k]);
    assert!(verify(&program, &run, &p).is_err(), "two runs mixed");

    // Truncated files and proofs: an error, never a panic.
    let bytes = run.file.to_bytes();
    for cut in [10, 100, bytes.len() / 2, bytes.len() - 1] {
        assert!(verify_file(&program, &bytes[..cut]).is_err());
    }
    let stark = &run.file.stark;
    for cut in [0, 5, 40, stark.len() / 3, stark.len() - 1] {
        assert!(matches!(
            verify_kind(&program, &claim(&run), &stark[..cut], ProofKind::Segmented),
            Err(VerifyError::Malformed(_))
        ));
    }
    // One segment's proof bytes flipped.
    let mut p = proof.clone();
    let mid = p.segments[2].proof.len() / 2;
    p.segments[2].proof[mid] ^= 1;
    assert!(verify(&program, &run, &p).is_err());
}

/// A cheating prover: the honest plan with segment traces or boundary states forged.
struct Forged {
    plan: SegmentPlan,
    boundaries: Vec<BoundaryState>,
    forge: fn(usize, &mut Vec<Vec<Felt>>),
}

impl SegmentSource for Forged {
    fn count(&self) -> usize {
        self.plan.count()
    }
    fn segment_rows(&self) -> usize {
        SegmentSource::segment_rows(&self.plan)
    }
    fn run(&self) -> &PublicInputs {
        SegmentSource::run(&self.plan)
    }
    fn boundaries(&self) -> &[BoundaryState] {
        &self.boundaries
    }
    fn cuts(&self) -> &[u64] {
        SegmentSource::cuts(&self.plan)
    }
    fn final_rows(&self) -> usize {
        SegmentSource::final_rows(&self.plan)
    }
    fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        let (mut cols, _) = self.plan.trace(k)?;
        (self.forge)(k, &mut cols);
        let pi = self.plan.statement(k);
        // The statement with the (possibly forged) boundary states.
        let seg = pi.segment().cloned().expect("a segment");
        let pi = pi.for_segment(gloam_air::SegmentInfo {
            start: self.boundaries[k],
            end: self.boundaries[k + 1],
            ..seg
        });
        Ok((cols, pi))
    }
}

fn plan(program: &Arc<Program>, n: u32) -> (SegmentPlan, Claim) {
    let out = gloam_executor::run(program, "run", &[n], gloam_executor::Limits::default())
        .expect("the run");
    let (_, f) = program.proof_entry("run").expect("entry");
    let run = PublicInputs::new(
        program.clone(),
        "run",
        f.entry_pc,
        vec![n],
        out.results.clone(),
        out.cycles,
    );
    let claim = Claim::i32("run", &[n], &out.results, out.cycles);
    (
        SegmentPlan::new(
            program.clone(),
            run,
            RunInput {
                entry: "run".into(),
                args: vec![n],
                io: Default::default(),
                limits: gloam_executor::Limits::default(),
            },
            ROWS,
        )
        .expect("plan"),
        claim,
    )
}

/// Rounds of `run` for the forged proofs: 10,514 cycles, one execution segment of 2^14 rows
/// and one final memory segment (the execution segment takes the initial state's tokens and
/// hands its values to the final one).
const FORGED_ROUNDS: u32 = 500;
/// The execution segment a cheating prover forges.
const FORGED: usize = 0;
/// The final memory segment, whose rows hold every carried value untouched.
const FINAL: usize = 1;
/// Rounds of `run` with two execution segments and a final memory segment: 21,014 cycles.
const THREE_SEGMENT_ROUNDS: u32 = 1000;

/// The first memory-table row of a final memory segment's trace holding a nonzero carried
/// value (untouched there, so forging it keeps the segment's own memory argument balanced).
fn carried_untouched_row(cols: &[Vec<Felt>]) -> usize {
    (0..cols[0].len() - 1)
        .find(|&r| {
            cols[CIN][r] == Felt::ONE && cols[FTS][r] == Felt::ZERO && cols[V_IN][r] != Felt::ZERO
        })
        .expect("a carried, untouched address")
}

/// The memory-table row of address `addr`.
fn row_of(cols: &[Vec<Felt>], addr: u64) -> usize {
    (0..cols[0].len() - 1)
        .find(|&r| cols[TADDR][r] == Felt::new(addr))
        .expect("the address's row")
}

fn forged_is_rejected(
    program: &Arc<Program>,
    n: u32,
    forge: fn(usize, &mut Vec<Vec<Felt>>),
    edit: fn(&mut Vec<BoundaryState>),
) {
    let (plan, claim) = plan(program, n);
    // Execution segments before and after the forged one, then the final memory segment.
    assert_eq!((plan.exec(), plan.count()), (FINAL, FINAL + 1));
    let mut boundaries = SegmentSource::boundaries(&plan).to_vec();
    edit(&mut boundaries);
    let forged = Forged {
        plan,
        boundaries,
        forge,
    };
    // The prover proves any trace (every pass-1 commitment kept: the rebuild path is
    // `pass_two_from_memory_disk_and_a_rebuild`'s).
    let count = forged.count();
    let (bytes, _, _) =
        prove_segments(&forged, 1, count, None, None).expect("the prover proves any trace");
    let r = verify_kind(program, &claim, &bytes, ProofKind::Segmented);
    assert!(r.is_err(), "a forged segmented proof verified");
}

/// Pass 2 takes each segment's pass-1 state from wherever pass 1 left it: segment 0 kept in
/// memory, segment 1 spilled to disk and read back, segment 2 (the final memory segment,
/// beyond the disk budget) rebuilt by executing the run again. With the same secret key the proof is byte for byte
/// the one made with every segment kept in memory (so the disk carries the trace, the
/// commitment and the generator's state exactly), and it verifies.
#[test]
fn pass_two_from_memory_disk_and_a_rebuild() {
    let program = program();
    let (plan, claim) = plan(&program, THREE_SEGMENT_ROUNDS);
    assert_eq!((plan.exec(), plan.count()), (2, 3));
    let key = [7u8; 32];
    let (in_memory, _, _) =
        prove_segments_with_key(&plan, 1, 3, None, None, key).expect("the run proves");
    let dir = tempfile::tempdir().expect("a temporary directory");
    let width = plan.statement(0).main_width();
    let spill = Spill {
        dir: dir.path().to_path_buf(),
        max_bytes: spilled_segment_bytes(ROWS, width),
    };
    let seen = Arc::new(std::sync::Mutex::new(Vec::<SegmentProgress>::new()));
    let log = seen.clone();
    let progress: Arc<dyn Fn(SegmentProgress) + Send + Sync> =
        Arc::new(move |p| log.lock().expect("progress log").push(p));
    let (mixed, _, _) = prove_segments_with_key(&plan, 1, 1, Some(&spill), Some(progress), key)
        .expect("the run proves");
    let seen = seen.lock().expect("progress log");
    for pass in [1, 2] {
        let p = *seen
            .iter()
            .rfind(|p| p.pass == pass)
            .expect("progress of both passes");
        assert_eq!((p.done, p.total), (3, 3));
        assert_eq!(p.spilled, 1, "pass {pass}: one segment through the disk");
    }
    assert!(
        mixed == in_memory,
        "another proof from the disk or the rebuild"
    );
    verify_kind(&program, &claim, &mixed, ProofKind::Segmented).expect("the proof verifies");
}

/// The default spill budget is none on a file system that keeps its files in memory: every
/// tmpfs mount point of this machine is reported as RAM-backed, and the root file system as
/// `/proc/mounts` says.
#[cfg(target_os = "linux")]
#[test]
fn ram_backed_file_systems_are_recognised() {
    let mounts = std::fs::read_to_string("/proc/mounts").expect("/proc/mounts");
    let mut root_in_memory = None;
    for line in mounts.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (dir, kind) = (f[1], f[2]);
        let ram = kind == "tmpfs" || kind == "ramfs";
        if dir == "/" {
            root_in_memory = Some(ram);
        }
        if ram {
            if let Some((_, in_memory)) = available_disk(std::path::Path::new(dir)) {
                assert!(in_memory, "{dir} ({kind}) not recognised as RAM-backed");
            }
        }
    }
    let root = available_disk(std::path::Path::new("/")).expect("statfs of /");
    assert_eq!(Some(root.1), root_in_memory, "the root file system");
}

/// A cheating prover drops a carried value: the final memory segment treats an address as
/// never written (zero, not carried in), consistently within the segment. The token of the
/// segment that wrote it last is then never consumed: the segments' sums do not balance.
#[test]
fn forged_segment_drops_a_carried_value() {
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |k, cols| {
            if k == FINAL {
                let r = carried_untouched_row(cols);
                for c in [V_IN, CIN, FVAL, COUT, DJ, DJ + 1] {
                    cols[c][r] = Felt::ZERO;
                }
            }
        },
        |_| {},
    );
}

/// A cheating prover changes a carried value (the final memory segment takes an address at
/// another value): the carry token does not match the one produced.
#[test]
fn forged_segment_changes_a_carried_value() {
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |k, cols| {
            if k == FINAL {
                let r = carried_untouched_row(cols);
                let v = Felt::new(cols[V_IN][r].as_int() ^ 1);
                cols[V_IN][r] = v;
                cols[FVAL][r] = v;
            }
        },
        |_| {},
    );
}

/// A carried address claimed as fresh with its nonzero value (no carry-in): the `carry`
/// family.
#[test]
fn forged_segment_restarts_a_carried_address() {
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |k, cols| {
            if k == FINAL {
                let r = carried_untouched_row(cols);
                cols[CIN][r] = Felt::ZERO;
            }
        },
        |_| {},
    );
}

/// A stale value: the final memory segment takes the mutable global at its initial value
/// (7), consuming the initial state's token (distance back to label 0) instead of the one
/// the last execution segment produced. That initial token is consumed twice and the last
/// one never: the sums do not balance.
#[test]
fn forged_segment_takes_a_stale_value() {
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |k, cols| {
            if k == FINAL {
                let r = row_of(cols, GLOBAL_BASE);
                assert_eq!(cols[CIN][r], Felt::ONE);
                cols[V_IN][r] = Felt::new(7);
                cols[FVAL][r] = Felt::new(7);
                cols[DJ][r] = Felt::new(FINAL as u64);
                cols[DJ + 1][r] = Felt::ZERO;
            }
        },
        |_| {},
    );
}

/// A touched address left out of the chain: the execution segment writes the global but does
/// not carry it out, so the final memory segment could take the initial value. The `carry`
/// family (`touched_is_carried_out`).
#[test]
fn forged_segment_does_not_carry_out_a_write() {
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |k, cols| {
            if k == FORGED {
                let r = row_of(cols, GLOBAL_BASE);
                assert!(cols[FTS][r] != Felt::ZERO && cols[CIN][r] == Felt::ONE);
                cols[COUT][r] = Felt::ZERO;
            }
        },
        |_| {},
    );
}

/// A second chain: an untouched padding row of the execution segment (not carried in,
/// zero) produces a carry token anyway, which its `carry` constraints allow (a fresh zero
/// root). Nothing consumes it: only the counting argument across segments catches it.
#[test]
fn forged_segment_starts_a_second_chain() {
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |k, cols| {
            if k == FORGED {
                let r = (0..cols[0].len() - 1)
                    .find(|&r| {
                        cols[CIN][r] == Felt::ZERO
                            && cols[COUT][r] == Felt::ZERO
                            && cols[FTS][r] == Felt::ZERO
                    })
                    .expect("a padding row");
                cols[COUT][r] = Felt::ONE;
            }
        },
        |_| {},
    );
}

/// A forged boundary state with honest traces: the segments' boundary assertions fail.
#[test]
fn forged_boundary_state() {
    // The halted state's `fp`, forged consistently in both boundaries that hold it: the
    // execution segment's last row and the final memory segment's rows disagree with it.
    forged_is_rejected(
        &program(),
        FORGED_ROUNDS,
        |_, _| {},
        |b| {
            b[1].fp += 4;
            b[2].fp += 4;
        },
    );
}

/// A run that would be proven in zero knowledge (it reads a private input) is not split into
/// segments, which are not zero-knowledge: the prover refuses and says why.
#[test]
fn a_private_run_is_not_split_into_segments() {
    let program = Arc::new(
        gloam_isa::load_module(
            br#"(module
              (import "gloam" "read_private" (func $rq (param i32 i32) (result i32)))
              (memory 1)
              (func (export "f") (result i32)
                (drop (call $rq (i32.const 0) (i32.const 4)))
                (i32.load (i32.const 0))))"#,
        )
        .expect("valid module"),
    );
    let cfg = ProveConfig {
        segment_rows: Some(ROWS),
        ..ProveConfig::default()
    };
    let io = gloam_prover::IoInput {
        public: Vec::new(),
        private: vec![1, 2, 3, 4],
    };
    match gloam_prover::prove_io(program, "f", &[], &io, &cfg) {
        Err(ProveError::Segments(why)) => assert!(why.contains("not zero-knowledge"), "{why}"),
        Err(e) => panic!("refused for another reason: {e}"),
        Ok(_) => panic!("a private run was split into segments"),
    }
}

/// The two ways a plan builds segment traces agree: streamed in one execution of the run
/// (`gloam prove`) and one segment at a time (`gloam prove-segment`, each job re-executing
/// the run up to its segment). Both must commit to the same roots; the boundary states are
/// the recorded run's states at the cuts.
#[test]
fn streamed_and_random_access_segment_traces_agree() {
    let program = program();
    let (plan, _) = plan(&program, 3000);
    assert!(plan.count() >= 4, "{} segments", plan.count());
    let (_, recorded) =
        gloam_executor::run_traced(&program, "run", &[3000], gloam_executor::Limits::default())
            .expect("the run");
    for (k, b) in SegmentSource::boundaries(&plan).iter().enumerate() {
        let c = k * (ROWS - 1);
        match recorded.steps.get(c) {
            Some(st) => assert_eq!((b.pc, b.fp, b.clk), (st.pc, st.fp as u64, c as u64)),
            None => assert_eq!(
                (b.pc, b.clk),
                (gloam_isa::HALT_PC, recorded.steps.len() as u64)
            ),
        }
    }
    let mut streamed = Vec::new();
    plan.for_each_trace(&|k| k != 1, &mut |k, cols, pi| {
        streamed.push((k, cols, pi.segment().cloned()));
        Ok(())
    })
    .expect("streamed");
    let ks: Vec<usize> = streamed.iter().map(|s| s.0).collect();
    assert_eq!(
        ks,
        (0..plan.count()).filter(|&k| k != 1).collect::<Vec<_>>()
    );
    for (k, cols, seg) in streamed {
        let (one, pi) = plan.trace(k).expect("one segment");
        assert!(cols == one, "segment {k}'s traces differ");
        assert_eq!(seg, pi.segment().cloned());
    }
    assert!(matches!(
        plan.trace(plan.count()),
        Err(ProveError::Segments(_))
    ));
}

/// A module whose initial memory holds more nonzero words (20,000) than a segment's table
/// (16,383 rows): the execution segment's table holds only what it touches, and the final
/// value of every word goes to two final memory segments, split at a public cut. The proof
/// verifies with the run's result; a moved cut, the final memory segments swapped, or one of
/// them dropped is rejected.
#[test]
fn memory_larger_than_a_segment_table_goes_to_several_final_segments() {
    let words = 20_000usize;
    let wat = format!(
        r#"(module (memory 2)
          (data (i32.const 0) "{}")
          (func (export "run") (result i32)
            (i32.store (i32.const 40000) (i32.const 5))
            (i32.add (i32.load (i32.const 0)) (i32.load (i32.const {})))))"#,
        "\\01\\00\\00\\00".repeat(words),
        4 * (words - 1)
    );
    let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("valid module"));
    let cfg = ProveConfig {
        segment_rows: Some(ROWS),
        ..ProveConfig::default()
    };
    let run = prove_values(program.clone(), "run", &[], &cfg).expect("honest run proves");
    assert_eq!(run.outcome.results, vec![2]);
    let st = verify_file(&program, &run.file.to_bytes()).expect("the proof verifies");
    assert_eq!(
        st.segments, 3,
        "one execution and two final memory segments"
    );
    let proof = parse(&run.file.stark);
    assert_eq!(proof.cuts.len(), 1);
    assert!(
        proof.cuts[0] > MEM_BASE,
        "the cut falls among the memory words"
    );

    let mut p = proof.clone();
    p.cuts[0] += 1;
    assert!(verify(&program, &run, &p).is_err(), "cut moved");
    let mut p = proof.clone();
    p.segments.swap(1, 2);
    assert!(
        verify(&program, &run, &p).is_err(),
        "final segments swapped"
    );
    let mut p = proof.clone();
    p.segments.pop();
    p.boundaries.pop();
    p.cuts.clear();
    assert!(
        verify(&program, &run, &p).is_err(),
        "a final segment dropped"
    );
    // Malformed ranges and sizes: refused before any proof is checked.
    let shape =
        |p: &SegmentedProof| matches!(verify(&program, &run, p), Err(VerifyError::Shape(_)));
    let mut p = proof.clone();
    p.cuts.clear();
    assert!(shape(&p), "a cut missing");
    let mut p = proof.clone();
    p.cuts[0] = 0;
    assert!(shape(&p), "an empty first range");
    let mut p = proof.clone();
    p.cuts[0] = 1 << 55;
    assert!(shape(&p), "a cut among slots beyond 2^54");
    let mut p = proof.clone();
    p.cuts[0] = MEM_BASE + 2 * 16384 + 1;
    assert!(shape(&p), "a cut beyond the end of memory");
    let mut p = proof.clone();
    p.final_len_log2 += 1;
    assert!(shape(&p), "another final segment length");
    // More final memory segments than the claim's memory could fill (padding-only ones).
    let mut p = proof.clone();
    for i in 1..=2u64 {
        p.segments.push(p.segments[2].clone());
        p.boundaries.push(p.boundaries[3]);
        p.cuts.push(MEM_BASE + 2 * 16384 - 10 + i);
    }
    assert!(
        matches!(verify(&program, &run, &p),
            Err(VerifyError::Shape(m)) if m.contains("final memory segments of")),
        "final segments beyond the bound, refused by the bound itself"
    );
}
