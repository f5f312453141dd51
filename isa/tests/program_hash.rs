//! Golden program hashes of the example contracts.
//!
//! The program hash identifies a contract and covers the *lowered* program, so any change to
//! the front end's lowering re-identifies every deployed contract. These hashes pin it: a
//! change that alters them must be deliberate, and the new values must be recorded here.

use std::collections::BTreeMap;
use std::path::PathBuf;

/// `examples/<name>/<name>.wasm` and its program hash (lowered by the current front end), one
/// example a line.
const GOLDEN: &str = "
alu        58a1c5f8ff8655e372c4fb1e9abac7158044a1b2ddaa3bbd14e7a4812527653e
collatz    88df35aaa09d3b4174355f9ab82d9f12c286c13eaabaa662e43db9d33cdb7f60
control    c4e536fb559c8f415d64ff19cd4a397468f523b830c05e76dfd4ca76b6488da2
dispatch   f55e4a243892e3d79bea716899fd5a689aee5f870c7e50c7ce94ba3432e1c6c2
fib        697cf80464aac126bcf4011d79718446ff1641e13e3e81fd0391744f1b5dbfbd
gcd        5f005fd26a842e41e1c0c07a6c80efb2b563923bc33960c875a9a425b43a4ab6
hash       bf2a6cad52f8b6ae938e40b3c00b17a462c031e83b9aacd3f776d4aff5af9d94
isqrt      dd6f07d6d3aadbe0b0b6c4f16010240805f7e18eb89e899c5bece50b25c4c020
merkle     e97e9d803e58f1770fe5d3c5506d0aa273637ec03d06b8fe1384314626e8ff8c
recursive  2003f1de35696380d8e97d89e003fc627592e1844d6bdf75eee513109142038e
sha256     51bea95d077cea49f91fae1136203bcdfc35f2a6ed891775de8b7872b241439c
sort       c5fc8ecc24df6f19efedd49d6cbc5608a34012529a04774c22b9e3e0d6d28140
startup    edf951c8004c7479ff14b663c12ec059fefc45339098d3a377065e56f1e5045f
";

fn examples_dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../examples")
}

/// Every `examples/*/*.wasm`, by file stem.
fn example_modules() -> BTreeMap<String, PathBuf> {
    let mut out = BTreeMap::new();
    for dir in std::fs::read_dir(examples_dir()).expect("examples/") {
        let dir = dir.expect("examples/ entry").path();
        if !dir.is_dir() {
            continue;
        }
        for file in std::fs::read_dir(&dir).expect("example folder") {
            let path = file.expect("example file").path();
            if path.extension().is_some_and(|e| e == "wasm") {
                let stem = path
                    .file_stem()
                    .expect("stem")
                    .to_string_lossy()
                    .into_owned();
                assert!(
                    out.insert(stem, path).is_none(),
                    "two examples share a name"
                );
            }
        }
    }
    out
}

#[test]
fn example_program_hashes_are_pinned() {
    let modules = example_modules();
    let mut actual = BTreeMap::new();
    for (name, path) in &modules {
        let bytes = std::fs::read(path).expect("read example");
        let program =
            gloam_isa::load_module(&bytes).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        actual.insert(name.clone(), program.hash().to_string());
    }
    let listing: String = actual
        .iter()
        .map(|(n, h)| format!("{n:<10} {h}\n"))
        .collect();
    let golden: BTreeMap<String, String> = GOLDEN
        .lines()
        .filter_map(|l| l.split_once(' '))
        .map(|(n, h)| (n.to_string(), h.trim().to_string()))
        .collect();
    assert_eq!(
        actual, golden,
        "example program hashes changed (the lowering changed, which re-identifies every \
         contract); if that is intended, pin the new values:\n{listing}"
    );
}
