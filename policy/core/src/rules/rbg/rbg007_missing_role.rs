use crate::k8s::{access, rbac};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose `roleRef` names a Role or ClusterRole
    /// that is neither in the input nor built in (`cluster-admin`, `admin`, `edit`, `view` and
    /// every `system:*` ClusterRole; the bootstrap Roles `system:*` and
    /// `extension-apiserver-authentication-reader` of `kube-system`), and ClusterRoleBindings whose `roleRef` is not a
    /// ClusterRole (the apiserver accepts only ClusterRoles there). A RoleBinding's Role must be
    /// in the binding's namespace.
    ///
    /// ## Why is this bad?
    /// The binding grants nothing today, but whoever later creates a role with that name
    /// decides what its subjects may do, including reading Secrets. Dangling bindings also hide
    /// intent and are what periodic RBAC reviews are meant to remove. When the role is defined
    /// elsewhere (another chart, an operator), scan it together with the binding.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: app}
    /// subjects: [{kind: ServiceAccount, name: app}]
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
    /// # no Role secret-reader in namespace app
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// metadata: {name: secret-reader, namespace: app}
    /// rules: [{apiGroups: [""], resources: [secrets], resourceNames: [app-db], verbs: [get]}]
    /// ---
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: app}
    /// subjects: [{kind: ServiceAccount, name: app}]
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Periodic review](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#periodic-review)
    /// - [Using RBAC authorization: RoleBinding and ClusterRoleBinding](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding)
    /// - kube-linter template `access-to-resources` (reports `clusterrole %q not found`)
    pub struct MissingRole;
    id: "RBG-007",
    title: "Binding refers to a missing Role or ClusterRole",
    severity: Low,
    area: AccessControl,
    cis: [],
    peers: ["KL access-to-resources (clusterrole not found)"],
    remediation: "Create the role the binding refers to, or delete the binding.",
    kinds: [],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: app}
rules:
  - {apiGroups: [""], resources: ["secrets"], resourceNames: ["db"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
subjects: [{kind: ServiceAccount, name: app}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: nodes}
subjects: [{kind: Group, name: "system:nodes", apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: "system:node"}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: adapter-auth-reader, namespace: kube-system}
subjects: [{kind: ServiceAccount, name: adapter, namespace: monitoring}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: extension-apiserver-authentication-reader}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: other}
rules:
  - {apiGroups: [""], resources: ["secrets"], resourceNames: ["db"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
subjects: [{kind: ServiceAccount, name: app}]
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: Role
  name: secret-reader # <-
"#,
        r#"{
  "apiVersion": "rbac.authorization.k8s.io/v1",
  "kind": "ClusterRoleBinding",
  "metadata": {"name": "ops"},
  "subjects": [{"kind": "Group", "name": "ops", "apiGroup": "rbac.authorization.k8s.io"}],
  "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
              "name": "ops-admin"} # <-
}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: reader, namespace: default}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: wrong-kind}
subjects: [{kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}]
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader} # <-
"#,
    ],
}

impl Rule for MissingRole {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, _access: &Access<'_>, cx: &mut Ctx<'_>) {
        for b in inv.bindings() {
            let Some((kind, name)) = rbac::role_ref(b) else {
                continue;
            };
            let at = b
                .root
                .at(&["roleRef", "name"])
                .or_else(|| b.root.key_node("roleRef"))
                .unwrap_or(&b.root);
            let msg = if b.kind() == "ClusterRoleBinding" && kind != "ClusterRole" {
                format!(
                    "ClusterRoleBinding {} refers to {kind} {name}, but a ClusterRoleBinding can only refer to a ClusterRole",
                    b.name()
                )
            } else if inv.role_ref_exists(b)
                || (kind == "Role" && access::is_builtin_role(ns_or_default(b), name))
            {
                continue;
            } else if kind == "Role" {
                format!(
                    "RoleBinding {} refers to Role {name}, which is not in namespace {} of the input: whoever creates it later decides what the binding grants",
                    b.name(),
                    ns_or_default(b)
                )
            } else {
                format!(
                    "{} {} refers to {kind} {name}, which is neither in the input nor built in: whoever creates it later decides what the binding grants",
                    b.kind(),
                    b.name()
                )
            };
            cx.report_at(b.locate(at), &b.oref, msg);
        }
    }
}
