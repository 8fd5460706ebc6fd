use crate::k8s::rbac::{policy_rules, RBAC_GROUP};
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `bind` on `roles` or `clusterroles` in the
    /// `rbac.authorization.k8s.io` group. A rule with both `*` verbs and `*` resources is left
    /// to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Kubernetes normally refuses a RoleBinding or ClusterRoleBinding to a role whose
    /// permissions the creator does not hold. `bind` switches that check off: together with the
    /// right to create bindings, the holder can bind themselves to `cluster-admin` or to any role
    /// that reads Secrets. Without `resourceNames`, it covers every role; limited to named roles
    /// other than `cluster-admin`, `admin` and `edit`, the finding is medium.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     verbs: ["bind"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterroles"]
    ///     resourceNames: ["view"]
    ///     verbs: ["bind"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: bind verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb)
    /// - [RBAC: restrictions on role binding creation or update](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update)
    /// - CIS Kubernetes Benchmark 5.1.8 "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Checkov `CKV_K8S_157` `checkov/kubernetes/checks/resource/k8s/RbacBindRoleBindings.py`
    pub struct BindRoles;
    id: "RBAC-008",
    title: "Role grants bind on roles",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.8"],
    peers: ["CKV_K8S_157", "KY restrict-escalation-verbs-roles", "KS C-0191"],
    remediation: "Remove the `bind` verb, or limit it with `resourceNames` to the harmless roles that may be handed out.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings", "configmaps"]
    verbs: ["get", "create", "delete", "list"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    verbs: ["bind"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: wide, namespace: app}
rules:
  - apiGroups: ["", "rbac.authorization.k8s.io", "apps"]
    resources: ["pods", "serviceaccounts"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles", "roles"]
    verbs:
      - get
      - bind # <-
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
 "metadata": {"name": "bind-view"},
 "rules": [{"apiGroups": ["rbac.authorization.k8s.io"], "resources": ["clusterroles"],
   "resourceNames": ["view"], "verbs": ["bind"]}]}
"#,
    ],
}

impl Rule for BindRoles {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            let names: Vec<&str> = rule.resource_names().map(|(n, _)| n).collect();
            for hit in hits(
                &rule,
                &[(RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles")],
                &["bind"],
                At::Verb,
                true,
            ) {
                let which = if names.is_empty() {
                    "any role, including `cluster-admin`".to_string()
                } else {
                    format!("the roles {}", super::grant::ticks(&names))
                };
                let f = cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `bind` on {}{}: with the right to create bindings, the holder can grant {which} without holding its permissions",
                        who(obj, &rule),
                        hit.resource_list(),
                        hit.via(),
                    ),
                );
                let strong = |n: &&str| matches!(*n, "cluster-admin" | "admin" | "edit" | "*");
                if !names.is_empty() && !names.iter().any(strong) {
                    f.with_severity(Severity::Medium);
                }
            }
        }
    }
}
