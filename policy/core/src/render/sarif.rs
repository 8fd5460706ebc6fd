//! SARIF 2.1.0 output, as GitHub code scanning reads it: one run, every rule of the registry in
//! `tool.driver.rules` (with its documentation as help text and a `security-severity`), one
//! result per finding with a region, a partial fingerprint, and an in-source suppression for
//! suppressed findings; input errors become tool execution notifications.

use serde_json::{json, Value};

use crate::finding::{Finding, InputError, Report, Severity};
use crate::fix::Fix;
use crate::registry;

/// The SARIF schema this output conforms to.
pub const SCHEMA: &str = "https://json.schemastore.org/sarif-2.1.0.json";

/// The key of [`Finding::fingerprint`] in `partialFingerprints`.
pub const FINGERPRINT_KEY: &str = "secretsGuard/v1";

/// What the renderer cannot know by itself.
#[derive(Debug, Clone, Default)]
pub struct SarifOptions<'a> {
    /// `tool.driver.informationUri` (the project's home page).
    pub information_uri: Option<&'a str>,
}

/// SARIF `level` for a severity: critical/high → error, medium → warning, low/info → note.
pub fn level(s: Severity) -> &'static str {
    match s {
        Severity::Critical | Severity::High => "error",
        Severity::Medium => "warning",
        Severity::Low | Severity::Info => "note",
    }
}

/// A file name as a SARIF `uri`: relative paths with forward slashes (percent-encoded where
/// needed), absolute paths as `file://` URIs.
pub fn file_uri(file: &str) -> String {
    let path = file.replace('\\', "/");
    let path = path.trim_start_matches("./");
    let bytes = path.as_bytes();
    let windows_abs =
        bytes.len() >= 3 && bytes[0].is_ascii_alphabetic() && bytes[1] == b':' && bytes[2] == b'/';
    if path.starts_with('/') {
        format!("file://{}", encode(path, true))
    } else if windows_abs {
        format!("file:///{}", encode(path, true))
    } else {
        encode(path, false)
    }
}

fn encode(path: &str, allow_colon: bool) -> String {
    let mut out = String::with_capacity(path.len());
    for b in path.bytes() {
        let keep = b.is_ascii_alphanumeric()
            || matches!(
                b,
                b'-' | b'.'
                    | b'_'
                    | b'~'
                    | b'/'
                    | b'!'
                    | b'$'
                    | b'&'
                    | b'\''
                    | b'('
                    | b')'
                    | b'*'
                    | b'+'
                    | b','
                    | b';'
                    | b'='
                    | b'@'
            )
            || (allow_colon && b == b':');
        if keep {
            out.push(b as char);
        } else {
            out.push_str(&format!("%{b:02X}"));
        }
    }
    out
}

fn region(line: u32, column: u32, end_line: u32, end_column: u32) -> Option<Value> {
    if line == 0 {
        return None;
    }
    let mut r = json!({ "startLine": line });
    if column > 0 {
        r["startColumn"] = json!(column);
    }
    if end_line >= line {
        r["endLine"] = json!(end_line);
        if end_column > 0 && (end_line > line || end_column > column) {
            r["endColumn"] = json!(end_column);
        }
    }
    Some(r)
}

fn physical_location(file: &str, region: Option<Value>) -> Value {
    let mut loc = json!({ "artifactLocation": { "uri": file_uri(file) } });
    if let Some(r) = region {
        loc["region"] = r;
    }
    json!({ "physicalLocation": loc })
}

fn rule_descriptor(rule: &dyn crate::rule::Rule) -> Value {
    let m = rule.meta();
    let mut tags = vec![
        "security".to_string(),
        "kubernetes".to_string(),
        m.area.as_str().to_string(),
    ];
    tags.extend(m.cis.iter().map(|c| format!("CIS-{c}")));
    let doc = m.doc();
    json!({
        "id": m.id,
        "name": m.name,
        "shortDescription": { "text": m.title },
        "fullDescription": { "text": full_description(&doc, m.title) },
        "help": {
            "text": format!("{}\n\nFix: {}\n\n{}", m.title, m.remediation, doc),
            "markdown": format!("**Fix:** {}\n\n{}", m.remediation, doc),
        },
        "defaultConfiguration": { "level": level(m.severity) },
        "properties": {
            "tags": tags,
            "security-severity": m.severity.security_severity(),
            "problem.severity": level(m.severity),
            "precision": "high",
        },
    })
}

/// The first paragraph of the doc's "What it does" section, else the title.
fn full_description(doc: &str, title: &str) -> String {
    let mut lines = doc
        .lines()
        .skip_while(|l| !l.starts_with("## What it does"));
    lines.next();
    let para: Vec<&str> = lines
        .skip_while(|l| l.trim().is_empty())
        .take_while(|l| !l.trim().is_empty() && !l.starts_with('#'))
        .map(str::trim)
        .collect();
    if para.is_empty() {
        title.to_string()
    } else {
        para.join(" ")
    }
}

fn result(f: &Finding, rule_index: Option<usize>) -> Value {
    let mut r = json!({
        "ruleId": f.rule,
        "level": level(f.severity),
        "message": { "text": f.message },
        "locations": [physical_location(
            &f.file,
            region(f.line, f.column, f.end_line, f.end_column),
        )],
        "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint() },
        "properties": {
            "severity": f.severity.as_str(),
            "security-severity": f.severity.security_severity(),
            "object": f.object,
            "path": f.path,
        },
    });
    if let Some(i) = rule_index {
        r["ruleIndex"] = json!(i);
    }
    if let Some(fix) = &f.fix {
        r["fixes"] = json!([sarif_fix(&f.file, fix)]);
    }
    if f.suppressed {
        r["suppressions"] = json!([{
            "kind": "inSource",
            "justification": f.suppression_reason.as_deref().unwrap_or(""),
        }]);
    }
    r
}

/// A SARIF `fix`: one `artifactChange` for the finding's file, one `replacement` per edit (an
/// insertion is an empty `deletedRegion`: start and end at the same place).
fn sarif_fix(file: &str, fix: &Fix) -> Value {
    let replacements: Vec<Value> = fix
        .edits
        .iter()
        .map(|e| {
            json!({
                "deletedRegion": {
                    "startLine": e.line,
                    "startColumn": e.column,
                    "endLine": e.end_line,
                    "endColumn": e.end_column,
                },
                "insertedContent": { "text": e.replacement },
            })
        })
        .collect();
    json!({
        "description": { "text": fix.description },
        "artifactChanges": [{
            "artifactLocation": { "uri": file_uri(file) },
            "replacements": replacements,
        }],
    })
}

fn notification(e: &InputError) -> Value {
    json!({
        "level": "error",
        "message": { "text": e.message },
        "locations": [physical_location(&e.file, region(e.line, e.column, 0, 0))],
    })
}

/// The report as a SARIF 2.1.0 log (pretty-printed JSON).
pub fn render(report: &Report, opts: &SarifOptions<'_>) -> String {
    let rules = registry::rules();
    let index_of = |id: &str| rules.iter().position(|r| r.meta().id == id);
    let mut driver = json!({
        "name": "secrets-guard",
        "version": crate::VERSION,
        "semanticVersion": crate::VERSION,
        "rules": rules.iter().map(|r| rule_descriptor(*r)).collect::<Vec<_>>(),
    });
    if let Some(uri) = opts.information_uri {
        driver["informationUri"] = json!(uri);
    }
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| result(f, index_of(f.rule)))
        .collect();
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": driver },
            "invocations": [{
                "executionSuccessful": report.errors.is_empty(),
                "toolExecutionNotifications":
                    report.errors.iter().map(notification).collect::<Vec<_>>(),
            }],
            "columnKind": "unicodeCodePoints",
            "results": results,
        }],
    });
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

/// SARIF 2.1.0 for an audit event analysis (`secrets-guard audit-log --format sarif`): one
/// result per AEV finding, located at the event's line; malformed lines become warning
/// notifications and `errors` (unreadable inputs) error notifications.
pub fn render_audit(report: &crate::audit_events::AuditReport, errors: &[String]) -> String {
    use crate::audit_events::rules::RULES;
    let rules: Vec<Value> = RULES
        .iter()
        .map(|m| {
            json!({
                "id": m.id,
                "name": m.name,
                "shortDescription": { "text": m.title },
                "help": { "text": m.remediation },
                "defaultConfiguration": { "level": level(m.severity) },
                "properties": {
                    "tags": ["security", "kubernetes", "audit-events"],
                    "security-severity": m.severity.security_severity(),
                    "precision": "high",
                },
            })
        })
        .collect();
    let results: Vec<Value> = report
        .findings
        .iter()
        .map(|f| {
            let mut r = json!({
                "ruleId": f.rule,
                "level": level(f.severity),
                "message": { "text": f.message },
                "locations": [physical_location(
                    &f.file,
                    region(u32::try_from(f.line).unwrap_or(u32::MAX), 0, 0, 0),
                )],
                "partialFingerprints": { FINGERPRINT_KEY: f.fingerprint() },
                "properties": {
                    "severity": f.severity.as_str(),
                    "auditID": f.audit_id,
                    "user": f.user,
                    "time": f.time,
                },
            });
            if let Some(i) = RULES.iter().position(|m| m.id == f.rule) {
                r["ruleIndex"] = json!(i);
            }
            r
        })
        .collect();
    let mut notifications: Vec<Value> = errors
        .iter()
        .map(|e| json!({ "level": "error", "message": { "text": e } }))
        .collect();
    notifications.extend(report.malformed.iter().map(|m| {
        json!({
            "level": "warning",
            "message": { "text": format!("skipped: {}", m.message) },
            "locations": [physical_location(
                &m.file,
                region(u32::try_from(m.line).unwrap_or(u32::MAX), 0, 0, 0),
            )],
        })
    }));
    let log = json!({
        "$schema": SCHEMA,
        "version": "2.1.0",
        "runs": [{
            "tool": { "driver": {
                "name": "secrets-guard",
                "version": crate::VERSION,
                "semanticVersion": crate::VERSION,
                "rules": rules,
            }},
            "invocations": [{
                "executionSuccessful": errors.is_empty(),
                "toolExecutionNotifications": notifications,
            }],
            "results": results,
        }],
    });
    // The audit Policy cross-check (AEV-010), when a Policy was given.
    let mut log = log;
    if let Some(check) = &report.policy_check {
        log["runs"][0]["properties"] = json!({ "policyCheck": check });
    }
    let mut s = serde_json::to_string_pretty(&log).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Settings};

    const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: app}\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [list]\n";

    #[test]
    fn fixes() {
        let secret =
            "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: app}\ndata: {k: dg==}\n";
        let settings = Settings {
            enable: vec!["OBJ-008".into()],
            ..Settings::default()
        };
        let report = evaluate(&[("s.yaml", secret)], &settings);
        let log: Value = serde_json::from_str(&render(&report, &SarifOptions::default())).unwrap();
        let fix = &log["runs"][0]["results"][0]["fixes"][0];
        assert!(fix["description"]["text"]
            .as_str()
            .unwrap()
            .contains("immutable: true"));
        let change = &fix["artifactChanges"][0];
        assert_eq!(change["artifactLocation"]["uri"], "s.yaml");
        let rep = &change["replacements"][0];
        assert_eq!(
            rep["deletedRegion"],
            json!({"startLine": 4, "startColumn": 1, "endLine": 4, "endColumn": 1})
        );
        assert_eq!(rep["insertedContent"]["text"], "immutable: true\n");
        // No fix, no `fixes`.
        let report = evaluate(&[("role.yaml", ROLE)], &Settings::default());
        let log: Value = serde_json::from_str(&render(&report, &SarifOptions::default())).unwrap();
        assert!(log["runs"][0]["results"][0].get("fixes").is_none());
    }

    #[test]
    fn uris() {
        assert_eq!(file_uri("./a/b c.yaml"), "a/b%20c.yaml");
        assert_eq!(file_uri("a\\b.yaml"), "a/b.yaml");
        assert_eq!(file_uri("/tmp/x#.yaml"), "file:///tmp/x%23.yaml");
        assert_eq!(file_uri("C:\\x\\y.yaml"), "file:///C:/x/y.yaml");
        assert_eq!(file_uri("a:b.yaml"), "a%3Ab.yaml");
        assert_eq!(file_uri("<stdin>"), "%3Cstdin%3E");
    }

    #[test]
    fn results_rules_and_fingerprints() {
        let report = evaluate(&[("dir/role.yaml", ROLE)], &Settings::default());
        let log: Value = serde_json::from_str(&render(&report, &SarifOptions::default())).unwrap();
        assert_eq!(log["version"], "2.1.0");
        let run = &log["runs"][0];
        let rules = run["tool"]["driver"]["rules"].as_array().unwrap();
        assert_eq!(rules.len(), registry::rules().len());
        let res = &run["results"][0];
        assert_eq!(res["ruleId"], "RBAC-001");
        assert_eq!(res["level"], "error");
        let idx = res["ruleIndex"].as_u64().unwrap() as usize;
        assert_eq!(rules[idx]["id"], "RBAC-001");
        assert_eq!(rules[idx]["properties"]["security-severity"], "8.0");
        let loc = &res["locations"][0]["physicalLocation"];
        assert_eq!(loc["artifactLocation"]["uri"], "dir/role.yaml");
        assert_eq!(loc["region"]["startLine"], 7);
        assert_eq!(loc["region"]["startColumn"], 11);
        assert_eq!(loc["region"]["endColumn"], 15);
        assert_eq!(
            res["partialFingerprints"][FINGERPRINT_KEY],
            report.findings[0].fingerprint()
        );
        assert!(res.get("suppressions").is_none());
        assert_eq!(run["invocations"][0]["executionSuccessful"], true);
    }
}
