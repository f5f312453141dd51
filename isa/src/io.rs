//! The contract interface: the host functions a contract imports from module `gloam` to read
//! its public and private inputs and to append to its journal, and where their state lives
//! in the global words a proof's memory argument covers.
//!
//! ```text
//! (import "gloam" "read_public"  (func (param i32 i32) (result i32)))  ;; (ptr, len) -> bytes copied
//! (import "gloam" "read_private" (func (param i32 i32) (result i32)))  ;; (ptr, len) -> bytes copied
//! (import "gloam" "commit"       (func (param i32 i32)))               ;; (ptr, len): append to the journal
//! ```
//!
//! `read_public` / `read_private` copy the next `min(len, left)` bytes of the public /
//! private input stream to linear memory at `ptr` and return that count (0 at the end of the
//! stream); `commit` appends the `len` bytes at `ptr` to the journal. Each traps (out of
//! bounds memory access) unless `[ptr, ptr + len)` lies in the memory, even when nothing is
//! left to copy.
//!
//! The front end lowers a direct call of each into a call of a function written in
//! WebAssembly (`frontend/io.wat`) whose state is in the *IO words*, global words from
//! [`IO_WORD`] on, far above every word a program otherwise uses
//! ([`crate::image`]):
//!
//! | word | holds | initial value |
//! |---|---|---|
//! | `IO_WORD + 0` | public input length (bytes) | the statement's |
//! | `IO_WORD + 1` | public input cursor | 0 |
//! | `IO_WORD + 2` | journal length (bytes) | the statement's |
//! | `IO_WORD + 3` | journal cursor | 0 |
//! | `IO_WORD + 4` | private bytes left | 0 (set at the first `read_private`) |
//! | `IO_WORD + 5` | private input started (0 or 1) | 0 |
//! | `PUBLIC_WORDS + i` | public input byte `i` | the statement's |
//! | `JOURNAL_WORDS + i` | journal byte `i` | the statement's |
//!
//! One byte per word: a word is read only once its byte is known, whatever the order of the
//! calls, so the executor can record the journal as the run makes it (see below) and the
//! proof pays one memory-table row per byte. The public input and the journal are *initial*
//! values the verifier computes from the statement, like a data segment: the lowered
//! `read_public` reads them and `commit` compares each byte it is given with the journal's
//! next byte (trapping on a difference), and every export of a module importing `commit` is
//! proven through an entry wrapper that ends by checking that the journal cursor equals the
//! journal's length. So the proven statement fixes the journal exactly, and the memory
//! argument needs nothing new: no final value is public. The executor, which does not know the
//! journal in advance, appends `len` bytes from `ptr` to it when a run calls the lowered
//! `commit` function ([`crate::Program::commit_fn`]), before that function reads them: the
//! run's values are those of a run from the complete journal.
//!
//! The private input is never in the statement. `read_private` takes its length (once, at
//! the first call) and its bytes from [`crate::Op::Advice`], an instruction whose result the
//! prover chooses freely (a 32-bit value, range-checked like any): the contract's own checks
//! constrain them. The lowered code keeps the bytes left in an IO word, so every run a proof
//! accepts is the run of *some* private stream (its length and bytes those the advice gave).

use serde::{Deserialize, Serialize};

/// The first IO word (global word index): `2^31`, above every other global word a program
/// may have (the front end refuses a module whose words would reach it).
pub const IO_WORD: u32 = 1 << 31;
/// The public input length word.
pub const PUBLIC_LEN: u32 = IO_WORD;
/// The public input cursor word.
pub const PUBLIC_CURSOR: u32 = IO_WORD + 1;
/// The journal length word.
pub const JOURNAL_LEN: u32 = IO_WORD + 2;
/// The journal cursor word.
pub const JOURNAL_CURSOR: u32 = IO_WORD + 3;
/// The private-bytes-left word.
pub const PRIVATE_LEFT: u32 = IO_WORD + 4;
/// The private-input-started word.
pub const PRIVATE_STARTED: u32 = IO_WORD + 5;
/// Number of IO control words (`IO_WORD ..`).
pub const CONTROL_WORDS: u32 = 6;
/// Public input byte `i` is global word `PUBLIC_WORDS + i`.
pub const PUBLIC_WORDS: u32 = IO_WORD + (1 << 28);
/// Journal byte `i` is global word `JOURNAL_WORDS + i`.
pub const JOURNAL_WORDS: u32 = IO_WORD + (1 << 29);

/// The longest public input a statement may carry (bytes): 1 MiB. The verifier refuses a
/// longer one before anything else; the prover refuses such a run.
pub const MAX_PUBLIC_INPUT: usize = 1 << 20;
/// The longest journal a statement may carry (bytes): 1 MiB.
pub const MAX_JOURNAL: usize = 1 << 20;
/// The longest private input (bytes): 2^28 (its length must fit an `i32`; the prover's
/// memory bounds it long before).
pub const MAX_PRIVATE_INPUT: usize = 1 << 28;

/// What [`crate::Op::Advice`] gives, by its immediate.
pub mod advice {
    /// The private input's length in bytes.
    pub const PRIVATE_LENGTH: u32 = 0;
    /// The private input's next byte (the executor advances its cursor).
    pub const PRIVATE_BYTE: u32 = 1;
}

/// A host function of the contract interface.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
pub enum IoFn {
    /// `gloam.read_public(ptr, len) -> copied`.
    ReadPublic,
    /// `gloam.read_private(ptr, len) -> copied`.
    ReadPrivate,
    /// `gloam.commit(ptr, len)`.
    Commit,
    /// Not importable: the end-of-run check of the entry wrappers (the journal cursor equals
    /// the journal's length).
    JournalEnd,
}

impl IoFn {
    /// The importable functions.
    pub const IMPORTS: [IoFn; 3] = [IoFn::ReadPublic, IoFn::ReadPrivate, IoFn::Commit];

    /// The import's field name in module [`MODULE`] (and the function's name in
    /// `frontend/io.wat`).
    pub const fn name(self) -> &'static str {
        match self {
            IoFn::ReadPublic => "read_public",
            IoFn::ReadPrivate => "read_private",
            IoFn::Commit => "commit",
            IoFn::JournalEnd => "journal_end",
        }
    }

    /// The interface function imported as `module.name` with `(params, results)` (`i32`s),
    /// if it is one: the name must match and the signature must be exactly the interface's.
    pub fn of_import(module: &str, name: &str, params: usize, results: usize) -> Option<IoFn> {
        if module != MODULE {
            return None;
        }
        let f = Self::IMPORTS.into_iter().find(|f| f.name() == name)?;
        (f.shape() == (params, results)).then_some(f)
    }

    /// (`i32` parameters, `i32` results).
    pub const fn shape(self) -> (usize, usize) {
        match self {
            IoFn::ReadPublic | IoFn::ReadPrivate => (2, 1),
            IoFn::Commit => (2, 0),
            IoFn::JournalEnd => (0, 0),
        }
    }
}

/// The import module name of the contract interface.
pub const MODULE: &str = "gloam";

/// The public part of a run's inputs and outputs besides arguments and results: the public
/// input bytes and the journal bytes, both in the statement.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct PublicIo {
    /// The public input stream.
    pub public_input: Vec<u8>,
    /// The journal: the bytes the run committed, in order.
    pub journal: Vec<u8>,
}

impl PublicIo {
    /// The IO words a statement initialises to nonzero values: `(global word, value)` of the
    /// two lengths and of the nonzero public input and journal bytes, ascending.
    pub fn initial_words(&self) -> Vec<(u32, u32)> {
        let mut out = Vec::new();
        if !self.public_input.is_empty() {
            out.push((PUBLIC_LEN, self.public_input.len() as u32));
        }
        if !self.journal.is_empty() {
            out.push((JOURNAL_LEN, self.journal.len() as u32));
        }
        for (base, bytes) in [
            (PUBLIC_WORDS, &self.public_input),
            (JOURNAL_WORDS, &self.journal),
        ] {
            out.extend(
                bytes
                    .iter()
                    .enumerate()
                    .filter(|(_, b)| **b != 0)
                    .map(|(i, b)| (base + i as u32, *b as u32)),
            );
        }
        out
    }

    /// Checks the streams of a statement about `module`, as prover and verifier both do:
    /// the lengths against [`MAX_PUBLIC_INPUT`] and [`MAX_JOURNAL`], and a nonempty public
    /// input or journal only for a module importing `read_public` or `commit` (no run of
    /// another module reads or commits one, so no proof of such a statement exists).
    ///
    /// # Errors
    /// A message naming the stream refused.
    pub fn check_for(&self, module: &crate::ModuleInfo) -> Result<(), String> {
        if !self.public_input.is_empty() && !imports(module, IoFn::ReadPublic) {
            return Err(
                "a public input, but the module does not import `gloam.read_public`".into(),
            );
        }
        if !self.journal.is_empty() && !imports(module, IoFn::Commit) {
            return Err("a journal, but the module does not import `gloam.commit`".into());
        }
        self.check()
    }

    /// Checks the lengths against [`MAX_PUBLIC_INPUT`] and [`MAX_JOURNAL`].
    ///
    /// # Errors
    /// A message naming the stream that is too long.
    pub fn check(&self) -> Result<(), String> {
        if self.public_input.len() > MAX_PUBLIC_INPUT {
            return Err(format!(
                "public input of {} bytes exceeds the limit of {MAX_PUBLIC_INPUT}",
                self.public_input.len()
            ));
        }
        if self.journal.len() > MAX_JOURNAL {
            return Err(format!(
                "journal of {} bytes exceeds the limit of {MAX_JOURNAL}",
                self.journal.len()
            ));
        }
        Ok(())
    }
}

/// Per imported function of `module` (function index space order): the interface function
/// it is, if it is one (module [`MODULE`], an interface name, exactly the interface's
/// signature of `i32`s).
pub fn imported_io(module: &crate::ModuleInfo) -> Vec<Option<IoFn>> {
    module
        .imports
        .iter()
        .filter_map(|i| match i.kind {
            crate::ImportKind::Func(t) => Some((i, t)),
            _ => None,
        })
        .map(|(i, t)| {
            let sig = module.types.get(t as usize)?;
            let all_i32 = sig
                .params
                .iter()
                .chain(&sig.results)
                .all(|v| *v == crate::ValType::I32);
            if !all_i32 {
                return None;
            }
            IoFn::of_import(&i.module, &i.name, sig.params.len(), sig.results.len())
        })
        .collect()
}

/// Whether `module` imports the interface function `f`.
pub fn imports(module: &crate::ModuleInfo, f: IoFn) -> bool {
    imported_io(module).contains(&Some(f))
}

/// Whether every import of `module` is an interface function (so a proof may cover it);
/// true for a module without imports.
pub fn only_io_imports(module: &crate::ModuleInfo) -> bool {
    let io = imported_io(module);
    io.len() == module.imports.len() && io.iter().all(Option::is_some)
}
