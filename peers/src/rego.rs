//! regorus: the module in `policies/slice.rego`, the vocabulary as data, one input value per
//! workload request built before timing.

use crate::verdict::Verdict;
use crate::workload::{Mode, Protection, Req};
use serde_json::json;

pub const MODULE: &str = include_str!("../policies/slice.rego");
pub const RULE: &str = "data.lagrum.slice.verdict";

pub fn engine(vocabulary: &serde_json::Value) -> Result<regorus::Engine, String> {
    let mut engine = regorus::Engine::new();
    engine
        .add_policy("slice.rego".into(), MODULE.into())
        .map_err(|e| e.to_string())?;
    let data = json!({ "groups": vocabulary.get("groups"), "categories": vocabulary.get("categories") });
    engine
        .add_data(regorus::Value::from_json_str(&data.to_string()).map_err(|e| e.to_string())?)
        .map_err(|e| e.to_string())?;
    Ok(engine)
}

pub fn input(r: &Req) -> Result<regorus::Value, String> {
    let protection = match r.protection {
        Protection::None => "none",
        Protection::Marker(m) => m,
        Protection::Unknown => "unknown",
    };
    let value = json!({
        "date": r.day,
        "sender": r.sender,
        "recipient": r.recipient,
        "mode": match r.mode { Mode::Request => "request", Mode::OwnInitiative => "own_initiative" },
        "purposes": r.purposes,
        "category": r.category,
        "secrecy": r.secrecy.iter().map(|s| s.id).collect::<Vec<_>>(),
        "chapters": r.secrecy.iter().map(|s| s.chapter).collect::<Vec<_>>(),
        "protection": protection,
    });
    regorus::Value::from_json_str(&value.to_string()).map_err(|e| e.to_string())
}

/// One evaluation: set the input and evaluate the verdict rule (the part that is timed).
pub fn decide(engine: &mut regorus::Engine, input: &regorus::Value) -> Result<regorus::Value, String> {
    engine.set_input(input.clone());
    engine.eval_rule(RULE.into()).map_err(|e| e.to_string())
}

pub fn verdict(value: &regorus::Value) -> Result<Verdict, String> {
    let word = value.as_string().map_err(|e| e.to_string())?;
    Verdict::parse(word).ok_or_else(|| format!("unknown verdict {word}"))
}
