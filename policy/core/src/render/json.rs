//! The JSON output: the [`Report`] as serialised by the core (field names are a contract), with
//! the tool name and engine version at the top level.
//!
//! ```json
//! {"tool": "secrets-guard", "version": "0.1.0",
//!  "findings": [{"rule", "title", "severity", "area", "message", "file", "line", "column",
//!                "end_line", "end_column", "path", "document",
//!                "object": {"apiVersion", "kind", "namespace"?, "name"?},
//!                "remediation", "suppressed", "suppression_reason"?,
//!                "fix"?: {"description", "edits": [{"line", "column", "end_line", "end_column",
//!                                                  "replacement"}]},
//!                "fingerprint"}],
//!  "errors": [{"file", "line", "column", "message"}],
//!  "summary": {"files", "documents", "objects", "findings", "suppressed", "errors",
//!              "by_severity", "max_severity"?}}
//! ```
//! `namespace` and `name` are left out when the object has none (cluster-scoped objects have no
//! namespace); `line`/`column` are 0 in an error that has no position (an unreadable file).

use serde::Serialize;

use crate::finding::{Finding, InputError, Report, Summary};

#[derive(Serialize)]
struct JsonReport<'a> {
    tool: &'static str,
    version: &'static str,
    findings: Vec<JsonFinding<'a>>,
    errors: &'a [InputError],
    summary: &'a Summary,
}

#[derive(Serialize)]
struct JsonFinding<'a> {
    #[serde(flatten)]
    finding: &'a Finding,
    fingerprint: String,
}

/// The report as pretty-printed JSON.
pub fn render(report: &Report) -> String {
    let out = JsonReport {
        tool: "secrets-guard",
        version: crate::VERSION,
        findings: report
            .findings
            .iter()
            .map(|f| JsonFinding {
                finding: f,
                fingerprint: f.fingerprint(),
            })
            .collect(),
        errors: &report.errors,
        summary: &report.summary,
    };
    let mut s = serde_json::to_string_pretty(&out).unwrap_or_else(|_| "{}".into());
    s.push('\n');
    s
}

#[cfg(test)]
mod tests {
    use crate::{evaluate, Settings};

    const ROLE: &str = "apiVersion: rbac.authorization.k8s.io/v1\nkind: Role\nmetadata: {name: r, namespace: app}\nrules:\n- apiGroups: ['']\n  resources: [secrets]\n  verbs: [list]\n";

    #[test]
    fn contract_field_names() {
        let report = evaluate(&[("role.yaml", ROLE)], &Settings::default());
        let v: serde_json::Value = serde_json::from_str(&super::render(&report)).unwrap();
        assert_eq!(v["tool"], "secrets-guard");
        assert_eq!(v["version"], crate::VERSION);
        let f = &v["findings"][0];
        for key in [
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
            "fingerprint",
        ] {
            assert!(f.get(key).is_some(), "finding lacks `{key}`: {f}");
        }
        for key in ["apiVersion", "kind", "namespace", "name"] {
            assert!(f["object"].get(key).is_some(), "object lacks `{key}`");
        }
        assert_eq!(f["rule"], "RBAC-001");
        assert_eq!(f["line"], 7);
        assert_eq!(f["severity"], "high");
        assert_eq!(f["area"], "access-control");
        assert_eq!(v["summary"]["by_severity"]["high"], 1);
        assert!(v["errors"].as_array().unwrap().is_empty());
        assert!(f.get("fix").is_none(), "`fix` only when present: {f}");
    }

    #[test]
    fn fix_when_present() {
        let secret = "apiVersion: v1\nkind: Secret\nmetadata: {name: s, namespace: app}\nimmutable: false\ndata: {k: dg==}\n";
        let settings = Settings {
            enable: vec!["OBJ-008".into()],
            ..Settings::default()
        };
        let report = evaluate(&[("s.yaml", secret)], &settings);
        let v: serde_json::Value = serde_json::from_str(&super::render(&report)).unwrap();
        assert_eq!(
            v["findings"][0]["fix"],
            serde_json::json!({
                "description": "Set `immutable: true` (rotate by creating a new, versioned Secret)",
                "edits": [{"line": 4, "column": 12, "end_line": 4, "end_column": 17, "replacement": "true"}],
            })
        );
    }
}
