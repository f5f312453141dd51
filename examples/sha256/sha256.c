/* sha256: SHA-256 (FIPS 180-4) of a message generated in linear memory.
 *
 * Executor-only contract: it uses linear memory (byte and word loads and
 * stores), i64 (the 64-bit message bit-length) and the __stack_pointer
 * global (the message schedule W[64] is a stack array). The prover does not
 * cover these yet; see examples/README.md.
 *
 * Message generator (a 32-bit LCG, Numerical Recipes constants):
 *
 *     x = seed
 *     for i in 0..len:  x = x * 1664525 + 1013904223  (mod 2^32)
 *                       msg[i] = x >> 24
 *
 * sha256_gen caps len at 65536 (the size of the static message buffer);
 * sha256_stream takes any length, generating and hashing the same message
 * 65536 bytes at a time through that buffer (the long runs of the segment
 * benchmarks: about 74 cycles a byte, so 2^24 cycles hash about 220 KB).
 *
 * Exports (all i32 in, i32 out):
 *   sha256_gen(len, seed)     generate the message, hash it, keep the digest
 *                             in memory; returns digest bytes 0..3 as a
 *                             big-endian u32 (= digest word 0)
 *   digest_word(i)            word i (0..7, big-endian) of the last digest;
 *                             0 for i >= 8, and 0 before any hash was taken
 *   sha256_word(len, seed, i) sha256_gen(len, seed), then digest_word(i): a
 *                             self-contained call for test cases that each
 *                             run on a fresh instance
 *   sha256_stream(len, seed)  as sha256_gen, for any len up to 2^32 - 1
 *                             (equal to sha256_gen for len <= 65536)
 *
 * The hash keeps a streaming context in memory like a library would: the
 * chaining state h[8], a 64-byte block buffer and the 64-bit message length
 * in bits (a uint64_t, appended big-endian in the final padding block).
 */
#include <stdint.h>

#define MSG_MAX 65536u

static uint8_t msg[MSG_MAX];
static uint32_t digest[8];

typedef struct {
    uint32_t h[8];
    uint64_t bitlen;   /* total message length in bits, mod 2^64 */
    uint32_t fill;     /* bytes waiting in buf (0..63) */
    uint8_t buf[64];
} sha256_ctx;

static sha256_ctx ctx;

static const uint32_t K[64] = {
    0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5, 0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
    0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3, 0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
    0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc, 0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
    0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7, 0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
    0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13, 0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
    0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3, 0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
    0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5, 0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
    0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208, 0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

static uint32_t rotr(uint32_t x, unsigned k) { return (x >> k) | (x << (32 - k)); }

/* One compression of the 64-byte block p into ctx.h. */
__attribute__((noinline)) static void compress(const uint8_t *p) {
    uint32_t w[64];
    unsigned i;
#pragma clang loop unroll(disable)
    for (i = 0; i < 16; i++)
        w[i] = (uint32_t)p[4 * i] << 24 | (uint32_t)p[4 * i + 1] << 16 |
               (uint32_t)p[4 * i + 2] << 8 | (uint32_t)p[4 * i + 3];
#pragma clang loop unroll(disable)
    for (i = 16; i < 64; i++) {
        uint32_t s0 = rotr(w[i - 15], 7) ^ rotr(w[i - 15], 18) ^ (w[i - 15] >> 3);
        uint32_t s1 = rotr(w[i - 2], 17) ^ rotr(w[i - 2], 19) ^ (w[i - 2] >> 10);
        w[i] = w[i - 16] + s0 + w[i - 7] + s1;
    }
    uint32_t a = ctx.h[0], b = ctx.h[1], c = ctx.h[2], d = ctx.h[3];
    uint32_t e = ctx.h[4], f = ctx.h[5], g = ctx.h[6], h = ctx.h[7];
#pragma clang loop unroll(disable)
    for (i = 0; i < 64; i++) {
        uint32_t S1 = rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25);
        uint32_t ch = (e & f) ^ (~e & g);
        uint32_t t1 = h + S1 + ch + K[i] + w[i];
        uint32_t S0 = rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22);
        uint32_t maj = (a & b) ^ (a & c) ^ (b & c);
        uint32_t t2 = S0 + maj;
        h = g; g = f; f = e; e = d + t1;
        d = c; c = b; b = a; a = t1 + t2;
    }
    ctx.h[0] += a; ctx.h[1] += b; ctx.h[2] += c; ctx.h[3] += d;
    ctx.h[4] += e; ctx.h[5] += f; ctx.h[6] += g; ctx.h[7] += h;
}

/* Always inlined, so that sha256_gen compiles as it did before sha256_stream
 * existed (its cycle counts are quoted in the benchmarks). */
__attribute__((always_inline)) static inline void sha256_init(void) {
    ctx.h[0] = 0x6a09e667; ctx.h[1] = 0xbb67ae85; ctx.h[2] = 0x3c6ef372; ctx.h[3] = 0xa54ff53a;
    ctx.h[4] = 0x510e527f; ctx.h[5] = 0x9b05688c; ctx.h[6] = 0x1f83d9ab; ctx.h[7] = 0x5be0cd19;
    ctx.bitlen = 0;
    ctx.fill = 0;
}

__attribute__((noinline)) static void sha256_update(const uint8_t *data, uint32_t len) {
    ctx.bitlen += (uint64_t)len << 3;
#pragma clang loop unroll(disable)
    while (len != 0) {
        if (ctx.fill == 0 && len >= 64) {
            compress(data);  /* whole block straight from the message */
            data += 64;
            len -= 64;
            continue;
        }
        ctx.buf[ctx.fill++] = *data++;
        len--;
        if (ctx.fill == 64) {
            compress(ctx.buf);
            ctx.fill = 0;
        }
    }
}

/* Append one byte to the block buffer; compress when it is full. */
static void put_byte(uint8_t b) {
    ctx.buf[ctx.fill++] = b;
    if (ctx.fill == 64) {
        compress(ctx.buf);
        ctx.fill = 0;
    }
}

/* Pad (0x80, zeros up to 56 mod 64, then the 64-bit big-endian bit length)
 * and write the digest words to out. Bytes go one at a time through
 * put_byte, so the compiler does not turn the zero fill into a call to
 * memset (there is no libc to link against). */
__attribute__((noinline)) static void sha256_final(uint32_t *out) {
    uint64_t bitlen = ctx.bitlen;
    uint8_t b = 0x80;
    unsigned i;
#pragma clang loop unroll(disable)
    do {
        put_byte(b);
        b = 0;
    } while (ctx.fill != 56);
#pragma clang loop unroll(disable)
    for (i = 0; i < 8; i++)
        put_byte((uint8_t)(bitlen >> (56 - 8 * i)));
#pragma clang loop unroll(disable)
    for (i = 0; i < 8; i++)
        out[i] = ctx.h[i];
}

uint32_t sha256_gen(uint32_t len, uint32_t seed) {
    uint32_t x = seed, i;
    if (len > MSG_MAX)
        len = MSG_MAX;
#pragma clang loop unroll(disable) vectorize(disable)
    for (i = 0; i < len; i++) {
        x = x * 1664525u + 1013904223u;
        msg[i] = (uint8_t)(x >> 24);
    }
    sha256_init();
    sha256_update(msg, len);
    sha256_final(digest);
    return digest[0];
}

uint32_t digest_word(uint32_t i) {
    return i < 8 ? digest[i] : 0;
}

uint32_t sha256_word(uint32_t len, uint32_t seed, uint32_t i) {
    sha256_gen(len, seed);
    return digest_word(i);
}

uint32_t sha256_stream(uint32_t len, uint32_t seed) {
    uint32_t x = seed, i, n;
    sha256_init();
#pragma clang loop unroll(disable)
    while (len != 0) {
        n = len < MSG_MAX ? len : MSG_MAX;
#pragma clang loop unroll(disable) vectorize(disable)
        for (i = 0; i < n; i++) {
            x = x * 1664525u + 1013904223u;
            msg[i] = (uint8_t)(x >> 24);
        }
        sha256_update(msg, n);
        len -= n;
    }
    sha256_final(digest);
    return digest[0];
}
