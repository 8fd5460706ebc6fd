use crate::k8s::rbac::{policy_rules, WRITE_VERBS};
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

declare_rule! {
    /// ## What it does
    /// Flags ClusterRoles, and Roles in `kube-system`, that grant write verbs (`create`,
    /// `update`, `patch`, `delete`, `deletecollection`) on `configmaps` (core group). A rule with
    /// both `*` verbs and `*` resources is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Some ConfigMaps carry credentials or decide who is who: `aws-auth` in `kube-system` maps
    /// IAM identities to Kubernetes groups (`system:masters` included), `kubeadm-config` and
    /// `coredns` shape the control plane and DNS, and ConfigMaps often end up holding secrets.
    /// A ClusterRole bound cluster-wide writes them in every namespace.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// metadata: {name: cm-editor, namespace: kube-system}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     verbs: ["get", "update", "patch"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// metadata: {name: cm-editor, namespace: kube-system}
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["configmaps"]
    ///     resourceNames: ["my-addon-config"]
    ///     verbs: ["get", "update"]
    /// ```
    ///
    /// ## References
    /// - [EKS: aws-auth ConfigMap](https://docs.aws.amazon.com/eks/latest/userguide/auth-configmap.html)
    /// - Trivy KSV-0049 (manage configmaps), KSV-0115
    /// - Kubescape C-0037
    pub struct WriteConfigMaps;
    id: "RBAC-019",
    title: "Role can modify ConfigMaps cluster-wide or in kube-system",
    severity: Medium,
    area: AccessControl,
    cis: [],
    peers: ["TRV KSV-0049", "TRV KSV-0115", "KS C-0037"],
    remediation: "Write ConfigMaps only in the application's namespace, or name them in `resourceNames`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: app-config, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "create", "update", "patch", "delete"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: cm-reader}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get", "list", "watch"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cm-editor, namespace: kube-system}
rules:
  - apiGroups: [""]
    resources: ["configmaps"]
    verbs: ["get",
            "update", # <-
            "patch"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "cm-writer"},
 "rules": [{"apiGroups": [""], "resources": ["configmaps"],
   "verbs": ["*"]}]}
"#,
    ],
}

impl Rule for WriteConfigMaps {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let scope = if obj.kind() == "ClusterRole" {
            "in every namespace when bound by a ClusterRoleBinding"
        } else if obj.namespace() == "kube-system" {
            "in `kube-system` (e.g. `aws-auth`, `kubeadm-config`)"
        } else {
            return;
        };
        for rule in policy_rules(obj) {
            for hit in hits(&rule, &[("", "configmaps")], WRITE_VERBS, At::Verb, true) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on `configmaps`{} {scope}: credential-bearing and auth ConfigMaps can be rewritten",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
