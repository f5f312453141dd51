//! The canonical byte encoding of contract inputs and journal entries.
//!
//! Every encodable type has a fixed size ([`Encode::SIZE`]), and every value exactly one
//! encoding, so a journal's bytes identify its values and a verifier can decode them with
//! no schema beyond the types:
//!
//! | type | bytes |
//! |---|---|
//! | `u8`, `u16`, `u32`, `u64`, `i32`, `i64` | little-endian, two's complement for signed |
//! | `bool` | one byte, 0 or 1 (any other byte does not decode) |
//! | `[T; N]` | the `N` encodings in order (`[u8; 32]` is its 32 bytes) |
//! | `(A, B)`, `(A, B, C)`, `(A, B, C, D)` | the fields' encodings in order |
//! | a struct declared with [`fixed_struct!`] | its fields' encodings in declaration order |
//!
//! No length prefixes and no padding; `decode` refuses any other length. Values larger than
//! [`MAX_SIZE`] bytes are refused at compile time by `read_*`/`commit` (use the byte
//! functions). Arrays decode for element types that are `Copy + Default` (integers, bytes,
//! nested arrays of them).

/// The largest encoding `read_public`, `read_private` and `commit` handle (bytes).
pub const MAX_SIZE: usize = 1024;

/// A type with a fixed-size canonical encoding.
pub trait Encode {
    /// Bytes of the encoding.
    const SIZE: usize;
    /// Writes the encoding to `out` (exactly [`Self::SIZE`] bytes).
    fn encode(&self, out: &mut [u8]);
}

/// A type that decodes from its canonical encoding.
pub trait Decode: Encode + Sized {
    /// Decodes `bytes`; `None` unless they are exactly [`Encode::SIZE`] bytes encoding a
    /// value.
    fn decode(bytes: &[u8]) -> Option<Self>;
}

macro_rules! int {
    ($($t:ty),*) => {$(
        impl Encode for $t {
            const SIZE: usize = core::mem::size_of::<$t>();
            fn encode(&self, out: &mut [u8]) {
                out[..Self::SIZE].copy_from_slice(&self.to_le_bytes());
            }
        }
        impl Decode for $t {
            fn decode(bytes: &[u8]) -> Option<Self> {
                let mut b = [0u8; core::mem::size_of::<$t>()];
                if bytes.len() != Self::SIZE {
                    return None;
                }
                b.copy_from_slice(bytes);
                Some(<$t>::from_le_bytes(b))
            }
        }
    )*};
}
int!(u8, u16, u32, u64, i32, i64);

impl Encode for bool {
    const SIZE: usize = 1;
    fn encode(&self, out: &mut [u8]) {
        out[0] = *self as u8;
    }
}
impl Decode for bool {
    fn decode(bytes: &[u8]) -> Option<Self> {
        match bytes {
            [0] => Some(false),
            [1] => Some(true),
            _ => None,
        }
    }
}

impl<T: Encode, const N: usize> Encode for [T; N] {
    const SIZE: usize = T::SIZE * N;
    fn encode(&self, out: &mut [u8]) {
        for (i, v) in self.iter().enumerate() {
            v.encode(&mut out[i * T::SIZE..(i + 1) * T::SIZE]);
        }
    }
}
impl<T: Decode + Copy + Default, const N: usize> Decode for [T; N] {
    fn decode(bytes: &[u8]) -> Option<Self> {
        if bytes.len() != Self::SIZE {
            return None;
        }
        let mut out = [T::default(); N];
        for (i, v) in out.iter_mut().enumerate() {
            *v = T::decode(bytes.get(i * T::SIZE..(i + 1) * T::SIZE)?)?;
        }
        Some(out)
    }
}

macro_rules! tuple {
    ($($n:ident),*) => {
        impl<$($n: Encode),*> Encode for ($($n,)*) {
            const SIZE: usize = 0 $(+ $n::SIZE)*;
            #[allow(non_snake_case, unused_assignments)]
            fn encode(&self, out: &mut [u8]) {
                let ($($n,)*) = self;
                let mut at = 0;
                $( $n.encode(&mut out[at..at + $n::SIZE]); at += $n::SIZE; )*
            }
        }
        impl<$($n: Decode),*> Decode for ($($n,)*) {
            #[allow(non_snake_case, unused_assignments)]
            fn decode(bytes: &[u8]) -> Option<Self> {
                if bytes.len() != Self::SIZE {
                    return None;
                }
                let mut at = 0;
                $( let $n = $n::decode(bytes.get(at..at + $n::SIZE)?)?; at += $n::SIZE; )*
                Some(($($n,)*))
            }
        }
    };
}
tuple!(A, B);
tuple!(A, B, C);
tuple!(A, B, C, D);

/// Declares a struct with a fixed-size canonical encoding: its fields' encodings in
/// declaration order.
///
/// ```ignore
/// gloam_sdk::fixed_struct! {
///     pub struct Note { pub owner: [u8; 32], pub amount: u64, pub blinding: [u8; 32] }
/// }
/// ```
#[macro_export]
macro_rules! fixed_struct {
    ($(#[$m:meta])* $vis:vis struct $name:ident { $($fvis:vis $field:ident : $ty:ty),* $(,)? }) => {
        $(#[$m])*
        #[derive(Clone, Copy, Debug, PartialEq, Eq)]
        $vis struct $name { $($fvis $field: $ty),* }
        impl $crate::codec::Encode for $name {
            const SIZE: usize = 0 $(+ <$ty as $crate::codec::Encode>::SIZE)*;
            #[allow(unused_assignments)]
            fn encode(&self, out: &mut [u8]) {
                let mut at = 0;
                $(
                    let n = <$ty as $crate::codec::Encode>::SIZE;
                    $crate::codec::Encode::encode(&self.$field, &mut out[at..at + n]);
                    at += n;
                )*
            }
        }
        impl $crate::codec::Decode for $name {
            #[allow(unused_assignments)]
            fn decode(bytes: &[u8]) -> Option<Self> {
                if bytes.len() != <Self as $crate::codec::Encode>::SIZE {
                    return None;
                }
                let mut at = 0;
                $(
                    let n = <$ty as $crate::codec::Encode>::SIZE;
                    let $field = <$ty as $crate::codec::Decode>::decode(bytes.get(at..at + n)?)?;
                    at += n;
                )*
                Some(Self { $($field),* })
            }
        }
    };
}
