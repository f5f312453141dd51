#!/usr/bin/env bash
# Compares Gloam's executor fast path (no trace) with wasmi 2.0 (default Config: no fuel
# metering) on the same example modules, in one criterion run of benches/wasmi_compare.rs:
#   sha256_4k  examples/sha256/sha256.wasm     sha256_gen(4096, 7)
#   sort_512   examples/sort/sort.wasm         sort_gen(512, 7)
#   fib_rec    examples/recursive/recursive.wasm  fib_rec(24)
# Each engine instantiates once; only the invocation is timed. Goal: ratio gloam/wasmi <= 1.0.
# Then the trace-recording path (`run_traced`) on the contracts it accepts (fib_rec, fib, hash
# mix; sha256 and sort use memory and are refused as not provable): cycles per second, trace
# bytes per cycle, and its time against the fast path `run` on the same run.
#
# Prints a table: workload | gloam ms | wasmi ms | gloam/wasmi | cycles | wasm instrs per run,
# from criterion's mean estimates in target/criterion/<group>/<workload>/<engine>/new/.
# Exits non-zero only on errors; a ratio above 1.0 is marked "SLOWER than wasmi".
#
# Usage: benches/compare_wasmi.sh [CRITERION ARGS...]
#   (default: --warm-up-time 1 --measurement-time 3 --noplot, about 2 minutes of timing;
#    e.g. `benches/compare_wasmi.sh --quick --noplot`, or a filter such as `sha256`)
# Environment: NICE=10 (niceness of the build and run), CARGO_TARGET_DIR as for cargo.
# Needs python3.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
NICE="${NICE:-10}"
TARGET="${CARGO_TARGET_DIR:-$REPO/target}"
[[ "$TARGET" = /* ]] || TARGET="$REPO/$TARGET"
CRITERION="$TARGET/criterion"
command -v python3 >/dev/null || { echo "python3 is required" >&2; exit 1; }
if [[ $# -eq 0 ]]; then
  set -- --warm-up-time 1 --measurement-time 3 --noplot
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "machine: $(nproc) cores, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
# Stale estimates of an earlier run must not stand in for a benchmark that failed now.
rm -rf "$CRITERION/wasmi_compare" "$CRITERION/wasmi_compare_traced"
(cd "$REPO" && nice -n "$NICE" cargo bench -p gloam-benches --bench wasmi_compare -- "$@") \
  | tee "$TMP/bench.log"
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
echo

grep '^wasmi_compare_meta ' "$TMP/bench.log" | sed 's/^wasmi_compare_meta //' > "$TMP/meta.jsonl"
python3 - "$CRITERION" "$TMP/meta.jsonl" <<'PY'
import json, os, sys

root, meta_path = sys.argv[1], sys.argv[2]
meta = [json.loads(l) for l in open(meta_path) if l.strip()]
if not meta:
    sys.exit("no wasmi_compare_meta lines in the bench output")

def mean_ms(group, workload, engine):
    """Mean point estimate in ms, or None when that benchmark did not run (filtered out)."""
    p = os.path.join(root, group, workload, engine, "new", "estimates.json")
    if not os.path.exists(p):
        return None
    return json.load(open(p))["mean"]["point_estimate"] / 1e6

def ms(v):
    return f"{v:.3f}" if v is not None else "-"

print("Fast path against wasmi (mean per invocation, same instance re-run):")
print(f'{"workload":<10} {"gloam ms":>9} {"wasmi ms":>9} {"gloam/wasmi":>11} {"cycles":>9} '
      f'{"wasm instrs":>11} {"cyc/instr":>9} {"Mcycles/s":>9}  call')
slower = 0
for m in (m for m in meta if m["group"] == "wasmi_compare"):
    g = mean_ms("wasmi_compare", m["workload"], "gloam")
    w = mean_ms("wasmi_compare", m["workload"], "wasmi")
    ratio = g / w if g is not None and w is not None else None
    mark = ""
    if ratio is not None and ratio > 1.0:
        mark = "  SLOWER than wasmi"
        slower += 1
    rate = f'{m["cycles"] / g / 1e3:9.1f}' if g else f'{"-":>9}'
    r = f"{ratio:11.2f}" if ratio is not None else f'{"-":>11}'
    print(f'{m["workload"]:<10} {ms(g):>9} {ms(w):>9} {r} {m["cycles"]:9d} '
          f'{m["wasm_instrs"]:11d} {m["cycles"] / m["wasm_instrs"]:9.3f} {rate}  {m["call"]}{mark}')
print(f"goal gloam/wasmi <= 1.0: {'met' if slower == 0 else f'missed on {slower} workload(s)'}")
print()

print("Trace-recording path (run_traced) against the fast path (run), fresh store per run:")
print(f'{"workload":<10} {"traced ms":>9} {"fast ms":>9} {"traced/fast":>11} {"cycles":>9} '
      f'{"Mcycles/s":>9} {"trace MB":>9} {"B/cycle":>8}  call')
for m in (m for m in meta if m["group"] == "wasmi_compare_traced"):
    if "not_provable" in m:
        print(f'{m["workload"]:<10} not provable, run_traced refuses it: {m["not_provable"]}')
        continue
    t = mean_ms("wasmi_compare_traced", m["workload"], "traced")
    f = mean_ms("wasmi_compare_traced", m["workload"], "fast")
    r = f"{t / f:11.2f}" if t is not None and f is not None else f'{"-":>11}'
    rate = f'{m["cycles"] / t / 1e3:9.1f}' if t else f'{"-":>9}'
    print(f'{m["workload"]:<10} {ms(t):>9} {ms(f):>9} {r} {m["cycles"]:9d} {rate} '
          f'{m["trace_bytes"] / 1e6:9.2f} {m["trace_bytes"] / m["cycles"]:8.2f}  {m["call"]}'
          f'  ({m["step_bytes"]} B/step, {m["slots"]} slots)')
PY
