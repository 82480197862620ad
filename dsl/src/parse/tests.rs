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

#[test]
fn activities_on_actors_and_units() {
    let f = parse_ok(
        r#"
        verksamhet hälso_och_sjukvård "hälso- och sjukvård" { förklaring "Vård." }
        verksamhet bistånd_asylsökande "bistånd åt asylsökande" under socialtjänst
        aktör KV "Kriminalvården" { verksamhet { kriminalvård, hälso_och_sjukvård } }
        aktör KOM "kommun" {
          enhet socialnämnd "socialnämnden" { verksamhet { socialtjänst } }
          enhet kommunstyrelse "kommunstyrelsen"
          verksamhet vård_och_omsorg
        }
        "#,
    );
    let [Decl::Activity(a), Decl::Activity(b), Decl::Actor(kv), Decl::Actor(kom)] = f.decls.as_slice() else {
        panic!("{:?}", f.decls)
    };
    assert_eq!(a.id.name, "hälso_och_sjukvård");
    assert_eq!(a.explanation.len(), 1);
    assert!(a.parent.is_none());
    assert_eq!(b.parent.as_ref().map(|p| p.name.as_str()), Some("socialtjänst"));
    assert_eq!(kv.activities.as_ref().map(|s| s.members.len()), Some(2));
    assert_eq!(kom.units.len(), 2);
    assert_eq!(kom.units[0].activities.as_ref().map(|s| s.members.len()), Some(1));
    assert!(kom.units[1].activities.is_none());
    // A single name is a set of one (here a group).
    assert_eq!(kom.activities.as_ref().map(|s| s.members.len()), Some(1));
}

#[test]
fn secrecy_clauses_of_activity_interest_consent_provenance_and_time() {
    let f = parse_ok(
        r#"sekretess osl_25_1 = OSL 25 kap. 1 § {
             version "SFS 2024:243" från 2024-07-01 {
               skaderekvisit omvänt
               skyddar hälsouppgift
               gäller i { hälso_och_sjukvård }
               till skydd för enskild och närstående
               samtycke häver inte
               tidsgräns 70 år
               kontrollerad mot "SFS 2025:937" 2026-12-05
             }
           }"#,
    );
    let [Decl::Provision(p)] = f.decls.as_slice() else {
        panic!()
    };
    let kinds: Vec<&ClauseKind> = p.versions[0].clauses.iter().map(|c| &c.kind).collect();
    assert!(matches!(kinds[2], ClauseKind::AppliesIn(s) if s.members.len() == 1));
    let ClauseKind::Interest(words) = kinds[3] else {
        panic!()
    };
    let words: Vec<InterestWord> = words.iter().map(|w| w.0).collect();
    assert_eq!(words, vec![InterestWord::Individual, InterestWord::Related]);
    assert!(matches!(kinds[4], ClauseKind::ConsentExcluded));
    assert!(matches!(kinds[5], ClauseKind::TimeLimit(70)));
    let ClauseKind::Checked(sfs, date) = kinds[6] else {
        panic!()
    };
    assert_eq!(sfs.value, "SFS 2025:937");
    assert_eq!(date.raw, "2026-12-05");
    // `till` still starts the receivers of a rule, and a version's end date.
    let f = parse_ok(
        r#"sekretessbrytande x = OSL 10 kap. 2 § {
             version från 2009-06-30 till 2025-06-30 { till PMY bryter { sekretess till skydd för enskild } }
           }"#,
    );
    let [Decl::Provision(p)] = f.decls.as_slice() else {
        panic!()
    };
    assert!(p.versions[0].to.is_some());
    assert!(matches!(&p.versions[0].clauses[0].kind, ClauseKind::Receivers(_)));
    let ClauseKind::Breaks(set) = &p.versions[0].clauses[1].kind else {
        panic!()
    };
    let [Reference::Selector(words, _)] = set.members.as_slice() else {
        panic!("{:?}", set.members)
    };
    assert_eq!(words.len(), 1);
}

#[test]
fn interest_in_the_public_interest() {
    let f = parse_ok(
        r#"sekretess s = OSL 15 kap. 1 § {
             version från 2009-06-30 { skaderekvisit rakt skyddar försvarsuppgift till skydd för enskild och allmänt intresse }
           }"#,
    );
    let [Decl::Provision(p)] = f.decls.as_slice() else {
        panic!()
    };
    let Some(ClauseKind::Interest(words)) = p.versions[0].clauses.last().map(|c| &c.kind) else {
        panic!()
    };
    let words: Vec<InterestWord> = words.iter().map(|w| w.0).collect();
    assert_eq!(words, vec![InterestWord::Individual, InterestWord::Public]);
}

#[test]
fn coverage_declaration() {
    let f = parse_ok(
        r#"täckning beskattning "Sekretessen i beskattningsverksamheten" {
             i { beskattning }
             hos { SKV.beskattning }
             avser { personuppgift, ekonomisk_uppgift }
             sekretess { OSL 27 kap. 1 §, OSL 27 kap. 2 § 1 st., allmän_sekretess }
             förklaring "Allt som kan gälla där."
           }
           täckning förmedlingsadress "Förmedlingsadressen" { hos SKV avser förmedlingsadress sekretess { } }"#,
    );
    let [Decl::Coverage(c), Decl::Coverage(d)] = f.decls.as_slice() else {
        panic!("{:?}", f.decls)
    };
    assert_eq!(c.id.name, "beskattning");
    assert_eq!(c.activities.as_ref().map(|s| s.members.len()), Some(1));
    assert_eq!(c.actors.as_ref().map(|s| s.members.len()), Some(1));
    assert_eq!(c.categories.as_ref().map(|s| s.members.len()), Some(2));
    assert_eq!(c.secrecy.as_ref().map(|s| s.members.len()), Some(3));
    assert_eq!(c.explanation.len(), 1);
    assert!(d.activities.is_none());
    assert_eq!(d.secrecy.as_ref().map(|s| s.members.len()), Some(0));
}

#[test]
fn conditions_on_activity_and_consent() {
    let f = parse_ok(
        r#"sekretessbrytande samtycke_10_1 = OSL 10 kap. 1 § {
             version från 2009-06-30 {
               bryter { sekretess till skydd för enskild, sekretess till skydd för enskild och närstående }
               när (person.samtycke eller person.samtycke_vårdnadshavare = ja) och verksamhet i { socialtjänst } och verksamhet ≠ beskattning
             }
           }"#,
    );
    let [Decl::Provision(p)] = f.decls.as_slice() else {
        panic!()
    };
    let ClauseKind::When(Expr::And(parts, _)) = &p.versions[0].clauses[1].kind else {
        panic!("{:?}", p.versions[0].clauses[1])
    };
    assert_eq!(parts.len(), 3);
    assert!(matches!(&parts[1], Expr::In(path, _, _) if path.dotted() == "verksamhet"));
    assert!(matches!(&parts[2], Expr::Compare(path, CmpOp::Ne, _, _) if path.dotted() == "verksamhet"));
}

#[test]
fn new_words_are_reserved() {
    let out = parse_err("syfte tidsgräns \"x\"\n");
    assert!(out.contains("`tidsgräns` är ett reserverat ord"), "{out}");
    let out =
        parse_err("sekretess s = OSL 25 kap. 1 § {\n  version från 2009-06-30 {\n    till skydd för staten\n  }\n}\n");
    insta::assert_snapshot!(out);
}

#[test]
fn a_unit_states_its_activities_once() {
    let out = parse_err("aktör K \"k\" {\n  enhet n \"n\" { verksamhet { a } verksamhet { b } }\n}\n");
    assert!(out.contains("test.lagrum:2:34"), "{out}");
}

/// A provision whose `när` nests `depth` levels of `open`…`close` around `x = ja`, followed
/// by a second, ordinary declaration.
fn nested(depth: usize, open: &str, close: &str) -> String {
    format!(
        "faktum x \"x\" : ja_nej {{}}\n\
         bestämmelse djup = OSL 10 kap. 27 § {{\n  version \"SFS 2009:400\" från 2010-01-01 {{\n    när {}x = ja{}\n  }}\n}}\n\
         faktum y \"y\" : ja_nej {{}}\n",
        open.repeat(depth),
        close.repeat(depth)
    )
}

/// Runs `f` on a thread with a small stack: a quarter of the service's blocking threads'
/// (2 MiB) and half the browser's (1 MiB). A condition at the limit takes about 300 KiB to
/// parse in a test build.
fn on_small_stack<T: Send + 'static>(f: impl FnOnce() -> T + Send + 'static) -> T {
    std::thread::Builder::new()
        .stack_size(512 * 1024)
        .spawn(f)
        .unwrap()
        .join()
        .unwrap()
}

#[test]
fn the_nesting_scan_counts_parentheses_and_inte_chains() {
    assert_eq!(too_deep(&"(".repeat(MAX_NESTING)), None);
    assert_eq!(too_deep(&"(".repeat(MAX_NESTING + 1)), Some(MAX_NESTING));
    assert_eq!(too_deep(&"inte ".repeat(MAX_NESTING)), None);
    assert_eq!(too_deep(&"inte ".repeat(MAX_NESTING + 1)), Some(5 * MAX_NESTING));
    // Side by side is not nested.
    assert_eq!(too_deep(&"(inte a) och ".repeat(10 * MAX_NESTING)), None);
    assert_eq!(too_deep(&"inte a och ".repeat(10 * MAX_NESTING)), None);
    // Mixed: `inte (` is two levels.
    assert_eq!(too_deep(&"inte (".repeat(MAX_NESTING / 2)), None);
    assert!(too_deep(&"inte (".repeat(MAX_NESTING / 2 + 1)).is_some());
    // Strings and comments do not count; `inte_x` is a name.
    let hidden = format!(
        "\"{}\" // {}\n/* {} */ inte_x",
        "(".repeat(500),
        "(".repeat(500),
        "inte ".repeat(500)
    );
    assert_eq!(too_deep(&hidden), None);
}

#[test]
fn a_condition_at_the_limit_parses() {
    let limit = nested(MAX_NESTING - 1, "(", ")");
    let f = on_small_stack(move || parse_ok(&limit));
    assert_eq!(f.decls.len(), 3);
}

#[test]
fn deep_nesting_is_a_located_error_not_a_crash() {
    for (open, close) in [("(", ")"), ("inte ", ""), ("inte (", ")")] {
        for depth in [MAX_NESTING + 1, 400, 1_400, 5_000] {
            let text = nested(depth, open, close);
            let (rendered, decls) = on_small_stack(move || {
                let mut diags = Diagnostics::default();
                let mut sources = Sources::new();
                let id = sources.add("djup.lagrum", text.clone());
                let parsed = parse_file(id, &text, &mut diags);
                assert_eq!(diags.error_count(), 1, "{depth} × {open:?}: {diags:?}");
                assert_eq!(parsed.broken_names, vec!["djup".to_string()]);
                (diags.render(&sources), parsed.file.decls.len())
            });
            assert!(rendered.contains("för djup nästling"), "{rendered}");
            assert!(rendered.contains("djup.lagrum:4:"), "{depth} × {open:?}: {rendered}");
            assert_eq!(decls, 2, "the other declarations still parse");
        }
    }
}

#[test]
fn the_formatter_refuses_deep_nesting_with_the_same_error() {
    let text = nested(5_000, "(", ")");
    let result = on_small_stack(move || crate::fmt::format(&text));
    let diags = result.unwrap_err();
    assert!(diags.items.iter().any(|d| d.code == "för-djup-nästling"), "{diags:?}");
}

/// A syntax error names what was expected in the author's words: every grammar rule is
/// named by exactly one family of `human` (a new rule without a name fails here).
#[test]
fn every_grammar_rule_has_a_name() {
    for &rule in Rule::all_rules() {
        let families = [
            keyword(rule),
            declaration_part(rule),
            provision_part(rule),
            citation_part(rule),
            condition_part(rule),
            token(rule),
        ];
        let named = families.iter().flatten().count();
        assert_eq!(named, 1, "{rule:?} is named by {named} families");
    }
    assert_eq!(human(Rule::kw_sekretess), "`sekretess`");
    assert_eq!(human(Rule::EOI), "filens slut");
}

/// Every reserved word is refused as a name, and a word that only starts like one is not:
/// the grammar's `keyword` rule and `RESERVED` agree. (Until 2026-12-03 eight keywords that
/// a shorter one is a prefix of, such as `avser` after `av`, were accepted as names.)
#[test]
fn every_reserved_word_is_refused_as_a_name_and_only_those() {
    let mut accepted = Vec::new();
    for word in RESERVED {
        let mut diags = Diagnostics::default();
        let _ = parse_file(FileId(0), &format!("syfte {word} \"x\"\n"), &mut diags);
        if !diags.has_errors() {
            accepted.push(*word);
        }
    }
    assert!(RESERVED.len() >= 100, "{}", RESERVED.len());
    assert_eq!(accepted, Vec::<&str>::new(), "reserved words accepted as names");
    for word in RESERVED {
        parse_ok(&format!("syfte {word}x \"x\"\nsyfte x_{word} \"x\"\n"));
    }
}
