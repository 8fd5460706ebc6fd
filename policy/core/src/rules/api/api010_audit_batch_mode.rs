use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Notes audit backends that buffer events in `batch` mode: the webhook backend
    /// (`--audit-webhook-config-file`) with `--audit-webhook-mode` unset (its default is `batch`)
    /// or `batch`, and the log backend (`--audit-log-path`) with `--audit-log-mode=batch` (its
    /// default is `blocking`).
    ///
    /// ## Why is this bad?
    /// In batch mode the apiserver queues events and sends them asynchronously: "If the rate of
    /// incoming events overflows the buffer, events are dropped" (defaults: buffer 10000 events,
    /// batches of 400, up to 30s wait, 10 QPS, burst 15). A burst of requests, such as an attacker
    /// listing Secrets, can then go unrecorded. Where delivery must be guaranteed, use `blocking`
    /// or `blocking-strict`. This is context for audit design, not a misconfiguration.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig
    ///   - --audit-webhook-mode=blocking
    /// ```
    ///
    /// ## References
    /// - [Auditing: batching](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#batching)
    /// - kubernetes/apiserver `pkg/server/options/audit.go` (backend modes and defaults)
    pub struct AuditBatchMode;
    id: "API-010",
    title: "Audit backend may drop events in batch mode",
    severity: Info,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Use `--audit-webhook-mode=blocking` / `--audit-log-mode=blocking` where every event must be delivered.",
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
        - --audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig
        - --audit-webhook-mode=blocking-strict
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, --audit-log-mode=batch]
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
      command:
        - kube-apiserver
        - --audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig # <-
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
      args:
        - --audit-log-path=/var/log/kubernetes/audit/audit.log
        - --audit-log-mode
        - batch # <-
        - --audit-webhook-config-file=/etc/kubernetes/audit-webhook.kubeconfig
        - --audit-webhook-mode=batch # <-
"#,
    ],
}

impl Rule for AuditBatchMode {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            if a.set("audit-log-path").is_some() {
                if let Some(m) = a
                    .get("audit-log-mode")
                    .filter(|f| f.text().trim() == "batch")
                {
                    cx.report(
                        obj,
                        m.value_node,
                        format!(
                            "{}: the audit log backend runs in batch mode, which drops events when its buffer overflows",
                            a.subject(obj)
                        ),
                    );
                }
            }
            if let Some(cfg) = a.set("audit-webhook-config-file") {
                match a.get("audit-webhook-mode") {
                    Some(m) if m.text().trim() == "batch" => {
                        cx.report(
                            obj,
                            m.value_node,
                            format!(
                                "{}: the audit webhook backend runs in batch mode, which drops events when its buffer overflows",
                                a.subject(obj)
                            ),
                        );
                    }
                    Some(_) => {}
                    None => {
                        cx.report(
                            obj,
                            cfg.value_node,
                            format!(
                                "{}: the audit webhook backend runs in batch mode (the default without `--audit-webhook-mode`), which drops events when its buffer overflows",
                                a.subject(obj)
                            ),
                        );
                    }
                }
            }
        }
    }
}
