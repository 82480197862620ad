//! The default Lagrum rulesets, embedded at build time.
//!
//! The law itself lives in the `*.lagrum` files beside this crate; this crate only carries
//! their text so that the CLI, the WASM module and tests have it without reading files, and
//! reads another set of ruleset files from a directory ([`read_dir`]) for those that do.

include!(concat!(env!("OUT_DIR"), "/files.rs"));

/// Where the files live in the repository, for messages (`rulesets/lub.lagrum`).
pub const DIR: &str = "rulesets";

/// Reads every `*.lagrum` file in a directory (not its subdirectories), sorted by name, as
/// (path, text). A directory without ruleset files, or a file that cannot be read, is an
/// error naming it: an empty ruleset would make every item secret and nothing shareable,
/// which hides a mistake rather than reporting it.
pub fn read_dir(dir: &std::path::Path) -> Result<Vec<(String, String)>, String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("kan inte läsa katalogen {}: {e}", dir.display()))?;
    let mut files: Vec<std::path::PathBuf> = entries
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.is_file() && p.extension().is_some_and(|x| x == "lagrum"))
        .collect();
    files.sort();
    if files.is_empty() {
        return Err(format!("inga regelfiler (*.lagrum) i {}", dir.display()));
    }
    files.into_iter().map(|f| read_file(&f)).collect()
}

/// Reads one ruleset file as (path, text).
pub fn read_file(file: &std::path::Path) -> Result<(String, String), String> {
    let text = std::fs::read_to_string(file).map_err(|e| format!("kan inte läsa {}: {e}", file.display()))?;
    Ok((file.display().to_string(), text))
}
