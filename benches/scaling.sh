#!/usr/bin/env bash
# Proves the fibonacci contract at 2^12 .. 2^18 cycles with the `gloam` CLI, one process per
# size (so peak memory is per proof), and prints: cycles, trace rows x columns, prove time,
# cycles per second, peak RSS, the prover's peak-memory estimate (`gloam prove --max-memory`
# refuses runs above it) and peak / estimate, proof bytes, verify time, security bits.
#
# Usage: benches/scaling.sh [LOG_MIN] [LOG_MAX]     (defaults 12 18)
# Needs /usr/bin/time (Debian package `time`) and python3.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_MIN="${1:-12}"
LOG_MAX="${2:-18}"
command -v /usr/bin/time >/dev/null || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
cargo build --release -q -p gloam-cli --manifest-path "$REPO/Cargo.toml"
GLOAM="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
WASM="$REPO/examples/fib/fib.wasm"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %9s %8s %-16s %9s %10s %9s %9s %6s %10s %9s %6s\n' \
  "size" "cycles" "iters" "rows x cols" "prove s" "cycles/s" "peak MB" "est. MB" "p/est" "proof B" "verify ms" "bits"
for ((log = LOG_MIN; log <= LOG_MAX; log++)); do
  n=$(( ((1 << log) - 1 - 9) / 5 ))
  /usr/bin/time -v -o "$TMP/time" "$GLOAM" prove "$WASM" --entry fib --args "$n" -o "$TMP/p" --json > "$TMP/prove.json"
  "$GLOAM" verify "$WASM" "$TMP/p" --json > "$TMP/verify.json"
  rss_kb=$(awk -F': ' '/Maximum resident/{print $2}' "$TMP/time")
  python3 - "$log" "$n" "$rss_kb" "$TMP/prove.json" "$TMP/verify.json" <<'PY'
import json, sys
log, n, rss = int(sys.argv[1]), int(sys.argv[2]), int(sys.argv[3])
p = json.load(open(sys.argv[4])); v = json.load(open(sys.argv[5]))
assert v["verified"], v
rows = f'{p["trace_rows"]}x{p["trace_columns"]}'
s = p["prove_ms"] / 1e3
est = p["estimated_peak_memory_bytes"] / 2**20
print(f'2^{log:<4} {p["cycles"]:9d} {n:8d} {rows:<16} {s:9.2f} {p["cycles"]/s:10.0f} {rss/1024:9.0f} {est:9.0f} {rss/1024/est:6.2f} {p["proof_bytes"]:10d} {v["verify_ms"]:9.1f} {p["conjectured_security_bits"]:6d}')
PY
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
