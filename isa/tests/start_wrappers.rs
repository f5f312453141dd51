//! The start wrappers of a module with a start function (`Program::start_entries`,
//! `Program::proof_entry`) and the structural checks `Program::validate` makes of them and of
//! global-word accesses.

use gloam_isa::{load_module, Op, Program, ProgramError};

fn load(wat: &str) -> Program {
    load_module(wat.as_bytes()).expect("valid module")
}

const WITH_START: &str = r#"(module (memory 1)
  (global $g (mut i32) (i32.const 0))
  (func $init (global.set $g (i32.const 41)))
  (start $init)
  (func (export "get") (result i32) (i32.add (global.get $g) (i32.const 1)))
  (func (export "add64") (param i64 i64) (result i64) (i64.add (local.get 0) (local.get 1))))"#;

#[test]
fn one_wrapper_per_export_and_proof_entries_use_them() {
    let p = load(WITH_START);
    assert_eq!(p.start_entries.len(), p.exports.len());
    for ((name, idx), (wname, widx)) in p.exports.iter().zip(&p.start_entries) {
        assert_eq!(name, wname);
        let (pidx, pf) = p.proof_entry(name).unwrap();
        assert_eq!(pidx, *widx);
        assert_ne!(
            pidx, *idx,
            "{name}: the proof covers the wrapper, not the export"
        );
        let f = &p.functions[*idx as usize];
        assert_eq!(
            (pf.param_slots, pf.result_slots),
            (f.param_slots, f.result_slots)
        );
        // The wrapper's code calls the start function, then the export.
        let calls: Vec<u32> = p.instrs[pf.entry_pc as usize..]
            .iter()
            .take_while(|i| i.op != Op::Ret)
            .filter(|i| i.op == Op::Call)
            .map(|i| i.imm)
            .collect();
        assert_eq!(calls, vec![p.functions[0].entry_pc, f.entry_pc], "{name}");
    }
    assert!(p.proof_entry("missing").is_none());
    // Without a start function, the proof entry is the export and there are no wrappers.
    let q = load(r#"(module (func (export "f") (result i32) (i32.const 1)))"#);
    assert!(q.start_entries.is_empty());
    assert_eq!(q.proof_entry("f").map(|e| e.0), q.export("f").map(|e| e.0));
}

#[test]
fn wrappers_are_part_of_the_program_hash_and_checked() {
    let p = load(WITH_START);
    assert_eq!(p.validate(), Ok(()));
    // Another wrapper table is another program.
    let mut swapped = p.clone();
    swapped.start_entries.swap(0, 1);
    assert_ne!(swapped.hash(), p.hash());
    assert_eq!(swapped.validate(), Err(ProgramError::BadStartEntries));
    // Wrappers without a start function, or none with one, are refused.
    let mut no_start = p.clone();
    no_start.module.start = None;
    assert_eq!(no_start.validate(), Err(ProgramError::BadStartEntries));
    let mut unwrapped = p.clone();
    unwrapped.start_entries.clear();
    assert_eq!(unwrapped.validate(), Err(ProgramError::BadStartEntries));
    // A wrapper entry pointing at the export itself (skipping the start function).
    let mut skipping = p.clone();
    skipping.start_entries[0].1 = skipping.exports[0].1;
    assert_eq!(skipping.validate(), Err(ProgramError::BadStartEntries));
}

#[test]
fn global_words_outside_the_module_state_are_refused() {
    let p = load(WITH_START);
    let words = gloam_isa::image::global_words(&p);
    let size_word = gloam_isa::image::memory_size_word(&p.module);
    let pc = p
        .instrs
        .iter()
        .position(|i| i.op == Op::GlobalSet)
        .expect("the start function sets $g");
    for (w, ok) in [
        (0, true),
        (size_word, true),
        (size_word + 1, false),
        (words, false),
    ] {
        let mut q = p.clone();
        q.instrs[pc].imm = w;
        assert_eq!(q.validate().is_ok(), ok, "global.set of word {w}");
    }
    let pc = p.instrs.iter().position(|i| i.op == Op::GlobalGet).unwrap();
    let mut q = p.clone();
    q.instrs[pc].imm = words;
    assert!(q.validate().is_err(), "global.get past the global words");
}
