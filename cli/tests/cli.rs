//! End-to-end tests of the `gloam` binary. Proving is slow, so exactly two proofs are made:
//! one shared (`--json`, used by all verification tests) and one in human-readable mode.

use std::path::{Path, PathBuf};
use std::process::{Command, Output};
use std::sync::atomic::{AtomicUsize, Ordering};
use std::sync::OnceLock;

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_gloam");

fn example(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("..")
        .join("examples")
        .join(name)
        .join(format!("{name}.wasm"))
}

/// A unique path in the system temp directory.
fn temp_path(name: &str) -> PathBuf {
    static N: AtomicUsize = AtomicUsize::new(0);
    let n = N.fetch_add(1, Ordering::Relaxed);
    std::env::temp_dir().join(format!("gloam-cli-test-{}-{n}-{name}", std::process::id()))
}

fn write_temp(name: &str, contents: &[u8]) -> PathBuf {
    let p = temp_path(name);
    std::fs::write(&p, contents).unwrap();
    p
}

fn gloam(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .output()
        .expect("cannot start the gloam binary")
}

fn p(path: &Path) -> &str {
    path.to_str().unwrap()
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("terminated by a signal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// Parses stdout as exactly one JSON object.
fn json(o: &Output) -> Value {
    let text = stdout(o);
    let v: Value = serde_json::from_str(text.trim()).unwrap_or_else(|e| {
        panic!(
            "stdout is not one JSON object ({e}): {text:?}; stderr: {}",
            stderr(o)
        )
    });
    assert!(v.is_object(), "{v}");
    v
}

/// Asserts a clean failure: exit code, one `error:` line, no panic.
fn assert_fails(o: &Output, expected: i32) -> String {
    let err = stderr(o);
    assert_eq!(code(o), expected, "stdout: {}\nstderr: {err}", stdout(o));
    assert!(err.starts_with("error: "), "{err}");
    assert!(
        !err.contains("panicked") && !err.contains("RUST_BACKTRACE"),
        "{err}"
    );
    err
}

/// Number of tests using [`fib_proof`]; the last one to finish deletes the file.
const PROOF_USERS: usize = 4;

/// Held by a test using the shared proof; deletes the proof file when the last user drops it
/// (also when a test fails).
struct ProofUser;

impl Drop for ProofUser {
    fn drop(&mut self) {
        static DONE: AtomicUsize = AtomicUsize::new(0);
        if DONE.fetch_add(1, Ordering::SeqCst) + 1 == PROOF_USERS {
            if let Some((path, _)) = SHARED_PROOF.get() {
                std::fs::remove_file(path).ok();
            }
        }
    }
}

static SHARED_PROOF: OnceLock<(PathBuf, Value)> = OnceLock::new();

/// fib(10) proven once with `--json`; returns (proof path, prove JSON).
fn fib_proof() -> &'static (PathBuf, Value) {
    SHARED_PROOF.get_or_init(|| {
        let out = temp_path("fib10.proof");
        let fib = example("fib");
        let o = gloam(&[
            "prove",
            p(&fib),
            "--entry",
            "fib",
            "--args",
            "10",
            "-o",
            p(&out),
            "--json",
        ]);
        assert_eq!(code(&o), 0, "stderr: {}", stderr(&o));
        assert!(
            o.stderr.is_empty(),
            "no progress output with --json: {}",
            stderr(&o)
        );
        (out, json(&o))
    })
}

#[test]
fn run_fib_human() {
    let o = gloam(&["run", p(&example("fib")), "--entry", "fib", "--args", "10"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("fib(10) = 55"), "{out}");
    assert!(out.contains("results") && out.contains("55"), "{out}");
    for field in ["cycles", "wasm instrs", "cycles/instr", "time"] {
        assert!(out.contains(field), "missing {field}: {out}");
    }
}

#[test]
fn run_fib_json() {
    let o = gloam(&[
        "run",
        p(&example("fib")),
        "--entry",
        "fib",
        "--args",
        "10",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["results"], serde_json::json!([55]));
    let cycles = v["cycles"].as_u64().unwrap();
    let wasm = v["wasm_instrs"].as_u64().unwrap();
    assert!(cycles > 0 && wasm > 0);
    let cpw = v["cycles_per_wasm_instr"].as_f64().unwrap();
    assert!((cpw - cycles as f64 / wasm as f64).abs() < 1e-9);
    assert!(v["run_ms"].as_f64().unwrap() >= 0.0);
    let keys: Vec<&String> = v.as_object().unwrap().keys().collect();
    assert_eq!(
        keys,
        [
            "cycles",
            "cycles_per_wasm_instr",
            "journal",
            "results",
            "run_ms",
            "wasm_instrs"
        ]
    );
}

#[test]
fn run_argument_forms() {
    // d(a, b) = a / b unsigned: -5 is 0xFFFFFFFB.
    let m = write_temp(
        "div.wat",
        br#"(module (func (export "d") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u))"#,
    );
    let o = gloam(&["run", p(&m), "--args", "-5,0x1", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["results"], serde_json::json!([0xFFFF_FFFBu32]));
    // Human output shows the i32 reading of values with the top bit set; --entry is optional
    // for a module with a single export.
    let o = gloam(&["run", p(&m), "--args", "4294967291,1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("4294967291 (i32 -5)"), "{}", stdout(&o));
    // Bad numbers and wrong arity are usage errors.
    let o = gloam(&["run", p(&m), "--args", "1,x"]);
    assert_eq!(code(&o), 2);
    let o = gloam(&["run", p(&m), "--args", "4294967296,1"]);
    assert_eq!(code(&o), 2);
    let o = gloam(&["run", p(&m), "--args", "1", "--json"]);
    let err = assert_fails(&o, 2);
    assert!(err.contains("2 argument"), "{err}");
    assert_eq!(json(&o)["exit_code"], 2);
    let o = gloam(&["run", p(&example("fib")), "--entry", "nope", "--args", "1"]);
    let err = assert_fails(&o, 2);
    assert!(err.contains("nope") && err.contains("fib"), "{err}");
    std::fs::remove_file(m).ok();
}

#[test]
fn prove_and_verify_fib_json() {
    let _user = ProofUser;
    let (proof, v) = fib_proof();
    assert_eq!(v["results"], serde_json::json!([55]));
    assert!(v["cycles"].as_u64().unwrap() > 0);
    let file_len = std::fs::metadata(proof).unwrap().len();
    assert_eq!(v["proof_bytes"].as_u64().unwrap(), file_len);
    assert!(v["prove_ms"].as_f64().unwrap() > 0.0);
    let rows = v["trace_rows"].as_u64().unwrap();
    assert!(rows.is_power_of_two());
    let main = v["main_columns"].as_u64().unwrap();
    let aux = v["aux_columns"].as_u64().unwrap();
    assert!(main > 0 && aux > 0);
    assert_eq!(v["trace_columns"].as_u64().unwrap(), main + aux);
    assert!(v["conjectured_security_bits"].as_u64().unwrap() >= 96);
    assert!(v["proven_security_bits"].as_u64().unwrap() > 0);
    let hash = v["program_hash"].as_str().unwrap();
    assert_eq!(hash.len(), 64);
    assert!(hash.chars().all(|c| c.is_ascii_hexdigit()));
    assert_eq!(v["output"].as_str().unwrap(), p(proof));

    let o = gloam(&["verify", p(&example("fib")), p(proof), "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let w = json(&o);
    assert_eq!(w["verified"], true);
    assert_eq!(w["results"], serde_json::json!([55]));
    assert_eq!(w["entry"], "fib");
    assert_eq!(w["args"], serde_json::json!([10]));
    assert_eq!(w["cycles"], v["cycles"]);
    assert_eq!(w["program_hash"], v["program_hash"]);
    assert!(w["verify_ms"].as_f64().unwrap() >= 0.0);
    assert!(w.get("error").is_none());

    let o = gloam(&["verify", p(&example("fib")), p(proof)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.starts_with("verified fib(10) = 55"), "{out}");
    assert!(out.contains(hash), "{out}");
}

#[test]
fn verify_truncated_proof_exits_7() {
    let _user = ProofUser;
    let (proof, _) = fib_proof();
    let bytes = std::fs::read(proof).unwrap();
    let cut = write_temp("truncated.proof", &bytes[..bytes.len() / 2]);
    let o = gloam(&["verify", p(&example("fib")), p(&cut), "--json"]);
    let err = assert_fails(&o, 7);
    assert!(err.contains("truncated"), "{err}");
    let v = json(&o);
    assert_eq!(v["verified"], false);
    assert_eq!(v["exit_code"], 7);
    assert!(!v["error"].as_str().unwrap().is_empty());
    // A missing file is unreadable, too.
    let o = gloam(&["verify", p(&example("fib")), p(&temp_path("missing.proof"))]);
    assert_fails(&o, 7);
    std::fs::remove_file(cut).ok();
}

#[test]
fn verify_flipped_byte_is_rejected() {
    let _user = ProofUser;
    let (proof, _) = fib_proof();
    let mut bytes = std::fs::read(proof).unwrap();
    let mid = bytes.len() / 2;
    bytes[mid] ^= 0x01;
    let bad = write_temp("flipped.proof", &bytes);
    let o = gloam(&["verify", p(&example("fib")), p(&bad), "--json"]);
    let c = code(&o);
    assert!(c == 1 || c == 7, "exit {c}; stderr: {}", stderr(&o));
    let err = assert_fails(&o, c);
    assert!(err.len() > "error: ".len() + 5, "{err}");
    let v = json(&o);
    assert_eq!(v["verified"], false);
    assert!(!v["error"].as_str().unwrap().is_empty());
    std::fs::remove_file(bad).ok();
}

#[test]
fn verify_with_other_module_exits_1() {
    let _user = ProofUser;
    let (proof, v) = fib_proof();
    let o = gloam(&["verify", p(&example("gcd")), p(proof), "--json"]);
    let err = assert_fails(&o, 1);
    assert!(err.contains("program"), "{err}");
    assert!(err.contains(v["program_hash"].as_str().unwrap()), "{err}");
    let w = json(&o);
    assert_eq!(w["verified"], false);
    assert_eq!(w["exit_code"], 1);
    assert!(w["error"].as_str().unwrap().contains("program"));
}

#[test]
fn prove_and_verify_human() {
    let out = temp_path("fib7.proof");
    let fib = example("fib");
    let o = gloam(&[
        "prove",
        p(&fib),
        "--entry",
        "fib",
        "--args",
        "7",
        "-o",
        p(&out),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let text = stdout(&o);
    assert!(text.starts_with("proved fib(7) = 13"), "{text}");
    assert!(
        text.contains(" main + ") && text.contains(" aux (quadratic extension)"),
        "{text}"
    );
    for field in [
        "execute",
        "trace",
        "STARK",
        "total",
        "bytes",
        "conjectured",
        "proven",
    ] {
        assert!(text.contains(field), "missing {field}: {text}");
    }
    let o = gloam(&["verify", p(&fib), p(&out)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).starts_with("verified fib(7) = 13"),
        "{}",
        stdout(&o)
    );
    std::fs::remove_file(out).ok();
}

#[test]
fn unsupported_instruction_exits_3() {
    // Integer WebAssembly 2.0 beyond the AIR: a module of 6,000 functions whose second
    // `call_indirect` (through a table too large to be static, held in global words) fits
    // neither its own jump over the module's functions nor the dispatch functions' budget
    // stays in the executor: `run` executes it, `prove` refuses it by name.
    let funcs = "(func (type $t) i32.const 1000)".repeat(5999);
    let wat = format!(
        r#"(module (type $t (func (result i32)))
             (func (export "f") (param i32) (result i32)
               (call_indirect (type $t) (local.get 0))
               (call_indirect (type $t) (local.get 0))
               i32.add local.get 0 i32.add)
             {funcs}
             (table 2000 funcref) (elem (i32.const 21) func 1))"#
    );
    let m = write_temp("unprovable.wat", wat.as_bytes());
    let o = gloam(&["run", p(&m), "--entry", "f", "--args", "21", "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["results"], serde_json::json!([2021]));
    let proof = temp_path("unprovable.proof");
    let o = gloam(&[
        "prove",
        p(&m),
        "--entry",
        "f",
        "--args",
        "21",
        "-o",
        p(&proof),
    ]);
    let err = assert_fails(&o, 3);
    assert!(err.contains("call_indirect"), "{err}");
    assert!(err.contains("`f`"), "{err}");
    assert!(err.contains("cannot prove yet"), "{err}");
    assert!(!proof.exists());
    assert_eq!(code(&gloam(&["disasm", p(&m)])), 0);

    // Floating point is refused at load by every command.
    let fl = write_temp(
        "float.wat",
        br#"(module (func (export "f") (param i32) (result i32) local.get 0 f32.convert_i32_s i32.trunc_f32_s))"#,
    );
    let o = gloam(&["run", p(&fl), "--entry", "f", "--args", "1"]);
    let err = assert_fails(&o, 3);
    assert!(err.contains("f32.convert_i32_s"), "{err}");
    assert!(err.contains("`f`"), "{err}");
    assert_fails(&gloam(&["disasm", p(&fl)]), 3);
    let o = gloam(&["run", p(&fl), "--entry", "f", "--args", "1", "--json"]);
    assert_fails(&o, 3);
    assert_eq!(json(&o)["exit_code"], 3);
    // Not WebAssembly at all, and a missing file.
    let junk = write_temp("junk.wasm", b"\0asm\x01\0\0\0garbage");
    assert_fails(&gloam(&["run", p(&junk)]), 3);
    assert_fails(&gloam(&["run", p(&temp_path("missing.wasm"))]), 3);
    std::fs::remove_file(m).ok();
    std::fs::remove_file(fl).ok();
    std::fs::remove_file(junk).ok();
}

#[test]
fn trap_exits_4() {
    let m = write_temp(
        "trap.wat",
        br#"(module (func (export "d") (param i32 i32) (result i32) local.get 0 local.get 1 i32.div_u))"#,
    );
    let o = gloam(&["run", p(&m), "--entry", "d", "--args", "1,0"]);
    let err = assert_fails(&o, 4);
    assert!(err.contains("divide by zero"), "{err}");
    assert!(err.contains("`d`") && err.contains("wasm offset"), "{err}");
    let o = gloam(&["run", p(&m), "--entry", "d", "--args", "1,0", "--json"]);
    assert_fails(&o, 4);
    let v = json(&o);
    assert_eq!(v["exit_code"], 4);
    assert_eq!(v["function"], "d");
    assert!(v["error"].as_str().unwrap().contains("divide by zero"));
    // Proving refuses a trapping run before any STARK work.
    let out = temp_path("trap.proof");
    let o = gloam(&[
        "prove",
        p(&m),
        "--entry",
        "d",
        "--args",
        "1,0",
        "-o",
        p(&out),
    ]);
    let err = assert_fails(&o, 4);
    assert!(err.contains("divide by zero"), "{err}");
    assert!(!out.exists());
    std::fs::remove_file(m).ok();
}

#[test]
fn out_of_fuel_exits_5() {
    let o = gloam(&[
        "run",
        p(&example("fib")),
        "--entry",
        "fib",
        "--args",
        "1000",
        "--fuel",
        "10",
    ]);
    let err = assert_fails(&o, 5);
    assert!(err.contains("fuel"), "{err}");
    let o = gloam(&[
        "run",
        p(&example("fib")),
        "--entry",
        "fib",
        "--args",
        "1000",
        "--fuel",
        "10",
        "--json",
    ]);
    assert_fails(&o, 5);
    assert_eq!(json(&o)["exit_code"], 5);
}

#[test]
fn help_documents_exit_codes() {
    let o = gloam(&["--help"]);
    assert_eq!(code(&o), 0);
    let h = stdout(&o);
    assert!(h.contains("Exit codes"), "{h}");
    for c in [
        "0  success",
        "1  proof rejected",
        "2  usage",
        "3  module refused",
        "4  ",
        "5  ",
        "6  ",
        "7  ",
    ] {
        assert!(h.contains(c), "missing {c:?}: {h}");
    }
    for sub in ["run", "prove", "verify", "disasm"] {
        assert_eq!(code(&gloam(&[sub, "--help"])), 0);
    }
    // Usage errors exit 2, and still print a JSON object under --json.
    let o = gloam(&["run", "--json"]);
    assert_eq!(code(&o), 2);
    assert_eq!(json(&o)["exit_code"], 2);
    assert_eq!(code(&gloam(&["frobnicate"])), 2);
}

#[test]
fn disasm_prints_program_and_hash() {
    let o = gloam(&["disasm", p(&example("fib"))]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let out = stdout(&o);
    assert!(out.contains("fib:"), "{out}");
    assert!(out.contains("program"), "{out}");
    assert!(out.lines().any(|l| l.contains("halt")), "{out}");
}

#[test]
fn run_takes_i64_arguments_and_prints_typed_results() {
    let m = write_temp(
        "wide.wat",
        br#"(module (func (export "f") (param i64 i32) (result i64 i32)
              local.get 0 i64.const 3 i64.mul local.get 1 i32.const 1 i32.add))"#,
    );
    let o = gloam(&[
        "run",
        p(&m),
        "--entry",
        "f",
        "--args",
        "0x100000000,-2",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["results"], serde_json::json!([3u64 << 32, u32::MAX]));
    assert_eq!(v["result_types"], serde_json::json!(["i64", "i32"]));
    let o = gloam(&["run", p(&m), "--entry", "f", "--args", "-5,1"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(stdout(&o).contains("f(-5, 1) = (-15, 2)"), "{}", stdout(&o));
    // An i32 parameter keeps the 32-bit range check; arity is checked.
    assert_fails(
        &gloam(&["run", p(&m), "--entry", "f", "--args", "1,0x100000000"]),
        2,
    );
    assert_fails(&gloam(&["run", p(&m), "--entry", "f", "--args", "1"]), 2);
    // `prove` parses the same typed arguments (a 64-bit value for the i64 parameter, the
    // 32-bit range check for the i32 one); i64 entries are proven like any other (the proof
    // itself is tested with the prover).
    let proof = temp_path("wide.proof");
    let prove = |args: &str| {
        gloam(&[
            "prove",
            p(&m),
            "--entry",
            "f",
            "--args",
            args,
            "-o",
            p(&proof),
            "--json",
        ])
    };
    assert_fails(&prove("1,0x100000000"), 2);
    assert_fails(&prove("1"), 2);
    assert!(!proof.exists());
    std::fs::remove_file(m).ok();
}

#[test]
fn prove_refuses_a_run_over_the_memory_limit_with_exit_12() {
    // fib(100000) runs 500k cycles: one proof of 2^19 rows would take about 5 GB, and
    // segments of 2^17 rows about 1.7 GB each: both above 1 GiB, so the run is refused with
    // the one proof's need.
    let proof = temp_path("big.proof");
    let o = gloam(&[
        "prove",
        p(&example("fib")),
        "--entry",
        "fib",
        "--args",
        "100000",
        "-o",
        p(&proof),
        "--max-memory",
        "1GiB",
        "--json",
    ]);
    let err = assert_fails(&o, 12);
    assert!(err.contains("524288 rows"), "{err}");
    assert!(
        err.contains("1.0 GiB") && err.contains("configured limit"),
        "{err}"
    );
    let v = json(&o);
    assert_eq!(v["exit_code"], 12);
    assert_eq!(v["trace_rows"], 1 << 19);
    let est = v["estimated_peak_memory_bytes"].as_u64().unwrap();
    // 2^19 rows x 8 x (8 x 53 + 16 x 11) x 2.05 + 16 MiB + the recorded run: about 5.2 GB
    // (Fibonacci commits 53 main columns).
    assert!((4_000_000_000..6_500_000_000).contains(&est), "{est}");
    assert_eq!(v["memory_limit_bytes"], 1u64 << 30);
    assert!(!proof.exists(), "nothing written");
    // A small run fits the same limit.
    let o = gloam(&[
        "prove",
        p(&example("fib")),
        "--args",
        "10",
        "-o",
        p(&proof),
        "--max-memory",
        "1GiB",
        "--json",
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(json(&o)["estimated_peak_memory_bytes"].as_u64().unwrap() < 1 << 30);
    std::fs::remove_file(&proof).ok();
    // A size that does not parse is a usage error.
    assert_fails(
        &gloam(&[
            "prove",
            p(&example("fib")),
            "--args",
            "10",
            "-o",
            p(&proof),
            "--max-memory",
            "lots",
        ]),
        2,
    );
}

#[test]
fn a_reference_parameter_is_refused_as_a_usage_error() {
    let m = write_temp(
        "refparam.wat",
        br#"(module (func (export "g") (param externref) (result i32) i32.const 1))"#,
    );
    let out = temp_path("refparam.proof");
    for cmd in ["run", "prove"] {
        let mut args = vec![cmd, p(&m), "--entry", "g", "--args", "0"];
        if cmd == "prove" {
            args.extend(["-o", p(&out)]);
        }
        let err = assert_fails(&gloam(&args), 2);
        assert!(
            err.contains("`g` takes an externref parameter, which the command line cannot pass"),
            "{cmd}: {err}"
        );
        assert!(!out.exists(), "{cmd}");
    }
}

/// The contract interface from the command line: `run` prints the journal, `prove` writes a
/// proof whose file holds the public input and the journal but no private byte, `verify`
/// returns both (and `zero_knowledge`); a bad hex input is a usage error.
#[test]
fn public_and_private_inputs_and_the_journal() {
    let m = example("threshold");
    let public = "e803000000000000"; // threshold 1000, no memo
    let mut private = "5f0e000000000000".to_string(); // balance 3679
    private.push_str(&"a7".repeat(32)); // salt
    let io = [
        "--public-input",
        public,
        "--private-input",
        private.as_str(),
    ];
    let mut args = vec!["run", p(&m), "--entry", "check", "--json"];
    args.extend(io);
    let o = gloam(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let run = json(&o);
    assert_eq!(run["results"], serde_json::json!([1]));
    let journal = run["journal"].as_str().unwrap().to_string();
    assert!(journal.starts_with("e80300000000000001"), "{journal}");
    assert_eq!(journal.len(), 2 * 17);

    let proof = temp_path("threshold.proof");
    let mut args = vec![
        "prove",
        p(&m),
        "--entry",
        "check",
        "-o",
        p(&proof),
        "--json",
    ];
    args.extend(io);
    let o = gloam(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["journal"], serde_json::json!(journal));
    let bytes = std::fs::read(&proof).unwrap();
    let balance = 3679u64.to_le_bytes();
    assert!(
        !bytes.windows(8).any(|w| w == balance),
        "the balance leaked into the file"
    );
    assert!(
        !bytes.windows(8).any(|w| w == [0xa7; 8]),
        "the salt leaked into the file"
    );
    let o = gloam(&["verify", p(&m), p(&proof), "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["journal"], serde_json::json!(journal));
    assert_eq!(v["public_input"], serde_json::json!(public));
    // A run with a private input is proven in zero knowledge by default.
    assert_eq!(v["zero_knowledge"], serde_json::json!(true));
    // The same file with one journal byte changed (the verdict, 1 -> 0): rejected, exit 1.
    let j = hex_decode(&journal);
    let at = bytes
        .windows(j.len())
        .position(|w| w == j.as_slice())
        .expect("the file holds the journal");
    let mut forged = bytes.clone();
    forged[at + 8] ^= 1;
    let forged_path = write_temp("threshold-forged.proof", &forged);
    let o = gloam(&["verify", p(&m), p(&forged_path), "--json"]);
    assert_eq!(code(&o), 1, "{}", stdout(&o));
    assert_eq!(json(&o)["verified"], serde_json::json!(false));
    std::fs::remove_file(&proof).ok();

    // `--zk off`: a transparent proof of the same run, which says so.
    let mut args = vec![
        "prove",
        p(&m),
        "--entry",
        "check",
        "-o",
        p(&proof),
        "--json",
        "--zk",
        "off",
    ];
    args.extend(io);
    let o = gloam(&args);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["zero_knowledge"], serde_json::json!(false));
    let o = gloam(&["verify", p(&m), p(&proof), "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["zero_knowledge"], serde_json::json!(false));
    std::fs::remove_file(&proof).ok();

    // @FILE reads a stream from a file: the same run.
    let file = write_temp("threshold.private", &hex_decode(&private));
    let at = format!("@{}", p(&file));
    let o = gloam(&[
        "run",
        p(&m),
        "--entry",
        "check",
        "--json",
        "--public-input",
        public,
        "--private-input",
        at.as_str(),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert_eq!(json(&o)["journal"], serde_json::json!(journal));
    let o = gloam(&[
        "run",
        p(&m),
        "--entry",
        "check",
        "--private-input",
        "@/nonexistent/x",
    ]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));

    // A short private input makes the contract trap: refused with the trap.
    let o = gloam(&["run", p(&m), "--entry", "check", "--public-input", public]);
    assert_eq!(code(&o), 4, "{}", stderr(&o));
    let o = gloam(&["run", p(&m), "--entry", "check", "--public-input", "xyz"]);
    assert_eq!(code(&o), 2, "{}", stderr(&o));
    assert!(stderr(&o).contains("not hex"), "{}", stderr(&o));
}

/// `gloam new` writes a Rust (gloam-sdk) and a C (gloam.h) contract project; with Debian's
/// wasm toolchain installed (as `.ci/run` installs it), each builds and its `test.sh` passes
/// through `gloam run`.
#[test]
fn new_writes_projects_that_build_and_run() {
    let base = temp_path("new-projects");
    std::fs::create_dir_all(&base).unwrap();
    let toolchain = Path::new("/usr/lib/rustlib/wasm32-unknown-unknown").exists()
        && Path::new("/usr/bin/clang-14").exists();
    for (lang, name, source) in [("rust", "vault", "src/lib.rs"), ("c", "cvault", "cvault.c")] {
        let dir = base.join(name);
        let o = gloam(&["new", name, "--lang", lang, "--dir", p(&dir)]);
        assert_eq!(code(&o), 0, "{}", stderr(&o));
        for f in [source, "build.sh", "test.sh", "README.md"] {
            assert!(dir.join(f).exists(), "{lang}: {f} missing");
        }
        // An existing directory is refused.
        let o = gloam(&["new", name, "--lang", lang, "--dir", p(&dir)]);
        assert_eq!(code(&o), 2);
        if !toolchain {
            eprintln!("new: Debian's wasm toolchain is not installed; {lang} project not built");
            continue;
        }
        // Cargo's own variables (`CARGO`, `RUSTC`, ...) must not reach the frozen toolchain.
        let out = Command::new("bash")
            .arg(dir.join("test.sh"))
            .env("GLOAM", BIN)
            .env_remove("CARGO")
            .env_remove("RUSTC")
            .env_remove("RUSTC_WRAPPER")
            .env_remove("RUSTC_WORKSPACE_WRAPPER")
            .env_remove("CLIPPY_ARGS")
            .env_remove("RUSTFLAGS")
            .env_remove("CARGO_TARGET_DIR")
            .env_remove("CARGO_BUILD_TARGET")
            .env_remove("RUSTUP_TOOLCHAIN")
            .output()
            .expect("bash");
        assert!(
            out.status.success(),
            "{lang}: {}\n{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(String::from_utf8_lossy(&out.stdout).contains("test.sh: ok"));
    }
    for bad in ["Bad-Name", "fn", "test", "gloam_sdk"] {
        let o = gloam(&["new", bad, "--dir", p(&base.join("bad"))]);
        assert_eq!(code(&o), 2, "{bad}");
    }
    std::fs::remove_dir_all(&base).ok();
}

/// Bytes of a hex string (test helper).
fn hex_decode(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
        .collect()
}

/// A spill directory that does not exist is refused before anything is proven.
#[test]
fn prove_refuses_a_missing_spill_directory() {
    let missing = temp_path("no-such-spill-dir");
    let out = temp_path("spill.proof");
    let o = gloam(&[
        "prove",
        p(&example("control")),
        "--entry",
        "count_primes",
        "--args",
        "1000",
        "--segment-rows",
        "16384",
        "--spill-dir",
        p(&missing),
        "-o",
        p(&out),
    ]);
    let err = assert_fails(&o, 6);
    assert!(err.contains("spill directory"), "{err}");
    assert!(!out.exists());
}

/// A run split into segments proven by separate processes (`split`, `prove-segment` twice per
/// segment, `assemble`) gives a proof file `verify` accepts as one statement.
#[test]
fn split_prove_segment_assemble_verify() {
    let dir = temp_path("jobs");
    let module = example("control");
    let o = gloam(&[
        "split",
        p(&module),
        "--entry",
        "count_primes",
        "--args",
        "1000",
        "--segment-rows",
        "16384",
        "-o",
        p(&dir),
    ]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    assert!(
        stdout(&o).contains(
            "into 5 segments of 16384 rows (4 executing the run, 1 holding its final memory)"
        ),
        "{}",
        stdout(&o)
    );
    // Assembling before round 1 is a usage error.
    assert_fails(&gloam(&["assemble", p(&dir)]), 2);
    for round in 0..2 {
        for k in 0..5 {
            let job = dir.join(format!("job-{k}.json"));
            let o = gloam(&["prove-segment", p(&job)]);
            assert_eq!(code(&o), 0, "round {round}, segment {k}: {}", stderr(&o));
        }
        if round == 0 {
            assert_eq!(code(&gloam(&["assemble", p(&dir)])), 0);
        }
    }
    let proof = dir.join("run.proof");
    let o = gloam(&["assemble", p(&dir), "-o", p(&proof)]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let o = gloam(&["verify", p(&module), p(&proof), "--json"]);
    assert_eq!(code(&o), 0, "{}", stderr(&o));
    let v = json(&o);
    assert_eq!(v["segments"], 5);
    assert_eq!(v["results"], serde_json::json!([168]));
    assert_eq!(v["zero_knowledge"], false);
    std::fs::remove_dir_all(&dir).ok();
}
