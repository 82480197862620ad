//! What would change the outcome: for an item that is `deny` or `manual`, the smallest sets
//! of changes to the request that would make it `allow` or `must`, each with the provisions
//! the outcome would then rest on.
//!
//! The changes come from the ruleset's finite vocabulary: the other mode; each purpose in
//! place of the request's; each value of each fact a condition reads (yes and no, every
//! choice, and for numbers the values around each threshold a condition compares with);
//! and a person's protection, none or one marker fewer. Every candidate is decided as a
//! whole request, so an alternative is exactly what the engine would say. Single changes
//! are tried first; pairs only for the items no single change opens, and only pairs with a
//! change that moved something in the item's decision, within a fixed budget of decisions.
//! The answer is computed on request ([`crate::Engine::alternatives`]), never as part of a
//! decision: it costs a decision per candidate.

use crate::decide;
use crate::request::{Case, FactValue};
use crate::{Decision, compile::Law};
use lagrum_dsl::model::*;

/// One change to a request.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Change {
    /// `mode` would be this.
    Mode(Mode),
    /// `purposes` would be this one purpose.
    Purpose(PurposeId),
    /// `facts.<fact>` would have this value.
    Fact(FactId, FactValue),
    /// `subjects[s].facts.<fact>` would have this value.
    PersonFact(usize, FactId, FactValue),
    /// `subjects[s].protection` would be exactly these markers.
    Protection(usize, Vec<MarkerId>),
}

impl Change {
    /// Two changes of one dimension (the same fact, the mode) never make a pair.
    fn dimension(&self) -> (u8, usize, u32) {
        match self {
            Change::Mode(_) => (0, 0, 0),
            Change::Purpose(_) => (1, 0, 0),
            Change::Fact(f, _) => (2, 0, f.0),
            Change::PersonFact(s, f, _) => (3, *s, f.0),
            Change::Protection(s, _) => (4, *s, 0),
        }
    }

    fn apply(&self, case: &mut Case) {
        match self {
            Change::Mode(m) => case.mode = *m,
            Change::Purpose(p) => case.purposes = vec![*p],
            Change::Fact(f, v) => {
                if let Some(slot) = case.facts.get_mut(f.index()) {
                    *slot = Some(*v);
                }
            }
            Change::PersonFact(s, f, v) => {
                if let Some(slot) = case.subjects.get_mut(*s).and_then(|x| x.facts.get_mut(f.index())) {
                    *slot = Some(*v);
                }
            }
            Change::Protection(s, list) => {
                if let Some(subject) = case.subjects.get_mut(*s) {
                    subject.markers = Some(list.clone());
                }
            }
        }
    }
}

/// A set of changes that makes an item `allow` or `must`.
#[derive(Debug, Clone, PartialEq)]
pub struct Alternative {
    /// Index of the item in the request.
    pub item: usize,
    pub changes: Vec<Change>,
    pub outcome: Outcome,
    /// The provisions the item's outcome would rest on (its basis).
    pub basis: Vec<ProvisionId>,
}

/// At most this many alternatives per item.
const PER_ITEM: usize = 8;
/// At most this many decisions for the pairs of one request.
const PAIR_BUDGET: usize = 3000;

/// The alternatives for every `deny` or `manual` item of a decided case.
pub fn alternatives(model: &Model, law: &Law, case: &Case, decision: &Decision) -> Vec<Alternative> {
    let targets: Vec<usize> = (0..decision.items.len())
        .filter(|&i| decision.items.get(i).is_some_and(|d| !permits(d.outcome)))
        .collect();
    if targets.is_empty() || decision.fault.is_some() {
        return Vec::new();
    }
    let candidates = candidates(model, case, &targets);
    let mut found: Vec<Alternative> = Vec::new();
    let mut moved: Vec<usize> = Vec::new();
    for (k, c) in candidates.iter().enumerate() {
        let d = decide_with(model, law, case, std::slice::from_ref(c));
        if collect(&d, decision, &targets, std::slice::from_ref(c), &mut found) {
            moved.push(k);
        }
    }
    let open: Vec<usize> = targets
        .into_iter()
        .filter(|&i| !found.iter().any(|a| a.item == i))
        .collect();
    if !open.is_empty() {
        pairs(model, law, case, decision, (&candidates, &moved), &open, &mut found);
    }
    // The fewest changes first; among them a duty before a permission.
    found.sort_by_key(|a| (a.item, a.changes.len(), a.outcome != Outcome::Must));
    let mut out = Vec::new();
    for a in found {
        if out.iter().filter(|x: &&Alternative| x.item == a.item).count() < PER_ITEM {
            out.push(a);
        }
    }
    out
}

fn permits(o: Outcome) -> bool {
    matches!(o, Outcome::Allow | Outcome::Must)
}

fn decide_with(model: &Model, law: &Law, case: &Case, changes: &[Change]) -> Decision {
    let mut changed = case.clone();
    for c in changes {
        c.apply(&mut changed);
    }
    decide::decide(model, law, &changed)
}

/// Records the items `d` opens; returns whether `d` differs from the original for any
/// target item (in outcome or in what became of a provision).
fn collect(
    d: &Decision,
    original: &Decision,
    targets: &[usize],
    changes: &[Change],
    found: &mut Vec<Alternative>,
) -> bool {
    let mut moved = false;
    for &i in targets {
        let (Some(new), Some(old)) = (d.items.get(i), original.items.get(i)) else {
            continue;
        };
        let statuses = |x: &crate::decision::ItemDecision| x.routes.iter().map(|r| r.status).collect::<Vec<_>>();
        moved |= new.outcome != old.outcome || statuses(new) != statuses(old);
        if permits(new.outcome) {
            let mut basis: Vec<ProvisionId> = new.basis.iter().map(|b| b.provision).collect();
            basis.dedup();
            found.push(Alternative {
                item: i,
                changes: changes.to_vec(),
                outcome: new.outcome,
                basis,
            });
        }
    }
    moved
}

fn pairs(
    model: &Model,
    law: &Law,
    case: &Case,
    decision: &Decision,
    (candidates, moved): (&[Change], &[usize]),
    open: &[usize],
    found: &mut Vec<Alternative>,
) {
    let mut spent = 0;
    for &a in moved {
        for (b, cb) in candidates.iter().enumerate() {
            let Some(ca) = candidates.get(a) else { continue };
            // Each unordered pair once: a moved change with any later one, or with an
            // earlier one that did not move anything itself.
            let once = b > a || !moved.contains(&b);
            if !once || ca.dimension() == cb.dimension() {
                continue;
            }
            if spent >= PAIR_BUDGET {
                return;
            }
            spent += 1;
            let pair = [ca.clone(), cb.clone()];
            let d = decide_with(model, law, case, &pair);
            collect(&d, decision, open, &pair, found);
        }
    }
}

/// Every single change the vocabulary allows that differs from the request.
fn candidates(model: &Model, case: &Case, targets: &[usize]) -> Vec<Change> {
    let mut out = Vec::new();
    for m in [Mode::OnRequest, Mode::OwnInitiative] {
        if m != case.mode {
            out.push(Change::Mode(m));
        }
    }
    for k in 0..model.purposes.len() {
        let p = PurposeId::from_index(k);
        if case.purposes != [p] {
            out.push(Change::Purpose(p));
        }
    }
    let read = facts_read(model);
    for (k, fact) in model.facts.iter().enumerate() {
        let f = FactId::from_index(k);
        let Some(thresholds) = read.get(k).and_then(Option::as_ref) else {
            continue;
        };
        for v in values(&fact.ty, thresholds) {
            if fact.about_person {
                for s in subjects(case, targets) {
                    let now = case.subjects.get(s).and_then(|x| x.facts.get(k).copied().flatten());
                    if now != Some(v) {
                        out.push(Change::PersonFact(s, f, v));
                    }
                }
            } else if case.facts.get(k).copied().flatten() != Some(v) {
                out.push(Change::Fact(f, v));
            }
        }
    }
    for s in subjects(case, targets) {
        protection(case, s, &mut out);
    }
    out
}

fn protection(case: &Case, s: usize, out: &mut Vec<Change>) {
    let Some(subject) = case.subjects.get(s) else { return };
    match &subject.markers {
        Some(list) if list.is_empty() => {}
        Some(list) => {
            out.push(Change::Protection(s, Vec::new()));
            if list.len() > 1 {
                for m in list {
                    let fewer: Vec<MarkerId> = list.iter().copied().filter(|x| x != m).collect();
                    out.push(Change::Protection(s, fewer));
                }
            }
        }
        None => out.push(Change::Protection(s, Vec::new())),
    }
}

/// The subjects the target items concern, in order, once.
fn subjects(case: &Case, targets: &[usize]) -> Vec<usize> {
    let mut out: Vec<usize> = targets
        .iter()
        .filter_map(|&i| case.items.get(i).and_then(|it| it.subject))
        .collect();
    out.sort_unstable();
    out.dedup();
    out
}

/// By fact: `None` if no condition reads it, else the numbers conditions compare it with.
fn facts_read(model: &Model) -> Vec<Option<Vec<i64>>> {
    let mut out: Vec<Option<Vec<i64>>> = vec![None; model.facts.len()];
    let mut mark = |f: FactId, n: Option<i64>| {
        if let Some(slot) = out.get_mut(f.index()) {
            let list = slot.get_or_insert_with(Vec::new);
            list.extend(n);
        }
    };
    for e in &model.exprs {
        if let ExprNode::Test(t) = &e.node {
            match t {
                Test::FactCompare(f, _, n) => mark(*f, Some(*n)),
                Test::FactIs(f, _) | Test::FactIn(f, _) | Test::FactPresent(f) => mark(*f, None),
                _ => {}
            }
        }
    }
    out
}

/// The values worth trying for a fact: both truth values, every choice, and around every
/// threshold (below, at, above).
fn values(ty: &FactType, thresholds: &[i64]) -> Vec<FactValue> {
    match ty {
        FactType::YesNo => vec![FactValue::Bool(true), FactValue::Bool(false)],
        FactType::Choice(list) => (0..list.len())
            .map(|k| FactValue::Choice(u32::try_from(k).unwrap_or(u32::MAX)))
            .collect(),
        FactType::Number => {
            let mut ns: Vec<i64> = thresholds
                .iter()
                .flat_map(|&n| [n.saturating_sub(1), n, n.saturating_add(1)])
                .collect();
            ns.sort_unstable();
            ns.dedup();
            ns.into_iter().map(FactValue::Number).collect()
        }
    }
}
