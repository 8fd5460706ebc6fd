use crate::k8s::access::{self, Grant};
use crate::k8s::rbac::READ_VERBS;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Resolves every RoleBinding and ClusterRoleBinding of the input to its Role or ClusterRole
    /// (roles of the input, the built-in `cluster-admin`, `admin`, `edit` and `view`, and the
    /// ClusterRoles an aggregated ClusterRole selects by label) and reports each binding subject
    /// (User, Group, ServiceAccount) that thereby gets `get`, `list` or `watch` on Secrets. The
    /// message gives the scope and the evidence path: subject → binding → role → rule → verbs.
    ///
    /// A RoleBinding grants only in its own namespace, even when it refers to a ClusterRole; a
    /// ClusterRoleBinding grants in every namespace. A grant limited by `resourceNames` is
    /// reported as such, at severity info (medium for broad groups).
    ///
    /// Severity is high, and critical when the subject is a broad group
    /// (`system:authenticated`, `system:unauthenticated`, `system:serviceaccounts[:<ns>]`, user
    /// `system:anonymous`) or when it can `list`/`watch` Secrets cluster-wide.
    ///
    /// ## Why is this bad?
    /// Reading a Secret reveals its value, and `list`/`watch` reveal every Secret in scope at
    /// once, including service-account tokens of more privileged identities. Single roles look
    /// harmless in isolation; only the bindings tell who actually holds the access. CIS 5.1.2
    /// asks to minimise this set.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// metadata: {name: secret-reader}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get", "list"]
    /// ---
    /// kind: ClusterRoleBinding
    /// metadata: {name: read-all}
    /// subjects:
    ///   - kind: Group
    ///     name: system:authenticated
    /// roleRef: {kind: ClusterRole, name: secret-reader}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// metadata: {name: app-secret, namespace: app}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-credentials"]
    ///     verbs: ["get"]
    /// ---
    /// kind: RoleBinding
    /// metadata: {name: app-secret, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: app
    ///     namespace: app
    /// roleRef: {kind: Role, name: app-secret}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Listing secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    /// - [Using RBAC authorization: RoleBinding and ClusterRoleBinding](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#rolebinding-and-clusterrolebinding)
    /// - [Aggregated ClusterRoles](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#aggregated-clusterroles)
    /// - CIS Kubernetes Benchmark 5.1.2 "Minimize access to secrets"
    /// - kubernetes `plugin/pkg/auth/authorizer/rbac/rbac.go` (subject and scope matching)
    pub struct EffectiveSecretReaders;
    id: "RBG-001",
    title: "Subject can read Secrets through its bindings",
    severity: High,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: ["KS C-0015", "KS C-0186", "KL access-to-secrets", "CKV2_K8S_5"],
    remediation: "Bind only the identities that need it to a Role granting `get` on named Secrets in one namespace.",
    kinds: [],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pods-reader}
rules:
  - apiGroups: [""]
    resources: ["pods", "secrets/status"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["secrets"]
    verbs: ["get"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read-pods}
subjects:
  - kind: Group
    name: system:authenticated
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: pods-reader}
"#,
        // The built-in `view` role does not include Secrets; the unbound Role grants nothing.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: viewers, namespace: app}
subjects:
  - kind: User
    name: jane
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["list"]
"#,
        // A Role of another namespace does not resolve.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: other}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: readers, namespace: app}
subjects:
  - {kind: ServiceAccount, name: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: secret-reader}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: read-all}
subjects:
  - kind: Group # <-
    name: system:authenticated
    apiGroup: rbac.authorization.k8s.io
  - kind: ServiceAccount # <-
    name: backup
    namespace: ops
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: secret-reader}
"#,
        // RoleBinding to a ClusterRole: namespace-scoped; SA namespace defaults to the binding's.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: app-admin, namespace: app}
subjects:
  - {kind: ServiceAccount, name: deployer} # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: everything}
"#,
        // Built-in `edit`, and an aggregated ClusterRole whose part grants `watch`.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: app}
subjects:
  - kind: User # <-
    name: jane
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
aggregationRule:
  clusterRoleSelectors:
    - matchLabels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules: []
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata:
  name: monitoring-secrets
  labels: {rbac.example.com/aggregate-to-monitoring: "true"}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["watch"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: monitoring}
subjects:
  - {kind: ServiceAccount, name: prometheus, namespace: monitoring} # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: monitoring}
"#,
        // JSON input; a grant limited by resourceNames is reported as such.
        r#"{"apiVersion": "v1", "kind": "List", "items": [
  {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
   "metadata": {"name": "one-secret", "namespace": "app"},
   "rules": [{"apiGroups": [""], "resources": ["secrets"], "resourceNames": ["db"], "verbs": ["get"]}]},
  {"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "RoleBinding",
   "metadata": {"name": "one-secret", "namespace": "app"},
   "subjects": [
    {"kind": "ServiceAccount", "name": "api", "namespace": "app"}], # <-
   "roleRef": {"apiGroup": "rbac.authorization.k8s.io", "kind": "Role", "name": "one-secret"}}
]}
"#,
    ],
}

impl Rule for EffectiveSecretReaders {
    rule_meta!();

    fn check_inventory(&self, _inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        let grants = access.secret_read_grants();
        for group in access::by_subject(grants) {
            let Some(first) = group.first() else {
                continue;
            };
            let unlimited: Vec<&Grant<'_>> =
                group.iter().copied().filter(|g| g.is_unlimited()).collect();
            let shown = if unlimited.is_empty() {
                &group
            } else {
                &unlimited
            };
            let Some(evidence) = shown.first() else {
                continue;
            };
            let verbs = access::verbs_of(shown, READ_VERBS);
            let what = if unlimited.is_empty() {
                let mut names: Vec<&str> = group
                    .iter()
                    .flat_map(|g| g.resource_names.iter().map(String::as_str))
                    .collect();
                names.sort_unstable();
                names.dedup();
                format!("{} only the Secrets {}", verbs.join(", "), names.join(", "))
            } else {
                format!("{} Secrets", verbs.join(", "))
            };
            let more = match shown.len() {
                1 => String::new(),
                n => format!(" (and {} more rule(s))", n - 1),
            };
            let msg = format!(
                "{} can {what} {}: {}{more}",
                first.subject,
                evidence.scope,
                evidence.evidence()
            );
            let broad = first.subject.is_broad();
            let cluster_list = unlimited
                .iter()
                .any(|g| g.scope.is_cluster() && g.verbs.iter().any(|v| *v != "get"));
            let severity = match (unlimited.is_empty(), broad || cluster_list) {
                (false, true) => Severity::Critical,
                (false, false) => Severity::High,
                (true, true) => Severity::Medium,
                (true, false) => Severity::Info,
            };
            let loc = first.binding.locate(first.subject_node);
            cx.report_at(loc, &first.binding.oref, msg)
                .with_severity(severity);
        }
    }
}
