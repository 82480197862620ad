//! Formatter tests: the real rulesets and odd inputs are formatted idempotently, keep their
//! meaning (the same syntax tree) and every comment in order; whitespace between tokens does
//! not change the result; a grammar with constructs the formatter has never seen is
//! formatted too; a file that does not parse gives a located error, never a panic.

use super::*;
use crate::span::Sources;
use pest::Parser as _;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

/// The rule language plus test-only constructs (`fmt/extended.pest`).
#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
#[grammar = "fmt/extended.pest"]
struct Extended;

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

fn lagrum_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).unwrap() {
        let p = entry.unwrap().path();
        if p.is_dir() {
            lagrum_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "lagrum") {
            out.push(p);
        }
    }
}

/// Every ruleset file of the repository (rulesets and examples), as (name, text).
fn repository_files() -> Vec<(String, String)> {
    let mut files = Vec::new();
    lagrum_files(&root().join("rulesets"), &mut files);
    lagrum_files(&root().join("examples"), &mut files);
    files.sort();
    assert!(files.len() >= 16, "found the ruleset files: {files:?}");
    files
        .into_iter()
        .map(|f| (f.display().to_string(), std::fs::read_to_string(&f).unwrap()))
        .collect()
}

fn fmt(text: &str) -> String {
    match format(text) {
        Ok(out) => out,
        Err(diags) => {
            let mut sources = Sources::new();
            sources.add("test.lagrum", text);
            panic!("format failed:\n{}", diags.render(&sources))
        }
    }
}

/// The syntax tree of a text, without spans.
fn ast(text: &str) -> String {
    let mut diags = Diagnostics::default();
    let parsed = parse::parse_file(FileId(0), text, &mut diags);
    assert!(diags.is_empty(), "{diags:?}");
    let mut out = String::new();
    let mut rest = format!("{:?}", parsed.file);
    while let Some(i) = rest.find("Span { ") {
        out.push_str(&rest[..i]);
        out.push_str("Span");
        let end = rest[i..].find(" }").unwrap() + i + 2;
        rest = rest[end..].to_string();
    }
    out.push_str(&rest);
    out
}

/// The comments of a text, in order, found by a scan of its own (not the formatter's).
fn comments(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        match c {
            '"' => {
                while let Some((_, c)) = chars.next() {
                    match c {
                        '\\' => {
                            chars.next();
                        }
                        '"' => break,
                        _ => {}
                    }
                }
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                let end = text[i..].find('\n').map_or(text.len(), |e| i + e);
                out.push(text[i..end].trim_end().to_string());
                while chars.peek().is_some_and(|(k, _)| *k < end) {
                    chars.next();
                }
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => {
                let end = text[i + 2..].find("*/").map_or(text.len(), |e| i + 2 + e + 2);
                let lines: Vec<&str> = text[i..end].split('\n').map(str::trim_end).collect();
                out.push(lines.join("\n"));
                while chars.peek().is_some_and(|(k, _)| *k < end) {
                    chars.next();
                }
            }
            _ => {}
        }
    }
    out
}

/// For each line: whether it starts inside a string (whose text is kept as written).
fn string_open_at_line_starts(text: &str) -> Vec<bool> {
    let mut out = vec![false];
    let (mut in_string, mut in_comment, mut escaped) = (false, false, false);
    let mut prev = ' ';
    for c in text.chars() {
        match c {
            '\n' => {
                in_comment = false;
                out.push(in_string);
            }
            _ if in_comment => {}
            _ if in_string && escaped => escaped = false,
            '\\' if in_string => escaped = true,
            '"' => in_string = !in_string,
            '/' if !in_string && prev == '/' => in_comment = true,
            _ => {}
        }
        prev = c;
    }
    out
}

/// What formatting promises for any text that parses.
fn assert_formats_well(name: &str, text: &str) -> String {
    let once = fmt(text);
    let twice = fmt(&once);
    assert_eq!(once, twice, "{name}: formatting is not idempotent");
    assert_eq!(ast(text), ast(&once), "{name}: the syntax tree changed");
    assert_eq!(comments(text), comments(&once), "{name}: comments changed");
    assert!(
        once.is_empty() || (once.ends_with('\n') && !once.ends_with("\n\n")),
        "{name}: one final newline"
    );
    let in_string = string_open_at_line_starts(&once);
    for (n, line) in once.lines().enumerate() {
        let (starts_in, ends_in) = (in_string[n], in_string.get(n + 1).copied().unwrap_or(false));
        if !ends_in {
            assert_eq!(line, line.trim_end(), "{name}:{}: trailing whitespace", n + 1);
        }
        if !starts_in {
            let indent = &line[..line.len() - line.trim_start().len()];
            assert!(
                indent.chars().all(|c| c == ' '),
                "{name}:{}: indented with more than spaces",
                n + 1
            );
        }
    }
    assert!(!once.contains("\n\n\n"), "{name}: more than one blank line");
    once
}

#[test]
fn the_rulesets_are_formatted_idempotently_with_their_meaning_and_comments() {
    for (name, text) in repository_files() {
        assert_formats_well(&name, &text);
    }
}

#[test]
fn formatting_the_rulesets_keeps_most_lines() {
    // The style was derived from the rulesets: formatting them changes few lines.
    for (name, text) in repository_files() {
        let once = fmt(&text);
        let before: std::collections::HashSet<&str> = text.lines().collect();
        let changed = once.lines().filter(|l| !before.contains(l)).count();
        assert!(changed * 10 <= text.lines().count(), "{name}: {changed} lines changed");
    }
}

/// Purpose-built inputs: every place a comment can be, odd whitespace, trailing commas,
/// empty sets and blocks, long lists and conditions, strings over several lines.
const ODD: &[&str] = &[
    "",
    "   \n\n  ",
    "// bara en kommentar",
    "/* block */",
    "\u{feff}syfte a \"a\"\r\nsyfte b \"b\"\r\n",
    "syfte\ta\t\"a\"   // efter\n\n\n\n// fri\n\nsyfte b \"b\" { förklaring \"x\" }",
    "grupp g \"g\" = {a,b,c,}",
    "grupp g \"g\" = { }\ngrupp h \"h\"={}",
    "grupp g \"g\" = { // efter klammer\n a, // efter a\n /* före b */ b\n // sist\n}",
    "grupp g \"g\" = { a /* inne */, b }",
    "grupp g \"g\" = { a\n , b }",
    "aktör A \"A\" { }\naktör B \"B\" { // tom\n}",
    "aktör A \"A\" {\n\n  enhet e \"e\"\n\n\n  enhet f \"f\"\n\n}",
    "sekretess s = OSL 1 § /* före block */ { version från 2020-01-01 { skyddar x } }",
    "sekretess s = OSL 1 § // rad\n{ version från 2020-01-01 { skyddar x } }",
    "sekretess s = OSL 1 § { version från 2020-01-01 { skyddar x när a // c\n och b } }",
    "sekretess s = OSL 1 § { version från 2020-01-01 { skyddar x när a\n// egen rad\noch b } }",
    "sekretess s = OSL 1 § { version från 2020-01-01 { förklaring \"rad ett  \n   rad två\" när a } }",
    "sekretess s = OSL 1 § { version från 2020-01-01 { skyddar x } } // sist utan radslut",
    "sekretessbrytande s = OSL 10 kap. 2 a och 3 §§ 1 st. 2 p. { version från 2020-01-01 { \
     bryter { OSL 24 kap. 2 a och 8 §§, OSL 25 kap. 1–8 §§, OSL 26 kap. 1-6 §§, OSL 29 kap. 1 och 2 §§, OSL 31 kap. 1 § 1 st., OSL 31 kap. 2 och 12 §§ } \
     när (a och (b eller c) och inte d) eller person.ålder >= 18 och person.skydd i { sekretessmarkering, skyddad_folkbokföring } eller x i { lång_rad_nummer_ett, lång_rad_nummer_två } \
     } }",
    "faktum f \"f\" : val { a, b } { fråga \"?\" }\nfaktum g \"g\" om person : tal {}",
    "uppgiftsskyldighet u = LUB 5 § { version \"SFS 2025:170\" från 2025-04-01 till 2026-01-01 { \
     lämnas av { A, B } utom C till D på begäran och på eget initiativ syfte s avser k \
     bryter sekretess genom OSL 10 kap. 28 § 1 st. undantar g enligt LUB 8 § prövning pr \
     osäkert \"o\" när x < 3 medför { f } går före alla annars \"a\" tillåtet när y != 2 } }",
    "förhandsbedömning fb \"fb\" { bestämmelse OSL 10 kap. 27 § avsändare FK mottagare KFM \
     dnr \"1\" giltig från 2026-01-01 resultat får inte lämnas }",
];

#[test]
fn odd_inputs_are_formatted_idempotently_with_their_meaning_and_comments() {
    for (n, text) in ODD.iter().enumerate() {
        assert_formats_well(&format!("ODD[{n}]"), text);
    }
}

#[test]
fn snapshot_provision() {
    insta::assert_snapshot!(fmt(
        "// LUB 5 §\nuppgiftsskyldighet lub_5=LUB 5 §{rubrik \"Vissa statliga myndigheter\" \
         version \"SFS 2025:170\" från 2025-04-01 { lämnas av lub_5_myndigheter till brottsbekämpande \
         på begäran och på eget initiativ   syfte brottsbekämpande_verksamhet\n\n\n\
         bryter sekretess genom OSL 10 kap. 28 § 1 st.\n undantar { OSL 24 kap. 8 §, OSL 25 kap. 1–8 och 15 §§ } enligt LUB 8 §\n\
         förklaring \"En förklaring som fortsätter\n      på nästa rad.\" } }"
    ));
}

#[test]
fn snapshot_lists() {
    insta::assert_snapshot!(fmt("grupp kort \"kort\" = {\n  a,\n  b\n}\n\
         grupp lång \"en grupp vars medlemmar inte ryms på en rad\" = { alfa, beta, gamma, delta, epsilon, zeta, eta, theta }\n\
         grupp rader \"raderna som de skrevs\" = {\n  OSL 25 kap. 1 §, OSL 25 kap. 2 § 2 st., OSL 25 kap. 3–5 §§,\n  \
         OSL 26 kap. 1 §, OSL 26 kap. 1 a § 2 st., OSL 26 kap. 3, 4 och 6 §§, OSL 26 kap. 9 §, OSL 26 kap. 10 §\n}\n\
         grupp tom \"tom\" = {}"));
}

#[test]
fn snapshot_comments() {
    insta::assert_snapshot!(fmt(
        "/* Huvud\n   i flera rader   */\n\n\n// Före\nsekretess s = OSL 1 § { // efter klammer\n\
         rubrik \"r\" /* inne */ // efter rubrik\n\n   // egen rad\n  version från 2020-01-01 {\n\
         skyddar { a, // efter a\n b }\n när a och // mitt i\n b\n // före klammer\n }\n}\n// sist"
    ));
}

#[test]
fn snapshot_long_conditions() {
    insta::assert_snapshot!(fmt(
        "sekretessbrytande s = OSL 10 kap. 23 § { version från 2009-06-30 { \
         när brott_begånget och ((brottsstadium = fullbordat och minimistraff_månader >= 12) eller (brottsstadium = försök och minimistraff_månader >= 24) eller brottsstadium i { förberedelse, stämpling }) \
         osäkert \"Ett förbehåll i en sträng som är så lång att villkoret efter den inte ryms\" när brottsstadium i { förberedelse, stämpling } \
         } }"
    ));
}

/// The formatter uses nothing of the grammar but its structure: constructs it has never
/// seen (a new declaration, a nested clause block, keywords written as plain literals) are
/// laid out by the same rules, and their tokens are kept as written.
#[test]
fn constructs_the_formatter_has_never_seen_are_formatted_too() {
    let text = "verksamhet v \"v\" { täckning { A, B } när x  förklaring \"f\" }\n\
        verksamhet w \"w\"\n\
        sekretess s = OSL 1 § { rubrik \"r\" version från 2026-01-01 { \
        gäller i { brottsbekämpning } { till skydd för enskild  tidsgräns 30 dagar när a och b \
        skyddar x } kontrollerad mot \"SFS 2025:1\" 2026-12-05 till skydd för enskild } }";
    let classify = |r: Rule| match r {
        Rule::set => Class::List,
        Rule::citation => Class::Unit,
        _ => Class::Plain,
    };
    fn parse(t: &str) -> Result<pest::iterators::Pair<'_, Rule>, Box<pest::error::Error<Rule>>> {
        Ok(Extended::parse(Rule::x_file, t)?.next().unwrap())
    }
    let once = layout(text, parse(text).unwrap(), &classify);
    let twice = layout(&once, parse(&once).expect("the output parses"), &classify);
    assert_eq!(once, twice);
    assert_eq!(significant(text), significant(&once));
    insta::assert_snapshot!(once);
}

#[test]
fn glued_tokens_are_kept_as_written() {
    let out =
        fmt("sekretess s = OSL 10 kap.28 § { version från 2020-01-01 { bryter { OSL 25 kap. 1 – 5 §§ } när x>=-5 } }");
    assert!(out.contains("OSL 10 kap.28 §"), "{out}");
    assert!(out.contains("OSL 25 kap. 1 – 5 §§"), "{out}");
    assert!(out.contains("när x >= -5"), "{out}");
}

#[test]
fn a_file_that_does_not_parse_is_a_located_error() {
    let text = "syfte a \"a\"\nsekretess s = OSL 1 § {\n  version från 2020-01-01 {\n    skyddar\n  }\n}\n";
    let diags = format(text).unwrap_err();
    assert!(diags.has_errors());
    let mut sources = Sources::new();
    sources.add("trasig.lagrum", text);
    let located = diags.located(&sources);
    assert_eq!(located[0].file.as_deref(), Some("trasig.lagrum"));
    assert_eq!((located[0].line, located[0].column), (Some(5), Some(3)), "{located:?}");
    assert!(diags.render(&sources).contains("trasig.lagrum:5:3"));
}

/// The whitespace between tokens, replaced at random but keeping what the formatter reads
/// from it: blank lines, line breaks after commas (rows of a list), and whether a comment
/// is on a line of its own or after a token (and what follows a comment).
fn reshuffle(text: &str, seeds: &[u8]) -> String {
    const SPACE: &[&str] = &[" ", "  ", "\t", "\n", " \n\t  ", "\r\n ", "\n\n", ""];
    let toks = lex::tokens(text);
    let mut out = String::new();
    let mut prev_end = 0usize;
    for (i, t) in toks.iter().enumerate() {
        let seed = usize::from(seeds[i % seeds.len()]);
        let prev = i.checked_sub(1).map(|p| &toks[p]);
        let prev_text = prev.map_or("", |p| &text[p.start..p.end]);
        let this = &text[t.start..t.end];
        let pad = " ".repeat(seed % 3);
        let gap = match (prev, t.newlines_before) {
            (None, _) => text[..t.start].to_string(),
            (_, n) if n >= 2 => format!("\n{pad}\n{}", "\n".repeat(seed % 2)),
            (Some(p), n) if p.is_comment() || t.is_comment() || prev_text == "," => {
                if n == 0 {
                    format!(" {pad}")
                } else {
                    format!("\n{pad}")
                }
            }
            // `3 a §`: only spaces inside a paragraph number.
            _ if prev_text.bytes().all(|b| b.is_ascii_digit()) && this.len() == 1 => format!(" {pad}"),
            _ => {
                let structural = |s: &str| matches!(s, "{" | "}" | "(" | ")" | ",");
                let pick = SPACE[seed % SPACE.len()];
                match pick {
                    "\n\n" => "\n".to_string(),
                    "" if !(structural(prev_text) || structural(this)) => " ".to_string(),
                    _ => pick.to_string(),
                }
            }
        };
        out.push_str(&gap);
        out.push_str(this);
        prev_end = t.end;
    }
    out.push_str(&text[prev_end..]);
    out
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(48))]

    #[test]
    fn whitespace_between_tokens_does_not_change_the_result(
        file in 0usize..64,
        seeds in prop::collection::vec(any::<u8>(), 1..200),
    ) {
        let files = repository_files();
        let (name, text) = &files[file % files.len()];
        let shuffled = reshuffle(text, &seeds);
        prop_assert_eq!(fmt(text), fmt(&shuffled), "{}", name);
    }

    #[test]
    fn a_cut_file_is_an_error_or_formats_well_never_a_panic(file in 0usize..64, cut in 0.0f64..1.0) {
        let files = repository_files();
        let (name, text) = &files[file % files.len()];
        let mut at = (text.len() as f64 * cut) as usize;
        while !text.is_char_boundary(at) {
            at -= 1;
        }
        let piece = &text[..at];
        match format(piece) {
            Ok(_) => {
                assert_formats_well(name, piece);
            }
            Err(diags) => {
                prop_assert!(diags.has_errors());
                prop_assert!(diags.items.iter().all(|d| d.span.is_some()), "{:?}", diags);
            }
        }
    }
}
