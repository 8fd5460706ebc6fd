use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container without `--audit-policy-file` (or with an empty value).
    ///
    /// ## Why is this bad?
    /// The audit policy decides which requests are recorded. "If the flag is omitted, no events are
    /// logged", even when a log or webhook backend is configured. Without audit events nobody can
    /// tell who read or changed which Secret.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
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
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - CIS Kubernetes Benchmark 3.2.1 "Ensure that a minimal audit policy is created"
    pub struct AuditPolicyFileMissing;
    id: "API-006",
    title: "kube-apiserver has no audit policy",
    severity: High,
    area: Apiserver,
    cis: ["3.2.1"],
    peers: ["kube-bench 3.2.1", "KS C-0160", "KS C-0067"],
    remediation: "Write an audit Policy (Metadata level for secrets) and pass it with `--audit-policy-file`.",
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
      args: [--audit-policy-file, /etc/kubernetes/audit-policy.yaml]
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
      command:
        - kube-apiserver
        - --audit-policy-file= # <-
"#,
    ],
}

impl Rule for AuditPolicyFileMissing {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            match a.get("audit-policy-file") {
                Some(f) if f.value.as_deref().is_some_and(|v| !v.trim().is_empty()) => {}
                Some(f) => {
                    cx.report(
                        obj,
                        f.value_node,
                        format!(
                            "{}: `--audit-policy-file` has no value, so no audit events are logged",
                            a.subject(obj)
                        ),
                    );
                }
                None => {
                    cx.report(
                        obj,
                        a.anchor(),
                        format!(
                            "{}: `--audit-policy-file` is not set, so no audit events are logged, including Secret reads",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
