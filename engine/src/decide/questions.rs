//! Step 8: the missing facts whose answers could change something — raise an item's
//! outcome, or attach an obligation — each with the provisions that ask it.

use super::item::Draft;
use super::secrecy::ItemSecrecy;
use super::{Cx, ItemIx};
use crate::cond::{self, Env, FactKey, Read, Reads, Truth};
use crate::decision::*;
use crate::program::holds;
use crate::request::Held;
use lagrum_dsl::model::*;

/// One item's questions, in the order they were found: (fact, the provision asking).
#[derive(Default)]
pub(super) struct ItemQuestions(Vec<(FactKey, Option<ProvisionId>)>, Vec<ProvisionId>);

impl ItemQuestions {
    /// Whether any question has been asked so far.
    pub fn any(&self) -> bool {
        !self.0.is_empty()
    }

    /// Asks for every missing, askable fact among `reads`, on behalf of `by`.
    pub fn push(&mut self, reads: &[Read], by: Option<ProvisionId>) {
        for r in reads {
            if r.missing && r.key.askable() && !self.0.iter().any(|(k, b)| *k == r.key && *b == by) {
                self.0.push((r.key, by));
            }
        }
    }

    /// A bar that may apply for want of a fact: the fact could lift it.
    pub fn bars(&mut self, cx: &Cx<'_>, i: usize, draft: &Draft) {
        let ix = ItemIx::from_index(i).0;
        for f in &draft.routes {
            let Some(v) = f.version else { continue };
            let undetermined = cx.rules.truth(i, slot(cx, v)) == Some(Truth::Unknown);
            if undetermined && holds(&cx.routes.bar_active, &(ix, v.0)) {
                for c in cx.rules.checks_of(f) {
                    self.push(&c.reads, Some(f.provision));
                }
            }
        }
    }

    /// Secrecy assumed for want of a fact: the fact could lift it, unless nothing is higher.
    /// Secrecy the rulebook does not model: the sender's own assessment (with the declared
    /// provisions that may apply as the options), and the activity, if not stated.
    pub fn secrecy(&mut self, found: &ItemSecrecy, held: &Held, outcome: Outcome) {
        if outcome < Outcome::Must && found.basis == SecrecyBasis::Unknown {
            let missing = |key| Read { key, missing: true };
            if !matches!(held, Held::Stated(_)) {
                self.push(&[missing(FactKey::Activity)], None);
            }
            self.push(&[missing(FactKey::SecrecyAssessment)], None);
            self.1 = found
                .findings
                .iter()
                .filter(|f| f.result != SecrecyResult::OutOfScope)
                .map(|f| f.provision)
                .collect();
        }
        if outcome < Outcome::Must {
            let by = found
                .findings
                .iter()
                .find(|x| x.result == SecrecyResult::Assumed)
                .map(|x| x.provision);
            self.push(&found.reads, by);
        }
    }

    /// Routes that could give more if a fact were known, and the open points (risk
    /// factors, uncertainties) of the routes in the basis.
    pub fn routes(&mut self, cx: &Cx<'_>, i: usize, draft: &Draft, env: &Env<'_>) {
        let ix = ItemIx::from_index(i).0;
        for f in &draft.routes {
            let open = f.version.is_some_and(|v| holds(&cx.routes.open, &(ix, v.0)));
            if f.status == RouteStatus::Undetermined && f.outcome.is_some_and(|o| o > draft.outcome) && open {
                for c in cx.rules.checks_of(f) {
                    self.push(&c.reads, Some(f.provision));
                }
            }
        }
        for f in draft.basis.iter().filter_map(|k| draft.routes.get(*k)) {
            for n in &f.notes {
                let when = match n {
                    Escalation::Risk(r, Truth::Unknown) => cx.model.risk(*r).map(|x| x.when),
                    Escalation::Uncertain(u, Truth::Unknown) => match f.version.and_then(|v| cx.model.version(v)) {
                        Some(Version {
                            body: Body::Rule(r), ..
                        }) => r.uncertain.get(*u).and_then(|x| x.when),
                        _ => None,
                    },
                    _ => None,
                };
                if let Some(w) = when {
                    let mut reads = Reads::new();
                    let _ = cond::eval(env, w, &mut reads);
                    self.push(&reads, Some(f.provision));
                }
            }
        }
    }
}

fn slot(cx: &Cx<'_>, v: VersionId) -> usize {
    cx.law
        .rule_version_slot
        .get(v.index())
        .copied()
        .flatten()
        .map_or(usize::MAX, |k| k as usize)
}

/// Every question of the decision, once, with the items it concerns and who asks.
#[derive(Default)]
pub(super) struct Asked(Vec<Question>);

impl Asked {
    /// Adds one item's questions; returns the item's own list (sorted, unique).
    pub fn add(&mut self, i: usize, q: ItemQuestions) -> Vec<FactKey> {
        let mut keys: Vec<FactKey> = q.0.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        for (key, by) in q.0 {
            let options = if key == FactKey::SecrecyAssessment {
                q.1.as_slice()
            } else {
                &[]
            };
            match self.0.iter_mut().find(|x| x.key == key) {
                Some(x) => {
                    x.options.extend_from_slice(options);
                    x.options.sort_unstable();
                    x.options.dedup();
                    if !x.items.contains(&i) {
                        x.items.push(i);
                    }
                    if let Some(p) = by
                        && !x.asked_by.contains(&p)
                    {
                        x.asked_by.push(p);
                    }
                }
                None => self.0.push(Question {
                    key,
                    options: {
                        let mut o = options.to_vec();
                        o.sort_unstable();
                        o.dedup();
                        o
                    },
                    items: vec![i],
                    asked_by: by.into_iter().collect(),
                }),
            }
        }
        keys
    }

    /// The questions, ordered by fact.
    pub fn into_list(mut self) -> Vec<Question> {
        self.0.sort_by_key(|q| q.key);
        self.0
    }
}
