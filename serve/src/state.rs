//! The ruleset in service and its atomic reload.
//!
//! Requests read the current [`Engine`] through an [`ArcSwap`]: a reload compiles the new
//! ruleset off to the side and swaps the pointer only when it checked without errors, so a
//! request in flight finishes on the engine it started with and no request ever sees a
//! half-loaded ruleset. A ruleset that fails to check is rejected with its diagnostics and
//! the running one stays in service.

use arc_swap::ArcSwap;
use lagrum_dsl::{Severity, Sources};
use lagrum_engine::Engine;
use lagrum_engine::render::json::RulesetDoc;
use schemars::JsonSchema;
use serde::{Deserialize, Serialize};
use std::sync::{Arc, Mutex};

/// Reads the ruleset files afresh (on start and on every reload).
pub type Loader = Arc<dyn Fn() -> Result<Sources, String> + Send + Sync>;

/// A loader for the rulesets embedded in the binary (`lagrum-rulesets`).
pub fn embedded(files: &'static [(&'static str, &'static str)]) -> Loader {
    Arc::new(move || {
        let mut sources = Sources::new();
        for (name, text) in files {
            sources.add(*name, *text);
        }
        Ok(sources)
    })
}

/// A loader for every `*.lagrum` file in a directory, read at each (re)load.
pub fn directory(dir: std::path::PathBuf) -> Loader {
    Arc::new(move || {
        let entries = std::fs::read_dir(&dir).map_err(|e| format!("kan inte läsa katalogen {}: {e}", dir.display()))?;
        let mut files: Vec<_> = entries
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "lagrum"))
            .collect();
        files.sort();
        if files.is_empty() {
            return Err(format!("inga regelfiler (*.lagrum) i {}", dir.display()));
        }
        let mut sources = Sources::new();
        for f in files {
            let text = std::fs::read_to_string(&f).map_err(|e| format!("kan inte läsa {}: {e}", f.display()))?;
            sources.add(f.display().to_string(), text);
        }
        Ok(sources)
    })
}

/// One problem in a ruleset, located for machines.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize, JsonSchema)]
pub struct DiagnosticDoc {
    /// `error` or `warning`.
    pub severity: String,
    /// Stable code of the check that failed.
    pub code: String,
    pub message: String,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub file: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub line: Option<usize>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub column: Option<usize>,
}

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
    let info = engine.ruleset();
    RulesetDoc {
        name: info.name.clone(),
        version: info.version.clone(),
        hash: info.hash.clone(),
    }
}

fn compile(loader: &Loader) -> Result<(Engine, usize), ReloadError> {
    let sources = loader().map_err(ReloadError::Load)?;
    match Engine::from_sources(sources) {
        Ok((engine, warnings)) => Ok((engine, warnings.items.len())),
        Err(e) => Err(ReloadError::Invalid {
            rendered: e.render(),
            diagnostics: errors_first(&e),
        }),
    }
}

/// The diagnostics of a failed check, errors before warnings.
fn errors_first(e: &lagrum_engine::RulesetError) -> Vec<DiagnosticDoc> {
    let mut out: Vec<DiagnosticDoc> = e
        .diagnostics
        .located(&e.sources)
        .into_iter()
        .map(|d| DiagnosticDoc {
            severity: match d.severity {
                Severity::Error => "error".into(),
                Severity::Warning => "warning".into(),
            },
            code: d.code.to_string(),
            message: d.message,
            file: d.file,
            line: d.line,
            column: d.column,
        })
        .collect();
    out.sort_by_key(|d| d.severity != "error");
    out
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
