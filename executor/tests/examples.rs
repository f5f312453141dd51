//! Every case of `examples/manifest.txt` runs to its reference result (computed independently
//! by `examples/tools/reference.py`), from both the `.wasm` and the `.wat` of each contract.

use gloam_executor::{run, run_traced, Limits};

#[test]
fn manifest_cases_match_reference_results() {
    let cases = gloam_testkit::manifest();
    for case in &cases {
        for ext in ["wasm", "wat"] {
            let bytes = std::fs::read(case.module_path(ext)).unwrap();
            let program = gloam_isa::load_module(&bytes)
                .unwrap_or_else(|e| panic!("{}.{ext}: {e}", case.contract));
            let out = run(&program, &case.entry, &case.args, Limits::default())
                .unwrap_or_else(|e| panic!("{}: {e}", case.line));
            assert_eq!(out.results, case.expected, "{} ({ext})", case.line);
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
