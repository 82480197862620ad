//! The checked model: the law as resolved data.
//!
//! Every name is bound to an index, every citation in a list is matched to the declared
//! provisions it covers, groups and category trees are closed, versions are ordered and
//! do not overlap. Nothing here refers back to the syntax tree except spans and the source
//! text of conditions (kept for proofs). The model contains no Rust-side law: it is
//! whatever the ruleset files say.

use crate::ast::{CmpOp, DamageTest, SectionNo};
use crate::date::Date;
use crate::span::{Sources, Span};
use std::collections::HashMap;

macro_rules! id_type {
    ($($(#[$doc:meta])* $name:ident),* $(,)?) => {$(
        $(#[$doc])*
        #[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
        pub struct $name(pub u32);

        impl $name {
            /// The index into the model's table.
            pub fn index(self) -> usize {
                self.0 as usize
            }

            /// The id of the entry at `index`. The one checked conversion from a table
            /// position: an index beyond `u32` becomes an id that finds nothing, so every
            /// lookup with it misses (and the engine treats a miss as an inconsistency,
            /// never as a default).
            pub fn from_index(index: usize) -> Self {
                $name(u32::try_from(index).unwrap_or(u32::MAX))
            }
        }

        impl From<usize> for $name {
            fn from(index: usize) -> Self {
                $name::from_index(index)
            }
        }
    )*};
}

id_type!(
    /// An act (`lag`).
    LawId,
    /// An authority or other actor.
    ActorId,
    /// A unit (verksamhetsgren, nämnd) of an actor.
    UnitId,
    /// A purpose (syfte).
    PurposeId,
    /// An information category.
    CategoryId,
    /// An activity (verksamhet) in which information is held.
    ActivityId,
    /// A protection marker (skyddad folkbokföring, sekretessmarkering, …).
    MarkerId,
    /// A named request fact.
    FactId,
    /// A kind of balancing test.
    BalancingId,
    /// A risk factor that turns a live balancing test into a manual assessment.
    RiskId,
    /// An obligation or notice attached to decisions.
    ConsequenceId,
    /// A provision.
    ProvisionId,
    /// One version (in-force period) of a provision.
    VersionId,
    /// A pre-assessment (förhandsbedömning).
    PreId,
    /// A condition node.
    ExprId,
);

/// The whole checked ruleset.
#[derive(Debug, Clone)]
pub struct Model {
    pub info: RulesetInfo,
    pub sources: Sources,
    pub laws: Vec<Law>,
    pub actors: Vec<Actor>,
    pub units: Vec<Unit>,
    pub purposes: Vec<Purpose>,
    pub categories: Vec<Category>,
    pub activities: Vec<Activity>,
    pub markers: Vec<Marker>,
    pub facts: Vec<Fact>,
    /// The crimes a caseworker can pick to answer a `straffskala lägst` fact.
    pub crimes: Vec<Crime>,
    pub balancing: Vec<Balancing>,
    pub risks: Vec<RiskFactor>,
    pub consequences: Vec<Consequence>,
    pub provisions: Vec<Provision>,
    pub versions: Vec<Version>,
    pub preassessments: Vec<PreAssessment>,
    /// Where the rulebook models a sender's secrecy completely (`täckning`).
    pub coverages: Vec<Coverage>,
    pub exprs: Vec<Expr>,
    /// Question texts for the built-in person attributes.
    pub person_questions: HashMap<PersonAttr, String>,
    /// Name lookups for requests (ids as written in the rulesets).
    pub names: Names,
}

/// Lookup from the ids used in requests to model indices.
#[derive(Debug, Clone, Default)]
pub struct Names {
    pub actors: HashMap<String, ActorId>,
    pub purposes: HashMap<String, PurposeId>,
    pub categories: HashMap<String, CategoryId>,
    pub activities: HashMap<String, ActivityId>,
    pub markers: HashMap<String, MarkerId>,
    pub facts: HashMap<String, FactId>,
    pub provisions: HashMap<String, ProvisionId>,
}

#[derive(Debug, Clone)]
pub struct RulesetInfo {
    pub name: String,
    pub version: String,
    /// Requests dated before this are refused: the law before it is not encoded.
    pub covers_from: Option<Date>,
    /// The last day of the law the ruleset knows (`känt till`): a decision dated after it
    /// applies the law as known then, and says so.
    pub known_until: Option<Date>,
    /// `sha256:` and the hex digest over all files (name and text, in name order).
    pub hash: String,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Law {
    pub id: String,
    pub title: String,
    pub sfs: Option<String>,
    /// Used in citations: `OSL`, `SoL (2001:453)`.
    pub short_name: String,
    pub link: Option<String>,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Actor {
    pub id: String,
    pub name: String,
    pub units: Vec<UnitId>,
    /// The activities the actor carries on (`verksamhet { … }`); `None` = unknown.
    pub activities: Option<ActivitySet>,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Unit {
    pub actor: ActorId,
    pub id: String,
    pub label: String,
    /// The activities the unit carries on; `None` = unknown (the actor's, if it states them).
    pub activities: Option<ActivitySet>,
}

#[derive(Debug, Clone)]
pub struct Purpose {
    pub id: String,
    pub label: String,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct Category {
    pub id: String,
    pub label: String,
    pub parent: Option<CategoryId>,
    /// This category and all its ancestors, nearest first.
    pub ancestry: Vec<CategoryId>,
    pub explanation: Vec<String>,
}

/// An activity (verksamhet): where information is held, independent of the organisation.
#[derive(Debug, Clone)]
pub struct Activity {
    pub id: String,
    pub label: String,
    pub parent: Option<ActivityId>,
    /// This activity and all its ancestors, nearest first.
    pub ancestry: Vec<ActivityId>,
    pub explanation: Vec<String>,
}

/// A declaration that the rulebook models all secrecy that can apply to some information
/// held in some scope (`täckning`): if none of `secrecy` applies, the item is not secret.
#[derive(Debug, Clone)]
pub struct Coverage {
    pub id: String,
    pub label: String,
    /// `i { … }`: the activities (closed downwards); `None` = not limited by activity.
    pub activities: Option<ActivitySet>,
    /// `hos { … }`: the actors or units; `None` = not limited by actor. With both, an item
    /// is in scope when both hold. At least one is given.
    pub actors: Option<ActorSet>,
    /// `avser { … }`: the categories of information.
    pub categories: CategorySet,
    /// Every secrecy provision that can apply in the scope, sorted (may be empty).
    pub secrecy: Vec<ProvisionId>,
    pub explanation: Vec<String>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Marker {
    pub id: String,
    pub label: String,
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The marker this one replaced (skyddad folkbokföring replaced kvarskrivning).
    pub replaces: Option<MarkerId>,
    /// The marker that replaced this one, derived from `replaces`.
    pub replaced_by: Option<MarkerId>,
    pub term_code: Option<String>,
    /// Never shown in the population register (`registreras inte`): a register check
    /// neither finds nor rules it out, and a request states it from the case.
    pub unregistered: bool,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum FactType {
    YesNo,
    Number,
    Choice(Vec<String>),
}

#[derive(Debug, Clone)]
pub struct Fact {
    pub id: String,
    pub label: String,
    /// Read from `subjects[].facts` rather than the request's `facts`.
    pub about_person: bool,
    pub ty: FactType,
    pub question: String,
    /// Answered by picking a crime: its lowest penalty in months (`straffskala lägst`).
    pub from_crime: bool,
    pub explanation: Vec<String>,
}

/// A crime and its penalty scale (`brott`).
#[derive(Debug, Clone)]
pub struct Crime {
    pub id: String,
    pub label: String,
    /// Where the scale is, e.g. `BrB 3 kap. 6 § 1 st.`.
    pub citation: String,
    /// Lowest penalty, in months of imprisonment (0: the scale starts at fines).
    pub min_months: u32,
    /// Highest penalty, in months of imprisonment.
    pub max_months: u32,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Presumption {
    /// Disclosure is the rule; the sender may refuse only if the secrecy interest weighs more.
    ForDisclosure,
    /// Secrecy is the rule; disclosure only if the interest in it clearly weighs more.
    AgainstDisclosure,
}

#[derive(Debug, Clone)]
pub struct Balancing {
    pub id: String,
    pub label: String,
    pub presumption: Presumption,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone)]
pub struct RiskFactor {
    pub id: String,
    pub label: String,
    pub when: ExprId,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConsequenceKind {
    Obligation,
    Notice,
}

#[derive(Debug, Clone)]
pub struct Consequence {
    pub kind: ConsequenceKind,
    pub id: String,
    pub text: String,
    pub basis: Option<ProvisionId>,
    /// Attached to every item for which this holds (evaluated after the outcome).
    /// Without it the consequence is attached only through a provision's `medför`.
    pub when: Option<ExprId>,
    pub explanation: Vec<String>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum ProvisionKind {
    /// `sekretess`: protects categories of information.
    Secrecy,
    /// `sekretessbrytande`: information may be disclosed despite secrecy.
    Permission,
    /// `uppgiftsskyldighet`: information shall be disclosed.
    Duty,
    /// `förbud`: disclosure is barred.
    Bar,
    /// `dataskydd`: a data-protection condition on an element of the item.
    DataProtection,
    /// `bestämmelse`: cited by others (a bridge, an exclusion source, an obligation basis).
    Plain,
}

/// The place a declared provision has in its act.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Point {
    pub chapter: Option<u32>,
    pub section: Option<SectionNo>,
    pub stycke: Option<u32>,
    pub punkt: Option<u32>,
}

#[derive(Debug, Clone)]
pub struct Provision {
    pub id: String,
    pub kind: ProvisionKind,
    pub law: LawId,
    pub point: Point,
    /// `OSL 10 kap. 15 a §`, built from the act's short name and the point.
    pub citation: String,
    pub heading: Option<String>,
    pub link: Option<String>,
    pub explanation: Vec<String>,
    /// Ordered by start date; periods do not overlap.
    pub versions: Vec<VersionId>,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub struct Version {
    pub provision: ProvisionId,
    /// The SFS that gave this wording, e.g. `SFS 2025:179`.
    pub sfs: Option<String>,
    pub from: Date,
    /// Last day in force (inclusive); `None` while in force.
    pub to: Option<Date>,
    pub body: Body,
    /// `kontrollerad mot "SFS …" DATE`: the statute text this version was checked against.
    pub checked: Option<Provenance>,
    pub explanation: Vec<String>,
    pub span: Span,
}

/// What statute text a version was checked against, and when.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Provenance {
    /// As written, e.g. `SFS 2025:937`.
    pub sfs: String,
    pub date: Date,
}

/// An SFS number (`2025:937`), ordered by year and then number: a later amendment is greater.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct SfsNo {
    pub year: u32,
    pub number: u32,
}

impl SfsNo {
    /// Reads `SFS 2025:937` or `2025:937` (surrounding words are allowed: the first
    /// `YYYY:N` in the text counts).
    pub fn find(text: &str) -> Option<SfsNo> {
        let bytes = text.as_bytes();
        let mut i = 0;
        while i < bytes.len() {
            if bytes.get(i).is_some_and(u8::is_ascii_digit)
                && (i == 0 || !bytes.get(i - 1).is_some_and(u8::is_ascii_digit))
            {
                let year_end = (i..bytes.len())
                    .find(|&j| !bytes.get(j).is_some_and(u8::is_ascii_digit))
                    .unwrap_or(bytes.len());
                if year_end - i == 4 && bytes.get(year_end) == Some(&b':') {
                    let num_end = (year_end + 1..bytes.len())
                        .find(|&j| !bytes.get(j).is_some_and(u8::is_ascii_digit))
                        .unwrap_or(bytes.len());
                    let year = text.get(i..year_end).and_then(|t| t.parse().ok());
                    let number = text.get(year_end + 1..num_end).and_then(|t| t.parse().ok());
                    if let (Some(year), Some(number)) = (year, number) {
                        return Some(SfsNo { year, number });
                    }
                }
                i = year_end;
            } else {
                i += 1;
            }
        }
        None
    }
}

impl std::fmt::Display for SfsNo {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "SFS {}:{}", self.year, self.number)
    }
}

impl Version {
    pub fn in_force(&self, date: Date) -> bool {
        self.from <= date && self.to.is_none_or(|t| date <= t)
    }
}

#[derive(Debug, Clone)]
pub enum Body {
    Secrecy(SecrecyBody),
    Rule(Box<RuleBody>),
    DataProtection(DataProtectionBody),
    Plain,
}

#[derive(Debug, Clone)]
pub struct SecrecyBody {
    pub damage: DamageTest,
    pub damage_text: Option<String>,
    pub protects: CategorySet,
    /// Where the secrecy applies; `None` = at every authority.
    pub applies_at: Option<ActorSet>,
    /// `gäller i { … }`: the activities in which it applies; `None` = in every activity.
    /// With `applies_at` too, both must hold.
    pub applies_in: Option<ActivitySet>,
    /// `till skydd för …`: whose interest it protects; `None` when not written.
    pub interest: Option<Interest>,
    /// `samtycke häver inte`: the statute says consent does not lift it.
    pub consent_excluded: bool,
    /// `tidsgräns N år`: the statute's limit on the secrecy for a document (informational).
    pub time_limit_years: Option<u32>,
    /// Further scope condition (e.g. a protection marker).
    pub when: Option<ExprId>,
    /// When the item is also protected by other, non-subsidiary secrecy, this secrecy is
    /// broken by whatever breaks that secrecy (`följer annan sekretess`). The provision
    /// that says so, when given.
    pub subsidiary: Option<Option<ProvisionId>>,
}

/// Whose interest a secrecy provision protects (`till skydd för …`).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Default)]
pub struct Interest {
    /// `enskild`: the person the information concerns.
    pub individual: bool,
    /// `närstående`: someone close to that person.
    pub related: bool,
    /// `allmänt intresse`: a public interest.
    pub public: bool,
}

impl Interest {
    /// `enskild och närstående`, as written in rulesets.
    pub fn words(self) -> String {
        let mut w: Vec<&str> = Vec::new();
        if self.individual {
            w.push("enskild");
        }
        if self.related {
            w.push("närstående");
        }
        if self.public {
            w.push("allmänt intresse");
        }
        w.join(" och ")
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Mode {
    OnRequest,
    OwnInitiative,
}

/// How a rule relates to secrecy.
#[derive(Debug, Clone)]
pub enum Breaks {
    /// A permission: breaks exactly these secrecy provisions.
    Listed(Vec<ProvisionId>),
    /// A duty: breaks any secrecy through a bridge provision (OSL 10 kap. 28 §).
    Through(ProvisionId),
    /// A bar: breaks nothing.
    Nothing,
}

#[derive(Debug, Clone)]
pub struct Exclusion {
    pub secrecy: ProvisionId,
    /// The provision that makes the exclusion, when not the rule itself (LUB 8 §).
    pub by: Option<ProvisionId>,
}

#[derive(Debug, Clone)]
pub enum Precedence {
    None,
    All,
    Over(Vec<ProvisionId>),
}

/// What [`Precedence::targets_in`] needs to know about a ruleset, gathered once: the
/// permissions and duties (for `alla`) and, for each bridge, the rules that break secrecy
/// through it. With it, each provision's targets cost what they are, not a scan of every
/// provision and version.
#[derive(Debug, Clone, Default)]
pub struct PrecedenceIndex {
    /// Permissions and duties, in order.
    rules: Vec<ProvisionId>,
    /// By provision index: the provisions with a version that breaks secrecy through it.
    through: Vec<Vec<ProvisionId>>,
    /// By provision index: whether it is a bridge (`ProvisionKind::Plain`).
    plain: Vec<bool>,
}

impl PrecedenceIndex {
    pub fn new(provisions: &[Provision], versions: &[Version]) -> PrecedenceIndex {
        let id = |j: usize| ProvisionId(u32::try_from(j).unwrap_or(u32::MAX));
        let rules = provisions
            .iter()
            .enumerate()
            .filter(|(_, p)| matches!(p.kind, ProvisionKind::Permission | ProvisionKind::Duty))
            .map(|(j, _)| id(j))
            .collect();
        let mut through = vec![Vec::new(); provisions.len()];
        for v in versions {
            if let Body::Rule(r) = &v.body
                && let Breaks::Through(b) = r.breaks
                && let Some(list) = through.get_mut(b.index())
            {
                list.push(v.provision);
            }
        }
        let plain = provisions.iter().map(|p| p.kind == ProvisionKind::Plain).collect();
        PrecedenceIndex { rules, through, plain }
    }
}

impl Precedence {
    /// The provisions that `from` goes before, as the engine applies it: `alla` is every
    /// other permission and duty, and going before a bridge (OSL 10 kap. 28 §) is going
    /// before every duty that breaks secrecy through it. Sorted and unique. One definition
    /// for the checker's cycle search and the compiler. Builds a [`PrecedenceIndex`]: to ask
    /// for many provisions, build it once and use [`Precedence::targets_in`].
    pub fn targets(&self, from: ProvisionId, provisions: &[Provision], versions: &[Version]) -> Vec<ProvisionId> {
        self.targets_in(from, &PrecedenceIndex::new(provisions, versions))
    }

    /// [`Precedence::targets`] with the index built once.
    pub fn targets_in(&self, from: ProvisionId, index: &PrecedenceIndex) -> Vec<ProvisionId> {
        let mut out: Vec<ProvisionId> = match self {
            Precedence::None => Vec::new(),
            Precedence::All => index.rules.iter().copied().filter(|p| *p != from).collect(),
            Precedence::Over(list) => list
                .iter()
                .flat_map(|&p| {
                    if index.plain.get(p.index()).copied().unwrap_or(false) {
                        index.through.get(p.index()).cloned().unwrap_or_default()
                    } else {
                        vec![p]
                    }
                })
                .collect(),
        };
        out.sort_unstable();
        out.dedup();
        out
    }
}

/// A permission, duty or bar.
#[derive(Debug, Clone)]
pub struct RuleBody {
    pub givers: Option<ActorSet>,
    pub receivers: Option<ActorSet>,
    /// `None` = any mode.
    pub modes: Option<Vec<Mode>>,
    pub purposes: Option<PurposeSet>,
    pub covers: Option<CategorySet>,
    pub breaks: Breaks,
    pub excludes: Vec<Exclusion>,
    pub balancing: Option<BalancingId>,
    pub when: Option<ExprId>,
    pub judgements: Vec<String>,
    pub uncertain: Vec<Uncertainty>,
    pub entails: Vec<ConsequenceId>,
    pub precedes: Precedence,
}

#[derive(Debug, Clone)]
pub struct Uncertainty {
    pub text: String,
    /// `None` = always.
    pub when: Option<ExprId>,
}

#[derive(Debug, Clone)]
pub struct DataProtectionBody {
    /// Which items the condition concerns.
    pub applies_when: Option<ExprId>,
    /// When the processing is permitted.
    pub permitted_when: ExprId,
    /// What to do when it is not.
    pub otherwise: String,
    pub entails: Vec<ConsequenceId>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PreResult {
    May,
    MayNot,
}

#[derive(Debug, Clone)]
pub struct PreAssessment {
    pub id: String,
    pub title: String,
    pub provision: ProvisionId,
    pub senders: ActorSet,
    pub recipients: ActorSet,
    pub categories: CategorySet,
    pub purposes: PurposeSet,
    pub dnr: String,
    pub from: Date,
    pub to: Option<Date>,
    pub result: PreResult,
    pub explanation: Vec<String>,
}

/// A reference to an actor, or to one unit of it.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct ActorRef {
    pub actor: ActorId,
    pub unit: Option<UnitId>,
}

/// A closed set of actors (groups expanded), with how it was written for messages.
#[derive(Debug, Clone)]
pub struct ActorSet {
    /// Sorted and unique. A whole actor is `unit: None`.
    pub members: Vec<ActorRef>,
    /// The group's label when the set was written as one group name.
    pub label: Option<String>,
}

/// Three-valued membership: a sender given without a unit is only *possibly* in a set
/// that lists some of its units.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Membership {
    Yes,
    No,
    /// The actor is in the set only with some units, and the unit is not known.
    UnitNeeded,
}

impl ActorSet {
    pub fn contains(&self, actor: ActorId, unit: Option<UnitId>) -> Membership {
        // Members are sorted by actor, then unit with the whole actor (`None`) first: where
        // the whole actor would stand, the actor's units (if any) follow.
        let after = match self.members.binary_search(&ActorRef { actor, unit: None }) {
            Ok(_) => return Membership::Yes,
            Err(pos) => self.members.get(pos..).unwrap_or_default(),
        };
        let units = after
            .get(..after.partition_point(|m| m.actor == actor))
            .unwrap_or_default();
        match unit {
            Some(u) if units.iter().any(|m| m.unit == Some(u)) => Membership::Yes,
            Some(_) => Membership::No,
            None if units.is_empty() => Membership::No,
            None => Membership::UnitNeeded,
        }
    }
}

/// A closed set of purposes.
#[derive(Debug, Clone)]
pub struct PurposeSet {
    pub members: Vec<PurposeId>,
    pub label: Option<String>,
}

/// A closed set of categories: the listed ones and all their descendants.
#[derive(Debug, Clone)]
pub struct CategorySet {
    pub members: Vec<CategoryId>,
    pub label: Option<String>,
}

impl CategorySet {
    pub fn contains(&self, c: CategoryId) -> bool {
        self.members.binary_search(&c).is_ok()
    }
}

/// A closed set of activities: the listed ones and all activities under them. Sorted.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ActivitySet {
    pub members: Vec<ActivityId>,
    pub label: Option<String>,
    /// The members as a bitmap by index: membership is asked for every secrecy provision
    /// and every activity an item may be held in, so it must be one load, not a search.
    bits: Vec<u64>,
}

impl ActivitySet {
    /// The set of `members` (sorted and deduplicated here).
    pub fn new(mut members: Vec<ActivityId>, label: Option<String>) -> ActivitySet {
        members.sort_unstable();
        members.dedup();
        let words = members.last().map_or(0, |a| a.index() / 64 + 1);
        let mut bits = vec![0u64; words];
        for a in &members {
            if let Some(w) = bits.get_mut(a.index() / 64) {
                *w |= 1 << (a.index() % 64);
            }
        }
        ActivitySet { members, label, bits }
    }

    pub fn contains(&self, a: ActivityId) -> bool {
        self.bits
            .get(a.index() / 64)
            .is_some_and(|w| w & (1 << (a.index() % 64)) != 0)
    }

    /// Whether some activity is in both sets.
    pub fn meets(&self, other: &ActivitySet) -> bool {
        self.shared(other) > 0
    }

    /// How many activities are in both sets: a word-wise AND of the bitmaps.
    pub fn shared(&self, other: &ActivitySet) -> usize {
        self.bits
            .iter()
            .zip(&other.bits)
            .map(|(a, b)| (a & b).count_ones() as usize)
            .sum()
    }
}

/// The built-in attributes of the person an item concerns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum PersonAttr {
    /// `person.ålder`
    Age,
    /// `person.skydd`
    Markers,
    /// `person.id_typ`
    IdKind,
    /// `person.id_nivå`
    IdLevel,
    /// `person.samtycke`: the person consented to this item on or before the request date.
    Consent,
    /// `person.samtycke_vårdnadshavare`: a guardian consented on the person's behalf.
    GuardianConsent,
}

impl PersonAttr {
    pub fn path(self) -> &'static str {
        match self {
            PersonAttr::Age => "person.ålder",
            PersonAttr::Markers => "person.skydd",
            PersonAttr::IdKind => "person.id_typ",
            PersonAttr::IdLevel => "person.id_nivå",
            PersonAttr::Consent => "person.samtycke",
            PersonAttr::GuardianConsent => "person.samtycke_vårdnadshavare",
        }
    }

    /// Whether a missing value is asked for (and so needs a `fråga`). Consent is not: the
    /// request states it or it was not given.
    pub fn asked(self) -> bool {
        !matches!(self, PersonAttr::Consent | PersonAttr::GuardianConsent)
    }
}

/// Kinds of Swedish identity numbers a person can carry.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdKind {
    Personnummer,
    Samordningsnummer,
}

impl IdKind {
    pub const ALL: [IdKind; 2] = [IdKind::Personnummer, IdKind::Samordningsnummer];
    pub fn name(self) -> &'static str {
        match self {
            IdKind::Personnummer => "personnummer",
            IdKind::Samordningsnummer => "samordningsnummer",
        }
    }
}

/// The identity level of a samordningsnummer.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum IdLevel {
    Established,
    Probable,
    Uncertain,
}

impl IdLevel {
    pub const ALL: [IdLevel; 3] = [IdLevel::Established, IdLevel::Probable, IdLevel::Uncertain];
    pub fn name(self) -> &'static str {
        match self {
            IdLevel::Established => "styrkt",
            IdLevel::Probable => "sannolik",
            IdLevel::Uncertain => "osäker",
        }
    }
}

/// The four outcomes, least permissive first.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub enum Outcome {
    Deny,
    Manual,
    Allow,
    Must,
}

impl Outcome {
    pub const ALL: [Outcome; 4] = [Outcome::Deny, Outcome::Manual, Outcome::Allow, Outcome::Must];

    /// The name used in rulesets.
    pub fn ruleset_name(self) -> &'static str {
        match self {
            Outcome::Deny => "får_inte_lämnas",
            Outcome::Manual => "kräver_prövning",
            Outcome::Allow => "får_lämnas",
            Outcome::Must => "ska_lämnas",
        }
    }

    /// The name used in requests and decisions (JSON).
    pub fn wire_name(self) -> &'static str {
        match self {
            Outcome::Deny => "deny",
            Outcome::Manual => "manual",
            Outcome::Allow => "allow",
            Outcome::Must => "must",
        }
    }
}

/// A condition, resolved and typed.
#[derive(Debug, Clone)]
pub struct Expr {
    pub node: ExprNode,
    /// The condition as written, for proofs.
    pub text: String,
    pub span: Span,
}

#[derive(Debug, Clone)]
pub enum ExprNode {
    And(Vec<ExprId>),
    Or(Vec<ExprId>),
    Not(ExprId),
    Test(Test),
}

/// One atomic test of a condition.
#[derive(Debug, Clone)]
pub enum Test {
    SenderIn(ActorSet),
    RecipientIn(ActorSet),
    ModeIs(Mode),
    PurposeIn(PurposeSet),
    CategoryIn(CategorySet),
    SecrecyIn(Vec<ProvisionId>),
    /// The item carries an identity number (`identitetsnummer`).
    CarriesIdentityNumber,
    /// The item concerns a person given in the request (`namngiven_person`).
    ConcernsNamedPerson,
    /// The sender and the recipient are the same actor (`samma_aktör`), e.g. two
    /// verksamhetsgrenar of one authority (OSL 8 kap. 2 §).
    SameActor,
    AgeCompare(CmpOp, i64),
    MarkerIn(Vec<MarkerId>),
    AnyMarker,
    IdKindIn(Vec<IdKind>),
    IdLevelIn(Vec<IdLevel>),
    /// The item is held at the sender in one of these activities (`verksamhet i { … }`).
    ActivityIn(ActivitySet),
    /// The person the item concerns (or a guardian) consented to its disclosure on or
    /// before the request date (`person.samtycke`; `person.samtycke_vårdnadshavare` with
    /// `guardian`).
    Consent {
        guardian: bool,
    },
    FactCompare(FactId, CmpOp, i64),
    FactIs(FactId, bool),
    FactIn(FactId, Vec<u32>),
    FactPresent(FactId),
    /// Only in consequence conditions (read after the outcome is known).
    OutcomeIn(Vec<Outcome>),
    /// Only in consequence conditions: the basis includes one of these provisions.
    BasisIncludes(Vec<ProvisionId>),
    /// The item is protected by secrecy at the sender.
    IsSecret,
    /// Only in consequence conditions: the outcome rests on a live balancing test (any, or
    /// one of these).
    BalancingIn(Option<Vec<BalancingId>>),
}

impl Model {
    pub fn law(&self, id: LawId) -> Option<&Law> {
        self.laws.get(id.index())
    }
    pub fn actor(&self, id: ActorId) -> Option<&Actor> {
        self.actors.get(id.index())
    }
    pub fn unit(&self, id: UnitId) -> Option<&Unit> {
        self.units.get(id.index())
    }
    pub fn purpose(&self, id: PurposeId) -> Option<&Purpose> {
        self.purposes.get(id.index())
    }
    pub fn category(&self, id: CategoryId) -> Option<&Category> {
        self.categories.get(id.index())
    }
    pub fn activity(&self, id: ActivityId) -> Option<&Activity> {
        self.activities.get(id.index())
    }
    pub fn marker(&self, id: MarkerId) -> Option<&Marker> {
        self.markers.get(id.index())
    }
    pub fn fact(&self, id: FactId) -> Option<&Fact> {
        self.facts.get(id.index())
    }
    pub fn balancing_test(&self, id: BalancingId) -> Option<&Balancing> {
        self.balancing.get(id.index())
    }
    pub fn risk(&self, id: RiskId) -> Option<&RiskFactor> {
        self.risks.get(id.index())
    }
    pub fn consequence(&self, id: ConsequenceId) -> Option<&Consequence> {
        self.consequences.get(id.index())
    }
    pub fn provision(&self, id: ProvisionId) -> Option<&Provision> {
        self.provisions.get(id.index())
    }
    pub fn version(&self, id: VersionId) -> Option<&Version> {
        self.versions.get(id.index())
    }
    pub fn preassessment(&self, id: PreId) -> Option<&PreAssessment> {
        self.preassessments.get(id.index())
    }
    pub fn expr(&self, id: ExprId) -> Option<&Expr> {
        self.exprs.get(id.index())
    }

    /// The version of a provision in force on a date, if any.
    pub fn version_on(&self, p: ProvisionId, date: Date) -> Option<VersionId> {
        let prov = self.provision(p)?;
        prov.versions
            .iter()
            .copied()
            .find(|v| self.version(*v).is_some_and(|v| v.in_force(date)))
    }

    /// `Polismyndigheten` or `Kommun (socialnämnd)`.
    pub fn actor_label(&self, r: ActorRef) -> String {
        let name = self.actor(r.actor).map(|a| a.name.as_str()).unwrap_or("?");
        match r.unit.and_then(|u| self.unit(u)) {
            Some(u) => format!("{name} ({})", u.label),
            None => name.to_string(),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use proptest::prelude::*;

    /// Membership as the definition says it, by looking at every member.
    fn reference(set: &ActorSet, actor: ActorId, unit: Option<UnitId>) -> Membership {
        let whole = set.members.iter().any(|m| m.actor == actor && m.unit.is_none());
        let has_unit = |u| set.members.iter().any(|m| m.actor == actor && m.unit == Some(u));
        let any_unit = set.members.iter().any(|m| m.actor == actor && m.unit.is_some());
        match (whole, unit) {
            (true, _) => Membership::Yes,
            (false, Some(u)) if has_unit(u) => Membership::Yes,
            (false, Some(_)) => Membership::No,
            (false, None) if any_unit => Membership::UnitNeeded,
            (false, None) => Membership::No,
        }
    }

    proptest! {
        #[test]
        fn actor_set_membership_matches_its_definition(
            members in proptest::collection::vec((0u32..6, proptest::option::of(0u32..4)), 0..12),
            actor in 0u32..7,
            unit in proptest::option::of(0u32..5),
        ) {
            let mut members: Vec<ActorRef> = members
                .into_iter()
                .map(|(a, u)| ActorRef { actor: ActorId(a), unit: u.map(UnitId) })
                .collect();
            members.sort();
            members.dedup();
            let set = ActorSet { members, label: None };
            let (actor, unit) = (ActorId(actor), unit.map(UnitId));
            prop_assert_eq!(set.contains(actor, unit), reference(&set, actor, unit));
        }
    }
}
