//! Lines of a file in UTF-8 or Latin-1, read in bounded memory.
//!
//! Each line is decoded on its own: as UTF-8 when it is valid UTF-8, otherwise as Latin-1
//! (ISO 8859-1, where every byte is a character). Files in either encoding, and files that
//! mix them line by line, read the same. A UTF-8 byte order mark at the start is dropped, and
//! so are `\r` and other trailing white space. A line longer than the limit is not kept:
//! the reader skips to its end and says so.

use std::io::{self, BufRead};

/// The default longest line, in bytes. Navet lines are a term code and a short value.
pub const MAX_LINE: usize = 64 * 1024;

/// One line as read.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Line<'a> {
    /// The text, without the line break and trailing white space.
    Text {
        number: usize,
        text: &'a str,
        /// The line was not valid UTF-8 and was read as Latin-1.
        latin1: bool,
    },
    /// The line was longer than the limit; its content is dropped.
    TooLong { number: usize },
}

/// Reads lines from a buffered reader, reusing its buffers.
#[derive(Debug)]
pub struct LineReader<R> {
    inner: R,
    max: usize,
    number: usize,
    bytes: Vec<u8>,
    decoded: String,
    read: u64,
}

impl<R: BufRead> LineReader<R> {
    pub fn new(inner: R) -> LineReader<R> {
        LineReader::with_limit(inner, MAX_LINE)
    }

    /// A reader that drops lines longer than `max` bytes.
    pub fn with_limit(inner: R, max: usize) -> LineReader<R> {
        LineReader {
            inner,
            max,
            number: 0,
            bytes: Vec::new(),
            decoded: String::new(),
            read: 0,
        }
    }

    /// Bytes consumed so far.
    pub fn bytes_read(&self) -> u64 {
        self.read
    }

    /// The next line, or `None` at the end of the input.
    pub fn next_line(&mut self) -> io::Result<Option<Line<'_>>> {
        self.bytes.clear();
        let mut too_long = false;
        let mut any = false;
        loop {
            let available = match self.inner.fill_buf() {
                Ok(b) => b,
                Err(e) if e.kind() == io::ErrorKind::Interrupted => continue,
                Err(e) => return Err(e),
            };
            if available.is_empty() {
                break;
            }
            any = true;
            let newline = available.iter().position(|&b| b == b'\n');
            let take = newline.unwrap_or(available.len());
            if !too_long {
                if self.bytes.len() + take > self.max {
                    too_long = true;
                    self.bytes.clear();
                } else if let Some(part) = available.get(..take) {
                    self.bytes.extend_from_slice(part);
                }
            }
            let consumed = newline.map_or(take, |p| p + 1);
            self.inner.consume(consumed);
            self.read += consumed as u64;
            if newline.is_some() {
                break;
            }
        }
        if !any {
            return Ok(None);
        }
        self.number += 1;
        if too_long {
            return Ok(Some(Line::TooLong { number: self.number }));
        }
        let mut raw: &[u8] = &self.bytes;
        if self.number == 1
            && let Some(rest) = raw.strip_prefix(b"\xEF\xBB\xBF")
        {
            raw = rest;
        }
        while let Some((last, rest)) = raw.split_last()
            && last.is_ascii_whitespace()
        {
            raw = rest;
        }
        let number = self.number;
        match std::str::from_utf8(raw) {
            Ok(text) => Ok(Some(Line::Text {
                number,
                text,
                latin1: false,
            })),
            Err(_) => {
                self.decoded.clear();
                self.decoded.extend(raw.iter().map(|&b| char::from(b)));
                Ok(Some(Line::Text {
                    number,
                    text: &self.decoded,
                    latin1: true,
                }))
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn all(input: &[u8], max: usize) -> Vec<(usize, Option<String>, bool)> {
        let mut r = LineReader::with_limit(input, max);
        let mut out = Vec::new();
        while let Some(line) = r.next_line().unwrap() {
            out.push(match line {
                Line::Text { number, text, latin1 } => (number, Some(text.to_string()), latin1),
                Line::TooLong { number } => (number, None, false),
            });
        }
        out
    }

    #[test]
    fn reads_utf8_and_latin1_lines_alike() {
        let utf8 = "#UP 01025 PÅ KOMMUNEN SKRIVEN\r\n".as_bytes();
        let latin1 = b"#UP 01025 P\xC5 KOMMUNEN SKRIVEN\n";
        assert_eq!(
            all(utf8, 100),
            vec![(1, Some("#UP 01025 PÅ KOMMUNEN SKRIVEN".into()), false)]
        );
        assert_eq!(
            all(latin1, 100),
            vec![(1, Some("#UP 01025 PÅ KOMMUNEN SKRIVEN".into()), true)]
        );
    }

    #[test]
    fn drops_the_bom_and_counts_lines_without_final_newline() {
        let input = b"\xEF\xBB\xBF#POST_START\n\n#POST_SLUT";
        let lines = all(input, 100);
        assert_eq!(lines.len(), 3);
        assert_eq!(lines[0].1.as_deref(), Some("#POST_START"));
        assert_eq!(lines[1].1.as_deref(), Some(""));
        assert_eq!(lines[2], (3, Some("#POST_SLUT".into()), false));
    }

    #[test]
    fn a_long_line_is_dropped_and_reading_goes_on() {
        let mut input = vec![b'x'; 50];
        input.extend_from_slice(b"\nok\n");
        assert_eq!(all(&input, 10), vec![(1, None, false), (2, Some("ok".into()), false)]);
    }
}
