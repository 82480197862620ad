//! `legal log verify`: check a decision log's hash chain and say OK, with the last hash to
//! anchor, or the first record that was removed, moved or edited.

use std::io::BufRead;
use std::path::PathBuf;
use std::process::ExitCode;

pub const LOG_HELP: &str = "Slutstatus:
  0  kedjan är obruten (och ankaret, om det angavs, finns i loggen)
  1  fel: loggen kan inte läsas
  2  kedjan är bruten: en post har ändrats, tagits bort eller flyttats

Varje post i beslutsloggen bär hashen av posten före (prev) och sin egen (hash, SHA-256).
Skriv den sista hashen i diariet varje dag; kontrollera senare med --ankare att posten
med den hashen finns kvar, oförändrad, med kedjan hel fram till den.";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(subcommand)]
    pub command: LogCommand,
}

#[derive(clap::Subcommand, Debug)]
pub enum LogCommand {
    /// Kontrollera beslutsloggens hashkedja.
    #[command(after_help = LOG_HELP)]
    Verify(VerifyArgs),
}

#[derive(clap::Args, Debug)]
pub struct VerifyArgs {
    /// Beslutsloggen (JSON-rader), eller `-` för standard in.
    #[arg(value_name = "FIL")]
    pub file: PathBuf,
    /// En hash som skrivits ned tidigare (t.ex. i diariet): posten med den hashen måste
    /// finnas i loggen med kedjan obruten fram till den.
    #[arg(long = "ankare", alias = "anchor", value_name = "HASH")]
    pub anchor: Option<String>,
    /// Hashen som loggens första post ska peka på, när loggen fortsätter en tidigare fil
    /// (den förra filens sista hash). Utan den ska första posten peka på nollhashen.
    #[arg(long = "från", alias = "from", value_name = "HASH")]
    pub from: Option<String>,
}

pub fn run(args: &Args) -> ExitCode {
    match &args.command {
        LogCommand::Verify(v) => verify(v),
    }
}

fn verify(args: &VerifyArgs) -> ExitCode {
    let input: Box<dyn BufRead> = if args.file.as_os_str() == "-" {
        Box::new(std::io::stdin().lock())
    } else {
        match std::fs::File::open(&args.file) {
            Ok(f) => Box::new(std::io::BufReader::with_capacity(1 << 16, f)),
            Err(e) => {
                eprintln!("fel: kan inte läsa {}: {e}", args.file.display());
                return ExitCode::from(1);
            }
        }
    };
    match lagrum_serve::chain::verify(input, args.from.as_deref(), args.anchor.as_deref()) {
        Ok(report) => {
            crate::out::print(&report.render());
            if report.ok() {
                ExitCode::SUCCESS
            } else {
                ExitCode::from(2)
            }
        }
        Err(e) => {
            eprintln!("fel: kan inte läsa {}: {e}", args.file.display());
            ExitCode::from(1)
        }
    }
}
