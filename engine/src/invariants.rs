//! The model's invariants, checked once when an engine is built: every id the model holds
//! finds its entry, every version belongs to the provision that lists it, and a
//! provision's versions are in date order without overlap. The checker guarantees all of
//! this for a model it built; this check makes the guarantee the engine's own, so that a
//! lookup on the decision path can only miss through a bug — and a bug found here refuses
//! the ruleset instead of deciding with it.

use lagrum_dsl::model::*;

/// What is wrong with the model, one line each; empty when nothing is.
pub fn violations(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for (i, p) in model.provisions.iter().enumerate() {
        provision(model, ProvisionId::from_index(i), p, &mut out);
    }
    for (i, v) in model.versions.iter().enumerate() {
        let owner = model.provision(v.provision);
        let listed = owner.is_some_and(|p| p.versions.contains(&VersionId::from_index(i)));
        if !listed {
            out.push(format!("version {i} is not listed by its provision"));
        }
        let mut refs = Refs { model, missing: 0 };
        match &v.body {
            Body::Secrecy(s) => refs.secrecy(s),
            Body::Rule(r) => refs.rule(r),
            Body::DataProtection(d) => {
                refs.expr(d.applies_when);
                refs.expr(Some(d.permitted_when));
                d.entails.iter().for_each(|c| refs.found(model.consequence(*c)));
            }
            Body::Plain => {}
        }
        if refs.missing > 0 {
            out.push(format!("version {i}: {} reference(s) find nothing", refs.missing));
        }
    }
    for (i, pre) in model.preassessments.iter().enumerate() {
        if model.provision(pre.provision).is_none() {
            out.push(format!("pre-assessment {i}: its provision is missing"));
        }
    }
    out
}

fn provision(model: &Model, id: ProvisionId, p: &Provision, out: &mut Vec<String>) {
    if model.law(p.law).is_none() {
        out.push(format!("{}: its act is missing", p.id));
    }
    let mut previous: Option<&Version> = None;
    for v in &p.versions {
        let Some(version) = model.version(*v) else {
            out.push(format!("{}: a version is missing", p.id));
            continue;
        };
        if version.provision != id {
            out.push(format!("{}: lists a version of another provision", p.id));
        }
        if let Some(before) = previous {
            let ends_before = before.to.is_some_and(|to| to < version.from);
            if !ends_before {
                out.push(format!("{}: versions out of order or overlapping", p.id));
            }
        }
        previous = Some(version);
    }
}

/// Counts the references of one version that find nothing.
struct Refs<'a> {
    model: &'a Model,
    missing: usize,
}

impl Refs<'_> {
    fn found<T>(&mut self, entry: Option<T>) {
        if entry.is_none() {
            self.missing += 1;
        }
    }

    fn expr(&mut self, e: Option<ExprId>) {
        if let Some(e) = e {
            self.found(self.model.expr(e));
        }
    }

    fn actors(&mut self, set: Option<&ActorSet>) {
        for m in set.map(|s| s.members.as_slice()).unwrap_or_default() {
            self.found(self.model.actor(m.actor));
            if let Some(u) = m.unit {
                self.found(self.model.unit(u));
            }
        }
    }

    fn categories(&mut self, set: Option<&CategorySet>) {
        for c in set.map(|s| s.members.as_slice()).unwrap_or_default() {
            self.found(self.model.category(*c));
        }
    }

    fn secrecy(&mut self, s: &SecrecyBody) {
        self.categories(Some(&s.protects));
        self.actors(s.applies_at.as_ref());
        for a in s.applies_in.as_ref().map(|s| s.members.as_slice()).unwrap_or_default() {
            self.found(self.model.activity(*a));
        }
        self.expr(s.when);
        if let Some(Some(p)) = s.subsidiary {
            self.found(self.model.provision(p));
        }
    }

    fn rule(&mut self, r: &RuleBody) {
        self.actors(r.givers.as_ref());
        self.actors(r.receivers.as_ref());
        for p in r.purposes.as_ref().map(|s| s.members.as_slice()).unwrap_or_default() {
            self.found(self.model.purpose(*p));
        }
        self.categories(r.covers.as_ref());
        let provisions: Vec<ProvisionId> = match (&r.breaks, &r.precedes) {
            (Breaks::Listed(list), Precedence::Over(over)) => list.iter().chain(over).copied().collect(),
            (Breaks::Listed(list), _) => list.clone(),
            (Breaks::Through(b), Precedence::Over(over)) => std::iter::once(*b).chain(over.iter().copied()).collect(),
            (Breaks::Through(b), _) => vec![*b],
            (Breaks::Nothing, Precedence::Over(over)) => over.clone(),
            (Breaks::Nothing, _) => vec![],
        };
        let excluded = r.excludes.iter().flat_map(|e| std::iter::once(e.secrecy).chain(e.by));
        for p in provisions.into_iter().chain(excluded) {
            self.found(self.model.provision(p));
        }
        if let Some(b) = r.balancing {
            self.found(self.model.balancing_test(b));
        }
        self.expr(r.when);
        r.uncertain.iter().for_each(|u| self.expr(u.when));
        r.entails.iter().for_each(|c| self.found(self.model.consequence(*c)));
    }
}
