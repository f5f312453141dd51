//! Confidential notes, as Dusk's Phoenix model keeps them: a note-commitment tree, a set of
//! spent nullifiers and a window of recent tree roots, all under the state root.
//!
//! The chain names one *note contract* in its genesis file (`examples/transfer`, or any
//! contract with the same journal layout and checks). A proven run of that contract is a
//! transfer; its journal must be, exactly,
//!
//! `root (32) ‖ depth (1) ‖ inputs (1, 1..=2) ‖ nullifiers (32 each) ‖ outputs (1, 1..=2) ‖ commitments (32 each)`
//!
//! and the run applies only if `depth` is the chain's tree depth, `root` is one of the last
//! [`RECENT_ROOTS`] roots of the chain's tree, no nullifier was spent before (or twice in the
//! run), and the tree has room for the commitments; it then spends the nullifiers and appends
//! the commitments, in order, after the existing leaves. The proof shows the rest (membership
//! of the spent notes under `root`, their openings, balance without overflow, nullifiers
//! derived from the owner's secret); the chain never sees amounts, owners or positions.
//!
//! The tree is a SHA-256 Merkle tree of fixed depth, as the contract computes it: a node is
//! `sha256(left ‖ right)`, an empty leaf is 32 zero bytes. Notes enter it at genesis (the
//! genesis file's `notes`, commitments made by the issuer); every later note is the output
//! of a transfer, so the total amount is fixed at genesis.

use std::collections::VecDeque;

use sha2::{Digest as _, Sha256};

use crate::types::Hash32;

/// How many of the latest tree roots a transfer may prove membership against: the root
/// after each of the last 64 tree updates (and genesis), so a transfer proven against a root
/// stays valid while up to 63 other transfers finalize first.
pub const RECENT_ROOTS: usize = 64;

/// Deepest note tree a chain may have (the example contract's limit).
pub const MAX_DEPTH: u8 = 16;

/// A transfer's journal, parsed.
#[derive(Clone, Debug, PartialEq, Eq)]
pub struct Transfer {
    /// The tree root the spent notes were proven members of.
    pub root: Hash32,
    /// The tree depth the proof used.
    pub depth: u8,
    /// Nullifiers of the spent notes.
    pub nullifiers: Vec<Hash32>,
    /// Commitments of the new notes.
    pub commitments: Vec<Hash32>,
}

impl Transfer {
    /// Parses a journal in the note layout (see the module docs).
    ///
    /// # Errors
    /// A description of the first mismatch.
    pub fn parse(journal: &[u8]) -> Result<Self, String> {
        let mut at = 0usize;
        let mut take = |n: usize| -> Result<&[u8], String> {
            let s = journal
                .get(at..at + n)
                .ok_or_else(|| format!("the journal ends at byte {} of the note layout", at))?;
            at += n;
            Ok(s)
        };
        let root: Hash32 = take(32)?.try_into().expect("32 bytes");
        let depth = take(1)?[0];
        let inputs = take(1)?[0] as usize;
        if !(1..=2).contains(&inputs) {
            return Err(format!("{inputs} spent notes (1 or 2 expected)"));
        }
        let mut nullifiers = Vec::new();
        for _ in 0..inputs {
            nullifiers.push(take(32)?.try_into().expect("32 bytes"));
        }
        let outputs = take(1)?[0] as usize;
        if !(1..=2).contains(&outputs) {
            return Err(format!("{outputs} new notes (1 or 2 expected)"));
        }
        let mut commitments = Vec::new();
        for _ in 0..outputs {
            commitments.push(take(32)?.try_into().expect("32 bytes"));
        }
        if at != journal.len() {
            return Err(format!(
                "{} bytes after the note layout",
                journal.len() - at
            ));
        }
        Ok(Transfer {
            root,
            depth,
            nullifiers,
            commitments,
        })
    }
}

/// `sha256(left ‖ right)`.
pub fn node(left: &Hash32, right: &Hash32) -> Hash32 {
    let mut h = Sha256::new();
    h.update(left);
    h.update(right);
    h.finalize().into()
}

/// The root of the depth-`depth` tree whose first leaves are `leaves` (the rest empty).
pub fn tree_root(leaves: &[Hash32], depth: u8) -> Hash32 {
    tree_levels(leaves, depth)
        .last()
        .and_then(|l| l.first().copied())
        .unwrap_or_else(|| empty_root(depth))
}

fn empty_root(depth: u8) -> Hash32 {
    let mut z = [0u8; 32];
    for _ in 0..depth {
        z = node(&z, &z);
    }
    z
}

/// Every level of the tree over `leaves` (leaves first, up to the root), each as long as
/// its non-empty prefix; missing siblings are empty subtrees.
pub fn tree_levels(leaves: &[Hash32], depth: u8) -> Vec<Vec<Hash32>> {
    let mut levels = vec![leaves.to_vec()];
    let mut zero = [0u8; 32];
    for _ in 0..depth {
        let lv = levels.last().expect("one level");
        let next: Vec<Hash32> = lv
            .chunks(2)
            .map(|p| node(&p[0], p.get(1).unwrap_or(&zero)))
            .collect();
        zero = node(&zero, &zero);
        levels.push(next);
    }
    levels
}

/// The Merkle path (siblings, leaf level first) of leaf `index`.
pub fn path(leaves: &[Hash32], depth: u8, index: usize) -> Vec<Hash32> {
    let levels = tree_levels(leaves, depth);
    let mut zero = [0u8; 32];
    let mut out = Vec::with_capacity(depth as usize);
    for (d, lv) in levels.iter().take(depth as usize).enumerate() {
        out.push(*lv.get((index >> d) ^ 1).unwrap_or(&zero));
        zero = node(&zero, &zero);
    }
    out
}

/// The chain's notes: the leaves of the note tree in order and the recent roots (oldest
/// first, the current root last).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Notes {
    /// The note contract, if the chain has one.
    pub contract: Option<Hash32>,
    /// Tree depth (0 when the chain has no note contract).
    pub depth: u8,
    /// Note commitments, in tree order.
    pub commitments: Vec<Hash32>,
    /// The last [`RECENT_ROOTS`] roots, oldest first.
    pub roots: VecDeque<Hash32>,
}

impl Notes {
    /// A tree of `depth` holding `genesis` notes, its root the only recent one.
    pub fn new(contract: Option<Hash32>, depth: u8, genesis: Vec<Hash32>) -> Self {
        let root = tree_root(&genesis, depth);
        Notes {
            contract,
            depth,
            commitments: genesis,
            roots: VecDeque::from([root]),
        }
    }

    /// The current root (of the empty tree of depth 0 for a chain without notes).
    pub fn root(&self) -> Hash32 {
        self.roots
            .back()
            .copied()
            .unwrap_or_else(|| empty_root(self.depth))
    }

    /// Room for `n` more notes.
    pub fn has_room(&self, n: usize) -> bool {
        self.commitments.len() + n <= 1usize << self.depth
    }

    /// Appends commitments; returns the new root and the root that left the window, if any.
    pub fn append(&mut self, commitments: &[Hash32]) -> (Hash32, Option<Hash32>) {
        self.commitments.extend_from_slice(commitments);
        let root = tree_root(&self.commitments, self.depth);
        self.roots.push_back(root);
        let evicted = (self.roots.len() > RECENT_ROOTS)
            .then(|| self.roots.pop_front())
            .flatten();
        (root, evicted)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_tree_matches_the_contract_hashing() {
        // Depth 2 over [a, b, c]: root = H(H(a, b), H(c, 0)).
        let (a, b, c) = ([1u8; 32], [2u8; 32], [3u8; 32]);
        let z = [0u8; 32];
        let want = node(&node(&a, &b), &node(&c, &z));
        assert_eq!(tree_root(&[a, b, c], 2), want);
        assert_eq!(path(&[a, b, c], 2, 2), vec![z, node(&a, &b)]);
        assert_eq!(tree_root(&[], 1), node(&z, &z));
    }

    #[test]
    fn transfer_journals_parse_exactly() {
        let mut j = vec![7u8; 32];
        j.extend([3, 1]);
        j.extend([8u8; 32]);
        j.push(2);
        j.extend([9u8; 64]);
        let t = Transfer::parse(&j).unwrap();
        assert_eq!(
            (t.depth, t.nullifiers.len(), t.commitments.len()),
            (3, 1, 2)
        );
        let mut longer = j.clone();
        longer.push(0);
        assert!(Transfer::parse(&longer).is_err());
        assert!(Transfer::parse(&j[..j.len() - 1]).is_err());
        let mut three = j.clone();
        three[33] = 3;
        assert!(Transfer::parse(&three).is_err());
    }
}
