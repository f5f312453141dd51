;; Private threshold: proves that a private balance reaches a public threshold, without
;; revealing the balance.
;;
;; Public input:  threshold (u64, little-endian, 8 bytes), then a memo (any bytes).
;; Private input: balance (u64, little-endian, 8 bytes), then a salt (32 bytes).
;; Journal:       threshold (8 bytes), verdict (1 byte: 1 if balance >= threshold),
;;                a commitment to the balance (8 bytes: a multiplicative hash of balance
;;                and salt; a real contract would use a cryptographic hash), the memo.
;; Returns the verdict. A run whose private input is shorter than 40 bytes traps.
(module
  (import "gloam" "read_public" (func $read_public (param i32 i32) (result i32)))
  (import "gloam" "read_private" (func $read_private (param i32 i32) (result i32)))
  (import "gloam" "commit" (func $commit (param i32 i32)))
  (memory 1)
  (func (export "check") (result i32)
    (local $ok i32) (local $h i64) (local $i i32) (local $n i32)
    ;; threshold at 0, balance at 16, salt at 32, journal staging at 128, memo at 256
    (if (i32.ne (call $read_public (i32.const 0) (i32.const 8)) (i32.const 8))
      (then unreachable))
    (if (i32.ne (call $read_private (i32.const 16) (i32.const 40)) (i32.const 40))
      (then unreachable))
    (local.set $ok (i64.ge_u (i64.load (i32.const 16)) (i64.load (i32.const 0))))
    ;; h = fold of balance and the salt's eight 4-byte words
    (local.set $h (i64.load (i32.const 16)))
    (block $done
      (loop $mix
        (br_if $done (i32.eq (local.get $i) (i32.const 8)))
        (local.set $h
          (i64.mul
            (i64.xor (local.get $h)
                     (i64.extend_i32_u (i32.load (i32.add (i32.const 32) (i32.shl (local.get $i) (i32.const 2))))))
            (i64.const 0x100000001b3)))
        (local.set $h (i64.xor (local.get $h) (i64.shr_u (local.get $h) (i64.const 29))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $mix)))
    (i64.store (i32.const 128) (i64.load (i32.const 0)))
    (i32.store8 (i32.const 136) (local.get $ok))
    (i64.store (i32.const 137) (local.get $h))
    (call $commit (i32.const 128) (i32.const 17))
    ;; the memo, whatever its length (up to 1 KiB)
    (local.set $n (call $read_public (i32.const 256) (i32.const 1024)))
    (call $commit (i32.const 256) (local.get $n))
    (local.get $ok)))
