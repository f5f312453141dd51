//! transfer: a confidential transfer of notes, in the style of Dusk's Phoenix and Zcash's
//! Sapling: amounts and owners stay private; the journal publishes only the nullifiers of the
//! spent notes and the commitments of the new ones.
//!
//! * An owner is a 32-byte secret; its public *owner key* is `sha256("gloam-owner" ‖ secret)`.
//! * A note is `(owner key, amount: u64, blinding: [u8; 32])`; its *note commitment* is
//!   `sha256("gloam-note" ‖ owner key ‖ amount ‖ blinding)` (amount little-endian).
//! * A chain keeps the note commitments as the leaves of a SHA-256 Merkle tree of a fixed
//!   depth (a node is `sha256(left ‖ right)`; a leaf hashes 82 bytes, a node 64: no leaf is a
//!   node).
//! * A spent note's *nullifier* is `sha256("gloam-nullifier" ‖ secret ‖ commitment ‖
//!   index)`: only its owner can compute it, it is the same whenever that note (at that
//!   position) is spent, and it reveals neither the note nor its position. The position is in
//!   it so that two notes with equal commitments (a payer can create them) have distinct
//!   nullifiers and both stay spendable.
//!
//! Public input: `root: [u8; 32]` (a note-tree root), `depth: u8` (at most 16), nothing else.
//! Private input: `inputs: u8` (1 or 2), then per spent note `secret: [u8; 32]`,
//! `amount: u64`, `blinding: [u8; 32]`, `index: u32` (below `2^depth`), `depth` siblings (leaf
//! level first); then `outputs: u8` (1 or 2), per new note `owner: [u8; 32]`,
//! `amount: u64`, `blinding: [u8; 32]`.
//! Checks (each traps when it fails, so a dishonest transfer has no proof): every spent note
//! is in the tree under `root` at `index`; the spent notes are distinct; the new notes are
//! distinct; the amounts balance, `sum(in) == sum(out)`, with no overflow.
//! Journal: `root ‖ depth ‖ inputs ‖ nullifiers ‖ outputs ‖ commitments`. Returns the number
//! of new notes.
//!
//! What the proof does not check, and a chain accepting such runs must: that `root` is a
//! root its note tree has had and `depth` its depth (else a prover spends notes of a tree of
//! its own), and that no nullifier was published before (else a note is spent twice across
//! transfers). `docs/node.md` says what Gloam's node does with these journals.
#![no_std]

use gloam_sdk::sha256::{root_from_private_path, sha256_concat, Digest};
use gloam_sdk::{abort, commit, expect_public_end, read_private, read_public};

fn note_commitment(owner: &Digest, amount: u64, blinding: &[u8; 32]) -> Digest {
    sha256_concat(&[b"gloam-note", owner, &amount.to_le_bytes(), blinding])
}

fn add(total: u64, amount: u64) -> u64 {
    match total.checked_add(amount) {
        Some(t) => t,
        None => abort(),
    }
}

gloam_sdk::entry!(fn transfer() -> i32 {
    let root: Digest = read_public();
    let depth: u8 = read_public();
    expect_public_end();
    if depth > 16 {
        abort()
    }
    let inputs: u8 = read_private();
    if inputs == 0 || inputs > 2 {
        abort()
    }
    let mut nullifiers = [[0u8; 32]; 2];
    let mut total_in: u64 = 0;
    let mut k = 0;
    while k < inputs as usize {
        let secret: [u8; 32] = read_private();
        let amount: u64 = read_private();
        let blinding: [u8; 32] = read_private();
        let index: u32 = read_private();
        let owner = sha256_concat(&[b"gloam-owner", &secret]);
        let leaf = note_commitment(&owner, amount, &blinding);
        if root_from_private_path(&leaf, index, depth) != root {
            abort()
        }
        nullifiers[k] = sha256_concat(&[b"gloam-nullifier", &secret, &leaf, &index.to_le_bytes()]);
        total_in = add(total_in, amount);
        k += 1;
    }
    if inputs == 2 && nullifiers[0] == nullifiers[1] {
        abort()
    }
    let outputs: u8 = read_private();
    if outputs == 0 || outputs > 2 {
        abort()
    }
    let mut commitments = [[0u8; 32]; 2];
    let mut total_out: u64 = 0;
    k = 0;
    while k < outputs as usize {
        let owner: Digest = read_private();
        let amount: u64 = read_private();
        let blinding: [u8; 32] = read_private();
        commitments[k] = note_commitment(&owner, amount, &blinding);
        total_out = add(total_out, amount);
        k += 1;
    }
    if outputs == 2 && commitments[0] == commitments[1] {
        abort()
    }
    if total_in != total_out {
        abort()
    }
    commit(&root);
    commit(&depth);
    commit(&inputs);
    k = 0;
    while k < inputs as usize {
        commit(&nullifiers[k]);
        k += 1;
    }
    commit(&outputs);
    k = 0;
    while k < outputs as usize {
        commit(&commitments[k]);
        k += 1;
    }
    outputs as i32
});
