//! Step 3: the conditions of every permission, duty and bar in force, three-valued.
//!
//! Who gives, who receives, how and why depend only on the request: they are checked once
//! per rule version and shared by the items. What the item is (`avser`) and the written
//! condition (`när`) are checked per item, and only where the request-level checks did not
//! already fail. The result enters the program as `route_applicable`, `route_undetermined`
//! and `bar_applies`.

use super::ItemIx;
use super::secrecy::SecrecyStage;
use crate::compile::{InForce, Law};
use crate::cond::{self, Env, FactKey, Read, Reads, Truth};
use crate::decision::*;
use crate::program::{Pairs, RouteFacts};
use crate::request::Case;
use datafrog::Relation;
use lagrum_dsl::model::*;

/// What step 3 found.
pub(super) struct RuleStage {
    pub request_checks: CheckTable,
    pub item_checks: CheckTable,
    /// Per item and rule version slot (`i * n_slots + k`): the combined truth.
    item_truth: Vec<Truth>,
    n_slots: usize,
    applicable: Pairs,
    undetermined: Pairs,
    bar_applies: Pairs,
}

impl RuleStage {
    /// The program's inputs for strata 2–3.
    pub fn facts<'a>(&'a self, secrecy: &'a SecrecyStage) -> RouteFacts<'a> {
        RouteFacts {
            applicable: &self.applicable,
            undetermined: &self.undetermined,
            bar_applies: &self.bar_applies,
            required: &secrecy.required,
            unmodelled: &secrecy.unmodelled,
        }
    }

    /// The slot of item `i`'s checks of the rule version in slot `k`.
    pub fn item_slot(&self, i: usize, k: usize) -> usize {
        i * self.n_slots + k
    }

    /// All checks of a finding: the shared request-level ones, then its own.
    pub fn checks_of<'a>(&'a self, f: &'a RouteFinding) -> impl Iterator<Item = &'a Check> + 'a {
        route_checks(&self.request_checks, &self.item_checks, f)
    }

    /// The combined truth of all of a rule version's conditions for item `i`; `None` only
    /// if the slot is missing, which callers turn into a fault (never "does not apply":
    /// for a bar that would be permissive).
    pub fn truth(&self, i: usize, k: usize) -> Option<Truth> {
        self.item_truth.get(self.item_slot(i, k)).copied()
    }
}

pub(super) fn evaluate(
    model: &Model,
    law: &Law,
    in_force: &InForce,
    case: &Case,
    secrecy: &SecrecyStage,
) -> Result<RuleStage, Fault> {
    let n_slots = law.rule_versions.len();
    let mut request_checks = CheckTable::with_slots(n_slots);
    // Per slot: the rule body in force and whether it is a bar.
    let mut bodies: Vec<Option<(&RuleBody, bool)>> = Vec::with_capacity(n_slots);
    let mut request_truth = Vec::with_capacity(n_slots);
    for (k, &v) in law.rule_versions.iter().enumerate() {
        if !in_force.version(v) {
            bodies.push(None);
            request_truth.push(Truth::False);
            continue;
        }
        let Body::Rule(r) = &model.version(v).need("version")?.body else {
            return Err(Fault { what: "regelversion" });
        };
        let mut truth = Truth::True;
        request_checks.record(k, |out| {
            let start = out.len();
            request_level_checks(case, r, out);
            // No checks: nothing at this level limits the rule. A missed range is a bug:
            // unknown, never a pass.
            truth = out.get(start..).map_or(Truth::Unknown, |own| {
                own.iter().map(|c| c.truth).min().unwrap_or(Truth::True)
            });
        });
        bodies.push(Some((r, kind_of(model, v)? == ProvisionKind::Bar)));
        request_truth.push(truth);
    }
    let mut stage = RuleStage {
        request_checks,
        item_checks: CheckTable::with_slots(case.items.len() * n_slots),
        item_truth: vec![Truth::False; case.items.len() * n_slots],
        n_slots,
        applicable: Relation::from_vec(Vec::new()),
        undetermined: Relation::from_vec(Vec::new()),
        bar_applies: Relation::from_vec(Vec::new()),
    };
    let (mut applicable, mut undetermined, mut bars) = (Vec::new(), Vec::new(), Vec::new());
    for (i, item) in case.items.iter().enumerate() {
        let env = super::env(
            model,
            case,
            item,
            secrecy.secret_of(i).need("uppgiftens sekretess")?,
            None,
        );
        for (k, (&v, body)) in law.rule_versions.iter().zip(&bodies).enumerate() {
            let Some((r, is_bar)) = *body else { continue };
            let base = request_truth.get(k).copied().need("regelvillkor")?;
            let truth = stage.item_level(i, k, base, r, &env);
            let atom = (ItemIx::from_index(i).0, v.0);
            match (truth, is_bar) {
                (Truth::False, _) => {}
                (_, true) => bars.push(atom),
                (Truth::True, false) => applicable.push(atom),
                (Truth::Unknown, false) => undetermined.push(atom),
            }
        }
    }
    stage.applicable = Relation::from_vec(applicable);
    stage.undetermined = Relation::from_vec(undetermined);
    stage.bar_applies = Relation::from_vec(bars);
    Ok(stage)
}

impl RuleStage {
    /// Checks what a rule says about item `i` (`avser`, `när`), unless the request-level
    /// checks already failed, and records the combined truth.
    fn item_level(&mut self, i: usize, k: usize, base: Truth, r: &RuleBody, env: &Env<'_>) -> Truth {
        let slot = self.item_slot(i, k);
        let mut truth = base;
        if base != Truth::False {
            self.item_checks.record(slot, |out| {
                let start = out.len();
                if let Some(set) = &r.covers {
                    out.push(field_check(
                        CheckKind::Covers,
                        set.contains(env.item.category),
                        FactKey::Category,
                    ));
                }
                if let Some(w) = r.when {
                    out.push(condition_check(env, w));
                }
                truth = out
                    .get(start..)
                    .map_or(Truth::Unknown, |own| own.iter().fold(base, |t, c| t.min(c.truth)));
            });
        }
        if let Some(t) = self.item_truth.get_mut(slot) {
            *t = truth;
        }
        truth
    }
}

/// The kind of a version's provision.
pub(super) fn kind_of(model: &Model, v: VersionId) -> Result<ProvisionKind, Fault> {
    let p = model.version(v).need("version")?.provision;
    Ok(model.provision(p).need("bestämmelse")?.kind)
}

/// Which party of the request a check of an actor set reads.
#[derive(Clone, Copy)]
pub(super) enum Side {
    Sender,
    Recipient,
}

/// Whether the sender or the recipient is in an actor set. A set that names units of the
/// party's authority, when the request gives no unit, is unknown and asks for the unit.
pub(super) fn party_check(kind: CheckKind, set: &ActorSet, case: &Case, side: Side) -> Check {
    let (party, key, unit_key) = match side {
        Side::Sender => (&case.sender, FactKey::Sender, FactKey::SenderUnit),
        Side::Recipient => (&case.recipient, FactKey::Recipient, FactKey::RecipientUnit),
    };
    let (truth, read) = cond::membership(set.contains(party.actor, party.unit), key, unit_key);
    Check {
        kind,
        truth,
        reads: smallvec::smallvec![read],
    }
}

/// A check of a fixed request field (mode, purposes, category) that is never missing.
fn field_check(kind: CheckKind, holds: bool, key: FactKey) -> Check {
    Check {
        kind,
        truth: Truth::from_bool(holds),
        reads: smallvec::smallvec![Read { key, missing: false }],
    }
}

/// A written condition (`när`), evaluated three-valued with what it read.
pub(super) fn condition_check(env: &Env<'_>, w: ExprId) -> Check {
    let mut reads = Reads::new();
    let truth = cond::eval(env, w, &mut reads);
    Check {
        kind: CheckKind::Condition(w),
        truth,
        reads,
    }
}

/// The checks that depend only on the request: who gives, who receives, how, why.
fn request_level_checks(case: &Case, r: &RuleBody, checks: &mut Vec<Check>) {
    if let Some(set) = &r.givers {
        checks.push(party_check(CheckKind::Giver, set, case, Side::Sender));
    }
    if let Some(set) = &r.receivers {
        checks.push(party_check(CheckKind::Receiver, set, case, Side::Recipient));
    }
    if let Some(modes) = &r.modes {
        checks.push(field_check(CheckKind::Mode, modes.contains(&case.mode), FactKey::Mode));
    }
    if let Some(set) = &r.purposes {
        let any = case.purposes.iter().any(|p| set.members.binary_search(p).is_ok());
        checks.push(field_check(CheckKind::Purpose, any, FactKey::Purposes));
    }
}
