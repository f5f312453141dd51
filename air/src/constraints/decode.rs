//! Instruction decoding: the opcode flags are boolean and one-hot, so the opcode the program
//! lookup ([`crate::logup`]) sees, `sum_k k * flag_k`, is exactly one opcode with a flag.
//! `Trap` has no flag: no valid trace executes it. Operand `B` equals the immediate when the
//! instruction says so.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// 38 flag booleans, one-hot, `b_imm` boolean, `B = imm` under `b_imm`.
pub const CONSTRAINTS: &[Spec] = &[
    ("flag_bool_add", 2),
    ("flag_bool_sub", 2),
    ("flag_bool_mul", 2),
    ("flag_bool_shl", 2),
    ("flag_bool_shr_u", 2),
    ("flag_bool_rotl", 2),
    ("flag_bool_rotr", 2),
    ("flag_bool_div_u", 2),
    ("flag_bool_rem_u", 2),
    ("flag_bool_and", 2),
    ("flag_bool_or", 2),
    ("flag_bool_xor", 2),
    ("flag_bool_eq", 2),
    ("flag_bool_ne", 2),
    ("flag_bool_lt_u", 2),
    ("flag_bool_ge_u", 2),
    ("flag_bool_lt_s", 2),
    ("flag_bool_ge_s", 2),
    ("flag_bool_mulhu", 2),
    ("flag_bool_const", 2),
    ("flag_bool_cmov", 2),
    ("flag_bool_jmp", 2),
    ("flag_bool_brz", 2),
    ("flag_bool_brnz", 2),
    ("flag_bool_jtab", 2),
    ("flag_bool_call", 2),
    ("flag_bool_ret", 2),
    ("flag_bool_halt", 2),
    ("flag_bool_global_get", 2),
    ("flag_bool_global_set", 2),
    ("flag_bool_i32_load", 2),
    ("flag_bool_i32_load8_s", 2),
    ("flag_bool_i32_load8_u", 2),
    ("flag_bool_i32_load16_s", 2),
    ("flag_bool_i32_load16_u", 2),
    ("flag_bool_i32_store", 2),
    ("flag_bool_i32_store8", 2),
    ("flag_bool_i32_store16", 2),
    ("flags_one_hot", 1),
    ("b_imm_bool", 2),
    ("b_is_imm", 2),
];

const _: () = assert!(CONSTRAINTS.len() == Op::NUM_FLAGS + 3);

/// The opcode value the flags encode: `sum_k k * flag_k`.
pub fn opcode<E: FieldElement<BaseField = Felt>>(r: &Row<E>) -> E {
    let mut acc = E::ZERO;
    for i in 0..Op::NUM_FLAGS {
        acc += r.c(FLAGS + i) * E::from((i + 1) as u32);
    }
    acc
}

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let mut sum = E::ZERO;
    for i in 0..Op::NUM_FLAGS {
        let f = r.c(FLAGS + i);
        s.push(f * (f - E::ONE));
        sum += f;
    }
    s.push(sum - E::ONE);
    let bimm = r.c(BIMM);
    s.push(bimm * (bimm - E::ONE));
    s.push(bimm * (r.b() - r.c(IMM)));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use gloam_isa::Op;

    #[test]
    fn one_flag_holds_two_flags_do_not() {
        let mut r = Rows::new(Op::Add);
        r.holds("decode");
        r.set(flag(Op::Sub), 1);
        r.rejected_by("decode", "flags_one_hot");
    }

    #[test]
    fn immediate_operand_must_equal_imm() {
        let mut r = Rows::new(Op::Add);
        r.set(BIMM, 1).set(IMM, 7).abc(1, 7, 8);
        r.holds("decode");
        r.set(VAL_B, 8);
        r.rejected_by("decode", "b_is_imm");
    }
}
