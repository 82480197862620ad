//! Writes N requests as NDJSON to standard out, for measuring `legal check --batch` and
//! `POST /v1/check/batch`: the scenario requests round and round, each with its own id.
//!
//! ```text
//! cargo run --release -p lagrum-serve --example gen_requests 1000000 > /tmp/requests.ndjson
//! ```

use std::io::Write;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let n: u64 = std::env::args()
        .nth(1)
        .map(|s| s.parse())
        .transpose()?
        .unwrap_or(1_000_000);
    let dir = concat!(env!("CARGO_MANIFEST_DIR"), "/../tests/scenarios");
    let mut files: Vec<_> = std::fs::read_dir(dir)?
        .filter_map(Result::ok)
        .map(|e| e.path())
        .collect();
    files.sort();
    let mut requests = Vec::new();
    for f in files.iter().filter(|p| p.extension().is_some_and(|x| x == "json")) {
        let v: serde_json::Value = serde_json::from_str(&std::fs::read_to_string(f)?)?;
        if let Some(r) = v.get("request") {
            requests.push(r.clone());
        }
    }
    let out = std::io::stdout();
    let mut out = std::io::BufWriter::new(out.lock());
    for i in 0..n {
        let Some(mut r) = requests.get(i as usize % requests.len().max(1)).cloned() else {
            break;
        };
        if let Some(obj) = r.as_object_mut() {
            obj.insert("id".into(), format!("gen-{i}").into());
        }
        serde_json::to_writer(&mut out, &r)?;
        out.write_all(b"\n")?;
    }
    out.flush()?;
    Ok(())
}
