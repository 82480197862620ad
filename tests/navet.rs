//! People in the data, end to end: the brief's scenarios on protection and identity numbers
//! with their subjects filled from Navet files; identity numbers in requests; DSL 3 kap. 10 §
//! and the osäker identity level; and the property that a protection marker never makes a
//! decision more permissive.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failing assertion is their job"
)]

use lagrum_engine::Engine;
use lagrum_engine::render::json::DecisionDoc;
use lagrum_engine::request::RequestDoc;
use lagrum_navet::PostKind;
use lagrum_navet::fill::{fill_request, marker_codes};
use lagrum_tests::{Scenario, compare};
use proptest::prelude::*;
use serde::Deserialize;
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::path::{Path, PathBuf};
use std::sync::OnceLock;

fn engine() -> &'static Engine {
    static ENGINE: OnceLock<Engine> = OnceLock::new();
    ENGINE.get_or_init(|| Engine::from_files(lagrum_rulesets::FILES).unwrap())
}

fn dir() -> PathBuf {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
}

#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct NavetCase {
    scenario: String,
    navet: String,
    posts: String,
    subjects: BTreeMap<String, String>,
    /// Each subject's protection after filling; `null`: the file cannot settle it.
    protection: BTreeMap<String, Option<Vec<String>>>,
    /// What to expect instead of the scenario's own expectation, when filling from the file
    /// leaves less known than the scenario states.
    #[serde(default)]
    expect: Option<lagrum_tests::Expect>,
    #[serde(default)]
    note: Option<String>,
}

fn cases() -> Vec<NavetCase> {
    let text = std::fs::read_to_string(dir().join("navet/cases.json")).unwrap();
    serde_json::from_str(&text).unwrap()
}

fn scenario(name: &str) -> Scenario {
    let text = std::fs::read_to_string(dir().join("scenarios").join(name)).unwrap();
    serde_json::from_str(&text).unwrap()
}

/// The scenario's request with the given numbers and without its own `protection`.
fn request_for_navet(scenario: &Scenario, numbers: &BTreeMap<String, String>) -> Value {
    let mut request = scenario.request.clone();
    for subject in request["subjects"].as_array_mut().unwrap() {
        let id = subject["id"].as_str().unwrap().to_string();
        let Some(number) = numbers.get(&id) else { continue };
        let subject = subject.as_object_mut().unwrap();
        subject.remove("protection");
        match subject.get_mut("identity") {
            Some(identity) => identity["number"] = json!(number),
            None => {
                subject.insert("identity".into(), json!({ "kind": "personnummer", "number": number }));
            }
        }
    }
    request
}

fn decide(doc: &RequestDoc) -> DecisionDoc {
    let case = engine().validate_request(doc).unwrap();
    let decision = engine().decide(&case);
    engine().document(&case, &decision)
}

#[test]
fn the_protection_scenarios_pass_with_subjects_from_navet() {
    let codes = marker_codes(&engine().vocabulary());
    let cases = cases();
    assert_eq!(cases.len(), 5);
    let mut failures = Vec::new();
    for case in cases {
        let scenario = scenario(&case.scenario);
        let request = request_for_navet(&scenario, &case.subjects);
        let mut doc: RequestDoc = serde_json::from_value(request.clone()).unwrap();
        let kind = match case.posts.as_str() {
            "change" => PostKind::Change,
            "total" => PostKind::Total,
            other => panic!("posts: {other}"),
        };
        let file = std::fs::File::open(dir().join("navet").join(&case.navet)).unwrap();
        let report = fill_request(&mut doc, std::io::BufReader::new(file), &codes, kind).unwrap();
        for subject in &doc.subjects {
            if let Some(want) = case.protection.get(&subject.id) {
                assert_eq!(&subject.protection, want, "{}: {}", case.scenario, subject.id);
            }
        }
        let out = decide(&doc);
        let diffs = compare(case.expect.as_ref().unwrap_or(&scenario.expect), &out);
        if !diffs.is_empty() {
            failures.push(format!(
                "{} via {}{}:\n  - {}",
                case.scenario,
                case.navet,
                case.note.as_deref().map(|n| format!(" ({n})")).unwrap_or_default(),
                diffs.join("\n  - ")
            ));
        }
        // Nothing the file holds about the person reaches the decision: not the number, not
        // the address.
        let json = serde_json::to_string(&out).unwrap();
        let text = lagrum_engine::render::text::render(&out);
        for number in case.subjects.values() {
            let digits: String = number.chars().filter(char::is_ascii_digit).collect();
            let tail = &digits[digits.len() - 4..];
            assert!(
                !json.contains(tail) && !text.contains(tail),
                "{}: number in output",
                case.scenario
            );
        }
        for secret in ["PÅ KOMMUNEN", "STORGATAN", "ÅSVÄGEN", "Öberg", "Lindqvist"] {
            assert!(
                !json.contains(secret) && !text.contains(secret),
                "{}: {secret}",
                case.scenario
            );
        }
        // Without the file, a protected person's protection is unknown and the scenario
        // does not come out as expected: the markers came from the file.
        let unfilled: RequestDoc = serde_json::from_value(request).unwrap();
        let without = decide(&unfilled);
        if case
            .protection
            .values()
            .any(|p| p.as_ref().is_some_and(|p| !p.is_empty()))
        {
            assert!(
                !compare(&scenario.expect, &without).is_empty(),
                "{}: the Navet file made no difference",
                case.scenario
            );
        }
        assert_eq!(report.stats.malformed, usize::from(case.navet == "s35.navet"));
    }
    assert!(failures.is_empty(), "{}", failures.join("\n"));
}

fn base_request() -> Value {
    scenario("s35-fk-skv-personnummer.json").request
}

fn check(request: &Value) -> Result<DecisionDoc, lagrum_engine::RequestError> {
    engine().check_json(&request.to_string())
}

#[test]
fn identity_numbers_in_requests_are_validated_and_errors_masked() {
    let mut r = base_request();
    r["subjects"][0]["identity"]["number"] = json!("199207039126");
    let e = check(&r).unwrap_err();
    assert_eq!(
        (e.code(), e.path()),
        ("invalid_identity_number", "subjects[0].identity.number")
    );
    let message = e.to_string();
    assert!(
        message.contains("19920703-****") && message.contains("kontrollsiffran"),
        "{message}"
    );
    assert!(!message.contains("9126"), "{message}");

    // A samordningsnummer given as personnummer.
    r["subjects"][0]["identity"]["number"] = json!("199002845551");
    let e = check(&r).unwrap_err();
    assert_eq!(e.code(), "invalid_identity_number");
    assert!(
        e.to_string()
            .contains("är ett samordningsnummer, inte ett personnummer"),
        "{e}"
    );
    assert!(!e.to_string().contains("5551"));

    // A level is only for samordningsnummer.
    r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "level": "styrkt", "number": "199207039125" });
    assert_eq!(check(&r).unwrap_err().code(), "level_without_coordination_number");

    // A number given as a JSON number: serde's message would echo it.
    r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "number": 199207039125u64 });
    let e = check(&r).unwrap_err();
    assert_eq!(e.code(), "invalid_shape");
    assert!(!e.to_string().contains("9125"), "{e}");
    assert!(e.to_string().contains("19920703-****"), "{e}");

    // The 10-digit forms; `+` counts from the decision date.
    for number in ["920703-9125", "9207039125", "19920703-9125"] {
        r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "number": number });
        let case = engine().parse_request(&r.to_string()).unwrap();
        assert_eq!(
            case.subjects[0].id_number.map(|n| n.digits().to_string()).as_deref(),
            Some("199207039125"),
            "{number}"
        );
    }
    let case = engine().parse_request(&r.to_string()).unwrap();
    let debug = format!("{case:?}");
    assert!(
        debug.contains("19920703-****") && !debug.contains("9125"),
        "a debug print of a case is masked"
    );
    r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "number": "121212+1212" });
    let case = engine().parse_request(&r.to_string()).unwrap();
    assert_eq!(
        case.subjects[0].id_number.map(|n| n.digits().to_string()).as_deref(),
        Some("191212121212")
    );
    // The same person cannot be written with `-` as of 2024: that would be a birth in 2012
    // with the same digits, which is a different (valid) number.
    r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "number": "121212-1212" });
    let case = engine().parse_request(&r.to_string()).unwrap();
    assert_eq!(
        case.subjects[0].id_number.map(|n| n.digits().to_string()).as_deref(),
        Some("201212121212")
    );
    // A birth date after the decision date.
    r["subjects"][0]["identity"] = json!({ "kind": "personnummer", "number": "20251212-1217" });
    let e = check(&r).unwrap_err();
    assert!(e.to_string().contains("födelsedatumet ligger efter 2024-09-02"), "{e}");
}

fn item_obligations(doc: &DecisionDoc, item: &str) -> Vec<String> {
    let item = doc.items.iter().find(|i| i.id == item).unwrap();
    item.obligations.iter().map(|o| o.id.clone()).collect()
}

fn data_protection(doc: &DecisionDoc, item: &str) -> Vec<(String, Value)> {
    let item = doc.items.iter().find(|i| i.id == item).unwrap();
    item.data_protection
        .iter()
        .map(|d| {
            (
                d.provision.citation.to_string(),
                serde_json::to_value(d.verdict).unwrap(),
            )
        })
        .collect()
}

#[test]
fn dsl_3_10_applies_to_every_item_with_an_identity_number() {
    let mut r = base_request();
    r["subjects"][0]["identity"]["number"] = json!("199207039125");
    r["items"] = json!([
        { "id": "med", "category": "ärendeuppgift", "subject": "p1", "identity_number": true },
        { "id": "utan", "category": "ärendeuppgift", "subject": "p1" },
        { "id": "anonym", "category": "ärendeuppgift", "identity_number": true }
    ]);
    let doc = check(&r).unwrap();
    assert_eq!(
        data_protection(&doc, "med"),
        [("DSL 3 kap. 10 §".to_string(), json!("permitted"))]
    );
    assert!(item_obligations(&doc, "med").contains(&"identitetsnummer_minimalt".to_string()));
    assert!(data_protection(&doc, "utan").is_empty());
    assert!(!item_obligations(&doc, "utan").contains(&"identitetsnummer_minimalt".to_string()));
    // An identity number for no named person is not permitted: omit or pseudonymise it.
    assert_eq!(
        data_protection(&doc, "anonym"),
        [("DSL 3 kap. 10 §".to_string(), json!("omit"))]
    );

    // For statistics the number is never needed.
    let mut stat = r.clone();
    stat["recipient"] = json!({ "actor": "SCB" });
    stat["purposes"] = json!(["statistik"]);
    let doc = check(&stat).unwrap();
    assert_eq!(
        data_protection(&doc, "med"),
        [("DSL 3 kap. 10 §".to_string(), json!("omit"))]
    );
}

#[test]
fn an_uncertain_coordination_number_must_not_be_matched_automatically() {
    let base = scenario("s37-mig-fk-samordningsnummer-osaker.json").request;
    let with_level = |level: Option<&str>, date: &str, carries: bool| {
        let mut r = base.clone();
        r["date"] = json!(date);
        r["items"][0]["identity_number"] = json!(carries);
        r["subjects"][0]["identity"] = match level {
            Some(l) => json!({ "kind": "samordningsnummer", "level": l, "number": "199002845551" }),
            None => json!({ "kind": "samordningsnummer", "number": "199002845551" }),
        };
        item_obligations(&check(&r).unwrap(), "ärende")
    };
    let rule = "ingen_automatisk_matchning".to_string();
    assert!(with_level(Some("osäker"), "2024-02-01", true).contains(&rule));
    assert!(
        !with_level(Some("osäker"), "2024-02-01", false).contains(&rule),
        "only items that carry the number"
    );
    assert!(!with_level(Some("sannolik"), "2024-02-01", true).contains(&rule));
    assert!(!with_level(Some("styrkt"), "2024-02-01", true).contains(&rule));
    assert!(!with_level(None, "2024-02-01", true).contains(&rule));
    // Identity levels exist from 2023-09-01 (lag 2022:1697); the obligation follows its
    // provision's date, which is in the ruleset.
    assert!(!with_level(Some("osäker"), "2023-06-01", true).contains(&rule));
}

#[test]
fn check_with_navet_gives_the_protected_person_obligations() {
    // The seed's person, both markers set by the end of the file.
    let codes = marker_codes(&engine().vocabulary());
    let mut request = scenario("s32-skv-kom-skyddad-folkbokforing.json").request;
    request["subjects"] = json!([{ "id": "p1", "identity": { "kind": "personnummer", "number": "193801248471" } }]);
    let mut doc: RequestDoc = serde_json::from_value(request).unwrap();
    let seed = Path::new(env!("CARGO_MANIFEST_DIR")).join("../navet/tests/fixtures/seed-all.navet");
    let file = std::io::BufReader::new(std::fs::File::open(seed).unwrap());
    fill_request(&mut doc, file, &codes, PostKind::Change).unwrap();
    let out = decide(&doc);
    let obligations = item_obligations(&out, "förmedlingsadress");
    for o in [
        "post_via_förmedlingsadress",
        "ingen_verklig_adress",
        "markera_skyddad_identitet",
    ] {
        assert!(obligations.contains(&o.to_string()), "{o}: {obligations:?}");
    }
    assert_eq!(serde_json::to_value(out.items[0].outcome).unwrap(), json!("manual"));
}

// ---------------------------------------------------------------- monotonicity

/// Picks from the numbers a generator drew.
struct Draw(Vec<u32>, usize);

impl Draw {
    fn next(&mut self, n: usize) -> usize {
        let v = self.0.get(self.1 % self.0.len()).copied().unwrap_or(0);
        self.1 += 1;
        if n == 0 { 0 } else { v as usize % n }
    }

    fn pick<'a, T>(&mut self, items: &'a [T]) -> &'a T {
        &items[self.next(items.len())]
    }
}

/// A request over the real ruleset's vocabulary, built from random numbers.
fn random_request(draw: &mut Draw) -> Value {
    let v = engine().vocabulary();
    let party = |draw: &mut Draw| {
        let a = draw.pick(&v.actors);
        let mut p = json!({ "actor": a.id });
        if !a.units.is_empty() && draw.next(3) > 0 {
            p["unit"] = json!(draw.pick(&a.units).id);
        }
        p
    };
    let sender = party(draw);
    let recipient = party(draw);
    let dates = [
        "2018-11-01",
        "2019-06-01",
        "2023-06-01",
        "2024-02-01",
        "2025-06-01",
        "2026-01-15",
    ];
    let purposes: Vec<&str> = (0..1 + draw.next(2))
        .map(|_| draw.pick(&v.purposes).id.as_str())
        .collect();
    let items: Vec<Value> = (0..1 + draw.next(3))
        .map(|i| {
            json!({
                "id": format!("u{i}"),
                "category": draw.pick(&v.categories).id,
                "subject": "p1",
                "identity_number": draw.next(2) == 0,
            })
        })
        .collect();
    let markers: Vec<&str> = v
        .markers
        .iter()
        .filter(|_| draw.next(4) == 0)
        .map(|m| m.id.as_str())
        .collect();
    let mut subject = json!({ "id": "p1", "protection": markers });
    if draw.next(2) == 0 {
        subject["age"] = json!(draw.next(90));
    }
    subject["identity"] = match draw.next(4) {
        0 => json!({ "kind": "personnummer" }),
        1 => json!({ "kind": "samordningsnummer", "level": *draw.pick(&["styrkt", "sannolik", "osäker"]) }),
        _ => Value::Null,
    };
    if subject["identity"].is_null() {
        subject.as_object_mut().unwrap().remove("identity");
    }
    let mut facts = serde_json::Map::new();
    let mut person_facts = serde_json::Map::new();
    for f in &v.facts {
        if draw.next(3) == 0 {
            continue;
        }
        let value = match f.kind {
            lagrum_engine::catalog::FactKind::YesNo => json!(draw.next(2) == 0),
            lagrum_engine::catalog::FactKind::Number => json!(draw.next(30)),
            lagrum_engine::catalog::FactKind::Choice => json!(draw.pick(&f.choices)),
        };
        if f.about_person {
            person_facts.insert(f.id.clone(), value);
        } else {
            facts.insert(f.id.clone(), value);
        }
    }
    subject["facts"] = Value::Object(person_facts);
    json!({
        "schema": "lagrum.request.v1",
        "date": *draw.pick(&dates),
        "sender": sender,
        "recipient": recipient,
        "mode": *draw.pick(&["request", "own_initiative"]),
        "purposes": purposes,
        "items": items,
        "subjects": [subject],
        "facts": facts,
    })
}

fn outcomes(request: &Value) -> Option<Vec<lagrum_engine::Outcome>> {
    let case = engine().parse_request(&request.to_string()).ok()?;
    let decision = engine().decide(&case);
    let mut out = vec![decision.outcome];
    out.extend(decision.items.iter().map(|i| i.outcome));
    Some(out)
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(200))]

    #[test]
    fn a_protection_marker_never_makes_a_decision_more_permissive(
        numbers in prop::collection::vec(any::<u32>(), 64),
    ) {
        let mut draw = Draw(numbers, 0);
        let request = random_request(&mut draw);
        let Some(before) = outcomes(&request) else { return Ok(()) };
        let given: Vec<String> = serde_json::from_value(request["subjects"][0]["protection"].clone()).unwrap();
        for marker in engine().vocabulary().markers.iter().map(|m| m.id.clone()) {
            if given.contains(&marker) {
                continue;
            }
            let mut more = request.clone();
            more["subjects"][0]["protection"].as_array_mut().unwrap().push(json!(marker));
            let after = outcomes(&more).expect("adding a known marker keeps the request valid");
            for (b, a) in before.iter().zip(&after) {
                prop_assert!(a <= b, "{marker}: {b:?} became {a:?} for {request}");
            }
        }
    }
}
