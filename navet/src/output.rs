//! Persons as JSON for `legal navet`, with what must not be shown left out.
//!
//! Typed facts are shown: identity number, protection markers, names and Skatteverket's
//! förmedlingsadress (which is not secret). Terms without a type, including every
//! folkbokföring and address term, are shown only when the record itself shows the person is
//! not protected; otherwise only their codes are listed under `withheld`. With `mask`
//! (output meant for logs) no untyped value is shown, and every text that is shown — the
//! record id, names, the förmedlingsadress — goes through the same masking as the parser's
//! messages ([`mask_in_text`]), so an identity number is masked wherever it stands.

use crate::code::Code;
use crate::record::{Flag, Formedlingsadress, Record, Term, Value};
use crate::state::{PersonState, PostKind};
use lagrum_engine::identity::{IdentityNumber, mask_in_text};
use serde::Serialize;

/// How to show persons.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct View {
    /// Output meant for logs: identity numbers masked, no untyped values.
    pub mask: bool,
    /// How to read what a record leaves out.
    pub kind: PostKind,
    /// Term codes the ruleset gives protection markers (`termkod`), besides the format's
    /// own 01003 and 01020: a person set under any of them is protected, and their
    /// untyped terms (the address) are withheld.
    pub protection: Vec<Code>,
}

impl View {
    /// A text from the file as this view shows it: with `mask`, anything that looks like
    /// an identity number is masked.
    pub fn text(&self, text: &str) -> String {
        if self.mask {
            mask_in_text(text)
        } else {
            text.to_string()
        }
    }

    fn value(&self, v: &Value) -> Option<String> {
        v.as_set().map(|s| self.text(s))
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct IdentityOut {
    /// 12 digits, or `ÅÅÅÅMMDD-****` when masked.
    pub number: String,
    /// `personnummer` or `samordningsnummer`.
    pub kind: &'static str,
}

impl IdentityOut {
    fn new(n: &IdentityNumber, view: &View) -> IdentityOut {
        IdentityOut {
            number: if view.mask { n.masked() } else { n.digits().to_string() },
            kind: n.kind().name(),
        }
    }
}

/// Förmedlingsadress terms: a string, `null` when removed, left out when absent.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize)]
pub struct AddressOut {
    #[serde(rename = "01051", skip_serializing_if = "Option::is_none")]
    pub first_line: Option<Option<String>>,
    #[serde(rename = "01052", skip_serializing_if = "Option::is_none")]
    pub line2: Option<Option<String>>,
    #[serde(rename = "01053", skip_serializing_if = "Option::is_none")]
    pub line3: Option<Option<String>>,
    #[serde(rename = "01054", skip_serializing_if = "Option::is_none")]
    pub postal_code: Option<Option<String>>,
    #[serde(rename = "01055", skip_serializing_if = "Option::is_none")]
    pub city: Option<Option<String>>,
}

impl AddressOut {
    fn new(a: &Formedlingsadress, view: &View) -> Option<AddressOut> {
        if a.is_empty() {
            return None;
        }
        let f = |v: &Option<Value>| v.as_ref().map(|v| view.value(v));
        Some(AddressOut {
            first_line: f(&a.first_line),
            line2: f(&a.line2),
            line3: f(&a.line3),
            postal_code: f(&a.postal_code),
            city: f(&a.city),
        })
    }
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct TermOut {
    pub code: Code,
    /// `null` when the term was removed.
    pub value: Option<String>,
}

#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct BlockOut {
    pub code: Code,
    pub terms: Vec<TermOut>,
}

/// One record, as one JSON line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct RecordOut {
    /// The `#POST_START` line.
    pub line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub post_id: Option<String>,
    pub identity: IdentityOut,
    /// `set` (`J`) or `removed` (`$`); left out when the record does not give it.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub sekretessmarkering: Option<&'static str>,
    #[serde(rename = "skyddad_folkbokföring", skip_serializing_if = "Option::is_none")]
    pub skyddad_folkbokforing: Option<&'static str>,
    /// Whether the record shows the person protected; `null` when it does not tell.
    pub protected: Option<bool>,
    /// 01012; `null` when removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<Option<String>>,
    /// 01014; `null` when removed.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<Option<String>>,
    #[serde(rename = "förmedlingsadress", skip_serializing_if = "Option::is_none")]
    pub formedlingsadress: Option<AddressOut>,
    /// Untyped terms, when they may be shown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub terms: Vec<TermOut>,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub blocks: Vec<BlockOut>,
    /// Codes of terms whose values are not shown.
    #[serde(skip_serializing_if = "Vec::is_empty")]
    pub withheld: Vec<Code>,
}

fn flag_word(f: Flag) -> Option<&'static str> {
    match f {
        Flag::Absent => None,
        Flag::Set => Some("set"),
        Flag::Removed => Some("removed"),
        Flag::Unreadable => Some("unreadable"),
    }
}

/// Whether a record by itself shows the person protected, under the format's protection
/// terms and those the view adds.
pub fn record_protected(record: &Record, view: &View) -> Option<bool> {
    let kind = view.kind;
    let flags: Vec<Flag> = [Code::SEKRETESSMARKERING, Code::SKYDDAD_FOLKBOKFORING]
        .iter()
        .chain(&view.protection)
        .map(|c| record.flag(*c))
        .collect();
    if flags.contains(&Flag::Set) {
        Some(true)
    } else if flags.contains(&Flag::Unreadable) {
        None
    } else if kind == PostKind::Total || flags.iter().all(|f| *f == Flag::Removed) {
        Some(false)
    } else {
        None
    }
}

fn term_out(t: &Term) -> TermOut {
    TermOut {
        code: t.code,
        value: t.value.as_set().map(str::to_string),
    }
}

fn name(v: Option<&Value>, view: &View) -> Option<Option<String>> {
    v.map(|v| view.value(v))
}

/// A record as JSON.
pub fn record(record: &Record, view: &View) -> RecordOut {
    let protected = record_protected(record, view);
    let show = !view.mask && protected == Some(false);
    let mut terms = Vec::new();
    let mut blocks = Vec::new();
    let mut withheld = Vec::new();
    if show {
        terms = record.untyped_terms().map(term_out).collect();
        blocks = record
            .blocks
            .iter()
            .map(|b| BlockOut {
                code: b.code,
                terms: b.terms.iter().map(term_out).collect(),
            })
            .collect();
    } else {
        let codes = record
            .untyped_terms()
            .map(|t| t.code)
            .chain(record.blocks.iter().flat_map(|b| b.terms.iter().map(|t| t.code)));
        for c in codes {
            if !withheld.contains(&c) {
                withheld.push(c);
            }
        }
    }
    RecordOut {
        line: record.line,
        post_id: record.post_id.as_deref().map(|id| view.text(id)),
        identity: IdentityOut::new(&record.identity, view),
        sekretessmarkering: flag_word(record.sekretessmarkering()),
        skyddad_folkbokforing: flag_word(record.skyddad_folkbokforing()),
        protected,
        first_name: name(record.first_name(), view),
        last_name: name(record.last_name(), view),
        formedlingsadress: AddressOut::new(&record.formedlingsadress(), view),
        terms,
        blocks,
        withheld,
    }
}

/// A person's state after all records, as one JSON line.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct StateOut {
    pub identity: IdentityOut,
    /// `true`, `false`, or `null` when the records do not tell.
    pub sekretessmarkering: Option<bool>,
    #[serde(rename = "skyddad_folkbokföring")]
    pub skyddad_folkbokforing: Option<bool>,
    pub protected: Option<bool>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub first_name: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_name: Option<String>,
    #[serde(rename = "förmedlingsadress", skip_serializing_if = "Option::is_none")]
    pub formedlingsadress: Option<AddressOut>,
    /// Records applied.
    pub records: usize,
    /// A malformed record named the person.
    #[serde(skip_serializing_if = "std::ops::Not::not")]
    pub incomplete: bool,
    /// The last record applied.
    pub last_line: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub last_post_id: Option<String>,
}

/// A person's state as JSON.
pub fn state(s: &PersonState, view: &View) -> StateOut {
    StateOut {
        identity: IdentityOut::new(s.identity(), view),
        sekretessmarkering: s.sekretessmarkering().as_bool(),
        skyddad_folkbokforing: s.skyddad_folkbokforing().as_bool(),
        protected: s.protected().as_bool(),
        first_name: s.first_name.as_deref().map(|n| view.text(n)),
        last_name: s.last_name.as_deref().map(|n| view.text(n)),
        formedlingsadress: AddressOut::new(&s.formedlingsadress, view),
        records: s.records,
        incomplete: s.tainted,
        last_line: s.last_line,
        last_post_id: s.last_post_id.as_deref().map(|id| view.text(id)),
    }
}
