//! recursive: genuinely recursive functions (real `call`s to themselves).
//!
//! * `ack(m, n)`: the Ackermann-Peter function (wrapping u32 arithmetic).
//!   The inner call `ack(m, n - 1)` is not a tail call, so it cannot be
//!   turned into a loop; the outer tail call may be.
//! * `fib_rec(n)`: naive doubly-recursive Fibonacci modulo 2^32
//!   (fib_rec(0) = 0, fib_rec(1) = 1); at least one of the two calls stays
//!   a real recursive call.
//!
//! Both run in exponential time / deep recursion: use small inputs.
#![no_std]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn ack(m: u32, n: u32) -> u32 {
    if m == 0 {
        n.wrapping_add(1)
    } else if n == 0 {
        ack(m.wrapping_sub(1), 1)
    } else {
        ack(m.wrapping_sub(1), ack(m, n.wrapping_sub(1)))
    }
}

#[no_mangle]
#[inline(never)]
pub extern "C" fn fib_rec(n: u32) -> u32 {
    if n < 2 {
        n
    } else {
        fib_rec(n.wrapping_sub(1)).wrapping_add(fib_rec(n.wrapping_sub(2)))
    }
}
