//! The checked-in OpenAPI description (`docs/openapi.json`) is the one the service serves,
//! and every path and method in it answers as documented: the status is listed, the
//! content type matches, and the body validates against the schema.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

mod common;

use common::{ruleset_dir, s01, start};
use lagrum_serve::app::Limits;
use lagrum_serve::audit::{AuditLog, Pseudonymiser, Recorder, Target};
use serde_json::Value;
use std::collections::BTreeSet;
use std::path::PathBuf;

fn checked_in() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../docs/openapi.json")
}

#[test]
fn checked_in_document_is_current() {
    let generated = serde_json::to_string_pretty(&lagrum_serve::openapi::document()).expect("json") + "\n";
    if std::env::var_os("LAGRUM_UPDATE_OPENAPI").is_some() {
        std::fs::write(checked_in(), &generated).expect("write docs/openapi.json");
    }
    let on_disk = std::fs::read_to_string(checked_in()).expect("docs/openapi.json");
    assert!(
        on_disk == generated,
        "docs/openapi.json is out of date: run `LAGRUM_UPDATE_OPENAPI=1 cargo test -p lagrum-serve --test openapi`"
    );
}

/// Validates `value` against `schema`, resolving `#/components/…` in the document.
fn validate(doc: &Value, schema: &Value, value: &Value, what: &str) {
    let mut schema = schema.clone();
    if let Some(obj) = schema.as_object_mut() {
        obj.insert("components".into(), doc["components"].clone());
    }
    let validator = jsonschema::options()
        .with_draft(jsonschema::Draft::Draft202012)
        .build(&schema)
        .unwrap_or_else(|e| panic!("{what}: the schema does not compile: {e}"));
    // The validator bites: an empty object is no decision, no error document.
    if what.ends_with("/v1/check → 200") {
        assert!(!validator.is_valid(&serde_json::json!({ "outcome": "allow" })));
    }
    let errors: Vec<String> = validator
        .iter_errors(value)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(errors.is_empty(), "{what}: {errors:#?}");
}

struct Call {
    method: &'static str,
    path: &'static str,
    body: Option<String>,
}

#[tokio::test]
async fn every_operation_answers_as_documented() {
    let doc: Value = serde_json::from_str(&std::fs::read_to_string(checked_in()).expect("read")).expect("json");
    let dir = ruleset_dir();
    let logdir = tempfile::tempdir().expect("dir");
    let recorder = Recorder::new(Pseudonymiser::new(&[1u8; 32]).expect("key"));
    let log = AuditLog::open(&Target::File(logdir.path().join("log.jsonl")), recorder).expect("log");
    let limits = Limits {
        max_body: 200_000,
        ..Limits::default()
    };
    let s = start(dir.path(), limits, Some(log)).await;

    let mut bad_actor = s01();
    bad_actor["sender"]["actor"] = "NOPE".into();
    let batch = format!("{}\n{{\n{}\n", s01(), common::own_initiative());
    let calls = vec![
        Call {
            method: "post",
            path: "/v1/check",
            body: Some(s01().to_string()),
        },
        Call {
            method: "post",
            path: "/v1/check",
            body: Some(bad_actor.to_string()),
        },
        Call {
            method: "post",
            path: "/v1/check",
            body: Some("{".into()),
        },
        Call {
            method: "post",
            path: "/v1/check",
            body: Some(" ".repeat(300_000)),
        },
        Call {
            method: "post",
            path: "/v1/check/batch",
            body: Some(batch),
        },
        Call {
            method: "get",
            path: "/v1/ruleset",
            body: None,
        },
        Call {
            method: "post",
            path: "/v1/ruleset/reload",
            body: None,
        },
        Call {
            method: "post",
            path: "/v1/ruleset/reload",
            body: Some("broken".into()),
        },
        Call {
            method: "get",
            path: "/healthz",
            body: None,
        },
        Call {
            method: "get",
            path: "/metrics",
            body: None,
        },
        Call {
            method: "get",
            path: "/openapi.json",
            body: None,
        },
    ];

    let mut covered = BTreeSet::new();
    let mut statuses = BTreeSet::new();
    for call in calls {
        let op = &doc["paths"][call.path][call.method];
        assert!(op.is_object(), "{} {} is not in the document", call.method, call.path);
        covered.insert((call.path.to_string(), call.method.to_string()));
        let broken = dir.path().join("zz-broken.lagrum");
        if call.path == "/v1/ruleset/reload" && call.body.is_some() {
            std::fs::write(&broken, "version {").expect("write");
        }
        let req = match call.method {
            "get" => s.client.get(s.url(call.path)),
            _ => s.client.post(s.url(call.path)),
        };
        let req = match (&call.body, call.path) {
            (Some(b), p) if p != "/v1/ruleset/reload" => req.body(b.clone()),
            _ => req,
        };
        let resp = req.send().await.expect("send");
        let _ = std::fs::remove_file(&broken);
        let status = resp.status().as_u16().to_string();
        let what = format!("{} {} → {status}", call.method, call.path);
        statuses.insert((call.path, status.clone()));
        let documented = &op["responses"][&status];
        assert!(documented.is_object(), "{what}: status not documented");
        for (name, _) in documented["headers"].as_object().into_iter().flatten() {
            if name == "lagrum-ruleset" {
                assert!(
                    resp.headers().contains_key(name.as_str()),
                    "{what}: header {name} missing"
                );
            }
        }
        if call.path == "/v1/check" && status == "200" {
            assert!(
                resp.headers().contains_key("lagrum-decision-id"),
                "{what}: the log is on"
            );
        }
        let content_type = resp
            .headers()
            .get("content-type")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_string();
        let content = documented["content"].as_object().expect("content");
        let (media, spec) = content
            .iter()
            .find(|(m, _)| content_type.starts_with(m.as_str()))
            .unwrap_or_else(|| panic!("{what}: content type {content_type} not documented"));
        let text = resp.text().await.expect("body");
        if let Some(line_schema) = spec.get("x-ndjson-line") {
            let mut n = 0;
            for line in text.lines() {
                let v: Value = serde_json::from_str(line).expect("json line");
                validate(&doc, line_schema, &v, &format!("{what} line {}", n + 1));
                n += 1;
            }
            assert_eq!(n, 3, "{what}: one line per input line");
        } else if media == "application/json" {
            let v: Value = serde_json::from_str(&text).expect("json");
            validate(&doc, &spec["schema"], &v, &what);
        } else {
            validate(&doc, &spec["schema"], &Value::String(text), &what);
        }
    }

    let in_document: BTreeSet<(String, String)> = doc["paths"]
        .as_object()
        .expect("paths")
        .iter()
        .flat_map(|(p, ops)| {
            ops.as_object()
                .into_iter()
                .flatten()
                .map(move |(m, _)| (p.clone(), m.clone()))
        })
        .collect();
    assert_eq!(covered, in_document, "every operation in the document is called");
    for want in [
        ("/v1/check", "200"),
        ("/v1/check", "400"),
        ("/v1/check", "413"),
        ("/v1/ruleset/reload", "200"),
        ("/v1/ruleset/reload", "422"),
    ] {
        assert!(
            statuses.contains(&(want.0, want.1.to_string())),
            "{want:?} not seen: {statuses:?}"
        );
    }
    s.stop().await;
}

#[test]
fn request_and_decision_schemas_are_those_of_legal_schema() {
    // The components are generated from the same types as `legal schema request|decision`.
    let doc = lagrum_serve::openapi::document();
    let request = serde_json::to_value(schemars::schema_for!(lagrum_engine::request::RequestDoc)).expect("json");
    assert_eq!(
        doc["components"]["schemas"]["RequestDoc"]["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>()),
        request["properties"]
            .as_object()
            .map(|o| o.keys().cloned().collect::<Vec<_>>())
    );
    let decision =
        serde_json::to_value(schemars::schema_for!(lagrum_engine::render::compact::CompactDoc)).expect("json");
    assert_eq!(
        doc["components"]["schemas"]["CompactDoc"]["required"],
        decision["required"]
    );
}
