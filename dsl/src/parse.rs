//! Text to [`crate::ast::File`]: the pest grammar and its lowering into the spanned syntax tree.
//!
//! Lowering has one function per grammar rule and never unwraps a pair: a tree of an
//! unexpected shape (a grammar bug) becomes a diagnostic, not a panic.
//!
//! Syntax errors are recovered at declaration level: when a file does not parse, it is cut
//! at each top-level declaration keyword and every piece is parsed on its own, so one
//! broken provision does not hide errors in the next.

use crate::ast::*;
use crate::diag::{Diagnostic, Diagnostics};
use crate::span::{FileId, Span};
use pest::Parser as _;
use pest::iterators::Pair;

#[derive(pest_derive::Parser)]
#[grammar = "grammar.pest"]
struct Grammar;

/// The outcome of parsing one file: the declarations that parsed, the syntax errors, and
/// the names of declarations that failed (so the checker does not report them as unknown).
#[derive(Debug, Default)]
pub struct Parsed {
    pub file: File,
    pub broken_names: Vec<String>,
}

/// How deep a condition may nest: parentheses and `inte` together. Deeper conditions are
/// refused before parsing (`för-djup-nästling`), so no parse, check or evaluation recurses
/// deeper than this on any thread, however small its stack (the service's reload thread,
/// the browser page).
pub const MAX_NESTING: usize = 64;

/// Where `text` first nests a condition deeper than [`MAX_NESTING`]: the byte offset of the
/// `(` or `inte` that goes one level too deep. A linear scan that skips strings and
/// comments, run before pest sees the text (pest and the lowering both recurse per level).
///
/// Depth is the open parentheses plus the `inte` chains that lead to each of them and to
/// the current position (`inte inte x` is two levels; `inte a och inte b` one). A word or
/// symbol other than `inte` and `(` ends a chain. This may count a little more than the
/// grammar nests (`registreras inte`), never less.
pub fn too_deep(text: &str) -> Option<usize> {
    let bytes = text.as_bytes();
    let mut open: Vec<usize> = Vec::new();
    let mut chain = 0usize;
    let mut depth = 0usize;
    let mut i = 0usize;
    let is_word = |b: u8| b.is_ascii_alphanumeric() || b == b'_' || b >= 0x80;
    while let Some(&b) = bytes.get(i) {
        match b {
            b'"' => {
                chain = 0;
                i += 1;
                while let Some(&c) = bytes.get(i) {
                    i += if c == b'\\' { 2 } else { 1 };
                    if c == b'"' {
                        break;
                    }
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'/') => {
                while bytes.get(i).is_some_and(|c| *c != b'\n') {
                    i += 1;
                }
                continue;
            }
            b'/' if bytes.get(i + 1) == Some(&b'*') => {
                i += 2;
                while i < bytes.len() && !(bytes.get(i) == Some(&b'*') && bytes.get(i + 1) == Some(&b'/')) {
                    i += 1;
                }
                i += 2;
                continue;
            }
            b'(' => {
                depth += 1;
                if depth > MAX_NESTING {
                    return Some(i);
                }
                open.push(chain);
                chain = 0;
            }
            b')' => {
                depth = depth.saturating_sub(chain);
                chain = 0;
                if let Some(before) = open.pop() {
                    depth = depth.saturating_sub(1 + before);
                }
            }
            b if b.is_ascii_whitespace() => {}
            b if is_word(b) => {
                let start = i;
                while bytes.get(i).is_some_and(|c| is_word(*c)) {
                    i += 1;
                }
                if text.get(start..i) == Some("inte") {
                    chain += 1;
                    depth += 1;
                    if depth > MAX_NESTING {
                        return Some(start);
                    }
                } else {
                    depth = depth.saturating_sub(chain);
                    chain = 0;
                }
                continue;
            }
            _ => {
                depth = depth.saturating_sub(chain);
                chain = 0;
            }
        }
        i += 1;
    }
    None
}

fn too_deep_error(file: FileId, base: usize, at: usize) -> Diagnostic {
    let span = Span::new(file, base + at, base + at + 1);
    Diagnostic::error(
        "för-djup-nästling",
        span,
        format!("för djup nästling: villkoret nästlas djupare än {MAX_NESTING} nivåer"),
    )
    .with_label("en nivå för mycket")
    .with_help("dela upp villkoret, t.ex. med `och`/`eller` i stället för parenteser i parenteser")
}

/// Parses one file. Syntax errors go to `diags`; whatever parsed is returned.
pub fn parse_file(file_id: FileId, text: &str, diags: &mut Diagnostics) -> Parsed {
    if too_deep(text).is_some() {
        return recover(file_id, text, diags);
    }
    match Grammar::parse(Rule::file, text) {
        Ok(mut pairs) => {
            let lower = Lower { file: file_id, base: 0 };
            let mut decls = Vec::new();
            if let Some(file_pair) = pairs.next() {
                lower.lower_all(file_pair, &mut decls, diags);
            }
            Parsed {
                file: File { decls },
                broken_names: Vec::new(),
            }
        }
        Err(_) => recover(file_id, text, diags),
    }
}

/// Parses each top-level declaration on its own.
fn recover(file_id: FileId, text: &str, diags: &mut Diagnostics) -> Parsed {
    let mut decls = Vec::new();
    let mut broken_names = Vec::new();
    for range in split_top_level(text) {
        let Some(chunk) = text.get(range.clone()) else {
            continue;
        };
        if chunk.trim().is_empty() {
            continue;
        }
        if let Some(at) = too_deep(chunk) {
            diags.push(too_deep_error(file_id, range.start, at));
            if let Some(name) = declared_name(chunk) {
                broken_names.push(name);
            }
            continue;
        }
        match Grammar::parse(Rule::file, chunk) {
            Ok(mut pairs) => {
                let lower = Lower {
                    file: file_id,
                    base: range.start,
                };
                if let Some(file_pair) = pairs.next() {
                    lower.lower_all(file_pair, &mut decls, diags);
                }
            }
            Err(e) => {
                diags.push(syntax_error(file_id, range.start, chunk, &e));
                if let Some(name) = declared_name(chunk) {
                    broken_names.push(name);
                }
            }
        }
    }
    Parsed {
        file: File { decls },
        broken_names,
    }
}

/// Words of the language that cannot be names (mirrors `keyword` in the grammar).
const RESERVED: &[&str] = &[
    "regelverk",
    "version",
    "lag",
    "sfs",
    "kortnamn",
    "länk",
    "aktör",
    "enhet",
    "grupp",
    "syfte",
    "kategori",
    "under",
    "skydd",
    "ersätter",
    "termkod",
    "registreras",
    "faktum",
    "fråga",
    "ja_nej",
    "tal",
    "val",
    "prövning",
    "presumtion",
    "utlämnande",
    "riskfaktor",
    "skyldighet",
    "upplysning",
    "enligt",
    "sekretessbrytande",
    "sekretess",
    "uppgiftsskyldighet",
    "förbud",
    "dataskydd",
    "bestämmelse",
    "rubrik",
    "skaderekvisit",
    "rakt",
    "omvänt",
    "absolut",
    "skyddar",
    "gäller",
    "hos",
    "lämnas",
    "av",
    "till",
    "på",
    "begäran",
    "eget",
    "initiativ",
    "avser",
    "bryter",
    "genom",
    "undantar",
    "när",
    "bedömning",
    "osäkert",
    "medför",
    "går",
    "före",
    "alla",
    "tillåtet",
    "annars",
    "förhandsbedömning",
    "avsändare",
    "mottagare",
    "dnr",
    "giltig",
    "resultat",
    "får",
    "förklaring",
    "från",
    "och",
    "eller",
    "inte",
    "i",
    "finns",
    "ja",
    "nej",
    "om",
    "för",
    "mot",
    "kap",
    "st",
    "p",
    "följer",
    "annan",
    "utom",
    "täcker",
    "känt",
    "brott",
    "lagrum",
    "straffskala",
    "månader",
    "lägst",
    "verksamhet",
    "täckning",
    "enskild",
    "närstående",
    "allmänt",
    "intresse",
    "samtycke",
    "häver",
    "kontrollerad",
    "tidsgräns",
    "år",
];

const DECL_KEYWORDS: &[&str] = &[
    "regelverk",
    "lag",
    "aktör",
    "grupp",
    "syfte",
    "kategori",
    "verksamhet",
    "täckning",
    "skydd",
    "faktum",
    "fråga",
    "prövning",
    "riskfaktor",
    "skyldighet",
    "upplysning",
    "sekretessbrytande",
    "sekretess",
    "uppgiftsskyldighet",
    "förbud",
    "dataskydd",
    "bestämmelse",
    "förhandsbedömning",
];

/// Cuts a file before every declaration keyword that starts a line at brace depth 0
/// (outside strings and comments).
fn split_top_level(text: &str) -> Vec<std::ops::Range<usize>> {
    let mut starts = vec![0usize];
    let mut depth: i64 = 0;
    let mut in_string = false;
    let mut line_start = true;
    let mut chars = text.char_indices().peekable();
    while let Some((i, c)) = chars.next() {
        if in_string {
            match c {
                '\\' => {
                    chars.next();
                }
                '"' => in_string = false,
                _ => {}
            }
            continue;
        }
        match c {
            '"' => {
                in_string = true;
                line_start = false;
            }
            '/' if matches!(chars.peek(), Some((_, '/'))) => {
                for (_, c2) in chars.by_ref() {
                    if c2 == '\n' {
                        break;
                    }
                }
                line_start = true;
            }
            '/' if matches!(chars.peek(), Some((_, '*'))) => {
                let mut prev = ' ';
                for (_, c2) in chars.by_ref() {
                    if prev == '*' && c2 == '/' {
                        break;
                    }
                    prev = c2;
                }
            }
            '{' => {
                depth += 1;
                line_start = false;
            }
            '}' => {
                depth -= 1;
                line_start = false;
            }
            '\n' => line_start = true,
            c if c.is_whitespace() => {}
            _ => {
                let column_zero = i > 0 && text.get(..i).is_some_and(|b| b.ends_with('\n'));
                if line_start && (depth <= 0 || column_zero) && i > 0 {
                    let rest = text.get(i..).unwrap_or("");
                    if DECL_KEYWORDS.iter().any(|k| starts_with_word(rest, k)) {
                        starts.push(i);
                        depth = 0;
                    }
                }
                line_start = false;
            }
        }
    }
    starts.dedup();
    let mut ranges = Vec::new();
    for (n, s) in starts.iter().enumerate() {
        let end = starts.get(n + 1).copied().unwrap_or(text.len());
        ranges.push(*s..end);
    }
    ranges
}

/// `text` without trailing whitespace and `//` comments.
fn trim_trailing_trivia(text: &str) -> &str {
    let mut t = text.trim_end();
    loop {
        // A trailing line comment: the last line starts a `//` outside a string.
        let line_start = t.rfind('\n').map(|i| i + 1).unwrap_or(0);
        let last = t.get(line_start..).unwrap_or("");
        match last.find("//") {
            Some(i) if line_start > 0 && !last.get(..i).unwrap_or("").contains('"') => {
                t = t.get(..line_start + i).unwrap_or(t).trim_end();
            }
            _ => return t,
        }
    }
}

fn starts_with_word(s: &str, word: &str) -> bool {
    s.starts_with(word)
        && s.get(word.len()..)
            .and_then(|r| r.chars().next())
            .is_none_or(|c| !(c.is_alphanumeric() || c == '_'))
}

/// The name a broken declaration was meant to declare: the word after its keyword.
fn declared_name(chunk: &str) -> Option<String> {
    let mut words = chunk.split_whitespace();
    let kw = words.next()?;
    if !DECL_KEYWORDS.contains(&kw) {
        return None;
    }
    let name: String = words
        .next()?
        .chars()
        .take_while(|c| c.is_alphanumeric() || *c == '_')
        .collect();
    (!name.is_empty()).then_some(name)
}

fn syntax_error(file: FileId, base: usize, chunk: &str, e: &pest::error::Error<Rule>) -> Diagnostic {
    use pest::error::{ErrorVariant, InputLocation};
    let pos = match e.location {
        InputLocation::Pos(p) => p,
        InputLocation::Span((s, _)) => s,
    };
    // An error at the very end of a piece means the declaration ended too early: point
    // just after its last character rather than at whatever follows it.
    let trimmed_end = chunk.trim_end().len();
    let at_end = pos >= trimmed_end;
    let pos = pos.min(trimmed_end);
    let found: String = chunk
        .get(pos..)
        .unwrap_or("")
        .chars()
        .take_while(|c| !c.is_whitespace())
        .take(24)
        .collect();
    let width = if at_end { 0 } else { found.len().max(1) };
    let span = Span::new(file, base + pos, base + (pos + width).min(chunk.len()).max(pos));
    let expected = match &e.variant {
        ErrorVariant::ParsingError { positives, .. } => {
            let mut names: Vec<&'static str> = positives.iter().map(|r| human(*r)).collect();
            names.sort_unstable();
            names.dedup();
            names
        }
        ErrorVariant::CustomError { .. } => Vec::new(),
    };
    let word: String = found.chars().take_while(|c| c.is_alphanumeric() || *c == '_').collect();
    let message = if at_end || found.is_empty() {
        "deklarationen tar slut för tidigt (saknas en `}`?)".to_string()
    } else if !word.is_empty() && RESERVED.contains(&word.as_str()) {
        format!("`{word}` är ett reserverat ord och kan inte användas som namn")
    } else {
        format!("oväntat `{found}`")
    };
    let mut d = Diagnostic::error("syntaxfel", span, message);
    if !expected.is_empty() {
        d = d.with_label(format!("förväntade {}", or_list(&expected)));
    }
    d
}

fn or_list(items: &[&str]) -> String {
    match items {
        [] => String::new(),
        [one] => (*one).to_string(),
        [init @ .., last] => format!("{} eller {}", init.join(", "), last),
    }
}

/// What a ruleset author calls each part of the grammar, for syntax errors ("förväntade …").
/// Every rule is named by exactly one family below; a test (`every_grammar_rule_has_a_name`,
/// in `parse/tests.rs`) fails for a new grammar rule without one.
fn human(rule: Rule) -> &'static str {
    keyword(rule)
        .or_else(|| declaration_part(rule))
        .or_else(|| provision_part(rule))
        .or_else(|| citation_part(rule))
        .or_else(|| condition_part(rule))
        .or_else(|| token(rule))
        .unwrap_or("en del av regelverket")
}

/// Keywords, named by their word.
const KEYWORDS: &[(Rule, &str)] = &[
    (Rule::kw_tacker, "`täcker`"),
    (Rule::kw_kant, "`känt`"),
    (Rule::kw_brott, "`brott`"),
    (Rule::kw_lagrum, "`lagrum`"),
    (Rule::kw_straffskala, "`straffskala`"),
    (Rule::kw_manader, "`månader`"),
    (Rule::kw_lagst, "`lägst`"),
    (Rule::kw_utom, "`utom`"),
    (Rule::kw_verksamhet, "`verksamhet`"),
    (Rule::kw_tackning, "`täckning`"),
    (Rule::kw_enskild, "`enskild`"),
    (Rule::kw_narstaende, "`närstående`"),
    (Rule::kw_allmant, "`allmänt`"),
    (Rule::kw_intresse, "`intresse`"),
    (Rule::kw_samtycke, "`samtycke`"),
    (Rule::kw_haver, "`häver`"),
    (Rule::kw_kontrollerad, "`kontrollerad`"),
    (Rule::kw_tidsgrans, "`tidsgräns`"),
    (Rule::kw_ar, "`år`"),
    (Rule::kw_foljer, "`följer`"),
    (Rule::kw_annan, "`annan`"),
    (Rule::kw_regelverk, "`regelverk`"),
    (Rule::kw_version, "`version`"),
    (Rule::kw_lag, "`lag`"),
    (Rule::kw_sfs, "`sfs`"),
    (Rule::kw_kortnamn, "`kortnamn`"),
    (Rule::kw_lank, "`länk`"),
    (Rule::kw_aktor, "`aktör`"),
    (Rule::kw_enhet, "`enhet`"),
    (Rule::kw_grupp, "`grupp`"),
    (Rule::kw_syfte, "`syfte`"),
    (Rule::kw_kategori, "`kategori`"),
    (Rule::kw_under, "`under`"),
    (Rule::kw_skydd, "`skydd`"),
    (Rule::kw_ersatter, "`ersätter`"),
    (Rule::kw_termkod, "`termkod`"),
    (Rule::kw_registreras, "`registreras`"),
    (Rule::kw_faktum, "`faktum`"),
    (Rule::kw_fraga, "`fråga`"),
    (Rule::kw_ja_nej, "`ja_nej`"),
    (Rule::kw_tal, "`tal`"),
    (Rule::kw_val, "`val`"),
    (Rule::kw_provning, "`prövning`"),
    (Rule::kw_presumtion, "`presumtion`"),
    (Rule::kw_utlamnande, "`utlämnande`"),
    (Rule::kw_riskfaktor, "`riskfaktor`"),
    (Rule::kw_skyldighet, "`skyldighet`"),
    (Rule::kw_upplysning, "`upplysning`"),
    (Rule::kw_enligt, "`enligt`"),
    (Rule::kw_sekretessbrytande, "`sekretessbrytande`"),
    (Rule::kw_sekretess, "`sekretess`"),
    (Rule::kw_uppgiftsskyldighet, "`uppgiftsskyldighet`"),
    (Rule::kw_forbud, "`förbud`"),
    (Rule::kw_dataskydd, "`dataskydd`"),
    (Rule::kw_bestammelse, "`bestämmelse`"),
    (Rule::kw_rubrik, "`rubrik`"),
    (Rule::kw_skaderekvisit, "`skaderekvisit`"),
    (Rule::kw_rakt, "`rakt`"),
    (Rule::kw_omvant, "`omvänt`"),
    (Rule::kw_absolut, "`absolut`"),
    (Rule::kw_skyddar, "`skyddar`"),
    (Rule::kw_galler, "`gäller`"),
    (Rule::kw_hos, "`hos`"),
    (Rule::kw_lamnas, "`lämnas`"),
    (Rule::kw_av, "`av`"),
    (Rule::kw_till, "`till`"),
    (Rule::kw_pa, "`på`"),
    (Rule::kw_begaran, "`begäran`"),
    (Rule::kw_eget, "`eget`"),
    (Rule::kw_initiativ, "`initiativ`"),
    (Rule::kw_avser, "`avser`"),
    (Rule::kw_bryter, "`bryter`"),
    (Rule::kw_genom, "`genom`"),
    (Rule::kw_undantar, "`undantar`"),
    (Rule::kw_nar, "`när`"),
    (Rule::kw_bedomning, "`bedömning`"),
    (Rule::kw_osakert, "`osäkert`"),
    (Rule::kw_medfor, "`medför`"),
    (Rule::kw_gar, "`går`"),
    (Rule::kw_fore, "`före`"),
    (Rule::kw_alla, "`alla`"),
    (Rule::kw_tillatet, "`tillåtet`"),
    (Rule::kw_annars, "`annars`"),
    (Rule::kw_forhandsbedomning, "`förhandsbedömning`"),
    (Rule::kw_avsandare, "`avsändare`"),
    (Rule::kw_mottagare, "`mottagare`"),
    (Rule::kw_dnr, "`dnr`"),
    (Rule::kw_giltig, "`giltig`"),
    (Rule::kw_resultat, "`resultat`"),
    (Rule::kw_far, "`får`"),
    (Rule::kw_forklaring, "`förklaring`"),
    (Rule::kw_fran, "`från`"),
    (Rule::kw_och, "`och`"),
    (Rule::kw_eller, "`eller`"),
    (Rule::kw_inte, "`inte`"),
    (Rule::kw_i, "`i`"),
    (Rule::kw_finns, "`finns`"),
    (Rule::kw_ja, "`ja`"),
    (Rule::kw_nej, "`nej`"),
    (Rule::kw_om, "`om`"),
    (Rule::kw_person, "`person`"),
    (Rule::kw_for, "`för`"),
    (Rule::kw_mot, "`mot`"),
    (Rule::kw_kap, "`kap.`"),
    (Rule::kw_st, "`st.`"),
    (Rule::kw_p, "`p.`"),
];

/// A keyword, by its word.
fn keyword(rule: Rule) -> Option<&'static str> {
    KEYWORDS.iter().find(|(r, _)| *r == rule).map(|(_, words)| *words)
}

/// The declarations other than provisions, and their attributes.
fn declaration_part(rule: Rule) -> Option<&'static str> {
    let words = match rule {
        Rule::regelverk_decl => "`regelverk`",
        Rule::version_attr => "`version \"…\"`",
        Rule::tacker_attr => "`täcker från ÅÅÅÅ-MM-DD`",
        Rule::kant_attr => "`känt till ÅÅÅÅ-MM-DD`",
        Rule::brott_decl => "`brott`",
        Rule::brott_lagrum => "`lagrum \"…\"`",
        Rule::straffskala => "`straffskala N till M månader`",
        Rule::ur_straffskala => "`straffskala lägst`",
        Rule::lag_decl => "`lag`",
        Rule::lag_attr | Rule::sfs_attr => "`sfs`, `länk`, `kortnamn` eller `förklaring`",
        Rule::kortnamn => "`kortnamn`",
        Rule::lank => "`länk`",
        Rule::aktor_decl => "`aktör`",
        Rule::enhet => "`enhet`",
        Rule::verksamheter => "`verksamhet { … }`",
        Rule::verksamhet_decl => "`verksamhet`",
        Rule::tackning_decl => "`täckning`",
        Rule::tackning_attr | Rule::tk_i | Rule::tk_hos | Rule::tk_sekretess => {
            "`i`, `hos`, `avser`, `sekretess` eller `förklaring`"
        }
        Rule::galler_i => "`gäller i`",
        Rule::skydd_for => "`till skydd för`",
        Rule::intressen | Rule::intresse => "`enskild`, `närstående` eller `allmänt intresse`",
        Rule::samtycke_haver_inte => "`samtycke häver inte`",
        Rule::kontrollerad => "`kontrollerad mot \"SFS …\" ÅÅÅÅ-MM-DD`",
        Rule::tidsgrans => "`tidsgräns N år`",
        Rule::urval => "`sekretess till skydd för …`",
        Rule::grupp_decl => "`grupp`",
        Rule::syfte_decl => "`syfte`",
        Rule::kategori_decl => "`kategori`",
        Rule::under => "`under`",
        Rule::skydd_decl => "`skydd`",
        Rule::skydd_attr | Rule::fran_attr | Rule::till_attr | Rule::ersatter | Rule::termkod | Rule::oregistrerad => {
            "`från`, `till`, `ersätter`, `termkod`, `registreras inte` eller `förklaring`"
        }
        Rule::faktum_decl => "`faktum`",
        Rule::om_person => "`om person`",
        Rule::fact_type => "en faktatyp (`ja_nej`, `tal` eller `val { … }`)",
        Rule::faktum_attr | Rule::fraga_text => "`fråga \"…\"` eller `förklaring`",
        Rule::fraga_decl => "`fråga`",
        Rule::provning_decl => "`prövning`",
        Rule::presumtion => "`presumtion för utlämnande` eller `presumtion mot utlämnande`",
        Rule::riktning => "`för` eller `mot`",
        Rule::riskfaktor_decl => "`riskfaktor`",
        Rule::foljd_decl => "`skyldighet` eller `upplysning`",
        Rule::foljd_kind => "`skyldighet` eller `upplysning`",
        Rule::enligt => "`enligt`",
        Rule::forhand_decl => "`förhandsbedömning`",
        Rule::forhand_attr
        | Rule::fb_bestammelse
        | Rule::fb_avsandare
        | Rule::fb_mottagare
        | Rule::dnr
        | Rule::giltig
        | Rule::resultat => {
            "en uppgift i förhandsbedömningen (`bestämmelse`, `avsändare`, `mottagare`, `avser`, `syfte`, `dnr`, `giltig`, `resultat`)"
        }
        Rule::far | Rule::far_inte => "`får lämnas` eller `får inte lämnas`",
        Rule::forklaring => "`förklaring \"…\"`",
        _ => return None,
    };
    Some(words)
}

/// A provision, its versions and its clauses.
fn provision_part(rule: Rule) -> Option<&'static str> {
    let words = match rule {
        Rule::bestammelse_decl | Rule::bestammelse_kind => "en bestämmelse",
        Rule::rubrik => "`rubrik`",
        Rule::version_block => "`version … från ÅÅÅÅ-MM-DD { … }`",
        Rule::clause => "en klausul (t.ex. `lämnas av`, `till`, `syfte`, `bryter`, `undantar`, `när`)",
        Rule::skaderekvisit => "`skaderekvisit`",
        Rule::foljer => "`följer annan sekretess`",
        Rule::skadetyp => "`rakt`, `omvänt` eller `absolut`",
        Rule::skyddar => "`skyddar`",
        Rule::galler_hos => "`gäller hos`",
        Rule::lamnas_av => "`lämnas av`",
        Rule::lamnas_till => "`till`",
        Rule::satt => "`på begäran` eller `på eget initiativ`",
        Rule::satt_ord => "`begäran` eller `eget initiativ`",
        Rule::syften => "`syfte`",
        Rule::avser => "`avser`",
        Rule::bryter_genom => "`bryter sekretess genom`",
        Rule::bryter => "`bryter { … }`",
        Rule::undantar => "`undantar`",
        Rule::provning_ref => "`prövning`",
        Rule::nar => "`när`",
        Rule::bedomning => "`bedömning \"…\"`",
        Rule::osakert => "`osäkert \"…\"`",
        Rule::medfor => "`medför`",
        Rule::gar_fore => "`går före`",
        Rule::tillatet => "`tillåtet när`",
        Rule::annars => "`annars \"…\"`",
        _ => return None,
    };
    Some(words)
}

/// Sets, references and the parts of a citation.
fn citation_part(rule: Rule) -> Option<&'static str> {
    let words = match rule {
        Rule::set => "en mängd `{ … }`",
        Rule::set_or_ref => "ett namn, en hänvisning eller en mängd `{ … }`",
        Rule::member | Rule::reference => "ett namn eller en hänvisning (t.ex. `OSL 25 kap. 1 §`)",
        Rule::citation => "en hänvisning (t.ex. `OSL 25 kap. 1 §`)",
        Rule::kap_part => "`N kap.`",
        Rule::par_part | Rule::par_list | Rule::par_range | Rule::par_num => "en paragraf (t.ex. `15 a §`)",
        Rule::par_letter => "en paragrafbokstav",
        Rule::par_sign => "`§` eller `§§`",
        Rule::num_range => "ett nummer eller ett intervall (t.ex. `21–40`)",
        Rule::stycke_part => "`N st.`",
        Rule::punkt_part => "`N p.`",
        Rule::dash => "`–`",
        _ => return None,
    };
    Some(words)
}

/// Conditions and what they compare.
fn condition_part(rule: Rule) -> Option<&'static str> {
    let words = match rule {
        Rule::expr
        | Rule::or_expr
        | Rule::and_expr
        | Rule::not_expr
        | Rule::negation
        | Rule::atom
        | Rule::comparison
        | Rule::membership
        | Rule::presence
        | Rule::truth => "ett villkor",
        Rule::cmp_op => "en jämförelse (`=`, `≠`, `<`, `≤`, `>`, `≥`)",
        Rule::value => "ett värde (ett tal, `ja`, `nej` eller ett namn)",
        Rule::path | Rule::path_head | Rule::builtin | Rule::name => "ett namn",
        _ => return None,
    };
    Some(words)
}

/// The file itself and the smallest pieces of text: names, numbers, dates, strings.
fn token(rule: Rule) -> Option<&'static str> {
    let words = match rule {
        Rule::EOI => "filens slut",
        Rule::WHITESPACE | Rule::COMMENT => "mellanrum",
        Rule::file | Rule::declaration => "en deklaration (t.ex. `aktör`, `sekretess`, `uppgiftsskyldighet`)",
        Rule::ident | Rule::id_start | Rule::id_char => "ett namn",
        Rule::number => "ett tal",
        Rule::date => "ett datum (ÅÅÅÅ-MM-DD)",
        Rule::sfs_number => "ett SFS-nummer (t.ex. `2009:400`)",
        Rule::string | Rule::string_inner => "en text inom citattecken",
        Rule::keyword => "ett nyckelord",
        _ => return None,
    };
    Some(words)
}

type R<T> = Result<T, Box<Diagnostic>>;

/// Lowering context: which file, and the byte offset of the parsed text in it.
struct Lower {
    file: FileId,
    base: usize,
}

impl Lower {
    /// The pair's place, without the whitespace and comments pest lets a rule end with.
    fn span(&self, p: &Pair<'_, Rule>) -> Span {
        let s = p.as_span();
        let text = p.as_str();
        let end = s.start() + trim_trailing_trivia(text).len();
        Span::new(self.file, self.base + s.start(), self.base + end)
    }

    fn shape(&self, p: &Pair<'_, Rule>, what: &str) -> Box<Diagnostic> {
        Box::new(
            Diagnostic::error(
                "internt-parserfel",
                self.span(p),
                format!("internt fel i parsern: oväntad form på {what}"),
            )
            .with_help("detta är ett fel i Lagrum, inte i regelverket; rapportera det gärna"),
        )
    }

    /// Lowers every declaration of a parsed `file`, reporting each that fails and every
    /// attribute written twice.
    fn lower_all(&self, file: Pair<'_, Rule>, decls: &mut Vec<Decl>, diags: &mut Diagnostics) {
        for p in file.into_inner() {
            if p.as_rule() == Rule::EOI {
                continue;
            }
            self.repeated_attributes(&p, diags);
            match self.decl(p) {
                Ok(d) => decls.push(d),
                Err(e) => diags.push(*e),
            }
        }
    }

    /// A declaration's attributes are each written once (only explanations, units and
    /// versions repeat). Lowering keeps one of two, so a second `resultat` or `presumtion`
    /// would silently lose to the first or win over it: report it instead.
    fn repeated_attributes(&self, p: &Pair<'_, Rule>, diags: &mut Diagnostics) {
        let mut seen: Vec<Rule> = Vec::new();
        for c in p.clone().into_inner() {
            let rule = c.as_rule();
            if matches!(rule, Rule::forklaring | Rule::enhet | Rule::version_block) {
                continue;
            }
            if seen.contains(&rule) {
                let word = c.as_str().split_whitespace().next().unwrap_or("");
                diags.push(
                    Diagnostic::error(
                        "dubblett",
                        self.span(&c),
                        format!("`{word}` står redan i denna deklaration"),
                    )
                    .with_help("skriv den en gång; vid två värden gäller annars bara det ena"),
                );
            } else {
                seen.push(rule);
            }
        }
    }

    fn decl(&self, p: Pair<'_, Rule>) -> R<Decl> {
        Ok(match p.as_rule() {
            Rule::regelverk_decl => Decl::Ruleset(self.regelverk(p)?),
            Rule::lag_decl => Decl::Law(self.lag(p)?),
            Rule::aktor_decl => Decl::Actor(self.aktor(p)?),
            Rule::grupp_decl => Decl::Group(self.grupp(p)?),
            Rule::syfte_decl => Decl::Purpose(self.syfte(p)?),
            Rule::kategori_decl => Decl::Category(self.kategori(p)?),
            Rule::verksamhet_decl => Decl::Activity(self.verksamhet(p)?),
            Rule::tackning_decl => Decl::Coverage(self.tackning(p)?),
            Rule::skydd_decl => Decl::Marker(self.skydd(p)?),
            Rule::faktum_decl => Decl::Fact(self.faktum(p)?),
            Rule::brott_decl => Decl::Crime(self.brott(p)?),
            Rule::fraga_decl => Decl::Question(self.fraga(p)?),
            Rule::provning_decl => Decl::Balancing(self.provning(p)?),
            Rule::riskfaktor_decl => Decl::RiskFactor(self.riskfaktor(p)?),
            Rule::foljd_decl => Decl::Consequence(self.foljd(p)?),
            Rule::bestammelse_decl => Decl::Provision(Box::new(self.bestammelse(p)?)),
            Rule::forhand_decl => Decl::PreAssessment(Box::new(self.forhand(p)?)),
            _ => return Err(self.shape(&p, "en deklaration")),
        })
    }

    fn ident(&self, p: &Pair<'_, Rule>) -> Ident {
        Ident {
            name: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    fn text(&self, p: &Pair<'_, Rule>) -> Text {
        // `string` wraps `string_inner`; resolve the two escapes the language has.
        let raw = p
            .clone()
            .into_inner()
            .next()
            .map(|i| i.as_str().to_string())
            .unwrap_or_default();
        let mut value = String::with_capacity(raw.len());
        let mut chars = raw.chars();
        while let Some(c) = chars.next() {
            if c == '\\' {
                match chars.next() {
                    Some('n') => value.push('\n'),
                    Some(other) => value.push(other),
                    None => {}
                }
            } else {
                value.push(c);
            }
        }
        Text {
            value,
            span: self.span(p),
        }
    }

    fn date(&self, p: &Pair<'_, Rule>) -> DateLit {
        DateLit {
            raw: p.as_str().to_string(),
            span: self.span(p),
        }
    }

    /// The first child with the given rule.
    fn child<'a>(&self, p: &Pair<'a, Rule>, rule: Rule) -> Option<Pair<'a, Rule>> {
        p.clone().into_inner().find(|c| c.as_rule() == rule)
    }

    fn need<'a>(&self, p: &Pair<'a, Rule>, rule: Rule) -> R<Pair<'a, Rule>> {
        self.child(p, rule).ok_or_else(|| self.shape(p, human(rule)))
    }

    fn explanation(&self, p: &Pair<'_, Rule>) -> Vec<Text> {
        p.clone()
            .into_inner()
            .filter(|c| c.as_rule() == Rule::forklaring)
            .filter_map(|c| self.child(&c, Rule::string).map(|s| self.text(&s)))
            .collect()
    }

    fn string_child(&self, p: &Pair<'_, Rule>) -> R<Text> {
        Ok(self.text(&self.need(p, Rule::string)?))
    }

    fn regelverk(&self, p: Pair<'_, Rule>) -> R<RulesetDecl> {
        let name = self.string_child(&p)?;
        let version = match self.child(&p, Rule::version_attr) {
            Some(v) => Some(self.string_child(&v)?),
            None => None,
        };
        let covers_from = self
            .child(&p, Rule::tacker_attr)
            .and_then(|t| self.child(&t, Rule::date))
            .map(|d| self.date(&d));
        let known_until = self
            .child(&p, Rule::kant_attr)
            .and_then(|t| self.child(&t, Rule::date))
            .map(|d| self.date(&d));
        Ok(RulesetDecl {
            name,
            version,
            covers_from,
            known_until,
            explanation: self.explanation(&p),
            span: self.span(&p),
        })
    }

    fn lag(&self, p: Pair<'_, Rule>) -> R<LawDecl> {
        let id = self.ident(&self.need(&p, Rule::ident)?);
        let title = self.string_child(&p)?;
        let sfs = self
            .child(&p, Rule::sfs_attr)
            .and_then(|s| self.child(&s, Rule::sfs_number))
            .map(|n| (n.as_str().to_string(), self.span(&n)));
        let short_name = match self.child(&p, Rule::kortnamn) {
            Some(k) => Some(self.string_child(&k)?),
            None => None,
        };
        let link = match self.child(&p, Rule::lank) {
            Some(k) => Some(self.string_child(&k)?),
            None => None,
        };
        Ok(LawDecl {
            id,
            title,
            sfs,
            short_name,
            link,
            explanation: self.explanation(&p),
        })
    }

    fn aktor(&self, p: Pair<'_, Rule>) -> R<ActorDecl> {
        let id = self.ident(&self.need(&p, Rule::ident)?);
        let name = self.string_child(&p)?;
        let mut units = Vec::new();
        for u in p.clone().into_inner().filter(|c| c.as_rule() == Rule::enhet) {
            units.push(UnitDecl {
                id: self.ident(&self.need(&u, Rule::ident)?),
                label: self.string_child(&u)?,
                activities: self.activities(&u)?,
            });
        }
        Ok(ActorDecl {
            id,
            name,
            units,
            activities: self.activities(&p)?,
            explanation: self.explanation(&p),
        })
    }

    /// `verksamhet { … }` of an actor or unit.
    fn activities(&self, p: &Pair<'_, Rule>) -> R<Option<SetExpr>> {
        match self.child(p, Rule::verksamheter) {
            Some(v) => Ok(Some(self.set_or_ref(self.need(&v, Rule::set_or_ref)?)?)),
            None => Ok(None),
        }
    }

    fn verksamhet(&self, p: Pair<'_, Rule>) -> R<ActivityDecl> {
        let parent = match self.child(&p, Rule::under) {
            Some(u) => Some(self.ident(&self.need(&u, Rule::ident)?)),
            None => None,
        };
        Ok(ActivityDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            parent,
            explanation: self.explanation(&p),
        })
    }

    fn tackning(&self, p: Pair<'_, Rule>) -> R<CoverageDecl> {
        let set_in = |rule: Rule| -> R<Option<SetExpr>> {
            match self.child(&p, rule) {
                Some(c) => Ok(Some(self.set_or_ref(self.need(&c, Rule::set_or_ref)?)?)),
                None => Ok(None),
            }
        };
        let secrecy = match self.child(&p, Rule::tk_sekretess) {
            Some(c) => Some(self.set(self.need(&c, Rule::set)?)?),
            None => None,
        };
        Ok(CoverageDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            activities: set_in(Rule::tk_i)?,
            actors: set_in(Rule::tk_hos)?,
            categories: set_in(Rule::avser)?,
            secrecy,
            explanation: self.explanation(&p),
            span: self.span(&p),
        })
    }

    /// `enskild och närstående`, each word with its place.
    fn interests(&self, p: &Pair<'_, Rule>) -> R<Vec<(InterestWord, Span)>> {
        let list = self.need(p, Rule::intressen)?;
        let mut out = Vec::new();
        for i in list.into_inner().filter(|c| c.as_rule() == Rule::intresse) {
            let word = if self.child(&i, Rule::kw_enskild).is_some() {
                InterestWord::Individual
            } else if self.child(&i, Rule::kw_narstaende).is_some() {
                InterestWord::Related
            } else {
                InterestWord::Public
            };
            out.push((word, self.span(&i)));
        }
        Ok(out)
    }

    fn grupp(&self, p: Pair<'_, Rule>) -> R<GroupDecl> {
        Ok(GroupDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            members: self.set(self.need(&p, Rule::set)?)?,
        })
    }

    fn syfte(&self, p: Pair<'_, Rule>) -> R<PurposeDecl> {
        Ok(PurposeDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            explanation: self.explanation(&p),
        })
    }

    fn kategori(&self, p: Pair<'_, Rule>) -> R<CategoryDecl> {
        let parent = match self.child(&p, Rule::under) {
            Some(u) => Some(self.ident(&self.need(&u, Rule::ident)?)),
            None => None,
        };
        Ok(CategoryDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            parent,
            explanation: self.explanation(&p),
        })
    }

    fn skydd(&self, p: Pair<'_, Rule>) -> R<MarkerDecl> {
        let date_of = |rule| {
            self.child(&p, rule)
                .and_then(|a| self.child(&a, Rule::date))
                .map(|d| self.date(&d))
        };
        let replaces = self
            .child(&p, Rule::ersatter)
            .and_then(|e| self.child(&e, Rule::ident))
            .map(|i| self.ident(&i));
        let term_code = match self.child(&p, Rule::termkod) {
            Some(t) => Some(self.string_child(&t)?),
            None => None,
        };
        Ok(MarkerDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            from: date_of(Rule::fran_attr),
            to: date_of(Rule::till_attr),
            replaces,
            term_code,
            unregistered: self.child(&p, Rule::oregistrerad).is_some(),
            explanation: self.explanation(&p),
        })
    }

    fn faktum(&self, p: Pair<'_, Rule>) -> R<FactDecl> {
        let ty_pair = self.need(&p, Rule::fact_type)?;
        let ty = if self.child(&ty_pair, Rule::kw_ja_nej).is_some() {
            FactTypeAst::YesNo
        } else if self.child(&ty_pair, Rule::kw_tal).is_some() {
            FactTypeAst::Number
        } else {
            FactTypeAst::Choice(self.set(self.need(&ty_pair, Rule::set)?)?)
        };
        let question = match self.child(&p, Rule::fraga_text) {
            Some(q) => Some(self.string_child(&q)?),
            None => None,
        };
        Ok(FactDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            about_person: self.child(&p, Rule::om_person).is_some(),
            ty,
            question,
            from_crime: self.child(&p, Rule::ur_straffskala).is_some(),
            explanation: self.explanation(&p),
            span: self.span(&p),
        })
    }

    fn brott(&self, p: Pair<'_, Rule>) -> R<CrimeDecl> {
        let citation = match self.child(&p, Rule::brott_lagrum) {
            Some(c) => Some(self.string_child(&c)?),
            None => None,
        };
        let scale = match self.child(&p, Rule::straffskala) {
            Some(s) => {
                let mut n = s.clone().into_inner().filter(|x| x.as_rule() == Rule::number);
                match (n.next(), n.next()) {
                    (Some(lo), Some(hi)) => Some((self.number(&lo)?, self.number(&hi)?)),
                    _ => None,
                }
            }
            None => None,
        };
        Ok(CrimeDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            citation,
            scale,
            explanation: self.explanation(&p),
            span: self.span(&p),
        })
    }

    fn fraga(&self, p: Pair<'_, Rule>) -> R<QuestionDecl> {
        Ok(QuestionDecl {
            path: self.path(&self.need(&p, Rule::path)?),
            text: self.string_child(&p)?,
        })
    }

    fn provning(&self, p: Pair<'_, Rule>) -> R<BalancingDecl> {
        let presumption = match self.child(&p, Rule::presumtion) {
            Some(pr) => {
                let dir = self.need(&pr, Rule::riktning)?;
                let d = if self.child(&dir, Rule::kw_mot).is_some() {
                    Direction::AgainstDisclosure
                } else {
                    Direction::ForDisclosure
                };
                Some((d, self.span(&pr)))
            }
            None => None,
        };
        Ok(BalancingDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            presumption,
            explanation: self.explanation(&p),
        })
    }

    fn riskfaktor(&self, p: Pair<'_, Rule>) -> R<RiskFactorDecl> {
        let when = match self.child(&p, Rule::nar) {
            Some(n) => Some(self.expr(self.need(&n, Rule::expr)?)?),
            None => None,
        };
        Ok(RiskFactorDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            label: self.string_child(&p)?,
            when,
            explanation: self.explanation(&p),
        })
    }

    fn foljd(&self, p: Pair<'_, Rule>) -> R<ConsequenceDecl> {
        let kind_pair = self.need(&p, Rule::foljd_kind)?;
        let kind = if self.child(&kind_pair, Rule::kw_upplysning).is_some() {
            ConsequenceKind::Notice
        } else {
            ConsequenceKind::Obligation
        };
        let basis = match self.child(&p, Rule::enligt) {
            Some(e) => Some(self.reference(self.need(&e, Rule::reference)?)?),
            None => None,
        };
        let when = match self.child(&p, Rule::nar) {
            Some(n) => Some(self.expr(self.need(&n, Rule::expr)?)?),
            None => None,
        };
        Ok(ConsequenceDecl {
            kind,
            id: self.ident(&self.need(&p, Rule::ident)?),
            text: self.string_child(&p)?,
            basis,
            when,
            explanation: self.explanation(&p),
        })
    }

    fn bestammelse(&self, p: Pair<'_, Rule>) -> R<ProvisionDecl> {
        let kind_pair = self.need(&p, Rule::bestammelse_kind)?;
        let kind = match kind_pair.clone().into_inner().next().map(|k| k.as_rule()) {
            Some(Rule::kw_sekretess) => ProvisionKindAst::Secrecy,
            Some(Rule::kw_sekretessbrytande) => ProvisionKindAst::Permission,
            Some(Rule::kw_uppgiftsskyldighet) => ProvisionKindAst::Duty,
            Some(Rule::kw_forbud) => ProvisionKindAst::Bar,
            Some(Rule::kw_dataskydd) => ProvisionKindAst::DataProtection,
            Some(Rule::kw_bestammelse) => ProvisionKindAst::Plain,
            _ => return Err(self.shape(&kind_pair, "bestämmelsens slag")),
        };
        let heading = match self.child(&p, Rule::rubrik) {
            Some(r) => Some(self.string_child(&r)?),
            None => None,
        };
        let link = match self.child(&p, Rule::lank) {
            Some(r) => Some(self.string_child(&r)?),
            None => None,
        };
        let mut versions = Vec::new();
        for v in p.clone().into_inner().filter(|c| c.as_rule() == Rule::version_block) {
            versions.push(self.version(v)?);
        }
        Ok(ProvisionDecl {
            kind,
            kind_span: self.span(&kind_pair),
            id: self.ident(&self.need(&p, Rule::ident)?),
            citation: self.citation(&self.need(&p, Rule::citation)?)?,
            heading,
            link,
            explanation: self.explanation(&p),
            versions,
            span: self.span(&p),
        })
    }

    fn version(&self, p: Pair<'_, Rule>) -> R<VersionBlock> {
        let sfs = self.child(&p, Rule::string).map(|s| self.text(&s));
        let mut dates = p
            .clone()
            .into_inner()
            .filter(|c| c.as_rule() == Rule::date)
            .map(|d| self.date(&d));
        let from = dates.next().ok_or_else(|| self.shape(&p, "en version"))?;
        let to = dates.next();
        let mut clauses = Vec::new();
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::kw_version | Rule::kw_fran | Rule::kw_till | Rule::string | Rule::date => {}
                _ => clauses.push(self.clause(c)?),
            }
        }
        Ok(VersionBlock {
            sfs,
            from,
            to,
            clauses,
            span: self.span(&p),
        })
    }

    fn clause(&self, p: Pair<'_, Rule>) -> R<Clause> {
        let span = self.span(&p);
        let set_of = |rule: Rule| -> R<SetExpr> { self.set_or_ref(self.need(&p, rule)?) };
        let kind = match p.as_rule() {
            Rule::foljer => ClauseKind::Subsidiary(match self.child(&p, Rule::enligt) {
                Some(e) => Some(self.reference(self.need(&e, Rule::reference)?)?),
                None => None,
            }),
            Rule::skaderekvisit => {
                let t = self.need(&p, Rule::skadetyp)?;
                let test = match t.clone().into_inner().next().map(|k| k.as_rule()) {
                    Some(Rule::kw_rakt) => DamageTest::Straight,
                    Some(Rule::kw_omvant) => DamageTest::Reverse,
                    Some(Rule::kw_absolut) => DamageTest::Absolute,
                    _ => return Err(self.shape(&t, "skaderekvisitet")),
                };
                ClauseKind::Damage(test, self.child(&p, Rule::string).map(|s| self.text(&s)))
            }
            Rule::skyddar => ClauseKind::Protects(set_of(Rule::set_or_ref)?),
            Rule::galler_hos => ClauseKind::AppliesAt(set_of(Rule::set_or_ref)?),
            Rule::galler_i => ClauseKind::AppliesIn(set_of(Rule::set_or_ref)?),
            Rule::skydd_for => ClauseKind::Interest(self.interests(&p)?),
            Rule::samtycke_haver_inte => ClauseKind::ConsentExcluded,
            Rule::kontrollerad => ClauseKind::Checked(self.string_child(&p)?, self.date(&self.need(&p, Rule::date)?)),
            Rule::tidsgrans => ClauseKind::TimeLimit(self.number(&self.need(&p, Rule::number)?)?),
            Rule::lamnas_av => ClauseKind::Givers(set_of(Rule::set_or_ref)?),
            Rule::lamnas_till => ClauseKind::Receivers(set_of(Rule::set_or_ref)?),
            Rule::satt => {
                let mut modes = Vec::new();
                for w in p.clone().into_inner().filter(|c| c.as_rule() == Rule::satt_ord) {
                    if self.child(&w, Rule::kw_begaran).is_some() {
                        modes.push(ModeWord::OnRequest);
                    } else {
                        modes.push(ModeWord::OwnInitiative);
                    }
                }
                ClauseKind::Modes(modes)
            }
            Rule::syften => ClauseKind::Purposes(set_of(Rule::set_or_ref)?),
            Rule::avser => ClauseKind::Covers(set_of(Rule::set_or_ref)?),
            Rule::bryter_genom => ClauseKind::BreaksThrough(self.reference(self.need(&p, Rule::reference)?)?),
            Rule::bryter => ClauseKind::Breaks(self.set_or_ref(self.need(&p, Rule::set_or_ref)?)?),
            Rule::undantar => {
                let by = match self.child(&p, Rule::enligt) {
                    Some(e) => Some(self.reference(self.need(&e, Rule::reference)?)?),
                    None => None,
                };
                ClauseKind::Excludes(self.set_or_ref(self.need(&p, Rule::set_or_ref)?)?, by)
            }
            Rule::provning_ref => ClauseKind::Balancing(self.ident(&self.need(&p, Rule::ident)?)),
            Rule::nar => ClauseKind::When(self.expr(self.need(&p, Rule::expr)?)?),
            Rule::bedomning => ClauseKind::Judgement(self.string_child(&p)?),
            Rule::osakert => {
                let when = match self.child(&p, Rule::nar) {
                    Some(n) => Some(self.expr(self.need(&n, Rule::expr)?)?),
                    None => None,
                };
                ClauseKind::Uncertain(self.string_child(&p)?, when)
            }
            Rule::medfor => ClauseKind::Entails(self.set(self.need(&p, Rule::set)?)?),
            Rule::gar_fore => ClauseKind::Precedes(match self.child(&p, Rule::set) {
                Some(s) => Some(self.set(s)?),
                None => None,
            }),
            Rule::tillatet => ClauseKind::PermittedWhen(self.expr(self.need(&p, Rule::expr)?)?),
            Rule::annars => ClauseKind::Otherwise(self.string_child(&p)?),
            Rule::forklaring => ClauseKind::Explanation(self.string_child(&p)?),
            _ => return Err(self.shape(&p, "en klausul")),
        };
        Ok(Clause { kind, span })
    }

    fn forhand(&self, p: Pair<'_, Rule>) -> R<PreAssessmentDecl> {
        let mut d = PreAssessmentDecl {
            id: self.ident(&self.need(&p, Rule::ident)?),
            title: self.string_child(&p)?,
            provision: None,
            senders: None,
            recipients: None,
            categories: None,
            purposes: None,
            dnr: None,
            valid: None,
            result: None,
            explanation: self.explanation(&p),
            span: self.span(&p),
        };
        for c in p.clone().into_inner() {
            match c.as_rule() {
                Rule::fb_bestammelse => d.provision = Some(self.reference(self.need(&c, Rule::reference)?)?),
                Rule::fb_avsandare => d.senders = Some(self.set_or_ref(self.need(&c, Rule::set_or_ref)?)?),
                Rule::fb_mottagare => d.recipients = Some(self.set_or_ref(self.need(&c, Rule::set_or_ref)?)?),
                Rule::avser => d.categories = Some(self.set_or_ref(self.need(&c, Rule::set_or_ref)?)?),
                Rule::syften => d.purposes = Some(self.set_or_ref(self.need(&c, Rule::set_or_ref)?)?),
                Rule::dnr => d.dnr = Some(self.string_child(&c)?),
                Rule::giltig => {
                    let mut dates = c
                        .clone()
                        .into_inner()
                        .filter(|x| x.as_rule() == Rule::date)
                        .map(|x| self.date(&x));
                    let from = dates.next().ok_or_else(|| self.shape(&c, "giltighetstiden"))?;
                    d.valid = Some((from, dates.next()));
                }
                Rule::resultat => {
                    let r = if self.child(&c, Rule::far_inte).is_some() {
                        PreResult::MayNot
                    } else {
                        PreResult::May
                    };
                    d.result = Some((r, self.span(&c)));
                }
                _ => {}
            }
        }
        Ok(d)
    }

    fn set(&self, p: Pair<'_, Rule>) -> R<SetExpr> {
        let span = self.span(&p);
        let mut members = Vec::new();
        for m in p.into_inner().filter(|c| c.as_rule() == Rule::member) {
            let inner = m
                .clone()
                .into_inner()
                .next()
                .ok_or_else(|| self.shape(&m, "en medlem"))?;
            members.push(self.reference(inner)?);
        }
        Ok(SetExpr {
            members,
            except: Vec::new(),
            span,
        })
    }

    fn set_or_ref(&self, p: Pair<'_, Rule>) -> R<SetExpr> {
        let span = self.span(&p);
        let mut parts = p
            .clone()
            .into_inner()
            .filter(|c| matches!(c.as_rule(), Rule::set | Rule::member));
        let first = parts.next().ok_or_else(|| self.shape(&p, "en mängd"))?;
        let mut set = self.set_part(first)?;
        if let Some(except) = parts.next() {
            set.except = self.set_part(except)?.members;
        }
        set.span = span;
        Ok(set)
    }

    fn set_part(&self, p: Pair<'_, Rule>) -> R<SetExpr> {
        let span = self.span(&p);
        match p.as_rule() {
            Rule::set => self.set(p),
            Rule::member => {
                let r = p
                    .clone()
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.shape(&p, "en medlem"))?;
                Ok(SetExpr {
                    members: vec![self.reference(r)?],
                    except: Vec::new(),
                    span,
                })
            }
            _ => Err(self.shape(&p, "en mängd")),
        }
    }

    fn reference(&self, p: Pair<'_, Rule>) -> R<Reference> {
        let p = if p.as_rule() == Rule::reference {
            p.clone()
                .into_inner()
                .next()
                .ok_or_else(|| self.shape(&p, "en hänvisning"))?
        } else {
            p
        };
        match p.as_rule() {
            Rule::citation => Ok(Reference::Citation(self.citation(&p)?)),
            Rule::path => Ok(Reference::Name(self.path(&p))),
            Rule::urval => Ok(Reference::Selector(self.interests(&p)?, self.span(&p))),
            _ => Err(self.shape(&p, "en hänvisning")),
        }
    }

    fn path(&self, p: &Pair<'_, Rule>) -> Path {
        let segments = p
            .clone()
            .into_inner()
            .filter(|c| matches!(c.as_rule(), Rule::path_head | Rule::name))
            .map(|c| self.ident(&c))
            .collect();
        Path {
            segments,
            span: self.span(p),
        }
    }

    fn number(&self, p: &Pair<'_, Rule>) -> R<u32> {
        p.as_str().trim().parse::<u32>().map_err(|_| {
            Box::new(Diagnostic::error(
                "ogiltigt-tal",
                self.span(p),
                format!("`{}` är inte ett giltigt nummer", p.as_str()),
            ))
        })
    }

    fn citation(&self, p: &Pair<'_, Rule>) -> R<Citation> {
        let law = self.ident(&self.need(p, Rule::ident)?);
        let mut c = Citation {
            law,
            chapters: None,
            sections: Vec::new(),
            stycke: None,
            punkt: None,
            span: self.span(p),
        };
        for part in p.clone().into_inner() {
            match part.as_rule() {
                Rule::kap_part => {
                    let range = self.need(&part, Rule::num_range)?;
                    let nums: Vec<u32> = range
                        .clone()
                        .into_inner()
                        .filter(|x| x.as_rule() == Rule::number)
                        .map(|x| self.number(&x))
                        .collect::<R<_>>()?;
                    let first = *nums.first().ok_or_else(|| self.shape(&range, "kapitel"))?;
                    let last = nums.get(1).copied().unwrap_or(first);
                    c.chapters = Some((first, last));
                }
                Rule::par_part => {
                    let list = self.need(&part, Rule::par_list)?;
                    for r in list.into_inner().filter(|x| x.as_rule() == Rule::par_range) {
                        let nums: Vec<SectionNo> = r
                            .clone()
                            .into_inner()
                            .filter(|x| x.as_rule() == Rule::par_num)
                            .map(|x| self.section_no(&x))
                            .collect::<R<_>>()?;
                        let first = *nums.first().ok_or_else(|| self.shape(&r, "paragraf"))?;
                        let last = nums.get(1).copied().unwrap_or(first);
                        c.sections.push((first, last));
                    }
                }
                Rule::stycke_part => {
                    c.stycke = Some(self.number(&self.need(&part, Rule::number)?)?);
                }
                Rule::punkt_part => {
                    c.punkt = Some(self.number(&self.need(&part, Rule::number)?)?);
                }
                _ => {}
            }
        }
        Ok(c)
    }

    fn section_no(&self, p: &Pair<'_, Rule>) -> R<SectionNo> {
        let number = self.number(&self.need(p, Rule::number)?)?;
        let letter = self.child(p, Rule::par_letter).and_then(|l| l.as_str().chars().next());
        Ok(SectionNo { number, letter })
    }

    fn expr(&self, p: Pair<'_, Rule>) -> R<Expr> {
        let span = self.span(&p);
        match p.as_rule() {
            // Wrappers of one inner condition.
            Rule::expr | Rule::not_expr => {
                let inner = p
                    .clone()
                    .into_inner()
                    .next()
                    .ok_or_else(|| self.shape(&p, "ett villkor"))?;
                self.expr(inner)
            }
            Rule::or_expr | Rule::and_expr => {
                let parts: Vec<Expr> = p
                    .clone()
                    .into_inner()
                    .filter(|c| !matches!(c.as_rule(), Rule::kw_och | Rule::kw_eller))
                    .map(|c| self.expr(c))
                    .collect::<R<_>>()?;
                if parts.len() == 1 {
                    return parts.into_iter().next().ok_or_else(|| self.shape(&p, "ett villkor"));
                }
                Ok(if p.as_rule() == Rule::or_expr {
                    Expr::Or(parts, span)
                } else {
                    Expr::And(parts, span)
                })
            }
            Rule::negation => {
                let inner = self.need(&p, Rule::not_expr)?;
                Ok(Expr::Not(Box::new(self.expr(inner)?), span))
            }
            Rule::comparison => {
                let path = self.path(&self.need(&p, Rule::path)?);
                let op = self.cmp_op(&self.need(&p, Rule::cmp_op)?)?;
                let value = self.value(&self.need(&p, Rule::value)?)?;
                Ok(Expr::Compare(path, op, value, span))
            }
            Rule::membership => {
                let path = self.path(&self.need(&p, Rule::path)?);
                let set = self.set_or_ref(self.need(&p, Rule::set_or_ref)?)?;
                Ok(Expr::In(path, set, span))
            }
            Rule::presence => {
                let path = self.path(&self.need(&p, Rule::path)?);
                Ok(Expr::Present(path, span))
            }
            Rule::truth => Ok(Expr::Truth(self.path(&self.need(&p, Rule::path)?))),
            _ => Err(self.shape(&p, "ett villkor")),
        }
    }

    /// `=`, `≠`, `<`, `≤`, `>`, `≥` (and their ASCII spellings).
    fn cmp_op(&self, p: &Pair<'_, Rule>) -> R<CmpOp> {
        Ok(match p.as_str() {
            "=" => CmpOp::Eq,
            "!=" | "≠" => CmpOp::Ne,
            "<" => CmpOp::Lt,
            "<=" | "≤" => CmpOp::Le,
            ">" => CmpOp::Gt,
            ">=" | "≥" => CmpOp::Ge,
            _ => return Err(self.shape(p, "en jämförelse")),
        })
    }

    /// What a path is compared with: a number, `ja`, `nej` or a name.
    fn value(&self, v: &Pair<'_, Rule>) -> R<ValueLit> {
        let vinner = v
            .clone()
            .into_inner()
            .next()
            .ok_or_else(|| self.shape(v, "ett värde"))?;
        let vspan = self.span(&vinner);
        Ok(match vinner.as_rule() {
            Rule::number => ValueLit::Number(
                vinner.as_str().parse::<i64>().map_err(|_| {
                    Box::new(Diagnostic::error(
                        "ogiltigt-tal",
                        vspan,
                        format!("`{}` är inte ett tal", vinner.as_str()),
                    ))
                })?,
                vspan,
            ),
            Rule::kw_ja => ValueLit::Bool(true, vspan),
            Rule::kw_nej => ValueLit::Bool(false, vspan),
            Rule::ident => ValueLit::Name(self.ident(&vinner)),
            _ => return Err(self.shape(&vinner, "ett värde")),
        })
    }
}

/// The whole file as one pest pair (rule `file`), for tools that need the concrete syntax
/// (the formatter). `None` when the file does not parse; [`parse_file`] says why.
pub(crate) fn syntax_tree(text: &str) -> Option<Pair<'_, Rule>> {
    if too_deep(text).is_some() {
        return None;
    }
    Grammar::parse(Rule::file, text).ok()?.next()
}

#[cfg(test)]
mod tests;
