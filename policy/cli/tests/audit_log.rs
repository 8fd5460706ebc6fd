//! End-to-end tests of `secrets-guard audit-log` on the audit event fixtures of
//! `tests/fixtures/audit/`.

use std::io::Write;
use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_secrets-guard");

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/audit")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str], stdin: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("run secrets-guard");
    let mut input = child.stdin.take().expect("stdin");
    input.write_all(stdin).expect("write stdin");
    drop(input);
    child.wait_with_output().expect("wait")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

#[test]
fn incidents_log_findings_summary_and_malformed_lines() {
    let f = fixture("incidents.jsonl");
    let o = run(&["audit-log", &f], b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let expected = "\
F:4: high AEV-002 Cluster-wide list/watch of Secrets by a non-system user: mallory ran a cluster-wide list of secrets (status 200)
F:7: critical AEV-004 Anonymous Secret access succeeded: anonymous get on secret app/db succeeded (status 200) from 203.0.113.9
F:13: medium AEV-005 Burst of 403s on Secrets (permission probing): eve got 5 403 responses on secrets within 60 s (last: get app/e)
F:15: medium AEV-006 Token minting: ci-bot requested a token for service account app/builder (status 201)
F:16: medium AEV-006 Token minting: ci-bot created service-account-token secret app/builder-token (status 201)
F:17: high AEV-007 Impersonation used to reach Secrets: alice impersonated bob (groups ops) to get secret app/db (status 200)
F:18: critical AEV-001 Secret data in the audit log: jane update on secret app/db logged at level Request: requestObject carries data keys password, username; the audit policy must log Secrets at Metadata level
F:22: high AEV-009 RBAC write granting Secret access: mallory create rolebinding app/mallory-edit: binds ClusterRole edit (status 201)

Secret access:
USER                                                         VERB    SECRET             CODE  COUNT  FIRST                        LAST
alice as bob                                                 get     app/db             200   1      2026-11-27T10:05:00.000000Z  2026-11-27T10:05:00.000000Z
ci-bot                                                       create  app/builder-token  201   1      2026-11-27T10:04:10.000000Z  2026-11-27T10:04:10.000000Z
eve                                                          get     app/a              403   2      2026-11-27T10:03:00.000000Z  2026-11-27T10:03:40.000000Z
eve                                                          get     app/b              403   1      2026-11-27T10:03:05.000000Z  2026-11-27T10:03:05.000000Z
eve                                                          get     app/c              403   1      2026-11-27T10:03:10.000000Z  2026-11-27T10:03:10.000000Z
eve                                                          get     app/d              403   1      2026-11-27T10:03:15.000000Z  2026-11-27T10:03:15.000000Z
eve                                                          get     app/e              403   1      2026-11-27T10:03:20.000000Z  2026-11-27T10:03:20.000000Z
jane                                                         watch   app/*              200   1      2026-11-27T10:07:00.000000Z  2026-11-27T10:07:00.000000Z
jane                                                         get     app/db             200   1      2026-11-27T10:00:00.100000Z  2026-11-27T10:00:00.100000Z
jane                                                         update  app/db             200   1      2026-11-27T10:06:00.000000Z  2026-11-27T10:06:00.000000Z
mallory                                                      list    *                  200   1      2026-11-27T10:01:00.000000Z  2026-11-27T10:01:00.000000Z
system:anonymous                                             get     app/api-key        403   1      2026-11-27T10:02:01.000000Z  2026-11-27T10:02:01.000000Z
system:anonymous                                             get     app/db             200   1      2026-11-27T10:02:00.000000Z  2026-11-27T10:02:00.000000Z
system:serviceaccount:kube-system:generic-garbage-collector  list    *                  200   1      2026-11-27T10:01:05.000000Z  2026-11-27T10:01:05.000000Z

19 events, 8 findings (2 critical, 3 high, 3 medium), 2 malformed lines
"
    .replace("F:", &format!("{f}:"));
    assert_eq!(stdout(&o), expected);
    assert_eq!(
        stderr(&o),
        format!(
            "warning: {f}:6: skipped: not valid JSON: EOF while parsing a string at line 1 column 57\n\
             warning: {f}:20: skipped: not an audit.k8s.io/v1 Event (kind `Pod`, apiVersion `v1`)\n"
        )
    );
}

#[test]
fn seed_request_response_policy_leaks_the_secret_into_the_webhook_batch() {
    let compact = fixture("seed-webhook-batch.json");
    let pretty = fixture("seed-webhook-batch-pretty.json");
    let o = run(&["audit-log", "--format", "json", &compact, &pretty], b"");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let at: Vec<(String, String, u64)> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().unwrap_or_default().to_string(),
                f["file"].as_str().unwrap_or_default().to_string(),
                f["line"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    assert_eq!(
        at,
        vec![
            ("AEV-001".to_string(), compact.clone(), 1),
            ("AEV-001".to_string(), pretty.clone(), 34),
        ]
    );
    assert_eq!(doc["findings"][0]["severity"], "critical");
    assert_eq!(
        doc["findings"][0]["audit_id"],
        "00000000-0000-4000-8000-000000000101"
    );
    // The finding names the keys, never the values.
    assert!(!stdout(&o).contains("czNjcjN0"));
    assert_eq!(doc["events"], 4);
    assert_eq!(
        doc["access"],
        serde_json::json!([{
            "user": "kubernetes-admin", "verb": "get", "secret": "default/db", "code": 200,
            "count": 2, "first": "2026-11-27T11:00:00.250000Z", "last": "2026-11-27T11:00:00.250000Z"
        }])
    );
    assert_eq!(doc["malformed_total"], 0);
    assert_eq!(doc["errors"], serde_json::json!([]));
}

#[test]
fn stdin_fail_on_and_clean_logs() {
    let clean = br#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"1","stage":"ResponseComplete","verb":"get","user":{"username":"jane"},"objectRef":{"resource":"secrets","namespace":"app","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}"#;
    let o = run(&["audit-log", "-"], clean);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\
Secret access:
USER  VERB  SECRET  CODE  COUNT  FIRST                 LAST
jane  get   app/db  200   1      2026-11-27T10:00:00Z  2026-11-27T10:00:00Z

1 event, 0 findings, 0 malformed lines
"
    );
    // Medium findings only: below the default threshold (high), at --fail-on medium.
    let token = br#"{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"2","stage":"ResponseComplete","verb":"create","user":{"username":"ci"},"objectRef":{"resource":"serviceaccounts","namespace":"app","name":"b","subresource":"token"},"responseStatus":{"code":201}}"#;
    assert_eq!(run(&["audit-log", "-"], token).status.code(), Some(0));
    assert_eq!(
        run(&["audit-log", "--fail-on", "medium", "-"], token)
            .status
            .code(),
        Some(1)
    );
    let f = fixture("incidents.jsonl");
    assert_eq!(
        run(&["audit-log", "--fail-on", "none", &f], b"")
            .status
            .code(),
        Some(0)
    );
    // Only malformed lines: reported, not fatal.
    let o = run(&["audit-log", "-"], b"not json\n");
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "No Secret access in the log.\n\n0 events, 0 findings, 1 malformed line\n"
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let o = run(&["audit-log"], b"");
    assert_eq!(o.status.code(), Some(2));
    let o = run(&["audit-log", "-", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stderr(&o), "error: `-` (stdin) may be given only once\n");
    let f = fixture("incidents.jsonl");
    let o = run(
        &[
            "audit-log",
            "--format",
            "json",
            "/nonexistent/audit.log",
            &f,
        ],
        b"",
    );
    assert_eq!(o.status.code(), Some(2));
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["findings"].as_array().map(Vec::len), Some(8));
    assert_eq!(doc["errors"].as_array().map(Vec::len), Some(1));
    assert!(stderr(&o).starts_with("error: /nonexistent/audit.log: cannot read: "));
    let o = run(&["audit-log", "--fail-on", "loud", &f], b"");
    assert_eq!(o.status.code(), Some(2));
}
