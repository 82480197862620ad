//! Measures the parser on a generated Navet file of 100 MB (or the size given):
//! records per second, megabytes per second and peak memory (VmHWM on Linux).
//!
//! ```sh
//! cargo run --release -p lagrum-navet --example navet_throughput -- [MB] [FILE]
//! ```
//!
//! The file is written to FILE (default: a file in the temporary directory, removed after)
//! in a streaming way, then read twice: once through the parser alone, once into a register
//! that keeps a single person (what `legal check --navet` does). Peak memory stays at a few
//! megabytes whatever the size: the parser holds one record at a time.

use lagrum_navet::{Error, PostKind, Records, Register, generate};
use std::fs::File;
use std::io::{BufReader, BufWriter};
use std::path::PathBuf;
use std::time::Instant;

fn peak_rss_kib() -> Option<u64> {
    let status = std::fs::read_to_string("/proc/self/status").ok()?;
    let line = status.lines().find(|l| l.starts_with("VmHWM:"))?;
    line.split_whitespace().nth(1)?.parse().ok()
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut args = std::env::args().skip(1);
    let mb: u64 = args.next().map(|a| a.parse()).transpose()?.unwrap_or(100);
    let (path, remove) = match args.next() {
        Some(p) => (PathBuf::from(p), false),
        None => (
            std::env::temp_dir().join(format!("lagrum-navet-{}.navet", std::process::id())),
            true,
        ),
    };

    let started = Instant::now();
    let generated = generate::write(BufWriter::new(File::create(&path)?), mb << 20, 2024)?;
    println!(
        "generated {} ({} MB): {} records, {} malformed on purpose, in {:.1} s; peak memory {} KiB",
        path.display(),
        generated.bytes >> 20,
        generated.records,
        generated.malformed,
        started.elapsed().as_secs_f64(),
        peak_rss_kib().unwrap_or(0)
    );

    let started = Instant::now();
    let mut records = Records::new(BufReader::with_capacity(1 << 16, File::open(&path)?));
    let (mut ok, mut bad) = (0u64, 0u64);
    for item in records.by_ref() {
        match item {
            Ok(_) => ok += 1,
            Err(Error::Malformed(_)) => bad += 1,
            Err(Error::Io(e)) => return Err(e.into()),
        }
    }
    let secs = started.elapsed().as_secs_f64();
    let stats = records.stats();
    println!(
        "parsed: {ok} records + {bad} malformed in {secs:.2} s = {:.0} records/s, {:.1} MB/s ({} lines, {} in Latin-1); peak memory {} KiB",
        (ok + bad) as f64 / secs,
        stats.bytes as f64 / (1u64 << 20) as f64 / secs,
        stats.lines,
        stats.latin1_lines,
        peak_rss_kib().unwrap_or(0)
    );
    if ok != generated.records || bad != generated.malformed {
        return Err(format!("expected {} + {} records", generated.records, generated.malformed).into());
    }

    let started = Instant::now();
    let known = lagrum_engine::identity::IdentityNumber::parse(generate::KNOWN_PERSON)?;
    let mut register = Register::only([known], PostKind::Change);
    register.read(BufReader::with_capacity(1 << 16, File::open(&path)?), |_| {})?;
    let secs = started.elapsed().as_secs_f64();
    let person = register.get(&known);
    println!(
        "register (one person, as `legal check --navet`): {:.2} s = {:.0} records/s; {} records about {}, protected: {:?}; peak memory {} KiB",
        secs,
        (ok + bad) as f64 / secs,
        person.map_or(0, |p| p.records),
        known.masked(),
        person.map(|p| p.protected()),
        peak_rss_kib().unwrap_or(0)
    );
    if remove {
        std::fs::remove_file(&path)?;
    }
    Ok(())
}
