//! Differential test against `wasmi` (an independent WebAssembly interpreter): generated
//! integer modules (`wasm-smith`: WebAssembly 2.0 without floats and SIMD, so full of `i64`
//! arithmetic, memory, globals, tables, multi-value blocks and calls) are instantiated in
//! both, every exported function is called with zero and random arguments, and the results
//! or trap kinds, the exported globals and the exported memory must agree after every call.
//! A module is compared only until either side runs out of fuel or call stack (the two
//! count these resources differently).

use std::sync::Arc;

use arbitrary::Unstructured;
use gloam_executor::{ExecError, ExternVal, Limits, Store, Value};
use gloam_isa::{load_module, ExportKind, TrapKind, ValType};

mod common;

use common::config;

fn bytes(seed: u64, n: usize) -> Vec<u8> {
    common::bytes(seed, 0xD129_0E7F_5B6A_11C3, n)
}

/// What a call gave, comparable across the two engines.
#[derive(Debug, PartialEq, Eq)]
enum Outcome {
    Values(Vec<Norm>),
    Trap(&'static str),
    /// Out of fuel or call stack: not comparable.
    Resource,
}

/// A value, with references reduced to null or not (store addresses differ).
#[derive(Debug, PartialEq, Eq)]
enum Norm {
    I32(u32),
    I64(u64),
    Ref(bool),
}

fn norm_gloam(v: &Value) -> Norm {
    match v {
        Value::I32(x) => Norm::I32(*x),
        Value::I64(x) => Norm::I64(*x),
        Value::FuncRef(r) | Value::ExternRef(r) => Norm::Ref(r.is_none()),
    }
}

fn norm_wasmi(v: &wasmi::Val) -> Norm {
    match v {
        wasmi::Val::I32(x) => Norm::I32(*x as u32),
        wasmi::Val::I64(x) => Norm::I64(*x as u64),
        wasmi::Val::FuncRef(r) => Norm::Ref(r.is_null()),
        wasmi::Val::ExternRef(r) => Norm::Ref(r.is_null()),
        other => panic!("float value {other:?} from an integer module"),
    }
}

fn gloam_trap(e: &ExecError) -> Outcome {
    match e.trap_kind() {
        Some(TrapKind::StackExhausted | TrapKind::MemoryExhausted | TrapKind::TableExhausted)
        | None => Outcome::Resource,
        Some(k) => Outcome::Trap(match k {
            TrapKind::Unreachable => "unreachable",
            TrapKind::IntegerOverflow => "overflow",
            TrapKind::DivisionByZero => "divide by zero",
            TrapKind::MemoryOutOfBounds => "memory",
            TrapKind::TableOutOfBounds | TrapKind::UndefinedElement => "table",
            TrapKind::UninitializedElement => "null",
            TrapKind::IndirectCallTypeMismatch => "signature",
            TrapKind::StackExhausted
            | TrapKind::MemoryExhausted
            | TrapKind::TableExhausted
            | TrapKind::HostError
            | TrapKind::JournalMismatch => "other",
        }),
    }
}

fn wasmi_trap(e: &wasmi::Error) -> Outcome {
    use wasmi::TrapCode as T;
    match e.as_trap_code() {
        Some(T::OutOfFuel | T::StackOverflow) | None => Outcome::Resource,
        Some(c) => Outcome::Trap(match c {
            T::UnreachableCodeReached => "unreachable",
            T::IntegerOverflow => "overflow",
            T::IntegerDivisionByZero => "divide by zero",
            T::MemoryOutOfBounds => "memory",
            T::TableOutOfBounds => "table",
            T::IndirectCallToNull => "null",
            T::BadSignature => "signature",
            _ => "other",
        }),
    }
}

const MAX_PAGES: u32 = 64;
const MAX_TABLE: u32 = 10_000;

/// One module instantiated in both engines.
struct Pair {
    gs: Store,
    g_inst: gloam_executor::InstanceId,
    ws: wasmi::Store<wasmi::StoreLimits>,
    w_inst: wasmi::Instance,
}

/// Instantiates the module in fresh stores of both engines: `Ok(None)` when both fail alike
/// (or either for lack of fuel or stack), an error when they disagree.
fn instantiate(
    program: &Arc<gloam_isa::Program>,
    module: &wasmi::Module,
) -> Result<Option<Pair>, String> {
    let limits = Limits {
        fuel: 100_000,
        max_call_depth: 300,
        max_memory_pages: MAX_PAGES,
        max_table_len: MAX_TABLE,
        ..Limits::default()
    };
    let mut gs = Store::new(limits);
    let g_inst = gs.instantiate(program.clone());
    let wl = wasmi::StoreLimitsBuilder::new()
        .memory_size(MAX_PAGES as usize * 65536)
        .table_elements(MAX_TABLE as usize)
        .build();
    let mut ws = wasmi::Store::new(module.engine(), wl);
    ws.limiter(|l| l);
    ws.set_fuel(1_000_000).expect("fuel enabled");
    let linker = wasmi::Linker::new(module.engine());
    let w_inst = linker.instantiate_and_start(&mut ws, module);
    match (g_inst, w_inst) {
        (Ok(g_inst), Ok(w_inst)) => Ok(Some(Pair {
            gs,
            g_inst,
            ws,
            w_inst,
        })),
        (Err(g), Err(w)) => {
            // Both fail (a segment out of bounds or a trapping start function).
            let (go, wo) = (gloam_trap(&g), wasmi_trap(&w));
            if go != Outcome::Resource && wo != Outcome::Resource && go != wo {
                return Err(format!("instantiation: gloam {g}, wasmi {w}"));
            }
            Ok(None)
        }
        (Err(g), Ok(_)) if gloam_trap(&g) == Outcome::Resource => Ok(None),
        (Ok(_), Err(w)) if wasmi_trap(&w) == Outcome::Resource => Ok(None),
        (g, w) => Err(format!(
            "instantiation: gloam {:?}, wasmi {:?}",
            g.err(),
            w.err()
        )),
    }
}

/// Both engines on one module: the number of calls compared, or a mismatch. A call that
/// runs out of fuel or stack in either engine ends the comparison of that export (the
/// engines' states may differ after it) and starts the next one on fresh instances.
fn compare(wasm: &[u8], seed: u64) -> Result<usize, String> {
    let program = Arc::new(load_module(wasm).map_err(|e| format!("refused: {e}"))?);
    let mut cfg = wasmi::Config::default();
    cfg.consume_fuel(true);
    let engine = wasmi::Engine::new(&cfg);
    let module = wasmi::Module::new(&engine, wasm).map_err(|e| format!("wasmi refused: {e}"))?;
    let Some(mut pair) = instantiate(&program, &module)? else {
        return Ok(0);
    };

    let mut rnd = bytes(seed ^ 0x5eed, 4096).into_iter().cycle();
    let mut word = move || {
        let mut v = 0u64;
        for _ in 0..8 {
            v = v << 8 | rnd.next().unwrap() as u64;
        }
        // random bit lengths
        v >> (v % 64)
    };
    let mut compared = 0;
    for e in &program.module.exports {
        if e.kind != ExportKind::Func {
            continue;
        }
        let sig = program.module.func_sig(e.index).unwrap().clone();
        for round in 0..3 {
            let Pair {
                gs,
                g_inst,
                ws,
                w_inst,
            } = &mut pair;
            let wf = w_inst
                .get_export(&*ws, &e.name)
                .and_then(|x| x.into_func())
                .expect("wasmi export");
            let args: Vec<Value> = sig
                .params
                .iter()
                .map(|t| {
                    let r = if round == 0 { 0 } else { word() };
                    match t {
                        ValType::I32 => Value::I32(r as u32),
                        ValType::I64 => Value::I64(r),
                        ValType::FuncRef => Value::FuncRef(None),
                        ValType::ExternRef => Value::ExternRef(None),
                    }
                })
                .collect();
            let g = match gs.invoke(*g_inst, &e.name, &args) {
                Ok(v) => Outcome::Values(v.iter().map(norm_gloam).collect()),
                Err(err) => gloam_trap(&err),
            };
            let w_args: Vec<wasmi::Val> = args
                .iter()
                .map(|v| match v {
                    Value::I32(x) => wasmi::Val::I32(*x as i32),
                    Value::I64(x) => wasmi::Val::I64(*x as i64),
                    Value::FuncRef(_) => wasmi::Val::FuncRef(wasmi::Nullable::Null),
                    Value::ExternRef(_) => wasmi::Val::ExternRef(wasmi::Nullable::Null),
                })
                .collect();
            let mut out: Vec<wasmi::Val> = sig.results.iter().map(|_| wasmi::Val::I32(0)).collect();
            ws.set_fuel(1_000_000).expect("fuel enabled");
            let w = match wf.call(&mut *ws, &w_args, &mut out) {
                Ok(()) => Outcome::Values(out.iter().map(norm_wasmi).collect()),
                Err(err) => wasmi_trap(&err),
            };
            if g == Outcome::Resource || w == Outcome::Resource {
                match instantiate(&program, &module)? {
                    Some(p) => pair = p,
                    None => return Ok(compared),
                }
                break;
            }
            if g != w {
                return Err(format!("{}({args:?}): gloam {g:?}, wasmi {w:?}", e.name));
            }
            compared += 1;
            // The state both left behind: exported globals and memory.
            for x in &program.module.exports {
                match x.kind {
                    ExportKind::Global => {
                        let gv = gs.global_value(*g_inst, &x.name).expect("global");
                        let wv = w_inst
                            .get_export(&*ws, &x.name)
                            .and_then(|y| y.into_global())
                            .expect("wasmi global")
                            .get(&*ws);
                        if norm_gloam(&gv) != norm_wasmi(&wv) {
                            return Err(format!(
                                "after {}({args:?}): global {} gloam {gv:?}, wasmi {wv:?}",
                                e.name, x.name
                            ));
                        }
                    }
                    ExportKind::Memory => {
                        let Some(ExternVal::Memory(a)) = gs.export(*g_inst, &x.name) else {
                            panic!("memory export")
                        };
                        let gm = gs.memory(a).expect("memory");
                        let wm = w_inst
                            .get_export(&*ws, &x.name)
                            .and_then(|y| y.into_memory())
                            .expect("wasmi memory")
                            .data(&*ws);
                        if gm != wm {
                            return Err(format!(
                                "after {}({args:?}): memory {} differs ({} vs {} bytes)",
                                e.name,
                                x.name,
                                gm.len(),
                                wm.len()
                            ));
                        }
                    }
                    _ => {}
                }
            }
        }
    }
    Ok(compared)
}

#[test]
fn generated_modules_agree_with_wasmi() {
    // wasmi needs more than the default 2 MiB of host stack on some generated modules.
    std::thread::Builder::new()
        .stack_size(64 << 20)
        .spawn(agree_with_wasmi)
        .expect("spawn")
        .join()
        .expect("no panic");
}

fn agree_with_wasmi() {
    let mut modules = 0;
    let mut calls = 0;
    let mut failures = Vec::new();
    for seed in 0..6000u64 {
        let data = bytes(seed, 16384);
        let mut u = Unstructured::new(&data);
        let Ok(module) = wasm_smith::Module::new(config(), &mut u) else {
            continue;
        };
        let wasm = module.to_bytes();
        match compare(&wasm, seed) {
            Ok(n) => {
                modules += 1;
                calls += n;
            }
            Err(e) => failures.push(format!("seed {seed}: {e}")),
        }
    }
    println!("{modules} modules, {calls} calls compared with wasmi");
    assert!(
        failures.is_empty(),
        "{} modules disagree; first:\n{}",
        failures.len(),
        failures
            .iter()
            .take(10)
            .cloned()
            .collect::<Vec<_>>()
            .join("\n")
    );
    assert!(
        modules >= 5000 && calls >= 5000,
        "only {calls} calls in {modules} modules"
    );
}
