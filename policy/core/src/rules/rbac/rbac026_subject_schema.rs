use crate::k8s::rbac::RBAC_GROUP;
use crate::rules::prelude::*;

use super::grant::binding_who;

/// DNS-1123 subdomain, as `ValidateServiceAccountName` requires.
fn is_dns_subdomain(s: &str) -> bool {
    let b = s.as_bytes();
    !b.is_empty()
        && b.len() <= 253
        && b.iter()
            .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-' || *c == b'.')
        && s.split('.').all(|label| {
            let l = label.as_bytes();
            !l.is_empty()
                && l.first().is_some_and(u8::is_ascii_alphanumeric)
                && l.last().is_some_and(u8::is_ascii_alphanumeric)
        })
}

declare_rule! {
    /// ## What it does
    /// Checks each subject of a RoleBinding or ClusterRoleBinding the way the apiserver validates
    /// it (`pkg/apis/rbac/validation/validation.go`, after the v1 defaults):
    /// - `kind` must be `User`, `Group` or `ServiceAccount` (case-sensitive) and `name` is required;
    /// - a `ServiceAccount` subject must have no `apiGroup` (`""`), a valid name (a DNS
    ///   subdomain: `system:serviceaccount:ns:name` is a *User* name), and, in a
    ///   ClusterRoleBinding, a `namespace`;
    /// - a `User` or `Group` subject must have `apiGroup: rbac.authorization.k8s.io` when one is
    ///   given (an omitted `apiGroup` is defaulted to it), and its `namespace` is ignored.
    ///
    /// In a RoleBinding, a ServiceAccount subject without `namespace` is valid: it means the
    /// binding's own namespace.
    ///
    /// ## Why is this bad?
    /// The apiserver rejects such a binding (`subjects[0].namespace: Required value`,
    /// `subjects[0].apiGroup: Unsupported value`), so the intended grant silently never
    /// happens in a pipeline that ignores apply errors, or it is "fixed" in a hurry. A
    /// `namespace` on a User or Group suggests a scoping that RBAC does not do.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: monitoring
    ///     apiGroup: rbac.authorization.k8s.io
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRoleBinding
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: monitoring
    ///     namespace: observability
    /// ```
    ///
    /// ## References
    /// - [RBAC: referring to subjects](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-subjects)
    /// - kubernetes `pkg/apis/rbac/validation/validation.go` (`validateRoleBindingSubject`), `pkg/apis/rbac/v1/defaults.go` (`SetDefaults_Subject`)
    pub struct SubjectSchema;
    id: "RBAC-026",
    title: "Binding subject is invalid or misleading",
    severity: Low,
    area: AccessControl,
    cis: [],
    peers: [],
    remediation: "ServiceAccount subjects: name + namespace, no apiGroup. User/Group subjects: name + `apiGroup: rbac.authorization.k8s.io`, no namespace.",
    kinds: ["RoleBinding", "ClusterRoleBinding"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: fine, namespace: app}
subjects:
  - kind: ServiceAccount
    name: app
  - kind: ServiceAccount
    name: ci
    namespace: build
    apiGroup: ""
  - kind: User
    name: system:serviceaccount:build:ci
  - kind: Group
    name: devs
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRoleBinding",
 "metadata": {"name": "fine"},
 "subjects": [{"kind": "ServiceAccount", "name": "prometheus.k8s", "namespace": "monitoring"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "ClusterRole", "name": "view"}}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: broken}
subjects:
  - kind: ServiceAccount # <-
    name: monitoring
  - kind: ServiceAccount
    name: ci
    namespace: build
    apiGroup: rbac.authorization.k8s.io # <-
  - kind: serviceaccount # <-
    name: app
    namespace: app
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: confused, namespace: app}
subjects:
  - kind: User
    name: alice
    apiGroup: rbac.authorization.k8s.io/v1 # <-
  - kind: Group
    name: devs
    namespace: app # <-
  - kind: ServiceAccount
    name: system:serviceaccount:app:builder # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: reader}
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
 "metadata": {"name": "no-name", "namespace": "app"},
 "subjects": [{"kind": "User", "apiGroup": "rbac.authorization.k8s.io"}],
 "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "reader"}}
"#,
    ],
}

impl Rule for SubjectSchema {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let cluster = obj.kind() == "ClusterRoleBinding";
        let Some(list) = obj.root.get("subjects") else {
            return;
        };
        let who = binding_who(obj);
        for (i, sub) in list.items().iter().enumerate() {
            if !sub.is_map() {
                continue;
            }
            let field = |k: &str| sub.get(k).and_then(Node::as_str).filter(|s| !s.is_empty());
            let kind = field("kind");
            let name = field("name");
            let api_group = field("apiGroup");
            let namespace = field("namespace");
            let at = |k: &str| sub.get(k).unwrap_or(sub);
            if name.is_none() {
                cx.report(
                    obj,
                    sub,
                    format!("{who} subject {i} has no `name`: the apiserver rejects it (`subjects[{i}].name: Required value`)"),
                );
            }
            match kind {
                Some("ServiceAccount") => {
                    if let Some(g) = api_group {
                        cx.report(
                            obj,
                            at("apiGroup"),
                            format!("{who} subject {i} is a ServiceAccount with `apiGroup: {g}`: the apiserver rejects it (ServiceAccount subjects take no apiGroup, `\"\"`)"),
                        );
                    }
                    if let Some(n) = name.filter(|n| !is_dns_subdomain(n)) {
                        let hint = if n.starts_with("system:serviceaccount:") {
                            "; write `name` and `namespace` separately (or use kind User for the full username)"
                        } else {
                            ""
                        };
                        cx.report(
                            obj,
                            at("name"),
                            format!("{who} subject {i} ServiceAccount name `{n}` is not a valid ServiceAccount name (lowercase DNS subdomain): the apiserver rejects it{hint}"),
                        );
                    }
                    if cluster && namespace.is_none() {
                        cx.report(
                            obj,
                            at("kind"),
                            format!("{who} subject {i} is a ServiceAccount without `namespace`: the apiserver rejects it in a ClusterRoleBinding (`subjects[{i}].namespace: Required value`)"),
                        );
                    }
                }
                Some(k @ ("User" | "Group")) => {
                    if let Some(g) = api_group.filter(|g| *g != RBAC_GROUP) {
                        cx.report(
                            obj,
                            at("apiGroup"),
                            format!("{who} subject {i} ({k}) has `apiGroup: {g}`: the apiserver rejects it (supported value: `{RBAC_GROUP}`)"),
                        );
                    }
                    if let Some(ns) = namespace {
                        cx.report(
                            obj,
                            at("namespace"),
                            format!("{who} subject {i} ({k}) has `namespace: {ns}`, which RBAC ignores: {k}s are cluster-wide, the subject is not limited to `{ns}`"),
                        );
                    }
                }
                Some(k) => {
                    cx.report(
                        obj,
                        at("kind"),
                        format!("{who} subject {i} has `kind: {k}`: the apiserver rejects it (supported: `User`, `Group`, `ServiceAccount`, case-sensitive)"),
                    );
                }
                None => {
                    cx.report(
                        obj,
                        sub,
                        format!("{who} subject {i} has no `kind`: the apiserver rejects it"),
                    );
                }
            }
        }
    }
}
