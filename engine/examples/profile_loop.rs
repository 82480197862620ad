//! Decides every scenario request many times in a loop, for profilers
//! (`valgrind --tool=callgrind`, `perf record`). Not part of the test suite.
//!
//! `profile_loop [ROUNDS] [decide|document|json]`: `document` also builds the decision
//! document, `json` also serializes it (what `legal serve` does per request).

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "profiling harness"
)]

use lagrum_engine::Engine;
use std::path::Path;

fn main() {
    let rounds: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(200);
    let mode = std::env::args().nth(2).unwrap_or_else(|| "decide".into());
    let engine = Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    let cases: Vec<_> = files
        .iter()
        .map(|p| {
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json");
            engine.parse_request(&v["request"].to_string()).expect("valid")
        })
        .collect();
    let start = std::time::Instant::now();
    let mut n = 0usize;
    for _ in 0..rounds {
        for c in &cases {
            let d = engine.decide(c);
            n += d.items.len();
            match mode.as_str() {
                "document" => n += engine.document(c, &d).items.len(),
                "json" => n += serde_json::to_string(&engine.document(c, &d)).expect("json").len() & 1,
                _ => {}
            }
        }
    }
    let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * cases.len()) as f64;
    println!(
        "{mode}: {} decisions ({n}), {per:.2} µs per decision",
        rounds * cases.len()
    );
}
