//! The scenario format and its checker.
//!
//! A scenario is a JSON file: a request (`lagrum.request.v1`) and what the decision must
//! say. Everything under `expect` is optional except the overall outcome, so a jurist
//! asserts exactly what the case is about:
//!
//! ```json
//! {
//!   "title": "SKV (beskattning) → FK: inkomstuppgifter",
//!   "source": "brief §10 rad 1",
//!   "request": { "schema": "lagrum.request.v1", "…": "…" },
//!   "expect": {
//!     "outcome": "must",
//!     "items": {
//!       "inkomst": {
//!         "outcome": "must",
//!         "basis": ["LUFFA 2 §", "OSL 10 kap. 28 § 1 st."],
//!         "not_basis": ["OSL 10 kap. 27 §"],
//!         "secrecy": ["OSL 27 kap. 1 §"],
//!         "obligations": ["egen_sekretess"],
//!         "data_protection": { "DSL 3 kap. 10 §": "permitted" },
//!         "steps": { "LUB 5 §": "not_in_force", "LUFFA 2 §": "applies" }
//!       }
//!     },
//!     "questions": ["facts.brott_begånget"]
//!   }
//! }
//! ```
//!
//! Provisions are named by citation as the decision prints them. `steps` checks the
//! proof: the result of the step for that provision (`applies`, `rejected`,
//! `not_in_force`, `excluded`, `not_covering`, `defeated`, `undetermined`, `conflict`).

pub mod fuzz;

use lagrum_engine::render::json::{DecisionDoc, ItemOut, OutcomeDoc};
use lagrum_engine::{Case, Decision, Engine};
use serde::Deserialize;
use std::collections::BTreeMap;

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Scenario {
    pub title: String,
    #[serde(default)]
    pub source: Option<String>,
    #[serde(default)]
    pub note: Option<String>,
    pub request: serde_json::Value,
    pub expect: Expect,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Expect {
    pub outcome: OutcomeDoc,
    #[serde(default)]
    pub items: BTreeMap<String, ItemExpect>,
    /// JSON paths of questions that must be asked.
    #[serde(default)]
    pub questions: Vec<String>,
    /// JSON paths of questions that must not be asked.
    #[serde(default)]
    pub no_questions: Vec<String>,
    /// Whether the outcome is preliminary (open questions could change it); not checked
    /// when absent.
    #[serde(default)]
    pub preliminary: Option<bool>,
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ItemExpect {
    pub outcome: OutcomeDoc,
    #[serde(default)]
    pub basis: Vec<String>,
    #[serde(default)]
    pub not_basis: Vec<String>,
    #[serde(default)]
    pub secrecy: Vec<String>,
    #[serde(default)]
    pub not_secrecy: Vec<String>,
    #[serde(default)]
    pub obligations: Vec<String>,
    #[serde(default)]
    pub not_obligations: Vec<String>,
    #[serde(default)]
    pub data_protection: BTreeMap<String, String>,
    #[serde(default)]
    pub steps: BTreeMap<String, String>,
    #[serde(default)]
    pub balancing: Vec<String>,
    /// `covered`, `stated` or `unknown`: why the list of secrecy is complete, or not.
    #[serde(default)]
    pub secrecy_basis: Option<String>,
}

/// A scenario run: the validated request, its decision, and every way the decision differs
/// from what the scenario expects (empty when it passes).
pub struct Ran {
    pub case: Case,
    pub decision: Decision,
    pub diffs: Vec<String>,
}

/// Decides a scenario's request and compares the decision with what it expects. An error
/// is a request the engine refuses (with its JSON path).
pub fn run(engine: &Engine, scenario: &Scenario) -> Result<Ran, String> {
    let request = serde_json::to_string(&scenario.request).map_err(|e| e.to_string())?;
    let case = engine
        .parse_request(&request)
        .map_err(|e| format!("ogiltig begäran: {e} ({})", e.path()))?;
    let decision = engine.decide(&case);
    let doc = engine.document(&case, &decision);
    let mut diffs = compare(&scenario.expect, &doc);
    // The Swedish text is what a handläggare reads and prints: every line of it must read as
    // written prose, so a doubled period (a citation ending in "st." followed by the
    // sentence's own period) is a defect in any scenario.
    let text = lagrum_engine::render::text::render(&doc);
    for line in text.lines().filter(|l| l.replace("...", "").contains("..")) {
        diffs.push(format!("dubbel punkt i texten: {line}"));
    }
    Ok(Ran { case, decision, diffs })
}

/// An outcome as the scenario files write it (`must`, `allow`, `deny`, `manual`).
pub fn word(o: OutcomeDoc) -> String {
    serde_json::to_value(o)
        .ok()
        .and_then(|v| v.as_str().map(String::from))
        .unwrap_or_default()
}

/// Every way a decision differs from what a scenario expects.
pub fn compare(expect: &Expect, doc: &DecisionDoc) -> Vec<String> {
    let mut out = Vec::new();
    if doc.outcome != expect.outcome {
        out.push(format!(
            "utfall: väntade {}, fick {}",
            word(expect.outcome),
            word(doc.outcome)
        ));
    }
    if let Some(p) = expect.preliminary
        && p != doc.preliminary
    {
        out.push(format!(
            "preliminärt: väntade {p}, fick {} ({})",
            doc.preliminary, doc.summary.text
        ));
    }
    for (id, e) in &expect.items {
        match doc.items.iter().find(|i| &i.id == id) {
            Some(item) => compare_item(id, e, item, &mut out),
            None => out.push(format!("uppgift `{id}` saknas i beslutet")),
        }
    }
    for q in &expect.questions {
        if !doc.questions.iter().any(|x| &x.path == q) {
            let asked: Vec<&str> = doc.questions.iter().map(|x| x.path.as_str()).collect();
            out.push(format!("frågan `{q}` ställs inte (ställda: {asked:?})"));
        }
    }
    for q in &expect.no_questions {
        if doc.questions.iter().any(|x| &x.path == q) {
            out.push(format!("frågan `{q}` ställs men borde inte ställas"));
        }
    }
    out
}

fn compare_item(id: &str, e: &ItemExpect, item: &ItemOut, out: &mut Vec<String>) {
    if item.outcome != e.outcome {
        out.push(format!(
            "{id}: utfall väntade {}, fick {} ({})",
            word(e.outcome),
            word(item.outcome),
            item.summary
        ));
    }
    let basis: Vec<&str> = item.basis.iter().map(|b| &*b.provision.citation).collect();
    for b in &e.basis {
        if !basis.contains(&b.as_str()) {
            out.push(format!("{id}: `{b}` saknas i grunden (grund: {basis:?})"));
        }
    }
    for b in &e.not_basis {
        if basis.contains(&b.as_str()) {
            out.push(format!("{id}: `{b}` ska inte ingå i grunden"));
        }
    }
    let secrecy: Vec<&str> = item
        .secrecy
        .iter()
        .filter(|s| {
            matches!(
                s.result,
                lagrum_engine::render::json::SecrecyResultDoc::Applies
                    | lagrum_engine::render::json::SecrecyResultDoc::Assumed
            )
        })
        .map(|s| &*s.provision.citation)
        .collect();
    for s in &e.secrecy {
        if !secrecy.contains(&s.as_str()) {
            out.push(format!("{id}: sekretessen `{s}` saknas (sekretess: {secrecy:?})"));
        }
    }
    for s in &e.not_secrecy {
        if secrecy.contains(&s.as_str()) {
            out.push(format!("{id}: sekretessen `{s}` ska inte gälla"));
        }
    }
    if let Some(want) = &e.secrecy_basis {
        let got = serde_json::to_value(item.secrecy_basis.kind).unwrap_or_default();
        if got.as_str() != Some(want.as_str()) {
            out.push(format!("{id}: sekretessens grund: väntade {want}, fick {got}"));
        }
    }
    let obligations: Vec<&str> = item.obligations.iter().map(|o| o.id.as_str()).collect();
    for o in &e.obligations {
        if !obligations.contains(&o.as_str()) {
            out.push(format!("{id}: skyldigheten `{o}` saknas (har: {obligations:?})"));
        }
    }
    for o in &e.not_obligations {
        if obligations.contains(&o.as_str()) {
            out.push(format!("{id}: skyldigheten `{o}` ska inte fästas"));
        }
    }
    for (p, verdict) in &e.data_protection {
        let found = item.data_protection.iter().find(|d| *d.provision.citation == **p);
        let got = found.map(|d| {
            serde_json::to_value(d.verdict)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
        });
        match got {
            Some(Some(v)) if &v == verdict => {}
            other => out.push(format!("{id}: dataskydd `{p}`: väntade {verdict}, fick {other:?}")),
        }
    }
    for (p, result) in &e.steps {
        let step = item.proof.steps.iter().find(|s| *s.provision.citation == **p);
        let got = step.map(|s| {
            serde_json::to_value(s.result)
                .ok()
                .and_then(|v| v.as_str().map(String::from))
        });
        match got {
            Some(Some(v)) if &v == result => {}
            Some(_) => out.push(format!(
                "{id}: steget `{p}`: väntade {result}, fick {:?} ({})",
                step.map(|s| s.result),
                step.map(|s| s.text.as_str()).unwrap_or("")
            )),
            None => out.push(format!("{id}: steget `{p}` finns inte i bevisningen")),
        }
    }
    let balancing: Vec<&str> = item.balancing.iter().map(|b| b.test.id.as_str()).collect();
    for b in &e.balancing {
        if !balancing.contains(&b.as_str()) {
            out.push(format!("{id}: prövningen `{b}` saknas (har: {balancing:?})"));
        }
    }
}
