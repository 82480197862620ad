//! Step 7 for one item: the full basis (routes, the bridges rule 24 found, the
//! pre-assessments that settled a route), data protection, the balancing tests the sender
//! must make, and the obligations and notices that follow. Then step 8 collects the item's
//! questions.

use super::item::Draft;
use super::questions::{self, Asked};
use super::secrecy::ItemSecrecy;
use super::{Cx, ItemIx};
use crate::cond::{self, Env, Post, Reads, Truth};
use crate::decision::*;
use crate::program::Pairs;
use lagrum_dsl::model::*;

#[allow(clippy::too_many_arguments, reason = "one call site; the stage's whole input")]
pub(super) fn complete(
    cx: &Cx<'_>,
    i: usize,
    env: &Env<'_>,
    draft: Draft,
    found: ItemSecrecy,
    bridges: &Pairs,
    asked: &mut Asked,
) -> Result<ItemDecision, Fault> {
    let basis = basis(cx, i, &draft, bridges);
    let mut q = questions::ItemQuestions::default();
    q.bars(cx, i, &draft);
    q.secrecy(&found, &env.item.held, draft.outcome);
    q.routes(cx, i, &draft, env);
    // Asked so far: facts whose answers could raise the outcome (what follows only attaches
    // obligations or decides data protection).
    let preliminary = q.any();
    let (data_protection, dp_entails) = data_protection(cx, env, &mut q)?;
    let balancing = balancing(&draft);
    let post = Post {
        outcome: Some(draft.outcome),
        basis: {
            let mut b: Vec<ProvisionId> = basis.iter().map(|e| e.provision).collect();
            b.sort_unstable();
            b.dedup();
            b
        },
        balancing: balancing.first().map(|b| b.0),
    };
    let post_env = Env {
        post: Some(&post),
        secrecy: env.secrecy,
        ..*env
    };
    let consequences = consequences(cx, &draft, &dp_entails, &post_env, &mut q)?;
    let keys = asked.add(i, q);
    Ok(ItemDecision {
        outcome: draft.outcome,
        reason: draft.reason,
        secrecy: found.findings,
        secrecy_basis: found.basis,
        routes: draft.routes,
        basis,
        balancing,
        consequences,
        data_protection,
        caps: draft.caps,
        questions: keys,
        preliminary,
    })
}

/// The basis: each route, then the bridge it breaks secrecy through (when rule 24 found
/// it) and the pre-assessment that settled it.
fn basis(cx: &Cx<'_>, i: usize, draft: &Draft, bridges: &Pairs) -> Vec<BasisEntry> {
    let ix = ItemIx::from_index(i).0;
    let mut out: Vec<BasisEntry> = Vec::with_capacity(draft.basis.len() * 2);
    for &k in &draft.basis {
        let Some(f) = draft.routes.get(k) else { continue };
        out.push(BasisEntry {
            provision: f.provision,
            version: f.version,
            role: BasisRole::Route(k),
        });
        if let Some(Body::Rule(r)) = f.version.and_then(|v| cx.model.version(v)).map(|v| &v.body)
            && let Breaks::Through(b) = r.breaks
            && bridges.binary_search(&(ix, b.0)).is_ok()
            && !out.iter().any(|e| e.provision == b)
        {
            out.push(BasisEntry {
                provision: b,
                version: cx.in_force.of(b),
                role: BasisRole::Bridge,
            });
        }
        for n in &f.notes {
            if let Escalation::PreAssessment(p) = n
                && let Some(pre) = cx.model.preassessment(*p)
            {
                out.push(BasisEntry {
                    provision: pre.provision,
                    version: f.version,
                    role: BasisRole::PreAssessment(*p),
                });
            }
        }
    }
    out
}

/// The balancing tests the outcome rests on (one per basis route with a live test).
fn balancing(draft: &Draft) -> Vec<(BalancingId, ProvisionId)> {
    if !matches!(draft.reason, Reason::Route) || !matches!(draft.outcome, Outcome::Must | Outcome::Allow) {
        return Vec::new();
    }
    draft
        .basis
        .iter()
        .filter_map(|k| draft.routes.get(*k))
        .flat_map(|f| {
            f.notes.iter().filter_map(move |n| match n {
                Escalation::Balancing(b) => Some((*b, f.provision)),
                _ => None,
            })
        })
        .collect()
}

/// Data protection: conditions on elements of the item (e.g. the identity number).
type Entails = Vec<(ConsequenceId, ProvisionId)>;

fn data_protection(
    cx: &Cx<'_>,
    env: &Env<'_>,
    q: &mut questions::ItemQuestions,
) -> Result<(Vec<DataProtectionFinding>, Entails), Fault> {
    let (mut out, mut entails) = (Vec::new(), Vec::new());
    for &v in &cx.law.data_protection_versions {
        if !cx.in_force.version(v) {
            continue;
        }
        let version = cx.model.version(v).need("version")?;
        let Body::DataProtection(body) = &version.body else {
            return Err(Fault {
                what: "dataskyddsversion",
            });
        };
        let mut checks = Checks::new();
        if let Some(w) = body.applies_when {
            let c = super::rules::condition_check(env, w);
            let applies = c.truth != Truth::False;
            checks.push(c);
            if !applies {
                continue;
            }
        }
        let c = super::rules::condition_check(env, body.permitted_when);
        let t = c.truth;
        if t == Truth::Unknown {
            q.push(&c.reads, Some(version.provision));
        }
        checks.push(c);
        let verdict = if t == Truth::True {
            entails.extend(body.entails.iter().map(|c| (*c, version.provision)));
            DataProtectionVerdict::Permitted
        } else {
            DataProtectionVerdict::Omit
        };
        out.push(DataProtectionFinding {
            provision: version.provision,
            version: v,
            verdict,
            checks,
        });
    }
    Ok((out, entails))
}

/// The obligations and notices: `medför` of the basis routes and of permitted data
/// protection (while the outcome lets the item go or asks a person), and every
/// consequence whose own condition holds. One resting on a provision (`enligt`) follows
/// only while that provision is in force; one whose condition is unknown asks for the
/// missing fact rather than going unnoticed.
fn consequences(
    cx: &Cx<'_>,
    draft: &Draft,
    dp_entails: &Entails,
    post_env: &Env<'_>,
    q: &mut questions::ItemQuestions,
) -> Result<Vec<Attached>, Fault> {
    let basis_in_force = |c: ConsequenceId| -> Result<bool, Fault> {
        Ok(cx
            .model
            .consequence(c)
            .need("följd")?
            .basis
            .is_none_or(|b| cx.in_force.of(b).is_some()))
    };
    let mut out: Vec<Attached> = Vec::new();
    let mut attach = |c: ConsequenceId, via: Option<ProvisionId>| -> Result<(), Fault> {
        if basis_in_force(c)? && !out.iter().any(|a| a.consequence == c) {
            out.push(Attached { consequence: c, via });
        }
        Ok(())
    };
    if matches!(draft.outcome, Outcome::Must | Outcome::Allow | Outcome::Manual) {
        for f in draft.basis.iter().filter_map(|k| draft.routes.get(*k)) {
            if let Some(Body::Rule(r)) = f.version.and_then(|v| cx.model.version(v)).map(|v| &v.body) {
                for c in &r.entails {
                    attach(*c, Some(f.provision))?;
                }
            }
        }
        for (c, p) in dp_entails {
            attach(*c, Some(*p))?;
        }
    }
    for &c in &cx.law.conditional_consequences {
        let consequence = cx.model.consequence(c).need("följd")?;
        let Some(when) = consequence.when else { continue };
        let mut reads = Reads::new();
        match cond::eval(post_env, when, &mut reads) {
            Truth::True => attach(c, None)?,
            Truth::Unknown if basis_in_force(c)? => q.push(&reads, consequence.basis),
            Truth::Unknown | Truth::False => {}
        }
    }
    Ok(out)
}
