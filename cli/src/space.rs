//! The space of requests `legal analyze` searches, read from the ruleset's vocabulary:
//! every sender (each actor and each of its units, with no activity stated and in each
//! activity the ruleset says it carries on) and recipient (each actor and unit; the same
//! actor only between two different units, OSL 8 kap. 2 §), mode, purpose set (each purpose
//! alone, and each pair the rules tell apart: a purpose a condition tests with `syfte i …`
//! together with each other purpose),
//! protection status (unknown, none, each marker), fact setting (all unknown, or one fact
//! at a time at each of its distinguishing values: yes/no, each choice, around each
//! threshold a condition compares with) and every date on which some version starts or
//! the day after one ends. Each request carries one item per category, so one decision
//! answers every category. Points are numbered in mixed radix; a space too big to search
//! whole is sampled systematically: point `i·step mod size` for a step coprime to the size,
//! which walks every dimension evenly.

use lagrum_engine::Engine;
use lagrum_engine::model::{ExprNode, FactType, Test};
use lagrum_engine::request::{ItemDoc, ModeDoc, PartyDoc, RequestDoc, SubjectDoc};
use serde_json::Value;

/// The dimensions of the space.
pub struct Space {
    pub senders: Vec<PartyDoc>,
    pub recipients: Vec<PartyDoc>,
    pub modes: Vec<ModeDoc>,
    /// Each a request's purposes: singletons, then the pairs the rules tell apart.
    pub purposes: Vec<Vec<String>>,
    /// `None`: not known.
    pub protections: Vec<Option<Vec<String>>>,
    /// `None`: every fact unknown; else one fact (id, about a person) with one value.
    pub facts: Vec<Option<(String, bool, Value)>>,
    pub dates: Vec<String>,
    /// The items of every request: one per category.
    pub categories: Vec<String>,
}

impl Space {
    /// The whole space of a ruleset.
    pub fn of(engine: &Engine) -> Space {
        let v = engine.vocabulary();
        let mut parties = Vec::new();
        let mut senders = Vec::new();
        let held_in = |p: &PartyDoc, activities: &Option<Vec<String>>, out: &mut Vec<PartyDoc>| {
            out.push(p.clone());
            for act in activities.iter().flatten() {
                out.push(PartyDoc {
                    activity: Some(act.clone()),
                    ..p.clone()
                });
            }
        };
        for a in &v.actors {
            let whole = PartyDoc::actor(a.id.clone());
            held_in(&whole, &a.activities, &mut senders);
            parties.push(whole);
            for u in &a.units {
                let unit = PartyDoc::unit(a.id.clone(), u.id.clone());
                held_in(&unit, &u.activities, &mut senders);
                parties.push(unit);
            }
        }
        let mut protections = vec![None, Some(Vec::new())];
        protections.extend(v.markers.iter().map(|m| Some(vec![m.id.clone()])));
        Space {
            senders,
            recipients: parties,
            modes: vec![ModeDoc::Request, ModeDoc::OwnInitiative],
            purposes: purpose_sets(engine),
            protections,
            facts: facts(engine),
            dates: dates(engine),
            categories: v.categories.iter().map(|c| c.id.clone()).collect(),
        }
    }

    fn radix(&self) -> [usize; 7] {
        [
            self.senders.len(),
            self.recipients.len(),
            self.modes.len(),
            self.purposes.len(),
            self.protections.len(),
            self.facts.len(),
            self.dates.len(),
        ]
    }

    /// The number of requests (each with one item per category).
    pub fn size(&self) -> u128 {
        self.radix().iter().map(|&r| r as u128).product()
    }

    /// The points to search: all of them, or `limit` spread evenly over the space.
    pub fn points(&self, limit: u128) -> (Vec<u128>, bool) {
        let size = self.size();
        if size <= limit {
            return ((0..size).collect(), false);
        }
        // A step near the golden section of the size, coprime to it.
        let mut step = size * 618 / 1000 + 1;
        while gcd(step, size) != 1 {
            step += 1;
        }
        ((0..limit).map(|i| (i * step) % size).collect(), true)
    }

    /// The request at point `k`, with the items of `categories` (indices; all when `None`).
    /// `None` when sender and recipient are the same actor.
    pub fn request(&self, k: u128, categories: Option<&[usize]>) -> Option<RequestDoc> {
        let mut digits = [0usize; 7];
        let mut rest = k;
        for (d, r) in digits.iter_mut().zip(self.radix()) {
            let r = r.max(1) as u128;
            *d = usize::try_from(rest % r).unwrap_or(0);
            rest /= r;
        }
        let [s, r, m, p, pr, f, d] = digits;
        let sender = self.senders.get(s)?.clone();
        let recipient = self.recipients.get(r)?.clone();
        // One actor's two units are two verksamhetsgrenar (OSL 8 kap. 2 §); one actor with
        // itself is no disclosure.
        if sender.actor == recipient.actor && (sender.unit.is_none() || sender.unit == recipient.unit) {
            return None;
        }
        let mut req = RequestDoc::new(self.dates.get(d)?.clone(), sender, recipient, *self.modes.get(m)?);
        req.purposes.extend(self.purposes.get(p)?.iter().cloned());
        let mut subject = SubjectDoc {
            id: "p".into(),
            protection: self.protections.get(pr)?.clone(),
            ..Default::default()
        };
        if let Some(Some((id, about_person, value))) = self.facts.get(f) {
            if *about_person {
                subject.facts.insert(id.clone(), value.clone());
            } else {
                req.facts.insert(id.clone(), value.clone());
            }
        }
        req.subjects.push(subject);
        let all: Vec<usize> = (0..self.categories.len()).collect();
        for &c in categories.unwrap_or(&all) {
            let category = self.categories.get(c)?;
            req.items.push(ItemDoc {
                id: category.clone(),
                category: category.clone(),
                subject: Some("p".into()),
                ..Default::default()
            });
        }
        Some(req)
    }
}

fn gcd(a: u128, b: u128) -> u128 {
    if b == 0 { a } else { gcd(b, a % b) }
}

/// All unknown, then each fact read by a condition at each of its distinguishing values.
/// Each purpose alone, then each pair of a purpose some condition tests (`syfte i …` in a
/// `när`, e.g. "inte syfte i aggregerade_syften") with any other purpose: the combinations
/// whose outcome can differ from both singletons.
fn purpose_sets(engine: &Engine) -> Vec<Vec<String>> {
    let model = engine.model();
    let ids: Vec<&str> = model.purposes.iter().map(|p| p.id.as_str()).collect();
    let mut tested: Vec<usize> = model
        .exprs
        .iter()
        .filter_map(|e| match &e.node {
            ExprNode::Test(Test::PurposeIn(set)) => Some(set.members.iter().map(|p| p.index())),
            _ => None,
        })
        .flatten()
        .collect();
    tested.sort_unstable();
    tested.dedup();
    let mut pairs = std::collections::BTreeSet::new();
    for &t in &tested {
        for other in (0..ids.len()).filter(|&o| o != t) {
            pairs.insert((t.min(other), t.max(other)));
        }
    }
    let singles = ids.iter().map(|p| vec![p.to_string()]);
    let both = pairs
        .into_iter()
        .filter_map(|(a, b)| Some(vec![ids.get(a)?.to_string(), ids.get(b)?.to_string()]));
    singles.chain(both).collect()
}

fn facts(engine: &Engine) -> Vec<Option<(String, bool, Value)>> {
    let model = engine.model();
    let mut thresholds: Vec<Vec<i64>> = vec![Vec::new(); model.facts.len()];
    let mut read = vec![false; model.facts.len()];
    for e in &model.exprs {
        if let ExprNode::Test(t) = &e.node {
            let f = match t {
                Test::FactCompare(f, _, n) => {
                    if let Some(list) = thresholds.get_mut(f.index()) {
                        list.extend([n.saturating_sub(1), *n, n.saturating_add(1)]);
                    }
                    f
                }
                Test::FactIs(f, _) | Test::FactIn(f, _) | Test::FactPresent(f) => f,
                _ => continue,
            };
            if let Some(r) = read.get_mut(f.index()) {
                *r = true;
            }
        }
    }
    let mut out = vec![None];
    for (k, fact) in model.facts.iter().enumerate() {
        if !read.get(k).copied().unwrap_or(false) {
            continue;
        }
        let values: Vec<Value> = match &fact.ty {
            FactType::YesNo => vec![Value::Bool(true), Value::Bool(false)],
            FactType::Choice(list) => list.iter().map(|c| Value::String(c.clone())).collect(),
            FactType::Number => {
                let mut ns = thresholds.get(k).cloned().unwrap_or_default();
                ns.sort_unstable();
                ns.dedup();
                ns.into_iter().map(Value::from).collect()
            }
        };
        out.extend(
            values
                .into_iter()
                .map(|v| Some((fact.id.clone(), fact.about_person, v))),
        );
    }
    out
}

/// Every date on which a version starts, or the day after one ends, within the coverage.
pub fn dates(engine: &Engine) -> Vec<String> {
    let model = engine.model();
    let covers = model.info.covers_from;
    let mut ds: Vec<_> = model
        .versions
        .iter()
        .flat_map(|v| [Some(v.from), v.to.and_then(|t| t.next_day())])
        .flatten()
        .chain(covers)
        .filter(|d| covers.is_none_or(|c| *d >= c))
        .collect();
    ds.sort_unstable();
    ds.dedup();
    ds.into_iter().map(|d| d.to_string()).collect()
}
