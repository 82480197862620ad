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

fn membership(m: Membership, reads: &mut Reads, key: FactKey, unit_key: FactKey) -> Truth {
    match m {
        Membership::Yes => {
            read(reads, key, false);
            Truth::True
        }
        Membership::No => {
            read(reads, key, false);
            Truth::False
        }
        Membership::UnitNeeded => {
            read(reads, unit_key, true);
            Truth::Unknown
        }
    }
}

fn test(env: &Env<'_>, t: &Test, reads: &mut Reads) -> Truth {
    let case = env.case;
    let person = |attr: PersonAttr| env.item.subject.map(|s| FactKey::Person(idx32(s), attr));
    match t {
        Test::SenderIn(set) => membership(
            set.contains(case.sender.actor, case.sender.unit),
            reads,
            FactKey::Sender,
            FactKey::SenderUnit,
        ),
        Test::RecipientIn(set) => membership(
            set.contains(case.recipient.actor, case.recipient.unit),
            reads,
            FactKey::Recipient,
            FactKey::RecipientUnit,
        ),
        Test::ModeIs(m) => {
            read(reads, FactKey::Mode, false);
            Truth::from_bool(case.mode == *m)
        }
        Test::PurposeIn(set) => {
            read(reads, FactKey::Purposes, false);
            Truth::from_bool(case.purposes.iter().any(|p| set.members.binary_search(p).is_ok()))
        }
        Test::CategoryIn(set) => {
            read(reads, FactKey::Category, false);
            Truth::from_bool(set.contains(env.item.category))
        }
        Test::SecrecyIn(list) => {
            read(reads, FactKey::Secrecy, false);
            Truth::from_bool(env.secrecy.iter().any(|s| list.binary_search(s).is_ok()))
        }
        Test::IsSecret => {
            read(reads, FactKey::Secrecy, false);
            Truth::from_bool(!env.secrecy.is_empty())
        }
        Test::CarriesIdentityNumber => {
            read(reads, FactKey::IdentityNumber, false);
            Truth::from_bool(env.item.carries_identity_number)
        }
        Test::SameActor => {
            read(reads, FactKey::Sender, false);
            read(reads, FactKey::Recipient, false);
            Truth::from_bool(env.case.sender.actor == env.case.recipient.actor)
        }
        Test::ConcernsNamedPerson => {
            read(reads, FactKey::NamedPerson, false);
            Truth::from_bool(env.item.subject.is_some())
        }
        Test::AgeCompare(op, n) => match (env.subject, person(PersonAttr::Age)) {
            (Some(s), Some(key)) => match s.age {
                Some(a) => {
                    read(reads, key, false);
                    Truth::from_bool(compare(a, *op, *n))
                }
                None => {
                    read(reads, key, true);
                    Truth::Unknown
                }
            },
            _ => {
                read(reads, FactKey::NamedPerson, false);
                Truth::False
            }
        },
        Test::MarkerIn(list) => markers(env, reads, |ms| ms.iter().any(|m| list.contains(m))),
        Test::AnyMarker => markers(env, reads, |ms| !ms.is_empty()),
        Test::IdKindIn(kinds) => match (env.subject, person(PersonAttr::IdKind)) {
            (Some(s), Some(key)) => match s.id_kind {
                Some(k) => {
                    read(reads, key, false);
                    Truth::from_bool(kinds.contains(&k))
                }
                None => {
                    read(reads, key, true);
                    Truth::Unknown
                }
            },
            _ => Truth::False,
        },
        Test::IdLevelIn(levels) => match (env.subject, person(PersonAttr::IdLevel)) {
            (Some(s), Some(key)) => match s.id_level {
                Some(l) => {
                    read(reads, key, false);
                    Truth::from_bool(levels.contains(&l))
                }
                None => {
                    read(reads, key, true);
                    Truth::Unknown
                }
            },
            _ => Truth::False,
        },
        Test::ActivityIn(set) => held_in(&env.item.held, set, reads),
        // A consent the request does not state was not given: never asked, never unknown.
        Test::Consent { guardian } => match (
            env.subject,
            person(if *guardian {
                PersonAttr::GuardianConsent
            } else {
                PersonAttr::Consent
            }),
        ) {
            (Some(s), Some(key)) => {
                read(reads, key, false);
                Truth::from_bool(s.consented(&env.item.id, *guardian))
            }
            _ => Truth::False,
        },
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
        Test::FactPresent(f) => {
            let (key, value) = fact_slot(env, *f);
            match key {
                Some(k) => {
                    read(reads, k, false);
                    Truth::from_bool(value.is_some())
                }
                None => Truth::False,
            }
        }
        Test::OutcomeIn(list) => {
            read(reads, FactKey::Outcome, false);
            match env.post.and_then(|p| p.outcome) {
                Some(o) => Truth::from_bool(list.contains(&o)),
                None => Truth::Unknown,
            }
        }
        Test::BasisIncludes(list) => {
            read(reads, FactKey::Basis, false);
            match env.post {
                Some(p) => Truth::from_bool(p.basis.iter().any(|b| list.binary_search(b).is_ok())),
                None => Truth::Unknown,
            }
        }
        Test::BalancingIn(which) => {
            read(reads, FactKey::Balancing, false);
            match env.post {
                Some(p) => Truth::from_bool(match (p.balancing, which) {
                    (Some(_), None) => true,
                    (Some(b), Some(list)) => list.contains(&b),
                    (None, _) => false,
                }),
                None => Truth::Unknown,
            }
        }
    }
}

fn markers(env: &Env<'_>, reads: &mut Reads, f: impl Fn(&[MarkerId]) -> bool) -> Truth {
    match (env.subject, env.item.subject) {
        (Some(s), Some(idx)) => {
            let key = FactKey::Person(idx32(idx), PersonAttr::Markers);
            match &s.markers {
                Some(ms) => {
                    read(reads, key, false);
                    Truth::from_bool(f(ms))
                }
                None => {
                    read(reads, key, true);
                    Truth::Unknown
                }
            }
        }
        // An item that concerns no person has no protected person.
        _ => Truth::False,
    }
}

/// Where a fact is read from for this item, and its value.
fn fact_slot(env: &Env<'_>, f: FactId) -> (Option<FactKey>, Option<FactValue>) {
    let about_person = env.model.fact(f).is_some_and(|x| x.about_person);
    if about_person {
        match (env.subject, env.item.subject) {
            (Some(s), Some(idx)) => (
                Some(FactKey::PersonFact(idx32(idx), f)),
                s.facts.get(f.index()).copied().flatten(),
            ),
            _ => (None, None),
        }
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
