use crate::k8s::access::{self, WORKLOAD_RESOURCES};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Resolves every binding of the input to its role (roles of the input, built-in
    /// `cluster-admin`/`admin`/`edit`, aggregated ClusterRoles) and reports each binding subject
    /// that can `create` Pods or workload controllers (`deployments`, `statefulsets`,
    /// `daemonsets`, `replicasets`, `replicationcontrollers`, `jobs`, `cronjobs`), with the
    /// scope and the evidence path. Severity is high, critical for broad groups
    /// (`system:authenticated`, `system:unauthenticated`, `system:serviceaccounts[:<ns>]`,
    /// user `system:anonymous`).
    ///
    /// Rules limited by `resourceNames` never allow `create` (a create request carries no name),
    /// so they are not counted.
    ///
    /// ## Why is this bad?
    /// Whoever can create a Pod in a namespace can mount any Secret of that namespace into it,
    /// or run it as any ServiceAccount there, and read the result: "A user who can create a Pod
    /// that uses a Secret can also see the value of that Secret". Such subjects are implicit
    /// Secret readers even when no role mentions `secrets`.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Role
    /// metadata: {name: deployer, namespace: app}
    /// rules:
    ///   - apiGroups: ["apps"]
    ///     resources: ["deployments"]
    ///     verbs: ["create", "update"]
    /// ---
    /// kind: RoleBinding
    /// metadata: {name: deployer, namespace: app}
    /// subjects:
    ///   - kind: Group
    ///     name: developers
    /// roleRef: {kind: Role, name: deployer}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// # Give workload creation only to the CI identity of that namespace, and keep
    /// # high-value Secrets in namespaces where few can create Pods.
    /// kind: RoleBinding
    /// metadata: {name: deployer, namespace: app}
    /// subjects:
    ///   - kind: ServiceAccount
    ///     name: ci-deployer
    ///     namespace: app
    /// roleRef: {kind: Role, name: deployer}
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Workload creation](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#workload-creation)
    /// - [Secrets: caution on Pod creation](https://kubernetes.io/docs/concepts/configuration/secret/)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - CIS Kubernetes Benchmark 5.1.4 "Minimize access to create pods"
    pub struct ImplicitSecretReaders;
    id: "RBG-002",
    title: "Subject can create Pods or workloads, so it can read Secrets",
    severity: High,
    area: AccessControl,
    cis: ["5.1.4"],
    peers: ["KL access-to-create-pods", "TRV KSV-0048"],
    remediation: "Restrict Pod and workload creation to the deploying identities of that namespace.",
    kinds: [],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: pod-viewer, namespace: app}
rules:
  - apiGroups: [""]
    resources: ["pods", "pods/log"]
    verbs: ["get", "list", "watch"]
  - apiGroups: ["apps"]
    resources: ["deployments/scale"]
    verbs: ["create", "update"]
  # create cannot be limited by name: this rule never allows it
  - apiGroups: ["batch"]
    resources: ["jobs"]
    resourceNames: ["nightly"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: pod-viewer, namespace: app}
subjects:
  - {kind: User, name: jane, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: pod-viewer}
"#,
        // Built-in `view`; a role granting `create` in the wrong API group.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: viewers}
subjects:
  - {kind: Group, name: system:authenticated, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: view}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: odd}
rules:
  - {apiGroups: ["apps"], resources: ["pods", "cronjobs"], verbs: ["create"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: odd}
subjects:
  - {kind: User, name: bob, apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: odd}
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: deployer, namespace: app}
rules:
  - apiGroups: ["batch"]
    resources: ["cronjobs"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: deployer, namespace: app}
subjects:
  - kind: Group # <-
    name: developers
    apiGroup: rbac.authorization.k8s.io
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: deployer}
"#,
        // Wildcards, cluster-wide, a broad group; and built-in `edit` through a RoleBinding.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRole
metadata: {name: anything-in-apps}
rules:
  - apiGroups: ["*"]
    resources: ["*"]
    verbs: ["create"]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: everyone-deploys}
subjects: [{kind: Group, name: system:serviceaccounts, apiGroup: rbac.authorization.k8s.io}] # <-
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: anything-in-apps}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: editors, namespace: app}
subjects:
  - kind: ServiceAccount # <-
    name: ci
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
"#,
    ],
}

impl Rule for ImplicitSecretReaders {
    rule_meta!();

    fn check_inventory(&self, _inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        let grants = access::workload_create_grants(access.bindings());
        for group in access::by_subject(&grants) {
            let Some(first) = group.first() else {
                continue;
            };
            let resources: Vec<&str> = WORKLOAD_RESOURCES
                .iter()
                .map(|(_, r)| *r)
                .filter(|r| group.iter().any(|g| g.resource == *r))
                .collect();
            let msg = format!(
                "{} can create {} {}, so it can mount any Secret and use any ServiceAccount token there: {}",
                first.subject,
                resources.join(", "),
                first.scope,
                first.evidence()
            );
            let loc = first.binding.locate(first.subject_node);
            let f = cx.report_at(loc, &first.binding.oref, msg);
            if first.subject.is_broad() {
                f.with_severity(Severity::Critical);
            }
        }
    }
}
