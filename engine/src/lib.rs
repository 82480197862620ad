//! Lagrum's engine: from a checked ruleset to decisions with proofs.
//!
//! ```text
//! ruleset files ──lagrum-dsl──▶ Model ──compile──▶ Law (static relations)
//! request JSON ──request──▶ Case ──decide (datafrog strata)──▶ Decision ──render──▶ text / JSON
//! ```
//!
//! # For those who embed it
//!
//! Compile a ruleset once into an [`Engine`] (a few milliseconds), keep it, and ask it about
//! every message: parsing a request costs a few microseconds, deciding it about ten, and
//! building the full decision document with its proof under a tenth of a millisecond. The
//! engine is immutable and `Send + Sync`, holds no global state and does no IO: share one
//! behind an `Arc` (or a reference) between all your threads.
//!
//! ```
//! use lagrum_engine::{Engine, Outcome};
//!
//! let engine = Engine::from_files(lagrum_rulesets::FILES).expect("the embedded rulesets check");
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
//! assert_eq!(decision.outcome, Outcome::Must);
//! ```
//!
//! ## The four outcomes, and what never happens
//!
//! [`Outcome::Must`] (a duty to disclose), [`Outcome::Allow`] (may disclose),
//! [`Outcome::Deny`] (secrecy bars it) and [`Outcome::Manual`] (a person must assess it: a
//! balancing test, an open point of law, a conflict, a missing fact). A request's outcome is
//! its least permissive item's. Deciding never fails and never guesses: a missing fact is
//! unknown, and unknown never makes the answer more permissive. An invalid request is an
//! error ([`RequestError`]), never a decision. Route on the outcome; everything but
//! `must`/`allow` must not be delivered automatically.
//!
//! ## Many threads, one engine
//!
//! ```
//! use lagrum_engine::{Engine, Outcome};
//! use std::sync::Arc;
//!
//! let engine = Arc::new(Engine::from_files(lagrum_rulesets::FILES).expect("rulesets"));
//! let request = r#"{"schema": "lagrum.request.v1", "date": "2025-06-01",
//!   "sender": {"actor": "TRV"}, "recipient": {"actor": "PMY"}, "mode": "request",
//!   "purposes": ["utreda_brott"],
//!   "items": [{"id": "adress", "category": "kontaktuppgift", "subject": "p"}],
//!   "subjects": [{"id": "p", "protection": []}]}"#;
//! let workers: Vec<_> = (0..4)
//!     .map(|_| {
//!         let engine = Arc::clone(&engine);
//!         std::thread::spawn(move || engine.check_json(request).map(|doc| doc.outcome))
//!     })
//!     .collect();
//! for w in workers {
//!     let outcome = w.join().expect("no panic").expect("valid request");
//!     assert_eq!(outcome, lagrum_engine::render::json::OutcomeDoc::Must);
//! }
//! ```
//!
//! A whole broker loop (a channel, worker threads, routing by outcome) is in
//! `engine/examples/broker.rs`.
//!
//! ## Typed requests
//!
//! The wire types in [`request`] can be built in Rust instead of JSON; validation is the
//! same ([`Engine::validate_request`]).
//!
//! ```
//! use lagrum_engine::Engine;
//! use lagrum_engine::request::{ItemDoc, ModeDoc, PartyDoc, RequestDoc, SubjectDoc};
//!
//! let engine = Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
//! let mut request = RequestDoc::new(
//!     "2025-06-01",
//!     PartyDoc::unit("SKV", "beskattning"),
//!     PartyDoc::actor("FK"),
//!     ModeDoc::Request,
//! );
//! request.purposes.push("socialförsäkringsärende".into());
//! request.items.push(ItemDoc {
//!     id: "inkomst".into(),
//!     category: "inkomstuppgift".into(),
//!     subject: Some("p1".into()),
//!     ..Default::default()
//! });
//! // Protection left out: not known. The engine will not assume there is none.
//! request.subjects.push(SubjectDoc { id: "p1".into(), ..Default::default() });
//! let case = engine.validate_request(&request).expect("valid");
//! let doc = engine.document(&case, &engine.decide(&case));
//! assert!(doc.questions.iter().any(|q| q.path == "subjects[0].protection"));
//! ```
//!
//! ## Decisions for people and machines
//!
//! [`Engine::document`] (or [`Engine::check_json`]) gives the decision document
//! (`lagrum.decision.v1`, [`render::json::DecisionDoc`]): per item the outcome, the
//! provisions it rests on with the version in force, obligations, questions, and the proof
//! (every provision considered, with each check, the request facts it read and why it
//! failed). Serialize it with serde; [`render::text::render`] gives the same as Swedish
//! text. Every document names the ruleset it was decided with (`ruleset.hash`); so does
//! [`Engine::ruleset`].
//!
//! ```
//! # let engine = lagrum_engine::Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
//! # let request = r#"{"schema": "lagrum.request.v1", "date": "2025-06-01",
//! #   "sender": {"actor": "TRV"}, "recipient": {"actor": "PMY"}, "mode": "request",
//! #   "purposes": ["utreda_brott"],
//! #   "items": [{"id": "adress", "category": "kontaktuppgift", "subject": "p"}],
//! #   "subjects": [{"id": "p", "protection": []}]}"#;
//! let doc = engine.check_json(request).expect("valid");
//! let item = &doc.items[0];
//! let basis: Vec<&str> = item.basis.iter().map(|b| &*b.provision.citation).collect();
//! assert!(basis.contains(&"LUB 4 §"));
//! assert_eq!(doc.ruleset.hash, engine.ruleset().hash);
//! let json = serde_json::to_string(&doc).expect("serializable");
//! assert!(json.contains("\"schema\":\"lagrum.decision.v1\""));
//! let text = lagrum_engine::render::text::render(&doc);
//! assert!(text.contains("SKA LÄMNAS"));
//! ```
//!
//! ## Errors say what to fix
//!
//! A request error has a stable code and the JSON path of the problem; a ruleset error has
//! every diagnostic with file, line and column.
//!
//! ```
//! # let engine = lagrum_engine::Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
//! let bad = r#"{"schema": "lagrum.request.v1", "date": "2025-06-01",
//!   "sender": {"actor": "TRV"}, "recipient": {"actor": "POLISEN"}, "mode": "request",
//!   "purposes": [], "items": []}"#;
//! let err = engine.parse_request(bad).unwrap_err();
//! assert_eq!((err.code(), err.path()), ("unknown_actor", "recipient.actor"));
//!
//! let broken = [("min.lagrum", "aktör X \"x\"\ngrupp g \"g\" = { X, Y }\n")];
//! let err = lagrum_engine::Engine::from_files(&broken).unwrap_err();
//! assert!(err.render().contains("min.lagrum:2:"));
//! ```
//!
//! ## Your own rulesets and pre-assessments
//!
//! [`Engine::from_files`] takes (name, text) pairs: the embedded rulesets
//! (`lagrum_rulesets::FILES`), a directory of your own (`lagrum_rulesets::read_dir`), plus
//! an authority's pre-assessments. [`Engine::from_sources`] also returns the warnings.
//! Compiling is the only costly step; to change the law, compile a new engine and swap the
//! `Arc` (as `legal serve` does on reload): decisions in flight finish on the old one.
//!
//! This crate contains no law: no provision, authority or date. They all come from the
//! ruleset.

pub mod alternatives;
pub mod catalog;
pub mod compile;
pub mod cond;
pub mod decide;
pub mod decision;
pub mod error;
pub mod identity;
pub mod invariants;
pub mod program;
pub mod render;
pub mod request;
pub mod wording;

pub use decision::Decision;
pub use error::RequestError;
pub use lagrum_dsl::model;
pub use lagrum_dsl::model::Outcome;
pub use request::Case;

use lagrum_dsl::{Diagnostic, Diagnostics, Model, Sources};

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
    /// The model breaks an invariant ([`invariants::violations`]): a bug in Lagrum, not
    /// in the ruleset, and no engine is built with it.
    fn broken_model(model: &Model, sources: &Sources) -> Option<RulesetError> {
        let broken = invariants::violations(model);
        if broken.is_empty() {
            return None;
        }
        let mut diagnostics = Diagnostics::default();
        diagnostics.push(Diagnostic::global(
            "internt_fel",
            format!(
                "regelverket klarade kontrollen men modellen är inte hel (ett fel i Lagrum, inte i \
                 regelverket); motorn byggs inte:\n{}",
                broken.join("\n")
            ),
        ));
        Some(RulesetError {
            diagnostics,
            sources: sources.clone(),
        })
    }

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
                if let Some(broken) = RulesetError::broken_model(&model, &sources) {
                    return Err(broken);
                }
                let mut law = compile::Law::compile(&model);
                law.protected_by = program::protection_by_category(&program::Datafrog, &model, &law);
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

    /// Reads request JSON into its wire form without validating it (for callers that fill or
    /// log the request before deciding it); the error names the place, as
    /// [`Engine::parse_request`]'s does.
    pub fn read_request(&self, json: &str) -> Result<request::RequestDoc, RequestError> {
        request::read(json)
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

    /// Decides with another evaluator of the Datalog program (e.g. the naive reference
    /// evaluator, [`program::Naive`]); the decision is the same.
    pub fn decide_with(&self, program: &dyn program::Program, case: &Case) -> Decision {
        decide::decide_with(program, &self.model, &self.law, case)
    }

    /// The decision document (`lagrum.decision.v1`) for a decided case.
    pub fn document(&self, case: &Case, decision: &Decision) -> render::json::DecisionDoc {
        render::json::document(&self.model, &self.labels, case, decision)
    }

    /// The compact decision document (`lagrum.decision.v2`) for a decided case: each
    /// provision once, proof steps as records, the Swedish sentences of the proof only
    /// with [`render::compact::Sentences::Yes`].
    pub fn compact(
        &self,
        case: &Case,
        decision: &Decision,
        sentences: render::compact::Sentences,
    ) -> render::compact::CompactDoc {
        render::compact::document(&self.model, &self.labels, case, decision, sentences)
    }

    /// What would change the outcome of each `deny` or `manual` item: the smallest sets of
    /// changes to the request's facts, mode, purpose or protection that make it `allow` or
    /// `must` ([`alternatives`]). Costs a decision per candidate change (about a hundred
    /// for the embedded rulesets, more when pairs are needed): ask for it, don't make it
    /// for every message. [`render::compact::attach_alternatives`] puts it in a document.
    pub fn alternatives(&self, case: &Case, decision: &Decision) -> Vec<alternatives::Alternative> {
        alternatives::alternatives(&self.model, &self.law, case, decision)
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

// An engine is shared between threads: this fails to compile if that ever stops being true.
const _: fn() = || {
    fn shareable<T: Send + Sync + 'static>() {}
    shareable::<Engine>();
};
