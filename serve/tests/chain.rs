//! Issue 12: the decision log is a hash chain. A log written by the service verifies; a
//! copy with a record removed, moved or edited does not, and says where; records removed
//! from the end are found with an anchor; a log appended to after a restart continues the
//! chain; `legal replay` refuses a broken log.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

mod common;

use common::{ruleset_dir, s01, start};
use lagrum_engine::Engine;
use lagrum_serve::app::Limits;
use lagrum_serve::audit::{AuditLog, Pseudonymiser, Recorder, Target};
use lagrum_serve::chain::{self, Break, GENESIS};
use std::path::Path;
use std::sync::Arc;

const KEY: &[u8] = b"an audit key of at least thirty-two bytes, for tests";

fn recorder() -> Recorder {
    Recorder::new(Pseudonymiser::new(KEY).expect("key"))
}

/// Decides `n` requests through the batch runner into the log at `path`.
fn log_decisions(path: &Path, n: usize) {
    let engine = Arc::new(Engine::from_files(lagrum_rulesets::FILES).expect("rulesets"));
    let log = AuditLog::open(&Target::File(path.to_path_buf()), recorder()).expect("log");
    let mut input: String = (0..n).map(|_| format!("{}\n", s01())).collect();
    input.push_str("not json\n");
    let mut out = Vec::new();
    lagrum_serve::batch::run(
        engine,
        &mut std::io::Cursor::new(input.into_bytes()),
        &mut out,
        Some(&log),
        &lagrum_serve::batch::Options::default(),
        &(),
    )
    .expect("batch");
    log.close().expect("log closes");
}

fn verify(text: &str, anchor: Option<&str>) -> chain::Report {
    chain::verify(text.as_bytes(), None, anchor).expect("read")
}

fn lines(text: &str) -> Vec<String> {
    text.lines().map(String::from).collect()
}

fn join(lines: &[String]) -> String {
    lines.iter().map(|l| format!("{l}\n")).collect()
}

#[test]
fn a_clean_log_verifies_and_each_kind_of_tampering_is_found() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("beslut.log");
    log_decisions(&path, 4);
    let text = std::fs::read_to_string(&path).expect("log");
    let clean = lines(&text);
    assert_eq!(clean.len(), 5, "four decisions and one error record");
    let report = verify(&text, None);
    assert!(report.ok(), "{}", report.render());
    assert_eq!(report.records, 5);
    let first: serde_json::Value = serde_json::from_str(&clean[0]).expect("json");
    assert_eq!(first["prev"], GENESIS);
    assert!(
        first["ruleset"]["hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("sha256:"))
    );
    let last: serde_json::Value = serde_json::from_str(&clean[4]).expect("json");
    assert_eq!(report.last, last["hash"].as_str().expect("hash"));
    assert!(report.render().starts_with("OK: 5 poster"), "{}", report.render());

    // Removed from the middle: the record after the gap does not link.
    let mut removed = clean.clone();
    removed.remove(2);
    let r = verify(&join(&removed), None);
    let (line, _, b) = r.broken.clone().expect("broken");
    assert_eq!(line, 3);
    assert!(matches!(b, Break::Link { .. }), "{b:?}");
    assert!(r.render().contains("BRUTEN vid rad 3"), "{}", r.render());

    // The first record removed.
    let r = verify(&join(&clean[1..]), None);
    assert!(matches!(r.broken, Some((1, _, Break::Link { .. }))), "{:?}", r.broken);

    // Two records swapped.
    let mut swapped = clean.clone();
    swapped.swap(1, 2);
    let r = verify(&join(&swapped), None);
    assert!(matches!(r.broken, Some((2, _, Break::Link { .. }))), "{:?}", r.broken);

    // An outcome edited, even keeping the JSON valid.
    let mut edited = clean.clone();
    assert!(edited[1].contains(r#""outcome":"must""#));
    edited[1] = edited[1].replacen(r#""outcome":"must""#, r#""outcome":"deny""#, 1);
    let r = verify(&join(&edited), None);
    let (line, id, b) = r.broken.clone().expect("broken");
    assert_eq!((line, b), (2, Break::Edited));
    assert!(id.is_some(), "the decision id is named");

    // The chain fields stripped from a record after chained ones.
    let mut stripped = clean.clone();
    let cut = stripped[3].find(r#","prev":"#).expect("prev");
    stripped[3] = format!("{}}}", &stripped[3][..cut]);
    let r = verify(&join(&stripped), None);
    assert!(matches!(r.broken, Some((4, _, Break::Unsealed))), "{:?}", r.broken);

    // The last record removed: the file alone cannot tell; the anchor can.
    let truncated = join(&clean[..4]);
    assert!(verify(&truncated, None).ok());
    let r = verify(&truncated, Some(&report.last));
    assert!(
        matches!(r.broken, Some((_, _, Break::AnchorMissing { .. }))),
        "{:?}",
        r.broken
    );
    let r = verify(&text, Some(&report.last));
    assert!(r.ok());
    assert_eq!(r.anchored_at, Some(5));
}

#[test]
fn a_log_appended_to_continues_the_chain() {
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("beslut.log");
    log_decisions(&path, 2);
    let before = verify(&std::fs::read_to_string(&path).expect("log"), None);
    log_decisions(&path, 2);
    let text = std::fs::read_to_string(&path).expect("log");
    let report = verify(&text, Some(&before.last));
    assert!(report.ok(), "{}", report.render());
    assert_eq!((report.records, report.anchored_at), (6, Some(3)));

    // A log started before chaining (records without hash) continues from its last line.
    let legacy = dir.path().join("äldre.log");
    std::fs::write(&legacy, "{\"schema\":\"lagrum.audit.v1\",\"decision_id\":\"a\"}\n").expect("write");
    log_decisions(&legacy, 1);
    let report = verify(&std::fs::read_to_string(&legacy).expect("log"), None);
    assert!(report.ok(), "{}", report.render());
    assert_eq!(report.unsealed, 1);
}

#[tokio::test]
async fn the_service_writes_a_chain_that_verifies() {
    let dir = ruleset_dir();
    let logdir = tempfile::tempdir().expect("dir");
    let path = logdir.path().join("tjänst.log");
    let log = AuditLog::open(&Target::File(path.clone()), recorder()).expect("log");
    let s = start(dir.path(), Limits::default(), Some(log)).await;
    for _ in 0..3 {
        let resp = s
            .client
            .post(s.url("/v1/check"))
            .body(s01().to_string())
            .send()
            .await
            .expect("send");
        assert_eq!(resp.status(), reqwest::StatusCode::OK);
    }
    let batch = format!("{}\n{}\n", s01(), s01());
    let _ = s.batch(batch).await;
    s.stop().await;
    let text = std::fs::read_to_string(&path).expect("log");
    let report = verify(&text, None);
    assert!(report.ok(), "{}", report.render());
    assert_eq!(report.records, 5);
}
