use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles whose rules grant `list` or `watch` on `secrets` in the core
    /// API group, directly or through `*` in `verbs`, `resources` or `apiGroups`.
    ///
    /// ## Why is this bad?
    /// `list` and `watch` return whole objects, so they reveal the value of every Secret in scope,
    /// not just their names: `kubectl get secrets -o yaml` is a `list`. A ClusterRole bound
    /// cluster-wide exposes every Secret in the cluster, including service-account tokens of more
    /// privileged identities. `resourceNames` does not help: a `list` must then carry a
    /// `metadata.name` field selector, which clients rarely do.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-credentials"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Listing secrets](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#listing-secrets)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - CIS Kubernetes Benchmark 5.1.2 "Minimize access to secrets"
    pub struct ListWatchSecrets;
    id: "RBAC-001",
    title: "Role grants list or watch on Secrets",
    severity: High,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: ["KY restrict-secret-role-verbs", "TRV KSV-0041", "TRV KSV-0113", "KL access-to-secrets", "KS C-0015", "KS C-0186"],
    remediation: "Grant only `get` on the Secrets the workload needs, named in `resourceNames`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-secret, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["app-credentials"]
    verbs: ["get"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: apps-only}
rules:
  - apiGroups: ["apps"]
    resources: ["*"]
    verbs: ["list"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: default}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get",
            "list", # <-
            "watch"] # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: everything}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"] # <-
"#,
    ],
}

impl Rule for ListWatchSecrets {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let cluster = obj.kind() == "ClusterRole";
        for rule in policy_rules(obj) {
            let verbs = rule.granted_verbs("", "secrets", &["list", "watch"]);
            if verbs.is_empty() {
                continue;
            }
            let mut pointed = vec![];
            for v in &verbs {
                let node = rule.verb_node(v).unwrap_or(rule.node);
                if pointed.iter().any(|p| std::ptr::eq(*p, node)) {
                    continue;
                }
                pointed.push(node);
                let via = if node.as_str() == Some("*") {
                    " (through `*`)"
                } else {
                    ""
                };
                let f = cx.report(
                    obj,
                    node,
                    format!(
                        "{} `{}` rule {} grants `{v}` on secrets{via}: it reveals the value of every Secret in {}",
                        obj.kind(),
                        obj.name(),
                        rule.index,
                        if cluster { "the cluster (when bound by a ClusterRoleBinding)" } else { "the namespace" },
                    ),
                );
                if cluster {
                    f.with_severity(Severity::Critical);
                }
            }
        }
    }
}
