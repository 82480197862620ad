//! How long it takes to compile the rulesets and to decide a request.
//!
//! `compile`: all ruleset files → checked model → static relations.
//! `decide`: one decision (with its proof, which is always on) per scenario request,
//! averaged over the scenario set; `document` adds building the JSON document, and
//! `parse` is validating the request JSON.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lagrum_engine::{Case, Engine};
use std::hint::black_box;
use std::path::Path;

fn scenario_requests() -> Vec<String> {
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)
        .expect("scenarios")
        .flatten()
        .map(|e| e.path())
        .collect();
    files.sort();
    files
        .iter()
        .map(|p| {
            let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(p).expect("read")).expect("json");
            v["request"].to_string()
        })
        .collect()
}

fn bench(c: &mut Criterion) {
    c.bench_function("compile", |b| {
        b.iter(|| Engine::from_files(black_box(lagrum_rulesets::FILES)).expect("rulesets"))
    });

    let engine = Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
    let requests = scenario_requests();
    let cases: Vec<Case> = requests
        .iter()
        .map(|r| engine.parse_request(r).expect("valid"))
        .collect();
    let n = cases.len() as u64;

    let mut g = c.benchmark_group("scenarios");
    g.throughput(Throughput::Elements(n));
    g.bench_function("parse", |b| {
        b.iter(|| {
            for r in &requests {
                black_box(engine.parse_request(black_box(r)).expect("valid"));
            }
        })
    });
    g.bench_function("decide", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(engine.decide(black_box(case)));
            }
        })
    });
    g.bench_function("decide+document", |b| {
        b.iter(|| {
            for case in &cases {
                let d = engine.decide(black_box(case));
                black_box(engine.document(case, &d));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
