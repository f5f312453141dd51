//! Runs one example export many times on the fast path (for profiling the interpreter):
//! `cargo run --release -p gloam-executor --example spin -- <contract> <entry> <reps> <args...>`.

use gloam_executor::{Limits, Store, Value};

fn main() {
    let a: Vec<String> = std::env::args().skip(1).collect();
    if a.len() < 3 {
        eprintln!("usage: spin <contract> <entry> <reps> <i32 args...>");
        std::process::exit(2);
    }
    let path = format!(
        "{}/../examples/{}/{}.wasm",
        env!("CARGO_MANIFEST_DIR"),
        a[0],
        a[0]
    );
    let bytes = std::fs::read(&path).expect("example module");
    let program = std::sync::Arc::new(gloam_isa::load_module(&bytes).expect("loads"));
    let mut store = Store::new(Limits::default());
    let inst = store.instantiate(program).expect("instantiates");
    let reps: u32 = a[2].parse().expect("reps");
    let args: Vec<Value> = a[3..]
        .iter()
        .map(|v| Value::I32(v.parse().expect("u32 arg")))
        .collect();
    let t = std::time::Instant::now();
    let mut cycles = 0;
    let mut last = vec![];
    for _ in 0..reps {
        let r = store.invoke(inst, &a[1], &args).expect("runs");
        cycles += store.last_cycles();
        last = r;
    }
    let dt = t.elapsed().as_secs_f64();
    println!(
        "{:?}: {} cycles in {:.3} s = {:.1} Mcycles/s",
        last,
        cycles,
        dt,
        cycles as f64 / dt / 1e6
    );
}
