//! The hostile-input suite (`tests/src/hostile.rs`, shared with the CLI's and the policy's
//! runners) against the Wasm core in headless Chromium, through
//! `secrets_guard_web::engine::evaluate`: what the playground's editor calls on every change.
//!
//! The input's bytes become the editor's text as the browser decodes a file (`FileReader`'s
//! `readAsText`, the Encoding Standard's decode): a UTF-16 byte-order mark selects UTF-16, other
//! input is UTF-8 with invalid bytes replaced by U+FFFD. Each case must give exactly the
//! case's `web` rule ids and input error, within the time limit (`performance.now()` around the
//! evaluation, as the editor's `eval-time` shows it). The Wasm memory only grows, so its size
//! after the whole suite bounds every case's peak: it must stay within the memory limit.
//!
//! `make web-test` also runs this file built with the playground's own Cargo profile (`--profile
//! web`), where the time limit holds as it is. A plain `cargo test` builds it without
//! optimizations, several times slower: there (`debug_assertions` on) the limit is multiplied
//! by 10.
#![cfg(target_arch = "wasm32")]

#[path = "../../tests/src/hostile.rs"]
#[allow(dead_code)]
mod hostile;

use std::collections::BTreeSet;

use hostile::{Expect, MEMORY_LIMIT_BYTES, TIME_LIMIT_MS};
use secrets_guard_core::admission::PolicySettings;
use wasm_bindgen::JsCast;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// The editor's text for a file of these bytes, decoded by the browser.
fn decode_like_a_file(bytes: &[u8]) -> String {
    let label = match bytes {
        [0xFF, 0xFE, ..] => "utf-16le",
        [0xFE, 0xFF, ..] => "utf-16be",
        _ => "utf-8",
    };
    let decoder = web_sys::TextDecoder::new_with_label(label).expect("a known encoding");
    decoder
        .decode_with_u8_array(bytes)
        .expect("a non-fatal decoder decodes anything")
}

/// The size of this module's Wasm memory, in bytes.
fn memory_bytes() -> u64 {
    let memory: js_sys::WebAssembly::Memory = wasm_bindgen::memory()
        .dyn_into()
        .expect("the module's memory");
    let buffer: js_sys::ArrayBuffer = memory.buffer().dyn_into().expect("an ArrayBuffer");
    buffer.byte_length() as u64
}

fn time_limit_ms() -> f64 {
    let scale = if cfg!(debug_assertions) { 10 } else { 1 };
    (TIME_LIMIT_MS * scale) as f64
}

fn check(expect: &Expect, rules: &[&str], errors: &[String]) -> Result<(), String> {
    if rules != expect.rules {
        return Err(format!("rules {rules:?}, expected {:?}", expect.rules));
    }
    match expect.error {
        None if !errors.is_empty() => Err(format!("unexpected errors {errors:?}")),
        Some(text) if !errors.iter().any(|e| e.contains(text)) => {
            Err(format!("no error contains {text:?}: {errors:?}"))
        }
        _ => Ok(()),
    }
}

#[wasm_bindgen_test]
fn every_hostile_case_gets_a_clear_answer_within_the_bounds() {
    let limit = time_limit_ms();
    let mut failures = vec![];
    let mut table = vec![];
    for case in hostile::cases() {
        let text = decode_like_a_file(&(case.input)());
        let settings = match PolicySettings::from_json(
            format!("{{\"limits\":{}}}", case.limits_json()).as_bytes(),
        ) {
            Ok(s) => s,
            Err(e) => {
                failures.push(format!("{}: settings: {e}", case.name));
                continue;
            }
        };
        let evaluation = secrets_guard_web::engine::evaluate(&text, &settings);
        drop(text);
        let report = &evaluation.report;
        let rules: BTreeSet<&str> = report
            .findings
            .iter()
            .filter(|f| !f.suppressed)
            .map(|f| f.rule)
            .collect();
        let rules: Vec<&str> = rules.into_iter().collect();
        let errors: Vec<String> = report.errors.iter().map(|e| e.message.clone()).collect();
        if let Err(e) = check(&case.web, &rules, &errors) {
            failures.push(format!("{}: {e}", case.name));
        }
        if evaluation.millis > limit {
            failures.push(format!(
                "{}: {:.0} ms, over {limit} ms",
                case.name, evaluation.millis
            ));
        }
        table.push(format!(
            "{:<32} {:>8.1} ms  memory {:>6.1} MB",
            case.name,
            evaluation.millis,
            memory_bytes() as f64 / 1e6
        ));
    }
    let memory = memory_bytes();
    if memory > MEMORY_LIMIT_BYTES {
        failures.push(format!(
            "the Wasm memory grew to {memory} bytes, over {MEMORY_LIMIT_BYTES}"
        ));
    }
    wasm_bindgen_test::console_log!("{}", table.join("\n"));
    assert!(
        failures.is_empty(),
        "{} failures:\n{}\n{}",
        failures.len(),
        failures.join("\n"),
        table.join("\n")
    );
}
