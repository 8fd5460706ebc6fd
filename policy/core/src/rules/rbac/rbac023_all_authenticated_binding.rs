use crate::k8s::rbac::subjects;
use crate::rules::prelude::*;

use super::grant::{binding_who, binds_public_role, name_node, role_desc};

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings with the subject Group `system:authenticated`
    /// (every authenticated user and service account) or Group `system:serviceaccounts` (every
    /// service account in the cluster). Bindings of the default discovery roles
    /// (`system:basic-user`, `system:discovery`, `system:public-info-viewer`,
    /// `system:service-account-issuer-discovery`), which the apiserver itself creates, are not
    /// reported.
    ///
    /// ## Why is this bad?
    /// Every identity in the cluster, including every Pod's service account token, gets the
    /// role. If it can read Secrets, one compromised Pod reads them all. CIS 5.1.2 audits exactly
    /// this: `kubectl auth can-i get,list,watch secrets --all-namespaces --as=system:authenticated`.
    /// On clusters whose identity provider accepts any account (for example any Google
    /// account), `system:authenticated` is close to anonymous.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: secret-readers, namespace: app}
    /// subjects:
    ///   - kind: Group
    ///     name: system:serviceaccounts
    ///     apiGroup: rbac.authorization.k8s.io
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: secret-readers, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: app
    ///     namespace: app
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: hardening](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening)
    /// - [RBAC: service account permissions](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#service-account-permissions)
    /// - CIS Kubernetes Benchmark 5.1.2 "Minimize access to secrets" (audit command)
    /// - Kubescape C-0265 `rules/system-authenticated-allowed-to-take-over-cluster`
    pub struct AllAuthenticatedBinding;
    id: "RBAC-023",
    title: "Binding grants a role to all authenticated users or service accounts",
    severity: High,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: ["KY restrict-binding-system-groups", "TRV KSV-01011", "KS C-0265", "GK K8sDisallowAnonymous (no-authenticated)"],
    remediation: "Bind the specific users, groups or service accounts that need the role.",
    kinds: ["RoleBinding", "ClusterRoleBinding"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: system:discovery}
subjects:
  - kind: Group
    name: system:authenticated
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:discovery}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ns-sas, namespace: app}
subjects:
  - kind: Group
    name: system:serviceaccounts:app
    apiGroup: rbac.authorization.k8s.io
  - kind: User
    name: system:authenticated
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-views}
subjects:
  - kind: Group
    name: system:authenticated # <-
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
 "metadata": {"name": "secret-readers", "namespace": "app"},
 "subjects": [{"kind": "Group", "apiGroup": "rbac.authorization.k8s.io",
   "name": "system:serviceaccounts"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "secret-reader"}}
"#,
    ],
}

impl Rule for AllAuthenticatedBinding {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if binds_public_role(obj) {
            return;
        }
        for s in subjects(obj) {
            let who = match (s.kind, s.name) {
                ("Group", "system:authenticated") => "every authenticated user and service account",
                ("Group", "system:serviceaccounts") => {
                    "every service account (every Pod) in the cluster"
                }
                _ => continue,
            };
            cx.report(
                obj,
                name_node(&s),
                format!(
                    "{} grants {} to {}: {who} gets it",
                    binding_who(obj),
                    role_desc(obj),
                    s.display(),
                ),
            );
        }
    }
}
