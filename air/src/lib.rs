//! # gloam-air
//!
//! Gloam's algebraic intermediate representation for `winterfell` 0.13, constraints only:
//! the trace columns by region ([`columns`]), the transition constraints by family
//! ([`constraints`]), the LogUp buses by bus ([`buses`]) and their packing into the auxiliary
//! segment ([`logup`]), the boundary assertions ([`boundary`]), the AIR itself ([`GloamAir`])
//! and a row-by-row checker ([`check`]). Field types come from one prelude ([`field`]). The
//! trace builders live in `gloam-prover` (`prover/src/trace/`). `docs/air.md` explains the
//! design and why it is sound.
//!
//! Shape: 86 main columns (105 for programs with loads, stores or globals: `columns::Layout`),
//! of which a proof commits those its program's opcodes use (`columns::committed_columns`:
//! 53 for Fibonacci), and 10 auxiliary (quadratic-extension) columns; 2^14 to 2^22 rows;
//! constraint degree at most 5.
#![deny(missing_docs)]

pub mod air;
pub mod boundary;
pub mod buses;
pub mod check;
pub mod columns;
pub mod constraints;
pub mod decoder;
pub mod field;
pub mod logup;
pub mod proof_file;
pub mod segments;
pub mod zk;

pub use air::{
    default_options, validate_shape, BoundaryState, GloamAir, PublicInputs, SegmentInfo,
    MAX_BOUNDARY_FP, MAX_SEGMENTED_CYCLES, MAX_TRACE_LEN, MIN_TRACE_LEN,
};
pub use field::Felt;
