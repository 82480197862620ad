//! The `legal` binary as a user meets it: exit codes, formats, stdin, errors.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn legal(args: &[&str]) -> Output {
    Command::new(env!("CARGO_BIN_EXE_legal"))
        .args(args)
        .current_dir(root())
        .output()
        .expect("run legal")
}

fn example(name: &str) -> String {
    format!("examples/requests/{name}")
}

fn temp_dir(name: &str) -> PathBuf {
    let dir = std::env::temp_dir().join(format!("legal-{name}-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    dir
}

#[test]
fn exit_codes_follow_the_outcome() {
    let cases = [
        ("luffa-skv-till-fk.json", 0, "SKA LÄMNAS"),
        ("begånget-brott-får-lämnas.json", 0, "FÅR LÄMNAS"),
        ("vard-eget-initiativ-nekas.json", 2, "FÅR INTE LÄMNAS"),
        ("ung-risk-provning.json", 3, "KRÄVER PRÖVNING"),
    ];
    for (file, code, heading) in cases {
        let out = legal(&["check", &example(file)]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(out.status.code(), Some(code), "{file}: {text}");
        assert!(text.contains(&format!("BESLUT: {heading}")), "{file}: {text}");
    }
}

#[test]
fn json_output_is_a_decision_document() {
    let out = legal(&["check", &example("sekretessmarkering.json"), "--format", "json"]);
    assert_eq!(out.status.code(), Some(3));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(doc["schema"], "lagrum.decision.v2");
    assert_eq!(doc["outcome"], "manual");
    assert!(
        doc["ruleset"]["hash"]
            .as_str()
            .is_some_and(|h| h.starts_with("sha256:"))
    );
    // The proof is records; sentences only with --sentences; the old document on request.
    assert!(doc["items"][0]["proof"][0]["text"].is_null());
    let out = legal(&[
        "check",
        &example("sekretessmarkering.json"),
        "--format",
        "json",
        "--sentences",
    ]);
    let said: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert!(
        said["items"][0]["proof"][0]["text"]
            .as_str()
            .is_some_and(|t| !t.is_empty())
    );
    let out = legal(&["check", &example("sekretessmarkering.json"), "--format", "json-v1"]);
    let old: serde_json::Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(old["schema"], "lagrum.decision.v1");
    assert!(out.stdout.len() > 10 * serde_json::to_vec(&doc).expect("json").len());
}

#[test]
fn reads_the_request_from_stdin() {
    let text = std::fs::read_to_string(root().join(example("lub4-kontaktuppgifter.json"))).unwrap();
    let mut child = Command::new(env!("CARGO_BIN_EXE_legal"))
        .args(["check", "-", "--format", "json"])
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .spawn()
        .unwrap();
    child.stdin.take().unwrap().write_all(text.as_bytes()).unwrap();
    let out = child.wait_with_output().unwrap();
    assert_eq!(out.status.code(), Some(0));
    let doc: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(doc["outcome"], "must");
}

#[test]
fn a_bad_request_is_an_error_naming_the_path() {
    let path = temp_dir("bad").join("bad.json");
    let text = std::fs::read_to_string(root().join(example("lub4-kontaktuppgifter.json")))
        .unwrap()
        .replace("\"TRV\"", "\"TRAFIKVERKET\"");
    std::fs::write(&path, text).unwrap();
    let out = legal(&["check", path.to_str().unwrap()]);
    assert_eq!(out.status.code(), Some(1));
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(err.contains("sender.actor") && err.contains("unknown_actor"), "{err}");
}

#[test]
fn the_pre_assessment_example_loads_with_with() {
    let req = example("förhandsbedömning-fk-kfm.json");
    assert_eq!(legal(&["check", &req]).status.code(), Some(3));
    let out = legal(&["check", &req, "--with", "examples/forhandsbedomningar/exempel.lagrum"]);
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stdout));
}

#[test]
fn validate_accepts_the_rulesets_and_reports_every_error_of_a_broken_one() {
    let ok = legal(&["validate", "rulesets"]);
    assert_eq!(ok.status.code(), Some(0), "{}", String::from_utf8_lossy(&ok.stdout));

    let dir = temp_dir("broken");
    for entry in std::fs::read_dir(root().join("rulesets")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "lagrum") {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    let lub = std::fs::read_to_string(dir.join("lub.lagrum")).unwrap();
    let broken = lub
        .replace("lämnas av lub_5_myndigheter", "lämnas av lub_5_myndigheterna")
        .replace(
            "version \"SFS 2025:170\" från 2025-04-01 {\n    lämnas av { KOM, REG }",
            "version \"SFS 2025:170\" från 2025-04-31 {\n    lämnas av { KOM, REG }",
        );
    assert_ne!(broken, lub);
    std::fs::write(dir.join("lub.lagrum"), broken).unwrap();
    let out = legal(&["validate", dir.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(1), "{text}");
    assert!(text.contains("okänt namn `lub_5_myndigheterna`"), "{text}");
    assert!(text.contains("menade du `lub_5_myndigheter`?"), "{text}");
    assert!(text.contains("`2025-04-31` är ingen dag som finns"), "{text}");
    assert!(text.contains("lub.lagrum:"), "{text}");
    assert!(text.contains("2 fel"), "{text}");

    // The same, for machines: every error located, errors before warnings.
    let out = legal(&["validate", dir.to_str().unwrap(), "--format", "json"]);
    assert_eq!(out.status.code(), Some(1));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(report["ok"], false);
    let diags = report["diagnostics"].as_array().unwrap();
    let errors: Vec<&serde_json::Value> = diags.iter().filter(|d| d["severity"] == "error").collect();
    assert_eq!(errors.len(), 2, "{report:#}");
    assert!(diags.iter().take(2).all(|d| d["severity"] == "error"), "{report:#}");
    for e in errors {
        assert!(e["file"].as_str().unwrap().ends_with("lub.lagrum"), "{e}");
        assert!(
            e["line"].as_u64().unwrap() > 0 && e["column"].as_u64().unwrap() > 0,
            "{e}"
        );
    }
    let suggestion = diags
        .iter()
        .find(|d| d["message"].as_str().unwrap().contains("lub_5_myndigheterna"));
    assert!(suggestion.is_some(), "{report:#}");

    let ok = legal(&["validate", "--format", "json"]);
    assert_eq!(ok.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&ok.stdout).unwrap();
    assert_eq!(report["ok"], true);
    assert!(report["ruleset"]["hash"].as_str().unwrap().starts_with("sha256:"));
}

#[test]
fn validate_kontroll_lists_unchecked_and_outdated_versions() {
    let dir = temp_dir("kontroll");
    std::fs::write(
        dir.join("t.lagrum"),
        r#"regelverk "t" { version "1" }
lag L "lag" { sfs 2000:1 }
bestämmelse a = L 1 § {
  version "SFS 2010:5" från 2010-01-01 till 2019-12-31 { kontrollerad mot "SFS 2009:9" 2026-01-01 }
  version "SFS 2020:7" från 2020-01-01 { kontrollerad mot "SFS 2020:7" 2026-01-01 }
}
bestämmelse b = L 2 § { version "SFS 2000:1" från 2000-01-01 { } }
"#,
    )
    .unwrap();
    let out = legal(&["validate", dir.to_str().unwrap(), "--kontroll"]);
    let text = String::from_utf8_lossy(&out.stdout);
    assert_eq!(out.status.code(), Some(0), "{text}");
    assert!(
        text.contains("Aldrig kontrollerade (1):\n  L 2 § (b), version SFS 2000:1 från 2000-01-01"),
        "{text}"
    );
    assert!(
        text.contains("L 1 § (a), version SFS 2010:5 från 2010-01-01 till 2019-12-31: kontrollerad mot SFS 2009:9 2026-01-01, men versionens egen lydelse är SFS 2010:5"),
        "{text}"
    );
    assert!(
        text.contains("3 versioner, 2 kontrollerade, 1 aldrig kontrollerade, 1 kontrollerade mot en äldre text"),
        "{text}"
    );

    let out = legal(&["validate", dir.to_str().unwrap(), "--kontroll", "--format", "json"]);
    assert_eq!(out.status.code(), Some(0));
    let report: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
    let k = &report["kontroll"];
    assert_eq!((k["versions"].as_u64(), k["checked"].as_u64()), (Some(3), Some(2)));
    assert_eq!(k["never_checked"][0]["provision"], "b");
    assert_eq!(k["outdated"][0]["reason"], "older_than_version");
    assert_eq!(k["outdated"][0]["newer"], "SFS 2010:5");
    assert_eq!(k["outdated"][0]["checked_against"], "SFS 2009:9");
    assert!(k["outdated"][0]["file"].as_str().unwrap().ends_with("t.lagrum"));
    assert_eq!(k["outdated"][0]["line"], 4);
}

#[test]
fn schemas_are_json_schemas() {
    for (which, title) in [
        ("request", "lagrum.request.v2"),
        ("decision", "lagrum.decision.v2"),
        ("decision-v1", "lagrum.decision.v1"),
    ] {
        let out = legal(&["schema", which]);
        assert_eq!(out.status.code(), Some(0));
        let schema: serde_json::Value = serde_json::from_slice(&out.stdout).unwrap();
        assert_eq!(schema["title"], title);
    }
}

#[test]
fn help_documents_the_exit_codes() {
    let out = legal(&["check", "--help"]);
    let text = String::from_utf8_lossy(&out.stdout);
    for line in [
        "0  uppgifterna får eller ska lämnas",
        "2  uppgifterna får inte lämnas",
        "3  saken kräver prövning",
        "1  fel",
    ] {
        assert!(text.contains(line), "{text}");
    }
}

#[test]
fn a_usage_error_is_exit_1_never_the_deny_code() {
    for args in [
        &["check", "--no-such-option", "x.json"][..],
        &["check", "--batch", "--navet", "n.navet", "x.ndjson"][..],
        &["check", "--batch", "--format", "text", "x.ndjson"][..],
        &["no-such-command"][..],
    ] {
        let out = legal(args);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{args:?}: {}",
            String::from_utf8_lossy(&out.stderr)
        );
    }
    assert_eq!(legal(&["--help"]).status.code(), Some(0));
    assert_eq!(legal(&["--version"]).status.code(), Some(0));
}

/// Issue 12, finding 3: a condition nested thousands of levels deep is a located error for
/// `validate` and `fmt`, never a stack overflow.
#[test]
fn deep_nesting_is_a_located_error() {
    let dir = temp_dir("deep");
    for entry in std::fs::read_dir(root().join("rulesets")).unwrap().flatten() {
        if entry.path().extension().is_some_and(|e| e == "lagrum") {
            std::fs::copy(entry.path(), dir.join(entry.file_name())).unwrap();
        }
    }
    for (open, close) in [("(", ")"), ("inte ", "")] {
        let deep = format!(
            "bestämmelse djup = OSL 10 kap. 27 § {{\n  version \"SFS 2009:400\" från 2010-01-01 {{\n    när {}brott_begånget = ja{}\n  }}\n}}\n",
            open.repeat(5_000),
            close.repeat(5_000)
        );
        let file = dir.join("djup.lagrum");
        std::fs::write(&file, &deep).unwrap();
        let out = legal(&["validate", dir.to_str().unwrap()]);
        let text = String::from_utf8_lossy(&out.stdout);
        assert_eq!(
            out.status.code(),
            Some(1),
            "{text}{}",
            String::from_utf8_lossy(&out.stderr)
        );
        assert!(text.contains("för djup nästling"), "{text}");
        assert!(text.contains("djup.lagrum:3:"), "{text}");
        let out = legal(&["fmt", "--check", file.to_str().unwrap()]);
        let text = format!(
            "{}{}",
            String::from_utf8_lossy(&out.stdout),
            String::from_utf8_lossy(&out.stderr)
        );
        assert_eq!(out.status.code(), Some(1), "{text}");
        assert!(text.contains("för djup nästling"), "{text}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}

/// Issue 12: `legal log verify` on a log `legal check --batch --log` wrote, and on a copy
/// with a record removed; `legal replay` refuses the broken copy.
#[test]
fn log_verify_finds_a_removed_record_and_replay_refuses_it() {
    let dir = temp_dir("logg");
    let requests = dir.join("begäran.ndjson");
    let one = std::fs::read_to_string(root().join(example("luffa-skv-till-fk.json"))).unwrap();
    let one: serde_json::Value = serde_json::from_str(&one).unwrap();
    std::fs::write(&requests, format!("{one}\n{one}\n{one}\n")).unwrap();
    let log = dir.join("beslut.log");
    let out = Command::new(env!("CARGO_BIN_EXE_legal"))
        .args([
            "check",
            "--batch",
            requests.to_str().unwrap(),
            "--log",
            log.to_str().unwrap(),
        ])
        .env(
            "LAGRUM_AUDIT_KEY",
            "an audit key of at least thirty-two bytes, for tests",
        )
        .current_dir(root())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(0), "{}", String::from_utf8_lossy(&out.stderr));

    let ok = legal(&["log", "verify", log.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&ok.stdout).to_string();
    assert_eq!(ok.status.code(), Some(0), "{text}");
    assert!(text.starts_with("OK: 3 poster, kedjan obruten"), "{text}");
    let last = text
        .lines()
        .find_map(|l| l.strip_prefix("sista hash: "))
        .unwrap()
        .to_string();
    let anchored = legal(&["log", "verify", log.to_str().unwrap(), "--ankare", &last]);
    assert_eq!(anchored.status.code(), Some(0));

    let lines: Vec<String> = std::fs::read_to_string(&log)
        .unwrap()
        .lines()
        .map(String::from)
        .collect();
    let tampered = dir.join("ändrad.log");
    std::fs::write(&tampered, format!("{}\n{}\n", lines[0], lines[2])).unwrap();
    let bad = legal(&["log", "verify", tampered.to_str().unwrap()]);
    let text = String::from_utf8_lossy(&bad.stdout).to_string();
    assert_eq!(bad.status.code(), Some(2), "{text}");
    assert!(text.starts_with("BRUTEN vid rad 2"), "{text}");

    let cut = dir.join("kortad.log");
    std::fs::write(&cut, format!("{}\n{}\n", lines[0], lines[1])).unwrap();
    let short = legal(&["log", "verify", cut.to_str().unwrap(), "--ankare", &last]);
    assert_eq!(
        short.status.code(),
        Some(2),
        "{}",
        String::from_utf8_lossy(&short.stdout)
    );

    let replay = legal(&["replay", tampered.to_str().unwrap()]);
    let err = String::from_utf8_lossy(&replay.stderr).to_string();
    assert_eq!(replay.status.code(), Some(1), "{err}");
    assert!(err.contains("beslutsloggens kedja: BRUTEN vid rad 2"), "{err}");
    let replay = legal(&["replay", log.to_str().unwrap()]);
    assert_eq!(
        replay.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&replay.stderr)
    );
    let _ = std::fs::remove_dir_all(&dir);
}

/// A reader that goes away (`legal validate | head -1`) ends the command with 141, as it
/// ends any Unix tool; before, `println!` panicked with "failed printing to stdout".
#[test]
fn a_closed_pipe_ends_the_command_quietly() {
    for args in [
        &["validate"][..],
        &["schema", "decision"][..],
        &["check", "examples/requests/luffa-skv-till-fk.json"][..],
    ] {
        // The reading end is closed before the command starts, so its first write finds no
        // reader whatever the timing (a pipe closed after spawning races a fast command).
        let (reader, writer) = std::io::pipe().expect("pipe");
        drop(reader);
        let out = Command::new(env!("CARGO_BIN_EXE_legal"))
            .args(args)
            .current_dir(root())
            .stdout(writer)
            .stderr(Stdio::piped())
            .output()
            .expect("run legal");
        let stderr = String::from_utf8_lossy(&out.stderr);
        assert!(!stderr.contains("panicked"), "{args:?}: {stderr}");
        assert_eq!(out.status.code(), Some(141), "{args:?}: {stderr}");
    }
}
