//! One request in, one decision out, in the order of ARCHITECTURE.md's evaluation list,
//! one function per step:
//!
//! 1. [`Law::epochs`]: the versions in force on the date;
//! 2. `secrecy::derive`: the secrecy protecting each item at the sender (stratum 1);
//! 3. `rules::evaluate`: the conditions of every permission, duty and bar (three-valued);
//! 4. the program's strata 2–3 ([`Program::routes`]): reach, priority, conflicts;
//!    `routes::findings` reads them into each provision's status;
//! 5. `routes::outcome`: each applicable route's own outcome;
//! 6. `item::aggregate`: the item's outcome and basis (stratum 4 adds the bridges);
//! 7. `consequences`: data protection, balancing tests, obligations and notices;
//! 8. `questions`: the missing facts whose answers could change something.
//!
//! Every lookup that cannot miss returns a [`Fault`] when it does; a fault makes the whole
//! decision `manual` ([`Decision::inconsistent`]) rather than defaulting to anything.

mod consequences;
mod item;
mod questions;
mod routes;
mod rules;
mod secrecy;

use crate::compile::Law;
use crate::cond::{Env, Post};
use crate::decision::*;
use crate::program::{Datafrog, Program};
use crate::request::{Case, Item};
use datafrog::Relation;
use lagrum_dsl::model::*;

/// Decides a validated request with the datafrog evaluator.
pub fn decide(model: &Model, law: &Law, case: &Case) -> Decision {
    decide_with(&Datafrog, model, law, case)
}

/// Decides a validated request with the given evaluator of the program.
pub fn decide_with(program: &dyn Program, model: &Model, law: &Law, case: &Case) -> Decision {
    match try_decide(program, model, law, case) {
        Ok(d) => d,
        Err(fault) => Decision::inconsistent(case, fault),
    }
}

fn try_decide(program: &dyn Program, model: &Model, law: &Law, case: &Case) -> Result<Decision, Fault> {
    if !crate::request::consistent(model, case) {
        return Err(Fault {
            what: "det som begäran hänvisar till i regelverket",
        });
    }
    let in_force = law.epochs.on(case.date);
    let secrecy = secrecy::derive(program, model, law, in_force, case)?;
    let rules = rules::evaluate(model, law, in_force, case, &secrecy)?;
    let routes = program.routes(law, &rules.facts(&secrecy));
    let cx = Cx {
        model,
        law,
        case,
        in_force,
        rules: &rules,
        routes: &routes,
    };
    let mut drafts = Vec::with_capacity(case.items.len());
    for (i, item) in case.items.iter().enumerate() {
        let secret = secrecy.secret_of(i).need("uppgiftens sekretess")?;
        let env = env(model, case, item, secret, None);
        let findings = routes::findings(&cx, i, item, &secrecy, &env)?;
        drafts.push(item::aggregate(&cx, i, findings, &secrecy)?);
    }
    let in_basis = Relation::from_iter(drafts.iter().enumerate().flat_map(|(i, d)| {
        let i = ItemIx::from_index(i).0;
        d.basis_versions().map(move |v| (i, v.0))
    }));
    let bridges = program.basis_bridges(law, &in_basis, &routes.secret);
    let mut items = Vec::with_capacity(drafts.len());
    let mut questions = questions::Asked::default();
    let (found, secret) = secrecy.into_parts();
    for (i, ((item, draft), (found, secret))) in case
        .items
        .iter()
        .zip(drafts)
        .zip(found.into_iter().zip(&secret))
        .enumerate()
    {
        let env = env(model, case, item, secret, None);
        items.push(consequences::complete(
            &cx,
            i,
            &env,
            draft,
            found,
            &bridges,
            &mut questions,
        )?);
    }
    let outcome = items.iter().map(|d| d.outcome).min().unwrap_or(Outcome::Deny);
    let preliminary = items.iter().any(|d| d.preliminary && d.outcome == outcome);
    Ok(Decision {
        outcome,
        items,
        questions: questions.into_list(),
        request_checks: rules.request_checks,
        item_checks: rules.item_checks,
        fault: None,
        preliminary,
    })
}

/// What every stage after the conditions reads.
struct Cx<'a> {
    pub model: &'a Model,
    pub law: &'a Law,
    pub case: &'a Case,
    pub in_force: &'a crate::compile::InForce,
    pub rules: &'a rules::RuleStage,
    pub routes: &'a crate::program::Routes,
}

/// An item's position, as a program atom.
struct ItemIx(u32);

impl ItemIx {
    fn from_index(i: usize) -> ItemIx {
        ItemIx(u32::try_from(i).unwrap_or(u32::MAX))
    }
}

/// Everything a condition about one item may read, before the outcome is known.
fn env<'a>(
    model: &'a Model,
    case: &'a Case,
    item: &'a Item,
    secrecy: &'a [ProvisionId],
    post: Option<&'a Post>,
) -> Env<'a> {
    Env {
        model,
        case,
        item,
        subject: case.subject_of(item),
        secrecy,
        post,
    }
}

impl Decision {
    /// The decision when deciding met an internal inconsistency: every item `manual`,
    /// with the fault as the reason and no basis.
    pub fn inconsistent(case: &Case, fault: Fault) -> Decision {
        let items = case
            .items
            .iter()
            .map(|_| ItemDecision {
                outcome: Outcome::Manual,
                reason: Reason::Fault,
                secrecy: Vec::new(),
                secrecy_basis: SecrecyBasis::Unknown,
                routes: Vec::new(),
                basis: Vec::new(),
                balancing: Vec::new(),
                consequences: Vec::new(),
                data_protection: Vec::new(),
                caps: vec![Cap::Fault(fault)],
                questions: Vec::new(),
                preliminary: false,
            })
            .collect();
        Decision {
            outcome: Outcome::Manual,
            items,
            questions: Vec::new(),
            request_checks: CheckTable::default(),
            item_checks: CheckTable::default(),
            fault: Some(fault),
            preliminary: false,
        }
    }
}
