//! One record (`post`) of a Navet file and the person facts it carries.

use crate::code::Code;
use lagrum_engine::identity::IdentityNumber;

/// A term's value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Value {
    /// The term has this value.
    Set(String),
    /// The term was removed and not replaced (`$`, or `-1`).
    Removed,
}

impl Value {
    /// Reads a value as written after the code; `$` and `-1` mean removed.
    pub fn from_text(text: &str) -> Value {
        match text {
            "$" | "-1" => Value::Removed,
            other => Value::Set(other.to_string()),
        }
    }

    pub fn as_set(&self) -> Option<&str> {
        match self {
            Value::Set(s) => Some(s),
            Value::Removed => None,
        }
    }
}

/// `#UP <code> <value>`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Term {
    pub code: Code,
    pub value: Value,
    /// The line it was read from.
    pub line: usize,
}

/// A grouped block, from its `xx000` line to its `xx999` line.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Block {
    /// The opening code, `xx000`.
    pub code: Code,
    pub line: usize,
    pub terms: Vec<Term>,
}

/// What a record says about a yes/no term such as a protection marker.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Flag {
    /// Not in the record. In a change post: unchanged. In a total post: not set.
    Absent,
    /// `J`.
    Set,
    /// `$` or `-1`: removed.
    Removed,
    /// Some other value, which this crate cannot read.
    Unreadable,
}

/// A record between `#POST_START` and `#POST_SLUT`, checked: it has exactly one valid
/// identity number, its blocks are closed, and its protection terms are `J` or removed.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Record {
    /// The line of `#POST_START`.
    pub line: usize,
    /// The line of `#POST_SLUT`.
    pub end_line: usize,
    /// `#POST_ID`, when given (change notifications have one, the seed's aviseringspost
    /// does not).
    pub post_id: Option<String>,
    /// Term 01001.
    pub identity: IdentityNumber,
    /// Terms outside blocks, in file order (01001 included).
    pub terms: Vec<Term>,
    pub blocks: Vec<Block>,
}

/// Skatteverket's förmedlingsadress (01051–01055) as a record gives it. Each field is
/// `None` when the term is absent, `Some(Value::Removed)` when it was removed.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Formedlingsadress {
    /// 01051, e.g. `FÖRMEDLINGSUPPDRAG SKATTEVERKET`.
    pub first_line: Option<Value>,
    /// 01052, e.g. `KONTOR 123`.
    pub line2: Option<Value>,
    /// 01053, e.g. `BOX 2820`.
    pub line3: Option<Value>,
    /// 01054, e.g. `40320`.
    pub postal_code: Option<Value>,
    /// 01055, e.g. `GÖTEBORG`.
    pub city: Option<Value>,
}

impl Formedlingsadress {
    pub fn is_empty(&self) -> bool {
        self.fields().into_iter().all(Option::is_none)
    }

    pub fn fields(&self) -> [&Option<Value>; 5] {
        [
            &self.first_line,
            &self.line2,
            &self.line3,
            &self.postal_code,
            &self.city,
        ]
    }

    fn fields_mut(&mut self) -> [&mut Option<Value>; 5] {
        [
            &mut self.first_line,
            &mut self.line2,
            &mut self.line3,
            &mut self.postal_code,
            &mut self.city,
        ]
    }

    /// Applies a change: a field the change gives replaces the old one; a removed field is
    /// cleared (the result never holds `Value::Removed`).
    pub fn apply(&mut self, change: &Formedlingsadress) {
        for (mine, theirs) in self.fields_mut().into_iter().zip(change.fields()) {
            match theirs {
                None => {}
                Some(Value::Removed) => *mine = None,
                Some(v) => *mine = Some(v.clone()),
            }
        }
    }
}

impl Record {
    /// Every term of the record, wherever it stands: those outside blocks, then those of
    /// each block.
    pub fn all_terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().chain(self.blocks.iter().flat_map(|b| b.terms.iter()))
    }

    /// The value of a term wherever it stands, outside or inside a block (the last one in
    /// the file if it repeats). A term means the same inside a block as outside it.
    pub fn term(&self, code: Code) -> Option<&Value> {
        self.all_terms()
            .filter(|t| t.code == code)
            .max_by_key(|t| t.line)
            .map(|t| &t.value)
    }

    /// A yes/no term, read from every place it stands (outside or inside a block): `J`
    /// anywhere is set; otherwise any other value makes it unreadable; otherwise `$`/`-1`
    /// is removed. A flag is never read as less than one of its occurrences says.
    pub fn flag(&self, code: Code) -> Flag {
        let mut flag = Flag::Absent;
        for t in self.all_terms().filter(|t| t.code == code) {
            let this = match &t.value {
                Value::Removed => Flag::Removed,
                Value::Set(v) if v == "J" => Flag::Set,
                Value::Set(_) => Flag::Unreadable,
            };
            flag = match (flag, this) {
                (Flag::Set, _) | (_, Flag::Set) => Flag::Set,
                (Flag::Unreadable, _) | (_, Flag::Unreadable) => Flag::Unreadable,
                _ => Flag::Removed,
            };
        }
        flag
    }

    /// 01003.
    pub fn sekretessmarkering(&self) -> Flag {
        self.flag(Code::SEKRETESSMARKERING)
    }

    /// 01020.
    pub fn skyddad_folkbokforing(&self) -> Flag {
        self.flag(Code::SKYDDAD_FOLKBOKFORING)
    }

    /// 01012.
    pub fn first_name(&self) -> Option<&Value> {
        self.term(Code::FIRST_NAME)
    }

    /// 01014.
    pub fn last_name(&self) -> Option<&Value> {
        self.term(Code::LAST_NAME)
    }

    /// 01051–01055.
    pub fn formedlingsadress(&self) -> Formedlingsadress {
        let [a, b, c, d, e] = Code::FORMEDLINGSADRESS.map(|code| self.term(code).cloned());
        Formedlingsadress {
            first_line: a,
            line2: b,
            line3: c,
            postal_code: d,
            city: e,
        }
    }

    /// Terms without a type in this crate, outside blocks.
    pub fn untyped_terms(&self) -> impl Iterator<Item = &Term> {
        self.terms.iter().filter(|t| !t.code.is_typed())
    }
}
