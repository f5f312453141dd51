//! # gloam-sdk
//!
//! What a Gloam contract links: the contract interface (module `gloam` of the host,
//! `docs/air.md` §1 in the Gloam repository) and a small canonical byte encoding
//! ([`codec`]).
//!
//! * [`read_public`] / [`read_private`] read the next value of the public / private input
//!   stream; [`commit`] appends a value to the journal, the run's public output.
//! * The byte-level calls [`read_public_bytes`], [`read_private_bytes`] and [`commit_bytes`]
//!   are the host functions themselves: `read_*` copy up to `buf.len()` bytes and return how
//!   many they copied (0 at the end of the stream).
//! * [`entry!`] exports a contract function.
//!
//! A Gloam proof states the program, the entry, its arguments and results, the public input
//! bytes and the journal bytes; the private input appears nowhere in it. The private bytes are
//! whatever the prover chose: a contract must check everything it relies on.
//!
//! `no_std`; builds with Rust 1.63 for `wasm32-unknown-unknown`. Off wasm32 (host tests of
//! the encoding), the host functions are not available and the stream functions abort.
#![no_std]

pub mod codec;
pub mod sha256;

pub use codec::{Decode, Encode};

#[cfg(target_arch = "wasm32")]
mod sys {
    #[link(wasm_import_module = "gloam")]
    extern "C" {
        pub fn read_public(ptr: *mut u8, len: usize) -> usize;
        pub fn read_private(ptr: *mut u8, len: usize) -> usize;
        pub fn commit(ptr: *const u8, len: usize);
    }
}

#[cfg(not(target_arch = "wasm32"))]
mod sys {
    pub unsafe fn read_public(_: *mut u8, _: usize) -> usize {
        super::abort()
    }
    pub unsafe fn read_private(_: *mut u8, _: usize) -> usize {
        super::abort()
    }
    pub unsafe fn commit(_: *const u8, _: usize) {
        super::abort()
    }
}

/// Stops the run: a WebAssembly trap (`unreachable`). A trapping run has no proof.
pub fn abort() -> ! {
    #[cfg(target_arch = "wasm32")]
    core::arch::wasm32::unreachable();
    #[cfg(not(target_arch = "wasm32"))]
    panic!("gloam-sdk: the contract interface exists only in a Gloam run (wasm32)")
}

/// Copies up to `buf.len()` next bytes of the public input into `buf`; returns how many
/// (fewer only at the end of the stream, 0 past it).
pub fn read_public_bytes(buf: &mut [u8]) -> usize {
    // SAFETY: the host writes at most `buf.len()` bytes at `buf`.
    unsafe { sys::read_public(buf.as_mut_ptr(), buf.len()) }
}

/// Copies up to `buf.len()` next bytes of the private input into `buf`; returns how many.
pub fn read_private_bytes(buf: &mut [u8]) -> usize {
    // SAFETY: as `read_public_bytes`.
    unsafe { sys::read_private(buf.as_mut_ptr(), buf.len()) }
}

/// Appends `bytes` to the journal.
pub fn commit_bytes(bytes: &[u8]) {
    // SAFETY: the host reads `bytes.len()` bytes at `bytes`.
    unsafe { sys::commit(bytes.as_ptr(), bytes.len()) }
}

/// Reads the next value of the public input ([`codec`]); traps if the stream ends first or
/// the bytes are not a canonical encoding.
pub fn read_public<T: Decode>() -> T {
    read_value(read_public_bytes)
}

/// Reads the next value of the private input; traps as [`read_public`].
pub fn read_private<T: Decode>() -> T {
    read_value(read_private_bytes)
}

/// Appends the encoding of `value` to the journal.
pub fn commit<T: Encode>(value: &T) {
    let () = Fits::<T>::OK;
    let mut buf = core::mem::MaybeUninit::<[u8; codec::MAX_SIZE]>::uninit();
    let bytes = zeroed_prefix(&mut buf, T::SIZE);
    value.encode(bytes);
    commit_bytes(bytes);
}

/// Traps unless the public input has been read to its end: a contract whose statement should
/// cover exactly what it read calls this last (the statement binds every public byte, read or
/// not, `docs/air.md` §1).
pub fn expect_public_end() {
    let mut b = [0u8; 1];
    if read_public_bytes(&mut b) != 0 {
        abort()
    }
}

/// Refuses at compile time a type whose encoding is larger than [`codec::MAX_SIZE`].
struct Fits<T>(core::marker::PhantomData<T>);

impl<T: Encode> Fits<T> {
    const OK: () = assert!(T::SIZE <= codec::MAX_SIZE, "encoding larger than MAX_SIZE");
}

/// The first `n` bytes of `buf`, zeroed (only those: zeroing the whole buffer would cost a
/// kilobyte of stores per call).
fn zeroed_prefix(buf: &mut core::mem::MaybeUninit<[u8; codec::MAX_SIZE]>, n: usize) -> &mut [u8] {
    let p = buf.as_mut_ptr() as *mut u8;
    // SAFETY: `n <= MAX_SIZE` (`Fits`); the first `n` bytes are initialised before the slice
    // is made.
    unsafe {
        core::ptr::write_bytes(p, 0, n);
        core::slice::from_raw_parts_mut(p, n)
    }
}

fn read_value<T: Decode>(read: fn(&mut [u8]) -> usize) -> T {
    let () = Fits::<T>::OK;
    let mut buf = core::mem::MaybeUninit::<[u8; codec::MAX_SIZE]>::uninit();
    let bytes = zeroed_prefix(&mut buf, T::SIZE);
    if read(bytes) != T::SIZE {
        abort()
    }
    match T::decode(bytes) {
        Some(v) => v,
        None => abort(),
    }
}

/// Exports `fn $name() -> i32` (or with `i32`/`i64` parameters) as a contract entry:
///
/// ```ignore
/// gloam_sdk::entry!(fn check() -> i32 {
///     let threshold: u64 = gloam_sdk::read_public();
///     let balance: u64 = gloam_sdk::read_private();
///     gloam_sdk::commit(&threshold);
///     (balance >= threshold) as i32
/// });
/// ```
#[macro_export]
macro_rules! entry {
    (fn $name:ident($($arg:ident : $ty:ty),* $(,)?) -> $ret:ty $body:block) => {
        #[no_mangle]
        pub extern "C" fn $name($($arg: $ty),*) -> $ret $body
    };
    (fn $name:ident($($arg:ident : $ty:ty),* $(,)?) $body:block) => {
        #[no_mangle]
        pub extern "C" fn $name($($arg: $ty),*) $body
    };
}

#[cfg(all(target_arch = "wasm32", feature = "panic-handler"))]
#[panic_handler]
fn panic(_: &core::panic::PanicInfo) -> ! {
    core::arch::wasm32::unreachable()
}
