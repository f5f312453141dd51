//! Reference semantics of Gloam's 32-bit arithmetic, shared by the executor and the front
//! end's constant folding. They follow WebAssembly 2.0 §4.3.2 (integer operations) on `i32`;
//! `i64` operators are lowered into these by the front end.

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
    /// `memory.grow` past the executor's page limit (`Limits::max_memory_pages`): an
    /// implementation limit, like the call stack's, not a WebAssembly trap.
    #[error("memory limit exceeded")]
    MemoryExhausted,
    /// `table.grow` of a table held in global words past the executor's length limit
    /// (`Limits::max_table_len`): an implementation limit, like the memory's.
    #[error("table limit exceeded")]
    TableExhausted,
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
    /// `gloam.commit` of bytes other than the statement's journal, a run that ended before
    /// committing all of it (`crate::io`; only a run checked against a journal given in
    /// advance gets these), or one `gloam.commit` of more than 2^20 bytes (any run).
    #[error("journal differs from the statement's")]
    JournalMismatch,
    /// A host function reported failure.
    #[error("host function failed")]
    HostError,
}

impl TrapKind {
    /// The trap a `Trap` instruction with this immediate raises.
    pub fn from_code(code: u32) -> TrapKind {
        match code {
            crate::isa::trap_code::INTEGER_OVERFLOW => TrapKind::IntegerOverflow,
            crate::isa::trap_code::DIVISION_BY_ZERO => TrapKind::DivisionByZero,
            crate::isa::trap_code::MEMORY_OUT_OF_BOUNDS => TrapKind::MemoryOutOfBounds,
            crate::isa::trap_code::UNDEFINED_ELEMENT => TrapKind::UndefinedElement,
            crate::isa::trap_code::UNINITIALIZED_ELEMENT => TrapKind::UninitializedElement,
            crate::isa::trap_code::INDIRECT_CALL_TYPE_MISMATCH => {
                TrapKind::IndirectCallTypeMismatch
            }
            crate::isa::trap_code::TABLE_OUT_OF_BOUNDS => TrapKind::TableOutOfBounds,
            crate::isa::trap_code::JOURNAL_MISMATCH => TrapKind::JournalMismatch,
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
