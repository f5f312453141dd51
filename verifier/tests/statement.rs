//! One proof, one statement: regression tests for the four defects found adversarially in
//! what a proof binds (issue "Prove every contract the executor runs", part one).
//!
//! 1. Public values are canonical: `cycles + p` does not verify with the proof of `cycles`.
//! 2. Module setup is part of the statement: a proof about a module whose instantiation
//!    traps, or whose start function would run first, or that imports, is refused by the
//!    verifier exactly as the honest prover refuses it.
//! 3. Stack limits are not part of the statement (WebAssembly leaves them to the
//!    implementation): what a proof of a deep recursion means is tested here as documented.
//! 4. Entry signatures: the claim's values carry types, checked against the export's type.

use std::sync::Arc;

use gloam_air::proof_file::{ProofFile, ProofFileError};
use gloam_air::{default_options, MAX_TRACE_LEN};
use gloam_executor::{run_traced, ExecError, Limits};
use gloam_isa::{check_setup, IntValue, Program, SetupError, TrapKind};
use gloam_prover::trace::build_main_trace;
use gloam_prover::{prove, prove_trace, prove_values, GloamTrace, ProveConfig, ProveError};
use gloam_verifier::{claim_words, verify, verify_file, Claim, VerifyError};

/// The Goldilocks modulus.
const P: u64 = 0xFFFF_FFFF_0000_0001;

const GCD: &str = r#"(module (func (export "gcd") (param i32 i32) (result i32) (local i32)
    block loop local.get 1 i32.eqz br_if 1
      local.get 0 local.get 1 i32.rem_u local.set 2 local.get 1 local.set 0
      local.get 2 local.set 1 br 0 end end local.get 0))"#;

fn load(wat: &str) -> Arc<Program> {
    Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("valid module"))
}

/// `gcd(1071, 462)` and its honest proof.
fn gcd_proof() -> (Arc<Program>, gloam_prover::ProvenRun) {
    let program = load(GCD);
    let run = prove(
        program.clone(),
        "gcd",
        &[1071, 462],
        &ProveConfig::default(),
    )
    .unwrap();
    (program, run)
}

#[test]
fn cycles_are_canonical() {
    let (program, run) = gcd_proof();
    let good = run.file.to_bytes();
    let st = verify_file(&program, &good).expect("honest proof");
    assert_eq!(st.claim.results, vec![IntValue::I32(21)]);

    // The attack: the same proof file claiming `cycles + p` (which `Felt::new` reduces to
    // `cycles`) and other non-canonical or impossible counts.
    for cycles in [
        run.file.cycles + P,
        run.file.cycles.wrapping_sub(P),
        MAX_TRACE_LEN as u64,
        u64::MAX,
    ] {
        let mut f = run.file.clone();
        f.cycles = cycles;
        let e = verify_file(&program, &f.to_bytes()).unwrap_err();
        assert!(
            matches!(e, VerifyError::Claim(ref m) if m.contains("2^22")),
            "claim of {cycles} cycles: {e}"
        );
    }
    // Below 2^22 but beyond the trace: refused by the shape check before the STARK check.
    let mut f = run.file.clone();
    f.cycles = (1 << 14) + run.file.cycles;
    let e = verify_file(&program, &f.to_bytes()).unwrap_err();
    assert!(
        matches!(e, VerifyError::Shape(ref m) if m.contains("cycles")),
        "{e}"
    );
}

/// Proves `entry(args)` of `program` through the public low-level API (executor, trace
/// builder, STARK prover), bypassing the honest prover's setup check: `run_program` is a copy
/// of `program` whose setup does not trap, with the same instructions.
fn prove_bypassing_setup(
    program: &Arc<Program>,
    run_program: &Program,
    entry: &str,
    args: &[u32],
) -> (Claim, Vec<u8>) {
    let (out, exec) = run_traced(run_program, entry, args, Limits::default()).expect("run");
    let (trace, pi) = build_main_trace(program.clone(), entry, args, &out, &exec).expect("trace");
    let proof = prove_trace(
        GloamTrace::new(trace.columns, &pi),
        pi,
        default_options(),
        None,
    )
    .expect("the STARK prover does not look at the module setup");
    (
        Claim::i32(entry, args, &out.results, out.cycles),
        proof.to_bytes(),
    )
}

#[test]
fn module_setup_is_part_of_the_statement() {
    // An active data segment past the end of memory: instantiation traps, so no export of
    // this module can run.
    let oob = load(&GCD.replace(
        "(module",
        r#"(module (memory 1) (data (i32.const 65535) "ab")"#,
    ));
    let mut fixed = (*oob).clone();
    fixed.module.datas.clear();
    let (claim, stark) = prove_bypassing_setup(&oob, &fixed, "gcd", &[12, 18]);
    let e = verify(&oob, &claim, &stark).unwrap_err();
    assert!(
        matches!(
            e,
            VerifyError::Setup(SetupError::SegmentOutOfBounds { kind: "data", .. })
        ),
        "{e}"
    );
    // The honest prover refuses the same module with the same reason.
    let e = prove(oob.clone(), "gcd", &[12, 18], &ProveConfig::default()).err();
    assert!(
        matches!(
            e,
            Some(ProveError::Setup(SetupError::SegmentOutOfBounds { .. }))
        ),
        "{e:?}"
    );

    // An element segment past the end of its table.
    let oob = load(&GCD.replace(
        "(module",
        r#"(module (table 1 funcref) (elem (i32.const 1) 0)"#,
    ));
    let mut fixed = (*oob).clone();
    fixed.module.elems.clear();
    let (claim, stark) = prove_bypassing_setup(&oob, &fixed, "gcd", &[12, 18]);
    assert!(matches!(
        verify(&oob, &claim, &stark),
        Err(VerifyError::Setup(SetupError::SegmentOutOfBounds {
            kind: "element",
            ..
        }))
    ));

    // A start function (here one that traps): a proof covers its run, so a trace of the
    // export alone, skipping it, is rejected, and the prover refuses the run with the trap.
    let start = load(&GCD.replace("(module", "(module (func $boom unreachable) (start $boom)"));
    assert_eq!(check_setup(&start.module), Ok(()));
    let mut fixed = (*start).clone();
    fixed.module.start = None;
    fixed.start_entries.clear();
    let (claim, stark) = prove_bypassing_setup(&start, &fixed, "gcd", &[12, 18]);
    let e = verify(&start, &claim, &stark).unwrap_err();
    assert!(matches!(e, VerifyError::Rejected(_)), "{e}");
    let e = prove(start, "gcd", &[12, 18], &ProveConfig::default()).err();
    assert!(
        matches!(
            e,
            Some(ProveError::Exec(ExecError::Trap {
                kind: TrapKind::Unreachable,
                ..
            }))
        ),
        "{e:?}"
    );

    // An import (never called by the proven export).
    let import = load(&GCD.replace("(module", r#"(module (import "env" "f" (func))"#));
    let mut fixed = (*import).clone();
    fixed.module.imports.clear();
    fixed.module.num_func_imports = 0;
    let e = verify(&import, &Claim::i32("gcd", &[12, 18], &[6], 40), &[]).unwrap_err();
    assert!(
        matches!(e, VerifyError::Setup(SetupError::Import { .. })),
        "{e}"
    );
    assert!(matches!(
        prove(import, "gcd", &[12, 18], &ProveConfig::default()),
        Err(ProveError::Setup(SetupError::Import { .. }))
    ));

    // A segment that fits is fine: setup then decides nothing the proof leaves out.
    let ok = load(&GCD.replace(
        "(module",
        r#"(module (memory 1) (data (i32.const 65534) "ab")"#,
    ));
    let run = prove(ok.clone(), "gcd", &[12, 18], &ProveConfig::default()).unwrap();
    assert!(verify_file(&ok, &run.file.to_bytes()).is_ok());
}

#[test]
fn entry_name_is_bound() {
    // One function exported under two names: a proof for one name must not verify for the
    // other (found in review: the node would have recorded it as two runs).
    let program = load(
        r#"(module (func (export "a") (export "b") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add))"#,
    );
    let run = prove(program.clone(), "a", &[41], &ProveConfig::default()).unwrap();
    assert!(verify_file(&program, &run.file.to_bytes()).is_ok());
    let mut f = run.file.clone();
    f.entry = "b".into();
    let e = verify_file(&program, &f.to_bytes()).unwrap_err();
    assert!(matches!(e, VerifyError::Rejected(_)), "{e}");
    // Proven under its other name, it verifies under that name only.
    let run_b = prove(program.clone(), "b", &[41], &ProveConfig::default()).unwrap();
    assert!(verify_file(&program, &run_b.file.to_bytes()).is_ok());
    assert_ne!(run.file.stark, run_b.file.stark);
}

#[test]
fn stack_limits_are_not_part_of_the_statement() {
    let program = load(
        r#"(module (func $d (export "depth") (param i32) (result i32)
            local.get 0 i32.eqz if (result i32) i32.const 0 else
            local.get 0 i32.const 1 i32.sub call $d i32.const 1 i32.add end))"#,
    );
    // Under a call-depth limit of 100 the run exhausts the stack: this prover refuses it...
    let small = ProveConfig {
        limits: Limits {
            max_call_depth: 100,
            ..ProveConfig::default().limits
        },
        ..ProveConfig::default()
    };
    match prove(program.clone(), "depth", &[200], &small) {
        Err(ProveError::Exec(ExecError::Trap {
            kind: TrapKind::StackExhausted,
            ..
        })) => {}
        other => panic!("expected stack exhaustion, got {:?}", other.err()),
    }
    // ...while a prover with the default limits proves it, and the verifier, which sees no
    // limit, accepts: the statement is the run's result with the stack it needs
    // (docs/air.md §1).
    let run = prove(program.clone(), "depth", &[200], &ProveConfig::default()).unwrap();
    let st = verify_file(&program, &run.file.to_bytes()).unwrap();
    assert_eq!(st.claim.results, vec![IntValue::I32(200)]);
}

#[test]
fn claims_are_typed_by_the_entry_signature() {
    let (program, run) = gcd_proof();
    let stark = run.file.stark.clone();
    let honest = Claim::i32("gcd", &[1071, 462], &[21], run.file.cycles);
    assert!(verify(&program, &honest, &stark).is_ok());

    // The same bit patterns typed i64, a missing and an extra value: refused as claims.
    let mut c = honest.clone();
    c.args[0] = IntValue::I64(1071);
    assert!(
        matches!(verify(&program, &c, &stark), Err(VerifyError::Claim(m)) if m.contains("i64"))
    );
    let mut c = honest.clone();
    c.results[0] = IntValue::I64(21);
    assert!(matches!(
        verify(&program, &c, &stark),
        Err(VerifyError::Claim(_))
    ));
    let mut c = honest.clone();
    c.args.pop();
    assert!(matches!(
        verify(&program, &c, &stark),
        Err(VerifyError::Claim(_))
    ));
    let mut c = honest.clone();
    c.results.push(IntValue::I32(0));
    assert!(matches!(
        verify(&program, &c, &stark),
        Err(VerifyError::Claim(_))
    ));

    // The prover checks the same types before running.
    let e = prove_values(
        program.clone(),
        "gcd",
        &[IntValue::I32(1071), IntValue::I64(462)],
        &ProveConfig::default(),
    )
    .err();
    assert!(matches!(e, Some(ProveError::Args { .. })), "{e:?}");

    // The proof file records the types; an untyped version-1 file is refused by version.
    let file = ProofFile::from_bytes(&run.file.to_bytes()).unwrap();
    assert_eq!(file.args, vec![IntValue::I32(1071), IntValue::I32(462)]);
    let mut v1 = run.file.to_bytes();
    v1[8..10].copy_from_slice(&1u16.to_le_bytes());
    assert_eq!(
        ProofFile::from_bytes(&v1).unwrap_err(),
        ProofFileError::Version(1)
    );
}

/// The memory image and the layout are part of the statement: a module's data segment is
/// added to the memory argument by the verifier from the module, so the same proof does not
/// verify for a module whose data differs in one byte; and a program with memory cannot be
/// proven in the narrow layout (its trace width is checked against the program's layout).
#[test]
fn memory_image_and_layout_are_bound() {
    const WAT: &str = r#"(module (memory 1) (data (i32.const 8) "\05\00\00\00")
        (func (export "get") (result i32) i32.const 8 i32.load))"#;
    let program = load(WAT);
    let run = prove(program.clone(), "get", &[], &ProveConfig::default()).expect("prove");
    let claim = Claim::i32("get", &[], &[5], run.outcome.cycles);
    let bytes = run.file.stark.clone();
    assert!(verify(&program, &claim, &bytes).is_ok());
    // One byte of the data segment changed: another program hash, and another memory image.
    let other = load(&WAT.replace("\\05", "\\06"));
    assert!(verify(&other, &claim, &bytes).is_err());
    // A narrow-layout proof (of a program without memory returning the same value) offered
    // for the program with memory is refused by its shape before anything else.
    let narrow = load(r#"(module (func (export "get") (result i32) i32.const 5))"#);
    let nrun = prove(narrow, "get", &[], &ProveConfig::default()).expect("prove");
    let nclaim = Claim::i32("get", &[], &[5], nrun.outcome.cycles);
    let e = verify(&program, &nclaim, &nrun.file.stark).expect_err("narrow proof refused");
    assert!(e.to_string().contains("width"), "{e}");
}

/// An `i64` in a claim is two statement words, low then high, in the order of the entry's
/// signature (the entry's packed argument and result slots); the claim is still typed by the
/// signature. Decided without a proof.
#[test]
fn i64_claims_are_argument_and_result_words() {
    let wide = load(
        r#"(module (func (export "w") (param i32 i64) (result i64 i32)
             local.get 1 local.get 0))"#,
    );
    let c = Claim {
        entry: "w".into(),
        args: vec![IntValue::I32(7), IntValue::I64(0x1122_3344_5566_7788)],
        results: vec![IntValue::I64(u64::MAX - 1), IntValue::I32(9)],
        cycles: 10,
        public_input: Vec::new(),
        journal: Vec::new(),
    };
    let (args, results) = claim_words(&wide, &c).unwrap();
    assert_eq!(args, vec![7, 0x5566_7788, 0x1122_3344]);
    assert_eq!(results, vec![u32::MAX - 1, u32::MAX, 9]);
    // The same words typed differently are not this entry's claim.
    let mut bad = c.clone();
    bad.args = vec![
        IntValue::I32(7),
        IntValue::I32(0x5566_7788),
        IntValue::I32(0x1122_3344),
    ];
    assert!(
        matches!(claim_words(&wide, &bad), Err(VerifyError::Claim(m)) if m.contains("argument"))
    );
    let mut bad = c.clone();
    bad.results.swap(0, 1);
    assert!(matches!(
        claim_words(&wide, &bad),
        Err(VerifyError::Claim(_))
    ));
    // The prover's words come from the same function.
    assert_eq!(gloam_isa::value_words(&c.args), args);
}
