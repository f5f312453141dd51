//! Application state: deployed contracts and verified runs, their blake3 Merkle state root,
//! and the finalized chain, persisted in `redb`.
//!
//! # State and its root
//! The state is a sorted map from 33-byte keys to 32-byte values:
//!
//! | key | value |
//! |---|---|
//! | `'C' ‖ program hash` | blake3 of the module's bytes |
//! | `'R' ‖ statement hash` ([`crate::types::RunTx::statement_hash`]) | id of the transaction that carried it |
//! | `'S' ‖ ed25519 public key` | blake3 of the account ([`Account::commitment`]): balance, bonded stake, nonce, p2p address |
//! | `'L' ‖ leaf index (big-endian, 32 bytes)` | a note commitment in the note tree ([`crate::notes`]) |
//! | `'N' ‖ nullifier` | id of the transfer that spent it |
//! | `'T' ‖ note-tree root` | 32 zero bytes: one of the recent roots ([`crate::notes::RECENT_ROOTS`]) |
//!
//! Accounts start from the genesis file (validators with their bonded stake, other accounts
//! with a liquid balance) and change only through stake transactions. The validator set of
//! epoch `e + 1` is a function of the accounts after the last block of epoch `e`
//! ([`Leaves::validator_set`]), so it is committed by that block's state root.
//!
//! Each entry is a leaf `blake3(0x00 ‖ key ‖ value)`; the state root is the
//! [`merkle_root`] of the leaves in key order. Every block header carries the root after its
//! transactions, so validators that applied the same blocks agree on one 32-byte value.
//!
//! # Persistence
//! One `redb` database per validator. Applying a finalized block is one write transaction
//! (block, transaction index, contracts, runs, chain meta); it commits before the block is
//! acknowledged to marshal, so after a crash a block is either wholly applied or redelivered,
//! and re-applying is skipped by height.

use std::collections::BTreeMap;
use std::path::Path;
use std::sync::Arc;

use commonware_cryptography::blake3::Digest;
use commonware_cryptography::Digestible;

use crate::notes::{Notes, Transfer};
use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};

use crate::types::{key_bytes, merkle_root, Block, Hash32, Tx, TxId};

const BLOCKS: TableDefinition<u64, &[u8]> = TableDefinition::new("blocks");
const DIGESTS: TableDefinition<&[u8], u64> = TableDefinition::new("block_digests");
const TXS: TableDefinition<&[u8], (u64, u32)> = TableDefinition::new("txs");
const CONTRACTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("contracts");
const RUNS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("runs");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const EVIDENCE: TableDefinition<u64, &str> = TableDefinition::new("evidence");
const ACCOUNTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("accounts");
const EPOCHS: TableDefinition<u64, &[u8]> = TableDefinition::new("epochs");
const NOTES: TableDefinition<u64, &[u8]> = TableDefinition::new("notes");
const NULLIFIERS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("nullifiers");

/// Chain parameters fixed by the genesis file.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Params {
    /// Blocks per epoch (at least 2). Epoch `e` holds heights `e·L ..= e·L + L − 1`
    /// (commonware's `FixedEpocher`); epoch 0 includes genesis.
    pub epoch_length: u64,
    /// Smallest non-zero bond (tokens); a validator needs at least this much bonded.
    pub min_stake: u64,
    /// Most validators in one epoch (the largest bonds; ties by public key).
    pub max_validators: usize,
    /// The note contract: its runs are transfers of confidential notes ([`crate::notes`]).
    pub note_contract: Option<Hash32>,
    /// Depth of the note tree (0 without a note contract).
    pub note_depth: u8,
    /// The note contract's transfer entry; its other exports' runs are refused.
    pub note_entry: String,
}

impl Default for Params {
    fn default() -> Self {
        Self {
            epoch_length: 256,
            min_stake: 1,
            max_validators: 64,
            note_contract: None,
            note_depth: 0,
            note_entry: "transfer".into(),
        }
    }
}

/// An account: tokens and validator stake of one ed25519 key.
#[derive(Clone, Debug, Default, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Account {
    /// Liquid tokens.
    pub balance: u64,
    /// Bonded tokens (validator stake).
    pub bonded: u64,
    /// Stake transactions applied so far.
    pub nonce: u64,
    /// p2p address (`host:port`) other validators dial; may be empty.
    pub address: String,
}

impl Account {
    /// The leaf value: `blake3("gloam-account-v1" ‖ balance ‖ bonded ‖ nonce ‖ address length
    /// ‖ address)` (integers big-endian u64).
    pub fn commitment(&self) -> Hash32 {
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-account-v1");
        h.update(&self.balance.to_be_bytes());
        h.update(&self.bonded.to_be_bytes());
        h.update(&self.nonce.to_be_bytes());
        h.update(&(self.address.len() as u64).to_be_bytes());
        h.update(self.address.as_bytes());
        *h.finalize().as_bytes()
    }
}

/// One member of an epoch's validator set.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct Member {
    /// ed25519 public key (32 bytes).
    pub key: Hash32,
    /// Bonded stake (tokens): the leader-election weight.
    pub stake: u64,
    /// p2p address.
    pub address: String,
}

/// The validator set of one epoch and the seed of its leader election.
#[derive(Clone, Debug, PartialEq, Eq, serde::Serialize, serde::Deserialize)]
pub struct EpochSet {
    /// The epoch.
    pub epoch: u64,
    /// Validators in public-key order.
    pub members: Vec<Member>,
    /// Digest of the block the epoch starts from (the previous epoch's last block; the genesis
    /// block for epoch 0): the consensus floor and the leader-election seed.
    pub boundary: Hash32,
}

/// A state key: a one-byte table tag and a 32-byte hash.
pub type Key = [u8; 33];

/// Key of a deployed contract.
pub fn contract_key(program_hash: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'C';
    k[1..].copy_from_slice(program_hash);
    k
}

/// Key of an account.
pub fn account_key(public_key: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'S';
    k[1..].copy_from_slice(public_key);
    k
}

/// Key of a verified run.
pub fn run_key(statement: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'R';
    k[1..].copy_from_slice(statement);
    k
}

/// Key of a spent nullifier.
pub fn nullifier_key(nullifier: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'N';
    k[1..].copy_from_slice(nullifier);
    k
}

/// Key of the note-tree leaf at `index`.
pub fn note_key(index: usize) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'L';
    k[25..].copy_from_slice(&(index as u64).to_be_bytes());
    k
}

/// Key of a recent note-tree root.
pub fn root_key(root: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'T';
    k[1..].copy_from_slice(root);
    k
}

/// The state as a sorted map (see the module docs), with the accounts' contents and the note
/// tree beside their leaves. Cheap to clone (shared until written).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Leaves {
    map: Arc<BTreeMap<Key, Hash32>>,
    accounts: Arc<BTreeMap<Hash32, Account>>,
    notes: Arc<Notes>,
}

impl Leaves {
    /// Starts the note tree (genesis): `depth` and the issuer's note commitments.
    pub fn init_notes(&mut self, contract: Hash32, depth: u8, genesis: Vec<Hash32>) {
        let notes = Notes::new(Some(contract), depth, genesis);
        for (i, c) in notes.commitments.iter().enumerate() {
            self.insert(note_key(i), *c);
        }
        self.insert(root_key(&notes.root()), [0; 32]);
        self.notes = Arc::new(notes);
    }

    /// Restores the notes written after genesis (`appended`, in tree order) and the recent
    /// roots (oldest first) from the store; the nullifiers are restored as map entries.
    pub fn restore_notes(&mut self, appended: &[Hash32], roots: &[Hash32]) {
        if roots.is_empty() {
            return;
        }
        let old: Vec<Hash32> = self.notes.roots.iter().copied().collect();
        for r in old {
            Arc::make_mut(&mut self.map).remove(&root_key(&r));
        }
        let start = self.notes.commitments.len();
        for (i, c) in appended.iter().enumerate() {
            self.insert(note_key(start + i), *c);
        }
        for r in roots {
            self.insert(root_key(r), [0; 32]);
        }
        Arc::make_mut(&mut self.notes).restore(appended, roots);
    }

    /// The note tree, its recent roots.
    pub fn notes(&self) -> &Notes {
        &self.notes
    }

    /// Whether `nullifier` was spent.
    pub fn is_spent(&self, nullifier: &Hash32) -> bool {
        self.contains(&nullifier_key(nullifier))
    }

    /// The id of the transfer that spent `nullifier`, if any.
    pub fn spent_by(&self, nullifier: &Hash32) -> Option<Hash32> {
        self.map.get(&nullifier_key(nullifier)).copied()
    }

    fn append_notes(&mut self, commitments: &[Hash32]) {
        let start = self.notes.commitments.len();
        let notes = Arc::make_mut(&mut self.notes);
        let (root, evicted) = notes.append(commitments);
        for (i, c) in commitments.iter().enumerate() {
            self.insert(note_key(start + i), *c);
        }
        if let Some(old) = evicted {
            // A root recurs only if the tree did not change, which the refusal of empty-leaf
            // commitments rules out; still, a root stays in the map while in the window.
            if !self.notes.roots.contains(&old) {
                Arc::make_mut(&mut self.map).remove(&root_key(&old));
            }
        }
        self.insert(root_key(&root), [0; 32]);
    }

    /// Whether `key` is present.
    pub fn contains(&self, key: &Key) -> bool {
        self.map.contains_key(key)
    }

    /// Inserts an entry (not for accounts: see [`Leaves::set_account`]).
    pub fn insert(&mut self, key: Key, value: Hash32) {
        Arc::make_mut(&mut self.map).insert(key, value);
    }

    /// Writes an account and its leaf.
    pub fn set_account(&mut self, public_key: Hash32, account: Account) {
        self.insert(account_key(&public_key), account.commitment());
        Arc::make_mut(&mut self.accounts).insert(public_key, account);
    }

    /// An account.
    pub fn account(&self, public_key: &Hash32) -> Option<&Account> {
        self.accounts.get(public_key)
    }

    /// Every account in key order.
    pub fn accounts(&self) -> impl Iterator<Item = (&Hash32, &Account)> {
        self.accounts.iter()
    }

    /// Applies a transaction's effect.
    pub fn apply(&mut self, e: &Effect) {
        match &e.account {
            Some((pk, a)) => self.set_account(*pk, a.clone()),
            None => self.insert(e.key, e.value),
        }
        if let Some(t) = &e.transfer {
            for nf in &t.nullifiers {
                self.insert(nullifier_key(nf), e.value);
            }
            self.append_notes(&t.commitments);
        }
    }

    /// The validator set these accounts give: every account with at least `min_stake` (and
    /// at least 1) bonded, the `max_validators` largest bonds (ties by public key), in
    /// public-key order.
    pub fn validator_set(&self, params: &Params) -> Vec<Member> {
        let floor = params.min_stake.max(1);
        let mut v: Vec<Member> = self
            .accounts
            .iter()
            .filter(|(_, a)| a.bonded >= floor)
            .map(|(k, a)| Member {
                key: *k,
                stake: a.bonded,
                address: a.address.clone(),
            })
            .collect();
        v.sort_by(|a, b| b.stake.cmp(&a.stake).then(a.key.cmp(&b.key)));
        v.truncate(params.max_validators.max(1));
        v.sort_by_key(|m| m.key);
        v
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.map.len()
    }

    /// Whether the state is empty.
    pub fn is_empty(&self) -> bool {
        self.map.is_empty()
    }

    /// The state root.
    pub fn root(&self) -> Hash32 {
        let leaves: Vec<Hash32> = self
            .map
            .iter()
            .map(|(k, v)| {
                let mut h = blake3::Hasher::new();
                h.update(&[0u8]);
                h.update(k);
                h.update(v);
                *h.finalize().as_bytes()
            })
            .collect();
        merkle_root(&leaves)
    }
}

/// What a transaction writes to the state.
#[derive(Clone, Debug)]
pub struct Effect {
    /// Key written.
    pub key: Key,
    /// Value written.
    pub value: Hash32,
    /// For a stake transaction: the account written (its commitment is `value`).
    pub account: Option<(Hash32, Account)>,
    /// For a run of the note contract: the nullifiers it spends and the notes it creates.
    pub transfer: Option<Transfer>,
}

/// Why a transaction cannot apply to a state (it may still be valid later, e.g. after its
/// contract is deployed).
#[derive(Clone, Debug, PartialEq, Eq, thiserror::Error)]
pub enum Conflict {
    /// The contract is already deployed.
    #[error("duplicate: contract {0} is already deployed")]
    AlreadyDeployed(String),
    /// The same statement is already recorded.
    #[error("duplicate: this run (statement {0}) is already recorded")]
    AlreadyRecorded(String),
    /// The run names a contract that is not deployed.
    #[error("unknown contract {0}: deploy its module first")]
    UnknownContract(String),
    /// A stake transaction for a key without an account.
    #[error("no account for key {0}: only keys funded in the genesis file can stake")]
    NoAccount(String),
    /// A stake transaction whose nonce is not the account's.
    #[error("stale nonce: the account's nonce is {expected}, the transaction has {got}")]
    Nonce {
        /// The account's nonce.
        expected: u64,
        /// The transaction's nonce.
        got: u64,
    },
    /// A bond larger than the account's tokens.
    #[error("insufficient tokens: bond {bond} exceeds balance {balance} + bonded {bonded}")]
    Insufficient {
        /// Requested bond.
        bond: u64,
        /// Liquid balance.
        balance: u64,
        /// Currently bonded.
        bonded: u64,
    },
    /// A non-zero bond below the minimum.
    #[error("bond {0} is below the minimum stake {1} (bond 0 to leave)")]
    BelowMinimum(u64, u64),
    /// The last validator tried to unbond.
    #[error("refused: unbonding would leave no validator")]
    LastValidator,
    /// A run of the note contract whose journal is not in the note layout.
    #[error("not a note transfer: {0}")]
    NoteLayout(String),
    /// A transfer proven against a tree of another depth.
    #[error("note tree depth {got} is not the chain's {want}")]
    NoteDepth {
        /// Depth in the journal.
        got: u8,
        /// The chain's depth.
        want: u8,
    },
    /// A transfer proven against a root the chain's note tree has not had recently.
    #[error("unknown note-tree root {0}: not one of the chain's last 64 roots")]
    UnknownRoot(String),
    /// A nullifier spent before (a double spend), or twice in one transfer.
    #[error("double spend: nullifier {0} is already spent")]
    NullifierSpent(String),
    /// The note tree has no room for the new notes.
    #[error("the note tree is full")]
    NoteTreeFull,
    /// A transfer whose proof is transparent: it would reveal the spent notes.
    #[error("a note transfer needs a zero-knowledge proof (prove with --zk on or auto)")]
    NoteNotZeroKnowledge,
}

/// The state effect of `tx` on `leaves`, given the deploy's program hash (computed by the
/// caller from the module; `None` for other transactions). A stake transaction's signature
/// is checked by the caller ([`crate::types::StakeTx::verify`]); this checks its account,
/// nonce, tokens, the minimum stake and that a validator remains.
///
/// # Errors
/// [`Conflict`] if the transaction does not apply.
pub fn effect(
    leaves: &Leaves,
    tx: &Tx,
    deploy_hash: Option<Hash32>,
    params: &Params,
) -> Result<Effect, Conflict> {
    match tx {
        Tx::Stake(st) => {
            let pk = key_bytes(&st.public_key);
            let Some(old) = leaves.account(&pk) else {
                return Err(Conflict::NoAccount(crate::types::hex(&pk)));
            };
            if st.nonce != old.nonce {
                return Err(Conflict::Nonce {
                    expected: old.nonce,
                    got: st.nonce,
                });
            }
            let total = old.balance as u128 + old.bonded as u128;
            if st.bond as u128 > total {
                return Err(Conflict::Insufficient {
                    bond: st.bond,
                    balance: old.balance,
                    bonded: old.bonded,
                });
            }
            let floor = params.min_stake.max(1);
            if st.bond != 0 && st.bond < floor {
                return Err(Conflict::BelowMinimum(st.bond, floor));
            }
            let account = Account {
                balance: (total - st.bond as u128) as u64,
                bonded: st.bond,
                nonce: old.nonce + 1,
                address: if st.address.is_empty() {
                    old.address.clone()
                } else {
                    st.address.clone()
                },
            };
            if account.bonded < floor
                && !leaves
                    .accounts()
                    .any(|(k, a)| *k != pk && a.bonded >= floor)
            {
                return Err(Conflict::LastValidator);
            }
            Ok(Effect {
                key: account_key(&pk),
                value: account.commitment(),
                account: Some((pk, account)),
                transfer: None,
            })
        }
        Tx::Deploy { module } => {
            let hash = deploy_hash.expect("deploy hash computed by the caller");
            let key = contract_key(&hash);
            if leaves.contains(&key) {
                return Err(Conflict::AlreadyDeployed(crate::types::hex(&hash)));
            }
            Ok(Effect {
                key,
                value: *blake3::hash(module).as_bytes(),
                account: None,
                transfer: None,
            })
        }
        Tx::Run(r) => {
            if !leaves.contains(&contract_key(&r.program_hash)) {
                return Err(Conflict::UnknownContract(crate::types::hex(
                    &r.program_hash,
                )));
            }
            let st = r.statement_hash();
            let key = run_key(&st);
            if leaves.contains(&key) {
                return Err(Conflict::AlreadyRecorded(crate::types::hex(&st)));
            }
            let transfer = if params.note_contract == Some(r.program_hash) {
                Some(transfer_effect(leaves, r, params)?)
            } else {
                None
            };
            Ok(Effect {
                key,
                value: tx.id().0,
                account: None,
                transfer,
            })
        }
    }
}

/// Checks a run of the note contract against the note state ([`crate::notes`]): its entry
/// is the note entry, its proof zero-knowledge, its journal a transfer in the note layout
/// against a recent root, with unspent, distinct nullifiers and non-empty commitments that
/// fit the tree.
///
/// # Errors
/// [`Conflict::NoteLayout`], [`Conflict::NoteNotZeroKnowledge`], [`Conflict::NoteDepth`],
/// [`Conflict::UnknownRoot`], [`Conflict::NullifierSpent`] or [`Conflict::NoteTreeFull`].
pub fn transfer_effect(
    leaves: &Leaves,
    run: &crate::types::RunTx,
    params: &Params,
) -> Result<Transfer, Conflict> {
    if run.entry != params.note_entry {
        return Err(Conflict::NoteLayout(format!(
            "entry `{}` is not the note entry `{}`",
            run.entry, params.note_entry
        )));
    }
    if !run.zero_knowledge {
        return Err(Conflict::NoteNotZeroKnowledge);
    }
    let t = Transfer::parse(&run.journal).map_err(Conflict::NoteLayout)?;
    // 32 zero bytes is the empty leaf: such a "note" would leave the tree unchanged.
    if t.commitments.contains(&[0u8; 32]) {
        return Err(Conflict::NoteLayout(
            "a commitment of 32 zero bytes (the empty leaf)".into(),
        ));
    }
    if t.depth != params.note_depth {
        return Err(Conflict::NoteDepth {
            got: t.depth,
            want: params.note_depth,
        });
    }
    if !leaves.notes().roots.contains(&t.root) {
        return Err(Conflict::UnknownRoot(crate::types::hex(&t.root)));
    }
    for (i, nf) in t.nullifiers.iter().enumerate() {
        if leaves.is_spent(nf) || t.nullifiers[..i].contains(nf) {
            return Err(Conflict::NullifierSpent(crate::types::hex(nf)));
        }
    }
    if !leaves.notes().has_room(t.commitments.len()) {
        return Err(Conflict::NoteTreeFull);
    }
    Ok(t)
}

/// The finalized tip as the state store knows it.
#[derive(Clone, Debug)]
pub struct Tip {
    /// Height of the last applied finalized block (0: genesis).
    pub height: u64,
    /// Its digest.
    pub digest: Digest,
    /// The state after it.
    pub leaves: Leaves,
    /// Finalized transactions so far.
    pub finalized_txs: u64,
}

/// Where a finalized transaction is.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct TxLocation {
    /// Block height.
    pub height: u64,
    /// Index in the block.
    pub index: u32,
}

/// Storage failure.
#[derive(Debug, thiserror::Error)]
#[error("state storage: {0}")]
pub struct StoreError(pub String);

fn se(e: impl std::fmt::Display) -> StoreError {
    StoreError(e.to_string())
}

/// The persistent store of one validator.
pub struct Store {
    db: Database,
}

impl Store {
    /// Opens (or creates) the database at `path`.
    ///
    /// # Errors
    /// [`StoreError`] if the file cannot be opened.
    pub fn open(path: &Path) -> Result<Self, StoreError> {
        let db = Database::create(path).map_err(se)?;
        let w = db.begin_write().map_err(se)?;
        {
            w.open_table(BLOCKS).map_err(se)?;
            w.open_table(DIGESTS).map_err(se)?;
            w.open_table(TXS).map_err(se)?;
            w.open_table(CONTRACTS).map_err(se)?;
            w.open_table(RUNS).map_err(se)?;
            w.open_table(META).map_err(se)?;
            w.open_table(EVIDENCE).map_err(se)?;
            w.open_table(ACCOUNTS).map_err(se)?;
            w.open_table(EPOCHS).map_err(se)?;
            w.open_table(NOTES).map_err(se)?;
            w.open_table(NULLIFIERS).map_err(se)?;
        }
        w.commit().map_err(se)?;
        Ok(Self { db })
    }

    /// Loads the finalized tip: the genesis state `genesis_leaves` (digest `genesis`) with
    /// every applied block's writes on top.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn tip(&self, genesis: Digest, genesis_leaves: &Leaves) -> Result<Tip, StoreError> {
        let r = self.db.begin_read().map_err(se)?;
        let meta = r.open_table(META).map_err(se)?;
        let get_u64 = |k: &str| -> Result<u64, StoreError> {
            Ok(meta
                .get(k)
                .map_err(se)?
                .map(|v| u64::from_be_bytes(v.value().try_into().unwrap_or([0; 8])))
                .unwrap_or(0))
        };
        let height = get_u64("height")?;
        let finalized_txs = get_u64("finalized_txs")?;
        let digest = match meta.get("digest").map_err(se)? {
            Some(v) => Digest(v.value().try_into().map_err(|_| se("corrupt digest"))?),
            None => genesis,
        };
        let mut leaves = genesis_leaves.clone();
        for row in r.open_table(ACCOUNTS).map_err(se)?.iter().map_err(se)? {
            let (k, v) = row.map_err(se)?;
            let pk: Hash32 = k.value().try_into().map_err(|_| se("corrupt key"))?;
            let a: Account = serde_json::from_slice(v.value()).map_err(se)?;
            leaves.set_account(pk, a);
        }
        for row in r.open_table(CONTRACTS).map_err(se)?.iter().map_err(se)? {
            let (k, v) = row.map_err(se)?;
            let hash: Hash32 = k.value().try_into().map_err(|_| se("corrupt key"))?;
            leaves.insert(contract_key(&hash), *blake3::hash(v.value()).as_bytes());
        }
        for row in r.open_table(RUNS).map_err(se)?.iter().map_err(se)? {
            let (k, v) = row.map_err(se)?;
            let st: Hash32 = k.value().try_into().map_err(|_| se("corrupt key"))?;
            let id: Hash32 = v.value().try_into().map_err(|_| se("corrupt value"))?;
            leaves.insert(run_key(&st), id);
        }
        // Notes: the leaves after genesis's in order, the spent nullifiers, the recent roots.
        let mut appended = Vec::new();
        for row in r.open_table(NOTES).map_err(se)?.iter().map_err(se)? {
            let (_, v) = row.map_err(se)?;
            appended.push(v.value().try_into().map_err(|_| se("corrupt note"))?);
        }
        for row in r.open_table(NULLIFIERS).map_err(se)?.iter().map_err(se)? {
            let (k, v) = row.map_err(se)?;
            let nf: Hash32 = k.value().try_into().map_err(|_| se("corrupt nullifier"))?;
            let id: Hash32 = v.value().try_into().map_err(|_| se("corrupt value"))?;
            leaves.insert(nullifier_key(&nf), id);
        }
        let roots: Vec<Hash32> = match meta.get("note_roots").map_err(se)? {
            Some(v) => v
                .value()
                .chunks(32)
                .map(|c| c.try_into().map_err(|_| se("corrupt note roots")))
                .collect::<Result<_, _>>()?,
            None => Vec::new(),
        };
        leaves.restore_notes(&appended, &roots);
        Ok(Tip {
            height,
            digest,
            leaves,
            finalized_txs,
        })
    }

    /// Applies a finalized block (one write transaction). `deploy_hashes[i]` is the program
    /// hash of `block.txs[i]` when it is a deploy; `after` is the state after the block (the
    /// accounts that stake transactions touched are written from it); `next_epoch` is the
    /// validator set the block fixes when it is an epoch's last. Returns `false` (and writes
    /// nothing) if the block is at or below the applied height.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn apply(
        &self,
        block: &Block,
        deploy_hashes: &[Option<Hash32>],
        tip: &Tip,
        after: &Leaves,
        next_epoch: Option<&EpochSet>,
    ) -> Result<bool, StoreError> {
        let h = block.height.get();
        if h <= tip.height {
            return Ok(false);
        }
        let w = self.db.begin_write().map_err(se)?;
        {
            w.open_table(BLOCKS)
                .map_err(se)?
                .insert(h, block.to_bytes().as_slice())
                .map_err(se)?;
            w.open_table(DIGESTS)
                .map_err(se)?
                .insert(block.digest().0.as_slice(), h)
                .map_err(se)?;
            let mut txs = w.open_table(TXS).map_err(se)?;
            let mut contracts = w.open_table(CONTRACTS).map_err(se)?;
            let mut runs = w.open_table(RUNS).map_err(se)?;
            let mut accounts = w.open_table(ACCOUNTS).map_err(se)?;
            let mut nullifiers = w.open_table(NULLIFIERS).map_err(se)?;
            let mut notes = w.open_table(NOTES).map_err(se)?;
            let before = tip.leaves.notes().commitments.len();
            for (i, c) in after.notes().commitments.iter().enumerate().skip(before) {
                notes.insert(i as u64, c.as_slice()).map_err(se)?;
            }
            if let Some(set) = next_epoch {
                w.open_table(EPOCHS)
                    .map_err(se)?
                    .insert(set.epoch, serde_json::to_vec(set).map_err(se)?.as_slice())
                    .map_err(se)?;
            }
            for (i, tx) in block.txs.iter().enumerate() {
                let id = tx.id();
                txs.insert(id.0.as_slice(), (h, i as u32)).map_err(se)?;
                match tx {
                    Tx::Deploy { module } => {
                        if let Some(hash) = deploy_hashes[i] {
                            contracts
                                .insert(hash.as_slice(), module.as_ref())
                                .map_err(se)?;
                        }
                    }
                    Tx::Run(r) => {
                        runs.insert(r.statement_hash().as_slice(), id.0.as_slice())
                            .map_err(se)?;
                        if tip.leaves.notes().contract == Some(r.program_hash) {
                            if let Ok(t) = Transfer::parse(&r.journal) {
                                for nf in &t.nullifiers {
                                    nullifiers
                                        .insert(nf.as_slice(), id.0.as_slice())
                                        .map_err(se)?;
                                }
                            }
                        }
                    }
                    Tx::Stake(st) => {
                        let pk = key_bytes(&st.public_key);
                        if let Some(a) = after.account(&pk) {
                            accounts
                                .insert(
                                    pk.as_slice(),
                                    serde_json::to_vec(a).map_err(se)?.as_slice(),
                                )
                                .map_err(se)?;
                        }
                    }
                }
            }
            let mut meta = w.open_table(META).map_err(se)?;
            meta.insert("height", h.to_be_bytes().as_slice())
                .map_err(se)?;
            meta.insert("digest", block.digest().0.as_slice())
                .map_err(se)?;
            meta.insert("state_root", block.state_root.as_slice())
                .map_err(se)?;
            let roots: Vec<u8> = after.notes().roots.iter().flatten().copied().collect();
            meta.insert("note_roots", roots.as_slice()).map_err(se)?;
            meta.insert(
                "finalized_txs",
                (tip.finalized_txs + block.txs.len() as u64)
                    .to_be_bytes()
                    .as_slice(),
            )
            .map_err(se)?;
        }
        w.commit().map_err(se)?;
        Ok(true)
    }

    /// Validator sets of the epochs after 0 fixed so far, in epoch order.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn epochs(&self) -> Result<Vec<EpochSet>, StoreError> {
        let r = self.db.begin_read().map_err(se)?;
        let t = r.open_table(EPOCHS).map_err(se)?;
        let mut out = Vec::new();
        for row in t.iter().map_err(se)? {
            out.push(serde_json::from_slice(row.map_err(se)?.1.value()).map_err(se)?);
        }
        Ok(out)
    }

    /// The finalized block at `height`.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn block(&self, height: u64) -> Result<Option<Block>, StoreError> {
        let r = self.db.begin_read().map_err(se)?;
        let t = r.open_table(BLOCKS).map_err(se)?;
        match t.get(height).map_err(se)? {
            Some(v) => Ok(Some(Block::from_bytes(v.value()).map_err(se)?)),
            None => Ok(None),
        }
    }

    /// Where a finalized transaction is.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn tx_location(&self, id: &TxId) -> Result<Option<TxLocation>, StoreError> {
        let r = self.db.begin_read().map_err(se)?;
        let t = r.open_table(TXS).map_err(se)?;
        Ok(t.get(id.0.as_slice()).map_err(se)?.map(|v| {
            let (height, index) = v.value();
            TxLocation { height, index }
        }))
    }

    /// A deployed contract's module.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn contract(&self, program_hash: &Hash32) -> Result<Option<Vec<u8>>, StoreError> {
        let r = self.db.begin_read().map_err(se)?;
        let t = r.open_table(CONTRACTS).map_err(se)?;
        Ok(t.get(program_hash.as_slice())
            .map_err(se)?
            .map(|v| v.value().to_vec()))
    }

    /// Records equivocation evidence reported by consensus (a readable description).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn record_evidence(&self, description: &str) -> Result<(), StoreError> {
        let w = self.db.begin_write().map_err(se)?;
        {
            let mut t = w.open_table(EVIDENCE).map_err(se)?;
            let n = t.len().map_err(se)?;
            t.insert(n, description).map_err(se)?;
        }
        w.commit().map_err(se)?;
        Ok(())
    }

    /// Recorded equivocation evidence.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn evidence(&self) -> Result<Vec<String>, StoreError> {
        let r = self.db.begin_read().map_err(se)?;
        let t = r.open_table(EVIDENCE).map_err(se)?;
        let mut out = Vec::new();
        for row in t.iter().map_err(se)? {
            out.push(row.map_err(se)?.1.value().to_string());
        }
        Ok(out)
    }
}
