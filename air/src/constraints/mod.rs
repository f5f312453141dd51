//! Main-trace transition constraints, one family per file.
//!
//! Every family lists its constraints as `(name, degree)` in `CONSTRAINTS` and pushes exactly
//! that many evaluations, in that order, from `eval`. Each constraint is multiplied by the
//! selector of the opcodes it applies to (a group flag, or a group flag times sub-op bit
//! literals: [`crate::decoder`]), so on other rows it vanishes. Degrees count one per trace column
//! factor. The LogUp arguments over the auxiliary segment live in [`crate::logup`].

use crate::columns::*;
use crate::decoder::{self, Group, NUM_GROUPS};
use crate::field::{k, Felt, FieldElement};
use gloam_isa::Op;

pub mod arith;
pub mod bitwise;
pub mod carry;
pub mod cmov;
pub mod control;
pub mod decode;
pub mod div;
pub mod eq;
pub mod globals;
pub mod load_store;
pub mod memory;
pub mod mul;
pub mod table;
#[cfg(test)]
pub(crate) mod testing;

/// The current and next rows of the main trace, with the expressions constraints share.
pub struct Row<'a, E> {
    /// Current row.
    pub cur: &'a [E],
    /// Next row.
    pub nxt: &'a [E],
}

impl<E: FieldElement<BaseField = Felt>> Row<'_, E> {
    /// Current-row column.
    #[inline(always)]
    pub fn c(&self, col: usize) -> E {
        // The narrow layout's rows end before `MEMORY_EXT`: those columns read as zero.
        if col < self.cur.len() {
            self.cur[col]
        } else {
            E::ZERO
        }
    }
    /// Next-row column.
    #[inline(always)]
    pub fn n(&self, col: usize) -> E {
        if col < self.nxt.len() {
            self.nxt[col]
        } else {
            E::ZERO
        }
    }
    /// Whether the row has the wide layout (`MEMORY_EXT` present).
    #[inline(always)]
    pub fn wide(&self) -> bool {
        self.cur.len() > NARROW_WIDTH
    }
    /// Address of access `b`: `ADDR_B` (wide layout) or `fp + b`.
    pub fn addr_b(&self) -> E {
        if self.wide() {
            self.c(ADDR_B)
        } else {
            self.c(FP) + self.c(OFF_B)
        }
    }
    /// Address of access `c`: `ADDR_C` (wide layout) or `fp + c`.
    pub fn addr_c(&self) -> E {
        if self.wide() {
            self.c(ADDR_C)
        } else {
            self.c(FP) + self.c(OFF_C)
        }
    }
    /// The memory table's address of this row: `TADDR` (wide layout) or `IDX`.
    pub fn table_addr(&self) -> E {
        if self.wide() {
            self.c(TADDR)
        } else {
            self.c(IDX)
        }
    }
    /// Flag of group `g` (degree 1).
    #[inline(always)]
    pub fn g(&self, g: Group) -> E {
        self.cur[group_col(g)]
    }
    /// Sub-op bit `j` (degree 1). On a row of a group that uses it, it is the opcode's bit;
    /// elsewhere it means nothing, so it is only ever read under a selector of such a group
    /// (or where that group's flag is a factor).
    #[inline(always)]
    pub fn bit(&self, j: usize) -> E {
        self.cur[OP_BIT + j]
    }
    /// Selector of `op`: its group flag times, for each sub-op bit the group uses, the bit or
    /// one minus it (degree `1 + bits used`, at most 3). Valid rows carry exactly one
    /// encoding ([`crate::decoder`]), so it is 1 on `op`'s rows and 0 on every other.
    #[inline(always)]
    pub fn f(&self, op: Op) -> E {
        let e = decoder::encoding(op).expect("a provable opcode");
        let mut acc = self.g(e.group);
        for j in 0..e.group.bits_used() {
            let b = self.bit(j);
            acc *= if e.bit(j) { b } else { E::ONE - b };
        }
        acc
    }
    /// Sum of the group flags in `set` (see [`group_set`]), degree 1.
    #[inline(always)]
    pub fn gset(&self, set: &GroupSet) -> E {
        let mut acc = E::ZERO;
        for &c in &set.cols[..set.len] {
            acc += self.cur[c];
        }
        acc
    }
    /// Operand `A`.
    pub fn a(&self) -> E {
        self.c(VAL_A)
    }
    /// Operand `B`.
    pub fn b(&self) -> E {
        self.c(VAL_B)
    }
    /// Result `C`.
    pub fn res(&self) -> E {
        self.c(VAL_C)
    }
    /// Little-endian combination of four byte columns.
    pub fn bytes4(&self, cols: [usize; 4]) -> E {
        let mut acc = E::ZERO;
        for col in cols.iter().rev() {
            acc = acc * k::<E>(256) + self.c(*col);
        }
        acc
    }
    /// `U`: bytes `x0, y0, x1, y1`.
    pub fn u(&self) -> E {
        self.bytes4([X, Y, X + 1, Y + 1])
    }
    /// `V`: bytes `x2, y2, x3, y3`.
    pub fn v(&self) -> E {
        self.bytes4([X + 2, Y + 2, X + 3, Y + 3])
    }
    /// `W`: bytes `r0..r3`.
    pub fn w(&self) -> E {
        self.bytes4([R, R + 1, R + 2, R + 3])
    }
    /// Byte `j` of the two memory words a load or store touches (`j < 4`: the first word's
    /// bytes in lanes `X`, else the second word's in lanes `Y`).
    pub fn mem_byte(&self, j: usize) -> E {
        if j < 4 {
            self.c(X + j)
        } else {
            self.c(Y + j - 4)
        }
    }
    /// The first memory word, from its bytes (`x0..x3`).
    pub fn word0(&self) -> E {
        self.bytes4([X, X + 1, X + 2, X + 3])
    }
    /// The second memory word, from its bytes (`y0..y3`).
    pub fn word1(&self) -> E {
        self.bytes4([Y, Y + 1, Y + 2, Y + 3])
    }
    /// The memory groups' flags: a load or a store of 4, 2 or 1 bytes (degree 1).
    pub fn f_mem(&self) -> E {
        self.g(Group::Mem4) + self.g(Group::Mem2) + self.g(Group::Mem1)
    }
    /// Selector of the loads: a memory group with bit 0 clear (degree 2).
    pub fn f_load(&self) -> E {
        self.f_mem() * (E::ONE - self.bit(0))
    }
    /// Selector of the stores: a memory group with bit 0 set (degree 2).
    pub fn f_store(&self) -> E {
        self.f_mem() * self.bit(0)
    }
    /// Access-enable of `d`: the load or store crosses a 4-byte boundary (a 4-byte access
    /// at offset 1..3, a 2-byte access at offset 3). Degree 2.
    pub fn en_d(&self) -> E {
        self.g(Group::Mem4) * (E::ONE - self.c(O)) + self.g(Group::Mem2) * self.c(O + 3)
    }
    /// Access-enable of slot `a` (a read).
    pub fn en_a(&self) -> E {
        self.gset(&READS_A)
    }
    /// Opcodes reading slot `b` when `b_imm` is off.
    pub fn read_b(&self) -> E {
        self.gset(&HAS_B)
    }
    /// Access-enable of slot `b`: a read unless the immediate is used, or `call`'s write.
    pub fn en_b(&self) -> E {
        self.read_b() * (E::ONE - self.c(BIMM)) + self.g(Group::Call)
    }
    /// Access-enable of slot `c` (a write).
    pub fn en_c(&self) -> E {
        self.gset(&WRITES_C)
    }
    /// Timestamp of access `j` (0 = a, 1 = b, 2 = c, 3 = d) of this row:
    /// `ACCESSES_PER_ROW * IDX + j + 1` (see [`ACCESSES_PER_ROW`]).
    pub fn ts(&self, j: u64) -> E {
        self.c(IDX) * k::<E>(ACCESSES_PER_ROW as u64) + k::<E>(j + 1)
    }
}

/// A set of group-flag columns, fixed at compile time.
pub struct GroupSet {
    cols: [usize; NUM_GROUPS],
    len: usize,
}

/// Opcode properties a [`GroupSet`] can be built from (each constant within a group:
/// `decoder`'s tests).
#[derive(Clone, Copy)]
pub enum Property {
    /// [`Op::reads_a`].
    ReadsA,
    /// [`Op::has_b`].
    HasB,
    /// [`Op::writes_c`].
    WritesC,
    /// [`Op::is_sequential`].
    Sequential,
}

/// The flag columns of the groups whose opcodes have `property`.
pub const fn group_set(property: Property) -> GroupSet {
    let mut cols = [0; NUM_GROUPS];
    let mut len = 0;
    let mut i = 0;
    while i < NUM_GROUPS {
        let g = Group::ALL[i];
        let op = g.representative();
        let has = match property {
            Property::ReadsA => op.reads_a(),
            Property::HasB => op.has_b(),
            Property::WritesC => op.writes_c(),
            Property::Sequential => op.is_sequential(),
        };
        if has {
            cols[len] = group_col(g);
            len += 1;
        }
        i += 1;
    }
    GroupSet { cols, len }
}

/// Groups reading slot `a`.
pub const READS_A: GroupSet = group_set(Property::ReadsA);
/// Groups with a `B` operand.
pub const HAS_B: GroupSet = group_set(Property::HasB);
/// Groups writing through access `c`.
pub const WRITES_C: GroupSet = group_set(Property::WritesC);
/// Groups that continue at `pc + 1`.
pub const SEQUENTIAL: GroupSet = group_set(Property::Sequential);

/// Writes constraint evaluations in order.
pub struct Sink<'a, E> {
    out: &'a mut [E],
    i: usize,
}

impl<'a, E: Copy> Sink<'a, E> {
    /// A sink writing into `out` from index 0.
    pub fn new(out: &'a mut [E]) -> Self {
        Sink { out, i: 0 }
    }
    /// Appends one evaluation.
    #[inline(always)]
    pub fn push(&mut self, v: E) {
        self.out[self.i] = v;
        self.i += 1;
    }
    /// Number written so far.
    pub fn len(&self) -> usize {
        self.i
    }
    /// Nothing written yet.
    pub fn is_empty(&self) -> bool {
        self.i == 0
    }
}

/// A named constraint and its degree.
pub type Spec = (&'static str, usize);

/// One constraint family.
pub struct Family {
    /// Family name (also its file name).
    pub name: &'static str,
    /// Its constraints.
    pub constraints: &'static [Spec],
}

/// Declares the main-trace families, in evaluation order: generates [`FAMILIES`] and
/// [`eval_main`], which checks (in debug builds) that each family pushes exactly as many
/// evaluations as its `CONSTRAINTS` declares; a unit test checks it in every build.
macro_rules! families {
    ($($fam:ident),* $(,)?) => {
        /// All main-trace families, in evaluation order.
        pub const FAMILIES: &[Family] = &[$(Family {
            name: stringify!($fam),
            constraints: $fam::CONSTRAINTS,
        }),*];

        /// Evaluates every main transition constraint on `(cur, nxt)` into `out`.
        pub fn eval_main<E: FieldElement<BaseField = Felt>>(cur: &[E], nxt: &[E], out: &mut [E]) {
            let row = Row { cur, nxt };
            let mut s = Sink::new(out);
            $(
                let start = s.len();
                $fam::eval(&row, &mut s);
                debug_assert_eq!(
                    s.len() - start,
                    $fam::CONSTRAINTS.len(),
                    concat!("family `", stringify!($fam), "` pushed a wrong number of constraints"),
                );
            )*
            debug_assert_eq!(s.len(), num_main_constraints());
        }

        /// Evaluates family `index` of [`FAMILIES`] alone (for diagnostics and tests).
        pub fn eval_family<E: FieldElement<BaseField = Felt>>(index: usize, row: &Row<E>, s: &mut Sink<E>) {
            let mut i = 0;
            $(
                if i == index {
                    return $fam::eval(row, s);
                }
                i += 1;
            )*
            panic!("no family {index} (there are {i})");
        }
    };
}

families!(
    decode, control, arith, mul, div, bitwise, eq, cmov, memory, load_store, globals, table, carry
);

/// Number of main transition constraints.
pub fn num_main_constraints() -> usize {
    FAMILIES.iter().map(|f| f.constraints.len()).sum()
}

/// (family, constraint) name of main constraint `i`.
pub fn constraint_name(mut i: usize) -> (&'static str, &'static str) {
    for f in FAMILIES {
        if i < f.constraints.len() {
            return (f.name, f.constraints[i].0);
        }
        i -= f.constraints.len();
    }
    ("?", "?")
}

#[cfg(test)]
pub(crate) mod tests {
    use super::*;

    /// Each family pushes exactly its declared number of evaluations.
    #[test]
    fn every_family_pushes_its_declared_count() {
        let row = vec![Felt::ZERO; MAIN_WIDTH];
        for (i, f) in FAMILIES.iter().enumerate() {
            let mut out = vec![Felt::ZERO; f.constraints.len()];
            let mut s = Sink::new(&mut out);
            eval_family(
                i,
                &Row {
                    cur: &row,
                    nxt: &row,
                },
                &mut s,
            );
            assert_eq!(s.len(), f.constraints.len(), "family {}", f.name);
        }
        assert_eq!(num_main_constraints(), 108);
    }

    /// Main constraints stay within the degree bound of the LogUp helpers (5).
    #[test]
    fn degrees_within_bound() {
        for f in FAMILIES {
            for (name, d) in f.constraints {
                assert!(
                    *d >= 1 && *d <= crate::logup::MAX_DEGREE,
                    "{}::{name}",
                    f.name
                );
            }
        }
    }
    /// Degree of `f(t)` for a polynomial of degree below `points.len()`, from its values at
    /// `t = 0, 1, ...`: the highest `k` whose `k`-th forward difference is nonzero.
    pub(crate) fn degree_from_values(points: &[Felt]) -> usize {
        let mut diffs = points.to_vec();
        let mut degree = 0;
        for k in 1..points.len() {
            if diffs.iter().any(|v| *v != Felt::ZERO) {
                degree = k - 1;
            }
            diffs = diffs.windows(2).map(|w| w[1] - w[0]).collect();
        }
        if diffs.iter().any(|v| *v != Felt::ZERO) {
            degree = points.len() - 1;
        }
        degree
    }

    /// Rows along a random line `u + t v` of the trace-row space, for `t = 0, 1, ...`.
    pub(crate) fn random_line(width: usize, seed: u64, points: usize) -> Vec<Vec<Felt>> {
        let mut state = seed;
        let mut next = move || {
            // xorshift64*: a fixed, reproducible sequence.
            state ^= state >> 12;
            state ^= state << 25;
            state ^= state >> 27;
            Felt::new(state.wrapping_mul(0x2545_f491_4f6c_dd1d))
        };
        let (u, v): (Vec<Felt>, Vec<Felt>) = (0..width).map(|_| (next(), next())).unzip();
        (0..points)
            .map(|t| {
                let t = Felt::new(t as u64);
                u.iter().zip(&v).map(|(a, b)| *a + t * *b).collect()
            })
            .collect()
    }

    /// Every main constraint's declared degree is its degree: evaluated along random lines
    /// through the space of (current, next) rows, the constraint is a polynomial in the
    /// line's parameter of exactly the declared degree. (winterfell sizes the composition
    /// polynomial from the declared degrees: one declared too low makes honest proofs fail,
    /// one too high wastes work and hides a mistake.)
    #[test]
    fn declared_degrees_are_the_degrees() {
        const POINTS: usize = 8;
        let n = num_main_constraints();
        for seed in [1u64, 0x9e37_79b9_7f4a_7c15] {
            let line = random_line(2 * MAIN_WIDTH, seed, POINTS);
            let mut values = vec![Vec::with_capacity(POINTS); n];
            for row in &line {
                let mut out = vec![Felt::ZERO; n];
                eval_main(&row[..MAIN_WIDTH], &row[MAIN_WIDTH..], &mut out);
                for (i, v) in out.into_iter().enumerate() {
                    values[i].push(v);
                }
            }
            let mut i = 0;
            let mut wrong = Vec::new();
            for f in FAMILIES {
                for (name, d) in f.constraints {
                    let got = degree_from_values(&values[i]);
                    if got != *d {
                        wrong.push(format!("{}::{name}: declared {d}, degree {got}", f.name));
                    }
                    i += 1;
                }
            }
            assert!(wrong.is_empty(), "{wrong:#?}");
        }
    }

    /// On a row encoding opcode `op` (and nothing else), every selector is 1 exactly for
    /// the opcodes it selects: each opcode's, the loads', the stores', the memory groups',
    /// the access enables of `a`, `b` (slot read without the immediate, or `call`) and `c`,
    /// and the sequential groups'; and the decoder code is `op`'s.
    #[test]
    fn selectors_select_exactly_their_opcodes() {
        let one = |b: bool| if b { Felt::ONE } else { Felt::ZERO };
        for &op in Op::ALL
            .iter()
            .filter(|op| decoder::encoding(**op).is_some())
        {
            let mut cur = vec![Felt::ZERO; MAIN_WIDTH];
            encode_op(&mut cur, op);
            let r = Row {
                cur: &cur,
                nxt: &cur,
            };
            for &other in Op::ALL.iter().filter(|o| decoder::encoding(**o).is_some()) {
                assert_eq!(r.f(other), one(other == op), "{op:?} selects {other:?}");
            }
            assert_eq!(r.f_load(), one(op.is_load()), "{op:?}");
            assert_eq!(r.f_store(), one(op.is_store()), "{op:?}");
            assert_eq!(r.f_mem(), one(op.mem_width() > 0), "{op:?}");
            assert_eq!(r.en_a(), one(op.reads_a()), "{op:?}");
            assert_eq!(r.en_b(), one(op.has_b() || op.writes_b()), "{op:?}");
            assert_eq!(r.en_c(), one(op.writes_c()), "{op:?}");
            assert_eq!(r.gset(&SEQUENTIAL), one(op.is_sequential()), "{op:?}");
            assert_eq!(decode::opcode(&r), Felt::new(decoder::code(op)), "{op:?}");
        }
    }
}
