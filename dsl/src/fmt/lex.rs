//! The formatter's tokens: the text cut at whitespace, comments, strings and structural
//! punctuation, with the newlines that came before each token.
//!
//! The grammar skips comments, so pest pairs never carry them; this scan finds them (and
//! strings, so that `//` inside a string is not a comment). It knows no keyword: a run of
//! other characters (`kap.`, `person.skydd`, `1–5`, `2009:400`, `§§`) is one token and is
//! printed exactly as written, so a construct the formatter does not know is kept.

use std::borrow::Cow;

/// What a token is.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Kind {
    /// A run of characters that are not whitespace, quotes, comments or punctuation.
    Word,
    /// A string literal, quotes included; may span lines.
    Str,
    /// `{ } ( ) ,`, a comparison operator, or a `:` that is not inside an SFS number.
    Punct,
    /// `// …` up to (not including) the end of the line.
    LineComment,
    /// `/* … */`; may span lines.
    BlockComment,
}

/// One token: its kind, its byte range, and how many line breaks the whitespace before it
/// holds (0: on the same line as the previous token; 2 or more: after a blank line).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) struct Token {
    pub kind: Kind,
    pub start: usize,
    pub end: usize,
    pub newlines_before: u32,
}

impl Token {
    pub fn is_comment(&self) -> bool {
        matches!(self.kind, Kind::LineComment | Kind::BlockComment)
    }
}

/// The text a token is printed as: as written, except that a comment loses the trailing
/// whitespace of its lines.
pub(crate) fn printed<'a>(text: &'a str, t: &Token) -> Cow<'a, str> {
    let raw = text.get(t.start..t.end).unwrap_or("");
    match t.kind {
        Kind::LineComment => Cow::Borrowed(raw.trim_end()),
        Kind::BlockComment if raw.split('\n').any(|l| l.len() != l.trim_end().len()) => {
            Cow::Owned(raw.split('\n').map(str::trim_end).collect::<Vec<_>>().join("\n"))
        }
        _ => Cow::Borrowed(raw),
    }
}

/// The grammar's `WHITESPACE`.
pub(crate) fn is_space(c: char) -> bool {
    matches!(c, ' ' | '\t' | '\r' | '\n' | '\u{feff}')
}

/// Punctuation that is always a token of its own.
fn is_single_punct(c: char) -> bool {
    matches!(c, '{' | '}' | '(' | ')' | ',' | '=' | '<' | '>' | '≤' | '≥' | '≠')
}

/// Cuts `text` into tokens. Never fails: an unterminated string or comment runs to the end
/// (the formatter only lexes text that has parsed).
pub(crate) fn tokens(text: &str) -> Vec<Token> {
    let mut out = Vec::new();
    let mut newlines = 0u32;
    let mut i = 0usize;
    while let Some(c) = text.get(i..).and_then(|r| r.chars().next()) {
        if is_space(c) {
            if c == '\n' {
                newlines += 1;
            }
            i += c.len_utf8();
            continue;
        }
        let rest = text.get(i..).unwrap_or("");
        let (kind, len) = if rest.starts_with("//") {
            (Kind::LineComment, rest.find('\n').unwrap_or(rest.len()))
        } else if rest.starts_with("/*") {
            let len = rest.get(2..).and_then(|r| r.find("*/")).map_or(rest.len(), |e| e + 4);
            (Kind::BlockComment, len)
        } else if c == '"' {
            (Kind::Str, string_len(rest))
        } else if rest.starts_with("<=") || rest.starts_with(">=") || rest.starts_with("!=") {
            (Kind::Punct, 2)
        } else if is_single_punct(c) || c == ':' {
            (Kind::Punct, c.len_utf8())
        } else {
            (Kind::Word, word_len(rest))
        };
        let len = len.max(c.len_utf8());
        out.push(Token {
            kind,
            start: i,
            end: i + len,
            newlines_before: newlines,
        });
        newlines = 0;
        i += len;
    }
    out
}

/// Length of the string literal at the start of `rest` (which starts with `"`).
fn string_len(rest: &str) -> usize {
    let mut escaped = false;
    for (k, c) in rest.char_indices().skip(1) {
        match c {
            _ if escaped => escaped = false,
            '\\' => escaped = true,
            '"' => return k + 1,
            _ => {}
        }
    }
    rest.len()
}

/// Length of the word at the start of `rest`: up to whitespace, a quote, a comment or
/// punctuation. A `:` between two digits (an SFS number, `2009:400`) stays in the word.
fn word_len(rest: &str) -> usize {
    let mut prev = None;
    let mut chars = rest.char_indices().peekable();
    while let Some((k, c)) = chars.next() {
        let next = chars.peek().map(|(_, n)| *n);
        let ends = is_space(c)
            || c == '"'
            || is_single_punct(c)
            || (c == '/' && matches!(next, Some('/' | '*')))
            || (c == '!' && next == Some('='))
            || (c == ':'
                && !(prev.is_some_and(|p: char| p.is_ascii_digit()) && next.is_some_and(|n| n.is_ascii_digit())));
        if ends {
            return k;
        }
        prev = Some(c);
    }
    rest.len()
}
