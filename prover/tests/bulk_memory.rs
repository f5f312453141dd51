//! `memory.fill` and `memory.copy` of a module's own memory, lowered into a range check
//! against the memory-size word and byte loops (`isa/src/frontend/func/storage.rs`), proven
//! end to end; the results are checked against a model of the memory in Rust.

use std::sync::Arc;

use gloam_executor::{ExecError, Limits};
use gloam_isa::{IntValue, Program, TrapKind};
use gloam_prover::{prove_values, ProveConfig, ProveError};

/// `f(d, s, n, v)`: writes the pattern `i * 7 + 1` into the 16 bytes at 100, then
/// `memory.copy(d, s, n)`, then `memory.fill(d + n, v, 3)`, and returns a checksum of bytes
/// 96..128 (the sum of `byte * (address + 1)`).
const BULK: &str = r#"(module (memory 1)
  (func (export "f") (param $d i32) (param $s i32) (param $n i32) (param $v i32) (result i32)
    (local $i i32) (local $sum i32)
    (block $done (loop $fill
      (br_if $done (i32.ge_u (local.get $i) (i32.const 16)))
      (i32.store8 (i32.add (i32.const 100) (local.get $i))
                  (i32.add (i32.mul (local.get $i) (i32.const 7)) (i32.const 1)))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $fill)))
    (memory.copy (local.get $d) (local.get $s) (local.get $n))
    (memory.fill (i32.add (local.get $d) (local.get $n)) (local.get $v) (i32.const 3))
    (local.set $i (i32.const 96))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $i) (i32.const 128)))
      (local.set $sum (i32.add (local.get $sum)
        (i32.mul (i32.load8_u (local.get $i)) (i32.add (local.get $i) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum)))
    (local.get $sum)))"#;

fn model(d: u32, s: u32, n: u32, v: u32) -> u32 {
    let mut mem = vec![0u8; 65536];
    for i in 0..16 {
        mem[100 + i] = (i * 7 + 1) as u8;
    }
    let (d, s, n) = (d as usize, s as usize, n as usize);
    mem.copy_within(s..s + n, d);
    mem[d + n..d + n + 3].fill(v as u8);
    (96..128u32).fold(0u32, |acc, i| {
        acc.wrapping_add(mem[i as usize] as u32 * (i + 1))
    })
}

fn program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(BULK.as_bytes()).expect("valid module"))
}

fn prove_f(args: [u32; 4]) -> Result<u32, ProveError> {
    let p = program();
    let typed: Vec<IntValue> = args.iter().map(|a| IntValue::I32(*a)).collect();
    let run = prove_values(p.clone(), "f", &typed, &ProveConfig::default())?;
    let st = gloam_verifier::verify_file(&p, &run.file.to_bytes()).expect("verifies");
    let [IntValue::I32(r)] = st.claim.results[..] else {
        panic!("one i32 result");
    };
    Ok(r)
}

/// Copies forward (`d < s`), backward (`d > s`, overlapping: memmove), of zero bytes, and
/// fills, proven and verified with the model's results.
#[test]
fn fill_and_copy_are_proven() {
    for args in [
        [98, 100, 10, 0xab],
        [104, 100, 12, 0x1ff],
        [100, 100, 16, 5],
        [120, 100, 0, 9],
    ] {
        let [d, s, n, v] = args;
        assert_eq!(prove_f(args).unwrap(), model(d, s, n, v), "{args:?}");
    }
    // The lowered program has no executor-only bulk instruction left.
    assert!(!program()
        .instrs
        .iter()
        .any(|i| matches!(i.op, gloam_isa::Op::MemoryFill | gloam_isa::Op::MemoryCopy)));
}

/// Ranges past the memory's end trap before anything is written (also with zero bytes one
/// past the end, and with `start + n` wrapping past 2^32), so such runs are refused with the
/// trap.
#[test]
fn out_of_bounds_ranges_are_refused_with_the_trap() {
    for args in [
        [65530, 100, 8, 0],
        [98, 65535, 2, 0],
        [98, 65537, 0, 0],
        [98, 100, u32::MAX, 0],
    ] {
        match prove_f(args) {
            Err(ProveError::Exec(ExecError::Trap { kind, .. })) => {
                assert_eq!(kind, TrapKind::MemoryOutOfBounds, "{args:?}")
            }
            other => panic!("{args:?}: expected the out-of-bounds trap, got {other:?}"),
        }
    }
    // Zero bytes exactly at the end are in bounds (then the fill of 3 bytes traps).
    let p = program();
    let e = gloam_executor::run(&p, "f", &[65536, 100, 0, 0], Limits::default()).unwrap_err();
    assert_eq!(e.trap_kind(), Some(TrapKind::MemoryOutOfBounds));
}
