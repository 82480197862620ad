//! `legal diff`: what a change of law changes. Decides the same requests (the space of
//! `legal analyze`, or an even sample of it) on two dates, or with two ruleset
//! directories, and lists the flows whose outcome changes, grouped by the provision
//! versions that made the difference: those in the basis on one side and not the other
//! (the new basis when the outcome opened, the old when it closed; the reason when the
//! basis is the same).

use crate::rulesets::{self, RulesetArgs};
use crate::space::Space;
use lagrum_engine::decision::ItemDecision;
use lagrum_engine::model::Model;
use lagrum_engine::{Engine, Outcome};
use serde::Serialize;
use std::collections::BTreeMap;
use std::path::PathBuf;
use std::process::ExitCode;
use std::time::Instant;

pub const DIFF_HELP: &str = "Jämför två datum (--from, --to) med samma regelverk, eller två regelverk (--old,
--new, båda kataloger) på ett datum (--date) eller på varje datum då någon version börjar.
Slutstatus: 0 inget flöde ändrar utfall, 2 minst ett gör det, 1 fel.";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub rulesets: RulesetArgs,
    /// Datumet före ändringen (ÅÅÅÅ-MM-DD).
    #[arg(long, value_name = "DATUM", requires = "to", conflicts_with = "old")]
    pub from: Option<String>,
    /// Datumet efter ändringen.
    #[arg(long, value_name = "DATUM", requires = "from")]
    pub to: Option<String>,
    /// Katalogen med regelverket före ändringen.
    #[arg(long, value_name = "KATALOG", requires = "new")]
    pub old: Option<PathBuf>,
    /// Katalogen med regelverket efter ändringen.
    #[arg(long, value_name = "KATALOG", requires = "old")]
    pub new: Option<PathBuf>,
    /// Med --old/--new: jämför bara på detta datum.
    #[arg(long, value_name = "DATUM")]
    pub date: Option<String>,
    /// Högst så många begäranden (var och en med en uppgift per kategori).
    #[arg(long, value_name = "ANTAL", default_value_t = 5_000)]
    pub requests: u64,
    /// Utdataformat: svensk text, JSON (lagrum.diff.v1) eller CSV (en rad per grupp och
    /// avsändare, mottagare och kategori).
    #[arg(long, value_enum, default_value_t = Format::Text)]
    pub format: Format,
}

#[derive(clap::ValueEnum, Clone, Copy, Debug, PartialEq, Eq)]
pub enum Format {
    Text,
    Json,
    Csv,
}

pub fn run(args: &Args) -> ExitCode {
    crate::out::finish(diff(args))
}

/// One group of changed flows.
#[derive(Serialize, Default, Clone)]
struct Group {
    /// The provision versions that made the difference.
    provisions: String,
    from: &'static str,
    to: &'static str,
    flows: u64,
    /// Flows by sender, recipient and category.
    by_sender: BTreeMap<String, u64>,
    by_recipient: BTreeMap<String, u64>,
    by_category: BTreeMap<String, u64>,
}

#[derive(Serialize)]
struct Report {
    schema: &'static str,
    before: String,
    after: String,
    requests_searched: u64,
    flows_searched: u64,
    sampled: bool,
    seconds: f64,
    changed: u64,
    groups: Vec<Group>,
}

fn engine_at(dir: &std::path::Path, base: &RulesetArgs) -> Result<Engine, String> {
    rulesets::engine(&RulesetArgs {
        rulesets: Some(dir.to_path_buf()),
        with: base.with.clone(),
    })
}

fn diff(args: &Args) -> Result<(String, u8), String> {
    let (old, new, dates) = match (&args.from, &args.to, &args.old, &args.new) {
        (Some(a), Some(b), _, _) => {
            let e = rulesets::engine(&args.rulesets)?;
            (e.clone(), e, vec![(a.clone(), b.clone())])
        }
        (_, _, Some(o), Some(n)) => {
            let (old, new) = (engine_at(o, &args.rulesets)?, engine_at(n, &args.rulesets)?);
            let dates = match &args.date {
                Some(d) => vec![d.clone()],
                None => crate::space::dates(&new),
            };
            (old, new, dates.into_iter().map(|d| (d.clone(), d)).collect())
        }
        _ => return Err("ange --from och --to, eller --old och --new".into()),
    };
    let mut space = Space::of(&new);
    space.dates = dates.iter().map(|(a, _)| a.clone()).collect();
    let later: BTreeMap<String, String> = dates.into_iter().collect();
    let (points, sampled) = space.points(u128::from(args.requests));
    let start = Instant::now();
    let threads = std::thread::available_parallelism().map_or(1, usize::from);
    let mut groups: Groups = BTreeMap::new();
    let (mut requests, mut flows) = (0u64, 0u64);
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (old, new, space, points, later) = (&old, &new, &space, &points, &later);
                s.spawn(move || compare(old, new, space, points.iter().skip(t).step_by(threads), later))
            })
            .collect();
        for h in handles {
            if let Ok((g, r, f)) = h.join() {
                requests += r;
                flows += f;
                for (k, x) in g {
                    match groups.entry(k) {
                        std::collections::btree_map::Entry::Vacant(e) => {
                            e.insert(x);
                        }
                        std::collections::btree_map::Entry::Occupied(mut e) => merge(e.get_mut(), &x),
                    }
                }
            }
        }
    });
    if requests == 0 {
        // Every request was refused (a date that is not a date, or before the coverage):
        // "nothing changes" would be a false answer.
        return Err(
            "ingen begäran kunde avgöras på båda sidor; kontrollera datumen (ÅÅÅÅ-MM-DD, inom regelverkets täckning)"
                .into(),
        );
    }
    let mut groups: Vec<Group> = groups.into_values().collect();
    groups.sort_by_key(|g| std::cmp::Reverse(g.flows));
    let changed = groups.iter().map(|g| g.flows).sum();
    let (before, after) = match (&args.from, &args.to) {
        (Some(a), Some(b)) => (a.clone(), b.clone()),
        _ => (old.ruleset().hash.clone(), new.ruleset().hash.clone()),
    };
    let seconds = (start.elapsed().as_secs_f64() * 1000.0).round() / 1000.0;
    let report = Report {
        schema: "lagrum.diff.v1",
        before,
        after,
        requests_searched: requests,
        flows_searched: flows,
        sampled,
        seconds,
        changed,
        groups,
    };
    let out = match args.format {
        Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        Format::Csv => csv(&report),
        Format::Text => text(&report),
    };
    Ok((out, if changed > 0 { 2 } else { 0 }))
}

/// Changed flows by (provisions, from, to).
type Groups = BTreeMap<(String, &'static str, &'static str), Group>;

/// Decides `points` before and after; the groups of changed flows, requests, flows.
fn compare<'a>(
    old: &Engine,
    new: &Engine,
    space: &Space,
    points: impl Iterator<Item = &'a u128>,
    later: &BTreeMap<String, String>,
) -> (Groups, u64, u64) {
    let mut groups: Groups = BTreeMap::new();
    let (mut requests, mut flows) = (0u64, 0u64);
    for &k in points {
        let Some(mut req) = space.request(k, None) else {
            continue;
        };
        let Ok(a) = old.validate_request(&req) else { continue };
        req.date = later.get(&req.date).cloned().unwrap_or(req.date);
        let Ok(b) = new.validate_request(&req) else { continue };
        let (da, db) = (old.decide(&a), new.decide(&b));
        requests += 1;
        for (i, (x, y)) in da.items.iter().zip(&db.items).enumerate() {
            flows += 1;
            if x.outcome == y.outcome {
                continue;
            }
            let key = (
                difference(old.model(), x, new.model(), y),
                word(x.outcome),
                word(y.outcome),
            );
            let g = groups.entry(key.clone()).or_insert_with(|| Group {
                provisions: key.0.clone(),
                from: key.1,
                to: key.2,
                ..Group::default()
            });
            g.flows += 1;
            *g.by_sender.entry(party(&req.sender)).or_insert(0) += 1;
            *g.by_recipient.entry(party(&req.recipient)).or_insert(0) += 1;
            let category = req.items.get(i).map(|c| c.category.clone()).unwrap_or_default();
            *g.by_category.entry(category).or_insert(0) += 1;
        }
    }
    (groups, requests, flows)
}

/// Adds `x`'s counts to `into`.
fn merge(into: &mut Group, x: &Group) {
    into.flows += x.flows;
    for (mine, theirs) in [
        (&mut into.by_sender, &x.by_sender),
        (&mut into.by_recipient, &x.by_recipient),
        (&mut into.by_category, &x.by_category),
    ] {
        for (k, n) in theirs {
            *mine.entry(k.clone()).or_insert(0) += n;
        }
    }
}

fn party(p: &lagrum_engine::request::PartyDoc) -> String {
    match &p.unit {
        Some(u) => format!("{}.{u}", p.actor),
        None => p.actor.clone(),
    }
}

fn word(o: Outcome) -> &'static str {
    match o {
        Outcome::Must => "must",
        Outcome::Allow => "allow",
        Outcome::Manual => "manual",
        Outcome::Deny => "deny",
    }
}

/// The basis versions on one side only, named by citation and start; the side that
/// decided the more permissive outcome.
fn difference(ma: &Model, a: &ItemDecision, mb: &Model, b: &ItemDecision) -> String {
    let names = |m: &Model, d: &ItemDecision| -> Vec<String> {
        d.basis
            .iter()
            .filter_map(|e| {
                let p = m.provisions.get(e.provision.index())?;
                let from = e
                    .version
                    .and_then(|v| m.versions.get(v.index()))
                    .map(|v| v.from.to_string())
                    .unwrap_or_default();
                Some(format!("{} (från {from})", p.citation))
            })
            .collect()
    };
    let (na, nb) = (names(ma, a), names(mb, b));
    let opened = rank(b.outcome) > rank(a.outcome);
    let (gained, other) = if opened { (&nb, &na) } else { (&na, &nb) };
    let only: Vec<&String> = gained.iter().filter(|x| !other.contains(x)).collect();
    if only.is_empty() {
        // The same provisions on both sides (a conflict resolved by a priority, say): name
        // them, and say so.
        format!("{} (samma grund, nytt utfall)", gained.join(", "))
    } else {
        only.iter().map(|s| s.as_str()).collect::<Vec<_>>().join(", ")
    }
}

fn rank(o: Outcome) -> u8 {
    match o {
        Outcome::Deny => 0,
        Outcome::Manual => 1,
        Outcome::Allow => 2,
        Outcome::Must => 3,
    }
}

fn top(m: &BTreeMap<String, u64>, n: usize) -> String {
    let mut v: Vec<(&String, &u64)> = m.iter().collect();
    v.sort_by(|a, b| b.1.cmp(a.1).then(a.0.cmp(b.0)));
    v.iter()
        .take(n)
        .map(|(k, c)| format!("{k} {c}"))
        .collect::<Vec<_>>()
        .join(", ")
}

fn text(r: &Report) -> String {
    let how = if r.sampled {
        "ett jämnt urval av rymden"
    } else {
        "hela rymden"
    };
    let mut out = format!(
        "Före: {}  Efter: {}\nPrövat ({how}): {} begäranden, {} flöden på {:.2} s. {} flöden ändrar utfall.\n",
        r.before, r.after, r.requests_searched, r.flows_searched, r.seconds, r.changed
    );
    for g in &r.groups {
        let verb = if rank_word(g.to) > rank_word(g.from) {
            "öppnade"
        } else {
            "stängde"
        };
        out.push_str(&format!(
            "\n{} {verb} {} flöden ({} → {}).\n",
            g.provisions, g.flows, g.from, g.to
        ));
        out.push_str(&format!("  Avsändare: {}\n", top(&g.by_sender, 5)));
        out.push_str(&format!("  Mottagare: {}\n", top(&g.by_recipient, 5)));
        out.push_str(&format!("  Kategorier: {}\n", top(&g.by_category, 5)));
    }
    out
}

fn rank_word(w: &str) -> u8 {
    match w {
        "must" => 3,
        "allow" => 2,
        "manual" => 1,
        _ => 0,
    }
}

fn csv(r: &Report) -> String {
    let field = |s: &str| format!("\"{}\"", s.replace('"', "\"\""));
    let mut out = String::from("provisions,from,to,dimension,value,flows\n");
    for g in &r.groups {
        for (dim, map) in [
            ("sender", &g.by_sender),
            ("recipient", &g.by_recipient),
            ("category", &g.by_category),
        ] {
            for (k, n) in map {
                out.push_str(&format!(
                    "{},{},{},{dim},{},{n}\n",
                    field(&g.provisions),
                    g.from,
                    g.to,
                    field(k)
                ));
            }
        }
    }
    out
}
