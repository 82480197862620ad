//! The ruleset in service and its atomic reload.
//!
//! Requests read the current [`Engine`] through an [`ArcSwap`]: a reload compiles the new
//! ruleset off to the side and swaps the pointer only when it checked without errors, so a
//! request in flight finishes on the engine it started with and no request ever sees a
//! half-loaded ruleset. A ruleset that fails to check is rejected with its diagnostics and
//! the running one stays in service.

use arc_swap::ArcSwap;
use lagrum_dsl::Sources;
use lagrum_engine::Engine;
use lagrum_engine::render::json::RulesetDoc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Reads the ruleset files afresh (on start and on every reload).
pub type Loader = Arc<dyn Fn() -> Result<Sources, String> + Send + Sync>;

/// A loader for every `*.lagrum` file in a directory, read at each (re)load.
pub fn directory(dir: std::path::PathBuf) -> Loader {
    Arc::new(move || {
        let mut sources = Sources::new();
        for (name, text) in lagrum_rulesets::read_dir(&dir)? {
            sources.add(name, text);
        }
        Ok(sources)
    })
}

pub use lagrum_engine::error::DiagnosticDoc;

/// Why a reload was rejected. The ruleset in service is unchanged.
#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ReloadError {
    /// The files could not be read.
    #[error("{0}")]
    Load(String),
    /// The files were read but do not check.
    #[error("regelverket innehåller {} fel", .diagnostics.iter().filter(|d| d.severity == "error").count())]
    Invalid {
        /// The diagnostics as text with carets, for people.
        rendered: String,
        diagnostics: Vec<DiagnosticDoc>,
    },
}

/// A successful reload.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct Reloaded {
    /// The ruleset now in service.
    pub ruleset: RulesetDoc,
    /// The ruleset that was in service before.
    pub previous: RulesetDoc,
    /// Whether the content changed (the hashes differ).
    pub changed: bool,
    /// Number of warnings the new ruleset has.
    pub warnings: usize,
}

/// The ruleset in service and how to read it again.
pub struct Rulesets {
    current: ArcSwap<Engine>,
    loader: Loader,
    /// Serializes reloads so that two of them cannot finish out of order.
    reloading: Mutex<()>,
}

impl std::fmt::Debug for Rulesets {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Rulesets")
            .field("ruleset", &self.current.load().ruleset().hash)
            .finish_non_exhaustive()
    }
}

/// The ruleset's identity as a document.
pub fn ruleset_doc(engine: &Engine) -> RulesetDoc {
    RulesetDoc::from(engine.ruleset())
}

fn compile(loader: &Loader) -> Result<(Engine, usize), ReloadError> {
    let sources = loader().map_err(ReloadError::Load)?;
    match Engine::from_sources(sources) {
        Ok((engine, warnings)) => Ok((engine, warnings.items.len())),
        Err(e) => Err(ReloadError::Invalid {
            rendered: e.render(),
            diagnostics: DiagnosticDoc::list(&e.diagnostics, &e.sources),
        }),
    }
}

impl Rulesets {
    /// Loads and compiles the ruleset for the first time.
    pub fn load(loader: Loader) -> Result<Rulesets, ReloadError> {
        let (engine, _) = compile(&loader)?;
        Ok(Rulesets::with_engine(Arc::new(engine), loader))
    }

    /// Starts from an engine already compiled; `loader` is used for reloads.
    pub fn with_engine(engine: Arc<Engine>, loader: Loader) -> Rulesets {
        Rulesets {
            current: ArcSwap::new(engine),
            loader,
            reloading: Mutex::new(()),
        }
    }

    /// The engine in service now. Hold on to it for the whole request, so that one
    /// request (or one batch) is decided by one ruleset.
    pub fn engine(&self) -> Arc<Engine> {
        self.current.load_full()
    }

    /// Reads and compiles the ruleset again and puts it in service if it checks. Blocking
    /// (compiling takes a while): call it from a blocking thread.
    pub fn reload(&self) -> Result<Reloaded, ReloadError> {
        let _guard = self.reloading.lock().unwrap_or_else(std::sync::PoisonError::into_inner);
        let (engine, warnings) = compile(&self.loader)?;
        let previous = ruleset_doc(&self.current.load());
        let ruleset = ruleset_doc(&engine);
        self.current.store(Arc::new(engine));
        Ok(Reloaded {
            changed: previous.hash != ruleset.hash,
            ruleset,
            previous,
            warnings,
        })
    }
}

/// `GET /healthz`.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct HealthDoc {
    /// `ok`, or `unavailable` when decisions cannot be given (the decision log is broken).
    pub status: String,
    /// The ruleset in service.
    pub ruleset: RulesetDoc,
    /// Whether decisions are written to the decision log.
    pub audit_log: bool,
}

/// `POST /v1/ruleset/reload` when the new ruleset was rejected.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize, JsonSchema)]
pub struct ReloadErrorDoc {
    /// `invalid_ruleset` (does not check) or `ruleset_unreadable` (files cannot be read).
    pub code: String,
    pub path: String,
    pub message: String,
    /// The problems, with file, line and column.
    #[serde(default)]
    pub diagnostics: Vec<DiagnosticDoc>,
    /// The ruleset still in service.
    pub ruleset: RulesetDoc,
}
