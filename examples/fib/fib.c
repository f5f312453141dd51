/* fib: iterative Fibonacci modulo 2^32.
 *
 * fib(0) = 0, fib(1) = 1, fib(n) = fib(n-1) + fib(n-2)  (mod 2^32).
 *
 * The loop body is deliberately tiny (one add, two moves, one decrement and
 * the back-edge test): it is used by benchmarks that measure proving cost
 * per loop iteration. Unrolling is disabled so the executed-instruction
 * count grows exactly linearly with n.
 */
unsigned fib(unsigned n) {
    unsigned a = 0, b = 1;
#pragma clang loop unroll(disable) vectorize(disable)
    while (n != 0) {
        unsigned t = a + b;
        a = b;
        b = t;
        n--;
    }
    return a;
}
