//! compliance: proves that a transfer's sender is on a public allowlist and that the amount
//! is at most a public limit, without revealing the sender or the amount.
//!
//! A member is the holder of a 32-byte secret; the allowlist holds its *owner key*
//! `sha256("gloam-owner" ‖ secret)` (the `transfer` example's), so knowing a member's key is
//! not enough to prove membership. The allowlist is a SHA-256 Merkle tree of depth `depth`
//! whose leaves are `sha256("gloam-allow" ‖ owner key)`, a node `sha256(left ‖ right)`
//! (leaves and nodes hash 43 and 64 bytes: no leaf is a node).
//!
//! Public input: `root: [u8; 32]`, `depth: u8` (at most 16), `limit: u64`, and nothing else.
//! Private input: `secret: [u8; 32]`, `index: u32` (the leaf's position, below `2^depth`),
//! `depth` siblings `[u8; 32]` (leaf level first), `amount: u64`, `blinding: [u8; 32]`. The
//! contract checks the path and `amount <= limit`, trapping otherwise. Journal: `root ‖ depth
//! ‖ limit ‖ sha256("gloam-amount" ‖ amount ‖ blinding)`: the amount stays hidden behind its
//! commitment, which its holder can open to whom it chooses. Returns 1.
#![no_std]

use gloam_sdk::sha256::{root_from_private_path, sha256_concat, Digest};
use gloam_sdk::{abort, commit, expect_public_end, read_private, read_public};

gloam_sdk::entry!(fn check_transfer() -> i32 {
    let root: Digest = read_public();
    let depth: u8 = read_public();
    let limit: u64 = read_public();
    expect_public_end();
    if depth > 16 {
        abort()
    }
    let secret: [u8; 32] = read_private();
    let index: u32 = read_private();
    let owner = sha256_concat(&[b"gloam-owner", &secret]);
    let leaf = sha256_concat(&[b"gloam-allow", &owner]);
    if root_from_private_path(&leaf, index, depth) != root {
        abort()
    }
    let amount: u64 = read_private();
    let blinding: [u8; 32] = read_private();
    if amount > limit {
        abort()
    }
    commit(&root);
    commit(&depth);
    commit(&limit);
    commit(&sha256_concat(&[b"gloam-amount", &amount.to_le_bytes(), &blinding]));
    1
});
