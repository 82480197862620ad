//! Step 6: an item's outcome and the routes it rests on.
//!
//! The program says which routes are effective and whether a bar and a route conflict
//! (rules 21–23). What Datalog cannot say is chosen here: among effective routes, the best
//! outcome wins and every route giving it is in the basis. A bar alone denies; a conflict
//! asks for a person; with no route, secrecy denies and its absence allows, and where the
//! rulebook does not model the item's secrecy (and no known secrecy settles it, or a route
//! might reach it) a person decides. A cap
//! (a classification not in force) lowers the outcome to `manual`.

use super::secrecy::SecrecyStage;
use super::{Cx, ItemIx};
use crate::decision::*;
use crate::program::{holds, member};
use lagrum_dsl::model::*;

/// An item's outcome before its consequences: the findings, the reason, the basis routes.
pub(super) struct Draft {
    pub outcome: Outcome,
    pub reason: Reason,
    pub routes: Vec<RouteFinding>,
    /// Indices into `routes`, sorted.
    pub basis: Vec<usize>,
    pub caps: Vec<Cap>,
}

impl Draft {
    /// The versions of the routes in the basis (for stratum 4).
    pub fn basis_versions(&self) -> impl Iterator<Item = VersionId> + '_ {
        self.basis
            .iter()
            .filter_map(|k| self.routes.get(*k))
            .filter_map(|f| f.version)
    }
}

pub(super) fn aggregate(
    cx: &Cx<'_>,
    i: usize,
    mut routes: Vec<RouteFinding>,
    secrecy: &SecrecyStage,
) -> Result<Draft, Fault> {
    let ix = ItemIx::from_index(i).0;
    let caps = secrecy.caps_of(i).need("uppgiftens begränsningar")?;
    let effective = |f: &RouteFinding| f.version.is_some_and(|v| holds(&cx.routes.effective, &(ix, v.0)));
    let bar = |f: &RouteFinding| f.version.is_some_and(|v| holds(&cx.routes.bar_active, &(ix, v.0)));
    let active_routes: Vec<usize> = (0..routes.len())
        .filter(|&k| routes.get(k).is_some_and(|f| effective(f) && f.outcome.is_some()))
        .collect();
    let active_bars: Vec<usize> = (0..routes.len()).filter(|&k| routes.get(k).is_some_and(bar)).collect();
    let (mut outcome, reason, mut basis) = if member(&cx.routes.conflict, ix) {
        conflict(&mut routes, &active_bars, &active_routes)?
    } else if let Some(&b) = active_bars.first() {
        let bv = routes.get(b).and_then(|f| f.version).need("förbud")?;
        (Outcome::Deny, Reason::Bar(bv), active_bars)
    } else if !active_routes.is_empty() {
        best(&routes, active_routes)
    } else if member(&secrecy.unmodelled, ix) && (!secrecy.requires(i) || unsure(cx, ix, &routes)) {
        (Outcome::Manual, Reason::SecrecyUnknown, Vec::new())
    } else if member(&cx.routes.secret, ix) {
        (Outcome::Deny, Reason::Secrecy, Vec::new())
    } else {
        (Outcome::Allow, Reason::NotSecret, Vec::new())
    };
    if !caps.is_empty() {
        outcome = outcome.min(Outcome::Manual);
    }
    basis.sort_unstable();
    Ok(Draft {
        outcome,
        reason,
        routes,
        basis,
        caps: caps.to_vec(),
    })
}

/// A bar and a route both apply with no priority between them: both sides are marked and
/// a person decides.
fn conflict(
    routes: &mut [RouteFinding],
    bars: &[usize],
    active: &[usize],
) -> Result<(Outcome, Reason, Vec<usize>), Fault> {
    let version = |routes: &[RouteFinding], k: Option<&usize>| {
        k.and_then(|k| routes.get(*k)).and_then(|f| f.version).need("konflikt")
    };
    let bv = version(routes, bars.first())?;
    let rv = version(routes, active.first())?;
    for &k in bars {
        if let Some(f) = routes.get_mut(k) {
            f.status = RouteStatus::Conflict { with: rv };
        }
    }
    for &k in active {
        if let Some(f) = routes.get_mut(k) {
            f.status = RouteStatus::Conflict { with: bv };
        }
    }
    let mut basis = bars.to_vec();
    basis.extend_from_slice(active);
    Ok((Outcome::Manual, Reason::Conflict { bar: bv, route: rv }, basis))
}

/// The best outcome among the effective routes, and every route that gives it.
fn best(routes: &[RouteFinding], active: Vec<usize>) -> (Outcome, Reason, Vec<usize>) {
    let outcome_of = |k: &usize| routes.get(*k).and_then(|f| f.outcome);
    let best = active.iter().filter_map(outcome_of).max().unwrap_or(Outcome::Deny);
    let basis = active.into_iter().filter(|k| outcome_of(k) == Some(best)).collect();
    (best, Reason::Route, basis)
}

/// Whether a route that could apply is unsure only because the item's secrecy is not
/// modelled (rule 12): with that secrecy known, it might reach the item.
fn unsure(cx: &Cx<'_>, ix: u32, routes: &[RouteFinding]) -> bool {
    routes
        .iter()
        .filter_map(|f| f.version)
        .any(|v| holds(&cx.routes.unsure, &(ix, v.0)))
}
