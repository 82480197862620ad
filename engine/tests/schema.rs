//! The published JSON Schemas describe what the engine reads and writes: every scenario
//! request validates against the request schema, and every decision against the decision
//! schema.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use lagrum_engine::render::json::DecisionDoc;
use lagrum_engine::request::RequestDoc;
use std::path::Path;

fn schema_of<T: schemars::JsonSchema>() -> jsonschema::Validator {
    let schema = serde_json::to_value(schemars::schema_for!(T)).unwrap_or_default();
    match jsonschema::validator_for(&schema) {
        Ok(v) => v,
        Err(e) => panic!("the schema itself is invalid: {e}"),
    }
}

#[test]
fn scenario_requests_and_their_decisions_validate() {
    let engine = match Engine::from_files(lagrum_rulesets::FILES) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    };
    let requests = schema_of::<RequestDoc>();
    let decisions = schema_of::<DecisionDoc>();
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut n = 0;
    for entry in std::fs::read_dir(&dir).into_iter().flatten().flatten() {
        let text = std::fs::read_to_string(entry.path()).unwrap_or_default();
        let scenario: serde_json::Value = serde_json::from_str(&text).unwrap_or_default();
        let request = &scenario["request"];
        let errors: Vec<String> = requests
            .iter_errors(request)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: request does not match its schema: {errors:?}",
            entry.path().display()
        );
        let doc = engine.check_json(&request.to_string()).map_err(|e| e.to_string());
        let doc = serde_json::to_value(doc.unwrap_or_else(|e| panic!("{e}"))).unwrap_or_default();
        let errors: Vec<String> = decisions
            .iter_errors(&doc)
            .map(|e| format!("{e} at {}", e.instance_path()))
            .collect();
        assert!(
            errors.is_empty(),
            "{}: decision does not match its schema: {errors:?}",
            entry.path().display()
        );
        n += 1;
    }
    assert!(n >= 40, "expected the scenario files, found {n}");
}

#[test]
fn the_request_schema_rejects_what_the_engine_rejects() {
    let requests = schema_of::<RequestDoc>();
    let bad = serde_json::json!({ "schema": "lagrum.request.v1", "date": "2025-01-01", "unknown": 1 });
    assert!(!requests.is_valid(&bad));
}
