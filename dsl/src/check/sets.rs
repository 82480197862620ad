//! Sets and references: names, `ACTOR.enhet` paths, groups and citations.
//!
//! A member of a set is resolved to what it names; groups are expanded (with cycle
//! detection) and citations are matched against the declared provisions. The caller says
//! what kind of thing the set must hold, and a member of another kind is an error that
//! says what it is and what was expected.

use super::{Checker, Sym};
use crate::ast::{self, Reference, SectionNo};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::span::Span;

/// What a group or a set member resolved to.
#[derive(Debug, Clone)]
pub(crate) enum GroupContent {
    Actors(Vec<ActorRef>),
    Purposes(Vec<PurposeId>),
    Categories(Vec<CategoryId>),
    Activities(Vec<ActivityId>),
    Provisions(Vec<ProvisionId>),
    Markers(Vec<MarkerId>),
    Consequences(Vec<ConsequenceId>),
}

impl GroupContent {
    fn describe(&self) -> &'static str {
        match self {
            GroupContent::Actors(_) => "aktörer",
            GroupContent::Purposes(_) => "syften",
            GroupContent::Categories(_) => "kategorier",
            GroupContent::Activities(_) => "verksamheter",
            GroupContent::Provisions(_) => "bestämmelser",
            GroupContent::Markers(_) => "skydd",
            GroupContent::Consequences(_) => "skyldigheter",
        }
    }

    fn merge(&mut self, other: GroupContent) -> Result<(), GroupContent> {
        match (self, other) {
            (GroupContent::Actors(a), GroupContent::Actors(b)) => a.extend(b),
            (GroupContent::Purposes(a), GroupContent::Purposes(b)) => a.extend(b),
            (GroupContent::Categories(a), GroupContent::Categories(b)) => a.extend(b),
            (GroupContent::Activities(a), GroupContent::Activities(b)) => a.extend(b),
            (GroupContent::Provisions(a), GroupContent::Provisions(b)) => a.extend(b),
            (GroupContent::Markers(a), GroupContent::Markers(b)) => a.extend(b),
            (GroupContent::Consequences(a), GroupContent::Consequences(b)) => a.extend(b),
            (_, other) => return Err(other),
        }
        Ok(())
    }
}

/// Which provisions a reference may name.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum ProvisionFilter {
    Any,
    Secrecy,
    /// Permissions, duties and bars (what pre-assessments are about).
    Rules,
    /// Rules, and the plain provisions duties break secrecy through (what priorities name).
    RulesOrBridges,
    /// What a duty breaks secrecy through (`bryter sekretess genom`): a plain provision,
    /// such as OSL 10 kap. 28 §, that priorities and exclusions can name.
    Bridge,
}

impl ProvisionFilter {
    fn accepts(self, k: ProvisionKind) -> bool {
        match self {
            ProvisionFilter::Any => true,
            ProvisionFilter::Secrecy => k == ProvisionKind::Secrecy,
            ProvisionFilter::Rules => matches!(k, ProvisionKind::Permission | ProvisionKind::Duty | ProvisionKind::Bar),
            ProvisionFilter::RulesOrBridges => matches!(
                k,
                ProvisionKind::Permission | ProvisionKind::Duty | ProvisionKind::Bar | ProvisionKind::Plain
            ),
            ProvisionFilter::Bridge => k == ProvisionKind::Plain,
        }
    }

    fn describe(self) -> &'static str {
        match self {
            ProvisionFilter::Any => "bestämmelse",
            ProvisionFilter::Secrecy => "sekretessbestämmelse",
            ProvisionFilter::Rules => "sekretessbrytande bestämmelse, uppgiftsskyldighet eller förbud",
            ProvisionFilter::RulesOrBridges => {
                "sekretessbrytande bestämmelse, uppgiftsskyldighet, förbud eller hänvisad bestämmelse"
            }
            ProvisionFilter::Bridge => "hänvisad bestämmelse (`bestämmelse`), t.ex. OSL 10 kap. 28 §",
        }
    }
}

/// What a set must hold.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Want {
    Actors,
    Purposes,
    Categories,
    Activities,
    Provisions(ProvisionFilter),
    Markers,
    Consequences,
}

impl Want {
    fn describe(self) -> String {
        match self {
            Want::Actors => "aktörer (myndigheter eller enheter)".into(),
            Want::Purposes => "syften".into(),
            Want::Categories => "kategorier av uppgifter".into(),
            Want::Activities => "verksamheter (t.ex. `socialtjänst`)".into(),
            Want::Provisions(f) => format!("hänvisningar till {}", f.describe()),
            Want::Markers => "skydd (t.ex. `skyddad_folkbokföring`)".into(),
            Want::Consequences => "skyldigheter eller upplysningar".into(),
        }
    }
}

impl<'s> Checker<'s> {
    /// Resolves a group's members, once, reporting cycles and mixed kinds.
    pub(crate) fn group_content(&mut self, g: usize) -> Option<GroupContent> {
        if let Some(c) = self.group_cache.get(&g) {
            return c.clone();
        }
        let decl = *self.groups.get(g)?;
        if self.group_stack.contains(&g) {
            self.error(
                Diagnostic::error(
                    "cykel",
                    decl.id.span,
                    format!("gruppen `{}` innehåller (indirekt) sig själv", decl.id.name),
                )
                .with_help("en grupp får inte ingå i sig själv genom andra grupper"),
            );
            self.group_cache.insert(g, None);
            return None;
        }
        self.group_stack.push(g);
        let mut content: Option<GroupContent> = None;
        for m in &decl.members.members {
            let Some(c) = self.resolve_any(m) else { continue };
            match content.as_mut() {
                None => content = Some(c),
                Some(acc) => {
                    let acc_kind = acc.describe();
                    if let Err(other) = acc.merge(c) {
                        self.error(Diagnostic::error(
                            "blandad-grupp",
                            m.span(),
                            format!(
                                "gruppen `{}` blandar {} och {}",
                                decl.id.name,
                                acc_kind,
                                other.describe()
                            ),
                        ));
                    }
                }
            }
        }
        self.group_stack.pop();
        if content.is_none() && decl.members.members.is_empty() {
            self.error(Diagnostic::error(
                "tom-grupp",
                decl.members.span,
                format!("gruppen `{}` är tom", decl.id.name),
            ));
        }
        self.group_cache.insert(g, content.clone());
        content
    }

    /// Resolves one member to whatever it names.
    fn resolve_any(&mut self, r: &Reference) -> Option<GroupContent> {
        self.resolve_expecting(r, None)
    }

    fn resolve_expecting(&mut self, r: &Reference, want: Option<Want>) -> Option<GroupContent> {
        match r {
            Reference::Citation(c) => {
                let found = self.match_citation(c, ProvisionFilter::Any)?;
                Some(GroupContent::Provisions(found))
            }
            Reference::Name(path) => self.resolve_path(path, want),
            Reference::Selector(words, span) => self.select_by_interest(words, *span).map(GroupContent::Provisions),
        }
    }

    /// A dotted name in a set: `NAMN` (a declaration) or `AKTÖR.enhet` (a unit).
    fn resolve_path(&mut self, path: &ast::Path, want: Option<Want>) -> Option<GroupContent> {
        match path.segments.as_slice() {
            [head] => self.resolve_name(head, want),
            [head, unit] => self.resolve_unit(path, head, unit),
            _ => {
                self.error(Diagnostic::error(
                    "ogiltigt-namn",
                    path.span,
                    format!("`{}` har för många led", path.dotted()),
                ));
                None
            }
        }
    }

    /// `AKTÖR.enhet`: a unit of an actor.
    fn resolve_unit(&mut self, path: &ast::Path, head: &ast::Ident, unit: &ast::Ident) -> Option<GroupContent> {
        match self.lookup(&head.name) {
            Some(Sym::Actor(a)) => {
                let found = self.actors.get(a.index()).and_then(|act| {
                    act.units
                        .iter()
                        .copied()
                        .find(|u| self.units.get(u.index()).is_some_and(|x| x.id == unit.name))
                });
                match found {
                    Some(u) => Some(GroupContent::Actors(vec![ActorRef {
                        actor: a,
                        unit: Some(u),
                    }])),
                    None => {
                        self.report_unknown_unit(a, head, unit);
                        None
                    }
                }
            }
            Some(other) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    path.span,
                    format!(
                        "`{}` är {}; bara aktörer har enheter (`AKTÖR.enhet`)",
                        head.name,
                        other.describe()
                    ),
                ));
                None
            }
            None => {
                self.unknown(head, "en aktör");
                None
            }
        }
    }

    /// An actor has no unit by that name: the error lists the units it has.
    fn report_unknown_unit(&mut self, a: ActorId, head: &ast::Ident, unit: &ast::Ident) {
        let known: Vec<String> = self
            .actors
            .get(a.index())
            .map(|act| {
                act.units
                    .iter()
                    .filter_map(|u| self.units.get(u.index()).map(|x| format!("`{}`", x.id)))
                    .collect()
            })
            .unwrap_or_default();
        let help = if known.is_empty() {
            format!("`{}` har inga enheter deklarerade", head.name)
        } else {
            format!("enheterna hos `{}` är {}", head.name, known.join(", "))
        };
        self.error(
            Diagnostic::error(
                "okänd-enhet",
                unit.span,
                format!("`{}` har ingen enhet `{}`", head.name, unit.name),
            )
            .with_help(help),
        );
    }

    /// A plain name: what it is declared as; a law stands for all its provisions.
    fn resolve_name(&mut self, head: &ast::Ident, want: Option<Want>) -> Option<GroupContent> {
        match self.lookup(&head.name) {
            None => {
                let what = want
                    .map(|w| w.describe())
                    .unwrap_or_else(|| "ett deklarerat namn".to_string());
                self.unknown(head, &what);
                None
            }
            Some(Sym::Actor(a)) => Some(GroupContent::Actors(vec![ActorRef { actor: a, unit: None }])),
            Some(Sym::Group(g)) => self.group_content(g),
            Some(Sym::Purpose(p)) => Some(GroupContent::Purposes(vec![p])),
            Some(Sym::Category(c)) => Some(GroupContent::Categories(vec![c])),
            Some(Sym::Activity(a)) => Some(GroupContent::Activities(vec![a])),
            Some(Sym::Marker(m)) => Some(GroupContent::Markers(vec![m])),
            Some(Sym::Provision(p)) => Some(GroupContent::Provisions(vec![p])),
            Some(Sym::Consequence(c)) => Some(GroupContent::Consequences(vec![c])),
            Some(Sym::Law(l)) => {
                let all: Vec<ProvisionId> = self
                    .provisions
                    .iter()
                    .enumerate()
                    .filter(|(_, p)| p.law == l)
                    .map(|(i, _)| ProvisionId(u32::try_from(i).unwrap_or(u32::MAX)))
                    .collect();
                Some(GroupContent::Provisions(all))
            }
            Some(other) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    head.span,
                    format!("`{}` är {} och kan inte stå i en mängd", head.name, other.describe()),
                ));
                None
            }
        }
    }

    /// Resolves every member of a set, which must all be of the wanted kind.
    pub(crate) fn resolve_set(&mut self, set: &ast::SetExpr, want: Want) -> Option<GroupContent> {
        let mut acc: Option<GroupContent> = None;
        let mut ok = true;
        for m in &set.members {
            let resolved = match (m, want) {
                (Reference::Citation(c), Want::Provisions(filter)) => {
                    self.match_citation(c, filter).map(GroupContent::Provisions)
                }
                (Reference::Selector(..), Want::Provisions(filter)) if filter.accepts(ProvisionKind::Secrecy) => {
                    self.resolve_expecting(m, Some(want))
                }
                (Reference::Selector(..), _) => {
                    self.error(Diagnostic::error(
                        "fel-slag",
                        m.span(),
                        format!(
                            "urvalet står för sekretessbestämmelser; här förväntas {}",
                            want.describe()
                        ),
                    ));
                    None
                }
                (Reference::Citation(_), _) => {
                    self.error(Diagnostic::error(
                        "fel-slag",
                        m.span(),
                        format!(
                            "en hänvisning till en bestämmelse kan inte stå här; här förväntas {}",
                            want.describe()
                        ),
                    ));
                    None
                }
                (Reference::Name(p), Want::Provisions(filter))
                    if p.segments.len() == 1 && matches!(self.lookup(&p.dotted()), Some(Sym::Law(_))) =>
                {
                    // A whole act: every provision of the wanted kind in it.
                    match self.resolve_any(m) {
                        Some(GroupContent::Provisions(mut ps)) => {
                            ps.retain(|x| self.provisions.get(x.index()).is_some_and(|q| filter.accepts(q.kind)));
                            Some(GroupContent::Provisions(ps))
                        }
                        other => other,
                    }
                }
                (Reference::Name(_), _) => self.resolve_expecting(m, Some(want)),
            };
            let Some(c) = resolved else {
                ok = false;
                continue;
            };
            if !self.kind_fits(&c, want, m) {
                ok = false;
                continue;
            }
            match acc.as_mut() {
                None => acc = Some(c),
                Some(a) => {
                    // Kinds were checked, so merging cannot fail.
                    let _ = a.merge(c);
                }
            }
        }
        if !ok {
            return None;
        }
        Some(acc.unwrap_or(match want {
            Want::Actors => GroupContent::Actors(Vec::new()),
            Want::Purposes => GroupContent::Purposes(Vec::new()),
            Want::Categories => GroupContent::Categories(Vec::new()),
            Want::Activities => GroupContent::Activities(Vec::new()),
            Want::Provisions(_) => GroupContent::Provisions(Vec::new()),
            Want::Markers => GroupContent::Markers(Vec::new()),
            Want::Consequences => GroupContent::Consequences(Vec::new()),
        }))
    }

    fn kind_fits(&mut self, c: &GroupContent, want: Want, m: &Reference) -> bool {
        let fits = match (c, want) {
            (GroupContent::Actors(_), Want::Actors)
            | (GroupContent::Purposes(_), Want::Purposes)
            | (GroupContent::Categories(_), Want::Categories)
            | (GroupContent::Activities(_), Want::Activities)
            | (GroupContent::Markers(_), Want::Markers)
            | (GroupContent::Consequences(_), Want::Consequences) => true,
            (GroupContent::Provisions(ps), Want::Provisions(filter)) => {
                let bad: Vec<String> = ps
                    .iter()
                    .filter_map(|p| self.provisions.get(p.index()))
                    .filter(|p| !filter.accepts(p.kind))
                    .map(|p| format!("`{}`", p.id))
                    .collect();
                if !bad.is_empty() && matches!(m, Reference::Name(_)) {
                    self.error(Diagnostic::error(
                        "fel-slag",
                        m.span(),
                        format!("{} är inte {}", bad.join(", "), filter.describe()),
                    ));
                    return false;
                }
                true
            }
            _ => false,
        };
        if !fits {
            let what = match m {
                Reference::Name(p) => {
                    match self.lookup(&p.segments.first().map(|s| s.name.clone()).unwrap_or_default()) {
                        Some(Sym::Group(_)) => format!("en grupp av {}", c.describe()),
                        Some(s) => s.describe().to_string(),
                        None => c.describe().to_string(),
                    }
                }
                Reference::Citation(_) | Reference::Selector(..) => "en hänvisning".to_string(),
            };
            let name = match m {
                Reference::Name(p) => p.dotted(),
                Reference::Citation(_) | Reference::Selector(..) => self.sources.snippet(m.span()).to_string(),
            };
            self.error(Diagnostic::error(
                "fel-slag",
                m.span(),
                format!("`{name}` är {what}, men här förväntas {}", want.describe()),
            ));
        }
        fits
    }

    /// An empty set of actors, purposes, categories or markers (written `{ }`, or emptied by `utom`)
    /// is a mistake: a bar or secrecy scoped by it would never apply, and a condition
    /// testing it would never hold.
    fn not_empty(&mut self, set: &ast::SetExpr, empty: bool) -> Option<()> {
        if !empty {
            return Some(());
        }
        self.error(
            Diagnostic::error("tom-mängd", set.span, "mängden är tom")
                .with_help("ange minst en medlem; med `utom` får inte allt tas bort"),
        );
        None
    }

    /// The members of a set and, if it has `utom`, the members to take away.
    fn resolve_with_except(&mut self, set: &ast::SetExpr, want: Want) -> Option<(GroupContent, Option<GroupContent>)> {
        let members = self.resolve_set(set, want)?;
        if set.except.is_empty() {
            return Some((members, None));
        }
        let except_set = ast::SetExpr {
            members: set.except.clone(),
            except: Vec::new(),
            span: set.span,
        };
        let except = self.resolve_set(&except_set, want)?;
        Some((members, Some(except)))
    }

    pub(crate) fn actor_set(&mut self, set: &ast::SetExpr) -> Option<ActorSet> {
        let label = self.single_group_label(set).map(|l| {
            if set.except.is_empty() {
                return l;
            }
            let names: Vec<String> = set
                .except
                .iter()
                .map(|r| match r {
                    Reference::Name(p) => self.actor_display(p),
                    Reference::Citation(_) | Reference::Selector(..) => self.sources.snippet(r.span()).to_string(),
                })
                .collect();
            format!("{l} utom {}", names.join(", "))
        });
        match self.resolve_with_except(set, Want::Actors)? {
            (GroupContent::Actors(mut members), except) => {
                if let Some(GroupContent::Actors(except)) = except {
                    for x in except {
                        match x.unit {
                            None => members.retain(|m| m.actor != x.actor),
                            Some(u) => {
                                let whole = ActorRef {
                                    actor: x.actor,
                                    unit: None,
                                };
                                if members.contains(&whole) {
                                    members.retain(|m| *m != whole);
                                    let units = self
                                        .actors
                                        .get(x.actor.index())
                                        .map(|a| a.units.clone())
                                        .unwrap_or_default();
                                    members.extend(units.into_iter().filter(|o| *o != u).map(|o| ActorRef {
                                        actor: x.actor,
                                        unit: Some(o),
                                    }));
                                }
                                members.retain(|m| *m != x);
                            }
                        }
                    }
                }
                members.sort();
                members.dedup();
                self.not_empty(set, members.is_empty())?;
                Some(ActorSet { members, label })
            }
            _ => None,
        }
    }

    pub(crate) fn purpose_set(&mut self, set: &ast::SetExpr) -> Option<PurposeSet> {
        let label = if set.except.is_empty() {
            self.single_group_label(set)
        } else {
            None
        };
        match self.resolve_with_except(set, Want::Purposes)? {
            (GroupContent::Purposes(mut members), except) => {
                if let Some(GroupContent::Purposes(except)) = except {
                    members.retain(|m| !except.contains(m));
                }
                members.sort();
                members.dedup();
                self.not_empty(set, members.is_empty())?;
                Some(PurposeSet { members, label })
            }
            _ => None,
        }
    }

    /// The listed categories and all categories under them.
    pub(crate) fn category_set(&mut self, set: &ast::SetExpr) -> Option<CategorySet> {
        let label = if set.except.is_empty() {
            self.single_group_label(set)
        } else {
            None
        };
        match self.resolve_with_except(set, Want::Categories)? {
            (GroupContent::Categories(roots), except) => {
                let mut members = self.with_descendants(roots);
                if let Some(GroupContent::Categories(except)) = except {
                    let gone = self.with_descendants(except);
                    members.retain(|m| !gone.contains(m));
                }
                self.not_empty(set, members.is_empty())?;
                Some(CategorySet { members, label })
            }
            _ => None,
        }
    }

    fn with_descendants(&self, roots: Vec<CategoryId>) -> Vec<CategoryId> {
        descendants(&self.category_children, roots, CategoryId::index)
    }

    /// The listed activities and all activities under them.
    pub(crate) fn activity_set(&mut self, set: &ast::SetExpr) -> Option<ActivitySet> {
        let label = if set.except.is_empty() {
            self.single_group_label(set)
        } else {
            None
        };
        match self.resolve_with_except(set, Want::Activities)? {
            (GroupContent::Activities(roots), except) => {
                let mut members = descendants(&self.activity_children, roots, ActivityId::index);
                if let Some(GroupContent::Activities(except)) = except {
                    let gone = descendants(&self.activity_children, except, ActivityId::index);
                    members.retain(|m| !gone.contains(m));
                }
                self.not_empty(set, members.is_empty())?;
                Some(ActivitySet::new(members, label))
            }
            _ => None,
        }
    }

    /// `till skydd för …` as written: each interest once, and `närstående` only with
    /// `enskild` (the statute's "den enskilde eller någon närstående").
    pub(crate) fn interest(&mut self, words: &[(ast::InterestWord, Span)]) -> Option<Interest> {
        let mut out = Interest::default();
        let mut ok = true;
        for (w, span) in words {
            let slot = match w {
                ast::InterestWord::Individual => &mut out.individual,
                ast::InterestWord::Related => &mut out.related,
                ast::InterestWord::Public => &mut out.public,
            };
            if *slot {
                ok = false;
                self.error(Diagnostic::error(
                    "dubblett",
                    *span,
                    format!("`{}` står redan i uppräkningen", self.sources.snippet(*span)),
                ));
            }
            *slot = true;
        }
        if out.related
            && !out.individual
            && let Some((_, span)) = words.iter().find(|(w, _)| *w == ast::InterestWord::Related)
        {
            ok = false;
            self.error(
                Diagnostic::error(
                    "ogiltigt-skyddsintresse",
                    *span,
                    "`närstående` skyddas tillsammans med den enskilde",
                )
                .with_help("skriv `till skydd för enskild och närstående`"),
            );
        }
        ok.then_some(out)
    }

    /// `sekretess till skydd för enskild [och närstående]`: every secrecy provision whose
    /// every version states exactly these interests and none of which says `samtycke häver
    /// inte` — the secrecy the consent of the person (OSL 12 kap. 2 §) can lift.
    pub(crate) fn select_by_interest(
        &mut self,
        words: &[(ast::InterestWord, Span)],
        span: Span,
    ) -> Option<Vec<ProvisionId>> {
        let want = self.interest(words)?;
        if want.public {
            self.error(
                Diagnostic::error(
                    "ogiltigt-urval",
                    span,
                    "urvalet kan inte avse sekretess till skydd för allmänt intresse",
                )
                .with_help("urvalet anger den sekretess som en enskilds samtycke kan häva: `sekretess till skydd för enskild` eller `… för enskild och närstående`"),
            );
            return None;
        }
        let found: Vec<ProvisionId> = self
            .selector_keys
            .iter()
            .enumerate()
            .filter(|(_, k)| **k == Some(want))
            .map(|(i, _)| ProvisionId(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        if found.is_empty() {
            self.diags.push(
                Diagnostic::warning(
                    "tomt-urval",
                    span,
                    format!(
                        "ingen sekretessbestämmelse anger `till skydd för {}` i alla sina versioner",
                        want.words()
                    ),
                )
                .with_help("urvalet träffar ingenting och har ingen verkan; en bestämmelse med `samtycke häver inte` räknas inte"),
            );
        }
        Some(found)
    }

    pub(crate) fn provision_list(&mut self, set: &ast::SetExpr, filter: ProvisionFilter) -> Option<Vec<ProvisionId>> {
        match self.resolve_with_except(set, Want::Provisions(filter))? {
            (GroupContent::Provisions(mut ps), except) => {
                if let Some(GroupContent::Provisions(except)) = except {
                    ps.retain(|p| !except.contains(p));
                }
                ps.retain(|p| self.provisions.get(p.index()).is_some_and(|x| filter.accepts(x.kind)));
                ps.sort();
                ps.dedup();
                Some(ps)
            }
            _ => None,
        }
    }

    pub(crate) fn marker_list(&mut self, set: &ast::SetExpr) -> Option<Vec<MarkerId>> {
        match self.resolve_with_except(set, Want::Markers)? {
            (GroupContent::Markers(mut ms), except) => {
                if let Some(GroupContent::Markers(except)) = except {
                    ms.retain(|m| !except.contains(m));
                }
                ms.sort();
                ms.dedup();
                self.not_empty(set, ms.is_empty())?;
                Some(ms)
            }
            _ => None,
        }
    }

    pub(crate) fn consequence_list(&mut self, set: &ast::SetExpr) -> Option<Vec<ConsequenceId>> {
        match self.resolve_set(set, Want::Consequences)? {
            GroupContent::Consequences(mut cs) => {
                cs.sort();
                cs.dedup();
                Some(cs)
            }
            _ => None,
        }
    }

    /// One provision named by a reference (`enligt`, `genom`, a pre-assessment's subject).
    pub(crate) fn one_provision(&mut self, r: &Reference, filter: Option<ProvisionFilter>) -> Option<ProvisionId> {
        let filter = filter.unwrap_or(ProvisionFilter::Any);
        let found = match r {
            Reference::Citation(c) => self.match_citation(c, filter)?,
            Reference::Selector(..) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    r.span(),
                    "ett urval kan träffa flera bestämmelser; här ska exakt en anges",
                ));
                return None;
            }
            Reference::Name(p) => match (p.segments.as_slice(), p.segments.first()) {
                ([_], Some(head)) => match self.lookup(&head.name) {
                    Some(Sym::Provision(id)) => vec![id],
                    Some(other) => {
                        self.error(Diagnostic::error(
                            "fel-slag",
                            p.span,
                            format!(
                                "`{}` är {}, men här förväntas en {}",
                                head.name,
                                other.describe(),
                                filter.describe()
                            ),
                        ));
                        return None;
                    }
                    None => {
                        self.unknown(head, "en bestämmelse");
                        return None;
                    }
                },
                _ => {
                    self.error(Diagnostic::error(
                        "fel-slag",
                        p.span,
                        format!("`{}` är ingen bestämmelse", p.dotted()),
                    ));
                    return None;
                }
            },
        };
        match found.as_slice() {
            [one] => {
                let kind = self.provisions.get(one.index()).map(|p| p.kind);
                if kind.is_some_and(|k| !filter.accepts(k)) {
                    self.error(Diagnostic::error(
                        "fel-slag",
                        r.span(),
                        format!("`{}` är inte en {}", self.sources.snippet(r.span()), filter.describe()),
                    ));
                    return None;
                }
                Some(*one)
            }
            _ => {
                self.error(
                    Diagnostic::error(
                        "flertydig-hänvisning",
                        r.span(),
                        format!(
                            "hänvisningen träffar {} bestämmelser; här ska den peka ut exakt en",
                            found.len()
                        ),
                    )
                    .with_help("ange paragraf och vid behov stycke, t.ex. `OSL 10 kap. 28 §`"),
                );
                None
            }
        }
    }

    /// `Försvarets radioanstalt`, or `kommun (socialnämnden)` for a unit path.
    fn actor_display(&self, p: &ast::Path) -> String {
        let head = p.segments.first().map(|s| s.name.as_str()).unwrap_or("");
        let Some(Sym::Actor(a)) = self.lookup(head) else {
            return p.dotted();
        };
        let Some(actor) = self.actors.get(a.index()) else {
            return p.dotted();
        };
        match p.segments.get(1) {
            None => actor.name.clone(),
            Some(u) => {
                let label = actor
                    .units
                    .iter()
                    .filter_map(|id| self.units.get(id.index()))
                    .find(|x| x.id == u.name)
                    .map(|x| x.label.clone())
                    .unwrap_or_else(|| u.name.clone());
                format!("{} ({label})", actor.name)
            }
        }
    }

    fn single_group_label(&self, set: &ast::SetExpr) -> Option<String> {
        match set.members.as_slice() {
            [Reference::Name(p)] if p.segments.len() == 1 => match self.lookup(&p.dotted()) {
                Some(Sym::Group(g)) => self.groups.get(g).map(|d| d.label.value.clone()),
                _ => None,
            },
            _ => None,
        }
    }

    /// The declared provisions a citation covers. A citation that covers none is an error:
    /// it is a typo, or a provision that must be declared before it can be listed.
    pub(crate) fn match_citation(&mut self, c: &ast::Citation, filter: ProvisionFilter) -> Option<Vec<ProvisionId>> {
        let law = self.citation_law(c)?;
        let found = self.provisions_cited(law, c, filter);
        if found.is_empty() {
            return self.empty_citation(law, c, filter);
        }
        Some(found)
    }

    /// The law a citation starts with.
    fn citation_law(&mut self, c: &ast::Citation) -> Option<LawId> {
        match self.lookup(&c.law.name) {
            Some(Sym::Law(l)) => Some(l),
            Some(other) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    c.law.span,
                    format!(
                        "`{}` är {}, men en hänvisning ska börja med en lag",
                        c.law.name,
                        other.describe()
                    ),
                ));
                None
            }
            None => {
                self.unknown(&c.law, "en lag");
                None
            }
        }
    }

    /// The provisions of `law` a citation names, of the kinds `filter` accepts (cached by
    /// what the citation says while the set of provisions stays the same).
    fn provisions_cited(&mut self, law: LawId, c: &ast::Citation, filter: ProvisionFilter) -> Vec<ProvisionId> {
        let key = format!(
            "{}|{law:?}|{:?}|{:?}|{:?}|{:?}|{filter:?}",
            self.provisions.len(),
            c.chapters,
            c.sections,
            c.stycke,
            c.punkt
        );
        if let Some(found) = self.citation_cache.get(&key) {
            return found.clone();
        }
        let found: Vec<ProvisionId> = self
            .provisions
            .iter()
            .enumerate()
            .filter(|(_, p)| p.law == law && filter.accepts(p.kind) && point_matches(&p.point, c))
            .map(|(i, _)| ProvisionId(u32::try_from(i).unwrap_or(u32::MAX)))
            .collect();
        self.citation_cache.insert(key, found.clone());
        found
    }

    /// A citation that names nothing: a warning for a whole range of chapters, else an
    /// error saying whether it names provisions of another kind.
    fn empty_citation(&mut self, law: LawId, c: &ast::Citation, filter: ProvisionFilter) -> Option<Vec<ProvisionId>> {
        if c.sections.is_empty() && c.chapters.is_some() {
            // A whole range of chapters copied from a statute (`OSL 41–43 kap.`) may name
            // chapters this ruleset does not model; that is worth knowing, not an error.
            self.diags.push(
                Diagnostic::warning(
                    "tom-hänvisning",
                    c.span,
                    format!(
                        "hänvisningen `{}` träffar ingen deklarerad bestämmelse",
                        self.sources.snippet(c.span)
                    ),
                )
                .with_help("inga bestämmelser i de kapitlen är deklarerade; hänvisningen har ingen verkan"),
            );
            return Some(Vec::new());
        }
        let any_kind = self
            .provisions
            .iter()
            .any(|p| p.law == law && point_matches(&p.point, c));
        let msg = if any_kind {
            format!(
                "hänvisningen `{}` träffar ingen {}",
                self.sources.snippet(c.span),
                filter.describe()
            )
        } else {
            format!(
                "hänvisningen `{}` träffar ingen deklarerad bestämmelse",
                self.sources.snippet(c.span)
            )
        };
        self.error(
            Diagnostic::error("tom-hänvisning", c.span, msg)
                .with_help("deklarera bestämmelsen (på rätt nivå: paragraf eller stycke) eller rätta hänvisningen"),
        );
        None
    }
}

/// The roots and everything under them in a tree, sorted.
fn descendants<T: Copy + Ord>(children: &[Vec<T>], roots: Vec<T>, index: fn(T) -> usize) -> Vec<T> {
    let mut members = Vec::new();
    let mut stack = roots;
    while let Some(c) = stack.pop() {
        if members.contains(&c) {
            continue;
        }
        members.push(c);
        if let Some(ch) = children.get(index(c)) {
            stack.extend(ch.iter().copied());
        }
    }
    members.sort();
    members
}

/// Whether a declared provision lies within what a citation covers.
pub(crate) fn point_matches(p: &Point, c: &ast::Citation) -> bool {
    if let Some((lo, hi)) = c.chapters {
        match p.chapter {
            Some(ch) if lo <= ch && ch <= hi => {}
            _ => return false,
        }
    } else if !c.sections.is_empty() && p.chapter.is_some() {
        // `LUB 5 §` names a section of an act without chapters.
        return false;
    }
    if !c.sections.is_empty() {
        let Some(sec) = p.section else { return false };
        if !c.sections.iter().any(|(lo, hi)| section_in(sec, *lo, *hi)) {
            return false;
        }
    }
    if let Some(st) = c.stycke
        && p.stycke != Some(st)
    {
        return false;
    }
    if let Some(pk) = c.punkt
        && p.punkt != Some(pk)
    {
        return false;
    }
    true
}

/// `2 a` lies in `1–5`; `5 a` does not.
fn section_in(s: SectionNo, lo: SectionNo, hi: SectionNo) -> bool {
    let key = |x: SectionNo| (x.number, x.letter.map(|c| c as u32 + 1).unwrap_or(0));
    key(lo) <= key(s) && key(s) <= key(hi)
}

/// The place a provision's own citation names; it must be a single point.
pub(crate) fn point_of(c: &ast::Citation) -> Result<Point, (Span, &'static str)> {
    let chapter = match c.chapters {
        Some((a, b)) if a == b => Some(a),
        Some(_) => return Err((c.span, "en bestämmelse kan inte omfatta flera kapitel")),
        None => None,
    };
    let section = match c.sections.as_slice() {
        [] => None,
        [(a, b)] if a == b => Some(*a),
        _ => return Err((c.span, "en bestämmelse ska ange en enda paragraf")),
    };
    if section.is_none() {
        return Err((c.span, "en bestämmelse ska ange en paragraf (t.ex. `OSL 25 kap. 1 §`)"));
    }
    Ok(Point {
        chapter,
        section,
        stycke: c.stycke,
        punkt: c.punkt,
    })
}

/// `OSL 10 kap. 15 a § 1 st.`
pub(crate) fn format_citation(short: &str, p: &Point) -> String {
    let mut s = short.to_string();
    if let Some(ch) = p.chapter {
        s.push_str(&format!(" {ch} kap."));
    }
    if let Some(sec) = p.section {
        match sec.letter {
            Some(l) => s.push_str(&format!(" {} {l} §", sec.number)),
            None => s.push_str(&format!(" {} §", sec.number)),
        }
    }
    if let Some(st) = p.stycke {
        s.push_str(&format!(" {st} st."));
    }
    if let Some(pk) = p.punkt {
        s.push_str(&format!(" {pk} p."));
    }
    s
}
