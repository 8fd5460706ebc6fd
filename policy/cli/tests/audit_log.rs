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

#[test]
fn policy_cross_check_and_exec_into_secret_pods() {
    let (p, w, l) = (
        fixture("policy-gaps.yaml"),
        fixture("workloads.yaml"),
        fixture("exec-and-gaps.jsonl"),
    );
    // The Policy by --policy, the workloads mixed into the inputs (read as manifests); run in
    // the fixtures folder so that the table's widths do not depend on the checkout's path.
    let o = Command::new(BIN)
        .args([
            "audit-log",
            "--policy",
            "policy-gaps.yaml",
            "workloads.yaml",
            "exec-and-gaps.jsonl",
        ])
        .current_dir(fixture(""))
        .output()
        .expect("run secrets-guard");
    assert_eq!(o.status.code(), Some(1), "{}", stderr(&o));
    assert_eq!(stderr(&o), "");
    let expected = "\
exec-and-gaps.jsonl:2: medium AEV-010 Secret events not logged at the expected level: break-glass get on secret app/db: policy rules[0] logs `get secrets` at None: the request would not be logged at all
exec-and-gaps.jsonl:3: medium AEV-010 Secret events not logged at the expected level: system:kube-controller-manager list on secret *: policy rules[0] logs `list secrets` at None: the request would not be logged at all
exec-and-gaps.jsonl:4: high AEV-010 Secret events not logged at the expected level: jane update on secret app/db: policy rules[1] logs `update secrets` at Request: the logged body holds Secret data
exec-and-gaps.jsonl:4: low AEV-010 Secret events not logged at the expected level: jane update on secret app/db: policy rules[1] logs `update secrets` at Request: but the event was recorded at Metadata: the log was written under another policy, or the policy changed
exec-and-gaps.jsonl:5: medium AEV-008 Exec into a Pod that consumes Secrets: jane ran exec in pod app/web-7d4b9c8f5-x2x9k, which consumes Secrets web-tls (volume), db (env) (Deployment app/web at workloads.yaml:10) (status 101)
exec-and-gaps.jsonl:8: medium AEV-008 Exec into a Pod that consumes Secrets: mallory ran attach in pod ops/debug, which consumes Secrets ops-creds (envFrom) (created in this log at line 7) (status 101)

Secret access:
USER                            VERB    SECRET   CODE  COUNT  FIRST                 LAST
break-glass                     get     app/api  200   1      2026-11-27T12:00:10Z  2026-11-27T12:00:10Z
break-glass                     get     app/db   200   1      2026-11-27T12:00:02Z  2026-11-27T12:00:02Z
jane                            get     app/db   200   1      2026-11-27T12:00:01Z  2026-11-27T12:00:01Z
jane                            update  app/db   200   1      2026-11-27T12:00:04Z  2026-11-27T12:00:04Z
system:kube-controller-manager  list    *        200   1      2026-11-27T12:00:03Z  2026-11-27T12:00:03Z

Audit policy policy-gaps.yaml: of 10 events, it logs 5 None, 4 Metadata, 1 Request
GAP            REQUEST              RULE      LEVEL     LOGGED    COUNT  FIRST                  HIDES
not-logged     get secrets          rules[0]  None      Metadata  2      exec-and-gaps.jsonl:2  -
not-logged     list secrets         rules[0]  None      Metadata  1      exec-and-gaps.jsonl:3  -
leak           update secrets       rules[1]  Request   Metadata  1      exec-and-gaps.jsonl:4  -
level-differs  update secrets       rules[1]  Request   Metadata  1      exec-and-gaps.jsonl:4  -
not-logged     create pods/exec     rules[3]  None      Metadata  2      exec-and-gaps.jsonl:5  AEV-008
no-body        create pods          rules[4]  Metadata  Request   1      exec-and-gaps.jsonl:7  -
level-differs  create pods          rules[4]  Metadata  Request   1      exec-and-gaps.jsonl:7  -
no-body        create rolebindings  rules[4]  Metadata  Metadata  1      exec-and-gaps.jsonl:9  -

10 events, 6 findings (1 high, 4 medium, 1 low), 0 malformed lines
";
    assert_eq!(stdout(&o), expected);
    // The Policy mixed into the inputs too; JSON has the same gaps, SARIF carries them as a
    // run property and AEV-010 as results.
    let o = run(&["audit-log", "--format", "json", &w, &p, &l], b"");
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let check = &doc["policy_check"];
    assert_eq!(check["policy"], p.as_str());
    assert_eq!(check["events"], 10);
    assert_eq!(
        check["levels"],
        serde_json::json!({"None": 5, "Metadata": 4, "Request": 1})
    );
    let gaps: Vec<(String, String, u64)> = check["gaps"]
        .as_array()
        .expect("gaps")
        .iter()
        .map(|g| {
            (
                g["kind"].as_str().unwrap_or_default().to_string(),
                g["request"].as_str().unwrap_or_default().to_string(),
                g["count"].as_u64().unwrap_or_default(),
            )
        })
        .collect();
    let want: Vec<(String, String, u64)> = [
        ("not-logged", "get secrets", 2),
        ("not-logged", "list secrets", 1),
        ("leak", "update secrets", 1),
        ("level-differs", "update secrets", 1),
        ("not-logged", "create pods/exec", 2),
        ("no-body", "create pods", 1),
        ("level-differs", "create pods", 1),
        ("no-body", "create rolebindings", 1),
    ]
    .iter()
    .map(|(k, r, n)| (k.to_string(), r.to_string(), *n))
    .collect();
    assert_eq!(gaps, want);
    assert_eq!(check["gaps"][4]["hides"], serde_json::json!(["AEV-008"]));
    let o = run(&["audit-log", "--format", "sarif", "--policy", &p, &l], b"");
    let sarif: Value = serde_json::from_str(&stdout(&o)).expect("sarif");
    let run0 = &sarif["runs"][0];
    let ids: Vec<&str> = run0["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    // Without the workloads, only the Pod created in the log is known to consume Secrets.
    assert_eq!(ids, ["AEV-010", "AEV-010", "AEV-010", "AEV-010", "AEV-008"]);
    assert_eq!(
        run0["properties"]["policyCheck"]["gaps"]
            .as_array()
            .map(Vec::len),
        Some(8)
    );
    let rules: Vec<&str> = run0["tool"]["driver"]["rules"]
        .as_array()
        .expect("rules")
        .iter()
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(rules.len(), 10);
    // Without a Policy there is no cross-check (and no AEV-010).
    let o = run(&["audit-log", "--format", "json", &w, &l], b"");
    let doc: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(doc["policy_check"], Value::Null);
    let ids: Vec<&str> = doc["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["rule"].as_str())
        .collect();
    assert_eq!(ids, ["AEV-008", "AEV-008"]);
    // --policy must name a file with a Policy.
    let o = run(&["audit-log", "--policy", &w, &l], b"");
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: --policy: no audit.k8s.io Policy in that file\n"
    );
}

#[test]
fn audit_rules_are_listed_and_explained() {
    let o = run(&["explain", "aev-010"], b"");
    assert_eq!(o.status.code(), Some(0));
    let text = stdout(&o);
    assert!(text.starts_with(
        "# AEV-010 Secret events not logged at the expected level\n\n- Severity: low\n- Area: audit\n"
    ));
    assert!(text.contains("- Looks at: audit events (`secrets-guard audit-log`)\n"));
    let o = run(&["rules", "--format", "json"], b"");
    let list: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let aev: Vec<&str> = list
        .as_array()
        .expect("list")
        .iter()
        .filter(|r| r["input"] == "audit-events")
        .filter_map(|r| r["id"].as_str())
        .collect();
    assert_eq!(
        aev,
        [
            "AEV-001", "AEV-002", "AEV-003", "AEV-004", "AEV-005", "AEV-006", "AEV-007", "AEV-008",
            "AEV-009", "AEV-010"
        ]
    );
    // Event rules never run on manifests.
    let o = run(&["scan", "--no-config", "--select", "AEV-001", "-"], b"");
    assert_eq!(o.status.code(), Some(2));
}
