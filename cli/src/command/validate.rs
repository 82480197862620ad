//! `legal validate`: check a ruleset and print every problem.

use crate::rulesets::{self, RulesetArgs};
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
    match lagrum_dsl::check(sources.clone()) {
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
