//! Sections → [`ModuleInfo`]: the module's types, imports, tables, memory, globals, exports,
//! segments and start function, plus what lowering needs per function (signature shape and
//! declared locals) and the function bodies themselves.
//!
//! Float and SIMD types are refused here when a function, import, global or local uses them;
//! a type that only a block or `call_indirect` mentions is refused later, while lowering.

use wasmparser::{
    CompositeInnerType, ConstExpr as WpConstExpr, DataKind, ElementItems, ElementKind,
    ExternalKind, FunctionBody, Operator, Parser, Payload, RefType, TypeRef, ValType as WpValType,
    WasmFeatures,
};

use super::{invalid, wasm_mnemonic, FrontendError};
use crate::module::{
    ConstExpr, DataSegment, ElemSegment, Export, ExportKind, FuncSig, GlobalType, Import,
    ImportKind, Limits, ModuleInfo, SegmentMode, TableType, ValType,
};

/// Gloam's value type of a `wasmparser` value type; `None` for `f32`, `f64`, `v128`.
pub(super) fn val_type(t: WpValType) -> Option<ValType> {
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
pub(super) fn wasm2_features() -> WasmFeatures {
    WasmFeatures::WASM2
}

/// Per WebAssembly function (imports first): what a caller needs to know.
#[derive(Clone)]
pub(super) struct FnInfo {
    /// Parameter types: wide (`i64`, two slots) or not.
    pub(super) params: Vec<bool>,
    /// Result types: wide or not.
    pub(super) results: Vec<bool>,
    /// Slots of the declared locals (defined functions only).
    pub(super) local_slots: u32,
}

/// Slots of values laid out packed: 2 per wide value, 1 per other.
pub(super) fn slots(wide: &[bool]) -> u32 {
    wide.iter().map(|w| 1 + *w as u32).sum()
}

impl FnInfo {
    /// Slots of the parameters.
    pub(super) fn param_slots(&self) -> u32 {
        slots(&self.params)
    }
    /// Slots of the results.
    pub(super) fn result_slots(&self) -> u32 {
        slots(&self.results)
    }
}

/// A read module, ready for its function bodies to be lowered.
pub(super) struct ParsedModule<'a> {
    /// The module state the program keeps (and hashes).
    pub(super) module: ModuleInfo,
    /// Type index → Gloam signature, or the first float/SIMD type it mentions.
    pub(super) types: Vec<Result<FuncSig, String>>,
    /// The bodies of the defined functions.
    pub(super) bodies: Vec<FunctionBody<'a>>,
    /// Every function, imports first.
    pub(super) infos: Vec<FnInfo>,
    /// Per defined function: whether each local (parameters first) is wide.
    pub(super) local_types: Vec<Vec<bool>>,
    /// Exported defined functions: (name, index among defined functions), sorted.
    pub(super) exports: Vec<(String, u32)>,
    /// Per table (imports first): its contents if no run can change them
    /// ([`super::tables`]).
    pub(super) static_tables: Vec<Option<super::tables::StaticTable>>,
    /// The tables held in global words ([`super::tables::word_tables`]).
    pub(super) word_tables: Option<Vec<crate::WordTable>>,
    /// The passive data segments held in global words (`Program::data_words`).
    pub(super) data_words: Vec<u32>,
    /// Per data segment: its words, if it is held in global words.
    pub(super) segment_words: Vec<Option<crate::image::SegmentWords>>,
    /// Per table (table index space): its global words if it is held in them.
    pub(super) table_words: Vec<Option<crate::image::TableWords>>,
    /// Whether the module defines its memory and some function executes `memory.grow`: then
    /// every load and store is bounded by the memory-size word
    /// (`crate::image::memory_size_word`) where it runs.
    pub(super) memory_grows: bool,
}

impl ParsedModule<'_> {
    /// Name of defined function `idx`: its first export name (sorted), else `func[i]`.
    pub(super) fn name_of(&self, idx: u32) -> String {
        defined_name(&self.exports, self.module.num_func_imports, idx)
    }
}

fn defined_name(exports: &[(String, u32)], n_imp: u32, idx: u32) -> String {
    exports
        .iter()
        .find(|(_, i)| *i == idx)
        .map(|(n, _)| n.clone())
        .unwrap_or_else(|| format!("func[{}]", idx + n_imp))
}

/// Reads the sections of a validated module.
///
/// # Errors
/// [`FrontendError`] if the module is malformed or uses floats or SIMD in a signature,
/// import, global or local, or a function declares too many locals.
pub(super) fn read(wasm: &[u8]) -> Result<ParsedModule<'_>, FrontendError> {
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

    let name_of = |idx: u32| defined_name(&exports, n_imp, idx);

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
            params: sig.params.iter().map(|t| t.is_wide()).collect(),
            results: sig.results.iter().map(|t| t.is_wide()).collect(),
            local_slots: 0,
        };
        if widx >= n_imp {
            let body = &bodies[(widx - n_imp) as usize];
            let mut wide: Vec<bool> = sig.params.iter().map(|t| t.is_wide()).collect();
            let reader = body.get_locals_reader().map_err(invalid)?;
            let mut locals: u32 = 0;
            for local in reader {
                let (count, ty) = local.map_err(invalid)?;
                let ty = val_type(ty).ok_or_else(|| FrontendError::UnsupportedType {
                    func: name_of(widx - n_imp),
                    index: widx,
                    ty: ty.to_string(),
                })?;
                locals = locals
                    .checked_add(count)
                    .filter(|n| *n < 1 << 16)
                    .ok_or_else(|| FrontendError::TooManyLocals {
                        func: name_of(widx - n_imp),
                        index: widx,
                    })?;
                info.local_slots += count * ty.slots();
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
    let static_tables = super::tables::static_tables(&module, &bodies)?;
    let word_tables = super::tables::word_tables(&module, &bodies, &static_tables)?;
    let mut table_words = vec![None; module.tables.len()];
    for t in crate::image::table_words_of(&module, word_tables.as_deref()) {
        table_words[t.table as usize] = Some(t);
    }
    // Passive segments a `memory.init` of the module's own memory copies from: a jump table of
    // constants (two instructions a byte) while the segment is at most
    // `MAX_JUMP_TABLE_SEGMENT` bytes and the jump tables fit a quarter of the instruction
    // limit, taken in segment order; the others are held in global words.
    let mut copied = std::collections::BTreeSet::new();
    for body in bodies.iter().filter(|_| module.memory.is_some()) {
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            if let Operator::MemoryInit { data_index, .. } = reader.read().map_err(invalid)? {
                let passive = module
                    .datas
                    .get(data_index as usize)
                    .is_some_and(|d| matches!(d.mode, crate::module::SegmentMode::Passive));
                if passive {
                    copied.insert(data_index);
                }
            }
        }
    }
    let mut budget = crate::Program::MAX_INSTRS / 4;
    let mut data_words = Vec::new();
    for seg in copied {
        let len = module.datas[seg as usize].bytes.len();
        let cost = 2 * len + 64;
        if len <= crate::image::MAX_JUMP_TABLE_SEGMENT && cost <= budget {
            budget -= cost;
        } else {
            data_words.push(seg);
        }
    }
    let mut segment_words = vec![None; module.datas.len()];
    let first = crate::image::words_before_segments_of(&module, word_tables.as_deref());
    for s in crate::image::segment_words_of(&module, first, &data_words) {
        segment_words[s.seg as usize] = Some(s);
    }
    // Only a memory the module defines is lowered through the memory-size word.
    let mut memory_grows = false;
    for body in bodies.iter().filter(|_| module.memory.is_some()) {
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() && !memory_grows {
            memory_grows = matches!(reader.read().map_err(invalid)?, Operator::MemoryGrow { .. });
        }
    }
    Ok(ParsedModule {
        module,
        types,
        bodies,
        infos,
        local_types,
        exports,
        static_tables,
        word_tables,
        data_words,
        segment_words,
        table_words,
        memory_grows,
    })
}
