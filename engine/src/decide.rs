//! One request in, one decision out: the strata of the program, with the three-valued
//! condition checks between them, then outcomes, consequences and questions.
//!
//! Evaluation order (see ARCHITECTURE.md):
//! 1. versions in force on the date;
//! 2. secrecy protecting each item at the sender (stratum 1);
//! 3. the conditions of every permission, duty and bar (Rust, three-valued);
//! 4. reach and priority (strata 2–3);
//! 5. each route's own outcome (balancing, risk factors, judgements, pre-assessments);
//! 6. the item outcome (least permissive wins only across items; within an item the best
//!    route decides), then obligations and questions.

use crate::compile::Law;
use crate::cond::{self, Env, FactKey, Post, Read, Reads, Truth};
use crate::decision::*;
use crate::program;
use crate::request::{Case, Item};
use datafrog::Relation;
use lagrum_dsl::model::*;

/// Decides a validated request.
pub fn decide(model: &Model, law: &Law, case: &Case) -> Decision {
    let date = case.date;
    let in_force: Vec<bool> = model.versions.iter().map(|v| v.in_force(date)).collect();
    // The version of each provision in force on the date (versions do not overlap).
    let mut in_force_version: Vec<Option<VersionId>> = vec![None; model.provisions.len()];
    for (i, v) in model.versions.iter().enumerate() {
        if in_force.get(i).copied().unwrap_or(false)
            && let Some(slot) = in_force_version.get_mut(v.provision.index())
        {
            *slot = Some(VersionId(id32(i)));
        }
    }
    let version_on = |p: ProvisionId| in_force_version.get(p.index()).copied().flatten();
    let version_in_force: Relation<(u32, ())> = in_force
        .iter()
        .enumerate()
        .filter(|(_, f)| **f)
        .map(|(i, _)| (id32(i), ()))
        .collect();

    // ---------------------------------------------------------------- stratum 1: secrecy
    let item_category: Relation<(u32, u32)> = case
        .items
        .iter()
        .enumerate()
        .flat_map(|(i, it)| {
            model
                .category(it.category)
                .map(|c| c.ancestry.as_slice())
                .unwrap_or_default()
                .iter()
                .map(move |c| (c.0, id32(i)))
        })
        .collect();
    let candidates = program::secrecy_candidates(law, &item_category, &version_in_force);

    let mut secrecy_findings: Vec<Vec<SecrecyFinding>> = vec![Vec::new(); case.items.len()];
    let mut secrecy_reads: Vec<Vec<Read>> = vec![Vec::new(); case.items.len()];
    let mut in_scope = Vec::new();
    for &(sv, i) in candidates.iter() {
        let (Some(item), Some(version)) = (case.items.get(i as usize), model.version(VersionId(sv))) else {
            continue;
        };
        let Body::Secrecy(body) = &version.body else { continue };
        let env = env(model, case, item, &[], None);
        let mut checks = Checks::new();
        let mut truth = Truth::True;
        if let Some(set) = &body.applies_at {
            let c = party_check(CheckKind::AppliesAt, set, case, Side::Sender);
            truth = truth.min(c.truth);
            checks.push(c);
        }
        if let Some(w) = body.when {
            let c = condition_check(&env, w);
            truth = truth.min(c.truth);
            checks.push(c);
        }
        let result = match truth {
            Truth::True => SecrecyResult::Applies,
            Truth::Unknown => SecrecyResult::Assumed,
            Truth::False => SecrecyResult::OutOfScope,
        };
        if truth.possibly() {
            in_scope.push((sv, i));
        }
        if truth == Truth::Unknown
            && let Some(r) = secrecy_reads.get_mut(i as usize)
        {
            r.extend(checks.iter().flat_map(|c| c.reads.iter().copied()));
        }
        if let Some(f) = secrecy_findings.get_mut(i as usize) {
            f.push(SecrecyFinding {
                provision: version.provision,
                version: Some(VersionId(sv)),
                classified: false,
                derived: true,
                result,
                subsidiary: body.subsidiary.is_some(),
                checks,
            });
        }
    }
    let mut caps: Vec<Vec<Cap>> = vec![Vec::new(); case.items.len()];
    let mut classified = Vec::new();
    for (i, item) in case.items.iter().enumerate() {
        for &s in &item.classified {
            let version = version_on(s);
            match version {
                Some(_) => classified.push((id32(i), s.0)),
                None => {
                    if let Some(c) = caps.get_mut(i) {
                        c.push(Cap::ClassifiedNotInForce(s));
                    }
                }
            }
            let findings = secrecy_findings.get_mut(i);
            if let Some(findings) = findings {
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
                        result: if version.is_some() {
                            SecrecyResult::Applies
                        } else {
                            SecrecyResult::NotInForce
                        },
                        subsidiary: version.is_some_and(|v| is_subsidiary(model, v)),
                        checks: Checks::new(),
                    }),
                }
            }
        }
    }
    let subsidiary: Relation<(u32, ())> = model
        .provisions
        .iter()
        .enumerate()
        .filter(|(p, _)| version_on(ProvisionId(id32(*p))).is_some_and(|v| is_subsidiary(model, v)))
        .map(|(p, _)| (id32(p), ()))
        .collect();
    let secrecy = program::item_secrecy(
        law,
        &Relation::from_vec(in_scope),
        &Relation::from_vec(classified),
        &subsidiary,
    );
    let item_secret: Vec<Vec<ProvisionId>> = group(&secrecy.item_secret, case.items.len());
    let required: Vec<Vec<ProvisionId>> = group(&secrecy.required, case.items.len());

    // ---------------------------------------------------------------- conditions of rules
    // Request-level checks are the same for every item: compute once per rule version.
    let mut request_checks = CheckTable::with_slots(law.rule_versions.len());
    for (k, v) in law.rule_versions.iter().enumerate() {
        let in_force = in_force.get(v.index()).copied().unwrap_or(false);
        if let Some(Body::Rule(r)) = model.version(*v).map(|x| &x.body)
            && in_force
        {
            request_checks.record(k, |out| request_level_checks(case, r, out));
        }
    }
    // Per item, per rule version slot: the item-level checks and the combined truth.
    let request_truth: Vec<Truth> = (0..law.rule_versions.len())
        .map(|k| {
            request_checks
                .get(k)
                .map(|c| c.iter().map(|x| x.truth).min().unwrap_or(Truth::True))
                .unwrap_or(Truth::False)
        })
        .collect();
    // Item-level checks: slot `i * n + k` for item i and rule version slot k.
    let n_slots = law.rule_versions.len();
    let mut item_checks = CheckTable::with_slots(case.items.len() * n_slots);
    let mut item_truth: Vec<Truth> = vec![Truth::False; case.items.len() * n_slots];
    let mut applicable = Vec::new();
    let mut undetermined = Vec::new();
    let mut bar_applies = Vec::new();
    for (i, item) in case.items.iter().enumerate() {
        let secret = item_secret.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let env = env(model, case, item, secret, None);
        for (k, v) in law.rule_versions.iter().enumerate() {
            if request_checks.get(k).is_none() {
                continue;
            }
            let Some(Body::Rule(r)) = model.version(*v).map(|x| &x.body) else {
                continue;
            };
            let base = request_truth.get(k).copied().unwrap_or(Truth::False);
            let slot = i * n_slots + k;
            // A rule that fails on the request alone needs no look at the item.
            let mut truth = base;
            if base != Truth::False {
                item_checks.record(slot, |out| {
                    let start = out.len();
                    if let Some(set) = &r.covers {
                        out.push(field_check(
                            CheckKind::Covers,
                            set.contains(item.category),
                            FactKey::Category,
                        ));
                    }
                    if let Some(w) = r.when {
                        out.push(condition_check(&env, w));
                    }
                    let own = out.get(start..).unwrap_or_default();
                    truth = own.iter().fold(base, |t, c| t.min(c.truth));
                });
            }
            let is_bar = kind_of(model, *v) == Some(ProvisionKind::Bar);
            match (truth, is_bar) {
                (Truth::False, _) => {}
                (_, true) => bar_applies.push((id32(i), v.0)),
                (Truth::True, false) => applicable.push((id32(i), v.0)),
                (Truth::Unknown, false) => undetermined.push((id32(i), v.0)),
            }
            if let Some(t) = item_truth.get_mut(slot) {
                *t = truth;
            }
        }
    }

    // ---------------------------------------------------------------- strata 2–3
    let routes = program::routes(
        law,
        &Relation::from_vec(applicable),
        &Relation::from_vec(undetermined),
        &Relation::from_vec(bar_applies),
        &secrecy.required,
    );

    // ---------------------------------------------------------------- outcomes
    let mut items = Vec::with_capacity(case.items.len());
    for (i, item) in case.items.iter().enumerate() {
        let i32_ = id32(i);
        let secret = item_secret.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let req = required.get(i).map(Vec::as_slice).unwrap_or(&[]);
        let env = env(model, case, item, secret, None);
        let mut questions: Vec<(FactKey, Option<ProvisionId>)> = Vec::new();

        // Risk factors are properties of the item: evaluate once.
        let risks: Vec<(RiskId, Truth, Reads)> = model
            .risks
            .iter()
            .enumerate()
            .map(|(r, risk)| {
                let mut reads = Reads::new();
                let t = cond::eval(&env, risk.when, &mut reads);
                (RiskId(id32(r)), t, reads)
            })
            .filter(|(_, t, _)| t.possibly())
            .collect();

        let mut findings: Vec<RouteFinding> = Vec::with_capacity(law.rule_provisions.len());
        for &p in &law.rule_provisions {
            let version = version_on(p);
            let Some(v) = version else {
                findings.push(RouteFinding {
                    provision: p,
                    version: None,
                    status: not_in_force(model, p, date),
                    shared_checks: None,
                    item_checks: None,
                    outcome: None,
                    notes: Vec::new(),
                });
                continue;
            };
            let slot = law.rule_version_slot.get(v.index()).copied().flatten();
            let own = slot.map(|k| i * n_slots + k as usize);
            let truth = own.and_then(|s| item_truth.get(s)).copied().unwrap_or(Truth::False);
            let is_bar = kind_of(model, v) == Some(ProvisionKind::Bar);
            let key = (i32_, v.0);
            let mut finding = RouteFinding {
                provision: p,
                version: Some(v),
                status: RouteStatus::Rejected,
                shared_checks: slot,
                item_checks: own.and_then(|s| u32::try_from(s).ok()),
                outcome: None,
                notes: Vec::new(),
            };
            if truth == Truth::False {
                findings.push(finding);
                continue;
            }
            if is_bar {
                finding.status = match defeated_by(&routes, i32_, p) {
                    Some(by) => RouteStatus::Defeated { by },
                    None => RouteStatus::Applies,
                };
                if contains(&routes.bar_active, key) {
                    finding.outcome = Some(Outcome::Deny);
                    if truth == Truth::Unknown {
                        for c in route_checks(&request_checks, &item_checks, &finding) {
                            push_missing(&mut questions, &c.reads, Some(p));
                        }
                    }
                }
                findings.push(finding);
                continue;
            }
            if let Some((s, by)) = blocked(model, &routes, i32_, v) {
                finding.status = RouteStatus::Excluded { secrecy: s, by };
            } else if let Some(s) = uncovered(&routes, i32_, v) {
                finding.status = RouteStatus::NotCovering { secrecy: s };
            } else if truth == Truth::Unknown {
                finding.status = RouteStatus::Undetermined;
                // A missing fact matters only if the answer could raise the outcome; that is
                // settled below, once the item outcome is known.
            } else if let Some(by) = defeated_by(&routes, i32_, p) {
                finding.status = RouteStatus::Defeated { by };
            } else {
                finding.status = RouteStatus::Applies;
            }
            if matches!(finding.status, RouteStatus::Applies | RouteStatus::Undetermined) {
                let (outcome, notes) = route_outcome(model, case, item, v, !req.is_empty(), &risks, &env);
                finding.outcome = Some(outcome);
                finding.notes = notes;
            }
            findings.push(finding);
        }

        // Aggregate: a bar and a route in conflict ask for a person; a bar alone denies;
        // otherwise the best route decides; otherwise secrecy denies.
        // With nothing to break, a permission adds nothing: only duties can be a basis.
        let active_routes: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.status == RouteStatus::Applies && f.outcome.is_some() && !is_bar_finding(model, f))
            .filter(|(_, f)| {
                !req.is_empty()
                    || model
                        .provision(f.provision)
                        .is_some_and(|p| p.kind == ProvisionKind::Duty)
            })
            .map(|(k, _)| k)
            .collect();
        let active_bars: Vec<usize> = findings
            .iter()
            .enumerate()
            .filter(|(_, f)| f.status == RouteStatus::Applies && is_bar_finding(model, f))
            .map(|(k, _)| k)
            .collect();
        let (mut outcome, reason, mut basis) = match (active_bars.first(), active_routes.is_empty()) {
            (Some(&b), false) => {
                let r = active_routes.first().copied().unwrap_or(b);
                let (bv, rv) = (version_of(&findings, b), version_of(&findings, r));
                if let Some(f) = findings.get_mut(b) {
                    f.status = RouteStatus::Conflict { with: rv };
                }
                for &k in &active_routes {
                    if let Some(f) = findings.get_mut(k) {
                        f.status = RouteStatus::Conflict { with: bv };
                    }
                }
                let mut basis = active_bars.clone();
                basis.extend(active_routes.iter().copied());
                (Outcome::Manual, Reason::Conflict { bar: bv, route: rv }, basis)
            }
            (Some(&b), true) => (
                Outcome::Deny,
                Reason::Bar(version_of(&findings, b)),
                active_bars.clone(),
            ),
            (None, false) => {
                let best = active_routes
                    .iter()
                    .filter_map(|k| findings.get(*k).and_then(|f| f.outcome))
                    .max()
                    .unwrap_or(Outcome::Deny);
                let basis: Vec<usize> = active_routes
                    .iter()
                    .copied()
                    .filter(|k| findings.get(*k).and_then(|f| f.outcome) == Some(best))
                    .collect();
                (best, Reason::Route, basis)
            }
            (None, true) => {
                if req.is_empty() {
                    (Outcome::Allow, Reason::NotSecret, Vec::new())
                } else {
                    (Outcome::Deny, Reason::Secrecy, Vec::new())
                }
            }
        };
        let item_caps = caps.get(i).cloned().unwrap_or_default();
        if !item_caps.is_empty() {
            outcome = outcome.min(Outcome::Manual);
        }
        basis.sort_unstable();

        // Questions: what a missing fact could change.
        if let Some(reads) = secrecy_reads.get(i)
            && outcome < Outcome::Must
        {
            let by = secrecy_findings
                .get(i)
                .and_then(|f| f.iter().find(|x| x.result == SecrecyResult::Assumed))
                .map(|x| x.provision);
            push_missing(&mut questions, reads, by);
        }
        for f in &findings {
            if f.status == RouteStatus::Undetermined
                && f.outcome.is_some_and(|o| o > outcome)
                && contains(&routes.open, (i32_, f.version.map(|v| v.0).unwrap_or(u32::MAX)))
            {
                for c in route_checks(&request_checks, &item_checks, f) {
                    push_missing(&mut questions, &c.reads, Some(f.provision));
                }
            }
        }
        for &k in &basis {
            let Some(f) = findings.get(k) else { continue };
            for n in &f.notes {
                match n {
                    Escalation::Risk(r, Truth::Unknown) => {
                        if let Some((_, _, reads)) = risks.iter().find(|(x, _, _)| x == r) {
                            push_missing(&mut questions, reads, Some(f.provision));
                        }
                    }
                    Escalation::Uncertain(u, Truth::Unknown) => {
                        let when = rule_body(model, f.version)
                            .and_then(|r| r.uncertain.get(*u))
                            .and_then(|x| x.when);
                        if let Some(w) = when {
                            let mut reads = Reads::new();
                            let _ = cond::eval(&env, w, &mut reads);
                            push_missing(&mut questions, &reads, Some(f.provision));
                        }
                    }
                    _ => {}
                }
            }
        }

        // Data protection: conditions on elements of the item (e.g. the identity number).
        let mut data_protection = Vec::new();
        let mut dp_entails = Vec::new();
        for &v in &law.data_protection_versions {
            if !in_force.get(v.index()).copied().unwrap_or(false) {
                continue;
            }
            let (Some(version), Some(Body::DataProtection(body))) =
                (model.version(v), model.version(v).map(|x| &x.body))
            else {
                continue;
            };
            let mut checks = Checks::new();
            if let Some(w) = body.applies_when {
                let c = condition_check(&env, w);
                let t = c.truth;
                checks.push(c);
                if t == Truth::False {
                    continue;
                }
            }
            let c = condition_check(&env, body.permitted_when);
            let t = c.truth;
            if t == Truth::Unknown {
                push_missing(&mut questions, &c.reads, Some(version.provision));
            }
            checks.push(c);
            let verdict = if t == Truth::True {
                dp_entails.extend(body.entails.iter().map(|c| (*c, version.provision)));
                DataProtectionVerdict::Permitted
            } else {
                DataProtectionVerdict::Omit
            };
            data_protection.push(DataProtectionFinding {
                provision: version.provision,
                version: v,
                verdict,
                checks,
            });
        }

        // Balancing tests the outcome rests on.
        let balancing: Vec<(BalancingId, ProvisionId)> =
            if matches!(reason, Reason::Route) && matches!(outcome, Outcome::Must | Outcome::Allow) {
                basis
                    .iter()
                    .filter_map(|k| findings.get(*k))
                    .flat_map(|f| {
                        f.notes.iter().filter_map(move |n| match n {
                            Escalation::Balancing(b) => Some((*b, f.provision)),
                            _ => None,
                        })
                    })
                    .collect()
            } else {
                Vec::new()
            };

        // Consequences, read after the outcome.
        let mut post = Post {
            outcome: Some(outcome),
            basis: Vec::new(),
            balancing: balancing.first().map(|b| b.0),
        };
        for &k in &basis {
            if let Some(f) = findings.get(k) {
                post.basis.push(f.provision);
                if let Some(Breaks::Through(bridge)) = rule_body(model, f.version).map(|r| &r.breaks) {
                    post.basis.push(*bridge);
                }
            }
        }
        post.basis.sort_unstable();
        post.basis.dedup();
        let post_env = Env {
            post: Some(&post),
            ..env
        };
        let mut consequences: Vec<Attached> = Vec::new();
        // A consequence resting on a provision (`enligt`) follows only while it is in force.
        let basis_in_force = |c: ConsequenceId| {
            model
                .consequence(c)
                .and_then(|x| x.basis)
                .is_none_or(|b| version_on(b).is_some())
        };
        let attach = |list: &mut Vec<Attached>, c: ConsequenceId, via: Option<ProvisionId>| {
            if basis_in_force(c) && !list.iter().any(|a| a.consequence == c) {
                list.push(Attached { consequence: c, via });
            }
        };
        if matches!(outcome, Outcome::Must | Outcome::Allow | Outcome::Manual) {
            for &k in &basis {
                if let Some(f) = findings.get(k)
                    && let Some(r) = rule_body(model, f.version)
                {
                    for c in &r.entails {
                        attach(&mut consequences, *c, Some(f.provision));
                    }
                }
            }
            for (c, p) in &dp_entails {
                attach(&mut consequences, *c, Some(*p));
            }
        }
        for &c in &law.conditional_consequences {
            let Some(when) = model.consequence(c).and_then(|x| x.when) else {
                continue;
            };
            let mut reads = Reads::new();
            match cond::eval(&post_env, when, &mut reads) {
                Truth::True => attach(&mut consequences, c, None),
                // An obligation that may follow (e.g. to protect a person's identity) must not
                // go unnoticed because a fact is missing: ask for it.
                Truth::Unknown if basis_in_force(c) => {
                    push_missing(&mut questions, &reads, model.consequence(c).and_then(|x| x.basis));
                }
                Truth::Unknown => {}
                Truth::False => {}
            }
        }

        let mut keys: Vec<FactKey> = questions.iter().map(|(k, _)| *k).collect();
        keys.sort_unstable();
        keys.dedup();
        items.push((
            ItemDecision {
                outcome,
                reason,
                // Each item's findings are read for the last time here.
                secrecy: secrecy_findings.get_mut(i).map(std::mem::take).unwrap_or_default(),
                routes: findings,
                basis,
                balancing,
                consequences,
                data_protection,
                caps: item_caps,
                questions: keys,
            },
            questions,
        ));
    }

    let outcome = items.iter().map(|(d, _)| d.outcome).min().unwrap_or(Outcome::Deny);
    let mut questions: Vec<Question> = Vec::new();
    for (i, (_, qs)) in items.iter().enumerate() {
        for (key, by) in qs {
            match questions.iter_mut().find(|q| q.key == *key) {
                Some(q) => {
                    if !q.items.contains(&i) {
                        q.items.push(i);
                    }
                    if let Some(p) = by
                        && !q.asked_by.contains(p)
                    {
                        q.asked_by.push(*p);
                    }
                }
                None => questions.push(Question {
                    key: *key,
                    items: vec![i],
                    asked_by: by.iter().copied().collect(),
                }),
            }
        }
    }
    questions.sort_by_key(|q| q.key);
    Decision {
        outcome,
        items: items.into_iter().map(|(d, _)| d).collect(),
        questions,
        request_checks,
        item_checks,
    }
}

fn id32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

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

fn kind_of(model: &Model, v: VersionId) -> Option<ProvisionKind> {
    model
        .version(v)
        .and_then(|x| model.provision(x.provision))
        .map(|p| p.kind)
}

/// Secrecy that follows other secrecy (`följer annan sekretess`).
fn is_subsidiary(model: &Model, v: VersionId) -> bool {
    model
        .version(v)
        .is_some_and(|v| matches!(&v.body, Body::Secrecy(b) if b.subsidiary.is_some()))
}

fn is_bar_finding(model: &Model, f: &RouteFinding) -> bool {
    model
        .provision(f.provision)
        .is_some_and(|p| p.kind == ProvisionKind::Bar)
}

fn version_of(findings: &[RouteFinding], k: usize) -> VersionId {
    findings.get(k).and_then(|f| f.version).unwrap_or(VersionId(u32::MAX))
}

fn rule_body(model: &Model, v: Option<VersionId>) -> Option<&RuleBody> {
    match v.and_then(|v| model.version(v)).map(|x| &x.body) {
        Some(Body::Rule(r)) => Some(r),
        _ => None,
    }
}

/// `item_secret` and `secrecy_required` as sorted lists per item.
fn group(rel: &Relation<(u32, u32)>, n: usize) -> Vec<Vec<ProvisionId>> {
    let mut out = vec![Vec::new(); n];
    for &(i, s) in rel.iter() {
        if let Some(l) = out.get_mut(i as usize) {
            l.push(ProvisionId(s));
        }
    }
    out
}

fn contains(rel: &Relation<(u32, u32)>, t: (u32, u32)) -> bool {
    rel.binary_search(&t).is_ok()
}

/// The first `c` with `(a, b, c)` in a sorted relation of triples.
fn third(rel: &Relation<(u32, u32, u32)>, a: u32, b: u32) -> Option<u32> {
    let start = rel.partition_point(|&(x, y, _)| (x, y) < (a, b));
    rel.get(start)
        .filter(|&&(x, y, _)| (x, y) == (a, b))
        .map(|&(_, _, c)| c)
}

fn defeated_by(routes: &program::Routes, i: u32, p: ProvisionId) -> Option<VersionId> {
    third(&routes.defeated, i, p.0).map(VersionId)
}

fn blocked(
    model: &Model,
    routes: &program::Routes,
    i: u32,
    v: VersionId,
) -> Option<(ProvisionId, Option<ProvisionId>)> {
    let s = third(&routes.blocked, i, v.0)?;
    let by = rule_body(model, Some(v))
        .and_then(|r| r.excludes.iter().find(|e| e.secrecy.0 == s))
        .and_then(|e| e.by);
    Some((ProvisionId(s), by))
}

fn uncovered(routes: &program::Routes, i: u32, v: VersionId) -> Option<ProvisionId> {
    third(&routes.uncovered, i, v.0).map(ProvisionId)
}

fn not_in_force(model: &Model, p: ProvisionId, date: lagrum_dsl::date::Date) -> RouteStatus {
    let versions = || {
        model
            .provision(p)
            .map(|x| x.versions.as_slice())
            .unwrap_or_default()
            .iter()
            .filter_map(|v| model.version(*v))
    };
    let starts = versions().map(|v| v.from).filter(|f| *f > date).min();
    let ended = versions().filter_map(|v| v.to).filter(|t| *t < date).max();
    RouteStatus::NotInForce { starts, ended }
}

/// Which party of the request a check of an actor set reads.
#[derive(Clone, Copy)]
enum Side {
    Sender,
    Recipient,
}

/// Whether the sender or the recipient is in an actor set. A set that names units of the
/// party's authority, when the request gives no unit, is unknown and asks for the unit.
fn party_check(kind: CheckKind, set: &ActorSet, case: &Case, side: Side) -> Check {
    let (party, key, unit_key) = match side {
        Side::Sender => (&case.sender, FactKey::Sender, FactKey::SenderUnit),
        Side::Recipient => (&case.recipient, FactKey::Recipient, FactKey::RecipientUnit),
    };
    let (truth, read) = match set.contains(party.actor, party.unit) {
        Membership::Yes => (Truth::True, Read { key, missing: false }),
        Membership::No => (Truth::False, Read { key, missing: false }),
        Membership::UnitNeeded => (
            Truth::Unknown,
            Read {
                key: unit_key,
                missing: true,
            },
        ),
    };
    Check {
        kind,
        truth,
        reads: smallvec::smallvec![read],
    }
}

/// A check of a fixed request field (mode, purposes, category) that is never missing.
fn field_check(kind: CheckKind, holds: bool, key: FactKey) -> Check {
    Check {
        kind,
        truth: Truth::from_bool(holds),
        reads: smallvec::smallvec![Read { key, missing: false }],
    }
}

/// A written condition (`när`), evaluated three-valued with what it read.
fn condition_check(env: &Env<'_>, w: ExprId) -> Check {
    let mut reads = Reads::new();
    let truth = cond::eval(env, w, &mut reads);
    Check {
        kind: CheckKind::Condition(w),
        truth,
        reads,
    }
}

/// The checks that depend only on the request: who gives, who receives, how, why.
fn request_level_checks(case: &Case, r: &RuleBody, checks: &mut Vec<Check>) {
    if let Some(set) = &r.givers {
        checks.push(party_check(CheckKind::Giver, set, case, Side::Sender));
    }
    if let Some(set) = &r.receivers {
        checks.push(party_check(CheckKind::Receiver, set, case, Side::Recipient));
    }
    if let Some(modes) = &r.modes {
        checks.push(field_check(CheckKind::Mode, modes.contains(&case.mode), FactKey::Mode));
    }
    if let Some(set) = &r.purposes {
        let any = case.purposes.iter().any(|p| set.members.binary_search(p).is_ok());
        checks.push(field_check(CheckKind::Purpose, any, FactKey::Purposes));
    }
}

/// The outcome one applicable route gives an item, and what shaped it.
///
/// A duty gives `must` and a permission `allow`. When the item is secret, a balancing test
/// with a presumption for disclosure keeps that outcome (the test must be made and
/// documented) unless a risk factor is present; a presumption against disclosure, a
/// judgement the request cannot settle, or an uncertain point of law give `manual`. A
/// matching pre-assessment settles a balancing test or a judgement, not a risk factor or
/// an uncertainty.
fn route_outcome(
    model: &Model,
    case: &Case,
    item: &Item,
    v: VersionId,
    secret: bool,
    risks: &[(RiskId, Truth, Reads)],
    env: &Env<'_>,
) -> (Outcome, Vec<Escalation>) {
    let Some(version) = model.version(v) else {
        return (Outcome::Manual, Vec::new());
    };
    let Body::Rule(r) = &version.body else {
        return (Outcome::Manual, Vec::new());
    };
    let duty = model
        .provision(version.provision)
        .is_some_and(|p| p.kind == ProvisionKind::Duty);
    let base = if duty { Outcome::Must } else { Outcome::Allow };
    let mut notes = Vec::new();
    let mut settleable = false;
    let mut unsettleable = false;

    for (k, u) in r.uncertain.iter().enumerate() {
        let t = match u.when {
            None => Truth::True,
            Some(w) => {
                let mut reads = Reads::new();
                cond::eval(env, w, &mut reads)
            }
        };
        if t.possibly() {
            notes.push(Escalation::Uncertain(k, t));
            unsettleable = true;
        }
    }
    if !secret {
        // Nothing to break: the item may go whatever the route's tests say. A duty is
        // certain only without open questions of law or judgement.
        notes.push(Escalation::NotSecret);
        let certain = !unsettleable && r.judgements.is_empty();
        return (if duty && certain { Outcome::Must } else { Outcome::Allow }, notes);
    }
    if let Some(b) = r.balancing {
        match model.balancing_test(b).map(|x| x.presumption) {
            Some(Presumption::ForDisclosure) => notes.push(Escalation::Balancing(b)),
            _ => {
                notes.push(Escalation::BalancingAgainst(b));
                settleable = true;
            }
        }
    }
    for k in 0..r.judgements.len() {
        notes.push(Escalation::Judgement(k));
        settleable = true;
    }
    // A risk factor leaves any weighing to a person: a live balancing test, whichever its
    // presumption, and a judgement, even one a pre-assessment would otherwise settle.
    if r.balancing.is_some() || !r.judgements.is_empty() {
        for (risk, t, _) in risks {
            notes.push(Escalation::Risk(*risk, *t));
            unsettleable = true;
        }
    }
    if unsettleable {
        return (Outcome::Manual, notes);
    }
    if settleable {
        if let Some(pre) = preassessment(model, case, item, version.provision) {
            notes.push(Escalation::PreAssessment(pre));
            let result = model.preassessment(pre).map(|p| p.result);
            return (
                if result == Some(PreResult::May) {
                    base
                } else {
                    Outcome::Deny
                },
                notes,
            );
        }
        return (Outcome::Manual, notes);
    }
    (base, notes)
}

/// The first pre-assessment that covers this flow on the date.
fn preassessment(model: &Model, case: &Case, item: &Item, p: ProvisionId) -> Option<PreId> {
    model
        .preassessments
        .iter()
        .enumerate()
        .find(|(_, pre)| {
            pre.provision == p
                && pre.from <= case.date
                && pre.to.is_none_or(|t| case.date <= t)
                && pre.senders.contains(case.sender.actor, case.sender.unit) == Membership::Yes
                && pre.recipients.contains(case.recipient.actor, case.recipient.unit) == Membership::Yes
                && pre.categories.contains(item.category)
                && case
                    .purposes
                    .iter()
                    .any(|x| pre.purposes.members.binary_search(x).is_ok())
        })
        .map(|(k, _)| PreId(id32(k)))
}

fn push_missing(out: &mut Vec<(FactKey, Option<ProvisionId>)>, reads: &[Read], by: Option<ProvisionId>) {
    for r in reads {
        if r.missing && r.key.askable() && !out.iter().any(|(k, b)| *k == r.key && *b == by) {
            out.push((r.key, by));
        }
    }
}
