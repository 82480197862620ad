//! The checked model compiled once into static Datalog relations and indexes: the law as
//! data, ready for every request.
//!
//! Relation names follow `noun_verb` and put the join key first, as datafrog requires.
//! Nothing here depends on a request; the per-request relations are built by the stages in
//! `decide` and combined with these by the program (`program`).

use crate::program::{Pairs, Set};
use datafrog::Relation;
use lagrum_dsl::date::Date;
use lagrum_dsl::model::*;

/// Static relations and indexes over the ruleset.
#[derive(Clone)]
pub struct Law {
    /// `secrecy_protects(category, secrecy_version)`: the version protects the category.
    pub secrecy_protects: Pairs,
    /// `version_provision(version, provision)`.
    pub version_provision: Pairs,
    /// `rule_excludes((rule_version, secrecy_provision))`: the rule does not reach it.
    pub rule_excludes: Relation<((u32, u32), ())>,
    /// `permission_breaks((permission_version, secrecy_provision))`.
    pub permission_breaks: Relation<((u32, u32), ())>,
    /// `permission(version)`: versions of permissions (they break only what they list).
    pub permission: Set,
    /// `duty(version)`: versions of duties.
    pub duty: Set,
    /// `reach_limited(version)`: a rule that may not reach secrecy the rulebook does not
    /// model — a permission (it breaks only what it lists) or a rule with exclusions.
    pub reach_limited: Set,
    /// `breaks_through(version, bridge)`: a duty breaks secrecy through the bridge.
    pub breaks_through: Pairs,
    /// `rule_precedes(higher_version, lower_provision)`: when the higher rule applies to an
    /// item, the lower provision does not. `går före alla` and bridges are expanded here.
    pub rule_precedes: Pairs,
    /// Versions of permissions, duties and bars, in provision order.
    pub rule_versions: Vec<VersionId>,
    /// For each version, its position in `rule_versions` (if it is a rule version).
    pub rule_version_slot: Vec<Option<u32>>,
    /// Permissions, duties and bars, in declaration order.
    pub rule_provisions: Vec<ProvisionId>,
    /// Versions of data-protection provisions.
    pub data_protection_versions: Vec<VersionId>,
    /// Consequences attached by their own condition.
    pub conditional_consequences: Vec<ConsequenceId>,
    /// Which versions are in force, for each stretch of time in which that does not change.
    pub epochs: Epochs,
    /// Per category: the secrecy versions protecting it or an ancestor, ascending (rule 1,
    /// filled in by [`crate::program::protection_by_category`] when the engine is built).
    pub protected_by: Vec<Vec<VersionId>>,
    /// Per category: the coverages (`täckning`) whose categories include it, in order.
    pub coverages_of: Vec<Vec<usize>>,
}

fn empty<T: Ord>() -> Relation<T> {
    Relation::from_vec(Vec::new())
}

impl Default for Law {
    fn default() -> Law {
        Law {
            secrecy_protects: empty(),
            version_provision: empty(),
            rule_excludes: empty(),
            permission_breaks: empty(),
            permission: empty(),
            duty: empty(),
            reach_limited: empty(),
            breaks_through: empty(),
            rule_precedes: empty(),
            rule_versions: Vec::new(),
            rule_version_slot: Vec::new(),
            rule_provisions: Vec::new(),
            data_protection_versions: Vec::new(),
            conditional_consequences: Vec::new(),
            epochs: Epochs::default(),
            protected_by: Vec::new(),
            coverages_of: Vec::new(),
        }
    }
}

impl std::fmt::Debug for Law {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Law")
            .field("secrecy_protects", &self.secrecy_protects.len())
            .field("rule_excludes", &self.rule_excludes.len())
            .field("permission_breaks", &self.permission_breaks.len())
            .field("rule_precedes", &self.rule_precedes.len())
            .field("rule_versions", &self.rule_versions.len())
            .field("epochs", &self.epochs.starts.len())
            .finish_non_exhaustive()
    }
}

/// What is in force during one stretch of time: the same for every date in it.
#[derive(Clone)]
pub struct InForce {
    /// Per version: in force.
    pub versions: Vec<bool>,
    /// Per provision: the version in force, if any.
    pub of_provision: Vec<Option<VersionId>>,
    /// `version_in_force(V)`.
    pub relation: Set,
    /// `subsidiary(S)`: provisions whose version in force follows other secrecy
    /// (`följer annan sekretess`).
    pub subsidiary: Set,
}

impl std::fmt::Debug for InForce {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("InForce")
            .field("versions", &self.relation.len())
            .finish()
    }
}

impl InForce {
    /// Whether a version is in force.
    pub fn version(&self, v: VersionId) -> bool {
        self.versions.get(v.index()).copied().unwrap_or(false)
    }

    /// The version of a provision in force, if any.
    pub fn of(&self, p: ProvisionId) -> Option<VersionId> {
        self.of_provision.get(p.index()).copied().flatten()
    }
}

/// The stretches of time between the dates on which some version starts or ends.
#[derive(Debug, Clone, Default)]
pub struct Epochs {
    /// The first day of each stretch, ascending; the first is `Date::MIN`.
    starts: Vec<Date>,
    sets: Vec<InForce>,
}

impl Epochs {
    fn build(model: &Model) -> Epochs {
        let mut starts: Vec<Date> = vec![Date::MIN];
        for v in &model.versions {
            starts.push(v.from);
            if let Some(after) = v.to.and_then(Date::next_day) {
                starts.push(after);
            }
        }
        starts.sort_unstable();
        starts.dedup();
        let sets = starts.iter().map(|&d| InForce::on(model, d)).collect();
        Epochs { starts, sets }
    }

    /// What is in force on a date.
    pub fn on(&self, date: Date) -> &InForce {
        static NOTHING: InForce = InForce {
            versions: Vec::new(),
            of_provision: Vec::new(),
            relation: Relation { elements: Vec::new() },
            subsidiary: Relation { elements: Vec::new() },
        };
        let k = self.starts.partition_point(|&s| s <= date);
        k.checked_sub(1).and_then(|k| self.sets.get(k)).unwrap_or(&NOTHING)
    }

    /// The first days of the stretches (every date on which the law in force changes).
    pub fn boundaries(&self) -> &[Date] {
        &self.starts
    }
}

impl InForce {
    fn on(model: &Model, date: Date) -> InForce {
        let versions: Vec<bool> = model.versions.iter().map(|v| v.in_force(date)).collect();
        let mut of_provision = vec![None; model.provisions.len()];
        for (i, v) in model.versions.iter().enumerate() {
            if versions.get(i).copied().unwrap_or(false)
                && let Some(slot) = of_provision.get_mut(v.provision.index())
            {
                *slot = Some(VersionId::from_index(i));
            }
        }
        let relation = Relation::from_iter(
            versions
                .iter()
                .enumerate()
                .filter(|(_, f)| **f)
                .map(|(i, _)| (VersionId::from_index(i).0, ())),
        );
        let subsidiary = Relation::from_iter(
            of_provision
                .iter()
                .enumerate()
                .filter(|(_, v)| v.is_some_and(|v| is_subsidiary(model, v)))
                .map(|(p, _)| (ProvisionId::from_index(p).0, ())),
        );
        InForce {
            versions,
            of_provision,
            relation,
            subsidiary,
        }
    }
}

impl Law {
    /// Compiles the model. Cheap (a few hundred tuples) and done once per ruleset.
    pub fn compile(model: &Model) -> Law {
        let mut law = Law::default();
        let (mut protects, mut version_provision, mut excludes, mut breaks) = (vec![], vec![], vec![], vec![]);
        let (mut permission, mut duty, mut limited, mut through, mut precedes) =
            (vec![], vec![], vec![], vec![], vec![]);
        let precedence = lagrum_dsl::model::PrecedenceIndex::new(&model.provisions, &model.versions);
        for (i, v) in model.versions.iter().enumerate() {
            let vid = VersionId::from_index(i);
            version_provision.push((vid.0, v.provision.0));
            let kind = model.provision(v.provision).map(|p| p.kind);
            match &v.body {
                Body::Secrecy(s) => protects.extend(s.protects.members.iter().map(|c| (c.0, vid.0))),
                Body::Rule(r) => {
                    law.rule_versions.push(vid);
                    excludes.extend(r.excludes.iter().map(|e| ((vid.0, e.secrecy.0), ())));
                    if kind == Some(ProvisionKind::Permission) {
                        permission.push((vid.0, ()));
                    }
                    if kind == Some(ProvisionKind::Duty) {
                        duty.push((vid.0, ()));
                    }
                    if kind == Some(ProvisionKind::Permission) || !r.excludes.is_empty() {
                        limited.push((vid.0, ()));
                    }
                    match &r.breaks {
                        Breaks::Listed(list) => breaks.extend(list.iter().map(|s| ((vid.0, s.0), ()))),
                        Breaks::Through(b) => through.push((vid.0, b.0)),
                        Breaks::Nothing => {}
                    }
                    let lower = r.precedes.targets_in(v.provision, &precedence);
                    precedes.extend(lower.into_iter().map(|lo| (vid.0, lo.0)));
                }
                Body::DataProtection(_) => law.data_protection_versions.push(vid),
                Body::Plain => {}
            }
        }
        law.rule_provisions = ids(&model.provisions, |p: &Provision| {
            matches!(
                p.kind,
                ProvisionKind::Permission | ProvisionKind::Duty | ProvisionKind::Bar
            )
        });
        law.conditional_consequences = ids(&model.consequences, |c: &Consequence| c.when.is_some());
        law.rule_version_slot = vec![None; model.versions.len()];
        for (k, v) in law.rule_versions.iter().enumerate() {
            if let Some(slot) = law.rule_version_slot.get_mut(v.index()) {
                *slot = u32::try_from(k).ok();
            }
        }
        law.secrecy_protects = Relation::from_vec(protects);
        law.version_provision = Relation::from_vec(version_provision);
        law.rule_excludes = Relation::from_vec(excludes);
        law.permission_breaks = Relation::from_vec(breaks);
        law.permission = Relation::from_vec(permission);
        law.duty = Relation::from_vec(duty);
        law.reach_limited = Relation::from_vec(limited);
        law.breaks_through = Relation::from_vec(through);
        law.rule_precedes = Relation::from_vec(precedes);
        law.epochs = Epochs::build(model);
        law.coverages_of = (0..model.categories.len())
            .map(|c| {
                let c = CategoryId::from_index(c);
                (0..model.coverages.len())
                    .filter(|&k| model.coverages.get(k).is_some_and(|cov| cov.categories.contains(c)))
                    .collect()
            })
            .collect();
        law
    }
}

/// The ids of the entries of a model table that satisfy `keep`.
fn ids<T, I: From<usize>>(table: &[T], keep: impl Fn(&T) -> bool) -> Vec<I> {
    table
        .iter()
        .enumerate()
        .filter(|(_, x)| keep(x))
        .map(|(j, _)| I::from(j))
        .collect()
}

/// Whether version `v` is secrecy that follows other secrecy (`följer annan sekretess`).
pub(crate) fn is_subsidiary(model: &Model, v: VersionId) -> bool {
    model
        .version(v)
        .is_some_and(|v| matches!(&v.body, Body::Secrecy(b) if b.subsidiary.is_some()))
}
