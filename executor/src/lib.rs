//! # gloam-executor
//!
//! Runs lowered [`Program`](gloam_isa::Program)s: integer WebAssembly 2.0 (everything but
//! floats and SIMD), with instantiation and linking ([`Store`]), a host-function registry,
//! fuel, a call-depth limit and bounded memory and table growth.
//!
//! Two interpreters share one machine model (see `docs/executor.md`; the code is in `exec/`,
//! the store's entities and linking in `store.rs`):
//! * the fast path ([`Store::invoke`], [`run`]) only computes results;
//! * [`run_traced`] also records, per cycle, everything the AIR's trace builder needs: the
//!   state (`pc`, `fp`), the values of the three slot accesses and the timestamps of the
//!   accesses they follow. It runs only instructions the AIR covers (`Op::is_provable`) and
//!   stops with [`ExecError::NotProvable`] at the first one it does not.
//!
//! One cycle is one Gloam instruction. Slot accesses of cycle `t` carry timestamps
//! `4t + 1` (slot `a`), `4t + 2` (slot `b`) and `4t + 3` (slot `c`); timestamp 0 is the
//! initial state of every slot. The stride 4 is the AIR's `gloam_air::columns::ACCESSES_PER_ROW`
//! (the executor cannot depend on `gloam-air`): the two must change together. Execution is deterministic: the same program, entry and
//! inputs give the same results, cycle count and trace on every machine.
#![deny(missing_docs)]

mod exec;
mod store;

use gloam_isa::{TrapKind, ValType};

pub use exec::{run, run_io, run_traced, run_traced_chunks_io, run_traced_io};
pub use store::{ExternVal, InstanceId, Store};

/// Resource limits of a [`Store`] and of every run in it.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of cycles (instructions executed) per invocation before
    /// [`ExecError::OutOfFuel`].
    pub fuel: u64,
    /// Maximum number of frame slots (32-bit words) of one call stack; a call that would
    /// exceed it raises the `call stack exhausted` trap.
    pub max_slots: u32,
    /// Maximum call depth; deeper calls raise the `call stack exhausted` trap (the
    /// WebAssembly exhaustion trap), never a host stack overflow.
    pub max_call_depth: u32,
    /// Largest linear memory in 64 KiB pages: `memory.grow` beyond it returns -1, and a module
    /// whose memory starts larger fails to instantiate.
    pub max_memory_pages: u32,
    /// Largest table in elements, likewise for `table.grow`.
    pub max_table_len: u32,
}

impl Default for Limits {
    /// 2^32 cycles of fuel, 2^22 slots of call stack, call depth 2^14, memory up to
    /// 2^14 pages (1 GiB), tables up to 2^20 elements.
    fn default() -> Self {
        Limits {
            fuel: 1 << 32,
            max_slots: 1 << 22,
            max_call_depth: 1 << 14,
            max_memory_pages: 1 << 14,
            max_table_len: 1 << 20,
        }
    }
}

/// A WebAssembly value passed to or returned from an invocation.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub enum Value {
    /// `i32` (bit pattern).
    I32(u32),
    /// `i64` (bit pattern).
    I64(u64),
    /// `funcref`: `None` is null, else the function's store address.
    FuncRef(Option<u32>),
    /// `externref`: `None` is null, else the host's reference value.
    ExternRef(Option<u32>),
}

impl Value {
    /// The value's type.
    pub fn ty(&self) -> ValType {
        match self {
            Value::I32(_) => ValType::I32,
            Value::I64(_) => ValType::I64,
            Value::FuncRef(_) => ValType::FuncRef,
            Value::ExternRef(_) => ValType::ExternRef,
        }
    }

    /// The value's bits as the store keeps globals and table elements: integers
    /// zero-extended, references 0 for null, else address + 1.
    pub fn to_bits(self) -> u64 {
        match self {
            Value::I32(v) => v as u64,
            Value::I64(v) => v,
            Value::FuncRef(r) | Value::ExternRef(r) => r.map_or(0, |a| a as u64 + 1),
        }
    }

    /// Decodes [`Value::to_bits`] of a value of type `ty`.
    pub fn from_bits(ty: ValType, v: u64) -> Value {
        let r = (v != 0).then(|| (v - 1) as u32);
        match ty {
            ValType::I32 => Value::I32(v as u32),
            ValType::I64 => Value::I64(v),
            ValType::FuncRef => Value::FuncRef(r),
            ValType::ExternRef => Value::ExternRef(r),
        }
    }

    /// Whether the value fits its slots: every value but the external reference
    /// `u32::MAX`, whose encoding (`u32::MAX + 1`) needs 33 bits.
    pub fn is_representable(self) -> bool {
        self.ty().is_wide() || self.to_bits() <= u32::MAX as u64
    }

    /// Appends the value's slot words: one for `i32` and references (0 for null, else
    /// address + 1), two for `i64` (low word, then high word).
    pub fn push_words(self, out: &mut Vec<u32>) {
        let bits = self.to_bits();
        out.push(bits as u32);
        if self.ty().is_wide() {
            out.push((bits >> 32) as u32);
        }
    }

    /// The slot words of `values`, packed one after the other: the layout of a function's
    /// arguments and results.
    pub fn to_words(values: &[Value]) -> Vec<u32> {
        let mut out = Vec::with_capacity(values.len() * 2);
        for v in values {
            v.push_words(&mut out);
        }
        out
    }

    /// The values of types `types` whose packed slot words are `words`; `None` if the number
    /// of words does not match.
    pub fn from_words(types: &[ValType], words: &[u32]) -> Option<Vec<Value>> {
        if words.len() != ValType::slots_of(types) as usize {
            return None;
        }
        let mut at = 0;
        Some(
            types
                .iter()
                .map(|t| {
                    let mut bits = words[at] as u64;
                    if t.is_wide() {
                        bits |= (words[at + 1] as u64) << 32;
                    }
                    at += t.slots() as usize;
                    Value::from_bits(*t, bits)
                })
                .collect(),
        )
    }
}

impl std::fmt::Display for Value {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            Value::I32(v) => write!(f, "{v}"),
            Value::I64(v) => write!(f, "{v}"),
            Value::FuncRef(None) | Value::ExternRef(None) => write!(f, "null"),
            Value::FuncRef(Some(a)) => write!(f, "func@{a}"),
            Value::ExternRef(Some(a)) => write!(f, "extern:{a}"),
        }
    }
}

/// Why a run or an instantiation did not complete.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExecError {
    /// The module does not export a function of that name.
    #[error("no exported function named `{0}`")]
    NoSuchExport(String),
    /// Wrong number of arguments (for [`run`] and [`run_traced`], of argument words).
    #[error("`{entry}` takes {expected} argument(s), {got} given")]
    ArgCount {
        /// Entry name.
        entry: String,
        /// Parameters the function declares.
        expected: usize,
        /// Arguments given.
        got: usize,
    },
    /// An argument of the wrong type (or, for [`run`] and [`run_traced`], a signature with
    /// reference types, or the wrong number of argument words for an `i64` signature).
    #[error("`{entry}`: {why}")]
    ArgType {
        /// Entry name.
        entry: String,
        /// What is wrong.
        why: String,
    },
    /// The program trapped.
    #[error("trap: {kind} in function `{func}` at pc {pc} (wasm offset {offset:#x}) after {cycle} cycles")]
    Trap {
        /// What happened.
        kind: TrapKind,
        /// Gloam pc of the trapping instruction.
        pc: u32,
        /// Name of the WebAssembly function.
        func: String,
        /// Byte offset of the WebAssembly instruction.
        offset: u32,
        /// Cycle at which it trapped.
        cycle: u64,
    },
    /// The fuel ran out.
    #[error("out of fuel: the run did not finish within {fuel} cycles")]
    OutOfFuel {
        /// The fuel limit.
        fuel: u64,
    },
    /// An import that neither the host registry nor a registered instance provides.
    #[error("unknown import `{module}.{name}`")]
    UnknownImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
    },
    /// An import whose provider has the wrong kind or type.
    #[error("incompatible import type for `{module}.{name}`: {why}")]
    IncompatibleImport {
        /// Import module.
        module: String,
        /// Import name.
        name: String,
        /// The mismatch.
        why: String,
    },
    /// A module needs more memory or table space than the configured limits allow.
    #[error("resource limit: {0}")]
    ResourceLimit(String),
    /// The traced run reached an instruction the AIR does not cover yet.
    #[error("function `{func}` executes `{instr}` (wasm offset {offset:#x}), which Gloam cannot prove yet (`gloam run` executes it; the AIR covers i32 arithmetic, locals, control flow and direct calls)")]
    NotProvable {
        /// The instruction (WebAssembly mnemonic where one exists).
        instr: String,
        /// Name of the WebAssembly function.
        func: String,
        /// Byte offset of the WebAssembly instruction.
        offset: u32,
    },
    /// A jump or return left the program or its call stack (only possible for hand-made
    /// programs).
    #[error("control left the program or its call stack (pc {0})")]
    PcOutOfRange(u32),
    /// The consumer of a chunked traced run (`run_traced_chunks_io`) stopped it.
    #[error("the traced run was stopped by its consumer")]
    Stopped,
}

impl ExecError {
    /// Whether instantiation failed while linking (unknown or incompatible import).
    pub fn is_link_error(&self) -> bool {
        matches!(
            self,
            ExecError::UnknownImport { .. } | ExecError::IncompatibleImport { .. }
        )
    }

    /// The trap, if this is one.
    pub fn trap_kind(&self) -> Option<TrapKind> {
        match self {
            ExecError::Trap { kind, .. } => Some(*kind),
            _ => None,
        }
    }
}

/// The result of a completed run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// The entry function's result words (packed: one per `i32`, two per `i64`, low word
    /// first), as it leaves them in slots `0..`.
    pub results: Vec<u32>,
    /// Cycles executed (instructions, excluding the final `HALT`).
    pub cycles: u64,
    /// WebAssembly instructions these cycles account for (see `Program::wasm_weight`).
    pub wasm_instrs: u64,
    /// The journal: the bytes the run passed to `gloam.commit`, in order
    /// (`gloam_isa::io`; empty for a module that does not import it).
    pub journal: Vec<u8>,
}

/// A run's input streams for the contract interface (`gloam_isa::io`).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct IoInput {
    /// What `gloam.read_public` reads (part of a proof's statement).
    pub public: Vec<u8>,
    /// What `gloam.read_private` reads (never part of a statement).
    pub private: Vec<u8>,
}

/// One recorded cycle: 14 words, 56 bytes.
///
/// Loads, stores and the global moves reuse the three accesses for words that are not frame
/// slots: a load reads its first memory word as `b`, a store writes it as `c`, `global.get`
/// reads the global word as `b`, `global.set` writes it as `c`; the second memory word of an
/// access that crosses a 4-byte boundary is the fourth access `d`.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq)]
pub struct Step {
    /// Program counter.
    pub pc: u32,
    /// Frame pointer.
    pub fp: u32,
    /// Value read from slot `fp + a`.
    pub a: u32,
    /// Operand `B` (read from slot `fp + b`, the immediate, or the value written to it).
    pub b: u32,
    /// Value slot `fp + b` held before this cycle's write to it (only for writes).
    pub b_prev: u32,
    /// Value written to slot `fp + c`.
    pub c: u32,
    /// Value slot `fp + c` held before the write.
    pub c_prev: u32,
    /// Timestamp of the access to slot `fp + a` that this read follows.
    pub pts_a: u32,
    /// Likewise for slot `fp + b`.
    pub pts_b: u32,
    /// Likewise for slot `fp + c`.
    pub pts_c: u32,
    /// Second memory word of a load or store that crosses a 4-byte boundary: its value after
    /// the access (a load leaves it unchanged).
    pub d: u32,
    /// Its value before the access.
    pub d_prev: u32,
    /// Timestamp of the access to that word that this one follows.
    pub pts_d: u32,
    /// Effective byte address `A + imm` of a load or store.
    pub ea: u32,
}

/// The execution trace of a completed run.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct ExecTrace {
    /// One step per cycle (`cycles` entries).
    pub steps: Vec<Step>,
    /// Final value of every slot `0..slots_used`.
    pub final_values: Vec<u32>,
    /// Timestamp of the last access to every slot (0 if never accessed).
    pub final_ts: Vec<u32>,
    /// Every global word the run accessed: `(word, final value, last-access timestamp)`,
    /// sorted by word.
    pub globals: Vec<(u32, u32, u32)>,
    /// Every 4-byte word of linear memory the run accessed: `(word address = byte address / 4,
    /// final value (little-endian), last-access timestamp)`, sorted by address.
    pub memory: Vec<(u32, u32, u32)>,
}

impl ExecTrace {
    /// Number of slots the run touched (the memory table's size).
    pub fn slots_used(&self) -> usize {
        self.final_values.len()
    }
}
