//! The WebAssembly front end: validation with `wasmparser`, then lowering of each function body
//! to Gloam's three-address form.
//!
//! The operand stack is resolved at compile time: every stack position `i` of a function has a
//! canonical frame slot `t0 + i`, and a *virtual stack* remembers, for each position, whether
//! the value is already in its canonical slot, still sits in a local's slot, or is a constant.
//! Instructions then read their operands straight from locals and immediates, so
//! `local.get a; local.get b; i32.add; local.set c` lowers to the single instruction
//! `add c, a, b`. At control-flow boundaries the virtual stack is flushed to canonical slots.
//!
//! The translator's stages, one file each:
//!
//! | stage | file |
//! |---|---|
//! | validation, sections → [`ModuleInfo`](crate::ModuleInfo), signatures and locals | `module.rs` |
//! | the program being built: instructions, weights, origins, call fixups | `emit.rs` |
//! | one function body: lowerer state, frame layout, instruction primitives | `func/mod.rs` |
//! | the virtual stack, canonical slots, flushing, `local.set` | `func/stack.rs` |
//! | blocks, branches, `else`/`end`, returns, calls | `func/control.rs` |
//! | the operator dispatch | `func/visit.rs` |
//! | one-instruction numeric lowerings (with constant folding) | `func/numeric.rs` |
//! | memory, globals, tables, `ref.func` | `func/storage.rs` |
//! | multi-instruction expansions (`shr_s`, `div_s`/`rem_s`, bit counts, `select`) | `func/expand.rs` |
//! | `i64` operators in 32-bit instructions (two slots per value) | `func/wide.rs` |
//! | out-of-line `i64` helpers (division, bit counts), written in WebAssembly | `helpers.rs`, `helpers.wat` |
//! | tables no run can change, for `call_indirect` as direct calls | `tables.rs` |
//! | start wrappers (`call $start` then the export), the entries proofs of a module with a start function cover | `func/mod.rs` |
//!
//! Every value occupies 32-bit slots: one for an `i32` or a reference, two for an `i64` (low
//! word, then high word). Locals, parameters, results and the operand stack are packed: a
//! value starts right after the previous one (see [`Function`](crate::Function)).
//!
//! The lowered program is what the program hash covers, so any change here re-identifies
//! every contract; `isa/tests/program_hash.rs` pins the example contracts' hashes.

mod emit;
mod func;
mod helpers;
mod io;
mod module;
mod tables;

use wasmparser::Validator;

use crate::program::{Function, Program, ProgramError};

/// Why a module cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FrontendError {
    /// A module imports the contract interface (`crate::io`) without a memory of its own,
    /// where the interface reads and writes.
    #[error("the module imports `gloam.{0}` but defines no memory of its own: the contract interface copies bytes to and from the module's memory")]
    IoWithoutMemory(String),
    /// The bytes are not a valid WebAssembly 2.0 module (malformed or failing validation).
    #[error("invalid WebAssembly module: {0}")]
    InvalidWasm(String),
    /// The text is not valid WebAssembly text format.
    #[error("invalid WebAssembly text: {0}")]
    InvalidWat(String),
    /// A floating-point or SIMD instruction: Gloam supports integer WebAssembly 2.0 only.
    #[error("function `{func}` (index {index}) uses `{instr}` at byte offset {offset:#x}: floating-point and SIMD instructions are not supported (Gloam runs integer WebAssembly 2.0)")]
    UnsupportedInstruction {
        /// Function name.
        func: String,
        /// Function index (function index space, imports first).
        index: u32,
        /// The instruction's WebAssembly mnemonic.
        instr: String,
        /// Byte offset in the module.
        offset: usize,
    },
    /// A float or SIMD type in a signature, local, global or import.
    #[error("`{func}` (index {index}) uses type `{ty}`: floating-point and SIMD types are not supported (Gloam runs integer WebAssembly 2.0)")]
    UnsupportedType {
        /// Function, global or import naming the type.
        func: String,
        /// Its index.
        index: u32,
        /// The type.
        ty: String,
    },
    /// A function declares more locals than Gloam's frame layout allows.
    #[error("function `{func}` (index {index}) declares more than 65535 locals")]
    TooManyLocals {
        /// Function name.
        func: String,
        /// Function index.
        index: u32,
    },
    /// The lowered program breaks a structural limit.
    #[error(transparent)]
    Program(#[from] ProgramError),
}

impl FrontendError {
    /// Whether the module was refused only for using floating point or SIMD (as opposed to
    /// being malformed, invalid or too large).
    pub fn is_float_or_simd(&self) -> bool {
        matches!(
            self,
            FrontendError::UnsupportedInstruction { .. } | FrontendError::UnsupportedType { .. }
        )
    }
}

/// Loads a module given as binary WebAssembly (`\0asm` magic) or WebAssembly text.
///
/// # Errors
/// [`FrontendError`] if the module is malformed, invalid or uses floats or SIMD.
pub fn load_module(bytes: &[u8]) -> Result<Program, FrontendError> {
    if bytes.starts_with(b"\0asm") {
        lower_wasm(bytes)
    } else {
        let wasm = wat::parse_bytes(bytes).map_err(|e| FrontendError::InvalidWat(e.to_string()))?;
        lower_wasm(&wasm)
    }
}

fn invalid(e: impl std::fmt::Display) -> FrontendError {
    FrontendError::InvalidWasm(e.to_string())
}

/// Validates and lowers a binary WebAssembly module.
///
/// # Errors
/// [`FrontendError`] if the module is malformed, invalid or uses floats or SIMD.
pub fn lower_wasm(wasm: &[u8]) -> Result<Program, FrontendError> {
    Validator::new_with_features(module::wasm2_features())
        .validate_all(wasm)
        .map_err(invalid)?;
    let mut parsed = module::read(wasm)?;
    let n_imp = parsed.module.num_func_imports;
    if parsed.module.memory.is_none() {
        if let Some(f) = crate::io::imported_io(&parsed.module)
            .into_iter()
            .flatten()
            .next()
        {
            return Err(FrontendError::IoWithoutMemory(f.name().to_string()));
        }
    }

    let mut out = emit::Emitter::new();
    let mut functions: Vec<Function> = Vec::with_capacity(parsed.bodies.len());
    let mut local_types = std::mem::take(&mut parsed.local_types);
    for (idx, body) in parsed.bodies.iter().enumerate() {
        let local_wide = std::mem::take(&mut local_types[idx]);
        let site = func::Site {
            origin: idx as u32 + n_imp,
            helper: false,
            counted: true,
            in_place: false,
            io: false,
        };
        functions.push(func::lower(
            &mut out, &parsed, idx as u32, site, local_wide, body,
        )?);
    }
    // The helpers the code calls (and the helpers they call) and the `memory.init` functions
    // of the passive segments it initialises from, each once, after the module's own
    // functions.
    while let Some(target) = out.next_appended(functions.len() as u32) {
        let origin = n_imp + functions.len() as u32;
        let f = match target {
            emit::Target::Helper(j) => {
                let h = &helpers::helpers().parsed;
                let site = func::Site {
                    origin,
                    helper: true,
                    counted: false,
                    in_place: false,
                    io: false,
                };
                let local_wide = h.local_types[j as usize].clone();
                func::lower(&mut out, h, j, site, local_wide, &h.bodies[j as usize])?
            }
            emit::Target::DataInit(seg) => func::lower_data_init(&mut out, &parsed, seg, origin)?,
            emit::Target::Table(op) => func::lower_table_op(&mut out, &parsed, op, origin)?,
            emit::Target::Dispatch { table, type_index } => {
                func::lower_dispatch(&mut out, &parsed, table, type_index, origin)?
            }
            emit::Target::Io(f) => func::lower_io(&mut out, &parsed, f, origin)?,
            emit::Target::Func(_) => unreachable!("the module's functions are lowered above"),
        };
        functions.push(f);
    }
    // With a defined start function or an import of `gloam.commit`: per exported function,
    // its entry wrapper (the entry a proof covers, `Program::proof_entry`), after the
    // helpers: the start function, the export, then the journal's end check.
    let mut start_entries = Vec::new();
    let start = parsed.module.start.filter(|s| *s >= n_imp);
    let commits = crate::io::imports(&parsed.module, crate::io::IoFn::Commit);
    if start.is_some() || commits {
        for (name, target) in &parsed.exports {
            start_entries.push((name.clone(), functions.len() as u32));
            functions.push(func::lower_start_wrapper(
                &mut out, &parsed, start, *target, name, commits,
            )?);
        }
        // The journal's end check the wrappers call, if not lowered yet.
        while let Some(target) = out.next_appended(functions.len() as u32) {
            let origin = n_imp + functions.len() as u32;
            match target {
                emit::Target::Io(f) => {
                    functions.push(func::lower_io(&mut out, &parsed, f, origin)?)
                }
                other => unreachable!("an entry wrapper calls only its functions: {other:?}"),
            }
        }
    }
    let commit_fn = out.appended_index(emit::Target::Io(crate::io::IoFn::Commit));
    let (instrs, wasm_weight, origin, func_relocs) = out.finish(&functions);
    let program = Program {
        instrs,
        functions,
        start_entries,
        commit_fn,
        word_tables: parsed.word_tables,
        data_words: parsed.data_words,
        func_relocs,
        exports: parsed.exports,
        wasm_weight,
        origin,
        module: parsed.module,
    };
    program.validate()?;
    Ok(program)
}

/// Turns `wasmparser`'s operator name (`I64Add`) into WebAssembly's mnemonic (`i64.add`).
fn wasm_mnemonic(debug_name: &str) -> String {
    let prefixes = [
        "I8x16", "I16x8", "I32x4", "I64x2", "F32x4", "F64x2", "I32", "I64", "F32", "F64", "V128",
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
