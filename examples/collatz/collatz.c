/* collatz: Collatz ("3n + 1") sequences, plus a few signed-arithmetic helpers.
 *
 * All exports take and return 32-bit integers only, and use no memory.
 */

#define OVERFLOW 0xFFFFFFFFu

/* Number of steps for n to reach 1 (n -> n/2 if n is even, n -> 3n+1 if odd).
 * collatz(0) = 0 and collatz(1) = 0.
 * If an intermediate 3n+1 would not fit in 32 bits, returns 0xFFFFFFFF. */
unsigned collatz(unsigned n) {
    unsigned steps = 0;
    if (n == 0)
        return 0;
    while (n != 1) {
        if (n % 2u == 0) {
            n = n / 2u;
        } else {
            if (n > (OVERFLOW - 1u) / 3u)
                return OVERFLOW;
            n = 3u * n + 1u;
        }
        steps++;
    }
    return steps;
}

/* Largest value reached by the sequence starting at n (n itself included),
 * or 0xFFFFFFFF if an intermediate value would overflow. collatz_peak(0) = 0. */
unsigned collatz_peak(unsigned n) {
    unsigned peak = n;
    if (n == 0)
        return 0;
    while (n != 1) {
        if (n & 1u) {
            if (n > (OVERFLOW - 1u) / 3u)
                return OVERFLOW;
            n = 3u * n + 1u;
        } else {
            n >>= 1;
        }
        peak = n > peak ? n : peak;
    }
    return peak;
}

/* Signed floor division (rounds toward negative infinity), as in Python's //.
 * Defined for every input: b == 0 gives 0, and INT_MIN / -1 wraps to INT_MIN
 * (so the i32.div_s trap cases are never reached). */
int floor_div(int a, int b) {
    if (b == 0)
        return 0;
    if (b == -1)
        return (int)(0u - (unsigned)a);
    int q = a / b;
    int r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        q--;
    return q;
}

/* Signed floor modulo (result has the sign of b), as in Python's %.
 * b == 0 gives a; b == -1 gives 0. */
int floor_mod(int a, int b) {
    if (b == 0)
        return a;
    if (b == -1)
        return 0;
    int r = a % b;
    if (r != 0 && ((r < 0) != (b < 0)))
        r += b;
    return r;
}

/* Number of steps of the generalised Collatz map on signed integers:
 * n -> n / d (signed, exact) if d divides n, else n -> m*n + 1 (wrapping),
 * until |n| <= 1 or `limit` steps were taken. Exercises div_s/rem_s,
 * signed comparisons and wrapping multiplication. Returns the step count. */
int collatz_gen(int n, int d, int m, int limit) {
    int steps = 0;
    if (d == 0 || d == -1)
        return 0;
    while (steps < limit && (n > 1 || n < -1)) {
        if (n % d == 0)
            n = n / d;
        else
            n = (int)((unsigned)m * (unsigned)n + 1u);
        steps++;
    }
    return steps;
}
