//! The OpenAPI 3.1 description of the service. The schemas come from the same Rust types
//! the service serializes (via schemars), so they cannot drift; the paths are written here.
//! `docs/openapi.json` is this document, checked in; a test keeps the two equal and another
//! calls every path of it on a running server and validates the answers.

use serde_json::{Value, json};

/// The OpenAPI document.
pub fn document() -> Value {
    let schemas = Schemas::generate();
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Lagrum",
            "version": env!("CARGO_PKG_VERSION"),
            "description": "Decides whether information may, must or may not go from one Swedish authority to another, with the provisions and the proof. Started with `legal serve`; see docs/service.md.",
        },
        "servers": [{ "url": "http://127.0.0.1:8080" }],
        "paths": {
            "/v1/check": check(&schemas),
            "/v1/check/batch": check_batch(&schemas),
            "/v1/ruleset": ruleset(&schemas),
            "/v1/ruleset/reload": reload(&schemas),
            "/healthz": health(&schemas),
            "/metrics": metrics(),
            "/openapi.json": openapi(),
        },
        "components": { "schemas": schemas.definitions }
    })
}

/// The schemas of what the service reads and writes, from the Rust types, and the
/// definitions they refer to (`#/components/schemas/…`).
struct Schemas {
    request: Value,
    decision: Value,
    error: Value,
    listing: Value,
    batch_line: Value,
    health: Value,
    reloaded: Value,
    reload_error: Value,
    definitions: Value,
}

impl Schemas {
    fn generate() -> Schemas {
        let mut generator = schemars::generate::SchemaSettings::draft2020_12()
            .with(|s| {
                s.definitions_path = "/components/schemas".into();
                s.meta_schema = None;
            })
            .into_generator();
        let request = generator
            .subschema_for::<lagrum_engine::request::RequestDoc>()
            .to_value();
        let decision = generator
            .subschema_for::<lagrum_engine::render::compact::CompactDoc>()
            .to_value();
        let error = generator.subschema_for::<lagrum_engine::error::ErrorDoc>().to_value();
        let listing = generator
            .subschema_for::<lagrum_engine::catalog::ListingDoc>()
            .to_value();
        let batch_line = generator.subschema_for::<crate::line::BatchLine>().to_value();
        let health = generator.subschema_for::<crate::state::HealthDoc>().to_value();
        let reloaded = generator.subschema_for::<crate::state::Reloaded>().to_value();
        let reload_error = generator.subschema_for::<crate::state::ReloadErrorDoc>().to_value();
        // Not answered by a path, but their definitions are published with the others.
        let _audit = generator.subschema_for::<crate::audit::AuditRecord>().to_value();
        let _replay = generator.subschema_for::<crate::replay::Difference>().to_value();
        Schemas {
            request,
            decision,
            error,
            listing,
            batch_line,
            health,
            reloaded,
            reload_error,
            definitions: Value::Object(generator.take_definitions(true)),
        }
    }

    /// An error answer: the error document, with what it means here.
    fn err(&self, description: &str) -> Value {
        json!({
            "description": description,
            "content": { "application/json": { "schema": self.error.clone() } }
        })
    }
}

fn ruleset_header() -> Value {
    json!({
        "description": "Hash of the ruleset the response was made with (`sha256:…`).",
        "schema": { "type": "string" }
    })
}

fn decision_id_header() -> Value {
    json!({
        "description": "The decision's id in the decision log (only when the log is on).",
        "schema": { "type": "string" }
    })
}

/// `POST /v1/check`: one request, one decision.
fn check(s: &Schemas) -> Value {
    json!({
        "post": {
            "operationId": "check",
            "summary": "Decide one request",
            "requestBody": {
                "required": true,
                "content": { "application/json": { "schema": s.request.clone() } }
            },
            "responses": {
                "200": {
                    "description": "The decision (`lagrum.decision.v2`). `ruleset.hash` names the ruleset used.",
                    "headers": { "lagrum-ruleset": ruleset_header(), "lagrum-decision-id": decision_id_header() },
                    "content": { "application/json": { "schema": s.decision.clone() } }
                },
                "400": s.err("The request cannot be judged: `code` is stable (`invalid_json`, `invalid_shape`, `unknown_actor`, …) and `path` is the JSON path of the problem."),
                "408": s.err("The request took longer than the time limit (`timeout`)."),
                "413": s.err("The body is larger than the limit (`body_too_large`)."),
                "503": s.err("The decision log cannot be written (`audit_unavailable`); no decision is given without its record.")
            }
        }
    })
}

/// `POST /v1/check/batch`: NDJSON in, NDJSON out.
fn check_batch(s: &Schemas) -> Value {
    json!({
        "post": {
            "operationId": "checkBatch",
            "summary": "Decide many requests: NDJSON in, NDJSON out, streamed in input order",
            "description": "One request per line. Each non-blank input line gives one output line (`BatchLine`, schema in `x-ndjson-line`) with the same line number, holding the decision or the error. A limit reached mid-stream (`line_too_long`, `body_too_large`, `timeout`) ends the stream with an error line. The whole batch is decided with the ruleset in service when it started.",
            "requestBody": {
                "required": true,
                "content": { "application/x-ndjson": { "schema": { "type": "string" }, "x-ndjson-line": s.request.clone() } }
            },
            "responses": {
                "200": {
                    "description": "One `BatchLine` per non-blank input line.",
                    "headers": { "lagrum-ruleset": ruleset_header() },
                    "content": { "application/x-ndjson": { "schema": { "type": "string" }, "x-ndjson-line": s.batch_line.clone() } }
                }
            }
        }
    })
}

/// `GET /v1/ruleset`: the listing of the ruleset in service.
fn ruleset(s: &Schemas) -> Value {
    json!({
        "get": {
            "operationId": "ruleset",
            "summary": "The ruleset in service: name, version, hash and every provision with citation and versions (validity)",
            "responses": {
                "200": {
                    "description": "The listing.",
                    "headers": { "lagrum-ruleset": ruleset_header() },
                    "content": { "application/json": { "schema": s.listing.clone() } }
                }
            }
        }
    })
}

/// `POST /v1/ruleset/reload`: a new ruleset in service, or the old one kept.
fn reload(s: &Schemas) -> Value {
    json!({
        "post": {
            "operationId": "reloadRuleset",
            "summary": "Read the ruleset files again and put them in service if they check (SIGHUP does the same)",
            "description": "Atomic: requests in flight finish on the ruleset they started with; a ruleset that does not check is rejected and the running one stays in service.",
            "responses": {
                "200": {
                    "description": "The new ruleset is in service.",
                    "content": { "application/json": { "schema": s.reloaded.clone() } }
                },
                "422": {
                    "description": "Rejected (`invalid_ruleset` with diagnostics, or `ruleset_unreadable`); the previous ruleset stays in service.",
                    "content": { "application/json": { "schema": s.reload_error.clone() } }
                }
            }
        }
    })
}

/// `GET /healthz`.
fn health(s: &Schemas) -> Value {
    json!({
        "get": {
            "operationId": "health",
            "summary": "Liveness, the ruleset in service, whether the decision log is on",
            "responses": {
                "200": { "description": "Serving.", "content": { "application/json": { "schema": s.health.clone() } } },
                "503": { "description": "Not giving decisions: the decision log cannot be written.", "content": { "application/json": { "schema": s.health.clone() } } }
            }
        }
    })
}

/// `GET /metrics`.
fn metrics() -> Value {
    json!({
        "get": {
            "operationId": "metrics",
            "summary": "Prometheus metrics (OpenMetrics text)",
            "responses": {
                "200": { "description": "Metrics.", "content": { "application/openmetrics-text": { "schema": { "type": "string" } } } }
            }
        }
    })
}

/// `GET /openapi.json`: this document.
fn openapi() -> Value {
    json!({
        "get": {
            "operationId": "openapi",
            "summary": "This document",
            "responses": {
                "200": { "description": "The OpenAPI document.", "content": { "application/json": { "schema": { "type": "object" } } } }
            }
        }
    })
}
