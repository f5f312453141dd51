;; The contract interface's functions (`crate::io`), lowered into every program that imports
;; them, in the context of the program's own memory (`memory.size`, loads and stores are the
;; contract's). The imports of module "io" are the front end's intrinsics, not functions:
;;   word k          -> global.get of IO word IO_WORD + k (k a constant)
;;   set_word k v    -> global.set of IO word IO_WORD + k
;;   public_byte i   -> global.get_at PUBLIC_WORDS + i
;;   journal_byte i  -> global.get_at JOURNAL_WORDS + i
;;   advice k        -> advice #k (0: the private input's length, 1: its next byte)
;;   trap c          -> trap #c (3: out of bounds memory access, 8: journal mismatch)
;; IO words: 0 public length, 1 public cursor, 2 journal length, 3 journal cursor,
;; 4 private bytes left, 5 private input started.
;; The functions call no function of this module (a call would name the contract's).
(module
  (import "io" "word" (func $word (param i32) (result i32)))
  (import "io" "set_word" (func $set_word (param i32 i32)))
  (import "io" "public_byte" (func $public_byte (param i32) (result i32)))
  (import "io" "journal_byte" (func $journal_byte (param i32) (result i32)))
  (import "io" "advice" (func $advice (param i32) (result i32)))
  (import "io" "trap" (func $trap (param i32)))
  (memory 1)

  ;; Copies min(len, left) public bytes to [ptr, ...); returns the count.
  (func (export "read_public") (param $ptr i32) (param $len i32) (result i32)
    (local $cur i32) (local $n i32) (local $i i32)
    ;; [ptr, ptr + len) must lie in the memory.
    (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $ptr)) (i64.extend_i32_u (local.get $len)))
                  (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (then (call $trap (i32.const 3))))
    (local.set $cur (call $word (i32.const 1)))
    ;; The cursor never passes the length: n = min(len, length - cur).
    (local.set $n (i32.sub (call $word (i32.const 0)) (local.get $cur)))
    (if (i32.lt_u (local.get $len) (local.get $n)) (then (local.set $n (local.get $len))))
    (block $done
      (loop $copy
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $ptr) (local.get $i))
                    (call $public_byte (i32.add (local.get $cur) (local.get $i))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (call $set_word (i32.const 1) (i32.add (local.get $cur) (local.get $n)))
    (local.get $n))

  ;; Copies min(len, left) private bytes (advice) to [ptr, ...); returns the count. The
  ;; private input's length is advice taken once, at the first call.
  (func (export "read_private") (param $ptr i32) (param $len i32) (result i32)
    (local $left i32) (local $n i32) (local $i i32)
    (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $ptr)) (i64.extend_i32_u (local.get $len)))
                  (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (then (call $trap (i32.const 3))))
    (if (i32.eqz (call $word (i32.const 5)))
      (then
        (call $set_word (i32.const 4) (call $advice (i32.const 0)))
        (call $set_word (i32.const 5) (i32.const 1))))
    (local.set $left (call $word (i32.const 4)))
    (local.set $n (local.get $left))
    (if (i32.lt_u (local.get $len) (local.get $n)) (then (local.set $n (local.get $len))))
    (block $done
      (loop $copy
        (br_if $done (i32.eq (local.get $i) (local.get $n)))
        (i32.store8 (i32.add (local.get $ptr) (local.get $i)) (call $advice (i32.const 1)))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $copy)))
    (call $set_word (i32.const 4) (i32.sub (local.get $left) (local.get $n)))
    (local.get $n))

  ;; Checks that the len bytes at ptr are the journal's next bytes and moves the cursor
  ;; past them. cursor + i never wraps: reaching 2^32 would take 2^32 compared bytes, far
  ;; beyond the longest run (len <= 2^20 per call keeps one call's range in the journal's
  ;; words). The journal length (word 2) is read only by journal_end, at the end of the run:
  ;; the executor records the journal as commit is called, and the length it reports equals
  ;; the statement's only then (crate::io).
  (func (export "commit") (param $ptr i32) (param $len i32)
    (local $cur i32) (local $i i32)
    (if (i64.gt_u (i64.add (i64.extend_i32_u (local.get $ptr)) (i64.extend_i32_u (local.get $len)))
                  (i64.shl (i64.extend_i32_u (memory.size)) (i64.const 16)))
      (then (call $trap (i32.const 3))))
    (if (i32.gt_u (local.get $len) (i32.const 1048576)) (then (call $trap (i32.const 8))))
    (local.set $cur (call $word (i32.const 3)))
    (block $done
      (loop $cmp
        (br_if $done (i32.eq (local.get $i) (local.get $len)))
        (if (i32.ne (i32.load8_u (i32.add (local.get $ptr) (local.get $i)))
                    (call $journal_byte (i32.add (local.get $cur) (local.get $i))))
          (then (call $trap (i32.const 8))))
        (local.set $i (i32.add (local.get $i) (i32.const 1)))
        (br $cmp)))
    (call $set_word (i32.const 3) (i32.add (local.get $cur) (local.get $len))))

  ;; The end of every proven run of a module importing commit: the whole journal was
  ;; committed.
  (func (export "journal_end")
    (if (i32.ne (call $word (i32.const 3)) (call $word (i32.const 2)))
      (then (call $trap (i32.const 8))))))
