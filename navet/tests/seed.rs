//! The seed's eight examples, read by the parser and applied as change posts.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failing assertion is their job"
)]

use lagrum_navet::{Code, Flag, Known, PersonState, PostKind, Record, Records, Value};
use std::path::Path;

fn fixture(name: &str) -> Vec<u8> {
    std::fs::read(Path::new(env!("CARGO_MANIFEST_DIR")).join("tests/fixtures").join(name)).unwrap()
}

fn records(bytes: &[u8]) -> Vec<Record> {
    Records::new(bytes).map(|r| r.unwrap()).collect()
}

fn one(n: u32) -> Record {
    let mut all = records(&fixture(&format!("seed-{n}.navet")));
    assert_eq!(all.len(), 1);
    all.pop().unwrap()
}

#[test]
fn every_example_names_the_same_person() {
    for n in 1..=8 {
        let r = one(n);
        assert_eq!(r.identity.digits(), "193801248471", "example {n}");
        assert_eq!(r.line, 1);
    }
}

#[test]
fn change_posts_carry_the_markers_as_written() {
    use Flag::*;
    let expected = [
        (1, "2018.000.014.055", Set, Absent),
        (2, "2018.000.014.054", Absent, Set),
        (3, "2018.000.014.056", Set, Set),
        (4, "2018.000.014.058", Removed, Absent),
        (5, "2018.000.014.057", Absent, Removed),
        (6, "2018.000.014.059", Set, Removed),
    ];
    for (n, id, sekretess, skyddad) in expected {
        let r = one(n);
        assert_eq!(r.post_id.as_deref(), Some(id), "example {n}");
        assert_eq!(r.sekretessmarkering(), sekretess, "example {n}");
        assert_eq!(r.skyddad_folkbokforing(), skyddad, "example {n}");
        assert!(r.blocks.is_empty());
        assert_eq!(r.first_name(), None);
    }
}

#[test]
fn the_total_post_has_names_address_and_blocks() {
    let r = one(7);
    assert_eq!(r.post_id.as_deref(), Some("2018.000.014.063"));
    assert_eq!(r.sekretessmarkering(), Flag::Set);
    assert_eq!(r.skyddad_folkbokforing(), Flag::Set);
    assert_eq!(r.first_name(), Some(&Value::Set("Karim".into())));
    assert_eq!(r.last_name(), Some(&Value::Set("Ka".into())));
    let a = r.formedlingsadress();
    assert_eq!(a.first_line, Some(Value::Set("FÖRMEDLINGSUPPDRAG SKATTEVERKET".into())));
    assert_eq!(a.line2, Some(Value::Set("KONTOR 123".into())));
    assert_eq!(a.line3, Some(Value::Set("BOX 2820".into())));
    assert_eq!(a.postal_code, Some(Value::Set("40320".into())));
    assert_eq!(a.city, Some(Value::Set("GÖTEBORG".into())));
    let blocks: Vec<(String, usize)> = r.blocks.iter().map(|b| (b.code.to_string(), b.terms.len())).collect();
    assert_eq!(
        blocks,
        vec![("02000".into(), 2), ("03000".into(), 2), ("04000".into(), 5)]
    );
    assert_eq!(r.blocks[0].terms[0].value, Value::Set("198405012389".into()));
    // Unknown codes are kept as raw terms, in order.
    let untyped: Vec<String> = r.untyped_terms().map(|t| t.code.to_string()).collect();
    assert_eq!(
        untyped,
        [
            "01004", "01010", "01021", "01022", "01023", "01025", "01028", "01034", "01081"
        ]
    );
    assert_eq!(
        r.term(Code::parse("01025").unwrap()),
        Some(&Value::Set("PÅ KOMMUNEN SKRIVEN".into()))
    );
}

#[test]
fn the_aviseringspost_has_no_post_id() {
    let r = one(8);
    assert_eq!(r.post_id, None);
    assert_eq!(r.first_name(), Some(&Value::Set("Bertil".into())));
    assert_eq!(r.last_name(), Some(&Value::Set("Larsson".into())));
    assert_eq!(r.sekretessmarkering(), Flag::Set);
    assert_eq!(r.skyddad_folkbokforing(), Flag::Set);
    assert_eq!(r.end_line, 39);
}

fn state_after(records: &[u32], kind: PostKind) -> PersonState {
    let first = one(records[0]);
    let mut s = PersonState::new(first.identity, &[]);
    for n in records {
        s.apply(&one(*n), kind);
    }
    s
}

#[test]
fn change_posts_update_the_previous_state_as_the_seed_describes() {
    // 1: none before, sekretessmarkering after. Skyddad folkbokföring is not mentioned, so
    // from an unknown start it stays unknown.
    let s = state_after(&[1], PostKind::Change);
    assert_eq!(
        (s.sekretessmarkering(), s.skyddad_folkbokforing()),
        (Known::Yes, Known::Unknown)
    );
    assert_eq!(s.protected(), Known::Yes);
    // 4 after 1: the sekretessmarkering is removed.
    let s = state_after(&[1, 4], PostKind::Change);
    assert_eq!(s.sekretessmarkering(), Known::No);
    // 5 after 2: skyddad folkbokföring is removed.
    let s = state_after(&[2, 5], PostKind::Change);
    assert_eq!(s.skyddad_folkbokforing(), Known::No);
    // 3: both.
    let s = state_after(&[3], PostKind::Change);
    assert_eq!(
        (s.sekretessmarkering(), s.skyddad_folkbokforing()),
        (Known::Yes, Known::Yes)
    );
    // 6 after "only skyddad folkbokföring" (2 then 4 clears the other): only sekretessmarkering.
    let s = state_after(&[2, 1, 4, 6], PostKind::Change);
    assert_eq!(
        (s.sekretessmarkering(), s.skyddad_folkbokforing()),
        (Known::Yes, Known::No)
    );
    // 4 and 5 after 3: no protection left, and now both are known.
    let s = state_after(&[3, 4, 5], PostKind::Change);
    assert_eq!(s.protected(), Known::No);
}

#[test]
fn a_total_post_replaces_the_state() {
    let mut s = state_after(&[3], PostKind::Change);
    assert_eq!(s.first_name, None);
    s.apply(&one(7), PostKind::Total);
    assert_eq!(s.first_name.as_deref(), Some("Karim"));
    assert_eq!(s.formedlingsadress.city, Some(Value::Set("GÖTEBORG".into())));
    assert_eq!(s.protected(), Known::Yes);
    s.apply(&one(8), PostKind::Total);
    assert_eq!(s.first_name.as_deref(), Some("Bertil"));
    assert_eq!(s.records, 3);
    // Read as a total post, example 4 (only `01003 $`) leaves no marker at all.
    s.apply(&one(4), PostKind::Total);
    assert_eq!(s.protected(), Known::No);
    assert_eq!(s.first_name, None);
}

#[test]
fn the_whole_file_reads_the_same_in_utf8_and_latin1() {
    let utf8 = records(&fixture("seed-all.navet"));
    let latin1 = records(&fixture("seed-all-latin1.navet"));
    assert_eq!(utf8.len(), 8);
    assert_eq!(utf8, latin1);
    let bytes = fixture("seed-all-latin1.navet");
    let mut stats_reader = Records::new(&bytes[..]);
    for _ in stats_reader.by_ref() {}
    let stats = stats_reader.stats();
    assert_eq!(stats.records, 8);
    assert_eq!(stats.malformed, 0);
    assert_eq!(
        stats.latin1_lines, 8,
        "the lines with Å and Ö: four in each of examples 7 and 8"
    );
    // The last record wins: both markers set.
    let mut register = lagrum_navet::Register::all(PostKind::Change);
    register
        .read(&fixture("seed-all.navet")[..], |m| panic!("{m}"))
        .unwrap();
    assert_eq!(register.len(), 1);
    let p = register.persons()[0];
    assert_eq!(
        (p.sekretessmarkering(), p.skyddad_folkbokforing()),
        (Known::Yes, Known::Yes)
    );
    assert_eq!(p.records, 8);
    assert_eq!(p.first_name.as_deref(), Some("Bertil"));
}
