//! The service over real HTTP on an ephemeral loopback port: every endpoint, the limits,
//! malformed input, and ruleset reload (good and bad, and under load).

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

mod common;

use common::{Running, ruleset_dir, s01, scenario_requests, start};
use lagrum_serve::app::Limits;
use reqwest::StatusCode;
use serde_json::Value;
use std::time::Duration;

async fn post(
    s: &Running,
    path: &str,
    body: impl Into<reqwest::Body>,
) -> (StatusCode, reqwest::header::HeaderMap, Value) {
    let resp = s.client.post(s.url(path)).body(body).send().await.expect("send");
    let status = resp.status();
    let headers = resp.headers().clone();
    let text = resp.text().await.expect("body");
    let v = serde_json::from_str(&text).unwrap_or_else(|e| panic!("not JSON ({e}): {text}"));
    (status, headers, v)
}

async fn get(s: &Running, path: &str) -> (StatusCode, String) {
    let resp = s.client.get(s.url(path)).send().await.expect("send");
    (resp.status(), resp.text().await.expect("body"))
}

fn assert_error(v: &Value, code: &str, path: &str) {
    assert_eq!(v["code"], code, "{v}");
    assert_eq!(v["path"], path, "{v}");
    assert!(v["message"].as_str().is_some_and(|m| !m.is_empty()), "{v}");
}

#[tokio::test]
async fn check_decides_every_scenario_and_names_the_ruleset() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    for (request, outcome) in scenario_requests() {
        let (status, headers, v) = post(&s, "/v1/check", request.clone()).await;
        assert_eq!(status, StatusCode::OK, "{v}");
        assert_eq!(v["schema"], "lagrum.decision.v2");
        assert_eq!(v["outcome"], outcome.as_str(), "{request}");
        let hash = v["ruleset"]["hash"].as_str().expect("hash");
        assert!(hash.starts_with("sha256:"));
        assert_eq!(headers["lagrum-ruleset"], hash);
        assert!(headers.get("lagrum-decision-id").is_none(), "no log, no id");
    }
    s.stop().await;
}

/// A small body is decided on the task that read it, a large one on a blocking thread
/// (`INLINE_MAX_BODY`): the same request either way gets the same answer.
#[tokio::test]
async fn a_request_gets_the_same_answer_decided_inline_or_on_the_pool() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    let small = s01().to_string();
    assert!(small.len() <= lagrum_serve::app::INLINE_MAX_BODY, "{}", small.len());
    let large = format!("{small}{}", " ".repeat(lagrum_serve::app::INLINE_MAX_BODY));
    let (status_small, _, inline) = post(&s, "/v1/check", small).await;
    let (status_large, _, pooled) = post(&s, "/v1/check", large).await;
    assert_eq!(
        (status_small, status_large),
        (StatusCode::OK, StatusCode::OK),
        "{inline}\n{pooled}"
    );
    assert_eq!(inline["outcome"], "must", "{inline}");
    assert_eq!(inline, pooled);
    s.stop().await;
}

#[tokio::test]
async fn malformed_requests_get_400_with_code_and_path() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;

    let (status, _, v) = post(&s, "/v1/check", "{not json").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "invalid_json", "$");

    let (status, _, v) = post(&s, "/v1/check", "").await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "invalid_json", "$");

    let mut r = s01();
    r["sender"]["actor"] = "NOPE".into();
    let (status, _, v) = post(&s, "/v1/check", r.to_string()).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "unknown_actor", "sender.actor");

    let mut r = s01();
    r["items"][0]["category"] = "hemligt".into();
    let (_, _, v) = post(&s, "/v1/check", r.to_string()).await;
    assert_error(&v, "unknown_category", "items[0].category");

    let mut r = s01();
    r["items"][0]["extra"] = true.into();
    let (_, _, v) = post(&s, "/v1/check", r.to_string()).await;
    assert_error(&v, "invalid_shape", "items[0].extra");

    let mut r = s01();
    r["subjects"][0]["age"] = "tio".into();
    let (_, _, v) = post(&s, "/v1/check", r.to_string()).await;
    assert_error(&v, "invalid_shape", "subjects[0].age");

    let (status, _, v) = post(&s, "/v1/check", vec![0xffu8, 0xfe, b'{']).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert_error(&v, "invalid_encoding", "$");

    // Deeply nested input is refused by the JSON parser, not by a stack overflow.
    let deep = format!("{}{}", "[".repeat(100_000), "]".repeat(100_000));
    let (status, _, v) = post(&s, "/v1/check", deep).await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(v["code"] == "invalid_json" || v["code"] == "invalid_shape", "{v}");

    let (status, body) = get(&s, "/v1/nothing").await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    assert_error(&serde_json::from_str(&body).expect("json"), "not_found", "$");

    let (status, body) = get(&s, "/v1/check").await;
    assert_eq!(status, StatusCode::METHOD_NOT_ALLOWED);
    assert_error(&serde_json::from_str(&body).expect("json"), "method_not_allowed", "$");

    // The service is still well after all of that.
    let (status, _, v) = post(&s, "/v1/check", s01().to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(v["outcome"], "must");
    s.stop().await;
}

#[tokio::test]
async fn a_body_over_the_limit_gets_413() {
    let dir = ruleset_dir();
    let limits = Limits {
        max_body: 4096,
        ..Limits::default()
    };
    let s = start(dir.path(), limits, None).await;
    let mut r = s01();
    r["items"][0]["description"] = "x".repeat(5000).into();
    let (status, _, v) = post(&s, "/v1/check", r.to_string()).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&v, "body_too_large", "$");

    // Without a Content-Length (chunked), the limit still holds.
    let chunks: Vec<Result<Vec<u8>, std::io::Error>> = vec![Ok(vec![b' '; 3000]), Ok(vec![b' '; 3000])];
    let body = reqwest::Body::wrap_stream(futures_util::stream::iter(chunks));
    let (status, _, v) = post(&s, "/v1/check", body).await;
    assert_eq!(status, StatusCode::PAYLOAD_TOO_LARGE);
    assert_error(&v, "body_too_large", "$");

    // A batch line over the limit is an error line, and the lines after it are decided.
    let batch = format!("{}\n{}\n{}\n", s01(), r, s01());
    let text = s.batch(batch).await;
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), 3, "{text}");
    assert_eq!(lines[0]["decision"]["outcome"], "must");
    assert_eq!(lines[1]["line"], 2);
    assert_eq!(lines[1]["error"]["code"], "line_too_long");
    assert_eq!(lines[2]["line"], 3);
    assert_eq!(lines[2]["decision"]["outcome"], "must");

    // A batch over the batch limit ends with an error line.
    s.stop().await;
    let limits = Limits {
        max_batch_body: 10_000,
        ..Limits::default()
    };
    let s = start(dir.path(), limits, None).await;
    let batch: String = (0..100).map(|_| format!("{}\n", s01())).collect();
    let text = s.batch(batch).await;
    let last: Value = serde_json::from_str(text.lines().last().expect("a line")).expect("json");
    assert_eq!(last["error"]["code"], "body_too_large", "{last}");
    s.stop().await;
}

#[tokio::test]
async fn a_request_slower_than_the_limit_gets_408() {
    let dir = ruleset_dir();
    let limits = Limits {
        request_timeout: Duration::from_millis(300),
        ..Limits::default()
    };
    let s = start(dir.path(), limits, None).await;
    let body = s01().to_string().into_bytes();
    let (head, tail) = body.split_at(10);
    let (head, tail) = (head.to_vec(), tail.to_vec());
    let stream = futures_util::stream::unfold(0, move |i| {
        let (head, tail) = (head.clone(), tail.clone());
        async move {
            match i {
                0 => Some((Ok::<_, std::io::Error>(head), 1)),
                1 => {
                    tokio::time::sleep(Duration::from_secs(2)).await;
                    Some((Ok(tail), 2))
                }
                _ => None,
            }
        }
    });
    let resp = s
        .client
        .post(s.url("/v1/check"))
        .body(reqwest::Body::wrap_stream(stream))
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::REQUEST_TIMEOUT);
    let v: Value = resp.json().await.expect("json");
    assert_error(&v, "timeout", "$");
    s.stop().await;
}

#[tokio::test]
async fn batch_streams_ndjson_in_input_order() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    let scenarios = scenario_requests();
    let mut input = String::new();
    let mut expected = Vec::new();
    for round in 0..10 {
        for (i, (request, outcome)) in scenarios.iter().enumerate() {
            input.push_str(request);
            input.push('\n');
            expected.push(Some(outcome.clone()));
            if round == 0 && i == 3 {
                input.push_str("{\"schema\": \"lagrum.request.v1\"\n");
                expected.push(None);
                input.push_str("   \n");
            }
        }
    }
    let resp = s
        .client
        .post(s.url("/v1/check/batch"))
        .header("content-type", "application/x-ndjson")
        .body(input)
        .send()
        .await
        .expect("send");
    assert_eq!(resp.status(), StatusCode::OK);
    assert_eq!(resp.headers()["content-type"], "application/x-ndjson");
    let hash = resp.headers()["lagrum-ruleset"].to_str().expect("hash").to_string();
    let text = resp.text().await.expect("body");
    let lines: Vec<Value> = text
        .lines()
        .map(|l| serde_json::from_str(l).expect("json line"))
        .collect();
    assert_eq!(lines.len(), expected.len());
    let mut prev = 0;
    for (line, want) in lines.iter().zip(&expected) {
        let n = line["line"].as_u64().expect("line number");
        assert!(n > prev, "in input order");
        prev = n;
        match want {
            Some(o) => {
                assert_eq!(line["decision"]["outcome"], o.as_str());
                assert_eq!(line["decision"]["ruleset"]["hash"], hash.as_str());
            }
            None => {
                assert_eq!(line["line"], 5);
                assert_eq!(line["error"]["code"], "invalid_json");
            }
        }
    }
    // The blank line (6) was counted but not answered.
    assert_eq!(lines[5]["line"], 7);
    s.stop().await;
}

#[tokio::test]
async fn batch_answers_each_line_as_it_arrives() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    let (tx, rx) = tokio::sync::mpsc::channel::<Result<Vec<u8>, std::io::Error>>(4);
    let body = reqwest::Body::wrap_stream(futures_util::stream::unfold(rx, |mut rx| async move {
        rx.recv().await.map(|x| (x, rx))
    }));
    let send = tokio::spawn(s.client.post(s.url("/v1/check/batch")).body(body).send());
    tx.send(Ok(format!("{}\n", s01()).into_bytes()))
        .await
        .expect("send line");
    let mut resp = send.await.expect("join").expect("response");
    // The first answer comes while the request body is still open.
    let mut first = Vec::new();
    while !first.ends_with(b"\n") {
        let chunk = tokio::time::timeout(Duration::from_secs(5), resp.chunk())
            .await
            .expect("answered before the body ended")
            .expect("chunk")
            .expect("some bytes");
        first.extend_from_slice(&chunk);
    }
    let v: Value = serde_json::from_slice(first.trim_ascii()).expect("json");
    assert_eq!(v["line"], 1);
    tx.send(Ok(format!("{}\n", s01()).into_bytes()))
        .await
        .expect("send line");
    drop(tx);
    let rest = resp.text().await.expect("rest");
    let v: Value = serde_json::from_str(rest.trim()).expect("json");
    assert_eq!(v["line"], 2);
    s.stop().await;
}

#[tokio::test]
async fn ruleset_health_and_metrics() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    let (status, body) = get(&s, "/v1/ruleset").await;
    assert_eq!(status, StatusCode::OK);
    let v: Value = serde_json::from_str(&body).expect("json");
    assert!(v["ruleset"]["hash"].as_str().is_some_and(|h| h.starts_with("sha256:")));
    assert!(v["ruleset"]["version"].as_str().is_some());
    let provisions = v["provisions"].as_array().expect("provisions");
    assert!(provisions.len() > 20);
    let luffa = provisions
        .iter()
        .find(|p| p["citation"] == "LUFFA 2 §")
        .expect("LUFFA 2 § is listed");
    assert_eq!(luffa["versions"][0]["from"], "2024-07-01");

    let (status, body) = get(&s, "/healthz").await;
    assert_eq!(status, StatusCode::OK);
    let h: Value = serde_json::from_str(&body).expect("json");
    assert_eq!(h["status"], "ok");
    assert_eq!(h["ruleset"], v["ruleset"]);
    assert_eq!(h["audit_log"], false);

    post(&s, "/v1/check", s01().to_string()).await;
    post(&s, "/v1/check", "{").await;
    let (status, metrics) = get(&s, "/metrics").await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        metrics.contains(r#"lagrum_decisions_total{outcome="must",source="check"} 1"#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"lagrum_request_errors_total{code="invalid_json",source="check"} 1"#));
    assert!(metrics.contains("lagrum_decision_duration_seconds_bucket"));
    assert!(metrics.contains(r#"lagrum_http_request_duration_seconds_count{route="/v1/check"} 2"#));
    assert!(metrics.contains(&format!(
        r#"lagrum_ruleset_info{{version="{}",hash="{}"}} 1"#,
        v["ruleset"]["version"].as_str().expect("version"),
        v["ruleset"]["hash"].as_str().expect("hash")
    )));
    assert!(metrics.trim_end().ends_with("# EOF"));
    s.stop().await;
}

#[tokio::test]
async fn reload_puts_a_good_ruleset_in_service_and_rejects_a_bad_one() {
    let dir = ruleset_dir();
    let s = start(dir.path(), Limits::default(), None).await;
    let (_, _, before) = post(&s, "/v1/check", common::own_initiative().to_string()).await;
    assert_eq!(before["outcome"], "manual");
    let old_hash = before["ruleset"]["hash"].clone();

    // Unchanged files: reloads, same hash.
    let (status, _, v) = post(&s, "/v1/ruleset/reload", "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["changed"], false);

    // A changed law: the new ruleset decides, and says so.
    common::luffa_without_uncertainty(dir.path());
    let (status, headers, v) = post(&s, "/v1/ruleset/reload", "").await;
    assert_eq!(status, StatusCode::OK, "{v}");
    assert_eq!(v["changed"], true);
    assert_eq!(v["previous"]["hash"], old_hash);
    let new_hash = v["ruleset"]["hash"].clone();
    assert_ne!(new_hash, old_hash);
    assert_eq!(headers["lagrum-ruleset"], new_hash.as_str().expect("str"));
    let (_, _, after) = post(&s, "/v1/check", common::own_initiative().to_string()).await;
    assert_eq!(after["outcome"], "must");
    assert_eq!(after["ruleset"]["hash"], new_hash);

    // A broken ruleset is rejected with its diagnostics; the good one stays in service.
    std::fs::write(dir.path().join("zz-trasig.lagrum"), "bestämmelse trasig = {\n").expect("write");
    let (status, _, v) = post(&s, "/v1/ruleset/reload", "").await;
    assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY, "{v}");
    assert_eq!(v["code"], "invalid_ruleset");
    assert_eq!(v["ruleset"]["hash"], new_hash);
    let d = &v["diagnostics"][0];
    assert!(
        d["file"].as_str().is_some_and(|f| f.ends_with("zz-trasig.lagrum")),
        "{v}"
    );
    assert_eq!(d["line"], 1);
    let (status, _, still) = post(&s, "/v1/check", common::own_initiative().to_string()).await;
    assert_eq!(status, StatusCode::OK);
    assert_eq!(still["ruleset"]["hash"], new_hash);
    let (_, health) = get(&s, "/healthz").await;
    let health: Value = serde_json::from_str(&health).expect("json");
    assert_eq!(health["ruleset"]["hash"], new_hash);

    let (_, metrics) = get(&s, "/metrics").await;
    assert!(
        metrics.contains(r#"lagrum_ruleset_reloads_total{result="ok"} 2"#),
        "{metrics}"
    );
    assert!(metrics.contains(r#"lagrum_ruleset_reloads_total{result="rejected"} 1"#));
    s.stop().await;
}

#[tokio::test]
async fn reload_never_drops_service() {
    let dir = ruleset_dir();
    let s = std::sync::Arc::new(start(dir.path(), Limits::default(), None).await);
    let stop = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    let mut clients = Vec::new();
    for _ in 0..4 {
        let s = s.clone();
        let stop = stop.clone();
        clients.push(tokio::spawn(async move {
            let mut hashes = std::collections::BTreeSet::new();
            let mut n = 0u32;
            while !stop.load(std::sync::atomic::Ordering::SeqCst) && n < 2000 {
                let resp = s
                    .client
                    .post(s.url("/v1/check"))
                    .body(common::own_initiative().to_string())
                    .send()
                    .await
                    .expect("send");
                assert_eq!(resp.status(), StatusCode::OK);
                let v: Value = resp.json().await.expect("json");
                // The outcome always matches the ruleset that made it.
                let outcome = v["outcome"].as_str().expect("outcome").to_string();
                hashes.insert((v["ruleset"]["hash"].as_str().expect("hash").to_string(), outcome));
                n += 1;
            }
            (n, hashes)
        }));
    }
    // Alternate between two good rulesets and a bad one while the clients run.
    let original = std::fs::read_to_string(dir.path().join("luffa.lagrum")).expect("read");
    for round in 0..6 {
        match round % 3 {
            0 => common::luffa_without_uncertainty(dir.path()),
            1 => std::fs::write(dir.path().join("zz.lagrum"), "inte ett regelverk").expect("write"),
            _ => {
                std::fs::remove_file(dir.path().join("zz.lagrum")).expect("rm");
                std::fs::write(dir.path().join("luffa.lagrum"), &original).expect("write");
            }
        }
        let resp = s.client.post(s.url("/v1/ruleset/reload")).send().await.expect("reload");
        let want = if round % 3 == 1 {
            StatusCode::UNPROCESSABLE_ENTITY
        } else {
            StatusCode::OK
        };
        assert_eq!(resp.status(), want);
    }
    stop.store(true, std::sync::atomic::Ordering::SeqCst);
    let mut seen = std::collections::BTreeMap::new();
    for c in clients {
        let (n, hashes) = c.await.expect("client");
        assert!(n > 0);
        for (h, o) in hashes {
            seen.entry(h).or_insert_with(std::collections::BTreeSet::new).insert(o);
        }
    }
    // Each ruleset gave one outcome for the same request: no request saw a mix.
    for (h, outcomes) in &seen {
        assert_eq!(outcomes.len(), 1, "{h}: {outcomes:?}");
    }
}
