#!/usr/bin/env python3
"""Check that every function body in the given .wat files (as printed by
`wasm2wat`) uses only the WebAssembly subset the Gloam prover supports, and
print a per-opcode count.

Usage: check_subset.py [--quiet] FILE.wat...

Exit status 1 if any instruction outside the subset appears, if a function
signature or local uses a type other than i32, or if the module has imports.
"""
import collections
import re
import sys

ALLOWED = set("""
i32.const
i32.add i32.sub i32.mul i32.div_s i32.div_u i32.rem_s i32.rem_u
i32.and i32.or i32.xor i32.shl i32.shr_s i32.shr_u i32.rotl i32.rotr
i32.clz i32.ctz i32.popcnt
i32.eqz i32.eq i32.ne i32.lt_s i32.lt_u i32.gt_s i32.gt_u
i32.le_s i32.le_u i32.ge_s i32.ge_u
local.get local.set local.tee
drop select nop unreachable
block loop if else br br_if br_table return end call
""".split())


def check(path):
    bad = []
    counts = collections.Counter()
    in_func = False
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            stripped = line.strip()
            stripped = stripped.split(";;", 1)[0].strip()  # line comments
            if not stripped:
                continue
            if stripped.startswith("(func"):
                in_func = True
                sig = re.sub(r";.*?;", "", stripped)
                for ty in re.findall(r"\((?:param|result)((?:\s+(?:\$\S+\s+)?\w+)*)\)", sig):
                    for tok in ty.split():
                        if not tok.startswith("$") and tok != "i32":
                            bad.append((lineno, "signature type " + tok))
                continue
            if stripped.startswith("(local"):
                for decl in re.findall(r"\(local((?:\s+[^()\s]+)*)\)", stripped):
                    for tok in decl.split():
                        if not tok.startswith("$") and tok != "i32":
                            bad.append((lineno, "local type " + tok))
                continue
            if stripped.startswith("(import"):
                bad.append((lineno, "import (contracts must be self-contained)"))
            if stripped.startswith("("):
                in_func = stripped.startswith("(func")
                if stripped.startswith("(type"):
                    for tok in re.findall(r"\b(i64|f32|f64|v128|externref|funcref)\b", stripped):
                        bad.append((lineno, "type " + tok))
                continue
            if not in_func:
                continue
            op = stripped.split()[0].rstrip(")")
            if not op:
                continue  # a line holding only closing parentheses
            counts[op] += 1
            if op not in ALLOWED:
                bad.append((lineno, op))
    return counts, bad


def main():
    args = sys.argv[1:]
    quiet = False
    if args and args[0] == "--quiet":
        quiet = True
        args = args[1:]
    status = 0
    for path in args:
        counts, bad = check(path)
        if not quiet:
            total = sum(counts.values())
            print("%s: %d instructions" % (path, total))
            for op, n in sorted(counts.items()):
                print("  %-14s %d" % (op, n))
        for lineno, what in bad:
            print("%s:%d: not in the prover subset: %s" % (path, lineno, what))
            status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
