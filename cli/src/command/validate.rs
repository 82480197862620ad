//! `legal validate`: check a ruleset and print every problem.

use crate::rulesets::{self, RulesetArgs};
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
            },
            Err(diags) => Report {
                ok: false,
                files: sources.len(),
                ruleset: None,
                diagnostics: DiagnosticDoc::list(diags, &sources),
            },
        };
        match serde_json::to_string_pretty(&report) {
            Ok(s) => println!("{s}"),
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
        Ok((model, warnings)) => {
            print!("{}", warnings.render(&sources));
            println!(
                "Regelverket är giltigt: {} filer, {} bestämmelser, {} versioner ({} {}).",
                sources.len(),
                model.provisions.len(),
                model.versions.len(),
                model.info.version,
                model.info.hash
            );
            ExitCode::SUCCESS
        }
        Err(diags) => {
            print!("{}", diags.render(&sources));
            ExitCode::from(1)
        }
    }
}
