//! The fast interpreter: every instruction, results only, no trace. Used by `Store::invoke`,
//! `Store::invoke_counted`, `run`, start functions and calls between instances.
//!
//! The machine state lives in locals and is written back to the [`Frame`] before anything
//! that can observe it. Slots are accessed without bounds checks; why that is sound is
//! explained at [`Fast::execute`] and in `docs/executor.md` ("The fast path").

use std::sync::Arc;

use gloam_isa::{eval_binary, Instr, Op, TrapKind, ValType};

use super::frame::Frame;
use crate::store::{FuncKind, Instance, Store, PAGE};
use crate::ExecError;

/// The fast interpreter over one [`Frame`].
pub(super) struct Fast<'s> {
    frame: Frame<'s>,
}

impl<'s> Fast<'s> {
    /// A machine about to run defined function `index` of instance `inst` with argument
    /// words `args`.
    ///
    /// It starts with `max_offset` slots (at least the entry function's frame): the invariant
    /// `slots.len() >= fp + max_offset` that [`Fast::execute`] relies on holds from the start.
    pub(super) fn new(
        store: &'s mut Store,
        inst: Arc<Instance>,
        inst_id: u32,
        index: u32,
        args: &[u64],
        depth: u32,
    ) -> Result<Self, ExecError> {
        let reserve = inst.max_offset;
        let frame = Frame::new(store, inst, inst_id, index, args, depth, reserve)?;
        Ok(Fast { frame })
    }

    /// The entry function's result words (after [`Fast::execute`] returned `Ok`).
    pub(super) fn results(&self) -> Vec<u64> {
        self.frame.results()
    }

    /// Runs to the final `HALT`: every instruction, no trace. The machine state lives in
    /// locals (`pc`, `fp`, `depth`, the cycle counters) and is written back to the frame and
    /// the store before anything that can observe it (traps, calls out of the instance, rare
    /// instructions, the end).
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
    pub(super) fn execute<const COUNT: bool>(&mut self) -> Result<(), ExecError> {
        let inst = self.frame.inst.clone();
        let max_off = inst.max_offset as usize;
        let mut base: *mut u64 = self.frame.slots.as_mut_ptr();
        let code = &inst.program.instrs[..];
        let weights = &inst.program.wasm_weight[..];
        let limits = self.frame.store.limits;
        let fuel = limits.fuel;
        let mem_idx = inst.memory.map_or(usize::MAX, |m| m as usize);
        let commit_pc = self.frame.commit_pc();
        let mut pc = self.frame.pc;
        let mut fp = self.frame.fp as usize;
        let mut depth = self.frame.depth;
        let mut cycles = self.frame.store.cycles;
        let mut wasm = self.frame.store.wasm_instrs;
        macro_rules! sync {
            () => {{
                self.frame.pc = pc;
                self.frame.fp = fp as u32;
                self.frame.depth = depth;
                self.frame.store.cycles = cycles;
                self.frame.store.wasm_instrs = wasm;
            }};
        }
        macro_rules! trap {
            ($k:expr) => {{
                sync!();
                return Err(self.frame.trap($k));
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
                if $new_fp + max_off > self.frame.slots.len() {
                    self.frame.slots.resize($new_fp + max_off, 0);
                    base = self.frame.slots.as_mut_ptr();
                }
            }};
        }
        // Each arm passes its opcode as a constant, so the shared reference semantics
        // (`eval_binary`, inlined) reduce to the one operation. Every slot holds a 32-bit
        // word; every instruction writes one.
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
                let bytes = self.frame.store.memories[mem_idx].data.get(ea..ea + $n);
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
                let v = (s!($ins.b) as u32).to_le_bytes();
                match self.frame.store.memories[mem_idx].data.get_mut(ea..ea + $n) {
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
                Op::MulHU => bin32!(ins, Op::MulHU),
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
                    if Some(ins.imm) == commit_pc {
                        let (ptr, len) = (s!(ins.a) as u32, s!(ins.a + 1) as u32);
                        self.frame.record_commit(ptr, len);
                    }
                    depth += 1;
                    s!(ins.b) = fp as u64;
                    s!(ins.c) = (pc + 1) as u64;
                    next = ins.imm;
                    fp = new_fp;
                }
                Op::Advice => s!(ins.c) = self.frame.advice(ins.imm) as u64,
                Op::Ret => {
                    next = s!(ins.a) as u32;
                    let saved = s!(ins.b) as u32 as usize;
                    // Only a hand-made program can return to a frame that is not allocated.
                    if saved + max_off > self.frame.slots.len() {
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
                Op::I32Load => load!(ins, 4, |x| u32::from_le_bytes(x) as u64),
                Op::I32Load8S => load!(ins, 1, |x| x[0] as i8 as i32 as u32 as u64),
                Op::I32Load8U => load!(ins, 1, |x| x[0] as u64),
                Op::I32Load16S => {
                    load!(ins, 2, |x| i16::from_le_bytes(x) as i32 as u32 as u64)
                }
                Op::I32Load16U => load!(ins, 2, |x| u16::from_le_bytes(x) as u64),
                Op::I32Store8 => store!(ins, 1),
                Op::I32Store16 => store!(ins, 2),
                Op::I32Store => store!(ins, 4),
                Op::GlobalGet => s!(ins.c) = self.frame.global_word(ins.imm) as u64,
                Op::GlobalGetAt => match self.frame.entry_word(ins.imm, s!(ins.a) as u32) {
                    Ok(w) => s!(ins.c) = self.frame.global_word(w) as u64,
                    Err(k) => trap!(k),
                },
                Op::GlobalSetAt => {
                    let v = s!(ins.a) as u32;
                    let w = match self.frame.entry_word(ins.imm, s!(ins.b) as u32) {
                        Ok(w) => w,
                        Err(k) => trap!(k),
                    };
                    if let Err(k) = self.frame.set_global_word(w, v) {
                        trap!(k);
                    }
                }
                Op::GlobalSet => {
                    let v = s!(ins.a) as u32;
                    if let Err(k) = self.frame.set_global_word(ins.imm, v) {
                        trap!(k);
                    }
                }
                Op::CallIndirect => {
                    let t = inst.tables[ins.c as usize] as usize;
                    let i = s!(ins.b) as u32 as usize;
                    let r = match self.frame.store.tables[t].elems.get(i) {
                        Some(0) => trap!(TrapKind::UninitializedElement),
                        Some(r) => *r,
                        None => trap!(TrapKind::UndefinedElement),
                    };
                    let addr = (r - 1) as u32;
                    let f = &self.frame.store.funcs[addr as usize];
                    if f.sig != inst.type_ids[ins.imm as usize] {
                        trap!(TrapKind::IndirectCallTypeMismatch);
                    }
                    match f.kind {
                        FuncKind::Wasm { instance, index } if instance == self.frame.inst_id => {
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
                            base = self.frame.slots.as_mut_ptr();
                            cycles = self.frame.store.cycles;
                            wasm = self.frame.store.wasm_instrs;
                        }
                    }
                }
                Op::CallImport => {
                    let addr = inst.funcs[ins.imm as usize];
                    sync!();
                    self.call_external(addr, ins.a)?;
                    base = self.frame.slots.as_mut_ptr();
                    cycles = self.frame.store.cycles;
                    wasm = self.frame.store.wasm_instrs;
                }
                _ => {
                    sync!();
                    self.rare(ins)?;
                    base = self.frame.slots.as_mut_ptr();
                }
            }
            if COUNT {
                wasm += weights[pc as usize] as u64;
            }
            cycles += 1;
            pc = next;
        }
    }

    /// The rarely executed instructions (memory size and bulk operations, tables, segment
    /// drops, `ref.func`), run with the machine state synchronised.
    fn rare(&mut self, ins: Instr) -> Result<(), ExecError> {
        match ins.op {
            Op::MemorySize => {
                let pages = self.mem().len() / PAGE;
                self.set(ins.c, pages as u64);
            }
            Op::MemoryGrow => {
                let n = self.get(ins.a) as u32;
                let a = self.frame.inst.memory.expect("validated") as usize;
                let limit = self.frame.store.limits.max_memory_pages;
                let m = &mut self.frame.store.memories[a];
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
                    return Err(self.frame.trap(TrapKind::MemoryOutOfBounds));
                }
                self.mem()[d as usize..(d + n) as usize].fill(v as u8);
            }
            Op::MemoryCopy => {
                let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                let (d, s, n) = (d as u32 as u64, s as u32 as u64, n as u32 as u64);
                let len = self.mem().len() as u64;
                if d + n > len || s + n > len {
                    return Err(self.frame.trap(TrapKind::MemoryOutOfBounds));
                }
                let (d, s, n) = (d as usize, s as usize, n as usize);
                self.mem().copy_within(s..s + n, d);
            }
            Op::MemoryInit => {
                let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                let mem = self.frame.inst.memory.expect("validated");
                let seg = self.frame.inst.datas[ins.imm as usize] as usize;
                self.frame
                    .store
                    .memory_init(mem, seg, d as u32, s as u32, n as u32)
                    .map_err(|k| self.frame.trap(k))?;
            }
            Op::DataDrop => {
                let seg = self.frame.inst.datas[ins.imm as usize] as usize;
                self.frame.store.drop_data(seg);
            }
            Op::TableGet | Op::TableSet => {
                let t = self.frame.inst.tables[ins.imm as usize] as usize;
                let i = self.get(ins.a) as u32 as usize;
                let v = self.get(ins.b);
                let elems = &mut self.frame.store.tables[t].elems;
                if i >= elems.len() {
                    return Err(self.frame.trap(TrapKind::TableOutOfBounds));
                }
                if ins.op == Op::TableGet {
                    let r = elems[i];
                    self.set(ins.c, r);
                } else {
                    elems[i] = v;
                }
            }
            Op::TableSize => {
                let t = self.frame.inst.tables[ins.imm as usize] as usize;
                let n = self.frame.store.tables[t].elems.len();
                self.set(ins.c, n as u64);
            }
            Op::TableGrow => {
                let t = self.frame.inst.tables[ins.imm as usize] as usize;
                let (init, n) = (self.get(ins.a), self.get(ins.a + 1) as u32);
                let limit = self.frame.store.limits.max_table_len as u64;
                let tab = &mut self.frame.store.tables[t];
                let old = tab.elems.len() as u64;
                let new = old + n as u64;
                let max = tab
                    .max
                    .map_or(u32::MAX as u64, |x| x as u64)
                    .min(limit)
                    .min(tab.word_capacity.map_or(u64::MAX, |c| c as u64));
                let r = if new > max {
                    u32::MAX as u64
                } else {
                    tab.elems.resize(new as usize, init);
                    old
                };
                self.set(ins.c, r);
            }
            Op::TableFill => {
                let t = self.frame.inst.tables[ins.imm as usize] as usize;
                let (i, v, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                let (i, n) = (i as u32 as usize, n as u32 as usize);
                let elems = &mut self.frame.store.tables[t].elems;
                if i as u64 + n as u64 > elems.len() as u64 {
                    return Err(self.frame.trap(TrapKind::TableOutOfBounds));
                }
                elems[i..i + n].fill(v);
            }
            Op::TableCopy => {
                let td = self.frame.inst.tables[ins.b as usize] as usize;
                let ts = self.frame.inst.tables[ins.c as usize] as usize;
                let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                let (d, s, n) = (d as u32 as usize, s as u32 as usize, n as u32 as usize);
                let (ld, ls) = (
                    self.frame.store.tables[td].elems.len(),
                    self.frame.store.tables[ts].elems.len(),
                );
                if d as u64 + n as u64 > ld as u64 || s as u64 + n as u64 > ls as u64 {
                    return Err(self.frame.trap(TrapKind::TableOutOfBounds));
                }
                if td == ts {
                    self.frame.store.tables[td].elems.copy_within(s..s + n, d);
                } else {
                    let src: Vec<u64> = self.frame.store.tables[ts].elems[s..s + n].to_vec();
                    self.frame.store.tables[td].elems[d..d + n].copy_from_slice(&src);
                }
            }
            Op::TableInit => {
                let t = self.frame.inst.tables[ins.b as usize];
                let seg = self.frame.inst.elems[ins.c as usize] as usize;
                let (d, s, n) = (self.get(ins.a), self.get(ins.a + 1), self.get(ins.a + 2));
                self.frame
                    .store
                    .table_init(t, seg, d as u32, s as u32, n as u32)
                    .map_err(|k| self.frame.trap(k))?;
            }
            Op::ElemDrop => {
                let seg = self.frame.inst.elems[ins.imm as usize] as usize;
                self.frame.store.elem_segs[seg] = Vec::new();
            }
            Op::RefFunc => {
                let addr = self.frame.inst.funcs[ins.imm as usize];
                self.set(ins.c, addr as u64 + 1);
            }
            op => unreachable!("{op:?} is executed inline by the fast path"),
        }
        Ok(())
    }

    #[inline(always)]
    fn get(&self, fp_off: u32) -> u64 {
        self.frame.slots[(self.frame.fp + fp_off) as usize]
    }

    #[inline(always)]
    fn set(&mut self, fp_off: u32, v: u64) {
        self.frame.slots[(self.frame.fp + fp_off) as usize] = v;
    }

    /// The memory's bytes; a module without memory has none (validation rules out its use).
    #[inline(always)]
    fn mem(&mut self) -> &mut Vec<u8> {
        let a = self
            .frame
            .inst
            .memory
            .expect("validated: memory instructions need a memory");
        &mut self.frame.store.memories[a as usize].data
    }

    /// Calls store function `addr` from outside this machine's instance (host function or
    /// another instance), with arguments and results packed in the slots from `fp + k`.
    fn call_external(&mut self, addr: u32, k: u32) -> Result<(), ExecError> {
        let sig = &self.frame.store.sigs[self.frame.store.funcs[addr as usize].sig as usize];
        let (np, nr) = (
            ValType::slots_of(&sig.params),
            ValType::slots_of(&sig.results),
        );
        self.frame.grow_stack(self.frame.fp + k, np.max(nr))?;
        let base = (self.frame.fp + k) as usize;
        let args: Vec<u64> = self.frame.slots[base..base + np as usize].to_vec();
        // Host traps and the re-entry bound are located at the calling instruction.
        let results = match self.frame.store.funcs[addr as usize].kind {
            FuncKind::Host(_) => self
                .frame
                .store
                .call_host(addr, &args)
                .map_err(|k| self.frame.trap(k))?,
            FuncKind::Wasm { .. } if self.frame.store.nesting_exhausted() => {
                return Err(self.frame.trap(TrapKind::StackExhausted))
            }
            FuncKind::Wasm { .. } => self.frame.store.call_addr(addr, &args, self.frame.depth)?,
        };
        self.frame.slots[base..base + results.len()].copy_from_slice(&results);
        Ok(())
    }
}
