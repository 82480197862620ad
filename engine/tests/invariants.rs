//! The model's invariants: the real rulesets keep them, and a model broken by hand (what
//! only a bug in the checker could produce) is found, each kind of break by name.

#![allow(
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_dsl::model::*;
use lagrum_engine::invariants::violations;

fn model() -> Model {
    let mut sources = lagrum_dsl::Sources::new();
    for (name, text) in lagrum_rulesets::FILES {
        sources.add(*name, *text);
    }
    match lagrum_dsl::check(sources) {
        Ok((model, _)) => model,
        Err(d) => panic!("the rulesets do not check: {} errors", d.error_count()),
    }
}

#[test]
fn the_rulesets_keep_every_invariant() {
    let m = model();
    assert!(m.versions.len() > 400, "too few versions: {}", m.versions.len());
    assert_eq!(violations(&m), Vec::<String>::new());
}

#[test]
fn a_version_that_points_at_nothing_is_found() {
    let mut m = model();
    m.versions[0].provision = ProvisionId(u32::MAX);
    let found = violations(&m);
    assert!(
        found.iter().any(|v| v == "version 0 is not listed by its provision"),
        "{found:?}"
    );
}

#[test]
fn a_rule_naming_a_missing_secrecy_provision_is_found() {
    let mut m = model();
    let (i, rule) = m
        .versions
        .iter_mut()
        .enumerate()
        .find_map(|(i, v)| match &mut v.body {
            Body::Rule(r) if matches!(r.breaks, Breaks::Listed(_)) => Some((i, r)),
            _ => None,
        })
        .expect("a permission");
    rule.breaks = Breaks::Listed(vec![ProvisionId(u32::MAX)]);
    let found = violations(&m);
    assert!(
        found
            .iter()
            .any(|v| v == &format!("version {i}: 1 reference(s) find nothing")),
        "{found:?}"
    );
}

#[test]
fn overlapping_versions_are_found() {
    let mut m = model();
    let p = m
        .provisions
        .iter()
        .position(|p| p.versions.len() >= 2)
        .expect("a provision with two versions");
    let (first, second) = (m.provisions[p].versions[0], m.provisions[p].versions[1]);
    // The first version is made to run on for ever, over the second's period.
    assert!(m.versions[second.index()].from > m.versions[first.index()].from);
    m.versions[first.index()].to = None;
    let found = violations(&m);
    let id = m.provisions[p].id.clone();
    assert!(
        found.contains(&format!("{id}: versions out of order or overlapping")),
        "{found:?}"
    );
}
