//! The jurists' tools on a small purpose-built ruleset (`fixtures/jurist/`): `legal test`
//! with its coverage and exit codes, `legal check --alternatives`, and `legal analyze` with
//! a planted collision, a dead version, a gap and a priority that names nothing.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use serde_json::Value;
use std::path::{Path, PathBuf};
use std::process::{Command, Output};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

const RULES: &str = "cli/tests/fixtures/jurist/rules";
const SCENARIOS: &str = "cli/tests/fixtures/jurist/scenarios";

fn legal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_legal"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run legal")
}

fn stdout(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

#[test]
fn passing_scenarios_exit_zero_and_a_failing_one_says_what_differs() {
    let ok = legal(&["test", "--rulesets", RULES, SCENARIOS]);
    assert_eq!(ok.status.code(), Some(0), "{}", stdout(&ok));
    assert!(stdout(&ok).contains("2 scenarier: 2 gick igenom"));

    let bad = legal(&["test", "--rulesets", RULES, "cli/tests/fixtures/jurist/failing"]);
    assert_eq!(bad.status.code(), Some(2));
    let text = stdout(&bad);
    assert!(text.contains("FEL"), "{text}");
    assert!(text.contains("utfall: väntade must, fick deny"), "{text}");

    let none = legal(&["test", "--rulesets", RULES, "cli/tests/fixtures/jurist/rules"]);
    assert_eq!(none.status.code(), Some(1), "no scenario files is an error");
}

#[test]
fn coverage_names_every_version_condition_and_its_fate() {
    let o = legal(&["test", "--rulesets", RULES, "--coverage", "--format", "json", SCENARIOS]);
    assert_eq!(o.status.code(), Some(0));
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["schema"], "lagrum.test.v1");
    assert_eq!(r["passed"], 2);
    let c = &r["coverage"];
    assert_eq!(c["schema"], "lagrum.coverage.v1");
    let version = |citation: &str, from: &str| -> Value {
        c["versions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|v| v["citation"] == citation && v["from"] == from)
            .cloned()
            .unwrap_or_else(|| panic!("{citation} {from} listed"))
    };
    // The 2020 version of PL 1 § is not in force on the scenarios' date: never reached.
    assert_eq!(version("PL 1 §", "2020-01-01")["status"], "never_reached");
    // The 2023 version applied once and was stopped by its purpose once.
    let v = version("PL 1 §", "2023-01-01");
    assert_eq!(
        (v["status"].as_str(), v["applied"].as_u64()),
        (Some("applied"), Some(1))
    );
    assert_eq!(v["rejected"]["syfte"], 1);
    // The duty is met but its giver never matches.
    assert_eq!(version("PL 2 §", "2020-01-01")["rejected"]["lämnas av"], 2);
    // The bar's condition was seen both true and false.
    let bar = c["conditions"]
        .as_array()
        .unwrap()
        .iter()
        .find(|x| x["citation"] == "PL 3 §")
        .unwrap();
    assert_eq!((bar["true"].as_u64(), bar["false"].as_u64()), (Some(1), Some(1)));
    assert_eq!(c["parts"]["versions_reached"]["points"], 6);
    assert_eq!(c["parts"]["versions_reached"]["hit"], 5);
    // The bar's priority over a bridge no duty goes through never decided anything.
    assert_eq!(c["priorities"][0]["used"], 0);
}

#[test]
fn a_coverage_below_the_threshold_exits_three() {
    let low = legal(&["test", "--rulesets", RULES, "--min-coverage", "90", SCENARIOS]);
    assert_eq!(low.status.code(), Some(3));
    assert!(stdout(&low).contains("lägre än kravet 90.0 %"), "{}", stdout(&low));
    let met = legal(&["test", "--rulesets", RULES, "--min-coverage", "10", SCENARIOS]);
    assert_eq!(met.status.code(), Some(0));
}

#[test]
fn the_projects_own_scenarios_pass_through_legal_test() {
    let o = legal(&["test", "--coverage", "tests/scenarios"]);
    assert_eq!(o.status.code(), Some(0), "{}", stdout(&o));
    assert!(stdout(&o).contains("Täckning:"));
}

#[test]
fn alternatives_name_the_missing_fact_and_the_pair_of_changes() {
    let single = legal(&[
        "check",
        "--rulesets",
        RULES,
        "--alternatives",
        "--format",
        "json",
        "cli/tests/fixtures/jurist/requests/saknat-faktum-2021.json",
    ]);
    assert_eq!(single.status.code(), Some(2), "deny while the fact is missing");
    let doc: Value = serde_json::from_str(&stdout(&single)).unwrap();
    let alts = doc["items"][0]["alternatives"].as_array().unwrap();
    assert_eq!(alts.len(), 1, "{alts:?}");
    assert_eq!(alts[0]["changes"][0]["path"], "facts.allvarligt");
    assert_eq!(alts[0]["changes"][0]["value"], true);
    assert_eq!(
        (alts[0]["outcome"].as_str(), alts[0]["basis"][0].as_str()),
        (Some("allow"), Some("pl_1"))
    );

    // A wrong purpose and the missing fact: no single change is enough, the pair is.
    let pair = legal(&[
        "check",
        "--rulesets",
        RULES,
        "--alternatives",
        "cli/tests/fixtures/jurist/requests/fel-syfte-och-saknat-faktum-2021.json",
    ]);
    let text = stdout(&pair);
    assert!(text.contains("DETTA SKULLE ÄNDRA UTFALLET"), "{text}");
    assert!(
        text.contains("Om syftet i stället var kontroll och om ”saken är allvarlig” är ja: får lämnas enligt PL 1 §."),
        "{text}"
    );
}

fn analyze(args: &[&str]) -> (Option<i32>, Value) {
    let mut all = vec!["analyze", "--rulesets", RULES, "--format", "json"];
    all.extend_from_slice(args);
    let o = legal(&all);
    (
        o.status.code(),
        serde_json::from_str(&stdout(&o)).unwrap_or(Value::Null),
    )
}

#[test]
fn analyze_finds_the_planted_collision_dead_version_gap_and_dangling_priority() {
    let (code, r) = analyze(&[]);
    assert_eq!(code, Some(0));
    assert_eq!(r["schema"], "lagrum.analysis.v1");
    let space = &r["space"];
    assert_eq!(space["sampled"], false, "the small space is searched whole");
    assert_eq!(
        space["flows_searched"], 648,
        "3×3 parties less same-actor pairs, 2 modes, 3 purpose sets (each alone, and the pair a \
         condition tells apart), 2 protections, 3 fact settings, 3 dates"
    );
    // (a) The bar PL 3 § and the duty PL 6 § both decide B → A for `annat`, no priority.
    let conflicts = r["conflicts"].as_array().unwrap();
    let starting = |p: &str| {
        conflicts
            .iter()
            .find(|c| c["text"].as_str().unwrap().starts_with(p))
            .unwrap_or_else(|| panic!("no conflict {p}: {conflicts:?}"))
    };
    let conflict = starting("PL 3 § (från 2020-01-01) och PL 6 §");
    assert_eq!(conflict["examples"][0]["sender"]["actor"], "B");
    // And what only a pair of purposes shows: PL 1 § (both versions) permits A → B for
    // `kontroll`, PL 3 § bars anything for `annat`; a request for both is decided both ways.
    let pair = starting("PL 3 § (från 2020-01-01) och PL 1 § (från 2020-01-01)");
    assert_eq!(
        pair["examples"][0]["purposes"],
        serde_json::json!(["kontroll", "annat"])
    );
    starting("PL 3 § (från 2020-01-01) och PL 1 § (från 2023-01-01)");
    assert_eq!(conflicts.len(), 3, "{conflicts:?}");
    // (b) PL 2 § asks for `allvarligt och inte allvarligt`: it can never apply.
    let never = r["never_applied"].as_array().unwrap();
    assert!(never.contains(&Value::from("PL 2 § (från 2020-01-01)")), "{never:?}");
    assert!(!never.iter().any(|v| v.as_str().unwrap().starts_with("PL 1 §")));
    // (c) PL 1 § has no version in force from 2022-07-01 to 2022-12-31.
    assert_eq!(
        r["gaps"],
        serde_json::json!(["PL 1 §: ingen version i kraft mellan 2022-06-30 och 2023-01-01"])
    );
    // (d) PL 3 § goes before a bridge that no duty breaks secrecy through.
    assert_eq!(
        r["dangling"][0],
        "PL 3 § (från 2020-01-01) går före PL 8 §, som inte kan avgöra något"
    );
}

#[test]
fn an_analyze_question_answers_never_or_with_runnable_requests() {
    // C can never disclose: its duty is dead law and nothing else lets it.
    let (code, r) = analyze(&["--query", "avsändare=C utfall=allow,must"]);
    assert_eq!(code, Some(0));
    assert_eq!(r["queries"][0]["flows"], 0);
    assert!(r["space"]["flows_searched"].as_u64().unwrap() > 0);

    // A → B can be allowed without a balancing test: the examples are requests that say so.
    let (code, r) = analyze(&[
        "--query",
        "avsändare=A mottagare=B utfall=allow prövning=nej",
        "--examples",
        "1",
    ]);
    assert_eq!(code, Some(2));
    let q = &r["queries"][0];
    assert!(q["flows"].as_u64().unwrap() > 0);
    let example = q["examples"][0].to_string();
    let dir = std::env::temp_dir().join(format!("legal-analyze-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("exempel.json");
    std::fs::write(&file, example).unwrap();
    let check = legal(&["check", "--rulesets", RULES, file.to_str().unwrap()]);
    assert_eq!(
        check.status.code(),
        Some(0),
        "the example runs and is allowed: {}",
        stdout(&check)
    );

    let bad = legal(&["analyze", "--rulesets", RULES, "--query", "färg=blå"]);
    assert_eq!(bad.status.code(), Some(1));
    let empty = legal(&["analyze", "--rulesets", RULES, "--query", "avsändare=X"]);
    assert_eq!(empty.status.code(), Some(1), "'never' over no flows would be false");
}

#[test]
fn analyze_runs_on_the_real_rulesets_with_a_sample() {
    let o = legal(&[
        "analyze",
        "--requests",
        "40",
        "--query",
        "skydd=skyddad_folkbokföring utfall=allow,must prövning=nej",
    ]);
    let text = stdout(&o);
    assert!(matches!(o.status.code(), Some(0 | 2)), "{text}");
    assert!(text.contains("ett jämnt spritt urval"), "{text}");
    assert!(text.contains("Fråga: skydd=skyddad_folkbokföring"), "{text}");
    let diff = legal(&["diff", "--from", "2025-11-30", "--to", "2025-12-01", "--requests", "40"]);
    assert!(matches!(diff.status.code(), Some(0 | 2)), "{}", stdout(&diff));
    assert!(stdout(&diff).contains("flöden ändrar utfall"));
}

#[test]
fn diff_between_two_dates_names_the_version_that_ended() {
    let o = legal(&[
        "diff",
        "--rulesets",
        RULES,
        "--from",
        "2022-06-30",
        "--to",
        "2022-07-01",
        "--format",
        "json",
    ]);
    assert_eq!(o.status.code(), Some(2), "flows change");
    let r: Value = serde_json::from_str(&stdout(&o)).unwrap();
    assert_eq!(r["schema"], "lagrum.diff.v1");
    let g = &r["groups"][0];
    assert_eq!(
        (g["provisions"].as_str(), g["from"].as_str(), g["to"].as_str()),
        (Some("PL 1 § (från 2020-01-01)"), Some("allow"), Some("deny"))
    );
    assert_eq!(g["by_sender"]["A"], g["flows"]);
    let same = legal(&[
        "diff",
        "--rulesets",
        RULES,
        "--from",
        "2023-01-01",
        "--to",
        "2024-01-01",
    ]);
    assert_eq!(same.status.code(), Some(0), "{}", stdout(&same));
}

#[test]
fn diff_between_two_rulesets_shows_the_priority_that_resolved_the_collision() {
    let o = legal(&[
        "diff",
        "--old",
        RULES,
        "--new",
        "cli/tests/fixtures/jurist/rules-ny",
        "--format",
        "csv",
    ]);
    assert_eq!(o.status.code(), Some(2));
    let csv = stdout(&o);
    assert!(csv.starts_with("provisions,from,to,dimension,value,flows\n"), "{csv}");
    // 18 flows with one purpose at a time, and 18 more with both purposes (the pair the
    // fixture's condition tells apart).
    assert!(csv.contains(",manual,must,sender,\"B\",36\n"), "{csv}");
    let text = stdout(&legal(&[
        "diff",
        "--old",
        RULES,
        "--new",
        "cli/tests/fixtures/jurist/rules-ny",
    ]));
    assert!(text.contains("öppnade 36 flöden (manual → must)"), "{text}");
}
