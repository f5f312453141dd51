//! Running validators for real: genesis and node configuration files, one validator process
//! (`gloam node start`), and a one-machine network in one process (`gloam node dev`). Both
//! use commonware's tokio runtime, authenticated p2p (`lookup`: every validator's address is
//! in the genesis file) on loopback or any network, and serve the HTTP API.

use std::net::SocketAddr;
use std::num::NonZeroUsize;
use std::path::{Path, PathBuf};

use commonware_codec::{DecodeExt, Encode};
use commonware_cryptography::ed25519::{PrivateKey, PublicKey};
use commonware_cryptography::{ChaCha20Poly1305, Signer};
use commonware_p2p::authenticated::lookup;
use commonware_p2p::{Address, AddressableManager};
use commonware_runtime::{tokio as cw_tokio, Quota, Runner, Spawner, Supervisor};
use commonware_stream::cups::{self, Cups};
use commonware_stream::sake::{self, Sake};
use commonware_utils::ordered::Map;
use commonware_utils::{NZUsize, NZU32};
use serde::{Deserialize, Serialize};

use crate::api::router;
use crate::engine::{self, Channels, Timeouts, Validator, ValidatorConfig};
use crate::node::{Behavior, Chain, Node};
use crate::state::{Account, EpochSet, Leaves, Params, Store};
use crate::types::{hex, key_bytes, parse_hash};

/// Why a configuration cannot be used.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    /// A file cannot be read or written.
    #[error("{path}: {why}")]
    Io {
        /// The file.
        path: PathBuf,
        /// The error.
        why: String,
    },
    /// A file does not parse or is inconsistent.
    #[error("{path}: {why}")]
    Invalid {
        /// The file.
        path: PathBuf,
        /// What is wrong.
        why: String,
    },
}

fn io(path: &Path, e: impl std::fmt::Display) -> ConfigError {
    ConfigError::Io {
        path: path.into(),
        why: e.to_string(),
    }
}
fn invalid(path: &Path, why: impl Into<String>) -> ConfigError {
    ConfigError::Invalid {
        path: path.into(),
        why: why.into(),
    }
}

/// One validator in the genesis file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenesisValidator {
    /// ed25519 public key, 64 hex digits.
    pub public_key: String,
    /// Bonded stake (tokens; leader-election weight); at least `min_stake`.
    pub stake: u64,
    /// p2p address other validators dial.
    pub p2p: SocketAddr,
    /// Liquid tokens besides the stake (default 0).
    #[serde(default)]
    pub balance: u64,
}

/// A funded key that is not a validator at genesis (it may bond stake later).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenesisAccount {
    /// ed25519 public key, 64 hex digits.
    pub public_key: String,
    /// Liquid tokens.
    pub balance: u64,
}

/// The genesis file: the chain id, the epoch-0 validators, other funded accounts and the
/// chain parameters.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Genesis {
    /// Chain id (also the signature namespace).
    pub chain_id: String,
    /// The validators of epoch 0.
    pub validators: Vec<GenesisValidator>,
    /// Other funded accounts (default none).
    #[serde(default)]
    pub accounts: Vec<GenesisAccount>,
    /// Blocks per epoch (default 256, at least 2).
    #[serde(default)]
    pub epoch_length: Option<u64>,
    /// Smallest non-zero bond (default 1).
    #[serde(default)]
    pub min_stake: Option<u64>,
    /// Most validators per epoch (default 64).
    #[serde(default)]
    pub max_validators: Option<usize>,
    /// Consensus leader timeout (milliseconds); default 1000.
    #[serde(default)]
    pub leader_timeout_ms: Option<u64>,
    /// Confidential notes: the note contract, the tree depth and the notes issued at genesis
    /// (default none: no run is treated as a transfer).
    #[serde(default)]
    pub notes: Option<GenesisNotes>,
}

fn default_note_entry() -> String {
    "transfer".into()
}

/// The confidential-note configuration of a chain ([`crate::notes`]).
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct GenesisNotes {
    /// Program hash of the note contract (64 hex digits): its runs are transfers.
    pub contract: String,
    /// Note-tree depth, 1 to 16 (the tree holds 2^depth notes).
    pub depth: u8,
    /// The contract's transfer entry (default `transfer`); runs of its other exports are
    /// refused.
    #[serde(default = "default_note_entry")]
    pub entry: String,
    /// Note commitments issued at genesis (64 hex digits each), the first leaves of the tree.
    #[serde(default)]
    pub commitments: Vec<String>,
}

impl Genesis {
    /// Reads and checks a genesis file.
    ///
    /// # Errors
    /// [`ConfigError`].
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
        let g: Genesis = serde_json::from_str(&text).map_err(|e| invalid(path, e.to_string()))?;
        g.chain().map_err(|e| invalid(path, e))?;
        Ok(g)
    }

    /// Validators as (key, stake, address), checked.
    ///
    /// # Errors
    /// A readable problem.
    pub fn validators_parsed(&self) -> Result<Vec<(PublicKey, u64, SocketAddr)>, String> {
        if self.validators.is_empty() {
            return Err("no validators".into());
        }
        let mut out = Vec::new();
        for v in &self.validators {
            let bytes = parse_hash(&v.public_key)
                .ok_or_else(|| format!("public key {:?} is not 64 hex digits", v.public_key))?;
            let pk = PublicKey::decode(commonware_codec::Copying(bytes.as_slice()))
                .map_err(|e| format!("public key {}: {e}", v.public_key))?;
            if v.stake < self.params().min_stake.max(1) {
                return Err(format!(
                    "validator {} has stake {} below the minimum {}",
                    v.public_key,
                    v.stake,
                    self.params().min_stake.max(1)
                ));
            }
            if out.iter().any(|(k, _, _)| *k == pk) {
                return Err(format!("validator {} listed twice", v.public_key));
            }
            out.push((pk, v.stake, v.p2p));
        }
        Ok(out)
    }

    /// The chain parameters (defaults filled in).
    pub fn params(&self) -> Params {
        let d = Params::default();
        Params {
            epoch_length: self.epoch_length.unwrap_or(d.epoch_length),
            min_stake: self.min_stake.unwrap_or(d.min_stake),
            max_validators: self.max_validators.unwrap_or(d.max_validators),
            note_contract: self.notes.as_ref().and_then(|n| parse_hash(&n.contract)),
            note_depth: self.notes.as_ref().map_or(0, |n| n.depth),
            note_entry: self
                .notes
                .as_ref()
                .map_or_else(default_note_entry, |n| n.entry.clone()),
        }
    }

    /// The genesis state, its parameters and the genesis hash: blake3 over the chain id, the
    /// parameters and the genesis state root (which commits to every account: validators'
    /// stakes and p2p addresses, other keys' balances). Timeouts are local matters and
    /// excluded.
    ///
    /// # Errors
    /// A readable problem (bad keys, duplicates, stakes, parameters).
    pub fn chain(&self) -> Result<Chain, String> {
        let params = self.params();
        if params.epoch_length < 2 {
            return Err("epoch_length must be at least 2".into());
        }
        if params.max_validators == 0 {
            return Err("max_validators must be positive".into());
        }
        let mut leaves = Leaves::default();
        let vs = self.validators_parsed()?;
        for ((pk, stake, addr), v) in vs.iter().zip(&self.validators) {
            leaves.set_account(
                key_bytes(pk),
                Account {
                    balance: v.balance,
                    bonded: *stake,
                    nonce: 0,
                    address: addr.to_string(),
                },
            );
        }
        for a in &self.accounts {
            let pk = parse_key(&a.public_key)?;
            if leaves.account(&key_bytes(&pk)).is_some() {
                return Err(format!("key {} listed twice", a.public_key));
            }
            leaves.set_account(
                key_bytes(&pk),
                Account {
                    balance: a.balance,
                    ..Account::default()
                },
            );
        }
        if let Some(n) = &self.notes {
            let contract = parse_hash(&n.contract)
                .ok_or_else(|| format!("note contract {:?} is not 64 hex digits", n.contract))?;
            if !(1..=crate::notes::MAX_DEPTH).contains(&n.depth) {
                return Err(format!(
                    "note tree depth {} is not in 1..={}",
                    n.depth,
                    crate::notes::MAX_DEPTH
                ));
            }
            if n.commitments.len() > 1usize << n.depth {
                return Err(format!(
                    "{} genesis notes do not fit a tree of depth {}",
                    n.commitments.len(),
                    n.depth
                ));
            }
            let genesis = n
                .commitments
                .iter()
                .map(|c| {
                    parse_hash(c)
                        .ok_or_else(|| format!("note commitment {c:?} is not 64 hex digits"))
                })
                .collect::<Result<Vec<_>, _>>()?;
            if genesis.contains(&[0u8; 32]) {
                return Err("a genesis note commitment of 32 zero bytes (the empty leaf)".into());
            }
            leaves.init_notes(contract, n.depth, genesis);
        }
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-genesis-v3");
        h.update(&(self.chain_id.len() as u64).to_le_bytes());
        h.update(self.chain_id.as_bytes());
        h.update(&params.epoch_length.to_le_bytes());
        h.update(&params.min_stake.to_le_bytes());
        h.update(&(params.max_validators as u64).to_le_bytes());
        // The note contract and depth (the genesis notes are in the state root).
        h.update(&params.note_contract.unwrap_or([0; 32]));
        h.update(&[params.note_depth]);
        h.update(&(params.note_entry.len() as u64).to_le_bytes());
        h.update(params.note_entry.as_bytes());
        h.update(&leaves.root());
        Ok(Chain {
            hash: *h.finalize().as_bytes(),
            params,
            leaves,
        })
    }

    /// Whether `key` has an account at genesis (a validator or a funded key).
    pub fn has_account(&self, key: &PublicKey) -> bool {
        self.chain()
            .map(|c| c.leaves.account(&key_bytes(key)).is_some())
            .unwrap_or(false)
    }
}

/// Parses an ed25519 public key from 64 hex digits.
///
/// # Errors
/// A readable problem.
pub fn parse_key(s: &str) -> Result<PublicKey, String> {
    let bytes = parse_hash(s).ok_or_else(|| format!("public key {s:?} is not 64 hex digits"))?;
    PublicKey::decode(commonware_codec::Copying(bytes.as_slice()))
        .map_err(|e| format!("public key {s}: {e}"))
}

/// Parses an ed25519 private key from 64 hex digits.
///
/// # Errors
/// A readable problem.
pub fn parse_private_key(s: &str) -> Result<PrivateKey, String> {
    let bytes = parse_hash(s).ok_or("a private key is 64 hex digits")?;
    PrivateKey::decode(commonware_codec::Copying(bytes.as_slice())).map_err(|e| e.to_string())
}

/// Tracks each epoch's validators (with the p2p addresses their accounts record) in the
/// authenticated `lookup` network.
pub struct LookupPeers(pub lookup::Oracle<PublicKey>);

impl engine::PeerSets for LookupPeers {
    fn track(&mut self, set: &EpochSet) {
        let peers: Vec<(PublicKey, Address)> = engine::member_keys(set)
            .into_iter()
            .filter_map(|(k, _, a)| a.parse::<SocketAddr>().ok().map(|a| (k, Address::from(a))))
            .collect();
        match Map::try_from(peers) {
            Ok(map) => {
                let _ = self.0.track(set.epoch, map);
            }
            Err(_) => tracing::error!(epoch = set.epoch, "duplicate keys in a validator set"),
        }
    }
}

/// A validator process's configuration file.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct NodeConfig {
    /// Path of the genesis file (relative to this file's folder).
    pub genesis: PathBuf,
    /// ed25519 private key, 64 hex digits (keep this file private).
    pub private_key: String,
    /// Data folder (relative to this file's folder).
    pub data_dir: PathBuf,
    /// p2p listen address.
    pub p2p_listen: SocketAddr,
    /// HTTP API listen address (loopback).
    pub api_listen: SocketAddr,
}

/// Everything a validator process needs, loaded and checked.
pub struct Loaded {
    /// The genesis.
    pub genesis: Genesis,
    /// This validator's key.
    pub key: PrivateKey,
    /// Data folder.
    pub data_dir: PathBuf,
    /// p2p listen address.
    pub p2p_listen: SocketAddr,
    /// API listen address.
    pub api_listen: SocketAddr,
}

impl Loaded {
    /// This node's public key.
    pub fn public_key(&self) -> PublicKey {
        self.key.public_key()
    }
}

impl NodeConfig {
    /// Loads a node configuration and its genesis.
    ///
    /// # Errors
    /// [`ConfigError`].
    pub fn load(path: &Path) -> Result<Loaded, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
        let c: NodeConfig =
            serde_json::from_str(&text).map_err(|e| invalid(path, e.to_string()))?;
        let base = path.parent().unwrap_or(Path::new("."));
        let genesis = Genesis::load(&base.join(&c.genesis))?;
        let key = parse_private_key(&c.private_key)
            .map_err(|e| invalid(path, format!("private_key: {e}")))?;
        let me = key.public_key();
        genesis.chain().map_err(|e| invalid(path, e))?;
        if !genesis.has_account(&me) {
            return Err(invalid(
                path,
                format!(
                    "this key ({}) has no account in the genesis file (neither a validator \
                     nor a funded account), so it could never validate",
                    hex(&me.encode())
                ),
            ));
        }
        Ok(Loaded {
            genesis,
            key,
            data_dir: base.join(&c.data_dir),
            p2p_listen: c.p2p_listen,
            api_listen: c.api_listen,
        })
    }
}

/// Writes a genesis file and one configuration per node into `dir`: `n` validators (stake
/// 100, balance 1000) and `candidates` funded keys that are not validators yet (balance 1000;
/// they can join with `gloam node stake`); `epoch_length` blocks per epoch (default 256).
/// Fresh random keys from the OS; p2p ports from
/// `p2p_base`, API ports from `api_base`. Returns the config paths (validators first).
///
/// # Errors
/// [`ConfigError`].
#[allow(clippy::too_many_arguments)]
pub fn init_network(
    dir: &Path,
    n: usize,
    candidates: usize,
    chain_id: &str,
    p2p_base: u16,
    api_base: u16,
    epoch_length: Option<u64>,
    notes: Option<GenesisNotes>,
) -> Result<Vec<PathBuf>, ConfigError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut keys = Vec::new();
    for _ in 0..n + candidates {
        let mut seed = [0u8; 32];
        let mut f =
            std::fs::File::open("/dev/urandom").map_err(|e| io(Path::new("/dev/urandom"), e))?;
        std::io::Read::read_exact(&mut f, &mut seed)
            .map_err(|e| io(Path::new("/dev/urandom"), e))?;
        let key = PrivateKey::decode(commonware_codec::Copying(seed.as_slice()))
            .map_err(|e| invalid(dir, e.to_string()))?;
        keys.push(key);
    }
    let genesis = Genesis {
        chain_id: chain_id.into(),
        validators: keys[..n]
            .iter()
            .enumerate()
            .map(|(i, k)| GenesisValidator {
                public_key: hex(&k.public_key().encode()),
                stake: 100,
                p2p: SocketAddr::from(([127, 0, 0, 1], p2p_base + i as u16)),
                balance: 1000,
            })
            .collect(),
        accounts: keys[n..]
            .iter()
            .map(|k| GenesisAccount {
                public_key: hex(&k.public_key().encode()),
                balance: 1000,
            })
            .collect(),
        epoch_length,
        min_stake: None,
        max_validators: None,
        leader_timeout_ms: None,
        notes,
    };
    genesis.chain().map_err(|e| invalid(dir, e))?;
    let gpath = dir.join("genesis.json");
    std::fs::write(&gpath, serde_json::to_string_pretty(&genesis).unwrap())
        .map_err(|e| io(&gpath, e))?;
    let mut paths = Vec::new();
    for (i, k) in keys.iter().enumerate() {
        let c = NodeConfig {
            genesis: "genesis.json".into(),
            private_key: hex(&k.encode()),
            data_dir: format!("data/v{i}").into(),
            p2p_listen: SocketAddr::from(([127, 0, 0, 1], p2p_base + i as u16)),
            api_listen: SocketAddr::from(([127, 0, 0, 1], api_base + i as u16)),
        };
        let p = if i < n {
            dir.join(format!("v{i}.json"))
        } else {
            dir.join(format!("c{}.json", i - n))
        };
        std::fs::write(&p, serde_json::to_string_pretty(&c).unwrap()).map_err(|e| io(&p, e))?;
        paths.push(p);
    }
    Ok(paths)
}

fn timeouts(g: &Genesis) -> Timeouts {
    let mut t = Timeouts::default();
    if let Some(ms) = g.leader_timeout_ms {
        t.leader = std::time::Duration::from_millis(ms.max(50));
        t.certification = t.leader * 2;
    }
    t
}

/// Starts one validator on the current tokio runtime context: authenticated p2p, consensus,
/// and (if `api` is given) the HTTP API. Returns the running validator.
///
/// # Errors
/// A readable message (storage or listen failures).
pub async fn start_validator(
    context: &cw_tokio::Context,
    genesis: &Genesis,
    key: PrivateKey,
    index: usize,
    data_dir: &Path,
    p2p_listen: SocketAddr,
    api: Option<SocketAddr>,
) -> Result<Validator, String> {
    const LABELS: [&str; 16] = [
        "v0", "v1", "v2", "v3", "v4", "v5", "v6", "v7", "v8", "v9", "v10", "v11", "v12", "v13",
        "v14", "v15",
    ];
    let ctx = context.child(LABELS[index % LABELS.len()]);
    let chain = genesis.chain()?;
    let namespace = format!("gloam:{}", genesis.chain_id).into_bytes();
    let p2p_cfg = lookup::Config::local(
        Cups::<_, ChaCha20Poly1305>::new(
            Sake {
                signer: key.clone(),
                synchrony_bound: std::time::Duration::from_secs(5),
                max_handshake_age: std::time::Duration::from_secs(10),
                version: sake::Version::V1,
            },
            cups::Version::V1,
        ),
        &namespace,
        p2p_listen,
        // Validator sets are drawn from the genesis accounts (no transaction creates one),
        // and the p2p layer reserves buffers per peer slot: size the sets exactly.
        NonZeroUsize::new(
            chain
                .params
                .max_validators
                .min(chain.leaves.accounts().count())
                .max(1),
        )
        .expect("positive"),
        engine::MAX_MESSAGE_BYTES,
        NZUsize!(1024),
    );
    let (mut network, oracle) = lookup::Network::new(ctx.child("p2p"), p2p_cfg);
    let quota = Quota::per_second(NZU32!(10_000));
    let channels = Channels {
        votes: network.register(0, quota),
        certificates: network.register(1, quota),
        resolver: network.register(2, quota),
        backfill: network.register(3, quota),
        blocks: network.register(4, quota),
        txs: network.register(5, quota),
    };
    network.start();

    std::fs::create_dir_all(data_dir).map_err(|e| format!("{}: {e}", data_dir.display()))?;
    let store = Store::open(&data_dir.join("state.redb")).map_err(|e| e.to_string())?;
    let node = Node::new(store, chain, Behavior::Honest).map_err(|e| e.to_string())?;
    let me = key.public_key();
    let validator = engine::start(
        ctx.child("engine"),
        ValidatorConfig {
            signer: key,
            namespace,
            partition_prefix: format!("gloam-{}", hex(&me.encode()[..8])),
            timeouts: timeouts(genesis),
        },
        node,
        oracle.clone(),
        oracle.clone(),
        LookupPeers(oracle),
        channels,
    )
    .await;
    if let Some(addr) = api {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let app = router(
            ctx.child("api_ctx"),
            validator.submitter(),
            hex(&me.encode()),
        );
        ctx.child("api").spawn(move |_| async move {
            if let Err(e) = axum::serve(listener, app).await {
                tracing::error!(error = %e, "API server stopped");
            }
        });
    }
    Ok(validator)
}

/// Runs one validator process until it is killed (`gloam node start --config FILE`).
///
/// # Errors
/// A readable message.
pub fn run_process(
    cfg: Loaded,
    on_ready: impl FnOnce(&str) + Send + 'static,
) -> Result<(), String> {
    let index = cfg
        .genesis
        .validators_parsed()?
        .iter()
        .position(|(k, _, _)| *k == cfg.key.public_key())
        .unwrap_or(cfg.genesis.validators.len());
    std::fs::create_dir_all(&cfg.data_dir)
        .map_err(|e| format!("{}: {e}", cfg.data_dir.display()))?;
    let runner = cw_tokio::Runner::new(
        cw_tokio::Config::new().with_storage_directory(cfg.data_dir.join("consensus")),
    );
    runner.start(|context| async move {
        let v = start_validator(
            &context,
            &cfg.genesis,
            cfg.key.clone(),
            index,
            &cfg.data_dir,
            cfg.p2p_listen,
            Some(cfg.api_listen),
        )
        .await?;
        on_ready(&format!(
            "validator {} listening: p2p {}, API http://{}",
            hex(&v.public_key.encode()),
            cfg.p2p_listen,
            cfg.api_listen
        ));
        futures::future::pending::<()>().await;
        Ok(())
    })
}

/// Runs `n` validators in this process over authenticated loopback p2p, serving validator
/// 0's API on `api` (`gloam node dev`). Data goes to `dir`.
///
/// # Errors
/// A readable message.
pub fn run_dev(
    dir: &Path,
    n: usize,
    api: SocketAddr,
    p2p_base: u16,
    notes: Option<GenesisNotes>,
    on_ready: impl FnOnce(&str) + Send + 'static,
) -> Result<(), String> {
    let genesis_path = dir.join("genesis.json");
    let configs: Vec<PathBuf> = if genesis_path.exists() {
        (0..n).map(|i| dir.join(format!("v{i}.json"))).collect()
    } else {
        init_network(
            dir,
            n,
            0,
            "gloam-dev",
            p2p_base,
            api.port().wrapping_add(1),
            None,
            notes,
        )
        .map_err(|e| e.to_string())?
    };
    let loaded: Vec<Loaded> = configs
        .iter()
        .map(|p| NodeConfig::load(p).map_err(|e| e.to_string()))
        .collect::<Result<_, _>>()?;
    let runner = cw_tokio::Runner::new(
        cw_tokio::Config::new().with_storage_directory(dir.join("data").join("consensus")),
    );
    runner.start(|context| async move {
        let mut vs = Vec::new();
        for (i, l) in loaded.into_iter().enumerate() {
            let api_addr = (i == 0).then_some(api);
            vs.push(
                start_validator(
                    &context,
                    &l.genesis,
                    l.key,
                    i,
                    &l.data_dir,
                    l.p2p_listen,
                    api_addr,
                )
                .await?,
            );
        }
        on_ready(&format!(
            "{n} validators running in this process (data in {}); API http://{api}",
            dir.display()
        ));
        futures::future::pending::<()>().await;
        let _ = vs;
        Ok(())
    })
}
