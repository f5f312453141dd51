//! Prints the time spent in each proving phase:
//! `cargo run --release -p gloam-prover --example phases -- MODULE ENTRY ARGS`
//! (`GLOAM_ZK=1`: a zero-knowledge proof).
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gloam_prover::{prove, Phase, ProveConfig, ZkMode};

fn main() {
    let mut a = std::env::args().skip(1);
    let (path, entry, args) = (
        a.next().expect("MODULE"),
        a.next().expect("ENTRY"),
        a.next().unwrap_or_default(),
    );
    let args: Vec<u32> = args
        .split(',')
        .filter(|s| !s.is_empty())
        .map(|s| s.parse().expect("u32"))
        .collect();
    let program =
        Arc::new(gloam_isa::load_module(&std::fs::read(path).expect("read")).expect("load"));
    let marks: Arc<Mutex<Vec<(Phase, Instant)>>> = Arc::default();
    let m = marks.clone();
    let mut cfg = ProveConfig {
        progress: Some(Arc::new(move |p| {
            m.lock().unwrap().push((p, Instant::now()))
        })),
        zero_knowledge: if std::env::var("GLOAM_ZK").is_ok() {
            ZkMode::On
        } else {
            ZkMode::Off
        },
        ..Default::default()
    };
    // GLOAM_OPTIONS="queries,blowup,grinding,fri_remainder_max_degree" overrides the defaults.
    if let Ok(o) = std::env::var("GLOAM_OPTIONS") {
        let v: Vec<usize> = o.split(',').map(|x| x.parse().expect("number")).collect();
        cfg.options = winterfell::ProofOptions::new(
            v[0],
            v[1],
            v[2] as u32,
            winterfell::FieldExtension::Quadratic,
            8,
            v[3],
            winterfell::BatchingMethod::Linear,
            winterfell::BatchingMethod::Linear,
        );
    }
    let run = prove(program, &entry, &args, &cfg).expect("prove");
    let marks = marks.lock().unwrap();
    for w in marks.windows(2) {
        println!(
            "{:>22}: {:8.1} ms",
            w[0].0.label(),
            (w[1].1 - w[0].1).as_secs_f64() * 1e3
        );
    }
    let s = &run.stats;
    println!(
        "cycles {} rows {} proof {} B, {} bits conjectured, {} proven, total {:.2} s",
        run.outcome.cycles,
        s.trace_rows,
        s.proof_bytes,
        s.conjectured_bits,
        s.proven_bits,
        (s.execute + s.build_trace + s.stark).as_secs_f64()
    );
}
