#!/usr/bin/env python3
"""Drop every custom section of a wasm binary except the `name` section.

Usage: strip_custom.py IN.wasm OUT.wasm

Compilers leave `producers` (toolchain versions) and `.debug_*` sections
(which carry absolute source paths) in their output; those make builds
depend on where they ran. The `name` section only holds function and global
names, is reproducible, and makes the `.wat` files readable, so it is kept.
"""
import sys


def read_leb_u32(buf, pos):
    result = shift = 0
    while True:
        byte = buf[pos]
        pos += 1
        result |= (byte & 0x7F) << shift
        if byte < 0x80:
            return result, pos
        shift += 7


def strip(data):
    if data[:4] != b"\0asm":
        raise SystemExit("not a wasm binary")
    out = bytearray(data[:8])
    pos = 8
    while pos < len(data):
        start = pos
        section_id = data[pos]
        size, body = read_leb_u32(data, pos + 1)
        end = body + size
        if end > len(data):
            raise SystemExit("truncated section")
        keep = True
        if section_id == 0:
            name_len, name_pos = read_leb_u32(data, body)
            name = bytes(data[name_pos:name_pos + name_len])
            keep = name == b"name"
        if keep:
            out += data[start:end]
        pos = end
    return bytes(out)


def main():
    if len(sys.argv) != 3:
        raise SystemExit(__doc__)
    with open(sys.argv[1], "rb") as f:
        data = f.read()
    with open(sys.argv[2], "wb") as f:
        f.write(strip(data))


if __name__ == "__main__":
    main()
