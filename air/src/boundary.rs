//! Boundary assertions, declared once: [`crate::GloamAir`]'s `get_assertions` and
//! `get_aux_assertions` turn them into `winterfell` assertions, and the row checker
//! ([`crate::check`]) checks the same list by name.
//!
//! Main segment (`7 + results` assertions in the narrow layout, `11 + results` in the wide
//! one, plus one with two results or more there, on a trace of `n` rows): `IDX[0] = 0`,
//! `FIRST[0] = 1`, `CLK[0] = 0`, `PC[0] =` entry pc, `FP[0] = 0`, `PC[n-1] = HALT_PC` (the run
//! halted), `CLK[n-1] =` cycles; the memory table's frame: `TADDR[0] = 0`, `REGION[0] = 0`,
//! `REGION[n-1] = 2`, `TADDR[n-1] = MEM_BASE + memory_words` (so every counted memory word
//! lies below the memory's end); with `r >= 2` results, `TADDR[r-1] = r-1` (so rows `0..r` are the
//! result slots, the table's addresses being strictly increasing from 0) and `FVAL[i] =
//! results[i]`. Auxiliary segment (2): the running sum starts at 0 and ends at
//! [`crate::logup::expected_sum`] of the initial state.

use std::borrow::Cow;

use gloam_isa::HALT_PC;

use crate::air::PublicInputs;
use crate::columns::*;
use crate::field::{Felt, FieldElement};
use crate::logup::{self, Challenges};

/// One main-segment boundary assertion: `column[row] = value`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Boundary {
    /// Main-trace column.
    pub column: usize,
    /// Row.
    pub row: usize,
    /// Required value.
    pub value: Felt,
    /// What it states (the checker reports it).
    pub name: Cow<'static, str>,
}

impl Boundary {
    fn new(column: usize, row: usize, value: Felt, name: &'static str) -> Self {
        Boundary {
            column,
            row,
            value,
            name: Cow::Borrowed(name),
        }
    }
}

/// The main-segment boundary assertions of statement `p` on a trace of `n` rows.
pub fn main_assertions(p: &PublicInputs, n: usize) -> Vec<Boundary> {
    let last = n - 1;
    if let Some(s) = p.segment() {
        return segment_assertions(p, s, n);
    }
    let mut a = vec![
        Boundary::new(IDX, 0, Felt::ZERO, "idx[0] = 0"),
        Boundary::new(FIRST, 0, Felt::ONE, "first[0] = 1"),
        Boundary::new(CLK, 0, Felt::ZERO, "clk[0] = 0"),
        Boundary::new(PC, 0, Felt::new(p.entry_pc as u64), "pc[0] = entry"),
        Boundary::new(FP, 0, Felt::ZERO, "fp[0] = 0"),
        Boundary::new(PC, last, Felt::new(HALT_PC as u64), "the run halts"),
        Boundary::new(CLK, last, Felt::new(p.cycles), "cycle count"),
    ];
    if p.layout() == Layout::Wide {
        a.extend(wide_table_assertions(p, last));
        a.extend(table_result_assertions(p));
    } else {
        a.extend(result_assertions(p));
    }
    a
}

/// The result words: the final values of slots `0..` (the memory table's first rows).
fn result_assertions(p: &PublicInputs) -> impl Iterator<Item = Boundary> + '_ {
    p.results.iter().enumerate().map(|(i, r)| Boundary {
        column: FVAL,
        row: i,
        value: Felt::new(*r as u64),
        name: Cow::Owned(format!("result {i}")),
    })
}

/// The results of a wide layout's table (a single proof's, or the first final memory
/// segment's, whose table starts at slot 0): with `r >= 2` results `TADDR[r-1] = r-1`, so rows
/// `0..r` are the result slots (the table's addresses strictly increase from `TADDR[0] = 0`,
/// which already pins row 0 when there is one result), then their final values.
fn table_result_assertions(p: &PublicInputs) -> Vec<Boundary> {
    let mut a = Vec::with_capacity(p.results.len() + 1);
    if p.results.len() > 1 {
        let r = p.results.len() - 1;
        a.push(Boundary {
            column: TADDR,
            row: r,
            value: Felt::new(r as u64),
            name: Cow::Borrowed("result slots head the table"),
        });
    }
    a.extend(result_assertions(p));
    a
}

/// The assertions of one segment of a long run (`docs/air.md` §5, *Segments*): its first row
/// holds the start state, its last row the end state (for the last execution segment: halted
/// after `cycles`); the memory table's range `[lo, hi)` ([`crate::SegmentInfo::frame`]:
/// `TADDR[0] = lo`, `TADDR[n-1] = hi` and their regions); the results on the first final
/// memory segment, whose table starts at slot 0.
fn segment_assertions(p: &PublicInputs, s: &crate::air::SegmentInfo, n: usize) -> Vec<Boundary> {
    let last = n - 1;
    let f = |v: u64| Felt::new(v);
    let mut a = vec![
        Boundary::new(IDX, 0, Felt::ZERO, "idx[0] = 0"),
        Boundary::new(FIRST, 0, Felt::ONE, "first[0] = 1"),
        Boundary::new(CLK, 0, f(s.start.clk), "clk[0] = segment start"),
        Boundary::new(PC, 0, f(s.start.pc as u64), "pc[0] = segment start"),
        Boundary::new(FP, 0, f(s.start.fp), "fp[0] = segment start"),
    ];
    if s.is_last() {
        a.push(Boundary::new(PC, last, f(HALT_PC as u64), "the run halts"));
        a.push(Boundary::new(FP, last, f(s.end.fp), "fp[n-1] = final fp"));
        a.push(Boundary::new(CLK, last, f(p.cycles), "cycle count"));
    } else {
        a.push(Boundary::new(
            PC,
            last,
            f(s.end.pc as u64),
            "pc[n-1] = segment end",
        ));
        a.push(Boundary::new(
            FP,
            last,
            f(s.end.fp),
            "fp[n-1] = segment end",
        ));
        a.push(Boundary::new(
            CLK,
            last,
            f(s.end.clk),
            "clk[n-1] = segment end",
        ));
    }
    let [lo, hi] = s.frame;
    a.extend([
        Boundary::new(TADDR, 0, f(lo), "table address[0] = range start"),
        Boundary::new(REGION, 0, f(region_of(lo)), "table region[0]"),
        Boundary::new(REGION, last, f(region_of(hi)), "table region[n-1]"),
        Boundary::new(TADDR, last, f(hi), "table address[n-1] = range end"),
    ]);
    if s.index == s.exec {
        // The first final memory segment's table starts at slot 0 (checked by
        // `validate_shape`): rows `0..r` are the result slots, holding their final values.
        a.extend(table_result_assertions(p));
    }
    a
}

/// The wide layout's memory-table frame: addresses from 0 to the end of memory.
fn wide_table_assertions(p: &PublicInputs, last: usize) -> [Boundary; 4] {
    [
        Boundary::new(TADDR, 0, Felt::ZERO, "table address[0] = 0"),
        Boundary::new(REGION, 0, Felt::ZERO, "table region[0] = slots"),
        Boundary::new(REGION, last, Felt::new(2), "table region[n-1] = memory"),
        Boundary::new(
            TADDR,
            last,
            Felt::new(MEM_BASE + p.memory_words()),
            "table address[n-1] = end of memory",
        ),
    ]
}

/// The auxiliary-segment boundary assertions: `(column, row, value)` of the running sum,
/// `S[0] = 0` and `S[n-1] =` [`logup::expected_sum`].
pub fn aux_assertions<E: FieldElement<BaseField = Felt>>(
    p: &PublicInputs,
    n: usize,
    ch: &Challenges<E>,
) -> [(usize, usize, E); 2] {
    let end = match p.segment() {
        // A segment's sum ends where the proof says; the verifier checks that the ends of all
        // segments add up to the expected sum.
        Some(s) if E::EXTENSION_DEGREE == 2 => E::slice_from_base_elements(&s.sum_end)[0],
        Some(s) => E::from(s.sum_end[0]),
        None => logup::expected_sum(p.initial_words(), ch),
    };
    [(logup::SUM, 0, E::ZERO), (logup::SUM, n - 1, end)]
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::sync::Arc;

    #[test]
    fn one_assertion_per_result_after_the_seven_fixed_ones() {
        let program = Arc::new(gloam_isa::load_module(br#"(module (func (export "f")))"#).unwrap());
        let p = PublicInputs::new(program, "f", 3, vec![1], vec![5, 6], 10);
        assert_eq!(p.layout(), Layout::Narrow);
        let a = main_assertions(&p, 1 << 14);
        assert_eq!(a.len(), 9);
        assert_eq!(a[3], Boundary::new(PC, 0, Felt::new(3), "pc[0] = entry"));
        assert_eq!((a[6].row, a[6].value), ((1 << 14) - 1, Felt::new(10)));
        assert_eq!((a[8].column, a[8].row, a[8].value), (FVAL, 1, Felt::new(6)));
    }

    #[test]
    fn the_wide_layout_frames_the_memory_table() {
        let program = Arc::new(
            gloam_isa::load_module(
                br#"(module (memory 2) (func (export "f") i32.const 0 i32.load drop))"#,
            )
            .unwrap(),
        );
        let p = PublicInputs::new(program, "f", 3, vec![1], vec![5, 6], 10);
        assert_eq!(p.layout(), Layout::Wide);
        let a = main_assertions(&p, 1 << 14);
        assert_eq!(a.len(), 14);
        assert_eq!((a[7].column, a[7].value), (TADDR, Felt::ZERO));
        let end = MEM_BASE + 2 * 65536 / 4;
        assert_eq!((a[10].column, a[10].value), (TADDR, Felt::new(end)));
        assert_eq!(
            (a[11].column, a[11].row, a[11].value),
            (TADDR, 1, Felt::new(1))
        );
        assert_eq!(
            (a[13].column, a[13].row, a[13].value),
            (FVAL, 1, Felt::new(6))
        );
    }
}
