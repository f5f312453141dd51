//! Lowering of one function body: the lowerer's state, the frame layout and the primitives
//! that emit instructions.
//!
//! The lowerer's methods are spread over one file per concern: the virtual stack
//! (`stack.rs`), control flow and calls (`control.rs`), the operator dispatch (`visit.rs`),
//! one-instruction numeric lowerings (`numeric.rs`), memory/global/table access
//! (`storage.rs`) and multi-instruction expansions (`expand.rs`).

mod control;
mod expand;
mod numeric;
mod stack;
mod storage;
mod visit;

use wasmparser::{FunctionBody, Operator};

use super::emit::Emitter;
use super::module::{FnInfo, ParsedModule};
use super::{invalid, wasm_mnemonic, FrontendError};
use crate::isa::{Instr, Op};
use crate::module::{FuncSig, GlobalType};
use crate::program::{Function, Origin};
use control::Ctrl;
use stack::Val;

/// Lowers defined function `idx` (0-based among defined functions) of `module`, whose locals
/// (parameters first) are wide or not as `local_wide` says, appending its code to `out`.
///
/// # Errors
/// [`FrontendError`] for a float or SIMD instruction or type, or a malformed body.
pub(super) fn lower(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    idx: u32,
    local_wide: Vec<bool>,
    body: &FunctionBody<'_>,
) -> Result<Function, FrontendError> {
    let n_imp = module.module.num_func_imports;
    let info = &module.infos[(idx + n_imp) as usize];
    let num_params = info.params;
    let num_results = info.results.len() as u32;
    let ra_slot = ra_slot(num_params, info.locals, num_results);
    let entry_pc = out.len() as u32;
    let mut lw = FnLowerer {
        out,
        types: &module.types,
        infos: &module.infos,
        globals: &module.module.global_types,
        n_imp,
        func: idx + n_imp,
        func_name: module.name_of(idx),
        num_params,
        num_locals: info.locals,
        result_wide: info.results.clone(),
        local_wide,
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
    Ok(Function {
        name: module.name_of(idx),
        entry_pc,
        num_params,
        num_results,
        ra_slot,
        frame_size,
    })
}

/// Slot of the saved return pc: above the parameters and locals, and above the result slots
/// (results are written to slots `0..results` just before `ret` reads the saved pc).
fn ra_slot(params: u32, locals: u32, results: u32) -> u32 {
    (params + locals).max(results)
}

/// `B` operand of an emitted instruction.
#[derive(Clone, Copy)]
enum Opnd {
    S(u32),
    I(u32),
}

/// The state of lowering one function body.
struct FnLowerer<'a> {
    out: &'a mut Emitter,
    /// The module's signatures by type index (or the float/SIMD type that refuses one).
    types: &'a [Result<FuncSig, String>],
    /// Every function's signature shape and locals, imports first.
    infos: &'a [FnInfo],
    globals: &'a [GlobalType],
    n_imp: u32,
    /// WebAssembly function index (imports first).
    func: u32,
    func_name: String,
    num_params: u32,
    num_locals: u32,
    result_wide: Vec<bool>,
    local_wide: Vec<bool>,
    /// Canonical slot of operand-stack position 0 (above the saved pc and `fp`).
    t0: u32,
    /// The virtual operand stack.
    stack: Vec<Val>,
    /// Open blocks, the function's own block first.
    ctrl: Vec<Ctrl>,
    /// One past the highest slot used: the frame size.
    max_slot: u32,
    /// WebAssembly instructions read since the last emitted instruction.
    pending_weight: u32,
    /// Byte offset of the operator being lowered.
    offset: usize,
    /// (pc, slot) of the last emitted instruction if it wrote `slot` independently of the
    /// slot's old value (a retargetable definition for the `local.set` peephole).
    last_def: Option<(usize, u32)>,
    dead: bool,
}

impl FnLowerer<'_> {
    /// Lowers the body: zeroes the declared locals, then lowers operator by operator.
    fn lower(&mut self, body: &FunctionBody) -> Result<(), FrontendError> {
        // Prologue: WebAssembly locals start at zero; frames may reuse dirty slots.
        for l in 0..self.num_locals {
            self.konst(self.num_params + l, 0);
        }
        self.ctrl.push(Ctrl::function(self.result_wide.clone()));
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset().map_err(invalid)?;
            self.offset = offset as usize;
            self.pending_weight += 1;
            self.operator(op)?;
        }
        Ok(())
    }

    /// This function's saved-return-pc slot.
    pub(super) fn ra(&self) -> u32 {
        ra_slot(
            self.num_params,
            self.num_locals,
            self.result_wide.len() as u32,
        )
    }

    /// Counts `slot` into the frame size.
    pub(super) fn touch(&mut self, slot: u32) {
        self.max_slot = self.max_slot.max(slot + 1);
    }

    /// Appends `i`, charging it the pending WebAssembly weight; returns its pc.
    pub(super) fn emit(&mut self, i: Instr) -> usize {
        let weight = std::mem::take(&mut self.pending_weight);
        let origin = Origin {
            func: self.func,
            offset: self.offset as u32,
        };
        let pc = self.out.push(i, weight, origin);
        self.last_def = None;
        pc
    }

    /// Emits `op c, a, b` (`B` a slot or an immediate); it defines `c` for the peephole unless it
    /// is a conditional move.
    pub(super) fn op3(&mut self, op: Op, c: u32, a: u32, b: Opnd) -> usize {
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
        if !matches!(op, Op::CMov | Op::CMov64) {
            self.last_def = Some((pc, c));
        }
        pc
    }

    /// Emits a non-arithmetic instruction with explicit fields.
    pub(super) fn raw(&mut self, op: Op, a: u32, b: u32, c: u32, imm: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            b,
            c,
            imm,
            b_imm: false,
        })
    }

    /// `i32` move (`add dst, src, 0`), nothing if `dst == src`.
    pub(super) fn mov(&mut self, dst: u32, src: u32) {
        if dst != src {
            self.op3(Op::Add, dst, src, Opnd::I(0));
        }
    }

    /// 64-bit move, nothing if `dst == src`.
    pub(super) fn mov64(&mut self, dst: u32, src: u32) {
        if dst != src {
            self.op3(Op::Mov64, dst, src, Opnd::S(0));
        }
    }

    /// A move of a 64-bit (`wide`) or `i32` value.
    pub(super) fn mov_typed(&mut self, dst: u32, src: u32, wide: bool) {
        if wide {
            self.mov64(dst, src)
        } else {
            self.mov(dst, src)
        }
    }

    /// `const dst, v`.
    pub(super) fn konst(&mut self, dst: u32, v: u32) {
        self.touch(dst);
        let pc = self.emit(Instr {
            op: Op::Const,
            c: dst,
            imm: v,
            ..Instr::new(Op::Const)
        });
        self.last_def = Some((pc, dst));
    }

    /// A 64-bit constant: `const` (zero-extending) when it fits in 32 bits, else `const64`.
    pub(super) fn konst64(&mut self, dst: u32, v: u64) {
        if v <= u32::MAX as u64 {
            return self.konst(dst, v as u32);
        }
        self.touch(dst);
        let pc = self.raw(Op::Const64, 0, (v >> 32) as u32, dst, v as u32);
        self.last_def = Some((pc, dst));
    }

    /// A jump or branch (`op`) on slot `a` to `target`; returns its pc for patching.
    pub(super) fn jump(&mut self, op: Op, a: u32, target: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            imm: target,
            ..Instr::new(op)
        })
    }

    /// The pc of the next instruction.
    pub(super) fn here(&self) -> u32 {
        self.out.len() as u32
    }

    /// Points jump `pc` at `target`. Targets are always labels at the current end of the code
    /// or earlier, so the `local.set` peephole must not reach back across them.
    pub(super) fn patch(&mut self, pc: usize, target: u32) {
        self.out.at(pc).imm = target;
        self.last_def = None;
    }

    /// The refusal of a float or SIMD operator (or one outside WebAssembly 2.0).
    pub(super) fn unsupported(&self, op: &Operator) -> FrontendError {
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

    /// The refusal of a float or SIMD type.
    pub(super) fn unsupported_type(&self, ty: String) -> FrontendError {
        FrontendError::UnsupportedType {
            func: self.func_name.clone(),
            index: self.func,
            ty,
        }
    }
}
