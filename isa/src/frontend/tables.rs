//! Static tables: tables whose contents are the same in every run of the module, so that
//! `call_indirect` through them can be lowered into a bounds check, a jump table and direct
//! calls (`FnLowerer::call_indirect`), which the prover covers, instead of the executor-only
//! `Op::CallIndirect`.
//!
//! A table is static when nothing can change it after instantiation:
//! * the module defines it (an imported table is another module's) and does not export it
//!   (an exported table can be changed through another instance or the host);
//! * no instruction of the module writes it: no `table.set`, `table.fill`, `table.grow`,
//!   `table.init` into it, no `table.copy` into it;
//! * every active element segment into it has a constant offset (`i32.const`, or `global.get`
//!   of a defined global initialised by `i32.const`) and items that are `ref.func` or
//!   `ref.null`, and lies within the table's initial size (a segment out of bounds fails
//!   instantiation; such a table is simply not treated as static);
//! * it has at most [`MAX_STATIC_ENTRIES`] entries.
//!
//! Its contents are then those instantiation writes (WebAssembly 2.0 §4.5.4): a table of its
//! minimum size, null everywhere, with the active segments applied in module order.

use wasmparser::{FunctionBody, Operator};

use super::{invalid, FrontendError};
use crate::image::MAX_WORD_TABLE_ENTRIES;
use crate::module::{ConstExpr, ExportKind, ImportKind, ModuleInfo, SegmentMode, ValType};
use crate::WordTable;

/// The contents of a static table: per entry, the function index (function index space,
/// imports first) or `None` for a null reference.
pub(super) type StaticTable = Vec<Option<u32>>;

/// The largest table treated as static (entries). Each `call_indirect` through a static
/// table emits a jump table of its size, so a larger table is held in global words instead
/// (`word_tables`), where a `call_indirect` jumps over the module's functions; the bound
/// also keeps a hostile module's declared size (up to 2^32 entries) from being allocated.
pub(super) const MAX_STATIC_ENTRIES: u32 = 1024;

/// Per table (table index space, imports first): its contents if it is static.
///
/// # Errors
/// [`FrontendError::InvalidWasm`] if a body cannot be read (the module was validated, so
/// this does not happen for modules that reach here).
pub(super) fn static_tables(
    module: &ModuleInfo,
    bodies: &[FunctionBody<'_>],
) -> Result<Vec<Option<StaticTable>>, FrontendError> {
    let imported = module
        .imports
        .iter()
        .filter(|i| matches!(i.kind, ImportKind::Table(_)))
        .count();
    let total = imported + module.tables.len();
    let mut is_static: Vec<bool> = (0..total).map(|t| t >= imported).collect();
    for e in &module.exports {
        if e.kind == crate::module::ExportKind::Table {
            if let Some(s) = is_static.get_mut(e.index as usize) {
                *s = false;
            }
        }
    }
    for body in bodies {
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            let written = match reader.read().map_err(invalid)? {
                Operator::TableSet { table }
                | Operator::TableFill { table }
                | Operator::TableGrow { table }
                | Operator::TableInit { table, .. } => table,
                Operator::TableCopy { dst_table, .. } => dst_table,
                _ => continue,
            };
            if let Some(s) = is_static.get_mut(written as usize) {
                *s = false;
            }
        }
    }
    let mut contents: Vec<Option<StaticTable>> = (0..total)
        .map(|t| {
            let defined = t.checked_sub(imported)?;
            let ty = &module.tables[defined];
            (is_static[t] && ty.elem == ValType::FuncRef && ty.limits.min <= MAX_STATIC_ENTRIES)
                .then(|| vec![None; ty.limits.min as usize])
        })
        .collect();
    let imported_globals = (module.global_types.len() - module.globals.len()) as u32;
    for seg in &module.elems {
        let SegmentMode::Active { index, offset } = &seg.mode else {
            continue;
        };
        let Some(slot) = contents.get_mut(*index as usize) else {
            continue;
        };
        let Some(table) = slot.as_mut() else {
            continue;
        };
        let base = match offset {
            ConstExpr::I32(v) => Some(*v),
            ConstExpr::GlobalGet(g) => g
                .checked_sub(imported_globals)
                .and_then(|j| module.globals.get(j as usize))
                .and_then(|(_, init)| match init {
                    ConstExpr::I32(v) => Some(*v),
                    _ => None,
                }),
            _ => None,
        };
        let items: Option<Vec<Option<u32>>> = seg
            .items
            .iter()
            .map(|item| match item {
                ConstExpr::RefFunc(f) => Some(Some(*f)),
                ConstExpr::RefNull => Some(None),
                _ => None,
            })
            .collect();
        match (base, items) {
            (Some(base), Some(items)) if base as u64 + items.len() as u64 <= table.len() as u64 => {
                table[base as usize..base as usize + items.len()].copy_from_slice(&items);
            }
            _ => *slot = None,
        }
    }
    Ok(contents)
}

/// Instructions the appended table functions of a module may take in all
/// ([`word_tables`]): a quarter of the program's limit, so that a module with many or large
/// tables keeps room for its own code (the rest of its tables stay in the executor).
pub(super) const WORD_TABLE_BUDGET: usize = crate::Program::MAX_INSTRS / 4;

/// The tables held in global words (`crate::Program::word_tables`), or `None` when the
/// module's tables and element segments stay in the executor only.
///
/// A module without imports but the contract interface's that uses a table instruction
/// other than `call_indirect` (`table.get/set/size/grow/fill/copy/init`, `elem.drop`) or
/// `call_indirect` through a table that is not static (`statics`, from [`static_tables`]:
/// an exported table, or one of more than [`MAX_STATIC_ENTRIES`] entries) gets
/// element-segment length words, and a table such an instruction names is held in words if
/// its initial size is at most [`MAX_WORD_TABLE_ENTRIES`]. Its capacity is its initial size if no `table.grow` names it
/// and the module does not export it, else its declared maximum capped at
/// [`MAX_WORD_TABLE_ENTRIES`]. (Another instance sharing an exported table changes it
/// through the executor's instructions, which write the same table the words view, and
/// cannot grow it past the capacity: `Store`'s table of a word table refuses to.) The tables are taken in
/// index order while the code of their functions fits [`WORD_TABLE_BUDGET`] (a constant
/// per table, two instructions per item of each element segment `table.init` copies into
/// it), and a `table.copy` between two tables
/// holds both in words or neither, so that no executor-only instruction changes a table
/// held in words. Other tables keep the executor-only instructions (`call_indirect` through
/// a table no run changes is lowered by [`static_tables`] anyway).
///
/// # Errors
/// [`FrontendError::InvalidWasm`] if a body cannot be read.
pub(super) fn word_tables(
    module: &ModuleInfo,
    bodies: &[FunctionBody<'_>],
    statics: &[Option<StaticTable>],
) -> Result<Option<Vec<WordTable>>, FrontendError> {
    // Imports of the contract interface only: their function indices come first, and a
    // proof's store (like the executor's, `Store::instantiate_module`) gives them the store
    // addresses before the module's functions, so references relocate the same way.
    if !crate::io::only_io_imports(module) {
        return Ok(None);
    }
    let n = module.tables.len();
    let (mut used, mut grown) = (vec![false; n], vec![false; n]);
    let mut copies = std::collections::BTreeSet::new();
    let mut inits = std::collections::BTreeSet::new();
    let mut indirect = std::collections::BTreeSet::new();
    let mut any = false;
    for body in bodies {
        let mut reader = body.get_operators_reader().map_err(invalid)?;
        while !reader.eof() {
            let named: [u32; 2] = match reader.read().map_err(invalid)? {
                Operator::TableGet { table }
                | Operator::TableSet { table }
                | Operator::TableSize { table }
                | Operator::TableFill { table } => [table, table],
                Operator::TableGrow { table } => {
                    if let Some(g) = grown.get_mut(table as usize) {
                        *g = true;
                    }
                    [table, table]
                }
                Operator::TableInit { table, elem_index } => {
                    inits.insert((table, elem_index));
                    [table, table]
                }
                Operator::TableCopy {
                    dst_table,
                    src_table,
                } => {
                    copies.insert((dst_table, src_table));
                    [dst_table, src_table]
                }
                Operator::ElemDrop { .. } => {
                    any = true;
                    continue;
                }
                Operator::CallIndirect { table_index, .. } => {
                    indirect.insert(table_index);
                    continue;
                }
                _ => continue,
            };
            any = true;
            for t in named {
                if let Some(u) = used.get_mut(t as usize) {
                    *u = true;
                }
            }
        }
    }
    let exported = |t: u32| {
        module
            .exports
            .iter()
            .any(|e| e.kind == ExportKind::Table && e.index == t)
    };
    // `call_indirect` through a table that is not static (exported, so another instance
    // could change it, or larger than `MAX_STATIC_ENTRIES`) goes through its words too:
    // a jump over the module's functions rather than over the table's entries.
    let not_static = |t: u32| statics.get(t as usize).is_none_or(|s| s.is_none());
    for &t in indirect.iter().filter(|&&t| exported(t) || not_static(t)) {
        if let Some(u) = used.get_mut(t as usize) {
            *u = true;
            any = true;
        }
    }
    if !any {
        return Ok(None);
    }
    let mut capacity: Vec<Option<u32>> = (0..n as u32)
        .map(|t| {
            let l = module.tables[t as usize].limits;
            // Another instance may grow an exported table (in an executor's store; a
            // proof's store holds this module alone): it gets the capacity of a grown one.
            let cap = if grown[t as usize] || exported(t) {
                l.max.unwrap_or(u32::MAX).min(MAX_WORD_TABLE_ENTRIES)
            } else {
                l.min
            };
            (used[t as usize] && l.min <= cap && cap <= MAX_WORD_TABLE_ENTRIES).then_some(cap)
        })
        .collect();
    let mut budget = WORD_TABLE_BUDGET;
    for t in 0..n as u32 {
        if capacity[t as usize].is_none() {
            continue;
        }
        let items: usize = inits
            .iter()
            .filter(|(table, _)| *table == t)
            .filter_map(|(_, e)| module.elems.get(*e as usize))
            .filter(|seg| matches!(seg.mode, SegmentMode::Passive))
            .map(|seg| seg.items.len())
            .sum();
        // `table.get`/`table.set` are a few instructions whatever the capacity; `table.init`
        // has a jump table over its segments' items.
        let cost = 2 * items + 64;
        if cost <= budget {
            budget -= cost;
        } else {
            capacity[t as usize] = None;
        }
    }
    // A copy between a table in words and one outside would change the first through the
    // executor: neither is held in words then.
    let mut changed = true;
    while changed {
        changed = false;
        for &(d, s) in &copies {
            let (d, s) = (d as usize, s as usize);
            if capacity[d].is_some() != capacity[s].is_some() {
                capacity[d] = None;
                capacity[s] = None;
                changed = true;
            }
        }
    }
    let tables = (0..n as u32)
        .filter_map(|t| capacity[t as usize].map(|capacity| WordTable { table: t, capacity }))
        .collect();
    Ok(Some(tables))
}

#[cfg(test)]
mod tests {
    use super::super::module;
    use super::*;

    fn tables(wat: &str) -> Vec<Option<StaticTable>> {
        let wasm = wat::parse_str(wat).unwrap();
        let parsed = module::read(&wasm).unwrap();
        static_tables(&parsed.module, &parsed.bodies).unwrap()
    }

    #[test]
    fn segments_apply_in_order_and_writers_or_exports_disqualify() {
        let t = tables(
            r#"(module (type $t (func))
                 (func $a) (func $b)
                 (table 4 funcref)
                 (elem (i32.const 1) $a $b)
                 (elem (i32.const 2) $a))"#,
        );
        assert_eq!(t, vec![Some(vec![None, Some(0), Some(0), None])]);
        let t = tables(
            r#"(module (func $a) (table $x 2 funcref) (table $y 2 funcref)
                 (elem (table $y) (i32.const 0) func $a)
                 (func (table.set $x (i32.const 0) (ref.null func))))"#,
        );
        assert_eq!(t, vec![None, Some(vec![Some(0), None])]);
        let t = tables(r#"(module (table (export "t") 1 funcref))"#);
        assert_eq!(t, vec![None]);
        // A huge declared size is not allocated: not static.
        let t = tables(r#"(module (table 4294967295 funcref) (table 1025 funcref))"#);
        assert_eq!(t, vec![None, None]);
        let t = tables(
            r#"(module (import "m" "t" (table 1 funcref)) (table 1 funcref) (table 1 externref))"#,
        );
        assert_eq!(t, vec![None, Some(vec![None]), None]);
        // A segment past the table's initial size fails instantiation: not static.
        let t = tables(r#"(module (func $a) (table 1 funcref) (elem (i32.const 1) $a))"#);
        assert_eq!(t, vec![None]);
    }

    /// Which tables are held in global words: those a table instruction names, in a module
    /// without imports but the contract interface's, unless larger than the cap;
    /// `elem.drop` alone gives the element segments' length words.
    #[test]
    fn word_tables_are_named_and_small() {
        let words = |wat: &str| {
            let wasm = wat::parse_str(wat).unwrap();
            let parsed = module::read(&wasm).unwrap();
            let statics = static_tables(&parsed.module, &parsed.bodies).unwrap();
            word_tables(&parsed.module, &parsed.bodies, &statics).unwrap()
        };
        let t = |table, capacity| WordTable { table, capacity };
        assert_eq!(words("(module (table 1 funcref))"), None);
        assert_eq!(
            words("(module (func $f) (elem $e func $f) (func (elem.drop $e)))"),
            Some(vec![])
        );
        // Capacity: the initial size unless grown, else the maximum up to the cap.
        assert_eq!(
            words(
                r#"(module (table $a 1 funcref) (table $b (export "b") 1 funcref)
                     (table $c 2000 funcref) (table $d 1 5000 funcref) (table $e 3 3 funcref)
                     (table $f 2 funcref)
                     (func (drop (table.size $a)) (drop (table.size $b))
                       (drop (table.size $c)) (drop (table.grow $d (ref.null func) (i32.const 1)))
                       (table.copy $e $a (i32.const 0) (i32.const 0) (i32.const 0))
                       (table.copy $f $b (i32.const 0) (i32.const 0) (i32.const 0))))"#
            ),
            Some(vec![
                t(0, 1),
                t(1, 1 << 20),
                t(2, 2000),
                t(3, 5000),
                t(4, 3),
                t(5, 2)
            ]),
            "an exported table gets a grown table's capacity"
        );
        // The capacity costs no code; `table.init`'s jump tables over segment items do:
        // past the budget, later tables stay in the executor.
        let items = " $f".repeat(5000);
        let many = "(table 1 funcref)".repeat(4);
        let segs: String = (0..4)
            .map(|i| format!("(elem $e{i} func{items})"))
            .collect();
        let inits: String = (0..4)
            .map(|i| format!("(table.init {i} $e{i} (i32.const 0) (i32.const 0) (i32.const 0))"))
            .collect();
        let w = words(&format!("(module (func $f) {many} {segs} (func {inits}))")).unwrap();
        assert_eq!(w.len(), 1, "{w:?}");
        const { assert!(2 * 5000 + 64 <= WORD_TABLE_BUDGET && 2 * (2 * 5000 + 64) > WORD_TABLE_BUDGET) };
        let big = words(
            "(module (table 100000 200000 funcref) (func (drop (table.grow 0 (ref.null func) (i32.const 1)))))",
        );
        assert_eq!(big, Some(vec![t(0, 200000)]), "a large table costs no code");
        assert_eq!(
            words(
                r#"(module (import "m" "f" (func)) (table 1 funcref)
                     (func (drop (table.size 0))))"#
            ),
            None
        );
        // `call_indirect` alone: through a static table, no words; through one too large to
        // be static, or an exported one, its words.
        let indirect = |decl: &str| {
            words(&format!(
                r#"(module (type $t (func)) {decl}
                     (func (call_indirect (type $t) (i32.const 0))))"#
            ))
        };
        assert_eq!(indirect("(table 1024 funcref)"), None);
        assert_eq!(indirect("(table 1025 funcref)"), Some(vec![t(0, 1025)]));
        assert_eq!(
            indirect(r#"(table (export "t") 4 4 funcref)"#),
            Some(vec![t(0, 4)])
        );
    }

    /// `call_indirect` through a table of more entries than [`MAX_STATIC_ENTRIES`], at two
    /// sites of two types: its words and a jump over the module's functions, not over its
    /// entries.
    #[test]
    fn call_indirect_through_a_large_table_goes_through_its_words() {
        let elems = " $f $g".repeat(3000);
        let wat = format!(
            r#"(module (type $t (func (result i32))) (type $u (func (param i32) (result i32)))
                 (func $f (type $t) i32.const 1) (func $g (type $u) local.get 0)
                 (table 6000 funcref) (elem (i32.const 0){elems})
                 (func (export "h") (param i32) (result i32)
                   (call_indirect (type $t) (local.get 0))
                   (call_indirect (type $u) (i32.const 5) (i32.add (local.get 0) (i32.const 1)))
                   i32.add))"#
        );
        let p = crate::load_module(wat.as_bytes()).expect("loads");
        assert_eq!(
            p.word_tables,
            Some(vec![WordTable {
                table: 0,
                capacity: 6000
            }])
        );
        // Each site keeps one executor-only `call_indirect`, for a reference from another
        // instance (which only the host can pass in); the table's own entries jump.
        let executor_only = p.instrs.iter().filter(|i| i.op == crate::Op::CallIndirect);
        assert_eq!(executor_only.count(), 2);
        assert_eq!(
            p.instrs.iter().filter(|i| i.op == crate::Op::JTab).count(),
            2
        );
        assert!(p.instrs.len() < 1000, "{} instructions", p.instrs.len());
    }

    /// Many `call_indirect` sites through a large static table: the sites' own jump tables
    /// stop before the program nears its instruction limit, and the remaining sites call the
    /// table and type's dispatch function, which holds the jump table once; nothing is left
    /// to the executor.
    #[test]
    fn large_tables_share_a_dispatch_function_past_the_site_budget() {
        let elems = " $f".repeat(1000);
        let sites = "(drop (call_indirect (type $t) (local.get 0)))".repeat(40);
        let wat = format!(
            r#"(module (type $t (func (result i32)))
                 (func $f (result i32) i32.const 1)
                 (table 1000 funcref) (elem (i32.const 0){elems})
                 (func (export "g") (param i32) {sites}))"#
        );
        let p = crate::load_module(wat.as_bytes()).expect("loads");
        assert!(p.instrs.iter().any(|i| i.op == crate::Op::JTab));
        assert!(!p.instrs.iter().any(|i| i.op == crate::Op::CallIndirect));
        let dispatch: Vec<_> = p
            .functions
            .iter()
            .filter(|f| f.name.starts_with("call_indirect table 0 type 0"))
            .collect();
        assert_eq!(dispatch.len(), 1);
        assert!(p.instrs.len() < crate::Program::MAX_INSTRS / 2 + 4000);
    }
}
