//! Validators on commonware's deterministic runtime and simulated network: fast and
//! reproducible (one seed, simulated time). Every block carries real proofs of the shipped
//! examples, made once per test binary with `gloam-prover`.

use std::sync::{Arc, OnceLock};
use std::time::Duration;

use commonware_cryptography::ed25519::{PrivateKey, PublicKey};
use commonware_cryptography::Signer;
use commonware_p2p::simulated::{self, Link, Network, Oracle};
use commonware_runtime::{deterministic, Clock, Quota, Runner, Supervisor};
use commonware_utils::{probability, NZUsize, NZU32};
use gloam_node::engine::{self, Channels, Timeouts, Untracked, Validator, ValidatorConfig};
use gloam_node::node::Chain;
use gloam_node::state::{Account, Leaves, Params, Store};
use gloam_node::types::key_bytes;
use gloam_node::{Behavior, Node, RunTx, StakeTx, SubmitError, Tx};
use gloam_verifier::isa::IntValue;

/// Validators at genesis.
const N: usize = 4;
/// Nodes: the genesis validators and one funded key that is not a validator at genesis.
const NODES: usize = N + 1;
/// Epoch length of the tests that do not exercise epochs (long enough not to end).
const LONG_EPOCH: u64 = 1 << 20;
const LINK: Link = Link {
    latency: Duration::from_millis(20),
    jitter: Duration::from_millis(2),
    success_rate: probability!(1.0),
};

/// (module bytes, run transactions) per example contract.
struct Fixture {
    fib: Vec<u8>,
    gcd: Vec<u8>,
    runs: Vec<Tx>,
}

fn fixture() -> &'static Fixture {
    static F: OnceLock<Fixture> = OnceLock::new();
    F.get_or_init(|| {
        let dir = gloam_testkit::examples_dir();
        let fib = std::fs::read(dir.join("fib/fib.wasm")).unwrap();
        let gcd = std::fs::read(dir.join("gcd/gcd.wasm")).unwrap();
        let mut runs = Vec::new();
        let cfg = gloam_prover::ProveConfig::default();
        for (module, entry, args) in [
            (&fib, "fib", vec![10u32]),
            (&fib, "fib", vec![48]),
            (&gcd, "gcd", vec![48, 18]),
            (&fib, "fib", vec![20]),
            (&gcd, "gcd", vec![1071, 462]),
            (&fib, "fib", vec![30]),
        ] {
            let program = Arc::new(gloam_verifier::isa::load_module(module).unwrap());
            let run = gloam_prover::prove(program, entry, &args, &cfg).unwrap();
            runs.push(Tx::Run(
                RunTx::from_proof_file(&run.file.to_bytes()).unwrap(),
            ));
        }
        Fixture { fib, gcd, runs }
    })
}

fn deploy(module: &[u8]) -> Tx {
    Tx::Deploy {
        module: bytes::Bytes::copy_from_slice(module),
    }
}

/// A copy of `tx` whose proof has one byte flipped.
fn forged(tx: &Tx) -> Tx {
    let Tx::Run(r) = tx else { panic!() };
    let mut r = r.clone();
    let mut stark = r.stark.to_vec();
    let at = stark.len() / 2;
    stark[at] ^= 1;
    r.stark = stark.into();
    Tx::Run(r)
}

/// A copy of `tx` claiming a different result with the original proof.
fn false_claim(tx: &Tx) -> Tx {
    let Tx::Run(r) = tx else { panic!() };
    let mut r = r.clone();
    r.results[0] = match r.results[0] {
        IntValue::I32(v) => IntValue::I32(v.wrapping_add(1)),
        IntValue::I64(v) => IntValue::I64(v.wrapping_add(1)),
    };
    Tx::Run(r)
}

/// A copy of `tx` claiming `cycles + p` (p = 2^64 - 2^32 + 1) with the original proof.
fn cycles_alias(tx: &Tx) -> Tx {
    let Tx::Run(r) = tx else { panic!() };
    let mut r = r.clone();
    r.cycles += 0xFFFF_FFFF_0000_0001;
    Tx::Run(r)
}

struct Net {
    keys: Vec<PrivateKey>,
    validators: Vec<(PublicKey, u64)>,
    chain: Chain,
    oracle: Oracle<PublicKey, deterministic::Context>,
    dir: tempfile::TempDir,
}

impl Net {
    /// Genesis: validators 0..4 with stakes 40, 30, 20, 10 (and 100 liquid tokens each), and
    /// node 4 funded with 1000 tokens but not a validator.
    async fn new(ctx: &deterministic::Context, epoch_length: u64) -> Self {
        let keys: Vec<PrivateKey> = (0..NODES as u64)
            .map(|i| PrivateKey::from_seed(100 + i))
            .collect();
        let validators: Vec<(PublicKey, u64)> = keys
            .iter()
            .zip([40u64, 30, 20, 10, 0])
            .map(|(k, s)| (k.public_key(), s))
            .collect();
        let mut leaves = Leaves::default();
        for (k, s) in &validators {
            leaves.set_account(
                key_bytes(k),
                Account {
                    balance: if *s == 0 { 1000 } else { 100 },
                    bonded: *s,
                    nonce: 0,
                    address: String::new(),
                },
            );
        }
        let chain = Chain {
            hash: [42u8; 32],
            params: Params {
                epoch_length,
                min_stake: 5,
                max_validators: 16,
                ..Params::default()
            },
            leaves,
        };
        // The harness registers every node with the simulated network (peer sets are not
        // what these tests exercise).
        let (network, oracle) = Network::new_with_peers(
            ctx.child("network"),
            simulated::Config {
                max_size: engine::MAX_MESSAGE_BYTES,
                max_peers_per_set: NZUsize!(NODES),
                disconnect_on_block: true,
                tracked_peer_sets: NZUsize!(1),
            },
            validators.iter().map(|(k, _)| k.clone()),
        )
        .await;
        network.start();
        let net = Self {
            keys,
            validators,
            chain,
            oracle,
            dir: tempfile::tempdir().unwrap(),
        };
        for i in 0..NODES {
            for j in 0..NODES {
                if i != j {
                    net.link(i, j).await;
                }
            }
        }
        net
    }

    async fn link(&self, i: usize, j: usize) {
        self.oracle
            .add_link(
                self.validators[i].0.clone(),
                self.validators[j].0.clone(),
                LINK,
            )
            .await
            .unwrap();
    }

    async fn unlink(&self, i: usize, j: usize) {
        self.oracle
            .remove_link(self.validators[i].0.clone(), self.validators[j].0.clone())
            .await
            .unwrap();
    }

    async fn start(&self, ctx: &deterministic::Context, i: usize, behavior: Behavior) -> Validator {
        let pk = self.validators[i].0.clone();
        let control = self.oracle.control(pk.clone());
        let quota = Quota::per_second(NZU32!(10_000));
        let mut ch = Vec::new();
        for c in 0..6u64 {
            ch.push(control.register(c, quota).await.unwrap());
        }
        let mut ch = ch.into_iter();
        let channels = Channels {
            votes: ch.next().unwrap(),
            certificates: ch.next().unwrap(),
            resolver: ch.next().unwrap(),
            backfill: ch.next().unwrap(),
            blocks: ch.next().unwrap(),
            txs: ch.next().unwrap(),
        };
        let store = Store::open(&self.dir.path().join(format!("v{i}.redb"))).unwrap();
        let node = Node::new(store, self.chain.clone(), behavior).unwrap();
        engine::start(
            ctx.child(
                [
                    "validator0",
                    "validator1",
                    "validator2",
                    "validator3",
                    "validator4",
                ][i],
            ),
            ValidatorConfig {
                signer: self.keys[i].clone(),
                namespace: b"gloam-test".to_vec(),
                partition_prefix: format!("v{i}"),
                timeouts: Timeouts::default(),
            },
            node,
            control.clone(),
            self.oracle.manager(),
            Untracked,
            channels,
        )
        .await
    }
}

/// Waits (simulated time) until `cond` holds, failing after `limit`.
async fn until(
    ctx: &deterministic::Context,
    limit: Duration,
    what: &str,
    mut cond: impl FnMut() -> bool,
) {
    let start = ctx.current();
    while !cond() {
        if ctx.current().duration_since(start).unwrap() > limit {
            panic!("timed out after {limit:?} waiting for {what}");
        }
        ctx.sleep(Duration::from_millis(100)).await;
    }
}

fn roots(vs: &[&Validator]) -> Vec<[u8; 32]> {
    vs.iter().map(|v| v.node.tip().leaves.root()).collect()
}

fn runner(seed: u64) -> deterministic::Runner {
    deterministic::Runner::new(
        deterministic::Config::new()
            .with_seed(seed)
            .with_timeout(Some(Duration::from_secs(600))),
    )
}

#[test]
fn four_validators_finalize_real_proofs_and_refuse_bad_submissions() {
    let f = fixture();
    runner(1).start(|ctx| async move {
        let net = Net::new(&ctx, LONG_EPOCH).await;
        let mut vs = Vec::new();
        for i in 0..N {
            vs.push(net.start(&ctx, i, Behavior::Honest).await);
        }
        until(&ctx, Duration::from_secs(30), "first blocks", || {
            vs.iter().all(|v| v.node.tip().height >= 2)
        })
        .await;
        // Deploys to validator 0, runs spread over validators.
        vs[0]
            .submit(&ctx, &deploy(&f.fib).to_bytes())
            .await
            .unwrap();
        vs[1]
            .submit(&ctx, &deploy(&f.gcd).to_bytes())
            .await
            .unwrap();
        // A validator that has not seen the contract refuses a run of it, naming why.
        let e = vs[3].submit(&ctx, &f.runs[0].to_bytes()).await.unwrap_err();
        assert_eq!(e.code(), "unknown_contract", "{e}");
        until(&ctx, Duration::from_secs(30), "deploys finalized", || {
            vs.iter().all(|v| v.node.tip().finalized_txs == 2)
        })
        .await;
        for (i, tx) in f.runs.iter().enumerate() {
            let r = vs[i % N].submit(&ctx, &tx.to_bytes()).await;
            assert!(r.is_ok(), "run {i}: {r:?}");
        }
        let total = 2 + f.runs.len() as u64;
        until(
            &ctx,
            Duration::from_secs(60),
            "all transactions finalized",
            || vs.iter().all(|v| v.node.tip().finalized_txs == total),
        )
        .await;
        let r = roots(&vs.iter().collect::<Vec<_>>());
        assert!(r.iter().all(|x| *x == r[0]), "state roots differ: {r:?}");
        for tx in f.runs.iter() {
            for v in &vs {
                assert!(v.node.store().tx_location(&tx.id()).unwrap().is_some());
            }
        }

        // Refusals at submission, with their reasons.
        let v = &vs[2];
        let dup = v.submit(&ctx, &f.runs[0].to_bytes()).await.unwrap_err();
        assert!(
            matches!(dup, SubmitError::Duplicate(_, "finalized")),
            "{dup}"
        );
        let dup_deploy = v
            .submit(&ctx, &deploy(&f.fib).to_bytes())
            .await
            .unwrap_err();
        assert_eq!(dup_deploy.code(), "duplicate", "{dup_deploy}");
        let forged_err = v
            .submit(&ctx, &forged(&f.runs[1]).to_bytes())
            .await
            .unwrap_err();
        assert!(
            matches!(
                forged_err,
                SubmitError::InvalidProof(_) | SubmitError::Conflict(_)
            ),
            "{forged_err}"
        );
        // A fresh statement with a forged proof: the proof check is what refuses it.
        let lie = false_claim(&f.runs[3]);
        let e = v.submit(&ctx, &lie.to_bytes()).await.unwrap_err();
        assert!(matches!(e, SubmitError::InvalidProof(_)), "{e}");
        assert!(e.to_string().contains("proof rejected"), "{e}");
        // A finalized run's proof claiming `cycles + p` (p the Goldilocks modulus): reduced
        // into the field it is the same statement, so it must not count as a second run.
        let alias = cycles_alias(&f.runs[0]);
        let e = v.submit(&ctx, &alias.to_bytes()).await.unwrap_err();
        assert!(matches!(e, SubmitError::InvalidProof(_)), "{e}");
        assert!(e.to_string().contains("2^22"), "{e}");
        let e = v.submit(&ctx, b"\x01\x07garbage").await.unwrap_err();
        assert_eq!(e.code(), "malformed", "{e}");
        let e = v
            .submit(&ctx, &deploy(b"\0asm\x01\0\0\0\x99").to_bytes())
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_module", "{e}");
        // A module no proof can cover (an import) is refused at deploy, with the verifier's
        // reason.
        let import =
            wat::parse_str("(module (import \"env\" \"g\" (func)) (func (export \"f\")))").unwrap();
        let e = v
            .submit(&ctx, &deploy(&import).to_bytes())
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_module", "{e}");
        assert!(e.to_string().contains("imports `env.g`"), "{e}");
        // Nothing refused was finalized.
        ctx.sleep(Duration::from_secs(3)).await;
        assert!(vs.iter().all(|v| v.node.tip().finalized_txs == total));
        let r = roots(&vs.iter().collect::<Vec<_>>());
        assert!(r.iter().all(|x| *x == r[0]));
    });
}

/// Validator 0 (the largest stake, so it leads often) is byzantine: it puts `bad` into
/// every block it proposes. Honest validators refuse those blocks naming `why`, the chain
/// goes on without them, `bad` is never finalized and every validator ends with the same
/// state root.
async fn byzantine_leader(ctx: deterministic::Context, bad: Tx, why: &str) -> Vec<Validator> {
    let f = fixture();
    let net = Net::new(&ctx, LONG_EPOCH).await;
    let mut vs = Vec::new();
    for i in 0..N {
        let b = if i == 0 {
            Behavior::InjectTx(Box::new(bad.clone()))
        } else {
            Behavior::Honest
        };
        vs.push(net.start(&ctx, i, b).await);
    }
    vs[1]
        .submit(&ctx, &deploy(&f.fib).to_bytes())
        .await
        .unwrap();
    vs[1].submit(&ctx, &f.runs[0].to_bytes()).await.unwrap();
    until(&ctx, Duration::from_secs(60), "honest progress", || {
        vs[1..]
            .iter()
            .all(|v| v.node.tip().finalized_txs >= 2 && v.node.tip().height >= 15)
    })
    .await;
    for v in &vs {
        assert!(
            v.node.store().tx_location(&bad.id()).unwrap().is_none(),
            "the byzantine transaction was finalized"
        );
    }
    let proposed = vs[0].node.metrics().proposed;
    let rejected: u64 = vs[1..]
        .iter()
        .map(|v| v.node.metrics().rejected_blocks)
        .sum();
    assert!(proposed > 0, "the byzantine validator never proposed");
    assert!(rejected > 0, "no honest validator refused a block");
    let reasons = vs[1..]
        .iter()
        .filter_map(|v| v.node.metrics().last_rejection)
        .collect::<Vec<_>>();
    assert!(reasons.iter().any(|w| w.contains(why)), "{reasons:?}");
    let r = roots(&vs.iter().collect::<Vec<_>>());
    assert!(r.iter().all(|x| *x == r[0]), "state roots differ");
    vs
}

#[test]
fn byzantine_proposer_with_forged_proof_gets_nothing_finalized() {
    let f = fixture();
    runner(2).start(|ctx| async move {
        byzantine_leader(ctx, false_claim(&f.runs[1]), "proof rejected").await;
    });
}

/// A stake transaction that unbonds validator 1, signed by validator 0's key instead of
/// validator 1's: a stolen unbond must never be finalized.
#[test]
fn byzantine_proposer_with_forged_stake_signature_gets_nothing_finalized() {
    runner(7).start(|ctx| async move {
        let k0 = PrivateKey::from_seed(100);
        let k1 = PrivateKey::from_seed(101);
        let mut forged = StakeTx::sign(&k0, &[42u8; 32], 0, "", 0);
        forged.public_key = k1.public_key();
        let vs = byzantine_leader(ctx, Tx::Stake(forged), "invalid signature").await;
        let a = vs[2]
            .node
            .tip()
            .leaves
            .account(&key_bytes(&k1.public_key()))
            .cloned()
            .unwrap();
        assert_eq!(
            (a.bonded, a.nonce),
            (30, 0),
            "validator 1's stake untouched"
        );
    });
}

#[test]
fn crashed_validator_restarts_and_catches_up() {
    let f = fixture();
    runner(3).start(|ctx| async move {
        let net = Net::new(&ctx, 8).await;
        let mut vs: Vec<Option<Validator>> = Vec::new();
        for i in 0..N {
            vs.push(Some(net.start(&ctx, i, Behavior::Honest).await));
        }
        let v0 = |vs: &Vec<Option<Validator>>| vs[0].as_ref().unwrap().node.clone();
        vs[0]
            .as_ref()
            .unwrap()
            .submit(&ctx, &deploy(&f.fib).to_bytes())
            .await
            .unwrap();
        vs[0]
            .as_ref()
            .unwrap()
            .submit(&ctx, &f.runs[0].to_bytes())
            .await
            .unwrap();
        until(&ctx, Duration::from_secs(60), "two finalized txs", || {
            vs.iter()
                .all(|v| v.as_ref().unwrap().node.tip().finalized_txs == 2)
        })
        .await;
        let before = vs[3].as_ref().unwrap().node.tip();
        vs[3].take().unwrap().crash();
        // The other three go on (3 of 4 validators, 90 of 100 stake, is a quorum by count).
        vs[0]
            .as_ref()
            .unwrap()
            .submit(&ctx, &f.runs[1].to_bytes())
            .await
            .unwrap();
        vs[1]
            .as_ref()
            .unwrap()
            .submit(&ctx, &f.runs[3].to_bytes())
            .await
            .unwrap();
        until(
            &ctx,
            Duration::from_secs(60),
            "progress without validator 3",
            || v0(&vs).tip().finalized_txs == 4 && v0(&vs).tip().height > before.height + 10,
        )
        .await;
        // Restart from its store; it catches up from its peers.
        vs[3] = Some(net.start(&ctx, 3, Behavior::Honest).await);
        let restarted = vs[3].as_ref().unwrap().node.tip();
        assert_eq!(
            restarted.height, before.height,
            "restart resumes from the stored tip"
        );
        assert_eq!(restarted.leaves.root(), before.leaves.root());
        until(
            &ctx,
            Duration::from_secs(120),
            "validator 3 catches up",
            || {
                // Caught up: its finalized transactions, a height close to the network's,
                // and the network's epoch (under load, the network may cross an epoch
                // boundary just before the restarted validator does).
                let v3 = &vs[3].as_ref().unwrap().node;
                let t = v3.tip();
                t.finalized_txs == 4
                    && t.height >= v0(&vs).tip().height.saturating_sub(2)
                    && v3.epoch_status() == v0(&vs).epoch_status()
            },
        )
        .await;
        let all: Vec<&Validator> = vs.iter().map(|v| v.as_ref().unwrap()).collect();
        // It was down across an epoch boundary (8-block epochs) and re-entered consensus in
        // the network's epoch by fetching the boundary it missed.
        // (Epoch e holds heights 8e..8e+7, so the epoch of the stored tip is height / 8.)
        assert!(
            all[3].node.epoch_status().0 > before.height / 8,
            "restarted in epoch {} from height {}",
            all[3].node.epoch_status().0,
            before.height
        );
        assert_eq!(all[3].node.epoch_status(), all[0].node.epoch_status());
        let target = all.iter().map(|v| v.node.tip().height).min().unwrap();
        for v in &all {
            let b = v.node.store().block(target).unwrap().unwrap();
            assert_eq!(
                b.state_root,
                all[0]
                    .node
                    .store()
                    .block(target)
                    .unwrap()
                    .unwrap()
                    .state_root
            );
        }
        // And it keeps finalizing new transactions with the others.
        all[3].submit(&ctx, &f.runs[5].to_bytes()).await.unwrap();
        until(
            &ctx,
            Duration::from_secs(60),
            "a new tx through the restarted validator",
            || all.iter().all(|v| v.node.tip().finalized_txs == 5),
        )
        .await;
        let r = roots(&all);
        assert!(r.iter().all(|x| *x == r[0]), "state roots differ");
    });
}

#[test]
fn partitioned_validator_heals() {
    let f = fixture();
    runner(4).start(|ctx| async move {
        let net = Net::new(&ctx, 8).await;
        let mut vs = Vec::new();
        for i in 0..N {
            vs.push(net.start(&ctx, i, Behavior::Honest).await);
        }
        vs[0]
            .submit(&ctx, &deploy(&f.gcd).to_bytes())
            .await
            .unwrap();
        until(&ctx, Duration::from_secs(60), "deploy finalized", || {
            vs.iter().all(|v| v.node.tip().finalized_txs == 1)
        })
        .await;
        // Cut validator 2 off in both directions.
        for j in [0, 1, 3] {
            net.unlink(2, j).await;
            net.unlink(j, 2).await;
        }
        let cut_height = vs[2].node.tip().height;
        vs[0].submit(&ctx, &f.runs[2].to_bytes()).await.unwrap();
        vs[1].submit(&ctx, &f.runs[4].to_bytes()).await.unwrap();
        until(&ctx, Duration::from_secs(60), "majority progress", || {
            vs[0].node.tip().finalized_txs == 3 && vs[0].node.tip().height > cut_height + 10
        })
        .await;
        assert!(
            vs[2].node.tip().height <= cut_height + 1,
            "the cut-off validator finalized alone"
        );
        for j in [0, 1, 3] {
            net.link(2, j).await;
            net.link(j, 2).await;
        }
        until(
            &ctx,
            Duration::from_secs(120),
            "validator 2 catches up",
            || {
                vs[2].node.tip().finalized_txs == 3
                    && vs[2].node.tip().height >= vs[0].node.tip().height.saturating_sub(2)
            },
        )
        .await;
        // The cut-off validator missed at least one epoch boundary (8-block epochs).
        assert!(vs[2].node.epoch_status().0 > (cut_height + 1) / 8);
        ctx.sleep(Duration::from_secs(2)).await;
        let h = vs.iter().map(|v| v.node.tip().height).min().unwrap();
        let roots_at_h: Vec<_> = vs
            .iter()
            .map(|v| v.node.store().block(h).unwrap().unwrap().state_root)
            .collect();
        assert!(roots_at_h.iter().all(|x| *x == roots_at_h[0]));
    });
}

/// Two deploys of one program (module bytes differing only in a custom section, which the
/// program hash ignores) submitted to different validators at once: one is finalized, the
/// other becomes permanently invalid and must leave every mempool rather than clog it.
#[test]
fn conflicting_pending_transactions_are_pruned_after_finality() {
    let f = fixture();
    runner(5).start(|ctx| async move {
        let net = Net::new(&ctx, LONG_EPOCH).await;
        let mut vs = Vec::new();
        for i in 0..N {
            vs.push(net.start(&ctx, i, Behavior::Honest).await);
        }
        let mut twin = f.fib.clone();
        twin.extend_from_slice(&[0x00, 0x03, 0x01, b'x', b'y']);
        let a = deploy(&f.fib);
        let b = deploy(&twin);
        assert_ne!(a.id(), b.id());
        vs[0].submit(&ctx, &a.to_bytes()).await.unwrap();
        vs[3].submit(&ctx, &b.to_bytes()).await.unwrap();
        until(
            &ctx,
            Duration::from_secs(30),
            "one deploy finalized, mempools empty",
            || {
                vs.iter()
                    .all(|v| v.node.tip().finalized_txs == 1 && v.node.mempool_len() == 0)
            },
        )
        .await;
        // The chain keeps including new work.
        vs[1].submit(&ctx, &f.runs[0].to_bytes()).await.unwrap();
        until(&ctx, Duration::from_secs(30), "run finalized", || {
            vs.iter().all(|v| v.node.tip().finalized_txs == 2)
        })
        .await;
    });
}

/// Proof of stake across epochs (epochs of 10 blocks): node 4, funded but not a genesis
/// validator, observes epoch 0, bonds stake and votes from the next epoch; validator 0
/// unbonds and becomes an observer; the new set finalizes real proofs, and needs node 4's
/// votes to do so once another validator crashes. Bad stake transactions are refused with
/// their reasons.
#[test]
fn validator_joins_and_leaves_at_epoch_boundaries() {
    let f = fixture();
    runner(6).start(|ctx| async move {
        let net = Net::new(&ctx, 10).await;
        let chain = net.chain.hash;
        let mut vs: Vec<Option<Validator>> = Vec::new();
        for i in 0..NODES {
            vs.push(Some(net.start(&ctx, i, Behavior::Honest).await));
        }
        let v = |vs: &Vec<Option<Validator>>, i: usize| vs[i].as_ref().unwrap().node.clone();
        until(&ctx, Duration::from_secs(30), "first blocks", || {
            (0..NODES).all(|i| v(&vs, i).tip().height >= 2)
        })
        .await;
        assert_eq!(
            v(&vs, 4).epoch_status(),
            (0, false),
            "node 4 observes epoch 0"
        );
        assert!(v(&vs, 0).epoch_status().1, "validator 0 votes in epoch 0");

        // Refusals: another chain's signature, a stale nonce, more than the account holds,
        // below the minimum stake, a key without an account.
        let submitter = vs[1].as_ref().unwrap().submitter();
        let sctx = ctx.child("stake_client");
        let submit = |tx: StakeTx| {
            let bytes = Tx::Stake(tx).to_bytes();
            let s = submitter.clone();
            let ctx = &sctx;
            async move { s.submit(ctx, &bytes).await }
        };
        let e = submit(StakeTx::sign(&net.keys[4], &[7; 32], 50, "", 0))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "invalid_signature", "{e}");
        let e = submit(StakeTx::sign(&net.keys[4], &chain, 50, "", 1))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "stale_nonce", "{e}");
        let e = submit(StakeTx::sign(&net.keys[4], &chain, 1001, "", 0))
            .await
            .unwrap_err();
        assert_eq!(e.code(), "stake_refused", "{e}");
        assert!(e.to_string().contains("insufficient"), "{e}");
        let e = submit(StakeTx::sign(&net.keys[4], &chain, 2, "", 0))
            .await
            .unwrap_err();
        assert!(e.to_string().contains("minimum stake"), "{e}");
        let e = submit(StakeTx::sign(
            &PrivateKey::from_seed(999),
            &chain,
            50,
            "",
            0,
        ))
        .await
        .unwrap_err();
        assert!(e.to_string().contains("no account"), "{e}");

        // Node 4 bonds 50 of its 1000 tokens.
        let join = StakeTx::sign(&net.keys[4], &chain, 50, "sim:4", 0);
        submit(join.clone()).await.unwrap();
        let e = submit(join).await.unwrap_err();
        assert_eq!(e.code(), "duplicate", "{e}");
        until(&ctx, Duration::from_secs(60), "node 4 votes", || {
            v(&vs, 4).epoch_status().1
        })
        .await;
        let joined = v(&vs, 4).epoch_status().0;
        assert!(joined >= 1);
        for i in 0..NODES {
            let set = v(&vs, i)
                .epoch_set(joined)
                .expect("set known to every node");
            assert_eq!(set.members.len(), 5, "node {i}");
            assert!(set
                .members
                .iter()
                .any(|m| m.key == key_bytes(&net.keys[4].public_key()) && m.stake == 50));
        }
        let acct = v(&vs, 2)
            .tip()
            .leaves
            .account(&key_bytes(&net.keys[4].public_key()))
            .cloned()
            .unwrap();
        assert_eq!((acct.balance, acct.bonded, acct.nonce), (950, 50, 1));
        assert_eq!(acct.address, "sim:4");

        // Validator 0 (stake 40) unbonds everything and leaves at the next boundary.
        submit(StakeTx::sign(&net.keys[0], &chain, 0, "", 0))
            .await
            .unwrap();
        until(&ctx, Duration::from_secs(60), "validator 0 leaves", || {
            let (e, voting) = v(&vs, 0).epoch_status();
            e > joined && !voting
        })
        .await;
        let left = v(&vs, 0).epoch_status().0;
        let set = v(&vs, 1).epoch_set(left).unwrap();
        assert_eq!(set.members.len(), 4);
        assert!(!set
            .members
            .iter()
            .any(|m| m.key == key_bytes(&net.keys[0].public_key())));
        assert_eq!(
            v(&vs, 1)
                .tip()
                .leaves
                .account(&key_bytes(&net.keys[0].public_key()))
                .unwrap()
                .balance,
            140
        );

        // The new set {1, 2, 3, 4} finalizes real proofs; node 0 follows as an observer.
        let base = v(&vs, 1).tip().finalized_txs;
        vs[3]
            .as_ref()
            .unwrap()
            .submit(&ctx, &deploy(&f.fib).to_bytes())
            .await
            .unwrap();
        until(&ctx, Duration::from_secs(60), "deploy finalized", || {
            v(&vs, 4).tip().finalized_txs > base
        })
        .await;
        vs[4]
            .as_ref()
            .unwrap()
            .submit(&ctx, &f.runs[0].to_bytes())
            .await
            .unwrap();
        until(
            &ctx,
            Duration::from_secs(60),
            "runs finalized in the new set",
            || (0..NODES).all(|i| v(&vs, i).tip().finalized_txs >= base + 2),
        )
        .await;

        // With validator 1 crashed, {2, 3, 4} is 3 of 4: progress needs node 4's votes.
        vs[1].take().unwrap().crash();
        let h = v(&vs, 2).tip().height;
        vs[2]
            .as_ref()
            .unwrap()
            .submit(&ctx, &f.runs[1].to_bytes())
            .await
            .unwrap();
        until(
            &ctx,
            Duration::from_secs(60),
            "progress that needs node 4",
            || v(&vs, 2).tip().finalized_txs >= base + 3 && v(&vs, 2).tip().height > h + 10,
        )
        .await;
        assert!(v(&vs, 4).metrics().proposed > 0, "node 4 never led a round");
        let live: Vec<&Validator> = vs.iter().flatten().collect();
        until(&ctx, Duration::from_secs(60), "observers catch up", || {
            live.iter()
                .all(|x| x.node.tip().finalized_txs == live[0].node.tip().finalized_txs)
        })
        .await;
        let target = live.iter().map(|x| x.node.tip().height).min().unwrap();
        let r: Vec<_> = live
            .iter()
            .map(|x| x.node.store().block(target).unwrap().unwrap().state_root)
            .collect();
        assert!(r.iter().all(|x| *x == r[0]), "state roots differ");
    });
}
