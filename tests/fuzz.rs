//! The fuzz targets' bodies (`lagrum_tests::fuzz`, shared with `fuzz/`) run on stable in
//! every `cargo test`: over the seed corpora (the repository's own fixtures, the same files
//! `scripts/fuzz` copies into `fuzz/corpus/`), over mutations of them, and over random
//! input. A long campaign with libFuzzer is `scripts/fuzz` (see docs/fuzzing.md).

#![allow(
    clippy::panic,
    clippy::unwrap_used,
    clippy::expect_used,
    clippy::indexing_slicing,
    reason = "test code: a failed assumption fails the test"
)]

use lagrum_tests::fuzz;
use proptest::prelude::*;
use std::path::{Path, PathBuf};

fn root() -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR")).join("..")
}

/// Files under `dir` (relative to the repository) whose name ends in `ext`.
fn files(dir: &str, ext: &str) -> Vec<Vec<u8>> {
    let mut out: Vec<(PathBuf, Vec<u8>)> = std::fs::read_dir(root().join(dir))
        .unwrap()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.to_string_lossy().ends_with(ext))
        .map(|p| (p.clone(), std::fs::read(&p).unwrap()))
        .collect();
    out.sort();
    assert!(!out.is_empty(), "no seeds in {dir}");
    out.into_iter().map(|(_, b)| b).collect()
}

/// The seeds of each target, as `scripts/fuzz` gathers them.
fn seeds(target: &str) -> Vec<Vec<u8>> {
    match target {
        "ruleset" => [
            files("rulesets", ".lagrum"),
            files("examples/forhandsbedomningar", ".lagrum"),
        ]
        .concat(),
        "request_raw" => {
            let mut out = files("examples/requests", ".json");
            for s in files("tests/scenarios", ".json") {
                let v: serde_json::Value = serde_json::from_slice(&s).unwrap();
                out.push(v["request"].to_string().into_bytes());
            }
            out
        }
        "navet" => [files("navet/tests/fixtures", ".navet"), files("tests/navet", ".navet")].concat(),
        _ => panic!("{target}"),
    }
}

fn run(target: &str, data: &[u8]) -> Result<(), String> {
    match target {
        "ruleset" => fuzz::ruleset(data),
        "request_raw" => fuzz::request_raw(data),
        "navet" => fuzz::navet(data),
        "request_structured" => {
            let mut u = arbitrary::Unstructured::new(data);
            match <fuzz::Shape as arbitrary::Arbitrary>::arbitrary(&mut u) {
                Ok(shape) => fuzz::request_structured(&shape),
                Err(_) => Ok(()),
            }
        }
        _ => panic!("{target}"),
    }
}

#[test]
fn every_seed_passes_its_target() {
    for target in ["ruleset", "request_raw", "navet"] {
        for (i, s) in seeds(target).iter().enumerate() {
            run(target, s).unwrap_or_else(|e| panic!("{target} seed {i}: {e}"));
        }
    }
    assert!(fuzz::engine().is_some());
}

/// The structure-aware target tests something: most inputs are valid requests.
#[test]
fn structured_inputs_are_mostly_valid_requests() {
    let engine = fuzz::engine().unwrap();
    let mut state: u64 = 0x2545_f491_4f6c_dd1d;
    let mut valid = 0;
    for _ in 0..200 {
        let data: Vec<u8> = (0..64)
            .map(|_| {
                state ^= state << 13;
                state ^= state >> 7;
                state ^= state << 17;
                state as u8
            })
            .collect();
        let mut u = arbitrary::Unstructured::new(&data);
        let shape = <fuzz::Shape as arbitrary::Arbitrary>::arbitrary(&mut u).unwrap();
        if fuzz::outcomes(engine, &fuzz::request_of(engine, &shape)).is_some() {
            valid += 1;
        }
    }
    assert!(valid > 150, "{valid} of 200");
}

/// A seed with a few bytes replaced, inserted or removed (what libFuzzer does first).
fn mutated(target: &'static str) -> impl Strategy<Value = Vec<u8>> {
    let all = seeds(target);
    (
        any::<prop::sample::Index>(),
        prop::collection::vec((any::<prop::sample::Index>(), any::<u8>(), 0u8..3), 1..8),
    )
        .prop_map(move |(seed, edits)| {
            let mut s = all[seed.index(all.len())].clone();
            for (at, byte, kind) in edits {
                let i = at.index(s.len() + 1);
                match kind {
                    0 if i < s.len() => s[i] = byte,
                    1 => s.insert(i, byte),
                    _ if i < s.len() => {
                        s.remove(i);
                    }
                    _ => {}
                }
            }
            s
        })
}

proptest! {
    #![proptest_config(ProptestConfig { cases: 64, .. ProptestConfig::default() })]

    #[test]
    fn ruleset_mutations(data in mutated("ruleset")) {
        prop_assert!(run("ruleset", &data).is_ok(), "{:?}", run("ruleset", &data));
    }

    #[test]
    fn request_raw_mutations(data in mutated("request_raw")) {
        let r = run("request_raw", &data);
        prop_assert!(r.is_ok(), "{:?}", r);
    }

    #[test]
    fn navet_mutations(data in mutated("navet")) {
        let r = run("navet", &data);
        prop_assert!(r.is_ok(), "{:?}", r);
    }

    #[test]
    fn random_bytes(data in prop::collection::vec(any::<u8>(), 0..2048)) {
        for target in ["ruleset", "request_raw", "navet", "request_structured"] {
            let r = run(target, &data);
            prop_assert!(r.is_ok(), "{}: {:?}", target, r);
        }
    }

    #[test]
    fn structured_requests_fail_closed(data in prop::collection::vec(any::<u8>(), 16..256)) {
        let r = run("request_structured", &data);
        prop_assert!(r.is_ok(), "{:?}", r);
    }
}

/// The reproducer as a navet target input: flags inside a block (it read as
/// unprotected before the fix, which this target reports as a finding).
#[test]
fn the_navet_target_holds_on_flags_inside_a_block() {
    let input = b"#POST_START\n#UP 01001 193801248471\n#UP 01000\n#UP 01003 J\n#UP 01020 J\n#UP 01999\n#POST_SLUT\n";
    assert_eq!(run("navet", input), Ok(()));
}
