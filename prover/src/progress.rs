//! Proving phases, reported as they start. `winterfell` marks its phases with `tracing` spans;
//! a small `tracing` layer turns those spans into [`Phase`] callbacks.

use std::sync::Arc;

use tracing::span::{Attributes, Id};
use tracing::Subscriber;
use tracing_subscriber::layer::{Context, Layer, SubscriberExt};

/// A proving phase.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Phase {
    /// Running the program with trace recording.
    Execute,
    /// Building the main trace.
    BuildTrace,
    /// Low-degree extension and Merkle commitment of the main trace.
    CommitMain,
    /// Building the LogUp (auxiliary) columns.
    BuildAux,
    /// Low-degree extension and commitment of the auxiliary trace.
    CommitAux,
    /// Evaluating the constraints over the constraint-evaluation domain.
    Constraints,
    /// Committing to the constraint composition polynomial.
    Composition,
    /// Building the DEEP composition polynomial.
    Deep,
    /// FRI layers.
    Fri,
    /// Proof-of-work grinding and query openings.
    Queries,
    /// Finished.
    Done,
}

impl Phase {
    /// Short human-readable label.
    pub fn label(self) -> &'static str {
        match self {
            Phase::Execute => "execute",
            Phase::BuildTrace => "build trace",
            Phase::CommitMain => "commit main trace",
            Phase::BuildAux => "build LogUp columns",
            Phase::CommitAux => "commit aux trace",
            Phase::Constraints => "evaluate constraints",
            Phase::Composition => "commit composition",
            Phase::Deep => "DEEP composition",
            Phase::Fri => "FRI",
            Phase::Queries => "queries",
            Phase::Done => "done",
        }
    }

    /// Position in the sequence (for progress bars), out of [`Phase::COUNT`].
    pub fn index(self) -> u64 {
        self as u64
    }

    /// Number of phases before `Done`.
    pub const COUNT: u64 = 10;
}

struct PhaseLayer {
    cb: Arc<dyn Fn(Phase) + Send + Sync>,
}

impl<S: Subscriber> Layer<S> for PhaseLayer {
    fn on_new_span(&self, attrs: &Attributes<'_>, _id: &Id, _ctx: Context<'_, S>) {
        let phase = match attrs.metadata().name() {
            "commit_to_main_trace_segment" => Phase::CommitMain,
            "commit_to_aux_trace_segment" => Phase::CommitAux,
            "commit_to_constraint_evaluations" => Phase::Composition,
            "build_deep_composition_poly" => Phase::Deep,
            "compute_fri_layers" => Phase::Fri,
            "determine_query_positions" => Phase::Queries,
            _ => return,
        };
        (self.cb)(phase);
    }
}

/// Runs `f` with `winterfell`'s spans on this thread reported to `cb`.
pub fn with_phase_reports<R>(cb: Arc<dyn Fn(Phase) + Send + Sync>, f: impl FnOnce() -> R) -> R {
    let subscriber = tracing_subscriber::registry().with(PhaseLayer { cb });
    tracing::subscriber::with_default(subscriber, f)
}
