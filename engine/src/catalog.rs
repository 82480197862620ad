//! The ruleset described for clients: the vocabulary a form needs (actors and units,
//! purposes, categories, protection markers, facts with their questions) and the list of
//! provisions with citations and versions. Both are plain serializable data.

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
    pub markers: Vec<MarkerDoc>,
    /// Secrecy provisions an item can be classified under.
    pub secrecy: Vec<SecrecyChoice>,
    pub facts: Vec<FactDef>,
    /// Questions for the built-in person attributes (`age`, `protection`, `identity.kind`,
    /// `identity.level`), keyed by request field.
    pub person_questions: Vec<Named>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ActorDoc {
    pub id: String,
    pub name: String,
    pub units: Vec<Named>,
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
    pub versions: Vec<VersionDoc>,
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

pub fn vocabulary(model: &Model) -> VocabularyDoc {
    let named = |id: &str, label: &str| Named {
        id: id.to_string(),
        label: label.to_string(),
    };
    VocabularyDoc {
        ruleset: ruleset_doc(model),
        covers_from: model.info.covers_from.map(|d| d.to_string()),
        actors: model
            .actors
            .iter()
            .map(|a| ActorDoc {
                id: a.id.clone(),
                name: a.name.clone(),
                units: a
                    .units
                    .iter()
                    .filter_map(|u| model.unit(*u))
                    .map(|u| named(&u.id, &u.label))
                    .collect(),
            })
            .collect(),
        purposes: model.purposes.iter().map(|p| named(&p.id, &p.label)).collect(),
        categories: model
            .categories
            .iter()
            .map(|c| CategoryDoc {
                id: c.id.clone(),
                label: c.label.clone(),
                parent: c.parent.and_then(|p| model.category(p)).map(|p| p.id.clone()),
            })
            .collect(),
        markers: model
            .markers
            .iter()
            .map(|m| MarkerDoc {
                id: m.id.clone(),
                label: m.label.clone(),
                from: m.from.map(|d| d.to_string()),
                to: m.to.map(|d| d.to_string()),
                term_code: m.term_code.clone(),
                unregistered: m.unregistered,
                replaced_by: m.replaced_by.and_then(|r| model.marker(r)).map(|r| r.id.clone()),
            })
            .collect(),
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
        facts: model
            .facts
            .iter()
            .map(|f| FactDef {
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
            })
            .collect(),
        person_questions: [
            (PersonAttr::Age, "age"),
            (PersonAttr::Markers, "protection"),
            (PersonAttr::IdKind, "identity.kind"),
            (PersonAttr::IdLevel, "identity.level"),
        ]
        .into_iter()
        .filter_map(|(a, field)| model.person_questions.get(&a).map(|q| named(field, q)))
        .collect(),
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
                    .map(|v| VersionDoc {
                        sfs: v.sfs.as_deref().map(Into::into),
                        from: v.from.to_string().into(),
                        to: v.to.map(|t| t.to_string().into()),
                    })
                    .collect(),
            })
            .collect(),
    }
}
