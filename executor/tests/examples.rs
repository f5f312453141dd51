//! Every case of `examples/manifest.txt` runs to its reference result (computed independently
//! by `examples/tools/reference.py`), from both the `.wasm` and the `.wat` of each contract.

use gloam_executor::{run, run_traced, Limits, Outcome};
use gloam_isa::Program;
use gloam_testkit::Case;

/// Loads `case`'s contract from its `.wasm` or `.wat` (`ext`), runs the case on the fast path
/// and checks the reference result.
fn run_case(case: &Case, ext: &str) -> (Program, Outcome) {
    let bytes = std::fs::read(case.module_path(ext)).unwrap();
    let program =
        gloam_isa::load_module(&bytes).unwrap_or_else(|e| panic!("{}.{ext}: {e}", case.contract));
    let out = run(&program, &case.entry, &case.args, Limits::default())
        .unwrap_or_else(|e| panic!("{}: {e}", case.line));
    assert_eq!(out.results, case.expected, "{} ({ext})", case.line);
    (program, out)
}

#[test]
fn manifest_cases_match_reference_results() {
    let cases = gloam_testkit::manifest();
    for case in &cases {
        for ext in ["wasm", "wat"] {
            let (program, out) = run_case(case, ext);
            let (traced, trace) =
                run_traced(&program, &case.entry, &case.args, Limits::default()).unwrap();
            assert_eq!(traced, out, "{}: traced and fast runs differ", case.line);
            assert_eq!(trace.steps.len() as u64, out.cycles);
        }
    }
    assert!(
        cases.len() >= 100,
        "only {} manifest cases found",
        cases.len()
    );
}

/// The contracts that use linear memory, i64 and globals, `call_indirect` (`dispatch`) and a
/// start function with passive data segments (`startup`) (`examples/wide.txt`, reference results
/// from the independent Python models): the fast path gives the expected results from both the
/// `.wasm` and the `.wat`, repeated runs are identical, and the traced run (for `startup`, its
/// start function's run, then the entry's) records the reference result or refuses the run
/// naming the first instruction the AIR does not cover yet.
#[test]
fn wide_cases_match_reference_results() {
    let cases = gloam_testkit::wide_cases();
    let mut contracts = std::collections::BTreeSet::new();
    for case in &cases {
        contracts.insert(case.contract.clone());
        for ext in ["wasm", "wat"] {
            let (program, out) = run_case(case, ext);
            let again = run(&program, &case.entry, &case.args, Limits::default()).unwrap();
            assert_eq!(again, out, "{}: runs differ", case.line);
        }
    }
    let wide = ["dispatch", "merkle", "sha256", "sort", "startup"];
    assert_eq!(
        contracts.into_iter().collect::<Vec<_>>(),
        wide,
        "every executor-only contract has cases"
    );
    for name in wide {
        let p = gloam_testkit::load_example(name);
        let case = cases.iter().find(|c| c.contract == name).unwrap();
        match run_traced(&p, &case.entry, &case.args, Limits::default()) {
            // A run that avoids every executor-only instruction (e.g. `dispatch` now that
            // memory and globals are proven, on a case whose path does without `i64`)
            // records the reference result.
            Ok((out, _)) => assert_eq!(out.results, case.expected, "{name}"),
            Err(gloam_executor::ExecError::NotProvable { instr, .. }) => {
                assert!(!instr.is_empty(), "{name}");
            }
            other => panic!("{name}: expected NotProvable, got {other:?}"),
        }
    }
}

/// `dispatch` reaches its handlers only through `call_indirect` (a table filled by an element
/// segment, which no instruction changes, so the front end lowers each `call_indirect` into a
/// bounds check, a jump table and direct calls), and `startup` fills memory in its start
/// function from passive data segments: the modules really have these parts.
#[test]
fn dispatch_and_startup_have_table_and_start() {
    use gloam_isa::{Op, SegmentMode};
    let dispatch = gloam_testkit::load_example("dispatch");
    assert!(!dispatch.instrs.iter().any(|i| i.op == Op::CallIndirect));
    assert!(dispatch.instrs.iter().any(|i| i.op == Op::JTab));
    assert!(!dispatch.module.tables.is_empty());
    assert!(!dispatch.module.elems.is_empty());
    assert!(dispatch.module.start.is_none());
    let startup = gloam_testkit::load_example("startup");
    assert!(startup.module.start.is_some());
    assert!(startup
        .module
        .datas
        .iter()
        .any(|d| matches!(d.mode, SegmentMode::Passive)));
    // `memory.init` and `data.drop` are lowered (a jump table of the segment's bytes, its
    // length word), and every export has a start wrapper.
    assert!(!startup.instrs.iter().any(|i| i.op == Op::MemoryInit));
    assert!(!startup.instrs.iter().any(|i| i.op == Op::DataDrop));
    assert_eq!(startup.start_entries.len(), startup.exports.len());
}
