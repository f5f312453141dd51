//! Resource limits, host functions and determinism of the executor: fuel, call depth (direct,
//! indirect and across instances), bounded memory and table growth, the host-function
//! registry, and identical results, cycles and traces across runs.

use std::sync::atomic::{AtomicU32, Ordering};
use std::sync::Arc;

use gloam_executor::{run, run_traced, ExecError, Limits, Store, Value};
use gloam_isa::{load_module, FuncSig, Program, TrapKind, ValType};

fn program(wat: &str) -> Arc<Program> {
    Arc::new(load_module(wat.as_bytes()).unwrap_or_else(|e| panic!("{e}\n{wat}")))
}

fn instance(wat: &str, limits: Limits) -> (Store, gloam_executor::InstanceId) {
    let mut store = Store::new(limits);
    let inst = store.instantiate(program(wat)).unwrap();
    (store, inst)
}

fn trap_kind(r: Result<Vec<Value>, ExecError>) -> TrapKind {
    match r {
        Err(e) => e.trap_kind().unwrap_or_else(|| panic!("not a trap: {e}")),
        Ok(v) => panic!("expected a trap, got {v:?}"),
    }
}

/// `memory.grow` fails (-1) beyond the module's maximum, which decides its result in a proof
/// too; the configured page limit is an implementation limit that stops the run with a clear
/// trap, like the call stack's.
#[test]
fn memory_growth_is_bounded_by_the_configured_page_limit() {
    let wat = r#"(module (memory 1 4)
        (func (export "grow") (param i32) (result i32) local.get 0 memory.grow)
        (func (export "size") (result i32) memory.size))"#;
    let limits = Limits {
        max_memory_pages: 3,
        ..Limits::default()
    };
    let (mut s, i) = instance(wat, limits);
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(4)]).unwrap(),
        [Value::I32(u32::MAX)]
    );
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(2)]).unwrap(),
        [Value::I32(1)]
    );
    assert_eq!(s.invoke(i, "size", &[]).unwrap(), [Value::I32(3)]);
    let e = s.invoke(i, "grow", &[Value::I32(1)]).unwrap_err();
    assert_eq!(e.trap_kind(), Some(TrapKind::MemoryExhausted), "{e}");
    assert!(e.to_string().contains("memory limit exceeded"), "{e}");
    assert_eq!(s.invoke(i, "size", &[]).unwrap(), [Value::I32(3)]);
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(0)]).unwrap(),
        [Value::I32(3)]
    );

    // A module whose memory starts above the limit does not instantiate.
    let mut s = Store::new(limits);
    match s.instantiate(program("(module (memory 5))")) {
        Err(e @ ExecError::ResourceLimit(_)) => assert!(e.to_string().contains("5 pages"), "{e}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn table_growth_is_bounded_by_the_configured_length_limit() {
    // An imported table stays in the executor: growing past the limit fails with -1.
    let wat = r#"(module (import "host" "t" (table 2 funcref))
        (func (export "grow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))"#;
    let limits = Limits {
        max_table_len: 10,
        ..Limits::default()
    };
    let mut s = Store::new(limits);
    s.define_table("host", "t", ValType::FuncRef, 2, None);
    let i = s.instantiate(program(wat)).unwrap();
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(9)]).unwrap(),
        [Value::I32(u32::MAX)]
    );
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(8)]).unwrap(),
        [Value::I32(2)]
    );
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(1)]).unwrap(),
        [Value::I32(u32::MAX)]
    );
    // A table held in global words grows up to its capacity (here 2^20 entries, no
    // maximum declared); past the executor's limit the run stops with the implementation
    // limit's trap, as for memory.
    let internal = r#"(module (table 2 funcref)
        (func (export "grow") (param i32) (result i32) ref.null func local.get 0 table.grow 0))"#;
    let (mut s, i) = instance(internal, limits);
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(8)]).unwrap(),
        [Value::I32(2)]
    );
    let e = s.invoke(i, "grow", &[Value::I32(1)]).unwrap_err();
    assert_eq!(e.trap_kind(), Some(TrapKind::TableExhausted), "{e}");
    assert_eq!(
        s.invoke(i, "grow", &[Value::I32(1 << 20)]).unwrap(),
        [Value::I32(u32::MAX)],
        "beyond the capacity it fails"
    );
    let mut s = Store::new(limits);
    assert!(matches!(
        s.instantiate(program("(module (table 11 funcref))")),
        Err(ExecError::ResourceLimit(_))
    ));
}

#[test]
fn runaway_recursion_is_the_exhaustion_trap_at_the_call_depth_limit() {
    let wat = r#"(module
        (type $t (func (param i32) (result i32)))
        (table 1 funcref) (elem (i32.const 0) $ind)
        (func $direct (export "direct") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add call $direct)
        (func $ind (export "indirect") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add i32.const 0 call_indirect (type $t))
        (func $depth (export "depth") (param i32) (result i32)
            local.get 0 i32.eqz if (result i32) i32.const 0 else
            local.get 0 i32.const 1 i32.sub call $depth i32.const 1 i32.add end))"#;
    for depth_limit in [100, 5_000] {
        let limits = Limits {
            max_call_depth: depth_limit,
            ..Limits::default()
        };
        let (mut s, i) = instance(wat, limits);
        for f in ["direct", "indirect"] {
            assert_eq!(
                trap_kind(s.invoke(i, f, &[Value::I32(0)])),
                TrapKind::StackExhausted,
                "{f}"
            );
        }
        // Exactly `depth_limit` frames are allowed: the entry plus depth_limit - 1 calls.
        let ok = Value::I32(depth_limit - 1);
        assert_eq!(s.invoke(i, "depth", &[ok]).unwrap(), [ok]);
        assert_eq!(
            trap_kind(s.invoke(i, "depth", &[Value::I32(depth_limit)])),
            TrapKind::StackExhausted
        );
    }
    // The slot limit bounds the stack too, whatever the depth limit.
    let limits = Limits {
        max_slots: 1000,
        max_call_depth: u32::MAX,
        ..Limits::default()
    };
    let (mut s, i) = instance(wat, limits);
    assert_eq!(
        trap_kind(s.invoke(i, "direct", &[Value::I32(0)])),
        TrapKind::StackExhausted
    );
}

#[test]
fn recursion_across_instances_is_bounded_without_host_stack_overflow() {
    // Mutual recursion through two instances: `call0` calls table slot 0, which holds the other
    // instance's `$f`, which calls `call0` again. Every hop re-enters the interpreter on the
    // host stack; the nesting bound turns it into the exhaustion trap, even with an unbounded
    // call-depth limit.
    let mut s = Store::new(Limits {
        max_call_depth: u32::MAX,
        ..Limits::default()
    });
    let owner = s
        .instantiate(program(
            r#"(module (table (export "t") 1 funcref)
                (type $t (func (param i32) (result i32)))
                (func (export "call0") (param i32) (result i32)
                    local.get 0 i32.const 0 call_indirect (type $t)))"#,
        ))
        .unwrap();
    s.register("owner", owner);
    s.instantiate(program(
        r#"(module (import "owner" "t" (table 1 funcref))
            (import "owner" "call0" (func $c (param i32) (result i32)))
            (elem (i32.const 0) $f)
            (func $f (param i32) (result i32) local.get 0 call $c))"#,
    ))
    .unwrap();
    assert_eq!(
        trap_kind(s.invoke(owner, "call0", &[Value::I32(0)])),
        TrapKind::StackExhausted
    );

    // A host function's trap surfaces as a trap of the calling instruction.
    let mut s = Store::new(Limits::default());
    s.define_func("env", "fail", FuncSig::new([], []), |_| {
        Err(TrapKind::Unreachable)
    });
    let i = s
        .instantiate(program(
            r#"(module (import "env" "fail" (func $f)) (func (export "g") call $f))"#,
        ))
        .unwrap();
    match s.invoke(i, "g", &[]) {
        Err(ExecError::Trap { kind, func, .. }) => {
            assert_eq!((kind, func.as_str()), (TrapKind::Unreachable, "g"))
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn fuel_is_a_typed_error_and_counts_every_cycle() {
    let wat = r#"(module (func (export "spin") (loop br 0)))"#;
    for fuel in [1, 1000, 123_457] {
        let (mut s, i) = instance(
            wat,
            Limits {
                fuel,
                ..Limits::default()
            },
        );
        assert_eq!(s.invoke(i, "spin", &[]), Err(ExecError::OutOfFuel { fuel }));
    }
    // Fuel covers calls into other instances too.
    let mut s = Store::new(Limits {
        fuel: 10_000,
        ..Limits::default()
    });
    let spin = s.instantiate(program(wat)).unwrap();
    s.register("spin", spin);
    let caller = s
        .instantiate(program(
            r#"(module (import "spin" "spin" (func $s)) (func (export "f") call $s))"#,
        ))
        .unwrap();
    assert_eq!(
        s.invoke(caller, "f", &[]),
        Err(ExecError::OutOfFuel { fuel: 10_000 })
    );
}

#[test]
fn host_functions_receive_typed_arguments_and_results_are_checked() {
    let calls = Arc::new(AtomicU32::new(0));
    let mut s = Store::new(Limits::default());
    let c = calls.clone();
    s.define_func(
        "env",
        "mix",
        FuncSig::new([ValType::I32, ValType::I64], [ValType::I64, ValType::I32]),
        move |args| {
            c.fetch_add(1, Ordering::SeqCst);
            match args {
                [Value::I32(a), Value::I64(b)] => Ok(vec![
                    Value::I64(b.wrapping_mul(*a as u64)),
                    Value::I32(a ^ 1),
                ]),
                other => panic!("host got {other:?}"),
            }
        },
    );
    s.define_func("env", "liar", FuncSig::new([], [ValType::I32]), |_| {
        Ok(vec![Value::I64(1)])
    });
    s.define_global("env", "g", Value::I64(1 << 40), false);
    let i = s
        .instantiate(program(
            r#"(module
                (import "env" "mix" (func $mix (param i32 i64) (result i64 i32)))
                (import "env" "liar" (func $liar (result i32)))
                (import "env" "g" (global $g i64))
                (func (export "f") (param i32) (result i64 i32)
                    local.get 0 global.get $g call $mix)
                (func (export "bad") (result i32) call $liar))"#,
        ))
        .unwrap();
    assert_eq!(
        s.invoke(i, "f", &[Value::I32(3)]).unwrap(),
        [Value::I64(3 << 40), Value::I32(2)]
    );
    assert_eq!(calls.load(Ordering::SeqCst), 1);
    assert_eq!(trap_kind(s.invoke(i, "bad", &[])), TrapKind::HostError);
    // Wrong argument types and counts are typed errors, not panics.
    assert!(matches!(
        s.invoke(i, "f", &[Value::I64(3)]),
        Err(ExecError::ArgType { .. })
    ));
    assert!(matches!(
        s.invoke(i, "f", &[]),
        Err(ExecError::ArgCount { .. })
    ));
    // An import with the wrong type does not link.
    let mut s2 = Store::new(Limits::default());
    s2.define_func("env", "mix", FuncSig::new([], []), |_| Ok(vec![]));
    let e = s2
        .instantiate(program(
            r#"(module (import "env" "mix" (func (param i32))))"#,
        ))
        .unwrap_err();
    assert!(e.is_link_error(), "{e}");
}

#[test]
fn runs_are_deterministic() {
    for name in ["sha256", "sort", "merkle", "dispatch", "startup"] {
        let p = gloam_testkit::load_example(name);
        let case = gloam_testkit::wide_cases()
            .into_iter()
            .filter(|c| c.contract == name)
            .max_by_key(|c| c.args.iter().map(|a| *a as u64).sum::<u64>())
            .unwrap();
        let first = run(&p, &case.entry, &case.args, Limits::default()).unwrap();
        for _ in 0..3 {
            // A fresh load of the module and a fresh store each time.
            let q =
                gloam_isa::load_module(&std::fs::read(case.module_path("wasm")).unwrap()).unwrap();
            assert_eq!(q.hash(), p.hash());
            assert_eq!(
                run(&q, &case.entry, &case.args, Limits::default()).unwrap(),
                first
            );
        }
    }
    let p = gloam_testkit::load_example("recursive");
    let a = run_traced(&p, "fib_rec", &[15], Limits::default()).unwrap();
    let b = run_traced(&p, "fib_rec", &[15], Limits::default()).unwrap();
    assert_eq!(
        a, b,
        "traced runs (results, cycles and every trace row) are identical"
    );
    assert_eq!(a.0, run(&p, "fib_rec", &[15], Limits::default()).unwrap());
}

#[test]
fn hand_made_programs_cannot_escape_the_slot_stack() {
    // A forged saved frame pointer: `ret` would continue in a frame that is not allocated.
    let mut p = (*program(r#"(module (func (export "f") (result i32) i32.const 7))"#)).clone();
    let konst = p
        .instrs
        .iter()
        .position(|i| i.op == gloam_isa::Op::Const)
        .unwrap();
    let ret = *p
        .instrs
        .iter()
        .find(|i| i.op == gloam_isa::Op::Ret)
        .unwrap();
    p.instrs[konst].c = ret.b;
    p.instrs[konst].imm = 3_000_000;
    let mut s = Store::new(Limits::default());
    let i = s.instantiate(Arc::new(p)).unwrap();
    assert!(matches!(
        s.invoke(i, "f", &[]),
        Err(ExecError::PcOutOfRange(_))
    ));

    // A frame layout that disagrees with the function's type: invalid, and no panic.
    let mut p = (*program(r#"(module (func (export "f") (result i32) i32.const 7))"#)).clone();
    p.functions[0].result_slots = 2;
    assert!(matches!(
        p.validate(),
        Err(gloam_isa::ProgramError::BadFunction(0))
    ));
    let mut s = Store::new(Limits::default());
    let i = s.instantiate(Arc::new(p)).unwrap();
    assert_eq!(s.invoke(i, "f", &[]).unwrap(), [Value::I32(7)]);

    // Slot offsets beyond the slot limit are refused at instantiation.
    let mut p = (*program(r#"(module (func (export "f") (result i32) i32.const 7))"#)).clone();
    p.instrs[konst].c = u32::MAX;
    let mut s = Store::new(Limits::default());
    assert!(matches!(
        s.instantiate(Arc::new(p)),
        Err(ExecError::ResourceLimit(_))
    ));
}

/// A traced run handed over in chunks (`run_traced_chunks_io`, what segment proving executes)
/// is the recorded run cut into pieces of the chunk size, with the same outcome; a consumer
/// that stops takes no more chunks and gets `ExecError::Stopped`; fuel still applies.
#[test]
fn chunked_traced_run_is_the_recorded_run_in_pieces() {
    let wat = r#"(module (memory 1)
        (func (export "run") (param i32) (result i32) (local i32)
          (loop $l
            (i32.store (i32.and (i32.mul (local.get 0) (i32.const 4)) (i32.const 1020))
                       (local.get 1))
            (local.set 1 (i32.add (local.get 1) (local.get 0)))
            (local.set 0 (i32.sub (local.get 0) (i32.const 1)))
            (br_if $l (local.get 0)))
          (local.get 1)))"#;
    let p = program(wat);
    let io = gloam_executor::IoInput::default();
    let (whole, trace) = run_traced(&p, "run", &[300], Limits::default()).expect("the run");
    for chunk in [1, 7, 64, whole.cycles as usize, whole.cycles as usize + 5] {
        let mut pieces: Vec<Vec<gloam_executor::Step>> = Vec::new();
        let out = gloam_executor::run_traced_chunks_io(
            &p,
            "run",
            &[300],
            &io,
            Limits::default(),
            chunk,
            &mut |s| {
                pieces.push(s);
                true
            },
        )
        .expect("the chunked run");
        assert_eq!(out, whole, "chunk {chunk}");
        let n = pieces.len();
        assert_eq!(n, (whole.cycles as usize).div_ceil(chunk), "chunk {chunk}");
        assert!(pieces[..n - 1].iter().all(|c| c.len() == chunk));
        assert_eq!(pieces.concat(), trace.steps, "chunk {chunk}");
    }
    let mut taken = 0;
    let r = gloam_executor::run_traced_chunks_io(
        &p,
        "run",
        &[300],
        &io,
        Limits::default(),
        10,
        &mut |_| {
            taken += 1;
            taken < 3
        },
    );
    assert!(matches!(r, Err(ExecError::Stopped)), "{r:?}");
    assert_eq!(taken, 3);
    let r = gloam_executor::run_traced_chunks_io(
        &p,
        "run",
        &[300],
        &io,
        Limits {
            fuel: 100,
            ..Limits::default()
        },
        10,
        &mut |_| true,
    );
    assert!(
        matches!(r, Err(ExecError::OutOfFuel { fuel: 100 })),
        "{r:?}"
    );
}
