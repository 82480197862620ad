//! What rendering needs that depends only on the ruleset: made once when the engine is
//! built, so that a decision document costs copies rather than formatting. A proof names
//! every provision considered, with what its conditions list, for every item.

use super::names::{activity_set, actor_set, category_set, list, mode, purpose_set};
use super::wire::{ProvisionRef, VersionDoc};
use lagrum_dsl::model::*;

/// What a version's conditions list, as text.
#[derive(Debug, Clone, Default)]
pub struct SetTexts {
    pub givers: String,
    pub receivers: String,
    pub modes: String,
    pub purposes: String,
    pub covers: String,
    /// A secrecy version's `gäller i`.
    pub activities: String,
}

/// What rendering needs that depends only on the ruleset, made once per engine.
#[derive(Debug, Clone, Default)]
pub struct Labels {
    sets: Vec<SetTexts>,
    /// Each condition in plain Swedish (by condition index).
    conditions: Vec<String>,
    /// The reference to each version (by version index), and to each provision without a
    /// version (by provision index).
    version_refs: Vec<ProvisionRef>,
    provision_refs: Vec<ProvisionRef>,
}

impl Labels {
    pub fn new(model: &Model) -> Labels {
        let sets = model
            .versions
            .iter()
            .map(|v| match &v.body {
                Body::Rule(r) => SetTexts {
                    givers: r.givers.as_ref().map(|s| actor_set(model, s)).unwrap_or_default(),
                    receivers: r.receivers.as_ref().map(|s| actor_set(model, s)).unwrap_or_default(),
                    modes: r
                        .modes
                        .as_ref()
                        .map(|m| list(&m.iter().map(|x| mode(*x).to_string()).collect::<Vec<_>>()))
                        .unwrap_or_default(),
                    purposes: r.purposes.as_ref().map(|s| purpose_set(model, s)).unwrap_or_default(),
                    covers: r.covers.as_ref().map(|s| category_set(model, s)).unwrap_or_default(),
                    activities: String::new(),
                },
                Body::Secrecy(s) => SetTexts {
                    activities: s
                        .applies_in
                        .as_ref()
                        .map(|a| activity_set(model, a))
                        .unwrap_or_default(),
                    ..SetTexts::default()
                },
                _ => SetTexts::default(),
            })
            .collect();
        let version_refs = (0..model.versions.len())
            .map(|i| {
                let v = VersionId(u32::try_from(i).unwrap_or(u32::MAX));
                let p = model.version(v).map(|x| x.provision);
                p.map(|p| build_ref(model, p, Some(v))).unwrap_or_default()
            })
            .collect();
        let provision_refs = (0..model.provisions.len())
            .map(|i| build_ref(model, ProvisionId(u32::try_from(i).unwrap_or(u32::MAX)), None))
            .collect();
        let conditions = (0..model.exprs.len())
            .map(|i| super::conditions::describe(model, ExprId::from_index(i)))
            .collect();
        Labels {
            sets,
            conditions,
            version_refs,
            provision_refs,
        }
    }

    /// A condition in plain Swedish; "(okänt villkor)" for an index the model lacks.
    pub fn condition(&self, e: ExprId) -> &str {
        self.conditions.get(e.index()).map_or("(okänt villkor)", String::as_str)
    }

    /// What the version's conditions list.
    pub fn sets(&self, version: Option<VersionId>) -> Option<&SetTexts> {
        version.and_then(|v| self.sets.get(v.index()))
    }

    /// A provision's id, shared.
    pub fn provision_id(&self, p: ProvisionId) -> super::wire::Text {
        self.provision_refs
            .get(p.index())
            .map(|r| r.id.clone())
            .unwrap_or_else(|| "".into())
    }

    /// A provision with the version applied (if any), and where to read it.
    pub fn provision_ref(&self, model: &Model, p: ProvisionId, v: Option<VersionId>) -> ProvisionRef {
        let cached = match v {
            Some(v) if model.version(v).is_some_and(|x| x.provision == p) => self.version_refs.get(v.index()),
            None => self.provision_refs.get(p.index()),
            // A version of another provision (a pre-assessment cites its provision with the
            // route's version): made on the spot.
            Some(_) => None,
        };
        cached.cloned().unwrap_or_else(|| build_ref(model, p, v))
    }
}

fn build_ref(model: &Model, p: ProvisionId, v: Option<VersionId>) -> ProvisionRef {
    let prov = model.provision(p);
    ProvisionRef {
        id: prov.map(|x| x.id.as_str()).unwrap_or_default().into(),
        citation: super::names::citation(model, p).into(),
        heading: prov.and_then(|x| x.heading.as_deref()).map(Into::into),
        sfs: prov
            .and_then(|x| model.law(x.law))
            .and_then(|l| l.sfs.as_deref())
            .map(Into::into),
        version: v.and_then(|v| model.version(v)).map(|x| VersionDoc {
            sfs: x.sfs.as_deref().map(Into::into),
            from: x.from.to_string().into(),
            to: x.to.map(|t| t.to_string().into()),
        }),
        link: prov.and_then(|x| paragraph_link(model, x)).map(Into::into),
    }
}

/// Where to read a provision: its own `länk` if it has one; otherwise the paragraph in
/// Riksdagen's open-data HTML of the act, `https://data.riksdagen.se/dokument/sfs-ÅÅÅÅ-NNN.html`
/// with the anchor `#K<kapitel>P<paragraf>` (`#P<paragraf>` in an act without chapters, a
/// letter appended: `#K10P15a`); the act's `länk` when the act has no SFS number or the
/// provision no paragraph. docs/web.md says why this form.
fn paragraph_link(model: &Model, p: &Provision) -> Option<String> {
    let law = model.law(p.law);
    let inherited = law.and_then(|l| l.link.as_deref());
    if p.link.is_some() && p.link.as_deref() != inherited {
        return p.link.clone();
    }
    let sfs = law.and_then(|l| l.sfs.as_deref());
    let (Some((year, number)), Some(section)) = (sfs.and_then(|s| s.split_once(':')), p.point.section) else {
        return p.link.clone();
    };
    let letter = section.letter.map(String::from).unwrap_or_default();
    let anchor = match p.point.chapter {
        Some(ch) => format!("K{ch}P{}{letter}", section.number),
        None => format!("P{}{letter}", section.number),
    };
    Some(format!(
        "https://data.riksdagen.se/dokument/sfs-{}-{}.html#{anchor}",
        year.trim(),
        number.trim()
    ))
}
