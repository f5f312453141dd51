//! Transactions and blocks, and their canonical, versioned encoding.
//!
//! Both use `commonware-codec`: fixed-width integers are big-endian, lengths are canonical
//! varints, decoding is bounded by the limits below and rejects trailing bytes, so every byte
//! string that decodes re-encodes to itself (`encode(decode(b)) == b`), which consensus requires
//! of blocks and which makes a transaction's id ([`TxId`], the blake3 hash of its encoding)
//! unique.
//!
//! ```text
//! Tx    = version u8 (= 3) | kind u8 | body
//!   kind 0 Deploy: module (varint length | bytes, at most MAX_MODULE_BYTES)
//!   kind 1 Run:    program_hash [32] | entry (varint length | UTF-8, at most 64)
//!                  | args (varint count, at most 64 | value each) | results (same)
//!                  value = type u8 (0 = i32, 1 = i64) | u32 or u64
//!                  | cycles u64 | public_input, journal (varint length | bytes, at most
//!                  MAX_TX_STREAM_BYTES each) | zero_knowledge u8 | segmented u8
//!                  | stark (varint length | bytes, at most MAX_PROOF_BYTES)
//!   kind 2 Stake:  public_key [32] | bond u64 | address (varint length | UTF-8, at most 64)
//!                  | nonce u64 | signature [64]
//! Block = version u8 (= 2) | parent [32] | height u64 | timestamp_ms u64 | state_root [32]
//!         | txs (varint count, at most MAX_BLOCK_TXS | Tx each)
//! ```
//!
//! A block's digest is the blake3 hash of its header (everything but the transactions, with
//! their count and root in their place); the transaction root is the [`merkle_root`] of the
//! transactions' ids.

use bytes::{BufMut, Bytes};
use commonware_codec::{
    Buf, Copying, Decode, EncodeSize, Error as CodecError, RangeCfg, Read, ReadExt, Write,
};
use commonware_consensus::types::Height;
use commonware_consensus::Heightable;
use commonware_cryptography::blake3::Digest;
use commonware_cryptography::ed25519::{PrivateKey, PublicKey, Signature};
use commonware_cryptography::{Digestible, Signer, Verifier as _};
use gloam_verifier::isa::IntValue;

/// Encoding version of transactions and blocks.
pub const VERSION: u8 = 5;
/// Largest accepted module in a deploy transaction (bytes).
pub const MAX_MODULE_BYTES: usize = 1 << 20;
/// Largest accepted STARK proof in a run transaction (bytes). Gloam proofs are 60-250 KB; a
/// run proven in segments takes about 110 KB per segment, so a run transaction holds up to
/// about 18 segments (2.3 M cycles in the default 2^17-row segments, 18 M in 2^20-row ones).
pub const MAX_PROOF_BYTES: usize = 2 << 20;
/// Longest entry-function name (bytes).
pub const MAX_ENTRY_BYTES: usize = 64;
/// Most arguments or results of a run.
pub const MAX_WORDS: usize = 64;
/// Longest p2p address in a stake transaction (bytes).
pub const MAX_ADDRESS_BYTES: usize = 64;
/// Signature namespace of stake transactions (ed25519 over this namespace and
/// [`StakeTx::signed_message`]).
pub const STAKE_NAMESPACE: &[u8] = b"gloam-stake-v1";
/// Largest encoded transaction (bytes): a deploy of the largest module, or a run with the
/// largest proof, plus framing.
pub const MAX_TX_BYTES: usize = MAX_PROOF_BYTES + 2 * MAX_TX_STREAM_BYTES + 4096;
/// Largest public input and largest journal a run transaction carries (bytes): 64 KiB each,
/// below the statement's 1 MiB limits (`gloam_isa::io`), so that a block holds several runs.
pub const MAX_TX_STREAM_BYTES: usize = 64 << 10;
/// Most transactions in one block.
pub const MAX_BLOCK_TXS: usize = 64;
/// Largest sum of encoded transaction sizes in one block (bytes).
pub const MAX_BLOCK_TX_BYTES: usize = 4 << 20;
/// Largest encoded block (bytes).
pub const MAX_BLOCK_BYTES: usize = MAX_BLOCK_TX_BYTES + 1024;

/// A 32-byte blake3 hash.
pub type Hash32 = [u8; 32];

/// A transaction's id: blake3 of its canonical encoding.
#[derive(Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub struct TxId(pub Hash32);

impl std::fmt::Display for TxId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&hex(&self.0))
    }
}
impl std::fmt::Debug for TxId {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "TxId({self})")
    }
}

/// Lower-case hex of `bytes`.
pub fn hex(bytes: &[u8]) -> String {
    use std::fmt::Write as _;
    let mut s = String::with_capacity(bytes.len() * 2);
    for b in bytes {
        let _ = write!(s, "{b:02x}");
    }
    s
}

/// The 32 bytes of an ed25519 public key (its encoding; the account key in the state).
pub fn key_bytes(pk: &PublicKey) -> Hash32 {
    pk.as_ref()
        .try_into()
        .expect("ed25519 public keys are 32 bytes")
}

/// Parses 64 hex digits.
pub fn parse_hash(s: &str) -> Option<Hash32> {
    let s = s.strip_prefix("0x").unwrap_or(s);
    if s.len() != 64 {
        return None;
    }
    let mut out = [0u8; 32];
    for (i, chunk) in s.as_bytes().chunks(2).enumerate() {
        let hi = (chunk[0] as char).to_digit(16)?;
        let lo = (chunk[1] as char).to_digit(16)?;
        out[i] = (hi * 16 + lo) as u8;
    }
    Some(out)
}

/// The public statement of a proven run: *program `program_hash`, run from `entry` on `args`,
/// halts after `cycles` cycles returning `results`*, and its STARK proof.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct RunTx {
    /// blake3 program hash of the contract (its id).
    pub program_hash: Hash32,
    /// Exported entry function.
    pub entry: String,
    /// Arguments, typed as the entry's parameters.
    pub args: Vec<IntValue>,
    /// Results, typed as the entry's results.
    pub results: Vec<IntValue>,
    /// Cycles executed.
    pub cycles: u64,
    /// The public input given to the run (`gloam.read_public`; at most
    /// [`MAX_TX_STREAM_BYTES`]). No transaction carries a private input.
    pub public_input: Bytes,
    /// The journal the run committed (`gloam.commit`; at most [`MAX_TX_STREAM_BYTES`]),
    /// stored with the transaction.
    pub journal: Bytes,
    /// Whether `stark` is a zero-knowledge proof (`gloam_verifier::zk`) or a transparent
    /// winterfell proof (as the `.proof` file says).
    pub zero_knowledge: bool,
    /// Whether `stark` is a run proven in segments (`gloam_verifier::segments`;
    /// `zero_knowledge` is then false), verified as one statement.
    pub segmented: bool,
    /// The STARK proof bytes (as in the `.proof` file's `stark` field).
    pub stark: Bytes,
}

impl RunTx {
    /// The statement's hash (everything but the proof): the key under which the state records
    /// the verified run, so one statement is accepted once whatever proof bytes carry it.
    pub fn statement_hash(&self) -> Hash32 {
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-statement-v3");
        h.update(&self.program_hash);
        h.update(&(self.entry.len() as u64).to_le_bytes());
        h.update(self.entry.as_bytes());
        for values in [&self.args, &self.results] {
            let mut bytes = Vec::with_capacity(9 * values.len());
            for v in values {
                v.write_canonical(&mut bytes);
            }
            h.update(&(values.len() as u64).to_le_bytes());
            h.update(&bytes);
        }
        h.update(&self.cycles.to_le_bytes());
        for bytes in [&self.public_input, &self.journal] {
            h.update(&(bytes.len() as u64).to_le_bytes());
            h.update(bytes);
        }
        *h.finalize().as_bytes()
    }

    /// Builds a run transaction from a proof file written by `gloam prove`.
    ///
    /// # Errors
    /// The file does not decode ([`gloam_verifier::proof_file::ProofFileError`]).
    pub fn from_proof_file(
        bytes: &[u8],
    ) -> Result<Self, gloam_verifier::proof_file::ProofFileError> {
        let f = gloam_verifier::proof_file::ProofFile::from_bytes(bytes)?;
        Ok(Self {
            program_hash: f.program_hash,
            entry: f.entry,
            args: f.args,
            results: f.results,
            cycles: f.cycles,
            public_input: Bytes::from(f.public_input),
            journal: Bytes::from(f.journal),
            zero_knowledge: f.zero_knowledge,
            segmented: f.segmented,
            stark: Bytes::from(f.stark),
        })
    }
}

/// Sets the amount an account keeps bonded as validator stake, signed by the account's
/// ed25519 key.
///
/// The account's tokens are split between a liquid `balance` and a `bonded` stake; this
/// transaction moves tokens between the two so that `bonded == bond` afterwards (0 leaves the
/// validator set). Bonded stake counts from the next epoch boundary: the validators of epoch
/// `e + 1` are the accounts with the largest bonds after the last block of epoch `e`. `nonce`
/// must equal the account's nonce (replay protection); the signature binds the chain (its
/// genesis hash), so a stake transaction of one chain is void on another.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct StakeTx {
    /// The account (and validator) key.
    pub public_key: PublicKey,
    /// Bonded amount after this transaction (tokens).
    pub bond: u64,
    /// The p2p address other validators dial (`host:port`); empty keeps the recorded one.
    pub address: String,
    /// The account's nonce before this transaction.
    pub nonce: u64,
    /// ed25519 signature over [`StakeTx::signed_message`] in [`STAKE_NAMESPACE`].
    pub signature: Signature,
}

impl StakeTx {
    /// The signed bytes: `chain ‖ public_key ‖ bond ‖ address length ‖ address ‖ nonce`
    /// (integers big-endian u64), where `chain` is the genesis hash.
    pub fn signed_message(
        chain: &Hash32,
        public_key: &PublicKey,
        bond: u64,
        address: &str,
        nonce: u64,
    ) -> Vec<u8> {
        let mut m = Vec::with_capacity(32 + 32 + 8 + 8 + address.len() + 8);
        m.extend_from_slice(chain);
        m.extend_from_slice(public_key.as_ref());
        m.extend_from_slice(&bond.to_be_bytes());
        m.extend_from_slice(&(address.len() as u64).to_be_bytes());
        m.extend_from_slice(address.as_bytes());
        m.extend_from_slice(&nonce.to_be_bytes());
        m
    }

    /// Builds and signs a stake transaction for `chain` (the genesis hash).
    pub fn sign(key: &PrivateKey, chain: &Hash32, bond: u64, address: &str, nonce: u64) -> Self {
        let public_key = key.public_key();
        let msg = Self::signed_message(chain, &public_key, bond, address, nonce);
        Self {
            signature: key.sign(STAKE_NAMESPACE, &msg),
            public_key,
            bond,
            address: address.to_string(),
            nonce,
        }
    }

    /// Whether the signature is valid for `chain`.
    pub fn verify(&self, chain: &Hash32) -> bool {
        let msg = Self::signed_message(
            chain,
            &self.public_key,
            self.bond,
            &self.address,
            self.nonce,
        );
        self.public_key
            .verify(STAKE_NAMESPACE, &msg, &self.signature)
    }
}

impl Write for StakeTx {
    fn write(&self, buf: &mut impl BufMut) {
        self.public_key.write(buf);
        self.bond.write(buf);
        write_bytes(self.address.as_bytes(), buf);
        self.nonce.write(buf);
        self.signature.write(buf);
    }
}

impl EncodeSize for StakeTx {
    fn encode_size(&self) -> usize {
        self.public_key.encode_size()
            + 8
            + bytes_size(self.address.as_bytes())
            + 8
            + self.signature.encode_size()
    }
}

impl Read for StakeTx {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let public_key = PublicKey::read(buf)?;
        let bond = u64::read(buf)?;
        let address = read_bytes(buf, MAX_ADDRESS_BYTES)?;
        let address = String::from_utf8(address.to_vec())
            .map_err(|_| CodecError::Invalid("StakeTx", "address is not UTF-8"))?;
        let nonce = u64::read(buf)?;
        let signature = Signature::read(buf)?;
        Ok(Self {
            public_key,
            bond,
            address,
            nonce,
            signature,
        })
    }
}

/// A transaction.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum Tx {
    /// Deploys a WebAssembly module; its program hash becomes the contract's id.
    Deploy {
        /// The module's bytes (binary WebAssembly).
        module: Bytes,
    },
    /// Submits a proven run of a deployed contract.
    Run(RunTx),
    /// Bonds or unbonds validator stake (takes effect at the next epoch boundary).
    Stake(StakeTx),
}

impl Tx {
    /// Canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encode_size());
        self.write(&mut v);
        v
    }

    /// Decodes a transaction, rejecting anything non-canonical, oversize or with trailing bytes.
    ///
    /// # Errors
    /// A readable description of the first problem.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        if bytes.len() > MAX_TX_BYTES {
            return Err(format!(
                "transaction of {} bytes exceeds the {MAX_TX_BYTES}-byte limit",
                bytes.len()
            ));
        }
        Tx::decode_cfg(Copying(bytes), &()).map_err(|e| match e {
            CodecError::ExtraData(n) => format!("malformed transaction: {n} trailing byte(s)"),
            e => format!("malformed transaction: {e}"),
        })
    }

    /// The transaction's id.
    pub fn id(&self) -> TxId {
        TxId(*blake3::hash(&self.to_bytes()).as_bytes())
    }

    /// Short kind name (`deploy`, `run` or `stake`).
    pub fn kind(&self) -> &'static str {
        match self {
            Tx::Deploy { .. } => "deploy",
            Tx::Run(_) => "run",
            Tx::Stake(_) => "stake",
        }
    }
}

fn write_values(v: &[IntValue], buf: &mut impl BufMut) {
    commonware_codec::varint::UInt(v.len() as u64).write(buf);
    for x in v {
        match *x {
            IntValue::I32(w) => {
                0u8.write(buf);
                w.write(buf);
            }
            IntValue::I64(w) => {
                1u8.write(buf);
                w.write(buf);
            }
        }
    }
}

fn values_size(v: &[IntValue]) -> usize {
    commonware_codec::varint::UInt(v.len() as u64).encode_size()
        + v.iter()
            .map(|x| match x {
                IntValue::I32(_) => 5,
                IntValue::I64(_) => 9,
            })
            .sum::<usize>()
}

fn read_values(buf: &mut impl Buf) -> Result<Vec<IntValue>, CodecError> {
    let n = commonware_codec::varint::UInt::<u64>::read(buf)?.0;
    if n > MAX_WORDS as u64 {
        return Err(CodecError::InvalidLength(n as usize));
    }
    (0..n)
        .map(|_| match u8::read(buf)? {
            0 => Ok(IntValue::I32(u32::read(buf)?)),
            1 => Ok(IntValue::I64(u64::read(buf)?)),
            _ => Err(CodecError::Invalid("RunTx", "value type is not i32 or i64")),
        })
        .collect()
}

fn write_bytes(b: &[u8], buf: &mut impl BufMut) {
    commonware_codec::varint::UInt(b.len() as u64).write(buf);
    buf.put_slice(b);
}

fn bytes_size(b: &[u8]) -> usize {
    commonware_codec::varint::UInt(b.len() as u64).encode_size() + b.len()
}

fn read_bytes(buf: &mut impl Buf, max: usize) -> Result<Bytes, CodecError> {
    Bytes::read_cfg(buf, &RangeCfg::new(0..=max))
}

impl Write for RunTx {
    fn write(&self, buf: &mut impl BufMut) {
        self.program_hash.write(buf);
        write_bytes(self.entry.as_bytes(), buf);
        write_values(&self.args, buf);
        write_values(&self.results, buf);
        self.cycles.write(buf);
        write_bytes(&self.public_input, buf);
        write_bytes(&self.journal, buf);
        self.zero_knowledge.write(buf);
        self.segmented.write(buf);
        write_bytes(&self.stark, buf);
    }
}

impl EncodeSize for RunTx {
    fn encode_size(&self) -> usize {
        32 + bytes_size(self.entry.as_bytes())
            + values_size(&self.args)
            + values_size(&self.results)
            + 8
            + bytes_size(&self.public_input)
            + bytes_size(&self.journal)
            + 2
            + bytes_size(&self.stark)
    }
}

impl Read for RunTx {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let program_hash = <[u8; 32]>::read(buf)?;
        let entry = read_bytes(buf, MAX_ENTRY_BYTES)?;
        let entry = String::from_utf8(entry.to_vec())
            .map_err(|_| CodecError::Invalid("RunTx", "entry is not UTF-8"))?;
        let args = read_values(buf)?;
        let results = read_values(buf)?;
        let cycles = u64::read(buf)?;
        let public_input = read_bytes(buf, MAX_TX_STREAM_BYTES)?;
        let journal = read_bytes(buf, MAX_TX_STREAM_BYTES)?;
        let zero_knowledge = bool::read(buf)?;
        let segmented = bool::read(buf)?;
        if segmented && zero_knowledge {
            return Err(CodecError::Invalid(
                "RunTx",
                "a segmented proof is not zero-knowledge",
            ));
        }
        let stark = read_bytes(buf, MAX_PROOF_BYTES)?;
        Ok(Self {
            program_hash,
            entry,
            args,
            results,
            cycles,
            public_input,
            journal,
            zero_knowledge,
            segmented,
            stark,
        })
    }
}

impl Write for Tx {
    fn write(&self, buf: &mut impl BufMut) {
        VERSION.write(buf);
        match self {
            Tx::Deploy { module } => {
                0u8.write(buf);
                write_bytes(module, buf);
            }
            Tx::Run(r) => {
                1u8.write(buf);
                r.write(buf);
            }
            Tx::Stake(st) => {
                2u8.write(buf);
                st.write(buf);
            }
        }
    }
}

impl EncodeSize for Tx {
    fn encode_size(&self) -> usize {
        2 + match self {
            Tx::Deploy { module } => bytes_size(module),
            Tx::Run(r) => r.encode_size(),
            Tx::Stake(st) => st.encode_size(),
        }
    }
}

impl Read for Tx {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let version = u8::read(buf)?;
        if version != VERSION {
            return Err(CodecError::Invalid("Tx", "unsupported transaction version"));
        }
        match u8::read(buf)? {
            0 => Ok(Tx::Deploy {
                module: read_bytes(buf, MAX_MODULE_BYTES)?,
            }),
            1 => Ok(Tx::Run(RunTx::read(buf)?)),
            2 => Ok(Tx::Stake(StakeTx::read(buf)?)),
            t => Err(CodecError::InvalidEnum(t)),
        }
    }
}

/// Root of a binary blake3 Merkle tree over `items` (32-byte hashes), with domain
/// separation so that no leaf, inner node or item can stand for another: each item enters as
/// the leaf `blake3(0x00 ‖ item)`, an inner node is `blake3(0x01 ‖ left ‖ right)`, an odd node
/// is carried up unchanged, and the empty tree is `blake3(0x02)`. Callers commit to the item
/// count separately (a block header carries its transaction count).
///
/// Without the leaf prefix an inner node's 65-byte preimage could be the encoding of a
/// transaction whose id is then an inner node: two different transaction lists would share a
/// root (and blocks a digest). `tx_root_resists_inner_node_forgery` checks this.
pub fn merkle_root(items: &[Hash32]) -> Hash32 {
    if items.is_empty() {
        return *blake3::hash(&[2u8]).as_bytes();
    }
    let mut level: Vec<Hash32> = items
        .iter()
        .map(|i| {
            let mut h = blake3::Hasher::new();
            h.update(&[0u8]);
            h.update(i);
            *h.finalize().as_bytes()
        })
        .collect();
    while level.len() > 1 {
        let mut next = Vec::with_capacity(level.len().div_ceil(2));
        for pair in level.chunks(2) {
            if pair.len() == 2 {
                let mut h = blake3::Hasher::new();
                h.update(&[1u8]);
                h.update(&pair[0]);
                h.update(&pair[1]);
                next.push(*h.finalize().as_bytes());
            } else {
                next.push(pair[0]);
            }
        }
        level = next;
    }
    level[0]
}

/// A block: header fields and the transactions.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Block {
    /// Digest of the parent block.
    pub parent: Digest,
    /// Height (genesis is 0).
    pub height: Height,
    /// Proposer's clock when it built the block (milliseconds since the Unix epoch); strictly
    /// greater than the parent's.
    pub timestamp_ms: u64,
    /// Merkle root of the application state after this block's transactions.
    pub state_root: Hash32,
    /// The transactions, applied in order.
    pub txs: Vec<Tx>,
    digest: Digest,
}

impl Block {
    /// Builds a block and computes its digest.
    pub fn new(
        parent: Digest,
        height: Height,
        timestamp_ms: u64,
        state_root: Hash32,
        txs: Vec<Tx>,
    ) -> Self {
        let mut b = Self {
            parent,
            height,
            timestamp_ms,
            state_root,
            txs,
            digest: Digest([0; 32]),
        };
        b.digest = b.compute_digest();
        b
    }

    /// Merkle root of the transactions' ids.
    pub fn tx_root(&self) -> Hash32 {
        let ids: Vec<Hash32> = self.txs.iter().map(|t| t.id().0).collect();
        merkle_root(&ids)
    }

    fn compute_digest(&self) -> Digest {
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-block-v1");
        h.update(&[VERSION]);
        h.update(&self.parent.0);
        h.update(&self.height.get().to_be_bytes());
        h.update(&self.timestamp_ms.to_be_bytes());
        h.update(&self.state_root);
        h.update(&(self.txs.len() as u64).to_be_bytes());
        h.update(&self.tx_root());
        Digest(*h.finalize().as_bytes())
    }

    /// Canonical encoding.
    pub fn to_bytes(&self) -> Vec<u8> {
        let mut v = Vec::with_capacity(self.encode_size());
        self.write(&mut v);
        v
    }

    /// Decodes a block.
    ///
    /// # Errors
    /// A readable description of the problem.
    pub fn from_bytes(bytes: &[u8]) -> Result<Self, String> {
        Block::decode_cfg(Copying(bytes), &()).map_err(|e| format!("malformed block: {e}"))
    }
}

impl Write for Block {
    fn write(&self, buf: &mut impl BufMut) {
        VERSION.write(buf);
        self.parent.write(buf);
        self.height.get().write(buf);
        self.timestamp_ms.write(buf);
        self.state_root.write(buf);
        self.txs.write(buf);
    }
}

impl EncodeSize for Block {
    fn encode_size(&self) -> usize {
        1 + 32 + 8 + 8 + 32 + self.txs.encode_size()
    }
}

impl Read for Block {
    type Cfg = ();
    fn read_cfg(buf: &mut impl Buf, _: &()) -> Result<Self, CodecError> {
        let version = u8::read(buf)?;
        if version != VERSION {
            return Err(CodecError::Invalid("Block", "unsupported block version"));
        }
        let parent = Digest::read(buf)?;
        let height = Height::new(u64::read(buf)?);
        let timestamp_ms = u64::read(buf)?;
        let state_root = <[u8; 32]>::read(buf)?;
        let txs = Vec::<Tx>::read_cfg(buf, &(RangeCfg::new(0..=MAX_BLOCK_TXS), ()))?;
        let total: usize = txs.iter().map(|t| t.encode_size()).sum();
        if total > MAX_BLOCK_TX_BYTES {
            return Err(CodecError::Invalid(
                "Block",
                "transactions exceed the block size limit",
            ));
        }
        Ok(Block::new(parent, height, timestamp_ms, state_root, txs))
    }
}

impl Digestible for Block {
    type Digest = Digest;
    fn digest(&self) -> Digest {
        self.digest
    }
}

impl Heightable for Block {
    fn height(&self) -> Height {
        self.height
    }
}

impl commonware_consensus::Block for Block {
    fn parent(&self) -> Digest {
        self.parent
    }
}

impl commonware_consensus::BoundedBlock for Block {
    fn max_encode_size(_: &()) -> usize {
        MAX_BLOCK_BYTES
    }
}
