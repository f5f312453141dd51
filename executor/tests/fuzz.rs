//! Generated modules (`wasm-smith`, integer WebAssembly 2.0 only: no floats, SIMD or later
//! proposals): every one must load (Gloam supports all of it), and instantiating it and
//! invoking every exported function with small limits must end in a result or a typed error,
//! never a panic, and identically on a second, fresh store.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use arbitrary::Unstructured;
use gloam_executor::{ExecError, Limits, Store, Value};
use gloam_isa::{load_module, ExportKind, ValType};

mod common;

use common::config;

fn bytes(seed: u64, n: usize) -> Vec<u8> {
    common::bytes(seed, 0x9E37_79B9_7F4A_7C15, n)
}

fn zero(t: ValType) -> Value {
    match t {
        ValType::I32 => Value::I32(0),
        ValType::I64 => Value::I64(0),
        ValType::FuncRef => Value::FuncRef(None),
        ValType::ExternRef => Value::ExternRef(None),
    }
}

/// Instantiates and calls every exported function; returns what happened, as text.
fn exercise(program: &Arc<gloam_isa::Program>) -> Vec<String> {
    let limits = Limits {
        fuel: 50_000,
        max_call_depth: 500,
        max_memory_pages: 64,
        max_table_len: 10_000,
        ..Limits::default()
    };
    let mut store = Store::new(limits);
    let inst = match store.instantiate(program.clone()) {
        Ok(i) => i,
        Err(e) => return vec![format!("instantiate: {e}")],
    };
    let mut log = Vec::new();
    for e in &program.module.exports {
        if e.kind != ExportKind::Func {
            continue;
        }
        let sig = program
            .module
            .func_sig(e.index)
            .expect("exported function")
            .clone();
        let args: Vec<Value> = sig.params.iter().map(|t| zero(*t)).collect();
        let r = store.invoke(inst, &e.name, &args);
        if let Err(ExecError::NoSuchExport(_) | ExecError::ArgType { .. }) = r {
            panic!("{}: {r:?}", e.name);
        }
        log.push(format!("{}: {r:?}", e.name));
    }
    log
}

#[test]
fn generated_integer_modules_load_and_run_without_panics() {
    let mut loaded = 0;
    let mut calls = 0;
    let mut calls_by_module = Vec::new();
    for seed in 0..3000u64 {
        let data = bytes(seed, 4096);
        let mut u = Unstructured::new(&data);
        let Ok(module) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let wasm = module.to_bytes();
        let program = match load_module(&wasm) {
            Ok(p) => Arc::new(p),
            Err(e) => {
                panic!("seed {seed}: a generated integer module was refused: {e}")
            }
        };
        loaded += 1;
        let first = catch_unwind(AssertUnwindSafe(|| exercise(&program)))
            .unwrap_or_else(|_| panic!("seed {seed}: the executor panicked"));
        let second = exercise(&program);
        assert_eq!(first, second, "seed {seed}: runs differ");
        let n = first
            .iter()
            .filter(|l| !l.starts_with("instantiate"))
            .count();
        calls += n;
        calls_by_module.push(n);
    }
    let instantiated = calls_by_module.iter().filter(|c| **c > 0).count();
    println!("{loaded} modules loaded, {instantiated} with calls, {calls} calls");
    assert!(loaded >= 2500, "only {loaded} modules generated");
    assert!(
        instantiated >= 500 && calls >= 1000,
        "only {calls} calls made"
    );
}
