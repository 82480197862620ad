//! Lagrum's engine: from a checked ruleset to decisions with proofs.
//!
//! ```text
//! ruleset files ──lagrum-dsl──▶ Model ──compile──▶ Law (static relations)
//! request JSON ──request──▶ Case ──decide (datafrog strata)──▶ Decision ──render──▶ text / JSON
//! ```
//!
//! Compile a ruleset once into an [`Engine`]; it is immutable and can be shared between
//! threads. Each decision builds its own per-request relations.
//!
//! ```
//! let engine = lagrum_engine::Engine::from_files(lagrum_rulesets::FILES).expect("rulesets check");
//! let request = r#"{
//!   "schema": "lagrum.request.v1",
//!   "date": "2025-06-01",
//!   "sender": { "actor": "TRV" },
//!   "recipient": { "actor": "PMY" },
//!   "mode": "request",
//!   "purposes": ["utreda_brott"],
//!   "items": [{ "id": "adress", "category": "kontaktuppgift", "subject": "p" }],
//!   "subjects": [{ "id": "p", "protection": [] }]
//! }"#;
//! let case = engine.parse_request(request).expect("a valid request");
//! let decision = engine.decide(&case);
//! assert_eq!(decision.outcome, lagrum_engine::Outcome::Must);
//! ```
//!
//! This crate contains no law: no provision, authority or date. They all come from the
//! ruleset.

pub mod catalog;
pub mod compile;
pub mod cond;
pub mod decide;
pub mod decision;
pub mod error;
pub mod identity;
pub mod program;
pub mod render;
pub mod request;

pub use decision::Decision;
pub use error::RequestError;
pub use lagrum_dsl::model::Outcome;
pub use request::Case;

use lagrum_dsl::{Diagnostics, Model, Sources};

/// A compiled ruleset, ready to decide requests. Immutable; share it with `Arc`.
#[derive(Debug, Clone)]
pub struct Engine {
    model: Model,
    law: compile::Law,
    labels: render::labels::Labels,
}

/// The ruleset could not be compiled; `diagnostics` says what to fix, and `sources` lets
/// you render them with file, line and column.
#[derive(Debug, Clone, thiserror::Error)]
#[error("regelverket innehåller {} fel", diagnostics.error_count())]
pub struct RulesetError {
    pub diagnostics: Diagnostics,
    pub sources: Sources,
}

impl RulesetError {
    /// The diagnostics as text with carets under each spot.
    pub fn render(&self) -> String {
        self.diagnostics.render(&self.sources)
    }
}

impl Engine {
    /// Checks and compiles ruleset files given as (name, text).
    pub fn from_files<N: AsRef<str>, T: AsRef<str>>(files: &[(N, T)]) -> Result<Engine, RulesetError> {
        let mut sources = Sources::new();
        for (name, text) in files {
            sources.add(name.as_ref(), text.as_ref());
        }
        Engine::from_sources(sources).map(|(e, _)| e)
    }

    /// Checks and compiles a set of sources; also returns the warnings.
    pub fn from_sources(sources: Sources) -> Result<(Engine, Diagnostics), RulesetError> {
        match lagrum_dsl::check(sources.clone()) {
            Ok((model, warnings)) => {
                let law = compile::Law::compile(&model);
                let labels = render::labels::Labels::new(&model);
                Ok((Engine { model, law, labels }, warnings))
            }
            Err(diagnostics) => Err(RulesetError { diagnostics, sources }),
        }
    }

    /// The checked model (vocabulary, provisions, versions).
    pub fn model(&self) -> &Model {
        &self.model
    }

    /// The ruleset's name, version and content hash.
    pub fn ruleset(&self) -> &lagrum_dsl::model::RulesetInfo {
        &self.model.info
    }

    /// Parses and validates a request (`lagrum.request.v1`).
    pub fn parse_request(&self, json: &str) -> Result<Case, RequestError> {
        request::parse(&self.model, json)
    }

    /// Validates an already deserialized request.
    pub fn validate_request(&self, doc: &request::RequestDoc) -> Result<Case, RequestError> {
        request::validate(&self.model, doc)
    }

    /// Decides a validated request. Never fails: a problem the law cannot settle is a
    /// `manual` outcome with its reason in the proof.
    pub fn decide(&self, case: &Case) -> Decision {
        decide::decide(&self.model, &self.law, case)
    }

    /// The decision document (`lagrum.decision.v1`) for a decided case.
    pub fn document(&self, case: &Case, decision: &Decision) -> render::json::DecisionDoc {
        render::json::document(&self.model, &self.labels, case, decision)
    }

    /// Parses, decides and renders the decision document (`lagrum.decision.v1`).
    pub fn check_json(&self, json: &str) -> Result<render::json::DecisionDoc, RequestError> {
        let case = self.parse_request(json)?;
        let decision = self.decide(&case);
        Ok(self.document(&case, &decision))
    }

    /// The vocabulary a request form needs, with Swedish labels.
    pub fn vocabulary(&self) -> catalog::VocabularyDoc {
        catalog::vocabulary(&self.model)
    }

    /// Every provision with its citation and versions.
    pub fn listing(&self) -> catalog::ListingDoc {
        catalog::listing(&self.model)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn assert_send_sync<T: Send + Sync>() {}

    #[test]
    fn engine_is_send_and_sync() {
        assert_send_sync::<Engine>();
    }
}
