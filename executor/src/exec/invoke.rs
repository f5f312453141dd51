//! Entry points: instantiation's start function, invocations, calls by store address
//! (including host functions and calls into other instances) and the traced run.
//!
//! `Store::instantiate`, `Store::invoke` and `Store::invoke_counted` are implemented here, not
//! in `store.rs`, so that the store never depends on the interpreters. Calls out of an
//! instance (imports, or `call_indirect` into another instance) come back here from the fast
//! interpreter through `Store::call_addr` and run a nested [`Fast`] machine.

use std::sync::Arc;

use gloam_isa::{Program, TrapKind, ValType};

use super::fast::Fast;
use super::traced::{TraceRun, Traced};
use crate::store::{ExternVal, FuncKind, InstanceId, Store};
use crate::{ExecError, ExecTrace, IoInput, Limits, Outcome, Step, Value};

/// Host re-entries (calls into another instance) allowed on the host stack at once.
const MAX_NESTING: u32 = 64;

impl Store {
    /// Instantiates `program`: resolves its imports by name among host definitions and
    /// registered instances (checking kinds and types, §4.5.3 "Import matching"), allocates
    /// its functions, tables, memory and globals, applies active element and data segments
    /// in order (a segment out of bounds traps, and earlier segments' writes to shared tables
    /// and memories stay, as the spec requires), and runs the start function.
    ///
    /// # Errors
    /// [`ExecError::UnknownImport`], [`ExecError::IncompatibleImport`],
    /// [`ExecError::ResourceLimit`], or the trap of a segment or of the start function.
    pub fn instantiate(&mut self, program: Arc<Program>) -> Result<InstanceId, ExecError> {
        let (id, start) = self.instantiate_module(program)?;
        if let Some(addr) = start {
            self.cycles = 0;
            self.wasm_instrs = 0;
            self.call_addr(addr, &[], 0)?;
        }
        Ok(id)
    }

    /// Invokes exported function `export` of `instance` with typed arguments.
    ///
    /// # Errors
    /// [`ExecError::NoSuchExport`], [`ExecError::ArgCount`], [`ExecError::ArgType`], a trap
    /// or [`ExecError::OutOfFuel`].
    pub fn invoke(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<Vec<Value>, ExecError> {
        self.invoke_inner(instance, export, args, false)
            .map(|r| r.0)
    }

    /// [`Store::invoke`], also returning the cycles and the WebAssembly instructions they
    /// account for (counting those costs a table lookup per cycle).
    ///
    /// # Errors
    /// As [`Store::invoke`].
    pub fn invoke_counted(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
    ) -> Result<(Vec<Value>, u64, u64), ExecError> {
        self.invoke_inner(instance, export, args, true)
    }

    /// The cycles of the last invocation (nested calls included).
    pub fn last_cycles(&self) -> u64 {
        self.cycles
    }

    /// The store address of exported function `export` of `instance`, after checking the
    /// number and types of `args` against its signature.
    fn entry(&self, instance: InstanceId, export: &str, args: &[Value]) -> Result<u32, ExecError> {
        let addr = match self.export(instance, export) {
            Some(ExternVal::Func(a)) => a,
            _ => return Err(ExecError::NoSuchExport(export.to_string())),
        };
        let sig = &self.sigs[self.funcs[addr as usize].sig as usize];
        if args.len() != sig.params.len() {
            return Err(ExecError::ArgCount {
                entry: export.to_string(),
                expected: sig.params.len(),
                got: args.len(),
            });
        }
        for (i, (a, t)) in args.iter().zip(&sig.params).enumerate() {
            if a.ty() != *t {
                return Err(ExecError::ArgType {
                    entry: export.to_string(),
                    why: format!("argument {i} is {} where {t} is expected", a.ty()),
                });
            }
            if !a.is_representable() {
                return Err(ExecError::ArgType {
                    entry: export.to_string(),
                    why: format!("argument {i} ({a}) does not fit a 32-bit slot"),
                });
            }
        }
        Ok(addr)
    }

    /// [`Store::entry`] for argument words: the store address of export `entry`, after
    /// checking that `words` are as many as its parameter slots.
    fn entry_words(
        &self,
        instance: InstanceId,
        export: &str,
        words: &[u32],
    ) -> Result<u32, ExecError> {
        let addr = match self.export(instance, export) {
            Some(ExternVal::Func(a)) => a,
            _ => return Err(ExecError::NoSuchExport(export.to_string())),
        };
        let sig = &self.sigs[self.funcs[addr as usize].sig as usize];
        let expected = ValType::slots_of(&sig.params) as usize;
        if words.len() != expected {
            if sig.params.len() == expected {
                return Err(ExecError::ArgCount {
                    entry: export.to_string(),
                    expected,
                    got: words.len(),
                });
            }
            return Err(ExecError::ArgType {
                entry: export.to_string(),
                why: format!(
                    "signature {sig} takes {expected} argument words (an i64 is two: low, high), {} given",
                    words.len()
                ),
            });
        }
        Ok(addr)
    }

    fn invoke_inner(
        &mut self,
        instance: InstanceId,
        export: &str,
        args: &[Value],
        count: bool,
    ) -> Result<(Vec<Value>, u64, u64), ExecError> {
        let addr = self.entry(instance, export, args)?;
        let sig = self.sigs[self.funcs[addr as usize].sig as usize].clone();
        self.cycles = 0;
        self.wasm_instrs = 0;
        let raw: Vec<u64> = Value::to_words(args).iter().map(|w| *w as u64).collect();
        self.count_wasm_instrs = count;
        let out = self.call_addr(addr, &raw, 0);
        self.count_wasm_instrs = false;
        let mut out: Vec<u32> = out?.iter().map(|w| *w as u32).collect();
        // A lowered function leaves exactly its result words; a hand-made program whose
        // frame layout disagrees with its type gets the words its type reads.
        out.resize(ValType::slots_of(&sig.results) as usize, 0);
        let results = Value::from_words(&sig.results, &out).expect("as many words as slots");
        Ok((results, self.cycles, self.wasm_instrs))
    }

    /// Calls the function at store address `addr` with its argument words (packed slots) at
    /// call depth `depth`, returning its result words. A host function's trap has no instruction to be located
    /// at here; calls from an instruction go through `Fast::call_external`, which locates it.
    pub(super) fn call_addr(
        &mut self,
        addr: u32,
        args: &[u64],
        depth: u32,
    ) -> Result<Vec<u64>, ExecError> {
        match self.funcs[addr as usize].kind {
            FuncKind::Host(_) => self.call_host(addr, args).map_err(|kind| ExecError::Trap {
                kind,
                pc: 0,
                func: "<host>".into(),
                offset: 0,
                cycle: self.cycles,
            }),
            FuncKind::Wasm { instance, index } => {
                let inst = self.instances[instance as usize].clone();
                self.nesting += 1;
                let count = self.count_wasm_instrs;
                let r = Fast::new(self, inst, instance, index, args, depth).and_then(|mut m| {
                    if count {
                        m.execute::<true>()?;
                    } else {
                        m.execute::<false>()?;
                    }
                    Ok(m.results())
                });
                self.nesting -= 1;
                r
            }
        }
    }

    /// Calls host function `addr` with its argument words: converts them to typed values and
    /// checks the results against its signature (a mismatch, or an external reference that
    /// does not fit a slot, is [`TrapKind::HostError`]).
    pub(super) fn call_host(&mut self, addr: u32, args: &[u64]) -> Result<Vec<u64>, TrapKind> {
        let f = &self.funcs[addr as usize];
        let FuncKind::Host(h) = &f.kind else {
            unreachable!("call_host of a WebAssembly function")
        };
        let s = &self.sigs[f.sig as usize];
        let words: Vec<u32> = args.iter().map(|w| *w as u32).collect();
        let vals = Value::from_words(&s.params, &words).expect("the caller passes the params");
        let results = h(&vals)?;
        if results.len() != s.results.len()
            || results
                .iter()
                .zip(&s.results)
                .any(|(v, t)| v.ty() != *t || !v.is_representable())
        {
            return Err(TrapKind::HostError);
        }
        Ok(Value::to_words(&results)
            .iter()
            .map(|w| *w as u64)
            .collect())
    }

    /// Starts the contract interface's state (`gloam_isa::io`) over with input streams `io`.
    pub(super) fn set_io(&mut self, io: &IoInput) {
        self.io = crate::store::IoState {
            public: io.public.clone(),
            private: io.private.clone(),
            ..Default::default()
        };
    }

    /// Whether another call into an instance would exceed the host re-entry bound.
    pub(super) fn nesting_exhausted(&self) -> bool {
        self.nesting >= MAX_NESTING
    }

    /// Instantiates `program` (no imports) up to, not including, its start function, and
    /// checks `args` against export `entry`. Returns the instance and the program function
    /// whose run [`run`] and [`run_traced`] execute: the export itself, or, for a module with
    /// a start function, its start wrapper (`Program::proof_entry`), which runs the start
    /// function and then the export, counted as one run.
    fn instantiate_for_run(
        &mut self,
        program: &Program,
        entry: &str,
        args: &[u32],
    ) -> Result<(InstanceId, u32), ExecError> {
        let (instance, _start) = self.instantiate_module(Arc::new(program.clone()))?;
        let addr = self.entry_words(instance, entry, args)?;
        if !matches!(self.funcs[addr as usize].kind, FuncKind::Wasm { .. }) {
            return Err(ExecError::NotProvable {
                instr: "call of an imported function".into(),
                func: entry.to_string(),
                offset: 0,
            });
        }
        let (idx, _) = program
            .proof_entry(entry)
            .ok_or_else(|| ExecError::NotProvable {
                instr: "start function (imported)".into(),
                func: entry.to_string(),
                offset: 0,
            })?;
        Ok((instance, idx))
    }

    /// Untraced run of program function `idx` of `instance` on argument words `args`, from
    /// [`Store::instantiate_for_run`]: its result words, cycles and WebAssembly instructions.
    fn run_function(
        &mut self,
        instance: InstanceId,
        idx: u32,
        args: &[u32],
    ) -> Result<(Vec<u32>, u64, u64), ExecError> {
        let inst = self.instances[instance.0 as usize].clone();
        let result_slots = inst.program.functions[idx as usize].result_slots as usize;
        let raw: Vec<u64> = args.iter().map(|v| *v as u64).collect();
        self.cycles = 0;
        self.wasm_instrs = 0;
        self.count_wasm_instrs = true;
        self.nesting += 1;
        let out = Fast::new(self, inst, instance.0, idx, &raw, 0).and_then(|mut m| {
            m.execute::<true>()?;
            Ok(m.results())
        });
        self.nesting -= 1;
        self.count_wasm_instrs = false;
        let mut out: Vec<u32> = out?.iter().map(|w| *w as u32).collect();
        out.resize(result_slots, 0);
        Ok((out, self.cycles, self.wasm_instrs))
    }

    /// Traced run of program function `idx` of `instance` with argument words `args` (see
    /// [`run_traced`]).
    fn invoke_traced(
        &mut self,
        instance: InstanceId,
        idx: u32,
        args: &[u32],
    ) -> Result<(Outcome, ExecTrace), ExecError> {
        let inst = self.instances[instance.0 as usize].clone();
        let raw: Vec<u64> = args.iter().map(|v| *v as u64).collect();
        self.cycles = 0;
        self.wasm_instrs = 0;
        let mut m = Traced::new(self, inst, instance.0, idx, &raw, 0)?;
        m.execute()?;
        let TraceRun {
            results,
            steps,
            slots,
            last_ts,
            globals,
            memory,
        } = m.finish();
        let outcome = Outcome {
            results: results.iter().map(|v| *v as u32).collect(),
            cycles: self.cycles,
            wasm_instrs: self.wasm_instrs,
            journal: std::mem::take(&mut self.io.journal),
        };
        let n = slots.len();
        Ok((
            outcome,
            ExecTrace {
                steps,
                final_values: slots.iter().map(|v| *v as u32).collect(),
                final_ts: last_ts[..n].to_vec(),
                globals,
                memory,
            },
        ))
    }
}

impl Store {
    /// Traced run of program function `idx` of `instance` handing its steps to `sink` in
    /// chunks (see [`run_traced_chunks_io`]).
    fn invoke_traced_chunks(
        &mut self,
        instance: InstanceId,
        idx: u32,
        args: &[u32],
        chunk: usize,
        sink: &mut dyn FnMut(Vec<Step>) -> bool,
    ) -> Result<Outcome, ExecError> {
        let inst = self.instances[instance.0 as usize].clone();
        let raw: Vec<u64> = args.iter().map(|v| *v as u64).collect();
        self.cycles = 0;
        self.wasm_instrs = 0;
        let chunk = chunk.max(1) as u64;
        let mut m = Traced::new(self, inst, instance.0, idx, &raw, 0)?;
        let mut stop = chunk;
        loop {
            let halted = m.execute_until(stop)?;
            let steps = m.take_steps();
            if !steps.is_empty() && !sink(steps) {
                return Err(ExecError::Stopped);
            }
            if halted {
                break;
            }
            stop += chunk;
        }
        let results = m.results();
        Ok(Outcome {
            results: results.iter().map(|v| *v as u32).collect(),
            cycles: self.cycles,
            wasm_instrs: self.wasm_instrs,
            journal: std::mem::take(&mut self.io.journal),
        })
    }
}

/// [`run_traced_io`] in bounded memory: the steps go to `sink` in chunks of `chunk` cycles
/// (the last chunk may be shorter; no chunk is empty) as the run makes them, and nothing of
/// the trace is kept. Memory is that of the machine's state and one chunk (56 bytes a
/// cycle), whatever the run's length. `sink` returns `false` to stop the run.
///
/// # Errors
/// As [`run_traced`], and [`ExecError::Stopped`] when `sink` stopped the run.
pub fn run_traced_chunks_io(
    program: &Program,
    entry: &str,
    args: &[u32],
    io: &IoInput,
    limits: Limits,
    chunk: usize,
    sink: &mut dyn FnMut(Vec<Step>) -> bool,
) -> Result<Outcome, ExecError> {
    integer_signature(program, entry)?;
    let mut store = Store::new(limits);
    store.set_io(io);
    let (inst, idx) = store.instantiate_for_run(program, entry, args)?;
    store.invoke_traced_chunks(inst, idx, args, chunk, sink)
}

/// Checks that export `entry` has only integer (`i32`, `i64`) parameters and results, as
/// [`run`] and [`run_traced`] require.
fn integer_signature(program: &Program, entry: &str) -> Result<(), ExecError> {
    let export = program
        .module
        .export(entry)
        .filter(|e| e.kind == gloam_isa::ExportKind::Func)
        .ok_or_else(|| ExecError::NoSuchExport(entry.to_string()))?;
    let sig = program
        .module
        .func_sig(export.index)
        .ok_or_else(|| ExecError::NoSuchExport(entry.to_string()))?;
    if sig.params.iter().chain(&sig.results).any(|t| t.is_ref()) {
        return Err(ExecError::ArgType {
            entry: entry.to_string(),
            why: format!(
                "signature {sig} has reference types; use `Store::invoke` for typed values"
            ),
        });
    }
    Ok(())
}

/// Instantiates `program` in a fresh [`Store`] (no imports) and runs exported function
/// `entry` on argument words, returning only the outcome (no trace).
///
/// `args` are the entry's argument words and [`Outcome::results`] its result words: one per
/// `i32`, two per `i64` (low word first), packed in signature order
/// ([`gloam_isa::value_words`]); for an all-`i32` signature, the values themselves.
///
/// For a module with a start function, the run is its start wrapper's
/// (`Program::proof_entry`): the start function, then the entry, counted as one run (its
/// cycles are what a proof's statement claims).
///
/// # Errors
/// [`ExecError`] for a missing export, a signature with reference types, the wrong number of
/// argument words, a failed instantiation, a trap or running out of fuel.
pub fn run(
    program: &Program,
    entry: &str,
    args: &[u32],
    limits: Limits,
) -> Result<Outcome, ExecError> {
    run_io(program, entry, args, &IoInput::default(), limits)
}

/// [`run`] with input streams for the contract interface (`gloam_isa::io`); the outcome
/// carries the journal.
///
/// # Errors
/// As [`run`].
pub fn run_io(
    program: &Program,
    entry: &str,
    args: &[u32],
    io: &IoInput,
    limits: Limits,
) -> Result<Outcome, ExecError> {
    integer_signature(program, entry)?;
    let mut store = Store::new(limits);
    store.set_io(io);
    let (inst, idx) = store.instantiate_for_run(program, entry, args)?;
    let (results, cycles, wasm_instrs) = store.run_function(inst, idx, args)?;
    Ok(Outcome {
        results,
        cycles,
        wasm_instrs,
        journal: std::mem::take(&mut store.io.journal),
    })
}

/// Runs exported function `entry` on argument words `args` (as [`run`]) and records the
/// execution trace.
///
/// The module is instantiated without imports. For a module with a start function, the
/// traced run is its start wrapper's (`Program::proof_entry`): the start function, then the
/// entry, from the state the active segments leave, as [`run`] counts it.
///
/// # Errors
/// As [`run`], plus [`ExecError::NotProvable`] when the run reaches an instruction the AIR
/// does not cover yet.
pub fn run_traced(
    program: &Program,
    entry: &str,
    args: &[u32],
    limits: Limits,
) -> Result<(Outcome, ExecTrace), ExecError> {
    run_traced_io(program, entry, args, &IoInput::default(), limits)
}

/// [`run_traced`] with input streams for the contract interface (`gloam_isa::io`).
///
/// # Errors
/// As [`run_traced`].
pub fn run_traced_io(
    program: &Program,
    entry: &str,
    args: &[u32],
    io: &IoInput,
    limits: Limits,
) -> Result<(Outcome, ExecTrace), ExecError> {
    integer_signature(program, entry)?;
    let mut store = Store::new(limits);
    store.set_io(io);
    let (inst, idx) = store.instantiate_for_run(program, entry, args)?;
    store.invoke_traced(inst, idx, args)
}
