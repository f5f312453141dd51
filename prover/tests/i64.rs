//! Entries with `i64` parameters and results: the statement's words are the values' limbs
//! (low word first), which are the entry's packed argument and result slots.

use std::sync::Arc;

use gloam_executor::{run_traced, Limits};
use gloam_isa::{value_words, IntValue, Program};
use gloam_prover::trace::build_main_trace;
use gloam_prover::{prove_values, ProveConfig};

const WIDE: &str = r#"(module
  (func (export "mix") (param i64 i32 i64) (result i64 i32)
    local.get 0 local.get 2 i64.mul local.get 0 local.get 2 i64.div_u i64.xor
    local.get 0 i64.const 13 i64.rotl i64.add
    local.get 1 local.get 0 i64.const 40 i64.shr_u i32.wrap_i64 i32.add))"#;

fn program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(WIDE.as_bytes()).expect("valid module"))
}

fn reference(a: u64, b: u32, c: u64) -> (u64, u32) {
    (
        (a.wrapping_mul(c) ^ (a / c)).wrapping_add(a.rotate_left(13)),
        b.wrapping_add((a >> 40) as u32),
    )
}

/// The traced run takes and gives words, and the public inputs carry exactly those words.
#[test]
fn i64_entry_words_are_the_public_inputs() {
    let p = program();
    let (a, b, c) = (0xdead_beef_0123_4567u64, 77u32, 0x1_0000_0003u64);
    let args = [IntValue::I64(a), IntValue::I32(b), IntValue::I64(c)];
    let words = value_words(&args);
    assert_eq!(words.len(), 5);
    let (out, exec) = run_traced(&p, "mix", &words, Limits::default()).unwrap();
    let (r0, r1) = reference(a, b, c);
    assert_eq!(
        out.results,
        value_words(&[IntValue::I64(r0), IntValue::I32(r1)])
    );
    let (_, pi) = build_main_trace(p, "mix", &words, &out, &exec).unwrap();
    assert_eq!(pi.args, words);
    assert_eq!(pi.results, out.results);
}

/// End to end: proven, verified, with typed values in the proof file.
#[test]
fn i64_entry_proves_and_verifies() {
    let p = program();
    let (a, b, c) = (u64::MAX - 5, 1u32, 3u64);
    let args = [IntValue::I64(a), IntValue::I32(b), IntValue::I64(c)];
    let run = prove_values(p.clone(), "mix", &args, &ProveConfig::default()).unwrap();
    let (r0, r1) = reference(a, b, c);
    assert_eq!(run.file.results, vec![IntValue::I64(r0), IntValue::I32(r1)]);
    assert_eq!(run.file.args, args.to_vec());
    let st = gloam_verifier::verify_file(&p, &run.file.to_bytes()).unwrap();
    assert_eq!(st.claim.results, run.file.results);
}
