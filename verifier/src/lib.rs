//! # gloam-verifier
//!
//! Checks a Gloam proof against a program the verifier holds, without executing anything:
//! the program enters only through its hash (Fiat-Shamir seed) and the periodic program
//! columns. Depends on `gloam-isa`, `gloam-air` (constraints only) and `winterfell`'s
//! verifier only.
//!
//! Every byte string is either accepted or rejected with a [`VerifyError`]; none panics or
//! aborts: proofs are parsed with bounded allocations ([`bounds`]) and their shape checked
//! before they reach `winterfell`, and a panic inside it would still be caught and reported as
//! [`VerifyError::Internal`].
#![deny(missing_docs)]

use std::panic::{catch_unwind, AssertUnwindSafe};
use std::sync::Arc;

use gloam_air::proof_file::{ProofFile, ProofFileError};
use gloam_air::{validate_shape, Felt, GloamAir, PublicInputs};
use gloam_isa::{IntValue, Program, ProgramHash, SetupError};
use winterfell::crypto::{hashers::Blake3_256, DefaultRandomCoin, MerkleTree};
use winterfell::AcceptableOptions;

pub mod bounds;
pub mod segments;
pub mod zk;

/// The proof file format written by `gloam prove`.
pub use gloam_air::proof_file;
/// The instruction set and WebAssembly front end, re-exported so that users of the verifier
/// (the validator node) can compute a module's program hash without depending on more crates.
pub use gloam_isa as isa;

/// Conjectured security of the only accepted parameter set,
/// [`gloam_air::default_options`] (bits).
pub const MIN_CONJECTURED_BITS: u32 = 96;

type Hasher = Blake3_256<Felt>;

/// The public part of a run, as the verifier is asked to accept it.
///
/// Every field is canonical by construction or checked before it becomes a field element:
/// values are typed 32- or 64-bit patterns whose types must equal the entry function's
/// signature, and `cycles` must be below [`gloam_air::MAX_TRACE_LEN`] (and below the proof's
/// trace length), so `cycles + p` (p the Goldilocks modulus) cannot alias `cycles`.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Claim {
    /// Exported entry function.
    pub entry: String,
    /// Arguments, typed as the entry's parameters.
    pub args: Vec<IntValue>,
    /// Results, typed as the entry's results.
    pub results: Vec<IntValue>,
    /// Cycles executed.
    pub cycles: u64,
    /// The public input given to the run (`gloam.read_public`, `gloam_isa::io`): every
    /// byte is bound, though the run may read only a prefix.
    pub public_input: Vec<u8>,
    /// The journal the run committed (`gloam.commit`).
    pub journal: Vec<u8>,
}

impl Claim {
    /// A claim about an entry whose parameters and results are all `i32`.
    pub fn i32(entry: &str, args: &[u32], results: &[u32], cycles: u64) -> Self {
        Claim {
            entry: entry.to_string(),
            args: args.iter().map(|v| IntValue::I32(*v)).collect(),
            results: results.iter().map(|v| IntValue::I32(*v)).collect(),
            cycles,
            public_input: Vec::new(),
            journal: Vec::new(),
        }
    }

    /// The claim's public input and journal.
    pub fn io(&self) -> gloam_isa::PublicIo {
        gloam_isa::PublicIo {
            public_input: self.public_input.clone(),
            journal: self.journal.clone(),
        }
    }
}

/// A verified statement: *program `program_hash`, run from `entry` on `args`, halts after
/// `cycles` cycles returning `results`*.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Statement {
    /// The program's hash.
    pub program_hash: ProgramHash,
    /// The verified claim.
    pub claim: Claim,
    /// Conjectured security of the accepted proof (bits).
    pub conjectured_bits: u32,
    /// Proven security of the accepted proof (bits, list-decoding regime).
    pub proven_bits: u32,
    /// Whether the accepted proof is zero-knowledge ([`zk`]).
    pub zero_knowledge: bool,
    /// Number of segments the run was proven in (1 for a single proof;
    /// `gloam_air::segments`).
    pub segments: usize,
}

/// Why a proof was rejected.
#[derive(Debug, thiserror::Error)]
pub enum VerifyError {
    /// The proof file is malformed.
    #[error(transparent)]
    File(#[from] ProofFileError),
    /// The proof is about another program.
    #[error("the proof is for program {proof}, but the module given is program {module}")]
    WrongProgram {
        /// Hash in the proof file.
        proof: ProgramHash,
        /// Hash of the module given.
        module: ProgramHash,
    },
    /// The program the verifier holds is malformed.
    #[error("invalid program: {0}")]
    Program(String),
    /// The module's setup is outside what a proof covers (imports, a start function, a
    /// segment that traps at instantiation): the honest prover refuses it the same way.
    #[error("module refused: {0}")]
    Setup(#[from] SetupError),
    /// The claim does not fit the program.
    #[error("invalid claim: {0}")]
    Claim(String),
    /// The STARK proof bytes do not decode.
    #[error("malformed STARK proof: {0}")]
    Malformed(String),
    /// The proof's trace shape or options are not Gloam's.
    #[error("proof shape rejected: {0}")]
    Shape(String),
    /// The STARK verifier rejected the proof.
    #[error("proof rejected: {0}")]
    Rejected(String),
    /// `winterfell` panicked (reported, never propagated).
    #[error("proof rejected: verifier internal error on malformed input")]
    Internal,
}

/// Verifies the transparent `winterfell` proof `stark_proof` for `claim` about `program`
/// ([`verify_proof`] for either kind).
///
/// # Errors
/// [`VerifyError`] saying why the proof is not accepted.
pub fn verify(
    program: &Arc<Program>,
    claim: &Claim,
    stark_proof: &[u8],
) -> Result<Statement, VerifyError> {
    verify_proof(program, claim, stark_proof, false)
}

/// Verifies `stark_proof` for `claim` about `program`: a zero-knowledge proof ([`zk`]) if
/// `zero_knowledge`, else a transparent `winterfell` proof. The statement and the checks on
/// it are the same for both; the two protocols seed their transcripts differently, so a
/// proof verifies as one kind only.
///
/// # Errors
/// [`VerifyError`] saying why the proof is not accepted.
pub fn verify_proof(
    program: &Arc<Program>,
    claim: &Claim,
    stark_proof: &[u8],
    zero_knowledge: bool,
) -> Result<Statement, VerifyError> {
    let kind = if zero_knowledge {
        ProofKind::ZeroKnowledge
    } else {
        ProofKind::Transparent
    };
    verify_kind(program, claim, stark_proof, kind)
}

/// What kind of STARK proof a proof file holds.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum ProofKind {
    /// One transparent `winterfell` proof.
    Transparent,
    /// One zero-knowledge proof ([`zk`]).
    ZeroKnowledge,
    /// A run in segments ([`segments`]): each segment's proof uses the zero-knowledge
    /// protocol, the boundary states and running-sum ends are public.
    Segmented,
}

impl ProofKind {
    /// The kind a proof file's flags name.
    pub fn of(zero_knowledge: bool, segmented: bool) -> Self {
        match (zero_knowledge, segmented) {
            (_, true) => ProofKind::Segmented,
            (true, false) => ProofKind::ZeroKnowledge,
            (false, false) => ProofKind::Transparent,
        }
    }
}

/// [`verify_proof`] of a proof of any [`ProofKind`]: a segmented proof (all its segments,
/// linked, as one statement) may claim up to `gloam_air::MAX_SEGMENTED_CYCLES` cycles.
///
/// # Errors
/// As [`verify_proof`].
pub fn verify_kind(
    program: &Arc<Program>,
    claim: &Claim,
    stark_proof: &[u8],
    kind: ProofKind,
) -> Result<Statement, VerifyError> {
    program
        .validate()
        .map_err(|e| VerifyError::Program(e.to_string()))?;
    gloam_isa::check_setup(&program.module)?;
    let max_cycles = match kind {
        ProofKind::Segmented => gloam_air::MAX_SEGMENTED_CYCLES,
        _ => gloam_air::MAX_TRACE_LEN as u64,
    };
    let (args, results) = claim_words_below(program, claim, max_cycles)?;
    // The export, or for a module with a start function its start wrapper: the proof covers
    // the start function's run too.
    let (_, f) = program
        .proof_entry(&claim.entry)
        .ok_or_else(|| VerifyError::Claim(format!("no proof entry for `{}`", claim.entry)))?;
    let pi = PublicInputs::new(
        program.clone(),
        &claim.entry,
        f.entry_pc,
        args,
        results,
        claim.cycles,
    )
    .with_io(claim.io());
    if kind == ProofKind::Segmented {
        let program_hash = pi.program_hash();
        let outcome = catch_unwind(AssertUnwindSafe(|| {
            segments::verify_segmented(pi, stark_proof)
        }));
        return match outcome {
            Ok(Ok((count, conjectured_bits, proven_bits))) => Ok(Statement {
                program_hash,
                claim: claim.clone(),
                conjectured_bits,
                proven_bits,
                // Each segment's proof is randomised, but the boundary states and the
                // segments' running-sum ends are public (`segments`).
                zero_knowledge: false,
                segments: count,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(VerifyError::Internal),
        };
    }
    if kind == ProofKind::ZeroKnowledge {
        let program_hash = pi.program_hash();
        let outcome = catch_unwind(AssertUnwindSafe(|| zk::verify_zk(pi, stark_proof)));
        return match outcome {
            Ok(Ok((conjectured_bits, proven_bits))) => Ok(Statement {
                program_hash,
                claim: claim.clone(),
                conjectured_bits,
                proven_bits,
                zero_knowledge: true,
                segments: 1,
            }),
            Ok(Err(e)) => Err(e),
            Err(_) => Err(VerifyError::Internal),
        };
    }
    let proof = bounds::parse_proof(stark_proof).map_err(VerifyError::Malformed)?;
    validate_shape(proof.trace_info(), &pi, proof.options()).map_err(VerifyError::Shape)?;
    // Only Gloam's parameter set is accepted. Besides fixing the security level, this closes a
    // malleability: winterfell does not bind every option field into Fiat-Shamir (the Merkle
    // partition hash rate is unused with one partition), so a proof with such a field altered
    // would otherwise verify too.
    if proof.options() != &gloam_air::default_options() {
        return Err(VerifyError::Shape("proof options differ from Gloam's parameters (27 queries, blowup 8, grinding 16, quadratic extension, FRI folding 8, remainder < 128)".into()));
    }
    let program_hash = pi.program_hash();
    let outcome = catch_unwind(AssertUnwindSafe(|| {
        let conjectured = proof.conjectured_security::<Hasher>().bits();
        let proven = proof.proven_security::<Hasher>().ldr_bits();
        winterfell::verify::<GloamAir, Hasher, DefaultRandomCoin<Hasher>, MerkleTree<Hasher>>(
            proof,
            pi,
            &AcceptableOptions::OptionSet(vec![gloam_air::default_options()]),
        )
        .map(|()| (conjectured, proven))
    }));
    match outcome {
        Ok(Ok((conjectured_bits, proven_bits))) => Ok(Statement {
            program_hash,
            claim: claim.clone(),
            conjectured_bits,
            proven_bits,
            zero_knowledge: false,
            segments: 1,
        }),
        Ok(Err(e)) => Err(VerifyError::Rejected(e.to_string())),
        Err(_) => Err(VerifyError::Internal),
    }
}

/// Checks `claim` against the program's export and returns the arguments and results as the
/// 32-bit words of the AIR's public inputs ([`gloam_isa::value_words`]: an `i64` as its low,
/// then its high word; the entry function's argument and result slots).
///
/// # Errors
/// [`VerifyError::Claim`]: no such export, values whose number or types differ from the
/// export's signature, or a cycle count at or above [`gloam_air::MAX_TRACE_LEN`] (a
/// non-canonical claim: `cycles + p` would alias `cycles` in the field).
pub fn claim_words(program: &Program, claim: &Claim) -> Result<(Vec<u32>, Vec<u32>), VerifyError> {
    claim_words_below(program, claim, gloam_air::MAX_TRACE_LEN as u64)
}

/// [`claim_words`] with the claimed cycles below `max_cycles` (2^22 for one proof,
/// `gloam_air::MAX_SEGMENTED_CYCLES` for a segmented one).
///
/// # Errors
/// As [`claim_words`].
pub fn claim_words_below(
    program: &Program,
    claim: &Claim,
    max_cycles: u64,
) -> Result<(Vec<u32>, Vec<u32>), VerifyError> {
    let (idx, _) = program
        .export(&claim.entry)
        .ok_or_else(|| VerifyError::Claim(format!("no exported function `{}`", claim.entry)))?;
    let sig = program
        .defined_sig(idx)
        .ok_or_else(|| VerifyError::Program(format!("function {idx} has no type")))?;
    let bad = |e: String| VerifyError::Claim(format!("`{}` ({sig}): {e}", claim.entry));
    gloam_isa::check_types(&claim.args, &sig.params, "argument").map_err(bad)?;
    gloam_isa::check_types(&claim.results, &sig.results, "result").map_err(bad)?;
    claim
        .io()
        .check_for(&program.module)
        .map_err(VerifyError::Claim)?;
    if claim.cycles >= max_cycles {
        return Err(VerifyError::Claim(format!(
            "{} cycles is not below 2^{}, the longest run this kind of proof covers",
            claim.cycles,
            max_cycles.ilog2()
        )));
    }
    Ok((
        gloam_isa::value_words(&claim.args),
        gloam_isa::value_words(&claim.results),
    ))
}

/// Verifies a proof file (as written by `gloam prove`) against `program`.
///
/// # Errors
/// [`VerifyError`]; a file for another program gives [`VerifyError::WrongProgram`].
pub fn verify_file(program: &Arc<Program>, file_bytes: &[u8]) -> Result<Statement, VerifyError> {
    let file = ProofFile::from_bytes(file_bytes)?;
    let module = program.hash();
    if file.program_hash != module.0 {
        return Err(VerifyError::WrongProgram {
            proof: ProgramHash(file.program_hash),
            module,
        });
    }
    let claim = Claim {
        entry: file.entry,
        args: file.args,
        results: file.results,
        cycles: file.cycles,
        public_input: file.public_input,
        journal: file.journal,
    };
    if file.segmented && file.zero_knowledge {
        return Err(VerifyError::Malformed(
            "a segmented proof is not zero-knowledge; the file says it is".into(),
        ));
    }
    verify_kind(
        program,
        &claim,
        &file.stark,
        ProofKind::of(file.zero_knowledge, file.segmented),
    )
}
