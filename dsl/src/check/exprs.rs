//! Conditions (`när …`): paths bound to request data, values checked against types, and
//! the order of evaluation respected.
//!
//! The engine evaluates in strata: secrecy first, then rules, then outcomes, then
//! consequences. A condition may only read what its stratum already knows, so
//! `sekretess` is not readable in a secrecy provision's own scope, and `utfall` and
//! `grund` only in the conditions of obligations and notices.

use super::sets::ProvisionFilter;
use super::{Checker, Sym, normalize_text};
use crate::ast::{self, CmpOp, Reference, ValueLit};
use crate::diag::Diagnostic;
use crate::model::*;
use crate::span::Span;

/// Where a condition sits, which decides what it may read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Ctx {
    /// The scope of a secrecy provision: evaluated before secrecy is known.
    SecrecyScope,
    /// Rules, risk factors, data-protection conditions: after secrecy, before the outcome.
    Item,
    /// Obligations and notices: after the outcome.
    Consequence,
}

/// What a path in a condition refers to.
enum Subject {
    Sender,
    Recipient,
    Mode,
    Purpose,
    Category,
    Activity,
    Secrecy,
    IsSecret,
    IdentityNumber,
    NamedPerson,
    SameActor,
    Person(PersonAttr),
    Fact(FactId),
    Outcome,
    Basis,
    Balancing,
}

const MODE_VALUES: [(&str, Mode); 2] = [("på_begäran", Mode::OnRequest), ("eget_initiativ", Mode::OwnInitiative)];

/// The built-in person attribute a path names, if any.
pub(crate) fn person_attr(path: &ast::Path) -> Option<PersonAttr> {
    match path.dotted().as_str() {
        "person.ålder" => Some(PersonAttr::Age),
        "person.skydd" => Some(PersonAttr::Markers),
        "person.id_typ" => Some(PersonAttr::IdKind),
        "person.id_nivå" => Some(PersonAttr::IdLevel),
        "person.samtycke" => Some(PersonAttr::Consent),
        "person.samtycke_vårdnadshavare" => Some(PersonAttr::GuardianConsent),
        _ => None,
    }
}

/// The paths every condition may name, other than persons' attributes and facts.
fn builtin_subject(dotted: &str) -> Option<Subject> {
    Some(match dotted {
        "avsändare" => Subject::Sender,
        "mottagare" => Subject::Recipient,
        "sätt" => Subject::Mode,
        "syfte" => Subject::Purpose,
        "kategori" => Subject::Category,
        "verksamhet" => Subject::Activity,
        "sekretess" => Subject::Secrecy,
        "sekretessbelagd" => Subject::IsSecret,
        "identitetsnummer" => Subject::IdentityNumber,
        "namngiven_person" => Subject::NamedPerson,
        "samma_aktör" => Subject::SameActor,
        "utfall" => Subject::Outcome,
        "grund" => Subject::Basis,
        "prövning" => Subject::Balancing,
        _ => return None,
    })
}

/// `VÄG = NAMN` is read as `VÄG i { NAMN }`.
fn name_as_set(name: &ast::Ident) -> ast::SetExpr {
    ast::SetExpr {
        members: vec![Reference::Name(ast::Path {
            segments: vec![name.clone()],
            span: name.span,
        })],
        except: Vec::new(),
        span: name.span,
    }
}

impl<'s> Checker<'s> {
    /// Resolves a condition; reports every problem in it and returns `None` if there were any.
    pub(crate) fn expr(&mut self, e: &ast::Expr, ctx: Ctx) -> Option<ExprId> {
        let node = match e {
            ast::Expr::Or(parts, _) | ast::Expr::And(parts, _) => {
                let ids: Vec<Option<ExprId>> = parts.iter().map(|p| self.expr(p, ctx)).collect();
                let ids: Vec<ExprId> = ids.into_iter().collect::<Option<_>>()?;
                if matches!(e, ast::Expr::Or(..)) {
                    ExprNode::Or(ids)
                } else {
                    ExprNode::And(ids)
                }
            }
            ast::Expr::Not(inner, _) => ExprNode::Not(self.expr(inner, ctx)?),
            ast::Expr::Truth(path) => self.truth(path, ctx)?,
            ast::Expr::Present(path, _) => self.presence(path, ctx)?,
            ast::Expr::Compare(path, op, value, _) => self.compare(path, *op, value, ctx)?,
            ast::Expr::In(path, set, _) => self.membership(path, set, ctx)?,
        };
        Some(self.push_expr(node, e.span()))
    }

    fn push_expr(&mut self, node: ExprNode, span: Span) -> ExprId {
        let id = ExprId(u32::try_from(self.exprs.len()).unwrap_or(u32::MAX));
        self.exprs.push(Expr {
            node,
            text: normalize_text(self.sources.snippet(span)),
            span,
        });
        id
    }

    /// What a path in a condition names, when the condition's stratum may read it.
    fn subject(&mut self, path: &ast::Path, ctx: Ctx) -> Option<Subject> {
        let subject = match builtin_subject(&path.dotted()) {
            Some(s) => s,
            None => self.person_or_fact(path)?,
        };
        self.readable_here(path, &subject, ctx).then_some(subject)
    }

    /// A person attribute (`person.ålder`), or a declared fact: `person.NAMN` for a fact
    /// about a person, `NAMN` for one about the whole matter.
    fn person_or_fact(&mut self, path: &ast::Path) -> Option<Subject> {
        if let Some(attr) = person_attr(path) {
            if attr.asked() {
                self.person_reads.entry(attr).or_insert(path.span);
            }
            return Some(Subject::Person(attr));
        }
        let (is_person, name) = match path.segments.as_slice() {
            [head, name] if head.name == "person" => (true, name),
            [name] => (false, name),
            _ => {
                self.error(Diagnostic::error(
                    "okänd-sökväg",
                    path.span,
                    format!("`{}` är ingen uppgift som villkor kan läsa", path.dotted()),
                ));
                return None;
            }
        };
        match self.lookup(&name.name) {
            Some(Sym::Fact(f)) => self
                .fact_of_its_kind(path, name, f, is_person)
                .then_some(Subject::Fact(f)),
            Some(other) => {
                self.error(Diagnostic::error(
                    "fel-slag",
                    path.span,
                    format!(
                        "`{}` är {}, inte en uppgift som villkor kan läsa",
                        name.name,
                        other.describe()
                    ),
                ));
                None
            }
            None => {
                self.unknown(name, "ett faktum");
                None
            }
        }
    }

    /// A fact about a person is read as `person.NAMN`, one about the matter as `NAMN`.
    fn fact_of_its_kind(&mut self, path: &ast::Path, name: &ast::Ident, f: FactId, is_person: bool) -> bool {
        let about_person = self.facts.get(f.index()).is_some_and(|x| x.about_person);
        if about_person == is_person {
            return true;
        }
        let help = if about_person {
            format!("faktumet gäller en person; skriv `person.{}`", name.name)
        } else {
            format!("faktumet gäller hela ärendet; skriv `{}`", name.name)
        };
        self.error(
            Diagnostic::error(
                "fel-slag",
                path.span,
                format!("`{}` passar inte faktumets slag", path.dotted()),
            )
            .with_help(help),
        );
        false
    }

    /// The order of evaluation: secrecy is not known in a secrecy provision's own scope,
    /// the outcome, basis and balancing only in the conditions of consequences.
    fn readable_here(&mut self, path: &ast::Path, subject: &Subject, ctx: Ctx) -> bool {
        let allowed = match (subject, ctx) {
            (Subject::Outcome | Subject::Basis | Subject::Balancing, Ctx::Consequence) => true,
            (Subject::Outcome | Subject::Basis | Subject::Balancing, _) => false,
            (Subject::Secrecy | Subject::IsSecret, Ctx::SecrecyScope) => false,
            _ => true,
        };
        if !allowed {
            let why = match ctx {
                Ctx::SecrecyScope => {
                    "en sekretessbestämmelses villkor avgör om uppgiften är sekretessbelagd och kan därför inte läsa sekretessen"
                }
                _ => {
                    "utfallet, grunden och prövningen är kända först när beslutet är fattat; de kan bara läsas i villkor för skyldigheter och upplysningar"
                }
            };
            self.error(
                Diagnostic::error(
                    "fel-ordning",
                    path.span,
                    format!("`{}` kan inte läsas här", path.dotted()),
                )
                .with_help(why),
            );
        }
        allowed
    }

    fn truth(&mut self, path: &ast::Path, ctx: Ctx) -> Option<ExprNode> {
        let test = match self.subject(path, ctx)? {
            Subject::IdentityNumber => Test::CarriesIdentityNumber,
            Subject::NamedPerson => Test::ConcernsNamedPerson,
            Subject::SameActor => Test::SameActor,
            Subject::IsSecret => Test::IsSecret,
            Subject::Person(PersonAttr::Consent) => Test::Consent { guardian: false },
            Subject::Person(PersonAttr::GuardianConsent) => Test::Consent { guardian: true },
            Subject::Fact(f) if self.fact_type(f) == Some(FactType::YesNo) => Test::FactIs(f, true),
            _ => {
                self.error(
                    Diagnostic::error(
                        "fel-typ",
                        path.span,
                        format!("`{}` är inte ett ja/nej-villkor", path.dotted()),
                    )
                    .with_help("jämför med ett värde, t.ex. `person.ålder < 21` eller `syfte i { … }`"),
                );
                return None;
            }
        };
        Some(ExprNode::Test(test))
    }

    fn presence(&mut self, path: &ast::Path, ctx: Ctx) -> Option<ExprNode> {
        let test = match self.subject(path, ctx)? {
            Subject::Person(PersonAttr::Markers) => Test::AnyMarker,
            Subject::Secrecy | Subject::IsSecret => Test::IsSecret,
            Subject::Fact(f) => Test::FactPresent(f),
            Subject::Balancing => Test::BalancingIn(None),
            _ => {
                self.error(Diagnostic::error(
                    "fel-typ",
                    path.span,
                    format!("`{} finns` kan inte prövas", path.dotted()),
                ));
                return None;
            }
        };
        Some(ExprNode::Test(test))
    }

    fn fact_type(&self, f: FactId) -> Option<FactType> {
        self.facts.get(f.index()).map(|x| x.ty.clone())
    }

    /// `VÄG = värde`, `VÄG ≠ värde`, and for numbers `<`, `≤`, `>`, `≥`.
    fn compare(&mut self, path: &ast::Path, op: CmpOp, value: &ValueLit, ctx: Ctx) -> Option<ExprNode> {
        let subject = self.subject(path, ctx)?;
        if let Some(test) = self.numeric_compare(&subject, op, value) {
            return Some(ExprNode::Test(test));
        }
        if !matches!(op, CmpOp::Eq | CmpOp::Ne) {
            self.error(Diagnostic::error(
                "fel-typ",
                value.span(),
                format!(
                    "`{}` kan bara jämföras med `=` eller `≠` mot detta värde",
                    path.dotted()
                ),
            ));
            return None;
        }
        let negate = op == CmpOp::Ne;
        match (&subject, value) {
            (Subject::Person(attr @ (PersonAttr::Consent | PersonAttr::GuardianConsent)), ValueLit::Bool(b, vspan)) => {
                let node = ExprNode::Test(Test::Consent {
                    guardian: *attr == PersonAttr::GuardianConsent,
                });
                Some(self.negated(node, *b != (op == CmpOp::Eq), *vspan))
            }
            (Subject::Fact(f), ValueLit::Bool(b, _)) if self.fact_type(*f) == Some(FactType::YesNo) => {
                let node = ExprNode::Test(Test::FactIs(*f, *b));
                Some(self.negated(node, negate, value.span()))
            }
            (_, ValueLit::Name(name)) => {
                let test = self.membership_test(path, subject, &name_as_set(name))?;
                Some(self.negated(ExprNode::Test(test), negate, value.span()))
            }
            _ => {
                self.report_mismatch(path, &subject, value);
                None
            }
        }
    }

    /// A number compared with the age or with a fact of type number.
    fn numeric_compare(&self, subject: &Subject, op: CmpOp, value: &ValueLit) -> Option<Test> {
        match (subject, value) {
            (Subject::Person(PersonAttr::Age), ValueLit::Number(n, _)) => Some(Test::AgeCompare(op, *n)),
            (Subject::Fact(f), ValueLit::Number(n, _)) if self.fact_type(*f) == Some(FactType::Number) => {
                Some(Test::FactCompare(*f, op, *n))
            }
            _ => None,
        }
    }

    /// `node`, or `inte node` (the test then gets its own place in the table of conditions).
    fn negated(&mut self, node: ExprNode, negate: bool, span: Span) -> ExprNode {
        if negate {
            ExprNode::Not(self.push_expr(node, span))
        } else {
            node
        }
    }

    /// A value of the wrong type: the error says which type was expected.
    fn report_mismatch(&mut self, path: &ast::Path, subject: &Subject, value: &ValueLit) {
        let expected = match subject {
            Subject::Fact(f) => match self.fact_type(*f) {
                Some(FactType::YesNo) => "`ja` eller `nej`".to_string(),
                Some(FactType::Number) => "ett tal".to_string(),
                Some(FactType::Choice(v)) => format!("ett av värdena {}", v.join(", ")),
                None => "ett annat värde".to_string(),
            },
            Subject::Person(PersonAttr::Age) => "ett tal".to_string(),
            Subject::Person(PersonAttr::Consent | PersonAttr::GuardianConsent) => "`ja` eller `nej`".to_string(),
            _ => "ett namn".to_string(),
        };
        self.error(
            Diagnostic::error(
                "fel-typ",
                value.span(),
                format!(
                    "`{}` kan inte jämföras med `{}`",
                    path.dotted(),
                    self.sources.snippet(value.span())
                ),
            )
            .with_label(format!("här förväntas {expected}")),
        );
    }

    fn membership(&mut self, path: &ast::Path, set: &ast::SetExpr, ctx: Ctx) -> Option<ExprNode> {
        let subject = self.subject(path, ctx)?;
        self.membership_test(path, subject, set).map(ExprNode::Test)
    }

    /// `VÄG i { … }`: the set must hold what the path reads.
    fn membership_test(&mut self, path: &ast::Path, subject: Subject, set: &ast::SetExpr) -> Option<Test> {
        Some(match subject {
            Subject::Sender => Test::SenderIn(self.actor_set(set)?),
            Subject::Recipient => Test::RecipientIn(self.actor_set(set)?),
            Subject::Purpose => Test::PurposeIn(self.purpose_set(set)?),
            Subject::Category => Test::CategoryIn(self.category_set(set)?),
            Subject::Activity => Test::ActivityIn(self.activity_set(set)?),
            Subject::Secrecy => Test::SecrecyIn(self.provision_list(set, ProvisionFilter::Secrecy)?),
            Subject::Basis => Test::BasisIncludes(self.provision_list(set, ProvisionFilter::Any)?),
            Subject::Person(PersonAttr::Markers) => Test::MarkerIn(self.marker_list(set)?),
            Subject::Mode => self.mode_test(set)?,
            Subject::Person(PersonAttr::IdKind) => {
                Test::IdKindIn(self.closed_values(set, IdKind::ALL, IdKind::name, "person.id_typ")?)
            }
            Subject::Person(PersonAttr::IdLevel) => {
                Test::IdLevelIn(self.closed_values(set, IdLevel::ALL, IdLevel::name, "person.id_nivå")?)
            }
            Subject::Balancing => Test::BalancingIn(Some(self.balancing_list(set)?)),
            Subject::Outcome => {
                Test::OutcomeIn(self.closed_values(set, Outcome::ALL, Outcome::ruleset_name, "utfall")?)
            }
            Subject::Fact(f) => self.choice_test(path, f, set)?,
            Subject::Person(PersonAttr::Age | PersonAttr::Consent | PersonAttr::GuardianConsent)
            | Subject::IdentityNumber
            | Subject::NamedPerson
            | Subject::SameActor
            | Subject::IsSecret => {
                self.error(Diagnostic::error(
                    "fel-typ",
                    path.span,
                    format!("`{}` kan inte prövas mot en mängd", path.dotted()),
                ));
                return None;
            }
        })
    }

    /// The values of a closed list (`person.id_typ`, `utfall`, `sätt`) a set names.
    fn closed_values<T: Copy, const N: usize>(
        &mut self,
        set: &ast::SetExpr,
        all: [T; N],
        name: fn(T) -> &'static str,
        what: &str,
    ) -> Option<Vec<T>> {
        let names: Vec<&str> = all.iter().map(|v| name(*v)).collect();
        let idx = self.enum_values(set, &names, what)?;
        Some(idx.iter().filter_map(|i| all.get(*i).copied()).collect())
    }

    /// `sätt i { … }`: one mode (both would always hold, which hides a mistake).
    fn mode_test(&mut self, set: &ast::SetExpr) -> Option<Test> {
        let modes = self.closed_values(set, MODE_VALUES, |(n, _)| n, "sätt")?;
        match modes.as_slice() {
            [(_, one)] => Some(Test::ModeIs(*one)),
            _ => {
                self.error(Diagnostic::error(
                    "onödigt-villkor",
                    set.span,
                    "villkoret på `sätt` omfattar alla sätt och säger inget",
                ));
                None
            }
        }
    }

    /// `prövning i { … }`: declared balancing tests, by plain name.
    fn balancing_list(&mut self, set: &ast::SetExpr) -> Option<Vec<BalancingId>> {
        self.plain_values(set, "prövning")?;
        let mut ids = Vec::new();
        for m in &set.members {
            match m {
                Reference::Name(p) if p.segments.len() == 1 => match self.lookup(&p.dotted()) {
                    Some(Sym::Balancing(b)) => ids.push(b),
                    Some(other) => {
                        self.error(Diagnostic::error(
                            "fel-slag",
                            p.span,
                            format!(
                                "`{}` är {}, men här förväntas en prövning",
                                p.dotted(),
                                other.describe()
                            ),
                        ));
                        return None;
                    }
                    None => {
                        if let Some(id) = p.segments.first() {
                            self.unknown(id, "en prövning");
                        }
                        return None;
                    }
                },
                other => {
                    self.error(Diagnostic::error("fel-slag", other.span(), "här förväntas en prövning"));
                    return None;
                }
            }
        }
        Some(ids)
    }

    /// `FAKTUM i { … }`: values of a fact of type choice.
    fn choice_test(&mut self, path: &ast::Path, f: FactId, set: &ast::SetExpr) -> Option<Test> {
        match self.fact_type(f) {
            Some(FactType::Choice(values)) => {
                let names: Vec<&str> = values.iter().map(String::as_str).collect();
                let idx = self.enum_values(set, &names, &path.dotted())?;
                Some(Test::FactIn(
                    f,
                    idx.iter().filter_map(|i| u32::try_from(*i).ok()).collect(),
                ))
            }
            _ => {
                self.error(Diagnostic::error(
                    "fel-typ",
                    path.span,
                    format!("`{}` är inte ett val; `i {{ … }}` passar inte", path.dotted()),
                ));
                None
            }
        }
    }

    /// A set of plain values (`utfall`, a choice, `prövning`…) lists them: it takes no
    /// `utom`, and an empty one would never hold.
    fn plain_values(&mut self, set: &ast::SetExpr, what: &str) -> Option<()> {
        if let Some(first) = set.except.first() {
            self.error(
                Diagnostic::error(
                    "utom-ej-här",
                    first.span(),
                    format!("`utom` kan inte användas för `{what}`"),
                )
                .with_help("räkna upp de värden som avses"),
            );
            return None;
        }
        if set.members.is_empty() {
            self.error(Diagnostic::error("tom-mängd", set.span, "mängden är tom").with_help("ange minst ett värde"));
            return None;
        }
        Some(())
    }

    /// Indices of the listed values among the allowed names.
    fn enum_values(&mut self, set: &ast::SetExpr, allowed: &[&str], what: &str) -> Option<Vec<usize>> {
        self.plain_values(set, what)?;
        let mut out = Vec::new();
        let mut ok = true;
        for m in &set.members {
            let name = match m {
                Reference::Name(p) if p.segments.len() == 1 => p.dotted(),
                _ => String::new(),
            };
            match allowed.iter().position(|a| *a == name) {
                Some(i) => out.push(i),
                None => {
                    ok = false;
                    let list: Vec<String> = allowed.iter().map(|a| format!("`{a}`")).collect();
                    self.error(
                        Diagnostic::error(
                            "ogiltigt-värde",
                            m.span(),
                            format!("`{}` är inget värde för `{what}`", self.sources.snippet(m.span())),
                        )
                        .with_help(format!("möjliga värden: {}", list.join(", "))),
                    );
                }
            }
        }
        ok.then_some(out)
    }
}
