(module
  (type (;0;) (func (param i64 i64) (result i64)))
  (type (;1;) (func (param i32 i32 i32)))
  (type (;2;) (func (param i32)))
  (type (;3;) (func (param i32 i32)))
  (type (;4;) (func (param i32 i32) (result i64)))
  (type (;5;) (func (param i32 i32) (result i32)))
  (type (;6;) (func (param i32 i32 i32) (result i32)))
  (func $_ZN4core3ptr34drop_in_place$LT$dispatch..Dup$GT$17h66c881d3cd5c7b7bE (type 2) (param i32))
  (func $_ZN4core3ptr34drop_in_place$LT$dispatch..Mix$GT$17hf43f88e8c66797c5E (type 2) (param i32))
  (func $_ZN4core3ptr35drop_in_place$LT$dispatch..Jump$GT$17h0f54c4b20a565fefE (type 2) (param i32))
  (func $_ZN4core3ptr35drop_in_place$LT$dispatch..Push$GT$17h72f8cecd80caa3ebE (type 2) (param i32))
  (func $_ZN4core3ptr35drop_in_place$LT$dispatch..Swap$GT$17h99283fb6690ff478E (type 2) (param i32))
  (func $_ZN4core3ptr37drop_in_place$LT$dispatch..Binary$GT$17h02871cb4ccebdbefE (type 2) (param i32))
  (func $_ZN47_$LT$dispatch..Push$u20$as$u20$dispatch..Op$GT$4exec17h45d8edafca7d9ee6E (type 1) (param i32 i32 i32)
    (local i32)
    local.get 1
    local.get 1
    i32.load offset=72
    i32.const 1
    i32.add
    local.tee 3
    i32.store offset=72
    local.get 1
    local.get 3
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    local.get 2
    i64.extend_i32_u
    i64.store)
  (func $_ZN49_$LT$dispatch..Binary$u20$as$u20$dispatch..Op$GT$4exec17h786c7919a415c9e2E (type 1) (param i32 i32 i32)
    (local i32 i32)
    local.get 1
    local.get 1
    i32.load offset=72
    local.tee 3
    i32.const -1
    i32.add
    local.tee 4
    i32.store offset=72
    local.get 1
    local.get 4
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    local.set 4
    local.get 4
    local.get 4
    i64.load
    local.get 1
    local.get 3
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    i64.load
    local.get 0
    i32.load
    call_indirect (type 0)
    i64.store)
  (func $_ZN46_$LT$dispatch..Dup$u20$as$u20$dispatch..Op$GT$4exec17h19c4f694853aacf3E (type 1) (param i32 i32 i32)
    (local i32 i32)
    local.get 1
    local.get 1
    i32.load offset=72
    local.tee 3
    i32.const 1
    i32.add
    local.tee 4
    i32.store offset=72
    local.get 1
    local.get 4
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    local.get 1
    local.get 3
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    i64.load
    i64.store)
  (func $_ZN47_$LT$dispatch..Swap$u20$as$u20$dispatch..Op$GT$4exec17he1840209a6c93039E (type 1) (param i32 i32 i32)
    (local i32 i32 i64)
    local.get 1
    local.get 1
    i32.load offset=72
    local.tee 3
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    local.tee 4
    i64.load
    local.set 5
    local.get 4
    local.get 1
    local.get 3
    i32.const -1
    i32.add
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    local.tee 1
    i64.load
    i64.store
    local.get 1
    local.get 5
    i64.store)
  (func $_ZN47_$LT$dispatch..Jump$u20$as$u20$dispatch..Op$GT$4exec17h9e74af1a43017cedE (type 1) (param i32 i32 i32)
    block  ;; label = @1
      local.get 1
      local.get 1
      i32.load offset=72
      i32.const 7
      i32.and
      i32.const 3
      i32.shl
      i32.add
      i32.load8_u
      i32.const 1
      i32.and
      i32.eqz
      br_if 0 (;@1;)
      local.get 1
      local.get 1
      i32.load offset=76
      local.get 2
      i32.add
      i32.const 63
      i32.and
      i32.store offset=76
    end)
  (func $_ZN46_$LT$dispatch..Mix$u20$as$u20$dispatch..Op$GT$4exec17h81022763a125e24cE (type 1) (param i32 i32 i32)
    (local i32)
    local.get 1
    local.get 1
    i32.load offset=72
    local.tee 3
    i32.const -1
    i32.add
    i32.store offset=72
    local.get 1
    local.get 1
    i64.load offset=64
    local.get 1
    local.get 3
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    i64.load
    i64.xor
    i64.const 1099511628211
    i64.mul
    i64.store offset=64)
  (func $_ZN8dispatch3add17hbfaec53e71572a11E (type 0) (param i64 i64) (result i64)
    local.get 1
    local.get 0
    i64.add)
  (func $_ZN8dispatch3mul17h77618c7d52d8941cE (type 0) (param i64 i64) (result i64)
    local.get 1
    local.get 0
    i64.mul)
  (func $_ZN8dispatch6rotxor17h19a626944e9764b5E (type 0) (param i64 i64) (result i64)
    local.get 0
    local.get 1
    i64.rotl
    local.get 1
    i64.xor)
  (func $_ZN8dispatch4exec17hcde0a0413d709851E (type 3) (param i32 i32)
    (local i32)
    local.get 1
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    local.tee 2
    i32.const 1048684
    i32.add
    i32.load
    local.get 0
    local.get 1
    i32.const 248
    i32.and
    i32.const 3
    i32.shr_u
    local.get 2
    i32.const 1048688
    i32.add
    i32.load
    i32.load offset=12
    call_indirect (type 1))
  (func $_ZN8dispatch8generate17h36daf1a815f82ff2E (type 3) (param i32 i32)
    (local i32)
    i32.const 0
    local.set 2
    local.get 0
    i32.const 0
    i32.const 64
    call $memset
    local.set 0
    loop  ;; label = @1
      local.get 0
      local.get 2
      i32.add
      local.get 1
      i32.const 1103515245
      i32.mul
      i32.const 12345
      i32.add
      local.tee 1
      i32.const 16
      i32.shr_u
      i32.store8
      local.get 2
      i32.const 1
      i32.add
      local.tee 2
      i32.const 64
      i32.ne
      br_if 0 (;@1;)
    end)
  (func $_ZN8dispatch3run17hd309b5422af3373dE (type 4) (param i32 i32) (result i64)
    (local i32 i32 i64 i64 i64)
    global.get $__stack_pointer
    i32.const 144
    i32.sub
    local.tee 2
    global.set $__stack_pointer
    local.get 2
    local.get 0
    call $_ZN8dispatch8generate17h36daf1a815f82ff2E
    i32.const 0
    local.set 3
    local.get 2
    i32.const 64
    i32.add
    i32.const 0
    i32.const 64
    call $memset
    drop
    local.get 2
    local.get 0
    i64.extend_i32_u
    i64.const -3750763034362895579
    i64.xor
    local.tee 4
    i64.store offset=128
    local.get 2
    i32.const 0
    i32.store offset=136
    block  ;; label = @1
      block  ;; label = @2
        local.get 1
        br_if 0 (;@2;)
        i64.const 0
        local.set 5
        br 1 (;@1;)
      end
      local.get 2
      i32.const 1
      i32.store offset=140
      local.get 2
      i32.const 64
      i32.add
      local.get 2
      i32.load8_u
      call $_ZN8dispatch4exec17hcde0a0413d709851E
      block  ;; label = @2
        local.get 1
        i32.const 1
        i32.eq
        br_if 0 (;@2;)
        local.get 1
        i32.const -1
        i32.add
        local.set 3
        loop  ;; label = @3
          local.get 2
          local.get 2
          i32.load offset=140
          local.tee 0
          i32.const 1
          i32.add
          i32.const 63
          i32.and
          i32.store offset=140
          local.get 2
          i32.const 64
          i32.add
          local.get 2
          local.get 0
          i32.const 63
          i32.and
          i32.add
          i32.load8_u
          call $_ZN8dispatch4exec17hcde0a0413d709851E
          local.get 3
          i32.const -1
          i32.add
          local.tee 3
          br_if 0 (;@3;)
        end
      end
      local.get 2
      i64.load32_u offset=140
      local.set 5
      local.get 2
      i64.load offset=128
      local.set 4
      local.get 2
      i32.load offset=136
      local.set 3
    end
    local.get 2
    i32.const 64
    i32.add
    local.get 3
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    i64.load
    local.set 6
    local.get 2
    i32.const 144
    i32.add
    global.set $__stack_pointer
    local.get 6
    local.get 3
    i64.extend_i32_u
    i64.const 32
    i64.shl
    i64.xor
    local.get 4
    i64.const 17
    i64.rotl
    i64.xor
    local.get 5
    i64.xor)
  (func $run_lo (type 5) (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $_ZN8dispatch3run17hd309b5422af3373dE
    i32.wrap_i64)
  (func $run_hi (type 5) (param i32 i32) (result i32)
    local.get 0
    local.get 1
    call $_ZN8dispatch3run17hd309b5422af3373dE
    i64.const 32
    i64.shr_u
    i32.wrap_i64)
  (func $op1 (type 6) (param i32 i32 i32) (result i32)
    (local i32 i64 i64)
    global.get $__stack_pointer
    i32.const 80
    i32.sub
    local.tee 3
    global.set $__stack_pointer
    local.get 3
    local.get 2
    i64.extend_i32_u
    i64.store offset=8
    local.get 3
    local.get 1
    i64.extend_i32_u
    i64.store
    local.get 3
    i32.const 16
    i32.add
    i32.const 0
    i32.const 48
    call $memset
    drop
    local.get 3
    i64.const 1
    i64.store offset=72
    local.get 3
    i64.const 0
    i64.store offset=64
    local.get 3
    local.get 0
    call $_ZN8dispatch4exec17hcde0a0413d709851E
    local.get 3
    i64.load offset=64
    local.set 4
    local.get 3
    local.get 3
    i32.load offset=72
    i32.const 7
    i32.and
    i32.const 3
    i32.shl
    i32.add
    i64.load
    local.set 5
    local.get 3
    i32.load offset=76
    local.set 0
    local.get 3
    i32.const 80
    i32.add
    global.set $__stack_pointer
    local.get 0
    local.get 5
    local.get 4
    i64.const 17
    i64.rotl
    i64.xor
    i32.wrap_i64
    i32.xor)
  (func $program_byte (type 5) (param i32 i32) (result i32)
    (local i32)
    global.get $__stack_pointer
    i32.const 64
    i32.sub
    local.tee 2
    global.set $__stack_pointer
    local.get 2
    local.get 0
    call $_ZN8dispatch8generate17h36daf1a815f82ff2E
    local.get 2
    local.get 1
    i32.const 63
    i32.and
    i32.add
    i32.load8_u
    local.set 1
    local.get 2
    i32.const 64
    i32.add
    global.set $__stack_pointer
    local.get 1)
  (func $memset (type 6) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    call $_ZN17compiler_builtins3mem6memset17h062079ea7f8a1431E)
  (func $_ZN17compiler_builtins3mem6memset17h062079ea7f8a1431E (type 6) (param i32 i32 i32) (result i32)
    (local i32 i32 i32)
    block  ;; label = @1
      block  ;; label = @2
        local.get 2
        i32.const 15
        i32.gt_u
        br_if 0 (;@2;)
        local.get 0
        local.set 3
        br 1 (;@1;)
      end
      local.get 0
      i32.const 0
      local.get 0
      i32.sub
      i32.const 3
      i32.and
      local.tee 4
      i32.add
      local.set 5
      block  ;; label = @2
        local.get 4
        i32.eqz
        br_if 0 (;@2;)
        local.get 0
        local.set 3
        loop  ;; label = @3
          local.get 3
          local.get 1
          i32.store8
          local.get 3
          i32.const 1
          i32.add
          local.tee 3
          local.get 5
          i32.lt_u
          br_if 0 (;@3;)
        end
      end
      local.get 5
      local.get 2
      local.get 4
      i32.sub
      local.tee 4
      i32.const -4
      i32.and
      local.tee 2
      i32.add
      local.set 3
      block  ;; label = @2
        local.get 2
        i32.const 1
        i32.lt_s
        br_if 0 (;@2;)
        local.get 1
        i32.const 255
        i32.and
        i32.const 16843009
        i32.mul
        local.set 2
        loop  ;; label = @3
          local.get 5
          local.get 2
          i32.store
          local.get 5
          i32.const 4
          i32.add
          local.tee 5
          local.get 3
          i32.lt_u
          br_if 0 (;@3;)
        end
      end
      local.get 4
      i32.const 3
      i32.and
      local.set 2
    end
    block  ;; label = @1
      local.get 2
      i32.eqz
      br_if 0 (;@1;)
      local.get 3
      local.get 2
      i32.add
      local.set 5
      loop  ;; label = @2
        local.get 3
        local.get 1
        i32.store8
        local.get 3
        i32.const 1
        i32.add
        local.tee 3
        local.get 5
        i32.lt_u
        br_if 0 (;@2;)
      end
    end
    local.get 0)
  (table (;0;) 16 16 funcref)
  (memory (;0;) 17)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (global (;1;) i32 (i32.const 1048748))
  (global (;2;) i32 (i32.const 1048752))
  (export "memory" (memory 0))
  (export "run_lo" (func $run_lo))
  (export "run_hi" (func $run_hi))
  (export "op1" (func $op1))
  (export "program_byte" (func $program_byte))
  (export "__data_end" (global 1))
  (export "__heap_base" (global 2))
  (elem (;0;) (i32.const 1) func $_ZN4core3ptr35drop_in_place$LT$dispatch..Push$GT$17h72f8cecd80caa3ebE $_ZN47_$LT$dispatch..Push$u20$as$u20$dispatch..Op$GT$4exec17h45d8edafca7d9ee6E $_ZN8dispatch3add17hbfaec53e71572a11E $_ZN4core3ptr37drop_in_place$LT$dispatch..Binary$GT$17h02871cb4ccebdbefE $_ZN49_$LT$dispatch..Binary$u20$as$u20$dispatch..Op$GT$4exec17h786c7919a415c9e2E $_ZN8dispatch3mul17h77618c7d52d8941cE $_ZN8dispatch6rotxor17h19a626944e9764b5E $_ZN4core3ptr34drop_in_place$LT$dispatch..Dup$GT$17h66c881d3cd5c7b7bE $_ZN46_$LT$dispatch..Dup$u20$as$u20$dispatch..Op$GT$4exec17h19c4f694853aacf3E $_ZN4core3ptr35drop_in_place$LT$dispatch..Swap$GT$17h99283fb6690ff478E $_ZN47_$LT$dispatch..Swap$u20$as$u20$dispatch..Op$GT$4exec17he1840209a6c93039E $_ZN4core3ptr35drop_in_place$LT$dispatch..Jump$GT$17h0f54c4b20a565fefE $_ZN47_$LT$dispatch..Jump$u20$as$u20$dispatch..Op$GT$4exec17h9e74af1a43017cedE $_ZN4core3ptr34drop_in_place$LT$dispatch..Mix$GT$17hf43f88e8c66797c5E $_ZN46_$LT$dispatch..Mix$u20$as$u20$dispatch..Op$GT$4exec17h81022763a125e24cE)
  (data $.rodata (i32.const 1048576) "\01\00\00\00\00\00\00\00\01\00\00\00\02\00\00\00\03\00\00\00\04\00\00\00\04\00\00\00\04\00\00\00\05\00\00\00\06\00\00\00\07\00\00\00\08\00\00\00\00\00\00\00\01\00\00\00\09\00\00\00\0a\00\00\00\00\00\00\00\01\00\00\00\0b\00\00\00\0c\00\00\00\00\00\00\00\01\00\00\00\0d\00\00\00\0e\00\00\00\00\00\00\00\01\00\00\00\0f\00\00\00\00\00\10\00\00\00\10\00\10\00\10\00\14\00\10\00$\00\10\00\14\00\10\00(\00\10\00\14\00\10\00\00\00\10\00,\00\10\00\00\00\10\00<\00\10\00\00\00\10\00L\00\10\00\00\00\10\00\5c\00\10\00"))
