//! The layout tree: the tokens of a file grouped by the structure pest found, reduced to
//! what layout needs.
//!
//! Only braces matter. A pair's own `{ … }` (braces that are not inside one of its child
//! pairs) is either a *list* (a set: members separated by commas) or a *block* (a body:
//! each child pair inside is an item on its own line). Everything else is a flat run of
//! tokens. The grammar is not consulted beyond that, except through [`Class`]: which rules
//! are lists, and which are units that a line is never broken inside (citations). A new
//! declaration or clause therefore needs no formatter change, as long as it is a rule of
//! its own (as every clause is): its tokens keep their order, its body is a block.

use super::lex::{Kind, Token};
use pest::iterators::Pair;

/// What the formatter needs to know about a grammar rule.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Class {
    /// No special meaning.
    Plain,
    /// Its own braces hold a comma-separated list, even when it has no comma (`{ OSL }`).
    List,
    /// A unit such as a citation: its words are never a place to break a line.
    Unit,
}

/// One element of a line: a token, a comment, or a braced list or block.
#[derive(Debug, Clone)]
pub(crate) enum Node {
    /// A token (index into the token list); `unit` when inside a [`Class::Unit`] pair.
    Tok {
        idx: usize,
        unit: bool,
    },
    Comment(usize),
    List(List),
    Block(Block),
}

/// `{ a, b, c }`.
#[derive(Debug, Clone)]
pub(crate) struct List {
    pub open: usize,
    pub close: Option<usize>,
    pub entries: Vec<ListEntry>,
}

#[derive(Debug, Clone)]
pub(crate) enum ListEntry {
    Member(Vec<Node>),
    Comma,
    Comment(usize),
}

/// `{` items `}`, or the whole file (no braces).
#[derive(Debug, Clone)]
pub(crate) struct Block {
    pub open: Option<usize>,
    pub close: Option<usize>,
    pub entries: Vec<BlockEntry>,
}

#[derive(Debug, Clone)]
pub(crate) enum BlockEntry {
    Item(Vec<Node>),
    Comment(usize),
}

/// Builds the layout tree of a file from its pest pair (the rule that spans the file).
pub(crate) fn build<R: pest::RuleType>(
    text: &str,
    toks: &[Token],
    file: Pair<'_, R>,
    classify: &dyn Fn(R) -> Class,
) -> Block {
    // For each token, the first token from it on that is not a comment.
    let mut next_code = vec![toks.len(); toks.len() + 1];
    for (i, t) in toks.iter().enumerate().rev() {
        let after = next_code.get(i + 1).copied().unwrap_or(toks.len());
        if let Some(slot) = next_code.get_mut(i) {
            *slot = if t.is_comment() { after } else { i };
        }
    }
    let mut b = Builder {
        text,
        toks,
        pos: 0,
        next_code,
        classify,
    };
    let end = file.as_span().end();
    let mut children = file.into_inner().peekable();
    let inside = b.inside(&mut children, end, false);
    let stray = inside.close;
    let mut entries = inside.into_block().entries;
    // The grammar allows neither a `}` at the top nor tokens after the file pair; should
    // either happen, the tokens are kept as items of their own.
    if let Some(idx) = stray {
        entries.push(BlockEntry::Item(vec![Node::Tok { idx, unit: false }]));
    }
    while let Some(t) = toks.get(b.pos) {
        entries.push(if t.is_comment() {
            BlockEntry::Comment(b.pos)
        } else {
            BlockEntry::Item(vec![Node::Tok {
                idx: b.pos,
                unit: false,
            }])
        });
        b.pos += 1;
    }
    Block {
        open: None,
        close: None,
        entries,
    }
}

struct Builder<'a, R> {
    text: &'a str,
    toks: &'a [Token],
    pos: usize,
    next_code: Vec<usize>,
    classify: &'a dyn Fn(R) -> Class,
}

type Children<'i, R> = std::iter::Peekable<pest::iterators::Pairs<'i, R>>;

/// What a pair of braces holds, before it is known to be a list or a block.
enum Raw {
    Child(Vec<Node>),
    /// An own token that is not a brace, comma or comment; `true` if punctuation.
    Tok(usize, bool),
    Comma,
    Comment(usize),
}

struct Inside {
    open: Option<usize>,
    close: Option<usize>,
    raw: Vec<Raw>,
}

impl<'a, R: pest::RuleType> Builder<'a, R> {
    fn text_of(&self, idx: usize) -> &'a str {
        self.toks
            .get(idx)
            .and_then(|t| self.text.get(t.start..t.end))
            .unwrap_or("")
    }

    /// Whether the next token reaches into `child` (so it belongs to the child).
    fn reaches(&self, child: &Pair<'_, R>) -> bool {
        self.toks.get(self.pos).is_some_and(|t| t.end > child.as_span().start())
    }

    /// The nodes of one pair: its own tokens and its children's, in text order.
    fn seq(&mut self, pair: Pair<'_, R>, unit: bool) -> Vec<Node> {
        let class = (self.classify)(pair.as_rule());
        let unit = unit || class == Class::Unit;
        let end = pair.as_span().end();
        let mut children = pair.into_inner().peekable();
        let mut out = Vec::new();
        while let Some(t) = self.toks.get(self.pos) {
            if t.start >= end {
                break;
            }
            // A pair that ends in an optional part spans the whitespace and comments pest
            // skipped while looking for it; those comments belong to the parent.
            if t.is_comment() && self.only_comments_before(end) {
                break;
            }
            if let Some(child) = children.peek()
                && self.reaches(child)
            {
                if let Some(child) = children.next() {
                    out.extend(self.seq(child, unit));
                }
                continue;
            }
            if t.kind == Kind::Punct && self.text_of(self.pos) == "{" {
                let inside = self.inside(&mut children, end, unit);
                out.push(inside.into_node(class == Class::List));
                continue;
            }
            out.push(self.leaf(unit));
        }
        out
    }

    /// Whether nothing but comments lies between the next token and `end`.
    fn only_comments_before(&self, end: usize) -> bool {
        self.next_code
            .get(self.pos)
            .and_then(|&i| self.toks.get(i))
            .is_none_or(|t| t.start >= end)
    }

    fn leaf(&mut self, unit: bool) -> Node {
        let idx = self.pos;
        self.pos += 1;
        match self.toks.get(idx) {
            Some(t) if t.is_comment() => Node::Comment(idx),
            _ => Node::Tok { idx, unit },
        }
    }

    /// An own `{` and everything up to and including its own `}` (or up to `end`); at the
    /// top of the file, where there is no `{`, everything up to `end`.
    fn inside(&mut self, children: &mut Children<'_, R>, end: usize, unit: bool) -> Inside {
        let open = self
            .toks
            .get(self.pos)
            .is_some_and(|t| t.kind == Kind::Punct && self.text_of(self.pos) == "{")
            .then_some(self.pos);
        self.pos += usize::from(open.is_some());
        let mut raw = Vec::new();
        while let Some(t) = self.toks.get(self.pos) {
            if t.start >= end {
                break;
            }
            if let Some(child) = children.peek()
                && self.reaches(child)
            {
                if let Some(child) = children.next() {
                    raw.push(Raw::Child(self.seq(child, unit)));
                }
                continue;
            }
            let idx = self.pos;
            match (t.kind, self.text_of(idx)) {
                (Kind::Punct, "}") => {
                    self.pos += 1;
                    return Inside {
                        open,
                        close: Some(idx),
                        raw,
                    };
                }
                (Kind::Punct, "{") => {
                    let nested = self.inside(children, end, unit);
                    raw.push(Raw::Child(vec![nested.into_node(false)]));
                }
                (Kind::Punct, ",") => {
                    self.pos += 1;
                    raw.push(Raw::Comma);
                }
                (Kind::LineComment | Kind::BlockComment, _) => {
                    self.pos += 1;
                    raw.push(Raw::Comment(idx));
                }
                (kind, _) => {
                    self.pos += 1;
                    raw.push(Raw::Tok(idx, kind == Kind::Punct));
                }
            }
        }
        Inside { open, close: None, raw }
    }
}

impl Inside {
    fn into_node(self, list: bool) -> Node {
        if list || self.raw.iter().any(|r| matches!(r, Raw::Comma)) {
            Node::List(self.into_list())
        } else {
            Node::Block(self.into_block())
        }
    }

    fn into_list(self) -> List {
        let mut entries = Vec::new();
        let mut member: Vec<Node> = Vec::new();
        for r in self.raw {
            match r {
                Raw::Child(nodes) => member.extend(nodes),
                Raw::Tok(idx, _) => member.push(Node::Tok { idx, unit: true }),
                Raw::Comma => {
                    flush(&mut member, &mut entries);
                    entries.push(ListEntry::Comma);
                }
                Raw::Comment(idx) => {
                    flush(&mut member, &mut entries);
                    entries.push(ListEntry::Comment(idx));
                }
            }
        }
        flush(&mut member, &mut entries);
        List {
            open: self.open.unwrap_or_default(),
            close: self.close,
            entries,
        }
    }

    /// Each child pair is an item. An own token that is not a comment joins the item
    /// before it if it is punctuation (a separator), and otherwise starts an item.
    fn into_block(self) -> Block {
        let mut entries: Vec<BlockEntry> = Vec::new();
        for r in self.raw {
            let tok = match r {
                Raw::Child(nodes) => {
                    entries.push(BlockEntry::Item(nodes));
                    continue;
                }
                Raw::Comment(idx) => {
                    entries.push(BlockEntry::Comment(idx));
                    continue;
                }
                Raw::Tok(idx, punct) => (idx, punct),
                // A block has no comma (else it is a list).
                Raw::Comma => continue,
            };
            let node = Node::Tok {
                idx: tok.0,
                unit: false,
            };
            match entries.last_mut() {
                Some(BlockEntry::Item(item)) if tok.1 => item.push(node),
                _ => entries.push(BlockEntry::Item(vec![node])),
            }
        }
        Block {
            open: self.open,
            close: self.close,
            entries,
        }
    }
}

fn flush(member: &mut Vec<Node>, entries: &mut Vec<ListEntry>) {
    if !member.is_empty() {
        entries.push(ListEntry::Member(std::mem::take(member)));
    }
}
