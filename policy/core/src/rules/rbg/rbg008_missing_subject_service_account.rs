use crate::k8s::access;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a binding subject of kind `ServiceAccount` that names a ServiceAccount which is not
    /// in the input, **only when the input contains other ServiceAccounts of that namespace**
    /// (so the namespace's ServiceAccounts are evidently part of the input). The namespace is
    /// the subject's `namespace`, or the RoleBinding's when omitted. The `default`
    /// ServiceAccount, which every namespace has, is never flagged.
    ///
    /// ## Why is this bad?
    /// A binding to a ServiceAccount that does not exist is a leftover or a typo. Its rights are
    /// dormant: "If an attacker is able to create a user account with the same name as a
    /// deleted user, they can automatically inherit all the rights" – here, whoever can create
    /// a ServiceAccount of that name in the namespace.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ServiceAccount
    /// metadata: {name: api, namespace: app}
    /// ---
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: apii          # typo: no such ServiceAccount
    ///     namespace: app
    /// roleRef: {kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: reader, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: api
    ///     namespace: app
    /// roleRef: {kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Periodic review](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#periodic-review)
    /// - [Using RBAC authorization: Referring to subjects](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects)
    pub struct MissingSubjectServiceAccount;
    id: "RBG-008",
    title: "Binding subject refers to a missing ServiceAccount",
    severity: Medium,
    area: AccessControl,
    cis: [],
    peers: [],
    remediation: "Remove the subject from the binding, or fix its name or namespace.",
    kinds: [],
    pass: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
subjects:
  - {kind: ServiceAccount, name: api}
  - {kind: ServiceAccount, name: default, namespace: app}
  - {kind: ServiceAccount, name: other, namespace: monitoring}
  - {kind: User, name: api, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
        // No ServiceAccounts in the input at all: nothing to compare with.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: reader}
subjects:
  - {kind: ServiceAccount, name: api, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: api, namespace: app}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
subjects:
  - kind: ServiceAccount
    name: apii # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
        r#"
apiVersion: v1
kind: List
items:
  - apiVersion: v1
    kind: ServiceAccount
    metadata: {name: exporter, namespace: monitoring}
  - apiVersion: rbac.authorization.k8s.io/v1
    kind: ClusterRoleBinding
    metadata: {name: exporter}
    subjects:
      - {kind: ServiceAccount, name: exporter, namespace: monitoring}
      - {kind: ServiceAccount, name: old-exporter, namespace: monitoring} # <-
    roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
    ],
}

impl Rule for MissingSubjectServiceAccount {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, _access: &Access<'_>, cx: &mut Ctx<'_>) {
        for b in inv.bindings() {
            for s in access::binding_subjects(b) {
                let Some(ns) = s.subject.namespace.as_deref() else {
                    continue;
                };
                let name = s.subject.name.as_str();
                if !s.subject.is_service_account()
                    || name == "default"
                    || inv.service_account(ns, name).is_some()
                {
                    continue;
                }
                if !inv.has_service_accounts_in(ns) {
                    continue;
                }
                let at = s.node.get("name").unwrap_or(s.node);
                cx.report_at(
                    b.locate(at),
                    &b.oref,
                    format!(
                        "{} {} binds ServiceAccount {ns}/{name}, which is not among the ServiceAccounts of namespace {ns} in the input: whoever creates it later inherits the binding's rights",
                        b.kind(),
                        b.name()
                    ),
                );
            }
        }
    }
}
