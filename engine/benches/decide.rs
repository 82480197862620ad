//! How long it takes to compile the rulesets and to decide a request.
//!
//! `compile`: all ruleset files → checked model → static relations.
//! `decide`: one decision (with its proof, which is always on) per scenario request,
//! averaged over the scenario set; `document` adds building the JSON document, and
//! `parse` is validating the request JSON.
//!
//! `workload`: 1,000 generated one-item requests (random sender, recipient, activity,
//! category, date, mode, purposes, protection and facts over the whole vocabulary), the
//! workload of docs/performance.md: `decide`, `decide+v2` (the compact document),
//! `json-in-json-out` (request text to `lagrum.decision.v2` bytes) and, for comparison,
//! `decide+v1+json`. `cargo run --release -p lagrum-engine --example workload` prints the
//! same stages' medians and p99s.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "benchmark setup"
)]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
#[path = "../tests/support/mod.rs"]
mod support;

use lagrum_engine::render::compact::Sentences;
use lagrum_engine::{Case, Engine};
use std::hint::black_box;
use std::path::Path;

/// The allocator the `legal` binary uses, so that the figures are the ones it would show.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

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
    // What the decision-support page's `check` does natively (wasm/tests/speed.mjs times
    // the WebAssembly side): the v2 document with every sentence, as JSON text.
    g.bench_function("page-check", |b| {
        b.iter(|| {
            for case in &cases {
                let d = engine.decide(black_box(case));
                let doc = engine.compact(case, &d, Sentences::Yes);
                black_box(serde_json::to_string(&doc).expect("json"));
            }
        })
    });
    g.finish();
}

fn workload(c: &mut Criterion) {
    let engine = Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
    let vocabulary = support::Vocabulary::of(&engine);
    let mut rng = support::Rng::new(0x10ad_5eed);
    let requests: Vec<String> = (0..1000)
        .map(|_| {
            let mut r = vocabulary.request(&mut rng);
            if let Some(items) = r["items"].as_array_mut() {
                items.truncate(1);
            }
            r.to_string()
        })
        .collect();
    let cases: Vec<Case> = requests
        .iter()
        .map(|r| engine.parse_request(r).expect("valid"))
        .collect();
    let mut g = c.benchmark_group("workload");
    g.throughput(Throughput::Elements(requests.len() as u64));
    g.sample_size(20);
    g.bench_function("decide", |b| {
        b.iter(|| {
            for case in &cases {
                black_box(engine.decide(black_box(case)));
            }
        })
    });
    g.bench_function("decide+v2", |b| {
        b.iter(|| {
            for case in &cases {
                let d = engine.decide(black_box(case));
                black_box(engine.compact(case, &d, Sentences::No));
            }
        })
    });
    g.bench_function("json-in-json-out", |b| {
        b.iter(|| {
            for r in &requests {
                let case = engine.parse_request(black_box(r)).expect("valid");
                let d = engine.decide(&case);
                black_box(serde_json::to_vec(&engine.compact(&case, &d, Sentences::No)).expect("json"));
            }
        })
    });
    g.bench_function("decide+v1+json", |b| {
        b.iter(|| {
            for case in &cases {
                let d = engine.decide(black_box(case));
                black_box(serde_json::to_vec(&engine.document(case, &d)).expect("json"));
            }
        })
    });
    g.finish();
}

criterion_group!(benches, bench, workload);
criterion_main!(benches);
