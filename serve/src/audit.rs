//! The decision log: one JSON line per decision (`lagrum.audit.v1`).
//!
//! A record names the decision (`decision_id`), the time, the ruleset hash, the request as
//! the engine read it, the outcome, the basis and a compact proof for each item. Personal
//! identifiers are pseudonymised with a keyed hash before anything is written:
//!
//! - `subjects[].identity.number` and `subjects[].id` (and `items[].subject`, which refers
//!   to it) become `hmac-sha256:` and 32 hex digits of HMAC-SHA256 under the audit key, so
//!   the same person gets the same pseudonym in every record made with the same key, and
//!   nobody without the key can go back to the number;
//! - `items[].description`, the only free text in a request, is never written;
//! - nothing else in a request is free text: every other field is a date, a number, a yes or
//!   no, or a name the ruleset defines (actors, units, purposes, categories, markers, facts)
//!   and validation has already rejected anything else. Addresses are never part of a
//!   request: an item names the category (`bostadsadress`), not the address. The caller's
//!   own references (`id` of the request and of items) are written as given: they must not
//!   carry personal data (docs/service.md says so).
//!
//! The key comes from the environment variable [`KEY_ENV`] and is never written anywhere;
//! without a key the log refuses to start rather than write raw numbers. A request that
//! could not be judged is logged with its error code and JSON path only, never its text.
//!
//! Records are written by one thread, in order. The service waits until the record of a
//! decision is written and flushed before it answers (group commit: one flush for every
//! record waiting), so no decision leaves the service without its record; if the log cannot
//! be written the service answers 503 instead of the decision.
//!
//! The writer seals each record into a hash chain as it writes it ([`crate::chain`]): the
//! record gets the previous record's hash (`prev`) and its own (`hash`), so a removed,
//! moved or edited record is found by `legal log verify`.

use hmac::{Hmac, Mac};
use lagrum_dsl::date::Date;
use lagrum_engine::identity::IdentityNumber;
use lagrum_engine::render::compact::{CompactDoc as DecisionDoc, CompactItem};
use lagrum_engine::render::json::RulesetDoc;
use lagrum_engine::render::json::{
    DataProtectionVerdictDoc, OutcomeDoc, ReasonCode, Role, SecrecyResultDoc, StepResult,
};
use lagrum_engine::request::RequestDoc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use sha2::Sha256;
use std::io::Write;
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, Ordering};

/// The environment variable holding the audit key.
pub const KEY_ENV: &str = "LAGRUM_AUDIT_KEY";
/// The shortest key accepted, in bytes.
pub const MIN_KEY_LEN: usize = 32;
/// The version tag of a log record.
pub const AUDIT_SCHEMA: &str = "lagrum.audit.v1";
const PSEUDONYM_PREFIX: &str = "hmac-sha256:";

/// Keyed hashing of personal identifiers. Its `Debug` shows the key id, never the key.
#[derive(Clone)]
pub struct Pseudonymiser {
    mac: Hmac<Sha256>,
    key_id: String,
}

impl std::fmt::Debug for Pseudonymiser {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Pseudonymiser")
            .field("key_id", &self.key_id)
            .finish_non_exhaustive()
    }
}

impl Pseudonymiser {
    /// Reads the key from [`KEY_ENV`]. Refuses a missing or short key.
    pub fn from_env() -> Result<Pseudonymiser, String> {
        match std::env::var_os(KEY_ENV) {
            None => Err(format!(
                "beslutsloggen kräver en nyckel för pseudonymisering i miljövariabeln {KEY_ENV} (minst {MIN_KEY_LEN} byte, t.ex. `openssl rand -hex 32`); utan nyckel skrivs ingen logg"
            )),
            Some(v) => Pseudonymiser::new(v.as_encoded_bytes()),
        }
    }

    /// A pseudonymiser with the given key (at least [`MIN_KEY_LEN`] bytes).
    pub fn new(key: &[u8]) -> Result<Pseudonymiser, String> {
        if key.len() < MIN_KEY_LEN {
            return Err(format!(
                "nyckeln i {KEY_ENV} är för kort ({} byte); den ska vara minst {MIN_KEY_LEN} byte",
                key.len()
            ));
        }
        let mac = Hmac::<Sha256>::new_from_slice(key).map_err(|e| format!("ogiltig nyckel: {e}"))?;
        let mut p = Pseudonymiser {
            mac,
            key_id: String::new(),
        };
        // Which key was used, so that pseudonyms from two logs can be told comparable or
        // not. A keyed hash of a constant reveals nothing about the key.
        p.key_id = p.hash("key-id", "lagrum");
        Ok(p)
    }

    /// The key's fingerprint, written in every record.
    pub fn key_id(&self) -> &str {
        &self.key_id
    }

    fn hash(&self, domain: &str, value: &str) -> String {
        let mut mac = self.mac.clone();
        mac.update(domain.as_bytes());
        mac.update(&[0]);
        mac.update(value.as_bytes());
        let digest = mac.finalize().into_bytes();
        let short = digest.get(..16).unwrap_or(&digest);
        format!("{PSEUDONYM_PREFIX}{}", hex::encode(short))
    }

    /// The pseudonym of an identity number, as of the request's date `on` (which gives a
    /// 10-digit number its century). A valid number is hashed in its 12-digit form, so
    /// `19121212-1212`, `191212121212` and `121212-1212` get the same pseudonym; anything
    /// else is hashed with spaces and hyphens removed.
    pub fn identity_number(&self, number: &str, on: Option<Date>) -> String {
        let valid = match on {
            Some(d) => IdentityNumber::parse_on(number, d),
            None => IdentityNumber::parse(number),
        };
        match valid {
            Ok(n) => self.hash("identity-number", n.digits()),
            Err(_) => {
                let norm: String = number.chars().filter(|c| !c.is_whitespace() && *c != '-').collect();
                self.hash("identity-number", &norm)
            }
        }
    }

    /// The pseudonym of a subject id (the caller's reference to a person).
    pub fn subject_id(&self, id: &str) -> String {
        self.hash("subject", id)
    }

    /// The request as it may be logged: identifiers pseudonymised, free text dropped.
    /// Deciding the result gives the same decision as the original (the rules read none of
    /// the fields changed here), which is what makes [`crate::replay`] possible.
    pub fn request(&self, mut out: RequestDoc) -> RequestDoc {
        let on = Date::parse(&out.date).ok();
        for s in &mut out.subjects {
            s.id = self.subject_id(&s.id);
            if let Some(idn) = &mut s.identity
                && let Some(n) = &idn.number
            {
                idn.number = Some(self.identity_number(n, on));
            }
        }
        for it in &mut out.items {
            it.description = None;
            if let Some(sid) = &it.subject {
                it.subject = Some(self.subject_id(sid));
            }
        }
        out
    }
}

/// Where a record came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Source {
    /// `POST /v1/check`.
    Check,
    /// `POST /v1/check/batch`.
    Batch,
    /// `legal check --batch`.
    Cli,
}

/// What a record is about.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Kind {
    Decision,
    /// A request that could not be judged.
    Error,
}

/// One line of the decision log.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
pub struct AuditRecord {
    /// Always `lagrum.audit.v1`.
    pub schema: String,
    pub kind: Kind,
    /// Unique id of the decision (UUID v7, time-ordered); also given to the caller.
    pub decision_id: String,
    /// When the decision was made (RFC 3339, UTC).
    pub time: String,
    pub source: Source,
    /// Line number in the batch input.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<u64>,
    /// The ruleset the decision was made with.
    pub ruleset: RulesetDoc,
    /// Fingerprint of the key the pseudonyms were made with.
    pub key_id: String,
    /// The request, pseudonymised (decisions only).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request: Option<RequestDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeDoc>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<AuditItem>,
    /// JSON paths of missing facts that could change the outcome.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// Why the request could not be judged (errors only): the stable code and the path.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<AuditError>,
    /// The previous record's `hash` (`sha256:` and 64 zeros for a log's first record).
    /// Added by the log writer, last but one (see `lagrum_serve::chain`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub prev: Option<String>,
    /// SHA-256 of this record's line up to and including `prev`. Added by the log writer,
    /// last.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub hash: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditError {
    pub code: String,
    pub path: String,
}

/// One item's outcome, basis and compact proof.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AuditItem {
    pub id: String,
    pub category: String,
    pub outcome: OutcomeDoc,
    pub reason: ReasonCode,
    pub basis: Vec<AuditRef>,
    /// The proof: each provision considered and its result.
    pub proof: Vec<AuditStep>,
}

/// A provision in the basis, with the version applied.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditRef {
    pub provision: String,
    pub citation: String,
    pub role: Role,
    /// `from` of the version applied.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<String>,
}

/// One step of the proof, compact: the provision's id (its citation and role are in the
/// ruleset the record names) and what became of it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct AuditStep {
    pub provision: String,
    pub result: StepResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeDoc>,
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub in_basis: bool,
}

/// The items of a decision as the log keeps them: the proof in the order of
/// `lagrum.decision.v1` (secrecy, then permissions, duties and bars, then data protection),
/// one step per provision, so records written before v2 compare with new ones.
pub fn items(doc: &DecisionDoc) -> Vec<AuditItem> {
    doc.items
        .iter()
        .map(|it| AuditItem {
            id: it.id.clone(),
            category: it.category.id.clone(),
            outcome: it.outcome,
            reason: it.reason,
            basis: it
                .basis
                .iter()
                .map(|b| {
                    let details = doc.provisions.get(&b.p);
                    AuditRef {
                        provision: b.p.to_string(),
                        citation: details.map(|d| d.citation.to_string()).unwrap_or_default(),
                        role: b.role,
                        version: details.and_then(|d| d.version.as_ref()).map(|v| v.from.to_string()),
                    }
                })
                .collect(),
            proof: proof(it),
        })
        .collect()
}

fn proof(it: &CompactItem) -> Vec<AuditStep> {
    let step = |p: &str, result, outcome, in_basis| AuditStep {
        provision: p.to_string(),
        result,
        outcome,
        in_basis,
    };
    let mut steps = Vec::new();
    for s in &it.secrecy {
        let result = match s.result {
            SecrecyResultDoc::Applies => StepResult::Applies,
            SecrecyResultDoc::Assumed => StepResult::Assumed,
            SecrecyResultDoc::OutOfScope => StepResult::OutOfScope,
            SecrecyResultDoc::NotInForce => StepResult::NotInForce,
        };
        steps.extend(s.p.iter().map(|p| step(p, result, None, false)));
    }
    for s in &it.proof {
        steps.extend(s.p.iter().map(|p| step(p, s.result, s.outcome, s.in_basis)));
    }
    for d in &it.data_protection {
        let result = match d.verdict {
            DataProtectionVerdictDoc::Permitted => StepResult::Permitted,
            DataProtectionVerdictDoc::Omit => StepResult::Omit,
        };
        steps.push(step(&d.p, result, None, false));
    }
    steps
}

/// A new decision id.
pub fn new_id() -> String {
    uuid::Uuid::now_v7().to_string()
}

fn now() -> String {
    humantime::format_rfc3339_micros(std::time::SystemTime::now()).to_string()
}

/// Builds records; shared by the service and the batch runner.
#[derive(Debug, Clone)]
pub struct Recorder {
    pseudo: Pseudonymiser,
}

impl Recorder {
    pub fn new(pseudo: Pseudonymiser) -> Recorder {
        Recorder { pseudo }
    }

    /// The record of a decision. `request` is the request as deserialized from the text
    /// that was decided.
    pub fn decision(
        &self,
        decision_id: String,
        source: Source,
        line: Option<u64>,
        request: RequestDoc,
        doc: &DecisionDoc,
    ) -> AuditRecord {
        AuditRecord {
            schema: AUDIT_SCHEMA.to_string(),
            kind: Kind::Decision,
            decision_id,
            time: now(),
            source,
            line,
            ruleset: doc.ruleset.clone(),
            key_id: self.pseudo.key_id().to_string(),
            request: Some(self.pseudo.request(request)),
            outcome: Some(doc.outcome),
            items: items(doc),
            questions: doc.questions.iter().map(|q| q.path.clone()).collect(),
            error: None,
            prev: None,
            hash: None,
        }
    }

    /// The record of a request that could not be judged: code and path only.
    pub fn error(
        &self,
        decision_id: String,
        source: Source,
        line: Option<u64>,
        ruleset: RulesetDoc,
        code: &str,
        path: &str,
    ) -> AuditRecord {
        AuditRecord {
            schema: AUDIT_SCHEMA.to_string(),
            kind: Kind::Error,
            decision_id,
            time: now(),
            source,
            line,
            ruleset,
            key_id: self.pseudo.key_id().to_string(),
            request: None,
            outcome: None,
            items: Vec::new(),
            questions: Vec::new(),
            error: Some(AuditError {
                code: code.to_string(),
                path: path.to_string(),
            }),
            prev: None,
            hash: None,
        }
    }
}

/// Where the log goes.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Target {
    Stdout,
    /// Appended to; created if missing.
    File(std::path::PathBuf),
}

impl Target {
    /// `-` is standard out, anything else a file.
    pub fn parse(s: &std::ffi::OsStr) -> Target {
        if s == "-" {
            Target::Stdout
        } else {
            Target::File(s.into())
        }
    }
}

type Ack = tokio::sync::oneshot::Sender<bool>;

struct Msg {
    line: Vec<u8>,
    ack: Option<Ack>,
}

/// The log writer: a thread that writes records in the order they are sent, flushing
/// whenever no more records are waiting.
pub struct AuditLog {
    recorder: Recorder,
    tx: Option<tokio::sync::mpsc::Sender<Msg>>,
    thread: Option<std::thread::JoinHandle<Result<u64, String>>>,
    broken: Arc<AtomicBool>,
}

impl std::fmt::Debug for AuditLog {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("AuditLog")
            .field("recorder", &self.recorder)
            .finish_non_exhaustive()
    }
}

/// The log could not be written; no more decisions can be recorded.
#[derive(Debug, Clone, Copy, PartialEq, Eq, thiserror::Error)]
#[error("beslutsloggen kan inte skrivas")]
pub struct LogUnavailable;

impl AuditLog {
    /// Opens the target and starts the writer thread.
    pub fn open(target: &Target, recorder: Recorder) -> Result<AuditLog, String> {
        match target {
            Target::Stdout => Ok(AuditLog::to_writer(Box::new(std::io::stdout()), recorder)),
            Target::File(p) => {
                let mut file = std::fs::OpenOptions::new()
                    .create(true)
                    .append(true)
                    .read(true)
                    .open(p)
                    .map_err(|e| format!("kan inte öppna beslutsloggen {}: {e}", p.display()))?;
                // Appending continues the chain from the last record in the file.
                let prev = crate::chain::last_hash(&mut file)
                    .map_err(|e| format!("kan inte läsa beslutsloggen {}: {e}", p.display()))?;
                Ok(AuditLog::to_writer_after(Box::new(file), recorder, prev))
            }
        }
    }

    /// A log writing to any writer (tests).
    /// Opens the log with the pseudonymisation key from the environment
    /// ([`KEY_ENV`]); without a key there is no log.
    pub fn open_with_env_key(target: &Target) -> Result<AuditLog, String> {
        AuditLog::open(target, Recorder::new(Pseudonymiser::from_env()?))
    }

    pub fn to_writer(out: Box<dyn Write + Send>, recorder: Recorder) -> AuditLog {
        AuditLog::to_writer_after(out, recorder, crate::chain::GENESIS.to_string())
    }

    /// A log whose first record chains to `prev` (the last hash of the log it continues).
    pub fn to_writer_after(out: Box<dyn Write + Send>, recorder: Recorder, prev: String) -> AuditLog {
        let (tx, rx) = tokio::sync::mpsc::channel::<Msg>(4096);
        let broken = Arc::new(AtomicBool::new(false));
        let flag = broken.clone();
        let thread = std::thread::Builder::new()
            .name("lagrum-audit".into())
            .spawn(move || writer(out, rx, flag, prev))
            .ok();
        if thread.is_none() {
            broken.store(true, Ordering::SeqCst);
        }
        AuditLog {
            recorder,
            tx: Some(tx),
            thread,
            broken,
        }
    }

    pub fn recorder(&self) -> &Recorder {
        &self.recorder
    }

    /// Whether writing has failed.
    pub fn is_broken(&self) -> bool {
        self.broken.load(Ordering::SeqCst)
    }

    /// Encodes a record as one log line, for [`AuditLog::write_all`] or
    /// [`AuditLog::write_blocking`].
    pub fn line(record: &AuditRecord) -> Result<Vec<u8>, LogUnavailable> {
        let mut line = serde_json::to_vec(record).map_err(|_| LogUnavailable)?;
        line.push(b'\n');
        Ok(line)
    }

    /// Writes a record and waits until it is flushed (async callers: the service).
    pub async fn write(&self, record: &AuditRecord) -> Result<(), LogUnavailable> {
        let line = Self::line(record)?;
        let (ack, done) = tokio::sync::oneshot::channel();
        let tx = self.tx.as_ref().ok_or(LogUnavailable)?;
        tx.send(Msg { line, ack: Some(ack) })
            .await
            .map_err(|_| LogUnavailable)?;
        match done.await {
            Ok(true) => Ok(()),
            _ => Err(LogUnavailable),
        }
    }

    /// Queues records without waiting for the flush; returns a receiver that says whether
    /// the last of them was written. Records are written in order, and once writing has
    /// failed every later record fails, so the last one's result stands for all.
    pub async fn write_all(
        &self,
        records: Vec<Vec<u8>>,
    ) -> Result<tokio::sync::oneshot::Receiver<bool>, LogUnavailable> {
        let tx = self.tx.as_ref().ok_or(LogUnavailable)?;
        let (ack, done) = tokio::sync::oneshot::channel();
        for line in records {
            tx.send(Msg { line, ack: None }).await.map_err(|_| LogUnavailable)?;
        }
        tx.send(Msg {
            line: Vec::new(),
            ack: Some(ack),
        })
        .await
        .map_err(|_| LogUnavailable)?;
        Ok(done)
    }

    /// Writes encoded records (one or more lines) from a plain thread (the batch runner)
    /// and waits until they are flushed: a decision goes out only after its record.
    pub fn write_blocking(&self, line: Vec<u8>) -> Result<(), LogUnavailable> {
        if self.is_broken() {
            return Err(LogUnavailable);
        }
        let tx = self.tx.as_ref().ok_or(LogUnavailable)?;
        let (ack, done) = tokio::sync::oneshot::channel();
        tx.blocking_send(Msg { line, ack: Some(ack) })
            .map_err(|_| LogUnavailable)?;
        match done.blocking_recv() {
            Ok(true) => Ok(()),
            _ => Err(LogUnavailable),
        }
    }

    /// Flushes and closes the log; says how many records were written. Blocking.
    pub fn close(mut self) -> Result<u64, String> {
        self.tx.take();
        match self.thread.take() {
            Some(t) => t.join().map_err(|_| "beslutsloggens skrivtråd avbröts".to_string())?,
            None => Err("beslutsloggens skrivtråd kunde inte startas".into()),
        }
    }
}

impl Drop for AuditLog {
    fn drop(&mut self) {
        self.tx.take();
        if let Some(t) = self.thread.take() {
            let _ = t.join();
        }
    }
}

fn writer(
    out: Box<dyn Write + Send>,
    mut rx: tokio::sync::mpsc::Receiver<Msg>,
    broken: Arc<AtomicBool>,
    mut prev: String,
) -> Result<u64, String> {
    let mut out = std::io::BufWriter::with_capacity(256 * 1024, out);
    let mut written = 0u64;
    let mut error: Option<String> = None;
    let mut acks: Vec<Ack> = Vec::new();
    while let Some(first) = rx.blocking_recv() {
        let mut next = Some(first);
        while let Some(msg) = next {
            // Each record is sealed into the chain here, in the order it is written.
            for record in msg.line.split(|b| *b == b'\n').filter(|r| !r.trim_ascii().is_empty()) {
                if error.is_some() {
                    break;
                }
                let (mut line, hash) = crate::chain::seal(record, &prev);
                line.push(b'\n');
                match out.write_all(&line) {
                    Ok(()) => {
                        prev = hash;
                        written += 1;
                    }
                    Err(e) => {
                        error = Some(e.to_string());
                        broken.store(true, Ordering::SeqCst);
                    }
                }
            }
            if let Some(a) = msg.ack {
                acks.push(a);
            }
            next = rx.try_recv().ok();
        }
        if error.is_none()
            && let Err(e) = out.flush()
        {
            error = Some(e.to_string());
            broken.store(true, Ordering::SeqCst);
        }
        for a in acks.drain(..) {
            let _ = a.send(error.is_none());
        }
    }
    if error.is_none()
        && let Err(e) = out.flush()
    {
        error = Some(e.to_string());
        broken.store(true, Ordering::SeqCst);
    }
    match error {
        None => Ok(written),
        Some(e) => Err(format!("beslutsloggen kunde inte skrivas: {e}")),
    }
}
