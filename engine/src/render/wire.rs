//! The records that the decision documents (v1 and v2), the ruleset listing and the
//! renderers all share: a provision reference and a named choice. They depend on nothing
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
