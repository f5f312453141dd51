//! Module-level WebAssembly 2.0 state that is not code: types, imports, tables, memory,
//! globals, exports, element and data segments and the start function (WebAssembly 2.0 core
//! spec §2.5, "Modules"). The executor instantiates a [`Program`](crate::Program) from it.

use serde::{Deserialize, Serialize};

/// A value type Gloam supports (WebAssembly 2.0 §2.3.4 without `f32`, `f64`, `v128`).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum ValType {
    /// 32-bit integer.
    I32,
    /// 64-bit integer.
    I64,
    /// Function reference.
    FuncRef,
    /// External (host) reference.
    ExternRef,
}

impl ValType {
    /// Reference types (`funcref`, `externref`).
    pub const fn is_ref(self) -> bool {
        matches!(self, ValType::FuncRef | ValType::ExternRef)
    }
    /// Occupies two 32-bit slots (`i64`: the low word, then the high word).
    pub const fn is_wide(self) -> bool {
        matches!(self, ValType::I64)
    }
    /// Number of 32-bit slots (and statement words) a value of this type occupies: 2 for
    /// `i64`, 1 for `i32` and references (0 for null, else a store address plus one).
    pub const fn slots(self) -> u32 {
        if self.is_wide() {
            2
        } else {
            1
        }
    }
    /// Slots of a list of values laid out one after the other (parameters, results).
    pub fn slots_of(types: &[ValType]) -> u32 {
        types.iter().map(|t| t.slots()).sum()
    }
}

impl std::fmt::Display for ValType {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            ValType::I32 => "i32",
            ValType::I64 => "i64",
            ValType::FuncRef => "funcref",
            ValType::ExternRef => "externref",
        })
    }
}

/// A function type: parameter and result types (multi-value allowed).
#[derive(Clone, Debug, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct FuncSig {
    /// Parameter types.
    pub params: Vec<ValType>,
    /// Result types.
    pub results: Vec<ValType>,
}

impl FuncSig {
    /// A function type from its parameter and result types.
    pub fn new(params: impl Into<Vec<ValType>>, results: impl Into<Vec<ValType>>) -> Self {
        FuncSig {
            params: params.into(),
            results: results.into(),
        }
    }
}

impl std::fmt::Display for FuncSig {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let list = |v: &[ValType]| {
            v.iter()
                .map(|t| t.to_string())
                .collect::<Vec<_>>()
                .join(" ")
        };
        write!(f, "[{}] -> [{}]", list(&self.params), list(&self.results))
    }
}

/// Size limits of a table (elements) or memory (64 KiB pages).
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Limits {
    /// Initial size.
    pub min: u32,
    /// Maximum size, if declared.
    pub max: Option<u32>,
}

/// A table type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct TableType {
    /// Element type (`funcref` or `externref`).
    pub elem: ValType,
    /// Size limits in elements.
    pub limits: Limits,
}

/// A global's type.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct GlobalType {
    /// Value type.
    pub ty: ValType,
    /// Whether `global.set` may change it.
    pub mutable: bool,
}

/// A constant expression (WebAssembly 2.0 §3.3.10): initialisers of globals and segment
/// offsets and elements.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ConstExpr {
    /// `i32.const`.
    I32(u32),
    /// `i64.const`.
    I64(u64),
    /// `ref.null`.
    RefNull,
    /// `ref.func` of a WebAssembly function index.
    RefFunc(u32),
    /// `global.get` of a global index.
    GlobalGet(u32),
}

/// What an import brings in.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ImportKind {
    /// A function of the given type index.
    Func(u32),
    /// A table.
    Table(TableType),
    /// A linear memory (limits in pages).
    Memory(Limits),
    /// A global.
    Global(GlobalType),
}

/// One import.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Import {
    /// Module name.
    pub module: String,
    /// Field name.
    pub name: String,
    /// What is imported.
    pub kind: ImportKind,
}

/// Kinds of exported items.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum ExportKind {
    /// A function (WebAssembly function index space, imports first).
    Func,
    /// A table.
    Table,
    /// The memory.
    Memory,
    /// A global.
    Global,
}

/// One export: a name and an index into the kind's index space (imports first).
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct Export {
    /// Export name.
    pub name: String,
    /// Kind.
    pub kind: ExportKind,
    /// Index in the kind's index space.
    pub index: u32,
}

/// When an element or data segment is applied.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub enum SegmentMode {
    /// Only through `table.init` / `memory.init`.
    Passive,
    /// Copied at instantiation into table/memory `index` at `offset`, then dropped.
    Active {
        /// Table or memory index.
        index: u32,
        /// Start offset.
        offset: ConstExpr,
    },
    /// Element segments only: declares functions for `ref.func`; dropped at instantiation.
    Declarative,
}

/// An element segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ElemSegment {
    /// Element type.
    pub ty: ValType,
    /// Mode.
    pub mode: SegmentMode,
    /// Items, each a constant expression producing a reference.
    pub items: Vec<ConstExpr>,
}

/// A data segment.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct DataSegment {
    /// Mode (never `Declarative`).
    pub mode: SegmentMode,
    /// Bytes.
    pub bytes: Vec<u8>,
}

/// Everything of a module but function bodies.
#[derive(Clone, Debug, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ModuleInfo {
    /// Function types by type index.
    pub types: Vec<FuncSig>,
    /// Imports in declaration order.
    pub imports: Vec<Import>,
    /// Type index of every function in the function index space (imports first).
    pub func_types: Vec<u32>,
    /// Number of imported functions (the first indices of the function index space).
    pub num_func_imports: u32,
    /// Tables defined by the module (after imported tables in the table index space).
    pub tables: Vec<TableType>,
    /// Memory defined by the module, if any (at most one memory in WebAssembly 2.0).
    pub memory: Option<Limits>,
    /// Globals defined by the module with their initialisers (after imported globals).
    pub globals: Vec<(GlobalType, ConstExpr)>,
    /// Type of every global in the global index space (imports first).
    pub global_types: Vec<GlobalType>,
    /// All exports in declaration order.
    pub exports: Vec<Export>,
    /// Start function index.
    pub start: Option<u32>,
    /// Element segments.
    pub elems: Vec<ElemSegment>,
    /// Data segments.
    pub datas: Vec<DataSegment>,
}

impl ModuleInfo {
    /// The export named `name`.
    pub fn export(&self, name: &str) -> Option<&Export> {
        self.exports.iter().find(|e| e.name == name)
    }

    /// The type of WebAssembly function `index` (function index space).
    pub fn func_sig(&self, index: u32) -> Option<&FuncSig> {
        self.func_types
            .get(index as usize)
            .and_then(|t| self.types.get(*t as usize))
    }

    /// Whether the module has no state beyond code: no imports, tables, memory, globals,
    /// segments or start function.
    pub fn is_code_only(&self) -> bool {
        self.imports.is_empty()
            && self.tables.is_empty()
            && self.memory.is_none()
            && self.globals.is_empty()
            && self.start.is_none()
            && self.elems.is_empty()
            && self.datas.is_empty()
    }
}
