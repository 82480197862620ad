//! How much of a ruleset a set of decided requests exercised (`legal test --coverage`).
//!
//! The points counted: every version of a permission, duty, bar, secrecy or data
//! protection provision — reached (in force on a request's date and evaluated) and applied;
//! every node of every condition (`när`) — seen true and seen false; every exclusion
//! (`undantar`) and every priority (`går före`, resolved as the engine applies it) — used.
//! The coverage is the share of those points hit. Everything is read from the structured
//! decision and the model; nothing here knows a provision.

use lagrum_engine::cond::{self, Env, Reads, Truth};
use lagrum_engine::decision::{CheckKind, RouteStatus, SecrecyResult};
use lagrum_engine::model::{Body, ExprId, ExprNode, Model, Precedence, PrecedenceIndex, ProvisionId, VersionId};
use lagrum_engine::{Case, Decision};
use serde::Serialize;
use std::collections::{BTreeMap, HashMap};

/// What was seen of one version.
#[derive(Default, Clone)]
struct VersionTally {
    reached: u32,
    applied: u32,
    /// Why it did not apply, by the check or step that stopped it.
    rejected: BTreeMap<&'static str, u32>,
}

/// The tallies of one run of decisions.
pub struct Coverage<'m> {
    model: &'m Model,
    decisions: usize,
    versions: Vec<VersionTally>,
    /// By expression: seen false, unknown, true.
    conditions: Vec<[u32; 3]>,
    /// Root condition of each expression node's tree: the version it belongs to.
    owner: Vec<Option<VersionId>>,
    /// By (version, index into its exclusions).
    exclusions: BTreeMap<(VersionId, usize), u32>,
    /// By (version that goes first, index of the entry of its `går före` as written: one
    /// entry for `alla`).
    priorities: BTreeMap<(VersionId, usize), u32>,
    /// The entries of `går före` that make a version go before a provision.
    targets: HashMap<(VersionId, ProvisionId), Vec<usize>>,
}

fn word(kind: CheckKind) -> &'static str {
    match kind {
        CheckKind::Giver => "lämnas av",
        CheckKind::Receiver => "till",
        CheckKind::Mode => "sätt (begäran/eget initiativ)",
        CheckKind::Purpose => "syfte",
        CheckKind::Covers => "avser",
        CheckKind::AppliesAt => "gäller hos",
        CheckKind::AppliesIn => "gäller i",
        CheckKind::Condition(_) => "när",
    }
}

impl<'m> Coverage<'m> {
    /// Empty tallies for every point of the model.
    pub fn new(model: &'m Model) -> Coverage<'m> {
        let mut owner = vec![None; model.exprs.len()];
        let mut exclusions = BTreeMap::new();
        let mut priorities = BTreeMap::new();
        let mut targets: HashMap<(VersionId, ProvisionId), Vec<usize>> = HashMap::new();
        let index = PrecedenceIndex::new(&model.provisions, &model.versions);
        for (k, v) in model.versions.iter().enumerate() {
            let id = VersionId::from_index(k);
            for root in roots(&v.body) {
                mark_owner(model, root, id, &mut owner);
            }
            if let Body::Rule(r) = &v.body {
                for e in 0..r.excludes.len() {
                    exclusions.insert((id, e), 0);
                }
                for (j, entry) in entries(&r.precedes).into_iter().enumerate() {
                    priorities.insert((id, j), 0);
                    for p in entry.targets_in(v.provision, &index) {
                        targets.entry((id, p)).or_default().push(j);
                    }
                }
            }
        }
        Coverage {
            model,
            decisions: 0,
            versions: vec![VersionTally::default(); model.versions.len()],
            conditions: vec![[0; 3]; model.exprs.len()],
            owner,
            exclusions,
            priorities,
            targets,
        }
    }

    /// Adds what one decision exercised.
    pub fn record(&mut self, case: &Case, decision: &Decision) {
        self.decisions += 1;
        for (i, item) in decision.items.iter().enumerate() {
            let Some(it) = case.items.get(i) else { continue };
            let secret: Vec<ProvisionId> = {
                let mut s: Vec<ProvisionId> = item
                    .secrecy
                    .iter()
                    .filter(|s| s.result.protects())
                    .map(|s| s.provision)
                    .collect();
                s.sort_unstable();
                s.dedup();
                s
            };
            let env = Env {
                model: self.model,
                case,
                item: it,
                subject: case.subject_of(it),
                secrecy: &secret,
                post: None,
            };
            let before = Env { secrecy: &[], ..env };
            for s in &item.secrecy {
                let Some(v) = s.version else { continue };
                let stop = match s.result {
                    SecrecyResult::Applies | SecrecyResult::Assumed => None,
                    SecrecyResult::OutOfScope => Some(first_false(s.checks.iter())),
                    SecrecyResult::NotInForce => continue,
                };
                self.tally(v, stop);
                self.conditions_of(&before, s.checks.iter());
            }
            for r in &item.routes {
                self.route(&env, decision, r);
            }
            for d in &item.data_protection {
                self.tally(d.version, None);
                self.conditions_of(&env, d.checks.iter());
            }
        }
    }

    fn route(&mut self, env: &Env<'_>, decision: &Decision, r: &lagrum_engine::decision::RouteFinding) {
        let Some(v) = r.version else { return };
        let stop = match r.status {
            RouteStatus::NotInForce { .. } => return,
            RouteStatus::Applies => None,
            RouteStatus::Rejected => Some(first_false(decision.checks_of(r))),
            RouteStatus::Undetermined => Some("ett faktum saknas"),
            RouteStatus::Excluded { secrecy, by } => {
                self.excluded(v, secrecy, by);
                Some("undantar sekretessen")
            }
            RouteStatus::NotCovering { .. } => Some("bryter inte sekretessen"),
            RouteStatus::SecrecyUnknown => Some("sekretessen är okänd"),
            RouteStatus::Defeated { by } => {
                for &j in self
                    .targets
                    .get(&(by, r.provision))
                    .map(Vec::as_slice)
                    .unwrap_or_default()
                {
                    if let Some(n) = self.priorities.get_mut(&(by, j)) {
                        *n += 1;
                    }
                }
                Some("annan bestämmelse går före")
            }
            RouteStatus::Conflict { .. } => Some("konflikt utan företräde"),
        };
        self.tally(v, stop);
        let checks: Vec<_> = decision.checks_of(r).cloned().collect();
        self.conditions_of(env, checks.iter());
    }

    fn excluded(&mut self, v: VersionId, secrecy: ProvisionId, by: Option<ProvisionId>) {
        let Some(Body::Rule(rule)) = self.model.versions.get(v.index()).map(|x| &x.body) else {
            return;
        };
        for (k, e) in rule.excludes.iter().enumerate() {
            if e.secrecy == secrecy
                && e.by == by
                && let Some(n) = self.exclusions.get_mut(&(v, k))
            {
                *n += 1;
            }
        }
    }

    fn tally(&mut self, v: VersionId, stop: Option<&'static str>) {
        let Some(t) = self.versions.get_mut(v.index()) else {
            return;
        };
        t.reached += 1;
        match stop {
            None => t.applied += 1,
            Some(why) => *t.rejected.entry(why).or_insert(0) += 1,
        }
    }

    /// Every node of every condition the checks evaluated: the root with the check's own
    /// result, the nodes under it evaluated again with the same facts.
    fn conditions_of<'c>(&mut self, env: &Env<'_>, checks: impl Iterator<Item = &'c lagrum_engine::decision::Check>) {
        for c in checks {
            if let CheckKind::Condition(e) = c.kind {
                self.seen(e, c.truth);
                for child in children(self.model, e) {
                    self.walk(env, child);
                }
            }
        }
    }

    fn walk(&mut self, env: &Env<'_>, e: ExprId) {
        let truth = cond::eval(env, e, &mut Reads::new());
        self.seen(e, truth);
        for child in children(self.model, e) {
            self.walk(env, child);
        }
    }

    fn seen(&mut self, e: ExprId, truth: Truth) {
        if let Some(slot) = self
            .conditions
            .get_mut(e.index())
            .and_then(|c| c.get_mut(truth as usize))
        {
            *slot += 1;
        }
    }
}

fn first_false<'c>(mut checks: impl Iterator<Item = &'c lagrum_engine::decision::Check>) -> &'static str {
    checks
        .find(|c| c.truth == Truth::False)
        .map_or("villkor", |c| word(c.kind))
}

/// A `går före` as written, one entry per named provision (`alla` is one entry).
fn entries(p: &Precedence) -> Vec<Precedence> {
    match p {
        Precedence::None => Vec::new(),
        Precedence::All => vec![Precedence::All],
        Precedence::Over(list) => list.iter().map(|&x| Precedence::Over(vec![x])).collect(),
    }
}

fn roots(body: &Body) -> Vec<ExprId> {
    match body {
        Body::Rule(r) => r.when.into_iter().collect(),
        Body::Secrecy(s) => s.when.into_iter().collect(),
        Body::DataProtection(d) => d.applies_when.into_iter().chain([d.permitted_when]).collect(),
        Body::Plain => Vec::new(),
    }
}

fn children(model: &Model, e: ExprId) -> Vec<ExprId> {
    match model.exprs.get(e.index()).map(|x| &x.node) {
        Some(ExprNode::And(p) | ExprNode::Or(p)) => p.clone(),
        Some(ExprNode::Not(x)) => vec![*x],
        _ => Vec::new(),
    }
}

fn mark_owner(model: &Model, e: ExprId, v: VersionId, owner: &mut [Option<VersionId>]) {
    if let Some(slot) = owner.get_mut(e.index()) {
        *slot = Some(v);
    }
    for c in children(model, e) {
        mark_owner(model, c, v, owner);
    }
}

/// The coverage report (`lagrum.coverage.v1`).
#[derive(Serialize)]
pub struct Report {
    pub schema: &'static str,
    pub decisions: usize,
    /// The share of all points hit, in percent.
    pub percent: f64,
    pub parts: BTreeMap<&'static str, Part>,
    pub versions: Vec<VersionOut>,
    pub conditions: Vec<ConditionOut>,
    pub exclusions: Vec<LinkOut>,
    pub priorities: Vec<LinkOut>,
}

/// Points and hits of one kind.
#[derive(Serialize, Clone, Copy, Default)]
pub struct Part {
    pub points: usize,
    pub hit: usize,
}

#[derive(Serialize)]
pub struct VersionOut {
    pub provision: String,
    pub citation: String,
    pub from: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub to: Option<String>,
    /// `applied`, `rejected` or `never_reached`.
    pub status: &'static str,
    pub reached: u32,
    pub applied: u32,
    pub rejected: BTreeMap<&'static str, u32>,
}

#[derive(Serialize)]
pub struct ConditionOut {
    pub citation: String,
    pub from: String,
    pub text: String,
    #[serde(rename = "true")]
    pub seen_true: u32,
    #[serde(rename = "false")]
    pub seen_false: u32,
    pub unknown: u32,
}

/// An exclusion or a priority and how often it decided something.
#[derive(Serialize)]
pub struct LinkOut {
    pub citation: String,
    pub from: String,
    pub names: String,
    pub used: u32,
}

impl Coverage<'_> {
    fn citation(&self, v: VersionId) -> (String, String) {
        let version = self.model.versions.get(v.index());
        let provision = version.and_then(|x| self.model.provisions.get(x.provision.index()));
        (
            provision.map(|p| p.citation.clone()).unwrap_or_default(),
            version.map(|x| x.from.to_string()).unwrap_or_default(),
        )
    }

    fn provision(&self, p: ProvisionId) -> String {
        self.model
            .provisions
            .get(p.index())
            .map(|p| p.citation.clone())
            .unwrap_or_default()
    }

    /// The report, every point listed.
    pub fn report(&self) -> Report {
        let mut parts: BTreeMap<&'static str, Part> = BTreeMap::new();
        let versions = self.versions_out(&mut parts);
        let conditions = self.conditions_out(&mut parts);
        let exclusions = self.links(self.exclusions.iter().map(|(&(v, k), &n)| {
            let name = match self.model.versions.get(v.index()).map(|x| &x.body) {
                Some(Body::Rule(r)) => r.excludes.get(k).map(|e| self.provision(e.secrecy)),
                _ => None,
            };
            (v, name.unwrap_or_default(), n)
        }));
        let priorities = self.links(self.priorities.iter().map(|(&(v, j), &n)| {
            let name = match self.model.versions.get(v.index()).map(|x| &x.body) {
                Some(Body::Rule(r)) => match &r.precedes {
                    Precedence::Over(list) => list.get(j).map(|p| self.provision(*p)),
                    Precedence::All => Some("alla".to_string()),
                    Precedence::None => None,
                },
                _ => None,
            };
            (v, name.unwrap_or_default(), n)
        }));
        for (key, list) in [("exclusions", &exclusions), ("priorities", &priorities)] {
            parts.insert(
                key,
                Part {
                    points: list.len(),
                    hit: list.iter().filter(|l| l.used > 0).count(),
                },
            );
        }
        let (points, hit) = parts.values().fold((0, 0), |(p, h), x| (p + x.points, h + x.hit));
        Report {
            schema: "lagrum.coverage.v1",
            decisions: self.decisions,
            percent: percent(hit, points),
            parts,
            versions,
            conditions,
            exclusions,
            priorities,
        }
    }

    fn versions_out(&self, parts: &mut BTreeMap<&'static str, Part>) -> Vec<VersionOut> {
        let mut reached = Part::default();
        let mut applied = Part::default();
        let mut out = Vec::new();
        for (k, t) in self.versions.iter().enumerate() {
            let Some(v) = self.model.versions.get(k) else { continue };
            if matches!(v.body, Body::Plain) {
                continue;
            }
            let (citation, from) = self.citation(VersionId::from_index(k));
            reached.points += 1;
            applied.points += 1;
            reached.hit += usize::from(t.reached > 0);
            applied.hit += usize::from(t.applied > 0);
            let status = match (t.reached, t.applied) {
                (0, _) => "never_reached",
                (_, 0) => "rejected",
                _ => "applied",
            };
            out.push(VersionOut {
                provision: self
                    .model
                    .provisions
                    .get(v.provision.index())
                    .map(|p| p.id.clone())
                    .unwrap_or_default(),
                citation,
                from,
                to: v.to.map(|d| d.to_string()),
                status,
                reached: t.reached,
                applied: t.applied,
                rejected: t.rejected.clone(),
            });
        }
        parts.insert("versions_reached", reached);
        parts.insert("versions_applied", applied);
        out
    }

    fn conditions_out(&self, parts: &mut BTreeMap<&'static str, Part>) -> Vec<ConditionOut> {
        let mut part = Part::default();
        let mut out = Vec::new();
        for (k, seen) in self.conditions.iter().enumerate() {
            let Some(Some(v)) = self.owner.get(k) else { continue };
            let text = self.model.exprs.get(k).map(|e| e.text.clone()).unwrap_or_default();
            let (citation, from) = self.citation(*v);
            part.points += 2;
            part.hit += usize::from(seen[2] > 0) + usize::from(seen[0] > 0);
            out.push(ConditionOut {
                citation,
                from,
                text,
                seen_true: seen[2],
                seen_false: seen[0],
                unknown: seen[1],
            });
        }
        parts.insert("conditions", part);
        out
    }

    fn links(&self, it: impl Iterator<Item = (VersionId, String, u32)>) -> Vec<LinkOut> {
        it.map(|(v, names, used)| {
            let (citation, from) = self.citation(v);
            LinkOut {
                citation,
                from,
                names,
                used,
            }
        })
        .collect()
    }
}

fn percent(hit: usize, points: usize) -> f64 {
    if points == 0 {
        return 100.0;
    }
    // Counts are far below 2^52: the conversion is exact.
    #[allow(clippy::cast_precision_loss, reason = "small counts")]
    let p = hit as f64 * 100.0 / points as f64;
    (p * 10.0).round() / 10.0
}

/// The report as text for people: the figures, then every point not hit.
pub fn text(r: &Report) -> String {
    let mut out = format!(
        "Täckning: {:.1} % av {} punkter ({} beslut)\n",
        r.percent,
        total(r),
        r.decisions
    );
    let names: HashMap<&str, &str> = [
        ("versions_reached", "versioner som nåtts"),
        ("versions_applied", "versioner som tillämpats"),
        ("conditions", "villkor sedda sanna och falska"),
        ("exclusions", "undantag som använts"),
        ("priorities", "företräden som använts"),
    ]
    .into_iter()
    .collect();
    for (k, p) in &r.parts {
        let name = names.get(k).copied().unwrap_or(k);
        out.push_str(&format!(
            "  {name}: {} av {} ({:.1} %)\n",
            p.hit,
            p.points,
            percent(p.hit, p.points)
        ));
    }
    let never: Vec<_> = r.versions.iter().filter(|v| v.status == "never_reached").collect();
    section(
        &mut out,
        "Aldrig nådda (inte i kraft på något datum eller aldrig prövade)",
        never.iter().map(|v| format!("{} (från {})", v.citation, v.from)),
    );
    let rejected = r.versions.iter().filter(|v| v.status == "rejected");
    section(
        &mut out,
        "Nådda men aldrig tillämpade (och vad som stoppade dem)",
        rejected.map(|v| {
            let why: Vec<String> = v.rejected.iter().map(|(k, n)| format!("{k} {n}")).collect();
            format!("{} (från {}): {}", v.citation, v.from, why.join(", "))
        }),
    );
    let half = r.conditions.iter().filter(|c| c.seen_true == 0 || c.seen_false == 0);
    section(
        &mut out,
        "Villkor som inte setts både sanna och falska",
        half.map(|c| {
            format!(
                "{} (från {}): {} — sant {}, falskt {}, okänt {}",
                c.citation, c.from, c.text, c.seen_true, c.seen_false, c.unknown
            )
        }),
    );
    let unused = |l: &&LinkOut| l.used == 0;
    section(
        &mut out,
        "Undantag som aldrig använts",
        r.exclusions
            .iter()
            .filter(unused)
            .map(|l| format!("{} (från {}) undantar {}", l.citation, l.from, l.names)),
    );
    section(
        &mut out,
        "Företräden som aldrig använts",
        r.priorities
            .iter()
            .filter(unused)
            .map(|l| format!("{} (från {}) går före {}", l.citation, l.from, l.names)),
    );
    out
}

fn total(r: &Report) -> usize {
    r.parts.values().map(|p| p.points).sum()
}

fn section(out: &mut String, title: &str, lines: impl Iterator<Item = String>) {
    let lines: Vec<String> = lines.collect();
    if lines.is_empty() {
        return;
    }
    out.push_str(&format!("\n{title} ({}):\n", lines.len()));
    for l in lines {
        out.push_str(&format!("  {l}\n"));
    }
}
