//! Criterion benchmarks: the fibonacci contract at 2^12, 2^14 and 2^16 cycles, proving and
//! verifying; and the executor's fast path against its trace-recording path on the same run
//! (the baseline measured in the same run).
//!
//! `cargo bench -p gloam-benches` (several minutes; proving dominates).

use std::sync::Arc;

use criterion::{criterion_group, criterion_main, BenchmarkId, Criterion, Throughput};
use gloam_executor::{run, run_traced, Limits};
use gloam_prover::{prove, ProveConfig};

/// Fibonacci iterations that make `fib` run just under `2^log_cycles` cycles
/// (5 cycles per iteration plus 9 of set-up).
fn iterations(log_cycles: u32) -> u32 {
    ((1u32 << log_cycles) - 1 - 9) / 5
}

fn program() -> Arc<gloam_isa::Program> {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/fib/fib.wasm"
    ))
    .unwrap();
    Arc::new(gloam_isa::load_module(&bytes).unwrap())
}

fn bench(c: &mut Criterion) {
    let p = program();
    let mut g = c.benchmark_group("execute_fib_2^16");
    let n = iterations(16);
    let cycles = run(&p, "fib", &[n], Limits::default()).unwrap().cycles;
    g.throughput(Throughput::Elements(cycles));
    g.bench_function("fast_path", |b| {
        b.iter(|| run(&p, "fib", &[n], Limits::default()).unwrap())
    });
    g.bench_function("trace_recording", |b| {
        b.iter(|| run_traced(&p, "fib", &[n], Limits::default()).unwrap())
    });
    g.finish();

    let mut g = c.benchmark_group("prove_fib");
    g.sample_size(10);
    for log in [12u32, 14, 16] {
        let n = iterations(log);
        let cycles = run(&p, "fib", &[n], Limits::default()).unwrap().cycles;
        g.throughput(Throughput::Elements(cycles));
        g.bench_with_input(
            BenchmarkId::from_parameter(format!("2^{log}")),
            &n,
            |b, &n| b.iter(|| prove(p.clone(), "fib", &[n], &ProveConfig::default()).unwrap()),
        );
    }
    g.finish();

    let mut g = c.benchmark_group("verify_fib");
    let proof = prove(p.clone(), "fib", &[iterations(16)], &ProveConfig::default())
        .unwrap()
        .file
        .to_bytes();
    g.bench_function("2^16", |b| {
        b.iter(|| gloam_verifier::verify_file(&p, &proof).unwrap())
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
