//! The hostile-input suite (`tests/src/hostile.rs`) against the Kubewarden policy: `policy.wasm`
//! in the waPC host (wapc + wasmtime, as Kubewarden's policy-server runs it), its linear memory
//! capped at the suite's memory limit.
//!
//! Each case is sent as a raw request (`{"request": "<the input as a YAML string>", "settings":
//! {"limits": …}}`; an input that is not UTF-8 goes in as is, making the payload invalid JSON),
//! and an input that is a JSON object is also sent as the `object` of an `AdmissionRequest`.
//! Every call must answer a `ValidationResponse` (no trap, not even at the memory cap) within the
//! time limit. Raw requests must match the case's `policy` expectation: the rule ids of the
//! `secrets-guard.io/rules` audit annotation, and the input error (the 400 rejection's message or
//! an `input error:` warning). Every answer must also equal the native core's
//! (`admission::validate`) for the same payload.
//!
//! The policy is `$POLICY_WASM` or `<repo>/policy.wasm` (`make policy`; `make test` builds it).

use std::path::PathBuf;
use std::time::Instant;

use secrets_guard_core::admission::{self, NoContext, ValidationResponse};
use secrets_guard_tests::host::{PolicyHost, ReplaySession};
use secrets_guard_tests::hostile::{self, Case, Expect, MEMORY_LIMIT_BYTES, TIME_LIMIT_MS};
use secrets_guard_tests::repo_root;

fn policy() -> PolicyHost {
    let path = match std::env::var_os("POLICY_WASM") {
        Some(p) => PathBuf::from(p),
        None => repo_root().join("policy.wasm"),
    };
    let wasm = std::fs::read(&path).unwrap_or_else(|e| {
        panic!(
            "{}: {e}: run `make policy` first (or set POLICY_WASM); `make test` builds it",
            path.display()
        )
    });
    PolicyHost::load_with_memory_limit(
        &wasm,
        ReplaySession::empty(),
        Some(MEMORY_LIMIT_BYTES as usize),
    )
    .unwrap_or_else(|e| panic!("{}: {e}", path.display()))
}

/// `bytes` as the inside of a JSON string: valid UTF-8 is escaped as JSON requires; other bytes
/// are copied as they are (the payload is then not valid JSON, as a broken client would send).
fn json_string_body(bytes: &[u8]) -> Vec<u8> {
    match std::str::from_utf8(bytes) {
        Ok(text) => {
            let quoted = serde_json::to_string(text).expect("a string serializes");
            quoted.as_bytes()[1..quoted.len() - 1].to_vec()
        }
        Err(_) => {
            let mut out = Vec::with_capacity(bytes.len());
            for &b in bytes {
                match b {
                    b'"' => out.extend(b"\\\""),
                    b'\\' => out.extend(b"\\\\"),
                    0..=0x1F => out.extend(format!("\\u{b:04x}").as_bytes()),
                    _ => out.push(b),
                }
            }
            out
        }
    }
}

fn raw_payload(case: &Case, input: &[u8]) -> Vec<u8> {
    let mut p = b"{\"request\":\"".to_vec();
    p.extend(json_string_body(input));
    p.extend(format!("\",\"settings\":{{\"limits\":{}}}}}", case.limits_json()).as_bytes());
    p
}

/// The input inside an `AdmissionRequest`, when it is a JSON object.
fn admission_payload(case: &Case, input: &[u8]) -> Option<Vec<u8>> {
    let text = std::str::from_utf8(input).ok()?;
    if !text.trim_start().starts_with('{') {
        return None;
    }
    Some(
        format!(
            r#"{{"request":{{"uid":"hostile","kind":{{"group":"","version":"v1","kind":"ConfigMap"}},"operation":"CREATE","namespace":"default","userInfo":{{"username":"alice","groups":["dev"]}},"object":{text}}},"settings":{{"limits":{}}}}}"#,
            case.limits_json()
        )
        .into_bytes(),
    )
}

/// The rule ids and input errors a response reports.
fn outcome(resp: &ValidationResponse) -> (Vec<String>, Vec<String>) {
    let rules = resp
        .audit_annotations
        .as_ref()
        .and_then(|a| a.get("secrets-guard.io/rules"))
        .map(|r| r.split(',').map(str::to_string).collect())
        .unwrap_or_default();
    let mut errors: Vec<String> = resp
        .warnings
        .iter()
        .flatten()
        .filter(|w| w.starts_with("input error: "))
        .cloned()
        .collect();
    if resp.code == Some(400) {
        errors.extend(resp.message.clone());
    }
    (rules, errors)
}

fn check(expect: &Expect, resp: &ValidationResponse) -> Result<(), String> {
    let (rules, errors) = outcome(resp);
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

/// One call: the Wasm answer, its time, and whether the native core answers the same.
fn call(host: &PolicyHost, payload: &[u8]) -> Result<(ValidationResponse, u128), String> {
    let start = Instant::now();
    let resp = host
        .validate_payload(payload)
        .map_err(|e| format!("no ValidationResponse: {e}"))?;
    let millis = start.elapsed().as_millis();
    let native = admission::validate(payload, &mut NoContext);
    if native != resp {
        return Err(format!(
            "Wasm and native answers differ:\n wasm:   {resp:?}\n native: {native:?}"
        ));
    }
    Ok((resp, millis))
}

#[test]
fn every_hostile_case_gets_a_clear_answer_within_the_bounds() {
    let host = policy();
    let mut failures = vec![];
    let mut table = vec![];
    for case in hostile::cases() {
        let input = (case.input)();
        let mut runs = vec![("raw", raw_payload(&case, &input))];
        if let Some(p) = admission_payload(&case, &input) {
            runs.push(("admission", p));
        }
        drop(input);
        for (mode, payload) in runs {
            match call(&host, &payload) {
                Ok((resp, millis)) => {
                    table.push(format!(
                        "{:<32} {mode:<9} {:>6} ms  accepted={} code={:?}",
                        case.name, millis, resp.accepted, resp.code
                    ));
                    if millis > u128::from(TIME_LIMIT_MS) {
                        failures.push(format!(
                            "{} ({mode}): {millis} ms, over {TIME_LIMIT_MS} ms",
                            case.name
                        ));
                    }
                    if mode == "raw" {
                        if let Err(e) = check(&case.policy, &resp) {
                            failures.push(format!("{} ({mode}): {e}", case.name));
                        }
                    }
                }
                Err(e) => failures.push(format!("{} ({mode}): {e}", case.name)),
            }
        }
    }
    println!("hostile suite, policy.wasm (linear memory capped at {MEMORY_LIMIT_BYTES} bytes)");
    for row in &table {
        println!("{row}");
    }
    assert!(
        failures.is_empty(),
        "{} failures:\n{}",
        failures.len(),
        failures.join("\n")
    );
}
