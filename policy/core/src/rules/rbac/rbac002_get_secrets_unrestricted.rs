use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, scope, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles whose rules grant `get` on `secrets` in the core API group
    /// (directly or through `*`) without limiting it to named Secrets with `resourceNames`.
    ///
    /// ## Why is this bad?
    /// `get` without `resourceNames` reads any Secret whose name the holder knows or guesses,
    /// including the service-account token Secrets of more privileged service accounts, which
    /// leads to privilege escalation. Grant `get` only if the workload needs it, and only on the
    /// Secrets it needs. A ClusterRole bound by a ClusterRoleBinding reaches every namespace.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// metadata: {name: secret-reader, namespace: default}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// metadata: {name: secret-reader, namespace: default}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-credentials"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets: least-privilege access](https://kubernetes.io/docs/concepts/security/secrets-good-practices/#least-privilege-secrets)
    /// - [RBAC: referring to resources (`resourceNames`)](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources)
    /// - CIS Kubernetes Benchmark 5.1.2 "Minimize access to secrets"
    /// - Trivy KSV-0113 `checks/kubernetes/manage_namespace_secrets.rego`
    pub struct GetSecretsUnrestricted;
    id: "RBAC-002",
    title: "Role grants get on all Secrets (no resourceNames)",
    severity: Medium,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: ["KY restrict-secret-role-verbs", "TRV KSV-0041", "TRV KSV-0113", "KL access-to-secrets", "KS C-0015", "KS C-0186"],
    remediation: "List the Secrets the workload needs in `resourceNames`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-secret, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["app-credentials"]
    verbs: ["get"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: config-reader}
rules:
  - apiGroups: ["", "apps"]
    resources: ["configmaps", "secrets/status", "deployments"]
    verbs: ["get", "list"]
  - apiGroups: ["external-secrets.io"]
    resources: ["secrets"]
    verbs: ["get"]
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
 "metadata": {"name": "numbers", "namespace": "app"},
 "rules": [{"apiGroups": [""], "resources": [1, 2], "verbs": ["get"]}]}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: default}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", # <-
            "list", "watch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "json-reader"},
 "rules": [
   {"apiGroups": [""], "resources": ["pods"], "verbs": ["get"]},
   {"apiGroups": [""], "resources": ["secrets", "configmaps"],
    "verbs": ["get"]}]}
"#,
    ],
}

impl Rule for GetSecretsUnrestricted {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let cluster = obj.kind() == "ClusterRole";
        for rule in policy_rules(obj) {
            if rule.has_resource_names() {
                continue;
            }
            for hit in hits(&rule, &[("", "secrets")], &["get"], At::Verb, false) {
                let f = cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `get` on every Secret{} in {}, not only named ones: add `resourceNames`",
                        who(obj, &rule),
                        hit.via(),
                        scope(obj),
                    ),
                );
                if cluster {
                    f.with_severity(Severity::High);
                }
            }
        }
    }
}
