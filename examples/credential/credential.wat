(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func (param i32 i32)))
  (type (;2;) (func (result i32)))
  (type (;3;) (func (param i32 i32 i32) (result i32)))
  (import "gloam" "read_public" (func $_ZN9gloam_sdk3sys11read_public17h267f5cfdfcc7b12aE (type 0)))
  (import "gloam" "read_private" (func $_ZN9gloam_sdk3sys12read_private17h58ffb366042b432bE (type 0)))
  (import "gloam" "commit" (func $_ZN9gloam_sdk3sys6commit17haf29a61fedbe7432E (type 1)))
  (func $prove_balance (type 2) (result i32)
    (local i32 i64 i32 i32 i64 i32 i32 i32 i32 i64 i32)
    global.get $__stack_pointer
    i32.const 1264
    i32.sub
    local.tee 0
    global.set $__stack_pointer
    local.get 0
    i64.const 0
    i64.store offset=128
    block  ;; label = @1
      local.get 0
      i32.const 128
      i32.add
      i32.const 8
      call $_ZN9gloam_sdk3sys11read_public17h267f5cfdfcc7b12aE
      i32.const 8
      i32.ne
      br_if 0 (;@1;)
      local.get 0
      i64.load offset=128
      local.set 1
      local.get 0
      i32.const 128
      i32.add
      i32.const 24
      i32.add
      local.tee 2
      i64.const 0
      i64.store
      local.get 0
      i32.const 128
      i32.add
      i32.const 16
      i32.add
      local.tee 3
      i64.const 0
      i64.store
      local.get 0
      i32.const 128
      i32.add
      i32.const 8
      i32.add
      i64.const 0
      i64.store
      local.get 0
      i64.const 0
      i64.store offset=128
      local.get 0
      i32.const 128
      i32.add
      i32.const 32
      call $_ZN9gloam_sdk3sys11read_public17h267f5cfdfcc7b12aE
      i32.const 32
      i32.ne
      br_if 0 (;@1;)
      local.get 0
      i32.const 24
      i32.add
      local.get 2
      i64.load
      i64.store
      local.get 0
      i32.const 16
      i32.add
      local.get 3
      i64.load
      i64.store
      local.get 0
      i32.const 8
      i32.add
      local.get 0
      i32.const 128
      i32.add
      i32.const 8
      i32.add
      i64.load
      i64.store
      local.get 0
      local.get 0
      i64.load offset=128
      i64.store
      local.get 0
      i32.const 0
      i32.store8 offset=128
      local.get 0
      i32.const 128
      i32.add
      i32.const 1
      call $_ZN9gloam_sdk3sys11read_public17h267f5cfdfcc7b12aE
      br_if 0 (;@1;)
      local.get 0
      i64.const 0
      i64.store offset=128
      local.get 0
      i32.const 128
      i32.add
      i32.const 8
      call $_ZN9gloam_sdk3sys12read_private17h58ffb366042b432bE
      i32.const 8
      i32.ne
      br_if 0 (;@1;)
      local.get 0
      i64.load offset=128
      local.set 4
      local.get 0
      i32.const 128
      i32.add
      i32.const 24
      i32.add
      local.tee 2
      i64.const 0
      i64.store
      local.get 0
      i32.const 128
      i32.add
      i32.const 16
      i32.add
      local.tee 3
      i64.const 0
      i64.store
      local.get 0
      i32.const 128
      i32.add
      i32.const 8
      i32.add
      local.tee 5
      i64.const 0
      i64.store
      local.get 0
      i64.const 0
      i64.store offset=128
      local.get 0
      i32.const 128
      i32.add
      i32.const 32
      call $_ZN9gloam_sdk3sys12read_private17h58ffb366042b432bE
      i32.const 32
      i32.ne
      br_if 0 (;@1;)
      local.get 0
      i32.const 32
      i32.add
      i32.const 24
      i32.add
      local.get 2
      i64.load
      i64.store
      local.get 0
      i32.const 32
      i32.add
      i32.const 16
      i32.add
      local.get 3
      i64.load
      i64.store
      local.get 0
      i32.const 32
      i32.add
      i32.const 8
      i32.add
      local.get 5
      i64.load
      i64.store
      local.get 0
      local.get 0
      i64.load offset=128
      i64.store offset=32
      local.get 0
      i32.const 116
      i32.add
      i32.const 32
      i32.store
      local.get 0
      i32.const 108
      i32.add
      i32.const 8
      i32.store
      local.get 0
      i32.const 13
      i32.store offset=100
      local.get 0
      i32.const 1048576
      i32.store offset=96
      local.get 0
      local.get 4
      i64.store offset=120
      local.get 0
      local.get 0
      i32.const 32
      i32.add
      i32.store offset=112
      local.get 0
      local.get 0
      i32.const 120
      i32.add
      i32.store offset=104
      i32.const 0
      local.set 2
      local.get 0
      i32.const 1152
      i32.add
      i32.const 44
      i32.add
      i32.const 0
      i32.const 64
      call $memset
      local.set 6
      local.get 0
      i32.const 1152
      i32.add
      i32.const 32
      i32.add
      i32.const 0
      i64.load offset=1048872 align=4
      i64.store
      local.get 0
      i32.const 1152
      i32.add
      i32.const 24
      i32.add
      i32.const 0
      i64.load offset=1048864 align=4
      i64.store
      local.get 0
      i32.const 1152
      i32.add
      i32.const 16
      i32.add
      i32.const 0
      i64.load offset=1048856 align=4
      i64.store
      local.get 0
      i32.const 0
      i32.store offset=1192
      local.get 0
      i32.const 0
      i64.load offset=1048848 align=4
      i64.store offset=1160
      local.get 0
      i32.const 96
      i32.add
      i32.const 24
      i32.add
      local.set 7
      local.get 0
      i32.const 1152
      i32.add
      i32.const 8
      i32.add
      local.set 8
      i64.const 0
      local.set 9
      local.get 0
      i32.const 96
      i32.add
      local.set 3
      loop  ;; label = @2
        local.get 0
        local.get 9
        local.get 3
        i32.load offset=4
        local.tee 5
        i64.extend_i32_u
        i64.add
        i64.store offset=1152
        local.get 3
        i32.const 8
        i32.add
        local.set 10
        block  ;; label = @3
          local.get 5
          i32.eqz
          br_if 0 (;@3;)
          local.get 3
          i32.load
          local.set 3
          loop  ;; label = @4
            local.get 0
            i32.const 1152
            i32.add
            local.get 2
            i32.const 63
            i32.and
            i32.add
            i32.const 44
            i32.add
            local.get 3
            i32.load8_u
            i32.store8
            local.get 0
            local.get 2
            i32.const 1
            i32.add
            local.tee 2
            i32.store offset=1192
            block  ;; label = @5
              local.get 2
              i32.const 64
              i32.ne
              br_if 0 (;@5;)
              local.get 8
              local.get 6
              call $_ZN9gloam_sdk6sha2568compress17h07b3bf75d09d6c4aE
              i32.const 0
              local.set 2
              local.get 0
              i32.const 0
              i32.store offset=1192
            end
            local.get 3
            i32.const 1
            i32.add
            local.set 3
            local.get 5
            i32.const -1
            i32.add
            local.tee 5
            br_if 0 (;@4;)
          end
        end
        block  ;; label = @3
          local.get 7
          local.get 10
          i32.ne
          br_if 0 (;@3;)
          local.get 0
          i32.const 128
          i32.add
          local.get 0
          i32.const 1152
          i32.add
          i32.const 112
          call $memcpy
          drop
          local.get 0
          i32.const 172
          i32.add
          local.tee 6
          local.get 0
          i32.load offset=168
          local.tee 3
          i32.const 63
          i32.and
          i32.add
          i32.const 128
          i32.store8
          local.get 0
          local.get 3
          i32.const 1
          i32.add
          local.tee 2
          i32.store offset=168
          local.get 0
          i64.load offset=128
          i64.const 3
          i64.shl
          local.set 9
          block  ;; label = @4
            block  ;; label = @5
              block  ;; label = @6
                local.get 2
                i32.const 57
                i32.lt_u
                br_if 0 (;@6;)
                block  ;; label = @7
                  local.get 2
                  i32.const 63
                  i32.gt_u
                  br_if 0 (;@7;)
                  local.get 0
                  i32.const 173
                  i32.add
                  local.set 2
                  loop  ;; label = @8
                    local.get 2
                    local.get 3
                    i32.add
                    i32.const 0
                    i32.store8
                    local.get 0
                    local.get 3
                    i32.const 2
                    i32.add
                    i32.store offset=168
                    local.get 3
                    i32.const 1
                    i32.add
                    local.tee 3
                    i32.const 63
                    i32.ne
                    br_if 0 (;@8;)
                  end
                end
                local.get 0
                i32.const 136
                i32.add
                local.get 6
                call $_ZN9gloam_sdk6sha2568compress17h07b3bf75d09d6c4aE
                i32.const 0
                local.set 2
                br 1 (;@5;)
              end
              local.get 2
              i32.const 56
              i32.eq
              br_if 1 (;@4;)
            end
            local.get 0
            i32.const 172
            i32.add
            local.set 3
            loop  ;; label = @5
              local.get 3
              local.get 2
              i32.add
              i32.const 0
              i32.store8
              local.get 0
              local.get 2
              i32.const 1
              i32.add
              local.tee 2
              i32.store offset=168
              local.get 2
              i32.const 56
              i32.ne
              br_if 0 (;@5;)
            end
          end
          local.get 0
          i32.const 228
          i32.add
          local.get 9
          i64.const 56
          i64.shl
          local.get 9
          i64.const 40
          i64.shl
          i64.const 71776119061217280
          i64.and
          i64.or
          local.get 9
          i64.const 24
          i64.shl
          i64.const 280375465082880
          i64.and
          local.get 9
          i64.const 8
          i64.shl
          i64.const 1095216660480
          i64.and
          i64.or
          i64.or
          local.get 9
          i64.const 8
          i64.shr_u
          i64.const 4278190080
          i64.and
          local.get 9
          i64.const 24
          i64.shr_u
          i64.const 16711680
          i64.and
          i64.or
          local.get 9
          i64.const 40
          i64.shr_u
          i64.const 65280
          i64.and
          local.get 9
          i64.const 56
          i64.shr_u
          i64.or
          i64.or
          i64.or
          i64.store align=4
          local.get 0
          i32.const 128
          i32.add
          i32.const 8
          i32.add
          local.tee 5
          local.get 6
          call $_ZN9gloam_sdk6sha2568compress17h07b3bf75d09d6c4aE
          local.get 0
          i32.const 64
          i32.add
          i32.const 24
          i32.add
          i64.const 0
          i64.store
          local.get 0
          i32.const 80
          i32.add
          i64.const 0
          i64.store
          local.get 0
          i32.const 64
          i32.add
          i32.const 8
          i32.add
          i64.const 0
          i64.store
          local.get 0
          i64.const 0
          i64.store offset=64
          i32.const 0
          local.set 2
          loop  ;; label = @4
            local.get 0
            i32.const 64
            i32.add
            local.get 2
            i32.add
            local.get 5
            local.get 2
            i32.add
            i32.load
            local.tee 3
            i32.const 24
            i32.shl
            local.get 3
            i32.const 8
            i32.shl
            i32.const 16711680
            i32.and
            i32.or
            local.get 3
            i32.const 8
            i32.shr_u
            i32.const 65280
            i32.and
            local.get 3
            i32.const 24
            i32.shr_u
            i32.or
            i32.or
            i32.store align=1
            local.get 2
            i32.const 4
            i32.add
            local.tee 2
            i32.const 32
            i32.ne
            br_if 0 (;@4;)
          end
          local.get 0
          i32.const 64
          i32.add
          local.get 0
          i32.const 32
          call $memcmp
          br_if 2 (;@1;)
          local.get 4
          local.get 1
          i64.lt_u
          br_if 2 (;@1;)
          local.get 0
          local.get 1
          i64.store offset=128
          local.get 0
          i32.const 128
          i32.add
          i32.const 8
          call $_ZN9gloam_sdk3sys6commit17haf29a61fedbe7432E
          local.get 0
          i32.const 152
          i32.add
          i64.const 0
          i64.store
          local.get 0
          i32.const 144
          i32.add
          i64.const 0
          i64.store
          local.get 0
          i32.const 128
          i32.add
          i32.const 8
          i32.add
          i64.const 0
          i64.store
          local.get 0
          i64.const 0
          i64.store offset=128
          i32.const 0
          local.set 2
          loop  ;; label = @4
            local.get 0
            i32.const 128
            i32.add
            local.get 2
            i32.add
            local.get 0
            local.get 2
            i32.add
            i32.load8_u
            i32.store8
            local.get 2
            i32.const 1
            i32.add
            local.tee 2
            i32.const 32
            i32.ne
            br_if 0 (;@4;)
          end
          local.get 0
          i32.const 128
          i32.add
          i32.const 32
          call $_ZN9gloam_sdk3sys6commit17haf29a61fedbe7432E
          local.get 0
          i32.const 1264
          i32.add
          global.set $__stack_pointer
          i32.const 1
          return
        end
        local.get 0
        i64.load offset=1152
        local.set 9
        local.get 10
        local.set 3
        br 0 (;@2;)
      end
    end
    unreachable
    unreachable)
  (func $_ZN9gloam_sdk6sha2568compress17h07b3bf75d09d6c4aE (type 1) (param i32 i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    global.get $__stack_pointer
    i32.const 256
    i32.sub
    local.tee 2
    global.set $__stack_pointer
    i32.const 0
    local.set 3
    local.get 2
    i32.const 0
    i32.const 256
    call $memset
    local.set 4
    loop  ;; label = @1
      local.get 4
      local.get 3
      i32.add
      local.get 1
      local.get 3
      i32.add
      i32.load align=1
      local.tee 2
      i32.const 24
      i32.shl
      local.get 2
      i32.const 8
      i32.shl
      i32.const 16711680
      i32.and
      i32.or
      local.get 2
      i32.const 8
      i32.shr_u
      i32.const 65280
      i32.and
      local.get 2
      i32.const 24
      i32.shr_u
      i32.or
      i32.or
      i32.store
      local.get 3
      i32.const 4
      i32.add
      local.tee 3
      i32.const 64
      i32.ne
      br_if 0 (;@1;)
    end
    i32.const 0
    local.set 1
    local.get 4
    i32.load
    local.tee 5
    local.set 6
    loop  ;; label = @1
      local.get 4
      local.get 1
      i32.add
      local.tee 3
      i32.const 64
      i32.add
      local.get 3
      i32.const 4
      i32.add
      i32.load
      local.tee 2
      i32.const 25
      i32.rotl
      local.get 2
      i32.const 14
      i32.rotl
      i32.xor
      local.get 2
      i32.const 3
      i32.shr_u
      i32.xor
      local.get 6
      i32.add
      local.get 3
      i32.const 36
      i32.add
      i32.load
      i32.add
      local.get 3
      i32.const 56
      i32.add
      i32.load
      local.tee 3
      i32.const 15
      i32.rotl
      local.get 3
      i32.const 13
      i32.rotl
      i32.xor
      local.get 3
      i32.const 10
      i32.shr_u
      i32.xor
      i32.add
      i32.store
      local.get 2
      local.set 6
      local.get 1
      i32.const 4
      i32.add
      local.tee 1
      i32.const 192
      i32.ne
      br_if 0 (;@1;)
    end
    local.get 4
    i32.const 4
    i32.add
    local.set 7
    i32.const 0
    local.set 1
    local.get 0
    i32.load offset=28
    local.tee 8
    local.set 9
    local.get 0
    i32.load offset=24
    local.tee 10
    local.set 11
    local.get 0
    i32.load offset=20
    local.tee 12
    local.set 13
    local.get 0
    i32.load offset=16
    local.tee 14
    local.set 3
    local.get 0
    i32.load
    local.tee 15
    local.set 16
    local.get 0
    i32.load offset=4
    local.tee 17
    local.set 2
    local.get 0
    i32.load offset=8
    local.tee 18
    local.set 6
    local.get 0
    i32.load offset=12
    local.tee 19
    local.set 20
    block  ;; label = @1
      loop  ;; label = @2
        local.get 6
        local.set 21
        local.get 2
        local.set 6
        local.get 16
        local.tee 2
        i32.const 30
        i32.rotl
        local.get 2
        i32.const 19
        i32.rotl
        i32.xor
        local.get 2
        i32.const 10
        i32.rotl
        i32.xor
        local.get 2
        local.get 6
        local.get 21
        i32.xor
        i32.and
        local.get 6
        local.get 21
        i32.and
        i32.xor
        i32.add
        local.get 11
        local.get 3
        i32.const -1
        i32.xor
        i32.and
        local.get 13
        local.get 3
        i32.and
        i32.or
        local.get 9
        i32.add
        local.get 3
        i32.const 26
        i32.rotl
        local.get 3
        i32.const 21
        i32.rotl
        i32.xor
        local.get 3
        i32.const 7
        i32.rotl
        i32.xor
        i32.add
        local.get 1
        i32.const 1048592
        i32.add
        i32.load
        i32.add
        local.get 5
        i32.add
        local.tee 5
        i32.add
        local.set 16
        local.get 5
        local.get 20
        i32.add
        local.set 20
        local.get 1
        i32.const 252
        i32.eq
        br_if 1 (;@1;)
        local.get 7
        local.get 1
        i32.add
        i32.load
        local.set 5
        local.get 1
        i32.const 4
        i32.add
        local.set 1
        local.get 11
        local.set 9
        local.get 13
        local.set 11
        local.get 3
        local.set 13
        local.get 20
        local.set 3
        local.get 21
        local.set 20
        br 0 (;@2;)
      end
    end
    local.get 0
    local.get 11
    local.get 8
    i32.add
    i32.store offset=28
    local.get 0
    local.get 13
    local.get 10
    i32.add
    i32.store offset=24
    local.get 0
    local.get 3
    local.get 12
    i32.add
    i32.store offset=20
    local.get 0
    local.get 20
    local.get 14
    i32.add
    i32.store offset=16
    local.get 0
    local.get 21
    local.get 19
    i32.add
    i32.store offset=12
    local.get 0
    local.get 6
    local.get 18
    i32.add
    i32.store offset=8
    local.get 0
    local.get 2
    local.get 17
    i32.add
    i32.store offset=4
    local.get 0
    local.get 16
    local.get 15
    i32.add
    i32.store
    local.get 4
    i32.const 256
    i32.add
    global.set $__stack_pointer)
  (func $memcmp (type 3) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    call $_ZN17compiler_builtins3mem6memcmp17h746cbb5083404253E)
  (func $memcpy (type 3) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    call $_ZN17compiler_builtins3mem6memcpy17h79ddd583664b3214E)
  (func $memset (type 3) (param i32 i32 i32) (result i32)
    local.get 0
    local.get 1
    local.get 2
    call $_ZN17compiler_builtins3mem6memset17h062079ea7f8a1431E)
  (func $_ZN17compiler_builtins3mem6memcpy17h79ddd583664b3214E (type 3) (param i32 i32 i32) (result i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32)
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
        local.get 1
        local.set 6
        loop  ;; label = @3
          local.get 3
          local.get 6
          i32.load8_u
          i32.store8
          local.get 6
          i32.const 1
          i32.add
          local.set 6
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
      local.tee 7
      i32.const -4
      i32.and
      local.tee 8
      i32.add
      local.set 3
      block  ;; label = @2
        block  ;; label = @3
          local.get 1
          local.get 4
          i32.add
          local.tee 9
          i32.const 3
          i32.and
          i32.eqz
          br_if 0 (;@3;)
          local.get 8
          i32.const 1
          i32.lt_s
          br_if 1 (;@2;)
          local.get 9
          i32.const 3
          i32.shl
          local.tee 6
          i32.const 24
          i32.and
          local.set 2
          local.get 9
          i32.const -4
          i32.and
          local.tee 10
          i32.const 4
          i32.add
          local.set 1
          i32.const 0
          local.get 6
          i32.sub
          i32.const 24
          i32.and
          local.set 4
          local.get 10
          i32.load
          local.set 6
          loop  ;; label = @4
            local.get 5
            local.get 6
            local.get 2
            i32.shr_u
            local.get 1
            i32.load
            local.tee 6
            local.get 4
            i32.shl
            i32.or
            i32.store
            local.get 1
            i32.const 4
            i32.add
            local.set 1
            local.get 5
            i32.const 4
            i32.add
            local.tee 5
            local.get 3
            i32.lt_u
            br_if 0 (;@4;)
            br 2 (;@2;)
          end
        end
        local.get 8
        i32.const 1
        i32.lt_s
        br_if 0 (;@2;)
        local.get 9
        local.set 1
        loop  ;; label = @3
          local.get 5
          local.get 1
          i32.load
          i32.store
          local.get 1
          i32.const 4
          i32.add
          local.set 1
          local.get 5
          i32.const 4
          i32.add
          local.tee 5
          local.get 3
          i32.lt_u
          br_if 0 (;@3;)
        end
      end
      local.get 7
      i32.const 3
      i32.and
      local.set 2
      local.get 9
      local.get 8
      i32.add
      local.set 1
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
        i32.load8_u
        i32.store8
        local.get 1
        i32.const 1
        i32.add
        local.set 1
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
  (func $_ZN17compiler_builtins3mem6memset17h062079ea7f8a1431E (type 3) (param i32 i32 i32) (result i32)
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
  (func $_ZN17compiler_builtins3mem6memcmp17h746cbb5083404253E (type 3) (param i32 i32 i32) (result i32)
    (local i32 i32 i32)
    i32.const 0
    local.set 3
    block  ;; label = @1
      local.get 2
      i32.eqz
      br_if 0 (;@1;)
      block  ;; label = @2
        loop  ;; label = @3
          local.get 0
          i32.load8_u
          local.tee 4
          local.get 1
          i32.load8_u
          local.tee 5
          i32.ne
          br_if 1 (;@2;)
          local.get 0
          i32.const 1
          i32.add
          local.set 0
          local.get 1
          i32.const 1
          i32.add
          local.set 1
          local.get 2
          i32.const -1
          i32.add
          local.tee 2
          i32.eqz
          br_if 2 (;@1;)
          br 0 (;@3;)
        end
      end
      local.get 4
      local.get 5
      i32.sub
      local.set 3
    end
    local.get 3)
  (memory (;0;) 17)
  (global $__stack_pointer (mut i32) (i32.const 1048576))
  (global (;1;) i32 (i32.const 1048880))
  (global (;2;) i32 (i32.const 1048880))
  (export "memory" (memory 0))
  (export "prove_balance" (func $prove_balance))
  (export "__data_end" (global 1))
  (export "__heap_base" (global 2))
  (data $.rodata (i32.const 1048576) "gloam-balance\00\00\00\98/\8aB\91D7q\cf\fb\c0\b5\a5\db\b5\e9[\c2V9\f1\11\f1Y\a4\82?\92\d5^\1c\ab\98\aa\07\d8\01[\83\12\be\851$\c3}\0cUt]\ber\fe\b1\de\80\a7\06\dc\9bt\f1\9b\c1\c1i\9b\e4\86G\be\ef\c6\9d\c1\0f\cc\a1\0c$o,\e9-\aa\84tJ\dc\a9\b0\5c\da\88\f9vRQ>\98m\c61\a8\c8'\03\b0\c7\7fY\bf\f3\0b\e0\c6G\91\a7\d5Qc\ca\06g))\14\85\0a\b7'8!\1b.\fcm,M\13\0d8STs\0ae\bb\0ajv.\c9\c2\81\85,r\92\a1\e8\bf\a2Kf\1a\a8p\8bK\c2\a3Ql\c7\19\e8\92\d1$\06\99\d6\855\0e\f4p\a0j\10\16\c1\a4\19\08l7\1eLwH'\b5\bc\b04\b3\0c\1c9J\aa\d8NO\ca\9c[\f3o.h\ee\82\8ftoc\a5x\14x\c8\84\08\02\c7\8c\fa\ff\be\90\eblP\a4\f7\a3\f9\be\f2xq\c6g\e6\09j\85\aeg\bbr\f3n<:\f5O\a5\7fR\0eQ\8ch\05\9b\ab\d9\83\1f\19\cd\e0["))
