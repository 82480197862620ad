//! Coverage declarations (`täckning`): where the rulebook says it models a sender's secrecy
//! completely.
//!
//! A coverage names its scope (activities and/or actors), the kinds of information, and
//! every secrecy provision that can apply there, one by one. The checker holds it to that:
//! each listed citation names exactly one secrecy provision, and every secrecy provision
//! that could apply in the scope to that information is listed. Deleting or narrowing a
//! listed provision then breaks the check instead of silently making information public.

use super::sets::ProvisionFilter;
use super::{Checker, Sym, texts};
use crate::ast::{self, Reference};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::span::Span;

impl<'s> Checker<'s> {
    pub(crate) fn build_coverage(&mut self, c: &'s ast::CoverageDecl) {
        if let Some(first) = self.coverage_names.get(&c.id.name) {
            self.error(
                Diagnostic::error(
                    "dubblett",
                    c.id.span,
                    format!("täckningen `{}` är redan deklarerad", c.id.name),
                )
                .with_related(*first, "första deklarationen"),
            );
            return;
        }
        self.coverage_names.insert(c.id.name.clone(), c.id.span);
        let missing = |what: &str, help: &str| {
            Diagnostic::error(
                "uppgift-saknas",
                c.id.span,
                format!("täckningen `{}` saknar {what}", c.id.name),
            )
            .with_help(help.to_string())
        };
        let mut ok = true;
        if c.activities.is_none() && c.actors.is_none() {
            ok = false;
            self.error(missing(
                "omfång",
                "ange var den gäller: `i { verksamheter }` och/eller `hos { aktörer eller enheter }`",
            ));
        }
        let activities = c.activities.as_ref().map(|s| self.activity_set(s));
        let actors = c.actors.as_ref().map(|s| self.actor_set(s));
        ok &= !matches!(activities, Some(None)) && !matches!(actors, Some(None));
        let categories = match &c.categories {
            Some(s) => self.category_set(s),
            None => {
                self.error(missing(
                    "`avser`",
                    "ange vilka uppgifter den gäller, t.ex. `avser { personuppgift }`",
                ));
                None
            }
        };
        let secrecy = match &c.secrecy {
            Some(s) => self.exact_secrecy(s),
            None => {
                self.error(missing(
                    "`sekretess`",
                    "räkna upp all sekretess som kan gälla där, en bestämmelse i taget; `sekretess { }` om ingen gör det",
                ));
                None
            }
        };
        let (true, Some(categories), Some(secrecy)) = (ok, categories, secrecy) else {
            return;
        };
        let coverage = Coverage {
            id: c.id.name.clone(),
            label: c.label.value.clone(),
            activities: activities.flatten(),
            actors: actors.flatten(),
            categories,
            secrecy,
            explanation: texts(&c.explanation),
            span: c.id.span,
        };
        self.check_complete(&coverage);
        self.coverages.push(coverage);
    }

    /// Every secrecy provision that could apply in the coverage's scope to its information
    /// must be listed.
    fn check_complete(&mut self, cov: &Coverage) {
        let mut missing: Vec<(String, String, Span)> = Vec::new();
        for (i, p) in self.provisions.iter().enumerate() {
            let pid = ProvisionId(u32::try_from(i).unwrap_or(u32::MAX));
            if p.kind != ProvisionKind::Secrecy || cov.secrecy.binary_search(&pid).is_ok() {
                continue;
            }
            let can_apply = p
                .versions
                .iter()
                .filter_map(|v| self.versions.get(v.index()))
                .any(|v| match &v.body {
                    Body::Secrecy(b) => {
                        b.protects.members.iter().any(|c| cov.categories.contains(*c)) && self.scopes_meet(cov, b)
                    }
                    _ => false,
                });
            if can_apply {
                missing.push((p.citation.clone(), p.id.clone(), p.span));
            }
        }
        for (citation, id, span) in missing {
            self.error(
                Diagnostic::error(
                    "täckning-ofullständig",
                    cov.span,
                    format!("täckningen `{}` nämner inte {citation}, som kan gälla där", cov.id),
                )
                .with_related(span, format!("`{id}` deklareras här"))
                .with_help(format!(
                    "lägg till `{citation}` i täckningens `sekretess {{ … }}`, eller avgränsa täckningen (`i`, `hos`, `avser`) så att bestämmelsen inte kan gälla där"
                )),
            );
        }
    }

    /// Whether a secrecy version's scope (`gäller hos`, `gäller i`; neither = everywhere)
    /// can hold somewhere in the coverage's scope. An actor's or unit's declared activities
    /// limit where its information can be held; undeclared ones can be anything.
    fn scopes_meet(&self, cov: &Coverage, b: &SecrecyBody) -> bool {
        let activities: Option<Vec<ActivityId>> = match (&cov.activities, &b.applies_in) {
            (None, None) => None,
            (Some(a), None) | (None, Some(a)) => Some(a.members.clone()),
            (Some(a), Some(x)) => Some(a.members.iter().copied().filter(|m| x.contains(*m)).collect()),
        };
        if activities.as_ref().is_some_and(Vec::is_empty) {
            return false;
        }
        let places: Vec<ActorRef> = match (&cov.actors, &b.applies_at) {
            (None, None) => return true,
            (Some(a), None) | (None, Some(a)) => a.members.clone(),
            (Some(a), Some(x)) => meet_actors(a, x),
        };
        places.iter().any(|r| match self.held_activities(*r) {
            None => true,
            Some(held) => match &activities {
                None => !held.members.is_empty(),
                Some(list) => list.iter().any(|a| held.contains(*a)),
            },
        })
    }

    /// The activities an actor or unit declares (a unit without its own: the actor's).
    fn held_activities(&self, r: ActorRef) -> Option<&ActivitySet> {
        let actor = self.actors.get(r.actor.index())?;
        match r.unit.and_then(|u| self.units.get(u.index())) {
            Some(unit) => unit.activities.as_ref().or(actor.activities.as_ref()),
            None => actor.activities.as_ref(),
        }
    }

    /// The secrecy list of a coverage: names, exact citations, and groups of such; each
    /// must name exactly one secrecy provision.
    fn exact_secrecy(&mut self, set: &ast::SetExpr) -> Option<Vec<ProvisionId>> {
        let mut out = Vec::new();
        let mut visited = Vec::new();
        let mut ok = true;
        for m in &set.members {
            ok &= self.exact_member(m, &mut out, &mut visited);
        }
        out.sort();
        out.dedup();
        ok.then_some(out)
    }

    fn exact_member(&mut self, m: &Reference, out: &mut Vec<ProvisionId>, visited: &mut Vec<usize>) -> bool {
        match m {
            Reference::Citation(c) => {
                let single =
                    c.chapters.is_none_or(|(a, b)| a == b) && matches!(c.sections.as_slice(), [(a, b)] if a == b);
                let text = self.sources.snippet(c.span).to_string();
                if !single {
                    self.error(not_exact(
                        c.span,
                        format!("`{text}` anger flera paragrafer eller kapitel"),
                    ));
                    return false;
                }
                let Some(found) = self.match_citation(c, ProvisionFilter::Secrecy) else {
                    return false;
                };
                if let [one] = found.as_slice() {
                    out.push(*one);
                    return true;
                }
                self.error(not_exact(
                    c.span,
                    format!(
                        "`{text}` träffar {} sekretessbestämmelser; här ska den peka ut exakt en",
                        found.len()
                    ),
                ));
                false
            }
            Reference::Selector(_, span) => {
                self.error(not_exact(*span, "ett urval kan inte stå i en täckning".to_string()));
                false
            }
            Reference::Name(p) => self.exact_name(p, out, visited),
        }
    }

    /// A secrecy provision by name, or a group whose members are each exact.
    fn exact_name(&mut self, p: &ast::Path, out: &mut Vec<ProvisionId>, visited: &mut Vec<usize>) -> bool {
        let [head] = p.segments.as_slice() else {
            self.error(Diagnostic::error(
                "fel-slag",
                p.span,
                format!("`{}` är ingen sekretessbestämmelse", p.dotted()),
            ));
            return false;
        };
        match self.lookup(&head.name) {
            Some(Sym::Provision(id))
                if self
                    .provisions
                    .get(id.index())
                    .is_some_and(|x| x.kind == ProvisionKind::Secrecy) =>
            {
                out.push(id);
                true
            }
            Some(Sym::Group(g)) => {
                if visited.contains(&g) {
                    // Seen already, or a cycle (reported with the group).
                    return true;
                }
                visited.push(g);
                let Some(decl) = self.groups.get(g).copied() else {
                    return false;
                };
                let mut ok = true;
                for member in &decl.members.members {
                    ok &= self.exact_member(member, out, visited);
                }
                ok
            }
            Some(Sym::Law(_)) => {
                self.error(not_exact(p.span, format!("`{}` är en hel lag", head.name)));
                false
            }
            Some(other) => {
                let what = match other {
                    Sym::Provision(_) => "en bestämmelse av annat slag",
                    _ => other.describe(),
                };
                self.error(Diagnostic::error(
                    "fel-slag",
                    p.span,
                    format!("`{}` är {what}, men här förväntas en sekretessbestämmelse", head.name),
                ));
                false
            }
            None => {
                self.unknown(head, "en sekretessbestämmelse");
                false
            }
        }
    }
}

fn not_exact(span: Span, message: String) -> Diagnostic {
    Diagnostic::error("inte-exakt", span, message).with_help(
        "en täckning räknar upp sekretessbestämmelserna en och en: med namn eller med en hänvisning till en paragraf (och vid behov ett stycke), t.ex. `OSL 27 kap. 2 § 1 st.`",
    )
}

/// The actor references that lie in both sets, each as the narrower of a matching pair
/// (a whole actor meets its units).
fn meet_actors(a: &ActorSet, b: &ActorSet) -> Vec<ActorRef> {
    let mut out = Vec::new();
    for x in &a.members {
        for y in b.members.iter().filter(|y| y.actor == x.actor) {
            match (x.unit, y.unit) {
                (None, _) => out.push(*y),
                (_, None) => out.push(*x),
                (Some(u), Some(v)) if u == v => out.push(*x),
                _ => {}
            }
        }
    }
    out
}
