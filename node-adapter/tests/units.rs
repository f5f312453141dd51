//! Unit tests of the node's building blocks (stake-weighted leader election, the state tree
//! and store, transaction encoding and signatures), through the crate's public API. They live
//! here rather than in `src/` so that the test build links the library instead of compiling
//! it a second time as a test harness (about 100 s of CPU at the node's generic-heavy code).

mod elector {
    use commonware_consensus::simplex::elector::Config;
    use commonware_consensus::types::Round;
    use gloam_node::elector::*;

    use commonware_consensus::types::{Epoch, View};
    use commonware_cryptography::ed25519::PublicKey;
    use commonware_cryptography::{ed25519::PrivateKey, Signer};
    use commonware_utils::ordered::Set;

    type S = commonware_consensus::simplex::scheme::ed25519::Scheme;

    #[test]
    fn frequency_follows_stake_and_is_deterministic() {
        let keys: Vec<PublicKey> = (0..4)
            .map(|i| PrivateKey::from_seed(i).public_key())
            .collect();
        let set: Set<PublicKey> = Set::try_from(keys.clone()).unwrap();
        let stakes: Vec<(PublicKey, u64)> = keys.iter().cloned().zip([10u64, 20, 30, 40]).collect();
        let cfg = StakeWeighted {
            stakes,
            seed: [3; 32],
        };
        let e: StakeElector = <StakeWeighted as Config<S>>::build(cfg.clone(), &set);
        let e2: StakeElector = <StakeWeighted as Config<S>>::build(cfg, &set);
        let mut counts = [0u32; 4];
        let n = 20_000;
        for v in 1..=n {
            let round = Round::new(Epoch::zero(), View::new(v));
            let i = e.leader(round);
            assert_eq!(i, e2.leader(round));
            counts[i] += 1;
        }
        // Participant order is sorted by key; map counts back to stakes.
        for (idx, pk) in set.iter().enumerate() {
            let stake = [10u64, 20, 30, 40][keys.iter().position(|k| k == pk).unwrap()];
            let expect = n as f64 * stake as f64 / 100.0;
            let got = counts[idx] as f64;
            assert!(
                (got - expect).abs() < expect * 0.1,
                "participant {idx}: {got} vs {expect}"
            );
        }
    }

    #[test]
    fn zero_stake_never_leads() {
        let keys: Vec<PublicKey> = (0..3)
            .map(|i| PrivateKey::from_seed(i).public_key())
            .collect();
        let set: Set<PublicKey> = Set::try_from(keys.clone()).unwrap();
        let stakes = vec![
            (keys[0].clone(), 5),
            (keys[1].clone(), 0),
            (keys[2].clone(), 5),
        ];
        let e: StakeElector = <StakeWeighted as Config<S>>::build(
            StakeWeighted {
                stakes,
                seed: [0; 32],
            },
            &set,
        );
        let zero = set.iter().position(|k| *k == keys[1]).unwrap();
        for v in 1..2000 {
            assert_ne!(e.leader(Round::new(Epoch::zero(), View::new(v))), zero);
        }
    }
}

mod notes {
    use bytes::Bytes;
    use commonware_cryptography::blake3::Digest;
    use gloam_node::notes::{tree_root, RECENT_ROOTS};
    use gloam_node::state::*;
    use gloam_node::types::{Block, Hash32, RunTx, Tx};

    const CONTRACT: Hash32 = [0xC7; 32];

    fn params() -> Params {
        Params {
            note_contract: Some(CONTRACT),
            note_depth: 3,
            ..Params::default()
        }
    }

    fn genesis() -> Leaves {
        let mut l = Leaves::default();
        l.init_notes(CONTRACT, 3, vec![[1; 32], [2; 32]]);
        l
    }

    /// A run of `program` whose journal is a transfer against `root`.
    fn transfer(program: Hash32, root: Hash32, depth: u8, nfs: &[Hash32], cms: &[Hash32]) -> Tx {
        let mut j = root.to_vec();
        j.push(depth);
        j.push(nfs.len() as u8);
        nfs.iter().for_each(|n| j.extend_from_slice(n));
        j.push(cms.len() as u8);
        cms.iter().for_each(|c| j.extend_from_slice(c));
        Tx::Run(RunTx {
            program_hash: program,
            entry: "transfer".into(),
            args: vec![],
            results: vec![],
            cycles: nfs[0][0] as u64 * 1000 + cms[0][0] as u64,
            public_input: Bytes::from(j[..33].to_vec()),
            journal: Bytes::from(j),
            zero_knowledge: true,
            segmented: false,
            stark: Bytes::from(vec![0u8; 8]),
        })
    }

    fn deployed(mut l: Leaves) -> Leaves {
        l.insert(contract_key(&CONTRACT), [0; 32]);
        l.insert(contract_key(&[0xAA; 32]), [0; 32]);
        l
    }

    #[test]
    fn transfers_spend_nullifiers_and_append_notes_under_a_recent_root() {
        let p = params();
        let mut l = deployed(genesis());
        let root0 = l.notes().root();
        assert_eq!(root0, tree_root(&[[1; 32], [2; 32]], 3));
        let t1 = transfer(CONTRACT, root0, 3, &[[0x10; 32]], &[[3; 32], [4; 32]]);
        let e = effect(&l, &t1, None, &p).expect("applies");
        let before = l.root();
        l.apply(&e);
        assert_ne!(l.root(), before, "the state root covers the notes");
        assert_eq!(l.notes().commitments.len(), 4);
        assert!(l.is_spent(&[0x10; 32]));
        assert_eq!(l.spent_by(&[0x10; 32]), Some(t1.id().0));
        let root1 = l.notes().root();
        assert_eq!(root1, tree_root(&[[1; 32], [2; 32], [3; 32], [4; 32]], 3));
        // Against the older root, still recent: applies.
        let t2 = transfer(CONTRACT, root0, 3, &[[0x11; 32]], &[[5; 32]]);
        assert!(effect(&l, &t2, None, &p).is_ok());
        // The same nullifier again: a double spend.
        let again = transfer(CONTRACT, root1, 3, &[[0x10; 32]], &[[6; 32]]);
        assert!(matches!(
            effect(&l, &again, None, &p),
            Err(Conflict::NullifierSpent(_))
        ));
        // Twice in one transfer.
        let twice = transfer(CONTRACT, root1, 3, &[[0x12; 32], [0x12; 32]], &[[6; 32]]);
        assert!(matches!(
            effect(&l, &twice, None, &p),
            Err(Conflict::NullifierSpent(_))
        ));
        // A root the chain never had, another depth, a bad layout.
        let forged = transfer(CONTRACT, [9; 32], 3, &[[0x13; 32]], &[[6; 32]]);
        assert!(matches!(
            effect(&l, &forged, None, &p),
            Err(Conflict::UnknownRoot(_))
        ));
        let deep = transfer(CONTRACT, root1, 4, &[[0x13; 32]], &[[6; 32]]);
        assert!(matches!(
            effect(&l, &deep, None, &p),
            Err(Conflict::NoteDepth { .. })
        ));
        let Tx::Run(mut bad) = transfer(CONTRACT, root1, 3, &[[0x13; 32]], &[[6; 32]]) else {
            unreachable!()
        };
        let mut j = bad.journal.to_vec();
        j.push(0);
        bad.journal = Bytes::from(j);
        assert!(matches!(
            effect(&l, &Tx::Run(bad), None, &p),
            Err(Conflict::NoteLayout(_))
        ));
        // An empty-leaf commitment, a transparent proof, another entry: refused.
        let empty = transfer(CONTRACT, root1, 3, &[[0x14; 32]], &[[0; 32]]);
        assert!(matches!(
            effect(&l, &empty, None, &p),
            Err(Conflict::NoteLayout(_))
        ));
        let Tx::Run(mut plain) = transfer(CONTRACT, root1, 3, &[[0x14; 32]], &[[6; 32]]) else {
            unreachable!()
        };
        plain.zero_knowledge = false;
        let r = effect(&l, &Tx::Run(plain.clone()), None, &p);
        assert!(matches!(r, Err(Conflict::NoteNotZeroKnowledge)));
        plain.zero_knowledge = true;
        plain.entry = "mint".into();
        assert!(matches!(
            effect(&l, &Tx::Run(plain), None, &p),
            Err(Conflict::NoteLayout(_))
        ));
        // Another contract's run with the same journal touches no note.
        let other = transfer([0xAA; 32], root1, 3, &[[0x10; 32]], &[[7; 32]]);
        let e = effect(&l, &other, None, &p).expect("an ordinary run");
        assert!(e.transfer.is_none());
    }

    #[test]
    fn the_tree_fills_and_old_roots_leave_the_window() {
        let p = params();
        let mut l = deployed(genesis());
        let root0 = l.notes().root();
        // Depth 3: 8 notes; genesis has 2, so six more fit.
        for i in 0..6u8 {
            let t = transfer(
                CONTRACT,
                l.notes().root(),
                3,
                &[[0x20 + i; 32]],
                &[[0x30 + i; 32]],
            );
            let e = effect(&l, &t, None, &p).unwrap();
            l.apply(&e);
        }
        let full = transfer(CONTRACT, l.notes().root(), 3, &[[0x40; 32]], &[[0x41; 32]]);
        assert!(matches!(
            effect(&l, &full, None, &p),
            Err(Conflict::NoteTreeFull)
        ));
        assert!(l.notes().roots.contains(&root0));
        // A deep tree, RECENT_ROOTS transfers: the genesis root leaves the window.
        let p = Params {
            note_depth: 8,
            ..params()
        };
        let mut l = Leaves::default();
        l.init_notes(CONTRACT, 8, vec![[1; 32]]);
        let mut l = deployed(l);
        let root0 = l.notes().root();
        for i in 0..RECENT_ROOTS {
            let t = transfer(
                CONTRACT,
                l.notes().root(),
                8,
                &[[i as u8; 32]],
                &[[i as u8 ^ 0x80; 32]],
            );
            let e = effect(&l, &t, None, &p).unwrap();
            l.apply(&e);
        }
        assert_eq!(l.notes().roots.len(), RECENT_ROOTS);
        let late = transfer(CONTRACT, root0, 8, &[[0xF0; 32]], &[[0xF1; 32]]);
        assert!(matches!(
            effect(&l, &late, None, &p),
            Err(Conflict::UnknownRoot(_))
        ));
        assert!(
            !l.contains(&root_key(&root0)),
            "an evicted root leaves the state map"
        );
    }

    #[test]
    fn notes_survive_a_restart() {
        let p = params();
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let genesis_digest = Digest([0; 32]);
        let g = deployed(genesis());
        let tip = store.tip(genesis_digest, &g).unwrap();
        let mut leaves = tip.leaves.clone();
        let tx = transfer(
            CONTRACT,
            leaves.notes().root(),
            3,
            &[[0x50; 32]],
            &[[0x51; 32]],
        );
        let e = effect(&leaves, &tx, None, &p).unwrap();
        leaves.apply(&e);
        let block = Block::new(
            genesis_digest,
            commonware_consensus::types::Height::new(1),
            1,
            leaves.root(),
            vec![tx],
        );
        assert!(store.apply(&block, &[None], &tip, &leaves, None).unwrap());
        let reloaded = store.tip(genesis_digest, &g).unwrap();
        assert_eq!(reloaded.leaves.root(), leaves.root());
        assert_eq!(reloaded.leaves.notes(), leaves.notes());
        assert!(reloaded.leaves.is_spent(&[0x50; 32]));
    }

    /// After more transfers than the root window holds (the genesis root evicted), a
    /// restarted store gives the same state, root included.
    #[test]
    fn notes_survive_a_restart_after_eviction() {
        let p = Params {
            note_depth: 8,
            ..params()
        };
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let digest = Digest([0; 32]);
        let mut g = Leaves::default();
        g.init_notes(CONTRACT, 8, vec![[1; 32]]);
        let g = deployed(g);
        let mut tip = store.tip(digest, &g).unwrap();
        for h in 1..=(RECENT_ROOTS as u64 + 3) {
            let mut leaves = tip.leaves.clone();
            let i = h as u8;
            let tx = transfer(
                CONTRACT,
                leaves.notes().root(),
                8,
                &[[i; 32]],
                &[[i ^ 0x80; 32]],
            );
            let e = effect(&leaves, &tx, None, &p).unwrap();
            leaves.apply(&e);
            let block = Block::new(
                tip.digest,
                commonware_consensus::types::Height::new(h),
                h,
                leaves.root(),
                vec![tx],
            );
            assert!(store.apply(&block, &[None], &tip, &leaves, None).unwrap());
            tip = store.tip(digest, &g).unwrap();
            assert_eq!(tip.leaves, leaves, "height {h}");
        }
        assert_eq!(tip.leaves.notes().roots.len(), RECENT_ROOTS);
    }
}

mod state {
    use gloam_node::state::*;

    use commonware_cryptography::blake3::Digest;

    use gloam_node::types::{key_bytes, Block, Hash32, Tx};

    #[test]
    fn root_depends_on_every_entry() {
        let mut a = Leaves::default();
        let empty = a.root();
        a.insert(contract_key(&[1; 32]), [9; 32]);
        let one = a.root();
        assert_ne!(empty, one);
        let mut b = a.clone();
        b.insert(run_key(&[2; 32]), [3; 32]);
        assert_ne!(b.root(), one);
        assert_eq!(a.root(), one, "clone-on-write leaves the original alone");
        let mut c = a.clone();
        c.insert(run_key(&[2; 32]), [4; 32]);
        assert_ne!(c.root(), b.root());
    }

    #[test]
    fn store_applies_once_and_reloads() {
        let dir = tempfile::tempdir().unwrap();
        let store = Store::open(&dir.path().join("s.redb")).unwrap();
        let genesis = Digest([0; 32]);
        let tip = store.tip(genesis, &Leaves::default()).unwrap();
        assert_eq!(tip.height, 0);
        let module = bytes::Bytes::from_static(b"module");
        let tx = Tx::Deploy { module };
        let mut leaves = tip.leaves.clone();
        let p = Params::default();
        let e = effect(&leaves, &tx, Some([5; 32]), &p).unwrap();
        leaves.apply(&e);
        let block = Block::new(
            genesis,
            commonware_consensus::types::Height::new(1),
            1,
            leaves.root(),
            vec![tx.clone()],
        );
        assert!(store
            .apply(&block, &[Some([5; 32])], &tip, &leaves, None)
            .unwrap());
        let tip2 = store.tip(genesis, &Leaves::default()).unwrap();
        assert_eq!(tip2.height, 1);
        assert_eq!(tip2.leaves.root(), block.state_root);
        assert_eq!(tip2.finalized_txs, 1);
        assert!(!store
            .apply(&block, &[Some([5; 32])], &tip2, &leaves, None)
            .unwrap());
        assert_eq!(
            store.tx_location(&tx.id()).unwrap(),
            Some(TxLocation {
                height: 1,
                index: 0
            })
        );
        assert_eq!(store.block(1).unwrap().unwrap(), block);
        assert!(matches!(
            effect(&tip2.leaves, &tx, Some([5; 32]), &p),
            Err(Conflict::AlreadyDeployed(_))
        ));
    }

    fn stake(key: &commonware_cryptography::ed25519::PrivateKey, bond: u64, nonce: u64) -> Tx {
        Tx::Stake(gloam_node::types::StakeTx::sign(
            key, &[1; 32], bond, "", nonce,
        ))
    }

    fn pk(key: &commonware_cryptography::ed25519::PrivateKey) -> Hash32 {
        use commonware_cryptography::Signer;
        key_bytes(&key.public_key())
    }

    #[test]
    fn stake_rules_and_validator_set() {
        use commonware_cryptography::{ed25519::PrivateKey, Signer};
        let a = PrivateKey::from_seed(1);
        let b = PrivateKey::from_seed(2);
        let c = PrivateKey::from_seed(3);
        let p = Params {
            epoch_length: 10,
            min_stake: 10,
            max_validators: 2,
            ..Params::default()
        };
        let mut l = Leaves::default();
        let acct = |balance, bonded| Account {
            balance,
            bonded,
            nonce: 0,
            address: "x:1".into(),
        };
        l.set_account(pk(&a), acct(0, 50));
        l.set_account(pk(&b), acct(100, 0));
        let root0 = l.root();
        assert_eq!(l.validator_set(&p).len(), 1);

        // b bonds 60 of its 100: balance 40, nonce 1, new root.
        let e = effect(&l, &stake(&b, 60, 0), None, &p).unwrap();
        let mut l2 = l.clone();
        l2.apply(&e);
        assert_ne!(l2.root(), root0);
        assert_eq!(
            l2.account(&pk(&b)),
            Some(&Account {
                balance: 40,
                bonded: 60,
                nonce: 1,
                address: "x:1".into()
            })
        );
        let set = l2.validator_set(&p);
        assert_eq!(set.len(), 2);
        assert!(set.windows(2).all(|w| w[0].key < w[1].key));
        // Replay, wrong nonce, too much, below the minimum, unknown key.
        assert!(matches!(
            effect(&l2, &stake(&b, 60, 0), None, &p),
            Err(Conflict::Nonce {
                expected: 1,
                got: 0
            })
        ));
        assert!(matches!(
            effect(&l2, &stake(&b, 101, 1), None, &p),
            Err(Conflict::Insufficient { .. })
        ));
        assert!(matches!(
            effect(&l2, &stake(&b, 5, 1), None, &p),
            Err(Conflict::BelowMinimum(5, 10))
        ));
        assert!(matches!(
            effect(&l2, &stake(&c, 5, 0), None, &p),
            Err(Conflict::NoAccount(_))
        ));
        // a may leave while b remains; the last validator may not.
        let e = effect(&l2, &stake(&a, 0, 0), None, &p).unwrap();
        let mut l3 = l2.clone();
        l3.apply(&e);
        assert_eq!(l3.account(&pk(&a)).unwrap().balance, 50);
        assert_eq!(l3.validator_set(&p).len(), 1);
        assert!(matches!(
            effect(&l3, &stake(&b, 0, 1), None, &p),
            Err(Conflict::LastValidator)
        ));
        // max_validators keeps the largest bonds.
        let mut l4 = l2.clone();
        l4.set_account(pk(&c), acct(0, 55));
        let set = l4.validator_set(&p);
        let keys: Vec<Hash32> = set.iter().map(|m| m.key).collect();
        assert_eq!(set.len(), 2);
        assert!(keys.contains(&pk(&b)) && keys.contains(&pk(&c)));
        let _ = a.public_key();
    }
}

mod types {
    use bytes::Bytes;
    use commonware_codec::EncodeSize;
    use commonware_consensus::types::Height;
    use gloam_node::types::*;

    use commonware_cryptography::blake3::Digest;
    use commonware_cryptography::ed25519::PrivateKey;
    use commonware_cryptography::{Digestible, Signer};
    use gloam_verifier::isa::IntValue;

    fn run() -> Tx {
        Tx::Run(RunTx {
            program_hash: [7; 32],
            entry: "main".into(),
            args: vec![IntValue::I32(1), IntValue::I64(u64::MAX)],
            results: vec![IntValue::I32(3)],
            cycles: 99,
            public_input: Bytes::from(vec![1u8, 2]),
            journal: Bytes::from(vec![3u8]),
            zero_knowledge: true,
            segmented: false,
            stark: Bytes::from(vec![5u8; 300]),
        })
    }

    #[test]
    fn stake_signature_binds_every_field_and_the_chain() {
        let key = PrivateKey::from_seed(7);
        let chain = [3u8; 32];
        let st = StakeTx::sign(&key, &chain, 500, "127.0.0.1:9000", 2);
        assert!(st.verify(&chain));
        assert!(!st.verify(&[4u8; 32]), "another chain");
        let mut t = st.clone();
        t.bond = 501;
        assert!(!t.verify(&chain));
        let mut t = st.clone();
        t.nonce = 3;
        assert!(!t.verify(&chain));
        let mut t = st.clone();
        t.address = "127.0.0.1:9001".into();
        assert!(!t.verify(&chain));
        let mut t = st.clone();
        t.public_key = PrivateKey::from_seed(8).public_key();
        assert!(!t.verify(&chain));
    }

    #[test]
    fn tx_roundtrip_and_canonical() {
        for tx in [
            Tx::Stake(StakeTx::sign(
                &PrivateKey::from_seed(1),
                &[0; 32],
                10,
                "10.0.0.1:1",
                0,
            )),
            run(),
            Tx::Deploy {
                module: Bytes::from_static(b"\0asm\x01\0\0\0"),
            },
        ] {
            let b = tx.to_bytes();
            assert_eq!(b.len(), tx.encode_size());
            assert_eq!(Tx::from_bytes(&b).unwrap(), tx);
            let mut t = b.clone();
            t.push(0);
            assert!(Tx::from_bytes(&t).unwrap_err().contains("trailing"));
            assert!(Tx::from_bytes(&b[..b.len() - 1]).is_err());
            let mut v = b.clone();
            v[0] = VERSION + 1;
            assert!(Tx::from_bytes(&v).unwrap_err().contains("version"));
        }
    }

    #[test]
    fn oversize_fields_refused() {
        let mut r = match run() {
            Tx::Run(r) => r,
            _ => unreachable!(),
        };
        r.args = vec![IntValue::I32(0); MAX_WORDS + 1];
        assert!(Tx::from_bytes(&Tx::Run(r).to_bytes()).is_err());
        let big = vec![0u8; MAX_TX_BYTES + 1];
        assert!(Tx::from_bytes(&big).unwrap_err().contains("limit"));
    }

    #[test]
    fn block_roundtrip_and_digest_commits_to_txs() {
        let b = Block::new(Digest([1; 32]), Height::new(5), 1000, [2; 32], vec![run()]);
        let back = Block::from_bytes(&b.to_bytes()).unwrap();
        assert_eq!(back, b);
        assert_eq!(back.digest(), b.digest());
        let other = Block::new(Digest([1; 32]), Height::new(5), 1000, [2; 32], vec![]);
        assert_ne!(other.digest(), b.digest());
    }

    #[test]
    fn merkle_root_domain_separated() {
        let a = [1u8; 32];
        let b = [2u8; 32];
        assert_ne!(merkle_root(&[a, b]), merkle_root(&[b, a]));
        assert_ne!(merkle_root(&[a]), merkle_root(&[a, a]));
        assert_ne!(merkle_root(&[a]), a, "a leaf is not its item");
        assert_ne!(merkle_root(&[]), merkle_root(&[[0; 32]]));
    }

    /// The attack found in review: with leaves equal to the ids, the 65-byte inner-node
    /// preimage `0x01 ‖ L ‖ R` decodes as a deploy (version 1, kind 0, length 0x3e = 62) when
    /// L starts with `00 3e`, so a block [X, Y] and a block holding that single deploy shared
    /// a transaction root. Build exactly that deploy from two ids and check the roots differ.
    #[test]
    fn tx_root_resists_inner_node_forgery() {
        let mut l = [7u8; 32];
        l[0] = 0x00;
        l[1] = 0x3e;
        let r = [9u8; 32];
        let mut module = Vec::new();
        module.extend_from_slice(&l[2..]);
        module.extend_from_slice(&r);
        let forged = Tx::Deploy {
            module: Bytes::from(module),
        };
        // The attack used version 1 (equal to the inner-node tag 0x01); the same forgery
        // with today's version byte must not collide either.
        let mut pre = vec![VERSION];
        pre.extend_from_slice(&l);
        pre.extend_from_slice(&r);
        assert_eq!(
            forged.to_bytes(),
            pre,
            "the preimage is a valid transaction encoding"
        );
        assert_ne!(merkle_root(&[forged.id().0]), merkle_root(&[l, r]));
        // And the header commits to the count as well.
        let a = Block::new(Digest([1; 32]), Height::new(1), 1, [0; 32], vec![]);
        let b = Block::new(Digest([1; 32]), Height::new(1), 1, [0; 32], vec![forged]);
        assert_ne!(a.digest(), b.digest());
    }
}
