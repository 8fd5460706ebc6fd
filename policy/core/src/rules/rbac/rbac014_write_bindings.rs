use crate::k8s::rbac::{policy_rules, RBAC_GROUP};
use crate::rules::prelude::*;

use super::grant::{effectively_grants, hits, who, At};

const ROLES: &[(&str, &str)] = &[(RBAC_GROUP, "roles"), (RBAC_GROUP, "clusterroles")];

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create`, `update` or `patch` on `rolebindings`
    /// or `clusterrolebindings`. The finding is high when the same object also grants `bind` or
    /// `escalate` on roles, and medium otherwise. A rule with both `*` verbs and `*` resources is
    /// left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Bindings decide who holds which role. Kubernetes lets a holder bind only roles whose
    /// permissions they already have, unless they also hold `bind` (or `escalate`) on the role:
    /// then they can bind themselves to `cluster-admin` or to any role that reads Secrets. Even
    /// without `bind`, the holder can hand its own permissions, Secret access included, to any
    /// user, group or service account, such as `system:authenticated`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["rbac.authorization.k8s.io"]
    ///     resources: ["clusterrolebindings"]
    ///     verbs: ["create"]
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
    ///     resources: ["clusterrolebindings"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [RBAC: restrictions on role binding creation or update](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#restrictions-on-role-binding-creation-or-update)
    /// - [RBAC good practices: bind verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#bind-verb)
    /// - CIS Kubernetes Benchmark 5.1.8 "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Trivy KSV-0050 `checks/kubernetes/manage_kubernetes_rbac_resources.rego`
    pub struct WriteBindings;
    id: "RBAC-014",
    title: "Role can create or modify role bindings",
    severity: High,
    area: AccessControl,
    cis: ["5.1.8"],
    peers: ["TRV KSV-0050", "TRV KSV-0051", "TRV KSV-0052", "TRV KSV-0055", "CKV2_K8S_1"],
    remediation: "Grant binding management only to cluster administrators; never together with `bind` or `escalate`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: rbac-viewer}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings", "clusterrolebindings"]
    verbs: ["get", "list", "watch", "delete"]
  - apiGroups: [""]
    resources: ["rolebindings"]
    verbs: ["create"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: named-binding, namespace: app}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    resourceNames: ["app-readers"]
    verbs: ["create"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: binder}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterrolebindings"]
    verbs: ["get", "create", "patch"] # <-
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["clusterroles"]
    verbs: ["bind"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: rb-editor, namespace: app}
rules:
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["rolebindings"]
    resourceNames: ["app-readers"]
    verbs:
      - update # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
 "metadata": {"name": "rbac-all", "namespace": "app"},
 "rules": [{"apiGroups": ["rbac.authorization.k8s.io"],
   "resources": ["rolebindings", "roles"], "verbs": ["*"]}]}
"#,
    ],
}

impl Rule for WriteBindings {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let rules = policy_rules(obj);
        let can_bind = rules.iter().any(|r| {
            ROLES.iter().any(|(g, res)| {
                effectively_grants(r, g, res, "bind") || effectively_grants(r, g, res, "escalate")
            })
        });
        for rule in &rules {
            for hit in hits(
                rule,
                &[
                    (RBAC_GROUP, "rolebindings"),
                    (RBAC_GROUP, "clusterrolebindings"),
                ],
                &["create", "update", "patch"],
                At::Verb,
                true,
            ) {
                let why = if can_bind {
                    "with `bind`/`escalate` on roles in the same object, the holder can bind anyone, itself included, to any role such as `cluster-admin`"
                } else {
                    "the holder can give its own permissions, Secret access included, to any subject (and any role, once it gets `bind`)"
                };
                let f = cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on {}{}: {why}",
                        who(obj, rule),
                        hit.verb_list(),
                        hit.resource_list(),
                        hit.via(),
                    ),
                );
                if !can_bind {
                    f.with_severity(Severity::Medium);
                }
            }
        }
    }
}
