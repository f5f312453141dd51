//! The consensus application: builds and verifies blocks (marshal's [`Application`] with
//! inline verification), applies finalized blocks, and records equivocation evidence.

use std::sync::Arc;
use std::time::Duration;

use commonware_actor::Feedback;
use commonware_consensus::marshal::ancestry::Ancestry;
use commonware_consensus::marshal::Update;
use commonware_consensus::simplex::types::{Activity, Context};
use commonware_consensus::{Application, Heightable, Reporter};
use commonware_cryptography::blake3::Digest;
use commonware_cryptography::ed25519::PublicKey;
use commonware_cryptography::{Digested, Digestible};
use commonware_runtime::{Clock, Metrics, Spawner, Supervisor};
use commonware_utils::{Acknowledgement, SystemTimeExt};
use futures::channel::mpsc;
use futures::StreamExt;

use crate::node::{Behavior, Node, Spec};
use crate::state::{EpochSet, Leaves};
use crate::types::{hex, Block, Tx, MAX_BLOCK_TXS, MAX_BLOCK_TX_BYTES};

/// The simplex signing scheme: ed25519 (attributable, so equivocation evidence names its
/// signer).
pub type Scheme = commonware_consensus::simplex::scheme::ed25519::Scheme;

/// How far ahead of the local clock a block's timestamp may be before a validator waits
/// (rather than votes) for its clock to catch up.
pub const MAX_CLOCK_DRIFT: Duration = Duration::from_secs(5);

/// The application handed to marshal's inline wrapper.
#[derive(Clone)]
pub struct App {
    node: Arc<Node>,
}

impl App {
    /// Wraps the node.
    pub fn new(node: Arc<Node>) -> Self {
        Self { node }
    }

    fn reject(&self, why: String) -> bool {
        tracing::warn!(reason = %why, "refusing block");
        let mut m = self.node.metrics.lock().unwrap();
        m.rejected_blocks += 1;
        m.last_rejection = Some(why);
        false
    }

    /// Effects of an already-notarized ancestor (no proof checks: its notarizing quorum
    /// verified them).
    /// The state after `parent`, replaying unfinalized ancestors from the finalized tip (or
    /// the newest cached post-state). `None` if the chain does not extend the finalized tip
    /// or an ancestor does not apply (permanent); pending while an ancestor is unavailable.
    async fn state_after(
        &self,
        parent: Digested<Block>,
        ancestry: &mut impl Ancestry<Block>,
    ) -> Option<Leaves> {
        let tip = self.node.tip();
        let mut chain: Vec<Digested<Block>> = Vec::new();
        let mut cur = parent;
        let mut base = loop {
            let d = cur.digest();
            if d == tip.digest {
                break tip.leaves.clone();
            }
            if let Some(s) = self.node.spec.lock().unwrap().get(&d) {
                break s.leaves.clone();
            }
            if cur.height().get() <= tip.height {
                return None;
            }
            chain.push(cur);
            // The stream ends only on shutdown or missing data: wait (consensus cancels).
            cur = match ancestry.next().await {
                Some(b) => b,
                None => return futures::future::pending().await,
            };
        };
        for b in chain.into_iter().rev() {
            self.node.apply_block(&mut base, b.inner()).ok()?;
            self.node.spec.lock().unwrap().insert(
                b.digest(),
                Spec {
                    height: b.height().get(),
                    leaves: base.clone(),
                },
            );
        }
        Some(base)
    }
}

impl<E> Application<E> for App
where
    E: Spawner + Supervisor + Metrics + Clock,
{
    type SigningScheme = Scheme;
    type Context = Context<Digest, PublicKey>;
    type Block = Block;
    type Input = ();

    async fn propose(
        &mut self,
        (ctx, _): (E, Self::Context),
        mut ancestry: impl Ancestry<Block>,
        _: (),
    ) -> Option<Digested<Block>> {
        // With nothing to include, wait briefly for a transaction rather than finalize a
        // stream of empty blocks (well inside the leader timeout).
        let mut waited = Duration::ZERO;
        while self.node.mempool_len() == 0 && waited < EMPTY_BLOCK_WAIT {
            ctx.sleep(Duration::from_millis(20)).await;
            waited += Duration::from_millis(20);
        }
        let parent = ancestry.next().await?;
        let parent_ts = parent.inner().timestamp_ms;
        let height = parent.height().next();
        let parent_digest = parent.digest();
        let mut leaves = self.state_after(parent, &mut ancestry).await?;
        let mut txs = Vec::new();
        let mut bytes = 0usize;
        // Only transactions this validator verified (the mempool holds nothing else): a
        // leader never verifies its own proposal.
        for (_, tx, deploy_hash) in self.node.pending_txs(MEMPOOL_SCAN) {
            if txs.len() >= MAX_BLOCK_TXS {
                break;
            }
            let size = commonware_codec::EncodeSize::encode_size(&tx);
            if bytes + size > MAX_BLOCK_TX_BYTES {
                continue;
            }
            if let Ok(e) = self.node.admitted_effect(&leaves, &tx, deploy_hash) {
                leaves.apply(&e);
                bytes += size;
                txs.push(tx);
            }
        }
        if let Behavior::InjectTx(tx) = &self.node.behavior {
            let tx: &Tx = tx;
            // No signature or proof check: that is the byzantine part.
            let effect = match tx {
                Tx::Stake(_) => self.node.admitted_effect(&leaves, tx, None).ok(),
                _ => self.node.tx_effect(&leaves, tx).ok().map(|(e, _)| e),
            };
            if let Some(e) = effect {
                leaves.apply(&e);
                txs.insert(0, tx.clone());
                txs.truncate(MAX_BLOCK_TXS);
            }
        }
        let now = ctx.current().epoch_millis();
        let ts = now.max(parent_ts + 1);
        let block = Block::new(parent_digest, height, ts, leaves.root(), txs);
        let digest = block.digest();
        self.node.spec.lock().unwrap().insert(
            digest,
            Spec {
                height: height.get(),
                leaves,
            },
        );
        self.node.metrics.lock().unwrap().proposed += 1;
        Some(Digested::precomputed(block, digest))
    }

    async fn verify(
        &mut self,
        (ctx, _): (E, Self::Context),
        mut ancestry: impl Ancestry<Block>,
    ) -> bool {
        // An ancestry stream that ends early means shutdown or data that may still arrive:
        // never a permanent `false` (consensus cancels the request when it moves on).
        let Some(digested) = ancestry.next().await else {
            return futures::future::pending().await;
        };
        let Some(parent) = ancestry.next().await else {
            return futures::future::pending().await;
        };
        let block = digested.inner().clone();
        // (marshal's inline wrapper has checked height = parent + 1 and the parent digest.)
        if block.timestamp_ms <= parent.inner().timestamp_ms {
            return self.reject(format!(
                "block at height {} has timestamp {} not after its parent's {}",
                block.height().get(),
                block.timestamp_ms,
                parent.inner().timestamp_ms
            ));
        }
        let drift = MAX_CLOCK_DRIFT.as_millis() as u64;
        loop {
            // Abstain until our clock is close enough (never a permanent `false`), in steps
            // of at most a second.
            let now = ctx.current().epoch_millis();
            if block.timestamp_ms <= now.saturating_add(drift) {
                break;
            }
            let wait = (block.timestamp_ms - now - drift).min(1000);
            ctx.sleep(Duration::from_millis(wait)).await;
        }
        let Some(mut leaves) = self.state_after(parent, &mut ancestry).await else {
            return self.reject(format!(
                "block at height {} does not extend the finalized chain",
                block.height().get()
            ));
        };
        let mut runs = Vec::new();
        for (i, tx) in block.txs.iter().enumerate() {
            match self.node.tx_effect(&leaves, tx) {
                Ok((e, _)) => leaves.apply(&e),
                Err(e) => return self.reject(format!("transaction {i}: {e}")),
            }
            if let Tx::Run(r) = tx {
                runs.push((i, tx.id(), r.clone()));
            }
        }
        // Every proof, checked on the blocking pool, in parallel.
        let checks = runs.iter().map(|(i, id, r)| {
            let node = self.node.clone();
            let ctx = &ctx;
            async move { (*i, node.verify_run(ctx, *id, r).await) }
        });
        for (i, verdict) in futures::future::join_all(checks).await {
            if let Err(e) = verdict {
                return self.reject(format!("transaction {i}: proof rejected: {e}"));
            }
        }
        if leaves.root() != block.state_root {
            return self.reject(format!(
                "block at height {} claims state root {} but its transactions give {}",
                block.height().get(),
                hex(&block.state_root),
                hex(&leaves.root())
            ));
        }
        self.node.spec.lock().unwrap().insert(
            block.digest(),
            Spec {
                height: block.height().get(),
                leaves,
            },
        );
        true
    }
}

/// How long a leader with an empty mempool waits for a transaction before proposing an empty
/// block.
pub const EMPTY_BLOCK_WAIT: Duration = Duration::from_millis(200);

/// How many pending transactions a proposer looks at.
const MEMPOOL_SCAN: usize = 4 * MAX_BLOCK_TXS;

/// Receives marshal's ordered finalized blocks and hands them to [`run_finalizer`].
#[derive(Clone)]
pub struct Finalized {
    tx: mpsc::UnboundedSender<Update<Block>>,
}

impl Reporter for Finalized {
    type Activity = Update<Block>;

    fn report(&mut self, activity: Update<Block>) -> Feedback {
        match self.tx.unbounded_send(activity) {
            Ok(()) => Feedback::Ok,
            Err(_) => Feedback::Closed,
        }
    }
}

/// A reporter for finalized blocks and the receiving end for [`run_finalizer`].
pub fn finalized_channel() -> (Finalized, mpsc::UnboundedReceiver<Update<Block>>) {
    let (tx, rx) = mpsc::unbounded();
    (Finalized { tx }, rx)
}

/// Applies finalized blocks in order (persisting each before acknowledging it to marshal)
/// and hands each new epoch's validator set to the orchestrator. Returns when the channel
/// closes or a block cannot be applied (logged).
pub async fn run_finalizer(
    node: Arc<Node>,
    mut rx: mpsc::UnboundedReceiver<Update<Block>>,
    epochs: mpsc::UnboundedSender<EpochSet>,
) {
    while let Some(update) = rx.next().await {
        match update {
            Update::Tip(_, height, _) => {
                let mut t = node.network_tip.lock().unwrap();
                *t = (*t).max(height.get());
            }
            Update::Block(block, ack) => match node.apply_finalized(block.inner()) {
                Ok(next) => {
                    ack.acknowledge();
                    if let Some(set) = next {
                        let _ = epochs.unbounded_send(set);
                    }
                }
                Err(e) => {
                    tracing::error!(error = %e, "cannot apply finalized block; stopping");
                    return;
                }
            },
        }
    }
}

/// Records the equivocation evidence simplex reports (conflicting notarize or finalize
/// votes, or a nullify and a finalize for the same view by one signer) in the store.
#[derive(Clone)]
pub struct Evidence {
    node: Arc<Node>,
}

impl Evidence {
    /// A recorder writing to `node`'s store.
    pub fn new(node: Arc<Node>) -> Self {
        Self { node }
    }
}

impl Reporter for Evidence {
    type Activity = Activity<Scheme, Digest>;

    fn report(&mut self, activity: Self::Activity) -> Feedback {
        let what = match &activity {
            Activity::ConflictingNotarize(c) => format!("conflicting notarize: {c:?}"),
            Activity::ConflictingFinalize(c) => format!("conflicting finalize: {c:?}"),
            Activity::NullifyFinalize(c) => format!("nullify and finalize: {c:?}"),
            _ => return Feedback::Ok,
        };
        tracing::warn!(evidence = %what, "equivocation");
        if let Err(e) = self.node.store.record_evidence(&what) {
            tracing::error!(error = %e, "cannot record evidence");
        }
        Feedback::Ok
    }
}
