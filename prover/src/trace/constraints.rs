//! The advice values of the constraint families (`gloam_air::constraints`): the bytes of
//! `U`, `V`, `W`, the carry `K`, sign bits, multiplier `P`, shift amount `S`, and the inverse
//! advice `INV`, each computed from a row's operands as its family requires.

use gloam_air::columns::*;
use gloam_air::field::{Felt, FieldElement};
use gloam_executor::Step;
use gloam_isa::{Op, Program};

/// Inverse advice of the executed rows (a field element, computed apart from the `u64`
/// values): `1/(A - B)` for `eq`/`ne`, `1/B` for `cmov`, `1/A` for branches, `1/(V - (2^32 -
/// 1))` for `mul` and shifts; 0 where the inverted value is 0.
pub fn fill_inverses(columns: &mut [Vec<Felt>], program: &Program, steps: &[Step]) {
    for (row, st) in steps.iter().enumerate() {
        let op = program.instrs[st.pc as usize].op;
        let x = match op {
            Op::Eq | Op::Ne => Felt::new(st.a as u64) - Felt::new(st.b as u64),
            Op::CMov => Felt::new(st.b as u64),
            Op::Brz | Op::Brnz => Felt::new(st.a as u64),
            Op::Mul | Op::MulHU | Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr => {
                columns_v(columns, row) - Felt::new(u32::MAX as u64)
            }
            _ => Felt::ZERO,
        };
        columns[INV][row] = if x == Felt::ZERO { Felt::ZERO } else { x.inv() };
    }
}

/// `V` of a row (bytes `x2, y2, x3, y3`).
fn columns_v(c: &[Vec<Felt>], row: usize) -> Felt {
    let b = [c[X + 2][row], c[Y + 2][row], c[X + 3][row], c[Y + 3][row]];
    b[0] + b[1] * Felt::new(256) + b[2] * Felt::new(1 << 16) + b[3] * Felt::new(1 << 24)
}

fn put_u(v: &mut [u64; MAIN_WIDTH], u: u64) {
    v[X] = u & 255;
    v[Y] = (u >> 8) & 255;
    v[X + 1] = (u >> 16) & 255;
    v[Y + 1] = u >> 24;
}

fn put_v(v: &mut [u64; MAIN_WIDTH], x: u64) {
    v[X + 2] = x & 255;
    v[Y + 2] = (x >> 8) & 255;
    v[X + 3] = (x >> 16) & 255;
    v[Y + 3] = x >> 24;
}

fn put_w(v: &mut [u64; MAIN_WIDTH], w: u64) {
    for i in 0..4 {
        v[R + i] = (w >> (8 * i)) & 255;
    }
}

/// Advice of the arithmetic families (everything but the inverse) on a row executing `op`
/// with operands `a`, `b`.
pub fn fill_advice(v: &mut [u64; MAIN_WIDTH], op: Op, a: u64, b: u64) {
    const M32: u64 = 0xFFFF_FFFF;
    match op {
        Op::Add => {
            put_u(v, (a + b) & M32);
            v[K] = (a + b) >> 32;
        }
        Op::Sub | Op::LtU | Op::GeU => {
            put_u(v, a.wrapping_sub(b) & M32);
            v[K] = (a < b) as u64;
        }
        Op::LtS | Op::GeS => {
            let (ba, bb) = (a ^ 0x8000_0000, b ^ 0x8000_0000);
            v[SA] = a >> 31;
            v[SB] = b >> 31;
            put_v(v, ba);
            put_w(v, bb);
            put_u(v, ba.wrapping_sub(bb) & M32);
            v[K] = (ba < bb) as u64;
        }
        Op::Mul | Op::MulHU | Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr => {
            let p = if matches!(op, Op::Mul | Op::MulHU) {
                b
            } else {
                let s = b & 31;
                v[S] = s;
                put_w(v, b >> 5);
                pow_table_value(s + 32 * matches!(op, Op::ShrU | Op::Rotr) as u64)
            };
            v[P] = p;
            let prod = a as u128 * p as u128;
            put_u(v, (prod as u64) & M32);
            put_v(v, (prod >> 32) as u64);
        }
        Op::DivU | Op::RemU => {
            let (q, r) = (a / b, a % b);
            put_u(v, q);
            put_v(v, r);
            put_w(v, b - r - 1);
        }
        Op::And | Op::Or | Op::Xor => {
            for i in 0..4 {
                v[X + i] = (a >> (8 * i)) & 255;
                v[Y + i] = (b >> (8 * i)) & 255;
            }
        }
        Op::Eq | Op::Ne => v[K] = (a == b) as u64,
        Op::CMov => v[K] = (b != 0) as u64,
        Op::Brz | Op::Brnz => v[K] = (a != 0) as u64,
        _ => {}
    }
}

/// Advice of a load or store (`gloam_air::constraints::load_store`) at effective address `ea`
/// over the words `w0` (old first word) and `w1` (old second word, 0 unless the access
/// crosses a word boundary), storing `b`: the word address `WA`, the one-hot offset `O`, the
/// old bytes in lanes `X` and `Y`, for stores the bytes of `B` in `R`, for signed loads the
/// sign bit `K` of the top byte and `r0 = 2 (top - 128 K)`.
pub fn fill_memory_advice(v: &mut [u64; MAIN_WIDTH], op: Op, ea: u32, w0: u32, w1: u32, b: u64) {
    let off = (ea % 4) as usize;
    v[WA] = (ea / 4) as u64;
    v[O + off] = 1;
    for i in 0..4 {
        v[X + i] = ((w0 >> (8 * i)) & 255) as u64;
        v[Y + i] = ((w1 >> (8 * i)) & 255) as u64;
    }
    if op.is_store() {
        put_w(v, b);
    } else if op.is_signed_load() {
        let width = op.mem_width() as usize;
        let both = (w0 as u64) | ((w1 as u64) << 32);
        let top = (both >> (8 * (off + width - 1))) & 255;
        v[K] = top >> 7;
        v[R] = 2 * (top - 128 * v[K]);
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use gloam_air::columns::may_write;

    /// The advice the builder writes for each opcode stays in the columns the committed
    /// layout keeps for it (`gloam_air::columns::may_write`): a program without the opcodes
    /// that write an advice column commits no such column, so a write there would make its
    /// honest traces unprovable.
    #[test]
    fn advice_stays_in_the_columns_of_its_opcode() {
        // The check has teeth: `mul` writes `P`, which `add` rows may not.
        let mut v = [0u64; MAIN_WIDTH];
        fill_advice(&mut v, Op::Mul, 7, 3);
        assert!(v[P] == 3 && may_write(P, Op::Mul) && !may_write(P, Op::Add));
        let words = [
            0u64,
            1,
            2,
            7,
            31,
            32,
            255,
            0x8000_0000,
            0xFFFF_FFFF,
            0x1234_5678,
        ];
        for &op in Op::ALL.iter().filter(|op| op.is_provable()) {
            for &a in &words {
                for &b in &words {
                    let mut v = [0u64; MAIN_WIDTH];
                    if op.mem_width() > 0 {
                        let (w0, w1) = (a as u32, b as u32 ^ 0xA5A5_A5A5);
                        for ea in [0u32, 1, 2, 3, 4097] {
                            fill_memory_advice(&mut v, op, ea, w0, w1, b);
                        }
                    } else {
                        if matches!(op, Op::DivU | Op::RemU) && b == 0 {
                            continue; // traps: no row
                        }
                        fill_advice(&mut v, op, a, b);
                    }
                    // The builder derives the lanes' `z`, `w` from `x`, `y`.
                    for i in 0..WORD_BYTES {
                        v[Z + i] = v[X + i] & v[Y + i];
                        v[W + i] = v[X + i] ^ v[Y + i];
                    }
                    for (col, &x) in v.iter().enumerate() {
                        assert!(
                            x == 0 || may_write(col, op),
                            "{op:?}({a:#x}, {b:#x}) writes column {col}"
                        );
                    }
                }
            }
        }
    }
}
