use crate::k8s::rbac::{role_ref, subjects};
use crate::rules::prelude::*;

use super::grant::{binding_who, name_node, role_desc};

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings with the subject Group `system:masters`. The
    /// bootstrap ClusterRoleBinding `cluster-admin` to `cluster-admin` is not reported.
    ///
    /// ## Why is this bad?
    /// Members of `system:masters` bypass RBAC entirely: the apiserver authorizes them before
    /// RBAC is consulted, so no binding adds or removes anything for them, and their access
    /// cannot be revoked by removing bindings. A binding that names the group shows that the
    /// group is being used for ordinary access (for example in client certificates), which
    /// hands out unrevocable cluster-admin.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: Group
    ///     name: system:masters
    ///     apiGroup: rbac.authorization.k8s.io
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: Group
    ///     name: platform-admins
    ///     apiGroup: rbac.authorization.k8s.io
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: least privilege (system:masters)](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    /// - CIS Kubernetes Benchmark 5.1.7 "Avoid use of system:masters group"
    /// - Trivy KSV-0123 `checks/kubernetes/masters_group_bind.rego`
    pub struct MastersBinding;
    id: "RBAC-024",
    title: "Binding names the system:masters group",
    severity: High,
    area: AccessControl,
    cis: ["5.1.7"],
    peers: ["TRV KSV-0123", "KY restrict-binding-system-groups"],
    remediation: "Use a dedicated group bound to the roles it needs; keep system:masters for break-glass credentials only.",
    kinds: ["RoleBinding", "ClusterRoleBinding"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: cluster-admin}
subjects:
  - {kind: Group, name: system:masters, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: masters-lookalike, namespace: app}
subjects:
  - {kind: Group, name: "system:masters-readonly", apiGroup: rbac.authorization.k8s.io}
  - {kind: User, name: masters, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: masters-view}
subjects:
  - kind: Group
    name: system:masters # <-
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
 "metadata": {"name": "badrb03", "namespace": "app"},
 "subjects": [{"kind": "Group", "namespace": "foo", "apiGroup": "rbac.authorization.k8s.io",
   "name": "system:masters"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}}
"#,
    ],
}

impl Rule for MastersBinding {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let bootstrap = obj.kind() == "ClusterRoleBinding"
            && obj.name() == "cluster-admin"
            && role_ref(obj) == Some(("ClusterRole", "cluster-admin"));
        if bootstrap {
            return;
        }
        for s in subjects(obj) {
            if (s.kind, s.name) != ("Group", "system:masters") {
                continue;
            }
            cx.report(
                obj,
                name_node(&s),
                format!(
                    "{} grants {} to Group `system:masters`: its members bypass RBAC altogether and cannot be revoked by removing bindings",
                    binding_who(obj),
                    role_desc(obj),
                ),
            );
        }
    }
}
