//! gloam-sdk's canonical encoding (`sdk/src/codec.rs`, compiled here for the host: the SDK
//! itself is a standalone `no_std` crate built with the contracts' toolchain): fixed sizes,
//! little-endian integers, booleans 0 or 1 only, arrays, tuples and `fixed_struct!`s in
//! field order, and decoding as the inverse of encoding.

#[path = "../../sdk/src/codec.rs"]
#[allow(dead_code)]
mod codec;

use codec::{Decode, Encode};

fn bytes<T: Encode>(v: &T) -> Vec<u8> {
    let mut out = vec![0u8; T::SIZE];
    v.encode(&mut out);
    out
}

fn round_trip<T: Encode + Decode + PartialEq + std::fmt::Debug>(v: T) {
    let b = bytes(&v);
    assert_eq!(b.len(), T::SIZE);
    assert_eq!(T::decode(&b), Some(v));
}

fixed_struct! {
    /// A note, as a contract would encode one.
    pub struct Note { pub owner: [u8; 4], pub amount: u64, pub spent: bool }
}

#[test]
fn integers_are_little_endian_and_fixed_size() {
    assert_eq!(bytes(&0x0102_0304u32), [4, 3, 2, 1]);
    assert_eq!(bytes(&1000u64), [0xe8, 3, 0, 0, 0, 0, 0, 0]);
    assert_eq!(bytes(&-2i32), [0xfe, 0xff, 0xff, 0xff]);
    assert_eq!(bytes(&7u8), [7]);
    round_trip(u64::MAX);
    round_trip(i64::MIN);
    round_trip(0xbeefu16);
}

#[test]
fn booleans_decode_only_from_0_or_1() {
    assert_eq!(bytes(&true), [1]);
    assert_eq!(bool::decode(&[0]), Some(false));
    assert_eq!(bool::decode(&[1]), Some(true));
    for b in 2..=255u8 {
        assert_eq!(bool::decode(&[b]), None, "{b}");
    }
}

#[test]
fn arrays_tuples_and_structs_are_their_fields_in_order() {
    assert_eq!(bytes(&[1u16, 2]), [1, 0, 2, 0]);
    assert_eq!(bytes(&(1u8, 2u32)), [1, 2, 0, 0, 0]);
    let note = Note {
        owner: *b"abcd",
        amount: 5,
        spent: false,
    };
    assert_eq!(Note::SIZE, 4 + 8 + 1);
    assert_eq!(bytes(&note), b"abcd\x05\0\0\0\0\0\0\0\0");
    round_trip(note);
    round_trip((true, [9u8; 32], 3u64, -1i32));
    // A struct with a non-canonical field does not decode.
    let mut b = bytes(&note);
    b[12] = 2;
    assert_eq!(Note::decode(&b), None);
    // Too short or too long does not decode.
    assert_eq!(u64::decode(&[1, 2, 3]), None);
    assert_eq!(u64::decode(&[0; 9]), None);
    assert_eq!(bool::decode(&[1, 0]), None);
    assert_eq!(<[u8; 2]>::decode(&[1, 2, 3]), None);
    assert_eq!(<(u8, u8)>::decode(&[1, 2, 3]), None);
    let mut long = bytes(&note);
    long.push(0);
    assert_eq!(Note::decode(&long), None);
}
