//! The contract interface (`gloam_isa::io`) proven end to end: `gloam.read_public`,
//! `gloam.read_private` and `gloam.commit`. The statement holds the public input and the
//! journal; the private input is nowhere in the proof file; a claim with another public
//! input or journal is rejected.

mod common;

use std::sync::Arc;

use common::expect_io_trap;
use gloam_isa::{IntValue, TrapKind};
use gloam_prover::{prove_io, IoInput, ProveConfig};
use gloam_verifier::{verify, verify_file, verify_proof, Claim, VerifyError};

/// `check(limit)`: reads a 4-byte little-endian threshold from the public input and a
/// private balance (4 bytes), commits the threshold and one byte saying whether the balance
/// reaches it, then commits the public input's remaining bytes (a memo); returns the number
/// of private bytes read.
const CONTRACT: &str = r#"(module
  (import "gloam" "read_public" (func $rp (param i32 i32) (result i32)))
  (import "gloam" "read_private" (func $rq (param i32 i32) (result i32)))
  (import "gloam" "commit" (func $c (param i32 i32)))
  (memory 1)
  (func (export "check") (param $memo_max i32) (result i32) (local $m i32) (local $n i32)
    (drop (call $rp (i32.const 0) (i32.const 4)))
    (local.set $m (call $rq (i32.const 16) (i32.const 4)))
    (i32.store8 (i32.const 32) (i32.ge_u (i32.load (i32.const 16)) (i32.load (i32.const 0))))
    (call $c (i32.const 0) (i32.const 4))
    (call $c (i32.const 32) (i32.const 1))
    (local.set $n (call $rp (i32.const 100) (local.get $memo_max)))
    (call $c (i32.const 100) (local.get $n))
    (local.get $m)))"#;

fn program() -> Arc<gloam_isa::Program> {
    Arc::new(gloam_isa::load_module(CONTRACT.as_bytes()).expect("valid module"))
}

fn io(threshold: u32, balance: u32, memo: &[u8]) -> IoInput {
    let mut public = threshold.to_le_bytes().to_vec();
    public.extend_from_slice(memo);
    IoInput {
        public,
        private: balance.to_le_bytes().to_vec(),
    }
}

/// SHA-256 of the concatenation of `parts` (the host-side model of the SDK's
/// `sha256_concat`).
fn sha(parts: &[&[u8]]) -> [u8; 32] {
    use sha2::{Digest, Sha256};
    let mut s = Sha256::new();
    for p in parts {
        s.update(p);
    }
    s.finalize().into()
}

/// Every level of the SHA-256 Merkle tree over `leaves` (a power of two of them), leaves
/// first, a node `sha256(left ‖ right)`.
fn merkle_levels(leaves: Vec<[u8; 32]>) -> Vec<Vec<[u8; 32]>> {
    let mut levels = vec![leaves];
    while levels.last().unwrap().len() > 1 {
        let next = levels
            .last()
            .unwrap()
            .chunks(2)
            .map(|c| sha(&[&c[0], &c[1]]))
            .collect();
        levels.push(next);
    }
    levels
}

/// The siblings of leaf `index` up to depth `depth`, leaf level first, concatenated.
fn merkle_path(levels: &[Vec<[u8; 32]>], index: u32, depth: u8) -> Vec<u8> {
    (0..depth as usize)
        .flat_map(|d| levels[d][((index >> d) ^ 1) as usize])
        .collect()
}

#[test]
fn a_private_run_is_proven_with_its_public_input_and_journal() {
    let p = program();
    let input = io(1000, 0x5eed_c0de, b"memo!");
    let run = prove_io(
        p.clone(),
        "check",
        &[IntValue::I32(64)],
        &input,
        &ProveConfig::default(),
    )
    .expect("proves");
    let mut journal = 1000u32.to_le_bytes().to_vec();
    journal.push(1);
    journal.extend_from_slice(b"memo!");
    assert_eq!(run.outcome.journal, journal);
    assert_eq!(run.file.public_input, input.public);
    assert_eq!(run.file.journal, journal);
    let bytes = run.file.to_bytes();
    let st = verify_file(&p, &bytes).expect("verifies");
    assert_eq!(st.claim.journal, journal);
    assert_eq!(st.claim.public_input, input.public);
    assert_eq!(st.claim.results, vec![IntValue::I32(4)]);
    assert!(
        st.zero_knowledge,
        "a run with a private input is proven in zero knowledge"
    );
    // The private balance's bytes are nowhere in the file, at any alignment.
    let secret = 0x5eed_c0deu32.to_le_bytes();
    assert!(
        !bytes.windows(4).any(|w| w == secret),
        "the private input leaked"
    );

    // Another journal, public input or a truncated journal: rejected.
    let claim = Claim {
        entry: "check".into(),
        args: vec![IntValue::I32(64)],
        results: st.claim.results.clone(),
        cycles: st.claim.cycles,
        public_input: input.public.clone(),
        journal: journal.clone(),
    };
    verify_proof(&p, &claim, &run.file.stark, true).expect("the honest claim verifies");
    let mut forged = claim.clone();
    forged.journal[4] = 0;
    assert!(matches!(
        verify_proof(&p, &forged, &run.file.stark, true),
        Err(VerifyError::Rejected(_))
    ));
    let mut forged = claim.clone();
    forged.journal.pop();
    assert!(verify_proof(&p, &forged, &run.file.stark, true).is_err());
    let mut forged = claim.clone();
    forged.public_input[0] ^= 1;
    assert!(verify_proof(&p, &forged, &run.file.stark, true).is_err());
    let mut forged = claim.clone();
    forged.public_input.push(0);
    assert!(verify_proof(&p, &forged, &run.file.stark, true).is_err());
}

#[test]
fn reading_past_the_end_returns_zero_and_bad_pointers_trap() {
    let p = program();
    // No memo and a short private input: `read_private` returns 2, the memo read 0.
    let input = IoInput {
        public: 7u32.to_le_bytes().to_vec(),
        private: vec![9, 9],
    };
    let run = prove_io(
        p.clone(),
        "check",
        &[IntValue::I32(64)],
        &input,
        &ProveConfig::default(),
    )
    .expect("proves");
    assert_eq!(run.outcome.results, vec![2]);
    assert_eq!(run.outcome.journal, vec![7, 0, 0, 0, 1]);
    verify_file(&p, &run.file.to_bytes()).expect("verifies");
    // A memo read reaching past the memory traps, and the prover refuses the run.
    expect_io_trap(
        p,
        "check",
        &[IntValue::I32(65536)],
        &input,
        TrapKind::MemoryOutOfBounds,
        "check",
    );
}

#[test]
fn a_statement_with_io_for_a_module_without_the_interface_is_refused() {
    let p = Arc::new(
        gloam_isa::load_module(
            br#"(module (func (export "f") (param i32) (result i32) local.get 0))"#,
        )
        .expect("valid"),
    );
    let mut claim = Claim::i32("f", &[1], &[1], 2);
    claim.journal = vec![1];
    match verify(&p, &claim, &[]) {
        Err(VerifyError::Claim(m)) => assert!(m.contains("gloam.commit"), "{m}"),
        other => panic!("expected a claim error, got {other:?}"),
    }
    let mut claim = Claim::i32("f", &[1], &[1], 2);
    claim.public_input = vec![0; gloam_isa::io::MAX_PUBLIC_INPUT + 1];
    assert!(matches!(
        verify(&p, &claim, &[]),
        Err(VerifyError::Claim(_))
    ));
}

/// `examples/credential` (Rust, gloam-sdk): a private balance against a public threshold
/// and a public commitment `sha256("gloam-balance" ‖ balance ‖ salt)`. Honest runs prove with journal
/// `threshold ‖ commitment`; a wrong salt and a balance below the threshold trap, so the
/// prover refuses them.
#[test]
fn the_credential_contract_proves_only_honest_claims() {
    let wasm = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/credential/credential.wasm"
    ))
    .expect("credential.wasm");
    let p = Arc::new(gloam_isa::load_module(&wasm).expect("valid module"));
    let balance = 52_000u64;
    let salt = [0x5au8; 32];
    let commitment = sha(&[b"gloam-balance", &balance.to_le_bytes(), &salt]);
    let input = |threshold: u64, balance: u64, salt: [u8; 32]| {
        let mut public = threshold.to_le_bytes().to_vec();
        public.extend_from_slice(&commitment);
        let mut private = balance.to_le_bytes().to_vec();
        private.extend_from_slice(&salt);
        IoInput { public, private }
    };
    let honest = input(50_000, balance, salt);
    let run = prove_io(
        p.clone(),
        "prove_balance",
        &[],
        &honest,
        &ProveConfig::default(),
    )
    .expect("proves");
    assert_eq!(run.outcome.results, vec![1]);
    assert_eq!(
        run.file.journal, honest.public,
        "journal: threshold and commitment"
    );
    let bytes = run.file.to_bytes();
    verify_file(&p, &bytes).expect("verifies");
    assert!(!bytes.windows(8).any(|w| w == balance.to_le_bytes()));
    assert!(!bytes.windows(8).any(|w| w == [0x5a; 8]));
    for (what, io) in [
        ("wrong salt", input(50_000, balance, [0x5b; 32])),
        ("balance below the threshold", input(52_001, balance, salt)),
        ("another balance", input(50_000, balance + 1, salt)),
    ] {
        expect_io_trap(
            p.clone(),
            "prove_balance",
            &[],
            &io,
            TrapKind::Unreachable,
            what,
        );
    }
}

/// `examples/compliance` (Rust, gloam-sdk): the sender is a member of a public allowlist
/// (a SHA-256 Merkle root) and the amount is at most a public limit. An honest transfer
/// proves, with the amount hidden behind its commitment in the journal; a non-member, a
/// wrong leaf position and an amount over the limit trap.
#[test]
fn the_compliance_contract_proves_membership_without_revealing_the_member() {
    let h = sha;
    let wasm = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/compliance/compliance.wasm"
    ))
    .expect("compliance.wasm");
    let p = Arc::new(gloam_isa::load_module(&wasm).expect("valid module"));
    // 16 members, depth 4.
    let depth = 4u8;
    // Members hold secrets; the allowlist holds their owner keys.
    let accounts: Vec<[u8; 32]> = (0..16u8).map(|i| [i.wrapping_mul(37) ^ 0xc3; 32]).collect();
    let leaf = |secret: &[u8; 32]| h(&[b"gloam-allow", &h(&[b"gloam-owner", secret])]);
    let levels = merkle_levels(accounts.iter().map(leaf).collect());
    let root = levels.last().unwrap()[0];
    let limit = 10_000u64;
    let input = |account: [u8; 32], index: u32, path_of: u32, amount: u64| {
        let mut public = root.to_vec();
        public.push(depth);
        public.extend_from_slice(&limit.to_le_bytes());
        let mut private = account.to_vec();
        private.extend_from_slice(&index.to_le_bytes());
        private.extend(merkle_path(&levels, path_of, depth));
        private.extend_from_slice(&amount.to_le_bytes());
        private.extend_from_slice(&[0x42; 32]);
        IoInput { public, private }
    };
    let honest = input(accounts[11], 11, 11, 9_999);
    let run = prove_io(
        p.clone(),
        "check_transfer",
        &[],
        &honest,
        &ProveConfig::default(),
    )
    .expect("proves");
    let mut journal = honest.public.clone();
    journal.extend_from_slice(&h(&[b"gloam-amount", &9_999u64.to_le_bytes(), &[0x42; 32]]));
    assert_eq!(run.file.journal, journal);
    let bytes = run.file.to_bytes();
    verify_file(&p, &bytes).expect("verifies");
    assert!(
        !bytes.windows(32).any(|w| w == accounts[11]),
        "the member leaked"
    );
    for (what, io) in [
        ("non-member", input([0x99; 32], 11, 11, 10)),
        ("wrong position", input(accounts[11], 10, 11, 10)),
        // Knowing a member's owner key (the leaf's preimage) is not knowing its secret.
        (
            "a member's key as the secret",
            input(h(&[b"gloam-owner", &accounts[11]]), 11, 11, 10),
        ),
        ("amount over the limit", input(accounts[11], 11, 11, 10_001)),
    ] {
        expect_io_trap(
            p.clone(),
            "check_transfer",
            &[],
            &io,
            TrapKind::Unreachable,
            what,
        );
    }
}

/// `examples/transfer` (Rust, gloam-sdk): a confidential transfer of notes. An honest
/// transfer (one note of 70 spent into notes of 50 and 20) proves with the journal `root ‖
/// depth ‖ 1 ‖ nullifier ‖ 2 ‖ commitments`; the same note spent twice in one transfer,
/// unbalanced amounts, a note the spender does not own and a note outside the tree trap.
/// Proving an honest two-input transfer is left to the executor here (the same checks; the
/// proof would take a 2^18-row trace).
#[test]
fn the_transfer_contract_proves_balanced_spends_of_owned_notes() {
    let h = sha;
    let wasm = std::fs::read(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/transfer/transfer.wasm"
    ))
    .expect("transfer.wasm");
    let p = Arc::new(gloam_isa::load_module(&wasm).expect("valid module"));
    let owner_key = |secret: &[u8; 32]| h(&[b"gloam-owner", secret]);
    let note = |owner: &[u8; 32], amount: u64, blinding: &[u8; 32]| {
        h(&[b"gloam-note", owner, &amount.to_le_bytes(), blinding])
    };
    // A tree of depth 3: Alice's notes of 70 (index 5) and 30 (index 2), the rest filler.
    let depth = 3u8;
    let alice = [0xa1u8; 32];
    let mut leaves: Vec<[u8; 32]> = (0..8u8).map(|i| [i; 32]).collect();
    leaves[5] = note(&owner_key(&alice), 70, &[5; 32]);
    leaves[2] = note(&owner_key(&alice), 30, &[2; 32]);
    let levels = merkle_levels(leaves.clone());
    let root = levels.last().unwrap()[0];
    let bob = owner_key(&[0xb0; 32]);
    // (secret, amount, blinding, index) spent; (owner, amount, blinding) created.
    type Spend = ([u8; 32], u64, [u8; 32], u32);
    type Create = ([u8; 32], u64, [u8; 32]);
    let input = |spends: &[Spend], creates: &[Create]| {
        let mut public = root.to_vec();
        public.push(depth);
        let mut private = vec![spends.len() as u8];
        for (secret, amount, blinding, index) in spends {
            private.extend_from_slice(secret);
            private.extend_from_slice(&amount.to_le_bytes());
            private.extend_from_slice(blinding);
            private.extend_from_slice(&index.to_le_bytes());
            private.extend(merkle_path(&levels, *index, depth));
        }
        private.push(creates.len() as u8);
        for (owner, amount, blinding) in creates {
            private.extend_from_slice(owner);
            private.extend_from_slice(&amount.to_le_bytes());
            private.extend_from_slice(blinding);
        }
        IoInput { public, private }
    };
    let spend70: Spend = (alice, 70, [5; 32], 5);
    let out = [(bob, 50, [7u8; 32]), (owner_key(&alice), 20, [8u8; 32])];
    let honest = input(&[spend70], &out);
    let run =
        prove_io(p.clone(), "transfer", &[], &honest, &ProveConfig::default()).expect("proves");
    let mut journal = root.to_vec();
    journal.extend_from_slice(&[depth, 1]);
    journal.extend_from_slice(&h(&[
        b"gloam-nullifier",
        &alice,
        &leaves[5],
        &5u32.to_le_bytes(),
    ]));
    journal.push(2);
    for (owner, amount, blinding) in &out {
        journal.extend_from_slice(&note(owner, *amount, blinding));
    }
    assert_eq!(run.file.journal, journal);
    assert_eq!(run.outcome.results, vec![2]);
    let bytes = run.file.to_bytes();
    verify_file(&p, &bytes).expect("verifies");
    assert!(
        !bytes.windows(32).any(|w| w == alice),
        "the owner's secret leaked"
    );
    // Two inputs, honest: the executor runs it (the proof is the same checks, longer).
    let spend30: Spend = (alice, 30, [2; 32], 2);
    let both = input(&[spend70, spend30], &[(bob, 100, [9; 32])]);
    let ok = gloam_executor::run_io(&p, "transfer", &[], &both, Default::default())
        .expect("two inputs run");
    assert_eq!(ok.results, vec![1]);
    for (what, io) in [
        (
            "the same note twice",
            input(&[spend70, spend70], &[(bob, 140, [9; 32])]),
        ),
        ("unbalanced", input(&[spend70], &[(bob, 71, [9; 32])])),
        (
            "two equal new notes",
            input(&[spend70], &[(bob, 35, [9; 32]), (bob, 35, [9; 32])]),
        ),
        (
            "another owner's note",
            input(&[([0xb0; 32], 70, [5; 32], 5)], &[(bob, 70, [9; 32])]),
        ),
        (
            "a note outside the tree",
            input(&[(alice, 71, [5; 32], 5)], &[(bob, 71, [9; 32])]),
        ),
    ] {
        match gloam_executor::run_io(&p, "transfer", &[], &io, Default::default()) {
            Err(gloam_executor::ExecError::Trap { kind, .. }) => {
                assert_eq!(kind, TrapKind::Unreachable, "{what}")
            }
            other => panic!("{what}: expected a trap, got {:?}", other.map(|_| ())),
        }
    }
}

/// A module importing the contract interface keeps its tables that change in global words:
/// `table.set` of a defined function and of the imported `gloam.commit` itself, then
/// `call_indirect` through the table, proven. (The table's references relocate as in a
/// module without imports: the interface's functions come first in both stores.)
#[test]
fn interface_modules_hold_their_tables_in_words() {
    let wat = r#"(module
      (import "gloam" "commit" (func $commit (param i32 i32)))
      (type $c (func (param i32 i32)))
      (type $v (func (result i32)))
      (memory 1)
      (table $t 2 funcref)
      (elem declare func $commit $seven)
      (func $seven (type $v) i32.const 7)
      (func (export "f") (param $i i32) (result i32)
        (table.set $t (i32.const 0) (ref.func $commit))
        (table.set $t (i32.const 1) (ref.func $seven))
        (i32.store8 (i32.const 0) (i32.const 0xab))
        (call_indirect $t (type $c) (i32.const 0) (i32.const 1) (i32.const 0))
        (call_indirect $t (type $v) (local.get $i))))"#;
    let p = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("valid module"));
    assert!(p.word_tables.is_some(), "the table is held in words");
    assert!(!p.instrs.iter().any(|i| i.op == gloam_isa::Op::TableSet));
    let run = prove_io(
        p.clone(),
        "f",
        &[IntValue::I32(1)],
        &IoInput::default(),
        &ProveConfig::default(),
    )
    .expect("proves");
    assert_eq!(run.outcome.results, vec![7]);
    assert_eq!(run.file.journal, vec![0xab]);
    verify_file(&p, &run.file.to_bytes()).expect("verifies");
    // Entry 0 holds `commit`, of another type: the type check traps.
    expect_io_trap(
        p,
        "f",
        &[IntValue::I32(0)],
        &IoInput::default(),
        TrapKind::IndirectCallTypeMismatch,
        "f",
    );
}
