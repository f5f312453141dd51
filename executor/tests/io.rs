//! The contract interface (`gloam_isa::io`): `gloam.read_public`, `gloam.read_private` and
//! `gloam.commit` run through their lowered functions; the fast and the traced runs agree on
//! results, cycles and the journal.

use gloam_executor::{run_io, run_traced_io, ExecError, IoInput, Limits};
use gloam_isa::{load_module, TrapKind};

/// `main(n)`: reads up to `n` public bytes to 0 and up to 100 private bytes to 256, then
/// reads the public stream again to 64 (what is left, up to 8 bytes); commits the private
/// count (4 bytes), the first public bytes and the second read's bytes; returns the sum of
/// every byte read.
pub const IO_WAT: &str = r#"(module
  (import "gloam" "read_public" (func $rp (param i32 i32) (result i32)))
  (import "gloam" "read_private" (func $rq (param i32 i32) (result i32)))
  (import "gloam" "commit" (func $c (param i32 i32)))
  (memory 1)
  (func $sum (param $p i32) (param $n i32) (result i32) (local $s i32)
    (block $d (loop $l
      (br_if $d (i32.eqz (local.get $n)))
      (local.set $s (i32.add (local.get $s) (i32.load8_u (local.get $p))))
      (local.set $p (i32.add (local.get $p) (i32.const 1)))
      (local.set $n (i32.sub (local.get $n) (i32.const 1)))
      (br $l)))
    (local.get $s))
  (func (export "main") (param $n i32) (result i32)
    (local $k i32) (local $m i32) (local $r i32)
    (local.set $k (call $rp (i32.const 0) (local.get $n)))
    (local.set $m (call $rq (i32.const 256) (i32.const 100)))
    (local.set $r (call $rp (i32.const 64) (i32.const 8)))
    (i32.store (i32.const 512) (local.get $m))
    (call $c (i32.const 512) (i32.const 4))
    (call $c (i32.const 0) (local.get $k))
    (call $c (i32.const 64) (local.get $r))
    (i32.add (i32.add (call $sum (i32.const 0) (local.get $k)) (call $sum (i32.const 256) (local.get $m)))
             (call $sum (i32.const 64) (local.get $r))))
  (func (export "oob") (param $p i32) (result i32)
    (call $rp (local.get $p) (i32.const 2))))"#;

#[test]
fn reads_commits_and_records_the_journal() {
    let p = load_module(IO_WAT.as_bytes()).expect("loads");
    assert!(p.commit_fn.is_some());
    let io = IoInput {
        public: vec![1, 2, 3, 4, 5],
        private: vec![10, 20, 30],
    };
    let fast = run_io(&p, "main", &[3], &io, Limits::default()).expect("runs");
    assert_eq!(fast.results, vec![1 + 2 + 3 + 10 + 20 + 30 + 4 + 5]);
    assert_eq!(fast.journal, vec![3, 0, 0, 0, 1, 2, 3, 4, 5]);
    let (traced, _) = run_traced_io(&p, "main", &[3], &io, Limits::default()).expect("traces");
    assert_eq!(traced, fast);
    // Past the end: reads return what is left, then 0.
    let out = run_io(&p, "main", &[100], &io, Limits::default()).expect("runs");
    assert_eq!(out.journal, vec![3, 0, 0, 0, 1, 2, 3, 4, 5]);
    let empty = run_io(&p, "main", &[7], &IoInput::default(), Limits::default()).expect("runs");
    assert_eq!(
        (empty.results.clone(), empty.journal.clone()),
        (vec![0], vec![0, 0, 0, 0])
    );
}

#[test]
fn an_out_of_bounds_pointer_traps_even_with_nothing_to_read() {
    let p = load_module(IO_WAT.as_bytes()).expect("loads");
    for io in [
        IoInput::default(),
        IoInput {
            public: vec![9; 4],
            private: vec![],
        },
    ] {
        match run_io(&p, "oob", &[65535], &io, Limits::default()) {
            Err(ExecError::Trap { kind, .. }) => assert_eq!(kind, TrapKind::MemoryOutOfBounds),
            other => panic!("expected a trap, got {other:?}"),
        }
        let ok = run_io(&p, "oob", &[65534], &io, Limits::default()).expect("in bounds");
        assert_eq!(ok.results, vec![io.public.len().min(2) as u32]);
    }
}
