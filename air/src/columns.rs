//! The main trace's column layout: 92 base-field columns.
//!
//! | columns | name | meaning |
//! |---|---|---|
//! | 0 | `IDX` | row index (memory-table address) |
//! | 1 | `FIRST` | 1 on row 0, else 0 |
//! | 2 | `CLK` | cycles executed so far (stops at `HALT`) |
//! | 3, 4 | `PC`, `FP` | program counter, frame pointer |
//! | 5..=9 | `OFF_A`, `OFF_B`, `OFF_C`, `IMM`, `BIMM` | instruction fields |
//! | 10..=36 | `FLAGS` | one-hot opcode flags (opcode code `k` at `FLAGS + k - 1`) |
//! | 37..=44 | `VAL_A`, `PTS_A`, `VAL_B`, `PREV_B`, `PTS_B`, `VAL_C`, `PREV_C`, `PTS_C` | memory accesses |
//! | 45..=60 | `X`, `Y`, `Z`, `W` | four bitwise lanes `(x, y, x & y, x ^ y)` of bytes |
//! | 61..=64 | `R` | four bytes range-checked in pairs |
//! | 65..=73 | `D` | bytes of the three timestamp gaps (`dA0..2`, `dB0..2`, `dC0..2`) |
//! | 74..=79 | `K`, `SA`, `SB`, `INV`, `P`, `S` | advice: carry/boolean, sign bits, inverse, power of two, shift |
//! | 80..=83 | `M_RANGE` | multiplicities of the 4 range-table entries of the row |
//! | 84..=87 | `M_BIT` | multiplicities of the 4 bitwise-table entries of the row |
//! | 88, 89 | `M_POW`, `M_PROG` | pow2 and program table multiplicities |
//! | 90, 91 | `FVAL`, `FTS` | memory table: final value and timestamp of address `IDX` |

use gloam_isa::Op;

/// Row index.
pub const IDX: usize = 0;
/// First-row indicator.
pub const FIRST: usize = 1;
/// Cycle counter.
pub const CLK: usize = 2;
/// Program counter.
pub const PC: usize = 3;
/// Frame pointer.
pub const FP: usize = 4;
/// Offset of slot `a`.
pub const OFF_A: usize = 5;
/// Offset of slot `b`.
pub const OFF_B: usize = 6;
/// Offset of slot `c`.
pub const OFF_C: usize = 7;
/// Immediate.
pub const IMM: usize = 8;
/// `B` operand is the immediate.
pub const BIMM: usize = 9;
/// First opcode flag.
pub const FLAGS: usize = 10;
/// Value read from slot `a`.
pub const VAL_A: usize = 37;
/// Timestamp of the access slot `a`'s read follows.
pub const PTS_A: usize = 38;
/// Operand `B` (read, immediate, or written value for `call`).
pub const VAL_B: usize = 39;
/// Previous value of slot `b` (for the `call` write).
pub const PREV_B: usize = 40;
/// Timestamp of the previous access to slot `b`.
pub const PTS_B: usize = 41;
/// Value written to slot `c`.
pub const VAL_C: usize = 42;
/// Previous value of slot `c`.
pub const PREV_C: usize = 43;
/// Timestamp of the previous access to slot `c`.
pub const PTS_C: usize = 44;
/// Bitwise lanes: `x` bytes.
pub const X: usize = 45;
/// Bitwise lanes: `y` bytes.
pub const Y: usize = 49;
/// Bitwise lanes: `x & y`.
pub const Z: usize = 53;
/// Bitwise lanes: `x ^ y`.
pub const W: usize = 57;
/// Range-checked bytes.
pub const R: usize = 61;
/// Timestamp-gap bytes: `D + 3*j + i` is byte `i` of access `j` (a, b, c).
pub const D: usize = 65;
/// Carry / borrow / boolean result.
pub const K: usize = 74;
/// Sign bit of `A` (signed compares).
pub const SA: usize = 75;
/// Sign bit of `B` (signed compares).
pub const SB: usize = 76;
/// Field inverse advice.
pub const INV: usize = 77;
/// Multiplier: `B` for `mul`, a power of two for shifts.
pub const P: usize = 78;
/// Shift amount `B mod 32`.
pub const S: usize = 79;
/// Multiplicities of the range-table entries `BYTE_K * (IDX mod BYTE_PERIOD) + j`, `j < BYTE_K`.
pub const M_RANGE: usize = 80;
/// Multiplicities of the bitwise-table entries, likewise.
pub const M_BIT: usize = 84;
/// Multiplicity of pow2-table entry `IDX mod 64`.
pub const M_POW: usize = 88;
/// Multiplicity of program-table entry `IDX mod P`.
pub const M_PROG: usize = 89;
/// Final value of memory address `IDX`.
pub const FVAL: usize = 90;
/// Final access timestamp of memory address `IDX`.
pub const FTS: usize = 91;
/// Main trace width.
pub const MAIN_WIDTH: usize = 92;

/// Column of the flag of opcode `op` (not defined for `Trap`).
pub const fn flag(op: Op) -> usize {
    FLAGS + op as usize - 1
}

/// Periodic column indices.
pub mod periodic {
    /// Program table: pc, opcode, b_imm, a, b, c, imm (period `P`).
    pub const PROG: usize = 0;
    /// Number of program-table columns.
    pub const PROG_COLS: usize = 7;
    /// Byte-table entries of the *next* row: for `j < BYTE_K`, columns `BYTE + 4j ..` hold
    /// x, y, x & y, x ^ y of entry `BYTE_K * row' + j` (period `BYTE_PERIOD`).
    pub const BYTE: usize = 7;
    /// pow2 table: shift amount `k mod 32`, direction `k div 32` (1 = right), value (period
    /// 64). Spelling out the amount and direction (rather than one key `s + 32 * right`) is
    /// what confines the looked-up shift amount `S` to `[0, 32)`.
    pub const POW: usize = BYTE + 4 * super::BYTE_K;
    /// Number of pow2-table columns.
    pub const POW_COLS: usize = 3;
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
