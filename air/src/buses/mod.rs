//! The LogUp buses, one file each. A bus declares its fractions once, in one or more
//! [`Declaration`]s (its lookups, its table): `FRACTIONS`, a list of [`Fraction`]s (bus, name,
//! denominator kind, numerator degree), and `eval`, which pushes them in that order.
//! Everything positional is derived from these declarations: the global fraction order
//! ([`FRACTIONS`], the declarations in the order of the [`buses!`] list), the packing into
//! helper columns under the degree bound ([`crate::logup::PACKING`]), the auxiliary
//! constraint degrees and the periods of the table denominators
//! ([`crate::logup::aux_degrees`]), and the bus each fraction is checked on
//! ([`crate::check`]).
//!
//! A fraction is `num / (alpha - enc(tuple))` with `enc(v_1..v_k) = tag + beta v_1 + ... +
//! beta^k v_k` ([`crate::logup::Challenges::den`]); lookups (and memory tokens) have tuples of
//! trace columns (degree 1), table entries have tuples of periodic columns.
//!
//! | bus (tag) | file | lookups per row | table |
//! |---|---|---|---|
//! | memory (1) | [`memory`] | 8 access tokens, 2 memory-table tokens | none (offline memory checking) |
//! | program (2) | [`program`] | the instruction `(pc, op, b_imm, a, b, c, imm)` | periodic program table, `M_PROG` |
//! | range (3) | [`range`] | 10 byte pairs | `BYTE_K` byte-table entries, `M_RANGE'` |
//! | bitwise (4) | [`bitwise`] | 4 lanes `(x, y, x & y, x ^ y)` | `BYTE_K` byte-table entries, `M_BIT'` |
//! | pow2 (5) | [`pow2`] | `(S, right, P)` of shifts | periodic pow2 table, `M_POW` |
//! | carry (6) | [`carry`] | the memory table's value carried in and out | none (the neighbouring segments) |
//!
//! To add a bus: a new file with its [`Declaration`]s (and its table's periodic columns in
//! [`crate::columns::periodic`]), a [`Bus`] variant, and its declarations in the [`buses!`]
//! list. The list's order is the fractions' order, which fixes the packing: reordering it
//! regroups the helper columns (still a valid AIR, but other aux columns and other proofs).

use crate::columns::{periodic, BYTE_K, BYTE_PERIOD};
use crate::constraints::Row;
use crate::field::{ExtensionOf, Felt, FieldElement};
use crate::logup::Challenges;

pub mod bitwise;
pub mod carry;
pub mod memory;
pub mod pow2;
pub mod program;
pub mod range;

/// A LogUp bus. All buses share one running sum; the discriminant is the bus's tag, the
/// constant term of its tuples' encoding, which keeps the buses apart.
#[derive(Clone, Copy, Debug, PartialEq, Eq, PartialOrd, Ord)]
pub enum Bus {
    /// Memory tokens `(addr, value, timestamp)`.
    Memory = 1,
    /// Program table `(pc, opcode, b_imm, a, b, c, imm)`.
    Program = 2,
    /// Range table: a byte pair `(x, y)`.
    Range = 3,
    /// Bitwise table `(x, y, x & y, x ^ y)`.
    Bitwise = 4,
    /// pow2 table `(amount, direction, value)`.
    Pow2 = 5,
    /// Values carried between segments `(addr, value, link)`.
    Carry = 6,
}

impl Bus {
    /// Every bus, in the order the checker reports them: lookup buses first (a forged lookup
    /// usually also changes a stored value, which then unbalances the memory bus as a
    /// consequence).
    pub const ALL: [Bus; 6] = [
        Bus::Program,
        Bus::Range,
        Bus::Bitwise,
        Bus::Pow2,
        Bus::Memory,
        Bus::Carry,
    ];

    /// The tag of its tuples.
    pub const fn tag(self) -> u64 {
        self as u64
    }

    /// Its name (also its file name).
    pub const fn name(self) -> &'static str {
        match self {
            Bus::Memory => "memory",
            Bus::Program => "program",
            Bus::Range => "range",
            Bus::Bitwise => "bitwise",
            Bus::Pow2 => "pow2",
            Bus::Carry => "carry",
        }
    }
}

/// The period of a table's periodic columns.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Period {
    /// The program table's period `P` (depends on the program).
    Program,
    /// A fixed number of rows.
    Rows(usize),
}

impl Period {
    /// The period in rows, given the program table's period `p`.
    pub const fn rows(self, p: usize) -> usize {
        match self {
            Period::Program => p,
            Period::Rows(r) => r,
        }
    }
}

/// What a fraction's denominator is made of.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Den {
    /// A tuple of trace columns: a lookup or a memory token (degree 1 in the trace).
    Trace,
    /// A table entry: a tuple of periodic columns of this period (degree 0 in the trace).
    Table(Period),
}

/// The declaration of one fraction of a bus.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Fraction {
    /// Its bus.
    pub bus: Bus,
    /// What it is (for documentation and diagnostics).
    pub name: &'static str,
    /// Its denominator.
    pub den: Den,
    /// Degree of its numerator in the trace columns (0 for a constant, 1 for a flag or a
    /// multiplicity, 2 for `en_b`).
    pub num_degree: usize,
}

impl Fraction {
    /// A lookup (or memory token) with a numerator of degree `num_degree`.
    pub const fn lookup(bus: Bus, name: &'static str, num_degree: usize) -> Self {
        Fraction {
            bus,
            name,
            den: Den::Trace,
            num_degree,
        }
    }

    /// A table entry, weighted by minus its multiplicity column.
    pub const fn table(bus: Bus, name: &'static str, period: Period) -> Self {
        Fraction {
            bus,
            name,
            den: Den::Table(period),
            num_degree: 1,
        }
    }

    /// Whether the denominator is a table entry.
    pub const fn is_table(&self) -> bool {
        matches!(self.den, Den::Table(_))
    }

    /// Degree of the denominator in the trace columns.
    pub const fn den_degree(&self) -> usize {
        match self.den {
            Den::Trace => 1,
            Den::Table(_) => 0,
        }
    }
}

/// Writes a bus's fractions `(numerator, denominator)` in order.
pub struct FractionSink<'a, E> {
    out: &'a mut [(E, E)],
    i: usize,
}

impl<'a, E: Copy> FractionSink<'a, E> {
    /// A sink writing into `out` from index 0.
    pub fn new(out: &'a mut [(E, E)]) -> Self {
        FractionSink { out, i: 0 }
    }
    /// Appends one fraction.
    #[inline(always)]
    pub fn push(&mut self, num: E, den: E) {
        self.out[self.i] = (num, den);
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

/// A run of fractions of one bus, evaluated together: a bus's lookups or its table.
pub trait Declaration {
    /// The fractions, in the order [`Declaration::eval`] pushes them.
    const FRACTIONS: &'static [Fraction];

    /// Pushes the fractions `(numerator, denominator)` of transition `r` with the row's
    /// periodic values.
    fn eval<F, E>(r: &Row<F>, periodic: &[F], ch: &Challenges<E>, s: &mut FractionSink<E>)
    where
        F: FieldElement<BaseField = Felt>,
        E: FieldElement<BaseField = Felt> + ExtensionOf<F>;
}

/// Entry `e < 2^16` of the byte-pair tables: `(x, y, x & y, x ^ y)` with `x = e div 256`,
/// `y = e mod 256` (the range table uses `(x, y)`).
pub const fn byte_entry(e: usize) -> [u64; 4] {
    let (x, y) = ((e >> 8) as u64, (e & 255) as u64);
    [x, y, x & y, x ^ y]
}

/// The byte-table periodic columns of entry slot `j < BYTE_K` on the current row (the entry
/// `BYTE_K * (row + 1) + j` of the next row).
#[inline(always)]
pub fn byte_table<F>(periodic: &[F], j: usize) -> &[F] {
    let at = periodic::BYTE + periodic::BYTE_ENTRY_COLS * j;
    &periodic[at..at + periodic::BYTE_ENTRY_COLS]
}

/// The byte-table periodic columns ([`periodic::BYTE_TABLE`]): `BYTE_K` entries per row of
/// the *next* row, `(4 BYTE_K) x BYTE_PERIOD`.
pub fn byte_table_columns() -> Vec<Vec<Felt>> {
    let l = BYTE_PERIOD;
    let mut cols: Vec<Vec<Felt>> = (0..periodic::BYTE_TABLE.len)
        .map(|_| Vec::with_capacity(l))
        .collect();
    for r in 0..l {
        for j in 0..BYTE_K {
            let entry = byte_entry(((r + 1) % l) * BYTE_K + j);
            let at = periodic::BYTE_ENTRY_COLS * j;
            for (c, v) in cols[at..at + periodic::BYTE_ENTRY_COLS]
                .iter_mut()
                .zip(entry)
            {
                c.push(Felt::new(v));
            }
        }
    }
    cols
}

/// Declares the buses' [`Declaration`]s, in the order of their fractions: generates
/// [`NUM_FRACTIONS`], [`FRACTIONS`] and [`fractions`].
macro_rules! buses {
    ($($bus:ident :: $decl:ident),* $(,)?) => {
        /// Fractions per row, over all buses.
        pub const NUM_FRACTIONS: usize = 0 $(+ <$bus::$decl as Declaration>::FRACTIONS.len())*;

        /// Every fraction's declaration, in evaluation order.
        pub const FRACTIONS: [Fraction; NUM_FRACTIONS] =
            concat(&[$(<$bus::$decl as Declaration>::FRACTIONS),*]);

        /// The fractions `(numerator, denominator)` of one transition `(cur, nxt)` with the
        /// row's periodic values, in [`FRACTIONS`] order.
        #[inline(always)]
        pub fn fractions<F, E>(
            cur: &[F],
            nxt: &[F],
            periodic: &[F],
            ch: &Challenges<E>,
        ) -> [(E, E); NUM_FRACTIONS]
        where
            F: FieldElement<BaseField = Felt>,
            E: FieldElement<BaseField = Felt> + ExtensionOf<F>,
        {
            let r = Row { cur, nxt };
            let mut out = [(E::ZERO, E::ZERO); NUM_FRACTIONS];
            let mut s = FractionSink::new(&mut out);
            $(
                let start = s.len();
                <$bus::$decl as Declaration>::eval(&r, periodic, ch, &mut s);
                debug_assert_eq!(
                    s.len() - start,
                    <$bus::$decl as Declaration>::FRACTIONS.len(),
                    concat!("`", stringify!($bus::$decl), "` pushed a wrong number of fractions"),
                );
            )*
            out
        }

        #[cfg(test)]
        #[test]
        fn every_declaration_pushes_its_own_bus_and_count() {
            let row = vec![Felt::ZERO; crate::columns::MAIN_WIDTH];
            let per = vec![Felt::ZERO; periodic::WIDTH];
            let ch = Challenges::<Felt>::new(&[Felt::new(7), Felt::new(11)]);
            $(
                for f in <$bus::$decl as Declaration>::FRACTIONS {
                    assert_eq!(f.bus.name(), stringify!($bus), "{}", f.name);
                }
                let mut out = [(Felt::ZERO, Felt::ZERO); NUM_FRACTIONS];
                let mut s = FractionSink::new(&mut out);
                <$bus::$decl as Declaration>::eval(&Row { cur: &row, nxt: &row }, &per, &ch, &mut s);
                assert_eq!(s.len(), <$bus::$decl as Declaration>::FRACTIONS.len());
            )*
        }
    };
}

buses! {
    program::Instruction,
    range::WordBytes,
    memory::Tokens,
    carry::Link,
    range::GapBytes,
    range::TableGapBytes,
    range::CarryDistanceBytes,
    bitwise::Lanes,
    pow2::Shift,
    program::Table,
    pow2::Table,
    range::Table,
    bitwise::Table,
}

/// Concatenates the buses' declarations.
const fn concat<const N: usize>(parts: &[&[Fraction]]) -> [Fraction; N] {
    let mut out = [Fraction::lookup(Bus::Memory, "", 0); N];
    let (mut p, mut i) = (0, 0);
    while p < parts.len() {
        let mut j = 0;
        while j < parts[p].len() {
            out[i] = parts[p][j];
            i += 1;
            j += 1;
        }
        p += 1;
    }
    assert!(i == N);
    out
}

#[cfg(test)]
mod tests;
