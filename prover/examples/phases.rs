//! Prints the time spent in each proving phase:
//! `cargo run --release -p gloam-prover --example phases -- MODULE ENTRY ARGS`.
use std::sync::{Arc, Mutex};
use std::time::Instant;

use gloam_prover::{prove, Phase, ProveConfig};

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
    let cfg = ProveConfig {
        progress: Some(Arc::new(move |p| {
            m.lock().unwrap().push((p, Instant::now()))
        })),
        ..Default::default()
    };
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
        "cycles {} rows {} proof {} B, {} bits conjectured",
        run.outcome.cycles, s.trace_rows, s.proof_bytes, s.conjectured_bits
    );
}
