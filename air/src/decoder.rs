//! The instruction decoder's encoding: opcode groups plus sub-op bits.
//!
//! Every provable opcode belongs to one [`Group`] and is told apart from the other opcodes of
//! its group by up to [`OP_BITS`] sub-op bits. A row carries one boolean flag per group
//! (one-hot: [`crate::columns::GROUPS`]) and the sub-op bits ([`crate::columns::OP_BIT`]); the
//! opcode value the program bus looks up is the *decoder code*
//! `4 (group + 1) + b0 + 2 b1` ([`code`]), linear in those columns, which the program
//! table holds for every instruction. So the decoder's columns are tied to groups, not to
//! opcode numbers (`gloam_isa::Op`'s codes are the executor's), and a new opcode costs a
//! column only if it needs a new group.
//!
//! **Why the bits need no constraint besides being boolean.** The group flags are boolean
//! with sum 1 and the bits are boolean, so the looked-up code `4 (g + 1) + b0 + 2 b1`
//! determines the group `g` and both bits; the program bus makes it the code of the
//! instruction at the row's `pc`. Hence on every row the pattern (group, bits) is exactly the
//! encoding of a provable opcode of the program: a group's unused bit patterns, and bits a
//! group does not use, never occur, and the family selectors
//! ([`crate::constraints::Row::f`] and the named selectors beside it) may rely on that.
//!
//! **Groups and properties.** The groups are chosen so that every property the buses and the
//! memory family need as a degree-1 expression is constant within a group: reading slot `a`,
//! having a `B` operand, writing through access `c`, continuing at `pc + 1`, the width of a
//! memory access. Loads and stores share the groups of their width, told apart by bit 0, so
//! "is a load" is `(g_mem4 + g_mem2 + g_mem1)(1 - b0)`, degree 2. A selector of one opcode is
//! its group flag times one literal per bit the group uses: degree 1, 2 or 3, so a family
//! constraint of degree `d` under a one-hot flag is at most `d + 2` under the decoder; every
//! family stays within the LogUp helpers' degree bound 5 (`docs/air.md` §9 lists the
//! groups and each constraint's degree).

use gloam_isa::Op;

/// Number of sub-op bits.
pub const OP_BITS: usize = 2;

/// The opcode groups, in column order.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Group {
    /// `add` (0), `sub` (1).
    Add,
    /// `lt_u` (0), `ge_u` (1), `lt_s` (2), `ge_s` (3): bit 0 negates, bit 1 is signed.
    Cmp,
    /// `eq` (0), `ne` (1).
    Eq,
    /// `mul` (0), `mulhu` (1).
    Mul,
    /// `shl` (0), `shr_u` (1), `rotl` (2), `rotr` (3): bit 0 is right, bit 1 rotates.
    Shift,
    /// `div_u` (0), `rem_u` (1).
    Div,
    /// `and` (0), `or` (1), `xor` (2).
    Bit,
    /// `const` (0), `advice` (1).
    Const,
    /// `cmov`.
    CMov,
    /// `halt` (0), `jmp` (1).
    Jump,
    /// `brnz` (0), `brz` (1), `jtab` (2).
    Branch,
    /// `call`.
    Call,
    /// `ret`.
    Ret,
    /// `global.get`.
    GlobalGet,
    /// `global.set`.
    GlobalSet,
    /// `global.get_at` (0), `global.set_at` (1): a table entry held in global words.
    GlobalAt,
    /// `i32.load` (0), `i32.store` (1).
    Mem4,
    /// `i32.load16_u` (0), `i32.store16` (1), `i32.load16_s` (2): bit 0 stores, bit 1 signs.
    Mem2,
    /// `i32.load8_u` (0), `i32.store8` (1), `i32.load8_s` (2).
    Mem1,
}

/// Number of groups.
pub const NUM_GROUPS: usize = 19;

impl Group {
    /// Every group, in column order.
    pub const ALL: [Group; NUM_GROUPS] = [
        Group::Add,
        Group::Cmp,
        Group::Eq,
        Group::Mul,
        Group::Shift,
        Group::Div,
        Group::Bit,
        Group::Const,
        Group::CMov,
        Group::Jump,
        Group::Branch,
        Group::Call,
        Group::Ret,
        Group::GlobalGet,
        Group::GlobalSet,
        Group::GlobalAt,
        Group::Mem4,
        Group::Mem2,
        Group::Mem1,
    ];

    /// The group's index (its column is `GROUPS + index`).
    pub const fn index(self) -> usize {
        self as usize
    }

    /// Lower-case name (the decode family's constraint names use it).
    pub const fn name(self) -> &'static str {
        match self {
            Group::Add => "add",
            Group::Cmp => "cmp",
            Group::Eq => "eq",
            Group::Mul => "mul",
            Group::Shift => "shift",
            Group::Div => "div",
            Group::Bit => "bit",
            Group::Const => "const",
            Group::CMov => "cmov",
            Group::Jump => "jump",
            Group::Branch => "branch",
            Group::Call => "call",
            Group::Ret => "ret",
            Group::GlobalGet => "global_get",
            Group::GlobalSet => "global_set",
            Group::GlobalAt => "global_at",
            Group::Mem4 => "mem4",
            Group::Mem2 => "mem2",
            Group::Mem1 => "mem1",
        }
    }

    /// Number of sub-op bits the group uses (0, 1 or 2).
    pub const fn bits_used(self) -> usize {
        match self {
            Group::Cmp | Group::Shift | Group::Bit | Group::Branch | Group::Mem2 | Group::Mem1 => 2,
            Group::Add
            | Group::Eq
            | Group::Mul
            | Group::Div
            | Group::Jump
            | Group::GlobalAt
            | Group::Const
            | Group::Mem4 => 1,
            Group::CMov | Group::Call | Group::Ret | Group::GlobalGet | Group::GlobalSet => 0,
        }
    }

    /// A representative opcode: the group's properties ([`Op::reads_a`], ...) are its.
    pub const fn representative(self) -> Op {
        match self {
            Group::Add => Op::Add,
            Group::Cmp => Op::LtU,
            Group::Eq => Op::Eq,
            Group::Mul => Op::Mul,
            Group::Shift => Op::Shl,
            Group::Div => Op::DivU,
            Group::Bit => Op::And,
            Group::Const => Op::Const,
            Group::CMov => Op::CMov,
            Group::Jump => Op::Halt,
            Group::Branch => Op::Brnz,
            Group::Call => Op::Call,
            Group::Ret => Op::Ret,
            Group::GlobalGet => Op::GlobalGet,
            Group::GlobalSet => Op::GlobalSet,
            Group::GlobalAt => Op::GlobalGetAt,
            Group::Mem4 => Op::I32Load,
            Group::Mem2 => Op::I32Load16U,
            Group::Mem1 => Op::I32Load8U,
        }
    }
}

/// An opcode's encoding: its group and its sub-op bits (`b0 + 2 b1`).
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Encoding {
    /// The group.
    pub group: Group,
    /// The sub-op bits, `b0 + 2 b1` (below `2^group.bits_used()`).
    pub bits: u8,
}

impl Encoding {
    /// Sub-op bit `j`.
    pub const fn bit(self, j: usize) -> bool {
        (self.bits >> j) & 1 == 1
    }
}

/// The encoding of a provable opcode; `None` for `trap` and the executor-only opcodes, which
/// no row can execute.
pub const fn encoding(op: Op) -> Option<Encoding> {
    use Group as G;
    let (group, bits) = match op {
        Op::Add => (G::Add, 0),
        Op::Sub => (G::Add, 1),
        Op::LtU => (G::Cmp, 0),
        Op::GeU => (G::Cmp, 1),
        Op::LtS => (G::Cmp, 2),
        Op::GeS => (G::Cmp, 3),
        Op::Eq => (G::Eq, 0),
        Op::Ne => (G::Eq, 1),
        Op::Mul => (G::Mul, 0),
        Op::MulHU => (G::Mul, 1),
        Op::Shl => (G::Shift, 0),
        Op::ShrU => (G::Shift, 1),
        Op::Rotl => (G::Shift, 2),
        Op::Rotr => (G::Shift, 3),
        Op::DivU => (G::Div, 0),
        Op::RemU => (G::Div, 1),
        Op::And => (G::Bit, 0),
        Op::Or => (G::Bit, 1),
        Op::Xor => (G::Bit, 2),
        Op::Const => (G::Const, 0),
        Op::Advice => (G::Const, 1),
        Op::CMov => (G::CMov, 0),
        Op::Halt => (G::Jump, 0),
        Op::Jmp => (G::Jump, 1),
        Op::Brnz => (G::Branch, 0),
        Op::Brz => (G::Branch, 1),
        Op::JTab => (G::Branch, 2),
        Op::Call => (G::Call, 0),
        Op::Ret => (G::Ret, 0),
        Op::GlobalGet => (G::GlobalGet, 0),
        Op::GlobalSet => (G::GlobalSet, 0),
        Op::GlobalGetAt => (G::GlobalAt, 0),
        Op::GlobalSetAt => (G::GlobalAt, 1),
        Op::I32Load => (G::Mem4, 0),
        Op::I32Store => (G::Mem4, 1),
        Op::I32Load16U => (G::Mem2, 0),
        Op::I32Store16 => (G::Mem2, 1),
        Op::I32Load16S => (G::Mem2, 2),
        Op::I32Load8U => (G::Mem1, 0),
        Op::I32Store8 => (G::Mem1, 1),
        Op::I32Load8S => (G::Mem1, 2),
        _ => return None,
    };
    Some(Encoding { group, bits })
}

/// The decoder code of `op`, the opcode value of the program table:
/// `4 (group + 1) + bits` for a provable opcode, 0 (which no row's flags produce, their code
/// being at least 4) for any other.
pub const fn code(op: Op) -> u64 {
    match encoding(op) {
        Some(e) => 4 * (e.group.index() as u64 + 1) + e.bits as u64,
        None => 0,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Exactly the provable opcodes have an encoding, each within its group's bits, no two
    /// alike, and every group has its representative.
    #[test]
    fn encodings_are_distinct_and_cover_the_provable_opcodes() {
        let mut seen = std::collections::HashSet::new();
        for &op in Op::ALL {
            match encoding(op) {
                Some(e) => {
                    assert!(op.is_provable(), "{op:?}");
                    assert!((e.bits as usize) < 1 << e.group.bits_used(), "{op:?}");
                    assert!(seen.insert(code(op)), "{op:?}");
                }
                None => assert!(!op.is_provable(), "{op:?}"),
            }
        }
        for (i, g) in Group::ALL.iter().enumerate() {
            assert_eq!(g.index(), i);
            assert_eq!(encoding(g.representative()).unwrap().group, *g);
        }
    }

    /// The properties the AIR reads off group flags alone are constant within each group;
    /// loads and stores differ only in bit 0.
    #[test]
    fn properties_are_constant_within_groups() {
        for &op in Op::ALL {
            let Some(e) = encoding(op) else { continue };
            let r = e.group.representative();
            assert_eq!(op.reads_a(), r.reads_a(), "{op:?}");
            assert_eq!(op.has_b(), r.has_b(), "{op:?}");
            assert_eq!(op.writes_b(), r.writes_b(), "{op:?}");
            assert_eq!(op.writes_c(), r.writes_c(), "{op:?}");
            assert_eq!(op.is_sequential(), r.is_sequential(), "{op:?}");
            assert_eq!(op.is_shift(), r.is_shift(), "{op:?}");
            assert_eq!(op.mem_width(), r.mem_width(), "{op:?}");
            if op.is_load() || op.is_store() {
                assert_eq!(op.is_store(), e.bit(0), "{op:?}");
            }
        }
    }
}
