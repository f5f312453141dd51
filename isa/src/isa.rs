//! Gloam's instruction set: a flat, three-address register machine over frame slots.
//!
//! Every instruction is one trace row (one cycle). An instruction names up to three frame
//! slots, `a`, `b` and `c`, as offsets from the frame pointer `fp`, plus a 32-bit immediate:
//!
//! * `A` is the value read from slot `fp + a`;
//! * `B` is the value read from slot `fp + b`, or the immediate when `b_imm` is set;
//! * the result, if any, is written to slot `fp + c`.
//!
//! Values in slots are unsigned 32-bit integers (WebAssembly `i32` bit patterns).
//! Jump targets are absolute instruction indices. Program index 0 always holds [`Op::Halt`],
//! the address every entry function returns to.

use serde::{Deserialize, Serialize};

/// The program counter value of the `HALT` instruction every program starts with.
pub const HALT_PC: u32 = 0;

/// Trap codes carried in the immediate of [`Op::Trap`].
pub mod trap_code {
    /// WebAssembly `unreachable`.
    pub const UNREACHABLE: u32 = 0;
    /// Signed division overflow (`i32.div_s` of `INT_MIN` by `-1`).
    pub const INTEGER_OVERFLOW: u32 = 1;
}

macro_rules! ops {
    ($( $(#[$doc:meta])* $name:ident = $code:literal, $mn:literal ;)*) => {
        /// A Gloam opcode. The numeric code (1..=27) is the value the AIR's one-hot opcode
        /// flags encode; [`Op::Trap`] (28) has no flag, so no valid trace can execute it.
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
    /// `C = imm`.
    Const = 19, "const";
    /// `C = A` if `B != 0`, else `C` keeps its value.
    CMov = 20, "cmov";
    /// `pc = imm`.
    Jmp = 21, "jmp";
    /// `pc = imm` if `A == 0`, else `pc + 1`.
    Brz = 22, "brz";
    /// `pc = imm` if `A != 0`, else `pc + 1`.
    Brnz = 23, "brnz";
    /// `pc = imm + A` (jump table dispatch; the front end bounds-checks `A` first).
    JTab = 24, "jtab";
    /// Call: `slot[fp+c] = pc + 1`, `slot[fp+b] = fp`, `fp += a`, `pc = imm`.
    Call = 25, "call";
    /// Return: `pc = A` (saved pc), `fp = B` (saved fp).
    Ret = 26, "ret";
    /// Stop: `pc` and `fp` stay; the trace is padded with `HALT` rows.
    Halt = 27, "halt";
    /// Trap with code `imm`; never provable.
    Trap = 28, "trap";
}

/// Which slots an opcode touches. This is the single source of truth shared by the executor,
/// the trace builder and the AIR (where these become the access-enable expressions).
impl Op {
    /// Number of opcodes that have an AIR flag (all but `Trap`).
    pub const NUM_FLAGS: usize = 27;

    /// Binary operators `C = f(A, B)`.
    pub const fn is_binary(self) -> bool {
        self.code() >= Op::Add.code() && self.code() <= Op::GeS.code()
    }
    /// Reads slot `a`.
    pub const fn reads_a(self) -> bool {
        self.is_binary() || matches!(self, Op::CMov | Op::Brz | Op::Brnz | Op::JTab | Op::Ret)
    }
    /// Has a `B` operand (slot read, or immediate).
    pub const fn has_b(self) -> bool {
        self.is_binary() || matches!(self, Op::CMov | Op::Ret)
    }
    /// May take `B` from the immediate instead of a slot.
    pub const fn allows_b_imm(self) -> bool {
        self.is_binary() || matches!(self, Op::CMov)
    }
    /// Writes slot `b` (only `Call`, saving `fp`).
    pub const fn writes_b(self) -> bool {
        matches!(self, Op::Call)
    }
    /// Writes slot `c`.
    pub const fn writes_c(self) -> bool {
        self.is_binary() || matches!(self, Op::Const | Op::CMov | Op::Call)
    }
    /// Continues at `pc + 1`.
    pub const fn is_sequential(self) -> bool {
        self.is_binary() || matches!(self, Op::Const | Op::CMov)
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
            _ => unreachable!("all opcodes covered"),
        }
    }
}
