use crate::k8s::access::{self, Grant};
use crate::k8s::rbac::READ_VERBS;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags Pods and workload controllers (Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// ReplicationController, Job, CronJob) that run as a ServiceAccount which can `get`, `list`
    /// or `watch` Secrets in some namespace (or is bound to `cluster-admin`) without a
    /// `resourceNames` limit, when the ServiceAccount token is auto-mounted into the Pod.
    ///
    /// The token is auto-mounted unless the Pod spec sets `automountServiceAccountToken: false`,
    /// or leaves it unset and the ServiceAccount object (when it is in the input) sets it to
    /// `false`; the Pod field takes precedence. Grants come from bindings to the ServiceAccount
    /// itself, to user `system:serviceaccount:<ns>:<name>`, or to the groups every token carries
    /// (`system:serviceaccounts`, `system:serviceaccounts:<ns>`, `system:authenticated`).
    /// Severity is high, critical when the reading is cluster-wide.
    ///
    /// ## Why is this bad?
    /// Anyone who gets code execution in one container of the Pod can read the token from
    /// `/var/run/secrets/kubernetes.io/serviceaccount/token` and use it to read the Secrets. CIS
    /// 5.1.6 asks to mount tokens only where the Pod needs the API.
    ///
    /// ## Example
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: web, namespace: app}
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: reader   # bound to a Role with list on secrets
    ///       containers: [{name: web, image: web:1.0}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// kind: Deployment
    /// metadata: {name: web, namespace: app}
    /// spec:
    ///   template:
    ///     spec:
    ///       serviceAccountName: web     # no Secret access
    ///       automountServiceAccountToken: false
    ///       containers: [{name: web, image: web:1.0}]
    /// ```
    ///
    /// ## References
    /// - [RBAC good practices: Minimize distribution of privileged tokens](https://kubernetes.io/docs/concepts/security/rbac-good-practices/#minimize-distribution-of-privileged-tokens)
    /// - [Configure Service Accounts for Pods: opt out of API credential automounting](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#opt-out-of-api-credential-automounting)
    /// - CIS Kubernetes Benchmark 5.1.6 "Ensure that Service Account Tokens are only mounted where necessary"
    pub struct SecretReaderTokenMounted;
    id: "RBG-005",
    title: "Workload auto-mounts the token of a ServiceAccount that can read Secrets",
    severity: High,
    area: AccessControl,
    cis: ["5.1.6"],
    peers: ["KS C-0261", "KS C-0053", "KS C-0267", "KS C-0272"],
    remediation: "Set `automountServiceAccountToken: false`, or run the workload as a ServiceAccount without Secret access.",
    kinds: [],
    pass: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: app}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
subjects:
  - {kind: ServiceAccount, name: reader, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
---
apiVersion: v1
kind: ServiceAccount
metadata: {name: reader, namespace: app}
automountServiceAccountToken: false
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: reader
      containers: [{name: web, image: "web:1.0"}]
---
apiVersion: v1
kind: Pod
metadata: {name: other-ns, namespace: prod}
spec:
  serviceAccountName: reader
  containers: [{name: web, image: "web:1.0"}]
"#,
        // Pod opts out; a resourceNames-limited read; a Pod whose SA has no binding.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-sa}
subjects:
  - {kind: ServiceAccount, name: ops, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: app}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: ops
          automountServiceAccountToken: false
          restartPolicy: Never
          containers: [{name: job, image: "ops:1.0"}]
---
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: one-secret, namespace: app}
rules:
  - {apiGroups: [""], resources: ["secrets"], resourceNames: ["api-key"], verbs: ["get"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: one-secret, namespace: app}
subjects:
  - {kind: ServiceAccount, name: api}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: one-secret}
---
apiVersion: v1
kind: Pod
metadata: {name: api, namespace: app}
spec:
  serviceAccountName: api
  containers: [{name: api, image: "api:1.0"}]
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: app}
spec:
  containers: [{name: app, image: "app:1.0"}]
"#,
    ],
    fail: [
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: Role
metadata: {name: secret-reader, namespace: app}
rules:
  - {apiGroups: [""], resources: ["secrets"], verbs: ["get", "list"]}
---
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: reader, namespace: app}
subjects:
  - {kind: ServiceAccount, name: reader, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: Role, name: secret-reader}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      serviceAccountName: reader # <-
      containers: [{name: web, image: "web:1.0"}]
"#,
        // cluster-admin; the Pod's `true` wins over the SA's `false`.
        r#"
apiVersion: v1
kind: ServiceAccount
metadata: {name: ops, namespace: app}
automountServiceAccountToken: false
---
apiVersion: rbac.authorization.k8s.io/v1
kind: ClusterRoleBinding
metadata: {name: admin-sa}
subjects:
  - {kind: ServiceAccount, name: ops, namespace: app}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: cluster-admin}
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: nightly, namespace: app}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          serviceAccountName: ops # <-
          automountServiceAccountToken: true
          restartPolicy: Never
          containers: [{name: job, image: "ops:1.0"}]
"#,
        // The default ServiceAccount, through the group of all SAs of the namespace.
        r#"
apiVersion: rbac.authorization.k8s.io/v1
kind: RoleBinding
metadata: {name: all-sas-edit, namespace: app}
subjects:
  - {kind: Group, name: "system:serviceaccounts:app", apiGroup: rbac.authorization.k8s.io}
roleRef: {apiGroup: rbac.authorization.k8s.io, kind: ClusterRole, name: edit}
---
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: app}
spec:
  containers: [{name: app, image: "app:1.0"}] # <-
"#,
    ],
}

impl Rule for SecretReaderTokenMounted {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, access: &Access<'_>, cx: &mut Ctx<'_>) {
        if inv.workloads.is_empty() {
            return;
        }
        if access.secret_read_grants().is_empty() {
            return;
        }
        for w in &inv.workloads {
            let ns = w.namespace.as_str();
            let sa = w.service_account.as_str();
            let sa_automount = inv.service_account(ns, sa).and_then(|o| {
                o.root
                    .get("automountServiceAccountToken")
                    .and_then(Node::as_bool)
            });
            let why_mounted = match (w.automount, sa_automount) {
                (Some(false), _) | (None, Some(false)) => continue,
                (Some(true), _) => "`automountServiceAccountToken: true`",
                (None, Some(true)) => "the ServiceAccount's `automountServiceAccountToken: true`",
                (None, None) => "`automountServiceAccountToken` is not set",
            };
            let mut held: Vec<&Grant<'_>> = access.secret_read_grants_of_service_account(ns, sa);
            held.retain(|g| g.is_unlimited());
            let Some(evidence) = held
                .iter()
                .find(|g| access::is_cluster_admin(&g.role))
                .or_else(|| held.iter().find(|g| g.scope.is_cluster()))
                .or_else(|| held.first())
            else {
                continue;
            };
            let verbs = access::verbs_of(&held, READ_VERBS);
            let admin = if access::is_cluster_admin(&evidence.role) {
                " (cluster-admin)"
            } else {
                ""
            };
            let msg = format!(
                "{} {} runs as ServiceAccount {ns}/{sa}{admin}, which can {} Secrets {}, and its token is auto-mounted ({why_mounted}): {}",
                w.object.kind,
                w.object.name.as_deref().unwrap_or(""),
                verbs.join(", "),
                evidence.scope,
                evidence.evidence()
            );
            let f = cx.report_at(w.location.clone(), &w.object, msg);
            if held.iter().any(|g| g.scope.is_cluster()) {
                f.with_severity(Severity::Critical);
            }
        }
    }
}
