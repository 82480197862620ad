//! Lagrum side by side with Cedar and regorus on one generated workload over a slice of the
//! law all three can express (LUFFA 2 §, LUB 4–6 §§, OSL 10 kap. 15 a and 27 §§).
//!
//! First every request is decided by all three and the verdicts compared: one disagreement
//! and the run fails before anything is timed. Then, in this one process, each engine decides
//! every request in turn (a warm-up pass, then `--rounds` timed passes, the engines
//! interleaved per pass), and the table gives each one's median and p99 per request and the
//! ratios to Cedar. See docs/performance.md.
//!
//! `cargo run --release -- [--requests N] [--seed S] [--rounds R] [--check-only]`

mod cedar;
mod lagrum;
mod rego;
mod verdict;
mod workload;

use lagrum_engine::render::compact::Sentences;
use std::collections::BTreeMap;
use std::hint::black_box;
use std::process::ExitCode;
use std::time::{Duration, Instant};
use verdict::Verdict;
use workload::Req;

/// The allocator the `legal` binary uses, for all three engines alike (they share the process).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

struct Options {
    requests: usize,
    seed: u64,
    rounds: usize,
    check_only: bool,
}

fn options() -> Result<Options, String> {
    let mut o = Options {
        requests: 10_000,
        seed: 20_261_202,
        rounds: 3,
        check_only: false,
    };
    let mut args = std::env::args().skip(1);
    while let Some(a) = args.next() {
        let mut number = |name: &str| -> Result<u64, String> {
            args.next()
                .and_then(|v| v.parse().ok())
                .ok_or_else(|| format!("{name} needs a number"))
        };
        match a.as_str() {
            "--requests" => o.requests = number("--requests")? as usize,
            "--seed" => o.seed = number("--seed")?,
            "--rounds" => o.rounds = number("--rounds")?.max(1) as usize,
            "--check-only" => o.check_only = true,
            other => return Err(format!("unknown argument {other}")),
        }
    }
    Ok(o)
}

/// Everything each engine needs per request, built before timing.
struct Prepared {
    cases: Vec<lagrum_engine::Case>,
    cedar_requests: Vec<cedar_policy::Request>,
    rego_inputs: Vec<regorus::Value>,
}

fn prepare(reqs: &[Req], engine: &lagrum_engine::Engine, cedar: &cedar::Cedar) -> Result<Prepared, String> {
    let mut p = Prepared {
        cases: Vec::new(),
        cedar_requests: Vec::new(),
        rego_inputs: Vec::new(),
    };
    for r in reqs {
        p.cases.push(lagrum::case(engine, r)?);
        p.cedar_requests.push(cedar.request(r)?);
        p.rego_inputs.push(rego::input(r)?);
    }
    Ok(p)
}

/// Decides every request with all three; returns the verdict counts, or every disagreement.
fn agree(
    reqs: &[Req],
    p: &Prepared,
    engine: &lagrum_engine::Engine,
    cedar: &cedar::Cedar,
    regorus: &mut regorus::Engine,
    bytes: &mut usize,
) -> Result<BTreeMap<Verdict, usize>, String> {
    let mut counts = BTreeMap::new();
    let mut problems = Vec::new();
    for (i, r) in reqs.iter().enumerate() {
        let (Some(case), Some(cr), Some(ri)) = (p.cases.get(i), p.cedar_requests.get(i), p.rego_inputs.get(i)) else {
            return Err("prepared inputs out of step".into());
        };
        let decision = engine.decide(case);
        let doc = serde_json::to_value(engine.document(case, &decision)).map_err(|e| e.to_string())?;
        *bytes += serde_json::to_vec(&engine.compact(case, &decision, Sentences::No))
            .map_err(|e| e.to_string())?
            .len();
        let l = lagrum::verdict(decision.outcome);
        let c = cedar.verdict(&cedar.decide(cr));
        let g = rego::decide(regorus, ri).and_then(|v| rego::verdict(&v));
        if let Some(why) = lagrum::outside_slice(r, &doc) {
            problems.push(format!(
                "#{i}: Lagrum left the slice: {why}\n    {}",
                lagrum::request_json(r)
            ));
        } else if c.as_ref() != Ok(&l) || g.as_ref() != Ok(&l) {
            problems.push(format!(
                "#{i}: lagrum {l}, cedar {c:?}, rego {g:?}\n    {}",
                lagrum::request_json(r)
            ));
        }
        *counts.entry(l).or_insert(0) += 1;
    }
    if problems.is_empty() {
        Ok(counts)
    } else {
        let shown: Vec<&String> = problems.iter().take(25).collect();
        Err(format!(
            "{} of {} requests disagree:\n{}",
            problems.len(),
            reqs.len(),
            shown.iter().map(|s| s.as_str()).collect::<Vec<_>>().join("\n")
        ))
    }
}

/// Per-request durations of one engine (nanoseconds), pass after pass in request order.
#[derive(Default)]
struct Samples(Vec<u64>);

/// Median and p99 of a set of durations.
fn quantiles(mut v: Vec<u64>) -> (Duration, Duration) {
    v.sort_unstable();
    let at = |q: f64| {
        let i = ((v.len() as f64 - 1.0).max(0.0) * q).round() as usize;
        Duration::from_nanos(v.get(i).copied().unwrap_or(0))
    };
    (at(0.5), at(0.99))
}

impl Samples {
    fn time<T>(&mut self, f: impl FnOnce() -> T) {
        let start = Instant::now();
        black_box(f());
        self.0.push(start.elapsed().as_nanos() as u64);
    }
    /// Median and p99 over every timed decision.
    fn all(&self) -> (Duration, Duration) {
        quantiles(self.0.clone())
    }
    /// Median and p99 over each request's fastest pass: what the engine costs when the
    /// machine's other work did not interrupt it (a shared machine inflates the plain figures).
    fn best_of(&self, requests: usize) -> (Duration, Duration) {
        let mut best = vec![u64::MAX; requests];
        for (i, ns) in self.0.iter().enumerate() {
            if let Some(b) = best.get_mut(i % requests.max(1)) {
                *b = (*b).min(*ns);
            }
        }
        quantiles(best)
    }
}

const ROWS: [&str; 5] = [
    "Lagrum decide (proof as data)",
    "Lagrum decide + document (v2)",
    "Lagrum decide + document (v2) + JSON",
    "Cedar is_authorized",
    "regorus eval",
];

/// One pass of every engine over every request; `keep` says whether to record.
fn pass(
    p: &Prepared,
    engine: &lagrum_engine::Engine,
    cedar: &cedar::Cedar,
    regorus: &mut regorus::Engine,
    samples: &mut [Samples; 5],
    keep: bool,
) -> Result<(), String> {
    let mut scratch: [Samples; 5] = Default::default();
    let out = if keep { samples } else { &mut scratch };
    let [decide, document, json, cedar_s, rego_s] = out;
    for case in &p.cases {
        decide.time(|| engine.decide(case));
    }
    for case in &p.cases {
        document.time(|| {
            let d = engine.decide(case);
            engine.compact(case, &d, Sentences::No)
        });
    }
    let mut buf = Vec::with_capacity(64 * 1024);
    for case in &p.cases {
        json.time(|| {
            let d = engine.decide(case);
            let doc = engine.compact(case, &d, Sentences::No);
            buf.clear();
            serde_json::to_writer(&mut buf, &doc).map(|()| buf.len())
        });
    }
    for r in &p.cedar_requests {
        cedar_s.time(|| cedar.decide(r));
    }
    for input in &p.rego_inputs {
        let mut result = Ok(regorus::Value::Null);
        rego_s.time(|| result = rego::decide(regorus, input));
        result?;
    }
    Ok(())
}

fn micros(d: Duration) -> String {
    format!("{:.2} µs", d.as_secs_f64() * 1e6)
}

fn ratio(a: Duration, b: Duration) -> String {
    format!("{:.2}×", a.as_secs_f64() / b.as_secs_f64().max(1e-12))
}

fn table(samples: &[Samples; 5], requests: usize, rounds: usize) {
    let cedar = samples
        .get(3)
        .map(|s| (s.all(), s.best_of(requests)))
        .unwrap_or_default();
    println!(
        "| engine and step | median | p99 | median, best of {rounds} | p99, best of {rounds} | median ÷ Cedar | p99 ÷ Cedar | best-of median ÷ Cedar |"
    );
    println!("|---|---:|---:|---:|---:|---:|---:|---:|");
    for (name, s) in ROWS.iter().zip(samples.iter()) {
        let ((median, p99), (best_median, best_p99)) = (s.all(), s.best_of(requests));
        println!(
            "| {name} | {} | {} | {} | {} | {} | {} | {} |",
            micros(median),
            micros(p99),
            micros(best_median),
            micros(best_p99),
            ratio(median, cedar.0.0),
            ratio(p99, cedar.0.1),
            ratio(best_median, cedar.1.0),
        );
    }
}

fn run() -> Result<(), String> {
    let o = options()?;
    let vocabulary: serde_json::Value =
        serde_json::from_str(include_str!("../policies/vocabulary.json")).map_err(|e| e.to_string())?;
    let engine = lagrum::engine()?;
    let cedar = cedar::Cedar::new(&vocabulary)?;
    let mut regorus = rego::engine(&vocabulary)?;
    let reqs = workload::generate(o.seed, o.requests);
    let p = prepare(&reqs, &engine, &cedar)?;

    let mut bytes = 0;
    let counts = agree(&reqs, &p, &engine, &cedar, &mut regorus, &mut bytes)?;
    let counts: Vec<String> = counts.iter().map(|(v, n)| format!("{v} {n}")).collect();
    println!(
        "agreement: all three engines give the same verdict on all {} requests (seed {}): {}",
        reqs.len(),
        o.seed,
        counts.join(", ")
    );
    println!(
        "Lagrum decides with its whole ruleset ({} provisions); Cedar with {} policies over the slice; \
         regorus with one module over the slice.",
        engine.listing().provisions.len(),
        cedar.policies.policies().count()
    );
    println!(
        "Lagrum's decision document (lagrum.decision.v2, with its proof): {:.1} KB of JSON per request on average.",
        bytes as f64 / reqs.len().max(1) as f64 / 1024.0
    );
    if o.check_only {
        return Ok(());
    }

    let mut samples: [Samples; 5] = Default::default();
    pass(&p, &engine, &cedar, &mut regorus, &mut samples, false)?;
    for _ in 0..o.rounds {
        pass(&p, &engine, &cedar, &mut regorus, &mut samples, true)?;
    }
    println!(
        "\n{} requests × {} timed passes (after one warm-up pass), one item each; times per request:\n",
        reqs.len(),
        o.rounds
    );
    table(&samples, reqs.len(), o.rounds);
    Ok(())
}

fn main() -> ExitCode {
    match run() {
        Ok(()) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("error: {e}");
            ExitCode::FAILURE
        }
    }
}
