//! Control flow: row index, first-row indicator, cycle counter, program counter and frame
//! pointer transitions, branch conditions, and the values `call` saves.

use super::{Row, Sink, Spec};
use crate::columns::*;
use crate::decoder::Group;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Constraints of the family.
pub const CONSTRAINTS: &[Spec] = &[
    ("idx_increments", 1),
    ("first_only_on_row_0", 1),
    ("clk_counts_non_halt_rows", 2),
    ("pc_transition", 5),
    ("fp_transition", 2),
    ("branch_inverse", 4),
    ("branch_nonzero", 4),
    ("call_saves_return_pc", 2),
    ("call_saves_fp", 2),
];

/// Evaluates the family.
pub fn eval<E: FieldElement<BaseField = Felt>>(r: &Row<E>, s: &mut Sink<E>) {
    let one = E::ONE;
    s.push(r.n(IDX) - r.c(IDX) - one);
    s.push(r.n(FIRST));
    s.push(r.n(CLK) - r.c(CLK) - one + r.f(Op::Halt));

    let (pc, pc1, imm, kk, a) = (r.c(PC), r.n(PC), r.c(IMM), r.c(K), r.a());
    let seq = r.gset(&super::SEQUENTIAL);
    // k = (A != 0) for branches: taken when k = 0 (brz) or k = 1 (brnz).
    let next_pc = seq * (pc + one)
        + r.f(Op::Jmp) * imm
        + r.f(Op::Brz) * (imm + kk * (pc + one - imm))
        + r.f(Op::Brnz) * (pc + one + kk * (imm - pc - one))
        + r.f(Op::JTab) * (imm + a)
        + r.g(Group::Call) * imm
        + r.g(Group::Ret) * a
        + r.f(Op::Halt) * pc;
    s.push(pc1 - next_pc);

    let (fp, fp1) = (r.c(FP), r.n(FP));
    let (call, ret) = (r.g(Group::Call), r.g(Group::Ret));
    s.push(call * (fp1 - fp - r.c(OFF_A)) + ret * (fp1 - r.b()) + (one - call - ret) * (fp1 - fp));

    // `brz`, `brnz`: the `Branch` group without bit 1 (`jtab`).
    let br = r.g(Group::Branch) * (one - r.bit(1));
    s.push(br * (a * r.c(INV) - kk));
    s.push(br * a * (one - kk));

    s.push(call * (r.res() - pc - one));
    s.push(call * (r.b() - fp));
}

#[cfg(test)]
mod tests {
    use super::super::testing::Rows;
    use crate::columns::*;
    use crate::field::Felt;
    use gloam_isa::Op;

    #[test]
    fn sequential_row_holds_skipped_cycle_does_not() {
        let mut r = Rows::new(Op::Add);
        r.holds("control");
        r.next(CLK, 7);
        r.rejected_by("control", "clk_counts_non_halt_rows");
    }

    #[test]
    fn taken_branch_jumps_to_imm() {
        // brnz on A = 3: k = 1, taken, next pc = imm.
        let mut r = Rows::new(Op::Brnz);
        r.set(VAL_A, 3).set(K, 1).set(IMM, 40).inv(Felt::new(3));
        r.next(PC, 40);
        r.holds("control");
        r.next(PC, 11);
        r.rejected_by("control", "pc_transition");
        // Claiming A = 0 (not taken) needs k = 0, which A (1 - k) = 0 refuses.
        r.set(K, 0);
        r.rejected_by("control", "branch_nonzero");
    }
}
