//! dispatch: a tiny stack-machine interpreter whose opcode handlers are
//! reached through a table of trait objects (`call_indirect`).
//!
//! Executor-only contract: the handlers are called through `&dyn Op`
//! (a vtable call, i.e. `call_indirect` through the module's function table,
//! which an element segment fills), three of them call a second time through
//! a plain `fn` pointer they hold; the machine state lives in linear memory
//! (a stack frame reached through `__stack_pointer`) and computes in i64. The
//! prover does not cover these yet; see examples/README.md.
//!
//! Program: 64 bytes generated from the 32-bit `seed` by the LCG
//!
//! ```text
//! x = seed
//! for i in 0..64:  x = x * 1103515245 + 12345 (mod 2^32);  prog[i] = (x >> 16) & 0xff
//! ```
//!
//! Machine: a ring of 8 u64 stack slots `S[i] = s[i & 7]` (so it never
//! overflows or underflows), a u32 stack pointer `sp` (wrapping; the top is
//! `S[sp]`), a program counter `pc` in 0..64 and a u64 accumulator `acc`. One
//! step fetches `b = prog[pc]`, sets `pc = (pc + 1) & 63` and runs opcode
//! `b & 7` with the operand `k = b >> 3` (0..31); all arithmetic wraps:
//!
//! ```text
//! 0 push    sp += 1; S[sp] = k
//! 1 add     a = S[sp]; sp -= 1; S[sp] = S[sp] + a
//! 2 mul     a = S[sp]; sp -= 1; S[sp] = S[sp] * a
//! 3 rotxor  a = S[sp]; sp -= 1; S[sp] = rotl64(S[sp], a & 63) ^ a
//! 4 dup     v = S[sp]; sp += 1; S[sp] = v
//! 5 swap    S[sp], S[sp - 1] = S[sp - 1], S[sp]
//! 6 jump    if S[sp] is odd: pc = (pc + k) & 63
//! 7 mix     acc = (acc ^ S[sp]) * 0x100000001b3; sp -= 1
//! ```
//!
//! The machine's digest is `S[sp] ^ rotl64(acc, 17) ^ (sp << 32) ^ pc` (u64).
//!
//! Exports (all i32 in, i32 out):
//! - `run_lo(seed, steps)`, `run_hi(seed, steps)`: low / high 32 bits of the
//!   digest after `steps` steps of `seed`'s program, starting from all slots
//!   0, `sp = 0`, `pc = 0`, `acc = 0xcbf29ce484222325 ^ seed`.
//! - `op1(byte, a, b)`: low 32 bits of the digest after running the single
//!   instruction `byte & 0xff` (no fetch: `pc` stays 0 unless it jumps) on
//!   `s[0] = a`, `s[1] = b`, the other slots 0, `sp = 1`, `acc = 0`.
//! - `program_byte(seed, i)`: `prog[i & 63]` of `seed`'s program.
#![no_std]

#[panic_handler]
fn panic(_info: &core::panic::PanicInfo) -> ! {
    loop {}
}

const PROG_LEN: usize = 64;

struct Vm {
    s: [u64; 8],
    sp: u32,
    pc: u32,
    acc: u64,
}

impl Vm {
    fn top(&mut self) -> &mut u64 {
        &mut self.s[(self.sp & 7) as usize]
    }

    fn push(&mut self, v: u64) {
        self.sp = self.sp.wrapping_add(1);
        *self.top() = v;
    }

    fn pop(&mut self) -> u64 {
        let v = *self.top();
        self.sp = self.sp.wrapping_sub(1);
        v
    }

    fn digest(&mut self) -> u64 {
        *self.top() ^ self.acc.rotate_left(17) ^ ((self.sp as u64) << 32) ^ self.pc as u64
    }
}

/// An opcode handler; `k` is the instruction's 5-bit operand.
trait Op {
    fn exec(&self, vm: &mut Vm, k: u32);
}

struct Push;
struct Binary(fn(u64, u64) -> u64);
struct Dup;
struct Swap;
struct Jump;
struct Mix;

impl Op for Push {
    fn exec(&self, vm: &mut Vm, k: u32) {
        vm.push(k as u64);
    }
}

impl Op for Binary {
    fn exec(&self, vm: &mut Vm, _k: u32) {
        let a = vm.pop();
        let t = vm.top();
        *t = (self.0)(*t, a);
    }
}

impl Op for Dup {
    fn exec(&self, vm: &mut Vm, _k: u32) {
        let v = *vm.top();
        vm.push(v);
    }
}

impl Op for Swap {
    fn exec(&self, vm: &mut Vm, _k: u32) {
        let i = (vm.sp & 7) as usize;
        let j = (vm.sp.wrapping_sub(1) & 7) as usize;
        vm.s.swap(i, j);
    }
}

impl Op for Jump {
    fn exec(&self, vm: &mut Vm, k: u32) {
        if *vm.top() & 1 != 0 {
            vm.pc = vm.pc.wrapping_add(k) & (PROG_LEN as u32 - 1);
        }
    }
}

impl Op for Mix {
    fn exec(&self, vm: &mut Vm, _k: u32) {
        let v = vm.pop();
        vm.acc = (vm.acc ^ v).wrapping_mul(0x0000_0100_0000_01b3);
    }
}

fn add(x: u64, a: u64) -> u64 {
    x.wrapping_add(a)
}

fn mul(x: u64, a: u64) -> u64 {
    x.wrapping_mul(a)
}

fn rotxor(x: u64, a: u64) -> u64 {
    x.rotate_left((a & 63) as u32) ^ a
}

/// The handlers, indexed by opcode.
static OPS: [&(dyn Op + Sync); 8] = [
    &Push,
    &Binary(add),
    &Binary(mul),
    &Binary(rotxor),
    &Dup,
    &Swap,
    &Jump,
    &Mix,
];

/// Runs instruction `b` (opcode `b & 7`, operand `b >> 3`) through the handler table.
#[inline(never)]
fn exec(vm: &mut Vm, b: u8) {
    OPS[(b & 7) as usize].exec(vm, (b >> 3) as u32);
}

#[inline(never)]
fn generate(seed: u32) -> [u8; PROG_LEN] {
    let mut prog = [0u8; PROG_LEN];
    let mut x = seed;
    let mut i = 0;
    while i < PROG_LEN {
        x = x.wrapping_mul(1_103_515_245).wrapping_add(12_345);
        prog[i] = (x >> 16) as u8;
        i += 1;
    }
    prog
}

#[inline(never)]
fn run(seed: u32, steps: u32) -> u64 {
    let prog = generate(seed);
    let mut vm = Vm {
        s: [0; 8],
        sp: 0,
        pc: 0,
        acc: 0xcbf2_9ce4_8422_2325 ^ seed as u64,
    };
    let mut n = 0;
    while n < steps {
        let b = prog[(vm.pc as usize) & (PROG_LEN - 1)];
        vm.pc = vm.pc.wrapping_add(1) & (PROG_LEN as u32 - 1);
        exec(&mut vm, b);
        n += 1;
    }
    vm.digest()
}

#[no_mangle]
pub extern "C" fn run_lo(seed: u32, steps: u32) -> u32 {
    run(seed, steps) as u32
}

#[no_mangle]
pub extern "C" fn run_hi(seed: u32, steps: u32) -> u32 {
    (run(seed, steps) >> 32) as u32
}

#[no_mangle]
pub extern "C" fn op1(byte: u32, a: u32, b: u32) -> u32 {
    let mut vm = Vm {
        s: [a as u64, b as u64, 0, 0, 0, 0, 0, 0],
        sp: 1,
        pc: 0,
        acc: 0,
    };
    exec(&mut vm, byte as u8);
    vm.digest() as u32
}

#[no_mangle]
pub extern "C" fn program_byte(seed: u32, i: u32) -> u32 {
    generate(seed)[(i as usize) & (PROG_LEN - 1)] as u32
}
