//! The state both interpreters share: the instance being run, the slot stack and the
//! registers (`pc`, `fp`, the call depth), with the operations that do not depend on the
//! interpreter: setting up the entry frame, growing the slot stack and locating a trap.

use std::sync::Arc;

use gloam_isa::TrapKind;

use crate::store::{Instance, Store};

/// Bytes per WebAssembly page.
const PAGE: usize = 65536;
use crate::ExecError;

/// One run of one instance: the call stack of slots (frame after frame) and the registers.
/// A call into another instance runs on a new `Frame` of its own. Every slot holds a 32-bit
/// word (kept in a `u64`, which the trace recorder reads as is); an `i64` takes two slots.
pub(super) struct Frame<'s> {
    pub(super) store: &'s mut Store,
    pub(super) inst: Arc<Instance>,
    /// `inst`'s index in the store.
    pub(super) inst_id: u32,
    pub(super) slots: Vec<u64>,
    pub(super) pc: u32,
    pub(super) fp: u32,
    pub(super) depth: u32,
    /// Result slots of the entry function, left in slots `0..num_results`.
    pub(super) num_results: usize,
}

impl<'s> Frame<'s> {
    /// A frame about to run defined function `index` of instance `inst` with argument words
    /// `args` (its parameter slots), called at call depth `depth`, with
    /// `frame_size.max(reserve)` slots allocated.
    pub(super) fn new(
        store: &'s mut Store,
        inst: Arc<Instance>,
        inst_id: u32,
        index: u32,
        args: &[u64],
        depth: u32,
        reserve: u32,
    ) -> Result<Self, ExecError> {
        let f = &inst.program.functions[index as usize];
        let (entry, frame, results) = (f.entry_pc, f.frame_size, f.result_slots as usize);
        let mut m = Frame {
            store,
            inst,
            inst_id,
            slots: vec![0; frame.max(reserve) as usize],
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

    /// The entry function's result words (after it returned).
    pub(super) fn results(&self) -> Vec<u64> {
        self.slots[..self.num_results].to_vec()
    }

    /// Trap `kind` at the current `pc`, located by the program's origin table.
    pub(super) fn trap(&self, kind: TrapKind) -> ExecError {
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

    /// Makes room for a callee frame of `frame` slots at `new_fp`, or traps when that exceeds
    /// `Limits::max_slots`.
    pub(super) fn grow_stack(&mut self, new_fp: u32, frame: u32) -> Result<(), ExecError> {
        let top = new_fp as u64 + frame as u64;
        if top > self.store.limits.max_slots as u64 {
            return Err(self.trap(TrapKind::StackExhausted));
        }
        if top as usize > self.slots.len() {
            self.slots.resize(top as usize, 0);
        }
        Ok(())
    }

    /// Global word `w` of this instance: global `w / 2`, its low (`w` even) or high 32 bits
    /// (`Op::GlobalGet`'s layout: global `i` in words `2i`, `2i + 1`). One past the globals,
    /// word `2n` is the size of the memory in 64 KiB pages and word `2n + 1` is zero
    /// ([`gloam_isa::image::memory_size_word`]); word `2n + 2 + i` is the current length of
    /// data segment `i` (0 once dropped, [`gloam_isa::image::data_length_word`]). For a
    /// program holding its tables in global words, the element segments' lengths
    /// ([`gloam_isa::image::elem_length_word`]) and the tables' sizes and entries
    /// ([`gloam_isa::image::table_words`]) follow, then the words of the data segments held in
    /// global words ([`gloam_isa::image::segment_words`]: their initial bytes, four a word).
    pub(super) fn global_word(&self, w: u32) -> u32 {
        if let Some(&g) = self.inst.globals.get((w / 2) as usize) {
            return (self.store.globals[g as usize].value >> (32 * (w % 2))) as u32;
        }
        match self.extra_word(w) {
            Extra::MemorySize => self.inst.memory.map_or(0, |m| {
                (self.store.memories[m as usize].data.len() / PAGE) as u32
            }),
            Extra::Data(seg) => self.store.data_len_words[seg],
            Extra::Elem(seg) => self.store.elem_segs[seg].len() as u32,
            Extra::TableSize(t) => self.store.tables[t].elems.len() as u32,
            Extra::Entry(t, i) => self.store.tables[t].elems.get(i).map_or(0, |&r| r as u32),
            Extra::Io(w) => {
                let io = &self.store.io;
                match w {
                    gloam_isa::io::PUBLIC_LEN => io.public.len() as u32,
                    gloam_isa::io::JOURNAL_LEN => io.journal.len() as u32,
                    _ => io.words[(w - gloam_isa::io::IO_WORD) as usize],
                }
            }
            Extra::PublicByte(i) => self.store.io.public.get(i).map_or(0, |b| *b as u32),
            Extra::JournalByte(i) => self.store.io.journal.get(i).map_or(0, |b| *b as u32),
            // The segment's words keep its initial bytes, as in a proof, where nothing writes
            // them: `data.drop` cuts the store's bytes, not the words (which the lowered code
            // never reads after a drop, its length word being 0).
            Extra::SegmentWord(_, seg, i) => {
                let bytes = &self.inst.program.module.datas[seg].bytes;
                let mut w = [0u8; 4];
                for (k, b) in w.iter_mut().enumerate() {
                    *b = bytes.get(4 * i + k).copied().unwrap_or(0);
                }
                u32::from_le_bytes(w)
            }
            Extra::None => 0,
        }
    }

    /// The entry pc of the program's lowered `gloam.commit` (`gloam_isa::io`), if it calls
    /// it.
    pub(super) fn commit_pc(&self) -> Option<u32> {
        let p = &self.inst.program;
        p.commit_fn
            .and_then(|f| p.functions.get(f as usize))
            .map(|f| f.entry_pc)
    }

    /// Records `gloam.commit(ptr, len)` as a run calls the lowered function: appends the
    /// `len` bytes at `ptr` to the journal before the function compares them with it, so
    /// the run reads what a run from the complete journal reads (`gloam_isa::io`). Nothing
    /// is appended when the range is outside the memory or longer than the journal's limit
    /// (the function traps on those before reading the journal).
    pub(super) fn record_commit(&mut self, ptr: u32, len: u32) {
        if len as usize > gloam_isa::io::MAX_JOURNAL {
            return;
        }
        let Some(m) = self.inst.memory else {
            return;
        };
        let (start, end) = (ptr as usize, ptr as usize + len as usize);
        if let Some(bytes) = self.store.memories[m as usize].data.get(start..end) {
            self.store.io.journal.extend_from_slice(bytes);
        }
    }

    /// What `Op::Advice` with immediate `kind` gives (`gloam_isa::io::advice`): the private
    /// input's length, or its next byte (0 past its end; the lowered code never reads
    /// there).
    pub(super) fn advice(&mut self, kind: u32) -> u32 {
        let io = &mut self.store.io;
        match kind {
            gloam_isa::io::advice::PRIVATE_LENGTH => io.private.len() as u32,
            _ => {
                let b = io.private.get(io.private_pos).copied().unwrap_or(0);
                io.private_pos += 1;
                b as u32
            }
        }
    }

    /// The global word of entry `i` of the table whose entry 0 is word `base`
    /// (`Op::GlobalGetAt`, `Op::GlobalSetAt`).
    ///
    /// # Errors
    /// [`TrapKind::TableOutOfBounds`] unless it is an entry below the table's size (the
    /// lowering checks the index first, so a lowered program never gets this).
    pub(super) fn entry_word(&self, base: u32, i: u32) -> Result<u32, TrapKind> {
        let w = base.checked_add(i).ok_or(TrapKind::TableOutOfBounds)?;
        match self.extra_word(w) {
            Extra::Entry(t, k) if w - k as u32 == base && k < self.store.tables[t].elems.len() => {
                Ok(w)
            }
            // A data segment's word, while the segment's bytes reach into it (none once
            // dropped).
            Extra::SegmentWord(s, _, k)
                if w - k as u32 == base && 4 * k < self.store.data_segs[s].len() =>
            {
                Ok(w)
            }
            // The public input's and the journal's bytes (the lowered code reads below
            // their lengths).
            Extra::PublicByte(_) if base == gloam_isa::io::PUBLIC_WORDS => Ok(w),
            Extra::JournalByte(_) if base == gloam_isa::io::JOURNAL_WORDS => Ok(w),
            _ => Err(TrapKind::TableOutOfBounds),
        }
    }

    /// What global word `w`, past the globals' words, holds.
    fn extra_word(&self, w: u32) -> Extra {
        use gloam_isa::io;
        if w >= io::IO_WORD {
            return match w {
                _ if w < io::IO_WORD + io::CONTROL_WORDS => Extra::Io(w),
                _ if (io::PUBLIC_WORDS..io::JOURNAL_WORDS).contains(&w) => {
                    Extra::PublicByte((w - io::PUBLIC_WORDS) as usize)
                }
                _ if w >= io::JOURNAL_WORDS && w - io::JOURNAL_WORDS < 1 << 29 => {
                    Extra::JournalByte((w - io::JOURNAL_WORDS) as usize)
                }
                _ => Extra::None,
            };
        }
        let size_word = 2 * self.inst.globals.len() as u32;
        if w == size_word {
            return Extra::MemorySize;
        }
        let first_data = size_word + 2;
        if let Some(&s) = w
            .checked_sub(first_data)
            .and_then(|i| self.inst.datas.get(i as usize))
        {
            return Extra::Data(s as usize);
        }
        if let Some(&s) = self
            .inst
            .elem_word0
            .and_then(|e0| w.checked_sub(e0))
            .and_then(|i| self.inst.elems.get(i as usize))
        {
            return Extra::Elem(s as usize);
        }
        for (tw, addr) in &self.inst.table_words {
            if w == tw.size_word {
                return Extra::TableSize(*addr as usize);
            }
            if w > tw.size_word && w < tw.end() {
                return Extra::Entry(*addr as usize, (w - tw.size_word - 1) as usize);
            }
        }
        for (sw, addr) in &self.inst.segment_words {
            if w >= sw.first_word && w < sw.first_word + sw.words {
                return Extra::SegmentWord(
                    *addr as usize,
                    sw.seg as usize,
                    (w - sw.first_word) as usize,
                );
            }
        }
        Extra::None
    }

    /// Sets global word `w` (the other half of the global keeps its value). Setting a data
    /// segment's length word sets it and cuts the segment's bytes to it (`data.drop` sets 0);
    /// an element segment's likewise (`elem.drop`). Setting the memory-size word to `v`
    /// pages grows the memory to `v` pages (the lowered `memory.grow` has checked `v` against
    /// the module's maximum); setting a table's size word resizes the table, new entries
    /// null (the lowered `table.grow` has checked `v` against the capacity, and writes the
    /// new entries after the size); setting an entry below the size sets it.
    ///
    /// # Errors
    /// [`TrapKind::MemoryExhausted`] if `v` is beyond the executor's page limit
    /// (`Limits::max_memory_pages`), an implementation limit like the call stack's;
    /// [`TrapKind::TableExhausted`] for a table size beyond `Limits::max_table_len`;
    /// [`TrapKind::TableOutOfBounds`] for an entry at or beyond the size (the lowering writes
    /// none).
    pub(super) fn set_global_word(&mut self, w: u32, v: u32) -> Result<(), TrapKind> {
        let Some(&g) = self.inst.globals.get((w / 2) as usize) else {
            match self.extra_word(w) {
                Extra::MemorySize => {
                    if let Some(m) = self.inst.memory {
                        if v > self.store.limits.max_memory_pages {
                            return Err(TrapKind::MemoryExhausted);
                        }
                        // The lowered `memory.grow` only grows; the word keeps what is
                        // written (as the AIR's word does), so a hand-made program writing
                        // less shrinks it.
                        self.store.memories[m as usize]
                            .data
                            .resize(v as usize * PAGE, 0);
                    }
                }
                Extra::Data(seg) => {
                    // The lowered `data.drop` writes 0. The word keeps what is written (as
                    // the AIR's word does); the bytes, which never grow back, are cut to it.
                    self.store.data_len_words[seg] = v;
                    let bytes = &self.store.data_segs[seg];
                    let keep = (v as usize).min(bytes.len());
                    self.store.data_segs[seg] = std::sync::Arc::from(&bytes[..keep]);
                }
                Extra::Elem(seg) => self.store.elem_segs[seg].truncate(v as usize),
                Extra::TableSize(t) => {
                    if v > self.store.limits.max_table_len {
                        return Err(TrapKind::TableExhausted);
                    }
                    self.store.tables[t].elems.resize(v as usize, 0);
                }
                Extra::Entry(t, i) => match self.store.tables[t].elems.get_mut(i) {
                    Some(e) => *e = v as u64,
                    None => return Err(TrapKind::TableOutOfBounds),
                },
                // The contract interface's cursors (the lengths are the statement's:
                // `Program::validate` refuses a `global.set` of them).
                Extra::Io(w) => {
                    let i = (w - gloam_isa::io::IO_WORD) as usize;
                    if w != gloam_isa::io::PUBLIC_LEN && w != gloam_isa::io::JOURNAL_LEN {
                        self.store.io.words[i] = v;
                    }
                }
                // A data segment's words, the public input and the journal are read-only
                // (`global.set_at` is admitted only at a table's entries, `Program::validate`).
                Extra::SegmentWord(..)
                | Extra::PublicByte(_)
                | Extra::JournalByte(_)
                | Extra::None => {}
            }
            return Ok(());
        };
        let g = g as usize;
        let old = self.store.globals[g].value;
        let shift = 32 * (w % 2);
        self.store.globals[g].value = (old & !(0xffff_ffffu64 << shift)) | ((v as u64) << shift);
        Ok(())
    }
}

/// What a global word past the globals' words holds (see [`Frame::global_word`]).
enum Extra {
    MemorySize,
    /// A data segment's length word (store address).
    Data(usize),
    /// An element segment's length word (store address).
    Elem(usize),
    /// A table's size word (store address).
    TableSize(usize),
    /// A table's entry `i` (store address, `i`).
    Entry(usize, usize),
    /// Word `i` of a data segment held in global words (store address, module index, `i`).
    SegmentWord(usize, usize, usize),
    /// A control word of the contract interface (`gloam_isa::io`), by its word index.
    Io(u32),
    /// Byte `i` of the public input.
    PublicByte(usize),
    /// Byte `i` of the journal.
    JournalByte(usize),
    None,
}
