;; Out-of-line helpers of the i64 lowering (`isa/src/frontend/helpers.rs`).
;;
;; The front end lowers this module with the same lowering as user code (its i64 operators
;; expand inline into 32-bit instructions) and appends the functions a program calls, once,
;; after the program's own functions. An `i64` value occupies two consecutive 32-bit slots
;; (low word first), so `(param i64 i64)` is the four slots `al ah bl bh` and a result `i64`
;; the two slots `lo hi`: the caller's two stack operands are the helper's parameters as they
;; lie, and its results land where the caller's result goes.
;;
;; Callers check the traps first (division by zero, signed overflow), so no helper traps.
(module
  ;; divlu(u1, u0, v) -> (q, r) = ((u1:u0) / v, (u1:u0) % v) for u1 < v (then q < 2^32).
  ;; Hacker's Delight, 2nd edition, figure 9-3 ("divlu"): v is normalised so that its top bit
  ;; is set, and the two 16-bit quotient digits are estimated with a 32-bit division by the
  ;; divisor's top digit and corrected (at most twice each). Every intermediate value fits in
  ;; 32 bits: `q1 * vn0` and `rhat * 2^16` are evaluated only when `q1 < 2^16` and
  ;; `rhat < 2^16`.
  (func $divlu (export "__gloam_i64_divlu") (param $u1 i32) (param $u0 i32) (param $v i32) (result i32 i32)
    (local $s i32) (local $vn1 i32) (local $vn0 i32) (local $un32 i32) (local $un10 i32)
    (local $un1 i32) (local $un0 i32) (local $q1 i32) (local $q0 i32) (local $rhat i32)
    (local $un21 i32)
    (local.set $s (i32.clz (local.get $v)))
    (local.set $v (i32.shl (local.get $v) (local.get $s)))
    (local.set $vn1 (i32.shr_u (local.get $v) (i32.const 16)))
    (local.set $vn0 (i32.and (local.get $v) (i32.const 0xffff)))
    ;; un32 = (u1 << s) | (u0 >> (32 - s)), the second term 0 when s = 0
    (local.set $un32
      (i32.or
        (i32.shl (local.get $u1) (local.get $s))
        (select
          (i32.shr_u (local.get $u0) (i32.sub (i32.const 32) (local.get $s)))
          (i32.const 0)
          (local.get $s))))
    (local.set $un10 (i32.shl (local.get $u0) (local.get $s)))
    (local.set $un1 (i32.shr_u (local.get $un10) (i32.const 16)))
    (local.set $un0 (i32.and (local.get $un10) (i32.const 0xffff)))
    ;; first digit
    (local.set $q1 (i32.div_u (local.get $un32) (local.get $vn1)))
    (local.set $rhat (i32.rem_u (local.get $un32) (local.get $vn1)))
    (block $done1
      (loop $again1
        ;; while q1 >= 2^16 or q1 * vn0 > rhat * 2^16 + un1 (with rhat < 2^16): q1 -= 1
        (if (i32.lt_u (local.get $q1) (i32.const 0x10000))
          (then
            (br_if $done1
              (i32.le_u
                (i32.mul (local.get $q1) (local.get $vn0))
                (i32.add (i32.shl (local.get $rhat) (i32.const 16)) (local.get $un1))))))
        (local.set $q1 (i32.sub (local.get $q1) (i32.const 1)))
        (local.set $rhat (i32.add (local.get $rhat) (local.get $vn1)))
        (br_if $again1 (i32.lt_u (local.get $rhat) (i32.const 0x10000)))))
    ;; un21 = un32 * 2^16 + un1 - q1 * v (mod 2^32; the true value is below v)
    (local.set $un21
      (i32.sub
        (i32.add (i32.shl (local.get $un32) (i32.const 16)) (local.get $un1))
        (i32.mul (local.get $q1) (local.get $v))))
    ;; second digit
    (local.set $q0 (i32.div_u (local.get $un21) (local.get $vn1)))
    (local.set $rhat (i32.rem_u (local.get $un21) (local.get $vn1)))
    (block $done2
      (loop $again2
        (if (i32.lt_u (local.get $q0) (i32.const 0x10000))
          (then
            (br_if $done2
              (i32.le_u
                (i32.mul (local.get $q0) (local.get $vn0))
                (i32.add (i32.shl (local.get $rhat) (i32.const 16)) (local.get $un0))))))
        (local.set $q0 (i32.sub (local.get $q0) (i32.const 1)))
        (local.set $rhat (i32.add (local.get $rhat) (local.get $vn1)))
        (br_if $again2 (i32.lt_u (local.get $rhat) (i32.const 0x10000)))))
    ;; q = q1 * 2^16 + q0 ; r = (un21 * 2^16 + un0 - q0 * v) >> s
    (i32.add (i32.shl (local.get $q1) (i32.const 16)) (local.get $q0))
    (i32.shr_u
      (i32.sub
        (i32.add (i32.shl (local.get $un21) (i32.const 16)) (local.get $un0))
        (i32.mul (local.get $q0) (local.get $v)))
      (local.get $s)))

  ;; divu(a, b) -> (a / b, a % b), unsigned, for b != 0. Hacker's Delight, 2nd edition,
  ;; figure 9-5 ("udivdi3"): a divisor below 2^32 takes one or two 64/32 divisions (divlu);
  ;; a larger one gives a quotient below 2^32, estimated from a / 2 divided by the normalised
  ;; divisor's top word, too small by at most one after the decrement, and corrected.
  (func $divu (export "__gloam_i64_divu") (param $a i64) (param $b i64) (result i64 i64)
    (local $bh i32) (local $bl i32) (local $ah i32) (local $n i32) (local $q1 i32) (local $r1 i32)
    (local $qh i32) (local $u i64) (local $q i64) (local $r i64)
    (local.set $bh (i32.wrap_i64 (i64.shr_u (local.get $b) (i64.const 32))))
    (if (i32.eqz (local.get $bh))
      (then
        (local.set $bl (i32.wrap_i64 (local.get $b)))
        (local.set $ah (i32.wrap_i64 (i64.shr_u (local.get $a) (i64.const 32))))
        (if (i32.lt_u (local.get $ah) (local.get $bl))
          (then
            ;; the quotient fits in 32 bits: one division
            (call $divlu (local.get $ah) (i32.wrap_i64 (local.get $a)) (local.get $bl))
            (local.set $r1)
            (local.set $q1)
            (return (i64.extend_i32_u (local.get $q1)) (i64.extend_i32_u (local.get $r1)))))
        ;; two digits: qh = ah / bl, then (ah % bl : al) / bl
        (local.set $qh (i32.div_u (local.get $ah) (local.get $bl)))
        (call $divlu
          (i32.rem_u (local.get $ah) (local.get $bl))
          (i32.wrap_i64 (local.get $a))
          (local.get $bl))
        (local.set $r1)
        (local.set $q1)
        (return
          (i64.or
            (i64.shl (i64.extend_i32_u (local.get $qh)) (i64.const 32))
            (i64.extend_i32_u (local.get $q1)))
          (i64.extend_i32_u (local.get $r1)))))
    ;; b >= 2^32: n = nlz(b) in 0..31, q1 = divlu(a >> 1, (b << n) >> 32)
    (local.set $n (i32.clz (local.get $bh)))
    (local.set $u (i64.shr_u (local.get $a) (i64.const 1)))
    (call $divlu
      (i32.wrap_i64 (i64.shr_u (local.get $u) (i64.const 32)))
      (i32.wrap_i64 (local.get $u))
      (i32.wrap_i64
        (i64.shr_u
          (i64.shl (local.get $b) (i64.extend_i32_u (local.get $n)))
          (i64.const 32))))
    drop
    (local.set $q1)
    ;; q0 = (q1 << n) >> 31, minus one unless zero: the quotient or one below it
    (local.set $q
      (i64.shr_u
        (i64.shl (i64.extend_i32_u (local.get $q1)) (i64.extend_i32_u (local.get $n)))
        (i64.const 31)))
    (if (i64.ne (local.get $q) (i64.const 0))
      (then (local.set $q (i64.sub (local.get $q) (i64.const 1)))))
    (local.set $r (i64.sub (local.get $a) (i64.mul (local.get $q) (local.get $b))))
    (if (i64.ge_u (local.get $r) (local.get $b))
      (then
        (local.set $q (i64.add (local.get $q) (i64.const 1)))
        (local.set $r (i64.sub (local.get $r) (local.get $b)))))
    (local.get $q)
    (local.get $r))

  ;; divs(a, b) -> (a / b, a % b), signed (truncating toward zero), for b != 0 and not
  ;; (a = -2^63 and b = -1): the unsigned division of the magnitudes (|-2^63| = 2^63 as
  ;; unsigned), the quotient negated when the signs differ, the remainder given the
  ;; dividend's sign.
  (func $divs (export "__gloam_i64_divs") (param $a i64) (param $b i64) (result i64 i64)
    (local $q i64) (local $r i64)
    (call $divu
      (select
        (i64.sub (i64.const 0) (local.get $a))
        (local.get $a)
        (i64.lt_s (local.get $a) (i64.const 0)))
      (select
        (i64.sub (i64.const 0) (local.get $b))
        (local.get $b)
        (i64.lt_s (local.get $b) (i64.const 0))))
    (local.set $r)
    (local.set $q)
    (if (i64.lt_s (i64.xor (local.get $a) (local.get $b)) (i64.const 0))
      (then (local.set $q (i64.sub (i64.const 0) (local.get $q)))))
    (if (i64.lt_s (local.get $a) (i64.const 0))
      (then (local.set $r (i64.sub (i64.const 0) (local.get $r)))))
    (local.get $q)
    (local.get $r))

  ;; clz(x): leading zeros of the high word, or 32 plus those of the low word when it is 0.
  (func (export "__gloam_i64_clz") (param $x i64) (result i64)
    (local $h i32)
    (local.set $h (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
    (if (result i64) (local.get $h)
      (then (i64.extend_i32_u (i32.clz (local.get $h))))
      (else
        (i64.extend_i32_u
          (i32.add (i32.clz (i32.wrap_i64 (local.get $x))) (i32.const 32))))))

  ;; ctz(x): trailing zeros of the low word, or 32 plus those of the high word when it is 0.
  (func (export "__gloam_i64_ctz") (param $x i64) (result i64)
    (local $l i32)
    (local.set $l (i32.wrap_i64 (local.get $x)))
    (if (result i64) (local.get $l)
      (then (i64.extend_i32_u (i32.ctz (local.get $l))))
      (else
        (i64.extend_i32_u
          (i32.add
            (i32.ctz (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))
            (i32.const 32))))))

  ;; popcnt(x): the sum of both words' population counts.
  (func (export "__gloam_i64_popcnt") (param $x i64) (result i64)
    (i64.extend_i32_u
      (i32.add
        (i32.popcnt (i32.wrap_i64 (local.get $x)))
        (i32.popcnt (i32.wrap_i64 (i64.shr_u (local.get $x) (i64.const 32))))))))
