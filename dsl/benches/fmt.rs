//! How long `legal fmt` takes: every ruleset file of the repository (`rulesets/` and
//! `examples/`), formatted once per iteration (parse, layout, and the check that the output
//! parses and keeps every token and comment). `parse_only` is `parse_file` on the same
//! files (pest and lowering to the syntax tree), for scale.

#![allow(clippy::expect_used, clippy::unwrap_used, reason = "benchmark setup")]

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use std::hint::black_box;
use std::path::{Path, PathBuf};

fn lagrum_files(dir: &Path, out: &mut Vec<PathBuf>) {
    for entry in std::fs::read_dir(dir).expect("read dir").flatten() {
        let p = entry.path();
        if p.is_dir() {
            lagrum_files(&p, out);
        } else if p.extension().is_some_and(|x| x == "lagrum") {
            out.push(p);
        }
    }
}

fn texts() -> Vec<String> {
    let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
    let mut files = Vec::new();
    lagrum_files(&root.join("rulesets"), &mut files);
    lagrum_files(&root.join("examples"), &mut files);
    files.sort();
    files
        .iter()
        .map(|f| std::fs::read_to_string(f).expect("read"))
        .collect()
}

fn bench(c: &mut Criterion) {
    let texts = texts();
    let bytes: usize = texts.iter().map(String::len).sum();
    let mut group = c.benchmark_group("fmt");
    group.throughput(Throughput::Bytes(bytes as u64));
    group.bench_function("all_rulesets", |b| {
        b.iter(|| {
            for t in &texts {
                black_box(lagrum_dsl::format(black_box(t)).expect("formats"));
            }
        })
    });
    group.bench_function("parse_only", |b| {
        b.iter(|| {
            for t in &texts {
                let mut diags = lagrum_dsl::Diagnostics::default();
                black_box(lagrum_dsl::parse::parse_file(
                    lagrum_dsl::FileId(0),
                    black_box(t),
                    &mut diags,
                ));
            }
        })
    });
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
