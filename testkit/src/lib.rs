//! Test support shared by the crates' test suites: the example contracts in `examples/` and
//! the reference cases of `examples/manifest.txt` (small runs), `examples/bench.txt`
//! (benchmark-size runs) and `examples/wide.txt` (executor-only contracts), whose expected
//! results come from an independent Python model; and ([`spec`]) the official WebAssembly 2.0
//! spec-test scripts, parsed and run by the executor's and the prover's spec runners.
#![deny(missing_docs)]

pub mod spec;

use std::path::PathBuf;
use std::sync::Arc;

use gloam_isa::Program;

/// The repository's `examples/` folder.
pub fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// One reference case: `entry(args)` of `contract` returns `expected`.
#[derive(Clone, Debug)]
pub struct Case {
    /// Contract (folder) name.
    pub contract: String,
    /// Exported entry function.
    pub entry: String,
    /// Arguments.
    pub args: Vec<u32>,
    /// Expected results.
    pub expected: Vec<u32>,
    /// The manifest line, for messages.
    pub line: String,
}

impl Case {
    /// Path of the contract's module with extension `ext` (`wasm` or `wat`).
    pub fn module_path(&self, ext: &str) -> PathBuf {
        examples_dir()
            .join(&self.contract)
            .join(format!("{}.{ext}", self.contract))
    }
}

fn parse_list(s: &str) -> Vec<u32> {
    if s == "-" {
        return vec![];
    }
    s.split(',')
        .map(|v| v.parse().expect("manifest values are u32"))
        .collect()
}

fn read_cases(file: &str) -> Vec<Case> {
    let text = std::fs::read_to_string(examples_dir().join(file)).expect("examples manifest");
    text.lines()
        .filter(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(|line| {
            let f: Vec<&str> = line.split_whitespace().collect();
            Case {
                contract: f[0].into(),
                entry: f[1].into(),
                args: parse_list(f[2]),
                expected: parse_list(f[3]),
                line: line.into(),
            }
        })
        .collect()
}

/// The small cases of `examples/manifest.txt`.
pub fn manifest() -> Vec<Case> {
    read_cases("manifest.txt")
}

/// The benchmark-size cases of `examples/bench.txt`, one per contract.
pub fn bench_cases() -> Vec<Case> {
    read_cases("bench.txt")
}

/// The cases of `examples/wide.txt`: the contracts `sha256`, `sort`, `merkle`, `dispatch` and
/// `startup`, which use linear memory, i64 and globals, `call_indirect` through a function
/// table (`dispatch`), a start function and passive data segments (`startup`); all but
/// `startup` prove. Each case expects a fresh instance.
pub fn wide_cases() -> Vec<Case> {
    read_cases("wide.txt")
}

/// Loads example contract `name` from its `.wasm`.
///
/// # Panics
/// If the module is missing or refused (a broken checkout).
pub fn load_example(name: &str) -> Arc<Program> {
    let bytes = std::fs::read(examples_dir().join(name).join(format!("{name}.wasm")))
        .expect("example module");
    Arc::new(gloam_isa::load_module(&bytes).expect("example loads"))
}
