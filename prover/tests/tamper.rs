//! Tamper tests: one per constraint family (and per LogUp bus). Each starts from an honest
//! trace, changes values *consistently with the rest of the row* so that only the family under
//! test can notice, and shows that
//!   1. the row-by-row checker names the expected family or bus, and
//!   2. the STARK proof of the tampered trace is rejected by the verifier (or proving fails),
//!      for transparent and for zero-knowledge proofs alike (a wide trace: as a segment of a
//!      segmented proof and as a transparent single proof).
//!
//! Run in release mode: `cargo test --release -p gloam-prover --test tamper`.

use std::sync::Arc;

use gloam_air::check::{check, Violation};
use gloam_air::columns::*;
use gloam_air::decoder::Group;
use gloam_air::{default_options, BoundaryState, Felt, PublicInputs, SegmentInfo};
use gloam_executor::{run_traced, Limits};
use gloam_isa::{IntValue, Op, Program};
use gloam_prover::segments::{prove_segments, SegmentSource};
use gloam_prover::trace::{build_main_trace, fill_multiplicities};
use gloam_prover::zk::prove_trace_zk;
use gloam_prover::{prove_trace, GloamTrace, ProveError};
use gloam_verifier::{verify, verify_kind, verify_proof, Claim, ProofKind};
use winterfell::math::FieldElement;

/// A contract exercising every opcode family.
const ALL_OPS: &str = r#"
(module
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func (export "mix") (param $a i32) (param $b i32) (result i32)
    (local $acc i32) (local $i i32)
    i32.const 3 local.set $i
    loop
      local.get $acc local.get $a i32.add local.set $acc
      local.get $acc local.get $b i32.sub local.set $acc
      local.get $acc i32.const 7 i32.mul local.set $acc
      local.get $acc local.get $b i32.div_u local.get $acc i32.add local.set $acc
      local.get $acc local.get $b i32.rem_u local.get $acc i32.xor local.set $acc
      local.get $acc local.get $a i32.and local.get $acc i32.or local.set $acc
      local.get $acc local.get $i i32.shl local.get $acc i32.add local.set $acc
      local.get $acc local.get $i i32.shr_u local.get $acc i32.rotl local.set $acc
      local.get $a local.get $b i32.lt_s local.get $acc i32.add local.set $acc
      local.get $a local.get $acc i32.eq local.get $acc i32.add local.set $acc
      local.get $acc local.get $a local.get $i select local.set $acc
      local.get $i call $sq local.get $acc i32.add local.set $acc
      local.get $i i32.const 1 i32.sub local.tee $i
      br_if 0
    end
    ;; `ne` after the loop: the program then holds both `eq` and `ne`, whose swap
    ;; `tamper_decode_swapped_opcode` commits (the sub-op bit telling them apart is committed
    ;; only if some opcode of the program sets it).
    local.get $acc local.get $a local.get $b i32.ne i32.add))
"#;

struct Honest {
    program: Arc<Program>,
    columns: Vec<Vec<Felt>>,
    pi: PublicInputs,
    claim: Claim,
}

fn honest() -> Honest {
    honest_run(ALL_OPS, "mix", &[1000, 7])
}

/// The honest trace of `entry(args)` of module `wat`.
fn honest_run(wat: &str, entry: &str, args: &[u32]) -> Honest {
    let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("module"));
    let (out, exec) = run_traced(&program, entry, args, Limits::default()).expect("run");
    let (trace, pi) = build_main_trace(program.clone(), entry, args, &out, &exec).expect("trace");
    check(&trace.columns, &pi).expect("the honest trace satisfies the AIR");
    let claim = Claim::i32(entry, args, &out.results, out.cycles);
    Honest {
        program,
        columns: trace.columns,
        pi,
        claim,
    }
}

impl Honest {
    fn get(&self, col: usize, row: usize) -> u64 {
        self.columns[col][row].as_int()
    }
    fn set(&mut self, col: usize, row: usize, v: u64) {
        self.columns[col][row] = Felt::new(v);
    }
    /// Whether row `r`'s decoder columns encode `op`.
    fn executes(&self, op: Op, r: usize) -> bool {
        let mut want = vec![0u64; MAIN_WIDTH];
        encode_op(&mut want, op);
        DECODE.range().all(|c| self.get(c, r) == want[c])
    }
    /// Makes row `r` claim opcode `op`: its decoder columns become `op`'s encoding.
    fn set_op(&mut self, r: usize, op: Op) {
        for c in DECODE.range() {
            self.set(c, r, 0);
        }
        let mut want = vec![0u64; MAIN_WIDTH];
        encode_op(&mut want, op);
        for c in DECODE.range() {
            self.set(c, r, want[c]);
        }
    }
    /// First row executing `op` that satisfies `pred`.
    fn row_of(&self, op: Op, pred: impl Fn(&Self, usize) -> bool) -> usize {
        (0..self.columns[0].len())
            .find(|&r| self.executes(op, r) && pred(self, r))
            .unwrap_or_else(|| panic!("no row executes {op:?} as needed"))
    }
    /// Writes a 32-bit value into the four bytes of `U` (x0, y0, x1, y1), keeping z/w consistent.
    fn set_u(&mut self, row: usize, u: u64) {
        for (i, col) in [X, Y, X + 1, Y + 1].into_iter().enumerate() {
            self.set(col, row, (u >> (8 * i)) & 255);
        }
        self.fix_lanes(row);
    }
    fn set_v(&mut self, row: usize, v: u64) {
        for (i, col) in [X + 2, Y + 2, X + 3, Y + 3].into_iter().enumerate() {
            self.set(col, row, (v >> (8 * i)) & 255);
        }
        self.fix_lanes(row);
    }
    fn set_w(&mut self, row: usize, w: u64) {
        for i in 0..4 {
            self.set(R + i, row, (w >> (8 * i)) & 255);
        }
    }
    fn fix_lanes(&mut self, row: usize) {
        for i in 0..4 {
            let (x, y) = (self.get(X + i, row), self.get(Y + i, row));
            self.set(Z + i, row, x & y);
            self.set(W + i, row, x ^ y);
        }
    }
    /// Recomputes every multiplicity from the (tampered) trace, as a cheating prover would;
    /// tuples that are not table entries cannot be counted.
    fn recount(&mut self) {
        fill_multiplicities(&mut self.columns);
    }

    fn set_inv(&mut self, row: usize, x: Felt) {
        self.columns[INV][row] = if x == Felt::ZERO { Felt::ZERO } else { x.inv() };
    }

    /// The checker must report a violation for which `expect` holds, and the STARK proof of
    /// the tampered trace must be rejected.
    fn assert_rejected(self, expect: impl Fn(&Violation) -> bool) {
        let v = check(&self.columns, &self.pi).expect_err("tampered trace passed the checker");
        assert!(expect(&v), "unexpected violation: {v}");
        assert_stark_rejects(self.program, self.columns, self.pi, &self.claim);
    }
}

/// The tamper must be one a prover can commit: the group flags and sub-op bits no opcode of
/// the program uses are not committed (`PublicInputs::committed_columns`), so a change there
/// could not reach the verifier at all.
fn assert_committable(columns: &[Vec<Felt>], pi: &PublicInputs) {
    let committed = pi.committed_columns();
    for (c, col) in columns.iter().enumerate() {
        if committed.binary_search(&c).is_err() {
            assert!(
                col.iter().all(|v| *v == Felt::ZERO),
                "the tamper writes column {c}, which this program's trace does not commit"
            );
        }
    }
}

/// The segment check of a wide trace: proven as the one execution segment of a segmented
/// proof (with its final memory segment), which the verifier must reject.
fn assert_segment_rejects(
    program: &Arc<Program>,
    columns: &[Vec<Felt>],
    pi: &PublicInputs,
    claim: &Claim,
) {
    let one = OneSegment::new(columns.to_vec(), pi.clone());
    let (bytes, _, _) =
        prove_segments(&one, 1, one.count(), None, None).expect("the prover proves any trace");
    let r = verify_kind(program, claim, &bytes, ProofKind::Segmented);
    assert!(
        r.is_err(),
        "verifier accepted a segment of a tampered trace"
    );
}

fn assert_stark_rejects(
    program: Arc<Program>,
    columns: Vec<Vec<Felt>>,
    pi: PublicInputs,
    claim: &Claim,
) {
    assert_committable(&columns, &pi);
    // Every tampered trace meets both verifiers (winterfell's for transparent proofs, Gloam's
    // zero-knowledge one, which segments use too) and both statements its layout can have.
    // A narrow trace: the zero-knowledge prover and verifier on the same statement. A wide
    // trace: the one segment of a segmented proof (the segment statement, transcript and
    // verifier of `gloam_prover::segments`, through the same zero-knowledge prover and
    // verifier code); its single statement meets the transparent verifier below. (Proving
    // a wide trace a third time, as a single zero-knowledge proof, took a quarter of this
    // binary's time and exercises no code the other two do not.)
    if pi.layout() != Layout::Wide {
        let trace = GloamTrace::new(columns.clone(), &pi);
        match prove_trace_zk(trace, pi.clone(), None) {
            Err(_) => {}
            Ok((bytes, _, _)) => {
                let r = verify_proof(&program, claim, &bytes, true);
                assert!(
                    r.is_err(),
                    "verifier accepted a zero-knowledge proof of a tampered trace"
                );
            }
        }
    } else {
        assert_segment_rejects(&program, &columns, &pi, claim);
    }
    let trace = GloamTrace::new(columns, &pi);
    match prove_trace(trace, pi, default_options(), None) {
        Err(_) => {} // proving failed: also a rejection
        Ok(proof) => {
            let r = verify(&program, claim, &proof.to_bytes());
            assert!(r.is_err(), "verifier accepted a proof of a tampered trace");
        }
    }
}

/// A single run's trace as the one execution segment of a segmented proof: the same rows,
/// with the initial state's words carried in (`CIN = 1`, `V_IN` their initial value, from the
/// verifier's label 0) instead of added by the verifier's expected sum, and the segment
/// statement (start at the entry, end halted with the trace's final `fp`); then the final
/// memory segments built from what its table carries out.
struct OneSegment {
    columns: Vec<Vec<Felt>>,
    final_rows: usize,
    finals: Vec<Vec<Vec<Felt>>>,
    cuts: Vec<u64>,
    run: PublicInputs,
    boundaries: Vec<BoundaryState>,
}

impl OneSegment {
    fn new(mut columns: Vec<Vec<Felt>>, run: PublicInputs) -> Self {
        let n = columns[0].len();
        let initial: std::collections::HashMap<u64, u32> = run
            .initial_words()
            .iter()
            .filter(|(_, v)| *v != 0)
            .copied()
            .collect();
        let carried: Vec<(usize, u32)> = (0..n - 1)
            .filter_map(|r| initial.get(&columns[TADDR][r].as_int()).map(|&v| (r, v)))
            .collect();
        for (r, v) in carried {
            columns[V_IN][r] = Felt::new(v as u64);
            columns[CIN][r] = Felt::ONE;
        }
        fill_multiplicities(&mut columns);
        let state: std::collections::HashMap<u64, (u32, u32)> = (0..n - 1)
            .filter(|&r| columns[COUT][r] == Felt::ONE)
            .map(|r| {
                (
                    columns[TADDR][r].as_int(),
                    (columns[FVAL][r].as_int() as u32, 1),
                )
            })
            .collect();
        let final_fp = columns[FP][n - 1].as_int();
        let halted = BoundaryState {
            pc: gloam_isa::HALT_PC,
            fp: final_fp,
            clk: run.cycles,
        };
        let (final_rows, finals, cuts) = gloam_prover::segments::final_memory_segments(
            run.program(),
            &run,
            n,
            1,
            final_fp,
            &state,
        )
        .expect("final memory segments");
        let mut boundaries = vec![BoundaryState {
            pc: run.entry_pc,
            fp: 0,
            clk: 0,
        }];
        boundaries.extend(std::iter::repeat_n(halted, finals.len() + 1));
        OneSegment {
            columns,
            final_rows,
            finals,
            cuts,
            run,
            boundaries,
        }
    }
}

impl SegmentSource for OneSegment {
    fn count(&self) -> usize {
        1 + self.finals.len()
    }
    fn segment_rows(&self) -> usize {
        self.columns[0].len()
    }
    fn run(&self) -> &PublicInputs {
        &self.run
    }
    fn boundaries(&self) -> &[BoundaryState] {
        &self.boundaries
    }
    fn cuts(&self) -> &[u64] {
        &self.cuts
    }
    fn final_rows(&self) -> usize {
        self.final_rows
    }
    fn trace(&self, k: usize) -> Result<(Vec<Vec<Felt>>, PublicInputs), ProveError> {
        let end = MEM_BASE + self.run.memory_words();
        let frame = if k == 0 {
            [0, end]
        } else {
            gloam_air::segments::final_frames(&self.cuts, end)[k - 1]
        };
        let pi = self.run.clone().for_segment(SegmentInfo {
            index: k as u32,
            count: self.count() as u32,
            exec: 1,
            start: self.boundaries[k],
            end: self.boundaries[k + 1],
            frame,
            sum_end: [Felt::ZERO; 2],
        });
        let columns = if k == 0 {
            self.columns.clone()
        } else {
            self.finals[k - 1].clone()
        };
        Ok((columns, pi))
    }
}

/// Timestamp of access `j` (0 = a, 1 = b, 2 = c, 3 = d) of row `row`.
fn ts(row: usize, j: usize) -> u64 {
    (ACCESSES_PER_ROW * row + j + 1) as u64
}

fn family(name: &'static str) -> impl Fn(&Violation) -> bool {
    move |v| matches!(v, Violation::Transition { family, .. } if *family == name)
}

fn bus(name: &'static str) -> impl Fn(&Violation) -> bool {
    move |v| matches!(v, Violation::Bus { bus } if *bus == name)
}

#[test]
fn honest_trace_is_accepted() {
    let h = honest();
    let (zk, _, _) = prove_trace_zk(
        GloamTrace::new(h.columns.clone(), &h.pi),
        h.pi.clone(),
        None,
    )
    .expect("prove in zero knowledge");
    let st = verify_proof(&h.program, &h.claim, &zk, true).expect("honest ZK proof verifies");
    assert!(st.zero_knowledge);
    // The wide tamper tests' segment check: an honest wide trace as one segment verifies.
    let m = honest_mem();
    assert_eq!(m.pi.layout(), Layout::Wide);
    let one = OneSegment::new(m.columns.clone(), m.pi.clone());
    let (bytes, _, _) =
        prove_segments(&one, 1, one.count(), None, None).expect("prove as one segment");
    let st = verify_kind(&m.program, &m.claim, &bytes, ProofKind::Segmented)
        .expect("the honest trace verifies as one segment");
    assert_eq!(st.segments, 2, "one execution and one final memory segment");
    let proof = prove_trace(
        GloamTrace::new(h.columns, &h.pi),
        h.pi,
        default_options(),
        None,
    )
    .expect("prove");
    let st = verify(&h.program, &h.claim, &proof.to_bytes()).expect("honest proof verifies");
    assert_eq!(st.claim, h.claim);
}

/// arith: a wrong `i32.add` result, with the result bytes changed to match it.
#[test]
fn tamper_arith_wrong_add_result() {
    let mut h = honest();
    let r = h.row_of(Op::Add, |h, r| h.get(BIMM, r) == 0);
    let c = (h.get(VAL_C, r) + 1) & 0xFFFF_FFFF;
    h.set(VAL_C, r, c);
    h.set_u(r, c);
    h.assert_rejected(family("arith"));
}

/// arith: a flipped borrow in a signed comparison, with the result flipped to match.
#[test]
fn tamper_arith_flipped_signed_compare() {
    let mut h = honest();
    let r = h.row_of(Op::LtS, |_, _| true);
    let k = h.get(K, r) ^ 1;
    h.set(K, r, k);
    h.set(VAL_C, r, k);
    h.assert_rejected(family("arith"));
}

/// mul: the field-wraparound forgery `U + 2^32 (2^32 - 1) = a*b + p`: `U = a*b + 1`.
#[test]
fn tamper_mul_wraparound_forgery() {
    let mut h = honest();
    let r = h.row_of(Op::Mul, |h, r| {
        h.get(VAL_A, r) * h.get(VAL_B, r) < 0xFFFF_FFFE
    });
    let prod = h.get(VAL_A, r) * h.get(VAL_B, r);
    h.set_u(r, prod + 1);
    h.set_v(r, 0xFFFF_FFFF);
    h.set(VAL_C, r, prod + 1);
    // The product constraint now holds in the field; choose inv as the honest prover would.
    h.set_inv(r, Felt::ZERO);
    h.recount();
    h.assert_rejected(family("mul"));
}

/// mul (`mulhu`, the high word of an `i64.mul`'s low-word product): a result one larger than
/// the product's high word `V`, with `U`, `V` and the product honest.
#[test]
fn tamper_mulhu_wrong_high_word() {
    let mut h = honest_run(
        r#"(module (func (export "f") (param i64 i64) (result i64)
              local.get 0 local.get 1 i64.mul))"#,
        "f",
        &[0x9abc_def0, 0x1234_5678, 0xfedc_ba98, 0x0765_4321],
    );
    let r = h.row_of(Op::MulHU, |h, r| h.get(VAL_C, r) < 0xFFFF_FFFF);
    let c = h.get(VAL_C, r);
    h.set(VAL_C, r, c + 1);
    h.recount();
    h.assert_rejected(family("mul"));
}

/// mul (shifts): a wrong power of two for `shl`, with product and result matching it: only
/// the pow2 lookup can notice.
#[test]
fn tamper_pow2_lookup_wrong_shift() {
    let mut h = honest();
    let r = h.row_of(Op::Shl, |h, r| h.get(P, r) < 1 << 31);
    let p = h.get(P, r) * 2;
    let prod = h.get(VAL_A, r) as u128 * p as u128;
    h.set(P, r, p);
    h.set_u(r, (prod as u64) & 0xFFFF_FFFF);
    h.set_v(r, (prod >> 32) as u64);
    h.set(VAL_C, r, (prod as u64) & 0xFFFF_FFFF);
    let v = Felt::new((prod >> 32) as u64) - Felt::new(0xFFFF_FFFF);
    h.set_inv(r, v);
    h.recount();
    h.assert_rejected(bus("pow2"));
}

/// mul (shifts): the shift amount `S` outside `[0, 32)`. For `shr_u` by `s` the prover picks
/// `S = s - 32` (a field element near `p`) and `W` one larger, so `B = S + 32 W` still holds,
/// and `S + 32 * right = s`: a single-key pow2 table `(s + 32 * right, value)` would accept
/// the lookup of `2^s` (a left shift), letting the prover pick the wrong power of two. Here
/// `5 >> 3` and `(5 * 2^3) >> 32` are both 0, so the result and memory stay honest and only
/// the advice is forged; the (amount, direction, value) table has no entry with amount
/// `s - 32`, so the pow2 bus rejects it even with the multiplicity the cheater would claim.
#[test]
fn tamper_pow2_shift_amount_out_of_range() {
    let mut h = honest_run(
        r#"(module (func (export "f") (param i32 i32) (result i32)
              local.get 0 local.get 1 i32.shr_u))"#,
        "f",
        &[5, 3],
    );
    let r = h.row_of(Op::ShrU, |_, _| true);
    let s = h.get(S, r);
    assert_eq!((h.get(VAL_A, r), s, h.get(VAL_C, r)), (5, 3, 0));
    h.columns[S][r] = Felt::new(s) - Felt::new(32);
    let w = h.get(R, r) | h.get(R + 1, r) << 8 | h.get(R + 2, r) << 16 | h.get(R + 3, r) << 24;
    h.set_w(r, w + 1);
    let p = 1u64 << s;
    h.set(P, r, p);
    h.set_u(r, 5 * p);
    h.set_v(r, 0);
    h.set_inv(r, Felt::ZERO - Felt::new(0xFFFF_FFFF));
    h.recount();
    // The cheater's count: the single key `S + 32 * right = s` named entry `s`.
    let m = h.get(M_POW, s as usize);
    h.set(M_POW, s as usize, m + 1);
    h.assert_rejected(bus("pow2"));
}

/// div: a quotient off by one, with the remainder adjusted so `A = U*B + V` still holds.
#[test]
fn tamper_div_quotient_off_by_one() {
    let mut h = honest();
    let r = h.row_of(Op::DivU, |h, r| h.get(VAL_C, r) > 0);
    let (b, q) = (h.get(VAL_B, r), h.get(VAL_C, r));
    let rem = h.get(VAL_A, r) - q * b;
    h.set_u(r, q - 1);
    h.set_v(r, rem + b);
    h.set(VAL_C, r, q - 1);
    h.set_w(r, (b.wrapping_sub(rem + b).wrapping_sub(1)) & 0xFFFF_FFFF);
    h.recount();
    h.assert_rejected(family("div"));
}

/// range: a forged range-check limb: byte `r2` = 256 + r2 and `r3` one less, so `W` is
/// unchanged but a "byte" is out of range.
#[test]
fn tamper_range_forged_limb() {
    let mut h = honest();
    let r = h.row_of(Op::LtS, |h, r| h.get(R + 3, r) > 0);
    let (r2, r3) = (h.get(R + 2, r), h.get(R + 3, r));
    h.set(R + 2, r, r2 + 256);
    h.set(R + 3, r, r3 - 1);
    h.recount();
    h.assert_rejected(bus("range"));
}

/// range: a wrong multiplicity in the range table.
#[test]
fn tamper_range_wrong_multiplicity() {
    let mut h = honest();
    let m = h.get(M_RANGE, 5);
    h.set(M_RANGE, 5, m + 1);
    h.assert_rejected(bus("range"));
}

/// bitwise: a wrong `and` result byte, with the result matching it.
#[test]
fn tamper_bitwise_wrong_and_byte() {
    let mut h = honest();
    let r = h.row_of(Op::And, |_, _| true);
    let z0 = h.get(Z, r);
    h.set(Z, r, z0 ^ 1);
    let c = h.get(VAL_C, r) ^ 1;
    h.set(VAL_C, r, c);
    h.recount();
    h.assert_rejected(bus("bitwise"));
}

/// bitwise (family): a byte lane of `A` that is not `A`'s byte. The lanes stay a consistent
/// table entry (`z = x & y`, `w = x ^ y`) and the result follows them, so the bitwise bus
/// balances; only `a_bytes` can notice.
#[test]
fn tamper_bitwise_lane_not_a_byte() {
    let mut h = honest();
    let r = h.row_of(Op::Xor, |h, r| h.get(X, r) < 255);
    let x0 = h.get(X, r);
    h.set(X, r, x0 + 1);
    h.fix_lanes(r);
    let c = h.get(W, r) | h.get(W + 1, r) << 8 | h.get(W + 2, r) << 16 | h.get(W + 3, r) << 24;
    h.set(VAL_C, r, c);
    h.recount();
    h.assert_rejected(family("bitwise"));
}

/// Boundary assertions: the claimed cycle count is off by one while the trace is honest.
/// Prover and verifier use the same (wrong) public inputs, so only the assertion
/// `CLK[last] = cycles` can object.
#[test]
fn tamper_boundary_cycle_count() {
    let mut h = honest();
    h.pi.cycles += 1;
    h.claim.cycles += 1;
    h.assert_rejected(|v| matches!(v, Violation::Boundary(w) if w == "cycle count"));
}

/// eq: an equality result flipped, with the inverse advice chosen to match.
#[test]
fn tamper_eq_flipped_result() {
    let mut h = honest();
    let r = h.row_of(Op::Eq, |_, _| true);
    let k = h.get(K, r) ^ 1;
    h.set(K, r, k);
    h.set(VAL_C, r, k);
    h.set(INV, r, 0);
    h.assert_rejected(family("eq"));
}

/// cmov: the move condition ignored.
#[test]
fn tamper_cmov_ignores_condition() {
    let mut h = honest();
    let r = h.row_of(Op::CMov, |h, r| h.get(VAL_A, r) != h.get(PREV_C, r));
    let k = h.get(K, r) ^ 1;
    h.set(K, r, k);
    let c = if k == 1 {
        h.get(VAL_A, r)
    } else {
        h.get(PREV_C, r)
    };
    h.set(VAL_C, r, c);
    h.assert_rejected(family("cmov"));
}

/// control: a wrong jump target (the next row continues at the other branch).
#[test]
fn tamper_control_wrong_jump_target() {
    let mut h = honest();
    let r = h.row_of(Op::Brnz, |_, _| true);
    let pc = h.get(PC, r + 1);
    h.set(PC, r + 1, pc + 1);
    h.assert_rejected(|v| matches!(v, Violation::Transition { .. }));
}

/// control: the cycle counter skips.
#[test]
fn tamper_control_cycle_counter() {
    let mut h = honest();
    let n = h.columns[0].len();
    for row in 10..n {
        let c = h.get(CLK, row);
        h.set(CLK, row, c + 1);
    }
    h.pi = PublicInputs::new(
        h.program.clone(),
        &h.pi.entry,
        h.pi.entry_pc,
        h.pi.args.clone(),
        h.pi.results.clone(),
        h.pi.cycles + 1,
    );
    h.claim.cycles += 1;
    h.assert_rejected(family("control"));
}

/// decode: an opcode swapped for another one whose constraints the row also satisfies
/// (`eq` for `ne`, result flipped): only the program lookup can notice.
#[test]
fn tamper_decode_swapped_opcode() {
    let mut h = honest();
    let r = h.row_of(Op::Eq, |_, _| true);
    h.set_op(r, Op::Ne);
    let c = h.get(VAL_C, r) ^ 1;
    h.set(VAL_C, r, c);
    h.assert_rejected(bus("program"));
}

/// decode: two group flags at once.
#[test]
fn tamper_decode_two_groups() {
    let mut h = honest();
    let r = h.row_of(Op::Add, |_, _| true);
    h.set(group_col(Group::Cmp), r, 1);
    h.assert_rejected(family("decode"));
}

/// decode: a non-boolean sub-op bit that keeps the looked-up code. An `lt_s` row (group
/// `cmp`, bits `b0 = 0, b1 = 1`: code `4 * 2 + 2 = 10`) claims group `add` with `b1 = 3`:
/// code `4 * 1 + 6 = 10` again, so the program lookup still balances, and `add`'s selectors
/// become `(1 - b0) = 1` for `add` (the row's `C` is no sum) and 0 for `sub`. Only the
/// booleanity of the bits refuses it.
#[test]
fn tamper_decode_non_boolean_bit_aliasing_a_code() {
    let mut h = honest();
    let r = h.row_of(Op::LtS, |_, _| true);
    h.set(group_col(Group::Cmp), r, 0);
    h.set(group_col(Group::Add), r, 1);
    h.set(OP_BIT + 1, r, 3);
    h.assert_rejected(family("decode"));
}

/// program: an instruction field (the immediate) forged.
#[test]
fn tamper_program_forged_immediate() {
    let mut h = honest();
    let r = h.row_of(Op::Const, |_, _| true);
    let imm = h.get(IMM, r) + 1;
    h.set(IMM, r, imm);
    h.set(VAL_C, r, imm);
    h.assert_rejected(bus("program"));
}

/// memory: a stale read: a read returns the value the slot held before its last write,
/// pointing at that older write's timestamp.
#[test]
fn tamper_memory_stale_read() {
    let mut h = honest();
    let n = h.columns[0].len();
    // Find a write to some address followed later by a read of the same address.
    let addr = |h: &Honest, r: usize, off: usize| h.get(FP, r) + h.get(off, r);
    let mut found = None;
    'outer: for w in 0..n {
        if !h.executes(Op::Add, w) || h.get(PREV_C, w) == h.get(VAL_C, w) {
            continue;
        }
        let a = addr(&h, w, OFF_C);
        for r in w + 1..n {
            let reads_a = h.get(PTS_A, r) == ts(w, 2) && addr(&h, r, OFF_A) == a;
            if reads_a {
                found = Some((w, r));
                break 'outer;
            }
        }
    }
    let (w, r) = found.expect("a write followed by a read");
    let (old_val, old_ts) = (h.get(PREV_C, w), h.get(PTS_C, w));
    h.set(VAL_A, r, old_val);
    h.set(PTS_A, r, old_ts);
    let gap = ts(r, 0) - old_ts - 1;
    for i in 0..3 {
        h.set(D + i, r, (gap >> (8 * i)) & 255);
    }
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Bus { bus: "memory" } | Violation::Transition { .. }
        )
    });
}

/// memory: a read claims to follow an access from the future.
#[test]
fn tamper_memory_timestamp_from_future() {
    let mut h = honest();
    let r = h.row_of(Op::Add, |h, r| h.get(BIMM, r) == 0);
    h.set(PTS_A, r, ts(r, 0) + 4);
    h.assert_rejected(family("memory"));
}

/// memory: the final value of a result slot forged along with the claimed result.
#[test]
fn tamper_memory_forged_final_value() {
    let mut h = honest();
    let v = (h.get(FVAL, 0) + 1) as u32;
    h.set(FVAL, 0, v as u64);
    h.pi = PublicInputs::new(
        h.program.clone(),
        &h.pi.entry,
        h.pi.entry_pc,
        h.pi.args.clone(),
        vec![v],
        h.pi.cycles,
    );
    h.claim.results = vec![IntValue::I32(v)];
    h.assert_rejected(bus("memory"));
}

/// Statement: claims that differ from the proven run are rejected (results, cycles,
/// arguments swapped, entry, program).
#[test]
fn wrong_statements_are_rejected() {
    let h = honest();
    let (zk, _, _) = prove_trace_zk(
        GloamTrace::new(h.columns.clone(), &h.pi),
        h.pi.clone(),
        None,
    )
    .expect("prove in zero knowledge");
    let proof = prove_trace(
        GloamTrace::new(h.columns, &h.pi),
        h.pi,
        default_options(),
        None,
    )
    .expect("prove");
    let bytes = proof.to_bytes();
    let mut claims = Vec::new();
    let mut c = h.claim.clone();
    c.results[0] = IntValue::I32(c.results[0].as_i32().unwrap() ^ 1);
    claims.push(("result", c));
    let mut c = h.claim.clone();
    c.cycles += 1;
    claims.push(("cycles", c));
    let mut c = h.claim.clone();
    c.args.swap(0, 1);
    claims.push(("swapped arguments", c));
    for (what, claim) in claims {
        assert!(
            verify(&h.program, &claim, &bytes).is_err(),
            "accepted a wrong {what}"
        );
        assert!(
            verify_proof(&h.program, &claim, &zk, true).is_err(),
            "accepted a wrong {what} with a zero-knowledge proof"
        );
    }
    // Another program with the same entry and signature.
    let other = Arc::new(
        gloam_isa::load_module(
            ALL_OPS
                .replace("i32.const 7 i32.mul", "i32.const 9 i32.mul")
                .as_bytes(),
        )
        .unwrap(),
    );
    assert!(
        verify(&other, &h.claim, &bytes).is_err(),
        "accepted the proof for another program"
    );
    assert!(verify_proof(&other, &h.claim, &zk, true).is_err());
    assert!(verify(&h.program, &h.claim, &bytes).is_ok());
    assert!(verify_proof(&h.program, &h.claim, &zk, true).is_ok());
}

/// A contract exercising linear memory (loads and stores of every width, signed and
/// unsigned, aligned, unaligned and across a word boundary, a data segment) and globals.
const MEM_OPS: &str = r#"
(module
  (memory 1)
  (global $g (mut i32) (i32.const 1000))
  (global $h i32 (i32.const 7))
  (global $k (mut i32) (i32.const 9))
  (data (i32.const 16) "\11\22\33\44\55\66\77\88\f0\ff")
  (data (i32.const 64) "\01\02\03\04")
  (func (export "mem") (param $p i32) (result i32)
    (local $acc i32)
    (local.set $acc (i32.load (i32.add (local.get $p) (i32.const 3))))
    (local.set $acc (i32.add (local.get $acc) (i32.load8_s offset=8 (local.get $p))))
    (local.set $acc (i32.add (local.get $acc) (i32.load16_s offset=8 (local.get $p))))
    (local.set $acc (i32.add (local.get $acc) (i32.load16_u offset=7 (local.get $p))))
    (local.set $acc (i32.add (local.get $acc) (i32.load8_u offset=1 (local.get $p))))
    (i32.store offset=1 (i32.const 100) (local.get $acc))
    (i32.store16 offset=3 (i32.const 200) (i32.const 0xBEEF))
    (i32.store8 (i32.const 203) (i32.const 0x1234))
    (local.set $acc (i32.xor (local.get $acc) (i32.load offset=1 (i32.const 100))))
    (local.set $acc (i32.add (local.get $acc) (i32.load (i32.const 202))))
    (global.set $g (i32.add (global.get $g) (global.get $h)))
    (global.set $k (i32.mul (global.get $k) (i32.const 3)))
    (i32.add (i32.add (local.get $acc) (global.get $g)) (global.get $k))))
"#;

fn honest_mem() -> Honest {
    honest_run(MEM_OPS, "mem", &[16])
}

#[test]
fn honest_memory_trace_is_accepted() {
    let h = honest_mem();
    // The recorded run agrees with the fast interpreter (every global read, not only global
    // 0: a global index once read the wrong word and a wrong result verified).
    let fast = gloam_executor::run(&h.program, "mem", &[16], Limits::default()).expect("run");
    let recorded: Vec<u32> = h
        .claim
        .results
        .iter()
        .map(|v| v.as_i32().unwrap())
        .collect();
    assert_eq!(recorded, fast.results);
    let proof = prove_trace(
        GloamTrace::new(h.columns, &h.pi),
        h.pi,
        default_options(),
        None,
    )
    .expect("prove");
    let st = verify(&h.program, &h.claim, &proof.to_bytes()).expect("honest proof verifies");
    assert_eq!(st.claim, h.claim);
}

/// load_store: a load returns another value than the selected bytes.
#[test]
fn tamper_load_store_wrong_loaded_value() {
    let mut h = honest_mem();
    let r = h.row_of(Op::I32Load, |_, _| true);
    let c = h.get(VAL_C, r);
    h.set(VAL_C, r, c ^ 0x100);
    h.assert_rejected(family("load_store"));
}

/// load_store: a store claims another word address than `A + imm` (the address column moved
/// with it, so the memory tokens are consistent with the forged address).
#[test]
fn tamper_load_store_store_to_another_address() {
    let mut h = honest_mem();
    let r = h.row_of(Op::I32Store, |_, _| true);
    let wa = h.get(WA, r);
    h.set(WA, r, wa + 1);
    h.set(ADDR_C, r, MEM_BASE + wa + 1);
    h.assert_rejected(family("load_store"));
}

/// load_store: a signed byte load claimed with the wrong sign extension (the sign bit `K`
/// cleared and the value zero-extended): the sign residue `r0` is then no byte.
#[test]
fn tamper_load_store_wrong_sign_extension() {
    let mut h = honest_mem();
    let r = h.row_of(Op::I32Load8S, |h, r| h.get(K, r) == 1);
    let c = h.get(VAL_C, r);
    h.set(K, r, 0);
    h.set(VAL_C, r, c & 0xFF);
    let r0 = h.get(R, r);
    h.set(R, r, r0 + 256);
    h.recount();
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Bus { bus: "range" } | Violation::Transition { .. }
        )
    });
}

/// load_store: a load claims the width of another load (the encoding of `i32.load16_u` on
/// an `i32.load8_u` row, with its value): the program bus refuses the opcode.
#[test]
fn tamper_load_store_wrong_width() {
    let mut h = honest_mem();
    let r = h.row_of(Op::I32Load8U, |_, _| true);
    h.set_op(r, Op::I32Load16U);
    h.recount();
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Bus { bus: "program" } | Violation::Transition { .. }
        )
    });
}

/// memory bus, access `d`: a load crossing a word boundary claims another second word (its
/// bytes, the word and the loaded value all consistent with it), a value never stored there.
#[test]
fn tamper_memory_forged_second_word() {
    let mut h = honest_mem();
    let r = h.row_of(Op::I32Load, |h, r| h.get(O, r) == 0 && h.get(Y, r) != 0);
    let y0 = h.get(Y, r);
    h.set(Y, r, y0 ^ 1);
    h.fix_lanes(r);
    let w1 = h.get(PREV_D, r) ^ 1;
    h.set(PREV_D, r, w1);
    h.set(VAL_D, r, w1);
    // the first byte of the second word is byte (4 - offset) of the loaded value
    let off = (0..4).find(|&i| h.get(O + i, r) == 1).unwrap() as u64;
    let c = h.get(VAL_C, r) ^ (1 << (8 * (4 - off)));
    h.set(VAL_C, r, c);
    h.recount();
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Bus { bus: "memory" } | Violation::Transition { .. }
        )
    });
}

/// memory bus: the first read of a data-segment word returns a forged initial value (the
/// lanes, the word and the loaded value all consistent with it): no token with that value
/// was ever produced, since the verifier adds the initial words itself.
#[test]
fn tamper_memory_forged_initial_word() {
    let mut h = honest_mem();
    let r = h.row_of(Op::I32Load8U, |_, _| true);
    // byte at offset 1 of the word is the loaded one; forge it
    let off = (0..4).find(|&i| h.get(O + i, r) == 1).unwrap();
    let byte = h.get(X + off, r);
    let forged = byte ^ 1;
    h.set(X + off, r, forged);
    h.fix_lanes(r);
    let w0 = h.get(VAL_B, r) ^ (1 << (8 * off));
    h.set(VAL_B, r, w0);
    h.set(PREV_B, r, w0);
    h.set(VAL_C, r, forged);
    h.recount();
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Bus { bus: "memory" } | Violation::Transition { .. }
        )
    });
}

/// globals + memory: `global.get` reads another global word (its address moved with the
/// claim): the address pin refuses it.
#[test]
fn tamper_globals_wrong_global() {
    let mut h = honest_mem();
    let r = h.row_of(Op::GlobalGet, |_, _| true);
    let a = h.get(ADDR_B, r);
    h.set(ADDR_B, r, a + 2);
    h.assert_rejected(family("memory"));
}

/// globals: `global.get` writes a value other than the global's.
#[test]
fn tamper_globals_wrong_value() {
    let mut h = honest_mem();
    let r = h.row_of(Op::GlobalGet, |_, _| true);
    let c = h.get(VAL_C, r);
    h.set(VAL_C, r, c + 1);
    h.assert_rejected(family("globals"));
}

/// globals (the memory-size word): `memory.size` reads a size one page larger than the
/// memory has, the read value and the result forged together so that the `globals` family
/// holds; only the memory argument, which starts the word at the verifier's initial size,
/// can notice.
#[test]
fn tamper_memory_size_word_forged() {
    let mut h = honest_run(
        r#"(module (memory 2 4)
             (func (export "f") (param i32) (result i32)
               (drop (memory.grow (local.get 0))) memory.size))"#,
        "f",
        &[0],
    );
    let r = h.row_of(Op::GlobalGet, |_, _| true);
    assert_eq!(h.get(VAL_C, r), 2, "the size word holds the initial pages");
    h.set(VAL_B, r, 3);
    h.set(PREV_B, r, 3);
    h.set(VAL_C, r, 3);
    h.recount();
    h.assert_rejected(|v| matches!(v, Violation::Bus { .. }));
}

/// The data-segment length words (`gloam_isa::image::data_length_word`): after `data.drop`,
/// `memory.init` reads the dropped segment's length word as its original length (so a copy
/// out of a dropped segment would pass its range check), read value and destination forged
/// together; the memory argument holds the 0 that `data.drop` wrote.
#[test]
fn tamper_dropped_segment_length_forged() {
    let mut h = honest_run(
        r#"(module (memory 1) (data $d "abcd")
             (func (export "f") (result i32)
               (data.drop $d)
               (memory.init $d (i32.const 0) (i32.const 0) (i32.const 0))
               (i32.load (i32.const 0))))"#,
        "f",
        &[],
    );
    // The range check reads the memory-size word (1 page) first, then the length word.
    let r = h.row_of(Op::GlobalGet, |h, r| h.get(VAL_C, r) == 0);
    h.set(VAL_B, r, 4);
    h.set(PREV_B, r, 4);
    h.set(VAL_C, r, 4);
    h.recount();
    h.assert_rejected(|v| matches!(v, Violation::Bus { .. }));
}

/// A table held in global words (`gloam_isa::image::table_words`): entries `$a`, `$b`
/// (word values 1 and 2), a `table.set` and a `call_indirect` of entry 0.
const WORD_TABLE: &str = r#"(module (type $v (func (result i32)))
     (func $a (type $v) (i32.const 10)) (func $b (type $v) (i32.const 20))
     (table 2 funcref) (elem (i32.const 0) $a $b)
     (func (export "f") (result i32)
       (table.set (i32.const 1) (ref.func $b))
       (call_indirect (type $v) (i32.const 0))))"#;

/// The `table.get` of a `call_indirect` (a `global.get_at` of entry 0, `$a`, word value 1)
/// reads it as `$b` (2), read value and destination forged together so that the `globals`
/// family holds; the memory argument, which starts the entry at the verifier's initial
/// token from the element segment, holds 1.
#[test]
fn tamper_table_entry_forged() {
    let mut h = honest_run(WORD_TABLE, "f", &[]);
    // The bounds check reads the size word (2) first, then the entry.
    let r = h.row_of(Op::GlobalGetAt, |h, r| h.get(VAL_C, r) == 1);
    h.set(VAL_B, r, 2);
    h.set(PREV_B, r, 2);
    h.set(VAL_C, r, 2);
    h.recount();
    h.assert_rejected(|v| matches!(v, Violation::Bus { .. }));
}

/// memory, `global.get_at`: the row reads another entry than the indexed one (`ADDR_B` of
/// entry 1 for index 0, with entry 1's value 2 as read value and result): the address pin
/// `ADDR_B = GLOBAL_BASE + imm + A` refuses it.
#[test]
fn tamper_global_get_at_reads_another_entry() {
    let mut h = honest_run(WORD_TABLE, "f", &[]);
    let r = h.row_of(Op::GlobalGetAt, |h, r| h.get(VAL_C, r) == 1);
    let addr = h.get(ADDR_B, r) + 1;
    h.set(ADDR_B, r, addr);
    h.set(VAL_B, r, 2);
    h.set(PREV_B, r, 2);
    h.set(VAL_C, r, 2);
    h.recount();
    h.assert_rejected(family("memory"));
}

/// memory, `global.set_at`: the row writes another entry than the indexed one (`ADDR_C` of
/// entry 0 for index 1): the address pin `ADDR_C = GLOBAL_BASE + imm + B` refuses it.
#[test]
fn tamper_global_set_at_writes_another_entry() {
    let mut h = honest_run(WORD_TABLE, "f", &[]);
    let r = h.row_of(Op::GlobalSetAt, |_, _| true);
    let addr = h.get(ADDR_C, r) - 1;
    h.set(ADDR_C, r, addr);
    h.recount();
    h.assert_rejected(family("memory"));
}

/// table: a memory-table row repeats the previous address (so a second initial token for
/// it could be produced), the gap bytes forged to the smallest byte values.
#[test]
fn tamper_table_repeated_address() {
    let mut h = honest_mem();
    let n = h.columns[0].len();
    let row = (1..n - 1)
        .find(|&r| h.get(REGION, r) == 2 && h.get(REGION, r - 1) == 2)
        .or_else(|| (1..n - 1).find(|&r| h.get(REGION, r) == 0))
        .unwrap();
    let prev = h.get(TADDR, row - 1);
    h.set(TADDR, row, prev);
    for i in 0..TABLE_GAP_BYTES {
        h.set(G + i, row - 1, 0);
    }
    h.recount();
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Transition {
                family: "table",
                ..
            } | Violation::Bus { .. }
        )
    });
}

/// carry: an address the table starts at a nonzero value without a carry-in (a padding row:
/// untouched, so its initial and final memory tokens still match). Only the `carry` family
/// sees it: a single proof's table could otherwise start any zero-initialised address (a
/// return-address slot) anywhere.
#[test]
fn tamper_carry_fresh_address_nonzero() {
    let mut h = honest_mem();
    let n = h.columns[0].len();
    let row = (0..n - 1)
        .find(|&r| h.get(REGION, r) == 0 && h.get(FTS, r) == 0 && h.get(FVAL, r) == 0 && r > 8)
        .expect("an untouched slot row");
    h.set(V_IN, row, 77);
    h.set(FVAL, row, 77);
    h.set(COUT, row, 1);
    h.assert_rejected(family("carry"));
}

/// carry: a nonzero final value not marked carried out (in a single proof the last segment's
/// carry-out is not produced, so only the `carry` family sees it; in a segment it would let
/// the next segment restart the address at zero).
#[test]
fn tamper_carry_value_dropped() {
    let mut h = honest_mem();
    let n = h.columns[0].len();
    let row = (0..n - 1)
        .find(|&r| h.get(COUT, r) == 1)
        .expect("a nonzero final value");
    h.set(COUT, row, 0);
    h.assert_rejected(family("carry"));
}

/// The `i64` lowering: the carry between the 32-bit limbs of an `i64.add` (an `lt_u` of the
/// low sum against an operand) flipped, its borrow bit with it.
#[test]
fn tamper_i64_add_forged_carry() {
    let mut h = honest_run(
        r#"(module (func (export "f") (param i64 i64) (result i64)
              local.get 0 local.get 1 i64.add))"#,
        "f",
        &[0xFFFF_FFFF, 0, 1, 0],
    );
    let r = h.row_of(Op::LtU, |_, _| true);
    let c = h.get(VAL_C, r);
    h.set(VAL_C, r, 1 - c);
    h.recount();
    h.assert_rejected(family("arith"));
}

/// A `call_indirect` lowered through a static table: the jump table dispatch redirected to
/// the entry of a function of another type (index 1 instead of the index read).
#[test]
fn tamper_call_indirect_redirected_to_another_type() {
    let mut h = honest_run(
        r#"(module (type $t (func (result i32))) (type $u (func (param i32) (result i32)))
             (func $f (result i32) i32.const 7)
             (func $g (param i32) (result i32) local.get 0)
             (table 2 funcref) (elem (i32.const 0) $f $g)
             (func (export "h") (param i32) (result i32)
               local.get 0 call_indirect (type $t)))"#,
        "h",
        &[0],
    );
    let r = h.row_of(Op::JTab, |_, _| true);
    let pc = h.get(PC, r + 1);
    h.set(PC, r + 1, pc + 1);
    h.assert_rejected(family("control"));
}

/// A static table's entry is an instruction of the program: a jump-table entry forged to
/// the other function's call stub (the row's immediate and the next row's pc changed
/// together, so the jump itself is consistent) is not an instruction of the program, and the
/// call it lands on saves a return pc that the rest of the trace does not have: the program
/// bus or the control family rejects it.
#[test]
fn tamper_static_table_forged_entry() {
    let mut h = honest_run(
        r#"(module (type $t (func (result i32)))
             (func $f (result i32) i32.const 7)
             (func $g (result i32) i32.const 8)
             (table 2 funcref) (elem (i32.const 0) $f $g)
             (func (export "h") (param i32) (result i32)
               local.get 0 call_indirect (type $t)))"#,
        "h",
        &[0],
    );
    let r = h.row_of(Op::JTab, |_, _| true) + 1;
    let target = h.get(IMM, r) + 2;
    h.set(IMM, r, target);
    h.set(PC, r + 1, target);
    h.assert_rejected(|v| {
        matches!(
            v,
            Violation::Bus { bus: "program" }
                | Violation::Transition {
                    family: "control",
                    ..
                }
        )
    });
}

/// `memory.grow`: the memory-size word written one page larger than the grown size (the
/// `global.set` of the size word writing another value than its operand).
#[test]
fn tamper_memory_grow_forged_size() {
    let mut h = honest_run(
        r#"(module (memory 1 4)
             (func (export "f") (param i32) (result i32)
               (drop (memory.grow (local.get 0))) memory.size))"#,
        "f",
        &[1],
    );
    let r = h.row_of(Op::GlobalSet, |_, _| true);
    let c = h.get(VAL_C, r);
    h.set(VAL_C, r, c + 1);
    h.assert_rejected(family("globals"));
}

/// A value in a column the program's proofs do not commit (the flag of a group none of its
/// opcodes belongs to, or advice only opcodes it lacks write) cannot reach a verifier at all; the row checker refuses
/// such a trace too, naming the column.
#[test]
fn uncommitted_column_is_refused_by_the_checker() {
    let mut h = honest();
    let committed = h.pi.committed_columns().to_vec();
    let col = (0..h.columns.len())
        .find(|c| committed.binary_search(c).is_err())
        .expect("ALL_OPS lacks some opcode");
    h.set(col, 3, 1);
    match check(&h.columns, &h.pi) {
        Err(Violation::Uncommitted { row: 3, column }) => assert_eq!(column, col),
        other => panic!("expected the uncommitted column, got {other:?}"),
    }
}

/// A data segment held in global words (`gloam_isa::image::segment_words`): the
/// `global.get_at` of `memory.init`'s loop reads the segment's first word (bytes `01 02 03
/// 04`) as another value, read value and result forged together so that `globals` holds;
/// the memory argument, which starts the word at the verifier's initial token from the
/// segment's bytes, refuses it.
#[test]
fn tamper_segment_word_forged() {
    let data = "\\01\\02\\03\\04".repeat(1100);
    let wat = format!(
        r#"(module (memory 1) (data $big "{data}")
             (func (export "f") (result i32)
               (memory.init $big (i32.const 0) (i32.const 0) (i32.const 1))
               (i32.load8_u (i32.const 0))))"#
    );
    let mut h = honest_run(&wat, "f", &[]);
    let r = h.row_of(Op::GlobalGetAt, |h, r| h.get(VAL_C, r) == 0x0403_0201);
    h.set(VAL_B, r, 0x0403_0209);
    h.set(PREV_B, r, 0x0403_0209);
    h.set(VAL_C, r, 0x0403_0209);
    h.recount();
    h.assert_rejected(|v| matches!(v, Violation::Bus { .. }));
}

/// A contract of the contract interface (`gloam_isa::io`): `f(n)` reads up to `n` public
/// bytes and 8 private bytes, commits the private count and the public bytes, and returns
/// the sum of the private bytes.
const IO_CONTRACT: &str = r#"(module
  (import "gloam" "read_public" (func $rp (param i32 i32) (result i32)))
  (import "gloam" "read_private" (func $rq (param i32 i32) (result i32)))
  (import "gloam" "commit" (func $c (param i32 i32)))
  (memory 1)
  (func (export "f") (param $n i32) (result i32) (local $k i32) (local $m i32)
    (local.set $k (call $rp (i32.const 0) (local.get $n)))
    (local.set $m (call $rq (i32.const 64) (i32.const 8)))
    (i32.store8 (i32.const 128) (local.get $m))
    (call $c (i32.const 128) (i32.const 1))
    (call $c (i32.const 0) (local.get $k))
    (i32.add (i32.load8_u (i32.const 64)) (i32.load8_u (i32.const 65)))))"#;

/// The honest trace of `IO_CONTRACT`'s `f(3)` on public input `[7, 8, 9, 10]` and private
/// input `[20, 22]`: journal `[2, 7, 8, 9]`, result 42.
fn honest_io() -> Honest {
    let program = Arc::new(gloam_isa::load_module(IO_CONTRACT.as_bytes()).expect("module"));
    let io = gloam_executor::IoInput {
        public: vec![7, 8, 9, 10],
        private: vec![20, 22],
    };
    let (out, exec) =
        gloam_executor::run_traced_io(&program, "f", &[3], &io, Limits::default()).expect("run");
    assert_eq!(
        (out.results.clone(), out.journal.clone()),
        (vec![42], vec![2, 7, 8, 9])
    );
    let (trace, pi) = gloam_prover::trace::build_main_trace_io(
        program.clone(),
        "f",
        &[3],
        &io.public,
        &out,
        &exec,
    )
    .expect("trace");
    check(&trace.columns, &pi).expect("the honest trace satisfies the AIR");
    let mut claim = Claim::i32("f", &[3], &out.results, out.cycles);
    claim.public_input = io.public.clone();
    claim.journal = out.journal.clone();
    Honest {
        program,
        columns: trace.columns,
        pi,
        claim,
    }
}

/// cmov (`advice`): a private byte whose value is not the range-checked bytes `W` of its
/// row. (Changing both is a different private input: advice is free, and the contract's own
/// checks constrain it.)
#[test]
fn tamper_advice_value_not_its_bytes() {
    let mut h = honest_io();
    let r = h.row_of(Op::Advice, |h, r| h.get(IMM, r) == 1);
    let c = h.get(VAL_C, r);
    assert_eq!(c, 20, "the first private byte");
    h.set(VAL_C, r, c + (1 << 32));
    h.assert_rejected(family("cmov"));
}

/// The honest IO trace claimed with the public input and journal `forge` makes of the honest
/// ones: the checker must name the memory bus (the verifier computes the streams' initial
/// words from the claim, and only the memory argument can notice a difference), and the
/// STARK proof must be rejected.
fn assert_forged_statement_rejected(forge: impl FnOnce(&mut gloam_isa::PublicIo)) {
    let h = honest_io();
    let mut io = h.pi.io().clone();
    forge(&mut io);
    let mut claim = h.claim.clone();
    claim.public_input = io.public_input.clone();
    claim.journal = io.journal.clone();
    let pi = h.pi.clone().with_io_replaced(io);
    let v = check(&h.columns, &pi).expect_err("a forged statement passed the checker");
    assert!(bus("memory")(&v), "unexpected violation: {v}");
    assert_stark_rejects(h.program, h.columns, pi, &claim);
}

/// The statement's journal forged: another byte where the lowered `commit` compared the
/// run's byte with the journal's initial word.
#[test]
fn tamper_statement_journal_forged() {
    assert_forged_statement_rejected(|io| io.journal[2] ^= 1);
}

/// The statement's journal cut short by its last byte: the entry wrapper's end check read
/// the journal length the verifier sets from the claim.
#[test]
fn tamper_statement_journal_truncated() {
    assert_forged_statement_rejected(|io| {
        io.journal.pop();
    });
}

/// The statement's journal with one byte more than the run committed.
#[test]
fn tamper_statement_journal_extended() {
    assert_forged_statement_rejected(|io| io.journal.push(9));
}

/// The statement's public input forged (a byte the run read).
#[test]
fn tamper_statement_public_input_forged() {
    assert_forged_statement_rejected(|io| io.public_input[0] = 6);
}
