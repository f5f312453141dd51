//! The buses' declarations: the derived packing, and a tiny balanced multiset per bus.

use std::collections::BTreeMap;

use super::*;
use crate::columns::*;
use crate::field::FieldElement;
use crate::logup::{self, PACKING};
use gloam_isa::{Instr, Op};

/// The derived packing of the 39 fractions (pinned: a change regroups the helper columns and
/// changes every proof).
#[test]
fn packing_reproduces_the_helper_columns() {
    let groups: Vec<Vec<usize>> = PACKING.groups().map(|g| g.to_vec()).collect();
    let expected: Vec<Vec<usize>> = vec![
        vec![0, 1, 2, 3],
        vec![4, 5, 6, 7],
        vec![8, 9, 10, 11],
        vec![12, 13, 14, 15],
        vec![16, 17, 18, 19],
        vec![20, 21, 22, 23],
        vec![24, 25, 26, 27],
        vec![28, 29, 30],
        vec![31, 32, 33, 34],
        vec![35, 36, 37, 38],
    ];
    assert_eq!(groups, expected);
    let buses: Vec<&str> = FRACTIONS.iter().map(|f| f.bus.name()).collect();
    assert_eq!(
        buses,
        [
            "program", "range", "range", "memory", "memory", "memory", "memory", "memory",
            "memory", "memory", "memory", "memory", "memory", "carry", "carry", "range", "range",
            "range", "range", "range", "range", "range", "range", "range", "bitwise", "bitwise",
            "bitwise", "bitwise", "pow2", "program", "pow2", "range", "range", "range", "range",
            "bitwise", "bitwise", "bitwise", "bitwise",
        ]
    );
    assert_eq!((logup::NUM_HELPERS, logup::AUX_WIDTH), (10, 11));
}

/// Aux degrees: seven helpers of four lookups (5), the helper of the pow2 lookup and the
/// program and pow2 table entries (2 + two cycles), the two byte-table helpers (1 + four cycles), the running sum (2).
#[test]
fn aux_degrees_follow_the_groups() {
    let d = logup::aux_degrees(64);
    assert_eq!(d.len(), logup::AUX_WIDTH);
    let expected = [
        winterfell::TransitionConstraintDegree::new(5),
        winterfell::TransitionConstraintDegree::with_cycles(2, vec![64, POW_TABLE_LEN]),
        winterfell::TransitionConstraintDegree::with_cycles(1, vec![BYTE_PERIOD; 4]),
        winterfell::TransitionConstraintDegree::new(2),
    ];
    for helper in &d[..7] {
        assert_eq!(*helper, expected[0]);
    }
    assert_eq!(d[7], expected[1]);
    assert_eq!(
        (d[8].clone(), d[9].clone()),
        (expected[2].clone(), expected[2].clone())
    );
    assert_eq!(d[10], expected[3]);
}

/// One `const` row writing 5 to slot 0 (address `IDX = 0`): each bus balances when the
/// row's table side (periodic values chosen to match, multiplicities set) agrees with its
/// lookups, and stops balancing when one value is forged.
struct Tiny {
    cur: Vec<Felt>,
    nxt: Vec<Felt>,
    per: Vec<Felt>,
}

impl Tiny {
    fn new() -> Self {
        let f = |v: u64| Felt::new(v);
        let (mut cur, mut nxt) = (vec![Felt::ZERO; MAIN_WIDTH], vec![Felt::ZERO; MAIN_WIDTH]);
        let mut per = vec![Felt::ZERO; periodic::WIDTH];
        // Instruction `const c=0, 5` at pc 3, looked up once in the program table.
        cur[PC] = f(3);
        encode_op(&mut cur, Op::Const);
        cur[IMM] = f(5);
        let ins = Instr::new(Op::Const);
        per[periodic::PROG] = f(3);
        per[periodic::PROG + 1] = f(crate::decoder::code(ins.op));
        per[periodic::PROG + 6] = f(5);
        cur[M_PROG] = f(1);
        // Memory: consume (0, 0, 0), produce (0, 5, 3); the table produces (0, 0, 0) and
        // consumes the final (0, 5, 3).
        cur[VAL_C] = f(5);
        cur[FVAL] = f(5);
        cur[FTS] = f(3);
        // Gap of the write: ts 3 - 0 - 1 = 2, looked up as (2, 0); the nine other range
        // lookups are (0, 0).
        cur[D + 2 * GAP_BYTES] = f(2);
        // Lanes (x, y) = (1, 2), (3, 3), (0, 0), (0, 0).
        for (i, (x, y)) in [(1u64, 2u64), (3, 3), (0, 0), (0, 0)]
            .into_iter()
            .enumerate()
        {
            cur[X + i] = f(x);
            cur[Y + i] = f(y);
            cur[Z + i] = f(x & y);
            cur[W + i] = f(x ^ y);
        }
        // The row's four byte-table slots (shared by range and bitwise) and the next row's
        // multiplicities: range (0, 0) x9, (2, 0) x1; bitwise (1, 2), (3, 3), (0, 0) x2.
        let slots = [(1u64, 2u64), (3, 3), (0, 0), (2, 0)];
        for (j, (x, y)) in slots.into_iter().enumerate() {
            for (c, v) in [x, y, x & y, x ^ y].into_iter().enumerate() {
                per[periodic::BYTE + 4 * j + c] = f(v);
            }
        }
        for (j, (m_range, m_bit)) in [(0, 1), (0, 1), (9, 2), (1, 0)].into_iter().enumerate() {
            nxt[M_RANGE + j] = f(m_range);
            nxt[M_BIT + j] = f(m_bit);
        }
        Tiny { cur, nxt, per }
    }

    /// `sum num / den` per bus (fixed challenges).
    fn sums(&self) -> BTreeMap<Bus, Felt> {
        let ch = Challenges::<Felt>::new(&[Felt::new(0x1234_5678_9abc), Felt::new(0x0fed_cba9)]);
        let fr = fractions(&self.cur, &self.nxt, &self.per, &ch);
        let mut sums = BTreeMap::new();
        for (f, (num, den)) in FRACTIONS.iter().zip(fr) {
            *sums.entry(f.bus).or_insert(Felt::ZERO) += num / den;
        }
        sums
    }

    fn unbalanced(&self) -> Vec<Bus> {
        let s = self.sums();
        Bus::ALL
            .into_iter()
            .filter(|b| s[b] != Felt::ZERO)
            .collect()
    }
}

#[test]
fn tiny_multisets_balance() {
    assert_eq!(Tiny::new().unbalanced(), vec![]);
}

#[test]
fn each_forgery_unbalances_its_bus() {
    let forge = |col: usize, v: u64, next: bool| {
        let mut t = Tiny::new();
        if next {
            t.nxt[col] = Felt::new(v);
        } else {
            t.cur[col] = Felt::new(v);
        }
        t.unbalanced()
    };
    assert_eq!(forge(IMM, 6, false), vec![Bus::Program]);
    assert_eq!(forge(D + 2 * GAP_BYTES, 3, false), vec![Bus::Range]);
    assert_eq!(forge(M_RANGE + 3, 2, true), vec![Bus::Range]);
    assert_eq!(forge(Z, 1, false), vec![Bus::Bitwise]);
    assert_eq!(forge(FVAL, 6, false), vec![Bus::Memory]);
    assert_eq!(forge(M_POW, 1, false), vec![Bus::Pow2]);
}

/// Every fraction's numerator and denominator have the degrees its declaration states (the
/// packing into helper columns and the auxiliary constraint degrees are derived from them),
/// measured along random lines through the space of (current, next) rows.
#[test]
fn declared_fraction_degrees_are_the_degrees() {
    use crate::constraints::tests::{degree_from_values, random_line};
    const POINTS: usize = 8;
    // A middle segment: its carry-out is produced (the last segment's is zero).
    let ch = Challenges::<Felt>::new(&[Felt::new(0x1234_5678_9abc), Felt::new(0x0fed_cba9)])
        .for_segment(1, false);
    let per: Vec<Felt> = (0..periodic::WIDTH as u64)
        .map(|i| Felt::new(3 * i + 1))
        .collect();
    for seed in [7u64, 0xdead_beef] {
        let line = random_line(2 * MAIN_WIDTH, seed, POINTS);
        let evals: Vec<_> = line
            .iter()
            .map(|row| fractions(&row[..MAIN_WIDTH], &row[MAIN_WIDTH..], &per, &ch))
            .collect();
        for (i, f) in FRACTIONS.iter().enumerate() {
            let nums: Vec<Felt> = evals.iter().map(|e| e[i].0).collect();
            let dens: Vec<Felt> = evals.iter().map(|e| e[i].1).collect();
            assert_eq!(
                degree_from_values(&nums),
                f.num_degree,
                "{}: numerator",
                f.name
            );
            assert_eq!(
                degree_from_values(&dens),
                f.den_degree(),
                "{}: denominator",
                f.name
            );
        }
    }
}
