;; control: hand-written WebAssembly for the instructions compilers rarely emit.
;;
;; clang and rustc almost never produce `if`/`else`, value-carrying branches,
;; `drop`, `nop` or `unreachable` for i32-only code, so this module spells them
;; out: if/else with and without results, value-carrying br / br_if / br_table,
;; drop, nop, select, unreachable (only on paths that can never run), return
;; from inside loops, and direct calls with zero to three parameters.
;; It declares no memory and no globals.
;;
;; Assembled with `wat2wasm --debug-names` (build.sh); control.wat beside it is
;; the `wasm2wat` print-out of the built control.wasm, like for the others.
(module
  ;; sign(x): -1, 0 or 1 for the signed value of x.
  ;; Nested if/else, both with results.
  (func $sign (export "sign") (param $x i32) (result i32)
    local.get $x
    i32.const 0
    i32.lt_s
    if (result i32)
      i32.const -1
    else
      local.get $x
      i32.eqz
      if (result i32)
        i32.const 0
      else
        i32.const 1
      end
    end)

  ;; clamp(x, lo, hi): lo if x < lo, else hi if x > hi, else x (signed).
  ;; An if without else that returns, then select.
  (func $clamp (export "clamp") (param $x i32) (param $lo i32) (param $hi i32) (result i32)
    local.get $x
    local.get $lo
    i32.lt_s
    if
      local.get $lo
      return
    end
    local.get $hi
    local.get $x
    local.get $x
    local.get $hi
    i32.gt_s
    select)

  ;; bucket(x): 10 for x = 0, 20 for x = 1, 30 for x = 2, otherwise
  ;; 40 + (x & 7). The br_table carries the value x to every target.
  (func $bucket (export "bucket") (param $x i32) (result i32)
    block $other (result i32)
      block $two (result i32)
        block $one (result i32)
          block $zero (result i32)
            local.get $x
            local.get $x
            br_table $zero $one $two $other
          end
          i32.const 10
          i32.add
          return
        end
        i32.const 19
        i32.add
        return
      end
      i32.const 28
      i32.add
      return
    end
    i32.const 7
    i32.and
    i32.const 40
    i32.add)

  ;; tri(n): 0 + 1 + ... + n (mod 2^32), counting n down in a loop that is
  ;; left through a value-carrying br_if; the value is dropped when the
  ;; branch is not taken. The loop never falls through, so the `unreachable`
  ;; after it never runs.
  (func $tri (export "tri") (param $n i32) (result i32)
    (local $acc i32)
    block $done (result i32)
      loop $next
        local.get $acc
        local.get $n
        i32.eqz
        br_if $done
        drop
        local.get $acc
        local.get $n
        i32.add
        local.set $acc
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br $next
      end
      unreachable
    end)

  ;; is_prime(n): 1 if n is prime, else 0. Trial division that returns from
  ;; inside the loop (d > n / d avoids the overflow of d * d).
  (func $is_prime (export "is_prime") (param $n i32) (result i32)
    (local $d i32)
    local.get $n
    i32.const 2
    i32.lt_u
    if
      i32.const 0
      return
    end
    i32.const 2
    local.set $d
    loop $try
      local.get $d
      local.get $n
      local.get $d
      i32.div_u
      i32.gt_u
      if
        i32.const 1
        return
      end
      local.get $n
      local.get $d
      i32.rem_u
      i32.eqz
      if
        i32.const 0
        return
      end
      local.get $d
      i32.const 1
      i32.add
      local.set $d
      br $try
    end
    unreachable)

  ;; count_primes(n): how many primes are < n. A loop calling is_prime.
  (func $count_primes (export "count_primes") (param $n i32) (result i32)
    (local $i i32) (local $count i32)
    block $exit
      loop $next
        local.get $i
        local.get $n
        i32.ge_u
        br_if $exit
        local.get $count
        local.get $i
        call $is_prime
        i32.add
        local.set $count
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br $next
      end
    end
    local.get $count)

  ;; gcd_sub(a, b): gcd by repeated subtraction, with an if/else without
  ;; results inside the loop. gcd_sub(a, 0) = a and gcd_sub(0, b) = b.
  ;; Takes max(a, b) / gcd steps at worst: small inputs only.
  (func $gcd_sub (export "gcd_sub") (param $a i32) (param $b i32) (result i32)
    local.get $a
    i32.eqz
    if
      local.get $b
      return
    end
    block $done
      loop $step
        local.get $b
        i32.eqz
        br_if $done
        local.get $a
        local.get $b
        i32.gt_u
        if
          local.get $a
          local.get $b
          i32.sub
          local.set $a
        else
          local.get $b
          local.get $a
          i32.sub
          local.set $b
        end
        br $step
      end
    end
    local.get $a)

  ;; mad(a, b, c) = a * b + c (mod 2^32). A three-parameter callee.
  (func $mad (export "mad") (param $a i32) (param $b i32) (param $c i32) (result i32)
    local.get $a
    local.get $b
    i32.mul
    local.get $c
    i32.add)

  ;; answer() = 42, with no parameters: calls mad twice, drops the first
  ;; result, and has a nop.
  (func $answer (export "answer") (result i32)
    nop
    i32.const 1
    i32.const 2
    i32.const 3
    call $mad
    drop
    i32.const 5
    i32.const 8
    i32.const 2
    call $mad)
)
