//! The initial state of a module's globals and linear memory as 32-bit words: what a run
//! starts from before its first instruction, computed from the module alone (no execution),
//! for the verifier to add to the AIR's memory argument.
//!
//! Both functions describe a module that passes [`check_setup`](crate::check_setup): no
//! imports and no start function (so every global initialiser is a constant, `ref.null` or
//! `ref.func`) and every active data segment at a constant offset within the initial memory.
//! Words not listed are zero.

use std::collections::BTreeMap;

use crate::module::{ConstExpr, ModuleInfo, SegmentMode};
use crate::program::Program;

/// Every nonzero initial global word of `program`'s module, as `(word, value)` sorted by
/// word.
///
/// Global `i` (global index space, imports first) is words `2i` (its low 32 bits) and
/// `2i + 1` (its high 32 bits, used only by an `i64` global), the layout of `global.get` and
/// `global.set` (`Op::GlobalGet`). Initialisers evaluate as the executor evaluates them at
/// instantiation:
///
/// * `i32.const v`: word `2i` = `v`; `i64.const v`: words `2i`, `2i + 1` = low, high of `v`;
/// * `ref.null`: 0 (a null reference);
/// * `ref.func f`: `f + 1`. A reference is its function's store address plus one, and in the
///   fresh store a run is executed in (`run_traced`), which holds this instance only and no
///   imports, defined function `f` has store address `f`;
/// * `global.get g` of a global defined earlier: that global's initial value. (`global.get`
///   of an imported global, which only a module [`check_setup`](crate::check_setup) refuses
///   can contain, contributes no words.)
pub fn initial_global_words(program: &Program) -> Vec<(u32, u32)> {
    let m = &program.module;
    let imported = (m.global_types.len() - m.globals.len()) as u32;
    let mut out = Vec::new();
    for (j, (_, init)) in m.globals.iter().enumerate() {
        let Some(v) = const_value(m, init, imported) else {
            continue;
        };
        let w = 2 * (imported + j as u32);
        for (word, value) in [(w, v as u32), (w + 1, (v >> 32) as u32)] {
            if value != 0 {
                out.push((word, value));
            }
        }
    }
    out
}

/// The 64-bit value of a global initialiser (references as address + 1), if it is known
/// without imports.
fn const_value(m: &ModuleInfo, e: &ConstExpr, imported: u32) -> Option<u64> {
    match *e {
        ConstExpr::I32(v) => Some(v as u64),
        ConstExpr::I64(v) => Some(v),
        ConstExpr::RefNull => Some(0),
        ConstExpr::RefFunc(f) => Some(f as u64 + 1),
        ConstExpr::GlobalGet(g) => {
            let j = g.checked_sub(imported)? as usize;
            match m.globals.get(j)?.1 {
                // WebAssembly 2.0 has no chains of `global.get`; one level is evaluated.
                ConstExpr::GlobalGet(_) => None,
                ref init => const_value(m, init, imported),
            }
        }
    }
}

/// Every nonzero 32-bit word of `program`'s initial linear memory, as
/// `(word address, value)` with `word address = byte address / 4` and the value the four bytes
/// read little-endian, sorted by address.
///
/// The initial memory is zero except where the active data segments write: they are applied
/// in module order (WebAssembly 2.0 §4.5.4), so where segments overlap the later one wins.
/// A segment's offset is its `i32.const`, or the `i32.const` initialiser of the module global
/// its `global.get` names (as [`check_setup`](crate::check_setup) evaluates it); a segment
/// whose offset is neither contributes nothing (`check_setup` refuses such a module). Passive
/// segments are not part of the initial memory.
pub fn initial_memory_words(program: &Program) -> Vec<(u32, u32)> {
    let m = &program.module;
    let imported = (m.global_types.len() - m.globals.len()) as u32;
    let mut words: BTreeMap<u32, u32> = BTreeMap::new();
    for seg in &m.datas {
        let SegmentMode::Active { offset, .. } = &seg.mode else {
            continue;
        };
        let base = match *offset {
            ConstExpr::I32(v) => v,
            ConstExpr::GlobalGet(g) => match g
                .checked_sub(imported)
                .and_then(|j| m.globals.get(j as usize))
            {
                Some((_, ConstExpr::I32(v))) => *v,
                _ => continue,
            },
            _ => continue,
        } as u64;
        for (i, byte) in seg.bytes.iter().enumerate() {
            let addr = base + i as u64;
            // Addresses beyond 2^32 cannot be in a WebAssembly 2.0 memory (a module with such
            // a segment fails to instantiate and is refused by `check_setup`).
            let Ok(addr) = u32::try_from(addr) else {
                break;
            };
            let shift = 8 * (addr % 4);
            let w = words.entry(addr / 4).or_insert(0);
            *w = (*w & !(0xff << shift)) | ((*byte as u32) << shift);
        }
    }
    words.into_iter().filter(|(_, v)| *v != 0).collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load_module;

    fn program(wat: &str) -> Program {
        load_module(wat.as_bytes()).expect("valid module")
    }

    #[test]
    fn global_words_from_initialisers() {
        let p = program(
            r#"(module
                 (func $f0) (func $f1)
                 (global $a i32 (i32.const 7))
                 (global $b (mut i64) (i64.const 0x1122334455667788))
                 (global $c i64 (i64.const -1))
                 (global $d i32 (i32.const 0))
                 (global $e funcref (ref.func $f1))
                 (global $n externref (ref.null extern))
                 (global $g i64 (i64.const 0x500000000))
                 (elem declare func $f1))"#,
        );
        assert_eq!(
            initial_global_words(&p),
            vec![
                (0, 7),
                (2, 0x5566_7788),
                (3, 0x1122_3344),
                (4, u32::MAX),
                (5, u32::MAX),
                // $d = 0 contributes nothing; $e = ref.func 1 is address 1 plus one
                (8, 2),
                // $n is null; $g has a zero low word
                (13, 5),
            ]
        );
        assert!(initial_global_words(&program("(module)")).is_empty());
    }

    #[test]
    fn ref_func_initialiser_is_what_the_executor_stores() {
        // The executor stores `store address + 1`; a fresh store gives defined function f the
        // address f. (The executor's own test, `globals_start_from_initial_global_words` in
        // executor/tests/i64.rs, reads the words back through `global.get`.)
        let p = program(
            r#"(module (func) (func) (func $two)
                 (global funcref (ref.func $two)) (elem declare func $two))"#,
        );
        assert_eq!(initial_global_words(&p), vec![(0, 3)]);
    }

    #[test]
    fn memory_words_from_active_segments() {
        let p = program(
            r#"(module (memory 1)
                 (data (i32.const 1) "\01\02\03\04\05")
                 (data (i32.const 16) "\00\00\00\00")
                 (data (i32.const 32) "\ff")
                 (data "passive segments are not in the initial memory")
                 ;; overlapping: the later segment wins byte by byte
                 (data (i32.const 2) "\aa")
                 (data (i32.const 100) "\00\00\00\80"))"#,
        );
        assert_eq!(
            initial_memory_words(&p),
            vec![
                (0, 0x03aa_0100),
                (1, 0x0000_0504),
                (8, 0xff),
                (25, 0x8000_0000),
            ]
        );
        // Later zeros overwrite earlier bytes; an all-zero word is not listed.
        let p = program(
            r#"(module (memory 1) (data (i32.const 8) "\01\02") (data (i32.const 8) "\00\00"))"#,
        );
        assert!(initial_memory_words(&p).is_empty());
        assert!(initial_memory_words(&program("(module)")).is_empty());
    }
}
