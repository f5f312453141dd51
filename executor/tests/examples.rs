//! Every case of `examples/manifest.txt` runs to its reference result (computed independently
//! by `examples/tools/reference.py`), from both the `.wasm` and the `.wat` of each contract.

use std::path::PathBuf;

use gloam_executor::{run, run_traced, Limits};

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
fn manifest_cases_match_reference_results() {
    let manifest = std::fs::read_to_string(examples_dir().join("manifest.txt")).expect("manifest");
    let mut n = 0;
    for line in manifest
        .lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
    {
        let f: Vec<&str> = line.split_whitespace().collect();
        let (name, entry, args, expected) = (f[0], f[1], parse_list(f[2]), parse_list(f[3]));
        for ext in ["wasm", "wat"] {
            let bytes =
                std::fs::read(examples_dir().join(name).join(format!("{name}.{ext}"))).unwrap();
            let program =
                gloam_isa::load_module(&bytes).unwrap_or_else(|e| panic!("{name}.{ext}: {e}"));
            let out = run(&program, entry, &args, Limits::default())
                .unwrap_or_else(|e| panic!("{line}: {e}"));
            assert_eq!(out.results, expected, "{line} ({ext})");
            let (traced, trace) = run_traced(&program, entry, &args, Limits::default()).unwrap();
            assert_eq!(traced, out, "{line}: traced and fast runs differ");
            assert_eq!(trace.steps.len() as u64, out.cycles);
        }
        n += 1;
    }
    assert!(n >= 100, "only {n} manifest cases found");
}
