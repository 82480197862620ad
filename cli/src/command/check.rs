//! `legal check`: decide a request.

use crate::rulesets::{self, RulesetArgs};
use lagrum_engine::Outcome;
use lagrum_engine::render::compact::Sentences;
use std::io::Read as _;
use std::path::PathBuf;
use std::process::ExitCode;

pub const EXIT_HELP: &str = "Slutstatus:
  0  uppgifterna får eller ska lämnas (allow / must)
  1  fel: felaktiga argument, ogiltig begäran, ogiltigt regelverk eller fil som inte kan läsas
  2  uppgifterna får inte lämnas (deny)
  3  saken kräver prövning av en handläggare (manual)
Utfallet för hela begäran är det minst tillåtande utfallet för någon uppgift.

Med --batch (NDJSON, en begäran per rad; ut: en JSON-rad per rad med beslut eller fel):
  0  alla rader avgjordes (oavsett utfall)
  1  minst en rad kunde inte avgöras, eller indata, utdata, logg eller regelverk gick inte att använda
Beslutsloggen (--log) kräver nyckeln i LAGRUM_AUDIT_KEY (minst 32 byte).";

#[derive(clap::Args, Debug)]
pub struct Args {
    /// Begäran som JSON-fil, eller `-` för standard in.
    #[arg(value_name = "BEGÄRAN")]
    pub request: PathBuf,
    /// Utdataformat: svensk text, JSON (lagrum.decision.v2, kompakt) eller det äldre
    /// JSON-formatet lagrum.decision.v1. Med --batch är utdata alltid JSON-rader.
    #[arg(long, value_enum, default_value_t = Format::Text, conflicts_with = "batch")]
    pub format: Format,
    /// Med --format json: bevisningens steg och villkor får också sina svenska meningar.
    #[arg(long)]
    pub sentences: bool,
    /// För uppgifter som inte får lämnas eller kräver prövning: visa vad i begäran (fakta,
    /// sätt, syfte, skydd) som skulle göra att de får eller ska lämnas, och enligt vilken
    /// bestämmelse. Med --format json i fältet `alternatives` på uppgiften.
    #[arg(long, conflicts_with = "batch")]
    pub alternatives: bool,
    #[command(flatten)]
    pub rulesets: RulesetArgs,
    /// Fyll personernas skydd från en Navet-fil, efter `subjects[].identity.number`.
    /// Skydd läggs bara till, aldrig bort. Vad som hittades skrivs maskerat på standard fel.
    #[arg(long, value_name = "FIL", conflicts_with = "batch")]
    pub navet: Option<PathBuf>,
    /// Posterna i Navet-filen är total- eller aviseringsposter: ett skydd som saknas finns inte.
    #[arg(long, requires = "navet")]
    pub navet_total: bool,
    #[command(flatten)]
    pub batch: super::batch::BatchArgs,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    /// lagrum.decision.v2
    Json,
    /// lagrum.decision.v1 (det äldre formatet, medan klienter byter)
    #[value(name = "json-v1")]
    JsonV1,
}

/// The exit code for an outcome.
pub fn exit_code(o: Outcome) -> u8 {
    match o {
        Outcome::Must | Outcome::Allow => 0,
        Outcome::Deny => 2,
        Outcome::Manual => 3,
    }
}

pub fn run(args: &Args) -> ExitCode {
    if args.batch.batch {
        return super::batch::run(&args.request, &args.rulesets, &args.batch);
    }
    crate::out::finish(check(args))
}

fn check(args: &Args) -> Result<(String, u8), String> {
    let text = if args.request.as_os_str() == "-" {
        let mut s = String::new();
        std::io::stdin()
            .read_to_string(&mut s)
            .map_err(|e| format!("kan inte läsa standard in: {e}"))?;
        s
    } else {
        std::fs::read_to_string(&args.request).map_err(|e| format!("kan inte läsa {}: {e}", args.request.display()))?
    };
    let engine = rulesets::engine(&args.rulesets)?;
    let case = match &args.navet {
        None => engine.parse_request(&text),
        Some(path) => super::navet::parse_with_navet(&engine, &text, path, args.navet_total)?,
    }
    .map_err(|e| format!("ogiltig begäran [{}] {e}", e.code()))?;
    let decision = engine.decide(&case);
    let alternatives = if args.alternatives {
        engine.alternatives(&case, &decision)
    } else {
        Vec::new()
    };
    let out = match args.format {
        Format::Text => {
            let mut text = lagrum_engine::render::text::render(&engine.document(&case, &decision));
            if args.alternatives && exit_code(decision.outcome) != 0 {
                text.push_str(&alternatives_text(&engine, &case, &alternatives));
            }
            text
        }
        Format::JsonV1 => pretty(&engine.document(&case, &decision))?,
        Format::Json => {
            let sentences = if args.sentences { Sentences::Yes } else { Sentences::No };
            let mut doc = engine.compact(&case, &decision, sentences);
            lagrum_engine::render::compact::attach_alternatives(engine.model(), &mut doc, &case, &alternatives);
            pretty(&doc)?
        }
    };
    Ok((out, exit_code(decision.outcome)))
}

/// The section "Detta skulle ändra utfallet" of the text output.
fn alternatives_text(
    engine: &lagrum_engine::Engine,
    case: &lagrum_engine::Case,
    alts: &[lagrum_engine::alternatives::Alternative],
) -> String {
    let mut out = String::from("\nDETTA SKULLE ÄNDRA UTFALLET\n");
    if alts.is_empty() {
        out.push_str("  Ingen ändring av fakta, sätt, syfte eller skydd (en eller två åt gången) gör att uppgifterna får eller ska lämnas.\n");
    }
    for (i, item) in case.items.iter().enumerate() {
        let mine: Vec<_> = alts.iter().filter(|a| a.item == i).collect();
        if mine.is_empty() {
            continue;
        }
        out.push_str(&format!("  Uppgiften {}:\n", item.id));
        for a in mine {
            out.push_str(&format!(
                "  - {}\n",
                lagrum_engine::render::words::alternative(engine.model(), case, a)
            ));
        }
    }
    out
}

/// A document as indented JSON, with a final line break.
fn pretty<T: serde::Serialize>(doc: &T) -> Result<String, String> {
    let mut s = serde_json::to_string_pretty(doc).map_err(|e| e.to_string())?;
    s.push('\n');
    Ok(s)
}
