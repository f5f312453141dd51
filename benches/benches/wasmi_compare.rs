//! Criterion benchmarks: the executor's fast path (no trace) against `wasmi` (the standard Rust
//! WebAssembly interpreter, default `Config`: lazy translation, no fuel metering) on the same
//! `.wasm` files from `examples/`, and the trace-recording path's rate on the contracts it
//! accepts.
//!
//! Benchmarks (pairs a script can read from
//! `target/criterion/<group>/<workload>/<engine>/new/estimates.json`):
//! * `wasmi_compare/<workload>/{gloam,wasmi}` for `sha256_4k`, `sort_512` and `fib_rec`; each
//!   engine instantiates the module once and only the invocation is timed (the contracts
//!   regenerate their input on every call, so re-running on one instance is fine);
//! * `wasmi_compare_traced/<workload>/{traced,fast}` for `fib_rec`, `fib` and `hash_mix`:
//!   `run_traced` against `run` (both instantiate a fresh store per run).
//!
//! Before timing, every workload's result is checked across the engines (and against
//! `examples/wide.txt` where it lists the case). One line per workload,
//! `wasmi_compare_meta {json}`, gives cycles and WebAssembly instructions per run and, for the
//! traced workloads, the trace's size; `benches/compare_wasmi.sh` turns all of it into a table.
//!
//! `cargo bench -p gloam-benches --bench wasmi_compare` (or `benches/compare_wasmi.sh`).

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gloam_executor::{run, run_traced, ExecError, Limits, Step, Store, Value};

/// `n` of the recursive-fibonacci workload (both the comparison and the traced rate).
const FIB_REC_N: u32 = 24;

/// One workload: `entry(args)` of example contract `contract`.
struct Workload {
    name: &'static str,
    contract: &'static str,
    entry: &'static str,
    args: &'static [u32],
}

/// Workloads timed against wasmi.
const COMPARE: &[Workload] = &[
    Workload {
        name: "sha256_4k",
        contract: "sha256",
        entry: "sha256_gen",
        args: &[4096, 7],
    },
    Workload {
        name: "sort_512",
        contract: "sort",
        entry: "sort_gen",
        args: &[512, 7],
    },
    Workload {
        name: "fib_rec",
        contract: "recursive",
        entry: "fib_rec",
        args: &[FIB_REC_N],
    },
];

/// Further workloads of the trace-recording rate, after [`COMPARE`]'s (of which `run_traced`
/// refuses the memory-using contracts).
const TRACED_EXTRA: &[Workload] = &[
    Workload {
        name: "fib",
        contract: "fib",
        entry: "fib",
        args: &[100_000],
    },
    Workload {
        name: "hash_mix",
        contract: "hash",
        entry: "mix",
        args: &[3_735_928_559, 50_000],
    },
];

fn wasm_bytes(contract: &str) -> Vec<u8> {
    let path = gloam_testkit::examples_dir()
        .join(contract)
        .join(format!("{contract}.wasm"));
    std::fs::read(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// The result `examples/wide.txt` or `examples/bench.txt` lists for this call, if any.
fn listed_result(w: &Workload) -> Option<u32> {
    gloam_testkit::wide_cases()
        .into_iter()
        .chain(gloam_testkit::bench_cases())
        .find(|c| c.contract == w.contract && c.entry == w.entry && c.args == w.args)
        .map(|c| c.expected[0])
}

/// Expected result computed natively, for the calls no manifest lists.
fn native_result(w: &Workload) -> Option<u32> {
    match (w.contract, w.entry) {
        ("recursive", "fib_rec") => {
            let (mut a, mut b) = (0u32, 1u32);
            for _ in 0..w.args[0] {
                (a, b) = (b, a.wrapping_add(b));
            }
            Some(a)
        }
        ("fib", "fib") => {
            let (mut a, mut b) = (0u32, 1u32);
            for _ in 0..w.args[0] {
                (a, b) = (b, a.wrapping_add(b));
            }
            Some(a)
        }
        _ => None,
    }
}

/// A module instantiated once in wasmi, with its typed export.
struct WasmiRun {
    store: wasmi::Store<()>,
    func: WasmiFunc,
}

enum WasmiFunc {
    Unary(wasmi::TypedFunc<i32, i32>),
    Binary(wasmi::TypedFunc<(i32, i32), i32>),
}

impl WasmiRun {
    fn new(bytes: &[u8], entry: &str, arity: usize) -> WasmiRun {
        let engine = wasmi::Engine::new(&wasmi::Config::default());
        let module = wasmi::Module::new(&engine, bytes).expect("wasmi accepts the module");
        let mut store = wasmi::Store::new(&engine, ());
        let linker = wasmi::Linker::<()>::new(&engine);
        let instance = linker
            .instantiate_and_start(&mut store, &module)
            .expect("wasmi instantiates the module");
        let func = match arity {
            1 => WasmiFunc::Unary(
                instance
                    .get_typed_func::<i32, i32>(&store, entry)
                    .expect("wasmi: export (i32) -> i32"),
            ),
            2 => WasmiFunc::Binary(
                instance
                    .get_typed_func::<(i32, i32), i32>(&store, entry)
                    .expect("wasmi: export (i32, i32) -> i32"),
            ),
            _ => unreachable!("workloads take one or two i32"),
        };
        WasmiRun { store, func }
    }

    fn call(&mut self, args: &[u32]) -> u32 {
        let out = match (&self.func, args) {
            (WasmiFunc::Unary(f), &[a]) => f.call(&mut self.store, a as i32),
            (WasmiFunc::Binary(f), &[a, b]) => f.call(&mut self.store, (a as i32, b as i32)),
            _ => unreachable!("arity checked at instantiation"),
        };
        out.expect("wasmi run") as u32
    }
}

/// The same module instantiated once in Gloam's store.
struct GloamRun {
    store: Store,
    inst: gloam_executor::InstanceId,
    entry: &'static str,
    args: Vec<Value>,
}

impl GloamRun {
    fn new(bytes: &[u8], w: &Workload) -> GloamRun {
        let program = Arc::new(gloam_isa::load_module(bytes).expect("Gloam loads the module"));
        let mut store = Store::new(Limits::default());
        let inst = store
            .instantiate(program)
            .expect("Gloam instantiates the module");
        let args = w.args.iter().map(|a| Value::I32(*a)).collect();
        GloamRun {
            store,
            inst,
            entry: w.entry,
            args,
        }
    }

    fn call(&mut self) -> Vec<Value> {
        self.store
            .invoke(self.inst, self.entry, &self.args)
            .expect("Gloam run")
    }

    /// Result, cycles and WebAssembly instructions of one run.
    fn counted(&mut self) -> (u32, u64, u64) {
        let (out, cycles, wasm) = self
            .store
            .invoke_counted(self.inst, self.entry, &self.args)
            .expect("Gloam run");
        match out[..] {
            [Value::I32(v)] => (v, cycles, wasm),
            _ => panic!("{}: expected one i32, got {out:?}", self.entry),
        }
    }
}

fn compare(c: &mut Criterion) {
    let mut g = c.benchmark_group("wasmi_compare");
    for w in COMPARE {
        let bytes = wasm_bytes(w.contract);
        let mut gloam = GloamRun::new(&bytes, w);
        let mut wasmi = WasmiRun::new(&bytes, w.entry, w.args.len());
        let (g_first, cycles, wasm_instrs) = gloam.counted();
        let (g_again, ..) = gloam.counted();
        let w_first = wasmi.call(w.args);
        let w_again = wasmi.call(w.args);
        assert_eq!(g_first, g_again, "{}: Gloam differs on a re-run", w.name);
        assert_eq!(w_first, w_again, "{}: wasmi differs on a re-run", w.name);
        assert_eq!(g_first, w_first, "{}: Gloam and wasmi disagree", w.name);
        let expected = listed_result(w).or_else(|| native_result(w));
        if let Some(e) = expected {
            assert_eq!(g_first, e, "{}: result differs from the reference", w.name);
        }
        println!(
            "wasmi_compare_meta {{\"group\":\"wasmi_compare\",\"workload\":\"{}\",\"call\":\"{}.{}{:?}\",\"result\":{},\"reference_checked\":{},\"cycles\":{},\"wasm_instrs\":{}}}",
            w.name,
            w.contract,
            w.entry,
            w.args,
            g_first,
            expected.is_some(),
            cycles,
            wasm_instrs
        );

        g.throughput(Throughput::Elements(wasm_instrs));
        g.bench_function(BenchmarkId::new(w.name, "gloam"), |b| {
            b.iter(|| gloam.call())
        });
        g.bench_function(BenchmarkId::new(w.name, "wasmi"), |b| {
            b.iter(|| wasmi.call(w.args))
        });
    }
    g.finish();
}

fn traced(c: &mut Criterion) {
    let mut g = c.benchmark_group("wasmi_compare_traced");
    for w in COMPARE.iter().chain(TRACED_EXTRA) {
        let bytes = wasm_bytes(w.contract);
        let program = gloam_isa::load_module(&bytes).expect("Gloam loads the module");
        let (outcome, trace) = match run_traced(&program, w.entry, w.args, Limits::default()) {
            Ok(r) => r,
            Err(e @ ExecError::NotProvable { .. }) => {
                println!(
                    "wasmi_compare_meta {{\"group\":\"wasmi_compare_traced\",\"workload\":\"{}\",\"not_provable\":\"{}\"}}",
                    w.name,
                    e.to_string().replace('\\', "\\\\").replace('"', "\\\"")
                );
                continue;
            }
            Err(e) => panic!("{}: run_traced: {e}", w.name),
        };
        let fast = run(&program, w.entry, w.args, Limits::default()).expect("Gloam run");
        let wasmi_result = WasmiRun::new(&bytes, w.entry, w.args.len()).call(w.args);
        assert_eq!(outcome, fast, "{}: traced and fast paths disagree", w.name);
        assert_eq!(
            outcome.results,
            [wasmi_result],
            "{}: Gloam and wasmi disagree",
            w.name
        );
        let expected = listed_result(w).or_else(|| native_result(w));
        if let Some(e) = expected {
            assert_eq!(
                outcome.results,
                [e],
                "{}: differs from the reference",
                w.name
            );
        }
        assert_eq!(trace.steps.len() as u64, outcome.cycles);
        let trace_bytes = std::mem::size_of_val(&trace.steps[..])
            + std::mem::size_of_val(&trace.final_values[..])
            + std::mem::size_of_val(&trace.final_ts[..]);
        println!(
            "wasmi_compare_meta {{\"group\":\"wasmi_compare_traced\",\"workload\":\"{}\",\"call\":\"{}.{}{:?}\",\"result\":{},\"reference_checked\":{},\"cycles\":{},\"wasm_instrs\":{},\"steps\":{},\"step_bytes\":{},\"slots\":{},\"trace_bytes\":{}}}",
            w.name,
            w.contract,
            w.entry,
            w.args,
            outcome.results[0],
            expected.is_some(),
            outcome.cycles,
            outcome.wasm_instrs,
            trace.steps.len(),
            std::mem::size_of::<Step>(),
            trace.slots_used(),
            trace_bytes
        );
        drop(trace);

        g.throughput(Throughput::Elements(outcome.cycles));
        g.bench_function(BenchmarkId::new(w.name, "traced"), |b| {
            b.iter(|| run_traced(&program, w.entry, w.args, Limits::default()).unwrap())
        });
        g.bench_function(BenchmarkId::new(w.name, "fast"), |b| {
            b.iter(|| run(&program, w.entry, w.args, Limits::default()).unwrap())
        });
    }
    g.finish();
}

criterion_group!(benches, compare, traced);
criterion_main!(benches);
