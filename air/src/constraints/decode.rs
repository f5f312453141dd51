//! Instruction decoding ([`crate::decoder`]): the group flags are boolean and one-hot, the
//! sub-op bits boolean, so the decoder code the program lookup ([`crate::logup`]) sees,
//! `sum_g 4 (g + 1) flag_g + b0 + 2 b1`, names exactly one group and two bits, which the
//! program bus makes the encoding of the instruction at `pc`. `Trap` has no encoding: no
//! valid trace executes it. Operand `B` equals the immediate when the instruction says so.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::{Group, NUM_GROUPS, OP_BITS};
use crate::field::{k, Felt, FieldElement};

/// 19 group booleans, one-hot, 2 sub-op bit booleans, `b_imm` boolean, `B = imm` under
/// `b_imm`.
pub const CONSTRAINTS: &[Spec] = &[
    ("group_bool_add", 2),
    ("group_bool_cmp", 2),
    ("group_bool_eq", 2),
    ("group_bool_mul", 2),
    ("group_bool_shift", 2),
    ("group_bool_div", 2),
    ("group_bool_bit", 2),
    ("group_bool_const", 2),
    ("group_bool_cmov", 2),
    ("group_bool_jump", 2),
    ("group_bool_branch", 2),
    ("group_bool_call", 2),
    ("group_bool_ret", 2),
    ("group_bool_global_get", 2),
    ("group_bool_global_set", 2),
    ("group_bool_global_at", 2),
    ("group_bool_mem4", 2),
    ("group_bool_mem2", 2),
    ("group_bool_mem1", 2),
    ("groups_one_hot", 1),
    ("op_bit_0_bool", 2),
    ("op_bit_1_bool", 2),
    ("b_imm_bool", 2),
    ("b_is_imm", 2),
];

const _: () = assert!(CONSTRAINTS.len() == NUM_GROUPS + 1 + OP_BITS + 2);

/// The decoder code the row's group flags and bits encode: `sum_g 4 (g + 1) flag_g + b0 +
/// 2 b1` ([`crate::decoder::code`]), degree 1.
pub fn opcode<E: FieldElement<BaseField = Felt>>(r: &Row<E>) -> E {
    let mut acc = E::ZERO;
    for g in Group::ALL {
        acc += r.g(g) * k::<E>(4 * (g.index() as u64 + 1));
    }
    acc + r.bit(0) + r.bit(1) * k::<E>(2)
}

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let mut sum = E::ZERO;
    for g in Group::ALL {
        let f = r.g(g);
        s.push(f * (f - E::ONE));
        sum += f;
    }
    s.push(sum - E::ONE);
    for j in 0..OP_BITS {
        let b = r.bit(j);
        s.push(b * (b - E::ONE));
    }
    let bimm = r.c(BIMM);
    s.push(bimm * (bimm - E::ONE));
    s.push(bimm * (r.b() - r.c(IMM)));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use super::CONSTRAINTS;
    use crate::columns::*;
    use crate::decoder::{Group, OP_BITS};
    use gloam_isa::Op;

    #[test]
    fn constraint_names_follow_the_groups() {
        for g in Group::ALL {
            assert_eq!(CONSTRAINTS[g.index()].0, format!("group_bool_{}", g.name()));
        }
        assert_eq!(OP_BITS, 2);
    }

    #[test]
    fn one_group_holds_two_groups_do_not() {
        let mut r = Rows::new(Op::Add);
        r.holds("decode");
        r.set(group_col(Group::Cmp), 1);
        r.rejected_by("decode", "groups_one_hot");
    }

    #[test]
    fn a_sub_op_bit_must_be_boolean() {
        let mut r = Rows::new(Op::Sub);
        r.holds("decode");
        r.set(OP_BIT, 2);
        r.rejected_by("decode", "op_bit_0_bool");
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
