//! Wiring one validator: simplex consensus (one engine per epoch, started and stopped by an
//! orchestrator), marshal (ordered finalized blocks across epochs, backfill, archives), the
//! block broadcast buffer, transaction gossip, and the application.
//!
//! The same function runs a validator on commonware's deterministic runtime with the
//! simulated network (tests) and on the tokio runtime with authenticated p2p (processes).
//!
//! Channels (one p2p channel each): 0 votes, 1 certificates, 2 simplex's certificate
//! resolver, 3 marshal backfill, 4 block broadcast, 5 transaction gossip. The first three are
//! multiplexed by epoch (a sub-channel per epoch engine).
//!
//! # Epochs
//! Epoch `e` holds the heights `e·L ..= e·L + L − 1` (`L` = the genesis file's
//! `epoch_length`). When the finalizer applies the last block of epoch `e`, the node fixes
//! the validator set of `e + 1` from the state after that block (stake transactions) and
//! the orchestrator stops epoch `e`'s simplex engine and starts one for `e + 1`: with the new
//! participants, a signing scheme if this node is one of them (else a verify-only observer
//! that still follows finality), the stake-weighted elector seeded with the boundary block's
//! digest, and that block as the consensus floor. Marshal's epocher makes the last block of
//! an epoch final for that epoch (a leader re-proposes it instead of building past it), and
//! its certificate provider holds a scheme per epoch, so certificates of any epoch verify
//! against that epoch's set. A node that sees votes of a later epoch than its own asks
//! marshal to fetch its epoch's boundary finalization from the sender, which is how a
//! restarted or newly joined node crosses epochs it missed.

use std::num::{NonZeroU16, NonZeroU64, NonZeroUsize};
use std::sync::Arc;
use std::time::Duration;

use commonware_broadcast::buffered;
use commonware_consensus::marshal::{self, core::Actor as Marshal, standard::Inline};
use commonware_consensus::simplex::config::{Floor, ForwardPolicy, SkipBudget, SkipPolicy};
use commonware_consensus::simplex::scheme::reporter::AttributableReporter;
use commonware_consensus::simplex::{self};
use commonware_consensus::types::{Epoch, Height, ViewDelta};
use commonware_consensus::Reporters;
use commonware_cryptography::blake3::Digest;
use commonware_cryptography::certificate::{self, Scoped};
use commonware_cryptography::ed25519::{PrivateKey, PublicKey};
use commonware_cryptography::{Digested, Digestible, Signer};
use commonware_p2p::utils::mux::{Builder as _, Muxer};
use commonware_p2p::{Blocker, Provider, Receiver, Recipients, Sender};
use commonware_parallel::Sequential;
use commonware_runtime::buffer::paged::CacheRef;
use commonware_runtime::{Clock, Handle, Metrics, Spawner, Storage, Supervisor};
use commonware_storage::archive::immutable;
use commonware_utils::ordered::Set;
use commonware_utils::vec::NonEmptyVec;
use commonware_utils::{NZDuration, NZUsize, NZU16, NZU64};
use futures::channel::mpsc;
use futures::StreamExt;
use rand_core::CryptoRng;

use crate::app::{finalized_channel, run_finalizer, App, Evidence, Scheme};
use crate::elector::StakeWeighted;
use crate::node::{Node, SubmitError};
use crate::state::EpochSet;
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

/// What one validator needs to start (the chain itself is in its [`Node`]).
#[derive(Clone)]
pub struct ValidatorConfig {
    /// This validator's ed25519 key.
    pub signer: PrivateKey,
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

/// Keeps the p2p layer's peer sets in step with the epochs: called with each epoch's set
/// before its engine starts (commonware's `track(epoch, peers)`).
pub trait PeerSets: Send + 'static {
    /// Tracks `set` as peer set `set.epoch`.
    fn track(&mut self, set: &EpochSet);
}

/// For networks whose peers are managed elsewhere (the simulated network of the tests,
/// where the harness registers every node).
pub struct Untracked;

impl PeerSets for Untracked {
    fn track(&mut self, _: &EpochSet) {}
}

/// Public keys of an epoch's members (malformed keys are skipped: they cannot be in a
/// finalized state, whose stake transactions carry decoded keys).
pub fn member_keys(set: &EpochSet) -> Vec<(PublicKey, u64, String)> {
    use commonware_codec::DecodeExt;
    set.members
        .iter()
        .filter_map(|m| {
            PublicKey::decode(commonware_codec::Copying(m.key.as_slice()))
                .ok()
                .map(|k| (k, m.stake, m.address.clone()))
        })
        .collect()
}

/// Marshal's certificate provider: one simplex scheme per epoch whose set is known, signing
/// for epochs this node is a member of and verify-only for the others.
#[derive(Clone)]
pub struct EpochSchemes {
    namespace: Arc<Vec<u8>>,
    signer: PrivateKey,
    schemes: Arc<std::sync::Mutex<std::collections::BTreeMap<u64, Scoped<Scheme>>>>,
}

impl EpochSchemes {
    /// A provider with no epochs.
    pub fn new(namespace: &[u8], signer: PrivateKey) -> Self {
        Self {
            namespace: Arc::new(namespace.to_vec()),
            signer,
            schemes: Default::default(),
        }
    }

    /// Adds (or returns) the scheme of `set`'s epoch; `true` if this node signs in it.
    pub fn insert(&self, set: &EpochSet) -> (Scheme, bool) {
        let keys: Vec<PublicKey> = member_keys(set).into_iter().map(|(k, _, _)| k).collect();
        let participants = Set::try_from(keys).expect("members are distinct");
        let me = self.signer.public_key();
        let signing = participants.iter().any(|k| *k == me);
        let scheme = if signing {
            Scheme::signer(&self.namespace, participants, self.signer.clone())
                .expect("a member can sign")
        } else {
            Scheme::verifier(&self.namespace, participants)
        };
        let scoped = if signing {
            Scoped::scheme(Arc::new(scheme.clone()))
        } else {
            Scoped::verifier(Arc::new(scheme.clone()))
        };
        self.schemes.lock().unwrap().insert(set.epoch, scoped);
        (scheme, signing)
    }
}

impl certificate::Provider for EpochSchemes {
    type Scope = Epoch;
    type Scheme = Scheme;

    fn scoped(&self, epoch: Epoch) -> Option<Scoped<Scheme>> {
        self.schemes.lock().unwrap().get(&epoch.get()).cloned()
    }
}

/// Starts one validator over `node` and returns its handles. A node whose key is in no
/// epoch's set yet runs as an observer (follows finality, never votes) until its stake puts
/// it in one.
///
/// # Panics
/// If storage cannot be initialised (checked by the callers before).
#[allow(clippy::too_many_arguments)]
pub async fn start<E, B, P, S, R, T>(
    context: E,
    cfg: ValidatorConfig,
    node: Arc<Node>,
    blocker: B,
    provider: P,
    mut peer_sets: T,
    channels: Channels<S, R>,
) -> Validator
where
    E: Clock + CryptoRng + Spawner + Supervisor + Storage + Metrics + Send + Sync + 'static,
    B: Blocker<PublicKey = PublicKey>,
    P: Provider<PublicKey = PublicKey>,
    S: Sender<PublicKey = PublicKey>,
    R: Receiver<PublicKey = PublicKey>,
    T: PeerSets,
{
    let me = cfg.signer.public_key();
    let genesis = node.chain().genesis_block();
    let genesis_digest = genesis.digest();
    let prefix = cfg.partition_prefix.clone();
    let mailbox = NZUsize!(1024);
    let page_cache = CacheRef::new(PAGE_SIZE, PAGE_CACHE);

    // Every epoch fixed so far gets a scheme (marshal verifies old certificates with them).
    let schemes = EpochSchemes::new(&cfg.namespace, cfg.signer.clone());
    for e in 0..=node.current_epoch() {
        if let Some(set) = node.epoch_set(e) {
            schemes.insert(&set);
        }
    }

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

    let epocher = node.chain().epocher();
    let (marshal, marshal_mailbox, _floor) = Marshal::init(
        context.child("marshal"),
        finalizations,
        blocks,
        marshal::Config {
            provider: schemes.clone(),
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
        marshal_mailbox.clone(),
        epocher,
    );

    let (epoch_tx, mut epoch_rx) = mpsc::unbounded::<EpochSet>();
    let finalizer_node = node.clone();
    let finalizer_handle = context
        .child("finalizer")
        .spawn(move |_| run_finalizer(finalizer_node, finalized_rx, epoch_tx));

    // The orchestrator: one simplex engine at a time, on per-epoch sub-channels.
    let orch_node = node.clone();
    let timeouts = cfg.timeouts.clone();
    let (votes, certificates, certificate_resolver) =
        (channels.votes, channels.certificates, channels.resolver);
    let orchestrator = context.child("orchestrator").spawn(move |ctx| async move {
        let node = orch_node;
        let (vote_mux, mut vote_handle, mut vote_backup) =
            Muxer::builder(ctx.child("vote_mux"), votes.0, votes.1)
                .with_backup()
                .build();
        let _vote_mux = vote_mux.start();
        let (cert_mux, mut cert_handle, mut cert_backup) =
            Muxer::builder(ctx.child("certificate_mux"), certificates.0, certificates.1)
                .with_backup()
                .build();
        let _cert_mux = cert_mux.start();
        let (res_mux, mut res_handle) = Muxer::new(
            ctx.child("resolver_mux"),
            certificate_resolver.0,
            certificate_resolver.1,
        );
        let _res_mux = res_mux.start();

        // Traffic of a later epoch than ours means the network crossed our epoch's boundary:
        // ask marshal to fetch that boundary's finalization from the sender (it verifies it
        // against our epoch's set and delivers the blocks; the finalizer then moves us on).
        let hint = |ours: u64, theirs: u64, from: PublicKey| {
            if theirs > ours {
                marshal_mailbox
                    .hint_finalized(Height::new(node.last_height(ours)), NonEmptyVec::new(from));
            }
        };
        let mut target = node.current_epoch();
        let mut active: Option<(u64, Handle<()>)> = None;
        loop {
            if active.as_ref().map(|a| a.0) != Some(target) {
                if let Some((old, h)) = active.take() {
                    h.abort();
                    // The finished epoch's consensus journal is not needed again (its
                    // finalized blocks and certificates are in marshal's archives).
                    let partition = format!("{prefix}-simplex-{old}");
                    if let Err(e) = ctx.remove(&partition, None).await {
                        tracing::debug!(error = %e, partition, "cannot remove the old journal");
                    }
                }
                let Some(set) = node.epoch_set(target) else {
                    tracing::error!(
                        epoch = target,
                        "validator set of the epoch unknown; stopping"
                    );
                    return;
                };
                peer_sets.track(&set);
                let (scheme, signing) = schemes.insert(&set);
                let members = member_keys(&set);
                let stakes: Vec<(PublicKey, u64)> =
                    members.iter().map(|(k, s, _)| (k.clone(), *s)).collect();
                let evidence = AttributableReporter::new(
                    ctx.child("evidence"),
                    scheme.clone(),
                    Evidence::new(node.clone()),
                    Sequential,
                    true,
                );
                let reporter: Reporters<_, _> = (inline.clone(), evidence).into();
                let engine = simplex::Engine::new(
                    ctx.child("consensus"),
                    simplex::config::Config {
                        scheme,
                        elector: StakeWeighted {
                            stakes,
                            seed: set.boundary,
                        },
                        blocker: blocker.clone(),
                        automaton: inline.clone(),
                        relay: inline.clone(),
                        reporter,
                        strategy: Sequential,
                        partition: format!("{prefix}-simplex-{target}"),
                        mailbox_size: mailbox,
                        epoch: Epoch::new(target),
                        floor: Floor::Genesis(Digest(set.boundary)),
                        replay_buffer: BUFFER,
                        write_buffer: BUFFER,
                        page_cache: page_cache.clone(),
                        leader_timeout: timeouts.leader,
                        certification_timeout: timeouts.certification,
                        timeout_retry: timeouts.timeout_retry,
                        view_retention: ViewDelta::new(256),
                        skip: SkipPolicy::Enabled {
                            timeout: timeouts.certification + timeouts.timeout_retry,
                            budget: SkipBudget::Participants,
                        },
                        fetch_timeout: NZDuration!(Duration::from_secs(1)),
                        fetch_retry_delay: Duration::from_millis(100),
                        forward: ForwardPolicy::SilentVoters,
                        track_historical_votes: false,
                    },
                );
                let (Ok(v), Ok(c), Ok(r)) = (
                    vote_handle.register(target).await,
                    cert_handle.register(target).await,
                    res_handle.register(target).await,
                ) else {
                    tracing::debug!("consensus channels closed; orchestrator stops");
                    return;
                };
                let handle = engine.start(v, c, r);
                node.set_epoch_status(target, signing);
                tracing::info!(
                    epoch = target,
                    signing,
                    validators = members.len(),
                    "entered epoch"
                );
                active = Some((target, handle));
            }
            commonware_macros::select! {
                set = epoch_rx.next() => match set {
                    Some(set) => target = target.max(set.epoch),
                    None => return,
                },
                m = vote_backup.recv() => match m {
                    Some((theirs, (from, _))) => hint(target, theirs, from),
                    None => return,
                },
                m = cert_backup.recv() => match m {
                    Some((theirs, (from, _))) => hint(target, theirs, from),
                    None => return,
                },
            }
        }
    });

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
            orchestrator,
            finalizer_handle,
            gossip_out,
            gossip_in,
        ],
    }
}
