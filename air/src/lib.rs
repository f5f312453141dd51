//! # gloam-air
//!
//! Gloam's algebraic intermediate representation for `winterfell` 0.13: the trace columns
//! ([`columns`]), the transition constraints by family ([`constraints`]), the LogUp buses of
//! the auxiliary segment ([`logup`]), the AIR itself ([`GloamAir`]) and, with the default
//! `trace-builder` feature, the trace builder ([`trace`]). `docs/air.md` explains the design
//! and why it is sound.
//!
//! Shape: 92 main columns and 9 auxiliary (quadratic-extension) columns; 2^14 to 2^22 rows;
//! constraint degree at most 5.
#![deny(missing_docs)]

pub mod air;
pub mod check;
pub mod columns;
pub mod constraints;
pub mod logup;
pub mod proof_file;
#[cfg(feature = "trace-builder")]
pub mod trace;

pub use air::{
    default_options, validate_shape, GloamAir, PublicInputs, MAX_TRACE_LEN, MIN_TRACE_LEN,
};
pub use winterfell::math::fields::f64::BaseElement as Felt;
