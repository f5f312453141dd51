//! Instruction-semantics tests of the WebAssembly front end (`gloam_isa::load_module`) and the
//! executor (`gloam_executor::run`), against a reference model of WebAssembly's i32 semantics
//! written here with Rust's standard integer methods.
//!
//! Every i32 operator is checked on a table of edge-case operands under several lowering
//! shapes, because the front end lowers operands differently depending on where they come
//! from (parameters, immediates, temporaries, constants folded at load time). Control flow,
//! calls, traps, resource limits and the front end's error reporting are checked on small
//! hand-written programs, and a sample of programs is run through the trace builder and the
//! AIR's row-by-row constraint checker.

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use gloam_executor::{run, run_traced, ExecError, InstanceId, Limits, Outcome, Store, Value};
use gloam_isa::{load_module, FrontendError, Program, TrapKind};

// ------------------------------------------------------------------------------------------
// Helpers
// ------------------------------------------------------------------------------------------

/// Edge-case operands (all pairs are tested for binary operators).
const VALS: [u32; 20] = [
    0,
    1,
    2,
    3,
    5,
    7,
    31,
    32,
    33,
    63,
    0x7fff_ffff,
    0x8000_0000,
    0x8000_0001,
    0xffff_fffe,
    0xffff_ffff,
    0x1234_5678,
    0xdead_beef,
    100,
    0x0000_ffff,
    0xffff_0000,
];

/// `VALS` plus single bits, low masks and their complements (for the parameter shapes, where
/// adding operands costs no extra module code).
fn extended_vals() -> Vec<u32> {
    let mut v = VALS.to_vec();
    for k in 0..32 {
        v.push(1u32 << k);
        v.push((1u32 << k).wrapping_sub(1));
        v.push(!(1u32 << k));
    }
    v.extend([
        0x5555_5555,
        0xaaaa_aaaa,
        0x0f0f_0f0f,
        0xf0f0_f0f0,
        0x8000_7fff,
        0x7fff_8000,
    ]);
    v.sort_unstable();
    v.dedup();
    v
}

/// A small deterministic PRNG (xorshift64*), so failures reproduce.
struct Rng(u64);
impl Rng {
    fn next(&mut self) -> u32 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        (self.0.wrapping_mul(0x2545_f491_4f6c_dd1d) >> 32) as u32
    }
    /// Random operand with a bias towards interesting magnitudes.
    fn operand(&mut self) -> u32 {
        match self.next() % 4 {
            0 => self.next() % 64,
            1 => self.next() | 0x8000_0000,
            2 => self.next() >> (self.next() % 32),
            _ => self.next(),
        }
    }
}

/// WAT text of an i32 immediate (signed decimal is always in range for the text parser).
fn lit(v: u32) -> String {
    (v as i32).to_string()
}

fn load(wat: &str) -> Program {
    load_module(wat.as_bytes())
        .unwrap_or_else(|e| panic!("load_module failed: {e}\n--- module ---\n{wat}"))
}

fn exec(p: &Program, entry: &str, args: &[u32]) -> Result<Outcome, ExecError> {
    run(p, entry, args, Limits::default())
}

/// A module instantiated once, for the checks that call its (pure) exports thousands of
/// times: a fresh instance per call, as [`run`] makes, spent most of this test's time
/// copying the module. [`run`]'s own path is what every other test here takes.
struct Instance {
    store: Store,
    id: InstanceId,
}

impl Instance {
    fn new(p: &Program) -> Self {
        let mut store = Store::new(Limits::default());
        let id = store
            .instantiate(Arc::new(p.clone()))
            .expect("the module instantiates");
        Instance { store, id }
    }

    /// Invokes `entry` on `i32` arguments: the outcome's results as [`run`] gives them.
    fn exec(&mut self, entry: &str, args: &[u32]) -> Result<Outcome, ExecError> {
        let args: Vec<Value> = args.iter().map(|a| Value::I32(*a)).collect();
        let (out, cycles, wasm_instrs) = self.store.invoke_counted(self.id, entry, &args)?;
        let results = out
            .iter()
            .map(|v| match v {
                Value::I32(x) => *x,
                other => panic!("{entry} returned {other:?}, not an i32"),
            })
            .collect();
        Ok(Outcome {
            results,
            cycles,
            wasm_instrs,
            journal: Vec::new(),
        })
    }
}

/// Runs and returns the single result (panicking with context on any error).
fn run1(p: &Program, entry: &str, args: &[u32]) -> u32 {
    match exec(p, entry, args) {
        Ok(o) => {
            assert_eq!(
                o.results.len(),
                1,
                "{entry}({args:?}) returned {:?}",
                o.results
            );
            o.results[0]
        }
        Err(e) => panic!("{entry}({args:?}) failed: {e}"),
    }
}

/// Collects mismatches so that one run reports all of them, with context.
#[derive(Default)]
struct Checker {
    checked: usize,
    failures: Vec<String>,
}

impl Checker {
    /// Compares a run against the expected single result or trap. `ctx` describes the case.
    fn expect(
        &mut self,
        got: Result<Outcome, ExecError>,
        want: Result<u32, TrapKind>,
        entry: &str,
        ctx: impl FnOnce() -> String,
    ) {
        self.checked += 1;
        let ok = match (&got, &want) {
            (Ok(o), Ok(w)) => o.results == [*w],
            (Err(ExecError::Trap { kind, func, .. }), Err(k)) => kind == k && func == entry,
            _ => false,
        };
        if !ok {
            let want_s = match want {
                Ok(w) => format!("Ok({w:#010x} = {})", w as i32),
                Err(k) => format!("Trap({k:?}) in `{entry}`"),
            };
            let got_s = match got {
                Ok(o) => format!(
                    "Ok({})",
                    o.results
                        .iter()
                        .map(|r| format!("{r:#010x} = {}", *r as i32))
                        .collect::<Vec<_>>()
                        .join(", ")
                ),
                Err(e) => format!("Err({e:?})"),
            };
            self.failures
                .push(format!("{}: expected {want_s}, got {got_s}", ctx()));
        }
    }

    fn assert_ok(&self, what: &str, min_checked: usize) {
        assert!(
            self.checked >= min_checked,
            "{what}: only {} cases checked (expected at least {min_checked})",
            self.checked
        );
        if !self.failures.is_empty() {
            let shown: Vec<&String> = self.failures.iter().take(60).collect();
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
// Reference semantics (WebAssembly 1.0/2.0 §4.3.2, numerics of i32)
// ------------------------------------------------------------------------------------------

const BINOPS: [&str; 25] = [
    "add", "sub", "mul", "div_s", "div_u", "rem_s", "rem_u", "and", "or", "xor", "shl", "shr_s",
    "shr_u", "rotl", "rotr", "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s",
    "ge_u",
];

const UNOPS: [&str; 4] = ["clz", "ctz", "popcnt", "eqz"];

fn reference_binary(op: &str, a: u32, b: u32) -> Result<u32, TrapKind> {
    let (sa, sb) = (a as i32, b as i32);
    let k = b % 32;
    Ok(match op {
        "add" => a.wrapping_add(b),
        "sub" => a.wrapping_sub(b),
        "mul" => a.wrapping_mul(b),
        "div_s" => {
            if sb == 0 {
                return Err(TrapKind::DivisionByZero);
            }
            if sa == i32::MIN && sb == -1 {
                return Err(TrapKind::IntegerOverflow);
            }
            (sa / sb) as u32 // truncates toward zero
        }
        "div_u" => {
            if b == 0 {
                return Err(TrapKind::DivisionByZero);
            }
            a / b
        }
        "rem_s" => {
            if sb == 0 {
                return Err(TrapKind::DivisionByZero);
            }
            // sign of the dividend; INT_MIN rem -1 = 0
            if sb == -1 {
                0
            } else {
                (sa % sb) as u32
            }
        }
        "rem_u" => {
            if b == 0 {
                return Err(TrapKind::DivisionByZero);
            }
            a % b
        }
        "and" => a & b,
        "or" => a | b,
        "xor" => a ^ b,
        "shl" => a << k,
        "shr_s" => (sa >> k) as u32,
        "shr_u" => a >> k,
        "rotl" => a.rotate_left(k),
        "rotr" => a.rotate_right(k),
        "eq" => (a == b) as u32,
        "ne" => (a != b) as u32,
        "lt_s" => (sa < sb) as u32,
        "lt_u" => (a < b) as u32,
        "gt_s" => (sa > sb) as u32,
        "gt_u" => (a > b) as u32,
        "le_s" => (sa <= sb) as u32,
        "le_u" => (a <= b) as u32,
        "ge_s" => (sa >= sb) as u32,
        "ge_u" => (a >= b) as u32,
        _ => panic!("unknown binary op {op}"),
    })
}

fn reference_unary(op: &str, a: u32) -> u32 {
    match op {
        "clz" => a.leading_zeros(),
        "ctz" => a.trailing_zeros(),
        "popcnt" => a.count_ones(),
        "eqz" => (a == 0) as u32,
        _ => panic!("unknown unary op {op}"),
    }
}

#[test]
fn reference_model_sanity() {
    // A few spec examples, so a mistake in the model itself is caught here.
    assert_eq!(
        reference_binary("div_s", (-7i32) as u32, 2),
        Ok((-3i32) as u32)
    );
    assert_eq!(
        reference_binary("rem_s", (-7i32) as u32, 2),
        Ok((-1i32) as u32)
    );
    assert_eq!(reference_binary("rem_s", 7, (-2i32) as u32), Ok(1));
    assert_eq!(reference_binary("rem_s", 0x8000_0000, u32::MAX), Ok(0));
    assert_eq!(
        reference_binary("div_s", 0x8000_0000, u32::MAX),
        Err(TrapKind::IntegerOverflow)
    );
    assert_eq!(
        reference_binary("div_u", 1, 0),
        Err(TrapKind::DivisionByZero)
    );
    assert_eq!(
        reference_binary("rem_s", 0x8000_0000, 0),
        Err(TrapKind::DivisionByZero)
    );
    assert_eq!(reference_binary("shl", 1, 33), Ok(2));
    assert_eq!(reference_binary("shr_s", 0x8000_0000, 31), Ok(u32::MAX));
    assert_eq!(reference_binary("shr_s", 0x8000_0000, 32), Ok(0x8000_0000));
    assert_eq!(reference_binary("rotl", 0x8000_0001, 1), Ok(3));
    assert_eq!(reference_binary("rotr", 1, 0xffff_ffff), Ok(2));
    assert_eq!(reference_binary("lt_s", u32::MAX, 0), Ok(1));
    assert_eq!(reference_binary("lt_u", u32::MAX, 0), Ok(0));
    assert_eq!(reference_unary("clz", 0), 32);
    assert_eq!(reference_unary("ctz", 0), 32);
    assert_eq!(reference_unary("popcnt", u32::MAX), 32);
}

// ------------------------------------------------------------------------------------------
// 1. Every i32 operator, every lowering shape, all pairs of edge-case operands
// ------------------------------------------------------------------------------------------

/// One module per binary operator. Shapes (export names):
/// * `ll`   — `local.get 0 local.get 1 OP` (both operands in parameter slots)
/// * `cl_i` — `i32.const VALS[i] local.get 0 OP` (constant left operand)
/// * `lc_j` — `local.get 0 i32.const VALS[j] OP` (constant right operand, often an immediate)
/// * `cc_i_j` — `i32.const VALS[i] i32.const VALS[j] OP` (folded at load time, or trapping at run time)
/// * `tt`   — both operands first computed into temporaries (`x ^ 0`), so the left operand sits
///   in the destination slot
/// * `tc_j` / `ct_i` — one temporary, one constant
/// * `deep` — the operation at stack height 1, above a live value (scratch slots move up)
/// * `set`  — the result stored into the right operand's local (`local.set` peephole)
/// * `same` — `local.get 0 local.get 0 OP`
fn binop_module(op: &str) -> String {
    let mut s = String::from("(module\n");
    let f = |name: &str, params: usize, body: String| {
        format!(
            "  (func (export \"{name}\"){} (result i32) {body})\n",
            if params == 0 {
                String::new()
            } else {
                format!(" (param{})", " i32".repeat(params))
            }
        )
    };
    s += &f("ll", 2, format!("local.get 0 local.get 1 i32.{op}"));
    s += &f(
        "tt",
        2,
        format!("local.get 0 i32.const 0 i32.xor local.get 1 i32.const 0 i32.xor i32.{op}"),
    );
    s += &f(
        "deep",
        2,
        format!(
            "local.get 0 local.get 1 i32.add local.get 0 local.get 1 i32.{op} i32.xor \
             local.get 0 local.get 1 i32.add i32.xor"
        ),
    );
    s += &f(
        "set",
        2,
        format!("local.get 0 local.get 1 i32.{op} local.set 1 local.get 1"),
    );
    s += &f("same", 1, format!("local.get 0 local.get 0 i32.{op}"));
    for (i, x) in VALS.iter().enumerate() {
        s += &f(
            &format!("cl_{i}"),
            1,
            format!("i32.const {} local.get 0 i32.{op}", lit(*x)),
        );
        s += &f(
            &format!("lc_{i}"),
            1,
            format!("local.get 0 i32.const {} i32.{op}", lit(*x)),
        );
        s += &f(
            &format!("ct_{i}"),
            1,
            format!(
                "i32.const {} local.get 0 i32.const 0 i32.xor i32.{op}",
                lit(*x)
            ),
        );
        s += &f(
            &format!("tc_{i}"),
            1,
            format!(
                "local.get 0 i32.const 0 i32.xor i32.const {} i32.{op}",
                lit(*x)
            ),
        );
        for (j, y) in VALS.iter().enumerate() {
            s += &f(
                &format!("cc_{i}_{j}"),
                0,
                format!("i32.const {} i32.const {} i32.{op}", lit(*x), lit(*y)),
            );
        }
    }
    s += ")\n";
    s
}

/// Checks binary operator `op` in every shape; returns the checker.
fn check_binop(op: &str) -> Checker {
    let wat = binop_module(op);
    // For the all-constant shape, loading must succeed even where the operation traps: the
    // trap belongs to run time.
    let p = load(&wat);
    let mut ck = Checker::default();
    let mut inst = Instance::new(&p);
    let ext = extended_vals();
    fn desc(op: &str, s: &str, a: u32, b: u32) -> String {
        format!(
            "i32.{op} shape {s}: a={a:#010x} ({}), b={b:#010x} ({})",
            a as i32, b as i32
        )
    }

    // (a) both operands as parameters: all pairs of the extended table, plus random pairs
    for &a in &ext {
        for &b in &ext {
            ck.expect(
                inst.exec("ll", &[a, b]),
                reference_binary(op, a, b),
                "ll",
                || desc(op, "ll", a, b),
            );
        }
    }
    let mut rng = Rng(0x9e37_79b9_7f4a_7c15 ^ op.len() as u64 ^ ((op.as_bytes()[0] as u64) << 17));
    for _ in 0..2000 {
        let (a, b) = (rng.operand(), rng.operand());
        ck.expect(
            inst.exec("ll", &[a, b]),
            reference_binary(op, a, b),
            "ll",
            || desc(op, "ll(random)", a, b),
        );
    }
    // temporaries, deep stack, local.set peephole, same operand
    for &a in &VALS {
        for &b in &VALS {
            let want = reference_binary(op, a, b);
            ck.expect(inst.exec("tt", &[a, b]), want, "tt", || {
                desc(op, "tt", a, b)
            });
            ck.expect(inst.exec("deep", &[a, b]), want, "deep", || {
                desc(op, "deep", a, b)
            });
            ck.expect(inst.exec("set", &[a, b]), want, "set", || {
                desc(op, "set", a, b)
            });
        }
    }
    for &a in &ext {
        ck.expect(
            inst.exec("same", &[a]),
            reference_binary(op, a, a),
            "same",
            || desc(op, "same", a, a),
        );
    }
    // (b) constant left, (c) constant right, (d) both constant, + temporary/constant mixes
    for (i, &x) in VALS.iter().enumerate() {
        for (j, &y) in VALS.iter().enumerate() {
            let cl = format!("cl_{i}");
            ck.expect(
                inst.exec(&cl, &[y]),
                reference_binary(op, x, y),
                &cl,
                || desc(op, &cl, x, y),
            );
            let ct = format!("ct_{i}");
            ck.expect(
                inst.exec(&ct, &[y]),
                reference_binary(op, x, y),
                &ct,
                || desc(op, &ct, x, y),
            );
            let lc = format!("lc_{j}");
            ck.expect(
                inst.exec(&lc, &[x]),
                reference_binary(op, x, y),
                &lc,
                || desc(op, &lc, x, y),
            );
            let tc = format!("tc_{j}");
            ck.expect(
                inst.exec(&tc, &[x]),
                reference_binary(op, x, y),
                &tc,
                || desc(op, &tc, x, y),
            );
            let cc = format!("cc_{i}_{j}");
            ck.expect(inst.exec(&cc, &[]), reference_binary(op, x, y), &cc, || {
                desc(op, &cc, x, y)
            });
        }
        // the constant shapes also on the extended table of the other operand
        let cl = format!("cl_{i}");
        let lc = format!("lc_{i}");
        for &v in &ext {
            ck.expect(
                inst.exec(&cl, &[v]),
                reference_binary(op, x, v),
                &cl,
                || desc(op, &cl, x, v),
            );
            ck.expect(
                inst.exec(&lc, &[v]),
                reference_binary(op, v, x),
                &lc,
                || desc(op, &lc, v, x),
            );
        }
    }
    ck
}

/// One module per unary operator: `l` (parameter), `c_i` (constant, folded), `t` (temporary),
/// `deep` (above a live value), `set` (stored back into the operand's local).
fn unop_module(op: &str) -> String {
    let mut s = String::from("(module\n");
    s += &format!("  (func (export \"l\") (param i32) (result i32) local.get 0 i32.{op})\n");
    s += &format!("  (func (export \"t\") (param i32) (result i32) local.get 0 i32.const 0 i32.xor i32.{op})\n");
    s += &format!(
        "  (func (export \"deep\") (param i32) (result i32) local.get 0 i32.const 1 i32.add \
         local.get 0 i32.{op} i32.xor local.get 0 i32.const 1 i32.add i32.xor)\n"
    );
    s += &format!("  (func (export \"set\") (param i32) (result i32) local.get 0 i32.{op} local.set 0 local.get 0)\n");
    for (i, x) in VALS.iter().enumerate() {
        s += &format!(
            "  (func (export \"c_{i}\") (result i32) i32.const {} i32.{op})\n",
            lit(*x)
        );
    }
    s += ")\n";
    s
}

fn check_unop(op: &str) -> Checker {
    let p = load(&unop_module(op));
    let mut ck = Checker::default();
    let mut inst = Instance::new(&p);
    let mut vals = extended_vals();
    let mut rng = Rng(0x1234_5678_9abc_def0 ^ op.len() as u64);
    vals.extend((0..2000).map(|_| rng.operand()));
    for &a in &vals {
        let want = Ok(reference_unary(op, a));
        for shape in ["l", "t", "deep", "set"] {
            ck.expect(inst.exec(shape, &[a]), want, shape, || {
                format!("i32.{op} shape {shape}: a={a:#010x}")
            });
        }
    }
    for (i, &x) in VALS.iter().enumerate() {
        let e = format!("c_{i}");
        ck.expect(inst.exec(&e, &[]), Ok(reference_unary(op, x)), &e, || {
            format!("i32.{op} shape const: a={x:#010x}")
        });
    }
    ck
}

macro_rules! binop_tests {
    ($($name:ident => $op:literal,)*) => {$(
        #[test]
        fn $name() {
            // pairs of the extended table + 2000 random + 3·400 + |ext| + 5·400 + 2·20·|ext|
            check_binop($op).assert_ok(concat!("i32.", $op), 15_000);
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
fn unops() {
    for op in UNOPS {
        check_unop(op).assert_ok(&format!("i32.{op}"), 1000);
    }
}

#[test]
fn every_binop_has_a_test() {
    // Guards the macro list above against drifting from BINOPS.
    assert_eq!(BINOPS.len(), 25);
    for op in BINOPS {
        let _ = reference_binary(op, 1, 1);
    }
}

#[test]
fn division_traps_in_every_shape() {
    // Explicit trap cases (also covered by the tables), with the trap's reported function.
    let cases: [(&str, u32, u32, TrapKind); 8] = [
        ("div_s", 1, 0, TrapKind::DivisionByZero),
        ("div_s", 0x8000_0000, 0xffff_ffff, TrapKind::IntegerOverflow),
        ("div_u", 0, 0, TrapKind::DivisionByZero),
        ("rem_s", 0x8000_0000, 0, TrapKind::DivisionByZero),
        ("rem_u", 0xffff_ffff, 0, TrapKind::DivisionByZero),
        ("div_s", 0, 0, TrapKind::DivisionByZero),
        ("rem_u", 0, 0, TrapKind::DivisionByZero),
        ("div_u", 0x8000_0000, 0, TrapKind::DivisionByZero),
    ];
    let mut n = 0;
    for (op, a, b, kind) in cases {
        let (xa, yb) = (lit(a), lit(b));
        let wat = format!(
            "(module
               (func (export \"ll\") (param i32 i32) (result i32) local.get 0 local.get 1 i32.{op})
               (func (export \"cl\") (param i32) (result i32) i32.const {xa} local.get 0 i32.{op})
               (func (export \"lc\") (param i32) (result i32) local.get 0 i32.const {yb} i32.{op})
               (func (export \"cc\") (result i32) i32.const {xa} i32.const {yb} i32.{op})
               (func (export \"cc_dead\") (param i32) (result i32)
                 local.get 0 if (result i32) i32.const {xa} i32.const {yb} i32.{op} else i32.const 7 end))"
        );
        let p = load_module(wat.as_bytes()).unwrap_or_else(|e| {
            panic!("i32.{op} {a:#x} {b:#x}: a trapping constant expression must load: {e}")
        });
        for (entry, args) in [
            ("ll", vec![a, b]),
            ("cl", vec![b]),
            ("lc", vec![a]),
            ("cc", vec![]),
            ("cc_dead", vec![1]),
        ] {
            match exec(&p, entry, &args) {
                Err(ExecError::Trap { kind: k, func, .. }) => {
                    assert_eq!(k, kind, "i32.{op} {a:#x} {b:#x} shape {entry}");
                    assert_eq!(func, entry, "trap attributed to the wrong function");
                }
                other => panic!(
                    "i32.{op} {a:#x} {b:#x} shape {entry}: expected trap {kind:?}, got {other:?}"
                ),
            }
            n += 1;
        }
        // the trapping branch is not taken: no trap
        assert_eq!(
            run1(&p, "cc_dead", &[0]),
            7,
            "i32.{op}: untaken trapping branch"
        );
    }
    assert_eq!(n, 40);
    // The Display of the trap names the kind.
    let p = load(
        "(module (func (export \"d\") (param i32) (result i32) i32.const 1 local.get 0 i32.div_u))",
    );
    let e = exec(&p, "d", &[0]).unwrap_err();
    let msg = e.to_string();
    assert!(
        msg.contains("integer divide by zero") && msg.contains("`d`"),
        "{msg}"
    );
    let p = load("(module (func (export \"o\") (param i32) (result i32) local.get 0 i32.const -1 i32.div_s))");
    let msg = exec(&p, "o", &[0x8000_0000]).unwrap_err().to_string();
    assert!(
        msg.contains("integer overflow") && msg.contains("`o`"),
        "{msg}"
    );
}

// ------------------------------------------------------------------------------------------
// 2. Parametric instructions, locals, control flow, calls
// ------------------------------------------------------------------------------------------

const PARAMETRIC: &str = r#"
(module
  (func (export "sel") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 select)
  (func (export "sel_typed") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 select (result i32))
  (func (export "sel_const_vals") (param i32) (result i32)
    i32.const 11 i32.const -22 local.get 0 select)
  (func (export "sel_v1_const") (param i32 i32) (result i32)
    i32.const 11 local.get 0 local.get 1 select)
  (func (export "sel_v2_const") (param i32 i32) (result i32)
    local.get 0 i32.const -22 local.get 1 select)
  (func (export "sel_cond1") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 1 select)
  (func (export "sel_cond0") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 0 select)
  (func (export "sel_condneg") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const -2147483648 select)
  (func (export "sel_all_const1") (result i32)
    i32.const 5 i32.const 6 i32.const 7 select)
  (func (export "sel_all_const0") (result i32)
    i32.const 5 i32.const 6 i32.const 0 select)
  ;; v1 computed into the destination slot
  (func (export "sel_tmp") (param i32 i32 i32) (result i32)
    local.get 0 i32.const 1 i32.add local.get 1 i32.const 2 i32.add local.get 2 select)
  ;; computed condition
  (func (export "sel_tmp_cond") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 i32.const 5 i32.lt_u select)
  ;; v1 in the destination slot, v2 a constant
  (func (export "sel_tmp_v2const") (param i32 i32) (result i32)
    local.get 0 i32.const 3 i32.mul i32.const 99 local.get 1 select)
  (func (export "sel_same") (param i32 i32) (result i32)
    local.get 0 local.get 0 local.get 1 select)
  ;; select at stack height 1
  (func (export "sel_deep") (param i32 i32 i32) (result i32)
    local.get 2 local.get 0 local.get 1 local.get 2 select i32.add)
  ;; select result stored into its own condition's local
  (func (export "sel_set") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2 select local.set 2 local.get 2)
  (func (export "tee") (param i32) (result i32) (local i32)
    local.get 0 i32.const 3 i32.mul local.tee 1 local.get 1 i32.add)
  ;; an older stack entry reads the local that local.tee overwrites
  (func (export "tee_old") (param i32) (result i32)
    local.get 0 local.get 0 i32.const 1 i32.add local.tee 0 i32.sub local.get 0 i32.mul)
  (func (export "set_old") (param i32 i32) (result i32)
    local.get 0 local.get 1 local.set 0 local.get 0 i32.sub)
  (func (export "swap") (param i32 i32) (result i32)
    local.get 0 local.get 1 local.set 0 local.set 1 local.get 0 i32.const 1000 i32.mul local.get 1 i32.add)
  ;; a value read through local.tee stays valid when the local is overwritten later
  (func (export "tee_then_set") (param i32) (result i32) (local i32)
    local.get 0 local.tee 1 i32.const 5 local.set 1 local.get 1 i32.add)
  ;; select with a constant condition picking a computed (non-constant) operand
  (func (export "sel_cond_pick_tmp") (param i32 i32) (result i32)
    local.get 0 i32.const 1 i32.add local.get 1 i32.const 2 i32.add i32.const 1 select)
  (func (export "tee_chain") (param i32) (result i32) (local i32 i32)
    local.get 0 local.tee 1 local.tee 2 local.get 1 i32.add local.get 2 i32.add)
  (func (export "locals_zero") (param i32) (result i32) (local i32 i32)
    local.get 1 local.get 2 i32.or local.get 0 i32.add)
  (func $dirty (param i32) (result i32) (local i32 i32)
    local.get 0 local.set 1 local.get 0 i32.const 1 i32.add local.set 2 local.get 1 local.get 2 i32.add)
  (func $fresh (param i32) (result i32) (local i32 i32)
    local.get 1 local.get 2 i32.or)
  ;; declared locals start at zero even when the frame reuses slots a previous call dirtied
  (func (export "dirty_then_fresh") (param i32) (result i32)
    local.get 0 call $dirty drop local.get 0 call $fresh)
  (func (export "drop_nop") (param i32 i32) (result i32)
    nop local.get 0 nop local.get 1 drop nop)
  (func (export "drop_computed") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.add local.get 0 local.get 1 i32.mul drop)
  (func (export "unreach") (result i32) unreachable)
  (func (export "unreach_if") (param i32) (result i32)
    local.get 0 if unreachable end local.get 0 i32.const 5 i32.add)
  (func (export "unreach_after") (param i32) (result i32)
    block local.get 0 br_if 0 unreachable i32.const 1 drop end local.get 0)
)
"#;

#[test]
fn parametric_and_locals() {
    let p = load(PARAMETRIC);
    let mut ck = Checker::default();
    let small = [0u32, 1, 2, 5, 7, 0x8000_0000, 0xffff_ffff, 0x1234_5678];
    let sel = |a: u32, b: u32, c: u32| if c != 0 { a } else { b };
    for &a in &small {
        for &b in &small {
            for &c in &small {
                let ctx = |e: &'static str| move || format!("{e}({a:#x}, {b:#x}, {c:#x})");
                ck.expect(
                    exec(&p, "sel", &[a, b, c]),
                    Ok(sel(a, b, c)),
                    "sel",
                    ctx("sel"),
                );
                ck.expect(
                    exec(&p, "sel_typed", &[a, b, c]),
                    Ok(sel(a, b, c)),
                    "sel_typed",
                    ctx("sel_typed"),
                );
                ck.expect(
                    exec(&p, "sel_tmp", &[a, b, c]),
                    Ok(sel(a.wrapping_add(1), b.wrapping_add(2), c)),
                    "sel_tmp",
                    ctx("sel_tmp"),
                );
                ck.expect(
                    exec(&p, "sel_tmp_cond", &[a, b, c]),
                    Ok(sel(a, b, (c < 5) as u32)),
                    "sel_tmp_cond",
                    ctx("sel_tmp_cond"),
                );
                ck.expect(
                    exec(&p, "sel_deep", &[a, b, c]),
                    Ok(c.wrapping_add(sel(a, b, c))),
                    "sel_deep",
                    ctx("sel_deep"),
                );
                ck.expect(
                    exec(&p, "sel_set", &[a, b, c]),
                    Ok(sel(a, b, c)),
                    "sel_set",
                    ctx("sel_set"),
                );
            }
            let ctx = |e: &'static str| move || format!("{e}({a:#x}, {b:#x})");
            ck.expect(
                exec(&p, "sel_v1_const", &[a, b]),
                Ok(sel(11, a, b)),
                "sel_v1_const",
                ctx("sel_v1_const"),
            );
            ck.expect(
                exec(&p, "sel_v2_const", &[a, b]),
                Ok(sel(a, (-22i32) as u32, b)),
                "sel_v2_const",
                ctx("sel_v2_const"),
            );
            ck.expect(
                exec(&p, "sel_cond1", &[a, b]),
                Ok(a),
                "sel_cond1",
                ctx("sel_cond1"),
            );
            ck.expect(
                exec(&p, "sel_cond0", &[a, b]),
                Ok(b),
                "sel_cond0",
                ctx("sel_cond0"),
            );
            ck.expect(
                exec(&p, "sel_condneg", &[a, b]),
                Ok(a),
                "sel_condneg",
                ctx("sel_condneg"),
            );
            ck.expect(
                exec(&p, "sel_tmp_v2const", &[a, b]),
                Ok(sel(a.wrapping_mul(3), 99, b)),
                "sel_tmp_v2const",
                ctx("sel_tmp_v2const"),
            );
            ck.expect(
                exec(&p, "sel_cond_pick_tmp", &[a, b]),
                Ok(a.wrapping_add(1)),
                "sel_cond_pick_tmp",
                ctx("sel_cond_pick_tmp"),
            );
            ck.expect(
                exec(&p, "sel_same", &[a, b]),
                Ok(a),
                "sel_same",
                ctx("sel_same"),
            );
            ck.expect(
                exec(&p, "set_old", &[a, b]),
                Ok(a.wrapping_sub(b)),
                "set_old",
                ctx("set_old"),
            );
            ck.expect(
                exec(&p, "swap", &[a, b]),
                Ok(b.wrapping_mul(1000).wrapping_add(a)),
                "swap",
                ctx("swap"),
            );
            ck.expect(
                exec(&p, "drop_nop", &[a, b]),
                Ok(a),
                "drop_nop",
                ctx("drop_nop"),
            );
            ck.expect(
                exec(&p, "drop_computed", &[a, b]),
                Ok(a.wrapping_add(b)),
                "drop_computed",
                ctx("drop_computed"),
            );
        }
        let ctx = |e: &'static str| move || format!("{e}({a:#x})");
        ck.expect(
            exec(&p, "sel_const_vals", &[a]),
            Ok(sel(11, (-22i32) as u32, a)),
            "sel_const_vals",
            ctx("sel_const_vals"),
        );
        ck.expect(
            exec(&p, "tee", &[a]),
            Ok(a.wrapping_mul(6)),
            "tee",
            ctx("tee"),
        );
        // a - (a+1) = -1, times the new local (a+1)
        ck.expect(
            exec(&p, "tee_old", &[a]),
            Ok(u32::MAX.wrapping_mul(a.wrapping_add(1))),
            "tee_old",
            ctx("tee_old"),
        );
        ck.expect(
            exec(&p, "tee_then_set", &[a]),
            Ok(a.wrapping_add(5)),
            "tee_then_set",
            ctx("tee_then_set"),
        );
        ck.expect(
            exec(&p, "tee_chain", &[a]),
            Ok(a.wrapping_mul(3)),
            "tee_chain",
            ctx("tee_chain"),
        );
        ck.expect(
            exec(&p, "locals_zero", &[a]),
            Ok(a),
            "locals_zero",
            ctx("locals_zero"),
        );
        ck.expect(
            exec(&p, "dirty_then_fresh", &[a]),
            Ok(0),
            "dirty_then_fresh",
            ctx("dirty_then_fresh"),
        );
        let want = if a != 0 {
            Err(TrapKind::Unreachable)
        } else {
            Ok(5)
        };
        ck.expect(
            exec(&p, "unreach_if", &[a]),
            want,
            "unreach_if",
            ctx("unreach_if"),
        );
        let want = if a != 0 {
            Ok(a)
        } else {
            Err(TrapKind::Unreachable)
        };
        ck.expect(
            exec(&p, "unreach_after", &[a]),
            want,
            "unreach_after",
            ctx("unreach_after"),
        );
    }
    ck.expect(
        exec(&p, "sel_all_const1", &[]),
        Ok(5),
        "sel_all_const1",
        || "sel_all_const1".into(),
    );
    ck.expect(
        exec(&p, "sel_all_const0", &[]),
        Ok(6),
        "sel_all_const0",
        || "sel_all_const0".into(),
    );
    ck.expect(
        exec(&p, "unreach", &[]),
        Err(TrapKind::Unreachable),
        "unreach",
        || "unreach".into(),
    );
    ck.assert_ok("parametric and locals", 3500);
    // Display of the unreachable trap
    let msg = exec(&p, "unreach", &[]).unwrap_err().to_string();
    assert!(
        msg.contains("unreachable") && msg.contains("`unreach`"),
        "{msg}"
    );
}

const CONTROL: &str = r#"
(module
  (func (export "if_else") (param i32) (result i32)
    local.get 0 if (result i32) i32.const 10 else i32.const 20 end)
  (func (export "if_const") (result i32)
    i32.const 0 if (result i32) i32.const 10 else i32.const 20 end
    i32.const 3 if (result i32) i32.const 100 else i32.const 200 end i32.add)
  (func (export "if_noelse") (param i32) (result i32) (local i32)
    i32.const 5 local.set 1 local.get 0 if i32.const 7 local.set 1 end local.get 1)
  (func (export "if_deep") (param i32 i32) (result i32)
    local.get 1 local.get 0 if (result i32) local.get 1 i32.const 2 i32.mul else i32.const 3 end i32.add)
  (func (export "block_result") (param i32) (result i32)
    block (result i32) local.get 0 i32.const 2 i32.mul end i32.const 1 i32.add)
  (func (export "nested_if") (param i32 i32) (result i32)
    local.get 0
    if (result i32)
      local.get 1 if (result i32) i32.const 1 else i32.const 2 end
    else
      local.get 1 if (result i32) i32.const 3 else i32.const 4 end
    end)
  (func (export "block_params") (param i32 i32) (result i32)
    local.get 0 local.get 1 block (param i32 i32) (result i32) i32.sub end)
  (func (export "if_params") (param i32 i32 i32) (result i32)
    local.get 0 local.get 1 local.get 2
    if (param i32 i32) (result i32) i32.add else i32.sub end)
  ;; sum 1..n with block/loop/br_if/br
  (func (export "sum_loop") (param i32) (result i32) (local i32)
    block
      loop
        local.get 0 i32.eqz br_if 1
        local.get 1 local.get 0 i32.add local.set 1
        local.get 0 i32.const 1 i32.sub local.set 0
        br 0
      end
    end
    local.get 1)
  ;; loop with a result (falls through once the counter reaches 0); n >= 1
  (func (export "loop_result") (param i32) (result i32)
    loop (result i32)
      local.get 0 i32.const 1 i32.sub local.tee 0
      local.get 0 br_if 0
      i32.const 100 i32.add
    end)
  ;; loop with a parameter carrying the accumulator; n >= 1
  (func (export "loop_param") (param i32) (result i32)
    i32.const 0
    loop (param i32) (result i32)
      local.get 0 i32.add
      local.get 0 i32.const 1 i32.sub local.tee 0
      br_if 0
    end)
  (func (export "br_outer") (param i32) (result i32)
    block (result i32)
      block
        local.get 0 i32.eqz br_if 0
        i32.const 42 br 1
      end
      i32.const 7
    end)
  (func (export "br_if_value") (param i32) (result i32)
    block (result i32)
      i32.const 100 local.get 0 br_if 0
      drop i32.const 200
    end)
  ;; br_if whose value must be moved down (a live value below it)
  (func (export "br_if_moves") (param i32 i32) (result i32)
    block (result i32)
      local.get 0
      i32.const 9
      local.get 1 br_if 0
      i32.add
    end
    i32.const 1000 i32.add)
  ;; br_if with a computed condition and a value, two levels out
  (func (export "br_if_two_levels") (param i32 i32) (result i32)
    block (result i32)
      block (result i32)
        local.get 1
        local.get 0 i32.const 10 i32.gt_u br_if 1
        i32.const 1 i32.add
      end
      i32.const 1000 i32.add
    end)
  (func (export "br_table") (param i32) (result i32)
    block block block block
      local.get 0 br_table 0 1 2 3
    end i32.const 10 return
    end i32.const 11 return
    end i32.const 12 return
    end i32.const 13)
  (func (export "br_table_value") (param i32 i32) (result i32)
    block (result i32)
      block (result i32)
        block (result i32)
          local.get 1
          local.get 0 br_table 0 1 2
        end i32.const 100 i32.add
      end i32.const 200 i32.add
    end)
  ;; br_table whose value must be moved (a live value below it)
  (func (export "br_table_moves") (param i32 i32) (result i32)
    block (result i32)
      block (result i32)
        local.get 1 i32.const 1 i32.add
        local.get 1
        local.get 0 br_table 0 1
      end i32.const 100 i32.add
    end)
  (func (export "br_table_default_only") (param i32) (result i32)
    block (result i32)
      i32.const 5 local.get 0 br_table 0
    end i32.const 1 i32.add)
  (func (export "br_table_const") (result i32)
    block block block
      i32.const 1 br_table 0 1 2
    end i32.const 10 return
    end i32.const 11 return
    end i32.const 12)
  (func (export "br_table_loop") (param i32) (result i32) (local i32)
    ;; counts iterations: br_table jumps back to the loop while the counter is 1..3
    block
      loop
        local.get 1 i32.const 1 i32.add local.set 1
        local.get 0 i32.const 1 i32.sub local.tee 0
        br_table 1 0 0 0 1
      end
    end
    local.get 1)
  (func (export "ret_nested") (param i32) (result i32)
    block
      block
        loop
          local.get 0 i32.const 5 i32.gt_u if i32.const 55 return end
          local.get 0 if (result i32) i32.const 1 else i32.const 2 end
          return
        end
      end
    end
    i32.const 0)
  (func (export "ret_junk") (param i32) (result i32)
    i32.const 1 i32.const 2 local.get 0 i32.const 3 i32.add return)
  (func (export "ret_in_if_const") (param i32) (result i32)
    local.get 0 if i32.const 123 return end i32.const 456)
  ;; br_if to the function label; the fall-through result is computed in place, so the
  ;; return sequence the branch jumps to has nothing to materialise (the constant fall-through
  ;; case is a regression test below)
  (func (export "br_func_computed") (param i32) (result i32)
    block i32.const 9 local.get 0 br_if 1 drop end local.get 0 i32.const 77 i32.add)
  (func (export "br_func_direct") (param i32) (result i32)
    i32.const 1 local.get 0 br 0)
  ;; br with a value that must be moved down past a live value
  (func (export "br_moves") (param i32) (result i32)
    block (result i32) local.get 0 local.get 0 i32.const 3 i32.mul br 0 end i32.const 1 i32.add)
  ;; loop parameter delivered by a br_if that must move it; n >= 1
  (func (export "loop_param_moves") (param i32) (result i32) (local i32)
    i32.const 0
    loop (param i32) (result i32)
      local.get 0 i32.add local.tee 1
      i32.const 7
      local.get 1
      local.get 0 i32.const 1 i32.sub local.tee 0
      br_if 0
      drop drop
    end)
  ;; if/else results consumed by arithmetic (not by local.set)
  (func (export "if_result_arith") (param i32) (result i32)
    local.get 0 if (result i32) i32.const 10 else i32.const 20 end local.get 0 i32.add)
)
"#;

#[test]
fn control_flow() {
    let p = load(CONTROL);
    let mut ck = Checker::default();
    let vals = [
        0u32,
        1,
        2,
        3,
        4,
        5,
        6,
        7,
        10,
        11,
        100,
        0x7fff_ffff,
        0x8000_0000,
        0xffff_fffe,
        0xffff_ffff,
    ];
    let mut case = |e: &str, args: &[u32], want: Result<u32, TrapKind>| {
        let a = args.to_vec();
        ck.expect(exec(&p, e, args), want, e, || format!("{e}({a:?})"));
    };
    for &a in &vals {
        case("if_else", &[a], Ok(if a != 0 { 10 } else { 20 }));
        case("if_noelse", &[a], Ok(if a != 0 { 7 } else { 5 }));
        case("block_result", &[a], Ok(a.wrapping_mul(2).wrapping_add(1)));
        case("br_outer", &[a], Ok(if a != 0 { 42 } else { 7 }));
        case("br_if_value", &[a], Ok(if a != 0 { 100 } else { 200 }));
        case(
            "br_table",
            &[a],
            Ok(match a {
                0 => 10,
                1 => 11,
                2 => 12,
                _ => 13,
            }),
        );
        case("br_table_default_only", &[a], Ok(6));
        case(
            "ret_nested",
            &[a],
            Ok(if a > 5 {
                55
            } else if a != 0 {
                1
            } else {
                2
            }),
        );
        case("ret_junk", &[a], Ok(a.wrapping_add(3)));
        case("ret_in_if_const", &[a], Ok(if a != 0 { 123 } else { 456 }));
        case(
            "br_func_computed",
            &[a],
            Ok(if a != 0 { 9 } else { a.wrapping_add(77) }),
        );
        case("br_func_direct", &[a], Ok(a));
        case("br_moves", &[a], Ok(a.wrapping_mul(3).wrapping_add(1)));
        case(
            "if_result_arith",
            &[a],
            Ok(a.wrapping_add(if a != 0 { 10 } else { 20 })),
        );
        for &b in &vals {
            case(
                "if_deep",
                &[a, b],
                Ok(b.wrapping_add(if a != 0 { b.wrapping_mul(2) } else { 3 })),
            );
            case(
                "nested_if",
                &[a, b],
                Ok(match (a != 0, b != 0) {
                    (true, true) => 1,
                    (true, false) => 2,
                    (false, true) => 3,
                    (false, false) => 4,
                }),
            );
            case("block_params", &[a, b], Ok(a.wrapping_sub(b)));
            for c in [0u32, 1, 0x8000_0000] {
                case(
                    "if_params",
                    &[a, b, c],
                    Ok(if c != 0 {
                        a.wrapping_add(b)
                    } else {
                        a.wrapping_sub(b)
                    }),
                );
            }
            case(
                "br_if_moves",
                &[a, b],
                Ok(if b != 0 { 1009 } else { a.wrapping_add(1009) }),
            );
            case(
                "br_if_two_levels",
                &[a, b],
                Ok(if a > 10 { b } else { b.wrapping_add(1001) }),
            );
            case(
                "br_table_value",
                &[a, b],
                Ok(match a {
                    0 => b.wrapping_add(300),
                    1 => b.wrapping_add(200),
                    _ => b,
                }),
            );
            case(
                "br_table_moves",
                &[a, b],
                Ok(if a == 0 { b.wrapping_add(100) } else { b }),
            );
        }
    }
    // negative / huge indices go to the default
    for a in [0xffff_ffffu32, 0x8000_0000, 3, 4, 1000] {
        case("br_table", &[a], Ok(13));
    }
    case("br_table_const", &[], Ok(11));
    case("if_const", &[], Ok(120));
    // br_table_loop: n=1 → exits at once (index 0 → outer block) after 1 iteration;
    // n in 2..=4 → index n-1 in 1..=3 → loop again ... iterations = n; n=0 → index -1 → default 1 → exit
    for n in 0u32..8 {
        let want = match n {
            0 => 1,
            1..=4 => n,
            _ => 1, // n-1 >= 4 → index 4 (exit) or default (exit) on the first iteration
        };
        case("br_table_loop", &[n], Ok(want));
    }
    for n in [0u32, 1, 2, 10, 100, 1000] {
        case("sum_loop", &[n], Ok(n * (n + 1) / 2));
    }
    for n in [1u32, 2, 10, 1000] {
        case("loop_result", &[n], Ok(100));
        case("loop_param", &[n], Ok(n * (n + 1) / 2));
        case("loop_param_moves", &[n], Ok(n * (n + 1) / 2));
    }
    ck.assert_ok("control flow", 1500);
}

const CALLS: &str = r#"
(module
  (func $fact (export "fact") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) i32.const 1
    else local.get 0 local.get 0 i32.const 1 i32.sub call $fact i32.mul end)
  (func $fib (export "fib") (param i32) (result i32)
    local.get 0 i32.const 2 i32.lt_u
    if (result i32) local.get 0
    else
      local.get 0 i32.const 1 i32.sub call $fib
      local.get 0 i32.const 2 i32.sub call $fib
      i32.add
    end)
  (func $even (export "is_even") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 1 else local.get 0 i32.const 1 i32.sub call $odd end)
  (func $odd (export "is_odd") (param i32) (result i32)
    local.get 0 i32.eqz if (result i32) i32.const 0 else local.get 0 i32.const 1 i32.sub call $even end)
  (func $gcd (export "gcd") (param i32 i32) (result i32)
    local.get 1 i32.eqz if (result i32) local.get 0 else local.get 1 local.get 0 local.get 1 i32.rem_u call $gcd end)
  (func $divmod (export "divmod") (param i32 i32) (result i32 i32)
    local.get 0 local.get 1 i32.div_u local.get 0 local.get 1 i32.rem_u)
  (func (export "use_divmod") (param i32 i32) (result i32)
    local.get 0 local.get 0 local.get 1 call $divmod i32.const 1000 i32.mul i32.add i32.add)
  (func $sq (param i32) (result i32) local.get 0 local.get 0 i32.mul)
  (func (export "call_deep") (param i32 i32) (result i32)
    local.get 0 local.get 1 local.get 1 call $sq i32.add i32.sub)
  (func $trio (export "trio") (result i32 i32 i32) i32.const 1 i32.const 2 i32.const 3)
  (func (export "use_trio") (param i32) (result i32) local.get 0 call $trio i32.sub i32.sub i32.mul)
  (func $noop)
  (func (export "unit") call $noop)
  (func $three (result i32) i32.const 3)
  (func (export "call_const_args") (result i32) i32.const 6 i32.const 7 call $gcd call $three i32.add)
  (func $many (param i32 i32 i32 i32 i32) (result i32)
    local.get 0 local.get 1 i32.sub local.get 2 i32.mul local.get 3 i32.xor local.get 4 i32.add)
  (func (export "call_many") (param i32 i32) (result i32)
    local.get 0 local.get 1 i32.const 3 local.get 0 i32.const 5 call $many)
  (func $ack (export "ack") (param i32 i32) (result i32)
    local.get 0 i32.eqz if (result i32) local.get 1 i32.const 1 i32.add
    else
      local.get 1 i32.eqz if (result i32) local.get 0 i32.const 1 i32.sub i32.const 1 call $ack
      else local.get 0 i32.const 1 i32.sub local.get 0 local.get 1 i32.const 1 i32.sub call $ack call $ack end
    end)
  (func $trap_inner (param i32) (result i32) i32.const 1 local.get 0 i32.div_u)
  (func (export "trap_in_callee") (param i32) (result i32) local.get 0 call $trap_inner i32.const 1 i32.add)
)
"#;

#[test]
fn calls_and_recursion() {
    let p = load(CALLS);
    let mut ck = Checker::default();
    let mut case = |e: &str, args: &[u32], want: Result<u32, TrapKind>| {
        let a = args.to_vec();
        ck.expect(exec(&p, e, args), want, e, || format!("{e}({a:?})"));
    };
    let mut f = 1u32;
    for n in 0u32..20 {
        f = f.wrapping_mul(n.max(1));
        case("fact", &[n], Ok(f));
    }
    let (mut x, mut y) = (0u32, 1u32);
    for n in 0u32..22 {
        case("fib", &[n], Ok(x));
        (x, y) = (y, x.wrapping_add(y));
    }
    for n in [0u32, 1, 2, 3, 10, 11, 1000, 1001] {
        case("is_even", &[n], Ok((n % 2 == 0) as u32));
        case("is_odd", &[n], Ok((n % 2 == 1) as u32));
    }
    fn gcd(a: u32, b: u32) -> u32 {
        if b == 0 {
            a
        } else {
            gcd(b, a % b)
        }
    }
    for (a, b) in [
        (0u32, 0u32),
        (12, 18),
        (17, 5),
        (0xffff_ffff, 0xffff_fffe),
        (1 << 31, 1 << 20),
        (1071, 462),
        (0, 9),
    ] {
        case("gcd", &[a, b], Ok(gcd(a, b)));
        if b != 0 {
            case(
                "use_divmod",
                &[a, b],
                Ok(a.wrapping_add(a / b)
                    .wrapping_add((a % b).wrapping_mul(1000))),
            );
        } else {
            // the callee traps; the trap names the callee (no export name: `func[idx]`)
            let got = exec(&p, "use_divmod", &[a, b]);
            assert!(
                matches!(&got, Err(ExecError::Trap { kind: TrapKind::DivisionByZero, func, .. }) if func == "divmod"),
                "use_divmod({a}, {b}): {got:?}"
            );
        }
        case(
            "call_deep",
            &[a, b],
            Ok(a.wrapping_sub(b.wrapping_add(b.wrapping_mul(b)))),
        );
        case(
            "call_many",
            &[a, b],
            Ok((a.wrapping_sub(b).wrapping_mul(3) ^ a).wrapping_add(5)),
        );
    }
    case("call_const_args", &[], Ok(4));
    case("use_trio", &[21], Ok(42)); // 21 * (1 - (2 - 3))
    fn ack(m: u32, n: u32) -> u32 {
        if m == 0 {
            n + 1
        } else if n == 0 {
            ack(m - 1, 1)
        } else {
            ack(m - 1, ack(m, n - 1))
        }
    }
    for m in 0..3 {
        for n in 0..5 {
            case("ack", &[m, n], Ok(ack(m, n)));
        }
    }
    case("ack", &[3, 3], Ok(61));
    case("trap_in_callee", &[2], Ok(1));
    ck.assert_ok("calls and recursion", 100);

    // Multiple results, no results.
    let o = exec(&p, "divmod", &[47, 5]).unwrap();
    assert_eq!(o.results, vec![9, 2]);
    assert_eq!(exec(&p, "trio", &[]).unwrap().results, vec![1, 2, 3]);
    let o = exec(&p, "unit", &[]).unwrap();
    assert_eq!(o.results, Vec::<u32>::new());
    assert!(o.cycles >= 2, "call + ret at least: {o:?}");
    // A trap in a non-exported callee is reported in that callee.
    match exec(&p, "trap_in_callee", &[0]) {
        Err(ExecError::Trap {
            kind: TrapKind::DivisionByZero,
            func,
            ..
        }) => {
            assert!(
                func.starts_with("func["),
                "callee without an export name: {func}"
            )
        }
        other => panic!("trap_in_callee(0): {other:?}"),
    }
    // Entry errors.
    assert_eq!(
        exec(&p, "nope", &[]),
        Err(ExecError::NoSuchExport("nope".into()))
    );
    assert!(matches!(
        exec(&p, "fact", &[1, 2]),
        Err(ExecError::ArgCount {
            expected: 1,
            got: 2,
            ..
        })
    ));
    assert!(matches!(
        exec(&p, "gcd", &[]),
        Err(ExecError::ArgCount {
            expected: 2,
            got: 0,
            ..
        })
    ));
}

// ------------------------------------------------------------------------------------------
// 3. Resource limits
// ------------------------------------------------------------------------------------------

#[test]
fn runaway_recursion_and_infinite_loops() {
    let p = load(
        r#"(module
          (func $f (export "f") (param i32) (result i32) local.get 0 call $f)
          (func $g (export "g") (param i32) (result i32)
            local.get 0 i32.const 1 i32.add call $g i32.const 1 i32.add)
          (func $down (export "down") (param i32) (result i32)
            local.get 0 i32.eqz if (result i32) i32.const 0
            else local.get 0 i32.const 1 i32.sub call $down i32.const 1 i32.add end)
          (func (export "spin") (result i32) loop br 0 end i32.const 0)
          (func (export "spin_if") (param i32) (result i32)
            loop local.get 0 br_if 0 end i32.const 1))"#,
    );
    for e in ["f", "g"] {
        match exec(&p, e, &[1]) {
            Err(ExecError::Trap {
                kind: TrapKind::StackExhausted,
                func,
                ..
            }) => assert_eq!(func, e),
            other => panic!("{e}: expected StackExhausted, got {other:?}"),
        }
        // also with a small stack limit and in the traced runner
        let small = Limits {
            max_slots: 1000,
            ..Limits::default()
        };
        assert!(matches!(
            run(&p, e, &[1], small),
            Err(ExecError::Trap {
                kind: TrapKind::StackExhausted,
                ..
            })
        ));
        assert!(matches!(
            run_traced(&p, e, &[1], small),
            Err(ExecError::Trap {
                kind: TrapKind::StackExhausted,
                ..
            })
        ));
    }
    let msg = exec(&p, "f", &[0]).unwrap_err().to_string();
    assert!(msg.contains("call stack exhausted"), "{msg}");

    // Bounded recursion: fine with the default limits, exhausted with a small one.
    assert_eq!(run1(&p, "down", &[10_000]), 10_000);
    let small = Limits {
        max_slots: 1000,
        ..Limits::default()
    };
    assert!(matches!(
        run(&p, "down", &[10_000], small),
        Err(ExecError::Trap {
            kind: TrapKind::StackExhausted,
            ..
        })
    ));
    assert_eq!(run(&p, "down", &[10], small).unwrap().results, vec![10]);

    // Fuel.
    let fuel = Limits {
        fuel: 1000,
        ..Limits::default()
    };
    assert_eq!(
        run(&p, "spin", &[], fuel),
        Err(ExecError::OutOfFuel { fuel: 1000 })
    );
    assert!(matches!(
        run_traced(&p, "spin", &[], fuel),
        Err(ExecError::OutOfFuel { fuel: 1000 })
    ));
    assert_eq!(
        run(&p, "spin_if", &[1], fuel),
        Err(ExecError::OutOfFuel { fuel: 1000 })
    );
    assert_eq!(run(&p, "spin_if", &[0], fuel).unwrap().results, vec![1]);
    assert_eq!(
        run(&p, "f", &[0], fuel),
        Err(ExecError::OutOfFuel { fuel: 1000 }),
        "fuel runs out before the stack"
    );
    let msg = run(&p, "spin", &[], fuel).unwrap_err().to_string();
    assert!(msg.contains("out of fuel") && msg.contains("1000"), "{msg}");

    // The fuel limit is exact: a run of N cycles completes with fuel N and not with N - 1.
    let o = exec(&p, "down", &[20]).unwrap();
    let n = o.cycles;
    assert_eq!(
        run(
            &p,
            "down",
            &[20],
            Limits {
                fuel: n,
                ..Limits::default()
            }
        )
        .unwrap(),
        o
    );
    assert_eq!(
        run(
            &p,
            "down",
            &[20],
            Limits {
                fuel: n - 1,
                ..Limits::default()
            }
        ),
        Err(ExecError::OutOfFuel { fuel: n - 1 })
    );
}

// ------------------------------------------------------------------------------------------
// 4. Front-end errors
// ------------------------------------------------------------------------------------------

#[test]
fn float_and_simd_instructions_are_refused_at_load() {
    // (instruction expected in the error, function body). Instructions after `unreachable`
    // are dead code (validation allows any operands there); the front end checks it too.
    let cases: &[(&str, &str)] = &[
        ("f32.add", "unreachable f32.add drop i32.const 0"),
        ("f32.const", "f32.const 1.5 i32.trunc_f32_s"),
        ("f64.mul", "unreachable f64.mul drop i32.const 0"),
        ("i32.trunc_f32_s", "unreachable i32.trunc_f32_s"),
        (
            "i64.reinterpret_f64",
            "unreachable i64.reinterpret_f64 i32.wrap_i64",
        ),
        ("f64.load", "unreachable f64.load drop i32.const 0"),
        ("i32.trunc_sat_f64_u", "unreachable i32.trunc_sat_f64_u"),
        ("v128.const", "v128.const i64x2 0 0 i32x4.extract_lane 0"),
        (
            "i32x4.splat",
            "local.get 0 i32x4.splat i32x4.extract_lane 1",
        ),
    ];
    let mut n = 0;
    for &(instr, body) in cases {
        let wat = format!(
            "(module (memory 1)
               (func (export \"ok\") (param i32) (result i32) local.get 0)
               (func (export \"bad_fn\") (param i32) (result i32) {body}))"
        );
        let wasm =
            wat::parse_str(&wat).unwrap_or_else(|e| panic!("{instr}: bad test module: {e}\n{wat}"));
        for bytes in [wat.as_bytes(), &wasm[..]] {
            match load_module(bytes) {
                Err(e @ FrontendError::UnsupportedInstruction { .. }) => {
                    let msg = e.to_string();
                    let FrontendError::UnsupportedInstruction {
                        func,
                        index,
                        instr: got,
                        ..
                    } = e
                    else {
                        unreachable!()
                    };
                    assert_eq!(got, instr, "instruction named in the error");
                    assert_eq!(func, "bad_fn", "function named in the error");
                    assert_eq!(index, 1, "function index in the error");
                    assert!(msg.contains(&format!("`{instr}`")), "{msg}");
                    assert!(msg.contains("`bad_fn`"), "{msg}");
                    assert!(msg.contains("floating-point and SIMD"), "{msg}");
                }
                other => panic!("{instr}: expected UnsupportedInstruction, got {other:?}"),
            }
            n += 1;
        }
    }
    assert_eq!(n, 2 * cases.len());
}

#[test]
fn integer_instructions_run_but_are_refused_by_the_traced_run() {
    // i64 arithmetic and the sign extensions lower to 32-bit instructions: traced like any
    // i32 code.
    let traced: &[(&str, &str, u32, u32)] = &[
        (
            "i64.add",
            "(local i64) i64.const 5 local.set 1 local.get 1 local.get 1 i64.add i32.wrap_i64",
            7,
            10,
        ),
        (
            "i64.extend_i32_u",
            "local.get 0 i64.extend_i32_u i32.wrap_i64",
            9,
            9,
        ),
        (
            "i64.extend32_s",
            "local.get 0 i64.extend_i32_s i64.const 32 i64.shr_u i32.wrap_i64",
            0x8000_0000,
            u32::MAX,
        ),
        (
            "i32.extend8_s",
            "local.get 0 i32.extend8_s",
            0x80,
            0xFFFF_FF80,
        ),
        (
            "i32.extend16_s",
            "local.get 0 i32.extend16_s",
            0x7FFF,
            0x7FFF,
        ),
        (
            "i64.div_u",
            "local.get 0 i64.extend_i32_u i64.const 3 i64.div_u i32.wrap_i64",
            100,
            33,
        ),
    ];
    for &(instr, body, arg, want) in traced {
        let wat = format!("(module (func (export \"f\") (param i32) (result i32) {body}))");
        let p = load(&wat);
        let out =
            run(&p, "f", &[arg], Limits::default()).unwrap_or_else(|e| panic!("{instr}: {e}"));
        assert_eq!(out.results, vec![want], "{instr}");
        let (traced, _) = run_traced(&p, "f", &[arg], Limits::default())
            .unwrap_or_else(|e| panic!("{instr}: {e}"));
        assert_eq!(traced, out, "{instr}");
    }
    // A static table of 6,000 entries: the second site's jump table fits neither the per-site
    // budget nor the dispatch functions' budget, so that `call_indirect` stays in the
    // executor.
    // 6,000 functions: the jumps over them of a second `call_indirect` site fit neither the
    // program's per-site budget nor the dispatch functions' (the table, too large to be
    // static, is held in global words).
    let big_table = format!(
        "(type $t (func (result i32))) (func $k (type $t) i32.const 1) {} (table 2000 funcref) \
         (elem (i32.const 0){})",
        "(func (type $t) i32.const 2)".repeat(6000),
        " $k".repeat(10)
    );
    // (first executor-only instruction the run reaches, declarations, body, arg, result)
    let cases: &[(&str, &str, &str, u32, u32)] = &[
        ("i32.load", "(memory 1) (data (i32.const 8) \"\\2a\")", "local.get 0 i32.load", 8, 42),
        ("i32.store", "(memory 1)", "i32.const 0 local.get 0 i32.store i32.const 0 i32.load", 5, 5),
        ("i32.load8_u", "(memory 1) (data (i32.const 0) \"\\ff\")", "local.get 0 i32.load8_u", 0, 255),
        ("memory.grow", "(memory 1)", "local.get 0 memory.grow", 2, 1),
        ("memory.size", "(memory 3)", "memory.size", 0, 3),
        ("global.get", "(global $g i32 (i32.const 40))", "global.get $g local.get 0 i32.add", 2, 42),
        ("global.set", "(global $g (mut i32) (i32.const 0))", "local.get 0 global.set $g i32.const 1", 5, 1),
        // Through a table no run can change (lowered into direct calls): proven.
        (
            "call_indirect",
            "(table 1 funcref) (elem (i32.const 0) $k) (type $t (func (result i32))) (func $k (result i32) i32.const 77)",
            "i32.const 0 call_indirect (type $t)",
            0,
            77,
        ),
        // Through an exported table (another instance could change it): through its
        // global words, proven.
        (
            "call_indirect",
            "(table (export \"t\") 1 funcref) (elem (i32.const 0) $k) (type $t (func (result i32))) (func $k (result i32) i32.const 77)",
            "i32.const 0 call_indirect (type $t)",
            0,
            77,
        ),
        // A table of 2,000 entries: held in global words, proven.
        ("table.size", "(table 2000 funcref)", "table.size 0 local.get 0 i32.add", 1, 2001),
        // Executor-only: refused by the traced run, naming the instruction.
        (
            "call_indirect",
            big_table.as_str(),
            "(call_indirect (type $t) (local.get 0)) (call_indirect (type $t) (local.get 0)) i32.add",
            7,
            2,
        ),
    ];
    for &(instr, decls, body, arg, want) in cases {
        let wat = format!(
            "(module {decls}
               (func (export \"ok\") (param i32) (result i32) local.get 0)
               (func (export \"f\") (param i32) (result i32) {body}))"
        );
        let p = load(&wat);
        let out =
            run(&p, "f", &[arg], Limits::default()).unwrap_or_else(|e| panic!("{instr}: {e}"));
        assert_eq!(out.results, vec![want], "{instr}");
        // Loads, stores, globals, `memory.size/grow`, `table.size` and `call_indirect` are
        // proven now (but for the last case's): the recorded run agrees with the fast one.
        let executor_only = decls == big_table;
        if !executor_only {
            let (traced, _) = run_traced(&p, "f", &[arg], Limits::default())
                .unwrap_or_else(|e| panic!("{instr}: {e}"));
            assert_eq!(traced.results, vec![want], "{instr}");
            continue;
        }
        match run_traced(&p, "f", &[arg], Limits::default()) {
            Err(e @ ExecError::NotProvable { .. }) => {
                let msg = e.to_string();
                let ExecError::NotProvable {
                    instr: got, func, ..
                } = e
                else {
                    unreachable!()
                };
                assert_eq!((got.as_str(), func.as_str()), (instr, "f"), "{msg}");
                assert!(msg.contains("cannot prove yet"), "{msg}");
            }
            other => panic!("{instr}: expected NotProvable, got {other:?}"),
        }
        // The same module's i32-only export still traces.
        assert!(
            run_traced(&p, "ok", &[arg], Limits::default()).is_ok(),
            "{instr}"
        );
    }
}

#[test]
fn float_types_refused_imports_and_start_handled() {
    let cases: &[(&str, &str, &str)] = &[
        (
            "(func (export \"r32\") (result f32) f32.const 0)",
            "r32",
            "f32",
        ),
        (
            "(func (export \"pf64\") (param i32 f64) (result i32) local.get 0)",
            "pf64",
            "f64",
        ),
        (
            "(func (export \"lf32\") (param i32) (result i32) (local i32 f32) local.get 0)",
            "lf32",
            "f32",
        ),
    ];
    for &(func_text, name, ty) in cases {
        let wat = format!("(module {func_text})");
        match load_module(wat.as_bytes()) {
            Err(e @ FrontendError::UnsupportedType { .. }) => {
                let msg = e.to_string();
                let FrontendError::UnsupportedType { func, ty: got, .. } = e else {
                    unreachable!()
                };
                assert_eq!(func, name);
                assert_eq!(got, ty);
                assert!(
                    msg.contains(&format!("`{name}`")) && msg.contains(&format!("`{ty}`")),
                    "{msg}"
                );
            }
            other => panic!("{wat}: expected UnsupportedType, got {other:?}"),
        }
    }
    // i64 signatures load; `run` (i32 only) says to use typed invocation.
    let p = load("(module (func (export \"p64\") (param i64) (result i64) local.get 0))");
    assert!(matches!(
        run(&p, "p64", &[1], Limits::default()),
        Err(ExecError::ArgType { .. })
    ));

    // Imports load; instantiation without a provider names the import.
    let p = load(
        r#"(module (import "env" "host_fn" (func (param i32)))
                   (func (export "f") (result i32) i32.const 1))"#,
    );
    let e = run(&p, "f", &[], Limits::default()).unwrap_err();
    assert!(
        matches!(&e, ExecError::UnknownImport { module, name } if module == "env" && name == "host_fn"),
        "{e:?}"
    );
    assert!(e.to_string().contains("env.host_fn"), "{e}");

    // A start function runs before the entry: `run` and the traced run both execute the
    // start wrapper (start function, then entry) and count its cycles together, more than
    // the entry's alone as `Store::invoke` runs it on an instantiated module.
    let p = load(
        r#"(module (global $g (mut i32) (i32.const 0))
                   (func $s i32.const 41 global.set $g) (start $s)
                   (func (export "f") (result i32) global.get $g i32.const 1 i32.add))"#,
    );
    let fast = run(&p, "f", &[], Limits::default()).unwrap();
    assert_eq!(fast.results, vec![42]);
    let (traced, _) = run_traced(&p, "f", &[], Limits::default()).unwrap();
    assert_eq!((traced.results, traced.cycles), (fast.results, fast.cycles));
    let mut store = gloam_executor::Store::new(Limits::default());
    let inst = store.instantiate(Arc::new(p.clone())).unwrap();
    let (_, entry_cycles, _) = store.invoke_counted(inst, "f", &[]).unwrap();
    assert!(
        fast.cycles > entry_cycles,
        "{} vs {entry_cycles} cycles",
        fast.cycles
    );
    // A start function that traps: so does every run.
    let p = load(
        r#"(module (func $s unreachable) (start $s) (func (export "f") (result i32) i32.const 1))"#,
    );
    assert!(matches!(
        run(&p, "f", &[], Limits::default()),
        Err(ExecError::Trap {
            kind: TrapKind::Unreachable,
            ..
        })
    ));
    assert!(matches!(
        run_traced(&p, "f", &[], Limits::default()),
        Err(ExecError::Trap {
            kind: TrapKind::Unreachable,
            ..
        })
    ));
}

#[test]
fn malformed_input_is_refused_without_panicking() {
    // Truncated binaries.
    for bytes in [
        &b"\0asm"[..],
        b"\0asm\x01\0\0\0\x01",
        b"\0asm\x01\0\0",
        b"\0asm\x02\0\0\0",
        b"\0asm\x01\0\0\0\x01\x05\x01\x60\x00",
    ] {
        match load_module(bytes) {
            Err(FrontendError::InvalidWasm(msg)) => assert!(!msg.is_empty()),
            other => panic!("{bytes:?}: expected InvalidWasm, got {other:?}"),
        }
    }
    // Invalid text.
    for text in [
        "(module (func (export \"f\") (result i32) i32.const))",
        "(module (func",
        "hello world",
        "(module (func (export \"f\") (result i32) i32.bogus))",
    ] {
        match load_module(text.as_bytes()) {
            Err(e @ FrontendError::InvalidWat(_)) => {
                assert!(e.to_string().contains("invalid WebAssembly text"), "{e}")
            }
            other => panic!("{text:?}: expected InvalidWat, got {other:?}"),
        }
    }
    // Well-formed text of an invalid module (type errors) fails validation.
    for text in [
        "(module (func (export \"f\") (result i32)))",
        "(module (func (export \"f\") (result i32) i32.const 1 i32.const 2))",
        "(module (func (export \"f\") (param i32) (result i32) local.get 1))",
        "(module (func (export \"f\") (result i32) block (result i32) end))",
    ] {
        match load_module(text.as_bytes()) {
            Err(FrontendError::InvalidWasm(_)) => {}
            other => panic!("{text:?}: expected InvalidWasm, got {other:?}"),
        }
    }

    // Fuzz: random bytes (with and without the magic) and mutations of valid modules must be
    // refused or accepted, never panic.
    let seeds: Vec<Vec<u8>> = [PARAMETRIC, CONTROL, CALLS, &unop_module("clz")[..]]
        .iter()
        .filter_map(|t| wat::parse_str(t).ok())
        .collect();
    assert!(seeds.len() >= 3, "seed modules must parse");
    let mut rng = Rng(0xfeed_beef_dead_cafe);
    let (mut tried, mut refused, mut panics) = (0usize, 0usize, Vec::new());
    let mut attempt = |bytes: Vec<u8>, what: &str| {
        tried += 1;
        match catch_unwind(AssertUnwindSafe(|| load_module(&bytes))) {
            Ok(Err(_)) => refused += 1,
            Ok(Ok(_)) => {}
            Err(_) => panics.push(format!("{what}: {:02x?}", &bytes[..bytes.len().min(64)])),
        }
    };
    for i in 0..300 {
        let len = (rng.next() % 200) as usize;
        let mut b: Vec<u8> = (0..len).map(|_| rng.next() as u8).collect();
        if i % 2 == 0 {
            b.splice(0..0, *b"\0asm\x01\0\0\0");
        }
        attempt(b, "random bytes");
    }
    for i in 0..6000 {
        let mut b = seeds[i % seeds.len()].clone();
        match rng.next() % 4 {
            0 => {
                let k = (rng.next() as usize) % b.len();
                b[k] ^= 1 << (rng.next() % 8);
            }
            1 => {
                let k = 8 + (rng.next() as usize) % (b.len() - 8);
                b[k] = rng.next() as u8;
            }
            2 => {
                let k = 8 + (rng.next() as usize) % (b.len() - 8);
                b.truncate(k);
            }
            _ => {
                for _ in 0..4 {
                    let k = 8 + (rng.next() as usize) % (b.len() - 8);
                    b[k] = rng.next() as u8;
                }
            }
        }
        attempt(b, "mutated module");
    }
    assert!(
        panics.is_empty(),
        "load_module panicked on {} of {tried} inputs:\n{}",
        panics.len(),
        panics.join("\n")
    );
    assert!(
        refused > tried / 2,
        "most malformed inputs must be refused ({refused} of {tried})"
    );
    eprintln!("fuzz: {tried} inputs, {refused} refused, no panics");
}

// ------------------------------------------------------------------------------------------
// 5. AIR constraint check on a sample, determinism
// ------------------------------------------------------------------------------------------

/// Programs covering every op family; each ends in one `main` export.
fn air_sample() -> Vec<(&'static str, String, Vec<u32>)> {
    vec![
        (
            "arithmetic",
            "(module (func (export \"main\") (param i32 i32) (result i32)
               local.get 0 local.get 1 i32.add local.get 0 i32.sub i32.const -5 i32.add
               local.get 1 i32.const 7 i32.sub i32.add i32.const 3 local.get 0 i32.sub i32.add))"
                .into(),
            vec![0xffff_fff0, 0x8000_0001],
        ),
        (
            "mul_shift_rotate",
            "(module (func (export \"main\") (param i32 i32) (result i32)
               local.get 0 local.get 1 i32.mul
               local.get 0 local.get 1 i32.shl i32.xor
               local.get 0 i32.const 5 i32.shl i32.xor
               local.get 0 local.get 1 i32.shr_u i32.xor
               local.get 0 i32.const 31 i32.shr_u i32.xor
               local.get 0 local.get 1 i32.shr_s i32.xor
               local.get 0 i32.const 3 i32.shr_s i32.xor
               local.get 0 local.get 1 i32.rotl i32.xor
               local.get 0 i32.const 13 i32.rotr i32.xor
               i32.const 1 local.get 1 i32.shl i32.xor))"
                .into(),
            vec![0xdead_beef, 37],
        ),
        (
            "div_rem",
            "(module (func (export \"main\") (param i32 i32) (result i32)
               local.get 0 local.get 1 i32.div_s
               local.get 0 local.get 1 i32.rem_s i32.add
               local.get 0 local.get 1 i32.div_u i32.add
               local.get 0 local.get 1 i32.rem_u i32.add
               local.get 0 i32.const -7 i32.div_s i32.add
               local.get 0 i32.const 10 i32.rem_s i32.add
               i32.const -2147483648 i32.const -1 i32.rem_s i32.add
               local.get 0 i32.const 16 i32.div_u i32.add))"
                .into(),
            vec![(-1234567i32) as u32, (-321i32) as u32],
        ),
        (
            "bitwise_and_counts",
            "(module (func (export \"main\") (param i32 i32) (result i32)
               local.get 0 local.get 1 i32.and
               local.get 0 local.get 1 i32.or i32.add
               local.get 0 local.get 1 i32.xor i32.add
               local.get 0 i32.const 0xff00ff i32.and i32.add
               local.get 0 i32.clz i32.add local.get 1 i32.ctz i32.add
               local.get 0 i32.popcnt i32.add local.get 1 i32.eqz i32.add))"
                .into(),
            vec![0x00f0_1234, 0x0001_0000],
        ),
        (
            "comparisons",
            "(module (func (export \"main\") (param i32 i32) (result i32)
               local.get 0 local.get 1 i32.eq
               local.get 0 local.get 1 i32.ne i32.const 1 i32.shl i32.or
               local.get 0 local.get 1 i32.lt_s i32.const 2 i32.shl i32.or
               local.get 0 local.get 1 i32.lt_u i32.const 3 i32.shl i32.or
               local.get 0 local.get 1 i32.gt_s i32.const 4 i32.shl i32.or
               local.get 0 local.get 1 i32.gt_u i32.const 5 i32.shl i32.or
               local.get 0 local.get 1 i32.le_s i32.const 6 i32.shl i32.or
               local.get 0 local.get 1 i32.le_u i32.const 7 i32.shl i32.or
               local.get 0 local.get 1 i32.ge_s i32.const 8 i32.shl i32.or
               local.get 0 local.get 1 i32.ge_u i32.const 9 i32.shl i32.or
               local.get 0 i32.const 100 i32.gt_s i32.const 10 i32.shl i32.or
               local.get 0 i32.const 100 i32.le_u i32.const 11 i32.shl i32.or))"
                .into(),
            vec![0xffff_fff6, 7],
        ),
        (
            "select_cmov",
            "(module (func (export \"main\") (param i32 i32 i32) (result i32)
               local.get 0 local.get 1 local.get 2 select
               local.get 1 i32.const 5 i32.add local.get 0 local.get 2 i32.eqz select i32.add
               i32.const 3 local.get 0 local.get 2 select i32.add
               local.get 0 i32.const 1 i32.add i32.const 9 local.get 1 select i32.add))"
                .into(),
            vec![11, 22, 1],
        ),
        ("branches", CONTROL.into(), vec![]), // entries chosen below
        ("calls_recursion", CALLS.into(), vec![]),
        (
            "loop_fuelled",
            "(module (func (export \"main\") (param i32) (result i32) (local i32 i32)
               i32.const 1 local.set 2
               block loop
                 local.get 0 i32.eqz br_if 1
                 local.get 1 local.get 2 i32.add local.get 2 local.set 1 local.set 2
                 local.get 0 i32.const 1 i32.sub local.set 0
                 br 0
               end end local.get 1))"
                .into(),
            vec![300],
        ),
    ]
}

/// Runs `entry(args)` traced, checks it against the fast runner and for determinism, builds the
/// main trace and checks every AIR constraint.
fn air_check_case(
    label: &str,
    program: &Arc<Program>,
    entry: &str,
    args: &[u32],
) -> Result<Outcome, String> {
    let fast =
        run(program, entry, args, Limits::default()).map_err(|e| format!("{label}: run: {e}"))?;
    let (outcome, trace) = run_traced(program, entry, args, Limits::default())
        .map_err(|e| format!("{label}: run_traced: {e}"))?;
    if outcome != fast {
        return Err(format!(
            "{label}: run and run_traced differ: {fast:?} vs {outcome:?}"
        ));
    }
    let (outcome2, trace2) = run_traced(program, entry, args, Limits::default()).unwrap();
    if outcome2 != outcome || trace2 != trace {
        return Err(format!("{label}: two traced runs differ"));
    }
    if trace.steps.len() as u64 != outcome.cycles {
        return Err(format!(
            "{label}: {} steps for {} cycles",
            trace.steps.len(),
            outcome.cycles
        ));
    }
    let (main, pi) =
        gloam_prover::trace::build_main_trace(program.clone(), entry, args, &outcome, &trace)
            .map_err(|e| format!("{label}: build_main_trace: {e}"))?;
    if main.columns.iter().any(|c| c.len() != main.len) {
        return Err(format!("{label}: ragged trace"));
    }
    gloam_air::check::check(&main.columns, &pi)
        .map_err(|v| format!("{label} {entry}{args:?}: AIR check: {v}"))?;
    Ok(outcome)
}

#[test]
fn air_constraints_hold_on_sample_programs() {
    let mut failures = Vec::new();
    let mut n = 0;
    for (label, wat, args) in air_sample() {
        let program = Arc::new(load(&wat));
        // (entry, args, expected results if checked here)
        type Run = (&'static str, Vec<u32>, Option<Vec<u32>>);
        let runs: Vec<Run> = match label {
            "branches" => vec![
                ("br_table", vec![2], Some(vec![12])),
                ("br_table_value", vec![0xffff_ffff, 5], Some(vec![5])),
                ("br_if_moves", vec![3, 0], Some(vec![1012])),
                ("sum_loop", vec![50], Some(vec![1275])),
            ],
            "calls_recursion" => vec![
                ("fib", vec![12], Some(vec![144])),
                ("is_even", vec![15], Some(vec![0])),
                ("divmod", vec![100, 7], Some(vec![14, 2])),
            ],
            _ => vec![("main", args.clone(), None)],
        };
        for (entry, args, want) in runs {
            n += 1;
            match air_check_case(label, &program, entry, &args) {
                Ok(o) => {
                    if let Some(w) = want {
                        if o.results != w {
                            failures.push(format!(
                                "{label} {entry}{args:?}: results {:?}, expected {w:?}",
                                o.results
                            ));
                        }
                    }
                }
                Err(e) => failures.push(e),
            }
        }
    }
    assert!(n >= 14, "{n} runs checked");
    assert!(
        failures.is_empty(),
        "{} of {n} AIR sample runs failed:\n  {}",
        failures.len(),
        failures.join("\n  ")
    );
    eprintln!("AIR check: {n} runs, all constraints hold");
}

#[test]
fn sample_results_match_reference() {
    // The straight-line AIR sample programs compute what the reference model says.
    let r = |op: &str, a: u32, b: u32| reference_binary(op, a, b).unwrap();
    let sample = air_sample();
    let get = |label: &str| {
        let (_, wat, args) = sample.iter().find(|(l, _, _)| *l == label).unwrap();
        (load(wat), args.clone())
    };

    let (p, args) = get("arithmetic");
    let (a, b) = (args[0], args[1]);
    let want = a
        .wrapping_add(b)
        .wrapping_sub(a)
        .wrapping_add((-5i32) as u32)
        .wrapping_add(b.wrapping_sub(7))
        .wrapping_add(3u32.wrapping_sub(a));
    assert_eq!(run1(&p, "main", &args), want, "arithmetic");

    let (p, args) = get("mul_shift_rotate");
    let (a, b) = (args[0], args[1]);
    let want = r("mul", a, b)
        ^ r("shl", a, b)
        ^ r("shl", a, 5)
        ^ r("shr_u", a, b)
        ^ r("shr_u", a, 31)
        ^ r("shr_s", a, b)
        ^ r("shr_s", a, 3)
        ^ r("rotl", a, b)
        ^ r("rotr", a, 13)
        ^ r("shl", 1, b);
    assert_eq!(run1(&p, "main", &args), want, "mul_shift_rotate");

    let (p, args) = get("div_rem");
    let (a, b) = (args[0], args[1]);
    let want = [
        r("div_s", a, b),
        r("rem_s", a, b),
        r("div_u", a, b),
        r("rem_u", a, b),
        r("div_s", a, (-7i32) as u32),
        r("rem_s", a, 10),
        r("rem_s", 0x8000_0000, u32::MAX),
        r("div_u", a, 16),
    ]
    .iter()
    .fold(0u32, |s, v| s.wrapping_add(*v));
    assert_eq!(run1(&p, "main", &args), want, "div_rem");

    let (p, args) = get("comparisons");
    let (a, b) = (args[0], args[1]);
    let ops = [
        "eq", "ne", "lt_s", "lt_u", "gt_s", "gt_u", "le_s", "le_u", "ge_s", "ge_u",
    ];
    let mut want = 0;
    for (i, op) in ops.iter().enumerate() {
        want |= r(op, a, b) << i;
    }
    want |= r("gt_s", a, 100) << 10;
    want |= r("le_u", a, 100) << 11;
    assert_eq!(run1(&p, "main", &args), want, "comparisons");

    let (p, args) = get("select_cmov");
    let (a, b, c) = (args[0], args[1], args[2]);
    let sel = |x: u32, y: u32, k: u32| if k != 0 { x } else { y };
    let want = sel(a, b, c)
        .wrapping_add(sel(b + 5, a, (c == 0) as u32))
        .wrapping_add(sel(3, a, c))
        .wrapping_add(sel(a + 1, 9, b));
    assert_eq!(run1(&p, "main", &args), want, "select_cmov");

    let (p, _) = get("loop_fuelled");
    let (mut x, mut y) = (0u32, 1u32);
    for _ in 0..300 {
        (x, y) = (y, x.wrapping_add(y));
    }
    assert_eq!(run1(&p, "main", &[300]), x, "loop_fuelled");
}

#[test]
fn runs_are_deterministic_across_programs() {
    // run == run_traced and two traced runs agree, on every program of this file (cheap: no AIR).
    let mut n = 0;
    let programs = [
        (
            PARAMETRIC,
            vec![
                ("sel", vec![1, 2, 3]),
                ("tee_old", vec![5]),
                ("dirty_then_fresh", vec![9]),
            ],
        ),
        (
            CONTROL,
            vec![
                ("br_table_loop", vec![3]),
                ("loop_param", vec![20]),
                ("ret_nested", vec![6]),
            ],
        ),
        (
            CALLS,
            vec![
                ("ack", vec![2, 3]),
                ("fact", vec![10]),
                ("use_divmod", vec![1000, 7]),
            ],
        ),
    ];
    for (wat, runs) in programs {
        let p = load(wat);
        for (e, args) in runs {
            let fast = run(&p, e, &args, Limits::default()).unwrap();
            let (o1, t1) = run_traced(&p, e, &args, Limits::default()).unwrap();
            let (o2, t2) = run_traced(&p, e, &args, Limits::default()).unwrap();
            assert_eq!(fast, o1, "{e}{args:?}: run vs run_traced");
            assert_eq!((o1, &t1), (o2, &t2), "{e}{args:?}: traced runs differ");
            assert_eq!(t1.steps.len() as u64, fast.cycles);
            assert!(t1.slots_used() > 0);
            n += 1;
        }
    }
    // Loading is deterministic too (same program, same hash).
    assert_eq!(load(CALLS).hash(), load(CALLS).hash());
    assert_eq!(n, 9);
}

// ------------------------------------------------------------------------------------------
// Regression tests for front-end bugs this file found (all fixed): `local.set` retargeting
// across labels, branches to the function label, and constant-condition `select`.
// ------------------------------------------------------------------------------------------

/// Runs `entry` on each `(args, expected)` pair with a small fuel limit; collects mismatches.
fn expect_all(wat: &str, entry: &str, cases: &[(&[u32], u32)]) {
    let p = load(wat);
    let mut ck = Checker::default();
    for (args, want) in cases {
        let got = run(
            &p,
            entry,
            args,
            Limits {
                fuel: 100_000,
                ..Limits::default()
            },
        );
        ck.expect(got, Ok(*want), entry, || format!("{entry}{args:?}"));
    }
    if !ck.failures.is_empty() {
        eprintln!(
            "--- module ---\n{wat}\n--- lowered ---\n{}",
            p.disassemble()
        );
    }
    ck.assert_ok(entry, cases.len());
}

/// `local.set`/`local.tee` right after the `end` of an `if … else … end` with a result:
/// the peephole that retargets the previous instruction's destination to the local rewrites
/// the *else* arm's last instruction, which sits before the label the *then* arm jumps to, so
/// on the then path the local is never written.
#[test]

fn bug_local_set_after_if_else_result() {
    let wat = r#"(module
      (func (export "if_set") (param i32) (result i32) (local i32)
        local.get 0 if (result i32) i32.const 10 else i32.const 20 end local.set 1 local.get 1)
      (func (export "if_tee") (param i32) (result i32) (local i32)
        local.get 0 if (result i32) i32.const 10 else i32.const 20 end local.tee 1 local.get 1 i32.add))"#;
    // if_set(3) = 10 (got 0), if_set(0) = 20; if_tee(3) = 20 (got 0), if_tee(0) = 40
    expect_all(wat, "if_set", &[(&[3], 10), (&[0], 20)]);
    expect_all(wat, "if_tee", &[(&[3], 20), (&[0], 40)]);
}

/// Same peephole, at the end of a `block` that a `br_if` leaves with a value: the branch
/// jumps past the (retargeted) instruction, so the local keeps its old value.
#[test]

fn bug_local_set_after_block_end_with_branch() {
    let wat = r#"(module
      (func (export "block_end_set") (param i32) (result i32) (local i32)
        block (result i32)
          i32.const 10
          local.get 0 br_if 0
          drop
          i32.const 20
        end
        local.set 1
        local.get 1))"#;
    // block_end_set(3) = 10 (got 0)
    expect_all(wat, "block_end_set", &[(&[3], 10), (&[0], 20)]);
}

/// Same peephole, on a `loop` parameter: `local.set` as the first instruction of the loop
/// retargets the parameter's materialisation, which sits *before* the loop label, so later
/// iterations never store the parameter and the loop does not terminate.
#[test]

fn bug_local_set_of_loop_parameter() {
    let wat = r#"(module
      (func (export "loop_param_set") (param i32) (result i32) (local i32 i32)
        local.get 0
        loop (param i32)
          local.set 1
          local.get 2 local.get 1 i32.add local.set 2
          local.get 1 i32.const 1 i32.sub
          local.get 1 i32.const 1 i32.gt_u
          br_if 0
          drop
        end
        local.get 2))"#;
    // sum n..1: loop_param_set(3) = 6 (got OutOfFuel)
    expect_all(
        wat,
        "loop_param_set",
        &[(&[0], 0), (&[1], 1), (&[3], 6), (&[10], 55)],
    );
}

/// `br_if`/`br_table` to the function's own label when the fall-through result is a constant
/// or a local: the branch jumps to the start of the fall-through return sequence, which first
/// materialises the fall-through value into the result slot, overwriting the branch's value.
#[test]

fn bug_branch_to_function_label_value_overwritten() {
    let wat = r#"(module
      (func (export "br_if_func") (param i32) (result i32)
        i32.const 9 local.get 0 br_if 0 drop i32.const 77)
      (func (export "br_if_func_nested") (param i32) (result i32)
        block i32.const 9 local.get 0 br_if 1 drop end i32.const 77)
      (func (export "br_if_func_local") (param i32 i32) (result i32)
        i32.const 9 local.get 0 br_if 0 drop local.get 1)
      (func (export "br_table_func") (param i32 i32) (result i32)
        block (result i32) local.get 1 local.get 0 br_table 1 0 end drop i32.const 5))"#;
    // br_if_func(1) = 9 (got 77)
    expect_all(wat, "br_if_func", &[(&[1], 9), (&[0], 77)]);
    expect_all(wat, "br_if_func_nested", &[(&[1], 9), (&[0], 77)]);
    // br_if_func_local(1, 33) = 9 (got 33)
    expect_all(wat, "br_if_func_local", &[(&[1, 33], 9), (&[0, 33], 33)]);
    // br_table_func(0, 42) = 42 (index 0 → function label; got 5)
    expect_all(
        wat,
        "br_table_func",
        &[(&[0, 42], 42), (&[1, 42], 5), (&[7, 42], 5)],
    );
}

/// `select` with a constant condition that picks the second operand, when that operand is a
/// computed value: the result is left on the stack as an alias of the second operand's slot
/// (one position higher), and the next value pushed there overwrites it.
#[test]

fn bug_select_constant_condition_aliases_stack_slot() {
    let wat = r#"(module
      (func (export "f") (param i32 i32) (result i32)
        local.get 0
        local.get 0 local.get 1 i32.add
        i32.const 0
        select
        local.get 0 local.get 1 i32.mul
        i32.sub))"#;
    // f(3, 4) = (3 + 4) - 3 * 4 = -5 (got 0); f(0, 0) = 0
    let want = |a: u32, b: u32| a.wrapping_add(b).wrapping_sub(a.wrapping_mul(b));
    expect_all(
        wat,
        "f",
        &[(&[3, 4], want(3, 4)), (&[10, 1], want(10, 1)), (&[0, 0], 0)],
    );
}

/// `ref.func` and the dispatch of `call_indirect` through a table held in global words are
/// relative to the module's first function (`Program::func_relocs`): a second instance in
/// the same store, whose functions start at another store address, calls the same
/// functions through its own table, and the references it hands out are its own functions'
/// store addresses.
#[test]
fn function_references_are_relocated_per_instance() {
    use gloam_executor::{Store, Value};
    let wat = r#"(module (type $v (func (result i32)))
      (func $a (type $v) (i32.const 10)) (func $b (type $v) (i32.const 20))
      (table $t 2 funcref) (elem (table $t) (i32.const 0) func $a) (elem declare func $b)
      (func (export "f") (param i32) (result i32)
        (table.set $t (i32.const 1) (ref.func $b))
        (call_indirect $t (type $v) (local.get 0)))
      (func (export "r") (result funcref) (ref.func $b)))"#;
    let p = Arc::new(load(wat));
    assert!(!p.func_relocs.is_empty());
    let mut s = Store::new(Limits::default());
    let first = s.instantiate(p.clone()).unwrap();
    let second = s.instantiate(p).unwrap();
    for id in [first, second] {
        assert_eq!(
            s.invoke(id, "f", &[Value::I32(0)]).unwrap(),
            [Value::I32(10)]
        );
        assert_eq!(
            s.invoke(id, "f", &[Value::I32(1)]).unwrap(),
            [Value::I32(20)]
        );
    }
    // `$b` is the second of each instance's four functions: store addresses 1 and 4 + 1.
    let mut r = |id| s.invoke(id, "r", &[]).unwrap();
    assert_eq!(r(first), [Value::FuncRef(Some(1))]);
    assert_eq!(r(second), [Value::FuncRef(Some(5))]);
}

/// An exported table held in global words is shared with an importing instance, which
/// changes it through the executor's own table instructions: the exporter's words see the
/// same table, and growth stops at the words' capacity (2^20 entries without a declared
/// maximum), which WebAssembly allows `table.grow` to refuse.
#[test]
fn an_exported_word_table_is_shared_and_capped() {
    use gloam_executor::{Store, Value};
    let exporter = Arc::new(load(
        r#"(module (table $t (export "t") 1 funcref) (func $f) (elem declare func $f)
          (func (export "size") (result i32) (table.size $t))
          (func (export "null") (param i32) (result i32) (ref.is_null (table.get $t (local.get 0)))))"#,
    ));
    assert!(exporter.word_tables.as_ref().is_some_and(|t| t.len() == 1));
    let importer = Arc::new(load(
        r#"(module (import "a" "t" (table $t 1 funcref)) (func $g) (elem declare func $g)
          (func (export "grow") (param i32) (result i32)
            (table.grow $t (ref.null func) (local.get 0)))
          (func (export "set") (param i32) (table.set $t (local.get 0) (ref.func $g))))"#,
    ));
    let mut s = Store::new(Limits::default());
    let a = s.instantiate(exporter).unwrap();
    s.register("a", a);
    let b = s.instantiate(importer).unwrap();
    let call = |s: &mut Store, id, f: &str, args: &[Value]| s.invoke(id, f, args).unwrap();
    assert_eq!(call(&mut s, b, "grow", &[Value::I32(3)]), [Value::I32(1)]);
    assert_eq!(call(&mut s, a, "size", &[]), [Value::I32(4)]);
    assert_eq!(
        call(&mut s, b, "grow", &[Value::I32(1 << 20)]),
        [Value::I32(u32::MAX)]
    );
    assert_eq!(call(&mut s, a, "null", &[Value::I32(2)]), [Value::I32(1)]);
    call(&mut s, b, "set", &[Value::I32(2)]);
    assert_eq!(call(&mut s, a, "null", &[Value::I32(2)]), [Value::I32(0)]);
    assert_eq!(
        call(&mut s, b, "grow", &[Value::I32(1020)]),
        [Value::I32(4)]
    );
    assert_eq!(call(&mut s, a, "size", &[]), [Value::I32(1024)]);
}
