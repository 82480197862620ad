//! Snapshots of the Swedish decision text: one scenario of each outcome and one with a
//! protected person. A change in wording shows up here for review.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use std::path::Path;

fn text(scenario: &str) -> String {
    let engine = match Engine::from_files(lagrum_rulesets::FILES) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    };
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join(format!("../tests/scenarios/{scenario}.json"));
    let scenario: serde_json::Value =
        serde_json::from_str(&std::fs::read_to_string(&path).unwrap_or_default()).unwrap_or_default();
    match engine.check_json(&scenario["request"].to_string()) {
        // The hash changes with every ruleset edit; keep it out of the snapshot.
        Ok(doc) => lagrum_engine::render::text::render(&doc).replace(&doc.ruleset.hash[..19], "sha256:…"),
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn must_contact_details_to_the_police() {
    insta::assert_snapshot!(text("s16-trv-pmy-kontakt"));
}

#[test]
fn deny_health_care_on_own_initiative() {
    insta::assert_snapshot!(text("s20-reg-pmy-kontakt-eget-initiativ"));
}

#[test]
fn manual_young_person_at_risk() {
    insta::assert_snapshot!(text("s24-kom-pmy-ung-risk"));
}

#[test]
fn allow_committed_crime() {
    insta::assert_snapshot!(text("s22a-reg-pmy-skador-minimistraff"));
}

#[test]
fn protected_identity_two_items() {
    insta::assert_snapshot!(text("s32-skv-kom-skyddad-folkbokforing"));
}

#[test]
fn questions_for_missing_facts() {
    insta::assert_snapshot!(text("s04c-kom-fk-bistand-eget-initiativ-fragor"));
}

/// Every scenario's decision as text: the sentences a person reads never show ruleset
/// syntax (a condition in backticks, an operator, a set in braces) or a JSON path.
#[test]
fn no_sentence_shows_ruleset_syntax_or_a_json_path() {
    let engine = match Engine::from_files(lagrum_rulesets::FILES) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut checked = 0;
    let mut conditions = 0;
    for entry in std::fs::read_dir(&dir).unwrap() {
        let path = entry.unwrap().path();
        if path.extension().is_none_or(|e| e != "json") {
            continue;
        }
        let scenario: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(&path).unwrap()).unwrap();
        let Ok(doc) = engine.check_json(&scenario["request"].to_string()) else {
            continue;
        };
        let text = lagrum_engine::render::text::render(&doc);
        for line in text
            .lines()
            .filter(|l| l.contains("villkoret") || l.trim_start().starts_with('✗'))
        {
            conditions += 1;
            for bad in [
                "`",
                " i { ",
                "items[",
                "subjects[",
                "facts.",
                " >= ",
                " <= ",
                " < ",
                " > ",
            ] {
                assert!(!line.contains(bad), "{}: {bad:?} in {line:?}", path.display());
            }
        }
        checked += 1;
    }
    assert!(checked >= 150, "too few scenarios decided: {checked}");
    assert!(conditions >= 50, "too few condition sentences seen: {conditions}");
}
