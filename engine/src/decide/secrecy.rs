//! Step 2: the secrecy protecting each item at the sender (stratum 1 of the program).
//!
//! Candidates are the secrecy versions in force that protect the item's category or one of
//! its ancestors (rules 1–2). Their scope (`gäller hos`, `när`) is checked here,
//! three-valued: unknown counts as applying. The sender's own classification is added,
//! never subtracted; a classification under a provision not in force caps the item at
//! `manual`. Rules 3–7 then give the item's secrecy and what a route must break.

use super::ItemIx;
use crate::compile::{InForce, Law};
use crate::cond::{self, Read, Reads, Truth};
use crate::decision::*;
use crate::program::{Pairs, Program, Set};
use crate::request::{Case, Item};
use datafrog::Relation;
use lagrum_dsl::model::*;

/// What step 2 found.
pub(super) struct SecrecyStage {
    /// Per item: the findings, the reads of scope checks that could not be judged, caps.
    pub items: Vec<ItemSecrecy>,
    /// Per item: `item_secret`, sorted.
    secret: Vec<Vec<ProvisionId>>,
    /// `secrecy_required(I, S)`.
    pub required: Pairs,
    /// `item_unmodelled(I)`.
    pub unmodelled: Set,
}

/// Step 2's result for one item.
pub(super) struct ItemSecrecy {
    pub findings: Vec<SecrecyFinding>,
    /// Whether the findings are all the secrecy there is, and why.
    pub basis: SecrecyBasis,
    /// What scope checks that could not be judged read: questions, if they matter.
    pub reads: Vec<Read>,
    pub caps: Vec<Cap>,
}

impl SecrecyStage {
    /// The secrecy protecting item `i`, sorted; `None` only for an item this stage never
    /// saw (a bug: callers fault, never "no secrecy").
    pub fn secret_of(&self, i: usize) -> Option<&[ProvisionId]> {
        self.secret.get(i).map(Vec::as_slice)
    }

    /// What capped item `i` at `manual` in this step; `None` as for [`Self::secret_of`].
    pub fn caps_of(&self, i: usize) -> Option<&[Cap]> {
        self.items.get(i).map(|x| x.caps.as_slice())
    }

    /// The findings and the secrecy of each item, for the last steps.
    pub fn into_parts(self) -> (Vec<ItemSecrecy>, Vec<Vec<ProvisionId>>) {
        (self.items, self.secret)
    }

    /// Whether a route must break something for item `i` (some secrecy is required).
    pub fn requires(&self, i: usize) -> bool {
        let i = ItemIx::from_index(i).0;
        let start = self.required.partition_point(|&(j, _)| j < i);
        self.required.get(start).is_some_and(|&(j, _)| j == i)
    }
}

pub(super) fn derive(
    program: &dyn Program,
    model: &Model,
    law: &Law,
    in_force: &InForce,
    case: &Case,
) -> Result<SecrecyStage, Fault> {
    let mut items: Vec<ItemSecrecy> = (0..case.items.len())
        .map(|_| ItemSecrecy {
            findings: Vec::new(),
            basis: SecrecyBasis::Unknown,
            reads: Vec::new(),
            caps: Vec::new(),
        })
        .collect();
    let in_scope = candidates(model, law, in_force, case, &mut items)?;
    let classified = classifications(model, in_force, case, &mut items);
    let secrecy = program.item_secrecy(
        law,
        &Relation::from_vec(in_scope),
        &Relation::from_vec(classified),
        &in_force.subsidiary,
    );
    let mut secret = vec![Vec::new(); case.items.len()];
    for &(i, s) in secrecy.item_secret.iter() {
        secret.get_mut(i as usize).need("uppgift")?.push(ProvisionId(s));
    }
    let mut unmodelled = Vec::new();
    for (i, (item, found)) in case.items.iter().zip(items.iter_mut()).enumerate() {
        found.basis = completeness(model, law, case, item);
        if found.basis == SecrecyBasis::Unknown {
            unmodelled.push((ItemIx::from_index(i).0, ()));
        }
    }
    Ok(SecrecyStage {
        items,
        secret,
        required: secrecy.required,
        unmodelled: Relation::from_vec(unmodelled),
    })
}

/// Rule 2 on each item's candidates (rule 1, evaluated at build), then their scope: the
/// findings, and `in_scope(S, I)` for those that protect (or may protect) the item.
fn candidates(
    model: &Model,
    law: &Law,
    in_force: &InForce,
    case: &Case,
    items: &mut [ItemSecrecy],
) -> Result<Vec<(u32, u32)>, Fault> {
    let mut in_scope = Vec::new();
    for (i, (item, found)) in case.items.iter().zip(items.iter_mut()).enumerate() {
        let candidates = law.protected_by.get(item.category.index()).need("kategori")?;
        found.findings.reserve(candidates.len() + item.classified.len());
        for &sv in candidates.iter().filter(|&&sv| in_force.version(sv)) {
            let finding = scope(model, case, item, sv)?;
            if finding.result.protects() {
                in_scope.push((sv.0, ItemIx::from_index(i).0));
            }
            if finding.result == SecrecyResult::Assumed {
                found
                    .reads
                    .extend(finding.checks.iter().flat_map(|c| c.reads.iter().copied()));
            }
            found.findings.push(finding);
        }
    }
    Ok(in_scope)
}

/// The sender's own classification of each item: `item_classified(I, S)` for provisions
/// in force, a cap for those that are not, and the findings marked or added.
fn classifications(model: &Model, in_force: &InForce, case: &Case, items: &mut [ItemSecrecy]) -> Vec<(u32, u32)> {
    let mut classified = Vec::new();
    for (i, (item, found)) in case.items.iter().zip(items.iter_mut()).enumerate() {
        for &s in &item.classified {
            let version = in_force.of(s);
            match version {
                Some(_) => classified.push((ItemIx::from_index(i).0, s.0)),
                None => found.caps.push(Cap::ClassifiedNotInForce(s)),
            }
            classify(model, &mut found.findings, s, version);
        }
    }
    classified
}

/// A candidate's scope, checked three-valued: where it applies and its condition.
fn scope(model: &Model, case: &Case, item: &Item, v: VersionId) -> Result<SecrecyFinding, Fault> {
    let version = model.version(v).need("version")?;
    let Body::Secrecy(body) = &version.body else {
        return Err(Fault {
            what: "sekretessversion",
        });
    };
    let env = super::env(model, case, item, &[], None);
    let mut checks = Checks::new();
    if let Some(set) = &body.applies_at {
        checks.push(super::rules::party_check(
            CheckKind::AppliesAt,
            set,
            case,
            super::rules::Side::Sender,
        ));
    }
    if let Some(set) = &body.applies_in {
        let mut reads = Reads::new();
        let truth = cond::held_in(&item.held, set, &mut reads);
        checks.push(Check {
            kind: CheckKind::AppliesIn,
            truth,
            reads,
        });
    }
    if let Some(w) = body.when {
        checks.push(super::rules::condition_check(&env, w));
    }
    let truth = checks.iter().map(|c| c.truth).min().unwrap_or(Truth::True);
    Ok(SecrecyFinding {
        provision: version.provision,
        version: Some(v),
        classified: false,
        derived: true,
        result: match truth {
            Truth::True => SecrecyResult::Applies,
            Truth::Unknown => SecrecyResult::Assumed,
            Truth::False => SecrecyResult::OutOfScope,
        },
        subsidiary: body.subsidiary.is_some(),
        checks,
    })
}

/// Whether the secrecy derived for an item is all there is: the sender stated its own
/// assessment, or a coverage (`täckning`) surely includes the item's category, the sender
/// and the activity where it is held. Anything less is unknown.
fn completeness(model: &Model, law: &Law, case: &Case, item: &Item) -> SecrecyBasis {
    if item.secrecy_stated {
        return SecrecyBasis::Stated;
    }
    let covers = |c: &Coverage| {
        c.activities
            .as_ref()
            .is_none_or(|set| cond::held_in(&item.held, set, &mut Reads::new()) == Truth::True)
            && c.actors
                .as_ref()
                .is_none_or(|set| set.contains(case.sender.actor, case.sender.unit) == Membership::Yes)
    };
    // Only the coverages that include the item's category (indexed at build).
    let listed = law
        .coverages_of
        .get(item.category.index())
        .map(Vec::as_slice)
        .unwrap_or_default();
    match listed.iter().find(|&&k| model.coverages.get(k).is_some_and(covers)) {
        Some(&k) => SecrecyBasis::Covered(k),
        None => SecrecyBasis::Unknown,
    }
}

/// Adds the sender's classification under `s` to an item's findings: the derived finding
/// is marked (and applies, if in force), or a new one is added.
fn classify(model: &Model, findings: &mut Vec<SecrecyFinding>, s: ProvisionId, version: Option<VersionId>) {
    let result = if version.is_some() {
        SecrecyResult::Applies
    } else {
        SecrecyResult::NotInForce
    };
    match findings.iter_mut().find(|f| f.provision == s) {
        Some(f) => {
            f.classified = true;
            if version.is_some() {
                f.result = SecrecyResult::Applies;
            }
        }
        None => findings.push(SecrecyFinding {
            provision: s,
            version,
            classified: true,
            derived: false,
            result,
            subsidiary: version.is_some_and(|v| crate::compile::is_subsidiary(model, v)),
            checks: Checks::new(),
        }),
    }
}
