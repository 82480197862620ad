//! Syntax trees to the checked [`Model`].
//!
//! The checker reads every file, binds every name, matches every citation, closes groups and
//! category trees, orders versions and checks them for overlap, checks priorities for
//! cycles and conditions for types. It reports *all* problems, each with a place, and
//! builds the model only when there are no errors.

mod coverage;
mod declare;
mod exprs;
mod provisions;
mod sets;
#[cfg(test)]
mod tests;

use crate::ast::{self, Decl};
use crate::date::{Date, DateError};
use crate::diag::{Diagnostic, Diagnostics};
use crate::model::*;
use crate::parse::parse_file;
use crate::span::{Sources, Span};
use sha2::{Digest, Sha256};
use std::collections::HashMap;

/// Checks a set of ruleset files. On success returns the model and any warnings; on
/// failure every error and warning found.
pub fn check(sources: Sources) -> Result<(Model, Diagnostics), Diagnostics> {
    let mut diags = Diagnostics::default();
    let mut files = Vec::new();
    let mut broken = Vec::new();
    for (id, file) in sources.iter() {
        let parsed = parse_file(id, &file.text, &mut diags);
        broken.extend(parsed.broken_names);
        files.push(parsed.file);
    }
    if sources.is_empty() {
        diags.push(Diagnostic::global(
            "inga-filer",
            "inga regelfiler hittades (filerna ska sluta på `.lagrum`)",
        ));
    }
    let decls: Vec<&Decl> = files.iter().flat_map(|f| f.decls.iter()).collect();
    let mut checker = Checker::new(&sources, broken, diags);
    checker.declare(&decls);
    checker.declare_provisions(&decls);
    checker.build(&decls);
    let mut diags = std::mem::take(&mut checker.diags);
    diags.sort();
    if diags.has_errors() {
        return Err(diags);
    }
    Ok((checker.finish(sources.clone()), diags))
}

/// What a name is bound to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Sym {
    Law(LawId),
    Actor(ActorId),
    Group(usize),
    Purpose(PurposeId),
    Category(CategoryId),
    Activity(ActivityId),
    Marker(MarkerId),
    Fact(FactId),
    Balancing(BalancingId),
    Risk(RiskId),
    Consequence(ConsequenceId),
    Provision(ProvisionId),
    Pre(PreId),
}

impl Sym {
    /// What the thing is called, with its article, for messages.
    pub(crate) fn describe(self) -> &'static str {
        match self {
            Sym::Law(_) => "en lag",
            Sym::Actor(_) => "en aktör",
            Sym::Group(_) => "en grupp",
            Sym::Purpose(_) => "ett syfte",
            Sym::Category(_) => "en kategori",
            Sym::Activity(_) => "en verksamhet",
            Sym::Marker(_) => "ett skydd",
            Sym::Fact(_) => "ett faktum",
            Sym::Balancing(_) => "en prövning",
            Sym::Risk(_) => "en riskfaktor",
            Sym::Consequence(_) => "en skyldighet eller upplysning",
            Sym::Provision(_) => "en bestämmelse",
            Sym::Pre(_) => "en förhandsbedömning",
        }
    }
}

/// The checker's working state: the symbol table and the model under construction.
pub(crate) struct Checker<'s> {
    pub(crate) sources: &'s Sources,
    pub(crate) diags: Diagnostics,
    pub(crate) symbols: HashMap<String, (Sym, Span)>,
    /// Names whose declarations did not parse: not reported again as unknown.
    pub(crate) broken: Vec<String>,
    pub(crate) groups: Vec<&'s ast::GroupDecl>,
    pub(crate) group_cache: HashMap<usize, Option<sets::GroupContent>>,
    pub(crate) group_stack: Vec<usize>,
    pub(crate) info: Option<RulesetInfo>,
    pub(crate) laws: Vec<Law>,
    pub(crate) actors: Vec<Actor>,
    pub(crate) units: Vec<Unit>,
    pub(crate) purposes: Vec<Purpose>,
    pub(crate) categories: Vec<Category>,
    pub(crate) category_children: Vec<Vec<CategoryId>>,
    pub(crate) activities: Vec<Activity>,
    pub(crate) crimes: Vec<Crime>,
    pub(crate) activity_children: Vec<Vec<ActivityId>>,
    pub(crate) markers: Vec<Marker>,
    pub(crate) facts: Vec<Fact>,
    pub(crate) balancing: Vec<Balancing>,
    pub(crate) risks: Vec<RiskFactor>,
    pub(crate) consequences: Vec<Consequence>,
    pub(crate) provisions: Vec<Provision>,
    pub(crate) versions: Vec<Version>,
    pub(crate) preassessments: Vec<PreAssessment>,
    pub(crate) coverages: Vec<Coverage>,
    /// Coverage names (their own namespace: nothing refers to a coverage), first place.
    pub(crate) coverage_names: HashMap<String, Span>,
    /// Per provision: the interests every version of a secrecy provision states, when they
    /// are the same in all and none says `samtycke häver inte` (what the selector
    /// `sekretess till skydd för …` matches). Read from the syntax, so that sets may use
    /// the selector before the provisions it names are built.
    pub(crate) selector_keys: Vec<Option<Interest>>,
    pub(crate) exprs: Vec<Expr>,
    pub(crate) person_questions: HashMap<PersonAttr, String>,
    /// Person attributes read by some condition, with the first place, to require questions.
    pub(crate) person_reads: HashMap<PersonAttr, Span>,
    /// The provisions a citation matched, by what it says (not where), while the set of
    /// provisions stays the same: n references to one chapter scan the provisions once.
    pub(crate) citation_cache: HashMap<String, Vec<ProvisionId>>,
}

impl<'s> Checker<'s> {
    fn new(sources: &'s Sources, broken: Vec<String>, diags: Diagnostics) -> Checker<'s> {
        Checker {
            sources,
            diags,
            symbols: HashMap::new(),
            citation_cache: HashMap::new(),
            broken,
            groups: Vec::new(),
            group_cache: HashMap::new(),
            group_stack: Vec::new(),
            info: None,
            laws: Vec::new(),
            actors: Vec::new(),
            units: Vec::new(),
            purposes: Vec::new(),
            categories: Vec::new(),
            category_children: Vec::new(),
            activities: Vec::new(),
            activity_children: Vec::new(),
            markers: Vec::new(),
            facts: Vec::new(),
            crimes: Vec::new(),
            balancing: Vec::new(),
            risks: Vec::new(),
            consequences: Vec::new(),
            provisions: Vec::new(),
            versions: Vec::new(),
            preassessments: Vec::new(),
            coverages: Vec::new(),
            coverage_names: HashMap::new(),
            selector_keys: Vec::new(),
            exprs: Vec::new(),
            person_questions: HashMap::new(),
            person_reads: HashMap::new(),
        }
    }

    pub(crate) fn error(&mut self, d: Diagnostic) {
        self.diags.push(d);
    }

    fn bind(&mut self, id: &ast::Ident, sym: Sym) -> bool {
        if let Some((prev, prev_span)) = self.symbols.get(&id.name) {
            let d = Diagnostic::error(
                "dubblett",
                id.span,
                format!("namnet `{}` är redan deklarerat som {}", id.name, prev.describe()),
            )
            .with_label("deklareras här igen")
            .with_related(*prev_span, "första deklarationen")
            .with_help("varje namn får bara deklareras en gång i hela regelverket");
            self.error(d);
            return false;
        }
        self.symbols.insert(id.name.clone(), (sym, id.span));
        true
    }

    fn declare_provisions(&mut self, decls: &[&'s Decl]) {
        for d in decls {
            if let Decl::Provision(p) = d {
                self.declare_provision(p);
            }
        }
    }

    /// Second pass: resolve everything that refers to other declarations. Vocabulary
    /// first (category trees must be closed before sets of categories are built), then
    /// provisions, then what refers to provisions.
    fn build(&mut self, decls: &[&'s Decl]) {
        self.build_vocabulary(decls);
        let mut ruleset_seen: Option<Span> = None;
        for d in decls {
            match d {
                Decl::Ruleset(r) => self.build_ruleset(r, &mut ruleset_seen),
                Decl::RiskFactor(r) => self.build_risk(r),
                Decl::Consequence(c) => self.build_consequence(c),
                Decl::Provision(p) => self.build_provision(p),
                Decl::PreAssessment(p) => self.build_preassessment(p),
                _ => {}
            }
        }
        // Coverages last: their completeness is checked against every secrecy version.
        for d in decls {
            if let Decl::Coverage(c) = d {
                self.build_coverage(c);
            }
        }
        // Groups are resolved on use; resolve the rest too so that errors in unused groups
        // are reported.
        for g in 0..self.groups.len() {
            let _ = self.group_content(g);
        }
        self.check_precedence_cycles();
        self.check_questions();
        if ruleset_seen.is_none() {
            self.warn_no_ruleset();
        }
    }

    /// The vocabulary's own references: the category and activity trees, markers,
    /// questions, replacements, and the activities of actors.
    fn build_vocabulary(&mut self, decls: &[&'s Decl]) {
        for d in decls {
            match d {
                Decl::Category(c) => self.build_parent(Tree::Category, &c.id, c.parent.as_ref()),
                Decl::Activity(a) => self.build_parent(Tree::Activity, &a.id, a.parent.as_ref()),
                Decl::Marker(m) => self.build_marker(m),
                Decl::Question(q) => self.build_question(q),
                _ => {}
            }
        }
        self.check_trees();
        self.check_replacements(decls);
        for d in decls {
            if let Decl::Actor(a) = d {
                self.build_actor_activities(a);
            }
        }
    }

    /// The `regelverk` declaration: once in the whole ruleset.
    fn build_ruleset(&mut self, r: &ast::RulesetDecl, seen: &mut Option<Span>) {
        if let Some(prev) = *seen {
            self.error(
                Diagnostic::error("dubblett", r.span, "regelverket har redan en `regelverk`-deklaration")
                    .with_related(prev, "första deklarationen"),
            );
            return;
        }
        *seen = Some(r.span);
        let covers_from = r.covers_from.as_ref().and_then(|d| self.date(d));
        let known_until = r.known_until.as_ref().and_then(|d| self.date(d));
        self.info = Some(RulesetInfo {
            name: r.name.value.clone(),
            version: r.version.as_ref().map(|v| v.value.clone()).unwrap_or_default(),
            covers_from,
            known_until,
            hash: String::new(),
            explanation: texts(&r.explanation),
        });
    }

    /// A risk factor's condition (`när`), which it must have.
    fn build_risk(&mut self, r: &ast::RiskFactorDecl) {
        let Some(Sym::Risk(id)) = self.lookup(&r.id.name) else {
            return;
        };
        let when = match &r.when {
            Some(e) => self.expr(e, exprs::Ctx::Item),
            None => {
                self.error(Diagnostic::error(
                    "villkor-saknas",
                    r.id.span,
                    format!("riskfaktorn `{}` saknar `när`", r.id.name),
                ));
                None
            }
        };
        if let (Some(w), Some(risk)) = (when, self.risks.get_mut(id.index())) {
            risk.when = w;
        }
    }

    /// An obligation's or notice's basis (a provision) and condition.
    fn build_consequence(&mut self, c: &ast::ConsequenceDecl) {
        let Some(Sym::Consequence(id)) = self.lookup(&c.id.name) else {
            return;
        };
        let basis = c.basis.as_ref().and_then(|b| self.one_provision(b, None));
        let when = c.when.as_ref().and_then(|e| self.expr(e, exprs::Ctx::Consequence));
        if let Some(cons) = self.consequences.get_mut(id.index()) {
            cons.basis = basis;
            cons.when = when;
        }
    }

    /// No file declares the ruleset: its version will be empty (a warning, at the start of
    /// the first file).
    fn warn_no_ruleset(&mut self) {
        let first = self.sources.iter().next().map(|(id, _)| Span {
            file: id,
            start: 0,
            end: 0,
        });
        if let Some(span) = first {
            self.diags.push(
                Diagnostic::warning(
                    "regelverk-saknas",
                    span,
                    "ingen `regelverk`-deklaration: versionen blir tom",
                )
                .with_help("skriv t.ex. `regelverk \"Lagrum\" { version \"2026.1\" }` i en av filerna"),
            );
        }
    }

    pub(crate) fn lookup(&self, name: &str) -> Option<Sym> {
        self.symbols.get(name).map(|(s, _)| *s)
    }

    /// Reports an unknown name, unless it belongs to a declaration that failed to parse.
    pub(crate) fn unknown(&mut self, ident: &ast::Ident, what: &str) {
        if self.broken.iter().any(|b| b == &ident.name) {
            return;
        }
        let mut d = Diagnostic::error("okänt-namn", ident.span, format!("okänt namn `{}`", ident.name))
            .with_label(format!("här förväntas {what}, men inget med det namnet är deklarerat"));
        if let Some(s) = self.suggest(&ident.name) {
            d = d.with_help(format!("menade du `{s}`?"));
        }
        self.error(d);
    }

    /// The declared name closest to a misspelt one.
    fn suggest(&self, name: &str) -> Option<String> {
        let lower = name.to_lowercase();
        self.symbols
            .keys()
            .map(|k| (edit_distance(&lower, &k.to_lowercase()), k))
            .filter(|(d, k)| *d <= 2.max(k.chars().count() / 4))
            .min()
            .map(|(_, k)| k.clone())
    }

    pub(crate) fn date(&mut self, lit: &ast::DateLit) -> Option<Date> {
        match Date::parse(&lit.raw) {
            Ok(d) => Some(d),
            Err(e) => {
                let (code, msg) = match e {
                    DateError::Format => ("ogiltigt-datum", format!("`{}` är inte ett datum", lit.raw)),
                    DateError::NoSuchDay => ("ogiltigt-datum", format!("`{}` är ingen dag som finns", lit.raw)),
                };
                self.error(
                    Diagnostic::error(code, lit.span, msg).with_help("skriv datum som ÅÅÅÅ-MM-DD, t.ex. 2025-12-01"),
                );
                None
            }
        }
    }

    fn choice_values(&mut self, set: &ast::SetExpr) -> Vec<String> {
        let mut out: Vec<String> = Vec::new();
        for m in &set.members {
            match m {
                ast::Reference::Name(p) if p.segments.len() == 1 => {
                    let name = p.dotted();
                    if out.contains(&name) {
                        self.error(Diagnostic::error(
                            "dubblett",
                            p.span,
                            format!("värdet `{name}` finns redan"),
                        ));
                    } else {
                        out.push(name);
                    }
                }
                other => self.error(Diagnostic::error(
                    "ogiltigt-värde",
                    other.span(),
                    "ett val ska vara ett enkelt namn, t.ex. `våld`",
                )),
            }
        }
        out
    }

    /// `under`: links a category or an activity to its parent.
    fn build_parent(&mut self, tree: Tree, id: &ast::Ident, parent: Option<&ast::Ident>) {
        let Some(parent) = parent else { return };
        let this = match (tree, self.lookup(&id.name)) {
            (Tree::Category, Some(Sym::Category(c))) => c.index(),
            (Tree::Activity, Some(Sym::Activity(a))) => a.index(),
            _ => return,
        };
        let found = match (tree, self.lookup(&parent.name)) {
            (Tree::Category, Some(Sym::Category(p))) => p.index(),
            (Tree::Activity, Some(Sym::Activity(p))) => p.index(),
            (_, Some(other)) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    parent.span,
                    format!(
                        "`{}` är {}, men `under` ska följas av {}",
                        parent.name,
                        other.describe(),
                        tree.one()
                    ),
                ));
                return;
            }
            (_, None) => {
                self.unknown(parent, tree.one());
                return;
            }
        };
        let idx = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        match tree {
            Tree::Category => {
                if let Some(c) = self.categories.get_mut(this) {
                    c.parent = Some(CategoryId(idx(found)));
                }
            }
            Tree::Activity => {
                if let Some(a) = self.activities.get_mut(this) {
                    a.parent = Some(ActivityId(idx(found)));
                }
            }
        }
    }

    /// Closes both trees (categories and activities): ancestry, children, and a cycle in
    /// `under` reported at the declaration.
    fn check_trees(&mut self) {
        let idx = |i: usize| u32::try_from(i).unwrap_or(u32::MAX);
        let parents: Vec<Option<usize>> = self.categories.iter().map(|c| c.parent.map(|p| p.index())).collect();
        let (ancestry, children, cyclic) = close_tree(&parents);
        for (c, a) in self.categories.iter_mut().zip(ancestry) {
            c.ancestry = a.into_iter().map(|i| CategoryId(idx(i))).collect();
        }
        self.category_children = children
            .into_iter()
            .map(|ch| ch.into_iter().map(|i| CategoryId(idx(i))).collect())
            .collect();
        let names: Vec<String> = self.categories.iter().map(|c| c.id.clone()).collect();
        self.report_cycles(Tree::Category, &names, &cyclic);

        let parents: Vec<Option<usize>> = self.activities.iter().map(|a| a.parent.map(|p| p.index())).collect();
        let (ancestry, children, cyclic) = close_tree(&parents);
        for (x, a) in self.activities.iter_mut().zip(ancestry) {
            x.ancestry = a.into_iter().map(|i| ActivityId(idx(i))).collect();
        }
        self.activity_children = children
            .into_iter()
            .map(|ch| ch.into_iter().map(|i| ActivityId(idx(i))).collect())
            .collect();
        let names: Vec<String> = self.activities.iter().map(|a| a.id.clone()).collect();
        self.report_cycles(Tree::Activity, &names, &cyclic);
    }

    fn report_cycles(&mut self, tree: Tree, names: &[String], cyclic: &[bool]) {
        for (name, is_cyclic) in names.iter().zip(cyclic) {
            if *is_cyclic {
                let span = self.symbols.get(name).map(|s| s.1).unwrap_or_default();
                self.error(
                    Diagnostic::error(
                        "cykel",
                        span,
                        format!("{} `{name}` ligger (indirekt) under sig själv", tree.the()),
                    )
                    .with_help("`under` ska bilda ett träd: följ kedjan uppåt och bryt den någonstans"),
                );
            }
        }
    }

    /// `verksamhet { … }` of an actor and of its units.
    fn build_actor_activities(&mut self, a: &ast::ActorDecl) {
        let Some(Sym::Actor(id)) = self.lookup(&a.id.name) else {
            return;
        };
        if self.symbols.get(&a.id.name).map(|s| s.1) != Some(a.id.span) {
            return;
        }
        if let Some(set) = &a.activities {
            let acts = self.activity_set(set);
            if let Some(actor) = self.actors.get_mut(id.index()) {
                actor.activities = acts;
            }
        }
        for u in &a.units {
            let Some(set) = &u.activities else { continue };
            let acts = self.activity_set(set);
            let unit = self.actors.get(id.index()).and_then(|x| {
                x.units
                    .iter()
                    .copied()
                    .find(|uid| self.units.get(uid.index()).is_some_and(|y| y.id == u.id.name))
            });
            if let Some(unit) = unit.and_then(|uid| self.units.get_mut(uid.index())) {
                unit.activities = acts;
            }
        }
    }

    fn build_marker(&mut self, m: &ast::MarkerDecl) {
        let Some(Sym::Marker(id)) = self.lookup(&m.id.name) else {
            return;
        };
        let from = m.from.as_ref().and_then(|d| self.date(d));
        let to = m.to.as_ref().and_then(|d| self.date(d));
        if let (Some(f), Some(t)) = (from, to)
            && t < f
            && let Some(lit) = &m.to
        {
            self.error(Diagnostic::error(
                "ogiltig-period",
                lit.span,
                format!("slutdatumet {t} ligger före startdatumet {f}"),
            ));
        }
        let replaces = match &m.replaces {
            Some(r) => match self.lookup(&r.name) {
                Some(Sym::Marker(rid)) => Some(rid),
                Some(other) => {
                    self.error(Diagnostic::error(
                        "fel-slag",
                        r.span,
                        format!(
                            "`{}` är {}, men `ersätter` ska följas av ett skydd",
                            r.name,
                            other.describe()
                        ),
                    ));
                    None
                }
                None => {
                    self.unknown(r, "ett skydd");
                    None
                }
            },
            None => None,
        };
        if let Some(mk) = self.markers.get_mut(id.index()) {
            mk.from = from;
            mk.to = to;
            mk.replaces = replaces;
        }
        if let Some(rid) = replaces
            && let Some(old) = self.markers.get_mut(rid.index())
        {
            old.replaced_by = Some(id);
        }
    }

    /// `ersätter`: a marker replaces another that ended before it began, and no marker is
    /// replaced twice. The engine reads one as the other across the change (a marker
    /// given outside its time), so the periods must meet in that order.
    fn check_replacements(&mut self, decls: &[&'s Decl]) {
        for d in decls {
            let Decl::Marker(m) = d else { continue };
            let (Some(Sym::Marker(id)), Some(r)) = (self.lookup(&m.id.name), &m.replaces) else {
                continue;
            };
            let Some(Sym::Marker(rid)) = self.lookup(&r.name) else {
                continue;
            };
            let rivals = self.markers.iter().filter(|x| x.replaces == Some(rid)).count();
            let (new, old) = (self.markers.get(id.index()), self.markers.get(rid.index()));
            let problem = if rid == id {
                Some(format!("`{}` kan inte ersätta sig självt", m.id.name))
            } else if rivals > 1 {
                Some(format!("`{}` ersätts av mer än ett skydd", r.name))
            } else {
                match (old.and_then(|o| o.to), new.and_then(|n| n.from)) {
                    (Some(to), Some(from)) if to < from => None,
                    _ => Some(format!(
                        "`{}` måste ha ett `till` som ligger före `från` i `{}` för att kunna ersättas",
                        r.name, m.id.name
                    )),
                }
            };
            if let Some(message) = problem {
                self.error(Diagnostic::error("ersätter", r.span, message).with_help(
                    "det gamla skyddet ska upphöra (`till`) innan det nya börjar (`från`), och ersättas av ett enda skydd",
                ));
            }
        }
    }

    fn build_question(&mut self, q: &ast::QuestionDecl) {
        match exprs::person_attr(&q.path) {
            Some(attr) if !attr.asked() => self.error(
                Diagnostic::error(
                    "onödig-fråga",
                    q.path.span,
                    format!("`{}` ställs aldrig som fråga", q.path.dotted()),
                )
                .with_help("ett samtycke som begäran inte anger har inte lämnats; ta bort frågan"),
            ),
            Some(attr) => {
                if self.person_questions.insert(attr, q.text.value.clone()).is_some() {
                    self.error(Diagnostic::error(
                        "dubblett",
                        q.path.span,
                        format!("det finns redan en fråga för `{}`", q.path.dotted()),
                    ));
                }
            }
            None => self.error(
                Diagnostic::error(
                    "okänd-sökväg",
                    q.path.span,
                    format!("`{}` är ingen inbyggd personuppgift", q.path.dotted()),
                )
                .with_help(
                    "frågor för inbyggda uppgifter gäller `person.ålder`, `person.skydd`, `person.id_typ` och `person.id_nivå`; ett `faktum` har sin fråga i deklarationen",
                ),
            ),
        }
    }

    fn check_questions(&mut self) {
        let mut missing: Vec<(PersonAttr, Span)> = self
            .person_reads
            .iter()
            .filter(|(a, _)| !self.person_questions.contains_key(a))
            .map(|(a, s)| (*a, *s))
            .collect();
        missing.sort_by_key(|(a, _)| *a);
        for (attr, span) in missing {
            self.error(
                Diagnostic::error(
                    "fråga-saknas",
                    span,
                    format!(
                        "villkoret läser `{}`, men ingen fråga är deklarerad för den",
                        attr.path()
                    ),
                )
                .with_help(format!(
                    "skriv t.ex. `fråga {} \"…\"` så att den kan ställas när uppgiften saknas",
                    attr.path()
                )),
            );
        }
    }

    fn finish(self, sources: Sources) -> Model {
        let mut names = Names::default();
        for (name, (sym, _)) in &self.symbols {
            match sym {
                Sym::Actor(id) => {
                    names.actors.insert(name.clone(), *id);
                }
                Sym::Purpose(id) => {
                    names.purposes.insert(name.clone(), *id);
                }
                Sym::Category(id) => {
                    names.categories.insert(name.clone(), *id);
                }
                Sym::Activity(id) => {
                    names.activities.insert(name.clone(), *id);
                }
                Sym::Marker(id) => {
                    names.markers.insert(name.clone(), *id);
                }
                Sym::Fact(id) => {
                    names.facts.insert(name.clone(), *id);
                }
                Sym::Provision(id) => {
                    names.provisions.insert(name.clone(), *id);
                }
                _ => {}
            }
        }
        let mut info = self.info.unwrap_or(RulesetInfo {
            name: "Lagrum".to_string(),
            version: String::new(),
            covers_from: None,
            known_until: None,
            hash: String::new(),
            explanation: Vec::new(),
        });
        info.hash = hash_sources(&sources);
        Model {
            info,
            sources,
            laws: self.laws,
            actors: self.actors,
            units: self.units,
            purposes: self.purposes,
            categories: self.categories,
            activities: self.activities,
            markers: self.markers,
            facts: self.facts,
            crimes: self.crimes,
            balancing: self.balancing,
            risks: self.risks,
            consequences: self.consequences,
            provisions: self.provisions,
            versions: self.versions,
            preassessments: self.preassessments,
            coverages: self.coverages,
            exprs: self.exprs,
            person_questions: self.person_questions,
            names,
        }
    }
}

/// The two trees of the vocabulary.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Tree {
    Category,
    Activity,
}

impl Tree {
    /// `en kategori`, `en verksamhet`.
    fn one(self) -> &'static str {
        match self {
            Tree::Category => "en kategori",
            Tree::Activity => "en verksamhet",
        }
    }

    /// `kategorin`, `verksamheten`.
    fn the(self) -> &'static str {
        match self {
            Tree::Category => "kategorin",
            Tree::Activity => "verksamheten",
        }
    }
}

/// For a forest given by parent links: each node's ancestry (itself first, then upwards,
/// stopping before a repeat), each node's children, and which nodes lie on or below a cycle.
pub(crate) fn close_tree(parents: &[Option<usize>]) -> (Vec<Vec<usize>>, Vec<Vec<usize>>, Vec<bool>) {
    let n = parents.len();
    let mut ancestry = Vec::with_capacity(n);
    let mut children = vec![Vec::new(); n];
    let mut cyclic = vec![false; n];
    for (i, is_cyclic) in cyclic.iter_mut().enumerate() {
        let mut chain = vec![i];
        let mut cur = parents.get(i).copied().flatten();
        while let Some(p) = cur {
            if chain.contains(&p) {
                // Only a node on the cycle itself is reported.
                *is_cyclic = p == i;
                break;
            }
            chain.push(p);
            cur = parents.get(p).copied().flatten();
        }
        ancestry.push(chain);
    }
    for (i, p) in parents.iter().enumerate() {
        if let Some(ch) = p.and_then(|p| children.get_mut(p)) {
            ch.push(i);
        }
    }
    (ancestry, children, cyclic)
}

pub(crate) fn empty_actor_set() -> ActorSet {
    ActorSet {
        members: Vec::new(),
        label: None,
    }
}

pub(crate) fn texts(t: &[ast::Text]) -> Vec<String> {
    t.iter().map(|x| normalize_text(&x.value)).collect()
}

/// Collapses runs of whitespace (strings may span lines in the source).
pub(crate) fn normalize_text(s: &str) -> String {
    s.split_whitespace().collect::<Vec<_>>().join(" ")
}

/// `sha256:` + the digest of every file's name and text, in name order.
fn hash_sources(sources: &Sources) -> String {
    let mut files: Vec<_> = sources.iter().map(|(_, f)| f).collect();
    files.sort_by(|a, b| a.name.cmp(&b.name));
    let mut h = Sha256::new();
    for f in files {
        let base = f.name.rsplit(['/', '\\']).next().unwrap_or(&f.name);
        h.update(base.as_bytes());
        h.update([0u8]);
        h.update(f.text.as_bytes());
        h.update([0u8]);
    }
    let digest = h.finalize();
    let mut hex = String::with_capacity(71);
    hex.push_str("sha256:");
    for b in digest {
        hex.push_str(&format!("{b:02x}"));
    }
    hex
}

fn edit_distance(a: &str, b: &str) -> usize {
    let a: Vec<char> = a.chars().collect();
    let b: Vec<char> = b.chars().collect();
    let mut prev: Vec<usize> = (0..=b.len()).collect();
    for (i, ca) in a.iter().enumerate() {
        let mut cur = vec![i + 1];
        for (j, cb) in b.iter().enumerate() {
            let sub = prev.get(j).copied().unwrap_or(0) + usize::from(ca != cb);
            let del = prev.get(j + 1).copied().unwrap_or(0) + 1;
            let ins = cur.get(j).copied().unwrap_or(0) + 1;
            cur.push(sub.min(del).min(ins));
        }
        prev = cur;
    }
    prev.last().copied().unwrap_or(0)
}
