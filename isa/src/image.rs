//! The initial state a proof starts from, computed from the module alone: the nonzero words
//! of the initial linear memory (active data segments) and of the globals (their constant
//! initialisers), and the size of the memory in 4-byte words.
//!
//! The verifier adds one initial token per word listed here to the memory argument (so its
//! cost is the size of the data, which the program hash covers), and the prover's memory
//! table holds one row per listed word; words not listed start at zero. Both sides call these
//! functions, so they agree by construction. They assume a module that passed
//! [`crate::check_setup`] (no imports but the contract interface's, active segments in
//! bounds).

use crate::module::{ConstExpr, ModuleInfo, SegmentMode};
use crate::statement::PAGE_BYTES;
use crate::Program;

/// Bytes per memory word of the AIR's memory argument.
pub const WORD_BYTES: u64 = 4;

/// The largest memory a WebAssembly 2.0 module can have, in 64 KiB pages (4 GiB).
pub const MAX_PAGES: u32 = 65536;

/// The global word holding the size of the memory in 64 KiB pages: one past the globals'
/// words (`2 n` for `n` globals in the global index space; word `2 n + 1` stays zero).
/// `memory.size` reads it, the lowered `memory.grow` writes it, and the executor keeps it
/// equal to its memory's size, so in the AIR it is a global word like any other, whose
/// initial value (the initial size) the verifier supplies ([`initial_global_words`]).
pub fn memory_size_word(module: &ModuleInfo) -> u32 {
    2 * module.global_types.len() as u32
}

/// The global word holding the current length in bytes of data segment `i`: after the
/// memory-size pair, one word per data segment (`2 n + 2 + i` for `n` globals). It starts at
/// the segment's length for a passive segment and at 0 for an active one (instantiation drops
/// it); the lowered `data.drop` sets it to 0, and the lowered `memory.init` checks its source
/// range against it. The executor keeps it equal to its segment's length.
pub fn data_length_word(module: &ModuleInfo, i: u32) -> u32 {
    memory_size_word(module) + 2 + i
}

/// The most entries a table held in global words can have ([`crate::WordTable::capacity`]):
/// 2^20, the executor's default table limit (`Limits::max_table_len`). `table.get` and
/// `table.set` reach an entry by the indexed global accesses (`Op::GlobalGetAt`,
/// `Op::GlobalSetAt`), so neither the code nor a proof grows with the capacity: a proof's
/// memory table holds the entries a run touches or its element segments fill.
pub const MAX_WORD_TABLE_ENTRIES: u32 = 1 << 20;

/// The global word holding the current length (items) of element segment `e`, for a module
/// whose tables are held in global words ([`crate::Program::word_tables`]): after the data
/// segments' length words. It starts at the segment's length for a passive segment and at 0
/// for an active or declarative one (instantiation drops those); the lowered `elem.drop`
/// sets it to 0, and the lowered `table.init` checks its source range against it.
pub fn elem_length_word(module: &ModuleInfo, e: u32) -> u32 {
    data_length_word(module, module.datas.len() as u32) + e
}

/// The global words of a table held in them ([`crate::WordTable`]).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TableWords {
    /// The table's index.
    pub table: u32,
    /// The word holding its current size (entries).
    pub size_word: u32,
    /// Its capacity: entry `i < capacity` is word `size_word + 1 + i`.
    pub capacity: u32,
}

impl TableWords {
    /// The word holding entry `i`: 0 for a null reference, else the function's index plus 1
    /// (a `funcref`) or the host reference's value (an `externref`).
    pub fn entry(&self, i: u32) -> u32 {
        self.size_word + 1 + i
    }

    /// One past its last word.
    pub fn end(&self) -> u32 {
        self.size_word + 1 + self.capacity
    }
}

/// The global words of every table held in them, in [`crate::Program::word_tables`]'s
/// order: after the element segments' length words ([`elem_length_word`]), per table its
/// size word, then one word per entry up to its capacity.
pub fn table_words(program: &Program) -> Vec<TableWords> {
    table_words_of(&program.module, program.word_tables.as_deref())
}

/// [`table_words`] of `module` with word tables `word_tables`.
pub fn table_words_of(
    module: &ModuleInfo,
    word_tables: Option<&[crate::WordTable]>,
) -> Vec<TableWords> {
    let m = module;
    let mut next = elem_length_word(m, m.elems.len() as u32);
    let mut out = Vec::new();
    for t in word_tables.into_iter().flatten() {
        out.push(TableWords {
            table: t.table,
            size_word: next,
            capacity: t.capacity,
        });
        next += 1 + t.capacity;
    }
    out
}

/// The pages the memory `module` defines can grow to: its declared maximum, else
/// [`MAX_PAGES`] (0 without a memory of its own). An imported memory's maximum is its
/// exporter's, unknown here: a module importing its memory keeps the executor-only
/// `memory.size`/`memory.grow` (imports are not proven).
pub fn max_memory_pages(module: &ModuleInfo) -> u32 {
    module
        .memory
        .map_or(0, |l| l.max.unwrap_or(MAX_PAGES).min(MAX_PAGES))
}

/// Whether the program can change its memory's size: some instruction writes the
/// memory-size word (the lowering of `memory.grow`, `isa/src/frontend/func/storage.rs`).
/// The front end then also bounds every load and store by the size word.
pub fn memory_grows(program: &Program) -> bool {
    let w = memory_size_word(&program.module);
    program
        .instrs
        .iter()
        .any(|i| i.op == crate::Op::GlobalSet && i.imm == w)
}

/// The bound of the AIR's memory table in 4-byte words (0 without a memory): no memory word
/// at or above it can be accessed in a proof. For a program whose memory cannot grow, the
/// initial size `min pages * 65536 / 4`; for one that can, the size it can grow to
/// ([`max_memory_pages`]), and the front end's per-access check against the size word keeps
/// each access below the size at its time.
pub fn memory_words(program: &Program) -> u64 {
    let pages = match program.module.memory {
        None => 0,
        Some(_) if memory_grows(program) => max_memory_pages(&program.module),
        Some(l) => l.min,
    };
    pages as u64 * PAGE_BYTES / WORD_BYTES
}

/// The value a constant expression initialises a global to, as the executor stores it in a
/// fresh store: `i32` zero-extended, `i64` as is, a null reference 0, `ref.func f` the
/// function's store address plus one, which in a fresh store holding only this module is
/// `f + 1`; `global.get g` the value of the earlier global `g`.
fn const_value(m: &ModuleInfo, e: &ConstExpr, depth: u32) -> u64 {
    match e {
        ConstExpr::I32(v) => *v as u64,
        ConstExpr::I64(v) => *v,
        ConstExpr::RefNull => 0,
        ConstExpr::RefFunc(f) => *f as u64 + 1,
        ConstExpr::GlobalGet(g) if depth < 4 => m
            .globals
            .get(*g as usize)
            .map_or(0, |(_, init)| const_value(m, init, depth + 1)),
        ConstExpr::GlobalGet(_) => 0,
    }
}

/// Every nonzero initial global word `(word, value)`, sorted by word: global `i` occupies
/// words `2i` (low 32 bits) and `2i + 1` (high 32 bits; zero for `i32` globals and
/// references), the layout of `global.get`/`global.set`; then the memory-size word
/// ([`memory_size_word`]) with the initial number of pages; then the length words of the
/// passive data segments ([`data_length_word`]); for a module whose tables are held in
/// global words, the length words of the passive element segments ([`elem_length_word`]),
/// then per table ([`table_words`]) its initial size and the entries its active element
/// segments write at instantiation, in module order (a later segment overwrites an earlier
/// one), as `ref.func f` = `f + 1`; then the nonzero words of the data segments held in
/// global words ([`segment_words`]).
pub fn initial_global_words(program: &Program) -> Vec<(u32, u32)> {
    let m = &program.module;
    let mut out = Vec::new();
    for (i, (_, init)) in m.globals.iter().enumerate() {
        let v = const_value(m, init, 0);
        for (half, w) in [(0u32, v as u32), (1, (v >> 32) as u32)] {
            if w != 0 {
                out.push((2 * i as u32 + half, w));
            }
        }
    }
    if let Some(l) = m.memory.filter(|l| l.min != 0) {
        out.push((memory_size_word(m), l.min));
    }
    for (i, seg) in m.datas.iter().enumerate() {
        if matches!(seg.mode, SegmentMode::Passive) && !seg.bytes.is_empty() {
            out.push((data_length_word(m, i as u32), seg.bytes.len() as u32));
        }
    }
    if program.word_tables.is_none() {
        out.extend(segment_initial_words(program));
        return out;
    }
    for (e, seg) in m.elems.iter().enumerate() {
        if matches!(seg.mode, SegmentMode::Passive) && !seg.items.is_empty() {
            out.push((elem_length_word(m, e as u32), seg.items.len() as u32));
        }
    }
    for t in table_words(program) {
        let min = m.tables[t.table as usize].limits.min;
        if min != 0 {
            out.push((t.size_word, min));
        }
        // The entries the active segments write, later segments overwriting earlier ones:
        // work in the segments' items, not in the table's size (up to 2^20 entries).
        let mut entries = std::collections::BTreeMap::new();
        for seg in &m.elems {
            let SegmentMode::Active { index, offset } = &seg.mode else {
                continue;
            };
            if *index != t.table {
                continue;
            }
            let off = const_value(m, offset, 0) as u32 as u64;
            if off + seg.items.len() as u64 > min as u64 {
                continue;
            }
            for (k, item) in seg.items.iter().enumerate() {
                entries.insert(off as u32 + k as u32, const_value(m, item, 0) as u32);
            }
        }
        for (i, v) in entries {
            if v != 0 {
                out.push((t.entry(i), v));
            }
        }
    }
    out.extend(segment_initial_words(program));
    out
}

/// The nonzero words of the data segments held in global words.
fn segment_initial_words(program: &Program) -> Vec<(u32, u32)> {
    let mut out = Vec::new();
    for s in segment_words(program) {
        let bytes = &program.module.datas[s.seg as usize].bytes;
        for (i, chunk) in bytes.chunks(4).enumerate() {
            let mut w = [0u8; 4];
            w[..chunk.len()].copy_from_slice(chunk);
            let v = u32::from_le_bytes(w);
            if v != 0 {
                out.push((s.first_word + i as u32, v));
            }
        }
    }
    out
}

/// Number of global words: two per global; then, if the module has a memory or data
/// segments, two for the memory-size word ([`memory_size_word`]) and one per data segment
/// ([`data_length_word`]); then, if its tables are held in global words, one per element
/// segment ([`elem_length_word`]) and the tables' words ([`table_words`]); then the words of
/// the data segments held in global words ([`segment_words`]).
pub fn global_words(program: &Program) -> u32 {
    segment_words(program)
        .last()
        .map_or(words_before_segments(program), |s| s.first_word + s.words)
}

/// Passive data segments longer than this many bytes, when a `memory.init` copies from them,
/// are held in global words ([`segment_words`]) rather than in a jump table of constants
/// (two instructions a byte).
pub const MAX_JUMP_TABLE_SEGMENT: usize = 4096;

/// A passive data segment held in global words (`Program::data_words`): its bytes four to a
/// word, little-endian (word `first_word + i` holds bytes `4i .. 4i + 4`, zero past the end),
/// read by `global.get_at` in the segment's `memory.init` function.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct SegmentWords {
    /// The data segment's index.
    pub seg: u32,
    /// Its first word.
    pub first_word: u32,
    /// Its number of words, `ceil(len / 4)`.
    pub words: u32,
}

/// The data segments held in global words, after every other global word, in
/// `Program::data_words` order.
pub fn segment_words(program: &Program) -> Vec<SegmentWords> {
    segment_words_of(
        &program.module,
        words_before_segments(program),
        &program.data_words,
    )
}

/// [`segment_words`] of `module`'s segments `data_words`, starting at word `first`.
pub fn segment_words_of(module: &ModuleInfo, first: u32, data_words: &[u32]) -> Vec<SegmentWords> {
    let mut next = first;
    let mut out = Vec::new();
    for &seg in data_words {
        let len = module.datas.get(seg as usize).map_or(0, |d| d.bytes.len());
        let words = len.div_ceil(4) as u32;
        out.push(SegmentWords {
            seg,
            first_word: next,
            words,
        });
        next += words;
    }
    out
}

/// The global words before the data segments' words: the globals, the memory-size word and
/// the data segments' length words, and the element segments' length words and the tables'
/// words of a program holding its tables in words.
pub fn words_before_segments(program: &Program) -> u32 {
    words_before_segments_of(&program.module, program.word_tables.as_deref())
}

/// [`words_before_segments`] of `module` with word tables `word_tables`.
pub fn words_before_segments_of(
    module: &ModuleInfo,
    word_tables: Option<&[crate::WordTable]>,
) -> u32 {
    let m = module;
    if word_tables.is_some() {
        return table_words_of(m, word_tables)
            .last()
            .map_or(elem_length_word(m, m.elems.len() as u32), |t| t.end());
    }
    if m.memory.is_none() && m.datas.is_empty() {
        return memory_size_word(m);
    }
    data_length_word(m, m.datas.len() as u32)
}

/// Every nonzero 4-byte word `(word address, little-endian value)` of the initial linear
/// memory, sorted by address: the active data segments applied in order (a later segment
/// overwrites an earlier one where they overlap, as instantiation does). Segments out of
/// bounds or with a non-constant offset are skipped ([`crate::check_setup`] refuses such
/// modules).
pub fn initial_memory_words(program: &Program) -> Vec<(u32, u32)> {
    let m = &program.module;
    // The initial memory: its minimum, whatever it can grow to.
    let size = m.memory.map_or(0, |l| l.min as u64 * PAGE_BYTES);
    let mut bytes: std::collections::BTreeMap<u64, u8> = std::collections::BTreeMap::new();
    for seg in &m.datas {
        let SegmentMode::Active { offset, .. } = &seg.mode else {
            continue;
        };
        let off = match offset {
            ConstExpr::I32(v) => *v as u64,
            e @ ConstExpr::GlobalGet(_) => const_value(m, e, 0) as u32 as u64,
            _ => continue,
        };
        if off + seg.bytes.len() as u64 > size {
            continue;
        }
        for (i, b) in seg.bytes.iter().enumerate() {
            bytes.insert(off + i as u64, *b);
        }
    }
    let mut out: Vec<(u32, u32)> = Vec::new();
    for (addr, b) in bytes {
        if b == 0 {
            continue;
        }
        let wa = (addr / WORD_BYTES) as u32;
        let v = (b as u32) << (8 * (addr % WORD_BYTES));
        match out.last_mut() {
            Some((w, val)) if *w == wa => *val |= v,
            _ => out.push((wa, v)),
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn program(wat: &str) -> Program {
        crate::load_module(wat.as_bytes()).unwrap()
    }

    #[test]
    fn data_segments_become_little_endian_words_later_ones_win() {
        let p = program(
            r#"(module (memory 1)
                (data (i32.const 2) "\01\02\03")
                (data (i32.const 4) "\00\09")
                (data (i32.const 100) "\00\00\00\00"))"#,
        );
        assert_eq!(memory_words(&p), 16384);
        // bytes 2,3 = 01 02 -> word 0 = 0x0201_0000; byte 4 = 00 (overwritten 03), 5 = 09
        assert_eq!(
            initial_memory_words(&p),
            vec![(0, 0x0201_0000), (1, 0x0900)]
        );
    }

    #[test]
    fn globals_are_two_words_each_only_nonzero_listed() {
        let p = program(
            r#"(module (global i32 (i32.const 7)) (global (mut i64) (i64.const 0x100000002))
                (global i32 (i32.const 0)) (global funcref (ref.func 0)) (func))"#,
        );
        assert_eq!(global_words(&p), 8);
        assert_eq!(
            initial_global_words(&p),
            vec![(0, 7), (2, 2), (3, 1), (6, 1)]
        );
    }

    /// Tables held in global words: after the globals, the memory-size pair and the data
    /// length words, one length word per element segment, then per table its size word and
    /// its entries up to the capacity; the initial tokens are the passive segments' lengths,
    /// the tables' sizes and the entries the active segments write (`ref.func f` = `f + 1`,
    /// a later segment overwriting an earlier one).
    #[test]
    fn tables_in_words_after_the_element_segments_lengths() {
        let p = program(
            r#"(module (func $f) (func $g)
                (global i32 (i32.const 5))
                (table $t 3 funcref) (table $u 0 2 externref) (table $s 2 funcref)
                (elem (table $t) (i32.const 1) func $f $g)
                (elem (table $t) (i32.const 2) func $f)
                (elem $p func $g $g $f)
                (elem declare func $f)
                (func (table.set $t (i32.const 0) (ref.null func)) (elem.drop $p)
                  (drop (table.grow $u (ref.null extern) (i32.const 1)))
                  (drop (table.grow $t (ref.null func) (i32.const 1)))))"#,
        );
        let tables = p.word_tables.as_ref().expect("tables in words");
        assert_eq!(
            tables,
            &vec![
                crate::WordTable {
                    table: 0,
                    capacity: MAX_WORD_TABLE_ENTRIES
                },
                crate::WordTable {
                    table: 1,
                    capacity: 2
                }
            ],
            "$s is only initialised, never named by a table instruction"
        );
        let m = &p.module;
        // 2 global words, the size pair (2, 3), no data: element segments at 4..8.
        assert_eq!(elem_length_word(m, 0), 4);
        let w = table_words(&p);
        assert_eq!(w[0].size_word, 8);
        let cap = MAX_WORD_TABLE_ENTRIES;
        assert_eq!(w[1].size_word, 8 + 1 + cap);
        assert_eq!(global_words(&p), w[1].end());
        assert_eq!(w[1].end(), 8 + 1 + cap + 1 + 2);
        assert_eq!(
            initial_global_words(&p),
            vec![(0, 5), (6, 3), (8, 3), (10, 1), (11, 1)]
        );
    }

    #[test]
    fn no_memory_no_words() {
        let p = program("(module (func))");
        assert_eq!(memory_words(&p), 0);
        assert!(initial_memory_words(&p).is_empty());
    }
    /// Passive segments `memory.init` copies from: jump tables while each is at most
    /// `MAX_JUMP_TABLE_SEGMENT` bytes and their code fits a quarter of the instruction limit,
    /// in segment order; the rest in global words, after every other word.
    #[test]
    fn segments_past_the_jump_table_budget_are_held_in_words() {
        let seg = format!("\"{}\"", "\\07".repeat(4000));
        let datas: String = (0..6).map(|i| format!("(data $d{i} {seg})")).collect();
        let inits: String = (0..6)
            .map(|i| format!("(memory.init $d{i} (i32.const 0) (i32.const 0) (i32.const 0))"))
            .collect();
        let p = program(&format!("(module (memory 1) {datas} (func {inits}))"));
        // 2 * 4000 + 64 twice fits 65536 / 4; the third does not.
        assert_eq!(p.data_words, vec![2, 3, 4, 5]);
        let w = segment_words(&p);
        assert_eq!(w.len(), 4);
        assert_eq!(w[0].first_word, words_before_segments(&p));
        assert!(w
            .windows(2)
            .all(|x| x[1].first_word == x[0].first_word + 1000));
        assert_eq!(global_words(&p), w[3].first_word + 1000);
        assert!(!p.instrs.iter().any(|i| i.op == crate::Op::MemoryInit));
    }
}
