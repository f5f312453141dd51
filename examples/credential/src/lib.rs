//! credential: proves that a private balance reaches a public threshold, against a public
//! commitment to the balance, without revealing the balance.
//!
//! Public input: `threshold: u64`, `commitment: [u8; 32]` (the gloam-sdk encoding:
//! little-endian integers, bytes as they are). Private input: `balance: u64`,
//! `salt: [u8; 32]`. The contract checks `sha256("gloam-balance" ‖ balance ‖ salt) ==
//! commitment` (balance little-endian; the tag keeps this commitment apart from the other
//! examples' 40-byte ones), `balance >= threshold` and that the public input ends there,
//! trapping otherwise, so a dishonest run has no proof. Journal: `threshold ‖ commitment` (40 bytes): a verifier learns that the holder of
//! the commitment's opening has at least `threshold`, and nothing else about the balance.
//! Returns 1.
#![no_std]

use gloam_sdk::sha256::sha256_concat;
use gloam_sdk::{abort, commit, expect_public_end, read_private, read_public};

gloam_sdk::entry!(fn prove_balance() -> i32 {
    let threshold: u64 = read_public();
    let commitment: [u8; 32] = read_public();
    expect_public_end();
    let balance: u64 = read_private();
    let salt: [u8; 32] = read_private();
    if sha256_concat(&[b"gloam-balance", &balance.to_le_bytes(), &salt]) != commitment {
        abort()
    }
    if balance < threshold {
        abort()
    }
    commit(&threshold);
    commit(&commitment);
    1
});
