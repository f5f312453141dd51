//! The auxiliary (LogUp) segment of `gloam_air::logup`: the helper columns, each the sum of
//! its group's fractions on a row, and the running sum, `AUX_WIDTH x n` extension-field
//! values, built after the main-trace commitment from the drawn challenges.

use gloam_air::columns::{expand_row, FIRST};
use gloam_air::field::{Felt, FieldElement};
use gloam_air::logup::{self, Challenges, AUX_WIDTH, NUM_FRACTIONS, PACKING};
use gloam_air::PublicInputs;
use rayon::prelude::*;
use winterfell::math::batch_inversion;
use winterfell::matrix::ColMatrix;

/// Builds the auxiliary segment: the 8 LogUp helper columns and the running sum.
/// Rows are processed in parallel chunks with one batch inversion per chunk.
pub fn build_aux_columns<E: FieldElement<BaseField = Felt>>(
    main: &ColMatrix<Felt>,
    pi: &PublicInputs,
    ch: &Challenges<E>,
) -> Vec<Vec<E>> {
    let n = main.num_rows();
    let periodic = gloam_air::air::periodic_columns(pi.program(), pi.program_period());
    const CHUNK: usize = 1024;
    let chunks: Vec<(Vec<[E; logup::NUM_HELPERS]>, Vec<E>)> = (0..n.div_ceil(CHUNK))
        .into_par_iter()
        .map(|c| {
            let start = c * CHUNK;
            let end = (start + CHUNK).min(n - 1);
            // The committed columns, expanded to the layout's (the uncommitted flags and
            // advice columns zero).
            let width = pi.layout().width();
            let (mut cur_c, mut nxt_c) = (
                vec![Felt::ZERO; main.num_cols()],
                vec![Felt::ZERO; main.num_cols()],
            );
            let mut cur = vec![Felt::ZERO; width];
            let mut nxt = vec![Felt::ZERO; width];
            let mut per = vec![Felt::ZERO; periodic.len()];
            let mut nums = Vec::with_capacity((end - start) * NUM_FRACTIONS);
            let mut dens = Vec::with_capacity((end - start) * NUM_FRACTIONS);
            let mut firsts = Vec::with_capacity(end.saturating_sub(start));
            for row in start..end {
                main.read_row_into(row, &mut cur_c);
                main.read_row_into(row + 1, &mut nxt_c);
                expand_row(pi.committed_columns(), &cur_c, Felt::ZERO, &mut cur);
                expand_row(pi.committed_columns(), &nxt_c, Felt::ZERO, &mut nxt);
                for (p, col) in per.iter_mut().zip(&periodic) {
                    *p = col[row % col.len()];
                }
                for (num, den) in logup::fractions(&cur, &nxt, &per, ch) {
                    nums.push(num);
                    dens.push(den);
                }
                firsts.push(if cur[FIRST] == Felt::ZERO {
                    E::ZERO
                } else {
                    logup::first_row_term(&cur, ch)
                });
            }
            let inv = batch_inversion(&dens);
            let helpers: Vec<[E; logup::NUM_HELPERS]> = (0..end.saturating_sub(start))
                .map(|i| {
                    let mut h = [E::ZERO; logup::NUM_HELPERS];
                    for (g, group) in PACKING.groups().enumerate() {
                        for &j in group.iter() {
                            h[g] += nums[i * NUM_FRACTIONS + j] * inv[i * NUM_FRACTIONS + j];
                        }
                    }
                    h
                })
                .collect();
            (helpers, firsts)
        })
        .collect();
    let mut cols = vec![vec![E::ZERO; n]; AUX_WIDTH];
    let mut row = 0;
    let mut sum = E::ZERO;
    for (helpers, firsts) in chunks {
        for (h, first) in helpers.iter().zip(firsts) {
            cols[logup::SUM][row] = sum;
            let mut total = E::ZERO;
            for g in 0..logup::NUM_HELPERS {
                cols[g][row] = h[g];
                total += h[g];
            }
            sum += total - first;
            row += 1;
        }
    }
    cols[logup::SUM][n - 1] = sum;
    cols
}
