//! Diagnostics: what is wrong in a ruleset, where, and how to fix it.
//!
//! A diagnostic is plain data. It is rendered in one place ([`Diagnostics::render`]) as text
//! with the file, line, column and a caret under the spot, and can be turned into
//! [`Located`] records for machines (the CLI's JSON output, the browser page).
//! Messages are Swedish, lowercase, without a final period; names are in backticks.

use crate::span::{SourceFile, Sources, Span};
use annotate_snippets::{AnnotationKind, Group, Level, Renderer, Snippet};

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Severity {
    Error,
    Warning,
}

/// One finding about a ruleset.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Diagnostic {
    pub severity: Severity,
    /// A stable code, e.g. `okänt-namn`, for tests and tooling.
    pub code: &'static str,
    pub message: String,
    pub span: Option<Span>,
    /// Text under the caret.
    pub label: Option<String>,
    /// Other places that explain the problem (e.g. the first declaration of a duplicate).
    pub related: Vec<(Span, String)>,
    pub help: Option<String>,
}

impl Diagnostic {
    pub fn error(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: Some(span),
            label: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn warning(code: &'static str, span: Span, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Warning,
            ..Diagnostic::error(code, span, message)
        }
    }

    /// A problem with no place in a file (e.g. no files at all).
    pub fn global(code: &'static str, message: impl Into<String>) -> Diagnostic {
        Diagnostic {
            severity: Severity::Error,
            code,
            message: message.into(),
            span: None,
            label: None,
            related: Vec::new(),
            help: None,
        }
    }

    pub fn with_label(mut self, label: impl Into<String>) -> Diagnostic {
        self.label = Some(label.into());
        self
    }

    pub fn with_help(mut self, help: impl Into<String>) -> Diagnostic {
        self.help = Some(help.into());
        self
    }

    pub fn with_related(mut self, span: Span, text: impl Into<String>) -> Diagnostic {
        self.related.push((span, text.into()));
        self
    }
}

/// A diagnostic resolved to file name, line and column, for machines.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Located {
    pub severity: Severity,
    pub code: &'static str,
    pub message: String,
    pub file: Option<String>,
    pub line: Option<usize>,
    pub column: Option<usize>,
    pub end_line: Option<usize>,
    pub end_column: Option<usize>,
    pub label: Option<String>,
    pub help: Option<String>,
}

/// All findings of a check, in file order.
#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Diagnostics {
    pub items: Vec<Diagnostic>,
}

impl Diagnostics {
    pub fn push(&mut self, d: Diagnostic) {
        self.items.push(d);
    }

    pub fn has_errors(&self) -> bool {
        self.items.iter().any(|d| d.severity == Severity::Error)
    }

    pub fn error_count(&self) -> usize {
        self.items.iter().filter(|d| d.severity == Severity::Error).count()
    }

    pub fn is_empty(&self) -> bool {
        self.items.is_empty()
    }

    /// Sorts by file and position so output is stable and reads top to bottom.
    pub fn sort(&mut self) {
        self.items
            .sort_by_key(|d| d.span.map(|s| (s.file.0, s.start, s.end)).unwrap_or((u32::MAX, 0, 0)));
    }

    /// Renders every diagnostic as text: message, `--> file:line:column`, the source line
    /// and a caret under the spot. No colours, so the output is the same everywhere.
    pub fn render(&self, sources: &Sources) -> String {
        let renderer = Renderer::plain();
        let mut out = String::new();
        for d in &self.items {
            out.push_str(&render_one(&renderer, d, sources));
            out.push('\n');
        }
        let errors = self.error_count();
        let warnings = self.items.len() - errors;
        if errors > 0 || warnings > 0 {
            out.push_str(&summary(errors, warnings));
            out.push('\n');
        }
        out
    }

    /// The diagnostics with file names, lines and columns resolved.
    pub fn located(&self, sources: &Sources) -> Vec<Located> {
        self.items
            .iter()
            .map(|d| {
                let (file, start, end) = match d.span {
                    Some(s) => (
                        sources.get(s.file).map(|f| f.name.clone()),
                        Some(sources.line_col(s.file, s.start)),
                        Some(sources.line_col(s.file, s.end)),
                    ),
                    None => (None, None, None),
                };
                Located {
                    severity: d.severity,
                    code: d.code,
                    message: d.message.clone(),
                    file,
                    line: start.map(|p| p.line),
                    column: start.map(|p| p.column),
                    end_line: end.map(|p| p.line),
                    end_column: end.map(|p| p.column),
                    label: d.label.clone(),
                    help: d.help.clone(),
                }
            })
            .collect()
    }
}

fn summary(errors: usize, warnings: usize) -> String {
    let e = match errors {
        0 => String::new(),
        1 => "1 fel".to_string(),
        n => format!("{n} fel"),
    };
    let w = match warnings {
        0 => String::new(),
        1 => "1 varning".to_string(),
        n => format!("{n} varningar"),
    };
    match (e.is_empty(), w.is_empty()) {
        (false, false) => format!("{e} och {w}"),
        (false, true) => e,
        (true, false) => w,
        (true, true) => String::new(),
    }
}

/// Around a span on a long line, a snippet shows this many bytes on each side (the
/// renderer cuts long lines for display anyway).
const WINDOW: usize = 256;
/// Annotations in one file share a snippet when the lines from the first to the last span
/// at most this many bytes; farther apart, each gets its own.
const JOINED: usize = 16 * 1024;

/// The part of a file a snippet shows: whole lines (a window of a long line), so that
/// rendering one diagnostic costs what it shows, not the size of the file.
struct Excerpt<'a> {
    text: &'a str,
    /// Byte offset of `text` in the file.
    base: usize,
    /// Line number of `text`'s first line.
    line: usize,
    /// When `text` starts inside a line, the renderer counts the column from there:
    /// `path:line:wrong` is replaced by `path:line:right` in the output.
    fix: Option<(String, String)>,
}

fn excerpt<'a>(file: &'a SourceFile, start: usize, end: usize) -> Excerpt<'a> {
    let text = file.text.as_str();
    let (lines, line) = file.lines_of(start, end);
    let mut from = lines.start;
    let mut to = lines.end;
    let mut fix = None;
    if lines.len() > 4 * WINDOW && end.saturating_sub(start) <= WINDOW {
        // A short span on a long line: a window around it, on the span's first line.
        from = start.saturating_sub(WINDOW).max(lines.start);
        while from < start && !text.is_char_boundary(from) {
            from += 1;
        }
        to = (end + WINDOW).min(lines.end);
        while to < lines.end && !text.is_char_boundary(to) {
            to += 1;
        }
        let at = file.line_col(start);
        let chars = |a: usize, b: usize| text.get(a..b).map(|t| t.chars().count()).unwrap_or(0);
        let wrong = chars(from, start) + 1;
        if wrong != at.column {
            fix = Some((
                format!("{}:{}:{wrong}", file.name, at.line),
                format!("{}:{}:{}", file.name, at.line, at.column),
            ));
        }
        return Excerpt {
            text: text.get(from..to).unwrap_or(""),
            base: from,
            line: at.line,
            fix,
        };
    }
    Excerpt {
        text: text.get(from..to).unwrap_or(""),
        base: from,
        line,
        fix,
    }
}

/// A span's range relative to an excerpt (clamped to it).
fn within(range: std::ops::Range<usize>, e: &Excerpt<'_>) -> std::ops::Range<usize> {
    let start = range.start.saturating_sub(e.base).min(e.text.len());
    let end = range.end.saturating_sub(e.base).min(e.text.len()).max(start);
    start..end
}

fn render_one(renderer: &Renderer, d: &Diagnostic, sources: &Sources) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut fixes: Vec<(String, String)> = Vec::new();
    let mut group: Group<'_> = Group::with_title(level.primary_title(d.message.as_str()).id(d.code));
    if let Some(span) = d.span
        && let Some(file) = sources.get(span.file)
    {
        let range = clamp(span, &file.text);
        let same: Vec<(std::ops::Range<usize>, &str)> = d
            .related
            .iter()
            .filter(|(r, _)| r.file == span.file)
            .map(|(r, t)| (clamp(*r, &file.text), t.as_str()))
            .collect();
        let lo = same.iter().map(|(r, _)| r.start).fold(range.start, usize::min);
        let hi = same.iter().map(|(r, _)| r.end).fold(range.end, usize::max);
        let joined = file.lines_of(lo, hi).0.len() <= JOINED;
        let primary = if joined {
            excerpt(file, lo, hi)
        } else {
            excerpt(file, range.start, range.end)
        };
        let mut ann = AnnotationKind::Primary.span(within(range.clone(), &primary));
        if let Some(label) = &d.label {
            ann = ann.label(label.as_str());
        }
        let mut snippet = Snippet::source(primary.text)
            .path(file.name.as_str())
            .line_start(primary.line)
            .annotation(ann);
        fixes.extend(primary.fix.clone());
        if joined {
            for (r, text) in &same {
                snippet = snippet.annotation(AnnotationKind::Context.span(within(r.clone(), &primary)).label(*text));
            }
        }
        group = group.element(snippet);
        if !joined {
            for (r, text) in &same {
                let e = excerpt(file, r.start, r.end);
                fixes.extend(e.fix.clone());
                group = group.element(
                    Snippet::source(e.text)
                        .path(file.name.as_str())
                        .line_start(e.line)
                        .annotation(AnnotationKind::Context.span(within(r.clone(), &e)).label(*text)),
                );
            }
        }
        for (rspan, text) in &d.related {
            if rspan.file != span.file
                && let Some(other) = sources.get(rspan.file)
            {
                let r = clamp(*rspan, &other.text);
                let e = excerpt(other, r.start, r.end);
                fixes.extend(e.fix.clone());
                group = group.element(
                    Snippet::source(e.text)
                        .path(other.name.as_str())
                        .line_start(e.line)
                        .annotation(AnnotationKind::Context.span(within(r, &e)).label(text.as_str())),
                );
            }
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    let mut out = renderer.render(&[group]);
    for (wrong, right) in fixes {
        out = out.replacen(&wrong, &right, 1);
    }
    out
}

/// A byte range that is inside the text and on character boundaries.
fn clamp(span: Span, text: &str) -> std::ops::Range<usize> {
    let mut start = (span.start as usize).min(text.len());
    let mut end = (span.end as usize).min(text.len()).max(start);
    while start > 0 && !text.is_char_boundary(start) {
        start -= 1;
    }
    while end < text.len() && !text.is_char_boundary(end) {
        end += 1;
    }
    start..end
}
