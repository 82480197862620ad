//! `legal`: the command line of Lagrum. Parses arguments and dispatches; the work is in
//! the library crates and in `command/`.

mod command;
mod coverage;
mod out;
mod rulesets;
mod space;

use clap::{Parser, Subcommand};
use std::process::ExitCode;

/// mimalloc rather than the system allocator: a decision document is many small
/// allocations, and glibc's malloc and free were a quarter of the time from JSON request
/// in to JSON decision out (docs/performance.md).
#[global_allocator]
static ALLOCATOR: mimalloc::MiMalloc = mimalloc::MiMalloc;

/// Lagrum – beslutsstöd för informationsdelning mellan myndigheter.
///
/// Avgör om en uppgift får, ska eller inte får lämnas från en myndighet till en annan,
/// eller om saken kräver prövning, med hänvisning till bestämmelserna och bevisningen.
#[derive(Parser)]
#[command(name = "legal", version, about, long_about = None)]
struct Cli {
    #[command(subcommand)]
    command: Command,
}

#[derive(Subcommand)]
enum Command {
    /// Avgör en begäran (lagrum.request.v2) och skriv ut beslutet.
    #[command(after_help = command::check::EXIT_HELP)]
    Check(command::check::Args),
    /// Kontrollera regelverket och skriv ut alla fel och varningar.
    Validate(command::validate::Args),
    /// Formatera regelfiler (*.lagrum) i den gemensamma stilen; kommentarer behålls.
    #[command(after_help = command::fmt::FMT_HELP)]
    Fmt(command::fmt::Args),
    /// Kör scenariofiler och jämför besluten med de väntade; med --coverage också vad de täcker.
    #[command(after_help = command::test::TEST_HELP)]
    Test(command::test::Args),
    /// Analysera hela regelverket: pröva alla slags begäranden (eller ett jämnt urval) och
    /// leta konflikter, död lag, luckor och svar på frågor.
    #[command(after_help = command::analyze::ANALYZE_HELP)]
    Analyze(command::analyze::Args),
    /// Jämför utfallen på två datum eller med två regelverk: vilka flöden ändras, och av vad.
    #[command(after_help = command::diff::DIFF_HELP)]
    Diff(command::diff::Args),
    /// Skriv ut JSON-schemat för begäran eller beslut.
    Schema(command::schema::Args),
    /// Läs en Navet-fil (aviseringsfil) och skriv ut personerna som JSON-rader.
    #[command(after_help = command::navet::EXIT_HELP)]
    Navet(command::navet::Args),
    /// Starta HTTP-tjänsten (127.0.0.1:8080 som standard).
    #[command(after_help = command::serve::SERVE_HELP)]
    Serve(command::serve::Args),
    /// Pröva beslutsloggens beslut på nytt mot ett regelverk och visa dem som skulle ändras.
    #[command(after_help = command::replay::REPLAY_HELP)]
    Replay(command::replay::Args),
    /// Beslutsloggen: kontrollera dess hashkedja (`legal log verify FIL`).
    Log(command::log::Args),
}

fn main() -> ExitCode {
    // clap exits with 2 on a usage error, and 2 means "deny" from `legal check`: a script
    // must never read a mistyped option as a decision, so usage errors exit with 1.
    let cli = match Cli::try_parse() {
        Ok(cli) => cli,
        Err(e) => {
            let _ = e.print();
            return if e.use_stderr() {
                ExitCode::from(1)
            } else {
                ExitCode::SUCCESS
            };
        }
    };
    match cli.command {
        Command::Check(a) => command::check::run(&a),
        Command::Validate(a) => command::validate::run(&a),
        Command::Fmt(a) => command::fmt::run(&a),
        Command::Test(a) => command::test::run(&a),
        Command::Analyze(a) => command::analyze::run(&a),
        Command::Diff(a) => command::diff::run(&a),
        Command::Schema(a) => command::schema::run(&a),
        Command::Navet(a) => command::navet::run(&a),
        Command::Serve(a) => command::serve::run(&a),
        Command::Replay(a) => command::replay::run(&a),
        Command::Log(a) => command::log::run(&a),
    }
}
