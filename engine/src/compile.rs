//! The checked model compiled once into static Datalog relations: the law as data.
//!
//! Relation names follow `noun_verb` and put the join key first, as datafrog requires.
//! Every relation here is independent of any request; per-request relations are built in
//! `facts` and combined with these in `program`.

use datafrog::Relation;
use lagrum_dsl::model::*;

/// Static relations and indexes over the ruleset.
#[derive(Clone)]
pub struct Law {
    /// `secrecy_protects(category, secrecy_version)`: the version protects the category.
    pub secrecy_protects: Relation<(u32, u32)>,
    /// `version_provision(version, provision)`.
    pub version_provision: Relation<(u32, u32)>,
    /// `rule_excludes((rule_version, secrecy_provision))`: the rule does not reach it.
    pub rule_excludes: Relation<((u32, u32), ())>,
    /// `permission_breaks((permission_version, secrecy_provision))`.
    pub permission_breaks: Relation<((u32, u32), ())>,
    /// `permission((version))`: versions of permissions (they break only what they list).
    pub permission: Relation<(u32, ())>,
    /// `rule_precedes(higher_version, lower_provision)`: when the higher rule applies to an
    /// item, the lower provision does not. `går före alla` and bridges are expanded here.
    pub rule_precedes: Relation<(u32, u32)>,
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
}

impl std::fmt::Debug for Law {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Law")
            .field("secrecy_protects", &self.secrecy_protects.len())
            .field("rule_excludes", &self.rule_excludes.len())
            .field("permission_breaks", &self.permission_breaks.len())
            .field("rule_precedes", &self.rule_precedes.len())
            .field("rule_versions", &self.rule_versions.len())
            .finish_non_exhaustive()
    }
}

impl Law {
    /// Compiles the model. Cheap (a few hundred tuples) and done once per ruleset.
    pub fn compile(model: &Model) -> Law {
        let mut secrecy_protects = Vec::new();
        let mut version_provision = Vec::new();
        let mut rule_excludes = Vec::new();
        let mut permission_breaks = Vec::new();
        let mut permission = Vec::new();
        let mut rule_precedes = Vec::new();
        let mut rule_versions = Vec::new();
        let mut data_protection_versions = Vec::new();

        for (i, v) in model.versions.iter().enumerate() {
            let vid = u32::try_from(i).unwrap_or(u32::MAX);
            version_provision.push((vid, v.provision.0));
            let kind = model.provision(v.provision).map(|p| p.kind);
            match &v.body {
                Body::Secrecy(s) => {
                    for c in &s.protects.members {
                        secrecy_protects.push((c.0, vid));
                    }
                }
                Body::Rule(r) => {
                    rule_versions.push(VersionId(vid));
                    for e in &r.excludes {
                        rule_excludes.push(((vid, e.secrecy.0), ()));
                    }
                    match &r.breaks {
                        Breaks::Listed(list) => {
                            permission.push((vid, ()));
                            for s in list {
                                permission_breaks.push(((vid, s.0), ()));
                            }
                        }
                        Breaks::Through(_) | Breaks::Nothing => {
                            if kind == Some(ProvisionKind::Permission) {
                                permission.push((vid, ()));
                            }
                        }
                    }
                    let lower = r.precedes.targets(v.provision, &model.provisions, &model.versions);
                    for lo in lower {
                        rule_precedes.push((vid, lo.0));
                    }
                }
                Body::DataProtection(_) => data_protection_versions.push(VersionId(vid)),
                Body::Plain => {}
            }
        }
        let rule_provisions = model
            .provisions
            .iter()
            .enumerate()
            .filter(|(_, p)| {
                matches!(
                    p.kind,
                    ProvisionKind::Permission | ProvisionKind::Duty | ProvisionKind::Bar
                )
            })
            .map(|(j, _)| ProvisionId(u32::try_from(j).unwrap_or(u32::MAX)))
            .collect();
        let conditional_consequences = model
            .consequences
            .iter()
            .enumerate()
            .filter(|(_, c)| c.when.is_some())
            .map(|(j, _)| ConsequenceId(u32::try_from(j).unwrap_or(u32::MAX)))
            .collect();
        let mut rule_version_slot = vec![None; model.versions.len()];
        for (k, v) in rule_versions.iter().enumerate() {
            if let Some(slot) = rule_version_slot.get_mut(v.index()) {
                *slot = u32::try_from(k).ok();
            }
        }
        Law {
            rule_version_slot,
            secrecy_protects: Relation::from_vec(secrecy_protects),
            version_provision: Relation::from_vec(version_provision),
            rule_excludes: Relation::from_vec(rule_excludes),
            permission_breaks: Relation::from_vec(permission_breaks),
            permission: Relation::from_vec(permission),
            rule_precedes: Relation::from_vec(rule_precedes),
            rule_versions,
            rule_provisions,
            data_protection_versions,
            conditional_consequences,
        }
    }
}
