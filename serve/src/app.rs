//! The HTTP service: routes, limits and error documents.
//!
//! | route | |
//! |---|---|
//! | `POST /v1/check` | one request (`lagrum.request.v2`, or v1) → its decision (`lagrum.decision.v2`) |
//! | `POST /v1/check/batch` | NDJSON requests → NDJSON [`crate::line::BatchLine`]s, streamed in input order |
//! | `GET /v1/ruleset` | the ruleset in service: name, version, hash, provisions with validity |
//! | `POST /v1/ruleset/reload` | reads the ruleset again; rejected if it does not check |
//! | `GET /healthz` | liveness and the ruleset hash |
//! | `GET /metrics` | Prometheus metrics |
//! | `GET /openapi.json` | the OpenAPI description of all this |
//!
//! Every error is an [`ErrorDoc`] (`code`, `path`, `message`) with a stable code. Every
//! response that depends on the ruleset carries its hash in the `lagrum-ruleset` header;
//! the decision document also names it (`ruleset.hash`).

use crate::audit::{AuditLog, Recorder, Source};
use crate::line::{self, Caps, Decided};
use crate::metrics::Metrics;
pub use crate::state::{HealthDoc, ReloadErrorDoc};
use crate::state::{ReloadError, Reloaded, Rulesets, ruleset_doc};
use axum::Router;
use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderName, HeaderValue, StatusCode, header};
use axum::middleware::{self, Next};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use futures_util::StreamExt as _;
use http_body_util::BodyExt as _;
use lagrum_engine::Engine;
use lagrum_engine::error::ErrorDoc;
use lagrum_engine::render::json::OutcomeDoc;
use std::sync::Arc;
use std::time::{Duration, Instant};

/// The header naming the ruleset hash a response was made with.
pub const RULESET_HEADER: &str = "lagrum-ruleset";
/// The header carrying the decision id (when the decision log is on).
pub const DECISION_ID_HEADER: &str = "lagrum-decision-id";

/// Limits on what a client can make the service do.
#[derive(Debug, Clone)]
pub struct Limits {
    /// Largest body of `POST /v1/check`, and largest line of a batch, in bytes.
    pub max_body: usize,
    /// Largest body of `POST /v1/check/batch`, in bytes.
    pub max_batch_body: u64,
    /// Time allowed for a request until its response starts.
    pub request_timeout: Duration,
    /// Time allowed for a whole batch, streaming included.
    pub batch_timeout: Duration,
    /// Blocking threads deciding one batch at the same time.
    pub batch_workers: usize,
    /// Lines decided together as one task in a batch.
    pub batch_chunk: usize,
    /// Most items and subjects in one request (of `/v1/check`, and per batch line).
    pub caps: Caps,
    /// Decisions made at the same time, over all requests and batches: deciding and
    /// rendering run on blocking threads, never on the threads that serve connections, and
    /// at most this many at once (a request waits for its turn within its time limit).
    pub deciders: usize,
    /// Time a client has to send a request's headers, counted from when the connection is
    /// ready for a request: a connection that stalls in its headers, or sits idle between
    /// keep-alive requests, is closed after it.
    pub header_timeout: Duration,
    /// Open connections at most; more wait to be accepted.
    pub max_connections: usize,
}

impl Default for Limits {
    fn default() -> Self {
        let cores = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);
        Limits {
            max_body: 1024 * 1024,
            max_batch_body: 1024 * 1024 * 1024,
            request_timeout: Duration::from_secs(10),
            batch_timeout: Duration::from_secs(600),
            batch_workers: cores,
            batch_chunk: 64,
            caps: Caps::default(),
            deciders: cores,
            header_timeout: Duration::from_secs(10),
            max_connections: 1024,
        }
    }
}

/// Shared by all handlers.
#[derive(Debug)]
pub struct AppState {
    pub rulesets: Arc<Rulesets>,
    pub metrics: Arc<Metrics>,
    pub audit: Option<Arc<AuditLog>>,
    pub limits: Limits,
    /// Turns to decide ([`Limits::deciders`]).
    pub deciders: Arc<tokio::sync::Semaphore>,
}

impl AppState {
    pub fn new(
        rulesets: Arc<Rulesets>,
        metrics: Arc<Metrics>,
        audit: Option<Arc<AuditLog>>,
        limits: Limits,
    ) -> AppState {
        let deciders = Arc::new(tokio::sync::Semaphore::new(limits.deciders.max(1)));
        AppState {
            rulesets,
            metrics,
            audit,
            limits,
            deciders,
        }
    }

    /// Runs `work` on a blocking thread once a decider's turn is free. `None` if the
    /// runtime is shutting down or the work panicked.
    pub async fn decide<T: Send + 'static>(&self, work: impl FnOnce() -> T + Send + 'static) -> Option<T> {
        let permit = self.deciders.clone().acquire_owned().await.ok()?;
        tokio::task::spawn_blocking(move || {
            let _turn = permit;
            work()
        })
        .await
        .ok()
    }

    /// Runs the work of one request once a decider's turn is free: on this task if its
    /// body is small ([`INLINE_MAX_BODY`]), else as [`AppState::decide`] does.
    pub async fn decide_request<T: Send + 'static>(
        &self,
        body_len: usize,
        work: impl FnOnce() -> T + Send + 'static,
    ) -> Option<T> {
        if body_len > INLINE_MAX_BODY {
            return self.decide(work).await;
        }
        let _turn = self.deciders.acquire().await.ok()?;
        Some(work())
    }
}

type Shared = Arc<AppState>;

/// The largest `POST /v1/check` body decided on the task that read it rather than handed to
/// a blocking thread. Every scenario request is under 600 bytes; a 1 KiB body holds at most
/// ~25 minimal items, a few milliseconds of work. Handing a ~100 µs decision to another
/// thread and back cost more than the decision's own JSON (195–228 against 145–168 µs of CPU
/// per request under load, docs/performance.md); larger bodies still go to the pool, so a
/// request at `--max-items` never holds a thread that serves connections.
pub const INLINE_MAX_BODY: usize = 1024;

/// The service's routes over the given state.
pub fn router(state: Arc<AppState>) -> Router {
    let engine = state.rulesets.engine();
    let info = engine.ruleset();
    state.metrics.ruleset_in_service(&info.version, &info.hash);
    Router::new()
        .route("/v1/check", post(check))
        .route("/v1/check/batch", post(batch))
        .route("/v1/ruleset", get(ruleset))
        .route("/v1/ruleset/reload", post(reload))
        .route("/healthz", get(healthz))
        .route("/metrics", get(metrics))
        .route("/openapi.json", get(openapi))
        .fallback(not_found)
        .method_not_allowed_fallback(method_not_allowed)
        .layer(middleware::from_fn_with_state(state.clone(), observe))
        .layer(tower_http::catch_panic::CatchPanicLayer::custom(panicked))
        .with_state(state)
}

/// An error response with an [`ErrorDoc`] body.
pub fn error(status: StatusCode, code: &str, path: &str, message: impl Into<String>) -> Response {
    let doc = ErrorDoc {
        code: code.to_string(),
        path: path.to_string(),
        message: message.into(),
    };
    (status, axum::Json(doc)).into_response()
}

fn panicked(_: Box<dyn std::any::Any + Send + 'static>) -> Response {
    error(
        StatusCode::INTERNAL_SERVER_ERROR,
        "internal",
        "$",
        "internt fel; begäran avgjordes inte",
    )
}

async fn not_found() -> Response {
    error(StatusCode::NOT_FOUND, "not_found", "$", "ingen sådan resurs")
}

async fn method_not_allowed() -> Response {
    error(
        StatusCode::METHOD_NOT_ALLOWED,
        "method_not_allowed",
        "$",
        "metoden stöds inte för resursen",
    )
}

/// Times every request, applies the request time limit and counts responses.
async fn observe(State(app): State<Shared>, req: Request, next: Next) -> Response {
    let route = req
        .extensions()
        .get::<MatchedPath>()
        .map(|p| p.as_str().to_string())
        .unwrap_or_else(|| "unmatched".to_string());
    let start = Instant::now();
    let resp = match tokio::time::timeout(app.limits.request_timeout, next.run(req)).await {
        Ok(r) => r,
        Err(_) => {
            app.metrics.error("timeout", "http");
            error(
                StatusCode::REQUEST_TIMEOUT,
                "timeout",
                "$",
                format!(
                    "begäran tog längre tid än {} s",
                    app.limits.request_timeout.as_secs_f64()
                ),
            )
        }
    };
    app.metrics
        .http(&route, resp.status().as_u16(), start.elapsed().as_secs_f64());
    resp
}

fn with_ruleset(mut resp: Response, hash: &str) -> Response {
    if let Ok(v) = HeaderValue::from_str(hash) {
        resp.headers_mut().insert(HeaderName::from_static(RULESET_HEADER), v);
    }
    resp
}

/// Reads a body up to `max` bytes; a larger one is a 413 with code `body_too_large`.
async fn read_body(body: Body, max: usize) -> Result<Bytes, (StatusCode, ErrorDoc)> {
    match http_body_util::Limited::new(body, max).collect().await {
        Ok(c) => Ok(c.to_bytes()),
        Err(e) if e.downcast_ref::<http_body_util::LengthLimitError>().is_some() => Err((
            StatusCode::PAYLOAD_TOO_LARGE,
            ErrorDoc {
                code: "body_too_large".into(),
                path: "$".into(),
                message: format!("begäran är större än {max} byte"),
            },
        )),
        Err(e) => Err((
            StatusCode::BAD_REQUEST,
            ErrorDoc {
                code: "invalid_body".into(),
                path: "$".into(),
                message: format!("begäran kunde inte läsas: {e}"),
            },
        )),
    }
}

fn not_utf8() -> ErrorDoc {
    ErrorDoc {
        code: "invalid_encoding".into(),
        path: "$".into(),
        message: "begäran är inte UTF-8".into(),
    }
}

async fn check(State(app): State<Shared>, headers: axum::http::HeaderMap, body: Body) -> Response {
    if let Some(resp) = declared_too_large(&app, &headers) {
        return resp;
    }
    let bytes = match read_body(body, app.limits.max_body).await {
        Ok(b) => b,
        Err((status, doc)) => {
            app.metrics.error(&doc.code, "check");
            return (status, axum::Json(doc)).into_response();
        }
    };
    let engine = app.rulesets.engine();
    let hash = engine.ruleset().hash.clone();
    let Ok(text) = String::from_utf8(Vec::from(bytes)) else {
        let doc = not_utf8();
        app.metrics.error(&doc.code, "check");
        log_error(&app, &engine, &doc).await;
        return with_ruleset((StatusCode::BAD_REQUEST, axum::Json(doc)).into_response(), &hash);
    };
    // Deciding, the audit record and the JSON happen on a blocking thread for a large
    // body, which must not hold a thread that serves connections; a small one is decided
    // here (see `INLINE_MAX_BODY`).
    let caps = app.limits.caps;
    let recorder = app.audit.as_ref().map(|l| l.recorder().clone());
    let work_engine = engine.clone();
    let judged = app
        .decide_request(text.len(), move || judge(&work_engine, &text, caps, recorder.as_ref()))
        .await;
    let Some((judged, elapsed)) = judged else {
        return error(
            StatusCode::INTERNAL_SERVER_ERROR,
            "internal",
            "$",
            "internt fel; begäran avgjordes inte",
        );
    };
    app.metrics.decision_time(elapsed.as_secs_f64());
    match judged {
        Judged::Decided { body, outcome, audit } => answer_decided(&app, body, outcome, audit, &hash).await,
        Judged::AuditFailed => {
            app.metrics.audit_error();
            audit_unavailable()
        }
        Judged::Refused(doc) => {
            app.metrics.error(&doc.code, "check");
            log_error(&app, &engine, &doc).await;
            with_ruleset((StatusCode::BAD_REQUEST, axum::Json(doc)).into_response(), &hash)
        }
    }
}

/// A request whose declared length is over the limit is refused before its body is read.
fn declared_too_large(app: &AppState, headers: &axum::http::HeaderMap) -> Option<Response> {
    let len = headers
        .get(header::CONTENT_LENGTH)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.parse::<u64>().ok())?;
    if len <= app.limits.max_body as u64 {
        return None;
    }
    app.metrics.error("body_too_large", "check");
    Some(error(
        StatusCode::PAYLOAD_TOO_LARGE,
        "body_too_large",
        "$",
        format!("begäran är större än {} byte", app.limits.max_body),
    ))
}

/// Decides one request on a blocking thread: the decision, its audit record (when logging)
/// and its JSON, and how long deciding took.
fn judge(engine: &Engine, text: &str, caps: Caps, recorder: Option<&Recorder>) -> (Judged, Duration) {
    let start = Instant::now();
    let result = line::check(engine, text, caps);
    let elapsed = start.elapsed();
    let (request, doc) = match result {
        Err(e) => return (Judged::Refused(e.to_doc()), elapsed),
        Ok(decided) => decided,
    };
    let audit = match recorder {
        None => None,
        Some(r) => {
            let id = crate::audit::new_id();
            let rec = r.decision(id.clone(), Source::Check, None, request, &doc);
            match AuditLog::line(&rec) {
                Ok(l) => Some((id, l)),
                Err(_) => return (Judged::AuditFailed, elapsed),
            }
        }
    };
    let judged = match serde_json::to_vec(&doc) {
        Ok(body) => Judged::Decided {
            body,
            outcome: doc.outcome,
            audit,
        },
        Err(_) => Judged::Refused(line::internal("beslutet kunde inte skrivas som JSON")),
    };
    (judged, elapsed)
}

/// Writes a decision's audit record (when logging) and only then answers with it: no
/// decision leaves the service unlogged.
async fn answer_decided(
    app: &AppState,
    body: Vec<u8>,
    outcome: OutcomeDoc,
    audit: Option<(String, Vec<u8>)>,
    hash: &str,
) -> Response {
    let mut id = None;
    if let Some(log) = &app.audit {
        let Some((decision_id, record)) = audit else {
            app.metrics.audit_error();
            return audit_unavailable();
        };
        let written = match log.write_all(vec![record]).await {
            Ok(ack) => ack.await.unwrap_or(false),
            Err(_) => false,
        };
        if !written {
            app.metrics.audit_error();
            return audit_unavailable();
        }
        id = Some(decision_id);
    }
    app.metrics.decision(outcome, "check");
    let resp = (
        [(header::CONTENT_TYPE, HeaderValue::from_static("application/json"))],
        body,
    )
        .into_response();
    let mut resp = with_ruleset(resp, hash);
    if let Some(id) = id
        && let Ok(v) = HeaderValue::from_str(&id)
    {
        resp.headers_mut()
            .insert(HeaderName::from_static(DECISION_ID_HEADER), v);
    }
    resp
}

/// What a blocking thread made of one `/v1/check` request.
enum Judged {
    /// The decision as JSON, and its audit record (id, encoded line) when logging.
    Decided {
        body: Vec<u8>,
        outcome: OutcomeDoc,
        audit: Option<(String, Vec<u8>)>,
    },
    /// Why the request could not be judged.
    Refused(ErrorDoc),
    /// The audit record could not be encoded: no decision without it.
    AuditFailed,
}

fn audit_unavailable() -> Response {
    error(
        StatusCode::SERVICE_UNAVAILABLE,
        "audit_unavailable",
        "$",
        "beslutsloggen kan inte skrivas; inga beslut lämnas förrän den fungerar",
    )
}

/// Logs a request that could not be judged (code and path only). Best effort: it is not a
/// decision, so a log failure does not change the answer.
async fn log_error(app: &AppState, engine: &Engine, doc: &ErrorDoc) {
    if let Some(log) = &app.audit {
        let rec = log.recorder().error(
            crate::audit::new_id(),
            Source::Check,
            None,
            ruleset_doc(engine),
            &doc.code,
            &doc.path,
        );
        if log.write(&rec).await.is_err() {
            app.metrics.audit_error();
        }
    }
}

/// One input line waiting to be decided: its number and its text, or why it has none.
type Entry = (u64, Result<String, ErrorDoc>);

async fn batch(State(app): State<Shared>, body: Body) -> Response {
    let engine = app.rulesets.engine();
    let hash = engine.ruleset().hash.clone();
    let (out_tx, out_rx) = tokio::sync::mpsc::channel::<Bytes>(4);
    let (chunk_tx, chunk_rx) = tokio::sync::mpsc::channel::<Vec<Entry>>(app.limits.batch_workers.max(1) * 2);
    let deadline = tokio::time::Instant::now() + app.limits.batch_timeout;
    tokio::spawn(read_lines(app.limits.clone(), body, chunk_tx, deadline));
    tokio::spawn(decide_chunks(app.clone(), engine, chunk_rx, out_tx));
    let stream = futures_util::stream::unfold(out_rx, |mut rx| async move {
        rx.recv().await.map(|b| (Ok::<Bytes, std::convert::Infallible>(b), rx))
    });
    let mut resp = Response::new(Body::from_stream(stream));
    resp.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static("application/x-ndjson"));
    with_ruleset(resp, &hash)
}

/// Splits the body into lines and sends them in chunks, flushing a chunk whenever the
/// client pauses (at the end of each body frame), so a client that writes one line at a
/// time is answered one line at a time.
async fn read_lines(
    limits: Limits,
    body: Body,
    tx: tokio::sync::mpsc::Sender<Vec<Entry>>,
    deadline: tokio::time::Instant,
) {
    let mut frames = body.into_data_stream();
    let mut cut = LineCutter::new(&limits);
    let mut total: u64 = 0;
    loop {
        let failure = match tokio::time::timeout_at(deadline, frames.next()).await {
            Err(_) => Some((
                "timeout",
                format!("satsen tog längre tid än {} s", limits.batch_timeout.as_secs_f64()),
            )),
            Ok(None) => break,
            Ok(Some(Err(e))) => Some(("invalid_body", format!("begäran kunde inte läsas: {e}"))),
            Ok(Some(Ok(frame))) => {
                total += frame.len() as u64;
                if total > limits.max_batch_body {
                    Some((
                        "body_too_large",
                        format!("satsen är större än {} byte", limits.max_batch_body),
                    ))
                } else {
                    for full in cut.feed(&frame) {
                        if tx.send(full).await.is_err() {
                            return;
                        }
                    }
                    let waiting = cut.flush();
                    if !waiting.is_empty() && tx.send(waiting).await.is_err() {
                        return;
                    }
                    None
                }
            }
        };
        if let Some((code, message)) = failure {
            let line = cut.line_no + 1;
            let _ = tx.send(cut.flush()).await;
            let fatal = ErrorDoc {
                code: code.into(),
                path: "$".into(),
                message,
            };
            let _ = tx.send(vec![(line, Err(fatal))]).await;
            return;
        }
    }
    let last = cut.finish();
    if !last.is_empty() {
        let _ = tx.send(last).await;
    }
}

/// Cuts a batch body, frame by frame, into numbered lines and the lines into chunks: a
/// chunk is full at `batch_chunk` lines or `max_body` bytes of request text, so a batch
/// holds little memory however long its lines. A line longer than `max_body` is answered
/// with an error and skipped up to its newline.
struct LineCutter {
    max_line: usize,
    chunk_lines: usize,
    buf: Vec<u8>,
    skipping: bool,
    line_no: u64,
    chunk: Vec<Entry>,
    chunk_bytes: usize,
}

impl LineCutter {
    fn new(limits: &Limits) -> Self {
        LineCutter {
            max_line: limits.max_body,
            chunk_lines: limits.batch_chunk.max(1),
            buf: Vec::new(),
            skipping: false,
            line_no: 0,
            chunk: Vec::new(),
            chunk_bytes: 0,
        }
    }

    /// Takes one body frame; returns the chunks that became full.
    fn feed(&mut self, frame: &[u8]) -> Vec<Vec<Entry>> {
        let mut full = Vec::new();
        let mut rest = frame;
        while !rest.is_empty() {
            let Some(nl) = rest.iter().position(|b| *b == b'\n') else {
                self.partial(rest);
                break;
            };
            let (head, tail) = rest.split_at(nl);
            rest = tail.get(1..).unwrap_or_default();
            self.end_line(head);
            if self.chunk.len() >= self.chunk_lines || self.chunk_bytes >= self.max_line {
                full.push(self.flush());
            }
        }
        full
    }

    fn end_line(&mut self, head: &[u8]) {
        self.line_no += 1;
        if self.skipping {
            self.skipping = false;
            self.buf.clear();
            return;
        }
        self.buf.extend_from_slice(head);
        if let Some(e) = take_line(&mut self.buf, self.line_no, self.max_line) {
            self.chunk_bytes += e.1.as_ref().map(String::len).unwrap_or(0);
            self.chunk.push(e);
        }
    }

    /// The start of a line whose newline has not come yet.
    fn partial(&mut self, part: &[u8]) {
        if self.skipping {
            return;
        }
        self.buf.extend_from_slice(part);
        if self.buf.len() > self.max_line {
            self.skipping = true;
            self.buf.clear();
            self.chunk.push(too_long(self.line_no + 1, self.max_line));
        }
    }

    /// The lines waiting to be sent.
    fn flush(&mut self) -> Vec<Entry> {
        self.chunk_bytes = 0;
        std::mem::take(&mut self.chunk)
    }

    /// At the end of the body: what is waiting, with the last line if it had no newline.
    fn finish(mut self) -> Vec<Entry> {
        if !self.skipping && !self.buf.is_empty() {
            self.line_no += 1;
            if let Some(e) = take_line(&mut self.buf, self.line_no, self.max_line) {
                self.chunk.push(e);
            }
        }
        self.chunk
    }
}

fn too_long(line: u64, max: usize) -> Entry {
    (
        line,
        Err(ErrorDoc {
            code: "line_too_long".into(),
            path: "$".into(),
            message: format!("raden är längre än {max} byte"),
        }),
    )
}

/// Turns a complete line into an entry; `None` for a blank line.
fn take_line(buf: &mut Vec<u8>, line: u64, max: usize) -> Option<Entry> {
    let bytes = std::mem::take(buf);
    if bytes.len() > max {
        return Some(too_long(line, max));
    }
    match String::from_utf8(bytes) {
        Ok(s) if s.trim().is_empty() => None,
        Ok(s) => Some((line, Ok(s))),
        Err(_) => Some((line, Err(not_utf8()))),
    }
}

/// Decides chunks on blocking threads, several at a time, and sends the results in input
/// order.
async fn decide_chunks(
    app: Shared,
    engine: Arc<Engine>,
    rx: tokio::sync::mpsc::Receiver<Vec<Entry>>,
    tx: tokio::sync::mpsc::Sender<Bytes>,
) {
    let recorder = app.audit.as_ref().map(|l| l.recorder().clone());
    let caps = app.limits.caps;
    let chunks = futures_util::stream::unfold(rx, |mut rx| async move { rx.recv().await.map(|c| (c, rx)) });
    let results = chunks
        .map(|chunk| {
            let engine = engine.clone();
            let recorder = recorder.clone();
            let app = app.clone();
            async move {
                app.decide(move || {
                    let start = Instant::now();
                    let out: Vec<Decided> = chunk
                        .into_iter()
                        .map(|(n, text)| {
                            line::decide_line(&engine, text.as_deref(), n, recorder.as_ref(), Source::Batch, caps)
                        })
                        .collect();
                    (out, start.elapsed())
                })
                .await
            }
        })
        .buffered(app.limits.batch_workers.max(1));
    let mut results = std::pin::pin!(results);
    while let Some(done) = results.next().await {
        let Some((decided, elapsed)) = done else {
            let _ = tx
                .send(Bytes::from(line::error_line(
                    0,
                    &line::internal("internt fel i satsen"),
                )))
                .await;
            return;
        };
        if !log_and_send(&app, decided, elapsed, &tx).await {
            return;
        }
    }
}

/// Writes a chunk's audit records (when logging), counts its outcomes and sends its
/// lines; false when the batch must stop (the log failed or the client left).
async fn log_and_send(
    app: &AppState,
    decided: Vec<Decided>,
    elapsed: Duration,
    tx: &tokio::sync::mpsc::Sender<Bytes>,
) -> bool {
    if let Some(log) = &app.audit {
        let records: Vec<Vec<u8>> = decided.iter().filter_map(|d| d.audit.clone()).collect();
        let ok = match log.write_all(records).await {
            Ok(ack) => ack.await.unwrap_or(false),
            Err(_) => false,
        };
        if !ok {
            app.metrics.audit_error();
            let first = decided.first().map(|d| d.line).unwrap_or(0);
            let doc = ErrorDoc {
                code: "audit_unavailable".into(),
                path: "$".into(),
                message: "beslutsloggen kan inte skrivas; inga fler beslut lämnas".into(),
            };
            let _ = tx.send(Bytes::from(line::error_line(first, &doc))).await;
            return false;
        }
    }
    let n = decided.len().max(1) as f64;
    let mut counts = [0u64; 4];
    let mut out = Vec::with_capacity(decided.iter().map(|d| d.output.len()).sum());
    for d in &decided {
        match &d.result {
            Ok(o) => {
                app.metrics.decision_time(elapsed.as_secs_f64() / n);
                if let Some(c) = counts.get_mut(outcome_index(*o)) {
                    *c += 1;
                }
            }
            Err(e) => app.metrics.error(&e.code, "batch"),
        }
        out.extend_from_slice(&d.output);
    }
    for (o, c) in [
        OutcomeDoc::Must,
        OutcomeDoc::Allow,
        OutcomeDoc::Manual,
        OutcomeDoc::Deny,
    ]
    .into_iter()
    .zip(counts)
    {
        app.metrics.decisions(o, "batch", c);
    }
    tx.send(Bytes::from(out)).await.is_ok()
}

fn outcome_index(o: OutcomeDoc) -> usize {
    match o {
        OutcomeDoc::Must => 0,
        OutcomeDoc::Allow => 1,
        OutcomeDoc::Manual => 2,
        OutcomeDoc::Deny => 3,
    }
}

async fn ruleset(State(app): State<Shared>) -> Response {
    let engine = app.rulesets.engine();
    let hash = engine.ruleset().hash.clone();
    with_ruleset(axum::Json(engine.listing()).into_response(), &hash)
}

async fn healthz(State(app): State<Shared>) -> Response {
    let engine = app.rulesets.engine();
    let broken = app.audit.as_ref().is_some_and(|l| l.is_broken());
    let doc = HealthDoc {
        status: if broken { "unavailable" } else { "ok" }.into(),
        ruleset: ruleset_doc(&engine),
        audit_log: app.audit.is_some(),
    };
    let status = if broken {
        StatusCode::SERVICE_UNAVAILABLE
    } else {
        StatusCode::OK
    };
    with_ruleset((status, axum::Json(doc)).into_response(), &engine.ruleset().hash)
}

async fn metrics(State(app): State<Shared>) -> Response {
    (
        [(
            header::CONTENT_TYPE,
            "application/openmetrics-text; version=1.0.0; charset=utf-8",
        )],
        app.metrics.encode(),
    )
        .into_response()
}

async fn openapi() -> Response {
    axum::Json(crate::openapi::document()).into_response()
}

/// Reloads the ruleset, logging the result to standard error. Used by the route and by
/// SIGHUP.
pub async fn do_reload(app: &AppState) -> Result<Reloaded, ReloadError> {
    let rulesets = app.rulesets.clone();
    let result = tokio::task::spawn_blocking(move || rulesets.reload())
        .await
        .unwrap_or_else(|_| Err(ReloadError::Load("omläsningen avbröts".into())));
    match &result {
        Ok(r) => {
            app.metrics.reload(true);
            app.metrics.ruleset_in_service(&r.ruleset.version, &r.ruleset.hash);
            eprintln!(
                "lagrum serve: regelverket läst på nytt: {} {} ({})",
                r.ruleset.version,
                r.ruleset.hash,
                if r.changed { "ändrat" } else { "oförändrat" }
            );
        }
        Err(e) => {
            app.metrics.reload(false);
            let current = app.rulesets.engine();
            eprintln!(
                "lagrum serve: nytt regelverk avvisat, {} {} är kvar i tjänst: {e}",
                current.ruleset().version,
                current.ruleset().hash
            );
            if let ReloadError::Invalid { rendered, .. } = e {
                eprint!("{rendered}");
            }
        }
    }
    result
}

async fn reload(State(app): State<Shared>) -> Response {
    match do_reload(&app).await {
        Ok(r) => {
            let hash = r.ruleset.hash.clone();
            with_ruleset(axum::Json(r).into_response(), &hash)
        }
        Err(e) => {
            let engine = app.rulesets.engine();
            let (code, diagnostics) = match &e {
                ReloadError::Load(_) => ("ruleset_unreadable", Vec::new()),
                ReloadError::Invalid { diagnostics, .. } => ("invalid_ruleset", diagnostics.clone()),
            };
            let doc = ReloadErrorDoc {
                code: code.into(),
                path: "$".into(),
                message: format!("nytt regelverk avvisat, det tidigare är kvar i tjänst: {e}"),
                diagnostics,
                ruleset: ruleset_doc(&engine),
            };
            with_ruleset(
                (StatusCode::UNPROCESSABLE_ENTITY, axum::Json(doc)).into_response(),
                &engine.ruleset().hash,
            )
        }
    }
}
