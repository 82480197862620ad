//! `legal replay`: re-evaluate a decision log against a ruleset and report every decision
//! whose outcome or basis would differ.

use crate::rulesets::{self, RulesetArgs};
use std::io::{BufRead, Write};
use std::path::PathBuf;
use std::process::ExitCode;

pub const REPLAY_HELP: &str = "Slutstatus:
  0  inget beslut skulle bli annorlunda
  1  fel: loggen eller regelverket kan inte läsas, eller loggens hashkedja är bruten
  2  minst ett beslut skulle få ett annat utfall eller en annan grund";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Beslutsloggen (JSON-rader från `legal serve --log` eller `legal check --batch --log`), eller `-`.
    #[arg(value_name = "LOGG")]
    pub log: PathBuf,
    #[command(flatten)]
    pub rulesets: RulesetArgs,
    /// Pröva alla begäranden per detta datum (ÅÅÅÅ-MM-DD) i stället för begärans eget.
    #[arg(long, value_name = "DATUM")]
    pub as_of: Option<String>,
    /// Utdataformat: svensk text, eller JSON-rader (en per avvikande beslut).
    #[arg(long, value_enum, default_value_t = super::check::Format::Text)]
    pub format: super::check::Format,
}

pub fn run(args: &Args) -> ExitCode {
    match replay(args) {
        Ok(true) => ExitCode::from(2),
        Ok(false) => ExitCode::SUCCESS,
        Err(e) => {
            eprintln!("fel: {e}");
            ExitCode::from(1)
        }
    }
}

fn replay(args: &Args) -> Result<bool, String> {
    let engine = rulesets::engine(&args.rulesets)?;
    let mut input: Box<dyn BufRead> = if args.log.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        let f = std::fs::File::open(&args.log).map_err(|e| format!("kan inte läsa {}: {e}", args.log.display()))?;
        Box::new(std::io::BufReader::new(f))
    };
    let options = lagrum_serve::replay::Options {
        as_of: args.as_of.clone(),
    };
    let stdout = std::io::stdout();
    let mut out = std::io::BufWriter::new(stdout.lock());
    let json = args.format == super::check::Format::Json;
    let summary = lagrum_serve::replay::run(&engine, &mut input, &options, |d| {
        let text = if json {
            let mut s = serde_json::to_string(d).map_err(|e| e.to_string())?;
            s.push('\n');
            s
        } else {
            lagrum_serve::replay::render(d)
        };
        out.write_all(text.as_bytes())
            .map_err(|e| format!("kan inte skriva: {e}"))
    })?;
    out.flush().map_err(|e| format!("kan inte skriva: {e}"))?;
    eprint!("{}", summary.render());
    if summary.chain_broken.is_some() {
        return Err("beslutsloggen är inte obruten (se ovan); kontrollera den med `legal log verify`".into());
    }
    Ok(summary.differ > 0)
}
