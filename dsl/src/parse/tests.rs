//! Grammar tests: each construct of the language parses to the expected tree, and syntax
//! errors point at the right place with words an author understands.

use super::*;
use crate::span::Sources;

fn parse_ok(text: &str) -> File {
    let mut diags = Diagnostics::default();
    let parsed = parse_file(FileId(0), text, &mut diags);
    assert!(diags.is_empty(), "unexpected diagnostics: {diags:?}");
    parsed.file
}

fn parse_err(text: &str) -> String {
    let mut diags = Diagnostics::default();
    let mut sources = Sources::new();
    let id = sources.add("test.lagrum", text);
    let _ = parse_file(id, text, &mut diags);
    assert!(diags.has_errors(), "expected a syntax error");
    diags.render(&sources)
}

#[test]
fn provision_with_versions_and_clauses() {
    let f = parse_ok(
        r#"
        // LUB 5 §
        uppgiftsskyldighet lub_5 = LUB 5 § {
          rubrik "Vissa statliga myndigheter"
          version "SFS 2025:170" från 2025-04-01 {
            lämnas av lub_5_myndigheter
            till brottsbekämpande_myndigheter
            på begäran och på eget initiativ
            syfte brottsbekämpande_verksamhet
            bryter sekretess genom OSL 10 kap. 28 §
            undantar { OSL 24 kap. 8 §, OSL 25 kap. 1–8 och 15 §§, OSL 26 kap. 1-6 §§ } enligt LUB 8 §
            prövning står_klart
            när inte (person.ålder < 18 eller person.skydd i { sekretessmarkering })
            medför { dokumentera }
          }
        }
        "#,
    );
    let [Decl::Provision(p)] = f.decls.as_slice() else {
        panic!("expected one provision, got {:?}", f.decls);
    };
    assert_eq!(p.kind, ProvisionKindAst::Duty);
    assert_eq!(p.id.name, "lub_5");
    assert_eq!(p.citation.law.name, "LUB");
    assert_eq!(p.versions.len(), 1);
    let v = &p.versions[0];
    assert_eq!(v.from.raw, "2025-04-01");
    assert_eq!(v.clauses.len(), 9);
    let excl = v.clauses.iter().find_map(|c| match &c.kind {
        ClauseKind::Excludes(set, by) => Some((set, by)),
        _ => None,
    });
    let Some((set, Some(Reference::Citation(by)))) = excl else {
        panic!("no exclusion clause");
    };
    assert_eq!(set.members.len(), 3);
    assert_eq!(
        by.sections,
        vec![(
            SectionNo {
                number: 8,
                letter: None
            },
            SectionNo {
                number: 8,
                letter: None
            }
        )]
    );
    let Reference::Citation(c) = &set.members[1] else {
        panic!()
    };
    assert_eq!(c.chapters, Some((25, 25)));
    assert_eq!(
        c.sections,
        vec![
            (
                SectionNo {
                    number: 1,
                    letter: None
                },
                SectionNo {
                    number: 8,
                    letter: None
                }
            ),
            (
                SectionNo {
                    number: 15,
                    letter: None
                },
                SectionNo {
                    number: 15,
                    letter: None
                }
            )
        ]
    );
}

#[test]
fn citations_with_letters_stycke_and_chapter_ranges() {
    let f = parse_ok(
        r#"sekretessbrytande osl_10_15a = OSL 10 kap. 15 a § {
             version från 2025-12-01 {
               bryter { OSL 21–40 kap. }
               undantar { OSL 26 kap. 1 a § 1 st., OSL 24 kap. 2 a och 8 §§ }
             }
           }"#,
    );
    let [Decl::Provision(p)] = f.decls.as_slice() else {
        panic!()
    };
    assert_eq!(
        p.citation.sections,
        vec![(
            SectionNo {
                number: 15,
                letter: Some('a')
            },
            SectionNo {
                number: 15,
                letter: Some('a')
            }
        )]
    );
    let ClauseKind::Breaks(b) = &p.versions[0].clauses[0].kind else {
        panic!()
    };
    let Reference::Citation(c) = &b.members[0] else {
        panic!()
    };
    assert_eq!(c.chapters, Some((21, 40)));
    assert!(c.sections.is_empty());
    let ClauseKind::Excludes(e, None) = &p.versions[0].clauses[1].kind else {
        panic!()
    };
    let Reference::Citation(c0) = &e.members[0] else {
        panic!()
    };
    assert_eq!(c0.stycke, Some(1));
    let Reference::Citation(c1) = &e.members[1] else {
        panic!()
    };
    assert_eq!(c1.sections.len(), 2);
    assert_eq!(c1.sections[0].0.letter, Some('a'));
}

#[test]
fn vocabulary_declarations() {
    let f = parse_ok(
        r#"
        aktör SKV "Skatteverket" { enhet beskattning "beskattningsverksamheten" }
        aktör SÄPO "Säkerhetspolisen"
        grupp brottsbekämpande "brottsbekämpande myndigheter" = { SÄPO, SKV.beskattning }
        kategori adress "adress" under kontaktuppgift
        faktum minimistraff "lägsta straff" : tal { fråga "Vilket är det lägsta straffet?" }
        faktum hot "hot mot personen" om person : ja_nej { fråga "Finns hot?" }
        faktum brottstyp "brottstyp" : val { våld, bedrägeri } { fråga "Vilken brottstyp?" }
        fråga person.ålder "Hur gammal är personen?"
        prövning uppenbart "uppenbart" { presumtion mot utlämnande }
        skydd skyddad_folkbokföring "skyddad folkbokföring" { från 2019-01-01 ersätter kvarskrivning termkod "01020" }
        skyldighet egen_sekretess "Mottagaren prövar sin egen sekretess." { enligt OSL 11 kap. 8 § när utfall i { ska_lämnas, får_lämnas } }
        "#,
    );
    assert_eq!(f.decls.len(), 11);
    let Decl::Fact(fact) = &f.decls[5] else { panic!() };
    assert!(fact.about_person);
    let Decl::Balancing(b) = &f.decls[8] else { panic!() };
    assert_eq!(b.presumption.map(|p| p.0), Some(Direction::AgainstDisclosure));
}

#[test]
fn syntax_error_points_at_the_spot_and_recovers() {
    let out = parse_err(
        "aktör FK \"Försäkringskassan\"\nsekretess osl_x = OSL 25 kap. 1 § {\n  version från 2009-06-30 {\n    skyddar { hälsa\n  }\n}\naktör PM \"Pensionsmyndigheten\" {\n  enhet \n}\n",
    );
    insta::assert_snapshot!(out);
}
