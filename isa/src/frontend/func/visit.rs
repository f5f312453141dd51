//! The operator dispatch: each WebAssembly operator to the lowering that handles it. Float
//! and SIMD operators are refused here; in unreachable code only the nesting is tracked.

use wasmparser::Operator;

use super::stack::Val;
use super::storage::Load64;
use super::wide::{Rel, Shift};
use super::FnLowerer;
use crate::frontend::helpers::Helper;
use crate::frontend::FrontendError;
use crate::isa::{trap_code, Op};

impl FnLowerer<'_> {
    /// Lowers one operator.
    pub(super) fn operator(&mut self, op: Operator) -> Result<(), FrontendError> {
        if is_float_or_simd(&op) {
            return Err(self.unsupported(&op));
        }
        if self.dead {
            return self.dead_operator(op);
        }
        match op {
            Operator::Nop => {}
            Operator::Unreachable => {
                self.jump(Op::Trap, 0, trap_code::UNREACHABLE);
                self.dead = true;
            }
            Operator::Drop => {
                self.pop();
            }
            Operator::I32Const { value } => self.stack.push(Val::Const(value as u32)),
            Operator::I64Const { value } => self.stack.push(Val::Const64(value as u64)),
            Operator::LocalGet { local_index } => {
                let x = local_index as usize;
                let v = Val::in_slot(self.local_slot[x], self.local_wide[x]);
                self.stack.push(v)
            }
            Operator::LocalSet { local_index } => self.local_set(local_index, false),
            Operator::LocalTee { local_index } => self.local_set(local_index, true),
            Operator::I32Add => self.binop(Op::Add, true),
            Operator::I32Sub => self.binop(Op::Sub, false),
            Operator::I32Mul => self.binop(Op::Mul, true),
            Operator::I32And => self.binop(Op::And, true),
            Operator::I32Or => self.binop(Op::Or, true),
            Operator::I32Xor => self.binop(Op::Xor, true),
            Operator::I32DivU => self.binop(Op::DivU, false),
            Operator::I32RemU => self.binop(Op::RemU, false),
            Operator::I32Eq => self.binop(Op::Eq, true),
            Operator::I32Ne => self.binop(Op::Ne, true),
            Operator::I32Eqz => {
                self.stack.push(Val::Const(0));
                self.binop(Op::Eq, true)
            }
            Operator::I32LtU => self.binop(Op::LtU, false),
            Operator::I32GeU => self.binop(Op::GeU, false),
            Operator::I32LtS => self.binop(Op::LtS, false),
            Operator::I32GeS => self.binop(Op::GeS, false),
            Operator::I32GtU => self.swapped_cmp(true, false),
            Operator::I32LeU => self.swapped_cmp(false, false),
            Operator::I32GtS => self.swapped_cmp(true, true),
            Operator::I32LeS => self.swapped_cmp(false, true),
            Operator::I32Shl => self.shift_u(true),
            Operator::I32ShrU => self.shift_u(false),
            Operator::I32Rotl => self.binop(Op::Rotl, false),
            Operator::I32Rotr => self.binop(Op::Rotr, false),
            Operator::I32ShrS => self.shr_s(),
            Operator::I32DivS => self.div_rem_s(true),
            Operator::I32RemS => self.div_rem_s(false),
            Operator::I32Popcnt | Operator::I32Ctz | Operator::I32Clz => self.bitcount(&op),
            Operator::I32Extend8S => self.extend_s(8),
            Operator::I32Extend16S => self.extend_s(16),
            Operator::I32WrapI64 => self.wrap(),
            Operator::I64ExtendI32S => self.extend_i32(true),
            Operator::I64ExtendI32U => self.extend_i32(false),
            Operator::I64Extend8S => self.extend64(8),
            Operator::I64Extend16S => self.extend64(16),
            Operator::I64Extend32S => self.extend64(32),
            Operator::I64Clz => self.bitcount64(Helper::Clz),
            Operator::I64Ctz => self.bitcount64(Helper::Ctz),
            Operator::I64Popcnt => self.bitcount64(Helper::Popcnt),
            Operator::I64Eqz => self.eqz64(false),
            Operator::I64Add => self.add64(),
            Operator::I64Sub => self.sub64(),
            Operator::I64Mul => self.mul64(),
            Operator::I64DivS => self.divrem64(true, false),
            Operator::I64DivU => self.divrem64(false, false),
            Operator::I64RemS => self.divrem64(true, true),
            Operator::I64RemU => self.divrem64(false, true),
            Operator::I64And => self.bitwise64(Op::And),
            Operator::I64Or => self.bitwise64(Op::Or),
            Operator::I64Xor => self.bitwise64(Op::Xor),
            Operator::I64Shl => self.shift64(Shift::Shl),
            Operator::I64ShrS => self.shift64(Shift::ShrS),
            Operator::I64ShrU => self.shift64(Shift::ShrU),
            Operator::I64Rotl => self.shift64(Shift::Rotl),
            Operator::I64Rotr => self.shift64(Shift::Rotr),
            Operator::I64Eq => self.eq64(false),
            Operator::I64Ne => self.eq64(true),
            Operator::I64LtS => self.cmp64(Rel::Lt, true),
            Operator::I64LtU => self.cmp64(Rel::Lt, false),
            Operator::I64GtS => self.cmp64(Rel::Gt, true),
            Operator::I64GtU => self.cmp64(Rel::Gt, false),
            Operator::I64LeS => self.cmp64(Rel::Le, true),
            Operator::I64LeU => self.cmp64(Rel::Le, false),
            Operator::I64GeS => self.cmp64(Rel::Ge, true),
            Operator::I64GeU => self.cmp64(Rel::Ge, false),
            Operator::I32Load { memarg } => self.load(Op::I32Load, memarg),
            Operator::I32Load8S { memarg } => self.load(Op::I32Load8S, memarg),
            Operator::I32Load8U { memarg } => self.load(Op::I32Load8U, memarg),
            Operator::I32Load16S { memarg } => self.load(Op::I32Load16S, memarg),
            Operator::I32Load16U { memarg } => self.load(Op::I32Load16U, memarg),
            Operator::I64Load { memarg } => self.load64(Load64::Full, memarg),
            Operator::I64Load8S { memarg } => self.load64(Load64::Signed(Op::I32Load8S), memarg),
            Operator::I64Load8U { memarg } => self.load64(Load64::Unsigned(Op::I32Load8U), memarg),
            Operator::I64Load16S { memarg } => self.load64(Load64::Signed(Op::I32Load16S), memarg),
            Operator::I64Load16U { memarg } => {
                self.load64(Load64::Unsigned(Op::I32Load16U), memarg)
            }
            Operator::I64Load32S { memarg } => self.load64(Load64::Signed(Op::I32Load), memarg),
            Operator::I64Load32U { memarg } => self.load64(Load64::Unsigned(Op::I32Load), memarg),
            Operator::I32Store { memarg } => self.store(Op::I32Store, memarg, None),
            Operator::I32Store8 { memarg } => self.store(Op::I32Store8, memarg, None),
            Operator::I32Store16 { memarg } => self.store(Op::I32Store16, memarg, None),
            Operator::I64Store { memarg } => self.store(Op::I32Store, memarg, Some(8)),
            Operator::I64Store8 { memarg } => self.store(Op::I32Store8, memarg, Some(1)),
            Operator::I64Store16 { memarg } => self.store(Op::I32Store16, memarg, Some(2)),
            Operator::I64Store32 { memarg } => self.store(Op::I32Store, memarg, Some(4)),
            Operator::MemorySize { .. } => self.memory_size(),
            Operator::MemoryGrow { .. } => self.memory_grow(),
            Operator::MemoryFill { .. } if self.own_memory => self.memory_fill(),
            Operator::MemoryCopy { .. } if self.own_memory => self.memory_copy(),
            Operator::MemoryFill { .. } => self.bulk(Op::MemoryFill, 3, 0, 0, 0),
            Operator::MemoryCopy { .. } => self.bulk(Op::MemoryCopy, 3, 0, 0, 0),
            Operator::MemoryInit { data_index, .. } => self.memory_init(data_index),
            Operator::DataDrop { data_index } => self.data_drop(data_index),
            Operator::GlobalGet { global_index } => self.global_get(global_index),
            Operator::GlobalSet { global_index } => self.global_set(global_index),
            Operator::TableGet { table } => self.table_get(table),
            Operator::TableSet { table } => self.table_set(table),
            Operator::TableSize { table } => self.table_size(table),
            Operator::TableGrow { table } => self.table_grow(table),
            Operator::TableFill { table } => self.table_fill(table),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => self.table_copy(dst_table, src_table),
            Operator::TableInit { elem_index, table } => self.table_init(table, elem_index),
            Operator::ElemDrop { elem_index } => self.elem_drop(elem_index),
            Operator::RefNull { .. } => self.stack.push(Val::Const(0)),
            Operator::RefIsNull => {
                self.stack.push(Val::Const(0));
                self.binop(Op::Eq, true)
            }
            Operator::RefFunc { function_index } => self.ref_func(function_index),
            Operator::Select | Operator::TypedSelect { .. } => self.select(),
            Operator::Block { blockty } => self.block(blockty)?,
            Operator::Loop { blockty } => self.loop_(blockty)?,
            Operator::If { blockty } => self.if_(blockty)?,
            Operator::Else => self.else_(false),
            Operator::End => self.end(false),
            Operator::Br { relative_depth } => self.br(relative_depth),
            Operator::BrIf { relative_depth } => self.br_if(relative_depth),
            Operator::BrTable { targets } => self.br_table(targets)?,
            Operator::Return => self.return_(),
            Operator::Call { function_index } => self.call(function_index),
            Operator::CallIndirect {
                type_index,
                table_index,
            } => self.call_indirect(type_index, table_index)?,
            other => return Err(self.unsupported(&other)),
        }
        Ok(())
    }
}

/// Floating-point and SIMD operators (including conversions from and to floats), which
/// Gloam refuses.
fn is_float_or_simd(op: &Operator) -> bool {
    let name = format!("{op:?}");
    let head = name.split([' ', '{']).next().unwrap_or("");
    ["F32", "F64", "V128", "x16", "x8", "x4", "x2"]
        .iter()
        .any(|p| head.contains(p))
}
