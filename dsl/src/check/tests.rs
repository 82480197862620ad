//! Checker tests: one per kind of error, each asserting the rendered diagnostic (message,
//! code, file, line, column and the caret), plus the model built from a valid ruleset.

use crate::check;
use crate::model::*;
use crate::span::Sources;

/// A small valid vocabulary the snippets below build on.
const BASE: &str = r#"
regelverk "test" { version "1" täcker från 2009-06-30 }
lag OSL "Offentlighets- och sekretesslag" { sfs 2009:400 }
lag LUB "Lag om skyldighet att lämna uppgifter" { sfs 2025:170 }
aktör FK "Försäkringskassan"
aktör PMY "Polismyndigheten"
aktör KOM "kommun" { enhet socialnämnd "socialnämnden" }
grupp myndigheter "myndigheter" = { FK, PMY, KOM }
syfte utreda_brott "utreda brott"
kategori personuppgift "uppgift om enskilds personliga förhållanden"
kategori kontaktuppgift "kontaktuppgift" under personuppgift
skydd sekretessmarkering "sekretessmarkering" { termkod "01003" }
prövning står_klart "står klart" { presumtion för utlämnande }
fråga person.ålder "Hur gammal är personen?"
bestämmelse osl_10_28 = OSL 10 kap. 28 § 1 st. { version från 2009-06-30 { } }
sekretess osl_26_1 = OSL 26 kap. 1 § {
  version från 2009-06-30 {
    skaderekvisit omvänt
    skyddar personuppgift
    gäller hos KOM.socialnämnd
    till skydd för enskild och närstående
  }
}
"#;

/// Checks BASE plus a snippet (as a second file) and renders all diagnostics.
fn errors(snippet: &str) -> String {
    let mut sources = Sources::new();
    sources.add("bas.lagrum", BASE);
    sources.add("test.lagrum", snippet);
    match check(sources.clone()) {
        Ok((_, warnings)) => format!("inga fel\n{}", warnings.render(&sources)),
        Err(d) => d.render(&sources),
    }
}

fn model(snippet: &str) -> Model {
    let mut sources = Sources::new();
    sources.add("bas.lagrum", BASE);
    sources.add("test.lagrum", snippet);
    match check(sources.clone()) {
        Ok((m, _)) => m,
        Err(d) => panic!("unexpected errors:\n{}", d.render(&sources)),
    }
}

#[test]
fn base_is_valid() {
    let m = model("");
    assert_eq!(m.info.version, "1");
    assert_eq!(m.provisions.len(), 2);
    assert!(m.info.hash.starts_with("sha256:"));
}

#[test]
fn unknown_actor_with_suggestion() {
    insta::assert_snapshot!(errors(
        "uppgiftsskyldighet x = LUB 5 § {\n  version från 2025-04-01 {\n    lämnas av { FK, PMJ }\n    till PMY\n    bryter sekretess genom OSL 10 kap. 28 §\n  }\n}\n"
    ));
}

#[test]
fn reference_to_undeclared_provision() {
    insta::assert_snapshot!(errors(
        "sekretessbrytande x = OSL 10 kap. 15 a § {\n  version från 2025-12-01 {\n    bryter { OSL 21–40 kap. }\n    undantar { OSL 25 kap. 1 § }\n  }\n}\n"
    ));
}

#[test]
fn overlapping_versions() {
    insta::assert_snapshot!(errors(
        "bestämmelse b = LUB 8 § {\n  version från 2025-04-01 till 2025-12-31 { }\n  version från 2025-06-01 { }\n}\n"
    ));
}

#[test]
fn open_ended_version_before_a_later_one() {
    insta::assert_snapshot!(errors(
        "bestämmelse b = LUB 8 § {\n  version från 2025-04-01 { }\n  version från 2026-01-01 { }\n}\n"
    ));
}

#[test]
fn date_that_is_not_a_date() {
    insta::assert_snapshot!(errors(
        "bestämmelse b = LUB 8 § {\n  version från 2025-02-30 { }\n}\nbestämmelse c = LUB 9 § {\n  version från 2025-4-1 { }\n}\n"
    ));
}

#[test]
fn cycle_in_priorities() {
    insta::assert_snapshot!(errors(
        r#"förbud a = LUB 10 § {
  version från 2025-04-01 {
    avser kontaktuppgift
    går före { LUB 11 § }
  }
}
förbud b = LUB 11 § {
  version från 2025-04-01 {
    avser kontaktuppgift
    går före { LUB 10 § }
  }
}
"#
    ));
}

#[test]
fn cycle_in_groups() {
    insta::assert_snapshot!(errors("grupp a \"a\" = { FK, b }\ngrupp b \"b\" = { PMY, a }\n"));
}

#[test]
fn mixed_group() {
    insta::assert_snapshot!(errors("grupp x \"x\" = { FK, utreda_brott }\n"));
}

#[test]
fn clause_in_the_wrong_kind_of_provision_and_missing_clauses() {
    insta::assert_snapshot!(errors(
        "sekretess s = OSL 21 kap. 1 § {\n  version från 2009-06-30 {\n    skaderekvisit rakt\n    till skydd för enskild\n    prövning står_klart\n  }\n}\nuppgiftsskyldighet d = LUB 5 § {\n  version från 2025-04-01 {\n    till PMY\n  }\n}\n"
    ));
}

#[test]
fn duplicate_names_across_files() {
    insta::assert_snapshot!(errors("aktör FK \"Försäkringskassan igen\"\n"));
}

#[test]
fn unknown_unit_lists_the_known_ones() {
    insta::assert_snapshot!(errors("grupp g \"g\" = { KOM.socialnamnd }\n"));
}

#[test]
fn condition_type_errors() {
    insta::assert_snapshot!(errors(
        r#"faktum straff "straff" : tal { fråga "Vilket straff?" }
faktum saknar_fråga "x" : ja_nej { }
sekretessbrytande regel = OSL 10 kap. 24 § {
  version från 2025-04-01 {
    bryter { OSL }
    när straff = ja och person.ålder i { FK } och utfall = får_lämnas
  }
}
"#
    ));
}

#[test]
fn secrecy_scope_cannot_read_secrecy() {
    insta::assert_snapshot!(errors(
        "sekretess s = OSL 22 kap. 1 § {\n  version från 2009-06-30 {\n    skaderekvisit rakt\n    skyddar personuppgift\n    till skydd för enskild\n    när sekretess i { OSL 26 kap. 1 § }\n  }\n}\n"
    ));
}

#[test]
fn person_attribute_needs_a_question() {
    insta::assert_snapshot!(errors(
        "sekretessbrytande regel = OSL 10 kap. 18 a § {\n  version från 2013-01-01 {\n    bryter { OSL 26 kap. 1 § }\n    när person.id_typ = personnummer\n  }\n}\n"
    ));
}

#[test]
fn reserved_word_as_a_name() {
    insta::assert_snapshot!(errors("syfte p \"p\"\n"));
}

#[test]
fn syntax_errors_in_two_declarations_are_both_reported() {
    insta::assert_snapshot!(errors("aktör X \"x\" {\n  enhet\n}\naktör Y \"y\"\naktör Z { }\n"));
}

#[test]
fn citations_match_ranges_letters_and_stycken() {
    let m = model(
        r#"
sekretess a = OSL 25 kap. 1 § { version från 2009-06-30 { skaderekvisit omvänt skyddar personuppgift } }
sekretess b = OSL 25 kap. 2 § 2 st. { version från 2009-06-30 { skaderekvisit omvänt skyddar personuppgift } }
sekretess c = OSL 25 kap. 5 a § { version från 2009-06-30 { skaderekvisit omvänt skyddar personuppgift } }
sekretess d = OSL 25 kap. 6 § { version från 2009-06-30 { skaderekvisit omvänt skyddar personuppgift } }
sekretess e = OSL 24 kap. 2 a § { version från 2009-06-30 { skaderekvisit absolut skyddar personuppgift } }
sekretessbrytande regel = OSL 10 kap. 15 a § {
  version från 2025-12-01 {
    bryter { OSL 21–40 kap. } utom { OSL 25 kap. 1–5 §§, OSL 24 kap. 2 a § }
  }
}
"#,
    );
    let Some(Body::Rule(r)) = m.provisions.iter().position(|p| p.id == "regel").and_then(|i| {
        let pid = ProvisionId(u32::try_from(i).unwrap_or(0));
        m.provision(pid)
            .and_then(|p| p.versions.first())
            .and_then(|v| m.version(*v))
            .map(|v| v.body.clone())
    }) else {
        panic!("no rule body")
    };
    let Breaks::Listed(list) = &r.breaks else {
        panic!("not a permission")
    };
    let names: Vec<&str> = list
        .iter()
        .filter_map(|p| m.provision(*p))
        .map(|p| p.id.as_str())
        .collect();
    // 25 kap. 1–5 §§ covers 1 §, 2 § 2 st. and 5 a §? No: 5 a § lies after 5 §.
    assert_eq!(names, vec!["osl_26_1", "c", "d"]);
}

#[test]
fn utom_removes_one_unit_from_a_whole_actor() {
    let m = model(
        r#"
uppgiftsskyldighet d = LUB 5 § {
  version från 2025-04-01 {
    lämnas av myndigheter utom { KOM.socialnämnd, PMY }
    till PMY
    bryter sekretess genom OSL 10 kap. 28 §
  }
}
"#,
    );
    let Some(Body::Rule(r)) = m
        .versions
        .iter()
        .find(|v| matches!(v.body, Body::Rule(_)))
        .map(|v| v.body.clone())
    else {
        panic!("no rule")
    };
    let givers = r.givers.unwrap_or(ActorSet {
        members: vec![],
        label: None,
    });
    let fk = *m.names.actors.get("FK").unwrap_or(&ActorId(0));
    let pmy = *m.names.actors.get("PMY").unwrap_or(&ActorId(0));
    let kom = *m.names.actors.get("KOM").unwrap_or(&ActorId(0));
    assert_eq!(givers.contains(fk, None), Membership::Yes);
    assert_eq!(givers.contains(pmy, None), Membership::No);
    // KOM had only the one unit, so nothing of it remains.
    assert_eq!(givers.contains(kom, None), Membership::No);
}

#[test]
fn marker_both_coded_and_unregistered() {
    insta::assert_snapshot!(errors(
        "skydd fingerat \"fingerade personuppgifter\" {\n  registreras inte\n  termkod \"01099\"\n}\n"
    ));
    let m = model("skydd fingerat \"fingerade personuppgifter\" { registreras inte }\n");
    let marker = m.markers.iter().find(|x| x.id == "fingerat").expect("marker");
    assert!(marker.unregistered && marker.term_code.is_none());
}

#[test]
fn cycle_in_priorities_through_a_bridge() {
    // Going before OSL 10 kap. 28 § is going before every duty through it; the duty going
    // back before the bar closes a cycle in which both would drop out.
    insta::assert_snapshot!(errors(
        r#"förbud spärr = LUB 10 § {
  version från 2025-04-01 {
    avser kontaktuppgift
    går före { OSL 10 kap. 28 § 1 st. }
  }
}
uppgiftsskyldighet plikt = LUB 11 § {
  version från 2025-04-01 {
    lämnas av FK
    till PMY
    bryter sekretess genom OSL 10 kap. 28 § 1 st.
    går före { LUB 10 § }
  }
}
"#
    ));
}

#[test]
fn a_duty_breaks_secrecy_only_through_a_plain_provision() {
    insta::assert_snapshot!(errors(
        "uppgiftsskyldighet x = LUB 5 § {\n  version från 2025-04-01 {\n    lämnas av FK\n    till PMY\n    bryter sekretess genom OSL 26 kap. 1 §\n  }\n}\n"
    ));
}

#[test]
fn empty_sets_and_utom_on_values_are_errors() {
    // A bar about nothing would never apply; a value set cannot take `utom`.
    insta::assert_snapshot!(errors(
        r#"förbud b = LUB 10 § {
  version från 2025-04-01 {
    avser { }
  }
}
förbud c = LUB 11 § {
  version från 2025-04-01 {
    avser kontaktuppgift
    lämnas av { FK } utom { FK }
    när person.id_typ i { personnummer, samordningsnummer } utom { samordningsnummer }
  }
}
"#
    ));
}

#[test]
fn a_replaced_marker_must_end_before_its_successor_begins() {
    insta::assert_snapshot!(errors(
        "skydd gammalt \"gammalt skydd\" { }\nskydd nytt \"nytt skydd\" { från 2019-01-01 ersätter gammalt }\nskydd annat \"annat skydd\" { från 2020-01-01 ersätter nytt }\nskydd tredje \"tredje skydd\" { från 2021-01-01 ersätter gammalt }\n"
    ));
}

#[test]
fn a_pre_assessment_names_its_categories_and_purposes() {
    insta::assert_snapshot!(errors(
        r#"uppgiftsskyldighet plikt = LUB 4 § {
  version från 2025-04-01 {
    lämnas av FK
    till PMY
    bryter sekretess genom OSL 10 kap. 28 § 1 st.
    prövning står_klart
  }
}
förhandsbedömning fb "alla uppgifter" {
  bestämmelse LUB 4 §
  avsändare FK
  mottagare PMY
  dnr "1"
  giltig från 2026-01-01
  resultat får lämnas
}
"#
    ));
}

#[test]
fn an_attribute_written_twice_is_an_error() {
    insta::assert_snapshot!(errors(
        "prövning tveksam \"tveksam\" {\n  presumtion för utlämnande\n  presumtion mot utlämnande\n}\nskydd s \"s\" {\n  termkod \"01003\"\n  termkod \"01020\"\n  förklaring \"a\"\n  förklaring \"b\"\n}\n"
    ));
}

#[test]
fn a_version_missing_a_clause_still_reports_its_other_errors() {
    insta::assert_snapshot!(errors(
        "uppgiftsskyldighet x = LUB 5 § {\n  version från 2025-04-01 {\n    till PMY\n    bryter sekretess genom OSL 10 kap. 28 § 1 st.\n    prövning okänd\n  }\n}\n"
    ));
}

/// Activities, secrecy by activity, interests and a coverage, all valid.
const ACTIVITIES: &str = r#"
verksamhet hälso_och_sjukvård "hälso- och sjukvård" { förklaring "Vård." }
verksamhet socialtjänst "socialtjänst"
verksamhet bistånd_asylsökande "bistånd åt asylsökande" under socialtjänst
verksamhet beskattning "beskattning"
grupp vård_och_omsorg "vård och omsorg" = { hälso_och_sjukvård, socialtjänst }
aktör SKV "Skatteverket" {
  enhet beskattning "beskattningsverksamheten" { verksamhet beskattning }
  enhet folkbokföring "folkbokföringsverksamheten"
}
aktör KV "Kriminalvården" { verksamhet { hälso_och_sjukvård } }
kategori hälsouppgift "hälsouppgift" under personuppgift
sekretess osl_25_1 = OSL 25 kap. 1 § {
  version "SFS 2009:400" från 2009-06-30 till 2024-06-30 {
    skaderekvisit omvänt
    skyddar hälsouppgift
    gäller i { hälso_och_sjukvård }
    till skydd för enskild och närstående
    tidsgräns 70 år
    kontrollerad mot "SFS 2020:1" 2026-12-01
  }
  version "SFS 2024:243" från 2024-07-01 {
    skaderekvisit omvänt
    skyddar hälsouppgift
    gäller i hälso_och_sjukvård
    till skydd för enskild och närstående
  }
}
sekretess osl_27_1 = OSL 27 kap. 1 § {
  version från 2009-06-30 {
    skaderekvisit absolut skyddar personuppgift gäller i beskattning gäller hos SKV till skydd för enskild
  }
}
sekretess osl_15_1 = OSL 15 kap. 1 § {
  version från 2009-06-30 { skaderekvisit rakt skyddar personuppgift gäller hos FK till skydd för allmänt intresse }
}
sekretess osl_24_8 = OSL 24 kap. 8 § {
  version från 2009-06-30 {
    skaderekvisit rakt skyddar personuppgift gäller hos PMY till skydd för enskild samtycke häver inte
  }
}
täckning skatt "Sekretessen i beskattningsverksamheten" {
  i { beskattning }
  hos { SKV.beskattning }
  avser personuppgift
  sekretess { OSL 27 kap. 1 § }
  förklaring "Allt som kan gälla där."
}
sekretessbrytande samtyckt = OSL 10 kap. 1 § {
  version från 2009-06-30 {
    bryter { sekretess till skydd för enskild och närstående, sekretess till skydd för enskild }
    när person.samtycke eller person.samtycke_vårdnadshavare = ja
  }
}
förbud spärr = LUB 10 § {
  version från 2009-06-30 {
    avser personuppgift
    när verksamhet i { vård_och_omsorg } och verksamhet ≠ bistånd_asylsökande
  }
}
"#;

fn provision<'m>(m: &'m Model, id: &str) -> (&'m Provision, Vec<&'m Version>) {
    let p = m.provisions.iter().find(|p| p.id == id).expect("provision");
    let versions = p.versions.iter().filter_map(|v| m.version(*v)).collect();
    (p, versions)
}

#[test]
fn activities_scope_secrecy_and_close_downwards() {
    let m = model(ACTIVITIES);
    let id = |n: &str| *m.names.activities.get(n).expect("activity");
    let (soc, lma, hs) = (id("socialtjänst"), id("bistånd_asylsökande"), id("hälso_och_sjukvård"));
    let lma_act = m.activity(lma).expect("activity");
    assert_eq!(lma_act.parent, Some(soc));
    assert_eq!(lma_act.ancestry, vec![lma, soc]);
    assert_eq!(m.activity(hs).map(|a| a.explanation.len()), Some(1));

    // Actors and units: declared, or unknown.
    let kv = m.actor(*m.names.actors.get("KV").expect("KV")).expect("actor");
    assert_eq!(kv.activities.as_ref().map(|s| s.members.clone()), Some(vec![hs]));
    let skv = m.actor(*m.names.actors.get("SKV").expect("SKV")).expect("actor");
    assert!(skv.activities.is_none());
    let units: Vec<Option<Vec<ActivityId>>> = skv
        .units
        .iter()
        .filter_map(|u| m.unit(*u))
        .map(|u| u.activities.as_ref().map(|s| s.members.clone()))
        .collect();
    assert_eq!(units, vec![Some(vec![id("beskattning")]), None]);

    // The secrecy body.
    let (_, versions) = provision(&m, "osl_25_1");
    let Body::Secrecy(first) = &versions[0].body else {
        panic!()
    };
    assert_eq!(first.applies_in.as_ref().map(|s| s.members.clone()), Some(vec![hs]));
    assert_eq!(
        first.interest,
        Some(Interest {
            individual: true,
            related: true,
            public: false
        })
    );
    assert_eq!(first.time_limit_years, Some(70));
    assert!(!first.consent_excluded);
    assert_eq!(
        versions[0]
            .checked
            .as_ref()
            .map(|c| (c.sfs.as_str(), c.date.to_string())),
        Some(("SFS 2020:1", "2026-12-01".to_string()))
    );
    assert!(versions[1].checked.is_none());
    let (_, v) = provision(&m, "osl_24_8");
    assert!(matches!(&v[0].body, Body::Secrecy(b) if b.consent_excluded));
    let (_, v) = provision(&m, "osl_15_1");
    assert!(matches!(&v[0].body, Body::Secrecy(b) if b.interest.is_some_and(|i| i.public && !i.individual)));

    // A condition on the activity: `vård_och_omsorg` closes downwards over the group.
    let (_, v) = provision(&m, "spärr");
    let Body::Rule(r) = &v[0].body else { panic!() };
    let tests: Vec<&Test> = tests_of(&m, r.when.expect("när"));
    let Test::ActivityIn(set) = tests[0] else {
        panic!("{tests:?}")
    };
    assert!(set.contains(lma) && set.contains(hs) && !set.contains(id("beskattning")));
    assert_eq!(set.label.as_deref(), Some("vård och omsorg"));
    assert!(matches!(tests[1], Test::ActivityIn(s) if s.members == vec![lma]));
}

/// Every test in a condition, in order.
fn tests_of(m: &Model, e: ExprId) -> Vec<&Test> {
    match m.expr(e).map(|x| &x.node) {
        Some(ExprNode::Test(t)) => vec![t],
        Some(ExprNode::Not(i)) => tests_of(m, *i),
        Some(ExprNode::And(parts) | ExprNode::Or(parts)) => parts.iter().flat_map(|p| tests_of(m, *p)).collect(),
        None => vec![],
    }
}

#[test]
fn consent_selector_names_the_secrecy_consent_can_lift() {
    let m = model(ACTIVITIES);
    let (_, v) = provision(&m, "samtyckt");
    let Body::Rule(r) = &v[0].body else { panic!() };
    let Breaks::Listed(list) = &r.breaks else { panic!() };
    let names: Vec<&str> = list
        .iter()
        .filter_map(|p| m.provision(*p))
        .map(|p| p.id.as_str())
        .collect();
    // Not OSL 24 kap. 8 § (`samtycke häver inte`), not OSL 15 kap. 1 § (public interest).
    assert_eq!(names, vec!["osl_26_1", "osl_25_1", "osl_27_1"]);
    let tests = tests_of(&m, r.when.expect("när"));
    assert!(matches!(
        tests[..],
        [Test::Consent { guardian: false }, Test::Consent { guardian: true }]
    ));
    // Consent is never asked for, so it needs no `fråga`.
    assert!(!m.person_questions.contains_key(&PersonAttr::Consent));
}

#[test]
fn the_selector_needs_every_version_to_agree() {
    let m = model(
        r#"
sekretess a = OSL 22 kap. 1 § {
  version från 2009-06-30 till 2019-12-31 { skaderekvisit rakt skyddar personuppgift till skydd för enskild }
  version från 2020-01-01 { skaderekvisit rakt skyddar personuppgift till skydd för enskild och närstående }
}
sekretess b = OSL 22 kap. 2 § {
  version från 2009-06-30 till 2019-12-31 { skaderekvisit rakt skyddar personuppgift till skydd för enskild }
  version från 2020-01-01 { skaderekvisit rakt skyddar personuppgift }
}
sekretess c = OSL 22 kap. 3 § {
  version från 2009-06-30 { skaderekvisit rakt skyddar personuppgift till skydd för enskild }
}
grupp samtyckbar "sekretess som samtycke kan häva" = { sekretess till skydd för enskild }
sekretessbrytande r = OSL 10 kap. 1 § { version från 2009-06-30 { bryter samtyckbar } }
"#,
    );
    let (_, v) = provision(&m, "r");
    let Body::Rule(r) = &v[0].body else { panic!() };
    let Breaks::Listed(list) = &r.breaks else { panic!() };
    let names: Vec<&str> = list
        .iter()
        .filter_map(|p| m.provision(*p))
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(names, vec!["c"]);
}

#[test]
fn coverage_is_built_when_complete() {
    let m = model(ACTIVITIES);
    let [c] = m.coverages.as_slice() else { panic!() };
    assert_eq!(c.id, "skatt");
    assert_eq!(c.explanation.len(), 1);
    let names: Vec<&str> = c
        .secrecy
        .iter()
        .filter_map(|p| m.provision(*p))
        .map(|p| p.id.as_str())
        .collect();
    assert_eq!(names, vec!["osl_27_1"]);
    assert!(c.activities.is_some() && c.actors.is_some());
    assert!(
        c.categories
            .contains(*m.names.categories.get("hälsouppgift").expect("cat"))
    );
}

#[test]
fn activity_cycle() {
    insta::assert_snapshot!(errors(
        "verksamhet a \"a\" under b\nverksamhet b \"b\" under a\nverksamhet c \"c\" under a\nverksamhet d \"d\" under FK\n"
    ));
}

#[test]
fn misspelt_activity_with_suggestion() {
    insta::assert_snapshot!(errors(
        r#"verksamhet socialtjänst "socialtjänst"
aktör X "x" { verksamhet { socialtjanst } }
sekretess s = OSL 22 kap. 1 § {
  version från 2009-06-30 {
    skaderekvisit rakt
    skyddar personuppgift
    gäller i { FK }
    till skydd för enskild
  }
}
"#
    ));
}

#[test]
fn coverage_missing_a_provision() {
    // OSL 27 kap. 3 § is planted: it applies in the activity the unit carries on, to
    // information the coverage is about, and the coverage does not list it. OSL 21 kap.
    // 1 § applies everywhere. OSL 25 kap. 1 § applies in an activity the unit does not
    // carry on, so it need not be listed. The second coverage must list OSL 26 kap. 1 §:
    // the socialnämnd's activities are not declared, so it could be held there.
    insta::assert_snapshot!(errors(
        r#"verksamhet beskattning "beskattning"
verksamhet vård "vård"
aktör SKV "Skatteverket" { enhet beskattning "beskattningsverksamheten" { verksamhet { beskattning } } }
sekretess osl_27_1 = OSL 27 kap. 1 § {
  version från 2009-06-30 { skaderekvisit absolut skyddar personuppgift gäller hos SKV.beskattning till skydd för enskild }
}
sekretess osl_27_3 = OSL 27 kap. 3 § {
  version från 2009-06-30 { skaderekvisit absolut skyddar kontaktuppgift gäller i beskattning till skydd för enskild }
}
sekretess osl_21_1 = OSL 21 kap. 1 § {
  version från 2009-06-30 { skaderekvisit absolut skyddar personuppgift till skydd för enskild }
}
sekretess osl_25_1 = OSL 25 kap. 1 § {
  version från 2009-06-30 { skaderekvisit omvänt skyddar personuppgift gäller i vård till skydd för enskild }
}
täckning skatt "beskattning" {
  hos SKV.beskattning
  avser personuppgift
  sekretess { OSL 27 kap. 1 § }
}
täckning vård "vården" {
  i vård
  avser kontaktuppgift
  sekretess { OSL 25 kap. 1 §, osl_21_1 }
}
"#
    ));
}

#[test]
fn coverage_completeness_reads_declared_activities() {
    let coverage = |unit_activities: &str| {
        format!(
            r#"verksamhet vård "vård"
verksamhet socialtjänst "socialtjänst"
aktör K "kommun" {{ enhet socialnämnd "socialnämnden" {unit_activities} }}
sekretess s = OSL 26 kap. 2 § {{
  version från 2009-06-30 {{ skaderekvisit omvänt skyddar personuppgift gäller hos K.socialnämnd till skydd för enskild }}
}}
sekretess v = OSL 25 kap. 1 § {{
  version från 2009-06-30 {{ skaderekvisit omvänt skyddar personuppgift gäller i vård till skydd för enskild }}
}}
täckning vård "vården" {{ i vård avser personuppgift sekretess {{ v, OSL 26 kap. 1 § }} }}
täckning socialnämnden "socialnämnden" {{ hos K.socialnämnd avser personuppgift sekretess {{ s, OSL 26 kap. 1 § }} }}
"#
        )
    };
    // Declared: the socialnämnd carries on socialtjänst only, so neither OSL 26 kap. 2 §
    // can apply in vård nor OSL 25 kap. 1 § at the socialnämnd.
    assert_eq!(
        errors(&coverage("{ verksamhet { socialtjänst } }")).lines().next(),
        Some("inga fel")
    );
    // Unknown: it could be held in vård, so each coverage must list the other's provision.
    let out = errors(&coverage(""));
    assert!(out.contains("täckningen `vård` nämner inte OSL 26 kap. 2 §"), "{out}");
    assert!(
        out.contains("täckningen `socialnämnden` nämner inte OSL 25 kap. 1 §"),
        "{out}"
    );
    assert!(out.contains("2 fel"), "{out}");
}

#[test]
fn coverage_lists_provisions_one_by_one() {
    insta::assert_snapshot!(errors(
        r#"sekretess osl_27_2_1 = OSL 27 kap. 2 § 1 st. {
  version från 2009-06-30 { skaderekvisit absolut skyddar personuppgift gäller hos FK till skydd för enskild }
}
sekretess osl_27_2_2 = OSL 27 kap. 2 § 2 st. {
  version från 2009-06-30 { skaderekvisit absolut skyddar personuppgift gäller hos FK till skydd för enskild }
}
grupp skattesekretess "skattesekretessen" = { OSL 27 kap. 1–2 §§ }
täckning t "t" {
  hos FK
  avser personuppgift
  sekretess { OSL 27 kap. 2 §, OSL, skattesekretess, sekretess till skydd för enskild, FK, osl_10_28 }
}
"#
    ));
}

#[test]
fn coverage_needs_scope_information_and_secrecy() {
    insta::assert_snapshot!(errors(
        "täckning x \"x\" {\n  förklaring \"inget\"\n}\ntäckning y \"y\" { hos FK avser personuppgift sekretess { } }\ntäckning y \"y igen\" { hos PMY avser personuppgift sekretess { } }\n"
    ));
}

#[test]
fn interests_and_the_selector() {
    insta::assert_snapshot!(errors(
        r#"sekretess a = OSL 22 kap. 1 § {
  version från 2009-06-30 { skaderekvisit rakt skyddar personuppgift till skydd för enskild och enskild }
}
sekretess b = OSL 22 kap. 2 § {
  version från 2009-06-30 { skaderekvisit rakt skyddar personuppgift till skydd för närstående }
}
sekretessbrytande c = OSL 10 kap. 2 § {
  version från 2009-06-30 {
    bryter { sekretess till skydd för allmänt intresse }
    gäller i { FK }
  }
}
sekretessbrytande d = OSL 10 kap. 3 § {
  version från 2009-06-30 { bryter { sekretess till skydd för enskild } }
}
förbud f = LUB 10 § {
  version från 2009-06-30 {
    lämnas av { sekretess till skydd för enskild }
    går före { sekretess till skydd för enskild }
  }
}
"#
    ));
}

#[test]
fn missing_interest_and_an_empty_selector_are_warnings() {
    insta::assert_snapshot!(errors(
        "sekretess e = OSL 22 kap. 3 § {\n  version \"SFS 2009:400\" från 2009-06-30 {\n    skaderekvisit rakt\n    skyddar personuppgift\n  }\n}\nsekretessbrytande d = OSL 10 kap. 3 § {\n  version från 2009-06-30 { bryter { sekretess till skydd för enskild } }\n}\n"
    ));
}

#[test]
fn provenance_time_limit_and_consent_paths() {
    insta::assert_snapshot!(errors(
        r#"fråga person.samtycke "Har personen samtyckt?"
sekretess b = OSL 22 kap. 2 § {
  version från 2009-06-30 {
    skaderekvisit rakt
    skyddar personuppgift
    till skydd för enskild
    tidsgräns 0 år
    kontrollerad mot "prop. 2008/09:150" 2026-12-05
  }
}
sekretessbrytande c = OSL 10 kap. 2 § {
  version från 2009-06-30 {
    bryter { OSL 22 kap. 2 § }
    tidsgräns 70 år
    när person.samtycke i { FK } eller verksamhet eller person.samtycke_vårdnadshavare = 3
  }
}
"#
    ));
}

/// Issue 12, finding 6: the precedence check is linear in its edges. `n` bars in one
/// chapter each go before a whole other chapter of `n` bars, and back: one strongly
/// connected component of 2n provisions and 2n² edges, reported once.
#[test]
fn a_dense_precedence_cycle_is_reported_once() {
    let n = 600;
    let mut text = String::new();
    for (chapter, other) in [(98, 99), (99, 98)] {
        for i in 1..=n {
            text.push_str(&format!(
                "förbud p{chapter}_{i} = LUB {chapter} kap. {i} § {{\n  version från 2025-04-01 {{\n    avser kontaktuppgift\n    går före {{ LUB {other} kap. }}\n  }}\n}}\n"
            ));
        }
    }
    let out = errors(&text);
    assert_eq!(out.matches("error[prioritetscykel]").count(), 1, "{out}");
    assert!(
        out.contains("prioriteterna bildar en cykel: `p98_1` går före `p99_1` går före `p98_1`"),
        "{out}"
    );
}

/// Without a cycle, a dense precedence graph is no error.
#[test]
fn a_dense_precedence_graph_without_a_cycle_is_valid() {
    let n = 600;
    let mut text = String::new();
    for i in 1..=n {
        text.push_str(&format!(
            "förbud p98_{i} = LUB 98 kap. {i} § {{\n  version från 2025-04-01 {{\n    avser kontaktuppgift\n    går före {{ LUB 99 kap. }}\n  }}\n}}\n\
             förbud p99_{i} = LUB 99 kap. {i} § {{\n  version från 2025-04-01 {{\n    avser kontaktuppgift\n  }}\n}}\n"
        ));
    }
    let out = errors(&text);
    assert!(!out.contains("prioritetscykel"), "{out}");
}

/// Issue 12, finding 6: 20,000 syntax errors in a 400 KB file, each located by the line
/// index (the last one on line 20,000) and rendered from its own lines only.
#[test]
fn twenty_thousand_syntax_errors_are_each_located() {
    let text: String = (0..20_000).map(|i| format!("aktör A{i} \"a\" {{ enhet }}\n")).collect();
    assert!(text.len() > 400_000);
    let mut sources = Sources::new();
    sources.add("fel.lagrum", text);
    let Err(diags) = check(sources.clone()) else {
        panic!("expected errors")
    };
    assert_eq!(diags.error_count(), 20_000);
    let located = diags.located(&sources);
    let last = located
        .iter()
        .rev()
        .find(|d| d.code == "syntaxfel")
        .map(|d| (d.line, d.column));
    assert_eq!(last, Some((Some(20_000), Some(26))));
    let rendered = diags.render(&sources);
    assert!(
        rendered.contains(" --> fel.lagrum:20000:26\n"),
        "{}",
        &rendered[rendered.len() - 400..]
    );
    assert!(rendered.contains(" --> fel.lagrum:1:22\n"));
}

/// A diagnostic on a very long line shows a window around its spot, with the true column.
#[test]
fn a_diagnostic_on_a_long_line_has_its_true_column() {
    let pad = "/* ".to_string() + &"å".repeat(3000) + " */ ";
    let text = format!("{pad}aktör A \"a\" {{ enhet }}\n");
    let mut sources = Sources::new();
    sources.add("lång.lagrum", text);
    let Err(diags) = check(sources.clone()) else {
        panic!("expected errors")
    };
    let located = diags.located(&sources);
    let column = located.iter().find(|d| d.code == "syntaxfel").and_then(|d| d.column);
    assert_eq!(column, Some(3007 + 21));
    let rendered = diags.render(&sources);
    assert!(
        rendered.contains(&format!(" --> lång.lagrum:1:{}\n", 3007 + 21)),
        "{rendered}"
    );
    assert!(rendered.len() < 4000, "{rendered}");
}

#[test]
fn crimes_need_a_citation_and_a_scale_lowest_first() {
    let m = model(
        r#"brott rån "rån" { lagrum "BrB 8 kap. 5 §" straffskala 18 till 72 månader }
faktum minimistraff "lägsta straff" : tal { fråga "Lägsta straff?" straffskala lägst }"#,
    );
    let c = m.crimes.iter().find(|c| c.id == "rån").expect("the crime");
    assert_eq!(
        (c.min_months, c.max_months, c.citation.as_str()),
        (18, 72, "BrB 8 kap. 5 §")
    );
    assert!(m.facts.iter().any(|f| f.id == "minimistraff" && f.from_crime));
    let e = errors(r#"brott x "x" { straffskala 1 till 2 månader }"#);
    assert!(e.contains("lagrum-saknas"), "{e}");
    let e = errors(r#"brott y "y" { lagrum "BrB 1 kap. 1 §" straffskala 24 till 12 månader }"#);
    assert!(e.contains("straffskala-ogiltig"), "{e}");
    let e = errors(r#"brott z "z" { lagrum "BrB 1 kap. 1 §" }"#);
    assert!(e.contains("straffskala-saknas"), "{e}");
}

#[test]
fn known_until_is_read_from_the_header() {
    let mut sources = Sources::new();
    sources.add(
        "bas.lagrum",
        BASE.replace(
            "täcker från 2009-06-30 }",
            "täcker från 2009-06-30 känt till 2026-12-31 }",
        ),
    );
    let (m, _) = check(sources).expect("valid");
    assert_eq!(m.info.known_until.map(|d| d.to_string()).as_deref(), Some("2026-12-31"));
}
