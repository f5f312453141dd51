//! `i64` operators lowered into 32-bit instructions. An `i64` occupies two consecutive slots,
//! the low word `l` first, then the high word `h`; the result of an operator goes to the two
//! slots `d`, `d + 1` of the next stack position, with scratch slots above both operands
//! (`d + 4` on). The first operand may sit in `d`, `d + 1` itself (a temporary in its own
//! canonical slots), so every expansion reads each word of it before writing the same word
//! of the result.
//!
//! Instruction counts (general case, both operands in slots): `add`/`sub` 4, `mul` 6 (with
//! `mulhu` for the high word of the low product), `and`/`or`/`xor` 2, `eq`/`ne` 3, `eqz` 2,
//! `lt`/`gt`/`le`/`ge` 4 (1 against a constant with a zero low word), shifts and rotates by
//! a constant 2 to 7, by a variable amount 10 (`shl`, `shr_u`), 13 (`shr_s`), 14/15
//! (`rotl`/`rotr`), `extend_i32_u` 1-2, `extend_i32_s` and `extend32_s` 2-3,
//! `extend8_s`/`extend16_s` 5, `wrap` 0. Division and remainder check their traps inline and
//! call a helper (`helpers.wat`); so do `clz`, `ctz` and `popcnt`. Constant operands fold
//! (with WebAssembly 2.0 §4.3.2 semantics) or simplify the expansion.

use super::stack::Val;
use super::{FnLowerer, Opnd};
use crate::frontend::emit::Target;
use crate::frontend::helpers::{helpers, Helper};
use crate::isa::{trap_code, Op};

/// `-1` as an immediate.
const NEG1: u32 = u32::MAX;

/// A shift or rotate of an `i64`.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Shift {
    Shl,
    ShrU,
    ShrS,
    Rotl,
    Rotr,
}

/// An ordering comparison of `i64` values.
#[derive(Clone, Copy, PartialEq, Eq, Debug)]
pub(super) enum Rel {
    Lt,
    Gt,
    Le,
    Ge,
}

/// The low and high words of an `i64` operand as `B` operands.
fn limbs(v: Val) -> (Opnd, Opnd) {
    match v {
        Val::Slot64(s) => (Opnd::S(s), Opnd::S(s + 1)),
        Val::Const64(c) => (Opnd::I(c as u32), Opnd::I((c >> 32) as u32)),
        _ => unreachable!("validated: an i64 operand"),
    }
}

/// `2^32 - 2^(32 - j)`: the top `j` bits set (`0 < j < 32`).
fn top_bits(j: u32) -> u32 {
    0u32.wrapping_sub(1 << (32 - j))
}

impl FnLowerer<'_> {
    /// Pops the two operands of a binary operator: `(a, b)`.
    fn pop2(&mut self) -> (Val, Val) {
        let b = self.pop();
        let a = self.pop();
        (a, b)
    }

    /// The first slot of `i64` value `v`; a constant is materialised into `scratch`,
    /// `scratch + 1`.
    fn wide_slot(&mut self, v: Val, scratch: u32) -> u32 {
        match v {
            Val::Slot64(s) => s,
            Val::Const64(c) => {
                self.touch(scratch + 1);
                self.konst64(scratch, c);
                scratch
            }
            _ => unreachable!("validated: an i64 operand"),
        }
    }

    /// The slot of the result (two slots) of the next stack position.
    fn dest64(&mut self) -> u32 {
        let d = self.next_slot();
        self.touch(d + 1);
        d
    }

    /// `op d, a, b` on one word, with the identities of a constant `B` folded: `+ 0`, `- 0`,
    /// `| 0`, `^ 0`, `& -1`, `* 1` are moves (nothing when `d == a`), `& 0` and `* 0` zero,
    /// `| -1` all ones.
    fn limb(&mut self, op: Op, d: u32, a: u32, b: Opnd) {
        match (op, b) {
            (Op::Add | Op::Sub | Op::Or | Op::Xor, Opnd::I(0))
            | (Op::And, Opnd::I(NEG1))
            | (Op::Mul, Opnd::I(1)) => self.mov(d, a),
            (Op::And | Op::Mul, Opnd::I(0)) => self.konst(d, 0),
            (Op::Or, Opnd::I(NEG1)) => self.konst(d, NEG1),
            _ => {
                self.op3(op, d, a, b);
            }
        }
    }

    /// Puts a constant second: for commutative operators.
    fn commute(a: Val, b: Val) -> (Val, Val) {
        match (a, b) {
            (Val::Const64(_), Val::Slot64(_)) => (b, a),
            _ => (a, b),
        }
    }

    /// `i64.add` (carry: the low sum is below an addend exactly when it wrapped).
    pub(super) fn add64(&mut self) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            return self.stack.push(Val::Const64(x.wrapping_add(y)));
        }
        let (a, b) = Self::commute(a, b);
        let d = self.dest64();
        let k = d + 4;
        self.touch(k);
        let al = self.wide_slot(a, k);
        let ah = al + 1;
        let (bl, bh) = limbs(b);
        if bl == Opnd::I(0) {
            self.mov(d, al);
            self.limb(Op::Add, d + 1, ah, bh);
        } else {
            self.op3(Op::Add, d, al, bl);
            self.op3(Op::LtU, k, d, bl);
            if bh == Opnd::I(0) {
                self.op3(Op::Add, d + 1, ah, Opnd::S(k));
            } else {
                self.op3(Op::Add, d + 1, ah, bh);
                self.op3(Op::Add, d + 1, d + 1, Opnd::S(k));
            }
        }
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.sub` (borrow: the low word of `a` below that of `b`).
    pub(super) fn sub64(&mut self) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            return self.stack.push(Val::Const64(x.wrapping_sub(y)));
        }
        let d = self.dest64();
        let k = d + 6;
        self.touch(k);
        let al = self.wide_slot(a, d + 4);
        let ah = al + 1;
        let (bl, bh) = limbs(b);
        if bl == Opnd::I(0) {
            self.mov(d, al);
            self.limb(Op::Sub, d + 1, ah, bh);
        } else {
            self.op3(Op::LtU, k, al, bl);
            self.op3(Op::Sub, d, al, bl);
            if bh == Opnd::I(0) {
                self.op3(Op::Sub, d + 1, ah, Opnd::S(k));
            } else {
                self.op3(Op::Sub, d + 1, ah, bh);
                self.op3(Op::Sub, d + 1, d + 1, Opnd::S(k));
            }
        }
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.mul`: `lo = al * bl`, `hi = mulhu(al, bl) + al * bh + ah * bl` (mod 2^32).
    pub(super) fn mul64(&mut self) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            return self.stack.push(Val::Const64(x.wrapping_mul(y)));
        }
        let (a, b) = Self::commute(a, b);
        let d = self.dest64();
        let (t, u) = (d + 4, d + 5);
        self.touch(u);
        let al = self.wide_slot(a, t);
        let ah = al + 1;
        match limbs(b) {
            (Opnd::I(0), bh) => {
                // a * (bh << 32): the low word is zero
                self.limb(Op::Mul, d + 1, al, bh);
                self.konst(d, 0);
            }
            (bl, Opnd::I(0)) => {
                self.op3(Op::Mul, t, ah, bl);
                self.op3(Op::MulHU, u, al, bl);
                self.op3(Op::Mul, d, al, bl);
                self.op3(Op::Add, d + 1, t, Opnd::S(u));
            }
            (bl, bh) => {
                self.op3(Op::Mul, t, al, bh);
                self.op3(Op::Mul, u, ah, bl);
                self.op3(Op::Add, t, t, Opnd::S(u));
                self.op3(Op::MulHU, u, al, bl);
                self.op3(Op::Mul, d, al, bl);
                self.op3(Op::Add, d + 1, t, Opnd::S(u));
            }
        }
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.and`, `i64.or`, `i64.xor`: word by word.
    pub(super) fn bitwise64(&mut self, op: Op) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            let v = match op {
                Op::And => x & y,
                Op::Or => x | y,
                _ => x ^ y,
            };
            return self.stack.push(Val::Const64(v));
        }
        let (a, b) = Self::commute(a, b);
        let d = self.dest64();
        let al = self.wide_slot(a, d + 4);
        let (bl, bh) = limbs(b);
        self.limb(op, d, al, bl);
        self.limb(op, d + 1, al + 1, bh);
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.eq` (`ne` false) or `i64.ne`: both words compared, the results combined.
    pub(super) fn eq64(&mut self, ne: bool) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            return self.stack.push(Val::Const(((x == y) != ne) as u32));
        }
        let (a, b) = Self::commute(a, b);
        if b == Val::Const64(0) {
            self.stack.push(a);
            return self.eqz64(ne);
        }
        let d = self.next_slot();
        let (t, u) = (d + 4, d + 5);
        self.touch(u);
        let al = self.wide_slot(a, t);
        let (bl, bh) = limbs(b);
        let (cmp, join) = if ne {
            (Op::Ne, Op::Or)
        } else {
            (Op::Eq, Op::And)
        };
        self.op3(cmp, t, al, bl);
        self.op3(cmp, u, al + 1, bh);
        self.op3(join, d, t, Opnd::S(u));
        self.stack.push(Val::Slot(d));
    }

    /// `i64.eqz` (`ne` false), or `a != 0` (`ne` true): `(al | ah) == 0`.
    pub(super) fn eqz64(&mut self, ne: bool) {
        let a = self.pop();
        if let Val::Const64(x) = a {
            return self.stack.push(Val::Const(((x == 0) != ne) as u32));
        }
        let d = self.next_slot();
        let t = d + 2;
        self.touch(t);
        let al = self.wide_slot(a, t);
        self.op3(Op::Or, t, al, Opnd::S(al + 1));
        self.op3(if ne { Op::Ne } else { Op::Eq }, d, t, Opnd::I(0));
        self.stack.push(Val::Slot(d));
    }

    /// `i64.lt_s` etc.: rewritten to `x < y` or `x >= y` with `x` in slots (and `y` a
    /// constant when either operand is one), then the high words decide unless they are
    /// equal, when the low words (unsigned) do.
    pub(super) fn cmp64(&mut self, rel: Rel, signed: bool) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            let ord = if signed {
                (x as i64).cmp(&(y as i64))
            } else {
                x.cmp(&y)
            };
            let v = match rel {
                Rel::Lt => ord.is_lt(),
                Rel::Gt => ord.is_gt(),
                Rel::Le => ord.is_le(),
                Rel::Ge => ord.is_ge(),
            };
            return self.stack.push(Val::Const(v as u32));
        }
        let max = if signed { i64::MAX as u64 } else { u64::MAX };
        // (lt, x, y): x < y when lt, else x >= y; or a constant result.
        let form = match (rel, a, b) {
            // k < b  <=>  b >= k + 1 ;  k >= b  <=>  b < k + 1 ;  nothing is above max
            (Rel::Lt, Val::Const64(k), _) if k == max => Err(false),
            (Rel::Lt, Val::Const64(k), _) => Ok((false, b, Val::Const64(k.wrapping_add(1)))),
            (Rel::Ge, Val::Const64(k), _) if k == max => Err(true),
            (Rel::Ge, Val::Const64(k), _) => Ok((true, b, Val::Const64(k.wrapping_add(1)))),
            (Rel::Lt, _, _) => Ok((true, a, b)),
            (Rel::Ge, _, _) => Ok((false, a, b)),
            // a > k  <=>  a >= k + 1 ;  a <= k  <=>  a < k + 1
            (Rel::Gt, _, Val::Const64(k)) if k == max => Err(false),
            (Rel::Gt, _, Val::Const64(k)) => Ok((false, a, Val::Const64(k.wrapping_add(1)))),
            (Rel::Le, _, Val::Const64(k)) if k == max => Err(true),
            (Rel::Le, _, Val::Const64(k)) => Ok((true, a, Val::Const64(k.wrapping_add(1)))),
            // a > b  <=>  b < a ;  a <= b  <=>  b >= a
            (Rel::Gt, _, _) => Ok((true, b, a)),
            (Rel::Le, _, _) => Ok((false, b, a)),
        };
        let (lt, x, y) = match form {
            Ok(f) => f,
            Err(v) => return self.stack.push(Val::Const(v as u32)),
        };
        let d = self.next_slot();
        let (u, v) = (d + 4, d + 5);
        self.touch(v);
        let xl = self.wide_slot(x, d + 6);
        let xh = xl + 1;
        let (yl, yh) = limbs(y);
        let hi_op = match (lt, signed) {
            (true, false) => Op::LtU,
            (true, true) => Op::LtS,
            (false, false) => Op::GeU,
            (false, true) => Op::GeS,
        };
        if yl == Opnd::I(0) {
            // x < (yh, 0) <=> xh < yh ;  x >= (yh, 0) <=> xh >= yh
            self.op3(hi_op, d, xh, yh);
        } else {
            self.op3(if lt { Op::LtU } else { Op::GeU }, d, xl, yl);
            self.op3(hi_op, u, xh, yh);
            self.op3(Op::Ne, v, xh, yh);
            self.op3(Op::CMov, d, u, Opnd::S(v));
        }
        self.stack.push(Val::Slot(d));
    }

    /// `i64.extend_i32_u` / `i64.extend_i32_s`.
    pub(super) fn extend_i32(&mut self, signed: bool) {
        let a = self.pop();
        if let Val::Const(c) = a {
            let v = if signed {
                c as i32 as i64 as u64
            } else {
                c as u64
            };
            return self.stack.push(Val::Const64(v));
        }
        let d = self.dest64();
        let s = self.slot_of(a, d);
        self.mov(d, s);
        if signed {
            self.sign_word(d + 1, d);
        } else {
            self.konst(d + 1, 0);
        }
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.extend8_s`, `i64.extend16_s`, `i64.extend32_s` (`bits`).
    pub(super) fn extend64(&mut self, bits: u32) {
        let a = self.pop();
        if let Val::Const64(c) = a {
            let v = ((c << (64 - bits)) as i64 >> (64 - bits)) as u64;
            return self.stack.push(Val::Const64(v));
        }
        let d = self.dest64();
        let al = self.wide_slot(a, d + 2);
        if bits == 32 {
            self.mov(d, al);
        } else {
            self.sign_extend_into(d, al, bits);
        }
        self.sign_word(d + 1, d);
        self.stack.push(Val::Slot64(d));
    }

    /// `i32.wrap_i64`: the low word, where it lies (no instruction).
    pub(super) fn wrap(&mut self) {
        let v = match self.pop() {
            Val::Slot64(s) => Val::Slot(s),
            Val::Const64(c) => Val::Const(c as u32),
            v => v,
        };
        self.stack.push(v);
    }

    /// Shifts and rotates: by a constant amount (specialised), or by a variable one.
    pub(super) fn shift64(&mut self, kind: Shift) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            let n = (y & 63) as u32;
            let v = match kind {
                Shift::Shl => x << n,
                Shift::ShrU => x >> n,
                Shift::ShrS => ((x as i64) >> n) as u64,
                Shift::Rotl => x.rotate_left(n),
                Shift::Rotr => x.rotate_right(n),
            };
            return self.stack.push(Val::Const64(v));
        }
        match b {
            Val::Const64(k) => self.shift64_const(kind, a, (k & 63) as u32),
            Val::Slot64(n) => self.shift64_var(kind, a, n),
            _ => unreachable!("validated: an i64 shift amount"),
        }
    }

    /// A shift or rotate of slot value `a` by `k` in `0..64`.
    fn shift64_const(&mut self, kind: Shift, a: Val, k: u32) {
        let (kind, k) = match kind {
            Shift::Rotr => (Shift::Rotl, (64 - k) % 64),
            kind => (kind, k),
        };
        if k == 0 {
            return self.stack.push(a);
        }
        let d = self.dest64();
        let (t, u, v, w) = (d + 4, d + 5, d + 6, d + 7);
        self.touch(w);
        let al = self.wide_slot(a, t);
        let ah = al + 1;
        match kind {
            Shift::Shl if k < 32 => {
                let p = Opnd::I(1 << k);
                self.op3(Op::Mul, t, ah, p);
                self.op3(Op::MulHU, u, al, p);
                self.op3(Op::Mul, d, al, p);
                self.op3(Op::Add, d + 1, t, Opnd::S(u));
            }
            Shift::Shl => {
                self.limb(Op::Mul, d + 1, al, Opnd::I(1 << (k - 32)));
                self.konst(d, 0);
            }
            Shift::ShrU | Shift::ShrS if k < 32 => {
                // lo = (al >> k) + (ah << (32 - k))
                self.op3(Op::DivU, t, al, Opnd::I(1 << k));
                self.op3(Op::Mul, u, ah, Opnd::I(1 << (32 - k)));
                self.op3(Op::Add, d, t, Opnd::S(u));
                if kind == Shift::ShrU {
                    self.op3(Op::DivU, d + 1, ah, Opnd::I(1 << k));
                } else {
                    // hi = (ah >>u k) + (sign ? top k bits : 0)
                    self.op3(Op::LtS, v, ah, Opnd::I(0));
                    self.op3(Op::DivU, w, ah, Opnd::I(1 << k));
                    self.op3(Op::Mul, v, v, Opnd::I(top_bits(k)));
                    self.op3(Op::Add, d + 1, w, Opnd::S(v));
                }
            }
            Shift::ShrU => {
                self.limb(Op::DivU, d, ah, Opnd::I(1 << (k - 32)));
                self.konst(d + 1, 0);
            }
            Shift::ShrS if k == 32 => {
                self.mov(d, ah);
                self.sign_word(d + 1, ah);
            }
            Shift::ShrS => {
                // lo = ah >>s (k - 32), hi = the sign word
                let j = k - 32;
                self.op3(Op::LtS, v, ah, Opnd::I(0));
                self.op3(Op::DivU, w, ah, Opnd::I(1 << j));
                self.op3(Op::Mul, u, v, Opnd::I(top_bits(j)));
                self.op3(Op::Add, d, w, Opnd::S(u));
                self.op3(Op::Mul, d + 1, v, Opnd::I(NEG1));
            }
            Shift::Rotl if k == 32 => {
                // swap the words
                if al == d {
                    self.mov(t, al);
                    self.mov(d, ah);
                    self.mov(d + 1, t);
                } else {
                    self.mov(d, ah);
                    self.mov(d + 1, al);
                }
            }
            Shift::Rotl => {
                // by j = k mod 32 after swapping the words for k > 32:
                // lo = (x << j) | (y >> (32 - j)), hi = (y << j) | (x >> (32 - j))
                let (x, y) = if k < 32 { (al, ah) } else { (ah, al) };
                let p = Opnd::I(1 << (k % 32));
                self.op3(Op::MulHU, t, x, p);
                self.op3(Op::MulHU, u, y, p);
                self.op3(Op::Mul, v, x, p);
                self.op3(Op::Mul, w, y, p);
                self.op3(Op::Add, d, v, Opnd::S(u));
                self.op3(Op::Add, d + 1, w, Opnd::S(t));
            }
            Shift::Rotr => unreachable!("rewritten as rotl"),
        }
        self.stack.push(Val::Slot64(d));
    }

    /// A shift or rotate by the low 6 bits of slot `n` (the amount's low word). Per word the
    /// 32-bit shifts use the amount mod 32; the bits crossing between the words are
    /// `(x >> 1) >> (31 - n)` (`31 - n` is `n ^ 31` mod 32), which is 0 for `n = 0`; bit 5 of
    /// the amount then moves the words.
    fn shift64_var(&mut self, kind: Shift, a: Val, n: u32) {
        let d = self.dest64();
        let al = self.wide_slot(a, d + 4);
        let ah = al + 1;
        let s: Vec<u32> = (6..14).map(|j| d + j).collect();
        self.touch(s[7]);
        let (t, r, big, nb) = (s[0], s[1], s[2], s[3]);
        match kind {
            Shift::Shl => {
                self.op3(Op::DivU, t, al, Opnd::I(2));
                self.op3(Op::Xor, r, n, Opnd::I(31));
                self.op3(Op::ShrU, t, t, Opnd::S(r));
                self.op3(Op::Shl, d, al, Opnd::S(n));
                self.op3(Op::Shl, d + 1, ah, Opnd::S(n));
                self.op3(Op::Or, d + 1, d + 1, Opnd::S(t));
                // n >= 32: hi = al << (n - 32), lo = 0
                self.op3(Op::And, big, n, Opnd::I(32));
                self.op3(Op::CMov, d + 1, d, Opnd::S(big));
                self.op3(Op::Eq, nb, big, Opnd::I(0));
                self.op3(Op::Mul, d, d, Opnd::S(nb));
            }
            Shift::ShrU => {
                self.op3(Op::Mul, t, ah, Opnd::I(2));
                self.op3(Op::Xor, r, n, Opnd::I(31));
                self.op3(Op::Shl, t, t, Opnd::S(r));
                self.op3(Op::ShrU, d, al, Opnd::S(n));
                self.op3(Op::Or, d, d, Opnd::S(t));
                self.op3(Op::ShrU, d + 1, ah, Opnd::S(n));
                // n >= 32: lo = ah >> (n - 32), hi = 0
                self.op3(Op::And, big, n, Opnd::I(32));
                self.op3(Op::CMov, d, d + 1, Opnd::S(big));
                self.op3(Op::Eq, nb, big, Opnd::I(0));
                self.op3(Op::Mul, d + 1, d + 1, Opnd::S(nb));
            }
            Shift::ShrS => {
                let (m, h) = (s[4], s[5]);
                self.sign_word(m, ah);
                self.op3(Op::Mul, t, ah, Opnd::I(2));
                self.op3(Op::Xor, r, n, Opnd::I(31));
                self.op3(Op::Shl, t, t, Opnd::S(r));
                self.op3(Op::ShrU, d, al, Opnd::S(n));
                self.op3(Op::Or, d, d, Opnd::S(t));
                // hi = ah >>s n = ((ah ^ m) >>u n) ^ m
                self.op3(Op::Xor, h, ah, Opnd::S(m));
                self.op3(Op::ShrU, h, h, Opnd::S(n));
                self.op3(Op::Xor, d + 1, h, Opnd::S(m));
                // n >= 32: lo = ah >>s (n - 32), hi = the sign word
                self.op3(Op::And, big, n, Opnd::I(32));
                self.op3(Op::CMov, d, d + 1, Opnd::S(big));
                self.op3(Op::CMov, d + 1, m, Opnd::S(big));
            }
            Shift::Rotl | Shift::Rotr => {
                let (x, y) = (s[4], s[5]);
                let n = if kind == Shift::Rotr {
                    // rotr by n = rotl by -n (mod 64)
                    let nn = s[6];
                    self.op3(Op::Mul, nn, n, Opnd::I(NEG1));
                    nn
                } else {
                    n
                };
                // n >= 32: swap the words (x = new low input, y = new high input)
                self.op3(Op::And, big, n, Opnd::I(32));
                self.mov(x, al);
                self.op3(Op::CMov, x, ah, Opnd::S(big));
                self.mov(y, ah);
                self.op3(Op::CMov, y, al, Opnd::S(big));
                self.op3(Op::Xor, r, n, Opnd::I(31));
                // lo = (x << n) | (y >> (32 - n)), hi = (y << n) | (x >> (32 - n))
                self.op3(Op::DivU, t, y, Opnd::I(2));
                self.op3(Op::ShrU, t, t, Opnd::S(r));
                self.op3(Op::Shl, d, x, Opnd::S(n));
                self.op3(Op::Or, d, d, Opnd::S(t));
                self.op3(Op::DivU, t, x, Opnd::I(2));
                self.op3(Op::ShrU, t, t, Opnd::S(r));
                self.op3(Op::Shl, d + 1, y, Opnd::S(n));
                self.op3(Op::Or, d + 1, d + 1, Opnd::S(t));
            }
        }
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.div_u` etc.: the traps checked inline (division by zero, then for `div_s` the
    /// overflow of `-2^63 / -1`), then a call of the division helper with the operands as its
    /// parameters; the quotient comes back in `d`, `d + 1`, the remainder in `d + 2`, `d + 3`.
    /// An unsigned division by a power of two is a shift, the remainder a mask.
    pub(super) fn divrem64(&mut self, signed: bool, rem: bool) {
        let (a, b) = self.pop2();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            let v = match (signed, rem) {
                _ if y == 0 => None,
                (false, false) => Some(x / y),
                (false, true) => Some(x % y),
                (true, false) => (x as i64).checked_div(y as i64).map(|v| v as u64),
                (true, true) => Some((x as i64).wrapping_rem(y as i64) as u64),
            };
            if let Some(v) = v {
                return self.stack.push(Val::Const64(v));
            }
        }
        if let (false, Val::Const64(k)) = (signed, b) {
            if k.is_power_of_two() {
                self.stack.push(a);
                if rem {
                    self.stack.push(Val::Const64(k - 1));
                    return self.bitwise64(Op::And);
                }
                self.stack.push(Val::Const64(k.trailing_zeros() as u64));
                return self.shift64(Shift::ShrU);
            }
        }
        let d = self.dest64();
        let (t, u) = (d + 4, d + 5);
        self.touch(u);
        self.put(d, a);
        self.put(d + 2, b);
        match b {
            Val::Const64(0) => {
                // Always traps; the call below is never reached.
                self.trap(trap_code::DIVISION_BY_ZERO);
            }
            Val::Const64(_) => {}
            _ => {
                self.op3(Op::Or, t, d + 2, Opnd::S(d + 3));
                let ok = self.jump(Op::Brnz, t, 0);
                self.trap(trap_code::DIVISION_BY_ZERO);
                let here = self.here();
                self.patch(ok, here);
            }
        }
        let a_may_be_min = !matches!(a, Val::Const64(x) if x != 1 << 63);
        let b_may_be_neg1 = !matches!(b, Val::Const64(y) if y != u64::MAX);
        if signed && !rem && a_may_be_min && b_may_be_neg1 {
            self.op3(Op::Eq, t, d, Opnd::I(0));
            self.op3(Op::Eq, u, d + 1, Opnd::I(0x8000_0000));
            self.op3(Op::And, t, t, Opnd::S(u));
            if !matches!(b, Val::Const64(_)) {
                self.op3(Op::And, u, d + 2, Opnd::S(d + 3));
                self.op3(Op::Eq, u, u, Opnd::I(NEG1));
                self.op3(Op::And, t, t, Opnd::S(u));
            }
            let ok = self.jump(Op::Brz, t, 0);
            self.trap(trap_code::INTEGER_OVERFLOW);
            let here = self.here();
            self.patch(ok, here);
        }
        self.call_helper(if signed { Helper::DivS } else { Helper::DivU }, d);
        if rem {
            self.mov_typed(d, d + 2, true);
        }
        self.stack.push(Val::Slot64(d));
    }

    /// `i64.clz`, `i64.ctz`, `i64.popcnt` (`h`): a call of the helper.
    pub(super) fn bitcount64(&mut self, h: Helper) {
        let a = self.pop();
        if let Val::Const64(x) = a {
            let v = match h {
                Helper::Clz => x.leading_zeros(),
                Helper::Ctz => x.trailing_zeros(),
                _ => x.count_ones(),
            };
            return self.stack.push(Val::Const64(v as u64));
        }
        let d = self.dest64();
        self.put(d, a);
        self.call_helper(h, d);
        self.stack.push(Val::Slot64(d));
    }

    /// Calls helper `h` with its frame at slot `k` (its parameters already there).
    fn call_helper(&mut self, h: Helper, k: u32) {
        let helpers = helpers();
        let j = helpers.index(h);
        let ra = helpers.ra_slot(j);
        self.emit_call_to(Target::Helper(j), k, ra);
    }
}
