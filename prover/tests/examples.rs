//! Every shipped contract proves and verifies (release mode), the verified results equal the
//! fast executor's, and corrupted proofs are rejected with an error, never a panic.

use gloam_air::proof_file::ProofFile;
use gloam_executor::{run, Limits};
use gloam_prover::{prove, ProveConfig};
use gloam_testkit::load_example as load;
use gloam_verifier::{verify_file, VerifyError};

/// One benchmark-size case per contract (`examples/bench.txt`).
#[test]
fn every_example_proves_and_verifies() {
    let mut contracts = std::collections::BTreeSet::new();
    for case in gloam_testkit::bench_cases() {
        let (name, entry, args, expected, line) = (
            &case.contract,
            &case.entry,
            &case.args,
            &case.expected,
            &case.line,
        );
        let program = load(name);
        let fast = run(&program, entry, args, Limits::default()).unwrap();
        assert_eq!(&fast.results, expected, "{line}");
        let proven = prove(program.clone(), entry, args, &ProveConfig::default())
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        let st = verify_file(&program, &proven.file.to_bytes())
            .unwrap_or_else(|e| panic!("{line}: {e}"));
        assert_eq!(
            st.claim.results,
            fast.results
                .iter()
                .map(|v| gloam_isa::IntValue::I32(*v))
                .collect::<Vec<_>>(),
            "{line}: verified results differ from `gloam run`"
        );
        assert_eq!(st.claim.cycles, fast.cycles, "{line}");
        assert!(
            st.conjectured_bits >= 96,
            "{line}: {} bits",
            st.conjectured_bits
        );
        contracts.insert(name.to_string());
    }
    assert!(
        contracts.len() >= 5,
        "only {} contracts proven",
        contracts.len()
    );
}

/// The main entries of the contracts with linear memory, `i64`, globals and `call_indirect`
/// (`examples/wide.txt`, expected results from the Python models): one small case each,
/// proven and verified; for `startup`, the proof covers its start function's run too.
#[test]
fn wide_contracts_main_entries_prove_and_verify() {
    let picks = [
        ("sha256", "sha256_gen", vec![64, 5]),
        ("sort", "sort_gen", vec![10, 42]),
        ("merkle", "merkle_root_word", vec![0, 1, 0]),
        ("dispatch", "op1", vec![3, 2147483649, 4]),
        // A start function with `memory.init`/`data.drop` runs first, in the same proof.
        ("startup", "sub_word", vec![16909060]),
        ("startup", "sbox_sum", vec![]),
    ];
    let cases = gloam_testkit::wide_cases();
    for (name, entry, args) in picks {
        let case = cases
            .iter()
            .find(|c| c.contract == name && c.entry == entry && c.args == args)
            .unwrap_or_else(|| panic!("{name} {entry} {args:?} is in wide.txt"));
        let program = load(name);
        let proven = prove(program.clone(), entry, &args, &ProveConfig::default())
            .unwrap_or_else(|e| panic!("{}: {e}", case.line));
        let st = verify_file(&program, &proven.file.to_bytes())
            .unwrap_or_else(|e| panic!("{}: {e}", case.line));
        let expected: Vec<_> = case
            .expected
            .iter()
            .map(|v| gloam_isa::IntValue::I32(*v))
            .collect();
        assert_eq!(st.claim.results, expected, "{}", case.line);
    }
}

#[test]
fn corrupted_proofs_are_rejected_without_panic() {
    let program = load("gcd");
    let proven = prove(
        program.clone(),
        "gcd",
        &[1071, 462],
        &ProveConfig::default(),
    )
    .unwrap();
    let good = proven.file.to_bytes();
    assert_eq!(
        verify_file(&program, &good).unwrap().claim.results,
        vec![gloam_isa::IntValue::I32(21)]
    );

    // Truncations.
    for len in [0, 1, 9, 10, 11, 100, good.len() / 2, good.len() - 1] {
        assert!(
            verify_file(&program, &good[..len]).is_err(),
            "accepted a proof truncated to {len} bytes"
        );
    }
    // Trailing garbage.
    let mut long = good.clone();
    long.push(0);
    assert!(
        verify_file(&program, &long).is_err(),
        "accepted trailing bytes"
    );

    // Single flipped bits sampled across the whole file.
    let positions: Vec<usize> = (0..160).map(|i| i * (good.len() - 1) / 159).collect();
    for (i, pos) in positions.into_iter().enumerate() {
        let mut bad = good.clone();
        bad[pos] ^= if i % 2 == 0 { 0x01 } else { 0x80 };
        assert!(
            verify_file(&program, &bad).is_err(),
            "accepted a proof with byte {pos} flipped"
        );
    }

    // Swapped public inputs.
    let mut f = ProofFile::from_bytes(&good).unwrap();
    f.args.swap(0, 1);
    assert!(
        verify_file(&program, &f.to_bytes()).is_err(),
        "accepted swapped arguments"
    );
    let mut f = ProofFile::from_bytes(&good).unwrap();
    f.results[0] = gloam_isa::IntValue::I32(f.results[0].as_i32().unwrap() + 1);
    assert!(
        verify_file(&program, &f.to_bytes()).is_err(),
        "accepted a wrong result"
    );
    let mut f = ProofFile::from_bytes(&good).unwrap();
    f.entry = "nope".into();
    assert!(
        verify_file(&program, &f.to_bytes()).is_err(),
        "accepted a wrong entry"
    );

    // Another program.
    let other = load("fib");
    assert!(matches!(
        verify_file(&other, &good),
        Err(VerifyError::WrongProgram { .. })
    ));
    // ...even when the file claims the other program's hash.
    let mut f = ProofFile::from_bytes(&good).unwrap();
    f.program_hash = other.hash().0;
    f.entry = "fib".into();
    f.args = vec![gloam_isa::IntValue::I32(1071)];
    assert!(
        verify_file(&other, &f.to_bytes()).is_err(),
        "accepted a proof for another program"
    );

    // Random garbage never panics.
    let mut x = 0x9e37_79b9_7f4a_7c15u64;
    for len in [10usize, 64, 1000, good.len()] {
        let junk: Vec<u8> = (0..len)
            .map(|_| {
                x ^= x << 13;
                x ^= x >> 7;
                x ^= x << 17;
                x as u8
            })
            .collect();
        assert!(verify_file(&program, &junk).is_err());
        let mut with_header = good[..10.min(len)].to_vec();
        with_header.extend_from_slice(&junk);
        assert!(verify_file(&program, &with_header).is_err());
    }
}
