use crate::k8s::audit::{AuditPolicy, RequestClass};
use crate::rules::aud::common::{report_unaudited, CORE};
use crate::rules::prelude::*;

const WRITES: &[&str] = &["create", "update", "patch", "delete"];

const CLASSES: [RequestClass<'static>; 7] = [
    RequestClass::new(CORE, "pods", true, WRITES),
    RequestClass::new("apps", "deployments", true, WRITES),
    RequestClass::new("apps", "statefulsets", true, WRITES),
    RequestClass::new("apps", "daemonsets", true, WRITES),
    RequestClass::new("apps", "replicasets", true, WRITES),
    RequestClass::new("batch", "jobs", true, WRITES),
    RequestClass::new("batch", "cronjobs", true, WRITES),
];

declare_rule! {
    /// ## What it does
    /// Evaluates the audit policy (first match wins, no match gives `None`) and flags `create`,
    /// `update`, `patch` or `delete` of Pods, Deployments and the other workload kinds
    /// (StatefulSets, DaemonSets, ReplicaSets, Jobs, CronJobs) that get no audit event.
    ///
    /// ## Why is this bad?
    /// Anyone who can create a Pod can mount any Secret of its namespace and read it; without an
    /// event for workload changes that path leaves no trace. CIS 3.2.2 lists "Modification of Pod
    /// and Deployment objects" among the concerns the audit policy must cover.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    ///   - level: Request
    ///     verbs: ["create", "update", "patch", "delete"]
    ///     resources: [{group: ""}, {group: "apps"}, {group: "batch"}]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct WorkloadWritesUnaudited;
    id: "AUD-005",
    title: "Workload changes are not audited",
    severity: Medium,
    area: Audit,
    cis: ["3.2.2"],
    peers: ["KS C-0161"],
    remediation: "Log writes to `pods`, `deployments` and the other workload kinds at `Metadata` or higher.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None
    verbs: ["get", "list", "watch"]
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["pods"]
      - group: "apps"
      - group: "batch"
        resources: ["jobs", "cronjobs"]
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules: # <-
  - level: Metadata
    resources: [{group: "", resources: ["secrets", "pods"]}]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: None # <-
    userGroups: ["system:serviceaccounts"]
    resources: [{group: "apps", resources: ["deployments", "replicasets"]}]
  - level: Metadata
"#,
    ],
}

impl Rule for WorkloadWritesUnaudited {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        report_unaudited(cx, obj, &policy, &CLASSES, "these workload changes");
    }
}
