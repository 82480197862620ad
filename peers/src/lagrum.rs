//! Lagrum: the request as `lagrum.request.v2` JSON, parsed once into a `Case`.

use crate::verdict::Verdict;
use crate::workload::{Mode, Protection, Req};
use lagrum_engine::{Case, Engine, Outcome};
use serde_json::{Value, json};

/// The provisions Lagrum may rest a decision on inside the slice (the bridge included).
pub const SLICE_BASIS: &[&str] = &[
    "LUFFA 2 §",
    "LUB 4 §",
    "LUB 5 §",
    "LUB 6 §",
    "OSL 10 kap. 15 a §",
    "OSL 10 kap. 27 §",
    "OSL 10 kap. 28 § 1 st.",
];

pub fn engine() -> Result<Engine, String> {
    Engine::from_files(lagrum_rulesets::FILES).map_err(|e| e.render())
}

/// The request in Lagrum's wire format. The item's secrecy is stated (v2), so the sender's
/// assessment is the item's secrecy; protection left out means not known.
pub fn request_json(r: &Req) -> String {
    let protection = match r.protection {
        Protection::None => Some(json!([])),
        Protection::Marker(m) => Some(json!([m])),
        Protection::Unknown => None,
    };
    let mut subject = json!({ "id": "p" });
    if let (Some(p), Some(obj)) = (protection, subject.as_object_mut()) {
        obj.insert("protection".into(), p);
    }
    let secrecy: Vec<&str> = r.secrecy.iter().map(|s| s.id).collect();
    let mut sender = json!({ "actor": r.sender, "activity": r.activity });
    if let (Some(unit), Some(obj)) = (r.unit, sender.as_object_mut()) {
        obj.insert("unit".into(), json!(unit));
    }
    json!({
        "schema": "lagrum.request.v2",
        "date": r.date,
        "sender": sender,
        "recipient": { "actor": r.recipient },
        "mode": match r.mode { Mode::Request => "request", Mode::OwnInitiative => "own_initiative" },
        "purposes": r.purposes,
        "items": [{ "id": "i", "category": r.category, "subject": "p", "secrecy": secrecy }],
        "subjects": [subject],
    })
    .to_string()
}

pub fn case(engine: &Engine, r: &Req) -> Result<Case, String> {
    engine
        .parse_request(&request_json(r))
        .map_err(|e| format!("{}: {}", e.path(), e))
}

pub fn verdict(outcome: Outcome) -> Verdict {
    match outcome {
        Outcome::Must => Verdict::Must,
        Outcome::Allow => Verdict::Permit,
        Outcome::Manual => Verdict::NeedsHuman,
        Outcome::Deny => Verdict::Forbid,
    }
}

/// Checks that Lagrum decided inside the slice: its secrecy is exactly the stated secrecy,
/// and its basis only provisions of the slice. Returns what is wrong, if anything.
pub fn outside_slice<'a>(r: &Req, doc: &'a Value) -> Option<String> {
    let at = |v: &'a Value, path: &str| v.pointer(path).and_then(Value::as_str);
    let list = |path: &str| doc.pointer(path).and_then(Value::as_array).into_iter().flatten();
    let mut found: Vec<&str> = list("/items/0/secrecy")
        .filter(|s| matches!(at(s, "/result"), Some("applies" | "assumed")))
        .filter_map(|s| at(s, "/provision/id"))
        .collect();
    found.sort_unstable();
    let mut stated: Vec<&str> = r.secrecy.iter().map(|s| s.id).collect();
    stated.sort_unstable();
    if found != stated {
        return Some(format!("secrecy {found:?} ≠ stated {stated:?}"));
    }
    let outside: Vec<&str> = list("/items/0/basis")
        .filter_map(|b| at(b, "/provision/citation"))
        .filter(|c| !SLICE_BASIS.contains(c))
        .collect();
    if !outside.is_empty() {
        return Some(format!("basis outside the slice: {outside:?}"));
    }
    None
}
