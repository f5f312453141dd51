//! Honest traces of every example case satisfy every constraint and balance every bus
//! (checked row by row with `gloam_air::check`).

use std::path::PathBuf;
use std::sync::Arc;

use gloam_air::trace::build_main_trace;
use gloam_executor::{run_traced, Limits};

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn parse_list(s: &str) -> Vec<u32> {
    if s == "-" {
        return vec![];
    }
    s.split(',').map(|v| v.parse().expect("u32")).collect()
}

#[test]
fn every_manifest_case_satisfies_the_air() {
    let manifest = std::fs::read_to_string(examples_dir().join("manifest.txt")).expect("manifest");
    let mut n = 0;
    for line in manifest
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (name, entry, args) = (f[0], f[1], parse_list(f[2]));
        let bytes = std::fs::read(examples_dir().join(name).join(format!("{name}.wasm"))).unwrap();
        let program = Arc::new(gloam_isa::load_module(&bytes).unwrap());
        let (out, exec) = run_traced(&program, entry, &args, Limits::default()).unwrap();
        let (trace, pi) = build_main_trace(program, entry, &args, &out, &exec).unwrap();
        gloam_air::check::check(&trace.columns, &pi).unwrap_or_else(|e| panic!("{line}: {e}"));
        n += 1;
    }
    assert!(n >= 100);
}
