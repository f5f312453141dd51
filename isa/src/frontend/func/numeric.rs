//! One-instruction numeric lowerings of `i32` operators, with constant folding through the
//! shared reference semantics (`crate::semantics`): binary operators, `gt`/`le` comparisons
//! rewritten to the ISA's `lt`/`ge`, and shifts by a constant.

use super::stack::Val;
use super::FnLowerer;
use crate::isa::Op;
use crate::semantics::eval_binary;

impl FnLowerer<'_> {
    /// An `i32` binary operator; operands are swapped to put a constant in `B` when
    /// `commutative`.
    pub(super) fn binop(&mut self, op: Op, commutative: bool) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            if let Ok(v) = eval_binary(op, x, y) {
                self.stack.push(Val::Const(v));
                return;
            }
        }
        let (a, b) = match (a, b) {
            (Val::Const(_), Val::Slot(_)) if commutative => (b, a),
            _ => (a, b),
        };
        self.emit_binop(op, a, b);
    }

    /// Emits `op dest, a, b` with dest the canonical slot of the next stack position.
    pub(super) fn emit_binop(&mut self, op: Op, a: Val, b: Val) {
        let dest = self.next_slot();
        let a = self.slot_of(a, dest);
        self.op3(op, dest, a, Self::opnd(b));
        self.stack.push(Val::Slot(dest));
    }

    /// `a > b`-style comparisons, rewritten to the `lt`/`ge` forms the ISA has.
    /// `strict`: `a > b` (else `a <= b`); `max`: largest value of the ordering.
    pub(super) fn swapped_cmp(&mut self, strict: bool, signed: bool) {
        let (lt, ge, max) = if signed {
            (Op::LtS, Op::GeS, i32::MAX as u32)
        } else {
            (Op::LtU, Op::GeU, u32::MAX)
        };
        let b = self.pop();
        let a = self.pop();
        match (a, b) {
            (Val::Const(x), Val::Const(y)) => {
                let gt = if signed {
                    (x as i32) > (y as i32)
                } else {
                    x > y
                };
                self.stack.push(Val::Const((gt == strict) as u32));
            }
            (_, Val::Const(k)) if k == max => self.stack.push(Val::Const(!strict as u32)),
            // a > k  <=>  a >= k+1 ;  a <= k  <=>  a < k+1
            (_, Val::Const(k)) => self.emit_binop(
                if strict { ge } else { lt },
                a,
                Val::Const(k.wrapping_add(1)),
            ),
            // a > b  <=>  b < a ;  a <= b  <=>  b >= a
            (_, _) => self.emit_binop(if strict { lt } else { ge }, b, a),
        }
    }

    /// `i32.shl` (`shl`) or `i32.shr_u`: a constant shift of a non-constant value becomes a
    /// multiplication or unsigned division by the power of two.
    pub(super) fn shift_u(&mut self, shl: bool) {
        match *self.stack.last().expect("validated") {
            Val::Const(k)
                if self.stack.len() >= 2
                    && !matches!(self.stack[self.stack.len() - 2], Val::Const(_)) =>
            {
                self.pop();
                let k = k & 31;
                if k == 0 {
                    // identity
                } else {
                    self.stack.push(Val::Const(1u32 << k));
                    self.binop(if shl { Op::Mul } else { Op::DivU }, false);
                }
            }
            _ => self.binop(if shl { Op::Shl } else { Op::ShrU }, false),
        }
    }
}
