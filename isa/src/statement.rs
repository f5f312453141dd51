//! What a proof of a run states, at the level of the WebAssembly module: typed entry values
//! ([`IntValue`]) and the module setup a provable run starts from ([`check_setup`]).
//!
//! Both the honest prover and the verifier call these functions, so a statement the prover
//! refuses for its module setup or its types is refused by the verifier for the same reason,
//! and vice versa (`docs/air.md` §1, "The statement"); the prover's resource limits (stack,
//! memory pages, table elements) are outside the statement.

use serde::{Deserialize, Serialize};

use crate::module::{ConstExpr, ModuleInfo, SegmentMode, ValType};

/// A WebAssembly integer value passed to or returned by a proven entry function: its type and
/// its bit pattern. Every value of this type is canonical (an `i32` is below 2^32, an `i64`
/// below 2^64; an `i64` enters the field as two 32-bit limbs), so one bit pattern has one
/// encoding in a statement.
#[derive(Clone, Copy, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
pub enum IntValue {
    /// `i32` bit pattern.
    I32(u32),
    /// `i64` bit pattern.
    I64(u64),
}

impl IntValue {
    /// The value's WebAssembly type.
    pub const fn ty(self) -> ValType {
        match self {
            IntValue::I32(_) => ValType::I32,
            IntValue::I64(_) => ValType::I64,
        }
    }

    /// The bit pattern, zero-extended to 64 bits.
    pub const fn bits(self) -> u64 {
        match self {
            IntValue::I32(v) => v as u64,
            IntValue::I64(v) => v,
        }
    }

    /// The value as an `i32` word, if it is one.
    pub const fn as_i32(self) -> Option<u32> {
        match self {
            IntValue::I32(v) => Some(v),
            IntValue::I64(_) => None,
        }
    }

    /// The 32-bit limbs of the value, least significant first: one for `i32`, two for `i64`.
    pub fn limbs(self) -> Vec<u32> {
        match self {
            IntValue::I32(v) => vec![v],
            IntValue::I64(v) => vec![v as u32, (v >> 32) as u32],
        }
    }

    /// Encodes the value for hashing: a type byte (0 = `i32`, 1 = `i64`) and the
    /// little-endian bit pattern (4 or 8 bytes).
    pub fn write_canonical(self, out: &mut Vec<u8>) {
        match self {
            IntValue::I32(v) => {
                out.push(0);
                out.extend_from_slice(&v.to_le_bytes());
            }
            IntValue::I64(v) => {
                out.push(1);
                out.extend_from_slice(&v.to_le_bytes());
            }
        }
    }
}

impl std::fmt::Display for IntValue {
    /// `i32` values print unsigned, `i64` values signed when negative, each with its type:
    /// `7:i32`, `-3:i64`.
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        match self {
            IntValue::I32(v) => write!(f, "{v}:i32"),
            IntValue::I64(v) if (*v as i64) < 0 => write!(f, "{}:i64", *v as i64),
            IntValue::I64(v) => write!(f, "{v}:i64"),
        }
    }
}

/// The 32-bit words of typed values as a statement carries them: each value's limbs
/// ([`IntValue::limbs`]: an `i32` as one word, an `i64` as its low then its high word), one
/// value after the other. These are the entry function's argument (or result) slots, which
/// the front end lays out packed the same way, and the words of the AIR's public inputs.
pub fn value_words(values: &[IntValue]) -> Vec<u32> {
    values.iter().flat_map(|v| v.limbs()).collect()
}

/// The typed values of `types` whose words ([`value_words`]) are `words`; `None` if a type is
/// not an integer type or the number of words differs.
pub fn values_from_words(types: &[ValType], words: &[u32]) -> Option<Vec<IntValue>> {
    let mut out = Vec::with_capacity(types.len());
    let mut rest = words;
    for t in types {
        let (v, tail) = match (t, rest) {
            (ValType::I32, [w, tail @ ..]) => (IntValue::I32(*w), tail),
            (ValType::I64, [lo, hi, tail @ ..]) => {
                (IntValue::I64(*lo as u64 | (*hi as u64) << 32), tail)
            }
            _ => return None,
        };
        out.push(v);
        rest = tail;
    }
    rest.is_empty().then_some(out)
}

/// Checks that `values` have exactly the types `types`.
///
/// # Errors
/// A description of the first mismatch (count or type), naming `what` ("argument",
/// "result").
pub fn check_types(values: &[IntValue], types: &[ValType], what: &str) -> Result<(), String> {
    if values.len() != types.len() {
        return Err(format!(
            "{} {what}(s) expected, {} given",
            types.len(),
            values.len()
        ));
    }
    for (i, (v, t)) in values.iter().zip(types).enumerate() {
        if v.ty() != *t {
            return Err(format!(
                "{what} {i} is {} but the signature says {t}",
                v.ty()
            ));
        }
    }
    Ok(())
}

/// Why a module's setup cannot start a provable run.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum SetupError {
    /// The module imports something; proven runs have no host yet.
    #[error("the module imports `{module}.{name}`; proofs of modules with imports are not supported yet (host functions come with the contract interface)")]
    Import {
        /// Import module name.
        module: String,
        /// Import field name.
        name: String,
    },
    /// An active segment does not fit: instantiation traps.
    #[error("active {kind} segment {index} (offset {offset}, {len} entries) does not fit in the initial {kind} of {size} entries: instantiation traps")]
    SegmentOutOfBounds {
        /// `data` or `element`.
        kind: &'static str,
        /// Segment index.
        index: usize,
        /// Offset.
        offset: u64,
        /// Entries (bytes or elements).
        len: u64,
        /// Size of the initial memory (bytes) or table (elements).
        size: u64,
    },
    /// A segment offset that is not a constant this check evaluates.
    #[error("{kind} segment {index} has an offset that is not an i32 constant")]
    UnsupportedOffset {
        /// `data` or `element`.
        kind: &'static str,
        /// Segment index.
        index: usize,
    },
}

/// Bytes in a WebAssembly page.
pub const PAGE_BYTES: u64 = 65_536;

/// Checks, without executing anything, that instantiating the module cannot fail and that a
/// proof of one of its exports covers everything that decides the run's result: no imports
/// but the contract interface's (`crate::io`),
/// no start function, every active data and element segment within the initial memory or
/// table (WebAssembly 2.0 §4.5.4, steps 14–15; an out-of-bounds segment traps).
///
/// This is the module half of a proven statement. The prover refuses before executing and
/// the verifier refuses before checking the proof, with the same error.
///
/// Segment offsets are `i32.const` (WebAssembly 2.0 allows `global.get` only of imported
/// globals, and imports are refused; a module-global offset, valid in later proposals, is
/// evaluated from its `i32.const` initialiser).
///
/// Resource limits of the prover are not checked here and are not part of the statement,
/// like stack limits (`docs/air.md` §1): an initial memory above the executor's page limit or
/// a table above its element limit is refused by a prover with default limits and proven by
/// one with larger limits.
///
/// # Errors
/// [`SetupError`] naming the first reason.
pub fn check_setup(m: &ModuleInfo) -> Result<(), SetupError> {
    // The contract interface's functions (`crate::io`) are lowered into the program.
    let io = crate::io::imported_io(m);
    let mut func_import = 0;
    for i in &m.imports {
        let is_func = matches!(i.kind, crate::ImportKind::Func(_));
        let is_io = is_func && io.get(func_import).copied().flatten().is_some();
        func_import += is_func as usize;
        if is_io {
            continue;
        }
        return Err(SetupError::Import {
            module: i.module.clone(),
            name: i.name.clone(),
        });
    }
    let offset = |e: &ConstExpr, kind, index| -> Result<u64, SetupError> {
        let c = match e {
            ConstExpr::GlobalGet(g) => m.globals.get(*g as usize).map(|(_, init)| init),
            other => Some(other),
        };
        match c {
            Some(ConstExpr::I32(v)) => Ok(*v as u64),
            _ => Err(SetupError::UnsupportedOffset { kind, index }),
        }
    };
    let mem_bytes = m.memory.map_or(0, |l| l.min as u64 * PAGE_BYTES);
    for (index, seg) in m.datas.iter().enumerate() {
        if let SegmentMode::Active { offset: o, .. } = &seg.mode {
            let off = offset(o, "data", index)?;
            let len = seg.bytes.len() as u64;
            if off + len > mem_bytes {
                return Err(SetupError::SegmentOutOfBounds {
                    kind: "data",
                    index,
                    offset: off,
                    len,
                    size: mem_bytes,
                });
            }
        }
    }
    for (index, seg) in m.elems.iter().enumerate() {
        if let SegmentMode::Active {
            index: t,
            offset: o,
        } = &seg.mode
        {
            let off = offset(o, "element", index)?;
            let len = seg.items.len() as u64;
            let size = m.tables.get(*t as usize).map_or(0, |t| t.limits.min as u64);
            if off + len > size {
                return Err(SetupError::SegmentOutOfBounds {
                    kind: "element",
                    index,
                    offset: off,
                    len,
                    size,
                });
            }
        }
    }
    Ok(())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::load_module;

    fn setup(wat: &str) -> Result<(), SetupError> {
        let p = load_module(wat.as_bytes()).expect("valid module");
        check_setup(&p.module)
    }

    #[test]
    fn segments_in_bounds_pass_and_out_of_bounds_fail() {
        assert_eq!(
            setup(r#"(module (memory 1) (data (i32.const 65532) "abcd"))"#),
            Ok(())
        );
        assert!(matches!(
            setup(r#"(module (memory 1) (data (i32.const 65533) "abcd"))"#),
            Err(SetupError::SegmentOutOfBounds { kind: "data", .. })
        ));
        // An empty segment at exactly the end fits; one past it traps.
        assert_eq!(
            setup(r#"(module (memory 0) (data (i32.const 0) ""))"#),
            Ok(())
        );
        assert!(setup(r#"(module (memory 0) (data (i32.const 1) ""))"#).is_err());
        assert!(matches!(
            setup(r#"(module (table 2 funcref) (func $f) (elem (i32.const 1) $f $f))"#),
            Err(SetupError::SegmentOutOfBounds {
                kind: "element",
                ..
            })
        ));
        assert_eq!(
            setup(r#"(module (table 2 funcref) (func $f) (elem (i32.const 0) $f $f))"#),
            Ok(())
        );
        // Passive segments never trap at instantiation.
        assert_eq!(setup(r#"(module (memory 0) (data "abcd"))"#), Ok(()));
    }

    #[test]
    fn imports_are_refused_and_a_start_function_is_not() {
        // A proof of a module with a start function covers the start function's run
        // (`Program::proof_entry`).
        assert_eq!(setup("(module (func $s) (start $s))"), Ok(()));
        assert!(matches!(
            setup(r#"(module (import "env" "f" (func)))"#),
            Err(SetupError::Import { .. })
        ));
    }

    #[test]
    fn values_are_typed() {
        let v = [IntValue::I32(1), IntValue::I64(u64::MAX)];
        assert_eq!(
            check_types(&v, &[ValType::I32, ValType::I64], "argument"),
            Ok(())
        );
        assert!(check_types(&v, &[ValType::I32, ValType::I32], "argument").is_err());
        assert!(check_types(&v, &[ValType::I32], "argument").is_err());
        assert_eq!(IntValue::I64(u64::MAX).to_string(), "-1:i64");
        assert_eq!(IntValue::I64(0x1_0000_0002).limbs(), vec![2, 1]);
    }

    #[test]
    fn value_words_are_the_packed_limbs() {
        let v = [
            IntValue::I32(7),
            IntValue::I64(0xdead_beef_0000_0005),
            IntValue::I32(u32::MAX),
        ];
        let words = value_words(&v);
        assert_eq!(words, vec![7, 5, 0xdead_beef, u32::MAX]);
        let types = [ValType::I32, ValType::I64, ValType::I32];
        assert_eq!(values_from_words(&types, &words), Some(v.to_vec()));
        // wrong counts and non-integer types have no values
        assert_eq!(values_from_words(&types, &words[..3]), None);
        assert_eq!(values_from_words(&types[..2], &words), None);
        assert_eq!(values_from_words(&[ValType::FuncRef], &[0]), None);
        assert_eq!(value_words(&[]), Vec::<u32>::new());
    }
}
