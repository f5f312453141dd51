/* alu: a tiny interpreter over the prover's i32 ALU.
 *
 * alu(op, a, b) applies operation `op` to (a, b). The dense switch compiles to
 * an i32 `br_table`, and each arm to (mostly) one WebAssembly instruction, so
 * this one contract exercises almost the whole supported i32 instruction set.
 * Division and remainder are guarded so that no input can trap:
 * x / 0 and x % 0 give 0, INT_MIN / -1 gives INT_MIN and INT_MIN % -1 gives 0.
 * Unknown ops return 0xDEADBEEF.
 *
 *  op  result            op  result              op  result
 *   0  a + b              9  a << (b & 31)       18  a == b
 *   1  a - b             10  a >> (b & 31) (s)   19  a != b
 *   2  a * b             11  a >> (b & 31) (u)   20  a <  b (signed)
 *   3  a / b (signed)    12  rotl(a, b)          21  a <  b (unsigned)
 *   4  a / b (unsigned)  13  rotr(a, b)          22  a >  b (signed)
 *   5  a % b (signed)    14  clz(a)              23  a >  b (unsigned)
 *   6  a % b (unsigned)  15  ctz(a)              24  a <= b (signed)
 *   7  a & b             16  popcnt(a)           25  a <= b (unsigned)
 *   8  a | b             17  a == 0              26  a >= b (signed)
 *                                                27  a >= b (unsigned)
 *                                                28  a ^ b
 *  clz(0) = ctz(0) = 32. Comparisons return 0 or 1.
 */

typedef unsigned u32;
typedef int i32;

static u32 rotl32(u32 x, u32 k) {
    k &= 31u;
    return (x << k) | (x >> ((32u - k) & 31u));
}

static u32 rotr32(u32 x, u32 k) {
    k &= 31u;
    return (x >> k) | (x << ((32u - k) & 31u));
}

u32 alu(u32 op, u32 a, u32 b) {
    i32 sa = (i32)a, sb = (i32)b;
    switch (op) {
    case 0: return a + b;
    case 1: return a - b;
    case 2: return a * b;
    case 3:
        if (b == 0) return 0;
        if (sb == -1) return 0u - a;
        return (u32)(sa / sb);
    case 4: return b == 0 ? 0 : a / b;
    case 5:
        if (b == 0 || sb == -1) return 0;
        return (u32)(sa % sb);
    case 6: return b == 0 ? 0 : a % b;
    case 7: return a & b;
    case 8: return a | b;
    case 9: return a << (b & 31u);
    case 10: return (u32)(sa >> (b & 31u));
    case 11: return a >> (b & 31u);
    case 12: return rotl32(a, b);
    case 13: return rotr32(a, b);
    case 14: return a == 0 ? 32u : (u32)__builtin_clz(a);
    case 15: return a == 0 ? 32u : (u32)__builtin_ctz(a);
    case 16: return (u32)__builtin_popcount(a);
    case 17: return a == 0;
    case 18: return a == b;
    case 19: return a != b;
    case 20: return sa < sb;
    case 21: return a < b;
    case 22: return sa > sb;
    case 23: return a > b;
    case 24: return sa <= sb;
    case 25: return a <= b;
    case 26: return sa >= sb;
    case 27: return a >= b;
    case 28: return a ^ b;
    default: return 0xDEADBEEFu;
    }
}
