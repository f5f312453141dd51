//! A real multi-process network on loopback: four `gloam node start` processes, proven runs
//! submitted with `gloam node submit`, refusals at the API, a validator killed (SIGKILL) and
//! restarted, and equal state roots at the end.

use std::path::{Path, PathBuf};
use std::process::{Child, Command, Output, Stdio};
use std::time::{Duration, Instant};

use gloam_node::client::Client;

const GLOAM: &str = env!("CARGO_BIN_EXE_gloam");

fn examples() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

fn gloam(args: &[&str]) -> Output {
    Command::new(GLOAM).args(args).output().expect("run gloam")
}

struct Procs(Vec<Option<Child>>);

impl Drop for Procs {
    fn drop(&mut self) {
        for c in self.0.iter_mut().flatten() {
            let _ = c.kill();
            let _ = c.wait();
        }
    }
}

fn start(dir: &Path, i: usize) -> Child {
    let log = std::fs::File::create(dir.join(format!("v{i}.log"))).unwrap();
    Command::new(GLOAM)
        .args(["node", "start", "--config"])
        .arg(dir.join(format!("v{i}.json")))
        .stdout(Stdio::null())
        .stderr(log)
        .spawn()
        .expect("start validator")
}

fn until(limit: Duration, what: &str, mut cond: impl FnMut() -> bool) {
    let t = Instant::now();
    while !cond() {
        assert!(t.elapsed() < limit, "timed out after {limit:?}: {what}");
        std::thread::sleep(Duration::from_millis(200));
    }
}

fn prove(dir: &Path, contract: &str, entry: &str, args: &str) -> PathBuf {
    let out = dir.join(format!("{contract}-{}.proof", args.replace(',', "_")));
    let module = examples().join(format!("{contract}/{contract}.wasm"));
    let o = Command::new(GLOAM)
        .args(["prove"])
        .arg(&module)
        .args(["--entry", entry, "--args", args, "-o"])
        .arg(&out)
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    out
}

fn submit(api: &str, contract: &str, proof: &Path) -> Output {
    let module = examples().join(format!("{contract}/{contract}.wasm"));
    Command::new(GLOAM)
        .args(["node", "submit"])
        .arg(&module)
        .arg(proof)
        .args(["--api", api, "--timeout", "60"])
        .output()
        .unwrap()
}

/// `gloam node init` with ports from `base` (p2p `base + i`, API `base + 5 + i`) and
/// `extra` options; returns the API address of each of the first `n` nodes.
fn init_network(dir: &Path, base: u16, n: u16, extra: &[&str]) -> Vec<String> {
    let (p2p, api) = (base.to_string(), (base + 5).to_string());
    let mut args = vec!["node", "init", "--dir", dir.to_str().unwrap()];
    args.extend(["--p2p-port", &p2p, "--api-port", &api]);
    args.extend(extra);
    let o = gloam(&args);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    (0..n)
        .map(|i| format!("127.0.0.1:{}", base + 5 + i))
        .collect()
}

#[test]
fn four_validator_processes_on_loopback() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    let base = 20_000 + (std::process::id() % 2_000) as u16 * 10;
    let apis = init_network(dir, base, 4, &["--validators", "4"]);
    let clients: Vec<Client> = apis.iter().map(|a| Client::new(a)).collect();
    let mut procs = Procs((0..4).map(|i| Some(start(dir, i))).collect());
    until(
        Duration::from_secs(60),
        "all validators finalize blocks",
        || {
            clients
                .iter()
                .all(|c| c.status().map(|s| s.height >= 2).unwrap_or(false))
        },
    );

    // Proven runs of shipped examples, finalized through the CLI.
    let fib10 = prove(dir, "fib", "fib", "10");
    let gcd = prove(dir, "gcd", "gcd", "48,18");
    let fib20 = prove(dir, "fib", "fib", "20");
    let o = submit(&apis[0], "fib", &fib10);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    assert!(String::from_utf8_lossy(&o.stdout).contains("finalized at height"));
    let o = submit(&apis[2], "gcd", &gcd);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));

    // Refusals at the API, with the reason and exit code 9.
    let o = submit(&apis[1], "fib", &fib10);
    assert_eq!(o.status.code(), Some(9));
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("duplicate"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let mut forged = std::fs::read(&fib20).unwrap();
    let at = forged.len() - 100;
    forged[at] ^= 1;
    let forged_path = dir.join("forged.proof");
    std::fs::write(&forged_path, forged).unwrap();
    let o = submit(&apis[3], "fib", &forged_path);
    assert_eq!(
        o.status.code(),
        Some(9),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("proof rejected"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );

    // (2 deploys + 2 runs so far.) Kill validator 3 hard; the others go on; restart it; it catches up.
    let mut c3 = procs.0[3].take().unwrap();
    c3.kill().unwrap();
    c3.wait().unwrap();
    let o = submit(&apis[0], "fib", &fib20);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let h0 = clients[0].status().unwrap().height;
    procs.0[3] = Some(start(dir, 3));
    until(
        Duration::from_secs(90),
        "restarted validator catches up",
        || {
            clients[3]
                .status()
                .map(|s| s.finalized_txs == 5 && s.height >= h0)
                .unwrap_or(false)
        },
    );
    // Same state root at a common height on every validator.
    let h = clients
        .iter()
        .map(|c| c.status().unwrap().height)
        .min()
        .unwrap();
    let roots: Vec<String> = clients
        .iter()
        .map(|c| {
            c.get(&format!("/v1/blocks/{h}")).unwrap()["state_root"]
                .as_str()
                .unwrap()
                .to_string()
        })
        .collect();
    assert!(roots.iter().all(|r| *r == roots[0]), "{roots:?}");
    for c in &clients {
        assert_eq!(c.status().unwrap().finalized_txs, 5);
    }
}

/// A funded key that is not a genesis validator starts as an observer process, bonds stake
/// with `gloam node stake`, and votes from the next epoch (10-block epochs); a proven run
/// submitted through it is finalized and every process ends with the same state root.
#[test]
fn candidate_process_joins_by_staking() {
    let dir = tempfile::tempdir().unwrap();
    let dir = dir.path();
    // Ports 12000-19999, apart from the other test's 20000-39999.
    let base = 12_000 + (std::process::id() % 800) as u16 * 10;
    let extra = [
        "--validators",
        "4",
        "--candidates",
        "1",
        "--epoch-length",
        "10",
    ];
    let apis = init_network(dir, base, 5, &extra);
    std::fs::rename(dir.join("c0.json"), dir.join("v4.json")).unwrap();
    let clients: Vec<Client> = apis.iter().map(|a| Client::new(a)).collect();
    let _procs = Procs((0..5).map(|i| Some(start(dir, i))).collect());
    until(
        Duration::from_secs(60),
        "validators finalize blocks",
        || {
            clients[..4]
                .iter()
                .all(|c| c.status().map(|s| s.height >= 2).unwrap_or(false))
        },
    );
    let s4 = clients[4].status().unwrap();
    assert!(!s4.voting, "the candidate does not vote before staking");
    assert_eq!(s4.validators.len(), 4);

    let cfg = dir.join("v4.json");
    let o = Command::new(GLOAM)
        .args(["node", "stake", "--config"])
        .arg(&cfg)
        .args(["--bond", "5000", "--api", &apis[0]])
        .output()
        .unwrap();
    assert_eq!(o.status.code(), Some(9), "more than the account holds");
    assert!(
        String::from_utf8_lossy(&o.stderr).contains("insufficient"),
        "{}",
        String::from_utf8_lossy(&o.stderr)
    );
    let o = Command::new(GLOAM)
        .args(["node", "stake", "--config"])
        .arg(&cfg)
        .args(["--bond", "150", "--api", &apis[0], "--json"])
        .output()
        .unwrap();
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).unwrap();
    let effective = v["effective_epoch"].as_u64().unwrap();
    until(Duration::from_secs(90), "the candidate votes", || {
        clients[4]
            .status()
            .map(|s| s.voting && s.epoch >= effective)
            .unwrap_or(false)
    });
    for c in &clients {
        let s = c.status().unwrap();
        assert!(s.epoch >= effective);
        assert_eq!(s.validators.len(), 5, "{}", s.public_key);
    }

    let fib = prove(dir, "fib", "fib", "12");
    let o = submit(&apis[4], "fib", &fib);
    assert!(o.status.success(), "{}", String::from_utf8_lossy(&o.stderr));
    until(
        Duration::from_secs(60),
        "every process has both transactions",
        || {
            clients
                .iter()
                .all(|c| c.status().map(|s| s.finalized_txs == 3).unwrap_or(false))
        },
    );
    let h = clients
        .iter()
        .map(|c| c.status().unwrap().height)
        .min()
        .unwrap();
    let roots: Vec<String> = clients
        .iter()
        .map(|c| c.get(&format!("/v1/blocks/{h}")).unwrap()["state_root"].to_string())
        .collect();
    assert!(roots.iter().all(|r| *r == roots[0]), "{roots:?}");
}
