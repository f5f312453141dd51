//! The interpreter: one loop over Gloam instructions for both the fast path and the traced
//! path (`TRACE`), specialised at compile time.

use std::sync::Arc;

use gloam_isa::{eval_binary, eval_binary64, eval_unary, Instr, Op, TrapKind, HALT_PC};

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
        let max_offset = inst.max_offset;
        let mut m = Machine {
            store,
            inst,
            inst_id,
            // The fast path keeps `max_offset` slots above `fp` (see `execute_fast`).
            slots: vec![0; if TRACE { frame } else { frame.max(max_offset) } as usize],
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

    /// Calls store function `addr` from outside this machine's instance (host function or
    /// another instance), with arguments and results in the slots from `fp + k`.
    fn call_external(&mut self, addr: u32, k: u32) -> Result<(), ExecError> {
        let sig = &self.store.sigs[self.store.funcs[addr as usize].sig as usize];
        let (np, nr) = (sig.params.len() as u32, sig.results.len() as u32);
        self.grow_stack(self.fp + k, np.max(nr))?;
        let base = (self.fp + k) as usize;
        let args: Vec<u64> = self.slots[base..base + np as usize].to_vec();
        // Host traps and the re-entry bound are located at the calling instruction.
        let results = match self.store.funcs[addr as usize].kind {
            FuncKind::Host(_) => self
                .store
                .call_host(addr, &args)
                .map_err(|k| self.trap(k))?,
            FuncKind::Wasm { .. } if self.store.nesting_exhausted() => {
                return Err(self.trap(TrapKind::StackExhausted))
            }
            FuncKind::Wasm { .. } => self.store.call_addr(addr, &args, self.depth)?,
        };
        self.slots[base..base + results.len()].copy_from_slice(&results);
        Ok(())
    }

    /// The traced path (`TRACE`): only the opcodes the AIR covers, each cycle recorded as a
    /// [`Step`]; any other opcode stops the run with [`ExecError::NotProvable`]. The fast path
    /// is [`Machine::execute_fast`].
    pub(crate) fn execute_traced(&mut self) -> Result<(), ExecError> {
        debug_assert!(TRACE, "the fast path is execute_fast");
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
            // Timestamps are u32 and 4t+3 must fit: beyond 2^30 cycles only the fast path runs.
            // The stride 4 is the AIR's `ACCESSES_PER_ROW` (gloam_air::columns).
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
                // Only the fast path runs executor-only instructions.
                op => return Err(self.not_provable(op)),
            }
            if TRACE {
                self.steps.push(st);
            }
            self.store.wasm_instrs += weights[self.pc as usize] as u64;
            self.store.cycles += 1;
            self.pc = next;
        }
    }

    /// The rarely executed instructions (memory size and bulk operations, tables, segment
    /// drops, `ref.func`), run by the fast path with the machine state synchronised.
    fn rare(&mut self, ins: Instr) -> Result<(), ExecError> {
        match ins.op {
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
            op => unreachable!("{op:?} is executed inline by the fast path"),
        }
        Ok(())
    }

    /// The fast path: every instruction, no trace. The machine state lives in locals (`pc`,
    /// `fp`, `depth`, the cycle counters) and is written back before anything that can
    /// observe it (traps, calls out of the instance, rare instructions, the end).
    ///
    /// With `COUNT`, it also adds up the WebAssembly instructions each cycle accounts for
    /// (`Program::wasm_weight`), which costs a table lookup per cycle.
    ///
    /// Slots are accessed without bounds checks through `base`, a pointer to slot 0 that is
    /// re-derived after anything that may reallocate the slot vector. This is sound because
    /// the vector always holds at least `fp + max_offset` slots, where `max_offset` (computed
    /// at instantiation) exceeds every slot offset any instruction of the program names and
    /// every frame size: the machine starts that way, and every call that moves `fp` up
    /// grows the vector first.
    pub(crate) fn execute_fast<const COUNT: bool>(&mut self) -> Result<(), ExecError> {
        let inst = self.inst.clone();
        let max_off = inst.max_offset as usize;
        let mut base: *mut u64 = self.slots.as_mut_ptr();
        let code = &inst.program.instrs[..];
        let weights = &inst.program.wasm_weight[..];
        let limits = self.store.limits;
        let fuel = limits.fuel;
        let mem_idx = inst.memory.map_or(usize::MAX, |m| m as usize);
        let mut pc = self.pc;
        let mut fp = self.fp as usize;
        let mut depth = self.depth;
        let mut cycles = self.store.cycles;
        let mut wasm = self.store.wasm_instrs;
        macro_rules! sync {
            () => {{
                self.pc = pc;
                self.fp = fp as u32;
                self.depth = depth;
                self.store.cycles = cycles;
                self.store.wasm_instrs = wasm;
            }};
        }
        macro_rules! trap {
            ($k:expr) => {{
                sync!();
                return Err(self.trap($k));
            }};
        }
        macro_rules! s {
            ($off:expr) => {
                // SAFETY: fp + off < fp + max_offset <= slots.len() (see above), and `base`
                // points at the current allocation.
                *unsafe { &mut *base.add(fp + $off as usize) }
            };
        }
        macro_rules! ensure_frame {
            ($new_fp:expr) => {{
                if $new_fp + max_off > self.slots.len() {
                    self.slots.resize($new_fp + max_off, 0);
                    base = self.slots.as_mut_ptr();
                }
            }};
        }
        // Each arm passes its opcode as a constant, so the shared reference semantics
        // (`eval_binary`, `eval_binary64`, inlined) reduce to the one operation.
        macro_rules! bin32 {
            ($ins:expr, $op:expr) => {{
                let a = s!($ins.a) as u32;
                let b = if $ins.b_imm {
                    $ins.imm
                } else {
                    s!($ins.b) as u32
                };
                s!($ins.c) = fallible!(eval_binary($op, a, b)) as u64;
            }};
        }
        macro_rules! bin64 {
            ($ins:expr, $op:expr) => {{
                let a = s!($ins.a);
                let b = if $ins.b_imm {
                    $ins.imm as i32 as i64 as u64
                } else {
                    s!($ins.b)
                };
                s!($ins.c) = fallible!(eval_binary64($op, a, b));
            }};
        }
        macro_rules! fallible {
            ($r:expr) => {
                match $r {
                    Ok(v) => v,
                    Err(k) => trap!(k),
                }
            };
        }
        macro_rules! load {
            ($ins:expr, $n:literal, |$x:ident| $e:expr) => {{
                let ea = s!($ins.a) as u32 as usize + $ins.imm as usize;
                let bytes = self.store.memories[mem_idx].data.get(ea..ea + $n);
                let $x: [u8; $n] = match bytes {
                    Some(b) => b.try_into().expect("length"),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                };
                s!($ins.c) = $e;
            }};
        }
        macro_rules! store {
            ($ins:expr, $n:literal) => {{
                let ea = s!($ins.a) as u32 as usize + $ins.imm as usize;
                let v = s!($ins.b).to_le_bytes();
                match self.store.memories[mem_idx].data.get_mut(ea..ea + $n) {
                    Some(b) => b.copy_from_slice(&v[..$n]),
                    None => trap!(TrapKind::MemoryOutOfBounds),
                }
            }};
        }
        loop {
            let Some(&ins) = code.get(pc as usize) else {
                sync!();
                return Err(ExecError::PcOutOfRange(pc));
            };
            if cycles >= fuel && ins.op != Op::Halt {
                sync!();
                return Err(ExecError::OutOfFuel { fuel });
            }
            let mut next = pc + 1;
            match ins.op {
                Op::Add => bin32!(ins, Op::Add),
                Op::Sub => bin32!(ins, Op::Sub),
                Op::Mul => bin32!(ins, Op::Mul),
                Op::Shl => bin32!(ins, Op::Shl),
                Op::ShrU => bin32!(ins, Op::ShrU),
                Op::Rotl => bin32!(ins, Op::Rotl),
                Op::Rotr => bin32!(ins, Op::Rotr),
                Op::DivU => bin32!(ins, Op::DivU),
                Op::RemU => bin32!(ins, Op::RemU),
                Op::And => bin32!(ins, Op::And),
                Op::Or => bin32!(ins, Op::Or),
                Op::Xor => bin32!(ins, Op::Xor),
                Op::Eq => bin32!(ins, Op::Eq),
                Op::Ne => bin32!(ins, Op::Ne),
                Op::LtU => bin32!(ins, Op::LtU),
                Op::GeU => bin32!(ins, Op::GeU),
                Op::LtS => bin32!(ins, Op::LtS),
                Op::GeS => bin32!(ins, Op::GeS),
                Op::Const => s!(ins.c) = ins.imm as u64,
                Op::CMov => {
                    let b = if ins.b_imm { ins.imm } else { s!(ins.b) as u32 };
                    if b != 0 {
                        s!(ins.c) = s!(ins.a) as u32 as u64;
                    }
                }
                Op::Jmp => next = ins.imm,
                Op::Brz => {
                    if s!(ins.a) as u32 == 0 {
                        next = ins.imm
                    }
                }
                Op::Brnz => {
                    if s!(ins.a) as u32 != 0 {
                        next = ins.imm
                    }
                }
                Op::JTab => next = ins.imm.wrapping_add(s!(ins.a) as u32),
                Op::Call => {
                    let new_fp = fp + ins.a as usize;
                    let frame = inst.frame_at.get(ins.imm as usize).copied().unwrap_or(0);
                    let top = new_fp + frame as usize;
                    if top > limits.max_slots as usize || depth >= limits.max_call_depth {
                        trap!(TrapKind::StackExhausted);
                    }
                    ensure_frame!(new_fp);
                    depth += 1;
                    s!(ins.b) = fp as u64;
                    s!(ins.c) = (pc + 1) as u64;
                    next = ins.imm;
                    fp = new_fp;
                }
                Op::Ret => {
                    next = s!(ins.a) as u32;
                    let saved = s!(ins.b) as u32 as usize;
                    // Only a hand-made program can return to a frame that is not allocated.
                    if saved + max_off > self.slots.len() {
                        sync!();
                        return Err(ExecError::PcOutOfRange(next));
                    }
                    fp = saved;
                    depth -= 1;
                }
                Op::Halt => {
                    sync!();
                    return Ok(());
                }
                Op::Trap => trap!(TrapKind::from_code(ins.imm)),
                Op::Mov64 => s!(ins.c) = s!(ins.a),
                Op::Const64 => s!(ins.c) = ((ins.b as u64) << 32) | ins.imm as u64,
                Op::CMov64 => {
                    let b = if ins.b_imm { ins.imm } else { s!(ins.b) as u32 };
                    if b != 0 {
                        s!(ins.c) = s!(ins.a);
                    }
                }
                Op::I64Add => bin64!(ins, Op::I64Add),
                Op::I64Sub => bin64!(ins, Op::I64Sub),
                Op::I64Mul => bin64!(ins, Op::I64Mul),
                Op::I64DivS => bin64!(ins, Op::I64DivS),
                Op::I64DivU => bin64!(ins, Op::I64DivU),
                Op::I64RemS => bin64!(ins, Op::I64RemS),
                Op::I64RemU => bin64!(ins, Op::I64RemU),
                Op::I64And => bin64!(ins, Op::I64And),
                Op::I64Or => bin64!(ins, Op::I64Or),
                Op::I64Xor => bin64!(ins, Op::I64Xor),
                Op::I64Shl => bin64!(ins, Op::I64Shl),
                Op::I64ShrS => bin64!(ins, Op::I64ShrS),
                Op::I64ShrU => bin64!(ins, Op::I64ShrU),
                Op::I64Rotl => bin64!(ins, Op::I64Rotl),
                Op::I64Rotr => bin64!(ins, Op::I64Rotr),
                Op::I64Eq => bin64!(ins, Op::I64Eq),
                Op::I64Ne => bin64!(ins, Op::I64Ne),
                Op::I64LtS => bin64!(ins, Op::I64LtS),
                Op::I64LtU => bin64!(ins, Op::I64LtU),
                Op::I64GtS => bin64!(ins, Op::I64GtS),
                Op::I64GtU => bin64!(ins, Op::I64GtU),
                Op::I64LeS => bin64!(ins, Op::I64LeS),
                Op::I64LeU => bin64!(ins, Op::I64LeU),
                Op::I64GeS => bin64!(ins, Op::I64GeS),
                Op::I64GeU => bin64!(ins, Op::I64GeU),
                Op::I64Clz
                | Op::I64Ctz
                | Op::I64Popcnt
                | Op::I64Eqz
                | Op::I32Extend8S
                | Op::I32Extend16S
                | Op::I64Extend8S
                | Op::I64Extend16S
                | Op::I64Extend32S
                | Op::I32WrapI64
                | Op::I64ExtendI32U => s!(ins.c) = eval_unary(ins.op, s!(ins.a)),
                Op::I32Load | Op::I64Load32U => {
                    load!(ins, 4, |x| u32::from_le_bytes(x) as u64)
                }
                Op::I64Load32S => load!(ins, 4, |x| i32::from_le_bytes(x) as i64 as u64),
                Op::I32Load8S => load!(ins, 1, |x| x[0] as i8 as i32 as u32 as u64),
                Op::I64Load8S => load!(ins, 1, |x| x[0] as i8 as i64 as u64),
                Op::I32Load8U | Op::I64Load8U => load!(ins, 1, |x| x[0] as u64),
                Op::I32Load16S => {
                    load!(ins, 2, |x| i16::from_le_bytes(x) as i32 as u32 as u64)
                }
                Op::I64Load16S => load!(ins, 2, |x| i16::from_le_bytes(x) as i64 as u64),
                Op::I32Load16U | Op::I64Load16U => {
                    load!(ins, 2, |x| u16::from_le_bytes(x) as u64)
                }
                Op::I64Load => load!(ins, 8, |x| u64::from_le_bytes(x)),
                Op::I32Store8 | Op::I64Store8 => store!(ins, 1),
                Op::I32Store16 | Op::I64Store16 => store!(ins, 2),
                Op::I32Store | Op::I64Store32 => store!(ins, 4),
                Op::I64Store => store!(ins, 8),
                Op::GlobalGet => {
                    let g = inst.globals[ins.imm as usize] as usize;
                    s!(ins.c) = self.store.globals[g].value;
                }
                Op::GlobalSet => {
                    let g = inst.globals[ins.imm as usize] as usize;
                    self.store.globals[g].value = s!(ins.a);
                }
                Op::CallIndirect => {
                    let t = inst.tables[ins.c as usize] as usize;
                    let i = s!(ins.b) as u32 as usize;
                    let r = match self.store.tables[t].elems.get(i) {
                        Some(0) => trap!(TrapKind::UninitializedElement),
                        Some(r) => *r,
                        None => trap!(TrapKind::UndefinedElement),
                    };
                    let addr = (r - 1) as u32;
                    let f = &self.store.funcs[addr as usize];
                    if f.sig != inst.type_ids[ins.imm as usize] {
                        trap!(TrapKind::IndirectCallTypeMismatch);
                    }
                    match f.kind {
                        FuncKind::Wasm { instance, index } if instance == self.inst_id => {
                            let callee = &inst.program.functions[index as usize];
                            let new_fp = fp + ins.a as usize;
                            let top = new_fp + callee.frame_size as usize;
                            if top > limits.max_slots as usize || depth >= limits.max_call_depth {
                                trap!(TrapKind::StackExhausted);
                            }
                            ensure_frame!(new_fp);
                            depth += 1;
                            s!(ins.a + callee.ra_slot) = (pc + 1) as u64;
                            s!(ins.a + callee.ra_slot + 1) = fp as u64;
                            next = callee.entry_pc;
                            fp = new_fp;
                        }
                        _ => {
                            sync!();
                            self.call_external(addr, ins.a)?;
                            base = self.slots.as_mut_ptr();
                            cycles = self.store.cycles;
                            wasm = self.store.wasm_instrs;
                        }
                    }
                }
                Op::CallImport => {
                    let addr = inst.funcs[ins.imm as usize];
                    sync!();
                    self.call_external(addr, ins.a)?;
                    base = self.slots.as_mut_ptr();
                    cycles = self.store.cycles;
                    wasm = self.store.wasm_instrs;
                }
                _ => {
                    sync!();
                    self.rare(ins)?;
                    base = self.slots.as_mut_ptr();
                }
            }
            if COUNT {
                wasm += weights[pc as usize] as u64;
            }
            cycles += 1;
            pc = next;
        }
    }
}
