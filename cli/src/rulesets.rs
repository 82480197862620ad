//! Where the rulesets come from: the embedded defaults, or files on disk.

use lagrum_dsl::Sources;
use std::path::{Path, PathBuf};

/// Options shared by commands that load rulesets.
#[derive(clap::Args, Debug, Clone)]
pub struct RulesetArgs {
    /// Katalog med regelfiler (*.lagrum) i stället för de inbyggda.
    #[arg(long, value_name = "KATALOG")]
    pub rulesets: Option<PathBuf>,
    /// Ytterligare regelfil att läsa in, t.ex. myndighetens förhandsbedömningar. Kan upprepas.
    #[arg(long = "with", value_name = "FIL")]
    pub with: Vec<PathBuf>,
}

/// Reads the ruleset files. An unreadable file is an error naming it.
pub fn load(args: &RulesetArgs) -> Result<Sources, String> {
    let mut sources = Sources::new();
    match &args.rulesets {
        None => {
            for (name, text) in lagrum_rulesets::FILES {
                sources.add(format!("{}/{name}", lagrum_rulesets::DIR), *text);
            }
        }
        Some(dir) => add_dir(&mut sources, dir)?,
    }
    for f in &args.with {
        add_file(&mut sources, f)?;
    }
    Ok(sources)
}

fn add_dir(sources: &mut Sources, dir: &Path) -> Result<(), String> {
    for (name, text) in lagrum_rulesets::read_dir(dir)? {
        sources.add(name, text);
    }
    Ok(())
}

fn add_file(sources: &mut Sources, f: &Path) -> Result<(), String> {
    let (name, text) = lagrum_rulesets::read_file(f)?;
    sources.add(name, text);
    Ok(())
}

/// Reads and compiles the rulesets: the engine every command decides with.
pub fn engine(args: &RulesetArgs) -> Result<lagrum_engine::Engine, String> {
    lagrum_engine::Engine::from_sources(load(args)?)
        .map(|(engine, _warnings)| engine)
        .map_err(|e| format!("regelverket kan inte användas:\n{}", e.render()))
}
