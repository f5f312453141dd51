#!/usr/bin/env bash
# Compare proving a Fibonacci loop in Miden VM 0.23.5 against Gloam on this machine.
# Miden 0.23 proves with its Plonky3-based lifted STARK backend, which enforces every AIR
# constraint (0.20.6, on winterfell, ran with most constraints disabled).
#
# Unit of comparison: ONE FIBONACCI ITERATION, i.e. one step (a, b) -> (b, a + b)
# of a run-time loop. Both systems are run for the same iteration counts
# (ITERS); cycles / trace rows differ per system and are reported, not matched.
#
# Usage:
#   benches/compare_miden.sh [--miden-only | --gloam-only] [--no-install] [--no-build] [-h|--help]
#     --miden-only  run only the Miden half (no Gloam build)
#     --gloam-only  run only the Gloam half (ratios need Miden rows, so they stay empty)
#     --no-install  fail instead of running the ~15 min `cargo install miden-vm` when missing
#     --no-build    do not run `cargo build --release -p gloam-cli`; use GLOAM_BIN as it is
#
# Environment (all optional):
#   ITERS="4679 18722"  fibonacci iteration counts to run (space separated).
#                       The defaults are the largest counts for which Miden 0.23.5
#                       keeps fib.masm's padded trace at 2^16 and 2^18 rows
#                       (14 rows/iteration + 23 rows of fixed overhead in the stack
#                       segment, the longest one, which `miden-vm run` reports as
#                       "VM cycles"; padded = next_pow2(VM cycles)).
#                       ITERS=auto recomputes them from what Miden reports, for
#                       each log2 trace length in LOG_CYCLES.
#   LOG_CYCLES="16 18"  target log2 padded Miden trace lengths for ITERS=auto.
#   REPS=1              runs per (system, size); the run with the lowest wall time
#                       is reported.
#   NICE=19             niceness for every build / prove / verify command.
#   MIDEN_ROOT=$HOME/.cache/gloam-bench/miden   cargo install root for miden-vm.
#   MIDEN_HASHER=blake3-256   miden-vm prove --hasher (blake3-256|rpo|rpx|poseidon2|keccak);
#                             blake3-256 (its default) matches Gloam's hash. The proof records
#                             its hasher, so `miden-vm verify` checks proofs of every hasher.
#   MIDEN_SECURITY=96bits     miden-vm prove --security; 0.23 accepts only 96bits (fixed PCS
#                             parameters: blowup 8, 27 queries, FRI folding arity 4, final
#                             degree < 128, 16 + 4 + 12 bits of query/folding/DEEP grinding).
#   GLOAM_BIN=<repo>/target/release/gloam      Gloam CLI binary.
#   GLOAM_WASM=<repo>/examples/fib/fib.wasm    Gloam fib module (entry `fib`, arg N).
#   OUT_DIR=$HOME/.cache/gloam-bench/runs/<timestamp>   logs, proofs, results.tsv.
#
# Miden side, per iteration count N:
#   miden-vm run   benches/miden/fib.masm -i N.inputs             (cycles, padded length)
#   miden-vm prove benches/miden/fib.masm -i N.inputs -o N.outputs -p N.proof \
#                  --hasher blake3-256 --security 96bits --release -e <2^k>
#                  under /usr/bin/time -v                          (wall time, peak RSS)
#   miden-vm verify -p N.proof -i N.inputs -o N.outputs -x <program hash>   (any hasher)
#   and the top output is checked against F(N) mod (2^64 - 2^32 + 1).
# Gloam side, per iteration count N (interface of the future gloam-cli):
#   gloam prove examples/fib/fib.wasm --entry fib --args N -o N.proof --json
#                  under /usr/bin/time -v
#   printing one JSON object with results, cycles, proof_bytes, prove_ms,
#   trace_rows, trace_columns, conjectured_security_bits.
set -euo pipefail

SCRIPT_DIR="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
REPO="$(cd "$SCRIPT_DIR/.." && pwd)"

MIDEN_VERSION="0.23.5"
MIDEN_ROOT="${MIDEN_ROOT:-$HOME/.cache/gloam-bench/miden}"
MIDEN_BIN="$MIDEN_ROOT/bin/miden-vm"
MIDEN_PROGRAM="$SCRIPT_DIR/miden/fib.masm"
MIDEN_HASHER="${MIDEN_HASHER:-blake3-256}"
MIDEN_SECURITY="${MIDEN_SECURITY:-96bits}"

GLOAM_BIN="${GLOAM_BIN:-${CARGO_TARGET_DIR:-$REPO/target}/release/gloam}"
GLOAM_WASM="${GLOAM_WASM:-$REPO/examples/fib/fib.wasm}"

ITERS="${ITERS:-4679 18722}"
LOG_CYCLES="${LOG_CYCLES:-16 18}"
REPS="${REPS:-1}"
NICE="${NICE:-19}"
OUT_DIR="${OUT_DIR:-$HOME/.cache/gloam-bench/runs/$(date +%Y%m%d-%H%M%S)}"

RUN_MIDEN=1
RUN_GLOAM=1
INSTALL=1
BUILD=1

usage() { sed -n '2,/^set -euo pipefail/p' "${BASH_SOURCE[0]}" | sed '$d' | sed 's/^# \{0,1\}//'; }

while [[ $# -gt 0 ]]; do
    case "$1" in
        --miden-only) RUN_GLOAM=0 ;;
        --gloam-only) RUN_MIDEN=0 ;;
        --no-install) INSTALL=0 ;;
        --no-build) BUILD=0 ;;
        -h | --help) usage; exit 0 ;;
        *) echo "unknown argument: $1 (see --help)" >&2; exit 2 ;;
    esac
    shift
done

log() { printf '[compare_miden] %s\n' "$*" >&2; }
die() { log "ERROR: $*"; exit 1; }
niced() { nice -n "$NICE" "$@"; }

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
printf 'iters\tsystem\tcycles\ttrace_rows\ttrace_cols\twall_s\tprove_s\tcpu_s\tcpu_pct\tpeak_kb\tproof_bytes\tverified\tresult\n' >"$RESULTS"

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

write_inputs() { printf '{\n    "operand_stack": ["%s"]\n}\n' "$2" >"$1"; }

# miden_run_summary N -> "cycles padded stack_rows chiplet_rows" from `miden-vm run`
miden_run_summary() {
    local n=$1 dir="$OUT_DIR/miden/run"
    mkdir -p "$dir"
    write_inputs "$dir/$n.inputs" "$n"
    niced "$MIDEN_BIN" run "$MIDEN_PROGRAM" -i "$dir/$n.inputs" -o "$dir/$n.outputs" --release \
        >"$dir/$n.log" 2>&1 || { cat "$dir/$n.log" >&2; die "miden-vm run failed for N=$n"; }
    python3 - "$dir/$n.log" <<'PY'
import re, sys
t = open(sys.argv[1]).read()
m = re.search(r"VM cycles: (\d+) extended to (\d+) steps", t)
s = re.search(r"Stack rows: (\d+)", t)
c = re.search(r"Chiplets rows: (\d+)", t)
print(m.group(1), m.group(2), s.group(1), c.group(1))
PY
}

# Largest N whose padded Miden trace is 2^L, from the per-iteration cost Miden reports.
# Miden 0.23's "VM cycles" is the length of the longest trace segment (the stack's, which
# includes the final row), and the padded length is next_pow2 of it.
calibrate_iters() {
    local a b ca cb per base out=""
    a=1000 b=2000
    local sa sb s
    sa=$(miden_run_summary $a)
    sb=$(miden_run_summary $b)
    read -r ca _ <<<"$sa"
    read -r cb _ <<<"$sb"
    per=$(((cb - ca) / (b - a)))
    base=$((ca - per * a))
    log "Miden fib.masm: $per cycles/iteration + $base cycles fixed overhead"
    for L in $LOG_CYCLES; do
        local n=$((((1 << L) - base) / per)) padded
        while :; do
            s=$(miden_run_summary $n)
            read -r _ padded _ <<<"$s"
            [[ $padded -le $((1 << L)) ]] && break
            n=$((n - 1))
        done
        out+="$n "
    done
    echo "${out% }"
}

fib_mod_p() {
    python3 -c '
import sys
p = 2**64 - 2**32 + 1
a, b = 0, 1
for _ in range(int(sys.argv[1])):
    a, b = b, (a + b) % p
print(a)' "$1"
}

miden_one() {
    local n=$1 dir="$OUT_DIR/miden/$1"
    mkdir -p "$dir"
    write_inputs "$dir/fib.inputs" "$n"

    local cycles padded stack_rows chiplet_rows summary
    summary=$(miden_run_summary "$n")
    read -r cycles padded stack_rows chiplet_rows <<<"$summary"
    log "Miden N=$n: $cycles cycles (stack $stack_rows, chiplets $chiplet_rows) -> padded $padded rows"

    local best_wall="" best_rss=0 best_prove_ms="" best_cpu="" best_pct="" rep wall rss cpu pct prove_ms tv
    for ((rep = 1; rep <= REPS; rep++)); do
        log "Miden N=$n: proving (run $rep/$REPS)"
        rm -f "$dir/fib.proof" "$dir/fib.outputs"
        if ! MIDEN_LOG=info /usr/bin/time -v -o "$dir/time.$rep.txt" \
            nice -n "$NICE" "$MIDEN_BIN" prove "$MIDEN_PROGRAM" \
            -i "$dir/fib.inputs" -o "$dir/fib.outputs" -p "$dir/fib.proof" \
            --hasher "$MIDEN_HASHER" --security "$MIDEN_SECURITY" --release -e "$padded" \
            >"$dir/prove.$rep.log" 2>&1; then
            cat "$dir/prove.$rep.log" >&2
            die "miden-vm prove failed for N=$n"
        fi
        tv=$(parse_time "$dir/time.$rep.txt")
        read -r wall rss cpu pct <<<"$tv"
        prove_ms=$(sed -n 's/.*Program proved in \([0-9]*\) ms.*/\1/p' "$dir/prove.$rep.log" | tail -1)
        log "Miden N=$n: wall ${wall}s (prover-internal ${prove_ms} ms), cpu ${cpu}s (${pct}%), peak RSS ${rss} kB"
        if [[ -z $best_wall ]] || python3 -c "import sys; sys.exit(not $wall < $best_wall)"; then
            best_wall=$wall best_prove_ms=$prove_ms best_cpu=$cpu best_pct=$pct
        fi
        if ((rss > best_rss)); then best_rss=$rss; fi
    done

    local trace_line cols hash proof_bytes
    trace_line=$(grep -o 'Generated execution trace of [0-9]* columns and [0-9]* steps' "$dir/prove.1.log" | tail -1 || true)
    cols=$(echo "$trace_line" | sed -n 's/.* of \([0-9]*\) columns.*/\1/p')
    local prove_padded
    prove_padded=$(echo "$trace_line" | sed -n 's/.* and \([0-9]*\) steps.*/\1/p')
    [[ -z $prove_padded || $prove_padded == "$padded" ]] ||
        log "WARNING: prover reports $prove_padded steps but run reported $padded"
    hash=$(sed -n 's/.*Proving program with hash \([0-9a-f]*\).*/\1/p' "$dir/prove.1.log" | tail -1)
    proof_bytes=$(stat -c %s "$dir/fib.proof")

    local verified=no
    # The proof records the hasher it was made with, so this checks proofs of every --hasher.
    if niced "$MIDEN_BIN" verify -p "$dir/fib.proof" -i "$dir/fib.inputs" -o "$dir/fib.outputs" \
        -x "$hash" >"$dir/verify.log" 2>&1 && grep -q 'Verification complete' "$dir/verify.log"; then
        verified=yes
        log "Miden N=$n: proof verified ($(sed -n 's/.*Verification complete in \(.*\)/\1/p' "$dir/verify.log"))"
    else
        cat "$dir/verify.log" >&2
        log "WARNING: Miden proof for N=$n did NOT verify"
    fi

    local result expect
    result=$(python3 -c 'import json,sys; print(json.load(open(sys.argv[1]))["stack"][0])' "$dir/fib.outputs")
    expect=$(fib_mod_p "$n")
    [[ $result == "$expect" ]] || log "WARNING: Miden output $result != F($n) mod p = $expect"

    printf '%s\tmiden\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\n' "$n" "$cycles" "$padded" "${cols:-?}" \
        "$best_wall" "$(python3 -c "print(${best_prove_ms:-0}/1000)")" "$best_cpu" "$best_pct" \
        "$best_rss" "$proof_bytes" "$verified" "$result" >>"$RESULTS"
}

# ---------------------------------------------------------------------------------------------
# Gloam
# ---------------------------------------------------------------------------------------------
build_gloam() {
    if [[ $BUILD -eq 1 ]]; then
        log "building Gloam CLI: cargo build --release -p gloam-cli (log: $OUT_DIR/gloam-build.log)"
        if ! (cd "$REPO" && niced cargo build --release -p gloam-cli) >"$OUT_DIR/gloam-build.log" 2>&1; then
            tail -n 20 "$OUT_DIR/gloam-build.log" >&2
            log "SKIPPING GLOAM: 'cargo build --release -p gloam-cli' failed (log: $OUT_DIR/gloam-build.log)"
            return 1
        fi
    else
        log "--no-build: using $GLOAM_BIN as it is"
    fi
    if [[ ! -x $GLOAM_BIN ]]; then
        log "SKIPPING GLOAM: Gloam binary $GLOAM_BIN does not exist (set GLOAM_BIN)"
        return 1
    fi
    if [[ ! -f $GLOAM_WASM ]]; then
        log "SKIPPING GLOAM: fib module $GLOAM_WASM does not exist (set GLOAM_WASM)"
        return 1
    fi
}

gloam_one() {
    local n=$1 dir="$OUT_DIR/gloam/$1"
    mkdir -p "$dir"
    local best_wall="" best_rss=0 best_json="" best_cpu="" best_pct="" rep wall rss cpu pct tv
    for ((rep = 1; rep <= REPS; rep++)); do
        log "Gloam N=$n: proving (run $rep/$REPS)"
        rm -f "$dir/fib.proof"
        if ! /usr/bin/time -v -o "$dir/time.$rep.txt" \
            nice -n "$NICE" "$GLOAM_BIN" prove "$GLOAM_WASM" --entry fib --args "$n" \
            -o "$dir/fib.proof" --json >"$dir/prove.$rep.json" 2>"$dir/prove.$rep.err"; then
            cat "$dir/prove.$rep.err" >&2
            log "WARNING: gloam prove failed for N=$n; no Gloam row for this size"
            return 0
        fi
        tv=$(parse_time "$dir/time.$rep.txt")
        read -r wall rss cpu pct <<<"$tv"
        log "Gloam N=$n: wall ${wall}s, cpu ${cpu}s (${pct}%), peak RSS ${rss} kB"
        if [[ -z $best_wall ]] || python3 -c "import sys; sys.exit(not $wall < $best_wall)"; then
            best_wall=$wall best_json="$dir/prove.$rep.json" best_cpu=$cpu best_pct=$pct
        fi
        if ((rss > best_rss)); then best_rss=$rss; fi
    done
    local verified=no
    if niced "$GLOAM_BIN" verify "$GLOAM_WASM" "$dir/fib.proof" >"$dir/verify.log" 2>&1; then
        verified=yes
    else
        cat "$dir/verify.log" >&2
        log "WARNING: Gloam proof for N=$n did NOT verify"
    fi
    # The JSON object is taken from the whole stdout, or else from its last line that parses.
    python3 - "$best_json" "$n" "$best_wall" "$best_rss" "$dir/fib.proof" "$best_cpu" "$best_pct" "$verified" \
        >>"$RESULTS" <<'PY'
import json, os, sys
path, n, wall, rss, proof, cpu, pct, verified = sys.argv[1:]
txt = open(path).read()
try:
    j = json.loads(txt)
except ValueError:
    j = None
    for line in reversed(txt.splitlines()):
        line = line.strip()
        if line.startswith("{"):
            try:
                j = json.loads(line)
                break
            except ValueError:
                pass
if j is None:
    sys.exit(f"could not parse gloam JSON output in {path}")
pb = j.get("proof_bytes")
if pb is None and os.path.exists(proof):
    pb = os.path.getsize(proof)
elif os.path.exists(proof) and os.path.getsize(proof) != pb:
    print(f"[compare_miden] NOTE: gloam proof_bytes={pb} but {proof} has {os.path.getsize(proof)} bytes",
          file=sys.stderr)
sec = j.get("conjectured_security_bits")
if sec is not None:
    print(f"[compare_miden] Gloam N={n}: conjectured security {sec} bits", file=sys.stderr)
prove_s = j["prove_ms"] / 1000 if j.get("prove_ms") is not None else "?"
res = j.get("results")
res = ",".join(map(str, res)) if isinstance(res, list) else str(res)
print("\t".join(map(str, [n, "gloam", j.get("cycles", "?"), j.get("trace_rows", "?"),
                          j.get("trace_columns", "?"), wall, prove_s, cpu, pct, rss, pb,
                          verified, res])))
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

if [[ $RUN_MIDEN -eq 1 || $ITERS == auto ]]; then
    install_miden
fi
if [[ $ITERS == auto ]]; then
    ITERS=$(calibrate_iters)
    log "ITERS=auto -> ITERS=\"$ITERS\" (Miden padded trace 2^{${LOG_CYCLES// /,}})"
fi
log "fibonacci iterations per run (unit of comparison): $ITERS"

if [[ $RUN_MIDEN -eq 1 ]]; then
    log "Miden flags: --hasher $MIDEN_HASHER --security $MIDEN_SECURITY --release (features executable,concurrent)"
    for n in $ITERS; do miden_one "$n"; done
fi

if [[ $RUN_GLOAM -eq 1 ]]; then
    if build_gloam; then
        for n in $ITERS; do gloam_one "$n"; done
    fi
else
    log "--miden-only: Gloam half skipped"
fi

# ---------------------------------------------------------------------------------------------
# table
# ---------------------------------------------------------------------------------------------
python3 - "$RESULTS" <<'PY'
import csv, sys
rows = list(csv.DictReader(open(sys.argv[1]), delimiter="\t"))
def f(x):
    try:
        return float(x)
    except (TypeError, ValueError):
        return None
hdr = ["iters", "system", "cycles", "cyc/iter", "trace rows", "cols", "prove s", "(in-proc s)",
       "cpu s", "cpu%",
       "peak MB", "proof KB", "us/iter", "verified", "time G/M", "mem G/M", "proof G/M"]
out = []
miden = {r["iters"]: r for r in rows if r["system"] == "miden"}
for r in sorted(rows, key=lambda r: (int(r["iters"]), r["system"] != "miden")):
    n = int(r["iters"]); wall = f(r["wall_s"]); rss = f(r["peak_kb"]); pb = f(r["proof_bytes"])
    cyc = f(r["cycles"]); ps = f(r["prove_s"])
    tr = mr = pr = ""
    m = miden.get(r["iters"])
    if r["system"] == "gloam" and m:
        tr = f"{wall / f(m['wall_s']):.2f}x"
        mr = f"{rss / f(m['peak_kb']):.2f}x"
        pr = f"{pb / f(m['proof_bytes']):.2f}x" if pb is not None else ""
    out.append([str(n), r["system"], r["cycles"],
                f"{cyc / n:.2f}" if cyc and n else "?",
                r["trace_rows"], r["trace_cols"],
                f"{wall:.2f}", f"{ps:.2f}" if ps is not None else "?", r["cpu_s"], r["cpu_pct"],
                f"{rss / 1024:.1f}", f"{pb / 1024:.1f}" if pb is not None else "?",
                f"{wall * 1e6 / n:.1f}", r["verified"], tr, mr, pr])
w = [max(len(h), *(len(o[i]) for o in out)) if out else len(h) for i, h in enumerate(hdr)]
line = "  ".join(h.rjust(w[i]) for i, h in enumerate(hdr))
print()
print(line)
print("-" * len(line))
for o in out:
    print("  ".join(c.rjust(w[i]) for i, c in enumerate(o)))
print()
print("unit of comparison: one fibonacci iteration; 'prove s' = wall time of the whole prove "
      "process (/usr/bin/time -v), '(in-proc s)' = the prover's own timer; cpu s = user+sys "
      "seconds and cpu% = CPU share (a low cpu% means the run was starved by other load); "
      "peak MB = max RSS; "
      "us/iter = wall time / iterations; G/M = Gloam / Miden at the same iteration count.")
PY
log "raw results: $RESULTS"
