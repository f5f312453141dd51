#!/usr/bin/env python3
"""A minimal note wallet for examples/transfer on a Gloam chain (docs/node.md,
"Confidential notes"): note commitments and the inputs of a transfer against the chain's note
tree, as hex for `gloam prove --public-input HEX --private-input HEX`.

Usage:
  notes.py owner SECRET                         owner key of a 32-byte secret (hex)
  notes.py commitment OWNER AMOUNT BLINDING     note commitment (OWNER: an owner key)
  notes.py transfer TREE --spend SECRET:AMOUNT:BLINDING:INDEX [--spend ...]
                         --out OWNER:AMOUNT:BLINDING [--out ...]
      TREE: the JSON of `GET /v1/notes` (a file, or http://HOST:PORT to fetch it). Prints
      `public HEX`, `private HEX`, `journal HEX` (the journal the run commits, with the
      nullifiers of the spent notes) and `nullifier HEX` per spent note.

The hashing is the contract's (examples/transfer/src/lib.rs) with hashlib's SHA-256; the tree
is the chain's (SHA-256 nodes, empty leaves of 32 zero bytes).
"""
import json
import struct
import sys
import urllib.request

from io_inputs import h  # SHA-256 of the concatenated parts


def owner_key(secret):
    return h(b"gloam-owner", secret)


def commitment(owner, amount, blinding):
    return h(b"gloam-note", owner, struct.pack("<Q", amount), blinding)


def path(leaves, depth, index):
    """Siblings of leaf `index`, leaf level first, in a depth-`depth` tree whose other
    leaves are empty."""
    level, zero, out = list(leaves), bytes(32), []
    for _ in range(depth):
        sib = index ^ 1
        out.append(level[sib] if sib < len(level) else zero)
        if len(level) % 2:
            level.append(zero)
        level = [h(level[i], level[i + 1]) for i in range(0, len(level), 2)]
        zero = h(zero, zero)
        index >>= 1
    return out


def root(leaves, depth):
    level, zero = list(leaves), bytes(32)
    for _ in range(depth):
        if len(level) % 2:
            level.append(zero)
        level = [h(level[i], level[i + 1]) for i in range(0, len(level), 2)] or []
        zero = h(zero, zero)
    return level[0] if level else zero


def transfer(tree, spends, outs):
    depth = tree["depth"]
    leaves = [bytes.fromhex(c) for c in tree["commitments"]]
    r = root(leaves, depth)
    assert r.hex() == tree["root"], "the tree's commitments do not give its root"
    public = r + bytes([depth])
    private = bytes([len(spends)])
    nullifiers = []
    for secret, amount, blinding, index in spends:
        leaf = commitment(owner_key(secret), amount, blinding)
        assert leaves[index] == leaf, "note %d is not this note" % index
        private += secret + struct.pack("<Q", amount) + blinding + struct.pack("<I", index)
        private += b"".join(path(leaves, depth, index))
        nullifiers.append(h(b"gloam-nullifier", secret, leaf, struct.pack("<I", index)))
    private += bytes([len(outs)])
    cms = []
    for owner, amount, blinding in outs:
        private += owner + struct.pack("<Q", amount) + blinding
        cms.append(commitment(owner, amount, blinding))
    journal = public + bytes([len(spends)]) + b"".join(nullifiers)
    journal += bytes([len(outs)]) + b"".join(cms)
    return public, private, journal, nullifiers


def main(argv):
    if len(argv) >= 2 and argv[0] == "owner":
        print(owner_key(bytes.fromhex(argv[1])).hex())
    elif len(argv) == 4 and argv[0] == "commitment":
        print(commitment(bytes.fromhex(argv[1]), int(argv[2]), bytes.fromhex(argv[3])).hex())
    elif len(argv) >= 2 and argv[0] == "transfer":
        src = argv[1]
        if src.startswith("http://"):
            base = src.rstrip("/") + "/v1/notes"
            tree = json.load(urllib.request.urlopen(base))
            while len(tree["commitments"]) < tree["count"]:
                more = json.load(urllib.request.urlopen(
                    "%s?from=%d" % (base, len(tree["commitments"]))))
                tree["commitments"] += more["commitments"]
        else:
            tree = json.load(open(src))
        spends, outs, i = [], [], 2
        while i + 1 < len(argv):
            f = argv[i + 1].split(":")
            if argv[i] == "--spend":
                spends.append((bytes.fromhex(f[0]), int(f[1]), bytes.fromhex(f[2]), int(f[3])))
            elif argv[i] == "--out":
                outs.append((bytes.fromhex(f[0]), int(f[1]), bytes.fromhex(f[2])))
            else:
                sys.exit(__doc__)
            i += 2
        public, private, journal, nullifiers = transfer(tree, spends, outs)
        print("public", public.hex())
        print("private", private.hex())
        print("journal", journal.hex())
        for n in nullifiers:
            print("nullifier", n.hex())
    else:
        sys.exit(__doc__)


if __name__ == "__main__":
    main(sys.argv[1:])
