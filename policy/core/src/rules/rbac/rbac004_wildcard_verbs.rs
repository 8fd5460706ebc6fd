use crate::k8s::rbac::{policy_rules, RBAC_GROUP};
use crate::rules::prelude::*;

use super::grant::{is_star, ticks, who};

declare_rule! {
    /// ## What it does
    /// Flags `*` in the `verbs` of any rule of a Role or ClusterRole. Every rule is checked, not
    /// only the first.
    ///
    /// ## Why is this bad?
    /// `*` grants every verb, including the dangerous ones that are easy to forget: `list` and
    /// `watch` (which reveal Secret values), `escalate`, `bind` and `impersonate`, and any verb
    /// Kubernetes adds later. Least privilege means naming the verbs the workload uses.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["*"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["get", "list", "watch", "update", "patch"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: least privilege](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#least-privilege)
    /// - CIS Kubernetes Benchmark 5.1.3 "Minimize wildcard use in Roles and ClusterRoles"
    /// - Checkov `CKV_K8S_49` `checkov/kubernetes/checks/resource/k8s/WildcardRoles.py` (inspects only `rules[0]`)
    /// - Kyverno `other/restrict-wildcard-verbs/restrict-wildcard-verbs.yaml`
    pub struct WildcardVerbs;
    id: "RBAC-004",
    title: "Wildcard in verbs",
    severity: High,
    area: AccessControl,
    cis: ["5.1.3"],
    peers: ["KY restrict-wildcard-verbs", "CKV_K8S_49", "KL wildcard-in-rules", "TRV KSV-0045", "KS C-0187"],
    remediation: "Replace `*` with the verbs the workload actually uses.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: app}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get", "list", "watch", "update", "patch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: odd-types}
rules:
  - apiGroups: ["*"]
    resources: ["*/status"]
    verbs: "*"
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["*get"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: app}
rules:
  - apiGroups: ["apps"]
    resources: ["deployments"]
    verbs: ["get"]
  - apiGroups: ["apps"]
    resources: ["statefulsets"]
    verbs:
      - get
      - "*" # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "health"},
 "rules": [{"nonResourceURLs": ["/healthz"],
   "verbs": ["*"]}]}
"#,
    ],
}

impl Rule for WildcardVerbs {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            let Some((_, star)) = rule.verbs().find(|(_, n)| is_star(n)) else {
                continue;
            };
            let mut what: Vec<&str> = rule.resources().map(|(r, _)| r).collect();
            let kind = if what.is_empty() {
                what = rule
                    .node
                    .get("nonResourceURLs")
                    .map(Node::str_items)
                    .into_iter()
                    .flatten()
                    .map(|(u, _)| u)
                    .collect();
                "non-resource URLs"
            } else {
                "resources"
            };
            what.truncate(6);
            let core_or_rbac =
                kind == "resources" && (rule.matches_group("") || rule.matches_group(RBAC_GROUP));
            let includes = if core_or_rbac {
                "`list`/`watch`, `escalate`, `bind`, `impersonate` and verbs added later"
            } else {
                "`list`/`watch`, `delete` and verbs added later"
            };
            cx.report(
                obj,
                star,
                format!(
                    "{} grants every verb (`*`) on {kind} {}: that includes {includes}",
                    who(obj, &rule),
                    ticks(&what),
                ),
            );
        }
    }
}
