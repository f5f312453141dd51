//! The contract interface's functions (`crate::io`), written in WebAssembly (`io.wat`) and
//! lowered into a program that imports them, each once, appended after its own functions,
//! in the context of the program's memory. The imports of `io.wat` are intrinsics
//! (`FnLowerer::intrinsic`): the IO words, the public input and journal bytes, `advice` and
//! `trap`.

use std::sync::OnceLock;

use super::module::{self, ParsedModule};
use super::{func, FrontendError};
use crate::io::IoFn;

/// `io.wat`, parsed once.
pub(super) struct IoModule {
    pub(super) parsed: ParsedModule<'static>,
}

impl IoModule {
    /// `io.wat`'s index of `f` among its defined functions.
    pub(super) fn index(&self, f: IoFn) -> u32 {
        self.parsed
            .exports
            .iter()
            .find(|(n, _)| n == f.name())
            .map(|(_, i)| *i)
            .expect("io.wat exports every interface function")
    }

    /// Slot of the saved return pc in the frame of `f`'s function.
    pub(super) fn ra_slot(&self, f: IoFn) -> u32 {
        let imported = self.parsed.module.num_func_imports;
        let info = &self.parsed.infos[(self.index(f) + imported) as usize];
        func::ra_slot(info.param_slots(), info.local_slots, info.result_slots())
    }
}

/// The intrinsics `io.wat` imports, in its import order.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub(super) enum Intrinsic {
    Word,
    SetWord,
    PublicByte,
    JournalByte,
    Advice,
    Trap,
}

impl Intrinsic {
    /// The intrinsic `io.wat`'s imported function `f` is.
    pub(super) fn of(f: u32) -> Intrinsic {
        [
            Intrinsic::Word,
            Intrinsic::SetWord,
            Intrinsic::PublicByte,
            Intrinsic::JournalByte,
            Intrinsic::Advice,
            Intrinsic::Trap,
        ][f as usize]
    }
}

/// `io.wat` (parsed and validated on first use).
pub(super) fn io_module() -> &'static IoModule {
    static WASM: OnceLock<Vec<u8>> = OnceLock::new();
    static IO: OnceLock<IoModule> = OnceLock::new();
    IO.get_or_init(|| {
        let wasm =
            WASM.get_or_init(|| wat::parse_str(include_str!("io.wat")).expect("io.wat is valid"));
        wasmparser::Validator::new_with_features(module::wasm2_features())
            .validate_all(wasm)
            .expect("io.wat is a valid module");
        let parsed = module::read(wasm)
            .unwrap_or_else(|e: FrontendError| panic!("io.wat is an integer module: {e}"));
        IoModule { parsed }
    })
}
