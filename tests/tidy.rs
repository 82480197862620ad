//! Tidy: the architecture's rules as tests. Every Rust file starts with a module doc; the
//! DSL and the engine contain no law (no SFS numbers, citations, dates or actor ids in their
//! string literals, except syntax examples marked "t.ex." and inline test modules); no test is ignored or expected to panic; ARCHITECTURE.md names every
//! crate and engine module and lists the same numbered Datalog rules as `program.rs`.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code"
)]

use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    let up = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    up.canonicalize().unwrap_or(up)
}

fn rust_files(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = std::fs::read_dir(dir) else { return };
    for e in entries.flatten() {
        let p = e.path();
        let name = p
            .file_name()
            .map(|n| n.to_string_lossy().into_owned())
            .unwrap_or_default();
        if p.is_dir() {
            if name != "target" && name != "node_modules" && !name.starts_with('.') {
                rust_files(&p, out);
            }
        } else if name.ends_with(".rs") {
            out.push(p);
        }
    }
}

fn crates() -> Vec<String> {
    let manifest = std::fs::read_to_string(root().join("Cargo.toml")).unwrap();
    let line = manifest.lines().find(|l| l.starts_with("members")).unwrap_or("");
    let crates: Vec<String> = line.split('"').skip(1).step_by(2).map(String::from).collect();
    // Every tidy check walks these; an unparsed manifest must not make them pass vacuously.
    assert!(
        crates.len() >= 8,
        "workspace members not found in Cargo.toml: {crates:?}"
    );
    crates
}

#[test]
fn every_rust_file_starts_with_a_module_doc() {
    let mut files = Vec::new();
    for c in crates() {
        rust_files(&root().join(c), &mut files);
    }
    let missing: Vec<String> = files
        .iter()
        .filter(|p| {
            let text = std::fs::read_to_string(p).unwrap_or_default();
            !text.trim_start().starts_with("//!")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(missing.is_empty(), "files without a `//!` module doc: {missing:#?}");
}

/// The string literals on the non-comment lines of a Rust file.
fn literals(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for line in text.lines() {
        let t = line.trim_start();
        if t.starts_with("//") {
            continue;
        }
        let mut rest = line;
        while let Some(start) = rest.find('"') {
            let after = &rest[start + 1..];
            let mut end = None;
            let mut escaped = false;
            for (i, c) in after.char_indices() {
                match c {
                    '\\' if !escaped => escaped = true,
                    '"' if !escaped => {
                        end = Some(i);
                        break;
                    }
                    _ => escaped = false,
                }
            }
            let Some(end) = end else { break };
            out.push(after[..end].to_string());
            rest = &after[end + 1..];
        }
    }
    out
}

fn looks_like_law(s: &str, actors: &[String]) -> Option<&'static str> {
    let b = s.as_bytes();
    for i in 0..b.len() {
        let digits = |from: usize, n: usize| (from..from + n).all(|k| b.get(k).is_some_and(u8::is_ascii_digit));
        if digits(i, 4) && b.get(i + 4) == Some(&b':') && digits(i + 5, 1) {
            return Some("an SFS number");
        }
        if digits(i, 4) && b.get(i + 4) == Some(&b'-') && digits(i + 5, 2) && b.get(i + 7) == Some(&b'-') {
            return Some("a date");
        }
    }
    if let Some(i) = s.find(" kap. ")
        && s[i + 6..].starts_with(|c: char| c.is_ascii_digit())
    {
        return Some("a citation");
    }
    if actors.iter().any(|a| a == s) {
        return Some("an actor id");
    }
    None
}

#[test]
fn no_crate_contains_law() {
    let mut actors: Vec<String> = Vec::new();
    for (_, text) in lagrum_rulesets::FILES {
        for line in text.lines() {
            if let Some(rest) = line.trim_start().strip_prefix("aktör ") {
                actors.extend(rest.split_whitespace().next().map(String::from));
            }
        }
    }
    assert!(actors.len() > 20, "found the actors of the rulesets");
    let mut files = Vec::new();
    for dir in ["dsl/src", "engine/src", "navet/src", "serve/src", "wasm/src", "cli/src"] {
        rust_files(&root().join(dir), &mut files);
    }
    let mut found = Vec::new();
    for f in files {
        let relative = f.strip_prefix(root()).unwrap_or(&f);
        if relative.components().any(|c| c.as_os_str() == "tests") || f.ends_with("tests.rs") {
            continue;
        }
        let text = std::fs::read_to_string(&f).unwrap_or_default();
        // An inline test module (at the end of a file) is test code.
        let code = text.split("#[cfg(test)]").next().unwrap_or("");
        for lit in literals(code) {
            // Help texts show the syntax with an example, marked as such.
            if lit.contains("t.ex.") {
                continue;
            }
            if let Some(what) = looks_like_law(&lit, &actors) {
                found.push(format!("{}: {what} in \"{lit}\"", f.display()));
            }
        }
    }
    assert!(
        found.is_empty(),
        "law belongs in rulesets/, not in Rust:\n{}",
        found.join("\n")
    );
}

#[test]
fn no_test_is_ignored_or_expected_to_panic() {
    let mut files = Vec::new();
    for c in crates() {
        rust_files(&root().join(c), &mut files);
    }
    let this = file!().rsplit('/').next().unwrap_or_default().to_string();
    let bad: Vec<String> = files
        .iter()
        .filter(|p| !p.ends_with(&this))
        .filter(|p| {
            let t = std::fs::read_to_string(p).unwrap_or_default();
            t.contains("#[ignore") || t.contains("#[should_panic")
        })
        .map(|p| p.display().to_string())
        .collect();
    assert!(bad.is_empty(), "{bad:?}");
}

#[test]
fn architecture_names_every_crate_and_engine_module() {
    let arch = std::fs::read_to_string(root().join("ARCHITECTURE.md")).unwrap();
    for c in crates() {
        assert!(
            arch.contains(&format!("`{c}/`")),
            "ARCHITECTURE.md does not describe `{c}/`"
        );
    }
    for e in std::fs::read_dir(root().join("engine/src")).unwrap().flatten() {
        let name = e.file_name().to_string_lossy().into_owned();
        let module = name.trim_end_matches(".rs");
        if module == "lib" {
            continue;
        }
        let shown = if e.path().is_dir() {
            format!("`{module}/`")
        } else {
            format!("`{name}`")
        };
        assert!(arch.contains(&shown), "ARCHITECTURE.md does not mention {shown}");
    }
}

#[test]
fn the_datalog_rules_are_documented_with_their_numbers() {
    let read = |p: &str| std::fs::read_to_string(root().join(p)).unwrap();
    let datafrog = read("engine/src/program/datafrog.rs");
    let naive = read("engine/src/program/naive.rs");
    let listing = read("engine/src/program/mod.rs");
    let arch = read("ARCHITECTURE.md");
    let mut numbers: Vec<u32> = datafrog
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("// Rule "))
        .filter_map(|r| r.split(':').next()?.parse().ok())
        .collect();
    numbers.sort_unstable();
    numbers.dedup();
    let expected: Vec<u32> = (1..=numbers.len() as u32).collect();
    assert_eq!(
        numbers, expected,
        "rules in datafrog.rs must be numbered 1..n without gaps"
    );
    assert!(numbers.len() >= 24, "the program has at least 24 rules");
    // The reference evaluator names each rule it implements (`// Rule 3.`, `// Rules 6, 7.`).
    let mut in_naive: Vec<u32> = naive
        .lines()
        .filter_map(|l| l.trim_start().strip_prefix("// Rule"))
        .flat_map(|r| {
            r.trim_start_matches('s')
                .split(|c: char| !c.is_ascii_digit())
                .filter_map(|n| n.parse().ok())
                .collect::<Vec<u32>>()
        })
        .collect();
    in_naive.sort_unstable();
    in_naive.dedup();
    assert_eq!(
        in_naive, numbers,
        "the naive evaluator must implement every rule, named"
    );
    for n in numbers {
        let line = format!("\n{n:>3}  ");
        assert!(arch.contains(&line), "rule {n} is not listed in ARCHITECTURE.md");
        let doc = format!("\n//! {n:>3}  ");
        assert!(listing.contains(&doc), "rule {n} is not listed in program/mod.rs");
    }
    let joins = ["from_join(", "from_leapjoin(", "antijoin("]
        .iter()
        .map(|op| datafrog.matches(op).count())
        .sum::<usize>();
    assert!(
        joins >= 20,
        "expected the rules to be implemented with datafrog operations"
    );
}
