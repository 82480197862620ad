//! `legal analyze`: questions about the whole rulebook, answered by deciding every request
//! of the space (`crate::space`) on all cores, or a systematic sample of it when it is too
//! big, plus checks read from the ruleset itself.
//!
//! Built-in checks: (a) a bar and a route that both decide a flow with no priority
//! between them (a conflict), with a flow that shows it; (b) versions never in force
//! within the coverage, and versions that applied to no flow searched; (c) gaps between a
//! provision's versions; (d) exclusions and priorities that name a provision with no
//! version, or resolve to nothing. Questions (`--query`) are a few `key=value` terms, all
//! of which must hold for a flow; the answer is "never" with the size of the space
//! searched, or the flows found, as runnable requests.

use crate::rulesets::{self, RulesetArgs};
use crate::space::Space;
use lagrum_engine::Engine;
use lagrum_engine::Outcome;
use lagrum_engine::decision::{Reason, RouteStatus, SecrecyResult};
use lagrum_engine::model::{Body, Model, Precedence, PrecedenceIndex, VersionId};
use lagrum_engine::request::{ModeDoc, RequestDoc};
use serde::Serialize;
use std::collections::BTreeMap;
use std::process::ExitCode;
use std::time::Instant;

pub const ANALYZE_HELP: &str = "Frågor (--query, kan upprepas): termer `nyckel=värde[,värde…]`, åtskilda av
mellanslag; alla termer ska gälla för ett flöde (en uppgift i en begäran).
  utfall=allow,must      beslutet för uppgiften
  prövning=nej           ingen intresseavvägning i grunden (ja: minst en)
  grund=ID               grunden innehåller bestämmelsen (dess id i regelverket)
  avsändare=AKTÖR  mottagare=AKTÖR  syfte=ID  sätt=begäran|eget_initiativ
  skydd=MARKERING|inget|okänt  kategori=ID (med underkategorier)
Med en enda fråga begränsas rymden till det frågan nämner, så den kan sökas helt.
Exempel: --query \"skydd=skyddad_folkbokföring utfall=allow,must prövning=nej\"

Slutstatus:
  0  analysen kördes och ingen fråga hittade något flöde
  1  fel: felaktiga argument, ogiltigt regelverk eller fråga
  2  minst en fråga hittade flöden (se exemplen)";

#[derive(clap::Args, Debug)]
pub struct Args {
    #[command(flatten)]
    pub rulesets: RulesetArgs,
    /// Högst så många begäranden (var och en med en uppgift per kategori); en större rymd
    /// prövas med ett jämnt spritt urval.
    #[arg(long, value_name = "ANTAL", default_value_t = 20_000)]
    pub requests: u64,
    /// En fråga om regelverket (se nedan). Kan upprepas.
    #[arg(long = "query", value_name = "FRÅGA")]
    pub queries: Vec<String>,
    /// Högst så många exempel per fynd.
    #[arg(long, value_name = "ANTAL", default_value_t = 3)]
    pub examples: usize,
    /// Utdataformat: svensk text eller JSON (lagrum.analysis.v1).
    #[arg(long, value_enum, default_value_t = super::test::Format::Text)]
    pub format: super::test::Format,
    /// Antal trådar (standard: alla kärnor).
    #[arg(long, value_name = "ANTAL")]
    pub threads: Option<usize>,
}

pub fn run(args: &Args) -> ExitCode {
    crate::out::finish(analyze(args))
}

/// A jurist's question, parsed.
#[derive(Default, Clone)]
struct Query {
    text: String,
    outcomes: Option<Vec<Outcome>>,
    balancing: Option<bool>,
    basis: Option<String>,
    sender: Option<String>,
    recipient: Option<String>,
    purpose: Option<String>,
    mode: Option<ModeDoc>,
    /// `Some(None)`: protection not known; `Some(Some(""))`: none.
    protection: Option<Option<String>>,
    category: Option<String>,
}

fn parse_query(text: &str) -> Result<Query, String> {
    let mut q = Query {
        text: text.to_string(),
        ..Query::default()
    };
    for term in text.split_whitespace() {
        let (key, value) = term
            .split_once('=')
            .ok_or_else(|| format!("`{term}`: skriv nyckel=värde"))?;
        let one = || value.to_string();
        match key {
            "utfall" => {
                let list = value.split(',').map(outcome).collect::<Result<Vec<_>, _>>()?;
                q.outcomes = Some(list);
            }
            "prövning" => q.balancing = Some(yes(value)?),
            "grund" => q.basis = Some(one()),
            "avsändare" => q.sender = Some(one()),
            "mottagare" => q.recipient = Some(one()),
            "syfte" => q.purpose = Some(one()),
            "sätt" => {
                q.mode = Some(match value {
                    "begäran" => ModeDoc::Request,
                    "eget_initiativ" => ModeDoc::OwnInitiative,
                    _ => return Err(format!("sätt={value}: begäran eller eget_initiativ")),
                });
            }
            "skydd" => {
                q.protection = Some(match value {
                    "okänt" => None,
                    "inget" => Some(String::new()),
                    m => Some(m.to_string()),
                });
            }
            "kategori" => q.category = Some(one()),
            _ => return Err(format!("okänd nyckel `{key}` i frågan (se legal analyze --help)")),
        }
    }
    Ok(q)
}

fn outcome(s: &str) -> Result<Outcome, String> {
    match s {
        "must" => Ok(Outcome::Must),
        "allow" => Ok(Outcome::Allow),
        "manual" => Ok(Outcome::Manual),
        "deny" => Ok(Outcome::Deny),
        _ => Err(format!("utfall `{s}`: must, allow, manual eller deny")),
    }
}

fn yes(s: &str) -> Result<bool, String> {
    match s {
        "ja" => Ok(true),
        "nej" => Ok(false),
        _ => Err(format!("`{s}`: ja eller nej")),
    }
}

impl Query {
    /// Narrows the space to what the question names.
    fn restrict(&self, model: &Model, space: &mut Space) {
        if let Some(a) = &self.sender {
            space.senders.retain(|p| &p.actor == a);
        }
        if let Some(a) = &self.recipient {
            space.recipients.retain(|p| &p.actor == a);
        }
        if let Some(p) = &self.purpose {
            space.purposes.retain(|x| x.contains(p));
        }
        if let Some(m) = self.mode {
            space.modes.retain(|x| *x == m);
        }
        if let Some(p) = &self.protection {
            let want = p
                .as_ref()
                .map(|m| if m.is_empty() { Vec::new() } else { vec![m.clone()] });
            space.protections.retain(|x| *x == want);
        }
        if let Some(c) = &self.category {
            space.categories.retain(|x| in_category(model, x, c));
        }
    }

    fn matches(
        &self,
        model: &Model,
        req: &RequestDoc,
        category: &str,
        item: &lagrum_engine::decision::ItemDecision,
    ) -> bool {
        let basis_has = |id: &str| {
            item.basis
                .iter()
                .any(|b| model.provisions.get(b.provision.index()).is_some_and(|p| p.id == id))
        };
        self.outcomes.as_ref().is_none_or(|o| o.contains(&item.outcome))
            && self.balancing.is_none_or(|b| b != item.balancing.is_empty())
            && self.basis.as_deref().is_none_or(basis_has)
            && self.sender.as_ref().is_none_or(|a| *a == req.sender.actor)
            && self.recipient.as_ref().is_none_or(|a| *a == req.recipient.actor)
            && self.purpose.as_ref().is_none_or(|p| req.purposes.contains(p))
            && self.mode.is_none_or(|m| m == req.mode)
            && self.category.as_ref().is_none_or(|c| in_category(model, category, c))
            && self.protection.as_ref().is_none_or(|p| {
                let given = req.subjects.first().and_then(|s| s.protection.clone());
                match p {
                    None => given.is_none(),
                    Some(m) if m.is_empty() => given.is_some_and(|g| g.is_empty()),
                    Some(m) => given.is_some_and(|g| g.contains(m)),
                }
            })
    }
}

fn in_category(model: &Model, id: &str, within: &str) -> bool {
    let Some(&c) = model.names.categories.get(id) else {
        return false;
    };
    let Some(cat) = model.categories.get(c.index()) else {
        return false;
    };
    cat.id == within
        || cat
            .ancestry
            .iter()
            .any(|a| model.categories.get(a.index()).is_some_and(|x| x.id == within))
}

/// A flow found: the point of the space and the category's index among the items.
type Flow = (u128, usize);

/// What the flows searched showed.
#[derive(Default)]
struct Tally {
    requests: u64,
    invalid: u64,
    flows: u64,
    outcomes: BTreeMap<&'static str, u64>,
    applied: Vec<bool>,
    conflicts: BTreeMap<(VersionId, VersionId), (u64, Vec<Flow>)>,
    found: Vec<(u64, Vec<Flow>)>,
}

impl Tally {
    fn merge(&mut self, other: Tally, examples: usize) {
        self.requests += other.requests;
        self.invalid += other.invalid;
        self.flows += other.flows;
        for (k, n) in other.outcomes {
            *self.outcomes.entry(k).or_insert(0) += n;
        }
        for (a, b) in self.applied.iter_mut().zip(other.applied) {
            *a |= b;
        }
        for (k, (n, ex)) in other.conflicts {
            let e = self.conflicts.entry(k).or_default();
            e.0 += n;
            e.1.extend(ex);
            e.1.truncate(examples);
        }
        for (mine, (n, ex)) in self.found.iter_mut().zip(other.found) {
            mine.0 += n;
            mine.1.extend(ex);
            mine.1.truncate(examples);
        }
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

/// Decides the points `k ≡ t (mod threads)` of `points`.
fn search(
    engine: &Engine,
    space: &Space,
    points: &[u128],
    queries: &[Query],
    slice: (usize, usize),
    examples: usize,
) -> Tally {
    let model = engine.model();
    let mut t = Tally {
        applied: vec![false; model.versions.len()],
        found: vec![(0, Vec::new()); queries.len()],
        ..Tally::default()
    };
    for &k in points.iter().skip(slice.0).step_by(slice.1.max(1)) {
        let Some(req) = space.request(k, None) else { continue };
        let Ok(case) = engine.validate_request(&req) else {
            t.invalid += 1;
            continue;
        };
        t.requests += 1;
        let decision = engine.decide(&case);
        for (i, item) in decision.items.iter().enumerate() {
            t.flows += 1;
            *t.outcomes.entry(word(item.outcome)).or_insert(0) += 1;
            mark_applied(&mut t.applied, item);
            if let Reason::Conflict { bar, route } = item.reason {
                let e = t.conflicts.entry((bar, route)).or_default();
                e.0 += 1;
                if e.1.len() < examples {
                    e.1.push((k, i));
                }
            }
            let category = req.items.get(i).map(|x| x.category.as_str()).unwrap_or_default();
            for (q, f) in queries.iter().zip(t.found.iter_mut()) {
                if q.matches(model, &req, category, item) {
                    f.0 += 1;
                    if f.1.len() < examples {
                        f.1.push((k, i));
                    }
                }
            }
        }
    }
    t
}

fn mark_applied(applied: &mut [bool], item: &lagrum_engine::decision::ItemDecision) {
    let mut set = |v: Option<VersionId>| {
        if let Some(slot) = v.and_then(|v| applied.get_mut(v.index())) {
            *slot = true;
        }
    };
    for r in &item.routes {
        if matches!(
            r.status,
            RouteStatus::Applies | RouteStatus::Defeated { .. } | RouteStatus::Conflict { .. }
        ) {
            set(r.version);
        }
    }
    for s in &item.secrecy {
        if matches!(s.result, SecrecyResult::Applies | SecrecyResult::Assumed) {
            set(s.version);
        }
    }
    for d in &item.data_protection {
        set(Some(d.version));
    }
}

fn analyze(args: &Args) -> Result<(String, u8), String> {
    let engine = rulesets::engine(&args.rulesets)?;
    let model = engine.model();
    let queries = args
        .queries
        .iter()
        .map(|q| parse_query(q))
        .collect::<Result<Vec<_>, _>>()?;
    let mut space = Space::of(&engine);
    if let [q] = queries.as_slice() {
        q.restrict(model, &mut space);
    }
    let (points, sampled) = space.points(u128::from(args.requests));
    let threads = args
        .threads
        .unwrap_or_else(|| std::thread::available_parallelism().map_or(1, usize::from))
        .max(1);
    let start = Instant::now();
    let mut total = Tally {
        applied: vec![false; model.versions.len()],
        found: vec![(0, Vec::new()); queries.len()],
        ..Tally::default()
    };
    std::thread::scope(|s| {
        let handles: Vec<_> = (0..threads)
            .map(|t| {
                let (engine, space, points, queries) = (&engine, &space, &points, &queries);
                s.spawn(move || search(engine, space, points, queries, (t, threads), args.examples))
            })
            .collect();
        for h in handles {
            if let Ok(t) = h.join() {
                total.merge(t, args.examples);
            }
        }
    });
    if total.requests == 0 {
        // "Never" over no flows at all would be a false answer.
        return Err("ingen begäran i rymden kunde avgöras (är --requests 0, eller frågan för snäv?)".into());
    }
    let seconds = start.elapsed().as_secs_f64();
    let report = report(
        &engine,
        &space,
        &queries,
        &total,
        Run {
            sampled,
            seconds,
            threads,
        },
    );
    let code = if report.queries.iter().any(|q| q.flows > 0) {
        2
    } else {
        0
    };
    let out = match args.format {
        super::test::Format::Json => serde_json::to_string_pretty(&report).map_err(|e| e.to_string())? + "\n",
        super::test::Format::Text => text(&report),
    };
    Ok((out, code))
}

struct Run {
    sampled: bool,
    seconds: f64,
    threads: usize,
}

#[derive(Serialize)]
struct Report {
    schema: &'static str,
    ruleset: String,
    space: SpaceOut,
    outcomes: BTreeMap<&'static str, u64>,
    conflicts: Vec<Finding>,
    never_in_force: Vec<String>,
    never_applied: Vec<String>,
    gaps: Vec<String>,
    dangling: Vec<String>,
    queries: Vec<QueryOut>,
}

#[derive(Serialize)]
struct SpaceOut {
    senders: usize,
    recipients: usize,
    modes: usize,
    purposes: usize,
    protections: usize,
    fact_settings: usize,
    dates: usize,
    categories: usize,
    /// Requests in the whole space (each with one item per category).
    requests: String,
    /// Flows (request × category) in the whole space.
    flows: String,
    sampled: bool,
    requests_searched: u64,
    flows_searched: u64,
    /// Requests the engine refused (e.g. a marker not valid on the date).
    invalid: u64,
    seconds: f64,
    threads: usize,
    requests_per_second: f64,
    flows_per_second: f64,
}

#[derive(Serialize)]
struct Finding {
    text: String,
    flows: u64,
    examples: Vec<RequestDoc>,
}

#[derive(Serialize)]
struct QueryOut {
    query: String,
    /// Flows that answer the question (0: never, in the space searched).
    flows: u64,
    examples: Vec<RequestDoc>,
}

#[allow(clippy::cast_precision_loss, reason = "rates for people")]
fn rate(n: u64, seconds: f64) -> f64 {
    if seconds > 0.0 {
        (n as f64 / seconds).round()
    } else {
        0.0
    }
}

fn report(engine: &Engine, space: &Space, queries: &[Query], t: &Tally, run: Run) -> Report {
    let model = engine.model();
    let name = |v: VersionId| version_name(model, v);
    let example = |&(k, i): &Flow| space.request(k, Some(&[i]));
    let conflicts = t
        .conflicts
        .iter()
        .map(|(&(bar, route), (n, ex))| Finding {
            text: format!(
                "{} och {} avgör samma flöde åt olika håll utan företräde",
                name(bar),
                name(route)
            ),
            flows: *n,
            examples: ex.iter().filter_map(example).collect(),
        })
        .collect();
    let (never_in_force, never_applied) = never(model, t);
    let flows = space.size() * space.categories.len() as u128;
    Report {
        schema: "lagrum.analysis.v1",
        ruleset: format!("{} {} ({})", model.info.name, model.info.version, model.info.hash),
        space: SpaceOut {
            senders: space.senders.len(),
            recipients: space.recipients.len(),
            modes: space.modes.len(),
            purposes: space.purposes.len(),
            protections: space.protections.len(),
            fact_settings: space.facts.len(),
            dates: space.dates.len(),
            categories: space.categories.len(),
            requests: space.size().to_string(),
            flows: flows.to_string(),
            sampled: run.sampled,
            requests_searched: t.requests,
            flows_searched: t.flows,
            invalid: t.invalid,
            seconds: (run.seconds * 1000.0).round() / 1000.0,
            threads: run.threads,
            requests_per_second: rate(t.requests, run.seconds),
            flows_per_second: rate(t.flows, run.seconds),
        },
        outcomes: t.outcomes.clone(),
        conflicts,
        never_in_force,
        never_applied,
        gaps: gaps(model),
        dangling: dangling(model),
        queries: queries
            .iter()
            .zip(&t.found)
            .map(|(q, (n, ex))| QueryOut {
                query: q.text.clone(),
                flows: *n,
                examples: ex.iter().filter_map(example).collect(),
            })
            .collect(),
    }
}

fn version_name(model: &Model, v: VersionId) -> String {
    let Some(version) = model.versions.get(v.index()) else {
        return String::new();
    };
    let citation = model
        .provisions
        .get(version.provision.index())
        .map(|p| p.citation.as_str())
        .unwrap_or_default();
    format!("{citation} (från {})", version.from)
}

/// (b): versions never in force within the coverage, and versions that applied to no flow.
fn never(model: &Model, t: &Tally) -> (Vec<String>, Vec<String>) {
    let covers = model.info.covers_from;
    let mut before = Vec::new();
    let mut unused = Vec::new();
    for (k, v) in model.versions.iter().enumerate() {
        if matches!(v.body, Body::Plain) {
            continue;
        }
        let id = VersionId::from_index(k);
        if let (Some(c), Some(to)) = (covers, v.to)
            && to < c
        {
            before.push(version_name(model, id));
        } else if !t.applied.get(k).copied().unwrap_or(false) {
            unused.push(version_name(model, id));
        }
    }
    (before, unused)
}

/// (c): a day between two versions of a provision when neither is in force, or overlap.
fn gaps(model: &Model) -> Vec<String> {
    let mut out = Vec::new();
    for p in &model.provisions {
        let mut vs: Vec<_> = p
            .versions
            .iter()
            .filter_map(|v| model.versions.get(v.index()))
            .collect();
        vs.sort_by_key(|v| v.from);
        for pair in vs.windows(2) {
            let [a, b] = pair else { continue };
            match a.to {
                None => out.push(format!(
                    "{}: versionen från {} har inget slut men en ny börjar {}",
                    p.citation, a.from, b.from
                )),
                Some(to) if to >= b.from => out.push(format!(
                    "{}: versionerna från {} och {} överlappar",
                    p.citation, a.from, b.from
                )),
                Some(to) if to.next_day().is_some_and(|d| d < b.from) => {
                    out.push(format!(
                        "{}: ingen version i kraft mellan {to} och {}",
                        p.citation, b.from
                    ));
                }
                Some(_) => {}
            }
        }
    }
    out
}

/// (d): exclusions and priorities that name a provision with no version, or nothing at all.
fn dangling(model: &Model) -> Vec<String> {
    let index = PrecedenceIndex::new(&model.provisions, &model.versions);
    let no_versions =
        |p: lagrum_engine::model::ProvisionId| model.provisions.get(p.index()).is_none_or(|x| x.versions.is_empty());
    let cite = |p: lagrum_engine::model::ProvisionId| {
        model
            .provisions
            .get(p.index())
            .map(|x| x.citation.clone())
            .unwrap_or_default()
    };
    let mut out = Vec::new();
    for (k, v) in model.versions.iter().enumerate() {
        let Body::Rule(r) = &v.body else { continue };
        let me = version_name(model, VersionId::from_index(k));
        for e in &r.excludes {
            if no_versions(e.secrecy) {
                out.push(format!("{me} undantar {}, som saknar versioner", cite(e.secrecy)));
            }
        }
        if let Precedence::Over(list) = &r.precedes {
            for &p in list {
                if no_versions(p) || Precedence::Over(vec![p]).targets_in(v.provision, &index).is_empty() {
                    out.push(format!("{me} går före {}, som inte kan avgöra något", cite(p)));
                }
            }
        }
    }
    out
}

fn text(r: &Report) -> String {
    let s = &r.space;
    let mut out = format!("Regelverk: {}\n\n", r.ruleset);
    out.push_str(&format!(
        "Rymden: {} avsändare och {} mottagare (aktörer och enheter), {} sätt, {} syftesval (ensamma syften och par som reglerna skiljer på), {} skyddslägen, {} faktainställningar, {} datum; {} kategorier per begäran.\n",
        s.senders, s.recipients, s.modes, s.purposes, s.protections, s.fact_settings, s.dates, s.categories
    ));
    out.push_str(&format!(
        "  Hela rymden: {} begäranden, {} flöden.\n",
        s.requests, s.flows
    ));
    let how = if s.sampled {
        "ett jämnt spritt urval"
    } else {
        "hela rymden"
    };
    out.push_str(&format!(
        "  Prövat ({how}): {} begäranden, {} flöden på {:.2} s med {} trådar: {} begäranden/s, {} flöden/s.\n",
        s.requests_searched, s.flows_searched, s.seconds, s.threads, s.requests_per_second, s.flows_per_second
    ));
    let outcomes: Vec<String> = r.outcomes.iter().map(|(k, n)| format!("{k} {n}")).collect();
    out.push_str(&format!("  Utfall: {}\n", outcomes.join(", ")));
    list(
        &mut out,
        "(a) Motstridiga utfall utan företräde",
        r.conflicts.iter().map(|f| {
            let ex = f
                .examples
                .first()
                .and_then(|e| serde_json::to_string(e).ok())
                .unwrap_or_default();
            format!("{} — {} flöden, t.ex. {ex}", f.text, f.flows)
        }),
    );
    list(
        &mut out,
        "(b) Versioner som aldrig är i kraft inom regelverkets täckning",
        r.never_in_force.iter().cloned(),
    );
    let scope = if s.sampled { "i urvalet" } else { "i rymden" };
    list(
        &mut out,
        &format!("(b) Versioner som inte tillämpades på något flöde {scope}"),
        r.never_applied.iter().cloned(),
    );
    list(
        &mut out,
        "(c) Luckor och överlapp mellan versioner",
        r.gaps.iter().cloned(),
    );
    list(
        &mut out,
        "(d) Undantag och företräden som inte pekar på något",
        r.dangling.iter().cloned(),
    );
    for q in &r.queries {
        if q.flows == 0 {
            out.push_str(&format!(
                "\nFråga: {}\n  Aldrig: inget av {} flöden prövade ({how}).\n",
                q.query, s.flows_searched
            ));
        } else {
            out.push_str(&format!(
                "\nFråga: {}\n  Ja: {} flöden. Exempel (körbara begäranden):\n",
                q.query, q.flows
            ));
            for e in &q.examples {
                out.push_str(&format!("  {}\n", serde_json::to_string(e).unwrap_or_default()));
            }
        }
    }
    out
}

fn list(out: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    out.push_str(&format!(
        "\n{title}: {}\n",
        if lines.is_empty() {
            "inga".to_string()
        } else {
            lines.len().to_string()
        }
    ));
    for l in lines.iter().take(40) {
        out.push_str(&format!("  {l}\n"));
    }
    if lines.len() > 40 {
        out.push_str(&format!("  … och {} till (alla i --format json)\n", lines.len() - 40));
    }
}
