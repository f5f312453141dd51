//! Helpers shared by the proving tests: prove and verify a run of `i32` arguments and one
//! `i32` result, checked against `gloam run`'s fast path, or expect its trap.
#![allow(dead_code)]

use std::sync::Arc;

use gloam_executor::{ExecError, Limits};
use gloam_isa::{IntValue, Program, TrapKind};
use gloam_prover::{prove_values, ProveConfig, ProveError};

/// Proves `entry(args)` of `program`, verifies the proof file, checks the verified result
/// against the executor's fast path (`gloam run`), and returns it.
///
/// # Errors
/// The prover's error (a trap of the run, ...).
pub fn prove_i32(program: &Arc<Program>, entry: &str, args: &[u32]) -> Result<u32, ProveError> {
    let typed: Vec<IntValue> = args.iter().map(|a| IntValue::I32(*a)).collect();
    let run = prove_values(program.clone(), entry, &typed, &ProveConfig::default())?;
    let st = gloam_verifier::verify_file(program, &run.file.to_bytes()).expect("verifies");
    assert_eq!(st.claim.results, run.file.results);
    let [IntValue::I32(r)] = st.claim.results[..] else {
        panic!("{entry}: one i32 result");
    };
    let fast = gloam_executor::run(program, entry, args, Limits::default()).expect("runs");
    assert_eq!(
        fast.results,
        vec![r],
        "{entry}{args:?}: gloam run and the proof agree"
    );
    Ok(r)
}

/// The trap a refused run stopped with, if that is why it was refused.
pub fn trap_of(e: ProveError) -> Option<TrapKind> {
    match e {
        ProveError::Exec(ExecError::Trap { kind, .. }) => Some(kind),
        _ => None,
    }
}

/// Asserts that proving `entry(args)` is refused with trap `want`.
pub fn expect_trap(program: &Arc<Program>, entry: &str, args: &[u32], want: TrapKind) {
    match prove_i32(program, entry, args) {
        Err(e) => {
            let msg = e.to_string();
            assert_eq!(trap_of(e), Some(want), "{entry}{args:?}: {msg}");
        }
        Ok(r) => panic!("{entry}{args:?}: expected {want:?}, proved {r}"),
    }
}

/// Asserts that proving `entry(args)` with input streams `io` (the contract interface) is
/// refused with trap `want`; `what` names the case in the failure message.
pub fn expect_io_trap(
    program: Arc<Program>,
    entry: &str,
    args: &[IntValue],
    io: &gloam_prover::IoInput,
    want: TrapKind,
    what: &str,
) {
    match gloam_prover::prove_io(program, entry, args, io, &ProveConfig::default()) {
        Err(e) => {
            let msg = e.to_string();
            assert_eq!(trap_of(e), Some(want), "{what}: {msg}");
        }
        Ok(_) => panic!("{what}: expected {want:?}, the run proved"),
    }
}
