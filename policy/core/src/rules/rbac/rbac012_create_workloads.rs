use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, scope, who, At};

/// Pods and the controllers that create them.
const TARGETS: &[(&str, &str)] = &[
    ("", "pods"),
    ("", "replicationcontrollers"),
    ("apps", "deployments"),
    ("apps", "statefulsets"),
    ("apps", "daemonsets"),
    ("apps", "replicasets"),
    ("batch", "jobs"),
    ("batch", "cronjobs"),
];

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create` on `pods` or on a workload controller
    /// (`deployments`, `statefulsets`, `daemonsets`, `replicasets`, `replicationcontrollers`,
    /// `jobs`, `cronjobs`), directly or through `*`. A rule with both `*` verbs and `*` resources
    /// is left to RBAC-004 and RBAC-005.
    ///
    /// ## Why is this bad?
    /// Whoever can create a Pod, directly or through a controller, can mount any Secret of the
    /// namespace as a volume or environment variable and run as any service account of the
    /// namespace, so creating workloads implicitly grants read access to every Secret there
    /// and the API rights of every service account.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["cronjobs"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Role
    /// rules:
    ///   - apiGroups: ["batch"]
    ///     resources: ["cronjobs"]
    ///     verbs: ["get", "list", "watch"]
    /// ```
    ///
    /// Keep workload creation for deployment pipelines, in namespaces that hold only the
    /// Secrets those workloads need.
    ///
    /// ## References
    /// - [RBAC good practices: workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - [Secrets: information security](https://kubernetes.io/docs/concepts/configuration/secret/#information-security-for-secrets)
    /// - CIS Kubernetes Benchmark 5.1.4 "Minimize access to create pods"
    /// - kube-linter `pkg/builtinchecks/yamls/access-to-create-pods.yaml` (its `^cronjob$` pattern never matches `cronjobs`)
    pub struct CreateWorkloads;
    id: "RBAC-012",
    title: "Role can create Pods or workloads",
    severity: High,
    area: AccessControl,
    cis: ["5.1.4"],
    peers: ["KL access-to-create-pods", "TRV KSV-0048"],
    remediation: "Grant workload creation only to deployment identities, in namespaces holding only the Secrets they need.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: viewer, namespace: app}
rules:
  - apiGroups: ["", "apps", "batch"]
    resources: ["pods", "deployments", "cronjobs"]
    verbs: ["get", "list", "watch", "delete"]
  - apiGroups: ["apps"]
    resources: ["pods", "jobs"]
    verbs: ["create"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: named, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods"]
    resourceNames: ["debug"]
    verbs: ["create"]
  - apiGroups: ["batch"]
    resources: ["*"]
    verbs: ["*"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: cron-creator, namespace: app}
rules:
  - apiGroups: ["batch"]
    resources: ["cronjobs", "jobs"]
    verbs: ["get", "create"] # <-
  - apiGroups: [""]
    resources: ["pods"]
    verbs:
      - "*" # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "apps-creator"},
 "rules": [{"apiGroups": ["apps"], "resources": ["*"],
   "verbs": ["create"]}]}
"#,
    ],
}

impl Rule for CreateWorkloads {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(&rule, TARGETS, &["create"], At::Verb, true) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `create` on {}{}: new Pods can mount any Secret and run as any service account in {}",
                        who(obj, &rule),
                        hit.resource_list(),
                        hit.via(),
                        scope(obj),
                    ),
                );
            }
        }
    }
}
