//! libFuzzer target `request_raw`: the body is `lagrum_tests::fuzz::request_raw` (also run on stable by
//! `tests/fuzz.rs`); a property that fails is a crash.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Err(finding) = lagrum_tests::fuzz::request_raw(data) {
        panic!("{finding}");
    }
});
