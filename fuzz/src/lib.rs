//! The fuzzing harness: one function per entry point of secrets-guard, each taking arbitrary
//! bytes and driving them through everything a front end would do with them (evaluate, render
//! every output format, apply fixes, answer as the policy would).
//!
//! The libFuzzer binaries in `fuzz_targets/` call these (`make fuzz`, see `scripts/fuzz.sh`);
//! `tests/regressions.rs` replays every input kept in `regressions/<target>/` through the same
//! functions on stable Rust in `make test`, so a crash once found stays fixed.
//!
//! A harness function fails only by panicking (or by exceeding libFuzzer's time and memory
//! limits): the entry points must answer every input with a result or a clear error. The
//! assertions below are the invariants that must hold for every input.

use secrets_guard_core::admission::{self, NoContext};
use secrets_guard_core::audit_events::analyze::Analyzer;
use secrets_guard_core::audit_events::{AuditContext, AuditSettings};
use secrets_guard_core::envelope::{self, config, kek::KekFile, rw, storage};
use secrets_guard_core::render::{json, sarif, text};
use secrets_guard_core::{apply_fixes, evaluate, redact, Settings};

/// A harness function.
pub type Harness = fn(&[u8]);

/// The entry points, by target name (the names of `fuzz_targets/*.rs` and `regressions/*/`).
pub const TARGETS: &[(&str, Harness)] = &[
    ("scan", scan),
    ("validate", validate),
    ("validate_settings", validate_settings),
    ("envelope", envelope),
    ("audit_log", audit_log),
];

/// The CLI's `scan` and the playground's editor: YAML/JSON text → findings → text, JSON and
/// SARIF reports, suggested fixes, and the share dialog's redaction.
pub fn scan(data: &[u8]) {
    // The CLI rejects invalid UTF-8 with an input error before the core sees it; the core takes
    // `&str`. Lossy decoding still feeds the core every byte pattern that is valid UTF-8.
    let text = String::from_utf8_lossy(data);
    let report = evaluate(&[("fuzz.yaml", &text)], &Settings::default());
    for f in &report.findings {
        assert_eq!(f.file, "fuzz.yaml");
        assert!(f.line >= 1, "findings point at a line: {f:?}");
    }
    let _ = text::render(&report, |_| Some(&text), false);
    let _ = json::render(&report);
    // SARIF repeats every rule's full description in each log: a constant ~1 ms that would
    // cost the fuzzer most of its speed. One input in 16 (chosen by its length) renders it.
    if data.len() % 16 == 0 {
        let _ = sarif::render(&report, &sarif::SarifOptions::default());
    }
    let fixed = apply_fixes(&text, report.findings.iter());
    if !fixed.applied.is_empty() {
        // A fixed manifest is again a manifest the evaluator reads.
        let _ = evaluate(&[("fixed.yaml", &fixed.text)], &Settings::default());
    }
    let _ = redact::redact(&text);
}

/// The Kubewarden policy's `validate`: a `ValidationRequest` (settings + AdmissionRequest, or a
/// raw document) → a `ValidationResponse` and the AdmissionReview the policy-server sends back.
pub fn validate(data: &[u8]) {
    let response = admission::validate(data, &mut NoContext);
    if !response.accepted {
        let code = response.code.unwrap_or(0);
        assert!(
            (400..600).contains(&code),
            "rejections carry an HTTP code: {response:?}"
        );
    }
    let json = response.to_json();
    assert!(serde_json::from_str::<serde_json::Value>(&json).is_ok());
    let _ = response.admission_review("fuzz");
}

/// The Kubewarden policy's `validate_settings`: settings JSON → valid, or a message.
pub fn validate_settings(data: &[u8]) {
    let response = admission::validate_settings(data);
    assert!(
        response.valid || response.message.as_deref().is_some_and(|m| !m.is_empty()),
        "invalid settings come with a message"
    );
}

const CONFIG: &str = include_str!("../../policy/cli/tests/fixtures/envelope/encryption.yaml");
const KEK: &str = include_str!("../../policy/cli/tests/fixtures/envelope/kek.yaml");

/// `secrets-guard envelope inspect|decrypt` and the playground's byte diagram: an etcd value →
/// its layout, a read by every provider of a configuration with every kind (with the local KEK
/// file standing in for the KMS), and the decoded Secret.
pub fn envelope(data: &[u8]) {
    let inspection = envelope::inspect::inspect(data);
    let _ = envelope::inspect::render_text(&inspection);
    if let Ok(stored) = storage::decode_stored(data) {
        if let Ok(secret) = stored.secret() {
            let _ = secret.to_json(true);
        }
    }
    let _ = envelope::kmsv2::EncryptedObject::decode(data);
    let providers = config::providers_for(CONFIG, "", "secrets").expect("the fixture config");
    let kek = KekFile::parse(KEK).expect("the fixture KEK file");
    let read = rw::read(
        &providers,
        Some(&kek),
        b"/registry/secrets/default/fuzz",
        data,
        &rw::Options::default(),
    );
    match read {
        Ok(decrypted) => {
            if let Ok(stored) = storage::decode_stored(&decrypted.plaintext) {
                let _ = stored.secret();
            }
        }
        Err(e) => assert!(!e.to_string().is_empty()),
    }
}

/// The manifests an odd first byte gives `audit_log`: an audit Policy (AEV-010 cross-check) and
/// a Deployment whose Pods consume a Secret (AEV-008).
const AUDIT_CONTEXT: &str = "apiVersion: audit.k8s.io/v1\nkind: Policy\nomitStages: [RequestReceived]\n\
rules:\n- {level: None, users: [jane]}\n- {level: RequestResponse, resources: [{group: '', resources: [secrets]}]}\n\
- {level: None, resources: [{group: '', resources: ['pods/exec']}], omitStages: [ResponseComplete]}\n- level: Metadata\n---\n\
apiVersion: apps/v1\nkind: Deployment\nmetadata: {name: web, namespace: app}\n\
spec: {template: {spec: {containers: [{name: c, image: i, envFrom: [{secretRef: {name: s}}]}]}}}\n";

/// `secrets-guard audit-log`: an audit event stream (JSON lines or `EventList`), fed in two
/// chunks split at a point the input chooses, → findings, the access summary and SARIF; with an
/// odd first byte, against a Policy and a workload given as manifests.
pub fn audit_log(data: &[u8]) {
    let split = data.first().map_or(0, |b| usize::from(*b)).min(data.len());
    let mut analyzer = if data.first().is_some_and(|b| b & 1 == 1) {
        let cx = AuditContext::from_sources(&[("context.yaml", AUDIT_CONTEXT)]);
        assert!(cx.policy().is_some() && cx.errors().is_empty());
        Analyzer::with_context(AuditSettings::default(), cx)
    } else {
        Analyzer::default()
    };
    analyzer.begin_source("fuzz.log");
    analyzer.feed(&data[..split]);
    analyzer.feed(&data[split..]);
    let report = analyzer.finish();
    for f in &report.findings {
        assert!(f.line >= 1, "audit findings point at a line: {f:?}");
    }
    let _ = sarif::render_audit(&report, &[]);
}
