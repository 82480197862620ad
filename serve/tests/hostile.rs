//! Issue 12, findings 3–5: what one client can make the service do. Requests over the
//! item and subject caps are refused with an error naming the limit; a ruleset nested
//! hundreds of levels deep is refused on reload and the service keeps answering; stalled
//! and idle connections are closed.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

mod common;

use common::{Running, ruleset_dir, s01, start};
use lagrum_serve::app::Limits;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::{Duration, Instant};
use tokio::io::{AsyncReadExt as _, AsyncWriteExt as _};

async fn post(s: &Running, path: &str, body: impl Into<reqwest::Body>) -> (StatusCode, Value) {
    let resp = s.client.post(s.url(path)).body(body).send().await.expect("send");
    let status = resp.status();
    let text = resp.text().await.expect("body");
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, v)
}

/// s01 with `n` copies of its first item (ids made unique).
fn with_items(n: usize) -> Value {
    let mut r = s01();
    let item = r["items"][0].clone();
    r["items"] = (0..n)
        .map(|i| {
            let mut it = item.clone();
            it["id"] = format!("u{i}").into();
            it
        })
        .collect();
    r
}

#[tokio::test]
async fn a_request_over_the_item_cap_is_refused_naming_the_limit() {
    let dir = ruleset_dir();
    let limits = Limits {
        max_body: 8 * 1024 * 1024,
        ..Limits::default()
    };
    let max = limits.caps.max_items;
    let s = start(dir.path(), limits, None).await;

    // At the cap: decided.
    let (status, v) = post(&s, "/v1/check", with_items(max).to_string()).await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["items"].as_array().map(Vec::len), Some(max));

    // 20,000 items: refused before anything is decided.
    let started = Instant::now();
    let (status, v) = post(&s, "/v1/check", with_items(20_000).to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["code"], "too_many_items", "{v}");
    assert_eq!(v["path"], "items", "{v}");
    let message = v["message"].as_str().expect("message");
    assert!(
        message.contains("20000") && message.contains(&max.to_string()),
        "{message}"
    );
    assert!(message.contains("--max-items"), "{message}");
    assert!(started.elapsed() < Duration::from_secs(5), "{:?}", started.elapsed());

    // Subjects too.
    let mut r = s01();
    r["subjects"] = (0..=Limits::default().caps.max_subjects)
        .map(|i| serde_json::json!({ "id": format!("p{i}") }))
        .collect();
    let (status, v) = post(&s, "/v1/check", r.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{v}");
    assert_eq!(v["code"], "too_many_subjects", "{v}");

    // A batch line over the cap is an error line; the next line is decided.
    let batch = format!("{}\n{}\n", with_items(max + 1), s01());
    let text = s.batch(batch).await;
    let lines: Vec<Value> = text.lines().map(|l| serde_json::from_str(l).expect("line")).collect();
    assert_eq!(lines[0]["error"]["code"], "too_many_items", "{text}");
    assert_eq!(lines[1]["decision"]["outcome"], "must", "{text}");
    s.stop().await;
}

#[tokio::test]
async fn the_caps_are_configurable() {
    let dir = ruleset_dir();
    let mut limits = Limits::default();
    limits.caps.max_items = 2;
    let s = start(dir.path(), limits, None).await;
    let (status, v) = post(&s, "/v1/check", with_items(3).to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_eq!(v["code"], "too_many_items");
    assert!(v["message"].as_str().expect("message").contains("högst 2"), "{v}");
    let (status, _) = post(&s, "/v1/check", with_items(2).to_string()).await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;
}

#[tokio::test]
async fn a_reload_with_a_400_deep_ruleset_fails_and_the_service_keeps_answering() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    for (open, close) in [("(", ")"), ("inte ", "")] {
        let deep = format!(
            "bestämmelse djup = OSL 10 kap. 27 § {{\n  version \"SFS 2009:400\" från 2010-01-01 {{\n    när {}brott_begånget = ja{}\n  }}\n}}\n",
            open.repeat(400),
            close.repeat(400)
        );
        std::fs::write(dir.path().join("zz-djup.lagrum"), deep).expect("write");
        let (status, v) = post(&s, "/v1/ruleset/reload", "").await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
        assert_eq!(v["code"], "invalid_ruleset");
        let d = &v["diagnostics"][0];
        assert_eq!(d["code"], "för-djup-nästling", "{v}");
        assert_eq!(d["line"], 3, "{v}");
        assert!(d["file"].as_str().is_some_and(|f| f.ends_with("zz-djup.lagrum")), "{v}");
        let (status, v) = post(&s, "/v1/check", s01().to_string()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["outcome"], "must");
        let health = s.client.get(s.url("/healthz")).send().await.expect("healthz");
        assert_eq!(health.status(), StatusCode::OK);
    }
    s.stop().await;
}

/// Reads until the server closes the connection; the time it took, or `None` if it stayed
/// open for `patience`.
async fn closed_within(stream: &mut tokio::net::TcpStream, patience: Duration) -> Option<Duration> {
    let started = Instant::now();
    let mut buf = [0u8; 4096];
    loop {
        match tokio::time::timeout(patience.saturating_sub(started.elapsed()), stream.read(&mut buf)).await {
            Err(_) => return None,
            Ok(Ok(0)) | Ok(Err(_)) => return Some(started.elapsed()),
            Ok(Ok(_)) => {}
        }
    }
}

#[tokio::test]
async fn stalled_and_idle_connections_are_closed() {
    let dir = ruleset_dir();
    let limits = Limits {
        header_timeout: Duration::from_millis(500),
        ..Limits::default()
    };
    let s = start(dir.path(), limits, None).await;

    // 500 connections that stop inside their headers.
    let mut stalled = Vec::new();
    for _ in 0..500 {
        let mut c = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
        c.write_all(b"POST /v1/check HTTP/1.1\r\nHost: x\r\nContent-")
            .await
            .expect("write");
        stalled.push(c);
    }
    // The service answers while they hang.
    let (status, _) = post(&s, "/v1/check", s01().to_string()).await;
    assert_eq!(status, StatusCode::OK);
    for c in &mut stalled {
        assert!(
            closed_within(c, Duration::from_secs(10)).await.is_some(),
            "a connection stalled in its headers stays open"
        );
    }

    // A keep-alive connection left idle after a request is closed too.
    let mut idle = tokio::net::TcpStream::connect(s.addr).await.expect("connect");
    idle.write_all(b"GET /healthz HTTP/1.1\r\nHost: x\r\n\r\n")
        .await
        .expect("write");
    let mut buf = vec![0u8; 8192];
    let n = idle.read(&mut buf).await.expect("read");
    assert!(
        buf[..n].starts_with(b"HTTP/1.1 200"),
        "{}",
        String::from_utf8_lossy(&buf[..n])
    );
    let took = closed_within(&mut idle, Duration::from_secs(10)).await;
    assert!(took.is_some(), "an idle keep-alive connection stays open");

    // And the service is still well.
    let (status, _) = post(&s, "/v1/check", s01().to_string()).await;
    assert_eq!(status, StatusCode::OK);
    s.stop().await;
}
