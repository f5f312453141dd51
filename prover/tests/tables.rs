//! Tables that change, held in global words (`gloam_isa::image::table_words`):
//! `table.get/set/size/grow/fill/copy/init`, `elem.drop`, `ref.func`, `ref.is_null` and
//! `call_indirect` through such a table, lowered into bounds checks, jump tables and loops
//! (`isa/src/frontend/func/storage.rs`, `call_through_words` in `control.rs`), proven end to
//! end; results are checked against a model of the table in Rust, and every trap kind is
//! refused with the trap.

mod common;

use std::sync::Arc;

use gloam_executor::ExecError;
use gloam_isa::{IntValue, Op, Program, TrapKind};
use gloam_prover::{prove_values, ProveConfig, ProveError};

/// Table `$t` (funcref, 4 entries, at most 8) starts as `[$a, null, null, null]`; `$a`,
/// `$b` return 10 and 20; `$c` has another type. `mix(i, j, n, drop)`: `elem.drop $p` if
/// `drop`, `table.init $t $p (i, j, n)` from the passive segment `$p = [$b, $a, null, $b]`,
/// `table.grow $t` by 2 with `$b` (result `g`), `table.fill` of entry 5 with `$a`,
/// `table.copy` of 3 entries from 0 to 1 (overlapping: backward), then returns
/// `g * 1000 + sum over k < size of (k + 1) * v(k)`, where `v(k)` is 0 for a null entry
/// (`table.get`, `ref.is_null`) and the entry's `call_indirect` result otherwise. It also
/// grows the externref table `$x` by one and adds its size times 100000. `call(i)` puts
/// `$c` at entry 1 and calls entry `i`.
const TABLES: &str = r#"(module
  (type $v (func (result i32)))
  (type $w (func (param i32) (result i32)))
  (func $a (type $v) (i32.const 10))
  (func $b (type $v) (i32.const 20))
  (func $c (type $w) (local.get 0))
  (table $t 4 8 funcref)
  (table $x 1 externref)
  (elem (table $t) (i32.const 0) func $a)
  (elem $p funcref (ref.func $b) (ref.func $a) (ref.null func) (ref.func $b))
  (elem declare func $c)
  (func $value (param $k i32) (result i32)
    (if (result i32) (ref.is_null (table.get $t (local.get $k)))
      (then (i32.const 0))
      (else (call_indirect $t (type $v) (local.get $k)))))
  (func (export "mix") (param $i i32) (param $j i32) (param $n i32) (param $drop i32)
    (result i32)
    (local $g i32) (local $k i32) (local $sum i32)
    (if (local.get $drop) (then (elem.drop $p)))
    (table.init $t $p (local.get $i) (local.get $j) (local.get $n))
    (local.set $g (table.grow $t (ref.func $b) (i32.const 2)))
    (table.fill $t (i32.const 5) (ref.func $a) (i32.const 1))
    (table.copy $t $t (i32.const 1) (i32.const 0) (i32.const 3))
    (block $done (loop $each
      (br_if $done (i32.ge_u (local.get $k) (table.size $t)))
      (local.set $sum (i32.add (local.get $sum)
        (i32.mul (i32.add (local.get $k) (i32.const 1)) (call $value (local.get $k)))))
      (local.set $k (i32.add (local.get $k) (i32.const 1)))
      (br $each)))
    (drop (table.grow $x (ref.null extern) (i32.const 1)))
    (i32.add (i32.mul (table.size $x) (i32.const 100000))
      (i32.add (i32.mul (local.get $g) (i32.const 1000)) (local.get $sum))))
  (func (export "get") (param $i i32) (result i32)
    (ref.is_null (table.get $t (local.get $i))))
  (func (export "call") (param $i i32) (result i32)
    (table.set $t (i32.const 1) (ref.func $c))
    (call_indirect $t (type $v) (local.get $i)))
  (func (export "fill") (param $i i32) (param $n i32) (result i32)
    (table.fill $t (local.get $i) (ref.null func) (local.get $n))
    (table.size $t))
  (func (export "copy") (param $d i32) (param $s i32) (param $n i32) (result i32)
    (table.copy $t $t (local.get $d) (local.get $s) (local.get $n))
    (table.size $t))
  (func (export "grow") (param $n i32) (result i32)
    (table.grow $t (ref.null func) (local.get $n))))"#;

/// An entry of the model: a function returning a value, or null.
#[derive(Clone, Copy, PartialEq)]
enum Entry {
    Null,
    Ret(u32),
}

fn mix_model(i: u32, j: u32, n: u32) -> u32 {
    use Entry::*;
    let seg = [Ret(20), Ret(10), Null, Ret(20)];
    let mut t = vec![Ret(10), Null, Null, Null];
    let (i, j, n) = (i as usize, j as usize, n as usize);
    t[i..i + n].copy_from_slice(&seg[j..j + n]);
    let g = t.len() as u32;
    t.extend([Ret(20), Ret(20)]);
    t[5] = Ret(10);
    t.copy_within(0..3, 1);
    let sum = t.iter().enumerate().fold(0u32, |acc, (k, e)| match e {
        Ret(v) => acc + (k as u32 + 1) * v,
        Null => acc,
    });
    2 * 100_000 + g * 1000 + sum
}

fn program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(TABLES.as_bytes()).expect("valid module"))
}

fn prove(entry: &str, args: &[u32]) -> Result<u32, ProveError> {
    common::prove_i32(&program(), entry, args)
}

fn expect_trap(entry: &str, args: &[u32], want: TrapKind) {
    common::expect_trap(&program(), entry, args, want)
}

/// The whole sequence proven with the model's results: `table.init` of the whole segment,
/// a middle part and nothing; after `elem.drop`, zero items still initialise.
#[test]
fn table_instructions_are_proven() {
    for [i, j, n] in [[0, 0, 4], [1, 1, 3], [2, 3, 1], [4, 4, 0]] {
        assert_eq!(
            prove("mix", &[i, j, n, 0]).unwrap(),
            mix_model(i, j, n),
            "mix({i}, {j}, {n})"
        );
    }
    assert_eq!(prove("mix", &[0, 0, 0, 1]).unwrap(), mix_model(0, 0, 0));
    assert_eq!(prove("grow", &[4]).unwrap(), 4);
    assert_eq!(
        prove("grow", &[5]).unwrap(),
        u32::MAX,
        "past the maximum of 8"
    );
    assert_eq!(prove("get", &[1]).unwrap(), 1);
    assert_eq!(prove("call", &[0]).unwrap(), 10);
    assert_eq!(prove("fill", &[1, 3]).unwrap(), 4);
    assert_eq!(prove("copy", &[0, 1, 3]).unwrap(), 4);
    // Nothing executor-only is left.
    let p = program();
    assert!(!p.instrs.iter().any(|i| matches!(
        i.op,
        Op::TableGet
            | Op::TableSet
            | Op::TableSize
            | Op::TableGrow
            | Op::TableFill
            | Op::TableCopy
            | Op::TableInit
            | Op::ElemDrop
            | Op::RefFunc
    )));
    // The jump tables over the entries are in the program once per operation and table.
    let gets = p
        .functions
        .iter()
        .filter(|f| f.name.starts_with("table.get"))
        .count();
    assert_eq!(gets, 1, "one `table.get` function for the table read");
}

/// Every bound traps before anything is written, with WebAssembly's trap, so the run is
/// refused with it.
#[test]
fn table_traps_are_refused_with_the_trap() {
    let oob = TrapKind::TableOutOfBounds;
    for (entry, args) in [
        ("mix", &[0, 1, 4, 0][..]),
        ("mix", &[1, 0, 4, 0]),
        ("mix", &[0, 5, 0, 0]),
        ("mix", &[0, 1, u32::MAX, 0]),
        ("mix", &[0, 0, 1, 1]),
        ("get", &[4]),
        ("get", &[u32::MAX]),
        ("fill", &[2, 3]),
        ("fill", &[5, 0]),
        ("copy", &[2, 0, 3]),
        ("copy", &[0, 3, 2]),
        ("copy", &[1, 0, u32::MAX]),
    ] {
        expect_trap(entry, args, oob);
    }
    expect_trap("call", &[4], TrapKind::UndefinedElement);
    expect_trap("call", &[2], TrapKind::UninitializedElement);
    expect_trap("call", &[1], TrapKind::IndirectCallTypeMismatch);
}

/// A table far larger than any run touches: 100,000 entries, growable to 200,000, with an
/// element segment at entry 99,998. Entries are reached by the indexed global accesses, so
/// neither the program nor the proof grows with the table: `big(i, f)` grows the table by
/// 3, sets entry `i` to `$a` (`f = 0`) or `$b`, calls entry `i` and entry 99,999 (`$b`
/// from the segment unless `i` overwrote it), and returns `1000 * (called(i) + called(99,999)) + size / 1000`.
const BIG: &str = r#"(module
  (type $v (func (result i32)))
  (func $a (type $v) (i32.const 10))
  (func $b (type $v) (i32.const 20))
  (table $t 100000 200000 funcref)
  (elem (table $t) (i32.const 99998) func $a $b)
  (elem declare func $a $b)
  (func (export "big") (param $i i32) (param $f i32) (result i32)
    (drop (table.grow $t (ref.null func) (i32.const 3)))
    (table.set $t (local.get $i)
      (if (result funcref) (local.get $f) (then (ref.func $b)) (else (ref.func $a))))
    (i32.add
      (i32.mul (i32.const 1000)
        (i32.add (call_indirect $t (type $v) (local.get $i))
                 (call_indirect $t (type $v) (i32.const 99999))))
      (i32.div_u (table.size $t) (i32.const 1000)))))"#;

#[test]
fn a_large_table_is_proven_at_the_cost_of_the_entries_touched() {
    let p = Arc::new(gloam_isa::load_module(BIG.as_bytes()).expect("valid module"));
    let w = p.word_tables.as_deref().expect("held in global words");
    assert_eq!(w.len(), 1);
    assert_eq!(w[0].capacity, 200_000);
    assert!(p.instrs.len() < 2_000, "{} instructions", p.instrs.len());
    for (i, f, want) in [
        (7u32, 0u32, 30_100u32),
        (100_001, 1, 40_100),
        (99_999, 0, 20_100),
    ] {
        let run = prove_values(
            p.clone(),
            "big",
            &[IntValue::I32(i), IntValue::I32(f)],
            &ProveConfig::default(),
        )
        .unwrap_or_else(|e| panic!("big({i}, {f}): {e}"));
        assert!(
            run.stats.trace_rows <= 1 << 15,
            "big({i}, {f}): {} rows",
            run.stats.trace_rows
        );
        let st = gloam_verifier::verify_file(&p, &run.file.to_bytes()).expect("verifies");
        assert_eq!(st.claim.results, vec![IntValue::I32(want)], "big({i}, {f})");
    }
    // Past the size, and past the capacity-bounded index space: the bounds trap.
    match prove_values(
        p.clone(),
        "big",
        &[IntValue::I32(100_003), IntValue::I32(0)],
        &ProveConfig::default(),
    ) {
        Err(ProveError::Exec(ExecError::Trap { kind, .. })) => {
            assert_eq!(kind, TrapKind::TableOutOfBounds)
        }
        other => panic!("expected the bounds trap, got {:?}", other.map(|_| ())),
    }
}

/// `call_indirect` sites that would not fit their own jump tables call the table and type's
/// dispatch function (`emit::Target::Dispatch` in `gloam-isa`), which holds the jump table
/// once. `g(i)` runs 40 sites through a static table of 1,000 entries with `i64` arguments
/// and results: `$f(x, y) = x + y` everywhere, `$g(x, y) = 3 x` at entry 500, `$h` of
/// another type at entry 7; site `k` passes `(k, k)`.
#[test]
fn call_indirect_sites_share_a_dispatch_function() {
    let sites: String = (0..40)
        .map(|k| {
            format!(
                "(local.set $acc (i64.add (local.get $acc)
                   (call_indirect (type $t) (i64.const {k}) (i32.const {k}) (local.get $i))))"
            )
        })
        .collect();
    let wat = format!(
        r#"(module (type $t (func (param i64 i32) (result i64)))
             (func $f (type $t) (i64.add (local.get 0) (i64.extend_i32_u (local.get 1))))
             (func $g (type $t) (i64.mul (local.get 0) (i64.const 3)))
             (func $h (result i32) (i32.const 0))
             (table 1000 funcref)
             (elem (i32.const 0){f})
             (elem (i32.const 500) $g)
             (elem (i32.const 7) $h)
             (func (export "g") (param $i i32) (result i64) (local $acc i64) {sites}
               (local.get $acc)))"#,
        f = " $f".repeat(1000)
    );
    let p = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("valid module"));
    assert!(p
        .functions
        .iter()
        .any(|f| f.name.starts_with("call_indirect table 0 type 0")));
    assert!(!p.instrs.iter().any(|i| i.op == Op::CallIndirect));
    let sum: u64 = (0..40).sum();
    for (i, want) in [(3u32, 2 * sum), (500, 3 * sum)] {
        let run = prove_values(p.clone(), "g", &[IntValue::I32(i)], &ProveConfig::default())
            .unwrap_or_else(|e| panic!("g({i}): {e}"));
        let st = gloam_verifier::verify_file(&p, &run.file.to_bytes()).expect("verifies");
        assert_eq!(st.claim.results, vec![IntValue::I64(want)], "g({i})");
    }
    for (i, want) in [
        (7u32, TrapKind::IndirectCallTypeMismatch),
        (1000, TrapKind::UndefinedElement),
    ] {
        match prove_values(p.clone(), "g", &[IntValue::I32(i)], &ProveConfig::default()) {
            Err(ProveError::Exec(ExecError::Trap { kind, .. })) => assert_eq!(kind, want, "g({i})"),
            other => panic!("g({i}): expected {want:?}, got {:?}", other.map(|_| ())),
        }
    }
}

/// `call_indirect` through a table of 6,000 entries (too large to be static): held in
/// global words and reached with a jump over the module's functions, at two sites of two
/// types; proven for entries near both ends, and the type check, a null entry and the
/// bounds refused with their traps. A static table would need a jump table of 6,000 entries
/// per site.
#[test]
fn call_indirect_through_a_table_too_large_to_be_static() {
    let elems = " $f $g".repeat(2999);
    let wat = format!(
        r#"(module (type $t (func (result i32))) (type $u (func (param i32) (result i32)))
             (func $f (type $t) i32.const 7) (func $g (type $u) (i32.mul (local.get 0) (i32.const 3)))
             (table 6000 funcref) (elem (i32.const 0){elems})
             (func (export "h") (param i32) (result i32)
               (call_indirect (type $t) (local.get 0))
               (call_indirect (type $u) (i32.const 5) (i32.add (local.get 0) (i32.const 1)))
               i32.add))"#
    );
    let p = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("valid module"));
    assert!(p.word_tables.is_some());
    for i in [0u32, 5996] {
        let run = prove_values(p.clone(), "h", &[IntValue::I32(i)], &ProveConfig::default())
            .unwrap_or_else(|e| panic!("h({i}): {e}"));
        let st = gloam_verifier::verify_file(&p, &run.file.to_bytes()).expect("verifies");
        assert_eq!(st.claim.results, vec![IntValue::I32(22)], "h({i})");
    }
    for (i, want) in [
        (1u32, TrapKind::IndirectCallTypeMismatch),
        (5998, TrapKind::UninitializedElement),
        (6000, TrapKind::UndefinedElement),
    ] {
        match prove_values(p.clone(), "h", &[IntValue::I32(i)], &ProveConfig::default()) {
            Err(ProveError::Exec(ExecError::Trap { kind, .. })) => assert_eq!(kind, want, "h({i})"),
            other => panic!("h({i}): expected {want:?}, got {:?}", other.map(|_| ())),
        }
    }
}
