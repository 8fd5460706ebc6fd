use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

/// Every verb a request to `nodes/proxy` can carry.
const VERBS: &[&str] = &[
    "get", "create", "update", "patch", "delete", "list", "watch",
];

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant any verb, `get` included, on `nodes/proxy`
    /// (directly, through `*/proxy`, or through `*` in `resources` of the core group). A rule with
    /// both `*` verbs and `*` resources is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// `nodes/proxy` reaches the kubelet API of every node: the holder can run commands in any
    /// Pod on the node and read the Secrets mounted there. Requests go straight to the kubelet,
    /// so they bypass audit logging and admission control. `get` is not read-only here: the
    /// kubelet's exec endpoint is reachable with a websocket `GET`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes/proxy"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["nodes/metrics", "nodes/stats"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: access to the proxy subresource of Nodes](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#access-to-proxy-subresource-of-nodes)
    /// - [Kubelet authentication/authorization](https://kubernetes.io/docs/reference/access-authn-authz/kubelet-authn-authz/)
    /// - CIS Kubernetes Benchmark 5.1.10 "Minimize access to the proxy sub-resource of nodes"
    /// - Kyverno `other/restrict-clusterrole-nodesproxy/restrict-clusterrole-nodesproxy.yaml`
    pub struct NodesProxy;
    id: "RBAC-011",
    title: "Role grants access to nodes/proxy",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.10"],
    peers: ["KY restrict-clusterrole-nodesproxy", "TRV KSV-0047", "KS C-0279", "CKV2_K8S_2"],
    remediation: "Remove nodes/proxy; grant `nodes/metrics` or `nodes/stats` for monitoring.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: monitoring}
rules:
  - apiGroups: [""]
    resources: ["nodes", "nodes/metrics", "nodes/stats", "services/proxy"]
    verbs: ["get", "list", "watch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: not-core}
rules:
  - apiGroups: ["metrics.k8s.io"]
    resources: ["nodes/proxy", "*"]
    verbs: ["get"]
  - apiGroups: [""]
    resources: ["nodes/proxy"]
    verbs: []
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: kubelet-proxy}
rules:
  - apiGroups: [""]
    resources:
      - nodes
      - nodes/proxy # <-
    verbs: ["get", "list", "create"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: all-proxies}
rules:
  - apiGroups: ["*"]
    resources: ["*/proxy"] # <-
    verbs: ["*"]
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "core-reader"},
 "rules": [{"apiGroups": [""], "resources": ["*"],
   "verbs": ["get"]}]}
"#,
    ],
}

impl Rule for NodesProxy {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(&rule, &[("", "nodes/proxy")], VERBS, At::Resource, true) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on `nodes/proxy`{}: the kubelet API runs commands in any Pod on a node and reads its Secrets, bypassing audit and admission",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
