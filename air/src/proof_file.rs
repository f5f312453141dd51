//! The versioned proof file: 8-byte magic `GLOAMPRF`, a little-endian `u16` format version,
//! then the bincode (1.x, fixed-width integers) encoding of [`ProofFile`].
//!
//! Version 2 records the type of every argument and result ([`IntValue`]); version 3 adds the
//! public input and the journal (`gloam_isa::io`); version 4 says whether the STARK proof is
//! zero-knowledge (`crate::zk`) or transparent (`winterfell`); version 5 adds runs proven in
//! segments (`crate::segments`). Older versions are refused with
//! [`ProofFileError::Version`].

use gloam_isa::IntValue;
use serde::{Deserialize, Serialize};

/// File magic.
pub const MAGIC: &[u8; 8] = b"GLOAMPRF";
/// Current format version.
pub const VERSION: u16 = 5;
/// Largest accepted file (bytes): far above any real proof, it bounds what a hostile file
/// can make the decoder allocate.
/// A segmented proof is about 110 KB per segment, so 64 MiB holds about 600 segments (runs of
/// 2^26 cycles in 2^17-row segments).
pub const MAX_FILE_BYTES: usize = 64 << 20;

/// The statement and the STARK proof of one run.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct ProofFile {
    /// blake3 program hash of the proven program.
    pub program_hash: [u8; 32],
    /// Exported entry function.
    pub entry: String,
    /// Arguments, typed as the entry function's parameters.
    pub args: Vec<IntValue>,
    /// Results, typed as the entry function's results.
    pub results: Vec<IntValue>,
    /// Cycles executed.
    pub cycles: u64,
    /// The public input given to the run (at most `gloam_isa::io::MAX_PUBLIC_INPUT` bytes;
    /// the run may read only a prefix of it, and the statement binds every byte).
    pub public_input: Vec<u8>,
    /// The journal it committed (at most `gloam_isa::io::MAX_JOURNAL` bytes). The private
    /// input is never in a proof file.
    pub journal: Vec<u8>,
    /// Whether [`ProofFile::stark`] is a zero-knowledge proof (`crate::zk::ZkProof`) rather
    /// than a transparent `winterfell` proof.
    pub zero_knowledge: bool,
    /// Whether [`ProofFile::stark`] is a run proven in segments
    /// (`crate::segments::SegmentedProof`); `zero_knowledge` is then false (the verifier
    /// refuses both set).
    pub segmented: bool,
    /// The STARK proof bytes.
    pub stark: Vec<u8>,
}

/// Why bytes are not a proof file.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum ProofFileError {
    /// Wrong magic.
    #[error("not a Gloam proof file (bad magic)")]
    BadMagic,
    /// Unknown version.
    #[error("unsupported proof format version {0} (this build reads version {VERSION})")]
    Version(u16),
    /// Too large.
    #[error("proof file of {0} bytes exceeds the {MAX_FILE_BYTES}-byte limit")]
    TooLarge(usize),
    /// Body does not decode.
    #[error("malformed proof file: {0}")]
    Malformed(String),
}

impl ProofFile {
    /// Encodes the file.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut out = MAGIC.to_vec();
        out.extend_from_slice(&VERSION.to_le_bytes());
        out.extend(bincode::serialize(self).expect("serialising plain data cannot fail"));
        out
    }

    /// Decodes a file, rejecting anything malformed without panicking.
    ///
    /// # Errors
    /// [`ProofFileError`].
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, ProofFileError> {
        if bytes.len() > MAX_FILE_BYTES {
            return Err(ProofFileError::TooLarge(bytes.len()));
        }
        if bytes.len() < 10 || &bytes[..8] != MAGIC {
            return Err(ProofFileError::BadMagic);
        }
        let version = u16::from_le_bytes([bytes[8], bytes[9]]);
        if version != VERSION {
            return Err(ProofFileError::Version(version));
        }
        use bincode::Options;
        let file: ProofFile = bincode::DefaultOptions::new()
            .with_fixint_encoding()
            .with_limit(MAX_FILE_BYTES as u64)
            .reject_trailing_bytes()
            .deserialize(&bytes[10..])
            .map_err(|e| ProofFileError::Malformed(e.to_string()))?;
        Ok(file)
    }
}
