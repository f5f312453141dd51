//! # gloam-executor
//!
//! Runs a lowered [`Program`] from an exported function under a cycle limit (fuel). The fast
//! path ([`run`]) only computes results; [`run_traced`] also records, per cycle, everything the
//! AIR's trace builder needs: the state (`pc`, `fp`), the values of the three memory accesses
//! and the timestamps of the accesses they follow.
//!
//! One cycle is one Gloam instruction. Memory accesses of cycle `t` carry timestamps
//! `4t + 1` (slot `a`), `4t + 2` (slot `b`) and `4t + 3` (slot `c`); timestamp 0 is the
//! initial state of every slot.
#![deny(missing_docs)]

use gloam_isa::{eval_binary, Op, Program, TrapKind, HALT_PC};

/// Resource limits of one run.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Limits {
    /// Maximum number of cycles (instructions executed) before [`ExecError::OutOfFuel`].
    pub fuel: u64,
    /// Maximum number of frame slots (32-bit words) of the call stack; a call that would
    /// exceed it raises the `call stack exhausted` trap.
    pub max_slots: u32,
}

impl Default for Limits {
    /// 2^32 cycles of fuel and 2^20 slots (4 MiB) of call stack.
    fn default() -> Self {
        Limits {
            fuel: 1 << 32,
            max_slots: 1 << 20,
        }
    }
}

/// Why a run did not complete.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ExecError {
    /// The module does not export a function of that name.
    #[error("no exported function named `{0}`")]
    NoSuchExport(String),
    /// Wrong number of arguments.
    #[error("`{entry}` takes {expected} argument(s), {got} given")]
    ArgCount {
        /// Entry name.
        entry: String,
        /// Parameters the function declares.
        expected: usize,
        /// Arguments given.
        got: usize,
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
    /// A jump left the program (only possible for hand-made programs).
    #[error("pc {0} is outside the program")]
    PcOutOfRange(u32),
}

/// The result of a completed run.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Outcome {
    /// Values returned by the entry function.
    pub results: Vec<u32>,
    /// Cycles executed (instructions, excluding the final `HALT`).
    pub cycles: u64,
    /// WebAssembly instructions these cycles account for (see `Program::wasm_weight`).
    pub wasm_instrs: u64,
}

/// One recorded cycle: 10 words, 40 bytes.
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
}

impl ExecTrace {
    /// Number of slots the run touched (the memory table's size).
    pub fn slots_used(&self) -> usize {
        self.final_values.len()
    }
}

/// Runs exported function `entry` with `args`, returning only the outcome (no trace).
///
/// # Errors
/// [`ExecError`] for a missing export, wrong arity, a trap or running out of fuel.
pub fn run(
    program: &Program,
    entry: &str,
    args: &[u32],
    limits: Limits,
) -> Result<Outcome, ExecError> {
    let mut m = Machine::<false>::new(program, entry, args, limits)?;
    m.execute()?;
    Ok(m.outcome())
}

/// Runs exported function `entry` with `args` and records the execution trace.
///
/// # Errors
/// As [`run`].
pub fn run_traced(
    program: &Program,
    entry: &str,
    args: &[u32],
    limits: Limits,
) -> Result<(Outcome, ExecTrace), ExecError> {
    let mut m = Machine::<true>::new(program, entry, args, limits)?;
    m.execute()?;
    let outcome = m.outcome();
    let n = m.mem.len();
    let trace = ExecTrace {
        steps: m.steps,
        final_values: m.mem,
        final_ts: m.last_ts[..n].to_vec(),
    };
    Ok((outcome, trace))
}

struct Machine<'p, const TRACE: bool> {
    program: &'p Program,
    /// frame size of the function starting at each pc (0 elsewhere)
    frame_at: Vec<u32>,
    limits: Limits,
    mem: Vec<u32>,
    last_ts: Vec<u32>,
    steps: Vec<Step>,
    pc: u32,
    fp: u32,
    cycles: u64,
    wasm_instrs: u64,
    num_results: usize,
}

impl<'p, const TRACE: bool> Machine<'p, TRACE> {
    fn new(
        program: &'p Program,
        entry: &str,
        args: &[u32],
        limits: Limits,
    ) -> Result<Self, ExecError> {
        let (_, f) = program
            .export(entry)
            .ok_or_else(|| ExecError::NoSuchExport(entry.to_string()))?;
        if args.len() != f.num_params as usize {
            return Err(ExecError::ArgCount {
                entry: entry.to_string(),
                expected: f.num_params as usize,
                got: args.len(),
            });
        }
        let mut frame_at = vec![0; program.instrs.len()];
        for g in &program.functions {
            frame_at[g.entry_pc as usize] = g.frame_size;
        }
        let mut m = Machine {
            program,
            frame_at,
            limits,
            mem: vec![0; f.frame_size as usize],
            last_ts: vec![0; if TRACE { f.frame_size as usize } else { 0 }],
            steps: Vec::new(),
            pc: f.entry_pc,
            fp: 0,
            cycles: 0,
            wasm_instrs: 0,
            num_results: f.num_results as usize,
        };
        if f.frame_size > limits.max_slots {
            return Err(m.trap(TrapKind::StackExhausted));
        }
        m.mem[..args.len()].copy_from_slice(args);
        Ok(m)
    }

    fn outcome(&self) -> Outcome {
        Outcome {
            results: self.mem[..self.num_results].to_vec(),
            cycles: self.cycles,
            wasm_instrs: self.wasm_instrs,
        }
    }

    fn trap(&self, kind: TrapKind) -> ExecError {
        let o = self
            .program
            .origin
            .get(self.pc as usize)
            .copied()
            .unwrap_or_default();
        ExecError::Trap {
            kind,
            pc: self.pc,
            func: self
                .program
                .functions
                .get(o.func as usize)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            offset: o.offset,
            cycle: self.cycles,
        }
    }

    /// Reads slot `addr`, returning (value, timestamp of the previous access).
    #[inline(always)]
    fn read(&mut self, addr: u32, ts: u32) -> (u32, u32) {
        let v = self.mem[addr as usize];
        if TRACE {
            let p = std::mem::replace(&mut self.last_ts[addr as usize], ts);
            (v, p)
        } else {
            (v, 0)
        }
    }

    /// Writes slot `addr`, returning (previous value, timestamp of the previous access).
    #[inline(always)]
    fn write(&mut self, addr: u32, v: u32, ts: u32) -> (u32, u32) {
        let old = std::mem::replace(&mut self.mem[addr as usize], v);
        if TRACE {
            let p = std::mem::replace(&mut self.last_ts[addr as usize], ts);
            (old, p)
        } else {
            (old, 0)
        }
    }

    fn execute(&mut self) -> Result<(), ExecError> {
        let instrs = &self.program.instrs;
        loop {
            let Some(&ins) = instrs.get(self.pc as usize) else {
                return Err(ExecError::PcOutOfRange(self.pc));
            };
            if ins.op == Op::Halt {
                debug_assert_eq!(self.pc, HALT_PC);
                return Ok(());
            }
            if self.cycles >= self.limits.fuel {
                return Err(ExecError::OutOfFuel {
                    fuel: self.limits.fuel,
                });
            }
            // Timestamps are u32 and 4t+3 must fit: beyond 2^30 cycles only the fast path runs.
            let t = if TRACE {
                u32::try_from(self.cycles)
                    .ok()
                    .filter(|c| *c < 1 << 30)
                    .ok_or(ExecError::OutOfFuel { fuel: 1 << 30 })?
                    * 4
            } else {
                0
            };
            let fp = self.fp;
            let mut st = Step {
                pc: self.pc,
                fp,
                ..Step::default()
            };
            let mut next = self.pc + 1;
            match ins.op {
                op if op.is_binary() || op == Op::CMov => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let (b, pb) = if ins.b_imm {
                        (ins.imm, 0)
                    } else {
                        self.read(fp + ins.b, t + 2)
                    };
                    let c = match op {
                        Op::CMov if b != 0 => a,
                        Op::CMov => self.mem[(fp + ins.c) as usize],
                        _ => eval_binary(op, a, b).map_err(|k| self.trap(k))?,
                    };
                    let (cp, pc_) = self.write(fp + ins.c, c, t + 3);
                    st = Step {
                        a,
                        b,
                        c,
                        c_prev: cp,
                        pts_a: pa,
                        pts_b: pb,
                        pts_c: pc_,
                        ..st
                    };
                }
                Op::Const => {
                    let (cp, pc_) = self.write(fp + ins.c, ins.imm, t + 3);
                    st = Step {
                        c: ins.imm,
                        c_prev: cp,
                        pts_c: pc_,
                        ..st
                    };
                }
                Op::Jmp => next = ins.imm,
                Op::Brz | Op::Brnz | Op::JTab => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
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
                    let frame = self.frame_at.get(ins.imm as usize).copied().unwrap_or(0);
                    let top = new_fp as u64 + frame as u64;
                    if top > self.limits.max_slots as u64 {
                        return Err(self.trap(TrapKind::StackExhausted));
                    }
                    if top as usize > self.mem.len() {
                        self.mem.resize(top as usize, 0);
                        if TRACE {
                            self.last_ts.resize(top as usize, 0);
                        }
                    }
                    let (bp, pb) = self.write(fp + ins.b, fp, t + 2);
                    let (cp, pc_) = self.write(fp + ins.c, self.pc + 1, t + 3);
                    st = Step {
                        b: fp,
                        b_prev: bp,
                        c: self.pc + 1,
                        c_prev: cp,
                        pts_b: pb,
                        pts_c: pc_,
                        ..st
                    };
                    next = ins.imm;
                    self.fp = new_fp;
                }
                Op::Ret => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let (b, pb) = self.read(fp + ins.b, t + 2);
                    st = Step {
                        a,
                        b,
                        pts_a: pa,
                        pts_b: pb,
                        ..st
                    };
                    next = a;
                    self.fp = b;
                }
                Op::Trap => return Err(self.trap(TrapKind::from_code(ins.imm))),
                _ => unreachable!("opcode {:?} handled above", ins.op),
            }
            if TRACE {
                self.steps.push(st);
            }
            self.wasm_instrs += self.program.wasm_weight[self.pc as usize] as u64;
            self.cycles += 1;
            self.pc = next;
        }
    }
}
