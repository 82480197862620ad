//! The fixed Datalog program, evaluated with datafrog.
//!
//! The program does not change with the ruleset: the law comes in as static relations
//! (`compile::Law`), the request as per-request relations (built in `decide`), and the
//! rules below combine them. It is stratified: each stratum runs to a fixpoint in its own
//! `Iteration` and is completed into a `Relation` before a later stratum negates it.
//! `Variable::from_antijoin` only accepts a `Relation`, so the types enforce that
//! negation is against finished strata.
//!
//! (`Relation::from_antijoin` is not used: in datafrog 2.0.1 it always returns an empty
//! relation, rust-lang/datafrog#39, fixed upstream after the release.)
//!
//! Atoms are `u32` indices: items `I`, versions `V` (`SV` for secrecy versions),
//! provisions `P` (`S` for secrecy provisions), categories `C`. Each rule is written as
//! Datalog above the operation that implements it, numbered as in ARCHITECTURE.md.
//!
//! Conditions on request facts are three-valued and evaluated in Rust between strata; they
//! enter the program as the relations `secrecy_in_scope`, `route_applicable`,
//! `route_undetermined` and `bar_applies`.

use crate::compile::Law;
use datafrog::{Iteration, Relation};

/// Stratum 1a: which secrecy versions in force cover an item's category.
/// Returns `secrecy_candidate_in_force(SV, I)`.
pub fn secrecy_candidates(
    law: &Law,
    item_category: &Relation<(u32, u32)>,
    version_in_force: &Relation<(u32, ())>,
) -> Relation<(u32, u32)> {
    let mut it = Iteration::new();
    let item_category_v = it.variable::<(u32, u32)>("item_category");
    item_category_v.insert(item_category.clone());
    let candidate = it.variable::<(u32, u32)>("secrecy_candidate");
    let in_force = it.variable::<(u32, u32)>("secrecy_candidate_in_force");
    while it.changed() {
        // Rule 1: secrecy_candidate(SV, I) :- item_category(C, I), secrecy_protects(C, SV).
        candidate.from_join(&item_category_v, &law.secrecy_protects, |_c, &i, &sv| (sv, i));
        // Rule 2: secrecy_candidate_in_force(SV, I) :- secrecy_candidate(SV, I), version_in_force(SV).
        in_force.from_join(&candidate, version_in_force, |&sv, &i, _| (sv, i));
    }
    in_force.complete()
}

/// The secrecy protecting each item, and the secrecy a route must break.
pub struct Secrecy {
    /// `item_secret(I, S)`.
    pub item_secret: Relation<(u32, u32)>,
    /// `secrecy_required(I, S)`: what a route must break (subsidiary secrecy follows).
    pub required: Relation<(u32, u32)>,
}

/// Stratum 1b–1c: item secrecy, from the candidates whose scope holds (or may hold) and
/// the sender's own classification.
pub fn item_secrecy(
    law: &Law,
    secrecy_in_scope: &Relation<(u32, u32)>,
    item_classified: &Relation<(u32, u32)>,
    subsidiary: &Relation<u32>,
) -> Secrecy {
    let subsidiary_keyed: Relation<(u32, ())> = subsidiary.iter().map(|&s| (s, ())).collect();

    // Stratum 1b.
    let mut it = Iteration::new();
    let in_scope = it.variable::<(u32, u32)>("secrecy_in_scope");
    in_scope.insert(secrecy_in_scope.clone());
    let item_secret = it.variable::<(u32, u32)>("item_secret");
    item_secret.insert(item_classified.clone());
    let by_secrecy = it.variable::<(u32, u32)>("item_secret_sk");
    let has_primary = it.variable::<u32>("item_has_primary");
    let primary = it.variable::<(u32, u32)>("secrecy_primary");
    let only_subsidiary = it.variable::<(u32, u32)>("secrecy_subsidiary");
    while it.changed() {
        // Rule 3: item_secret(I, S) :- secrecy_in_scope(SV, I), version_provision(SV, S).
        item_secret.from_join(&in_scope, &law.version_provision, |_sv, &i, &s| (i, s));
        // Rule 4: item_secret(I, S) :- item_classified(I, S).   (inserted above)
        by_secrecy.from_map(&item_secret, |&(i, s)| (s, i));
        // Rule 5: item_has_primary(I) :- item_secret(I, S), !subsidiary(S).
        has_primary.from_antijoin(&by_secrecy, subsidiary, |_s, &i| i);
        // Rule 6: secrecy_required(I, S) :- item_secret(I, S), !subsidiary(S).
        primary.from_antijoin(&by_secrecy, subsidiary, |&s, &i| (i, s));
        // (Rule 7, first half) secrecy_subsidiary(I, S) :- item_secret(I, S), subsidiary(S).
        only_subsidiary.from_join(&by_secrecy, &subsidiary_keyed, |&s, &i, _| (i, s));
    }
    let item_secret = item_secret.complete();
    let has_primary = has_primary.complete();
    let primary = primary.complete();
    let only_subsidiary = only_subsidiary.complete();

    // Stratum 1c.
    let mut it = Iteration::new();
    let sub = it.variable::<(u32, u32)>("secrecy_subsidiary");
    sub.insert(only_subsidiary);
    let lone = it.variable::<(u32, u32)>("secrecy_required_subsidiary");
    while it.changed() {
        // Rule 7: secrecy_required(I, S) :- secrecy_subsidiary(I, S), !item_has_primary(I).
        lone.from_antijoin(&sub, &has_primary, |&i, &s| (i, s));
    }
    Secrecy {
        item_secret,
        required: primary.merge(lone.complete()),
    }
}

/// The results of strata 2 and 3.
pub struct Routes {
    /// `route_blocked(I, V, S)`: the rule excludes secrecy on the item.
    pub blocked: Relation<(u32, u32, u32)>,
    /// `route_uncovered(I, V, S)`: a permission that does not break secrecy on the item.
    pub uncovered: Relation<(u32, u32, u32)>,
    /// `route_valid(I, V)`: applicable and reaches all required secrecy.
    pub valid: Relation<(u32, u32)>,
    /// `route_open(I, V)`: undetermined, but would reach all required secrecy.
    pub open: Relation<(u32, u32)>,
    /// `defeated(I, P, V)`: rule version V takes precedence over provision P on item I.
    pub defeated: Relation<(u32, u32, u32)>,
    /// `route_active(I, V)`: valid and not defeated.
    pub active: Relation<(u32, u32)>,
    /// `bar_active(I, V)`: applies (or may apply) and not defeated.
    pub bar_active: Relation<(u32, u32)>,
}

/// Strata 2 (reach) and 3 (priority).
pub fn routes(
    law: &Law,
    route_applicable: &Relation<(u32, u32)>,
    route_undetermined: &Relation<(u32, u32)>,
    bar_applies: &Relation<(u32, u32)>,
    secrecy_required: &Relation<(u32, u32)>,
) -> Routes {
    // Stratum 2a: which secrecy each candidate route fails to reach.
    let mut it = Iteration::new();
    let candidate = it.variable::<(u32, u32)>("route_candidate");
    // Rule 8: route_candidate(I, V) :- route_applicable(I, V).
    //         route_candidate(I, V) :- route_undetermined(I, V).
    candidate.insert(route_applicable.clone());
    candidate.insert(route_undetermined.clone());
    let route_secrecy = it.variable::<((u32, u32), u32)>("route_secrecy_vs");
    let by_version = it.variable::<(u32, (u32, u32))>("route_secrecy_v");
    let permission_secrecy = it.variable::<((u32, u32), u32)>("permission_secrecy_vs");
    let blocked = it.variable::<(u32, u32, u32)>("route_blocked");
    let uncovered = it.variable::<(u32, u32, u32)>("route_uncovered");
    let unreaching = it.variable::<(u32, u32)>("route_unreaching");
    while it.changed() {
        // Rule 9: route_secrecy(I, V, S) :- route_candidate(I, V), secrecy_required(I, S).
        route_secrecy.from_join(&candidate, secrecy_required, |&i, &v, &s| ((v, s), i));
        // Rule 10: route_blocked(I, V, S) :- route_secrecy(I, V, S), rule_excludes(V, S).
        blocked.from_join(&route_secrecy, &law.rule_excludes, |&(v, s), &i, _| (i, v, s));
        by_version.from_map(&route_secrecy, |&((v, s), i)| (v, (s, i)));
        permission_secrecy.from_join(&by_version, &law.permission, |&v, &(s, i), _| ((v, s), i));
        // Rule 11: route_uncovered(I, V, S) :-
        //     route_secrecy(I, V, S), permission(V), !permission_breaks(V, S).
        uncovered.from_antijoin(&permission_secrecy, &law.permission_breaks, |&(v, s), &i| (i, v, s));
        // Rule 12: route_unreaching(I, V) :- route_blocked(I, V, _).
        //          route_unreaching(I, V) :- route_uncovered(I, V, _).
        unreaching.from_map(&blocked, |&(i, v, _)| (i, v));
        unreaching.from_map(&uncovered, |&(i, v, _)| (i, v));
    }
    let blocked = blocked.complete();
    let uncovered = uncovered.complete();
    let unreaching = unreaching.complete();

    // Stratum 2b: routes that reach everything they must.
    let mut it = Iteration::new();
    let applicable = it.variable::<((u32, u32), ())>("route_applicable_iv");
    applicable.extend(route_applicable.iter().map(|&(i, v)| ((i, v), ())));
    let undetermined = it.variable::<((u32, u32), ())>("route_undetermined_iv");
    undetermined.extend(route_undetermined.iter().map(|&(i, v)| ((i, v), ())));
    let valid = it.variable::<(u32, u32)>("route_valid");
    let open = it.variable::<(u32, u32)>("route_open");
    let bars = it.variable::<(u32, u32)>("bar_applies_v");
    bars.extend(bar_applies.iter().map(|&(i, v)| (v, i)));
    let valid_by_version = it.variable::<(u32, u32)>("route_valid_v");
    let defeated = it.variable::<(u32, u32, u32)>("defeated");
    while it.changed() {
        // Rule 13: route_valid(I, V) :- route_applicable(I, V), !route_unreaching(I, V).
        valid.from_antijoin(&applicable, &unreaching, |&(i, v), _| (i, v));
        // Rule 14: route_open(I, V) :- route_undetermined(I, V), !route_unreaching(I, V).
        open.from_antijoin(&undetermined, &unreaching, |&(i, v), _| (i, v));
        valid_by_version.from_map(&valid, |&(i, v)| (v, i));
        // Stratum 3a (no negation, so it shares the iteration): priority.
        // Rule 15: defeated(I, P, V) :- bar_applies(I, V), rule_precedes(V, P).
        defeated.from_join(&bars, &law.rule_precedes, |&v, &i, &p| (i, p, v));
        // Rule 16: defeated(I, P, V) :- route_valid(I, V), rule_precedes(V, P).
        defeated.from_join(&valid_by_version, &law.rule_precedes, |&v, &i, &p| (i, p, v));
    }
    let valid = valid.complete();
    let open = open.complete();
    let valid_by_version = valid_by_version.complete();
    let defeated = defeated.complete();
    let defeated_keys: Relation<(u32, u32)> = defeated.iter().map(|&(i, p, _)| (i, p)).collect();

    // Stratum 3b: what survives priority.
    let mut it = Iteration::new();
    let valid_v = it.variable::<(u32, u32)>("route_valid_v");
    valid_v.insert(valid_by_version);
    let bars_v = it.variable::<(u32, u32)>("bar_applies_v");
    bars_v.extend(bar_applies.iter().map(|&(i, v)| (v, i)));
    let valid_provision = it.variable::<((u32, u32), u32)>("route_valid_ip");
    let bar_provision = it.variable::<((u32, u32), u32)>("bar_applies_ip");
    let active = it.variable::<(u32, u32)>("route_active");
    let bar_active = it.variable::<(u32, u32)>("bar_active");
    while it.changed() {
        valid_provision.from_join(&valid_v, &law.version_provision, |&v, &i, &p| ((i, p), v));
        bar_provision.from_join(&bars_v, &law.version_provision, |&v, &i, &p| ((i, p), v));
        // Rule 17: route_active(I, V) :-
        //     route_valid(I, V), version_provision(V, P), !defeated(I, P, _).
        active.from_antijoin(&valid_provision, &defeated_keys, |&(i, _p), &v| (i, v));
        // Rule 18: bar_active(I, V) :-
        //     bar_applies(I, V), version_provision(V, P), !defeated(I, P, _).
        bar_active.from_antijoin(&bar_provision, &defeated_keys, |&(i, _p), &v| (i, v));
    }
    Routes {
        blocked,
        uncovered,
        valid,
        open,
        defeated,
        active: active.complete(),
        bar_active: bar_active.complete(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    /// The regression that datafrog 2.0.1's `Relation::from_antijoin` would fail: secrecy on
    /// an item that is not subsidiary must be required.
    #[test]
    fn negation_against_completed_strata_keeps_tuples() {
        let law = Law {
            secrecy_protects: Relation::from_vec(vec![]),
            version_provision: Relation::from_vec(vec![(7, 70)]),
            rule_excludes: Relation::from_vec(vec![]),
            permission_breaks: Relation::from_vec(vec![]),
            permission: Relation::from_vec(vec![]),
            rule_precedes: Relation::from_vec(vec![]),
            rule_versions: vec![],
            rule_provisions: vec![],
            data_protection_versions: vec![],
            conditional_consequences: vec![],
        };
        // Item 0: secrecy 70 (primary) and 45 (subsidiary). Item 1: only 45.
        let s = item_secrecy(
            &law,
            &Relation::from_vec(vec![(7, 0)]),
            &Relation::from_vec(vec![(0, 45), (1, 45)]),
            &Relation::from_vec(vec![45]),
        );
        assert_eq!(s.item_secret.elements, vec![(0, 45), (0, 70), (1, 45)]);
        assert_eq!(s.required.elements, vec![(0, 70), (1, 45)]);
    }
}
