use crate::k8s::rbac::subjects;
use crate::rules::prelude::*;

use super::grant::{binding_who, binds_public_role, name_node, role_desc};

declare_rule! {
    /// ## What it does
    /// Flags RoleBindings and ClusterRoleBindings with the subject User `system:anonymous` or
    /// Group `system:unauthenticated`. Bindings of the default discovery roles
    /// (`system:public-info-viewer` and the like), which the apiserver itself creates, are not
    /// reported. A Group named `system:anonymous` (or a User named `system:unauthenticated`)
    /// matches nobody; it is reported at medium, because the intent is the same.
    ///
    /// ## Why is this bad?
    /// When anonymous authentication is on (the default), every request without credentials
    /// is User `system:anonymous` in Group `system:unauthenticated`. Binding a role to them
    /// gives it to anyone who can reach the API server over the network.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: Group
    ///     name: system:unauthenticated
    ///     apiGroup: rbac.authorization.k8s.io
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: Group
    ///     name: dashboards
    ///     apiGroup: rbac.authorization.k8s.io
    /// roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: hardening](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#hardening)
    /// - [Authenticating: anonymous requests](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#anonymous-requests)
    /// - Gatekeeper `library/general/disallowanonymous`; Kyverno `other/restrict-binding-system-groups`
    pub struct AnonymousBinding;
    id: "RBAC-022",
    title: "Binding grants a role to anonymous users",
    severity: Critical,
    area: AccessControl,
    cis: [],
    peers: ["GK K8sDisallowAnonymous", "KY restrict-binding-system-groups", "TRV KSV-0122", "KS C-0262"],
    remediation: "Remove `system:anonymous` / `system:unauthenticated` from the subjects; bind authenticated identities instead.",
    kinds: ["RoleBinding", "ClusterRoleBinding"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: system:public-info-viewer}
subjects:
  - {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}
  - {kind: Group, name: system:unauthenticated, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: system:public-info-viewer}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: app}
subjects:
  - kind: User
    name: system:anonymous-auditor
    apiGroup: rbac.authorization.k8s.io
  - kind: ServiceAccount
    name: anonymous
    namespace: app
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: open-view}
subjects:
  - kind: User
    name: alice
    apiGroup: rbac.authorization.k8s.io
  - kind: Group
    name: system:unauthenticated # <-
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
 "metadata": {"name": "anon", "namespace": "app"},
 "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io",
   "name": "system:anonymous"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: badcrb01}
subjects:
  - kind: Group
    name: "system:anonymous" # <-
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
"#,
    ],
}

impl Rule for AnonymousBinding {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if binds_public_role(obj) {
            return;
        }
        for s in subjects(obj) {
            let exact = matches!(
                (s.kind, s.name),
                ("User", "system:anonymous") | ("Group", "system:unauthenticated")
            );
            let confused = matches!(
                (s.kind, s.name),
                ("Group", "system:anonymous") | ("User", "system:unauthenticated")
            );
            if exact {
                cx.report(
                    obj,
                    name_node(&s),
                    format!(
                        "{} grants {} to {}: anyone who can reach the API server gets it, without credentials",
                        binding_who(obj),
                        role_desc(obj),
                        s.display(),
                    ),
                );
            } else if confused {
                cx.report(
                    obj,
                    name_node(&s),
                    format!(
                        "{} grants {} to {}: meant for unauthenticated requests (which are User `system:anonymous` in Group `system:unauthenticated`); this subject matches nobody, but the intent is unsafe",
                        binding_who(obj),
                        role_desc(obj),
                        s.display(),
                    ),
                )
                .with_severity(Severity::Medium);
            }
        }
    }
}
