#!/usr/bin/env bash
# Compare proving SHA-256 in Miden VM 0.23.5 against Gloam on this machine, in one run.
#
# Unit of comparison: ONE 64-BYTE SHA-256 BLOCK, i.e. one SHA-256 compression (message
# schedule + 64 rounds). For each block count B (BLOCKS) both systems compute the SAME thing:
# the full SHA-256 (FIPS 180-4 padding included) of a message of len = 64*B - 9 bytes, the
# longest message that pads to exactly B blocks (ceil((len + 9) / 64) = B), generated in the
# VM from SEED by the 32-bit LCG of examples/sha256/sha256.c
# (x = x * 1664525 + 1013904223 mod 2^32, byte = x >> 24):
#   Gloam: examples/sha256/sha256.wasm  sha256_gen(len, seed)   (C compiled to wasm;
#          returns digest word 0)
#   Miden: benches/miden/sha256.masm    [len, seed] -> digest   (same LCG in MASM, then the
#          core library's miden::core::crypto::hashes::sha256::hash_bytes, one compression
#          per block in a run-time loop; all 8 digest words are output)
# Both outputs are checked against Python's hashlib. Per-block figures divide the whole run
# (message generation, padding, call overhead included) by B; the marginal table divides
# the difference between the smallest and largest B. Cycles / trace rows differ per system
# and are reported, not matched.
#
# Usage:
#   benches/compare_miden_sha256.sh [--miden-only | --gloam-only] [--no-install]
#                                   [--build | --no-build] [-h|--help]
#     --miden-only  run only the Miden half
#     --gloam-only  run only the Gloam half (ratios need Miden rows, so they stay empty)
#     --no-install  fail instead of running the ~15 min `cargo install miden-vm` when missing
#     --build       always run `cargo build --release -p gloam-cli` first
#     --no-build    never build; use GLOAM_BIN as it is
#                   (default: build only when GLOAM_BIN does not exist)
#
# Environment (all optional):
#   BLOCKS="16 64"      SHA-256 block counts to run (space separated, 1..1024). With the
#                       defaults Gloam's trace is 2^17 and 2^19 rows, Miden's 2^18 and 2^20;
#                       the 64-block proofs take ~10 GB peak memory in each system.
#   SEED=7              LCG seed of the generated message (any u32).
#   REPS=1              runs per (system, size); the run with the lowest wall time
#                       is reported.
#   NICE=19             niceness for every build / run / prove / verify command.
#   MIDEN_ROOT=$HOME/.cache/gloam-bench/miden   cargo install root for miden-vm.
#   MIDEN_HASHER=blake3-256   miden-vm prove --hasher (blake3-256|rpo|rpx|poseidon2|keccak);
#                             blake3-256 (its default) matches Gloam's hash. The proof records
#                             its hasher, so `miden-vm verify` checks proofs of every hasher.
#   MIDEN_SECURITY=96bits     miden-vm prove --security; 0.23 accepts only 96bits.
#   GLOAM_BIN=<repo>/target/release/gloam            Gloam CLI binary.
#   GLOAM_WASM=<repo>/examples/sha256/sha256.wasm    Gloam module (entry sha256_gen).
#   OUT_DIR=$HOME/.cache/gloam-bench/runs/sha256-<timestamp>   logs, proofs, results.tsv.
#
# Miden side, per block count B (len = 64*B - 9):
#   miden-vm run   benches/miden/sha256.masm -i B.inputs            (cycles, padded length)
#   miden-vm run   ... with inputs [len, seed, 1]: hashes len zero bytes without generating
#                  the message, to report the cycles of hash_bytes alone (informational)
#   miden-vm prove benches/miden/sha256.masm -i B.inputs -o B.outputs -p B.proof \
#                  --hasher blake3-256 --security 96bits --release -e <2^k>
#                  under /usr/bin/time -v                           (wall time, peak RSS)
#   miden-vm verify -p B.proof -i B.inputs -o B.outputs -x <program hash>
#   and the 8 output words are checked against hashlib.sha256(message).
# Gloam side, per block count B:
#   gloam prove examples/sha256/sha256.wasm --entry sha256_gen --args len,SEED -o B.proof --json
#                  under /usr/bin/time -v
#   gloam verify examples/sha256/sha256.wasm B.proof --json
#   and the result is checked against word 0 of hashlib.sha256(message).
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"

MIDEN_VERSION="0.23.5"
MIDEN_ROOT="${MIDEN_ROOT:-$HOME/.cache/gloam-bench/miden}"
MIDEN_BIN="$MIDEN_ROOT/bin/miden-vm"
MIDEN_PROGRAM="$SCRIPT_DIR/miden/sha256.masm"
MIDEN_HASHER="${MIDEN_HASHER:-blake3-256}"
MIDEN_SECURITY="${MIDEN_SECURITY:-96bits}"

GLOAM_BIN="${GLOAM_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/gloam}"
GLOAM_WASM="${GLOAM_WASM:-$REPO/examples/sha256/sha256.wasm}"

BLOCKS="${BLOCKS:-16 64}"
SEED="${SEED:-7}"
REPS="${REPS:-1}"
NICE="${NICE:-19}"
OUT_DIR="${OUT_DIR:-$HOME/.cache/gloam-bench/runs/sha256-$(date +%Y%m%d-%H%M%S)}"

RUN_MIDEN=1
RUN_GLOAM=1
INSTALL=1
BUILD=auto

usage() { sed -n '2,/^set -euo pipefail/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --miden-only) RUN_GLOAM=0 ;;
        --gloam-only) RUN_MIDEN=0 ;;
        --no-install) INSTALL=0 ;;
        --build) BUILD=always ;;
        --no-build) BUILD=never ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

log() { printf '[compare_miden_sha256] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
niced() { nice -n "$NICE" "$@"; }

for b in $BLOCKS; do
    [[ $b =~ ^[0-9]+$ ]] && ((b >= 1 && b <= 1024)) || die "BLOCKS entries must be integers in 1..1024 (got '$b')"
done
[[ $SEED =~ ^[0-9]+$ ]] && ((SEED <= 4294967295)) || die "SEED must be a u32 (got '$SEED')"

# message length for B blocks: the longest message whose padding still fits B blocks
msg_len() { echo $((64 * $1 - 9)); }

# ---------------------------------------------------------------------------------------------
# prerequisites
# ---------------------------------------------------------------------------------------------
command -v python3 >/dev/null || die "python3 is required"
if [[ ! -x /usr/bin/time ]]; then
    log "/usr/bin/time missing; installing the Debian package 'time'"
    if [[ $(id -u) -eq 0 ]]; then
        apt-get update -qq && apt-get install -y -qq time >/dev/null
    else
        sudo apt-get update -qq && sudo apt-get install -y -qq time >/dev/null
    fi
    [[ -x /usr/bin/time ]] || die "could not install /usr/bin/time"
fi
mkdir -p "$OUT_DIR"
RESULTS="$OUT_DIR/results.tsv"
printf 'blocks\tlen\tsystem\tcycles\thash_cycles\ttrace_rows\ttrace_cols\twall_s\tprove_s\tcpu_s\tcpu_pct\tpeak_kb\tproof_bytes\tverify_ms\tverified\tcorrect\tresult\n' >"$RESULTS"

# parse_time FILE -> "wall_s max_rss_kb cpu_s cpu_pct" from a `/usr/bin/time -v -o FILE` report
# (cpu_s = user + system seconds; cpu_pct well below 100 * cores means the run was starved)
parse_time() {
    python3 - "$1" <<'PY'
import re, sys
txt = open(sys.argv[1]).read()
m = re.search(r"Elapsed \(wall clock\) time \(h:mm:ss or m:ss\): (\S+)", txt)
parts = [float(p) for p in m.group(1).split(":")]
wall = 0.0
for p in parts:
    wall = wall * 60 + p
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", txt).group(1))
user = float(re.search(r"User time \(seconds\): (\S+)", txt).group(1))
syst = float(re.search(r"System time \(seconds\): (\S+)", txt).group(1))
pct = re.search(r"Percent of CPU this job got: (\d+)%", txt)
print(f"{wall:.3f} {rss} {user + syst:.2f} {pct.group(1) if pct else '?'}")
PY
}

# expected_digest LEN SEED -> the 8 big-endian u32 words of SHA-256(LCG message), space separated
expected_digest() {
    python3 - "$1" "$2" <<'PY'
import hashlib, sys
n, x = int(sys.argv[1]), int(sys.argv[2])
msg = bytearray()
for _ in range(n):
    x = (x * 1664525 + 1013904223) & 0xFFFFFFFF
    msg.append(x >> 24)
d = hashlib.sha256(bytes(msg)).digest()
print(" ".join(str(int.from_bytes(d[4 * i:4 * i + 4], "big")) for i in range(8)))
PY
}

# is_less A B: exit status 0 when the decimal A < B (or B is empty)
is_less() { [[ -z $2 ]] || python3 -c "import sys; sys.exit(not $1 < $2)"; }

# ---------------------------------------------------------------------------------------------
# Miden
# ---------------------------------------------------------------------------------------------
install_miden() {
    if [[ -x "$MIDEN_BIN" ]]; then
        log "using $MIDEN_BIN"
        grep -q "\"miden-vm $MIDEN_VERSION " "$MIDEN_ROOT/.crates.toml" 2>/dev/null ||
            log "WARNING: $MIDEN_ROOT/.crates.toml does not record miden-vm $MIDEN_VERSION"
        return 0
    fi
    [[ $INSTALL -eq 1 ]] || die "$MIDEN_BIN not found and --no-install given"
    log "installing miden-vm $MIDEN_VERSION into $MIDEN_ROOT (takes ~15+ minutes on 2 cores)"
    niced cargo install miden-vm --version "$MIDEN_VERSION" --locked \
        --features executable,concurrent --root "$MIDEN_ROOT"
    [[ -x "$MIDEN_BIN" ]] || die "cargo install finished but $MIDEN_BIN is missing"
}

# write_inputs FILE VALUE... (operand stack, first value on top)
write_inputs() {
    local f=$1
    shift
    python3 -c 'import json, sys; print(json.dumps({"operand_stack": sys.argv[2:]}, indent=4), file=open(sys.argv[1], "w"))' \
        "$f" "$@"
}

# miden_run_summary NAME VALUE... -> "cycles padded stack_rows chiplet_rows" from `miden-vm run`
miden_run_summary() {
    local name=$1 dir="$OUT_DIR/miden/run"
    shift
    mkdir -p "$dir"
    write_inputs "$dir/$name.inputs" "$@"
    niced "$MIDEN_BIN" run "$MIDEN_PROGRAM" -i "$dir/$name.inputs" -o "$dir/$name.outputs" --release \
        >"$dir/$name.log" 2>&1 || { cat "$dir/$name.log" >&2; die "miden-vm run failed for inputs $*"; }
    python3 - "$dir/$name.log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"VM cycles: (\d+) extended to (\d+) steps", t)
s = re.search(r"Stack rows: (\d+)", t)
c = re.search(r"Chiplets rows: (\d+)", t)
print(m.group(1), m.group(2), s.group(1), c.group(1))
PY
}

miden_one() {
    local b=$1 len dir="$OUT_DIR/miden/$1"
    len=$(msg_len "$b")
    mkdir -p "$dir"
    write_inputs "$dir/sha.inputs" "$len" "$SEED"

    local cycles padded stack_rows chiplet_rows summary hash_cycles
    summary=$(miden_run_summary "$b" "$len" "$SEED")
    read -r cycles padded stack_rows chiplet_rows <<<"$summary"
    summary=$(miden_run_summary "$b-hash-only" "$len" "$SEED" 1)
    read -r hash_cycles _ <<<"$summary"
    log "Miden B=$b (len $len): $cycles cycles (stack $stack_rows, chiplets $chiplet_rows) -> padded $padded rows; hash_bytes alone $hash_cycles cycles"

    local best_wall="" best_rss=0 best_prove_ms="" best_cpu="" best_pct="" rep wall rss cpu pct prove_ms tv
    for ((rep = 1; rep <= REPS; rep++)); do
        log "Miden B=$b: proving (run $rep/$REPS)"
        rm -f "$dir/sha.proof" "$dir/sha.outputs"
        if ! MIDEN_LOG=info /usr/bin/time -v -o "$dir/time.$rep.txt" \
            nice -n "$NICE" "$MIDEN_BIN" prove "$MIDEN_PROGRAM" \
            -i "$dir/sha.inputs" -o "$dir/sha.outputs" -p "$dir/sha.proof" \
            --hasher "$MIDEN_HASHER" --security "$MIDEN_SECURITY" --release -e "$padded" \
            >"$dir/prove.$rep.log" 2>&1; then
            tail -n 30 "$dir/prove.$rep.log" >&2
            die "miden-vm prove failed for B=$b"
        fi
        tv=$(parse_time "$dir/time.$rep.txt")
        read -r wall rss cpu pct <<<"$tv"
        prove_ms=$(sed -n 's/.*Program proved in \([0-9]*\) ms.*/\1/p' "$dir/prove.$rep.log" | tail -1)
        log "Miden B=$b: wall ${wall}s (prover-internal ${prove_ms} ms), cpu ${cpu}s (${pct}%), peak RSS ${rss} kB"
        if is_less "$wall" "$best_wall"; then
            best_wall=$wall best_prove_ms=$prove_ms best_cpu=$cpu best_pct=$pct
        fi
        if ((rss > best_rss)); then best_rss=$rss; fi
    done

    local trace_line cols hash proof_bytes prove_padded
    trace_line=$(grep -o 'Generated execution trace of [0-9]* columns and [0-9]* steps' "$dir/prove.1.log" | tail -1 || true)
    cols=$(echo "$trace_line" | sed -n 's/.* of \([0-9]*\) columns.*/\1/p')
    prove_padded=$(echo "$trace_line" | sed -n 's/.* and \([0-9]*\) steps.*/\1/p')
    [[ -z $prove_padded || $prove_padded == "$padded" ]] ||
        log "WARNING: prover reports $prove_padded steps but run reported $padded"
    hash=$(sed -n 's/.*Proving program with hash \([0-9a-f]*\).*/\1/p' "$dir/prove.1.log" | tail -1)
    proof_bytes=$(stat -c %s "$dir/sha.proof")

    local verified=no verify_ms="?"
    # The proof records the hasher it was made with, so this checks proofs of every --hasher.
    if niced "$MIDEN_BIN" verify -p "$dir/sha.proof" -i "$dir/sha.inputs" -o "$dir/sha.outputs" \
        -x "$hash" >"$dir/verify.log" 2>&1 && grep -q 'Verification complete' "$dir/verify.log"; then
        verified=yes
        verify_ms=$(python3 - "$dir/verify.log" <<'PY'
import re, sys
m = re.search(r"Verification complete in ([0-9.]+)\s*(ns|µs|us|ms|s)\b", open(sys.argv[1]).read())
scale = {"ns": 1e-6, "µs": 1e-3, "us": 1e-3, "ms": 1.0, "s": 1e3}
print(f"{float(m.group(1)) * scale[m.group(2)]:.1f}" if m else "?")
PY
)
        log "Miden B=$b: proof verified (${verify_ms} ms)"
    else
        cat "$dir/verify.log" >&2
        log "WARNING: Miden proof for B=$b did NOT verify"
    fi

    local result expect correct=no
    result=$(python3 -c 'import json,sys; print(" ".join(json.load(open(sys.argv[1]))["stack"][:8]))' "$dir/sha.outputs")
    expect=$(expected_digest "$len" "$SEED")
    if [[ $result == "$expect" ]]; then
        correct=yes
    else
        log "WARNING: Miden digest [$result] != hashlib [$expect] for len=$len seed=$SEED"
    fi

    printf '%s\t%s\tmiden\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$b" "$len" "$cycles" \
        "$hash_cycles" "$padded" "${cols:-?}" "$best_wall" \
        "$(python3 -c "print(${best_prove_ms:-0}/1000)")" "$best_cpu" "$best_pct" \
        "$best_rss" "$proof_bytes" "$verify_ms" "$verified" "$correct" "${result%% *}" >>"$RESULTS"
}

# ---------------------------------------------------------------------------------------------
# Gloam
# ---------------------------------------------------------------------------------------------
build_gloam() {
    if [[ $BUILD == always || ($BUILD == auto && ! -x $GLOAM_BIN) ]]; then
        log "building Gloam CLI: cargo build --release -p gloam-cli (log: $OUT_DIR/gloam-build.log)"
        if ! (cd "$REPO" && niced cargo build --release -p gloam-cli) >"$OUT_DIR/gloam-build.log" 2>&1; then
            tail -n 20 "$OUT_DIR/gloam-build.log" >&2
            log "SKIPPING GLOAM: 'cargo build --release -p gloam-cli' failed (log: $OUT_DIR/gloam-build.log)"
            return 1
        fi
    else
        log "using $GLOAM_BIN as it is (built $(date -r "$GLOAM_BIN" '+%Y-%m-%d %H:%M' 2>/dev/null || echo '?'); --build rebuilds it)"
    fi
    if [[ ! -x $GLOAM_BIN ]]; then
        log "SKIPPING GLOAM: Gloam binary $GLOAM_BIN does not exist (set GLOAM_BIN)"
        return 1
    fi
    if [[ ! -f $GLOAM_WASM ]]; then
        log "SKIPPING GLOAM: sha256 module $GLOAM_WASM does not exist (set GLOAM_WASM)"
        return 1
    fi
}

gloam_one() {
    local b=$1 len dir="$OUT_DIR/gloam/$1"
    len=$(msg_len "$b")
    mkdir -p "$dir"
    local best_wall="" best_rss=0 best_json="" best_cpu="" best_pct="" rep wall rss cpu pct tv
    for ((rep = 1; rep <= REPS; rep++)); do
        log "Gloam B=$b (len $len): proving (run $rep/$REPS)"
        rm -f "$dir/sha.proof"
        if ! /usr/bin/time -v -o "$dir/time.$rep.txt" \
            nice -n "$NICE" "$GLOAM_BIN" prove "$GLOAM_WASM" --entry sha256_gen --args "$len,$SEED" \
            -o "$dir/sha.proof" --json >"$dir/prove.$rep.json" 2>"$dir/prove.$rep.err"; then
            cat "$dir/prove.$rep.err" >&2
            log "WARNING: gloam prove failed for B=$b; no Gloam row for this size"
            return 0
        fi
        tv=$(parse_time "$dir/time.$rep.txt")
        read -r wall rss cpu pct <<<"$tv"
        log "Gloam B=$b: wall ${wall}s, cpu ${cpu}s (${pct}%), peak RSS ${rss} kB"
        if is_less "$wall" "$best_wall"; then
            best_wall=$wall best_json="$dir/prove.$rep.json" best_cpu=$cpu best_pct=$pct
        fi
        if ((rss > best_rss)); then best_rss=$rss; fi
    done
    if ! niced "$GLOAM_BIN" verify "$GLOAM_WASM" "$dir/sha.proof" --json >"$dir/verify.json" 2>"$dir/verify.err"; then
        cat "$dir/verify.json" "$dir/verify.err" >&2
        log "WARNING: Gloam proof for B=$b did NOT verify"
    fi
    local expect
    expect=$(expected_digest "$len" "$SEED")
    python3 - "$best_json" "$dir/verify.json" "$b" "$len" "$best_wall" "$best_rss" "$dir/sha.proof" \
        "$best_cpu" "$best_pct" "${expect%% *}" >>"$RESULTS" <<'PY'
import json, os, sys
path, vpath, b, n, wall, rss, proof, cpu, pct, expect = sys.argv[1:]

def load(p):
    # the JSON object is the whole output, or else its last line that parses
    txt = open(p).read()
    try:
        return json.loads(txt)
    except ValueError:
        for line in reversed(txt.splitlines()):
            line = line.strip()
            if line.startswith("{"):
                try:
                    return json.loads(line)
                except ValueError:
                    pass
    return None

j = load(path)
if j is None:
    sys.exit(f"could not parse gloam JSON output in {path}")
v = load(vpath) or {}
verified = "yes" if v.get("verified") is True else "no"
pb = j.get("proof_bytes")
if pb is None and os.path.exists(proof):
    pb = os.path.getsize(proof)
res = j.get("results")
res = res[0] if isinstance(res, list) and len(res) == 1 else res
correct = "yes" if str(res) == expect and v.get("results", [res])[0] == res else "no"
if correct == "no":
    print(f"[compare_miden_sha256] WARNING: Gloam result {res} != hashlib digest word 0 {expect}",
          file=sys.stderr)
sec = j.get("conjectured_security_bits")
if sec is not None:
    print(f"[compare_miden_sha256] Gloam B={b}: conjectured security {sec} bits", file=sys.stderr)
prove_s = j["prove_ms"] / 1000 if j.get("prove_ms") is not None else "?"
vms = f"{v['verify_ms']:.1f}" if v.get("verify_ms") is not None else "?"
print("\t".join(map(str, [b, n, "gloam", j.get("cycles", "?"), "-", j.get("trace_rows", "?"),
                          j.get("trace_columns", "?"), wall, prove_s, cpu, pct, rss, pb, vms,
                          verified, correct, res])))
PY
}

# ---------------------------------------------------------------------------------------------
# main
# ---------------------------------------------------------------------------------------------
log "output directory: $OUT_DIR"
if python3 -c "import sys; sys.exit(not float(open('/proc/loadavg').read().split()[0]) > 0.5)"; then
    log "WARNING: 1-minute load average is $(cut -d' ' -f1 /proc/loadavg): other work is running, wall times will be inflated"
fi
log "machine: $(nproc) cores, $(sed -n 's/^model name\s*: //p' /proc/cpuinfo | head -1), load avg $(cut -d' ' -f1-3 /proc/loadavg)"
log "SHA-256 blocks per run (unit of comparison: one 64-byte block): $BLOCKS; message len = 64*B - 9, seed $SEED"

if [[ $RUN_MIDEN -eq 1 ]]; then
    install_miden
    log "Miden flags: --hasher $MIDEN_HASHER --security $MIDEN_SECURITY --release (features executable,concurrent)"
    for b in $BLOCKS; do miden_one "$b"; done
fi

if [[ $RUN_GLOAM -eq 1 ]]; then
    if build_gloam; then
        for b in $BLOCKS; do gloam_one "$b"; done
    fi
else
    log "--miden-only: Gloam half skipped"
fi

# ---------------------------------------------------------------------------------------------
# tables (Markdown)
# ---------------------------------------------------------------------------------------------
python3 - "$RESULTS" "$MIDEN_HASHER" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
hasher = sys.argv[2]

def f(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None

def ratio(a, b):
    return f"{a / b:.2f}x" if a is not None and b else ""

miden = {r["blocks"]: r for r in rows if r["system"] == "miden"}
print()
print("| blocks (len) | system | cycles | cycles/block | trace rows x cols | prove s | (in-proc s) "
      "| cpu s (cpu%) | peak MB | proof KB | verify ms | verified / correct | s/block | MB/block "
      "| time G/M | mem G/M | proof G/M | cycles G/M |")
print("|---|---|---:|---:|---|---:|---:|---:|---:|---:|---:|---|---:|---:|---:|---:|---:|---:|")
for r in sorted(rows, key=lambda r: (int(r["blocks"]), r["system"] != "miden")):
    b = int(r["blocks"]); wall = f(r["wall_s"]); rss = f(r["peak_kb"]); pb = f(r["proof_bytes"])
    cyc = f(r["cycles"]); ps = f(r["prove_s"]); rows_ = f(r["trace_rows"])
    tr = mr = pr = cr = ""
    m = miden.get(r["blocks"])
    if r["system"] == "gloam" and m:
        tr = ratio(wall, f(m["wall_s"]))
        mr = ratio(rss, f(m["peak_kb"]))
        pr = ratio(pb, f(m["proof_bytes"]))
        cr = ratio(cyc, f(m["cycles"]))
    shape = (f"2^{int(rows_).bit_length() - 1}" if rows_ else r["trace_rows"]) + f" x {r['trace_cols']}"
    print(f"| {b} ({r['len']} B) | {r['system']} | {r['cycles']} | "
          f"{cyc / b:,.0f} | {shape} | {wall:.2f} | "
          f"{ps:.2f} | {r['cpu_s']} ({r['cpu_pct']}%) | {rss / 1024:,.0f} | "
          f"{pb / 1024:.1f} | {r['verify_ms']} | {r['verified']} / {r['correct']} | "
          f"{wall / b:.2f} | {rss / 1024 / b:,.1f} | {tr} | {mr} | {pr} | {cr} |"
          if cyc is not None and wall is not None and rss is not None and pb is not None and ps is not None
          else f"| {b} | {r['system']} | incomplete row: {dict(r)} |")

# marginal cost per block between the smallest and largest block count of each system
by_sys = {}
for r in rows:
    by_sys.setdefault(r["system"], []).append(r)
marg = {}
for s, rs in by_sys.items():
    rs = sorted(rs, key=lambda r: int(r["blocks"]))
    if len(rs) >= 2 and rs[0]["blocks"] != rs[-1]["blocks"]:
        lo, hi = rs[0], rs[-1]
        db = int(hi["blocks"]) - int(lo["blocks"])
        marg[s] = (lo["blocks"], hi["blocks"],
                   (f(hi["cycles"]) - f(lo["cycles"])) / db,
                   (f(hi["wall_s"]) - f(lo["wall_s"])) / db,
                   (f(hi["peak_kb"]) - f(lo["peak_kb"])) / 1024 / db)
if marg:
    print()
    print("| marginal per block | system | cycles/block | prove s/block | peak MB/block | time G/M | mem G/M | cycles G/M |")
    print("|---|---|---:|---:|---:|---:|---:|---:|")
    for s in ("miden", "gloam"):
        if s not in marg:
            continue
        lo, hi, c, t, mb = marg[s]
        tr = mr = cr = ""
        if s == "gloam" and "miden" in marg:
            _, _, mc, mt, mm = marg["miden"]
            tr, mr, cr = ratio(t, mt), ratio(mb, mm), ratio(c, mc)
        print(f"| {lo} -> {hi} blocks | {s} | {c:,.0f} | {t:.2f} | {mb:,.1f} | {tr} | {mr} | {cr} |")

print()
print("Unit: one 64-byte SHA-256 block (one compression); each run is the full SHA-256 of a "
      "len = 64*B - 9 byte LCG message generated in the VM (generation and padding included "
      "in every per-block figure). prove s = wall time of the whole prove process "
      "(/usr/bin/time -v), (in-proc s) = the prover's own timer; cpu% well below 100 x cores "
      "means the run was starved by other load; peak MB = max RSS; trace rows = padded "
      "length (Miden: longest segment), cols as each prover reports them (Miden: main trace "
      "columns; Gloam: main + aux). G/M = Gloam / Miden at the same block count. "
      f"Miden: --hasher {hasher}; Gloam: its default (BLAKE3) configuration.")
for r in sorted(rows, key=lambda r: int(r["blocks"])):
    if r["system"] == "miden" and f(r["hash_cycles"]):
        b = int(r["blocks"])
        print(f"Miden B={b}: hash_bytes alone (no message generation) takes {r['hash_cycles']} of "
              f"{r['cycles']} cycles ({f(r['hash_cycles']) / b:,.0f}/block).")
PY
log "raw results: $RESULTS"
