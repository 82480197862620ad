//! The request contract (`lagrum.request.v2`, and `v1` while clients move) and its
//! validation into a [`Case`].
//!
//! The wire types mirror the JSON exactly and reject unknown fields. Validation binds every
//! name to the ruleset (an unknown actor, category, purpose, marker, fact or provision is
//! an error naming its JSON path) and produces a typed, interned `Case`. Nothing in a
//! request is guessed: a field that is absent stays unknown, and the engine asks for it.

use crate::error::RequestError;
use lagrum_dsl::date::Date;
use lagrum_dsl::model::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::borrow::Cow;
use std::collections::BTreeMap;

/// The version tag a request carries.
pub const REQUEST_SCHEMA: &str = "lagrum.request.v2";
/// The earlier version, still accepted. It differs in one point of meaning: there,
/// `items[].secrecy` only adds to the secrecy the rulebook derives; in v2 it is also the
/// sender's statement that it has assessed the item's secrecy (`[]`: none applies).
pub const REQUEST_SCHEMA_V1: &str = "lagrum.request.v1";

/// A request for a decision: may these items go from the sender to the recipient?
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
#[schemars(title = "lagrum.request.v2")]
pub struct RequestDoc {
    /// `lagrum.request.v2` (or `lagrum.request.v1`, see the migration note in docs/request.md).
    pub schema: String,
    /// The caller's reference for the request, echoed in the decision.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub id: Option<String>,
    /// The date of the disclosure (ÅÅÅÅ-MM-DD). The law in force on this date applies.
    pub date: String,
    /// Who discloses.
    pub sender: PartyDoc,
    /// Who receives.
    pub recipient: PartyDoc,
    /// `request` when the recipient asked for the information, `own_initiative` otherwise.
    pub mode: ModeDoc,
    /// Why the recipient needs the information (ids of `syfte` in the rulesets).
    pub purposes: Vec<String>,
    /// The pieces of information to disclose; each gets its own outcome.
    pub items: Vec<ItemDoc>,
    /// The persons the items concern.
    #[serde(default)]
    pub subjects: Vec<SubjectDoc>,
    /// Named facts about the case (ids of `faktum` in the rulesets). A fact that is left out
    /// is unknown: the engine never assumes a value that would allow disclosure.
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
}

impl RequestDoc {
    /// A request with no purposes, items, subjects or facts yet; push them onto the public
    /// fields. The date is `ÅÅÅÅ-MM-DD`, checked when the request is validated.
    pub fn new(date: impl Into<String>, sender: PartyDoc, recipient: PartyDoc, mode: ModeDoc) -> RequestDoc {
        RequestDoc {
            schema: REQUEST_SCHEMA.to_string(),
            id: None,
            date: date.into(),
            sender,
            recipient,
            mode,
            purposes: Vec::new(),
            items: Vec::new(),
            subjects: Vec::new(),
            facts: BTreeMap::new(),
        }
    }
}

/// An authority, and optionally its unit (nämnd, verksamhetsgren).
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct PartyDoc {
    /// Actor id, e.g. `SKV`, `FK`, `KOM`.
    pub actor: String,
    /// Unit id, e.g. `beskattning`, `socialnämnd`, `hälso_och_sjukvård`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub unit: Option<String>,
    /// Sender only: the activity (`verksamhet` in the rulesets) in which the information is
    /// held, e.g. `hälso_och_sjukvård`. It must be one the actor (or unit) carries on.
    /// Left out: the engine uses what the rulesets say the sender carries on, and asks
    /// when that is not enough.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
}

impl PartyDoc {
    /// An authority as a whole (`PartyDoc::actor("PMY")`).
    pub fn actor(actor: impl Into<String>) -> PartyDoc {
        PartyDoc {
            actor: actor.into(),
            unit: None,
            activity: None,
        }
    }

    /// A unit of an authority (`PartyDoc::unit("KOM", "socialnämnd")`).
    pub fn unit(actor: impl Into<String>, unit: impl Into<String>) -> PartyDoc {
        PartyDoc {
            actor: actor.into(),
            unit: Some(unit.into()),
            activity: None,
        }
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ModeDoc {
    /// The recipient asked for the information.
    Request,
    /// The sender discloses without being asked.
    OwnInitiative,
}

/// One piece of information.
// In Rust, `..Default::default()` fills the optional fields.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ItemDoc {
    /// The caller's id for the item, unique in the request.
    pub id: String,
    /// Category id (`kategori` in the rulesets), e.g. `inkomstuppgift`, `kontaktuppgift`.
    pub category: String,
    /// The sender's own assessment of the item's secrecy: the secrecy provisions (ids of
    /// `sekretess`) it has found to apply, in addition to those the rulesets derive. In
    /// `lagrum.request.v2` the field also states that the sender has assessed the item:
    /// `[]` means it found that no secrecy applies (the analogue of `protection: []`).
    /// Left out, and where the rulesets do not model all secrecy the sender can have for
    /// the item, the item's secrecy is unknown and the outcome `manual`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub secrecy: Option<OneOrMany>,
    /// The activity in which this item is held, when it differs from `sender.activity`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activity: Option<String>,
    /// The id of the subject (person) the item concerns. Without it the item is taken not to
    /// concern a natural person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub subject: Option<String>,
    /// Whether the item carries the person's identity number (personnummer or
    /// samordningsnummer).
    #[serde(default)]
    pub identity_number: bool,
    /// Free text for people; not read by the rules.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub description: Option<String>,
}

/// A single id or a list of ids.
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(untagged)]
pub enum OneOrMany {
    One(String),
    Many(Vec<String>),
}

impl OneOrMany {
    fn as_slice(&self) -> Vec<&str> {
        match self {
            OneOrMany::One(s) => vec![s.as_str()],
            OneOrMany::Many(v) => v.iter().map(String::as_str).collect(),
        }
    }
}

/// A person the items concern.
// In Rust, `..Default::default()` leaves everything about the person unknown.
#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct SubjectDoc {
    /// The caller's id for the person, referred to by items.
    pub id: String,
    /// Age in whole years, if known.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub age: Option<i64>,
    /// Protection markers (`sekretessmarkering`, `skyddad_folkbokföring`, `kvarskrivning`,
    /// `fingerade_personuppgifter`). `[]` = checked, none. Left out = not known: the engine
    /// then treats the person as possibly protected and asks.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub protection: Option<Vec<String>>,
    /// The person's identity number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub identity: Option<IdentityDoc>,
    /// Facts about this person (ids of `faktum … om person`).
    #[serde(default)]
    pub facts: BTreeMap<String, serde_json::Value>,
    /// Consents the person (or a guardian) has given to the disclosure. Only a consent
    /// given on or before the request date, for the item in question, counts. Left out:
    /// no consent was given.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub consent: Vec<ConsentDoc>,
}

/// A consent to disclosure (OSL 12 kap. 2 §).
#[derive(Debug, Clone, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct ConsentDoc {
    /// `self` (the person) or `guardian` (a vårdnadshavare on the person's behalf).
    pub by: ConsentBy,
    /// When it was given (ÅÅÅÅ-MM-DD).
    pub given: String,
    /// The ids of the items it covers; left out = every item about the person.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub items: Option<Vec<String>>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ConsentBy {
    /// The person.
    #[serde(rename = "self")]
    Person,
    /// A guardian (vårdnadshavare) on the person's behalf.
    Guardian,
}

#[derive(Debug, Clone, Default, Serialize, Deserialize, JsonSchema)]
#[serde(deny_unknown_fields)]
pub struct IdentityDoc {
    /// `personnummer` or `samordningsnummer`.
    pub kind: String,
    /// For a samordningsnummer: `styrkt`, `sannolik` or `osäker` (from 2023-09-01).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub level: Option<String>,
    /// The number itself. Never printed unmasked in outputs meant for logs.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub number: Option<String>,
}

/// A party, resolved.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Party {
    pub actor: ActorId,
    pub unit: Option<UnitId>,
}

/// A fact's value, typed by its declaration.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum FactValue {
    Bool(bool),
    Number(i64),
    /// Index into the declared choices.
    Choice(u32),
}

/// Where an item is held at the sender.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Held {
    /// The request says in which activity.
    Stated(ActivityId),
    /// In one of these (a closed set: what the rulesets say the sender carries on).
    OneOf(ActivitySet),
    /// Not known: the rulesets do not say what the sender carries on.
    Unknown,
}

/// A consent, resolved: by whom, and the ids of the items it covers (`None` = all of the
/// person's). Only consents given on or before the request date are kept.
#[derive(Debug, Clone)]
pub struct Consent {
    pub guardian: bool,
    pub items: Option<Vec<String>>,
}

/// An item, resolved.
#[derive(Debug, Clone)]
pub struct Item {
    pub id: String,
    pub category: CategoryId,
    /// Sorted, unique.
    pub classified: Vec<ProvisionId>,
    /// The sender stated its own assessment of the item's secrecy (v2 `secrecy`).
    pub secrecy_stated: bool,
    /// The activity in which the item is held at the sender.
    pub held: Held,
    pub subject: Option<usize>,
    pub carries_identity_number: bool,
    pub description: Option<String>,
}

/// A subject, resolved.
#[derive(Debug, Clone)]
pub struct Subject {
    pub id: String,
    pub age: Option<i64>,
    /// `None` = not known.
    pub markers: Option<Vec<MarkerId>>,
    pub id_kind: Option<IdKind>,
    pub id_level: Option<IdLevel>,
    /// Valid, in the 12-digit form; its `Debug` is masked.
    pub id_number: Option<crate::identity::IdentityNumber>,
    /// Indexed by `FactId`; only facts declared `om person`.
    pub facts: Vec<Option<FactValue>>,
    /// Consents given on or before the request date.
    pub consents: Vec<Consent>,
}

impl Subject {
    /// Whether the person (or, with `guardian`, a guardian) consented to the item.
    pub fn consented(&self, item: &str, guardian: bool) -> bool {
        self.consents
            .iter()
            .any(|c| c.guardian == guardian && c.items.as_ref().is_none_or(|ids| ids.iter().any(|x| x == item)))
    }
}

/// A validated request: every name bound to the ruleset.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: Option<String>,
    pub date: Date,
    pub sender: Party,
    pub recipient: Party,
    pub mode: Mode,
    /// Sorted, unique.
    pub purposes: Vec<PurposeId>,
    pub items: Vec<Item>,
    pub subjects: Vec<Subject>,
    /// Indexed by `FactId`; only facts about the case.
    pub facts: Vec<Option<FactValue>>,
    /// Things validation did that the decision should say (e.g. a marker mapped by date).
    pub notes: Vec<String>,
}

impl Case {
    pub fn subject_of(&self, item: &Item) -> Option<&Subject> {
        item.subject.and_then(|s| self.subjects.get(s))
    }
}

/// Whether a case holds what [`validate`] guarantees for one read from JSON: every id
/// inside the model, the date inside the time the ruleset covers, activities the sender
/// carries on, markers valid on the date, two parties. An integrator may build a [`Case`]
/// by hand (its fields are public); deciding one that breaks this would read an id out of
/// range as "not in the set", which for a bar or a marker is permissive, so the engine
/// checks first and answers `manual`.
pub(crate) fn consistent(model: &Model, case: &Case) -> bool {
    let party = |p: &Party| {
        model
            .actors
            .get(p.actor.index())
            .is_some_and(|a| p.unit.is_none_or(|u| a.units.contains(&u)))
    };
    // Where an item is held decides which secrecy can apply: a stated activity must be one
    // the sender carries on, and "one of" must be exactly what the rulesets say it carries on
    // (a narrower set would rule secrecy out). Unknown is always safe.
    let declared = declared_activities(model, case.sender);
    let held = |h: &Held| match h {
        Held::Stated(a) => a.index() < model.activities.len() && declared.as_deref().is_none_or(|d| d.contains(*a)),
        Held::OneOf(set) => declared.as_deref().is_some_and(|d| d.members == set.members),
        Held::Unknown => true,
    };
    let item = |i: &Item| {
        i.category.index() < model.categories.len()
            && i.classified.iter().all(|p| p.index() < model.provisions.len())
            && held(&i.held)
            && i.subject.is_none_or(|s| s < case.subjects.len())
    };
    let marker = |m: &MarkerId| model.marker(*m).is_some_and(|x| moved(x, case.date).is_none());
    let subject = |s: &Subject| s.markers.iter().flatten().all(marker) && s.facts.len() <= model.facts.len();
    model.info.covers_from.is_none_or(|from| case.date >= from)
        && party(&case.sender)
        && party(&case.recipient)
        && !same_party(&case.sender, &case.recipient)
        && case.purposes.iter().all(|p| p.index() < model.purposes.len())
        && case.items.iter().all(item)
        && case.subjects.iter().all(subject)
        && case.facts.len() <= model.facts.len()
}

/// Parses and validates a request.
pub fn parse(model: &Model, json: &str) -> Result<Case, RequestError> {
    validate(model, &read(json)?)
}

/// Reads the request JSON into its wire form, without checking it against a ruleset. The
/// error says where: line and column for bad JSON, the JSON path for a wrong shape.
pub fn read(json: &str) -> Result<RequestDoc, RequestError> {
    // Most requests are well formed: read them without tracking the path, and read a bad
    // one again, tracking it, for the error (the same reader fails at the same place).
    // Both refuse text after the request (a second request, a stray character): it is
    // an error, never ignored.
    if let Ok(doc) = serde_json::from_str(json) {
        return Ok(doc);
    }
    let mut de = serde_json::Deserializer::from_str(json);
    let doc = serde_path_to_error::deserialize(&mut de).map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let message = crate::wording::swedish(&without_position(&inner));
        if inner.is_syntax() || inner.is_eof() {
            RequestError::syntax(inner.line(), inner.column(), message)
        } else {
            // serde may echo the value it rejected; an identity number must not reach the message.
            RequestError::shape(path, crate::identity::mask_in_text(&message))
        }
    })?;
    de.end()
        .map_err(|e| RequestError::syntax(e.line(), e.column(), crate::wording::swedish(&without_position(&e))))?;
    Ok(doc)
}

/// serde_json's message without the position it appends (the error carries it already).
fn without_position(e: &serde_json::Error) -> String {
    let text = e.to_string();
    match text.rfind(" at line ") {
        Some(i) => text.get(..i).unwrap_or(&text).to_string(),
        None => text,
    }
}

/// Validates an already deserialized request.
pub fn validate(model: &Model, doc: &RequestDoc) -> Result<Case, RequestError> {
    let v2 = match doc.schema.as_str() {
        REQUEST_SCHEMA => true,
        REQUEST_SCHEMA_V1 => false,
        other => {
            return Err(RequestError::invalid(
                "schema",
                "unsupported_schema",
                format!("schemat `{other}` stöds inte; använd `{REQUEST_SCHEMA}`"),
            ));
        }
    };
    let date = request_date(model, &doc.date)?;
    let sender = party(model, &doc.sender, "sender")?;
    let recipient = party(model, &doc.recipient, "recipient")?;
    if doc.recipient.activity.is_some() {
        return Err(RequestError::invalid(
            "recipient.activity",
            "activity_of_recipient",
            "verksamhet anges bara för avsändaren: sekretessen följer uppgiften där den finns",
        ));
    }
    let declared = declared_activities(model, sender);
    let sender_held = match &doc.sender.activity {
        Some(a) => Held::Stated(activity(model, a, declared.as_deref(), "sender.activity")?),
        None => declared.clone().map_or(Held::Unknown, |d| Held::OneOf(d.into_owned())),
    };
    if same_party(&sender, &recipient) {
        return Err(RequestError::invalid(
            "recipient",
            "same_party",
            "avsändare och mottagare är samma myndighet; ange olika enheter om uppgiften går mellan självständiga verksamhetsgrenar",
        ));
    }
    let mode = match doc.mode {
        ModeDoc::Request => Mode::OnRequest,
        ModeDoc::OwnInitiative => Mode::OwnInitiative,
    };
    let purposes = purposes(model, &doc.purposes)?;

    let mut notes = Vec::new();
    let subjects = subjects(model, doc, date, &mut notes)?;
    if doc.items.is_empty() {
        return Err(RequestError::invalid("items", "missing_items", "ange minst en uppgift"));
    }
    let mut items = Vec::with_capacity(doc.items.len());
    for (i, it) in doc.items.iter().enumerate() {
        if doc.items.iter().take(i).any(|o| o.id == it.id) {
            return Err(RequestError::invalid(
                format!("items[{i}].id"),
                "duplicate_id",
                format!("uppgiften `{}` finns redan", it.id),
            ));
        }
        let held = match &it.activity {
            Some(a) => Held::Stated(activity(
                model,
                a,
                declared.as_deref(),
                &format!("items[{i}].activity"),
            )?),
            None => sender_held.clone(),
        };
        items.push(item(model, doc, i, it, held, v2)?);
    }
    let facts = facts(model, &doc.facts, false, "facts", &mut notes)?;
    Ok(Case {
        id: doc.id.clone(),
        date,
        sender,
        recipient,
        mode,
        purposes,
        items,
        subjects,
        facts,
        notes,
    })
}

/// One item: its category, the secrecy the sender states, its person, where it is held.
fn item(model: &Model, doc: &RequestDoc, i: usize, it: &ItemDoc, held: Held, v2: bool) -> Result<Item, RequestError> {
    let category = *model.names.categories.get(&it.category).ok_or_else(|| {
        RequestError::invalid(
            format!("items[{i}].category"),
            "unknown_category",
            format!("okänd kategori `{}`", it.category),
        )
    })?;
    let mut classified = Vec::new();
    if let Some(sec) = &it.secrecy {
        for (j, name) in sec.as_slice().into_iter().enumerate() {
            let path = match sec {
                OneOrMany::One(_) => format!("items[{i}].secrecy"),
                OneOrMany::Many(_) => format!("items[{i}].secrecy[{j}]"),
            };
            let id = model
                .names
                .provisions
                .get(name)
                .copied()
                .filter(|p| model.provision(*p).is_some_and(|x| x.kind == ProvisionKind::Secrecy))
                .ok_or_else(|| {
                    RequestError::invalid(path, "unknown_secrecy", format!("okänd sekretessbestämmelse `{name}`"))
                })?;
            classified.push(id);
        }
    }
    classified.sort();
    classified.dedup();
    let subject = match &it.subject {
        Some(sid) => Some(doc.subjects.iter().position(|s| &s.id == sid).ok_or_else(|| {
            RequestError::invalid(
                format!("items[{i}].subject"),
                "unknown_subject",
                format!("personen `{sid}` finns inte bland `subjects`"),
            )
        })?),
        None => None,
    };
    Ok(Item {
        id: it.id.clone(),
        category,
        classified,
        secrecy_stated: v2 && it.secrecy.is_some(),
        held,
        subject,
        carries_identity_number: it.identity_number,
        description: it.description.clone(),
    })
}

/// The request's date, within the time the ruleset covers.
fn request_date(model: &Model, text: &str) -> Result<Date, RequestError> {
    let date = Date::parse(text).map_err(|_| {
        RequestError::invalid(
            "date",
            "invalid_date",
            format!("`{text}` är inget giltigt datum (ÅÅÅÅ-MM-DD)"),
        )
    })?;
    if let Some(from) = model.info.covers_from
        && date < from
    {
        return Err(RequestError::invalid(
            "date",
            "date_not_covered",
            format!("regelverket täcker inte tiden före {from}; {date} kan inte bedömas"),
        ));
    }
    Ok(date)
}

/// The purposes, at least one, each known; sorted and once each.
fn purposes(model: &Model, names: &[String]) -> Result<Vec<PurposeId>, RequestError> {
    if names.is_empty() {
        return Err(RequestError::invalid(
            "purposes",
            "missing_purpose",
            "ange minst ett syfte",
        ));
    }
    let mut purposes = Vec::with_capacity(names.len());
    for (i, p) in names.iter().enumerate() {
        match model.names.purposes.get(p) {
            Some(id) => purposes.push(*id),
            None => {
                return Err(RequestError::invalid(
                    format!("purposes[{i}]"),
                    "unknown_purpose",
                    format!("okänt syfte `{p}`"),
                ));
            }
        }
    }
    purposes.sort();
    purposes.dedup();
    Ok(purposes)
}

/// The persons, each id once, with their consents.
fn subjects(
    model: &Model,
    doc: &RequestDoc,
    date: Date,
    notes: &mut Vec<String>,
) -> Result<Vec<Subject>, RequestError> {
    let mut subjects = Vec::with_capacity(doc.subjects.len());
    for (i, s) in doc.subjects.iter().enumerate() {
        if doc.subjects.iter().take(i).any(|o| o.id == s.id) {
            return Err(RequestError::invalid(
                format!("subjects[{i}].id"),
                "duplicate_id",
                format!("personen `{}` finns redan", s.id),
            ));
        }
        subjects.push(subject(model, s, i, date, notes)?);
    }
    for (i, s) in doc.subjects.iter().enumerate() {
        if let Some(subject) = subjects.get_mut(i) {
            subject.consents = consents(doc, s, i, date)?;
        }
    }
    Ok(subjects)
}

fn party(model: &Model, p: &PartyDoc, path: &str) -> Result<Party, RequestError> {
    let actor = *model.names.actors.get(&p.actor).ok_or_else(|| {
        RequestError::invalid(
            format!("{path}.actor"),
            "unknown_actor",
            format!("okänd aktör `{}`", p.actor),
        )
    })?;
    let unit = match &p.unit {
        None => None,
        Some(u) => {
            let a = model.actor(actor);
            let found = a.and_then(|a| {
                a.units
                    .iter()
                    .copied()
                    .find(|id| model.unit(*id).is_some_and(|x| &x.id == u))
            });
            match found {
                Some(id) => Some(id),
                None => {
                    let known: Vec<String> = a
                        .map(|a| {
                            a.units
                                .iter()
                                .filter_map(|id| model.unit(*id).map(|x| format!("`{}`", x.id)))
                                .collect()
                        })
                        .unwrap_or_default();
                    let hint = if known.is_empty() {
                        format!("{} har inga enheter", p.actor)
                    } else {
                        format!("enheter: {}", known.join(", "))
                    };
                    return Err(RequestError::invalid(
                        format!("{path}.unit"),
                        "unknown_unit",
                        format!("`{}` har ingen enhet `{u}` ({hint})", p.actor),
                    ));
                }
            }
        }
    };
    Ok(Party { actor, unit })
}

fn subject(
    model: &Model,
    s: &SubjectDoc,
    i: usize,
    date: Date,
    notes: &mut Vec<String>,
) -> Result<Subject, RequestError> {
    if let Some(age) = s.age
        && !(0..=130).contains(&age)
    {
        return Err(RequestError::invalid(
            format!("subjects[{i}].age"),
            "invalid_age",
            format!("åldern {age} är inte rimlig"),
        ));
    }
    let markers = match &s.protection {
        None => None,
        Some(list) => Some(subject_markers(model, list, i, date, &s.id, notes)?),
    };
    let (id_kind, id_level, id_number) = match &s.identity {
        None => (None, None, None),
        Some(idn) => {
            let (kind, level, number) = subject_identity(idn, i, date)?;
            (Some(kind), level, number)
        }
    };
    let facts = facts(model, &s.facts, true, &format!("subjects[{i}].facts"), notes)?;
    Ok(Subject {
        id: s.id.clone(),
        age: s.age,
        markers,
        id_kind,
        id_level,
        id_number,
        facts,
        consents: Vec::new(),
    })
}

/// The protection markers stated for subject `i`, each as it was on the request date.
fn subject_markers(
    model: &Model,
    list: &[String],
    i: usize,
    date: Date,
    who: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<MarkerId>, RequestError> {
    let mut out = Vec::with_capacity(list.len());
    for (j, m) in list.iter().enumerate() {
        let id = *model.names.markers.get(m).ok_or_else(|| {
            RequestError::invalid(
                format!("subjects[{i}].protection[{j}]"),
                "unknown_marker",
                format!("okänt skydd `{m}`"),
            )
        })?;
        out.push(marker_on(model, id, date, who, notes));
    }
    out.sort();
    out.dedup();
    Ok(out)
}

/// The identity of subject `i`: its kind, the level (only for a samordningsnummer) and
/// the number, checked.
fn subject_identity(
    idn: &IdentityDoc,
    i: usize,
    date: Date,
) -> Result<(IdKind, Option<IdLevel>, Option<crate::identity::IdentityNumber>), RequestError> {
    let kind = IdKind::ALL.into_iter().find(|k| k.name() == idn.kind).ok_or_else(|| {
        RequestError::invalid(
            format!("subjects[{i}].identity.kind"),
            "unknown_identity_kind",
            format!(
                "`{}` är ingen sorts identitetsnummer (personnummer eller samordningsnummer)",
                idn.kind
            ),
        )
    })?;
    let level = match &idn.level {
        None => None,
        Some(l) => Some(IdLevel::ALL.into_iter().find(|x| x.name() == l).ok_or_else(|| {
            RequestError::invalid(
                format!("subjects[{i}].identity.level"),
                "unknown_identity_level",
                format!("`{l}` är ingen identitetsnivå (styrkt, sannolik eller osäker)"),
            )
        })?),
    };
    if level.is_some() && kind != IdKind::Samordningsnummer {
        return Err(RequestError::invalid(
            format!("subjects[{i}].identity.level"),
            "level_without_coordination_number",
            "identitetsnivå finns bara för samordningsnummer",
        ));
    }
    let number = match &idn.number {
        None => None,
        Some(text) => Some(identity_number(text, kind, date, i)?),
    };
    Ok((kind, level, number))
}

/// Whether sender and recipient are one party: the same actor, and not two named units of it.
fn same_party(sender: &Party, recipient: &Party) -> bool {
    sender.actor == recipient.actor
        && (sender.unit == recipient.unit || sender.unit.is_none() || recipient.unit.is_none())
}

/// The activities the rulesets say the sender carries on: the unit's, else the actor's,
/// else (no unit given) those of all its units when every unit states them. Borrowed from
/// the model where it can be (every decision asks, through [`consistent`]).
fn declared_activities(model: &Model, sender: Party) -> Option<Cow<'_, ActivitySet>> {
    let actor = model.actor(sender.actor)?;
    if let Some(u) = sender.unit.and_then(|u| model.unit(u))
        && let Some(set) = &u.activities
    {
        return Some(Cow::Borrowed(set));
    }
    if let Some(set) = &actor.activities {
        return Some(Cow::Borrowed(set));
    }
    if sender.unit.is_some() || actor.units.is_empty() {
        return None;
    }
    let mut members = Vec::new();
    for u in &actor.units {
        members.extend_from_slice(&model.unit(*u)?.activities.as_ref()?.members);
    }
    Some(Cow::Owned(ActivitySet::new(members, None)))
}

/// An activity named in the request: declared, and one the sender carries on.
fn activity(model: &Model, name: &str, declared: Option<&ActivitySet>, path: &str) -> Result<ActivityId, RequestError> {
    let id = *model
        .names
        .activities
        .get(name)
        .ok_or_else(|| RequestError::invalid(path, "unknown_activity", format!("okänd verksamhet `{name}`")))?;
    if declared.is_some_and(|d| !d.contains(id)) {
        return Err(RequestError::invalid(
            path,
            "activity_not_carried_on",
            format!("avsändaren bedriver inte verksamheten `{name}` enligt regelverket"),
        ));
    }
    Ok(id)
}

/// A subject's consents that count on the date, with their items resolved.
fn consents(doc: &RequestDoc, s: &SubjectDoc, i: usize, date: Date) -> Result<Vec<Consent>, RequestError> {
    let mut out = Vec::new();
    for (j, c) in s.consent.iter().enumerate() {
        let path = format!("subjects[{i}].consent[{j}]");
        let given = Date::parse(&c.given).map_err(|_| {
            RequestError::invalid(
                format!("{path}.given"),
                "invalid_date",
                format!("`{}` är inget giltigt datum (ÅÅÅÅ-MM-DD)", c.given),
            )
        })?;
        let items = match &c.items {
            None => None,
            Some(ids) => {
                let mut found = Vec::with_capacity(ids.len());
                for (k, id) in ids.iter().enumerate() {
                    let known = doc
                        .items
                        .iter()
                        .any(|it| &it.id == id && it.subject.as_ref() == Some(&s.id));
                    if !known {
                        return Err(RequestError::invalid(
                            format!("{path}.items[{k}]"),
                            "unknown_item",
                            format!("uppgiften `{id}` finns inte, eller gäller inte personen `{}`", s.id),
                        ));
                    }
                    found.push(id.clone());
                }
                Some(found)
            }
        };
        if given <= date {
            out.push(Consent {
                guardian: c.by == ConsentBy::Guardian,
                items,
            });
        }
    }
    Ok(out)
}

/// A valid identity number of the given kind. Errors show it masked.
fn identity_number(
    text: &str,
    kind: IdKind,
    date: Date,
    i: usize,
) -> Result<crate::identity::IdentityNumber, RequestError> {
    let path = format!("subjects[{i}].identity.number");
    let number = crate::identity::IdentityNumber::parse_on(text, date).map_err(|e| {
        RequestError::invalid(
            &path,
            "invalid_identity_number",
            format!(
                "`{}` är inget giltigt identitetsnummer: {e}",
                crate::identity::mask(text)
            ),
        )
    })?;
    if number.kind() != kind {
        return Err(RequestError::invalid(
            path,
            "invalid_identity_number",
            format!(
                "`{}` är ett {}, inte ett {} (ett samordningsnummer har födelsedagen plus 60)",
                number.masked(),
                number.kind().name(),
                kind.name()
            ),
        ));
    }
    Ok(number)
}

/// How a marker given outside its validity reads on the date.
enum Moved {
    /// It ended on this date; the marker that replaced it applies.
    Ended(Date, MarkerId),
    /// It starts on this date; the marker it replaced applied.
    NotYet(Date, MarkerId),
}

/// `None` when the marker is valid on the date (or has no successor or predecessor).
fn moved(m: &Marker, date: Date) -> Option<Moved> {
    if let (Some(to), Some(next)) = (m.to, m.replaced_by)
        && date > to
    {
        return Some(Moved::Ended(to, next));
    }
    match (m.from, m.replaces) {
        (Some(from), Some(prev)) if date < from => Some(Moved::NotYet(from, prev)),
        _ => None,
    }
}

/// The marker that applies on the date: a marker given outside its validity is mapped to
/// the one that replaced it (or that it replaced), with a note saying so.
fn marker_on(model: &Model, id: MarkerId, date: Date, who: &str, notes: &mut Vec<String>) -> MarkerId {
    let Some(m) = model.marker(id) else { return id };
    let label = |x: MarkerId| model.marker(x).map_or("?", |n| n.label.as_str());
    match moved(m, date) {
        Some(Moved::Ended(to, next)) => {
            notes.push(format!(
                "{who}: {} upphörde {to} och behandlas på beslutsdagen som {}.",
                m.label,
                label(next)
            ));
            next
        }
        Some(Moved::NotYet(from, prev)) => {
            notes.push(format!(
                "{who}: {} finns från {from}; på beslutsdagen var skyddsåtgärden {}.",
                m.label,
                label(prev)
            ));
            prev
        }
        None => id,
    }
}

/// A number fact answered by picking a crime (`{"brott": "<id>"}`, for a fact marked
/// `straffskala lägst`): the crime's lowest penalty in months, and a note for the record.
fn crime_answer(
    model: &Model,
    fact: &Fact,
    value: &serde_json::Value,
    fpath: &str,
    notes: &mut Vec<String>,
) -> Result<Option<FactValue>, RequestError> {
    let serde_json::Value::Object(map) = value else {
        return Ok(None);
    };
    let picked = match (fact.from_crime, map.len(), map.get("brott")) {
        (true, 1, Some(serde_json::Value::String(s))) => s,
        _ => {
            return Err(RequestError::invalid(
                fpath,
                "invalid_fact",
                format!(
                    "`{}` ska vara ett heltal{}",
                    fact.id,
                    if fact.from_crime {
                        " eller {\"brott\": \"…\"}"
                    } else {
                        ""
                    }
                ),
            ));
        }
    };
    let Some(c) = model.crimes.iter().find(|c| &c.id == picked) else {
        return Err(RequestError::invalid(
            format!("{fpath}.brott"),
            "unknown_crime",
            format!("okänt brott `{picked}`"),
        ));
    };
    notes.push(format!(
        "{}: {} månader, det lägsta straffet för {} ({}, straffskala {}–{} månader).",
        fact.label, c.min_months, c.label, c.citation, c.min_months, c.max_months
    ));
    Ok(Some(FactValue::Number(i64::from(c.min_months))))
}

fn facts(
    model: &Model,
    given: &BTreeMap<String, serde_json::Value>,
    about_person: bool,
    path: &str,
    notes: &mut Vec<String>,
) -> Result<Vec<Option<FactValue>>, RequestError> {
    let mut out = vec![None; model.facts.len()];
    for (name, value) in given {
        let fpath = format!("{path}.{name}");
        let Some(id) = model.names.facts.get(name).copied() else {
            return Err(RequestError::invalid(
                fpath,
                "unknown_fact",
                format!("okänt faktum `{name}`"),
            ));
        };
        let Some(fact) = model.fact(id) else { continue };
        if fact.about_person != about_person {
            let msg = if fact.about_person {
                format!("faktumet `{name}` gäller en person och anges under `subjects[].facts`")
            } else {
                format!("faktumet `{name}` gäller ärendet och anges under `facts`")
            };
            return Err(RequestError::invalid(fpath, "fact_in_wrong_place", msg));
        }
        if value.is_null() {
            continue;
        }
        if let (FactType::Number, Some(v)) = (&fact.ty, crime_answer(model, fact, value, &fpath, notes)?) {
            if let Some(slot) = out.get_mut(id.index()) {
                *slot = Some(v);
            }
            continue;
        }
        let v = match (&fact.ty, value) {
            (FactType::YesNo, serde_json::Value::Bool(b)) => FactValue::Bool(*b),
            (FactType::Number, serde_json::Value::Number(n)) => match n.as_i64() {
                Some(i) => FactValue::Number(i),
                None => {
                    return Err(RequestError::invalid(
                        fpath,
                        "invalid_fact",
                        format!("`{name}` ska vara ett heltal"),
                    ));
                }
            },
            (FactType::Choice(values), serde_json::Value::String(s)) => {
                match values.iter().position(|v| v == s).and_then(|p| u32::try_from(p).ok()) {
                    Some(p) => FactValue::Choice(p),
                    None => {
                        return Err(RequestError::invalid(
                            fpath,
                            "invalid_fact",
                            format!("`{s}` är inget värde för `{name}` (möjliga: {})", values.join(", ")),
                        ));
                    }
                }
            }
            (ty, _) => {
                let want = match ty {
                    FactType::YesNo => "true eller false".to_string(),
                    FactType::Number => "ett heltal".to_string(),
                    FactType::Choice(v) => format!("en av {}", v.join(", ")),
                };
                return Err(RequestError::invalid(
                    fpath,
                    "invalid_fact",
                    format!("`{name}` ska vara {want}"),
                ));
            }
        };
        if let Some(slot) = out.get_mut(id.index()) {
            *slot = Some(v);
        }
    }
    Ok(out)
}
