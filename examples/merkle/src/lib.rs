//! merkle: build a SHA-256 Merkle tree in linear memory and check an
//! authentication path against its root.
//!
//! Executor-only contract: it uses linear memory (a static table of 32-byte
//! nodes, byte / word / 64-bit loads and stores), i64 (the leaf values and
//! the 64-bit message length of the SHA-256 padding) and the
//! `__stack_pointer` global (the message schedule and the authentication
//! path are stack arrays). The prover does not cover these yet; see
//! examples/README.md.
//!
//! The tree has `2^depth` leaves (`depth <= 10`). With `seed` and leaf index
//! `i` (both u32):
//!
//! ```text
//! leaf(i)    = SHA-256(le64(seed * 0x9e3779b97f4a7c15 + i))   (u64 arithmetic mod 2^64,
//!                                                               le64 = 8 bytes little-endian)
//! node(l, r) = SHA-256(l || r)                                 (64 bytes)
//! ```
//!
//! Level 0 are the leaves; each level above hashes adjacent pairs, up to the
//! single root. The authentication path of leaf `i` is the sibling of each
//! node on the way from leaf `i` to the root (`depth` digests, leaf level
//! first). Verification recomputes `leaf(i)` from its preimage, hashes it up
//! the path (on the left when the index bit of that level is 0, on the right
//! when 1) and compares with the root.
//!
//! Exports (all i32 in, i32 out):
//! - `merkle_check(depth, leaf_index, seed)`: build the tree, take the path of
//!   `leaf_index`, verify it: 1 if it verifies. 0 if `depth > 10` or
//!   `leaf_index >= 2^depth`.
//! - `merkle_root_word(depth, seed, w)`: word `w` (0..7, big-endian) of the
//!   root; 0 if `w >= 8` or `depth > 10`. With depth 0 the root is `leaf(0)`.
//! - `merkle_tamper(depth, leaf_index, seed)`: as `merkle_check`, but before
//!   verifying flips the lowest bit (bit 0 of byte 31) of path node
//!   `leaf_index % depth`; with depth 0 (empty path) it flips that bit of the
//!   expected root instead. Returns the verification result: 0.
#![no_std]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

const MAX_DEPTH: u32 = 10;
/// Heap layout: node 1 is the root, node k has children 2k and 2k + 1; the
/// leaves of a depth-d tree are nodes 2^d .. 2^(d+1) - 1. Node 0 is unused.
const NODES: usize = 2 << MAX_DEPTH;
const MASK: usize = NODES - 1;

type Digest = [u8; 32];

static mut TREE: [Digest; NODES] = [[0; 32]; NODES];

fn tree() -> &'static mut [Digest; NODES] {
    // Single-threaded; no two references are alive at the same time.
    unsafe { &mut *core::ptr::addr_of_mut!(TREE) }
}

const K: [u32; 64] = [
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
];

const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// One SHA-256 compression of `block` into `h`.
#[inline(never)]
fn compress(h: &mut [u32; 8], block: &[u8; 64]) {
    let mut w = [0u32; 64];
    let mut i = 0;
    while i < 16 {
        w[i] = u32::from_be_bytes([block[4 * i], block[4 * i + 1], block[4 * i + 2], block[4 * i + 3]]);
        i += 1;
    }
    while i < 64 {
        let s0 = w[i - 15].rotate_right(7) ^ w[i - 15].rotate_right(18) ^ (w[i - 15] >> 3);
        let s1 = w[i - 2].rotate_right(17) ^ w[i - 2].rotate_right(19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16].wrapping_add(s0).wrapping_add(w[i - 7]).wrapping_add(s1);
        i += 1;
    }
    let [mut a, mut b, mut c, mut d, mut e, mut f, mut g, mut hh] = *h;
    i = 0;
    while i < 64 {
        let s1 = e.rotate_right(6) ^ e.rotate_right(11) ^ e.rotate_right(25);
        let ch = (e & f) ^ (!e & g);
        let t1 = hh.wrapping_add(s1).wrapping_add(ch).wrapping_add(K[i]).wrapping_add(w[i]);
        let s0 = a.rotate_right(2) ^ a.rotate_right(13) ^ a.rotate_right(22);
        let maj = (a & b) ^ (a & c) ^ (b & c);
        let t2 = s0.wrapping_add(maj);
        hh = g;
        g = f;
        f = e;
        e = d.wrapping_add(t1);
        d = c;
        c = b;
        b = a;
        a = t1.wrapping_add(t2);
        i += 1;
    }
    h[0] = h[0].wrapping_add(a);
    h[1] = h[1].wrapping_add(b);
    h[2] = h[2].wrapping_add(c);
    h[3] = h[3].wrapping_add(d);
    h[4] = h[4].wrapping_add(e);
    h[5] = h[5].wrapping_add(f);
    h[6] = h[6].wrapping_add(g);
    h[7] = h[7].wrapping_add(hh);
}

/// SHA-256 (FIPS 180-4) of `msg`, any length.
#[inline(never)]
fn sha256(msg: &[u8], out: &mut Digest) {
    let mut h = H0;
    let mut block = [0u8; 64];
    let mut fill = 0usize; // bytes in `block`, always < 64 here
    for &byte in msg {
        block[fill & 63] = byte;
        fill += 1;
        if fill == 64 {
            compress(&mut h, &block);
            fill = 0;
        }
    }
    block[fill & 63] = 0x80;
    fill += 1;
    if fill > 56 {
        while fill < 64 {
            block[fill & 63] = 0;
            fill += 1;
        }
        compress(&mut h, &block);
        fill = 0;
    }
    while fill < 56 {
        block[fill & 63] = 0;
        fill += 1;
    }
    let bits = (msg.len() as u64).wrapping_mul(8);
    block[56..64].copy_from_slice(&bits.to_be_bytes());
    compress(&mut h, &block);
    let mut i = 0;
    while i < 8 {
        let word = h[i].to_be_bytes();
        out[(4 * i) & 31] = word[0];
        out[(4 * i + 1) & 31] = word[1];
        out[(4 * i + 2) & 31] = word[2];
        out[(4 * i + 3) & 31] = word[3];
        i += 1;
    }
}

fn hash_leaf(seed: u32, i: u32, out: &mut Digest) {
    let v = (seed as u64)
        .wrapping_mul(0x9e37_79b9_7f4a_7c15)
        .wrapping_add(i as u64);
    sha256(&v.to_le_bytes(), out);
}

fn hash_pair(left: &Digest, right: &Digest, out: &mut Digest) {
    let mut m = [0u8; 64];
    m[..32].copy_from_slice(left);
    m[32..].copy_from_slice(right);
    sha256(&m, out);
}

/// Fills the tree of the given depth (<= MAX_DEPTH); the root is node 1.
#[inline(never)]
fn build(depth: u32, seed: u32) {
    let t = tree();
    let leaves = 1usize << depth;
    let mut i = 0;
    while i < leaves {
        hash_leaf(seed, i as u32, &mut t[(leaves + i) & MASK]);
        i += 1;
    }
    let mut k = leaves - 1;
    while k >= 1 {
        let mut parent = [0u8; 32];
        hash_pair(&t[(2 * k) & MASK], &t[(2 * k + 1) & MASK], &mut parent);
        t[k & MASK] = parent;
        k -= 1;
    }
}

/// Builds the tree, takes the path of `leaf_index`, optionally tampers with
/// it, and verifies it.
#[inline(never)]
fn prove_and_verify(depth: u32, leaf_index: u32, seed: u32, tamper: bool) -> u32 {
    if depth > MAX_DEPTH || leaf_index >= 1 << depth {
        return 0;
    }
    build(depth, seed);
    let t = tree();
    let mut root = t[1];

    // Extract the authentication path.
    let mut path = [[0u8; 32]; MAX_DEPTH as usize];
    let mut node = (1usize << depth) + leaf_index as usize;
    let mut level = 0;
    while level < depth as usize {
        path[level % MAX_DEPTH as usize] = t[(node ^ 1) & MASK];
        node >>= 1;
        level += 1;
    }

    if tamper {
        if depth == 0 {
            root[31] ^= 1;
        } else {
            path[(leaf_index % depth) as usize % MAX_DEPTH as usize][31] ^= 1;
        }
    }

    // Verify: hash the leaf up the path and compare with the root.
    let mut h = [0u8; 32];
    hash_leaf(seed, leaf_index, &mut h);
    let mut index = leaf_index;
    level = 0;
    while level < depth as usize {
        let sibling = &path[level % MAX_DEPTH as usize];
        let mut up = [0u8; 32];
        if index & 1 == 0 {
            hash_pair(&h, sibling, &mut up);
        } else {
            hash_pair(sibling, &h, &mut up);
        }
        h = up;
        index >>= 1;
        level += 1;
    }
    (h == root) as u32
}

#[no_mangle]
pub extern "C" fn merkle_check(depth: u32, leaf_index: u32, seed: u32) -> u32 {
    prove_and_verify(depth, leaf_index, seed, false)
}

#[no_mangle]
pub extern "C" fn merkle_tamper(depth: u32, leaf_index: u32, seed: u32) -> u32 {
    prove_and_verify(depth, leaf_index, seed, true)
}

#[no_mangle]
pub extern "C" fn merkle_root_word(depth: u32, seed: u32, w: u32) -> u32 {
    if depth > MAX_DEPTH || w >= 8 {
        return 0;
    }
    build(depth, seed);
    let r = &tree()[1];
    let j = (4 * w as usize) & 31;
    u32::from_be_bytes([r[j], r[(j + 1) & 31], r[(j + 2) & 31], r[(j + 3) & 31]])
}
