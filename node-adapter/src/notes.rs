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

/// The right edge of an append-only tree: per level, the last left node whose right
/// sibling is not filled yet, so that appending a leaf or computing the root costs `depth`
/// hashes (the incremental Merkle tree of Ethereum's deposit contract).
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Frontier {
    depth: u8,
    count: usize,
    left: Vec<Hash32>,
    zeros: Vec<Hash32>,
    /// The root once the tree is full (the carry out of the last level).
    full: Hash32,
}

impl Frontier {
    /// The frontier of a depth-`depth` tree holding `leaves`.
    pub fn new(depth: u8, leaves: &[Hash32]) -> Self {
        let mut zeros = vec![[0u8; 32]];
        for d in 0..depth as usize {
            let z = zeros[d];
            zeros.push(node(&z, &z));
        }
        let mut f = Frontier {
            depth,
            count: 0,
            left: vec![[0u8; 32]; depth as usize],
            zeros,
            full: [0u8; 32],
        };
        for l in leaves {
            f.push(*l);
        }
        f
    }

    /// Appends a leaf (the caller checks there is room).
    pub fn push(&mut self, leaf: Hash32) {
        let mut idx = self.count;
        let mut h = leaf;
        self.count += 1;
        for d in 0..self.depth as usize {
            if idx & 1 == 0 {
                self.left[d] = h;
                return;
            }
            h = node(&self.left[d], &h);
            idx >>= 1;
        }
        // Every level carried: the tree is full and `h` is its root.
        self.full = h;
    }

    /// The root: `depth` hashes.
    pub fn root(&self) -> Hash32 {
        if self.count == 1usize << self.depth {
            return self.full;
        }
        let mut h = self.zeros[0];
        let mut idx = self.count;
        // Walk up from the first empty leaf: at each level, combine with the stored left node
        // when the position is a right child, else with the empty subtree on the right.
        for d in 0..self.depth as usize {
            h = if idx & 1 == 1 {
                node(&self.left[d], &h)
            } else {
                node(&h, &self.zeros[d])
            };
            idx >>= 1;
        }
        h
    }
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
    /// The tree's right edge (derived from `commitments`).
    frontier: Frontier,
}

impl Notes {
    /// A tree of `depth` holding `genesis` notes, its root the only recent one.
    pub fn new(contract: Option<Hash32>, depth: u8, genesis: Vec<Hash32>) -> Self {
        let frontier = Frontier::new(depth, &genesis);
        Notes {
            contract,
            depth,
            commitments: genesis,
            roots: VecDeque::from([frontier.root()]),
            frontier,
        }
    }

    /// Replaces the leaves after the first `keep` with `appended` and the window with
    /// `roots` (restoring from the store).
    pub fn restore(&mut self, appended: &[Hash32], roots: &[Hash32]) {
        self.commitments.extend_from_slice(appended);
        self.frontier = Frontier::new(self.depth, &self.commitments);
        self.roots = roots.iter().copied().collect();
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
        for c in commitments {
            self.frontier.push(*c);
        }
        let root = self.frontier.root();
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
    fn the_frontier_gives_the_full_tree_root() {
        let leaves: Vec<Hash32> = (0..13u8).map(|i| [i + 1; 32]).collect();
        for depth in [4u8, 5] {
            let mut f = Frontier::new(depth, &[]);
            assert_eq!(f.root(), tree_root(&[], depth));
            for (i, l) in leaves.iter().enumerate() {
                f.push(*l);
                assert_eq!(f.root(), tree_root(&leaves[..=i], depth), "{i} leaves");
            }
        }
        let full: Vec<Hash32> = (0..8u8).map(|i| [i + 1; 32]).collect();
        assert_eq!(Frontier::new(3, &full).root(), tree_root(&full, 3));
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
