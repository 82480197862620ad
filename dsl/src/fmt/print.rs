//! Layout: the layout tree printed in the canonical style (see `docs/dsl.md`, "Formatting").
//!
//! - A block's items each start a line, indented two spaces per brace level; blank lines
//!   between items are kept (at most one), none after `{` or before `}`.
//! - An item is one line. When it would pass [`WIDTH`], it is broken before a connective
//!   ([`BREAK_WORDS`], never inside a citation), and the rest continues two spaces further
//!   in, two more per open parenthesis.
//! - A list is `{ a, b }` on one line when that fits; otherwise its members go on rows
//!   two spaces in, with `}` on a line of its own. A row ends where the author ended one
//!   (a line break after a comma) or where the next member would pass the width.
//! - Strings and comments are printed as written (comments without trailing whitespace).
//!   A comment on a line of its own stays on a line of its own; a comment after a token
//!   stays after it, and a line comment ends the line.

use super::lex::{Kind, Token, printed};
use super::tree::{Block, BlockEntry, List, ListEntry, Node};

/// The width a line should not pass, in characters. Strings are never broken, so a line
/// with a long string passes it.
pub const WIDTH: usize = 100;

const INDENT: usize = 2;

/// Words before which a long item may be broken: the connectives of conditions and lists
/// of clauses. A word in this list inside a citation (`2 och 8 §§`) is not one.
const BREAK_WORDS: &[&str] = &["och", "eller", "när", "utom", "enligt"];

/// Prints a file's layout tree.
pub(crate) fn print(text: &str, toks: &[Token], file: &Block) -> String {
    let mut p = Printer {
        text,
        toks,
        out: String::new(),
        col: 0,
        fresh: true,
    };
    p.block(file, 0);
    let mut out = p.out;
    let kept = out.trim_end_matches(char::is_whitespace).len();
    out.truncate(kept);
    if !out.is_empty() {
        out.push('\n');
    }
    out
}

struct Printer<'a> {
    text: &'a str,
    toks: &'a [Token],
    out: String,
    /// Characters on the current line.
    col: usize,
    /// Nothing but indentation on the current line.
    fresh: bool,
}

/// Where the current item stands.
#[derive(Default)]
struct Line {
    /// Indentation of the item's first line.
    indent: usize,
    /// Open parentheses.
    parens: usize,
    /// The previous token was `(`.
    after_paren: bool,
    /// A comment must end the line before anything else is printed.
    pending: bool,
}

impl Line {
    fn new(indent: usize) -> Line {
        Line {
            indent,
            ..Line::default()
        }
    }

    /// Indentation of a continuation line.
    fn cont(&self) -> usize {
        self.indent + INDENT + INDENT * self.parens
    }
}

/// How wide nodes are on one line, and whether all of them fit on one line (no comment,
/// block, line break in a string, or list that must be wrapped).
struct Measure {
    width: usize,
    complete: bool,
}

impl<'a> Printer<'a> {
    fn raw(&self, idx: usize) -> &'a str {
        self.toks
            .get(idx)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    fn tok(&self, idx: usize) -> Option<&'a Token> {
        self.toks.get(idx)
    }

    fn push(&mut self, s: &str) {
        if s.is_empty() {
            return;
        }
        self.out.push_str(s);
        match s.rfind('\n') {
            Some(p) => self.col = s.get(p + 1..).map_or(0, |r| r.chars().count()),
            None => self.col += s.chars().count(),
        }
        self.fresh = false;
    }

    /// Ends the line (and leaves a blank one if asked) and indents the next.
    fn newline(&mut self, indent: usize, blank: bool) {
        let kept = self.out.trim_end_matches(' ').len();
        self.out.truncate(kept);
        if !self.out.is_empty() {
            self.out.push('\n');
            if blank {
                self.out.push('\n');
            }
        }
        self.out.extend(std::iter::repeat_n(' ', indent));
        self.col = indent;
        self.fresh = true;
    }

    /// Indentation of the current line.
    fn line_indent(&self) -> usize {
        let start = self.out.rfind('\n').map_or(0, |p| p + 1);
        self.out
            .get(start..)
            .map_or(0, |l| l.chars().take_while(|c| *c == ' ').count())
    }

    /// A comment after a token on the same line (not on a line of its own).
    fn trailing(&self, idx: usize) -> bool {
        idx > 0 && self.tok(idx).is_some_and(|t| t.newlines_before == 0)
    }

    /// After this comment, the next token starts a new line.
    fn breaks_after(&self, idx: usize) -> bool {
        self.tok(idx).is_some_and(|t| t.kind == Kind::LineComment)
            || !self.trailing(idx)
            || self.tok(idx + 1).is_none_or(|t| t.newlines_before > 0)
    }

    fn blank_before(&self, idx: Option<usize>) -> bool {
        idx.and_then(|i| self.tok(i)).is_some_and(|t| t.newlines_before >= 2)
    }

    fn comment_text(&self, idx: usize) -> String {
        self.tok(idx)
            .map(|t| printed(self.text, t).into_owned())
            .unwrap_or_default()
    }

    /// A block: `{`, each entry on a line of its own at `depth + 1`, `}` at `depth`. The
    /// file is a block without braces at depth 0.
    fn block(&mut self, b: &Block, depth: usize) {
        let inner = if b.open.is_some() { depth + 1 } else { depth };
        if b.open.is_some() {
            self.push("{");
        }
        let mut lines = 0usize;
        for e in &b.entries {
            match e {
                BlockEntry::Comment(c) if self.trailing(*c) && !self.out.is_empty() => {
                    let text = self.comment_text(*c);
                    self.push(" ");
                    self.push(&text);
                }
                BlockEntry::Comment(c) => {
                    self.newline(inner * INDENT, lines > 0 && self.blank_before(Some(*c)));
                    let text = self.comment_text(*c);
                    self.push(&text);
                    lines += 1;
                }
                BlockEntry::Item(nodes) => {
                    self.newline(inner * INDENT, lines > 0 && self.blank_before(first_tok(nodes)));
                    self.item(nodes, inner);
                    lines += 1;
                }
            }
        }
        if b.close.is_some() {
            if b.entries.is_empty() {
                self.push(" }");
            } else {
                self.newline(depth * INDENT, false);
                self.push("}");
            }
        }
    }

    /// One item at `depth`: filled onto lines, broken before connectives when too long.
    fn item(&mut self, nodes: &[Node], depth: usize) {
        let mut line = Line::new(depth * INDENT);
        for (k, seg) in segments(nodes, |i| self.raw(i)).into_iter().enumerate() {
            if k > 0 && !line.pending && !self.fresh {
                let cont = line.cont();
                let width = self.measure(seg).width;
                if self.col + 1 + width > WIDTH && self.col > cont {
                    self.newline(cont, false);
                    line.after_paren = false;
                }
            }
            self.nodes(seg, &mut line, depth);
        }
    }

    /// The space (or line break) before the next node.
    fn gap(&mut self, line: &mut Line, next: &str) {
        if line.pending {
            self.newline(line.cont(), false);
            line.pending = false;
        } else if !self.fresh && !line.after_paren && next != "," && next != ")" {
            self.push(" ");
        }
        line.after_paren = false;
    }

    fn nodes(&mut self, nodes: &[Node], line: &mut Line, depth: usize) {
        for (i, n) in nodes.iter().enumerate() {
            match n {
                Node::Tok { idx, .. } => {
                    let t = self.raw(*idx);
                    self.gap(line, t);
                    self.push(t);
                    match t {
                        "(" => line.parens += 1,
                        ")" => line.parens = line.parens.saturating_sub(1),
                        _ => {}
                    }
                    line.after_paren = t == "(";
                }
                Node::Comment(idx) => self.comment(*idx, line),
                Node::List(l) => {
                    self.gap(line, "{");
                    let rest = self.measure(nodes.get(i + 1..).unwrap_or(&[])).width;
                    self.list(l, rest, depth);
                }
                Node::Block(b) => {
                    self.gap(line, "{");
                    self.block(b, depth);
                }
            }
        }
    }

    fn comment(&mut self, idx: usize, line: &mut Line) {
        let text = self.comment_text(idx);
        if self.trailing(idx) && !self.fresh && !line.pending {
            self.push(" ");
        } else if !self.fresh {
            self.newline(line.cont(), false);
        }
        self.push(&text);
        line.pending = self.breaks_after(idx);
        line.after_paren = false;
    }

    /// A list, on one line if it fits with `rest` (what must follow it on the line).
    fn list(&mut self, l: &List, rest: usize, depth: usize) {
        let flat = self.list_width(l);
        if let Some(w) = flat
            && self.col + w + rest <= WIDTH
        {
            self.flat_list(l, depth);
            return;
        }
        let base = self.line_indent();
        let mut line = Line::new(base + INDENT);
        let last_member = l.entries.iter().rposition(|e| matches!(e, ListEntry::Member(_)));
        self.push("{");
        let mut at_open = true;
        let mut after_comma = false;
        for (k, e) in l.entries.iter().enumerate() {
            match e {
                ListEntry::Member(nodes) => {
                    let width = self.measure(nodes).width;
                    let authored = after_comma
                        && first_tok(nodes)
                            .and_then(|f| self.tok(f))
                            .is_some_and(|t| t.newlines_before > 0);
                    if at_open || line.pending || authored || (!self.fresh && self.col + 1 + width > WIDTH) {
                        self.newline(line.indent, false);
                    } else if !self.fresh {
                        self.push(" ");
                    }
                    line.pending = false;
                    line.after_paren = true; // the separator is already there
                    at_open = false;
                    after_comma = false;
                    self.nodes(nodes, &mut line, depth);
                }
                ListEntry::Comma => {
                    // A comma after the last member is dropped.
                    if last_member.is_some_and(|m| k < m) {
                        if line.pending {
                            self.newline(line.indent, false);
                            line.pending = false;
                        }
                        self.push(",");
                        after_comma = true;
                    }
                }
                ListEntry::Comment(c) => {
                    let text = self.comment_text(*c);
                    if self.trailing(*c) && !self.fresh && !line.pending {
                        self.push(" ");
                    } else {
                        self.newline(line.indent, false);
                        at_open = false;
                    }
                    self.push(&text);
                    line.pending = self.breaks_after(*c);
                }
            }
        }
        if l.close.is_some() {
            self.newline(base, false);
            self.push("}");
        }
    }

    fn flat_list(&mut self, l: &List, depth: usize) {
        self.push("{");
        let mut line = Line::new(self.line_indent());
        let mut first = true;
        for e in &l.entries {
            if let ListEntry::Member(nodes) = e {
                self.push(if first { " " } else { ", " });
                line.after_paren = true; // the separator is the space
                self.nodes(nodes, &mut line, depth);
                first = false;
            }
        }
        self.push(" }");
    }

    /// Width of a list on one line, or `None` if it cannot be on one line.
    fn list_width(&self, l: &List) -> Option<usize> {
        let mut members = 0usize;
        let mut width = 0usize;
        for e in &l.entries {
            match e {
                ListEntry::Member(nodes) => {
                    let m = self.measure(nodes);
                    if !m.complete {
                        return None;
                    }
                    width += m.width;
                    members += 1;
                }
                ListEntry::Comment(_) => return None,
                ListEntry::Comma => {}
            }
        }
        Some(match members {
            0 => 3,
            n => 4 + width + 2 * (n - 1),
        })
    }

    /// The width of nodes printed on one line, up to the first thing that ends the line.
    fn measure(&self, nodes: &[Node]) -> Measure {
        let mut width = 0usize;
        let mut after_paren = true; // no space before the first node
        for n in nodes {
            let text = match n {
                Node::Tok { idx, .. } => self.raw(*idx),
                Node::List(_) | Node::Block(_) => "{",
                Node::Comment(_) => return Measure { width, complete: false },
            };
            if !after_paren && text != "," && text != ")" {
                width += 1;
            }
            after_paren = text == "(";
            match n {
                Node::List(l) => match self.list_width(l) {
                    Some(w) => width += w,
                    None => {
                        return Measure {
                            width: width + 1,
                            complete: false,
                        };
                    }
                },
                Node::Block(_) => {
                    return Measure {
                        width: width + 1,
                        complete: false,
                    };
                }
                _ => match text.split_once('\n') {
                    Some((first, _)) => {
                        return Measure {
                            width: width + first.chars().count(),
                            complete: false,
                        };
                    }
                    None => width += text.chars().count(),
                },
            }
        }
        Measure { width, complete: true }
    }
}

/// The first token of some nodes (for the blank line before an item).
fn first_tok(nodes: &[Node]) -> Option<usize> {
    match nodes.first()? {
        Node::Tok { idx, .. } | Node::Comment(idx) => Some(*idx),
        Node::List(l) => Some(l.open),
        Node::Block(b) => b.open,
    }
}

/// An item cut before each connective that may start a continuation line.
fn segments<'n, 'a>(nodes: &'n [Node], raw: impl Fn(usize) -> &'a str) -> Vec<&'n [Node]> {
    let mut out = Vec::new();
    let mut start = 0usize;
    for (i, n) in nodes.iter().enumerate() {
        if i > 0
            && let Node::Tok { idx, unit: false } = n
            && BREAK_WORDS.contains(&raw(*idx))
        {
            out.extend(nodes.get(start..i));
            start = i;
        }
    }
    out.extend(nodes.get(start..));
    out
}
