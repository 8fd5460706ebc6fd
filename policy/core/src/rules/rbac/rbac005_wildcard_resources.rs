use crate::k8s::rbac::{policy_rules, READ_VERBS};
use crate::rules::prelude::*;

use super::grant::{is_star, ticks, who};

declare_rule! {
    /// ## What it does
    /// Flags `*` in the `resources` of any rule of a Role or ClusterRole, and `*` in `apiGroups`
    /// of a rule that names `secrets`. Every rule is checked, not only the first. The finding is
    /// critical when the wildcard grants `get`, `list` or `watch` on core `secrets`.
    ///
    /// ## Why is this bad?
    /// `*` in `resources` covers every resource of the listed API groups, including `secrets`
    /// when the core group (`""`) or `*` is listed, every subresource such as `pods/exec` and
    /// `nodes/proxy`, and object types created in the future. `*` in `apiGroups` next to
    /// `secrets` also matches the core `secrets` and any custom resource of that name.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["*"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "services", "configmaps"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: least privilege](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    /// - CIS Kubernetes Benchmark 5.1.3 "Minimize wildcard use in Roles and ClusterRoles"
    /// - Checkov `CKV_K8S_49` `checkov/kubernetes/checks/resource/k8s/WildcardRoles.py` (inspects only `rules[0]`)
    /// - Kyverno `other/restrict-wildcard-resources/restrict-wildcard-resources.yaml`
    pub struct WildcardResources;
    id: "RBAC-005",
    title: "Wildcard in resources",
    severity: High,
    area: AccessControl,
    cis: ["5.1.3"],
    peers: ["KY restrict-wildcard-resources", "TRV KSV-0044", "KL wildcard-in-rules", "CKV_K8S_49"],
    remediation: "Name the resources (and API groups) the workload needs instead of `*`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: viewer}
rules:
  - apiGroups: [""]
    resources: ["pods", "services", "configmaps"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["*"]
    resources: ["*/scale"]
    verbs: ["get"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: any-group-pods, namespace: app}
rules:
  - apiGroups: ["*"]
    resources: ["pods"]
    verbs: ["get"]
  - nonResourceURLs: ["*"]
    verbs: ["get"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: core-reader}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get"]
  - apiGroups: [""]
    resources: ["*"] # <-
    verbs: ["get", "list", "watch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: any-secrets, namespace: app}
rules:
  - apiGroups:
      - "*" # <-
    resources: ["secrets"]
    verbs: ["delete"]
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
 "metadata": {"name": "apps-admin", "namespace": "app"},
 "rules": [{"apiGroups": ["apps"], "resources": ["*"],
   "verbs": ["create"]}]}
"#,
    ],
}

impl Rule for WildcardResources {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            let reads = if rule.has_resource_names() {
                vec![]
            } else {
                rule.granted_verbs("", "secrets", READ_VERBS)
            };
            let groups: Vec<&str> = rule.api_groups().map(|(g, _)| g).collect();
            let (node, msg) = if let Some((_, star)) = rule.resources().find(|(_, n)| is_star(n)) {
                (
                    star,
                    format!(
                        "{} grants `*` resources in API groups {}: every resource and subresource{}, including types added later",
                        who(obj, &rule),
                        ticks(&groups),
                        if rule.matches_group("") { " (Secrets included)" } else { "" },
                    ),
                )
            } else if let (Some((_, star)), true) = (
                rule.api_groups().find(|(_, n)| is_star(n)),
                rule.resources().any(|(r, _)| r == "secrets"),
            ) {
                (
                    star,
                    format!(
                        "{} grants `secrets` in every API group (`*`): the core Secrets and any custom resource named secrets",
                        who(obj, &rule),
                    ),
                )
            } else {
                continue;
            };
            let f = cx.report(obj, node, msg);
            if !reads.is_empty() {
                f.message.push_str(&format!(
                    "; with {} it reveals Secret values",
                    ticks(&reads)
                ));
                f.with_severity(Severity::Critical);
            }
        }
    }
}
