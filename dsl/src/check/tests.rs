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
