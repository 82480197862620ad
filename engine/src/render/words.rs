//! The Swedish words for decisions: one place for every sentence a person reads, used by
//! both the text and the JSON rendering.

use crate::cond::{FactKey, Truth};
use crate::decision::*;
use crate::request::{Case, FactValue};
use lagrum_dsl::model::*;

use super::labels::{Labels, SetTexts};
pub(super) use super::names::list;
pub use super::names::{citation, damage, kind, mode, outcome, party, version_citation, version_text};

pub fn case_purposes(model: &Model, case: &Case) -> String {
    let names: Vec<String> = case
        .purposes
        .iter()
        .filter_map(|p| model.purpose(*p).map(|x| x.label.clone()))
        .collect();
    list(&names)
}

/// A sentence for one check of a provision.
/// The parties of a request as text, made once per document.
#[derive(Debug, Clone)]
pub struct Parties {
    sender: String,
    recipient: String,
    purposes: String,
}

impl Parties {
    pub fn new(model: &Model, case: &Case) -> Parties {
        Parties {
            sender: party(model, case.sender.actor, case.sender.unit),
            recipient: party(model, case.recipient.actor, case.recipient.unit),
            purposes: case_purposes(model, case),
        }
    }
}

/// What a check found, in one Swedish clause, from what the ruleset's labels say of the
/// version's lists and conditions (made once per engine).
pub fn check(
    model: &Model,
    labels: &Labels,
    version: Option<VersionId>,
    parties: &Parties,
    case: &Case,
    item: usize,
    c: &Check,
) -> String {
    let texts = labels.sets(version);
    let set_of = |pick: fn(&SetTexts) -> &str| texts.map(pick).unwrap_or_default();
    let sender = &parties.sender;
    let truth = c.truth;
    match c.kind {
        CheckKind::Giver => giver_clause(sender, set_of(|t| &t.givers), truth),
        CheckKind::Receiver => receiver_clause(&parties.recipient, set_of(|t| &t.receivers), truth),
        CheckKind::Mode => mode_clause(case.mode, set_of(|t| &t.modes), truth),
        CheckKind::Purpose => purpose_clause(&parties.purposes, set_of(|t| &t.purposes), truth),
        CheckKind::Covers => {
            let category = case
                .items
                .get(item)
                .and_then(|it| model.category(it.category))
                .map(|x| x.label.as_str())
                .unwrap_or_default();
            covers_clause(category, set_of(|t| &t.covers), truth)
        }
        CheckKind::AppliesIn => activity_clause(sender, set_of(|t| &t.activities), truth),
        CheckKind::AppliesAt => match truth {
            Truth::True => format!("sekretessen gäller hos {sender}"),
            Truth::False => format!("sekretessen gäller inte hos {sender}"),
            Truth::Unknown => format!("sekretessen gäller hos vissa enheter hos {sender}; enheten är inte angiven"),
        },
        CheckKind::Condition(e) => condition_clause(model, labels.condition(e), c),
    }
}

/// `lämnas av`: whether the sender is among those who give.
fn giver_clause(sender: &str, set: &str, truth: Truth) -> String {
    match truth {
        Truth::True => format!("{sender} hör till dem som lämnar uppgifter enligt bestämmelsen ({set})"),
        Truth::False => format!("{sender} är inte bland dem som lämnar uppgifter enligt bestämmelsen ({set})"),
        Truth::Unknown => {
            format!("bestämmelsen gäller vissa enheter hos {sender}; ange vilken enhet som lämnar uppgiften ({set})")
        }
    }
}

/// `till`: whether the recipient is among those who receive.
fn receiver_clause(recipient: &str, set: &str, truth: Truth) -> String {
    match truth {
        Truth::True => format!("{recipient} är bland mottagarna ({set})"),
        Truth::False => format!("{recipient} är inte bland mottagarna ({set})"),
        Truth::Unknown => format!(
            "bestämmelsen gäller vissa enheter hos {recipient}; ange vilken enhet som tar emot uppgiften ({set})"
        ),
    }
}

/// `på begäran` / `på eget initiativ`: whether the request's mode is one the provision has.
fn mode_clause(case_mode: Mode, allowed: &str, truth: Truth) -> String {
    match truth {
        Truth::True => format!("utlämnandet sker {}, vilket bestämmelsen omfattar", mode(case_mode)),
        _ => format!(
            "bestämmelsen gäller bara {allowed}, men utlämnandet sker {}",
            mode(case_mode)
        ),
    }
}

/// `syfte`: whether the request's purposes are among the provision's.
fn purpose_clause(purposes: &str, set: &str, truth: Truth) -> String {
    match truth {
        Truth::True => format!("syftet omfattas ({set})"),
        _ => format!("syftet ({purposes}) omfattas inte; bestämmelsen gäller {set}"),
    }
}

/// `avser`: whether the item's category is one the provision covers.
fn covers_clause(category: &str, set: &str, truth: Truth) -> String {
    match truth {
        Truth::True => format!("uppgiften ({category}) är av det slag bestämmelsen avser ({set})"),
        _ => format!("bestämmelsen avser bara {set}, inte {category}"),
    }
}

/// `gäller i`: whether the item is held in an activity where the secrecy applies.
fn activity_clause(sender: &str, set: &str, truth: Truth) -> String {
    match truth {
        Truth::True => format!("uppgiften finns i en verksamhet där sekretessen gäller ({set})"),
        Truth::False => format!("sekretessen gäller bara i {set}, och uppgiften finns inte där"),
        Truth::Unknown => {
            format!("sekretessen gäller i {set}; det är inte angivet i vilken verksamhet hos {sender} uppgiften finns")
        }
    }
}

/// `när`: the condition, and when it could not be tried, what it lacked.
fn condition_clause(model: &Model, text: &str, c: &Check) -> String {
    match c.truth {
        Truth::True => format!("villkoret är uppfyllt: {text}"),
        Truth::False => format!("villkoret är inte uppfyllt: {text}"),
        Truth::Unknown => {
            let missing: Vec<String> = c
                .reads
                .iter()
                .filter(|r| r.missing)
                .map(|r| super::conditions::field(model, r.key))
                .collect();
            if missing.is_empty() {
                // e.g. `verksamhet`, which the request cannot state yet (lead).
                format!("villkoret kan inte prövas: {text}")
            } else {
                format!("villkoret kan inte prövas ({} saknas): {text}", list(&missing))
            }
        }
    }
}

/// What became of a provision, in one sentence.
/// What became of a permission, duty or bar for an item, in one sentence. `clause` is the
/// text of the check that decided a rejected or undetermined provision (the first that
/// failed, or the first that could not be tried), made once by the caller.
pub fn route_status(model: &Model, case: &Case, f: &RouteFinding, clause: Option<&str>) -> String {
    let cit = citation(model, f.provision);
    match f.status {
        RouteStatus::NotInForce { starts, ended } => match (starts, ended) {
            (Some(s), _) => format!("{cit} gäller inte: träder i kraft {s} (beslutsdag {})", case.date),
            (None, Some(e)) => format!("{cit} gäller inte: upphörde att gälla {e}"),
            (None, None) => format!("{cit} gäller inte på beslutsdagen {}", case.date),
        },
        RouteStatus::Rejected => match clause {
            Some(c) => format!("{cit} är inte tillämplig: {c}"),
            None => format!("{cit} är inte tillämplig"),
        },
        RouteStatus::Undetermined => match clause {
            Some(c) => format!("{cit} kan inte prövas: {c}"),
            None => format!("{cit} kan inte prövas"),
        },
        RouteStatus::Excluded { secrecy, by } => {
            let by = by
                .map(|b| format!(" (undantag enligt {})", citation(model, b)))
                .unwrap_or_default();
            format!(
                "{cit} omfattar inte uppgifter som är sekretessbelagda enligt {}{by}",
                citation(model, secrecy)
            )
        }
        RouteStatus::NotCovering { secrecy } => {
            format!("{cit} bryter inte sekretessen enligt {}", citation(model, secrecy))
        }
        RouteStatus::SecrecyUnknown => format!(
            "{cit} kan inte prövas: regelverket beskriver inte vilken sekretess som gäller hos avsändaren, och det går inte att se att bestämmelsen når den"
        ),
        RouteStatus::Defeated { by } => {
            format!("{cit} tillämpas inte: {} går före", version_citation(model, by))
        }
        RouteStatus::Applies => {
            let kind = model.provision(f.provision).map(|p| p.kind);
            match (kind, f.outcome) {
                (Some(ProvisionKind::Bar), _) => format!("{cit} hindrar utlämnandet"),
                (_, Some(o)) => format!("{cit} är tillämplig: uppgiften {}", outcome(o)),
                _ => format!("{cit} är tillämplig"),
            }
        }
        RouteStatus::Conflict { with } => format!(
            "{cit} och {} gäller båda utan inbördes företräde; konflikten kräver prövning",
            version_citation(model, with)
        ),
    }
}

/// A note on what shaped a route's outcome.
pub fn escalation(model: &Model, version: Option<VersionId>, e: &Escalation) -> String {
    let rule = match version.and_then(|v| model.version(v)).map(|v| &v.body) {
        Some(Body::Rule(r)) => Some(r.as_ref()),
        _ => None,
    };
    match e {
        Escalation::Balancing(b) => {
            let t = model.balancing_test(*b);
            let label = t.map(|x| x.label.as_str()).unwrap_or("?");
            let expl = t.and_then(|x| x.explanation.first()).cloned().unwrap_or_default();
            format!("prövning ({label}): {expl}")
        }
        Escalation::BalancingAgainst(b) => {
            let label = model.balancing_test(*b).map(|x| x.label.as_str()).unwrap_or("?");
            format!("prövning med presumtion för sekretess ({label}): kräver bedömning i det enskilda fallet")
        }
        Escalation::Risk(r, t) => {
            let label = model.risk(*r).map(|x| x.label.as_str()).unwrap_or("?");
            match t {
                Truth::Unknown => {
                    format!("möjlig riskfaktor: {label} (uppgift saknas) – prövningen görs av en handläggare")
                }
                _ => format!("riskfaktor: {label} – prövningen görs av en handläggare"),
            }
        }
        Escalation::Judgement(k) => {
            let text = rule.and_then(|r| r.judgements.get(*k)).cloned().unwrap_or_default();
            format!("bedömning som inte kan göras automatiskt: {text}")
        }
        Escalation::Uncertain(k, _) => {
            let text = rule
                .and_then(|r| r.uncertain.get(*k))
                .map(|u| u.text.clone())
                .unwrap_or_default();
            format!("osäker rättsfråga: {text}")
        }
        Escalation::PreAssessment(p) => match model.preassessment(*p) {
            Some(pre) => {
                let until = pre.to.map(|t| format!(" till {t}")).unwrap_or_default();
                let result = match pre.result {
                    PreResult::May => "får lämnas",
                    PreResult::MayNot => "får inte lämnas",
                };
                format!(
                    "förhandsbedömning {} (dnr {}, giltig från {}{until}): {result}",
                    pre.title, pre.dnr, pre.from
                )
            }
            None => "förhandsbedömning".into(),
        },
        Escalation::NotSecret => "uppgiften är inte sekretessbelagd hos avsändaren; inget behöver brytas".into(),
    }
}

/// One sentence saying what the item's outcome rests on.
pub fn item_summary(model: &Model, d: &ItemDecision) -> String {
    match (d.outcome, d.reason) {
        (_, Reason::NotSecret) => match d.secrecy_basis {
            SecrecyBasis::Stated => {
                "Får lämnas: enligt avsändarens bedömning skyddar ingen sekretess uppgiften, och ingen bestämmelse i regelverket gör det.".into()
            }
            _ => "Får lämnas: ingen sekretess skyddar uppgiften hos avsändaren.".into(),
        },
        (_, Reason::SecrecyUnknown) => {
            "Kräver prövning: regelverket beskriver inte all sekretess som kan gälla för uppgiften hos avsändaren. Avsändaren behöver pröva vilken sekretess som gäller (eller ange att ingen gäller).".into()
        }
        (Outcome::Deny, Reason::Secrecy) => {
            let secrecy: Vec<String> = d
                .secrecy
                .iter()
                .filter(|s| s.result.protects())
                .map(|s| citation(model, s.provision))
                .collect();
            format!(
                "Får inte lämnas: uppgiften är sekretessbelagd enligt {} och ingen bestämmelse bryter sekretessen.",
                list(&secrecy)
            )
        }
        (Outcome::Deny, Reason::Bar(v)) => {
            format!("Får inte lämnas: {} hindrar utlämnandet.", version_citation(model, v))
        }
        (Outcome::Manual, Reason::Conflict { bar, route }) => format!(
            "Kräver prövning: {} och {} står mot varandra utan inbördes företräde.",
            version_citation(model, bar),
            version_citation(model, route)
        ),
        (o, _) => route_summary(model, d, o),
    }
}

/// The outcome as the provisions it rests on decided it: their citations, the
/// pre-assessments that settled them, and for a manual outcome why.
fn route_summary(model: &Model, d: &ItemDecision, o: Outcome) -> String {
    let basis = list(&basis_citations(model, d));
    let pre = preassessed(model, d);
    sentence(match o {
        Outcome::Must => format!("Ska lämnas enligt {basis}{pre}"),
        Outcome::Allow => format!("Får lämnas enligt {basis}{pre}"),
        Outcome::Manual => match (cap(model, d), first_manual_note(model, d)) {
            (Some(c), _) => format!("Kräver prövning: {c}"),
            (None, Some(m)) => format!("Kräver prövning enligt {basis}: {m}"),
            (None, None) => format!("Kräver prövning enligt {basis}"),
        },
        Outcome::Deny => format!("Får inte lämnas enligt {basis}"),
    })
}

/// The provisions the outcome rests on; a duty through a bridge names the bridge.
fn basis_citations(model: &Model, d: &ItemDecision) -> Vec<String> {
    let bridge = d
        .basis
        .iter()
        .find(|b| b.role == BasisRole::Bridge)
        .map(|b| b.provision);
    d.basis_routes()
        .filter_map(|k| d.routes.get(k))
        .map(|f| {
            let mut s = citation(model, f.provision);
            if let Some(Body::Rule(r)) = f.version.and_then(|v| model.version(v)).map(|v| &v.body)
                && let Breaks::Through(b) = r.breaks
                && d.outcome == Outcome::Must
                && bridge == Some(b)
            {
                s.push_str(&format!(" genom {}", citation(model, b)));
            }
            s
        })
        .collect()
}

/// Why the first provision of the basis needs a manual assessment (other than a
/// balancing test, a pre-assessment or the absence of secrecy).
fn first_manual_note(model: &Model, d: &ItemDecision) -> Option<String> {
    let f = d.basis_routes().next().and_then(|k| d.routes.get(k))?;
    f.notes
        .iter()
        .find(|n| {
            !matches!(
                n,
                Escalation::Balancing(_) | Escalation::NotSecret | Escalation::PreAssessment(_)
            )
        })
        .map(|n| escalation(model, f.version, n))
}

/// What caps the outcome at a manual assessment, if anything does.
fn cap(model: &Model, d: &ItemDecision) -> Option<String> {
    d.caps.first().map(|c| match c {
        Cap::ClassifiedNotInForce(p) => format!(
            "avsändaren har angett {} som inte gäller på beslutsdagen",
            citation(model, *p)
        ),
        Cap::Fault(f) => format!(
            "internt fel i Lagrum ({} saknas); beslutet kan inte fattas automatiskt",
            f.what
        ),
    })
}

/// ` efter förhandsbedömning (dnr …)` when pre-assessments are in the basis, else nothing.
fn preassessed(model: &Model, d: &ItemDecision) -> String {
    let pre: Vec<String> = d
        .basis
        .iter()
        .filter_map(|b| match b.role {
            BasisRole::PreAssessment(p) => model.preassessment(p).map(|x| format!("dnr {}", x.dnr)),
            _ => None,
        })
        .collect();
    if pre.is_empty() {
        String::new()
    } else {
        format!(" efter förhandsbedömning ({})", list(&pre))
    }
}

/// The JSON path of a request field a condition read.
pub fn fact_path(model: &Model, item: usize, key: FactKey) -> String {
    let fact_name = |f: FactId| model.fact(f).map(|x| x.id.clone()).unwrap_or_default();
    match key {
        FactKey::Sender => "sender.actor".into(),
        FactKey::SenderUnit => "sender.unit".into(),
        FactKey::Recipient => "recipient.actor".into(),
        FactKey::RecipientUnit => "recipient.unit".into(),
        FactKey::Mode => "mode".into(),
        FactKey::Purposes => "purposes".into(),
        FactKey::Category => format!("items[{item}].category"),
        FactKey::Activity => "sender.activity".into(),
        FactKey::Secrecy | FactKey::SecrecyAssessment => format!("items[{item}].secrecy"),
        FactKey::IdentityNumber => format!("items[{item}].identity_number"),
        FactKey::NamedPerson => format!("items[{item}].subject"),
        FactKey::Person(s, attr) => {
            let field = match attr {
                PersonAttr::Age => "age",
                PersonAttr::Markers => "protection",
                PersonAttr::IdKind => "identity.kind",
                PersonAttr::IdLevel => "identity.level",
                PersonAttr::Consent | PersonAttr::GuardianConsent => "consent",
            };
            format!("subjects[{s}].{field}")
        }
        FactKey::PersonFact(s, f) => format!("subjects[{s}].facts.{}", fact_name(f)),
        FactKey::Fact(f) => format!("facts.{}", fact_name(f)),
        FactKey::Outcome => "decision.outcome".into(),
        FactKey::Basis => "decision.basis".into(),
        FactKey::Balancing => "decision.balancing".into(),
    }
}

/// The value a request field had, as JSON (null when missing).
pub fn fact_value(model: &Model, case: &Case, item: usize, key: FactKey) -> serde_json::Value {
    use serde_json::Value;
    let it = case.items.get(item);
    match key {
        FactKey::Sender => id_value(model.actor(case.sender.actor).map(|a| &a.id)),
        FactKey::SenderUnit => id_value(case.sender.unit.and_then(|u| model.unit(u)).map(|u| &u.id)),
        FactKey::Recipient => id_value(model.actor(case.recipient.actor).map(|a| &a.id)),
        FactKey::RecipientUnit => id_value(case.recipient.unit.and_then(|u| model.unit(u)).map(|u| &u.id)),
        FactKey::Mode => Value::String(
            match case.mode {
                Mode::OnRequest => "request",
                Mode::OwnInitiative => "own_initiative",
            }
            .into(),
        ),
        FactKey::Purposes => Value::Array(
            case.purposes
                .iter()
                .filter_map(|p| model.purpose(*p).map(|x| Value::String(x.id.clone())))
                .collect(),
        ),
        FactKey::Category => id_value(it.and_then(|i| model.category(i.category)).map(|c| &c.id)),
        FactKey::Activity => id_value(match it.map(|i| &i.held) {
            Some(crate::request::Held::Stated(a)) => model.activity(*a).map(|x| &x.id),
            _ => None,
        }),
        // The item's secrecy as decided is not in the request: `json::read_value` gives it.
        // The sender's own assessment is only ever read when it is missing (a question).
        FactKey::Secrecy | FactKey::SecrecyAssessment => Value::Null,
        FactKey::IdentityNumber => it
            .map(|i| Value::Bool(i.carries_identity_number))
            .unwrap_or(Value::Null),
        FactKey::NamedPerson => id_value(it.and_then(|i| case.subject_of(i)).map(|s| &s.id)),
        FactKey::Person(s, attr) => match case.subjects.get(s as usize) {
            Some(subj) => person_value(model, it, subj, attr),
            None => Value::Null,
        },
        FactKey::PersonFact(s, f) => stated_fact(
            model,
            case.subjects
                .get(s as usize)
                .and_then(|x| x.facts.get(f.index()).copied().flatten()),
            f,
        ),
        FactKey::Fact(f) => stated_fact(model, case.facts.get(f.index()).copied().flatten(), f),
        FactKey::Outcome | FactKey::Basis | FactKey::Balancing => Value::Null,
    }
}

/// An id as JSON, null when there is none.
fn id_value(id: Option<&String>) -> serde_json::Value {
    id.map(|s| serde_json::Value::String(s.clone()))
        .unwrap_or(serde_json::Value::Null)
}

/// A person's attribute as the request stated it.
fn person_value(
    model: &Model,
    it: Option<&crate::request::Item>,
    subj: &crate::request::Subject,
    attr: PersonAttr,
) -> serde_json::Value {
    use serde_json::Value;
    match attr {
        PersonAttr::Age => subj.age.map(Value::from).unwrap_or(Value::Null),
        PersonAttr::Markers => subj
            .markers
            .as_ref()
            .map(|ms| {
                Value::Array(
                    ms.iter()
                        .filter_map(|m| model.marker(*m).map(|x| id_value(Some(&x.id))))
                        .collect(),
                )
            })
            .unwrap_or(Value::Null),
        PersonAttr::IdKind => subj
            .id_kind
            .map(|k| Value::String(k.name().into()))
            .unwrap_or(Value::Null),
        PersonAttr::IdLevel => subj
            .id_level
            .map(|k| Value::String(k.name().into()))
            .unwrap_or(Value::Null),
        PersonAttr::Consent | PersonAttr::GuardianConsent => {
            let guardian = attr == PersonAttr::GuardianConsent;
            it.map(|i| Value::Bool(subj.consented(&i.id, guardian)))
                .unwrap_or(Value::Null)
        }
    }
}

/// A fact's value as the request stated it: a choice by its name.
fn stated_fact(model: &Model, v: Option<FactValue>, f: FactId) -> serde_json::Value {
    use serde_json::Value;
    match v {
        None => Value::Null,
        Some(FactValue::Bool(b)) => Value::Bool(b),
        Some(FactValue::Number(n)) => Value::from(n),
        Some(FactValue::Choice(c)) => match model.fact(f).map(|x| &x.ty) {
            Some(FactType::Choice(values)) => values
                .get(c as usize)
                .cloned()
                .map(Value::String)
                .unwrap_or(Value::Null),
            _ => Value::Null,
        },
    }
}

/// The question a missing fact asks.
pub fn question(model: &Model, case: &Case, key: FactKey) -> String {
    let who = |s: u32| {
        let multiple = case.subjects.len() > 1;
        match case.subjects.get(s as usize) {
            Some(subj) if multiple => format!("Person {}: ", subj.id),
            _ => String::new(),
        }
    };
    match key {
        FactKey::SenderUnit => format!(
            "Vilken enhet (nämnd eller verksamhetsgren) hos {} lämnar uppgiften?",
            party(model, case.sender.actor, None)
        ),
        FactKey::RecipientUnit => format!(
            "Vilken enhet (nämnd eller verksamhetsgren) hos {} tar emot uppgiften?",
            party(model, case.recipient.actor, None)
        ),
        FactKey::Person(s, attr) => format!(
            "{}{}",
            who(s),
            model
                .person_questions
                .get(&attr)
                .cloned()
                .unwrap_or_else(|| attr.path().to_string())
        ),
        FactKey::PersonFact(s, f) => format!(
            "{}{}",
            who(s),
            model.fact(f).map(|x| x.question.clone()).unwrap_or_default()
        ),
        FactKey::Fact(f) => model.fact(f).map(|x| x.question.clone()).unwrap_or_default(),
        FactKey::Activity => format!(
            "I vilken verksamhet hos {} finns uppgiften?",
            party(model, case.sender.actor, case.sender.unit)
        ),
        FactKey::SecrecyAssessment => format!(
            "Vilken sekretess gäller för uppgiften hos {}? Ange bestämmelserna, eller att ingen gäller.",
            party(model, case.sender.actor, case.sender.unit)
        ),
        _ => String::new(),
    }
}

pub fn secrecy_result(r: SecrecyResult) -> &'static str {
    match r {
        SecrecyResult::Applies => "gäller",
        SecrecyResult::Assumed => "antas gälla (uppgift saknas)",
        SecrecyResult::OutOfScope => "gäller inte här",
        SecrecyResult::NotInForce => "gäller inte på beslutsdagen",
    }
}

/// Ends a sentence with exactly one period: a citation such as "28 § 1 st." already
/// carries one, and a doubled period reads as a typo in a decision record.
fn sentence(mut s: String) -> String {
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

/// Why an item's list of secrecy is complete, or that it may not be, in one sentence.
pub fn secrecy_basis(model: &Model, parties: &Parties, b: SecrecyBasis) -> String {
    match b {
        SecrecyBasis::Covered(k) => format!(
            "Regelverket beskriver all sekretess som kan gälla för uppgiften hos {} ({}).",
            parties.sender,
            model.coverages.get(k).map(|c| c.label.as_str()).unwrap_or_default()
        ),
        SecrecyBasis::Stated => "Avsändaren har själv angett vilken sekretess som gäller för uppgiften.".into(),
        SecrecyBasis::Unknown => format!(
            "Regelverket beskriver inte all sekretess som kan gälla för uppgiften hos {}, och avsändaren har inte angett sin bedömning.",
            parties.sender
        ),
    }
}

/// The activities a sender can name: those the rulesets say it carries on, else all.
pub fn activity_choices(model: &Model, case: &Case) -> Vec<super::wire::Named> {
    let declared = case.items.first().map(|i| &i.held);
    model
        .activities
        .iter()
        .enumerate()
        .filter(|(k, _)| match declared {
            Some(crate::request::Held::OneOf(set)) => set.contains(ActivityId::from_index(*k)),
            _ => true,
        })
        .map(|(_, a)| super::wire::Named {
            id: a.id.clone(),
            label: a.label.clone(),
        })
        .collect()
}

/// A change to the request (`crate::alternatives`), as a phrase: "om syftet i stället var …".
pub fn change(model: &Model, case: &Case, c: &crate::alternatives::Change) -> String {
    use crate::alternatives::Change;
    let person = |s: usize| case.subjects.get(s).map(|x| x.id.clone()).unwrap_or_default();
    let fact = |f: FactId, v: FactValue| {
        let Some(fact) = model.fact(f) else {
            return String::new();
        };
        let value = match (v, &fact.ty) {
            (FactValue::Bool(true), _) => "ja".to_string(),
            (FactValue::Bool(false), _) => "nej".to_string(),
            (FactValue::Number(n), _) => n.to_string(),
            (FactValue::Choice(k), FactType::Choice(list)) => list.get(k as usize).cloned().unwrap_or_default(),
            (FactValue::Choice(k), _) => k.to_string(),
        };
        format!("”{}” är {value}", fact.label)
    };
    match c {
        Change::Mode(m) => format!("om uppgiften lämnades {}", mode(*m)),
        Change::Purpose(p) => {
            let label = model.purpose(*p).map(|x| x.label.clone()).unwrap_or_default();
            format!("om syftet i stället var {label}")
        }
        Change::Fact(f, v) => format!("om {}", fact(*f, *v)),
        Change::PersonFact(s, f, v) => format!("om {} för {}", fact(*f, *v), person(*s)),
        Change::Protection(s, list) if list.is_empty() => format!("om {} inte har någon skyddsmarkering", person(*s)),
        Change::Protection(s, list) => {
            let labels: Vec<String> = list
                .iter()
                .filter_map(|m| model.marker(*m).map(|x| x.label.clone()))
                .collect();
            format!("om {} bara har {}", person(*s), labels.join(" och "))
        }
    }
}

/// An alternative as one sentence: "Om …, så får uppgiften lämnas enligt …".
pub fn alternative(model: &Model, case: &Case, a: &crate::alternatives::Alternative) -> String {
    let changes: Vec<String> = a.changes.iter().map(|c| change(model, case, c)).collect();
    let cites: Vec<String> = a
        .basis
        .iter()
        .filter_map(|p| model.provision(*p).map(|x| x.citation.clone()))
        .collect();
    let mut s = changes.join(" och ");
    if let Some(first) = s.get(..1) {
        s = first.to_uppercase() + s.get(1..).unwrap_or_default();
    }
    let after = if cites.is_empty() {
        String::new()
    } else {
        format!(" enligt {}", cites.join(", "))
    };
    let end = if after.ends_with('.') { "" } else { "." };
    format!("{s}: {}{after}{end}", outcome(a.outcome))
}
