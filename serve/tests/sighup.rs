//! SIGHUP reloads the ruleset like `POST /v1/ruleset/reload`. Its own test binary (its own
//! process), so the signal reaches no other test's server.

#![cfg(unix)]
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

mod common;

use common::{ruleset_dir, start};
use lagrum_serve::app::Limits;
use serde_json::Value;
use std::time::Duration;

async fn health_hash(s: &common::Running) -> String {
    let v: Value = s
        .client
        .get(s.url("/healthz"))
        .send()
        .await
        .expect("send")
        .json()
        .await
        .expect("json");
    v["ruleset"]["hash"].as_str().expect("hash").to_string()
}

async fn metrics(s: &common::Running) -> String {
    s.client
        .get(s.url("/metrics"))
        .send()
        .await
        .expect("send")
        .text()
        .await
        .expect("text")
}

fn hup() {
    let status = std::process::Command::new("kill")
        .args(["-HUP", &std::process::id().to_string()])
        .status()
        .expect("kill");
    assert!(status.success());
}

/// Waits (up to 5 s) until the metrics show `reloads` reloads with `result`.
async fn wait_for(s: &common::Running, result: &str, reloads: u32) -> String {
    let want = format!(r#"lagrum_ruleset_reloads_total{{result="{result}"}} {reloads}"#);
    for _ in 0..100 {
        let m = metrics(s).await;
        if m.contains(&want) {
            return m;
        }
        tokio::time::sleep(Duration::from_millis(50)).await;
    }
    panic!("no {want} after SIGHUP:\n{}", metrics(s).await);
}

#[tokio::test]
async fn sighup_reloads_and_keeps_a_good_ruleset_when_the_new_one_is_bad() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    // Serving means the SIGHUP handler is installed.
    let first = health_hash(&s).await;

    common::luffa_without_uncertainty(dir.path());
    hup();
    wait_for(&s, "ok", 1).await;
    let second = health_hash(&s).await;
    assert_ne!(second, first, "SIGHUP put the changed ruleset in service");

    std::fs::write(dir.path().join("zz.lagrum"), "inte ett regelverk").expect("write");
    hup();
    wait_for(&s, "rejected", 1).await;
    assert_eq!(health_hash(&s).await, second, "a bad ruleset is rejected");
    let resp = s
        .client
        .post(s.url("/v1/check"))
        .body(common::own_initiative().to_string())
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), reqwest::StatusCode::OK);
    let v: Value = resp.json().await.expect("json");
    assert_eq!(v["ruleset"]["hash"], second.as_str());
    assert_eq!(v["outcome"], "must");
    s.stop().await;
}
