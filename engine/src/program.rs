//! The fixed Datalog program, evaluated with datafrog.
//!
//! The program does not change with the ruleset: the law comes in as static relations
//! (`compile::Law`), the request as per-request relations (built in `decide`), and the
//! rules below combine them. It is stratified: every relation a rule negates is complete
//! before the rule runs. No stratum is recursive, so each is a sequence of datafrog
//! relation operations (joins, maps and leapjoins) on complete `Relation`s, without the
//! per-variable bookkeeping of an `Iteration`.
//!
//! Negation is a leapjoin with a `filter_anti` leaper. (`Relation::from_antijoin` is not
//! used: in datafrog 2.0.1 it always returns an empty relation, rust-lang/datafrog#39,
//! fixed upstream after that release.)
//!
//! Atoms are `u32` indices: items `I`, versions `V` (`SV` for secrecy versions),
//! provisions `P` (`S` for secrecy provisions), categories `C`. Each rule is written as
//! Datalog above the operation that implements it, numbered as in ARCHITECTURE.md.
//!
//! Conditions on request facts are three-valued and evaluated in Rust between strata; they
//! enter the program as the relations `secrecy_in_scope`, `route_applicable`,
//! `route_undetermined` and `bar_applies`.

use crate::compile::Law;
use datafrog::{Relation, RelationLeaper};

/// `source(T), !keys(K)`: the tuples of `source` whose key is not in `keys` (a complete
/// relation), mapped by `out`.
fn antijoin<T: Ord, K: Ord, R: Ord>(
    source: &Relation<T>,
    keys: &Relation<(K, ())>,
    key: impl Fn(&T) -> K,
    mut out: impl FnMut(&T) -> R,
) -> Relation<R> {
    Relation::from_leapjoin(source, keys.filter_anti(move |t| (key(t), ())), |t, &()| out(t))
}

/// Stratum 1a: which secrecy versions in force cover an item's category.
/// Returns `secrecy_candidate_in_force(SV, I)`.
pub fn secrecy_candidates(
    law: &Law,
    item_category: &Relation<(u32, u32)>,
    version_in_force: &Relation<(u32, ())>,
) -> Relation<(u32, u32)> {
    // Rule 1: secrecy_candidate(SV, I) :- item_category(C, I), secrecy_protects(C, SV).
    let candidate = Relation::from_join(item_category, &law.secrecy_protects, |_c, &i, &sv| (sv, i));
    // Rule 2: secrecy_candidate_in_force(SV, I) :- secrecy_candidate(SV, I), version_in_force(SV).
    Relation::from_join(&candidate, version_in_force, |&sv, &i, _| (sv, i))
}

/// The secrecy protecting each item, and the secrecy a route must break.
pub struct Secrecy {
    /// `item_secret(I, S)`.
    pub item_secret: Relation<(u32, u32)>,
    /// `secrecy_required(I, S)`: what a route must break (subsidiary secrecy follows).
    pub required: Relation<(u32, u32)>,
}

/// Strata 1b–1c: item secrecy, from the candidates whose scope holds (or may hold) and
/// the sender's own classification.
pub fn item_secrecy(
    law: &Law,
    secrecy_in_scope: &Relation<(u32, u32)>,
    item_classified: &Relation<(u32, u32)>,
    subsidiary: &Relation<(u32, ())>,
) -> Secrecy {
    // Rule 3: item_secret(I, S) :- secrecy_in_scope(SV, I), version_provision(SV, S).
    // Rule 4: item_secret(I, S) :- item_classified(I, S).
    let item_secret = Relation::from_join(secrecy_in_scope, &law.version_provision, |_sv, &i, &s| (i, s))
        .merge(item_classified.clone());
    let by_secrecy: Relation<(u32, u32)> = Relation::from_map(&item_secret, |&(i, s)| (s, i));
    // Rule 5: item_has_primary(I) :- item_secret(I, S), !subsidiary(S).
    let has_primary: Relation<(u32, ())> = antijoin(&by_secrecy, subsidiary, |&(s, _)| s, |&(_, i)| (i, ()));
    // Rule 6: secrecy_required(I, S) :- item_secret(I, S), !subsidiary(S).
    let primary = antijoin(&by_secrecy, subsidiary, |&(s, _)| s, |&(s, i)| (i, s));
    // Rule 7: secrecy_required(I, S) :- item_secret(I, S), subsidiary(S), !item_has_primary(I).
    let only_subsidiary: Relation<(u32, u32)> = Relation::from_join(&by_secrecy, subsidiary, |&s, &i, _| (i, s));
    let lone = antijoin(&only_subsidiary, &has_primary, |&(i, _)| i, |&t| t);
    Secrecy {
        item_secret,
        required: primary.merge(lone),
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
    // Rule 8: route_candidate(I, V) :- route_applicable(I, V).
    //         route_candidate(I, V) :- route_undetermined(I, V).
    let candidate = route_applicable.clone().merge(route_undetermined.clone());
    // Rule 9: route_secrecy(I, V, S) :- route_candidate(I, V), secrecy_required(I, S).
    let route_secrecy: Relation<((u32, u32), u32)> =
        Relation::from_join(&candidate, secrecy_required, |&i, &v, &s| ((v, s), i));
    // Rule 10: route_blocked(I, V, S) :- route_secrecy(I, V, S), rule_excludes(V, S).
    let blocked = Relation::from_join(&route_secrecy, &law.rule_excludes, |&(v, s), &i, _| (i, v, s));
    // Rule 11: route_uncovered(I, V, S) :-
    //     route_secrecy(I, V, S), permission(V), !permission_breaks(V, S).
    let by_version: Relation<(u32, (u32, u32))> = Relation::from_map(&route_secrecy, |&((v, s), i)| (v, (s, i)));
    let permission_secrecy: Relation<((u32, u32), u32)> =
        Relation::from_join(&by_version, &law.permission, |&v, &(s, i), _| ((v, s), i));
    let uncovered = antijoin(
        &permission_secrecy,
        &law.permission_breaks,
        |&(vs, _)| vs,
        |&((v, s), i)| (i, v, s),
    );
    // Rule 12: route_unreaching(I, V) :- route_blocked(I, V, _).
    //          route_unreaching(I, V) :- route_uncovered(I, V, _).
    let unreaching: Relation<((u32, u32), ())> = Relation::from_map(&blocked, |&(i, v, _)| ((i, v), ()))
        .merge(Relation::from_map(&uncovered, |&(i, v, _)| ((i, v), ())));

    // Stratum 2b: routes that reach everything they must.
    // Rule 13: route_valid(I, V) :- route_applicable(I, V), !route_unreaching(I, V).
    let valid = antijoin(route_applicable, &unreaching, |&t| t, |&t| t);
    // Rule 14: route_open(I, V) :- route_undetermined(I, V), !route_unreaching(I, V).
    let open = antijoin(route_undetermined, &unreaching, |&t| t, |&t| t);

    // Stratum 3a: priority. A rule that applies defeats the provisions it precedes.
    let bars_by_version: Relation<(u32, u32)> = Relation::from_map(bar_applies, |&(i, v)| (v, i));
    let valid_by_version: Relation<(u32, u32)> = Relation::from_map(&valid, |&(i, v)| (v, i));
    // Rule 15: defeated(I, P, V) :- bar_applies(I, V), rule_precedes(V, P).
    // Rule 16: defeated(I, P, V) :- route_valid(I, V), rule_precedes(V, P).
    let defeated = Relation::from_join(&bars_by_version, &law.rule_precedes, |&v, &i, &p| (i, p, v)).merge(
        Relation::from_join(&valid_by_version, &law.rule_precedes, |&v, &i, &p| (i, p, v)),
    );
    let defeated_keys: Relation<((u32, u32), ())> = Relation::from_map(&defeated, |&(i, p, _)| ((i, p), ()));

    // Stratum 3b: what survives priority.
    // Rule 17: route_active(I, V) :- route_valid(I, V), version_provision(V, P), !defeated(I, P, _).
    let valid_provision: Relation<((u32, u32), u32)> =
        Relation::from_join(&valid_by_version, &law.version_provision, |&v, &i, &p| ((i, p), v));
    let active = antijoin(&valid_provision, &defeated_keys, |&(ip, _)| ip, |&((i, _), v)| (i, v));
    // Rule 18: bar_active(I, V) :- bar_applies(I, V), version_provision(V, P), !defeated(I, P, _).
    let bar_provision: Relation<((u32, u32), u32)> =
        Relation::from_join(&bars_by_version, &law.version_provision, |&v, &i, &p| ((i, p), v));
    let bar_active = antijoin(&bar_provision, &defeated_keys, |&(ip, _)| ip, |&((i, _), v)| (i, v));
    Routes {
        blocked,
        uncovered,
        valid,
        open,
        defeated,
        active,
        bar_active,
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn law() -> Law {
        Law {
            secrecy_protects: Relation::from_vec(vec![]),
            version_provision: Relation::from_vec(vec![(7, 70), (8, 80), (9, 90)]),
            rule_excludes: Relation::from_vec(vec![((8, 70), ())]),
            permission_breaks: Relation::from_vec(vec![((9, 45), ())]),
            permission: Relation::from_vec(vec![(9, ())]),
            rule_precedes: Relation::from_vec(vec![]),
            rule_versions: vec![],
            rule_version_slot: vec![],
            rule_provisions: vec![],
            data_protection_versions: vec![],
            conditional_consequences: vec![],
        }
    }

    /// The regression that datafrog 2.0.1's `Relation::from_antijoin` would fail: secrecy on
    /// an item that is not subsidiary must be required.
    #[test]
    fn negation_keeps_what_is_not_negated() {
        // Item 0: secrecy 70 (primary) and 45 (subsidiary). Item 1: only 45.
        let s = item_secrecy(
            &law(),
            &Relation::from_vec(vec![(7, 0)]),
            &Relation::from_vec(vec![(0, 45), (1, 45)]),
            &Relation::from_vec(vec![(45, ())]),
        );
        assert_eq!(s.item_secret.elements, vec![(0, 45), (0, 70), (1, 45)]);
        assert_eq!(s.required.elements, vec![(0, 70), (1, 45)]);
    }

    #[test]
    fn exclusions_and_uncovered_secrecy_stop_a_route() {
        // Item 0 needs 70: duty 8 excludes it; permission 9 breaks only 45.
        // Item 1 needs 45: permission 9 breaks it.
        let r = routes(
            &law(),
            &Relation::from_vec(vec![(0, 8), (0, 9), (1, 9)]),
            &Relation::from_vec(vec![]),
            &Relation::from_vec(vec![]),
            &Relation::from_vec(vec![(0, 70), (1, 45)]),
        );
        assert_eq!(r.blocked.elements, vec![(0, 8, 70)]);
        assert_eq!(r.uncovered.elements, vec![(0, 9, 70)]);
        assert_eq!(r.valid.elements, vec![(1, 9)]);
        assert_eq!(r.active.elements, vec![(1, 9)]);
    }
}
