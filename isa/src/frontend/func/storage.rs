//! Memory, globals, tables and `ref.func`: loads and stores (an `i64` as two 32-bit words),
//! the bulk instructions (which take their operands from consecutive canonical slots),
//! sizes, growth and segment drops.

use wasmparser::MemArg;

use super::super::emit::{TableOp, Target};
use super::stack::Val;
use super::{FnLowerer, Opnd};
use crate::image::TableWords;
use crate::isa::{trap_code, Instr, Op};
use crate::module::{ConstExpr, SegmentMode};

/// `-1` as an immediate.
const NEG1: u32 = u32::MAX;

/// An `i64` load: the `i32` load of the low word and how the high word follows.
#[derive(Clone, Copy)]
pub(super) enum Load64 {
    /// `i64.load`: both words from memory.
    Full,
    /// `i64.load8_s` etc.: the low word from this `i32` load, the high word its sign.
    Signed(Op),
    /// `i64.load8_u` etc.: the low word from this `i32` load, the high word zero.
    Unsigned(Op),
}

impl FnLowerer<'_> {
    /// `C = load(A + offset)` of an `i32`.
    pub(super) fn load(&mut self, op: Op, memarg: MemArg) {
        let addr = self.pop();
        let dest = self.next_slot();
        let a = self.slot_of(addr, dest);
        self.check_bounds(a, memarg.offset as u32, op.mem_width(), dest + 1);
        let pc = self.raw(op, a, 0, dest, memarg.offset as u32);
        self.last_def = Some((pc, dest));
        self.stack.push(Val::Slot(dest));
    }

    /// An `i64` load into the two slots of the next stack position: `i64.load` loads the
    /// high word (at `offset + 4`) first, the narrower loads the low word and then extend it.
    pub(super) fn load64(&mut self, kind: Load64, memarg: MemArg) {
        let addr = self.pop();
        let dest = self.next_slot();
        self.touch(dest + 1);
        let a = self.slot_of(addr, dest);
        let off = memarg.offset as u32;
        let width = match kind {
            Load64::Full => 8,
            Load64::Signed(op) | Load64::Unsigned(op) => op.mem_width(),
        };
        self.check_bounds(a, off, width, dest + 2);
        match kind {
            Load64::Full => match off.checked_add(4) {
                // Loading the high word first: if it is in bounds, so is the low word.
                Some(off_hi) => {
                    self.raw(Op::I32Load, a, 0, dest + 1, off_hi);
                    self.raw(Op::I32Load, a, 0, dest, off);
                }
                None => self.trap(trap_code::MEMORY_OUT_OF_BOUNDS),
            },
            Load64::Signed(op) => {
                self.raw(op, a, 0, dest, off);
                self.sign_word(dest + 1, dest);
            }
            Load64::Unsigned(op) => {
                self.raw(op, a, 0, dest, off);
                self.konst(dest + 1, 0);
            }
        }
        self.stack.push(Val::Slot64(dest));
    }

    /// `dst = x <s 0 ? 0xFFFF_FFFF : 0`: the high word of the sign extension of slot `x`.
    pub(super) fn sign_word(&mut self, dst: u32, x: u32) {
        self.op3(Op::LtS, dst, x, Opnd::I(0));
        self.op3(Op::Mul, dst, dst, Opnd::I(NEG1));
    }

    /// An unconditional trap with `code`.
    pub(super) fn trap(&mut self, code: u32) {
        self.emit(Instr {
            op: Op::Trap,
            imm: code,
            ..Instr::new(Op::Trap)
        });
    }

    /// `store(A + offset, B)`; `width64` is `Some` for `i64` stores: 8 for `i64.store` (the
    /// high word at `offset + 4` first, then the low word: a store that traps writes nothing),
    /// else the width of the `i32` store of the low word.
    pub(super) fn store(&mut self, op: Op, memarg: MemArg, width64: Option<u32>) {
        let v = self.pop();
        let addr = self.pop();
        let base = self.next_slot();
        let (sa, sv) = (base, base + 1);
        self.touch(sv + v.width() - 1);
        let a = self.slot_of(addr, sa);
        let off = memarg.offset as u32;
        self.check_bounds(
            a,
            off,
            width64.unwrap_or_else(|| op.mem_width()),
            sv + v.width(),
        );
        match (v, width64) {
            (Val::Slot(_) | Val::Const(_), _) => {
                let v = self.slot_of(v, sv);
                self.raw(op, a, v, 0, off);
            }
            (Val::Const64(c), Some(w)) if w < 8 => {
                // Only the low word is stored.
                self.konst(sv, c as u32);
                self.raw(op, a, sv, 0, off);
            }
            (v, Some(w)) => {
                let v = self.slot_of(v, sv);
                if w == 8 {
                    match off.checked_add(4) {
                        Some(off_hi) => {
                            self.raw(Op::I32Store, a, v + 1, 0, off_hi);
                            self.raw(Op::I32Store, a, v, 0, off);
                        }
                        None => self.trap(trap_code::MEMORY_OUT_OF_BOUNDS),
                    }
                } else {
                    self.raw(op, a, v, 0, off);
                }
            }
            (_, None) => unreachable!("validated: an i32 store takes an i32 value"),
        }
    }

    /// An instruction taking its `n` operands from consecutive canonical slots starting at
    /// `a`; `table.grow` leaves its `i32` result in the first of them. (Every bulk operand is
    /// an `i32` or a reference: one slot each.)
    pub(super) fn bulk(&mut self, op: Op, n: usize, b: u32, c: u32, imm: u32) {
        self.flush();
        let base = self.stack.len() - n;
        let a = self.slot_at(base);
        self.touch(a + n as u32 - 1);
        self.stack.truncate(base);
        if op == Op::TableGrow {
            self.raw(op, a, b, a, imm);
            self.stack.push(Val::Slot(a));
        } else {
            self.raw(op, a, b, c, imm);
        }
    }

    /// `memory.size`: the memory-size global word (`crate::image::memory_size_word`).
    /// An imported memory keeps `Op::MemorySize`.
    pub(super) fn memory_size(&mut self) {
        let dest = self.next_slot();
        if !self.own_memory {
            self.raw(Op::MemorySize, 0, 0, dest, 0);
            self.stack.push(Val::Slot(dest));
            return;
        }
        let pc = self.raw(Op::GlobalGet, 0, 0, dest, self.size_word);
        self.last_def = Some((pc, dest));
        self.stack.push(Val::Slot(dest));
    }

    /// `memory.grow(n)`, against the memory-size word `S` and the module's maximum `M`
    /// (`crate::image::max_memory_pages`, at most 65536 pages):
    ///
    /// ```text
    ///       old = S ; t = M - old ; t = t <u n ; brnz t, fail     (old + n > M: fail)
    ///       S = old + n ; result = old ; jmp end
    /// fail: result = -1
    /// end:
    /// ```
    ///
    /// `M - old` cannot wrap (`old <= M` always: it starts at the initial size and only this
    /// sequence changes it in a proven run; in the executor another instance may also grow
    /// an exported memory, against the same maximum), and `old + n <= M <= 2^16` then fits. The executor grows its
    /// memory when the word is set (`Frame::set_global_word`). WebAssembly lets `memory.grow`
    /// fail for any reason; here it fails exactly beyond the module's maximum (an executor
    /// below its page limit refuses the run with "memory limit exceeded" instead).
    ///
    /// An imported memory's maximum is its exporter's: such a module keeps `Op::MemoryGrow`.
    pub(super) fn memory_grow(&mut self) {
        let n = self.pop();
        let dest = self.next_slot();
        if !self.own_memory {
            let n = self.slot_of(n, dest);
            self.raw(Op::MemoryGrow, n, 0, dest, 0);
            self.stack.push(Val::Slot(dest));
            return;
        }
        let (old, t, konst_n) = (dest + 1, dest + 2, dest + 3);
        self.touch(konst_n);
        // `n` may sit in `dest` (its canonical slot): it is read before `dest` is written.
        let n = self.slot_of(n, konst_n);
        self.raw(Op::GlobalGet, 0, 0, old, self.size_word);
        let max = self.max_pages;
        self.konst(t, max);
        self.op3(Op::Sub, t, t, Opnd::S(old));
        self.op3(Op::LtU, t, t, Opnd::S(n));
        let to_fail = self.jump(Op::Brnz, t, 0);
        self.op3(Op::Add, t, old, Opnd::S(n));
        self.raw(Op::GlobalSet, t, 0, 0, self.size_word);
        self.mov(dest, old);
        let to_end = self.jump(Op::Jmp, 0, 0);
        let fail = self.here();
        self.patch(to_fail, fail);
        self.konst(dest, NEG1);
        let end = self.here();
        self.patch(to_end, end);
        self.stack.push(Val::Slot(dest));
    }

    /// When the module's memory can grow: `trap` unless the `width` bytes at `A + offset` lie
    /// below the memory-size word's pages, using `scratch` and `scratch + 1`:
    ///
    /// ```text
    ///       s = S ; l = A + (offset + width - 1) ; l = l >> 16 ; s = l <u s
    ///       brnz s, ok ; trap out of bounds
    /// ok:
    /// ```
    ///
    /// The last byte's page must be below the size. If `A + offset + width - 1` is 2^32 or
    /// more, `l` wraps and the check may pass, but such an access ends at or above 2^32 bytes,
    /// beyond every memory word the AIR's table holds (the table ends at the maximum size,
    /// at most 2^30 words), so it has no proof either; the executor traps on it. An offset
    /// with `offset + width - 1 >= 2^32` needs no check for the same reason.
    fn check_bounds(&mut self, a: u32, offset: u32, width: u32, scratch: u32) {
        if !self.memory_grows {
            return;
        }
        let Some(last) = offset.checked_add(width - 1) else {
            return;
        };
        let (s, l) = (scratch, scratch + 1);
        self.touch(l);
        self.raw(Op::GlobalGet, 0, 0, s, self.size_word);
        self.op3(Op::Add, l, a, Opnd::I(last));
        self.op3(Op::ShrU, l, l, Opnd::I(16));
        self.op3(Op::LtU, s, l, Opnd::S(s));
        let to_ok = self.jump(Op::Brnz, s, 0);
        self.trap(trap_code::MEMORY_OUT_OF_BOUNDS);
        let ok = self.here();
        self.patch(to_ok, ok);
    }

    /// The three operands of a bulk memory instruction in consecutive canonical slots (they
    /// are consumed, so the lowering may change them), with three scratch slots above them.
    fn bulk_operands(&mut self) -> u32 {
        self.flush();
        let base = self.stack.len() - 3;
        let a = self.slot_at(base);
        self.touch(a + 5);
        self.stack.truncate(base);
        a
    }

    /// Traps (out of bounds) unless the bytes `[start, start + n)` lie within the memory, as
    /// integers: WebAssembly's check of a bulk memory instruction, made before it writes
    /// anything. The pages the range needs, `ceil((start + n) / 65536)`, must not exceed the
    /// memory-size word `S`:
    ///
    /// ```text
    ///         e = start + n ; u = e <u start ; brz u, nowrap
    ///         brnz e, trap                  (start + n > 2^32)
    ///         e = 65536 ; jmp cmp           (start + n = 2^32: every page)
    /// nowrap: u = e & 0xffff ; u = u != 0 ; e = e >> 16 ; e = e + u
    /// cmp:    u = S ; e = u <u e ; brz e, ok
    /// trap:   trap out of bounds
    /// ok:
    /// ```
    ///
    /// Uses `t`, `t + 1`. The loop's own loads and stores are then within the size (which the
    /// loop does not change) and bounded by the AIR's memory table like any access.
    fn check_range(&mut self, start: u32, n: u32, t: u32) {
        let (e, u) = (t, t + 1);
        self.op3(Op::Add, e, start, Opnd::S(n));
        self.op3(Op::LtU, u, e, Opnd::S(start));
        let to_nowrap = self.jump(Op::Brz, u, 0);
        let to_trap = self.jump(Op::Brnz, e, 0);
        self.konst(e, 65536);
        let to_cmp = self.jump(Op::Jmp, 0, 0);
        let nowrap = self.here();
        self.patch(to_nowrap, nowrap);
        self.op3(Op::And, u, e, Opnd::I(0xffff));
        self.op3(Op::Ne, u, u, Opnd::I(0));
        self.op3(Op::ShrU, e, e, Opnd::I(16));
        self.op3(Op::Add, e, e, Opnd::S(u));
        let cmp = self.here();
        self.patch(to_cmp, cmp);
        self.raw(Op::GlobalGet, 0, 0, u, self.size_word);
        self.op3(Op::LtU, e, u, Opnd::S(e));
        let to_ok = self.jump(Op::Brz, e, 0);
        let trap = self.here();
        self.patch(to_trap, trap);
        self.trap(trap_code::MEMORY_OUT_OF_BOUNDS);
        let ok = self.here();
        self.patch(to_ok, ok);
    }

    /// `memory.fill(d, v, n)` of the module's own memory: the range check, then a byte loop
    /// (five cycles a byte):
    ///
    /// ```text
    /// loop: brz n, end ; store8 [d] = v ; d = d + 1 ; n = n - 1 ; jmp loop
    /// end:
    /// ```
    pub(super) fn memory_fill(&mut self) {
        let a = self.bulk_operands();
        let (d, v, n) = (a, a + 1, a + 2);
        self.check_range(d, n, a + 3);
        let top = self.here();
        self.label(top);
        let to_end = self.jump(Op::Brz, n, 0);
        self.raw(Op::I32Store8, d, v, 0, 0);
        self.op3(Op::Add, d, d, Opnd::I(1));
        self.op3(Op::Sub, n, n, Opnd::I(1));
        self.jump(Op::Jmp, 0, top);
        let end = self.here();
        self.patch(to_end, end);
    }

    /// `memory.copy(d, s, n)` within the module's own memory: both range checks, then a byte
    /// loop forward when `d <= s` and backward otherwise, so overlapping ranges copy as
    /// `memmove` does (WebAssembly 2.0 §4.4.7); seven cycles a byte.
    pub(super) fn memory_copy(&mut self) {
        let a = self.bulk_operands();
        let (d, s, n, t) = (a, a + 1, a + 2, a + 3);
        self.check_range(d, n, t);
        self.check_range(s, n, t);
        self.move_loop(d, s, n, t, |lw| {
            lw.raw(Op::I32Load8U, s, 0, t, 0);
            lw.raw(Op::I32Store8, d, t, 0, 0);
        });
    }

    /// The loop of a `memmove` of `n` elements from index `s` to index `d` (WebAssembly 2.0
    /// §4.4.6-7, `table.copy` and `memory.copy`): forward when `d <= s`, else backward from
    /// the end, so overlapping ranges copy correctly; `step` moves element `s` to `d`. Uses
    /// `t` as scratch before either loop (`step` may use it too).
    ///
    /// ```text
    ///       t = s <u d ; brnz t, back
    /// fwd:  brz n, end ; step ; d = d + 1 ; s = s + 1 ; n = n - 1 ; jmp fwd
    /// back: d = d + n ; s = s + n
    /// bwd:  brz n, end ; d = d - 1 ; s = s - 1 ; step ; n = n - 1 ; jmp bwd
    /// end:
    /// ```
    fn move_loop(&mut self, d: u32, s: u32, n: u32, t: u32, mut step: impl FnMut(&mut Self)) {
        self.op3(Op::LtU, t, s, Opnd::S(d));
        let to_back = self.jump(Op::Brnz, t, 0);
        let fwd = self.here();
        self.label(fwd);
        let fwd_end = self.jump(Op::Brz, n, 0);
        step(self);
        self.op3(Op::Add, d, d, Opnd::I(1));
        self.op3(Op::Add, s, s, Opnd::I(1));
        self.op3(Op::Sub, n, n, Opnd::I(1));
        self.jump(Op::Jmp, 0, fwd);
        let back = self.here();
        self.patch(to_back, back);
        self.op3(Op::Add, d, d, Opnd::S(n));
        self.op3(Op::Add, s, s, Opnd::S(n));
        let bwd = self.here();
        self.label(bwd);
        let bwd_end = self.jump(Op::Brz, n, 0);
        self.op3(Op::Sub, d, d, Opnd::I(1));
        self.op3(Op::Sub, s, s, Opnd::I(1));
        step(self);
        self.op3(Op::Sub, n, n, Opnd::I(1));
        self.jump(Op::Jmp, 0, bwd);
        let end = self.here();
        self.patch(fwd_end, end);
        self.patch(bwd_end, end);
    }

    /// `memory.init(d, s, n)` of data segment `seg` into the module's own memory: the memory
    /// range check ([`Self::check_range`]), the segment range check against the segment's
    /// length word `L` (`crate::image::data_length_word`; 0 once dropped), then a byte loop
    /// that reads each byte from a jump table holding the segment's bytes as constants (the
    /// program hash binds them), ten cycles a byte:
    ///
    /// ```text
    ///       e = s + n ; u = e <u s ; brnz u, trap ; u = L ; u = u <u e ; brz u, loop
    /// trap: trap out of bounds
    /// loop: brz n, end ; x = s + s ; jtab x, T
    /// T:    v = byte 0 ; jmp store ; v = byte 1 ; jmp store ; ...   two per segment byte
    /// store: store8 [d] = v ; d = d + 1 ; s = s + 1 ; n = n - 1 ; jmp loop
    /// end:
    /// ```
    ///
    /// Both checks come before any write, as WebAssembly 2.0 §4.4.7 requires. Inside the loop
    /// `s < s + n <= L <= len`, so the jump stays in the table. A segment longer than
    /// `crate::image::MAX_JUMP_TABLE_SEGMENT` bytes is held in global words instead
    /// (`Program::data_words`), four bytes to a word, and the loop reads byte `s` as
    /// `(global.get_at W + (s >> 2)) >> 8 (s & 3) & 255`, twelve cycles a byte; `s < L <=
    /// len` keeps the word one of the segment's. A jump table too large for the program's
    /// instruction budget (or an imported memory) keeps the executor-only `Op::MemoryInit`.
    /// An active segment (dropped at instantiation) gets the checks only.
    /// A passive segment's sequence is emitted once, in its `memory.init` function
    /// (`func::lower_data_init`), which every `memory.init` of the segment calls.
    pub(super) fn memory_init(&mut self, seg: u32) {
        let passive = matches!(self.datas[seg as usize].mode, SegmentMode::Passive);
        let len = if passive {
            self.datas[seg as usize].bytes.len()
        } else {
            0
        };
        let words = self.segment_words.get(seg as usize).copied().flatten();
        let fits = words.is_some()
            || self.here() as usize + 2 * len + 64 <= crate::Program::MAX_INSTRS / 2;
        if !self.own_memory || !fits {
            self.bulk(Op::MemoryInit, 3, 0, 0, seg);
            return;
        }
        let a = self.bulk_operands();
        if passive && !self.in_place {
            // The segment's `memory.init` function does it (`func::lower_data_init`): its
            // parameters are the three operands' slots.
            self.emit_call_to(Target::DataInit(seg), a, super::ra_slot(3, 0, 0));
            return;
        }
        let (d, s, n, t, v) = (a, a + 1, a + 2, a + 3, a + 4);
        self.check_range(d, n, t);
        let (e, u) = (t, v);
        self.op3(Op::Add, e, s, Opnd::S(n));
        self.op3(Op::LtU, u, e, Opnd::S(s));
        let to_trap = self.jump(Op::Brnz, u, 0);
        self.raw(Op::GlobalGet, 0, 0, u, self.data_word0 + seg);
        self.op3(Op::LtU, u, u, Opnd::S(e));
        let to_loop = self.jump(Op::Brz, u, 0);
        let trap = self.here();
        self.patch(to_trap, trap);
        self.trap(trap_code::MEMORY_OUT_OF_BOUNDS);
        let top = self.here();
        self.patch(to_loop, top);
        if !passive {
            // An active segment's length word is 0 from instantiation on: only `s = n = 0`
            // passes the checks, and there is nothing to copy.
            return;
        }
        let to_end = self.jump(Op::Brz, n, 0);
        if let Some(w) = words {
            // Byte `s` is byte `s mod 4` of word `s / 4`; `s < L <= len`, so the word is one
            // of the segment's.
            let x = a + 5;
            self.touch(x);
            self.op3(Op::ShrU, x, s, Opnd::I(2));
            self.raw(Op::GlobalGetAt, x, 0, v, w.first_word);
            self.op3(Op::And, t, s, Opnd::I(3));
            self.op3(Op::Shl, t, t, Opnd::I(3));
            self.op3(Op::ShrU, v, v, Opnd::S(t));
            self.op3(Op::And, v, v, Opnd::I(255));
        } else {
            let x = t;
            self.op3(Op::Add, x, s, Opnd::S(s));
            let bytes = &self.datas[seg as usize].bytes;
            self.jump_table(x, len as u32, |lw, k| lw.konst(v, bytes[k as usize] as u32));
        }
        self.raw(Op::I32Store8, d, v, 0, 0);
        self.op3(Op::Add, d, d, Opnd::I(1));
        self.op3(Op::Add, s, s, Opnd::I(1));
        self.op3(Op::Sub, n, n, Opnd::I(1));
        self.jump(Op::Jmp, 0, top);
        let end = self.here();
        self.patch(to_end, end);
    }

    /// `data.drop`: the segment's length word (`crate::image::data_length_word`) becomes 0.
    pub(super) fn data_drop(&mut self, data_index: u32) {
        let t = self.next_slot();
        self.konst(t, 0);
        self.raw(Op::GlobalSet, t, 0, 0, self.data_word0 + data_index);
    }

    /// `global.get`: global `i` is the 32-bit global words `2i` (low) and `2i + 1` (high,
    /// read for an `i64` only).
    pub(super) fn global_get(&mut self, global_index: u32) {
        let wide = self.globals[global_index as usize].ty.is_wide();
        let dest = self.next_slot();
        self.raw(Op::GlobalGet, 0, 0, dest, 2 * global_index);
        if wide {
            self.raw(Op::GlobalGet, 0, 0, dest + 1, 2 * global_index + 1);
        }
        self.stack.push(Val::in_slot(dest, wide));
    }

    /// `global.set`: one global word per 32-bit word of the value.
    pub(super) fn global_set(&mut self, global_index: u32) {
        let v = self.pop();
        let scratch = self.next_slot();
        self.touch(scratch + v.width() - 1);
        let s = self.slot_of(v, scratch);
        for k in 0..v.width() {
            self.raw(Op::GlobalSet, s + k, 0, 0, 2 * global_index + k);
        }
    }

    /// The global words of table `t`, if it is held in them (`crate::image::table_words`).
    pub(super) fn words_of(&self, t: u32) -> Option<TableWords> {
        self.table_words.get(t as usize).copied().flatten()
    }

    /// Calls the function of table operation `op` (`func::lower_table_op`) with the top
    /// stack values as its parameters (moved to consecutive canonical slots, which become
    /// its frame) and pushes its results.
    fn call_table_op(&mut self, op: TableOp) {
        let (n, r) = op.shape();
        let params = vec![false; n as usize];
        self.call_appended(Target::Table(op), &params, vec![false; r as usize]);
    }

    /// Calls appended function `target` of parameters `params` and results `results` (wide
    /// or not): its parameters are the top stack values (moved to consecutive canonical
    /// slots, which become its frame); pushes its results.
    pub(super) fn call_appended(&mut self, target: Target, params: &[bool], results: Vec<bool>) {
        self.flush();
        let base = self.stack.len() - params.len();
        let k = self.slot_at(base);
        self.stack.truncate(base);
        let slots = crate::frontend::module::slots;
        let ra = super::ra_slot(slots(params), 0, slots(&results));
        self.emit_call_to(target, k, ra);
        for w in results {
            self.push_canon(w);
        }
    }

    /// `call` of the function of table operation `op` with its frame at slot `k` (its
    /// parameters there).
    pub(super) fn call_table_fn(&mut self, op: TableOp, k: u32) {
        let (n, r) = op.shape();
        self.emit_call_to(Target::Table(op), k, super::ra_slot(n, 0, r));
    }

    /// Traps (out of bounds table access) unless `start + n <= W` as integers, `W` the global
    /// word `bound` (a table's size word or an element segment's length word); uses `e` and
    /// `u`:
    ///
    /// ```text
    ///       e = start + n ; u = e <u start ; brnz u, trap ; u = W ; u = u <u e ; brz u, ok
    /// trap: trap out of bounds table access
    /// ok:
    /// ```
    fn check_table_range(&mut self, start: u32, n: u32, bound: u32, e: u32, u: u32) {
        self.op3(Op::Add, e, start, Opnd::S(n));
        self.op3(Op::LtU, u, e, Opnd::S(start));
        let to_trap = self.jump(Op::Brnz, u, 0);
        self.raw(Op::GlobalGet, 0, 0, u, bound);
        self.op3(Op::LtU, u, u, Opnd::S(e));
        let to_ok = self.jump(Op::Brz, u, 0);
        let trap = self.here();
        self.patch(to_trap, trap);
        self.trap(trap_code::TABLE_OUT_OF_BOUNDS);
        let ok = self.here();
        self.patch(to_ok, ok);
    }

    /// `i <u S` for table words `w`, else trap with `code`; `s` is scratch.
    pub(super) fn check_table_index(&mut self, i: u32, w: TableWords, s: u32, code: u32) {
        self.raw(Op::GlobalGet, 0, 0, s, w.size_word);
        self.op3(Op::LtU, s, i, Opnd::S(s));
        let to_ok = self.jump(Op::Brnz, s, 0);
        self.trap(code);
        let ok = self.here();
        self.patch(to_ok, ok);
    }

    /// A jump table on `2 * i` (slot `x` holds `i + i`) with one pair per entry `k` of
    /// `entries`: `entry(k)` (one instruction), then a jump to the end. `i < entries` is the
    /// caller's to check first.
    fn jump_table(&mut self, x: u32, entries: u32, mut entry: impl FnMut(&mut Self, u32)) {
        let table = self.here() + 1;
        self.raw(Op::JTab, x, 0, 0, table);
        let mut to_end = Vec::with_capacity(entries as usize);
        for k in 0..entries {
            self.label(self.here());
            entry(self, k);
            to_end.push(self.jump(Op::Jmp, 0, 0));
        }
        let end = self.here();
        self.label(end);
        for pc in to_end {
            self.patch(pc, end);
        }
    }

    /// `table.get`. Of a table held in global words: in its `table.get` function, a bounds
    /// check against the size word `S`, then the indexed read of entry word `E_0 + i`:
    ///
    /// ```text
    ///       s = S ; s = i <u s ; brnz s, ok ; trap out of bounds table access
    /// ok:   r = global.get_at E_0 + i
    /// ```
    ///
    /// `i < S <= capacity`, so the word is an entry of this table. The code does not grow
    /// with the capacity.
    pub(super) fn table_get(&mut self, table: u32) {
        let Some(w) = self.words_of(table) else {
            let i = self.pop();
            let dest = self.next_slot();
            let i = self.slot_of(i, dest);
            self.raw(Op::TableGet, i, 0, dest, table);
            self.stack.push(Val::Slot(dest));
            return;
        };
        if !self.in_place {
            self.call_table_op(TableOp::Get(table));
            return;
        }
        let i = self.pop();
        let dest = self.next_slot();
        let s = dest + 1;
        self.touch(s);
        let i = self.slot_of(i, dest);
        self.check_table_index(i, w, s, trap_code::TABLE_OUT_OF_BOUNDS);
        self.raw(Op::GlobalGetAt, i, 0, dest, w.entry(0));
        self.stack.push(Val::Slot(dest));
    }

    /// `table.set`. Of a table held in global words: in its `table.set` function, the bounds
    /// check of [`Self::table_get`], then the indexed write `global.set_at E_0 + i, r`.
    pub(super) fn table_set(&mut self, table: u32) {
        let words = self.words_of(table);
        if words.is_some() && !self.in_place {
            self.call_table_op(TableOp::Set(table));
            return;
        }
        let v = self.pop();
        let i = self.pop();
        let base = self.next_slot();
        let (si, sv, s) = (base, base + 1, base + 2);
        self.touch(s);
        let i = self.slot_of(i, si);
        let v = self.slot_of(v, sv);
        let Some(w) = words else {
            self.raw(Op::TableSet, i, v, 0, table);
            return;
        };
        self.check_table_index(i, w, s, trap_code::TABLE_OUT_OF_BOUNDS);
        self.raw(Op::GlobalSetAt, v, i, 0, w.entry(0));
    }

    /// `table.size`: the table's size word, if it is held in global words.
    pub(super) fn table_size(&mut self, table: u32) {
        let dest = self.next_slot();
        match self.words_of(table) {
            Some(w) => self.raw(Op::GlobalGet, 0, 0, dest, w.size_word),
            None => self.raw(Op::TableSize, 0, 0, dest, table),
        };
        self.stack.push(Val::Slot(dest));
    }

    /// `table.grow(r, n)`. Of a table held in global words, against its capacity `C`, in its
    /// `table.grow` function:
    ///
    /// ```text
    ///       old = S ; t = C - old ; t = t <u n ; brnz t, fail       (old + n > C: fail)
    ///       S = old + n ; table.fill(old, r, n) ; result = old ; jmp end
    /// fail: result = -1
    /// end:
    /// ```
    ///
    /// `old <= C` always (the size starts at the initial size, at most `C`, and only this
    /// sequence changes it), so `C - old` does not wrap and `old + n <= C` fits. The size is
    /// written before the new entries (the executor's table grows with its size word).
    pub(super) fn table_grow(&mut self, table: u32) {
        let Some(w) = self.words_of(table) else {
            self.bulk(Op::TableGrow, 2, 0, 0, table);
            return;
        };
        if !self.in_place {
            self.call_table_op(TableOp::Grow(table));
            return;
        }
        self.flush();
        let base = self.stack.len() - 2;
        let a = self.slot_at(base);
        self.stack.truncate(base);
        let (v, n, old, t, p) = (a, a + 1, a + 2, a + 3, a + 4);
        self.touch(p + 2);
        self.raw(Op::GlobalGet, 0, 0, old, w.size_word);
        self.konst(t, w.capacity);
        self.op3(Op::Sub, t, t, Opnd::S(old));
        self.op3(Op::LtU, t, t, Opnd::S(n));
        let to_fail = self.jump(Op::Brnz, t, 0);
        self.op3(Op::Add, t, old, Opnd::S(n));
        self.raw(Op::GlobalSet, t, 0, 0, w.size_word);
        self.mov(p, old);
        self.mov(p + 1, v);
        self.mov(p + 2, n);
        self.call_table_fn(TableOp::Fill(table), p);
        self.mov(a, old);
        let to_end = self.jump(Op::Jmp, 0, 0);
        let fail = self.here();
        self.patch(to_fail, fail);
        self.konst(a, NEG1);
        let end = self.here();
        self.patch(to_end, end);
        self.stack.push(Val::Slot(a));
    }

    /// `table.fill(i, r, n)`. Of a table held in global words, in its `table.fill` function:
    /// the range check `i + n <= S` (before any write), then a loop calling `table.set`.
    pub(super) fn table_fill(&mut self, table: u32) {
        let Some(w) = self.words_of(table) else {
            self.bulk(Op::TableFill, 3, 0, 0, table);
            return;
        };
        if !self.in_place {
            self.call_table_op(TableOp::Fill(table));
            return;
        }
        let a = self.bulk_operands();
        let (i, v, n, e, u, p) = (a, a + 1, a + 2, a + 3, a + 4, a + 5);
        self.touch(p + 2);
        self.check_table_range(i, n, w.size_word, e, u);
        let top = self.here();
        self.label(top);
        let to_end = self.jump(Op::Brz, n, 0);
        self.mov(p, i);
        self.mov(p + 1, v);
        self.call_table_fn(TableOp::Set(table), p);
        self.op3(Op::Add, i, i, Opnd::I(1));
        self.op3(Op::Sub, n, n, Opnd::I(1));
        self.jump(Op::Jmp, 0, top);
        let end = self.here();
        self.patch(to_end, end);
    }

    /// `table.copy(d, s, n)` between tables held in global words, in its function: both
    /// range checks, then a loop of `table.get` and `table.set` calls, forward when `d <= s`
    /// and backward otherwise (overlapping ranges of one table copy as `memmove` does,
    /// WebAssembly 2.0 §4.4.6).
    pub(super) fn table_copy(&mut self, dst: u32, src: u32) {
        let (Some(wd), Some(ws)) = (self.words_of(dst), self.words_of(src)) else {
            self.bulk(Op::TableCopy, 3, dst, src, 0);
            return;
        };
        if !self.in_place {
            self.call_table_op(TableOp::Copy(dst, src));
            return;
        }
        let a = self.bulk_operands();
        let (d, s, n, e, u, p) = (a, a + 1, a + 2, a + 3, a + 4, a + 5);
        self.touch(p + 2);
        self.check_table_range(d, n, wd.size_word, e, u);
        self.check_table_range(s, n, ws.size_word, e, u);
        self.move_loop(d, s, n, e, |lw| lw.transfer(dst, src, d, s, p));
    }

    /// `dst[d] = src[s]` through the tables' `table.get` and `table.set` functions, with
    /// their frames at slot `p` (`p`, `p + 1` scratch).
    fn transfer(&mut self, dst: u32, src: u32, d: u32, s: u32, p: u32) {
        self.mov(p, s);
        self.call_table_fn(TableOp::Get(src), p);
        self.mov(p + 1, p);
        self.mov(p, d);
        self.call_table_fn(TableOp::Set(dst), p);
    }

    /// `table.init(d, s, n)` of element segment `seg` into table `table` held in global
    /// words, in its function: the table range check, the segment range check against the
    /// segment's length word `L` (`crate::image::elem_length_word`; 0 once dropped), then a
    /// loop reading each item from a jump table of the segment's items as constants (the
    /// program hash binds them; `ref.func f` is the relocated `f + 1`) and calling
    /// `table.set`:
    ///
    /// ```text
    /// loop:  brz n, end ; x = s + s ; jtab x, T
    /// T:     v = item 0 ; jmp store ; v = item 1 ; jmp store ; ...
    /// store: table.set(d, v) ; d = d + 1 ; s = s + 1 ; n = n - 1 ; jmp loop
    /// end:
    /// ```
    ///
    /// Both checks come before any write (WebAssembly 2.0 §4.4.6). An active or declarative
    /// segment (dropped at instantiation, `L = 0`) gets the checks only.
    pub(super) fn table_init(&mut self, table: u32, seg: u32) {
        let (Some(w), Some(l0)) = (self.words_of(table), self.elem_word0) else {
            self.bulk(Op::TableInit, 3, table, seg, 0);
            return;
        };
        if !self.in_place {
            self.call_table_op(TableOp::Init(table, seg));
            return;
        }
        let a = self.bulk_operands();
        let (d, s, n, x, u, v, p) = (a, a + 1, a + 2, a + 3, a + 4, a + 5, a + 6);
        self.touch(p + 2);
        self.check_table_range(d, n, w.size_word, x, u);
        self.check_table_range(s, n, l0 + seg, x, u);
        let segment = &self.elems[seg as usize];
        if !matches!(segment.mode, SegmentMode::Passive) {
            return;
        }
        let items = &segment.items;
        let top = self.here();
        self.label(top);
        let to_end = self.jump(Op::Brz, n, 0);
        self.op3(Op::Add, x, s, Opnd::S(s));
        self.jump_table(x, items.len() as u32, |lw, k| match items[k as usize] {
            ConstExpr::RefFunc(f) => lw.func_ref(v, f),
            ConstExpr::GlobalGet(g) => {
                lw.raw(Op::GlobalGet, 0, 0, v, 2 * g);
            }
            _ => lw.konst(v, 0),
        });
        self.mov(p, d);
        self.mov(p + 1, v);
        self.call_table_fn(TableOp::Set(table), p);
        self.op3(Op::Add, d, d, Opnd::I(1));
        self.op3(Op::Add, s, s, Opnd::I(1));
        self.op3(Op::Sub, n, n, Opnd::I(1));
        self.jump(Op::Jmp, 0, top);
        let end = self.here();
        self.patch(to_end, end);
    }

    /// `elem.drop`: the segment's length word (`crate::image::elem_length_word`) becomes 0
    /// when the module's tables are held in global words.
    pub(super) fn elem_drop(&mut self, elem_index: u32) {
        let Some(l0) = self.elem_word0 else {
            self.raw(Op::ElemDrop, 0, 0, 0, elem_index);
            return;
        };
        let t = self.next_slot();
        self.konst(t, 0);
        self.raw(Op::GlobalSet, t, 0, 0, l0 + elem_index);
    }

    /// `dst = ref.func f`: in a module without imports but the contract interface's, the
    /// constant `f + 1`, relocated by the executor to the function's store address plus one
    /// (`Program::func_relocs`).
    pub(super) fn func_ref(&mut self, dst: u32, f: u32) {
        let pc = self.here();
        self.konst(dst, f + 1);
        self.out.reloc(pc as usize);
    }

    /// `ref.func`: [`Self::func_ref`] in a module without imports but the contract
    /// interface's, else `Op::RefFunc`.
    pub(super) fn ref_func(&mut self, function_index: u32) {
        let dest = self.next_slot();
        if self.func_relocs {
            self.func_ref(dest, function_index);
        } else {
            self.raw(Op::RefFunc, 0, 0, dest, function_index);
        }
        self.stack.push(Val::Slot(dest));
    }
}
