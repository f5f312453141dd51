//! The trace-recording interpreter: only the opcodes the AIR covers, each cycle recorded as a
//! [`Step`] with the timestamps of the slot accesses it follows, plus every slot's final
//! value and last-access timestamp for the AIR's memory argument. Used by `run_traced`.
//!
//! Slot accesses of cycle `t` carry timestamps `4t + 1` (slot `a`), `4t + 2` (slot `b`) and
//! `4t + 3` (slot `c`), and the second memory word of a load or store crossing a 4-byte
//! boundary `4t + 4`; timestamp 0 is the initial state of every slot and word. Global words
//! and 4-byte memory words are timestamped like slots (loads and `global.get` read their word
//! as access `b`, stores and `global.set` write it as access `c`).

use std::collections::BTreeMap;
use std::sync::Arc;

use gloam_isa::{eval_binary, Op, TrapKind, HALT_PC};

use super::frame::Frame;
use crate::store::{Instance, Store};
use crate::{ExecError, Step};

/// What a finished traced run leaves behind.
pub(super) struct TraceRun {
    /// The entry function's results.
    pub(super) results: Vec<u64>,
    /// One step per cycle.
    pub(super) steps: Vec<Step>,
    /// Final value of every slot.
    pub(super) slots: Vec<u64>,
    /// Timestamp of the last access to every slot.
    pub(super) last_ts: Vec<u32>,
    /// Accessed global words: (word, final value, last timestamp).
    pub(super) globals: Vec<(u32, u32, u32)>,
    /// Accessed memory words: (word address, final value, last timestamp).
    pub(super) memory: Vec<(u32, u32, u32)>,
}

/// The trace-recording interpreter over one [`Frame`].
pub(super) struct Traced<'s> {
    frame: Frame<'s>,
    /// Timestamp of the last access to each slot (as long as `frame.slots`).
    last_ts: Vec<u32>,
    /// Timestamp of the last access to each accessed global word.
    global_ts: BTreeMap<u32, u32>,
    /// Timestamp of the last access to each accessed 4-byte memory word.
    mem_ts: BTreeMap<u32, u32>,
    steps: Vec<Step>,
}

impl<'s> Traced<'s> {
    /// A machine about to run defined function `index` of instance `inst` with `args`.
    pub(super) fn new(
        store: &'s mut Store,
        inst: Arc<Instance>,
        inst_id: u32,
        index: u32,
        args: &[u64],
        depth: u32,
    ) -> Result<Self, ExecError> {
        let frame = Frame::new(store, inst, inst_id, index, args, depth, 0)?;
        Ok(Traced {
            last_ts: vec![0; frame.slots.len()],
            frame,
            global_ts: BTreeMap::new(),
            mem_ts: BTreeMap::new(),
            steps: Vec::new(),
        })
    }

    /// The steps recorded since the last call (or the start), removed from the machine.
    pub(super) fn take_steps(&mut self) -> Vec<Step> {
        std::mem::take(&mut self.steps)
    }

    /// The entry function's results (after [`Traced::execute_until`] returned `Ok(true)`).
    pub(super) fn results(&self) -> Vec<u64> {
        self.frame.results()
    }

    /// The results, the steps and the final slot state (after [`Traced::execute`] returned
    /// `Ok`).
    pub(super) fn finish(self) -> TraceRun {
        let globals = self
            .global_ts
            .iter()
            .map(|(&w, &ts)| (w, self.frame.global_word(w), ts))
            .collect();
        let memory = self
            .mem_ts
            .iter()
            .map(|(&wa, &ts)| (wa, self.mem_word(wa), ts))
            .collect();
        TraceRun {
            results: self.frame.results(),
            steps: self.steps,
            slots: self.frame.slots,
            last_ts: self.last_ts,
            globals,
            memory,
        }
    }

    /// The instance's linear memory (validation guarantees one exists for loads and stores).
    fn memory(&self) -> &[u8] {
        match self.frame.inst.memory {
            Some(m) => &self.frame.store.memories[m as usize].data,
            None => &[],
        }
    }

    /// Little-endian 4-byte memory word `wa` (0 beyond the memory).
    fn mem_word(&self, wa: u32) -> u32 {
        let i = wa as usize * 4;
        self.memory()
            .get(i..i + 4)
            .map_or(0, |b| u32::from_le_bytes([b[0], b[1], b[2], b[3]]))
    }

    /// Bounds-checks a `width`-byte access at `A + imm` and returns `(ea, word address,
    /// offset in the word, crosses into the next word)`.
    fn mem_address(
        &self,
        a: u32,
        imm: u32,
        width: u32,
    ) -> Result<(u32, u32, u32, bool), ExecError> {
        let ea = a as u64 + imm as u64;
        if ea + width as u64 > self.memory().len() as u64 {
            return Err(self.frame.trap(TrapKind::MemoryOutOfBounds));
        }
        let off = (ea % 4) as u32;
        Ok((ea as u32, (ea / 4) as u32, off, off + width > 4))
    }

    /// [`ExecError::NotProvable`] for `op` at the current `pc`.
    fn not_provable(&self, op: Op) -> ExecError {
        let ExecError::Trap { func, offset, .. } = self.frame.trap(TrapKind::Unreachable) else {
            unreachable!("trap() builds a Trap")
        };
        ExecError::NotProvable {
            instr: op.mnemonic().to_string(),
            func,
            offset,
        }
    }

    /// Reads slot `addr`, returning (value, timestamp of the previous access).
    #[inline(always)]
    fn read(&mut self, addr: u32, ts: u32) -> (u64, u32) {
        let v = self.frame.slots[addr as usize];
        let p = std::mem::replace(&mut self.last_ts[addr as usize], ts);
        (v, p)
    }

    /// Writes slot `addr`, returning (previous value, timestamp of the previous access).
    #[inline(always)]
    fn write(&mut self, addr: u32, v: u64, ts: u32) -> (u64, u32) {
        let old = std::mem::replace(&mut self.frame.slots[addr as usize], v);
        let p = std::mem::replace(&mut self.last_ts[addr as usize], ts);
        (old, p)
    }

    /// Makes room for a callee frame of `frame` slots at `new_fp` (slots and timestamps).
    fn grow_stack(&mut self, new_fp: u32, frame: u32) -> Result<(), ExecError> {
        self.frame.grow_stack(new_fp, frame)?;
        self.last_ts.resize(self.frame.slots.len(), 0);
        Ok(())
    }

    /// Counts a call into the depth, trapping beyond `Limits::max_call_depth`.
    fn enter_call(&mut self) -> Result<(), ExecError> {
        self.frame.depth += 1;
        if self.frame.depth > self.frame.store.limits.max_call_depth {
            return Err(self.frame.trap(TrapKind::StackExhausted));
        }
        Ok(())
    }

    /// Runs to the final `HALT`: only the opcodes the AIR covers, each cycle recorded as a
    /// [`Step`]; any other opcode stops the run with [`ExecError::NotProvable`].
    pub(super) fn execute(&mut self) -> Result<(), ExecError> {
        self.execute_until(u64::MAX).map(|_| ())
    }

    /// [`Traced::execute`], pausing before the cycle numbered `stop` (when the store has
    /// counted `stop` cycles): returns `Ok(true)` at the final `HALT`, `Ok(false)` when paused.
    /// Calling it again resumes the run where it paused.
    pub(super) fn execute_until(&mut self, stop: u64) -> Result<bool, ExecError> {
        let inst = self.frame.inst.clone();
        let instrs = &inst.program.instrs[..];
        let weights = &inst.program.wasm_weight[..];
        let fuel = self.frame.store.limits.fuel;
        let commit_pc = self.frame.commit_pc();
        loop {
            let Some(&ins) = instrs.get(self.frame.pc as usize) else {
                return Err(ExecError::PcOutOfRange(self.frame.pc));
            };
            if ins.op == Op::Halt {
                debug_assert_eq!(self.frame.pc, HALT_PC);
                return Ok(true);
            }
            if self.frame.store.cycles >= stop {
                return Ok(false);
            }
            if self.frame.store.cycles >= fuel {
                return Err(ExecError::OutOfFuel { fuel });
            }
            // Timestamps are u32 and 4t+4 must fit: beyond 2^29 cycles only the fast path runs.
            // The stride 4 is the AIR's `ACCESSES_PER_ROW` (gloam_air::columns).
            let t = u32::try_from(self.frame.store.cycles)
                .ok()
                .filter(|c| *c < 1 << 29)
                .ok_or(ExecError::OutOfFuel { fuel: 1 << 29 })?
                * 4;
            let fp = self.frame.fp;
            let mut st = Step {
                pc: self.frame.pc,
                fp,
                ..Step::default()
            };
            let mut next = self.frame.pc + 1;
            match ins.op {
                op if op.is_binary() || op == Op::CMov => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let (b, pb) = if ins.b_imm {
                        (ins.imm as u64, 0)
                    } else {
                        self.read(fp + ins.b, t + 2)
                    };
                    let (a, b) = (a as u32, b as u32);
                    let c = match op {
                        Op::CMov if b != 0 => a,
                        Op::CMov => self.frame.slots[(fp + ins.c) as usize] as u32,
                        _ => eval_binary(op, a, b).map_err(|k| self.frame.trap(k))?,
                    };
                    let (cp, pc_) = self.write(fp + ins.c, c as u64, t + 3);
                    st = Step {
                        a,
                        b,
                        c,
                        c_prev: cp as u32,
                        pts_a: pa,
                        pts_b: pb,
                        pts_c: pc_,
                        ..st
                    };
                }
                Op::Const | Op::Advice => {
                    let v = if ins.op == Op::Const {
                        ins.imm
                    } else {
                        self.frame.advice(ins.imm)
                    };
                    let (cp, pc_) = self.write(fp + ins.c, v as u64, t + 3);
                    st = Step {
                        c: v,
                        c_prev: cp as u32,
                        pts_c: pc_,
                        ..st
                    };
                }
                Op::Jmp => next = ins.imm,
                Op::Brz | Op::Brnz | Op::JTab => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let a = a as u32;
                    st = Step { a, pts_a: pa, ..st };
                    next = match ins.op {
                        Op::Brz if a == 0 => ins.imm,
                        Op::Brnz if a != 0 => ins.imm,
                        Op::JTab => ins.imm.wrapping_add(a),
                        _ => next,
                    };
                }
                Op::Call => {
                    let new_fp = fp + ins.a;
                    let frame = inst.frame_at.get(ins.imm as usize).copied().unwrap_or(0);
                    self.grow_stack(new_fp, frame)?;
                    self.enter_call()?;
                    if Some(ins.imm) == commit_pc {
                        // Not an access of the trace: the executor records the journal.
                        let slot = |k: u32| self.frame.slots[(new_fp + k) as usize] as u32;
                        let (ptr, len) = (slot(0), slot(1));
                        self.frame.record_commit(ptr, len);
                    }
                    let (bp, pb) = self.write(fp + ins.b, fp as u64, t + 2);
                    let (cp, pc_) = self.write(fp + ins.c, (self.frame.pc + 1) as u64, t + 3);
                    st = Step {
                        b: fp,
                        b_prev: bp as u32,
                        c: self.frame.pc + 1,
                        c_prev: cp as u32,
                        pts_b: pb,
                        pts_c: pc_,
                        ..st
                    };
                    next = ins.imm;
                    self.frame.fp = new_fp;
                }
                Op::Ret => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let (b, pb) = self.read(fp + ins.b, t + 2);
                    let (a, b) = (a as u32, b as u32);
                    st = Step {
                        a,
                        b,
                        pts_a: pa,
                        pts_b: pb,
                        ..st
                    };
                    next = a;
                    self.frame.fp = b;
                    self.frame.depth -= 1;
                }
                Op::GlobalGet | Op::GlobalGetAt => {
                    // `global.get_at` reads its index from slot `a` at t + 1; the word is
                    // access `b` at t + 2, slot `c` at t + 3.
                    let (a, pa, w) = if ins.op == Op::GlobalGetAt {
                        let (a, pa) = self.read(fp + ins.a, t + 1);
                        let w = self.frame.entry_word(ins.imm, a as u32);
                        (a as u32, pa, w.map_err(|k| self.frame.trap(k))?)
                    } else {
                        (0, 0, ins.imm)
                    };
                    let v = self.frame.global_word(w);
                    let pb = self.global_ts.insert(w, t + 2).unwrap_or(0);
                    let (cp, pc_) = self.write(fp + ins.c, v as u64, t + 3);
                    st = Step {
                        a,
                        pts_a: pa,
                        b: v,
                        pts_b: pb,
                        c: v,
                        c_prev: cp as u32,
                        pts_c: pc_,
                        ..st
                    };
                }
                Op::GlobalSet | Op::GlobalSetAt => {
                    // Slot `a` (the value) at t + 1; `global.set_at` reads its index from
                    // slot `b` at t + 2; the word is access `c` at t + 3.
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let a = a as u32;
                    let (b, pb, w) = if ins.op == Op::GlobalSetAt {
                        let (b, pb) = self.read(fp + ins.b, t + 2);
                        let w = self.frame.entry_word(ins.imm, b as u32);
                        (b as u32, pb, w.map_err(|k| self.frame.trap(k))?)
                    } else {
                        (0, 0, ins.imm)
                    };
                    let old = self.frame.global_word(w);
                    if let Err(k) = self.frame.set_global_word(w, a) {
                        return Err(self.frame.trap(k));
                    }
                    let pc_ = self.global_ts.insert(w, t + 3).unwrap_or(0);
                    st = Step {
                        a,
                        pts_a: pa,
                        b,
                        pts_b: pb,
                        c: a,
                        c_prev: old,
                        pts_c: pc_,
                        ..st
                    };
                }
                op if op.is_load() => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let a = a as u32;
                    let width = op.mem_width();
                    let (ea, wa, off, cross) = self.mem_address(a, ins.imm, width)?;
                    let w0 = self.mem_word(wa);
                    let w1 = if cross { self.mem_word(wa + 1) } else { 0 };
                    let pb = self.mem_ts.insert(wa, t + 2).unwrap_or(0);
                    let pd = if cross {
                        self.mem_ts.insert(wa + 1, t + 4).unwrap_or(0)
                    } else {
                        0
                    };
                    let both = (w0 as u64) | ((w1 as u64) << 32);
                    let bits = 8 * width;
                    let raw = (both >> (8 * off)) & ((1u64 << bits) - 1);
                    let value = if op.is_signed_load() && raw >> (bits - 1) == 1 {
                        (raw | (u64::MAX << bits)) as u32
                    } else {
                        raw as u32
                    };
                    let (cp, pc_) = self.write(fp + ins.c, value as u64, t + 3);
                    st = Step {
                        a,
                        pts_a: pa,
                        b: w0,
                        pts_b: pb,
                        c: value,
                        c_prev: cp as u32,
                        pts_c: pc_,
                        d: w1,
                        d_prev: w1,
                        pts_d: pd,
                        ea,
                        ..st
                    };
                }
                op if op.is_store() => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let (b, pb) = self.read(fp + ins.b, t + 2);
                    let (a, b) = (a as u32, b as u32);
                    let width = op.mem_width();
                    let (ea, wa, off, cross) = self.mem_address(a, ins.imm, width)?;
                    let w0 = self.mem_word(wa);
                    let w1 = if cross { self.mem_word(wa + 1) } else { 0 };
                    let both = (w0 as u64) | ((w1 as u64) << 32);
                    let mask = ((1u64 << (8 * width)) - 1) << (8 * off);
                    let new = (both & !mask) | (((b as u64) << (8 * off)) & mask);
                    let (n0, n1) = (new as u32, (new >> 32) as u32);
                    let ea_us = ea as usize;
                    let m = self
                        .frame
                        .inst
                        .memory
                        .expect("validated: a store has a memory");
                    let data = &mut self.frame.store.memories[m as usize].data;
                    data[ea_us..ea_us + width as usize]
                        .copy_from_slice(&b.to_le_bytes()[..width as usize]);
                    let pc_ = self.mem_ts.insert(wa, t + 3).unwrap_or(0);
                    let pd = if cross {
                        self.mem_ts.insert(wa + 1, t + 4).unwrap_or(0)
                    } else {
                        0
                    };
                    st = Step {
                        a,
                        pts_a: pa,
                        b,
                        pts_b: pb,
                        c: n0,
                        c_prev: w0,
                        pts_c: pc_,
                        d: if cross { n1 } else { 0 },
                        d_prev: w1,
                        pts_d: pd,
                        ea,
                        ..st
                    };
                }
                Op::Trap => return Err(self.frame.trap(TrapKind::from_code(ins.imm))),
                // Only the fast path runs executor-only instructions.
                op => return Err(self.not_provable(op)),
            }
            self.steps.push(st);
            self.frame.store.wasm_instrs += weights[self.frame.pc as usize] as u64;
            self.frame.store.cycles += 1;
            self.frame.pc = next;
        }
    }
}
