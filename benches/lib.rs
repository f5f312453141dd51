//! Benchmarks live in `benches/prove.rs` (criterion) and the scripts beside this file:
//! `scaling.sh` (2^12 to 2^18 cycles) and `compare_miden.sh` (against Miden VM 0.23.5).
//! `benches/wasmi_compare.rs` and `compare_wasmi.sh` time the executor against wasmi 2.0.
