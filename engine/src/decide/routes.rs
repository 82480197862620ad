//! Steps 4–5 for one item: what became of every permission, duty and bar, read from the
//! program's results (never worked out again here), and the outcome of each route that
//! applies or could apply.

use super::secrecy::SecrecyStage;
use super::{Cx, ItemIx};
use crate::cond::{self, Env, Reads, Truth};
use crate::decision::*;
use crate::program::{holds, third};
use crate::request::{Case, Item};
use lagrum_dsl::date::Date;
use lagrum_dsl::model::*;

/// The risk factors that hold (or may hold) for an item, with what they read.
pub(super) type Risks = Vec<(RiskId, Truth, Reads)>;

/// Every rule provision's finding for item `i`, with the outcome of each route that
/// applies or is undetermined.
pub(super) fn findings(
    cx: &Cx<'_>,
    i: usize,
    item: &Item,
    secrecy: &SecrecyStage,
    env: &Env<'_>,
) -> Result<Vec<RouteFinding>, Fault> {
    let risks = risks(cx.model, env);
    let secret = secrecy.requires(i);
    let mut out = Vec::with_capacity(cx.law.rule_provisions.len());
    for &p in &cx.law.rule_provisions {
        let Some(v) = cx.in_force.of(p) else {
            out.push(not_in_force(cx.model, p, cx.case.date));
            continue;
        };
        let mut f = status(cx, i, p, v)?;
        if matches!(
            f.status,
            RouteStatus::Applies | RouteStatus::Undetermined | RouteStatus::SecrecyUnknown
        ) && f.outcome.is_none()
        {
            let (outcome, notes) = outcome(cx.model, cx.case, item, v, secret, &risks, env)?;
            f.outcome = Some(outcome);
            f.notes = notes;
        }
        out.push(f);
    }
    Ok(out)
}

/// The status of rule version `v` of provision `p` for item `i`, from the program's
/// relations: rejected (a condition fails), excluded, not covering, unsure (unmodelled
/// secrecy), undetermined, defeated, or applies.
fn status(cx: &Cx<'_>, i: usize, p: ProvisionId, v: VersionId) -> Result<RouteFinding, Fault> {
    let slot = cx
        .law
        .rule_version_slot
        .get(v.index())
        .copied()
        .flatten()
        .need("regelplats")?;
    let item_slot = cx.rules.item_slot(i, slot as usize);
    let truth = cx.rules.truth(i, slot as usize).need("regelvillkor")?;
    let r = cx.routes;
    let key = (ItemIx::from_index(i).0, v.0);
    let defeated_by = || third(&r.defeated, key.0, p.0).map(VersionId);
    let mut f = RouteFinding {
        provision: p,
        version: Some(v),
        status: RouteStatus::Rejected,
        shared_checks: Some(slot),
        item_checks: u32::try_from(item_slot).ok(),
        outcome: None,
        notes: Vec::new(),
    };
    if truth == Truth::False {
        return Ok(f);
    }
    if super::rules::kind_of(cx.model, v)? == ProvisionKind::Bar {
        if holds(&r.bar_active, &key) {
            f.status = RouteStatus::Applies;
            f.outcome = Some(Outcome::Deny);
        } else {
            f.status = RouteStatus::Defeated {
                by: defeated_by().need("företräde")?,
            };
        }
        return Ok(f);
    }
    f.status = if let Some(s) = third(&r.blocked, key.0, key.1) {
        RouteStatus::Excluded {
            secrecy: ProvisionId(s),
            by: exclusion_source(cx.model, v, ProvisionId(s)),
        }
    } else if let Some(s) = third(&r.uncovered, key.0, key.1) {
        RouteStatus::NotCovering {
            secrecy: ProvisionId(s),
        }
    } else if holds(&r.unsure, &key) {
        RouteStatus::SecrecyUnknown
    } else if truth == Truth::Unknown {
        RouteStatus::Undetermined
    } else if holds(&r.active, &key) {
        RouteStatus::Applies
    } else {
        RouteStatus::Defeated {
            by: defeated_by().need("företräde")?,
        }
    };
    Ok(f)
}

/// The provision that makes an exclusion, when not the rule itself (LUB 8 §).
fn exclusion_source(model: &Model, v: VersionId, s: ProvisionId) -> Option<ProvisionId> {
    match model.version(v).map(|x| &x.body) {
        Some(Body::Rule(r)) => r.excludes.iter().find(|e| e.secrecy == s).and_then(|e| e.by),
        _ => None,
    }
}

fn not_in_force(model: &Model, p: ProvisionId, date: Date) -> RouteFinding {
    let versions = || {
        model
            .provision(p)
            .map(|x| x.versions.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|v| model.version(*v))
    };
    let starts = versions().map(|v| v.from).filter(|f| *f > date).min();
    let ended = versions().filter_map(|v| v.to).filter(|t| *t < date).max();
    RouteFinding {
        provision: p,
        version: None,
        status: RouteStatus::NotInForce { starts, ended },
        shared_checks: None,
        item_checks: None,
        outcome: None,
        notes: Vec::new(),
    }
}

/// The risk factors that hold or may hold: properties of the item, evaluated once.
fn risks(model: &Model, env: &Env<'_>) -> Risks {
    model
        .risks
        .iter()
        .enumerate()
        .map(|(r, risk)| {
            let mut reads = Reads::new();
            let t = cond::eval(env, risk.when, &mut reads);
            (RiskId::from_index(r), t, reads)
        })
        .filter(|(_, t, _)| t.possibly())
        .collect()
}

/// The outcome one applicable route gives an item, and what shaped it.
///
/// A duty gives `must` and a permission `allow`. When the item is secret, a balancing test
/// with a presumption for disclosure keeps that outcome (the test must be made and
/// documented) unless a risk factor is present; a presumption against disclosure, a
/// judgement the request cannot settle, or an uncertain point of law give `manual`. A
/// matching pre-assessment settles a balancing test or a judgement, not a risk factor or
/// an uncertainty.
pub(super) fn outcome(
    model: &Model,
    case: &Case,
    item: &Item,
    v: VersionId,
    secret: bool,
    risks: &Risks,
    env: &Env<'_>,
) -> Result<(Outcome, Vec<Escalation>), Fault> {
    let version = model.version(v).need("version")?;
    let Body::Rule(r) = &version.body else {
        return Err(Fault { what: "regelversion" });
    };
    let duty = model.provision(version.provision).need("bestämmelse")?.kind == ProvisionKind::Duty;
    let base = if duty { Outcome::Must } else { Outcome::Allow };
    let mut notes = Vec::new();
    let mut unsettleable = false;
    for (k, u) in r.uncertain.iter().enumerate() {
        let t = match u.when {
            None => Truth::True,
            Some(w) => cond::eval(env, w, &mut Reads::new()),
        };
        if t.possibly() {
            notes.push(Escalation::Uncertain(k, t));
            unsettleable = true;
        }
    }
    if !secret {
        // Nothing to break: the item may go whatever the route's tests say. A duty is
        // certain only without open questions of law or judgement.
        notes.push(Escalation::NotSecret);
        let certain = !unsettleable && r.judgements.is_empty();
        return Ok((if duty && certain { Outcome::Must } else { Outcome::Allow }, notes));
    }
    let mut settleable = false;
    if let Some(b) = r.balancing {
        if model.balancing_test(b).need("prövning")?.presumption == Presumption::ForDisclosure {
            notes.push(Escalation::Balancing(b));
        } else {
            notes.push(Escalation::BalancingAgainst(b));
            settleable = true;
        }
    }
    for k in 0..r.judgements.len() {
        notes.push(Escalation::Judgement(k));
        settleable = true;
    }
    // A risk factor leaves any weighing to a person: a live balancing test, whichever its
    // presumption, and a judgement, even one a pre-assessment would otherwise settle.
    if r.balancing.is_some() || !r.judgements.is_empty() {
        for (risk, t, _) in risks {
            notes.push(Escalation::Risk(*risk, *t));
            unsettleable = true;
        }
    }
    if unsettleable {
        return Ok((Outcome::Manual, notes));
    }
    if settleable {
        return Ok(match preassessment(model, case, item, version.provision) {
            Some(pre) => {
                notes.push(Escalation::PreAssessment(pre));
                let may = model.preassessment(pre).need("förhandsbedömning")?.result == PreResult::May;
                (if may { base } else { Outcome::Deny }, notes)
            }
            None => (Outcome::Manual, notes),
        });
    }
    Ok((base, notes))
}

/// The first pre-assessment that covers this flow on the date.
fn preassessment(model: &Model, case: &Case, item: &Item, p: ProvisionId) -> Option<PreId> {
    model
        .preassessments
        .iter()
        .position(|pre| {
            pre.provision == p
                && pre.from <= case.date
                && pre.to.is_none_or(|t| case.date <= t)
                && pre.senders.contains(case.sender.actor, case.sender.unit) == Membership::Yes
                && pre.recipients.contains(case.recipient.actor, case.recipient.unit) == Membership::Yes
                && pre.categories.contains(item.category)
                && case
                    .purposes
                    .iter()
                    .any(|x| pre.purposes.members.binary_search(x).is_ok())
        })
        .map(PreId::from_index)
}
