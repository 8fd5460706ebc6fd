use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `--audit-log-version` or `--audit-webhook-version` set to anything other than
    /// `audit.k8s.io/v1` (the default) on a kube-apiserver container.
    ///
    /// ## Why is this bad?
    /// `audit.k8s.io/v1alpha1` and `v1beta1` were deprecated (kubernetes/kubernetes#98858) and
    /// removed in Kubernetes 1.24: current apiservers refuse to start with them, and older ones
    /// emit events in a deprecated schema that log pipelines and detections keyed on `v1` fields
    /// may silently miss.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-log-version=audit.k8s.io/v1beta1
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-log-version=audit.k8s.io/v1
    /// ```
    ///
    /// ## References
    /// - [kube-apiserver reference (`--audit-log-version`, `--audit-webhook-version`)](https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/)
    /// - [kubernetes/kubernetes#98858](https://github.com/kubernetes/kubernetes/pull/98858)
    /// - kubernetes/apiserver `pkg/audit/policy/reader.go`
    pub struct AuditVersion;
    id: "API-011",
    title: "Audit backend uses a deprecated API version",
    severity: Medium,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Remove the version flag or set it to `audit.k8s.io/v1`.",
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
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-version=audit.k8s.io/v1
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, --audit-webhook-config-file=/etc/kubernetes/wh.kubeconfig]
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
      image: registry.k8s.io/kube-apiserver:v1.18.0
      command:
        - kube-apiserver
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-version=audit.k8s.io/v1beta1 # <-
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.18.0
      command: [kube-apiserver]
      args:
        - --audit-webhook-config-file=/etc/kubernetes/wh.kubeconfig
        - --audit-webhook-version
        - audit.k8s.io/v1alpha1 # <-
"#,
    ],
}

impl Rule for AuditVersion {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            for name in ["audit-log-version", "audit-webhook-version"] {
                let Some(f) = a.get(name) else { continue };
                let v = f.text().trim();
                if v != "audit.k8s.io/v1" {
                    cx.report(
                        obj,
                        f.value_node,
                        format!(
                            "{}: `--{name}` is `{v}`, not `audit.k8s.io/v1`; older audit versions were removed in Kubernetes 1.24",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
