//! The ruleset described for clients: the vocabulary a form needs (actors and units with
//! their activities, purposes, categories, activities, protection markers, facts with their
//! questions) and the list of provisions with citations and versions (with provenance and,
//! for secrecy, where it applies, whose interest it protects and its time limit), and the
//! coverage declarations. Both are plain serializable data.

use crate::render::json::{Named, RulesetDoc, VersionDoc};
use lagrum_dsl::model::*;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// Everything a request form needs, with Swedish labels.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VocabularyDoc {
    pub ruleset: RulesetDoc,
    /// Requests dated before this are refused.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub covers_from: Option<String>,
    pub actors: Vec<ActorDoc>,
    pub purposes: Vec<Named>,
    pub categories: Vec<CategoryDoc>,
    /// The activities (verksamheter), a tree like the categories.
    #[serde(default)]
    pub activities: Vec<CategoryDoc>,
    pub markers: Vec<MarkerDoc>,
    /// Secrecy provisions an item can be classified under.
    pub secrecy: Vec<SecrecyChoice>,
    pub facts: Vec<FactDef>,
    /// Questions for the built-in person attributes (`age`, `protection`, `identity.kind`,
    /// `identity.level`), keyed by request field.
    pub person_questions: Vec<Named>,
    /// Crimes with their penalty scales: a fact marked `from_crime` can be answered by
    /// picking one (`{"brott": "<id>"}`), and the engine takes the lowest penalty.
    #[serde(default)]
    pub crimes: Vec<CrimeDoc>,
}

/// A crime a caseworker can pick, with its penalty scale in months of imprisonment.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CrimeDoc {
    pub id: String,
    pub label: String,
    /// Where the scale is, e.g. `BrB 3 kap. 6 § 1 st.`.
    pub citation: String,
    /// Lowest penalty in months (0: the scale starts at fines or has only a ceiling).
    pub min_months: u32,
    pub max_months: u32,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActorDoc {
    pub id: String,
    pub name: String,
    pub units: Vec<UnitDoc>,
    /// The activities the actor carries on (each with those under it); absent when unknown.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct UnitDoc {
    pub id: String,
    pub label: String,
    /// The activities the unit carries on; absent when unknown (then the actor's, if given).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<String>>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CategoryDoc {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub parent: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct MarkerDoc {
    pub id: String,
    pub label: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub from: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// Navet term code, e.g. `01020`.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub term_code: Option<String>,
    /// Never shown in the population register: a register check cannot settle it.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub unregistered: bool,
    /// The marker that replaced this one (`ersätter`); given outside this marker's time,
    /// it is read as this one.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub replaced_by: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SecrecyChoice {
    pub id: String,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct FactDef {
    pub id: String,
    pub label: String,
    /// Given under `subjects[].facts` rather than `facts`.
    pub about_person: bool,
    pub kind: FactKind,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub choices: Vec<String>,
    pub question: String,
    /// The answer can be a crime picked from `crimes` (`{"brott": "<id>"}`): its lowest
    /// penalty in months.
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub from_crime: bool,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum FactKind {
    YesNo,
    Number,
    Choice,
}

/// Every provision, with citation, kind and versions.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListingDoc {
    pub ruleset: RulesetDoc,
    pub provisions: Vec<ProvisionListing>,
    /// Where the rulebook models a sender's secrecy completely (`täckning`).
    #[serde(default)]
    pub coverages: Vec<CoverageDoc>,
}

/// A coverage declaration: in this scope, for this information, these secrecy provisions
/// are all the secrecy that can apply.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct CoverageDoc {
    pub id: String,
    pub label: String,
    /// Activities; every activity under a listed one is included.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub activities: Option<Vec<String>>,
    /// Actors (`SKV`) or units (`SKV.beskattning`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub actors: Option<Vec<String>>,
    /// Categories; every category under a listed one is included.
    pub categories: Vec<String>,
    /// Ids of the secrecy provisions; empty = no secrecy applies there.
    pub secrecy: Vec<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub explanation: Vec<String>,
}

/// One version in the provision listing.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ListedVersion {
    #[serde(flatten)]
    pub period: VersionDoc,
    /// The statute text this version was checked against (`kontrollerad mot`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub checked: Option<ProvenanceDoc>,
    /// Secrecy: the activities it applies in (`gäller i`), each with those under it;
    /// absent = in any activity.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub applies_in: Option<Vec<String>>,
    /// Secrecy: whose interest it protects (`till skydd för`); absent when not written.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub interest: Option<Vec<InterestDoc>>,
    /// Secrecy: the statute says consent does not lift it (`samtycke häver inte`).
    #[serde(default, skip_serializing_if = "std::ops::Not::not")]
    pub consent_excluded: bool,
    /// Secrecy: the statute's time limit for a document, in years (`tidsgräns`).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub time_limit_years: Option<u32>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProvenanceDoc {
    /// `SFS 2025:937`
    pub sfs: String,
    /// `ÅÅÅÅ-MM-DD`
    pub date: String,
}

/// `enskild`, `närstående`, `allmänt intresse`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum InterestDoc {
    Individual,
    Related,
    Public,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProvisionListing {
    pub id: String,
    pub kind: ProvisionKindDoc,
    pub citation: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<String>,
    /// The act's title.
    pub act: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sfs: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<String>,
    pub versions: Vec<ListedVersion>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
#[serde(rename_all = "snake_case")]
pub enum ProvisionKindDoc {
    Secrecy,
    Permission,
    Duty,
    Bar,
    DataProtection,
    Plain,
}

pub(crate) fn ruleset_doc(model: &Model) -> RulesetDoc {
    RulesetDoc::from(&model.info)
}

/// The ids of a closed set of activities, naming only the top of each listed tree (the
/// activities under them are included; the vocabulary has the tree).
fn activity_ids(model: &Model, set: &ActivitySet) -> Vec<String> {
    set.members
        .iter()
        .filter_map(|a| model.activity(*a))
        .filter(|a| a.parent.is_none_or(|p| !set.contains(p)))
        .map(|a| a.id.clone())
        .collect()
}

pub fn vocabulary(model: &Model) -> VocabularyDoc {
    VocabularyDoc {
        ruleset: ruleset_doc(model),
        covers_from: model.info.covers_from.map(|d| d.to_string()),
        actors: model.actors.iter().map(|a| actor_doc(model, a)).collect(),
        purposes: model.purposes.iter().map(|p| Named::new(&p.id, &p.label)).collect(),
        categories: model
            .categories
            .iter()
            .map(|c| tree_node(&c.id, &c.label, c.parent.and_then(|p| model.category(p)).map(|p| &p.id)))
            .collect(),
        activities: model
            .activities
            .iter()
            .map(|a| tree_node(&a.id, &a.label, a.parent.and_then(|p| model.activity(p)).map(|p| &p.id)))
            .collect(),
        markers: model.markers.iter().map(|m| marker_doc(model, m)).collect(),
        secrecy: model
            .provisions
            .iter()
            .filter(|p| p.kind == ProvisionKind::Secrecy)
            .map(|p| SecrecyChoice {
                id: p.id.clone(),
                citation: p.citation.clone(),
                heading: p.heading.clone(),
            })
            .collect(),
        facts: model.facts.iter().map(fact_def).collect(),
        crimes: model
            .crimes
            .iter()
            .map(|c| CrimeDoc {
                id: c.id.clone(),
                label: c.label.clone(),
                citation: c.citation.clone(),
                min_months: c.min_months,
                max_months: c.max_months,
            })
            .collect(),
        person_questions: [
            (PersonAttr::Age, "age"),
            (PersonAttr::Markers, "protection"),
            (PersonAttr::IdKind, "identity.kind"),
            (PersonAttr::IdLevel, "identity.level"),
        ]
        .into_iter()
        .filter_map(|(a, field)| model.person_questions.get(&a).map(|q| Named::new(field, q)))
        .collect(),
    }
}

/// An actor, its units, and the activities each is held in (when the ruleset says).
fn actor_doc(model: &Model, a: &Actor) -> ActorDoc {
    let activities_of = |set: &Option<ActivitySet>| set.as_ref().map(|s| activity_ids(model, s));
    ActorDoc {
        id: a.id.clone(),
        name: a.name.clone(),
        units: a
            .units
            .iter()
            .filter_map(|u| model.unit(*u))
            .map(|u| UnitDoc {
                id: u.id.clone(),
                label: u.label.clone(),
                activities: activities_of(&u.activities),
            })
            .collect(),
        activities: activities_of(&a.activities),
    }
}

/// A category or an activity, in its tree: the same record for both.
fn tree_node(id: &str, label: &str, parent: Option<&String>) -> CategoryDoc {
    CategoryDoc {
        id: id.to_string(),
        label: label.to_string(),
        parent: parent.cloned(),
    }
}

/// A protection marker, its period and what replaced it.
fn marker_doc(model: &Model, m: &Marker) -> MarkerDoc {
    MarkerDoc {
        id: m.id.clone(),
        label: m.label.clone(),
        from: m.from.map(|d| d.to_string()),
        to: m.to.map(|d| d.to_string()),
        term_code: m.term_code.clone(),
        unregistered: m.unregistered,
        replaced_by: m.replaced_by.and_then(|r| model.marker(r)).map(|r| r.id.clone()),
    }
}

/// A fact a request may carry: its type, choices and question.
fn fact_def(f: &Fact) -> FactDef {
    FactDef {
        id: f.id.clone(),
        label: f.label.clone(),
        about_person: f.about_person,
        kind: match f.ty {
            FactType::YesNo => FactKind::YesNo,
            FactType::Number => FactKind::Number,
            FactType::Choice(_) => FactKind::Choice,
        },
        choices: match &f.ty {
            FactType::Choice(v) => v.clone(),
            _ => Vec::new(),
        },
        question: f.question.clone(),
        from_crime: f.from_crime,
    }
}

pub fn listing(model: &Model) -> ListingDoc {
    ListingDoc {
        ruleset: ruleset_doc(model),
        provisions: model
            .provisions
            .iter()
            .map(|p| ProvisionListing {
                id: p.id.clone(),
                kind: match p.kind {
                    ProvisionKind::Secrecy => ProvisionKindDoc::Secrecy,
                    ProvisionKind::Permission => ProvisionKindDoc::Permission,
                    ProvisionKind::Duty => ProvisionKindDoc::Duty,
                    ProvisionKind::Bar => ProvisionKindDoc::Bar,
                    ProvisionKind::DataProtection => ProvisionKindDoc::DataProtection,
                    ProvisionKind::Plain => ProvisionKindDoc::Plain,
                },
                citation: p.citation.clone(),
                heading: p.heading.clone(),
                act: model.law(p.law).map(|l| l.title.clone()).unwrap_or_default(),
                sfs: model.law(p.law).and_then(|l| l.sfs.clone()),
                link: p.link.clone(),
                versions: p
                    .versions
                    .iter()
                    .filter_map(|v| model.version(*v))
                    .map(|v| listed_version(model, v))
                    .collect(),
            })
            .collect(),
        coverages: model.coverages.iter().map(|c| coverage_doc(model, c)).collect(),
    }
}

fn listed_version(model: &Model, v: &Version) -> ListedVersion {
    let secrecy = match &v.body {
        Body::Secrecy(s) => Some(s),
        _ => None,
    };
    ListedVersion {
        period: VersionDoc {
            sfs: v.sfs.as_deref().map(Into::into),
            from: v.from.to_string().into(),
            to: v.to.map(|t| t.to_string().into()),
        },
        checked: v.checked.as_ref().map(|c| ProvenanceDoc {
            sfs: c.sfs.clone(),
            date: c.date.to_string(),
        }),
        applies_in: secrecy
            .and_then(|s| s.applies_in.as_ref())
            .map(|a| activity_ids(model, a)),
        interest: secrecy.and_then(|s| s.interest).map(|i| {
            [
                (i.individual, InterestDoc::Individual),
                (i.related, InterestDoc::Related),
                (i.public, InterestDoc::Public),
            ]
            .into_iter()
            .filter(|(on, _)| *on)
            .map(|(_, d)| d)
            .collect()
        }),
        consent_excluded: secrecy.is_some_and(|s| s.consent_excluded),
        time_limit_years: secrecy.and_then(|s| s.time_limit_years),
    }
}

fn coverage_doc(model: &Model, c: &Coverage) -> CoverageDoc {
    CoverageDoc {
        id: c.id.clone(),
        label: c.label.clone(),
        activities: c.activities.as_ref().map(|a| activity_ids(model, a)),
        actors: c.actors.as_ref().map(|set| {
            set.members
                .iter()
                .map(|r| {
                    let actor = model.actor(r.actor).map(|a| a.id.as_str()).unwrap_or("?");
                    match r.unit.and_then(|u| model.unit(u)) {
                        Some(u) => format!("{actor}.{}", u.id),
                        None => actor.to_string(),
                    }
                })
                .collect()
        }),
        categories: c
            .categories
            .members
            .iter()
            .filter_map(|x| model.category(*x))
            .filter(|x| x.parent.is_none_or(|p| !c.categories.contains(p)))
            .map(|x| x.id.clone())
            .collect(),
        secrecy: c
            .secrecy
            .iter()
            .filter_map(|p| model.provision(*p))
            .map(|p| p.id.clone())
            .collect(),
        explanation: c.explanation.clone(),
    }
}
