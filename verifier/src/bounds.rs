//! Allocation bounds for untrusted proof bytes.
//!
//! `winterfell` 0.13 sizes some buffers from counts read out of the proof before checking that
//! the bytes exist (`ByteReader::read_many`, and `BatchMerkleProof`'s node-vector count, which
//! it parses lazily during verification). A forged count then makes it try to allocate
//! terabytes, which aborts the process instead of returning an error: a denial of service
//! against a validator. This module parses the proof with a reader whose counts may not exceed
//! the bytes left, and walks every batch Merkle opening (trace, constraint and FRI queries)
//! before `winterfell` does, so every later allocation is bounded by the proof's size.

use winter_utils::{ByteReader, Deserializable, DeserializationError, Serializable};
use winterfell::Proof;

/// Bytes of one blake3-256 digest in a Merkle opening.
const DIGEST_BYTES: usize = 32;

/// A slice reader that refuses element counts larger than the bytes left (every element of a
/// `winterfell` proof takes at least one byte).
pub struct BoundedReader<'a> {
    bytes: &'a [u8],
    pos: usize,
}

impl<'a> BoundedReader<'a> {
    /// Reads from `bytes`.
    pub fn new(bytes: &'a [u8]) -> Self {
        BoundedReader { bytes, pos: 0 }
    }
    fn remaining(&self) -> usize {
        self.bytes.len() - self.pos
    }
}

impl ByteReader for BoundedReader<'_> {
    fn read_u8(&mut self) -> Result<u8, DeserializationError> {
        let b = self.peek_u8()?;
        self.pos += 1;
        Ok(b)
    }

    fn peek_u8(&self) -> Result<u8, DeserializationError> {
        self.bytes
            .get(self.pos)
            .copied()
            .ok_or(DeserializationError::UnexpectedEOF)
    }

    fn read_slice(&mut self, len: usize) -> Result<&[u8], DeserializationError> {
        self.check_eor(len)?;
        let s = &self.bytes[self.pos..self.pos + len];
        self.pos += len;
        Ok(s)
    }

    fn read_array<const N: usize>(&mut self) -> Result<[u8; N], DeserializationError> {
        let s = self.read_slice(N)?;
        let mut a = [0u8; N];
        a.copy_from_slice(s);
        Ok(a)
    }

    fn check_eor(&self, num_bytes: usize) -> Result<(), DeserializationError> {
        if num_bytes > self.remaining() {
            return Err(DeserializationError::UnexpectedEOF);
        }
        Ok(())
    }

    fn has_more_bytes(&self) -> bool {
        self.remaining() > 0
    }

    fn read_many<D: Deserializable>(
        &mut self,
        num_elements: usize,
    ) -> Result<Vec<D>, DeserializationError> {
        if num_elements > self.remaining() {
            return Err(DeserializationError::InvalidValue(format!(
                "{num_elements} elements announced but only {} bytes left",
                self.remaining()
            )));
        }
        let mut out = Vec::with_capacity(num_elements);
        for _ in 0..num_elements {
            out.push(D::read_from(self)?);
        }
        Ok(out)
    }
}

/// Parses a `winterfell` proof with bounded allocations and no panics; the whole input must
/// be consumed and be the canonical encoding of the proof.
///
/// # Errors
/// A description of the first malformed or oversized field.
pub fn parse_proof(bytes: &[u8]) -> Result<Proof, String> {
    // winterfell asserts (panics) on some malformed headers, e.g. a zero trace length.
    std::panic::catch_unwind(|| {
        let mut r = BoundedReader::new(bytes);
        let proof = Proof::read_from(&mut r).map_err(|e| e.to_string())?;
        if r.has_more_bytes() {
            return Err(format!("{} trailing bytes after the proof", r.remaining()));
        }
        // One proof, one encoding: a byte string that decodes but does not re-encode to itself
        // (an over-long integer, say) is refused, so proofs cannot be altered into other
        // accepted byte strings.
        if proof.to_bytes() != bytes {
            return Err("non-canonical proof encoding".into());
        }
        check_openings(&proof)?;
        Ok(proof)
    })
    .unwrap_or_else(|_| Err("malformed proof header".into()))
}

/// Walks a serialised `BatchMerkleProof`: depth, node-vector count, then per vector a count
/// and that many digests. Every count must fit in the bytes left.
pub fn check_batch_merkle(bytes: &[u8]) -> Result<(), String> {
    let mut r = BoundedReader::new(bytes);
    let e = |e: DeserializationError| e.to_string();
    r.read_u8().map_err(e)?;
    let vectors = r.read_usize().map_err(e)?;
    if vectors > r.remaining() {
        return Err(format!(
            "Merkle opening announces {vectors} node vectors in {} bytes",
            r.remaining()
        ));
    }
    for _ in 0..vectors {
        let digests = r.read_usize().map_err(e)?;
        let len = digests
            .checked_mul(DIGEST_BYTES)
            .ok_or("Merkle opening digest count overflows")?;
        r.read_slice(len).map_err(e)?;
    }
    Ok(())
}

/// Checks the openings `winterfell` will parse lazily: trace and constraint queries
/// (`values`, then `opening_proof`, each a length-prefixed byte vector) and FRI layers
/// (`u8` layer count; per layer `u32`-prefixed values and paths).
fn check_openings(proof: &Proof) -> Result<(), String> {
    let e = |e: DeserializationError| e.to_string();
    for q in proof
        .trace_queries
        .iter()
        .chain(std::iter::once(&proof.constraint_queries))
    {
        let bytes = q.to_bytes();
        let mut r = BoundedReader::new(&bytes);
        let _values: Vec<u8> = Vec::read_from(&mut r).map_err(e)?;
        let opening: Vec<u8> = Vec::read_from(&mut r).map_err(e)?;
        check_batch_merkle(&opening)?;
    }
    check_fri(&proof.fri_proof)
}

/// Walks a FRI proof's layers (`u8` layer count; per layer `u32`-prefixed values and paths),
/// checking every batch Merkle opening's counts against the bytes left.
///
/// # Errors
/// A description of the first oversized count.
pub fn check_fri(fri: &winter_fri::FriProof) -> Result<(), String> {
    let e = |e: DeserializationError| e.to_string();
    let fri = fri.to_bytes();
    let mut r = BoundedReader::new(&fri);
    let layers = r.read_u8().map_err(e)?;
    for _ in 0..layers {
        let n = r.read_u32().map_err(e)? as usize;
        r.read_slice(n).map_err(e)?;
        let n = r.read_u32().map_err(e)? as usize;
        let paths = r.read_slice(n).map_err(e)?.to_vec();
        check_batch_merkle(&paths)?;
    }
    Ok(())
}
