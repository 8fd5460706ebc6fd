use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container that sets neither `--audit-log-path` nor
    /// `--audit-webhook-config-file` (empty values count as unset).
    ///
    /// ## Why is this bad?
    /// These flags are the two audit backends. Without either, audit events go nowhere, whatever
    /// the audit policy says: "Not specifying this flag disables log backend". Secret reads and
    /// changes then leave no trace.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit backends](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-backends)
    /// - CIS Kubernetes Benchmark 1.2.16 "Ensure that the --audit-log-path argument is set"
    pub struct AuditBackendMissing;
    id: "API-007",
    title: "kube-apiserver has no audit backend",
    severity: High,
    area: Apiserver,
    cis: ["1.2.16"],
    peers: ["kube-bench 1.2.16", "CKV_K8S_91", "KS C-0130", "TRV KCV-0019"],
    remediation: "Set `--audit-log-path` (and mount it from the host) or `--audit-webhook-config-file`.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command:
        - kube-apiserver
        - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver]
      args: [--audit-policy-file, /etc/kubernetes/audit-policy.yaml,
             --audit-webhook-config-file, /etc/kubernetes/audit-webhook.kubeconfig]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: # <-
        - kube-apiserver
        - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: apiserver-test, namespace: ci}
spec:
  schedule: "0 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: kube-apiserver
              image: registry.k8s.io/kube-apiserver:v1.31.0
              args: # <-
                - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
                - --audit-log-path=
"#,
    ],
}

impl Rule for AuditBackendMissing {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            if a.set("audit-log-path").is_some() || a.set("audit-webhook-config-file").is_some() {
                continue;
            }
            cx.report(
                obj,
                a.anchor(),
                format!(
                    "{}: neither `--audit-log-path` nor `--audit-webhook-config-file` is set, so audit events are not recorded anywhere",
                    a.subject(obj)
                ),
            );
        }
    }
}
