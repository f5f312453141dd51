//! The validator's application core, shared by consensus, the HTTP API and the reporters:
//! the finalized state, the speculative states of unfinalized blocks, the mempool, the
//! program cache and the proof-verification cache.
//!
//! Proofs (transparent or zero-knowledge) are checked with [`gloam_verifier::verify_proof`] on the runtime's blocking pool
//! ([`Node::verify_run`]), never on a consensus task. A transaction's verdict is cached under
//! its id (blake3 of its bytes), so a proof verified at mempool admission is not verified
//! again when the same bytes arrive in a block: the cached verdict *is* the verification of
//! those exact bytes.

use std::collections::{HashMap, VecDeque};
use std::sync::{Arc, Condvar, Mutex, OnceLock};
use std::time::{Duration, Instant};

use commonware_codec::EncodeSize;
use commonware_cryptography::blake3::Digest;
use commonware_runtime::Spawner;
use futures::FutureExt;
use gloam_verifier::isa::Program;
use gloam_verifier::{Claim, VerifyError};

use commonware_consensus::types::{Epoch, Epocher, FixedEpocher, Height};
use std::num::NonZeroU64;

use crate::state::{effect, Conflict, Effect, EpochSet, Leaves, Params, Store, Tip};
use crate::types::{hex, Block, Hash32, RunTx, Tx, TxId, MAX_TX_BYTES};

/// What defines a chain: its genesis hash, parameters and genesis state.
#[derive(Clone, Debug)]
pub struct Chain {
    /// The genesis hash (the genesis block's parent; stake signatures bind it).
    pub hash: Hash32,
    /// Chain parameters.
    pub params: Params,
    /// The genesis state (accounts of the genesis validators and other funded keys).
    pub leaves: Leaves,
}

impl Chain {
    /// The genesis block: height 0, no transactions, the genesis state's root, and a parent
    /// digest that is the genesis hash.
    pub fn genesis_block(&self) -> Block {
        Block::new(
            Digest(self.hash),
            commonware_consensus::types::Height::zero(),
            0,
            self.leaves.root(),
            vec![],
        )
    }

    /// The epoch boundaries (commonware's `FixedEpocher`, also marshal's): epoch `e` holds
    /// heights `e·L ..= e·L + L − 1`.
    pub fn epocher(&self) -> FixedEpocher {
        FixedEpocher::new(NonZeroU64::new(self.params.epoch_length).expect("epoch length checked"))
    }

    /// The validator set of epoch 0.
    pub fn epoch0(&self) -> EpochSet {
        EpochSet {
            epoch: 0,
            members: self.leaves.validator_set(&self.params),
            boundary: commonware_cryptography::Digestible::digest(&self.genesis_block()).0,
        }
    }
}

/// Most transactions waiting in one validator's mempool.
pub const MEMPOOL_CAPACITY: usize = 4096;
/// Most bytes of transactions waiting in one validator's mempool.
pub const MEMPOOL_BYTES: usize = 256 << 20;
/// Bound of each recomputable cache (lowered modules, proof verdicts, speculative states):
/// a full cache is cleared, never grown.
pub const CACHE_LIMIT: usize = 65_536;
/// Most samples kept for the timing statistics.
const SAMPLES: usize = 100_000;

/// How a validator behaves when it proposes. Anything but [`Behavior::Honest`] exists only to
/// test that the other validators refuse such blocks.
#[derive(Clone, Debug, Default)]
pub enum Behavior {
    /// Proposes only transactions it verified.
    #[default]
    Honest,
    /// Byzantine: adds this transaction (e.g. a run with a forged proof) to every block it
    /// proposes, without checking it.
    InjectTx(Box<Tx>),
}

/// Why a submitted transaction was refused.
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum SubmitError {
    /// The bytes do not decode as a transaction, or exceed the size limit.
    #[error("{0}")]
    Malformed(String),
    /// Already pending or finalized.
    #[error("duplicate: transaction {0} is already {1}")]
    Duplicate(String, &'static str),
    /// Conflicts with the state (already deployed, already recorded, unknown contract).
    #[error("{0}")]
    Conflict(#[from] Conflict),
    /// The module is not a WebAssembly module Gloam accepts.
    #[error("invalid module: {0}")]
    InvalidModule(String),
    /// The STARK proof does not verify.
    #[error("proof rejected: {0}")]
    InvalidProof(String),
    /// A stake transaction's signature does not verify for this chain.
    #[error("invalid signature: the stake transaction is not signed by its key for this chain")]
    InvalidSignature,
    /// The mempool is full.
    #[error("mempool full ({MEMPOOL_CAPACITY} transactions): retry later")]
    MempoolFull,
}

impl SubmitError {
    /// A stable machine-readable code for the API.
    pub fn code(&self) -> &'static str {
        match self {
            SubmitError::Malformed(_) => "malformed",
            SubmitError::Duplicate(..) => "duplicate",
            SubmitError::Conflict(Conflict::UnknownContract(_)) => "unknown_contract",
            SubmitError::Conflict(Conflict::AlreadyDeployed(_) | Conflict::AlreadyRecorded(_)) => {
                "duplicate"
            }
            SubmitError::Conflict(Conflict::Nonce { .. }) => "stale_nonce",
            SubmitError::Conflict(Conflict::NullifierSpent(_)) => "double_spend",
            SubmitError::Conflict(Conflict::UnknownRoot(_)) => "unknown_root",
            SubmitError::Conflict(
                Conflict::NoteLayout(_)
                | Conflict::NoteDepth { .. }
                | Conflict::NoteTreeFull
                | Conflict::NoteNotZeroKnowledge,
            ) => "note_refused",
            SubmitError::Conflict(_) => "stake_refused",
            SubmitError::InvalidSignature => "invalid_signature",
            SubmitError::InvalidModule(_) => "invalid_module",
            SubmitError::InvalidProof(_) => "invalid_proof",
            SubmitError::MempoolFull => "mempool_full",
        }
    }
}

/// Counters and samples for `status` and the benchmark.
#[derive(Clone, Debug, Default)]
pub struct Metrics {
    /// Proof verifications run (not cache hits).
    pub verifications: u64,
    /// Wall time of each verification (seconds) inside its verification slot (at most one
    /// verification per core runs at a time), most recent last (bounded).
    pub verify_seconds: Vec<f64>,
    /// Blocks this validator proposed.
    pub proposed: u64,
    /// Blocks this validator refused to vote for.
    pub rejected_blocks: u64,
    /// Reason of the last refusal.
    pub last_rejection: Option<String>,
}

/// A proof verification in flight, shared by everyone waiting for the same transaction.
type InFlight =
    futures::future::Shared<futures::future::BoxFuture<'static, Option<Result<(), String>>>>;

struct Pending {
    order: VecDeque<TxId>,
    txs: HashMap<TxId, (Tx, Option<Hash32>)>,
    /// Sum of the encoded sizes of `txs`.
    bytes: usize,
}

/// Post-state of a verified, not yet finalized block.
#[derive(Clone)]
pub(crate) struct Spec {
    pub height: u64,
    pub leaves: Leaves,
}

/// One validator's application state (see the module docs).
pub struct Node {
    pub(crate) chain: Chain,
    epocher: FixedEpocher,
    /// Validator sets by epoch (epoch 0 from genesis, later ones fixed by finalized epoch
    /// boundaries and persisted).
    epochs: Mutex<std::collections::BTreeMap<u64, EpochSet>>,
    pub(crate) store: Store,
    pub(crate) tip: Mutex<Tip>,
    pending: Mutex<Pending>,
    programs: Mutex<HashMap<Hash32, Arc<Program>>>,
    /// blake3(module) -> program hash (bounded: cleared when full; recomputable).
    lowered: Mutex<HashMap<Hash32, Hash32>>,
    verdicts: Mutex<HashMap<TxId, Result<(), String>>>,
    inflight: Mutex<HashMap<TxId, InFlight>>,
    pub(crate) spec: Mutex<HashMap<Digest, Spec>>,
    pub(crate) metrics: Mutex<Metrics>,
    pub(crate) behavior: Behavior,
    /// When each pending transaction was first seen here (for submission-to-finality time).
    pub(crate) seen: Mutex<HashMap<TxId, Instant>>,
    /// Submission-to-finality times of transactions first seen here (seconds).
    pub(crate) finality_seconds: Mutex<Vec<f64>>,
    /// Latest finalized tip reported by consensus (may be ahead of `tip` while catching up).
    pub(crate) network_tip: Mutex<u64>,
    /// The epoch whose engine runs here and whether this node signs in it.
    epoch_status: Mutex<(u64, bool)>,
}

impl Node {
    /// Opens the validator's state over `store`.
    ///
    /// # Errors
    /// Storage failures.
    pub fn new(
        store: Store,
        chain: Chain,
        behavior: Behavior,
    ) -> Result<Arc<Self>, crate::state::StoreError> {
        let genesis = commonware_cryptography::Digestible::digest(&chain.genesis_block());
        let tip = store.tip(genesis, &chain.leaves)?;
        let mut epochs = std::collections::BTreeMap::new();
        epochs.insert(0, chain.epoch0());
        for set in store.epochs()? {
            epochs.insert(set.epoch, set);
        }
        let node = Arc::new(Self {
            epocher: chain.epocher(),
            chain,
            epochs: Mutex::new(epochs),
            tip: Mutex::new(tip),
            pending: Mutex::new(Pending {
                order: VecDeque::new(),
                txs: HashMap::new(),
                bytes: 0,
            }),
            programs: Mutex::new(HashMap::new()),
            lowered: Mutex::new(HashMap::new()),
            verdicts: Mutex::new(HashMap::new()),
            inflight: Mutex::new(HashMap::new()),
            spec: Mutex::new(HashMap::new()),
            metrics: Mutex::new(Metrics::default()),
            behavior,
            seen: Mutex::new(HashMap::new()),
            finality_seconds: Mutex::new(Vec::new()),
            network_tip: Mutex::new(0),
            epoch_status: Mutex::new((0, false)),
            store,
        });
        Ok(node)
    }

    /// Lowers a module (cached by its blake3) and returns its program hash.
    ///
    /// # Errors
    /// The front end's message.
    pub fn lower(&self, module: &[u8]) -> Result<Hash32, String> {
        if !module.starts_with(b"\0asm") {
            return Err("a deploy carries binary WebAssembly (\\0asm...), not text".into());
        }
        let key = *blake3::hash(module).as_bytes();
        if let Some(h) = self.lowered.lock().unwrap().get(&key) {
            return Ok(*h);
        }
        // Errors are not cached: a client could otherwise grow the cache without bound.
        let p = gloam_verifier::isa::load_module(module).map_err(|e| e.to_string())?;
        // A module whose setup no proof covers (imports, a segment that traps at
        // instantiation) could be deployed but never run: refuse it here, with the verifier's
        // reason.
        gloam_verifier::isa::check_setup(&p.module).map_err(|e| format!("module refused: {e}"))?;
        let hash = p.hash().0;
        {
            let mut lowered = self.lowered.lock().unwrap();
            if lowered.len() >= CACHE_LIMIT {
                lowered.clear();
            }
            lowered.insert(key, hash);
        }
        self.programs
            .lock()
            .unwrap()
            .entry(hash)
            .or_insert_with(|| Arc::new(p));
        Ok(hash)
    }

    /// The state effect of `tx` on `leaves` and, for a deploy, its program hash (the module
    /// is lowered, cached).
    ///
    /// # Errors
    /// `invalid module: ...` or the [`Conflict`].
    pub fn tx_effect(&self, leaves: &Leaves, tx: &Tx) -> Result<(Effect, Option<Hash32>), String> {
        let hash = match tx {
            Tx::Deploy { module } => Some(
                self.lower(module)
                    .map_err(|e| format!("invalid module: {e}"))?,
            ),
            Tx::Run(_) => None,
            Tx::Stake(st) => {
                if !st.verify(&self.chain.hash) {
                    return Err(SubmitError::InvalidSignature.to_string());
                }
                None
            }
        };
        let e = effect(leaves, tx, hash, &self.chain.params).map_err(|e| e.to_string())?;
        Ok((e, hash))
    }

    /// The chain's genesis hash, parameters and state.
    pub fn chain(&self) -> &Chain {
        &self.chain
    }

    /// The effect of an already-admitted transaction (its signature or proof was checked at
    /// admission).
    pub(crate) fn admitted_effect(
        &self,
        leaves: &Leaves,
        tx: &Tx,
        deploy_hash: Option<Hash32>,
    ) -> Result<Effect, Conflict> {
        effect(leaves, tx, deploy_hash, &self.chain.params)
    }

    /// The epoch of the block at `height`.
    pub fn epoch_of(&self, height: u64) -> u64 {
        self.epocher
            .containing(Height::new(height))
            .expect("every height has an epoch")
            .epoch()
            .get()
    }

    /// The last height of `epoch`.
    pub fn last_height(&self, epoch: u64) -> u64 {
        self.epocher
            .last(Epoch::new(epoch))
            .expect("epochs in use have bounds")
            .get()
    }

    /// The epoch the next block belongs to (the one consensus runs now).
    pub fn current_epoch(&self) -> u64 {
        self.epoch_of(self.tip.lock().unwrap().height + 1)
    }

    /// Records the epoch whose engine runs here and whether this node is one of its
    /// validators (else it observes).
    pub fn set_epoch_status(&self, epoch: u64, signing: bool) {
        *self.epoch_status.lock().unwrap() = (epoch, signing);
    }

    /// The epoch whose engine runs here and whether this node votes in it.
    pub fn epoch_status(&self) -> (u64, bool) {
        *self.epoch_status.lock().unwrap()
    }

    /// The validator set of `epoch`, if fixed (finalized) yet.
    pub fn epoch_set(&self, epoch: u64) -> Option<EpochSet> {
        self.epochs.lock().unwrap().get(&epoch).cloned()
    }

    /// Applies `block`'s transactions to `leaves` without checking proofs (the block is
    /// notarized or finalized: its quorum checked them) and checks the header's state root.
    /// Returns each transaction's deploy hash.
    ///
    /// # Errors
    /// A transaction that does not apply, or a state-root mismatch.
    pub fn apply_block(
        &self,
        leaves: &mut Leaves,
        block: &Block,
    ) -> Result<Vec<Option<Hash32>>, String> {
        let mut hashes = Vec::with_capacity(block.txs.len());
        for (i, tx) in block.txs.iter().enumerate() {
            let (e, h) = self
                .tx_effect(leaves, tx)
                .map_err(|e| format!("transaction {i}: {e}"))?;
            leaves.apply(&e);
            hashes.push(h);
        }
        if leaves.root() != block.state_root {
            return Err(format!(
                "block at height {} carries state root {} but applying it gives {}",
                block.height.get(),
                hex(&block.state_root),
                hex(&leaves.root())
            ));
        }
        Ok(hashes)
    }

    /// A lowered program by hash (deployed or seen in a deploy).
    pub fn program(&self, hash: &Hash32) -> Option<Arc<Program>> {
        if let Some(p) = self.programs.lock().unwrap().get(hash).cloned() {
            return Some(p);
        }
        // Pruned from the cache: a deployed contract is lowered again from the store.
        let module = self.store.contract(hash).ok()??;
        self.lower(&module).ok()?;
        self.programs.lock().unwrap().get(hash).cloned()
    }

    /// The finalized tip.
    pub fn tip(&self) -> Tip {
        self.tip.lock().unwrap().clone()
    }

    /// The persistent store.
    pub fn store(&self) -> &Store {
        &self.store
    }

    /// A copy of the metrics.
    pub fn metrics(&self) -> Metrics {
        self.metrics.lock().unwrap().clone()
    }

    /// Submission-to-finality times observed here (seconds).
    pub fn finality_seconds(&self) -> Vec<f64> {
        self.finality_seconds.lock().unwrap().clone()
    }

    /// Whether `id` is waiting in the mempool.
    pub fn is_pending(&self, id: &TxId) -> bool {
        self.pending.lock().unwrap().txs.contains_key(id)
    }

    /// Number of pending transactions.
    pub fn mempool_len(&self) -> usize {
        self.pending.lock().unwrap().order.len()
    }

    /// Verifies a run's proof against its contract's program on the runtime's blocking pool
    /// (cached by transaction id).
    ///
    /// # Errors
    /// The verifier's reason.
    pub async fn verify_run<E: Spawner + commonware_runtime::Supervisor>(
        self: &Arc<Self>,
        context: &E,
        id: TxId,
        run: &RunTx,
    ) -> Result<(), String> {
        if let Some(v) = self.verdicts.lock().unwrap().get(&id) {
            return v.clone();
        }
        let Some(program) = self.program(&run.program_hash) else {
            return Err(format!("unknown contract {}", hex(&run.program_hash)));
        };
        let claim = Claim {
            entry: run.entry.clone(),
            args: run.args.clone(),
            results: run.results.clone(),
            cycles: run.cycles,
            public_input: run.public_input.to_vec(),
            journal: run.journal.to_vec(),
        };
        let stark = run.stark.clone();
        let kind = gloam_verifier::ProofKind::of(run.zero_knowledge, run.segmented);
        // One verification per transaction id at a time: admission and block verification
        // racing for the same bytes share the verification in flight.
        let shared = {
            let mut inflight = self.inflight.lock().unwrap();
            match inflight.get(&id) {
                Some(f) => f.clone(),
                None => {
                    let handle = context
                        .child("verify")
                        .shared(true)
                        .spawn(move |_| async move {
                            let _slot = VerifySlot::acquire();
                            let wall = Instant::now();
                            // A segmented run verifies its segments in parallel (rayon).
                            let r = gloam_verifier::verify_kind(&program, &claim, &stark, kind);
                            (r, wall.elapsed())
                        });
                    let node = self.clone();
                    let f = async move {
                        // `None`: the runtime is shutting down.
                        let (r, took) = handle.await.ok()?;
                        let verdict = r.map(|_| ()).map_err(|e: VerifyError| e.to_string());
                        node.record_verdict(id, &verdict, took);
                        Some(verdict)
                    }
                    .boxed()
                    .shared();
                    inflight.insert(id, f.clone());
                    f
                }
            }
        };
        let out = shared.await;
        self.inflight.lock().unwrap().remove(&id);
        match out {
            Some(verdict) => verdict,
            // No verdict, ever (never a false rejection).
            None => futures::future::pending().await,
        }
    }

    fn record_verdict(&self, id: TxId, verdict: &Result<(), String>, took: Duration) {
        {
            let mut m = self.metrics.lock().unwrap();
            m.verifications += 1;
            if m.verify_seconds.len() >= SAMPLES {
                m.verify_seconds.remove(0);
            }
            m.verify_seconds.push(took.as_secs_f64());
        }
        let mut v = self.verdicts.lock().unwrap();
        if v.len() >= CACHE_LIMIT {
            v.clear();
        }
        v.insert(id, verdict.clone());
    }

    /// Mempool admission (the node's pre-verification): decodes, refuses duplicates and
    /// conflicts with the finalized state plus the mempool, lowers deployed modules, verifies
    /// run proofs (off the calling task), then queues the transaction for proposal.
    ///
    /// # Errors
    /// [`SubmitError`] with the reason.
    pub async fn submit<E: Spawner + commonware_runtime::Supervisor>(
        self: &Arc<Self>,
        context: &E,
        bytes: &[u8],
    ) -> Result<TxId, SubmitError> {
        if bytes.len() > MAX_TX_BYTES {
            return Err(SubmitError::Malformed(format!(
                "transaction of {} bytes exceeds the {MAX_TX_BYTES}-byte limit",
                bytes.len()
            )));
        }
        let tx = Tx::from_bytes(bytes).map_err(SubmitError::Malformed)?;
        let id = tx.id();
        self.check_fresh(&tx, id)?;
        let deploy_hash = match &tx {
            Tx::Deploy { module } => Some(self.lower(module).map_err(SubmitError::InvalidModule)?),
            Tx::Run(run) => {
                self.verify_run(context, id, run)
                    .await
                    .map_err(SubmitError::InvalidProof)?;
                None
            }
            Tx::Stake(st) => {
                if !st.verify(&self.chain.hash) {
                    return Err(SubmitError::InvalidSignature);
                }
                None
            }
        };
        // Re-check and insert under one lock: the state or mempool may have changed while
        // verifying, and two conflicting submissions must not both get in.
        let leaves = self.tip.lock().unwrap().leaves.clone();
        let mut p = self.pending.lock().unwrap();
        self.check_fresh_locked(&p, &leaves, &tx, id)?;
        if p.order.len() >= MEMPOOL_CAPACITY || p.bytes + bytes.len() > MEMPOOL_BYTES {
            return Err(SubmitError::MempoolFull);
        }
        p.order.push_back(id);
        p.bytes += bytes.len();
        p.txs.insert(id, (tx, deploy_hash));
        Ok(id)
    }

    /// Records that `id` was submitted here by a client (starts its submission-to-finality
    /// clock).
    pub fn mark_submitted(&self, id: TxId, at: Instant) {
        self.seen.lock().unwrap().entry(id).or_insert(at);
    }

    fn check_fresh(&self, tx: &Tx, id: TxId) -> Result<(), SubmitError> {
        let leaves = self.tip.lock().unwrap().leaves.clone();
        let p = self.pending.lock().unwrap();
        self.check_fresh_locked(&p, &leaves, tx, id)
    }

    /// Duplicate and conflict checks against `leaves` (the finalized state) and the mempool.
    fn check_fresh_locked(
        &self,
        p: &Pending,
        leaves: &Leaves,
        tx: &Tx,
        id: TxId,
    ) -> Result<(), SubmitError> {
        if p.txs.contains_key(&id) {
            return Err(SubmitError::Duplicate(id.to_string(), "pending"));
        }
        if self
            .store
            .tx_location(&id)
            .map_err(|e| SubmitError::Malformed(e.to_string()))?
            .is_some()
        {
            return Err(SubmitError::Duplicate(id.to_string(), "finalized"));
        }
        match tx {
            Tx::Deploy { module } => {
                if let Ok(hash) = self.lower(module) {
                    self.admitted_effect(leaves, tx, Some(hash))?;
                    if p.txs.values().any(|(_, h)| *h == Some(hash)) {
                        return Err(SubmitError::Conflict(Conflict::AlreadyDeployed(hex(&hash))));
                    }
                }
            }
            Tx::Run(run) => {
                let st = run.statement_hash();
                let deploy_pending = p.txs.values().any(|(_, h)| *h == Some(run.program_hash));
                if p.txs
                    .values()
                    .any(|(t, _)| matches!(t, Tx::Run(r) if r.statement_hash() == st))
                {
                    return Err(SubmitError::Conflict(Conflict::AlreadyRecorded(hex(&st))));
                }
                match self.admitted_effect(leaves, tx, None) {
                    Err(Conflict::UnknownContract(_)) if deploy_pending => {
                        // The note rules hold whether or not the contract is deployed yet.
                        if self.chain.params.note_contract == Some(run.program_hash) {
                            crate::state::transfer_effect(leaves, run, &self.chain.params)?;
                        }
                    }
                    Err(e) => return Err(e.into()),
                    Ok(e) => {
                        // A double spend against a pending transfer is refused too (one of
                        // the two could never apply).
                        if let Some(t) = &e.transfer {
                            let params = &self.chain.params;
                            for (other, _) in p.txs.values() {
                                let Tx::Run(o) = other else { continue };
                                if params.note_contract != Some(o.program_hash) {
                                    continue;
                                }
                                let Ok(ot) = crate::notes::Transfer::parse(&o.journal) else {
                                    continue;
                                };
                                if let Some(nf) =
                                    t.nullifiers.iter().find(|n| ot.nullifiers.contains(n))
                                {
                                    return Err(SubmitError::Conflict(Conflict::NullifierSpent(
                                        format!("{} (by a pending transfer)", hex(nf)),
                                    )));
                                }
                            }
                        }
                    }
                }
            }
            Tx::Stake(st) => {
                // One pending stake transaction per key (its nonce is the account's).
                if p.txs
                    .values()
                    .any(|(t, _)| matches!(t, Tx::Stake(o) if o.public_key == st.public_key))
                {
                    return Err(SubmitError::Duplicate(
                        format!("stake of {}", hex(st.public_key.as_ref())),
                        "pending",
                    ));
                }
                self.admitted_effect(leaves, tx, None)?;
            }
        }
        Ok(())
    }

    /// Drops pending transactions that the finalized state `leaves` made permanently invalid
    /// (contract deployed or statement recorded by another transaction; runs of a contract
    /// that is neither deployed nor pending), so they cannot clog the mempool.
    fn prune_pending(&self, leaves: &Leaves) {
        let mut p = self.pending.lock().unwrap();
        let pending_deploys: Vec<Hash32> = p.txs.values().filter_map(|(_, h)| *h).collect();
        let mut drop_ids = Vec::new();
        for (id, (tx, h)) in p.txs.iter() {
            match self.admitted_effect(leaves, tx, *h) {
                Ok(_) => {}
                Err(Conflict::UnknownContract(_)) => {
                    let Tx::Run(r) = tx else { continue };
                    if !pending_deploys.contains(&r.program_hash) {
                        drop_ids.push(*id);
                    }
                }
                Err(_) => drop_ids.push(*id),
            }
        }
        for id in &drop_ids {
            if let Some((tx, _)) = p.txs.remove(id) {
                p.bytes -= tx.encode_size();
            }
        }
        if !drop_ids.is_empty() {
            p.order.retain(|x| !drop_ids.contains(x));
            let mut seen = self.seen.lock().unwrap();
            for id in &drop_ids {
                seen.remove(id);
            }
        }
    }

    /// Pending transactions in arrival order (with deploy hashes).
    pub(crate) fn pending_txs(&self, max: usize) -> Vec<(TxId, Tx, Option<Hash32>)> {
        let p = self.pending.lock().unwrap();
        p.order
            .iter()
            .take(max)
            .filter_map(|id| p.txs.get(id).map(|(t, h)| (*id, t.clone(), *h)))
            .collect()
    }

    /// Drops finalized transactions from the mempool.
    pub(crate) fn remove_pending(&self, ids: &[TxId]) {
        let mut p = self.pending.lock().unwrap();
        let mut removed = false;
        for id in ids {
            if let Some((tx, _)) = p.txs.remove(id) {
                p.bytes -= tx.encode_size();
                removed = true;
            }
        }
        if removed {
            let Pending { order, txs, .. } = &mut *p;
            order.retain(|x| txs.contains_key(x));
        }
    }

    /// Applies a finalized block to the store and the in-memory tip (idempotent by height).
    /// Returns the next epoch's validator set when `block` is the last of its epoch (written
    /// in the same storage transaction as the block).
    ///
    /// # Errors
    /// Storage failures, or a block that does not apply to the tip (which means more than a
    /// third of the stake is faulty; the node stops rather than diverge).
    pub fn apply_finalized(&self, block: &Block) -> Result<Option<EpochSet>, String> {
        let mut tip = self.tip.lock().unwrap();
        if block.height.get() <= tip.height {
            return Ok(None);
        }
        if block.height.get() != tip.height + 1 || block.parent != tip.digest {
            return Err(format!(
                "finalized block {} at height {} does not extend the applied tip at height {}",
                hex(&commonware_cryptography::Digestible::digest(block).0),
                block.height.get(),
                tip.height
            ));
        }
        let mut leaves = tip.leaves.clone();
        let hashes = self.apply_block(&mut leaves, block)?;
        let h = block.height.get();
        let next = (h == self.last_height(self.epoch_of(h))).then(|| EpochSet {
            epoch: self.epoch_of(h) + 1,
            members: leaves.validator_set(&self.chain.params),
            boundary: commonware_cryptography::Digestible::digest(block).0,
        });
        self.store
            .apply(block, &hashes, &tip, &leaves, next.as_ref())
            .map_err(|e| e.to_string())?;
        if let Some(set) = &next {
            self.epochs.lock().unwrap().insert(set.epoch, set.clone());
        }
        tip.height = block.height.get();
        tip.digest = commonware_cryptography::Digestible::digest(block);
        tip.leaves = leaves;
        tip.finalized_txs += block.txs.len() as u64;
        let height = tip.height;
        drop(tip);
        let ids: Vec<TxId> = block.txs.iter().map(Tx::id).collect();
        self.remove_pending(&ids);
        self.prune_pending(&self.tip.lock().unwrap().leaves.clone());
        {
            let mut seen = self.seen.lock().unwrap();
            let mut fin = self.finality_seconds.lock().unwrap();
            for id in &ids {
                if let Some(t) = seen.remove(id) {
                    if fin.len() >= SAMPLES {
                        fin.remove(0);
                    }
                    fin.push(t.elapsed().as_secs_f64());
                }
            }
        }
        {
            let mut spec = self.spec.lock().unwrap();
            spec.retain(|_, s| s.height > height);
            // A lagging validator may cache many; they are recomputable.
            if spec.len() > SPEC_LIMIT {
                spec.clear();
            }
        }
        let mut v = self.verdicts.lock().unwrap();
        for id in &ids {
            v.remove(id);
        }
        Ok(next)
    }
}

/// Most cached post-states of unfinalized blocks.
const SPEC_LIMIT: usize = 1024;

/// At most one proof verification per core runs at a time in this process (verifications
/// beyond that wait for a slot instead of oversubscribing the cores), so the time measured
/// inside a slot is the verification's own cost.
struct VerifySlot;

static SLOTS: OnceLock<(Mutex<usize>, Condvar)> = OnceLock::new();

impl VerifySlot {
    fn acquire() -> Self {
        let (m, cv) = SLOTS.get_or_init(|| {
            let n = std::thread::available_parallelism()
                .map(|n| n.get())
                .unwrap_or(1);
            (Mutex::new(n), Condvar::new())
        });
        let mut free = m.lock().unwrap();
        while *free == 0 {
            free = cv.wait(free).unwrap();
        }
        *free -= 1;
        VerifySlot
    }
}

impl Drop for VerifySlot {
    fn drop(&mut self) {
        if let Some((m, cv)) = SLOTS.get() {
            *m.lock().unwrap() += 1;
            cv.notify_one();
        }
    }
}

/// Median and 99th percentile of `xs` (seconds), `None` if empty.
pub fn median_p99(xs: &[f64]) -> Option<(f64, f64)> {
    if xs.is_empty() {
        return None;
    }
    let mut v = xs.to_vec();
    v.sort_by(|a, b| a.partial_cmp(b).unwrap());
    let at = |q: f64| v[((v.len() - 1) as f64 * q).round() as usize];
    Some((at(0.5), at(0.99)))
}
