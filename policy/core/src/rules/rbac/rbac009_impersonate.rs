use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, ticks, who, At};

/// What impersonation is authorized on (kubernetes `staging/src/k8s.io/apiserver/pkg/endpoints/filters/impersonation.go`).
const TARGETS: &[(&str, &str)] = &[
    ("", "users"),
    ("", "groups"),
    ("", "serviceaccounts"),
    ("authentication.k8s.io", "uids"),
];

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `impersonate` on `users`, `groups` or
    /// `serviceaccounts` (core group `""`), or on `uids` or `userextras/<key>`
    /// (`authentication.k8s.io`), directly or through `*`. A rule with both `*` verbs and `*`
    /// resources is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Impersonation lets the holder send requests as another user, group or service account
    /// (`kubectl --as`, `--as-group`). Impersonating the group `system:masters` or any
    /// privileged account gives its rights, including reading every Secret; without
    /// `resourceNames`, any identity can be impersonated.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["users", "groups"]
    ///     verbs: ["impersonate"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["users"]
    ///     resourceNames: ["readonly-auditor"]
    ///     verbs: ["impersonate"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: impersonate verb](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#impersonate-verb)
    /// - [Authenticating: user impersonation](https://kubernetes.io/docs/reference/access-authn-authz/authentication/#user-impersonation)
    /// - CIS Kubernetes Benchmark 5.1.8 "Limit use of the Bind, Impersonate and Escalate permissions"
    /// - Kubescape C-0065 `rules/rule-can-impersonate-users-groups-v1/raw.rego`
    pub struct Impersonate;
    id: "RBAC-009",
    title: "Role grants impersonation",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.8"],
    peers: ["CKV2_K8S_3", "KS C-0065", "TRV KSV-0043", "KY restrict-escalation-verbs-roles"],
    remediation: "Remove `impersonate`, or limit it with `resourceNames` to the identities that may be impersonated.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: user-viewer}
rules:
  - apiGroups: [""]
    resources: ["users", "groups", "serviceaccounts"]
    verbs: ["get", "list"]
  - apiGroups: ["rbac.authorization.k8s.io"]
    resources: ["roles"]
    verbs: ["impersonate"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: wrong-group}
rules:
  - apiGroups: ["authentication.k8s.io"]
    resources: ["users", "groups"]
    verbs: ["impersonate"]
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: impersonator}
rules:
  - apiGroups: [""]
    resources: ["users", "groups"]
    verbs: ["impersonate"] # <-
  - apiGroups: ["authentication.k8s.io"]
    resources:
      - userextras/scopes # <-
    verbs: ["impersonate"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: sa-impersonator, namespace: ci}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: [impersonate] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "json-impersonator"},
 "rules": [{"apiGroups": [""], "resources": ["serviceaccounts"],
   "verbs": ["*"]}]}
"#,
    ],
}

impl Rule for Impersonate {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            let names: Vec<&str> = rule.resource_names().map(|(n, _)| n).collect();
            let limit = if names.is_empty() {
                " any identity".to_string()
            } else {
                format!(" {}", ticks(&names))
            };
            for hit in hits(&rule, TARGETS, &["impersonate"], At::Verb, true) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `impersonate` on {}{}: the holder can act as{limit} and use its rights, e.g. to read Secrets",
                        who(obj, &rule),
                        hit.resource_list(),
                        hit.via(),
                    ),
                );
            }
            // `userextras/<key>`: the key is arbitrary, so look for the resource entries.
            if rule.matches_group("authentication.k8s.io") && rule.matches_verb("impersonate") {
                for (r, node) in rule.resources() {
                    if !r.starts_with("userextras/") {
                        continue;
                    }
                    cx.report(
                        obj,
                        node,
                        format!(
                            "{} grants `impersonate` on `{r}`: the holder can attach arbitrary extra attributes (such as scopes) to impersonated requests",
                            who(obj, &rule),
                        ),
                    );
                }
            }
        }
    }
}
