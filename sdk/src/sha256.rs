//! SHA-256 (FIPS 180-4), for commitments, nullifiers and Merkle trees in contracts.
//!
//! Written here rather than taken from a crate because contracts build with Debian's frozen
//! Rust 1.63 toolchain, offline; it is the `merkle` example's compression.

/// A SHA-256 digest.
pub type Digest = [u8; 32];

/// The round constants.
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

/// The initial state.
pub const H0: [u32; 8] = [
    0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
];

/// One SHA-256 compression of `block` into the state `h`.
#[inline(never)]
pub fn compress(h: &mut [u32; 8], block: &[u8; 64]) {
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

/// An incremental SHA-256: [`Sha256::update`] with the message in any number of parts, then
/// [`Sha256::finalize`].
pub struct Sha256 {
    h: [u32; 8],
    block: [u8; 64],
    /// Bytes in `block` (below 64).
    fill: usize,
    /// Message length so far (bytes).
    len: u64,
}

impl Default for Sha256 {
    fn default() -> Self {
        Self::new()
    }
}

impl Sha256 {
    /// A hasher at the start of a message.
    pub fn new() -> Self {
        Sha256 {
            h: H0,
            block: [0u8; 64],
            fill: 0,
            len: 0,
        }
    }

    /// Appends `data` to the message.
    pub fn update(&mut self, data: &[u8]) {
        self.len = self.len.wrapping_add(data.len() as u64);
        for &byte in data {
            self.block[self.fill & 63] = byte;
            self.fill += 1;
            if self.fill == 64 {
                compress(&mut self.h, &self.block);
                self.fill = 0;
            }
        }
    }

    /// The digest of the message.
    pub fn finalize(mut self) -> Digest {
        let bits = self.len.wrapping_mul(8);
        self.block[self.fill & 63] = 0x80;
        self.fill += 1;
        if self.fill > 56 {
            while self.fill < 64 {
                self.block[self.fill & 63] = 0;
                self.fill += 1;
            }
            compress(&mut self.h, &self.block);
            self.fill = 0;
        }
        while self.fill < 56 {
            self.block[self.fill & 63] = 0;
            self.fill += 1;
        }
        self.block[56..64].copy_from_slice(&bits.to_be_bytes());
        compress(&mut self.h, &self.block);
        let mut out = [0u8; 32];
        let mut i = 0;
        while i < 8 {
            let word = self.h[i].to_be_bytes();
            out[(4 * i) & 31] = word[0];
            out[(4 * i + 1) & 31] = word[1];
            out[(4 * i + 2) & 31] = word[2];
            out[(4 * i + 3) & 31] = word[3];
            i += 1;
        }
        out
    }
}

/// SHA-256 of `msg`, any length.
pub fn sha256(msg: &[u8]) -> Digest {
    let mut s = Sha256::new();
    s.update(msg);
    s.finalize()
}

/// SHA-256 of the concatenation of `parts` (one message, any length). The parts are not
/// delimited: `("ab", "c")` and `("a", "bc")` hash alike, so give variable-length parts a
/// length or a fixed size.
pub fn sha256_concat(parts: &[&[u8]]) -> Digest {
    let mut s = Sha256::new();
    for p in parts {
        s.update(p);
    }
    s.finalize()
}

/// A Merkle tree node: `sha256(left ‖ right)`.
pub fn parent(left: &Digest, right: &Digest) -> Digest {
    sha256_concat(&[left, right])
}

/// The root of the SHA-256 Merkle tree of depth `depth` that has `leaf` at position `index`,
/// its `depth` siblings (leaf level first) read from the private input. Traps if the input
/// ends first or `index` does not fit in `depth` bits (so one leaf has one position).
pub fn root_from_private_path(leaf: &Digest, index: u32, depth: u8) -> Digest {
    if depth > 32 || (depth < 32 && index >> depth != 0) {
        crate::abort()
    }
    let mut node = *leaf;
    let mut d = 0;
    while d < depth {
        let sibling: Digest = crate::read_private();
        node = if (index >> d) & 1 == 0 {
            parent(&node, &sibling)
        } else {
            parent(&sibling, &node)
        };
        d += 1;
    }
    node
}
