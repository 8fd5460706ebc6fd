use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, scope, ticks, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create`, `update` or `patch` on `secrets` in the
    /// core API group. A rule with both `*` verbs and `*` resources is left to RBAC-004 and
    /// RBAC-005. When the rule is limited by `resourceNames` (which never grants `create`), the
    /// finding is medium.
    ///
    /// ## Why is this bad?
    /// Whoever can create Secrets can create a `kubernetes.io/service-account-token` Secret for
    /// any service account in the namespace: the token controller fills in a long-lived token,
    /// which the creator can then read back if they can `get` it, or mount it in a Pod. Whoever
    /// can update or patch Secrets can replace credentials, TLS keys or configuration that
    /// workloads consume.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["create", "update", "patch"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-tls"]
    ///     verbs: ["update"]
    /// ```
    ///
    /// ## References
    /// - [Secrets: service account token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets)
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - Trivy KSV-0041 `checks/kubernetes/manage_secrets.rego`, KSV-0113 `checks/kubernetes/manage_namespace_secrets.rego`
    pub struct WriteSecrets;
    id: "RBAC-006",
    title: "Role can create or modify Secrets",
    severity: High,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: ["TRV KSV-0041", "TRV KSV-0113", "KL access-to-secrets"],
    remediation: "Remove create/update/patch on secrets, or limit update/patch to named Secrets with `resourceNames`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["app"]
    verbs: ["get"]
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["create", "update", "patch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: named-create, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["app"]
    verbs: ["create"]
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-writer, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs:
      - get
      - create # <-
      - patch # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: any-verb-secrets}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["*"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
 "metadata": {"name": "tls-rotator", "namespace": "app"},
 "rules": [{"apiGroups": [""], "resources": ["secrets"],
   "resourceNames": ["app-tls"], "verbs": ["update"]}]}
"#,
    ],
}

impl Rule for WriteSecrets {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            let named: Vec<&str> = rule.resource_names().map(|(n, _)| n).collect();
            for hit in hits(
                &rule,
                &[("", "secrets")],
                &["create", "update", "patch"],
                At::Verb,
                true,
            ) {
                let what = if hit.verbs.contains(&"create") {
                    "it can mint service-account token Secrets and overwrite Secrets workloads consume"
                } else {
                    "it can overwrite Secrets workloads consume"
                };
                let target = if named.is_empty() {
                    format!("secrets in {}", scope(obj))
                } else {
                    format!("the secrets {}", ticks(&named))
                };
                let f = cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on {target}{}: {what}",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.via(),
                    ),
                );
                if !named.is_empty() {
                    f.with_severity(Severity::Medium);
                }
            }
        }
    }
}
