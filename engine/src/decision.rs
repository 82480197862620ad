//! The decision and its proof, as structured data.
//!
//! Everything here is ids into the model and the request, so building it costs little and
//! the proof is always on. [`crate::render`] turns it into Swedish text or JSON.

use crate::cond::{FactKey, Reads, Truth};
use lagrum_dsl::date::Date;
use lagrum_dsl::model::*;

/// The answer to a request.
#[derive(Debug, Clone, PartialEq)]
pub struct Decision {
    /// The least permissive item outcome.
    pub outcome: Outcome,
    pub items: Vec<ItemDecision>,
    /// Every question, once, with the provisions that ask it.
    pub questions: Vec<Question>,
    /// The checks that depend only on the request (who gives, who receives, how, why), once
    /// per rule version in force; findings refer to them by slot.
    pub request_checks: CheckTable,
    /// The checks about one item (`avser`, `när`), per item and rule version; findings
    /// refer to them by slot.
    pub item_checks: CheckTable,
    /// An internal inconsistency met while deciding: every item is then `manual`.
    pub fault: Option<Fault>,
    /// The outcome is preliminary: an item with the least permissive outcome is
    /// preliminary ([`ItemDecision::preliminary`]), so answering the open questions could
    /// change the request's outcome. Errs on the safe side: it is also set when another
    /// item with the same outcome would keep the request's outcome where it is.
    pub preliminary: bool,
}

/// An internal inconsistency: a lookup into the model or the request that cannot miss,
/// missed. It is never read as a default (no secrecy, a rule that does not apply): the
/// decision becomes `manual` for every item, with this as the reason.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Fault {
    /// What was looked up.
    pub what: &'static str,
}

/// Turns a missed lookup into a [`Fault`].
pub(crate) trait Need<T> {
    fn need(self, what: &'static str) -> Result<T, Fault>;
}

impl<T> Need<T> for Option<T> {
    fn need(self, what: &'static str) -> Result<T, Fault> {
        self.ok_or(Fault { what })
    }
}

/// Checks kept once, in one vector; a slot names a run of them. Keeping them flat (rather
/// than a small vector per slot) means a decision writes each check once instead of moving
/// a fixed-size block for every provision in the ruleset.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct CheckTable {
    checks: Vec<Check>,
    /// Per slot: where its checks start and how many there are; `None` if not evaluated.
    slots: Vec<Option<(u32, u32)>>,
}

impl CheckTable {
    /// A table for `slots` slots, none evaluated.
    pub fn with_slots(slots: usize) -> CheckTable {
        CheckTable {
            // A rule has up to four request-level checks (who gives, who receives, how, why).
            checks: Vec::with_capacity(slots * 4),
            slots: vec![None; slots],
        }
    }

    /// Records the checks `fill` pushes as the slot's checks.
    pub fn record(&mut self, slot: usize, fill: impl FnOnce(&mut Vec<Check>)) {
        let start = self.checks.len();
        fill(&mut self.checks);
        let len = self.checks.len() - start;
        if let Some(s) = self.slots.get_mut(slot) {
            *s = Some((
                u32::try_from(start).unwrap_or(u32::MAX),
                u32::try_from(len).unwrap_or(u32::MAX),
            ));
        }
    }

    /// The checks of a slot, if it was evaluated.
    pub fn get(&self, slot: usize) -> Option<&[Check]> {
        let (start, len) = (*self.slots.get(slot)?)?;
        self.checks.get(start as usize..start as usize + len as usize)
    }
}

impl Decision {
    /// All checks of a finding: the shared request-level ones, then its own.
    pub fn checks_of<'a>(&'a self, f: &'a RouteFinding) -> impl Iterator<Item = &'a Check> + 'a {
        route_checks(&self.request_checks, &self.item_checks, f)
    }
}

/// A route finding's checks: its request-level slot, then its item-level slot.
pub(crate) fn route_checks<'a>(
    request: &'a CheckTable,
    item: &'a CheckTable,
    f: &RouteFinding,
) -> impl Iterator<Item = &'a Check> + 'a {
    let slot = |table: &'a CheckTable, k: Option<u32>| k.and_then(|k| table.get(k as usize)).unwrap_or_default();
    slot(request, f.shared_checks).iter().chain(slot(item, f.item_checks))
}

/// Why an item got its outcome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Reason {
    /// No secrecy protects the item (and no bar applies).
    NotSecret,
    /// The routes in the basis decide it.
    Route,
    /// Secret, and nothing breaks the secrecy.
    Secrecy,
    /// A bar applies and nothing takes precedence over it.
    Bar(VersionId),
    /// A bar and a route both apply and neither takes precedence.
    Conflict { bar: VersionId, route: VersionId },
    /// An internal inconsistency stopped the decision (see [`Fault`]).
    Fault,
    /// The rulebook does not model all secrecy the sender can have for the item, and the
    /// sender has not stated its own assessment: whether it is secret is not known.
    SecrecyUnknown,
}

/// On what the item's secrecy rests: how the engine knows the list of secrecy is complete.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecrecyBasis {
    /// The rulebook models all secrecy the sender can have for the item (a coverage,
    /// `täckning`, by index into the model's coverages): the secrecy derived is all there is.
    Covered(usize),
    /// The sender stated its own assessment (`items[].secrecy`, `[]` for none).
    Stated,
    /// Neither: secrecy the rulebook does not model may protect the item.
    Unknown,
}

/// The decision for one item.
#[derive(Debug, Clone, PartialEq)]
pub struct ItemDecision {
    pub outcome: Outcome,
    pub reason: Reason,
    pub secrecy: Vec<SecrecyFinding>,
    /// Why the list of secrecy is complete, or that it may not be.
    pub secrecy_basis: SecrecyBasis,
    /// Every permission, duty and bar that was considered, with its result.
    pub routes: Vec<RouteFinding>,
    /// What the outcome rests on, decided here: the routes, the bridge a duty breaks
    /// secrecy through (only when the item is secret), the pre-assessments that settled a
    /// route.
    pub basis: Vec<BasisEntry>,
    /// The balancing tests the sender must make and document, when the outcome rests on
    /// them (one per basis route that has one).
    pub balancing: Vec<(BalancingId, ProvisionId)>,
    pub consequences: Vec<Attached>,
    pub data_protection: Vec<DataProtectionFinding>,
    /// Why the outcome was lowered to `manual`, if it was.
    pub caps: Vec<Cap>,
    /// Facts that are missing and could change the outcome.
    pub questions: Vec<FactKey>,
    /// The outcome is preliminary: some missing fact could raise it. Precisely: a bar may
    /// apply only for want of a fact, secrecy is assumed (or not known) for want of a fact,
    /// a route that would give more could not be tried for want of a fact, or a risk
    /// factor or uncertainty of a route in the basis could not be judged. Questions that
    /// only attach an obligation (or decide data protection) do not make it preliminary.
    /// Unknown facts never make an outcome more permissive (fail closed), so an answer can
    /// only keep or raise a preliminary outcome.
    pub preliminary: bool,
}

/// One entry of an item's basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct BasisEntry {
    pub provision: ProvisionId,
    /// The version applied.
    pub version: Option<VersionId>,
    pub role: BasisRole,
}

/// Why a provision is in the basis.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum BasisRole {
    /// A permission, duty or bar (index into the item's `routes`).
    Route(usize),
    /// The provision a duty breaks secrecy through (OSL 10 kap. 28 § 1 st.).
    Bridge,
    /// A pre-assessment that settled the route's manual assessment.
    PreAssessment(PreId),
}

impl ItemDecision {
    /// Indices into `routes` of the routes in the basis.
    pub fn basis_routes(&self) -> impl Iterator<Item = usize> + '_ {
        self.basis.iter().filter_map(|b| match b.role {
            BasisRole::Route(k) => Some(k),
            _ => None,
        })
    }

    /// Whether some secrecy protects the item (or must be taken to).
    pub fn secret(&self) -> bool {
        self.secrecy.iter().any(|s| s.result.protects())
    }
}

/// How a secrecy provision came to protect (or not protect) an item.
#[derive(Debug, Clone, PartialEq)]
pub struct SecrecyFinding {
    pub provision: ProvisionId,
    pub version: Option<VersionId>,
    pub classified: bool,
    pub derived: bool,
    pub result: SecrecyResult,
    pub subsidiary: bool,
    /// The scope checks (where it applies, its condition) and what they read.
    pub checks: Checks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum SecrecyResult {
    /// Protects the item.
    Applies,
    /// Protects the item unless a missing fact says otherwise.
    Assumed,
    /// Covers the category but not here (the sender, or its condition).
    OutOfScope,
    /// Named by the sender but not in force on the date.
    NotInForce,
}

impl SecrecyResult {
    /// Whether the item is (or, for want of a fact, must be taken to be) secret under it.
    pub fn protects(self) -> bool {
        matches!(self, SecrecyResult::Applies | SecrecyResult::Assumed)
    }
}

/// One permission, duty or bar, and what became of it for the item.
#[derive(Debug, Clone, PartialEq)]
pub struct RouteFinding {
    pub provision: ProvisionId,
    pub version: Option<VersionId>,
    pub status: RouteStatus,
    /// The request-level checks, as a slot in [`Decision::request_checks`].
    pub shared_checks: Option<u32>,
    /// The checks about this item (`avser`, `när`), as a slot in [`Decision::item_checks`].
    /// Not evaluated when a request-level check already failed.
    pub item_checks: Option<u32>,
    /// The route's own outcome, when it applies.
    pub outcome: Option<Outcome>,
    pub notes: Vec<Escalation>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RouteStatus {
    /// No version in force on the date.
    NotInForce { starts: Option<Date>, ended: Option<Date> },
    /// A condition is not met.
    Rejected,
    /// A condition cannot be judged for want of a fact.
    Undetermined,
    /// It does not reach secrecy protecting the item.
    Excluded {
        secrecy: ProvisionId,
        by: Option<ProvisionId>,
    },
    /// A permission that does not break secrecy protecting the item.
    NotCovering { secrecy: ProvisionId },
    /// Whether it reaches the item's secrecy cannot be told: the rulebook does not model
    /// that secrecy (a permission breaks only what it lists; a rule with exclusions may
    /// exclude it).
    SecrecyUnknown,
    /// Another provision takes precedence.
    Defeated { by: VersionId },
    /// Applies.
    Applies,
    /// A bar and a route apply with no priority between them.
    Conflict { with: VersionId },
}

/// The checks of one provision: a handful, kept inline.
pub type Checks = smallvec::SmallVec<[Check; 2]>;

/// One condition of a provision and its result.
#[derive(Debug, Clone, PartialEq)]
pub struct Check {
    pub kind: CheckKind,
    pub truth: Truth,
    /// What it read; for structural checks the key of the request field.
    pub reads: Reads,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CheckKind {
    /// `lämnas av`
    Giver,
    /// `till`
    Receiver,
    /// `på begäran` / `på eget initiativ`
    Mode,
    /// `syfte`
    Purpose,
    /// `avser`
    Covers,
    /// `gäller hos` (secrecy)
    AppliesAt,
    /// `gäller i` (secrecy): the activity in which the item is held
    AppliesIn,
    /// `när`
    Condition(ExprId),
}

/// What shaped a route's outcome beyond its kind.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Escalation {
    /// A balancing test with a presumption for disclosure: the outcome stands, the test
    /// must be made and documented.
    Balancing(BalancingId),
    /// A balancing test with a presumption against disclosure: a manual assessment.
    BalancingAgainst(BalancingId),
    /// A risk factor makes a live balancing test a manual assessment.
    Risk(RiskId, Truth),
    /// A judgement the request cannot settle (index into the version's judgements).
    Judgement(usize),
    /// An uncertain point of law (index into the version's uncertainties).
    Uncertain(usize, Truth),
    /// A pre-assessment settled the manual assessment.
    PreAssessment(PreId),
    /// The item is not secret: a duty without certainty still lets it go.
    NotSecret,
}

/// Why an outcome was lowered to `manual`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Cap {
    /// The sender named a secrecy provision not in force on the date.
    ClassifiedNotInForce(ProvisionId),
    /// An internal inconsistency (see [`Fault`]).
    Fault(Fault),
}

/// A consequence attached to an item, and what attached it.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Attached {
    pub consequence: ConsequenceId,
    /// The provision whose `medför` attached it, if any.
    pub via: Option<ProvisionId>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct DataProtectionFinding {
    pub provision: ProvisionId,
    pub version: VersionId,
    pub verdict: DataProtectionVerdict,
    pub checks: Checks,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DataProtectionVerdict {
    /// The element may be disclosed.
    Permitted,
    /// The element must be left out or pseudonymised.
    Omit,
}

/// A missing fact, and the provisions whose outcome it could change.
#[derive(Debug, Clone, PartialEq)]
pub struct Question {
    pub key: FactKey,
    /// For the sender's secrecy assessment: the declared secrecy provisions that may apply
    /// (the candidates a sender picks from), sorted.
    pub options: Vec<ProvisionId>,
    pub items: Vec<usize>,
    pub asked_by: Vec<ProvisionId>,
}
