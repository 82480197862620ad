//! What would change the outcome (`Engine::alternatives`): a known counterfactual on the
//! real rulesets, and on generated requests that every alternative, written into the
//! request at its path, really makes the item `allow` or `must`.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

mod support;

use lagrum_engine::Engine;
use lagrum_engine::render::compact::{Sentences, attach_alternatives};
use lagrum_engine::render::json::OutcomeDoc;
use serde_json::{Value, json};

fn engine() -> Engine {
    Engine::from_files(lagrum_rulesets::FILES).unwrap()
}

/// The compact document with its alternatives.
fn decide(engine: &Engine, request: &Value) -> Value {
    let case = engine.parse_request(&request.to_string()).unwrap();
    let decision = engine.decide(&case);
    let alts = engine.alternatives(&case, &decision);
    let mut doc = engine.compact(&case, &decision, Sentences::No);
    attach_alternatives(engine.model(), &mut doc, &case, &alts);
    serde_json::to_value(doc).unwrap()
}

/// Writes `value` at a change's path (`mode`, `purposes`, `facts.x`, `subjects[i].…`).
fn set(request: &mut Value, path: &str, value: &Value) {
    let mut at = &mut *request;
    let parts: Vec<&str> = path.split('.').collect();
    for (k, part) in parts.iter().enumerate() {
        let last = k + 1 == parts.len();
        if let Some((name, index)) = part.strip_suffix(']').and_then(|p| p.split_once('[')) {
            at = &mut at[name][index.parse::<usize>().unwrap()];
        } else if last {
            at[*part] = value.clone();
        } else {
            if at.get(*part).is_none() {
                at[*part] = json!({});
            }
            at = &mut at[*part];
        }
    }
}

#[test]
fn a_protected_address_to_the_police_would_be_a_duty_without_the_protection() {
    let engine = engine();
    // SKV (folkbokföring) → Polisen, bostadsadress of a person with skyddad folkbokföring:
    // manual (a balancing test against disclosure). Without the protection, LUB 4 § makes
    // it a duty.
    let request = json!({
        "schema": "lagrum.request.v1", "date": "2025-06-01",
        "sender": { "actor": "SKV", "unit": "folkbokföring", "activity": "folkbokföring" },
        "recipient": { "actor": "PMY" }, "mode": "request", "purposes": ["utreda_brott"],
        "items": [{ "id": "uppgift", "category": "bostadsadress", "subject": "p1" }],
        "subjects": [{ "id": "p1", "age": 40, "protection": ["skyddad_folkbokföring"] }]
    });
    let doc = decide(&engine, &request);
    assert_eq!(doc["outcome"], "manual");
    let alts = doc["items"][0]["alternatives"].as_array().expect("alternatives");
    let unprotected = alts
        .iter()
        .find(|a| a["changes"] == json!([{ "path": "subjects[0].protection", "value": [], "text": "om p1 inte har någon skyddsmarkering" }]))
        .expect("removing the protection is an alternative");
    assert_eq!(unprotected["outcome"], "must");
    assert!(unprotected["basis"].as_array().unwrap().contains(&json!("lub_4")));
    assert!(unprotected["text"].as_str().unwrap().contains("LUB 4 §"));
    // The fewest changes come first, and a single change is never repeated inside a pair.
    assert!(alts.iter().all(|a| a["changes"].as_array().unwrap().len() == 1));
}

#[test]
fn an_allowed_request_has_no_alternatives_and_the_document_omits_the_field() {
    let engine = engine();
    let request = json!({
        "schema": "lagrum.request.v1", "date": "2025-06-01",
        "sender": { "actor": "TRV" }, "recipient": { "actor": "PMY" }, "mode": "request",
        "purposes": ["utreda_brott"],
        "items": [{ "id": "adress", "category": "kontaktuppgift", "subject": "p" }],
        "subjects": [{ "id": "p", "protection": [] }]
    });
    let doc = decide(&engine, &request);
    assert_eq!(doc["outcome"], "must");
    assert!(doc["items"][0].get("alternatives").is_none());
}

#[test]
fn every_alternative_written_into_the_request_opens_the_item() {
    let engine = engine();
    let vocabulary = support::Vocabulary::of(&engine);
    let mut rng = support::Rng::new(11);
    let (mut checked, mut requests) = (0, 0);
    while requests < 40 {
        let request = vocabulary.request(&mut rng);
        let Ok(case) = engine.parse_request(&request.to_string()) else {
            continue;
        };
        let decision = engine.decide(&case);
        if matches!(
            decision.outcome,
            lagrum_engine::Outcome::Must | lagrum_engine::Outcome::Allow
        ) {
            continue;
        }
        requests += 1;
        let doc = decide(&engine, &request);
        for (i, item) in doc["items"].as_array().unwrap().iter().enumerate() {
            for alt in item["alternatives"].as_array().into_iter().flatten() {
                let mut changed = request.clone();
                for c in alt["changes"].as_array().unwrap() {
                    set(&mut changed, c["path"].as_str().unwrap(), &c["value"]);
                }
                let after = engine
                    .check_json(&changed.to_string())
                    .expect("the changed request is valid");
                let outcome = after.items[i].outcome;
                assert!(
                    matches!(outcome, OutcomeDoc::Must | OutcomeDoc::Allow),
                    "{alt}\nmade {outcome:?} of {changed}"
                );
                assert_eq!(serde_json::to_value(outcome).unwrap(), alt["outcome"]);
                checked += 1;
            }
        }
    }
    assert!(checked > 40, "only {checked} alternatives checked");
}
