//! The WebAssembly front end: validation with `wasmparser`, then lowering of each function body
//! to Gloam's three-address form.
//!
//! The operand stack is resolved at compile time: every stack position `i` of a function has a
//! canonical frame slot `t0 + i`, and a *virtual stack* remembers, for each position, whether
//! the value is already in its canonical slot, still sits in a local's slot, or is a constant.
//! Instructions then read their operands straight from locals and immediates, so
//! `local.get a; local.get b; i32.add; local.set c` lowers to the single instruction
//! `add c, a, b`. At control-flow boundaries the virtual stack is flushed to canonical slots.

use wasmparser::{
    BlockType, CompositeInnerType, ExternalKind, FuncType, Operator, Parser, Payload, TypeRef,
    ValType, Validator,
};

use crate::isa::{trap_code, Instr, Op};
use crate::program::{Function, Origin, Program, ProgramError};
use crate::semantics::eval_binary;

/// Why a module cannot be loaded for proving.
#[derive(Debug, thiserror::Error)]
pub enum FrontendError {
    /// The bytes are not a valid WebAssembly module.
    #[error("invalid WebAssembly module: {0}")]
    InvalidWasm(String),
    /// The text is not valid WebAssembly text format.
    #[error("invalid WebAssembly text: {0}")]
    InvalidWat(String),
    /// An instruction outside the subset Gloam proves.
    #[error("function `{func}` (index {index}) uses `{instr}` at byte offset {offset:#x}, which Gloam cannot prove yet (supported: i32 arithmetic, locals, structured control flow, direct calls)")]
    UnsupportedInstruction {
        /// Function name.
        func: String,
        /// Function index.
        index: u32,
        /// The instruction, as `wasmparser` prints it.
        instr: String,
        /// Byte offset in the module.
        offset: usize,
    },
    /// A function signature or local with a type other than `i32`.
    #[error("function `{func}` (index {index}) uses type `{ty}`; only i32 parameters, results and locals are supported")]
    UnsupportedType {
        /// Function name.
        func: String,
        /// Function index.
        index: u32,
        /// The type.
        ty: String,
    },
    /// An imported function.
    #[error("imported function `{module}.{name}` is not supported")]
    UnsupportedImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// A start function.
    #[error("modules with a start function are not supported")]
    StartFunction,
    /// The lowered program breaks a structural limit.
    #[error(transparent)]
    Program(#[from] ProgramError),
}

/// Loads a module given as binary WebAssembly (`\0asm` magic) or WebAssembly text.
///
/// # Errors
/// [`FrontendError`] if the module is malformed, invalid or outside the provable subset.
pub fn load_module(bytes: &[u8]) -> Result<Program, FrontendError> {
    if bytes.starts_with(b"\0asm") {
        lower_wasm(bytes)
    } else {
        let wasm = wat::parse_bytes(bytes).map_err(|e| FrontendError::InvalidWat(e.to_string()))?;
        lower_wasm(&wasm)
    }
}

/// Validates and lowers a binary WebAssembly module.
///
/// # Errors
/// [`FrontendError`] if the module is invalid or outside the provable subset.
pub fn lower_wasm(wasm: &[u8]) -> Result<Program, FrontendError> {
    Validator::new()
        .validate_all(wasm)
        .map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;

    let mut types: Vec<Option<FuncType>> = Vec::new();
    let mut func_types: Vec<u32> = Vec::new();
    let mut exports: Vec<(String, u32)> = Vec::new();
    let mut bodies = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
        match payload {
            Payload::TypeSection(reader) => {
                for group in reader {
                    let group = group.map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
                    for sub in group.into_types() {
                        types.push(match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => Some(f.clone()),
                            _ => None,
                        });
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
                    if let TypeRef::Func(_) = import.ty {
                        return Err(FrontendError::UnsupportedImport {
                            module: import.module.to_string(),
                            name: import.name.to_string(),
                        });
                    }
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    func_types.push(ty.map_err(|e| FrontendError::InvalidWasm(e.to_string()))?);
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
                    if export.kind == ExternalKind::Func {
                        exports.push((export.name.to_string(), export.index));
                    }
                }
            }
            Payload::StartSection { .. } => return Err(FrontendError::StartFunction),
            Payload::CodeSectionEntry(body) => bodies.push(body),
            _ => {}
        }
    }
    exports.sort();

    let name_of = |idx: u32| -> String {
        exports
            .iter()
            .find(|(_, i)| *i == idx)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| format!("func[{idx}]"))
    };

    // Signatures and frame layouts first: callers need callees' layouts.
    let mut sigs = Vec::with_capacity(func_types.len());
    let mut locals = Vec::with_capacity(func_types.len());
    for (idx, (ty, body)) in func_types.iter().zip(&bodies).enumerate() {
        let idx = idx as u32;
        let ft = types
            .get(*ty as usize)
            .and_then(|t| t.clone())
            .ok_or_else(|| FrontendError::InvalidWasm(format!("bad type index {ty}")))?;
        for v in ft.params().iter().chain(ft.results()) {
            if *v != ValType::I32 {
                return Err(FrontendError::UnsupportedType {
                    func: name_of(idx),
                    index: idx,
                    ty: v.to_string(),
                });
            }
        }
        let mut n_locals = 0u32;
        let reader = body
            .get_locals_reader()
            .map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
        for local in reader {
            let (count, ty) = local.map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
            if ty != ValType::I32 {
                return Err(FrontendError::UnsupportedType {
                    func: name_of(idx),
                    index: idx,
                    ty: ty.to_string(),
                });
            }
            n_locals = n_locals
                .checked_add(count)
                .filter(|n| *n < 1 << 16)
                .ok_or_else(|| FrontendError::UnsupportedType {
                    func: name_of(idx),
                    index: idx,
                    ty: "more than 65535 locals".into(),
                })?;
        }
        sigs.push((ft.params().len() as u32, ft.results().len() as u32));
        locals.push(n_locals);
    }

    let mut out = Emitter {
        code: vec![Instr::new(Op::Halt)],
        weight: vec![0],
        origin: vec![Origin::default()],
        call_fixups: Vec::new(),
    };
    let mut functions = Vec::with_capacity(bodies.len());
    for (idx, body) in bodies.iter().enumerate() {
        let idx = idx as u32;
        let (num_params, num_results) = sigs[idx as usize];
        let ra_slot = ra_slot(num_params, locals[idx as usize], num_results);
        let entry_pc = out.code.len() as u32;
        let mut lw = FnLowerer {
            out: &mut out,
            types: &types,
            sigs: &sigs,
            locals: &locals,
            func: idx,
            func_name: name_of(idx),
            num_params,
            num_locals: locals[idx as usize],
            num_results,
            t0: ra_slot + 2,
            stack: Vec::new(),
            ctrl: Vec::new(),
            max_slot: ra_slot + 2,
            pending_weight: 0,
            offset: 0,
            last_def: None,
            dead: false,
        };
        lw.lower(body)?;
        let frame_size = lw.max_slot;
        functions.push(Function {
            name: name_of(idx),
            entry_pc,
            num_params,
            num_results,
            ra_slot,
            frame_size,
        });
    }
    for (pc, callee) in std::mem::take(&mut out.call_fixups) {
        out.code[pc].imm = functions[callee as usize].entry_pc;
    }
    let program = Program {
        instrs: out.code,
        functions,
        exports,
        wasm_weight: out.weight,
        origin: out.origin,
    };
    program.validate()?;
    Ok(program)
}

struct Emitter {
    code: Vec<Instr>,
    weight: Vec<u32>,
    origin: Vec<Origin>,
    call_fixups: Vec<(usize, u32)>,
}

/// A value on the compile-time operand stack.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    /// In this frame slot (its canonical slot, or a local's).
    Slot(u32),
    /// A constant not yet materialised.
    Const(u32),
}

/// `B` operand of an emitted instruction.
#[derive(Clone, Copy)]
enum Opnd {
    S(u32),
    I(u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Loop(u32),
    If,
    Dead,
}

struct Ctrl {
    kind: Kind,
    /// Stack height below the block's parameters.
    height: u32,
    params: u32,
    results: u32,
    else_fixup: Option<usize>,
    end_fixups: Vec<usize>,
}

struct FnLowerer<'a> {
    out: &'a mut Emitter,
    types: &'a [Option<FuncType>],
    sigs: &'a [(u32, u32)],
    locals: &'a [u32],
    func: u32,
    func_name: String,
    num_params: u32,
    num_locals: u32,
    num_results: u32,
    t0: u32,
    stack: Vec<Val>,
    ctrl: Vec<Ctrl>,
    max_slot: u32,
    pending_weight: u32,
    offset: usize,
    /// (pc, slot) of the last emitted instruction if it wrote `slot` independently of the
    /// slot's old value (a retargetable definition for the `local.set` peephole).
    last_def: Option<(usize, u32)>,
    dead: bool,
}

const NEG1: u32 = u32::MAX;

impl FnLowerer<'_> {
    fn ra(&self) -> u32 {
        ra_slot(self.num_params, self.num_locals, self.num_results)
    }

    fn canon(&mut self, pos: usize) -> u32 {
        let s = self.t0 + pos as u32;
        self.touch(s);
        s
    }

    fn touch(&mut self, slot: u32) {
        self.max_slot = self.max_slot.max(slot + 1);
    }

    fn emit(&mut self, i: Instr) -> usize {
        let pc = self.out.code.len();
        self.out.code.push(i);
        self.out
            .weight
            .push(std::mem::take(&mut self.pending_weight));
        self.out.origin.push(Origin {
            func: self.func,
            offset: self.offset as u32,
        });
        self.last_def = None;
        pc
    }

    fn op3(&mut self, op: Op, c: u32, a: u32, b: Opnd) -> usize {
        self.touch(c);
        let (b, imm, b_imm) = match b {
            Opnd::S(s) => (s, 0, false),
            Opnd::I(v) => (0, v, true),
        };
        let pc = self.emit(Instr {
            op,
            a,
            b,
            c,
            imm,
            b_imm,
        });
        if op != Op::CMov {
            self.last_def = Some((pc, c));
        }
        pc
    }

    fn mov(&mut self, dst: u32, src: u32) {
        if dst != src {
            self.op3(Op::Add, dst, src, Opnd::I(0));
        }
    }

    fn konst(&mut self, dst: u32, v: u32) {
        self.touch(dst);
        let pc = self.emit(Instr {
            op: Op::Const,
            c: dst,
            imm: v,
            ..Instr::new(Op::Const)
        });
        self.last_def = Some((pc, dst));
    }

    fn jump(&mut self, op: Op, a: u32, target: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            imm: target,
            ..Instr::new(op)
        })
    }

    fn here(&self) -> u32 {
        self.out.code.len() as u32
    }

    /// Points jump `pc` at `target`. Targets are always labels at the current end of the code
    /// or earlier, so the `local.set` peephole must not reach back across them.
    fn patch(&mut self, pc: usize, target: u32) {
        self.out.code[pc].imm = target;
        self.last_def = None;
    }

    fn unsupported(&self, op: &Operator) -> FrontendError {
        let mut instr = format!("{op:?}");
        if let Some(p) = instr.find([' ', '{']) {
            instr.truncate(p);
        }
        FrontendError::UnsupportedInstruction {
            func: self.func_name.clone(),
            index: self.func,
            instr: wasm_mnemonic(&instr),
            offset: self.offset,
        }
    }

    fn pop(&mut self) -> Val {
        self.stack
            .pop()
            .expect("validated wasm never underflows the operand stack")
    }

    fn push_canon(&mut self) -> u32 {
        let s = self.canon(self.stack.len());
        self.stack.push(Val::Slot(s));
        s
    }

    /// Moves stack entry `i` into its canonical slot.
    fn materialize(&mut self, i: usize) {
        let canon = self.canon(i);
        match self.stack[i] {
            Val::Slot(s) if s == canon => {}
            Val::Slot(s) => self.mov(canon, s),
            Val::Const(v) => self.konst(canon, v),
        }
        self.stack[i] = Val::Slot(canon);
    }

    fn flush(&mut self) {
        for i in 0..self.stack.len() {
            self.materialize(i);
        }
    }

    /// A slot holding `v`: its own slot, or `scratch` after materialising a constant.
    fn slot_of(&mut self, v: Val, scratch: u32) -> u32 {
        match v {
            Val::Slot(s) => s,
            Val::Const(c) => {
                self.konst(scratch, c);
                scratch
            }
        }
    }

    fn opnd(v: Val) -> Opnd {
        match v {
            Val::Slot(s) => Opnd::S(s),
            Val::Const(c) => Opnd::I(c),
        }
    }

    fn block_arity(&self, bt: BlockType) -> (u32, u32) {
        match bt {
            BlockType::Empty => (0, 0),
            BlockType::Type(_) => (0, 1),
            BlockType::FuncType(i) => self.types[i as usize]
                .as_ref()
                .map(|f| (f.params().len() as u32, f.results().len() as u32))
                .unwrap_or((0, 0)),
        }
    }

    fn lower(&mut self, body: &wasmparser::FunctionBody) -> Result<(), FrontendError> {
        // Prologue: WebAssembly locals start at zero; frames may reuse dirty slots.
        for l in 0..self.num_locals {
            self.konst(self.num_params + l, 0);
        }
        self.ctrl.push(Ctrl {
            kind: Kind::Block,
            height: 0,
            params: 0,
            results: self.num_results,
            else_fixup: None,
            end_fixups: Vec::new(),
        });
        let mut reader = body
            .get_operators_reader()
            .map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
        while !reader.eof() {
            let (op, offset) = reader
                .read_with_offset()
                .map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
            self.offset = offset as usize;
            self.pending_weight += 1;
            self.operator(op)?;
        }
        Ok(())
    }

    fn binop(&mut self, op: Op, commutative: bool) {
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
    fn emit_binop(&mut self, op: Op, a: Val, b: Val) {
        let dest = self.canon(self.stack.len());
        let a = self.slot_of(a, dest);
        self.op3(op, dest, a, Self::opnd(b));
        self.stack.push(Val::Slot(dest));
    }

    /// `a > b`-style comparisons, rewritten to the `lt`/`ge` forms the ISA has.
    /// `strict`: `a > b` (else `a <= b`); `max`: largest value of the ordering.
    fn swapped_cmp(&mut self, strict: bool, signed: bool) {
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
            (_, Val::Slot(_)) => self.emit_binop(if strict { lt } else { ge }, b, a),
        }
    }

    fn operator(&mut self, op: Operator) -> Result<(), FrontendError> {
        if !supported(&op) {
            return Err(self.unsupported(&op));
        }
        if self.dead {
            return self.dead_operator(op);
        }
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.jump(Op::Trap, 0, trap_code::UNREACHABLE);
                self.dead = true;
            }
            Operator::Drop => {
                self.pop();
            }
            Operator::I32Const { value } => self.stack.push(Val::Const(value as u32)),
            Operator::LocalGet { local_index } => self.stack.push(Val::Slot(local_index)),
            Operator::LocalSet { local_index } => self.local_set(local_index, false),
            Operator::LocalTee { local_index } => self.local_set(local_index, true),
            Operator::I32Add => self.binop(Op::Add, true),
            Operator::I32Sub => self.binop(Op::Sub, false),
            Operator::I32Mul => self.binop(Op::Mul, true),
            Operator::I32And => self.binop(Op::And, true),
            Operator::I32Or => self.binop(Op::Or, true),
            Operator::I32Xor => self.binop(Op::Xor, true),
            Operator::I32DivU => self.binop(Op::DivU, false),
            Operator::I32RemU => self.binop(Op::RemU, false),
            Operator::I32Eq => self.binop(Op::Eq, true),
            Operator::I32Ne => self.binop(Op::Ne, true),
            Operator::I32Eqz => {
                self.stack.push(Val::Const(0));
                self.binop(Op::Eq, true)
            }
            Operator::I32LtU => self.binop(Op::LtU, false),
            Operator::I32GeU => self.binop(Op::GeU, false),
            Operator::I32LtS => self.binop(Op::LtS, false),
            Operator::I32GeS => self.binop(Op::GeS, false),
            Operator::I32GtU => self.swapped_cmp(true, false),
            Operator::I32LeU => self.swapped_cmp(false, false),
            Operator::I32GtS => self.swapped_cmp(true, true),
            Operator::I32LeS => self.swapped_cmp(false, true),
            Operator::I32Shl | Operator::I32ShrU => {
                let shl = matches!(op, Operator::I32Shl);
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
            Operator::I32Rotl => self.binop(Op::Rotl, false),
            Operator::I32Rotr => self.binop(Op::Rotr, false),
            Operator::I32ShrS => self.shr_s(),
            Operator::I32DivS => self.div_rem_s(true),
            Operator::I32RemS => self.div_rem_s(false),
            Operator::I32Popcnt | Operator::I32Ctz | Operator::I32Clz => self.bitcount(&op),
            Operator::Select | Operator::TypedSelect { .. } => self.select(),
            Operator::Block { blockty } => {
                self.flush();
                let (params, results) = self.block_arity(blockty);
                self.ctrl.push(Ctrl {
                    kind: Kind::Block,
                    height: self.stack.len() as u32 - params,
                    params,
                    results,
                    else_fixup: None,
                    end_fixups: Vec::new(),
                });
            }
            Operator::Loop { blockty } => {
                self.flush();
                let (params, results) = self.block_arity(blockty);
                // The `loop` marker executes once; charge it to the previous instruction.
                if let Some(w) = self.out.weight.last_mut() {
                    *w += std::mem::take(&mut self.pending_weight);
                }
                let start = self.here();
                self.last_def = None;
                self.ctrl.push(Ctrl {
                    kind: Kind::Loop(start),
                    height: self.stack.len() as u32 - params,
                    params,
                    results,
                    else_fixup: None,
                    end_fixups: Vec::new(),
                });
            }
            Operator::If { blockty } => {
                let cond = self.pop();
                self.flush();
                let cond = self.slot_of(cond, self.t0 + self.stack.len() as u32);
                let (params, results) = self.block_arity(blockty);
                let fix = self.jump(Op::Brz, cond, 0);
                self.ctrl.push(Ctrl {
                    kind: Kind::If,
                    height: self.stack.len() as u32 - params,
                    params,
                    results,
                    else_fixup: Some(fix),
                    end_fixups: Vec::new(),
                });
            }
            Operator::Else => self.else_(false),
            Operator::End => self.end(false),
            Operator::Br { relative_depth } => {
                self.flush();
                self.branch_to(relative_depth as usize);
                self.dead = true;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop();
                self.flush();
                let cond = self.slot_of(cond, self.t0 + self.stack.len() as u32);
                let depth = relative_depth as usize;
                if self.branch_moves(depth).is_empty() {
                    let pc = self.jump(Op::Brnz, cond, 0);
                    self.bind_branch(depth, pc);
                } else {
                    let skip = self.jump(Op::Brz, cond, 0);
                    self.branch_to(depth);
                    let here = self.here();
                    self.patch(skip, here);
                }
            }
            Operator::BrTable { targets } => {
                let idx = self.pop();
                self.flush();
                let idx = self.slot_of(idx, self.t0 + self.stack.len() as u32);
                let scratch = self.canon(self.stack.len() + 1);
                let default = targets.default() as usize;
                let list: Vec<usize> = targets
                    .targets()
                    .map(|t| t.map(|t| t as usize))
                    .collect::<Result<_, _>>()
                    .map_err(|e| FrontendError::InvalidWasm(e.to_string()))?;
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
                        if self.branch_moves(t).is_empty() {
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
            }
            Operator::Return => {
                self.emit_return();
                self.dead = true;
            }
            Operator::Call { function_index } => self.call(function_index),
            other => return Err(self.unsupported(&other)),
        }
        Ok(())
    }

    /// Tracks nesting while skipping unreachable code.
    fn dead_operator(&mut self, op: Operator) -> Result<(), FrontendError> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.ctrl.push(Ctrl {
                    kind: Kind::Dead,
                    height: 0,
                    params: 0,
                    results: 0,
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

    fn local_set(&mut self, x: u32, tee: bool) {
        let v = self.pop();
        // Older stack entries that still read local x must be saved first.
        for i in 0..self.stack.len() {
            if self.stack[i] == Val::Slot(x) {
                self.materialize(i);
            }
        }
        match v {
            Val::Slot(s) if s == x => {}
            Val::Slot(s) => match self.last_def {
                Some((pc, slot)) if slot == s && s >= self.t0 && pc + 1 == self.out.code.len() => {
                    self.out.code[pc].c = x;
                    self.last_def = Some((pc, x));
                }
                _ => self.mov(x, s),
            },
            Val::Const(c) => self.konst(x, c),
        }
        if tee {
            self.stack.push(Val::Slot(x));
        }
    }

    /// Moves needed to deliver a branch's values to the target label: (dest, src) slots.
    fn branch_moves(&self, depth: usize) -> Vec<(u32, u32)> {
        let target = &self.ctrl[self.ctrl.len() - 1 - depth];
        let arity = match target.kind {
            Kind::Loop(_) => target.params,
            _ => target.results,
        } as usize;
        let len = self.stack.len();
        (0..arity)
            .map(|i| {
                (
                    self.t0 + target.height + i as u32,
                    self.t0 + (len - arity + i) as u32,
                )
            })
            .filter(|(d, s)| d != s)
            .collect()
    }

    /// Records that jump instruction `pc` targets label `depth`.
    fn bind_branch(&mut self, depth: usize, pc: usize) {
        let idx = self.ctrl.len() - 1 - depth;
        match self.ctrl[idx].kind {
            Kind::Loop(start) => self.patch(pc, start),
            _ => {
                if idx == 0 {
                    // Branch to the function body's label is a return; route through a stub.
                    self.ctrl[0].end_fixups.push(pc);
                } else {
                    self.ctrl[idx].end_fixups.push(pc);
                }
            }
        }
    }

    /// Emits the moves and the jump of an unconditional branch (stack already flushed).
    fn branch_to(&mut self, depth: usize) {
        if depth == self.ctrl.len() - 1 {
            self.emit_return();
            return;
        }
        for (d, s) in self.branch_moves(depth) {
            self.mov(d, s);
        }
        let pc = self.jump(Op::Jmp, 0, 0);
        self.bind_branch(depth, pc);
    }

    fn emit_return(&mut self) {
        self.flush();
        let r = self.num_results as usize;
        let len = self.stack.len();
        for i in 0..r {
            let src = self.t0 + (len - r + i) as u32;
            self.mov(i as u32, src);
        }
        let ra = self.ra();
        self.emit(Instr {
            op: Op::Ret,
            a: ra,
            b: ra + 1,
            ..Instr::new(Op::Ret)
        });
    }

    fn else_(&mut self, was_dead: bool) {
        if !was_dead {
            self.flush();
            let pc = self.jump(Op::Jmp, 0, 0);
            self.ctrl.last_mut().expect("validated").end_fixups.push(pc);
        }
        let here = self.here();
        self.last_def = None;
        let frame = self.ctrl.last_mut().expect("validated");
        if let Some(fix) = frame.else_fixup.take() {
            self.out.code[fix].imm = here;
        }
        let (height, params) = (frame.height, frame.params);
        self.stack.truncate(height as usize);
        for _ in 0..params {
            self.push_canon();
        }
        self.dead = false;
    }

    fn end(&mut self, was_dead: bool) {
        if self.ctrl.len() == 1 {
            // End of the function body.
            let frame = self.ctrl.pop().expect("function frame");
            // Branches to the function label arrive with the results already in their
            // canonical slots: the fall-through value must be flushed before the label.
            if !was_dead {
                self.flush();
            }
            let ret_pc = self.here();
            self.last_def = None;
            if !was_dead {
                self.emit_return();
            } else if !frame.end_fixups.is_empty() {
                // Branches to the function label need a return sequence.
                self.stack.clear();
                for _ in 0..self.num_results {
                    self.push_canon();
                }
                self.emit_return();
            }
            for pc in frame.end_fixups {
                self.out.code[pc].imm = ret_pc;
            }
            // Leftover weight (the final `end`) belongs to the return.
            if let Some(w) = self.out.weight.last_mut() {
                *w += std::mem::take(&mut self.pending_weight);
            }
            self.dead = false;
            return;
        }
        if !was_dead {
            self.flush();
        }
        let frame = self.ctrl.pop().expect("validated");
        let here = self.here();
        self.last_def = None;
        if let Some(fix) = frame.else_fixup {
            self.out.code[fix].imm = here;
        }
        for pc in frame.end_fixups {
            self.out.code[pc].imm = here;
        }
        self.stack.truncate(frame.height as usize);
        for _ in 0..frame.results {
            self.push_canon();
        }
        self.dead = false;
    }

    fn call(&mut self, f: u32) {
        let (params, results) = self.sigs[f as usize];
        self.flush();
        let base = self.stack.len() - params as usize;
        let k = self.t0 + base as u32;
        let callee_ra = ra_slot(params, self.locals[f as usize], results);
        self.touch(k + callee_ra + 2);
        let pc = self.emit(Instr {
            op: Op::Call,
            a: k,
            b: k + callee_ra + 1,
            c: k + callee_ra,
            imm: 0,
            b_imm: false,
        });
        self.out.call_fixups.push((pc, f));
        self.stack.truncate(base);
        for _ in 0..results {
            self.push_canon();
        }
    }

    fn select(&mut self) {
        let cond = self.pop();
        let v2 = self.pop();
        let v1 = self.pop();
        let h = self.stack.len();
        let dest = self.canon(h);
        if let Val::Const(c) = cond {
            let v = if c != 0 { v1 } else { v2 };
            // A temporary must live in its own position's canonical slot.
            match v {
                Val::Slot(s) if s >= self.t0 && s != dest => {
                    self.mov(dest, s);
                    self.stack.push(Val::Slot(dest));
                }
                v => self.stack.push(v),
            }
            return;
        }
        let s3 = self.canon(h + 3);
        if v1 != Val::Slot(dest) {
            // dest = v2; dest = cond ? v1 : dest
            match v2 {
                Val::Slot(s) => self.mov(dest, s),
                Val::Const(c) => self.konst(dest, c),
            }
            let v1s = self.slot_of(v1, s3);
            self.op3(Op::CMov, dest, v1s, Self::opnd(cond));
        } else {
            // v1 already in dest: dest = (cond == 0) ? v2 : dest
            let z = self.canon(h + 4);
            let c = self.slot_of(cond, z);
            self.op3(Op::Eq, z, c, Opnd::I(0));
            let v2s = self.slot_of(v2, s3);
            self.op3(Op::CMov, dest, v2s, Opnd::S(z));
        }
        self.stack.push(Val::Slot(dest));
    }

    /// Scratch slots above the operands at stack height `h`.
    fn scratch(&mut self, h: usize, j: usize) -> u32 {
        self.canon(h + 2 + j)
    }

    fn shr_s(&mut self) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            self.stack.push(Val::Const(((x as i32) >> (y & 31)) as u32));
            return;
        }
        let h = self.stack.len();
        let dest = self.canon(h);
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
            Val::Slot(bs) => {
                self.op3(Op::ShrU, s2, s2, Opnd::S(bs));
            }
        }
        self.op3(Op::Xor, dest, s2, Opnd::S(s1));
        self.stack.push(Val::Slot(dest));
    }

    /// `|x|` of a signed value into `out`, with its sign bit into `sign`.
    fn abs_into(&mut self, x: u32, out: u32, sign: u32, tmp: u32) {
        self.op3(Op::LtS, sign, x, Opnd::I(0));
        self.op3(Op::Mul, tmp, x, Opnd::I(NEG1));
        self.mov(out, x);
        self.op3(Op::CMov, out, tmp, Opnd::S(sign));
    }

    fn div_rem_s(&mut self, div: bool) {
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
        let dest = self.canon(h);
        let s: Vec<u32> = (0..6).map(|j| self.scratch(h, j)).collect();
        let a = self.slot_of(a, s[5]);
        // INT_MIN / -1 traps (only for div_s; rem_s gives 0).
        let b_const = if let Val::Const(k) = b { Some(k) } else { None };
        if div && b_const.is_none_or(|k| k == NEG1) {
            self.op3(Op::Eq, s[0], a, Opnd::I(0x8000_0000));
            match b {
                Val::Slot(bs) => {
                    self.op3(Op::Eq, s[1], bs, Opnd::I(NEG1));
                    self.op3(Op::And, s[0], s[0], Opnd::S(s[1]));
                }
                Val::Const(_) => {}
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
    fn popcnt_into(&mut self, dest: u32, x: u32, s1: u32, s2: u32) {
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

    fn bitcount(&mut self, op: &Operator) {
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
        let dest = self.canon(h);
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
}

/// Turns `wasmparser`'s operator name (`I64Add`) into WebAssembly's mnemonic (`i64.add`).
fn wasm_mnemonic(debug_name: &str) -> String {
    let prefixes = [
        "I32", "I64", "F32", "F64", "V128", "I8x16", "I16x8", "I32x4", "I64x2", "F32x4", "F64x2",
        "Memory", "Global", "Local", "Table", "Ref", "Elem", "Data",
    ];
    let (head, tail) = prefixes
        .iter()
        .find(|p| debug_name.starts_with(*p) && debug_name.len() > p.len())
        .map(|p| (p.to_lowercase(), &debug_name[p.len()..]))
        .unwrap_or_else(|| (String::new(), debug_name));
    let mut snake = String::new();
    for (i, ch) in tail.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.push(ch.to_ascii_lowercase());
    }
    if head.is_empty() {
        snake
    } else {
        format!("{head}.{snake}")
    }
}

/// Slot of the saved return pc: above the parameters and locals, and above the result slots
/// (results are written to slots `0..results` just before `ret` reads the saved pc).
fn ra_slot(params: u32, locals: u32, results: u32) -> u32 {
    (params + locals).max(results)
}

/// Whether Gloam lowers (and proves) this operator.
fn supported(op: &Operator) -> bool {
    use Operator as O;
    matches!(
        op,
        O::Nop
            | O::Unreachable
            | O::Drop
            | O::Select
            | O::TypedSelect { .. }
            | O::I32Const { .. }
            | O::LocalGet { .. }
            | O::LocalSet { .. }
            | O::LocalTee { .. }
            | O::I32Add
            | O::I32Sub
            | O::I32Mul
            | O::I32DivS
            | O::I32DivU
            | O::I32RemS
            | O::I32RemU
            | O::I32And
            | O::I32Or
            | O::I32Xor
            | O::I32Shl
            | O::I32ShrS
            | O::I32ShrU
            | O::I32Rotl
            | O::I32Rotr
            | O::I32Clz
            | O::I32Ctz
            | O::I32Popcnt
            | O::I32Eqz
            | O::I32Eq
            | O::I32Ne
            | O::I32LtS
            | O::I32LtU
            | O::I32GtS
            | O::I32GtU
            | O::I32LeS
            | O::I32LeU
            | O::I32GeS
            | O::I32GeU
            | O::Block { .. }
            | O::Loop { .. }
            | O::If { .. }
            | O::Else
            | O::End
            | O::Br { .. }
            | O::BrIf { .. }
            | O::BrTable { .. }
            | O::Return
            | O::Call { .. }
    )
}
