//! The compact decision document (`lagrum.decision.v2`) against the decision it renders:
//! on generated requests over the whole vocabulary, every provision considered is in the
//! proof exactly once, with its result; everything the outcome rests on has its details;
//! the document reads back as it was written; and it is a fraction of `lagrum.decision.v1`.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

mod support;

use lagrum_engine::Engine;
use lagrum_engine::render::compact::{CompactDoc, Sentences};
use std::collections::BTreeMap;
use support::{Rng, Vocabulary};

fn engine() -> Engine {
    Engine::from_files(lagrum_rulesets::FILES).unwrap_or_else(|e| panic!("{}", e.render()))
}

/// Per item: each provision named in the proof, with how many times and its result.
fn proof_names(doc: &CompactDoc, item: usize) -> BTreeMap<String, Vec<String>> {
    let mut names: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for step in &doc.items[item].proof {
        let result = serde_json::to_string(&step.result).expect("result");
        for p in &step.p {
            names.entry(p.to_string()).or_default().push(result.clone());
        }
    }
    names
}

#[test]
fn every_provision_considered_is_in_the_compact_proof_once() {
    let engine = engine();
    let vocabulary = Vocabulary::of(&engine);
    let mut rng = Rng::new(0xc0_4ac7);
    let (mut items, mut merged, mut v1_bytes, mut v2_bytes) = (0usize, 0usize, 0usize, 0usize);
    for _ in 0..2_000 {
        let request = vocabulary.request(&mut rng).to_string();
        let case = engine.parse_request(&request).expect("a generated request is valid");
        let decision = engine.decide(&case);
        let doc = engine.compact(&case, &decision, Sentences::No);
        let full = engine.document(&case, &decision);
        assert_eq!(
            serde_json::to_value(doc.outcome).ok(),
            serde_json::to_value(full.outcome).ok()
        );
        for (i, (d, v1)) in decision.items.iter().zip(&full.items).enumerate() {
            items += 1;
            let names = proof_names(&doc, i);
            // v1 lists each route as a step of its own: the same provisions, the same results.
            let mut expected: BTreeMap<String, Vec<String>> = BTreeMap::new();
            for s in v1.proof.steps.iter().filter(|s| {
                !matches!(
                    serde_json::to_string(&s.role).as_deref(),
                    Ok("\"secrecy\"" | "\"data_protection\"")
                )
            }) {
                let result = serde_json::to_string(&s.result).expect("result");
                expected.entry(s.provision.id.to_string()).or_default().push(result);
            }
            assert_eq!(names, expected, "the proof differs from v1 for\n{request}");
            assert_eq!(names.len(), d.routes.len(), "a route is missing or twice\n{request}");
            merged += doc.items[i].proof.iter().filter(|s| s.p.len() > 1).count();
            // Secrecy: every finding, once.
            let secrecy: usize = doc.items[i].secrecy.iter().map(|s| s.p.len()).sum();
            assert_eq!(secrecy, d.secrecy.len(), "{request}");
            // What the outcome rests on has its details in the table.
            for b in &doc.items[i].basis {
                assert!(
                    doc.provisions.contains_key(&b.p),
                    "basis {} has no details\n{request}",
                    b.p
                );
            }
            for s in doc.items[i].proof.iter().filter(|s| s.in_basis || s.outcome.is_some()) {
                for p in &s.p {
                    assert!(
                        doc.provisions.contains_key(p),
                        "{p} applied but has no details\n{request}"
                    );
                }
            }
        }
        // It reads back as written.
        let text = serde_json::to_string(&doc).expect("serialise");
        let back: CompactDoc = serde_json::from_str(&text).expect("read back");
        assert_eq!(back, doc);
        v2_bytes += text.len();
        v1_bytes += serde_json::to_string(&full).expect("serialise").len();
    }
    assert!(items >= 2_000, "{items}");
    assert!(
        merged > items,
        "steps were rarely merged: {merged} merged steps in {items} items"
    );
    assert!(
        v2_bytes * 10 < v1_bytes,
        "v2 is not a tenth of v1: {v2_bytes} bytes against {v1_bytes}"
    );
}

#[test]
fn sentences_come_on_request_one_step_per_provision() {
    let engine = engine();
    let request = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/requests/luffa-skv-till-fk.json"
    ))
    .expect("example");
    let case = engine.parse_request(&request).expect("valid");
    let decision = engine.decide(&case);
    let terse = engine.compact(&case, &decision, Sentences::No);
    let said = engine.compact(&case, &decision, Sentences::Yes);
    assert!(terse.items[0].proof.iter().all(|s| s.text.is_none()));
    assert!(said.items[0].proof.iter().all(|s| s.p.len() == 1 && s.text.is_some()));
    assert_eq!(said.items[0].proof.len(), decision.items[0].routes.len());
    let luffa = said.items[0]
        .proof
        .iter()
        .find(|s| s.in_basis)
        .expect("a step in the basis");
    assert_eq!(&*luffa.p[0], "luffa_2");
    assert!(luffa.checks.iter().all(|c| c.text.is_some()));
    // For people, every check that was tried, also of a provision that fell away.
    for (step, route) in said.items[0].proof.iter().zip(&decision.items[0].routes) {
        assert_eq!(step.checks.len(), decision.checks_of(route).count(), "{:?}", step.p);
    }
    let kept =
        |d: &lagrum_engine::render::compact::CompactDoc| d.items[0].proof.iter().map(|s| s.checks.len()).sum::<usize>();
    assert!(
        kept(&said) > kept(&terse),
        "the terse document keeps only the deciding checks"
    );
}

#[test]
fn the_compact_document_of_an_example() {
    let engine = engine();
    let request = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/../examples/requests/luffa-skv-till-fk.json"
    ))
    .expect("example");
    let case = engine.parse_request(&request).expect("valid");
    let decision = engine.decide(&case);
    let mut doc = engine.compact(&case, &decision, Sentences::No);
    // The hash changes with every ruleset edit; keep it out of the snapshot.
    doc.ruleset.hash = "sha256:…".into();
    insta::assert_json_snapshot!(doc);
}

/// A condition on the item's secrecy (`sekretess i { … }`) is judged on the secrecy that
/// protects the item as decided, and the proof shows that secrecy, not `null` (which
/// means a missing fact): on generated requests, every such read lists exactly the ids
/// of the item's protecting secrecy findings.
#[test]
fn a_check_on_secrecy_shows_the_secrecy_it_was_judged_on() {
    let engine = engine();
    let vocabulary = Vocabulary::of(&engine);
    let mut rng = Rng::new(0x5ec_4e7);
    let (mut reads, mut secret_reads) = (0usize, 0usize);
    for _ in 0..1_000 {
        let request = vocabulary.request(&mut rng).to_string();
        let case = engine.parse_request(&request).expect("a generated request is valid");
        let decision = engine.decide(&case);
        let doc = engine.compact(&case, &decision, Sentences::No);
        for (i, item) in doc.items.iter().enumerate() {
            let mut protecting: Vec<String> = Vec::new();
            for s in item.secrecy.iter().filter(|s| {
                matches!(
                    serde_json::to_string(&s.result).as_deref(),
                    Ok("\"applies\"" | "\"assumed\"")
                )
            }) {
                for p in &s.p {
                    if !protecting.contains(&p.to_string()) {
                        protecting.push(p.to_string());
                    }
                }
            }
            protecting.sort();
            let path = format!("items[{i}].secrecy");
            for check in item.proof.iter().flat_map(|s| s.checks.iter()) {
                let Some(value) = check.facts.get(&path) else {
                    continue;
                };
                reads += 1;
                let mut shown: Vec<String> = value
                    .as_array()
                    .unwrap_or_else(|| panic!("{path} is {value}, not the item's secrecy"))
                    .iter()
                    .map(|v| v.as_str().expect("a provision id").to_string())
                    .collect();
                shown.sort();
                assert_eq!(shown, protecting, "{path} in a check of {}", item.id);
                secret_reads += usize::from(!shown.is_empty());
            }
        }
    }
    assert!(reads >= 1_000, "only {reads} checks read the item's secrecy");
    assert!(secret_reads >= 100, "only {secret_reads} of them on a secret item");
}
