//! The verdict all three engines can express.

use std::fmt;

/// Lagrum's four outcomes, in words the peers' encodings also use. Ordered from least to
/// most permissive, so that "the best route" is the maximum.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Verdict {
    /// Lagrum `deny`: secret, and nothing breaks the secrecy.
    Forbid,
    /// Lagrum `manual`: a person must assess it.
    NeedsHuman,
    /// Lagrum `allow`: may be disclosed.
    Permit,
    /// Lagrum `must`: shall be disclosed (a duty).
    Must,
}

impl Verdict {
    /// The word used in the Cedar annotations and the Rego module.
    pub fn parse(word: &str) -> Option<Verdict> {
        match word {
            "forbid" => Some(Verdict::Forbid),
            "needs_human" => Some(Verdict::NeedsHuman),
            "permit" => Some(Verdict::Permit),
            "must" => Some(Verdict::Must),
            _ => None,
        }
    }
}

impl fmt::Display for Verdict {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Verdict::Forbid => "forbid",
            Verdict::NeedsHuman => "needs_human",
            Verdict::Permit => "permit",
            Verdict::Must => "must",
        })
    }
}
