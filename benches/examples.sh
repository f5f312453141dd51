#!/usr/bin/env bash
# Proves and verifies the example contracts that use linear memory, i64, globals,
# call_indirect and a start function (examples/wide.txt), one `gloam prove --json` and one
# `gloam verify --json` per case, and prints a Markdown table: cycles, trace shape, prove time, peak resident
# memory of the proving process (GNU time), proof bytes, verify time, and the cost per unit
# of work (per 64-byte SHA-256 block, per element sorted) where a case has one.
#
#   benches/examples.sh                 # builds gloam (release) first
#   GLOAM_BIN=path/to/gloam benches/examples.sh
#
# Timings are wall clock on a shared machine: compare rows of one run, not across runs.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
if [ -z "${GLOAM_BIN:-}" ]; then
  cargo build --release -q -p gloam-cli
  GLOAM_BIN="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
fi
command -v /usr/bin/time >/dev/null || { echo "needs GNU time (/usr/bin/time)" >&2; exit 2; }
TMP="$(mktemp -d)"
trap 'rm -rf "$TMP"' EXIT

# contract entry args unit-kind unit-count
CASES=(
  "sha256 sha256_gen 64,5 block 2"
  "sha256 sha256_gen 1000,3 block 16"
  "sha256 sha256_gen 4096,7 block 65"
  "sort sort_gen 100,4294967295 element 100"
  "sort sort_gen 512,7 element 512"
  "merkle merkle_check 3,5,2 - 0"
  "dispatch op1 3,2147483649,4 - 0"
  "startup checksum 336 - 0"
)

echo "| contract | call | cycles | trace (rows x main+aux) | prove | peak memory | proof | verify | per unit |"
echo "|---|---|---:|---|---:|---:|---:|---:|---|"
for c in "${CASES[@]}"; do
  read -r contract entry args unit count <<<"$c"
  wasm="examples/$contract/$contract.wasm"
  /usr/bin/time -f "%M" -o "$TMP/rss" "$GLOAM_BIN" prove "$wasm" --entry "$entry" --args "$args" \
    -o "$TMP/p.bin" --json >"$TMP/prove.json"
  "$GLOAM_BIN" verify "$wasm" "$TMP/p.bin" --json >"$TMP/verify.json"
  python3 - "$contract" "$entry" "$args" "$unit" "$count" "$TMP" <<'EOF'
import json, sys
contract, entry, args, unit, count, tmp = sys.argv[1:]
p = json.load(open(f"{tmp}/prove.json"))
v = json.load(open(f"{tmp}/verify.json"))
assert v["verified"] and v["results"] == p["results"]
rss_mb = int(open(f"{tmp}/rss").read().split()[-1]) / 1024
prove_s = p["prove_ms"] / 1000
count = int(count)
per = "-"
if count:
    per = f"{p['cycles'] / count:,.0f} cycles, {prove_s / count * 1000:,.1f} ms per {unit}"
print(f"| {contract} | `{entry}({args.replace(',', ', ')})` | {p['cycles']:,} | "
      f"2^{p['trace_rows'].bit_length() - 1} x {p['main_columns']}+{p['aux_columns']} | "
      f"{prove_s:.2f} s | {rss_mb:,.0f} MB | {p['proof_bytes'] / 1000:.0f} KB | "
      f"{v['verify_ms']:.1f} ms | {per} |")
EOF
done
