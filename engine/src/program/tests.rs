//! Both evaluators on small hand-made relations.

use super::*;

fn law() -> Law {
    Law {
        version_provision: Relation::from_vec(vec![(7, 70), (8, 80), (9, 90), (10, 100)]),
        rule_excludes: Relation::from_vec(vec![((8, 70), ())]),
        permission_breaks: Relation::from_vec(vec![((9, 45), ())]),
        permission: Relation::from_vec(vec![(9, ())]),
        duty: Relation::from_vec(vec![(8, ())]),
        reach_limited: Relation::from_vec(vec![(8, ()), (9, ())]),
        breaks_through: Relation::from_vec(vec![(8, 28)]),
        ..Law::default()
    }
}

fn both<T: PartialEq + std::fmt::Debug>(f: impl Fn(&dyn Program) -> T) -> T {
    let (a, b) = (f(&Datafrog), f(&Naive));
    assert_eq!(a, b, "the evaluators disagree");
    a
}

/// The regression that datafrog 2.0.1's `Relation::from_antijoin` would fail: secrecy on
/// an item that is not subsidiary must be required.
#[test]
fn negation_keeps_what_is_not_negated() {
    // Item 0: secrecy 70 (primary) and 45 (subsidiary). Item 1: only 45.
    let (secret, required) = both(|p| {
        let s = p.item_secrecy(
            &law(),
            &Relation::from_vec(vec![(7, 0)]),
            &Relation::from_vec(vec![(0, 45), (1, 45)]),
            &Relation::from_vec(vec![(45, ())]),
        );
        (s.item_secret.elements, s.required.elements)
    });
    assert_eq!(secret, vec![(0, 45), (0, 70), (1, 45)]);
    assert_eq!(required, vec![(0, 70), (1, 45)]);
}

#[test]
fn exclusions_and_uncovered_secrecy_stop_a_route() {
    // Item 0 needs 70: duty 8 excludes it; permission 9 breaks only 45.
    // Item 1 needs 45: permission 9 breaks it.
    let (blocked, uncovered, active, effective) = both(|p| {
        let r = p.routes(
            &law(),
            &RouteFacts {
                applicable: &Relation::from_vec(vec![(0, 8), (0, 9), (1, 9)]),
                undetermined: &Relation::from_vec(vec![]),
                bar_applies: &Relation::from_vec(vec![]),
                required: &Relation::from_vec(vec![(0, 70), (1, 45)]),
                unmodelled: &Relation::from_vec(vec![]),
            },
        );
        (
            r.blocked.elements,
            r.uncovered.elements,
            r.active.elements,
            r.effective.elements,
        )
    });
    assert_eq!(blocked, vec![(0, 8, 70)]);
    assert_eq!(uncovered, vec![(0, 9, 70)]);
    assert_eq!(active, vec![(1, 9)]);
    assert_eq!(effective, vec![(1, 9)]);
}

#[test]
fn unmodelled_secrecy_is_reached_only_by_a_duty_without_exclusions() {
    // Item 0's secrecy is not modelled. Duty 8 has exclusions, permission 9 lists what it
    // breaks: neither can be shown to reach it. Duty 10 excludes nothing: it does.
    let (unsure, active, effective) = both(|p| {
        let r = p.routes(
            &law(),
            &RouteFacts {
                applicable: &Relation::from_vec(vec![(0, 8), (0, 9), (0, 10)]),
                undetermined: &Relation::from_vec(vec![]),
                bar_applies: &Relation::from_vec(vec![]),
                required: &Relation::from_vec(vec![]),
                unmodelled: &Relation::from_vec(vec![(0, ())]),
            },
        );
        (r.unsure.elements, r.active.elements, r.effective.elements)
    });
    assert_eq!(unsure, vec![(0, 8), (0, 9)]);
    assert_eq!(active, vec![(0, 10)]);
    assert_eq!(effective, vec![(0, 10)]);
}

#[test]
fn a_bar_and_an_effective_route_conflict_but_a_permission_on_public_data_does_not() {
    // Item 0 is secret (45): permission 9 and bar 7 both apply → conflict.
    // Item 1 is not secret: permission 9 has nothing to break, so no conflict with bar 7.
    let (conflict, effective) = both(|p| {
        let r = p.routes(
            &law(),
            &RouteFacts {
                applicable: &Relation::from_vec(vec![(0, 9), (1, 9)]),
                undetermined: &Relation::from_vec(vec![]),
                bar_applies: &Relation::from_vec(vec![(0, 7), (1, 7)]),
                required: &Relation::from_vec(vec![(0, 45)]),
                unmodelled: &Relation::from_vec(vec![]),
            },
        );
        (r.conflict.elements, r.effective.elements)
    });
    assert_eq!(conflict, vec![(0, ())]);
    assert_eq!(effective, vec![(0, 9)]);
}

#[test]
fn the_bridge_enters_the_basis_only_for_secret_items() {
    let bridges = both(|p| {
        p.basis_bridges(
            &law(),
            &Relation::from_vec(vec![(0, 8), (1, 8)]),
            &Relation::from_vec(vec![(1, ())]),
        )
        .elements
    });
    assert_eq!(bridges, vec![(1, 28)]);
}
