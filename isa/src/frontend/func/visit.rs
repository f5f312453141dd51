//! The operator dispatch: each WebAssembly operator to the lowering that handles it. Float
//! and SIMD operators are refused here; in unreachable code only the nesting is tracked.

use wasmparser::Operator;

use super::stack::Val;
use super::FnLowerer;
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
                let wide = self.local_wide[local_index as usize];
                self.stack.push(Val::in_slot(local_index, wide))
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
            Operator::I32Extend8S => self.unop(Op::I32Extend8S, false),
            Operator::I32Extend16S => self.unop(Op::I32Extend16S, false),
            Operator::I32WrapI64 => self.unop(Op::I32WrapI64, false),
            Operator::I64ExtendI32S => self.unop(Op::I64Extend32S, true),
            Operator::I64ExtendI32U => self.unop(Op::I64ExtendI32U, true),
            Operator::I64Extend8S => self.unop(Op::I64Extend8S, true),
            Operator::I64Extend16S => self.unop(Op::I64Extend16S, true),
            Operator::I64Extend32S => self.unop(Op::I64Extend32S, true),
            Operator::I64Clz => self.unop(Op::I64Clz, true),
            Operator::I64Ctz => self.unop(Op::I64Ctz, true),
            Operator::I64Popcnt => self.unop(Op::I64Popcnt, true),
            Operator::I64Eqz => self.unop(Op::I64Eqz, false),
            Operator::I64Add => self.binop64(Op::I64Add, true),
            Operator::I64Sub => self.binop64(Op::I64Sub, false),
            Operator::I64Mul => self.binop64(Op::I64Mul, true),
            Operator::I64DivS => self.binop64(Op::I64DivS, false),
            Operator::I64DivU => self.binop64(Op::I64DivU, false),
            Operator::I64RemS => self.binop64(Op::I64RemS, false),
            Operator::I64RemU => self.binop64(Op::I64RemU, false),
            Operator::I64And => self.binop64(Op::I64And, true),
            Operator::I64Or => self.binop64(Op::I64Or, true),
            Operator::I64Xor => self.binop64(Op::I64Xor, true),
            Operator::I64Shl => self.binop64(Op::I64Shl, false),
            Operator::I64ShrS => self.binop64(Op::I64ShrS, false),
            Operator::I64ShrU => self.binop64(Op::I64ShrU, false),
            Operator::I64Rotl => self.binop64(Op::I64Rotl, false),
            Operator::I64Rotr => self.binop64(Op::I64Rotr, false),
            Operator::I64Eq => self.binop64(Op::I64Eq, true),
            Operator::I64Ne => self.binop64(Op::I64Ne, true),
            Operator::I64LtS => self.binop64(Op::I64LtS, false),
            Operator::I64LtU => self.binop64(Op::I64LtU, false),
            Operator::I64GtS => self.binop64(Op::I64GtS, false),
            Operator::I64GtU => self.binop64(Op::I64GtU, false),
            Operator::I64LeS => self.binop64(Op::I64LeS, false),
            Operator::I64LeU => self.binop64(Op::I64LeU, false),
            Operator::I64GeS => self.binop64(Op::I64GeS, false),
            Operator::I64GeU => self.binop64(Op::I64GeU, false),
            Operator::I32Load { memarg } => self.load(Op::I32Load, memarg, false),
            Operator::I32Load8S { memarg } => self.load(Op::I32Load8S, memarg, false),
            Operator::I32Load8U { memarg } => self.load(Op::I32Load8U, memarg, false),
            Operator::I32Load16S { memarg } => self.load(Op::I32Load16S, memarg, false),
            Operator::I32Load16U { memarg } => self.load(Op::I32Load16U, memarg, false),
            Operator::I64Load { memarg } => self.load(Op::I64Load, memarg, true),
            Operator::I64Load8S { memarg } => self.load(Op::I64Load8S, memarg, true),
            Operator::I64Load8U { memarg } => self.load(Op::I64Load8U, memarg, true),
            Operator::I64Load16S { memarg } => self.load(Op::I64Load16S, memarg, true),
            Operator::I64Load16U { memarg } => self.load(Op::I64Load16U, memarg, true),
            Operator::I64Load32S { memarg } => self.load(Op::I64Load32S, memarg, true),
            Operator::I64Load32U { memarg } => self.load(Op::I64Load32U, memarg, true),
            Operator::I32Store { memarg } => self.store(Op::I32Store, memarg),
            Operator::I32Store8 { memarg } => self.store(Op::I32Store8, memarg),
            Operator::I32Store16 { memarg } => self.store(Op::I32Store16, memarg),
            Operator::I64Store { memarg } => self.store(Op::I64Store, memarg),
            Operator::I64Store8 { memarg } => self.store(Op::I64Store8, memarg),
            Operator::I64Store16 { memarg } => self.store(Op::I64Store16, memarg),
            Operator::I64Store32 { memarg } => self.store(Op::I64Store32, memarg),
            Operator::MemorySize { .. } => self.memory_size(),
            Operator::MemoryGrow { .. } => self.memory_grow(),
            Operator::MemoryFill { .. } => self.bulk(Op::MemoryFill, 3, 0, 0, 0),
            Operator::MemoryCopy { .. } => self.bulk(Op::MemoryCopy, 3, 0, 0, 0),
            Operator::MemoryInit { data_index, .. } => {
                self.bulk(Op::MemoryInit, 3, 0, 0, data_index)
            }
            Operator::DataDrop { data_index } => self.data_drop(data_index),
            Operator::GlobalGet { global_index } => self.global_get(global_index),
            Operator::GlobalSet { global_index } => self.global_set(global_index),
            Operator::TableGet { table } => self.table_get(table),
            Operator::TableSet { table } => self.table_set(table),
            Operator::TableSize { table } => self.table_size(table),
            Operator::TableGrow { table } => self.bulk(Op::TableGrow, 2, 0, 0, table),
            Operator::TableFill { table } => self.bulk(Op::TableFill, 3, 0, 0, table),
            Operator::TableCopy {
                dst_table,
                src_table,
            } => self.bulk(Op::TableCopy, 3, dst_table, src_table, 0),
            Operator::TableInit { elem_index, table } => {
                self.bulk(Op::TableInit, 3, table, elem_index, 0)
            }
            Operator::ElemDrop { elem_index } => self.elem_drop(elem_index),
            Operator::RefNull { .. } => self.stack.push(Val::Const64(0)),
            Operator::RefIsNull => self.unop(Op::I64Eqz, false),
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
