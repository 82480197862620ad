//! The Lagrum rule language.
//!
//! Data flows one way: text → [`parse`] → [`ast`] → [`check()`] → [`model::Model`].
//! The model is the law as resolved data (names bound, citations matched, sets closed,
//! versions ordered); the `lagrum-engine` crate compiles it to Datalog facts.
//!
//! This crate knows the language, not the law: it contains no provision, authority or date.

pub mod ast;
pub mod check;
pub mod date;
pub mod diag;
pub mod fmt;
pub mod model;
pub mod parse;
pub mod review;
pub mod span;

pub use check::check;
pub use diag::{Diagnostic, Diagnostics, Located, Severity};
pub use fmt::format;
pub use model::Model;
pub use span::{FileId, SourceFile, Sources, Span};
