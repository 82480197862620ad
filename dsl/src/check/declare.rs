//! The first pass: every declaration gets its index, so that references may point forward
//! and across files. One function per kind of declaration; what refers to other
//! declarations is resolved in the second pass (`build`).

use super::{Checker, Sym, empty_actor_set, texts};
use crate::ast::{self, Decl};
use crate::date::Date;
use crate::diag::Diagnostic;
use crate::model::*;

/// An index into one of the model's tables (saturating: more than `u32::MAX` declarations
/// of one kind cannot be written).
fn idx(n: usize) -> u32 {
    u32::try_from(n).unwrap_or(u32::MAX)
}

impl<'s> Checker<'s> {
    /// First pass: give every declaration its index, so that references may point forward
    /// and across files.
    pub(super) fn declare(&mut self, decls: &[&'s Decl]) {
        for d in decls {
            match d {
                Decl::Ruleset(_) | Decl::Question(_) | Decl::Coverage(_) | Decl::Provision(_) => {}
                Decl::Law(l) => self.declare_law(l),
                Decl::Actor(a) => self.declare_actor(a),
                Decl::Group(g) => self.declare_group(g),
                Decl::Purpose(p) => self.declare_purpose(p),
                Decl::Category(c) => self.declare_category(c),
                Decl::Activity(a) => self.declare_activity(a),
                Decl::Marker(m) => self.declare_marker(m),
                Decl::Fact(f) => self.declare_fact(f),
                Decl::Crime(b) => self.declare_crime(b),
                Decl::Balancing(b) => self.declare_balancing(b),
                Decl::RiskFactor(r) => self.declare_risk(r),
                Decl::Consequence(c) => self.declare_consequence(c),
                Decl::PreAssessment(p) => self.declare_preassessment(p),
            }
        }
    }

    /// A law (`lag`): its title, SFS number, short name and link.
    fn declare_law(&mut self, l: &ast::LawDecl) {
        let id = LawId(idx(self.laws.len()));
        if self.bind(&l.id, Sym::Law(id)) {
            self.laws.push(Law {
                id: l.id.name.clone(),
                title: l.title.value.clone(),
                sfs: l.sfs.as_ref().map(|s| s.0.clone()),
                short_name: l
                    .short_name
                    .as_ref()
                    .map(|s| s.value.clone())
                    .unwrap_or_else(|| l.id.name.clone()),
                link: l.link.as_ref().map(|s| s.value.clone()),
                explanation: texts(&l.explanation),
            });
        }
    }

    /// An actor (`aktör`) and its units, each unit name once per actor.
    fn declare_actor(&mut self, a: &ast::ActorDecl) {
        let id = ActorId(idx(self.actors.len()));
        if self.bind(&a.id, Sym::Actor(id)) {
            let mut unit_ids = Vec::new();
            for unit in &a.units {
                let u = &unit.id;
                if let Some(dup) = a.units.iter().find(|o| o.id.name == u.name && o.id.span != u.span)
                    && dup.id.span.start < u.span.start
                {
                    self.error(
                        Diagnostic::error(
                            "dubblett",
                            u.span,
                            format!("enheten `{}` finns redan hos `{}`", u.name, a.id.name),
                        )
                        .with_related(dup.id.span, "första deklarationen"),
                    );
                    continue;
                }
                let uid = UnitId(idx(self.units.len()));
                self.units.push(Unit {
                    actor: id,
                    id: u.name.clone(),
                    label: unit.label.value.clone(),
                    activities: None,
                });
                unit_ids.push(uid);
            }
            self.actors.push(Actor {
                id: a.id.name.clone(),
                name: a.name.value.clone(),
                units: unit_ids,
                activities: None,
                explanation: texts(&a.explanation),
            });
        }
    }

    /// A named set (`grupp`); its content is resolved on use.
    fn declare_group(&mut self, g: &'s ast::GroupDecl) {
        let id = self.groups.len();
        if self.bind(&g.id, Sym::Group(id)) {
            self.groups.push(g);
        }
    }

    /// A purpose (`ändamål`).
    fn declare_purpose(&mut self, p: &ast::PurposeDecl) {
        let id = PurposeId(idx(self.purposes.len()));
        if self.bind(&p.id, Sym::Purpose(id)) {
            self.purposes.push(Purpose {
                id: p.id.name.clone(),
                label: p.label.value.clone(),
                explanation: texts(&p.explanation),
            });
        }
    }

    /// A category of data (`kategori`); its parent is bound in the second pass.
    fn declare_category(&mut self, c: &ast::CategoryDecl) {
        let id = CategoryId(idx(self.categories.len()));
        if self.bind(&c.id, Sym::Category(id)) {
            self.categories.push(Category {
                id: c.id.name.clone(),
                label: c.label.value.clone(),
                parent: None,
                ancestry: vec![id],
                explanation: texts(&c.explanation),
            });
        }
    }

    /// An activity (`verksamhet`); its parent is bound in the second pass.
    fn declare_activity(&mut self, a: &ast::ActivityDecl) {
        let id = ActivityId(idx(self.activities.len()));
        if self.bind(&a.id, Sym::Activity(id)) {
            self.activities.push(Activity {
                id: a.id.name.clone(),
                label: a.label.value.clone(),
                parent: None,
                ancestry: vec![id],
                explanation: texts(&a.explanation),
            });
        }
    }

    /// A protection marker (`skydd`): a term code and `registreras inte` exclude each other.
    fn declare_marker(&mut self, m: &ast::MarkerDecl) {
        let id = MarkerId(idx(self.markers.len()));
        if let (true, Some(code)) = (m.unregistered, &m.term_code) {
            self.error(
                Diagnostic::error(
                    "motsägelse",
                    code.span,
                    format!(
                        "skyddet `{}` har en termkod men `registreras inte`; det kan inte vara båda",
                        m.id.name
                    ),
                )
                .with_help("ta bort termkoden eller `registreras inte`"),
            );
        }
        if self.bind(&m.id, Sym::Marker(id)) {
            self.markers.push(Marker {
                id: m.id.name.clone(),
                label: m.label.value.clone(),
                from: None,
                to: None,
                replaces: None,
                replaced_by: None,
                term_code: m.term_code.as_ref().map(|t| t.value.clone()),
                unregistered: m.unregistered,
                explanation: texts(&m.explanation),
            });
        }
    }

    /// A fact (`faktum`): its type and the question asked when it is missing.
    fn declare_fact(&mut self, f: &ast::FactDecl) {
        let id = FactId(idx(self.facts.len()));
        if self.bind(&f.id, Sym::Fact(id)) {
            let ty = match &f.ty {
                ast::FactTypeAst::YesNo => FactType::YesNo,
                ast::FactTypeAst::Number => FactType::Number,
                ast::FactTypeAst::Choice(set) => FactType::Choice(self.choice_values(set)),
            };
            let question = match &f.question {
                Some(q) => q.value.clone(),
                None => {
                    self.error(
                        Diagnostic::error(
                            "fråga-saknas",
                            f.id.span,
                            format!("faktumet `{}` saknar `fråga`", f.id.name),
                        )
                        .with_help(
                            "skriv den fråga som ställs när uppgiften saknas, t.ex. `fråga \"Vilket är brottets lägsta straff?\"`",
                        ),
                    );
                    String::new()
                }
            };
            self.facts.push(Fact {
                id: f.id.name.clone(),
                label: f.label.value.clone(),
                about_person: f.about_person,
                ty,
                question,
                from_crime: f.from_crime,
                explanation: texts(&f.explanation),
            });
        }
    }

    /// A balancing test (`prövning`) and the direction of its presumption.
    fn declare_balancing(&mut self, b: &ast::BalancingDecl) {
        let id = BalancingId(idx(self.balancing.len()));
        if self.bind(&b.id, Sym::Balancing(id)) {
            let presumption = match b.presumption {
                Some((ast::Direction::ForDisclosure, _)) => Presumption::ForDisclosure,
                Some((ast::Direction::AgainstDisclosure, _)) => Presumption::AgainstDisclosure,
                None => {
                    self.error(
                        Diagnostic::error(
                            "presumtion-saknas",
                            b.id.span,
                            format!("prövningen `{}` saknar riktning", b.id.name),
                        )
                        .with_help(
                            "skriv `presumtion för utlämnande` (t.ex. \"övervägande skäl\") eller `presumtion mot utlämnande` (t.ex. \"uppenbart\")",
                        ),
                    );
                    Presumption::AgainstDisclosure
                }
            };
            self.balancing.push(Balancing {
                id: b.id.name.clone(),
                label: b.label.value.clone(),
                presumption,
                explanation: texts(&b.explanation),
            });
        }
    }

    /// A risk factor; its condition is checked in the second pass.
    fn declare_risk(&mut self, r: &ast::RiskFactorDecl) {
        let id = RiskId(idx(self.risks.len()));
        if self.bind(&r.id, Sym::Risk(id)) {
            self.risks.push(RiskFactor {
                id: r.id.name.clone(),
                label: r.label.value.clone(),
                when: ExprId(u32::MAX),
                explanation: texts(&r.explanation),
            });
        }
    }

    /// An obligation or notice; its basis and condition are checked in the second pass.
    fn declare_consequence(&mut self, c: &ast::ConsequenceDecl) {
        let id = ConsequenceId(idx(self.consequences.len()));
        if self.bind(&c.id, Sym::Consequence(id)) {
            self.consequences.push(Consequence {
                kind: match c.kind {
                    ast::ConsequenceKind::Obligation => ConsequenceKind::Obligation,
                    ast::ConsequenceKind::Notice => ConsequenceKind::Notice,
                },
                id: c.id.name.clone(),
                text: c.text.value.clone(),
                basis: None,
                when: None,
                explanation: texts(&c.explanation),
            });
        }
    }

    /// A pre-assessment (`förhandsbedömning`): a placeholder now, filled in by `build`.
    fn declare_preassessment(&mut self, p: &ast::PreAssessmentDecl) {
        let id = PreId(idx(self.preassessments.len()));
        // Filled in by `build`; the placeholder keeps indices stable.
        if self.bind(&p.id, Sym::Pre(id)) {
            self.preassessments.push(PreAssessment {
                id: p.id.name.clone(),
                title: p.title.value.clone(),
                provision: ProvisionId(u32::MAX),
                senders: empty_actor_set(),
                recipients: empty_actor_set(),
                categories: CategorySet {
                    members: Vec::new(),
                    label: None,
                },
                purposes: PurposeSet {
                    members: Vec::new(),
                    label: None,
                },
                dnr: String::new(),
                from: Date::MIN,
                to: None,
                result: PreResult::MayNot,
                explanation: texts(&p.explanation),
            });
        }
    }
    /// A crime (`brott`): unique id, a citation and a penalty scale with its lowest at most
    /// its highest.
    fn declare_crime(&mut self, b: &ast::CrimeDecl) {
        if self.crimes.iter().any(|c| c.id == b.id.name) {
            self.error(Diagnostic::error(
                "dubblett",
                b.id.span,
                format!("brottet `{}` är redan deklarerat", b.id.name),
            ));
            return;
        }
        let Some(citation) = &b.citation else {
            self.error(
                Diagnostic::error(
                    "lagrum-saknas",
                    b.id.span,
                    format!("brottet `{}` saknar `lagrum`", b.id.name),
                )
                .with_help("ange var straffskalan står, t.ex. `lagrum \"BrB 3 kap. 6 § 1 st.\"`"),
            );
            return;
        };
        let Some((min, max)) = b.scale else {
            self.error(
                Diagnostic::error(
                    "straffskala-saknas",
                    b.id.span,
                    format!("brottet `{}` saknar `straffskala`", b.id.name),
                )
                .with_help("ange straffskalan i månader, t.ex. `straffskala 18 till 72 månader`"),
            );
            return;
        };
        if min > max {
            self.error(Diagnostic::error(
                "straffskala-ogiltig",
                b.span,
                format!(
                    "brottet `{}`: lägsta straff ({min}) är högre än högsta ({max})",
                    b.id.name
                ),
            ));
            return;
        }
        self.crimes.push(Crime {
            id: b.id.name.clone(),
            label: b.label.value.clone(),
            citation: citation.value.clone(),
            min_months: min,
            max_months: max,
            explanation: texts(&b.explanation),
        });
    }
}
