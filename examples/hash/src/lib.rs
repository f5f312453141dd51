//! hash: a murmur3-style bit-mixing hash iterated `rounds` times.
//!
//! Each round mixes the round counter `i` into the state with the MurmurHash3
//! x86_32 block step (mul, rotl, xor), and the result is passed through the
//! MurmurHash3 32-bit finalizer (`fmix32`: xor-shift-right / multiply).
//! All arithmetic wraps modulo 2^32; no memory is used.
//!
//! ```text
//! h = seed
//! for i in 0..rounds:
//!     k = i * 0xcc9e2d51; k = rotl(k, 15); k = k * 0x1b873593
//!     h = h ^ k; h = rotl(h, 13); h = h * 5 + 0xe6546b64
//! return fmix32(h ^ rounds)
//! ```
#![no_std]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

const C1: u32 = 0xcc9e_2d51;
const C2: u32 = 0x1b87_3593;

/// The MurmurHash3 32-bit finalizer (also exported on its own).
#[no_mangle]
#[inline(never)]
pub extern "C" fn fmix32(h: u32) -> u32 {
    let mut h = h;
    h ^= h >> 16;
    h = h.wrapping_mul(0x85eb_ca6b);
    h ^= h >> 13;
    h = h.wrapping_mul(0xc2b2_ae35);
    h ^= h >> 16;
    h
}

#[no_mangle]
pub extern "C" fn mix(seed: u32, rounds: u32) -> u32 {
    let mut h = seed;
    let mut i = 0u32;
    while i < rounds {
        let mut k = i.wrapping_mul(C1);
        k = k.rotate_left(15);
        k = k.wrapping_mul(C2);
        h ^= k;
        h = h.rotate_left(13);
        h = h.wrapping_mul(5).wrapping_add(0xe654_6b64);
        i = i.wrapping_add(1);
    }
    fmix32(h ^ rounds)
}
