//! Multi-instruction expansions of operators the ISA has no instruction for: `i32.shr_s`,
//! `i32.div_s`/`i32.rem_s`, `i32.popcnt`/`ctz`/`clz` (SWAR), `i32.extend8_s`/`extend16_s`,
//! and `select` (with `cmov`).
//! Each works in scratch slots above the operands; when a native opcode takes over an
//! operator, its expansion here goes away.

use wasmparser::Operator;

use super::stack::Val;
use super::{FnLowerer, Opnd};
use crate::isa::{trap_code, Instr, Op};

/// `-1` as an `i32` immediate.
const NEG1: u32 = u32::MAX;

impl FnLowerer<'_> {
    /// `select`: a constant condition picks a value; otherwise `dest = v2` then a `cmov` of `v1`
    /// (or, when `v1` already sits in `dest`, a `cmov` of `v2` on `cond == 0`), one per word
    /// of an `i64`.
    pub(super) fn select(&mut self) {
        let cond = self.pop();
        let v2 = self.pop();
        let v1 = self.pop();
        let wide = v1.wide() || v2.wide();
        let dest = self.next_slot();
        if let Val::Const(c) = cond {
            let v = if c != 0 { v1 } else { v2 };
            // A temporary must live in its own position's canonical slot.
            match v {
                Val::Slot(s) | Val::Slot64(s) if s >= self.t0 && s != dest => {
                    self.mov_typed(dest, s, wide);
                    self.stack.push(Val::in_slot(dest, wide));
                }
                v => self.stack.push(v),
            }
            return;
        }
        // Scratch above the operands (v1, v2: w slots each, cond: 1).
        let w = 1 + wide as u32;
        let s3 = dest + 2 * w + 1;
        let z = s3 + w;
        self.touch(s3 + w - 1);
        if v1.slot() != Some(dest) {
            // dest = v2; dest = cond ? v1 : dest
            self.put(dest, v2);
            let v1s = self.slot_of(v1, s3);
            for k in 0..w {
                self.op3(Op::CMov, dest + k, v1s + k, Self::opnd(cond));
            }
        } else {
            // v1 already in dest: dest = (cond == 0) ? v2 : dest
            self.touch(z);
            let c = self.slot_of(cond, z);
            self.op3(Op::Eq, z, c, Opnd::I(0));
            let v2s = self.slot_of(v2, s3);
            for k in 0..w {
                self.op3(Op::CMov, dest + k, v2s + k, Opnd::S(z));
            }
        }
        self.stack.push(Val::in_slot(dest, wide));
    }

    /// Scratch slot `j` above two 32-bit operands at stack height `h`.
    pub(super) fn scratch(&mut self, h: usize, j: usize) -> u32 {
        let s = self.slot_at(h) + 2 + j as u32;
        self.touch(s);
        s
    }

    /// `i32.shr_s` as `((a ^ m) >>u b) ^ m` with the sign mask `m`.
    pub(super) fn shr_s(&mut self) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            self.stack.push(Val::Const(((x as i32) >> (y & 31)) as u32));
            return;
        }
        let h = self.stack.len();
        let dest = self.next_slot();
        let (s1, s2) = (self.scratch(h, 0), self.scratch(h, 1));
        let a = self.slot_of(a, s2);
        // sign mask m = (a <s 0) * 0xFFFFFFFF ; result = ((a ^ m) >>u b) ^ m
        self.op3(Op::LtS, s1, a, Opnd::I(0));
        self.op3(Op::Mul, s1, s1, Opnd::I(NEG1));
        self.op3(Op::Xor, s2, a, Opnd::S(s1));
        match b {
            Val::Const(k) if k & 31 == 0 => {}
            Val::Const(k) => {
                self.op3(Op::DivU, s2, s2, Opnd::I(1 << (k & 31)));
            }
            Val::Slot(bs) | Val::Slot64(bs) => {
                self.op3(Op::ShrU, s2, s2, Opnd::S(bs));
            }
            Val::Const64(_) => unreachable!("validated: i32.shr_s takes i32 operands"),
        }
        self.op3(Op::Xor, dest, s2, Opnd::S(s1));
        self.stack.push(Val::Slot(dest));
    }

    /// `|x|` of a signed value into `out`, with its sign bit into `sign`.
    pub(super) fn abs_into(&mut self, x: u32, out: u32, sign: u32, tmp: u32) {
        self.op3(Op::LtS, sign, x, Opnd::I(0));
        self.op3(Op::Mul, tmp, x, Opnd::I(NEG1));
        self.mov(out, x);
        self.op3(Op::CMov, out, tmp, Opnd::S(sign));
    }

    /// `i32.div_s` (`div`) or `i32.rem_s` on magnitudes, with the `INT_MIN / -1` trap and the
    /// sign restored by a conditional negation.
    pub(super) fn div_rem_s(&mut self, div: bool) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            let (x, y) = (x as i32, y as i32);
            let v = if div {
                x.checked_div(y)
            } else {
                x.checked_rem(y).or(Some(0)).filter(|_| y != 0)
            };
            if let Some(v) = v {
                self.stack.push(Val::Const(v as u32));
                return;
            }
        }
        let h = self.stack.len();
        let dest = self.next_slot();
        let s: Vec<u32> = (0..6).map(|j| self.scratch(h, j)).collect();
        let a = self.slot_of(a, s[5]);
        // INT_MIN / -1 traps (only for div_s; rem_s gives 0).
        let b_const = if let Val::Const(k) = b { Some(k) } else { None };
        if div && b_const.is_none_or(|k| k == NEG1) {
            self.op3(Op::Eq, s[0], a, Opnd::I(0x8000_0000));
            match b {
                Val::Slot(bs) | Val::Slot64(bs) => {
                    self.op3(Op::Eq, s[1], bs, Opnd::I(NEG1));
                    self.op3(Op::And, s[0], s[0], Opnd::S(s[1]));
                }
                Val::Const(_) | Val::Const64(_) => {}
            }
            let skip = self.jump(Op::Brz, s[0], 0);
            self.emit(Instr {
                op: Op::Trap,
                imm: trap_code::INTEGER_OVERFLOW,
                ..Instr::new(Op::Trap)
            });
            let here = self.here();
            self.patch(skip, here);
        }
        // |a| -> s2, sign(a) -> s0
        self.abs_into(a, s[2], s[0], s[1]);
        let positive_const = b_const.filter(|k| (*k as i32) > 0);
        let op = if div { Op::DivU } else { Op::RemU };
        if let Some(k) = positive_const {
            self.op3(op, s[2], s[2], Opnd::I(k));
        } else {
            let bs = self.slot_of(b, s[4]);
            // |b| -> s4, sign(b) -> s3
            self.abs_into(bs, s[4], s[3], s[1]);
            self.op3(op, s[2], s[2], Opnd::S(s[4]));
            if div {
                self.op3(Op::Xor, s[0], s[0], Opnd::S(s[3]));
            }
        }
        // negate when the result sign (s0) is set
        self.op3(Op::Mul, s[1], s[2], Opnd::I(NEG1));
        self.op3(Op::CMov, s[2], s[1], Opnd::S(s[0]));
        self.mov(dest, s[2]);
        self.stack.push(Val::Slot(dest));
    }

    /// SWAR population count of slot `x` into `dest` (12 instructions).
    pub(super) fn popcnt_into(&mut self, dest: u32, x: u32, s1: u32, s2: u32) {
        self.op3(Op::DivU, s1, x, Opnd::I(2));
        self.op3(Op::And, s1, s1, Opnd::I(0x5555_5555));
        self.op3(Op::Sub, s1, x, Opnd::S(s1));
        self.op3(Op::And, s2, s1, Opnd::I(0x3333_3333));
        self.op3(Op::DivU, s1, s1, Opnd::I(4));
        self.op3(Op::And, s1, s1, Opnd::I(0x3333_3333));
        self.op3(Op::Add, s1, s1, Opnd::S(s2));
        self.op3(Op::DivU, s2, s1, Opnd::I(16));
        self.op3(Op::Add, s1, s1, Opnd::S(s2));
        self.op3(Op::And, s1, s1, Opnd::I(0x0F0F_0F0F));
        self.op3(Op::Mul, s1, s1, Opnd::I(0x0101_0101));
        self.op3(Op::DivU, dest, s1, Opnd::I(1 << 24));
    }

    /// `i32.popcnt`, `i32.ctz` (popcount of `(x & -x) - 1`) or `i32.clz` (32 minus the popcount
    /// of `x` with its highest set bit smeared right).
    pub(super) fn bitcount(&mut self, op: &Operator) {
        let a = self.pop();
        if let Val::Const(x) = a {
            self.stack.push(Val::Const(match op {
                Operator::I32Popcnt => x.count_ones(),
                Operator::I32Ctz => x.trailing_zeros(),
                _ => x.leading_zeros(),
            }));
            return;
        }
        let h = self.stack.len();
        let dest = self.next_slot();
        let s: Vec<u32> = (0..4).map(|j| self.scratch(h, j)).collect();
        let x = self.slot_of(a, s[3]);
        match op {
            Operator::I32Popcnt => self.popcnt_into(dest, x, s[0], s[1]),
            Operator::I32Ctz => {
                // popcnt((x & -x) - 1)
                self.op3(Op::Mul, s[2], x, Opnd::I(NEG1));
                self.op3(Op::And, s[2], x, Opnd::S(s[2]));
                self.op3(Op::Sub, s[2], s[2], Opnd::I(1));
                self.popcnt_into(dest, s[2], s[0], s[1]);
            }
            _ => {
                // smear the highest set bit right, then 32 - popcnt
                self.op3(Op::DivU, s[0], x, Opnd::I(2));
                self.op3(Op::Or, s[2], x, Opnd::S(s[0]));
                for k in [2u32, 4, 8, 16] {
                    self.op3(Op::DivU, s[0], s[2], Opnd::I(1 << k));
                    self.op3(Op::Or, s[2], s[2], Opnd::S(s[0]));
                }
                self.popcnt_into(s[2], s[2], s[0], s[1]);
                self.konst(s[0], 32);
                self.op3(Op::Sub, dest, s[0], Opnd::S(s[2]));
            }
        }
        self.stack.push(Val::Slot(dest));
    }

    /// `i32.extend8_s` (`bits` = 8) or `i32.extend16_s` (16): `((x & m) ^ h) - h` with the
    /// field mask `m` and its sign bit `h`.
    pub(super) fn extend_s(&mut self, bits: u32) {
        let a = self.pop();
        if let Val::Const(x) = a {
            let v = ((x << (32 - bits)) as i32 >> (32 - bits)) as u32;
            self.stack.push(Val::Const(v));
            return;
        }
        let dest = self.next_slot();
        let x = self.slot_of(a, dest);
        self.sign_extend_into(dest, x, bits);
        self.stack.push(Val::Slot(dest));
    }

    /// `dest = sign-extension of the low `bits` bits of slot `x`` (3 instructions; `dest` may
    /// be `x`).
    pub(super) fn sign_extend_into(&mut self, dest: u32, x: u32, bits: u32) {
        let (mask, sign) = ((1u32 << bits) - 1, 1u32 << (bits - 1));
        self.op3(Op::And, dest, x, Opnd::I(mask));
        self.op3(Op::Xor, dest, dest, Opnd::I(sign));
        self.op3(Op::Sub, dest, dest, Opnd::I(sign));
    }
}
