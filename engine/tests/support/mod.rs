//! Requests generated over the whole vocabulary of the real rulesets, for property tests:
//! every sender and recipient (with and without a unit), category, purpose set, mode,
//! protection status, fact value, and every date on which the law in force changes.
//! Deterministic for a seed, and valid by construction (sender and recipient differ).

#![allow(
    dead_code,
    clippy::indexing_slicing,
    clippy::expect_used,
    reason = "test support: generated indices are in range by construction"
)]

use lagrum_engine::Engine;
use lagrum_engine::catalog::FactKind;
use serde_json::{Map, Value, json};

/// A small, fast, deterministic random source (xorshift64*).
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_f491_4f6c_dd1d)
    }
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<'a, T>(&mut self, v: &'a [T]) -> &'a T {
        &v[self.below(v.len())]
    }
    pub fn chance(&mut self, percent: u64) -> bool {
        self.next() % 100 < percent
    }
}

/// What requests are made of.
struct Party {
    id: String,
    units: Vec<(String, Option<Vec<String>>)>,
    activities: Option<Vec<String>>,
}

pub struct Vocabulary {
    /// Actors: id, units (id, activities), the actor's activities (`None` = unknown).
    actors: Vec<Party>,
    activities: Vec<String>,
    categories: Vec<String>,
    purposes: Vec<String>,
    markers: Vec<String>,
    facts: Vec<(String, bool, Vec<Value>)>,
    dates: Vec<String>,
}

impl Vocabulary {
    pub fn of(engine: &Engine) -> Vocabulary {
        let v = engine.vocabulary();
        let facts = v
            .facts
            .iter()
            .map(|f| {
                let values = match f.kind {
                    FactKind::YesNo => vec![json!(true), json!(false)],
                    FactKind::Number => vec![json!(0), json!(6), json!(12), json!(24), json!(48)],
                    FactKind::Choice => f.choices.iter().map(|c| json!(c)).collect(),
                };
                (f.id.clone(), f.about_person, values)
            })
            .collect();
        // Every date on which some version starts or ends, and the day before it.
        let mut dates: Vec<String> = engine
            .listing()
            .provisions
            .iter()
            .flat_map(|p| p.versions.iter())
            .flat_map(|v| {
                [
                    Some(v.period.from.to_string()),
                    v.period.to.as_ref().map(|t| t.to_string()),
                ]
            })
            .flatten()
            .collect();
        dates.push("2026-11-30".into());
        let covers = engine.ruleset().covers_from.map(|d| d.to_string()).unwrap_or_default();
        dates.retain(|d| *d >= covers);
        dates.sort();
        dates.dedup();
        Vocabulary {
            actors: v
                .actors
                .iter()
                .map(|a| Party {
                    id: a.id.clone(),
                    units: a.units.iter().map(|u| (u.id.clone(), u.activities.clone())).collect(),
                    activities: a.activities.clone(),
                })
                .collect(),
            activities: v.activities.iter().map(|a| a.id.clone()).collect(),
            categories: v.categories.iter().map(|c| c.id.clone()).collect(),
            purposes: v.purposes.iter().map(|p| p.id.clone()).collect(),
            markers: v.markers.iter().map(|m| m.id.clone()).collect(),
            facts,
            dates,
        }
    }

    /// The facts a request may give: (id, about a person, every value it can take).
    pub fn facts(&self) -> &[(String, bool, Vec<Value>)] {
        &self.facts
    }

    pub fn markers(&self) -> &[String] {
        &self.markers
    }

    fn party(&self, rng: &mut Rng, not: Option<usize>) -> (usize, Value, Option<Vec<String>>) {
        let mut a = rng.below(self.actors.len());
        if Some(a) == not {
            a = (a + 1) % self.actors.len();
        }
        let p = &self.actors[a];
        let (party, activities) = if !p.units.is_empty() && rng.chance(60) {
            let (unit, acts) = rng.pick(&p.units);
            (
                json!({ "actor": p.id, "unit": unit }),
                acts.clone().or_else(|| p.activities.clone()),
            )
        } else {
            // Without a unit: the actor's, else those of all its units if each states them.
            let units: Option<Vec<Vec<String>>> = p.units.iter().map(|(_, a)| a.clone()).collect();
            let union = units.filter(|u| !u.is_empty()).map(|u| u.concat());
            (json!({ "actor": p.id }), p.activities.clone().or(union))
        };
        (a, party, activities)
    }

    /// One request. Sender and recipient are different actors, so it is always valid.
    pub fn request(&self, rng: &mut Rng) -> Value {
        let (a, mut sender, activities) = self.party(rng, None);
        let (_, recipient, _) = self.party(rng, Some(a));
        if rng.chance(70) {
            match &activities {
                Some(list) if !list.is_empty() => sender["activity"] = json!(rng.pick(list)),
                Some(_) => {}
                None => sender["activity"] = json!(rng.pick(&self.activities)),
            }
        }
        let v2 = rng.chance(50);
        let mut purposes: Vec<&String> = (0..1 + rng.below(2)).map(|_| rng.pick(&self.purposes)).collect();
        purposes.sort();
        purposes.dedup();
        let items: Vec<Value> = (0..1 + rng.below(2))
            .map(|i| {
                let mut it = json!({ "id": format!("u{i}"), "category": rng.pick(&self.categories) });
                if rng.chance(85) {
                    it["subject"] = json!("p");
                }
                if rng.chance(20) {
                    it["identity_number"] = json!(true);
                }
                if v2 && rng.chance(30) {
                    it["secrecy"] = json!([]);
                }
                it
            })
            .collect();
        let mut subject = json!({ "id": "p" });
        if rng.chance(70) {
            subject["age"] = json!(rng.below(90));
        }
        if rng.chance(75) {
            let m: Vec<&String> = if rng.chance(50) {
                vec![]
            } else {
                vec![rng.pick(&self.markers)]
            };
            subject["protection"] = json!(m);
        }
        let (mut facts, mut person) = (Map::new(), Map::new());
        for (id, about_person, values) in &self.facts {
            if rng.chance(35) {
                let v = rng.pick(values).clone();
                if *about_person {
                    person.insert(id.clone(), v);
                } else {
                    facts.insert(id.clone(), v);
                }
            }
        }
        subject["facts"] = Value::Object(person);
        if rng.chance(15) {
            let by = if rng.chance(70) { "self" } else { "guardian" };
            let mut consent = json!({ "by": by, "given": rng.pick(&self.dates) });
            if rng.chance(30) {
                let first = items.first().filter(|i| i.get("subject").is_some());
                if let Some(it) = first {
                    consent["items"] = json!([it["id"]]);
                }
            }
            subject["consent"] = json!([consent]);
        }
        json!({
            "schema": if v2 { "lagrum.request.v2" } else { "lagrum.request.v1" },
            "date": rng.pick(&self.dates),
            "sender": sender,
            "recipient": recipient,
            "mode": if rng.chance(50) { "request" } else { "own_initiative" },
            "purposes": purposes,
            "items": items,
            "subjects": [subject],
            "facts": Value::Object(facts),
        })
    }
}
