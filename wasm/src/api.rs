//! The browser API as plain Rust: strings in, JSON strings out. The wasm-bindgen exports
//! in `lib.rs` only hold the engine and call these, so native tests and the parity example
//! run exactly the code the browser runs, with the same serializer settings.

use lagrum_dsl::{Diagnostics, Sources};
use lagrum_engine::Engine;
use lagrum_engine::error::ErrorDoc;
use lagrum_engine::model::ProvisionId;
use lagrum_engine::render::compact::{CompactDoc, Sentences};
use lagrum_engine::render::json::RulesetDoc;
use lagrum_engine::render::labels::Labels;
use lagrum_engine::render::wire::{ProvisionRef, VersionDoc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

/// Where the embedded files are said to live, as in `legal validate`'s messages.
fn default_name(name: &str) -> String {
    format!("{}/{name}", lagrum_rulesets::DIR)
}

/// The embedded rulesets as sources.
pub fn default_sources() -> Sources {
    let mut sources = Sources::new();
    for (name, text) in lagrum_rulesets::FILES {
        sources.add(default_name(name), *text);
    }
    sources
}

/// Compiles the embedded rulesets.
pub fn default_engine() -> Result<Engine, Box<LoadDoc>> {
    compile(default_sources()).map(|(engine, _)| engine)
}

/// A serialization failure cannot happen for these plain types; if it ever did, the caller
/// still gets a well-formed error document rather than a panic or an empty string.
fn to_json<T: Serialize>(value: &T) -> String {
    serde_json::to_string(value).unwrap_or_else(|e| error_json("internal", &format!("kan inte skriva JSON: {e}")))
}

fn error_json(code: &str, message: &str) -> String {
    let doc = ErrorDoc {
        code: code.to_string(),
        path: "$".to_string(),
        message: message.to_string(),
    };
    serde_json::to_string(&doc)
        .unwrap_or_else(|_| String::from(r#"{"code":"internal","path":"$","message":"okänt fel"}"#))
}

/// A request decided once: the case and its decision, or the request error as JSON.
fn decide(engine: &Engine, request: &str) -> Result<(lagrum_engine::Case, lagrum_engine::Decision), String> {
    let case = engine.parse_request(request).map_err(|e| to_json(&e.to_doc()))?;
    let decision = engine.decide(&case);
    Ok((case, decision))
}

/// The decision document the page renders: `lagrum.decision.v2` with the Swedish sentences
/// of the proof ([`Sentences::Yes`]).
fn compact(engine: &Engine, case: &lagrum_engine::Case, decision: &lagrum_engine::Decision) -> CompactDoc {
    engine.compact(case, decision, Sentences::Yes)
}

/// Checks a request (`lagrum.request.v2`, or v1): the decision document
/// (`lagrum.decision.v2`, with the proof's Swedish sentences) as compact JSON, or an error
/// document (`code`, `path`, `message`; it has no `schema`).
pub fn check(engine: &Engine, request: &str) -> String {
    match decide(engine, request) {
        Ok((case, decision)) => to_json(&compact(engine, &case, &decision)),
        Err(e) => e,
    }
}

/// The document and its Swedish text from one decision: `{"decision": …, "text": …}`, or an
/// error document. The text is rendered from the `lagrum.decision.v1` form of the decision,
/// which costs several times the v2 document: the page asks for the text alone
/// ([`check_text`]) when the caseworker opens, copies or prints it.
pub fn check_with_text(engine: &Engine, request: &str) -> String {
    #[derive(Serialize)]
    struct Checked {
        decision: CompactDoc,
        text: String,
    }
    match decide(engine, request) {
        Ok((case, decision)) => to_json(&Checked {
            text: lagrum_engine::render::text::render(&engine.document(&case, &decision)),
            decision: compact(engine, &case, &decision),
        }),
        Err(e) => e,
    }
}

/// What would change the outcome, for the page's section "Detta skulle ändra utfallet":
/// `{"items": [{"id", "outcome", "alternatives": [...]}]}` (the `alternatives` of the
/// `lagrum.decision.v2` items, empty for an item that may or must be disclosed), or an
/// error document. Decides the request once per candidate change: call it only for a
/// decision that is `deny` or `manual`.
pub fn alternatives(engine: &Engine, request: &str) -> String {
    #[derive(Serialize)]
    struct ItemAlternatives {
        id: String,
        outcome: lagrum_engine::render::json::OutcomeDoc,
        alternatives: Vec<lagrum_engine::render::compact::AlternativeDoc>,
    }
    #[derive(Serialize)]
    struct Doc {
        items: Vec<ItemAlternatives>,
    }
    let case = match engine.parse_request(request) {
        Ok(c) => c,
        Err(e) => return to_json(&e.to_doc()),
    };
    let decision = engine.decide(&case);
    let alts = engine.alternatives(&case, &decision);
    let mut doc = engine.compact(&case, &decision, lagrum_engine::render::compact::Sentences::No);
    lagrum_engine::render::compact::attach_alternatives(engine.model(), &mut doc, &case, &alts);
    let items = doc
        .items
        .into_iter()
        .map(|it| ItemAlternatives {
            id: it.id,
            outcome: it.outcome,
            alternatives: it.alternatives,
        })
        .collect();
    to_json(&Doc { items })
}

/// The decision as Swedish text (what `legal check` prints), or the request error.
pub fn check_text(engine: &Engine, request: &str) -> Result<String, ErrorDoc> {
    engine
        .check_json(request)
        .map(|doc| lagrum_engine::render::text::render(&doc))
        .map_err(|e| e.to_doc())
}

/// The vocabulary a request form needs (`engine.vocabulary()`), as JSON.
pub fn vocabulary(engine: &Engine) -> String {
    to_json(&engine.vocabulary())
}

/// One provision as the page names it: its reference (citation, heading, act, link to the
/// official text; no version) and every version with its period.
#[derive(Debug, Clone, Serialize)]
pub struct ProvisionNames {
    #[serde(flatten)]
    pub reference: ProvisionRef,
    pub versions: Vec<VersionDoc>,
}

/// What a `lagrum.decision.v2` document names by id, for a page that says it in words.
#[derive(Debug, Clone, Serialize)]
pub struct References {
    /// The ruleset these belong to (its `hash` pins them, as it pins the decision).
    pub ruleset: RulesetDoc,
    /// Every provision by id.
    pub provisions: BTreeMap<String, ProvisionNames>,
    /// Every balancing test's explanation by id (what the sender must weigh).
    pub balancing: BTreeMap<String, String>,
}

/// The references of the ruleset in use: the same for every decision made with it, so the
/// page asks once per ruleset (as for the vocabulary) and the decision names provisions by
/// id only.
pub fn references_doc(engine: &Engine) -> References {
    let model = engine.model();
    let labels = Labels::new(model);
    let provisions = model
        .provisions
        .iter()
        .enumerate()
        .map(|(i, p)| {
            let versions = p
                .versions
                .iter()
                .filter_map(|v| model.version(*v))
                .map(|v| VersionDoc {
                    sfs: v.sfs.as_deref().map(Into::into),
                    from: v.from.to_string().into(),
                    to: v.to.map(|t| t.to_string().into()),
                })
                .collect();
            let reference = labels.provision_ref(model, ProvisionId::from_index(i), None);
            (p.id.clone(), ProvisionNames { reference, versions })
        })
        .collect();
    let balancing = model
        .balancing
        .iter()
        .map(|b| (b.id.clone(), b.explanation.first().cloned().unwrap_or_default()))
        .collect();
    References {
        ruleset: ruleset_doc(engine),
        provisions,
        balancing,
    }
}

/// [`references_doc`] as JSON.
pub fn references(engine: &Engine) -> String {
    to_json(&references_doc(engine))
}

/// The ruleset's name, version and hash.
pub fn ruleset_doc(engine: &Engine) -> RulesetDoc {
    RulesetDoc::from(engine.ruleset())
}

/// The ruleset as JSON: `{"name", "version", "hash"}`.
pub fn ruleset(engine: &Engine) -> String {
    to_json(&ruleset_doc(engine))
}

/// One ruleset file given by the page.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct FileDoc {
    pub name: String,
    pub text: String,
}

/// A diagnostic with file, line and column (the engine's one located-diagnostic shape).
pub use lagrum_engine::error::DiagnosticDoc as LocatedDoc;

/// The result of loading a ruleset: on success its name, version and hash with any
/// warnings; on failure every diagnostic, both rendered (`text`, with carets) and located.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct LoadDoc {
    pub ok: bool,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub ruleset: Option<RulesetDoc>,
    /// Number of files checked.
    pub files: usize,
    /// The diagnostics as text, exactly as `legal validate` prints them (empty if none).
    pub text: String,
    /// Errors and warnings with file, line and column.
    pub diagnostics: Vec<LocatedDoc>,
}

impl LoadDoc {
    fn input_error(message: String) -> Box<LoadDoc> {
        Box::new(LoadDoc {
            ok: false,
            ruleset: None,
            files: 0,
            text: format!("fel: {message}\n"),
            diagnostics: vec![LocatedDoc {
                severity: "error".to_string(),
                code: "ogiltig-indata".to_string(),
                message,
                file: None,
                line: None,
                column: None,
                end_line: None,
                end_column: None,
                label: None,
                help: Some(r#"ge filerna som JSON: [{"name": "min.lagrum", "text": "…"}]"#.to_string()),
            }],
        })
    }

    pub fn to_json(&self) -> String {
        to_json(self)
    }
}

fn located(diags: &Diagnostics, sources: &Sources) -> Vec<LocatedDoc> {
    LocatedDoc::list(diags, sources)
}

/// Checks and compiles sources. `Ok` carries the engine and the load report (with warnings).
pub fn compile(sources: Sources) -> Result<(Engine, LoadDoc), Box<LoadDoc>> {
    let files = sources.len();
    match Engine::from_sources(sources.clone()) {
        Ok((engine, warnings)) => {
            let doc = LoadDoc {
                ok: true,
                ruleset: Some(ruleset_doc(&engine)),
                files,
                text: warnings.render(&sources),
                diagnostics: located(&warnings, &sources),
            };
            Ok((engine, doc))
        }
        Err(e) => Err(Box::new(LoadDoc {
            ok: false,
            ruleset: None,
            files,
            text: e.render(),
            diagnostics: located(&e.diagnostics, &e.sources),
        })),
    }
}

/// Compiles ruleset files given as JSON (`[{"name", "text"}, …]`), alone or together with
/// the embedded ones (as `legal check --with FILE` does).
pub fn load(files_json: &str, with_defaults: bool) -> Result<(Engine, LoadDoc), Box<LoadDoc>> {
    let files: Vec<FileDoc> = serde_json::from_str(files_json)
        .map_err(|e| LoadDoc::input_error(format!("ogiltig JSON för regelfilerna: {e}")))?;
    if files.is_empty() && !with_defaults {
        return Err(LoadDoc::input_error("inga regelfiler angivna".to_string()));
    }
    let mut sources = if with_defaults {
        default_sources()
    } else {
        Sources::new()
    };
    for f in files {
        sources.add(f.name, f.text);
    }
    compile(sources)
}

/// The embedded ruleset files as JSON (`[{"name", "text"}, …]`), for a page that lets the
/// user read them or edit a copy.
pub fn default_files() -> String {
    let files: Vec<FileDoc> = lagrum_rulesets::FILES
        .iter()
        .map(|(name, text)| FileDoc {
            name: default_name(name),
            text: (*text).to_string(),
        })
        .collect();
    to_json(&files)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn engine() -> Engine {
        match default_engine() {
            Ok(e) => e,
            Err(doc) => panic!("the embedded rulesets do not compile:\n{}", doc.text),
        }
    }

    const REQUEST: &str = r#"{
      "schema": "lagrum.request.v1",
      "date": "2025-06-01",
      "sender": { "actor": "TRV" },
      "recipient": { "actor": "PMY" },
      "mode": "request",
      "purposes": ["utreda_brott"],
      "items": [{ "id": "adress", "category": "kontaktuppgift", "subject": "p" }],
      "subjects": [{ "id": "p", "protection": [] }]
    }"#;

    #[test]
    fn check_gives_the_engines_compact_document_with_sentences() {
        let e = engine();
        let case = e.parse_request(REQUEST).map_err(|e| e.to_string());
        let expected = case.and_then(|c| {
            let doc = e.compact(&c, &e.decide(&c), Sentences::Yes);
            serde_json::to_string(&doc).map_err(|e| e.to_string())
        });
        let out = check(&e, REQUEST);
        assert_eq!(Ok(out.clone()), expected);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["schema"], "lagrum.decision.v2");
        let proof = v["items"][0]["proof"].as_array().cloned().unwrap_or_default();
        assert!(
            !proof.is_empty() && proof.iter().all(|s| s["text"].is_string()),
            "{out}"
        );
    }

    #[test]
    fn every_provision_a_document_names_has_its_citation_and_link() {
        let e = engine();
        let refs = references_doc(&e);
        let v: serde_json::Value = serde_json::from_str(&check(&e, REQUEST)).unwrap_or_default();
        let mut named = Vec::new();
        for it in v["items"].as_array().into_iter().flatten() {
            for key in ["proof", "secrecy"] {
                for s in it[key].as_array().into_iter().flatten() {
                    named.extend(s["p"].as_array().into_iter().flatten().filter_map(|p| p.as_str()));
                }
            }
            named.extend(
                it["basis"]
                    .as_array()
                    .into_iter()
                    .flatten()
                    .filter_map(|b| b["p"].as_str()),
            );
        }
        assert!(named.len() > 50, "{} provisions named", named.len());
        for id in named {
            let p = refs.provisions.get(id);
            assert!(
                p.is_some_and(|p| !p.reference.citation.is_empty() && !p.versions.is_empty()),
                "{id}"
            );
        }
        assert_eq!(refs.ruleset, ruleset_doc(&e));
        assert!(
            refs.provisions
                .values()
                .any(|p| p.reference.link.as_deref().is_some_and(|l| l.contains('#')))
        );
        assert!(refs.balancing.values().all(|t| !t.is_empty()));
    }

    #[test]
    fn a_bad_request_gives_an_error_document_with_its_path() {
        let e = engine();
        let out = check(&e, r#"{"schema": "lagrum.request.v1", "date": "2025-06-01"}"#);
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["code"], "invalid_shape");
        assert!(v.get("schema").is_none(), "{out}");
        let out = check(&e, "{ nej");
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["code"], "invalid_json");
        assert_eq!(v["path"], "$");
        let out = check(&e, &REQUEST.replace("\"TRV\"", "\"XYZ\""));
        let v: serde_json::Value = serde_json::from_str(&out).unwrap_or_default();
        assert_eq!(v["code"], "unknown_actor");
        assert_eq!(v["path"], "sender.actor");
    }

    #[test]
    fn text_is_the_engines_swedish_rendering() {
        let e = engine();
        let text = check_text(&e, REQUEST).unwrap_or_default();
        assert!(text.contains("══ BESLUT: SKA LÄMNAS ══"), "{text}");
        let err = check_text(&e, "[]").err().map(|d| d.code);
        assert_eq!(err.as_deref(), Some("invalid_shape"));
    }

    #[test]
    fn check_with_text_gives_both_from_one_check() {
        let e = engine();
        let v: serde_json::Value = serde_json::from_str(&check_with_text(&e, REQUEST)).unwrap_or_default();
        let alone: serde_json::Value = serde_json::from_str(&check(&e, REQUEST)).unwrap_or_default();
        assert_eq!(v["decision"], alone);
        assert_eq!(v["text"].as_str(), check_text(&e, REQUEST).ok().as_deref());
        let err: serde_json::Value = serde_json::from_str(&check_with_text(&e, "[]")).unwrap_or_default();
        assert_eq!(err["code"], "invalid_shape");
        assert!(err.get("decision").is_none());
    }

    #[test]
    fn alternatives_are_listed_per_item() {
        let e = engine();
        let request = r#"{"schema": "lagrum.request.v1", "date": "2025-06-01",
          "sender": {"actor": "SKV", "unit": "folkbokföring", "activity": "folkbokföring"},
          "recipient": {"actor": "PMY"}, "mode": "request", "purposes": ["utreda_brott"],
          "items": [{"id": "adress", "category": "bostadsadress", "subject": "p"}],
          "subjects": [{"id": "p", "protection": ["skyddad_folkbokföring"]}]}"#;
        let v: serde_json::Value = serde_json::from_str(&alternatives(&e, request)).unwrap();
        assert_eq!(v["items"][0]["id"], "adress");
        assert_eq!(v["items"][0]["outcome"], "manual");
        let alts = v["items"][0]["alternatives"].as_array().unwrap();
        assert!(alts.iter().any(|a| a["changes"][0]["path"] == "subjects[0].protection"));
        let bad: serde_json::Value = serde_json::from_str(&alternatives(&e, "{")).unwrap();
        assert!(bad.get("code").is_some());
    }

    #[test]
    fn vocabulary_and_ruleset_are_json() {
        let e = engine();
        let v: serde_json::Value = serde_json::from_str(&vocabulary(&e)).unwrap_or_default();
        assert!(v["actors"].as_array().is_some_and(|a| !a.is_empty()));
        assert!(v["facts"].as_array().is_some_and(|a| !a.is_empty()));
        let r: serde_json::Value = serde_json::from_str(&ruleset(&e)).unwrap_or_default();
        assert!(r["hash"].as_str().is_some_and(|h| h.starts_with("sha256:")));
        assert_eq!(v["ruleset"], r);
    }

    #[test]
    fn loading_the_default_files_gives_the_same_hash() {
        let e = engine();
        let files = default_files();
        let loaded = load(&files, false).map(|(_, d)| d.ruleset);
        assert_eq!(loaded, Ok(Some(ruleset_doc(&e))));
    }

    #[test]
    fn a_broken_ruleset_is_reported_with_file_line_and_column() {
        let files = r#"[{"name": "trasig.lagrum", "text": "bestämmelse x {\n  okänt_nyckelord\n}\n"}]"#;
        let Err(doc) = load(files, true) else {
            panic!("a broken file must not load");
        };
        assert!(!doc.ok);
        assert!(doc.ruleset.is_none());
        assert!(doc.text.contains("trasig.lagrum"), "{}", doc.text);
        let first = doc
            .diagnostics
            .iter()
            .find(|d| d.file.as_deref() == Some("trasig.lagrum"));
        assert!(first.is_some_and(|d| d.severity == "error" && d.line.is_some() && d.column.is_some()));
    }

    #[test]
    fn bad_load_input_is_an_error_not_a_panic() {
        for input in ["", "{}", "[1]", r#"[{"name": "a"}]"#, "[]"] {
            let r = load(input, false);
            assert!(r.as_ref().is_err_and(|d| !d.ok && !d.diagnostics.is_empty()), "{input}");
        }
    }
}
