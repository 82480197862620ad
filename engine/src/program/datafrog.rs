//! The program evaluated with datafrog: each stratum a sequence of relation operations
//! (`Relation::from_join`, `from_map`, and `from_leapjoin` with `filter_anti` for negation)
//! on complete relations. No stratum is recursive, so no `Iteration` is needed: creating
//! its variables per request cost more than all the joins.
//!
//! Negation is a leapjoin with a `filter_anti` leaper. (`Relation::from_antijoin` is not
//! used: in datafrog 2.0.1 it always returns an empty relation, rust-lang/datafrog#39.)

use super::{Pairs, Program, RouteFacts, Routes, Secrecy, Set, Triples};
use crate::compile::Law;
use datafrog::{Relation, RelationLeaper};

/// The evaluator decisions use.
#[derive(Debug, Clone, Copy, Default)]
pub struct Datafrog;

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

impl Program for Datafrog {
    fn secrecy_candidates(&self, law: &Law, item_category: &Pairs, version_in_force: &Set) -> Pairs {
        // Rule 1: secrecy_candidate(SV, I) :- item_category(C, I), secrecy_protects(C, SV).
        let candidate = Relation::from_join(item_category, &law.secrecy_protects, |_c, &i, &sv| (sv, i));
        // Rule 2: secrecy_candidate_in_force(SV, I) :- secrecy_candidate(SV, I), version_in_force(SV).
        Relation::from_join(&candidate, version_in_force, |&sv, &i, _| (sv, i))
    }

    fn item_secrecy(&self, law: &Law, secrecy_in_scope: &Pairs, item_classified: &Pairs, subsidiary: &Set) -> Secrecy {
        // Rule 3: item_secret(I, S) :- secrecy_in_scope(SV, I), version_provision(SV, S).
        // Rule 4: item_secret(I, S) :- item_classified(I, S).
        let item_secret = Relation::from_join(secrecy_in_scope, &law.version_provision, |_sv, &i, &s| (i, s))
            .merge(item_classified.clone());
        let by_secrecy: Pairs = Relation::from_map(&item_secret, |&(i, s)| (s, i));
        // Rule 5: item_has_primary(I) :- item_secret(I, S), !subsidiary(S).
        let has_primary: Set = antijoin(&by_secrecy, subsidiary, |&(s, _)| s, |&(_, i)| (i, ()));
        // Rule 6: secrecy_required(I, S) :- item_secret(I, S), !subsidiary(S).
        let primary = antijoin(&by_secrecy, subsidiary, |&(s, _)| s, |&(s, i)| (i, s));
        // Rule 7: secrecy_required(I, S) :- item_secret(I, S), subsidiary(S), !item_has_primary(I).
        let only_subsidiary: Pairs = Relation::from_join(&by_secrecy, subsidiary, |&s, &i, _| (i, s));
        let lone = antijoin(&only_subsidiary, &has_primary, |&(i, _)| i, |&t| t);
        Secrecy {
            item_secret,
            required: primary.merge(lone),
        }
    }

    fn routes(&self, law: &Law, f: &RouteFacts<'_>) -> Routes {
        let Reach {
            blocked,
            uncovered,
            unsure,
            unreaching,
        } = reach(law, f);
        // Stratum 2b: routes that reach everything they must.
        // Rule 14: route_valid(I, V) :- route_applicable(I, V), !route_unreaching(I, V).
        let valid = antijoin(f.applicable, &unreaching, |&t| t, |&t| t);
        // Rule 15: route_open(I, V) :- route_undetermined(I, V), !route_unreaching(I, V).
        let open = antijoin(f.undetermined, &unreaching, |&t| t, |&t| t);

        let (defeated, active, bar_active) = priority(law, f, &valid);
        let (secret, effective, conflict) = deciding(law, f, &active, &bar_active);
        Routes {
            blocked,
            uncovered,
            unsure,
            valid,
            open,
            defeated,
            active,
            bar_active,
            secret,
            effective,
            conflict,
        }
    }

    fn basis_bridges(&self, law: &Law, in_basis: &Pairs, secret: &Set) -> Pairs {
        // Rule 24: basis_bridge(I, B) :- in_basis(I, V), breaks_through(V, B), item_secret_any(I).
        let by_version: Pairs = Relation::from_map(in_basis, |&(i, v)| (v, i));
        let bridged: Pairs = Relation::from_join(&by_version, &law.breaks_through, |_v, &i, &b| (i, b));
        Relation::from_join(&bridged, secret, |&i, &b, _| (i, b))
    }
}

/// The results of stratum 2a.
struct Reach {
    blocked: Triples,
    uncovered: Triples,
    unsure: Pairs,
    unreaching: Relation<((u32, u32), ())>,
}

/// Stratum 2a: which secrecy each candidate route fails to reach.
fn reach(law: &Law, f: &RouteFacts<'_>) -> Reach {
    // Rule 8: route_candidate(I, V) :- route_applicable(I, V) ; route_undetermined(I, V).
    let candidate = f.applicable.clone().merge(f.undetermined.clone());
    // Rule 9: route_secrecy(I, V, S) :- route_candidate(I, V), secrecy_required(I, S).
    let route_secrecy: Relation<((u32, u32), u32)> =
        Relation::from_join(&candidate, f.required, |&i, &v, &s| ((v, s), i));
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
    // Rule 12: route_unsure(I, V) :- route_candidate(I, V), item_unmodelled(I), reach_limited(V).
    let candidate_unmodelled: Pairs = Relation::from_join(&candidate, f.unmodelled, |&i, &v, _| (v, i));
    let unsure: Pairs = Relation::from_join(&candidate_unmodelled, &law.reach_limited, |&v, &i, _| (i, v));
    // Rule 13: route_unreaching(I, V) :- route_blocked(I, V, _) ; route_uncovered(I, V, _) ;
    //                                    route_unsure(I, V).
    let unreaching: Relation<((u32, u32), ())> = Relation::from_map(&blocked, |&(i, v, _)| ((i, v), ()))
        .merge(Relation::from_map(&uncovered, |&(i, v, _)| ((i, v), ())))
        .merge(Relation::from_map(&unsure, |&t| (t, ())));

    Reach {
        blocked,
        uncovered,
        unsure,
        unreaching,
    }
}

/// Stratum 3a–b: priority (a rule that applies defeats the provisions it precedes) and what
/// survives it: `(defeated, route_active, bar_active)`.
fn priority(law: &Law, f: &RouteFacts<'_>, valid: &Pairs) -> (Triples, Pairs, Pairs) {
    let bars_by_version: Pairs = Relation::from_map(f.bar_applies, |&(i, v)| (v, i));
    let valid_by_version: Pairs = Relation::from_map(valid, |&(i, v)| (v, i));
    // Rule 16: defeated(I, P, V) :- bar_applies(I, V), rule_precedes(V, P).
    // Rule 17: defeated(I, P, V) :- route_valid(I, V), rule_precedes(V, P).
    let defeated = Relation::from_join(&bars_by_version, &law.rule_precedes, |&v, &i, &p| (i, p, v)).merge(
        Relation::from_join(&valid_by_version, &law.rule_precedes, |&v, &i, &p| (i, p, v)),
    );
    let defeated_keys: Relation<((u32, u32), ())> = Relation::from_map(&defeated, |&(i, p, _)| ((i, p), ()));

    // Stratum 3b: what survives priority.
    // Rule 18: route_active(I, V) :- route_valid(I, V), version_provision(V, P), !defeated(I, P, _).
    let valid_provision: Relation<((u32, u32), u32)> =
        Relation::from_join(&valid_by_version, &law.version_provision, |&v, &i, &p| ((i, p), v));
    let active = antijoin(&valid_provision, &defeated_keys, |&(ip, _)| ip, |&((i, _), v)| (i, v));
    // Rule 19: bar_active(I, V) :- bar_applies(I, V), version_provision(V, P), !defeated(I, P, _).
    let bar_provision: Relation<((u32, u32), u32)> =
        Relation::from_join(&bars_by_version, &law.version_provision, |&v, &i, &p| ((i, p), v));
    let bar_active = antijoin(&bar_provision, &defeated_keys, |&(ip, _)| ip, |&((i, _), v)| (i, v));

    (defeated, active, bar_active)
}

/// Stratum 3c: what can decide an item: `(item_secret_any, route_effective, item_conflict)`.
fn deciding(law: &Law, f: &RouteFacts<'_>, active: &Pairs, bar_active: &Pairs) -> (Set, Pairs, Set) {
    // Rule 20: item_secret_any(I) :- secrecy_required(I, _) ; item_unmodelled(I).
    let secret: Set = Relation::from_map(f.required, |&(i, _)| (i, ())).merge(f.unmodelled.clone());
    // Rule 21: route_effective(I, V) :- route_active(I, V), item_secret_any(I).
    let by_item_secret: Pairs = Relation::from_join(active, &secret, |&i, &v, _| (i, v));
    // Rule 22: route_effective(I, V) :- route_active(I, V), duty(V).
    let active_by_version: Pairs = Relation::from_map(active, |&(i, v)| (v, i));
    let by_duty: Pairs = Relation::from_join(&active_by_version, &law.duty, |&v, &i, _| (i, v));
    let effective = by_item_secret.merge(by_duty);
    // Rule 23: item_conflict(I) :- bar_active(I, _), route_effective(I, _).
    let bar_items: Set = Relation::from_map(bar_active, |&(i, _)| (i, ()));
    let conflict: Set = Relation::from_join(&effective, &bar_items, |&i, _, _| (i, ()));
    (secret, effective, conflict)
}
