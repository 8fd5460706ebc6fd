use super::Hit;
use crate::audit_events::event::Event;
use crate::declare_rule;
use serde_json::Value;

declare_rule! {
    /// ## What it does
    /// Reports each event on core-group `secrets` whose `requestObject` or `responseObject` (levels
    /// `Request` and `RequestResponse`) carries `data` or `stringData`: of a Secret or a kind-less body
    /// such as a patch, of the items of a `SecretList`, or of the row objects of a `Table`. The message
    /// names the data keys, never the values.
    ///
    /// ## Why is this bad?
    /// The Secret values are now in the audit log (or the webhook backend), which is usually kept
    /// longer and read by more people than the Secrets themselves. The policy that wrote it is wrong
    /// (AUD-001), and the log must now be handled as a Secret.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","stage":"ResponseComplete","verb":"update","user":{"username":"jane"},"objectRef":{"resource":"secrets","namespace":"app","name":"db"},"requestObject":{"kind":"Secret","data":{"password":"czNjcjN0"}}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets", "configmaps", "tokenreviews"]}]
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - CIS Kubernetes Benchmark 3.2.2 "Ensure that the audit policy covers key security concerns"
    pub struct SecretDataLogged;
    id: "AEV-001",
    title: "Secret data in the audit log",
    severity: Critical,
    area: Audit,
    cis: ["3.2.2"],
    peers: [],
    remediation: "Log `secrets` at the Metadata level in the audit Policy (see AUD-001), and treat the existing log as a Secret.",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"RequestResponse","auditID":"a1","stage":"ResponseComplete","verb":"delete","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","responseObject":{"kind":"Status","status":"Success"}}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Request","auditID":"a1","stage":"ResponseComplete","verb":"update","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","requestObject":{"kind":"Secret","data":{"password":"czNjcjN0"}}} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
}

/// The data keys a Secret-shaped JSON value carries: `data`/`stringData` of a Secret (or of a
/// kind-less body such as a patch), of each item of a `SecretList`, or of each row object of a
/// `Table`. Only key names are returned, never values.
fn secret_data_keys(v: &Value, depth: usize, keys: &mut Vec<String>) {
    if depth > 4 {
        return;
    }
    let Some(obj) = v.as_object() else { return };
    match obj.get("kind").and_then(Value::as_str) {
        None | Some("Secret") => {
            for field in ["data", "stringData"] {
                if let Some(m) = obj.get(field).and_then(Value::as_object) {
                    keys.extend(m.keys().cloned());
                }
            }
        }
        Some("SecretList") | Some("List") => {
            for item in obj
                .get("items")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                secret_data_keys(item, depth + 1, keys);
            }
        }
        Some("Table") => {
            for row in obj
                .get("rows")
                .and_then(Value::as_array)
                .into_iter()
                .flatten()
            {
                if let Some(o) = row.get("object") {
                    secret_data_keys(o, depth + 1, keys);
                }
            }
        }
        Some(_) => {}
    }
}

/// **AEV-001** (critical): Secret data is in the log. An event on `secrets` whose
/// `requestObject` or `responseObject` (levels Request and RequestResponse) carries `data` or
/// `stringData` (of a Secret, a SecretList's items or a Table's rows). The audit policy logs
/// Secrets above Metadata (see AUD-001) and the log is now as sensitive as the Secrets.
pub fn aev_001(e: &Event) -> Hit {
    if !e.is_secrets() {
        return None;
    }
    let mut parts = Vec::new();
    for (field, value) in [
        ("requestObject", &e.request_object),
        ("responseObject", &e.response_object),
    ] {
        let mut keys = Vec::new();
        if let Some(v) = value {
            secret_data_keys(v, 0, &mut keys);
        }
        if !keys.is_empty() {
            keys.sort();
            keys.dedup();
            parts.push(format!("{field} carries data keys {}", keys.join(", ")));
        }
    }
    if parts.is_empty() {
        return None;
    }
    Some((
        "AEV-001",
        format!(
            "{} {} on secret {} logged at level {}: {}; the audit policy must log Secrets at Metadata level",
            e.user.username,
            e.verb,
            e.secret_label(),
            e.level,
            parts.join("; ")
        ),
    ))
}
