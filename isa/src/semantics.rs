//! Reference semantics of Gloam's arithmetic, shared by the executor and the front end's
//! constant folding. They follow WebAssembly 2.0 §4.3.2 (integer operations) on `i32` and
//! `i64`.

use crate::isa::Op;

/// A WebAssembly trap raised by an instruction. The messages are the WebAssembly spec
/// tests' (`assert_trap`) wording.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub enum TrapKind {
    /// `unreachable` was executed.
    #[error("unreachable")]
    Unreachable,
    /// `div_s` of the minimum signed value by `-1`.
    #[error("integer overflow")]
    IntegerOverflow,
    /// Division or remainder by zero.
    #[error("integer divide by zero")]
    DivisionByZero,
    /// The call stack grew past the configured limit (slots or call depth).
    #[error("call stack exhausted")]
    StackExhausted,
    /// A load, store or bulk memory operation outside the memory.
    #[error("out of bounds memory access")]
    MemoryOutOfBounds,
    /// A table access or bulk table operation outside the table.
    #[error("out of bounds table access")]
    TableOutOfBounds,
    /// `call_indirect` with an index outside the table.
    #[error("undefined element")]
    UndefinedElement,
    /// `call_indirect` of a null table entry.
    #[error("uninitialized element")]
    UninitializedElement,
    /// `call_indirect` of a function whose type differs from the expected one.
    #[error("indirect call type mismatch")]
    IndirectCallTypeMismatch,
    /// A host function reported failure.
    #[error("host function failed")]
    HostError,
}

impl TrapKind {
    /// The trap a `Trap` instruction with this immediate raises.
    pub fn from_code(code: u32) -> TrapKind {
        match code {
            crate::isa::trap_code::INTEGER_OVERFLOW => TrapKind::IntegerOverflow,
            _ => TrapKind::Unreachable,
        }
    }
}

/// Evaluates binary opcode `op` on `a`, `b`.
///
/// # Errors
/// [`TrapKind::DivisionByZero`] for `div_u`/`rem_u` by zero.
///
/// # Panics
/// Never for binary opcodes; `op` must satisfy [`Op::is_binary`].
#[inline]
pub fn eval_binary(op: Op, a: u32, b: u32) -> Result<u32, TrapKind> {
    Ok(match op {
        Op::Add => a.wrapping_add(b),
        Op::Sub => a.wrapping_sub(b),
        Op::Mul => a.wrapping_mul(b),
        Op::Shl => a.wrapping_shl(b),
        Op::ShrU => a.wrapping_shr(b),
        Op::Rotl => a.rotate_left(b & 31),
        Op::Rotr => a.rotate_right(b & 31),
        Op::DivU => a.checked_div(b).ok_or(TrapKind::DivisionByZero)?,
        Op::RemU => a.checked_rem(b).ok_or(TrapKind::DivisionByZero)?,
        Op::And => a & b,
        Op::Or => a | b,
        Op::Xor => a ^ b,
        Op::Eq => (a == b) as u32,
        Op::Ne => (a != b) as u32,
        Op::LtU => (a < b) as u32,
        Op::GeU => (a >= b) as u32,
        Op::LtS => ((a as i32) < (b as i32)) as u32,
        Op::GeS => ((a as i32) >= (b as i32)) as u32,
        Op::MulHU => ((a as u64 * b as u64) >> 32) as u32,
        _ => panic!("eval_binary called with non-binary opcode {op:?}"),
    })
}

/// Evaluates 64-bit binary opcode `op` (see [`Op::is_binary64`]) on `a`, `b`; comparisons
/// give 0 or 1.
///
/// # Errors
/// [`TrapKind::DivisionByZero`] and [`TrapKind::IntegerOverflow`] as WebAssembly specifies.
///
/// # Panics
/// If `op` is not a 64-bit binary opcode.
#[inline]
pub fn eval_binary64(op: Op, a: u64, b: u64) -> Result<u64, TrapKind> {
    let (sa, sb) = (a as i64, b as i64);
    Ok(match op {
        Op::I64Add => a.wrapping_add(b),
        Op::I64Sub => a.wrapping_sub(b),
        Op::I64Mul => a.wrapping_mul(b),
        Op::I64DivS => {
            if b == 0 {
                return Err(TrapKind::DivisionByZero);
            }
            sa.checked_div(sb).ok_or(TrapKind::IntegerOverflow)? as u64
        }
        Op::I64DivU => a.checked_div(b).ok_or(TrapKind::DivisionByZero)?,
        Op::I64RemS => {
            if b == 0 {
                return Err(TrapKind::DivisionByZero);
            }
            sa.wrapping_rem(sb) as u64
        }
        Op::I64RemU => a.checked_rem(b).ok_or(TrapKind::DivisionByZero)?,
        Op::I64And => a & b,
        Op::I64Or => a | b,
        Op::I64Xor => a ^ b,
        Op::I64Shl => a.wrapping_shl(b as u32),
        Op::I64ShrS => sa.wrapping_shr(b as u32) as u64,
        Op::I64ShrU => a.wrapping_shr(b as u32),
        Op::I64Rotl => a.rotate_left((b & 63) as u32),
        Op::I64Rotr => a.rotate_right((b & 63) as u32),
        Op::I64Eq => (a == b) as u64,
        Op::I64Ne => (a != b) as u64,
        Op::I64LtS => (sa < sb) as u64,
        Op::I64LtU => (a < b) as u64,
        Op::I64GtS => (sa > sb) as u64,
        Op::I64GtU => (a > b) as u64,
        Op::I64LeS => (sa <= sb) as u64,
        Op::I64LeU => (a <= b) as u64,
        Op::I64GeS => (sa >= sb) as u64,
        Op::I64GeU => (a >= b) as u64,
        _ => panic!("eval_binary64 called with {op:?}"),
    })
}

/// Evaluates unary opcode `op` (see [`Op::is_unary`]) on the slot value `a`. `i32` results
/// are zero-extended.
///
/// # Panics
/// If `op` is not a unary opcode.
#[inline]
pub fn eval_unary(op: Op, a: u64) -> u64 {
    match op {
        Op::Mov64 => a,
        Op::I64Clz => a.leading_zeros() as u64,
        Op::I64Ctz => a.trailing_zeros() as u64,
        Op::I64Popcnt => a.count_ones() as u64,
        Op::I64Eqz => (a == 0) as u64,
        Op::I32Extend8S => a as i8 as i32 as u32 as u64,
        Op::I32Extend16S => a as i16 as i32 as u32 as u64,
        Op::I64Extend8S => a as i8 as i64 as u64,
        Op::I64Extend16S => a as i16 as i64 as u64,
        Op::I64Extend32S => a as i32 as i64 as u64,
        Op::I32WrapI64 | Op::I64ExtendI32U => a as u32 as u64,
        _ => panic!("eval_unary called with {op:?}"),
    }
}
