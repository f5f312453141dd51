#!/usr/bin/env bash
# Prints, for every case of examples/bench.txt, the Gloam cycles, the WebAssembly instructions
# they account for, and cycles per WebAssembly instruction (a Markdown table).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cargo build --release -q -p gloam-cli --manifest-path "$REPO/Cargo.toml"
GLOAM="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
echo "| contract | call | results | cycles | wasm instructions | cycles / wasm instruction |"
echo "|---|---|---|---|---|---|"
grep -v '^#' "$REPO/examples/bench.txt" | while read -r name entry args _expected; do
  [[ -z $name ]] && continue
  a=$([[ $args == - ]] && echo "" || echo "--args $args")
  # shellcheck disable=SC2086
  "$GLOAM" run "$REPO/examples/$name/$name.wasm" --entry "$entry" $a --json | python3 -c '
import json, sys
j = json.load(sys.stdin); name, entry, args = sys.argv[1:]
r, c, w, q = j["results"], j["cycles"], j["wasm_instrs"], j["cycles_per_wasm_instr"]
print(f"| {name} | {entry}({args}) | {r} | {c} | {w} | {q:.2f} |")
' "$name" "$entry" "$args"
done
