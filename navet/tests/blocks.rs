//! Protection flags wherever they stand in a record (issue 12, finding 1), and one masking
//! rule for everything `--mask` prints (finding 2).

#![allow(
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::panic,
    clippy::indexing_slicing,
    reason = "test helpers: a failing assertion is their job"
)]

use lagrum_engine::identity::mask_in_text;
use lagrum_navet::output::{self, View};
use lagrum_navet::{Code, Error, Flag, Known, PostKind, Records, Register};
use proptest::prelude::*;

const NUMBER: &str = "193801248471";

fn record(text: &str) -> lagrum_navet::Record {
    Records::new(text.as_bytes()).next().unwrap().unwrap()
}

fn total() -> View {
    View {
        kind: PostKind::Total,
        ..View::default()
    }
}

#[test]
fn flags_inside_a_group_01_block_are_protection() {
    let text = "#POST_START\n#POST_ID 1\n#UP 01001 193801248471\n#UP 01000\n#UP 01003 J\n#UP 01020 J\n\
                #UP 01999\n#UP 02000\n#UP 02001 GATAN 1\n#UP 02999\n#POST_SLUT\n";
    let r = record(text);
    assert_eq!(r.sekretessmarkering(), Flag::Set);
    assert_eq!(r.skyddad_folkbokforing(), Flag::Set);
    let out = serde_json::to_string(&output::record(&r, &total())).unwrap();
    assert!(out.contains(r#""protected":true"#), "{out}");
    assert!(!out.contains("GATAN"), "a protected person's address: {out}");
    let mut register = Register::all(PostKind::Total);
    register.read(text.as_bytes(), |m| panic!("{m}")).unwrap();
    let person = register.persons()[0];
    assert_eq!(person.sekretessmarkering(), Known::Yes);
    assert_eq!(person.skyddad_folkbokforing(), Known::Yes);
}

#[test]
fn the_identity_number_inside_a_block_is_read() {
    let r = record("#POST_START\n#UP 01000\n#UP 01001 193801248471\n#UP 01003 J\n#UP 01999\n#POST_SLUT\n");
    assert_eq!(r.identity.masked(), "19380124-****");
    assert_eq!(r.sekretessmarkering(), Flag::Set);
}

#[test]
fn a_flag_given_inside_and_outside_a_block_is_repeated() {
    let text = "#POST_START\n#UP 01001 193801248471\n#UP 01003 $\n#UP 01000\n#UP 01003 J\n#UP 01999\n#POST_SLUT\n";
    let item = Records::new(text.as_bytes()).next().unwrap();
    let Err(Error::Malformed(m)) = item else {
        panic!("{item:?}")
    };
    assert_eq!(m.problem, lagrum_navet::Problem::Repeated(Code::SEKRETESSMARKERING));
    // The person is named, so a register distrusts what it knew: never `No`.
    let mut register = Register::all(PostKind::Total);
    register.read(text.as_bytes(), |_| {}).unwrap();
    assert_eq!(register.persons()[0].sekretessmarkering(), Known::Unknown);
}

#[test]
fn a_bad_flag_inside_a_block_is_malformed() {
    let text = "#POST_START\n#UP 01001 193801248471\n#UP 01000\n#UP 01020 N\n#UP 01999\n#POST_SLUT\n";
    let item = Records::new(text.as_bytes()).next().unwrap();
    let Err(Error::Malformed(m)) = item else {
        panic!("{item:?}")
    };
    assert_eq!(m.problem, lagrum_navet::Problem::BadFlag(Code::SKYDDAD_FOLKBOKFORING));
}

#[test]
fn a_masked_record_masks_numbers_in_every_field() {
    let text = "#POST_START\n#POST_ID 193801248471\n#UP 01001 193801248471\n#UP 01012 Anna 198405012389\n\
                #UP 01014 19770123-2386\n#UP 01051 FÖRMEDLINGSUPPDRAG 200211012384\n#POST_SLUT\n";
    let r = record(text);
    let view = View { mask: true, ..total() };
    let line = serde_json::to_string(&output::record(&r, &view)).unwrap();
    for secret in ["8471", "2389", "2386", "2384"] {
        assert!(!line.contains(secret), "{secret} in {line}");
    }
    assert_eq!(mask_in_text(&line), line, "one masking rule");
    assert!(line.contains(r#""post_id":"19380124-****""#), "{line}");
    assert!(line.contains("Anna 19840501-****"), "{line}");
    // The state view too.
    let mut register = Register::all(PostKind::Total);
    register.read(text.as_bytes(), |m| panic!("{m}")).unwrap();
    let line = serde_json::to_string(&output::state(register.persons()[0], &view)).unwrap();
    assert_eq!(mask_in_text(&line), line, "{line}");
    assert!(!line.contains("8471") && !line.contains("2389"), "{line}");
    // Unmasked output shows the file as it is.
    let plain = serde_json::to_string(&output::record(&r, &total())).unwrap();
    assert!(plain.contains(r#""post_id":"193801248471""#), "{plain}");
}

/// One line of a generated record body.
#[derive(Debug, Clone)]
enum Part {
    /// `#UP <code> <value>` outside blocks.
    Term(u32, &'static str),
    /// A block of `group` with its terms.
    Block(u32, Vec<(u32, &'static str)>),
}

fn flag_value() -> impl Strategy<Value = &'static str> {
    prop_oneof![Just("J"), Just("$"), Just("-1"), Just("N")]
}

fn term() -> impl Strategy<Value = (u32, &'static str)> {
    prop_oneof![
        (prop_oneof![Just(1003u32), Just(1020), Just(1099)], flag_value()),
        (
            prop_oneof![Just(1012u32), Just(1025), Just(2001), Just(4010)],
            Just("X 198405012389")
        ),
    ]
}

fn part() -> impl Strategy<Value = Part> {
    prop_oneof![
        term().prop_map(|(c, v)| Part::Term(c, v)),
        (
            prop_oneof![Just(1u32), Just(2), Just(4)],
            prop::collection::vec(term(), 0..4)
        )
            .prop_map(|(g, ts)| Part::Block(g, ts)),
    ]
}

fn render(identity_in_block: bool, parts: &[Part]) -> String {
    let mut s = String::from("#POST_START\n#POST_ID 193801248471\n");
    if identity_in_block {
        s.push_str(&format!("#UP 01000\n#UP 01001 {NUMBER}\n#UP 01999\n"));
    } else {
        s.push_str(&format!("#UP 01001 {NUMBER}\n"));
    }
    for p in parts {
        match p {
            Part::Term(c, v) => s.push_str(&format!("#UP {c:05} {v}\n")),
            Part::Block(g, ts) => {
                s.push_str(&format!("#UP {:05}\n", g * 1000));
                for (c, v) in ts {
                    s.push_str(&format!("#UP {c:05} {v}\n"));
                }
                s.push_str(&format!("#UP {:05}\n", g * 1000 + 999));
            }
        }
    }
    s.push_str("#POST_SLUT\n");
    s
}

/// Whether some line of the record sets `code` to `J`, wherever it stands.
fn says_set(parts: &[Part], code: u32) -> bool {
    parts.iter().any(|p| match p {
        Part::Term(c, v) => *c == code && *v == "J",
        Part::Block(_, ts) => ts.iter().any(|(c, v)| *c == code && *v == "J"),
    })
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(2000))]

    /// The protection read from a record is never less than what its flags say, wherever
    /// they stand: a record that reads sets the flag; one that does not read leaves the
    /// person's protection unknown (never "none") in every register that reads it.
    #[test]
    fn protection_is_never_less_than_the_flags_say(
        identity_in_block in any::<bool>(),
        parts in prop::collection::vec(part(), 0..6),
    ) {
        let text = render(identity_in_block, &parts);
        let extra = Code::parse("01099").unwrap();
        let view = View { kind: PostKind::Total, protection: vec![extra], ..View::default() };
        let item = Records::new(text.as_bytes()).next().unwrap();
        for code in [1003u32, 1020, 1099] {
            if !says_set(&parts, code) {
                continue;
            }
            let c = Code::parse(&format!("{code:05}")).unwrap();
            if let Ok(r) = &item {
                prop_assert_eq!(r.flag(c), Flag::Set, "{}", text);
                prop_assert_eq!(output::record_protected(r, &view), Some(true), "{}", text);
            }
            for kind in [PostKind::Total, PostKind::Change] {
                let mut register = Register::all(kind).track([extra]);
                register.read(text.as_bytes(), |_| {}).unwrap();
                for person in register.persons() {
                    prop_assert_ne!(person.flag(c), Known::No, "{}", text);
                    prop_assert_ne!(person.protected(), Known::No, "{}", text);
                }
            }
        }
    }

    /// Everything `--mask` prints, and every message about a record, is already masked:
    /// the one masking function leaves it unchanged.
    #[test]
    fn masked_output_and_messages_show_no_number(
        identity_in_block in any::<bool>(),
        parts in prop::collection::vec(part(), 0..6),
    ) {
        let text = render(identity_in_block, &parts);
        let view = View { mask: true, kind: PostKind::Total, ..View::default() };
        for item in Records::new(text.as_bytes()) {
            let line = match item {
                Ok(r) => serde_json::to_string(&output::record(&r, &view)).unwrap(),
                Err(e) => e.to_string(),
            };
            prop_assert_eq!(mask_in_text(&line), line.clone());
            prop_assert!(!line.contains("8471") && !line.contains("2389"), "{}", line);
        }
    }
}
