(module
  (type (;0;) (func))
  (type (;1;) (func (result i32)))
  (type (;2;) (func (param i32) (result i32)))
  (func $init (type 0)
    (local $i i32) (local $sum i32)
    i32.const 0
    i32.const 0
    i32.const 256
    memory.init $sbox
    i32.const 288
    i32.const 32
    i32.const 32
    memory.init $k
    i32.const 256
    i32.const 0
    i32.const 32
    memory.init $k
    data.drop $sbox
    data.drop $k
    loop  ;; label = @1
      local.get $sum
      local.get $i
      i32.load8_u
      local.get $i
      i32.const 1
      i32.add
      i32.mul
      i32.add
      local.set $sum
      local.get $i
      i32.const 1
      i32.add
      local.tee $i
      i32.const 256
      i32.lt_u
      br_if 0 (;@1;)
    end
    local.get $sum
    global.set $sbox_sum
    i32.const 1
    global.set $ready)
  (func $ready_value (type 1) (result i32)
    global.get $ready)
  (func $sbox_sum_value (type 1) (result i32)
    global.get $sbox_sum)
  (func $lookup (type 2) (param $i i32) (result i32)
    local.get $i
    i32.const 256
    i32.lt_u
    if (result i32)  ;; label = @1
      local.get $i
      i32.load8_u
    else
      i32.const -1
    end)
  (func $sub_word (type 2) (param $w i32) (result i32)
    local.get $w
    i32.const 255
    i32.and
    call $lookup
    local.get $w
    i32.const 8
    i32.shr_u
    i32.const 255
    i32.and
    call $lookup
    i32.const 8
    i32.shl
    i32.or
    local.get $w
    i32.const 16
    i32.shr_u
    i32.const 255
    i32.and
    call $lookup
    i32.const 16
    i32.shl
    local.get $w
    i32.const 24
    i32.shr_u
    call $lookup
    i32.const 24
    i32.shl
    i32.or
    i32.or)
  (func $word (type 2) (param $i i32) (result i32)
    local.get $i
    i32.const 16
    i32.lt_u
    if (result i32)  ;; label = @1
      local.get $i
      i32.const 2
      i32.shl
      i32.load offset=256
    else
      i32.const 0
    end)
  (func $checksum (type 2) (param $n i32) (result i32)
    (local $h i32) (local $i i32)
    i32.const -2128831035
    local.set $h
    local.get $n
    i32.const 336
    i32.gt_u
    if  ;; label = @1
      i32.const 336
      local.set $n
    end
    block  ;; label = @1
      loop  ;; label = @2
        local.get $i
        local.get $n
        i32.ge_u
        br_if 1 (;@1;)
        local.get $h
        local.get $i
        i32.load8_u
        i32.xor
        i32.const 16777619
        i32.mul
        local.set $h
        local.get $i
        i32.const 1
        i32.add
        local.set $i
        br 0 (;@2;)
      end
    end
    local.get $h)
  (memory (;0;) 1)
  (global $ready (mut i32) (i32.const 0))
  (global $sbox_sum (mut i32) (i32.const 0))
  (export "memory" (memory 0))
  (export "ready" (func $ready_value))
  (export "sbox_sum" (func $sbox_sum_value))
  (export "lookup" (func $lookup))
  (export "sub_word" (func $sub_word))
  (export "word" (func $word))
  (export "checksum" (func $checksum))
  (start $init)
  (data $sbox "c|w{\f2ko\c50\01g+\fe\d7\abv\ca\82\c9}\faYG\f0\ad\d4\a2\af\9c\a4r\c0\b7\fd\93&6?\f7\cc4\a5\e5\f1q\d81\15\04\c7#\c3\18\96\05\9a\07\12\80\e2\eb'\b2u\09\83,\1a\1bnZ\a0R;\d6\b3)\e3/\84S\d1\00\ed \fc\b1[j\cb\be9JLX\cf\d0\ef\aa\fbCM3\85E\f9\02\7fP<\9f\a8Q\a3@\8f\92\9d8\f5\bc\b6\da!\10\ff\f3\d2\cd\0c\13\ec_\97D\17\c4\a7~=d]\19s`\81O\dc\22*\90\88F\ee\b8\14\de^\0b\db\e02:\0aI\06$\5c\c2\d3\acb\91\95\e4y\e7\c87m\8d\d5N\a9lV\f4\eaez\ae\08\bax%.\1c\a6\b4\c6\e8\ddt\1fK\bd\8b\8ap>\b5fH\03\f6\0ea5W\b9\86\c1\1d\9e\e1\f8\98\11i\d9\8e\94\9b\1e\87\e9\ceU(\df\8c\a1\89\0d\bf\e6BhA\99-\0f\b0T\bb\16")
  (data $k "\98/\8aB\91D7q\cf\fb\c0\b5\a5\db\b5\e9[\c2V9\f1\11\f1Y\a4\82?\92\d5^\1c\ab\98\aa\07\d8\01[\83\12\be\851$\c3}\0cUt]\ber\fe\b1\de\80\a7\06\dc\9bt\f1\9b\c1")
  (data $tag (i32.const 320) "Gloam startup!\00\00"))
