//! The interpreter: one loop over Gloam instructions for both the fast path and the traced
//! path (`TRACE`), specialised at compile time.

use std::sync::Arc;

use gloam_isa::{eval_binary, eval_binary64, eval_unary, Op, TrapKind, HALT_PC};

use crate::store::{FuncKind, Instance, Store, PAGE};
use crate::{ExecError, Step};

/// What a finished traced run leaves behind.
pub(crate) struct RunResult {
    pub results: Vec<u64>,
    pub steps: Vec<Step>,
    pub slots: Vec<u64>,
    pub last_ts: Vec<u32>,
}

pub(crate) struct Machine<'s, const TRACE: bool> {
    store: &'s mut Store,
    inst: Arc<Instance>,
    inst_id: u32,
    slots: Vec<u64>,
    last_ts: Vec<u32>,
    steps: Vec<Step>,
    pc: u32,
    fp: u32,
    depth: u32,
    num_results: usize,
}

/// Little-endian load of `N` bytes at `ea` (bounds already checked).
#[inline(always)]
fn load_n<const N: usize>(mem: &[u8], ea: usize) -> [u8; N] {
    mem[ea..ea + N].try_into().expect("length N")
}

impl<'s, const TRACE: bool> Machine<'s, TRACE> {
    /// A machine about to run defined function `index` of instance `inst` with `args`.
    pub(crate) fn new(
        store: &'s mut Store,
        inst: Arc<Instance>,
        inst_id: u32,
        index: u32,
        args: &[u64],
        depth: u32,
    ) -> Result<Self, ExecError> {
        let f = &inst.program.functions[index as usize];
        let (entry, frame, results) = (f.entry_pc, f.frame_size, f.num_results as usize);
        let mut m = Machine {
            store,
            inst,
            inst_id,
            slots: vec![0; frame as usize],
            last_ts: vec![0; if TRACE { frame as usize } else { 0 }],
            steps: Vec::new(),
            pc: entry,
            fp: 0,
            depth: depth + 1,
            num_results: results,
        };
        if frame > m.store.limits.max_slots || m.depth > m.store.limits.max_call_depth {
            return Err(m.trap(TrapKind::StackExhausted));
        }
        m.slots[..args.len()].copy_from_slice(args);
        Ok(m)
    }

    pub(crate) fn results(&self) -> Vec<u64> {
        self.slots[..self.num_results].to_vec()
    }

    pub(crate) fn finish(self) -> RunResult {
        RunResult {
            results: self.slots[..self.num_results].to_vec(),
            steps: self.steps,
            slots: self.slots,
            last_ts: self.last_ts,
        }
    }

    fn trap(&self, kind: TrapKind) -> ExecError {
        let p = &self.inst.program;
        let o = p.origin.get(self.pc as usize).copied().unwrap_or_default();
        let n_imp = p.module.num_func_imports;
        ExecError::Trap {
            kind,
            pc: self.pc,
            func: o
                .func
                .checked_sub(n_imp)
                .and_then(|i| p.functions.get(i as usize))
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            offset: o.offset,
            cycle: self.store.cycles,
        }
    }

    fn not_provable(&self, op: Op) -> ExecError {
        let ExecError::Trap { func, offset, .. } = self.trap(TrapKind::Unreachable) else {
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
        let v = self.slots[addr as usize];
        if TRACE {
            let p = std::mem::replace(&mut self.last_ts[addr as usize], ts);
            (v, p)
        } else {
            (v, 0)
        }
    }

    /// Writes slot `addr`, returning (previous value, timestamp of the previous access).
    #[inline(always)]
    fn write(&mut self, addr: u32, v: u64, ts: u32) -> (u64, u32) {
        let old = std::mem::replace(&mut self.slots[addr as usize], v);
        if TRACE {
            let p = std::mem::replace(&mut self.last_ts[addr as usize], ts);
            (old, p)
        } else {
            (old, 0)
        }
    }

    #[inline(always)]
    fn get(&self, fp_off: u32) -> u64 {
        self.slots[(self.fp + fp_off) as usize]
    }

    #[inline(always)]
    fn set(&mut self, fp_off: u32, v: u64) {
        self.slots[(self.fp + fp_off) as usize] = v;
    }

    /// Makes room for a callee frame of `frame` slots at `new_fp`.
    fn grow_stack(&mut self, new_fp: u32, frame: u32) -> Result<(), ExecError> {
        let top = new_fp as u64 + frame as u64;
        if top > self.store.limits.max_slots as u64 {
            return Err(self.trap(TrapKind::StackExhausted));
        }
        if top as usize > self.slots.len() {
            self.slots.resize(top as usize, 0);
            if TRACE {
                self.last_ts.resize(top as usize, 0);
            }
        }
        Ok(())
    }

    fn enter_call(&mut self) -> Result<(), ExecError> {
        self.depth += 1;
        if self.depth > self.store.limits.max_call_depth {
            return Err(self.trap(TrapKind::StackExhausted));
        }
        Ok(())
    }

    /// The memory's bytes; a module without memory has none (validation rules out its use).
    #[inline(always)]
    fn mem(&mut self) -> &mut Vec<u8> {
        let a = self
            .inst
            .memory
            .expect("validated: memory instructions need a memory");
        &mut self.store.memories[a as usize].data
    }

    /// Effective address of an access of `n` bytes, or the out-of-bounds trap.
    #[inline(always)]
    fn ea(&mut self, base: u64, offset: u32, n: usize) -> Result<usize, ExecError> {
        let ea = (base as u32) as u64 + offset as u64;
        if ea + n as u64 > self.mem().len() as u64 {
            return Err(self.trap(TrapKind::MemoryOutOfBounds));
        }
        Ok(ea as usize)
    }

    /// Calls store function `addr` from outside this machine's instance (host function or
    /// another instance), with arguments and results in the slots from `fp + k`.
    fn call_external(&mut self, addr: u32, k: u32) -> Result<(), ExecError> {
        let sig = &self.store.sigs[self.store.funcs[addr as usize].sig as usize];
        let (np, nr) = (sig.params.len() as u32, sig.results.len() as u32);
        self.grow_stack(self.fp + k, np.max(nr))?;
        let base = (self.fp + k) as usize;
        let args: Vec<u64> = self.slots[base..base + np as usize].to_vec();
        let results = self
            .store
            .call_addr(addr, &args, self.depth)
            .map_err(|e| match e {
                // Attribute host-function traps to the calling instruction.
                ExecError::Trap { kind, func, .. } if func == "<host>" => self.trap(kind),
                e => e,
            })?;
        self.slots[base..base + results.len()].copy_from_slice(&results);
        Ok(())
    }

    pub(crate) fn execute(&mut self) -> Result<(), ExecError> {
        let inst = self.inst.clone();
        let instrs = &inst.program.instrs[..];
        let weights = &inst.program.wasm_weight[..];
        let fuel = self.store.limits.fuel;
        loop {
            let Some(&ins) = instrs.get(self.pc as usize) else {
                return Err(ExecError::PcOutOfRange(self.pc));
            };
            if ins.op == Op::Halt {
                debug_assert_eq!(self.pc, HALT_PC);
                return Ok(());
            }
            if self.store.cycles >= fuel {
                return Err(ExecError::OutOfFuel { fuel });
            }
            if TRACE && !ins.op.is_provable() && ins.op != Op::Trap {
                return Err(self.not_provable(ins.op));
            }
            // Timestamps are u32 and 4t+3 must fit: beyond 2^30 cycles only the fast path runs.
            let t = if TRACE {
                u32::try_from(self.store.cycles)
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
                        (ins.imm as u64, 0)
                    } else {
                        self.read(fp + ins.b, t + 2)
                    };
                    let (a, b) = (a as u32, b as u32);
                    let c = match op {
                        Op::CMov if b != 0 => a,
                        Op::CMov => self.slots[(fp + ins.c) as usize] as u32,
                        _ => eval_binary(op, a, b).map_err(|k| self.trap(k))?,
                    };
                    let (cp, pc_) = self.write(fp + ins.c, c as u64, t + 3);
                    if TRACE {
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
                }
                Op::Const => {
                    let (cp, pc_) = self.write(fp + ins.c, ins.imm as u64, t + 3);
                    if TRACE {
                        st = Step {
                            c: ins.imm,
                            c_prev: cp as u32,
                            pts_c: pc_,
                            ..st
                        };
                    }
                }
                Op::Jmp => next = ins.imm,
                Op::Brz | Op::Brnz | Op::JTab => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let a = a as u32;
                    if TRACE {
                        st = Step { a, pts_a: pa, ..st };
                    }
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
                    let (bp, pb) = self.write(fp + ins.b, fp as u64, t + 2);
                    let (cp, pc_) = self.write(fp + ins.c, (self.pc + 1) as u64, t + 3);
                    if TRACE {
                        st = Step {
                            b: fp,
                            b_prev: bp as u32,
                            c: self.pc + 1,
                            c_prev: cp as u32,
                            pts_b: pb,
                            pts_c: pc_,
                            ..st
                        };
                    }
                    next = ins.imm;
                    self.fp = new_fp;
                }
                Op::Ret => {
                    let (a, pa) = self.read(fp + ins.a, t + 1);
                    let (b, pb) = self.read(fp + ins.b, t + 2);
                    let (a, b) = (a as u32, b as u32);
                    if TRACE {
                        st = Step {
                            a,
                            b,
                            pts_a: pa,
                            pts_b: pb,
                            ..st
                        };
                    }
                    next = a;
                    self.fp = b;
                    self.depth -= 1;
                }
                Op::Trap => return Err(self.trap(TrapKind::from_code(ins.imm))),
                // ---- executor-only instructions (never reached when TRACE) ----
                op if op.is_binary64() => {
                    let a = self.get(ins.a);
                    let b = if ins.b_imm {
                        ins.imm as i32 as i64 as u64
                    } else {
                        self.get(ins.b)
                    };
                    let c = eval_binary64(op, a, b).map_err(|k| self.trap(k))?;
                    self.set(ins.c, c);
                }
                op if op.is_unary() => {
                    let a = self.get(ins.a);
                    self.set(ins.c, eval_unary(op, a));
                }
                Op::Const64 => self.set(ins.c, ((ins.b as u64) << 32) | ins.imm as u64),
                Op::CMov64 => {
                    let b = if ins.b_imm {
                        ins.imm as u64
                    } else {
                        self.get(ins.b)
                    };
                    if b as u32 != 0 {
                        let a = self.get(ins.a);
                        self.set(ins.c, a);
                    }
                }
                op if op.is_load() => {
                    let base = self.get(ins.a);
                    let v = match op {
                        Op::I32Load | Op::I64Load32U => {
                            let ea = self.ea(base, ins.imm, 4)?;
                            u32::from_le_bytes(load_n(self.mem(), ea)) as u64
                        }
                        Op::I64Load32S => {
                            let ea = self.ea(base, ins.imm, 4)?;
                            i32::from_le_bytes(load_n(self.mem(), ea)) as i64 as u64
                        }
                        Op::I32Load8S => {
                            let ea = self.ea(base, ins.imm, 1)?;
                            self.mem()[ea] as i8 as i32 as u32 as u64
                        }
                        Op::I64Load8S => {
                            let ea = self.ea(base, ins.imm, 1)?;
                            self.mem()[ea] as i8 as i64 as u64
                        }
                        Op::I32Load8U | Op::I64Load8U => {
                            let ea = self.ea(base, ins.imm, 1)?;
                            self.mem()[ea] as u64
                        }
                        Op::I32Load16S => {
                            let ea = self.ea(base, ins.imm, 2)?;
                            i16::from_le_bytes(load_n(self.mem(), ea)) as i32 as u32 as u64
                        }
                        Op::I64Load16S => {
                            let ea = self.ea(base, ins.imm, 2)?;
                            i16::from_le_bytes(load_n(self.mem(), ea)) as i64 as u64
                        }
                        Op::I32Load16U | Op::I64Load16U => {
                            let ea = self.ea(base, ins.imm, 2)?;
                            u16::from_le_bytes(load_n(self.mem(), ea)) as u64
                        }
                        _ => {
                            let ea = self.ea(base, ins.imm, 8)?;
                            u64::from_le_bytes(load_n(self.mem(), ea))
                        }
                    };
                    self.set(ins.c, v);
                }
                op if op.is_store() => {
                    let base = self.get(ins.a);
                    let v = self.get(ins.b);
                    let n = match op {
                        Op::I32Store8 | Op::I64Store8 => 1,
                        Op::I32Store16 | Op::I64Store16 => 2,
                        Op::I32Store | Op::I64Store32 => 4,
                        _ => 8,
                    };
                    let ea = self.ea(base, ins.imm, n)?;
                    self.mem()[ea..ea + n].copy_from_slice(&v.to_le_bytes()[..n]);
                }
                Op::MemorySize => {
                    let pages = self.mem().len() / PAGE;
                    self.set(ins.c, pages as u64);
                }
                Op::MemoryGrow => {
                    let n = self.get(ins.a) as u32;
                    let a = self.inst.memory.expect("validated") as usize;
                    let limit = self.store.limits.max_memory_pages;
                    let m = &mut self.store.memories[a];
                    let old = (m.data.len() / PAGE) as u64;
                    let new = old + n as u64;
                    let max = m.max.map_or(65536, |x| x as u64).min(limit as u64);
                    let r = if new > max {
                        u32::MAX as u64
                    } else {
                        m.data.resize(new as usize * PAGE, 0);
                        old
                    };
                    self.set(ins.c, r);
                }
                Op::MemoryFill => {
                    let (d, v, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                    let (d, n) = (d as u32 as u64, n as u32 as u64);
                    let len = self.mem().len() as u64;
                    if d + n > len {
                        return Err(self.trap(TrapKind::MemoryOutOfBounds));
                    }
                    self.mem()[d as usize..(d + n) as usize].fill(v as u8);
                }
                Op::MemoryCopy => {
                    let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                    let (d, s, n) = (d as u32 as u64, s as u32 as u64, n as u32 as u64);
                    let len = self.mem().len() as u64;
                    if d + n > len || s + n > len {
                        return Err(self.trap(TrapKind::MemoryOutOfBounds));
                    }
                    let (d, s, n) = (d as usize, s as usize, n as usize);
                    self.mem().copy_within(s..s + n, d);
                }
                Op::MemoryInit => {
                    let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                    let mem = self.inst.memory.expect("validated");
                    let seg = self.inst.datas[ins.imm as usize] as usize;
                    self.store
                        .memory_init(mem, seg, d as u32, s as u32, n as u32)
                        .map_err(|k| self.trap(k))?;
                }
                Op::DataDrop => {
                    let seg = self.inst.datas[ins.imm as usize] as usize;
                    self.store.data_segs[seg] = Arc::from(&[][..]);
                }
                Op::GlobalGet => {
                    let g = self.inst.globals[ins.imm as usize] as usize;
                    let v = self.store.globals[g].value;
                    self.set(ins.c, v);
                }
                Op::GlobalSet => {
                    let g = self.inst.globals[ins.imm as usize] as usize;
                    let v = self.get(ins.a);
                    self.store.globals[g].value = v;
                }
                Op::TableGet | Op::TableSet => {
                    let t = self.inst.tables[ins.imm as usize] as usize;
                    let i = self.get(ins.a) as u32 as usize;
                    let v = self.get(ins.b);
                    let elems = &mut self.store.tables[t].elems;
                    if i >= elems.len() {
                        return Err(self.trap(TrapKind::TableOutOfBounds));
                    }
                    if ins.op == Op::TableGet {
                        let r = elems[i];
                        self.set(ins.c, r);
                    } else {
                        elems[i] = v;
                    }
                }
                Op::TableSize => {
                    let t = self.inst.tables[ins.imm as usize] as usize;
                    let n = self.store.tables[t].elems.len();
                    self.set(ins.c, n as u64);
                }
                Op::TableGrow => {
                    let t = self.inst.tables[ins.imm as usize] as usize;
                    let (init, n) = (self.get(ins.a), self.get(ins.a + 1) as u32);
                    let limit = self.store.limits.max_table_len as u64;
                    let tab = &mut self.store.tables[t];
                    let old = tab.elems.len() as u64;
                    let new = old + n as u64;
                    let max = tab.max.map_or(u32::MAX as u64, |x| x as u64).min(limit);
                    let r = if new > max {
                        u32::MAX as u64
                    } else {
                        tab.elems.resize(new as usize, init);
                        old
                    };
                    self.set(ins.c, r);
                }
                Op::TableFill => {
                    let t = self.inst.tables[ins.imm as usize] as usize;
                    let (i, v, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                    let (i, n) = (i as u32 as usize, n as u32 as usize);
                    let elems = &mut self.store.tables[t].elems;
                    if i as u64 + n as u64 > elems.len() as u64 {
                        return Err(self.trap(TrapKind::TableOutOfBounds));
                    }
                    elems[i..i + n].fill(v);
                }
                Op::TableCopy => {
                    let td = self.inst.tables[ins.b as usize] as usize;
                    let ts = self.inst.tables[ins.c as usize] as usize;
                    let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                    let (d, s, n) = (d as u32 as usize, s as u32 as usize, n as u32 as usize);
                    let (ld, ls) = (
                        self.store.tables[td].elems.len(),
                        self.store.tables[ts].elems.len(),
                    );
                    if d as u64 + n as u64 > ld as u64 || s as u64 + n as u64 > ls as u64 {
                        return Err(self.trap(TrapKind::TableOutOfBounds));
                    }
                    if td == ts {
                        self.store.tables[td].elems.copy_within(s..s + n, d);
                    } else {
                        let src: Vec<u64> = self.store.tables[ts].elems[s..s + n].to_vec();
                        self.store.tables[td].elems[d..d + n].copy_from_slice(&src);
                    }
                }
                Op::TableInit => {
                    let t = self.inst.tables[ins.b as usize];
                    let seg = self.inst.elems[ins.c as usize] as usize;
                    let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                    self.store
                        .table_init(t, seg, d as u32, s as u32, n as u32)
                        .map_err(|k| self.trap(k))?;
                }
                Op::ElemDrop => {
                    let seg = self.inst.elems[ins.imm as usize] as usize;
                    self.store.elem_segs[seg] = Vec::new();
                }
                Op::RefFunc => {
                    let addr = self.inst.funcs[ins.imm as usize];
                    self.set(ins.c, addr as u64 + 1);
                }
                Op::CallIndirect => {
                    let t = self.inst.tables[ins.c as usize] as usize;
                    let i = self.get(ins.b) as u32 as usize;
                    let elems = &self.store.tables[t].elems;
                    if i >= elems.len() {
                        return Err(self.trap(TrapKind::UndefinedElement));
                    }
                    let r = elems[i];
                    if r == 0 {
                        return Err(self.trap(TrapKind::UninitializedElement));
                    }
                    let addr = (r - 1) as u32;
                    let f = &self.store.funcs[addr as usize];
                    if f.sig != self.inst.type_ids[ins.imm as usize] {
                        return Err(self.trap(TrapKind::IndirectCallTypeMismatch));
                    }
                    match f.kind {
                        FuncKind::Wasm { instance, index } if instance == self.inst_id => {
                            let callee = &inst.program.functions[index as usize];
                            let new_fp = fp + ins.a;
                            self.grow_stack(new_fp, callee.frame_size)?;
                            self.enter_call()?;
                            self.slots[(new_fp + callee.ra_slot) as usize] = (self.pc + 1) as u64;
                            self.slots[(new_fp + callee.ra_slot + 1) as usize] = fp as u64;
                            next = callee.entry_pc;
                            self.fp = new_fp;
                        }
                        _ => self.call_external(addr, ins.a)?,
                    }
                }
                Op::CallImport => {
                    let addr = self.inst.funcs[ins.imm as usize];
                    self.call_external(addr, ins.a)?;
                }
                op => unreachable!("opcode {op:?} handled above"),
            }
            if TRACE {
                self.steps.push(st);
            }
            self.store.wasm_instrs += weights[self.pc as usize] as u64;
            self.store.cycles += 1;
            self.pc = next;
        }
    }
}
