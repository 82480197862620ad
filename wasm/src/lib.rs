//! Lagrum in the browser: the engine and the embedded rulesets compiled to WebAssembly.
//!
//! The exports take and return strings (JSON), so the JavaScript side needs nothing but
//! `JSON.parse`. The engine is compiled from the embedded rulesets on first use and kept;
//! `load_rulesets` replaces it with another ruleset only if that one checks without errors.
//!
//! | export | returns |
//! |---|---|
//! | `check(request)` | `lagrum.decision.v2` with the proof's Swedish sentences, or an error document (`code`, `path`, `message`) |
//! | `check_text(request)` | the decision as Swedish text; throws the error document's JSON |
//! | `check_with_text(request)` | `{"decision", "text"}` (v2 with sentences, and the text) from one check, or an error document |
//! | `alternatives(request)` | what would change each item's outcome: `{"items": […]}` |
//! | `vocabulary()` | what a request form needs (actors, purposes, categories, facts, …) |
//! | `references()` | what a v2 decision names by id: every provision (citation, heading, link, versions) and balancing test |
//! | `ruleset()` | `{"name", "version", "hash"}` of the ruleset in use |
//! | `load_rulesets(files, with_defaults)` | `{"ok", "ruleset", "files", "text", "diagnostics"}` |
//! | `reset_rulesets()` | back to the embedded rulesets; the load report |
//! | `default_files()` | the embedded files as `[{"name", "text"}]` |
//!
//! All the work is in [`api`], which is plain Rust and tested natively.

pub mod api;

use lagrum_engine::Engine;
use std::cell::RefCell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;

thread_local! {
    /// The engine in use. `None` until first used; the page is single-threaded.
    static ENGINE: RefCell<Option<Rc<Engine>>> = const { RefCell::new(None) };
}

/// The engine in use, compiling the embedded rulesets on first call.
fn engine() -> Result<Rc<Engine>, Box<api::LoadDoc>> {
    if let Some(e) = ENGINE.with(|cell| cell.borrow().clone()) {
        return Ok(e);
    }
    let e = Rc::new(api::default_engine()?);
    ENGINE.with(|cell| *cell.borrow_mut() = Some(Rc::clone(&e)));
    Ok(e)
}

fn ruleset_unusable(doc: &api::LoadDoc) -> String {
    let err = lagrum_engine::error::ErrorDoc {
        code: "invalid_ruleset".to_string(),
        path: "$".to_string(),
        message: format!("regelverket kan inte användas:\n{}", doc.text),
    };
    serde_json::to_string(&err).unwrap_or_else(|_| doc.text.clone())
}

/// Checks a request given as JSON text. Returns the decision document
/// (`lagrum.decision.v2` with the proof's Swedish sentences, with a `schema` field) or an
/// error document (`code`, `path`, `message`, no `schema`).
#[wasm_bindgen]
pub fn check(request: &str) -> String {
    match engine() {
        Ok(e) => api::check(&e, request),
        Err(doc) => ruleset_unusable(&doc),
    }
}

/// The decision document (as `check` gives it) and its Swedish text from one check:
/// `{"decision", "text"}`, or an error document (`code`, `path`, `message`). The text
/// costs more than the document; the page asks for it with `check_text` when it is read.
#[wasm_bindgen]
pub fn check_with_text(request: &str) -> String {
    match engine() {
        Ok(e) => api::check_with_text(&e, request),
        Err(doc) => ruleset_unusable(&doc),
    }
}

/// What would change the outcome of each item (`api::alternatives`): `{"items": […]}` or
/// an error document.
#[wasm_bindgen]
pub fn alternatives(request: &str) -> String {
    match engine() {
        Ok(e) => api::alternatives(&e, request),
        Err(doc) => ruleset_unusable(&doc),
    }
}

/// The decision as Swedish text, for the case file. Throws an `Error` whose message is the
/// error document's JSON if the request is not valid.
#[wasm_bindgen]
pub fn check_text(request: &str) -> Result<String, JsError> {
    let e = engine().map_err(|doc| JsError::new(&ruleset_unusable(&doc)))?;
    api::check_text(&e, request)
        .map_err(|doc| JsError::new(&serde_json::to_string(&doc).unwrap_or_else(|_| doc.message.clone())))
}

/// The vocabulary a request form needs, as JSON.
#[wasm_bindgen]
pub fn vocabulary() -> Result<String, JsError> {
    let e = engine().map_err(|doc| JsError::new(&ruleset_unusable(&doc)))?;
    Ok(api::vocabulary(&e))
}

/// What a decision document names by id (provisions, balancing tests), for the ruleset in
/// use, as JSON (`api::references`). The same for every decision with that ruleset.
#[wasm_bindgen]
pub fn references() -> Result<String, JsError> {
    let e = engine().map_err(|doc| JsError::new(&ruleset_unusable(&doc)))?;
    Ok(api::references(&e))
}

/// The name, version and hash of the ruleset in use, as JSON.
#[wasm_bindgen]
pub fn ruleset() -> Result<String, JsError> {
    let e = engine().map_err(|doc| JsError::new(&ruleset_unusable(&doc)))?;
    Ok(api::ruleset(&e))
}

/// Loads ruleset files (`[{"name", "text"}, …]`), alone or added to the embedded ones.
/// On success the new ruleset is used from now on; on failure the one in use stays and the
/// report lists every problem with file, line and column.
#[wasm_bindgen]
pub fn load_rulesets(files: &str, with_defaults: bool) -> String {
    match api::load(files, with_defaults) {
        Ok((e, doc)) => {
            ENGINE.with(|cell| *cell.borrow_mut() = Some(Rc::new(e)));
            doc.to_json()
        }
        Err(doc) => doc.to_json(),
    }
}

/// Goes back to the embedded rulesets.
#[wasm_bindgen]
pub fn reset_rulesets() -> String {
    match api::compile(api::default_sources()) {
        Ok((e, doc)) => {
            ENGINE.with(|cell| *cell.borrow_mut() = Some(Rc::new(e)));
            doc.to_json()
        }
        Err(doc) => doc.to_json(),
    }
}

/// The embedded ruleset files as JSON (`[{"name", "text"}, …]`).
#[wasm_bindgen]
pub fn default_files() -> String {
    api::default_files()
}
