//! `legal navet` and `legal check --navet` as a user runs them.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failing assertion is their job"
)]

use serde_json::{Value, json};
use std::io::Write;
use std::process::{Command, Output, Stdio};

fn fixture(name: &str) -> String {
    format!("{}/../navet/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))
}

fn legal(args: &[&str], stdin: Option<&str>) -> Output {
    let mut child = Command::new(env!("CARGO_BIN_EXE_legal"))
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .unwrap();
    let mut input = child.stdin.take().unwrap();
    if let Some(text) = stdin {
        input.write_all(text.as_bytes()).unwrap();
    }
    drop(input);
    child.wait_with_output().unwrap()
}

fn text(bytes: &[u8]) -> String {
    String::from_utf8(bytes.to_vec()).unwrap()
}

fn lines(out: &Output) -> Vec<Value> {
    text(&out.stdout)
        .lines()
        .map(|l| serde_json::from_str(l).unwrap())
        .collect()
}

#[test]
fn navet_prints_one_json_line_per_record_of_the_seed() {
    for file in ["seed-all.navet", "seed-all-latin1.navet"] {
        let out = legal(&["navet", &fixture(file)], None);
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let persons = lines(&out);
        assert_eq!(persons.len(), 8);
        assert!(persons.iter().all(|p| p["identity"]["number"] == "193801248471"));
        assert_eq!(persons[3]["sekretessmarkering"], "removed");
        assert_eq!(persons[5]["skyddad_folkbokföring"], "removed");
        assert_eq!(persons[6]["first_name"], "Karim");
        assert_eq!(persons[7]["förmedlingsadress"]["01055"], "GÖTEBORG");
        let stdout = text(&out.stdout);
        assert!(!stdout.contains("PÅ KOMMUNEN SKRIVEN"), "a protected person's address");
        assert!(text(&out.stderr).contains("8 poster lästa, 0 felaktiga"));
    }
}

#[test]
fn navet_masks_for_logs_and_folds_the_state() {
    let out = legal(&["navet", "--mask", "--state", &fixture("seed-all.navet")], None);
    assert_eq!(out.status.code(), Some(0));
    let persons = lines(&out);
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["identity"]["number"], "19380124-****");
    assert_eq!(persons[0]["protected"], true);
    assert!(!text(&out.stdout).contains("8471"));
}

#[test]
fn navet_reports_broken_records_and_goes_on() {
    let input = "#POST_START\n#POST_ID A\n#UP 01001 193801248471\n#UP 02000\n#POST_SLUT\n\
                 #POST_START\n#POST_ID B\n#UP 01001 193801248471\n#UP 01003 J\n#POST_SLUT\n\
                 #POST_START\n#UP 01001 193801248472\n#POST_SLUT\n";
    let out = legal(&["navet", "-"], Some(input));
    assert_eq!(out.status.code(), Some(2));
    let persons = lines(&out);
    assert_eq!(persons.len(), 1);
    assert_eq!(persons[0]["post_id"], "B");
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("rad 5 (post A från rad 1) [19380124-****]: block 02000 stängs inte"),
        "{stderr}"
    );
    assert!(
        stderr.contains("rad 12 (post utan #POST_ID från rad 11): 01001 `19380124-****`"),
        "{stderr}"
    );
    assert!(!stderr.contains("8472"), "{stderr}");
    assert!(stderr.contains("1 poster lästa, 2 felaktiga"), "{stderr}");
    let missing = legal(&["navet", "/nonexistent/file.navet"], None);
    assert_eq!(missing.status.code(), Some(1));
}

fn request(subject: Value) -> String {
    json!({
        "schema": "lagrum.request.v1",
        "id": "navet-1",
        "date": "2026-01-15",
        "sender": { "actor": "SKV", "unit": "folkbokföring", "activity": "folkbokföring" },
        "recipient": { "actor": "KOM", "unit": "socialnämnd" },
        "mode": "request",
        "purposes": ["ärendehandläggning"],
        "items": [
            { "id": "verklig_adress", "category": "bostadsadress", "subject": "p1" },
            { "id": "förmedlingsadress", "category": "förmedlingsadress", "subject": "p1", "identity_number": true }
        ],
        "subjects": [subject]
    })
    .to_string()
}

#[test]
fn check_with_navet_gives_the_protected_person_obligations() {
    let req = request(json!({ "id": "p1", "identity": { "kind": "personnummer", "number": "19380124-8471" } }));
    let out = legal(
        &["check", "-", "--format", "json", "--navet", &fixture("seed-all.navet")],
        Some(&req),
    );
    assert_eq!(
        out.status.code(),
        Some(3),
        "manual (FOL 16 § bars nothing; OSL 22 kap. 2 §): {}",
        text(&out.stderr)
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let obligations: Vec<&str> = doc["items"][1]["obligations"]
        .as_array()
        .unwrap()
        .iter()
        .map(|o| o.as_str().unwrap())
        .collect();
    for o in [
        "post_via_förmedlingsadress",
        "ingen_verklig_adress",
        "markera_skyddad_identitet",
        "identitetsnummer_minimalt",
    ] {
        assert!(obligations.contains(&o), "{o}: {obligations:?}");
    }
    let stderr = text(&out.stderr);
    assert!(
        stderr.contains("navet: subjects[0] (19380124-****): sekretessmarkering, skyddad_folkbokföring"),
        "{stderr}"
    );
    for output in [text(&out.stdout), stderr] {
        assert!(!output.contains("8471"), "{output}");
        assert!(!output.contains("PÅ KOMMUNEN"), "{output}");
    }
    // The text rendering too.
    let out = legal(&["check", "-", "--navet", &fixture("seed-all.navet")], Some(&req));
    assert!(!text(&out.stdout).contains("8471"));
}

#[test]
fn check_with_navet_leaves_unknown_what_the_file_does_not_settle() {
    let req = request(json!({ "id": "p1", "identity": { "kind": "personnummer", "number": "193801248471" } }));
    let out = legal(
        &["check", "-", "--format", "json", "--navet", &fixture("seed-1.navet")],
        Some(&req),
    );
    let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
    let asked: Vec<&str> = doc["questions"]
        .as_array()
        .unwrap()
        .iter()
        .map(|q| q["path"].as_str().unwrap())
        .collect();
    assert!(asked.contains(&"subjects[0].protection"), "{asked:?}");
    assert!(text(&out.stderr).contains("skyddet lämnas okänt"));
}

#[test]
fn check_reports_an_invalid_number_masked() {
    let req = request(json!({ "id": "p1", "identity": { "kind": "personnummer", "number": "193801248472" } }));
    for args in [
        vec!["check", "-"],
        vec!["check", "-", "--navet", &fixture("seed-all.navet")],
    ] {
        let out = legal(&args, Some(&req));
        assert_eq!(out.status.code(), Some(1));
        let stderr = text(&out.stderr);
        assert!(
            stderr.contains("[invalid_identity_number] subjects[0].identity.number: `19380124-****`"),
            "{stderr}"
        );
        assert!(!stderr.contains("8472"), "{stderr}");
    }
    let out = legal(&["check", "-", "--navet", "/nonexistent.navet"], Some(&req));
    assert_eq!(out.status.code(), Some(1));
}

/// Issue 12, finding 1: protection flags inside a `01000`…`01999` block.
const FLAGS_IN_A_BLOCK: &str = "#POST_START\n#POST_ID 193801248471\n#UP 01001 193801248471\n#UP 01000\n\
                                #UP 01003 J\n#UP 01020 J\n#UP 01999\n#UP 02000\n#UP 02001 HEMLIGA GATAN 1\n\
                                #UP 02999\n#POST_SLUT\n";

#[test]
fn flags_inside_a_block_protect_the_person() {
    let out = legal(&["navet", "--total", "-"], Some(FLAGS_IN_A_BLOCK));
    assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
    let persons = lines(&out);
    assert_eq!(persons[0]["protected"], true, "{persons:?}");
    assert_eq!(persons[0]["sekretessmarkering"], "set");
    assert!(!text(&out.stdout).contains("HEMLIGA"), "{}", text(&out.stdout));

    let dir = std::env::temp_dir().join(format!("lagrum-navet-block-{}", std::process::id()));
    std::fs::create_dir_all(&dir).unwrap();
    let file = dir.join("block.navet");
    std::fs::write(&file, FLAGS_IN_A_BLOCK).unwrap();
    let req = json!({
        "schema": "lagrum.request.v1",
        "id": "navet-block",
        "date": "2026-01-15",
        "sender": { "actor": "SKV", "unit": "folkbokföring" },
        "recipient": { "actor": "KOM", "unit": "socialnämnd" },
        "mode": "request",
        "purposes": ["ärendehandläggning"],
        "items": [{ "id": "verklig_adress", "category": "bostadsadress", "subject": "p1" }],
        "subjects": [{ "id": "p1", "identity": { "kind": "personnummer", "number": "193801248471" } }]
    })
    .to_string();
    // The same flags outside the block: the block must decide exactly as they do, and
    // never allow (the reproducer gave `allow`).
    let flat = dir.join("flat.navet");
    std::fs::write(
        &flat,
        "#POST_START\n#UP 01001 193801248471\n#UP 01003 J\n#UP 01020 J\n#POST_SLUT\n",
    )
    .unwrap();
    let check = |navet: &std::path::Path| {
        let out = legal(
            &[
                "check",
                "-",
                "--format",
                "json",
                "--navet",
                navet.to_str().unwrap(),
                "--navet-total",
            ],
            Some(&req),
        );
        let doc: Value = serde_json::from_slice(&out.stdout).unwrap();
        (out, doc["outcome"].clone())
    };
    let (out, outcome) = check(&file);
    let (_, flat_outcome) = check(&flat);
    let _ = std::fs::remove_dir_all(&dir);
    assert_eq!(outcome, flat_outcome, "{}", text(&out.stderr));
    assert!(outcome == "deny" || outcome == "manual", "{outcome}");
    assert!(
        text(&out.stderr).contains("sekretessmarkering, skyddad_folkbokföring"),
        "{}",
        text(&out.stderr)
    );
}

/// Issue 12, finding 2: `--mask` masks numbers wherever they stand, as messages do.
#[test]
fn navet_mask_masks_the_record_id_and_names_too() {
    let input = "#POST_START\n#POST_ID 193801248471\n#UP 01001 193801248471\n#UP 01012 A 198405012389\n\
                 #POST_SLUT\n";
    for args in [vec!["navet", "--mask", "-"], vec!["navet", "--mask", "--state", "-"]] {
        let out = legal(&args, Some(input));
        assert_eq!(out.status.code(), Some(0), "{}", text(&out.stderr));
        let stdout = text(&out.stdout);
        assert!(stdout.contains("19380124-****"), "{stdout}");
        for secret in ["8471", "2389"] {
            assert!(!stdout.contains(secret), "{secret}: {stdout}");
        }
    }
}
