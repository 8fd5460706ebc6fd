//! End-to-end tests of `secrets-guard who-can` on the access scenarios of
//! `tests/fixtures/access/`.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_secrets-guard");

fn fixture(name: &str) -> String {
    PathBuf::from(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/access")
        .join(name)
        .display()
        .to_string()
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run secrets-guard")
}

fn stdout(o: &Output) -> String {
    String::from_utf8(o.stdout.clone()).expect("utf-8")
}

fn stderr(o: &Output) -> String {
    String::from_utf8(o.stderr.clone()).expect("utf-8")
}

#[test]
fn read_secrets_table_over_two_files() {
    let o = run(&[
        "who-can",
        "read-secrets",
        &fixture("07-chain-bind-edit.yaml"),
        &fixture("14-workloads-exec.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\
SUBJECT         SCOPE  HOW         PATH
Group web-devs  web    implicit    Group web-devs → RoleBinding web/deployers → Role deployer → rules[0] create deployments
Group web-devs  web    implicit    Group web-devs → RoleBinding web/deployers → Role deployer → rules[1] create pods/exec
User jane       app    escalation  User jane → RoleBinding app/jane-writes-bindings → Role binding-writer → rules[0] create rolebindings → ClusterRoleBinding jane-binds-edit → ClusterRole edit-binder → rules[0] bind clusterroles named edit, view → binds ClusterRole edit (built-in) → rules[0] get, list, watch secrets
"
    );
    assert_eq!(stderr(&o), "");
}

#[test]
fn read_secrets_in_one_namespace() {
    let f = fixture("10-broad-groups.yaml");
    let o = run(&["who-can", "read-secrets", "-n", "a", &f]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(
        stdout(&o),
        "\
SUBJECT                       SCOPE    HOW     PATH
Group system:serviceaccounts  cluster  direct  Group system:serviceaccounts → ClusterRoleBinding all-sas-list → ClusterRole secret-lister → rules[0] list secrets
"
    );
    let o = run(&["who-can", "read-secrets", "--namespace", "b", &f]);
    assert_eq!(stdout(&o).lines().count(), 3);
    let o = run(&[
        "who-can",
        "read-secrets",
        "-n",
        "a",
        &fixture("06-builtin-roles.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "No subject can read Secrets in namespace a.\n");
}

#[test]
fn read_secrets_limited_entry_in_text_and_json() {
    let f = fixture("03-resource-names.yaml");
    let o = run(&["who-can", "read-secrets", &f]);
    assert_eq!(
        stdout(&o).lines().nth(1),
        Some(
            "ServiceAccount pay/pay-api  pay    direct (limited: db-password, api-key)  \
             ServiceAccount pay/pay-api → RoleBinding pay/pay-app → Role two-secrets → rules[0] \
             get, watch secrets named db-password, api-key"
        )
    );
    let o = run(&["who-can", "read-secrets", "--format", "json", &f]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(
        v,
        serde_json::json!({
            "query": {"read_secrets": true, "namespace": null},
            "entries": [{
                "subject": {"kind": "ServiceAccount", "name": "pay-api", "namespace": "pay"},
                "scope": "pay",
                "how": "direct",
                "what": "get, watch secrets named db-password, api-key",
                "limited": true,
                "secrets": ["db-password", "api-key"],
                "path": "ServiceAccount pay/pay-api → RoleBinding pay/pay-app → Role two-secrets → rules[0] get, watch secrets named db-password, api-key",
            }],
            "errors": [],
        })
    );
}

#[test]
fn subject_reach_in_text_and_json() {
    let f = fixture("18-reach.yaml");
    let o = run(&["who-can", "--subject", "system:serviceaccount:app:api", &f]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    assert_eq!(
        stdout(&o),
        "\
SUBJECT                             SCOPE    HOW     PATH
Group system:authenticated          cluster  direct  Group system:authenticated → ClusterRoleBinding authenticated-list → ClusterRole secret-lister → rules[0] list secrets
Group system:serviceaccounts:app    app      direct  Group system:serviceaccounts:app → RoleBinding app/app-sas → Role reader → rules[0] get secrets
ServiceAccount app/api              app      direct  ServiceAccount app/api → RoleBinding app/app-sas → Role reader → rules[0] get secrets
User system:serviceaccount:app:api  app      direct  User system:serviceaccount:app:api → RoleBinding app/app-sas → Role reader → rules[0] get secrets
"
    );
    let o = run(&[
        "who-can",
        "--subject",
        "jane",
        "--group",
        "dev",
        "--format",
        "json",
        &f,
    ]);
    assert_eq!(o.status.code(), Some(0));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    assert_eq!(
        v["query"],
        serde_json::json!({"subject": "jane", "groups": ["dev"]})
    );
    let subjects: Vec<&str> = v["entries"]
        .as_array()
        .expect("entries")
        .iter()
        .map(|e| e["subject"]["name"].as_str().expect("name"))
        .collect();
    assert_eq!(subjects, ["dev", "system:authenticated"]);
    assert_eq!(v["entries"][0]["scope"], "app");
    assert_eq!(v["entries"][1]["scope"], "cluster");

    let o = run(&["who-can", "--subject", "system:anonymous", &f]);
    assert_eq!(o.status.code(), Some(0));
    assert_eq!(stdout(&o), "system:anonymous cannot read Secrets.\n");
}

#[test]
fn subject_chain_across_its_subjects() {
    let o = run(&[
        "who-can",
        "--subject",
        "system:serviceaccount:build:ci",
        &fixture("19-chain-across-subjects.yaml"),
    ]);
    assert_eq!(o.status.code(), Some(0));
    let out = stdout(&o);
    let row = out.lines().nth(1).expect("one entry");
    assert!(
        row.starts_with("Group system:serviceaccounts:build  build  escalation  "),
        "{row}"
    );
    assert!(
        row.ends_with(
            "update rolebindings → ServiceAccount build/ci → RoleBinding build/ci-binds-admin → \
             Role admin-binder → rules[0] bind clusterroles named admin → binds ClusterRole admin \
             (built-in) → rules[0] get, list, watch secrets"
        ),
        "{row}"
    );
    assert_eq!(out.lines().count(), 2);
}

#[test]
fn directory_input_covers_every_scenario() {
    let dir = PathBuf::from(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/access");
    let o = run(&[
        "who-can",
        "read-secrets",
        "--format",
        "json",
        &dir.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    let v: Value = serde_json::from_str(&stdout(&o)).expect("json");
    let entries = v["entries"].as_array().expect("entries");
    // Scenario 02 alone gives 13 entries of Group ops, all cluster-wide.
    let ops: Vec<&Value> = entries
        .iter()
        .filter(|e| e["subject"]["name"] == "ops")
        .collect();
    assert_eq!(ops.len(), 13);
    assert!(ops.iter().all(|e| e["scope"] == "cluster"));
    let hows = |h: &str| ops.iter().filter(|e| e["how"] == h).count();
    assert_eq!(
        (hows("direct"), hows("implicit"), hows("escalation")),
        (1, 3, 9)
    );
}

#[test]
fn usage_and_input_errors_exit_2() {
    let o = run(&["who-can", &fixture("01-direct-role.yaml")]);
    assert_eq!(o.status.code(), Some(2));
    assert!(stderr(&o).contains("who-can needs `read-secrets` or `--subject USER`"));

    let o = run(&["who-can", "read-secrets", "--subject", "x"]);
    assert_eq!(o.status.code(), Some(2));

    let o = run(&["who-can", "--group", "dev", &fixture("01-direct-role.yaml")]);
    assert_eq!(o.status.code(), Some(2));

    // A missing file and a YAML error: exit 2, the readable input is still answered.
    let dir = tempfile::tempdir().expect("tempdir");
    let bad = dir.path().join("bad.yaml");
    std::fs::write(&bad, "kind: Role\nrules: [\n").expect("write");
    let missing = dir.path().join("missing.yaml");
    let o = run(&[
        "who-can",
        "read-secrets",
        &fixture("01-direct-role.yaml"),
        &bad.display().to_string(),
        &missing.display().to_string(),
    ]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(stdout(&o).lines().count(), 2, "{}", stdout(&o));
    let err = stderr(&o);
    assert!(err.contains("bad.yaml:"), "{err}");
    assert!(err.contains("missing.yaml"), "{err}");
}
