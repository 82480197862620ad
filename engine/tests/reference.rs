//! The datafrog evaluator against the naive reference evaluator: on generated requests over
//! the whole vocabulary of the real rulesets, both give the same decision — outcome, basis,
//! every finding, every check and every question.

#![allow(
    clippy::expect_used,
    clippy::panic,
    reason = "test code: a failed assumption fails the test"
)]

mod support;

use lagrum_engine::Engine;
use lagrum_engine::program::{Datafrog, Naive};
use support::{Rng, Vocabulary};

/// How many requests a normal run compares (`LAGRUM_REFERENCE_CASES` overrides it).
fn cases() -> usize {
    std::env::var("LAGRUM_REFERENCE_CASES")
        .ok()
        .and_then(|s| s.parse().ok())
        .unwrap_or(100_000)
}

#[test]
fn datafrog_and_the_naive_evaluator_decide_alike() {
    let engine = Engine::from_files(lagrum_rulesets::FILES).unwrap_or_else(|e| panic!("{}", e.render()));
    let vocabulary = Vocabulary::of(&engine);
    let mut rng = Rng::new(0x5eed_1a6e);
    let (mut compared, mut items, mut secret_items, mut basis) = (0usize, 0usize, 0usize, 0usize);
    for _ in 0..cases() {
        let request = vocabulary.request(&mut rng).to_string();
        let case = engine
            .parse_request(&request)
            .unwrap_or_else(|e| panic!("a generated request is invalid: {e}\n{request}"));
        let fast = engine.decide_with(&Datafrog, &case);
        let slow = engine.decide_with(&Naive, &case);
        assert_eq!(fast, slow, "the evaluators disagree on\n{request}");
        compared += 1;
        items += fast.items.len();
        secret_items += fast.items.iter().filter(|i| i.secret()).count();
        basis += fast.items.iter().filter(|i| !i.basis.is_empty()).count();
    }
    // The comparison means something only if the requests reach the interesting parts.
    assert_eq!(compared, cases());
    assert!(
        secret_items * 4 > items,
        "too few secret items: {secret_items} of {items}"
    );
    assert!(basis * 10 > items, "too few items with a basis: {basis} of {items}");
}

/// Rule 1 is evaluated once per engine, for every category (`protection_by_category`):
/// both evaluators give the same table on the real rulesets, and it is not empty.
#[test]
fn both_evaluators_give_the_same_protection_table() {
    let engine = Engine::from_files(lagrum_rulesets::FILES).unwrap_or_else(|e| panic!("{}", e.render()));
    let model = engine.model();
    let law = lagrum_engine::compile::Law::compile(model);
    let fast = lagrum_engine::program::protection_by_category(&Datafrog, model, &law);
    let slow = lagrum_engine::program::protection_by_category(&Naive, model, &law);
    assert_eq!(fast, slow, "the evaluators disagree on rule 1");
    assert_eq!(fast.len(), model.categories.len());
    let protected = fast.iter().filter(|l| !l.is_empty()).count();
    assert!(
        protected >= 100,
        "only {protected} categories have any secrecy candidate"
    );
    assert!(
        fast.iter().all(|l| l.windows(2).all(|w| w[0] < w[1])),
        "a list is not ascending"
    );
}
