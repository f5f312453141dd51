//! Gloam's instruction set: a flat, three-address register machine over frame slots.
//!
//! Every instruction is one trace row (one cycle). An instruction names up to three frame
//! slots, `a`, `b` and `c`, as offsets from the frame pointer `fp`, plus a 32-bit immediate:
//!
//! * `A` is the value read from slot `fp + a`;
//! * `B` is the value read from slot `fp + b`, or the immediate when `b_imm` is set;
//! * the result, if any, is written to slot `fp + c`.
//!
//! Slots hold 32-bit words: every slot value is below 2^32 at all times. An `i32` or a
//! reference (0 for null, else its store address plus one) occupies one slot, an `i64` two
//! consecutive slots, the low word first; the front end lowers every `i64` operator into the
//! provable 32-bit opcodes (codes 1..=38 and 57..=59), which include the 32-bit global words,
//! their indexed forms and the loads and stores of 1, 2 and 4 bytes of linear memory. The
//! executor-only opcodes (codes 40..=56) cover the rest of integer WebAssembly 2.0: memory
//! size, growth and bulk operations, tables and references, indirect and imported calls.
//! Jump targets are absolute instruction indices. Program index 0 always holds [`Op::Halt`],
//! the address every entry function returns to.

use serde::{Deserialize, Serialize};

/// The program counter value of the `HALT` instruction every program starts with.
pub const HALT_PC: u32 = 0;

/// Trap codes carried in the immediate of [`Op::Trap`].
pub mod trap_code {
    /// WebAssembly `unreachable`.
    pub const UNREACHABLE: u32 = 0;
    /// Signed division overflow (`div_s` of the minimum value by `-1`).
    pub const INTEGER_OVERFLOW: u32 = 1;
    /// Integer division or remainder by zero (the `i64` division checks; `div_u` and `rem_u`
    /// by zero trap by themselves).
    pub const DIVISION_BY_ZERO: u32 = 2;
    /// A memory access out of bounds whatever the address: an `i64` load or store whose
    /// offset plus 4 does not fit in 32 bits.
    pub const MEMORY_OUT_OF_BOUNDS: u32 = 3;
    /// `call_indirect` with an index outside the table (lowered through a static table).
    pub const UNDEFINED_ELEMENT: u32 = 4;
    /// `call_indirect` of a null entry (lowered through a static table).
    pub const UNINITIALIZED_ELEMENT: u32 = 5;
    /// `call_indirect` of a function of another type (lowered through a static table).
    pub const INDIRECT_CALL_TYPE_MISMATCH: u32 = 6;
    /// A table access or bulk table operation outside the table (lowered through the table's
    /// global words, `crate::image::table_words`).
    pub const TABLE_OUT_OF_BOUNDS: u32 = 7;
    /// `gloam.commit` of bytes other than the statement's journal, or a run ending before
    /// the whole journal was committed (`crate::io`).
    pub const JOURNAL_MISMATCH: u32 = 8;
}

macro_rules! ops {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, $mn:literal ;)*) => {
        /// A Gloam opcode. Codes 1..=38 and 57..=59 are the provable opcodes, which the AIR's
        /// decoder encodes as an opcode group and sub-op bits (`gloam_air::decoder`, its own
        /// numbering); [`Op::Trap`] (39) and the executor-only opcodes (40..=56) have no
        /// encoding, so no valid trace can execute them.
        #[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize, PartialOrd, Ord)]
        #[repr(u8)]
        pub enum Op { $( $(#[$doc])* $name = $code, )* }

        impl Op {
            /// Every opcode, in code order.
            pub const ALL: &'static [Op] = &[$(Op::$name,)*];

            /// The opcode's numeric code.
            pub const fn code(self) -> u32 { self as u32 }

            /// The opcode with the given code, if any.
            pub fn from_code(code: u32) -> Option<Op> {
                match code { $( $code => Some(Op::$name), )* _ => None }
            }

            /// Assembly mnemonic.
            pub fn mnemonic(self) -> &'static str {
                match self { $( Op::$name => $mn, )* }
            }
        }
    };
}

ops! {
    /// `C = A + B mod 2^32`.
    Add = 1, "add";
    /// `C = A - B mod 2^32`.
    Sub = 2, "sub";
    /// `C = A * B mod 2^32`.
    Mul = 3, "mul";
    /// `C = A << (B mod 32)`.
    Shl = 4, "shl";
    /// `C = A >> (B mod 32)` (logical).
    ShrU = 5, "shr_u";
    /// `C = A rotl (B mod 32)`.
    Rotl = 6, "rotl";
    /// `C = A rotr (B mod 32)`.
    Rotr = 7, "rotr";
    /// `C = A / B` (unsigned); traps when `B = 0`.
    DivU = 8, "div_u";
    /// `C = A % B` (unsigned); traps when `B = 0`.
    RemU = 9, "rem_u";
    /// `C = A & B`.
    And = 10, "and";
    /// `C = A | B`.
    Or = 11, "or";
    /// `C = A ^ B`.
    Xor = 12, "xor";
    /// `C = (A == B)`.
    Eq = 13, "eq";
    /// `C = (A != B)`.
    Ne = 14, "ne";
    /// `C = (A < B)` unsigned.
    LtU = 15, "lt_u";
    /// `C = (A >= B)` unsigned.
    GeU = 16, "ge_u";
    /// `C = (A < B)` signed.
    LtS = 17, "lt_s";
    /// `C = (A >= B)` signed.
    GeS = 18, "ge_s";
    /// `C = (A * B) >> 32`: the high word of the unsigned 64-bit product.
    MulHU = 19, "mulhu";
    /// `C = imm`.
    Const = 20, "const";
    /// `C = A` if `B != 0`, else `C` keeps its value.
    CMov = 21, "cmov";
    /// `pc = imm`.
    Jmp = 22, "jmp";
    /// `pc = imm` if `A == 0`, else `pc + 1`.
    Brz = 23, "brz";
    /// `pc = imm` if `A != 0`, else `pc + 1`.
    Brnz = 24, "brnz";
    /// `pc = imm + A` (jump table dispatch; the front end bounds-checks `A` first).
    JTab = 25, "jtab";
    /// Call: `slot[fp+c] = pc + 1`, `slot[fp+b] = fp`, `fp += a`, `pc = imm`.
    Call = 26, "call";
    /// Return: `pc = A` (saved pc), `fp = B` (saved fp).
    Ret = 27, "ret";
    /// Stop: `pc` and `fp` stay; the trace is padded with `HALT` rows.
    Halt = 28, "halt";
    /// `C = global word imm`: globals are 32-bit words, global `i` in words `2i` (low) and
    /// `2i + 1` (high; zero for an `i32` global; an `i64` global is read and written as its
    /// two words). Word `2n`, one past the `n` globals, is the memory's size in pages
    /// (`image::memory_size_word`).
    GlobalGet = 29, "global.get";
    /// `global word imm = A`.
    GlobalSet = 30, "global.set";
    /// `C = mem[A + imm]`, 32 bits little-endian; every load and store traps when
    /// `A + imm + width` exceeds the memory size. Addresses need no alignment.
    I32Load = 31, "i32.load";
    /// `i32.load8_s`.
    I32Load8S = 32, "i32.load8_s";
    /// `i32.load8_u`.
    I32Load8U = 33, "i32.load8_u";
    /// `i32.load16_s`.
    I32Load16S = 34, "i32.load16_s";
    /// `i32.load16_u`.
    I32Load16U = 35, "i32.load16_u";
    /// `mem[A + imm] = B` (32 bits); `b_imm` is never set for stores (`imm` is the offset).
    I32Store = 36, "i32.store";
    /// `i32.store8`.
    I32Store8 = 37, "i32.store8";
    /// `i32.store16`.
    I32Store16 = 38, "i32.store16";
    /// Trap with code `imm`; never provable.
    Trap = 39, "trap";

    // ---- Executor-only instructions (codes 40..=56): no AIR encoding, so no proof can
    // ---- execute them; `run_traced` refuses a run that reaches one.
    /// `C = memory.size` (pages).
    MemorySize = 40, "memory.size";
    /// `C = memory.grow(A)`: the old size in pages, or -1.
    MemoryGrow = 41, "memory.grow";
    /// `memory.fill` with `(dest, value, len)` in slots `a, a+1, a+2`.
    MemoryFill = 42, "memory.fill";
    /// `memory.copy` with `(dest, src, len)` in slots `a, a+1, a+2`.
    MemoryCopy = 43, "memory.copy";
    /// `memory.init` of data segment `imm` with `(dest, src, len)` in slots `a, a+1, a+2`.
    MemoryInit = 44, "memory.init";
    /// `data.drop` of data segment `imm`.
    DataDrop = 45, "data.drop";
    /// `C = table[imm][A]`.
    TableGet = 46, "table.get";
    /// `table[imm][A] = B`.
    TableSet = 47, "table.set";
    /// `C = table.size` of table `imm`.
    TableSize = 48, "table.size";
    /// `C = table.grow` of table `imm` by `(init, n)` in slots `a, a+1`.
    TableGrow = 49, "table.grow";
    /// `table.fill` of table `imm` with `(i, value, n)` in slots `a, a+1, a+2`.
    TableFill = 50, "table.fill";
    /// `table.copy` from table `c` to table `b` with `(dest, src, n)` in slots `a, a+1, a+2`.
    TableCopy = 51, "table.copy";
    /// `table.init` of table `b` from element segment `c` with `(dest, src, n)` in slots
    /// `a, a+1, a+2`.
    TableInit = 52, "table.init";
    /// `elem.drop` of element segment `imm`.
    ElemDrop = 53, "elem.drop";
    /// `C = ref.func imm` (a reference to WebAssembly function `imm`).
    RefFunc = 54, "ref.func";
    /// `call_indirect` through table `c` with type `imm`, element index in slot `b`; the
    /// callee frame starts at `fp + a` (its saved pc and `fp` go to its own `ra_slot`).
    CallIndirect = 55, "call_indirect";
    /// Call of imported function `imm` (host or another instance); arguments and results in
    /// slots from `fp + a`.
    CallImport = 56, "call_import";

    // ---- Provable instructions added after the executor-only ones.
    /// `C = global word imm + A`: an entry of a table held in global words, `imm` the word
    /// of its entry 0 and `A` the index. The lowering checks `A` against the table's size
    /// first; a program built by hand without that check may reach any global word through
    /// it in a proof, where the executor traps (out of bounds table access): verifiers lower
    /// their programs from the module, as `gloam verify` and the node do.
    GlobalGetAt = 57, "global.get_at";
    /// `global word imm + B = A`: sets entry `B` of a table held in global words to `A`.
    GlobalSetAt = 58, "global.set_at";
    /// `C = advice imm`: a 32-bit value the prover chooses, what the executor gives for
    /// `imm` (`crate::io::advice`: the private input's length, its next byte). Nothing but
    /// the range of `C` constrains it in a proof.
    Advice = 59, "advice";
}

/// Which slots an opcode touches. This is the single source of truth shared by the executor,
/// the trace builder and the AIR (where these become the access-enable expressions).
impl Op {
    /// Number of provable opcodes: the 38 codes before `Trap`, the indexed global accesses
    /// and `advice`.
    pub const NUM_PROVABLE: usize = 41;

    /// Binary operators `C = f(A, B)`.
    pub const fn is_binary(self) -> bool {
        self.code() >= Op::Add.code() && self.code() <= Op::MulHU.code()
    }
    /// Reads slot `a`.
    pub const fn reads_a(self) -> bool {
        self.is_binary()
            || self.is_load()
            || self.is_store()
            || matches!(
                self,
                Op::CMov
                    | Op::Brz
                    | Op::Brnz
                    | Op::JTab
                    | Op::Ret
                    | Op::GlobalSet
                    | Op::GlobalGetAt
                    | Op::GlobalSetAt
            )
    }
    /// Has a `B` operand: a slot read or the immediate. Loads and `global.get` read their `B`
    /// (the first memory word, the global word) through the same access, from the address
    /// the row computes rather than from `fp + b` (see [`Op::b_is_slot`]).
    pub const fn has_b(self) -> bool {
        self.is_binary()
            || self.is_load()
            || self.is_store()
            || matches!(
                self,
                Op::CMov | Op::Ret | Op::GlobalGet | Op::GlobalGetAt | Op::GlobalSetAt
            )
    }
    /// Its `B` access (if any) is frame slot `fp + b`; false for loads and `global.get`.
    pub const fn b_is_slot(self) -> bool {
        !(self.is_load() || matches!(self, Op::GlobalGet | Op::GlobalGetAt))
    }
    /// May take `B` from the immediate instead of a slot.
    pub const fn allows_b_imm(self) -> bool {
        self.is_binary() || matches!(self, Op::CMov)
    }
    /// Writes slot `b` (only `Call`, saving `fp`).
    pub const fn writes_b(self) -> bool {
        matches!(self, Op::Call)
    }
    /// Writes through access `c`: slot `fp + c`, or (stores, `global.set`) the first
    /// memory word or the global word.
    pub const fn writes_c(self) -> bool {
        self.is_binary()
            || self.is_load()
            || self.is_store()
            || matches!(
                self,
                Op::Const
                    | Op::Advice
                    | Op::CMov
                    | Op::Call
                    | Op::GlobalGet
                    | Op::GlobalSet
                    | Op::GlobalGetAt
                    | Op::GlobalSetAt
            )
    }
    /// Its `C` access (if any) is frame slot `fp + c`; false for stores and `global.set`.
    pub const fn c_is_slot(self) -> bool {
        !(self.is_store() || matches!(self, Op::GlobalSet | Op::GlobalSetAt))
    }
    /// Continues at `pc + 1`.
    pub const fn is_sequential(self) -> bool {
        self.is_binary()
            || self.is_load()
            || self.is_store()
            || matches!(
                self,
                Op::Const
                    | Op::Advice
                    | Op::CMov
                    | Op::GlobalGet
                    | Op::GlobalSet
                    | Op::GlobalGetAt
                    | Op::GlobalSetAt
            )
    }
    /// Has an AIR encoding: the opcodes a proof can execute (codes 1..=38, 57..=59).
    pub const fn is_provable(self) -> bool {
        self.code() < Op::Trap.code()
            || matches!(self, Op::GlobalGetAt | Op::GlobalSetAt | Op::Advice)
    }
    /// Reads or writes a global word: `global.get/set` (word `imm`) and their indexed forms
    /// (word `imm + A` or `imm + B`).
    pub const fn is_global_access(self) -> bool {
        matches!(
            self,
            Op::GlobalGet | Op::GlobalSet | Op::GlobalGetAt | Op::GlobalSetAt
        )
    }
    /// Provable loads `C = mem[A + imm]` of 1, 2 or 4 bytes.
    pub const fn is_load(self) -> bool {
        self.code() >= Op::I32Load.code() && self.code() <= Op::I32Load16U.code()
    }
    /// Provable stores `mem[A + imm] = B` of 1, 2 or 4 bytes.
    pub const fn is_store(self) -> bool {
        self.code() >= Op::I32Store.code() && self.code() <= Op::I32Store16.code()
    }
    /// Bytes a provable load or store moves (1, 2 or 4); 0 for other opcodes.
    pub const fn mem_width(self) -> u32 {
        match self {
            Op::I32Load | Op::I32Store => 4,
            Op::I32Load16S | Op::I32Load16U | Op::I32Store16 => 2,
            Op::I32Load8S | Op::I32Load8U | Op::I32Store8 => 1,
            _ => 0,
        }
    }
    /// A provable load that sign-extends.
    pub const fn is_signed_load(self) -> bool {
        matches!(self, Op::I32Load8S | Op::I32Load16S)
    }
    /// Uses the pow2 lookup (dynamic or immediate shift/rotate).
    pub const fn is_shift(self) -> bool {
        matches!(self, Op::Shl | Op::ShrU | Op::Rotl | Op::Rotr)
    }
}

/// One Gloam instruction. Slot offsets are relative to the frame pointer.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub struct Instr {
    /// The opcode.
    pub op: Op,
    /// Offset of slot `a` (or the callee frame offset for `Call`).
    pub a: u32,
    /// Offset of slot `b`; ignored when `b_imm` is set.
    pub b: u32,
    /// Offset of the destination slot `c`.
    pub c: u32,
    /// Immediate: constant, `B` operand, jump target or trap code.
    pub imm: u32,
    /// `B` is the immediate rather than slot `b`.
    pub b_imm: bool,
}

impl Instr {
    /// An instruction with all fields zero but the opcode.
    pub const fn new(op: Op) -> Self {
        Instr {
            op,
            a: 0,
            b: 0,
            c: 0,
            imm: 0,
            b_imm: false,
        }
    }
}

impl Instr {
    /// One past the largest frame-slot offset this instruction reads or writes (0 if it
    /// touches none). A `call`'s callee frame (from `fp + a`) is not counted: it belongs to
    /// the callee.
    pub fn slot_end(&self) -> u64 {
        use Op::*;
        let (a, b, c) = (self.a as u64 + 1, self.b as u64 + 1, self.c as u64 + 1);
        let op = self.op;
        let b_slot = !self.b_imm;
        if op.is_provable() {
            // The AIR's access predicates say which fields are slots.
            let mut end = 0;
            if op.reads_a() {
                end = a;
            }
            if (op.has_b() && b_slot && op.b_is_slot()) || op.writes_b() {
                end = end.max(b);
            }
            if op.writes_c() && op.c_is_slot() {
                end = end.max(c);
            }
            return end;
        }
        match op {
            MemorySize | TableSize | RefFunc => c,
            TableSet => a.max(b),
            MemoryGrow | TableGet => a.max(c),
            TableGrow => (a + 1).max(c),
            MemoryFill | MemoryCopy | MemoryInit | TableFill | TableCopy | TableInit => a + 2,
            CallIndirect => b,
            _ => 0,
        }
    }
}

impl std::fmt::Display for Instr {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        let b = if self.b_imm {
            format!("#{}", self.imm)
        } else {
            format!("s{}", self.b)
        };
        match self.op {
            op if op.is_binary() => write!(f, "{} s{}, s{}, {}", op.mnemonic(), self.c, self.a, b),
            Op::Const => write!(f, "const s{}, #{}", self.c, self.imm),
            Op::Advice => write!(f, "advice s{}, #{}", self.c, self.imm),
            Op::CMov => write!(f, "cmov s{}, s{}, {}", self.c, self.a, b),
            Op::Jmp => write!(f, "jmp @{}", self.imm),
            Op::Brz | Op::Brnz => write!(f, "{} s{}, @{}", self.op.mnemonic(), self.a, self.imm),
            Op::JTab => write!(f, "jtab @{} + s{}", self.imm, self.a),
            Op::Call => {
                write!(
                    f,
                    "call @{} frame+{} (ra s{}, fp s{})",
                    self.imm, self.a, self.c, self.b
                )
            }
            Op::Ret => write!(f, "ret (ra s{}, fp s{})", self.a, self.b),
            Op::Halt => write!(f, "halt"),
            Op::Trap => write!(f, "trap #{}", self.imm),
            op if op.is_load() => {
                write!(
                    f,
                    "{} s{}, [s{}+{}]",
                    op.mnemonic(),
                    self.c,
                    self.a,
                    self.imm
                )
            }
            op if op.is_store() => {
                write!(
                    f,
                    "{} [s{}+{}], s{}",
                    op.mnemonic(),
                    self.a,
                    self.imm,
                    self.b
                )
            }
            Op::GlobalGet | Op::TableSize | Op::RefFunc | Op::MemorySize => {
                write!(f, "{} s{}, #{}", self.op.mnemonic(), self.c, self.imm)
            }
            Op::GlobalSet => write!(f, "global.set #{}, s{}", self.imm, self.a),
            Op::GlobalGetAt => write!(f, "global.get_at s{}, #{} + s{}", self.c, self.imm, self.a),
            Op::GlobalSetAt => {
                write!(f, "global.set_at #{} + s{}, s{}", self.imm, self.b, self.a)
            }
            Op::CallIndirect => write!(
                f,
                "call_indirect table {} type {} index s{} frame+{}",
                self.c, self.imm, self.b, self.a
            ),
            Op::CallImport => write!(f, "call_import func {} frame+{}", self.imm, self.a),
            op => write!(
                f,
                "{} a=s{} b=s{} c=s{} #{}",
                op.mnemonic(),
                self.a,
                self.b,
                self.c,
                self.imm
            ),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The provable opcodes are codes `1..=38` and the two indexed global accesses.
    #[test]
    fn provable_opcodes() {
        let provable: Vec<Op> = Op::ALL
            .iter()
            .copied()
            .filter(|op| op.is_provable())
            .collect();
        assert_eq!(provable.len(), Op::NUM_PROVABLE);
        for op in Op::ALL {
            let code = op.code();
            let expected = code < Op::Trap.code() || code >= Op::GlobalGetAt.code();
            assert_eq!(op.is_provable(), expected, "{op:?}");
        }
    }
}
