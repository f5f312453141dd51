//! The trace builders, one module per `gloam-air` module they fill: the main trace's columns
//! ([`columns`], after `air/src/columns.rs`), the families' advice values ([`constraints`],
//! after `air/src/constraints/`), the buses' multiplicity columns ([`buses`], after
//! `air/src/buses/`) and the auxiliary LogUp segment ([`logup`], after `air/src/logup.rs`).
//! `gloam-air` holds the constraints only; everything that computes a trace lives here.

pub mod buses;
pub mod columns;
pub mod constraints;
pub mod logup;

pub use buses::fill_multiplicities;
pub use columns::{
    build_main_trace, build_main_trace_io, trace_len, trace_rows, trace_rows_io, MainTrace,
    TraceError,
};
pub use logup::build_aux_columns;
