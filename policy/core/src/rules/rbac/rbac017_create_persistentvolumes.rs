use crate::k8s::rbac::policy_rules;
use crate::rules::prelude::*;

use super::grant::{hits, who, At};

declare_rule! {
    /// ## What it does
    /// Flags Roles and ClusterRoles that grant `create` on `persistentvolumes` (core group),
    /// directly or through `*`. A rule with both `*` verbs and `*` resources is left to RBAC-004
    /// and RBAC-005.
    ///
    /// ## Why is this bad?
    /// A PersistentVolume can be a `hostPath` volume. Whoever can create one and claim it from a
    /// Pod reaches the node's filesystem: the kubelet's directories with every Secret mounted on
    /// the node, service-account tokens, and on control-plane nodes the encryption configuration
    /// and etcd data. Pod Security admission does not check PersistentVolumes.
    ///
    /// ## Example
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["persistentvolumes"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: ClusterRole
    /// rules:
    ///   - apiGroups: [""]
    ///     resources: ["persistentvolumeclaims"]
    ///     verbs: ["create"]
    /// ```
    ///
    /// Let users create PersistentVolumeClaims and have a StorageClass provision the volumes.
    ///
    /// ## References
    /// - [RBAC good practices: persistent volume creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#persistent-volume-creation)
    /// - CIS Kubernetes Benchmark 5.1.9 "Minimize access to create persistent volumes"
    pub struct CreatePersistentVolumes;
    id: "RBAC-017",
    title: "Role can create PersistentVolumes",
    severity: High,
    area: AccessControl,
    cis: ["5.1.9"],
    peers: [],
    remediation: "Grant `create` on persistentvolumeclaims and provision volumes through a StorageClass.",
    kinds: ["Role", "ClusterRole"],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: claims, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["persistentvolumeclaims"]
    verbs: ["create", "delete"]
  - apiGroups: [""]
    resources: ["persistentvolumes"]
    verbs: ["get", "list"]
"#,
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: storage-other-group}
rules:
  - apiGroups: ["storage.k8s.io"]
    resources: ["persistentvolumes", "storageclasses"]
    verbs: ["create"]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: pv-provisioner}
rules:
  - apiGroups: [""]
    resources: ["persistentvolumes"]
    verbs: ["get", "list", "watch", "create", "delete"] # <-
"#,
        r#"{"apiVersion": "rbac.authorization.k8s.io/v1", "kind": "ClusterRole",
 "metadata": {"name": "core-creator"},
 "rules": [{"apiGroups": ["*"], "resources": ["*"],
   "verbs": ["create"]}]}
"#,
    ],
}

impl Rule for CreatePersistentVolumes {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for rule in policy_rules(obj) {
            for hit in hits(
                &rule,
                &[("", "persistentvolumes")],
                &["create"],
                At::Verb,
                true,
            ) {
                cx.report(
                    obj,
                    hit.node,
                    format!(
                        "{} grants `create` on `persistentvolumes`{}: a hostPath volume exposes the node filesystem, including every Secret mounted on the node",
                        who(obj, &rule),
                        hit.via(),
                    ),
                );
            }
        }
    }
}
