//! The `i64` lowering: every `i64` value is two 32-bit slots and every `i64` operator is
//! expanded by the front end into 32-bit instructions (plus helper functions for division
//! and the bit counts). These tests check each operator against a reference model written
//! here with Rust's `u64`/`i64` methods (WebAssembly 2.0 §4.3.2), in every lowering shape
//! (operands in parameters, temporaries, constants, a deeper stack, results stored back into
//! the operands' locals), plus loads and stores, globals, calls across functions, instances
//! and the host, multi-value control flow, and the provability of the lowered code.

use std::sync::Arc;

use gloam_executor::{run, run_traced, ExecError, InstanceId, Limits, Store, Value};
use gloam_isa::{load_module, FuncSig, Op, Program, TrapKind, ValType};

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

/// Edge-case `i64` operands.
const VALS: [u64; 30] = [
    0,
    1,
    2,
    3,
    7,
    31,
    32,
    33,
    63,
    64,
    100,
    0x7fff_ffff,
    0x8000_0000,
    0xffff_ffff,
    0x1_0000_0000,
    0x1_0000_0001,
    0x1_ffff_ffff,
    0x7fff_ffff_ffff_ffff,
    0x8000_0000_0000_0000,
    0x8000_0000_0000_0001,
    0xffff_ffff_0000_0000,
    0xffff_ffff_8000_0000,
    0xffff_ffff_ffff_fffe,
    0xffff_ffff_ffff_ffff,
    0xffff_ffff_ffff_ff9c, // -100
    0xdead_beef_1234_5678,
    0x0000_ffff_0000_ffff,
    0x1234_5678_9abc_def0,
    0x0001_0000_0000_0000,
    0x0000_0000_0001_0000,
];

/// `VALS` plus single bits, low masks and their complements.
fn extended_vals() -> Vec<u64> {
    let mut v = VALS.to_vec();
    for k in 0..64 {
        v.push(1u64 << k);
        v.push((1u64 << k).wrapping_sub(1));
        v.push(!(1u64 << k));
    }
    v.extend([
        0x5555_5555_5555_5555,
        0xaaaa_aaaa_aaaa_aaaa,
        0x8000_0000_7fff_ffff,
        0x7fff_ffff_8000_0000,
    ]);
    v.sort_unstable();
    v.dedup();
    v
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    /// A random operand of a random bit length (so both words, and the division helper's
    /// cases, are covered), sometimes negated.
    fn operand(&mut self) -> u64 {
        let bits = self.next() % 65;
        let v = if bits == 0 {
            0
        } else {
            self.next() >> (64 - bits)
        };
        match self.next() % 4 {
            0 => v.wrapping_neg(),
            _ => v,
        }
    }
}

/// WAT text of an `i64` immediate (signed decimal is always in range for the text parser).
fn lit(v: u64) -> String {
    (v as i64).to_string()
}

fn program(wat: &str) -> Arc<Program> {
    Arc::new(load_module(wat.as_bytes()).unwrap_or_else(|e| panic!("{e}\n--- module ---\n{wat}")))
}

/// One instance in its own store, invoked many times.
struct Inst {
    store: Store,
    id: InstanceId,
}

impl Inst {
    fn new(wat: &str) -> Inst {
        let mut store = Store::new(Limits::default());
        let id = store.instantiate(program(wat)).unwrap();
        Inst { store, id }
    }

    fn call(&mut self, entry: &str, args: &[Value]) -> Result<Vec<Value>, ExecError> {
        self.store.invoke(self.id, entry, args)
    }
}

/// Collects mismatches so that one run reports all of them, with context.
#[derive(Default)]
struct Checker {
    checked: usize,
    failures: Vec<String>,
}

impl Checker {
    fn expect(
        &mut self,
        got: Result<Vec<Value>, ExecError>,
        want: Result<Value, TrapKind>,
        entry: &str,
        ctx: impl FnOnce() -> String,
    ) {
        self.checked += 1;
        let ok = match (&got, &want) {
            (Ok(v), Ok(w)) => v == &[*w],
            (Err(ExecError::Trap { kind, func, .. }), Err(k)) => kind == k && func == entry,
            _ => false,
        };
        if !ok {
            self.failures
                .push(format!("{}: expected {want:?}, got {got:?}", ctx()));
        }
    }

    fn assert_ok(&self, what: &str, min_checked: usize) {
        assert!(
            self.checked >= min_checked,
            "{what}: only {} cases checked (expected at least {min_checked})",
            self.checked
        );
        if !self.failures.is_empty() {
            let shown: Vec<&String> = self.failures.iter().take(40).collect();
            panic!(
                "{what}: {} of {} cases failed; first {}:\n  {}",
                self.failures.len(),
                self.checked,
                shown.len(),
                shown
                    .iter()
                    .map(|s| s.as_str())
                    .collect::<Vec<_>>()
                    .join("\n  ")
            );
        }
        eprintln!("{what}: {} cases checked, all passed", self.checked);
    }
}

// ------------------------------------------------------------------------------------------
// Reference semantics (WebAssembly 2.0 §4.3.2 on i64)
// ------------------------------------------------------------------------------------------

const BINOPS: [&str; 25] = [
    "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s",
    "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s",
    "ge_u",
];

/// Whether `op` gives an `i32` (the comparisons).
fn is_cmp(op: &str) -> bool {
    BINOPS[15..].contains(&op)
}

fn reference_binary(op: &str, a: u64, b: u64) -> Result<Value, TrapKind> {
    let (sa, sb) = (a as i64, b as i64);
    let k = (b % 64) as u32;
    let i64v = |v: u64| Ok(Value::I64(v));
    let b32 = |c: bool| Ok(Value::I32(c as u32));
    match op {
        "add" => i64v(a.wrapping_add(b)),
        "sub" => i64v(a.wrapping_sub(b)),
        "mul" => i64v(a.wrapping_mul(b)),
        "div_s" => match (sa, sb) {
            (_, 0) => Err(TrapKind::DivisionByZero),
            (i64::MIN, -1) => Err(TrapKind::IntegerOverflow),
            _ => i64v((sa / sb) as u64),
        },
        "div_u" if b == 0 => Err(TrapKind::DivisionByZero),
        "div_u" => i64v(a / b),
        "rem_s" if b == 0 => Err(TrapKind::DivisionByZero),
        "rem_s" => i64v(sa.wrapping_rem(sb) as u64),
        "rem_u" if b == 0 => Err(TrapKind::DivisionByZero),
        "rem_u" => i64v(a % b),
        "and" => i64v(a & b),
        "or" => i64v(a | b),
        "xor" => i64v(a ^ b),
        "shl" => i64v(a << k),
        "shr_s" => i64v((sa >> k) as u64),
        "shr_u" => i64v(a >> k),
        "rotl" => i64v(a.rotate_left(k)),
        "rotr" => i64v(a.rotate_right(k)),
        "eq" => b32(a == b),
        "ne" => b32(a != b),
        "lt_s" => b32(sa < sb),
        "lt_u" => b32(a < b),
        "gt_s" => b32(sa > sb),
        "gt_u" => b32(a > b),
        "le_s" => b32(sa <= sb),
        "le_u" => b32(a <= b),
        "ge_s" => b32(sa >= sb),
        "ge_u" => b32(a >= b),
        _ => panic!("unknown binary op {op}"),
    }
}

#[test]
fn reference_model_sanity() {
    let r = |op, a: i64, b: i64| reference_binary(op, a as u64, b as u64);
    assert_eq!(r("div_s", -7, 2), Ok(Value::I64(-3i64 as u64)));
    assert_eq!(r("rem_s", -7, 2), Ok(Value::I64(-1i64 as u64)));
    assert_eq!(r("rem_s", 7, -2), Ok(Value::I64(1)));
    assert_eq!(r("rem_s", i64::MIN, -1), Ok(Value::I64(0)));
    assert_eq!(r("div_s", i64::MIN, -1), Err(TrapKind::IntegerOverflow));
    assert_eq!(r("div_u", 1, 0), Err(TrapKind::DivisionByZero));
    assert_eq!(r("shl", 1, 65), Ok(Value::I64(2)));
    assert_eq!(r("shr_s", i64::MIN, 63), Ok(Value::I64(u64::MAX)));
    assert_eq!(r("rotr", 1, -1), Ok(Value::I64(2)));
    assert_eq!(r("lt_s", -1, 0), Ok(Value::I32(1)));
    assert_eq!(r("lt_u", -1, 0), Ok(Value::I32(0)));
}

// ------------------------------------------------------------------------------------------
// 1. Every i64 binary operator in every lowering shape
// ------------------------------------------------------------------------------------------

/// Shift amounts checked as constants (beyond `VALS`): every amount mod 64 and a few above.
fn shift_amounts() -> Vec<u64> {
    let mut v: Vec<u64> = (0..=70).collect();
    v.extend([127, 128, 0xffff_ffff, 0x1_0000_0001, u64::MAX]);
    v
}

/// One module per binary operator. Shapes (export names):
/// * `ll` — both operands parameters; `same` — one parameter twice;
/// * `tt` — both operands computed into temporaries (the left one in the result's slots);
/// * `mixed` — the same above an `i32` on the stack (packed slot offsets);
/// * `deep` — the operation above an `i64` on the stack;
/// * `setr` — the result stored into a fresh local; for `i64` results also `set0`, `set1`,
///   `tee0` — stored into the left or right operand's own local (the `local.set` peephole
///   must not clobber an operand it still reads);
/// * `cl_i`, `lc_j`, `ct_i`, `tc_j` — one operand a constant (`VALS[i]`), the other a
///   parameter or a temporary; `cc_i_j` both constants (folded, or trapping at run time);
/// * `lk_k` — for shifts and rotates, the constant amount `k` of `shift_amounts`.
fn binop_module(op: &str) -> String {
    let rt = if is_cmp(op) { "i32" } else { "i64" };
    let mut s = String::from("(module\n");
    let mut f = |name: &str, params: usize, locals: &str, body: String| {
        s += &format!(
            "  (func (export \"{name}\"){} (result {rt}) {locals} {body})\n",
            if params == 0 {
                String::new()
            } else {
                format!(" (param{})", " i64".repeat(params))
            }
        );
    };
    let t = "i64.const 0 i64.xor";
    f("ll", 2, "", format!("local.get 0 local.get 1 i64.{op}"));
    f("same", 1, "", format!("local.get 0 local.get 0 i64.{op}"));
    f(
        "tt",
        2,
        "",
        format!("local.get 0 {t} local.get 1 {t} i64.{op}"),
    );
    f(
        "mixed",
        2,
        &format!("(local {rt})"),
        format!(
            "i32.const 1 local.get 0 {t} local.get 1 {t} i64.{op} local.set 2 drop local.get 2"
        ),
    );
    f(
        "deep",
        2,
        &format!("(local {rt})"),
        format!("local.get 1 local.get 0 local.get 1 i64.{op} local.set 2 drop local.get 2"),
    );
    f(
        "setr",
        2,
        &format!("(local {rt})"),
        format!("local.get 0 local.get 1 i64.{op} local.set 2 local.get 2"),
    );
    if rt == "i64" {
        f(
            "set0",
            2,
            "",
            format!("local.get 0 local.get 1 i64.{op} local.set 0 local.get 0"),
        );
        f(
            "set1",
            2,
            "",
            format!("local.get 0 local.get 1 i64.{op} local.set 1 local.get 1"),
        );
        f(
            "tee0",
            2,
            "",
            format!("local.get 0 local.get 1 i64.{op} local.tee 0"),
        );
    }
    for (i, x) in VALS.iter().enumerate() {
        let x = lit(*x);
        f(
            &format!("cl_{i}"),
            1,
            "",
            format!("i64.const {x} local.get 0 i64.{op}"),
        );
        f(
            &format!("lc_{i}"),
            1,
            "",
            format!("local.get 0 i64.const {x} i64.{op}"),
        );
        f(
            &format!("ct_{i}"),
            1,
            "",
            format!("i64.const {x} local.get 0 {t} i64.{op}"),
        );
        f(
            &format!("tc_{i}"),
            1,
            "",
            format!("local.get 0 {t} i64.const {x} i64.{op}"),
        );
        for (j, y) in VALS.iter().enumerate() {
            f(
                &format!("cc_{i}_{j}"),
                0,
                "",
                format!("i64.const {x} i64.const {} i64.{op}", lit(*y)),
            );
        }
    }
    if matches!(op, "shl" | "shr_s" | "shr_u" | "rotl" | "rotr") {
        for k in shift_amounts() {
            f(
                &format!("lk_{k}"),
                1,
                "",
                format!("local.get 0 i64.const {} i64.{op}", lit(k)),
            );
        }
    }
    s += ")\n";
    s
}

fn check_binop(op: &str) -> Checker {
    let mut m = Inst::new(&binop_module(op));
    let mut ck = Checker::default();
    let desc = |s: &str, a: u64, b: u64| format!("i64.{op} shape {s}: a={a:#x}, b={b:#x}");
    let mut run2 = |ck: &mut Checker, entry: &str, a: u64, b: u64, args: &[Value]| {
        ck.expect(
            m.call(entry, args),
            reference_binary(op, a, b),
            entry,
            || desc(entry, a, b),
        );
    };
    let ext = extended_vals();
    let mut pairs: Vec<(u64, u64)> = Vec::new();
    for &a in &ext {
        for &b in &ext {
            pairs.push((a, b));
        }
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ (op.len() as u64) << 40 ^ op.as_bytes()[0] as u64);
    for _ in 0..3000 {
        pairs.push((rng.operand(), rng.operand()));
    }
    let mut shapes = vec!["ll", "tt", "mixed", "deep", "setr"];
    if !is_cmp(op) {
        shapes.extend(["set0", "set1", "tee0"]);
    }
    for (n, &(a, b)) in pairs.iter().enumerate() {
        let args = [Value::I64(a), Value::I64(b)];
        // every shape on the edge-case pairs and a tenth of the random ones
        let all = n < ext.len() * ext.len() || n % 10 == 0;
        for shape in &shapes {
            if all || *shape == "ll" {
                run2(&mut ck, shape, a, b, &args);
            }
        }
    }
    for &a in &ext {
        run2(&mut ck, "same", a, a, &[Value::I64(a)]);
    }
    for (i, &x) in VALS.iter().enumerate() {
        for (j, &y) in VALS.iter().enumerate() {
            run2(&mut ck, &format!("cc_{i}_{j}"), x, y, &[]);
        }
        for &v in &ext {
            run2(&mut ck, &format!("cl_{i}"), x, v, &[Value::I64(v)]);
            run2(&mut ck, &format!("ct_{i}"), x, v, &[Value::I64(v)]);
            run2(&mut ck, &format!("lc_{i}"), v, x, &[Value::I64(v)]);
            run2(&mut ck, &format!("tc_{i}"), v, x, &[Value::I64(v)]);
        }
    }
    if matches!(op, "shl" | "shr_s" | "shr_u" | "rotl" | "rotr") {
        for k in shift_amounts() {
            for &v in &ext {
                run2(&mut ck, &format!("lk_{k}"), v, k, &[Value::I64(v)]);
            }
        }
    }
    ck
}

macro_rules! binop_tests {
    ($($name:ident => $op:literal,)*) => {$(
        #[test]
        fn $name() {
            check_binop($op).assert_ok(concat!("i64.", $op), 100_000);
        }
    )*};
}

binop_tests! {
    binop_add => "add",
    binop_sub => "sub",
    binop_mul => "mul",
    binop_div_s => "div_s",
    binop_div_u => "div_u",
    binop_rem_s => "rem_s",
    binop_rem_u => "rem_u",
    binop_and => "and",
    binop_or => "or",
    binop_xor => "xor",
    binop_shl => "shl",
    binop_shr_s => "shr_s",
    binop_shr_u => "shr_u",
    binop_rotl => "rotl",
    binop_rotr => "rotr",
    binop_eq => "eq",
    binop_ne => "ne",
    binop_lt_s => "lt_s",
    binop_lt_u => "lt_u",
    binop_gt_s => "gt_s",
    binop_gt_u => "gt_u",
    binop_le_s => "le_s",
    binop_le_u => "le_u",
    binop_ge_s => "ge_s",
    binop_ge_u => "ge_u",
}

#[test]
fn every_binop_has_a_test() {
    assert_eq!(BINOPS.len(), 25);
    for op in BINOPS {
        let _ = reference_binary(op, 1, 1);
    }
}

// ------------------------------------------------------------------------------------------
// 2. Unary operators and conversions
// ------------------------------------------------------------------------------------------

/// (operator, parameter type, result type, reference on the parameter's bits)
type Unop = (&'static str, &'static str, &'static str, fn(u64) -> u64);

const UNOPS: [Unop; 12] = [
    ("i64.clz", "i64", "i64", |a| a.leading_zeros() as u64),
    ("i64.ctz", "i64", "i64", |a| a.trailing_zeros() as u64),
    ("i64.popcnt", "i64", "i64", |a| a.count_ones() as u64),
    ("i64.eqz", "i64", "i32", |a| (a == 0) as u64),
    ("i64.extend8_s", "i64", "i64", |a| a as i8 as i64 as u64),
    ("i64.extend16_s", "i64", "i64", |a| a as i16 as i64 as u64),
    ("i64.extend32_s", "i64", "i64", |a| a as i32 as i64 as u64),
    ("i64.extend_i32_s", "i32", "i64", |a| a as i32 as i64 as u64),
    ("i64.extend_i32_u", "i32", "i64", |a| a as u32 as u64),
    ("i32.wrap_i64", "i64", "i32", |a| a as u32 as u64),
    ("i32.extend8_s", "i32", "i32", |a| {
        a as i8 as i32 as u32 as u64
    }),
    ("i32.extend16_s", "i32", "i32", |a| {
        a as i16 as i32 as u32 as u64
    }),
];

fn typed(ty: &str, bits: u64) -> Value {
    match ty {
        "i32" => Value::I32(bits as u32),
        _ => Value::I64(bits),
    }
}

#[test]
fn unary_operators_and_conversions() {
    for (op, pt, rt, reference) in UNOPS {
        let zero = format!("{pt}.const 0 {pt}.xor");
        let mut wat = String::from("(module\n");
        let mut f = |name: &str, params: &str, locals: &str, body: String| {
            wat +=
                &format!("  (func (export \"{name}\") {params} (result {rt}) {locals} {body})\n");
        };
        let p = format!("(param {pt})");
        f("l", &p, "", format!("local.get 0 {op}"));
        f("t", &p, "", format!("local.get 0 {zero} {op}"));
        f(
            "deep",
            &p,
            &format!("(local {rt})"),
            format!("i32.const 9 local.get 0 {op} local.set 1 drop local.get 1"),
        );
        f(
            "setr",
            &p,
            &format!("(local {rt})"),
            format!("local.get 0 {op} local.set 1 local.get 1"),
        );
        if pt == rt {
            f(
                "set0",
                &p,
                "",
                format!("local.get 0 {op} local.set 0 local.get 0"),
            );
        }
        for (i, x) in VALS.iter().enumerate() {
            let x = if pt == "i32" {
                (*x as u32 as i32).to_string()
            } else {
                lit(*x)
            };
            f(&format!("c_{i}"), "", "", format!("{pt}.const {x} {op}"));
        }
        wat += ")\n";
        let mut m = Inst::new(&wat);
        let mut ck = Checker::default();
        let mut vals = extended_vals();
        let mut rng = Rng(0x1234_5678_9abc_def0 ^ op.len() as u64);
        vals.extend((0..2000).map(|_| rng.operand()));
        let mask = |v: u64| if pt == "i32" { v as u32 as u64 } else { v };
        for &a in &vals {
            let a = mask(a);
            let want = Ok(typed(rt, reference(a)));
            for shape in ["l", "t", "deep", "setr", "set0"] {
                if shape == "set0" && pt != rt {
                    continue;
                }
                ck.expect(m.call(shape, &[typed(pt, a)]), want, shape, || {
                    format!("{op} shape {shape}: a={a:#x}")
                });
            }
        }
        for (i, &x) in VALS.iter().enumerate() {
            let e = format!("c_{i}");
            let x = mask(x);
            ck.expect(m.call(&e, &[]), Ok(typed(rt, reference(x))), &e, || {
                format!("{op} shape const: a={x:#x}")
            });
        }
        ck.assert_ok(op, 5000);
    }
}

// ------------------------------------------------------------------------------------------
// 3. Division: helpers on many operands, traps located at the dividing function
// ------------------------------------------------------------------------------------------

/// A loop of `n` divisions of xorshift operands of random bit lengths (the division helper's
/// every path: divisor below 2^32 with a one- or two-digit quotient, larger divisors, and
/// its correction steps), folded into a checksum; the same computed in Rust.
#[test]
fn division_checksum_over_many_operands() {
    let wat = r#"(module
      (func $next (param $x i64) (result i64)
        local.get $x local.get $x i64.const 12 i64.shr_u i64.xor local.tee $x
        local.get $x i64.const 25 i64.shl i64.xor local.tee $x
        local.get $x i64.const 27 i64.shr_u i64.xor)
      ;; a random value of random bit length: (next >> (next & 63))
      (func (export "mass") (param $x i64) (param $n i32) (result i64)
        (local $a i64) (local $b i64) (local $acc i64)
        loop $l
          local.get $x call $next local.tee $x
          local.get $x call $next local.tee $x i64.const 63 i64.and
          i64.shr_u local.set $a
          local.get $x call $next local.tee $x
          local.get $x call $next local.tee $x i64.const 63 i64.and
          i64.shr_u local.set $b
          local.get $b i64.eqz
          if
            i64.const 1 local.set $b
          end
          local.get $acc i64.const 31 i64.mul
          local.get $a local.get $b i64.div_u i64.add
          local.get $a local.get $b i64.rem_u i64.xor
          local.get $a i64.const 0 local.get $a i64.sub local.get $x i32.wrap_i64 i32.const 1 i32.and select
          local.set $a
          local.get $b i64.const -1 i64.eq
          if
            i64.const 3 local.set $b
          end
          local.get $a local.get $b i64.div_s i64.add
          local.get $a local.get $b i64.rem_s i64.const 7 i64.rotl i64.xor
          local.set $acc
          local.get $n i32.const 1 i32.sub local.tee $n
          br_if $l
        end
        local.get $acc))"#;
    fn next(x: u64) -> u64 {
        let x = x ^ (x >> 12);
        let x = x ^ (x << 25);
        x ^ (x >> 27)
    }
    let model = |mut x: u64, n: u32| -> u64 {
        let mut acc = 0u64;
        for _ in 0..n {
            let x1 = next(x);
            x = next(x1);
            let mut a = x1 >> (x & 63);
            let x1 = next(x);
            x = next(x1);
            let mut b = x1 >> (x & 63);
            if b == 0 {
                b = 1;
            }
            let mut v = acc.wrapping_mul(31).wrapping_add(a / b) ^ (a % b);
            // select(a, -a, x & 1)
            if x & 1 == 0 {
                a = a.wrapping_neg();
            }
            if b == u64::MAX {
                b = 3;
            }
            let (sa, sb) = (a as i64, b as i64);
            v = v.wrapping_add(sa.wrapping_div(sb) as u64)
                ^ (sa.wrapping_rem(sb) as u64).rotate_left(7);
            acc = v;
        }
        acc
    };
    let mut m = Inst::new(wat);
    for (seed, n) in [(1u64, 1u32), (0x9e37_79b9_7f4a_7c15, 1000), (42, 60_000)] {
        let got = m.call("mass", &[Value::I64(seed), Value::I32(n)]).unwrap();
        assert_eq!(got, [Value::I64(model(seed, n))], "seed {seed}, {n} rounds");
    }
}

#[test]
fn division_traps_are_located_at_the_dividing_function() {
    let cases: [(&str, u64, u64, TrapKind); 6] = [
        ("div_s", 1, 0, TrapKind::DivisionByZero),
        ("div_s", 1 << 63, u64::MAX, TrapKind::IntegerOverflow),
        ("div_u", 0, 0, TrapKind::DivisionByZero),
        ("rem_s", 1 << 63, 0, TrapKind::DivisionByZero),
        ("rem_u", u64::MAX, 0, TrapKind::DivisionByZero),
        ("div_u", 1 << 32, 0, TrapKind::DivisionByZero),
    ];
    for (op, a, b, kind) in cases {
        let (xa, yb) = (lit(a), lit(b));
        let wat = format!(
            "(module
               (func (export \"ll\") (param i64 i64) (result i64) local.get 0 local.get 1 i64.{op})
               (func (export \"cl\") (param i64) (result i64) i64.const {xa} local.get 0 i64.{op})
               (func (export \"lc\") (param i64) (result i64) local.get 0 i64.const {yb} i64.{op})
               (func (export \"cc\") (result i64) i64.const {xa} i64.const {yb} i64.{op})
               (func (export \"cc_dead\") (param i32) (result i64)
                 local.get 0 if (result i64) i64.const {xa} i64.const {yb} i64.{op} else i64.const 7 end))"
        );
        let mut m = Inst::new(&wat);
        for (entry, args) in [
            ("ll", vec![Value::I64(a), Value::I64(b)]),
            ("cl", vec![Value::I64(b)]),
            ("lc", vec![Value::I64(a)]),
            ("cc", vec![]),
            ("cc_dead", vec![Value::I32(1)]),
        ] {
            match m.call(entry, &args) {
                Err(ExecError::Trap { kind: k, func, .. }) => {
                    assert_eq!(k, kind, "i64.{op} {a:#x} {b:#x} shape {entry}");
                    assert_eq!(func, entry, "trap attributed to the wrong function");
                }
                other => panic!("i64.{op} {a:#x} {b:#x} {entry}: expected {kind:?}, got {other:?}"),
            }
        }
        assert_eq!(
            m.call("cc_dead", &[Value::I32(0)]).unwrap(),
            [Value::I64(7)]
        );
    }
}

// ------------------------------------------------------------------------------------------
// 4. select, locals, multi-value control flow, calls
// ------------------------------------------------------------------------------------------

#[test]
fn select_and_locals_of_i64() {
    let wat = r#"(module
      (func (export "sel") (param i64 i64 i32) (result i64)
        local.get 0 local.get 1 local.get 2 select)
      (func (export "sel_tmp") (param i64 i64 i32) (result i64)
        local.get 0 i64.const 1 i64.add local.get 1 i64.const 2 i64.add local.get 2 select)
      (func (export "sel_consts") (param i32) (result i64)
        i64.const -5 i64.const 0x123456789 local.get 0 select)
      (func (export "sel_v1_const") (param i64 i32) (result i64)
        i64.const 0x700000001 local.get 0 local.get 1 select)
      (func (export "sel_tmp_v2const") (param i64 i32) (result i64)
        local.get 0 i64.const 3 i64.mul i64.const -99 local.get 1 select)
      (func (export "sel_cond_const") (param i64 i64) (result i64)
        local.get 0 i64.const 1 i64.add local.get 1 i32.const 1 select)
      (func (export "sel_mixed") (param i64 i64 i32) (result i64) (local i64)
        i32.const 4 local.get 0 local.get 1 local.get 2 select local.set 3 drop local.get 3)
      (func (export "swap") (param i64 i64) (result i64)
        local.get 0 local.get 1 local.set 0 local.set 1
        local.get 0 i64.const 1000 i64.mul local.get 1 i64.add)
      (func (export "tee_old") (param i64) (result i64)
        local.get 0 local.get 0 i64.const 1 i64.add local.tee 0 i64.sub local.get 0 i64.mul)
      (func (export "locals_zero") (param i32) (result i64) (local i64 i32 i64)
        local.get 1 local.get 3 i64.or local.get 2 i64.extend_i32_u i64.or)
      (func $dirty (param i64) (result i64) (local i64 i64)
        local.get 0 local.set 1 local.get 0 i64.const -1 i64.xor local.set 2
        local.get 1 local.get 2 i64.add)
      (func $fresh (param i64) (result i64) (local i64 i64) local.get 1 local.get 2 i64.or)
      (func (export "dirty_then_fresh") (param i64) (result i64)
        local.get 0 call $dirty drop local.get 0 call $fresh))"#;
    let mut m = Inst::new(wat);
    let i = |v: i64| Value::I64(v as u64);
    let mut rng = Rng(7);
    for _ in 0..300 {
        let (a, b) = (rng.operand(), rng.operand());
        for c in [0u32, 1, 0x8000_0000] {
            let pick = |x: u64, y: u64| if c != 0 { x } else { y };
            let (va, vb, vc) = (Value::I64(a), Value::I64(b), Value::I32(c));
            let call = |m: &mut Inst, e: &str, args: &[Value]| m.call(e, args).unwrap();
            assert_eq!(call(&mut m, "sel", &[va, vb, vc]), [Value::I64(pick(a, b))]);
            assert_eq!(
                call(&mut m, "sel_tmp", &[va, vb, vc]),
                [Value::I64(pick(a.wrapping_add(1), b.wrapping_add(2)))]
            );
            assert_eq!(
                call(&mut m, "sel_consts", &[vc]),
                [Value::I64(pick(-5i64 as u64, 0x1_2345_6789))]
            );
            assert_eq!(
                call(&mut m, "sel_v1_const", &[va, vc]),
                [Value::I64(pick(0x7_0000_0001, a))]
            );
            assert_eq!(
                call(&mut m, "sel_tmp_v2const", &[va, vc]),
                [Value::I64(pick(a.wrapping_mul(3), -99i64 as u64))]
            );
            assert_eq!(
                call(&mut m, "sel_mixed", &[va, vb, vc]),
                [Value::I64(pick(a, b))]
            );
        }
        assert_eq!(
            m.call("sel_cond_const", &[Value::I64(a), Value::I64(b)])
                .unwrap(),
            [Value::I64(a.wrapping_add(1))]
        );
        assert_eq!(
            m.call("swap", &[Value::I64(a), Value::I64(b)]).unwrap(),
            [Value::I64(b.wrapping_mul(1000).wrapping_add(a))]
        );
        let t = a.wrapping_add(1);
        assert_eq!(
            m.call("tee_old", &[Value::I64(a)]).unwrap(),
            [Value::I64(a.wrapping_sub(t).wrapping_mul(t))]
        );
        assert_eq!(
            m.call("dirty_then_fresh", &[Value::I64(a)]).unwrap(),
            [i(0)]
        );
    }
    assert_eq!(m.call("locals_zero", &[Value::I32(5)]).unwrap(), [i(0)]);
}

#[test]
fn multi_value_blocks_branches_and_calls_carry_i64() {
    let wat = r#"(module
      (func $pair (param i32 i64 i64) (result i32 i64 i64)
        local.get 0 i32.const 1 i32.add
        local.get 1 local.get 2 i64.add
        local.get 2 local.get 1 i64.sub)
      ;; block results of mixed widths carried by br_if and br_table
      (func (export "blocks") (param i64 i32 i64) (result i64)
        (local i32 i64 i64)
        block (result i32 i64 i64)
          block (result i32 i64 i64)
            local.get 1 local.get 0 local.get 2
            local.get 1 i32.const 7 i32.and i32.eqz
            br_if 1
            local.get 1 i32.const 3 i32.and
            br_table 0 1 0 1
          end
          ;; (i, a, b) -> (i + 10, b, a)
          local.set 5 local.set 4 i32.const 10 i32.add local.get 5 local.get 4
        end
        call $pair
        local.set 5 local.set 4 local.set 3
        local.get 4 local.get 5 i64.xor local.get 3 i64.extend_i32_u i64.add)
      ;; a loop with i64 parameters: n >= 1 rounds of (s, t) -> (s + t, 3t)
      (func (export "series") (param i64 i32) (result i64) (local i64)
        i64.const 0 local.get 0
        loop (param i64 i64) (result i64 i64)
          local.set 2
          local.get 2 i64.add
          local.get 2 i64.const 3 i64.mul
          local.get 1 i32.const 1 i32.sub local.tee 1
          br_if 0
        end
        drop)
      (func (export "pair_call") (param i64 i32 i64) (result i64)
        local.get 1 local.get 0 local.get 2 call $pair
        i64.mul local.set 0 i64.extend_i32_u local.get 0 i64.xor))"#;
    let mut m = Inst::new(wat);
    let pair = |i: u32, a: u64, b: u64| (i.wrapping_add(1), a.wrapping_add(b), b.wrapping_sub(a));
    let mut rng = Rng(99);
    for _ in 0..500 {
        let (a, b) = (rng.operand(), rng.operand());
        let i = rng.next() as u32;
        let args = [Value::I64(a), Value::I32(i), Value::I64(b)];
        let (x, y, z) = if i & 7 != 0 && i & 1 == 0 {
            pair(i.wrapping_add(10), b, a)
        } else {
            pair(i, a, b)
        };
        assert_eq!(
            m.call("blocks", &args).unwrap(),
            [Value::I64((y ^ z).wrapping_add(x as u64))],
            "blocks({a:#x}, {i}, {b:#x})"
        );
        let (x, y, z) = pair(i, a, b);
        assert_eq!(
            m.call("pair_call", &args).unwrap(),
            [Value::I64(y.wrapping_mul(z) ^ x as u64)]
        );
        let n = 1 + i % 40;
        let (mut s, mut t) = (0u64, a);
        for _ in 0..n {
            s = s.wrapping_add(t);
            t = t.wrapping_mul(3);
        }
        assert_eq!(
            m.call("series", &[Value::I64(a), Value::I32(n)]).unwrap(),
            [Value::I64(s)],
            "series({a:#x}, {n})"
        );
    }
}

/// Every instruction of the division helpers runs for some operands (so the edge-case and
/// random tables above reach every path of the algorithm, including both correction loops),
/// and the traced run, which executes only provable instructions, agrees with the fast one.
#[test]
fn division_helpers_are_fully_exercised_and_traceable() {
    let p = program(
        r#"(module
          (func (export "u") (param i64 i64) (result i64 i64)
            local.get 0 local.get 1 i64.div_u local.get 0 local.get 1 i64.rem_u)
          (func (export "s") (param i64 i64) (result i64 i64)
            local.get 0 local.get 1 i64.div_s local.get 0 local.get 1 i64.rem_s))"#,
    );
    let helpers: Vec<(u32, u32, String)> = {
        let mut entries: Vec<(u32, String)> = p
            .functions
            .iter()
            .map(|f| (f.entry_pc, f.name.clone()))
            .collect();
        entries.sort();
        entries
            .windows(2)
            .map(|w| (w[0].0, w[1].0, w[0].1.clone()))
            .chain(
                entries
                    .last()
                    .map(|(pc, n)| (*pc, p.instrs.len() as u32, n.clone())),
            )
            .filter(|(_, _, n)| n.starts_with("__gloam_i64_div"))
            .collect()
    };
    assert_eq!(
        helpers.len(),
        3,
        "divlu, divu and divs are appended: {helpers:?}"
    );
    let mut hit = vec![false; p.instrs.len()];
    let mut rng = Rng(2024);
    let mut cases: Vec<(u64, u64)> = Vec::new();
    for &a in &VALS {
        for &b in &VALS {
            cases.push((a, b));
        }
    }
    cases.extend((0..3000).map(|_| (rng.operand(), rng.operand())));
    let mut traced = 0;
    for (a, b) in cases {
        if b == 0 || (a == 1 << 63 && b == u64::MAX) {
            continue;
        }
        for (entry, q, r) in [
            ("u", a / b, a % b),
            (
                "s",
                (a as i64).wrapping_div(b as i64) as u64,
                (a as i64).wrapping_rem(b as i64) as u64,
            ),
        ] {
            let words = [a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32];
            let want = vec![q as u32, (q >> 32) as u32, r as u32, (r >> 32) as u32];
            let fast = run(&p, entry, &words, Limits::default()).unwrap();
            assert_eq!(fast.results, want, "{entry}({a:#x}, {b:#x})");
            let (out, trace) = run_traced(&p, entry, &words, Limits::default()).unwrap();
            assert_eq!(
                out, fast,
                "{entry}({a:#x}, {b:#x}): traced and fast runs differ"
            );
            for st in &trace.steps {
                hit[st.pc as usize] = true;
            }
            traced += 1;
        }
    }
    assert!(traced > 5000);
    for (start, end, name) in helpers {
        let missed: Vec<String> = (start..end)
            .filter(|pc| !hit[*pc as usize])
            .map(|pc| format!("{pc}: {}", p.instrs[pc as usize]))
            .collect();
        assert!(
            missed.is_empty(),
            "{name}: never executed:\n{}",
            missed.join("\n")
        );
    }
}

// ------------------------------------------------------------------------------------------
// 5. Memory: i64 loads and stores as 32-bit words
// ------------------------------------------------------------------------------------------

#[test]
fn i64_loads_and_stores() {
    let wat = r#"(module (memory 1)
      (func (export "store") (param i32 i64) local.get 0 local.get 1 i64.store)
      (func (export "store_off") (param i32 i64) local.get 0 local.get 1 i64.store offset=3)
      (func (export "store8") (param i32 i64) local.get 0 local.get 1 i64.store8)
      (func (export "store16") (param i32 i64) local.get 0 local.get 1 i64.store16 offset=1)
      (func (export "store32") (param i32 i64) local.get 0 local.get 1 i64.store32)
      (func (export "store_const") (param i32) local.get 0 i64.const 0x1122334455667788 i64.store)
      (func (export "store8_const") (param i32) local.get 0 i64.const 0x1122334455667788 i64.store8)
      (func (export "store_huge") (param i32 i64) local.get 0 local.get 1 i64.store offset=4294967293)
      (func (export "load") (param i32) (result i64) local.get 0 i64.load)
      (func (export "load_off") (param i32) (result i64) local.get 0 i64.load offset=5)
      (func (export "load_const_addr") (result i64) i32.const 16 i64.load)
      (func (export "load_huge") (param i32) (result i64) local.get 0 i64.load offset=4294967292)
      (func (export "load8_s") (param i32) (result i64) local.get 0 i64.load8_s)
      (func (export "load8_u") (param i32) (result i64) local.get 0 i64.load8_u)
      (func (export "load16_s") (param i32) (result i64) local.get 0 i64.load16_s)
      (func (export "load16_u") (param i32) (result i64) local.get 0 i64.load16_u)
      (func (export "load32_s") (param i32) (result i64) local.get 0 i64.load32_s)
      (func (export "load32_u") (param i32) (result i64) local.get 0 i64.load32_u)
      (func (export "byte") (param i32) (result i32) local.get 0 i32.load8_u)
      ;; a loaded value stored back through a local (the local.set peephole over loads)
      (func (export "copy") (param i32 i32) (local i64)
        local.get 0 i64.load local.set 2 local.get 1 local.get 2 i64.store))"#;
    let mut m = Inst::new(wat);
    let (i, l) = (Value::I32, Value::I64);
    let mem = |m: &mut Inst| -> Vec<u8> {
        let a = match m.store.export(m.id, "load") {
            Some(_) => 0,
            None => unreachable!(),
        };
        m.store.memory(a).unwrap().to_vec()
    };
    let v = 0x8899_aabb_ccdd_eeffu64;
    m.call("store", &[i(8), l(v)]).unwrap();
    assert_eq!(&mem(&mut m)[8..16], &v.to_le_bytes());
    assert_eq!(m.call("load", &[i(8)]).unwrap(), [l(v)]);
    assert_eq!(m.call("load", &[i(9)]).unwrap(), [l(v >> 8)]);
    assert_eq!(m.call("load_off", &[i(3)]).unwrap(), [l(v)]);
    m.call("store_off", &[i(13), l(!v)]).unwrap();
    assert_eq!(m.call("load_const_addr", &[]).unwrap(), [l(!v)]);
    for (name, want) in [
        ("load8_s", 0xffff_ffff_ffff_ffffu64),
        ("load8_u", 0xff),
        ("load16_s", 0xffff_ffff_ffff_eeff),
        ("load16_u", 0xeeff),
        ("load32_s", 0xffff_ffff_ccdd_eeff),
        ("load32_u", 0xccdd_eeff),
    ] {
        assert_eq!(m.call(name, &[i(8)]).unwrap(), [l(want)], "{name}");
    }
    m.call("store", &[i(32), l(0x0102_0304_7f06_0708)]).unwrap();
    for (name, want) in [
        ("load8_s", 0x08u64),
        ("load16_s", 0x0708),
        ("load32_s", 0x7f06_0708),
    ] {
        assert_eq!(
            m.call(name, &[i(32)]).unwrap(),
            [l(want)],
            "{name} positive"
        );
    }
    m.call("store8", &[i(40), l(0x1234)]).unwrap();
    m.call("store16", &[i(40), l(0xabcd_ef01)]).unwrap();
    m.call("store32", &[i(44), l(0x5555_6666_7777_8888)])
        .unwrap();
    assert_eq!(
        &mem(&mut m)[40..48],
        &[0x34, 0x01, 0xef, 0, 0x88, 0x88, 0x77, 0x77]
    );
    m.call("store_const", &[i(48)]).unwrap();
    m.call("store8_const", &[i(56)]).unwrap();
    assert_eq!(
        m.call("load", &[i(48)]).unwrap(),
        [l(0x1122_3344_5566_7788)]
    );
    assert_eq!(m.call("byte", &[i(56)]).unwrap(), [i(0x88)]);
    assert_eq!(m.call("byte", &[i(57)]).unwrap(), [i(0)]);
    m.call("copy", &[i(48), i(100)]).unwrap();
    assert_eq!(
        m.call("load", &[i(100)]).unwrap(),
        [l(0x1122_3344_5566_7788)]
    );

    // Bounds: the last 8 bytes are in bounds; one byte further traps and writes nothing.
    let end = 65536u32;
    m.call("store", &[i(end - 8), l(u64::MAX)]).unwrap();
    assert_eq!(m.call("load", &[i(end - 8)]).unwrap(), [l(u64::MAX)]);
    let before = mem(&mut m);
    for addr in [end - 7, end - 4, end - 1, end, u32::MAX] {
        let t = m.call("store", &[i(addr), l(0x0101_0101_0101_0101)]);
        assert_eq!(
            t.unwrap_err().trap_kind(),
            Some(TrapKind::MemoryOutOfBounds),
            "store at {addr}"
        );
        assert_eq!(
            mem(&mut m),
            before,
            "a trapping i64.store at {addr} wrote memory"
        );
        let t = m.call("load", &[i(addr)]);
        assert_eq!(
            t.unwrap_err().trap_kind(),
            Some(TrapKind::MemoryOutOfBounds),
            "load at {addr}"
        );
    }
    // An offset whose high word would be past 2^32 traps whatever the address.
    for addr in [0, 3, 100] {
        let t = m.call("load_huge", &[i(addr)]);
        assert_eq!(
            t.unwrap_err().trap_kind(),
            Some(TrapKind::MemoryOutOfBounds)
        );
        let t = m.call("store_huge", &[i(addr), l(1)]);
        assert_eq!(
            t.unwrap_err().trap_kind(),
            Some(TrapKind::MemoryOutOfBounds)
        );
    }
    assert_eq!(mem(&mut m), before);
    let p = program(wat);
    assert!(
        p.instrs
            .iter()
            .any(|x| x.op == Op::Trap && x.imm == gloam_isa::trap_code::MEMORY_OUT_OF_BOUNDS),
        "the huge offsets are lowered to an unconditional trap"
    );
    // Every load and store is a 32-bit one: only opcodes with an AIR flag (and `trap`).
    assert!(p
        .instrs
        .iter()
        .all(|x| x.op.is_provable() || x.op == Op::Trap));
}

// ------------------------------------------------------------------------------------------
// 6. Globals as 32-bit words; the initial image
// ------------------------------------------------------------------------------------------

#[test]
fn globals_start_from_initial_global_words() {
    let wat = r#"(module
      (func $f0) (func $f1) (func $f2)
      (table 1 funcref)
      (global $a (mut i32) (i32.const -7))
      (global $b (mut i64) (i64.const 0x1122334455667788))
      (global $c (mut funcref) (ref.func $f2))
      (global $d i64 (i64.const -2))
      (global $e (mut externref) (ref.null extern))
      (elem declare func $f2)
      (func (export "a") (result i32) global.get $a)
      (func (export "b") (result i64) global.get $b)
      (func (export "c_is_f2") (result i32)
        ;; store ref $c in the table, then call it: it is $f2 when the call succeeds
        i32.const 0 global.get $c table.set 0
        global.get $c ref.is_null)
      (func (export "d") (result i64) global.get $d)
      (func (export "set_b") (param i64) local.get 0 global.set $b)
      (func (export "set_b_const") i64.const -3 global.set $b)
      (func (export "set_a") (param i32) local.get 0 global.set $a)
      (export "gb" (global $b)) (export "ga" (global $a)) (export "gc" (global $c)))"#;
    let p = program(wat);
    let words = gloam_isa::initial_global_words(&p);
    assert_eq!(
        words,
        vec![
            (0, -7i32 as u32),
            (2, 0x5566_7788),
            (3, 0x1122_3344),
            (4, 3),
            (6, u32::MAX - 1),
            (7, u32::MAX),
            // `table.set` holds the table in global words: after the globals' ten words,
            // the memory-size pair (10, 11) and element segment 0's length word (12, 0 for
            // a declarative segment), the table's size word.
            (13, 1)
        ]
    );
    let mut m = Inst::new(wat);
    // The executor starts from the same values: ref.func $f2 is store address 2, plus one.
    assert_eq!(
        m.store.global_value(m.id, "gc"),
        Some(Value::FuncRef(Some(2)))
    );
    assert_eq!(m.call("a", &[]).unwrap(), [Value::I32(-7i32 as u32)]);
    assert_eq!(
        m.call("b", &[]).unwrap(),
        [Value::I64(0x1122_3344_5566_7788)]
    );
    assert_eq!(m.call("d", &[]).unwrap(), [Value::I64(-2i64 as u64)]);
    assert_eq!(m.call("c_is_f2", &[]).unwrap(), [Value::I32(0)]);
    m.call("set_b", &[Value::I64(0xdead_beef_0000_0001)])
        .unwrap();
    assert_eq!(
        m.store.global_value(m.id, "gb"),
        Some(Value::I64(0xdead_beef_0000_0001))
    );
    assert_eq!(
        m.call("b", &[]).unwrap(),
        [Value::I64(0xdead_beef_0000_0001)]
    );
    m.call("set_b_const", &[]).unwrap();
    assert_eq!(m.call("b", &[]).unwrap(), [Value::I64(-3i64 as u64)]);
    m.call("set_a", &[Value::I32(5)]).unwrap();
    assert_eq!(m.store.global_value(m.id, "ga"), Some(Value::I32(5)));
    // global.get and global.set name 32-bit words: 2i and 2i + 1.
    let gets: Vec<(u32, u32)> = p
        .instrs
        .iter()
        .filter(|x| matches!(x.op, Op::GlobalGet | Op::GlobalSet))
        .map(|x| (x.op as u32, x.imm))
        .collect();
    assert!(gets.contains(&(Op::GlobalGet as u32, 3)) && gets.contains(&(Op::GlobalSet as u32, 3)));
    assert!(
        gets.contains(&(Op::GlobalGet as u32, 4)),
        "the funcref global is one word"
    );
    assert!(
        !gets.iter().any(|(_, w)| *w == 5),
        "no high word of the reference"
    );
}

#[test]
fn initial_memory_words_match_the_instantiated_memory() {
    let wat = r#"(module (memory 1)
      (data (i32.const 3) "\01\02\03\04\05\06\07\08\09")
      (data (i32.const 5) "\ff\00")
      (data "passive")
      (data (i32.const 65530) "\aa\bb\cc\dd\ee\ff")
      (func (export "w") (param i32) (result i32) local.get 0 i32.const 4 i32.mul i32.load))"#;
    let p = program(wat);
    let words = gloam_isa::initial_memory_words(&p);
    let mut m = Inst::new(wat);
    let mem = m.store.memory(0).unwrap().to_vec();
    let mut nonzero = Vec::new();
    for (w, chunk) in mem.chunks(4).enumerate() {
        let v = u32::from_le_bytes(chunk.try_into().unwrap());
        if v != 0 {
            nonzero.push((w as u32, v));
        }
    }
    assert_eq!(words, nonzero);
    assert_eq!(words.len(), 5);
    for (w, v) in words {
        assert_eq!(m.call("w", &[Value::I32(w)]).unwrap(), [Value::I32(v)]);
    }
}

// ------------------------------------------------------------------------------------------
// 7. Host functions, other instances, call_indirect: i64 as two slots across every call
// ------------------------------------------------------------------------------------------

#[test]
fn i64_crosses_host_instance_and_indirect_calls() {
    let mut store = Store::new(Limits::default());
    store.define_func(
        "host",
        "mix",
        FuncSig::new(
            vec![ValType::I64, ValType::I32, ValType::I64],
            vec![ValType::I32, ValType::I64],
        ),
        |args| match args {
            [Value::I64(a), Value::I32(b), Value::I64(c)] => Ok(vec![
                Value::I32(b.wrapping_mul(3)),
                Value::I64(a.wrapping_sub(*c).rotate_left(13)),
            ]),
            _ => Err(TrapKind::HostError),
        },
    );
    store.define_func(
        "host",
        "bad",
        FuncSig::new(vec![], vec![ValType::I64]),
        |_| Ok(vec![Value::I32(1)]),
    );
    let a = store
        .instantiate(program(
            r#"(module
              (import "host" "mix" (func $mix (param i64 i32 i64) (result i32 i64)))
              (type $t (func (param i32 i64) (result i64 i32)))
              (table 2 funcref) (elem (i32.const 0) $swap $via_host)
              (func $swap (param i32 i64) (result i64 i32)
                local.get 1 i64.const 1 i64.add local.get 0 i32.const 1 i32.add)
              (func $via_host (param i32 i64) (result i64 i32)
                local.get 1 local.get 0 i64.const 5 call $mix
                local.set 1 local.set 0 local.get 1 local.get 0)
              (func (export "indirect") (param i32 i64 i32) (result i64 i32)
                local.get 0 local.get 1 local.get 2 call_indirect (type $t))
              (func (export "swap") (param i32 i64) (result i64 i32)
                local.get 0 local.get 1 call $swap)
              (export "tab" (table 0)))"#,
        ))
        .unwrap();
    store.register("a", a);
    let b = store
        .instantiate(program(
            r#"(module
              (import "a" "swap" (func $swap (param i32 i64) (result i64 i32)))
              (import "a" "tab" (table 2 funcref))
              (import "host" "bad" (func $bad (result i64)))
              (type $t (func (param i32 i64) (result i64 i32)))
              (func (export "cross") (param i32 i64) (result i64 i32)
                local.get 0 local.get 1 call $swap)
              (func (export "cross_indirect") (param i32 i64 i32) (result i64 i32)
                local.get 0 local.get 1 local.get 2 call_indirect (type $t))
              (func (export "bad") (result i64) call $bad))"#,
        ))
        .unwrap();
    let mut rng = Rng(5);
    for _ in 0..200 {
        let (x, y) = (rng.next() as u32, rng.operand());
        let swap = vec![Value::I64(y.wrapping_add(1)), Value::I32(x.wrapping_add(1))];
        let host = vec![
            Value::I64(y.wrapping_sub(5).rotate_left(13)),
            Value::I32(x.wrapping_mul(3)),
        ];
        let (vx, vy) = (Value::I32(x), Value::I64(y));
        assert_eq!(store.invoke(a, "swap", &[vx, vy]).unwrap(), swap);
        assert_eq!(store.invoke(b, "cross", &[vx, vy]).unwrap(), swap);
        for (k, want) in [(0, &swap), (1, &host)] {
            let args = [vx, vy, Value::I32(k)];
            assert_eq!(&store.invoke(a, "indirect", &args).unwrap(), want);
            assert_eq!(&store.invoke(b, "cross_indirect", &args).unwrap(), want);
        }
    }
    // A host result of the wrong type is a trap.
    assert_eq!(
        store.invoke(b, "bad", &[]).unwrap_err().trap_kind(),
        Some(TrapKind::HostError)
    );
    // The external reference u32::MAX does not fit a slot: refused as an argument.
    let e = program(
        r#"(module (func (export "id") (param externref) (result externref) local.get 0))"#,
    );
    let e = store.instantiate(e).unwrap();
    assert_eq!(
        store.invoke(e, "id", &[Value::ExternRef(Some(7))]).unwrap(),
        [Value::ExternRef(Some(7))]
    );
    assert!(matches!(
        store.invoke(e, "id", &[Value::ExternRef(Some(u32::MAX))]),
        Err(ExecError::ArgType { .. })
    ));
}

#[test]
fn values_pack_into_slot_words() {
    let v = [
        Value::I32(7),
        Value::I64(0x1111_2222_3333_4444),
        Value::FuncRef(None),
        Value::FuncRef(Some(4)),
        Value::ExternRef(Some(9)),
    ];
    let words = Value::to_words(&v);
    assert_eq!(words, vec![7, 0x3333_4444, 0x1111_2222, 0, 5, 10]);
    let types: Vec<ValType> = v.iter().map(|x| x.ty()).collect();
    assert_eq!(Value::from_words(&types, &words), Some(v.to_vec()));
    assert_eq!(Value::from_words(&types, &words[1..]), None);
    assert!(!Value::ExternRef(Some(u32::MAX)).is_representable());
    assert!(Value::I64(u64::MAX).is_representable());
    // The word interface of `run`: an i64 argument is two words, low first.
    let p = program(
        r#"(module (func (export "f") (param i64 i32) (result i32 i64)
             local.get 1 local.get 0 i64.const 3 i64.mul))"#,
    );
    let out = run(&p, "f", &[0x8000_0001, 1, 9], Limits::default()).unwrap();
    let prod = 0x1_8000_0001u64 * 3;
    assert_eq!(out.results, vec![9, prod as u32, (prod >> 32) as u32]);
    assert!(matches!(
        run(&p, "f", &[1, 2], Limits::default()),
        Err(ExecError::ArgType { .. })
    ));
    let traced = run_traced(&p, "f", &[0x8000_0001, 1, 9], Limits::default()).unwrap();
    assert_eq!(traced.0, out);
}

// ------------------------------------------------------------------------------------------
// 8. Provability: i64 code is 32-bit code
// ------------------------------------------------------------------------------------------

/// Every `i64` operator, conversion and local/stack move lowers to opcodes the AIR covers
/// (plus `trap` for the division checks): a module using all of them contains nothing else,
/// and its traced run agrees with the fast one.
#[test]
fn i64_operators_lower_to_provable_opcodes() {
    let mut body = String::new();
    for op in BINOPS {
        let cmp = is_cmp(op);
        body += &format!(
            "local.get 0 local.get 1 i64.{op} {} local.get 2 i64.xor local.set 2\n",
            if cmp { "i64.extend_i32_u" } else { "" }
        );
        body += &format!(
            "local.get 0 i64.const 0x123456789 i64.{op} {} local.get 2 i64.add local.set 2\n",
            if cmp { "i64.extend_i32_u" } else { "" }
        );
    }
    for op in [
        "clz",
        "ctz",
        "popcnt",
        "extend8_s",
        "extend16_s",
        "extend32_s",
    ] {
        body += &format!("local.get 2 local.get 0 i64.{op} i64.add local.set 2\n");
    }
    body += "local.get 2 local.get 0 i64.eqz i64.extend_i32_s i64.add local.set 2\n";
    body += "local.get 2 local.get 0 i32.wrap_i64 i64.extend_i32_u i64.add local.set 2\n";
    body += "local.get 2 local.get 1 local.get 0 i32.wrap_i64 select local.set 2\n";
    let wat = format!(
        "(module (func (export \"all\") (param i64 i64) (result i64) (local i64)\n{body} local.get 2))"
    );
    let p = program(&wat);
    let bad: Vec<String> = p
        .instrs
        .iter()
        .filter(|x| !(x.op.is_provable() || x.op == Op::Trap))
        .map(|x| x.to_string())
        .collect();
    assert!(bad.is_empty(), "not provable: {bad:?}");
    let mut rng = Rng(11);
    for _ in 0..200 {
        let (a, b) = (rng.operand(), rng.operand() | 1);
        if a == 1 << 63 && b == u64::MAX {
            continue;
        }
        let words = [a as u32, (a >> 32) as u32, b as u32, (b >> 32) as u32];
        let fast = run(&p, "all", &words, Limits::default()).unwrap();
        let (traced, trace) = run_traced(&p, "all", &words, Limits::default()).unwrap();
        assert_eq!(traced, fast);
        assert_eq!(trace.steps.len() as u64, fast.cycles);
        assert!(trace.final_values.iter().all(|_| true));
    }
}
