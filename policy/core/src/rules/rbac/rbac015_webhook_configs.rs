use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

const GROUP: &str = "admissionregistration.k8s.io";

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create`, `update` or `patch` on
    /// `validatingwebhookconfigurations` or `mutatingwebhookconfigurations`
    /// (`admissionregistration.k8s.io`). A rule with both `*` verbs and `*` resources is left to
    /// RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// An admission webhook receives every object it registers for, in full: a webhook
    /// registered for `secrets` is sent the value of every Secret created or updated in the
    /// cluster, and a mutating webhook can also change objects as they are admitted (for
    /// example inject a container into every Pod).
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     verbs: ["create", "patch"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: ["admissionregistration.k8s.io"]
    ///     resources: ["mutatingwebhookconfigurations"]
    ///     resourceNames: ["my-operator-webhook"]
    ///     verbs: ["get", "update"]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: control admission webhooks](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#control-admission-webhooks)
    /// - CIS Kubernetes Benchmark 5.1.12 "Minimize access to webhook configuration objects"
    /// - Checkov `CKV_K8S_155` `checkov/kubernetes/checks/resource/k8s/RbacControlWebhooks.py`
    /// - Kyverno `other/restrict-clusterrole-mutating-validating-admission-webhooks`
    pub struct WebhookConfigs;
    id: "RBAC-015",
    title: "Role can create or modify admission webhooks",
    severity: Critical,
    area: AccessControl,
    cis: ["5.1.12"],
    peers: ["CKV_K8S_155", "KY restrict-clusterrole-mutating-validating-admission-webhooks", "TRV KSV-0114", "KS C-0281"],
    remediation: "Remove write access to webhook configurations, or limit update to the operator's own webhook with `resourceNames`.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: webhook-viewer}
rules:
  - apiGroups: ["*"]
    resources: ["validatingwebhookconfigurations"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["get"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: wrong-group}
rules:
  - apiGroups: [""]
    resources: ["mutatingwebhookconfigurations"]
    verbs: ["create"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: webhook-installer}
rules:
  - apiGroups: ["admissionregistration.k8s.io"]
    resources: ["mutatingwebhookconfigurations", "validatingwebhookconfigurations"]
    verbs:
      - create # <-
      - list
  - apiGroups: [""]
    resources: ["pods"]
    verbs: ["get"]
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "admission-admin"},
 "rules": [{"apiGroups": ["admissionregistration.k8s.io"], "resources": ["*"],
   "verbs": ["patch"]}]}
"#,
    ],
}

impl Rule for WebhookConfigs {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(
                &rule,
                &[
                    (GROUP, "mutatingwebhookconfigurations"),
                    (GROUP, "validatingwebhookconfigurations"),
                ],
                &["create", "update", "patch"],
                At::Verb,
                true,
            ) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants {} on {}{}: a webhook the holder registers receives every admitted object it asks for, Secrets included",
                        who(obj, &rule),
                        hit.verb_list(),
                        hit.resource_list(),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
