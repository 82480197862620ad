//! The program evaluated the obvious way: each rule as nested loops over plain vectors,
//! read straight off the Datalog. Slow on purpose and short enough to check by eye; the
//! property test in `engine/tests/reference.rs` holds the datafrog evaluator to it.

use super::{Pairs, Program, RouteFacts, Routes, Secrecy, Set, Triples};
use crate::compile::Law;
use datafrog::Relation;

/// The reference evaluator.
#[derive(Debug, Clone, Copy, Default)]
pub struct Naive;

fn has<T: PartialEq>(rel: &[T], t: &T) -> bool {
    rel.iter().any(|x| x == t)
}

impl Program for Naive {
    fn secrecy_candidates(&self, law: &Law, item_category: &Pairs, version_in_force: &Set) -> Pairs {
        let mut out = Vec::new();
        for &(c, i) in item_category.iter() {
            for &(c2, sv) in law.secrecy_protects.iter() {
                // Rules 1–2.
                if c == c2 && has(version_in_force, &(sv, ())) {
                    out.push((sv, i));
                }
            }
        }
        Relation::from_vec(out)
    }

    fn item_secrecy(&self, law: &Law, secrecy_in_scope: &Pairs, item_classified: &Pairs, subsidiary: &Set) -> Secrecy {
        let mut item_secret = Vec::new();
        for &(sv, i) in secrecy_in_scope.iter() {
            for &(v, s) in law.version_provision.iter() {
                // Rule 3.
                if v == sv {
                    item_secret.push((i, s));
                }
            }
        }
        // Rule 4.
        item_secret.extend(item_classified.iter().copied());
        let is_subsidiary = |s: u32| has(subsidiary, &(s, ()));
        // Rule 5.
        let has_primary = |i: u32| item_secret.iter().any(|&(j, s)| j == i && !is_subsidiary(s));
        let mut required = Vec::new();
        for &(i, s) in &item_secret {
            // Rule 6, rule 7.
            if !is_subsidiary(s) || !has_primary(i) {
                required.push((i, s));
            }
        }
        Secrecy {
            item_secret: Relation::from_vec(item_secret),
            required: Relation::from_vec(required),
        }
    }

    fn routes(&self, law: &Law, f: &RouteFacts<'_>) -> Routes {
        let (blocked, uncovered, unsure) = reach(law, f);
        // Rule 13.
        let unreaching = |i: u32, v: u32| {
            blocked.iter().any(|&(a, b, _)| (a, b) == (i, v))
                || uncovered.iter().any(|&(a, b, _)| (a, b) == (i, v))
                || has(&unsure, &(i, v))
        };
        // Rules 14, 15.
        let valid: Vec<(u32, u32)> = f
            .applicable
            .iter()
            .copied()
            .filter(|&(i, v)| !unreaching(i, v))
            .collect();
        let open: Vec<(u32, u32)> = f
            .undetermined
            .iter()
            .copied()
            .filter(|&(i, v)| !unreaching(i, v))
            .collect();
        let (defeated, active, bar_active) = priority(law, f, &valid);
        let (secret, effective, conflict) = deciding(law, f, &active, &bar_active);
        Routes {
            blocked: Triples::from_vec(blocked),
            uncovered: Triples::from_vec(uncovered),
            unsure: Relation::from_vec(unsure),
            valid: Relation::from_vec(valid),
            open: Relation::from_vec(open),
            defeated: Triples::from_vec(defeated),
            active: Relation::from_vec(active),
            bar_active: Relation::from_vec(bar_active),
            secret: Relation::from_vec(secret),
            effective: Relation::from_vec(effective),
            conflict: Relation::from_vec(conflict),
        }
    }

    fn basis_bridges(&self, law: &Law, in_basis: &Pairs, secret: &Set) -> Pairs {
        let mut out = Vec::new();
        for &(i, v) in in_basis.iter() {
            for &(w, b) in law.breaks_through.iter() {
                // Rule 24.
                if w == v && has(secret, &(i, ())) {
                    out.push((i, b));
                }
            }
        }
        Relation::from_vec(out)
    }
}

type Triple = (u32, u32, u32);
type Pair = (u32, u32);
type One = (u32, ());

/// Rules 8–12: which secrecy each candidate route fails to reach:
/// `(route_blocked, route_uncovered, route_unsure)`.
fn reach(law: &Law, f: &RouteFacts<'_>) -> (Vec<Triple>, Vec<Triple>, Vec<Pair>) {
    // Rule 8.
    let candidate: Vec<(u32, u32)> = f.applicable.iter().chain(f.undetermined.iter()).copied().collect();
    let (mut blocked, mut uncovered, mut unsure) = (Vec::new(), Vec::new(), Vec::new());
    for &(i, v) in &candidate {
        for &(j, s) in f.required.iter() {
            // Rule 9: route_secrecy(i, v, s).
            if j != i {
                continue;
            }
            // Rule 10.
            if has(&law.rule_excludes, &((v, s), ())) {
                blocked.push((i, v, s));
            }
            // Rule 11.
            if has(&law.permission, &(v, ())) && !has(&law.permission_breaks, &((v, s), ())) {
                uncovered.push((i, v, s));
            }
        }
        // Rule 12.
        if has(f.unmodelled, &(i, ())) && has(&law.reach_limited, &(v, ())) {
            unsure.push((i, v));
        }
    }
    (blocked, uncovered, unsure)
}

/// Rules 16–19: `(defeated, route_active, bar_active)`.
fn priority(law: &Law, f: &RouteFacts<'_>, valid: &[Pair]) -> (Vec<Triple>, Vec<Pair>, Vec<Pair>) {
    // Rules 16, 17.
    let mut defeated = Vec::new();
    for &(i, v) in f.bar_applies.iter().chain(valid.iter()) {
        for &(hi, p) in law.rule_precedes.iter() {
            if hi == v {
                defeated.push((i, p, v));
            }
        }
    }
    let provision_of = |v: u32| law.version_provision.iter().find(|&&(x, _)| x == v).map(|&(_, p)| p);
    let is_defeated =
        |i: u32, v: u32| provision_of(v).is_some_and(|p| defeated.iter().any(|&(a, b, _)| (a, b) == (i, p)));
    // Rules 18, 19.
    let active: Vec<(u32, u32)> = valid.iter().copied().filter(|&(i, v)| !is_defeated(i, v)).collect();
    let bar_active: Vec<(u32, u32)> = f
        .bar_applies
        .iter()
        .copied()
        .filter(|&(i, v)| !is_defeated(i, v))
        .collect();
    (defeated, active, bar_active)
}

/// Rules 20–23: `(item_secret_any, route_effective, item_conflict)`.
fn deciding(law: &Law, f: &RouteFacts<'_>, active: &[Pair], bar_active: &[Pair]) -> (Vec<One>, Vec<Pair>, Vec<One>) {
    // Rule 20.
    let secret: Vec<(u32, ())> = f
        .required
        .iter()
        .map(|&(i, _)| (i, ()))
        .chain(f.unmodelled.iter().copied())
        .collect();
    // Rules 21, 22.
    let effective: Vec<(u32, u32)> = active
        .iter()
        .copied()
        .filter(|&(i, v)| has(&secret, &(i, ())) || has(&law.duty, &(v, ())))
        .collect();
    // Rule 23.
    let conflict: Vec<(u32, ())> = effective
        .iter()
        .filter(|&&(i, _)| bar_active.iter().any(|&(j, _)| j == i))
        .map(|&(i, _)| (i, ()))
        .collect();
    (secret, effective, conflict)
}
