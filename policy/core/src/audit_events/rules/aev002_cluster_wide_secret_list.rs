use super::{outcome, succeeded, Hit};
use crate::audit_events::event::Event;
use crate::declare_rule;

declare_rule! {
    /// ## What it does
    /// Reports a `list` or `watch` of core-group `secrets` with an empty `objectRef.namespace` (across
    /// all namespaces) by a user whose name does not start with `system:`, unless it was refused
    /// (status 400 or above).
    ///
    /// ## Why is this bad?
    /// This is `kubectl get secrets -A -o yaml`: every Secret value of the cluster in one response.
    /// Controllers do it (and are `system:` users); a person or a CI identity rarely should.
    ///
    /// ## Example
    /// ```json
    /// {"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","stage":"ResponseComplete","verb":"list","user":{"username":"mallory"},"objectRef":{"resource":"secrets"},"responseStatus":{"code":200}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Grant `get` on named Secrets of one namespace (RBAC-003), so that a bulk read is refused.
    /// kind: Role
    /// rules:
    ///   - {apiGroups: [""], resources: ["secrets"], resourceNames: ["app-credentials"], verbs: ["get"]}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Listing secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    pub struct ClusterWideSecretList;
    id: "AEV-002",
    title: "Cluster-wide list/watch of Secrets by a non-system user",
    severity: High,
    area: Audit,
    cis: ["5.1.2"],
    peers: [],
    remediation: "Find out why this user listed every Secret; remove cluster-wide `list`/`watch` on Secrets (RBAC-001, RBG-001).",
    kinds: [],
    input: AuditEvents,
    pass: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"list","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets","namespace":"app","apiVersion":"v1"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"list","user":{"username":"system:kube-controller-manager","groups":["system:authenticated"]},"objectRef":{"resource":"secrets"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"list","user":{"username":"jane","groups":["system:authenticated"]},"objectRef":{"resource":"secrets"},"responseStatus":{"code":403},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"}
"#,
    ],
    fail: [
        r#"
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"list","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"secrets"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
{"kind":"Event","apiVersion":"audit.k8s.io/v1","level":"Metadata","auditID":"a1","stage":"ResponseComplete","verb":"watch","user":{"username":"mallory","groups":["system:authenticated"]},"objectRef":{"resource":"secrets"},"responseStatus":{"code":200},"requestReceivedTimestamp":"2026-11-27T10:00:00Z"} # <-
"#,
    ],
}

/// **AEV-002** (high): a cluster-wide `list` or `watch` of Secrets (empty
/// `objectRef.namespace`) by a user whose name does not start with `system:`, that was not
/// refused: the bulk read of `kubectl get secrets -A -o yaml`.
pub fn aev_002(e: &Event) -> Hit {
    if !e.is_secrets()
        || !matches!(e.verb.as_str(), "list" | "watch")
        || !e.namespace().is_empty()
        || e.user.username.starts_with("system:")
        || !succeeded(e)
    {
        return None;
    }
    Some((
        "AEV-002",
        format!(
            "{} ran a cluster-wide {} of secrets ({})",
            e.user.username,
            e.verb,
            outcome(e)
        ),
    ))
}
