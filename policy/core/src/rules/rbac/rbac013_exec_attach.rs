use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, scope, who, At};

const TARGETS: &[(&str, &str)] = &[
    ("", "pods/exec"),
    ("", "pods/attach"),
    ("", "pods/portforward"),
];

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create` or `get` on `pods/exec`, `pods/attach`
    /// or `pods/portforward`, directly or through `*/exec`-style or `*` entries. A rule with both
    /// `*` verbs and `*` resources is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// `kubectl exec` and `attach` open a shell or stream into a running container: the holder
    /// reads its environment variables and mounted Secret files, and acts with its service
    /// account token. `port-forward` reaches ports that are not exposed otherwise. Clients use
    /// `create` (SPDY) or `get` (websocket), so both verbs grant the access.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/exec"]
    ///     verbs: ["get", "create"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["pods", "pods/log"]
    ///     verbs: ["get"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices](https://kubernetes.io/docs/concepts/security/rbac-good-practices/)
    /// - CIS Kubernetes Benchmark 3.2.2 (exec and portforward are audit-worthy)
    /// - Polaris `pkg/config/checks/clusterrolePodExecAttach.yaml`, `rolePodExecAttach.yaml`
    /// - Trivy KSV-0053 `checks/kubernetes/get_shell_on_pod.rego`
    pub struct ExecAttach;
    id: "RBAC-013",
    title: "Role can exec, attach or port-forward into Pods",
    severity: High,
    area: AccessControl,
    cis: ["3.2.2"],
    peers: ["POL clusterrolePodExecAttach", "POL rolePodExecAttach", "TRV KSV-0053", "CKV2_K8S_2", "KS C-0002"],
    remediation: "Remove pods/exec, pods/attach and pods/portforward; use logs and debugging tools with audited, temporary access.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: log-reader, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list", "create"]
  - apiGroups: [""]
    resources: ["pods/exec"]
    verbs: ["list", "watch"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cluster-admin-like}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: debugger, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/exec", "pods/attach"]
    verbs:
      - get # <-
      - create # <-
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: any-exec}
rules:
  - apiGroups: ["*"]
    resources: ["*/exec"]
    verbs: ["*"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "Role",
 "metadata": {"name": "tunnel", "namespace": "db"},
 "rules": [{"apiGroups": [""], "resources": ["pods/portforward"],
   "verbs": ["create"]}]}
"#,
    ],
}

impl Rule for ExecAttach {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(&rule, TARGETS, &["create", "get"], At::Verb, true) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on {}{}: the holder can open a session into running containers in {} and read their env and mounted Secrets",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.resource_list(),
                        hit.via(),
                        scope(obj),
                    ),
                );
            }
        }
    }
}
