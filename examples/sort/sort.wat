(module
  (type (;0;) (func (param i32 i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func (param i32) (result i32)))
  (type (;3;) (func (param i32 i32) (result i32)))
  (type (;4;) (func (param i32 i32 i32) (result i32)))
  (func $_ZN4sort8generate17hc78d3135551f0738E (type 0) (param i32 i32)
    (local i64)
    block  ;; label = @1
      local.get 0
      i32.eqz
      br_if 0 (;@1;)
      local.get 1
      i64.extend_i32_u
      i64.const 32
      i64.shl
      i64.const -7046029254386353131
      i64.xor
      local.set 2
      i32.const 1048576
      local.set 1
      loop  ;; label = @2
        local.get 1
        local.get 2
        i64.const 12
        i64.shr_u
        local.get 2
        i64.xor
        local.tee 2
        i64.const 25
        i64.shl
        local.get 2
        i64.xor
        local.tee 2
        i64.const 27
        i64.shr_u
        local.get 2
        i64.xor
        local.tee 2
        i64.const 2685821657736338717
        i64.mul
        i64.store
        local.get 1
        i32.const 8
        i32.add
        local.set 1
        local.get 0
        i32.const -1
        i32.add
        local.tee 0
        br_if 0 (;@2;)
      end
    end)
  (func $_ZN4sort14insertion_sort17h947a3d395eef20ccE (type 1) (param i32)
    (local i32 i32 i64 i32 i32 i64)
    block  ;; label = @1
      local.get 0
      i32.const 2
      i32.lt_u
      br_if 0 (;@1;)
      i32.const 1048576
      local.set 1
      i32.const 1
      local.set 2
      loop  ;; label = @2
        local.get 2
        i32.const 3
        i32.shl
        i32.const 1048576
        i32.add
        i64.load
        local.set 3
        local.get 1
        local.set 4
        local.get 2
        local.set 5
        block  ;; label = @3
          loop  ;; label = @4
            local.get 4
            i64.load
            local.tee 6
            local.get 3
            i64.le_u
            br_if 1 (;@3;)
            local.get 4
            i32.const 8
            i32.add
            local.get 6
            i64.store
            local.get 4
            i32.const -8
            i32.add
            local.set 4
            local.get 5
            i32.const -1
            i32.add
            local.tee 5
            br_if 0 (;@4;)
          end
          i32.const 0
          local.set 5
        end
        local.get 5
        i32.const 3
        i32.shl
        i32.const 1048576
        i32.add
        local.get 3
        i64.store
        local.get 1
        i32.const 8
        i32.add
        local.set 1
        local.get 2
        i32.const 1
        i32.add
        local.tee 2
        local.get 0
        i32.ne
        br_if 0 (;@2;)
      end
    end)
  (func $_ZN4sort5check17hfe0fe77f2f65101bE (type 2) (param i32) (result i32)
    (local i32 i64 i32 i32 i64 i32)
    block  ;; label = @1
      local.get 0
      br_if 0 (;@1;)
      i32.const 0
      return
    end
    i32.const 0
    local.set 1
    i64.const 0
    local.set 2
    i32.const 1048576
    local.set 3
    local.get 0
    local.set 4
    loop  ;; label = @1
      block  ;; label = @2
        local.get 3
        i64.load
        local.tee 5
        local.get 2
        i64.ge_u
        br_if 0 (;@2;)
        i32.const -1
        return
      end
      local.get 3
      i32.const 8
      i32.add
      local.set 3
      local.get 4
      local.get 5
      i64.const 32
      i64.shr_u
      local.get 5
      i64.xor
      i32.wrap_i64
      i32.xor
      local.tee 6
      i32.const 16777619
      i32.mul
      local.get 1
      i32.add
      local.set 4
      local.get 5
      local.set 2
      local.get 0
      local.get 1
      i32.const 1
      i32.add
      local.tee 1
      i32.ne
      br_if 0 (;@1;)
    end
    local.get 6
    i32.const 16777619
    i32.mul
    local.get 1
    i32.add
    i32.const -1
    i32.add)
  (func $sort_gen (type 3) (param i32 i32) (result i32)
    local.get 0
    i32.const 4096
    local.get 0
    i32.const 4096
    i32.lt_u
    select
    local.tee 0
    local.get 1
    call $_ZN4sort8generate17hc78d3135551f0738E
    local.get 0
    call $_ZN4sort14insertion_sort17h947a3d395eef20ccE
    i32.const 0
    local.get 0
    i32.store offset=1081344
    local.get 0
    call $_ZN4sort5check17hfe0fe77f2f65101bE)
  (func $sorted_hi (type 2) (param i32) (result i32)
    (local i32)
    i32.const 0
    local.set 1
    block  ;; label = @1
      local.get 0
      i32.const 4095
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 0
      i32.load offset=1081344
      local.get 0
      i32.le_u
      br_if 0 (;@1;)
      local.get 0
      i32.const 3
      i32.shl
      i32.const 1048580
      i32.add
      i32.load
      local.set 1
    end
    local.get 1)
  (func $sorted_lo (type 2) (param i32) (result i32)
    (local i32)
    i32.const 0
    local.set 1
    block  ;; label = @1
      local.get 0
      i32.const 4095
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 0
      i32.load offset=1081344
      local.get 0
      i32.le_u
      br_if 0 (;@1;)
      local.get 0
      i32.const 3
      i32.shl
      i32.const 1048576
      i32.add
      i32.load
      local.set 1
    end
    local.get 1)
  (func $sort_hi (type 4) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    call $sort_gen
    drop
    i32.const 0
    local.set 0
    block  ;; label = @1
      local.get 2
      i32.const 4095
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 0
      i32.load offset=1081344
      local.get 2
      i32.le_u
      br_if 0 (;@1;)
      local.get 2
      i32.const 3
      i32.shl
      i32.const 1048580
      i32.add
      i32.load
      local.set 0
    end
    local.get 0)
  (func $sort_lo (type 4) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    call $sort_gen
    drop
    i32.const 0
    local.set 0
    block  ;; label = @1
      local.get 2
      i32.const 4095
      i32.gt_u
      br_if 0 (;@1;)
      i32.const 0
      i32.load offset=1081344
      local.get 2
      i32.le_u
      br_if 0 (;@1;)
      local.get 2
      i32.const 3
      i32.shl
      i32.const 1048576
      i32.add
      i32.load
      local.set 0
    end
    local.get 0)
  (memory (;0;) 17)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (global (;1;) i32 (i32.const 1081348))
  (global (;2;) i32 (i32.const 1081360))
  (export "memory" (memory 0))
  (export "sort_gen" (func $sort_gen))
  (export "sorted_hi" (func $sorted_hi))
  (export "sorted_lo" (func $sorted_lo))
  (export "sort_hi" (func $sort_hi))
  (export "sort_lo" (func $sort_lo))
  (export "__data_end" (global 1))
  (export "__heap_base" (global 2)))
