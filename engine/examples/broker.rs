//! A broker-like loop embedding the engine: worker threads share one `Arc<Engine>` and
//! decide messages taken from a channel, then route each by its outcome.
//!
//! ```text
//! cargo run --release -p lagrum-engine --example broker [SCENARIO_DIR] [MESSAGES]
//! ```
//!
//! The messages are the request parts of the scenario files (`tests/scenarios` by default),
//! sent round and round. Nothing here knows any law: the engine is compiled once from the
//! embedded rulesets, and the rules decide.

use lagrum_engine::Engine;
use lagrum_engine::render::json::OutcomeDoc;
use std::sync::Arc;
use std::sync::mpsc;

/// A message on the broker's input queue.
struct Message {
    seq: u64,
    body: String,
}

/// Where the broker sends a message after the decision.
#[derive(Debug)]
enum Route {
    /// `must` / `allow`: deliver to the recipient, with the decision attached.
    Deliver,
    /// `manual`: hold for a case officer, with the questions and the proof.
    Hold,
    /// `deny`: do not deliver.
    Reject,
    /// Not a valid request: back to the sender with the error code and path.
    Return(String),
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let dir = args
        .next()
        .unwrap_or_else(|| concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/scenarios").to_string());
    let messages: u64 = args.next().map(|n| n.parse()).transpose()?.unwrap_or(10_000);

    let mut bodies = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(&dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f)?)?;
        bodies.push(v.get("request").map(|r| r.to_string()).unwrap_or_default());
    }
    if bodies.is_empty() {
        return Err(format!("no scenario files in {dir}").into());
    }
    bodies.push("{ not a request".to_string());

    // Compile once; share between threads.
    let engine = Arc::new(Engine::from_files(lagrum_rulesets::FILES).map_err(|e| e.render())?);
    let workers = std::thread::available_parallelism().map(|n| n.get()).unwrap_or(2);

    let (in_tx, in_rx) = mpsc::sync_channel::<Message>(1024);
    let in_rx = Arc::new(std::sync::Mutex::new(in_rx));
    let (out_tx, out_rx) = mpsc::channel::<(u64, Route, String)>();
    let start = std::time::Instant::now();
    let mut handles = Vec::new();
    for _ in 0..workers {
        let engine = engine.clone();
        let in_rx = in_rx.clone();
        let out_tx = out_tx.clone();
        handles.push(std::thread::spawn(move || {
            loop {
                let msg = match in_rx.lock() {
                    Ok(rx) => rx.recv(),
                    Err(_) => return,
                };
                let Ok(msg) = msg else { return };
                let (route, hash) = match engine.check_json(&msg.body) {
                    Ok(doc) => {
                        let route = match doc.outcome {
                            OutcomeDoc::Must | OutcomeDoc::Allow => Route::Deliver,
                            OutcomeDoc::Manual => Route::Hold,
                            OutcomeDoc::Deny => Route::Reject,
                        };
                        (route, doc.ruleset.hash)
                    }
                    Err(e) => (
                        Route::Return(format!("{} at {}", e.code(), e.path())),
                        engine.ruleset().hash.clone(),
                    ),
                };
                if out_tx.send((msg.seq, route, hash)).is_err() {
                    return;
                }
            }
        }));
    }
    drop(out_tx);

    let producer = std::thread::spawn(move || {
        for seq in 0..messages {
            let body = bodies.get(seq as usize % bodies.len()).cloned().unwrap_or_default();
            if in_tx.send(Message { seq, body }).is_err() {
                return;
            }
        }
    });

    let (mut deliver, mut hold, mut reject, mut returned) = (0u64, 0u64, 0u64, 0u64);
    let mut last_error = None;
    for (seq, route, _hash) in out_rx {
        match route {
            Route::Deliver => deliver += 1,
            Route::Hold => hold += 1,
            Route::Reject => reject += 1,
            Route::Return(e) => {
                returned += 1;
                last_error = Some((seq, e));
            }
        }
    }
    producer.join().map_err(|_| "producer panicked")?;
    for h in handles {
        h.join().map_err(|_| "worker panicked")?;
    }
    let secs = start.elapsed().as_secs_f64();
    println!(
        "{messages} messages on {workers} threads in {secs:.2} s ({:.0}/s): {deliver} delivered, {hold} held for a case officer, {reject} rejected, {returned} returned",
        messages as f64 / secs
    );
    if let Some((seq, e)) = last_error {
        println!("last returned: message {seq}: {e}");
    }
    println!("ruleset {}", engine.ruleset().hash);
    Ok(())
}
