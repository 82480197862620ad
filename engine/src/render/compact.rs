//! The compact decision document (`lagrum.decision.v2`): the same decision, basis and proof
//! as `lagrum.decision.v1`, made small enough to log every one.
//!
//! - The document names a provision by its id (`p`), the stable name the ruleset gives it.
//!   The details of each provision that matters for the outcome (in the basis, applied,
//!   undetermined, excluded, defeated, in conflict, protecting the item) are written once,
//!   in `provisions`, with the version applied and where to read it. A provision that
//!   merely fell away (rejected, not in force, out of scope) is named by its id and the
//!   reason; its citation and versions are in the ruleset's listing (`legal listing`,
//!   `GET /v1/ruleset/provisions`), pinned by `ruleset.hash`.
//! - A proof step is a record: provision(s), role, result, and the checks that decided it
//!   with the facts they read. A provision that applied keeps every check (the facts the
//!   decision rests on); one that did not keeps the check that failed, or that could not
//!   be tried. Provisions that fell away for the same reason on the same facts share one
//!   step (`p` lists them): "not among the givers, `sender.actor` = X" once, not fifty
//!   times. Every provision considered is still in the proof, with why.
//! - Secrecy and data protection are not repeated as steps: their findings carry their
//!   own checks.
//! - The Swedish sentences of steps and checks are written only on request
//!   ([`Sentences::Yes`]); the outcome, summaries, obligations and questions are always
//!   in Swedish. A document with sentences is for people (the decision-support page):
//!   each step names one provision and keeps every check that was tried, as v1 does.
//!
//! These types are the wire contract: changing a field is a new schema version.

use super::json::{
    self, CheckCode, Cx, DamageDoc, DataProtectionVerdictDoc, Named, NoteKind, ObligationDoc, OutcomeDoc, PartyOut,
    PreAssessmentDoc, ProvisionRef, QuestionDoc, ReasonCode, Role, RulesetDoc, SecrecyBasisDoc, SecrecyResultDoc,
    StepResult, SummaryDoc, Text,
};
use super::words;
use crate::cond::Truth;
use crate::decision::*;
use crate::request::{Case, ModeDoc};
use lagrum_dsl::model::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use serde_json::{Map, Value};
use std::collections::BTreeMap;

/// The version tag a compact decision carries.
pub const DECISION_SCHEMA_V2: &str = "lagrum.decision.v2";

/// Whether the proof's steps and checks carry their Swedish sentences.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Sentences {
    /// Records only (for machines and logs).
    #[default]
    No,
    /// Each step and check with its sentence (for people; a step then names one provision
    /// and keeps every check that was tried).
    Yes,
}

/// A decision with its reasons, compact.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "lagrum.decision.v2")]
pub struct CompactDoc {
    /// Always `lagrum.decision.v2`.
    pub schema: String,
    /// The request's `id`, if it had one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub request_id: Option<String>,
    /// The ruleset the decision was made with.
    pub ruleset: RulesetDoc,
    /// The date the law was applied as of.
    pub date: String,
    pub sender: PartyOut,
    pub recipient: PartyOut,
    pub mode: ModeDoc,
    pub purposes: Vec<Named>,
    /// The least permissive item outcome.
    pub outcome: OutcomeDoc,
    /// The outcome in Swedish.
    pub outcome_text: String,
    pub items: Vec<CompactItem>,
    /// The provisions the items' outcomes rest on, each once.
    pub basis: Vec<BasisRef>,
    /// The obligations and notices of all items, each once (items refer to them by `id`).
    pub obligations: Vec<ObligationDoc>,
    /// Missing facts that could change the outcome, each once.
    pub questions: Vec<QuestionDoc>,
    /// Everything validation did that a reader should know.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<String>,
    /// The outcome is preliminary: open questions could change it (see
    /// [`SummaryDoc::preliminary`]).
    pub preliminary: bool,
    /// What a person reads first, in plain Swedish.
    pub summary: SummaryDoc,
    /// Set when the date is after the last day of the law the ruleset knows
    /// (`ruleset.known_until`): the decision applies the law as known then.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub beyond_known: Option<String>,
    /// The provisions that matter for the outcome, by id, each once, with the version
    /// applied.
    pub provisions: BTreeMap<Text, ProvisionRef>,
}

/// One item's decision.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CompactItem {
    pub id: String,
    pub category: Named,
    pub outcome: OutcomeDoc,
    pub outcome_text: String,
    pub reason: ReasonCode,
    /// Why, in one Swedish sentence.
    pub summary: String,
    pub secrecy_basis: SecrecyBasisDoc,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub secrecy: Vec<SecrecyRef>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub basis: Vec<BasisRef>,
    /// The balancing tests the sender must make and document (the steps' notes say how).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub balancing: Vec<BalancingRef>,
    /// The ids of the item's obligations and notices (in the document's `obligations`).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub obligations: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub data_protection: Vec<DataProtectionRef>,
    /// The paths of the questions that concern this item.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub questions: Vec<String>,
    /// The item's outcome is preliminary: open questions could raise it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub preliminary: bool,
    /// Every permission, duty and bar considered, and what became of it.
    pub proof: Vec<StepRec>,
    /// What would change the outcome of a `deny` or `manual` item: the smallest sets of
    /// changes to the request that make it `allow` or `must`. Only when asked for
    /// ([`crate::Engine::alternatives`], `legal check --alternatives`); absent otherwise.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub alternatives: Vec<AlternativeDoc>,
}

/// A set of changes to the request that would make the item `allow` or `must`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AlternativeDoc {
    /// Every change, all needed together.
    pub changes: Vec<ChangeDoc>,
    /// The item's outcome with the changes.
    pub outcome: OutcomeDoc,
    /// The ids of the provisions the outcome would then rest on.
    pub basis: Vec<Text>,
    /// The alternative in one Swedish sentence, with citations.
    pub text: String,
}

/// One change to the request: the field (as a question's path) and its new value.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ChangeDoc {
    pub path: String,
    pub value: Value,
    /// The change as a Swedish phrase.
    pub text: String,
}

/// Adds alternatives ([`crate::alternatives::alternatives`]) to their items in a compact
/// document made for the same case.
pub fn attach_alternatives(
    model: &Model,
    doc: &mut CompactDoc,
    case: &Case,
    alts: &[crate::alternatives::Alternative],
) {
    for a in alts {
        let Some(item) = doc.items.get_mut(a.item) else {
            continue;
        };
        item.alternatives.push(AlternativeDoc {
            changes: a.changes.iter().map(|c| change_doc(model, case, c)).collect(),
            outcome: a.outcome.into(),
            basis: a
                .basis
                .iter()
                .filter_map(|p| model.provision(*p).map(|x| Text::from(x.id.as_str())))
                .collect(),
            text: words::alternative(model, case, a),
        });
    }
}

fn change_doc(model: &Model, case: &Case, c: &crate::alternatives::Change) -> ChangeDoc {
    use crate::alternatives::Change;
    use crate::request::FactValue;
    let fact_name = |f: FactId| model.fact(f).map(|x| x.id.clone()).unwrap_or_default();
    let value = |f: FactId, v: FactValue| match v {
        FactValue::Bool(b) => Value::Bool(b),
        FactValue::Number(n) => Value::from(n),
        FactValue::Choice(k) => match model.fact(f).map(|x| &x.ty) {
            Some(FactType::Choice(list)) => list.get(k as usize).cloned().map_or(Value::Null, Value::String),
            _ => Value::Null,
        },
    };
    let (path, v) = match c {
        Change::Mode(m) => (
            "mode".to_string(),
            serde_json::to_value(match m {
                Mode::OnRequest => ModeDoc::Request,
                Mode::OwnInitiative => ModeDoc::OwnInitiative,
            })
            .unwrap_or(Value::Null),
        ),
        Change::Purpose(p) => (
            "purposes".to_string(),
            Value::Array(
                model
                    .purpose(*p)
                    .map(|x| Value::String(x.id.clone()))
                    .into_iter()
                    .collect(),
            ),
        ),
        Change::Fact(f, x) => (format!("facts.{}", fact_name(*f)), value(*f, *x)),
        Change::PersonFact(s, f, x) => (format!("subjects[{s}].facts.{}", fact_name(*f)), value(*f, *x)),
        Change::Protection(s, list) => (
            format!("subjects[{s}].protection"),
            Value::Array(
                list.iter()
                    .filter_map(|m| model.marker(*m).map(|x| Value::String(x.id.clone())))
                    .collect(),
            ),
        ),
    };
    ChangeDoc {
        path,
        value: v,
        text: words::change(model, case, c),
    }
}

/// A provision in the basis.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BasisRef {
    /// The provision's id (details in `provisions`).
    pub p: Text,
    pub role: Role,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_assessment: Option<PreAssessmentDoc>,
}

/// A balancing test and the provision that calls for it.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BalancingRef {
    pub test: Named,
    pub p: Text,
}

/// Secrecy provisions that came to the same for the item (usually one; those out of scope
/// for the same reason share one record).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SecrecyRef {
    /// The provisions' ids.
    pub p: Vec<Text>,
    pub result: SecrecyResultDoc,
    /// For secrecy that protects the item: its damage test.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage_test: Option<DamageDoc>,
    /// Named by the sender.
    #[serde(default, skip_serializing_if = "is_false")]
    pub classified: bool,
    /// Follows from the item's category where the sender holds it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub derived: bool,
    /// Broken by what breaks other secrecy for the item (OSL 21 kap. 2 §-style).
    #[serde(default, skip_serializing_if = "is_false")]
    pub subsidiary: bool,
    /// Its scope checks.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckRec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// A data protection rule (identity numbers) and its verdict.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DataProtectionRef {
    pub p: Text,
    pub verdict: DataProtectionVerdictDoc,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckRec>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One proof step: one or more provisions (by id) with the same role, result and deciding
/// checks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepRec {
    pub p: Vec<Text>,
    pub role: Role,
    pub result: StepResult,
    /// The provision's own outcome, when it applies.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeDoc>,
    /// The outcome rests on it.
    #[serde(default, skip_serializing_if = "is_false")]
    pub in_basis: bool,
    /// Not yet in force: the date its first version starts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<String>,
    /// No longer in force: the date its last version ended.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    /// Every check if it applied (or with [`Sentences::Yes`]); else the one that failed or
    /// could not be tried.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub checks: Vec<CheckRec>,
    /// What shaped its outcome (balancing test, risk factor, judgement, uncertainty,
    /// pre-assessment).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub notes: Vec<NoteRec>,
    /// The step's sentence (with [`Sentences::Yes`]).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// One condition and what it found.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckRec {
    pub check: CheckCode,
    /// `true`, `false`, or `null` when a fact is missing.
    pub holds: Option<bool>,
    /// For `condition`: the condition as written in the ruleset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The facts it read, by request path (`null`: missing). `items[i].secrecy` is the
    /// secrecy that protects the item as decided (derived and stated), by provision id.
    #[serde(default, skip_serializing_if = "Map::is_empty")]
    #[schemars(with = "std::collections::BTreeMap<String, Value>")]
    pub facts: Map<String, Value>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub text: Option<String>,
}

/// What shaped a step's outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NoteRec {
    pub kind: NoteKind,
    /// Always in Swedish: it says what the sender must do or why a person must decide.
    pub text: String,
}

fn is_false(b: &bool) -> bool {
    !*b
}

/// The provisions a document names, and the details of those that matter.
struct Table<'a> {
    cx: &'a Cx<'a>,
    details: BTreeMap<Text, ProvisionRef>,
}

impl<'a> Table<'a> {
    fn new(cx: &'a Cx<'a>) -> Table<'a> {
        Table {
            cx,
            details: BTreeMap::new(),
        }
    }

    /// The id of `p`, its details (as of `v`) recorded.
    fn detail(&mut self, p: ProvisionId, v: Option<VersionId>) -> Text {
        let id = self.name(p);
        if !self.details.contains_key(&id) {
            let mut r = self.cx.labels.provision_ref(self.cx.model, p, v);
            // Where to read it is in the ruleset's listing.
            r.link = None;
            self.details.insert(id.clone(), r);
        }
        id
    }

    /// The id of `p` only.
    fn name(&self, p: ProvisionId) -> Text {
        self.cx.labels.provision_id(p)
    }
}

/// Builds the compact decision document.
pub fn document(
    model: &Model,
    labels: &super::labels::Labels,
    case: &Case,
    decision: &Decision,
    sentences: Sentences,
) -> CompactDoc {
    let cx = Cx {
        model,
        labels,
        case,
        decision,
        parties: words::Parties::new(model, case),
    };
    let mut table = Table::new(&cx);
    let mut obligations: Vec<ObligationDoc> = Vec::new();
    let mut items = Vec::with_capacity(decision.items.len());
    for (i, (item, d)) in case.items.iter().zip(decision.items.iter()).enumerate() {
        let mut out = item_rec(&mut table, i, item, decision, d, sentences);
        for o in json::obligations(model, d) {
            out.obligations.push(o.id.clone());
            if !obligations.iter().any(|x| x.id == o.id) {
                obligations.push(o);
            }
        }
        items.push(out);
    }
    let mut basis: Vec<BasisRef> = Vec::new();
    for b in items.iter().flat_map(|it| it.basis.iter()) {
        if !basis.iter().any(|x| x.p == b.p && x.role == b.role) {
            basis.push(b.clone());
        }
    }
    CompactDoc {
        schema: DECISION_SCHEMA_V2.to_string(),
        request_id: case.id.clone(),
        ruleset: RulesetDoc::from(&model.info),
        date: case.date.to_string(),
        sender: json::party(model, case.sender.actor, case.sender.unit),
        recipient: json::party(model, case.recipient.actor, case.recipient.unit),
        mode: json::mode_doc(case),
        purposes: json::purposes(model, case),
        outcome: decision.outcome.into(),
        outcome_text: words::outcome(decision.outcome).to_string(),
        items,
        basis,
        obligations,
        questions: json::questions(&cx, decision),
        notes: case.notes.clone(),
        preliminary: decision.preliminary,
        summary: super::summary::summary(model, decision),
        beyond_known: super::summary::beyond_known(model, case),
        provisions: table.details,
    }
}

fn item_rec(
    table: &mut Table,
    i: usize,
    item: &crate::request::Item,
    decision: &Decision,
    d: &ItemDecision,
    sentences: Sentences,
) -> CompactItem {
    let cx = table.cx;
    let model = cx.model;
    let say = sentences == Sentences::Yes;
    let secrecy = secrecy(table, i, d, say);
    let data_protection = d
        .data_protection
        .iter()
        .map(|f| DataProtectionRef {
            p: table.detail(f.provision, Some(f.version)),
            verdict: json::data_protection_verdict(f.verdict),
            checks: f
                .checks
                .iter()
                .map(|c| check_rec(cx, i, Some(f.version), c, say))
                .collect(),
            text: say.then(|| json::data_protection_sentence(model, f)),
        })
        .collect();
    let basis = d
        .basis
        .iter()
        .map(|b| {
            let (role, pre_assessment) = json::basis_role(model, b);
            BasisRef {
                p: table.detail(b.provision, b.version),
                role,
                pre_assessment,
            }
        })
        .collect();
    CompactItem {
        id: item.id.clone(),
        category: json::category(model, item),
        outcome: d.outcome.into(),
        outcome_text: words::outcome(d.outcome).to_string(),
        reason: json::reason_code(d.reason),
        summary: words::item_summary(model, d),
        secrecy_basis: json::secrecy_basis(cx, d),
        secrecy,
        basis,
        balancing: d
            .balancing
            .iter()
            .filter_map(|(b, p)| {
                let t = model.balancing_test(*b)?;
                Some(BalancingRef {
                    test: Named {
                        id: t.id.clone(),
                        label: t.label.clone(),
                    },
                    p: table.name(*p),
                })
            })
            .collect(),
        obligations: Vec::new(),
        data_protection,
        questions: d.questions.iter().map(|q| words::fact_path(model, i, *q)).collect(),
        alternatives: Vec::new(),
        preliminary: d.preliminary,
        proof: proof(table, i, decision, d, sentences),
    }
}

/// The item's secrecy: findings that came to the same on the same facts share a record.
/// Grouping compares the findings as decided (cheap ids), and each record is rendered once.
fn secrecy(table: &mut Table, i: usize, d: &ItemDecision, say: bool) -> Vec<SecrecyRef> {
    let cx = table.cx;
    let model = cx.model;
    let mut groups: Vec<(&SecrecyFinding, Vec<Text>)> = Vec::new();
    for f in &d.secrecy {
        let protects = f.result.protects();
        let name = if protects {
            table.detail(f.provision, f.version)
        } else {
            table.name(f.provision)
        };
        let same = |g: &SecrecyFinding| {
            !say && !protects
                && (g.result, g.classified, g.derived, g.subsidiary)
                    == (f.result, f.classified, f.derived, f.subsidiary)
                && g.checks == f.checks
        };
        match groups.iter_mut().find(|(g, _)| same(g)) {
            Some((_, names)) => names.push(name),
            None => groups.push((f, vec![name])),
        }
    }
    groups
        .into_iter()
        .map(|(f, p)| SecrecyRef {
            p,
            result: json::secrecy_result(f.result),
            damage_test: f.result.protects().then(|| json::damage(model, f).0),
            classified: f.classified,
            derived: f.derived,
            subsidiary: f.subsidiary,
            checks: f.checks.iter().map(|c| check_rec(cx, i, f.version, c, say)).collect(),
            text: say.then(|| json::secrecy_sentence(model, f)),
        })
        .collect()
}

/// A route as decided, before rendering: what a proof step says about it.
struct Pending<'d> {
    p: Vec<Text>,
    finding: &'d RouteFinding,
    result: StepResult,
    role: Role,
    in_basis: bool,
    /// The checks the step keeps.
    checks: Vec<&'d Check>,
    /// Whether another route that fell away for the same reason may share the step.
    shareable: bool,
}

/// The item's proof: one record per route, and routes that fell away for the same reason
/// on the same facts merged into one. Grouping compares the decided checks (ids and
/// truth values); each record is rendered once.
fn proof(table: &mut Table, i: usize, decision: &Decision, d: &ItemDecision, sentences: Sentences) -> Vec<StepRec> {
    let cx = table.cx;
    let model = cx.model;
    let say = sentences == Sentences::Yes;
    let mut pending: Vec<Pending> = Vec::with_capacity(d.routes.len());
    for (k, f) in d.routes.iter().enumerate() {
        let in_basis = d.basis_routes().any(|b| b == k);
        let fell_away = !in_basis
            && f.notes.is_empty()
            && matches!(f.status, RouteStatus::Rejected | RouteStatus::NotInForce { .. });
        let p = if fell_away {
            table.name(f.provision)
        } else {
            table.detail(f.provision, f.version)
        };
        let step = Pending {
            p: vec![p],
            finding: f,
            result: json::route_step_result(f.status),
            role: json::role_of(model, f.provision),
            in_basis,
            checks: deciding_checks(decision, f, in_basis || say),
            shareable: fell_away && !say,
        };
        let same = |q: &Pending| {
            q.shareable
                && step.shareable
                && q.role == step.role
                && q.result == step.result
                && q.finding.status == step.finding.status
                && q.checks == step.checks
        };
        match pending.iter_mut().find(|q| same(q)) {
            Some(q) => q.p.extend(step.p),
            None => pending.push(step),
        }
    }
    pending.into_iter().map(|q| step_rec(cx, i, decision, q, say)).collect()
}

/// A route's proof step, rendered.
fn step_rec(cx: &Cx, i: usize, decision: &Decision, q: Pending, say: bool) -> StepRec {
    let (model, f) = (cx.model, q.finding);
    let (starts, ended) = json::in_force_dates(f.status);
    let text = say.then(|| json::route_sentence_of(cx, i, f, decision.checks_of(f)));
    StepRec {
        p: q.p,
        role: q.role,
        result: q.result,
        outcome: f.outcome.map(Into::into),
        in_basis: q.in_basis,
        starts,
        ended,
        checks: q.checks.iter().map(|c| check_rec(cx, i, f.version, c, say)).collect(),
        notes: f
            .notes
            .iter()
            .map(|n| {
                let doc = json::note_doc(model, f.version, n);
                NoteRec {
                    kind: doc.kind,
                    text: doc.text,
                }
            })
            .collect(),
        text,
    }
}

/// The checks a step keeps: all of them for a provision that applied or was tried to the
/// end (they are what it rests on), and for every provision when the document is for
/// people ([`Sentences::Yes`]: a caseworker reads what held before the check that failed);
/// otherwise the first that failed, or that could not be tried.
fn deciding_checks<'d>(decision: &'d Decision, f: &'d RouteFinding, in_basis: bool) -> Vec<&'d Check> {
    let keep_all = in_basis
        || !matches!(
            f.status,
            RouteStatus::Rejected | RouteStatus::Undetermined | RouteStatus::NotInForce { .. }
        );
    let wanted = match f.status {
        RouteStatus::Rejected => Truth::False,
        _ => Truth::Unknown,
    };
    let mut checks = decision.checks_of(f);
    if keep_all {
        return checks.collect();
    }
    checks.find(|c| c.truth == wanted).into_iter().collect()
}

fn check_rec(cx: &Cx, item: usize, version: Option<VersionId>, c: &Check, say: bool) -> CheckRec {
    let (model, case) = (cx.model, cx.case);
    let mut facts = Map::new();
    for r in &c.reads {
        facts.insert(words::fact_path(model, item, r.key), json::read_value(cx, item, r));
    }
    CheckRec {
        check: json::check_code(c.kind),
        holds: json::holds(c.truth),
        condition: match c.kind {
            CheckKind::Condition(e) => model.expr(e).map(|x| x.text.clone()),
            _ => None,
        },
        facts,
        text: say.then(|| words::check(model, cx.labels, version, &cx.parties, case, item, c)),
    }
}
