//! The formatter behind `legal fmt`: one canonical layout for a ruleset file, keeping every
//! comment where it was relative to the tokens around it.
//!
//! Three steps: `lex` cuts the text into tokens and comments (the grammar's comments are
//! silent, so pest never shows them); `tree` groups the tokens by the pest parse into
//! lists and blocks; `print` lays the tree out. Layout is driven by braces and the
//! grammar's own rules, not by keywords, so new declarations and clauses are formatted
//! without a change here. The style is described in `docs/dsl.md` ("Formatting").
//!
//! Every run checks its own output: it must parse and hold the same tokens and comments in
//! the same order as the input. If it does not (a bug in the formatter), the file is
//! reported and left as it was.

mod lex;
mod print;
mod tree;

#[cfg(test)]
mod tests;

pub use print::WIDTH;

use crate::diag::{Diagnostic, Diagnostics};
use crate::parse::{self, Rule};
use crate::span::FileId;
use std::borrow::Cow;
use tree::Class;

/// Formats one ruleset file. A file that does not parse gives its syntax errors, located in
/// file `FileId(0)` (add the file to a [`crate::Sources`] first to render them).
pub fn format(text: &str) -> Result<String, Diagnostics> {
    let Some(file) = parse::syntax_tree(text) else {
        return Err(syntax_errors(text));
    };
    let out = layout(text, file, &classify);
    if parse::syntax_tree(&out).is_none() || significant(text) != significant(&out) {
        let mut diags = Diagnostics::default();
        diags.push(Diagnostic::global(
            "formateringsfel",
            "formateraren skulle ändra filens innehåll, inte bara dess layout; filen lämnas som den är (ett fel i formateraren)",
        ));
        return Err(diags);
    }
    Ok(out)
}

/// The rules the layout treats specially: sets are lists, citations are never broken.
fn classify(rule: Rule) -> Class {
    match rule {
        Rule::set => Class::List,
        Rule::citation => Class::Unit,
        _ => Class::Plain,
    }
}

/// Lays out a file parsed by any grammar (the tests use an extended one).
fn layout<R: pest::RuleType>(text: &str, file: pest::iterators::Pair<'_, R>, classify: &dyn Fn(R) -> Class) -> String {
    let toks = lex::tokens(text);
    let tree = tree::build(text, &toks, file, classify);
    print::print(text, &toks, &tree)
}

fn syntax_errors(text: &str) -> Diagnostics {
    let mut diags = Diagnostics::default();
    let _ = parse::parse_file(FileId(0), text, &mut diags);
    if !diags.has_errors() {
        diags.push(Diagnostic::global("syntaxfel", "filen kan inte läsas"));
    }
    diags
}

/// The tokens and comments of a text as the formatter prints them, without the commas it
/// drops (a comma right before `}`): what formatting must not change.
fn significant(text: &str) -> Vec<Cow<'_, str>> {
    let toks = lex::tokens(text);
    let mut out: Vec<Cow<'_, str>> = Vec::new();
    for (i, t) in toks.iter().enumerate() {
        let s = lex::printed(text, t);
        if s == "," && t.kind == lex::Kind::Punct {
            let next = toks.iter().skip(i + 1).find(|n| !n.is_comment());
            if next.is_some_and(|n| text.get(n.start..n.end) == Some("}")) {
                continue;
            }
        }
        out.push(s);
    }
    out
}
