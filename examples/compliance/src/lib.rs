//! compliance: proves that a transfer's sender is on a public allowlist and that the amount
//! is at most a public limit, without revealing the sender or the amount.
//!
//! The allowlist is a Merkle tree (SHA-256) of depth `depth` whose leaves are
//! `sha256("gloam-allow" ‖ account)`, a node `sha256(left ‖ right)`.
//!
//! Public input: `root: [u8; 32]`, `depth: u8` (at most 16), `limit: u64`. Private input:
//! `account: [u8; 32]`, `index: u32` (the leaf's position), `depth` siblings `[u8; 32]`
//! (leaf level first), `amount: u64`, `blinding: [u8; 32]`. The contract checks the path and
//! `amount <= limit`, trapping otherwise. Journal: `root ‖ depth ‖ limit ‖
//! sha256(amount ‖ blinding)`: the amount stays hidden behind its commitment, which a later
//! step (a confidential transfer) can open. Returns 1.
#![no_std]

use gloam_sdk::sha256::{sha256_concat, Digest};
use gloam_sdk::{abort, commit, read_private, read_public};

gloam_sdk::entry!(fn check_transfer() -> i32 {
    let root: Digest = read_public();
    let depth: u8 = read_public();
    let limit: u64 = read_public();
    if depth > 16 {
        abort()
    }
    let account: [u8; 32] = read_private();
    let index: u32 = read_private();
    let mut node = sha256_concat(&[b"gloam-allow", &account]);
    let mut i = 0;
    while i < depth {
        let sibling: Digest = read_private();
        node = if (index >> i) & 1 == 0 {
            sha256_concat(&[&node, &sibling])
        } else {
            sha256_concat(&[&sibling, &node])
        };
        i += 1;
    }
    if node != root || (depth < 32 && index >> depth != 0) {
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
    commit(&sha256_concat(&[&amount.to_le_bytes(), &blinding]));
    1
});
