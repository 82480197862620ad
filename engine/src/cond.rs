//! Three-valued evaluation of conditions against a request.
//!
//! A condition is true, false or unknown (Kleene logic). Unknown comes from a fact the
//! request does not give; it never counts as true for something that allows, and the
//! leaves that were unknown become questions. Every leaf records what it read, for proofs.

use crate::request::{Case, FactValue, Held, Item, Subject};
use lagrum_dsl::ast::CmpOp;
use lagrum_dsl::model::*;

/// A truth value in three-valued logic.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Truth {
    False,
    Unknown,
    True,
}

impl Truth {
    pub fn from_bool(b: bool) -> Truth {
        if b { Truth::True } else { Truth::False }
    }

    fn not(self) -> Truth {
        match self {
            Truth::True => Truth::False,
            Truth::False => Truth::True,
            Truth::Unknown => Truth::Unknown,
        }
    }

    /// Whether this is anything but false: how restrictive elements (secrecy scopes, bars,
    /// risk factors, uncertainties) read an unknown.
    pub fn possibly(self) -> bool {
        self != Truth::False
    }
}

/// What a condition read from the request, for proofs and questions.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum FactKey {
    Sender,
    SenderUnit,
    Recipient,
    RecipientUnit,
    Mode,
    Purposes,
    Category,
    /// The activity in which the item is held at the sender (`sender.activity`).
    Activity,
    Secrecy,
    /// The sender's own assessment of the item's secrecy (`items[].secrecy`).
    SecrecyAssessment,
    IdentityNumber,
    NamedPerson,
    Person(u32, PersonAttr),
    PersonFact(u32, FactId),
    Fact(FactId),
    Outcome,
    Basis,
    Balancing,
}

impl FactKey {
    /// Whether a missing value of this key can be asked for.
    pub fn askable(self) -> bool {
        matches!(
            self,
            FactKey::SenderUnit
                | FactKey::RecipientUnit
                | FactKey::Activity
                | FactKey::SecrecyAssessment
                | FactKey::Person(..)
                | FactKey::PersonFact(..)
                | FactKey::Fact(_)
        )
    }
}

/// What is known after the outcome: read by the conditions of obligations and notices.
#[derive(Debug, Clone, Default)]
pub struct Post {
    pub outcome: Option<Outcome>,
    /// Sorted provisions in the basis.
    pub basis: Vec<ProvisionId>,
    /// The live balancing test, if any.
    pub balancing: Option<BalancingId>,
}

/// Everything a condition about one item may read.
pub struct Env<'a> {
    pub model: &'a Model,
    pub case: &'a Case,
    pub item: &'a Item,
    pub subject: Option<&'a Subject>,
    /// The secrecy protecting the item (sorted); empty before it is known.
    pub secrecy: &'a [ProvisionId],
    pub post: Option<&'a Post>,
}

/// A leaf that was read, and whether its value was missing.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Read {
    pub key: FactKey,
    pub missing: bool,
}

/// What one check read: most checks read one or two leaves, so they stay inline.
pub type Reads = smallvec::SmallVec<[Read; 2]>;

/// Whether an item held as `held` is held in an activity of `set` (closed downwards):
/// true when every activity it can be held in is in the set, false when none is.
pub fn held_in(held: &Held, set: &ActivitySet, reads: &mut Reads) -> Truth {
    let (truth, missing) = match held {
        Held::Stated(a) => (Truth::from_bool(set.contains(*a)), false),
        Held::OneOf(d) => match d.shared(set) {
            0 => (Truth::False, false),
            n if n == d.members.len() => (Truth::True, false),
            _ => (Truth::Unknown, true),
        },
        Held::Unknown => (Truth::Unknown, true),
    };
    if !reads.iter().any(|r| r.key == FactKey::Activity) {
        reads.push(Read {
            key: FactKey::Activity,
            missing,
        });
    }
    truth
}

/// Evaluates a condition. Appends what it read to `reads`.
pub fn eval(env: &Env<'_>, id: ExprId, reads: &mut Reads) -> Truth {
    let Some(expr) = env.model.expr(id) else {
        // A dangling id is a bug in the checker; fail closed.
        return Truth::Unknown;
    };
    match &expr.node {
        ExprNode::And(parts) => {
            let mut acc = Truth::True;
            for p in parts {
                acc = acc.min(eval(env, *p, reads));
            }
            acc
        }
        ExprNode::Or(parts) => {
            let mut acc = Truth::False;
            for p in parts {
                acc = acc.max(eval(env, *p, reads));
            }
            acc
        }
        ExprNode::Not(inner) => eval(env, *inner, reads).not(),
        ExprNode::Test(t) => test(env, t, reads),
    }
}

fn read(reads: &mut Reads, key: FactKey, missing: bool) {
    let r = Read { key, missing };
    if !reads.contains(&r) {
        reads.push(r);
    }
}

fn idx32(i: usize) -> u32 {
    u32::try_from(i).unwrap_or(u32::MAX)
}

fn compare(a: i64, op: CmpOp, b: i64) -> bool {
    match op {
        CmpOp::Eq => a == b,
        CmpOp::Ne => a != b,
        CmpOp::Lt => a < b,
        CmpOp::Le => a <= b,
        CmpOp::Gt => a > b,
        CmpOp::Ge => a >= b,
    }
}

/// Whether a party is in a set, and what that read: its actor, or its unit (missing)
/// when the set lists only some of the actor's units.
pub(crate) fn membership(m: Membership, key: FactKey, unit_key: FactKey) -> (Truth, Read) {
    match m {
        Membership::Yes => (Truth::True, Read { key, missing: false }),
        Membership::No => (Truth::False, Read { key, missing: false }),
        Membership::UnitNeeded => (
            Truth::Unknown,
            Read {
                key: unit_key,
                missing: true,
            },
        ),
    }
}

/// [`membership`], its read recorded.
fn party_in(m: Membership, reads: &mut Reads, key: FactKey, unit_key: FactKey) -> Truth {
    let (truth, r) = membership(m, key, unit_key);
    read(reads, r.key, r.missing);
    truth
}

fn test(env: &Env<'_>, t: &Test, reads: &mut Reads) -> Truth {
    let (case, item) = (env.case, env.item);
    match t {
        Test::SenderIn(set) => party_in(
            set.contains(case.sender.actor, case.sender.unit),
            reads,
            FactKey::Sender,
            FactKey::SenderUnit,
        ),
        Test::RecipientIn(set) => party_in(
            set.contains(case.recipient.actor, case.recipient.unit),
            reads,
            FactKey::Recipient,
            FactKey::RecipientUnit,
        ),
        Test::ModeIs(m) => leaf(reads, FactKey::Mode, case.mode == *m),
        Test::PurposeIn(set) => leaf(
            reads,
            FactKey::Purposes,
            case.purposes.iter().any(|p| set.members.binary_search(p).is_ok()),
        ),
        Test::CategoryIn(set) => leaf(reads, FactKey::Category, set.contains(item.category)),
        Test::SecrecyIn(list) => leaf(
            reads,
            FactKey::Secrecy,
            env.secrecy.iter().any(|s| list.binary_search(s).is_ok()),
        ),
        Test::IsSecret => leaf(reads, FactKey::Secrecy, !env.secrecy.is_empty()),
        Test::CarriesIdentityNumber => leaf(reads, FactKey::IdentityNumber, item.carries_identity_number),
        Test::SameActor => {
            read(reads, FactKey::Sender, false);
            leaf(reads, FactKey::Recipient, case.sender.actor == case.recipient.actor)
        }
        Test::ConcernsNamedPerson => leaf(reads, FactKey::NamedPerson, item.subject.is_some()),
        Test::ActivityIn(set) => held_in(&item.held, set, reads),
        Test::AgeCompare(op, n) => person_attr(env, reads, PersonAttr::Age, |s| s.age, |a| compare(a, *op, *n))
            .unwrap_or_else(|| leaf(reads, FactKey::NamedPerson, false)),
        // An item that concerns no person has no protected person.
        Test::MarkerIn(list) => person_attr(env, reads, PersonAttr::Markers, markers_of, |ms| {
            ms.iter().any(|m| list.contains(m))
        })
        .unwrap_or(Truth::False),
        Test::AnyMarker => {
            person_attr(env, reads, PersonAttr::Markers, markers_of, |ms| !ms.is_empty()).unwrap_or(Truth::False)
        }
        Test::IdKindIn(kinds) => {
            person_attr(env, reads, PersonAttr::IdKind, |s| s.id_kind, |k| kinds.contains(&k)).unwrap_or(Truth::False)
        }
        Test::IdLevelIn(levels) => {
            person_attr(env, reads, PersonAttr::IdLevel, |s| s.id_level, |l| levels.contains(&l))
                .unwrap_or(Truth::False)
        }
        Test::Consent { guardian } => consent(env, reads, *guardian),
        Test::FactCompare(f, op, n) => fact(env, *f, reads, |v| match v {
            FactValue::Number(x) => Some(compare(x, *op, *n)),
            _ => None,
        }),
        Test::FactIs(f, b) => fact(env, *f, reads, |v| match v {
            FactValue::Bool(x) => Some(x == *b),
            _ => None,
        }),
        Test::FactIn(f, choices) => fact(env, *f, reads, |v| match v {
            FactValue::Choice(x) => Some(choices.contains(&x)),
            _ => None,
        }),
        Test::FactPresent(f) => match fact_slot(env, *f) {
            (Some(key), value) => leaf(reads, key, value.is_some()),
            (None, _) => Truth::False,
        },
        Test::OutcomeIn(list) => post(env, reads, FactKey::Outcome, |p| p.outcome.map(|o| list.contains(&o))),
        Test::BasisIncludes(list) => post(env, reads, FactKey::Basis, |p| {
            Some(p.basis.iter().any(|b| list.binary_search(b).is_ok()))
        }),
        Test::BalancingIn(which) => post(env, reads, FactKey::Balancing, |p| {
            Some(match (p.balancing, which) {
                (Some(_), None) => true,
                (Some(b), Some(list)) => list.contains(&b),
                (None, _) => false,
            })
        }),
    }
}

/// A fact that is always present in a valid request: read, and judged.
fn leaf(reads: &mut Reads, key: FactKey, holds: bool) -> Truth {
    read(reads, key, false);
    Truth::from_bool(holds)
}

/// An attribute of the person the item concerns: unknown while the request leaves it out.
/// `None` when the item concerns no named person.
fn person_attr<'a, T>(
    env: &Env<'a>,
    reads: &mut Reads,
    attr: PersonAttr,
    value: impl Fn(&'a Subject) -> Option<T>,
    holds: impl Fn(T) -> bool,
) -> Option<Truth> {
    let idx = env.item.subject?;
    let key = FactKey::Person(idx32(idx), attr);
    // A person named but not found is a bug (requests are validated): unknown, never
    // "concerns no person", which would let a marker's bar pass.
    Some(match env.subject.and_then(&value) {
        Some(v) => leaf(reads, key, holds(v)),
        None => {
            read(reads, key, true);
            Truth::Unknown
        }
    })
}

/// The person's protection markers, when the request states them.
fn markers_of(s: &Subject) -> Option<&[MarkerId]> {
    s.markers.as_deref()
}

/// A consent the request does not state was not given: never asked, never unknown.
fn consent(env: &Env<'_>, reads: &mut Reads, guardian: bool) -> Truth {
    let attr = if guardian {
        PersonAttr::GuardianConsent
    } else {
        PersonAttr::Consent
    };
    match (env.subject, env.item.subject) {
        (Some(s), Some(idx)) => leaf(
            reads,
            FactKey::Person(idx32(idx), attr),
            s.consented(&env.item.id, guardian),
        ),
        _ => Truth::False,
    }
}

/// A test of the decision itself (post-decision obligations): unknown before there is one.
fn post(env: &Env<'_>, reads: &mut Reads, key: FactKey, holds: impl Fn(&Post) -> Option<bool>) -> Truth {
    read(reads, key, false);
    match env.post.and_then(holds) {
        Some(b) => Truth::from_bool(b),
        None => Truth::Unknown,
    }
}

/// Where a fact is read from for this item, and its value.
fn fact_slot(env: &Env<'_>, f: FactId) -> (Option<FactKey>, Option<FactValue>) {
    let about_person = env.model.fact(f).is_some_and(|x| x.about_person);
    if about_person {
        // No person: the fact does not hold. A person named but not found (a bug: requests
        // are validated) reads as missing, so the test is unknown, never false.
        env.item.subject.map_or((None, None), |idx| {
            let value = env.subject.and_then(|s| s.facts.get(f.index()).copied().flatten());
            (Some(FactKey::PersonFact(idx32(idx), f)), value)
        })
    } else {
        (Some(FactKey::Fact(f)), env.case.facts.get(f.index()).copied().flatten())
    }
}

fn fact(env: &Env<'_>, f: FactId, reads: &mut Reads, test: impl Fn(FactValue) -> Option<bool>) -> Truth {
    match fact_slot(env, f) {
        (None, _) => Truth::False,
        (Some(key), None) => {
            read(reads, key, true);
            Truth::Unknown
        }
        (Some(key), Some(v)) => {
            read(reads, key, false);
            match test(v) {
                Some(b) => Truth::from_bool(b),
                // A value of the wrong type cannot pass validation; fail closed.
                None => Truth::Unknown,
            }
        }
    }
}
