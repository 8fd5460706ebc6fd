//! The core compiled to Wasm, run in headless Chromium (`cargo test -p secrets-guard-web
//! --target wasm32-unknown-unknown`), gives exactly the findings native code gives for the
//! seed's examples: the same rules, severities, spans and paths, in the same order. The native
//! side is `golden/seed-findings.json`, which `seed_golden.rs` keeps equal to native output.
#![cfg(target_arch = "wasm32")]

mod support;

use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

#[wasm_bindgen_test]
fn wasm_core_gives_the_native_findings_for_each_seed_example() {
    let golden = support::golden();
    let computed = support::compute();
    for example in secrets_guard_web::examples::SEED {
        assert_eq!(
            support::entry(&computed, example.id),
            support::entry(&golden, example.id),
            "{}: Wasm and native findings differ",
            example.id
        );
    }
}

#[wasm_bindgen_test]
fn wasm_core_gives_the_native_findings_for_the_starting_document() {
    let golden = support::golden();
    let computed = support::compute();
    let document = support::entry(&computed, support::DOCUMENT);
    assert!(!document.findings.is_empty());
    assert_eq!(document, support::entry(&golden, support::DOCUMENT));
}

/// The bench export used by the browser budget test counts the same active findings.
#[wasm_bindgen_test]
fn sg_evaluate_counts_the_active_findings() {
    let document = secrets_guard_web::examples::seed_document();
    let golden = support::golden();
    let active = support::entry(&golden, support::DOCUMENT)
        .findings
        .iter()
        .filter(|f| !f.suppressed)
        .count();
    assert_eq!(secrets_guard_web::sg_evaluate(&document) as usize, active);
    assert_eq!(secrets_guard_web::sg_evaluate(""), 0);
}
