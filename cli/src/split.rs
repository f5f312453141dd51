//! `gloam split`, `gloam prove-segment`, `gloam assemble`: a run proven in segments by
//! separate processes (`docs/air.md` §5, *Segments*; README "Proving a long run on several
//! machines").
//!
//! The protocol draws the LogUp challenges after every segment's main trace is committed, so
//! proving takes two rounds over the segments:
//!
//! 1. `gloam split` executes the run and writes one job file per segment (`job-K.json`: the
//!    module's path and hash, the call, the streams, the segment rows, the segment index and a
//!    secret key for the segments' randomness) and `run.json` (the statement and the boundary
//!    states).
//! 2. `gloam prove-segment job-K.json` commits segment `K`'s main trace (`root-K.json`).
//! 3. `gloam assemble DIR` derives the shared challenges from every root (`challenges.json`).
//! 4. `gloam prove-segment job-K.json` again finishes segment `K`'s proof (`segment-K.bin`).
//! 5. `gloam assemble DIR -o FILE` verifies the assembled proof file and writes it.
//!
//! Each job re-executes the run up to its segment (the traced interpreter runs about 10^7
//! cycles a second) and keeps only that segment's steps: its memory is one segment's,
//! whatever the run's length. The job files hold the private input, if any, and the key: they stay with the
//! operator, like the traces themselves.

use std::path::{Path, PathBuf};
use std::sync::Arc;

use clap::Args;
use gloam_air::proof_file::ProofFile;
use gloam_air::segments::{SegmentProof, SegmentedProof};
use gloam_air::zk::{Digest, QuadFelt};
use gloam_air::BoundaryState;
use gloam_isa::IntValue;
use gloam_prover::segments::{self, SegmentSource};
use gloam_prover::ZkMode;
use serde::{Deserialize, Serialize};
use serde_json::json;
use winter_utils::{Deserializable, Serializable, SliceReader};

use crate::{exit, load, Failure, Invocation};

type CmdResult = Result<(), Failure>;

/// Arguments of `gloam split`.
#[derive(Args, Debug)]
pub struct SplitArgs {
    #[command(flatten)]
    inv: Invocation,
    /// Rows per segment (a power of two from 16384 to 4194304).
    #[arg(long, value_name = "N", default_value_t = segments::DEFAULT_SEGMENT_ROWS)]
    segment_rows: usize,
    /// Maximum number of cycles [default: 2^29, the longest run the prover proves].
    #[arg(long, value_name = "N")]
    fuel: Option<u64>,
    /// The job directory to create (it must not exist or be empty).
    #[arg(short, long, value_name = "DIR")]
    output: PathBuf,
    /// `auto` refuses a run that would be proven in zero knowledge (a private input, or a
    /// module importing `gloam.read_private`): segments are not zero-knowledge. `off` splits
    /// it anyway.
    #[arg(long, value_name = "MODE", default_value = "auto", value_parser = ["auto", "off"])]
    zk: String,
}

/// Arguments of `gloam prove-segment`.
#[derive(Args, Debug)]
pub struct ProveSegmentArgs {
    /// A job file written by `gloam split`.
    #[arg(value_name = "JOB")]
    job: PathBuf,
    /// Where to write the result [default: `root-K.json` (first round) or `segment-K.bin`
    /// (second round, once `challenges.json` is in the job's directory) beside the job].
    #[arg(short, long, value_name = "OUT")]
    output: Option<PathBuf>,
}

/// Arguments of `gloam assemble`.
#[derive(Args, Debug)]
pub struct AssembleArgs {
    /// The job directory.
    #[arg(value_name = "DIR")]
    dir: PathBuf,
    /// Where to write the proof file (needed once every `segment-K.bin` is there).
    #[arg(short, long, value_name = "FILE")]
    output: Option<PathBuf>,
}

#[derive(Serialize, Deserialize)]
struct Job {
    format: String,
    module: PathBuf,
    program_hash: String,
    entry: String,
    args: Vec<IntValue>,
    public_input: String,
    private_input: String,
    fuel: u64,
    segment_rows: usize,
    segment: usize,
    count: usize,
    key: String,
    /// Whether `split --zk off` accepted a run that would be proven in zero knowledge.
    zk_off: bool,
}

#[derive(Serialize, Deserialize)]
struct RunFile {
    format: String,
    /// The proof file with an empty proof (hex of its encoding).
    file: String,
    segment_rows: usize,
    boundaries: Vec<(u32, u64, u64)>,
    /// The cut addresses between the final memory segments' tables.
    cuts: Vec<u64>,
    /// Rows of each final memory segment.
    final_rows: usize,
}

#[derive(Serialize, Deserialize)]
struct Challenges {
    roots: Vec<String>,
    aux_rand: Vec<String>,
    shared: String,
}

const JOB_FORMAT: &str = "gloam-segment-job-v2";

fn io_err(what: &str, path: &Path, e: impl std::fmt::Display) -> Failure {
    Failure::new(exit::USAGE, format!("{what} {}: {e}", path.display()))
}

fn read_json<T: for<'de> Deserialize<'de>>(path: &Path) -> Result<T, Failure> {
    let text = std::fs::read_to_string(path).map_err(|e| io_err("cannot read", path, e))?;
    serde_json::from_str(&text).map_err(|e| io_err("malformed", path, e))
}

fn write(path: &Path, bytes: &[u8]) -> Result<(), Failure> {
    std::fs::write(path, bytes).map_err(|e| io_err("cannot write", path, e))
}

fn unhex(s: &str, what: &str) -> Result<Vec<u8>, Failure> {
    hex::decode(s).map_err(|e| Failure::new(exit::USAGE, format!("{what} is not hex: {e}")))
}

fn decode<T: Deserializable>(s: &str, what: &str) -> Result<T, Failure> {
    T::read_from(&mut SliceReader::new(&unhex(s, what)?))
        .map_err(|e| Failure::new(exit::USAGE, format!("malformed {what}: {e}")))
}

fn prove_failure(e: gloam_prover::ProveError) -> Failure {
    Failure::new(exit::PROVE_FAILED, e.to_string())
}

/// The plan of a job's run, with the boundary states of `dir/run.json` (nothing of the run is
/// executed here beyond the fast interpreter; a segment built later is checked against them).
fn plan_of(job: &Job, dir: &Path) -> Result<(segments::SegmentPlan, ProofFile), Failure> {
    let run: RunFile = read_json(&dir.join("run.json"))?;
    let boundaries = run
        .boundaries
        .iter()
        .map(|&(pc, fp, clk)| BoundaryState { pc, fp, clk })
        .collect();
    let program = Arc::new(load(&job.module)?);
    if program.hash().to_string() != job.program_hash {
        return Err(Failure::new(
            exit::MODULE,
            format!(
                "{} is not the module the job was split from",
                job.module.display()
            ),
        ));
    }
    let io = gloam_executor::IoInput {
        public: unhex(&job.public_input, "public input")?,
        private: unhex(&job.private_input, "private input")?,
    };
    let limits = gloam_executor::Limits {
        fuel: job.fuel,
        ..gloam_executor::Limits::default()
    };
    let zk = if job.zk_off {
        ZkMode::Off
    } else {
        ZkMode::Auto
    };
    gloam_prover::plan_segments(
        program,
        &job.entry,
        &job.args,
        &io,
        limits,
        job.segment_rows,
        zk,
        Some((boundaries, run.cuts, run.final_rows)),
    )
    .map_err(prove_failure)
}

/// `gloam split`.
pub fn cmd_split(a: SplitArgs) -> CmdResult {
    let module = std::fs::canonicalize(&a.inv.module)
        .map_err(|e| io_err("cannot read", &a.inv.module, e))?;
    let program = Arc::new(load(&module)?);
    let entry = crate::pick_entry(&program, &module, a.inv.entry.as_deref())?;
    let sig = crate::entry_sig(&program, &entry);
    let raw = a.inv.args.clone().unwrap_or_default();
    let values = crate::typed_args(&entry, &sig, &raw)?;
    let io = a.inv.io();
    let fuel = a.fuel.unwrap_or(gloam_prover::MAX_RECORDED_CYCLES);
    let limits = gloam_executor::Limits {
        fuel,
        ..gloam_executor::Limits::default()
    };
    let zk = if a.zk == "off" {
        ZkMode::Off
    } else {
        ZkMode::Auto
    };
    let (plan, file) = gloam_prover::plan_segments(
        program.clone(),
        &entry,
        &values,
        &io,
        limits,
        a.segment_rows,
        zk,
        None,
    )
    .map_err(prove_failure)?;
    if a.output.exists() && std::fs::read_dir(&a.output).map_or(true, |mut d| d.next().is_some()) {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "{} exists and is not an empty directory",
                a.output.display()
            ),
        ));
    }
    std::fs::create_dir_all(&a.output).map_err(|e| io_err("cannot create", &a.output, e))?;
    let mut key = [0u8; 32];
    rand_key(&mut key);
    let count = plan.count();
    for k in 0..count {
        let job = Job {
            format: JOB_FORMAT.into(),
            module: module.clone(),
            program_hash: program.hash().to_string(),
            entry: entry.clone(),
            args: values.clone(),
            public_input: hex::encode(&io.public),
            private_input: hex::encode(&io.private),
            fuel,
            segment_rows: a.segment_rows,
            segment: k,
            count,
            key: hex::encode(key),
            zk_off: zk == ZkMode::Off,
        };
        let text = serde_json::to_string_pretty(&job).expect("plain data");
        write(&a.output.join(format!("job-{k}.json")), text.as_bytes())?;
    }
    let run = RunFile {
        format: JOB_FORMAT.into(),
        file: hex::encode(file.to_bytes()),
        segment_rows: a.segment_rows,
        boundaries: plan
            .boundaries()
            .iter()
            .map(|b| (b.pc, b.fp, b.clk))
            .collect(),
        cuts: plan.cuts().to_vec(),
        final_rows: plan.final_rows(),
    };
    write(
        &a.output.join("run.json"),
        serde_json::to_string_pretty(&run)
            .expect("plain data")
            .as_bytes(),
    )?;
    crate::emit(&format!(
        "split {} cycles into {count} segments of {} rows ({} executing the run, {} holding its final memory) in {}\n  next: gloam prove-segment {}/job-K.json for each K (round 1), then gloam assemble {}\n",
        crate::thousands(file.cycles),
        a.segment_rows,
        plan.exec(),
        count - plan.exec(),
        a.output.display(),
        a.output.display(),
        a.output.display()
    ));
    Ok(())
}

fn rand_key(key: &mut [u8; 32]) {
    use rand::Rng;
    rand::rng().fill(key);
}

/// `gloam prove-segment`.
pub fn cmd_prove_segment(a: ProveSegmentArgs) -> CmdResult {
    let job: Job = read_json(&a.job)?;
    if job.format != JOB_FORMAT {
        return Err(Failure::new(
            exit::USAGE,
            format!("{} is not a segment job", a.job.display()),
        ));
    }
    let dir = a.job.parent().map(Path::to_path_buf).unwrap_or_default();
    let key: [u8; 32] = unhex(&job.key, "key")?
        .try_into()
        .map_err(|_| Failure::new(exit::USAGE, "the job's key is not 32 bytes"))?;
    let (plan, _) = plan_of(&job, &dir)?;
    if plan.count() != job.count || job.segment >= job.count {
        return Err(Failure::new(exit::USAGE, "the job does not match its run"));
    }
    let k = job.segment;
    let challenges = dir.join("challenges.json");
    if !challenges.exists() {
        let root = segments::commit_segment(&plan, k, &key).map_err(prove_failure)?;
        let out = a
            .output
            .unwrap_or_else(|| dir.join(format!("root-{k}.json")));
        let text = json!({ "segment": k, "root": hex::encode(root.to_bytes()) }).to_string();
        write(&out, text.as_bytes())?;
        crate::emit(&format!(
            "segment {k}: main trace committed, root written to {}\n",
            out.display()
        ));
        return Ok(());
    }
    let c: Challenges = read_json(&challenges)?;
    let root: Digest = decode(c.roots.get(k).map_or("", |s| s.as_str()), "root")?;
    let aux_rand: Vec<QuadFelt> = c
        .aux_rand
        .iter()
        .map(|s| decode(s, "challenge"))
        .collect::<Result<_, _>>()?;
    if aux_rand.len() != gloam_air::logup::NUM_RAND || c.roots.len() != job.count {
        return Err(Failure::new(
            exit::USAGE,
            "challenges.json does not match the job",
        ));
    }
    let shared: [u8; 32] = unhex(&c.shared, "shared digest")?
        .try_into()
        .map_err(|_| Failure::new(exit::USAGE, "the shared digest is not 32 bytes"))?;
    let proof = segments::prove_segment(&plan, k, &key, &root, &aux_rand, &shared)
        .map_err(prove_failure)?;
    let out = a
        .output
        .unwrap_or_else(|| dir.join(format!("segment-{k}.bin")));
    write(&out, &proof.to_bytes())?;
    crate::emit(&format!(
        "segment {k}: proof written to {}\n",
        out.display()
    ));
    Ok(())
}

/// `gloam assemble`.
pub fn cmd_assemble(a: AssembleArgs) -> CmdResult {
    let run: RunFile = read_json(&a.dir.join("run.json"))?;
    let file = ProofFile::from_bytes(&unhex(&run.file, "proof file")?)
        .map_err(|e| Failure::new(exit::USAGE, format!("run.json: {e}")))?;
    let count = run.boundaries.len().saturating_sub(1);
    if count == 0
        || !run.segment_rows.is_power_of_two()
        || !(gloam_air::MIN_TRACE_LEN..=gloam_air::MAX_TRACE_LEN).contains(&run.segment_rows)
    {
        return Err(Failure::new(
            exit::USAGE,
            "run.json: no segments, or an invalid segment size",
        ));
    }
    let have = |name: &dyn Fn(usize) -> String| (0..count).all(|k| a.dir.join(name(k)).exists());
    if have(&|k| format!("segment-{k}.bin")) {
        let out = a.output.ok_or_else(|| {
            Failure::new(
                exit::USAGE,
                "every segment is proven: give the proof file with -o FILE",
            )
        })?;
        let mut segs = Vec::with_capacity(count);
        for k in 0..count {
            let path = a.dir.join(format!("segment-{k}.bin"));
            let bytes = std::fs::read(&path).map_err(|e| io_err("cannot read", &path, e))?;
            segs.push(
                SegmentProof::read_from(&mut SliceReader::new(&bytes))
                    .map_err(|e| io_err("malformed", &path, e))?,
            );
        }
        if !run.final_rows.is_power_of_two() {
            return Err(Failure::new(
                exit::USAGE,
                "run.json: an invalid final memory segment size",
            ));
        }
        let proof = SegmentedProof {
            segment_len_log2: run.segment_rows.ilog2() as u8,
            final_len_log2: run.final_rows.ilog2() as u8,
            boundaries: run
                .boundaries
                .iter()
                .map(|&(pc, fp, clk)| BoundaryState { pc, fp, clk })
                .collect(),
            cuts: run.cuts.clone(),
            segments: segs,
        };
        let file = ProofFile {
            stark: proof.to_bytes(),
            ..file
        };
        let bytes = file.to_bytes();
        // Verified before it is written, with the module the jobs name.
        let job: Job = read_json(&a.dir.join("job-0.json"))?;
        let program = Arc::new(load(&job.module)?);
        let st = gloam_verifier::verify_file(&program, &bytes).map_err(|e| {
            Failure::new(
                exit::PROVE_FAILED,
                format!("the assembled proof does not verify: {e}"),
            )
        })?;
        write(&out, &bytes)?;
        crate::emit(&format!(
            "assembled and verified {count} segments into {} ({} bytes; {} bits conjectured)\n",
            out.display(),
            crate::thousands(bytes.len() as u64),
            st.conjectured_bits
        ));
        return Ok(());
    }
    if !have(&|k| format!("root-{k}.json")) {
        return Err(Failure::new(
            exit::USAGE,
            format!(
                "{}: run gloam prove-segment on every job first",
                a.dir.display()
            ),
        ));
    }
    let mut roots = Vec::with_capacity(count);
    for k in 0..count {
        let v: serde_json::Value = read_json(&a.dir.join(format!("root-{k}.json")))?;
        roots.push(v["root"].as_str().unwrap_or("").to_string());
    }
    let digests: Vec<Digest> = roots
        .iter()
        .map(|s| decode(s, "root"))
        .collect::<Result<_, _>>()?;
    let job: Job = read_json(&a.dir.join("job-0.json"))?;
    let (plan, _) = plan_of(&job, &a.dir)?;
    let (aux_rand, shared) = segments::shared_challenges(&plan, &digests).map_err(prove_failure)?;
    let c = Challenges {
        roots,
        aux_rand: aux_rand.iter().map(|x| hex::encode(x.to_bytes())).collect(),
        shared: hex::encode(shared),
    };
    write(
        &a.dir.join("challenges.json"),
        serde_json::to_string_pretty(&c)
            .expect("plain data")
            .as_bytes(),
    )?;
    crate::emit(&format!(
        "challenges written to {}/challenges.json\n  next: gloam prove-segment {}/job-K.json for each K (round 2), then gloam assemble {} -o FILE\n",
        a.dir.display(),
        a.dir.display(),
        a.dir.display()
    ));
    Ok(())
}
