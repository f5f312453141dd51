//! The virtual operand stack: each position's value is in its canonical slot `t0 + i`, in a
//! local's slot, or a constant not yet materialised; flushing moves every position to its
//! canonical slot (at control-flow boundaries). `local.set` lives here because it must save
//! the stack entries that still read the local, and retargets the last definition when it can.

use super::{FnLowerer, Opnd};

/// A value on the compile-time operand stack. `Slot`/`Const` are `i32` values; `Slot64`/
/// `Const64` are 64-bit values (`i64` and references), moved with the 64-bit opcodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Val {
    /// An `i32` in this frame slot (its canonical slot, or a local's).
    Slot(u32),
    /// An `i32` constant not yet materialised.
    Const(u32),
    /// A 64-bit value in this frame slot.
    Slot64(u32),
    /// A 64-bit constant not yet materialised.
    Const64(u64),
}

impl Val {
    /// Whether the value is 64-bit.
    pub(super) fn wide(self) -> bool {
        matches!(self, Val::Slot64(_) | Val::Const64(_))
    }

    /// The slot holding the value, if it is in one.
    pub(super) fn slot(self) -> Option<u32> {
        match self {
            Val::Slot(s) | Val::Slot64(s) => Some(s),
            _ => None,
        }
    }

    /// A value in slot `s`, 64-bit if `wide`.
    pub(super) fn in_slot(s: u32, wide: bool) -> Val {
        if wide {
            Val::Slot64(s)
        } else {
            Val::Slot(s)
        }
    }
}

impl FnLowerer<'_> {
    /// The canonical slot of stack position `pos` (counted into the frame size).
    pub(super) fn canon(&mut self, pos: usize) -> u32 {
        let s = self.t0 + pos as u32;
        self.touch(s);
        s
    }

    /// Pops the top entry.
    pub(super) fn pop(&mut self) -> Val {
        self.stack
            .pop()
            .expect("validated wasm never underflows the operand stack")
    }

    /// Pushes a value that the caller puts in its canonical slot; returns the slot.
    pub(super) fn push_canon(&mut self, wide: bool) -> u32 {
        let s = self.canon(self.stack.len());
        self.stack.push(Val::in_slot(s, wide));
        s
    }

    /// Moves stack entry `i` into its canonical slot.
    pub(super) fn materialize(&mut self, i: usize) {
        let canon = self.canon(i);
        let v = self.stack[i];
        match v {
            Val::Slot(s) => self.mov(canon, s),
            Val::Slot64(s) => self.mov64(canon, s),
            Val::Const(c) => self.konst(canon, c),
            Val::Const64(c) => self.konst64(canon, c),
        }
        self.stack[i] = Val::in_slot(canon, v.wide());
    }

    /// Moves every stack entry into its canonical slot.
    pub(super) fn flush(&mut self) {
        for i in 0..self.stack.len() {
            self.materialize(i);
        }
    }

    /// A slot holding `v`: its own slot, or `scratch` after materialising a constant.
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

    /// `B` operand of a 64-bit operator: a slot, or an immediate that sign-extends to `v`.
    pub(super) fn opnd64(&mut self, v: Val, scratch: u32) -> Opnd {
        match v {
            Val::Const64(c) if c as i64 == c as u32 as i32 as i64 => Opnd::I(c as u32),
            v => Opnd::S(self.slot_of(v, scratch)),
        }
    }

    /// `local.set x` (`local.tee x` with `tee`).
    pub(super) fn local_set(&mut self, x: u32, tee: bool) {
        let v = self.pop();
        // Older stack entries that still read local x must be saved first.
        for i in 0..self.stack.len() {
            if self.stack[i].slot() == Some(x) {
                self.materialize(i);
            }
        }
        match v {
            Val::Slot(s) | Val::Slot64(s) if s == x => {}
            Val::Slot(s) | Val::Slot64(s) => match self.last_def {
                Some((pc, slot)) if slot == s && s >= self.t0 && pc + 1 == self.out.len() => {
                    self.out.at(pc).c = x;
                    self.last_def = Some((pc, x));
                }
                _ => self.mov_typed(x, s, v.wide()),
            },
            Val::Const(c) => self.konst(x, c),
            Val::Const64(c) => self.konst64(x, c),
        }
        if tee {
            self.stack.push(Val::in_slot(x, v.wide()));
        }
    }
}
