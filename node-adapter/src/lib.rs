//! # gloam-node
//!
//! A proof-of-stake validator network whose validators accept contract runs by verifying
//! their STARK proofs — never by re-executing them, never seeing private inputs.
//!
//! Built on commonware (pinned `=2026.10.0`): simplex BFT consensus with ed25519 validator
//! keys and stake-weighted leader election ([`elector`]), marshal for ordered delivery,
//! backfill and archives of finalized blocks, a buffered broadcast for blocks, and
//! authenticated p2p (or the simulated network in tests). Application state lives in `redb`
//! ([`state`]). The design is explained in `docs/node.md`.
//!
//! The only Gloam dependency is `gloam-verifier`.
#![deny(missing_docs)]

pub mod app;
pub mod elector;
pub mod engine;
pub mod node;
pub mod notes;
pub mod state;
pub mod types;

pub use node::{Behavior, Node, SubmitError};
pub use types::{Block, RunTx, StakeTx, Tx, TxId};
pub mod api;
pub mod client;
pub mod run;
