use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, scope, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `delete` or `deletecollection` on `secrets`
    /// (core group), directly or through `*`. A rule with both `*` verbs and `*` resources is
    /// left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Deleting Secrets breaks the workloads that consume them (an availability attack), and
    /// deleting a Secret so that a controller or operator recreates it can be a step in
    /// replacing credentials. `deletecollection` removes every Secret in scope in one request.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["delete", "deletecollection"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["job-scratch-token"]
    ///     verbs: ["delete"]
    /// ```
    ///
    /// ## References
    /// - [RBAC: referring to resources (`resourceNames`)](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources)
    /// - Kubescape C-0007 `rules/rule-excessive-delete-rights-v1/raw.rego`
    /// - kube-linter `pkg/builtinchecks/yamls/access-to-secrets.yaml`
    pub struct DeleteSecrets;
    id: "RBAC-020",
    title: "Role can delete Secrets",
    severity: Low,
    area: AccessControl,
    cis: [],
    peers: ["KS C-0007", "KL access-to-secrets"],
    remediation: "Remove delete/deletecollection on secrets, or name the Secrets in `resourceNames`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pods-cleaner, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods", "configmaps"]
    verbs: ["delete", "deletecollection"]
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["scratch"]
    verbs: ["deletecollection"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-cleaner, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs:
      - delete # <-
      - deletecollection # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "deleter"},
 "rules": [{"apiGroups": [""], "resources": ["*"],
   "verbs": ["delete"]}]}
"#,
    ],
}

impl Rule for DeleteSecrets {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(
                &rule,
                &[("", "secrets")],
                &["delete", "deletecollection"],
                At::Verb,
                true,
            ) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on secrets{} in {}: deleting Secrets breaks the workloads that use them",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.via(),
                        scope(obj),
                    ),
                );
            }
        }
    }
}
