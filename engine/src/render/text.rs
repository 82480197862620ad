//! The decision as Swedish text for a person: the outcome first and unmistakable, then per
//! item the secrecy, the basis with versions, the balancing test, obligations, and the
//! proof: what applied and on which facts, what was considered and why it failed.
//!
//! Rendered from the decision document, so text and JSON always say the same thing.

use super::json::*;
use std::fmt::Write as _;

/// The outcome in capitals, as a heading.
pub fn outcome_heading(o: OutcomeDoc) -> &'static str {
    match o {
        OutcomeDoc::Must => "SKA LÄMNAS",
        OutcomeDoc::Allow => "FÅR LÄMNAS",
        OutcomeDoc::Manual => "KRÄVER PRÖVNING",
        OutcomeDoc::Deny => "FÅR INTE LÄMNAS",
    }
}

fn mark(r: StepResult) -> &'static str {
    match r {
        StepResult::Applies | StepResult::Permitted => "✓",
        StepResult::Assumed | StepResult::Undetermined | StepResult::Conflict => "?",
        StepResult::NotInForce => "–",
        _ => "✗",
    }
}

fn check_mark(h: Option<bool>) -> &'static str {
    match h {
        Some(true) => "✓",
        Some(false) => "✗",
        None => "?",
    }
}

fn short_hash(h: &str) -> &str {
    h.get(..19).unwrap_or(h)
}

/// Renders a decision document as text.
pub fn render(doc: &DecisionDoc) -> String {
    let mut out = String::new();
    header(&mut out, doc);
    summary(&mut out, doc);
    for it in &doc.items {
        item(&mut out, doc, it);
    }
    if !doc.questions.is_empty() {
        let _ = writeln!(out, "\nFRÅGOR SOM KAN ÄNDRA BESLUTET");
        for q in &doc.questions {
            let by = if q.asked_by.is_empty() {
                String::new()
            } else {
                format!(" – {}", q.asked_by.join(", "))
            };
            let _ = writeln!(out, "  ? {} [{}]{by}", q.text, q.path);
        }
    }
    if !doc.notes.is_empty() {
        let _ = writeln!(out, "\nNOTERINGAR");
        for n in &doc.notes {
            let _ = writeln!(out, "  • {n}");
        }
    }
    out
}

/// Who, to whom, how, why, and the outcome.
fn header(out: &mut String, doc: &DecisionDoc) {
    let _ = writeln!(out, "LAGRUM – BESLUTSSTÖD");
    let _ = writeln!(
        out,
        "Regelverk:  {} {} ({}…)",
        doc.ruleset.name,
        doc.ruleset.version,
        short_hash(&doc.ruleset.hash)
    );
    if let Some(id) = &doc.request_id {
        let _ = writeln!(out, "Ärende:     {id}");
    }
    let _ = writeln!(out, "Beslutsdag: {}", doc.date);
    let _ = writeln!(out, "Från:       {}", doc.sender.label);
    let _ = writeln!(out, "Till:       {}", doc.recipient.label);
    let _ = writeln!(
        out,
        "Sätt:       {}",
        match doc.mode {
            crate::request::ModeDoc::Request => "på begäran",
            crate::request::ModeDoc::OwnInitiative => "på eget initiativ",
        }
    );
    let purposes: Vec<&str> = doc.purposes.iter().map(|p| p.label.as_str()).collect();
    let _ = writeln!(out, "Syfte:      {}", purposes.join("; "));
    let _ = writeln!(out);
    if doc.preliminary {
        let _ = writeln!(out, "══ PRELIMINÄRT BESLUT: {} ══", outcome_heading(doc.outcome));
    } else {
        let _ = writeln!(out, "══ BESLUT: {} ══", outcome_heading(doc.outcome));
    }
    if doc.items.len() > 1 {
        for it in &doc.items {
            let mark = if it.preliminary { " (preliminärt)" } else { "" };
            let _ = writeln!(out, "   {}: {}{mark}", it.id, outcome_heading(it.outcome));
        }
    }
}

/// One item: its outcome, the secrecy at the sender, the basis, what the sender must do,
/// and the proof.
fn item(out: &mut String, doc: &DecisionDoc, it: &ItemOut) {
    let _ = writeln!(out);
    let _ = writeln!(
        out,
        "── Uppgift {} ({}) ── {}",
        it.id,
        it.category.label,
        outcome_heading(it.outcome)
    );
    let _ = writeln!(out, "{}", it.summary);

    item_secrecy(out, it);
    item_basis(out, it);
    item_duties(out, it);
    proof(out, doc, it);
}

fn item_secrecy(out: &mut String, it: &ItemOut) {
    let secret: Vec<&SecrecyDoc> = it
        .secrecy
        .iter()
        .filter(|s| !matches!(s.result, SecrecyResultDoc::OutOfScope))
        .collect();
    let _ = writeln!(out, "\nSekretess hos avsändaren");
    if secret.is_empty() && it.secrecy_basis.kind != SecrecyBasisKind::Unknown {
        let _ = writeln!(out, "  • ingen sekretessbestämmelse skyddar uppgiften hos avsändaren");
    }
    let _ = writeln!(out, "  {}", it.secrecy_basis.text);
    for s in secret {
        let damage = match s.damage_test {
            DamageDoc::Rakt => "rakt skaderekvisit",
            DamageDoc::Omvant => "omvänt skaderekvisit",
            DamageDoc::Absolut => "absolut sekretess",
        };
        let _ = writeln!(out, "  • {} [{damage}]", s.text);
    }
}

fn item_basis(out: &mut String, it: &ItemOut) {
    if !it.basis.is_empty() {
        let _ = writeln!(out, "\nGrund");
        for b in &it.basis {
            let role = match b.role {
                Role::Duty => "uppgiftsskyldighet",
                Role::Permission => "sekretessbrytande bestämmelse",
                Role::Bridge => "bryter sekretessen för uppgiftsskyldigheten",
                Role::Bar => "förbud",
                Role::PreAssessment => "förhandsbedömning",
                Role::Secrecy => "sekretess",
                Role::DataProtection => "dataskydd",
                Role::Other => "bestämmelse",
            };
            let version = b
                .provision
                .version
                .as_ref()
                .map(|v| {
                    let sfs = v.sfs.as_ref().map(|s| format!("{s}, ")).unwrap_or_default();
                    let to = v.to.as_ref().map(|t| format!(" till {t}")).unwrap_or_default();
                    format!(" ({sfs}i kraft från {}{to})", v.from)
                })
                .unwrap_or_default();
            let heading = b
                .provision
                .heading
                .as_ref()
                .map(|h| format!(" {h}"))
                .unwrap_or_default();
            let _ = writeln!(out, "  • {}{heading} – {role}{version}", b.provision.citation);
            if let Some(pre) = &b.pre_assessment {
                let to = pre.to.as_ref().map(|t| format!(" till {t}")).unwrap_or_default();
                let _ = writeln!(out, "    {} (dnr {}, giltig från {}{to})", pre.title, pre.dnr, pre.from);
            }
            if let Some(link) = &b.provision.link {
                let _ = writeln!(out, "    {link}");
            }
        }
    }
}

/// Balancing tests, obligations, notices and data protection.
fn item_duties(out: &mut String, it: &ItemOut) {
    if !it.balancing.is_empty() {
        let _ = writeln!(out, "\nPrövning att göra och dokumentera");
        for b in &it.balancing {
            let _ = writeln!(out, "  • {} ({}): {}", b.test.label, b.provision, b.text);
        }
    }

    let obligations: Vec<&ObligationDoc> = it
        .obligations
        .iter()
        .filter(|o| o.kind == ObligationKind::Obligation)
        .collect();
    let notices: Vec<&ObligationDoc> = it
        .obligations
        .iter()
        .filter(|o| o.kind == ObligationKind::Notice)
        .collect();
    for (title, list) in [("Skyldigheter", obligations), ("Upplysningar", notices)] {
        if list.is_empty() {
            continue;
        }
        let _ = writeln!(out, "\n{title}");
        for o in list {
            let basis = o.basis.as_ref().map(|b| format!(" ({b})")).unwrap_or_default();
            let _ = writeln!(out, "  • {}{basis}", o.text);
        }
    }

    if !it.data_protection.is_empty() {
        let _ = writeln!(out, "\nDataskydd");
        for d in &it.data_protection {
            let _ = writeln!(out, "  • {}", d.text);
        }
    }
}

/// The proof: what applied in full, what was rejected grouped by why, what was not in force.
fn proof(out: &mut String, doc: &DecisionDoc, it: &ItemOut) {
    let _ = writeln!(out, "\nBevisning");
    let mut not_in_force: Vec<String> = Vec::new();
    let mut rest: Vec<&StepDoc> = Vec::new();
    let mut steps: Vec<&StepDoc> = it.proof.steps.iter().filter(|s| s.role != Role::Secrecy).collect();
    // The basis first, then what applied or could not be judged, then what failed.
    steps.sort_by_key(|s| match (s.in_basis, s.result) {
        (true, _) => 0,
        (_, StepResult::Applies | StepResult::Conflict | StepResult::Permitted | StepResult::Omit) => 1,
        (_, StepResult::Undetermined) => 2,
        (_, StepResult::Defeated | StepResult::Excluded | StepResult::NotCovering) => 3,
        (_, StepResult::NotInForce) => 5,
        _ => 4,
    });
    for s in steps {
        if s.result == StepResult::NotInForce {
            let when = match (&s.starts, &s.ended) {
                (Some(st), _) => format!("från {st}"),
                (None, Some(e)) => format!("upphörde {e}"),
                _ => "ej i kraft".into(),
            };
            not_in_force.push(format!("{} ({when})", s.provision.citation));
        } else {
            rest.push(s);
        }
    }
    // Rejected provisions, grouped by the condition they failed.
    let mut rejected: Vec<(String, Vec<String>)> = Vec::new();
    for s in rest {
        if let Some((group, entry)) = rejection(doc, s) {
            match rejected.iter_mut().find(|(g, _)| *g == group) {
                Some((_, list)) => list.push(entry),
                None => rejected.push((group, vec![entry])),
            }
            continue;
        }
        let _ = writeln!(out, "  {} {}", mark(s.result), s.text);
        let detailed = s.in_basis || matches!(s.result, StepResult::Applies | StepResult::Conflict);
        if detailed {
            for c in &s.checks {
                let _ = writeln!(out, "      {} {}", check_mark(c.holds), c.text);
            }
        }
        if s.in_basis || matches!(s.result, StepResult::Applies | StepResult::Conflict) {
            for n in &s.notes {
                let _ = writeln!(out, "      · {}", n.text);
            }
        }
    }
    for (group, list) in rejected {
        let mark = if group.starts_with("Kan inte prövas") {
            "?"
        } else {
            "✗"
        };
        let _ = writeln!(out, "  {mark} {group}: {}", list.join(", "));
    }
    if !not_in_force.is_empty() {
        let _ = writeln!(out, "  – Inte i kraft {}: {}", doc.date, not_in_force.join(", "));
    }
}

/// For a provision that fell away (rejected, or undetermined outside the basis): the group
/// it is listed under and its entry there.
fn rejection(doc: &DecisionDoc, s: &StepDoc) -> Option<(String, String)> {
    if s.in_basis {
        return None;
    }
    if s.result == StepResult::Undetermined {
        return Some((
            "Kan inte prövas, uppgifter saknas".into(),
            s.provision.citation.to_string(),
        ));
    }
    if s.result != StepResult::Rejected {
        return None;
    }
    let first = s.checks.iter().find(|c| c.holds == Some(false));
    let group = match first.map(|c| c.check) {
        Some(CheckCode::Giver) => format!("Avsändaren ({}) omfattas inte av", doc.sender.label),
        Some(CheckCode::Receiver) => format!("Mottagaren ({}) omfattas inte av", doc.recipient.label),
        Some(CheckCode::Mode) => format!(
            "Utlämnande {} omfattas inte av",
            match doc.mode {
                crate::request::ModeDoc::Request => "på begäran",
                crate::request::ModeDoc::OwnInitiative => "på eget initiativ",
            }
        ),
        Some(CheckCode::Purpose) => "Syftet omfattas inte av".to_string(),
        Some(CheckCode::Covers) => "Uppgiftens slag omfattas inte av".to_string(),
        _ => "Villkoren är inte uppfyllda för".to_string(),
    };
    // A failed condition in words (the check's sentence), never as written in the ruleset.
    let entry = match first {
        Some(c) if c.check == CheckCode::Condition => {
            // "villkoret är inte uppfyllt: X": the group already says so; keep X.
            let why = c.text.split_once(": ").map_or(c.text.as_str(), |(_, x)| x);
            format!("{} ({why})", s.provision.citation)
        }
        _ => s.provision.citation.to_string(),
    };
    Some((group, entry))
}

/// The summary first: the headline (`Preliminärt: …`), the notice for a date after what the
/// ruleset knows, what the sender must still do, and why stronger routes fell away.
fn summary(out: &mut String, doc: &DecisionDoc) {
    let _ = writeln!(out, "{}", doc.summary.text);
    if let Some(n) = &doc.beyond_known {
        let _ = writeln!(out, "OBS: {n}");
    }
    if !doc.summary.steps.is_empty() {
        let _ = writeln!(out, "Att göra:");
        for (k, s) in doc.summary.steps.iter().enumerate() {
            let _ = writeln!(out, "  {}. {s}", k + 1);
        }
    }
    if !doc.summary.fell_away.is_empty() {
        let _ = writeln!(out, "Varför inte mer:");
        for s in &doc.summary.fell_away {
            let _ = writeln!(out, "  – {s}");
        }
    }
}
