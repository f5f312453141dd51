//! Control flow: block frames, branches (with the moves that deliver a label's values),
//! `else`/`end`, returns, unreachable code, and direct and indirect calls.

use wasmparser::{BlockType, BrTable, Operator};

use super::{ra_slot, FnLowerer, Opnd, Val};
use crate::frontend::emit::{TableOp, Target};
use crate::frontend::module::{slots, val_type};
use crate::frontend::{invalid, FrontendError};
use crate::isa::{trap_code, Instr, Op};
use crate::module::FuncSig;
use crate::program::Program;

/// What opened a control frame.
#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    /// A loop starting at this pc (its label).
    Loop(u32),
    If,
    /// A block inside unreachable code: only its nesting is tracked.
    Dead,
}

/// An open block, loop or `if`.
pub(super) struct Ctrl {
    kind: Kind,
    /// Stack height below the block's parameters.
    height: u32,
    /// Parameter types (wide or not).
    params: Vec<bool>,
    /// Result types (wide or not).
    results: Vec<bool>,
    /// The `brz` of an `if` that jumps to its `else` (or `end`).
    else_fixup: Option<usize>,
    /// Jumps to the label at the end.
    end_fixups: Vec<usize>,
}

impl Ctrl {
    /// The frame of the function body itself, whose label is the return.
    pub(super) fn function(results: Vec<bool>) -> Ctrl {
        Ctrl {
            kind: Kind::Block,
            height: 0,
            params: vec![],
            results,
            else_fixup: None,
            end_fixups: Vec::new(),
        }
    }

    /// Types of the values a branch to this label carries.
    pub(super) fn label_types(&self) -> &[bool] {
        match self.kind {
            Kind::Loop(_) => &self.params,
            _ => &self.results,
        }
    }
}

impl FnLowerer<'_> {
    /// Parameter and result types (wide or not) of type `type_index`.
    pub(super) fn sig_of(&self, type_index: u32) -> Result<(Vec<bool>, Vec<bool>), FrontendError> {
        match self.types.get(type_index as usize) {
            Some(Ok(sig)) => Ok((
                sig.params.iter().map(|t| t.is_wide()).collect(),
                sig.results.iter().map(|t| t.is_wide()).collect(),
            )),
            Some(Err(t)) => Err(self.unsupported_type(t.clone())),
            None => Err(FrontendError::InvalidWasm(format!(
                "bad type index {type_index}"
            ))),
        }
    }

    /// Parameter and result types (wide or not) of a block type.
    pub(super) fn block_sig(&self, bt: BlockType) -> Result<(Vec<bool>, Vec<bool>), FrontendError> {
        match bt {
            BlockType::Empty => Ok((vec![], vec![])),
            BlockType::Type(t) => match val_type(t) {
                Some(t) => Ok((vec![], vec![t.is_wide()])),
                None => Err(self.unsupported_type(t.to_string())),
            },
            BlockType::FuncType(i) => self.sig_of(i),
        }
    }

    /// `block`.
    pub(super) fn block(&mut self, blockty: BlockType) -> Result<(), FrontendError> {
        self.flush();
        let (params, results) = self.block_sig(blockty)?;
        self.ctrl.push(Ctrl {
            kind: Kind::Block,
            height: (self.stack.len() - params.len()) as u32,
            params,
            results,
            else_fixup: None,
            end_fixups: Vec::new(),
        });
        Ok(())
    }

    /// `loop`: its label is its start.
    pub(super) fn loop_(&mut self, blockty: BlockType) -> Result<(), FrontendError> {
        self.flush();
        let (params, results) = self.block_sig(blockty)?;
        // The `loop` marker executes once; charge it to the previous instruction.
        self.out
            .add_weight_to_last(std::mem::take(&mut self.pending_weight));
        let start = self.here();
        self.label(start);
        self.ctrl.push(Ctrl {
            kind: Kind::Loop(start),
            height: (self.stack.len() - params.len()) as u32,
            params,
            results,
            else_fixup: None,
            end_fixups: Vec::new(),
        });
        Ok(())
    }

    /// `if`: a `brz` to the `else` (or the `end`), patched when that is reached.
    pub(super) fn if_(&mut self, blockty: BlockType) -> Result<(), FrontendError> {
        let cond = self.pop();
        self.flush();
        let scratch = self.slot_at(self.stack.len());
        let cond = self.slot_of(cond, scratch);
        self.touch(cond);
        let (params, results) = self.block_sig(blockty)?;
        let fix = self.jump(Op::Brz, cond, 0);
        self.ctrl.push(Ctrl {
            kind: Kind::If,
            height: (self.stack.len() - params.len()) as u32,
            params,
            results,
            else_fixup: Some(fix),
            end_fixups: Vec::new(),
        });
        Ok(())
    }

    /// `br`.
    pub(super) fn br(&mut self, relative_depth: u32) {
        self.flush();
        self.branch_to(relative_depth as usize);
        self.dead = true;
    }

    /// `br_if`: a single `brnz` when the branch needs no moves, else a `brz` around them.
    pub(super) fn br_if(&mut self, relative_depth: u32) {
        let cond = self.pop();
        self.flush();
        let scratch = self.slot_at(self.stack.len());
        let cond = self.slot_of(cond, scratch);
        self.touch(cond);
        let depth = relative_depth as usize;
        if self.branch_moves(depth).is_empty() && depth != self.ctrl.len() - 1 {
            let pc = self.jump(Op::Brnz, cond, 0);
            self.bind_branch(depth, pc);
        } else {
            let skip = self.jump(Op::Brz, cond, 0);
            self.branch_to(depth);
            let here = self.here();
            self.patch(skip, here);
        }
    }

    /// `br_table`: a bounds check to the default, then a `jtab` into a table of jumps (with
    /// stubs for targets that need moves).
    pub(super) fn br_table(&mut self, targets: BrTable) -> Result<(), FrontendError> {
        let idx = self.pop();
        self.flush();
        let scratch = self.slot_at(self.stack.len());
        let idx = self.slot_of(idx, scratch);
        let scratch = scratch + 1;
        self.touch(scratch);
        let default = targets.default() as usize;
        let list: Vec<usize> = targets
            .targets()
            .map(|t| t.map(|t| t as usize))
            .collect::<Result<_, _>>()
            .map_err(invalid)?;
        let n = list.len() as u32;
        if n > 0 {
            self.op3(Op::LtU, scratch, idx, Opnd::I(n));
            let to_default = self.jump(Op::Brz, scratch, 0);
            let jtab = self.jump(Op::JTab, idx, 0);
            let base = self.here();
            self.patch(jtab, base);
            let mut stubs = Vec::new();
            for &t in &list {
                let pc = self.jump(Op::Jmp, 0, 0);
                if self.branch_moves(t).is_empty() && t != self.ctrl.len() - 1 {
                    self.bind_branch(t, pc);
                } else {
                    stubs.push((pc, t));
                }
            }
            for (pc, t) in stubs {
                let here = self.here();
                self.patch(pc, here);
                self.branch_to(t);
            }
            let here = self.here();
            self.patch(to_default, here);
        }
        self.branch_to(default);
        self.dead = true;
        Ok(())
    }

    /// `return`.
    pub(super) fn return_(&mut self) {
        self.emit_return();
        self.dead = true;
    }

    /// Tracks nesting while skipping unreachable code.
    pub(super) fn dead_operator(&mut self, op: Operator) -> Result<(), FrontendError> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.ctrl.push(Ctrl {
                    kind: Kind::Dead,
                    height: 0,
                    params: vec![],
                    results: vec![],
                    else_fixup: None,
                    end_fixups: Vec::new(),
                });
            }
            Operator::Else if self.ctrl.last().map(|c| c.kind) != Some(Kind::Dead) => {
                self.else_(true);
            }
            Operator::End => {
                if self.ctrl.last().map(|c| c.kind) == Some(Kind::Dead) {
                    self.ctrl.pop();
                } else {
                    self.end(true);
                }
            }
            _ => {}
        }
        Ok(())
    }

    /// Moves needed to deliver a branch's values to the target label: (dest, src, wide), in
    /// increasing slot order (the destination is never above the source, so moving in this
    /// order never overwrites a value still to be moved).
    pub(super) fn branch_moves(&self, depth: usize) -> Vec<(u32, u32, bool)> {
        let target = &self.ctrl[self.ctrl.len() - 1 - depth];
        let tys = target.label_types();
        let arity = tys.len();
        let len = self.stack.len();
        let (mut d, mut s) = (
            self.slot_at(target.height as usize),
            self.slot_at(len - arity),
        );
        let mut moves = Vec::with_capacity(arity);
        for &wide in tys {
            if d != s {
                moves.push((d, s, wide));
            }
            d += 1 + wide as u32;
            s += 1 + wide as u32;
        }
        moves
    }

    /// Records that jump instruction `pc` targets label `depth`.
    pub(super) fn bind_branch(&mut self, depth: usize, pc: usize) {
        let idx = self.ctrl.len() - 1 - depth;
        match self.ctrl[idx].kind {
            Kind::Loop(start) => self.patch(pc, start),
            _ => self.ctrl[idx].end_fixups.push(pc),
        }
    }

    /// Emits the moves and the jump of an unconditional branch (stack already flushed).
    pub(super) fn branch_to(&mut self, depth: usize) {
        if depth == self.ctrl.len() - 1 {
            self.emit_return();
            return;
        }
        for (d, s, wide) in self.branch_moves(depth) {
            self.mov_typed(d, s, wide);
        }
        let pc = self.jump(Op::Jmp, 0, 0);
        self.bind_branch(depth, pc);
    }

    /// Moves the results to slots `0..result_slots` (packed) and returns.
    pub(super) fn emit_return(&mut self) {
        self.flush();
        let r = self.result_wide.len();
        let len = self.stack.len();
        let mut src = self.slot_at(len - r);
        let mut dst = 0;
        for i in 0..r {
            let wide = self.result_wide[i];
            self.mov_typed(dst, src, wide);
            dst += 1 + wide as u32;
            src += 1 + wide as u32;
        }
        let ra = self.ra();
        self.emit(Instr {
            op: Op::Ret,
            a: ra,
            b: ra + 1,
            ..Instr::new(Op::Ret)
        });
    }

    /// `else`; `was_dead` when the `then` branch ended in unreachable code.
    pub(super) fn else_(&mut self, was_dead: bool) {
        if !was_dead {
            self.flush();
            let pc = self.jump(Op::Jmp, 0, 0);
            self.ctrl.last_mut().expect("validated").end_fixups.push(pc);
        }
        let here = self.here();
        self.label(here);
        let frame = self.ctrl.last_mut().expect("validated");
        if let Some(fix) = frame.else_fixup.take() {
            self.out.at(fix).imm = here;
        }
        let height = frame.height;
        let params = frame.params.clone();
        self.stack.truncate(height as usize);
        for w in params {
            self.push_canon(w);
        }
        self.dead = false;
    }

    /// `end` of a block, or of the function body; `was_dead` when the block ended in unreachable code.
    pub(super) fn end(&mut self, was_dead: bool) {
        if self.ctrl.len() == 1 {
            // End of the function body.
            let frame = self.ctrl.pop().expect("function frame");
            if !was_dead {
                self.emit_return();
            }
            debug_assert!(
                frame.end_fixups.is_empty(),
                "branches to the function label are lowered as returns"
            );
            // Leftover weight (the final `end`) belongs to the return.
            self.out
                .add_weight_to_last(std::mem::take(&mut self.pending_weight));
            self.dead = false;
            return;
        }
        if !was_dead {
            self.flush();
        }
        let frame = self.ctrl.pop().expect("validated");
        let here = self.here();
        self.label(here);
        if let Some(fix) = frame.else_fixup {
            // `if` without `else`: the false path carries the parameters through unchanged.
            self.out.at(fix).imm = here;
        }
        for pc in frame.end_fixups {
            self.out.at(pc).imm = here;
        }
        self.stack.truncate(frame.height as usize);
        for w in frame.results {
            self.push_canon(w);
        }
        self.dead = false;
    }

    /// `call f`: arguments and results packed in consecutive slots from the first argument's
    /// canonical slot, which becomes the callee's frame pointer.
    pub(super) fn call(&mut self, f: u32) {
        if f == super::JOURNAL_END_CALL {
            self.flush();
            let k = self.slot_at(self.stack.len());
            self.emit_io_call(crate::io::IoFn::JournalEnd, k);
            return;
        }
        if self.intrinsics && f < self.n_imp {
            self.intrinsic(super::super::io::Intrinsic::of(f));
            return;
        }
        let info = self.infos[f as usize].clone();
        self.flush();
        let base = self.stack.len() - info.params.len();
        let k = self.slot_at(base);
        self.emit_call(f, k);
        self.stack.truncate(base);
        for w in info.results {
            self.push_canon(w);
        }
    }

    /// Emits the call of function `f` whose frame starts at slot `k` (its arguments in
    /// `k..`, its results landing there).
    fn emit_call(&mut self, f: u32, k: u32) {
        let info = &self.infos[f as usize];
        let (params, results) = (info.param_slots(), info.result_slots());
        if let Some(io) = self.io_imports.get(f as usize).copied().flatten() {
            self.emit_io_call(io, k);
        } else if f < self.n_imp {
            self.touch(k + params.max(results));
            self.raw(Op::CallImport, k, 0, 0, f);
        } else {
            let callee_ra = ra_slot(params, info.local_slots, results);
            let target = self.target(f);
            self.emit_call_to(target, k, callee_ra);
        }
    }

    /// Emits the call of contract-interface function `f`'s lowered function (`crate::io`)
    /// with its frame at slot `k`.
    fn emit_io_call(&mut self, f: crate::io::IoFn, k: u32) {
        let ra = super::super::io::io_module().ra_slot(f);
        self.emit_call_to(Target::Io(f), k, ra);
    }

    /// An intrinsic of `io.wat` (`super::super::io`), its operands on the stack (`word`,
    /// `set_word`'s first, `advice` and `trap` take constants).
    fn intrinsic(&mut self, which: super::super::io::Intrinsic) {
        use super::super::io::Intrinsic as I;
        use crate::io;
        let konst = |v: Val| match v {
            Val::Const(k) => k,
            other => panic!("io.wat passes a constant to an intrinsic, not {other:?}"),
        };
        match which {
            I::Word => {
                let k = konst(self.pop());
                let dest = self.next_slot();
                self.raw(Op::GlobalGet, 0, 0, dest, io::IO_WORD + k);
                self.stack.push(Val::Slot(dest));
            }
            I::SetWord => {
                let v = self.pop();
                let k = konst(self.pop());
                let scratch = self.next_slot();
                let v = self.slot_of(v, scratch);
                self.raw(Op::GlobalSet, v, 0, 0, io::IO_WORD + k);
            }
            I::PublicByte | I::JournalByte => {
                let base = if which == I::PublicByte {
                    io::PUBLIC_WORDS
                } else {
                    io::JOURNAL_WORDS
                };
                let i = self.pop();
                let dest = self.next_slot();
                let i = self.slot_of(i, dest);
                self.raw(Op::GlobalGetAt, i, 0, dest, base);
                self.stack.push(Val::Slot(dest));
            }
            I::Advice => {
                let k = konst(self.pop());
                let dest = self.next_slot();
                self.raw(Op::Advice, 0, 0, dest, k);
                self.stack.push(Val::Slot(dest));
            }
            I::Trap => {
                let code = konst(self.pop());
                self.trap(code);
            }
        }
    }

    /// Emits `call target` with the callee's frame at slot `k` and its saved return pc at
    /// frame slot `ra` (its saved `fp` at `ra + 1`), counting the frame into this one's size.
    pub(super) fn emit_call_to(&mut self, target: Target, k: u32, ra: u32) {
        self.touch(k + ra + 2);
        let pc = self.emit(Instr {
            op: Op::Call,
            a: k,
            b: k + ra + 1,
            c: k + ra,
            imm: 0,
            b_imm: false,
        });
        self.out.call_fixup(pc, target);
    }

    /// `call_indirect`: through a static table (`super::super::tables`), a bounds check, a
    /// jump table and direct calls, while the program stays below half its instruction limit
    /// (each site emits about one to three instructions per entry); otherwise
    /// `Op::CallIndirect`, whose callee's frame is checked at run time.
    pub(super) fn call_indirect(
        &mut self,
        type_index: u32,
        table: u32,
    ) -> Result<(), FrontendError> {
        let (params, results) = self.sig_of(type_index)?;
        // A jump table per site while the program stays well within its size limit, or in
        // a dispatch function (`in_place`), which exists only once its cost was reserved.
        let (in_place, here) = (self.in_place, self.here() as usize);
        let fits = |n: usize| in_place || here + 3 * n + 16 <= Program::MAX_INSTRS / 2;
        let statics = self.static_tables.get(table as usize).cloned().flatten();
        let n_funcs = self.func_types.len();
        let words = self.words_of(table);
        if let Some(entries) = statics.as_ref().filter(|e| fits(e.len())) {
            self.call_static(type_index, entries, params, results);
            return Ok(());
        }
        // Too large for the site: the jump table in the table and type's dispatch function,
        // shared by every such site, while the dispatch functions fit their budget.
        let dispatch_cost = match (&statics, words) {
            (Some(entries), _) => Some(3 * entries.len() + 64),
            (None, Some(_)) => Some(3 * n_funcs + 64),
            (None, None) => None,
        };
        let target = Target::Dispatch { table, type_index };
        if !in_place && dispatch_cost.is_some_and(|c| self.out.reserve_dispatch(target, c)) {
            // The dispatch function's parameters: the type's, then the index.
            let mut with_index = params;
            with_index.push(false);
            self.call_appended(target, &with_index, results);
            return Ok(());
        }
        // One jump per function of the module and at most two instructions per stub.
        if let Some(w) = words.filter(|_| fits(n_funcs)) {
            let expected = self.types[type_index as usize].as_ref().ok().cloned();
            let stubs: Vec<bool> = (0..n_funcs as u32)
                .map(|f| expected.is_some() && self.sig_of_func(f) == expected.as_ref())
                .collect();
            self.call_through_words(table, w, type_index, &stubs, params, results);
            return Ok(());
        }
        let idx = self.pop();
        self.flush();
        let h = self.stack.len();
        let scratch = self.next_slot();
        let idx = self.slot_of(idx, scratch);
        let base = h - params.len();
        let k = self.slot_at(base);
        // The callee's frame (size known only at run time) is checked by the executor.
        self.touch(k + slots(&params).max(slots(&results)));
        self.raw(Op::CallIndirect, k, idx, table, type_index);
        self.stack.truncate(base);
        for w in results {
            self.push_canon(w);
        }
        Ok(())
    }

    /// The type of WebAssembly function `f`, if it has one Gloam supports.
    fn sig_of_func(&self, f: u32) -> Option<&FuncSig> {
        self.func_types
            .get(f as usize)
            .and_then(|t| self.types.get(*t as usize))
            .and_then(|s| s.as_ref().ok())
    }

    /// `call_indirect` through table `table` held in global words `w`, of a module without
    /// imports but the contract interface's (their functions come first); `stubs[f]` says
    /// whether function `f` has the expected type:
    ///
    /// ```text
    ///       c = S ; c = idx <u c ; brz c, undefined
    ///       r = table.get(idx) ; brz r, null            (its function, frame above the args)
    ///       x = r - 1 ; c = x <u F ; brz c, foreign      (x = f; the 1 is relocated)
    ///       jtab x, D
    ///   D:  jmp E0 ; jmp E1 ; ...                        one per function of the module
    ///   Ef: call f ; jmp end                             one per function of the type
    ///   foreign:   call_indirect (executor only)         (a reference from outside)
    ///   undefined: trap undefined element
    ///   null:      trap uninitialized element
    ///   mismatch:  trap indirect call type mismatch      (the other functions' entries)
    ///   end:
    /// ```
    ///
    /// The type check is decided here, as through a static table. A reference in a word is
    /// `f + 1` plus the module's first store address `B` (0 in a proof; the `sub` is
    /// relocated by `B`). Only the host can hand the module a reference to another
    /// instance's function (an argument); such a call goes through the executor's
    /// `Op::CallIndirect` on the same table, which no valid trace can execute.
    fn call_through_words(
        &mut self,
        table: u32,
        w: crate::image::TableWords,
        type_index: u32,
        stubs: &[bool],
        params: Vec<bool>,
        results: Vec<bool>,
    ) {
        let idx = self.pop();
        self.flush();
        let h = self.stack.len();
        let scratch = self.next_slot();
        let idx = self.slot_of(idx, scratch);
        let (c, p) = (scratch + 1, scratch + 2);
        self.touch(p + 1);
        let base = h - params.len();
        let k = self.slot_at(base);
        self.check_table_index(idx, w, c, trap_code::UNDEFINED_ELEMENT);
        self.mov(p, idx);
        self.call_table_fn(TableOp::Get(table), p);
        let to_null = self.jump(Op::Brz, p, 0);
        let pc = self.op3(Op::Sub, c, p, Opnd::I(1));
        self.out.reloc(pc);
        let n_funcs = self.func_types.len() as u32;
        self.op3(Op::LtU, p, c, Opnd::I(n_funcs));
        let to_foreign = self.jump(Op::Brz, p, 0);
        let jtab = self.jump(Op::JTab, c, 0);
        let table_pc = self.here();
        self.patch(jtab, table_pc);
        let jumps: Vec<usize> = (0..n_funcs).map(|_| self.jump(Op::Jmp, 0, 0)).collect();
        let mut ends = Vec::new();
        let mut mismatches = Vec::new();
        for (f, &jump) in jumps.iter().enumerate() {
            if !stubs[f] {
                mismatches.push(jump);
                continue;
            }
            let pc = self.here();
            self.patch(jump, pc);
            self.emit_call(f as u32, k);
            ends.push(self.jump(Op::Jmp, 0, 0));
        }
        let foreign = self.here();
        self.patch(to_foreign, foreign);
        self.touch(k + slots(&params).max(slots(&results)));
        self.raw(Op::CallIndirect, k, idx, table, type_index);
        ends.push(self.jump(Op::Jmp, 0, 0));
        let traps = [
            (vec![to_null], trap_code::UNINITIALIZED_ELEMENT),
            (mismatches, trap_code::INDIRECT_CALL_TYPE_MISMATCH),
        ];
        self.end_indirect(traps, ends, base, results);
    }

    /// The end of a lowered `call_indirect`: one trap per non-empty list of jumps to it,
    /// then the end every call's `jmp` in `ends` reaches, where the callee's results are the
    /// stack's from position `base` on.
    fn end_indirect<const N: usize>(
        &mut self,
        traps: [(Vec<usize>, u32); N],
        ends: Vec<usize>,
        base: usize,
        results: Vec<bool>,
    ) {
        for (jumps, code) in traps {
            if jumps.is_empty() {
                continue;
            }
            let here = self.here();
            for j in jumps {
                self.patch(j, here);
            }
            self.trap(code);
        }
        let end = self.here();
        for j in ends {
            self.patch(j, end);
        }
        self.stack.truncate(base);
        for w in results {
            self.push_canon(w);
        }
    }

    /// `call_indirect` through a static table of `entries`:
    ///
    /// ```text
    ///       ltu  t, idx, n ; brz t, undefined ; jtab idx, T
    ///   T:  jmp E0 ; jmp E1 ; ...          one per entry
    ///   Ef: call f ; jmp end               one per distinct callable function
    ///   undefined: trap undefined element
    ///   null:      trap uninitialized element      (if an entry is null)
    ///   mismatch:  trap indirect call type mismatch (if an entry has another type)
    ///   end:
    /// ```
    ///
    /// The type check is decided here: function types are compared structurally, as the
    /// executor's interned type ids are (WebAssembly 2.0 §4.4.8, `call_indirect`). A run
    /// reaches the same trap, with the same kind, as through `Op::CallIndirect`.
    fn call_static(
        &mut self,
        type_index: u32,
        entries: &[Option<u32>],
        params: Vec<bool>,
        results: Vec<bool>,
    ) {
        let expected = self.types[type_index as usize].as_ref().ok().cloned();
        let idx = self.pop();
        self.flush();
        let h = self.stack.len();
        let scratch = self.next_slot();
        let idx = self.slot_of(idx, scratch);
        let cond = scratch + 1;
        let base = h - params.len();
        let k = self.slot_at(base);
        self.op3(Op::LtU, cond, idx, Opnd::I(entries.len() as u32));
        let to_undefined = self.jump(Op::Brz, cond, 0);
        let jtab = self.jump(Op::JTab, idx, 0);
        let table_pc = self.here();
        self.patch(jtab, table_pc);
        let jumps: Vec<usize> = entries.iter().map(|_| self.jump(Op::Jmp, 0, 0)).collect();
        let mut stubs: Vec<(u32, u32)> = Vec::new();
        let (mut nulls, mut mismatches, mut ends) = (Vec::new(), Vec::new(), Vec::new());
        for (&jump, entry) in jumps.iter().zip(entries) {
            let Some(f) = *entry else {
                nulls.push(jump);
                continue;
            };
            if expected.is_none() || self.sig_of_func(f) != expected.as_ref() {
                mismatches.push(jump);
                continue;
            }
            if let Some(&(_, pc)) = stubs.iter().find(|(g, _)| *g == f) {
                self.patch(jump, pc);
                continue;
            }
            let pc = self.here();
            self.patch(jump, pc);
            stubs.push((f, pc));
            self.emit_call(f, k);
            ends.push(self.jump(Op::Jmp, 0, 0));
        }
        let traps = [
            (vec![to_undefined], trap_code::UNDEFINED_ELEMENT),
            (nulls, trap_code::UNINITIALIZED_ELEMENT),
            (mismatches, trap_code::INDIRECT_CALL_TYPE_MISMATCH),
        ];
        self.end_indirect(traps, ends, base, results);
    }
}
