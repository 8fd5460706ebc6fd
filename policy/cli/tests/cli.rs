//! End-to-end tests of the `secrets-guard` binary on temporary files.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_secrets-guard");

/// A Role that RBAC-001 reports at line 7 (`list`).
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
    assert_eq!(code(&fx.run(&["scan", "clean.yaml"])), 0);
    assert_eq!(code(&fx.run(&["scan", "role.yaml"])), 1);
    assert_eq!(
        code(&fx.run(&["scan", "role.yaml", "--fail-on", "critical"])),
        0
    );
    assert_eq!(
        code(&fx.run(&["scan", "role.yaml", "--fail-on", "none"])),
        0
    );
    assert_eq!(
        code(&fx.run(&["scan", "role.yaml", "--fail-on", "medium"])),
        1
    );
    // --min-severity drops the finding altogether.
    assert_eq!(
        code(&fx.run(&["scan", "role.yaml", "--min-severity", "critical"])),
        0
    );
    // Input errors take precedence over findings, and what was readable is still reported.
    let (c, v) = fx.json(&["role.yaml", "bad.yaml", "missing.yaml"]);
    assert_eq!(c, 2);
    assert_eq!(v["findings"][0]["rule"], "RBAC-001");
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
    let out = fx.run(&["scan", "role.yaml"]);
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
    let forced = stdout(&fx.run(&["scan", "role.yaml", "--color", "always"]));
    assert!(forced.contains('\x1b'));
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
    fx.write("manifests/.secrets-guard.yaml", "disable: [RBAC-001]\n");
    let (c, v) = fx.json(&["manifests"]);
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
    let (_, v) = fx.json(&["."]);
    assert_eq!(v["findings"][0]["file"], "manifests/a/role.yml");
    assert_eq!(v["summary"]["files"], 3);
    // A file named explicitly is read whatever its extension.
    let (c, _) = fx.json(&["manifests/notes.txt"]);
    assert_eq!(c, 1);
}

#[test]
fn json_contract() {
    let fx = Fixture::new();
    fx.write("role.yaml", ROLE);
    let (_, v) = fx.json(&["role.yaml"]);
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
    let out = fx.run(&["scan", "--format", "sarif", "deploy"]);
    assert_eq!(code(&out), 2, "{}", stderr(&out));
    let log: Value = serde_json::from_slice(&out.stdout).expect("json");
    validate_sarif(&log);
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
    let results = run["results"].as_array().unwrap();
    assert_eq!(results.len(), 2, "{results:?}");
    let by_uri = |uri: &str| {
        results
            .iter()
            .find(|r| r["locations"][0]["physicalLocation"]["artifactLocation"]["uri"] == uri)
            .unwrap_or_else(|| panic!("no result for {uri}: {results:?}"))
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
    let (c, v) = fx.json(&["ok.yaml"]);
    assert_eq!(c, 0, "{v}");
    assert_eq!(v["findings"][0]["suppressed"], true);
    assert_eq!(
        v["findings"][0]["suppression_reason"],
        "operator lists its own secrets"
    );
    assert_eq!(v["summary"]["suppressed"], 1);
    assert_eq!(v["summary"]["findings"], 0);
    let text = stdout(&fx.run(&["scan", "ok.yaml"]));
    assert!(text.contains("No findings, 1 suppressed"), "{text}");
    // A suppression without a reason does not suppress, and is an input error.
    fx.write("noreason.yaml", suppressed_role("RBAC-001"));
    let (c, v) = fx.json(&["noreason.yaml"]);
    assert_eq!(c, 2);
    assert_eq!(v["findings"][0]["suppressed"], false);
    let e = &v["errors"][0];
    assert_eq!(e["file"], "noreason.yaml");
    assert_eq!(e["line"], 7);
    assert!(e["message"].as_str().unwrap().contains("no reason"), "{e}");
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
    assert_eq!(
        code(&fx.run(&["scan", "--ignore", "RBAC-001", "role.yaml"])),
        0
    );
    assert_eq!(
        code(&fx.run(&["scan", "--ignore", "access-control", "role.yaml"])),
        0
    );
    assert_eq!(
        code(&fx.run(&["scan", "--ignore", "rbac-*", "role.yaml"])),
        0
    );
    assert_eq!(
        code(&fx.run(&["scan", "--select", "RBAC-*,access-control", "role.yaml"])),
        1
    );
    let out = fx.run(&["scan", "--select", "RBAC-01", "role.yaml"]);
    assert_eq!(code(&out), 2);
    assert!(stderr(&out).contains("unknown rule id or area `RBAC-01`; did you mean `RBAC-001`?"));
    assert!(stdout(&out).is_empty());
    let out = fx.run(&[
        "scan",
        "--select",
        "RBAC-001",
        "--ignore",
        "RBAC-001",
        "role.yaml",
    ]);
    assert_eq!(code(&out), 2);
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
    assert_eq!(code(&run_in(&sub, &["scan", "role.yaml"])), 1);
    // Found in a parent directory (up to the git root).
    fx.write(".secrets-guard.yaml", "disable: [RBAC-001]\n");
    assert_eq!(code(&run_in(&sub, &["scan", "role.yaml"])), 0);
    assert_eq!(
        code(&run_in(&sub, &["scan", "--no-config", "role.yaml"])),
        1
    );
    // The nearest one wins; `fail_on` is a CLI key.
    fx.write(
        "apps/.secrets-guard.yaml",
        "fail_on: critical\nmin_severity: info\n",
    );
    let out = run_in(&sub, &["scan", "--format", "json", "role.yaml"]);
    assert_eq!(code(&out), 0, "{}", stderr(&out));
    let v: Value = serde_json::from_slice(&out.stdout).unwrap();
    assert_eq!(v["findings"][0]["rule"], "RBAC-001");
    assert_eq!(
        code(&run_in(&sub, &["scan", "--fail-on", "high", "role.yaml"])),
        1
    );
    // --config names one explicitly.
    let cfg = fx.write("other.yaml", "severity_overrides: {RBAC-001: low}\n");
    let out = run_in(
        &sub,
        &["scan", "--config", cfg.to_str().unwrap(), "role.yaml"],
    );
    assert_eq!(code(&out), 0);
    // Discovery stops at the git root.
    let outer = tempfile::tempdir().unwrap();
    std::fs::write(
        outer.path().join(".secrets-guard.yaml"),
        "disable: [RBAC-001]\n",
    )
    .unwrap();
    let repo = outer.path().join("repo");
    std::fs::create_dir_all(repo.join(".git")).unwrap();
    std::fs::write(repo.join("role.yaml"), ROLE).unwrap();
    assert_eq!(code(&run_in(&repo, &["scan", "role.yaml"])), 1);
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
    let (c, v) = fx.json(&["latin1.yaml", "role.yaml"]);
    assert_eq!(c, 2);
    assert_eq!(v["findings"][0]["rule"], "RBAC-001");
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
    let (c, v) = fx.json(&["--max-documents", "1", "role.yaml", "role.yaml"]);
    assert_eq!(c, 1, "{v}");
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
        "role.yaml",
    ]);
    assert_eq!(code(&out), 1);
    assert!(out.stdout.is_empty());
    let v: Value =
        serde_json::from_slice(&std::fs::read(fx.path().join("report.json")).unwrap()).unwrap();
    assert_eq!(v["findings"][0]["rule"], "RBAC-001");
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
