//! The zero-knowledge prover (`gloam_air::zk` describes the protocol, `docs/zk.md` why it
//! hides the trace).
//!
//! Shapes: the main trace is `n` rows by the committed columns; each column is interpolated,
//! randomised to `n + 60` coefficients (`T + (x^n - 1) r`) and evaluated over the LDE domain of
//! `8 n` points; the auxiliary segment likewise (`n + 58` extension coefficients); the
//! constraint quotient is evaluated over the whole LDE domain, interpolated, cut into 4
//! segments and randomised; with the DEEP mask these are 5 extension columns over `8 n`
//! points. Peak memory is about that of a transparent proof (one LDE per segment, kept until
//! the queries are opened).

use std::sync::Arc;

use gloam_air::logup::NUM_RAND;
use gloam_air::zk::{
    self, deep_at, deep_constants, draw_many, draw_ood_point, fri_options,
    num_composition_coefficients, num_deep_coefficients, salted_leaf, Composer, Digest, OodFrame,
    Openings, QuadFelt, ZkCoin, ZkHasher, ZkParams, ZkProof, SEGMENTS, ZK_BLOWUP, ZK_GRINDING_BITS,
    ZK_QUERIES,
};
use gloam_air::{default_options, Felt, GloamAir, PublicInputs};
use rand::Rng;
use rayon::prelude::*;
use winter_fri::{FriProver, ProverChannel};
use winter_utils::Serializable;
use winterfell::crypto::{Digest as _, MerkleTree, RandomCoin};
use winterfell::math::{batch_inversion, fft, polynom, FieldElement, StarkField};
use winterfell::{Air, Trace};

use crate::trace::build_aux_columns;
use crate::{progress::Phase, GloamTrace, ProveError};

/// Rows evaluated per rayon task.
const CHUNK: usize = 1 << 10;

/// A uniformly random field element (rejection sampling below the modulus).
fn random_felt(rng: &mut impl Rng) -> Felt {
    loop {
        let v: u64 = rng.random();
        if v < Felt::MODULUS {
            return Felt::new(v);
        }
    }
}

fn random_quad(rng: &mut impl Rng) -> QuadFelt {
    QuadFelt::new(random_felt(rng), random_felt(rng))
}

/// `p + (x^n - 1) r`: equal to `p` on the trace domain, `n + r.len()` coefficients.
fn randomise<E: FieldElement<BaseField = Felt>>(mut p: Vec<E>, r: &[E]) -> Vec<E> {
    let n = p.len();
    p.resize(n + r.len(), E::ZERO);
    for (i, v) in r.iter().enumerate() {
        p[i] -= *v;
        p[n + i] += *v;
    }
    p
}

/// Evaluations of `p` (at most `2 n` coefficients) over the LDE domain `GENERATOR * w^i`,
/// `i < 8 n`.
fn lde<E: FieldElement<BaseField = Felt>>(p: &[E], twiddles_2n: &[Felt], n: usize) -> Vec<E> {
    let mut padded = vec![E::ZERO; 2 * n];
    padded[..p.len()].copy_from_slice(p);
    fft::evaluate_poly_with_offset(&padded, twiddles_2n, Felt::GENERATOR, 4)
}

/// A salted Merkle commitment to the rows of column-major evaluations. The salts come from a
/// fresh random key: `salt_i = blake3_keyed(key, i)`.
struct SaltedCommitment {
    tree: MerkleTree<ZkHasher>,
    key: [u8; 32],
}

fn salt(key: &[u8; 32], i: usize) -> Digest {
    zk::digest_from_bytes(*blake3::keyed_hash(key, &(i as u64).to_le_bytes()).as_bytes())
}

impl SaltedCommitment {
    fn new<E: FieldElement<BaseField = Felt>>(columns: &[Vec<E>], rng: &mut impl Rng) -> Self {
        let mut key = [0u8; 32];
        rng.fill(&mut key);
        let rows = columns[0].len();
        let leaves: Vec<Digest> = (0..rows)
            .into_par_iter()
            .map_init(
                || Vec::with_capacity(columns.len()),
                |row, i| {
                    row.clear();
                    row.extend(columns.iter().map(|c| c[i]));
                    salted_leaf(row, &salt(&key, i))
                },
            )
            .collect();
        let tree = MerkleTree::new(leaves).expect("a power-of-two number of leaves");
        SaltedCommitment { tree, key }
    }

    fn root(&self) -> Digest {
        *self.tree.root()
    }

    fn open<E: FieldElement<BaseField = Felt>>(
        &self,
        columns: &[Vec<E>],
        positions: &[usize],
    ) -> Openings<E> {
        let mut values = Vec::with_capacity(positions.len() * columns.len());
        for &p in positions {
            values.extend(columns.iter().map(|c| c[p]));
        }
        let (_, proof) = self
            .tree
            .prove_batch(positions)
            .expect("positions inside the tree");
        Openings {
            values,
            salts: positions.iter().map(|&p| salt(&self.key, p)).collect(),
            merkle: proof.to_bytes(),
        }
    }
}

/// The FRI prover's view of the transcript: layer roots reseed the coin, folding challenges
/// are drawn from it.
struct Channel {
    coin: ZkCoin,
    commitments: Vec<Digest>,
}

impl ProverChannel<QuadFelt> for Channel {
    type Hasher = ZkHasher;

    fn commit_fri_layer(&mut self, root: Digest) {
        self.coin.reseed(root);
        self.commitments.push(root);
    }

    fn draw_fri_alpha(&mut self) -> QuadFelt {
        self.coin.draw().expect("drawing a FRI challenge")
    }
}

/// Interpolates every column over the trace domain, randomises it with `k` coefficients each
/// and evaluates it over the LDE domain. Returns (polynomials, LDE columns).
fn commit_columns<E: FieldElement<BaseField = Felt>>(
    columns: Vec<Vec<E>>,
    randomizers: Vec<Vec<E>>,
    n: usize,
) -> (Vec<Vec<E>>, Vec<Vec<E>>) {
    let inv_twiddles = fft::get_inv_twiddles::<Felt>(n);
    let twiddles = fft::get_twiddles::<Felt>(2 * n);
    columns
        .into_par_iter()
        .zip(randomizers)
        .map(|(mut c, r)| {
            fft::interpolate_poly(&mut c, &inv_twiddles);
            let p = randomise(c, &r);
            let e = lde(&p, &twiddles, n);
            (p, e)
        })
        .unzip()
}

/// The main trace committed: its randomised polynomials, their LDE and the salted tree.
pub(crate) struct MainCommitment {
    polys: Vec<Vec<Felt>>,
    lde: Vec<Vec<Felt>>,
    com: SaltedCommitment,
}

impl MainCommitment {
    /// Its root.
    pub(crate) fn root(&self) -> Digest {
        self.com.root()
    }

    /// Bytes [`MainCommitment::spill`] writes for a trace of `n` rows by `width` committed
    /// columns: the trace (`n` rows), the randomised polynomials (`n + randomizers`
    /// coefficients), the LDE (`lde_len` rows), 8 bytes a value; the tree's `lde_len` leaf
    /// digests (32 bytes each) and the salt key.
    pub(crate) fn spill_bytes(n: usize, lde_len: usize, width: usize, randomizers: usize) -> u64 {
        let (n, lde, w) = (n as u64, lde_len as u64, width as u64);
        8 * w * (n + (n + randomizers as u64) + lde) + 32 * lde + 32
    }

    /// Writes `trace`'s committed columns and this commitment to `w` (the prover's own spill
    /// file, read back by [`MainCommitment::unspill`] in the same process: values in the
    /// field's internal form, little-endian); returns the BLAKE3 hash of every byte written.
    pub(crate) fn spill(
        &self,
        trace: &GloamTrace,
        w: &mut impl std::io::Write,
    ) -> std::io::Result<blake3::Hash> {
        let mut out = HashingWriter {
            inner: w,
            hash: blake3::Hasher::new(),
            buf: Vec::with_capacity(SPILL_BUF),
        };
        for c in 0..trace.main.num_cols() {
            out.felts(trace.main.get_column(c))?;
        }
        for col in self.polys.iter().chain(&self.lde) {
            out.felts(col)?;
        }
        for leaf in self.com.tree.leaves() {
            out.bytes(&leaf.as_bytes())?;
        }
        out.bytes(&self.com.key)?;
        out.flush()?;
        Ok(out.hash.finalize())
    }

    /// Reads back what [`MainCommitment::spill`] wrote for a trace of `info`'s shape with
    /// `randomizers` coefficients per column: the trace and the commitment, checked against
    /// the BLAKE3 hash `hash` of the bytes and the Merkle root `root` (the tree is rebuilt
    /// from the leaves).
    ///
    /// # Errors
    /// A read error, or [`std::io::ErrorKind::InvalidData`] if the bytes or the root differ.
    pub(crate) fn unspill(
        r: &mut impl std::io::Read,
        info: &winterfell::TraceInfo,
        randomizers: usize,
        hash: &blake3::Hash,
        root: &Digest,
    ) -> std::io::Result<(GloamTrace, MainCommitment)> {
        let (n, width) = (info.length(), info.main_trace_width());
        let lde_len = ZK_BLOWUP * n;
        let mut input = HashingReader {
            inner: r,
            hash: blake3::Hasher::new(),
            buf: vec![0u8; SPILL_BUF],
        };
        let mut many = |len: usize, cols: usize| -> std::io::Result<Vec<Vec<Felt>>> {
            (0..cols).map(|_| input.felts(len)).collect()
        };
        let columns = many(n, width)?;
        let polys = many(n + randomizers, width)?;
        let lde = many(lde_len, width)?;
        let mut leaves = Vec::with_capacity(lde_len);
        let mut digest = [0u8; 32];
        for _ in 0..lde_len {
            input.bytes(&mut digest)?;
            leaves.push(zk::digest_from_bytes(digest));
        }
        let mut key = [0u8; 32];
        input.bytes(&mut key)?;
        let bad =
            |what: &str| std::io::Error::new(std::io::ErrorKind::InvalidData, what.to_string());
        if input.hash.finalize() != *hash {
            return Err(bad("the spilled main commitment's bytes changed on disk"));
        }
        let tree = MerkleTree::new(leaves).map_err(|_| bad("spilled leaves are not a tree"))?;
        if tree.root() != root {
            return Err(bad("the spilled main commitment has another root"));
        }
        let trace = GloamTrace {
            info: info.clone(),
            main: winterfell::matrix::ColMatrix::new(columns),
        };
        Ok((
            trace,
            MainCommitment {
                polys,
                lde,
                com: SaltedCommitment { tree, key },
            },
        ))
    }
}

/// Bytes buffered per spill read or write.
const SPILL_BUF: usize = 1 << 16;

/// A writer hashing (BLAKE3) every byte it writes, buffering field elements.
struct HashingWriter<'a, W: std::io::Write> {
    inner: &'a mut W,
    hash: blake3::Hasher,
    buf: Vec<u8>,
}

impl<W: std::io::Write> HashingWriter<'_, W> {
    fn flush(&mut self) -> std::io::Result<()> {
        self.hash.update(&self.buf);
        self.inner.write_all(&self.buf)?;
        self.buf.clear();
        Ok(())
    }
    fn bytes(&mut self, b: &[u8]) -> std::io::Result<()> {
        if self.buf.len() + b.len() > SPILL_BUF {
            self.flush()?;
        }
        self.buf.extend_from_slice(b);
        Ok(())
    }
    fn felts(&mut self, col: &[Felt]) -> std::io::Result<()> {
        for v in col {
            self.bytes(&v.inner().to_le_bytes())?;
        }
        Ok(())
    }
}

/// A reader hashing (BLAKE3) every byte it reads.
struct HashingReader<'a, R: std::io::Read> {
    inner: &'a mut R,
    hash: blake3::Hasher,
    buf: Vec<u8>,
}

impl<R: std::io::Read> HashingReader<'_, R> {
    fn bytes(&mut self, out: &mut [u8]) -> std::io::Result<()> {
        self.inner.read_exact(out)?;
        self.hash.update(out);
        Ok(())
    }
    fn felts(&mut self, len: usize) -> std::io::Result<Vec<Felt>> {
        let mut col = Vec::with_capacity(len);
        let mut left = len;
        while left > 0 {
            let take = left.min(SPILL_BUF / 8);
            let mut buf = std::mem::take(&mut self.buf);
            self.bytes(&mut buf[..8 * take])?;
            col.extend(
                buf[..8 * take]
                    .chunks_exact(8)
                    .map(|b| Felt::from_mont(u64::from_le_bytes(b.try_into().expect("8 bytes")))),
            );
            self.buf = buf;
            left -= take;
        }
        Ok(col)
    }
}

/// Step 1: the main trace randomised, extended and committed with salted leaves (the
/// randomness from `rng`, so a seeded generator commits the same trace to the same root).
pub(crate) fn commit_main(
    trace: &GloamTrace,
    params: &ZkParams,
    rng: &mut impl Rng,
) -> MainCommitment {
    let main_columns: Vec<Vec<Felt>> = (0..params.main_width)
        .map(|c| trace.main.get_column(c).to_vec())
        .collect();
    let r: Vec<Vec<Felt>> = (0..params.main_width)
        .map(|_| {
            (0..params.main_randomizers)
                .map(|_| random_felt(rng))
                .collect()
        })
        .collect();
    let (polys, lde) = commit_columns(main_columns, r, params.trace_len);
    let com = SaltedCommitment::new(&lde, rng);
    MainCommitment { polys, lde, com }
}

/// Proves `trace` for the statement `pi` in zero knowledge; returns the encoded [`ZkProof`]
/// and its conjectured and proven security (bits).
///
/// # Errors
/// [`ProveError::Stark`] if the sizes do not fit the protocol (never for Gloam's trace
/// lengths).
pub fn prove_trace_zk(
    trace: GloamTrace,
    pi: PublicInputs,
    progress: Option<Arc<dyn Fn(Phase) + Send + Sync>>,
) -> Result<(Vec<u8>, u32, u32), ProveError> {
    let report = |p: Phase| {
        if let Some(cb) = &progress {
            cb(p)
        }
    };
    let stark = |e: String| ProveError::Stark(e);
    let air = GloamAir::new(trace.info().clone(), pi.clone(), default_options());
    let params = ZkParams::new(&air);
    params.check().map_err(stark)?;
    let mut rng = rand::rng();
    let mut coin = ZkCoin::new(&zk::seed(&pi, &params));
    report(Phase::CommitMain);
    let main = commit_main(&trace, &params, &mut rng);
    coin.reseed(main.root());
    let aux_rand = draw_many(&mut coin, NUM_RAND).map_err(stark)?;
    let (proof, _) = prove_committed(trace, pi, main, coin, aux_rand, &mut rng, &report)?;
    Ok((
        proof.to_bytes(),
        params.conjectured_bits(),
        params.proven_bits(&air),
    ))
}

/// Steps 2-6 after the main commitment, with the transcript `coin` at the point where the
/// LogUp challenges `aux_rand` were drawn. For a segment of a long run (`pi.segment()`), the
/// running sum's end is published in the statement and absorbed after the auxiliary root;
/// returns the proof and that end.
pub(crate) fn prove_committed(
    trace: GloamTrace,
    mut pi: PublicInputs,
    main: MainCommitment,
    mut coin: ZkCoin,
    aux_rand: Vec<QuadFelt>,
    rng: &mut impl Rng,
    report: &dyn Fn(Phase),
) -> Result<(ZkProof, QuadFelt), ProveError> {
    let stark = |e: String| ProveError::Stark(e);
    let info = trace.info().clone();
    let params = ZkParams::new(&GloamAir::new(info.clone(), pi.clone(), default_options()));
    let n = params.trace_len;
    let lde_len = params.lde_len;
    let MainCommitment {
        polys: main_polys,
        lde: main_lde,
        com: main_com,
    } = main;

    // 2. The LogUp columns, after the main commitment.
    report(Phase::BuildAux);
    let aux_columns = build_aux_columns(&trace.main, &pi, &pi.challenges(&aux_rand));
    drop(trace);
    let sum_end = aux_columns[gloam_air::logup::SUM][n - 1];
    if let Some(seg) = pi.segment().cloned() {
        let base = QuadFelt::slice_as_base_elements(&[sum_end]).to_vec();
        pi = pi.for_segment(gloam_air::SegmentInfo {
            sum_end: [base[0], base[1]],
            ..seg
        });
    }
    let air = GloamAir::new(info, pi.clone(), default_options());
    let r: Vec<Vec<QuadFelt>> = (0..aux_columns.len())
        .map(|_| {
            (0..params.aux_randomizers)
                .map(|_| random_quad(rng))
                .collect()
        })
        .collect();
    report(Phase::CommitAux);
    let (aux_polys, aux_lde) = commit_columns(aux_columns, r, n);
    let aux_com = SaltedCommitment::new(&aux_lde, rng);
    coin.reseed(aux_com.root());
    if pi.segment().is_some() {
        coin.reseed(zk::sum_digest(sum_end));
    }

    // 3. The constraint quotient over the LDE domain.
    report(Phase::Constraints);
    let coefficients = draw_many(&mut coin, num_composition_coefficients(&air)).map_err(stark)?;
    let composer = Composer::new(&air, aux_rand, &coefficients);
    let h = quotient_evaluations(&air, &composer, &params, &main_lde, &aux_lde);
    let mut h = h;
    fft::interpolate_poly_with_offset(
        &mut h,
        &fft::get_inv_twiddles::<Felt>(lde_len),
        Felt::GENERATOR,
    );
    // An honest trace's quotient has fewer than `quotient_len` coefficients; a trace that does
    // not satisfy the AIR has none, and the proof of its truncation is rejected at `z`.
    h.truncate(params.quotient_len);
    let m = params.segment_len;
    let s: Vec<Vec<QuadFelt>> = (0..SEGMENTS - 1)
        .map(|_| {
            (0..params.segment_randomizers)
                .map(|_| random_quad(rng))
                .collect()
        })
        .collect();
    let mut composition_polys: Vec<Vec<QuadFelt>> = (0..SEGMENTS)
        .map(|i| {
            let mut seg = vec![QuadFelt::ZERO; m + params.segment_randomizers];
            let lo = (i * m).min(h.len());
            let hi = ((i + 1) * m).min(h.len());
            seg[..hi - lo].copy_from_slice(&h[lo..hi]);
            if i < SEGMENTS - 1 {
                for (j, v) in s[i].iter().enumerate() {
                    seg[m + j] += *v;
                }
            }
            if i > 0 {
                for (j, v) in s[i - 1].iter().enumerate() {
                    seg[j] -= *v;
                }
            }
            seg
        })
        .collect();
    drop(h);
    composition_polys.push((0..params.fri_degree).map(|_| random_quad(rng)).collect());
    report(Phase::Composition);
    let twiddles = fft::get_twiddles::<Felt>(2 * n);
    let composition_lde: Vec<Vec<QuadFelt>> = composition_polys
        .par_iter()
        .map(|p| lde(p, &twiddles, n))
        .collect();
    let composition_com = SaltedCommitment::new(&composition_lde, rng);
    coin.reseed(composition_com.root());

    // 4. The out-of-domain frame.
    report(Phase::Deep);
    let z = draw_ood_point(&mut coin, n).map_err(stark)?;
    let gz = z * QuadFelt::from(params.g());
    let at = |polys: &[Vec<Felt>], x: QuadFelt| -> Vec<QuadFelt> {
        polys.par_iter().map(|p| polynom::eval(p, x)).collect()
    };
    let at_ext = |polys: &[Vec<QuadFelt>], x: QuadFelt| -> Vec<QuadFelt> {
        polys.par_iter().map(|p| polynom::eval(p, x)).collect()
    };
    let ood = OodFrame {
        main_current: at(&main_polys, z),
        main_next: at(&main_polys, gz),
        aux_current: at_ext(&aux_polys, z),
        aux_next: at_ext(&aux_polys, gz),
        segments: at_ext(&composition_polys[..SEGMENTS], z),
    };
    drop((main_polys, aux_polys, composition_polys));
    coin.reseed(zk::ood_digest(&ood));

    // 5. The masked DEEP composition, then FRI.
    let deep_coeffs =
        draw_many(&mut coin, num_deep_coefficients(params.main_width)).map_err(stark)?;
    let (at_z, at_gz) = deep_constants(&ood, &deep_coeffs);
    let w = params.lde_generator();
    let deep: Vec<QuadFelt> = (0..lde_len)
        .into_par_iter()
        .chunks(CHUNK)
        .flat_map_iter(|idx| {
            let first = idx[0];
            let mut x = Felt::GENERATOR * w.exp(first as u64);
            let mut xz = Vec::with_capacity(idx.len() * 2);
            for _ in &idx {
                xz.push(QuadFelt::from(x) - z);
                xz.push(QuadFelt::from(x) - gz);
                x *= w;
            }
            let inv = batch_inversion(&xz);
            let mut main_row = vec![Felt::ZERO; main_lde.len()];
            let mut aux_row = vec![QuadFelt::ZERO; aux_lde.len()];
            let mut comp_row = vec![QuadFelt::ZERO; composition_lde.len()];
            idx.iter()
                .enumerate()
                .map(|(k, &i)| {
                    main_row
                        .iter_mut()
                        .zip(&main_lde)
                        .for_each(|(v, c)| *v = c[i]);
                    aux_row
                        .iter_mut()
                        .zip(&aux_lde)
                        .for_each(|(v, c)| *v = c[i]);
                    comp_row
                        .iter_mut()
                        .zip(&composition_lde)
                        .for_each(|(v, c)| *v = c[i]);
                    deep_at(
                        &main_row,
                        &aux_row,
                        &comp_row,
                        &deep_coeffs,
                        at_z,
                        at_gz,
                        inv[2 * k],
                        inv[2 * k + 1],
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect();
    report(Phase::Fri);
    let mut fri =
        FriProver::<QuadFelt, Channel, ZkHasher, MerkleTree<ZkHasher>>::new(fri_options());
    let mut channel = Channel {
        coin,
        commitments: Vec::new(),
    };
    fri.build_layers(&mut channel, deep);
    let Channel {
        mut coin,
        commitments: fri_commitments,
    } = channel;

    // 6. Grinding, queries, openings.
    report(Phase::Queries);
    let pow_nonce = (0..u64::MAX)
        .into_par_iter()
        .find_first(|&nonce| coin.check_leading_zeros(nonce) >= ZK_GRINDING_BITS)
        .expect("a nonce exists");
    let positions = zk_positions(&mut coin, pow_nonce, lde_len).map_err(stark)?;
    let fri_proof = fri.build_proof(&positions);
    let proof = ZkProof {
        trace_len_log2: n.ilog2() as u8,
        main_root: main_com.root(),
        aux_root: aux_com.root(),
        composition_root: composition_com.root(),
        ood,
        fri_commitments,
        fri: fri_proof,
        pow_nonce,
        main: main_com.open(&main_lde, &positions),
        aux: aux_com.open(&aux_lde, &positions),
        composition: composition_com.open(&composition_lde, &positions),
    };
    Ok((proof, sum_end))
}

/// The query positions: [`ZK_QUERIES`] draws over the LDE domain after the proof-of-work
/// nonce, sorted, duplicates removed.
pub fn zk_positions(coin: &mut ZkCoin, nonce: u64, lde_len: usize) -> Result<Vec<usize>, String> {
    let mut p = coin
        .draw_integers(ZK_QUERIES, lde_len, nonce)
        .map_err(|e| e.to_string())?;
    p.sort_unstable();
    p.dedup();
    Ok(p)
}

/// `H(x)` at every point of the LDE domain.
fn quotient_evaluations(
    air: &GloamAir,
    composer: &Composer,
    params: &ZkParams,
    main_lde: &[Vec<Felt>],
    aux_lde: &[Vec<QuadFelt>],
) -> Vec<QuadFelt> {
    let n = params.trace_len;
    let lde_len = params.lde_len;
    let step = lde_len / n; // the LDE index of `g x` is `i + 8`
    let w = params.lde_generator();
    let g = params.g();
    // Periodic columns of period P: their polynomial in `x^(n/P)` over the LDE domain takes
    // 8P values, repeating.
    let periodic: Vec<Vec<Felt>> = air
        .get_periodic_column_polys()
        .into_iter()
        .map(|poly| {
            let p = poly.len();
            let offset = Felt::GENERATOR.exp((n / p) as u64);
            if p == 1 {
                return vec![poly[0]];
            }
            fft::evaluate_poly_with_offset(&poly, &fft::get_twiddles::<Felt>(p), offset, 8)
        })
        .collect();
    // 1 / (x^n - 1) takes 8 values over the LDE domain (x^n = GENERATOR^n w^(n i)).
    let xn: Vec<Felt> = (0..step)
        .map(|i| (Felt::GENERATOR * w.exp(i as u64)).exp(n as u64) - Felt::ONE)
        .collect();
    let xn_inv = batch_inversion(&xn);
    let last = g.exp((n - 1) as u64);
    let step_points: Vec<Felt> = composer.steps().iter().map(|&s| g.exp(s as u64)).collect();
    (0..lde_len)
        .into_par_iter()
        .chunks(CHUNK)
        .flat_map_iter(|idx| {
            let mut scratch = composer.scratch::<Felt>();
            let first = idx[0];
            let mut x = Felt::GENERATOR * w.exp(first as u64);
            let mut xs = Vec::with_capacity(idx.len());
            for _ in &idx {
                xs.push(x);
                x *= w;
            }
            // 1 / (x - g^s) for every assertion row, batched.
            let mut diffs = Vec::with_capacity(idx.len() * step_points.len());
            for x in &xs {
                diffs.extend(step_points.iter().map(|s| *x - *s));
            }
            let inv = batch_inversion(&diffs);
            let (mut mc, mut mn) = (
                vec![Felt::ZERO; main_lde.len()],
                vec![Felt::ZERO; main_lde.len()],
            );
            let (mut ac, mut an) = (
                vec![QuadFelt::ZERO; aux_lde.len()],
                vec![QuadFelt::ZERO; aux_lde.len()],
            );
            let mut pv = vec![Felt::ZERO; periodic.len()];
            let ns = step_points.len();
            idx.iter()
                .enumerate()
                .map(|(k, &i)| {
                    let next = (i + step) % lde_len;
                    for (c, col) in main_lde.iter().enumerate() {
                        mc[c] = col[i];
                        mn[c] = col[next];
                    }
                    for (c, col) in aux_lde.iter().enumerate() {
                        ac[c] = col[i];
                        an[c] = col[next];
                    }
                    for (v, t) in pv.iter_mut().zip(&periodic) {
                        *v = t[i % t.len()];
                    }
                    let divisor_inv = (xs[k] - last) * xn_inv[i % step];
                    composer.eval(
                        &mc,
                        &mn,
                        &ac,
                        &an,
                        &pv,
                        divisor_inv,
                        &inv[k * ns..(k + 1) * ns],
                        &mut scratch,
                    )
                })
                .collect::<Vec<_>>()
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::io::{Read, Seek, SeekFrom, Write};

    /// A spilled main commitment reads back as it was written (trace, polynomials, LDE,
    /// tree, salt key), and one changed or cut short on disk is refused, never used.
    #[test]
    fn spilled_commitments_read_back_intact_or_not_at_all() {
        let wat = r#"(module (memory 1)
          (func (export "run") (param $n i32) (result i32) (local $i i32)
            (loop $l
              (i32.store (i32.shl (i32.and (local.get $i) (i32.const 63)) (i32.const 2))
                         (local.get $i))
              (local.set $i (i32.add (local.get $i) (i32.const 1)))
              (br_if $l (i32.lt_u (local.get $i) (local.get $n))))
            (i32.load (i32.const 8))))"#;
        let program = Arc::new(gloam_isa::load_module(wat.as_bytes()).expect("module"));
        let limits = gloam_executor::Limits::default();
        let (out, exec) = gloam_executor::run_traced(&program, "run", &[100], limits).expect("run");
        let (main, pi) =
            crate::trace::build_main_trace(program, "run", &[100], &out, &exec).expect("trace");
        let trace = GloamTrace::new(main.columns, &pi);
        let air = GloamAir::new(trace.info().clone(), pi, default_options());
        let params = ZkParams::new(&air);
        let mut rng = rand::rng();
        let com = commit_main(&trace, &params, &mut rng);
        let root = com.root();
        let mut file = tempfile::tempfile().expect("a temporary file");
        let hash = com.spill(&trace, &mut file).expect("spilled");
        let len = file.seek(SeekFrom::End(0)).expect("seek");
        let expected = MainCommitment::spill_bytes(
            params.trace_len,
            params.lde_len,
            params.main_width,
            params.main_randomizers,
        );
        assert_eq!(len, expected);
        let read = |file: &mut std::fs::File| {
            file.seek(SeekFrom::Start(0)).expect("seek");
            let mut r = std::io::BufReader::new(&*file);
            MainCommitment::unspill(&mut r, trace.info(), params.main_randomizers, &hash, &root)
        };
        let (back, back_com) = read(&mut file).expect("reads back");
        for c in 0..params.main_width {
            assert_eq!(back.main.get_column(c), trace.main.get_column(c));
        }
        assert_eq!(back_com.polys, com.polys);
        assert_eq!(back_com.lde, com.lde);
        assert_eq!(back_com.com.key, com.com.key);
        assert_eq!(back_com.root(), root);
        // One byte changed in each part (trace, polynomials, LDE, leaves, key).
        let n = params.trace_len as u64;
        let w = params.main_width as u64;
        for at in [
            5,
            8 * w * n + 3,
            8 * w * (2 * n + 70) + 11,
            len - 32 - 1000,
            len - 1,
        ] {
            let mut byte = [0u8];
            file.seek(SeekFrom::Start(at)).expect("seek");
            file.read_exact(&mut byte).expect("read");
            file.seek(SeekFrom::Start(at)).expect("seek");
            file.write_all(&[byte[0] ^ 0x10]).expect("write");
            let e = read(&mut file).err().expect("a changed byte is refused");
            assert_eq!(e.kind(), std::io::ErrorKind::InvalidData, "byte {at}");
            file.seek(SeekFrom::Start(at)).expect("seek");
            file.write_all(&byte).expect("write");
        }
        assert!(read(&mut file).is_ok());
        // Another root than pass 1's.
        file.seek(SeekFrom::Start(0)).expect("seek");
        let mut r = std::io::BufReader::new(&file);
        let e = MainCommitment::unspill(
            &mut r,
            trace.info(),
            params.main_randomizers,
            &hash,
            &Digest::default(),
        )
        .err()
        .expect("another root is refused");
        assert_eq!(e.kind(), std::io::ErrorKind::InvalidData);
        // Cut short.
        file.set_len(len - 9).expect("truncate");
        let e = read(&mut file).err().expect("a short file is refused");
        assert_eq!(e.kind(), std::io::ErrorKind::UnexpectedEof);
    }
}
