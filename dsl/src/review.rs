//! Provenance review: which provision versions were checked against the statute text, and
//! which were checked against a text older than the wording they encode.
//!
//! A version records `kontrollerad mot "SFS …" DATE`. It is *outdated* when the text it was
//! checked against is older than its own `version "SFS …"`, or, for a provision's newest
//! version, older than the newest SFS any of the provision's versions cites. SFS numbers
//! are compared by year and number. A jurist reviewing the rulebook reads this list to see
//! what was verified.

use crate::model::{Model, ProvisionId, SfsNo, VersionId};

/// What is wrong with one version's provenance.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Finding {
    /// No `kontrollerad mot`.
    NeverChecked,
    /// Checked against a text older than the version's own SFS.
    OlderThanVersion { checked: SfsNo, version: SfsNo },
    /// The provision's newest version, checked against a text older than the newest SFS
    /// any of the provision's versions cites.
    OlderThanNewest { checked: SfsNo, newest: SfsNo },
}

/// One version that needs a look.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Item {
    pub provision: ProvisionId,
    pub version: VersionId,
    pub finding: Finding,
}

/// The review of a whole model.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Review {
    /// Every version of every provision.
    pub versions: usize,
    /// Versions with `kontrollerad mot`.
    pub checked: usize,
    /// Versions never checked or checked against an older text, in provision order.
    pub items: Vec<Item>,
}

impl Review {
    pub fn never_checked(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.finding == Finding::NeverChecked)
    }

    pub fn outdated(&self) -> impl Iterator<Item = &Item> {
        self.items.iter().filter(|i| i.finding != Finding::NeverChecked)
    }
}

/// Reviews every version of every provision.
pub fn review(model: &Model) -> Review {
    let mut out = Review::default();
    for (i, p) in model.provisions.iter().enumerate() {
        let provision = ProvisionId(u32::try_from(i).unwrap_or(u32::MAX));
        let newest = p
            .versions
            .iter()
            .filter_map(|v| model.version(*v))
            .filter_map(|v| v.sfs.as_deref().and_then(SfsNo::find))
            .max();
        let last = p.versions.last().copied();
        for &vid in &p.versions {
            let Some(v) = model.version(vid) else { continue };
            out.versions += 1;
            let finding = match &v.checked {
                None => Some(Finding::NeverChecked),
                Some(c) => {
                    out.checked += 1;
                    let checked = SfsNo::find(&c.sfs);
                    let own = v.sfs.as_deref().and_then(SfsNo::find);
                    match (checked, own, newest) {
                        (Some(checked), Some(version), _) if checked < version => {
                            Some(Finding::OlderThanVersion { checked, version })
                        }
                        (Some(checked), _, Some(newest)) if Some(vid) == last && checked < newest => {
                            Some(Finding::OlderThanNewest { checked, newest })
                        }
                        _ => None,
                    }
                }
            };
            if let Some(finding) = finding {
                out.items.push(Item {
                    provision,
                    version: vid,
                    finding,
                });
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::span::Sources;

    #[test]
    fn never_checked_older_than_its_own_text_and_older_than_the_newest() {
        let text = r#"
regelverk "t" { version "1" }
lag L "lag" { sfs 2000:1 }
bestämmelse a = L 1 § {
  version "SFS 2010:5" från 2010-01-01 till 2019-12-31 { kontrollerad mot "SFS 2009:9" 2026-01-01 }
  version "SFS 2020:7" från 2020-01-01 till 2023-12-31 { kontrollerad mot "SFS 2020:7" 2026-01-01 }
  version från 2024-01-01 { kontrollerad mot "SFS 2020:7" 2026-01-01 }
}
bestämmelse b = L 2 § {
  version "SFS 2020:7" från 2020-01-01 { kontrollerad mot "SFS 2021:100" 2026-01-01 }
}
bestämmelse c = L 3 § { version från 2000-01-01 { } }
"#;
        let mut sources = Sources::new();
        sources.add("t.lagrum", text);
        let Ok((model, _)) = crate::check(sources) else {
            panic!("the ruleset should check")
        };
        let r = review(&model);
        assert_eq!((r.versions, r.checked), (5, 4));
        let found: Vec<(String, Finding)> = r
            .items
            .iter()
            .map(|i| (model.provisions[i.provision.index()].id.clone(), i.finding))
            .collect();
        let sfs = |year, number| SfsNo { year, number };
        assert_eq!(
            found,
            vec![
                (
                    "a".to_string(),
                    Finding::OlderThanVersion {
                        checked: sfs(2009, 9),
                        version: sfs(2010, 5)
                    }
                ),
                // The newest version cites no SFS of its own, so it is held to the newest
                // its provision cites: SFS 2020:7, which it was checked against. Fine.
                ("c".to_string(), Finding::NeverChecked),
            ]
        );
        assert_eq!(r.never_checked().count(), 1);
        assert_eq!(r.outdated().count(), 1);
    }

    #[test]
    fn the_newest_version_is_held_to_the_newest_sfs_of_its_provision() {
        let text = r#"
lag L "lag" { sfs 2000:1 }
bestämmelse a = L 1 § {
  version "SFS 2022:3" från 2010-01-01 till 2019-12-31 { kontrollerad mot "SFS 2022:3" 2026-01-01 }
  version "SFS 2020:7" från 2020-01-01 { kontrollerad mot "SFS 2020:7" 2026-01-01 }
}
"#;
        let mut sources = Sources::new();
        sources.add("t.lagrum", text);
        let Ok((model, _)) = crate::check(sources) else {
            panic!("the ruleset should check")
        };
        let r = review(&model);
        assert_eq!(
            r.items.iter().map(|i| i.finding).collect::<Vec<_>>(),
            vec![Finding::OlderThanNewest {
                checked: SfsNo { year: 2020, number: 7 },
                newest: SfsNo { year: 2022, number: 3 }
            }]
        );
    }

    #[test]
    fn sfs_numbers_are_found_in_text_and_ordered() {
        assert_eq!(
            SfsNo::find("SFS 2025:937"),
            Some(SfsNo {
                year: 2025,
                number: 937
            })
        );
        assert_eq!(
            SfsNo::find("lag (2009:400)"),
            Some(SfsNo {
                year: 2009,
                number: 400
            })
        );
        assert_eq!(SfsNo::find("prop. 2008/09:150"), None);
        assert_eq!(SfsNo::find("12025:1"), None);
        assert!(SfsNo { year: 2025, number: 10 } > SfsNo { year: 2025, number: 9 });
        assert!(
            SfsNo { year: 2026, number: 1 }
                > SfsNo {
                    year: 2025,
                    number: 999
                }
        );
    }
}
