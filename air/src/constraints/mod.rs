//! Main-trace transition constraints, one family per file.
//!
//! Every family lists its constraints as `(name, degree)` in `CONSTRAINTS` and pushes exactly
//! that many evaluations, in that order, from `eval`. Each constraint is multiplied by the
//! opcode flags it applies to, so on other rows it vanishes. Degrees count one per trace column
//! factor. The LogUp arguments over the auxiliary segment live in [`crate::logup`].

use crate::columns::*;
use crate::field::{k, Felt, FieldElement};
use gloam_isa::Op;

pub mod arith;
pub mod bitwise;
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
    /// Flag of `op`.
    #[inline(always)]
    pub fn f(&self, op: Op) -> E {
        self.cur[flag(op)]
    }
    /// Sum of the flags of `ops`.
    pub fn fs(&self, ops: &[Op]) -> E {
        ops.iter().fold(E::ZERO, |acc, op| acc + self.f(*op))
    }
    /// Sum of the flag columns in `set` (see [`flag_set`]).
    #[inline(always)]
    pub fn fset(&self, set: &FlagSet) -> E {
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
    /// Sum of the load flags.
    pub fn f_load(&self) -> E {
        self.fs(load_store::LOADS)
    }
    /// Sum of the store flags.
    pub fn f_store(&self) -> E {
        self.fs(load_store::STORES)
    }
    /// Access-enable of `d`: the load or store crosses a 4-byte boundary (a 4-byte access
    /// at offset 1..3, a 2-byte access at offset 3). Degree 2.
    pub fn en_d(&self) -> E {
        let w4 = self.fs(&[Op::I32Load, Op::I32Store]);
        let w2 = self.fs(&[Op::I32Load16S, Op::I32Load16U, Op::I32Store16]);
        w4 * (E::ONE - self.c(O)) + w2 * self.c(O + 3)
    }
    /// Access-enable of slot `a` (a read).
    pub fn en_a(&self) -> E {
        self.fset(&READS_A)
    }
    /// Opcodes reading slot `b` when `b_imm` is off.
    pub fn read_b(&self) -> E {
        self.fset(&HAS_B)
    }
    /// Access-enable of slot `b`: a read unless the immediate is used, or `call`'s write.
    pub fn en_b(&self) -> E {
        self.read_b() * (E::ONE - self.c(BIMM)) + self.f(Op::Call)
    }
    /// Access-enable of slot `c` (a write).
    pub fn en_c(&self) -> E {
        self.fset(&WRITES_C)
    }
    /// Timestamp of access `j` (0 = a, 1 = b, 2 = c, 3 = d) of this row:
    /// `ACCESSES_PER_ROW * IDX + j + 1` (see [`ACCESSES_PER_ROW`]).
    pub fn ts(&self, j: u64) -> E {
        self.c(IDX) * k::<E>(ACCESSES_PER_ROW as u64) + k::<E>(j + 1)
    }
}

/// A set of opcode-flag columns, fixed at compile time.
pub struct FlagSet {
    cols: [usize; Op::NUM_FLAGS],
    len: usize,
}

/// Opcode properties a [`FlagSet`] can be built from.
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

/// The flag columns of the opcodes (with a flag) that have `property`.
pub const fn flag_set(property: Property) -> FlagSet {
    let mut cols = [0; Op::NUM_FLAGS];
    let mut len = 0;
    let mut i = 0;
    while i < Op::ALL.len() {
        let op = Op::ALL[i];
        let has = match property {
            Property::ReadsA => op.reads_a(),
            Property::HasB => op.has_b(),
            Property::WritesC => op.writes_c(),
            Property::Sequential => op.is_sequential(),
        };
        if op.is_provable() && has {
            cols[len] = flag(op);
            len += 1;
        }
        i += 1;
    }
    FlagSet { cols, len }
}

/// Opcodes reading slot `a`.
pub const READS_A: FlagSet = flag_set(Property::ReadsA);
/// Opcodes with a `B` operand.
pub const HAS_B: FlagSet = flag_set(Property::HasB);
/// Opcodes writing slot `c`.
pub const WRITES_C: FlagSet = flag_set(Property::WritesC);
/// Opcodes that continue at `pc + 1`.
pub const SEQUENTIAL: FlagSet = flag_set(Property::Sequential);

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

families!(decode, control, arith, mul, div, bitwise, eq, cmov, memory, load_store, globals, table);

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
mod tests {
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
        assert_eq!(num_main_constraints(), 116);
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
}
