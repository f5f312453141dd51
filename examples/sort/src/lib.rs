//! sort: insertion sort of pseudo-random u64 values in linear memory.
//!
//! Executor-only contract: it uses linear memory (a static `[u64; 4096]`,
//! read and written with 64-bit loads and stores) and i64 arithmetic
//! (generator, comparisons, checksum folding). The prover does not cover
//! these yet; see examples/README.md.
//!
//! Generator (xorshift64*, Vigna 2016), seeded from the 32-bit `seed`:
//!
//! ```text
//! x = (seed << 32) ^ 0x9e3779b97f4a7c15        (never 0: the low half is fixed)
//! for i in 0..n:
//!     x ^= x >> 12; x ^= x << 25; x ^= x >> 27
//!     a[i] = x * 0x2545f4914f6cdd1d            (mod 2^64)
//! ```
//!
//! The first `n` values (n capped at 4096) are sorted ascending, as unsigned,
//! by a plain insertion sort, then checked for order. The checksum is
//!
//! ```text
//! h = n
//! for i in 0..n:  h = ((h ^ (a[i] ^ (a[i] >> 32)) as u32) * 0x01000193 + i)  (mod 2^32)
//! ```
//!
//! Exports (all i32 in, i32 out):
//! - `sort_gen(n, seed)`: generate, sort, check; the checksum, or 0xFFFFFFFF
//!   if the array is not in order afterwards (never, unless the sort is broken).
//! - `sorted_hi(i)`, `sorted_lo(i)`: high / low 32 bits of element `i` after
//!   the last `sort_gen`; 0 if `i` is not below that call's `n`.
//! - `sort_hi(n, seed, i)`, `sort_lo(n, seed, i)`: `sort_gen(n, seed)` then
//!   `sorted_hi(i)` / `sorted_lo(i)`, for test cases that each run on a
//!   fresh instance.
#![no_std]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

const CAP: usize = 4096;

static mut DATA: [u64; CAP] = [0; CAP];
static mut LEN: usize = 0;

const UNSORTED: u32 = 0xffff_ffff;

fn data() -> &'static mut [u64; CAP] {
    // The contract is single-threaded and no two references live at once.
    unsafe { &mut *core::ptr::addr_of_mut!(DATA) }
}

/// Fills a[0..n] with the xorshift64* sequence.
#[inline(never)]
fn generate(a: &mut [u64; CAP], n: usize, seed: u32) {
    let mut x = ((seed as u64) << 32) ^ 0x9e37_79b9_7f4a_7c15;
    let mut i = 0;
    while i < n {
        x ^= x >> 12;
        x ^= x << 25;
        x ^= x >> 27;
        // i < n <= CAP
        unsafe { *a.get_unchecked_mut(i) = x.wrapping_mul(0x2545_f491_4f6c_dd1d) };
        i += 1;
    }
}

/// Insertion sort of a[0..n], ascending.
#[inline(never)]
fn insertion_sort(a: &mut [u64; CAP], n: usize) {
    let mut i = 1;
    while i < n {
        // All indices are below i < n <= CAP.
        unsafe {
            let v = *a.get_unchecked(i);
            let mut j = i;
            while j > 0 && *a.get_unchecked(j - 1) > v {
                *a.get_unchecked_mut(j) = *a.get_unchecked(j - 1);
                j -= 1;
            }
            *a.get_unchecked_mut(j) = v;
        }
        i += 1;
    }
}

/// Checksum of a[0..n], or UNSORTED if a[0..n] is not ascending.
#[inline(never)]
fn check(a: &[u64; CAP], n: usize) -> u32 {
    let mut h = n as u32;
    let mut prev = 0u64;
    let mut i = 0;
    while i < n {
        let v = unsafe { *a.get_unchecked(i) };
        if v < prev {
            return UNSORTED;
        }
        prev = v;
        h = (h ^ (v ^ (v >> 32)) as u32)
            .wrapping_mul(0x0100_0193)
            .wrapping_add(i as u32);
        i += 1;
    }
    h
}

#[no_mangle]
pub extern "C" fn sort_gen(n: u32, seed: u32) -> u32 {
    let n = if (n as usize) < CAP { n as usize } else { CAP };
    let a = data();
    generate(a, n, seed);
    insertion_sort(a, n);
    unsafe { LEN = n };
    check(a, n)
}

fn element(i: u32) -> u64 {
    let i = i as usize;
    if i < unsafe { LEN } && i < CAP {
        unsafe { *data().get_unchecked(i) }
    } else {
        0
    }
}

#[no_mangle]
pub extern "C" fn sorted_hi(i: u32) -> u32 {
    (element(i) >> 32) as u32
}

#[no_mangle]
pub extern "C" fn sorted_lo(i: u32) -> u32 {
    element(i) as u32
}

#[no_mangle]
pub extern "C" fn sort_hi(n: u32, seed: u32, i: u32) -> u32 {
    sort_gen(n, seed);
    sorted_hi(i)
}

#[no_mangle]
pub extern "C" fn sort_lo(n: u32, seed: u32, i: u32) -> u32 {
    sort_gen(n, seed);
    sorted_lo(i)
}
