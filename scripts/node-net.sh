#!/usr/bin/env bash
# Starts 4 validator processes on loopback (`gloam node start`), submits proven runs of the
# shipped examples through different validators (`gloam node submit`), and prints the
# finalized height, finalized transactions and state root per validator. Stops them on exit.
#
#   scripts/node-net.sh            # ports 27400.. (p2p) and 8400.. (API)
#   BASE_P2P=30000 BASE_API=9000 scripts/node-net.sh
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
BASE_P2P="${BASE_P2P:-27400}"
BASE_API="${BASE_API:-8400}"
# GLOAM_BIN: an already built `gloam` to use instead of building one (see scripts/demo.sh).
if [ -n "${GLOAM_BIN:-}" ]; then
  GLOAM="$GLOAM_BIN"
else
  cargo build --release -q -p gloam-cli
  GLOAM="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
fi
NET="$(mktemp -d)"
PIDS=()
cleanup() { for p in "${PIDS[@]}"; do kill "$p" 2>/dev/null || true; done; wait 2>/dev/null || true; }
trap cleanup EXIT

"$GLOAM" node init --validators 4 --dir "$NET" --p2p-port "$BASE_P2P" --api-port "$BASE_API" >/dev/null
for i in 0 1 2 3; do
  "$GLOAM" node start --config "$NET/v$i.json" 2>"$NET/v$i.log" &
  PIDS+=($!)
done
api() { echo "127.0.0.1:$((BASE_API + $1))"; }
echo "== 4 validators started (data and logs in $NET) =="
for i in 0 1 2 3; do
  for _ in $(seq 100); do "$GLOAM" node status --api "$(api $i)" >/dev/null 2>&1 && break; sleep 0.2; done
done

echo "== proving runs of the shipped examples =="
prove() { "$GLOAM" prove "examples/$1/$1.wasm" --entry "$2" --args "$3" -o "$NET/$1-$3.proof" --json >/dev/null; }
prove fib fib 10; prove fib fib 1000; prove gcd gcd 1071,462; prove collatz collatz 27
echo "== submitting through different validators =="
"$GLOAM" node submit examples/fib/fib.wasm "$NET/fib-10.proof" --api "$(api 0)"
"$GLOAM" node submit examples/gcd/gcd.wasm "$NET/gcd-1071,462.proof" --api "$(api 1)"
"$GLOAM" node submit examples/fib/fib.wasm "$NET/fib-1000.proof" --api "$(api 2)"
"$GLOAM" node submit examples/collatz/collatz.wasm "$NET/collatz-27.proof" --api "$(api 3)"
echo "== the same proof again is refused =="
"$GLOAM" node submit examples/fib/fib.wasm "$NET/fib-10.proof" --api "$(api 3)" || echo "(exit code $?, as expected)"
sleep 1
echo "== per validator =="
printf "%-10s %8s %14s  %s\n" validator height finalized_txs state_root
for i in 0 1 2 3; do
  "$GLOAM" node status --api "$(api $i)" --json | python3 -c "
import json, sys
s = json.load(sys.stdin)
print('%-10s %8d %14d  %s' % ('v$i', s['height'], s['finalized_txs'], s['state_root']))"
done
