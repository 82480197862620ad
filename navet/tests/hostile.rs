//! Broken and hostile input: every problem is reported with its line and record, reading
//! goes on with the next record, and nothing panics.

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failing assertion is their job"
)]

use lagrum_engine::identity::mask_in_text;
use lagrum_navet::{Code, Error, Malformed, Problem, Record, Records, Value};
use proptest::prelude::*;

const GOOD: &str = "#POST_START\n#POST_ID 9\n#UP 01001 193801248471\n#UP 01003 J\n#POST_SLUT\n";

/// Records and malformed records, in order.
fn read(input: &[u8]) -> (Vec<Record>, Vec<Malformed>) {
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for item in Records::new(input) {
        match item {
            Ok(r) => ok.push(r),
            Err(Error::Malformed(m)) => bad.push(m),
            Err(Error::Io(e)) => panic!("io: {e}"),
        }
    }
    (ok, bad)
}

/// `broken` followed by a good record: one problem, then the good record.
fn one_problem(broken: &str) -> Malformed {
    let input = format!("{broken}{GOOD}");
    let (ok, mut bad) = read(input.as_bytes());
    assert_eq!(bad.len(), 1, "{broken:?}: {bad:?}");
    assert_eq!(ok.len(), 1, "{broken:?}: the next record is read");
    assert_eq!(ok[0].post_id.as_deref(), Some("9"));
    bad.pop().unwrap()
}

#[test]
fn a_record_cut_off_by_the_next_one() {
    let m = one_problem("#POST_START\n#POST_ID 1\n#UP 01001 193801248471\n#UP 01020 J\n");
    assert_eq!(m.problem, Problem::StartInsideRecord);
    assert_eq!((m.line, m.start_line, m.post_id.as_deref()), (5, Some(1), Some("1")));
    assert_eq!(m.identity.map(|n| n.masked()), Some("19380124-****".into()));
    assert_eq!(
        m.to_string(),
        "rad 5 (post \"1\" från rad 1) [19380124-****]: ny #POST_START innan posten avslutats med #POST_SLUT"
            .replace('"', "")
    );
}

#[test]
fn a_file_that_ends_inside_a_record() {
    let input = "#POST_START\n#POST_ID 7\n#UP 01001 193801248471\n#UP 01003 J";
    let (ok, bad) = read(input.as_bytes());
    assert!(ok.is_empty());
    assert_eq!(bad.len(), 1);
    assert_eq!(bad[0].problem, Problem::Truncated);
    assert_eq!((bad[0].line, bad[0].start_line), (4, Some(1)));
    assert!(
        bad[0].identity.is_some(),
        "the person is named so a caller can distrust its state"
    );
}

#[test]
fn structural_problems_are_named() {
    let start = "#POST_START\n#POST_ID 1\n#UP 01001 193801248471\n";
    let code = |s: &str| Code::parse(s).unwrap();
    let cases: Vec<(String, Problem, usize)> = vec![
        (format!("{start}#UP 1003 J\n#POST_SLUT\n"), Problem::BadCode, 4),
        (format!("{start}#UP\n#POST_SLUT\n"), Problem::BadCode, 4),
        (
            format!("{start}#UP 01012\n#POST_SLUT\n"),
            Problem::MissingValue(code("01012")),
            4,
        ),
        (
            format!("{start}#UP 01003 N\n#POST_SLUT\n"),
            Problem::BadFlag(code("01003")),
            4,
        ),
        (
            format!("{start}#UP 01003 J\n#UP 01003 $\n#POST_SLUT\n"),
            Problem::Repeated(code("01003")),
            5,
        ),
        (
            format!("{start}#UP 01001 193801248471\n#POST_SLUT\n"),
            Problem::Repeated(code("01001")),
            4,
        ),
        (
            format!("{start}#UP 02000\n#UP 02001 x\n#POST_SLUT\n"),
            Problem::UnclosedBlock(code("02000")),
            6,
        ),
        (
            format!("{start}#UP 02000\n#UP 03001 SE\n#UP 02999\n#POST_SLUT\n"),
            Problem::TermOutsideItsBlock {
                code: code("03001"),
                open: code("02000"),
            },
            5,
        ),
        (
            format!("{start}#UP 02000\n#UP 03000\n#POST_SLUT\n"),
            Problem::BlockInsideBlock {
                code: code("03000"),
                open: code("02000"),
            },
            5,
        ),
        (
            format!("{start}#UP 02999\n#POST_SLUT\n"),
            Problem::CloseWithoutOpen(code("02999")),
            4,
        ),
        (
            format!("{start}#UP 02000 x\n#POST_SLUT\n"),
            Problem::ValueOnBlockCode(code("02000")),
            4,
        ),
        (format!("{start}#POST_ID 2\n#POST_SLUT\n"), Problem::DuplicatePostId, 4),
        (format!("{start}hello\n#POST_SLUT\n"), Problem::UnknownLine, 4),
        (format!("{start}#UPP 01003 J\n#POST_SLUT\n"), Problem::UnknownLine, 4),
        (
            "#POST_START\n#UP 01003 J\n#POST_SLUT\n".to_string(),
            Problem::MissingIdentity,
            3,
        ),
        ("#POST_SLUT\n".to_string(), Problem::EndWithoutStart, 1),
        ("just text\nmore text\n".to_string(), Problem::OutsideRecord, 1),
    ];
    for (input, problem, line) in cases {
        let m = one_problem(&input);
        assert_eq!(m.problem, problem, "{input}");
        assert_eq!(m.line, line, "{input}");
        let text = m.to_string();
        assert!(text.starts_with(&format!("rad {line}")), "{text}");
    }
}

#[test]
fn an_invalid_identity_number_is_reported_masked() {
    let m = one_problem("#POST_START\n#POST_ID 3\n#UP 01001 193801248472\n#POST_SLUT\n");
    assert!(matches!(m.problem, Problem::BadIdentity { .. }));
    let text = m.to_string();
    assert_eq!(m.line, 3);
    assert!(text.contains("19380124-****"), "{text}");
    assert!(!text.contains("8472"), "{text}");
    assert!(text.contains("kontrollsiffran"), "{text}");
}

#[test]
fn unknown_term_codes_are_kept() {
    let input = "#POST_START\n#UP 01001 193801248471\n#UP 05123 något nytt\n#UP 01003 -1\n#UP 07000\n#UP 07001 x\n#UP 07999\n#POST_SLUT\n";
    let (ok, bad) = read(input.as_bytes());
    assert!(bad.is_empty(), "{bad:?}");
    let r = &ok[0];
    assert_eq!(
        r.term(Code::parse("05123").unwrap()),
        Some(&Value::Set("något nytt".into()))
    );
    assert_eq!(r.sekretessmarkering(), lagrum_navet::Flag::Removed, "-1 is a removal");
    assert_eq!(r.blocks.len(), 1);
}

#[test]
fn headers_blank_lines_crlf_and_tabs_are_accepted() {
    let input = "#MEDIELEV_START\r\n#ORGNR 202100-5489\r\n#MEDIELEV_SLUT\r\n\r\n#POST_START\r\n\t#UP\t01001\t193801248471 \r\n#UP 01012 Märta  Sofia \r\n#POST_SLUT\r\n#SLUT\r\n";
    let mut records = Records::new(input.as_bytes());
    let ok: Vec<Record> = records.by_ref().map(|r| r.unwrap()).collect();
    assert_eq!(ok.len(), 1);
    assert_eq!(ok[0].first_name(), Some(&Value::Set("Märta  Sofia".into())));
    assert_eq!(records.stats().header_lines, 4);
}

#[test]
fn wrong_encodings_are_reported_not_guessed_into_records() {
    // UTF-16LE with a byte order mark: every line has NUL bytes.
    let utf16: Vec<u8> = std::iter::once(0xFEFF_u16)
        .chain(GOOD.encode_utf16())
        .flat_map(|u| u.to_le_bytes())
        .collect();
    let (ok, bad) = read(&utf16);
    assert!(ok.is_empty());
    assert_eq!(bad.len(), 1, "one report for the run of unreadable lines");
    assert_eq!(bad[0].problem, Problem::BadEncoding);

    // Invalid UTF-8 inside a value is read as Latin-1, not rejected.
    let mut mixed = b"#POST_START\n#UP 01001 193801248471\n#UP 01014 \xD6berg\n".to_vec();
    mixed.extend_from_slice("#UP 01012 Åsa\n#POST_SLUT\n".as_bytes());
    let (ok, bad) = read(&mixed);
    assert!(bad.is_empty());
    assert_eq!(ok[0].last_name(), Some(&Value::Set("Öberg".into())));
    assert_eq!(ok[0].first_name(), Some(&Value::Set("Åsa".into())));

    // NUL inside a record breaks that record only.
    let nul = format!("#POST_START\n#UP 01001 193801248471\n#UP 01012 a\0b\n#POST_SLUT\n{GOOD}");
    let (ok, bad) = read(nul.as_bytes());
    assert_eq!((ok.len(), bad.len()), (1, 1));
    assert_eq!((bad[0].problem.clone(), bad[0].line), (Problem::BadEncoding, 3));
}

#[test]
fn an_endless_line_is_dropped_in_bounded_memory() {
    let mut input = b"#POST_START\n#UP 01001 193801248471\n#UP 01012 ".to_vec();
    input.extend(std::iter::repeat_n(b'x', 200_000));
    input.extend_from_slice(b"\n#POST_SLUT\n");
    input.extend_from_slice(GOOD.as_bytes());
    let mut ok = Vec::new();
    let mut bad = Vec::new();
    for item in Records::with_line_limit(&input[..], 1024) {
        match item {
            Ok(r) => ok.push(r),
            Err(Error::Malformed(m)) => bad.push(m),
            Err(Error::Io(e)) => panic!("{e}"),
        }
    }
    assert_eq!(ok.len(), 1);
    assert_eq!(bad.len(), 1);
    assert_eq!(
        (bad[0].problem.clone(), bad[0].line),
        (Problem::LineTooLong { max: 1024 }, 3)
    );
}

#[test]
fn a_hostile_post_id_is_shortened_escaped_and_masked() {
    let id = format!("\u{1b}[31m193801248471{}", "x".repeat(100));
    let input = format!("#POST_START\n#POST_ID {id}\n#UP 01001 193801248471\n#UP 02000\n#POST_SLUT\n");
    let (_, bad) = read(input.as_bytes());
    let text = bad[0].to_string();
    assert!(!text.contains('\u{1b}'), "{text}");
    assert!(!text.contains("8471"), "{text}");
    assert!(text.len() < 200, "{text}");
}

fn seed_all() -> Vec<u8> {
    std::fs::read(concat!(env!("CARGO_MANIFEST_DIR"), "/tests/fixtures/seed-all.navet")).unwrap()
}

#[test]
fn a_term_code_that_ends_like_a_number_is_no_number() {
    // Found by the proptest below: `termen 08471 saknar värde` names a term code.
    let (_, bad) = read(b"#POST_START\n#UP 08471\n");
    let text = bad[0].to_string();
    assert!(text.contains("termen 08471 saknar värde"), "{text}");
    assert_eq!(mask_in_text(&text), text);
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(512))]

    #[test]
    fn any_bytes_are_read_without_panic(bytes in prop::collection::vec(any::<u8>(), 0..2000)) {
        let mut records = Records::new(&bytes[..]);
        let mut ok = 0;
        let mut bad = 0;
        for item in records.by_ref() {
            match item {
                Ok(_) => ok += 1,
                Err(Error::Malformed(m)) => { let _ = m.to_string(); bad += 1; }
                Err(Error::Io(_)) => prop_assert!(false, "no I/O error from a slice"),
            }
        }
        let stats = records.stats();
        prop_assert_eq!((stats.records, stats.malformed), (ok, bad));
        prop_assert_eq!(stats.bytes, bytes.len() as u64);
    }

    #[test]
    fn lines_of_navet_shapes_never_panic(lines in prop::collection::vec(
        prop_oneof![
            Just("#POST_START".to_string()),
            Just("#POST_SLUT".to_string()),
            Just("#POST_ID 1".to_string()),
            Just("#UP 01001 193801248471".to_string()),
            "#UP 0[0-9]{4}( [A-Z$J-]{0,3})?",
            "#UP [0-9]{2}(000|999)",
            "[#A-Z ]{0,8}",
        ],
        0..40,
    )) {
        let text = lines.join("\n");
        for item in Records::new(text.as_bytes()) {
            if let Err(Error::Malformed(m)) = item {
                prop_assert!(m.line >= 1);
                // The number's last four digits may appear as a term code (`#UP 08471`),
                // which is no identity number: the rule is that a message is already
                // masked, by the one masking function, and never shows the number.
                let text = m.to_string();
                prop_assert_eq!(mask_in_text(&text), text.clone());
                prop_assert!(!text.contains("248471"), "{}", text);
            }
        }
    }

    #[test]
    fn a_truncated_file_keeps_every_complete_record(cut in 0usize..2000) {
        let full = seed_all();
        let cut = cut.min(full.len());
        let (originals, _) = read(&full);
        let (ok, bad) = read(&full[..cut]);
        // A record survives when its `#POST_SLUT` line is complete.
        let text = String::from_utf8(full[..cut].to_vec()).unwrap_or_default();
        let complete = if text.is_empty() { 0 } else { text.matches("#POST_SLUT").count() };
        if !text.is_empty() {
            prop_assert_eq!(&ok[..], &originals[..complete]);
        }
        prop_assert!(bad.len() <= 1, "{:?}", bad);
    }
}
