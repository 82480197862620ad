//! Filling a request's subjects from a Navet file, by identity number.
//!
//! For each subject with `identity.number`, the file is searched for the person; the
//! protection markers the file sets are added to the subject's `protection`. Which term code
//! means which marker comes from the ruleset (`skydd … { termkod "01003" }`), not from this
//! crate. Only the requested persons are kept while reading, so memory does not grow with
//! the file.
//!
//! Fail closed: markers are only ever added, never removed; a subject whose protection the
//! request leaves unknown stays unknown unless the file settles every marker the register
//! can show that is in force on the request's date: each must have a term code and be
//! known set or not set (and no malformed record may be about the person). A marker the
//! register never shows (`registreras inte`, e.g. fingerade personuppgifter) is outside
//! what any register check settles, as for a handläggare checking folkbokföringen by hand;
//! a marker the register shows without a Navet term code (kvarskrivning, before 2019) is
//! settled only by the marker that replaced it being set (the engine reads skyddad
//! folkbokföring as kvarskrivning before 2019); otherwise the protection stays unknown, and
//! the engine asks.

use crate::code::Code;
use crate::parse::{Malformed, Stats};
use crate::state::{Known, PersonState, PostKind, Register};
use lagrum_dsl::date::Date;
use lagrum_engine::catalog::VocabularyDoc;
use lagrum_engine::identity::{IdentityNumber, mask};
use lagrum_engine::request::{RequestDoc, SubjectDoc};
use std::io::{self, BufRead};

/// A ruleset marker the population register can show, and its Navet term code.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct MarkerCode {
    /// `None`: the register shows the marker, but no Navet term code for it is known, so a
    /// Navet file cannot settle it.
    pub code: Option<Code>,
    /// The marker id, e.g. `sekretessmarkering`.
    pub marker: String,
    /// When the marker exists in law (the ruleset's `från`/`till`).
    pub from: Option<Date>,
    pub to: Option<Date>,
    /// The marker that replaced this one (`ersätter` in the ruleset), if any.
    pub replaced_by: Option<String>,
}

impl MarkerCode {
    fn in_force(&self, on: Option<Date>) -> bool {
        match on {
            // Without a valid date nothing is known to be out of force.
            None => true,
            Some(d) => self.from.is_none_or(|f| f <= d) && self.to.is_none_or(|t| d <= t),
        }
    }
}

/// The markers of a ruleset that the register can show (all but `registreras inte`), with
/// their Navet term codes where the ruleset gives them.
pub fn marker_codes(vocabulary: &VocabularyDoc) -> Vec<MarkerCode> {
    vocabulary
        .markers
        .iter()
        .filter(|m| !m.unregistered)
        .map(|m| MarkerCode {
            code: m.term_code.as_deref().and_then(Code::parse),
            marker: m.id.clone(),
            from: m.from.as_deref().and_then(|d| Date::parse(d).ok()),
            to: m.to.as_deref().and_then(|d| Date::parse(d).ok()),
            replaced_by: m.replaced_by.clone(),
        })
        .collect()
}

/// What happened to one subject.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct SubjectReport {
    /// The subject's id in the request.
    pub subject: String,
    /// The identity number, masked.
    pub number: String,
    pub result: SubjectResult,
}

#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case", tag = "result")]
pub enum SubjectResult {
    /// Found in the file.
    Found {
        /// Markers the file sets for the person.
        markers: Vec<String>,
        /// The file settles every marker with a term code.
        complete: bool,
        /// The subject's `protection` after filling (`None`: still unknown).
        protection: Option<Vec<String>>,
    },
    /// No record in the file names the person; the subject is left as it was.
    NotFound,
    /// The request gives no identity number for the subject.
    NoNumber,
    /// The request's number is not valid; the request's validation reports it.
    InvalidNumber,
}

/// The result of filling a request.
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct FillReport {
    pub subjects: Vec<SubjectReport>,
    pub stats: Stats,
    /// Malformed records (at most [`FillReport::KEEP`], those about requested persons first).
    #[serde(skip)]
    pub malformed: Vec<Malformed>,
}

impl FillReport {
    /// How many malformed records a report keeps.
    pub const KEEP: usize = 20;
}

/// Fills `doc.subjects[].protection` from a Navet file; see the module documentation.
pub fn fill_request<R: BufRead>(
    doc: &mut RequestDoc,
    navet: R,
    codes: &[MarkerCode],
    kind: PostKind,
) -> io::Result<FillReport> {
    let on = Date::parse(&doc.date).ok();
    let numbers: Vec<Option<IdentityNumber>> = doc
        .subjects
        .iter()
        .map(|s| {
            let text = s.identity.as_ref()?.number.as_deref()?;
            match on {
                Some(d) => IdentityNumber::parse_on(text, d).ok(),
                None => IdentityNumber::parse(text).ok(),
            }
        })
        .collect();
    let mut register =
        Register::only(numbers.iter().flatten().copied(), kind).track(codes.iter().filter_map(|m| m.code));
    let (stats, malformed) = read_register(&mut register, navet, &numbers)?;
    let subjects = doc
        .subjects
        .iter_mut()
        .zip(&numbers)
        .map(|(subject, number)| fill_subject(subject, number.as_ref(), &register, codes, on))
        .collect();
    Ok(FillReport {
        subjects,
        stats,
        malformed,
    })
}

/// Reads the Navet file into `register`; keeps the first malformed records, those about
/// the request's persons first.
fn read_register<R: BufRead>(
    register: &mut Register,
    navet: R,
    numbers: &[Option<IdentityNumber>],
) -> io::Result<(Stats, Vec<Malformed>)> {
    let mut about_subjects = Vec::new();
    let mut others = Vec::new();
    let stats = register.read(navet, |m| {
        let concerns = m.identity.is_some_and(|n| numbers.contains(&Some(n)));
        if concerns && about_subjects.len() < FillReport::KEEP {
            about_subjects.push(m.clone());
        } else if !concerns && others.len() < FillReport::KEEP {
            others.push(m.clone());
        }
    })?;
    about_subjects.extend(others);
    about_subjects.truncate(FillReport::KEEP);
    Ok((stats, about_subjects))
}

/// Fills one subject from the register, and reports what was found (by masked number).
fn fill_subject(
    subject: &mut SubjectDoc,
    number: Option<&IdentityNumber>,
    register: &Register,
    codes: &[MarkerCode],
    on: Option<Date>,
) -> SubjectReport {
    let text = subject.identity.as_ref().and_then(|i| i.number.as_deref());
    let (masked, result) = match (text, number) {
        (None, _) => ("****".to_string(), SubjectResult::NoNumber),
        (Some(t), None) => (mask(t), SubjectResult::InvalidNumber),
        (Some(_), Some(n)) => match register.get(n) {
            None => (n.masked(), SubjectResult::NotFound),
            Some(state) => (n.masked(), found(subject, state, codes, on)),
        },
    };
    SubjectReport {
        subject: subject.id.clone(),
        number: masked,
        result,
    }
}

/// A subject the register has: the markers set, whether every marker in force is settled,
/// and the protection the subject then has (added to what the request said).
fn found(subject: &mut SubjectDoc, state: &PersonState, codes: &[MarkerCode], on: Option<Date>) -> SubjectResult {
    let markers: Vec<String> = codes
        .iter()
        .filter(|m| m.code.is_some_and(|c| state.flag(c) == Known::Yes))
        .map(|m| m.marker.clone())
        .collect();
    let known = |m: &MarkerCode| m.code.map(|c| state.flag(c));
    // A marker without a code is settled only when the marker that replaced it is known to
    // be set: the engine reads that one as this one before the change (skyddad
    // folkbokföring as kvarskrivning before 2019). Its absence rules nothing out.
    let settled = |m: &MarkerCode| match known(m) {
        Some(k) => k != Known::Unknown,
        None => m
            .replaced_by
            .as_ref()
            .is_some_and(|r| codes.iter().any(|n| &n.marker == r && known(n) == Some(Known::Yes))),
    };
    let relevant: Vec<&MarkerCode> = codes.iter().filter(|m| m.in_force(on)).collect();
    let complete = !relevant.is_empty() && relevant.iter().all(|m| settled(m));
    let protection = match (subject.protection.take(), complete) {
        (Some(mut list), _) => {
            for m in &markers {
                if !list.contains(m) {
                    list.push(m.clone());
                }
            }
            Some(list)
        }
        (None, true) => Some(markers.clone()),
        (None, false) => None,
    };
    subject.protection.clone_from(&protection);
    SubjectResult::Found {
        markers,
        complete,
        protection,
    }
}
