//! Bad requests get a clear error with a stable code and the JSON path of the problem.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use serde_json::{Value, json};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static E: OnceLock<Engine> = OnceLock::new();
    E.get_or_init(|| match Engine::from_files(lagrum_rulesets::FILES) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    })
}

fn base() -> Value {
    json!({
        "schema": "lagrum.request.v1",
        "date": "2025-06-01",
        "sender": { "actor": "TRV" },
        "recipient": { "actor": "PMY" },
        "mode": "request",
        "purposes": ["utreda_brott"],
        "items": [{ "id": "a", "category": "kontaktuppgift", "subject": "p" }],
        "subjects": [{ "id": "p", "protection": [] }],
        "facts": {}
    })
}

/// Applies a change to the base request and returns (code, path, message).
fn error(change: impl FnOnce(&mut Value)) -> (String, String, String) {
    let mut req = base();
    change(&mut req);
    match engine().parse_request(&req.to_string()) {
        Ok(_) => panic!("expected an error for {req}"),
        Err(e) => (e.code().to_string(), e.path().to_string(), e.to_string()),
    }
}

#[test]
fn the_base_request_is_valid() {
    assert!(engine().parse_request(&base().to_string()).is_ok());
}

#[test]
fn invalid_json_names_line_and_column() {
    let e = engine()
        .parse_request("{\n  \"schema\": \"lagrum.request.v1\",\n  \"date\": \"2025-06-01\",\n}")
        .err();
    let e = e.map(|e| (e.code(), e.to_string()));
    assert_eq!(e.as_ref().map(|x| x.0), Some("invalid_json"));
    assert!(e.is_some_and(|x| x.1.contains("rad 4, kolumn 1") && !x.1.contains("at line")));
}

/// Text after the request (a second request pasted after the first, a stray character)
/// is refused where it starts, never ignored: deciding only the first of two requests
/// would answer a question nobody asked alone.
#[test]
fn text_after_the_request_is_refused_where_it_starts() {
    let one = base().to_string();
    // (text, line and column where the stray text starts)
    for (text, line, column) in [
        (format!("{one}\n{one}"), 2, 1),
        (format!("{one} x"), 1, one.len() + 2),
        (format!("{one}\n]"), 2, 1),
    ] {
        let e = engine().parse_request(&text).err();
        let e = e.map(|e| (e.code(), e.to_string()));
        assert_eq!(e.as_ref().map(|x| x.0), Some("invalid_json"), "{text}");
        let message = e.map(|x| x.1).unwrap_or_default();
        assert!(
            message.contains(&format!("rad {line}, kolumn {column})")) && message.contains("text efter begärans slut"),
            "{message}"
        );
    }
    // Whitespace after it is not text.
    assert!(engine().parse_request(&format!("{one}\n\n  \t")).is_ok());
}

/// (what, change to the base request, expected code, expected path)
type Case = (&'static str, Box<dyn FnOnce(&mut Value)>, &'static str, &'static str);

#[test]
fn each_problem_has_its_code_and_path() {
    let cases: Vec<Case> = vec![
        (
            "unknown field",
            Box::new(|r| r["oops"] = json!(1)),
            "invalid_shape",
            "oops",
        ),
        (
            "wrong type",
            Box::new(|r| r["items"][0]["identity_number"] = json!("ja")),
            "invalid_shape",
            "items[0].identity_number",
        ),
        (
            "schema tag",
            Box::new(|r| r["schema"] = json!("lagrum.request.v0")),
            "unsupported_schema",
            "schema",
        ),
        (
            "date",
            Box::new(|r| r["date"] = json!("2025-02-30")),
            "invalid_date",
            "date",
        ),
        (
            "before the law",
            Box::new(|r| r["date"] = json!("2008-01-01")),
            "date_not_covered",
            "date",
        ),
        (
            "actor",
            Box::new(|r| r["sender"]["actor"] = json!("XYZ")),
            "unknown_actor",
            "sender.actor",
        ),
        (
            "unit",
            Box::new(|r| r["recipient"]["unit"] = json!("socialnämnd")),
            "unknown_unit",
            "recipient.unit",
        ),
        (
            "same party",
            Box::new(|r| r["recipient"] = json!({ "actor": "TRV" })),
            "same_party",
            "recipient",
        ),
        (
            "purpose",
            Box::new(|r| r["purposes"] = json!(["utreda_brott", "spana"])),
            "unknown_purpose",
            "purposes[1]",
        ),
        (
            "no purpose",
            Box::new(|r| r["purposes"] = json!([])),
            "missing_purpose",
            "purposes",
        ),
        (
            "no items",
            Box::new(|r| r["items"] = json!([])),
            "missing_items",
            "items",
        ),
        (
            "category",
            Box::new(|r| r["items"][0]["category"] = json!("hemligt")),
            "unknown_category",
            "items[0].category",
        ),
        (
            "secrecy id",
            Box::new(|r| r["items"][0]["secrecy"] = json!(["osl_25_1", "osl_99_9"])),
            "unknown_secrecy",
            "items[0].secrecy[1]",
        ),
        (
            "not a secrecy provision",
            Box::new(|r| r["items"][0]["secrecy"] = json!("lub_4")),
            "unknown_secrecy",
            "items[0].secrecy",
        ),
        (
            "subject ref",
            Box::new(|r| r["items"][0]["subject"] = json!("q")),
            "unknown_subject",
            "items[0].subject",
        ),
        (
            "duplicate item",
            Box::new(|r| {
                r["items"] =
                    json!([{ "id": "a", "category": "kontaktuppgift" }, { "id": "a", "category": "kontaktuppgift" }])
            }),
            "duplicate_id",
            "items[1].id",
        ),
        (
            "marker",
            Box::new(|r| r["subjects"][0]["protection"] = json!(["hemlig"])),
            "unknown_marker",
            "subjects[0].protection[0]",
        ),
        (
            "age",
            Box::new(|r| r["subjects"][0]["age"] = json!(-3)),
            "invalid_age",
            "subjects[0].age",
        ),
        (
            "identity kind",
            Box::new(|r| r["subjects"][0]["identity"] = json!({ "kind": "pass" })),
            "unknown_identity_kind",
            "subjects[0].identity.kind",
        ),
        (
            "level on personnummer",
            Box::new(|r| r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "level": "osäker" })),
            "level_without_coordination_number",
            "subjects[0].identity.level",
        ),
        (
            "unknown fact",
            Box::new(|r| r["facts"] = json!({ "hotbild": true })),
            "unknown_fact",
            "facts.hotbild",
        ),
        (
            "fact type",
            Box::new(|r| r["facts"] = json!({ "minimistraff_månader": "sex" })),
            "invalid_fact",
            "facts.minimistraff_månader",
        ),
        (
            "fact choice",
            Box::new(|r| r["facts"] = json!({ "brottsstadium": "planerat" })),
            "invalid_fact",
            "facts.brottsstadium",
        ),
    ];
    let mut failures = Vec::new();
    for (what, change, code, path) in cases {
        let (c, p, m) = error(change);
        if c != code || p != path {
            failures.push(format!("{what}: expected {code} at {path}, got {c} at {p} ({m})"));
        }
        assert!(!m.is_empty());
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

#[test]
fn a_marker_given_outside_its_time_is_mapped_with_a_note() {
    let mut req = base();
    req["date"] = json!("2020-01-01");
    req["subjects"][0]["protection"] = json!(["kvarskrivning"]);
    let doc = engine().check_json(&req.to_string()).map_err(|e| e.to_string());
    let doc = doc.unwrap_or_else(|e| panic!("{e}"));
    assert!(
        doc.notes.iter().any(|n| n.contains("skyddad folkbokföring")),
        "{:?}",
        doc.notes
    );
}
