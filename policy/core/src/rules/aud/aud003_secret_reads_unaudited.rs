use crate::k8s::audit::AuditPolicy;
use crate::rules::aud::common::{report_unaudited, SECRET_READS};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Evaluates the audit policy (first match wins, no match gives `None`) and flags `get`,
    /// `list` or `watch` requests on `secrets` that some user, group or namespace makes without
    /// an audit event: a `level: None` rule that matches them before the rule meant for Secrets
    /// (for example one for `userGroups: ["system:authenticated"]`), or no rule matching them at
    /// all.
    ///
    /// ## Why is this bad?
    /// Reading Secrets is how credentials are stolen; without an event there is no trace of who
    /// read which Secret. The Secrets good-practices page asks to "Enable audit logging for Secret
    /// access", and CIS 3.2.2 expects Secrets to be logged at `Metadata`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: None
    ///     userGroups: ["system:authenticated"]
    ///     verbs: ["get", "list", "watch"]
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    ///   - level: None
    ///     userGroups: ["system:authenticated"]
    ///     verbs: ["get", "list", "watch"]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets: audit logging](https://kubernetes.io/docs/concepts/security/secrets-good-practices/#enable-audit-logging-for-secret-access)
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go` (`DefaultAuditLevel = None`)
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct SecretReadsUnaudited;
    id: "AUD-003",
    title: "Secret reads are not audited",
    severity: High,
    area: Audit,
    cis: ["3.2.2"],
    peers: ["KS C-0161"],
    remediation: "Put a `level: Metadata` rule for `secrets` before any `level: None` rule that could match them.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
  - level: None
    userGroups: ["system:authenticated"]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources: [{group: "", resources: ["endpoints", "services"]}]
  - level: None
    nonResourceURLs: ["/healthz*", "/version"]
  - level: Metadata
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None # <-
    userGroups: ["system:authenticated"]
    verbs: ["get", "list", "watch"]
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules: # <-
  - level: Metadata
    resources: [{group: "", resources: ["pods", "configmaps"]}]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
    namespaces: ["prod"]
  - {level: None, namespaces: [""]} # <-
  - level: Metadata
"#,
    ],
}

impl Rule for SecretReadsUnaudited {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        report_unaudited(cx, obj, &policy, &[SECRET_READS], "these Secret reads");
    }
}
