use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, scope, ticks, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create` on `serviceaccounts/token` (the
    /// TokenRequest API) in the core group, directly or through `*`. A rule with both `*` verbs
    /// and `*` resources is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// The holder can issue tokens for existing service accounts (`kubectl create token`) and
    /// act with their permissions, including any Secret access they have. Without
    /// `resourceNames`, this covers every service account in scope.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["serviceaccounts/token"]
    ///     resourceNames: ["ci-deployer"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: token request](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#token-request)
    /// - CIS Kubernetes Benchmark 5.1.13 "Minimize access to the service account token creation"
    /// - Kubescape C-0282 `rules/rule-can-create-service-account-token`
    pub struct CreateServiceAccountToken;
    id: "RBAC-010",
    title: "Role can create service account tokens",
    severity: High,
    area: AccessControl,
    cis: ["5.1.13"],
    peers: ["KS C-0282"],
    remediation: "Remove create on serviceaccounts/token, or limit it with `resourceNames` to the service accounts needed.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: sa-manager, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts"]
    verbs: ["create", "get"]
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    verbs: ["get"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all}
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: token-minter, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["serviceaccounts/token"]
    verbs: ["get",
      "create"] # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: creator}
rules:
  - apiGroups: ["*"]
    resources: ["*/token"]
    resourceNames: ["builder"]
    verbs: ["create"] # <-
"#,
    ],
}

impl Rule for CreateServiceAccountToken {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            let names: Vec<&str> = rule.resource_names().map(|(n, _)| n).collect();
            let which = if names.is_empty() {
                format!("any service account in {}", scope(obj))
            } else {
                format!("the service accounts {}", ticks(&names))
            };
            for hit in hits(
                &rule,
                &[("", "serviceaccounts/token")],
                &["create"],
                At::Verb,
                true,
            ) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `create` on `serviceaccounts/token`{}: the holder can issue tokens for {which} and use their permissions",
                        who(obj, &rule),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
