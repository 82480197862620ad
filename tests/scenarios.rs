//! Runs every scenario file under `scenarios/` as its own test, through the library with
//! the embedded rulesets. A failing scenario prints every difference at once.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use lagrum_tests::Scenario;
use libtest_mimic::{Arguments, Failed, Trial};
use std::path::{Path, PathBuf};
use std::sync::Arc;

fn main() {
    let args = Arguments::from_args();
    let engine = match Engine::from_files(lagrum_rulesets::FILES) {
        Ok(e) => Arc::new(e),
        Err(e) => {
            eprintln!("{}", e.render());
            std::process::exit(1);
        }
    };
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("scenarios");
    let mut files: Vec<PathBuf> = std::fs::read_dir(&dir)
        .map(|rd| rd.filter_map(Result::ok).map(|e| e.path()).collect())
        .unwrap_or_default();
    files.retain(|p| p.extension().is_some_and(|e| e == "json"));
    files.sort();
    let trials = files
        .into_iter()
        .map(|path| {
            let name = path
                .file_stem()
                .map(|s| s.to_string_lossy().into_owned())
                .unwrap_or_default();
            let engine = Arc::clone(&engine);
            Trial::test(name, move || run(&engine, &path))
        })
        .collect();
    libtest_mimic::run(&args, trials).exit();
}

fn run(engine: &Engine, path: &Path) -> Result<(), Failed> {
    let text = std::fs::read_to_string(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let scenario: Scenario = serde_json::from_str(&text).map_err(|e| format!("{}: {e}", path.display()))?;
    let ran = lagrum_tests::run(engine, &scenario).map_err(|e| format!("{}: {e}", scenario.title))?;
    let diffs = ran.diffs;
    if diffs.is_empty() {
        Ok(())
    } else {
        Err(format!("{}\n  - {}", scenario.title, diffs.join("\n  - ")).into())
    }
}
