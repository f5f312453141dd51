//! The buses' multiplicity columns (`M_RANGE`, `M_BIT`, `M_POW`, `M_PROG`), counted from the
//! lookups the bus declarations of `gloam_air::buses` make on each row, so a lookup added to a
//! bus is counted without a second list here.

use gloam_air::buses::{bitwise, pow2, range};
use gloam_air::columns::*;
use gloam_air::constraints::Row;
use gloam_air::field::{Felt, FieldElement};
use rayon::prelude::*;

/// How often each table entry is looked up.
struct Counts {
    range: Vec<u64>,
    bit: Vec<u64>,
    pow: Vec<u64>,
    /// Grown to the highest pc looked up (below the trace length).
    prog: Vec<u64>,
    rows: usize,
}

impl Counts {
    fn new(n: usize) -> Self {
        Counts {
            range: vec![0; BYTE_TABLE_LEN],
            bit: vec![0; BYTE_TABLE_LEN],
            pow: vec![0; POW_TABLE_LEN],
            prog: Vec::new(),
            rows: n,
        }
    }

    fn merge(mut self, mut other: Counts) -> Counts {
        let add = |a: &mut Vec<u64>, b: Vec<u64>| a.iter_mut().zip(b).for_each(|(x, y)| *x += y);
        add(&mut self.range, other.range);
        add(&mut self.bit, other.bit);
        add(&mut self.pow, other.pow);
        if self.prog.len() < other.prog.len() {
            std::mem::swap(&mut self.prog, &mut other.prog);
        }
        add(&mut self.prog, other.prog);
        self
    }

    /// Counts the lookups of transition `r`.
    fn row(&mut self, r: &Row<Felt>) {
        let byte_pair = |m: &mut Vec<u64>, x: Felt, y: Felt| {
            let (x, y) = (x.as_int(), y.as_int());
            if x < 256 && y < 256 {
                m[(x * 256 + y) as usize] += 1;
            }
        };
        for [x, y] in range::word_bytes(r)
            .into_iter()
            .chain(range::gap_bytes(r))
            .chain(range::table_gap_bytes(r))
        {
            byte_pair(&mut self.range, x, y);
        }
        let (m, [x, y]) = range::carry_distance_bytes(r);
        if m == Felt::ONE {
            byte_pair(&mut self.range, x, y);
        }
        for [x, y, _, _] in bitwise::lanes(r) {
            byte_pair(&mut self.bit, x, y);
        }
        let (m, [s, right, _]) = pow2::lookup(r);
        if m != Felt::ZERO {
            // Entry `k` is (k mod 32, k div 32, 2^..): the amount must be below 32.
            let (s, right) = (s.as_int(), right.as_int());
            if s < 32 && right < 2 {
                self.pow[(s + 32 * right) as usize] += m.as_int();
            }
        }
        // The program table's entry `pc` is the instruction at `pc` (the lookup's first field).
        let pc = r.c(PC).as_int() as usize;
        if pc < self.rows {
            if pc >= self.prog.len() {
                self.prog.resize(pc + 1, 0);
            }
            self.prog[pc] += 1;
        }
    }
}

/// Derives the LogUp multiplicity columns (`M_RANGE`, `M_BIT`, `M_POW`, `M_PROG`) from the
/// rest of the trace: how often each table entry is looked up on rows `0..n-1` (the last row's
/// lookups are not part of the argument). Lookups of tuples that are not table entries (bytes
/// of 256 or more, shift amounts of 32 or more) cannot be counted and are skipped: such a trace
/// cannot satisfy the AIR.
pub fn fill_multiplicities(columns: &mut [Vec<Felt>]) {
    let n = columns[0].len();
    const CHUNK: usize = 1 << 14;
    // Rows are copied a block at a time, column by column (sequential reads), into a
    // row-major buffer; lookups read the current row only, so `nxt` stays zero.
    const BLOCK: usize = 256;
    let counts = (0..(n - 1).div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let mut counts = Counts::new(n);
            let width = columns.len();
            let nxt = vec![Felt::ZERO; width];
            let mut block = vec![Felt::ZERO; BLOCK * width];
            let end = ((c + 1) * CHUNK).min(n - 1);
            for start in (c * CHUNK..end).step_by(BLOCK) {
                let rows = (end - start).min(BLOCK);
                for (col, column) in columns.iter().enumerate() {
                    for (i, v) in column[start..start + rows].iter().enumerate() {
                        block[i * width + col] = *v;
                    }
                }
                for cur in block.chunks_exact(width).take(rows) {
                    counts.row(&Row { cur, nxt: &nxt });
                }
            }
            counts
        })
        .reduce(|| Counts::new(n), Counts::merge);
    for col in MULTIPLICITY.range() {
        columns[col].iter_mut().for_each(|v| *v = Felt::ZERO);
    }
    for (e, (mr, mb)) in counts.range.into_iter().zip(counts.bit).enumerate() {
        columns[M_RANGE + e % BYTE_K][e / BYTE_K] = Felt::new(mr);
        columns[M_BIT + e % BYTE_K][e / BYTE_K] = Felt::new(mb);
    }
    for (k, m) in counts.pow.into_iter().enumerate() {
        columns[M_POW][k] = Felt::new(m);
    }
    for (pc, m) in counts.prog.into_iter().enumerate() {
        columns[M_PROG][pc] = Felt::new(m);
    }
}
