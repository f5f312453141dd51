(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (func $gcd (type 0) (param i32 i32) (result i32)
    (local i32)
    block  ;; label = @1
      local.get 1
      br_if 0 (;@1;)
      local.get 0
      return
    end
    loop  ;; label = @1
      local.get 0
      local.get 1
      local.tee 2
      i32.rem_u
      local.set 1
      local.get 2
      local.set 0
      local.get 1
      br_if 0 (;@1;)
    end
    local.get 2)
  (memory (;0;) 2)
  (global $__stack_pointer (mut i32) (i32.const 66560))
  (export "memory" (memory 0))
  (export "gcd" (func $gcd)))
