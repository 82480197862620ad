//! Checks the ruleset files in a directory and prints every diagnostic.
fn main() {
    let dir = std::env::args().nth(1).unwrap_or_else(|| "rulesets".into());
    let mut sources = lagrum_dsl::Sources::new();
    let mut entries: Vec<_> = std::fs::read_dir(&dir)
        .into_iter()
        .flatten()
        .filter_map(Result::ok)
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|e| e == "lagrum"))
        .collect();
    entries.sort();
    for p in entries {
        let text = std::fs::read_to_string(&p).unwrap_or_default();
        sources.add(p.display().to_string(), text);
    }
    match lagrum_dsl::check(sources.clone()) {
        Ok((m, w)) => {
            print!("{}", w.render(&sources));
            println!("ok: {} provisions, {} versions", m.provisions.len(), m.versions.len());
        }
        Err(d) => print!("{}", d.render(&sources)),
    }
}
