//! Pre-assessments (förhandsbedömningar): a matching one settles a balancing test or a
//! judgement that would otherwise need a person, and the decision cites it; it never
//! settles a risk factor, and it only applies within its validity and its flow.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use lagrum_engine::render::json::{OutcomeDoc, Role};
use serde_json::{Value, json};
use std::path::Path;

fn engine(with_example: bool) -> Engine {
    let mut files: Vec<(String, String)> = lagrum_rulesets::FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    if with_example {
        let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/forhandsbedomningar/exempel.lagrum");
        files.push((
            "exempel.lagrum".into(),
            std::fs::read_to_string(path).expect("the example pre-assessment"),
        ));
    }
    match Engine::from_files(&files) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    }
}

fn request() -> Value {
    let path = Path::new(env!("CARGO_MANIFEST_DIR")).join("../examples/requests/förhandsbedömning-fk-kfm.json");
    serde_json::from_str(&std::fs::read_to_string(path).expect("the example request")).expect("JSON")
}

fn outcome(e: &Engine, req: &Value) -> (OutcomeDoc, Vec<Role>, String) {
    match e.check_json(&req.to_string()) {
        Ok(d) => {
            let item = &d.items[0];
            (
                item.outcome,
                item.basis.iter().map(|b| b.role).collect(),
                item.summary.clone(),
            )
        }
        Err(e) => panic!("{e}"),
    }
}

#[test]
fn without_the_pre_assessment_the_general_clause_needs_a_person() {
    let (o, _, _) = outcome(&engine(false), &request());
    assert_eq!(o, OutcomeDoc::Manual);
}

#[test]
fn a_matching_pre_assessment_settles_it_and_is_cited() {
    let (o, roles, summary) = outcome(&engine(true), &request());
    assert_eq!(o, OutcomeDoc::Allow);
    assert!(roles.contains(&Role::PreAssessment), "{roles:?}");
    assert!(summary.contains("förhandsbedömning"), "{summary}");
}

#[test]
fn outside_its_validity_it_does_not_apply() {
    let mut req = request();
    req["date"] = json!("2027-01-04");
    let (o, roles, _) = outcome(&engine(true), &req);
    assert_eq!(o, OutcomeDoc::Manual);
    assert!(!roles.contains(&Role::PreAssessment));
}

#[test]
fn another_flow_is_not_covered() {
    let mut req = request();
    req["sender"] = json!({ "actor": "PM" });
    let (o, _, _) = outcome(&engine(true), &req);
    assert_eq!(o, OutcomeDoc::Manual);
}

#[test]
fn it_never_settles_a_risk_factor() {
    let mut req = request();
    req["subjects"][0]["protection"] = json!(["sekretessmarkering"]);
    let (o, _, _) = outcome(&engine(true), &req);
    // The general clause has a presumption against disclosure, which the pre-assessment
    // settles; but with a protected person the outcome stays with a person.
    assert_eq!(o, OutcomeDoc::Manual);
}
