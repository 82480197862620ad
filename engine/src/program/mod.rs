//! The fixed Datalog program: its rules, its inputs and outputs, and two evaluators.
//!
//! The program does not change with the ruleset: the law comes in as static relations
//! ([`Law`]), the request as per-request relations (built by the stages in `decide`), and
//! the rules combine them. It is stratified: every relation a rule negates is complete
//! before the rule runs, and no stratum is recursive.
//!
//! Two evaluators implement [`Program`]: [`Datafrog`] (the one decisions use: datafrog
//! joins, maps and leapjoins) and [`Naive`] (nested loops over plain vectors, written to be
//! obviously right). A property test runs both on generated requests and compares whole
//! decisions, as Polonius does with its naive variant.
//!
//! Atoms are `u32` indices: items `I`, versions `V` (`SV` for secrecy versions),
//! provisions `P` (`S` for secrecy provisions, `B` for a bridge), categories `C`. Rules are
//! numbered as in ARCHITECTURE.md, and each is written above the code that implements it
//! in both evaluators.
//!
//! ```text
//! Stratum 1a   (secrecy candidates; rule 1 is evaluated once, when the engine is built,
//!               with every category as an item: see [`protection_by_category`])
//!   1  secrecy_candidate(SV, I)          :- item_category(C, I), secrecy_protects(C, SV).
//!   2  secrecy_candidate_in_force(SV, I) :- secrecy_candidate(SV, I), version_in_force(SV).
//! Stratum 1b–1c (item secrecy; secrecy_in_scope comes from Rust's three-valued scope checks)
//!   3  item_secret(I, S)      :- secrecy_in_scope(SV, I), version_provision(SV, S).
//!   4  item_secret(I, S)      :- item_classified(I, S).
//!   5  item_has_primary(I)    :- item_secret(I, S), !subsidiary(S).
//!   6  secrecy_required(I, S) :- item_secret(I, S), !subsidiary(S).
//!   7  secrecy_required(I, S) :- item_secret(I, S), subsidiary(S), !item_has_primary(I).
//! Stratum 2a   (reach; route_applicable, route_undetermined, bar_applies and
//!               item_unmodelled come from Rust)
//!   8  route_candidate(I, V)     :- route_applicable(I, V) ; route_undetermined(I, V).
//!   9  route_secrecy(I, V, S)    :- route_candidate(I, V), secrecy_required(I, S).
//!  10  route_blocked(I, V, S)    :- route_secrecy(I, V, S), rule_excludes(V, S).
//!  11  route_uncovered(I, V, S)  :- route_secrecy(I, V, S), permission(V), !permission_breaks(V, S).
//!  12  route_unsure(I, V)        :- route_candidate(I, V), item_unmodelled(I), reach_limited(V).
//!  13  route_unreaching(I, V)    :- route_blocked(I, V, _) ; route_uncovered(I, V, _) ; route_unsure(I, V).
//! Stratum 2b
//!  14  route_valid(I, V)         :- route_applicable(I, V), !route_unreaching(I, V).
//!  15  route_open(I, V)          :- route_undetermined(I, V), !route_unreaching(I, V).
//! Stratum 3a   (priority)
//!  16  defeated(I, P, V)         :- bar_applies(I, V), rule_precedes(V, P).
//!  17  defeated(I, P, V)         :- route_valid(I, V), rule_precedes(V, P).
//! Stratum 3b
//!  18  route_active(I, V)        :- route_valid(I, V), version_provision(V, P), !defeated(I, P, _).
//!  19  bar_active(I, V)          :- bar_applies(I, V), version_provision(V, P), !defeated(I, P, _).
//! Stratum 3c   (what can decide an item)
//!  20  item_secret_any(I)        :- secrecy_required(I, _) ; item_unmodelled(I).
//!  21  route_effective(I, V)     :- route_active(I, V), item_secret_any(I).
//!  22  route_effective(I, V)     :- route_active(I, V), duty(V).
//!  23  item_conflict(I)          :- bar_active(I, _), route_effective(I, _).
//! Stratum 4    (after Rust has chosen the best routes: in_basis)
//!  24  basis_bridge(I, B)        :- in_basis(I, V), breaks_through(V, B), item_secret_any(I).
//! ```
//!
//! Rule 12 is how silence fails closed: an item whose secrecy the rulebook does not model
//! (`item_unmodelled`) may be protected by anything, so a permission (which breaks only
//! what it lists) or a duty with exclusions cannot be shown to reach it.

pub mod datafrog;
pub mod naive;

pub use self::datafrog::Datafrog;
pub use self::naive::Naive;

use crate::compile::Law;
use ::datafrog::Relation;
use lagrum_dsl::model::{CategoryId, Model, VersionId};

/// Pairs of atoms, sorted and unique.
pub type Pairs = Relation<(u32, u32)>;
/// A set of atoms, sorted and unique.
pub type Set = Relation<(u32, ())>;
/// Triples of atoms, sorted and unique.
pub type Triples = Relation<(u32, u32, u32)>;

/// The secrecy protecting each item, and the secrecy a route must break (strata 1b–1c).
pub struct Secrecy {
    /// `item_secret(I, S)`.
    pub item_secret: Pairs,
    /// `secrecy_required(I, S)`: what a route must break (subsidiary secrecy follows).
    pub required: Pairs,
}

/// What strata 2–3 read about one request.
pub struct RouteFacts<'a> {
    /// `route_applicable(I, V)`: every condition of a permission or duty holds.
    pub applicable: &'a Pairs,
    /// `route_undetermined(I, V)`: no condition fails, some cannot be judged.
    pub undetermined: &'a Pairs,
    /// `bar_applies(I, V)`: a bar whose conditions hold or may hold.
    pub bar_applies: &'a Pairs,
    /// `secrecy_required(I, S)`.
    pub required: &'a Pairs,
    /// `item_unmodelled(I)`: the rulebook does not model the item's secrecy at the sender.
    pub unmodelled: &'a Set,
}

/// The results of strata 2–3.
pub struct Routes {
    /// `route_blocked(I, V, S)`: the rule excludes secrecy on the item.
    pub blocked: Triples,
    /// `route_uncovered(I, V, S)`: a permission that does not break secrecy on the item.
    pub uncovered: Triples,
    /// `route_unsure(I, V)`: whether the rule reaches the item's unmodelled secrecy is unknown.
    pub unsure: Pairs,
    /// `route_valid(I, V)`: applicable and reaches all required secrecy.
    pub valid: Pairs,
    /// `route_open(I, V)`: undetermined, but would reach all required secrecy.
    pub open: Pairs,
    /// `defeated(I, P, V)`: rule version V takes precedence over provision P on item I.
    pub defeated: Triples,
    /// `route_active(I, V)`: valid and not defeated.
    pub active: Pairs,
    /// `bar_active(I, V)`: applies (or may apply) and not defeated.
    pub bar_active: Pairs,
    /// `item_secret_any(I)`.
    pub secret: Set,
    /// `route_effective(I, V)`: active, and something for it to do (secrecy, or a duty).
    pub effective: Pairs,
    /// `item_conflict(I)`: a bar and an effective route, with no priority between them.
    pub conflict: Set,
}

/// An evaluator of the program. Both evaluators give the same relations.
pub trait Program {
    /// Stratum 1a, rules 1–2: `secrecy_candidate_in_force(SV, I)`.
    fn secrecy_candidates(&self, law: &Law, item_category: &Pairs, version_in_force: &Set) -> Pairs;

    /// Strata 1b–1c, rules 3–7.
    fn item_secrecy(&self, law: &Law, secrecy_in_scope: &Pairs, item_classified: &Pairs, subsidiary: &Set) -> Secrecy;

    /// Strata 2–3, rules 8–23.
    fn routes(&self, law: &Law, facts: &RouteFacts<'_>) -> Routes;

    /// Stratum 4, rule 24: `basis_bridge(I, B)`.
    fn basis_bridges(&self, law: &Law, in_basis: &Pairs, secret: &Set) -> Pairs;
}

/// Rule 1 for every category at once, since it reads nothing of the request but the
/// item's category: per category index, the secrecy versions that protect the category or
/// one of its ancestors, ascending. A request then applies rule 2 to each item's list
/// (the in-force bit of each version) instead of joining the whole `secrecy_protects`.
pub fn protection_by_category(program: &dyn Program, model: &Model, law: &Law) -> Vec<Vec<VersionId>> {
    let item_category = Relation::from_iter(
        model
            .categories
            .iter()
            .enumerate()
            .flat_map(|(i, c)| c.ancestry.iter().map(move |a| (a.0, CategoryId::from_index(i).0))),
    );
    let every_version = Relation::from_iter((0..model.versions.len()).map(|v| (VersionId::from_index(v).0, ())));
    let mut table = vec![Vec::new(); model.categories.len()];
    for &(sv, c) in program.secrecy_candidates(law, &item_category, &every_version).iter() {
        if let Some(list) = table.get_mut(c as usize) {
            list.push(VersionId(sv));
        }
    }
    table
}

/// The first `c` with `(a, b, c)` in a sorted relation of triples.
pub fn third(rel: &Triples, a: u32, b: u32) -> Option<u32> {
    let start = rel.partition_point(|&(x, y, _)| (x, y) < (a, b));
    rel.get(start)
        .filter(|&&(x, y, _)| (x, y) == (a, b))
        .map(|&(_, _, c)| c)
}

/// Whether a sorted relation holds a tuple.
pub fn holds<T: Ord>(rel: &Relation<T>, t: &T) -> bool {
    rel.binary_search(t).is_ok()
}

/// Whether a sorted set holds an atom.
pub fn member(rel: &Set, a: u32) -> bool {
    rel.binary_search(&(a, ())).is_ok()
}

#[cfg(test)]
mod tests;
