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
alu        b853c339e00ad2c60ea877171df41b27e220a248903d6a769239ee078c3b1c8c
collatz    cc1e5e546287754a58331718016e27a71d692b7a32618825c8f35157dd243255
compliance 521da412545ffd7c833e00a56c6391d6c37e9113028d051b9eba7b870fbd9a15
control    42df113495cca9ce7526b7f4eccd0667e7bfe7ee9ef611fd0845d34bb4139568
credential da41719a33943fadbdf6bc18bd61cf8802a47299740f425ff40ecf13edcd4c17
dispatch   5fdc8ae7ea0582776278015b13754c1a7e0747e44c9b66731ecec7efc407235c
fib        96be53d2199a460afe12ccdd5b021064f1aad8fefa44db4bc72a6c4d965560de
gcd        e87d745e501918b479b56328f610885e96e8aae116820be6d3c09358546a7702
hash       a4cd555175061f0a19e8297a53a774b5668830bedb801dbc79bc95cc7f6515de
isqrt      397f63f9f67dd9b11e38d3a7a4fd00e1b01fd6a5814a1f570b911d78470d7f5a
merkle     3fe9425ced7344edffb1e319f69caf1e76e3015063c12bde24859de23f2db381
recursive  9eb2b5aad2c09026acf6549f6d789ea95591516602f614bfbe746cb9d8254df5
sha256     6c8ed6477a10258cb20b0809eebb58e10c8d3430d943e1078a693073c4470850
sort       110b1946f62167098d98122e99d87f839e53eb9953161a66822e66037238b985
startup    03160dec17bbc92e8423f042b5074e93d56dfd8be99adaa60e331a95f98b88fa
threshold  16ac2b4b2da88de8f77f696984aceb092f27f9c9208c72bbf11a5fb940525a94
transfer   09819c94593340e8fa166c1a5d1daa10ca1a39b09d180995b899bb63fdf7e034
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
