//! Native twin of the browser's `check`: reads one request (JSON) per line on standard in
//! and prints, per line, exactly what the WebAssembly export returns for it (the same code
//! in `lagrum_wasm::api`, the same serializer). `wasm/tests/parity.mjs` compares the two
//! byte for byte.
//!
//! ```sh
//! cargo run -p lagrum-wasm --example check_lines < requests.jsonl
//! cargo run --release -p lagrum-wasm --example check_lines -- --time 200 < requests.jsonl
//! ```
//!
//! With `--time ROUNDS` it prints instead, per line, the median time of one check in
//! microseconds over ROUNDS checks of that line (after one warm-up): the native side of
//! `wasm/tests/speed.mjs`, which times the WebAssembly export the same way.

use std::io::{BufRead as _, Write as _};
use std::process::ExitCode;

fn main() -> ExitCode {
    let rounds = match std::env::args().nth(1).as_deref() {
        Some("--time") => match std::env::args().nth(2).and_then(|n| n.parse::<usize>().ok()) {
            Some(n) if n > 0 => Some(n),
            _ => {
                eprintln!("fel: --time behöver ett antal varv (ett heltal större än 0)");
                return ExitCode::from(2);
            }
        },
        Some(other) => {
            eprintln!("fel: okänt argument {other:?} (bara --time VARV)");
            return ExitCode::from(2);
        }
        None => None,
    };
    let engine = match lagrum_wasm::api::default_engine() {
        Ok(e) => e,
        Err(doc) => {
            eprintln!("fel: regelverket kan inte användas:\n{}", doc.text);
            return ExitCode::from(1);
        }
    };
    let stdin = std::io::stdin();
    let mut out = std::io::BufWriter::new(std::io::stdout().lock());
    for line in stdin.lock().lines() {
        let line = match line {
            Ok(l) => l,
            Err(e) => {
                eprintln!("fel: kan inte läsa standard in: {e}");
                return ExitCode::from(1);
            }
        };
        let answer = match rounds {
            Some(n) => format!("{:.3}", median_micros(n, || lagrum_wasm::api::check(&engine, &line))),
            None => lagrum_wasm::api::check(&engine, &line),
        };
        if writeln!(out, "{answer}").is_err() {
            return ExitCode::from(1);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}

/// The median time of one call in microseconds over `rounds` calls, after one warm-up.
fn median_micros(rounds: usize, mut call: impl FnMut() -> String) -> f64 {
    std::hint::black_box(call());
    let mut times: Vec<f64> = (0..rounds)
        .map(|_| {
            let start = std::time::Instant::now();
            std::hint::black_box(call());
            start.elapsed().as_secs_f64() * 1e6
        })
        .collect();
    times.sort_by(f64::total_cmp);
    times.get(times.len() / 2).copied().unwrap_or(f64::NAN)
}
