//! Program bus (tag 2): every row looks up its instruction `(PC, op, BIMM, OFF_A, OFF_B,
//! OFF_C, IMM)` — with `op` the decoder code of the row's group flag and sub-op bits
//! ([`crate::constraints::decode::opcode`], [`crate::decoder::code`]) — in
//! the program table, 7 periodic columns of period `P = next_pow2(len + 1)` that the verifier
//! builds from the program, weighted by `M_PROG` (entry `IDX mod P`). Padding entries are
//! `trap`, whose code 0 no row's flags produce.

use super::{Bus, Declaration, Fraction, FractionSink, Period};
use crate::columns::{periodic, *};
use crate::constraints::{decode, Row};
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;
use gloam_isa::{Instr, Op, Program};

/// The instruction lookup, one per row.
pub struct Instruction;
/// The program table: one entry per row, weighted by `M_PROG`.
pub struct Table;

/// The instruction tuple a row looks up (multiplicity 1).
#[inline(always)]
pub fn lookup<F: FieldElement<BaseField = Felt>>(r: &Row<F>) -> [F; periodic::PROG_COLS] {
    [
        r.c(PC),
        decode::opcode(r),
        r.c(BIMM),
        r.c(OFF_A),
        r.c(OFF_B),
        r.c(OFF_C),
        r.c(IMM),
    ]
}

impl Declaration for Instruction {
    const FRACTIONS: &'static [Fraction] = &[Fraction::lookup(Bus::Program, "instruction", 0)];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, _periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        s.push(E::ONE, ch.den(Bus::Program.tag(), &lookup(r)));
    }
}

impl Declaration for Table {
    const FRACTIONS: &'static [Fraction] = &[Fraction::table(
        Bus::Program,
        "table_entry",
        Period::Program,
    )];

    #[inline(always)]
    fn eval<F, E>(r: &Row<F>, periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
    {
        let table = &periodic[periodic::PROG_TABLE.range()];
        s.push(-E::from(r.c(M_PROG)), ch.den(Bus::Program.tag(), table));
    }
}

/// The program table ([`periodic::PROG_TABLE`]): `7 x p` columns pc, opcode, b_imm, a, b, c,
/// imm of `program` padded with `trap` to its period `p`.
pub fn table_columns(program: &Program, p: usize) -> Vec<Vec<Felt>> {
    let mut cols: Vec<Vec<Felt>> = (0..periodic::PROG_COLS)
        .map(|_| Vec::with_capacity(p))
        .collect();
    for pc in 0..p {
        // Padding entries are `trap` (decoder code 0): they can never be looked up.
        let ins = program
            .instrs
            .get(pc)
            .copied()
            .unwrap_or(Instr::new(Op::Trap));
        let vals = [
            pc as u64,
            crate::decoder::code(ins.op),
            ins.b_imm as u64,
            ins.a as u64,
            ins.b as u64,
            ins.c as u64,
            ins.imm as u64,
        ];
        for (c, v) in cols.iter_mut().zip(vals) {
            c.push(Felt::new(v));
        }
    }
    cols
}
