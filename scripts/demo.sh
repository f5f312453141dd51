#!/usr/bin/env bash
# Sets up what Gloam needs on a fresh machine, then proves and verifies a shipped contract:
# the fibonacci example, fib(1000), compiled from C (examples/fib/fib.c).
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
if ! command -v cargo >/dev/null 2>&1; then
  echo "cargo not found: installing Rust with Debian's packages"
  apt-get update -qq && apt-get install -y -qq cargo rustc >/dev/null
fi
# GLOAM_BIN: an already built `gloam` to use instead of building one (CI passes the binary
# its test build made: a `cargo build -p gloam-cli` after `cargo test --workspace` resolves
# other dependency features and would compile much of the workspace again).
if [ -n "${GLOAM_BIN:-}" ]; then
  GLOAM="$GLOAM_BIN"
else
  echo "== building gloam (release) =="
  cargo build --release -q -p gloam-cli
  GLOAM="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
fi
OUT="$(mktemp -d)/fib.proof"
echo "== gloam run =="
"$GLOAM" run examples/fib/fib.wasm --entry fib --args 1000
echo "== gloam prove =="
"$GLOAM" prove examples/fib/fib.wasm --entry fib --args 1000 -o "$OUT"
echo "== gloam verify (never re-executes) =="
"$GLOAM" verify examples/fib/fib.wasm "$OUT"
