/* gcd: greatest common divisor by Euclid's algorithm with `%`.
 *
 * gcd(a, 0) = a, gcd(0, b) = b, gcd(0, 0) = 0.
 * Compiles to a loop around i32.rem_u.
 */
unsigned gcd(unsigned a, unsigned b) {
    while (b != 0) {
        unsigned t = a % b;
        a = b;
        b = t;
    }
    return a;
}
