//! The main trace's column layout: 105 base-field columns in eleven regions (86 in the
//! narrow layout of programs without linear memory or globals: [`Layout`]).
//!
//! Every region is declared once, in order, in [`regions!`] below: its columns' offsets are
//! computed (each column starts where the previous one ends, each region where the previous
//! region ends), so adding a column or a region renumbers everything after it. The names stay
//! those of `docs/air.md` (`VAL_A`, `FVAL`, ...); a multi-column name (`GROUPS`, `X`, `D`,
//! `M_RANGE`, ...) is its first column.
//!
//! | region | columns | meaning |
//! |---|---|---|
//! | [`SYSTEM`] | `IDX`, `FIRST`, `CLK`, `PC`, `FP` | row index (memory-table address), 1 on row 0, cycles so far, program counter, frame pointer |
//! | [`INSTR`] | `OFF_A`, `OFF_B`, `OFF_C`, `IMM`, `BIMM` | instruction fields |
//! | [`DECODE`] | `GROUPS` (18), `OP_BIT` (2) | one-hot opcode-group flags and sub-op bits ([`crate::decoder`]) |
//! | [`ACCESS`] | `VAL_A`, `PTS_A`, `VAL_B`, `PREV_B`, `PTS_B`, `VAL_C`, `PREV_C`, `PTS_C` | accesses `a`, `b`, `c` |
//! | [`LANES`] | `X`, `Y`, `Z`, `W` (4 each) | four bitwise lanes `(x, y, x & y, x ^ y)` of bytes |
//! | [`RANGE_BYTES`] | `R` (4) | four bytes range-checked in pairs |
//! | [`GAPS`] | `D` (9) | bytes of three timestamp gaps (`dA0..2`, `dB0..2`, `dC0..2`) |
//! | [`ADVICE`] | `K`, `SA`, `SB`, `INV`, `P`, `S` | carry/boolean, sign bits, inverse, power of two, shift |
//! | [`MULTIPLICITY`] | `M_RANGE` (4), `M_BIT` (4), `M_POW`, `M_PROG` | LogUp table multiplicities |
//! | [`MEMORY_TABLE`] | `FVAL`, `FTS` | final value and timestamp of the row's memory-table address |
//! | [`MEMORY_EXT`] | `ADDR_B`, `ADDR_C`, `VAL_D`, `PREV_D`, `PTS_D`, `DD` (3), `WA`, `O` (4), `TADDR`, `REGION`, `G` (4) | wide layout only: access addresses, the fourth access, load/store advice, the sparse table's address, region and gap bytes |
//! | [`CARRY`] | `V_IN`, `CIN`, `COUT`, `DJ` | wide layout only: the memory table's values carried between segments |
//!
//! Addresses of the memory argument: frame slots are `fp + offset` (below 2^54), global word
//! `w` is [`GLOBAL_BASE`]` + w`, 4-byte memory word `wa` is [`MEM_BASE`]` + wa`.

use std::ops::Range;

use gloam_isa::Op;

/// A contiguous run of columns: `start .. start + len`.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Region {
    /// First column.
    pub start: usize,
    /// Number of columns.
    pub len: usize,
}

impl Region {
    /// The columns `start .. start + len`.
    pub const fn new(start: usize, len: usize) -> Region {
        Region { start, len }
    }
    /// One past the last column: where the next region starts.
    pub const fn end(self) -> usize {
        self.start + self.len
    }
    /// The columns as a range.
    pub const fn range(self) -> Range<usize> {
        self.start..self.end()
    }
    /// Whether column `col` is in the region.
    pub const fn contains(self, col: usize) -> bool {
        self.start <= col && col < self.end()
    }
}

/// Declares consecutive regions of columns: `REGION { NAME: width, ... }`. Each column name
/// becomes a `usize` constant (its first column), each region a [`Region`], and the total
/// width the constant named first.
macro_rules! regions {
    ($width:ident; $($body:tt)*) => {
        regions!(@region $width; 0; $($body)*);
    };
    (@region $width:ident; $start:expr; ) => {
        #[doc = concat!("Total width: the end of the last region.")]
        pub const $width: usize = $start;
    };
    (@region $width:ident; $start:expr;
        $(#[$rm:meta])* $region:ident { $( $(#[$cm:meta])* $col:ident : $w:expr ),* $(,)? }
        $($rest:tt)*
    ) => {
        $(#[$rm])*
        pub const $region: Region = Region::new($start, 0 $(+ $w)*);
        regions!(@cols $region.start; $( $(#[$cm])* $col : $w, )*);
        regions!(@region $width; $region.end(); $($rest)*);
    };
    (@cols $at:expr; ) => {};
    (@cols $at:expr; $(#[$cm:meta])* $col:ident : $w:expr, $($rest:tt)*) => {
        $(#[$cm])*
        pub const $col: usize = $at;
        regions!(@cols $col + $w; $($rest)*);
    };
}

/// Bytes of a 32-bit word (the lanes and `R` hold one word's bytes each).
pub const WORD_BYTES: usize = 4;
/// Memory accesses a row makes, in timestamp order `j = 0, 1, 2, 3`: slot `a` (read); `b`
/// (slot read, `call`'s write, or the first memory word of a load or the global word of
/// `global.get`); `c` (slot write, or the first memory word of a store, or the global word of
/// `global.set`); `d` (the second memory word of a load or store crossing a 4-byte boundary).
pub const ACCESSES: usize = 4;
/// Base address of the global words in the memory argument: 2^59 (frame-slot addresses stay
/// below 2^54, see `docs/air.md` §5).
pub const GLOBAL_BASE: u64 = 1 << 59;
/// Base address of the 4-byte linear-memory words: 2^60.
pub const MEM_BASE: u64 = 1 << 60;
/// The base address of memory-table region `r` is `r * REGION_STEP`: region 0 (slots) at 0,
/// region 1 (globals) at [`GLOBAL_BASE`], region 2 (memory words) at [`MEM_BASE`].
pub const REGION_STEP: u64 = 1 << 59;

/// The memory-table region of address `addr`: 0 (slots), 1 (globals) or 2 (memory words).
pub const fn region_of(addr: u64) -> u64 {
    if addr >= MEM_BASE {
        2
    } else if addr >= GLOBAL_BASE {
        1
    } else {
        0
    }
}

/// Whether `addr` may bound a final memory segment's table (`docs/air.md` §5, *Segments*):
/// slot addresses below 2^54, global words below `GLOBAL_BASE + 2^54`, memory words up to the
/// end of memory `end` (so that `n` rows of gaps below 2^32 stay inside the region).
pub const fn table_bound_ok(addr: u64, end: u64) -> bool {
    match region_of(addr) {
        0 => addr < 1 << 54,
        1 => addr < GLOBAL_BASE + (1 << 54),
        _ => addr <= end,
    }
}
/// Number of memory-table regions.
pub const REGIONS: u64 = 3;
/// Bytes of the gap between consecutive memory-table addresses (gaps below 2^32).
pub const TABLE_GAP_BYTES: usize = 4;
/// Timestamp slots per row, the timestamp stride: access `j` of row `IDX` happens at
/// timestamp `ACCESSES_PER_ROW * IDX + j + 1` (timestamp 0 is every address's initial
/// state). The one definition of the timestamps: the AIR ([`crate::constraints::Row::ts`])
/// and the trace builder use it, and the executor, which cannot depend on `air`, computes the
/// same `4t + j + 1` (see `executor/src/exec/traced.rs`).
pub const ACCESSES_PER_ROW: usize = 4;
/// Bytes of a timestamp gap `ts - pts - 1`, so gaps are below 2^24.
pub const GAP_BYTES: usize = 3;

const _: () = assert!(ACCESSES <= ACCESSES_PER_ROW);

/// Column of byte `i` of access `j`'s timestamp gap (`j = 0, 1, 2`: `D + 3j + i`; `j = 3`:
/// `DD + i`).
pub const fn gap_col(j: usize, i: usize) -> usize {
    if j < 3 {
        D + GAP_BYTES * j + i
    } else {
        DD + i
    }
}

/// Width of the narrow layout: programs without loads, stores or globals end before
/// [`MEMORY_EXT`] (86 columns); the wide layout is [`MAIN_WIDTH`] (110).
pub const NARROW_WIDTH: usize = MEMORY_EXT.start;

/// The main trace's layout, decided by the program alone (so prover and verifier agree).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Layout {
    /// No load, store or global access in the program: [`NARROW_WIDTH`] columns, the memory
    /// table addressed by `IDX` (frame slots only).
    Narrow,
    /// [`MAIN_WIDTH`] columns: the sparse memory table over slots, globals and memory words.
    Wide,
}

impl Layout {
    /// The layout of `program`: wide iff it holds a load, a store or a global access
    /// (`global.get`, `global.set` and their indexed forms).
    pub fn of(program: &gloam_isa::Program) -> Layout {
        // A module importing the contract interface has IO words in its statement's initial
        // state even if it never calls the interface: they need the wide table.
        let io = gloam_isa::io::imported_io(&program.module)
            .iter()
            .any(Option::is_some);
        let uses = io
            || program
                .instrs
                .iter()
                .any(|i| i.op.is_load() || i.op.is_store() || i.op.is_global_access());
        if uses {
            Layout::Wide
        } else {
            Layout::Narrow
        }
    }
    /// Number of main columns.
    pub const fn width(self) -> usize {
        match self {
            Layout::Narrow => NARROW_WIDTH,
            Layout::Wide => MAIN_WIDTH,
        }
    }
}

/// The opcodes whose rows write advice column `col` (a nonzero value), for the advice columns
/// only some opcodes use; `None` for every other column. The trace builder
/// (`gloam-prover`'s `trace/constraints.rs`) writes these columns on those rows only, and
/// the bitwise lanes `Z`, `W` follow `X`, `Y`.
fn advice_writers(col: usize) -> Option<fn(Op) -> bool> {
    // `V`'s bytes (lanes 2 and 3): the high word of products and quotients' remainders, the
    // biased operands of signed compares, bitwise operands, the old memory bytes.
    fn v_lanes(op: Op) -> bool {
        matches!(
            op,
            Op::LtS
                | Op::GeS
                | Op::Mul
                | Op::MulHU
                | Op::Shl
                | Op::ShrU
                | Op::Rotl
                | Op::Rotr
                | Op::DivU
                | Op::RemU
                | Op::And
                | Op::Or
                | Op::Xor
        ) || op.is_load()
            || op.is_store()
    }
    // `W`'s bytes in `R`: signed compares, shifts (the amount's high bits), division, stored
    // bytes, signed loads.
    fn r_bytes(op: Op) -> bool {
        matches!(
            op,
            Op::LtS
                | Op::GeS
                | Op::Shl
                | Op::ShrU
                | Op::Rotl
                | Op::Rotr
                | Op::DivU
                | Op::RemU
                | Op::Advice
        ) || op.is_store()
            || op.is_signed_load()
    }
    fn signs(op: Op) -> bool {
        matches!(op, Op::LtS | Op::GeS)
    }
    fn multiplier(op: Op) -> bool {
        matches!(
            op,
            Op::Mul | Op::MulHU | Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr
        )
    }
    // The shift amount, and the pow2 table's multiplicities (its lookups are weighted by the
    // `Shift` group flag).
    fn shifts(op: Op) -> bool {
        matches!(op, Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr)
    }
    let lane = |base: usize| (base + 2..base + 4).contains(&col);
    if lane(X) || lane(Y) || lane(Z) || lane(W) {
        Some(v_lanes)
    } else if (R..R + WORD_BYTES).contains(&col) {
        Some(r_bytes)
    } else if col == SA || col == SB {
        Some(signs)
    } else if col == P {
        Some(multiplier)
    } else if col == S || col == M_POW {
        Some(shifts)
    } else {
        None
    }
}

/// Whether a row executing `op` may write a nonzero value to column `col`, as far as the
/// committed columns are concerned: false only for the advice columns that only some
/// opcodes write (the upper bitwise lanes, `R`, `SA`, `SB`, `P`, `S`, `M_POW`) and that `op`
/// does not. [`committed_columns`] drops such a column when no opcode of the program writes
/// it; the trace builder's test checks it writes nothing else.
pub fn may_write(col: usize, op: Op) -> bool {
    advice_writers(col).is_none_or(|writes| writes(op))
}

/// The main trace's *committed* columns, as indices of the layout's columns in ascending
/// order: the layout's columns without the group flags of groups none of the program's
/// opcodes belongs to, without the sub-op bits none of its opcodes sets, and without the advice columns only opcodes it does not contain write (the
/// upper bitwise lanes, `R`, `SA`, `SB`, `P`, `S`, `M_POW`). Decided by the program alone,
/// as the layout is, so prover and verifier agree.
///
/// The AIR reads an uncommitted column as zero ([`expand_row`]), so it accepts a committed
/// trace exactly when it accepts the layout's trace with zeros in those columns: soundness
/// is the full layout's. An honest trace has zeros there anyway: a row's group flag and bits
/// encode the opcode of the program's instruction at its `pc` (program bus), and the advice
/// columns are written on their opcodes' rows only (the prover checks this before proving).
/// A program using few opcodes (Fibonacci: 5 groups of 18, no sub-op bit) commits far
/// fewer columns.
pub fn committed_columns(program: &gloam_isa::Program) -> Vec<usize> {
    committed_columns_in(program, Layout::of(program))
}

/// [`committed_columns`] of `program` in `layout` (a segment of a long run is always
/// [`Layout::Wide`]: its memory table needs the carry columns).
pub fn committed_columns_in(program: &gloam_isa::Program, layout: Layout) -> Vec<usize> {
    let mut ops: Vec<Op> = program
        .instrs
        .iter()
        .map(|i| i.op)
        .filter(|op| crate::decoder::encoding(*op).is_some())
        .collect();
    ops.sort();
    ops.dedup();
    let encodings: Vec<crate::decoder::Encoding> = ops
        .iter()
        .filter_map(|&op| crate::decoder::encoding(op))
        .collect();
    let decoder_kept = |c: usize| {
        if (GROUPS..GROUPS + crate::decoder::NUM_GROUPS).contains(&c) {
            encodings.iter().any(|e| e.group.index() == c - GROUPS)
        } else {
            encodings.iter().any(|e| e.bit(c - OP_BIT))
        }
    };
    (0..layout.width())
        .filter(|&c| !DECODE.contains(c) || decoder_kept(c))
        .filter(|&c| advice_writers(c).is_none_or(|writes| ops.iter().any(|&op| writes(op))))
        .collect()
}

/// Puts a committed row (`committed[i]` is the layout column of value `i`) into `row`, a
/// row of the layout's width, whose other columns (the uncommitted flags and advice columns)
/// become zero.
#[inline]
pub fn expand_row<E: Copy>(committed: &[usize], values: &[E], zero: E, row: &mut [E]) {
    row.fill(zero);
    for (&c, &v) in committed.iter().zip(values) {
        row[c] = v;
    }
}

regions! { MAIN_WIDTH;
    /// Machine state.
    SYSTEM {
        /// Row index.
        IDX: 1,
        /// First-row indicator.
        FIRST: 1,
        /// Cycle counter.
        CLK: 1,
        /// Program counter.
        PC: 1,
        /// Frame pointer.
        FP: 1,
    }
    /// Instruction fields (looked up in the program table).
    INSTR {
        /// Offset of slot `a`.
        OFF_A: 1,
        /// Offset of slot `b`.
        OFF_B: 1,
        /// Offset of slot `c`.
        OFF_C: 1,
        /// Immediate.
        IMM: 1,
        /// `B` operand is the immediate.
        BIMM: 1,
    }
    /// The decoder ([`crate::decoder`]): opcode groups and sub-op bits.
    DECODE {
        /// First group flag (one per [`crate::decoder::Group`], one-hot).
        GROUPS: crate::decoder::NUM_GROUPS,
        /// Sub-op bits `b0`, `b1` (booleans).
        OP_BIT: crate::decoder::OP_BITS,
    }
    /// The row's memory accesses: values and the timestamps of the accesses they follow.
    ACCESS {
        /// Value read from slot `a`.
        VAL_A: 1,
        /// Timestamp of the access slot `a`'s read follows.
        PTS_A: 1,
        /// Operand `B` (read, immediate, or written value for `call`).
        VAL_B: 1,
        /// Previous value of slot `b` (for the `call` write).
        PREV_B: 1,
        /// Timestamp of the previous access to slot `b`.
        PTS_B: 1,
        /// Value written to slot `c`.
        VAL_C: 1,
        /// Previous value of slot `c`.
        PREV_C: 1,
        /// Timestamp of the previous access to slot `c`.
        PTS_C: 1,
    }
    /// Bitwise lanes: entries `(x_i, y_i, x_i & y_i, x_i ^ y_i)` of the bitwise table.
    LANES {
        /// Bitwise lanes: `x` bytes.
        X: WORD_BYTES,
        /// Bitwise lanes: `y` bytes.
        Y: WORD_BYTES,
        /// Bitwise lanes: `x & y`.
        Z: WORD_BYTES,
        /// Bitwise lanes: `x ^ y`.
        W: WORD_BYTES,
    }
    /// Bytes range-checked in pairs.
    RANGE_BYTES {
        /// Range-checked bytes of the word `W`.
        R: WORD_BYTES,
    }
    /// Timestamp-gap bytes.
    GAPS {
        /// Timestamp-gap bytes: `D + GAP_BYTES * j + i` is byte `i` of access `j` (a, b, c);
        /// access `d`'s are `DD`.
        D: GAP_BYTES * 3,
    }
    /// Advice values of the arithmetic families.
    ADVICE {
        /// Carry / borrow / boolean result.
        K: 1,
        /// Sign bit of `A` (signed compares).
        SA: 1,
        /// Sign bit of `B` (signed compares).
        SB: 1,
        /// Field inverse advice.
        INV: 1,
        /// Multiplier: `B` for `mul`, a power of two for shifts.
        P: 1,
        /// Shift amount `B mod 32`.
        S: 1,
    }
    /// LogUp table multiplicities.
    MULTIPLICITY {
        /// Multiplicities of the range-table entries `BYTE_K * (IDX mod BYTE_PERIOD) + j`,
        /// `j < BYTE_K`.
        M_RANGE: BYTE_K,
        /// Multiplicities of the bitwise-table entries, likewise.
        M_BIT: BYTE_K,
        /// Multiplicity of pow2-table entry `IDX mod 64`.
        M_POW: 1,
        /// Multiplicity of program-table entry `IDX mod P`.
        M_PROG: 1,
    }
    /// The memory table: one address per row (`IDX` in the narrow layout, `TADDR` in the
    /// wide one).
    MEMORY_TABLE {
        /// Final value of the row's address.
        FVAL: 1,
        /// Final access timestamp of the row's address.
        FTS: 1,
    }
    /// The wide layout's columns (programs with loads, stores or globals): the addresses of
    /// accesses `b`, `c`, the fourth access `d`, the load/store advice and the sparse memory
    /// table's addresses. The narrow layout ends before this region; its rows read these
    /// columns as zero.
    MEMORY_EXT {
        /// Address of access `b` (`fp + b`, a memory word or a global word).
        ADDR_B: 1,
        /// Address of access `c`.
        ADDR_C: 1,
        /// Value of the second memory word after the access.
        VAL_D: 1,
        /// Its value before.
        PREV_D: 1,
        /// Timestamp of the previous access to it.
        PTS_D: 1,
        /// Timestamp-gap bytes of access `d`.
        DD: GAP_BYTES,
        /// Word address of a load or store: `A + imm = 4 WA + offset`.
        WA: 1,
        /// Byte offset in the word, one-hot: `O + i` is 1 iff the offset is `i`.
        O: 4,
        /// The memory table's address (strictly increasing).
        TADDR: 1,
        /// Its region (0 slots, 1 globals, 2 memory words); steps by 0 or 1.
        REGION: 1,
        /// Bytes of the gap to the next row's address (`TADDR' - TADDR - 1`, or
        /// `TADDR' - REGION' * REGION_STEP` when the region steps).
        G: TABLE_GAP_BYTES,
    }
    /// The memory table's link to the other segments (wide layout; `docs/air.md` §5,
    /// *Segments*): the row's address's value at the segment's start, whether that value is
    /// carried in from an earlier segment (and how many segments back it was produced),
    /// whether the final value is carried out.
    CARRY {
        /// Value of the row's address when the segment starts (0 unless carried in).
        V_IN: 1,
        /// 1 iff `V_IN` is consumed from the carry bus (boolean).
        CIN: 1,
        /// 1 iff the final value is produced on the carry bus for a later segment (boolean;
        /// 1 whenever the row is carried in, touched or nonzero).
        COUT: 1,
        /// Bytes of the distance `k - j` from segment `k` back to the label `j` of the token
        /// it consumes (`j - 1` produced it; 0 is the initial state), range-checked when
        /// `CIN = 1`.
        DJ: 2,
    }
}

/// Column of group `g`'s flag.
pub const fn group_col(g: crate::decoder::Group) -> usize {
    GROUPS + g.index()
}

/// The decoder columns a row executing `op` sets to 1 (its group flag, then its sub-op bits
/// that are 1), as `(columns, count)`; `None` for an opcode without an encoding.
pub const fn op_columns(op: Op) -> Option<([usize; 1 + crate::decoder::OP_BITS], usize)> {
    let Some(e) = crate::decoder::encoding(op) else {
        return None;
    };
    let mut cols = [group_col(e.group); 1 + crate::decoder::OP_BITS];
    let mut n = 1;
    let mut j = 0;
    while j < crate::decoder::OP_BITS {
        if e.bit(j) {
            cols[n] = OP_BIT + j;
            n += 1;
        }
        j += 1;
    }
    Some((cols, n))
}

/// Writes `op`'s decoder cells (its group flag and sub-op bits) into `row`, a row whose
/// decoder columns are zero; nothing for an opcode without an encoding.
pub fn encode_op<T: From<u8>>(row: &mut [T], op: Op) {
    if let Some((cols, n)) = op_columns(op) {
        for &c in &cols[..n] {
            row[c] = T::from(1u8);
        }
    }
}

/// Periodic column indices.
pub mod periodic {
    use super::{Region, BYTE_K};

    /// Program-table columns: pc, opcode, b_imm, a, b, c, imm.
    pub const PROG_COLS: usize = 7;
    /// Columns of one byte-table entry: x, y, x & y, x ^ y.
    pub const BYTE_ENTRY_COLS: usize = 4;
    /// pow2-table columns: amount, direction, value.
    pub const POW_COLS: usize = 3;

    regions! { WIDTH;
        /// Program table (period `P`).
        PROG_TABLE {
            /// First program-table column.
            PROG: PROG_COLS,
        }
        /// Byte-table entries of the *next* row: for `j < BYTE_K`, columns `BYTE + 4j ..`
        /// hold x, y, x & y, x ^ y of entry `BYTE_K * row' + j` (period `BYTE_PERIOD`).
        BYTE_TABLE {
            /// First byte-table column.
            BYTE: BYTE_ENTRY_COLS * BYTE_K,
        }
        /// pow2 table: shift amount `k mod 32`, direction `k div 32` (1 = right), value
        /// (period 64). Spelling out the amount and direction (rather than one key
        /// `s + 32 * right`) is what confines the looked-up shift amount `S` to `[0, 32)`.
        POW_TABLE {
            /// First pow2-table column.
            POW: POW_COLS,
        }
    }
}

/// Entries of the byte-pair tables (range and bitwise): one per `(x, y)`, 2^16.
pub const BYTE_TABLE_LEN: usize = 1 << 16;
/// Byte-table entries per trace row.
pub const BYTE_K: usize = 4;
/// Period of the byte-table columns: 2^16 / 4 = 2^14 rows (the shortest trace).
pub const BYTE_PERIOD: usize = BYTE_TABLE_LEN / BYTE_K;
/// Period of the pow2 table: keys `0..64` (`2^s` for `s < 32`, `2^(32-(k-32))` above).
pub const POW_TABLE_LEN: usize = 64;

/// Value of the pow2 table at key `k < 64`.
pub const fn pow_table_value(k: u64) -> u64 {
    if k < 32 {
        1 << k
    } else {
        1 << (64 - k)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The computed offsets are the layout `docs/air.md` documents (and proofs depend on).
    #[test]
    fn layout_matches_the_documented_offsets() {
        let expected = [
            (IDX, 0),
            (FIRST, 1),
            (CLK, 2),
            (PC, 3),
            (FP, 4),
            (OFF_A, 5),
            (BIMM, 9),
            (GROUPS, 10),
            (OP_BIT, 29),
            (VAL_A, 31),
            (PTS_C, 38),
            (X, 39),
            (Y, 43),
            (Z, 47),
            (W, 51),
            (R, 55),
            (D, 59),
            (K, 68),
            (S, 73),
            (M_RANGE, 74),
            (M_BIT, 78),
            (M_POW, 82),
            (M_PROG, 83),
            (FVAL, 84),
            (FTS, 85),
            (NARROW_WIDTH, 86),
            (ADDR_B, 86),
            (PTS_D, 90),
            (DD, 91),
            (WA, 94),
            (O, 95),
            (TADDR, 99),
            (REGION, 100),
            (G, 101),
            (V_IN, 105),
            (COUT, 107),
            (DJ, 108),
            (MAIN_WIDTH, 110),
            (periodic::BYTE, 7),
            (periodic::POW, 23),
            (periodic::WIDTH, 26),
        ];
        for (got, want) in expected {
            assert_eq!(got, want);
        }
        assert_eq!(CARRY.end(), MAIN_WIDTH);
        assert_eq!(DECODE.range(), 10..31);
        assert!(ACCESS.contains(PREV_B) && !ACCESS.contains(X));
    }

    /// The committed columns drop exactly the group flags and sub-op bits no opcode of the
    /// program uses, keep every other column of the layout in order, and expanding a
    /// committed row puts zeros in the dropped ones.
    #[test]
    fn committed_columns_drop_the_decoder_cells_of_absent_opcodes() {
        use crate::decoder::{encoding, Group, NUM_GROUPS, OP_BITS};
        let p = gloam_isa::load_module(
            br#"(module (func (export "f") (param i32) (result i32)
                 local.get 0 i32.const 1 i32.add))"#,
        )
        .unwrap();
        let ops: std::collections::BTreeSet<Op> = p.instrs.iter().map(|i| i.op).collect();
        let groups: std::collections::BTreeSet<Group> = ops
            .iter()
            .filter_map(|&op| encoding(op))
            .map(|e| e.group)
            .collect();
        let bits: Vec<bool> = (0..OP_BITS)
            .map(|j| ops.iter().filter_map(|&op| encoding(op)).any(|e| e.bit(j)))
            .collect();
        let c = committed_columns(&p);
        assert_eq!(Layout::of(&p), Layout::Narrow);
        // No opcode writing the upper lanes (8), `R` (4), `SA`, `SB`, `P`, `S`, `M_POW`.
        let advice = 8 + 4 + 5;
        let dropped_decoder = NUM_GROUPS - groups.len() + bits.iter().filter(|b| !**b).count();
        assert_eq!(c.len(), NARROW_WIDTH - dropped_decoder - advice);
        assert!(c.windows(2).all(|w| w[0] < w[1]));
        for col in 0..NARROW_WIDTH {
            let kept = c.contains(&col);
            if let Some(g) = Group::ALL.iter().find(|&&g| group_col(g) == col) {
                assert_eq!(kept, groups.contains(g), "{g:?}");
            } else if (OP_BIT..OP_BIT + OP_BITS).contains(&col) {
                assert_eq!(kept, bits[col - OP_BIT], "bit {}", col - OP_BIT);
            } else {
                assert_eq!(kept, advice_writers(col).is_none(), "column {col}");
            }
        }
        let values: Vec<u64> = (1..=c.len() as u64).collect();
        let mut row = vec![99u64; NARROW_WIDTH];
        expand_row(&c, &values, 0, &mut row);
        let add = group_col(Group::Add);
        assert_eq!(row[add], values[c.iter().position(|&x| x == add).unwrap()]);
        assert_eq!(row[group_col(Group::Mul)], 0);
        // A shift brings back `P`, `S`, `M_POW`, the upper lanes and `R`; not `SA`, `SB`.
        let p = gloam_isa::load_module(
            br#"(module (func (export "f") (param i32) (result i32)
                 local.get 0 local.get 0 i32.shl))"#,
        )
        .unwrap();
        let c = committed_columns(&p);
        for col in [P, S, M_POW, X + 2, W + 3, R] {
            assert!(c.contains(&col), "{col}");
        }
        assert!(!c.contains(&SA) && !c.contains(&SB));
    }
}
