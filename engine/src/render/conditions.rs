//! A ruleset condition (`när …`) in plain Swedish, from the rulesets' own labels: the
//! people's reading of what the DSL says, for proofs and questions. Never DSL text and
//! never a JSON path; the machine-readable document keeps the condition as written.

use super::names::{activity_set, actor_set, category_set, citation, mode, purpose_set};
use lagrum_dsl::ast::CmpOp;
use lagrum_dsl::model::*;

/// The condition `e` as a Swedish clause, e.g. "avsändaren är Polismyndigheten och
/// personen är under 18 år". A part that cannot be found reads "(okänt villkor)".
pub fn describe(model: &Model, e: ExprId) -> String {
    clause(model, e, 0)
}

/// Deeper than the checker allows only through a bug: stop rather than recurse on.
const MAX_DEPTH: usize = 80;

fn clause(model: &Model, e: ExprId, depth: usize) -> String {
    let Some(expr) = model.expr(e).filter(|_| depth < MAX_DEPTH) else {
        return "(okänt villkor)".into();
    };
    match &expr.node {
        ExprNode::And(parts) => joined(model, parts, "och", depth),
        ExprNode::Or(parts) => joined(model, parts, "eller", depth),
        ExprNode::Not(inner) => format!("det gäller inte att {}", grouped(model, *inner, depth)),
        ExprNode::Test(t) => test(model, t),
    }
}

/// A part inside a larger clause: a compound part in parentheses so that "och" and
/// "eller" keep their grouping.
fn grouped(model: &Model, e: ExprId, depth: usize) -> String {
    let text = clause(model, e, depth + 1);
    match model.expr(e).map(|x| &x.node) {
        Some(ExprNode::And(_) | ExprNode::Or(_)) => format!("({text})"),
        _ => text,
    }
}

fn joined(model: &Model, parts: &[ExprId], word: &str, depth: usize) -> String {
    let texts: Vec<String> = parts.iter().map(|p| grouped(model, *p, depth)).collect();
    alternatives(&texts, word)
}

/// `a, b och c` / `a, b eller c`.
fn alternatives(items: &[String], word: &str) -> String {
    match items {
        [] => String::new(),
        [one] => one.clone(),
        [init @ .., last] => format!("{} {word} {last}", init.join(", ")),
    }
}

fn test(model: &Model, t: &Test) -> String {
    match t {
        Test::SenderIn(set) => format!("avsändaren är {}", actor_set(model, set)),
        Test::RecipientIn(set) => format!("mottagaren är {}", actor_set(model, set)),
        Test::ModeIs(m) => format!("uppgiften lämnas {}", mode(*m)),
        Test::PurposeIn(set) => format!("syftet är {}", purpose_set(model, set)),
        Test::CategoryIn(set) => format!("uppgiften är {}", category_set(model, set)),
        Test::SecrecyIn(list) => {
            let names: Vec<String> = list.iter().map(|p| citation(model, *p)).collect();
            format!(
                "uppgiften omfattas av sekretess enligt {}",
                alternatives(&names, "eller")
            )
        }
        Test::CarriesIdentityNumber => "uppgiften innehåller ett personnummer eller samordningsnummer".into(),
        Test::ConcernsNamedPerson => "uppgiften gäller en person som begäran anger".into(),
        Test::SameActor => "avsändaren och mottagaren är samma myndighet".into(),
        Test::AgeCompare(op, n) => format!("personen är {} år", compared(*op, *n)),
        Test::MarkerIn(markers) => {
            let names: Vec<String> = markers
                .iter()
                .map(|m| {
                    model
                        .marker(*m)
                        .map_or_else(|| "(okänd markering)".into(), |x| x.label.clone())
                })
                .collect();
            format!("personen har {}", alternatives(&names, "eller"))
        }
        Test::AnyMarker => format!("personen har {}", any_marker(model)),
        Test::IdKindIn(kinds) => {
            let names: Vec<String> = kinds.iter().map(|k| k.name().to_string()).collect();
            format!("personens identitetsnummer är ett {}", alternatives(&names, "eller"))
        }
        Test::IdLevelIn(levels) => {
            let names: Vec<String> = levels.iter().map(|l| l.name().to_string()).collect();
            format!("personens identitet är {}", alternatives(&names, "eller"))
        }
        Test::ActivityIn(set) => format!("uppgiften finns i {}", activity_set(model, set)),
        Test::Consent { guardian: false } => "personen har samtyckt till att uppgiften lämnas".into(),
        Test::Consent { guardian: true } => "vårdnadshavaren har samtyckt till att uppgiften lämnas".into(),
        Test::FactCompare(f, op, n) => format!("{} är {}", fact_label(model, *f), compared(*op, *n)),
        Test::FactIs(f, true) => format!("{}: ja", fact_label(model, *f)),
        Test::FactIs(f, false) => format!("{}: nej", fact_label(model, *f)),
        Test::FactIn(f, choices) => {
            let names: Vec<String> = choices.iter().map(|c| choice_label(model, *f, *c)).collect();
            format!("{}: {}", fact_label(model, *f), alternatives(&names, "eller"))
        }
        Test::FactPresent(f) => format!("{} är angivet", fact_label(model, *f)),
        Test::OutcomeIn(outcomes) => {
            let names: Vec<String> = outcomes.iter().map(|o| super::names::outcome(*o).to_string()).collect();
            format!("utfallet är {}", alternatives(&names, "eller"))
        }
        Test::BasisIncludes(list) => {
            let names: Vec<String> = list.iter().map(|p| citation(model, *p)).collect();
            format!("utfallet vilar på {}", alternatives(&names, "eller"))
        }
        Test::IsSecret => "uppgiften omfattas av sekretess hos avsändaren".into(),
        Test::BalancingIn(None) => "utfallet vilar på en intresseavvägning".into(),
        Test::BalancingIn(Some(tests)) => {
            let names: Vec<String> = tests
                .iter()
                .map(|b| {
                    model
                        .balancing_test(*b)
                        .map_or_else(|| "(okänd avvägning)".into(), |x| x.label.clone())
                })
                .collect();
            format!(
                "utfallet vilar på intresseavvägningen {}",
                alternatives(&names, "eller")
            )
        }
    }
}

/// The ruleset's protection markers, "skyddad folkbokföring eller sekretessmarkering".
fn any_marker(model: &Model) -> String {
    let names: Vec<String> = model.markers.iter().map(|m| m.label.clone()).collect();
    alternatives(&names, "eller")
}

fn fact_label(model: &Model, f: FactId) -> String {
    model
        .fact(f)
        .map_or_else(|| "(okänt faktum)".into(), |x| x.label.clone())
}

fn choice_label(model: &Model, f: FactId, c: u32) -> String {
    match model.fact(f).map(|x| &x.ty) {
        Some(FactType::Choice(names)) => names.get(c as usize).cloned().unwrap_or_else(|| "?".into()),
        _ => "?".into(),
    }
}

/// `under 18`, `minst 6`, `6`.
fn compared(op: CmpOp, n: i64) -> String {
    match op {
        CmpOp::Eq => format!("{n}"),
        CmpOp::Ne => format!("inte {n}"),
        CmpOp::Lt => format!("under {n}"),
        CmpOp::Le => format!("högst {n}"),
        CmpOp::Gt => format!("över {n}"),
        CmpOp::Ge => format!("minst {n}"),
    }
}

/// What a missing request field is, in words: "personens ålder", "brottets stadium".
pub fn field(model: &Model, key: crate::cond::FactKey) -> String {
    use crate::cond::FactKey;
    match key {
        FactKey::Sender => "avsändaren".into(),
        FactKey::SenderUnit => "avsändarens enhet".into(),
        FactKey::Recipient => "mottagaren".into(),
        FactKey::RecipientUnit => "mottagarens enhet".into(),
        FactKey::Mode => "om uppgiften lämnas på begäran eller på eget initiativ".into(),
        FactKey::Purposes => "syftet".into(),
        FactKey::Category => "vad uppgiften är".into(),
        FactKey::Activity => "i vilken verksamhet uppgiften finns".into(),
        FactKey::Secrecy | FactKey::SecrecyAssessment => "vilken sekretess som gäller för uppgiften".into(),
        FactKey::IdentityNumber => "om uppgiften innehåller ett identitetsnummer".into(),
        FactKey::NamedPerson => "vilken person uppgiften gäller".into(),
        FactKey::Person(_, attr) => match attr {
            PersonAttr::Age => "personens ålder",
            PersonAttr::Markers => return format!("om personen har {}", any_marker(model)),
            PersonAttr::IdKind => "vilket slags identitetsnummer personen har",
            PersonAttr::IdLevel => "hur säker personens identitet är",
            PersonAttr::Consent | PersonAttr::GuardianConsent => "om samtycke finns",
        }
        .into(),
        FactKey::PersonFact(_, f) | FactKey::Fact(f) => fact_label(model, f),
        FactKey::Outcome => "utfallet".into(),
        FactKey::Basis => "vad utfallet vilar på".into(),
        FactKey::Balancing => "intresseavvägningen".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn operators_and_lists_read_as_words() {
        assert_eq!(compared(CmpOp::Lt, 18), "under 18");
        assert_eq!(compared(CmpOp::Ge, 6), "minst 6");
        assert_eq!(compared(CmpOp::Le, 2), "högst 2");
        assert_eq!(compared(CmpOp::Ne, 0), "inte 0");
        let abc: Vec<String> = ["a", "b", "c"].map(String::from).to_vec();
        assert_eq!(alternatives(&abc, "eller"), "a, b eller c");
        assert_eq!(alternatives(&abc[..1], "och"), "a");
    }
}
