#!/usr/bin/env bash
# Runs proven in segments (docs/air.md §5, Segments): for each case, `gloam prove` in segments
# of SEGMENT_ROWS rows (one process per proof, so peak memory is per proof) with the default
# memory limit (pass-1 commitments kept for pass 2 where memory allows), with `--max-memory
# 4GiB` (bounded: pass-1 commitments spilled to disk, as far as the disk allows, and read back
# in pass 2) and with `--max-memory 4GiB --max-disk 0` (bounded, no disk: every segment rebuilt
# and recommitted in pass 2), then `gloam verify`; prints prove time, cycles per second, peak RSS, proof bytes, verify time (and per
# segment). With BASELINE=1 the 2^20 cases are also proven as one proof of 2^20 rows with the
# same (zero-knowledge) protocol in the same run (the throughput comparison); with THREADS1=1
# the bounded mode is also run with one thread (RAYON_NUM_THREADS=1).
#
# Usage: benches/segments.sh [CASES...]
#        CASE = sieve20 | sha20 | sieve22 | sha22 | shamax | sha24 | fib24 | sieve24
#        (default: sieve20 sha20 sha22)
# sha256_gen hashes at most 65,536 bytes: shamax (4.84 M cycles, 2^22.2) is its longest run;
# sha24 hashes 227,200 bytes of the same message with sha256_stream (16.8 M cycles, 2^24).
# sieve24's sieve holds 246 k live words, more than a 2^17-row segment's memory table
# (131,071 rows): each segment's table holds only what it touches, and the final memory goes
# to two final memory segments. fib24 (16.8 M cycles, 2^24) keeps almost nothing live.
# Environment: SEGMENT_ROWS (default 131072), BASELINE, THREADS1, BOUNDED_ONLY (skip the
# default-memory mode).
# Needs /usr/bin/time (Debian package `time`) and python3.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
ROWS="${SEGMENT_ROWS:-131072}"
[ $# -gt 0 ] && CASES=("$@") || CASES=(sieve20 sha20 sha22)
command -v /usr/bin/time >/dev/null || { echo "installing GNU time"; apt-get install -y -qq time >/dev/null; }
if [ -z "${GLOAM_BIN:-}" ]; then
  cargo build --release -q -p gloam-cli --manifest-path "$REPO/Cargo.toml"
  GLOAM_BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
fi
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# case -> module entry args (cycles just below 2^20, 2^22, 2^24)
spec() {
  case "$1" in
    sieve20) echo "$REPO/benches/programs/sieve.wat sieve_count 63000" ;;
    sieve22) echo "$REPO/benches/programs/sieve.wat sieve_count 245000" ;;
    sieve24) echo "$REPO/benches/programs/sieve.wat sieve_count 985000" ;;
    sha20) echo "$REPO/examples/sha256/sha256.wasm sha256_gen 14000,7" ;;
    sha22) echo "$REPO/examples/sha256/sha256.wasm sha256_gen 56800,7" ;;
    shamax) echo "$REPO/examples/sha256/sha256.wasm sha256_gen 65536,7" ;;
    sha24) echo "$REPO/examples/sha256/sha256.wasm sha256_stream 227200,7" ;;
    fib24) echo "$REPO/examples/fib/fib.wasm fib 3355000" ;;
    *) echo "unknown case $1" >&2; exit 2 ;;
  esac
}

echo "machine: $(nproc) cores, $(free -g | awk '/Mem:/{print $2}') GiB, $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2 | xargs)"
echo "segment rows: $ROWS; load average before: $(cut -d' ' -f1-3 /proc/loadavg)"
printf '%-8s %-14s %11s %5s %9s %11s %9s %11s %10s %9s\n' \
  case mode cycles segs "prove s" "cycles/s" "peak MB" "proof B" "verify ms" "ms/seg"

measure() { # name mode threads extra-args...
  local name="$1" mode="$2" threads="$3"; shift 3
  read -r wasm entry args <<<"$(spec "$name")"
  local tag="$name-$mode"
  RAYON_NUM_THREADS="$threads" /usr/bin/time -v -o "$TMP/time-$tag" "$GLOAM_BIN" prove "$wasm" \
    --entry "$entry" --args "$args" -o "$TMP/p-$tag" --json "$@" > "$TMP/prove-$tag.json"
  "$GLOAM_BIN" verify "$wasm" "$TMP/p-$tag" --json > "$TMP/verify-$tag.json"
  python3 - "$TMP" "$tag" "$name" "$mode" <<'PY'
import json, sys, re
tmp, tag, name, mode = sys.argv[1:]
p = json.load(open(f"{tmp}/prove-{tag}.json"))
v = json.load(open(f"{tmp}/verify-{tag}.json"))
assert v["verified"] and v["results"] == p["results"], v
rss = int(re.search(r"Maximum resident set size \(kbytes\): (\d+)", open(f"{tmp}/time-{tag}").read()).group(1))
s = p["prove_ms"] / 1e3
segs = v.get("segments", 1)
print(f"{name:<8} {mode:<14} {p['cycles']:>11,} {segs:>5} {s:>9.1f} {p['cycles'] / s:>11,.0f} "
      f"{rss / 1024:>9,.0f} {p['proof_bytes']:>11,} {v['verify_ms']:>10.1f} {v['verify_ms'] / segs:>9.1f}")
PY
}

for c in "${CASES[@]}"; do
  if [ -z "${BOUNDED_ONLY:-}" ]; then
    measure "$c" "segments" "$(nproc)" --segment-rows "$ROWS"
  fi
  measure "$c" "seg. 4 GiB" "$(nproc)" --segment-rows "$ROWS" --max-memory 4GiB
  measure "$c" "4 GiB, no disk" "$(nproc)" --segment-rows "$ROWS" --max-memory 4GiB --max-disk 0
  if [[ "$c" == *20 && -n "${THREADS1:-}" ]]; then
    measure "$c" "seg. 4 GiB 1thr" 1 --segment-rows "$ROWS" --max-memory 4GiB
  fi
  if [[ "$c" == *20 && -n "${BASELINE:-}" ]]; then
    measure "$c" "one proof (ZK)" "$(nproc)" --zk on
  fi
done
echo "load average after: $(cut -d' ' -f1-3 /proc/loadavg)"
