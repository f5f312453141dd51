//! isqrt: integer square root of a u32 by Newton's iteration.
//!
//! `isqrt(n)` is the largest `r` with `r * r <= n`.
//!
//! The start value `2^ceil(bits(n) / 2)` is always >= sqrt(n), so the Newton
//! sequence `x' = (x + n / x) / 2` decreases monotonically until it reaches
//! floor(sqrt(n)); we stop as soon as it no longer decreases. The start value
//! is at most 2^16 and `n / x < 2^16`, so `x + n / x` never overflows.
//! Uses i32.clz, i32.div_u, shifts and unsigned comparisons; no memory.
#![no_std]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

#[no_mangle]
pub extern "C" fn isqrt(n: u32) -> u32 {
    if n < 2 {
        return n;
    }
    let bits = 32u32.wrapping_sub(n.leading_zeros());
    let mut x = 1u32 << (bits.wrapping_add(1) >> 1);
    loop {
        // `x` is never 0 here; `checked_div` just keeps the compiler from
        // emitting a divide-by-zero panic path.
        let q = match n.checked_div(x) {
            Some(q) => q,
            None => return 0,
        };
        let y = x.wrapping_add(q) >> 1;
        if y >= x {
            return x;
        }
        x = y;
    }
}
