//! libFuzzer target `request_structured`: a request built from the ruleset's vocabulary by
//! `lagrum_tests::fuzz::Shape`; removing protection or adding a marker must never make an
//! outcome more permissive (`lagrum_tests::fuzz::request_structured`).
#![no_main]

libfuzzer_sys::fuzz_target!(|shape: lagrum_tests::fuzz::Shape| {
    if let Err(finding) = lagrum_tests::fuzz::request_structured(&shape) {
        panic!("{finding}");
    }
});
