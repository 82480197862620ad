//! Lagrum in the browser. This crate will expose the engine to JavaScript through
//! wasm-bindgen; until then it only re-exports the engine so the workspace builds.

pub use lagrum_engine::Engine;
