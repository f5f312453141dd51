//! The WebAssembly front end: validation with `wasmparser`, then lowering of each function body
//! to Gloam's three-address form.
//!
//! The operand stack is resolved at compile time: every stack position `i` of a function has a
//! canonical frame slot `t0 + i`, and a *virtual stack* remembers, for each position, whether
//! the value is already in its canonical slot, still sits in a local's slot, or is a constant.
//! Instructions then read their operands straight from locals and immediates, so
//! `local.get a; local.get b; i32.add; local.set c` lowers to the single instruction
//! `add c, a, b`. At control-flow boundaries the virtual stack is flushed to canonical slots.

use wasmparser::{
    BlockType, CompositeInnerType, ConstExpr as WpConstExpr, DataKind, ElementItems, ElementKind,
    ExternalKind, MemArg, Operator, Parser, Payload, RefType, TypeRef, ValType as WpValType,
    Validator, WasmFeatures,
};

use crate::isa::{trap_code, Instr, Op};
use crate::module::{
    ConstExpr, DataSegment, ElemSegment, Export, ExportKind, FuncSig, GlobalType, Import,
    ImportKind, Limits, ModuleInfo, SegmentMode, TableType, ValType,
};
use crate::program::{Function, Origin, Program, ProgramError};
use crate::semantics::{eval_binary, eval_binary64, eval_unary};

/// Why a module cannot be loaded.
#[derive(Debug, thiserror::Error)]
pub enum FrontendError {
    /// The bytes are not a valid WebAssembly 2.0 module (malformed or failing validation).
    #[error("invalid WebAssembly module: {0}")]
    InvalidWasm(String),
    /// The text is not valid WebAssembly text format.
    #[error("invalid WebAssembly text: {0}")]
    InvalidWat(String),
    /// A floating-point or SIMD instruction: Gloam supports integer WebAssembly 2.0 only.
    #[error("function `{func}` (index {index}) uses `{instr}` at byte offset {offset:#x}: floating-point and SIMD instructions are not supported (Gloam runs integer WebAssembly 2.0)")]
    UnsupportedInstruction {
        /// Function name.
        func: String,
        /// Function index (function index space, imports first).
        index: u32,
        /// The instruction's WebAssembly mnemonic.
        instr: String,
        /// Byte offset in the module.
        offset: usize,
    },
    /// A float or SIMD type in a signature, local, global or import.
    #[error("`{func}` (index {index}) uses type `{ty}`: floating-point and SIMD types are not supported (Gloam runs integer WebAssembly 2.0)")]
    UnsupportedType {
        /// Function, global or import naming the type.
        func: String,
        /// Its index.
        index: u32,
        /// The type.
        ty: String,
    },
    /// A function declares more locals than Gloam's frame layout allows.
    #[error("function `{func}` (index {index}) declares more than 65535 locals")]
    TooManyLocals {
        /// Function name.
        func: String,
        /// Function index.
        index: u32,
    },
    /// The lowered program breaks a structural limit.
    #[error(transparent)]
    Program(#[from] ProgramError),
}

impl FrontendError {
    /// Whether the module was refused only for using floating point or SIMD (as opposed to
    /// being malformed, invalid or too large).
    pub fn is_float_or_simd(&self) -> bool {
        matches!(
            self,
            FrontendError::UnsupportedInstruction { .. } | FrontendError::UnsupportedType { .. }
        )
    }
}

/// Loads a module given as binary WebAssembly (`\0asm` magic) or WebAssembly text.
///
/// # Errors
/// [`FrontendError`] if the module is malformed, invalid or uses floats or SIMD.
pub fn load_module(bytes: &[u8]) -> Result<Program, FrontendError> {
    if bytes.starts_with(b"\0asm") {
        lower_wasm(bytes)
    } else {
        let wasm = wat::parse_bytes(bytes).map_err(|e| FrontendError::InvalidWat(e.to_string()))?;
        lower_wasm(&wasm)
    }
}

fn invalid(e: impl std::fmt::Display) -> FrontendError {
    FrontendError::InvalidWasm(e.to_string())
}

/// Gloam's value type of a `wasmparser` value type; `None` for `f32`, `f64`, `v128`.
fn val_type(t: WpValType) -> Option<ValType> {
    match t {
        WpValType::I32 => Some(ValType::I32),
        WpValType::I64 => Some(ValType::I64),
        WpValType::Ref(r) if r.is_func_ref() => Some(ValType::FuncRef),
        WpValType::Ref(r) if r.is_extern_ref() => Some(ValType::ExternRef),
        _ => None,
    }
}

fn ref_type(r: RefType) -> Option<ValType> {
    val_type(WpValType::Ref(r))
}

fn limits(initial: u64, maximum: Option<u64>) -> Limits {
    Limits {
        min: initial.min(u32::MAX as u64) as u32,
        max: maximum.map(|m| m.min(u32::MAX as u64) as u32),
    }
}

/// Reads a constant expression (WebAssembly 2.0 §3.3.10).
fn const_expr(expr: &WpConstExpr, what: &str) -> Result<ConstExpr, FrontendError> {
    let mut reader = expr.get_operators_reader();
    let mut out = None;
    while !reader.eof() {
        let op = reader.read().map_err(invalid)?;
        let v = match op {
            Operator::I32Const { value } => ConstExpr::I32(value as u32),
            Operator::I64Const { value } => ConstExpr::I64(value as u64),
            Operator::RefNull { .. } => ConstExpr::RefNull,
            Operator::RefFunc { function_index } => ConstExpr::RefFunc(function_index),
            Operator::GlobalGet { global_index } => ConstExpr::GlobalGet(global_index),
            Operator::End => continue,
            other => {
                let name = format!("{other:?}");
                let head = name.split([' ', '{']).next().unwrap_or("");
                return Err(FrontendError::UnsupportedType {
                    func: what.to_string(),
                    index: 0,
                    ty: wasm_mnemonic(head),
                });
            }
        };
        out = Some(v);
    }
    out.ok_or_else(|| invalid(format!("empty constant expression in {what}")))
}

/// The WebAssembly 2.0 feature set (floats are validated, then refused when lowering, so a
/// float module is reported as unsupported rather than invalid).
fn wasm2_features() -> WasmFeatures {
    WasmFeatures::WASM2
}

/// Per WebAssembly function (imports first): what a caller needs to know.
#[derive(Clone)]
struct FnInfo {
    params: u32,
    /// Result types: wide (64-bit) or not.
    results: Vec<bool>,
    /// Declared locals (defined functions only).
    locals: u32,
}

/// Validates and lowers a binary WebAssembly module.
///
/// # Errors
/// [`FrontendError`] if the module is malformed, invalid or uses floats or SIMD.
pub fn lower_wasm(wasm: &[u8]) -> Result<Program, FrontendError> {
    Validator::new_with_features(wasm2_features())
        .validate_all(wasm)
        .map_err(invalid)?;

    let mut module = ModuleInfo::default();
    // Type index -> Gloam signature, or the first float/SIMD type it mentions.
    let mut types: Vec<Result<FuncSig, String>> = Vec::new();
    let mut bodies = Vec::new();
    let mut import_refusal: Option<FrontendError> = None;
    for payload in Parser::new(0).parse_all(wasm) {
        match payload.map_err(invalid)? {
            Payload::TypeSection(reader) => {
                for group in reader {
                    for sub in group.map_err(invalid)?.into_types() {
                        let sig = match &sub.composite_type.inner {
                            CompositeInnerType::Func(f) => {
                                let conv = |ts: &[WpValType]| -> Result<Vec<ValType>, String> {
                                    ts.iter()
                                        .map(|t| val_type(*t).ok_or_else(|| t.to_string()))
                                        .collect()
                                };
                                let sig = conv(f.params())
                                    .and_then(|p| conv(f.results()).map(|r| FuncSig::new(p, r)));
                                sig
                            }
                            _ => Err("non-function type".to_string()),
                        };
                        types.push(sig);
                    }
                }
            }
            Payload::ImportSection(reader) => {
                for import in reader.into_imports() {
                    let import = import.map_err(invalid)?;
                    let refuse = |ty: String| FrontendError::UnsupportedType {
                        func: format!("import {}.{}", import.module, import.name),
                        index: 0,
                        ty,
                    };
                    let kind = match import.ty {
                        TypeRef::Func(t) | TypeRef::FuncExact(t) => {
                            if let Some(Err(ty)) = types.get(t as usize) {
                                import_refusal.get_or_insert(refuse(ty.clone()));
                            }
                            module.func_types.push(t);
                            module.num_func_imports += 1;
                            ImportKind::Func(t)
                        }
                        TypeRef::Table(t) => ImportKind::Table(TableType {
                            elem: ref_type(t.element_type).unwrap_or(ValType::FuncRef),
                            limits: limits(t.initial, t.maximum),
                        }),
                        TypeRef::Memory(m) => ImportKind::Memory(limits(m.initial, m.maximum)),
                        TypeRef::Global(g) => match val_type(g.content_type) {
                            Some(ty) => {
                                let gt = GlobalType {
                                    ty,
                                    mutable: g.mutable,
                                };
                                module.global_types.push(gt);
                                ImportKind::Global(gt)
                            }
                            None => {
                                import_refusal.get_or_insert(refuse(g.content_type.to_string()));
                                let gt = GlobalType {
                                    ty: ValType::I32,
                                    mutable: g.mutable,
                                };
                                module.global_types.push(gt);
                                ImportKind::Global(gt)
                            }
                        },
                        TypeRef::Tag(_) => return Err(invalid("tags are not WebAssembly 2.0")),
                    };
                    module.imports.push(Import {
                        module: import.module.to_string(),
                        name: import.name.to_string(),
                        kind,
                    });
                }
            }
            Payload::FunctionSection(reader) => {
                for ty in reader {
                    module.func_types.push(ty.map_err(invalid)?);
                }
            }
            Payload::TableSection(reader) => {
                for table in reader {
                    let table = table.map_err(invalid)?;
                    module.tables.push(TableType {
                        elem: ref_type(table.ty.element_type).unwrap_or(ValType::FuncRef),
                        limits: limits(table.ty.initial, table.ty.maximum),
                    });
                }
            }
            Payload::MemorySection(reader) => {
                for mem in reader {
                    let mem = mem.map_err(invalid)?;
                    module.memory = Some(limits(mem.initial, mem.maximum));
                }
            }
            Payload::GlobalSection(reader) => {
                for global in reader {
                    let global = global.map_err(invalid)?;
                    let ty = val_type(global.ty.content_type).ok_or_else(|| {
                        FrontendError::UnsupportedType {
                            func: format!("global {}", module.global_types.len()),
                            index: module.global_types.len() as u32,
                            ty: global.ty.content_type.to_string(),
                        }
                    })?;
                    let gt = GlobalType {
                        ty,
                        mutable: global.ty.mutable,
                    };
                    let init = const_expr(&global.init_expr, "global initialiser")?;
                    module.global_types.push(gt);
                    module.globals.push((gt, init));
                }
            }
            Payload::ExportSection(reader) => {
                for export in reader {
                    let export = export.map_err(invalid)?;
                    let kind = match export.kind {
                        ExternalKind::Func | ExternalKind::FuncExact => ExportKind::Func,
                        ExternalKind::Table => ExportKind::Table,
                        ExternalKind::Memory => ExportKind::Memory,
                        ExternalKind::Global => ExportKind::Global,
                        ExternalKind::Tag => return Err(invalid("tags are not WebAssembly 2.0")),
                    };
                    module.exports.push(Export {
                        name: export.name.to_string(),
                        kind,
                        index: export.index,
                    });
                }
            }
            Payload::StartSection { func, .. } => module.start = Some(func),
            Payload::ElementSection(reader) => {
                for elem in reader {
                    let elem = elem.map_err(invalid)?;
                    let mode = match elem.kind {
                        ElementKind::Passive => SegmentMode::Passive,
                        ElementKind::Declared => SegmentMode::Declarative,
                        ElementKind::Active {
                            table_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: table_index.unwrap_or(0),
                            offset: const_expr(&offset_expr, "element segment offset")?,
                        },
                    };
                    let (ty, items) = match elem.items {
                        ElementItems::Functions(r) => (
                            ValType::FuncRef,
                            r.into_iter()
                                .map(|f| f.map(ConstExpr::RefFunc).map_err(invalid))
                                .collect::<Result<Vec<_>, _>>()?,
                        ),
                        ElementItems::Expressions(rt, r) => (
                            ref_type(rt).unwrap_or(ValType::FuncRef),
                            r.into_iter()
                                .map(|e| {
                                    e.map_err(invalid)
                                        .and_then(|e| const_expr(&e, "element segment item"))
                                })
                                .collect::<Result<Vec<_>, _>>()?,
                        ),
                    };
                    module.elems.push(ElemSegment { ty, mode, items });
                }
            }
            Payload::DataSection(reader) => {
                for data in reader {
                    let data = data.map_err(invalid)?;
                    let mode = match data.kind {
                        DataKind::Passive => SegmentMode::Passive,
                        DataKind::Active {
                            memory_index,
                            offset_expr,
                        } => SegmentMode::Active {
                            index: memory_index,
                            offset: const_expr(&offset_expr, "data segment offset")?,
                        },
                    };
                    module.datas.push(DataSegment {
                        mode,
                        bytes: data.data.to_vec(),
                    });
                }
            }
            Payload::CodeSectionEntry(body) => bodies.push(body),
            _ => {}
        }
    }
    let n_imp = module.num_func_imports;

    let mut exports: Vec<(String, u32)> = module
        .exports
        .iter()
        .filter(|e| e.kind == ExportKind::Func && e.index >= n_imp)
        .map(|e| (e.name.clone(), e.index - n_imp))
        .collect();
    exports.sort();

    let name_of = |idx: u32| -> String {
        exports
            .iter()
            .find(|(_, i)| *i == idx)
            .map(|(n, _)| n.clone())
            .unwrap_or_else(|| format!("func[{}]", idx + n_imp))
    };

    // Signatures of every function; float types are refused here, naming the function.
    let mut infos: Vec<FnInfo> = Vec::with_capacity(module.func_types.len());
    let mut local_types: Vec<Vec<bool>> = Vec::with_capacity(bodies.len());
    for (widx, ty) in module.func_types.iter().enumerate() {
        let widx = widx as u32;
        let sig = match types.get(*ty as usize) {
            Some(Ok(sig)) => sig.clone(),
            Some(Err(t)) => {
                return Err(FrontendError::UnsupportedType {
                    func: if widx < n_imp {
                        format!("import func[{widx}]")
                    } else {
                        name_of(widx - n_imp)
                    },
                    index: widx,
                    ty: t.clone(),
                })
            }
            None => return Err(invalid(format!("bad type index {ty}"))),
        };
        let mut info = FnInfo {
            params: sig.params.len() as u32,
            results: sig.results.iter().map(|t| t.is_wide()).collect(),
            locals: 0,
        };
        if widx >= n_imp {
            let body = &bodies[(widx - n_imp) as usize];
            let mut wide: Vec<bool> = sig.params.iter().map(|t| t.is_wide()).collect();
            let reader = body.get_locals_reader().map_err(invalid)?;
            for local in reader {
                let (count, ty) = local.map_err(invalid)?;
                let ty = val_type(ty).ok_or_else(|| FrontendError::UnsupportedType {
                    func: name_of(widx - n_imp),
                    index: widx,
                    ty: ty.to_string(),
                })?;
                info.locals = info
                    .locals
                    .checked_add(count)
                    .filter(|n| *n < 1 << 16)
                    .ok_or_else(|| FrontendError::TooManyLocals {
                        func: name_of(widx - n_imp),
                        index: widx,
                    })?;
                wide.extend(std::iter::repeat_n(ty.is_wide(), count as usize));
            }
            local_types.push(wide);
        }
        infos.push(info);
    }
    if let Some(e) = import_refusal {
        return Err(e);
    }
    // A type mentioning floats that survives to here is used by no function or import; a block
    // or `call_indirect` using it is refused while lowering. Its slot keeps an empty signature
    // so type indices stay aligned.
    module.types = types
        .iter()
        .map(|t| t.clone().unwrap_or_default())
        .collect();

    let mut out = Emitter {
        code: vec![Instr::new(Op::Halt)],
        weight: vec![0],
        origin: vec![Origin::default()],
        call_fixups: Vec::new(),
    };
    let mut functions = Vec::with_capacity(bodies.len());
    for (idx, body) in bodies.iter().enumerate() {
        let idx = idx as u32;
        let info = &infos[(idx + n_imp) as usize];
        let num_params = info.params;
        let num_results = info.results.len() as u32;
        let ra_slot = ra_slot(num_params, info.locals, num_results);
        let entry_pc = out.code.len() as u32;
        let mut lw = FnLowerer {
            out: &mut out,
            types: &types,
            infos: &infos,
            globals: &module.global_types,
            n_imp,
            func: idx + n_imp,
            func_name: name_of(idx),
            num_params,
            num_locals: info.locals,
            result_wide: info.results.clone(),
            local_wide: std::mem::take(&mut local_types[idx as usize]),
            t0: ra_slot + 2,
            stack: Vec::new(),
            ctrl: Vec::new(),
            max_slot: ra_slot + 2,
            pending_weight: 0,
            offset: 0,
            last_def: None,
            dead: false,
        };
        lw.lower(body)?;
        let frame_size = lw.max_slot;
        functions.push(Function {
            name: name_of(idx),
            entry_pc,
            num_params,
            num_results,
            ra_slot,
            frame_size,
        });
    }
    for (pc, callee) in std::mem::take(&mut out.call_fixups) {
        out.code[pc].imm = functions[(callee - n_imp) as usize].entry_pc;
    }
    let program = Program {
        instrs: out.code,
        functions,
        exports,
        wasm_weight: out.weight,
        origin: out.origin,
        module,
    };
    program.validate()?;
    Ok(program)
}

struct Emitter {
    code: Vec<Instr>,
    weight: Vec<u32>,
    origin: Vec<Origin>,
    call_fixups: Vec<(usize, u32)>,
}

/// A value on the compile-time operand stack. `Slot`/`Const` are `i32` values; `Slot64`/
/// `Const64` are 64-bit values (`i64` and references), moved with the 64-bit opcodes.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
enum Val {
    /// An `i32` in this frame slot (its canonical slot, or a local's).
    Slot(u32),
    /// An `i32` constant not yet materialised.
    Const(u32),
    /// A 64-bit value in this frame slot.
    Slot64(u32),
    /// A 64-bit constant not yet materialised.
    Const64(u64),
}

impl Val {
    fn wide(self) -> bool {
        matches!(self, Val::Slot64(_) | Val::Const64(_))
    }
    fn slot(self) -> Option<u32> {
        match self {
            Val::Slot(s) | Val::Slot64(s) => Some(s),
            _ => None,
        }
    }
    fn in_slot(s: u32, wide: bool) -> Val {
        if wide {
            Val::Slot64(s)
        } else {
            Val::Slot(s)
        }
    }
}

/// `B` operand of an emitted instruction.
#[derive(Clone, Copy)]
enum Opnd {
    S(u32),
    I(u32),
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Kind {
    Block,
    Loop(u32),
    If,
    Dead,
}

struct Ctrl {
    kind: Kind,
    /// Stack height below the block's parameters.
    height: u32,
    /// Parameter types (wide or not).
    params: Vec<bool>,
    /// Result types (wide or not).
    results: Vec<bool>,
    else_fixup: Option<usize>,
    end_fixups: Vec<usize>,
}

impl Ctrl {
    /// Types of the values a branch to this label carries.
    fn label_types(&self) -> &[bool] {
        match self.kind {
            Kind::Loop(_) => &self.params,
            _ => &self.results,
        }
    }
}

struct FnLowerer<'a> {
    out: &'a mut Emitter,
    types: &'a [Result<FuncSig, String>],
    infos: &'a [FnInfo],
    globals: &'a [GlobalType],
    n_imp: u32,
    /// WebAssembly function index (imports first).
    func: u32,
    func_name: String,
    num_params: u32,
    num_locals: u32,
    result_wide: Vec<bool>,
    local_wide: Vec<bool>,
    t0: u32,
    stack: Vec<Val>,
    ctrl: Vec<Ctrl>,
    max_slot: u32,
    pending_weight: u32,
    offset: usize,
    /// (pc, slot) of the last emitted instruction if it wrote `slot` independently of the
    /// slot's old value (a retargetable definition for the `local.set` peephole).
    last_def: Option<(usize, u32)>,
    dead: bool,
}

const NEG1: u32 = u32::MAX;

impl FnLowerer<'_> {
    fn ra(&self) -> u32 {
        ra_slot(
            self.num_params,
            self.num_locals,
            self.result_wide.len() as u32,
        )
    }

    fn canon(&mut self, pos: usize) -> u32 {
        let s = self.t0 + pos as u32;
        self.touch(s);
        s
    }

    fn touch(&mut self, slot: u32) {
        self.max_slot = self.max_slot.max(slot + 1);
    }

    fn emit(&mut self, i: Instr) -> usize {
        let pc = self.out.code.len();
        self.out.code.push(i);
        self.out
            .weight
            .push(std::mem::take(&mut self.pending_weight));
        self.out.origin.push(Origin {
            func: self.func,
            offset: self.offset as u32,
        });
        self.last_def = None;
        pc
    }

    fn op3(&mut self, op: Op, c: u32, a: u32, b: Opnd) -> usize {
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
        if !matches!(op, Op::CMov | Op::CMov64) {
            self.last_def = Some((pc, c));
        }
        pc
    }

    /// Emits a non-arithmetic instruction with explicit fields.
    fn raw(&mut self, op: Op, a: u32, b: u32, c: u32, imm: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            b,
            c,
            imm,
            b_imm: false,
        })
    }

    fn mov(&mut self, dst: u32, src: u32) {
        if dst != src {
            self.op3(Op::Add, dst, src, Opnd::I(0));
        }
    }

    fn mov64(&mut self, dst: u32, src: u32) {
        if dst != src {
            self.op3(Op::Mov64, dst, src, Opnd::S(0));
        }
    }

    fn mov_typed(&mut self, dst: u32, src: u32, wide: bool) {
        if wide {
            self.mov64(dst, src)
        } else {
            self.mov(dst, src)
        }
    }

    fn konst(&mut self, dst: u32, v: u32) {
        self.touch(dst);
        let pc = self.emit(Instr {
            op: Op::Const,
            c: dst,
            imm: v,
            ..Instr::new(Op::Const)
        });
        self.last_def = Some((pc, dst));
    }

    /// A 64-bit constant: `const` (zero-extending) when it fits in 32 bits, else `const64`.
    fn konst64(&mut self, dst: u32, v: u64) {
        if v <= u32::MAX as u64 {
            return self.konst(dst, v as u32);
        }
        self.touch(dst);
        let pc = self.raw(Op::Const64, 0, (v >> 32) as u32, dst, v as u32);
        self.last_def = Some((pc, dst));
    }

    fn jump(&mut self, op: Op, a: u32, target: u32) -> usize {
        self.emit(Instr {
            op,
            a,
            imm: target,
            ..Instr::new(op)
        })
    }

    fn here(&self) -> u32 {
        self.out.code.len() as u32
    }

    /// Points jump `pc` at `target`. Targets are always labels at the current end of the code
    /// or earlier, so the `local.set` peephole must not reach back across them.
    fn patch(&mut self, pc: usize, target: u32) {
        self.out.code[pc].imm = target;
        self.last_def = None;
    }

    fn unsupported(&self, op: &Operator) -> FrontendError {
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

    fn unsupported_type(&self, ty: String) -> FrontendError {
        FrontendError::UnsupportedType {
            func: self.func_name.clone(),
            index: self.func,
            ty,
        }
    }

    fn pop(&mut self) -> Val {
        self.stack
            .pop()
            .expect("validated wasm never underflows the operand stack")
    }

    fn push_canon(&mut self, wide: bool) -> u32 {
        let s = self.canon(self.stack.len());
        self.stack.push(Val::in_slot(s, wide));
        s
    }

    /// Moves stack entry `i` into its canonical slot.
    fn materialize(&mut self, i: usize) {
        let canon = self.canon(i);
        let v = self.stack[i];
        match v {
            Val::Slot(s) => self.mov(canon, s),
            Val::Slot64(s) => self.mov64(canon, s),
            Val::Const(c) => self.konst(canon, c),
            Val::Const64(c) => self.konst64(canon, c),
        }
        self.stack[i] = Val::in_slot(canon, v.wide());
    }

    fn flush(&mut self) {
        for i in 0..self.stack.len() {
            self.materialize(i);
        }
    }

    /// A slot holding `v`: its own slot, or `scratch` after materialising a constant.
    fn slot_of(&mut self, v: Val, scratch: u32) -> u32 {
        match v {
            Val::Slot(s) | Val::Slot64(s) => s,
            Val::Const(c) => {
                self.konst(scratch, c);
                scratch
            }
            Val::Const64(c) => {
                self.konst64(scratch, c);
                scratch
            }
        }
    }

    fn opnd(v: Val) -> Opnd {
        match v {
            Val::Slot(s) | Val::Slot64(s) => Opnd::S(s),
            Val::Const(c) => Opnd::I(c),
            Val::Const64(c) => Opnd::I(c as u32),
        }
    }

    /// `B` operand of a 64-bit operator: a slot, or an immediate that sign-extends to `v`.
    fn opnd64(&mut self, v: Val, scratch: u32) -> Opnd {
        match v {
            Val::Const64(c) if c as i64 == c as u32 as i32 as i64 => Opnd::I(c as u32),
            v => Opnd::S(self.slot_of(v, scratch)),
        }
    }

    fn sig_of(&self, type_index: u32) -> Result<(Vec<bool>, Vec<bool>), FrontendError> {
        match self.types.get(type_index as usize) {
            Some(Ok(sig)) => Ok((
                sig.params.iter().map(|t| t.is_wide()).collect(),
                sig.results.iter().map(|t| t.is_wide()).collect(),
            )),
            Some(Err(t)) => Err(self.unsupported_type(t.clone())),
            None => Err(FrontendError::InvalidWasm(format!(
                "bad type index {type_index}"
            ))),
        }
    }

    fn block_sig(&self, bt: BlockType) -> Result<(Vec<bool>, Vec<bool>), FrontendError> {
        match bt {
            BlockType::Empty => Ok((vec![], vec![])),
            BlockType::Type(t) => match val_type(t) {
                Some(t) => Ok((vec![], vec![t.is_wide()])),
                None => Err(self.unsupported_type(t.to_string())),
            },
            BlockType::FuncType(i) => self.sig_of(i),
        }
    }

    fn lower(&mut self, body: &wasmparser::FunctionBody) -> Result<(), FrontendError> {
        // Prologue: WebAssembly locals start at zero; frames may reuse dirty slots.
        for l in 0..self.num_locals {
            self.konst(self.num_params + l, 0);
        }
        self.ctrl.push(Ctrl {
            kind: Kind::Block,
            height: 0,
            params: vec![],
            results: self.result_wide.clone(),
            else_fixup: None,
            end_fixups: Vec::new(),
        });
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            let (op, offset) = reader.read_with_offset().map_err(invalid)?;
            self.offset = offset as usize;
            self.pending_weight += 1;
            self.operator(op)?;
        }
        Ok(())
    }

    fn binop(&mut self, op: Op, commutative: bool) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            if let Ok(v) = eval_binary(op, x, y) {
                self.stack.push(Val::Const(v));
                return;
            }
        }
        let (a, b) = match (a, b) {
            (Val::Const(_), Val::Slot(_)) if commutative => (b, a),
            _ => (a, b),
        };
        self.emit_binop(op, a, b);
    }

    /// Emits `op dest, a, b` with dest the canonical slot of the next stack position.
    fn emit_binop(&mut self, op: Op, a: Val, b: Val) {
        let dest = self.canon(self.stack.len());
        let a = self.slot_of(a, dest);
        self.op3(op, dest, a, Self::opnd(b));
        self.stack.push(Val::Slot(dest));
    }

    /// A 64-bit binary operator; comparisons give an `i32`.
    fn binop64(&mut self, op: Op, commutative: bool) {
        let b = self.pop();
        let a = self.pop();
        let cmp = op.code() >= Op::I64Eq.code();
        if let (Val::Const64(x), Val::Const64(y)) = (a, b) {
            if let Ok(v) = eval_binary64(op, x, y) {
                self.stack.push(if cmp {
                    Val::Const(v as u32)
                } else {
                    Val::Const64(v)
                });
                return;
            }
        }
        let (a, b) = match (a, b) {
            (Val::Const64(_), Val::Slot64(_)) if commutative => (b, a),
            _ => (a, b),
        };
        let h = self.stack.len();
        let dest = self.canon(h);
        let scratch = self.canon(h + 1);
        let a = self.slot_of(a, dest);
        let b = self.opnd64(b, scratch);
        self.op3(op, dest, a, b);
        self.stack.push(Val::in_slot(dest, !cmp));
    }

    /// A unary operator `C = f(A)`; `wide_out` says whether the result is 64-bit.
    fn unop(&mut self, op: Op, wide_out: bool) {
        let a = self.pop();
        let folded = match a {
            Val::Const(x) => Some(eval_unary(op, x as u64)),
            Val::Const64(x) => Some(eval_unary(op, x)),
            _ => None,
        };
        if let Some(v) = folded {
            self.stack.push(if wide_out {
                Val::Const64(v)
            } else {
                Val::Const(v as u32)
            });
            return;
        }
        let dest = self.canon(self.stack.len());
        let a = self.slot_of(a, dest);
        self.op3(op, dest, a, Opnd::S(0));
        self.stack.push(Val::in_slot(dest, wide_out));
    }

    /// `a > b`-style comparisons, rewritten to the `lt`/`ge` forms the ISA has.
    /// `strict`: `a > b` (else `a <= b`); `max`: largest value of the ordering.
    fn swapped_cmp(&mut self, strict: bool, signed: bool) {
        let (lt, ge, max) = if signed {
            (Op::LtS, Op::GeS, i32::MAX as u32)
        } else {
            (Op::LtU, Op::GeU, u32::MAX)
        };
        let b = self.pop();
        let a = self.pop();
        match (a, b) {
            (Val::Const(x), Val::Const(y)) => {
                let gt = if signed {
                    (x as i32) > (y as i32)
                } else {
                    x > y
                };
                self.stack.push(Val::Const((gt == strict) as u32));
            }
            (_, Val::Const(k)) if k == max => self.stack.push(Val::Const(!strict as u32)),
            // a > k  <=>  a >= k+1 ;  a <= k  <=>  a < k+1
            (_, Val::Const(k)) => self.emit_binop(
                if strict { ge } else { lt },
                a,
                Val::Const(k.wrapping_add(1)),
            ),
            // a > b  <=>  b < a ;  a <= b  <=>  b >= a
            (_, _) => self.emit_binop(if strict { lt } else { ge }, b, a),
        }
    }

    fn operator(&mut self, op: Operator) -> Result<(), FrontendError> {
        if is_float_or_simd(&op) {
            return Err(self.unsupported(&op));
        }
        if self.dead {
            return self.dead_operator(op);
        }
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.jump(Op::Trap, 0, trap_code::UNREACHABLE);
                self.dead = true;
            }
            Operator::Drop => {
                self.pop();
            }
            Operator::I32Const { value } => self.stack.push(Val::Const(value as u32)),
            Operator::I64Const { value } => self.stack.push(Val::Const64(value as u64)),
            Operator::LocalGet { local_index } => {
                let wide = self.local_wide[local_index as usize];
                self.stack.push(Val::in_slot(local_index, wide))
            }
            Operator::LocalSet { local_index } => self.local_set(local_index, false),
            Operator::LocalTee { local_index } => self.local_set(local_index, true),
            Operator::I32Add => self.binop(Op::Add, true),
            Operator::I32Sub => self.binop(Op::Sub, false),
            Operator::I32Mul => self.binop(Op::Mul, true),
            Operator::I32And => self.binop(Op::And, true),
            Operator::I32Or => self.binop(Op::Or, true),
            Operator::I32Xor => self.binop(Op::Xor, true),
            Operator::I32DivU => self.binop(Op::DivU, false),
            Operator::I32RemU => self.binop(Op::RemU, false),
            Operator::I32Eq => self.binop(Op::Eq, true),
            Operator::I32Ne => self.binop(Op::Ne, true),
            Operator::I32Eqz => {
                self.stack.push(Val::Const(0));
                self.binop(Op::Eq, true)
            }
            Operator::I32LtU => self.binop(Op::LtU, false),
            Operator::I32GeU => self.binop(Op::GeU, false),
            Operator::I32LtS => self.binop(Op::LtS, false),
            Operator::I32GeS => self.binop(Op::GeS, false),
            Operator::I32GtU => self.swapped_cmp(true, false),
            Operator::I32LeU => self.swapped_cmp(false, false),
            Operator::I32GtS => self.swapped_cmp(true, true),
            Operator::I32LeS => self.swapped_cmp(false, true),
            Operator::I32Shl | Operator::I32ShrU => {
                let shl = matches!(op, Operator::I32Shl);
                match *self.stack.last().expect("validated") {
                    Val::Const(k)
                        if self.stack.len() >= 2
                            && !matches!(self.stack[self.stack.len() - 2], Val::Const(_)) =>
                    {
                        self.pop();
                        let k = k & 31;
                        if k == 0 {
                            // identity
                        } else {
                            self.stack.push(Val::Const(1u32 << k));
                            self.binop(if shl { Op::Mul } else { Op::DivU }, false);
                        }
                    }
                    _ => self.binop(if shl { Op::Shl } else { Op::ShrU }, false),
                }
            }
            Operator::I32Rotl => self.binop(Op::Rotl, false),
            Operator::I32Rotr => self.binop(Op::Rotr, false),
            Operator::I32ShrS => self.shr_s(),
            Operator::I32DivS => self.div_rem_s(true),
            Operator::I32RemS => self.div_rem_s(false),
            Operator::I32Popcnt | Operator::I32Ctz | Operator::I32Clz => self.bitcount(&op),
            Operator::I32Extend8S => self.unop(Op::I32Extend8S, false),
            Operator::I32Extend16S => self.unop(Op::I32Extend16S, false),
            Operator::I32WrapI64 => self.unop(Op::I32WrapI64, false),
            Operator::I64ExtendI32S => self.unop(Op::I64Extend32S, true),
            Operator::I64ExtendI32U => self.unop(Op::I64ExtendI32U, true),
            Operator::I64Extend8S => self.unop(Op::I64Extend8S, true),
            Operator::I64Extend16S => self.unop(Op::I64Extend16S, true),
            Operator::I64Extend32S => self.unop(Op::I64Extend32S, true),
            Operator::I64Clz => self.unop(Op::I64Clz, true),
            Operator::I64Ctz => self.unop(Op::I64Ctz, true),
            Operator::I64Popcnt => self.unop(Op::I64Popcnt, true),
            Operator::I64Eqz => self.unop(Op::I64Eqz, false),
            Operator::I64Add => self.binop64(Op::I64Add, true),
            Operator::I64Sub => self.binop64(Op::I64Sub, false),
            Operator::I64Mul => self.binop64(Op::I64Mul, true),
            Operator::I64DivS => self.binop64(Op::I64DivS, false),
            Operator::I64DivU => self.binop64(Op::I64DivU, false),
            Operator::I64RemS => self.binop64(Op::I64RemS, false),
            Operator::I64RemU => self.binop64(Op::I64RemU, false),
            Operator::I64And => self.binop64(Op::I64And, true),
            Operator::I64Or => self.binop64(Op::I64Or, true),
            Operator::I64Xor => self.binop64(Op::I64Xor, true),
            Operator::I64Shl => self.binop64(Op::I64Shl, false),
            Operator::I64ShrS => self.binop64(Op::I64ShrS, false),
            Operator::I64ShrU => self.binop64(Op::I64ShrU, false),
            Operator::I64Rotl => self.binop64(Op::I64Rotl, false),
            Operator::I64Rotr => self.binop64(Op::I64Rotr, false),
            Operator::I64Eq => self.binop64(Op::I64Eq, true),
            Operator::I64Ne => self.binop64(Op::I64Ne, true),
            Operator::I64LtS => self.binop64(Op::I64LtS, false),
            Operator::I64LtU => self.binop64(Op::I64LtU, false),
            Operator::I64GtS => self.binop64(Op::I64GtS, false),
            Operator::I64GtU => self.binop64(Op::I64GtU, false),
            Operator::I64LeS => self.binop64(Op::I64LeS, false),
            Operator::I64LeU => self.binop64(Op::I64LeU, false),
            Operator::I64GeS => self.binop64(Op::I64GeS, false),
            Operator::I64GeU => self.binop64(Op::I64GeU, false),
            Operator::I32Load { memarg } => self.load(Op::I32Load, memarg, false),
            Operator::I32Load8S { memarg } => self.load(Op::I32Load8S, memarg, false),
            Operator::I32Load8U { memarg } => self.load(Op::I32Load8U, memarg, false),
            Operator::I32Load16S { memarg } => self.load(Op::I32Load16S, memarg, false),
            Operator::I32Load16U { memarg } => self.load(Op::I32Load16U, memarg, false),
            Operator::I64Load { memarg } => self.load(Op::I64Load, memarg, true),
            Operator::I64Load8S { memarg } => self.load(Op::I64Load8S, memarg, true),
            Operator::I64Load8U { memarg } => self.load(Op::I64Load8U, memarg, true),
            Operator::I64Load16S { memarg } => self.load(Op::I64Load16S, memarg, true),
            Operator::I64Load16U { memarg } => self.load(Op::I64Load16U, memarg, true),
            Operator::I64Load32S { memarg } => self.load(Op::I64Load32S, memarg, true),
            Operator::I64Load32U { memarg } => self.load(Op::I64Load32U, memarg, true),
            Operator::I32Store { memarg } => self.store(Op::I32Store, memarg),
            Operator::I32Store8 { memarg } => self.store(Op::I32Store8, memarg),
            Operator::I32Store16 { memarg } => self.store(Op::I32Store16, memarg),
            Operator::I64Store { memarg } => self.store(Op::I64Store, memarg),
            Operator::I64Store8 { memarg } => self.store(Op::I64Store8, memarg),
            Operator::I64Store16 { memarg } => self.store(Op::I64Store16, memarg),
            Operator::I64Store32 { memarg } => self.store(Op::I64Store32, memarg),
            Operator::MemorySize { .. } => {
                let dest = self.canon(self.stack.len());
                self.raw(Op::MemorySize, 0, 0, dest, 0);
                self.stack.push(Val::Slot(dest));
            }
            Operator::MemoryGrow { .. } => {
                let n = self.pop();
                let dest = self.canon(self.stack.len());
                let n = self.slot_of(n, dest);
                self.raw(Op::MemoryGrow, n, 0, dest, 0);
                self.stack.push(Val::Slot(dest));
            }
            Operator::MemoryFill { .. } => self.bulk(Op::MemoryFill, 3, 0, 0, 0),
            Operator::MemoryCopy { .. } => self.bulk(Op::MemoryCopy, 3, 0, 0, 0),
            Operator::MemoryInit { data_index, .. } => {
                self.bulk(Op::MemoryInit, 3, 0, 0, data_index)
            }
            Operator::DataDrop { data_index } => {
                self.raw(Op::DataDrop, 0, 0, 0, data_index);
            }
            Operator::GlobalGet { global_index } => {
                let wide = self.globals[global_index as usize].ty.is_wide();
                let dest = self.canon(self.stack.len());
                self.raw(Op::GlobalGet, 0, 0, dest, global_index);
                self.stack.push(Val::in_slot(dest, wide));
            }
            Operator::GlobalSet { global_index } => {
                let v = self.pop();
                let scratch = self.canon(self.stack.len());
                let s = self.slot_of(v, scratch);
                self.raw(Op::GlobalSet, s, 0, 0, global_index);
            }
            Operator::TableGet { table } => {
                let i = self.pop();
                let dest = self.canon(self.stack.len());
                let i = self.slot_of(i, dest);
                self.raw(Op::TableGet, i, 0, dest, table);
                self.stack.push(Val::Slot64(dest));
            }
            Operator::TableSet { table } => {
                let v = self.pop();
                let i = self.pop();
                let h = self.stack.len();
                let (si, sv) = (self.canon(h), self.canon(h + 1));
                let i = self.slot_of(i, si);
                let v = self.slot_of(v, sv);
                self.raw(Op::TableSet, i, v, 0, table);
            }
            Operator::TableSize { table } => {
                let dest = self.canon(self.stack.len());
                self.raw(Op::TableSize, 0, 0, dest, table);
                self.stack.push(Val::Slot(dest));
            }
            Operator::TableGrow { table } => self.bulk(Op::TableGrow, 2, 0, 0, table),
            Operator::TableFill { table } => self.bulk(Op::TableFill, 3, 0, 0, table),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => self.bulk(Op::TableCopy, 3, dst_table, src_table, 0),
            Operator::TableInit { elem_index, table } => {
                self.bulk(Op::TableInit, 3, table, elem_index, 0)
            }
            Operator::ElemDrop { elem_index } => {
                self.raw(Op::ElemDrop, 0, 0, 0, elem_index);
            }
            Operator::RefNull { .. } => self.stack.push(Val::Const64(0)),
            Operator::RefIsNull => self.unop(Op::I64Eqz, false),
            Operator::RefFunc { function_index } => {
                let dest = self.canon(self.stack.len());
                self.raw(Op::RefFunc, 0, 0, dest, function_index);
                self.stack.push(Val::Slot64(dest));
            }
            Operator::Select | Operator::TypedSelect { .. } => self.select(),
            Operator::Block { blockty } => {
                self.flush();
                let (params, results) = self.block_sig(blockty)?;
                self.ctrl.push(Ctrl {
                    kind: Kind::Block,
                    height: (self.stack.len() - params.len()) as u32,
                    params,
                    results,
                    else_fixup: None,
                    end_fixups: Vec::new(),
                });
            }
            Operator::Loop { blockty } => {
                self.flush();
                let (params, results) = self.block_sig(blockty)?;
                // The `loop` marker executes once; charge it to the previous instruction.
                if let Some(w) = self.out.weight.last_mut() {
                    *w += std::mem::take(&mut self.pending_weight);
                }
                let start = self.here();
                self.last_def = None;
                self.ctrl.push(Ctrl {
                    kind: Kind::Loop(start),
                    height: (self.stack.len() - params.len()) as u32,
                    params,
                    results,
                    else_fixup: None,
                    end_fixups: Vec::new(),
                });
            }
            Operator::If { blockty } => {
                let cond = self.pop();
                self.flush();
                let cond = self.slot_of(cond, self.t0 + self.stack.len() as u32);
                self.touch(cond);
                let (params, results) = self.block_sig(blockty)?;
                let fix = self.jump(Op::Brz, cond, 0);
                self.ctrl.push(Ctrl {
                    kind: Kind::If,
                    height: (self.stack.len() - params.len()) as u32,
                    params,
                    results,
                    else_fixup: Some(fix),
                    end_fixups: Vec::new(),
                });
            }
            Operator::Else => self.else_(false),
            Operator::End => self.end(false),
            Operator::Br { relative_depth } => {
                self.flush();
                self.branch_to(relative_depth as usize);
                self.dead = true;
            }
            Operator::BrIf { relative_depth } => {
                let cond = self.pop();
                self.flush();
                let cond = self.slot_of(cond, self.t0 + self.stack.len() as u32);
                self.touch(cond);
                let depth = relative_depth as usize;
                if self.branch_moves(depth).is_empty() && depth != self.ctrl.len() - 1 {
                    let pc = self.jump(Op::Brnz, cond, 0);
                    self.bind_branch(depth, pc);
                } else {
                    let skip = self.jump(Op::Brz, cond, 0);
                    self.branch_to(depth);
                    let here = self.here();
                    self.patch(skip, here);
                }
            }
            Operator::BrTable { targets } => {
                let idx = self.pop();
                self.flush();
                let idx = self.slot_of(idx, self.t0 + self.stack.len() as u32);
                let scratch = self.canon(self.stack.len() + 1);
                let default = targets.default() as usize;
                let list: Vec<usize> = targets
                    .targets()
                    .map(|t| t.map(|t| t as usize))
                    .collect::<Result<_, _>>()
                    .map_err(invalid)?;
                let n = list.len() as u32;
                if n > 0 {
                    self.op3(Op::LtU, scratch, idx, Opnd::I(n));
                    let to_default = self.jump(Op::Brz, scratch, 0);
                    let jtab = self.jump(Op::JTab, idx, 0);
                    let base = self.here();
                    self.patch(jtab, base);
                    let mut stubs = Vec::new();
                    for &t in &list {
                        let pc = self.jump(Op::Jmp, 0, 0);
                        if self.branch_moves(t).is_empty() && t != self.ctrl.len() - 1 {
                            self.bind_branch(t, pc);
                        } else {
                            stubs.push((pc, t));
                        }
                    }
                    for (pc, t) in stubs {
                        let here = self.here();
                        self.patch(pc, here);
                        self.branch_to(t);
                    }
                    let here = self.here();
                    self.patch(to_default, here);
                }
                self.branch_to(default);
                self.dead = true;
            }
            Operator::Return => {
                self.emit_return();
                self.dead = true;
            }
            Operator::Call { function_index } => self.call(function_index),
            Operator::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index)?,
            other => return Err(self.unsupported(&other)),
        }
        Ok(())
    }

    /// `C = load(A + offset)`.
    fn load(&mut self, op: Op, memarg: MemArg, wide: bool) {
        let addr = self.pop();
        let dest = self.canon(self.stack.len());
        let a = self.slot_of(addr, dest);
        let pc = self.raw(op, a, 0, dest, memarg.offset as u32);
        self.last_def = Some((pc, dest));
        self.stack.push(Val::in_slot(dest, wide));
    }

    /// `store(A + offset, B)`.
    fn store(&mut self, op: Op, memarg: MemArg) {
        let v = self.pop();
        let addr = self.pop();
        let h = self.stack.len();
        let (sa, sv) = (self.canon(h), self.canon(h + 1));
        let a = self.slot_of(addr, sa);
        let v = self.slot_of(v, sv);
        self.raw(op, a, v, 0, memarg.offset as u32);
    }

    /// An instruction taking its `n` operands from consecutive canonical slots starting at
    /// `a`; `table.grow` leaves its `i32` result in the first of them.
    fn bulk(&mut self, op: Op, n: usize, b: u32, c: u32, imm: u32) {
        self.flush();
        let base = self.stack.len() - n;
        let a = self.canon(base);
        self.canon(base + n - 1);
        self.stack.truncate(base);
        if op == Op::TableGrow {
            self.raw(op, a, b, a, imm);
            self.stack.push(Val::Slot(a));
        } else {
            self.raw(op, a, b, c, imm);
        }
    }

    /// Tracks nesting while skipping unreachable code.
    fn dead_operator(&mut self, op: Operator) -> Result<(), FrontendError> {
        match op {
            Operator::Block { .. } | Operator::Loop { .. } | Operator::If { .. } => {
                self.ctrl.push(Ctrl {
                    kind: Kind::Dead,
                    height: 0,
                    params: vec![],
                    results: vec![],
                    else_fixup: None,
                    end_fixups: Vec::new(),
                });
            }
            Operator::Else if self.ctrl.last().map(|c| c.kind) != Some(Kind::Dead) => {
                self.else_(true);
            }
            Operator::End => {
                if self.ctrl.last().map(|c| c.kind) == Some(Kind::Dead) {
                    self.ctrl.pop();
                } else {
                    self.end(true);
                }
            }
            _ => {}
        }
        Ok(())
    }

    fn local_set(&mut self, x: u32, tee: bool) {
        let v = self.pop();
        // Older stack entries that still read local x must be saved first.
        for i in 0..self.stack.len() {
            if self.stack[i].slot() == Some(x) {
                self.materialize(i);
            }
        }
        match v {
            Val::Slot(s) | Val::Slot64(s) if s == x => {}
            Val::Slot(s) | Val::Slot64(s) => match self.last_def {
                Some((pc, slot)) if slot == s && s >= self.t0 && pc + 1 == self.out.code.len() => {
                    self.out.code[pc].c = x;
                    self.last_def = Some((pc, x));
                }
                _ => self.mov_typed(x, s, v.wide()),
            },
            Val::Const(c) => self.konst(x, c),
            Val::Const64(c) => self.konst64(x, c),
        }
        if tee {
            self.stack.push(Val::in_slot(x, v.wide()));
        }
    }

    /// Moves needed to deliver a branch's values to the target label: (dest, src, wide).
    fn branch_moves(&self, depth: usize) -> Vec<(u32, u32, bool)> {
        let target = &self.ctrl[self.ctrl.len() - 1 - depth];
        let tys = target.label_types();
        let arity = tys.len();
        let len = self.stack.len();
        (0..arity)
            .map(|i| {
                (
                    self.t0 + target.height + i as u32,
                    self.t0 + (len - arity + i) as u32,
                    tys[i],
                )
            })
            .filter(|(d, s, _)| d != s)
            .collect()
    }

    /// Records that jump instruction `pc` targets label `depth`.
    fn bind_branch(&mut self, depth: usize, pc: usize) {
        let idx = self.ctrl.len() - 1 - depth;
        match self.ctrl[idx].kind {
            Kind::Loop(start) => self.patch(pc, start),
            _ => self.ctrl[idx].end_fixups.push(pc),
        }
    }

    /// Emits the moves and the jump of an unconditional branch (stack already flushed).
    fn branch_to(&mut self, depth: usize) {
        if depth == self.ctrl.len() - 1 {
            self.emit_return();
            return;
        }
        for (d, s, wide) in self.branch_moves(depth) {
            self.mov_typed(d, s, wide);
        }
        let pc = self.jump(Op::Jmp, 0, 0);
        self.bind_branch(depth, pc);
    }

    fn emit_return(&mut self) {
        self.flush();
        let r = self.result_wide.len();
        let len = self.stack.len();
        for i in 0..r {
            let src = self.t0 + (len - r + i) as u32;
            let wide = self.result_wide[i];
            self.mov_typed(i as u32, src, wide);
        }
        let ra = self.ra();
        self.emit(Instr {
            op: Op::Ret,
            a: ra,
            b: ra + 1,
            ..Instr::new(Op::Ret)
        });
    }

    fn else_(&mut self, was_dead: bool) {
        if !was_dead {
            self.flush();
            let pc = self.jump(Op::Jmp, 0, 0);
            self.ctrl.last_mut().expect("validated").end_fixups.push(pc);
        }
        let here = self.here();
        self.last_def = None;
        let frame = self.ctrl.last_mut().expect("validated");
        if let Some(fix) = frame.else_fixup.take() {
            self.out.code[fix].imm = here;
        }
        let height = frame.height;
        let params = frame.params.clone();
        self.stack.truncate(height as usize);
        for w in params {
            self.push_canon(w);
        }
        self.dead = false;
    }

    fn end(&mut self, was_dead: bool) {
        if self.ctrl.len() == 1 {
            // End of the function body.
            let frame = self.ctrl.pop().expect("function frame");
            if !was_dead {
                self.emit_return();
            }
            debug_assert!(
                frame.end_fixups.is_empty(),
                "branches to the function label are lowered as returns"
            );
            // Leftover weight (the final `end`) belongs to the return.
            if let Some(w) = self.out.weight.last_mut() {
                *w += std::mem::take(&mut self.pending_weight);
            }
            self.dead = false;
            return;
        }
        if !was_dead {
            self.flush();
        }
        let frame = self.ctrl.pop().expect("validated");
        let here = self.here();
        self.last_def = None;
        if let Some(fix) = frame.else_fixup {
            // `if` without `else`: the false path carries the parameters through unchanged.
            self.out.code[fix].imm = here;
        }
        for pc in frame.end_fixups {
            self.out.code[pc].imm = here;
        }
        self.stack.truncate(frame.height as usize);
        for w in frame.results {
            self.push_canon(w);
        }
        self.dead = false;
    }

    fn call(&mut self, f: u32) {
        let info = self.infos[f as usize].clone();
        self.flush();
        let base = self.stack.len() - info.params as usize;
        let k = self.t0 + base as u32;
        let results = info.results.len() as u32;
        if f < self.n_imp {
            self.touch(k + info.params.max(results));
            self.raw(Op::CallImport, k, 0, 0, f);
        } else {
            let callee_ra = ra_slot(info.params, info.locals, results);
            self.touch(k + callee_ra + 2);
            let pc = self.emit(Instr {
                op: Op::Call,
                a: k,
                b: k + callee_ra + 1,
                c: k + callee_ra,
                imm: 0,
                b_imm: false,
            });
            self.out.call_fixups.push((pc, f));
        }
        self.stack.truncate(base);
        for w in info.results {
            self.push_canon(w);
        }
    }

    fn call_indirect(&mut self, type_index: u32, table: u32) -> Result<(), FrontendError> {
        let (params, results) = self.sig_of(type_index)?;
        let idx = self.pop();
        self.flush();
        let h = self.stack.len();
        let scratch = self.canon(h);
        let idx = self.slot_of(idx, scratch);
        let base = h - params.len();
        let k = self.t0 + base as u32;
        // The callee's frame (size known only at run time) is checked by the executor.
        self.touch(k + params.len().max(results.len()) as u32);
        self.raw(Op::CallIndirect, k, idx, table, type_index);
        self.stack.truncate(base);
        for w in results {
            self.push_canon(w);
        }
        Ok(())
    }

    fn select(&mut self) {
        let cond = self.pop();
        let v2 = self.pop();
        let v1 = self.pop();
        let wide = v1.wide() || v2.wide();
        let h = self.stack.len();
        let dest = self.canon(h);
        if let Val::Const(c) = cond {
            let v = if c != 0 { v1 } else { v2 };
            // A temporary must live in its own position's canonical slot.
            match v {
                Val::Slot(s) | Val::Slot64(s) if s >= self.t0 && s != dest => {
                    self.mov_typed(dest, s, wide);
                    self.stack.push(Val::in_slot(dest, wide));
                }
                v => self.stack.push(v),
            }
            return;
        }
        let cmov = if wide { Op::CMov64 } else { Op::CMov };
        let s3 = self.canon(h + 3);
        if v1.slot() != Some(dest) {
            // dest = v2; dest = cond ? v1 : dest
            match v2 {
                Val::Slot(s) | Val::Slot64(s) => self.mov_typed(dest, s, wide),
                Val::Const(c) => self.konst(dest, c),
                Val::Const64(c) => self.konst64(dest, c),
            }
            let v1s = self.slot_of(v1, s3);
            self.op3(cmov, dest, v1s, Self::opnd(cond));
        } else {
            // v1 already in dest: dest = (cond == 0) ? v2 : dest
            let z = self.canon(h + 4);
            let c = self.slot_of(cond, z);
            self.op3(Op::Eq, z, c, Opnd::I(0));
            let v2s = self.slot_of(v2, s3);
            self.op3(cmov, dest, v2s, Opnd::S(z));
        }
        self.stack.push(Val::in_slot(dest, wide));
    }

    /// Scratch slots above the operands at stack height `h`.
    fn scratch(&mut self, h: usize, j: usize) -> u32 {
        self.canon(h + 2 + j)
    }

    fn shr_s(&mut self) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            self.stack.push(Val::Const(((x as i32) >> (y & 31)) as u32));
            return;
        }
        let h = self.stack.len();
        let dest = self.canon(h);
        let (s1, s2) = (self.scratch(h, 0), self.scratch(h, 1));
        let a = self.slot_of(a, s2);
        // sign mask m = (a <s 0) * 0xFFFFFFFF ; result = ((a ^ m) >>u b) ^ m
        self.op3(Op::LtS, s1, a, Opnd::I(0));
        self.op3(Op::Mul, s1, s1, Opnd::I(NEG1));
        self.op3(Op::Xor, s2, a, Opnd::S(s1));
        match b {
            Val::Const(k) if k & 31 == 0 => {}
            Val::Const(k) => {
                self.op3(Op::DivU, s2, s2, Opnd::I(1 << (k & 31)));
            }
            Val::Slot(bs) | Val::Slot64(bs) => {
                self.op3(Op::ShrU, s2, s2, Opnd::S(bs));
            }
            Val::Const64(_) => unreachable!("validated: i32.shr_s takes i32 operands"),
        }
        self.op3(Op::Xor, dest, s2, Opnd::S(s1));
        self.stack.push(Val::Slot(dest));
    }

    /// `|x|` of a signed value into `out`, with its sign bit into `sign`.
    fn abs_into(&mut self, x: u32, out: u32, sign: u32, tmp: u32) {
        self.op3(Op::LtS, sign, x, Opnd::I(0));
        self.op3(Op::Mul, tmp, x, Opnd::I(NEG1));
        self.mov(out, x);
        self.op3(Op::CMov, out, tmp, Opnd::S(sign));
    }

    fn div_rem_s(&mut self, div: bool) {
        let b = self.pop();
        let a = self.pop();
        if let (Val::Const(x), Val::Const(y)) = (a, b) {
            let (x, y) = (x as i32, y as i32);
            let v = if div {
                x.checked_div(y)
            } else {
                x.checked_rem(y).or(Some(0)).filter(|_| y != 0)
            };
            if let Some(v) = v {
                self.stack.push(Val::Const(v as u32));
                return;
            }
        }
        let h = self.stack.len();
        let dest = self.canon(h);
        let s: Vec<u32> = (0..6).map(|j| self.scratch(h, j)).collect();
        let a = self.slot_of(a, s[5]);
        // INT_MIN / -1 traps (only for div_s; rem_s gives 0).
        let b_const = if let Val::Const(k) = b { Some(k) } else { None };
        if div && b_const.is_none_or(|k| k == NEG1) {
            self.op3(Op::Eq, s[0], a, Opnd::I(0x8000_0000));
            match b {
                Val::Slot(bs) | Val::Slot64(bs) => {
                    self.op3(Op::Eq, s[1], bs, Opnd::I(NEG1));
                    self.op3(Op::And, s[0], s[0], Opnd::S(s[1]));
                }
                Val::Const(_) | Val::Const64(_) => {}
            }
            let skip = self.jump(Op::Brz, s[0], 0);
            self.emit(Instr {
                op: Op::Trap,
                imm: trap_code::INTEGER_OVERFLOW,
                ..Instr::new(Op::Trap)
            });
            let here = self.here();
            self.patch(skip, here);
        }
        // |a| -> s2, sign(a) -> s0
        self.abs_into(a, s[2], s[0], s[1]);
        let positive_const = b_const.filter(|k| (*k as i32) > 0);
        let op = if div { Op::DivU } else { Op::RemU };
        if let Some(k) = positive_const {
            self.op3(op, s[2], s[2], Opnd::I(k));
        } else {
            let bs = self.slot_of(b, s[4]);
            // |b| -> s4, sign(b) -> s3
            self.abs_into(bs, s[4], s[3], s[1]);
            self.op3(op, s[2], s[2], Opnd::S(s[4]));
            if div {
                self.op3(Op::Xor, s[0], s[0], Opnd::S(s[3]));
            }
        }
        // negate when the result sign (s0) is set
        self.op3(Op::Mul, s[1], s[2], Opnd::I(NEG1));
        self.op3(Op::CMov, s[2], s[1], Opnd::S(s[0]));
        self.mov(dest, s[2]);
        self.stack.push(Val::Slot(dest));
    }

    /// SWAR population count of slot `x` into `dest` (12 instructions).
    fn popcnt_into(&mut self, dest: u32, x: u32, s1: u32, s2: u32) {
        self.op3(Op::DivU, s1, x, Opnd::I(2));
        self.op3(Op::And, s1, s1, Opnd::I(0x5555_5555));
        self.op3(Op::Sub, s1, x, Opnd::S(s1));
        self.op3(Op::And, s2, s1, Opnd::I(0x3333_3333));
        self.op3(Op::DivU, s1, s1, Opnd::I(4));
        self.op3(Op::And, s1, s1, Opnd::I(0x3333_3333));
        self.op3(Op::Add, s1, s1, Opnd::S(s2));
        self.op3(Op::DivU, s2, s1, Opnd::I(16));
        self.op3(Op::Add, s1, s1, Opnd::S(s2));
        self.op3(Op::And, s1, s1, Opnd::I(0x0F0F_0F0F));
        self.op3(Op::Mul, s1, s1, Opnd::I(0x0101_0101));
        self.op3(Op::DivU, dest, s1, Opnd::I(1 << 24));
    }

    fn bitcount(&mut self, op: &Operator) {
        let a = self.pop();
        if let Val::Const(x) = a {
            self.stack.push(Val::Const(match op {
                Operator::I32Popcnt => x.count_ones(),
                Operator::I32Ctz => x.trailing_zeros(),
                _ => x.leading_zeros(),
            }));
            return;
        }
        let h = self.stack.len();
        let dest = self.canon(h);
        let s: Vec<u32> = (0..4).map(|j| self.scratch(h, j)).collect();
        let x = self.slot_of(a, s[3]);
        match op {
            Operator::I32Popcnt => self.popcnt_into(dest, x, s[0], s[1]),
            Operator::I32Ctz => {
                // popcnt((x & -x) - 1)
                self.op3(Op::Mul, s[2], x, Opnd::I(NEG1));
                self.op3(Op::And, s[2], x, Opnd::S(s[2]));
                self.op3(Op::Sub, s[2], s[2], Opnd::I(1));
                self.popcnt_into(dest, s[2], s[0], s[1]);
            }
            _ => {
                // smear the highest set bit right, then 32 - popcnt
                self.op3(Op::DivU, s[0], x, Opnd::I(2));
                self.op3(Op::Or, s[2], x, Opnd::S(s[0]));
                for k in [2u32, 4, 8, 16] {
                    self.op3(Op::DivU, s[0], s[2], Opnd::I(1 << k));
                    self.op3(Op::Or, s[2], s[2], Opnd::S(s[0]));
                }
                self.popcnt_into(s[2], s[2], s[0], s[1]);
                self.konst(s[0], 32);
                self.op3(Op::Sub, dest, s[0], Opnd::S(s[2]));
            }
        }
        self.stack.push(Val::Slot(dest));
    }
}

/// Turns `wasmparser`'s operator name (`I64Add`) into WebAssembly's mnemonic (`i64.add`).
fn wasm_mnemonic(debug_name: &str) -> String {
    let prefixes = [
        "I8x16", "I16x8", "I32x4", "I64x2", "F32x4", "F64x2", "I32", "I64", "F32", "F64", "V128",
        "Memory", "Global", "Local", "Table", "Ref", "Elem", "Data",
    ];
    let (head, tail) = prefixes
        .iter()
        .find(|p| debug_name.starts_with(*p) && debug_name.len() > p.len())
        .map(|p| (p.to_lowercase(), &debug_name[p.len()..]))
        .unwrap_or_else(|| (String::new(), debug_name));
    let mut snake = String::new();
    for (i, ch) in tail.chars().enumerate() {
        if ch.is_ascii_uppercase() && i > 0 {
            snake.push('_');
        }
        snake.push(ch.to_ascii_lowercase());
    }
    if head.is_empty() {
        snake
    } else {
        format!("{head}.{snake}")
    }
}

/// Slot of the saved return pc: above the parameters and locals, and above the result slots
/// (results are written to slots `0..results` just before `ret` reads the saved pc).
fn ra_slot(params: u32, locals: u32, results: u32) -> u32 {
    (params + locals).max(results)
}

/// Floating-point and SIMD operators (including conversions from and to floats), which
/// Gloam refuses.
fn is_float_or_simd(op: &Operator) -> bool {
    let name = format!("{op:?}");
    let head = name.split([' ', '{']).next().unwrap_or("");
    ["F32", "F64", "V128", "x16", "x8", "x4", "x2"]
        .iter()
        .any(|p| head.contains(p))
}
