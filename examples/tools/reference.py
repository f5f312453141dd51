#!/usr/bin/env python3
"""Independent Python reference for the example contracts.

Writes (default) or checks (--check) examples/manifest.txt,
examples/bench.txt and examples/wide.txt (the cases of the executor-only
contracts sha256, sort, merkle, dispatch and startup, which use linear
memory, i64, globals, call_indirect, a start function and passive data).
The expected values come only from the plain-Python
models below, written from each contract's specification (see README.md) and
never from running the compiled WebAssembly. tools/run_cases.py then runs the
.wasm files against these files, so the two sides check each other.

Usage: reference.py [--check]
"""
import hashlib
import math
import os
import sys

M32 = 0xFFFFFFFF
M64 = (1 << 64) - 1
HERE = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def u32(x):
    return x & M32


def s32(x):
    x &= M32
    return x - (1 << 32) if x & 0x80000000 else x


def rotl(x, k):
    k &= 31
    return u32((x << k) | (x >> ((32 - k) & 31))) if k else x


def rotr(x, k):
    k &= 31
    return u32((x >> k) | (x << ((32 - k) & 31))) if k else x


# ------------------------------------------------------------------ fib
def fib(n):
    a, b = 0, 1
    for _ in range(n):
        a, b = b, u32(a + b)
    return a


# ------------------------------------------------------------------ gcd
def gcd(a, b):
    return math.gcd(a, b)


# ------------------------------------------------------------------ isqrt
def isqrt(n):
    return math.isqrt(n)


# ------------------------------------------------------------------ recursive
def ack(m, n):
    # Iterative evaluation with an explicit stack (same values as the
    # textbook recursion, with n + 1 taken mod 2^32).
    stack = [m]
    while stack:
        m = stack.pop()
        if m == 0:
            n = u32(n + 1)
        elif n == 0:
            stack.append(m - 1)
            n = 1
        else:
            stack.append(m - 1)
            stack.append(m)
            n -= 1
    return n


def fib_rec(n):
    return fib(n)


# ------------------------------------------------------------------ hash
def fmix32(h):
    h ^= h >> 16
    h = u32(h * 0x85EBCA6B)
    h ^= h >> 13
    h = u32(h * 0xC2B2AE35)
    h ^= h >> 16
    return h


def mix(seed, rounds):
    h = seed
    for i in range(rounds):
        k = u32(i * 0xCC9E2D51)
        k = rotl(k, 15)
        k = u32(k * 0x1B873593)
        h ^= k
        h = rotl(h, 13)
        h = u32(h * 5 + 0xE6546B64)
    return fmix32(h ^ rounds)


# ------------------------------------------------------------------ collatz
OVERFLOW = M32


def collatz(n):
    if n == 0:
        return 0
    steps = 0
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        if n > M32:
            return OVERFLOW
        steps += 1
    return steps


def collatz_peak(n):
    if n == 0:
        return 0
    peak = n
    while n != 1:
        n = n // 2 if n % 2 == 0 else 3 * n + 1
        if n > M32:
            return OVERFLOW
        peak = max(peak, n)
    return peak


def floor_div(a, b):
    a, b = s32(a), s32(b)
    if b == 0:
        return 0
    return u32(a // b)  # Python's // floors; INT_MIN // -1 = 2^31 wraps


def floor_mod(a, b):
    a, b = s32(a), s32(b)
    if b == 0:
        return u32(a)
    return u32(a % b)  # Python's % takes the sign of b


def collatz_gen(n, d, m, limit):
    n, d, m, limit = s32(n), s32(d), s32(m), s32(limit)
    if d in (0, -1):
        return 0
    steps = 0
    while steps < limit and abs(n) > 1:
        if n % d == 0:
            n = n // d  # exact, so floor == truncation
        else:
            n = s32(m * n + 1)
        steps += 1
    return u32(steps)


# ------------------------------------------------------------------ alu
def alu(op, a, b):
    sa, sb = s32(a), s32(b)
    sh = b & 31

    def sdiv():
        if b == 0:
            return 0
        q = abs(sa) // abs(sb)
        return u32(q if (sa < 0) == (sb < 0) else -q)  # truncating

    def srem():
        if b == 0:
            return 0
        r = abs(sa) % abs(sb)
        return u32(-r if sa < 0 else r)  # sign of the dividend

    table = {
        0: lambda: u32(a + b),
        1: lambda: u32(a - b),
        2: lambda: u32(a * b),
        3: sdiv,
        4: lambda: 0 if b == 0 else a // b,
        5: srem,
        6: lambda: 0 if b == 0 else a % b,
        7: lambda: a & b,
        8: lambda: a | b,
        9: lambda: u32(a << sh),
        10: lambda: u32(sa >> sh),
        11: lambda: a >> sh,
        12: lambda: rotl(a, b),
        13: lambda: rotr(a, b),
        14: lambda: 32 - a.bit_length(),
        15: lambda: 32 if a == 0 else (a & -a).bit_length() - 1,
        16: lambda: bin(a).count("1"),
        17: lambda: int(a == 0),
        18: lambda: int(a == b),
        19: lambda: int(a != b),
        20: lambda: int(sa < sb),
        21: lambda: int(a < b),
        22: lambda: int(sa > sb),
        23: lambda: int(a > b),
        24: lambda: int(sa <= sb),
        25: lambda: int(a <= b),
        26: lambda: int(sa >= sb),
        27: lambda: int(a >= b),
        28: lambda: a ^ b,
    }
    return table.get(op, lambda: 0xDEADBEEF)()


# ------------------------------------------------------------------ control
def sign(x):
    x = s32(x)
    return u32(-1 if x < 0 else (0 if x == 0 else 1))


def clamp(x, lo, hi):
    x, lo, hi = s32(x), s32(lo), s32(hi)
    if x < lo:
        return u32(lo)
    return u32(hi if x > hi else x)


def bucket(x):
    return {0: 10, 1: 20, 2: 30}.get(x, 40 + (x & 7))


def tri(n):
    return u32(n * (n + 1) // 2)


def is_prime(n):
    if n < 2:
        return 0
    return int(all(n % d for d in range(2, math.isqrt(n) + 1)))


def count_primes(n):
    return sum(is_prime(i) for i in range(n))


def gcd_sub(a, b):
    return math.gcd(a, b)


def mad(a, b, c):
    return u32(a * b + c)


def answer():
    return 42


# ================================================================== wide
# Executor-only contracts (linear memory, i64, globals): SHA-256 comes from
# hashlib, the generators and the sort are plain Python. Every case runs on a
# fresh instance, so the readers of the state a previous call left in memory
# (digest_word, sorted_hi, sorted_lo) see zero-initialised memory.

# ------------------------------------------------------------------ sha256
SHA256_MSG_MAX = 65536


def sha256_message(length, seed):
    """The generated message: 32-bit LCG, byte i = top byte of state i+1."""
    x, out = seed, bytearray()
    for _ in range(length):
        x = u32(x * 1664525 + 1013904223)
        out.append(x >> 24)
    return bytes(out)


def digest_words(digest):
    return [int.from_bytes(digest[4 * i:4 * i + 4], "big") for i in range(8)]


def sha256_word(length, seed, i):
    if i >= 8:
        return 0
    return digest_words(hashlib.sha256(sha256_message(min(length, SHA256_MSG_MAX), seed)).digest())[i]


def sha256_gen(length, seed):
    return sha256_word(length, seed, 0)


def sha256_stream(length, seed):
    """Word 0 of the digest of the whole message, of any length (no cap)."""
    return digest_words(hashlib.sha256(sha256_message(length, seed)).digest())[0]


def digest_word(i):
    return 0  # fresh instance: no digest has been taken


# ------------------------------------------------------------------ sort
SORT_CAP = 4096


def sort_values(n, seed):
    x = ((seed << 32) ^ 0x9E3779B97F4A7C15) & M64
    values = []
    for _ in range(min(n, SORT_CAP)):
        x ^= x >> 12
        x ^= (x << 25) & M64
        x ^= x >> 27
        values.append((x * 0x2545F4914F6CDD1D) & M64)
    return sorted(values)


def sort_gen(n, seed):
    values = sort_values(n, seed)
    h = len(values)
    for i, v in enumerate(values):
        h = u32((h ^ ((v ^ (v >> 32)) & M32)) * 0x01000193 + i)
    return h


def sort_element(n, seed, i):
    values = sort_values(n, seed)
    return values[i] if i < len(values) else 0


def sort_hi(n, seed, i):
    return sort_element(n, seed, i) >> 32


def sort_lo(n, seed, i):
    return sort_element(n, seed, i) & M32


def sorted_hi(i):
    return 0  # fresh instance: nothing sorted yet


def sorted_lo(i):
    return 0


# ------------------------------------------------------------------ merkle
MERKLE_MAX_DEPTH = 10


def merkle_leaf(seed, i):
    v = (seed * 0x9E3779B97F4A7C15 + i) & M64
    return hashlib.sha256(v.to_bytes(8, "little")).digest()


def merkle_levels(depth, seed):
    """levels[0] = leaves, levels[depth] = [root]."""
    levels = [[merkle_leaf(seed, i) for i in range(1 << depth)]]
    while len(levels[-1]) > 1:
        below = levels[-1]
        levels.append([hashlib.sha256(below[k] + below[k + 1]).digest()
                       for k in range(0, len(below), 2)])
    return levels


def merkle_verify(seed, leaf_index, path, root):
    h = merkle_leaf(seed, leaf_index)
    for level, sibling in enumerate(path):
        if (leaf_index >> level) & 1:
            h = hashlib.sha256(sibling + h).digest()
        else:
            h = hashlib.sha256(h + sibling).digest()
    return int(h == root)


def merkle_run(depth, leaf_index, seed, tamper):
    if depth > MERKLE_MAX_DEPTH or leaf_index >= 1 << depth:
        return 0
    levels = merkle_levels(depth, seed)
    root = levels[depth][0]
    path = [bytearray(levels[level][(leaf_index >> level) ^ 1]) for level in range(depth)]
    if tamper:
        if depth == 0:
            root = root[:31] + bytes([root[31] ^ 1])
        else:
            path[leaf_index % depth][31] ^= 1
    return merkle_verify(seed, leaf_index, [bytes(p) for p in path], root)


def merkle_check(depth, leaf_index, seed):
    return merkle_run(depth, leaf_index, seed, False)


def merkle_tamper(depth, leaf_index, seed):
    return merkle_run(depth, leaf_index, seed, True)


def merkle_root_word(depth, seed, w):
    if depth > MERKLE_MAX_DEPTH or w >= 8:
        return 0
    return digest_words(merkle_levels(depth, seed)[depth][0])[w]


# ------------------------------------------------------------------ dispatch
# A stack machine stepped through a handler table; modelled with a plain
# if/elif chain over the opcodes (the table and the trait objects are what the
# contract exercises, not what it computes).
DISPATCH_LEN = 64


def rotl64(x, k):
    k &= 63
    return ((x << k) | (x >> (64 - k))) & M64 if k else x


def dispatch_program(seed):
    x, prog = seed, []
    for _ in range(DISPATCH_LEN):
        x = u32(x * 1103515245 + 12345)
        prog.append((x >> 16) & 0xFF)
    return prog


class StackMachine:
    def __init__(self, slots, sp, pc, acc):
        self.s, self.sp, self.pc, self.acc = list(slots), sp, pc, acc

    def step(self, byte):
        """Runs one instruction (no fetch)."""
        op, k, s = byte & 7, byte >> 3, self.s
        top = self.sp & 7
        below = (self.sp - 1) & 7
        if op == 0:  # push k
            self.sp = u32(self.sp + 1)
            s[self.sp & 7] = k
        elif op in (1, 2, 3):  # binary: a = pop, then combine into the new top
            a = s[top]
            self.sp = u32(self.sp - 1)
            x = s[below]
            if op == 1:
                s[below] = (x + a) & M64
            elif op == 2:
                s[below] = (x * a) & M64
            else:
                s[below] = rotl64(x, a & 63) ^ a
        elif op == 4:  # dup
            v = s[top]
            self.sp = u32(self.sp + 1)
            s[self.sp & 7] = v
        elif op == 5:  # swap
            s[top], s[below] = s[below], s[top]
        elif op == 6:  # jump k if the top is odd
            if s[top] & 1:
                self.pc = (self.pc + k) % DISPATCH_LEN
        else:  # mix the popped top into acc
            self.acc = ((self.acc ^ s[top]) * 0x100000001B3) & M64
            self.sp = u32(self.sp - 1)

    def digest(self):
        return self.s[self.sp & 7] ^ rotl64(self.acc, 17) ^ (self.sp << 32) ^ self.pc


def dispatch_run(seed, steps):
    prog = dispatch_program(seed)
    vm = StackMachine([0] * 8, 0, 0, 0xCBF29CE484222325 ^ seed)
    for _ in range(steps):
        byte = prog[vm.pc]
        vm.pc = (vm.pc + 1) % DISPATCH_LEN
        vm.step(byte)
    return vm.digest()


def run_lo(seed, steps):
    return dispatch_run(seed, steps) & M32


def run_hi(seed, steps):
    return dispatch_run(seed, steps) >> 32


def op1(byte, a, b):
    vm = StackMachine([a, b, 0, 0, 0, 0, 0, 0], 1, 0, 0)
    vm.step(byte & 0xFF)
    return vm.digest() & M32


def program_byte(seed, i):
    return dispatch_program(seed)[i % DISPATCH_LEN]


# ------------------------------------------------------------------ startup
# The tables the start function copies in are computed here from their
# definitions: the AES S-box from the inverse in GF(2^8) and the affine map
# (FIPS 197, 5.1.1), the SHA-256 constants from the cube roots of the first 16
# primes (FIPS 180-4, 4.2.2).
STARTUP_TAG = b"Gloam startup!\x00\x00"  # the active segment at 0x140
STARTUP_EXTENT = 0x150


def gf_mul(a, b):
    r = 0
    while b:
        if b & 1:
            r ^= a
        a <<= 1
        if a & 0x100:
            a ^= 0x11B
        b >>= 1
    return r


def aes_sbox():
    inverse = [0] * 256
    for a in range(1, 256):
        for x in range(1, 256):
            if gf_mul(a, x) == 1:
                inverse[a] = x
                break
    out = []
    for a in range(256):
        b = inverse[a]
        s = b
        for k in range(1, 5):
            s ^= ((b << k) | (b >> (8 - k))) & 0xFF
        out.append(s ^ 0x63)
    return out


def icbrt(n):
    lo, hi = 0, 1 << ((n.bit_length() + 2) // 3 + 1)
    while lo < hi:  # largest r with r**3 <= n
        mid = (lo + hi + 1) // 2
        if mid ** 3 <= n:
            lo = mid
        else:
            hi = mid - 1
    return lo


def sha256_k(count):
    primes = [p for p in range(2, 320) if all(p % d for d in range(2, p))][:count]
    return [icbrt(p << 96) & M32 for p in primes]  # fractional part, 32 bits


SBOX = aes_sbox()
K16 = sha256_k(16)
STARTUP_MEMORY = bytes(SBOX) + b"".join(k.to_bytes(4, "little") for k in K16) + STARTUP_TAG
assert len(STARTUP_MEMORY) == STARTUP_EXTENT


def ready():
    return 1  # the start function ran before the call


def sbox_sum():
    return u32(sum(v * (i + 1) for i, v in enumerate(SBOX)))


def lookup(i):
    return SBOX[i] if i < 256 else M32


def sub_word(w):
    return sum(SBOX[(w >> (8 * j)) & 0xFF] << (8 * j) for j in range(4))


def word(i):
    return K16[i] if i < 16 else 0


def checksum(n):
    h = 0x811C9DC5
    for byte in STARTUP_MEMORY[:min(n, STARTUP_EXTENT)]:
        h = u32((h ^ byte) * 0x01000193)
    return h


FUNCS = {
    "fib": fib, "gcd": gcd, "isqrt": isqrt, "ack": ack, "fib_rec": fib_rec,
    "fmix32": fmix32, "mix": mix, "collatz": collatz,
    "collatz_peak": collatz_peak, "floor_div": floor_div,
    "floor_mod": floor_mod, "collatz_gen": collatz_gen, "alu": alu,
    "sign": sign, "clamp": clamp, "bucket": bucket, "tri": tri,
    "is_prime": is_prime, "count_primes": count_primes, "gcd_sub": gcd_sub,
    "mad": mad, "answer": answer,
    "sha256_gen": sha256_gen, "digest_word": digest_word,
    "sha256_word": sha256_word, "sha256_stream": sha256_stream, "sort_gen": sort_gen, "sorted_hi": sorted_hi,
    "sorted_lo": sorted_lo, "sort_hi": sort_hi, "sort_lo": sort_lo,
    "merkle_check": merkle_check, "merkle_tamper": merkle_tamper,
    "merkle_root_word": merkle_root_word,
    "run_lo": run_lo, "run_hi": run_hi, "op1": op1, "program_byte": program_byte,
    "ready": ready, "sbox_sum": sbox_sum, "lookup": lookup, "sub_word": sub_word,
    "word": word, "checksum": checksum,
}

NEG = lambda x: u32(-x)  # noqa: E731  (two's-complement spelling of -x)

# (contract, export, args) -- comment lines are plain strings.
MANIFEST = [
    "# fib: fib(0) = 0, fib(1) = 1; fib(48) is the first value that wraps mod 2^32",
    ("fib", "fib", [0]),
    ("fib", "fib", [1]),
    ("fib", "fib", [10]),
    ("fib", "fib", [48]),
    ("fib", "fib", [100]),
    "# gcd: Euclid; gcd(x, 0) = x, gcd(0, y) = y, consecutive Fibonacci numbers are the worst case",
    ("gcd", "gcd", [48, 18]),
    ("gcd", "gcd", [M32, 0]),
    ("gcd", "gcd", [0, 7]),
    ("gcd", "gcd", [0, 0]),
    ("gcd", "gcd", [M32, M32 - 1]),
    ("gcd", "gcd", [4294967290, 4294967280]),
    ("gcd", "gcd", [1836311903, 2971215073]),
    "# isqrt: largest r with r*r <= n",
    ("isqrt", "isqrt", [0]),
    ("isqrt", "isqrt", [1]),
    ("isqrt", "isqrt", [15]),
    ("isqrt", "isqrt", [16]),
    ("isqrt", "isqrt", [1000000]),
    ("isqrt", "isqrt", [4294836225]),
    ("isqrt", "isqrt", [4294836224]),
    ("isqrt", "isqrt", [M32]),
    "# recursive: Ackermann (n + 1 wraps mod 2^32) and naive doubly-recursive Fibonacci",
    ("recursive", "ack", [0, 0]),
    ("recursive", "ack", [0, M32]),
    ("recursive", "ack", [1, 5]),
    ("recursive", "ack", [2, 3]),
    ("recursive", "fib_rec", [0]),
    ("recursive", "fib_rec", [1]),
    ("recursive", "fib_rec", [8]),
    "# hash: mix(seed, rounds) = fmix32(murmur3 rounds over the counter, xor rounds)",
    ("hash", "mix", [0, 0]),
    ("hash", "mix", [0, 1]),
    ("hash", "mix", [0x12345678, 10]),
    ("hash", "mix", [M32, 50]),
    ("hash", "fmix32", [0]),
    ("hash", "fmix32", [1]),
    ("hash", "fmix32", [M32]),
    "# collatz: steps to reach 1 (0 for n = 0 and n = 1; 4294967295 if 3n+1 overflows u32)",
    ("collatz", "collatz", [0]),
    ("collatz", "collatz", [1]),
    ("collatz", "collatz", [7]),
    ("collatz", "collatz", [9]),
    ("collatz", "collatz", [M32]),
    ("collatz", "collatz", [2147483648]),
    ("collatz", "collatz_peak", [7]),
    ("collatz", "collatz_peak", [0]),
    ("collatz", "collatz_peak", [1431655765]),
    "# collatz: signed floor division / modulo (Python semantics; b = 0 and INT_MIN / -1 are defined)",
    ("collatz", "floor_div", [NEG(7), 2]),
    ("collatz", "floor_div", [7, NEG(2)]),
    ("collatz", "floor_div", [NEG(7), NEG(2)]),
    ("collatz", "floor_div", [0x80000000, M32]),
    ("collatz", "floor_div", [5, 0]),
    ("collatz", "floor_mod", [NEG(7), 2]),
    ("collatz", "floor_mod", [7, NEG(2)]),
    ("collatz", "floor_mod", [0x80000000, M32]),
    ("collatz", "floor_mod", [5, 0]),
    "# collatz: generalised map (n/d if d | n else m*n + 1) on signed values, at most limit steps",
    ("collatz", "collatz_gen", [7, 2, 3, 1000]),
    ("collatz", "collatz_gen", [27, 2, 3, 40]),
    ("collatz", "collatz_gen", [NEG(27), 3, NEG(2), 100]),
    ("collatz", "collatz_gen", [1000, 10, 7, 5]),
    ("collatz", "collatz_gen", [12345, 0, 3, 100]),
    "# alu: alu(op, a, b) applies i32 operation number op (see alu/alu.c); out-of-range ops give 0xDEADBEEF",
    ("alu", "alu", [0, M32, 2]),
    ("alu", "alu", [1, 1, 2]),
    ("alu", "alu", [2, 0x10001, 0x10001]),
    ("alu", "alu", [3, NEG(7), 2]),
    ("alu", "alu", [3, 0x80000000, M32]),
    ("alu", "alu", [3, 7, 0]),
    ("alu", "alu", [4, M32, 16]),
    ("alu", "alu", [5, NEG(7), 2]),
    ("alu", "alu", [5, 0x80000000, M32]),
    ("alu", "alu", [6, M32, 10]),
    ("alu", "alu", [6, 5, 0]),
    ("alu", "alu", [7, 0xF0F0F0F0, 0xFF00FF00]),
    ("alu", "alu", [8, 0xF0F0F0F0, 0x0F0F0F0F]),
    ("alu", "alu", [9, 1, 35]),
    ("alu", "alu", [10, 0x80000000, 4]),
    ("alu", "alu", [11, 0x80000000, 4]),
    ("alu", "alu", [12, 0x80000001, 1]),
    ("alu", "alu", [13, 0x80000001, 1]),
    ("alu", "alu", [14, 1, 0]),
    ("alu", "alu", [14, 0, 0]),
    ("alu", "alu", [15, 0x80000000, 0]),
    ("alu", "alu", [15, 0, 0]),
    ("alu", "alu", [16, M32, 0]),
    ("alu", "alu", [17, 0, 0]),
    ("alu", "alu", [18, 5, 5]),
    ("alu", "alu", [19, 5, 5]),
    ("alu", "alu", [20, M32, 0]),
    ("alu", "alu", [21, M32, 0]),
    ("alu", "alu", [22, M32, 0]),
    ("alu", "alu", [23, M32, 0]),
    ("alu", "alu", [24, 3, 3]),
    ("alu", "alu", [25, 4, 3]),
    ("alu", "alu", [26, NEG(1), 0]),
    ("alu", "alu", [27, NEG(1), 0]),
    ("alu", "alu", [28, 0xFFFF0000, 0x00FFFF00]),
    ("alu", "alu", [29, 1, 2]),
    ("alu", "alu", [M32, 1, 2]),
    "# control: hand-written if/else, value-carrying br/br_if/br_table, drop, nop, select, calls",
    ("control", "answer", []),
    ("control", "sign", [NEG(5)]),
    ("control", "sign", [0]),
    ("control", "sign", [0x7FFFFFFF]),
    ("control", "clamp", [NEG(10), NEG(3), 7]),
    ("control", "clamp", [5, NEG(3), 7]),
    ("control", "clamp", [100, NEG(3), 7]),
    ("control", "bucket", [0]),
    ("control", "bucket", [1]),
    ("control", "bucket", [2]),
    ("control", "bucket", [M32]),
    ("control", "tri", [0]),
    ("control", "tri", [100]),
    ("control", "is_prime", [0]),
    ("control", "is_prime", [2]),
    ("control", "is_prime", [91]),
    ("control", "is_prime", [997]),
    ("control", "is_prime", [4294967295]),
    ("control", "count_primes", [30]),
    ("control", "gcd_sub", [0, 9]),
    ("control", "gcd_sub", [9, 0]),
    ("control", "gcd_sub", [84, 36]),
    ("control", "mad", [M32, M32, 5]),
]

BENCH = [
    "# One benchmark-size case per contract. gcd and isqrt cannot run long on 32-bit",
    "# inputs (these are their worst cases) and alu is straight-line code, so those",
    "# three stay small; the others run 10^4 to 10^5 instructions.",
    ("fib", "fib", [2000]),
    ("gcd", "gcd", [2971215073, 1836311903]),
    ("isqrt", "isqrt", [4294967295]),
    ("recursive", "fib_rec", [15]),
    ("hash", "mix", [0xDEADBEEF, 2000]),
    ("collatz", "collatz", [837799]),
    ("alu", "alu", [16, 0xDEADBEEF, 0]),
    ("control", "count_primes", [500]),
]

WIDE = [
    "# sha256: SHA-256 of len bytes of a 32-bit LCG (x = x * 1664525 + 1013904223; byte = x >> 24)",
    "# from seed; sha256_gen returns digest word 0 (big-endian), sha256_word(len, seed, w) word w.",
    "# Padding edges: 55 bytes fit one block, 56..63 need a second one, 64 is exactly one block.",
    ("sha256", "sha256_gen", [0, 0]),
    ("sha256", "sha256_word", [0, 12345, 7]),
    ("sha256", "sha256_gen", [1, 1]),
    ("sha256", "sha256_gen", [55, 2]),
    ("sha256", "sha256_word", [55, 2, 7]),
    ("sha256", "sha256_gen", [56, 3]),
    ("sha256", "sha256_word", [56, 3, 4]),
    ("sha256", "sha256_gen", [63, 4]),
    ("sha256", "sha256_gen", [64, 5]),
    ("sha256", "sha256_word", [64, 5, 7]),
    ("sha256", "sha256_gen", [65, 6]),
    ("sha256", "sha256_gen", [119, M32]),
    ("sha256", "sha256_word", [1000, 0xDEADBEEF, 3]),
    ("sha256", "sha256_word", [64, 5, 8]),
    "# every case runs on a fresh instance: nothing hashed yet, the digest in memory is still zero",
    ("sha256", "digest_word", [0]),
    "# benchmark size: SHA-256 of 4 KiB (64 blocks + 1 padding block)",
    ("sha256", "sha256_gen", [4096, 7]),
    ("sha256", "sha256_word", [4096, 7, 7]),
    "# sha256_stream: the same message without sha256_gen's 65,536-byte cap, generated and hashed",
    "# 65,536 bytes at a time (equal to sha256_gen up to the cap; 65,537 bytes cross a refill)",
    ("sha256", "sha256_stream", [0, 0]),
    ("sha256", "sha256_stream", [4096, 7]),
    ("sha256", "sha256_stream", [65537, 7]),
    "# sort: insertion sort of n xorshift64* values (u64) in linear memory; sort_gen returns the",
    "# checksum h = n; h = (h ^ lo32(v ^ v >> 32)) * 0x01000193 + i over the sorted values",
    "# (0xFFFFFFFF if unsorted); sort_hi / sort_lo(n, seed, i) give the halves of element i (0 if i >= n).",
    ("sort", "sort_gen", [0, 1]),
    ("sort", "sort_gen", [1, 1]),
    ("sort", "sort_gen", [2, 1]),
    ("sort", "sort_gen", [3, 0]),
    ("sort", "sort_gen", [10, 42]),
    ("sort", "sort_hi", [10, 42, 0]),
    ("sort", "sort_lo", [10, 42, 0]),
    ("sort", "sort_hi", [10, 42, 9]),
    ("sort", "sort_lo", [10, 42, 9]),
    ("sort", "sort_hi", [10, 42, 10]),
    ("sort", "sort_gen", [100, M32]),
    ("sort", "sort_hi", [100, M32, 50]),
    "# fresh instance: nothing sorted yet",
    ("sort", "sorted_hi", [0]),
    ("sort", "sorted_lo", [0]),
    "# benchmark size: insertion sort of 512 u64",
    ("sort", "sort_gen", [512, 7]),
    ("sort", "sort_hi", [512, 7, 511]),
    "# merkle: tree of 2^depth leaves, leaf(i) = SHA-256(le64(seed * 0x9e3779b97f4a7c15 + i)),",
    "# node = SHA-256(left || right); merkle_check verifies leaf_index's authentication path (1),",
    "# merkle_tamper flips one bit of it first (0); out-of-range depth (> 10) or leaf index give 0.",
    ("merkle", "merkle_check", [0, 0, 1]),
    ("merkle", "merkle_check", [1, 0, 1]),
    ("merkle", "merkle_check", [1, 1, 1]),
    ("merkle", "merkle_check", [3, 5, 2]),
    ("merkle", "merkle_check", [5, 17, 3]),
    ("merkle", "merkle_check", [5, 32, 3]),
    ("merkle", "merkle_check", [11, 0, 3]),
    ("merkle", "merkle_root_word", [0, 1, 0]),
    ("merkle", "merkle_root_word", [1, 1, 7]),
    ("merkle", "merkle_root_word", [4, 9, 3]),
    ("merkle", "merkle_root_word", [4, 9, 8]),
    ("merkle", "merkle_tamper", [0, 0, 1]),
    ("merkle", "merkle_tamper", [1, 1, 1]),
    ("merkle", "merkle_tamper", [5, 17, 3]),
    ("merkle", "merkle_check", [4, 15, 0xDEADBEEF]),
    ("merkle", "merkle_root_word", [2, 0xDEADBEEF, 0]),
    "# dispatch: a stack machine (8-slot u64 ring, acc) whose 8 opcode handlers are called through",
    "# trait objects (call_indirect); run_lo / run_hi(seed, steps) give the halves of the digest",
    "# S[sp] ^ rotl64(acc, 17) ^ sp << 32 ^ pc after steps steps of seed's 64-byte LCG program.",
    ("dispatch", "program_byte", [1, 0]),
    ("dispatch", "program_byte", [1, 63]),
    ("dispatch", "program_byte", [0xDEADBEEF, 64]),
    "# op1(byte, a, b): one instruction (opcode byte & 7, operand byte >> 3) on s[0] = a, s[1] = b, sp = 1",
    ("dispatch", "op1", [5 << 3 | 0, 7, 9]),
    ("dispatch", "op1", [0x100 | 5 << 3 | 0, 7, 9]),
    ("dispatch", "op1", [1, M32, 1]),
    ("dispatch", "op1", [1, 0x12345678, 0x11111111]),
    ("dispatch", "op1", [2, 0x10001, 0xFFFF]),
    ("dispatch", "op1", [3, 0x80000001, 4]),
    ("dispatch", "op1", [3, 1, 63]),
    ("dispatch", "op1", [4, 1, 0xDEADBEEF]),
    ("dispatch", "op1", [5, 1, 2]),
    ("dispatch", "op1", [9 << 3 | 6, 1, 3]),
    ("dispatch", "op1", [9 << 3 | 6, 1, 2]),
    ("dispatch", "op1", [31 << 3 | 6, 1, M32]),
    ("dispatch", "op1", [7, 5, 6]),
    "# runs: 0 steps is the initial digest; the stack pointer wraps (the ring never overflows)",
    ("dispatch", "run_lo", [0, 0]),
    ("dispatch", "run_hi", [0, 0]),
    ("dispatch", "run_lo", [1, 1]),
    ("dispatch", "run_hi", [1, 1]),
    ("dispatch", "run_lo", [1, 64]),
    ("dispatch", "run_hi", [1, 64]),
    ("dispatch", "run_lo", [42, 1000]),
    ("dispatch", "run_hi", [42, 1000]),
    ("dispatch", "run_lo", [M32, 333]),
    ("dispatch", "run_hi", [0xDEADBEEF, 777]),
    "# benchmark size: 10,000 interpreted instructions",
    ("dispatch", "run_lo", [7, 10000]),
    ("dispatch", "run_hi", [7, 10000]),
    "# startup: the start function copies the AES S-box (0x000) and SHA-256 K[0..16] (0x100, LE) from",
    "# passive data segments (memory.init, then data.drop), sets $sbox_sum = sum S[i] * (i + 1) and",
    "# $ready = 1; an active segment holds \"Gloam startup!\\0\\0\" at 0x140. checksum(n) is FNV-1a of",
    "# the first min(n, 0x150) bytes of memory; lookup gives 0xFFFFFFFF and word 0 out of range.",
    ("startup", "ready", []),
    ("startup", "sbox_sum", []),
    ("startup", "lookup", [0]),
    ("startup", "lookup", [1]),
    ("startup", "lookup", [0x53]),
    ("startup", "lookup", [255]),
    ("startup", "lookup", [256]),
    ("startup", "lookup", [M32]),
    ("startup", "sub_word", [0]),
    ("startup", "sub_word", [0x01020304]),
    ("startup", "sub_word", [M32]),
    ("startup", "word", [0]),
    ("startup", "word", [7]),
    ("startup", "word", [8]),
    ("startup", "word", [15]),
    ("startup", "word", [16]),
    ("startup", "word", [M32]),
    ("startup", "checksum", [0]),
    ("startup", "checksum", [1]),
    ("startup", "checksum", [256]),
    ("startup", "checksum", [320]),
    ("startup", "checksum", [334]),
    ("startup", "checksum", [336]),
    ("startup", "checksum", [M32]),
]

HEADER = """\
# Gloam example-contract test cases. Generated by tools/reference.py from an
# independent Python model of each contract: do not edit by hand.
#
# Format, one case a line, whitespace separated:
#   <contract> <export> <args> <expected-results>
# <contract> is the folder examples/<contract>/ holding <contract>.wasm;
# <args> and <expected-results> are comma-separated u32 values in decimal
# (negative i32 values are written as their two's-complement u32), or `-`
# for none. Lines starting with `#` are comments; blank lines are ignored.
"""


def render(cases, title):
    lines = [HEADER.rstrip("\n"), "#"] + ["# " + t if t else "#" for t in title.split("\n")] + [""]
    for case in cases:
        if isinstance(case, str):
            if lines[-1] and not lines[-1].startswith("#"):
                lines.append("")
            lines.append(case)
            continue
        contract, export, args = case
        result = FUNCS[export](*args)
        assert 0 <= result <= M32, (case, result)
        assert all(0 <= a <= M32 for a in args), case
        arg_text = ",".join(str(a) for a in args) if args else "-"
        lines.append("%s %s %s %d" % (contract, export, arg_text, result))
    return "\n".join(lines) + "\n"


WIDE_TITLE = """\
Cases of the executor-only contracts sha256, sort, merkle, dispatch and
startup, which use linear memory, i64 and globals (the __stack_pointer of
the shadow stack), call_indirect through a function table (dispatch), a start
function and passive data segments (startup): Gloam's executor runs them, the
prover does not cover them yet. Small and edge cases plus the benchmark sizes
sha256_gen 4096, sort_gen 512 and dispatch run_lo 7,10000.
Every case runs on a fresh instance (zero-initialised memory, then the active
data segments and the start function, if any)."""


def self_test():
    # A few textbook values, so that a slip in a model is caught here.
    assert [fib(i) for i in range(10)] == [0, 1, 1, 2, 3, 5, 8, 13, 21, 34]
    assert fib(47) == 2971215073
    assert ack(2, 3) == 9 and ack(3, 3) == 61 and ack(1, 5) == 7
    assert collatz(27) == 111 and collatz_peak(27) == 9232
    assert collatz(837799) == 524
    assert isqrt(M32) == 65535
    assert fmix32(0) == 0
    assert floor_div(u32(-7), 2) == u32(-4) and floor_mod(u32(-7), 2) == 1
    assert alu(3, u32(-7), 2) == u32(-3) and alu(5, u32(-7), 2) == u32(-1)
    assert alu(14, 1, 0) == 31 and alu(15, 8, 0) == 3
    assert count_primes(30) == 10 and is_prime(4294967291) == 1 and is_prime(997) == 1 and tri(100) == 5050
    # FIPS 180-4 / NIST example values, and the generators' first outputs.
    assert sha256_gen(0, 99) == 0xE3B0C442 and sha256_word(0, 0, 7) == 0x7852B855
    assert digest_words(hashlib.sha256(b"abc").digest())[0] == 0xBA7816BF
    assert sha256_message(2, 0) == bytes([0x3C, 0x47])  # 1013904223 >> 24, then one more LCG step
    assert sort_gen(0, 5) == 0 and all(sort_gen(n, 3) != M32 for n in (1, 50))
    assert merkle_check(4, 9, 1) == 1 and merkle_tamper(4, 9, 1) == 0
    assert merkle_root_word(0, 1, 0) == digest_words(merkle_leaf(1, 0))[0]
    # FIPS 197 S-box and FIPS 180-4 constants; the first values of the LCG program.
    assert SBOX[:4] == [0x63, 0x7C, 0x77, 0x7B] and SBOX[0x53] == 0xED and SBOX[255] == 0x16
    assert sorted(SBOX) == list(range(256)) and sbox_sum() != 0
    assert K16[0] == 0x428A2F98 and K16[15] == 0xC19BF174
    assert word(0) == sha256_k(64)[0] and sha256_k(64)[63] == 0xC67178F2
    assert checksum(0) == 0x811C9DC5
    assert dispatch_program(0)[0] == (12345 >> 16) & 0xFF
    assert op1(5 << 3, 7, 9) == 5 and op1(5, 1, 2) == 1 and op1(4, 1, 0xDEADBEEF) == 0xDEADBEEF
    assert op1(9 << 3 | 6, 1, 3) == 3 ^ 9 and op1(9 << 3 | 6, 1, 2) == 2
    assert dispatch_run(0, 0) == rotl64(0xCBF29CE484222325, 17)


def main():
    check = sys.argv[1:] == ["--check"]
    if sys.argv[1:] not in ([], ["--check"]):
        raise SystemExit(__doc__)
    self_test()
    outputs = {
        "manifest.txt": render(MANIFEST, "Small cases: each runs in at most ~2000 executed wasm instructions."),
        "bench.txt": render(BENCH, "Benchmark-size cases (same format as manifest.txt)."),
        "wide.txt": render(WIDE, WIDE_TITLE),
    }
    status = 0
    for name, text in outputs.items():
        path = os.path.join(HERE, name)
        if check:
            try:
                with open(path) as f:
                    current = f.read()
            except FileNotFoundError:
                current = None
            if current != text:
                print("%s: differs from tools/reference.py (run it without --check)" % name)
                status = 1
            else:
                print("%s: OK" % name)
        else:
            with open(path, "w") as f:
                f.write(text)
            print("wrote %s" % path)
    sys.exit(status)


if __name__ == "__main__":
    main()
