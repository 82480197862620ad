//! `legal navet`: read a Navet file and print the persons as JSON lines.

use crate::rulesets::{self, RulesetArgs};
use lagrum_navet::output::{self, View};
use lagrum_navet::{Error, PostKind, Records, Register};
use std::fs::File;
use std::io::{self, BufRead, BufReader, BufWriter, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const EXIT_HELP: &str = "Slutstatus:
  0  alla poster lästes
  1  fel: filen kan inte läsas
  2  någon post är felaktig (den hoppas över och beskrivs på standard fel; övriga skrivs ut)

En skyddad persons adress skrivs aldrig ut: termer utan egen typ (folkbokföringsadress,
block 02–04 m.m.) visas bara när posten själv visar att personen inte har skydd.
Med --mask maskeras identitetsnummer (ÅÅÅÅMMDD-****) och inga sådana termer visas.";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Navet-fil (aviseringsfil) i UTF-8 eller Latin-1, eller `-` för standard in.
    #[arg(value_name = "FIL")]
    pub file: PathBuf,
    /// Utdata för loggar: maskera identitetsnummer och utelämna alla termer utan egen typ.
    #[arg(long)]
    pub mask: bool,
    /// Varje post är en total- eller aviseringspost: en term som saknas har inget värde.
    /// Utan flaggan läses posterna som ändringsposter: det som saknas är oförändrat.
    #[arg(long)]
    pub total: bool,
    /// Skriv en rad per person med läget efter alla poster (minnet växer med antalet
    /// personer) i stället för en rad per post.
    #[arg(long)]
    pub state: bool,
    /// Regelverket anger vilka termkoder som är skydd (`termkod`); en person med något av
    /// dem räknas som skyddad.
    #[command(flatten)]
    pub rulesets: RulesetArgs,
}

pub fn run(args: &Args) -> ExitCode {
    match navet(args) {
        Ok(0) => ExitCode::SUCCESS,
        Ok(_) => ExitCode::from(2),
        Err(e) => {
            eprintln!("fel: {e}");
            ExitCode::from(1)
        }
    }
}

/// Opens a file, or standard in for `-`.
pub fn open(path: &Path) -> Result<Box<dyn BufRead>, String> {
    if path.as_os_str() == "-" {
        Ok(Box::new(BufReader::new(io::stdin())))
    } else {
        let f = File::open(path).map_err(|e| format!("kan inte läsa {}: {e}", path.display()))?;
        Ok(Box::new(BufReader::with_capacity(1 << 16, f)))
    }
}

/// Prints the persons; returns the number of malformed records.
fn navet(args: &Args) -> Result<usize, String> {
    let engine = rulesets::engine(&args.rulesets)?;
    let protection: Vec<_> = lagrum_navet::fill::marker_codes(&engine.vocabulary())
        .into_iter()
        .filter_map(|m| m.code)
        .collect();
    let input = open(&args.file)?;
    let view = View {
        mask: args.mask,
        kind: if args.total { PostKind::Total } else { PostKind::Change },
        protection,
    };
    let stdout = io::stdout();
    let mut out = BufWriter::new(stdout.lock());
    let write_err = |e: io::Error| format!("kan inte skriva: {e}");
    let stats = if args.state {
        let mut register = Register::all(view.kind).track(view.protection.iter().copied());
        let stats = register
            .read(input, |m| eprintln!("varning: {m}"))
            .map_err(|e| format!("kan inte läsa {}: {e}", args.file.display()))?;
        for person in register.persons() {
            let line = serde_json::to_string(&output::state(person, &view)).map_err(|e| e.to_string())?;
            writeln!(out, "{line}").map_err(write_err)?;
        }
        stats
    } else {
        let mut records = Records::new(input);
        for item in records.by_ref() {
            match item {
                Ok(record) => {
                    let line = serde_json::to_string(&output::record(&record, &view)).map_err(|e| e.to_string())?;
                    writeln!(out, "{line}").map_err(write_err)?;
                }
                Err(Error::Malformed(m)) => eprintln!("varning: {m}"),
                Err(Error::Io(e)) => return Err(format!("kan inte läsa {}: {e}", args.file.display())),
            }
        }
        records.stats()
    };
    out.flush().map_err(write_err)?;
    eprintln!(
        "{} poster lästa, {} felaktiga ({} rader, {} i Latin-1)",
        stats.records, stats.malformed, stats.lines, stats.latin1_lines
    );
    Ok(stats.malformed)
}

/// For `legal check --navet`: fills the request's subjects from the Navet file, says on
/// standard error (masked) what was found, and validates the filled request.
pub fn parse_with_navet(
    engine: &lagrum_engine::Engine,
    text: &str,
    path: &Path,
    total: bool,
) -> Result<Result<lagrum_engine::Case, lagrum_engine::RequestError>, String> {
    use lagrum_navet::fill::{SubjectResult, fill_request, marker_codes};
    let mut doc = match engine.read_request(text) {
        Ok(doc) => doc,
        Err(e) => return Ok(Err(e)),
    };
    let codes = marker_codes(&engine.vocabulary());
    if codes.iter().all(|m| m.code.is_none()) {
        return Err("regelverket anger ingen termkod för något skydd; Navet kan inte användas".into());
    }
    let kind = if total { PostKind::Total } else { PostKind::Change };
    let report = fill_request(&mut doc, open(path)?, &codes, kind)
        .map_err(|e| format!("kan inte läsa {}: {e}", path.display()))?;
    for m in &report.malformed {
        eprintln!("navet: varning: {m}");
    }
    if report.stats.malformed > report.malformed.len() {
        eprintln!(
            "navet: ytterligare {} felaktiga poster",
            report.stats.malformed - report.malformed.len()
        );
    }
    for (i, s) in report.subjects.iter().enumerate() {
        let what = match &s.result {
            SubjectResult::Found {
                markers,
                complete,
                protection,
            } => {
                let found = if markers.is_empty() {
                    "inget skydd".to_string()
                } else {
                    markers.join(", ")
                };
                match (complete, protection) {
                    (true, _) => found,
                    (false, Some(_)) => format!("{found} (filen anger inte alla skydd; begärans uppgift gäller)"),
                    (false, None) => {
                        format!("{found} (filen anger inte alla skydd; skyddet lämnas okänt och frågan ställs)")
                    }
                }
            }
            SubjectResult::NotFound => "finns inte i filen; begärans uppgifter gäller".to_string(),
            SubjectResult::NoNumber => continue,
            SubjectResult::InvalidNumber => "ogiltigt identitetsnummer".to_string(),
        };
        // The caller's subject id may itself be a number or a name: name the subject by place.
        eprintln!("navet: subjects[{i}] ({}): {what}", s.number);
    }
    Ok(engine.validate_request(&doc))
}
