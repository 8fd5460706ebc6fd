//! The seed article's three examples (`examples/seed/`, copies of `../shared/seed/examples/`):
//! every flaw that rules.md section B lists must be reported, at the right line.

use secrets_guard_core::{evaluate, Report, Settings};
use secrets_guard_tests::repo_root;

fn scan(name: &str) -> (String, Report) {
    let path = repo_root().join("examples/seed").join(name);
    let text = std::fs::read_to_string(&path).expect("seed example");
    let report = evaluate(&[(name, &text)], &Settings::default());
    (text, report)
}

fn assert_has(report: &Report, rule: &str, line: u32, why: &str) {
    assert!(
        report
            .findings
            .iter()
            .any(|f| f.rule == rule && f.line == line),
        "expected {rule} at line {line} ({why}); got {:?}",
        report
            .findings
            .iter()
            .map(|f| (f.rule, f.line))
            .collect::<Vec<_>>()
    );
}

#[test]
fn seed_copies_are_verbatim() {
    let shared = secrets_guard_tests::shared_dir().join("seed/examples");
    if !shared.exists() {
        return; // the shared folder is optional here; the copies are what the tests use
    }
    for name in [
        "1-encryption-at-rest.yaml",
        "2-access-control.yaml",
        "3-audit-logging.yaml",
    ] {
        let a = std::fs::read(shared.join(name)).unwrap();
        let b = std::fs::read(repo_root().join("examples/seed").join(name)).unwrap();
        assert_eq!(a, b, "examples/seed/{name} differs from the seed");
    }
}

/// B.1: `kms` with a host:port endpoint and no apiVersion, then `identity`.
#[test]
fn seed_1_encryption_at_rest() {
    let (_, r) = scan("1-encryption-at-rest.yaml");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_has(&r, "ENC-008", 10, "B.1.1 endpoint is not unix://");
    assert_has(
        &r,
        "ENC-007",
        8,
        "B.1.2 no apiVersion means KMS v1, disabled since 1.29",
    );
    assert_has(&r, "ENC-003", 12, "B.1.5 identity fallback");
}

/// B.2: Role `secret-reader` in `default`, get/list/watch on secrets.
#[test]
fn seed_2_access_control() {
    let (_, r) = scan("2-access-control.yaml");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_has(&r, "RBAC-001", 10, "B.2.1 list/watch reveal every value");
    assert_eq!(
        r.findings.iter().filter(|f| f.rule == "RBAC-001").count(),
        2,
        "list and watch"
    );
    assert_has(&r, "RBAC-002", 10, "B.2.2 get without resourceNames");
    assert_has(&r, "OBJ-007", 5, "B.2.3 Secrets in the default namespace");
}

/// B.3: `AuditSink` (never v1; v1alpha1 removed in 1.19) with RequestResponse for secrets.
#[test]
fn seed_3_audit_logging() {
    let (_, r) = scan("3-audit-logging.yaml");
    assert!(r.errors.is_empty(), "{:?}", r.errors);
    assert_has(
        &r,
        "AUD-015",
        2,
        "B.3.1-2 AuditSink never existed as v1 and was removed in 1.19",
    );
    assert_has(
        &r,
        "AUD-001",
        14,
        "B.3.4 RequestResponse writes Secret values to the audit backend",
    );
    let aud015: Vec<_> = r.findings.iter().filter(|f| f.rule == "AUD-015").collect();
    assert!(
        aud015.iter().any(|f| f.line == 15),
        "B.3.3 AuditSink policies had no per-resource rules: {aud015:?}"
    );
    assert!(
        aud015.iter().any(|f| f.line == 9),
        "B.3.5 a webhook to an in-cluster Service is a circular dependency: {aud015:?}"
    );
}

/// Snapshots of what the CLI prints (text and JSON) for the seed examples: the console, JSON,
/// SARIF and the playground all render this one result set.
#[test]
fn seed_output_snapshots() {
    let names = [
        "1-encryption-at-rest.yaml",
        "2-access-control.yaml",
        "3-audit-logging.yaml",
    ];
    let texts: Vec<(String, String)> = names
        .iter()
        .map(|n| {
            let path = repo_root().join("examples/seed").join(n);
            (
                format!("examples/seed/{n}"),
                std::fs::read_to_string(path).unwrap(),
            )
        })
        .collect();
    let inputs: Vec<(&str, &str)> = texts
        .iter()
        .map(|(n, t)| (n.as_str(), t.as_str()))
        .collect();
    let report = evaluate(&inputs, &Settings::default());
    let lookup = |file: &str| {
        texts
            .iter()
            .find(|(n, _)| n == file)
            .map(|(_, t)| t.as_str())
    };
    let text = secrets_guard_core::render::text::render(&report, lookup, false);
    insta::assert_snapshot!("seed_text", text);
    let json = secrets_guard_core::render::json::render(&report);
    let json = json.replace(secrets_guard_core::VERSION, "[version]");
    insta::assert_snapshot!("seed_json", json);
}
