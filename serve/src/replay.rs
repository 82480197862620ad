//! `legal replay`: re-evaluates the decisions in a decision log against a ruleset and
//! reports every decision whose outcome or basis would differ — what an authority needs
//! when a law changes.
//!
//! A logged request is pseudonymised, but the rules never read the fields that were
//! changed (identity numbers, subject ids as such, free text), so deciding it again gives
//! what the original request would get. The pseudonym of an identity number is dropped
//! before deciding: the number was validated when it was logged. The comparison is per item: the outcome, and the
//! basis as (provision, role, version applied). Error records are skipped.

use crate::audit::{AuditItem, AuditRecord, AuditRef, Kind};
use lagrum_engine::Engine;
use lagrum_engine::error::ErrorDoc;
use lagrum_engine::render::json::{OutcomeDoc, RulesetDoc};
use lagrum_engine::request::RequestDoc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::io::BufRead;

/// Options for a replay.
#[derive(Debug, Clone, Default)]
pub struct Options {
    /// Decide as of this date (ÅÅÅÅ-MM-DD) instead of each request's own date: "what if the
    /// same requests came on this day".
    pub as_of: Option<String>,
}

/// One decision that would come out differently.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Difference {
    /// Line in the log.
    pub line: u64,
    pub decision_id: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The ruleset the decision was made with.
    pub logged_ruleset: RulesetDoc,
    /// The outcome logged.
    pub before: OutcomeDoc,
    /// The outcome now, or `null` when the request is no longer valid.
    pub after: Option<OutcomeDoc>,
    /// Why the request is no longer valid.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub error: Option<ErrorDoc>,
    /// The items whose outcome or basis differ.
    pub items: Vec<ItemDifference>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct ItemDifference {
    pub id: String,
    pub before: OutcomeDoc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub after: Option<OutcomeDoc>,
    /// Basis logged, as citations.
    pub basis_before: Vec<String>,
    /// Basis now.
    pub basis_after: Vec<String>,
}

/// What a replay found.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Summary {
    /// Log lines read.
    pub lines: u64,
    /// Decisions re-evaluated.
    pub replayed: u64,
    /// Decisions whose outcome or basis would differ.
    pub differ: u64,
    /// Error records skipped.
    pub skipped: u64,
    /// Lines that are not audit records (with their line numbers, the first 100).
    pub unreadable: Vec<u64>,
    pub unreadable_count: u64,
    /// The ruleset replayed against.
    pub ruleset: Option<RulesetDoc>,
    /// Where the log's hash chain breaks (a record edited, removed or moved), if it does:
    /// the replay then rests on a log that is not what was written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub chain_broken: Option<String>,
}

/// What makes two basis entries the same: the provision, its role and the version applied
/// (the citation text follows from the provision).
fn key(r: &AuditRef) -> (&str, lagrum_engine::render::json::Role, Option<&str>) {
    (&r.provision, r.role, r.version.as_deref())
}

fn compare(before: &[AuditItem], after: &[AuditItem]) -> Vec<ItemDifference> {
    let mut out = Vec::new();
    for b in before {
        let a = after.iter().find(|a| a.id == b.id);
        let same = a.is_some_and(|a| {
            a.outcome == b.outcome
                && a.basis.len() == b.basis.len()
                && a.basis.iter().zip(&b.basis).all(|(x, y)| key(x) == key(y))
        });
        if !same {
            out.push(ItemDifference {
                id: b.id.clone(),
                before: b.outcome,
                after: a.map(|a| a.outcome),
                basis_before: b.basis.iter().map(cite).collect(),
                basis_after: a.map(|a| a.basis.iter().map(cite).collect()).unwrap_or_default(),
            });
        }
    }
    out
}

fn cite(r: &AuditRef) -> String {
    match &r.version {
        Some(v) => format!("{} (från {v})", r.citation),
        None => r.citation.clone(),
    }
}

/// Replays every decision in `log`; calls `report` for each that differs.
pub fn run(
    engine: &Engine,
    log: &mut dyn BufRead,
    options: &Options,
    mut report: impl FnMut(&Difference) -> Result<(), String>,
) -> Result<Summary, String> {
    let mut s = Summary {
        ruleset: Some(crate::state::ruleset_doc(engine)),
        ..Summary::default()
    };
    let mut buf = String::new();
    let mut chain = crate::chain::Verifier::new(None, None);
    loop {
        buf.clear();
        let n = log
            .read_line(&mut buf)
            .map_err(|e| format!("kan inte läsa loggen: {e}"))?;
        if n == 0 {
            break;
        }
        s.lines += 1;
        chain.line(s.lines, buf.as_bytes());
        if buf.trim().is_empty() {
            continue;
        }
        let Ok(mut record) = serde_json::from_str::<AuditRecord>(&buf) else {
            s.unreadable_count += 1;
            if s.unreadable.len() < 100 {
                s.unreadable.push(s.lines);
            }
            continue;
        };
        let (Kind::Decision, Some(request), Some(before)) = (record.kind, record.request.take(), record.outcome) else {
            s.skipped += 1;
            continue;
        };
        s.replayed += 1;
        let request = as_replayed(request, options);
        if let Some(d) = decide_again(engine, s.lines, record, request, before) {
            s.differ += 1;
            report(&d)?;
        }
    }
    let chain = chain.finish(s.lines);
    if !chain.ok() {
        s.chain_broken = Some(chain.render().trim_end().to_string());
    }
    Ok(s)
}

/// A logged request as it is decided again: on the date asked for, if any, and without
/// the identity number.
fn as_replayed(mut request: RequestDoc, options: &Options) -> RequestDoc {
    if let Some(d) = &options.as_of {
        request.date = d.clone();
    }
    // The log holds a pseudonym where the identity number was. The number was checked
    // when the request was decided and no rule reads it, so it is left out here rather
    // than checked again (a pseudonym is no identity number).
    for subject in &mut request.subjects {
        if let Some(identity) = &mut subject.identity {
            identity.number = None;
        }
    }
    request
}

/// Decides a logged request again with `engine`: the difference from what the log says
/// (`before` and the record's items), or `None` when the decision is the same.
fn decide_again(
    engine: &Engine,
    line: u64,
    record: AuditRecord,
    request: RequestDoc,
    before: OutcomeDoc,
) -> Option<Difference> {
    let (after, error, items) = match engine.validate_request(&request) {
        Ok(case) => {
            let decision = engine.decide(&case);
            let doc = engine.compact(&case, &decision, lagrum_engine::render::compact::Sentences::No);
            let items = compare(&record.items, &crate::audit::items(&doc));
            if items.is_empty() && doc.outcome == before {
                return None;
            }
            (Some(doc.outcome), None, items)
        }
        Err(e) => (None, Some(e.to_doc()), Vec::new()),
    };
    Some(Difference {
        line,
        decision_id: record.decision_id,
        request_id: request.id.clone(),
        logged_ruleset: record.ruleset,
        before,
        after,
        error,
        items,
    })
}

/// A difference as Swedish text, for people.
pub fn render(d: &Difference) -> String {
    let outcome = |o: OutcomeDoc| match o {
        OutcomeDoc::Must => "ska lämnas",
        OutcomeDoc::Allow => "får lämnas",
        OutcomeDoc::Manual => "kräver prövning",
        OutcomeDoc::Deny => "får inte lämnas",
    };
    let mut s = format!(
        "rad {}: beslut {}{}: {}",
        d.line,
        d.decision_id,
        d.request_id
            .as_deref()
            .map(|r| format!(" (begäran {r})"))
            .unwrap_or_default(),
        outcome(d.before)
    );
    match (&d.after, &d.error) {
        (Some(a), _) => s.push_str(&format!(" → {}\n", outcome(*a))),
        (None, Some(e)) => s.push_str(&format!(" → ogiltig begäran [{}] {}\n", e.code, e.message)),
        (None, None) => s.push('\n'),
    }
    for it in &d.items {
        s.push_str(&format!(
            "  {}: {} → {}; grund [{}] → [{}]\n",
            it.id,
            outcome(it.before),
            it.after.map(outcome).unwrap_or("saknas"),
            it.basis_before.join(", "),
            it.basis_after.join(", ")
        ));
    }
    s
}

impl Summary {
    /// The summary in Swedish.
    pub fn render(&self) -> String {
        let mut s = format!(
            "{} beslut prövade på nytt mot {}: {} skulle bli annorlunda; {} felposter hoppades över",
            self.replayed,
            self.ruleset
                .as_ref()
                .map(|r| format!("{} {}", r.version, r.hash))
                .unwrap_or_default(),
            self.differ,
            self.skipped
        );
        if self.unreadable_count > 0 {
            let lines: Vec<String> = self.unreadable.iter().map(u64::to_string).collect();
            s.push_str(&format!(
                "; {} rader kunde inte läsas (rad {})",
                self.unreadable_count,
                lines.join(", ")
            ));
        }
        s.push('\n');
        if let Some(b) = &self.chain_broken {
            s.push_str(&format!("beslutsloggens kedja: {b}\n"));
        }
        s
    }
}
