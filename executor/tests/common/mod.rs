//! What the generated-module tests (`fuzz.rs`, `differential.rs`) share: the `wasm-smith`
//! configuration of integer WebAssembly 2.0 and a deterministic byte source.

/// Integer WebAssembly 2.0 only: no floats, SIMD or later proposals; one memory, up to
/// three tables, no imports, everything exported.
pub fn config() -> wasm_smith::Config {
    wasm_smith::Config {
        allow_floats: false,
        simd_enabled: false,
        relaxed_simd_enabled: false,
        exceptions_enabled: false,
        gc_enabled: false,
        memory64_enabled: false,
        tail_call_enabled: false,
        threads_enabled: false,
        wide_arithmetic_enabled: false,
        extended_const_enabled: false,
        custom_page_sizes_enabled: false,
        max_memories: 1,
        max_tables: 3,
        max_imports: 0,
        export_everything: true,
        min_funcs: 1,
        ..wasm_smith::Config::default()
    }
}

/// Deterministic pseudo-random bytes (xorshift64*), seeded by `seed * mix`.
pub fn bytes(seed: u64, mix: u64, n: usize) -> Vec<u8> {
    let mut x = seed.wrapping_mul(mix) | 1;
    (0..n)
        .map(|_| {
            x ^= x >> 12;
            x ^= x << 25;
            x ^= x >> 27;
            (x.wrapping_mul(0x2545_F491_4F6C_DD1D) >> 56) as u8
        })
        .collect()
}
