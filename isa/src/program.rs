//! A lowered Gloam program, its validation and its program hash.

use serde::{Deserialize, Serialize};

use crate::isa::{Instr, Op, HALT_PC};
use crate::module::ModuleInfo;

/// One lowered function and its frame layout.
///
/// Every slot holds a 32-bit word. A value occupies one slot (`i32`, references) or two
/// (`i64`: low word, then high word), and lists of values are *packed*: value `i` starts at
/// slot `sum_{j<i} width_j`.
///
/// Frame layout (slot offsets from the function's `fp`): the parameters packed in
/// `0..param_slots`; the declared locals packed from `param_slots` (`L` slots); the saved
/// return pc at `ra_slot = max(param_slots + L, result_slots)` and the saved caller `fp` at
/// `ra_slot + 1`; then the operand-stack temporaries, packed the same way (stack position `i`
/// starts at `ra_slot + 2` plus the widths of the positions below it), and scratch slots, up
/// to `frame_size`. Results are returned packed in slots `0..result_slots`. A caller puts the
/// arguments of a call in consecutive slots, which become the callee's slots `0..`, and finds
/// the results there.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Function {
    /// Debug name (an export name), `func[i]`, or the helper's name for the front end's
    /// helper functions.
    pub name: String,
    /// First instruction of the function.
    pub entry_pc: u32,
    /// Slots of the parameters (packed: 2 per `i64`, 1 per other value).
    pub param_slots: u32,
    /// Slots of the results (packed likewise).
    pub result_slots: u32,
    /// Slot of the saved return pc (the saved `fp` is the next slot).
    pub ra_slot: u32,
    /// Number of slots the frame uses.
    pub frame_size: u32,
}

/// Where a Gloam instruction came from: function index and byte offset in the module.
#[derive(Clone, Copy, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Origin {
    /// Index of the WebAssembly function (function index space, imports first); for an
    /// instruction of a front-end helper function, the number of imported functions plus the
    /// helper's index in [`Program::functions`].
    pub func: u32,
    /// Byte offset of the WebAssembly instruction in the module (in the helper module's own
    /// bytes for a helper function).
    pub offset: u32,
}

/// A lowered program: flat instructions plus the function table.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Program {
    /// Instructions; index = pc. `instrs[0]` is `HALT`.
    pub instrs: Vec<Instr>,
    /// The module's defined functions in WebAssembly index order, then the front end's
    /// helper functions (out-of-line parts of the `i64` lowering: division and bit counts),
    /// which only `call` instructions reach and no export names.
    pub functions: Vec<Function>,
    /// Exported functions: (export name, function index), sorted by name.
    pub exports: Vec<(String, u32)>,
    /// For a module with a (defined) start function: per exported function, in the order of
    /// [`Program::exports`], (export name, index of its *start wrapper*), a function of the
    /// export's type that calls the start function, then the export. Empty otherwise. See
    /// [`Program::proof_entry`].
    #[serde(default)]
    pub start_entries: Vec<(String, u32)>,
    /// The function index of the lowered `gloam.commit` (`crate::io`), if the program calls
    /// it: the executor records the journal when a run calls it. Not part of the statement
    /// (the executor is not trusted; a verifier lowers its own program).
    #[serde(default)]
    pub commit_fn: Option<u32>,
    /// The tables held in global words (`crate::image::table_words`), in table index order,
    /// with each one's capacity; `None` when the module keeps its tables (and element
    /// segments) in the executor only. With `Some`, every element segment also has a length
    /// word (`crate::image::elem_length_word`), even if the list is empty.
    #[serde(default)]
    pub word_tables: Option<Vec<WordTable>>,
    /// The passive data segments whose bytes are held in global words
    /// (`crate::image::segment_words`), ascending: those a `memory.init` copies from that are
    /// longer than [`crate::image::MAX_JUMP_TABLE_SEGMENT`] bytes or come after the jump
    /// tables of the shorter ones have filled a quarter of the instruction limit (the others
    /// are jump tables of constants).
    #[serde(default)]
    pub data_words: Vec<u32>,
    /// The pcs of the instructions whose immediate is relative to the module's first
    /// function's store address: a `const` of a function reference (`ref.func f` is
    /// `f + 1`) or a `sub` of `1`, the start of the dispatch of a `call_indirect` through a
    /// word table. An executor instantiating the module where its functions do not start at
    /// store address 0 (a store that holds other instances or host functions) adds that
    /// address to each; in a proof's store (a fresh one for a module without imports but the
    /// contract interface's, the only modules that have relocations) it is 0, so the AIR never
    /// sees a relocation. Not part of the program hash, like the side tables.
    #[serde(default)]
    pub func_relocs: Vec<u32>,
    /// Per pc: how many WebAssembly instructions this instruction accounts for (for the
    /// cycles-per-instruction report; not part of the program hash).
    pub wasm_weight: Vec<u32>,
    /// Per pc: source location (not part of the program hash).
    pub origin: Vec<Origin>,
    /// Types, imports, tables, memory, globals, all exports, segments and start function.
    pub module: ModuleInfo,
}

/// A table held in global words: `table.get`, `table.set`, `table.size`, `table.grow`,
/// `table.fill`, `table.copy`, `table.init` and `call_indirect` through it are lowered into
/// instructions the AIR covers (`crate::image::table_words` gives its words).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct WordTable {
    /// Index of the table (table index space; the module imports no table).
    pub table: u32,
    /// Entries the table can grow to: its initial size if the module neither grows nor
    /// exports it, else its declared maximum, at most
    /// [`crate::image::MAX_WORD_TABLE_ENTRIES`] (`table.grow` beyond it fails with -1, which
    /// WebAssembly allows, §4.4.6).
    pub capacity: u32,
}

/// A 32-byte blake3 digest identifying a program.
#[derive(Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
pub struct ProgramHash(pub [u8; 32]);

impl std::fmt::Debug for ProgramHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "ProgramHash({self})")
    }
}

impl std::fmt::Display for ProgramHash {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        for b in self.0 {
            write!(f, "{b:02x}")?;
        }
        Ok(())
    }
}

/// Why a [`Program`] is not well formed.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProgramError {
    /// The program is empty or does not start with `HALT`.
    #[error("program must start with a HALT instruction at pc 0")]
    MissingHalt,
    /// Instruction fields that the opcode does not allow.
    #[error("instruction {pc} ({instr}) is malformed: {why}")]
    BadInstr {
        /// Program counter.
        pc: u32,
        /// The instruction.
        instr: String,
        /// Reason.
        why: &'static str,
    },
    /// The function table is inconsistent.
    #[error("function {0} is malformed")]
    BadFunction(u32),
    /// The start wrappers do not match the exports and the start function.
    #[error("program's start wrappers do not match its exports and start function")]
    BadStartEntries,
    /// Side tables have the wrong length, or a relocation names an instruction that has
    /// none.
    #[error("program side tables do not match the instruction count")]
    BadSideTables,
    /// The tables held in global words are not tables of the module, not ascending, larger
    /// than allowed or smaller than their initial size, or the module has imports.
    #[error("program's word tables do not match its module")]
    BadWordTables,
    /// More instructions than the prover supports.
    #[error("program has {0} instructions; at most {max} are supported", max = Program::MAX_INSTRS)]
    TooLarge(usize),
    /// The module's global words (globals, tables and segments held in words) would reach
    /// the contract interface's words (`crate::io::IO_WORD`).
    #[error("module needs {0} global words; at most 2^31 are supported")]
    TooManyGlobalWords(u64),
}

impl Program {
    /// Largest supported program (instructions): the program table is a periodic column and
    /// must fit in the shortest trace.
    pub const MAX_INSTRS: usize = 1 << 16;

    /// Checks the structural rules the executor and the AIR rely on.
    ///
    /// # Errors
    /// [`ProgramError`] naming the first violation.
    pub fn validate(&self) -> Result<(), ProgramError> {
        let n = self.instrs.len();
        if n >= Self::MAX_INSTRS {
            return Err(ProgramError::TooLarge(n));
        }
        if self.instrs.first().map(|i| i.op) != Some(Op::Halt) {
            return Err(ProgramError::MissingHalt);
        }
        if self.wasm_weight.len() != n || self.origin.len() != n {
            return Err(ProgramError::BadSideTables);
        }
        let bad = |pc: usize, i: &Instr, why| ProgramError::BadInstr {
            pc: pc as u32,
            instr: i.to_string(),
            why,
        };
        let global_words = crate::image::global_words(self);
        if global_words as u64 > crate::io::IO_WORD as u64 {
            return Err(ProgramError::TooManyGlobalWords(global_words as u64));
        }
        let io = crate::io::imported_io(&self.module)
            .iter()
            .any(Option::is_some);
        let io_word = |w: u32| {
            io && (crate::io::IO_WORD..crate::io::IO_WORD + crate::io::CONTROL_WORDS).contains(&w)
        };
        let io_bytes =
            |w: u32| io && (w == crate::io::PUBLIC_WORDS || w == crate::io::JOURNAL_WORDS);
        let size_word = crate::image::memory_size_word(&self.module);
        let table_words = crate::image::table_words(self);
        let segment_words = crate::image::segment_words(self);
        for (pc, i) in self.instrs.iter().enumerate() {
            if i.b_imm && !i.op.allows_b_imm() {
                return Err(bad(pc, i, "immediate B operand not allowed"));
            }
            let target_ok = (i.imm as usize) < n;
            match i.op {
                Op::Jmp | Op::Brz | Op::Brnz | Op::JTab | Op::Call if !target_ok => {
                    return Err(bad(pc, i, "jump target out of range"))
                }
                Op::Call if !self.functions.iter().any(|f| f.entry_pc == i.imm) => {
                    return Err(bad(pc, i, "call target is not a function entry"))
                }
                Op::CallImport if i.imm >= self.module.num_func_imports => {
                    return Err(bad(pc, i, "call_import of a function that is not imported"))
                }
                // The statement's lengths are read-only.
                Op::GlobalSet
                    if i.imm == crate::io::PUBLIC_LEN || i.imm == crate::io::JOURNAL_LEN =>
                {
                    return Err(bad(pc, i, "global.set of a length the statement fixes"))
                }
                Op::GlobalGet | Op::GlobalSet if i.imm >= global_words && !io_word(i.imm) => {
                    return Err(bad(pc, i, "global word out of range"))
                }
                // A data segment's words are read by `global.get_at` only.
                Op::GlobalGet | Op::GlobalSet
                    if segment_words
                        .iter()
                        .any(|s| (s.first_word..s.first_word + s.words).contains(&i.imm)) =>
                {
                    return Err(bad(pc, i, "global access of a data segment's word"))
                }
                // An indexed access starts at entry 0 of a table held in global words, or
                // (a read) at the first word of a data segment held in global words; the code
                // before it checks the index against the table's size or the segment's length.
                Op::GlobalGetAt
                    if !table_words.iter().any(|t| t.entry(0) == i.imm)
                        && !segment_words.iter().any(|s| s.first_word == i.imm)
                        && !io_bytes(i.imm) =>
                {
                    return Err(bad(
                        pc,
                        i,
                        "indexed global read outside a table or data segment",
                    ))
                }
                Op::GlobalSetAt if !table_words.iter().any(|t| t.entry(0) == i.imm) => {
                    return Err(bad(pc, i, "indexed global write outside a table's entries"))
                }
                // The word after the memory-size word is padding, always zero; the size word
                // exists only with a memory.
                Op::GlobalSet
                    if i.imm == size_word + 1
                        || (i.imm == size_word && self.module.memory.is_none()) =>
                {
                    return Err(bad(pc, i, "global.set of a word that holds no state"))
                }
                _ => {}
            }
        }
        for &pc in &self.func_relocs {
            let ok = self
                .instrs
                .get(pc as usize)
                .is_some_and(|i| i.op == Op::Const || (i.op == Op::Sub && i.b_imm));
            if !ok {
                return Err(ProgramError::BadSideTables);
            }
        }
        if let Some(tables) = &self.word_tables {
            let n_tables = self.module.tables.len() as u32;
            let ascending = tables.windows(2).all(|w| w[0].table < w[1].table);
            let ok = crate::io::only_io_imports(&self.module)
                && ascending
                && tables.iter().all(|t| {
                    t.table < n_tables
                        && t.capacity <= crate::image::MAX_WORD_TABLE_ENTRIES
                        && self.module.tables[t.table as usize].limits.min <= t.capacity
                });
            if !ok {
                return Err(ProgramError::BadWordTables);
            }
        }
        let passive = |s: u32| {
            self.module
                .datas
                .get(s as usize)
                .is_some_and(|d| matches!(d.mode, crate::module::SegmentMode::Passive))
        };
        if !self.data_words.windows(2).all(|w| w[0] < w[1])
            || !self.data_words.iter().all(|&s| passive(s))
        {
            return Err(ProgramError::BadSideTables);
        }
        for (idx, f) in self.functions.iter().enumerate() {
            if f.entry_pc as usize >= n
                || f.entry_pc == HALT_PC
                || f.ra_slot + 2 > f.frame_size
                || f.param_slots.max(f.result_slots) > f.ra_slot
            {
                return Err(ProgramError::BadFunction(idx as u32));
            }
        }
        // The module's defined functions have the frame layout of their types (the helper
        // functions after them have no WebAssembly type).
        let defined =
            (self.module.func_types.len() as u32).saturating_sub(self.module.num_func_imports);
        for idx in 0..defined.min(self.functions.len() as u32) {
            let f = &self.functions[idx as usize];
            let ok = self.defined_sig(idx).is_some_and(|sig| {
                crate::module::ValType::slots_of(&sig.params) == f.param_slots
                    && crate::module::ValType::slots_of(&sig.results) == f.result_slots
            });
            if !ok {
                return Err(ProgramError::BadFunction(idx));
            }
        }
        for (_, idx) in &self.exports {
            if *idx as usize >= self.functions.len() {
                return Err(ProgramError::BadFunction(*idx));
            }
        }
        // One start wrapper per export, of the export's frame shape, exactly when the module
        // has a defined start function.
        let defined_start = self
            .module
            .start
            .is_some_and(|s| s >= self.module.num_func_imports);
        let wrappers_ok = if defined_start || self.commits() {
            self.start_entries.len() == self.exports.len()
                && self.exports.iter().zip(&self.start_entries).all(
                    |((name, idx), (wname, widx))| {
                        let (Some(f), Some(w)) = (
                            self.functions.get(*idx as usize),
                            self.functions.get(*widx as usize),
                        ) else {
                            return false;
                        };
                        name == wname
                            && *widx >= defined
                            && w.param_slots == f.param_slots
                            && w.result_slots == f.result_slots
                    },
                )
        } else {
            self.start_entries.is_empty()
        };
        if !wrappers_ok {
            return Err(ProgramError::BadStartEntries);
        }
        Ok(())
    }

    /// The function a proof of a run of export `name` covers, run from the module's state
    /// before its start function: the export itself, or, for a module with a start function,
    /// its start wrapper (the start function's run, then the export's, in one trace; the
    /// statement's cycles count both). `None` if there is no such export.
    pub fn proof_entry(&self, name: &str) -> Option<(u32, &Function)> {
        if self.module.start.is_none() && !self.commits() {
            return self.export(name);
        }
        self.start_entries
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| (*i, &self.functions[*i as usize]))
    }

    /// Whether the module imports `gloam.commit` (`crate::io`): its proofs cover entry
    /// wrappers that end with the journal's end check.
    pub fn commits(&self) -> bool {
        crate::io::imports(&self.module, crate::io::IoFn::Commit)
    }

    /// The function exported under `name`.
    pub fn export(&self, name: &str) -> Option<(u32, &Function)> {
        self.exports
            .iter()
            .find(|(n, _)| n == name)
            .map(|(_, i)| (*i, &self.functions[*i as usize]))
    }

    /// The canonical byte encoding hashed into the program hash: a domain tag, the
    /// instructions (opcode, immediate flag, `a`, `b`, `c`, `imm` as little-endian `u32`), the
    /// function and export tables, and the module state ([`ModuleInfo`], bincode-encoded:
    /// types, imports, tables, memory, globals, segments, start), then, for a module with a
    /// start function, the start wrappers' table ([`Program::start_entries`]), then, for a
    /// module whose tables are held in global words, a tag and [`Program::word_tables`], then,
    /// for a module with data segments held in global words, a tag and
    /// [`Program::data_words`]. Names
    /// other than export and import names are not included.
    pub fn canonical_bytes(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(16 + self.instrs.len() * 18);
        out.extend_from_slice(b"gloam-program-v2");
        out.extend_from_slice(&(self.instrs.len() as u32).to_le_bytes());
        for i in &self.instrs {
            out.push(i.op as u8);
            out.push(i.b_imm as u8);
            for v in [i.a, i.b, i.c, i.imm] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.functions.len() as u32).to_le_bytes());
        for f in &self.functions {
            for v in [
                f.entry_pc,
                f.param_slots,
                f.result_slots,
                f.ra_slot,
                f.frame_size,
            ] {
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
        out.extend_from_slice(&(self.exports.len() as u32).to_le_bytes());
        for (name, idx) in &self.exports {
            out.extend_from_slice(&(name.len() as u32).to_le_bytes());
            out.extend_from_slice(name.as_bytes());
            out.extend_from_slice(&idx.to_le_bytes());
        }
        let module = bincode::serialize(&self.module).expect("in-memory encoding cannot fail");
        out.extend_from_slice(&(module.len() as u64).to_le_bytes());
        out.extend_from_slice(&module);
        // After the length-prefixed module, and only for a module with a start function (so
        // other programs keep their hashes).
        if !self.start_entries.is_empty() {
            out.extend_from_slice(&(self.start_entries.len() as u32).to_le_bytes());
            for (name, idx) in &self.start_entries {
                out.extend_from_slice(&(name.len() as u32).to_le_bytes());
                out.extend_from_slice(name.as_bytes());
                out.extend_from_slice(&idx.to_le_bytes());
            }
        }
        // Likewise only when present, after a tag (the start wrappers' table has none).
        if let Some(tables) = &self.word_tables {
            out.extend_from_slice(b"word-tables");
            out.extend_from_slice(&(tables.len() as u32).to_le_bytes());
            for t in tables {
                out.extend_from_slice(&t.table.to_le_bytes());
                out.extend_from_slice(&t.capacity.to_le_bytes());
            }
        }
        if !self.data_words.is_empty() {
            out.extend_from_slice(b"data-words");
            out.extend_from_slice(&(self.data_words.len() as u32).to_le_bytes());
            for s in &self.data_words {
                out.extend_from_slice(&s.to_le_bytes());
            }
        }
        out
    }

    /// The signature of the function exported under `name`.
    pub fn export_sig(&self, name: &str) -> Option<&crate::module::FuncSig> {
        self.export(name).and_then(|(idx, _)| self.defined_sig(idx))
    }

    /// The first function-index-space signature of a defined function `idx` (0-based among
    /// defined functions).
    pub fn defined_sig(&self, idx: u32) -> Option<&crate::module::FuncSig> {
        self.module.func_sig(self.module.num_func_imports + idx)
    }

    /// blake3 of [`Program::canonical_bytes`]: the identity of the contract.
    pub fn hash(&self) -> ProgramHash {
        ProgramHash(*blake3::hash(&self.canonical_bytes()).as_bytes())
    }

    /// A readable listing, one instruction per line with its pc.
    pub fn disassemble(&self) -> String {
        let mut s = String::new();
        for (pc, i) in self.instrs.iter().enumerate() {
            if let Some(f) = self.functions.iter().find(|f| f.entry_pc as usize == pc) {
                s.push_str(&format!("{}:\n", f.name));
            }
            s.push_str(&format!("{pc:6}  {i}\n"));
        }
        s
    }
}
