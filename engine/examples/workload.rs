//! The load example: per-request timings of each stage on generated one-item requests
//! (random sender, recipient, activity, category, date, mode, purposes, protection and
//! facts over the whole vocabulary), with median and p99, and the size of the decision
//! documents. Run it in release:
//!
//! ```text
//! cargo run --release -p lagrum-engine --example workload [REQUESTS] [profile]
//! ```
//!
//! The criterion benchmark (`cargo bench -p lagrum-engine`) measures the same stages as
//! means with confidence intervals; this prints the distribution. docs/performance.md
//! records both.

#![allow(
    clippy::expect_used,
    clippy::unwrap_used,
    clippy::indexing_slicing,
    reason = "a measuring tool: a failed assumption should stop it"
)]

#[path = "../tests/support/mod.rs"]
mod support;

use lagrum_engine::Engine;

/// The allocator the `legal` binary uses, so that the figures are the ones it would show.
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;
use lagrum_engine::render::compact::Sentences;
use std::hint::black_box;
use std::time::Instant;

/// `n` generated requests with one item each, as JSON text.
fn workload(engine: &Engine, n: usize) -> Vec<String> {
    let vocabulary = support::Vocabulary::of(engine);
    let mut rng = support::Rng::new(0x10ad_5eed);
    (0..n)
        .map(|_| {
            let mut r = vocabulary.request(&mut rng);
            if let Some(items) = r["items"].as_array_mut() {
                items.truncate(1);
            }
            r.to_string()
        })
        .collect()
}

/// JSON request text in, v2 decision document out, as the service does it.
#[inline(never)]
fn round_trip(engine: &Engine, request: &str) -> Vec<u8> {
    let case = engine.parse_request(request).expect("valid");
    let d = engine.decide(&case);
    serde_json::to_vec(&engine.compact(&case, &d, Sentences::No)).expect("json")
}

fn quantiles(mut ns: Vec<u128>) -> (f64, f64) {
    ns.sort_unstable();
    let at = |q: f64| ns[((ns.len() - 1) as f64 * q) as usize] as f64 / 1000.0;
    (at(0.5), at(0.99))
}

fn main() {
    let n: usize = std::env::args().nth(1).and_then(|s| s.parse().ok()).unwrap_or(1000);
    let engine = Engine::from_files(lagrum_rulesets::FILES).expect("rulesets");
    let requests = workload(&engine, n);
    let cases: Vec<_> = requests
        .iter()
        .map(|r| engine.parse_request(r).expect("valid"))
        .collect();
    // Warm up.
    for c in &cases {
        black_box(engine.decide(c));
    }
    // `workload N count`: each request decided once more, and once more from JSON text in
    // to JSON text out, for instruction counts (`valgrind --tool=callgrind
    // --toggle-collect='lagrum_engine::Engine::decide'`, or `='workload::round_trip'`).
    if std::env::args().nth(2).as_deref() == Some("count") {
        for (c, r) in cases.iter().zip(&requests) {
            black_box(engine.decide(c));
            black_box(round_trip(&engine, r));
        }
        println!("{n} decisions");
        return;
    }
    // `workload N profile`: only decide, in a loop of about ten seconds, for `perf record`.
    if std::env::args().nth(2).as_deref() == Some("profile") {
        let start = Instant::now();
        let mut rounds = 0usize;
        while start.elapsed().as_secs() < 10 {
            for c in &cases {
                black_box(engine.decide(c));
            }
            rounds += 1;
        }
        let per = start.elapsed().as_secs_f64() * 1e6 / (rounds * n) as f64;
        println!("{} decisions, {per:.2} µs mean", rounds * n);
        return;
    }
    let time = |f: &dyn Fn(usize)| -> Vec<u128> {
        (0..n)
            .map(|i| {
                let t = Instant::now();
                f(i);
                t.elapsed().as_nanos()
            })
            .collect()
    };
    let decide = time(&|i| {
        black_box(engine.decide(&cases[i]));
    });
    let v2 = time(&|i| {
        let d = engine.decide(&cases[i]);
        black_box(engine.compact(&cases[i], &d, Sentences::No));
    });
    let round = time(&|i| {
        black_box(round_trip(&engine, &requests[i]));
    });
    let v1 = time(&|i| {
        let d = engine.decide(&cases[i]);
        black_box(serde_json::to_vec(&engine.document(&cases[i], &d)).expect("json"));
    });
    let sizes = |f: &dyn Fn(usize) -> usize| {
        let mut s: Vec<u128> = (0..n).map(|i| f(i) as u128 * 1000).collect();
        s.sort_unstable();
        quantiles(s)
    };
    let v2_size = sizes(&|i| {
        let d = engine.decide(&cases[i]);
        serde_json::to_vec(&engine.compact(&cases[i], &d, Sentences::No))
            .expect("json")
            .len()
    });
    let v1_size = sizes(&|i| {
        let d = engine.decide(&cases[i]);
        serde_json::to_vec(&engine.document(&cases[i], &d)).expect("json").len()
    });
    let (dm, dp) = quantiles(decide.clone());
    println!("{n} generated one-item requests, one thread\n");
    println!("{:<46} {:>10} {:>10} {:>8}", "stage", "median µs", "p99 µs", "×decide");
    for (name, t) in [
        ("decide (proof as data)", decide),
        ("decide + v2 document", v2),
        ("JSON request in → v2 JSON out", round),
        ("decide + v1 document + JSON (for comparison)", v1),
    ] {
        let (m, p) = quantiles(t);
        println!("{name:<46} {m:>10.1} {p:>10.1} {:>8.2}", m / dm);
    }
    let _ = dp;
    println!("\n{:<46} {:>10} {:>10}", "document size", "median B", "p99 B");
    println!("{:<46} {:>10.0} {:>10.0}", "lagrum.decision.v2", v2_size.0, v2_size.1);
    println!("{:<46} {:>10.0} {:>10.0}", "lagrum.decision.v1", v1_size.0, v1_size.1);
}
