//! Filling request subjects from Navet, and showing persons without what must stay hidden.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failing assertion is their job"
)]

use lagrum_engine::Engine;
use lagrum_engine::request::RequestDoc;
use lagrum_navet::fill::{MarkerCode, SubjectResult, fill_request, marker_codes};
use lagrum_navet::output::{self, View};
use lagrum_navet::{Code, PostKind, Records};

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(format!("{}/tests/fixtures/{name}", env!("CARGO_MANIFEST_DIR"))).unwrap()
}

fn codes() -> Vec<MarkerCode> {
    let engine = Engine::from_files(lagrum_rulesets::FILES).unwrap();
    marker_codes(&engine.vocabulary())
}

fn request(number: &str, protection: Option<&[&str]>) -> RequestDoc {
    let mut subject = serde_json::json!({ "id": "p1", "identity": { "kind": "personnummer", "number": number } });
    if let Some(p) = protection {
        subject["protection"] = serde_json::json!(p);
    }
    serde_json::from_value(serde_json::json!({
        "schema": "lagrum.request.v1",
        "date": "2025-06-01",
        "sender": { "actor": "SKV", "unit": "folkbokföring" },
        "recipient": { "actor": "PMY" },
        "mode": "request",
        "purposes": ["utreda_brott"],
        "items": [{ "id": "adress", "category": "bostadsadress", "subject": "p1" }],
        "subjects": [subject]
    }))
    .unwrap()
}

fn fill(doc: &mut RequestDoc, navet: &[u8], kind: PostKind) -> SubjectResult {
    let report = fill_request(doc, navet, &codes(), kind).unwrap();
    report.subjects.into_iter().next().unwrap().result
}

#[test]
fn the_ruleset_says_which_term_code_is_which_marker() {
    let mut c: Vec<(String, String)> = codes()
        .into_iter()
        .map(|m| (m.code.map(|c| c.to_string()).unwrap_or_default(), m.marker))
        .collect();
    c.sort();
    // Kvarskrivning was shown in the register but has no known Navet code; fingerade
    // personuppgifter are never shown there (`registreras inte`) and are not listed.
    assert_eq!(
        c,
        [
            (String::new(), "kvarskrivning".to_string()),
            ("01003".to_string(), "sekretessmarkering".to_string()),
            ("01020".to_string(), "skyddad_folkbokföring".to_string())
        ]
    );
}

#[test]
fn the_seed_file_makes_the_person_protected_twice_over() {
    let mut doc = request("193801248471", None);
    let result = fill(&mut doc, &fixture("seed-all.navet"), PostKind::Change);
    let both = vec!["sekretessmarkering".to_string(), "skyddad_folkbokföring".to_string()];
    assert_eq!(
        result,
        SubjectResult::Found {
            markers: both.clone(),
            complete: true,
            protection: Some(both.clone())
        }
    );
    assert_eq!(doc.subjects[0].protection, Some(both));
}

#[test]
fn a_change_post_that_leaves_a_marker_out_does_not_settle_it() {
    // Example 1 says nothing about skyddad folkbokföring.
    let mut doc = request("193801248471", None);
    let result = fill(&mut doc, &fixture("seed-1.navet"), PostKind::Change);
    assert!(matches!(
        result,
        SubjectResult::Found {
            complete: false,
            protection: None,
            ..
        }
    ));
    assert_eq!(doc.subjects[0].protection, None, "still unknown: the engine asks");
    // With the request's own (checked) list, the marker is added to it.
    let mut doc = request("193801248471", Some(&[]));
    fill(&mut doc, &fixture("seed-1.navet"), PostKind::Change);
    assert_eq!(doc.subjects[0].protection, Some(vec!["sekretessmarkering".to_string()]));
}

#[test]
fn markers_are_only_ever_added() {
    // Example 4 removes the sekretessmarkering; the request's own marker stays.
    let mut doc = request(
        "193801248471",
        Some(&["sekretessmarkering", "fingerade_personuppgifter"]),
    );
    fill(&mut doc, &fixture("seed-4.navet"), PostKind::Change);
    assert_eq!(
        doc.subjects[0].protection,
        Some(vec![
            "sekretessmarkering".to_string(),
            "fingerade_personuppgifter".to_string()
        ])
    );
}

#[test]
fn a_total_post_without_markers_settles_them_as_absent() {
    let navet = b"#POST_START\n#UP 01001 193801248471\n#UP 01012 Bertil\n#POST_SLUT\n";
    let mut doc = request("193801248471", None);
    assert!(matches!(
        fill(&mut doc, navet, PostKind::Change),
        SubjectResult::Found { complete: false, .. }
    ));
    let mut doc = request("193801248471", None);
    assert!(matches!(
        fill(&mut doc, navet, PostKind::Total),
        SubjectResult::Found { complete: true, .. }
    ));
    assert_eq!(doc.subjects[0].protection, Some(vec![]));
}

#[test]
fn a_broken_record_that_names_nobody_unsettles_everybody() {
    // The person's own record settles both markers as absent; then a record breaks before
    // its 01001 line, so it may have been about anyone, including this person.
    let ok = "#POST_START\n#UP 01001 193801248471\n#UP 01003 $\n#UP 01020 $\n#POST_SLUT\n";
    for broken in [
        "#POST_START\n#UP 1003 J\n#UP 01001 193801248471\n#POST_SLUT\n",
        // A record whose #POST_START was lost: its terms stand outside any record.
        "#UP 01001 193801248471\n#UP 01003 J\n#POST_SLUT\n",
    ] {
        for file in [format!("{ok}{broken}"), format!("{broken}{ok}")] {
            let mut doc = request("193801248471", None);
            let result = fill(&mut doc, file.as_bytes(), PostKind::Change);
            assert!(
                matches!(result, SubjectResult::Found { complete: false, .. }),
                "{file}: {result:?}"
            );
            assert_eq!(doc.subjects[0].protection, None, "{file}");
        }
    }
}

#[test]
fn before_2019_a_total_post_cannot_rule_out_kvarskrivning() {
    // Kvarskrivning was in force until 2018-12-31 and Navet gives no term code for it that
    // the ruleset knows: a file cannot say it was absent, so protection stays unknown.
    let navet = b"#POST_START\n#UP 01001 193801248471\n#UP 01012 Bertil\n#POST_SLUT\n";
    let mut doc = request("193801248471", None);
    doc.date = "2018-06-01".to_string();
    assert!(matches!(
        fill(&mut doc, navet, PostKind::Total),
        SubjectResult::Found {
            complete: false,
            protection: None,
            ..
        }
    ));
    assert_eq!(doc.subjects[0].protection, None);
    // Skyddad folkbokföring set in the file is read as kvarskrivning in 2018, so it settles it.
    let navet = b"#POST_START\n#UP 01001 193801248471\n#UP 01020 J\n#POST_SLUT\n";
    let mut doc = request("193801248471", None);
    doc.date = "2018-06-01".to_string();
    assert!(matches!(
        fill(&mut doc, navet, PostKind::Total),
        SubjectResult::Found { complete: true, .. }
    ));
    assert_eq!(
        doc.subjects[0].protection,
        Some(vec!["skyddad_folkbokföring".to_string()])
    );
    // A marker the file does set is still added to a protection the request states.
    let navet = b"#POST_START\n#UP 01001 193801248471\n#UP 01003 J\n#POST_SLUT\n";
    let mut doc = request("193801248471", Some(&[]));
    doc.date = "2018-06-01".to_string();
    fill(&mut doc, navet, PostKind::Total);
    assert_eq!(doc.subjects[0].protection, Some(vec!["sekretessmarkering".to_string()]));
}

#[test]
fn a_malformed_record_about_the_person_unsettles_what_it_may_have_changed() {
    let mut navet = fixture("seed-all.navet");
    // Remove both markers, then a broken record about the same person.
    navet.extend_from_slice(b"#POST_START\n#UP 01001 193801248471\n#UP 01003 $\n#UP 01020 $\n#POST_SLUT\n");
    let mut doc = request("193801248471", None);
    assert!(matches!(
        fill(&mut doc, &navet, PostKind::Change),
        SubjectResult::Found { complete: true, .. }
    ));
    assert_eq!(doc.subjects[0].protection, Some(vec![]));
    navet.extend_from_slice(b"#POST_START\n#UP 01001 193801248471\n#UP 01020 J\n#UP 02000\n#POST_SLUT\n");
    let mut doc = request("193801248471", None);
    let report = fill_request(&mut doc, &navet[..], &codes(), PostKind::Change).unwrap();
    assert!(matches!(
        report.subjects[0].result,
        SubjectResult::Found {
            complete: false,
            protection: None,
            ..
        }
    ));
    assert_eq!(report.malformed.len(), 1);
    assert_eq!(report.stats.malformed, 1);
}

#[test]
fn short_forms_match_and_unknown_persons_are_left_alone() {
    let mut doc = request("380124-8471", None);
    assert!(matches!(
        fill(&mut doc, &fixture("seed-3.navet"), PostKind::Change),
        SubjectResult::Found { complete: true, .. }
    ));
    let mut doc = request("19121212-1212", Some(&[]));
    assert_eq!(
        fill(&mut doc, &fixture("seed-all.navet"), PostKind::Change),
        SubjectResult::NotFound
    );
    assert_eq!(doc.subjects[0].protection, Some(vec![]));
    let mut doc = request("193801248472", None);
    assert_eq!(
        fill(&mut doc, &fixture("seed-all.navet"), PostKind::Change),
        SubjectResult::InvalidNumber
    );
}

fn json_of_records(name: &str, view: View) -> Vec<String> {
    Records::new(&fixture(name)[..])
        .map(|r| serde_json::to_string(&output::record(&r.unwrap(), &view)).unwrap())
        .collect()
}

#[test]
fn a_protected_persons_address_never_reaches_the_output() {
    for name in ["seed-7.navet", "seed-8.navet"] {
        for kind in [PostKind::Change, PostKind::Total] {
            for mask in [false, true] {
                let line = json_of_records(
                    name,
                    View {
                        mask,
                        kind,
                        ..View::default()
                    },
                )
                .pop()
                .unwrap();
                for secret in [
                    "PÅ KOMMUNEN SKRIVEN",
                    "198405012389",
                    "197701232386",
                    "20021101",
                    "20020202",
                    "NORA",
                ] {
                    assert!(!line.contains(secret), "{name}: {secret} in {line}");
                }
                // The förmedlingsadress is not secret and is what post must use.
                assert!(line.contains("FÖRMEDLINGSUPPDRAG SKATTEVERKET"), "{line}");
                assert!(
                    line.contains(r#""withheld":["01004"#) || line.contains(r#""withheld":["01010"#),
                    "{line}"
                );
                assert!(line.contains(r#""protected":true"#));
            }
        }
    }
}

#[test]
fn an_unprotected_persons_terms_are_shown_unless_masked() {
    let navet = "#POST_START\n#UP 01001 193801248471\n#UP 01025 STORGATAN 1\n#UP 02000\n#UP 02001 198405012389\n#UP 02999\n#POST_SLUT\n";
    let record = Records::new(navet.as_bytes()).next().unwrap().unwrap();
    // As a change post it does not tell whether the person is protected: withheld.
    let change = serde_json::to_value(output::record(&record, &View::default())).unwrap();
    assert_eq!(change["protected"], serde_json::Value::Null);
    assert_eq!(change["withheld"], serde_json::json!(["01025", "02001"]));
    // As a total post it does.
    let total = View {
        mask: false,
        kind: PostKind::Total,
        ..View::default()
    };
    let shown = serde_json::to_value(output::record(&record, &total)).unwrap();
    assert_eq!(shown["protected"], serde_json::json!(false));
    assert_eq!(
        shown["terms"],
        serde_json::json!([{ "code": "01025", "value": "STORGATAN 1" }])
    );
    assert_eq!(shown["blocks"][0]["terms"][0]["value"], "198405012389");
    assert_eq!(shown["identity"]["number"], "193801248471");
    // Masked for logs: no number, no untyped value.
    let masked = serde_json::to_string(&output::record(
        &record,
        &View {
            mask: true,
            ..total.clone()
        },
    ))
    .unwrap();
    assert!(masked.contains("19380124-****"), "{masked}");
    for secret in ["8471", "STORGATAN", "198405012389"] {
        assert!(!masked.contains(secret), "{masked}");
    }
}

#[test]
fn a_protection_code_from_the_ruleset_withholds_the_address_too() {
    // A total post that sets a term the ruleset names as a protection marker, though the
    // format itself knows only 01003 and 01020.
    let navet = "#POST_START\n#UP 01001 193801248471\n#UP 01099 J\n#UP 01025 STORGATAN 1\n#POST_SLUT\n";
    let record = Records::new(navet.as_bytes()).next().unwrap().unwrap();
    let plain = View {
        kind: PostKind::Total,
        ..View::default()
    };
    let with_code = View {
        protection: vec![lagrum_navet::Code::parse("01099").unwrap()],
        ..plain.clone()
    };
    let shown = serde_json::to_string(&output::record(&record, &plain)).unwrap();
    assert!(
        shown.contains("STORGATAN"),
        "the format alone sees no protection: {shown}"
    );
    let kept = serde_json::to_string(&output::record(&record, &with_code)).unwrap();
    assert!(!kept.contains("STORGATAN"), "{kept}");
    assert!(kept.contains(r#""protected":true"#), "{kept}");
}

#[test]
fn the_state_view_folds_the_seed_into_one_person() {
    let mut register = lagrum_navet::Register::all(PostKind::Change);
    register
        .read(&fixture("seed-all.navet")[..], |m| panic!("{m}"))
        .unwrap();
    let view = View {
        mask: true,
        kind: PostKind::Change,
        ..View::default()
    };
    let out = serde_json::to_value(output::state(register.persons()[0], &view)).unwrap();
    assert_eq!(
        out,
        serde_json::json!({
            "identity": { "number": "19380124-****", "kind": "personnummer" },
            "sekretessmarkering": true,
            "skyddad_folkbokföring": true,
            "protected": true,
            "first_name": "Bertil",
            "last_name": "Larsson",
            "förmedlingsadress": {
                "01051": "FÖRMEDLINGSUPPDRAG SKATTEVERKET",
                "01052": "KONTOR 123",
                "01053": "BOX 2820",
                "01054": "40320",
                "01055": "GÖTEBORG"
            },
            "records": 8,
            "last_line": 70
        })
    );
    assert_eq!(Code::FORMEDLINGSADRESS.len(), 5);
}
