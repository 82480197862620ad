//! The decision log as a hash chain: tamper-evident, not tamper-proof.
//!
//! Each record the writer writes ends with two fields it adds:
//!
//! ```text
//! {…the record…,"prev":"sha256:<hash of the record before>","hash":"sha256:<this record>"}
//! ```
//!
//! `hash` is SHA-256 over the record's bytes up to and including `prev` (the line without
//! `,"hash":…`, closed with `}`), so it covers the whole record, its ruleset hash and its
//! place in the chain. The first record of a log has `prev` [`GENESIS`]; a log appended to
//! continues from its last record. [`verify`] walks a log and finds the first record that
//! was edited (its hash does not match), removed or moved (its `prev` is not the hash of
//! the record before it). Records at the end can be removed without a trace in the file
//! itself, and anyone can recompute a whole chain: an authority anchors it by writing the
//! last hash somewhere the log's keeper cannot change (its diarium, each day), and
//! verifying with `--anchor` checks that the anchored record is still there, unchanged,
//! with the chain intact up to it (docs/service.md, "Tamper evidence").

use sha2::{Digest, Sha256};
use std::io::{BufRead, Read, Seek, SeekFrom};

/// `prev` of a log's first record.
pub const GENESIS: &str = "sha256:0000000000000000000000000000000000000000000000000000000000000000";

const HASH_FIELD: &[u8] = b",\"hash\":\"sha256:";
/// `sha256:` and 64 hex digits.
const HASH_LEN: usize = 7 + 64;

/// `sha256:` and the hex digest of `bytes`.
pub fn digest(bytes: &[u8]) -> String {
    format!("sha256:{}", hex::encode(Sha256::digest(bytes)))
}

/// Seals one record (a JSON object, without its newline) after `prev`: returns the line to
/// write (without newline) and its hash, the next record's `prev`. A line that is not a
/// JSON object is sealed as it is, wrapped so the chain still covers it.
pub fn seal(record: &[u8], prev: &str) -> (Vec<u8>, String) {
    let record = record.trim_ascii();
    let open = match record.strip_suffix(b"}") {
        Some(head) if record.starts_with(b"{") => head.to_vec(),
        _ => {
            // Never happens for records the recorder makes; keep it in the chain anyway.
            let text = serde_json::to_string(&String::from_utf8_lossy(record)).unwrap_or_else(|_| "\"\"".into());
            format!("{{\"unreadable\":{text}").into_bytes()
        }
    };
    let mut body = open;
    let separator: &[u8] = if body.ends_with(b"{") { b"" } else { b"," };
    body.extend_from_slice(separator);
    body.extend_from_slice(b"\"prev\":\"");
    body.extend_from_slice(prev.as_bytes());
    body.extend_from_slice(b"\"}");
    let hash = digest(&body);
    let mut line = body;
    line.pop();
    line.extend_from_slice(b",\"hash\":\"");
    line.extend_from_slice(hash.as_bytes());
    line.extend_from_slice(b"\"}");
    (line, hash)
}

/// The hash a new record must chain to when appending to the log in `file`: the last
/// record's `hash`, [`GENESIS`] for an empty file, or the digest of the last line when the
/// log was written before records were chained.
pub fn last_hash(file: &mut std::fs::File) -> std::io::Result<String> {
    let len = file.seek(SeekFrom::End(0))?;
    // Read backwards in blocks until the last complete line is in hand.
    let mut tail: Vec<u8> = Vec::new();
    let mut pos = len;
    loop {
        let start = pos.saturating_sub(64 * 1024);
        let mut block = vec![0u8; usize::try_from(pos - start).unwrap_or(0)];
        file.seek(SeekFrom::Start(start))?;
        file.read_exact(&mut block)?;
        block.extend_from_slice(&tail);
        tail = block;
        pos = start;
        let trimmed = tail.trim_ascii_end();
        if pos == 0 || trimmed.contains(&b'\n') {
            break;
        }
    }
    file.seek(SeekFrom::End(0))?;
    let trimmed = tail.trim_ascii_end();
    let last = match trimmed.iter().rposition(|b| *b == b'\n') {
        Some(i) => trimmed.get(i + 1..).unwrap_or_default(),
        None => trimmed,
    };
    if last.is_empty() {
        return Ok(GENESIS.to_string());
    }
    Ok(match split_hash(last) {
        Some((_, hash)) => hash,
        None => digest(last),
    })
}

/// A sealed line: the body it was hashed over and the hash it carries.
fn split_hash(line: &[u8]) -> Option<(Vec<u8>, String)> {
    let at = line.len().checked_sub(HASH_FIELD.len() + HASH_LEN - 7 + 2)?;
    let tail = line.get(at..)?;
    if !tail.starts_with(HASH_FIELD) || !tail.ends_with(b"\"}") {
        return None;
    }
    let hash = std::str::from_utf8(tail.get(HASH_FIELD.len() - 7..tail.len() - 2)?).ok()?;
    if hash.len() != HASH_LEN || !hash.starts_with("sha256:") {
        return None;
    }
    let mut body = line.get(..at)?.to_vec();
    body.push(b'}');
    Some((body, hash.to_string()))
}

/// What [`verify`] found wrong, at the first record where the chain breaks.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Break {
    /// The record's bytes do not hash to the hash it carries: it was edited.
    Edited,
    /// The record's `prev` is not the hash of the record before it: a record before it
    /// was removed, or records were moved, or another log was spliced in.
    Link { expected: String, found: String },
    /// A record without the chain's fields after chained records (the chain was cut).
    Unsealed,
    /// The anchor given is not the hash of any record: records were removed from the end,
    /// or the anchored record was changed.
    AnchorMissing { anchor: String },
}

/// The result of walking a log.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Report {
    /// Non-empty lines read.
    pub records: u64,
    /// Records before the first chained one (a log written before chaining).
    pub unsealed: u64,
    /// The hash of the last record: what to anchor.
    pub last: String,
    /// The line of the record the anchor names, when an anchor was given.
    pub anchored_at: Option<u64>,
    /// The first break, with its line and the record's decision id when readable.
    pub broken: Option<(u64, Option<String>, Break)>,
}

impl Report {
    pub fn ok(&self) -> bool {
        self.broken.is_none()
    }

    /// The report in Swedish, for `legal log verify`.
    pub fn render(&self) -> String {
        let mut s = match &self.broken {
            None => format!(
                "OK: {} poster, kedjan obruten{}\nsista hash: {}\n",
                self.records,
                match self.anchored_at {
                    Some(l) => format!(", ankaret finns på rad {l}"),
                    None => String::new(),
                },
                self.last
            ),
            Some((line, id, b)) => {
                let who = id.as_ref().map(|i| format!(" (beslut {i})")).unwrap_or_default();
                let what = match b {
                    Break::Edited => "posten har ändrats: dess innehåll ger inte den hash den bär".to_string(),
                    Break::Link { expected, found } => format!(
                        "kedjan är bruten: posten pekar på {found}, men posten före har {expected} (en post före den har tagits bort, eller poster har flyttats)"
                    ),
                    Break::Unsealed => {
                        "posten saknar kedjans fält efter kedjade poster (kedjan har klippts)".to_string()
                    }
                    Break::AnchorMissing { anchor } => {
                        format!("ankaret {anchor} finns inte i loggen: poster i slutet har tagits bort eller ändrats")
                    }
                };
                format!("BRUTEN vid rad {line}{who}: {what}\n")
            }
        };
        if self.unsealed > 0 {
            s.push_str(&format!(
                "({} poster före kedjan saknar hash; de skyddas bara av den första kedjade postens prev)\n",
                self.unsealed
            ));
        }
        s
    }
}

/// Checks a log line by line (so a reader that also does something else with each line —
/// `legal replay` — checks the chain in the same pass).
#[derive(Debug, Clone)]
pub struct Verifier {
    report: Report,
    expected: String,
    chained: bool,
    anchor: Option<String>,
}

impl Verifier {
    /// `start`: the `prev` the first chained record must have (default [`GENESIS`]);
    /// `anchor`: a hash recorded elsewhere that must be the hash of some record.
    pub fn new(start: Option<&str>, anchor: Option<&str>) -> Verifier {
        Verifier {
            report: Report {
                records: 0,
                unsealed: 0,
                last: GENESIS.to_string(),
                anchored_at: None,
                broken: None,
            },
            expected: start.unwrap_or(GENESIS).to_string(),
            chained: false,
            anchor: anchor.map(String::from),
        }
    }

    /// Whether the chain has broken so far.
    pub fn is_broken(&self) -> bool {
        self.report.broken.is_some()
    }

    /// Takes line `line_no` (1-based) of the log. After the first break, lines are ignored.
    pub fn line(&mut self, line_no: u64, line: &[u8]) {
        let line = line.trim_ascii();
        if line.is_empty() || self.is_broken() {
            return;
        }
        let r = &mut self.report;
        r.records += 1;
        let id = || {
            serde_json::from_slice::<serde_json::Value>(line)
                .ok()
                .and_then(|v| v.get("decision_id").and_then(|d| d.as_str()).map(String::from))
        };
        let Some((body, hash)) = split_hash(line) else {
            if self.chained {
                r.broken = Some((line_no, id(), Break::Unsealed));
            } else {
                r.unsealed += 1;
                self.expected = digest(line);
                r.last = self.expected.clone();
            }
            return;
        };
        self.chained = true;
        if digest(&body) != hash {
            r.broken = Some((line_no, id(), Break::Edited));
            return;
        }
        let prev = serde_json::from_slice::<serde_json::Value>(&body)
            .ok()
            .and_then(|v| v.get("prev").and_then(|p| p.as_str()).map(String::from))
            .unwrap_or_default();
        if prev != self.expected {
            r.broken = Some((
                line_no,
                id(),
                Break::Link {
                    expected: self.expected.clone(),
                    found: prev,
                },
            ));
            return;
        }
        if self.anchor.as_deref() == Some(hash.as_str()) {
            r.anchored_at = Some(line_no);
        }
        self.expected.clone_from(&hash);
        r.last = hash;
    }

    /// The report, after the last line (`lines`: the number of lines read).
    pub fn finish(mut self, lines: u64) -> Report {
        if let Some(a) = self.anchor
            && self.report.anchored_at.is_none()
            && self.report.broken.is_none()
        {
            self.report.broken = Some((lines, None, Break::AnchorMissing { anchor: a }));
        }
        self.report
    }
}

/// Walks a whole log; see [`Verifier::new`].
pub fn verify<R: BufRead>(input: R, start: Option<&str>, anchor: Option<&str>) -> std::io::Result<Report> {
    let mut v = Verifier::new(start, anchor);
    let mut line_no = 0u64;
    for line in input.split(b'\n') {
        let line = line?;
        line_no += 1;
        v.line(line_no, &line);
        if v.is_broken() {
            break;
        }
    }
    Ok(v.finish(line_no))
}
