//! A person's state as a sequence of records builds it.
//!
//! A change post (`ändringspost`) carries only the terms that changed: a term it leaves out
//! is unchanged, and a removed term (`$`) is gone. A total post (`totalpost`, or the seed's
//! `aviseringspost`) carries every term the person has: a term it leaves out has no value.
//! The file format does not say which kind a record is, so the caller says how to read them
//! ([`PostKind`]). Reading total posts as change posts is safe: a marker is then never taken
//! as absent just because a post leaves it out.

use crate::code::Code;
use crate::parse::{Error, Malformed, Records, Stats};
use crate::record::{Flag, Formedlingsadress, Record, Value};
use lagrum_engine::identity::IdentityNumber;
use std::collections::{BTreeMap, HashMap, HashSet};
use std::io::{self, BufRead};

/// How to read the records of a file.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub enum PostKind {
    /// Each record changes the previous state; what it leaves out is unchanged (and unknown
    /// for a person not seen before).
    #[default]
    Change,
    /// Each record is the person's whole state; what it leaves out has no value.
    Total,
}

/// What is known about a yes/no term.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Known {
    Unknown,
    Yes,
    No,
}

impl Known {
    pub fn as_bool(self) -> Option<bool> {
        match self {
            Known::Unknown => None,
            Known::Yes => Some(true),
            Known::No => Some(false),
        }
    }
}

/// What the records read so far say about one person.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PersonState {
    identity: IdentityNumber,
    /// Yes/no terms tracked, by code (always 01003 and 01020).
    flags: BTreeMap<Code, Known>,
    pub first_name: Option<String>,
    pub last_name: Option<String>,
    /// Förmedlingsadress terms present (removed ones are `None`).
    pub formedlingsadress: Formedlingsadress,
    /// A malformed record named this person: terms it may have changed are not known.
    pub tainted: bool,
    /// Records applied.
    pub records: usize,
    /// The `#POST_ID` and line of the last record applied.
    pub last_post_id: Option<String>,
    pub last_line: usize,
}

impl PersonState {
    /// Nothing known yet.
    pub fn new(identity: IdentityNumber, tracked: &[Code]) -> PersonState {
        let mut flags = BTreeMap::new();
        for code in [Code::SEKRETESSMARKERING, Code::SKYDDAD_FOLKBOKFORING]
            .iter()
            .chain(tracked)
        {
            flags.insert(*code, Known::Unknown);
        }
        PersonState {
            identity,
            flags,
            first_name: None,
            last_name: None,
            formedlingsadress: Formedlingsadress::default(),
            tainted: false,
            records: 0,
            last_post_id: None,
            last_line: 0,
        }
    }

    pub fn identity(&self) -> &IdentityNumber {
        &self.identity
    }

    /// A tracked yes/no term. A tainted state knows only the `Yes` values.
    pub fn flag(&self, code: Code) -> Known {
        match self.flags.get(&code).copied().unwrap_or(Known::Unknown) {
            Known::No if self.tainted => Known::Unknown,
            k => k,
        }
    }

    /// The tracked yes/no terms.
    pub fn flags(&self) -> impl Iterator<Item = (Code, Known)> + '_ {
        self.flags.keys().map(|c| (*c, self.flag(*c)))
    }

    pub fn sekretessmarkering(&self) -> Known {
        self.flag(Code::SEKRETESSMARKERING)
    }

    pub fn skyddad_folkbokforing(&self) -> Known {
        self.flag(Code::SKYDDAD_FOLKBOKFORING)
    }

    /// Protected by any tracked marker: `Yes` if one is set, `No` only if all are known
    /// not to be.
    pub fn protected(&self) -> Known {
        let flags: Vec<Known> = self.flags().map(|(_, k)| k).collect();
        if flags.contains(&Known::Yes) {
            Known::Yes
        } else if flags.iter().all(|k| *k == Known::No) {
            Known::No
        } else {
            Known::Unknown
        }
    }

    /// Applies a record about this person.
    pub fn apply(&mut self, record: &Record, kind: PostKind) {
        if kind == PostKind::Total {
            let tracked: Vec<Code> = self.flags.keys().copied().collect();
            let records = self.records;
            *self = PersonState::new(self.identity, &tracked);
            self.records = records;
            for k in self.flags.values_mut() {
                *k = Known::No;
            }
        }
        for (code, known) in self.flags.iter_mut() {
            match record.flag(*code) {
                Flag::Absent => {}
                Flag::Set => *known = Known::Yes,
                Flag::Removed => *known = Known::No,
                Flag::Unreadable => *known = Known::Unknown,
            }
        }
        apply_text(&mut self.first_name, record.first_name());
        apply_text(&mut self.last_name, record.last_name());
        self.formedlingsadress.apply(&record.formedlingsadress());
        self.records += 1;
        self.last_post_id.clone_from(&record.post_id);
        self.last_line = record.line;
    }
}

fn apply_text(slot: &mut Option<String>, value: Option<&Value>) {
    match value {
        None => {}
        Some(Value::Removed) => *slot = None,
        Some(Value::Set(v)) => *slot = Some(v.clone()),
    }
}

/// The persons of a file, built record by record.
///
/// [`Register::only`] keeps just the persons asked for, so memory does not grow with the
/// file; [`Register::all`] keeps everyone (memory grows with the number of persons).
#[derive(Debug, Clone)]
pub struct Register {
    persons: HashMap<IdentityNumber, PersonState>,
    only: Option<HashSet<IdentityNumber>>,
    kind: PostKind,
    tracked: Vec<Code>,
    /// A malformed record named no person we could read: it may have been about anyone,
    /// so from then on nobody's `No` is known (until a total post replaces their state).
    blind: bool,
}

impl Register {
    /// Keeps every person in the file.
    pub fn all(kind: PostKind) -> Register {
        Register {
            persons: HashMap::new(),
            only: None,
            kind,
            tracked: Vec::new(),
            blind: false,
        }
    }

    /// Keeps only these persons.
    pub fn only(numbers: impl IntoIterator<Item = IdentityNumber>, kind: PostKind) -> Register {
        Register {
            persons: HashMap::new(),
            only: Some(numbers.into_iter().collect()),
            kind,
            tracked: Vec::new(),
            blind: false,
        }
    }

    /// Also tracks these yes/no terms (e.g. the term codes the ruleset gives its markers).
    pub fn track(mut self, codes: impl IntoIterator<Item = Code>) -> Register {
        for c in codes {
            if !self.tracked.contains(&c) {
                self.tracked.push(c);
            }
        }
        self
    }

    fn wants(&self, n: &IdentityNumber) -> bool {
        self.only.as_ref().is_none_or(|set| set.contains(n))
    }

    fn entry(&mut self, n: IdentityNumber) -> &mut PersonState {
        let (tracked, blind) = (&self.tracked, self.blind);
        self.persons.entry(n).or_insert_with(|| {
            let mut p = PersonState::new(n, tracked);
            p.tainted = blind;
            p
        })
    }

    /// Applies a record, if its person is kept.
    pub fn apply(&mut self, record: &Record) {
        if self.wants(&record.identity) {
            let kind = self.kind;
            self.entry(record.identity).apply(record, kind);
        }
    }

    /// Notes a malformed record: what it may have changed about its person is no longer
    /// known. When the person cannot be read from it, that holds for everybody.
    pub fn taint(&mut self, malformed: &Malformed) {
        match malformed.identity {
            Some(n) if self.wants(&n) => self.entry(n).tainted = true,
            Some(_) => {}
            None => {
                self.blind = true;
                for p in self.persons.values_mut() {
                    p.tainted = true;
                }
            }
        }
    }

    /// Reads a whole file into the register. `on_malformed` sees each malformed record.
    pub fn read<R: BufRead>(&mut self, input: R, mut on_malformed: impl FnMut(&Malformed)) -> io::Result<Stats> {
        let mut records = Records::new(input);
        for item in records.by_ref() {
            match item {
                Ok(record) => self.apply(&record),
                Err(Error::Malformed(m)) => {
                    self.taint(&m);
                    on_malformed(&m);
                }
                Err(Error::Io(e)) => return Err(e),
            }
        }
        Ok(records.stats())
    }

    pub fn get(&self, n: &IdentityNumber) -> Option<&PersonState> {
        self.persons.get(n)
    }

    /// The persons, ordered by identity number.
    pub fn persons(&self) -> Vec<&PersonState> {
        let mut all: Vec<&PersonState> = self.persons.values().collect();
        all.sort_by_key(|p| p.identity);
        all
    }

    pub fn len(&self) -> usize {
        self.persons.len()
    }

    pub fn is_empty(&self) -> bool {
        self.persons.is_empty()
    }
}
