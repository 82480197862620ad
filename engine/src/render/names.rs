//! How the ruleset's things are named in Swedish: outcomes, modes, citations, parties and
//! the sets a provision lists. The lowest layer of the sentences: [`super::conditions`] and
//! [`super::words`] build on it, and it builds on nothing else in `render`.

use lagrum_dsl::ast::DamageTest;
use lagrum_dsl::model::*;

/// `ska lämnas`, `får lämnas`, `kräver prövning`, `får inte lämnas`.
pub fn outcome(o: Outcome) -> &'static str {
    match o {
        Outcome::Must => "ska lämnas",
        Outcome::Allow => "får lämnas",
        Outcome::Manual => "kräver prövning",
        Outcome::Deny => "får inte lämnas",
    }
}

pub fn mode(m: Mode) -> &'static str {
    match m {
        Mode::OnRequest => "på begäran",
        Mode::OwnInitiative => "på eget initiativ",
    }
}

pub fn damage(d: DamageTest) -> &'static str {
    match d {
        DamageTest::Straight => "rakt skaderekvisit",
        DamageTest::Reverse => "omvänt skaderekvisit",
        DamageTest::Absolute => "absolut sekretess",
    }
}

pub fn kind(k: ProvisionKind) -> &'static str {
    match k {
        ProvisionKind::Secrecy => "sekretess",
        ProvisionKind::Permission => "sekretessbrytande bestämmelse",
        ProvisionKind::Duty => "uppgiftsskyldighet",
        ProvisionKind::Bar => "förbud",
        ProvisionKind::DataProtection => "dataskydd",
        ProvisionKind::Plain => "bestämmelse",
    }
}

pub fn citation(model: &Model, p: ProvisionId) -> String {
    model
        .provision(p)
        .map(|x| x.citation.clone())
        .unwrap_or_else(|| "?".into())
}

pub fn version_citation(model: &Model, v: VersionId) -> String {
    model
        .version(v)
        .map(|x| citation(model, x.provision))
        .unwrap_or_else(|| "?".into())
}

/// `SFS 2025:179, från 2025-04-01` or `från 2009-06-30 till 2025-03-31`.
pub fn version_text(model: &Model, v: VersionId) -> String {
    let Some(x) = model.version(v) else {
        return String::new();
    };
    let mut s = String::new();
    if let Some(sfs) = &x.sfs {
        s.push_str(sfs);
        s.push_str(", ");
    }
    s.push_str(&format!("i kraft från {}", x.from));
    if let Some(t) = x.to {
        s.push_str(&format!(" till {t}"));
    }
    s
}

pub fn party(model: &Model, actor: ActorId, unit: Option<UnitId>) -> String {
    model.actor_label(ActorRef { actor, unit })
}

pub(crate) fn list(items: &[String]) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} och {}", init.join(", "), last),
    }
}

pub(crate) fn actor_set(model: &Model, set: &ActorSet) -> String {
    if let Some(l) = &set.label {
        return l.clone();
    }
    let names: Vec<String> = set.members.iter().map(|r| model.actor_label(*r)).collect();
    if names.len() > 6 {
        let head: Vec<String> = names.iter().take(5).cloned().collect();
        format!("{} m.fl.", head.join(", "))
    } else {
        list(&names)
    }
}

pub(crate) fn purpose_set(model: &Model, set: &PurposeSet) -> String {
    if let Some(l) = &set.label {
        return l.clone();
    }
    let names: Vec<String> = set
        .members
        .iter()
        .filter_map(|p| model.purpose(*p).map(|x| x.label.clone()))
        .collect();
    list(&names)
}

pub(crate) fn category_set(model: &Model, set: &CategorySet) -> String {
    if let Some(l) = &set.label {
        return l.clone();
    }
    // Name only the top of each listed tree.
    let names: Vec<String> = set
        .members
        .iter()
        .filter(|c| {
            model
                .category(**c)
                .and_then(|x| x.parent)
                .is_none_or(|p| !set.contains(p))
        })
        .filter_map(|c| model.category(*c).map(|x| x.label.clone()))
        .collect();
    list(&names)
}

pub(crate) fn activity_set(model: &Model, set: &ActivitySet) -> String {
    if let Some(l) = &set.label {
        return l.clone();
    }
    // Name only the top of each listed tree.
    let names: Vec<String> = set
        .members
        .iter()
        .filter(|a| {
            model
                .activity(**a)
                .and_then(|x| x.parent)
                .is_none_or(|p| !set.contains(p))
        })
        .filter_map(|a| model.activity(*a).map(|x| x.label.clone()))
        .collect();
    list(&names)
}
