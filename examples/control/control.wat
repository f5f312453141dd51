(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32 i32) (result i32)))
  (type (;2;) (func (param i32 i32) (result i32)))
  (type (;3;) (func (result i32)))
  (func $sign (type 0) (param $x i32) (result i32)
    local.get $x
    i32.const 0
    i32.lt_s
    if (result i32)  ;; label = @1
      i32.const -1
    else
      local.get $x
      i32.eqz
      if (result i32)  ;; label = @2
        i32.const 0
      else
        i32.const 1
      end
    end)
  (func $clamp (type 1) (param $x i32) (param $lo i32) (param $hi i32) (result i32)
    local.get $x
    local.get $lo
    i32.lt_s
    if  ;; label = @1
      local.get $lo
      return
    end
    local.get $hi
    local.get $x
    local.get $x
    local.get $hi
    i32.gt_s
    select)
  (func $bucket (type 0) (param $x i32) (result i32)
    block (result i32)  ;; label = @1
      block (result i32)  ;; label = @2
        block (result i32)  ;; label = @3
          block (result i32)  ;; label = @4
            local.get $x
            local.get $x
            br_table 0 (;@4;) 1 (;@3;) 2 (;@2;) 3 (;@1;)
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
  (func $tri (type 0) (param $n i32) (result i32)
    (local $acc i32)
    block (result i32)  ;; label = @1
      loop  ;; label = @2
        local.get $acc
        local.get $n
        i32.eqz
        br_if 1 (;@1;)
        drop
        local.get $acc
        local.get $n
        i32.add
        local.set $acc
        local.get $n
        i32.const 1
        i32.sub
        local.set $n
        br 0 (;@2;)
      end
      unreachable
    end)
  (func $is_prime (type 0) (param $n i32) (result i32)
    (local $d i32)
    local.get $n
    i32.const 2
    i32.lt_u
    if  ;; label = @1
      i32.const 0
      return
    end
    i32.const 2
    local.set $d
    loop  ;; label = @1
      local.get $d
      local.get $n
      local.get $d
      i32.div_u
      i32.gt_u
      if  ;; label = @2
        i32.const 1
        return
      end
      local.get $n
      local.get $d
      i32.rem_u
      i32.eqz
      if  ;; label = @2
        i32.const 0
        return
      end
      local.get $d
      i32.const 1
      i32.add
      local.set $d
      br 0 (;@1;)
    end
    unreachable)
  (func $count_primes (type 0) (param $n i32) (result i32)
    (local $i i32) (local $count i32)
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1 (;@1;)
        local.get $count
        local.get $i
        call $is_prime
        i32.add
        local.set $count
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end
    local.get $count)
  (func $gcd_sub (type 2) (param $a i32) (param $b i32) (result i32)
    local.get $a
    i32.eqz
    if  ;; label = @1
      local.get $b
      return
    end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $b
        i32.eqz
        br_if 1 (;@1;)
        local.get $a
        local.get $b
        i32.gt_u
        if  ;; label = @3
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
        br 0 (;@2;)
      end
    end
    local.get $a)
  (func $mad (type 1) (param $a i32) (param $b i32) (param $c i32) (result i32)
    local.get $a
    local.get $b
    i32.mul
    local.get $c
    i32.add)
  (func $answer (type 3) (result i32)
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
  (export "sign" (func $sign))
  (export "clamp" (func $clamp))
  (export "bucket" (func $bucket))
  (export "tri" (func $tri))
  (export "is_prime" (func $is_prime))
  (export "count_primes" (func $count_primes))
  (export "gcd_sub" (func $gcd_sub))
  (export "mad" (func $mad))
  (export "answer" (func $answer)))
