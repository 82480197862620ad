//! `legal test`: runs scenario files (the format of `tests/scenarios/`, described in the
//! `lagrum-tests` crate) against the rulesets, prints in Swedish how each failing decision
//! differs from what its scenario expects, and with `--coverage` what the scenarios
//! exercised of the rulesets (`crate::coverage`).

use crate::coverage::{self, Coverage};
use crate::rulesets::{self, RulesetArgs};
use lagrum_tests::Scenario;
use serde::Serialize;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const TEST_HELP: &str = "Slutstatus:
  0  alla scenarier gav det väntade beslutet (och täckningen nådde --min-coverage)
  1  fel: felaktiga argument, ogiltigt regelverk, en katalog eller fil som inte kan läsas,
     eller inga scenarier alls
  2  minst ett scenario gav inte det väntade beslutet (eller har en ogiltig begäran)
  3  alla scenarier gick igenom men täckningen är lägre än --min-coverage";

/// Where the scenarios are when no directory is named.
const DEFAULT_DIR: &str = "tests/scenarios";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Kataloger med scenariofiler (*.json, även i underkataloger) eller enskilda filer.
    /// Utan sökväg: tests/scenarios.
    #[arg(value_name = "KATALOG")]
    pub paths: Vec<PathBuf>,
    #[command(flatten)]
    pub rulesets: RulesetArgs,
    /// Visa också vad scenarierna täcker av regelverket: versioner, villkor, undantag och
    /// företräden.
    #[arg(long)]
    pub coverage: bool,
    /// Avsluta med 3 om täckningen (i procent) är lägre än detta. Innebär --coverage.
    #[arg(long, value_name = "PROCENT")]
    pub min_coverage: Option<f64>,
    /// Utdataformat: svensk text eller JSON (lagrum.test.v1).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
}

/// One scenario's result.
#[derive(Serialize)]
struct Outcome {
    file: String,
    title: String,
    passed: bool,
    #[serde(skip_serializing_if = "Vec::is_empty")]
    differences: Vec<String>,
}

#[derive(Serialize)]
struct Report {
    schema: &'static str,
    passed: usize,
    failed: usize,
    scenarios: Vec<Outcome>,
    #[serde(skip_serializing_if = "Option::is_none")]
    coverage: Option<coverage::Report>,
}

pub fn run(args: &Args) -> ExitCode {
    crate::out::finish(test(args))
}

fn test(args: &Args) -> Result<(String, u8), String> {
    let engine = rulesets::engine(&args.rulesets)?;
    let mut files = Vec::new();
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(DEFAULT_DIR)]
    } else {
        args.paths.clone()
    };
    for p in &paths {
        collect(p, &mut files)?;
    }
    if files.is_empty() {
        return Err(format!("inga scenariofiler (*.json) i {}", show(&paths)));
    }
    let mut cov = Coverage::new(engine.model());
    let scenarios: Vec<Outcome> = files.iter().map(|f| one(&engine, f, &mut cov)).collect();
    let failed = scenarios.iter().filter(|s| !s.passed).count();
    let coverage = (args.coverage || args.min_coverage.is_some()).then(|| cov.report());
    let below = match (&coverage, args.min_coverage) {
        (Some(c), Some(min)) => c.percent < min,
        _ => false,
    };
    let report = Report {
        schema: "lagrum.test.v1",
        passed: scenarios.len() - failed,
        failed,
        scenarios,
        coverage,
    };
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        Format::Text => text(&report, args.min_coverage),
    };
    let code = if failed > 0 {
        2
    } else if below {
        3
    } else {
        0
    };
    Ok((out, code))
}

fn show(paths: &[PathBuf]) -> String {
    paths
        .iter()
        .map(|p| p.display().to_string())
        .collect::<Vec<_>>()
        .join(", ")
}

/// The scenario files under `path` (or `path` itself), sorted.
fn collect(path: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    if path.is_file() {
        out.push(path.to_path_buf());
        return Ok(());
    }
    let entries = std::fs::read_dir(path).map_err(|e| format!("{}: {e}", path.display()))?;
    let mut here: Vec<PathBuf> = entries.filter_map(Result::ok).map(|e| e.path()).collect();
    here.sort();
    for p in here {
        if p.is_dir() {
            collect(&p, out)?;
        } else if p.extension().is_some_and(|e| e == "json") {
            out.push(p);
        }
    }
    Ok(())
}

fn one(engine: &lagrum_engine::Engine, file: &Path, cov: &mut Coverage<'_>) -> Outcome {
    let name = file.display().to_string();
    let fail = |title: String, why: String| Outcome {
        file: name.clone(),
        title,
        passed: false,
        differences: vec![why],
    };
    let text = match std::fs::read_to_string(file) {
        Ok(t) => t,
        Err(e) => return fail(String::new(), format!("filen kan inte läsas: {e}")),
    };
    let scenario: Scenario = match serde_json::from_str(&text) {
        Ok(s) => s,
        Err(e) => return fail(String::new(), format!("inte ett scenario: {e}")),
    };
    match lagrum_tests::run(engine, &scenario) {
        Ok(ran) => {
            cov.record(&ran.case, &ran.decision);
            Outcome {
                file: name,
                title: scenario.title,
                passed: ran.diffs.is_empty(),
                differences: ran.diffs,
            }
        }
        Err(e) => fail(scenario.title, e),
    }
}

fn text(r: &Report, min: Option<f64>) -> String {
    let mut out = String::new();
    for s in &r.scenarios {
        if s.passed {
            out.push_str(&format!("ok    {}\n", s.file));
        } else {
            out.push_str(&format!("FEL   {}\n      {}\n", s.file, s.title));
            for d in &s.differences {
                out.push_str(&format!("      - {d}\n"));
            }
        }
    }
    out.push_str(&format!(
        "\n{} scenarier: {} gick igenom, {} gav inte det väntade beslutet.\n",
        r.passed + r.failed,
        r.passed,
        r.failed
    ));
    if let Some(c) = &r.coverage {
        out.push('\n');
        out.push_str(&coverage::text(c));
        if let Some(min) = min.filter(|m| c.percent < *m) {
            out.push_str(&format!(
                "\nTäckningen {:.1} % är lägre än kravet {min:.1} %.\n",
                c.percent
            ));
        }
    }
    out
}
