//! Running validators for real: genesis and node configuration files, one validator process
//! (`gloam node start`), and a one-machine network in one process (`gloam node dev`). Both
//! use commonware's tokio runtime, authenticated p2p (`lookup`: every validator's address is
//! in the genesis file) on loopback or any network, and serve the HTTP API.

use std::net::SocketAddr;
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

use crate::api::{router, ValidatorInfo};
use crate::engine::{self, Channels, Timeouts, Validator, ValidatorConfig};
use crate::node::{Behavior, Node};
use crate::state::Store;
use crate::types::{hex, parse_hash};

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
    /// Stake (leader election weight); positive.
    pub stake: u64,
    /// p2p address other validators dial.
    pub p2p: SocketAddr,
}

/// The genesis file: the chain id and the validator set.
#[derive(Clone, Debug, Serialize, Deserialize)]
pub struct Genesis {
    /// Chain id (also the signature namespace).
    pub chain_id: String,
    /// The validators.
    pub validators: Vec<GenesisValidator>,
    /// Consensus leader timeout (milliseconds); default 1000.
    #[serde(default)]
    pub leader_timeout_ms: Option<u64>,
}

impl Genesis {
    /// Reads and checks a genesis file.
    ///
    /// # Errors
    /// [`ConfigError`].
    pub fn load(path: &Path) -> Result<Self, ConfigError> {
        let text = std::fs::read_to_string(path).map_err(|e| io(path, e))?;
        let g: Genesis = serde_json::from_str(&text).map_err(|e| invalid(path, e.to_string()))?;
        g.validators_parsed().map_err(|e| invalid(path, e))?;
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
            if v.stake == 0 {
                return Err(format!("validator {} has zero stake", v.public_key));
            }
            if out.iter().any(|(k, _, _)| *k == pk) {
                return Err(format!("validator {} listed twice", v.public_key));
            }
            out.push((pk, v.stake, v.p2p));
        }
        Ok(out)
    }

    /// The chain's identity: blake3 over the chain id and the (key, stake) list in key order
    /// (addresses and timeouts are local matters and excluded).
    pub fn hash(&self) -> [u8; 32] {
        let mut vs = self.validators_parsed().unwrap_or_default();
        vs.sort_by(|a, b| a.0.cmp(&b.0));
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-genesis-v1");
        h.update(&(self.chain_id.len() as u64).to_le_bytes());
        h.update(self.chain_id.as_bytes());
        for (pk, stake, _) in vs {
            h.update(&pk.encode());
            h.update(&stake.to_le_bytes());
        }
        *h.finalize().as_bytes()
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
        let key_bytes = parse_hash(&c.private_key)
            .ok_or_else(|| invalid(path, "private_key is not 64 hex digits"))?;
        let key = PrivateKey::decode(commonware_codec::Copying(key_bytes.as_slice()))
            .map_err(|e| invalid(path, format!("private_key: {e}")))?;
        let me = key.public_key();
        if !genesis
            .validators_parsed()
            .map_err(|e| invalid(path, e))?
            .iter()
            .any(|(k, _, _)| *k == me)
        {
            return Err(invalid(
                path,
                format!(
                    "this key ({}) is not a validator in the genesis file",
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

/// Writes a genesis file and one configuration per validator into `dir` (fresh random keys
/// from the OS; p2p ports from `p2p_base`, API ports from `api_base`). Returns the config
/// paths.
///
/// # Errors
/// [`ConfigError`].
pub fn init_network(
    dir: &Path,
    n: usize,
    chain_id: &str,
    p2p_base: u16,
    api_base: u16,
) -> Result<Vec<PathBuf>, ConfigError> {
    std::fs::create_dir_all(dir).map_err(|e| io(dir, e))?;
    let mut keys = Vec::new();
    for _ in 0..n {
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
        validators: keys
            .iter()
            .enumerate()
            .map(|(i, k)| GenesisValidator {
                public_key: hex(&k.public_key().encode()),
                stake: 100,
                p2p: SocketAddr::from(([127, 0, 0, 1], p2p_base + i as u16)),
            })
            .collect(),
        leader_timeout_ms: None,
    };
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
        let p = dir.join(format!("v{i}.json"));
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
    let vs = genesis.validators_parsed()?;
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
        NZUsize!(vs.len().max(1)),
        engine::MAX_MESSAGE_BYTES,
        NZUsize!(1024),
    );
    let (mut network, mut oracle) = lookup::Network::new(ctx.child("p2p"), p2p_cfg);
    let peers: Map<PublicKey, Address> = vs
        .iter()
        .map(|(k, _, a)| (k.clone(), Address::from(*a)))
        .collect::<Vec<_>>()
        .try_into()
        .map_err(|_| "duplicate validator keys".to_string())?;
    let _ = oracle.track(0, peers);
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
    let genesis_hash = genesis.hash();
    let genesis_block = crate::app::genesis_block(genesis_hash);
    let node = Node::new(
        store,
        commonware_cryptography::Digestible::digest(&genesis_block),
        Behavior::Honest,
    )
    .map_err(|e| e.to_string())?;
    let validators: Vec<(PublicKey, u64)> = vs.iter().map(|(k, s, _)| (k.clone(), *s)).collect();
    let me = key.public_key();
    let validator = engine::start(
        ctx.child("engine"),
        ValidatorConfig {
            signer: key,
            validators: validators.clone(),
            genesis_hash,
            namespace,
            partition_prefix: format!("gloam-{}", hex(&me.encode()[..8])),
            timeouts: timeouts(genesis),
        },
        node,
        oracle.clone(),
        oracle,
        channels,
    )
    .await;
    if let Some(addr) = api {
        let listener = tokio::net::TcpListener::bind(addr)
            .await
            .map_err(|e| format!("cannot listen on {addr}: {e}"))?;
        let infos: Vec<ValidatorInfo> = validators
            .iter()
            .map(|(k, s)| ValidatorInfo {
                public_key: hex(&k.encode()),
                stake: *s,
            })
            .collect();
        let app = router(
            ctx.child("api_ctx"),
            validator.submitter(),
            hex(&me.encode()),
            infos,
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
        .unwrap_or(0);
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
    on_ready: impl FnOnce(&str) + Send + 'static,
) -> Result<(), String> {
    let genesis_path = dir.join("genesis.json");
    let configs: Vec<PathBuf> = if genesis_path.exists() {
        (0..n).map(|i| dir.join(format!("v{i}.json"))).collect()
    } else {
        init_network(dir, n, "gloam-dev", p2p_base, api.port().wrapping_add(1))
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
