#!/usr/bin/env bash
# Rebuild the Gloam example contracts from source and check them.
#
#   examples/build.sh            rebuild every contract in a temp dir and check
#                                that the fresh .wasm (and .wat) are identical
#                                to the checked-in ones; exit 1 on any mismatch
#   examples/build.sh --update   rebuild and overwrite the checked-in .wasm/.wat
#   examples/build.sh NAME...    (either mode) only the named contracts
#
# Every freshly built module is also checked by tools/check_subset.py: the
# provable contracts must use only the WebAssembly subset the prover supports;
# the executor-only ones (sha256 sort merkle dispatch startup: linear memory,
# i64, globals, call_indirect, a start function) must use no float or SIMD
# instruction (integer WebAssembly 1.0 only, plus memory.init/data.drop for
# startup).
#
# Needs the frozen Debian bookworm toolchain:
#   apt-get install -y --no-install-recommends \
#       rustc cargo libstd-rust-dev-wasm32 lld-14 clang-14 wabt
# (plus python3). Without it the script says so and exits 2.
set -euo pipefail

HERE="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"

# name -> comma-separated exports, for the C contracts (one .c file each).
declare -A C_EXPORTS=(
    [fib]="fib"
    [gcd]="gcd"
    [collatz]="collatz,collatz_peak,floor_div,floor_mod,collatz_gen"
    [alu]="alu"
    [sha256]="sha256_gen,digest_word,sha256_word,sha256_stream"
)
C_CONTRACTS=(fib gcd collatz alu sha256)
# Rust contracts: one no_std cdylib crate each; the library is named like the dir.
RUST_CONTRACTS=(isqrt recursive hash sort merkle dispatch credential compliance transfer)
# (credential, compliance and transfer use gloam-sdk, ../sdk, through a path dependency: build_rust copies the SDK
# into the contract's copy.)
# (sha256, sort, merkle, dispatch and startup are executor-only: they use
# linear memory, i64 and globals, dispatch calls through a function table
# (call_indirect) and startup has a start function and passive data segments;
# tools/check_subset.py knows them by name, see WIDE_CONTRACTS there.)
# Hand-written WebAssembly text: <name>/<name>.src.wat.
WAT_CONTRACTS=(control startup)

RUSTC_BIN=/usr/bin/rustc
CARGO_BIN=/usr/bin/cargo
CLANG_BIN=clang-14

usage() {
    sed -n '2,20p' "${BASH_SOURCE[0]}" | sed 's/^# \{0,1\}//'
}

MODE=check
SELECTED=()
for arg in "$@"; do
    case "$arg" in
        --update) MODE=update ;;
        -h|--help) usage; exit 0 ;;
        -*) echo "build.sh: unknown option $arg" >&2; usage >&2; exit 64 ;;
        *) SELECTED+=("$arg") ;;
    esac
done

# ---------------------------------------------------------------- toolchain
missing=()
command -v "$CLANG_BIN" >/dev/null 2>&1 || missing+=("clang-14 (apt: clang-14)")
if ! command -v wasm-ld-14 >/dev/null 2>&1 && [ ! -x /usr/lib/llvm-14/bin/wasm-ld ]; then
    missing+=("wasm-ld-14 (apt: lld-14)")
fi
[ -x "$RUSTC_BIN" ] || missing+=("$RUSTC_BIN (apt: rustc)")
[ -x "$CARGO_BIN" ] || missing+=("$CARGO_BIN (apt: cargo)")
if [ -x "$RUSTC_BIN" ]; then
    sysroot="$("$RUSTC_BIN" --print sysroot)"
    if ! ls "$sysroot"/lib/rustlib/wasm32-unknown-unknown/lib/libcore-*.rlib >/dev/null 2>&1; then
        missing+=("Rust std for wasm32-unknown-unknown (apt: libstd-rust-dev-wasm32)")
    fi
fi
command -v wasm2wat >/dev/null 2>&1 || missing+=("wasm2wat (apt: wabt)")
command -v wat2wasm >/dev/null 2>&1 || missing+=("wat2wasm (apt: wabt)")
command -v python3 >/dev/null 2>&1 || missing+=("python3")
if [ ${#missing[@]} -gt 0 ]; then
    echo "build.sh: the example-contract toolchain is not installed; missing:" >&2
    for m in "${missing[@]}"; do echo "  - $m" >&2; done
    echo "Install it with:" >&2
    echo "  apt-get update && apt-get install -y --no-install-recommends rustc cargo libstd-rust-dev-wasm32 lld-14 clang-14 wabt" >&2
    echo "(the checked-in .wasm/.wat files can be used without it)" >&2
    exit 2
fi

echo "toolchain: $("$CLANG_BIN" --version | head -n1) | $("$RUSTC_BIN" --version) | $("$CARGO_BIN" --version) | wabt $(wasm2wat --version)"

# ---------------------------------------------------------------- helpers
TMP="$(mktemp -d "${TMPDIR:-/tmp}/gloam-examples.XXXXXX")"
trap 'rm -rf "$TMP"' EXIT
mkdir -p "$TMP/out" "$TMP/cargo-home"

in_list() {  # in_list WORD LIST...: is WORD one of LIST?
    local word="$1" item
    shift
    for item in "$@"; do [ "$item" = "$word" ] && return 0; done
    return 1
}

is_selected() {
    local n="$1"
    [ ${#SELECTED[@]} -eq 0 ] && return 0
    local s
    for s in "${SELECTED[@]}"; do [ "$s" = "$n" ] && return 0; done
    return 1
}

for s in "${SELECTED[@]+"${SELECTED[@]}"}"; do
    if [ -z "${C_EXPORTS[$s]+x}" ] && ! in_list "$s" "${RUST_CONTRACTS[@]}" "${WAT_CONTRACTS[@]}"; then
        echo "build.sh: unknown contract '$s'" >&2
        exit 64
    fi
done

# Keep only the `name` custom section (drops `producers` and any `.debug_*`).
finish() {
    local name="$1" raw="$2"
    python3 "$HERE/tools/strip_custom.py" "$raw" "$TMP/out/$name.wasm"
    wasm2wat "$TMP/out/$name.wasm" -o "$TMP/out/$name.wat"
}

build_c() {
    local name="$1" exports="${C_EXPORTS[$1]}" flags=() e
    IFS=',' read -r -a list <<<"$exports"
    for e in "${list[@]}"; do flags+=("-Wl,--export=$e"); done
    "$CLANG_BIN" --target=wasm32 -nostdlib -O2 -g0 -Wall -Wextra \
        "-ffile-prefix-map=$HERE/$name=/gloam/examples/$name" \
        -fuse-ld=lld -Wl,--no-entry "${flags[@]}" \
        "$HERE/$name/$name.c" -o "$TMP/$name.raw.wasm"
    finish "$name" "$TMP/$name.raw.wasm"
}

build_rust() {
    local name="$1" work="$TMP/src/$1"
    mkdir -p "$work/sdk"
    cp -R "$HERE/$name/Cargo.toml" "$HERE/$name/Cargo.lock" "$HERE/$name/src" "$work/"
    # The SDK inside the copy (a path dependency's absolute path would enter the symbol
    # hashes of the name section): `../../sdk` becomes `sdk`.
    cp -R "$HERE/../sdk/Cargo.toml" "$HERE/../sdk/src" "$work/sdk/"
    sed -i 's#path = "../../sdk"#path = "sdk"#' "$work/Cargo.toml"
    sed -i '/^\[workspace\]$/d' "$work/sdk/Cargo.toml"
    (
        cd "$work"
        env -u RUSTC_WRAPPER -u RUSTFLAGS -u CARGO_ENCODED_RUSTFLAGS \
            -u CARGO_BUILD_RUSTFLAGS -u CARGO_BUILD_TARGET -u RUSTUP_TOOLCHAIN \
            CARGO_HOME="$TMP/cargo-home" \
            CARGO_TARGET_DIR="$TMP/target/$name" \
            RUSTC="$RUSTC_BIN" \
            RUSTFLAGS="--remap-path-prefix=$work=/gloam/examples/$name" \
            "$CARGO_BIN" build --quiet --release --locked --offline \
                --target wasm32-unknown-unknown
    )
    finish "$name" "$TMP/target/$name/wasm32-unknown-unknown/release/$name.wasm"
}

build_wat() {
    local name="$1"
    wat2wasm --debug-names "$HERE/$name/$name.src.wat" -o "$TMP/$name.raw.wasm"
    finish "$name" "$TMP/$name.raw.wasm"
}

# ---------------------------------------------------------------- main
status=0
for name in "${C_CONTRACTS[@]}" "${RUST_CONTRACTS[@]}" "${WAT_CONTRACTS[@]}"; do
    is_selected "$name" || continue
    if [ -n "${C_EXPORTS[$name]+x}" ]; then
        build_c "$name"
    elif in_list "$name" "${WAT_CONTRACTS[@]}"; then
        build_wat "$name"
    else
        build_rust "$name"
    fi
    fresh="$TMP/out/$name"
    dest="$HERE/$name/$name"

    if ! python3 "$HERE/tools/check_subset.py" --quiet "$fresh.wat"; then
        echo "$name: SUBSET-VIOLATION (uses instructions outside its category in tools/check_subset.py)"
        status=1
        continue
    fi

    if [ "$MODE" = update ]; then
        cp "$fresh.wasm" "$dest.wasm"
        cp "$fresh.wat" "$dest.wat"
        echo "$name: UPDATED ($(wc -c <"$dest.wasm") bytes, sha256 $(sha256sum "$dest.wasm" | cut -c1-16))"
    elif [ ! -f "$dest.wasm" ]; then
        echo "$name: MISSING ($dest.wasm not checked in; run build.sh --update)"
        status=1
    elif ! cmp -s "$fresh.wasm" "$dest.wasm"; then
        echo "$name: MISMATCH (fresh build differs from $name/$name.wasm)"
        status=1
    elif [ ! -f "$dest.wat" ] || ! cmp -s "$fresh.wat" "$dest.wat"; then
        echo "$name: MISMATCH ($name/$name.wat is stale; run build.sh --update)"
        status=1
    else
        echo "$name: OK"
    fi
done
exit "$status"
