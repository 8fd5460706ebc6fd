//! End-to-end tests of the `secrets-guard` binary on temporary files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_secrets-guard");

/// A Role that RBAC-001 reports at 7:58 (`list`) and RBAC-002 at 7:53 (`get` without
/// `resourceNames`). Tests of CLI mechanics pin the rule set with [`PIN`] so that rules added to
/// the registry later do not change their counts; `default_rules_on_a_realistic_role` runs the
/// full default rule set.
const ROLE: &str = "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: reader
  namespace: app
rules:
  - {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}
";

const CLEAN: &str = "\
apiVersion: v1
kind: ConfigMap
metadata: {name: settings, namespace: app}
data: {LOG_LEVEL: info}
";

/// Run only RBAC-001 (high), so that exact counts, exit codes and positions are about the CLI.
const PIN: [&str; 2] = ["--select", "RBAC-001"];

fn suppressed_role(annotation: &str) -> String {
    ROLE.replace(
        "  namespace: app\n",
        &format!(
            "  namespace: app\n  annotations:\n    secrets-guard.io/ignore: \"{annotation}\"\n"
        ),
    )
}

/// A temporary directory that is its own git root, so config discovery stays inside it.
struct Fixture {
    dir: tempfile::TempDir,
}

impl Fixture {
    fn new() -> Self {
        let dir = tempfile::tempdir().expect("tempdir");
        std::fs::create_dir(dir.path().join(".git")).expect("mkdir .git");
        Fixture { dir }
    }

    fn path(&self) -> &Path {
        self.dir.path()
    }

    fn write(&self, rel: &str, content: impl AsRef<[u8]>) -> PathBuf {
        let p = self.path().join(rel);
        if let Some(parent) = p.parent() {
            std::fs::create_dir_all(parent).expect("mkdir");
        }
        std::fs::write(&p, content).expect("write");
        p
    }

    fn cmd(&self, args: &[&str]) -> Command {
        let mut c = Command::new(BIN);
        c.args(args)
            .current_dir(self.path())
            .env_remove("NO_COLOR")
            .stdin(Stdio::null());
        c
    }

    fn run(&self, args: &[&str]) -> Output {
        self.cmd(args).output().expect("run secrets-guard")
    }

    fn run_stdin(&self, args: &[&str], input: &str) -> Output {
        let mut child = self
            .cmd(args)
            .stdin(Stdio::piped())
            .stdout(Stdio::piped())
            .stderr(Stdio::piped())
            .spawn()
            .expect("spawn");
        child
            .stdin
            .take()
            .expect("stdin")
            .write_all(input.as_bytes())
            .expect("write stdin");
        child.wait_with_output().expect("wait")
    }

    fn json(&self, args: &[&str]) -> (i32, Value) {
        let mut all = vec!["scan", "--format", "json"];
        all.extend_from_slice(args);
        let out = self.run(&all);
        let v = serde_json::from_slice(&out.stdout).unwrap_or_else(|e| {
            panic!(
                "invalid JSON ({e}): {}",
                String::from_utf8_lossy(&out.stdout)
            )
        });
        (code(&out), v)
    }
}

fn code(out: &Output) -> i32 {
    out.status.code().expect("exit code")
}

fn stdout(out: &Output) -> String {
    String::from_utf8_lossy(&out.stdout).into_owned()
}

fn stderr(out: &Output) -> String {
    String::from_utf8_lossy(&out.stderr).into_owned()
}

/// `(rule, line, column)` of every finding in a JSON report, in report order.
fn found(v: &Value) -> Vec<(String, u64, u64)> {
    v["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .map(|f| {
            (
                f["rule"].as_str().expect("rule").to_string(),
                f["line"].as_u64().expect("line"),
                f["column"].as_u64().expect("column"),
            )
        })
        .collect()
}

/// The rule ids of the findings in a JSON report, in report order.
fn rule_ids(v: &Value) -> Vec<String> {
    found(v).into_iter().map(|(r, _, _)| r).collect()
}

fn keys(v: &Value) -> Vec<&str> {
    let mut k: Vec<&str> = v
        .as_object()
        .expect("object")
        .keys()
        .map(String::as_str)
        .collect();
    k.sort_unstable();
    k
}

#[test]
fn exit_codes() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    fx.write("clean.yaml", CLEAN);
    fx.write("bad.yaml", "kind: [unclosed\n");
    // The full default rule set finds nothing in a plain ConfigMap.
    let (c, v) = fx.json(&["clean.yaml"]);
    assert_eq!(c, 0, "{v}");
    assert_eq!(rule_ids(&v), Vec::<String>::new());
    assert_eq!(code(&fx.run(&["scan", "clean.yaml"])), 0);
    // RBAC-001 alone: one high finding.
    let run = |extra: &[&str]| {
        let mut args = vec!["scan", "role.yaml", PIN[0], PIN[1]];
        args.extend_from_slice(extra);
        code(&fx.run(&args))
    };
    assert_eq!(run(&[]), 1);
    assert_eq!(run(&["--fail-on", "high"]), 1);
    assert_eq!(run(&["--fail-on", "medium"]), 1);
    assert_eq!(run(&["--fail-on", "critical"]), 0);
    assert_eq!(run(&["--fail-on", "none"]), 0);
    // --min-severity drops the finding altogether.
    assert_eq!(run(&["--min-severity", "critical"]), 0);
    let (_, v) = fx.json(&["role.yaml", PIN[0], PIN[1], "--min-severity", "critical"]);
    assert_eq!(v["findings"], serde_json::json!([]));
    assert_eq!(v["summary"]["findings"], 0);
    // RBAC-002 alone: one medium finding, below the default threshold.
    let medium = |extra: &[&str]| {
        let mut args = vec!["scan", "role.yaml", "--select", "RBAC-002"];
        args.extend_from_slice(extra);
        code(&fx.run(&args))
    };
    assert_eq!(medium(&[]), 0);
    assert_eq!(medium(&["--fail-on", "high"]), 0);
    assert_eq!(medium(&["--fail-on", "medium"]), 1);
    assert_eq!(medium(&["--fail-on", "low"]), 1);
    assert_eq!(
        medium(&["--fail-on", "medium", "--min-severity", "high"]),
        0
    );
    // Input errors take precedence over findings, and what was readable is still reported.
    let (c, v) = fx.json(&["role.yaml", "bad.yaml", "missing.yaml", PIN[0], PIN[1]]);
    assert_eq!(c, 2);
    assert_eq!(found(&v), [("RBAC-001".to_string(), 7, 58)]);
    assert_eq!(v["findings"][0]["file"], "role.yaml");
    let errors = v["errors"].as_array().expect("errors");
    assert_eq!(errors.len(), 2, "{errors:?}");
    assert_eq!(errors[0]["file"], "bad.yaml");
    assert!(errors[0]["line"].as_u64().unwrap() >= 1);
    assert_eq!(errors[1]["file"], "missing.yaml");
    assert!(errors[1]["message"]
        .as_str()
        .unwrap()
        .contains("no such file"));
    assert_eq!(v["summary"]["errors"], 2);
    assert_eq!(v["summary"]["files"], 3);
    // Even with no finding at all, an input error exits 2.
    let (c, v) = fx.json(&["clean.yaml", "bad.yaml"]);
    assert_eq!(c, 2, "{v}");
    // Usage errors.
    assert_eq!(code(&fx.run(&["scan", "--format", "xml", "role.yaml"])), 2);
    assert_eq!(
        code(&fx.run(&["scan", "--fail-on", "severe", "role.yaml"])),
        2
    );
    assert_eq!(code(&fx.run(&["frobnicate"])), 2);
}

#[test]
fn text_output_points_at_the_span() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    let out = fx.run(&["scan", "role.yaml", PIN[0], PIN[1]]);
    let text = stdout(&out);
    assert!(!text.contains('\x1b'), "no colors in a pipe: {text}");
    assert!(
        text.contains("high[RBAC-001]: Role grants list or watch on Secrets"),
        "{text}"
    );
    assert!(text.contains(" --> role.yaml:7:58\n"), "{text}");
    assert!(
        text.contains("7 |   - {apiGroups: [\"\"], resources: [secrets], verbs: [get, list]}\n")
    );
    let caret_line = text.lines().find(|l| l.contains('^')).expect("carets");
    assert_eq!(caret_line.find('^'), Some(4 + 57), "{text}");
    assert!(caret_line.contains("^^^^ "), "{text}");
    assert!(text.contains("= help: "), "{text}");
    assert!(
        text.ends_with("Found 1 finding (1 high) in 1 file (1 object)\n"),
        "{text}"
    );
    let forced = stdout(&fx.run(&["scan", "role.yaml", PIN[0], PIN[1], "--color", "always"]));
    assert!(forced.contains('\x1b'));
    assert!(forced.contains("RBAC-001"), "{forced}");
}

/// The full default rule set on a realistic manifest: exactly these findings, no others.
#[test]
fn default_rules_on_a_realistic_role() {
    let fx = Fixture::new();
    fx.write(
        "secret-reader.yaml",
        "\
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata:
  name: secret-reader
  namespace: default
rules:
  - apiGroups: [\"\"]
    resources: [\"secrets\"]
    verbs: [\"get\", \"list\", \"watch\"]
",
    );
    let (c, v) = fx.json(&["secret-reader.yaml"]);
    assert_eq!(c, 1, "{v}");
    assert_eq!(
        found(&v),
        [
            ("OBJ-007".to_string(), 5, 14),
            ("RBAC-002".to_string(), 9, 13),
            ("RBAC-001".to_string(), 9, 20),
            ("RBAC-001".to_string(), 9, 28),
        ]
    );
    let paths: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["path"].as_str().unwrap())
        .collect();
    assert_eq!(
        paths,
        [
            "/metadata/namespace",
            "/rules/0/verbs/0",
            "/rules/0/verbs/1",
            "/rules/0/verbs/2"
        ]
    );
    assert_eq!(v["summary"]["by_severity"]["high"], 2, "{v}");
    assert_eq!(v["summary"]["by_severity"]["medium"], 1, "{v}");
    assert_eq!(v["summary"]["by_severity"]["low"], 1, "{v}");
    let text = stdout(&fx.run(&["scan", "secret-reader.yaml"]));
    assert!(
        text.ends_with("Found 4 findings (2 high, 1 medium, 1 low) in 1 file (1 object)\n"),
        "{text}"
    );
}

#[test]
fn stdin_input() {
    let fx = Fixture::new();
    let out = fx.run_stdin(&["scan", "--format", "json", "-"], ROLE);
    assert_eq!(code(&out), 1, "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["findings"][0]["file"], "<stdin>");
    // No PATH and a piped stdin: stdin is read.
    let out = fx.run_stdin(&["scan", "--format", "json"], ROLE);
    assert_eq!(code(&out), 1);
    // No PATH and an empty stdin: the current directory is scanned.
    fx.write("sub/role.yaml", ROLE);
    let out = fx.run_stdin(&["scan", "--format", "json"], "");
    let v: Value = serde_json::from_slice(&out.stdout).expect("json");
    assert_eq!(v["findings"][0]["file"], "sub/role.yaml");
}

#[test]
fn directory_recursion() {
    let fx = Fixture::new();
    fx.write("manifests/b/role.yaml", ROLE);
    fx.write("manifests/a/role.yml", ROLE);
    fx.write(
        "manifests/a/clean.json",
        r#"{"apiVersion":"v1","kind":"ConfigMap","metadata":{"name":"x"}}"#,
    );
    fx.write("manifests/notes.txt", ROLE);
    fx.write("manifests/.hidden/role.yaml", ROLE);
    fx.write(".git/role.yaml", ROLE);
    // Config files are discovered from the current directory, not from scanned directories.
    fx.write("manifests/.secrets-guard.yaml", "disable: [RBAC-001]\n");
    let (c, v) = fx.json(&["manifests", PIN[0], PIN[1]]);
    assert_eq!(c, 1);
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["manifests/a/role.yml", "manifests/b/role.yaml"]);
    assert_eq!(v["summary"]["files"], 3);
    // `.` scans everything but hidden paths, with names relative to it.
    let (_, v) = fx.json(&[".", PIN[0], PIN[1]]);
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["manifests/a/role.yml", "manifests/b/role.yaml"]);
    assert_eq!(v["summary"]["files"], 3);
    // A file named explicitly is read whatever its extension.
    let (c, v) = fx.json(&["manifests/notes.txt", PIN[0], PIN[1]]);
    assert_eq!(c, 1);
    assert_eq!(v["findings"][0]["file"], "manifests/notes.txt");
}

#[test]
fn json_contract() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    let (_, v) = fx.json(&["role.yaml", PIN[0], PIN[1]]);
    assert_eq!(v["tool"], "secrets-guard");
    assert!(v["version"].as_str().is_some_and(|s| !s.is_empty()));
    for k in ["findings", "errors", "summary"] {
        assert!(v.get(k).is_some(), "missing {k}");
    }
    let f = &v["findings"][0];
    let fk = keys(f);
    for k in [
        "rule",
        "title",
        "severity",
        "area",
        "message",
        "file",
        "line",
        "column",
        "path",
        "object",
        "remediation",
        "suppressed",
    ] {
        assert!(fk.contains(&k), "finding lacks `{k}`: {fk:?}");
    }
    assert_eq!(
        keys(&f["object"]),
        ["apiVersion", "kind", "name", "namespace"]
    );
    assert_eq!(f["rule"], "RBAC-001");
    assert_eq!(f["severity"], "high");
    assert_eq!(f["area"], "access-control");
    assert_eq!(f["file"], "role.yaml");
    assert_eq!(f["line"], 7);
    assert_eq!(f["column"], 58);
    assert_eq!(f["path"], "/rules/0/verbs/1");
    assert_eq!(f["object"]["kind"], "Role");
    assert_eq!(f["object"]["namespace"], "app");
    assert_eq!(f["object"]["name"], "reader");
    assert_eq!(f["suppressed"], false);
    assert!(f["remediation"].as_str().is_some_and(|s| !s.is_empty()));
    assert_eq!(v["findings"].as_array().unwrap().len(), 1, "{v}");
    // With every rule, each finding has the same shape.
    let (_, all) = fx.json(&["role.yaml"]);
    let all = all["findings"].as_array().unwrap();
    assert!(all.len() >= 2, "{all:?}");
    for g in all {
        assert_eq!(keys(g), fk, "{g}");
        assert_eq!(keys(&g["object"]), keys(&f["object"]), "{g}");
    }
    // Errors: exactly file, line, column, message.
    fx.write("bad.yaml", "a: [1\n");
    let (_, v) = fx.json(&["bad.yaml"]);
    assert_eq!(keys(&v["errors"][0]), ["column", "file", "line", "message"]);
    let s = &v["summary"];
    for k in [
        "files",
        "documents",
        "objects",
        "findings",
        "suppressed",
        "errors",
        "by_severity",
    ] {
        assert!(s.get(k).is_some(), "summary lacks `{k}`");
    }
}

fn sarif_schema() -> Option<Value> {
    let path = match std::env::var_os("SARIF_SCHEMA") {
        Some(p) => PathBuf::from(p),
        None => {
            Path::new(env!("CARGO_MANIFEST_DIR")).join("../../.tools/sarif/sarif-schema-2.1.0.json")
        }
    };
    match std::fs::read_to_string(&path) {
        Ok(text) => Some(serde_json::from_str(&text).expect("the SARIF schema is valid JSON")),
        Err(e) => {
            if std::env::var("SG_ALLOW_MISSING_SARIF_SCHEMA").as_deref() == Ok("1") {
                eprintln!(
                    "SARIF schema missing at {} ({e}); not validating",
                    path.display()
                );
                return None;
            }
            panic!(
                "the SARIF 2.1.0 schema is missing at {} ({e}).\n\
                 Install it with `scripts/fetch-sarif-schema.sh` (run by scripts/bootstrap.sh), \
                 point SARIF_SCHEMA at a copy of sarif-schema-2.1.0.json, or set \
                 SG_ALLOW_MISSING_SARIF_SCHEMA=1 to skip the validation.",
                path.display()
            )
        }
    }
}

fn validate_sarif(log: &Value) {
    let Some(schema) = sarif_schema() else { return };
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let errors: Vec<String> = validator
        .iter_errors(log)
        .map(|e| format!("{} at {}", e, e.instance_path()))
        .collect();
    assert!(
        errors.is_empty(),
        "SARIF does not validate:\n{}",
        errors.join("\n")
    );
}

/// The validation is not vacuous: the schema rejects a log that breaks it.
#[test]
fn sarif_schema_rejects_invalid_logs() {
    let Some(schema) = sarif_schema() else { return };
    let validator = jsonschema::draft4::new(&schema).expect("schema compiles");
    let good = serde_json::json!({"version": "2.1.0", "runs": []});
    assert!(validator.is_valid(&good));
    let bad_version = serde_json::json!({"version": "2.0.0", "runs": []});
    assert!(!validator.is_valid(&bad_version));
    let bad_level = serde_json::json!({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "level": "critical"}]
    }]});
    assert!(!validator.is_valid(&bad_level));
    let bad_region = serde_json::json!({"version": "2.1.0", "runs": [{
        "tool": {"driver": {"name": "x"}},
        "results": [{"message": {"text": "m"}, "locations": [{"physicalLocation": {
            "artifactLocation": {"uri": "a.yaml"}, "region": {"startLine": 0}}}]}]
    }]});
    assert!(!validator.is_valid(&bad_region));
}

#[test]
fn sarif_validates_and_carries_what_github_needs() {
    let fx = Fixture::new();
    fx.write("deploy/role.yaml", ROLE);
    fx.write(
        "deploy/ok role.yaml",
        suppressed_role("RBAC-001=operator lists its own secrets"),
    );
    fx.write("deploy/bad.yaml", "a: [1\n");
    // A finding with a suggested fix (OBJ-008: `immutable: true`), so `fixes` is validated too.
    fx.write(
        "deploy/secret.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: app}\ndata: {k: dg==}\n",
    );
    let out = fx.run(&["scan", "--format", "sarif", "deploy"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let log: Value = serde_json::from_slice(&out.stdout).expect("json");
    validate_sarif(&log);
    let fixed: Vec<&Value> = log["runs"][0]["results"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|r| r.get("fixes").is_some())
        .collect();
    assert_eq!(fixed.len(), 1, "{fixed:?}");
    assert_eq!(fixed[0]["ruleId"], "OBJ-008");
    let change = &fixed[0]["fixes"][0]["artifactChanges"][0];
    assert_eq!(change["artifactLocation"]["uri"], "deploy/secret.yaml");
    assert_eq!(
        change["replacements"][0]["insertedContent"]["text"],
        "immutable: true\n"
    );
    assert_eq!(log["version"], "2.1.0");
    assert!(log["$schema"].as_str().unwrap().contains("sarif"));
    let run = &log["runs"][0];
    let driver = &run["tool"]["driver"];
    assert_eq!(driver["name"], "secrets-guard");
    let rules = driver["rules"].as_array().unwrap();
    assert!(!rules.is_empty());
    for r in rules {
        for k in [
            "id",
            "name",
            "shortDescription",
            "fullDescription",
            "help",
            "defaultConfiguration",
        ] {
            assert!(r.get(k).is_some(), "rule lacks {k}: {r}");
        }
        assert!(r["help"]["markdown"]
            .as_str()
            .unwrap()
            .contains("## What it does"));
        let sev: f64 = r["properties"]["security-severity"]
            .as_str()
            .unwrap()
            .parse()
            .unwrap();
        assert!((0.0..=10.0).contains(&sev));
        assert!(r["properties"]["tags"]
            .as_array()
            .unwrap()
            .contains(&"security".into()));
    }
    // The full rule set runs here: every manifest rule is described (the audit event rules
    // are listed by `rules` too, but never run on manifests), every result points at its rule.
    assert_eq!(
        rules.len(),
        stdout(&fx.run(&["rules", "--format", "json"]))
            .parse::<Value>()
            .unwrap()
            .as_array()
            .unwrap()
            .iter()
            .filter(|r| r["input"] == "manifests")
            .count()
    );
    let results = run["results"].as_array().unwrap();
    for r in results {
        assert_eq!(
            rules[r["ruleIndex"].as_u64().unwrap() as usize]["id"],
            r["ruleId"],
            "{r}"
        );
    }
    let uri = |r: &Value| {
        r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"]
            .as_str()
            .unwrap()
            .to_string()
    };
    // Both files also have an RBAC-002 result, which the RBAC-001 suppression leaves open.
    let mut rbac002: Vec<String> = results
        .iter()
        .filter(|r| r["ruleId"] == "RBAC-002")
        .inspect(|r| assert!(r.get("suppressions").is_none(), "{r}"))
        .map(uri)
        .collect();
    rbac002.sort();
    assert_eq!(rbac002, ["deploy/ok%20role.yaml", "deploy/role.yaml"]);
    let rbac001: Vec<&Value> = results
        .iter()
        .filter(|r| r["ruleId"] == "RBAC-001")
        .collect();
    assert_eq!(rbac001.len(), 2, "{results:?}");
    let by_uri = |u: &str| {
        *rbac001
            .iter()
            .find(|r| uri(r) == u)
            .unwrap_or_else(|| panic!("no RBAC-001 result for {u}: {results:?}"))
    };
    let open = by_uri("deploy/role.yaml");
    assert_eq!(open["ruleId"], "RBAC-001");
    assert_eq!(open["level"], "error");
    assert_eq!(
        rules[open["ruleIndex"].as_u64().unwrap() as usize]["id"],
        "RBAC-001"
    );
    let region = &open["locations"][0]["physicalLocation"]["region"];
    assert_eq!(region["startLine"], 7);
    assert_eq!(region["startColumn"], 58);
    assert_eq!(region["endLine"], 7);
    assert_eq!(region["endColumn"], 62);
    assert!(
        open["partialFingerprints"]["secretsGuard/v1"]
            .as_str()
            .unwrap()
            .len()
            == 16
    );
    assert!(open.get("suppressions").is_none());
    let suppressed = by_uri("deploy/ok%20role.yaml");
    assert_eq!(
        suppressed["suppressions"],
        serde_json::json!([{"kind": "inSource", "justification": "operator lists its own secrets"}])
    );
    let inv = &run["invocations"][0];
    assert_eq!(inv["executionSuccessful"], false);
    let note = &inv["toolExecutionNotifications"][0];
    assert_eq!(note["level"], "error");
    assert_eq!(
        note["locations"][0]["physicalLocation"]["artifactLocation"]["uri"],
        "deploy/bad.yaml"
    );
    // A clean run validates too.
    fx.write("clean.yaml", CLEAN);
    let out = fx.run(&["scan", "--format", "sarif", "clean.yaml"]);
    assert_eq!(code(&out), 0);
    validate_sarif(&serde_json::from_slice(&out.stdout).unwrap());
}

#[test]
fn suppression_annotations() {
    let fx = Fixture::new();
    fx.write(
        "ok.yaml",
        suppressed_role("RBAC-001=operator lists its own secrets"),
    );
    let (c, v) = fx.json(&["ok.yaml", PIN[0], PIN[1]]);
    assert_eq!(c, 0, "{v}");
    assert_eq!(found(&v), [("RBAC-001".to_string(), 9, 58)]);
    assert_eq!(v["findings"][0]["suppressed"], true);
    assert_eq!(
        v["findings"][0]["suppression_reason"],
        "operator lists its own secrets"
    );
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["summary"]["findings"], 0);
    let text = stdout(&fx.run(&["scan", "ok.yaml", PIN[0], PIN[1]]));
    assert!(text.contains("No findings, 1 suppressed"), "{text}");
    assert!(!text.contains("RBAC-001"), "{text}");
    let text = stdout(&fx.run(&["scan", "ok.yaml", PIN[0], PIN[1], "--show-suppressed"]));
    assert!(text.contains("RBAC-001"), "{text}");
    // The suppression is for one rule: RBAC-002 on the same object is still reported.
    let (c, v) = fx.json(&["ok.yaml"]);
    assert_eq!(c, 0, "{v}");
    let open: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|f| f["suppressed"] == false)
        .map(|f| f["rule"].as_str().unwrap())
        .collect();
    assert!(open.contains(&"RBAC-002"), "{v}");
    assert!(!open.contains(&"RBAC-001"), "{v}");
    // Several rules in one annotation.
    fx.write(
        "both.yaml",
        suppressed_role(
            "RBAC-001=operator lists its own secrets, RBAC-002=reads them all, by design",
        ),
    );
    let (c, v) = fx.json(&["both.yaml", "--select", "RBAC-001,RBAC-002"]);
    assert_eq!(c, 0, "{v}");
    assert_eq!(v["summary"]["suppressed"], 2, "{v}");
    assert_eq!(v["summary"]["findings"], 0, "{v}");
    let reasons: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["suppression_reason"].as_str().unwrap())
        .collect();
    assert!(reasons.contains(&"reads them all, by design"), "{v}");
    // A suppression without a reason does not suppress, and is an input error.
    fx.write("noreason.yaml", suppressed_role("RBAC-001"));
    let (c, v) = fx.json(&["noreason.yaml", PIN[0], PIN[1]]);
    assert_eq!(c, 2);
    assert_eq!(found(&v), [("RBAC-001".to_string(), 9, 58)]);
    assert_eq!(v["findings"][0]["suppressed"], false);
    let e = &v["errors"][0];
    assert_eq!(e["file"], "noreason.yaml");
    assert_eq!(e["line"], 7);
    assert!(e["message"].as_str().unwrap().contains("no reason"), "{e}");
    // `honor_suppression_annotations: false` turns the annotations off.
    let cfg = fx.write("honor.yaml", "honor_suppression_annotations: false\n");
    let (c, v) = fx.json(&["--config", cfg.to_str().unwrap(), "ok.yaml", PIN[0], PIN[1]]);
    assert_eq!(c, 1, "{v}");
    assert_eq!(v["findings"][0]["suppressed"], false);
}

#[test]
fn rules_and_explain() {
    let fx = Fixture::new();
    let out = fx.run(&["rules"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    let header = text.lines().next().unwrap();
    assert!(header.starts_with("ID") && header.contains("SEVERITY") && header.contains("TITLE"));
    assert!(text.lines().any(|l| l.starts_with("RBAC-001")
        && l.contains("high")
        && l.contains("access-control")
        && l.contains("Role grants list or watch on Secrets")));
    let out = fx.run(&["rules", "--format", "json"]);
    let list: Value = serde_json::from_slice(&out.stdout).unwrap();
    let rbac = list
        .as_array()
        .unwrap()
        .iter()
        .find(|r| r["id"] == "RBAC-001")
        .expect("RBAC-001 listed");
    assert_eq!(rbac["severity"], "high");
    assert_eq!(rbac["area"], "access-control");

    let out = fx.run(&["explain", "rbac-001"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.starts_with("# RBAC-001 Role grants list or watch on Secrets"));
    for s in [
        "## What it does",
        "## Why is this bad?",
        "## Example",
        "## Use instead",
        "## References",
    ] {
        assert!(text.contains(s), "{s}");
    }
    let out = fx.run(&["explain", "RBAC-01"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("did you mean `RBAC-001`?"),
        "{}",
        stderr(&out)
    );
}

#[test]
fn select_ignore_and_validation() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    let ids = |args: &[&str]| {
        let mut all = args.to_vec();
        all.push("role.yaml");
        let (c, v) = fx.json(&all);
        (c, rule_ids(&v))
    };
    let both = vec!["RBAC-002".to_string(), "RBAC-001".to_string()];
    // Everything that fires on this Role is access-control, and exactly these two.
    assert_eq!(ids(&[]), (1, both.clone()));
    assert_eq!(
        ids(&["--ignore", "RBAC-001"]),
        (0, vec!["RBAC-002".to_string()])
    );
    assert_eq!(ids(&["--ignore", "rbac-001,RBAC-002"]), (0, vec![]));
    assert_eq!(ids(&["--ignore", "access-control"]), (0, vec![]));
    assert_eq!(ids(&["--ignore", "rbac-*"]), (0, vec![]));
    assert_eq!(
        ids(&["--select", "RBAC-*,access-control"]),
        (1, both.clone())
    );
    assert_eq!(
        ids(&["--select", "rbac-002"]),
        (0, vec!["RBAC-002".to_string()])
    );
    assert_eq!(ids(&["--select", "ENC-*,AUD-*"]), (0, vec![]));
    assert_eq!(
        ids(&["--select", "access-control", "--ignore", "RBAC-002"]),
        (1, vec!["RBAC-001".to_string()])
    );
    for args in [
        &["scan", "--select", "RBAC-01", "role.yaml"][..],
        &["scan", "--ignore", "rbac-1", "role.yaml"][..],
    ] {
        let out = fx.run(args);
        assert_eq!(code(&out), 2);
        let bad = args[2];
        assert!(
            stderr(&out).contains(&format!(
                "unknown rule id or area `{bad}`; did you mean `RBAC-001`?"
            )),
            "{}",
            stderr(&out)
        );
        assert!(stdout(&out).is_empty());
    }
    let out = fx.run(&[
        "scan",
        "--select",
        "RBAC-001",
        "--ignore",
        "RBAC-001",
        "role.yaml",
    ]);
    assert_eq!(code(&out), 2);
    assert!(stdout(&out).is_empty());
}

#[test]
fn config_discovery() {
    let fx = Fixture::new();
    fx.write("apps/web/role.yaml", ROLE);
    let sub = fx.path().join("apps/web");
    let run_in = |dir: &Path, args: &[&str]| {
        Command::new(BIN)
            .args(args)
            .current_dir(dir)
            .stdin(Stdio::null())
            .output()
            .expect("run")
    };
    // Exit status and findings, with only RBAC-001 selected (`--select` replaces `enable` but
    // leaves the other keys of the config file in force; the files below disable the area, as
    // disabling the selected id itself would be a conflict).
    let pinned = |dir: &Path, extra: &[&str]| {
        let mut args = vec!["scan", "--format", "json", PIN[0], PIN[1]];
        args.extend_from_slice(extra);
        args.push("role.yaml");
        let out = run_in(dir, &args);
        let v: Value = serde_json::from_slice(&out.stdout)
            .unwrap_or_else(|e| panic!("invalid JSON ({e}): {}", stderr(&out)));
        (code(&out), v)
    };
    let (c, v) = pinned(&sub, &[]);
    assert_eq!((c, rule_ids(&v)), (1, vec!["RBAC-001".to_string()]));
    // Found in a parent directory (up to the git root).
    fx.write(".secrets-guard.yaml", "disable: [access-control]\n");
    let (c, v) = pinned(&sub, &[]);
    assert_eq!((c, rule_ids(&v)), (0, vec![]));
    let (c, v) = pinned(&sub, &["--no-config"]);
    assert_eq!((c, rule_ids(&v)), (1, vec!["RBAC-001".to_string()]));
    // The nearest one wins; `fail_on` is a CLI key.
    fx.write(
        "apps/.secrets-guard.yaml",
        "fail_on: critical\nmin_severity: info\n",
    );
    let (c, v) = pinned(&sub, &[]);
    assert_eq!((c, rule_ids(&v)), (0, vec!["RBAC-001".to_string()]));
    let (c, _) = pinned(&sub, &["--fail-on", "high"]);
    assert_eq!(c, 1);
    // `enable` in the file selects the rules, unless --select replaces it.
    fx.write(
        "apps/.secrets-guard.yaml",
        "enable: [RBAC-002]\nfail_on: medium\n",
    );
    let out = run_in(&sub, &["scan", "--format", "json", "role.yaml"]);
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(
        (code(&out), rule_ids(&v)),
        (1, vec!["RBAC-002".to_string()])
    );
    let (c, v) = pinned(&sub, &[]);
    assert_eq!((c, rule_ids(&v)), (1, vec!["RBAC-001".to_string()]));
    // The command line wins: --select re-enables a rule the file disables...
    fx.write("apps/.secrets-guard.yaml", "disable: [RBAC-001]\n");
    let (c, v) = pinned(&sub, &[]);
    assert_eq!((c, rule_ids(&v)), (1, vec!["RBAC-001".to_string()]));
    // ...while the same id both enabled and disabled in the file is a configuration error.
    fx.write(
        "apps/.secrets-guard.yaml",
        "enable: [RBAC-001]\ndisable: [RBAC-001]\n",
    );
    let out = run_in(&sub, &["scan", "role.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(
        stderr(&out).contains("`RBAC-001` is both enabled and disabled"),
        "{}",
        stderr(&out)
    );
    // --config names one explicitly.
    let cfg = fx.write("other.yaml", "severity_overrides: {RBAC-001: low}\n");
    let (c, v) = pinned(&sub, &["--config", cfg.to_str().unwrap()]);
    assert_eq!((c, rule_ids(&v)), (0, vec!["RBAC-001".to_string()]));
    assert_eq!(v["findings"][0]["severity"], "low");
    // Discovery stops at the git root.
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join(".secrets-guard.yaml"),
        "disable: [access-control]\n",
    )
    .unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join("role.yaml"), ROLE).unwrap();
    let (c, v) = pinned(&repo, &[]);
    assert_eq!((c, rule_ids(&v)), (1, vec!["RBAC-001".to_string()]));
    // A bad config is a usage error.
    fx.write("apps/.secrets-guard.yaml", "disable: [RBAC-01]\n");
    let out = run_in(&sub, &["scan", "role.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("RBAC-01"), "{}", stderr(&out));
    fx.write("apps/.secrets-guard.yaml", "colour: red\n");
    let out = run_in(&sub, &["scan", "role.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("colour"), "{}", stderr(&out));
}

#[test]
fn encoding_and_limit_errors() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    fx.write("latin1.yaml", b"kind: ConfigMap\nname: caf\xe9\n");
    let (c, v) = fx.json(&["latin1.yaml", "role.yaml", PIN[0], PIN[1]]);
    assert_eq!(c, 2);
    assert_eq!(found(&v), [("RBAC-001".to_string(), 7, 58)]);
    let e = &v["errors"][0];
    assert_eq!(e["file"], "latin1.yaml");
    assert_eq!(e["line"], 2);
    assert!(e["message"].as_str().unwrap().contains("UTF-8"));
    let text = stdout(&fx.run(&["scan", "latin1.yaml"]));
    assert!(text.contains("error: input is not valid UTF-8"), "{text}");
    assert!(text.contains("--> latin1.yaml:2:10"), "{text}");

    let (c, v) = fx.json(&["--max-input-bytes", "50", "role.yaml"]);
    assert_eq!(c, 2);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-input-bytes"));
    let out = fx.run_stdin(
        &["scan", "--format", "json", "--max-input-bytes", "50", "-"],
        ROLE,
    );
    assert_eq!(code(&out), 2);
    let (c, v) = fx.json(&["--max-depth", "2", "role.yaml"]);
    assert_eq!(c, 2);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-depth"));
    // The limit is per input, not per run; a file named twice is read once.
    fx.write("copy.yaml", ROLE);
    let (c, v) = fx.json(&[
        "--max-documents",
        "1",
        "role.yaml",
        "copy.yaml",
        "role.yaml",
        PIN[0],
        PIN[1],
    ]);
    assert_eq!(c, 1, "{v}");
    let files: Vec<&str> = v["findings"]
        .as_array()
        .unwrap()
        .iter()
        .map(|f| f["file"].as_str().unwrap())
        .collect();
    assert_eq!(files, ["role.yaml", "copy.yaml"], "{v}");
    fx.write("two.yaml", format!("{ROLE}---\n{ROLE}"));
    let (c, v) = fx.json(&["--max-documents", "1", "two.yaml"]);
    assert_eq!(c, 2);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-documents"));
    let (c, v) = fx.json(&["--max-document-chars", "20", "role.yaml"]);
    assert_eq!(c, 2);
    assert!(v["errors"][0]["message"]
        .as_str()
        .unwrap()
        .contains("--max-document-chars"));
}

#[test]
fn output_file() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    let out = fx.run(&[
        "scan",
        "--format",
        "json",
        "--output",
        "report.json",
        PIN[0],
        PIN[1],
        "role.yaml",
    ]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let v: Value =
        serde_json::from_slice(&std::fs::read(fx.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(found(&v), [("RBAC-001".to_string(), 7, 58)]);
}

#[test]
fn help_documents_exit_codes_and_stdin() {
    let fx = Fixture::new();
    let out = fx.run(&["scan", "--help"]);
    assert_eq!(code(&out), 0);
    let text = stdout(&out);
    assert!(text.contains("Exit status"), "{text}");
    assert!(text.contains("Input errors take precedence"), "{text}");
    assert!(text.contains("stdin"), "{text}");
    let out = fx.run(&["--version"]);
    assert!(stdout(&out).starts_with("secrets-guard "));
}

/// `audit-log --format sarif` validates against the SARIF 2.1.0 schema and carries each AEV
/// finding at its event's line, with malformed lines as warning notifications.
#[test]
fn audit_log_sarif_validates() {
    let f = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("../../tests/fixtures/audit/incidents.jsonl")
        .display()
        .to_string();
    let o = Command::new(BIN)
        .args(["audit-log", "--format", "sarif", &f])
        .stdin(Stdio::null())
        .output()
        .expect("run secrets-guard");
    assert_eq!(o.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    validate_sarif(&log);
    let run = &log["runs"][0];
    let at: Vec<(String, u64)> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .map(|r| {
            (
                r["ruleId"].as_str().unwrap_or_default().to_string(),
                r["locations"][0]["physicalLocation"]["region"]["startLine"]
                    .as_u64()
                    .unwrap_or_default(),
            )
        })
        .collect();
    let expected: Vec<(String, u64)> = [
        ("AEV-002", 4),
        ("AEV-004", 7),
        ("AEV-005", 13),
        ("AEV-006", 15),
        ("AEV-006", 16),
        ("AEV-007", 17),
        ("AEV-001", 18),
        ("AEV-009", 22),
    ]
    .iter()
    .map(|(r, l)| (r.to_string(), *l))
    .collect();
    assert_eq!(at, expected);
    let rules = run["tool"]["driver"]["rules"].as_array().expect("rules");
    for r in run["results"].as_array().expect("results") {
        let i = r["ruleIndex"].as_u64().expect("ruleIndex") as usize;
        assert_eq!(rules[i]["id"], r["ruleId"]);
    }
    let notes = run["invocations"][0]["toolExecutionNotifications"]
        .as_array()
        .expect("notifications");
    let lines: Vec<u64> = notes
        .iter()
        .map(|n| {
            n["locations"][0]["physicalLocation"]["region"]["startLine"]
                .as_u64()
                .unwrap_or_default()
        })
        .collect();
    assert_eq!(lines, vec![6, 20]);
    assert_eq!(notes[0]["level"], "warning");
    // With the audit Policy cross-check: AEV-010 results and the `policyCheck` run property.
    let fixtures = Path::new(env!("CARGO_MANIFEST_DIR")).join("../../tests/fixtures/audit");
    let o = Command::new(BIN)
        .args(["audit-log", "--format", "sarif", "--policy"])
        .arg(fixtures.join("policy-gaps.yaml"))
        .arg(fixtures.join("workloads.yaml"))
        .arg(fixtures.join("exec-and-gaps.jsonl"))
        .stdin(Stdio::null())
        .output()
        .expect("run secrets-guard");
    assert_eq!(o.status.code(), Some(1));
    let log: Value = serde_json::from_slice(&o.stdout).expect("SARIF is JSON");
    validate_sarif(&log);
    let run = &log["runs"][0];
    let ids: Vec<&str> = run["results"]
        .as_array()
        .expect("results")
        .iter()
        .filter_map(|r| r["ruleId"].as_str())
        .collect();
    assert_eq!(
        ids,
        ["AEV-010", "AEV-010", "AEV-010", "AEV-010", "AEV-008", "AEV-008"]
    );
    assert_eq!(
        run["properties"]["policyCheck"]["gaps"][0]["kind"],
        "not-logged"
    );
}
