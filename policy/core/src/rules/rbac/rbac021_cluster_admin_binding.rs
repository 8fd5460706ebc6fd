use crate::k8s::rbac::{role_ref, subjects};
use crate::rules::prelude::*;

use super::grant::binding_who;

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoleBindings and RoleBindings whose `roleRef` is the ClusterRole
    /// `cluster-admin`. The bootstrap binding of `cluster-admin` to the group `system:masters`
    /// is expected and not reported. A RoleBinding to a *Role* named `cluster-admin` is reported
    /// at medium: it is not the built-in role, and often a mistake.
    ///
    /// ## Why is this bad?
    /// `cluster-admin` allows every verb on every resource. Through a ClusterRoleBinding the
    /// subjects control the whole cluster, every Secret included; through a RoleBinding they
    /// control the binding's namespace, including its Secrets, its RBAC and its workloads.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci
    ///     namespace: build
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: ClusterRole
    ///   name: cluster-admin
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: ci-deployer, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci
    ///     namespace: build
    /// roleRef:
    ///   apiGroup: rbac.authorization.k8s.io
    ///   kind: Role
    ///   name: app-deployer
    /// ```
    ///
    /// ## References
    /// - [RBAC: user-facing roles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#user-facing-roles)
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - CIS Kubernetes Benchmark 5.1.1 "Ensure that the cluster-admin role is only used where required"
    /// - kube-linter `pkg/builtinchecks/yamls/cluster-admin-role-binding.yaml`; Kyverno `other/restrict-binding-clusteradmin`
    pub struct ClusterAdminBinding;
    id: "RBAC-021",
    title: "Binding grants cluster-admin",
    severity: High,
    area: AccessControl,
    cis: ["5.1.1"],
    peers: ["KL cluster-admin-role-binding", "KY restrict-binding-clusteradmin", "POL clusterrolebindingClusterAdmin", "POL rolebindingClusterAdminClusterRole", "POL rolebindingClusterAdminRole", "TRV KSV-0111", "KS C-0185", "KS C-0035"],
    remediation: "Bind a role with only the permissions needed (the built-in `admin`/`edit` in a namespace, or a custom role).",
    kinds: ["RoleBinding", "ClusterRoleBinding"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata:
  name: cluster-admin
  labels: {kubernetes.io/bootstrapping: rbac-defaults}
subjects:
  - kind: Group
    name: system:masters
    apiGroup: rbac.authorization.k8s.io
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-admins, namespace: app}
subjects:
  - kind: User
    name: alice
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: admin}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: ci-admin}
subjects:
  - kind: ServiceAccount
    name: ci
    namespace: build
roleRef:
  apiGroup: rbac.authorization.k8s.io
  kind: ClusterRole
  name: cluster-admin # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
 "metadata": {"name": "ns-admin", "namespace": "app"},
 "subjects": [{"kind": "User", "name": "bob", "apiGroup": "rbac.authorization.k8s.io"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole",
   "name": "cluster-admin"}}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: badrb, namespace: app}
subjects:
  - {kind: User, name: foo, apiGroup: rbac.authorization.k8s.io}
roleRef: {kind: Role, name: cluster-admin, apiGroup: rbac.authorization.k8s.io} # <-
"#,
    ],
}

impl Rule for ClusterAdminBinding {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some((kind, "cluster-admin")) = role_ref(obj) else {
            return;
        };
        let subs = subjects(obj);
        let bootstrap = obj.kind() == "ClusterRoleBinding"
            && kind == "ClusterRole"
            && !subs.is_empty()
            && subs
                .iter()
                .all(|s| s.kind == "Group" && s.name == "system:masters");
        if bootstrap {
            return;
        }
        let node = obj.root.at(&["roleRef", "name"]).unwrap_or(&obj.root);
        let who: Vec<String> = subs.iter().take(4).map(|s| s.display()).collect();
        let to = if who.is_empty() {
            String::new()
        } else {
            format!(" to {}", who.join(", "))
        };
        match (obj.kind(), kind) {
            ("RoleBinding", "Role") => {
                cx.report(
                    obj,
                    node,
                    format!(
                        "{} binds a Role named `cluster-admin`{to}: that is not the built-in ClusterRole (roleRef.kind is Role), and it grants whatever that Role holds in the namespace",
                        binding_who(obj),
                    ),
                )
                .with_severity(Severity::Medium);
            }
            ("RoleBinding", _) => {
                cx.report(
                    obj,
                    node,
                    format!(
                        "{} grants ClusterRole `cluster-admin`{to}: full control of the namespace, every Secret in it included",
                        binding_who(obj),
                    ),
                );
            }
            _ => {
                cx.report(
                    obj,
                    node,
                    format!(
                        "{} grants ClusterRole `cluster-admin`{to}: full control of the cluster, every Secret included",
                        binding_who(obj),
                    ),
                );
            }
        }
    }
}
