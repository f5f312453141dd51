#!/usr/bin/env bash
# Zero-knowledge against transparent proofs of the same runs: proves the fibonacci contract
# at 2^14 .. 2^18 trace rows with `gloam prove --zk off` and `--zk on`, one process per
# proof (so peak memory is per proof), in the same run, and prints per size: prove time, peak
# RSS, proof bytes and verify time of each, and the ratios ZK / transparent.
#
# Usage: benches/zk.sh [LOG_MIN] [LOG_MAX]     (defaults 14 18)
# Needs /usr/bin/time (Debian package `time`) and python3.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
LOG_MIN="${1:-14}"
LOG_MAX="${2:-18}"
command -v /usr/bin/time >/dev/null || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
cargo build --release -q -p gloam-cli --manifest-path "$REPO/Cargo.toml"
GLOAM="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
WASM="$REPO/examples/fib/fib.wasm"
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-6s %-5s %9s %9s %9s %10s %9s %6s %6s\n' \
  "rows" "mode" "cycles" "prove s" "peak MB" "proof B" "verify ms" "conj." "proven"
for ((log = LOG_MIN; log <= LOG_MAX; log++)); do
  # The largest Fibonacci argument whose run fits 2^log rows (5 cycles an iteration).
  n=$(( ((1 << log) - 1 - 9) / 5 ))
  for mode in off on; do
    /usr/bin/time -v -o "$TMP/time-$mode" "$GLOAM" prove "$WASM" --entry fib --args "$n" \
      -o "$TMP/p-$mode" --json --zk "$mode" > "$TMP/prove-$mode.json"
    "$GLOAM" verify "$WASM" "$TMP/p-$mode" --json > "$TMP/verify-$mode.json"
  done
  python3 - "$log" "$TMP" <<'PY'
import json, sys, re
log, tmp = int(sys.argv[1]), sys.argv[2]
row = {}
for mode in ("off", "on"):
    p = json.load(open(f"{tmp}/prove-{mode}.json"))
    v = json.load(open(f"{tmp}/verify-{mode}.json"))
    assert v["verified"] and v["zero_knowledge"] == (mode == "on"), v
    rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{tmp}/time-{mode}").read()).group(1))
    row[mode] = (p["prove_ms"] / 1e3, rss / 1024, p["proof_bytes"], v["verify_ms"])
    name = "ZK" if mode == "on" else "plain"
    print(f'2^{log:<4} {name:<5} {p["cycles"]:9d} {row[mode][0]:9.2f} {row[mode][1]:9.0f} {row[mode][2]:10d} {row[mode][3]:9.1f} {p["conjectured_security_bits"]:6d} {p["proven_security_bits"]:6d}')
t, z = row["off"], row["on"]
print(f'2^{log:<4} ratio {"":9} {z[0]/t[0]:8.2f}x {z[1]/t[1]:8.2f}x {z[2]/t[2]:9.2f}x {z[3]/t[3]:8.2f}x')
PY
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
