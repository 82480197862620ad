//! The default Lagrum rulesets, embedded at build time.
//!
//! The law itself lives in the `*.lagrum` files beside this crate; this crate only carries
//! their text so that the CLI, the WASM module and tests have it without reading files.

include!(concat!(env!("OUT_DIR"), "/files.rs"));

/// Where the files live in the repository, for messages (`rulesets/lub.lagrum`).
pub const DIR: &str = "rulesets";
