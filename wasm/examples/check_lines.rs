//! Native twin of the browser's `check`: reads one request (JSON) per line on standard in
//! and prints, per line, exactly what the WebAssembly export returns for it (the same code
//! in `lagrum_wasm::api`, the same serializer). `wasm/tests/parity.mjs` compares the two
//! byte for byte.
//!
//! ```sh
//! cargo run -p lagrum-wasm --example check_lines < requests.jsonl
//! ```

use std::io::{BufRead as _, Write as _};
use std::process::ExitCode;

fn main() -> ExitCode {
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
        if writeln!(out, "{}", lagrum_wasm::api::check(&engine, &line)).is_err() {
            return ExitCode::from(1);
        }
    }
    if out.flush().is_err() {
        return ExitCode::from(1);
    }
    ExitCode::SUCCESS
}
