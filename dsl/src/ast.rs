//! The spanned syntax tree of a ruleset file, as written.
//!
//! Names are not resolved here and nothing is checked beyond the grammar: a clause may sit
//! in the wrong kind of provision, a date may be 2025-02-30, a name may be undefined. The
//! checker (`check`) turns files into a [`crate::model::Model`] and reports all of that.

use crate::span::Span;

/// A name as written, with its place.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Ident {
    pub name: String,
    pub span: Span,
}

/// A string literal with escapes resolved.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Text {
    pub value: String,
    pub span: Span,
}

/// A date token as written (`2025-12-01`); validated by the checker.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct DateLit {
    pub raw: String,
    pub span: Span,
}

/// One parsed file.
#[derive(Debug, Clone, Default)]
pub struct File {
    pub decls: Vec<Decl>,
}

#[derive(Debug, Clone)]
pub enum Decl {
    Ruleset(RulesetDecl),
    Law(LawDecl),
    Actor(ActorDecl),
    Group(GroupDecl),
    Purpose(PurposeDecl),
    Category(CategoryDecl),
    Activity(ActivityDecl),
    Coverage(CoverageDecl),
    Marker(MarkerDecl),
    Fact(FactDecl),
    Crime(CrimeDecl),
    Question(QuestionDecl),
    Balancing(BalancingDecl),
    RiskFactor(RiskFactorDecl),
    Consequence(ConsequenceDecl),
    Provision(Box<ProvisionDecl>),
    PreAssessment(Box<PreAssessmentDecl>),
}

#[derive(Debug, Clone)]
pub struct RulesetDecl {
    pub name: Text,
    pub version: Option<Text>,
    pub covers_from: Option<DateLit>,
    /// `känt till`: the last day of the law the ruleset knows (amendments announced up to
    /// then are encoded); a decision dated after it says so.
    pub known_until: Option<DateLit>,
    pub explanation: Vec<Text>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct LawDecl {
    pub id: Ident,
    pub title: Text,
    pub sfs: Option<(String, Span)>,
    pub short_name: Option<Text>,
    pub link: Option<Text>,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone)]
pub struct ActorDecl {
    pub id: Ident,
    pub name: Text,
    pub units: Vec<UnitDecl>,
    /// `verksamhet { … }`: the activities the actor carries on.
    pub activities: Option<SetExpr>,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone)]
pub struct UnitDecl {
    pub id: Ident,
    pub label: Text,
    /// `enhet x "…" { verksamhet { … } }`
    pub activities: Option<SetExpr>,
}

#[derive(Debug, Clone)]
pub struct GroupDecl {
    pub id: Ident,
    pub label: Text,
    pub members: SetExpr,
}

#[derive(Debug, Clone)]
pub struct PurposeDecl {
    pub id: Ident,
    pub label: Text,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone)]
pub struct CategoryDecl {
    pub id: Ident,
    pub label: Text,
    pub parent: Option<Ident>,
    pub explanation: Vec<Text>,
}

/// `verksamhet hälso_och_sjukvård "hälso- och sjukvård" under … { förklaring "…" }`
#[derive(Debug, Clone)]
pub struct ActivityDecl {
    pub id: Ident,
    pub label: Text,
    pub parent: Option<Ident>,
    pub explanation: Vec<Text>,
}

/// `täckning id "…" { i { … } hos { … } avser { … } sekretess { … } }`
#[derive(Debug, Clone)]
pub struct CoverageDecl {
    pub id: Ident,
    pub label: Text,
    pub activities: Option<SetExpr>,
    pub actors: Option<SetExpr>,
    pub categories: Option<SetExpr>,
    pub secrecy: Option<SetExpr>,
    pub explanation: Vec<Text>,
    pub span: Span,
}

/// One word of `till skydd för …`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum InterestWord {
    /// `enskild`
    Individual,
    /// `närstående`
    Related,
    /// `allmänt intresse`
    Public,
}

#[derive(Debug, Clone)]
pub struct MarkerDecl {
    pub id: Ident,
    pub label: Text,
    pub from: Option<DateLit>,
    pub to: Option<DateLit>,
    pub replaces: Option<Ident>,
    pub term_code: Option<Text>,
    /// `registreras inte`: never shown in the population register.
    pub unregistered: bool,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone)]
pub enum FactTypeAst {
    YesNo,
    Number,
    Choice(SetExpr),
}

#[derive(Debug, Clone)]
pub struct FactDecl {
    pub id: Ident,
    pub label: Text,
    pub about_person: bool,
    pub ty: FactTypeAst,
    pub question: Option<Text>,
    /// `straffskala lägst`: answered by picking a crime (its lowest penalty, in months).
    pub from_crime: bool,
    pub explanation: Vec<Text>,
    pub span: Span,
}

/// `brott`: a crime, where it is, and its penalty scale in months.
#[derive(Debug, Clone)]
pub struct CrimeDecl {
    pub id: Ident,
    pub label: Text,
    pub citation: Option<Text>,
    /// Lowest and highest penalty, in months of imprisonment (0: from fines).
    pub scale: Option<(u32, u32)>,
    pub explanation: Vec<Text>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct QuestionDecl {
    pub path: Path,
    pub text: Text,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Direction {
    ForDisclosure,
    AgainstDisclosure,
}

#[derive(Debug, Clone)]
pub struct BalancingDecl {
    pub id: Ident,
    pub label: Text,
    pub presumption: Option<(Direction, Span)>,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone)]
pub struct RiskFactorDecl {
    pub id: Ident,
    pub label: Text,
    pub when: Option<Expr>,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsequenceKind {
    /// `skyldighet`: something the sender or receiver must do.
    Obligation,
    /// `upplysning`: information the decision carries.
    Notice,
}

#[derive(Debug, Clone)]
pub struct ConsequenceDecl {
    pub kind: ConsequenceKind,
    pub id: Ident,
    pub text: Text,
    pub basis: Option<Reference>,
    pub when: Option<Expr>,
    pub explanation: Vec<Text>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProvisionKindAst {
    Secrecy,
    Permission,
    Duty,
    Bar,
    DataProtection,
    Plain,
}

#[derive(Debug, Clone)]
pub struct ProvisionDecl {
    pub kind: ProvisionKindAst,
    pub kind_span: Span,
    pub id: Ident,
    pub citation: Citation,
    pub heading: Option<Text>,
    pub link: Option<Text>,
    pub explanation: Vec<Text>,
    pub versions: Vec<VersionBlock>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct VersionBlock {
    pub sfs: Option<Text>,
    pub from: DateLit,
    pub to: Option<DateLit>,
    pub clauses: Vec<Clause>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DamageTest {
    Straight,
    Reverse,
    Absolute,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ModeWord {
    OnRequest,
    OwnInitiative,
}

#[derive(Debug, Clone)]
pub struct Clause {
    pub kind: ClauseKind,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ClauseKind {
    /// `följer annan sekretess enligt …`: broken by whatever breaks other secrecy on the item.
    Subsidiary(Option<Reference>),
    /// `skaderekvisit omvänt "…"`
    Damage(DamageTest, Option<Text>),
    /// `skyddar { … }`
    Protects(SetExpr),
    /// `gäller hos { … }`
    AppliesAt(SetExpr),
    /// `gäller i { … }`: the activities in which secrecy applies.
    AppliesIn(SetExpr),
    /// `till skydd för enskild och närstående`
    Interest(Vec<(InterestWord, Span)>),
    /// `samtycke häver inte`
    ConsentExcluded,
    /// `kontrollerad mot "SFS 2025:937" 2026-12-05`
    Checked(Text, DateLit),
    /// `tidsgräns 70 år`
    TimeLimit(u32),
    /// `lämnas av { … }`
    Givers(SetExpr),
    /// `till { … }`
    Receivers(SetExpr),
    /// `på begäran och på eget initiativ`
    Modes(Vec<ModeWord>),
    /// `syfte { … }`
    Purposes(SetExpr),
    /// `avser { … }`
    Covers(SetExpr),
    /// `bryter sekretess genom …`
    BreaksThrough(Reference),
    /// `bryter { … }`
    Breaks(SetExpr),
    /// `undantar { … } enligt …`
    Excludes(SetExpr, Option<Reference>),
    /// `prövning övervägande_skäl`
    Balancing(Ident),
    /// `när …`
    When(Expr),
    /// `bedömning "…"`
    Judgement(Text),
    /// `osäkert "…" när …`
    Uncertain(Text, Option<Expr>),
    /// `medför { … }`
    Entails(SetExpr),
    /// `går före alla` / `går före { … }`
    Precedes(Option<SetExpr>),
    /// `tillåtet när …`
    PermittedWhen(Expr),
    /// `annars "…"`
    Otherwise(Text),
    /// `förklaring "…"`
    Explanation(Text),
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreResult {
    May,
    MayNot,
}

#[derive(Debug, Clone)]
pub struct PreAssessmentDecl {
    pub id: Ident,
    pub title: Text,
    pub provision: Option<Reference>,
    pub senders: Option<SetExpr>,
    pub recipients: Option<SetExpr>,
    pub categories: Option<SetExpr>,
    pub purposes: Option<SetExpr>,
    pub dnr: Option<Text>,
    pub valid: Option<(DateLit, Option<DateLit>)>,
    pub result: Option<(PreResult, Span)>,
    pub explanation: Vec<Text>,
    pub span: Span,
}

/// `KOM.socialnämnd`, `person.ålder`, `lub_5`: a dotted name.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Path {
    pub segments: Vec<Ident>,
    pub span: Span,
}

impl Path {
    /// The path as written, segments joined with dots.
    pub fn dotted(&self) -> String {
        let names: Vec<&str> = self.segments.iter().map(|s| s.name.as_str()).collect();
        names.join(".")
    }
}

/// A section number with an optional letter: `15 a`.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SectionNo {
    pub number: u32,
    pub letter: Option<char>,
}

/// A citation as written: `OSL 21–40 kap.`, `OSL 25 kap. 1–5 och 8 §§`, `LUB 7 § 2 st.`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Citation {
    pub law: Ident,
    pub chapters: Option<(u32, u32)>,
    pub sections: Vec<(SectionNo, SectionNo)>,
    pub stycke: Option<u32>,
    pub punkt: Option<u32>,
    pub span: Span,
}

/// A reference to something declared: by name or by citation.
#[derive(Debug, Clone)]
pub enum Reference {
    Name(Path),
    Citation(Citation),
    /// `sekretess till skydd för enskild`: only as a member of a set of provisions.
    Selector(Vec<(InterestWord, Span)>, Span),
}

impl Reference {
    pub fn span(&self) -> Span {
        match self {
            Reference::Name(p) => p.span,
            Reference::Citation(c) => c.span,
            Reference::Selector(_, s) => *s,
        }
    }
}

/// `{ a, b, OSL 21–40 kap. }`, or a single member used where a set is expected.
#[derive(Debug, Clone)]
pub struct SetExpr {
    pub members: Vec<Reference>,
    /// `… utom { … }`: members to take away.
    pub except: Vec<Reference>,
    pub span: Span,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CmpOp {
    Eq,
    Ne,
    Lt,
    Le,
    Gt,
    Ge,
}

#[derive(Debug, Clone)]
pub enum ValueLit {
    Number(i64, Span),
    Bool(bool, Span),
    Name(Ident),
}

impl ValueLit {
    pub fn span(&self) -> Span {
        match self {
            ValueLit::Number(_, s) | ValueLit::Bool(_, s) => *s,
            ValueLit::Name(i) => i.span,
        }
    }
}

#[derive(Debug, Clone)]
pub enum Expr {
    Or(Vec<Expr>, Span),
    And(Vec<Expr>, Span),
    Not(Box<Expr>, Span),
    Compare(Path, CmpOp, ValueLit, Span),
    In(Path, SetExpr, Span),
    Present(Path, Span),
    Truth(Path),
}

impl Expr {
    pub fn span(&self) -> Span {
        match self {
            Expr::Or(_, s)
            | Expr::And(_, s)
            | Expr::Not(_, s)
            | Expr::Compare(_, _, _, s)
            | Expr::In(_, _, s)
            | Expr::Present(_, s) => *s,
            Expr::Truth(p) => p.span,
        }
    }
}
