//! Source files and byte spans into them.

/// Index of a file in a [`Sources`] set.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Default)]
pub struct FileId(pub u32);

/// A byte range in one source file.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Default)]
pub struct Span {
    pub file: FileId,
    pub start: u32,
    pub end: u32,
}

impl Span {
    pub fn new(file: FileId, start: usize, end: usize) -> Span {
        Span {
            file,
            start: u32::try_from(start).unwrap_or(u32::MAX),
            end: u32::try_from(end).unwrap_or(u32::MAX),
        }
    }

    /// The smallest span covering both.
    pub fn to(self, other: Span) -> Span {
        Span {
            file: self.file,
            start: self.start.min(other.start),
            end: self.end.max(other.end),
        }
    }
}

/// One ruleset file: its name (a path for people, e.g. `rulesets/lub.lagrum`) and its text.
#[derive(Debug, Clone)]
pub struct SourceFile {
    pub name: String,
    pub text: String,
    lines: LineIndex,
}

impl SourceFile {
    /// Line and column of a byte offset (clamped to the text).
    pub fn line_col(&self, offset: usize) -> LineCol {
        self.lines.line_col(&self.text, offset)
    }

    /// The byte range of the lines holding `start..end` (1-based number of the first line),
    /// without the last line's newline.
    pub fn lines_of(&self, start: usize, end: usize) -> (std::ops::Range<usize>, usize) {
        self.lines.lines_of(&self.text, start, end)
    }
}

/// Where each line starts, and how many characters precede every [`LineIndex::BLOCK`]
/// bytes: built once per file, so finding a line is a binary search and a column costs at
/// most one block's scan, however many diagnostics a file has and however long its lines.
#[derive(Debug, Clone, Default)]
struct LineIndex {
    /// Byte offset of each line's first byte; the first is 0.
    starts: Vec<usize>,
    /// Characters in `text[..k * BLOCK]`, for each k.
    chars_before_block: Vec<usize>,
}

impl LineIndex {
    const BLOCK: usize = 4096;

    fn new(text: &str) -> LineIndex {
        let bytes = text.as_bytes();
        let mut starts = vec![0];
        starts.extend(memchr_newlines(bytes).map(|i| i + 1));
        let mut chars_before_block = Vec::with_capacity(bytes.len() / Self::BLOCK + 1);
        let mut count = 0;
        for block in bytes.chunks(Self::BLOCK) {
            chars_before_block.push(count);
            count += block.iter().filter(|b| is_char_start(**b)).count();
        }
        chars_before_block.push(count);
        LineIndex {
            starts,
            chars_before_block,
        }
    }

    /// Characters in `text[..offset]` (offset clamped; a char boundary counts exactly).
    fn chars_before(&self, text: &str, offset: usize) -> usize {
        let offset = offset.min(text.len());
        let block = offset / Self::BLOCK;
        let base = self.chars_before_block.get(block).copied().unwrap_or(0);
        let from = block * Self::BLOCK;
        base + text
            .as_bytes()
            .get(from..offset)
            .map(|b| b.iter().filter(|b| is_char_start(**b)).count())
            .unwrap_or(0)
    }

    /// The 0-based line holding `offset`.
    fn line_of(&self, offset: usize) -> usize {
        self.starts.partition_point(|s| *s <= offset).saturating_sub(1)
    }

    fn line_col(&self, text: &str, offset: usize) -> LineCol {
        let offset = offset.min(text.len());
        let line = self.line_of(offset);
        let start = self.starts.get(line).copied().unwrap_or(0);
        let column = self.chars_before(text, offset) - self.chars_before(text, start) + 1;
        LineCol { line: line + 1, column }
    }

    fn lines_of(&self, text: &str, start: usize, end: usize) -> (std::ops::Range<usize>, usize) {
        let (first, last) = (self.line_of(start.min(text.len())), self.line_of(end.min(text.len())));
        let from = self.starts.get(first).copied().unwrap_or(0);
        let to = self
            .starts
            .get(last + 1)
            .map(|s| s.saturating_sub(1))
            .unwrap_or(text.len())
            .max(from);
        (from..to, first + 1)
    }
}

fn is_char_start(b: u8) -> bool {
    b & 0xC0 != 0x80
}

fn memchr_newlines(bytes: &[u8]) -> impl Iterator<Item = usize> + '_ {
    bytes.iter().enumerate().filter(|(_, b)| **b == b'\n').map(|(i, _)| i)
}

/// The set of files a ruleset was compiled from.
#[derive(Debug, Clone, Default)]
pub struct Sources {
    files: Vec<SourceFile>,
}

/// A position for people: 1-based line and column (in characters).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct LineCol {
    pub line: usize,
    pub column: usize,
}

impl Sources {
    pub fn new() -> Sources {
        Sources::default()
    }

    /// Adds a file and returns its id.
    pub fn add(&mut self, name: impl Into<String>, text: impl Into<String>) -> FileId {
        let id = FileId(u32::try_from(self.files.len()).unwrap_or(u32::MAX));
        let text = text.into();
        self.files.push(SourceFile {
            name: name.into(),
            lines: LineIndex::new(&text),
            text,
        });
        id
    }

    pub fn get(&self, id: FileId) -> Option<&SourceFile> {
        self.files.get(id.0 as usize)
    }

    pub fn iter(&self) -> impl Iterator<Item = (FileId, &SourceFile)> {
        self.files
            .iter()
            .enumerate()
            .map(|(i, f)| (FileId(u32::try_from(i).unwrap_or(u32::MAX)), f))
    }

    pub fn len(&self) -> usize {
        self.files.len()
    }

    pub fn is_empty(&self) -> bool {
        self.files.is_empty()
    }

    /// The text a span covers, or "" if the span is outside its file.
    pub fn snippet(&self, span: Span) -> &str {
        self.get(span.file)
            .and_then(|f| f.text.get(span.start as usize..span.end as usize))
            .unwrap_or("")
    }

    /// Line and column of a byte offset in a file, from the file's line index (built once,
    /// when the file was added).
    pub fn line_col(&self, file: FileId, offset: u32) -> LineCol {
        match self.get(file) {
            Some(f) => f.line_col(offset as usize),
            None => LineCol { line: 1, column: 1 },
        }
    }
}

#[cfg(test)]
mod tests {
    #![allow(clippy::indexing_slicing, clippy::unwrap_used, reason = "test code")]
    use super::*;

    /// The definition the index must agree with: count from the start.
    fn slow(text: &str, offset: usize) -> LineCol {
        let before = text.get(..offset).unwrap_or("");
        let line = before.matches('\n').count() + 1;
        let start = before.rfind('\n').map(|i| i + 1).unwrap_or(0);
        LineCol {
            line,
            column: before[start..].chars().count() + 1,
        }
    }

    #[test]
    fn the_line_index_agrees_with_counting_from_the_start() {
        let long = "å".repeat(5000);
        let text = format!("första\nandra rad ≤ 3\n\n{long}x\nsista");
        let mut sources = Sources::new();
        let id = sources.add("t", text.clone());
        for offset in (0..=text.len()).filter(|o| text.is_char_boundary(*o)) {
            assert_eq!(sources.line_col(id, offset as u32), slow(&text, offset), "{offset}");
        }
        assert_eq!(sources.line_col(id, u32::MAX), slow(&text, text.len()));
        let f = sources.get(id).unwrap();
        let (range, line) = f.lines_of(8, 9);
        assert_eq!((&text[range], line), ("andra rad ≤ 3", 2));
        let (range, line) = f.lines_of(0, text.len());
        assert_eq!((&text[range], line), (text.as_str(), 1));
    }
}
