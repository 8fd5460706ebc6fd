use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `patch` or `update` on `namespaces` (core group),
    /// directly or through `*`. A rule with both `*` verbs and `*` resources is left to RBAC-004
    /// and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Pod Security admission reads its level from namespace labels
    /// (`pod-security.kubernetes.io/enforce`). Whoever can edit a namespace can relabel it to
    /// `privileged`, then run privileged or `hostPath` Pods there, which reach the node and
    /// every Secret mounted on it. Labels also drive NetworkPolicy and other policy selectors.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["namespaces"]
    ///     verbs: ["get", "patch"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["namespaces"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: namespace modification](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#namespace-modification)
    /// - [Pod Security admission](https://kubernetes.io/docs/concepts/security/pod-security-admission/)
    pub struct ModifyNamespaces;
    id: "RBAC-018",
    title: "Role can modify namespaces",
    severity: Medium,
    area: AccessControl,
    cis: [],
    peers: [],
    remediation: "Remove patch/update on namespaces; manage namespace labels through an administrator or GitOps.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ns-viewer}
rules:
  - apiGroups: [""]
    resources: ["namespaces", "namespaces/status"]
    verbs: ["get", "list", "watch", "create"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: [""]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: ns-labeler}
rules:
  - apiGroups: [""]
    resources: ["namespaces"]
    verbs:
      - get
      - patch # <-
      - update # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "ns-admin"},
 "rules": [{"apiGroups": [""], "resources": ["namespaces"],
   "verbs": ["*"]}]}
"#,
    ],
}

impl Rule for ModifyNamespaces {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(
                &rule,
                &[("", "namespaces")],
                &["patch", "update"],
                At::Verb,
                true,
            ) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on `namespaces`{}: the holder can relabel a namespace to the `privileged` Pod Security level",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
