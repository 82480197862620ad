//! Prometheus metrics (`GET /metrics`, OpenMetrics text).
//!
//! - `lagrum_decisions_total{outcome, source}`: decisions by overall outcome;
//! - `lagrum_request_errors_total{code, source}`: requests that could not be judged, by
//!   stable error code (`invalid_json`, `unknown_actor`, `body_too_large`, …);
//! - `lagrum_decision_duration_seconds`: parse, decide and render of one request;
//! - `lagrum_http_request_duration_seconds{route}` and
//!   `lagrum_http_responses_total{route, status}`;
//! - `lagrum_ruleset_reloads_total{result}` and `lagrum_ruleset_info{version, hash}`;
//! - `lagrum_audit_errors_total`: records the decision log could not write.

use lagrum_engine::render::json::OutcomeDoc;
use prometheus_client::encoding::EncodeLabelSet;
use prometheus_client::metrics::counter::Counter;
use prometheus_client::metrics::family::Family;
use prometheus_client::metrics::gauge::Gauge;
use prometheus_client::metrics::histogram::{Histogram, exponential_buckets};
use prometheus_client::registry::Registry;

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct DecisionLabels {
    outcome: &'static str,
    source: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ErrorLabels {
    code: String,
    source: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RouteLabels {
    route: String,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ResponseLabels {
    route: String,
    status: u16,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct ReloadLabels {
    result: &'static str,
}

#[derive(Clone, Debug, Hash, PartialEq, Eq, EncodeLabelSet)]
struct RulesetLabels {
    version: String,
    hash: String,
}

fn latency_histogram() -> Histogram {
    // 20 µs … about 5 s.
    Histogram::new(exponential_buckets(0.000_02, 2.0, 19))
}

/// The service's metrics.
pub struct Metrics {
    registry: Registry,
    decisions: Family<DecisionLabels, Counter>,
    errors: Family<ErrorLabels, Counter>,
    decision_seconds: Histogram,
    http_seconds: Family<RouteLabels, Histogram, fn() -> Histogram>,
    responses: Family<ResponseLabels, Counter>,
    reloads: Family<ReloadLabels, Counter>,
    ruleset: Family<RulesetLabels, Gauge>,
    audit_errors: Counter,
}

impl std::fmt::Debug for Metrics {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Metrics").finish_non_exhaustive()
    }
}

fn outcome_label(o: OutcomeDoc) -> &'static str {
    match o {
        OutcomeDoc::Allow => "allow",
        OutcomeDoc::Must => "must",
        OutcomeDoc::Manual => "manual",
        OutcomeDoc::Deny => "deny",
    }
}

impl Default for Metrics {
    fn default() -> Self {
        Metrics::new()
    }
}

impl Metrics {
    pub fn new() -> Metrics {
        let mut registry = Registry::default();
        let decisions = Family::<DecisionLabels, Counter>::default();
        registry.register("lagrum_decisions", "Decisions by overall outcome", decisions.clone());
        let errors = Family::<ErrorLabels, Counter>::default();
        registry.register(
            "lagrum_request_errors",
            "Requests that could not be judged, by error code",
            errors.clone(),
        );
        let decision_seconds = latency_histogram();
        registry.register(
            "lagrum_decision_duration_seconds",
            "Time to parse, decide and render one request",
            decision_seconds.clone(),
        );
        let http_seconds: Family<RouteLabels, Histogram, fn() -> Histogram> =
            Family::new_with_constructor(latency_histogram);
        registry.register(
            "lagrum_http_request_duration_seconds",
            "Time from request to response head, by route",
            http_seconds.clone(),
        );
        let responses = Family::<ResponseLabels, Counter>::default();
        registry.register(
            "lagrum_http_responses",
            "HTTP responses by route and status",
            responses.clone(),
        );
        let reloads = Family::<ReloadLabels, Counter>::default();
        registry.register("lagrum_ruleset_reloads", "Ruleset reloads by result", reloads.clone());
        let ruleset = Family::<RulesetLabels, Gauge>::default();
        registry.register("lagrum_ruleset_info", "The ruleset in service", ruleset.clone());
        let audit_errors = Counter::default();
        registry.register(
            "lagrum_audit_errors",
            "Decisions refused because the decision log could not be written",
            audit_errors.clone(),
        );
        Metrics {
            registry,
            decisions,
            errors,
            decision_seconds,
            http_seconds,
            responses,
            reloads,
            ruleset,
            audit_errors,
        }
    }

    pub fn decision(&self, outcome: OutcomeDoc, source: &'static str) {
        self.decisions
            .get_or_create(&DecisionLabels {
                outcome: outcome_label(outcome),
                source,
            })
            .inc();
    }

    pub fn decisions(&self, outcome: OutcomeDoc, source: &'static str, n: u64) {
        if n > 0 {
            self.decisions
                .get_or_create(&DecisionLabels {
                    outcome: outcome_label(outcome),
                    source,
                })
                .inc_by(n);
        }
    }

    pub fn error(&self, code: &str, source: &'static str) {
        self.errors
            .get_or_create(&ErrorLabels {
                code: code.to_string(),
                source,
            })
            .inc();
    }

    pub fn decision_time(&self, seconds: f64) {
        self.decision_seconds.observe(seconds);
    }

    pub fn http(&self, route: &str, status: u16, seconds: f64) {
        self.http_seconds
            .get_or_create(&RouteLabels {
                route: route.to_string(),
            })
            .observe(seconds);
        self.responses
            .get_or_create(&ResponseLabels {
                route: route.to_string(),
                status,
            })
            .inc();
    }

    pub fn reload(&self, ok: bool) {
        self.reloads
            .get_or_create(&ReloadLabels {
                result: if ok { "ok" } else { "rejected" },
            })
            .inc();
    }

    pub fn ruleset_in_service(&self, version: &str, hash: &str) {
        self.ruleset.clear();
        self.ruleset
            .get_or_create(&RulesetLabels {
                version: version.to_string(),
                hash: hash.to_string(),
            })
            .set(1);
    }

    pub fn audit_error(&self) {
        self.audit_errors.inc();
    }

    /// The metrics in the OpenMetrics text format.
    pub fn encode(&self) -> String {
        let mut out = String::new();
        if prometheus_client::encoding::text::encode(&mut out, &self.registry).is_err() {
            out.clear();
        }
        out
    }
}
