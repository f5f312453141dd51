//! Lowering of one function body: the lowerer's state, the frame layout and the primitives
//! that emit instructions.
//!
//! The lowerer's methods are spread over one file per concern: the virtual stack
//! (`stack.rs`), control flow and calls (`control.rs`), the operator dispatch (`visit.rs`),
//! one-instruction numeric lowerings (`numeric.rs`), memory/global/table access
//! (`storage.rs`), multi-instruction expansions (`expand.rs`) and the `i64` operators
//! (`wide.rs`).

mod control;
mod expand;
mod numeric;
mod stack;
mod storage;
mod visit;
mod wide;

use wasmparser::{FunctionBody, Operator};

use super::emit::{Emitter, TableOp, Target};
use super::module::{slots, FnInfo, ParsedModule};
use super::{invalid, wasm_mnemonic, FrontendError};
use crate::isa::{Instr, Op};
use crate::module::{FuncSig, GlobalType};
use crate::program::{Function, Origin};
use control::Ctrl;
use stack::Val;

/// Where the function being lowered comes from.
#[derive(Clone, Copy)]
pub(super) struct Site {
    /// `Origin::func` of its instructions.
    pub(super) origin: u32,
    /// A helper function (`helpers.wat`): its direct calls target helpers, and its
    /// instructions account for no WebAssembly instructions of the program
    /// (`Program::wasm_weight`), the `call` that reaches it accounting for the operator.
    pub(super) helper: bool,
    /// The function's instructions account for the WebAssembly instructions they lower
    /// (false for helpers and start wrappers, which the module's code does not contain).
    pub(super) counted: bool,
    /// The function of one operation (`memory.init` of a data segment, a table operation):
    /// its operation is lowered in place (everywhere else, the operation calls this
    /// function).
    pub(super) in_place: bool,
    /// A function of the contract interface (`io.wat`): its imported functions are the
    /// front end's intrinsics (`FnLowerer::intrinsic`), and its memory is the program's.
    pub(super) io: bool,
}

/// Lowers defined function `idx` (0-based among defined functions) of `module`, whose locals
/// (parameters first) are wide or not as `local_wide` says, appending its code to `out`.
///
/// # Errors
/// [`FrontendError`] for a float or SIMD instruction or type, or a malformed body.
pub(super) fn lower(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    idx: u32,
    site: Site,
    local_wide: Vec<bool>,
    body: &FunctionBody<'_>,
) -> Result<Function, FrontendError> {
    let n_imp = module.module.num_func_imports;
    let info = &module.infos[(idx + n_imp) as usize];
    lower_with(
        out,
        module,
        info,
        module.name_of(idx),
        site,
        local_wide,
        body,
    )
}

/// Lowers the *start wrapper* of defined function `target`, exported as `export`: a function
/// of `target`'s type, without locals, whose body is
///
/// ```text
/// call $start  local.get 0 … local.get n-1  call $target
/// ```
///
/// A proof of a module with a start function covers the run of this wrapper from the module's
/// state before its start function ran: the start function's run, then the entry's, one trace
/// (`Program::proof_entry`).
///
/// # Errors
/// As [`lower`].
pub(super) fn lower_start_wrapper(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    start: Option<u32>,
    target: u32,
    export: &str,
    journal_end: bool,
) -> Result<Function, FrontendError> {
    let n_imp = module.module.num_func_imports;
    let callee = &module.infos[(target + n_imp) as usize];
    let info = FnInfo {
        params: callee.params.clone(),
        results: callee.results.clone(),
        local_slots: 0,
    };
    // No local declarations; `call` is 0x10, `local.get` 0x20, `end` 0x0b (spec §5.4).
    let mut code = vec![0u8];
    if let Some(start) = start {
        code.push(0x10);
        leb(&mut code, start);
    }
    for i in 0..info.params.len() as u32 {
        code.push(0x20);
        leb(&mut code, i);
    }
    code.push(0x10);
    leb(&mut code, target + n_imp);
    if journal_end {
        code.push(0x10);
        leb(&mut code, JOURNAL_END_CALL);
    }
    code.push(0x0b);
    let body = FunctionBody::new(wasmparser::BinaryReader::new(&code, 0));
    let site = Site {
        origin: start.unwrap_or(target + n_imp),
        helper: false,
        counted: false,
        in_place: false,
        io: false,
    };
    let local_wide = info.params.clone();
    lower_with(
        out,
        module,
        &info,
        format!("{export}+entry"),
        site,
        local_wide,
        &body,
    )
}

/// The function index a synthetic body (an entry wrapper's) calls for the journal's end
/// check (`crate::io::IoFn::JournalEnd`): no module has this many functions.
pub(super) const JOURNAL_END_CALL: u32 = u32::MAX;

/// Lowers contract-interface function `f` (`crate::io`) of `io.wat` in the context of
/// `module`'s memory, named `gloam.<name>`.
///
/// # Errors
/// As [`lower`].
pub(super) fn lower_io(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    f: crate::io::IoFn,
    origin: u32,
) -> Result<Function, FrontendError> {
    let io = &super::io::io_module().parsed;
    let j = super::io::io_module().index(f);
    let n_imp = io.module.num_func_imports;
    let info = &io.infos[(j + n_imp) as usize];
    let site = Site {
        origin,
        helper: false,
        counted: false,
        in_place: false,
        io: true,
    };
    let local_wide = io.local_types[j as usize].clone();
    let body = &io.bodies[j as usize];
    let mut lw = lowerer(
        out,
        io,
        info,
        format!("gloam.{}", f.name()),
        site,
        local_wide,
    );
    // The program's memory, not io.wat's placeholder.
    lw.size_word = crate::image::memory_size_word(&module.module);
    lw.max_pages = crate::image::max_memory_pages(&module.module);
    lw.memory_grows = module.memory_grows;
    lw.own_memory = module.module.memory.is_some();
    finish(lw, body)
}

/// Lowers the `memory.init` function of passive data segment `seg`: `(d, s, n) -> ()`, whose
/// body is `memory.init $seg (d, s, n)` lowered in place (range checks, then the byte loop
/// over a jump table of the segment's bytes, `FnLowerer::memory_init`). Every other
/// `memory.init` of the segment calls it, so the segment's table is in the program once.
/// `origin` is its `Origin::func` (an index past the module's functions, as for helpers).
///
/// # Errors
/// As [`lower`].
pub(super) fn lower_data_init(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    seg: u32,
    origin: u32,
) -> Result<Function, FrontendError> {
    // `memory.init` is 0xfc 8 seg 0 (memory 0).
    let mut op = vec![0xfc, 8];
    leb(&mut op, seg);
    op.push(0);
    lower_op_function(
        out,
        module,
        format!("memory.init data[{seg}]"),
        (vec![false; 3], Vec::new()),
        &op,
        origin,
    )
}

/// Lowers the function of a table operation of a table held in global words (`table.get`,
/// `table.set`, `table.grow`, `table.fill`, `table.copy`, `table.init`): its parameters are
/// the instruction's operands, its result the instruction's, and its body the instruction
/// lowered in place (`FnLowerer::table_get` and the others): a bounds check, then a jump
/// table with one entry per table entry (or element segment item), or a loop calling the
/// `table.get`/`table.set` functions. Every use of the operation calls it, so each jump
/// table is in the program once.
///
/// # Errors
/// As [`lower`].
pub(super) fn lower_table_op(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    op: TableOp,
    origin: u32,
) -> Result<Function, FrontendError> {
    // Opcodes (spec §5.4.5): table.get 0x25, table.set 0x26, then 0xfc-prefixed: table.init
    // 12 (elem, table), table.grow 15, table.copy 14 (dst, src), table.fill 17.
    let (name, mut code) = match op {
        TableOp::Get(t) => (format!("table.get {t}"), vec![0x25]),
        TableOp::Set(t) => (format!("table.set {t}"), vec![0x26]),
        TableOp::Grow(t) => (format!("table.grow {t}"), vec![0xfc, 15]),
        TableOp::Fill(t) => (format!("table.fill {t}"), vec![0xfc, 17]),
        TableOp::Copy(d, s) => (format!("table.copy {d} {s}"), vec![0xfc, 14]),
        TableOp::Init(t, e) => (format!("table.init {t} elem[{e}]"), vec![0xfc, 12]),
    };
    match op {
        TableOp::Get(t) | TableOp::Set(t) | TableOp::Grow(t) | TableOp::Fill(t) => {
            leb(&mut code, t)
        }
        TableOp::Copy(d, s) => {
            leb(&mut code, d);
            leb(&mut code, s);
        }
        TableOp::Init(t, e) => {
            leb(&mut code, e);
            leb(&mut code, t);
        }
    }
    let (n, r) = op.shape();
    let shape = (vec![false; n as usize], vec![false; r as usize]);
    lower_op_function(out, module, name, shape, &code, origin)
}

/// The `call_indirect` dispatch function of table `table` and type `type_index`
/// ([`Target::Dispatch`]): its parameters are the type's and the index, its results the
/// type's; its body `local.get 0 … local.get n` then `call_indirect`, lowered in place (the
/// site's bounds check, jump table and direct calls, [`Site::in_place`]), so a module's
/// `call_indirect` sites share one jump table per table and type.
///
/// # Errors
/// [`FrontendError`] if the type is not one Gloam supports.
pub(super) fn lower_dispatch(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    table: u32,
    type_index: u32,
    origin: u32,
) -> Result<Function, FrontendError> {
    let sig = match module.types.get(type_index as usize) {
        Some(Ok(sig)) => sig,
        _ => {
            return Err(FrontendError::InvalidWasm(format!(
                "call_indirect of unsupported type {type_index}"
            )))
        }
    };
    let mut params: Vec<bool> = sig.params.iter().map(|t| t.is_wide()).collect();
    params.push(false);
    let results: Vec<bool> = sig.results.iter().map(|t| t.is_wide()).collect();
    // `call_indirect` is 0x11 (type, table).
    let mut op = vec![0x11];
    leb(&mut op, type_index);
    leb(&mut op, table);
    let name = format!("call_indirect table {table} type {type_index}");
    lower_op_function(out, module, name, (params, results), &op, origin)
}

/// Lowers a function of parameters `params` and results `results` (wide or not), without
/// locals, whose body is `local.get 0 … local.get params-1`, then the instruction `op`
/// (encoded), lowered in place ([`Site::in_place`]).
fn lower_op_function(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    name: String,
    (params, results): (Vec<bool>, Vec<bool>),
    op: &[u8],
    origin: u32,
) -> Result<Function, FrontendError> {
    // No local declarations; `local.get` is 0x20, `end` 0x0b.
    let mut code = vec![0u8];
    for i in 0..params.len() as u32 {
        code.push(0x20);
        leb(&mut code, i);
    }
    code.extend_from_slice(op);
    code.push(0x0b);
    let body = FunctionBody::new(wasmparser::BinaryReader::new(&code, 0));
    let info = FnInfo {
        params: params.clone(),
        results,
        local_slots: 0,
    };
    let site = Site {
        origin,
        helper: false,
        counted: false,
        in_place: true,
        io: false,
    };
    lower_with(out, module, &info, name, site, params, &body)
}

/// Appends `v` as unsigned LEB128 (WebAssembly 2.0 §5.2.2), for the synthetic bodies above.
fn leb(code: &mut Vec<u8>, mut v: u32) {
    loop {
        let byte = (v & 0x7f) as u8;
        v >>= 7;
        if v == 0 {
            code.push(byte);
            return;
        }
        code.push(byte | 0x80);
    }
}

/// [`lower`] for a function whose signature shape and locals are `info`, named `name`.
fn lower_with(
    out: &mut Emitter,
    module: &ParsedModule<'_>,
    info: &FnInfo,
    name: String,
    site: Site,
    local_wide: Vec<bool>,
    body: &FunctionBody<'_>,
) -> Result<Function, FrontendError> {
    let lw = lowerer(out, module, info, name, site, local_wide);
    finish(lw, body)
}

/// The lowerer of a function of `module` whose signature shape and locals are `info`, named
/// `name`, about to lower its body at the emitter's end.
fn lowerer<'a>(
    out: &'a mut Emitter,
    module: &'a ParsedModule<'_>,
    info: &FnInfo,
    name: String,
    site: Site,
    local_wide: Vec<bool>,
) -> FnLowerer<'a> {
    let n_imp = module.module.num_func_imports;
    let param_slots = info.param_slots();
    let result_slots = info.result_slots();
    let ra_slot = ra_slot(param_slots, info.local_slots, result_slots);
    let mut local_slot = Vec::with_capacity(local_wide.len());
    let mut next = 0;
    for w in &local_wide {
        local_slot.push(next);
        next += 1 + *w as u32;
    }
    debug_assert_eq!(next, param_slots + info.local_slots);
    let entry_pc = out.len() as u32;
    FnLowerer {
        out,
        types: &module.types,
        func_types: &module.module.func_types,
        static_tables: &module.static_tables,
        size_word: crate::image::memory_size_word(&module.module),
        data_word0: crate::image::data_length_word(&module.module, 0),
        datas: &module.module.datas,
        max_pages: crate::image::max_memory_pages(&module.module),
        memory_grows: module.memory_grows,
        own_memory: module.module.memory.is_some(),
        infos: &module.infos,
        globals: &module.module.global_types,
        n_imp,
        func: site.origin,
        helper: site.helper,
        counted: site.counted,
        in_place: site.in_place,
        table_words: &module.table_words,
        segment_words: &module.segment_words,
        elem_word0: module
            .word_tables
            .is_some()
            .then(|| crate::image::elem_length_word(&module.module, 0)),
        elems: &module.module.elems,
        func_relocs: crate::io::only_io_imports(&module.module),
        func_name: name,
        param_slots,
        local_slots: info.local_slots,
        result_wide: info.results.clone(),
        local_wide,
        local_slot,
        t0: ra_slot + 2,
        stack: Vec::new(),
        ctrl: Vec::new(),
        max_slot: ra_slot + 2,
        pending_weight: 0,
        offset: 0,
        last_def: None,
        label_floor: entry_pc as usize,
        dead: false,
        entry_pc,
        io_imports: crate::io::imported_io(&module.module),
        intrinsics: site.io,
    }
}

/// Lowers `body` with `lw` ([`lowerer`]) and describes the function.
fn finish(mut lw: FnLowerer<'_>, body: &FunctionBody<'_>) -> Result<Function, FrontendError> {
    lw.lower(body)?;
    let ra_slot = lw.ra();
    Ok(Function {
        name: lw.func_name,
        entry_pc: lw.entry_pc,
        param_slots: lw.param_slots,
        result_slots: slots(&lw.result_wide),
        ra_slot,
        frame_size: lw.max_slot,
    })
}

/// Slot of the saved return pc: above the parameters and locals, and above the result slots
/// (results are written to slots `0..results` just before `ret` reads the saved pc).
pub(super) fn ra_slot(param_slots: u32, local_slots: u32, result_slots: u32) -> u32 {
    (param_slots + local_slots).max(result_slots)
}

/// `B` operand of an emitted instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Opnd {
    S(u32),
    I(u32),
}

/// The state of lowering one function body.
struct FnLowerer<'a> {
    out: &'a mut Emitter,
    /// The module's signatures by type index (or the float/SIMD type that refuses one).
    types: &'a [Result<FuncSig, String>],
    /// Type index of every function (imports first).
    func_types: &'a [u32],
    /// Per table (imports first): its contents if no run can change them.
    static_tables: &'a [Option<super::tables::StaticTable>],
    /// The memory-size global word (`crate::image::memory_size_word`).
    size_word: u32,
    /// The length word of data segment 0 (`crate::image::data_length_word`); segment `i`'s
    /// is `data_word0 + i`.
    data_word0: u32,
    /// The module's data segments (`memory.init` copies their bytes from jump tables).
    datas: &'a [crate::module::DataSegment],
    /// The pages `memory.grow` may grow the memory to (`crate::image::max_memory_pages`).
    max_pages: u32,
    /// Some function of the module executes `memory.grow`: loads and stores check the size.
    memory_grows: bool,
    /// The module defines its memory (an imported one keeps `Op::MemorySize`/`MemoryGrow`).
    own_memory: bool,
    /// Every function's signature shape and locals, imports first.
    infos: &'a [FnInfo],
    globals: &'a [GlobalType],
    n_imp: u32,
    /// `Origin::func` of the instructions: the WebAssembly function index (imports first).
    func: u32,
    /// Lowering a helper function (see [`Site::helper`]).
    helper: bool,
    /// See [`Site::counted`].
    counted: bool,
    /// See [`Site::in_place`].
    in_place: bool,
    /// Per table (table index space): its global words if it is held in them.
    table_words: &'a [Option<crate::image::TableWords>],
    /// Per data segment: its words, if it is held in global words (`Program::data_words`).
    segment_words: &'a [Option<crate::image::SegmentWords>],
    /// The length word of element segment 0 (`crate::image::elem_length_word`), when the
    /// module's tables are held in global words.
    elem_word0: Option<u32>,
    /// The module's element segments (`table.init` copies their items from jump tables).
    elems: &'a [crate::module::ElemSegment],
    /// The module imports nothing but the contract interface: `ref.func f` is the relocated
    /// constant `f + 1`
    /// (`Program::func_relocs`), which the AIR covers, rather than `Op::RefFunc`.
    func_relocs: bool,
    func_name: String,
    /// Slots of the parameters.
    param_slots: u32,
    /// Slots of the declared locals (above the parameters).
    local_slots: u32,
    result_wide: Vec<bool>,
    /// Per local (parameters first): wide (`i64`) or not.
    local_wide: Vec<bool>,
    /// Per local: its (first) slot.
    local_slot: Vec<u32>,
    /// Slot of operand-stack position 0 (above the saved pc and `fp`); positions are packed
    /// from here.
    t0: u32,
    /// The virtual operand stack.
    stack: Vec<Val>,
    /// Open blocks, the function's own block first.
    ctrl: Vec<Ctrl>,
    /// One past the highest slot used: the frame size.
    max_slot: u32,
    /// WebAssembly instructions read since the last emitted instruction.
    pending_weight: u32,
    /// Byte offset of the operator being lowered.
    offset: usize,
    /// (pc, slot) of the last emitted instruction if it wrote `slot` independently of the
    /// slot's old value (a retargetable definition for the `local.set` peephole).
    last_def: Option<(usize, u32)>,
    /// The pc of the latest jump target (label) bound so far: the wide `local.set` peephole
    /// never rewrites code before it.
    label_floor: usize,
    dead: bool,
    /// The function's first pc.
    entry_pc: u32,
    /// Per imported function: the contract-interface function it is, if any
    /// (`crate::io::imported_io`): a direct call of one calls its lowered function.
    io_imports: Vec<Option<crate::io::IoFn>>,
    /// See [`Site::io`].
    intrinsics: bool,
}

impl FnLowerer<'_> {
    /// Lowers the body: zeroes the declared locals, then lowers operator by operator.
    fn lower(&mut self, body: &FunctionBody) -> Result<(), FrontendError> {
        // Prologue: WebAssembly locals start at zero; frames may reuse dirty slots.
        for l in 0..self.local_slots {
            self.konst(self.param_slots + l, 0);
        }
        self.ctrl.push(Ctrl::function(self.result_wide.clone()));
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset().map_err(invalid)?;
            self.offset = offset as usize;
            if self.counted {
                self.pending_weight += 1;
            }
            self.operator(op)?;
        }
        Ok(())
    }

    /// This function's saved-return-pc slot.
    pub(super) fn ra(&self) -> u32 {
        ra_slot(self.param_slots, self.local_slots, slots(&self.result_wide))
    }

    /// The call target of WebAssembly function `f` of the module being lowered.
    pub(super) fn target(&self, f: u32) -> Target {
        if self.helper {
            Target::Helper(f)
        } else {
            Target::Func(f - self.n_imp)
        }
    }

    /// Counts `slot` into the frame size.
    pub(super) fn touch(&mut self, slot: u32) {
        self.max_slot = self.max_slot.max(slot + 1);
    }

    /// Appends `i`, charging it the pending WebAssembly weight; returns its pc. Every slot it
    /// names counts into the frame size.
    pub(super) fn emit(&mut self, i: Instr) -> usize {
        self.max_slot = self.max_slot.max(i.slot_end() as u32);
        let weight = std::mem::take(&mut self.pending_weight);
        let origin = Origin {
            func: self.func,
            offset: self.offset as u32,
        };
        let pc = self.out.push(i, weight, origin);
        self.last_def = None;
        pc
    }

    /// Emits `op c, a, b` (`B` a slot or an immediate); it defines `c` for the peephole unless it
    /// is a conditional move.
    pub(super) fn op3(&mut self, op: Op, c: u32, a: u32, b: Opnd) -> usize {
        self.touch(c);
        let (b, imm, b_imm) = match b {
            Opnd::S(s) => (s, 0, false),
            Opnd::I(v) => (0, v, true),
        };
        let pc = self.emit(Instr {
            op,
            a,
            b,
            c,
            imm,
            b_imm,
        });
        if op != Op::CMov {
            self.last_def = Some((pc, c));
        }
        pc
    }

    /// Emits a non-arithmetic instruction with explicit fields.
    pub(super) fn raw(&mut self, op: Op, a: u32, b: u32, c: u32, imm: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            b,
            c,
            imm,
            b_imm: false,
        })
    }

    /// `i32` move (`add dst, src, 0`), nothing if `dst == src`.
    pub(super) fn mov(&mut self, dst: u32, src: u32) {
        if dst != src {
            self.op3(Op::Add, dst, src, Opnd::I(0));
        }
    }

    /// A move of a wide (two slots) or narrow value, nothing if `dst == src`. The low word
    /// moves first, so a move to a lower, overlapping place is safe.
    pub(super) fn mov_typed(&mut self, dst: u32, src: u32, wide: bool) {
        self.mov(dst, src);
        if wide {
            self.mov(dst + 1, src + 1);
        }
    }

    /// `const dst, v`.
    pub(super) fn konst(&mut self, dst: u32, v: u32) {
        self.touch(dst);
        let pc = self.emit(Instr {
            op: Op::Const,
            c: dst,
            imm: v,
            ..Instr::new(Op::Const)
        });
        self.last_def = Some((pc, dst));
    }

    /// A 64-bit constant in slots `dst` (low word) and `dst + 1` (high word).
    pub(super) fn konst64(&mut self, dst: u32, v: u64) {
        self.konst(dst, v as u32);
        self.konst(dst + 1, (v >> 32) as u32);
    }

    /// A jump or branch (`op`) on slot `a` to `target`; returns its pc for patching.
    pub(super) fn jump(&mut self, op: Op, a: u32, target: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            imm: target,
            ..Instr::new(op)
        })
    }

    /// The pc of the next instruction.
    pub(super) fn here(&self) -> u32 {
        self.out.len() as u32
    }

    /// Points jump `pc` at `target`. Targets are always labels at the current end of the code
    /// or earlier, so the `local.set` peepholes must not reach back across them.
    pub(super) fn patch(&mut self, pc: usize, target: u32) {
        self.out.at(pc).imm = target;
        self.label(target);
    }

    /// Records a label (jump target) at `pc`.
    pub(super) fn label(&mut self, pc: u32) {
        self.last_def = None;
        self.label_floor = self.label_floor.max(pc as usize);
    }

    /// The refusal of a float or SIMD operator (or one outside WebAssembly 2.0).
    pub(super) fn unsupported(&self, op: &Operator) -> FrontendError {
        let mut instr = format!("{op:?}");
        if let Some(p) = instr.find([' ', '{']) {
            instr.truncate(p);
        }
        FrontendError::UnsupportedInstruction {
            func: self.func_name.clone(),
            index: self.func,
            instr: wasm_mnemonic(&instr),
            offset: self.offset,
        }
    }

    /// The refusal of a float or SIMD type.
    pub(super) fn unsupported_type(&self, ty: String) -> FrontendError {
        FrontendError::UnsupportedType {
            func: self.func_name.clone(),
            index: self.func,
            ty,
        }
    }
}
