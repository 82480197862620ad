//! Provisions and their versions, priorities and pre-assessments.
//!
//! Each kind of provision allows some clauses and requires others; versions must be valid
//! periods that do not overlap; priorities (`går före`) must not form a cycle.

use super::exprs::Ctx;
use super::sets::{ProvisionFilter, format_citation, point_of};
use super::{Checker, Sym, normalize_text, texts};
use crate::ast::{self, ClauseKind, ModeWord, ProvisionKindAst};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::model::*;
use crate::span::Span;

fn kind_of(k: ProvisionKindAst) -> ProvisionKind {
    match k {
        ProvisionKindAst::Secrecy => ProvisionKind::Secrecy,
        ProvisionKindAst::Permission => ProvisionKind::Permission,
        ProvisionKindAst::Duty => ProvisionKind::Duty,
        ProvisionKindAst::Bar => ProvisionKind::Bar,
        ProvisionKindAst::DataProtection => ProvisionKind::DataProtection,
        ProvisionKindAst::Plain => ProvisionKind::Plain,
    }
}

fn kind_name(k: ProvisionKind) -> &'static str {
    match k {
        ProvisionKind::Secrecy => "en sekretessbestämmelse",
        ProvisionKind::Permission => "en sekretessbrytande bestämmelse",
        ProvisionKind::Duty => "en uppgiftsskyldighet",
        ProvisionKind::Bar => "ett förbud",
        ProvisionKind::DataProtection => "en dataskyddsbestämmelse",
        ProvisionKind::Plain => "en bestämmelse som bara hänvisas till",
    }
}

/// The clause as an author writes it, for messages.
fn clause_name(c: &ClauseKind) -> &'static str {
    match c {
        ClauseKind::Subsidiary(_) => "följer annan sekretess",
        ClauseKind::Damage(..) => "skaderekvisit",
        ClauseKind::Protects(_) => "skyddar",
        ClauseKind::AppliesAt(_) => "gäller hos",
        ClauseKind::AppliesIn(_) => "gäller i",
        ClauseKind::Interest(_) => "till skydd för",
        ClauseKind::ConsentExcluded => "samtycke häver inte",
        ClauseKind::Checked(..) => "kontrollerad mot",
        ClauseKind::TimeLimit(_) => "tidsgräns",
        ClauseKind::Givers(_) => "lämnas av",
        ClauseKind::Receivers(_) => "till",
        ClauseKind::Modes(_) => "på begäran / på eget initiativ",
        ClauseKind::Purposes(_) => "syfte",
        ClauseKind::Covers(_) => "avser",
        ClauseKind::BreaksThrough(_) => "bryter sekretess genom",
        ClauseKind::Breaks(_) => "bryter",
        ClauseKind::Excludes(..) => "undantar",
        ClauseKind::Balancing(_) => "prövning",
        ClauseKind::When(_) => "när",
        ClauseKind::Judgement(_) => "bedömning",
        ClauseKind::Uncertain(..) => "osäkert",
        ClauseKind::Entails(_) => "medför",
        ClauseKind::Precedes(_) => "går före",
        ClauseKind::PermittedWhen(_) => "tillåtet när",
        ClauseKind::Otherwise(_) => "annars",
        ClauseKind::Explanation(_) => "förklaring",
    }
}

fn allowed(kind: ProvisionKind, c: &ClauseKind) -> bool {
    use ProvisionKind as K;
    match c {
        ClauseKind::Damage(..)
        | ClauseKind::Protects(_)
        | ClauseKind::AppliesAt(_)
        | ClauseKind::AppliesIn(_)
        | ClauseKind::Interest(_)
        | ClauseKind::ConsentExcluded
        | ClauseKind::TimeLimit(_)
        | ClauseKind::Subsidiary(_) => kind == K::Secrecy,
        ClauseKind::Checked(..) => true,
        ClauseKind::Givers(_)
        | ClauseKind::Receivers(_)
        | ClauseKind::Modes(_)
        | ClauseKind::Purposes(_)
        | ClauseKind::Covers(_)
        | ClauseKind::Uncertain(..)
        | ClauseKind::Precedes(_) => matches!(kind, K::Permission | K::Duty | K::Bar),
        ClauseKind::BreaksThrough(_) => kind == K::Duty,
        ClauseKind::Breaks(_) => kind == K::Permission,
        ClauseKind::Excludes(..) | ClauseKind::Balancing(_) | ClauseKind::Judgement(_) => {
            matches!(kind, K::Permission | K::Duty)
        }
        ClauseKind::When(_) => kind != K::Plain,
        ClauseKind::Entails(_) => matches!(kind, K::Permission | K::Duty | K::Bar | K::DataProtection),
        ClauseKind::PermittedWhen(_) | ClauseKind::Otherwise(_) => kind == K::DataProtection,
        ClauseKind::Explanation(_) => true,
    }
}

/// Clauses that may be written more than once in a version.
fn repeatable(c: &ClauseKind) -> bool {
    matches!(
        c,
        ClauseKind::Excludes(..) | ClauseKind::Judgement(_) | ClauseKind::Uncertain(..) | ClauseKind::Explanation(_)
    )
}

impl<'s> Checker<'s> {
    pub(crate) fn declare_provision(&mut self, p: &ast::ProvisionDecl) {
        let id = ProvisionId(u32::try_from(self.provisions.len()).unwrap_or(u32::MAX));
        if !self.bind(&p.id, Sym::Provision(id)) {
            return;
        }
        let law = match self.lookup(&p.citation.law.name) {
            Some(Sym::Law(l)) => Some(l),
            Some(other) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    p.citation.law.span,
                    format!(
                        "`{}` är {}, men en bestämmelse ska höra till en lag",
                        p.citation.law.name,
                        other.describe()
                    ),
                ));
                None
            }
            None => {
                self.unknown(&p.citation.law, "en lag");
                None
            }
        };
        let point = match point_of(&p.citation) {
            Ok(pt) => pt,
            Err((span, msg)) => {
                self.error(Diagnostic::error("ogiltig-hänvisning", span, msg));
                Point {
                    chapter: None,
                    section: None,
                    stycke: None,
                    punkt: None,
                }
            }
        };
        let law = law.unwrap_or(LawId(u32::MAX));
        if law.0 != u32::MAX && point.section.is_some() {
            let dup = self
                .provisions
                .iter()
                .find(|q| q.law == law && q.point == point && q.kind == kind_of(p.kind))
                .map(|q| (q.id.clone(), q.span));
            if let Some((other, other_span)) = dup {
                self.error(
                    Diagnostic::error(
                        "dubblett",
                        p.citation.span,
                        format!("`{other}` har redan samma hänvisning och samma slag"),
                    )
                    .with_related(other_span, "den andra deklarationen")
                    .with_help("en ny lydelse skrivs som ett nytt `version`-block i samma bestämmelse"),
                );
            }
        }
        let short = self
            .laws
            .get(law.index())
            .map(|l| l.short_name.clone())
            .unwrap_or_default();
        let link = p
            .link
            .as_ref()
            .map(|l| l.value.clone())
            .or_else(|| self.laws.get(law.index()).and_then(|l| l.link.clone()));
        self.selector_keys.push(selector_key(p));
        self.provisions.push(Provision {
            id: p.id.name.clone(),
            kind: kind_of(p.kind),
            law,
            point,
            citation: format_citation(&short, &point),
            heading: p.heading.as_ref().map(|h| normalize_text(&h.value)),
            link,
            explanation: texts(&p.explanation),
            versions: Vec::new(),
            span: p.id.span.to(p.citation.span),
        });
    }

    pub(crate) fn build_provision(&mut self, p: &ast::ProvisionDecl) {
        let Some(Sym::Provision(pid)) = self.lookup(&p.id.name) else {
            return;
        };
        // Only the declaration that won the name is built.
        if self.symbols.get(&p.id.name).map(|s| s.1) != Some(p.id.span) {
            return;
        }
        let kind = kind_of(p.kind);
        if p.versions.is_empty() {
            self.error(
                Diagnostic::error(
                    "version-saknas",
                    p.id.span,
                    format!("`{}` har ingen version", p.id.name),
                )
                .with_help("varje bestämmelse anger när den gäller: `version \"SFS …\" från ÅÅÅÅ-MM-DD { … }`"),
            );
        }
        let mut periods: Vec<(Date, Option<Date>, Span, VersionId)> = Vec::new();
        for v in &p.versions {
            let (from, to) = self.period(&v.from, v.to.as_ref(), "versionen");
            let body = self.body(kind, v, pid);
            let checked = self.provenance(v);
            let (Some(from), Some(body)) = (from, body) else {
                continue;
            };
            let vid = VersionId(u32::try_from(self.versions.len()).unwrap_or(u32::MAX));
            let explanation: Vec<String> = v
                .clauses
                .iter()
                .filter_map(|c| match &c.kind {
                    ClauseKind::Explanation(t) => Some(normalize_text(&t.value)),
                    _ => None,
                })
                .collect();
            self.versions.push(Version {
                provision: pid,
                sfs: v.sfs.as_ref().map(|s| s.value.clone()),
                from,
                to,
                body,
                checked,
                explanation,
                span: v.span,
            });
            periods.push((from, to, v.from.span, vid));
        }
        periods.sort_by_key(|(f, _, _, _)| *f);
        self.check_overlaps(&periods);
        if let Some(prov) = self.provisions.get_mut(pid.index()) {
            prov.versions = periods.iter().map(|(_, _, _, v)| *v).collect();
        }
    }

    /// Versions of one provision, in order of their start, may not overlap.
    fn check_overlaps(&mut self, periods: &[(Date, Option<Date>, Span, VersionId)]) {
        for pair in periods.windows(2) {
            if let [(af, at, aspan, _), (bf, _, bspan, _)] = pair {
                let overlaps = at.is_none_or(|t| t >= *bf);
                if overlaps {
                    let end = at
                        .map(|t| format!("som gäller till {t}"))
                        .unwrap_or_else(|| "som gäller tills vidare".to_string());
                    self.error(
                        Diagnostic::error(
                            "överlappande-versioner",
                            *bspan,
                            format!("versionen från {bf} överlappar versionen från {af}, {end}"),
                        )
                        .with_related(*aspan, "den tidigare versionen")
                        .with_help("ge den tidigare versionen ett slutdatum: `till` dagen före den nya versionen"),
                    );
                }
            }
        }
    }

    fn body(&mut self, kind: ProvisionKind, v: &ast::VersionBlock, pid: ProvisionId) -> Option<Body> {
        let mut ok = true;
        let mut seen: Vec<(&'static str, Span)> = Vec::new();
        for c in &v.clauses {
            let name = clause_name(&c.kind);
            if !allowed(kind, &c.kind) {
                ok = false;
                self.error(
                    Diagnostic::error(
                        "fel-klausul",
                        c.span,
                        format!("`{name}` hör inte hemma i {}", kind_name(kind)),
                    )
                    .with_help(clause_help(kind)),
                );
                continue;
            }
            if !repeatable(&c.kind) {
                if let Some((_, first)) = seen.iter().find(|(n, _)| *n == name) {
                    ok = false;
                    self.error(
                        Diagnostic::error("dubblett", c.span, format!("`{name}` står redan i denna version"))
                            .with_related(*first, "första gången")
                            .with_help("slå ihop villkoren, t.ex. med `och`"),
                    );
                    continue;
                }
                seen.push((name, c.span));
            }
        }
        let has = |n: &str| seen.iter().any(|(x, _)| *x == n);
        let required: &[&str] = match kind {
            ProvisionKind::Secrecy => &["skaderekvisit", "skyddar"],
            ProvisionKind::Permission => &["bryter"],
            ProvisionKind::Duty => &["lämnas av", "till", "bryter sekretess genom"],
            ProvisionKind::DataProtection => &["tillåtet när", "annars"],
            ProvisionKind::Bar | ProvisionKind::Plain => &[],
        };
        for r in required {
            if !has(r) {
                ok = false;
                self.error(
                    Diagnostic::error(
                        "klausul-saknas",
                        v.span,
                        format!("versionen saknar `{r}`, som {} måste ha", kind_name(kind)),
                    )
                    .with_help(clause_help(kind)),
                );
            }
        }
        if kind == ProvisionKind::Bar && !["avser", "när", "lämnas av", "till", "syfte"].iter().any(|n| has(n)) {
            ok = false;
            self.error(
                Diagnostic::error("klausul-saknas", v.span, "ett förbud måste säga vad det gäller")
                    .with_help("ange `avser { … }` och/eller `när …`"),
            );
        }
        // The body is built even when a clause is missing or misplaced, so that every
        // clause's own errors are reported too; it is kept only if all was well.
        let body = match kind {
            ProvisionKind::Secrecy => self.secrecy_body(v),
            ProvisionKind::Permission | ProvisionKind::Duty | ProvisionKind::Bar => self.rule_body(kind, v, pid),
            ProvisionKind::DataProtection => self.data_protection_body(v),
            ProvisionKind::Plain => Some(Body::Plain),
        };
        body.filter(|_| ok)
    }

    /// `kontrollerad mot "SFS …" DATE`, checked; `None` when not written or wrong.
    fn provenance(&mut self, v: &ast::VersionBlock) -> Option<Provenance> {
        let (text, date) = v.clauses.iter().find_map(|c| match &c.kind {
            ClauseKind::Checked(t, d) => Some((t, d)),
            _ => None,
        })?;
        let date = self.date(date);
        let sfs = normalize_text(&text.value);
        let valid = sfs.starts_with("SFS ") && SfsNo::find(&sfs).is_some();
        if !valid {
            self.error(
                Diagnostic::error(
                    "ogiltigt-sfs",
                    text.span,
                    format!("`{}` är inget SFS-nummer", text.value),
                )
                .with_help("skriv den författning texten kontrollerades mot, t.ex. `kontrollerad mot \"SFS 2025:937\" 2026-12-05`"),
            );
        }
        Some(Provenance { sfs, date: date? }).filter(|_| valid)
    }

    /// A secrecy version: its clauses, of which `skaderekvisit` and `skyddar` are required.
    fn secrecy_body(&mut self, v: &ast::VersionBlock) -> Option<Body> {
        let mut read = SecrecyClauses::default();
        let mut ok = true;
        for c in &v.clauses {
            ok &= self.secrecy_clause(c, &mut read);
        }
        self.warn_unstated_interest(v);
        let ((damage, damage_text), protects) = (read.damage?, read.protects?);
        ok.then_some(Body::Secrecy(SecrecyBody {
            damage,
            damage_text,
            protects,
            applies_at: read.applies_at,
            applies_in: read.applies_in,
            interest: read.interest,
            consent_excluded: read.consent_excluded,
            time_limit_years: read.time_limit_years,
            when: read.when,
            subsidiary: read.subsidiary,
        }))
    }

    /// One clause of a secrecy version, into `read`; false when it did not resolve (the
    /// error is reported).
    fn secrecy_clause(&mut self, c: &ast::Clause, read: &mut SecrecyClauses) -> bool {
        match &c.kind {
            ClauseKind::Subsidiary(None) => {
                read.subsidiary = Some(None);
                true
            }
            ClauseKind::Subsidiary(Some(r)) => {
                let by = self.one_provision(r, None);
                read.subsidiary = Some(by);
                by.is_some()
            }
            ClauseKind::Damage(d, t) => {
                read.damage = Some((*d, t.as_ref().map(|x| normalize_text(&x.value))));
                true
            }
            // `skyddar { }`: secrecy the sender names, never derived from a category.
            ClauseKind::Protects(s) if s.members.is_empty() && s.except.is_empty() => {
                read.protects = Some(CategorySet {
                    members: Vec::new(),
                    label: None,
                });
                true
            }
            ClauseKind::Protects(s) => resolved(&mut read.protects, self.category_set(s)),
            ClauseKind::AppliesAt(s) => resolved(&mut read.applies_at, self.actor_set(s)),
            ClauseKind::AppliesIn(s) => resolved(&mut read.applies_in, self.activity_set(s)),
            ClauseKind::Interest(words) => resolved(&mut read.interest, self.interest(words)),
            ClauseKind::ConsentExcluded => {
                read.consent_excluded = true;
                true
            }
            ClauseKind::TimeLimit(0) => {
                self.error(
                    Diagnostic::error("ogiltigt-tal", c.span, "en tidsgräns på 0 år betyder ingen sekretess")
                        .with_help("skriv lagens tidsgräns, t.ex. `tidsgräns 70 år`, eller ingen"),
                );
                false
            }
            ClauseKind::TimeLimit(n) => {
                read.time_limit_years = Some(*n);
                true
            }
            ClauseKind::When(e) => resolved(&mut read.when, self.expr(e, Ctx::SecrecyScope)),
            _ => true,
        }
    }

    /// A secrecy version that does not say whose interest it protects: consent can then
    /// never lift it (a warning at the version's header).
    fn warn_unstated_interest(&mut self, v: &ast::VersionBlock) {
        let written = v.clauses.iter().any(|c| matches!(c.kind, ClauseKind::Interest(_)));
        if written {
            return;
        }
        let header = Span {
            file: v.span.file,
            start: v.span.start,
            end: v.from.span.end,
        };
        self.diags.push(
            Diagnostic::warning(
                "skyddsintresse-saknas",
                header,
                "versionen säger inte vems intresse sekretessen skyddar",
            )
            .with_help("skriv `till skydd för enskild`, `… för enskild och närstående` eller `… för allmänt intresse`; utan det kan samtycke aldrig häva sekretessen"),
        );
    }

    /// A version of a permission, duty or bar: who gives to whom, how, why and what, what it
    /// breaks or excludes, and its judgements and priority.
    fn rule_body(&mut self, kind: ProvisionKind, v: &ast::VersionBlock, pid: ProvisionId) -> Option<Body> {
        let mut ok = true;
        let mut body = RuleBody {
            givers: None,
            receivers: None,
            modes: None,
            purposes: None,
            covers: None,
            breaks: Breaks::Nothing,
            excludes: Vec::new(),
            balancing: None,
            when: None,
            judgements: Vec::new(),
            uncertain: Vec::new(),
            entails: Vec::new(),
            precedes: Precedence::None,
        };
        for c in &v.clauses {
            ok &= self.rule_clause(c, &mut body, pid);
        }
        if kind == ProvisionKind::Bar && matches!(body.precedes, Precedence::None) {
            // A bar without priority conflicts with every route it meets: that is allowed
            // (the engine then asks for a manual assessment), but it should be deliberate.
        }
        ok.then_some(Body::Rule(Box::new(body)))
    }

    /// One clause of a rule version, into `body`; false when it did not resolve (the error
    /// is reported).
    fn rule_clause(&mut self, c: &ast::Clause, body: &mut RuleBody, pid: ProvisionId) -> bool {
        match &c.kind {
            ClauseKind::Givers(s) => resolved(&mut body.givers, self.actor_set(s)),
            ClauseKind::Receivers(s) => resolved(&mut body.receivers, self.actor_set(s)),
            ClauseKind::Modes(words) => resolved(&mut body.modes, self.modes(c.span, words)),
            ClauseKind::Purposes(s) => resolved(&mut body.purposes, self.purpose_set(s)),
            ClauseKind::Covers(s) => resolved(&mut body.covers, self.category_set(s)),
            ClauseKind::Breaks(s) => match self.provision_list(s, ProvisionFilter::Secrecy) {
                Some(list) => put(&mut body.breaks, Breaks::Listed(list)),
                None => false,
            },
            ClauseKind::BreaksThrough(r) => match self.one_provision(r, Some(ProvisionFilter::Bridge)) {
                Some(bridge) => put(&mut body.breaks, Breaks::Through(bridge)),
                None => false,
            },
            ClauseKind::Excludes(s, by) => match self.exclusions(s, by.as_ref()) {
                Some(list) => {
                    body.excludes.extend(list);
                    true
                }
                None => false,
            },
            ClauseKind::Balancing(b) => resolved(&mut body.balancing, self.balancing_ref(b)),
            ClauseKind::When(e) => resolved(&mut body.when, self.expr(e, Ctx::Item)),
            ClauseKind::Judgement(t) => {
                body.judgements.push(normalize_text(&t.value));
                true
            }
            ClauseKind::Uncertain(t, when) => match self.uncertainty(t, when.as_ref()) {
                Some(u) => {
                    body.uncertain.push(u);
                    true
                }
                None => false,
            },
            ClauseKind::Entails(s) => match self.consequence_list(s) {
                Some(list) => put(&mut body.entails, list),
                None => false,
            },
            ClauseKind::Precedes(target) => match self.precedence(c.span, target.as_ref(), pid) {
                Some(p) => put(&mut body.precedes, p),
                None => false,
            },
            _ => true,
        }
    }

    /// `på begäran och på eget initiativ`: the modes, sorted, each once.
    fn modes(&mut self, span: Span, words: &[ModeWord]) -> Option<Vec<Mode>> {
        let mut ok = true;
        let mut modes = Vec::new();
        for w in words {
            let m = match w {
                ModeWord::OnRequest => Mode::OnRequest,
                ModeWord::OwnInitiative => Mode::OwnInitiative,
            };
            if modes.contains(&m) {
                ok = false;
                self.error(Diagnostic::error("dubblett", span, "samma sätt står två gånger"));
            }
            modes.push(m);
        }
        modes.sort();
        ok.then_some(modes)
    }

    /// `undantar { … } enligt …`: each secrecy provision excluded, by the provision named.
    fn exclusions(&mut self, s: &ast::SetExpr, by: Option<&ast::Reference>) -> Option<Vec<Exclusion>> {
        let (by, by_ok) = match by {
            Some(r) => {
                let b = self.one_provision(r, None);
                (b, b.is_some())
            }
            None => (None, true),
        };
        let list = self.provision_list(s, ProvisionFilter::Secrecy)?;
        by_ok.then(|| list.into_iter().map(|secrecy| Exclusion { secrecy, by }).collect())
    }

    /// `prövning …`: a declared balancing test.
    fn balancing_ref(&mut self, b: &ast::Ident) -> Option<BalancingId> {
        match self.lookup(&b.name) {
            Some(Sym::Balancing(id)) => Some(id),
            Some(other) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    b.span,
                    format!(
                        "`{}` är {}, men `prövning` ska följas av en deklarerad prövning",
                        b.name,
                        other.describe()
                    ),
                ));
                None
            }
            None => {
                self.unknown(b, "en prövning");
                None
            }
        }
    }

    /// `osäkert "…" när …`: the text, and the condition under which it is uncertain.
    fn uncertainty(&mut self, t: &ast::Text, when: Option<&ast::Expr>) -> Option<Uncertainty> {
        let when = match when {
            Some(e) => Some(self.expr(e, Ctx::Item)?),
            None => None,
        };
        Some(Uncertainty {
            text: normalize_text(&t.value),
            when,
        })
    }

    /// `går före alla` / `går före { … }`: never the provision itself.
    fn precedence(&mut self, span: Span, target: Option<&ast::SetExpr>, pid: ProvisionId) -> Option<Precedence> {
        let Some(s) = target else {
            return Some(Precedence::All);
        };
        let list = self.provision_list(s, ProvisionFilter::RulesOrBridges)?;
        if list.contains(&pid) {
            self.error(Diagnostic::error(
                "cykel",
                span,
                "en bestämmelse kan inte gå före sig själv",
            ));
            return None;
        }
        Some(Precedence::Over(list))
    }

    fn data_protection_body(&mut self, v: &ast::VersionBlock) -> Option<Body> {
        let mut ok = true;
        let mut applies_when = None;
        let mut permitted_when = None;
        let mut otherwise = None;
        let mut entails = Vec::new();
        for c in &v.clauses {
            match &c.kind {
                ClauseKind::When(e) => {
                    applies_when = self.expr(e, Ctx::Item);
                    ok &= applies_when.is_some();
                }
                ClauseKind::PermittedWhen(e) => {
                    permitted_when = self.expr(e, Ctx::Item);
                    ok &= permitted_when.is_some();
                }
                ClauseKind::Otherwise(t) => otherwise = Some(normalize_text(&t.value)),
                ClauseKind::Entails(s) => match self.consequence_list(s) {
                    Some(list) => entails = list,
                    None => ok = false,
                },
                _ => {}
            }
        }
        if !ok {
            return None;
        }
        Some(Body::DataProtection(DataProtectionBody {
            applies_when,
            permitted_when: permitted_when?,
            otherwise: otherwise?,
            entails,
        }))
    }

    /// Reports cycles in `går före`, as the engine applies it ([`Precedence::targets`]:
    /// `alla`, and a bridge standing for the duties through it). Two provisions that defeat
    /// each other would both drop out, and the item fall to a weaker outcome.
    ///
    /// Linear in the edges it needs: provisions that go before the same list (a chapter,
    /// say) share one node standing for the list, with an edge to each provision the list
    /// reaches, so n provisions going before one chapter of m cost n + m edges, not n·m. A
    /// path through such a node is a real `går före` (each provision in the list is a
    /// target of each provision pointing at it), so the cycles are the same. `alla` is
    /// expanded per provision (it leaves out the provision itself). The components come
    /// from one iterative pass (Tarjan), and each component with a cycle is reported once,
    /// with one shortest cycle through its first provision.
    pub(crate) fn check_precedence_cycles(&mut self) {
        let n = self.provisions.len();
        let index = PrecedenceIndex::new(&self.provisions, &self.versions);
        let mut edges: Vec<Vec<usize>> = vec![Vec::new(); n];
        let mut lists: std::collections::HashMap<&[ProvisionId], usize> = std::collections::HashMap::new();
        for v in &self.versions {
            let Body::Rule(r) = &v.body else { continue };
            let from = v.provision.index();
            match &r.precedes {
                Precedence::None => {}
                Precedence::All => {
                    if let Some(e) = edges.get_mut(from) {
                        e.extend(r.precedes.targets_in(v.provision, &index).iter().map(|p| p.index()));
                    }
                }
                Precedence::Over(list) => {
                    let hub = match lists.get(list.as_slice()) {
                        Some(h) => *h,
                        None => {
                            let h = edges.len();
                            let targets = r.precedes.targets_in(v.provision, &index);
                            edges.push(targets.iter().map(|p| p.index()).collect());
                            lists.insert(list.as_slice(), h);
                            h
                        }
                    };
                    if let Some(e) = edges.get_mut(from) {
                        e.push(hub);
                    }
                }
            }
        }
        for e in &mut edges {
            e.sort_unstable();
            e.dedup();
        }
        for component in strongly_connected(&edges) {
            // Every cycle passes a provision (a list's node points only at provisions).
            let Some(&start) = component.iter().filter(|i| **i < n).min() else {
                continue;
            };
            let looped = edges.get(start).is_some_and(|e| e.contains(&start));
            if component.len() < 2 && !looped {
                continue;
            }
            let cycle = shortest_cycle(&edges, &component, start);
            let names: Vec<String> = cycle
                .iter()
                .chain(std::iter::once(&start))
                .filter(|i| **i < n)
                .filter_map(|i| self.provisions.get(*i).map(|p| format!("`{}`", p.id)))
                .collect();
            let span = self.provisions.get(start).map(|p| p.span).unwrap_or_default();
            self.error(
                Diagnostic::error(
                    "prioritetscykel",
                    span,
                    format!("prioriteterna bildar en cykel: {}", names.join(" går före ")),
                )
                .with_help("ta bort en av `går före`-klausulerna så att ordningen blir entydig"),
            );
        }
    }

    /// A pre-assessment (`förhandsbedömning`): every entry is required; filled in over the
    /// placeholder `declare` made when all of them resolve.
    pub(crate) fn build_preassessment(&mut self, p: &ast::PreAssessmentDecl) {
        let Some(Sym::Pre(id)) = self.lookup(&p.id.name) else {
            return;
        };
        let provision = self.required(p, p.provision.as_ref(), "bestämmelse", |c, r| {
            c.one_provision(r, Some(ProvisionFilter::Rules))
        });
        if let (Some(pid), Some(r)) = (provision, &p.provision) {
            self.check_preassessed_provision(pid, r.span());
        }
        let senders = self.required(p, p.senders.as_ref(), "avsändare", |c, s| c.actor_set(s));
        let recipients = self.required(p, p.recipients.as_ref(), "mottagare", |c, s| c.actor_set(s));
        // A pre-assessment weighs one flow: without `avser` and `syfte` it would settle the
        // assessment for every kind of information and every purpose between the parties.
        let categories = self.required(p, p.categories.as_ref(), "avser", |c, s| c.category_set(s));
        let purposes = self.required(p, p.purposes.as_ref(), "syfte", |c, s| c.purpose_set(s));
        let dnr = self
            .required(p, p.dnr.as_ref(), "dnr", |_, d| Some(d.value.clone()))
            .unwrap_or_default();
        let (from, to) = self
            .required(p, p.valid.as_ref(), "giltig från", |c, (f, t)| {
                Some(c.period(f, t.as_ref(), "giltigheten"))
            })
            .unwrap_or((None, None));
        let result = self.required(p, p.result.as_ref(), "resultat", |_, (r, _)| {
            Some(match r {
                ast::PreResult::May => PreResult::May,
                ast::PreResult::MayNot => PreResult::MayNot,
            })
        });
        if let (
            Some(provision),
            Some(senders),
            Some(recipients),
            Some(categories),
            Some(purposes),
            Some(from),
            Some(result),
            Some(pre),
        ) = (
            provision,
            senders,
            recipients,
            categories,
            purposes,
            from,
            result,
            self.preassessments.get_mut(id.index()),
        ) {
            pre.provision = provision;
            pre.senders = senders;
            pre.recipients = recipients;
            pre.categories = categories;
            pre.purposes = purposes;
            pre.dnr = dnr;
            pre.from = from;
            pre.to = to;
            pre.result = result;
        }
    }

    /// A required entry of a pre-assessment: resolved when written, an error naming it when
    /// not.
    fn required<A, T>(
        &mut self,
        p: &ast::PreAssessmentDecl,
        entry: Option<&A>,
        what: &str,
        resolve: impl FnOnce(&mut Self, &A) -> Option<T>,
    ) -> Option<T> {
        match entry {
            Some(e) => resolve(self, e),
            None => {
                self.error(Diagnostic::error(
                    "uppgift-saknas",
                    p.id.span,
                    format!("förhandsbedömningen `{}` saknar `{what}`", p.id.name),
                ));
                None
            }
        }
    }

    /// The provision a pre-assessment settles: it must have a balancing test or a
    /// judgement to settle (else a warning), and may not be a bar.
    fn check_preassessed_provision(&mut self, pid: ProvisionId, span: Span) {
        let settles = self
            .versions
            .iter()
            .filter(|v| v.provision == pid)
            .any(|v| match &v.body {
                Body::Rule(r) => r.balancing.is_some() || !r.judgements.is_empty(),
                _ => false,
            });
        if !settles {
            self.diags.push(Diagnostic::warning(
                "verkningslös-förhandsbedömning",
                span,
                "bestämmelsen har ingen prövning eller bedömning som en förhandsbedömning kan avgöra",
            ));
        }
        let is_bar = self
            .provisions
            .get(pid.index())
            .is_some_and(|x| x.kind == ProvisionKind::Bar);
        if is_bar {
            self.error(Diagnostic::error(
                "fel-slag",
                span,
                "en förhandsbedömning avser en sekretessbrytande bestämmelse eller en uppgiftsskyldighet, inte ett förbud",
            ));
        }
    }

    /// A period (`från … till …` of a version, `giltig från … till …` of a
    /// pre-assessment), which may not end before it starts; `what` names it in the error.
    fn period(&mut self, from: &ast::DateLit, to: Option<&ast::DateLit>, what: &str) -> (Option<Date>, Option<Date>) {
        let start = self.date(from);
        let end = to.and_then(|t| self.date(t));
        if let (Some(a), Some(b), Some(lit)) = (start, end, to)
            && b < a
        {
            self.error(Diagnostic::error(
                "ogiltig-period",
                lit.span,
                format!("{what} slutar {b}, före sitt startdatum {a}"),
            ));
        }
        (start, end)
    }
}

/// The clauses of a secrecy version as they are read, before the required ones are known
/// to be there.
#[derive(Default)]
struct SecrecyClauses {
    damage: Option<(ast::DamageTest, Option<String>)>,
    protects: Option<CategorySet>,
    applies_at: Option<ActorSet>,
    applies_in: Option<ActivitySet>,
    interest: Option<Interest>,
    consent_excluded: bool,
    time_limit_years: Option<u32>,
    when: Option<ExprId>,
    subsidiary: Option<Option<ProvisionId>>,
}

/// Puts what a clause resolved to in its place; false when it did not resolve (the error
/// was reported where it was resolved, and the version is not built).
fn resolved<T>(slot: &mut Option<T>, value: Option<T>) -> bool {
    let ok = value.is_some();
    *slot = value;
    ok
}

/// Puts a resolved clause in its place.
fn put<T>(slot: &mut T, value: T) -> bool {
    *slot = value;
    true
}

/// What the selector `sekretess till skydd för …` matches in a secrecy provision, read from
/// its syntax: the interests when every version states the same ones and none says
/// `samtycke häver inte`. An interest written wrongly is reported when the version is built.
fn selector_key(p: &ast::ProvisionDecl) -> Option<Interest> {
    if p.kind != ProvisionKindAst::Secrecy {
        return None;
    }
    let mut key: Option<Interest> = None;
    for v in &p.versions {
        let mut interest = None;
        for c in &v.clauses {
            match &c.kind {
                ClauseKind::ConsentExcluded => return None,
                ClauseKind::Interest(words) => {
                    let mut i = Interest::default();
                    for (w, _) in words {
                        match w {
                            ast::InterestWord::Individual => i.individual = true,
                            ast::InterestWord::Related => i.related = true,
                            ast::InterestWord::Public => i.public = true,
                        }
                    }
                    interest = Some(i);
                }
                _ => {}
            }
        }
        let interest = interest?;
        if key.is_some_and(|k| k != interest) {
            return None;
        }
        key = Some(interest);
    }
    key
}

fn clause_help(kind: ProvisionKind) -> String {
    match kind {
        ProvisionKind::Secrecy => "en sekretessbestämmelse har `skaderekvisit`, `skyddar`, `till skydd för` och ev. `gäller hos`, `gäller i`, `när`, `samtycke häver inte`, `tidsgräns` och `kontrollerad mot`".into(),
        ProvisionKind::Permission => "en sekretessbrytande bestämmelse har `lämnas av`, `till`, `på …`, `syfte`, `avser`, `bryter`, `undantar`, `prövning`, `när`, `bedömning`, `osäkert`, `medför` och `går före`".into(),
        ProvisionKind::Duty => "en uppgiftsskyldighet har `lämnas av`, `till`, `bryter sekretess genom`, och ev. `på …`, `syfte`, `avser`, `undantar`, `prövning`, `när`, `bedömning`, `osäkert`, `medför` och `går före`".into(),
        ProvisionKind::Bar => "ett förbud har `avser`, `när`, `lämnas av`, `till`, `syfte`, `osäkert`, `medför` och `går före`".into(),
        ProvisionKind::DataProtection => "en dataskyddsbestämmelse har `när` (vilka uppgifter den gäller), `tillåtet när`, `annars` och `medför`".into(),
        ProvisionKind::Plain => "en bestämmelse som bara hänvisas till har bara `förklaring` och `kontrollerad mot`".into(),
    }
}

/// The strongly connected components of a graph given as successor lists (Tarjan's
/// algorithm, iterative so no input can exhaust the stack). Each component lists its nodes.
fn strongly_connected(edges: &[Vec<usize>]) -> Vec<Vec<usize>> {
    const UNSEEN: usize = usize::MAX;
    let n = edges.len();
    let mut order = vec![UNSEEN; n];
    let mut low = vec![0usize; n];
    let mut on_stack = vec![false; n];
    let mut stack: Vec<usize> = Vec::new();
    let mut components = Vec::new();
    let mut next = 0usize;
    for root in 0..n {
        if order.get(root) != Some(&UNSEEN) {
            continue;
        }
        // (node, index of the next successor to look at)
        let mut work: Vec<(usize, usize)> = vec![(root, 0)];
        while let Some(&(node, i)) = work.last() {
            if i == 0 {
                if let Some(o) = order.get_mut(node) {
                    *o = next;
                }
                if let Some(l) = low.get_mut(node) {
                    *l = next;
                }
                next += 1;
                stack.push(node);
                if let Some(s) = on_stack.get_mut(node) {
                    *s = true;
                }
            }
            let succ = edges.get(node).and_then(|e| e.get(i)).copied();
            if let Some(top) = work.last_mut() {
                top.1 += 1;
            }
            match succ {
                Some(s) if order.get(s) == Some(&UNSEEN) => work.push((s, 0)),
                Some(s) => {
                    if on_stack.get(s) == Some(&true) {
                        let o = order.get(s).copied().unwrap_or(UNSEEN);
                        if let Some(l) = low.get_mut(node) {
                            *l = (*l).min(o);
                        }
                    }
                }
                None => {
                    work.pop();
                    let node_low = low.get(node).copied().unwrap_or(0);
                    if let Some(&(parent, _)) = work.last()
                        && let Some(l) = low.get_mut(parent)
                    {
                        *l = (*l).min(node_low);
                    }
                    if Some(&node_low) == order.get(node) {
                        let mut component = Vec::new();
                        while let Some(m) = stack.pop() {
                            if let Some(s) = on_stack.get_mut(m) {
                                *s = false;
                            }
                            component.push(m);
                            if m == node {
                                break;
                            }
                        }
                        components.push(component);
                    }
                }
            }
        }
    }
    components.sort_by_key(|c| c.iter().min().copied());
    components
}

/// A shortest path from `start` back to itself inside `component` (breadth first), as the
/// nodes from `start` on; just `[start]` for a loop.
fn shortest_cycle(edges: &[Vec<usize>], component: &[usize], start: usize) -> Vec<usize> {
    let inside: std::collections::HashSet<usize> = component.iter().copied().collect();
    let mut parent: std::collections::HashMap<usize, usize> = std::collections::HashMap::new();
    let mut queue = std::collections::VecDeque::from([start]);
    while let Some(node) = queue.pop_front() {
        for &s in edges.get(node).map(Vec::as_slice).unwrap_or(&[]) {
            if s == start {
                let mut path = vec![node];
                let mut at = node;
                while at != start {
                    match parent.get(&at) {
                        Some(&p) => {
                            path.push(p);
                            at = p;
                        }
                        None => break,
                    }
                }
                path.reverse();
                return path;
            }
            if inside.contains(&s) && !parent.contains_key(&s) {
                parent.insert(s, node);
                queue.push_back(s);
            }
        }
    }
    vec![start]
}
