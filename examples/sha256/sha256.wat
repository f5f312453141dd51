(module
  (type (;0;) (func (param i32 i32) (result i32)))
  (type (;1;) (func (param i32)))
  (type (;2;) (func))
  (type (;3;) (func (param i32) (result i32)))
  (type (;4;) (func (param i32 i32 i32) (result i32)))
  (func $sha256_gen (type 0) (param i32 i32) (result i32)
    (local i32)
    block  ;; label = @1
      local.get 0
      i32.const 65536
      local.get 0
      i32.const 65536
      i32.lt_u
      select
      local.tee 2
      i32.eqz
      br_if 0 (;@1;)
      i32.const 0
      local.set 0
      loop  ;; label = @2
        local.get 0
        i32.const 1280
        i32.add
        local.get 1
        i32.const 1664525
        i32.mul
        i32.const 1013904223
        i32.add
        local.tee 1
        i32.const 24
        i32.shr_u
        i32.store8
        local.get 2
        local.get 0
        i32.const 1
        i32.add
        local.tee 0
        i32.ne
        br_if 0 (;@2;)
      end
    end
    i32.const 0
    i64.const 0
    i64.store offset=66880
    i32.const 0
    i64.const 6620516960021240235
    i64.store offset=66872
    i32.const 0
    i64.const -7276294671082564993
    i64.store offset=66864
    i32.const 0
    i64.const -6534734903820487822
    i64.store offset=66856
    i32.const 0
    i64.const -4942790177982912921
    i64.store offset=66848
    i32.const 0
    i32.const 0
    i32.store offset=66888
    local.get 2
    call $sha256_update
    call $sha256_final
    i32.const 0
    i32.load offset=66816)
  (func $sha256_update (type 1) (param i32)
    (local i32 i32 i32)
    i32.const 0
    i32.const 0
    i64.load offset=66880
    local.get 0
    i64.extend_i32_u
    i64.const 3
    i64.shl
    i64.add
    i64.store offset=66880
    block  ;; label = @1
      local.get 0
      i32.eqz
      br_if 0 (;@1;)
      i32.const 0
      i32.load offset=66888
      local.set 1
      i32.const 1280
      local.set 2
      loop  ;; label = @2
        block  ;; label = @3
          block  ;; label = @4
            local.get 1
            br_if 0 (;@4;)
            local.get 0
            i32.const 64
            i32.lt_u
            br_if 0 (;@4;)
            local.get 0
            i32.const -64
            i32.add
            local.set 0
            local.get 2
            call $compress
            local.get 2
            i32.const 64
            i32.add
            local.set 2
            i32.const 0
            i32.load offset=66888
            local.set 1
            br 1 (;@3;)
          end
          local.get 2
          i32.load8_u
          local.set 3
          i32.const 0
          local.get 1
          i32.const 1
          i32.add
          i32.store offset=66888
          local.get 1
          i32.const 66892
          i32.add
          local.get 3
          i32.store8
          local.get 0
          i32.const -1
          i32.add
          local.set 0
          local.get 2
          i32.const 1
          i32.add
          local.set 2
          i32.const 0
          i32.load offset=66888
          local.tee 1
          i32.const 64
          i32.ne
          br_if 0 (;@3;)
          i32.const 66892
          call $compress
          i32.const 0
          local.set 1
          i32.const 0
          i32.const 0
          i32.store offset=66888
        end
        local.get 0
        br_if 0 (;@2;)
      end
    end)
  (func $sha256_final (type 2)
    (local i32 i64 i32 i64)
    i32.const 0
    i32.load offset=66888
    local.set 0
    i32.const 0
    i64.load offset=66880
    local.set 1
    i32.const 128
    local.set 2
    loop  ;; label = @1
      i32.const 0
      local.get 0
      i32.const 1
      i32.add
      i32.store offset=66888
      local.get 0
      i32.const 66892
      i32.add
      local.get 2
      i32.store8
      block  ;; label = @2
        i32.const 0
        i32.load offset=66888
        local.tee 0
        i32.const 64
        i32.ne
        br_if 0 (;@2;)
        i32.const 66892
        call $compress
        i32.const 0
        local.set 0
        i32.const 0
        i32.const 0
        i32.store offset=66888
      end
      i32.const 0
      local.set 2
      local.get 0
      i32.const 56
      i32.ne
      br_if 0 (;@1;)
    end
    i32.const 56
    local.set 0
    i64.const 56
    local.set 3
    loop  ;; label = @1
      i32.const 0
      local.get 0
      i32.const 1
      i32.add
      i32.store offset=66888
      local.get 0
      i32.const 66892
      i32.add
      local.get 1
      local.get 3
      i64.shr_u
      i64.store8
      block  ;; label = @2
        i32.const 0
        i32.load offset=66888
        local.tee 0
        i32.const 64
        i32.ne
        br_if 0 (;@2;)
        i32.const 66892
        call $compress
        i32.const 0
        local.set 0
        i32.const 0
        i32.const 0
        i32.store offset=66888
      end
      local.get 3
      i64.const -8
      i64.add
      local.tee 3
      i64.const -8
      i64.ne
      br_if 0 (;@1;)
    end
    i32.const 0
    i32.const 0
    i64.load offset=66872
    i64.store offset=66840
    i32.const 0
    i32.const 0
    i64.load offset=66864
    i64.store offset=66832
    i32.const 0
    i32.const 0
    i64.load offset=66856
    i64.store offset=66824
    i32.const 0
    i32.const 0
    i64.load offset=66848
    i64.store offset=66816)
  (func $compress (type 1) (param i32)
    (local i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32 i32)
    global.get $__stack_pointer
    i32.const 256
    i32.sub
    local.tee 1
    global.set $__stack_pointer
    i32.const 0
    local.set 2
    loop  ;; label = @1
      local.get 1
      local.get 2
      i32.add
      local.get 0
      local.get 2
      i32.add
      i32.load align=1
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
      i32.store
      local.get 2
      i32.const 4
      i32.add
      local.tee 2
      i32.const 64
      i32.ne
      br_if 0 (;@1;)
    end
    i32.const 0
    local.set 0
    local.get 1
    i32.load
    local.tee 4
    local.set 5
    loop  ;; label = @1
      local.get 1
      local.get 0
      i32.add
      local.tee 2
      i32.const 64
      i32.add
      local.get 2
      i32.const 4
      i32.add
      i32.load
      local.tee 3
      i32.const 25
      i32.rotl
      local.get 3
      i32.const 14
      i32.rotl
      i32.xor
      local.get 3
      i32.const 3
      i32.shr_u
      i32.xor
      local.get 5
      i32.add
      local.get 2
      i32.const 36
      i32.add
      i32.load
      i32.add
      local.get 2
      i32.const 56
      i32.add
      i32.load
      local.tee 2
      i32.const 15
      i32.rotl
      local.get 2
      i32.const 13
      i32.rotl
      i32.xor
      local.get 2
      i32.const 10
      i32.shr_u
      i32.xor
      i32.add
      i32.store
      local.get 3
      local.set 5
      local.get 0
      i32.const 4
      i32.add
      local.tee 0
      i32.const 192
      i32.ne
      br_if 0 (;@1;)
    end
    local.get 1
    i32.const 4
    i32.or
    local.set 6
    i32.const 0
    local.set 0
    i32.const 0
    i32.load offset=66848
    local.tee 7
    local.set 8
    i32.const 0
    i32.load offset=66852
    local.tee 9
    local.set 3
    i32.const 0
    i32.load offset=66856
    local.tee 10
    local.set 5
    i32.const 0
    i32.load offset=66860
    local.tee 11
    local.set 12
    i32.const 0
    i32.load offset=66864
    local.tee 13
    local.set 14
    i32.const 0
    i32.load offset=66876
    local.tee 15
    local.set 16
    i32.const 0
    i32.load offset=66872
    local.tee 17
    local.set 18
    i32.const 0
    i32.load offset=66868
    local.tee 19
    local.set 20
    block  ;; label = @1
      loop  ;; label = @2
        local.get 5
        local.set 21
        local.get 3
        local.set 5
        local.get 8
        local.tee 3
        i32.const 30
        i32.rotl
        local.get 3
        i32.const 19
        i32.rotl
        i32.xor
        local.get 3
        i32.const 10
        i32.rotl
        i32.xor
        local.get 3
        local.get 5
        local.get 21
        i32.xor
        i32.and
        local.get 5
        local.get 21
        i32.and
        i32.xor
        i32.add
        local.get 18
        local.get 14
        local.tee 2
        i32.const -1
        i32.xor
        i32.and
        local.get 16
        i32.add
        local.get 2
        local.get 20
        i32.and
        i32.add
        local.get 2
        i32.const 26
        i32.rotl
        local.get 2
        i32.const 21
        i32.rotl
        i32.xor
        local.get 2
        i32.const 7
        i32.rotl
        i32.xor
        i32.add
        local.get 0
        i32.const 1024
        i32.add
        i32.load
        i32.add
        local.get 4
        i32.add
        local.tee 14
        i32.add
        local.set 8
        local.get 14
        local.get 12
        i32.add
        local.set 14
        local.get 0
        i32.const 252
        i32.eq
        br_if 1 (;@1;)
        local.get 6
        local.get 0
        i32.add
        i32.load
        local.set 4
        local.get 0
        i32.const 4
        i32.add
        local.set 0
        local.get 21
        local.set 12
        local.get 18
        local.set 16
        local.get 20
        local.set 18
        local.get 2
        local.set 20
        br 0 (;@2;)
      end
    end
    i32.const 0
    local.get 18
    local.get 15
    i32.add
    i32.store offset=66876
    i32.const 0
    local.get 20
    local.get 17
    i32.add
    i32.store offset=66872
    i32.const 0
    local.get 2
    local.get 19
    i32.add
    i32.store offset=66868
    i32.const 0
    local.get 14
    local.get 13
    i32.add
    i32.store offset=66864
    i32.const 0
    local.get 21
    local.get 11
    i32.add
    i32.store offset=66860
    i32.const 0
    local.get 5
    local.get 10
    i32.add
    i32.store offset=66856
    i32.const 0
    local.get 3
    local.get 9
    i32.add
    i32.store offset=66852
    i32.const 0
    local.get 8
    local.get 7
    i32.add
    i32.store offset=66848
    local.get 1
    i32.const 256
    i32.add
    global.set $__stack_pointer)
  (func $digest_word (type 3) (param i32) (result i32)
    (local i32)
    i32.const 0
    local.set 1
    block  ;; label = @1
      local.get 0
      i32.const 7
      i32.gt_u
      br_if 0 (;@1;)
      local.get 0
      i32.const 2
      i32.shl
      i32.const 66816
      i32.add
      i32.load
      local.set 1
    end
    local.get 1)
  (func $sha256_word (type 4) (param i32 i32 i32) (result i32)
    (local i32)
    block  ;; label = @1
      local.get 0
      i32.const 65536
      local.get 0
      i32.const 65536
      i32.lt_u
      select
      local.tee 3
      i32.eqz
      br_if 0 (;@1;)
      i32.const 0
      local.set 0
      loop  ;; label = @2
        local.get 0
        i32.const 1280
        i32.add
        local.get 1
        i32.const 1664525
        i32.mul
        i32.const 1013904223
        i32.add
        local.tee 1
        i32.const 24
        i32.shr_u
        i32.store8
        local.get 3
        local.get 0
        i32.const 1
        i32.add
        local.tee 0
        i32.ne
        br_if 0 (;@2;)
      end
    end
    i32.const 0
    local.set 0
    i32.const 0
    i64.const 0
    i64.store offset=66880
    i32.const 0
    i64.const 6620516960021240235
    i64.store offset=66872
    i32.const 0
    i64.const -7276294671082564993
    i64.store offset=66864
    i32.const 0
    i64.const -6534734903820487822
    i64.store offset=66856
    i32.const 0
    i64.const -4942790177982912921
    i64.store offset=66848
    i32.const 0
    i32.const 0
    i32.store offset=66888
    local.get 3
    call $sha256_update
    call $sha256_final
    block  ;; label = @1
      local.get 2
      i32.const 7
      i32.gt_u
      br_if 0 (;@1;)
      local.get 2
      i32.const 2
      i32.shl
      i32.const 66816
      i32.add
      i32.load
      local.set 0
    end
    local.get 0)
  (func $sha256_stream (type 0) (param i32 i32) (result i32)
    (local i32 i32)
    i32.const 0
    i64.const 0
    i64.store offset=66880
    i32.const 0
    i64.const 6620516960021240235
    i64.store offset=66872
    i32.const 0
    i64.const -7276294671082564993
    i64.store offset=66864
    i32.const 0
    i64.const -6534734903820487822
    i64.store offset=66856
    i32.const 0
    i64.const -4942790177982912921
    i64.store offset=66848
    i32.const 0
    i32.const 0
    i32.store offset=66888
    block  ;; label = @1
      local.get 0
      i32.eqz
      br_if 0 (;@1;)
      loop  ;; label = @2
        local.get 0
        i32.const 65536
        local.get 0
        i32.const 65536
        i32.lt_u
        select
        local.set 2
        i32.const 0
        local.set 3
        loop  ;; label = @3
          local.get 3
          i32.const 1280
          i32.add
          local.get 1
          i32.const 1664525
          i32.mul
          i32.const 1013904223
          i32.add
          local.tee 1
          i32.const 24
          i32.shr_u
          i32.store8
          local.get 2
          local.get 3
          i32.const 1
          i32.add
          local.tee 3
          i32.ne
          br_if 0 (;@3;)
        end
        local.get 2
        call $sha256_update
        local.get 0
        local.get 2
        i32.sub
        local.tee 0
        br_if 0 (;@2;)
      end
    end
    call $sha256_final
    i32.const 0
    i32.load offset=66816)
  (memory (;0;) 3)
  (global $__stack_pointer (mut i32) (i32.const 132496))
  (export "memory" (memory 0))
  (export "sha256_gen" (func $sha256_gen))
  (export "digest_word" (func $digest_word))
  (export "sha256_word" (func $sha256_word))
  (export "sha256_stream" (func $sha256_stream))
  (data $.rodata (i32.const 1024) "\98/\8aB\91D7q\cf\fb\c0\b5\a5\db\b5\e9[\c2V9\f1\11\f1Y\a4\82?\92\d5^\1c\ab\98\aa\07\d8\01[\83\12\be\851$\c3}\0cUt]\ber\fe\b1\de\80\a7\06\dc\9bt\f1\9b\c1\c1i\9b\e4\86G\be\ef\c6\9d\c1\0f\cc\a1\0c$o,\e9-\aa\84tJ\dc\a9\b0\5c\da\88\f9vRQ>\98m\c61\a8\c8'\03\b0\c7\7fY\bf\f3\0b\e0\c6G\91\a7\d5Qc\ca\06g))\14\85\0a\b7'8!\1b.\fcm,M\13\0d8STs\0ae\bb\0ajv.\c9\c2\81\85,r\92\a1\e8\bf\a2Kf\1a\a8p\8bK\c2\a3Ql\c7\19\e8\92\d1$\06\99\d6\855\0e\f4p\a0j\10\16\c1\a4\19\08l7\1eLwH'\b5\bc\b04\b3\0c\1c9J\aa\d8NO\ca\9c[\f3o.h\ee\82\8ftoc\a5x\14x\c8\84\08\02\c7\8c\fa\ff\be\90\eblP\a4\f7\a3\f9\be\f2xq\c6"))
