//! Throughput of a 4-validator network on this machine when every transaction carries a real
//! proof: finalized transactions per second, proof verification time per transaction
//! (median, p99), and time from submission to finality (median, p99).
//!
//! `cargo bench -p gloam-node --bench throughput` (GLOAM_BENCH_TXS runs, default 96). The
//! validators run in this process over authenticated loopback p2p (the same code as
//! `gloam node start`); transactions go to the validators round-robin through mempool
//! admission, all at once. Proofs (fib(k) for k = 1..N, distinct statements) are made once
//! and cached under target/node-bench-cache. The baseline measured in the same run is the
//! verifier alone: with V validators each verifying every proof once on C cores, the
//! network cannot finalize more than C / (V x median verify time) transactions per second.

use std::path::PathBuf;
use std::sync::Arc;
use std::time::{Duration, Instant};

use commonware_runtime::{tokio as cw_tokio, Clock, Runner, Spawner, Supervisor};
use gloam_node::node::median_p99;
use gloam_node::run::{init_network, NodeConfig};
use gloam_node::{RunTx, Tx};

fn cache_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../target/node-bench-cache")
}

fn proofs(n: usize, module: &[u8]) -> Vec<Tx> {
    let dir = cache_dir();
    std::fs::create_dir_all(&dir).unwrap();
    let program = Arc::new(gloam_verifier::isa::load_module(module).unwrap());
    let mut out = Vec::new();
    for k in 1..=n as u32 {
        let path = dir.join(format!("fib-{k}.proof"));
        let bytes = match std::fs::read(&path) {
            Ok(b) => b,
            Err(_) => {
                eprintln!("proving fib({k}) (cached for later runs)");
                let run = gloam_prover::prove(
                    program.clone(),
                    "fib",
                    &[k],
                    &gloam_prover::ProveConfig::default(),
                )
                .unwrap();
                let b = run.file.to_bytes();
                std::fs::write(&path, &b).unwrap();
                b
            }
        };
        out.push(Tx::Run(RunTx::from_proof_file(&bytes).unwrap()));
    }
    out
}

fn main() {
    if std::env::args().any(|a| a == "--list") {
        println!("throughput: bench");
        return;
    }
    let n: usize = std::env::var("GLOAM_BENCH_TXS")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(96);
    let module =
        std::fs::read(PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples/fib/fib.wasm"))
            .unwrap();
    const SEQ: usize = 10;
    let mut runs = proofs(n + SEQ, &module);
    let sequential = runs.split_off(n);
    let proof_bytes = match &runs[0] {
        Tx::Run(r) => r.stark.len(),
        _ => 0,
    };
    // Baseline, same run: the verifier alone, one proof at a time, nothing else running.
    let program = Arc::new(gloam_verifier::isa::load_module(&module).unwrap());
    let mut baseline = Vec::new();
    for tx in runs.iter().cycle().take(30) {
        let Tx::Run(r) = tx else { unreachable!() };
        let claim = gloam_verifier::Claim {
            entry: r.entry.clone(),
            args: r.args.clone(),
            results: r.results.clone(),
            cycles: r.cycles,
            public_input: r.public_input.to_vec(),
            journal: r.journal.to_vec(),
        };
        let t = Instant::now();
        gloam_verifier::verify(&program, &claim, &r.stark).unwrap();
        baseline.push(t.elapsed().as_secs_f64());
    }
    let (bm, bp) = median_p99(&baseline).unwrap();
    let tmp = tempfile::tempdir().unwrap();
    let configs = init_network(tmp.path(), 4, 0, "gloam-bench", 27700, 8700, None, None).unwrap();
    let loaded: Vec<_> = configs
        .iter()
        .map(|p| NodeConfig::load(p).unwrap())
        .collect();
    let cores = std::thread::available_parallelism()
        .map(|c| c.get())
        .unwrap_or(1);
    let runner = cw_tokio::Runner::new(
        cw_tokio::Config::new().with_storage_directory(tmp.path().join("consensus")),
    );
    runner.start(|ctx| async move {
        let mut vs = Vec::new();
        for (i, l) in loaded.into_iter().enumerate() {
            vs.push(
                gloam_node::run::start_validator(
                    &ctx,
                    &l.genesis,
                    l.key,
                    i,
                    &l.data_dir,
                    l.p2p_listen,
                    None,
                )
                .await
                .unwrap(),
            );
        }
        while vs.iter().any(|v| v.node.tip().height < 2) {
            ctx.sleep(Duration::from_millis(50)).await;
        }
        let deploy = Tx::Deploy {
            module: module.clone().into(),
        };
        vs[0].submit(&ctx, &deploy.to_bytes()).await.unwrap();
        while vs.iter().any(|v| v.node.tip().finalized_txs < 1) {
            ctx.sleep(Duration::from_millis(20)).await;
        }
        let h0 = vs[0].node.tip().height;
        let t0 = Instant::now();
        let mut handles = Vec::new();
        for (i, tx) in runs.iter().enumerate() {
            let s = vs[i % vs.len()].submitter();
            let bytes = tx.to_bytes();
            handles.push(
                ctx.child("load")
                    .spawn(move |c| async move { s.submit(&c, &bytes).await.map(|_| ()) }),
            );
        }
        for h in handles {
            h.await.unwrap().unwrap();
        }
        let admitted = t0.elapsed();
        let total = 1 + n as u64;
        while vs.iter().any(|v| v.node.tip().finalized_txs < total) {
            ctx.sleep(Duration::from_millis(10)).await;
        }
        let took = t0.elapsed();
        let blocks = vs[0].node.tip().height - h0;
        let mut verify = Vec::new();
        let mut finality = Vec::new();
        for v in &vs {
            verify.extend(v.node.metrics().verify_seconds);
            finality.extend(v.node.finality_seconds());
        }
        let (vm, vp) = median_p99(&verify).unwrap();
        let (fm, fp) = median_p99(&finality).unwrap();
        let tps = n as f64 / took.as_secs_f64();
        let bound = cores as f64 / (vs.len() as f64 * bm);
        // Unloaded latency: one transaction at a time, each waited for.
        let mut seq_latency = Vec::new();
        for (i, tx) in sequential.iter().enumerate() {
            let t = Instant::now();
            vs[i % vs.len()].submit(&ctx, &tx.to_bytes()).await.unwrap();
            let want = total + 1 + i as u64;
            while vs[0].node.tip().finalized_txs < want {
                ctx.sleep(Duration::from_millis(2)).await;
            }
            seq_latency.push(t.elapsed().as_secs_f64());
        }
        let (sm, sp) = median_p99(&seq_latency).unwrap();
        let all = total + SEQ as u64;
        while vs.iter().any(|v| v.node.tip().finalized_txs < all) {
            ctx.sleep(Duration::from_millis(10)).await;
        }
        let h = vs.iter().map(|v| v.node.tip().height).min().unwrap();
        let roots: Vec<_> = vs
            .iter()
            .map(|v| v.node.store().block(h).unwrap().unwrap().state_root)
            .collect();
        assert!(roots.iter().all(|r| *r == roots[0]), "state roots differ");
        println!(
            "gloam-node throughput: 4 validators, {cores} cores, {n} proven runs \
             (fib, {proof_bytes}-byte proofs, 96-bit conjectured / ~55-bit proven security)"
        );
        println!("  all admitted after        {:>8.2} s", admitted.as_secs_f64());
        println!(
            "  all finalized after       {:>8.2} s in {blocks} blocks",
            took.as_secs_f64()
        );
        println!("  finalized tx/s            {tps:>8.1}");
        println!(
            "  verify per proof, alone   median {:.1} ms, p99 {:.1} ms (baseline, {} sequential verifications before the network starts)",
            bm * 1e3,
            bp * 1e3,
            baseline.len()
        );
        println!(
            "  verify per proof, in node median {:.1} ms, p99 {:.1} ms ({} verifications, all validators, under load)",
            vm * 1e3,
            vp * 1e3,
            verify.len()
        );
        println!(
            "  submission -> finality    median {:.0} ms, p99 {:.0} ms (burst of {n}, at the submitting validator)",
            fm * 1e3,
            fp * 1e3
        );
        println!(
            "  submission -> finality    median {:.0} ms, max {:.0} ms (one at a time, {SEQ} runs, as seen by validator 0)",
            sm * 1e3,
            sp * 1e3
        );
        println!(
            "  bound from the baseline   {bound:.1} tx/s ({cores} cores / (4 validators x {:.1} ms)); \
             network/bound = {:.2}",
            bm * 1e3,
            tps / bound
        );
        drop(vs);
    });
}
