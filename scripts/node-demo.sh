#!/usr/bin/env bash
# The README's validator-network quick start, checked end to end: `gloam node dev` (four
# validators in one process), `gloam prove` a shipped example, `gloam node submit` (deploy +
# proven run, waits for finality), `gloam node status`. Stops the network on exit.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
API="${API:-127.0.0.1:8080}"
# GLOAM_BIN: an already built `gloam` to use instead of building one (see scripts/demo.sh).
if [ -n "${GLOAM_BIN:-}" ]; then
  G="$GLOAM_BIN"
else
  cargo build --release -q -p gloam-cli
  G="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
fi
TMP="$(mktemp -d)"
"$G" node dev --api "$API" --dir "$TMP/net" 2>"$TMP/dev.log" &
DEV=$!
trap 'kill $DEV 2>/dev/null || true; wait $DEV 2>/dev/null || true' EXIT
for _ in $(seq 150); do "$G" node status --api "$API" >/dev/null 2>&1 && break; sleep 0.2; done
"$G" prove examples/fib/fib.wasm --entry fib --args 1000 -o "$TMP/fib.proof"
"$G" node submit examples/fib/fib.wasm "$TMP/fib.proof" --api "$API"
"$G" node status --api "$API"
