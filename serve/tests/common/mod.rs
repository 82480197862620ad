//! Shared by the integration tests: a ruleset directory to reload from, a server on an
//! ephemeral loopback port, and the brief's scenario requests.
#![allow(dead_code, reason = "each test binary uses a part")]
#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: failing loudly is their job"
)]

use lagrum_serve::app::{AppState, Limits};
use lagrum_serve::audit::AuditLog;
use lagrum_serve::{Config, Server, state};
use std::net::SocketAddr;
use std::path::{Path, PathBuf};
use std::sync::Arc;

/// The embedded rulesets written to a fresh directory.
pub fn ruleset_dir() -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("temp dir");
    for (name, text) in lagrum_rulesets::FILES {
        std::fs::write(dir.path().join(name), text).expect("write ruleset");
    }
    dir
}

/// A running server; stops when dropped.
pub struct Running {
    pub addr: SocketAddr,
    pub state: Arc<AppState>,
    pub client: reqwest::Client,
    stop: Option<tokio::sync::oneshot::Sender<()>>,
    task: Option<tokio::task::JoinHandle<Result<(), String>>>,
}

impl Running {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    /// Posts NDJSON lines to `/v1/check/batch` and returns the answer's body.
    pub async fn batch(&self, body: impl Into<reqwest::Body>) -> String {
        let resp = self.client.post(self.url("/v1/check/batch")).body(body).send().await;
        resp.expect("send").text().await.expect("body")
    }

    /// Stops the server and waits until it has answered what was in flight.
    pub async fn stop(mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
        if let Some(t) = self.task.take() {
            let _ = t.await;
        }
    }
}

impl Drop for Running {
    fn drop(&mut self) {
        if let Some(s) = self.stop.take() {
            let _ = s.send(());
        }
    }
}

/// Starts a server on 127.0.0.1 with an ephemeral port over the rulesets in `dir`.
pub async fn start(dir: &Path, limits: Limits, audit: Option<AuditLog>) -> Running {
    let mut config = Config::new(state::directory(dir.to_path_buf()));
    config.addr = "127.0.0.1:0".parse().expect("addr");
    config.limits = limits;
    config.audit = audit;
    let server = Server::bind(config).await.expect("server starts");
    let addr = server.local_addr().expect("bound");
    assert!(addr.ip().is_loopback());
    let state = server.state();
    let (tx, rx) = tokio::sync::oneshot::channel::<()>();
    let task = tokio::spawn(server.run(async move {
        let _ = rx.await;
    }));
    Running {
        addr,
        state,
        client: reqwest::Client::new(),
        stop: Some(tx),
        task: Some(task),
    }
}

fn scenarios_dir() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios")
}

/// Every scenario request as compact JSON, with the expected overall outcome.
pub fn scenario_requests() -> Vec<(String, String)> {
    let mut files: Vec<PathBuf> = std::fs::read_dir(scenarios_dir())
        .expect("scenarios")
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "json"))
        .collect();
    files.sort();
    files
        .iter()
        .map(|f| {
            let v: serde_json::Value =
                serde_json::from_str(&std::fs::read_to_string(f).expect("read scenario")).expect("scenario json");
            let outcome = v["expect"]["outcome"].as_str().expect("outcome").to_string();
            (v["request"].to_string(), outcome)
        })
        .collect()
}

/// The request of scenario `s01` (SKV → FK, income, LUFFA: must).
pub fn s01() -> serde_json::Value {
    let text = std::fs::read_to_string(scenarios_dir().join("s01-skv-fk-inkomst-luffa.json")).expect("s01");
    let v: serde_json::Value = serde_json::from_str(&text).expect("json");
    v["request"].clone()
}

/// The LUFFA file with the uncertainty about own-initiative disclosure removed: a "law
/// change" that turns an own-initiative LUFFA disclosure from `manual` into `must`.
pub fn luffa_without_uncertainty(dir: &Path) {
    let p = dir.join("luffa.lagrum");
    let text = std::fs::read_to_string(&p).expect("luffa");
    let line = "    osäkert \"LUFFA innehåller inget krav på begäran, men om skyldigheten gäller utlämnande på\n      eget initiativ är inte kontrollerat i förarbetena [I].\" när sätt = eget_initiativ\n";
    assert!(text.contains(line), "the LUFFA file has changed; update the test");
    std::fs::write(&p, text.replace(line, "")).expect("write luffa");
}

/// s01 sent on the sender's own initiative after SFS 2025:761 (manual under the shipped
/// rulesets, must without the uncertainty).
pub fn own_initiative() -> serde_json::Value {
    let mut r = s01();
    r["mode"] = "own_initiative".into();
    r["date"] = "2025-10-01".into();
    r
}
