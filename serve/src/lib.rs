//! Lagrum for brokers and authorities' integration platforms.
//!
//! - [`app`]: the HTTP service behind `legal serve` (axum on tokio): single and batch
//!   checks, the ruleset listing, health, Prometheus metrics, atomic ruleset reload.
//! - [`state`]: the ruleset in service, swapped atomically on reload; a ruleset that fails
//!   to check is rejected and the running one stays.
//! - [`audit`]: the decision log (JSON lines) with identity numbers pseudonymised by a
//!   keyed hash (HMAC-SHA256).
//! - [`chain`]: the decision log as a hash chain (each record carries the previous
//!   record's SHA-256) and its verification (`legal log verify`).
//! - [`batch`]: `legal check --batch`, NDJSON in and out in constant memory on all cores.
//! - [`replay`]: re-evaluates a decision log against another ruleset and reports every
//!   decision whose outcome or basis would differ.
//!
//! The engine itself is pure: nothing here changes how a request is decided.

pub mod app;
pub mod audit;
pub mod batch;
pub mod chain;
pub mod line;
pub mod metrics;
pub mod openapi;
pub mod replay;
pub mod server;
pub mod state;

pub use app::{Limits, router};
pub use server::{Config, Server};
pub use state::{Loader, Rulesets};
