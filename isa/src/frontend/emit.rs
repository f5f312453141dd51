//! The program being built: instructions with their WebAssembly weights and origins, and the
//! direct calls whose target pc is known only once every function has been lowered.

use crate::isa::{Instr, Op};
use crate::program::{Function, Origin};

/// The lowered code of the whole module, appended to function by function.
pub(super) struct Emitter {
    code: Vec<Instr>,
    /// WebAssembly instructions each Gloam instruction accounts for (`Program::wasm_weight`).
    weight: Vec<u32>,
    /// Where each instruction comes from (`Program::origin`).
    origin: Vec<Origin>,
    /// (pc of a `call`, callee's WebAssembly function index): `imm` is set by [`Self::finish`].
    call_fixups: Vec<(usize, u32)>,
}

impl Emitter {
    /// An emitter holding only the `HALT` at pc 0.
    pub(super) fn new() -> Emitter {
        Emitter {
            code: vec![Instr::new(Op::Halt)],
            weight: vec![0],
            origin: vec![Origin::default()],
            call_fixups: Vec::new(),
        }
    }

    /// The pc the next instruction gets.
    pub(super) fn len(&self) -> usize {
        self.code.len()
    }

    /// Appends `instr` with its weight and origin; returns its pc.
    pub(super) fn push(&mut self, instr: Instr, weight: u32, origin: Origin) -> usize {
        let pc = self.code.len();
        self.code.push(instr);
        self.weight.push(weight);
        self.origin.push(origin);
        pc
    }

    /// The instruction at `pc`, to patch a field.
    pub(super) fn at(&mut self, pc: usize) -> &mut Instr {
        &mut self.code[pc]
    }

    /// Charges `weight` more WebAssembly instructions to the last emitted instruction.
    pub(super) fn add_weight_to_last(&mut self, weight: u32) {
        if let Some(w) = self.weight.last_mut() {
            *w += weight;
        }
    }

    /// Records that the `call` at `pc` targets WebAssembly function `callee`.
    pub(super) fn call_fixup(&mut self, pc: usize, callee: u32) {
        self.call_fixups.push((pc, callee));
    }

    /// Points every direct call at its callee's entry pc and returns the instructions, their
    /// weights and their origins.
    pub(super) fn finish(
        mut self,
        functions: &[Function],
        n_imp: u32,
    ) -> (Vec<Instr>, Vec<u32>, Vec<Origin>) {
        for (pc, callee) in std::mem::take(&mut self.call_fixups) {
            self.code[pc].imm = functions[(callee - n_imp) as usize].entry_pc;
        }
        (self.code, self.weight, self.origin)
    }
}
