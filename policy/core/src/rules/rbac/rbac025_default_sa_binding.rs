use crate::k8s::rbac::subjects;
use crate::rules::prelude::*;

use super::grant::{binding_who, name_node, role_desc};

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings whose subject is a namespace's `default`
    /// ServiceAccount: `kind: ServiceAccount` with `name: default`, or the same identity written
    /// as `kind: User` with `name: system:serviceaccount:<namespace>:default`.
    ///
    /// ## Why is this bad?
    /// Every Pod that does not name a service account runs as `default`, and by default its token
    /// is mounted. Rights given to `default` therefore go to every such Pod in the namespace,
    /// including ones added later for unrelated purposes.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: read-secrets, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: default
    ///     namespace: app
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: read-secrets, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: app-backend
    ///     namespace: app
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## References
    /// - [Service accounts: default service accounts](https://kubernetes.io/docs/concepts/security/service-accounts/#default-service-accounts)
    /// - CIS Kubernetes Benchmark 5.1.5 "Ensure that default service accounts are not actively used"
    /// - Checkov `CKV_K8S_42` `checkov/kubernetes/checks/resource/k8s/DefaultServiceAccountBinding.py`
    pub struct DefaultServiceAccountBinding;
    id: "RBAC-025",
    title: "Binding grants a role to a default ServiceAccount",
    severity: Medium,
    area: AccessControl,
    cis: ["5.1.5"],
    peers: ["CKV_K8S_42", "KS C-0189"],
    remediation: "Create a dedicated ServiceAccount for the workload and bind the role to it.",
    kinds: ["RoleBinding", "ClusterRoleBinding"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: read-pods, namespace: whoa}
subjects:
  - kind: ServiceAccount
    name: supercool
    namespace: whoa
  - kind: User
    name: default
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-reader}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: sa-like-users}
subjects:
  - kind: User
    name: system:serviceaccount:app:default-builder
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: destroy-k8s}
subjects:
  - kind: ServiceAccount
    name: default # <-
    namespace: whoa
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
 "metadata": {"name": "implicit-ns", "namespace": "app"},
 "subjects": [{"kind": "ServiceAccount", "name": "default"},
   {"kind": "User", "apiGroup": "rbac.authorization.k8s.io",
    "name": "system:serviceaccount:app:default"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}}
"#,
    ],
}

impl Rule for DefaultServiceAccountBinding {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for s in subjects(obj) {
            let ns = match (s.kind, s.name) {
                ("ServiceAccount", "default") => s
                    .namespace
                    .filter(|n| !n.is_empty())
                    .unwrap_or(obj.namespace())
                    .to_string(),
                ("User", name) => match name
                    .strip_prefix("system:serviceaccount:")
                    .and_then(|rest| rest.strip_suffix(":default"))
                {
                    Some(ns) if !ns.is_empty() && !ns.contains(':') => ns.to_string(),
                    _ => continue,
                },
                _ => continue,
            };
            let which = if ns.is_empty() {
                "the `default` ServiceAccount".to_string()
            } else {
                format!("ServiceAccount `{ns}/default`")
            };
            cx.report(
                obj,
                name_node(&s),
                format!(
                    "{} grants {} to {which}: every Pod in that namespace without its own service account gets these rights",
                    binding_who(obj),
                    role_desc(obj),
                ),
            );
        }
    }
}
