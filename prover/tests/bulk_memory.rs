//! `memory.fill`, `memory.copy` and `memory.init` of a module's own memory, lowered into range
//! checks (against the memory-size word and the data-segment length words) and byte loops
//! (`isa/src/frontend/func/storage.rs`), proven end to end; the results are checked against a
//! model of the memory in Rust.

mod common;

use std::sync::Arc;

use gloam_executor::Limits;
use gloam_isa::{Program, TrapKind};
use gloam_prover::ProveError;

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
    common::prove_i32(&program(), "f", &args)
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
        common::expect_trap(&program(), "f", &args, TrapKind::MemoryOutOfBounds);
    }
    // Zero bytes exactly at the end are in bounds (then the fill of 3 bytes traps).
    let p = program();
    let e = gloam_executor::run(&p, "f", &[65536, 100, 0, 0], Limits::default()).unwrap_err();
    assert_eq!(e.trap_kind(), Some(TrapKind::MemoryOutOfBounds));
}

/// `init(d, s, n, drop)`: `memory.init` of passive segment `$p` (`"GLOAM-init"`, 10 bytes)
/// at `d` from `s` for `n` bytes, after `data.drop $p` if `drop` is nonzero; returns the
/// checksum of bytes 0..32 as [`BULK`] does. The module also has an active segment, which
/// instantiation drops, and a start function that copies `"ok"` from `$p` to byte 30.
const INIT: &str = r#"(module (memory 1)
  (data $p "GLOAM-init")
  (data $a (i32.const 16) "xy")
  (func $start (memory.init $p (i32.const 30) (i32.const 8) (i32.const 2)))
  (start $start)
  (func (export "init") (param $d i32) (param $s i32) (param $n i32) (param $drop i32)
    (result i32)
    (local $i i32) (local $sum i32)
    (if (local.get $drop) (then (data.drop $p)))
    (memory.init $p (local.get $d) (local.get $s) (local.get $n))
    (block $done (loop $sum
      (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
      (local.set $sum (i32.add (local.get $sum)
        (i32.mul (i32.load8_u (local.get $i)) (i32.add (local.get $i) (i32.const 1)))))
      (local.set $i (i32.add (local.get $i) (i32.const 1)))
      (br $sum)))
    (local.get $sum))
  (func (export "init_active") (result i32)
    (memory.init $a (i32.const 0) (i32.const 0) (i32.const 1))
    (i32.const 1)))"#;

fn init_model(d: u32, s: u32, n: u32) -> u32 {
    let seg = b"GLOAM-init";
    let mut mem = vec![0u8; 65536];
    mem[16..18].copy_from_slice(b"xy");
    mem[30..32].copy_from_slice(b"it");
    let (d, s, n) = (d as usize, s as usize, n as usize);
    mem[d..d + n].copy_from_slice(&seg[s..s + n]);
    (0..32u32).fold(0u32, |acc, i| {
        acc.wrapping_add(mem[i as usize] as u32 * (i + 1))
    })
}

fn init_program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(INIT.as_bytes()).expect("valid module"))
}

fn prove_init(entry: &str, args: &[u32]) -> Result<u32, ProveError> {
    common::prove_i32(&init_program(), entry, args)
}

/// `memory.init` from a passive segment (whole, a middle part, zero bytes at its end) and the
/// start function's copy, proven with the model's results; the segment bounds (past its end,
/// `s + n` wrapping, after `data.drop`, an active segment after instantiation) and the memory
/// bounds trap before anything is written, so those runs are refused with the trap.
#[test]
fn memory_init_is_proven_with_its_bounds() {
    for [d, s, n] in [[0, 0, 10], [3, 2, 5], [20, 10, 0]] {
        assert_eq!(
            prove_init("init", &[d, s, n, 0]).unwrap(),
            init_model(d, s, n),
            "init({d}, {s}, {n})"
        );
    }
    // Zero bytes from a dropped segment's start are in bounds.
    assert_eq!(
        prove_init("init", &[0, 0, 0, 1]).unwrap(),
        init_model(0, 0, 0)
    );
    let traps: [(&str, &[u32]); 6] = [
        ("init", &[0, 8, 3, 0]),
        ("init", &[0, 11, 0, 0]),
        ("init", &[0, 1, u32::MAX, 0]),
        ("init", &[0, 0, 1, 1]),
        ("init", &[65530, 0, 7, 0]),
        ("init_active", &[]),
    ];
    for (entry, args) in traps {
        common::expect_trap(&init_program(), entry, args, TrapKind::MemoryOutOfBounds);
    }
    let p = gloam_isa::load_module(INIT.as_bytes()).unwrap();
    assert!(!p
        .instrs
        .iter()
        .any(|i| matches!(i.op, gloam_isa::Op::MemoryInit | gloam_isa::Op::DataDrop)));
    // The two `memory.init`s of `$p` (start function, export) share one `memory.init`
    // function, so the segment's jump table is in the program once.
    let inits: Vec<_> = p
        .functions
        .iter()
        .filter(|f| f.name.starts_with("memory.init"))
        .collect();
    assert_eq!(inits.len(), 1);
    assert_eq!(
        p.instrs
            .iter()
            .filter(|i| i.op == gloam_isa::Op::JTab)
            .count(),
        1
    );
}

/// A passive segment longer than `image::MAX_JUMP_TABLE_SEGMENT` (20,000 bytes, byte `i` =
/// `(7 i + 3) mod 256`, so some are zero) is held in global words, four bytes to a word, and
/// `memory.init` reads it with `global.get_at`. `big(d, s, n, drop)` copies `n` bytes from
/// `s` to `d` (after `data.drop` if `drop`) and returns the checksum of the 32 bytes at `d`.
#[test]
fn a_long_passive_segment_is_held_in_global_words() {
    let byte = |i: usize| ((7 * i + 3) % 256) as u8;
    let data: String = (0..20_000).map(|i| format!("\\{:02x}", byte(i))).collect();
    let wat = format!(
        r#"(module (memory 1) (data $big "{data}")
             (func (export "big") (param $d i32) (param $s i32) (param $n i32) (param $drop i32)
               (result i32) (local $i i32) (local $sum i32)
               (if (local.get $drop) (then (data.drop $big)))
               (memory.init $big (local.get $d) (local.get $s) (local.get $n))
               (block $done (loop $sum
                 (br_if $done (i32.ge_u (local.get $i) (i32.const 32)))
                 (local.set $sum (i32.add (local.get $sum)
                   (i32.mul (i32.load8_u (i32.add (local.get $d) (local.get $i)))
                            (i32.add (local.get $i) (i32.const 1)))))
                 (local.set $i (i32.add (local.get $i) (i32.const 1)))
                 (br $sum)))
               (local.get $sum))
             (func (export "copy_drop") (param $s i32) (result i32)
               (memory.init $big (i32.const 0) (local.get $s) (i32.const 4))
               (data.drop $big)
               (i32.load (i32.const 0))))"#
    );
    let p = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("valid module"));
    assert_eq!(p.data_words, vec![0]);
    // Copied, then dropped: the words the copy read keep their initial value (nothing
    // writes them), which the memory table's final tokens must show.
    let word = |s: usize| u32::from_le_bytes([byte(s), byte(s + 1), byte(s + 2), byte(s + 3)]);
    for s in [0u32, 4097, 19_996] {
        assert_eq!(
            common::prove_i32(&p, "copy_drop", &[s]).unwrap(),
            word(s as usize),
            "copy_drop({s})"
        );
    }
    assert!(!p.instrs.iter().any(|i| i.op == gloam_isa::Op::MemoryInit));
    assert!(p.instrs.len() < 1_000, "{} instructions", p.instrs.len());
    let model = |d: usize, s: usize, n: usize| -> u32 {
        let mut mem = vec![0u8; 65536];
        for k in 0..n {
            mem[d + k] = byte(s + k);
        }
        (0..32).map(|i| mem[d + i] as u32 * (i as u32 + 1)).sum()
    };
    for [d, s, n] in [[0u32, 0, 32], [100, 4097, 13], [7, 19_990, 10], [64, 5, 0]] {
        assert_eq!(
            common::prove_i32(&p, "big", &[d, s, n, 0]).unwrap(),
            model(d as usize, s as usize, n as usize),
            "big({d}, {s}, {n})"
        );
    }
    for args in [
        [0u32, 19_995, 6, 0],
        [0, 20_001, 0, 0],
        [0, 0, 1, 1],
        [65_530, 0, 7, 0],
    ] {
        common::expect_trap(&p, "big", &args, TrapKind::MemoryOutOfBounds);
    }
}
