//! # gloam-isa
//!
//! Gloam's instruction set, the WebAssembly front end that lowers modules to it, and the
//! program hash that identifies a contract.
//!
//! Pipeline position: `isa` → `executor` → `air` → `prover`; the `verifier` needs only `isa`
//! and `air`.
#![deny(missing_docs)]

pub mod frontend;
pub mod image;
pub mod io;
pub mod isa;
pub mod module;
pub mod program;
pub mod semantics;
pub mod statement;

pub use frontend::{load_module, lower_wasm, FrontendError};
pub use image::{initial_global_words, initial_memory_words};
pub use io::{IoFn, PublicIo};
pub use isa::{trap_code, Instr, Op, HALT_PC};
pub use module::{
    ConstExpr, DataSegment, ElemSegment, Export, ExportKind, FuncSig, GlobalType, Import,
    ImportKind, ModuleInfo, SegmentMode, TableType, ValType,
};
pub use program::{Function, Origin, Program, ProgramError, ProgramHash, WordTable};
pub use semantics::{eval_binary, TrapKind};
pub use statement::{
    check_setup, check_types, value_words, values_from_words, IntValue, SetupError,
};
