use crate::k8s::audit::{AuditPolicy, RequestClass};
use crate::rules::aud::common::{report_unaudited, CORE};
use crate::rules::prelude::*;

const WRITES: &[&str] = &["create", "update", "patch", "delete", "deletecollection"];
const RBAC: &str = "rbac.authorization.k8s.io";
const ADMISSION: &str = "admissionregistration.k8s.io";

const CLASSES: [RequestClass<'static>; 8] = [
    RequestClass::new(RBAC, "roles", true, WRITES),
    RequestClass::new(RBAC, "rolebindings", true, WRITES),
    RequestClass::new(RBAC, "clusterroles", false, WRITES),
    RequestClass::new(RBAC, "clusterrolebindings", false, WRITES),
    RequestClass::sub(CORE, "serviceaccounts", "token", true, &["create"]),
    RequestClass::sub(
        "certificates.k8s.io",
        "certificatesigningrequests",
        "approval",
        false,
        &["update", "patch"],
    ),
    RequestClass::new(ADMISSION, "mutatingwebhookconfigurations", false, WRITES),
    RequestClass::new(ADMISSION, "validatingwebhookconfigurations", false, WRITES),
];

declare_rule! {
    /// ## What it does
    /// Evaluates the audit policy (first match wins, no match gives `None`) and flags requests
    /// that escalate toward Secrets but get no audit event: writes to Roles, ClusterRoles,
    /// RoleBindings and ClusterRoleBindings, token requests (`serviceaccounts/token`), approval of
    /// CertificateSigningRequests (`certificatesigningrequests/approval`) and writes to mutating
    /// or validating webhook configurations.
    ///
    /// ## Why is this bad?
    /// Each of these grants new access: a binding to a role that reads Secrets, a fresh
    /// service-account token, a client certificate for any identity, or a webhook that sees (and
    /// can change) every Secret written. Without events the escalation leaves no trace.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: None
    ///     resources: [{group: "rbac.authorization.k8s.io"}]
    ///   - level: Metadata
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: None
    ///     verbs: ["get", "list", "watch"]
    ///     resources: [{group: "rbac.authorization.k8s.io"}]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: privilege escalation risks](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#privilege-escalation-risks)
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    pub struct EscalationUnaudited;
    id: "AUD-006",
    title: "RBAC, token, CSR approval or webhook changes are not audited",
    severity: Medium,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Log RBAC writes, `serviceaccounts/token`, CSR approval and webhook configuration writes at `Metadata` or higher.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    verbs: ["get", "list", "watch"]
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: "rbac.authorization.k8s.io"
      - group: "admissionregistration.k8s.io"
      - group: "certificates.k8s.io"
        resources: ["certificatesigningrequests/approval"]
      - group: ""
        resources: ["serviceaccounts/token"]
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None # <-
    resources: [{group: "rbac.authorization.k8s.io"}]
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules: # <-
  - level: Metadata
    resources:
      - group: "rbac.authorization.k8s.io"
      - group: ""
        resources: ["secrets", "serviceaccounts"]
"#,
    ],
}

impl Rule for EscalationUnaudited {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        report_unaudited(cx, obj, &policy, &CLASSES, "these escalation steps");
    }
}
