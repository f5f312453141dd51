//! `gloam new NAME [--lang rust|c]`: writes a contract project that builds with Debian's
//! Rust 1.63 / clang-14 toolchain for `wasm32-unknown-unknown` and a `test.sh` that runs it
//! through `gloam run`. A Rust project carries its own copy of gloam-sdk (`sdk/`), a C
//! project its own `gloam.h`, so a project builds offline and anywhere.

use std::path::{Path, PathBuf};

use clap::{Args, ValueEnum};

use crate::{exit, Failure};

/// `gloam new` arguments.
#[derive(Args, Debug)]
pub struct NewArgs {
    /// Project name: a lower-case identifier (letters, digits, `_`), also the directory and
    /// the module's file name.
    #[arg(value_name = "NAME")]
    name: String,
    /// Contract language.
    #[arg(long, value_enum, default_value_t = Lang::Rust)]
    lang: Lang,
    /// Directory to create the project in [default: ./NAME].
    #[arg(long, value_name = "DIR")]
    dir: Option<PathBuf>,
}

/// Contract language of `gloam new`.
#[derive(Clone, Copy, Debug, PartialEq, Eq, ValueEnum)]
pub enum Lang {
    /// Rust (`no_std`, gloam-sdk).
    Rust,
    /// C (`gloam.h`).
    C,
}

const SDK_CARGO: &str = include_str!("../../sdk/Cargo.toml");
const SDK_LIB: &str = include_str!("../../sdk/src/lib.rs");
const SDK_CODEC: &str = include_str!("../../sdk/src/codec.rs");
const SDK_SHA256: &str = include_str!("../../sdk/src/sha256.rs");
const GLOAM_H: &str = include_str!("../../sdk/gloam.h");

/// Writes the project; returns its directory.
///
/// # Errors
/// A usage failure for a bad name or an existing directory, an I/O failure otherwise.
pub fn cmd_new(a: NewArgs) -> Result<PathBuf, Failure> {
    let name = &a.name;
    let valid = name.chars().next().is_some_and(|c| c.is_ascii_lowercase())
        && name
            .chars()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '_');
    // Names cargo or rustc refuse for a crate, or that clash with the SDK's.
    const RESERVED: &[&str] = &[
        "alloc",
        "as",
        "async",
        "await",
        "break",
        "const",
        "continue",
        "core",
        "crate",
        "dyn",
        "else",
        "enum",
        "extern",
        "false",
        "fn",
        "for",
        "gloam_sdk",
        "if",
        "impl",
        "in",
        "let",
        "loop",
        "match",
        "mod",
        "move",
        "mut",
        "proc_macro",
        "pub",
        "ref",
        "return",
        "sdk",
        "self",
        "static",
        "std",
        "struct",
        "super",
        "test",
        "trait",
        "true",
        "type",
        "unsafe",
        "use",
        "where",
        "while",
    ];
    if !valid || RESERVED.contains(&name.as_str()) {
        return Err(Failure::new(
            exit::USAGE,
            format!("`{name}` is not a project name: use lower-case letters, digits and `_`, starting with a letter"),
        ));
    }
    let dir = a.dir.clone().unwrap_or_else(|| PathBuf::from(name));
    if dir.exists() {
        return Err(Failure::new(
            exit::USAGE,
            format!("{} already exists", dir.display()),
        ));
    }
    let files = match a.lang {
        Lang::Rust => rust_files(name),
        Lang::C => c_files(name),
    };
    for (path, text) in files {
        write(&dir.join(path), &text)?;
    }
    for script in ["build.sh", "test.sh"] {
        make_executable(&dir.join(script))?;
    }
    Ok(dir)
}

fn write(path: &Path, text: &str) -> Result<(), Failure> {
    let io = |e: std::io::Error| {
        Failure::new(exit::USAGE, format!("cannot write {}: {e}", path.display()))
    };
    if let Some(parent) = path.parent() {
        std::fs::create_dir_all(parent).map_err(io)?;
    }
    std::fs::write(path, text).map_err(io)
}

fn make_executable(path: &Path) -> Result<(), Failure> {
    #[cfg(unix)]
    {
        use std::os::unix::fs::PermissionsExt;
        std::fs::set_permissions(path, std::fs::Permissions::from_mode(0o755)).map_err(|e| {
            Failure::new(
                exit::USAGE,
                format!("cannot make {} executable: {e}", path.display()),
            )
        })?;
    }
    Ok(())
}

/// The test both languages' `test.sh` run: threshold 1000 public, balance 3679 private;
/// the journal is the threshold and the verdict.
const TEST_SH: &str = r#"#!/usr/bin/env bash
# Builds the contract, then runs it through `gloam run` (GLOAM: the gloam binary) with a
# public threshold of 1000 and a private balance of 3679, and checks the journal: the
# threshold (8 bytes, little-endian) and the verdict 1.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")"
GLOAM="${GLOAM:-gloam}"
./build.sh
out="$("$GLOAM" run NAME.wasm --entry check --public-input e803000000000000 \
  --private-input 5f0e000000000000 --json)"
echo "$out"
case "$out" in
  *'"journal":"e80300000000000001"'*) echo "test.sh: ok" ;;
  *) echo "test.sh: unexpected journal" >&2; exit 1 ;;
esac
"#;

fn rust_files(name: &str) -> Vec<(String, String)> {
    let cargo = format!(
        r#"[package]
name = "{name}"
version = "0.1.0"
edition = "2021"
publish = false

# A standalone crate: its own workspace.
[workspace]

[dependencies]
gloam-sdk = {{ path = "sdk" }}

[lib]
path = "src/lib.rs"
crate-type = ["cdylib"]

[profile.release]
opt-level = "s"
lto = true
panic = "abort"
codegen-units = 1
# A wrapped integer in a contract is a wrong statement: trap instead.
overflow-checks = true

[profile.dev]
panic = "abort"
"#
    );
    let lib = r#"//! A Gloam contract to start from: it reads a public threshold and a private balance and
//! commits the threshold and whether the balance reaches it.
//!
//! The private input is whatever the prover chooses: as written, a proof says only that
//! *some* balance gives this verdict. A real contract binds private values to something
//! public (a commitment, a Merkle root) and traps when a check fails, as
//! `examples/credential` in the Gloam repository does.
//!
//! Public input: `threshold: u64`. Private input: `balance: u64`. Journal: the threshold and
//! the verdict (`bool`). gloam-sdk's encoding: little-endian integers, `bool` one byte.
#![no_std]

use gloam_sdk::{commit, read_private, read_public};

gloam_sdk::entry!(fn check() -> i32 {
    let threshold: u64 = read_public();
    let balance: u64 = read_private();
    let ok = balance >= threshold;
    commit(&threshold);
    commit(&ok);
    ok as i32
});
"#;
    let build = format!(
        r#"#!/usr/bin/env bash
# Builds {name}.wasm with Debian's Rust 1.63 (apt-get install -y --no-install-recommends
# rustc cargo libstd-rust-dev-wasm32 lld-14).
set -euo pipefail
cd "$(dirname "${{BASH_SOURCE[0]}}")"
# WASM_RUSTC / WASM_CARGO choose another toolchain (not RUSTC / CARGO, which `cargo test`
# and rustup set for themselves).
env -u CARGO -u RUSTC_WRAPPER -u RUSTC_WORKSPACE_WRAPPER -u RUSTFLAGS -u CARGO_TARGET_DIR \
  -u CARGO_BUILD_TARGET -u CARGO_BUILD_TARGET_DIR -u CARGO_BUILD_RUSTFLAGS \
  -u CARGO_ENCODED_RUSTFLAGS -u CARGO_TARGET_WASM32_UNKNOWN_UNKNOWN_RUSTFLAGS \
  -u RUSTUP_TOOLCHAIN RUSTC="${{WASM_RUSTC:-/usr/bin/rustc}}" \
  "${{WASM_CARGO:-/usr/bin/cargo}}" build --release --target wasm32-unknown-unknown \
  --target-dir target
cp target/wasm32-unknown-unknown/release/{name}.wasm {name}.wasm
echo "built {name}.wasm"
"#
    );
    // The SDK copy is a member of the project's workspace: no `[workspace]` of its own.
    let sdk_cargo = SDK_CARGO.replace("\n[workspace]\n", "\n").replace(
        "keep it out of the main Gloam workspace.",
        "copied by `gloam new` into this project.",
    );
    // A version-3 lock file, which cargo 1.65 reads (newer cargos write version 4).
    let lock = format!(
        "# This file is automatically @generated by Cargo.\n\
         # It is not intended for manual editing.\n\
         version = 3\n\n\
         [[package]]\nname = \"gloam-sdk\"\nversion = \"0.1.0\"\n\n\
         [[package]]\nname = \"{name}\"\nversion = \"0.1.0\"\n\
         dependencies = [\n \"gloam-sdk\",\n]\n"
    );
    [
        ("Cargo.toml", cargo),
        ("Cargo.lock", lock),
        ("src/lib.rs", lib.to_string()),
        ("build.sh", build),
        ("test.sh", TEST_SH.replace("NAME", name)),
        (".gitignore", "target/\n".to_string()),
        ("sdk/Cargo.toml", sdk_cargo),
        ("sdk/src/lib.rs", SDK_LIB.to_string()),
        ("sdk/src/codec.rs", SDK_CODEC.to_string()),
        ("sdk/src/sha256.rs", SDK_SHA256.to_string()),
        ("README.md", readme(name, "Rust", "src/lib.rs")),
    ]
    .into_iter()
    .map(|(p, t)| (p.to_string(), t))
    .collect()
}

fn c_files(name: &str) -> Vec<(String, String)> {
    let source = r#"/* A Gloam contract to start from: it reads a public threshold and a private balance
 * and commits the threshold and whether the balance reaches it. The private input is
 * whatever the prover chooses: a real contract binds it to something public and traps when
 * a check fails (examples/credential in the Gloam repository).
 * Public input: threshold (u64, little-endian). Private input: balance (u64).
 * Journal: the threshold (8 bytes) and the verdict (1 byte). */
#include "gloam.h"

GLOAM_EXPORT(check) int check(void) {
    uint64_t threshold = gloam_public_u64();
    uint64_t balance = gloam_private_u64();
    uint8_t ok = balance >= threshold;
    gloam_commit_u64(threshold);
    gloam_commit(&ok, 1);
    return ok;
}
"#;
    let build = format!(
        r#"#!/usr/bin/env bash
# Builds {name}.wasm with clang-14 (apt-get install -y --no-install-recommends clang-14 lld-14).
set -euo pipefail
cd "$(dirname "${{BASH_SOURCE[0]}}")"
"${{CC:-clang-14}}" --target=wasm32 -nostdlib -O2 -Wl,--no-entry -Wl,--allow-undefined \
  -Wl,--export=check {name}.c -o {name}.wasm
echo "built {name}.wasm"
"#
    );
    vec![
        (format!("{name}.c"), source.to_string()),
        ("gloam.h".to_string(), GLOAM_H.to_string()),
        ("build.sh".to_string(), build),
        ("test.sh".to_string(), TEST_SH.replace("NAME", name)),
        (
            "README.md".to_string(),
            readme(name, "C", &format!("{name}.c")),
        ),
    ]
}

fn readme(name: &str, lang: &str, source: &str) -> String {
    format!(
        r#"# {name}

A Gloam contract in {lang} (`{source}`): it reads a public threshold and a private
balance, commits the threshold and whether the balance reaches it, and returns the verdict.

```sh
./build.sh                    # {name}.wasm
./test.sh                     # builds, then checks a run through `gloam run`
gloam prove {name}.wasm --entry check --public-input e803000000000000 \
  --private-input 5f0e000000000000 -o {name}.proof
gloam verify {name}.wasm {name}.proof
```

The proof's statement holds the public input and the journal; the private input is in no
proof file or output.
"#
    )
}
