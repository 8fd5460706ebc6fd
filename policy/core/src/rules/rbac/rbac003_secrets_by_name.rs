use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{ticks, who};

declare_rule! {
    /// ## What it does
    /// Notes Roles and ClusterRoles that grant `get`, `list` or `watch` on `secrets` only for the
    /// Secrets named in `resourceNames`. This is the least-privilege pattern; the finding is
    /// informational and tells what the restriction does and does not cover.
    ///
    /// ## Why is this bad?
    /// It is not: it is context for reviewers. `resourceNames` restricts `get`, `update`, `patch`
    /// and `delete` to the named Secrets. A `list` or `watch` restricted by name only succeeds when
    /// the client sends a `metadata.name` field selector (plain `kubectl get secrets` is
    /// refused), and `create` and `deletecollection` can never be restricted by name, so a rule
    /// with `resourceNames` does not grant them at all.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["secrets"]
    ///     resourceNames: ["app-credentials"]
    ///     verbs: ["get", "watch"]
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
    /// - [RBAC: referring to resources (`resourceNames`)](https://kubernetes.io/docs/reference/access-authn-authz/rbac/#referring-to-resources)
    /// - [Good practices for Kubernetes Secrets: least-privilege access](https://kubernetes.io/docs/concepts/security/secrets-good-practices/#least-privilege-secrets)
    pub struct SecretsByName;
    id: "RBAC-003",
    title: "Secret access restricted by resourceNames",
    severity: Info,
    area: AccessControl,
    cis: ["5.1.2"],
    peers: [],
    remediation: "Keep `resourceNames`; prefer `get` alone (list/watch by name need a `metadata.name` field selector).",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: default}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    verbs: ["get", "list", "watch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-by-name, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    resourceNames: ["settings"]
    verbs: ["get"]
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["tls"]
    verbs: ["update"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-secret, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["secrets"]
    resourceNames: ["app-credentials"] # <-
    verbs: ["get"]
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "watch-one"},
 "rules": [{"apiGroups": ["*"], "resources": ["*"],
   "resourceNames": ["cluster-ca"],
   "verbs": ["watch", "list"]}]}
"#,
    ],
}

impl Rule for SecretsByName {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            if !rule.has_resource_names() {
                continue;
            }
            let verbs = rule.granted_verbs("", "secrets", &["get", "list", "watch"]);
            if verbs.is_empty() {
                continue;
            }
            let names: Vec<&str> = rule.resource_names().map(|(n, _)| n).collect();
            let selector = if verbs.iter().any(|v| *v != "get") {
                ": `list`/`watch` by name only work with a `metadata.name` field selector"
            } else {
                ""
            };
            cx.report(
                obj,
                rule.key("resourceNames"),
                format!(
                    "{} grants {} on secrets only for {} (least privilege){selector}",
                    who(obj, &rule),
                    ticks(&verbs),
                    ticks(&names),
                ),
            );
        }
    }
}
