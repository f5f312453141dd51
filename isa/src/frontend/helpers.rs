//! The out-of-line parts of the `i64` lowering: unsigned and signed division with remainder,
//! and the bit counts, written in WebAssembly (`helpers.wat`) and lowered by this front end
//! like user code (their own `i64` operators expand inline). A program gets the helpers its
//! code calls, each once, appended after its own functions (`Program::functions`).
//!
//! Calling convention: a helper's parameters are `i64` values, so a caller's stack operands
//! (packed: low word, high word) are its parameter slots as they lie, and its `i64` results
//! land where the caller's result goes.

use std::sync::OnceLock;

use super::module::{self, ParsedModule};
use super::{func, FrontendError};

/// A helper function the lowering of an `i64` operator calls.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Helper {
    /// `(a, b) -> (a / b, a % b)` unsigned, `b != 0`.
    DivU,
    /// `(a, b) -> (a / b, a % b)` signed, `b != 0` and not `-2^63 / -1`.
    DivS,
    /// `i64.clz`.
    Clz,
    /// `i64.ctz`.
    Ctz,
    /// `i64.popcnt`.
    Popcnt,
}

impl Helper {
    /// The helper module's export of this helper.
    fn export(self) -> &'static str {
        match self {
            Helper::DivU => "__gloam_i64_divu",
            Helper::DivS => "__gloam_i64_divs",
            Helper::Clz => "__gloam_i64_clz",
            Helper::Ctz => "__gloam_i64_ctz",
            Helper::Popcnt => "__gloam_i64_popcnt",
        }
    }
}

/// The helper module, parsed once.
pub(super) struct Helpers {
    pub(super) parsed: ParsedModule<'static>,
}

impl Helpers {
    /// The helper module's function index of `h`.
    pub(super) fn index(&self, h: Helper) -> u32 {
        self.parsed
            .exports
            .iter()
            .find(|(n, _)| n == h.export())
            .map(|(_, i)| *i)
            .expect("helpers.wat exports every helper")
    }

    /// Slot of the saved return pc in helper `j`'s frame.
    pub(super) fn ra_slot(&self, j: u32) -> u32 {
        let info = &self.parsed.infos[j as usize];
        func::ra_slot(info.param_slots(), info.local_slots, info.result_slots())
    }
}

/// The helper module (parsed and validated on first use).
pub(super) fn helpers() -> &'static Helpers {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    static HELPERS: OnceLock<Helpers> = OnceLock::new();
    HELPERS.get_or_init(|| {
        let wasm = WASM.get_or_init(|| {
            wat::parse_str(include_str!("helpers.wat")).expect("helpers.wat is valid text")
        });
        wasmparser::Validator::new_with_features(module::wasm2_features())
            .validate_all(wasm)
            .expect("helpers.wat is a valid module");
        let parsed = module::read(wasm)
            .unwrap_or_else(|e: FrontendError| panic!("helpers.wat is an integer module: {e}"));
        Helpers { parsed }
    })
}
