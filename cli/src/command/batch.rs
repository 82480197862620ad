//! `legal check --batch`: options and the call into `lagrum_serve::batch`.

use crate::rulesets::{self, RulesetArgs};
use lagrum_serve::audit::{AuditLog, Target};
use std::io::BufRead;
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

#[derive(clap::Args, Debug, Clone)]
pub struct BatchArgs {
    /// BEGÄRAN är NDJSON: en begäran per rad. Utdata är en JSON-rad per rad (beslut eller
    /// fel), i samma ordning; sammanfattningen skrivs på standard fel.
    #[arg(long)]
    pub batch: bool,
    /// Med --batch: skriv varje beslut till beslutsloggen (JSON-rader) i denna fil.
    #[arg(long, value_name = "FIL", requires = "batch")]
    pub log: Option<PathBuf>,
    /// Med --batch: antal trådar som avgör (standard: en per kärna).
    #[arg(long, value_name = "N", default_value_t = 0, requires = "batch")]
    pub jobs: usize,
}

pub fn run(request: &Path, rulesets_args: &RulesetArgs, args: &BatchArgs) -> ExitCode {
    match batch(request, rulesets_args, args) {
        Ok(true) => ExitCode::SUCCESS,
        Ok(false) => ExitCode::from(1),
        Err(e) => {
            eprintln!("fel: {e}");
            ExitCode::from(1)
        }
    }
}

fn batch(request: &Path, rulesets_args: &RulesetArgs, args: &BatchArgs) -> Result<bool, String> {
    let log = match &args.log {
        None => None,
        Some(p) if p.as_os_str() == "-" => {
            return Err("med --batch går besluten till standard ut; ange en fil för --log".into());
        }
        Some(p) => Some(AuditLog::open_with_env_key(&Target::parse(p.as_os_str()))?),
    };
    let engine = rulesets::engine(rulesets_args)?;
    let (mut input, size): (Box<dyn BufRead + Send>, Option<u64>) = if request.as_os_str() == "-" {
        (
            Box::new(std::io::BufReader::with_capacity(256 * 1024, std::io::stdin())),
            None,
        )
    } else {
        let f = std::fs::File::open(request).map_err(|e| format!("kan inte läsa {}: {e}", request.display()))?;
        let size = f.metadata().ok().map(|m| m.len());
        (Box::new(std::io::BufReader::with_capacity(256 * 1024, f)), size)
    };
    let options = lagrum_serve::batch::Options {
        jobs: args.jobs,
        ..Default::default()
    };
    let bar = lagrum_serve::batch::progress_bar(size);
    let mut stdout = std::io::stdout();
    let start = std::time::Instant::now();
    let result = lagrum_serve::batch::run(
        Arc::new(engine),
        &mut input,
        &mut stdout,
        log.as_ref(),
        &options,
        match &bar {
            Some(b) => b,
            None => &(),
        },
    );
    if let Some(b) = &bar {
        b.finish_and_clear();
    }
    let summary = result?;
    if let Some(l) = log {
        l.close()?;
    }
    let secs = start.elapsed().as_secs_f64();
    eprint!("{}", summary.render());
    if secs > 0.0 {
        eprintln!("{:.1} s, {:.0} beslut per sekund", secs, summary.decided as f64 / secs);
    }
    Ok(summary.errors == 0)
}
