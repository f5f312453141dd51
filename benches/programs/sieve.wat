;; sieve_count(n): the primes below n, by the sieve of Eratosthenes over a byte array in linear
;; memory (one byte per number, 0 = prime candidate), then a counting pass. About 15 cycles
;; per number below n: the segments benchmark sizes runs with it (benches/segments.sh).
(module
  (memory 16)
  (func (export "sieve_count") (param $n i32) (result i32)
    (local $i i32) (local $j i32) (local $count i32)
    (local.set $i (i32.const 2))
    (block $done
      (loop $outer
        (br_if $done (i32.gt_u (i32.mul (local.get $i) (local.get $i)) (local.get $n)))
        (if (i32.eqz (i32.load8_u (local.get $i)))
          (then
            (local.set $j (i32.mul (local.get $i) (local.get $i)))
            (loop $mark
              (i32.store8 (local.get $j) (i32.const 1))
              (local.set $j (i32.add (local.get $j) (local.get $i)))
              (br_if $mark (i32.lt_u (local.get $j) (local.get $n))))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $outer)))
    (local.set $i (i32.const 2))
    (loop $scan
      (if (i32.lt_u (local.get $i) (local.get $n))
        (then
          (local.set $count (i32.add (local.get $count)
            (i32.eqz (i32.load8_u (local.get $i)))))
          (local.set $i (i32.add (local.get $i) (i32.const 1)))
          (br $scan))))
    (local.get $count)))
