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

    fn subject(&mut self, path: &ast::Path, ctx: Ctx) -> Option<Subject> {
        let dotted = path.dotted();
        let subject = match dotted.as_str() {
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
            _ => {
                if let Some(attr) = person_attr(path) {
                    if attr.asked() {
                        self.person_reads.entry(attr).or_insert(path.span);
                    }
                    Subject::Person(attr)
                } else {
                    let (is_person, name) = match path.segments.as_slice() {
                        [head, name] if head.name == "person" => (true, name),
                        [name] => (false, name),
                        _ => {
                            self.error(Diagnostic::error(
                                "okänd-sökväg",
                                path.span,
                                format!("`{dotted}` är ingen uppgift som villkor kan läsa"),
                            ));
                            return None;
                        }
                    };
                    match self.lookup(&name.name) {
                        Some(Sym::Fact(f)) => {
                            let about_person = self.facts.get(f.index()).is_some_and(|x| x.about_person);
                            if about_person != is_person {
                                let help = if about_person {
                                    format!("faktumet gäller en person; skriv `person.{}`", name.name)
                                } else {
                                    format!("faktumet gäller hela ärendet; skriv `{}`", name.name)
                                };
                                self.error(
                                    Diagnostic::error(
                                        "fel-slag",
                                        path.span,
                                        format!("`{dotted}` passar inte faktumets slag"),
                                    )
                                    .with_help(help),
                                );
                                return None;
                            }
                            Subject::Fact(f)
                        }
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
                            return None;
                        }
                        None => {
                            self.unknown(name, "ett faktum");
                            return None;
                        }
                    }
                }
            }
        };
        let allowed = match (&subject, ctx) {
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
                Diagnostic::error("fel-ordning", path.span, format!("`{dotted}` kan inte läsas här")).with_help(why),
            );
            return None;
        }
        Some(subject)
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

    fn compare(&mut self, path: &ast::Path, op: CmpOp, value: &ValueLit, ctx: Ctx) -> Option<ExprNode> {
        let subject = self.subject(path, ctx)?;
        // Numeric comparisons first.
        match (&subject, value) {
            (Subject::Person(PersonAttr::Age), ValueLit::Number(n, _)) => {
                return Some(ExprNode::Test(Test::AgeCompare(op, *n)));
            }
            (Subject::Fact(f), ValueLit::Number(n, _)) if self.fact_type(*f) == Some(FactType::Number) => {
                return Some(ExprNode::Test(Test::FactCompare(*f, op, *n)));
            }
            _ => {}
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
        if let (Subject::Person(attr @ (PersonAttr::Consent | PersonAttr::GuardianConsent)), ValueLit::Bool(b, vspan)) =
            (&subject, value)
        {
            let node = ExprNode::Test(Test::Consent {
                guardian: *attr == PersonAttr::GuardianConsent,
            });
            return Some(if *b == (op == CmpOp::Eq) {
                node
            } else {
                ExprNode::Not(self.push_expr(node, *vspan))
            });
        }
        let test = match (&subject, value) {
            (Subject::Fact(f), ValueLit::Bool(b, _)) if self.fact_type(*f) == Some(FactType::YesNo) => {
                Test::FactIs(*f, *b)
            }
            (_, ValueLit::Name(name)) => {
                let set = ast::SetExpr {
                    members: vec![Reference::Name(ast::Path {
                        segments: vec![name.clone()],
                        span: name.span,
                    })],
                    except: Vec::new(),
                    span: name.span,
                };
                return self.membership_test(path, subject, &set).map(|t| {
                    let node = ExprNode::Test(t);
                    if op == CmpOp::Ne {
                        let inner = self.push_expr(node, value.span());
                        ExprNode::Not(inner)
                    } else {
                        node
                    }
                });
            }
            _ => {
                let expected = match &subject {
                    Subject::Fact(f) => match self.fact_type(*f) {
                        Some(FactType::YesNo) => "`ja` eller `nej`".to_string(),
                        Some(FactType::Number) => "ett tal".to_string(),
                        Some(FactType::Choice(v)) => format!("ett av värdena {}", v.join(", ")),
                        None => "ett annat värde".to_string(),
                    },
                    Subject::Person(PersonAttr::Age) => "ett tal".to_string(),
                    Subject::Person(PersonAttr::Consent | PersonAttr::GuardianConsent) => {
                        "`ja` eller `nej`".to_string()
                    }
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
                return None;
            }
        };
        let node = ExprNode::Test(test);
        Some(if op == CmpOp::Ne {
            let inner = self.push_expr(node, value.span());
            ExprNode::Not(inner)
        } else {
            node
        })
    }

    fn membership(&mut self, path: &ast::Path, set: &ast::SetExpr, ctx: Ctx) -> Option<ExprNode> {
        let subject = self.subject(path, ctx)?;
        self.membership_test(path, subject, set).map(ExprNode::Test)
    }

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
            Subject::Mode => {
                let names: Vec<&str> = MODE_VALUES.iter().map(|(n, _)| *n).collect();
                let idx = self.enum_values(set, &names, "sätt")?;
                let modes: Vec<Mode> = idx.iter().filter_map(|i| MODE_VALUES.get(*i).map(|m| m.1)).collect();
                match modes.as_slice() {
                    [one] => Test::ModeIs(*one),
                    _ => {
                        // Both modes: always true for a valid request, written as a test
                        // that always holds would hide a mistake; say so.
                        self.error(Diagnostic::error(
                            "onödigt-villkor",
                            set.span,
                            "villkoret på `sätt` omfattar alla sätt och säger inget",
                        ));
                        return None;
                    }
                }
            }
            Subject::Person(PersonAttr::IdKind) => {
                let names: Vec<&str> = IdKind::ALL.iter().map(|k| k.name()).collect();
                let idx = self.enum_values(set, &names, "person.id_typ")?;
                Test::IdKindIn(idx.iter().filter_map(|i| IdKind::ALL.get(*i).copied()).collect())
            }
            Subject::Person(PersonAttr::IdLevel) => {
                let names: Vec<&str> = IdLevel::ALL.iter().map(|k| k.name()).collect();
                let idx = self.enum_values(set, &names, "person.id_nivå")?;
                Test::IdLevelIn(idx.iter().filter_map(|i| IdLevel::ALL.get(*i).copied()).collect())
            }
            Subject::Balancing => {
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
                Test::BalancingIn(Some(ids))
            }
            Subject::Outcome => {
                let names: Vec<&str> = Outcome::ALL.iter().map(|o| o.ruleset_name()).collect();
                let idx = self.enum_values(set, &names, "utfall")?;
                Test::OutcomeIn(idx.iter().filter_map(|i| Outcome::ALL.get(*i).copied()).collect())
            }
            Subject::Fact(f) => match self.fact_type(f) {
                Some(FactType::Choice(values)) => {
                    let names: Vec<&str> = values.iter().map(String::as_str).collect();
                    let idx = self.enum_values(set, &names, &path.dotted())?;
                    Test::FactIn(f, idx.iter().filter_map(|i| u32::try_from(*i).ok()).collect())
                }
                _ => {
                    self.error(Diagnostic::error(
                        "fel-typ",
                        path.span,
                        format!("`{}` är inte ett val; `i {{ … }}` passar inte", path.dotted()),
                    ));
                    return None;
                }
            },
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
