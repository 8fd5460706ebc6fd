use super::{outcome, Hit};
use crate::audit_events::event::Event;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a request on core-group `secrets` by user `system:anonymous` or by a member of group
    /// `system:unauthenticated` that succeeded (`responseStatus.code` below 400), with the source IPs.
    ///
    /// ## Why is this bad?
    /// Anyone who can reach the API server on the network read (or wrote) a Secret without
    /// credentials: some binding grants Secret access to unauthenticated requests.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"get","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"objectRef":{"resource":"secrets","namespace":"app","name":"db"},"responseStatus":{"code":200},"sourceIPs":["203.0.113.9"]}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # kube-apiserver: --anonymous-auth=false, and no binding to these subjects:
    /// subjects:
    ///   - {kind: Group, name: "system:authenticated", apiGroup: rbac.authorization.k8s.io}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Hardening](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening)
    pub struct AnonymousSecretAccess;
    id: "AEV-004",
    title: "Anonymous Secret access succeeded",
    severity: Critical,
    area: Audit,
    cis: ["5.1.1"],
    peers: [],
    remediation: "Remove bindings to `system:anonymous`/`system:unauthenticated` (RBAC-022) and set `--anonymous-auth=false` (API-012).",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"objectRef":{"resource":"pods","namespace":"app"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"get","user":{"username":"system:anonymous","groups":["system:unauthenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1","name":"db"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z","sourceIPs":["203.0.113.9"]} # <-
"#,
    ],
}

/// **AEV-004** (critical): a request on Secrets by `system:anonymous` or a member of
/// `system:unauthenticated` that succeeded (`responseStatus.code` < 400).
pub fn aev_004(e: &Event) -> Hit {
    let anonymous = e.user.username == "system:anonymous"
        || e.user.groups.iter().any(|g| g == "system:unauthenticated");
    if !anonymous || !e.is_secrets() || e.code().is_none_or(|c| c >= 400) {
        return None;
    }
    let from = if e.source_ips.is_empty() {
        String::new()
    } else {
        format!(" from {}", e.source_ips.join(", "))
    };
    Some((
        "AEV-004",
        format!(
            "anonymous {} on secret {} succeeded ({}){from}",
            e.verb,
            e.secret_label(),
            outcome(e)
        ),
    ))
}
