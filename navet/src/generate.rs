//! Synthetic Navet files for tests and measurements. The persons are made up; the records
//! follow the shapes of the seed's examples (change posts, total posts with blocks,
//! aviseringsposter), half of them written in Latin-1, with a malformed record now and then.

use lagrum_dsl::date::Date;
use lagrum_dsl::model::IdKind;
use lagrum_engine::identity::IdentityNumber;
use std::io::{self, Write};

/// What was written.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Generated {
    /// Well-formed records.
    pub records: u64,
    /// Records broken on purpose.
    pub malformed: u64,
    pub bytes: u64,
}

/// A person who appears in every 1000th record of a generated file, with sekretessmarkering
/// and skyddad folkbokföring set (the seed's example number).
pub const KNOWN_PERSON: &str = "193801248471";

/// A small, fast, deterministic random source (SplitMix64).
#[derive(Debug, Clone)]
struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 = self.0.wrapping_add(0x9E37_79B9_7F4A_7C15);
        let mut z = self.0;
        z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
        z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
        z ^ (z >> 31)
    }

    fn below(&mut self, n: u64) -> u64 {
        if n == 0 { 0 } else { self.next() % n }
    }

    fn pick<'a>(&mut self, items: &[&'a str]) -> &'a str {
        let i = usize::try_from(self.below(items.len() as u64)).unwrap_or(0);
        items.get(i).copied().unwrap_or("")
    }
}

const FIRST: &[&str] = &["Bertil", "Karim", "Åsa", "Örjan", "Märta", "Lars", "Fatima", "Jöns"];
const LAST: &[&str] = &["Larsson", "Ka", "Öberg", "Åkesson", "Nilsson", "Hägg", "Berg"];
const STREET: &[&str] = &["STORGATAN 1", "ÅSVÄGEN 12 LGH 1102", "PÅ KOMMUNEN SKRIVEN", "BOX 44"];
const CITY: &[&str] = &["GÖTEBORG", "NORA", "MALMÖ", "ÖREBRO", "LULEÅ"];

fn person(rng: &mut Rng) -> String {
    let year = 1920 + u16::try_from(rng.below(100)).unwrap_or(0);
    let month = 1 + u8::try_from(rng.below(12)).unwrap_or(0);
    let day = 1 + u8::try_from(rng.below(28)).unwrap_or(0);
    let serial = u16::try_from(rng.below(1000)).unwrap_or(0);
    let kind = if rng.below(20) == 0 {
        IdKind::Samordningsnummer
    } else {
        IdKind::Personnummer
    };
    Date::new(year, month, day)
        .and_then(|d| IdentityNumber::from_parts(d, serial, kind))
        .map(|n| n.digits().to_string())
        .unwrap_or_else(|| KNOWN_PERSON.to_string())
}

fn flag(rng: &mut Rng) -> &'static str {
    if rng.below(2) == 0 { "J" } else { "$" }
}

/// Writes one record's text (UTF-8) into `buf`.
fn record(rng: &mut Rng, index: u64, buf: &mut String) -> bool {
    let number = if index.is_multiple_of(1000) {
        KNOWN_PERSON.to_string()
    } else {
        person(rng)
    };
    let post_id = format!(
        "2024.{:03}.{:03}.{:03}",
        index / 1_000_000 % 1000,
        index / 1000 % 1000,
        index % 1000
    );
    buf.push_str("#POST_START\n");
    let shape = if index.is_multiple_of(1000) { 9 } else { rng.below(10) };
    let broken = index % 997 == 500;
    match shape {
        // Change posts (examples 1–6).
        0..=3 => change_post(rng, &post_id, &number, buf),
        // Total posts and aviseringsposter (examples 7 and 8).
        _ => total_post(rng, shape, &post_id, &number, broken, buf),
    }
    if broken && shape <= 3 {
        buf.push_str("#UP 1003 J\n");
    }
    buf.push_str("#POST_SLUT\n");
    !broken
}

/// A change post: the person's number and one or both protection flags.
fn change_post(rng: &mut Rng, post_id: &str, number: &str, buf: &mut String) {
    use std::fmt::Write as _;
    let _ = writeln!(buf, "#POST_ID {post_id}");
    let _ = writeln!(buf, "#UP 01001 {number}");
    match rng.below(3) {
        0 => {
            let _ = writeln!(buf, "#UP 01003 {}", flag(rng));
        }
        1 => {
            let _ = writeln!(buf, "#UP 01020 {}", flag(rng));
        }
        _ => {
            let _ = writeln!(buf, "#UP 01003 {}", flag(rng));
            let _ = writeln!(buf, "#UP 01020 {}", flag(rng));
        }
    }
}

/// A total post or an aviseringspost (`shape` 4–9, from 7 on without a post id); `shape` 9
/// and about one in ten others are protected. A broken one lacks the `02999` line.
fn total_post(rng: &mut Rng, shape: u64, post_id: &str, number: &str, broken: bool, buf: &mut String) {
    use std::fmt::Write as _;
    if shape < 7 {
        let _ = writeln!(buf, "#POST_ID {post_id}");
    }
    let protected = shape == 9 || rng.below(10) == 0;
    let _ = writeln!(buf, "#UP 01001 {number}");
    if protected {
        buf.push_str("#UP 01003 J\n");
    }
    let _ = writeln!(buf, "#UP 01010 {}", 19_000_000 + rng.below(1_000_000));
    let _ = writeln!(buf, "#UP 01012 {}", rng.pick(FIRST));
    let _ = writeln!(buf, "#UP 01014 {}", rng.pick(LAST));
    if protected {
        buf.push_str("#UP 01020 J\n");
    }
    let _ = writeln!(buf, "#UP 01021 {}", 20_000_000 + rng.below(250_000));
    buf.push_str("#UP 01022 01\n#UP 01023 82\n");
    let _ = writeln!(
        buf,
        "#UP 01025 {}",
        if protected {
            "PÅ KOMMUNEN SKRIVEN"
        } else {
            rng.pick(STREET)
        }
    );
    buf.push_str("#UP 01028 0\n#UP 01034 00000\n");
    if protected {
        buf.push_str(
            "#UP 01051 FÖRMEDLINGSUPPDRAG SKATTEVERKET\n#UP 01052 KONTOR 123\n#UP 01053 BOX 2820\n#UP 01054 40320\n#UP 01055 GÖTEBORG\n",
        );
    }
    buf.push_str("#UP 01081 G\n#UP 01082 19990101\n");
    let _ = writeln!(buf, "#UP 01092 {}", rng.pick(CITY));
    let _ = writeln!(buf, "#UP 02000\n#UP 02001 {}\n#UP 02003 M", person(rng));
    if !broken {
        buf.push_str("#UP 02999\n");
    }
    buf.push_str("#UP 03000\n#UP 03001 SE\n#UP 03002 00000000\n#UP 03999\n");
    buf.push_str("#UP 04000\n#UP 04001 20020202\n#UP 04002 01\n#UP 04003 82\n");
    let _ = writeln!(buf, "#UP 04005 {}", rng.pick(STREET));
    buf.push_str("#UP 04008 FB\n#UP 04999\n");
}

/// Writes records until at least `target_bytes` are written. Odd records are written in
/// Latin-1, even ones in UTF-8; about one record in a thousand is malformed.
pub fn write<W: Write>(mut out: W, target_bytes: u64, seed: u64) -> io::Result<Generated> {
    let mut rng = Rng(seed);
    let mut generated = Generated::default();
    let mut text = String::with_capacity(2048);
    let mut bytes = Vec::with_capacity(2048);
    let mut index = 0u64;
    while generated.bytes < target_bytes {
        text.clear();
        if record(&mut rng, index, &mut text) {
            generated.records += 1;
        } else {
            generated.malformed += 1;
        }
        let chunk: &[u8] = if index % 2 == 1 {
            bytes.clear();
            bytes.extend(text.chars().map(|c| u8::try_from(u32::from(c)).unwrap_or(b'?')));
            &bytes
        } else {
            text.as_bytes()
        };
        out.write_all(chunk)?;
        generated.bytes += chunk.len() as u64;
        index += 1;
    }
    out.flush()?;
    Ok(generated)
}
