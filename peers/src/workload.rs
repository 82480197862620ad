//! The shared workload: generated one-item disclosure requests inside the slice (LUFFA 2 §,
//! LUB 4–6 §§, OSL 10 kap. 15 a and 27 §§), from a fixed seed. Every engine reads the same
//! `Req`; each turns it into its own input once, before timing.

/// A small, fast, reproducible generator (xorshift64*); no dependency, same sequence everywhere.
pub struct Rng(u64);

impl Rng {
    pub fn new(seed: u64) -> Rng {
        Rng(seed.max(1))
    }
    pub fn next(&mut self) -> u64 {
        self.0 ^= self.0 >> 12;
        self.0 ^= self.0 << 25;
        self.0 ^= self.0 >> 27;
        self.0.wrapping_mul(0x2545_F491_4F6C_DD1D)
    }
    /// A number in `0..n` (n > 0).
    pub fn below(&mut self, n: usize) -> usize {
        (self.next() % n.max(1) as u64) as usize
    }
    pub fn pick<T: Copy>(&mut self, xs: &[T]) -> Option<T> {
        xs.get(self.below(xs.len())).copied()
    }
    /// True with probability `pct` percent.
    pub fn chance(&mut self, pct: u64) -> bool {
        self.next() % 100 < pct
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Mode {
    Request,
    OwnInitiative,
}

/// The subject's protection markers: checked and none, one marker, or not known.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Protection {
    None,
    Marker(&'static str),
    Unknown,
}

/// A secrecy provision by its ruleset id (`osl_28_1a`), and its OSL chapter (28).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Secrecy {
    pub id: &'static str,
    pub chapter: i64,
}

impl Secrecy {
    pub fn new(id: &'static str) -> Secrecy {
        let digits: String = id
            .trim_start_matches("osl_")
            .chars()
            .take_while(char::is_ascii_digit)
            .collect();
        Secrecy {
            id,
            chapter: digits.parse().unwrap_or(0),
        }
    }
}

/// One disclosure request with one item about one person.
#[derive(Debug, Clone)]
pub struct Req {
    /// `ÅÅÅÅ-MM-DD`.
    pub date: String,
    /// The same date as a number, `ÅÅÅÅMMDD`, for the peers' comparisons.
    pub day: i64,
    pub sender: &'static str,
    pub unit: Option<&'static str>,
    /// The activity (verksamhet) in which the sender holds the item.
    pub activity: &'static str,
    pub recipient: &'static str,
    pub mode: Mode,
    pub purposes: Vec<&'static str>,
    pub category: &'static str,
    /// The item's secrecy, all of it: what the sender holds it under and what it adds.
    pub secrecy: Vec<Secrecy>,
    pub protection: Protection,
}

/// A sender: actor, unit, the activity in which it holds the item, and the secrecy that
/// protects its information there: of a person (`personal`) and of a person's finances
/// (`economic`). Read from the rulesets (the secrecy provisions' scopes); the agreement run
/// checks that Lagrum finds exactly this secrecy on every item.
pub struct Sender {
    pub actor: &'static str,
    pub unit: Option<&'static str>,
    pub activity: &'static str,
    pub personal: &'static [&'static str],
    pub economic: &'static [&'static str],
}

const fn sender(
    actor: &'static str,
    unit: Option<&'static str>,
    activity: &'static str,
    personal: &'static [&'static str],
    economic: &'static [&'static str],
) -> Sender {
    Sender {
        actor,
        unit,
        activity,
        personal,
        economic,
    }
}

pub const SENDERS: &[Sender] = &[
    sender(
        "FK",
        None,
        "socialförsäkring",
        &["osl_28_1", "osl_28_1a", "osl_34_10a"],
        &["osl_28_1", "osl_34_10a"],
    ),
    sender(
        "PM",
        None,
        "socialförsäkring",
        &["osl_28_1"],
        &["osl_28_1", "osl_28_5_p1"],
    ),
    sender(
        "IVO",
        None,
        "socialtjänsttillsyn",
        &["osl_25_8a_2", "osl_26_1"],
        &["osl_26_1"],
    ),
    sender("AF", None, "arbetsmarknadspolitik", &["osl_28_11"], &["osl_28_11"]),
    sender(
        "AKASSA",
        None,
        "arbetslöshetsförsäkring",
        &["osl_28_13"],
        &["osl_28_13"],
    ),
    sender("CSN", None, "utlåning_allmänna_medel", &["osl_28_10"], &["osl_28_10"]),
    sender("BV", None, "näringslivstillsyn", &["osl_30_23_p2"], &["osl_30_23_p2"]),
    sender(
        "KFM",
        None,
        "säkerhetsprövning",
        &["osl_34_1", "osl_34_1a", "osl_34_8", "osl_35_1"],
        &["osl_34_1", "osl_34_1a", "osl_34_8", "osl_35_1"],
    ),
    sender("KV", None, "säkerhetsprövning", &["osl_35_1"], &["osl_35_1"]),
    sender("LM", None, "uppdragsverksamhet", &["osl_31_12"], &["osl_31_12"]),
    sender("TRV", None, "säkerhetsprövning", &["osl_35_1"], &["osl_35_1"]),
    sender(
        "FRA",
        None,
        "försvarsunderrättelseverksamhet",
        &["osl_38_4"],
        &["osl_38_4"],
    ),
    sender(
        "MIG",
        None,
        "bistånd_asylsökande",
        &["osl_26_1", "osl_37_6"],
        &["osl_26_1"],
    ),
    sender("KOM", Some("socialnämnd"), "socialtjänst", &["osl_26_1"], &["osl_26_1"]),
    sender("REG", Some("regionstyrelse"), "färdtjänst", &["osl_29_6"], &[]),
    sender(
        "SKV",
        Some("beskattning"),
        "beskattning",
        &[
            "osl_27_1",
            "osl_27_1_2",
            "osl_27_2",
            "osl_27_2_2",
            "osl_27_5_1",
            "osl_28_13a",
            "osl_37_6",
        ],
        &[
            "osl_27_1",
            "osl_27_1_2",
            "osl_27_2",
            "osl_27_2_2",
            "osl_27_5_1",
            "osl_28_13a",
        ],
    ),
];

/// Recipients: the crime-fighting authorities, the LUFFA circle and a few outside both.
pub const RECIPIENTS: &[&str] = &[
    "PMY", "EBM", "ÅM", "SKV", "TV", "KBV", "SÄPO", "FK", "CSN", "AF", "MIG", "PM", "KOM", "AKASSA", "EHM", "BV",
    "IVO", "KFM", "TRV", "LM",
];

pub const PURPOSES: &[&str] = &[
    "felaktig_utbetalning",
    "förebygga_brott",
    "utreda_brott",
    "lagföra_brott",
    "fusk_regelbrott",
    "ärendehandläggning",
];

/// Categories: (id, economic, contact details).
pub const CATEGORIES: &[(&str, bool, bool)] = &[
    ("kontaktuppgift", false, true),
    ("bostadsadress", false, true),
    ("förmånsuppgift", true, false),
    ("inkomstuppgift", true, false),
    ("ärendeuppgift", false, false),
    ("elevuppgift", false, false),
];

/// Secrecy the sender may state on top (a classification of its own): some excluded by
/// every list, some by some, one in the public interest (18 kap.) that OSL 10 kap. 15 a §
/// does not break.
pub const EXTRA_SECRECY: &[&str] = &[
    "osl_18_1",
    "osl_24_2a",
    "osl_25_1",
    "osl_26_1",
    "osl_26_1a_1",
    "osl_29_1",
    "osl_35_1",
    "osl_40_2",
    "osl_33_4a",
];

const MARKERS: &[&str] = &["sekretessmarkering", "skyddad_folkbokföring"];

/// Days from 2025-04-01 (LUB) to 2026-12-31: across LUFFA's new wording (2025-09-08) and
/// OSL 10 kap. 15 a § (2025-12-01).
fn dates() -> Vec<(String, i64)> {
    let mut out = Vec::new();
    for (year, first_month) in [(2025, 4), (2026, 1)] {
        for month in first_month..=12 {
            let days = match month {
                2 => 28,
                4 | 6 | 9 | 11 => 30,
                _ => 31,
            };
            for day in 1..=days {
                out.push((
                    format!("{year:04}-{month:02}-{day:02}"),
                    year * 10_000 + month * 100 + day,
                ));
            }
        }
    }
    out
}

/// The secrecy of an item at its sender: the activity's own, OSL 21 kap. 3 § for the
/// contact details of a person whose protection is marked or not known, and 3 a § when the
/// person may have skyddad folkbokföring.
fn held_secrecy(sender: &Sender, economic: bool, contact: bool, protection: Protection) -> Vec<Secrecy> {
    let own = if economic { sender.economic } else { sender.personal };
    let mut out: Vec<Secrecy> = own.iter().map(|id| Secrecy::new(id)).collect();
    if contact && protection != Protection::None {
        out.push(Secrecy::new("osl_21_3_1"));
    }
    if contact
        && matches!(
            protection,
            Protection::Marker("skyddad_folkbokföring") | Protection::Unknown
        )
    {
        out.push(Secrecy::new("osl_21_3a"));
    }
    out
}

/// `n` requests from `seed`.
pub fn generate(seed: u64, n: usize) -> Vec<Req> {
    let mut rng = Rng::new(seed);
    let days = dates();
    let mut out = Vec::with_capacity(n);
    while out.len() < n {
        let Some(sender) = SENDERS.get(rng.below(SENDERS.len())) else {
            continue;
        };
        let recipient = rng.pick(RECIPIENTS).unwrap_or("PMY");
        if recipient == sender.actor {
            continue;
        }
        let (date, day) = days.get(rng.below(days.len())).cloned().unwrap_or_default();
        let mut purposes = vec![rng.pick(PURPOSES).unwrap_or("utreda_brott")];
        if rng.chance(30) {
            let p = rng.pick(PURPOSES).unwrap_or("utreda_brott");
            if !purposes.contains(&p) {
                purposes.push(p);
            }
        }
        let protection = match rng.below(10) {
            0..=5 => Protection::None,
            6 | 7 => Protection::Marker(rng.pick(MARKERS).unwrap_or("sekretessmarkering")),
            _ => Protection::Unknown,
        };
        let (category, economic, contact) = rng.pick(CATEGORIES).unwrap_or(("kontaktuppgift", false, true));
        let mut secrecy = held_secrecy(sender, economic, contact, protection);
        if rng.chance(25) {
            let extra = Secrecy::new(rng.pick(EXTRA_SECRECY).unwrap_or("osl_25_1"));
            if !secrecy.contains(&extra) {
                secrecy.push(extra);
            }
        }
        out.push(Req {
            date,
            day,
            sender: sender.actor,
            unit: sender.unit,
            activity: sender.activity,
            recipient,
            mode: if rng.chance(70) {
                Mode::Request
            } else {
                Mode::OwnInitiative
            },
            purposes,
            category,
            secrecy,
            protection,
        });
    }
    out
}
