#!/usr/bin/env python3
"""Public and private inputs for the gloam-sdk example contracts, as hex for
`gloam run/prove --public-input HEX --private-input HEX` (and the journal a run commits).

Usage: io_inputs.py credential | compliance [DEPTH] | transfer [DEPTH]

Prints three lines: `public HEX`, `private HEX`, `journal HEX`. The encodings are
gloam-sdk's (sdk/src/codec.rs): little-endian integers, byte arrays as they are. The
hashing follows each contract's source (examples/<name>/src/lib.rs), with hashlib's SHA-256.
"""
import hashlib
import struct
import sys


def h(*parts):
    s = hashlib.sha256()
    for p in parts:
        s.update(p)
    return s.digest()


def u64(v):
    return struct.pack("<Q", v)


def u32(v):
    return struct.pack("<I", v)


def tree(leaves):
    """All levels of a SHA-256 Merkle tree, leaves first."""
    levels = [leaves]
    while len(levels[-1]) > 1:
        lv = levels[-1]
        levels.append([h(lv[i], lv[i + 1]) for i in range(0, len(lv), 2)])
    return levels


def path(levels, index, depth):
    return b"".join(levels[d][(index >> d) ^ 1] for d in range(depth))


def credential():
    balance, salt, threshold = 52_000, bytes([0x5A]) * 32, 50_000
    commitment = h(b"gloam-balance", u64(balance), salt)
    public = u64(threshold) + commitment
    return public, u64(balance) + salt, public


def compliance(depth):
    secrets = [bytes([(i * 37 & 0xFF) ^ 0xC3]) * 32 for i in range(1 << depth)]
    levels = tree([h(b"gloam-allow", h(b"gloam-owner", s)) for s in secrets])
    index, amount, blinding, limit = 11 % (1 << depth), 9_999, bytes([0x42]) * 32, 10_000
    public = levels[-1][0] + bytes([depth]) + u64(limit)
    private = secrets[index] + u32(index) + path(levels, index, depth) + u64(amount) + blinding
    return public, private, public + h(b"gloam-amount", u64(amount), blinding)


def transfer(depth):
    def owner_key(secret):
        return h(b"gloam-owner", secret)

    def note(owner, amount, blinding):
        return h(b"gloam-note", owner, u64(amount), blinding)

    alice = bytes([0xA1]) * 32
    leaves = [bytes([i & 0xFF]) * 32 for i in range(1 << depth)]
    index = 5 % (1 << depth)
    leaves[index] = note(owner_key(alice), 70, bytes([5]) * 32)
    levels = tree(leaves)
    root = levels[-1][0]
    outs = [(owner_key(bytes([0xB0]) * 32), 50, bytes([7]) * 32),
            (owner_key(alice), 20, bytes([8]) * 32)]
    public = root + bytes([depth])
    private = bytes([1]) + alice + u64(70) + bytes([5]) * 32 + u32(index) + path(levels, index, depth)
    private += bytes([len(outs)]) + b"".join(o + u64(a) + b for o, a, b in outs)
    journal = public + bytes([1]) + h(b"gloam-nullifier", alice, leaves[index], u32(index))
    journal += bytes([len(outs)]) + b"".join(note(o, a, b) for o, a, b in outs)
    return public, private, journal


def main():
    if len(sys.argv) < 2 or sys.argv[1] not in ("credential", "compliance", "transfer"):
        print(__doc__.strip(), file=sys.stderr)
        sys.exit(2)
    name = sys.argv[1]
    depth = int(sys.argv[2]) if len(sys.argv) > 2 else (4 if name == "compliance" else 3)
    public, private, journal = {
        "credential": lambda: credential(),
        "compliance": lambda: compliance(depth),
        "transfer": lambda: transfer(depth),
    }[name]()
    print("public", public.hex())
    print("private", private.hex())
    print("journal", journal.hex())


if __name__ == "__main__":
    main()
