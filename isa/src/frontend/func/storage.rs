//! Memory, globals, tables and `ref.func`: loads and stores, the bulk instructions (which take
//! their operands from consecutive canonical slots), sizes, growth and segment drops.

use wasmparser::MemArg;

use super::stack::Val;
use super::FnLowerer;
use crate::isa::Op;

impl FnLowerer<'_> {
    /// `C = load(A + offset)`.
    pub(super) fn load(&mut self, op: Op, memarg: MemArg, wide: bool) {
        let addr = self.pop();
        let dest = self.canon(self.stack.len());
        let a = self.slot_of(addr, dest);
        let pc = self.raw(op, a, 0, dest, memarg.offset as u32);
        self.last_def = Some((pc, dest));
        self.stack.push(Val::in_slot(dest, wide));
    }

    /// `store(A + offset, B)`.
    pub(super) fn store(&mut self, op: Op, memarg: MemArg) {
        let v = self.pop();
        let addr = self.pop();
        let h = self.stack.len();
        let (sa, sv) = (self.canon(h), self.canon(h + 1));
        let a = self.slot_of(addr, sa);
        let v = self.slot_of(v, sv);
        self.raw(op, a, v, 0, memarg.offset as u32);
    }

    /// An instruction taking its `n` operands from consecutive canonical slots starting at
    /// `a`; `table.grow` leaves its `i32` result in the first of them.
    pub(super) fn bulk(&mut self, op: Op, n: usize, b: u32, c: u32, imm: u32) {
        self.flush();
        let base = self.stack.len() - n;
        let a = self.canon(base);
        self.canon(base + n - 1);
        self.stack.truncate(base);
        if op == Op::TableGrow {
            self.raw(op, a, b, a, imm);
            self.stack.push(Val::Slot(a));
        } else {
            self.raw(op, a, b, c, imm);
        }
    }

    /// `memory.size`.
    pub(super) fn memory_size(&mut self) {
        let dest = self.canon(self.stack.len());
        self.raw(Op::MemorySize, 0, 0, dest, 0);
        self.stack.push(Val::Slot(dest));
    }

    /// `memory.grow`.
    pub(super) fn memory_grow(&mut self) {
        let n = self.pop();
        let dest = self.canon(self.stack.len());
        let n = self.slot_of(n, dest);
        self.raw(Op::MemoryGrow, n, 0, dest, 0);
        self.stack.push(Val::Slot(dest));
    }

    /// `data.drop`.
    pub(super) fn data_drop(&mut self, data_index: u32) {
        self.raw(Op::DataDrop, 0, 0, 0, data_index);
    }

    /// `global.get`.
    pub(super) fn global_get(&mut self, global_index: u32) {
        let wide = self.globals[global_index as usize].ty.is_wide();
        let dest = self.canon(self.stack.len());
        // Global `i` is the words `2i`, `2i + 1` (`Op::GlobalGet`).
        self.raw(Op::GlobalGet, 0, 0, dest, 2 * global_index);
        self.stack.push(Val::in_slot(dest, wide));
    }

    /// `global.set`.
    pub(super) fn global_set(&mut self, global_index: u32) {
        let v = self.pop();
        let scratch = self.canon(self.stack.len());
        let s = self.slot_of(v, scratch);
        self.raw(Op::GlobalSet, s, 0, 0, 2 * global_index);
    }

    /// `table.get`.
    pub(super) fn table_get(&mut self, table: u32) {
        let i = self.pop();
        let dest = self.canon(self.stack.len());
        let i = self.slot_of(i, dest);
        self.raw(Op::TableGet, i, 0, dest, table);
        self.stack.push(Val::Slot64(dest));
    }

    /// `table.set`.
    pub(super) fn table_set(&mut self, table: u32) {
        let v = self.pop();
        let i = self.pop();
        let h = self.stack.len();
        let (si, sv) = (self.canon(h), self.canon(h + 1));
        let i = self.slot_of(i, si);
        let v = self.slot_of(v, sv);
        self.raw(Op::TableSet, i, v, 0, table);
    }

    /// `table.size`.
    pub(super) fn table_size(&mut self, table: u32) {
        let dest = self.canon(self.stack.len());
        self.raw(Op::TableSize, 0, 0, dest, table);
        self.stack.push(Val::Slot(dest));
    }

    /// `elem.drop`.
    pub(super) fn elem_drop(&mut self, elem_index: u32) {
        self.raw(Op::ElemDrop, 0, 0, 0, elem_index);
    }

    /// `ref.func`.
    pub(super) fn ref_func(&mut self, function_index: u32) {
        let dest = self.canon(self.stack.len());
        self.raw(Op::RefFunc, 0, 0, dest, function_index);
        self.stack.push(Val::Slot64(dest));
    }
}
