use crate::k8s::access;
use crate::k8s::rbac::READ_VERBS;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a RoleBinding in namespace X that gives `get`, `list` or `watch` on Secrets of X to
    /// a ServiceAccount of another namespace Y (a `ServiceAccount` subject with
    /// `namespace: Y`, user `system:serviceaccount:Y:<name>`, or group
    /// `system:serviceaccounts:Y`). Grants limited by `resourceNames` are reported at severity
    /// low.
    ///
    /// ## Why is this bad?
    /// Namespaces are the boundary for Secrets: "Isolate Secrets by namespace". A workload of
    /// namespace Y that can read Secrets of X breaks that boundary; a compromise of Y now
    /// reaches X, and reviews of X's access that only look at X's ServiceAccounts miss it.
    ///
    /// ## Example
    /// ```yaml
    /// kind: RoleBinding
    /// metadata: {name: ci-reads-prod, namespace: prod}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: runner
    ///     namespace: ci
    /// roleRef: {kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Run the component that needs prod's Secrets in prod, with its own ServiceAccount.
    /// kind: RoleBinding
    /// metadata: {name: deployer-reads, namespace: prod}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: deployer
    ///     namespace: prod
    /// roleRef: {kind: Role, name: secret-reader}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets: Isolate Secrets by namespace](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    pub struct CrossNamespaceSecretRead;
    id: "RBG-010",
    title: "RoleBinding lets a ServiceAccount of another namespace read Secrets",
    severity: Medium,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: [],
    remediation: "Bind only ServiceAccounts of the Secrets' own namespace, or move the Secrets.",
    kinds: [],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: prod}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: prod}
subjects:
  - {kind: ServiceAccount, name: api}
  - {kind: ServiceAccount, name: worker, namespace: prod}
  - {kind: Group, name: "system:serviceaccounts:prod", apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
"#,
        // Cross-namespace, but the role grants no Secret read.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-views, namespace: prod}
subjects:
  - {kind: ServiceAccount, name: runner, namespace: ci}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: prod}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: ci-reads-prod, namespace: prod}
subjects:
  - kind: ServiceAccount
    name: runner
    namespace: ci # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: staging-edit}
subjects:
  - {kind: Group, name: "system:serviceaccounts:staging", apiGroup: rbac.authorization.k8s.io} # <-
  - {kind: User, name: "system:serviceaccount:ci:runner", apiGroup: rbac.authorization.k8s.io} # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
"#,
    ],
}

/// The other namespace a subject's ServiceAccount(s) live in, when it names one.
fn foreign_namespace<'s>(s: &'s access::SubjectRef, here: &str) -> Option<&'s str> {
    let ns = match s.kind.as_str() {
        "ServiceAccount" => s.namespace.as_deref()?,
        "User" => {
            s.name
                .strip_prefix("system:serviceaccount:")?
                .split_once(':')?
                .0
        }
        "Group" => s.name.strip_prefix("system:serviceaccounts:")?,
        _ => return None,
    };
    (ns != here && !ns.is_empty()).then_some(ns)
}

impl Rule for CrossNamespaceSecretRead {
    rule_meta!();

    fn check_inventory(&self, _inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        // A group holds the grants of one subject entry, so all of one binding.
        for group in access::by_subject(access.secret_read_grants()) {
            let Some(first) = group.first() else {
                continue;
            };
            if first.binding.kind() != "RoleBinding" {
                continue;
            }
            let here = ns_or_default(first.binding);
            let Some(there) = foreign_namespace(&first.subject, here) else {
                continue;
            };
            let limited = group.iter().all(|g| g.is_limited());
            let verbs = access::verbs_of(&group, READ_VERBS);
            let at = first
                .subject_node
                .get("namespace")
                .unwrap_or(first.subject_node);
            let f = cx.report_at(
                first.binding.locate(at),
                &first.binding.oref,
                format!(
                    "RoleBinding {} lets {} of namespace {there} {} Secrets of namespace {here}{}: {}",
                    first.binding.name(),
                    first.subject,
                    verbs.join(", "),
                    if limited { " (limited by resourceNames)" } else { "" },
                    first.evidence()
                ),
            );
            if limited {
                f.with_severity(Severity::Low);
            }
        }
    }
}
