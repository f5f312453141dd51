//! Stake-weighted leader election for simplex.
//!
//! The leader of round `(epoch, view)` is drawn with probability proportional to stake:
//! `r = u128(first 16 bytes of blake3("gloam-leader-v1" ‖ seed ‖ epoch ‖ view)) mod total`
//! picks the validator whose cumulative-stake interval (in the consensus participant order,
//! which is sorted by public key) contains `r`. The seed is derived from the chain: it is the
//! digest of the genesis block, which commits to the genesis file (validators, stakes, chain
//! id). The modulo bias is below `total / 2^128`.
//!
//! The schedule is fixed when the elector is built ([`Scheduled`] mode), so every honest
//! validator computes the same leader for a round without waiting for a certificate, and
//! consensus may pipeline handoffs.

use commonware_consensus::simplex::elector::{Config, Elector, Scheduled, Terms};
use commonware_consensus::types::{Participant, Round};
use commonware_cryptography::certificate::Scheme;
use commonware_cryptography::ed25519::PublicKey;
use commonware_utils::ordered::Set;

/// Configuration: stakes by validator and the seed.
#[derive(Clone, Debug)]
pub struct StakeWeighted {
    /// Stake of each validator (validators missing here get no leader slots).
    pub stakes: Vec<(PublicKey, u64)>,
    /// Seed (the genesis block's digest).
    pub seed: [u8; 32],
}

/// The built elector: cumulative stakes in participant order.
#[derive(Clone, Debug)]
pub struct StakeElector {
    cumulative: Vec<u128>,
    seed: [u8; 32],
}

impl StakeElector {
    /// Index of the leader of `round`.
    pub fn leader(&self, round: Round) -> usize {
        let total = *self.cumulative.last().expect("at least one participant");
        let mut h = blake3::Hasher::new();
        h.update(b"gloam-leader-v1");
        h.update(&self.seed);
        h.update(&round.epoch().get().to_be_bytes());
        h.update(&round.view().get().to_be_bytes());
        let d = h.finalize();
        let r = u128::from_le_bytes(d.as_bytes()[..16].try_into().unwrap()) % total;
        self.cumulative.partition_point(|&c| c <= r)
    }
}

impl<S: Scheme<PublicKey = PublicKey>> Config<S> for StakeWeighted {
    type Elector = StakeElector;

    fn build(self, participants: &Set<PublicKey>) -> StakeElector {
        assert!(!participants.is_empty(), "no participants");
        let mut acc = 0u128;
        let mut cumulative = Vec::with_capacity(participants.len());
        for pk in participants.iter() {
            let stake = self
                .stakes
                .iter()
                .find(|(k, _)| k == pk)
                .map(|(_, s)| *s)
                .unwrap_or(0);
            acc += stake as u128;
            cumulative.push(acc);
        }
        assert!(acc > 0, "total stake must be positive");
        StakeElector {
            cumulative,
            seed: self.seed,
        }
    }
}

impl<S: Scheme<PublicKey = PublicKey>> Elector<S> for StakeElector {
    type Mode = Scheduled;

    fn terms(&self) -> Terms {
        Terms::rotating()
    }

    fn elect(&self, round: Round, _: ()) -> Participant {
        Participant::from_usize(self.leader(round))
    }
}
