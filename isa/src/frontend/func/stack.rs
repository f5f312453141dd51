//! The virtual operand stack: each position's value is in its canonical slot(s), in a
//! local's slot(s), or a constant not yet materialised; flushing moves every position to its
//! canonical slots (at control-flow boundaries). Positions are packed: position `i` starts at
//! `t0` plus the widths (1 or 2 slots) of the positions below it, which validation fixes at
//! every point of the code. `local.set` lives here because it must save the stack entries
//! that still read the local, and retargets the last definition when it can.

use super::{FnLowerer, Opnd};
use crate::isa::{Instr, Op};

/// A value on the compile-time operand stack. `Slot`/`Const` are 32-bit values (`i32` and
/// references); `Slot64`/`Const64` are `i64` values in two slots (low word first).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Val {
    /// A 32-bit value in this frame slot (its canonical slot, or a local's).
    Slot(u32),
    /// A 32-bit constant not yet materialised.
    Const(u32),
    /// An `i64` in this frame slot (low word) and the next (high word).
    Slot64(u32),
    /// An `i64` constant not yet materialised.
    Const64(u64),
}

impl Val {
    /// Whether the value is an `i64` (two slots).
    pub(super) fn wide(self) -> bool {
        matches!(self, Val::Slot64(_) | Val::Const64(_))
    }

    /// Slots the value occupies.
    pub(super) fn width(self) -> u32 {
        1 + self.wide() as u32
    }

    /// The (first) slot holding the value, if it is in slots.
    pub(super) fn slot(self) -> Option<u32> {
        match self {
            Val::Slot(s) | Val::Slot64(s) => Some(s),
            _ => None,
        }
    }

    /// A value in slot `s`, an `i64` (slots `s`, `s + 1`) if `wide`.
    pub(super) fn in_slot(s: u32, wide: bool) -> Val {
        if wide {
            Val::Slot64(s)
        } else {
            Val::Slot(s)
        }
    }
}

/// How the code from some point on first touches a slot (scanning forward).
#[derive(Clone, Copy, PartialEq, Eq)]
enum FirstUse {
    /// Not at all.
    None,
    /// By reading its old value.
    Read,
    /// By overwriting it without reading it.
    Write,
}

/// Whether `i` reads slot `s` (a conditional move also "reads" its destination, which it
/// may keep).
fn reads(i: &Instr, s: u32) -> bool {
    let op = i.op;
    (op.reads_a() && i.a == s)
        || (op.has_b() && op.b_is_slot() && !i.b_imm && i.b == s)
        || (op == Op::CMov && i.c == s)
}

/// Whether `i` writes slot `s`.
fn writes(i: &Instr, s: u32) -> bool {
    i.op.writes_c() && i.op.c_is_slot() && i.c == s
}

/// Renames slot `from` to `to` in every slot field of `i`.
fn rename(i: &mut Instr, from: u32, to: u32) {
    let op = i.op;
    if op.reads_a() && i.a == from {
        i.a = to;
    }
    if op.has_b() && op.b_is_slot() && !i.b_imm && i.b == from {
        i.b = to;
    }
    if op.writes_c() && op.c_is_slot() && i.c == from {
        i.c = to;
    }
}

/// How far back the wide `local.set` peephole looks (instructions).
const RENAME_WINDOW: usize = 96;

impl FnLowerer<'_> {
    /// The (first) slot of stack position `pos`: packed above `t0`.
    pub(super) fn slot_at(&self, pos: usize) -> u32 {
        self.t0 + self.stack[..pos].iter().map(|v| v.width()).sum::<u32>()
    }

    /// The slot where the next pushed value goes (counted into the frame size).
    pub(super) fn next_slot(&mut self) -> u32 {
        let s = self.slot_at(self.stack.len());
        self.touch(s);
        s
    }

    /// Pops the top entry.
    pub(super) fn pop(&mut self) -> Val {
        self.stack
            .pop()
            .expect("validated wasm never underflows the operand stack")
    }

    /// Pushes a value that the caller puts in its canonical slot(s); returns the slot.
    pub(super) fn push_canon(&mut self, wide: bool) -> u32 {
        let s = self.next_slot();
        self.touch(s + wide as u32);
        self.stack.push(Val::in_slot(s, wide));
        s
    }

    /// Puts `v` into slots `dst..` (nothing if it is already there).
    pub(super) fn put(&mut self, dst: u32, v: Val) {
        match v {
            Val::Slot(s) => self.mov(dst, s),
            Val::Slot64(s) => self.mov_typed(dst, s, true),
            Val::Const(c) => self.konst(dst, c),
            Val::Const64(c) => self.konst64(dst, c),
        }
    }

    /// Moves stack entry `i` into its canonical slot(s).
    pub(super) fn materialize(&mut self, i: usize) {
        let canon = self.slot_at(i);
        let v = self.stack[i];
        self.touch(canon + v.width() - 1);
        self.put(canon, v);
        self.stack[i] = Val::in_slot(canon, v.wide());
    }

    /// Moves every stack entry into its canonical slot(s).
    pub(super) fn flush(&mut self) {
        for i in 0..self.stack.len() {
            self.materialize(i);
        }
    }

    /// A slot holding the 32-bit value `v`: its own slot, or `scratch` after materialising a
    /// constant.
    pub(super) fn slot_of(&mut self, v: Val, scratch: u32) -> u32 {
        match v {
            Val::Slot(s) | Val::Slot64(s) => s,
            Val::Const(c) => {
                self.konst(scratch, c);
                scratch
            }
            Val::Const64(c) => {
                self.konst64(scratch, c);
                scratch
            }
        }
    }

    /// `B` operand of an `i32` operator: a slot or an immediate.
    pub(super) fn opnd(v: Val) -> Opnd {
        match v {
            Val::Slot(s) | Val::Slot64(s) => Opnd::S(s),
            Val::Const(c) => Opnd::I(c),
            Val::Const64(c) => Opnd::I(c as u32),
        }
    }

    /// `local.set x` (`local.tee x` with `tee`).
    pub(super) fn local_set(&mut self, x: u32, tee: bool) {
        let v = self.pop();
        let xs = self.local_slot[x as usize];
        // Older stack entries that still read local x must be saved first.
        for i in 0..self.stack.len() {
            if self.stack[i].slot() == Some(xs) {
                self.materialize(i);
            }
        }
        match v {
            Val::Slot(s) | Val::Slot64(s) if s == xs => {}
            Val::Slot(s) => match self.last_def {
                Some((pc, slot)) if slot == s && s >= self.t0 && pc + 1 == self.out.len() => {
                    self.out.at(pc).c = xs;
                    self.last_def = Some((pc, xs));
                }
                _ => self.mov(xs, s),
            },
            Val::Slot64(s) => {
                if s < self.t0 || !self.retarget_wide(s, xs) {
                    self.mov_typed(xs, s, true);
                }
            }
            Val::Const(c) => self.konst(xs, c),
            Val::Const64(c) => self.konst64(xs, c),
        }
        if tee {
            self.stack.push(Val::in_slot(xs, v.wide()));
        }
    }

    /// The `local.set` peephole for an `i64` computed into the temporary slots `s`, `s + 1`:
    /// instead of moving it into local slots `x`, `x + 1`, rewrites the code that computed it
    /// to compute it there. Returns whether it did.
    ///
    /// The rewritten code is the longest tail `[p, end)` of straight-line code (no label
    /// inside, only sequential instructions and traps) at whose start both `s` and `s + 1`
    /// are dead (each is first touched by a write that does not read it). Renaming every
    /// access of `s`, `s + 1` in it to `x`, `x + 1` computes the same values into the local
    /// provided the old value of the local is not needed once it is overwritten: no
    /// instruction reads `x` (`x + 1`) after the first write of `s` (`s + 1`), and none
    /// writes the local itself. The temporaries are dead after `local.set` pops them.
    fn retarget_wide(&mut self, s: u32, x: u32) -> bool {
        let code = self.out.code();
        let end = code.len();
        let floor = self.label_floor.max(end.saturating_sub(RENAME_WINDOW));
        // Scan backwards for the latest p where both slots are dead.
        let mut first = [FirstUse::None; 2];
        let mut start = None;
        let mut p = end;
        while p > floor {
            p -= 1;
            let i = &code[p];
            if !(i.op.is_sequential() || i.op == Op::Trap) {
                break;
            }
            for (k, f) in first.iter_mut().enumerate() {
                let slot = s + k as u32;
                if reads(i, slot) {
                    *f = FirstUse::Read;
                } else if writes(i, slot) {
                    *f = FirstUse::Write;
                }
            }
            if first == [FirstUse::Write; 2] {
                start = Some(p);
                break;
            }
        }
        let Some(p) = start else {
            return false;
        };
        // The local's old value must not be needed after its first renamed write.
        for k in 0..2u32 {
            let (from, to) = (s + k, x + k);
            let Some(w) = (p..end).find(|&j| writes(&code[j], from)) else {
                return false;
            };
            let clash = (p..end).any(|j| {
                let i = &code[j];
                writes(i, to) || (j > w && reads(i, to))
            });
            if clash {
                return false;
            }
        }
        for j in p..end {
            let i = self.out.at(j);
            rename(i, s, x);
            rename(i, s + 1, x + 1);
        }
        self.last_def = None;
        true
    }
}
