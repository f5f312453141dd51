//! Wiring one validator: simplex consensus, marshal (ordered finalized blocks, backfill,
//! archives), the block broadcast buffer, transaction gossip, and the application.
//!
//! The same function runs a validator on commonware's deterministic runtime with the
//! simulated network (tests) and on the tokio runtime with authenticated p2p (processes).
//!
//! Channels (one p2p channel each): 0 votes, 1 certificates, 2 simplex's certificate
//! resolver, 3 marshal backfill, 4 block broadcast, 5 transaction gossip.

use std::num::{NonZeroU16, NonZeroU64, NonZeroUsize};
use std::sync::Arc;
use std::time::Duration;

use commonware_broadcast::buffered;
use commonware_consensus::marshal::{self, core::Actor as Marshal, standard::Inline};
use commonware_consensus::simplex::config::{Floor, ForwardPolicy, SkipBudget, SkipPolicy};
use commonware_consensus::simplex::scheme::reporter::AttributableReporter;
use commonware_consensus::simplex::{self};
use commonware_consensus::types::{Epoch, FixedEpocher, ViewDelta};
use commonware_consensus::Reporters;
use commonware_cryptography::certificate::ConstantProvider;
use commonware_cryptography::ed25519::{PrivateKey, PublicKey};
use commonware_cryptography::{Digested, Digestible, Signer};
use commonware_p2p::{Blocker, Provider, Receiver, Recipients, Sender};
use commonware_parallel::Sequential;
use commonware_runtime::buffer::paged::CacheRef;
use commonware_runtime::{Clock, Handle, Metrics, Spawner, Storage, Supervisor};
use commonware_storage::archive::immutable;
use commonware_utils::ordered::Set;
use commonware_utils::{NZDuration, NZUsize, NZU16, NZU64};
use futures::channel::mpsc;
use futures::StreamExt;
use rand_core::CryptoRng;

use crate::app::{finalized_channel, genesis_block, run_finalizer, App, Evidence, Scheme};
use crate::elector::StakeWeighted;
use crate::node::{Node, SubmitError};
use crate::types::TxId;

/// Consensus timeouts.
#[derive(Clone, Debug)]
pub struct Timeouts {
    /// Wait for the leader's proposal.
    pub leader: Duration,
    /// Wait for certification progress (must exceed `leader`).
    pub certification: Duration,
    /// Retry interval of a nullify broadcast.
    pub timeout_retry: Duration,
    /// Peer request timeout.
    pub fetch: Duration,
}

impl Default for Timeouts {
    fn default() -> Self {
        Self {
            leader: Duration::from_secs(1),
            certification: Duration::from_secs(2),
            timeout_retry: Duration::from_secs(5),
            fetch: Duration::from_secs(1),
        }
    }
}

/// What one validator needs to start.
#[derive(Clone)]
pub struct ValidatorConfig {
    /// This validator's ed25519 key.
    pub signer: PrivateKey,
    /// Every validator and its stake.
    pub validators: Vec<(PublicKey, u64)>,
    /// Hash of the genesis file (chain identity).
    pub genesis_hash: [u8; 32],
    /// Signature namespace (derived from the chain id).
    pub namespace: Vec<u8>,
    /// Prefix of this validator's storage partitions.
    pub partition_prefix: String,
    /// Consensus timeouts.
    pub timeouts: Timeouts,
}

/// The six p2p channels of one validator (see the module docs).
pub struct Channels<S, R> {
    /// Simplex votes.
    pub votes: (S, R),
    /// Simplex certificates.
    pub certificates: (S, R),
    /// Simplex certificate resolver.
    pub resolver: (S, R),
    /// Marshal backfill.
    pub backfill: (S, R),
    /// Block broadcast.
    pub blocks: (S, R),
    /// Transaction gossip.
    pub txs: (S, R),
}

/// Largest p2p message (bytes): a block at its limit, with framing.
pub const MAX_MESSAGE_BYTES: u32 = (crate::types::MAX_BLOCK_BYTES + 64 * 1024) as u32;

/// A running validator.
pub struct Validator {
    /// Its application state.
    pub node: Arc<Node>,
    /// Its public key.
    pub public_key: PublicKey,
    gossip: mpsc::UnboundedSender<Vec<u8>>,
    /// Task handles (abort them to crash the validator).
    pub handles: Vec<Handle<()>>,
}

impl Validator {
    /// Mempool admission of `bytes` (see [`Node::submit`]), then gossip to the other
    /// validators so that any leader can include it.
    ///
    /// # Errors
    /// [`SubmitError`] with the reason.
    pub async fn submit<E: Spawner + Supervisor>(
        &self,
        context: &E,
        bytes: &[u8],
    ) -> Result<TxId, SubmitError> {
        self.submitter().submit(context, bytes).await
    }

    /// A handle that can submit from another task.
    pub fn submitter(&self) -> Submitter {
        Submitter {
            node: self.node.clone(),
            gossip: self.gossip.clone(),
        }
    }

    /// Aborts every task (a crash: nothing is flushed beyond what was committed).
    pub fn crash(self) {
        for h in self.handles {
            h.abort();
        }
    }
}

/// Submits transactions to one validator (cloneable; used by the HTTP API).
#[derive(Clone)]
pub struct Submitter {
    /// The validator's state.
    pub node: Arc<Node>,
    gossip: mpsc::UnboundedSender<Vec<u8>>,
}

impl Submitter {
    /// See [`Validator::submit`].
    ///
    /// # Errors
    /// [`SubmitError`].
    pub async fn submit<E: Spawner + Supervisor>(
        &self,
        context: &E,
        bytes: &[u8],
    ) -> Result<TxId, SubmitError> {
        let at = std::time::Instant::now();
        let id = self.node.submit(context, bytes).await?;
        self.node.mark_submitted(id, at);
        let _ = self.gossip.unbounded_send(bytes.to_vec());
        Ok(id)
    }
}

const PAGE_SIZE: NonZeroU16 = NZU16!(4096);
const PAGE_CACHE: NonZeroUsize = NZUsize!(1024);
const BUFFER: NonZeroUsize = NZUsize!(1 << 20);
const ITEMS_PER_SECTION: NonZeroU64 = NZU64!(4096);

fn archive_config<C>(prefix: &str, name: &str, cache: &CacheRef, codec: C) -> immutable::Config<C> {
    immutable::Config {
        metadata_partition: format!("{prefix}-{name}-metadata"),
        freezer_table_partition: format!("{prefix}-{name}-freezer-table"),
        freezer_table_initial_size: 1024,
        freezer_table_resize_frequency: 4,
        freezer_table_resize_chunk_size: 1024,
        freezer_key_partition: format!("{prefix}-{name}-freezer-key"),
        freezer_key_page_cache: cache.clone(),
        freezer_value_partition: format!("{prefix}-{name}-freezer-value"),
        freezer_value_target_size: 64 << 20,
        freezer_value_compression: None,
        ordinal_partition: format!("{prefix}-{name}-ordinal"),
        items_per_section: ITEMS_PER_SECTION,
        freezer_key_write_buffer: BUFFER,
        freezer_value_write_buffer: BUFFER,
        ordinal_write_buffer: BUFFER,
        replay_buffer: BUFFER,
        codec_config: codec,
    }
}

/// Starts one validator over `node` and returns its handles.
///
/// # Panics
/// If the signer is not among the validators, or storage cannot be initialised (both are
/// checked by the callers before).
pub async fn start<E, B, P, S, R>(
    context: E,
    cfg: ValidatorConfig,
    node: Arc<Node>,
    blocker: B,
    provider: P,
    channels: Channels<S, R>,
) -> Validator
where
    E: Clock + CryptoRng + Spawner + Supervisor + Storage + Metrics + Send + Sync + 'static,
    B: Blocker<PublicKey = PublicKey>,
    P: Provider<PublicKey = PublicKey>,
    S: Sender<PublicKey = PublicKey>,
    R: Receiver<PublicKey = PublicKey>,
{
    let me = cfg.signer.public_key();
    let participants: Set<PublicKey> = Set::try_from(
        cfg.validators
            .iter()
            .map(|(k, _)| k.clone())
            .collect::<Vec<_>>(),
    )
    .expect("validator keys are distinct");
    let scheme = Scheme::signer(&cfg.namespace, participants, cfg.signer.clone())
        .expect("this validator is in the validator set");
    let genesis = genesis_block(cfg.genesis_hash);
    let genesis_digest = genesis.digest();
    let prefix = cfg.partition_prefix.clone();
    let mailbox = NZUsize!(1024);
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE);

    // Block broadcast buffer.
    let (broadcast, buffer) = buffered::Engine::new(
        context.child("broadcast"),
        buffered::Config {
            public_key: me.clone(),
            mailbox_size: mailbox,
            deque_size: 16,
            priority: false,
            codec_config: (),
            peer_provider: provider.clone(),
            strategy: Sequential,
        },
    );
    let broadcast_handle = broadcast.start(channels.blocks);

    // Backfill resolver for marshal.
    let resolver = marshal::resolver::p2p::init(
        context.child("backfill"),
        marshal::resolver::p2p::Config {
            public_key: me.clone(),
            peer_provider: provider.clone(),
            blocker: blocker.clone(),
            mailbox_size: mailbox,
            fetch_timeout: NZDuration!(Duration::from_secs(2)),
            fetch_retry_delay: Duration::from_millis(200),
            priority_requests: false,
            priority_responses: false,
        },
        channels.backfill,
    );

    // Archives of finalized blocks and their finalizations.
    let finalizations = immutable::Archive::init(
        context.child("finalizations_archive"),
        archive_config(
            &prefix,
            "finalizations",
            &page_cache,
            <Scheme as commonware_cryptography::certificate::Verifier>::certificate_codec_config_unbounded(),
        ),
    )
    .await
    .expect("finalizations archive");
    let blocks = immutable::Archive::init(
        context.child("blocks_archive"),
        archive_config(&prefix, "blocks", &page_cache, ()),
    )
    .await
    .expect("blocks archive");

    // One epoch (validator-set changes are not implemented; see docs/node.md).
    let epocher = FixedEpocher::new(NZU64!(u64::MAX));
    let (marshal, marshal_mailbox, _floor) = Marshal::init(
        context.child("marshal"),
        finalizations,
        blocks,
        marshal::Config {
            provider: ConstantProvider::new(scheme.clone()),
            epocher: epocher.clone(),
            start: marshal::Start::Genesis(Digested::precomputed(genesis, genesis_digest)),
            partition_prefix: prefix.clone(),
            mailbox_size: mailbox,
            view_retention: ViewDelta::new(256),
            prunable_items_per_section: NZU64!(256),
            page_cache: page_cache.clone(),
            replay_buffer: BUFFER,
            key_write_buffer: BUFFER,
            value_write_buffer: BUFFER,
            block_codec_config: (),
            max_repair: NZUsize!(16),
            max_pending_acks: NZUsize!(8),
            strategy: Sequential,
        },
    )
    .await;
    let (finalized, finalized_rx) = finalized_channel();
    let marshal_handle = marshal.start(finalized, buffer, resolver);

    let inline = Inline::new(
        context.child("application"),
        App::new(node.clone()),
        marshal_mailbox,
        epocher,
    );
    let evidence = AttributableReporter::new(
        context.child("evidence"),
        scheme.clone(),
        Evidence::new(node.clone()),
        Sequential,
        true,
    );
    let reporter: Reporters<_, _> = (inline.clone(), evidence).into();
    let engine = simplex::Engine::new(
        context.child("consensus"),
        simplex::config::Config {
            scheme,
            elector: StakeWeighted {
                stakes: cfg.validators.clone(),
                seed: genesis_digest.0,
            },
            blocker,
            automaton: inline.clone(),
            relay: inline,
            reporter,
            strategy: Sequential,
            partition: format!("{prefix}-simplex"),
            mailbox_size: mailbox,
            epoch: Epoch::zero(),
            floor: Floor::Genesis(genesis_digest),
            replay_buffer: BUFFER,
            write_buffer: BUFFER,
            page_cache,
            leader_timeout: cfg.timeouts.leader,
            certification_timeout: cfg.timeouts.certification,
            timeout_retry: cfg.timeouts.timeout_retry,
            view_retention: ViewDelta::new(256),
            skip: SkipPolicy::Enabled {
                timeout: cfg.timeouts.certification + cfg.timeouts.timeout_retry,
                budget: SkipBudget::Participants,
            },
            fetch_timeout: NZDuration!(Duration::from_secs(1)),
            fetch_retry_delay: Duration::from_millis(100),
            forward: ForwardPolicy::SilentVoters,
            track_historical_votes: false,
        },
    );
    let consensus_handle = engine.start(channels.votes, channels.certificates, channels.resolver);

    let finalizer_node = node.clone();
    let finalizer_handle = context
        .child("finalizer")
        .spawn(move |_| run_finalizer(finalizer_node, finalized_rx));

    // Transaction gossip: out to every peer, in through mempool admission.
    let (gossip, mut gossip_rx) = mpsc::unbounded::<Vec<u8>>();
    let (mut tx_sender, tx_receiver) = channels.txs;
    let gossip_out = context.child("gossip_out").spawn(move |_| async move {
        while let Some(bytes) = gossip_rx.next().await {
            tx_sender.send(Recipients::All, bytes, false);
        }
    });
    let in_node = node.clone();
    let gossip_in = context.child("gossip_in").spawn(move |ctx| async move {
        // One at a time: admitting gossip concurrently measured slower (more proofs verified
        // twice, by admission and by block verification racing for the same bytes).
        let mut tx_receiver = tx_receiver;
        while let Ok((_, msg)) = tx_receiver.recv().await {
            let bytes = msg.as_ref().to_vec();
            if let Err(e) = in_node.submit(&ctx, &bytes).await {
                tracing::debug!(error = %e, "gossiped transaction not admitted");
            }
        }
    });

    Validator {
        node,
        public_key: me,
        gossip,
        handles: vec![
            broadcast_handle,
            marshal_handle,
            consensus_handle,
            finalizer_handle,
            gossip_out,
            gossip_in,
        ],
    }
}
