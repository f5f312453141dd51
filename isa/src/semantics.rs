//! Reference semantics of Gloam's binary operators, shared by the executor and the front end's
//! constant folding. They follow WebAssembly 1.0 §4.3.2 (integer operations) on `i32`.

use crate::isa::Op;

/// A WebAssembly trap raised by an instruction.
#[derive(Clone, Copy, Debug, PartialEq, Eq, thiserror::Error, serde::Serialize)]
pub enum TrapKind {
    /// `unreachable` was executed.
    #[error("unreachable executed")]
    Unreachable,
    /// `i32.div_s` of `INT_MIN` by `-1`.
    #[error("integer overflow")]
    IntegerOverflow,
    /// Division or remainder by zero.
    #[error("integer divide by zero")]
    DivisionByZero,
    /// The call stack grew past the configured limit.
    #[error("call stack exhausted")]
    StackExhausted,
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
        _ => panic!("eval_binary called with non-binary opcode {op:?}"),
    })
}
