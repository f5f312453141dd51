#!/usr/bin/env python3
"""Check the instructions and types of the example contracts' .wat files (as
printed by `wasm2wat`), and print a per-opcode count.

Usage: check_subset.py [--quiet] [--provable | --wide] FILE.wat...

Each contract is in one of two categories, chosen by the file's name (or for
every file by --provable / --wide):

- provable (every contract not listed in WIDE_CONTRACTS): every function body
  uses only the instruction subset the Gloam prover supports (ALLOWED), and
  every parameter, result and local is i32.
- executor-only (WIDE_CONTRACTS: sha256, sort, merkle, dispatch, startup):
  these use linear memory, i64 and globals (dispatch also call_indirect
  through a function table, startup a start function and passive data
  segments); the executor runs them, proving them comes later. For them the
  check is that no float or SIMD instruction or type is used: bodies may use
  only the integer part of WebAssembly 1.0 (WIDE_ALLOWED: the i32 and i64
  instructions, loads and stores of every width, global.get/set,
  memory.size/grow, call_indirect), parameters, results, locals and globals
  are i32 or i64, and exported functions take and return only i32 (the case
  files hold u32 values). Anything past 1.0 (bulk memory, sign extension,
  saturating truncation, ...) is refused too, except the few instructions
  WIDE_EXTRA allows a named contract (startup: memory.init, data.drop).

In both categories imports are refused (contracts are self-contained), except
the contract interface's (module "gloam": read_public, read_private, commit) in
the contracts of INTERFACE_CONTRACTS, which use gloam-sdk.
Exit status 1 on any violation.
"""
import collections
import os
import re
import sys

# Contracts that use linear memory, i64 and globals (and call_indirect, a start
# function, passive data segments): executor-only for now.
WIDE_CONTRACTS = {"sha256", "sort", "merkle", "dispatch", "startup", "credential", "compliance", "transfer"}

# Contracts that import the contract interface (gloam-sdk).
INTERFACE_CONTRACTS = {"credential", "compliance", "transfer"}
INTERFACE_IMPORT = re.compile(r'\(import "gloam" "(read_public|read_private|commit)" ')

# Post-1.0 instructions a named executor-only contract may use on purpose.
WIDE_EXTRA = {
    "startup": {"memory.init", "data.drop"},  # passive data segments (bulk memory)
}

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

_I64_OPS = """
const add sub mul div_s div_u rem_s rem_u and or xor shl shr_s shr_u rotl rotr
clz ctz popcnt eqz eq ne lt_s lt_u gt_s gt_u le_s le_u ge_s ge_u
""".split()

# The integer part of WebAssembly 1.0: the executor-only category.
WIDE_ALLOWED = ALLOWED | {"i64." + op for op in _I64_OPS} | set("""
i32.wrap_i64 i64.extend_i32_s i64.extend_i32_u
i32.load i32.load8_s i32.load8_u i32.load16_s i32.load16_u
i64.load i64.load8_s i64.load8_u i64.load16_s i64.load16_u i64.load32_s i64.load32_u
i32.store i32.store8 i32.store16
i64.store i64.store8 i64.store16 i64.store32
global.get global.set memory.size memory.grow call_indirect
""".split())


def classify(op):
    """Why an instruction is outside both sets (for the message)."""
    if op.startswith(("f32.", "f64.")) or "_f32" in op or "_f64" in op:
        return "float"
    if op.startswith(("v128.", "i8x16.", "i16x8.", "i32x4.", "i64x2.", "f32x4.", "f64x2.")):
        return "SIMD"
    return "not integer WebAssembly 1.0"


def is_wide(path):
    return contract_of(path) in WIDE_CONTRACTS


def contract_of(path):
    return os.path.splitext(os.path.basename(path))[0]


def check(path, wide=False):
    """Returns (opcode counts, [(line number, violation)])."""
    allowed = WIDE_ALLOWED | WIDE_EXTRA.get(contract_of(path), set()) if wide else ALLOWED
    types = ("i32", "i64") if wide else ("i32",)
    where = "in the executor-only category" if wide else "in the prover subset"
    bad = []
    counts = collections.Counter()
    in_func = False
    funcs = []        # (name or None, signature is i32-only), in index order
    exports = []      # (line number, export name, function reference)
    with open(path) as f:
        for lineno, line in enumerate(f, 1):
            stripped = line.strip()
            stripped = stripped.split(";;", 1)[0].strip()  # line comments
            if not stripped:
                continue
            if stripped.startswith("(func"):
                in_func = True
                sig = re.sub(r";.*?;", "", stripped)
                name = re.match(r"\(func\s+(\$\S+)", sig)
                only_i32 = True
                for ty in re.findall(r"\((?:param|result)((?:\s+(?:\$\S+\s+)?\w+)*)\)", sig):
                    for tok in ty.split():
                        if tok.startswith("$"):
                            continue
                        only_i32 = only_i32 and tok == "i32"
                        if tok not in types:
                            bad.append((lineno, "signature type " + tok))
                funcs.append((name.group(1) if name else None, only_i32))
                continue
            if stripped.startswith("(local"):
                for decl in re.findall(r"\(local((?:\s+[^()\s]+)*)\)", stripped):
                    for tok in decl.split():
                        if not tok.startswith("$") and tok not in types:
                            bad.append((lineno, "local type " + tok))
                continue
            interface = contract_of(path) in INTERFACE_CONTRACTS and INTERFACE_IMPORT.match(stripped)
            if stripped.startswith("(import") and not interface:
                bad.append((lineno, "import (contracts must be self-contained)"))
            if stripped.startswith("("):
                in_func = stripped.startswith("(func")
                if stripped.startswith("(type"):
                    for tok in re.findall(r"\b(i64|f32|f64|v128|externref|funcref)\b", stripped):
                        if tok not in types:
                            bad.append((lineno, "type " + tok))
                if wide and stripped.startswith("(global"):
                    for tok in sorted(set(re.findall(r"\b(f32|f64|v128|externref|funcref)\b", stripped))):
                        bad.append((lineno, "global type " + tok))
                export = re.match(r'\(export\s+"([^"]*)"\s+\(func\s+([^)\s]+)\)', stripped)
                if export:
                    exports.append((lineno, export.group(1), export.group(2)))
                continue
            if not in_func:
                continue
            op = stripped.split()[0].rstrip(")")
            if not op:
                continue  # a line holding only closing parentheses
            counts[op] += 1
            if op not in allowed:
                bad.append((lineno, op if not wide else "%s (%s)" % (op, classify(op))))
    if wide:
        # Exported functions are called with u32 arguments and return a u32.
        for lineno, name, ref in exports:
            index = int(ref) if ref.isdigit() else None
            for i, (fname, only_i32) in enumerate(funcs):
                if (fname == ref or i == index) and not only_i32:
                    bad.append((lineno, "export %s has a non-i32 parameter or result" % name))
    return counts, [(lineno, what, where) for lineno, what in bad]


def main():
    args = sys.argv[1:]
    quiet = False
    force = None
    while args and args[0].startswith("--"):
        if args[0] == "--quiet":
            quiet = True
        elif args[0] in ("--provable", "--wide"):
            force = args[0] == "--wide"
        else:
            raise SystemExit(__doc__)
        args = args[1:]
    status = 0
    for path in args:
        wide = is_wide(path) if force is None else force
        counts, bad = check(path, wide)
        if not quiet:
            total = sum(counts.values())
            print("%s: %d instructions (%s)" % (
                path, total, "executor-only: memory/i64/globals" if wide else "provable subset"))
            for op, n in sorted(counts.items()):
                print("  %-14s %d" % (op, n))
        for lineno, what, where in bad:
            print("%s:%d: not %s: %s" % (path, lineno, where, what))
            status = 1
    sys.exit(status)


if __name__ == "__main__":
    main()
