//! Helpers for the families' unit tests: a hand-built transition `(cur, nxt)` and the
//! evaluation of one family on it.

use super::{Row, Sink, FAMILIES};
use crate::columns::*;
use crate::field::{Felt, FieldElement};
use gloam_isa::Op;

/// Two rows of the main trace being built by hand.
#[derive(Clone)]
pub struct Rows {
    /// Current row.
    pub cur: Vec<Felt>,
    /// Next row.
    pub nxt: Vec<Felt>,
}

impl Rows {
    /// A row 5 (not the first) executing `op` at pc 10 with `fp = 100`, whose next row is at
    /// `pc + 1`, with the same `fp` and one more cycle (a sequential instruction).
    pub fn new(op: Op) -> Self {
        let mut r = Rows {
            cur: vec![Felt::ZERO; MAIN_WIDTH],
            nxt: vec![Felt::ZERO; MAIN_WIDTH],
        };
        r.set(IDX, 5)
            .set(CLK, 5)
            .set(PC, 10)
            .set(FP, 100)
            .set(ADDR_B, 100)
            .set(ADDR_C, 100)
            .op(op);
        r.next(IDX, 6).next(CLK, 6).next(PC, 11).next(FP, 100);
        encode_op(&mut r.nxt, Op::Halt);
        r
    }
    /// Makes the current row execute `op`: clears the decoder columns and writes `op`'s
    /// group flag and sub-op bits.
    pub fn op(&mut self, op: Op) -> &mut Self {
        for c in DECODE.range() {
            self.cur[c] = Felt::ZERO;
        }
        encode_op(&mut self.cur, op);
        self
    }
    /// Sets a current-row column.
    pub fn set(&mut self, col: usize, v: u64) -> &mut Self {
        self.cur[col] = Felt::new(v);
        self
    }
    /// Sets a current-row column to a field element.
    pub fn set_felt(&mut self, col: usize, v: Felt) -> &mut Self {
        self.cur[col] = v;
        self
    }
    /// Sets a next-row column.
    pub fn next(&mut self, col: usize, v: u64) -> &mut Self {
        self.nxt[col] = Felt::new(v);
        self
    }
    /// Operands and result `A`, `B`, `C` (and `PREV_B = B`, as for a read).
    pub fn abc(&mut self, a: u64, b: u64, c: u64) -> &mut Self {
        self.set(VAL_A, a)
            .set(VAL_B, b)
            .set(PREV_B, b)
            .set(VAL_C, c)
    }
    /// Writes the four bytes of `U` (`x0, y0, x1, y1`), keeping the lanes' `z`, `w`
    /// consistent.
    pub fn u(&mut self, u: u64) -> &mut Self {
        for (i, col) in [X, Y, X + 1, Y + 1].into_iter().enumerate() {
            self.set(col, (u >> (8 * i)) & 255);
        }
        self.lanes()
    }
    /// Writes the four bytes of `V` (`x2, y2, x3, y3`).
    pub fn v(&mut self, v: u64) -> &mut Self {
        for (i, col) in [X + 2, Y + 2, X + 3, Y + 3].into_iter().enumerate() {
            self.set(col, (v >> (8 * i)) & 255);
        }
        self.lanes()
    }
    /// Writes the four bytes of `W` (`r0..r3`).
    pub fn w(&mut self, w: u64) -> &mut Self {
        for i in 0..4 {
            self.set(R + i, (w >> (8 * i)) & 255);
        }
        self
    }
    /// Recomputes `z = x & y`, `w = x ^ y` of every lane.
    pub fn lanes(&mut self) -> &mut Self {
        for i in 0..4 {
            let (x, y) = (self.cur[X + i].as_int(), self.cur[Y + i].as_int());
            self.set(Z + i, x & y).set(W + i, x ^ y);
        }
        self
    }
    /// Access `j` follows the access at timestamp `pts`: sets `PTS_j` and the gap bytes of
    /// `ts_j - pts - 1`.
    pub fn gap(&mut self, j: usize, pts: u64) -> &mut Self {
        let ts = ACCESSES_PER_ROW as u64 * self.cur[IDX].as_int() + j as u64 + 1;
        let gap = ts - pts - 1;
        self.set([PTS_A, PTS_B, PTS_C, PTS_D][j], pts);
        for i in 0..GAP_BYTES {
            self.set(gap_col(j, i), (gap >> (8 * i)) & 255);
        }
        self
    }
    /// `INV = 1 / x` (0 for 0).
    pub fn inv(&mut self, x: Felt) -> &mut Self {
        let v = if x == Felt::ZERO { x } else { x.inv() };
        self.set_felt(INV, v)
    }

    /// The evaluations of family `name` alone on this transition.
    pub fn eval(&self, name: &str) -> Vec<Felt> {
        let i = FAMILIES
            .iter()
            .position(|f| f.name == name)
            .expect("a family");
        let mut out = vec![Felt::ZERO; FAMILIES[i].constraints.len()];
        let mut s = Sink::new(&mut out);
        super::eval_family(
            i,
            &Row {
                cur: &self.cur,
                nxt: &self.nxt,
            },
            &mut s,
        );
        assert_eq!(s.len(), out.len());
        out
    }

    /// Asserts family `name` holds on this transition.
    pub fn holds(&self, name: &str) {
        let out = self.eval(name);
        let bad: Vec<&str> = failing(name, &out);
        assert!(bad.is_empty(), "{name}: {bad:?} do not hold");
    }

    /// Asserts family `name` rejects this transition, through constraint `constraint`.
    pub fn rejected_by(&self, name: &str, constraint: &str) {
        let out = self.eval(name);
        let bad = failing(name, &out);
        assert!(
            bad.contains(&constraint),
            "{name}: expected `{constraint}` to fail, failing: {bad:?}"
        );
    }
}

fn failing(name: &str, out: &[Felt]) -> Vec<&'static str> {
    let f = FAMILIES.iter().find(|f| f.name == name).expect("a family");
    f.constraints
        .iter()
        .zip(out)
        .filter(|(_, v)| **v != Felt::ZERO)
        .map(|((n, _), _)| *n)
        .collect()
}
