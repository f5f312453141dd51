//! The program being built: instructions with their WebAssembly weights and origins, the
//! direct calls whose target pc is known only once every function has been lowered, and the
//! helper functions (`helpers.rs`) the code calls.

use crate::isa::{Instr, Op};
use crate::program::{Function, Origin};

/// The callee of a `call` whose target pc is filled in by [`Emitter::finish`].
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Target {
    /// The module's defined function with this index (among defined functions).
    Func(u32),
    /// The helper module's function with this index.
    Helper(u32),
    /// The `memory.init` function of data segment `i` (`func::lower_data_init`).
    DataInit(u32),
    /// A table operation's function (`func::lower_table_op`): the operation lowered once,
    /// in place, and called by every use.
    Table(TableOp),
    /// The `call_indirect` dispatch function of a table and a function type
    /// (`func::lower_dispatch`): the arguments and the index in, the callee's results out;
    /// the jump table over the table (or over the module's functions) emitted once, for the
    /// sites whose own jump tables would not fit the program.
    Dispatch {
        /// The table.
        table: u32,
        /// The expected function type.
        type_index: u32,
    },
    /// A function of the contract interface (`crate::io`, `super::io`).
    Io(crate::io::IoFn),
}

/// Instructions the `call_indirect` dispatch functions of a module may take in all: a
/// quarter of the program's limit.
pub(super) const DISPATCH_BUDGET: usize = crate::Program::MAX_INSTRS / 4;

/// A table operation with its own function, of a table held in global words
/// (`crate::image::table_words`): parameters and results as the WebAssembly instruction's.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum TableOp {
    /// `table.get t`: `(i) -> r`.
    Get(u32),
    /// `table.set t`: `(i, r) -> ()`.
    Set(u32),
    /// `table.grow t`: `(r, n) -> old size or -1`.
    Grow(u32),
    /// `table.fill t`: `(i, r, n) -> ()`.
    Fill(u32),
    /// `table.copy dst src`: `(d, s, n) -> ()`.
    Copy(u32, u32),
    /// `table.init t e` (table, element segment): `(d, s, n) -> ()`.
    Init(u32, u32),
}

impl TableOp {
    /// (parameters, results) of its function, one slot each: the instruction's operands and
    /// result.
    pub(super) fn shape(self) -> (u32, u32) {
        match self {
            TableOp::Get(_) => (1, 1),
            TableOp::Set(_) => (2, 0),
            TableOp::Grow(_) => (2, 1),
            TableOp::Fill(_) | TableOp::Copy(..) | TableOp::Init(..) => (3, 0),
        }
    }
}

/// The lowered code of the whole module, appended to function by function.
pub(super) struct Emitter {
    code: Vec<Instr>,
    /// WebAssembly instructions each Gloam instruction accounts for (`Program::wasm_weight`).
    weight: Vec<u32>,
    /// Where each instruction comes from (`Program::origin`).
    origin: Vec<Origin>,
    /// (pc of a `call`, its callee): `imm` is set by [`Self::finish`].
    call_fixups: Vec<(usize, Target)>,
    /// Functions appended after the module's own on demand (helpers, `memory.init`
    /// functions, table operations), in the order first called, and their index in the
    /// program's function table once lowered.
    appended: Vec<(Target, Option<u32>)>,
    /// `Program::func_relocs`.
    relocs: Vec<u32>,
    /// What is left of [`DISPATCH_BUDGET`].
    dispatch_budget: usize,
}

impl Emitter {
    /// An emitter holding only the `HALT` at pc 0.
    pub(super) fn new() -> Emitter {
        Emitter {
            code: vec![Instr::new(Op::Halt)],
            weight: vec![0],
            origin: vec![Origin::default()],
            call_fixups: Vec::new(),
            appended: Vec::new(),
            relocs: Vec::new(),
            dispatch_budget: DISPATCH_BUDGET,
        }
    }

    /// Whether the program may call dispatch function `target` (a [`Target::Dispatch`]) of
    /// about `cost` instructions: yes if it already does, or if the cost fits what is left
    /// of [`DISPATCH_BUDGET`] (then charged).
    pub(super) fn reserve_dispatch(&mut self, target: Target, cost: usize) -> bool {
        if self.appended.iter().any(|(t, _)| *t == target) {
            return true;
        }
        if cost > self.dispatch_budget {
            return false;
        }
        self.dispatch_budget -= cost;
        true
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

    /// Records that the immediate of the instruction at `pc` is relative to the module's
    /// first function's store address (`Program::func_relocs`).
    pub(super) fn reloc(&mut self, pc: usize) {
        self.relocs.push(pc as u32);
    }

    /// The instructions emitted so far.
    pub(super) fn code(&self) -> &[Instr] {
        &self.code
    }

    /// Charges `weight` more WebAssembly instructions to the last emitted instruction.
    pub(super) fn add_weight_to_last(&mut self, weight: u32) {
        if let Some(w) = self.weight.last_mut() {
            *w += weight;
        }
    }

    /// Records that the `call` at `pc` targets `callee` (and, for a helper or a `memory.init`
    /// function, that the program needs it).
    pub(super) fn call_fixup(&mut self, pc: usize, callee: Target) {
        if !matches!(callee, Target::Func(_)) && !self.appended.iter().any(|(t, _)| *t == callee) {
            self.appended.push((callee, None));
        }
        self.call_fixups.push((pc, callee));
    }

    /// A helper or `memory.init` function that is called but not lowered yet, if any; it is
    /// recorded as lowered at function-table index `slot`.
    pub(super) fn next_appended(&mut self, slot: u32) -> Option<Target> {
        let (t, s) = self.appended.iter_mut().find(|(_, s)| s.is_none())?;
        *s = Some(slot);
        Some(*t)
    }

    /// The function index appended function `target` got, if the program calls it.
    pub(super) fn appended_index(&self, target: Target) -> Option<u32> {
        self.appended
            .iter()
            .find(|(t, _)| *t == target)
            .and_then(|(_, s)| *s)
    }

    /// Points every direct call at its callee's entry pc and returns the instructions, their
    /// weights, their origins and the relocations.
    pub(super) fn finish(
        mut self,
        functions: &[Function],
    ) -> (Vec<Instr>, Vec<u32>, Vec<Origin>, Vec<u32>) {
        for (pc, callee) in std::mem::take(&mut self.call_fixups) {
            let slot = match callee {
                Target::Func(i) => i,
                _ => self
                    .appended
                    .iter()
                    .find(|(t, _)| *t == callee)
                    .and_then(|(_, s)| *s)
                    .expect("every called helper and memory.init function is lowered"),
            };
            self.code[pc].imm = functions[slot as usize].entry_pc;
        }
        (self.code, self.weight, self.origin, self.relocs)
    }
}
