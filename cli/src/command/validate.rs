//! `legal validate`: check a ruleset and print every problem; with `--kontroll`, report
//! which provision versions were never checked against the statute text or were checked
//! against an older text.

use crate::rulesets::{self, RulesetArgs};
use lagrum_dsl::Model;
use lagrum_dsl::review::{self, Finding, Item};
use lagrum_engine::error::DiagnosticDoc;
use std::path::PathBuf;
use std::process::ExitCode;

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Katalog med regelfiler; utan den kontrolleras de inbyggda.
    #[arg(value_name = "KATALOG")]
    pub dir: Option<PathBuf>,
    /// Ytterligare regelfil att kontrollera tillsammans med regelverket. Kan upprepas.
    #[arg(long = "with", value_name = "FIL")]
    pub with: Vec<PathBuf>,
    /// Utdataformat: text med markeringar, eller JSON (för editorer och CI).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
    /// Lista versioner som aldrig kontrollerats mot lagtexten (`kontrollerad mot`) eller
    /// kontrollerats mot en äldre text än den de återger. En rapport: avslutas med 0.
    #[arg(long)]
    pub kontroll: bool,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// `legal validate --format json`: the outcome and every diagnostic, located.
#[derive(serde::Serialize)]
struct Report {
    ok: bool,
    files: usize,
    #[serde(skip_serializing_if = "Option::is_none")]
    ruleset: Option<lagrum_engine::render::json::RulesetDoc>,
    diagnostics: Vec<DiagnosticDoc>,
    /// With `--kontroll`: the provenance review.
    #[serde(skip_serializing_if = "Option::is_none")]
    kontroll: Option<ReviewDoc>,
}

#[derive(serde::Serialize)]
struct ReviewDoc {
    /// Every version of every provision.
    versions: usize,
    /// Versions with `kontrollerad mot`.
    checked: usize,
    never_checked: Vec<ReviewItemDoc>,
    outdated: Vec<ReviewItemDoc>,
}

#[derive(serde::Serialize)]
struct ReviewItemDoc {
    provision: String,
    citation: String,
    /// The version's own SFS (`version "SFS …"`), if written.
    #[serde(skip_serializing_if = "Option::is_none")]
    sfs: Option<String>,
    from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    to: Option<String>,
    /// What the version was checked against, and when.
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_against: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    checked_on: Option<String>,
    /// `older_than_version` or `older_than_newest`, for an outdated version.
    #[serde(skip_serializing_if = "Option::is_none")]
    reason: Option<&'static str>,
    /// The newer text it should have been checked against.
    #[serde(skip_serializing_if = "Option::is_none")]
    newer: Option<String>,
    file: String,
    line: usize,
}

fn item_doc(model: &Model, item: &Item) -> ReviewItemDoc {
    let p = model.provision(item.provision);
    let v = model.version(item.version);
    let (file, line) = match v {
        Some(v) => (
            model
                .sources
                .get(v.span.file)
                .map(|f| f.name.clone())
                .unwrap_or_default(),
            model.sources.line_col(v.span.file, v.span.start).line,
        ),
        None => (String::new(), 0),
    };
    let (reason, newer) = match item.finding {
        Finding::NeverChecked => (None, None),
        Finding::OlderThanVersion { version, .. } => (Some("older_than_version"), Some(version.to_string())),
        Finding::OlderThanNewest { newest, .. } => (Some("older_than_newest"), Some(newest.to_string())),
    };
    ReviewItemDoc {
        provision: p.map(|p| p.id.clone()).unwrap_or_default(),
        citation: p.map(|p| p.citation.clone()).unwrap_or_default(),
        sfs: v.and_then(|v| v.sfs.clone()),
        from: v.map(|v| v.from.to_string()).unwrap_or_default(),
        to: v.and_then(|v| v.to).map(|t| t.to_string()),
        checked_against: v.and_then(|v| v.checked.as_ref()).map(|c| c.sfs.clone()),
        checked_on: v.and_then(|v| v.checked.as_ref()).map(|c| c.date.to_string()),
        reason,
        newer,
        file,
        line,
    }
}

fn review_doc(model: &Model) -> ReviewDoc {
    let r = review::review(model);
    ReviewDoc {
        versions: r.versions,
        checked: r.checked,
        never_checked: r.never_checked().map(|i| item_doc(model, i)).collect(),
        outdated: r.outdated().map(|i| item_doc(model, i)).collect(),
    }
}

/// The review for people: the never-checked versions, the outdated ones, and a summary.
fn review_text(doc: &ReviewDoc) -> String {
    let line = |i: &ReviewItemDoc| {
        let mut s = format!("  {} ({}), version", i.citation, i.provision);
        if let Some(sfs) = &i.sfs {
            s.push_str(&format!(" {sfs}"));
        }
        s.push_str(&format!(" från {}", i.from));
        if let Some(to) = &i.to {
            s.push_str(&format!(" till {to}"));
        }
        if let (Some(against), Some(on), Some(newer)) = (&i.checked_against, &i.checked_on, &i.newer) {
            let why = match i.reason {
                Some("older_than_version") => "versionens egen lydelse",
                _ => "den nyaste SFS som bestämmelsen hänvisar till",
            };
            s.push_str(&format!(": kontrollerad mot {against} {on}, men {why} är {newer}"));
        }
        s.push_str(&format!("  [{}:{}]\n", i.file, i.line));
        s
    };
    let mut out = String::new();
    if !doc.never_checked.is_empty() {
        out.push_str(&format!("Aldrig kontrollerade ({}):\n", doc.never_checked.len()));
        doc.never_checked.iter().for_each(|i| out.push_str(&line(i)));
        out.push('\n');
    }
    if !doc.outdated.is_empty() {
        out.push_str(&format!("Kontrollerade mot en äldre text ({}):\n", doc.outdated.len()));
        doc.outdated.iter().for_each(|i| out.push_str(&line(i)));
        out.push('\n');
    }
    out.push_str(&format!(
        "Kontroll mot lagtexten: {} versioner, {} kontrollerade, {} aldrig kontrollerade, {} kontrollerade mot en äldre text.\n",
        doc.versions,
        doc.checked,
        doc.never_checked.len(),
        doc.outdated.len()
    ));
    out
}

pub fn run(args: &Args) -> ExitCode {
    let ra = RulesetArgs {
        rulesets: args.dir.clone(),
        with: args.with.clone(),
    };
    let sources = match rulesets::load(&ra) {
        Ok(s) => s,
        Err(e) => {
            eprintln!("fel: {e}");
            return ExitCode::from(1);
        }
    };
    let result = lagrum_dsl::check(sources.clone());
    if args.format == Format::Json {
        let report = match &result {
            Ok((model, warnings)) => Report {
                ok: true,
                files: sources.len(),
                ruleset: Some(lagrum_engine::render::json::RulesetDoc::from(&model.info)),
                diagnostics: DiagnosticDoc::list(warnings, &sources),
                kontroll: args.kontroll.then(|| review_doc(model)),
            },
            Err(diags) => Report {
                ok: false,
                files: sources.len(),
                ruleset: None,
                diagnostics: DiagnosticDoc::list(diags, &sources),
                kontroll: None,
            },
        };
        match serde_json::to_string_pretty(&report) {
            Ok(s) => crate::out::println(&s),
            Err(e) => {
                eprintln!("fel: {e}");
                return ExitCode::from(1);
            }
        }
        return if report.ok {
            ExitCode::SUCCESS
        } else {
            ExitCode::from(1)
        };
    }
    match result {
        Ok((model, warnings)) if args.kontroll => {
            crate::out::print(&review_text(&review_doc(&model)));
            if !warnings.is_empty() {
                crate::out::println(&format!(
                    "Regelverket är giltigt men har {} varningar; kör `legal validate` utan `--kontroll` för att se dem.",
                    warnings.items.len()
                ));
            }
            ExitCode::SUCCESS
        }
        Ok((model, warnings)) => {
            crate::out::print(&warnings.render(&sources));
            crate::out::println(&format!(
                "Regelverket är giltigt: {} filer, {} bestämmelser, {} versioner ({} {}).",
                sources.len(),
                model.provisions.len(),
                model.versions.len(),
                model.info.version,
                model.info.hash
            ));
            ExitCode::SUCCESS
        }
        Err(diags) => {
            crate::out::print(&diags.render(&sources));
            ExitCode::from(1)
        }
    }
}
