//! Loads and stores of 1, 2 or 4 bytes of linear memory, byte-addressed and unaligned.
//!
//! Linear memory is a sequence of 4-byte little-endian words in the memory argument, word
//! `wa` at address `MEM_BASE + wa`. A load or store at byte address `A + imm` splits it as
//! `4 WA + o` with the offset `o` one-hot in `O`; it touches word `WA` (access `b` of a load,
//! `c` of a store) and, if it crosses a word boundary (`o + width > 4`), word `WA + 1` (access
//! `d`). The old bytes of the two words are the lanes `X` (first word) and `Y` (second word),
//! range-checked by the bitwise bus; the loaded value is selected from them by the offset and
//! the width, sign-extended through the sign bit `K` of its top byte; a store replaces the
//! selected bytes with the bytes `r0..r3` of `B` (`B = W`) and writes the two new words.
//!
//! Bounds: the memory table holds memory words only below `MEM_BASE + memory_words`, so a
//! word access beyond the memory has no initial token and cannot balance; `A + imm < 2^33`
//! and `4 WA + o` with `WA < 2^30` are integers below `p`, so the split is exact (and a `WA`
//! that is not that integer is a field element far from every table address: `docs/air.md`
//! §5). A load or store that would trap is therefore unprovable.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{k, Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("offset_0_bool", 2),
    ("offset_1_bool", 2),
    ("offset_2_bool", 2),
    ("offset_3_bool", 2),
    ("offset_one_hot", 1),
    ("no_immediate_operand", 2),
    ("address_split", 2),
    ("load_first_word_bytes", 3),
    ("store_first_word_bytes", 3),
    ("second_word_bytes", 3),
    ("load_value", 4),
    ("load_sign_bit", 5),
    ("store_value_bytes", 3),
    ("store_first_word", 5),
    ("store_second_word", 5),
];

/// `sum_o O_o * sum_{k < width} 2^(8k) byte(o + k)`: the `width` bytes at the offset.
fn selected<E: FieldElement<BaseField = Felt>>(r: &Row<E>, width: usize) -> E {
    let mut acc = E::ZERO;
    for o in 0..4 {
        let mut v = E::ZERO;
        for kk in (0..width).rev() {
            v = v * k::<E>(256) + r.mem_byte(o + kk);
        }
        acc += r.c(O + o) * v;
    }
    acc
}

/// `sum_o O_o * byte(o + width - 1)`: the top byte of the selected ones.
fn top_byte<E: FieldElement<BaseField = Felt>>(r: &Row<E>, width: usize) -> E {
    let mut acc = E::ZERO;
    for o in 0..4 {
        acc += r.c(O + o) * r.mem_byte(o + width - 1);
    }
    acc
}

/// The change a `width`-byte store makes to word `word` (0 or 1) at every offset:
/// `sum_o O_o sum_{k < width, o + k in word} 2^(8 (o + k - 4 word)) (r_k - byte(o + k))`.
fn store_delta<E: FieldElement<BaseField = Felt>>(r: &Row<E>, width: usize, word: usize) -> E {
    let mut acc = E::ZERO;
    for o in 0..4 {
        let mut v = E::ZERO;
        for kk in 0..width {
            let j = o + kk;
            if j / 4 == word {
                let shift = 8 * (j - 4 * word) as u64;
                v += k::<E>(1 << shift) * (r.c(R + kk) - r.mem_byte(j));
            }
        }
        acc += r.c(O + o) * v;
    }
    acc
}

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    for o in 0..4 {
        let b = r.c(O + o);
        s.push(b * (b - one));
    }
    let (f_load, f_store, f_mem) = (r.f_load(), r.f_store(), r.f_mem());
    s.push(r.c(O) + r.c(O + 1) + r.c(O + 2) + r.c(O + 3) - f_mem);
    let globals = r.g(Group::GlobalGet) + r.g(Group::GlobalSet) + r.g(Group::GlobalAt);
    s.push((f_mem + globals) * r.c(BIMM));
    let offset = r.c(O + 1) + r.c(O + 2) * k::<E>(2) + r.c(O + 3) * k::<E>(3);
    s.push(f_mem * (r.a() + r.c(IMM) - r.c(WA) * k::<E>(4) - offset));
    s.push(f_load * (r.b() - r.word0()));
    s.push(f_store * (r.c(PREV_C) - r.word0()));
    s.push(r.en_d() * (r.c(PREV_D) - r.word1()));

    let c = r.res();
    let kk = r.c(K);
    let (sel1, sel2, sel4) = (selected(r, 1), selected(r, 2), selected(r, 4));
    let ext8 = k::<E>((1u64 << 32) - (1 << 8));
    let ext16 = k::<E>((1u64 << 32) - (1 << 16));
    // Degree 4, not 5: the two loads of each width are summed in this one expression, so
    // their two-bit selectors' `b1` literals cancel (`(1 - b1) + b1`) in the common part.
    s.push(
        r.f(Op::I32Load) * (c - sel4)
            + r.f(Op::I32Load8U) * (c - sel1)
            + r.f(Op::I32Load16U) * (c - sel2)
            + r.f(Op::I32Load8S) * (c - sel1 - kk * ext8)
            + r.f(Op::I32Load16S) * (c - sel2 - kk * ext16),
    );
    let half = k::<E>(128);
    let two = k::<E>(2);
    s.push(
        r.f(Op::I32Load8S) * (two * (top_byte(r, 1) - half * kk) - r.c(R))
            + r.f(Op::I32Load16S) * (two * (top_byte(r, 2) - half * kk) - r.c(R)),
    );
    s.push(f_store * (r.b() - r.w()));
    let widths = [(Op::I32Store, 4), (Op::I32Store8, 1), (Op::I32Store16, 2)];
    let mut first = E::ZERO;
    let mut second = E::ZERO;
    for (op, w) in widths {
        first += r.f(op) * (r.c(VAL_C) - r.c(PREV_C) - store_delta(r, w, 0));
        second += r.f(op) * (r.c(VAL_D) - r.c(PREV_D) - store_delta(r, w, 1));
    }
    s.push(first);
    s.push(second);
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    /// A row executing `op` at byte address `a + imm` over the two words `w0`, `w1`.
    fn mem_row(op: Op, a: u64, imm: u64, w0: u32, w1: u32) -> Rows {
        let mut r = Rows::new(op);
        let ea = a + imm;
        r.set(VAL_A, a).set(IMM, imm).set(WA, ea / 4);
        r.set(O + (ea % 4) as usize, 1);
        for i in 0..4 {
            r.set(X + i, ((w0 >> (8 * i)) & 255) as u64);
            r.set(Y + i, ((w1 >> (8 * i)) & 255) as u64);
        }
        r.lanes();
        r
    }

    fn load(op: Op, a: u64, imm: u64, w0: u32, w1: u32, value: u32) -> Rows {
        let mut r = mem_row(op, a, imm, w0, w1);
        r.set(VAL_B, w0 as u64).set(PREV_B, w0 as u64);
        r.set(VAL_D, w1 as u64).set(PREV_D, w1 as u64);
        r.set(VAL_C, value as u64);
        r
    }

    #[test]
    fn unaligned_load_across_two_words_holds_a_wrong_value_does_not() {
        // bytes 11 22 33 44 | 55 66 77 88, load 4 bytes at offset 3: 0x77665544
        let mut r = load(Op::I32Load, 1000, 7, 0x4433_2211, 0x8877_6655, 0x7766_5544);
        r.holds("load_store");
        r.set(VAL_C, 0x7766_5545);
        r.rejected_by("load_store", "load_value");
    }

    #[test]
    fn signed_byte_load_needs_the_true_sign_bit() {
        // byte 0xF0 at offset 1, sign-extended: 0xFFFF_FFF0; K = 1, r0 = 2 * (0xF0 - 128)
        let mut r = load(Op::I32Load8S, 4, 1, 0x0000_F000, 0, 0xFFFF_FFF0);
        r.set(K, 1).set(R, 2 * (0xF0 - 128));
        r.holds("load_store");
        // claiming the byte is positive (K = 0, value 0xF0) needs r0 = 2 * 0xF0, not a byte
        r.set(K, 0).set(VAL_C, 0xF0).set(R, 2 * 0xF0);
        r.holds("load_store"); // the family holds; the range bus refuses r0 = 480
        r.set(R, 2 * 0xF0 - 256);
        r.rejected_by("load_store", "load_sign_bit");
    }

    #[test]
    fn store_replaces_only_the_selected_bytes() {
        // store16 of 0xBEEF at offset 3 of words 0x44332211, 0x88776655
        let mut r = mem_row(Op::I32Store16, 8, 3, 0x4433_2211, 0x8877_6655);
        r.set(VAL_B, 0x1234_BEEF)
            .set(PREV_B, 0x1234_BEEF)
            .w(0x1234_BEEF);
        r.set(PREV_C, 0x4433_2211).set(VAL_C, 0xEF33_2211);
        r.set(PREV_D, 0x8877_6655).set(VAL_D, 0x8877_66BE);
        r.holds("load_store");
        r.set(VAL_D, 0x8877_6655);
        r.rejected_by("load_store", "store_second_word");
    }

    #[test]
    fn the_address_split_is_checked() {
        let mut r = load(Op::I32Load8U, 100, 2, 0x00AB_0000, 0, 0xAB);
        r.holds("load_store");
        r.set(WA, 26);
        r.rejected_by("load_store", "address_split");
    }
}
