use crate::k8s::rbac::{policy_rules, RBAC_GROUP};
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `escalate` on `roles` or `clusterroles` in the
    /// `rbac.authorization.k8s.io` group. A rule with both `*` verbs and `*` resources is left
    /// to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Kubernetes normally refuses to let anyone create or edit a role with permissions they do
    /// not hold themselves. The `escalate` verb switches that check off: the holder can add
    /// `get`/`list` on `secrets` (or anything else) to a role bound to them and take it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["roles", "clusterroles"]
    ///     verbs: ["get", "update", "escalate"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["roles", "clusterroles"]
    ///     verbs: ["get", "update"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: escalate verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#escalate-verb)
    /// - [RBAC: privilege escalation prevention](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#privilege-escalation-prevention-and-bootstrapping)
    /// - CIS Kubernetes Benchmark 5.1.8 "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Checkov `CKV_K8S_158` `checkov/kubernetes/checks/resource/k8s/RbacEscalateRoles.py`
    pub struct EscalateRoles;
    id: "RBAC-007",
    title: "Role grants escalate on roles",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.8"],
    peers: ["CKV_K8S_158", "KY restrict-escalation-verbs-roles", "KS C-0191"],
    remediation: "Remove the `escalate` verb; edit roles only with permissions the editor already holds.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-editor}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["get", "create", "delete", "list"]
  - apiGroups: [""]
    resources: ["pods", "roles"]
    verbs: ["escalate"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: everything, namespace: app}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: role-escalator}
rules:
  - apiGroups: [""]
    resources: ["nodes"]
    verbs: ["list", "get"]
  - apiGroups: ["rbac.authorization.k8s.io", ""]
    resources: ["roles"]
    verbs: ["get", "escalate"] # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rbac-manager, namespace: app}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings", "roles"]
    verbs: ["*"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "any-rbac"},
 "rules": [{"apiGroups": ["*"], "resources": ["*"],
   "verbs": ["escalate"]}]}
"#,
    ],
}

impl Rule for EscalateRoles {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(
                &rule,
                &[(RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles")],
                &["escalate"],
                At::Verb,
                true,
            ) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `escalate` on {}{}: the holder can add any permission, such as reading Secrets, to roles and bypass RBAC escalation prevention",
                        who(obj, &rule),
                        hit.resource_list(),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
