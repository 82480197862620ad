//! `legal fmt`: formats ruleset files in place, or checks that they are formatted.

use lagrum_dsl::Sources;
use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;

pub const FMT_HELP: &str = "Slutkod: 0 när allt är formaterat (eller har formaterats), 1 vid fel \
(t.ex. en fil som inte kan läsas, med fil:rad:kolumn) och, med --check, när någon fil inte är \
formaterad.";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Regelfiler eller kataloger (kataloger gås igenom med underkataloger efter *.lagrum).
    /// `-` läser från standard in och skriver till standard ut. Utan sökväg: aktuell katalog.
    #[arg(value_name = "SÖKVÄG")]
    pub paths: Vec<PathBuf>,
    /// Ändra inget: lista filerna som inte är formaterade och avsluta med 1 om det finns någon.
    #[arg(long)]
    pub check: bool,
}

#[derive(Default)]
struct Tally {
    files: usize,
    unformatted: usize,
    errors: usize,
}

pub fn run(args: &Args) -> ExitCode {
    let paths = if args.paths.is_empty() {
        vec![PathBuf::from(".")]
    } else {
        args.paths.clone()
    };
    let mut tally = Tally::default();
    let mut only_stdin = true;
    for path in &paths {
        if path.as_os_str() == "-" {
            stdin(args.check, &mut tally);
            continue;
        }
        only_stdin = false;
        match lagrum_files(path) {
            Ok(files) => {
                for f in files {
                    file(&f, args.check, &mut tally);
                }
            }
            Err(e) => {
                eprintln!("fel: {e}");
                tally.errors += 1;
            }
        }
    }
    if !only_stdin {
        summary(&tally, args.check);
    }
    if tally.errors > 0 || (args.check && tally.unformatted > 0) {
        ExitCode::from(1)
    } else {
        ExitCode::SUCCESS
    }
}

fn summary(t: &Tally, check: bool) {
    let files = match t.files {
        1 => "1 fil".to_string(),
        n => format!("{n} filer"),
    };
    if check && t.unformatted > 0 {
        eprintln!(
            "{} av {files} är inte formaterade; kör `legal fmt` på dem.",
            t.unformatted
        );
    } else if check {
        eprintln!("Alla {files} är formaterade.");
    } else {
        eprintln!("Formaterade om {} av {files}.", t.unformatted);
    }
}

/// Formats one file: in place, or (with `check`) only says whether it would change.
fn file(path: &Path, check: bool, tally: &mut Tally) {
    tally.files += 1;
    let name = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) => {
            eprintln!("fel: kan inte läsa {name}: {e}");
            tally.errors += 1;
            return;
        }
    };
    let Some(out) = format(&name, &text, tally) else {
        return;
    };
    if out == text {
        return;
    }
    tally.unformatted += 1;
    if check {
        crate::out::println(&name);
    } else if let Err(e) = std::fs::write(path, out) {
        eprintln!("fel: kan inte skriva {name}: {e}");
        tally.errors += 1;
    }
}

/// `legal fmt -`: standard in to standard out; with `check`, nothing is written.
fn stdin(check: bool, tally: &mut Tally) {
    let mut text = String::new();
    if let Err(e) = std::io::stdin().read_to_string(&mut text) {
        eprintln!("fel: kan inte läsa standard in: {e}");
        tally.errors += 1;
        return;
    }
    let Some(out) = format("<stdin>", &text, tally) else {
        return;
    };
    if check {
        if out != text {
            tally.unformatted += 1;
            eprintln!("standard in är inte formaterad");
        }
        return;
    }
    if let Err(e) = std::io::stdout().write_all(out.as_bytes()) {
        eprintln!("fel: kan inte skriva: {e}");
        tally.errors += 1;
    }
}

/// The formatted text, or `None` after printing why not (with file:line:column).
fn format(name: &str, text: &str, tally: &mut Tally) -> Option<String> {
    match lagrum_dsl::format(text) {
        Ok(out) => Some(out),
        Err(diags) => {
            let mut sources = Sources::new();
            sources.add(name, text);
            eprint!("{}", diags.render(&sources));
            tally.errors += 1;
            None
        }
    }
}

/// A file as given, or every `*.lagrum` file under a directory (sorted; hidden directories,
/// `target` and links to directories skipped). A directory without ruleset files is an error: a mistyped path
/// must not pass `--check`.
fn lagrum_files(path: &Path) -> Result<Vec<PathBuf>, String> {
    let meta = std::fs::metadata(path).map_err(|e| format!("kan inte läsa {}: {e}", path.display()))?;
    if !meta.is_dir() {
        return Ok(vec![path.to_path_buf()]);
    }
    let mut out = Vec::new();
    walk(path, &mut out)?;
    out.sort();
    if out.is_empty() {
        return Err(format!("inga regelfiler (*.lagrum) i {}", path.display()));
    }
    Ok(out)
}

fn walk(dir: &Path, out: &mut Vec<PathBuf>) -> Result<(), String> {
    let entries = std::fs::read_dir(dir).map_err(|e| format!("kan inte läsa katalogen {}: {e}", dir.display()))?;
    for entry in entries.filter_map(Result::ok) {
        let p = entry.path();
        let hidden = entry.file_name().to_string_lossy().starts_with('.');
        // A link to a directory is not followed (it could lead back here).
        if entry.file_type().is_ok_and(|t| t.is_dir()) {
            if !hidden && entry.file_name() != "target" {
                walk(&p, out)?;
            }
        } else if p.is_file() && p.extension().is_some_and(|x| x == "lagrum") {
            out.push(p);
        }
    }
    Ok(())
}
