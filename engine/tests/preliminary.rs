//! The caseworker's record in both decision documents: an outcome that open questions could
//! change is marked preliminary (and answering them changes it), the summary, the notice for
//! a date after what the ruleset knows, and a crime picked from the list.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use lagrum_engine::render::compact::{CompactDoc, Sentences};
use lagrum_engine::render::json::{DecisionDoc, OutcomeDoc};
use std::path::Path;

fn engine() -> Engine {
    match Engine::from_files(lagrum_rulesets::FILES) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    }
}

fn request(scenario: &str) -> serde_json::Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/scenarios/{scenario}.json"));
    let s: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
    s["request"].clone()
}

fn both(engine: &Engine, request: &serde_json::Value) -> (DecisionDoc, CompactDoc) {
    let case = engine.parse_request(&request.to_string()).unwrap();
    let decision = engine.decide(&case);
    (
        engine.document(&case, &decision),
        engine.compact(&case, &decision, Sentences::No),
    )
}

#[test]
fn a_no_with_open_questions_is_preliminary_and_the_answers_change_it() {
    let engine = engine();
    // Region → Polismyndigheten, the victim's injuries, own initiative, crime facts missing.
    let mut req = request("s22a-reg-pmy-skador-minimistraff");
    req["facts"] = serde_json::json!({});
    let (v1, v2) = both(&engine, &req);
    assert_eq!(v1.outcome, OutcomeDoc::Deny);
    assert!(v1.preliminary && v2.preliminary && v2.summary.preliminary);
    assert!(v1.items[0].preliminary && v2.items[0].preliminary);
    assert!(
        v2.summary.text.starts_with("Preliminärt: får inte lämnas"),
        "{}",
        v2.summary.text
    );
    assert!(
        v2.summary.steps[0].starts_with("Besvara frågorna"),
        "{:?}",
        v2.summary.steps
    );
    assert_eq!(v1.summary, v2.summary, "both documents say the same");
    let text = lagrum_engine::render::text::render(&v1);
    assert!(text.contains("PRELIMINÄRT BESLUT: FÅR INTE LÄMNAS"), "{text}");

    // Answered: the outcome rises and is final.
    let (v1, v2) = both(&engine, &request("s22a-reg-pmy-skador-minimistraff"));
    assert_eq!(v1.outcome, OutcomeDoc::Allow);
    assert!(!v1.preliminary && !v2.preliminary && !v2.items[0].preliminary);
    assert!(
        v2.summary.text.starts_with("Får lämnas enligt OSL 10 kap. 23 §"),
        "{}",
        v2.summary.text
    );
}

#[test]
fn a_duty_with_a_balancing_test_says_it_is_a_step() {
    let engine = engine();
    let req: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/requests/luffa-skv-till-fk.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let (v1, v2) = both(&engine, &req);
    assert_eq!(v1.outcome, OutcomeDoc::Must);
    assert!(!v2.preliminary);
    assert_eq!(v2.summary.rests_on, ["LUFFA 2 §", "OSL 10 kap. 28 § 1 st."]);
    assert!(
        v2.summary
            .steps
            .iter()
            .any(|s| s.starts_with("Gör intresseavvägningen enligt LUFFA 2 §") && s.contains("steg")),
        "{:?}",
        v2.summary.steps
    );
    assert_eq!(v1.beyond_known, None);
}

#[test]
fn a_stronger_route_that_fell_away_is_explained() {
    let engine = engine();
    let mut req = request("s22a-reg-pmy-skador-minimistraff");
    req["facts"] = serde_json::json!({});
    let (_, v2) = both(&engine, &req);
    assert!(
        v2.summary
            .fell_away
            .iter()
            .any(|s| s.contains("skulle ha gällt, men") || s.contains("om frågorna nedan besvaras")),
        "{:?}",
        v2.summary.fell_away
    );
}

#[test]
fn a_date_after_what_the_ruleset_knows_carries_a_notice() {
    let engine = engine();
    let known = engine.ruleset().known_until.expect("the ruleset says what it knows");
    let mut req = request("s22a-reg-pmy-skador-minimistraff");
    req["date"] = serde_json::json!("2099-01-01");
    let (v1, v2) = both(&engine, &req);
    let notice = v2.beyond_known.clone().expect("a notice");
    assert!(
        notice.contains("2099-01-01") && notice.contains(&known.to_string()),
        "{notice}"
    );
    assert_eq!(v1.beyond_known, v2.beyond_known);
    assert_eq!(v2.ruleset.known_until, Some(known.to_string()));
    assert!(lagrum_engine::render::text::render(&v1).contains("OBS: Beslutsdagen 2099-01-01"));
    // On the last known day: no notice.
    req["date"] = serde_json::json!(known.to_string());
    let (_, v2) = both(&engine, &req);
    assert_eq!(v2.beyond_known, None);
}

#[test]
fn a_crime_picked_from_the_list_gives_its_lowest_penalty() {
    let engine = engine();
    let vocabulary = engine.vocabulary();
    let crime = vocabulary.crimes.iter().find(|c| c.id == "grov_misshandel").unwrap();
    assert_eq!((crime.min_months, crime.max_months), (18, 72));
    assert!(
        vocabulary
            .facts
            .iter()
            .any(|f| f.id == "minimistraff_månader" && f.from_crime)
    );
    let mut req = request("s22a-reg-pmy-skador-minimistraff");
    req["facts"]["minimistraff_månader"] = serde_json::json!({ "brott": "grov_misshandel" });
    let (v1, v2) = both(&engine, &req);
    assert_eq!(v1.outcome, OutcomeDoc::Allow);
    assert!(
        v2.notes
            .iter()
            .any(|n| n.contains("18 månader") && n.contains("grov misshandel")),
        "the record says what the quantity rests on: {:?}",
        v2.notes
    );
    // A crime not in the list, or the form on a fact that does not take it, is refused.
    req["facts"]["minimistraff_månader"] = serde_json::json!({ "brott": "påhittat" });
    let err = engine.parse_request(&req.to_string()).unwrap_err();
    assert_eq!(err.code(), "unknown_crime");
    req["facts"]["minimistraff_månader"] = serde_json::json!(6);
    req["facts"]["brott_begånget"] = serde_json::json!({ "brott": "rån" });
    assert!(engine.parse_request(&req.to_string()).is_err());
}

#[test]
fn provisions_link_to_their_paragraph_not_the_act() {
    let engine = engine();
    let req: serde_json::Value = serde_json::from_str(
        &std::fs::read_to_string(
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/requests/luffa-skv-till-fk.json"),
        )
        .unwrap(),
    )
    .unwrap();
    let (v1, _) = both(&engine, &req);
    let link = |c: &str| {
        v1.basis
            .iter()
            .find(|b| &*b.provision.citation == c)
            .and_then(|b| b.provision.link.as_deref().map(str::to_string))
    };
    assert_eq!(
        link("LUFFA 2 §").as_deref(),
        Some("https://data.riksdagen.se/dokument/sfs-2024-307.html#P2")
    );
    assert_eq!(
        link("OSL 10 kap. 28 § 1 st.").as_deref(),
        Some("https://data.riksdagen.se/dokument/sfs-2009-400.html#K10P28")
    );
}
