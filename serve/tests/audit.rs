//! The decision log (pseudonymised, written before the answer), the batch runner of
//! `legal check --batch`, and replay against a changed ruleset.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

mod common;

use common::{ruleset_dir, s01, scenario_requests, start};
use lagrum_engine::Engine;
use lagrum_serve::app::Limits;
use lagrum_serve::audit::{AuditLog, AuditRecord, KEY_ENV, Kind, Pseudonymiser, Recorder, Target};
use lagrum_serve::{Rulesets, batch, replay, state};
use reqwest::StatusCode;
use serde_json::Value;
use std::io::Write;
use std::sync::{Arc, Mutex};

const KEY: &[u8] = b"0123456789abcdef0123456789abcdef-test-key";
const NUMBER: &str = "19121212-1212";
const ADDRESS: &str = "Hemliga gatan 7, 123 45 Byn";
const PERSON: &str = "anna-svensson";

fn recorder() -> Recorder {
    Recorder::new(Pseudonymiser::new(KEY).expect("key"))
}

/// A request about a person with an identity number and an address in free text.
fn personal_request() -> Value {
    let mut r = s01();
    r["subjects"][0]["id"] = PERSON.into();
    r["subjects"][0]["identity"] = serde_json::json!({ "kind": "personnummer", "number": NUMBER });
    r["items"][0]["subject"] = PERSON.into();
    r["items"][0]["description"] = ADDRESS.into();
    r
}

fn records(text: &str) -> Vec<AuditRecord> {
    text.lines()
        .map(|l| serde_json::from_str(l).expect("audit record"))
        .collect()
}

fn assert_nothing_personal(log: &str) {
    assert!(!log.contains("19121212"), "identity number in the log");
    assert!(!log.contains("1212-1212"), "identity number in the log");
    assert!(!log.contains("Hemliga gatan"), "free text in the log");
    assert!(!log.contains(PERSON), "subject id in the log");
    assert!(!log.contains("0123456789abcdef"), "the key in the log");
}

#[test]
fn no_key_no_log() {
    assert!(Pseudonymiser::new(b"short").is_err());
    assert!(Pseudonymiser::new(&[7u8; 31]).is_err());
    assert!(Pseudonymiser::new(&[7u8; 32]).is_ok());
    if std::env::var_os(KEY_ENV).is_none() {
        let e = Pseudonymiser::from_env().expect_err("no key in the environment");
        assert!(e.contains(KEY_ENV));
    }
    // The Debug form shows the key id only.
    let p = Pseudonymiser::new(KEY).expect("key");
    let shown = format!("{p:?}");
    assert!(!shown.contains("0123456789abcdef"));
    assert!(shown.contains(p.key_id()));
}

#[test]
fn pseudonyms_are_keyed_stable_and_ignore_number_formatting() {
    let a = Pseudonymiser::new(KEY).expect("key");
    let b = Pseudonymiser::new(&[9u8; 32]).expect("key");
    let on = lagrum_dsl::date::Date::parse("2025-06-01").ok();
    let pseudonym = |p: &Pseudonymiser, n: &str| p.identity_number(n, on);
    assert_eq!(pseudonym(&a, "19121212-1212"), pseudonym(&a, "191212121212"));
    // The 10-digit form is the same person: the request's date gives the century.
    // In 2025 `121212-1212` is born 2012 and `121212+1212` (over a hundred) 1912.
    assert_eq!(pseudonym(&a, "121212-1212"), pseudonym(&a, "201212121212"));
    assert_eq!(pseudonym(&a, "121212+1212"), pseudonym(&a, "191212121212"));
    assert_ne!(pseudonym(&a, "121212-1212"), pseudonym(&a, "191212121212"));
    assert_ne!(pseudonym(&a, "191212121212"), pseudonym(&a, "191212121213"));
    assert_ne!(pseudonym(&a, "191212121212"), pseudonym(&b, "191212121212"));
    assert!(pseudonym(&a, "191212121212").starts_with("hmac-sha256:"));
    assert_ne!(a.key_id(), b.key_id());
    // A subject id and an identity number with the same text get different pseudonyms.
    assert_ne!(a.subject_id("191212121212"), pseudonym(&a, "191212121212"));
}

#[tokio::test]
async fn every_decision_is_logged_before_it_is_answered_and_nothing_personal_leaks() {
    let dir = ruleset_dir();
    let logdir = tempfile::tempdir().expect("dir");
    let path = logdir.path().join("beslut.jsonl");
    let log = AuditLog::open(&Target::File(path.clone()), recorder()).expect("log");
    let s = start(dir.path(), Limits::default(), Some(log)).await;

    let resp = s
        .client
        .post(s.url("/v1/check"))
        .body(personal_request().to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    let id = resp.headers()["lagrum-decision-id"].to_str().expect("id").to_string();
    let decision: Value = resp.json().await.expect("json");
    // Written and flushed before the answer.
    let text = std::fs::read_to_string(&path).expect("log");
    let recs = records(&text);
    assert_eq!(recs.len(), 1);
    let rec = &recs[0];
    assert_eq!(rec.schema, "lagrum.audit.v1");
    assert_eq!(rec.kind, Kind::Decision);
    assert_eq!(rec.decision_id, id);
    assert_eq!(rec.ruleset.hash, decision["ruleset"]["hash"].as_str().expect("hash"));
    assert_eq!(serde_json::to_value(rec.outcome).expect("outcome"), decision["outcome"]);
    let request = rec.request.as_ref().expect("request");
    let p = Pseudonymiser::new(KEY).expect("key");
    let identity = request.subjects[0].identity.as_ref().expect("identity");
    assert_eq!(
        identity.number.as_deref(),
        Some(
            p.identity_number(NUMBER, lagrum_dsl::date::Date::parse(&request.date).ok())
                .as_str()
        )
    );
    assert_eq!(request.subjects[0].id, p.subject_id(PERSON));
    assert_eq!(request.items[0].subject.as_deref(), Some(p.subject_id(PERSON).as_str()));
    assert!(request.items[0].description.is_none());
    let item = &rec.items[0];
    let basis: Vec<&str> = item.basis.iter().map(|b| b.citation.as_str()).collect();
    let answered: Vec<&str> = decision["items"][0]["basis"]
        .as_array()
        .expect("basis")
        .iter()
        .map(|b| {
            let p = b["p"].as_str().expect("provision id");
            decision["provisions"][p]["citation"].as_str().expect("citation")
        })
        .collect();
    assert_eq!(basis, answered);
    assert_eq!(basis[0], "LUFFA 2 §");
    assert!(item.proof.iter().any(|s| s.provision == "luffa_2" && s.in_basis));

    // A request that cannot be judged: code and path, never its text.
    let mut bad = personal_request();
    bad["recipient"]["actor"] = "HEMLIG-MOTTAGARE".into();
    let resp = s
        .client
        .post(s.url("/v1/check"))
        .body(bad.to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::BAD_REQUEST);

    // Batch: one record per line, with the line number; the output carries the ids.
    let batch = format!("{}\n{{oj\n{}\n", personal_request(), personal_request());
    let out = s.batch(batch).await;
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(lines.len(), 3);
    s.stop().await;

    let text = std::fs::read_to_string(&path).expect("log");
    assert_nothing_personal(&text);
    assert!(
        !text.contains("HEMLIG-MOTTAGARE"),
        "the error message echoes input; not logged"
    );
    let recs = records(&text);
    assert_eq!(recs.len(), 5);
    assert_eq!(recs[1].kind, Kind::Error);
    let err = recs[1].error.as_ref().expect("error");
    assert_eq!(
        (err.code.as_str(), err.path.as_str()),
        ("unknown_actor", "recipient.actor")
    );
    assert!(recs[1].request.is_none());
    for (rec, line) in recs[2..].iter().zip(&lines) {
        assert_eq!(rec.line, line["line"].as_u64());
        if rec.kind == Kind::Decision {
            assert_eq!(Some(rec.decision_id.as_str()), line["decision_id"].as_str());
        }
    }
    assert_eq!(recs[3].kind, Kind::Error);
    assert_eq!(recs[3].line, Some(2));
}

#[tokio::test]
async fn a_batch_line_the_reader_rejects_is_logged_too() {
    let dir = ruleset_dir();
    let logdir = tempfile::tempdir().expect("dir");
    let path = logdir.path().join("beslut.jsonl");
    let log = AuditLog::open(&Target::File(path.clone()), recorder()).expect("log");
    let s = start(dir.path(), Limits::default(), Some(log)).await;
    let mut body = b"\xff\xfe inte UTF-8\n".to_vec();
    body.extend_from_slice(format!("{}\n", s01()).as_bytes());
    let out = s.batch(body).await;
    assert!(out.contains("invalid_encoding"), "{out}");
    s.stop().await;
    let recs = records(&std::fs::read_to_string(&path).expect("log"));
    assert_eq!(recs.len(), 2, "one record per line, the rejected one included");
    assert_eq!(recs[0].kind, Kind::Error);
    assert_eq!(recs[0].line, Some(1));
    assert_eq!(
        recs[0].error.as_ref().map(|e| e.code.as_str()),
        Some("invalid_encoding")
    );
    assert_eq!(recs[1].kind, Kind::Decision);
}

/// A writer that fails, like a full disk.
struct Broken;

impl Write for Broken {
    fn write(&mut self, _: &[u8]) -> std::io::Result<usize> {
        Err(std::io::Error::other("disken är full"))
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Err(std::io::Error::other("disken är full"))
    }
}

#[tokio::test]
async fn no_decision_without_its_record() {
    let dir = ruleset_dir();
    let log = AuditLog::to_writer(Box::new(Broken), recorder());
    let s = start(dir.path(), Limits::default(), Some(log)).await;
    let resp = s
        .client
        .post(s.url("/v1/check"))
        .body(s01().to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["code"], "audit_unavailable");
    let resp = s.client.get(s.url("/healthz")).send().await.expect("send");
    assert_eq!(resp.status(), StatusCode::SERVICE_UNAVAILABLE);
    let out = s.batch(format!("{}\n", s01())).await;
    assert!(!out.contains("\"decision\""), "{out}");
    assert!(out.contains("audit_unavailable"));
    s.stop().await;
}

#[test]
fn the_batch_runner_writes_no_decision_without_its_record() {
    let dir = ruleset_dir();
    let engine = Rulesets::load(state::directory(dir.path().to_path_buf()))
        .expect("ruleset checks")
        .engine();
    let log = AuditLog::to_writer(Box::new(Broken), recorder());
    let mut out = Vec::new();
    let result = batch::run(
        engine,
        &mut std::io::Cursor::new(format!("{}\n", s01()).into_bytes()),
        &mut out,
        Some(&log),
        &batch::Options::default(),
        &(),
    );
    assert!(result.is_err(), "a batch whose log fails must stop");
    assert!(out.is_empty(), "{}", String::from_utf8_lossy(&out));
}

/// A `Write` into shared memory.
#[derive(Clone, Default)]
struct Shared(Arc<Mutex<Vec<u8>>>);

impl Write for Shared {
    fn write(&mut self, b: &[u8]) -> std::io::Result<usize> {
        self.0
            .lock()
            .map_err(|_| std::io::Error::other("poisoned"))?
            .extend_from_slice(b);
        Ok(b.len())
    }
    fn flush(&mut self) -> std::io::Result<()> {
        Ok(())
    }
}

impl Shared {
    fn text(&self) -> String {
        String::from_utf8(self.0.lock().expect("lock").clone()).expect("utf8")
    }
}

#[test]
fn batch_runner_keeps_order_counts_and_logs() {
    let engine = Arc::new(Engine::from_files(lagrum_rulesets::FILES).expect("rulesets"));
    let scenarios = scenario_requests();
    let mut input = String::new();
    let mut want: Vec<(u64, Option<String>)> = Vec::new();
    let mut line = 0u64;
    for round in 0..7 {
        for (request, outcome) in &scenarios {
            input.push_str(request);
            input.push('\n');
            line += 1;
            want.push((line, Some(outcome.clone())));
        }
        input.push_str(if round % 2 == 0 { "\n" } else { "[1,2]\n" });
        line += 1;
        if round % 2 == 1 {
            want.push((line, None));
        }
    }
    input.push_str(&format!("{}\n", "x".repeat(3000)));
    line += 1;
    want.push((line, None));
    input.push_str(&personal_request().to_string()); // no final newline
    line += 1;
    want.push((line, Some("must".into())));

    let sink = Shared::default();
    let log = AuditLog::to_writer(Box::new(sink.clone()), recorder());
    let options = batch::Options {
        jobs: 3,
        chunk: 4,
        max_line: 2500,
        keep_errors: 2,
        ..batch::Options::default()
    };
    let mut out = Vec::new();
    let summary = batch::run(
        engine,
        &mut std::io::Cursor::new(input.into_bytes()),
        &mut out,
        Some(&log),
        &options,
        &(),
    )
    .expect("batch");
    let written = log.close().expect("log closes");

    let out = String::from_utf8(out).expect("utf8");
    let lines: Vec<Value> = out.lines().map(|l| serde_json::from_str(l).expect("json")).collect();
    assert_eq!(lines.len(), want.len());
    for (got, (n, outcome)) in lines.iter().zip(&want) {
        assert_eq!(got["line"].as_u64(), Some(*n));
        match outcome {
            Some(o) => {
                assert_eq!(got["decision"]["outcome"], o.as_str(), "line {n}");
                assert!(got["decision_id"].is_string());
            }
            None => assert!(got["error"]["code"].is_string(), "line {n}"),
        }
    }
    assert_eq!(summary.lines, line);
    assert_eq!(summary.decided, want.iter().filter(|w| w.1.is_some()).count() as u64);
    assert_eq!(summary.errors, 4);
    assert_eq!(summary.first_errors.len(), 2);
    assert_eq!(summary.first_errors[0].1.code, "invalid_shape");
    assert_eq!(
        summary.must + summary.allow + summary.manual + summary.deny,
        summary.decided
    );
    let rendered = summary.render();
    assert!(rendered.contains("4 fel"), "{rendered}");
    assert!(rendered.contains("… och 2 fel till"), "{rendered}");
    assert_eq!(written, want.len() as u64);
    let log_text = sink.text();
    assert_nothing_personal(&log_text);
    let recs = records(&log_text);
    assert_eq!(recs.len(), want.len());
    let long = recs
        .iter()
        .find(|r| r.line == Some(line - 1))
        .expect("record of the long line");
    assert_eq!(long.error.as_ref().map(|e| e.code.as_str()), Some("line_too_long"));
}

#[test]
fn replay_reports_the_decisions_a_changed_law_would_change() {
    let dir = ruleset_dir();
    let loader = state::directory(dir.path().to_path_buf());
    let before = Rulesets::load(loader.clone()).expect("ruleset checks");
    let engine = before.engine();

    // Log three decisions: s01 (must), the own-initiative case (manual), an error.
    let sink = Shared::default();
    let log = AuditLog::to_writer(Box::new(sink.clone()), recorder());
    let input = format!("{}\n{}\n{{\n", personal_request(), common::own_initiative());
    let mut out = Vec::new();
    batch::run(
        engine.clone(),
        &mut std::io::Cursor::new(input.into_bytes()),
        &mut out,
        Some(&log),
        &batch::Options::default(),
        &(),
    )
    .expect("batch");
    log.close().expect("log");
    let text = sink.text();

    // The same law: nothing differs.
    let mut diffs = Vec::new();
    let summary = replay::run(&engine, &mut text.as_bytes(), &replay::Options::default(), |d| {
        diffs.push(d.clone());
        Ok(())
    })
    .expect("replay");
    assert_eq!(
        (summary.replayed, summary.differ, summary.skipped),
        (2, 0, 1),
        "{diffs:#?}"
    );
    assert!(diffs.is_empty());

    // The law changes: exactly the own-initiative decision differs.
    common::luffa_without_uncertainty(dir.path());
    let changed = Rulesets::load(loader).expect("ruleset checks");
    let summary = replay::run(
        &changed.engine(),
        &mut text.as_bytes(),
        &replay::Options::default(),
        |d| {
            diffs.push(d.clone());
            Ok(())
        },
    )
    .expect("replay");
    assert_eq!((summary.replayed, summary.differ), (2, 1));
    let d = &diffs[0];
    assert_eq!(d.line, 2);
    assert_eq!(serde_json::to_value(d.before).expect("v"), "manual");
    assert_eq!(serde_json::to_value(d.after).expect("v"), "must");
    assert_eq!(d.logged_ruleset.hash, engine.ruleset().hash);
    assert_eq!(d.items.len(), 1);
    assert_eq!(d.items[0].basis_before.len(), 3);
    assert_eq!(d.items[0].basis_after.len(), 2);
    let shown = replay::render(d);
    assert!(shown.contains("kräver prövning → ska lämnas"), "{shown}");

    // As of a date before LUFFA: the logged requests are judged differently.
    let summary = replay::run(
        &engine,
        &mut text.as_bytes(),
        &replay::Options {
            as_of: Some("2024-01-15".into()),
        },
        |_| Ok(()),
    )
    .expect("replay");
    assert_eq!(summary.differ, 2);

    // Lines that are not records are counted, not fatal.
    let summary = replay::run(
        &engine,
        &mut "inte json\n".as_bytes(),
        &replay::Options::default(),
        |_| Ok(()),
    )
    .expect("replay");
    assert_eq!((summary.unreadable_count, summary.unreadable.clone()), (1, vec![1]));
}
