//! Silence is never permission, as a property of the rulebook: deleting any one secrecy
//! declaration or coverage (`täckning`) from the real rulesets never makes an outcome more
//! permissive. Most deleted secrecy provisions are caught when the rulesets are built (a
//! coverage or group still names them); every deletion that leaves valid rulesets (each
//! coverage, and secrecy that no coverage can name) must leave every outcome on a sample of
//! generated requests the same or less permissive (`deny` and `manual` rank below `allow`,
//! which ranks below `must`).

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

mod support;

use lagrum_engine::{Engine, Outcome};
use support::{Rng, Vocabulary};

/// How permissive an outcome is.
fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Deny | Outcome::Manual => 0,
        Outcome::Allow => 1,
        Outcome::Must => 2,
    }
}

/// Every top-level `sekretess` and `täckning` block: (file index, first line, last line, name).
fn blocks(files: &[(String, String)]) -> Vec<(usize, usize, usize, String)> {
    let mut out = Vec::new();
    for (f, (_, text)) in files.iter().enumerate() {
        let lines: Vec<&str> = text.lines().collect();
        for (i, l) in lines.iter().enumerate() {
            let kind = ["sekretess ", "täckning "].into_iter().find(|k| l.starts_with(k));
            let Some(kind) = kind else { continue };
            let name = l[kind.len()..]
                .split_whitespace()
                .next()
                .unwrap_or_default()
                .to_string();
            let end = (i..lines.len()).find(|&j| lines[j] == "}").expect("a block ends");
            out.push((
                f,
                i,
                end,
                format!("{}{name}", kind.trim_end().chars().next().unwrap_or('?')),
            ));
        }
    }
    out
}

#[test]
fn deleting_secrecy_or_coverage_never_makes_an_outcome_more_permissive() {
    let files: Vec<(String, String)> = lagrum_rulesets::FILES
        .iter()
        .map(|(n, t)| (n.to_string(), t.to_string()))
        .collect();
    let base = Engine::from_files(&files).unwrap_or_else(|e| panic!("{}", e.render()));
    let vocabulary = Vocabulary::of(&base);
    let mut rng = Rng::new(0x00de_1e7e);
    let requests: Vec<String> = (0..150).map(|_| vocabulary.request(&mut rng).to_string()).collect();
    let outcomes = |engine: &Engine| -> Vec<Vec<Outcome>> {
        requests
            .iter()
            .map(|r| {
                let case = engine.parse_request(r).unwrap_or_else(|e| panic!("{e}\n{r}"));
                engine.decide(&case).items.iter().map(|i| i.outcome).collect()
            })
            .collect()
    };
    let before = outcomes(&base);
    let (mut rejected, mut compared, mut changed) = (0usize, 0usize, 0usize);
    let all = blocks(&files);
    for (f, start, end, name) in &all {
        let mut variant = files.clone();
        let text: Vec<&str> = files[*f].1.lines().collect();
        variant[*f].1 = [&text[..*start], &text[end + 1..]].concat().join("\n");
        let Ok(engine) = Engine::from_files(&variant) else {
            rejected += 1;
            continue;
        };
        compared += 1;
        for (r, (old, new)) in before.iter().zip(outcomes(&engine)).enumerate() {
            for (o, n) in old.iter().zip(&new) {
                assert!(
                    rank(*n) <= rank(*o),
                    "deleting `{}` turned {o:?} into {n:?} on\n{}",
                    &name[1..],
                    requests[r]
                );
                changed += usize::from(n != o);
            }
        }
    }
    // The property means something only if both kinds were deleted and some coverage
    // deletions changed an outcome (to `manual`).
    let secrecy = all.iter().filter(|b| b.3.starts_with('s')).count();
    assert!(secrecy >= 350, "only {secrecy} secrecy declarations");
    assert!(rejected >= 300, "only {rejected} deletions were caught when building");
    assert!(compared >= 50, "only {compared} deletions compared");
    assert_eq!(rejected + compared, all.len());
    assert!(
        changed > 0,
        "no coverage deletion changed any outcome: the sample misses them"
    );
}
