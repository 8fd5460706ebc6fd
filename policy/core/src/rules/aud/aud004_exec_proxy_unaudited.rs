use crate::k8s::audit::{AuditPolicy, RequestClass};
use crate::rules::aud::common::{report_unaudited, CORE};
use crate::rules::prelude::*;

const STREAM: &[&str] = &["create", "get"];
const PROXY: &[&str] = &["get", "create", "update", "patch", "delete"];

/// The subresources that reach into running Pods and nodes.
pub const CLASSES: [RequestClass<'static>; 6] = [
    RequestClass::sub(CORE, "pods", "exec", true, STREAM),
    RequestClass::sub(CORE, "pods", "attach", true, STREAM),
    RequestClass::sub(CORE, "pods", "portforward", true, STREAM),
    RequestClass::sub(CORE, "pods", "proxy", true, PROXY),
    RequestClass::sub(CORE, "services", "proxy", true, PROXY),
    RequestClass::sub(CORE, "nodes", "proxy", false, PROXY),
];

declare_rule! {
    /// ## What it does
    /// Evaluates the audit policy (first match wins, no match gives `None`) and flags requests to
    /// `pods/exec`, `pods/attach`, `pods/portforward`, `pods/proxy`, `services/proxy` and
    /// `nodes/proxy` that get no audit event, through a `level: None` rule or because no rule
    /// matches them. Note that `pods` does not match `pods/exec`: use `pods/*` or list the
    /// subresources.
    ///
    /// ## Why is this bad?
    /// These are the usual ways to read the Secrets mounted into a running Pod (or, through the
    /// kubelet proxy, any Pod on a node) without ever touching the Secret API. CIS 3.2.2 names
    /// them as key security concerns for the audit policy.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["pods", "secrets"]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: ["pods", "pods/*", "services/proxy", "nodes/proxy", "secrets"]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct ExecProxyUnaudited;
    id: "AUD-004",
    title: "Exec, attach, port-forward or proxy requests are not audited",
    severity: High,
    area: Audit,
    cis: ["3.2.2"],
    peers: ["KS C-0161"],
    remediation: "Log `pods/exec`, `pods/attach`, `pods/portforward` and the `*/proxy` subresources at `Metadata` or higher.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["pods/*", "*/proxy"]}]
  - level: None
    resources: [{group: ""}]
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    users: ["system:kube-proxy"]
    verbs: ["watch"]
    resources: [{group: "", resources: ["endpoints"]}]
  - level: Request
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules: # <-
  - level: Metadata
    resources: [{group: "", resources: ["pods", "secrets"]}]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None # <-
    userGroups: ["system:masters"]
    resources: [{group: "", resources: ["*/exec", "pods/attach"]}]
  - level: Metadata
"#,
    ],
}

impl Rule for ExecProxyUnaudited {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        report_unaudited(
            cx,
            obj,
            &policy,
            &CLASSES,
            "these exec, attach, port-forward or proxy requests",
        );
    }
}
