//! Diagnostics: what is wrong in a ruleset, where, and how to fix it.
//!
//! A diagnostic is plain data. It is rendered in one place ([`Diagnostics::render`]) as text
//! with the file, line, column and a caret under the spot, and can be turned into
//! [`Located`] records for machines (the CLI's JSON output, the browser page).
//! Messages are Swedish, lowercase, without a final period; names are in backticks.

use crate::span::{Sources, Span};
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

fn render_one(renderer: &Renderer, d: &Diagnostic, sources: &Sources) -> String {
    let level = match d.severity {
        Severity::Error => Level::ERROR,
        Severity::Warning => Level::WARNING,
    };
    let mut group: Group<'_> = Group::with_title(level.primary_title(d.message.as_str()).id(d.code));
    if let Some(span) = d.span
        && let Some(file) = sources.get(span.file)
    {
        let range = clamp(span, &file.text);
        let mut ann = AnnotationKind::Primary.span(range);
        if let Some(label) = &d.label {
            ann = ann.label(label.as_str());
        }
        let mut snippet = Snippet::source(file.text.as_str())
            .path(file.name.as_str())
            .annotation(ann);
        for (rspan, text) in &d.related {
            if rspan.file == span.file {
                snippet = snippet.annotation(
                    AnnotationKind::Context
                        .span(clamp(*rspan, &file.text))
                        .label(text.as_str()),
                );
            }
        }
        group = group.element(snippet);
        for (rspan, text) in &d.related {
            if rspan.file != span.file
                && let Some(other) = sources.get(rspan.file)
            {
                group = group.element(
                    Snippet::source(other.text.as_str())
                        .path(other.name.as_str())
                        .annotation(
                            AnnotationKind::Context
                                .span(clamp(*rspan, &other.text))
                                .label(text.as_str()),
                        ),
                );
            }
        }
    }
    if let Some(help) = &d.help {
        group = group.element(Level::HELP.message(help.as_str()));
    }
    renderer.render(&[group])
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
