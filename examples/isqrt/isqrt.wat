(module
  (type (;0;) (func (param i32) (result i32)))
  (func $isqrt (type 0) (param i32) (result i32)
    (local i32 i32 i32 i32)
    block  ;; label = @1
      block  ;; label = @2
        local.get 0
        i32.const 2
        i32.ge_u
        br_if 0 (;@2;)
        local.get 0
        local.set 1
        br 1 (;@1;)
      end
      i32.const 1
      i32.const 33
      local.get 0
      i32.clz
      i32.sub
      i32.const 1
      i32.shr_u
      i32.shl
      local.set 2
      loop  ;; label = @2
        block  ;; label = @3
          local.get 2
          br_if 0 (;@3;)
          i32.const 0
          return
        end
        local.get 0
        local.get 2
        i32.div_u
        local.get 2
        i32.add
        i32.const 1
        i32.shr_u
        local.tee 3
        local.get 2
        i32.lt_u
        local.set 4
        local.get 2
        local.set 1
        local.get 3
        local.set 2
        local.get 4
        br_if 0 (;@2;)
      end
    end
    local.get 1)
  (memory (;0;) 16)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (global (;1;) i32 (i32.const 1048576))
  (global (;2;) i32 (i32.const 1048576))
  (export "memory" (memory 0))
  (export "isqrt" (func $isqrt))
  (export "__data_end" (global 1))
  (export "__heap_base" (global 2)))
