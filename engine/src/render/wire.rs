//! The records that the decision documents (v1 and v2), the ruleset listing and the
//! renderers all share: a provision reference, a named choice, the summary. They depend on nothing
//! else in `render`, so the modules that build documents and sentences do not depend on
//! each other through them.

use schemars::JsonSchema;
use serde::{Deserialize, Serialize};

/// A string that comes from the ruleset and is shared between documents (a reference
/// count, not a copy); it serializes as a plain JSON string.
pub type Text = std::sync::Arc<str>;

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Named {
    pub id: String,
    pub label: String,
}

impl Named {
    /// A choice by its id and what people call it.
    pub fn new(id: &str, label: &str) -> Named {
        Named {
            id: id.to_string(),
            label: label.to_string(),
        }
    }
}

/// A provision, the version applied and where to read it.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ProvisionRef {
    pub id: Text,
    /// `OSL 10 kap. 15 a §`.
    pub citation: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub heading: Option<Text>,
    /// The act's SFS number.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sfs: Option<Text>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub version: Option<VersionDoc>,
    /// Link to the official text.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub link: Option<Text>,
}

#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct VersionDoc {
    /// The SFS that gave this wording.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub sfs: Option<Text>,
    pub from: Text,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub to: Option<Text>,
}

/// The decision in a few plain Swedish sentences, consistent with the outcome.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct SummaryDoc {
    /// The outcome is preliminary: an item with the request's outcome has open questions
    /// whose answers could raise it (a bar that may apply, secrecy assumed or not known, a
    /// stronger route that could not be tried, a risk factor or uncertainty not judged —
    /// all for want of a fact). Questions that only attach an obligation do not count.
    /// Unknown facts never make an outcome more permissive, so answers can only keep or
    /// raise a preliminary outcome.
    pub preliminary: bool,
    /// The headline: the outcome and the one or two provisions it rests on;
    /// `Preliminärt: …` when preliminary.
    pub text: String,
    /// Citations of the one or two provisions the outcome rests on.
    pub rests_on: Vec<String>,
    /// What the sender must still do, in order (answer the questions, make the balancing
    /// test, the obligations).
    pub steps: Vec<String>,
    /// Why a stronger route fell away (or what could still open it), one sentence each.
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub fell_away: Vec<String>,
}
