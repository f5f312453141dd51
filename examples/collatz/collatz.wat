(module
  (type (;0;) (func (param i32) (result i32)))
  (type (;1;) (func (param i32 i32) (result i32)))
  (type (;2;) (func (param i32 i32 i32 i32) (result i32)))
  (func $collatz (type 0) (param i32) (result i32)
    (local i32)
    i32.const 0
    local.set 1
    block  ;; label = @1
      local.get 0
      i32.const 2
      i32.lt_u
      br_if 0 (;@1;)
      i32.const 0
      local.set 1
      loop  ;; label = @2
        block  ;; label = @3
          block  ;; label = @4
            local.get 0
            i32.const 1
            i32.and
            br_if 0 (;@4;)
            local.get 0
            i32.const 1
            i32.shr_u
            local.set 0
            br 1 (;@3;)
          end
          block  ;; label = @4
            local.get 0
            i32.const 1431655764
            i32.le_u
            br_if 0 (;@4;)
            i32.const -1
            return
          end
          local.get 0
          i32.const 3
          i32.mul
          i32.const 1
          i32.add
          local.set 0
        end
        local.get 1
        i32.const 1
        i32.add
        local.set 1
        local.get 0
        i32.const 1
        i32.ne
        br_if 0 (;@2;)
      end
    end
    local.get 1)
  (func $collatz_peak (type 0) (param i32) (result i32)
    (local i32)
    block  ;; label = @1
      local.get 0
      i32.const 2
      i32.lt_u
      br_if 0 (;@1;)
      local.get 0
      local.set 1
      loop  ;; label = @2
        block  ;; label = @3
          block  ;; label = @4
            local.get 1
            i32.const 1
            i32.and
            i32.eqz
            br_if 0 (;@4;)
            block  ;; label = @5
              local.get 1
              i32.const 1431655764
              i32.le_u
              br_if 0 (;@5;)
              i32.const -1
              return
            end
            local.get 1
            i32.const 3
            i32.mul
            i32.const 1
            i32.add
            local.set 1
            br 1 (;@3;)
          end
          local.get 1
          i32.const 1
          i32.shr_u
          local.set 1
        end
        local.get 1
        local.get 0
        local.get 1
        local.get 0
        i32.gt_u
        select
        local.set 0
        local.get 1
        i32.const 1
        i32.ne
        br_if 0 (;@2;)
      end
    end
    local.get 0)
  (func $floor_div (type 1) (param i32 i32) (result i32)
    (local i32)
    block  ;; label = @1
      block  ;; label = @2
        block  ;; label = @3
          local.get 1
          i32.const 1
          i32.add
          br_table 0 (;@3;) 2 (;@1;) 1 (;@2;)
        end
        i32.const 0
        local.get 0
        i32.sub
        return
      end
      local.get 0
      local.get 1
      i32.div_s
      local.tee 2
      local.get 0
      local.get 2
      local.get 1
      i32.mul
      i32.sub
      local.tee 0
      i32.const 0
      i32.ne
      local.get 0
      local.get 1
      i32.xor
      i32.const 0
      i32.lt_s
      i32.and
      i32.sub
      local.set 1
    end
    local.get 1)
  (func $floor_mod (type 1) (param i32 i32) (result i32)
    block  ;; label = @1
      block  ;; label = @2
        block  ;; label = @3
          local.get 1
          i32.const 1
          i32.add
          br_table 0 (;@3;) 2 (;@1;) 1 (;@2;)
        end
        i32.const 0
        return
      end
      block  ;; label = @2
        local.get 0
        local.get 1
        i32.rem_s
        local.tee 0
        br_if 0 (;@2;)
        i32.const 0
        return
      end
      local.get 0
      local.get 1
      i32.xor
      i32.const 31
      i32.shr_s
      local.get 1
      i32.and
      local.get 0
      i32.add
      local.set 0
    end
    local.get 0)
  (func $collatz_gen (type 2) (param i32 i32 i32 i32) (result i32)
    (local i32 i32)
    i32.const 0
    local.set 4
    block  ;; label = @1
      local.get 1
      i32.const 1
      i32.add
      i32.const 2
      i32.lt_u
      br_if 0 (;@1;)
      local.get 3
      i32.const 1
      i32.lt_s
      br_if 0 (;@1;)
      local.get 0
      i32.const -2
      i32.add
      i32.const -4
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 0
      local.set 4
      loop  ;; label = @2
        local.get 0
        local.get 1
        i32.div_s
        local.set 5
        local.get 4
        i32.const 1
        i32.add
        local.tee 4
        local.get 3
        i32.ge_s
        br_if 1 (;@1;)
        local.get 0
        local.get 2
        i32.mul
        i32.const 1
        i32.add
        local.get 5
        local.get 0
        local.get 5
        local.get 1
        i32.mul
        i32.sub
        select
        local.tee 0
        i32.const -2
        i32.add
        i32.const -3
        i32.lt_u
        br_if 0 (;@2;)
      end
    end
    local.get 4)
  (memory (;0;) 2)
  (global $__stack_pointer (mut i32) (i32.const 66560))
  (export "memory" (memory 0))
  (export "collatz" (func $collatz))
  (export "collatz_peak" (func $collatz_peak))
  (export "floor_div" (func $floor_div))
  (export "floor_mod" (func $floor_mod))
  (export "collatz_gen" (func $collatz_gen)))
