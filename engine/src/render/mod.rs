//! Rendering a decision: Swedish text for people, JSON (`lagrum.decision.v1`) for machines.
//! Both use the same sentences, from [`words`].

pub mod compact;
pub mod conditions;
pub mod json;
pub mod labels;
pub mod names;
pub mod summary;
pub mod text;
pub mod wire;
pub mod words;
