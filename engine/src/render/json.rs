//! The decision document (`lagrum.decision.v1`): the decision, its basis and its proof as
//! JSON for machines, with the Swedish sentences for people alongside.
//!
//! These types are the wire contract: changing a field is a new schema version.

use super::words;
use crate::cond::Truth;
use crate::decision::*;
use crate::request::{Case, ModeDoc};
use lagrum_dsl::ast::DamageTest;
use lagrum_dsl::model::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

pub use super::wire::{Named, ProvisionRef, SummaryDoc, Text, VersionDoc};

/// The version tag a decision carries.
pub const DECISION_SCHEMA: &str = "lagrum.decision.v1";

/// A decision with its reasons.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
#[schemars(title = "lagrum.decision.v1")]
pub struct DecisionDoc {
    /// Always `lagrum.decision.v1`.
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
    /// The outcome in Swedish: `ska lämnas`, `får lämnas`, `kräver prövning`, `får inte lämnas`.
    pub outcome_text: String,
    pub items: Vec<ItemOut>,
    /// The provisions the items' outcomes rest on, each once.
    pub basis: Vec<BasisDoc>,
    /// The obligations and notices of all items, each once.
    pub obligations: Vec<ObligationDoc>,
    /// Missing facts that could change the outcome, each once.
    pub questions: Vec<QuestionDoc>,
    /// Everything validation did that a reader should know (e.g. a marker mapped by date).
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
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct RulesetDoc {
    pub name: String,
    pub version: String,
    /// `sha256:` and the digest of the ruleset files.
    pub hash: String,
    /// The last day of the law the ruleset knows (`känt till`); a decision dated after it
    /// carries `beyond_known`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub known_until: Option<String>,
}

impl From<&RulesetInfo> for RulesetDoc {
    fn from(info: &RulesetInfo) -> Self {
        RulesetDoc {
            name: info.name.clone(),
            version: info.version.clone(),
            hash: info.hash.clone(),
            known_until: info.known_until.map(|d| d.to_string()),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PartyOut {
    pub actor: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// `Skatteverket (beskattningsverksamheten)`.
    pub label: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum OutcomeDoc {
    /// Secrecy bars disclosure and nothing breaks it.
    Deny,
    /// A person must assess the case (balancing test, judgement, uncertainty, conflict).
    Manual,
    /// May be disclosed (secrecy is broken, or there is none).
    Allow,
    /// Shall be disclosed (a duty in law or förordning).
    Must,
}

impl From<Outcome> for OutcomeDoc {
    fn from(o: Outcome) -> Self {
        match o {
            Outcome::Deny => OutcomeDoc::Deny,
            Outcome::Manual => OutcomeDoc::Manual,
            Outcome::Allow => OutcomeDoc::Allow,
            Outcome::Must => OutcomeDoc::Must,
        }
    }
}

/// Why an item got its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ReasonCode {
    NotSecret,
    Route,
    Secrecy,
    Bar,
    Conflict,
    /// An internal inconsistency stopped the decision.
    Fault,
    /// The rulebook does not model all secrecy the sender can have for the item, and the
    /// sender has not stated its assessment: a person decides.
    SecrecyUnknown,
}

/// Why the item's list of secrecy is complete, or that it may not be.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SecrecyBasisDoc {
    pub kind: SecrecyBasisKind,
    /// The coverage (`täckning`) that says the rulebook models all secrecy here.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub coverage: Option<Named>,
    /// In Swedish.
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyBasisKind {
    /// The rulebook models all secrecy the sender can have for the item: the secrecy
    /// derived (possibly none) is all there is.
    Covered,
    /// The sender stated its own assessment (`items[].secrecy`).
    Stated,
    /// Neither: secrecy the rulebook does not model may protect the item.
    Unknown,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ItemOut {
    pub id: String,
    pub category: Named,
    pub outcome: OutcomeDoc,
    pub outcome_text: String,
    pub reason: ReasonCode,
    /// One sentence: what the outcome rests on.
    pub summary: String,
    /// The secrecy found for the item at the sender.
    /// Why the list of secrecy below is complete, or that it may not be.
    pub secrecy_basis: SecrecyBasisDoc,
    pub secrecy: Vec<SecrecyDoc>,
    /// The provisions the outcome rests on.
    pub basis: Vec<BasisDoc>,
    /// Balancing tests the sender must make and document before disclosing.
    pub balancing: Vec<BalancingDoc>,
    pub obligations: Vec<ObligationDoc>,
    pub data_protection: Vec<DataProtectionDoc>,
    /// JSON paths of missing facts that could change this item's outcome.
    pub questions: Vec<String>,
    /// The item's outcome is preliminary: open questions could raise it.
    pub preliminary: bool,
    pub proof: ProofDoc,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum Role {
    Secrecy,
    Duty,
    Permission,
    Bar,
    /// The provision a duty breaks secrecy through (OSL 10 kap. 28 §).
    Bridge,
    PreAssessment,
    DataProtection,
    Other,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BasisDoc {
    pub provision: ProvisionRef,
    pub role: Role,
    /// The pre-assessment, when the role is `pre_assessment`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub pre_assessment: Option<PreAssessmentDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct PreAssessmentDoc {
    pub id: String,
    pub title: String,
    pub dnr: String,
    pub from: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    pub result: OutcomeDoc,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SecrecyDoc {
    pub provision: ProvisionRef,
    pub damage_test: DamageDoc,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub damage_text: Option<String>,
    /// Named by the sender in the request.
    pub classified: bool,
    /// Found from the item's category where the sender holds it.
    pub derived: bool,
    pub result: SecrecyResultDoc,
    /// Broken by whatever breaks other secrecy on the item (OSL 21 kap. 2 §).
    pub subsidiary: bool,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DamageDoc {
    Rakt,
    Omvant,
    Absolut,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum SecrecyResultDoc {
    Applies,
    Assumed,
    OutOfScope,
    NotInForce,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct BalancingDoc {
    pub test: Named,
    /// The provision whose test it is.
    pub provision: String,
    pub text: String,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ObligationDoc {
    pub id: String,
    pub kind: ObligationKind,
    pub text: String,
    /// Citation of the provision it rests on.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub basis: Option<String>,
    /// Citation of the provision that attached it.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub via: Option<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ObligationKind {
    Obligation,
    Notice,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct DataProtectionDoc {
    pub provision: ProvisionRef,
    pub verdict: DataProtectionVerdictDoc,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum DataProtectionVerdictDoc {
    Permitted,
    Omit,
}

/// The chain of reasoning for one item.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProofDoc {
    pub steps: Vec<StepDoc>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct StepDoc {
    pub provision: ProvisionRef,
    pub role: Role,
    pub result: StepResult,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub outcome: Option<OutcomeDoc>,
    /// Part of the basis of the item's outcome.
    pub in_basis: bool,
    /// For a provision not in force: when it enters into force.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub starts: Option<String>,
    /// For a provision not in force: when it ceased to apply.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ended: Option<String>,
    /// The step in one Swedish sentence.
    pub text: String,
    pub checks: Vec<CheckDoc>,
    pub notes: Vec<NoteDoc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum StepResult {
    Applies,
    Assumed,
    OutOfScope,
    NotInForce,
    Rejected,
    Undetermined,
    Excluded,
    NotCovering,
    SecrecyUnknown,
    Defeated,
    Conflict,
    Permitted,
    Omit,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CheckDoc {
    pub check: CheckCode,
    /// `true`, `false`, or `null` when a fact is missing.
    pub holds: Option<bool>,
    pub text: String,
    /// The condition as written in the ruleset.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub condition: Option<String>,
    /// The request facts the check used, with their values (`null` = missing).
    pub facts: Vec<FactDoc>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum CheckCode {
    Giver,
    Receiver,
    Mode,
    Purpose,
    Covers,
    AppliesAt,
    /// `gäller i`: the activity where the item is held.
    AppliesIn,
    Condition,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FactDoc {
    pub path: String,
    pub value: serde_json::Value,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct NoteDoc {
    pub kind: NoteKind,
    pub text: String,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum NoteKind {
    Balancing,
    BalancingAgainst,
    RiskFactor,
    Judgement,
    Uncertain,
    PreAssessment,
    NotSecret,
}

/// A missing fact that could change the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct QuestionDoc {
    /// Where the answer goes in the request.
    pub path: String,
    /// The question, in Swedish.
    pub text: String,
    pub answer: AnswerDoc,
    /// Ids of the items whose outcome it could change.
    pub items: Vec<String>,
    /// Citations of the provisions that ask it.
    pub asked_by: Vec<String>,
}

/// What kind of answer a question takes.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct AnswerDoc {
    pub kind: AnswerKind,
    /// The allowed values, for choices.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<Named>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum AnswerKind {
    YesNo,
    Number,
    Choice,
    /// A list of protection markers (may be empty).
    Markers,
    /// A list of secrecy provisions (may be empty: none applies); `choices` are the
    /// declared provisions that may apply.
    Secrecy,
}

pub(super) fn role_of(model: &Model, p: ProvisionId) -> Role {
    match model.provision(p).map(|x| x.kind) {
        Some(ProvisionKind::Secrecy) => Role::Secrecy,
        Some(ProvisionKind::Duty) => Role::Duty,
        Some(ProvisionKind::Permission) => Role::Permission,
        Some(ProvisionKind::Bar) => Role::Bar,
        Some(ProvisionKind::DataProtection) => Role::DataProtection,
        _ => Role::Other,
    }
}

pub(super) fn holds(t: Truth) -> Option<bool> {
    match t {
        Truth::True => Some(true),
        Truth::False => Some(false),
        Truth::Unknown => None,
    }
}

pub(super) fn check_code(kind: CheckKind) -> CheckCode {
    match kind {
        CheckKind::Giver => CheckCode::Giver,
        CheckKind::Receiver => CheckCode::Receiver,
        CheckKind::Mode => CheckCode::Mode,
        CheckKind::Purpose => CheckCode::Purpose,
        CheckKind::Covers => CheckCode::Covers,
        CheckKind::AppliesAt => CheckCode::AppliesAt,
        CheckKind::AppliesIn => CheckCode::AppliesIn,
        CheckKind::Condition(_) => CheckCode::Condition,
    }
}

pub(super) fn check_doc(cx: &Cx, item: usize, version: Option<VersionId>, c: &Check) -> CheckDoc {
    let (model, case) = (cx.model, cx.case);
    let code = check_code(c.kind);
    let condition = match c.kind {
        CheckKind::Condition(e) => model.expr(e).map(|x| x.text.clone()),
        _ => None,
    };
    CheckDoc {
        check: code,
        holds: holds(c.truth),
        text: words::check(model, cx.labels, version, &cx.parties, case, item, c),
        condition,
        facts: c
            .reads
            .iter()
            .map(|r| FactDoc {
                path: words::fact_path(model, item, r.key),
                value: read_value(cx, item, r),
            })
            .collect(),
    }
}

pub(super) fn note_doc(model: &Model, version: Option<VersionId>, e: &Escalation) -> NoteDoc {
    let kind = match e {
        Escalation::Balancing(_) => NoteKind::Balancing,
        Escalation::BalancingAgainst(_) => NoteKind::BalancingAgainst,
        Escalation::Risk(..) => NoteKind::RiskFactor,
        Escalation::Judgement(_) => NoteKind::Judgement,
        Escalation::Uncertain(..) => NoteKind::Uncertain,
        Escalation::PreAssessment(_) => NoteKind::PreAssessment,
        Escalation::NotSecret => NoteKind::NotSecret,
    };
    NoteDoc {
        kind,
        text: words::escalation(model, version, e),
    }
}

pub(super) fn party(model: &Model, actor: ActorId, unit: Option<UnitId>) -> PartyOut {
    PartyOut {
        actor: model.actor(actor).map(|a| a.id.clone()).unwrap_or_default(),
        unit: unit.and_then(|u| model.unit(u)).map(|u| u.id.clone()),
        label: words::party(model, actor, unit),
    }
}

/// What kind of answer a question takes; for a unit, the units of the party's authority.
pub(super) fn answer(model: &Model, case: &Case, q: &crate::decision::Question) -> AnswerDoc {
    use crate::cond::FactKey;
    match q.key {
        FactKey::SenderUnit => AnswerDoc::choice(units_of(model, case.sender.actor)),
        FactKey::RecipientUnit => AnswerDoc::choice(units_of(model, case.recipient.actor)),
        FactKey::Activity => AnswerDoc::choice(words::activity_choices(model, case)),
        FactKey::SecrecyAssessment => AnswerDoc {
            kind: AnswerKind::Secrecy,
            choices: secrecy_options(model, &q.options),
        },
        FactKey::Person(_, PersonAttr::Age) => AnswerDoc::free(AnswerKind::Number),
        FactKey::Person(_, PersonAttr::Markers) => AnswerDoc {
            kind: AnswerKind::Markers,
            choices: model.markers.iter().map(|m| Named::new(&m.id, &m.label)).collect(),
        },
        FactKey::Person(_, PersonAttr::IdKind) => {
            AnswerDoc::choice(IdKind::ALL.iter().map(|k| Named::new(k.name(), k.name())).collect())
        }
        FactKey::Person(_, PersonAttr::IdLevel) => {
            AnswerDoc::choice(IdLevel::ALL.iter().map(|k| Named::new(k.name(), k.name())).collect())
        }
        FactKey::PersonFact(_, f) | FactKey::Fact(f) => fact_answer(model, f),
        _ => AnswerDoc::free(AnswerKind::YesNo),
    }
}

impl AnswerDoc {
    /// One of the choices listed.
    fn choice(choices: Vec<Named>) -> AnswerDoc {
        AnswerDoc {
            kind: AnswerKind::Choice,
            choices,
        }
    }

    /// An answer of this kind, with nothing to choose from.
    fn free(kind: AnswerKind) -> AnswerDoc {
        AnswerDoc {
            kind,
            choices: Vec::new(),
        }
    }
}

/// The units of an actor, to choose the one that gives or receives.
fn units_of(model: &Model, actor: ActorId) -> Vec<Named> {
    model
        .actor(actor)
        .map(|a| {
            a.units
                .iter()
                .filter_map(|u| model.unit(*u))
                .map(|u| Named::new(&u.id, &u.label))
                .collect()
        })
        .unwrap_or_default()
}

/// The secrecy provisions the sender may say apply, by citation and heading.
fn secrecy_options(model: &Model, options: &[ProvisionId]) -> Vec<Named> {
    options
        .iter()
        .filter_map(|p| model.provision(*p))
        .map(|p| Named {
            id: p.id.clone(),
            label: format!("{} ({})", p.citation, p.heading.clone().unwrap_or_default()),
        })
        .collect()
}

/// A fact's answer by its type: a choice lists its values (words spaced out).
fn fact_answer(model: &Model, f: FactId) -> AnswerDoc {
    match model.fact(f).map(|x| &x.ty) {
        Some(FactType::YesNo) | None => AnswerDoc::free(AnswerKind::YesNo),
        Some(FactType::Number) => AnswerDoc::free(AnswerKind::Number),
        Some(FactType::Choice(values)) => {
            AnswerDoc::choice(values.iter().map(|v| Named::new(v, &v.replace('_', " "))).collect())
        }
    }
}

/// What every part of one document needs: the ruleset, its cached sentences, the case.
pub(super) struct Cx<'a> {
    pub(super) model: &'a Model,
    pub(super) labels: &'a super::labels::Labels,
    pub(super) case: &'a Case,
    /// The decision the document renders: what a check read that the request does not
    /// hold (the item's secrecy as decided) is taken from it.
    pub(super) decision: &'a Decision,
    pub(super) parties: words::Parties,
}

/// The value a check read, as JSON: `null` when it was missing. The item's secrecy is
/// the secrecy that protects it as decided (derived where the sender holds it, and what
/// the sender stated), by provision id: what a condition on secrecy was judged on.
pub(super) fn read_value(cx: &Cx, item: usize, r: &crate::cond::Read) -> serde_json::Value {
    use crate::cond::FactKey;
    use serde_json::Value;
    if r.missing {
        return Value::Null;
    }
    match r.key {
        FactKey::Secrecy => match cx.decision.items.get(item) {
            Some(d) => {
                let mut ids: Vec<Value> = Vec::new();
                for f in d.secrecy.iter().filter(|f| f.result.protects()) {
                    let id = Value::String(cx.labels.provision_id(f.provision).to_string());
                    if !ids.contains(&id) {
                        ids.push(id);
                    }
                }
                Value::Array(ids)
            }
            // An item the decision does not have: say nothing rather than "none".
            None => Value::Null,
        },
        key => words::fact_value(cx.model, cx.case, item, key),
    }
}

/// Builds the decision document.
pub fn document(model: &Model, labels: &super::labels::Labels, case: &Case, decision: &Decision) -> DecisionDoc {
    let cx = Cx {
        model,
        labels,
        case,
        decision,
        parties: words::Parties::new(model, case),
    };
    let items: Vec<ItemOut> = case
        .items
        .iter()
        .zip(decision.items.iter())
        .enumerate()
        .map(|(i, (item, d))| item_out(&cx, i, item, decision, d))
        .collect();
    let mut basis: Vec<BasisDoc> = Vec::new();
    let mut obligations: Vec<ObligationDoc> = Vec::new();
    for it in &items {
        for b in &it.basis {
            if !basis
                .iter()
                .any(|x| x.provision.id == b.provision.id && x.role == b.role)
            {
                basis.push(b.clone());
            }
        }
        for o in &it.obligations {
            if !obligations.iter().any(|x| x.id == o.id) {
                obligations.push(o.clone());
            }
        }
    }
    DecisionDoc {
        schema: DECISION_SCHEMA.to_string(),
        request_id: case.id.clone(),
        ruleset: RulesetDoc::from(&model.info),
        date: case.date.to_string(),
        sender: party(model, case.sender.actor, case.sender.unit),
        recipient: party(model, case.recipient.actor, case.recipient.unit),
        mode: mode_doc(case),
        purposes: purposes(model, case),
        outcome: decision.outcome.into(),
        outcome_text: words::outcome(decision.outcome).to_string(),
        items,
        basis,
        obligations,
        questions: questions(&cx, decision),
        notes: case.notes.clone(),
        preliminary: decision.preliminary,
        summary: super::summary::summary(model, decision),
        beyond_known: super::summary::beyond_known(model, case),
    }
}

/// The request's mode, as on the wire.
pub(super) fn mode_doc(case: &Case) -> ModeDoc {
    match case.mode {
        Mode::OnRequest => ModeDoc::Request,
        Mode::OwnInitiative => ModeDoc::OwnInitiative,
    }
}

/// The request's purposes with their labels.
pub(super) fn purposes(model: &Model, case: &Case) -> Vec<Named> {
    case.purposes
        .iter()
        .filter_map(|p| {
            model.purpose(*p).map(|x| Named {
                id: x.id.clone(),
                label: x.label.clone(),
            })
        })
        .collect()
}

/// Every open question, once, with the kind of answer it takes.
pub(super) fn questions(cx: &Cx, decision: &Decision) -> Vec<QuestionDoc> {
    let (model, case) = (cx.model, cx.case);
    decision
        .questions
        .iter()
        .map(|q| {
            let item = q.items.first().copied().unwrap_or(0);
            QuestionDoc {
                path: words::fact_path(model, item, q.key),
                text: words::question(model, case, q.key),
                answer: answer(model, case, q),
                items: q
                    .items
                    .iter()
                    .filter_map(|i| case.items.get(*i).map(|x| x.id.clone()))
                    .collect(),
                asked_by: q.asked_by.iter().map(|p| words::citation(model, *p)).collect(),
            }
        })
        .collect()
}

/// A secrecy provision's damage test and its quoted wording, from the version in force or,
/// when none is, from the provision's latest version.
pub(super) fn damage(model: &Model, s: &SecrecyFinding) -> (DamageDoc, Option<String>) {
    let latest = || {
        model
            .provision(s.provision)
            .and_then(|p| p.versions.last())
            .and_then(|v| model.version(*v))
    };
    let version = s.version.and_then(|v| model.version(v)).or_else(latest);
    let (test, text) = match version.map(|v| &v.body) {
        Some(Body::Secrecy(b)) => (b.damage, b.damage_text.clone()),
        _ => (DamageTest::Absolute, None),
    };
    let test = match test {
        DamageTest::Straight => DamageDoc::Rakt,
        DamageTest::Reverse => DamageDoc::Omvant,
        DamageTest::Absolute => DamageDoc::Absolut,
    };
    (test, text)
}

pub(super) fn secrecy_result(r: SecrecyResult) -> SecrecyResultDoc {
    match r {
        SecrecyResult::Applies => SecrecyResultDoc::Applies,
        SecrecyResult::Assumed => SecrecyResultDoc::Assumed,
        SecrecyResult::OutOfScope => SecrecyResultDoc::OutOfScope,
        SecrecyResult::NotInForce => SecrecyResultDoc::NotInForce,
    }
}

pub(super) fn secrecy_step_result(r: SecrecyResult) -> StepResult {
    match r {
        SecrecyResult::Applies => StepResult::Applies,
        SecrecyResult::Assumed => StepResult::Assumed,
        SecrecyResult::OutOfScope => StepResult::OutOfScope,
        SecrecyResult::NotInForce => StepResult::NotInForce,
    }
}

pub(super) fn route_step_result(s: RouteStatus) -> StepResult {
    match s {
        RouteStatus::NotInForce { .. } => StepResult::NotInForce,
        RouteStatus::Rejected => StepResult::Rejected,
        RouteStatus::Undetermined => StepResult::Undetermined,
        RouteStatus::Excluded { .. } => StepResult::Excluded,
        RouteStatus::NotCovering { .. } => StepResult::NotCovering,
        RouteStatus::SecrecyUnknown => StepResult::SecrecyUnknown,
        RouteStatus::Defeated { .. } => StepResult::Defeated,
        RouteStatus::Applies => StepResult::Applies,
        RouteStatus::Conflict { .. } => StepResult::Conflict,
    }
}

/// When a provision not in force on the date starts, or when it ended.
pub(super) fn in_force_dates(s: RouteStatus) -> (Option<String>, Option<String>) {
    match s {
        RouteStatus::NotInForce { starts, ended } => (starts.map(|d| d.to_string()), ended.map(|d| d.to_string())),
        _ => (None, None),
    }
}

pub(super) fn data_protection_verdict(v: DataProtectionVerdict) -> DataProtectionVerdictDoc {
    match v {
        DataProtectionVerdict::Permitted => DataProtectionVerdictDoc::Permitted,
        DataProtectionVerdict::Omit => DataProtectionVerdictDoc::Omit,
    }
}

pub(super) fn reason_code(r: Reason) -> ReasonCode {
    match r {
        Reason::NotSecret => ReasonCode::NotSecret,
        Reason::Route => ReasonCode::Route,
        Reason::Secrecy => ReasonCode::Secrecy,
        Reason::Bar(_) => ReasonCode::Bar,
        Reason::Conflict { .. } => ReasonCode::Conflict,
        Reason::Fault => ReasonCode::Fault,
        Reason::SecrecyUnknown => ReasonCode::SecrecyUnknown,
    }
}

/// The item's category with its label.
pub(super) fn category(model: &Model, item: &crate::request::Item) -> Named {
    model
        .category(item.category)
        .map(|c| Named {
            id: c.id.clone(),
            label: c.label.clone(),
        })
        .unwrap_or(Named {
            id: String::new(),
            label: String::new(),
        })
}

/// On what the item's secrecy rests, with its sentence.
pub(super) fn secrecy_basis(cx: &Cx, d: &ItemDecision) -> SecrecyBasisDoc {
    let model = cx.model;
    SecrecyBasisDoc {
        kind: match d.secrecy_basis {
            SecrecyBasis::Covered(_) => SecrecyBasisKind::Covered,
            SecrecyBasis::Stated => SecrecyBasisKind::Stated,
            SecrecyBasis::Unknown => SecrecyBasisKind::Unknown,
        },
        coverage: match d.secrecy_basis {
            SecrecyBasis::Covered(k) => model.coverages.get(k).map(|c| Named {
                id: c.id.clone(),
                label: c.label.clone(),
            }),
            _ => None,
        },
        text: words::secrecy_basis(model, &cx.parties, d.secrecy_basis),
    }
}

/// The balancing tests the sender must make, with the provision that calls for each.
pub(super) fn balancing(model: &Model, d: &ItemDecision) -> Vec<BalancingDoc> {
    d.balancing
        .iter()
        .filter_map(|(b, p)| {
            model.balancing_test(*b).map(|t| BalancingDoc {
                test: Named {
                    id: t.id.clone(),
                    label: t.label.clone(),
                },
                provision: words::citation(model, *p),
                text: t.explanation.first().cloned().unwrap_or_default(),
            })
        })
        .collect()
}

/// The item's obligations and notices, with what attached each.
pub(super) fn obligations(model: &Model, d: &ItemDecision) -> Vec<ObligationDoc> {
    d.consequences
        .iter()
        .filter_map(|a| {
            model.consequence(a.consequence).map(|c| ObligationDoc {
                id: c.id.clone(),
                kind: match c.kind {
                    ConsequenceKind::Obligation => ObligationKind::Obligation,
                    ConsequenceKind::Notice => ObligationKind::Notice,
                },
                text: c.text.clone(),
                basis: c.basis.map(|b| words::citation(model, b)),
                via: a.via.map(|p| words::citation(model, p)),
            })
        })
        .collect()
}

/// The sentence of a rejected or undetermined route: the text of the check that decided it.
pub(super) fn route_sentence(cx: &Cx, f: &RouteFinding, checks: &[CheckDoc]) -> String {
    let clause = deciding_truth(f.status)
        .and_then(|t| checks.iter().find(|c| c.holds == holds(t)))
        .map(|c| c.text.as_str());
    words::route_status(cx.model, cx.case, f, clause)
}

/// The same sentence from the checks as decided: only the deciding check's clause is
/// written (the compact document's sentences, which render each check once on its own).
pub(super) fn route_sentence_of<'c>(
    cx: &Cx,
    item: usize,
    f: &RouteFinding,
    mut checks: impl Iterator<Item = &'c Check>,
) -> String {
    let clause = deciding_truth(f.status)
        .and_then(|t| checks.find(|c| c.truth == t))
        .map(|c| words::check(cx.model, cx.labels, f.version, &cx.parties, cx.case, item, c));
    words::route_status(cx.model, cx.case, f, clause.as_deref())
}

/// Which check a route's sentence names: the one that failed (rejected) or could not be
/// tried (undetermined); none for a route that applied or fell away otherwise.
fn deciding_truth(status: RouteStatus) -> Option<Truth> {
    match status {
        RouteStatus::Rejected => Some(Truth::False),
        RouteStatus::Undetermined => Some(Truth::Unknown),
        _ => None,
    }
}

fn item_out(cx: &Cx, i: usize, item: &crate::request::Item, decision: &Decision, d: &ItemDecision) -> ItemOut {
    let model = cx.model;
    let secrecy = d
        .secrecy
        .iter()
        .map(|s| {
            let (damage_test, damage_text) = damage(model, s);
            SecrecyDoc {
                provision: cx.labels.provision_ref(model, s.provision, s.version),
                damage_test,
                damage_text,
                classified: s.classified,
                derived: s.derived,
                result: secrecy_result(s.result),
                subsidiary: s.subsidiary,
                text: secrecy_sentence(model, s),
            }
        })
        .collect();
    let data_protection = d
        .data_protection
        .iter()
        .map(|f| DataProtectionDoc {
            provision: cx.labels.provision_ref(model, f.provision, Some(f.version)),
            verdict: data_protection_verdict(f.verdict),
            text: data_protection_sentence(model, f),
        })
        .collect();
    ItemOut {
        id: item.id.clone(),
        category: category(model, item),
        outcome: d.outcome.into(),
        outcome_text: words::outcome(d.outcome).to_string(),
        reason: reason_code(d.reason),
        summary: words::item_summary(model, d),
        secrecy_basis: secrecy_basis(cx, d),
        secrecy,
        basis: d.basis.iter().map(|b| basis_doc(cx, b)).collect(),
        balancing: balancing(model, d),
        obligations: obligations(model, d),
        data_protection,
        questions: d.questions.iter().map(|q| words::fact_path(model, i, *q)).collect(),
        preliminary: d.preliminary,
        proof: ProofDoc {
            steps: proof_steps(cx, i, decision, d),
        },
    }
}

/// Every provision considered for the item, in order: secrecy, routes, data protection.
fn proof_steps(cx: &Cx, i: usize, decision: &Decision, d: &ItemDecision) -> Vec<StepDoc> {
    let model = cx.model;
    let step = |provision, role, result, text, checks| StepDoc {
        provision,
        role,
        result,
        outcome: None,
        in_basis: false,
        starts: None,
        ended: None,
        text,
        checks,
        notes: Vec::new(),
    };
    let mut steps: Vec<StepDoc> = Vec::new();
    for s in &d.secrecy {
        steps.push(step(
            cx.labels.provision_ref(model, s.provision, s.version),
            Role::Secrecy,
            secrecy_step_result(s.result),
            secrecy_sentence(model, s),
            s.checks.iter().map(|c| check_doc(cx, i, s.version, c)).collect(),
        ));
    }
    for (k, f) in d.routes.iter().enumerate() {
        let checks: Vec<CheckDoc> = decision.checks_of(f).map(|c| check_doc(cx, i, f.version, c)).collect();
        let (starts, ended) = in_force_dates(f.status);
        let mut s = step(
            cx.labels.provision_ref(model, f.provision, f.version),
            role_of(model, f.provision),
            route_step_result(f.status),
            route_sentence(cx, f, &checks),
            checks,
        );
        s.outcome = f.outcome.map(Into::into);
        s.in_basis = d.basis_routes().any(|b| b == k);
        s.starts = starts;
        s.ended = ended;
        s.notes = f.notes.iter().map(|n| note_doc(model, f.version, n)).collect();
        steps.push(s);
    }
    for f in &d.data_protection {
        steps.push(step(
            cx.labels.provision_ref(model, f.provision, Some(f.version)),
            Role::DataProtection,
            match f.verdict {
                DataProtectionVerdict::Permitted => StepResult::Permitted,
                DataProtectionVerdict::Omit => StepResult::Omit,
            },
            data_protection_sentence(model, f),
            f.checks.iter().map(|c| check_doc(cx, i, Some(f.version), c)).collect(),
        ));
    }
    steps
}

/// One entry of the basis, as decided.
fn basis_doc(cx: &Cx, b: &BasisEntry) -> BasisDoc {
    let (role, pre_assessment) = basis_role(cx.model, b);
    BasisDoc {
        provision: cx.labels.provision_ref(cx.model, b.provision, b.version),
        role,
        pre_assessment,
    }
}

/// Why a provision is in the basis, with the pre-assessment that settled it, if any.
pub(super) fn basis_role(model: &Model, b: &BasisEntry) -> (Role, Option<PreAssessmentDoc>) {
    match b.role {
        BasisRole::Route(_) => (role_of(model, b.provision), None),
        BasisRole::Bridge => (Role::Bridge, None),
        BasisRole::PreAssessment(p) => (
            Role::PreAssessment,
            model.preassessment(p).map(|pre| PreAssessmentDoc {
                id: pre.id.clone(),
                title: pre.title.clone(),
                dnr: pre.dnr.clone(),
                from: pre.from.to_string(),
                to: pre.to.map(|t| t.to_string()),
                result: match pre.result {
                    PreResult::May => OutcomeDoc::Allow,
                    PreResult::MayNot => OutcomeDoc::Deny,
                },
            }),
        ),
    }
}

pub(super) fn secrecy_sentence(model: &Model, s: &SecrecyFinding) -> String {
    let how = match (s.classified, s.derived) {
        (true, true) => "angiven av avsändaren och följer av uppgiftens kategori",
        (true, false) => "angiven av avsändaren",
        _ => "följer av uppgiftens kategori där avsändaren har den",
    };
    let sub = if s.subsidiary && s.result.protects() {
        "; bryts av det som bryter annan sekretess för uppgiften"
    } else {
        ""
    };
    // Written piece by piece: the page asks for one per secrecy provision considered
    // (~90 per item), and `format!` cost five times as much.
    let provision = model.provision(s.provision);
    let cit = provision.map_or("?", |p| p.citation.as_str());
    let heading = provision.and_then(|p| p.heading.as_deref());
    let result = words::secrecy_result(s.result);
    let mut out =
        String::with_capacity(cit.len() + heading.map_or(0, str::len) + result.len() + how.len() + sub.len() + 8);
    out.push_str(cit);
    if let Some(h) = heading {
        out.push_str(" (");
        out.push_str(h);
        out.push(')');
    }
    out.push(' ');
    out.push_str(result);
    out.push_str(": ");
    out.push_str(how);
    out.push_str(sub);
    out
}

pub(super) fn data_protection_sentence(model: &Model, f: &DataProtectionFinding) -> String {
    let cit = words::citation(model, f.provision);
    match f.verdict {
        DataProtectionVerdict::Permitted => format!("{cit}: identitetsnumret får lämnas (villkoret är uppfyllt)"),
        DataProtectionVerdict::Omit => {
            let otherwise = match model.version(f.version).map(|v| &v.body) {
                Some(Body::DataProtection(b)) => b.otherwise.clone(),
                _ => String::new(),
            };
            format!("{cit}: {otherwise}")
        }
    }
}
