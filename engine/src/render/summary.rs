//! The summary a person reads first, in plain Swedish and consistent with the outcome: the
//! outcome (marked preliminary when open questions could change it), the one or two
//! provisions it rests on, what the sender must still do (a balancing test is a step, not
//! a contradiction of "ska lämnas"), and, where a stronger route fell away, why.
//!
//! Built from the decision only (ids), so the compact and the full document say the same.

use super::wire::SummaryDoc;
use super::words;
use crate::decision::*;
use crate::request::Case;
use lagrum_dsl::model::*;

/// How many provisions the headline names.
const RESTS_ON: usize = 2;
/// How many fallen routes the summary explains.
const FELL_AWAY: usize = 3;

/// The decision's summary.
pub fn summary(model: &Model, decision: &Decision) -> SummaryDoc {
    let outcome = decision.outcome;
    // The items that carry the request's outcome: what the summary explains.
    let deciding: Vec<&ItemDecision> = decision.items.iter().filter(|d| d.outcome == outcome).collect();
    let rests_on = rests_on(model, &deciding);
    let word = words::outcome(outcome);
    let on = if rests_on.is_empty() || outcome == Outcome::Deny && deciding.iter().all(|d| d.reason == Reason::Secrecy)
    {
        String::new()
    } else {
        format!(" enligt {}", words::list(&rests_on))
    };
    let text = if decision.preliminary {
        format!("Preliminärt: {word}{on} – svaren på frågorna nedan kan ändra utfallet.")
    } else {
        let mut s = format!("{}{on}", capitalised(word));
        if !s.ends_with('.') {
            s.push('.');
        }
        if outcome == Outcome::Deny
            && let Some(cit) = secrecy_of(model, &deciding).first()
        {
            s = format!(
                "{} – uppgiften skyddas av {cit} och ingen bestämmelse bryter sekretessen.",
                capitalised(word)
            );
        }
        s
    };
    SummaryDoc {
        preliminary: decision.preliminary,
        text,
        rests_on,
        steps: steps(model, decision, &deciding),
        fell_away: fell_away(model, &deciding),
    }
}

/// Ends a sentence with exactly one period (a citation or a ruleset text may end in one).
fn sentence(mut s: String) -> String {
    if !s.ends_with('.') {
        s.push('.');
    }
    s
}

fn capitalised(s: &str) -> String {
    let mut c = s.chars();
    match c.next() {
        Some(f) => f.to_uppercase().chain(c).collect(),
        None => String::new(),
    }
}

/// The one or two provisions the outcome rests on: the routes (and bridge) of the deciding
/// items, or a bar; for secrecy nothing breaks, the secrecy.
fn rests_on(model: &Model, deciding: &[&ItemDecision]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if out.len() < RESTS_ON && !out.contains(&s) {
            out.push(s);
        }
    };
    for d in deciding {
        match d.reason {
            Reason::Bar(v) | Reason::Conflict { bar: v, .. } => add(words::version_citation(model, v)),
            Reason::Secrecy => {}
            _ => {}
        }
        if let Reason::Conflict { route, .. } = d.reason {
            add(words::version_citation(model, route));
        }
        for b in &d.basis {
            if !matches!(b.role, BasisRole::PreAssessment(_)) {
                add(words::citation(model, b.provision));
            }
        }
    }
    out
}

/// The secrecy protecting the deciding items, each once.
fn secrecy_of(model: &Model, deciding: &[&ItemDecision]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for s in deciding
        .iter()
        .flat_map(|d| d.secrecy.iter())
        .filter(|s| s.result.protects())
    {
        let c = words::citation(model, s.provision);
        if !out.contains(&c) {
            out.push(c);
        }
    }
    out
}

/// What the sender must still do before the outcome can be acted on, in order: answer the
/// questions, make the balancing test or the assessment. (The obligations that follow a
/// disclosure are the document's `obligations`.)
fn steps(model: &Model, decision: &Decision, deciding: &[&ItemDecision]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    let mut add = |s: String| {
        if !out.contains(&s) {
            out.push(s);
        }
    };
    if decision.preliminary {
        add(format!(
            "Besvara frågorna nedan ({} st.); utfallet gäller bara tills de är besvarade.",
            decision.questions.len()
        ));
    }
    for d in deciding {
        for (b, p) in &d.balancing {
            let label = model.balancing_test(*b).map(|t| t.label.as_str()).unwrap_or_default();
            add(format!(
                "Gör intresseavvägningen enligt {} ({label}) och dokumentera den. Det är ett steg före utlämnandet: \
                 talar avvägningen emot utlämnande lämnas uppgiften inte ut.",
                words::citation(model, *p)
            ));
        }
        if d.outcome == Outcome::Manual {
            for f in d.basis_routes().filter_map(|k| d.routes.get(k)) {
                for n in f.notes.iter().filter(|n| {
                    !matches!(
                        n,
                        Escalation::Balancing(_) | Escalation::NotSecret | Escalation::PreAssessment(_)
                    )
                }) {
                    add(sentence(format!(
                        "Pröva i det enskilda fallet ({}): {}",
                        words::citation(model, f.provision),
                        words::escalation(model, f.version, n)
                    )));
                }
            }
            if let Reason::Conflict { bar, route } = d.reason {
                add(format!(
                    "Pröva i det enskilda fallet: {} och {} står mot varandra.",
                    words::version_citation(model, bar),
                    words::version_citation(model, route)
                ));
            }
            if d.reason == Reason::SecrecyUnknown {
                add(
                    "Pröva vilken sekretess som gäller för uppgiften hos avsändaren (eller ange att ingen gäller)."
                        .into(),
                );
            }
        }
    }
    out
}

/// Routes that would have given more than the outcome and fell away on reach or priority,
/// or could not be tried for want of a fact: why, in one sentence each.
fn fell_away(model: &Model, deciding: &[&ItemDecision]) -> Vec<String> {
    let mut out: Vec<String> = Vec::new();
    for d in deciding {
        for f in &d.routes {
            let would = match model.provision(f.provision).map(|p| p.kind) {
                Some(ProvisionKind::Duty) => Outcome::Must,
                Some(ProvisionKind::Permission) => Outcome::Allow,
                _ => continue,
            };
            if would <= d.outcome || out.len() >= FELL_AWAY {
                continue;
            }
            // Most routes fell away out of reach (rejected): no sentence, and no citation.
            let Some(fell) = why_fell(model, f.status) else {
                continue;
            };
            let cit = words::citation(model, f.provision);
            let s = match fell {
                Fell::Because(why) => {
                    let then = match d.outcome {
                        Outcome::Manual => ": pröva i det enskilda fallet",
                        Outcome::Deny => ": den ger inget stöd för att lämna uppgiften",
                        _ => "",
                    };
                    sentence(format!("{cit} skulle ha gällt, men {why}{then}"))
                }
                Fell::Undetermined => format!("{cit} kan ge \"{}\" om frågorna nedan besvaras.", words::outcome(would)),
            };
            if !out.contains(&s) {
                out.push(s);
            }
        }
    }
    out
}

/// Why a route fell away, when that is worth a sentence.
enum Fell {
    /// It reached the item but something stronger stood in its way.
    Because(String),
    /// It could not be tried for want of a fact.
    Undetermined,
}

fn why_fell(model: &Model, status: RouteStatus) -> Option<Fell> {
    Some(match status {
        RouteStatus::Excluded { secrecy, .. } => Fell::Because(format!(
            "uppgiften skyddas av {}, som den inte bryter",
            secrecy_words(model, secrecy)
        )),
        RouteStatus::NotCovering { secrecy } => Fell::Because(format!(
            "den bryter inte sekretessen enligt {}",
            secrecy_words(model, secrecy)
        )),
        RouteStatus::Defeated { by } => Fell::Because(format!("{} går före", words::version_citation(model, by))),
        RouteStatus::SecrecyUnknown => {
            Fell::Because("det går inte att avgöra om den når den sekretess som kan gälla för uppgiften".into())
        }
        RouteStatus::Undetermined => Fell::Undetermined,
        _ => return None,
    })
}

/// A secrecy provision by citation and, when it has one, its heading.
fn secrecy_words(model: &Model, p: ProvisionId) -> String {
    let cit = words::citation(model, p);
    match model.provision(p).and_then(|x| x.heading.as_deref()) {
        Some(h) => format!("{cit} ({})", h.to_lowercase()),
        None => cit,
    }
}

/// The notice every decision dated after the ruleset's `känt till` carries: the law it
/// applies is the law as the ruleset knows it, which may have changed since.
pub fn beyond_known(model: &Model, case: &Case) -> Option<String> {
    let known = model.info.known_until?;
    (case.date > known).then(|| {
        format!(
            "Beslutsdagen {} ligger efter {known}, den sista dag regelverket känner lagen för. \
             Beslutet tillämpar lagen som den var känd då; den kan ha ändrats. \
             Kontrollera bestämmelserna mot gällande lydelse innan uppgiften lämnas.",
            case.date
        )
    })
}
