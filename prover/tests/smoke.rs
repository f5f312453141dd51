use std::sync::Arc;

#[test]
fn fib_proves_and_verifies() {
    let bytes = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/fib/fib.wasm"
    ))
    .unwrap();
    let program = Arc::new(gloam_isa::load_module(&bytes).unwrap());
    let t = std::time::Instant::now();
    let run = gloam_prover::prove(program.clone(), "fib", &[10], &Default::default()).unwrap();
    eprintln!("prove {:?} {:?}", t.elapsed(), run.stats);
    let t = std::time::Instant::now();
    let st = gloam_verifier::verify_file(&program, &run.file.to_bytes()).unwrap();
    eprintln!("verify {:?} {:?}", t.elapsed(), st);
    assert_eq!(st.claim.results, vec![55]);
}
