//! The streaming parser: records one at a time, in constant memory.
//!
//! ```text
//! #POST_START
//! #POST_ID 2018.000.014.055        (optional)
//! #UP 01001 193801248471           (term code and value; `$` or `-1`: removed)
//! #UP 02000                        (a block opens with its xx000 code …)
//! #UP 02001 198405012389
//! #UP 02999                        (… and closes with xx999)
//! #POST_SLUT
//! ```
//!
//! Lines starting with `#` outside a record (file headers and trailers) are skipped. A record
//! that breaks the format is reported as [`Malformed`] with its line and record id, and
//! reading goes on with the next record. Unknown term codes are kept as they are.

use crate::code::Code;
use crate::lines::{Line, LineReader};
use crate::record::{Block, Record, Term, Value};
use lagrum_engine::identity::{IdentityError, IdentityNumber, mask, mask_in_text};
use std::fmt;
use std::io::{self, BufRead};

/// What is wrong with a record (or a line outside records). Messages never print term values
/// other than a masked identity number.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Problem {
    /// Text that is not a `#` line, outside any record.
    OutsideRecord,
    /// `#POST_SLUT` without `#POST_START`.
    EndWithoutStart,
    /// `#POST_START` again before `#POST_SLUT`: the record was cut off.
    StartInsideRecord,
    /// The file ends inside a record.
    Truncated,
    /// A line longer than the limit.
    LineTooLong {
        max: usize,
    },
    /// A line with NUL characters: not UTF-8 or Latin-1 text (UTF-16, binary data).
    BadEncoding,
    /// A line in a record that is neither `#UP`, `#POST_ID` nor `#POST_SLUT`.
    UnknownLine,
    DuplicatePostId,
    EmptyPostId,
    /// `#UP` without a five-digit term code.
    BadCode,
    MissingValue(Code),
    /// A block code (`xx000`/`xx999`) with a value.
    ValueOnBlockCode(Code),
    BlockInsideBlock {
        code: Code,
        open: Code,
    },
    CloseWithoutOpen(Code),
    /// A term of another group inside an open block.
    TermOutsideItsBlock {
        code: Code,
        open: Code,
    },
    UnclosedBlock(Code),
    /// A typed term given twice.
    Repeated(Code),
    /// A protection term that is neither `J` nor removed.
    BadFlag(Code),
    MissingIdentity,
    /// 01001 is not a valid identity number; `masked` is the number masked.
    BadIdentity {
        masked: String,
        error: IdentityError,
    },
}

impl fmt::Display for Problem {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Problem::OutsideRecord => write!(f, "text utanför en post (raderna hoppas över till nästa #POST_START)"),
            Problem::EndWithoutStart => write!(f, "#POST_SLUT utan #POST_START"),
            Problem::StartInsideRecord => write!(f, "ny #POST_START innan posten avslutats med #POST_SLUT"),
            Problem::Truncated => write!(f, "filen tar slut innan posten avslutats med #POST_SLUT"),
            Problem::LineTooLong { max } => write!(f, "raden är längre än {max} byte"),
            Problem::BadEncoding => write!(
                f,
                "raden innehåller NUL-tecken: filen är inte UTF-8 eller Latin-1 (UTF-16?)"
            ),
            Problem::UnknownLine => write!(f, "raden är varken #UP, #POST_ID eller #POST_SLUT"),
            Problem::DuplicatePostId => write!(f, "#POST_ID förekommer två gånger"),
            Problem::EmptyPostId => write!(f, "#POST_ID saknar värde"),
            Problem::BadCode => write!(f, "#UP ska följas av en termkod med fem siffror"),
            Problem::MissingValue(c) => write!(f, "termen {c} saknar värde"),
            Problem::ValueOnBlockCode(c) => write!(f, "blockkoden {c} ska stå utan värde"),
            Problem::BlockInsideBlock { code, open } => {
                write!(f, "block {code} öppnas innan block {open} stängts")
            }
            Problem::CloseWithoutOpen(c) => write!(f, "{c} stänger ett block som inte är öppet"),
            Problem::TermOutsideItsBlock { code, open } => {
                write!(f, "termen {code} hör inte till block {open} (som inte stängts)")
            }
            Problem::UnclosedBlock(c) => write!(f, "block {c} stängs inte före #POST_SLUT"),
            Problem::Repeated(c) => write!(f, "termen {c} förekommer flera gånger"),
            Problem::BadFlag(c) => write!(f, "termen {c} ska vara `J`, `$` eller `-1`"),
            Problem::MissingIdentity => write!(f, "posten saknar identitetsnummer (01001)"),
            Problem::BadIdentity { masked, error } => {
                write!(f, "01001 `{masked}` är inget giltigt identitetsnummer: {error}")
            }
        }
    }
}

/// A record (or stray text) that could not be read. Reading goes on after it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Malformed {
    /// The line where the problem was found.
    pub line: usize,
    /// The `#POST_START` line of the record, if inside one.
    pub start_line: Option<usize>,
    /// The record's `#POST_ID`, if read.
    pub post_id: Option<String>,
    /// The record's identity number, if it was read and valid: lets a caller treat what it
    /// knows about the person as incomplete.
    pub identity: Option<IdentityNumber>,
    pub problem: Problem,
}

impl fmt::Display for Malformed {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "rad {}", self.line)?;
        match (self.start_line, &self.post_id) {
            (Some(start), Some(id)) => write!(f, " (post {} från rad {start})", show_id(id))?,
            (Some(start), None) => write!(f, " (post utan #POST_ID från rad {start})")?,
            (None, _) => {}
        }
        if let Some(n) = &self.identity {
            write!(f, " [{}]", n.masked())?;
        }
        write!(f, ": {}", self.problem)
    }
}

/// A record id for messages: at most 40 characters, control characters escaped, anything
/// that looks like an identity number masked.
fn show_id(id: &str) -> String {
    let short: String = id.chars().take(40).collect();
    let cut = if id.chars().count() > 40 { "…" } else { "" };
    format!("{}{cut}", mask_in_text(&short).escape_debug())
}

/// Why reading stopped or a record was skipped.
#[derive(Debug, thiserror::Error)]
pub enum Error {
    /// The input could not be read; reading stops.
    #[error("kan inte läsa filen: {0}")]
    Io(#[from] io::Error),
    /// One record is malformed; reading goes on.
    #[error("{0}")]
    Malformed(Malformed),
}

/// Counts for a file read so far.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, serde::Serialize)]
pub struct Stats {
    pub lines: usize,
    pub bytes: u64,
    pub records: usize,
    pub malformed: usize,
    /// Lines read as Latin-1 because they were not valid UTF-8.
    pub latin1_lines: usize,
    /// `#` lines outside records (file headers), skipped.
    pub header_lines: usize,
}

#[derive(Debug, Default)]
struct Builder {
    start: usize,
    post_id: Option<String>,
    terms: Vec<Term>,
    blocks: Vec<Block>,
    open: Option<Block>,
}

impl Builder {
    fn new(start: usize) -> Builder {
        Builder {
            start,
            ..Builder::default()
        }
    }

    /// The identity number, if the record has a valid one so far.
    fn identity(&self) -> Option<IdentityNumber> {
        let t = self.find_term(Code::IDENTITY)?;
        IdentityNumber::parse(t.value.as_set()?).ok()
    }

    fn malformed(&self, line: usize, problem: Problem) -> Malformed {
        Malformed {
            line,
            start_line: Some(self.start),
            post_id: self.post_id.clone(),
            identity: self.identity(),
            problem,
        }
    }

    /// Adds `#UP <rest>`.
    fn term(&mut self, line: usize, rest: &str) -> Result<(), Problem> {
        let (code_text, value) = match rest.split_once([' ', '\t']) {
            Some((c, v)) => (c, v.trim()),
            None => (rest, ""),
        };
        let code = Code::parse(code_text).ok_or(Problem::BadCode)?;
        if code.opens_block() || code.closes_block() {
            if !value.is_empty() {
                return Err(Problem::ValueOnBlockCode(code));
            }
            return self.block_code(line, code);
        }
        if value.is_empty() {
            return Err(Problem::MissingValue(code));
        }
        let term = Term {
            code,
            value: Value::from_text(value),
            line,
        };
        if let Some(block) = &self.open
            && block.code.group() != code.group()
        {
            return Err(Problem::TermOutsideItsBlock { code, open: block.code });
        }
        // A typed term means the same inside a block of its group as outside it (Navet
        // may wrap group 01 in `01000`…`01999`): it is checked the same way wherever it
        // stands, and `Record` reads it from both places.
        if code.is_typed() && self.has_term(code) {
            return Err(Problem::Repeated(code));
        }
        if code.is_protection() && !is_flag(&term.value) {
            return Err(Problem::BadFlag(code));
        }
        match &mut self.open {
            Some(block) => block.terms.push(term),
            None => self.terms.push(term),
        }
        Ok(())
    }

    /// The first `code` of the record so far, outside or inside a block.
    fn find_term(&self, code: Code) -> Option<&Term> {
        self.terms
            .iter()
            .chain(self.blocks.iter().flat_map(|b| b.terms.iter()))
            .chain(self.open.iter().flat_map(|b| b.terms.iter()))
            .find(|t| t.code == code)
    }

    fn has_term(&self, code: Code) -> bool {
        self.find_term(code).is_some()
    }

    fn block_code(&mut self, line: usize, code: Code) -> Result<(), Problem> {
        if code.opens_block() {
            if let Some(open) = &self.open {
                return Err(Problem::BlockInsideBlock { code, open: open.code });
            }
            self.open = Some(Block {
                code,
                line,
                terms: Vec::new(),
            });
            return Ok(());
        }
        match self.open.take() {
            Some(block) if block.code.group() == code.group() => {
                self.blocks.push(block);
                Ok(())
            }
            Some(block) => {
                let open = block.code;
                self.open = Some(block);
                Err(Problem::TermOutsideItsBlock { code, open })
            }
            None => Err(Problem::CloseWithoutOpen(code)),
        }
    }

    fn finish(self, end_line: usize) -> Result<Record, Malformed> {
        if let Some(open) = &self.open {
            return Err(self.malformed(end_line, Problem::UnclosedBlock(open.code)));
        }
        let Some(term) = self.find_term(Code::IDENTITY) else {
            return Err(self.malformed(end_line, Problem::MissingIdentity));
        };
        let text = term.value.as_set().unwrap_or("$");
        let identity = IdentityNumber::parse(text).map_err(|error| {
            self.malformed(
                term.line,
                Problem::BadIdentity {
                    masked: mask(text),
                    error,
                },
            )
        })?;
        Ok(Record {
            line: self.start,
            end_line,
            post_id: self.post_id,
            identity,
            terms: self.terms,
            blocks: self.blocks,
        })
    }
}

fn is_flag(value: &Value) -> bool {
    match value {
        Value::Removed => true,
        Value::Set(v) => v == "J",
    }
}

#[derive(Debug)]
enum State {
    Outside {
        stray: bool,
    },
    Inside(Builder),
    /// After a malformed record: skip to its end.
    Skipping,
}

/// Reads records from a Navet file, one at a time. Yields each record, or a [`Malformed`]
/// error for a broken one, and goes on; stops after an I/O error.
///
/// ```
/// use lagrum_navet::Records;
/// let file = "#POST_START\n#POST_ID 1\n#UP 01001 193801248471\n#UP 01003 J\n#POST_SLUT\n";
/// let records: Vec<_> = Records::new(file.as_bytes()).collect();
/// let record = records[0].as_ref().expect("a valid record");
/// assert_eq!(record.sekretessmarkering(), lagrum_navet::Flag::Set);
/// ```
#[derive(Debug)]
pub struct Records<R> {
    lines: LineReader<R>,
    state: State,
    stats: Stats,
    done: bool,
    max_line: usize,
}

impl<R: BufRead> Records<R> {
    pub fn new(input: R) -> Records<R> {
        Records::with_line_limit(input, crate::lines::MAX_LINE)
    }

    /// A parser that treats lines longer than `max` bytes as malformed.
    pub fn with_line_limit(input: R, max: usize) -> Records<R> {
        Records {
            lines: LineReader::with_limit(input, max),
            state: State::Outside { stray: false },
            stats: Stats::default(),
            done: false,
            max_line: max,
        }
    }

    /// Counts so far.
    pub fn stats(&self) -> Stats {
        Stats {
            bytes: self.lines.bytes_read(),
            ..self.stats
        }
    }

    fn step(&mut self) -> Option<Result<Record, Error>> {
        let Records {
            lines,
            state,
            stats,
            done,
            max_line,
        } = self;
        loop {
            let line = match lines.next_line() {
                Ok(Some(line)) => line,
                Ok(None) => {
                    *done = true;
                    return end_of_input(state, stats);
                }
                Err(e) => {
                    *done = true;
                    return Some(Err(Error::Io(e)));
                }
            };
            stats.lines += 1;
            let (number, text) = match line {
                Line::Text { number, text, latin1 } => {
                    if latin1 {
                        stats.latin1_lines += 1;
                    }
                    (number, text.trim_start())
                }
                Line::TooLong { number } => {
                    let problem = Problem::LineTooLong { max: *max_line };
                    match broken_line(state, stats, number, problem, true) {
                        Some(out) => return Some(out),
                        None => continue,
                    }
                }
            };
            if text.is_empty() {
                continue;
            }
            let out = if text.contains('\0') {
                broken_line(state, stats, number, Problem::BadEncoding, false)
            } else {
                let (tag, rest) = match text.split_once([' ', '\t']) {
                    Some((t, r)) => (t, r.trim()),
                    None => (text, ""),
                };
                match state {
                    State::Outside { .. } => outside_line(state, stats, number, tag),
                    State::Skipping => {
                        match tag {
                            "#POST_START" => *state = State::Inside(Builder::new(number)),
                            "#POST_SLUT" => *state = State::Outside { stray: false },
                            _ => {}
                        }
                        None
                    }
                    State::Inside(_) => inside_line(state, stats, number, tag, rest),
                }
            };
            if let Some(out) = out {
                return Some(out);
            }
        }
    }
}

/// The end of the file: a record still open was cut off.
fn end_of_input(state: &mut State, stats: &mut Stats) -> Option<Result<Record, Error>> {
    let last = stats.lines;
    match std::mem::replace(state, State::Outside { stray: false }) {
        State::Inside(b) => {
            stats.malformed += 1;
            Some(Err(Error::Malformed(b.malformed(last, Problem::Truncated))))
        }
        _ => None,
    }
}

/// A line that cannot be read (too long, or not text): the record it is in is malformed
/// and skipped to its end; outside a record it is reported once per stray stretch (a
/// too-long line always, `always`).
fn broken_line(
    state: &mut State,
    stats: &mut Stats,
    number: usize,
    problem: Problem,
    always: bool,
) -> Option<Result<Record, Error>> {
    match std::mem::replace(state, State::Skipping) {
        State::Inside(b) => {
            stats.malformed += 1;
            Some(Err(Error::Malformed(b.malformed(number, problem))))
        }
        State::Skipping => None,
        State::Outside { stray } => {
            *state = State::Outside { stray: true };
            if stray && !always {
                return None;
            }
            stats.malformed += 1;
            Some(Err(Error::Malformed(outside(number, problem))))
        }
    }
}

/// A line between records: a record starts, a header line, or record content whose
/// `#POST_START` was lost (reported once per stray stretch).
fn outside_line(state: &mut State, stats: &mut Stats, number: usize, tag: &str) -> Option<Result<Record, Error>> {
    let State::Outside { stray } = state else {
        return None;
    };
    match tag {
        "#POST_START" => *state = State::Inside(Builder::new(number)),
        "#POST_SLUT" => {
            stats.malformed += 1;
            return Some(Err(Error::Malformed(outside(number, Problem::EndWithoutStart))));
        }
        // Record content outside a record: its `#POST_START` was lost, and with it a record
        // about somebody. Not a header.
        "#UP" | "#POST_ID" if *stray => {}
        "#UP" | "#POST_ID" => {
            *stray = true;
            stats.malformed += 1;
            return Some(Err(Error::Malformed(outside(number, Problem::OutsideRecord))));
        }
        t if t.starts_with('#') => {
            stats.header_lines += 1;
            *stray = false;
        }
        _ if *stray => {}
        _ => {
            *stray = true;
            stats.malformed += 1;
            return Some(Err(Error::Malformed(outside(number, Problem::OutsideRecord))));
        }
    }
    None
}

/// A line inside a record: its end (the record is yielded), a term, its id, or a problem
/// that makes the record malformed.
fn inside_line(
    state: &mut State,
    stats: &mut Stats,
    number: usize,
    tag: &str,
    rest: &str,
) -> Option<Result<Record, Error>> {
    let State::Inside(b) = state else {
        return None;
    };
    let result = match tag {
        "#POST_SLUT" => {
            let b = std::mem::take(b);
            *state = State::Outside { stray: false };
            return Some(match b.finish(number) {
                Ok(r) => {
                    stats.records += 1;
                    Ok(r)
                }
                Err(m) => {
                    stats.malformed += 1;
                    Err(Error::Malformed(m))
                }
            });
        }
        "#POST_START" => {
            let cut = std::mem::replace(b, Builder::new(number));
            stats.malformed += 1;
            return Some(Err(Error::Malformed(cut.malformed(number, Problem::StartInsideRecord))));
        }
        "#UP" => b.term(number, rest),
        "#POST_ID" if b.post_id.is_some() => Err(Problem::DuplicatePostId),
        "#POST_ID" if rest.is_empty() => Err(Problem::EmptyPostId),
        "#POST_ID" => {
            b.post_id = Some(rest.to_string());
            Ok(())
        }
        _ => Err(Problem::UnknownLine),
    };
    let problem = result.err()?;
    let m = b.malformed(number, problem);
    *state = State::Skipping;
    stats.malformed += 1;
    Some(Err(Error::Malformed(m)))
}

fn outside(line: usize, problem: Problem) -> Malformed {
    Malformed {
        line,
        start_line: None,
        post_id: None,
        identity: None,
        problem,
    }
}

impl<R: BufRead> Iterator for Records<R> {
    type Item = Result<Record, Error>;

    fn next(&mut self) -> Option<Self::Item> {
        if self.done {
            return None;
        }
        self.step()
    }
}
