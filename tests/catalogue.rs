//! The secrecy catalogue cannot silently fall behind the statute. `tests/catalogue/`
//! holds the list of OSL 15–43 kap. paragraphs that establish secrecy
//! (`osl-paragrafer.tsv`, taken from the consolidated text published 2025-12-16) and, per
//! chapter range, what the rulesets do with each: `deklarerad` with the ids of its
//! secrecy provisions, or `utelämnad` with the reason. Every listed paragraph must be
//! accounted for exactly once, every id must be a secrecy provision citing that
//! paragraph, and every OSL secrecy provision of those chapters must be in the list.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use lagrum_engine::model::ProvisionKind;
use std::collections::{BTreeMap, BTreeSet};
use std::path::Path;

fn dir() -> std::path::PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("catalogue")
}

/// `(paragraph, status, rest)` rows of every range file, with where they stand.
fn rows() -> Vec<(String, String, String, String)> {
    let mut out = Vec::new();
    let mut files: Vec<_> = std::fs::read_dir(dir())
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "tsv") && !p.ends_with("osl-paragrafer.tsv"))
        .collect();
    files.sort();
    for f in files {
        let text = std::fs::read_to_string(&f).unwrap();
        for (n, line) in text.lines().enumerate().filter(|(_, l)| !l.trim().is_empty()) {
            let mut cols = line.splitn(3, '\t');
            let (Some(p), Some(s), Some(r)) = (cols.next(), cols.next(), cols.next()) else {
                panic!("{}:{}: three tab-separated columns expected", f.display(), n + 1);
            };
            let at = format!("{}:{}", f.file_name().unwrap().to_string_lossy(), n + 1);
            out.push((p.to_string(), s.to_string(), r.trim().to_string(), at));
        }
    }
    out
}

fn engine() -> Engine {
    Engine::from_files(lagrum_rulesets::FILES).unwrap()
}

/// The chapter of an OSL citation, if it is one.
fn chapter(citation: &str) -> Option<u32> {
    citation.strip_prefix("OSL ")?.split(' ').next()?.parse().ok()
}

/// Whether `citation` lies in the paragraph `para` (`25 kap. 2 §`): the same chapter and
/// paragraph, possibly narrowed to a stycke or punkt.
fn within(citation: &str, para: &str) -> bool {
    let head = format!("OSL {para}");
    citation == head || citation.starts_with(&format!("{head} "))
}

#[test]
fn every_secrecy_paragraph_is_declared_or_left_out_with_a_reason() {
    let statute: Vec<String> = std::fs::read_to_string(dir().join("osl-paragrafer.tsv"))
        .unwrap()
        .lines()
        .filter(|l| !l.trim().is_empty())
        .map(str::to_string)
        .collect();
    assert!(
        statute.len() >= 300,
        "the statute's list looks truncated: {}",
        statute.len()
    );
    let rows = rows();
    let mut seen: BTreeMap<&str, &str> = BTreeMap::new();
    for (p, _, _, at) in &rows {
        if let Some(prev) = seen.insert(p, at) {
            panic!("{at}: {p} is listed twice (also {prev})");
        }
    }
    let missing: Vec<&String> = statute.iter().filter(|p| !seen.contains_key(p.as_str())).collect();
    assert!(
        missing.is_empty(),
        "paragraphs neither declared nor left out: {missing:?}"
    );
    let extra: Vec<&str> = seen
        .keys()
        .filter(|p| !statute.iter().any(|s| s == *p))
        .copied()
        .collect();
    assert!(
        extra.is_empty(),
        "rows for paragraphs not in the statute's list: {extra:?}"
    );

    let engine = engine();
    let model = engine.model();
    let mut declared = BTreeSet::new();
    let (mut n_declared, mut n_left_out) = (0, 0);
    for (p, status, rest, at) in &rows {
        match status.as_str() {
            "deklarerad" => {
                n_declared += 1;
                assert!(!rest.is_empty(), "{at}: no ids");
                for id in rest.split_whitespace() {
                    let found = model.provisions.iter().find(|x| x.id == id);
                    let Some(prov) = found else {
                        panic!("{at}: `{id}` is not declared")
                    };
                    assert_eq!(
                        prov.kind,
                        ProvisionKind::Secrecy,
                        "{at}: `{id}` is not a secrecy provision"
                    );
                    assert!(
                        within(&prov.citation, p),
                        "{at}: `{id}` cites {}, not {p}",
                        prov.citation
                    );
                    declared.insert(id.to_string());
                }
            }
            "utelämnad" => {
                n_left_out += 1;
                assert!(rest.len() >= 10, "{at}: a paragraph left out needs its reason");
            }
            other => panic!("{at}: unknown status `{other}`"),
        }
    }
    assert_eq!(n_declared + n_left_out, statute.len());
    assert!(n_declared >= 300, "only {n_declared} paragraphs declared");

    let unlisted: Vec<&str> = model
        .provisions
        .iter()
        .filter(|x| x.kind == ProvisionKind::Secrecy)
        .filter(|x| chapter(&x.citation).is_some_and(|c| (15..=43).contains(&c)))
        .filter(|x| !declared.contains(&x.id))
        .map(|x| x.id.as_str())
        .collect();
    assert!(
        unlisted.is_empty(),
        "secrecy provisions of OSL 15–43 kap. missing from the catalogue: {unlisted:?}"
    );
}
