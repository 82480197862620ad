//! Parser throughput on a generated 4 MB file held in memory (no disk in the loop). The
//! 100 MB measurement with peak memory is the example program `navet_throughput`.

use criterion::{Criterion, Throughput, criterion_group, criterion_main};
use lagrum_navet::{Error, PostKind, Records, Register, generate};
use std::hint::black_box;

fn file() -> Vec<u8> {
    let mut bytes = Vec::new();
    match generate::write(&mut bytes, 4 << 20, 7) {
        Ok(_) => bytes,
        Err(e) => {
            eprintln!("cannot generate: {e}");
            Vec::new()
        }
    }
}

fn parse(c: &mut Criterion) {
    let bytes = file();
    let mut group = c.benchmark_group("navet");
    group.throughput(Throughput::Bytes(bytes.len() as u64));
    group.sample_size(10);
    group.bench_function("records", |b| {
        b.iter(|| {
            let mut n = 0usize;
            for item in Records::new(black_box(&bytes[..])) {
                if !matches!(item, Err(Error::Io(_))) {
                    n += 1;
                }
            }
            n
        })
    });
    group.bench_function("register_one_person", |b| {
        let known = lagrum_engine::identity::IdentityNumber::parse(generate::KNOWN_PERSON).ok();
        b.iter(|| {
            let mut register = Register::only(known, PostKind::Change);
            let _ = register.read(black_box(&bytes[..]), |_| {});
            register.len()
        })
    });
    group.finish();
}

criterion_group!(benches, parse);
criterion_main!(benches);
