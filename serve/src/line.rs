//! Deciding one request text, shared by the service and the batch runner: the decision
//! document, the batch output line and the audit record.

use crate::audit::{AuditLog, Recorder, Source};
use crate::state::ruleset_doc;
use lagrum_engine::error::ErrorDoc;
use lagrum_engine::render::compact::{CompactDoc as DecisionDoc, Sentences};
use lagrum_engine::render::json::OutcomeDoc;
use lagrum_engine::request::RequestDoc;
use lagrum_engine::{Engine, RequestError};
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Caps on the size of one request, checked before it is validated or decided: a decision
/// costs tens of kilobytes per item (its proof), so without them one request of a few
/// thousand items inside the body limit can take gigabytes and seconds of the service.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Caps {
    /// Most `items` a request may have.
    pub max_items: usize,
    /// Most `subjects` a request may have.
    pub max_subjects: usize,
}

impl Caps {
    /// The service's defaults (`legal serve --max-items`, `--max-subjects`).
    pub const DEFAULT_ITEMS: usize = 256;
    pub const DEFAULT_SUBJECTS: usize = 256;
    /// No caps (a local batch whose input the operator controls).
    pub const NONE: Caps = Caps {
        max_items: usize::MAX,
        max_subjects: usize::MAX,
    };

    /// The first cap `doc` exceeds, as an error naming the limit (`too_many_items`,
    /// `too_many_subjects`).
    pub fn check(&self, doc: &RequestDoc) -> Result<(), RequestError> {
        for (path, code, count, max, what, flag) in [
            (
                "items",
                "too_many_items",
                doc.items.len(),
                self.max_items,
                "uppgifter",
                "--max-items",
            ),
            (
                "subjects",
                "too_many_subjects",
                doc.subjects.len(),
                self.max_subjects,
                "personer",
                "--max-subjects",
            ),
        ] {
            if count > max {
                return Err(RequestError::Invalid {
                    path: path.to_string(),
                    code,
                    message: format!(
                        "begäran har {count} {what}; högst {max} tillåts per begäran (gränsen {flag}); dela upp den"
                    ),
                });
            }
        }
        Ok(())
    }
}

impl Default for Caps {
    fn default() -> Self {
        Caps {
            max_items: Caps::DEFAULT_ITEMS,
            max_subjects: Caps::DEFAULT_SUBJECTS,
        }
    }
}

/// Parses, checks the caps, validates, decides and renders a request. Returns the request
/// as read (for the audit log) with the decision document.
pub fn check(engine: &Engine, text: &str, caps: Caps) -> Result<(RequestDoc, DecisionDoc), RequestError> {
    let doc = engine.read_request(text)?;
    caps.check(&doc)?;
    let case = engine.validate_request(&doc)?;
    let decision = engine.decide(&case);
    let out = engine.compact(&case, &decision, Sentences::No);
    Ok((doc, out))
}

/// One line of batch output (`POST /v1/check/batch`, `legal check --batch`): the decision
/// for input line `line`, or why that line could not be judged.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BatchLine {
    /// Line number in the input, from 1. Empty lines are skipped but counted.
    pub line: u64,
    /// The decision's id in the decision log, when the log is on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub decision: Option<DecisionDoc>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDoc>,
}

#[derive(Serialize)]
struct BatchLineRef<'a> {
    line: u64,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision_id: Option<&'a str>,
    #[serde(skip_serializing_if = "Option::is_none")]
    decision: Option<&'a DecisionDoc>,
    #[serde(skip_serializing_if = "Option::is_none")]
    error: Option<&'a ErrorDoc>,
}

/// A decided batch line.
#[derive(Debug)]
pub struct Decided {
    /// The input line number.
    pub line: u64,
    /// The output line, ending in `\n`.
    pub output: Vec<u8>,
    /// The encoded audit record, when logging.
    pub audit: Option<Vec<u8>>,
    /// The outcome, or the error.
    pub result: Result<OutcomeDoc, ErrorDoc>,
}

fn encode(line: &BatchLineRef<'_>) -> Vec<u8> {
    let mut out = serde_json::to_vec(line).unwrap_or_else(|_| {
        format!(r#"{{"line":{},"error":{{"code":"internal","path":"$","message":"beslutet kunde inte skrivas som JSON"}}}}"#, line.line).into_bytes()
    });
    out.push(b'\n');
    out
}

/// The output line for an error that is not about a request's content (a line too long,
/// not UTF-8, a limit reached).
pub fn error_line(line: u64, doc: &ErrorDoc) -> Vec<u8> {
    encode(&BatchLineRef {
        line,
        decision_id: None,
        decision: None,
        error: Some(doc),
    })
}

/// Decides one line of a batch: its text, or why the reader could not take it (too long,
/// not UTF-8). Either way the line gets its output and, with a log, its record.
pub fn decide_line(
    engine: &Engine,
    text: Result<&str, &ErrorDoc>,
    line: u64,
    recorder: Option<&Recorder>,
    source: Source,
    caps: Caps,
) -> Decided {
    let checked = text
        .map_err(Clone::clone)
        .and_then(|t| check(engine, t, caps).map_err(|e| e.to_doc()));
    match checked {
        Ok((request, doc)) => {
            let (id, audit) = match recorder {
                None => (None, None),
                Some(r) => {
                    let id = crate::audit::new_id();
                    let rec = r.decision(id.clone(), source, Some(line), request, &doc);
                    match AuditLog::line(&rec) {
                        Ok(l) => (Some(id), Some(l)),
                        Err(_) => {
                            // Fail closed: no decision goes out without its record.
                            let e = internal("beslutet kunde inte skrivas till beslutsloggen");
                            return Decided {
                                line,
                                output: error_line(line, &e),
                                audit: None,
                                result: Err(e),
                            };
                        }
                    }
                }
            };
            let output = encode(&BatchLineRef {
                line,
                decision_id: id.as_deref(),
                decision: Some(&doc),
                error: None,
            });
            Decided {
                line,
                output,
                audit,
                result: Ok(doc.outcome),
            }
        }
        Err(doc) => {
            let audit = recorder.and_then(|r| {
                let rec = r.error(
                    crate::audit::new_id(),
                    source,
                    Some(line),
                    ruleset_doc(engine),
                    &doc.code,
                    &doc.path,
                );
                AuditLog::line(&rec).ok()
            });
            Decided {
                line,
                output: error_line(line, &doc),
                audit,
                result: Err(doc),
            }
        }
    }
}

/// An error document with code `internal`.
pub fn internal(message: &str) -> ErrorDoc {
    ErrorDoc {
        code: "internal".into(),
        path: "$".into(),
        message: message.into(),
    }
}
