(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32) (result i32)))
  (func $fmix32 (type 0) (param i32) (result i32)
    local.get 0
    i32.const 16
    i32.shr_u
    local.get 0
    i32.xor
    i32.const -2048144789
    i32.mul
    local.tee 0
    i32.const 13
    i32.shr_u
    local.get 0
    i32.xor
    i32.const -1028477387
    i32.mul
    local.tee 0
    i32.const 16
    i32.shr_u
    local.get 0
    i32.xor)
  (func $mix (type 1) (param i32 i32) (result i32)
    (local i32 i32)
    block  ;; label = @1
      local.get 1
      i32.eqz
      br_if 0 (;@1;)
      i32.const 0
      local.set 2
      local.get 1
      local.set 3
      loop  ;; label = @2
        local.get 2
        i32.const 15
        i32.rotl
        i32.const 461845907
        i32.mul
        local.get 0
        i32.xor
        i32.const 13
        i32.rotl
        i32.const 5
        i32.mul
        i32.const -430675100
        i32.add
        local.set 0
        local.get 2
        i32.const -862048943
        i32.add
        local.set 2
        local.get 3
        i32.const -1
        i32.add
        local.tee 3
        br_if 0 (;@2;)
      end
    end
    local.get 0
    local.get 1
    i32.xor
    call $fmix32)
  (memory (;0;) 16)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (global (;1;) i32 (i32.const 1048576))
  (global (;2;) i32 (i32.const 1048576))
  (export "memory" (memory 0))
  (export "fmix32" (func $fmix32))
  (export "mix" (func $mix))
  (export "__data_end" (global 1))
  (export "__heap_base" (global 2)))
