;; startup: a start function that fills linear memory from passive data
;; segments and sets mutable globals before any export runs.
;;
;; A wide contract: it has a start function (which every proof of an export
;; covers: the start function runs first, in the same proof), passive data
;; segments copied with `memory.init` and then dropped with
;; `data.drop` (bulk memory, WebAssembly 2.0), an active data segment, memory
;; loads and mutable globals. See examples/README.md.
;;
;; Memory after instantiation (the active segment is written first, then the
;; start function $init runs):
;;
;;   0x000..0x100  the AES S-box (FIPS 197), from passive segment $sbox
;;   0x100..0x140  SHA-256 round constants K[0..16] (FIPS 180-4), as
;;                 little-endian u32, from passive segment $k (copied in two
;;                 halves: the second half first, at a source offset of 32)
;;   0x140..0x150  "Gloam startup!" and two zero bytes, active segment $tag
;;   0x150..       zero
;;
;; $init also sets $sbox_sum = sum of S[i] * (i + 1) over i = 0..255 (mod
;; 2^32, read back from memory) and, last, $ready = 1.
;;
;; Exports (all i32 in, i32 out):
;;   ready()       $ready: 1 (0 would mean the start function did not run)
;;   sbox_sum()    $sbox_sum
;;   lookup(i)     S[i] for i < 256, else 0xFFFFFFFF
;;   sub_word(w)   AES SubWord: S applied to each of the four bytes of w
;;   word(i)       K[i] for i < 16, else 0
;;   checksum(n)   32-bit FNV-1a (h = 0x811c9dc5; h = (h ^ byte) * 0x01000193)
;;                 of the first min(n, 0x150) bytes of memory
(module
  (memory (export "memory") 1)

  (global $ready (mut i32) (i32.const 0))
  (global $sbox_sum (mut i32) (i32.const 0))

  ;; The AES S-box, 256 bytes.
  (data $sbox
    "\63\7c\77\7b\f2\6b\6f\c5\30\01\67\2b\fe\d7\ab\76"
    "\ca\82\c9\7d\fa\59\47\f0\ad\d4\a2\af\9c\a4\72\c0"
    "\b7\fd\93\26\36\3f\f7\cc\34\a5\e5\f1\71\d8\31\15"
    "\04\c7\23\c3\18\96\05\9a\07\12\80\e2\eb\27\b2\75"
    "\09\83\2c\1a\1b\6e\5a\a0\52\3b\d6\b3\29\e3\2f\84"
    "\53\d1\00\ed\20\fc\b1\5b\6a\cb\be\39\4a\4c\58\cf"
    "\d0\ef\aa\fb\43\4d\33\85\45\f9\02\7f\50\3c\9f\a8"
    "\51\a3\40\8f\92\9d\38\f5\bc\b6\da\21\10\ff\f3\d2"
    "\cd\0c\13\ec\5f\97\44\17\c4\a7\7e\3d\64\5d\19\73"
    "\60\81\4f\dc\22\2a\90\88\46\ee\b8\14\de\5e\0b\db"
    "\e0\32\3a\0a\49\06\24\5c\c2\d3\ac\62\91\95\e4\79"
    "\e7\c8\37\6d\8d\d5\4e\a9\6c\56\f4\ea\65\7a\ae\08"
    "\ba\78\25\2e\1c\a6\b4\c6\e8\dd\74\1f\4b\bd\8b\8a"
    "\70\3e\b5\66\48\03\f6\0e\61\35\57\b9\86\c1\1d\9e"
    "\e1\f8\98\11\69\d9\8e\94\9b\1e\87\e9\ce\55\28\df"
    "\8c\a1\89\0d\bf\e6\42\68\41\99\2d\0f\b0\54\bb\16")

  ;; SHA-256 K[0..16], little-endian u32, 64 bytes.
  (data $k
    "\98\2f\8a\42\91\44\37\71\cf\fb\c0\b5\a5\db\b5\e9"
    "\5b\c2\56\39\f1\11\f1\59\a4\82\3f\92\d5\5e\1c\ab"
    "\98\aa\07\d8\01\5b\83\12\be\85\31\24\c3\7d\0c\55"
    "\74\5d\be\72\fe\b1\de\80\a7\06\dc\9b\74\f1\9b\c1")

  ;; Active: written at instantiation, before the start function.
  (data $tag (i32.const 0x140) "Gloam startup!\00\00")

  (func $init
    (local $i i32)
    (local $sum i32)
    ;; memory.init (dest, src, len)
    (memory.init $sbox (i32.const 0) (i32.const 0) (i32.const 256))
    (memory.init $k (i32.const 0x120) (i32.const 32) (i32.const 32))
    (memory.init $k (i32.const 0x100) (i32.const 0) (i32.const 32))
    (data.drop $sbox)
    (data.drop $k)
    ;; $sbox_sum = sum of mem[i] * (i + 1), read back from memory
    (loop $next
      (local.set $sum
        (i32.add
          (local.get $sum)
          (i32.mul
            (i32.load8_u (local.get $i))
            (i32.add (local.get $i) (i32.const 1)))))
      (br_if $next
        (i32.lt_u
          (local.tee $i (i32.add (local.get $i) (i32.const 1)))
          (i32.const 256))))
    (global.set $sbox_sum (local.get $sum))
    (global.set $ready (i32.const 1)))

  (start $init)

  (func $ready_value (export "ready") (result i32)
    (global.get $ready))

  (func $sbox_sum_value (export "sbox_sum") (result i32)
    (global.get $sbox_sum))

  (func $lookup (export "lookup") (param $i i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $i) (i32.const 256))
      (then (i32.load8_u (local.get $i)))
      (else (i32.const -1))))

  (func $sub_word (export "sub_word") (param $w i32) (result i32)
    (i32.or
      (i32.or
        (call $lookup (i32.and (local.get $w) (i32.const 0xff)))
        (i32.shl
          (call $lookup (i32.and (i32.shr_u (local.get $w) (i32.const 8)) (i32.const 0xff)))
          (i32.const 8)))
      (i32.or
        (i32.shl
          (call $lookup (i32.and (i32.shr_u (local.get $w) (i32.const 16)) (i32.const 0xff)))
          (i32.const 16))
        (i32.shl
          (call $lookup (i32.shr_u (local.get $w) (i32.const 24)))
          (i32.const 24)))))

  (func $word (export "word") (param $i i32) (result i32)
    (if (result i32) (i32.lt_u (local.get $i) (i32.const 16))
      (then (i32.load offset=0x100 (i32.shl (local.get $i) (i32.const 2))))
      (else (i32.const 0))))

  (func $checksum (export "checksum") (param $n i32) (result i32)
    (local $h i32)
    (local $i i32)
    (local.set $h (i32.const 0x811c9dc5))
    (if (i32.gt_u (local.get $n) (i32.const 0x150))
      (then (local.set $n (i32.const 0x150))))
    (block $done
      (loop $next
        (br_if $done (i32.ge_u (local.get $i) (local.get $n)))
        (local.set $h
          (i32.mul
            (i32.xor (local.get $h) (i32.load8_u (local.get $i)))
            (i32.const 0x01000193)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $next)))
    (local.get $h)))
