//! The catalog as a client reads it: activities in the vocabulary and on actors and units,
//! and in the provision listing each version's provenance and a secrecy version's scope by
//! activity, interest and time limit, and the coverage declarations.

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_engine::Engine;
use serde_json::{Value, json};

fn engine(files: &[(&str, &str)]) -> Engine {
    match Engine::from_files(files) {
        Ok(e) => e,
        Err(e) => panic!("{}", e.render()),
    }
}

#[test]
fn the_vocabulary_lists_activities_and_who_carries_them_on() {
    let e = engine(lagrum_rulesets::FILES);
    let v = serde_json::to_value(e.vocabulary()).unwrap();
    let activity = |id: &str| {
        v["activities"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap_or_else(|| panic!("no activity {id}"))
    };
    assert_eq!(activity("bistånd_asylsökande")["parent"], "socialtjänst");
    assert_eq!(
        activity("elevhälsans_medicinska_insatser")["parent"],
        "hälso_och_sjukvård"
    );
    assert!(activity("socialtjänst").get("parent").is_none());

    let actor = |id: &str| {
        v["actors"]
            .as_array()
            .unwrap()
            .iter()
            .find(|a| a["id"] == id)
            .cloned()
            .unwrap()
    };
    let has = |v: &serde_json::Value, a: &str| v.as_array().unwrap().iter().any(|x| x == a);
    let kv = &actor("KV")["activities"];
    assert!(has(kv, "hälso_och_sjukvård") && has(kv, "kriminalvård") && has(kv, "personaladministration"));
    assert!(has(&actor("FRA")["activities"], "försvarsunderrättelseverksamhet"));
    // Unknown activities are absent, not empty.
    assert!(actor("UBM").get("activities").is_none());
    let kom = actor("KOM");
    let unit = |id: &str| {
        kom["units"]
            .as_array()
            .unwrap()
            .iter()
            .find(|u| u["id"] == id)
            .cloned()
            .unwrap()
    };
    // The top of each tree: socialtjänst includes what is treated as social services.
    assert!(has(&unit("socialnämnd")["activities"], "socialtjänst"));
    assert!(!has(&unit("socialnämnd")["activities"], "bistånd_asylsökande"));
    assert!(unit("överförmyndare").get("activities").is_none());
}

const SNIPPET: &str = r#"
regelverk "t" { version "1" täcker från 2009-06-30 }
lag OSL "Offentlighets- och sekretesslag" { sfs 2009:400 }
aktör SKV "Skatteverket" { enhet beskattning "beskattningsverksamheten" { verksamhet beskattning } }
verksamhet beskattning "beskattning"
verksamhet vård "hälso- och sjukvård"
kategori personuppgift "personuppgift"
sekretess osl_25_1 = OSL 25 kap. 1 § {
  version "SFS 2024:243" från 2009-06-30 {
    skaderekvisit omvänt
    skyddar personuppgift
    gäller i vård
    till skydd för enskild och närstående
    tidsgräns 70 år
    kontrollerad mot "SFS 2025:937" 2026-12-05
  }
}
sekretess osl_27_1 = OSL 27 kap. 1 § {
  version från 2009-06-30 {
    skaderekvisit absolut
    skyddar personuppgift
    gäller hos SKV.beskattning
    till skydd för enskild
    samtycke häver inte
  }
}
täckning skatt "Sekretessen i beskattningen" {
  hos SKV.beskattning
  avser personuppgift
  sekretess { OSL 27 kap. 1 § }
  förklaring "Allt som kan gälla där."
}
"#;

#[test]
fn the_listing_shows_provenance_scope_interest_time_limit_and_coverages() {
    let e = engine(&[("t.lagrum", SNIPPET)]);
    let l = serde_json::to_value(e.listing()).unwrap();
    let provision = |id: &str| -> Value {
        l["provisions"]
            .as_array()
            .unwrap()
            .iter()
            .find(|p| p["id"] == id)
            .cloned()
            .unwrap()
    };
    assert_eq!(
        provision("osl_25_1")["versions"][0],
        json!({
            "sfs": "SFS 2024:243",
            "from": "2009-06-30",
            "checked": { "sfs": "SFS 2025:937", "date": "2026-12-05" },
            "applies_in": ["vård"],
            "interest": ["individual", "related"],
            "time_limit_years": 70
        })
    );
    assert_eq!(
        provision("osl_27_1")["versions"][0],
        json!({ "from": "2009-06-30", "interest": ["individual"], "consent_excluded": true })
    );
    assert_eq!(
        l["coverages"],
        json!([{
            "id": "skatt",
            "label": "Sekretessen i beskattningen",
            "actors": ["SKV.beskattning"],
            "categories": ["personuppgift"],
            "secrecy": ["osl_27_1"],
            "explanation": ["Allt som kan gälla där."]
        }])
    );
}
