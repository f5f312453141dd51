#!/usr/bin/env bash
# Confidential notes end to end on `gloam node dev` (docs/node.md, "Confidential notes"):
# a chain whose note contract is examples/transfer (note tree of depth 4) and whose genesis
# issues two notes to Alice (70 and 30). Then, each proven in zero knowledge on this machine
# and submitted with `gloam node submit` (which sends no private input):
#   1. Alice pays Bob 50 from her 70 note (change 20 to herself): finalized;
#   2. Bob pays Carol his 50 note: finalized (proven against the tree that holds it);
#   3. Alice spends her 70 note again: refused, double spend;
#   4. a transfer proven against a tree the chain never had (a forged 1000 note): refused,
#      unknown root.
# Checks the note tree and the nullifier set through the API. Stops the network on exit.
set -euo pipefail
REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
cd "$REPO"
API="${API:-127.0.0.1:8090}"
if [ -n "${GLOAM_BIN:-}" ]; then
  G="$GLOAM_BIN"
else
  cargo build --release -q -p gloam-cli
  G="${CARGO_TARGET_DIR:-$REPO/target}/release/gloam"
fi
N="python3 examples/tools/notes.py"
M=examples/transfer/transfer.wasm
TMP="$(mktemp -d)"
hex32() { printf "$1%.0s" $(seq 32); }
ALICE=$(hex32 a1) BOB=$(hex32 b0) CAROL=$(hex32 c0)
A_KEY=$($N owner "$ALICE") B_KEY=$($N owner "$BOB") C_KEY=$($N owner "$CAROL")
NOTE0=$($N commitment "$A_KEY" 70 "$(hex32 05)")
NOTE1=$($N commitment "$A_KEY" 30 "$(hex32 06)")

"$G" node dev --api "$API" --dir "$TMP/net" --p2p-port 27300 \
  --note-contract "$M" --note-depth 4 --note "$NOTE0" --note "$NOTE1" 2>"$TMP/dev.log" &
DEV=$!
trap 'kill $DEV 2>/dev/null || true; wait $DEV 2>/dev/null || true; rm -rf "$TMP"' EXIT
for _ in $(seq 150); do "$G" node status --api "$API" >/dev/null 2>&1 && break; sleep 0.2; done

# prove NAME TREE ARGS...: the transfer's inputs against TREE (a /v1/notes JSON or the API),
# proven (zero-knowledge: the module reads a private input) into $TMP/NAME.proof.
prove() {
  local name=$1 tree=$2
  shift 2
  $N transfer "$tree" "$@" > "$TMP/$name.io"
  "$G" prove "$M" --entry transfer -o "$TMP/$name.proof" --json \
    --public-input "$(awk '/^public/{print $2}' "$TMP/$name.io")" \
    --private-input "$(awk '/^private/{print $2}' "$TMP/$name.io")" > "$TMP/$name.json"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); assert d['zero_knowledge']; print('proved %s: %d cycles, %.1f s, zero-knowledge' % (sys.argv[2], d['cycles'], d['prove_ms']/1e3))" "$TMP/$name.json" "$name"
}
# submit NAME: must finalize.
submit() {
  "$G" node submit "$M" "$TMP/$1.proof" --api "$API" --json > "$TMP/$1.submit"
  python3 -c "import json,sys; d=json.load(open(sys.argv[1])); print('finalized %s: tx %s' % (sys.argv[2], d['tx']))" "$TMP/$1.submit" "$1"
}
# refused NAME WORDS: must be refused with a reason containing WORDS.
refused() {
  if "$G" node submit "$M" "$TMP/$1.proof" --api "$API" > "$TMP/$1.out" 2>&1; then
    echo "FAIL: $1 was accepted"; cat "$TMP/$1.out"; exit 1
  fi
  grep -q "$2" "$TMP/$1.out" || { echo "FAIL: $1 refused for another reason:"; cat "$TMP/$1.out"; exit 1; }
  echo "refused $1: $(grep -o "$2[^\"]*" "$TMP/$1.out" | head -1)"
}

prove t1 "http://$API" --spend "$ALICE:70:$(hex32 05):0" \
  --out "$B_KEY:50:$(hex32 07)" --out "$A_KEY:20:$(hex32 08)"
submit t1
# Bob's note is leaf 2 of the tree after transfer 1.
prove t2 "http://$API" --spend "$BOB:50:$(hex32 07):2" --out "$C_KEY:50:$(hex32 09)"
submit t2
prove again "http://$API" --spend "$ALICE:70:$(hex32 05):0" --out "$C_KEY:70:$(hex32 0a)"
refused again "double spend"
# A tree of Alice's own: the chain's leaves plus a note of 1000 she made up.
python3 - "$API" "$A_KEY" "$(hex32 0b)" > "$TMP/forged.json" <<'PY'
import json, sys, urllib.request
sys.path.insert(0, "examples/tools")
import notes
api, owner, blinding = sys.argv[1], bytes.fromhex(sys.argv[2]), bytes.fromhex(sys.argv[3])
tree = json.load(urllib.request.urlopen("http://%s/v1/notes" % api))
leaves = [bytes.fromhex(c) for c in tree["commitments"]]
leaves.append(notes.commitment(owner, 1000, blinding))
tree["commitments"] = [c.hex() for c in leaves]
tree["root"] = notes.root(leaves, tree["depth"]).hex()
print(json.dumps(tree))
PY
FORGED_INDEX=$(python3 -c "import json,sys; print(len(json.load(open(sys.argv[1]))['commitments']) - 1)" "$TMP/forged.json")
prove forged "$TMP/forged.json" --spend "$ALICE:1000:$(hex32 0b):$FORGED_INDEX" --out "$A_KEY:1000:$(hex32 0c)"
refused forged "unknown note-tree root"

python3 - "$API" "$TMP" <<'PY'
import json, sys, urllib.request
api, tmp = sys.argv[1], sys.argv[2]
get = lambda p: json.load(urllib.request.urlopen("http://%s%s" % (api, p)))
tree = get("/v1/notes")
assert len(tree["commitments"]) == 5, tree
assert tree["root"] == tree["recent_roots"][-1] and len(tree["recent_roots"]) == 3, tree
for name in ("t1", "t2"):
    io = open("%s/%s.io" % (tmp, name)).read().split("\n")
    for nf in [l.split()[1] for l in io if l.startswith("nullifier")]:
        s = get("/v1/nullifiers/" + nf)
        assert s["spent"], (name, s)
forged = [l.split()[1] for l in open(tmp + "/forged.io") if l.startswith("nullifier")][0]
assert not get("/v1/nullifiers/" + forged)["spent"]
print("note tree: %d notes, root %s...; the nullifiers of both transfers are spent" % (
    len(tree["commitments"]), tree["root"][:16]))
PY
