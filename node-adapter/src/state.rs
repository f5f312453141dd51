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
use redb::{Database, ReadableTable, ReadableTableMetadata, TableDefinition};

use crate::types::{merkle_root, Block, Hash32, Tx, TxId};

const BLOCKS: TableDefinition<u64, &[u8]> = TableDefinition::new("blocks");
const DIGESTS: TableDefinition<&[u8], u64> = TableDefinition::new("block_digests");
const TXS: TableDefinition<&[u8], (u64, u32)> = TableDefinition::new("txs");
const CONTRACTS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("contracts");
const RUNS: TableDefinition<&[u8], &[u8]> = TableDefinition::new("runs");
const META: TableDefinition<&str, &[u8]> = TableDefinition::new("meta");
const EVIDENCE: TableDefinition<u64, &str> = TableDefinition::new("evidence");

/// A state key: a one-byte table tag and a 32-byte hash.
pub type Key = [u8; 33];

/// Key of a deployed contract.
pub fn contract_key(program_hash: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'C';
    k[1..].copy_from_slice(program_hash);
    k
}

/// Key of a verified run.
pub fn run_key(statement: &Hash32) -> Key {
    let mut k = [0u8; 33];
    k[0] = b'R';
    k[1..].copy_from_slice(statement);
    k
}

/// The state as a sorted map (see the module docs). Cheap to clone (shared until written).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Leaves(Arc<BTreeMap<Key, Hash32>>);

impl Leaves {
    /// Whether `key` is present.
    pub fn contains(&self, key: &Key) -> bool {
        self.0.contains_key(key)
    }

    /// Inserts an entry.
    pub fn insert(&mut self, key: Key, value: Hash32) {
        Arc::make_mut(&mut self.0).insert(key, value);
    }

    /// Number of entries.
    pub fn len(&self) -> usize {
        self.0.len()
    }

    /// Whether the state is empty.
    pub fn is_empty(&self) -> bool {
        self.0.is_empty()
    }

    /// The state root.
    pub fn root(&self) -> Hash32 {
        let leaves: Vec<Hash32> = self
            .0
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
}

/// The state effect of `tx` on `leaves`, given the deploy's program hash (computed by the
/// caller from the module; `None` for runs).
///
/// # Errors
/// [`Conflict`] if the transaction does not apply.
pub fn effect(leaves: &Leaves, tx: &Tx, deploy_hash: Option<Hash32>) -> Result<Effect, Conflict> {
    match tx {
        Tx::Deploy { module } => {
            let hash = deploy_hash.expect("deploy hash computed by the caller");
            let key = contract_key(&hash);
            if leaves.contains(&key) {
                return Err(Conflict::AlreadyDeployed(crate::types::hex(&hash)));
            }
            Ok(Effect {
                key,
                value: *blake3::hash(module).as_bytes(),
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
            Ok(Effect {
                key,
                value: tx.id().0,
            })
        }
    }
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
        }
        w.commit().map_err(se)?;
        Ok(Self { db })
    }

    /// Loads the finalized tip (genesis digest if nothing was applied yet).
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn tip(&self, genesis: Digest) -> Result<Tip, StoreError> {
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
        let mut leaves = Leaves::default();
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
        Ok(Tip {
            height,
            digest,
            leaves,
            finalized_txs,
        })
    }

    /// Applies a finalized block (one write transaction). `deploy_hashes[i]` is the program
    /// hash of `block.txs[i]` when it is a deploy. Returns `false` (and writes nothing) if the
    /// block is at or below the applied height.
    ///
    /// # Errors
    /// [`StoreError`].
    pub fn apply(
        &self,
        block: &Block,
        deploy_hashes: &[Option<Hash32>],
        tip: &Tip,
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn root_depends_on_every_entry() {
        let mut a = Leaves::default();
        let empty = a.root();
        a.insert(contract_key(&[1; 32]), [9; 32]);
        let one = a.root();
        assert_ne!(empty, one);
        let mut b = a.clone();
        b.insert(run_key(&[2; 32]), [3; 32]);
        assert_ne!(b.root(), one);
        assert_eq!(a.root(), one, "clone-on-write leaves the original alone");
        let mut c = a.clone();
        c.insert(run_key(&[2; 32]), [4; 32]);
        assert_ne!(c.root(), b.root());
    }

    #[test]
    fn store_applies_once_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let genesis = Digest([0; 32]);
        let tip = store.tip(genesis).unwrap();
        assert_eq!(tip.height, 0);
        let module = bytes::Bytes::from_static(b"module");
        let tx = Tx::Deploy { module };
        let mut leaves = tip.leaves.clone();
        let e = effect(&leaves, &tx, Some([5; 32])).unwrap();
        leaves.insert(e.key, e.value);
        let block = Block::new(
            genesis,
            commonware_consensus::types::Height::new(1),
            1,
            leaves.root(),
            vec![tx.clone()],
        );
        assert!(store.apply(&block, &[Some([5; 32])], &tip).unwrap());
        let tip2 = store.tip(genesis).unwrap();
        assert_eq!(tip2.height, 1);
        assert_eq!(tip2.leaves.root(), block.state_root);
        assert_eq!(tip2.finalized_txs, 1);
        assert!(!store.apply(&block, &[Some([5; 32])], &tip2).unwrap());
        assert_eq!(
            store.tx_location(&tx.id()).unwrap(),
            Some(TxLocation {
                height: 1,
                index: 0
            })
        );
        assert_eq!(store.block(1).unwrap().unwrap(), block);
        assert!(matches!(
            effect(&tip2.leaves, &tx, Some([5; 32])),
            Err(Conflict::AlreadyDeployed(_))
        ));
    }
}
