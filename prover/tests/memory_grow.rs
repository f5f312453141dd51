//! `memory.size` and `memory.grow`: the memory size is a global word (the memory-size word,
//! `gloam_isa::image::memory_size_word`), `memory.grow` is lowered into a check against the
//! module's maximum and a write of that word, and in a module that executes `memory.grow`
//! every load and store is checked against the word. Proven end to end here; the AIR side is
//! the globals' and the memory table's (tamper tests in `tamper.rs`).

mod common;

use std::sync::Arc;

use common::trap_of;
use gloam_executor::Limits;
use gloam_isa::{Program, TrapKind};
use gloam_prover::ProveError;

/// `f(n, addr)`: grows by `n` pages, stores 7 at `addr`, and returns
/// `grow result * 1000 + memory.size * 10 + load(addr)`.
const GROW: &str = r#"(module (memory 1 3)
  (func (export "f") (param i32 i32) (result i32)
    (local $g i32)
    (local.set $g (memory.grow (local.get 0)))
    (i32.store (local.get 1) (i32.const 7))
    (i32.add
      (i32.add (i32.mul (local.get $g) (i32.const 1000))
               (i32.mul (memory.size) (i32.const 10)))
      (i32.load (local.get 1)))))"#;

fn program() -> Arc<Program> {
    Arc::new(gloam_isa::load_module(GROW.as_bytes()).expect("valid module"))
}

fn prove_f(n: u32, addr: u32) -> Result<u32, ProveError> {
    common::prove_i32(&program(), "f", &[n, addr])
}

/// A store into the page `memory.grow` added, then a load of it, proven and verified; the
/// memory's bound in the statement is its maximum (3 pages), the check against the size word
/// keeps each access below the size at its time.
#[test]
fn grown_memory_is_proven() {
    assert_eq!(prove_f(1, 65536 + 8).unwrap(), 1000 + 20 + 7);
    assert_eq!(prove_f(2, 3 * 65536 - 4).unwrap(), 1000 + 30 + 7);
    let p = program();
    assert_eq!(gloam_isa::image::memory_words(&p), 3 * 16384);
    assert!(gloam_isa::image::memory_grows(&p));
}

/// Beyond the maximum, `memory.grow` returns -1 and the size stays, proven.
#[test]
fn grow_past_the_maximum_fails_and_is_proven() {
    assert_eq!(prove_f(3, 8).unwrap(), u32::MAX.wrapping_mul(1000) + 10 + 7);
    assert_eq!(
        prove_f(u32::MAX, 8).unwrap(),
        u32::MAX.wrapping_mul(1000) + 10 + 7
    );
}

/// An access past the current size but below the maximum traps, so it is refused with the
/// trap: the bound that matters is the size at the time of the access.
#[test]
fn access_past_the_current_size_is_refused_with_the_trap() {
    for (n, addr) in [(0, 65536), (1, 2 * 65536 - 3), (3, 65536)] {
        let e = prove_f(n, addr).expect_err("traps");
        assert_eq!(trap_of(e), Some(TrapKind::MemoryOutOfBounds), "{n} {addr}");
    }
}

/// The executor's page limit is an implementation limit: growing past it stops the run with
/// a clear trap instead of failing silently differently from the proof's semantics.
#[test]
fn executor_page_limit_is_a_clear_trap() {
    let p = program();
    let limits = Limits {
        max_memory_pages: 1,
        ..Limits::default()
    };
    let e = gloam_executor::run(&p, "f", &[1, 8], limits).expect_err("limit");
    assert_eq!(e.trap_kind(), Some(TrapKind::MemoryExhausted));
    assert!(e.to_string().contains("memory limit exceeded"), "{e}");
}
