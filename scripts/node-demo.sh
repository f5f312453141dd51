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
# A private run: a balance of 3679 (private) against a public threshold of 1000, proven in
# zero knowledge (the default for a run with a private input). The node receives the public
# input, the journal and the proof, never the private input, and serves the journal.
SALT="$(printf 'a7%.0s' $(seq 32))"
"$G" prove examples/threshold/threshold.wasm --entry check --public-input e803000000000000 \
  --private-input "5f0e000000000000$SALT" -o "$TMP/threshold.proof"
"$G" node submit examples/threshold/threshold.wasm "$TMP/threshold.proof" --api "$API" --json \
  | tee "$TMP/threshold.json"
echo
python3 - "$API" "$TMP/threshold.json" "$SALT" <<'PY'
import json, sys, urllib.request
api, submitted, salt = sys.argv[1], json.load(open(sys.argv[2])), sys.argv[3]
tx = json.load(urllib.request.urlopen("http://%s/v1/tx/%s" % (api, submitted["tx"])))
run = tx["tx"]
assert tx["status"] == "finalized", tx
assert run["journal"] == submitted["journal"] and run["journal"].startswith("e80300000000000001"), run
assert salt not in json.dumps(tx) and "5f0e" not in run["journal"], "a private value reached the node"
assert run["zero_knowledge"], "a run with a private input is proven in zero knowledge"
print("GET /v1/tx: finalized at height %d, journal %s, zero-knowledge proof" % (tx["height"], run["journal"]))
PY
"$G" node status --api "$API"
