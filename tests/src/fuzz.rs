//! The fuzz targets' bodies, shared by `fuzz/` (cargo-fuzz, libFuzzer, nightly) and by
//! `tests/fuzz.rs` (the same bodies over the seed corpora and proptest inputs, on stable,
//! in every `cargo test`). Each takes the fuzzer's input and returns `Err` with a
//! description when a property fails; a panic anywhere is a finding too.
//!
//! * [`ruleset`]: any text as a ruleset file: checked and formatted, never a panic.
//! * [`request_raw`]: any bytes as a request: read, validated, decided, rendered.
//! * [`request_structured`]: a request built from the vocabulary by [`Shape`]; removing a
//!   subject's protection, or adding a marker, never makes any item's outcome more
//!   permissive.
//! * [`navet`]: any bytes as a Navet file: a record's protection is never less than what
//!   its flags say, wherever they stand, in the record and in a register that reads it.

#![allow(
    clippy::indexing_slicing,
    reason = "serde_json::Value indexing: reading a missing key gives Null, and the values written to are the objects and the one-subject array built here"
)]

use arbitrary::Arbitrary;
use lagrum_engine::{Engine, Outcome};
use lagrum_navet::{Code, Error, Flag, Known, PostKind, Records, Register};
use serde_json::{Value, json};
use std::sync::OnceLock;

/// The engine over the embedded rulesets, compiled once per process.
pub fn engine() -> Option<&'static Engine> {
    static E: OnceLock<Option<Engine>> = OnceLock::new();
    E.get_or_init(|| Engine::from_files(lagrum_rulesets::FILES).ok())
        .as_ref()
}

/// Any text as one ruleset file: checked (parse, names, types, priorities, coverage), and
/// formatted, where formatting must be stable.
pub fn ruleset(data: &[u8]) -> Result<(), String> {
    let text = String::from_utf8_lossy(data);
    let _ = Engine::from_files(&[("fuzz.lagrum", text.as_ref())]);
    if let Ok(out) = lagrum_dsl::fmt::format(&text) {
        // Formatting is stable: the output formats to itself.
        match lagrum_dsl::fmt::format(&out) {
            Ok(again) if again == out => {}
            Ok(_) => return Err("formatting the formatted text changed it".into()),
            Err(_) => return Err("the formatted text does not format".into()),
        }
    }
    Ok(())
}

/// Any bytes as a request: every step that a request reaches runs.
pub fn request_raw(data: &[u8]) -> Result<(), String> {
    let engine = engine().ok_or("the embedded rulesets do not compile")?;
    let Ok(text) = std::str::from_utf8(data) else {
        return Ok(());
    };
    if let Ok(case) = engine.parse_request(text) {
        let decision = engine.decide(&case);
        let doc = engine.document(&case, &decision);
        let _ = lagrum_engine::render::text::render(&doc);
        serde_json::to_string(&doc).map_err(|e| format!("the decision is not JSON: {e}"))?;
    }
    Ok(())
}

/// A request as choices among the ruleset's vocabulary (indices are taken modulo the
/// list they pick from), so that almost every input is a valid request.
#[derive(Debug, Clone, Arbitrary)]
pub struct Shape {
    pub date: u8,
    pub sender: (u8, u8, bool),
    pub recipient: (u8, u8, bool),
    pub on_request: bool,
    pub purposes: Vec<u8>,
    pub items: Vec<(u8, bool)>,
    pub age: Option<u8>,
    pub protection: Option<Vec<u8>>,
    pub facts: Vec<(u8, u8)>,
}

const DATES: [&str; 9] = [
    "2012-06-01",
    "2018-11-01",
    "2020-03-01",
    "2024-03-01",
    "2024-09-02",
    "2025-06-01",
    "2025-09-08",
    "2025-12-01",
    "2026-02-01",
];

fn pick<T: Clone>(list: &[T], i: u8) -> Option<T> {
    if list.is_empty() {
        None
    } else {
        list.get(usize::from(i) % list.len()).cloned()
    }
}

/// The request a shape stands for.
pub fn request_of(engine: &Engine, shape: &Shape) -> Value {
    let v = engine.vocabulary();
    let party = |(a, u, with_unit): (u8, u8, bool)| {
        let actor = pick(&v.actors, a);
        match actor {
            None => json!({ "actor": "?" }),
            Some(actor) => {
                let units: Vec<String> = actor.units.iter().map(|u| u.id.clone()).collect();
                match pick(&units, u) {
                    Some(unit) if with_unit => json!({ "actor": actor.id, "unit": unit }),
                    _ => json!({ "actor": actor.id }),
                }
            }
        }
    };
    let sender = party(shape.sender);
    let mut recipient = party(shape.recipient);
    if sender["actor"] == recipient["actor"] {
        let other = v
            .actors
            .iter()
            .find(|a| json!(a.id) != sender["actor"])
            .map(|a| a.id.clone());
        recipient = json!({ "actor": other });
    }
    let purposes: Vec<String> = v.purposes.iter().map(|p| p.id.clone()).collect();
    let mut chosen: Vec<String> = shape
        .purposes
        .iter()
        .take(3)
        .filter_map(|i| pick(&purposes, *i))
        .collect();
    chosen.sort();
    chosen.dedup();
    if chosen.is_empty() {
        chosen.extend(purposes.first().cloned());
    }
    let categories: Vec<String> = v.categories.iter().map(|c| c.id.clone()).collect();
    let mut items: Vec<Value> = shape
        .items
        .iter()
        .take(4)
        .enumerate()
        .filter_map(|(i, (c, about))| {
            let category = pick(&categories, *c)?;
            let mut item = json!({ "id": format!("u{i}"), "category": category });
            if *about {
                item["subject"] = json!("p");
            }
            Some(item)
        })
        .collect();
    if items.is_empty() {
        items.push(json!({ "id": "u0", "category": categories.first(), "subject": "p" }));
    }
    let markers: Vec<String> = v.markers.iter().map(|m| m.id.clone()).collect();
    let mut subject = json!({ "id": "p" });
    if let Some(a) = shape.age {
        subject["age"] = json!(a % 100);
    }
    if let Some(p) = &shape.protection {
        let mut list: Vec<String> = p.iter().take(3).filter_map(|i| pick(&markers, *i)).collect();
        list.sort();
        list.dedup();
        subject["protection"] = json!(list);
    }
    let mut case_facts = serde_json::Map::new();
    let mut person_facts = serde_json::Map::new();
    for (f, val) in shape.facts.iter().take(6) {
        let Some(fact) = pick(&v.facts, *f) else { continue };
        let values: Vec<Value> = match fact.kind {
            lagrum_engine::catalog::FactKind::YesNo => vec![json!(true), json!(false)],
            lagrum_engine::catalog::FactKind::Number => vec![json!(0), json!(6), json!(12), json!(48)],
            lagrum_engine::catalog::FactKind::Choice => fact.choices.iter().map(|c| json!(c)).collect(),
        };
        let Some(value) = pick(&values, *val) else { continue };
        if fact.about_person {
            person_facts.insert(fact.id.clone(), value);
        } else {
            case_facts.insert(fact.id.clone(), value);
        }
    }
    subject["facts"] = Value::Object(person_facts);
    json!({
        "schema": "lagrum.request.v1",
        "date": pick(&DATES, shape.date),
        "sender": sender,
        "recipient": recipient,
        "mode": if shape.on_request { "request" } else { "own_initiative" },
        "purposes": chosen,
        "items": items,
        "subjects": [subject],
        "facts": Value::Object(case_facts),
    })
}

/// Item outcomes, or `None` for a request the engine refuses.
pub fn outcomes(engine: &Engine, req: &Value) -> Option<Vec<Outcome>> {
    let case = engine.parse_request(&req.to_string()).ok()?;
    Some(engine.decide(&case).items.iter().map(|i| i.outcome).collect())
}

fn not_more_permissive(less: &[Outcome], more: &[Outcome], what: &str, req: &Value) -> Result<(), String> {
    for (k, (a, b)) in less.iter().zip(more).enumerate() {
        if a > b {
            return Err(format!(
                "item {k}: {what} made the outcome {a:?} where it was {b:?} (fail-open)\n{req}"
            ));
        }
    }
    Ok(())
}

/// The fail-closed property on one generated request.
pub fn request_structured(shape: &Shape) -> Result<(), String> {
    let engine = engine().ok_or("the embedded rulesets do not compile")?;
    let req = request_of(engine, shape);
    let Some(given) = outcomes(engine, &req) else {
        return Ok(());
    };
    let markers: Vec<String> = engine.vocabulary().markers.into_iter().map(|m| m.id).collect();
    // Removing the protection (unknown) is never more permissive than what was given.
    if req["subjects"][0].get("protection").is_some() {
        let mut unknown = req.clone();
        if let Some(s) = unknown["subjects"][0].as_object_mut() {
            s.remove("protection");
        }
        if let Some(without) = outcomes(engine, &unknown) {
            not_more_permissive(&without, &given, "removing the protection", &req)?;
        }
    }
    // Adding a marker is never more permissive than the list without it.
    let current: Vec<String> = req["subjects"][0]["protection"]
        .as_array()
        .map(|a| a.iter().filter_map(|m| m.as_str().map(String::from)).collect())
        .unwrap_or_default();
    let base = if req["subjects"][0].get("protection").is_some() {
        given.clone()
    } else {
        let mut none = req.clone();
        none["subjects"][0]["protection"] = json!([]);
        match outcomes(engine, &none) {
            Some(o) => o,
            None => return Ok(()),
        }
    };
    for m in markers.iter().filter(|m| !current.contains(m)) {
        let mut more = req.clone();
        let mut list = current.clone();
        list.push(m.clone());
        more["subjects"][0]["protection"] = json!(list);
        if let Some(with) = outcomes(engine, &more) {
            not_more_permissive(&with, &base, &format!("adding the marker `{m}`"), &req)?;
        }
    }
    Ok(())
}

const PROTECTION: [u32; 2] = [1003, 1020];

/// Whether the raw lines of a record set `code` to `J` anywhere.
fn says_set(lines: &[&[u8]], code: u32) -> bool {
    let wanted = format!("{code:05}");
    lines.iter().any(|l| {
        let text = String::from_utf8_lossy(l);
        let mut words = text.split_whitespace();
        words.next() == Some("#UP") && words.next() == Some(wanted.as_str()) && words.next() == Some("J")
    })
}

/// Navet: no panic, and protection never less than the flags say, wherever they stand.
pub fn navet(data: &[u8]) -> Result<(), String> {
    let lines: Vec<&[u8]> = data.split(|b| *b == b'\n').collect();
    let slice =
        |from: usize, to: usize| -> &[&[u8]] { lines.get(from.saturating_sub(1)..to.min(lines.len())).unwrap_or(&[]) };
    for item in Records::new(data) {
        let (start, end, record) = match &item {
            Ok(r) => (r.line, r.end_line, Some(r)),
            Err(Error::Malformed(m)) => match (m.start_line, m.identity) {
                (Some(s), Some(_)) => (s, m.line, None),
                _ => continue,
            },
            Err(Error::Io(e)) => return Err(format!("an I/O error from a slice: {e}")),
        };
        let raw = slice(start, end);
        for code in PROTECTION {
            if !says_set(raw, code) {
                continue;
            }
            let Some(c) = Code::parse(&format!("{code:05}")) else {
                continue;
            };
            if let Some(r) = record
                && r.flag(c) != Flag::Set
            {
                return Err(format!("record at line {start}: {c} says J but reads {:?}", r.flag(c)));
            }
            // The record alone, read into a register as a total post: never "not set".
            let mut text: Vec<u8> = raw.join(&b'\n');
            text.push(b'\n');
            if record.is_none() {
                // A malformed record ends where the problem was found; close it so the
                // register sees the same record.
                text.extend_from_slice(b"#POST_SLUT\n");
            }
            let mut register = Register::all(PostKind::Total);
            let _ = register.read(&text[..], |_| {});
            for person in register.persons() {
                if person.flag(c) == Known::No || person.protected() == Known::No {
                    return Err(format!("record at line {start}: {c} says J but the register reads no"));
                }
            }
        }
    }
    Ok(())
}
