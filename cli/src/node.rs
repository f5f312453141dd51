//! `gloam node ...`: run validators and talk to them (crate `gloam-node`).

use std::net::SocketAddr;
use std::path::PathBuf;
use std::time::{Duration, Instant};

use clap::{Args, Subcommand};
use gloam_node::client::{Client, ClientError};
use gloam_node::types::hex;
use gloam_node::{RunTx, Tx};
use serde_json::json;

use crate::{emit, emit_json, exit, values_json, CmdResult, Failure};

/// Default API address of `gloam node dev` and the default target of `submit`/`status`.
pub const DEFAULT_API: &str = "127.0.0.1:8080";

#[derive(Args, Debug)]
pub struct NodeArgs {
    #[command(subcommand)]
    pub cmd: NodeCmd,
}

#[derive(Subcommand, Debug)]
pub enum NodeCmd {
    /// Start a one-machine network (4 validators in this process) with no configuration.
    #[command(after_help = "Exit codes: 0 stopped, 11 cannot start (files, ports).")]
    Dev(DevArgs),
    /// Write a genesis file and one configuration per validator for a multi-process network.
    #[command(after_help = "Exit codes: 0 ok, 11 cannot write the files.")]
    Init(InitArgs),
    /// Start one validator process of a multi-process network.
    #[command(after_help = "Exit codes: 0 stopped, 11 bad configuration or cannot start.")]
    Start(StartArgs),
    /// Deploy MODULE (if not yet deployed) and submit the proven run in PROOF.
    #[command(
        after_help = "Exit codes: 0 finalized (or accepted with --no-wait), 2 usage, \
3 module refused, 7 proof file malformed, 9 refused by the node (reason printed), \
10 node unreachable or finality timed out."
    )]
    Submit(SubmitArgs),
    /// Print a validator's status.
    #[command(after_help = "Exit codes: 0 ok, 10 node unreachable.")]
    Status(StatusArgs),
    /// Bond (or unbond, with --bond 0) validator stake for the key of a node configuration;
    /// it takes effect at the next epoch boundary.
    #[command(
        after_help = "Exit codes: 0 finalized (or accepted with --no-wait), 9 refused by the \
node (reason printed), 10 node unreachable or finality timed out, 11 bad configuration."
    )]
    Stake(StakeArgs),
}

#[derive(Args, Debug)]
pub struct StakeArgs {
    /// Node configuration file holding the key (written by `gloam node init`).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// Tokens to keep bonded after this transaction (0 leaves the validator set).
    #[arg(long)]
    bond: u64,
    #[command(flatten)]
    send: SendArgs,
}

/// Where a transaction goes and whether to wait for its finality (`submit`, `stake`).
#[derive(Args, Debug)]
pub struct SendArgs {
    /// Validator API address.
    #[arg(long, default_value = DEFAULT_API)]
    api: String,
    /// Return once the node accepted the transaction, without waiting for finality.
    #[arg(long)]
    no_wait: bool,
    /// Seconds to wait for finality.
    #[arg(long, default_value_t = 60)]
    timeout: u64,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

impl SendArgs {
    /// Submits `tx` and, unless `--no-wait`, waits for its finality: (id, height).
    fn send(&self, client: &Client, tx: &Tx) -> Result<(gloam_node::TxId, Option<u64>), Failure> {
        let id = client.submit(tx).map_err(client_failure)?;
        if self.no_wait {
            return Ok((id, None));
        }
        let h = client
            .wait_finalized(&id, Duration::from_secs(self.timeout))
            .map_err(client_failure)?;
        Ok((id, Some(h)))
    }
}

#[derive(Args, Debug)]
pub struct DevArgs {
    /// Number of validators.
    #[arg(long, default_value_t = 4)]
    validators: usize,
    /// Data folder (reused if it holds a network) [default: a fresh temporary folder].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
    /// API address of validator 0.
    #[arg(long, default_value = DEFAULT_API)]
    api: SocketAddr,
    /// First p2p port (validator i listens on PORT + i).
    #[arg(long, default_value_t = 27100)]
    p2p_port: u16,
    #[command(flatten)]
    notes: NoteArgs,
}

/// Confidential notes at genesis (docs/node.md, "Confidential notes").
#[derive(Args, Debug)]
pub struct NoteArgs {
    /// The note contract's module (.wasm): its proven runs are note transfers, checked
    /// against the chain's note tree and nullifier set [default: no note contract].
    #[arg(long, value_name = "MODULE")]
    note_contract: Option<PathBuf>,
    /// Depth of the note tree, 1..=16 (it holds 2^depth notes).
    #[arg(long, value_name = "D", default_value_t = 16)]
    note_depth: u8,
    /// A note commitment issued at genesis (64 hex digits); repeat for more.
    #[arg(long = "note", value_name = "HEX")]
    notes: Vec<String>,
    /// The note contract's transfer entry (runs of its other exports are refused).
    #[arg(long, value_name = "NAME", default_value = "transfer")]
    note_entry: String,
}

impl NoteArgs {
    fn genesis(&self) -> Result<Option<gloam_node::run::GenesisNotes>, Failure> {
        let Some(path) = &self.note_contract else {
            if !self.notes.is_empty() {
                return Err(Failure::new(exit::USAGE, "--note needs --note-contract"));
            }
            return Ok(None);
        };
        let bytes = std::fs::read(path).map_err(|e| {
            Failure::new(exit::MODULE, format!("cannot read {}: {e}", path.display()))
        })?;
        let program = gloam_isa::load_module(&bytes)
            .map_err(|e| Failure::new(exit::MODULE, format!("{}: {e}", path.display())))?;
        Ok(Some(gloam_node::run::GenesisNotes {
            contract: program.hash().to_string(),
            depth: self.note_depth,
            entry: self.note_entry.clone(),
            commitments: self.notes.clone(),
        }))
    }
}

#[derive(Args, Debug)]
pub struct InitArgs {
    /// Number of validators.
    #[arg(long, default_value_t = 4)]
    validators: usize,
    /// Folder for genesis.json and v0.json, v1.json, ...
    #[arg(long, value_name = "DIR")]
    dir: PathBuf,
    /// Chain id.
    #[arg(long, default_value = "gloam-local")]
    chain_id: String,
    /// First p2p port (validator i listens on PORT + i).
    #[arg(long, default_value_t = 27200)]
    p2p_port: u16,
    /// First API port (validator i serves on PORT + i).
    #[arg(long, default_value_t = 8180)]
    api_port: u16,
    /// Funded keys that are not validators at genesis (configurations c0.json, ...); they
    /// join with `gloam node stake`.
    #[arg(long, default_value_t = 0)]
    candidates: usize,
    /// Blocks per epoch (validator-set changes take effect at epoch boundaries).
    #[arg(long, default_value_t = 256)]
    epoch_length: u64,
    #[command(flatten)]
    notes: NoteArgs,
}

#[derive(Args, Debug)]
pub struct StartArgs {
    /// Node configuration file (written by `gloam node init`).
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
}

#[derive(Args, Debug)]
pub struct SubmitArgs {
    /// The contract's WebAssembly module (binary .wasm).
    #[arg(value_name = "MODULE")]
    module: PathBuf,
    /// The proof file written by `gloam prove`.
    #[arg(value_name = "PROOF")]
    proof: PathBuf,
    #[command(flatten)]
    send: SendArgs,
}

#[derive(Args, Debug)]
pub struct StatusArgs {
    /// Validator API address.
    #[arg(long, default_value = DEFAULT_API)]
    api: String,
    /// Print one JSON object.
    #[arg(long)]
    json: bool,
}

impl NodeCmd {
    pub fn json(&self) -> bool {
        match self {
            NodeCmd::Submit(a) => a.send.json,
            NodeCmd::Status(a) => a.json,
            NodeCmd::Stake(a) => a.send.json,
            _ => false,
        }
    }
}

fn client_failure(e: ClientError) -> Failure {
    match &e {
        ClientError::Refused { code, reason, .. } => Failure::new(
            exit::NODE_REFUSED,
            format!("the node refused the transaction: {reason}"),
        )
        .with("code", json!(code))
        .with("reason", json!(reason)),
        ClientError::Unreachable { .. } => Failure::new(exit::NODE_UNREACHABLE, e.to_string()),
    }
}

pub fn cmd_node(a: NodeArgs) -> CmdResult {
    match a.cmd {
        NodeCmd::Dev(a) => dev(a),
        NodeCmd::Init(a) => init(a),
        NodeCmd::Start(a) => start(a),
        NodeCmd::Submit(a) => submit(a),
        NodeCmd::Status(a) => status(a),
        NodeCmd::Stake(a) => stake(a),
    }
}

fn ready(msg: &str) {
    eprintln!("{msg}");
}

fn dev(a: DevArgs) -> CmdResult {
    if a.validators == 0 || a.validators > 16 {
        return Err(Failure::new(exit::USAGE, "--validators must be 1..=16"));
    }
    let dir = match a.dir {
        Some(d) => d,
        None => {
            let d = std::env::temp_dir().join(format!("gloam-dev-{}", std::process::id()));
            let _ = std::fs::remove_dir_all(&d);
            d
        }
    };
    eprintln!(
        "starting {} validators; submit with: gloam node submit MODULE PROOF --api {}",
        a.validators, a.api
    );
    let notes = a.notes.genesis()?;
    gloam_node::run::run_dev(&dir, a.validators, a.api, a.p2p_port, notes, ready)
        .map_err(|e| Failure::new(exit::NODE_CONFIG, e))
}

fn init(a: InitArgs) -> CmdResult {
    if a.validators == 0 {
        return Err(Failure::new(exit::USAGE, "--validators must be at least 1"));
    }
    if a.epoch_length < 2 {
        return Err(Failure::new(
            exit::USAGE,
            "--epoch-length must be at least 2",
        ));
    }
    let paths = gloam_node::run::init_network(
        &a.dir,
        a.validators,
        a.candidates,
        &a.chain_id,
        a.p2p_port,
        a.api_port,
        Some(a.epoch_length),
        a.notes.genesis()?,
    )
    .map_err(|e| Failure::new(exit::NODE_CONFIG, e.to_string()))?;
    emit(&format!("wrote {}\n", a.dir.join("genesis.json").display()));
    for p in paths {
        emit(&format!(
            "wrote {}  (start: gloam node start --config {})\n",
            p.display(),
            p.display()
        ));
    }
    Ok(())
}

fn start(a: StartArgs) -> CmdResult {
    let cfg = gloam_node::run::NodeConfig::load(&a.config)
        .map_err(|e| Failure::new(exit::NODE_CONFIG, e.to_string()))?;
    gloam_node::run::run_process(cfg, ready).map_err(|e| Failure::new(exit::NODE_CONFIG, e))
}

fn submit(a: SubmitArgs) -> CmdResult {
    let module = std::fs::read(&a.module).map_err(|e| {
        Failure::new(
            exit::MODULE,
            format!("cannot read {}: {e}", a.module.display()),
        )
    })?;
    if !module.starts_with(b"\0asm") {
        return Err(Failure::new(
            exit::MODULE,
            format!(
                "{}: deploy needs binary WebAssembly (.wasm), not text",
                a.module.display()
            ),
        ));
    }
    let program = gloam_isa::load_module(&module)
        .map_err(|e| Failure::new(exit::MODULE, format!("{}: {e}", a.module.display())))?;
    let hash = program.hash().0;
    let proof = std::fs::read(&a.proof).map_err(|e| {
        Failure::new(
            exit::PROOF_FILE,
            format!("cannot read {}: {e}", a.proof.display()),
        )
    })?;
    let run = RunTx::from_proof_file(&proof)
        .map_err(|e| Failure::new(exit::PROOF_FILE, format!("{}: {e}", a.proof.display())))?;
    if run.program_hash != hash {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "{} is a proof about program {}, but {} is program {}",
                a.proof.display(),
                hex(&run.program_hash),
                a.module.display(),
                hex(&hash)
            ),
        ));
    }
    let client = Client::new(&a.send.api);
    let started = Instant::now();
    let mut deployed_now = None;
    if !client.contract_deployed(&hash).map_err(client_failure)? {
        let tx = Tx::Deploy {
            module: module.into(),
        };
        match client.submit(&tx) {
            Ok(id) => deployed_now = Some(id),
            // Someone deployed it meanwhile (or it is pending): fine.
            Err(ClientError::Refused { code, .. }) if code == "duplicate" => {}
            Err(e) => return Err(client_failure(e)),
        }
    }
    let (id, height) = a.send.send(&client, &Tx::Run(run.clone()))?;
    let took = started.elapsed();
    if a.send.json {
        emit_json(&json!({
            "program_hash": hex(&hash),
            "deployed": deployed_now.map(|d| d.to_string()),
            "tx": id.to_string(),
            "entry": run.entry, "args": values_json(&run.args), "results": values_json(&run.results),
            "cycles": run.cycles,
            "public_input": hex(&run.public_input), "journal": hex(&run.journal),
            "finalized_height": height,
            "seconds": took.as_secs_f64(),
        }));
    } else {
        if let Some(d) = deployed_now {
            emit(&format!("deployed contract {} (tx {d})\n", hex(&hash)));
        }
        match height {
            Some(h) => emit(&format!(
                "run {} finalized at height {h} in {:.2} s (tx {id})\n",
                crate::fmt_call_values(&run.entry, &run.args, &run.results),
                took.as_secs_f64()
            )),
            None => emit(&format!("run accepted into the mempool (tx {id})\n")),
        }
        if !run.journal.is_empty() {
            emit(&format!("  journal {}\n", crate::fmt_bytes(&run.journal)));
        }
    }
    Ok(())
}

fn stake(a: StakeArgs) -> CmdResult {
    let cfg = gloam_node::run::NodeConfig::load(&a.config)
        .map_err(|e| Failure::new(exit::NODE_CONFIG, e.to_string()))?;
    let client = Client::new(&a.send.api);
    let s = client.status().map_err(client_failure)?;
    let chain = gloam_node::types::parse_hash(&s.chain)
        .ok_or_else(|| Failure::new(exit::NODE_UNREACHABLE, "node sent a bad chain hash"))?;
    let own = gloam_node::run::Genesis::chain(&cfg.genesis)
        .map_err(|e| Failure::new(exit::NODE_CONFIG, e))?;
    if own.hash != chain {
        return Err(Failure::new(
            exit::NODE_CONFIG,
            format!(
                "the node at {} runs chain {}, but {} names chain {}",
                a.send.api,
                s.chain,
                a.config.display(),
                hex(&own.hash)
            ),
        ));
    }
    let pk = cfg.public_key();
    let key = gloam_node::types::key_bytes(&pk);
    let account = client
        .account(&key)
        .map_err(client_failure)?
        .ok_or_else(|| {
            Failure::new(
                exit::NODE_REFUSED,
                format!("the chain has no account for key {}", hex(&key)),
            )
        })?;
    let tx = gloam_node::StakeTx::sign(
        &cfg.key,
        &chain,
        a.bond,
        &cfg.p2p_listen.to_string(),
        account.nonce,
    );
    let (id, height) = a.send.send(&client, &Tx::Stake(tx))?;
    let next_epoch = height.map(|h| h / s.epoch_length + 1);
    if a.send.json {
        emit_json(&json!({
            "public_key": hex(&key), "bond": a.bond, "tx": id.to_string(),
            "finalized_height": height, "effective_epoch": next_epoch,
        }));
    } else {
        match height {
            Some(h) => emit(&format!(
                "bond of {} for {} finalized at height {h}; effective from epoch {} (tx {id})\n",
                a.bond,
                hex(&key),
                next_epoch.unwrap_or(0)
            )),
            None => emit(&format!("stake transaction accepted (tx {id})\n")),
        }
    }
    Ok(())
}

fn status(a: StatusArgs) -> CmdResult {
    let client = Client::new(&a.api);
    let s = client.status().map_err(client_failure)?;
    if a.json {
        emit_json(&serde_json::to_value(&s).expect("status serialises"));
        return Ok(());
    }
    let ms = |x: Option<f64>| {
        x.map(|v| format!("{v:.1} ms"))
            .unwrap_or_else(|| "-".into())
    };
    emit(&format!(
        "node           {}\nepoch          {} ({}, {} blocks per epoch)\nheight         {} (network {})\nfinalized txs  {}\nstate root     {}\nmempool        {}\nvalidators     {}\nproposed       {} blocks, refused {} blocks\nverifications  {} (median {}, p99 {})\nfinality       median {}, p99 {}\nevidence       {}\n",
        s.public_key, s.epoch, if s.voting { "voting" } else { "observing" }, s.epoch_length, s.height, s.network_height, s.finalized_txs, s.state_root, s.mempool,
        s.validators.iter().map(|v| format!("{}..:{}", &v.public_key[..8], v.stake)).collect::<Vec<_>>().join(" "),
        s.proposed_blocks, s.rejected_blocks, s.verifications, ms(s.verify_ms_median), ms(s.verify_ms_p99),
        ms(s.finality_ms_median), ms(s.finality_ms_p99), s.evidence
    ));
    Ok(())
}
