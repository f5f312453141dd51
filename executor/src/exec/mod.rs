//! Execution: two concrete interpreters over one shared machine state.
//!
//! - `frame.rs`: [`Frame`](frame::Frame), the state both interpreters share (the instance,
//!   the slot stack, `pc`, `fp`, the call depth), entry-frame setup, stack growth and trap
//!   location;
//! - `fast.rs`: the fast interpreter (every instruction, results only, unchecked slot access
//!   behind the instantiation-time bound `max_offset`);
//! - `traced.rs`: the trace-recording interpreter (only the opcodes the AIR covers, one
//!   [`Step`](crate::Step) per cycle);
//! - `invoke.rs`: the entry points — `Store::instantiate` (which runs the start function),
//!   `Store::invoke`, `Store::invoke_counted`, calls by store address, host calls, and the
//!   free functions [`run`] and [`run_traced`].
//!
//! Dependencies go one way: `exec` uses `store` (entities, instances, limits), and `store`
//! never names anything in `exec`. The `Store` methods that execute code are `impl Store`
//! blocks in `invoke.rs`. Within `exec`, the fast interpreter calls back into
//! `invoke.rs` for calls that leave its instance, which run a nested machine.

mod fast;
mod frame;
mod invoke;
mod traced;

pub use invoke::{run, run_io, run_traced, run_traced_chunks_io, run_traced_io};
