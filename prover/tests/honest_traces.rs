//! Honest traces of every example case satisfy every constraint and balance every bus
//! (checked row by row with `gloam_air::check`).

use gloam_executor::{run_traced, Limits};
use gloam_prover::trace::build_main_trace;

#[test]
fn every_manifest_case_satisfies_the_air() {
    let cases = gloam_testkit::manifest();
    assert!(cases.len() >= 100);
    // The cases split over the cores.
    let workers = std::thread::available_parallelism().map_or(1, |n| n.get());
    std::thread::scope(|scope| {
        for w in 0..workers {
            let cases = &cases;
            scope.spawn(move || {
                for case in cases.iter().skip(w).step_by(workers) {
                    let program = gloam_testkit::load_example(&case.contract);
                    let (out, exec) =
                        run_traced(&program, &case.entry, &case.args, Limits::default()).unwrap();
                    let (trace, pi) =
                        build_main_trace(program, &case.entry, &case.args, &out, &exec).unwrap();
                    gloam_air::check::check(&trace.columns, &pi)
                        .unwrap_or_else(|e| panic!("{}: {e}", case.line));
                }
            });
        }
    });
}

/// The same for the first two cases of each entry of the contracts with memory, `i64`,
/// globals, `call_indirect` and a start function (`examples/wide.txt`) that the AIR covers.
#[test]
fn wide_cases_satisfy_the_air() {
    let mut checked = 0;
    let mut per_entry = std::collections::HashMap::new();
    for case in &gloam_testkit::wide_cases() {
        let seen: &mut u32 = per_entry.entry((&case.contract, &case.entry)).or_default();
        if *seen == 2 {
            continue;
        }
        *seen += 1;
        let program = gloam_testkit::load_example(&case.contract);
        let Ok((out, exec)) = run_traced(&program, &case.entry, &case.args, Limits::default())
        else {
            continue;
        };
        if out.cycles > 1 << 13 {
            continue;
        }
        let (trace, pi) = build_main_trace(program, &case.entry, &case.args, &out, &exec).unwrap();
        gloam_air::check::check(&trace.columns, &pi)
            .unwrap_or_else(|e| panic!("{}: {e}", case.line));
        checked += 1;
    }
    assert!(checked >= 30, "{checked} cases checked");
}
