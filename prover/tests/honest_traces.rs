//! Honest traces of every example case satisfy every constraint and balance every bus
//! (checked row by row with `gloam_air::check`).

use gloam_executor::{run_traced, Limits};
use gloam_prover::trace::build_main_trace;

#[test]
fn every_manifest_case_satisfies_the_air() {
    let cases = gloam_testkit::manifest();
    for case in &cases {
        let program = gloam_testkit::load_example(&case.contract);
        let (out, exec) = run_traced(&program, &case.entry, &case.args, Limits::default()).unwrap();
        let (trace, pi) = build_main_trace(program, &case.entry, &case.args, &out, &exec).unwrap();
        gloam_air::check::check(&trace.columns, &pi)
            .unwrap_or_else(|e| panic!("{}: {e}", case.line));
    }
    assert!(cases.len() >= 100);
}
