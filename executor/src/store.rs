//! The store: every function, table, memory and global of every instance, the host registry,
//! and instantiation and linking (WebAssembly 2.0 core spec §4.5, "Modules").
//!
//! The store holds data only and never runs code: it does not know the interpreters. The
//! `Store` methods that execute code (`instantiate`, which ends by running the start function,
//! `invoke`, `invoke_counted`) are implemented in `exec/invoke.rs`, so the dependency goes one
//! way, `exec` → `store`.

use std::collections::{BTreeMap, HashMap};
use std::sync::Arc;

use gloam_isa::{
    ConstExpr, ExportKind, FuncSig, GlobalType, ImportKind, Program, SegmentMode, TableType,
    TrapKind, ValType,
};

use crate::{ExecError, Limits, Value};

/// A host function: receives the arguments, returns the results or a trap.
pub(crate) type HostFn = dyn Fn(&[Value]) -> Result<Vec<Value>, TrapKind> + Send + Sync;

/// WebAssembly page size in bytes.
pub(crate) const PAGE: usize = 65536;

/// Handle of an instance in a [`Store`].
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash)]
pub struct InstanceId(pub u32);

/// Something an instance exports or the host defines: an address in the store.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ExternVal {
    /// Function address.
    Func(u32),
    /// Table address.
    Table(u32),
    /// Memory address.
    Memory(u32),
    /// Global address.
    Global(u32),
}

pub(crate) enum FuncKind {
    /// Defined function `index` (among defined functions) of `instance`.
    Wasm { instance: u32, index: u32 },
    /// A host function.
    Host(Arc<HostFn>),
}

pub(crate) struct FuncInst {
    /// Interned signature id.
    pub sig: u32,
    pub kind: FuncKind,
}

pub(crate) struct TableInst {
    pub elem: ValType,
    /// References: 0 for null, else store address + 1 (below 2^32).
    pub elems: Vec<u64>,
    pub max: Option<u32>,
    /// For a table its module holds in global words (`gloam_isa::image::table_words`): the
    /// capacity `Op::TableGrow` (another instance growing the exported table) cannot pass,
    /// so every entry stays one of the words.
    pub word_capacity: Option<u32>,
}

pub(crate) struct MemInst {
    pub data: Vec<u8>,
    pub max: Option<u32>,
}

pub(crate) struct GlobalInst {
    pub ty: GlobalType,
    /// [`Value::to_bits`]: an `i64` in all 64 bits, other values in the low 32; the global
    /// words of `global.get`/`global.set` are its low and high halves.
    pub value: u64,
}

/// An instance's view of the store: addresses for each of its index spaces.
pub(crate) struct Instance {
    pub program: Arc<Program>,
    pub funcs: Vec<u32>,
    pub tables: Vec<u32>,
    pub memory: Option<u32>,
    pub globals: Vec<u32>,
    /// Store signature id of each type index.
    pub type_ids: Vec<u32>,
    /// Store addresses of the element and data segments.
    pub elems: Vec<u32>,
    pub datas: Vec<u32>,
    /// Frame size of the function starting at each pc (0 elsewhere).
    pub frame_at: Vec<u32>,
    /// The length word of element segment 0 when the program holds its tables in global
    /// words (`gloam_isa::image::elem_length_word`).
    pub elem_word0: Option<u32>,
    /// The tables held in global words (`gloam_isa::image::table_words`) and their store
    /// addresses: the words are views of the store's tables (size = length, entry `i` =
    /// element `i`).
    pub table_words: Vec<(gloam_isa::image::TableWords, u32)>,
    /// The data segments held in global words (`gloam_isa::image::segment_words`) and their
    /// store addresses: word `first_word + i` is bytes `4i .. 4i + 4` of the segment.
    pub segment_words: Vec<(gloam_isa::image::SegmentWords, u32)>,
    /// Exceeds every slot offset any instruction accesses (`Instr::slot_end`) and every
    /// frame size: the fast path keeps this many slots above `fp` allocated.
    pub max_offset: u32,
}

/// All runtime state: instances and the functions, tables, memories and globals they own or
/// share, plus the names imports resolve against (host definitions and registered
/// instances). Deterministic: no iteration order of a hash map affects execution.
pub struct Store {
    pub(crate) limits: Limits,
    pub(crate) funcs: Vec<FuncInst>,
    pub(crate) tables: Vec<TableInst>,
    pub(crate) memories: Vec<MemInst>,
    pub(crate) globals: Vec<GlobalInst>,
    pub(crate) elem_segs: Vec<Vec<u64>>,
    pub(crate) data_segs: Vec<Arc<[u8]>>,
    /// Per data segment: its length word (`gloam_isa::image::data_length_word`), the length
    /// of `data_segs`' bytes unless a program wrote the word (the lowered `data.drop` writes
    /// 0); kept as written, as the AIR's global word is.
    pub(crate) data_len_words: Vec<u32>,
    pub(crate) instances: Vec<Arc<Instance>>,
    sig_ids: HashMap<FuncSig, u32>,
    pub(crate) sigs: Vec<FuncSig>,
    names: BTreeMap<(String, String), ExternVal>,
    /// Cycles of the current top-level invocation (nested calls included). This and the
    /// next three fields are the state of the current invocation, kept by `exec`.
    pub(crate) cycles: u64,
    pub(crate) wasm_instrs: u64,
    /// Host stack re-entries in progress.
    pub(crate) nesting: u32,
    /// Whether the current invocation counts WebAssembly instructions.
    pub(crate) count_wasm_instrs: bool,
    /// The contract interface's state (`gloam_isa::io`).
    pub(crate) io: IoState,
}

/// The contract interface's state in a run (`gloam_isa::io`): the input streams, the
/// journal as recorded so far, the private stream's cursor and the IO control words the
/// lowered code reads and writes. One per store: every instance of a store shares it (a
/// proven run has one instance; `run_io` starts a fresh store).
#[derive(Default)]
pub(crate) struct IoState {
    pub public: Vec<u8>,
    pub private: Vec<u8>,
    /// Bytes of `private` the `advice` instructions have given.
    pub private_pos: usize,
    pub journal: Vec<u8>,
    /// The control words `IO_WORD ..` (the lengths' entries unused: they come from the
    /// streams).
    pub words: [u32; gloam_isa::io::CONTROL_WORDS as usize],
}

impl Store {
    /// An empty store whose runs obey `limits`.
    pub fn new(limits: Limits) -> Store {
        Store {
            limits,
            funcs: Vec::new(),
            tables: Vec::new(),
            memories: Vec::new(),
            globals: Vec::new(),
            elem_segs: Vec::new(),
            data_segs: Vec::new(),
            data_len_words: Vec::new(),
            instances: Vec::new(),
            sig_ids: HashMap::new(),
            sigs: Vec::new(),
            names: BTreeMap::new(),
            cycles: 0,
            wasm_instrs: 0,
            nesting: 0,
            count_wasm_instrs: false,
            io: IoState::default(),
        }
    }

    /// The limits every run in this store obeys.
    pub fn limits(&self) -> Limits {
        self.limits
    }

    pub(crate) fn intern(&mut self, sig: &FuncSig) -> u32 {
        if let Some(id) = self.sig_ids.get(sig) {
            return *id;
        }
        let id = self.sigs.len() as u32;
        self.sigs.push(sig.clone());
        self.sig_ids.insert(sig.clone(), id);
        id
    }

    fn define(&mut self, module: &str, name: &str, v: ExternVal) {
        self.names.insert((module.to_string(), name.to_string()), v);
    }

    /// Registers host function `module.name` of type `sig`. Imports of that name call `f`
    /// with arguments of the signature's types; it returns the results (checked against the
    /// signature) or a trap.
    pub fn define_func(
        &mut self,
        module: &str,
        name: &str,
        sig: FuncSig,
        f: impl Fn(&[Value]) -> Result<Vec<Value>, TrapKind> + Send + Sync + 'static,
    ) {
        let sig = self.intern(&sig);
        let addr = self.funcs.len() as u32;
        self.funcs.push(FuncInst {
            sig,
            kind: FuncKind::Host(Arc::new(f)),
        });
        self.define(module, name, ExternVal::Func(addr));
    }

    /// Registers host global `module.name` with initial `value`.
    ///
    /// # Panics
    /// If `value` is not representable ([`Value::is_representable`]: the external reference
    /// `u32::MAX`).
    pub fn define_global(&mut self, module: &str, name: &str, value: Value, mutable: bool) {
        assert!(
            value.is_representable(),
            "{value} does not fit a 32-bit slot"
        );
        let addr = self.globals.len() as u32;
        self.globals.push(GlobalInst {
            ty: GlobalType {
                ty: value.ty(),
                mutable,
            },
            value: value.to_bits(),
        });
        self.define(module, name, ExternVal::Global(addr));
    }

    /// Registers host memory `module.name` of `min_pages` zeroed 64 KiB pages.
    pub fn define_memory(&mut self, module: &str, name: &str, min_pages: u32, max: Option<u32>) {
        let addr = self.memories.len() as u32;
        self.memories.push(MemInst {
            data: vec![0; min_pages as usize * PAGE],
            max,
        });
        self.define(module, name, ExternVal::Memory(addr));
    }

    /// Registers host table `module.name` of `min` null elements of type `elem`.
    pub fn define_table(
        &mut self,
        module: &str,
        name: &str,
        elem: ValType,
        min: u32,
        max: Option<u32>,
    ) {
        let addr = self.tables.len() as u32;
        self.tables.push(TableInst {
            elem,
            elems: vec![0; min as usize],
            max,
            word_capacity: None,
        });
        self.define(module, name, ExternVal::Table(addr));
    }

    /// Makes every export of `instance` importable as `name.<export>`.
    pub fn register(&mut self, name: &str, instance: InstanceId) {
        let exports: Vec<(String, ExternVal)> = {
            let inst = &self.instances[instance.0 as usize];
            inst.program
                .module
                .exports
                .iter()
                .filter_map(|e| Some((e.name.clone(), export_val(inst, e.kind, e.index)?)))
                .collect()
        };
        for (n, v) in exports {
            self.define(name, &n, v);
        }
    }

    /// The export `name` of `instance`.
    pub fn export(&self, instance: InstanceId, name: &str) -> Option<ExternVal> {
        let inst = self.instances.get(instance.0 as usize)?;
        let e = inst.program.module.export(name)?;
        export_val(inst, e.kind, e.index)
    }

    /// The current value of global export `name` of `instance`.
    pub fn global_value(&self, instance: InstanceId, name: &str) -> Option<Value> {
        match self.export(instance, name)? {
            ExternVal::Global(g) => {
                let g = &self.globals[g as usize];
                Some(Value::from_bits(g.ty.ty, g.value))
            }
            _ => None,
        }
    }

    /// The signature of the function at store address `addr`.
    pub fn func_sig(&self, addr: u32) -> Option<&FuncSig> {
        let f = self.funcs.get(addr as usize)?;
        self.sigs.get(f.sig as usize)
    }

    /// Linear memory `addr`'s bytes.
    pub fn memory(&self, addr: u32) -> Option<&[u8]> {
        self.memories.get(addr as usize).map(|m| &m.data[..])
    }

    fn resolve(&self, module: &str, name: &str) -> Result<ExternVal, ExecError> {
        self.names
            .get(&(module.to_string(), name.to_string()))
            .copied()
            .ok_or_else(|| ExecError::UnknownImport {
                module: module.into(),
                name: name.into(),
            })
    }

    /// Instantiation up to, not including, the start function (§4.5.4): resolves the imports
    /// of `program` by name among host definitions and registered instances (checking kinds
    /// and types, §4.5.3 "Import matching"), allocates its functions, tables, memory and
    /// globals, and applies active element and data segments in order (a segment out of
    /// bounds traps, and earlier segments' writes to shared tables and memories stay, as the
    /// spec requires). Returns the instance and the store address of its start function, which
    /// `Store::instantiate` (`exec/invoke.rs`) then runs.
    ///
    /// # Errors
    /// [`ExecError::UnknownImport`], [`ExecError::IncompatibleImport`],
    /// [`ExecError::ResourceLimit`], or the trap of a segment.
    pub(crate) fn instantiate_module(
        &mut self,
        program: Arc<Program>,
    ) -> Result<(InstanceId, Option<u32>), ExecError> {
        // The relocations (`Program::func_relocs`, only in modules without imports but the
        // contract interface's): the module's function index space, those imports first,
        // starts at store address `self.funcs.len()`.
        let base = self.funcs.len() as u32;
        let program = if base != 0 && !program.func_relocs.is_empty() {
            let mut p = (*program).clone();
            for &pc in &program.func_relocs {
                let Some(i) = p.instrs.get_mut(pc as usize) else {
                    return Err(ExecError::PcOutOfRange(pc));
                };
                i.imm = i.imm.wrapping_add(base);
            }
            Arc::new(p)
        } else {
            program
        };
        let m = &program.module;
        let mut funcs = Vec::new();
        let mut tables = Vec::new();
        let mut memory = None;
        let mut globals = Vec::new();
        let type_ids: Vec<u32> = m.types.iter().map(|t| self.intern(t)).collect();
        let io = gloam_isa::io::imported_io(m);
        let mut func_import = 0;
        for imp in &m.imports {
            // The contract interface (`gloam_isa::io`) is lowered into the program; a direct
            // call never leaves it, nor a call through a table held in global words. Each
            // import gets its own function here, whatever the host defines, which fails when
            // called through an executor-only `call_indirect`; allocated in import order
            // before the module's functions, so a relocated reference `f + 1 + base`
            // (`Program::func_relocs`) names it.
            let is_io = matches!(imp.kind, ImportKind::Func(_))
                && io.get(func_import).copied().flatten().is_some();
            func_import += matches!(imp.kind, ImportKind::Func(_)) as usize;
            let v = match is_io {
                true => {
                    let ImportKind::Func(t) = imp.kind else {
                        unreachable!("an interface import is a function")
                    };
                    self.funcs.push(FuncInst {
                        sig: type_ids[t as usize],
                        kind: FuncKind::Host(Arc::new(|_: &[Value]| Err(TrapKind::HostError))),
                    });
                    ExternVal::Func(self.funcs.len() as u32 - 1)
                }
                false => self.resolve(&imp.module, &imp.name)?,
            };
            let bad = |why: String| ExecError::IncompatibleImport {
                module: imp.module.clone(),
                name: imp.name.clone(),
                why,
            };
            match (&imp.kind, v) {
                (ImportKind::Func(t), ExternVal::Func(a)) => {
                    let have = self.funcs[a as usize].sig;
                    if have != type_ids[*t as usize] {
                        return Err(bad(format!(
                            "function of type {} where {} is expected",
                            self.sigs[have as usize], m.types[*t as usize]
                        )));
                    }
                    funcs.push(a);
                }
                (ImportKind::Table(tt), ExternVal::Table(a)) => {
                    let t = &self.tables[a as usize];
                    let ok = t.elem == tt.elem
                        && limits_match(t.elems.len() as u64, t.max, tt.limits.min, tt.limits.max);
                    if !ok {
                        return Err(bad("table type or limits do not match".into()));
                    }
                    tables.push(a);
                }
                (ImportKind::Memory(l), ExternVal::Memory(a)) => {
                    let mm = &self.memories[a as usize];
                    if !limits_match((mm.data.len() / PAGE) as u64, mm.max, l.min, l.max) {
                        return Err(bad("memory limits do not match".into()));
                    }
                    memory = Some(a);
                }
                (ImportKind::Global(gt), ExternVal::Global(a)) => {
                    if self.globals[a as usize].ty != *gt {
                        return Err(bad("global type does not match".into()));
                    }
                    globals.push(a);
                }
                _ => return Err(bad("wrong kind of external value".into())),
            }
        }

        let instance = self.instances.len() as u32;
        // The module's defined functions (the program's helper functions after them are
        // reached only by `call` and are no store functions).
        let defined = m.func_types.len() - m.num_func_imports as usize;
        for i in 0..defined {
            let sig = type_ids[m.func_types[m.num_func_imports as usize + i] as usize];
            funcs.push(self.funcs.len() as u32);
            self.funcs.push(FuncInst {
                sig,
                kind: FuncKind::Wasm {
                    instance,
                    index: i as u32,
                },
            });
        }
        for t in &m.tables {
            tables.push(self.alloc_table(t)?);
        }
        for w in program.word_tables.iter().flatten() {
            if let Some(&addr) = tables.get(w.table as usize) {
                self.tables[addr as usize].word_capacity = Some(w.capacity);
            }
        }
        if let Some(l) = m.memory {
            if l.min > self.limits.max_memory_pages {
                return Err(ExecError::ResourceLimit(format!(
                    "memory of {} pages exceeds the limit of {} pages",
                    l.min, self.limits.max_memory_pages
                )));
            }
            memory = Some(self.memories.len() as u32);
            self.memories.push(MemInst {
                data: vec![0; l.min as usize * PAGE],
                max: l.max,
            });
        }
        for (gt, init) in &m.globals {
            let value = self.eval_const(init, &globals, &funcs);
            globals.push(self.globals.len() as u32);
            self.globals.push(GlobalInst { ty: *gt, value });
        }
        let mut elems = Vec::new();
        for seg in &m.elems {
            let items: Vec<u64> = seg
                .items
                .iter()
                .map(|e| self.eval_const(e, &globals, &funcs))
                .collect();
            elems.push(self.elem_segs.len() as u32);
            self.elem_segs.push(items);
        }
        let mut datas = Vec::new();
        for seg in &m.datas {
            datas.push(self.data_segs.len() as u32);
            self.data_segs.push(seg.bytes.clone().into());
            self.data_len_words.push(seg.bytes.len() as u32);
        }
        let mut frame_at = vec![0; program.instrs.len()];
        for g in &program.functions {
            frame_at[g.entry_pc as usize] = g.frame_size;
        }
        let max_offset = program
            .instrs
            .iter()
            .map(|i| i.slot_end())
            .chain(program.functions.iter().map(|f| f.frame_size as u64))
            .max()
            .unwrap_or(0);
        if max_offset > self.limits.max_slots as u64 {
            return Err(ExecError::ResourceLimit(format!(
                "the program addresses frame slot {max_offset}, beyond the limit of {} slots",
                self.limits.max_slots
            )));
        }
        let max_offset = max_offset as u32;
        let elem_word0 = program
            .word_tables
            .is_some()
            .then(|| gloam_isa::image::elem_length_word(m, 0));
        let table_words = gloam_isa::image::table_words(&program)
            .into_iter()
            .map(|w| (w, tables[w.table as usize]))
            .collect();
        let segment_words = gloam_isa::image::segment_words(&program)
            .into_iter()
            .map(|w| (w, datas[w.seg as usize]))
            .collect();
        let inst = Arc::new(Instance {
            elem_word0,
            table_words,
            segment_words,
            max_offset,
            program: program.clone(),
            funcs,
            tables,
            memory,
            globals,
            type_ids,
            elems,
            datas,
            frame_at,
        });
        self.instances.push(inst.clone());
        let id = InstanceId(instance);

        // Active element segments, then active data segments (§4.5.4 steps 14-15).
        let trap = |kind| ExecError::Trap {
            kind,
            pc: 0,
            func: "<instantiation>".into(),
            offset: 0,
            cycle: 0,
        };
        for (i, seg) in m.elems.iter().enumerate() {
            let seg_addr = inst.elems[i] as usize;
            match seg.mode {
                SegmentMode::Active { index, offset } => {
                    let off = self.eval_const(&offset, &inst.globals, &inst.funcs) as u32;
                    let n = self.elem_segs[seg_addr].len() as u32;
                    self.table_init(inst.tables[index as usize], seg_addr, off, 0, n)
                        .map_err(trap)?;
                    self.elem_segs[seg_addr] = Vec::new();
                }
                SegmentMode::Declarative => self.elem_segs[seg_addr] = Vec::new(),
                SegmentMode::Passive => {}
            }
        }
        for (i, seg) in m.datas.iter().enumerate() {
            let seg_addr = inst.datas[i] as usize;
            if let SegmentMode::Active { offset, .. } = seg.mode {
                let off = self.eval_const(&offset, &inst.globals, &inst.funcs) as u32;
                let n = self.data_segs[seg_addr].len() as u32;
                let mem = inst.memory.unwrap_or(u32::MAX);
                self.memory_init(mem, seg_addr, off, 0, n).map_err(trap)?;
                self.drop_data(seg_addr);
            }
        }
        let start = m.start.map(|start| inst.funcs[start as usize]);
        Ok((id, start))
    }

    fn alloc_table(&mut self, t: &TableType) -> Result<u32, ExecError> {
        if t.limits.min > self.limits.max_table_len {
            return Err(ExecError::ResourceLimit(format!(
                "table of {} elements exceeds the limit of {}",
                t.limits.min, self.limits.max_table_len
            )));
        }
        self.tables.push(TableInst {
            elem: t.elem,
            elems: vec![0; t.limits.min as usize],
            max: t.limits.max,
            word_capacity: None,
        });
        Ok(self.tables.len() as u32 - 1)
    }

    fn eval_const(&self, e: &ConstExpr, globals: &[u32], funcs: &[u32]) -> u64 {
        match *e {
            ConstExpr::I32(v) => v as u64,
            ConstExpr::I64(v) => v,
            ConstExpr::RefNull => 0,
            ConstExpr::RefFunc(f) => funcs[f as usize] as u64 + 1,
            ConstExpr::GlobalGet(g) => self.globals[globals[g as usize] as usize].value,
        }
    }

    /// `table.init`: copies `n` references from element segment `seg` at `src` into table
    /// `table` at `dst`.
    pub(crate) fn table_init(
        &mut self,
        table: u32,
        seg: usize,
        dst: u32,
        src: u32,
        n: u32,
    ) -> Result<(), TrapKind> {
        let items = &self.elem_segs[seg];
        let t = &mut self.tables[table as usize];
        if src as u64 + n as u64 > items.len() as u64
            || dst as u64 + n as u64 > t.elems.len() as u64
        {
            return Err(TrapKind::TableOutOfBounds);
        }
        let (s, d, n) = (src as usize, dst as usize, n as usize);
        t.elems[d..d + n].copy_from_slice(&items[s..s + n]);
        Ok(())
    }

    /// `data.drop` of the data segment at store address `seg`: no bytes, length word 0.
    pub(crate) fn drop_data(&mut self, seg: usize) {
        self.data_segs[seg] = Arc::from(&[][..]);
        self.data_len_words[seg] = 0;
    }

    /// `memory.init`: copies `n` bytes of data segment `seg` from `src` to memory `mem` at
    /// `dst`.
    pub(crate) fn memory_init(
        &mut self,
        mem: u32,
        seg: usize,
        dst: u32,
        src: u32,
        n: u32,
    ) -> Result<(), TrapKind> {
        let bytes = &self.data_segs[seg];
        let len = self
            .memories
            .get(mem as usize)
            .map_or(0, |m| m.data.len() as u64);
        if src as u64 + n as u64 > bytes.len() as u64 || dst as u64 + n as u64 > len {
            return Err(TrapKind::MemoryOutOfBounds);
        }
        if n > 0 {
            let (s, d, n) = (src as usize, dst as usize, n as usize);
            let bytes = bytes.clone();
            self.memories[mem as usize].data[d..d + n].copy_from_slice(&bytes[s..s + n]);
        }
        Ok(())
    }
}

fn export_val(inst: &Instance, kind: ExportKind, index: u32) -> Option<ExternVal> {
    Some(match kind {
        ExportKind::Func => ExternVal::Func(*inst.funcs.get(index as usize)?),
        ExportKind::Table => ExternVal::Table(*inst.tables.get(index as usize)?),
        ExportKind::Memory => ExternVal::Memory(inst.memory?),
        ExportKind::Global => ExternVal::Global(*inst.globals.get(index as usize)?),
    })
}

/// Import matching of limits (§4.5.3): the provider's current size is at least the import's
/// minimum, and if the import declares a maximum, the provider has one no larger.
fn limits_match(size: u64, max: Option<u32>, want_min: u32, want_max: Option<u32>) -> bool {
    size >= want_min as u64
        && match want_max {
            None => true,
            Some(wm) => max.is_some_and(|m| m <= wm),
        }
}
