use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container whose audit files are not where they should be:
    /// - `--audit-log-path=-`: events go to standard output;
    /// - an absolute `--audit-log-path` that is not under a `hostPath` (or
    ///   `persistentVolumeClaim`) volume mount, or only under a read-only one;
    /// - an absolute `--audit-policy-file` that is not under any volume mount.
    ///
    /// The deepest mount covering a path counts. Relative paths are not checked.
    ///
    /// ## Why is this bad?
    /// Files written inside the container (or to an `emptyDir`) disappear with it: "remember to
    /// mount the hostPath to the location of the policy file and log file, so that audit records
    /// are persisted". On standard output, audit events mix with the apiserver's own log and are
    /// rotated away by the kubelet. A policy file that is not mounted does not exist for the
    /// apiserver.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    /// volumeMounts: []
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --audit-policy-file=/etc/kubernetes/audit-policy.yaml
    ///   - --audit-log-path=/var/log/kubernetes/audit/audit.log
    /// volumeMounts:
    ///   - {name: audit, mountPath: /etc/kubernetes/audit-policy.yaml, readOnly: true}
    ///   - {name: audit-log, mountPath: /var/log/kubernetes/audit/, readOnly: false}
    /// # volumes: hostPath /etc/kubernetes/audit-policy.yaml (File), /var/log/kubernetes/audit/ (DirectoryOrCreate)
    /// ```
    ///
    /// ## References
    /// - [Auditing: log backend](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#log-backend)
    pub struct AuditNotPersisted;
    id: "API-009",
    title: "Audit log or policy not on a host mount",
    severity: Low,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Write the audit log to a file under a writable hostPath mount and mount the audit policy file.",
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
      volumeMounts:
        - {name: audit, mountPath: /etc/kubernetes/audit-policy.yaml, readOnly: true}
        - {name: audit-log, mountPath: /var/log/kubernetes/audit/, readOnly: false}
  volumes:
    - {name: audit, hostPath: {path: /etc/kubernetes/audit-policy.yaml, type: File}}
    - {name: audit-log, hostPath: {path: /var/log/kubernetes/audit/, type: DirectoryOrCreate}}
"#,
        r#"
apiVersion: apps/v1
kind: StatefulSet
metadata: {name: kube-apiserver, namespace: tenant-a}
spec:
  serviceName: kube-apiserver
  selector: {matchLabels: {app: kube-apiserver}}
  template:
    metadata: {labels: {app: kube-apiserver}}
    spec:
      containers:
        - name: kube-apiserver
          image: registry.k8s.io/kube-apiserver:v1.31.0
          args: [--audit-policy-file=/etc/audit/policy.yaml, --audit-log-path, /audit/log/audit.log]
          volumeMounts:
            - {name: policy, mountPath: /etc/audit}
            - {name: audit-log, mountPath: /audit/log}
      volumes:
        - {name: policy, configMap: {name: audit-policy}}
        - {name: audit-log, persistentVolumeClaim: {claimName: audit-log}}
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
        - --audit-policy-file=/etc/kubernetes/audit-policy.yaml # <-
        - --audit-log-path=- # <-
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
        - --audit-policy-file=/etc/kubernetes/audit/policy.yaml
        - --audit-log-path
        - /var/log/kubernetes/audit.log # <-
      volumeMounts:
        - {name: audit, mountPath: /etc/kubernetes/audit, readOnly: true}
        - {name: logs, mountPath: /var/log/kubernetes}
  volumes:
    - {name: audit, hostPath: {path: /etc/kubernetes/audit}}
    - {name: logs, emptyDir: {}}
"#,
    ],
}

fn non_empty<'f>(f: &'f apiserver::Flag<'_, '_>) -> Option<&'f str> {
    f.value.as_deref().map(str::trim).filter(|v| !v.is_empty())
}

impl Rule for AuditNotPersisted {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let who = a.subject(obj);
            if let Some(f) = a.get("audit-log-path") {
                match non_empty(f) {
                    Some("-") => {
                        cx.report(
                            obj,
                            f.value_node,
                            format!("{who}: `--audit-log-path=-` writes audit events to standard output, where they mix with the apiserver log and are rotated away by the kubelet"),
                        );
                    }
                    Some(path) if path.starts_with('/') => match a.mount_for(path) {
                        None => {
                            cx.report(
                                obj,
                                f.value_node,
                                format!("{who}: the audit log `{path}` is not under any volumeMount, so audit events are lost when the container is replaced"),
                            );
                        }
                        Some(m) if !m.is_persistent() => {
                            cx.report(
                                obj,
                                f.value_node,
                                format!(
                                    "{who}: the audit log `{path}` is under the `{}` mount, a {} volume that does not outlive the Pod",
                                    m.mount_path,
                                    m.source.unwrap_or("missing")
                                ),
                            );
                        }
                        Some(m) if m.node.get("readOnly").and_then(Node::as_bool) == Some(true) => {
                            cx.report(
                                obj,
                                f.value_node,
                                format!("{who}: the audit log `{path}` is under the read-only mount `{}`, so the apiserver cannot write it", m.mount_path),
                            );
                        }
                        Some(_) => {}
                    },
                    _ => {}
                }
            }
            if let Some(f) = a.get("audit-policy-file") {
                if let Some(path) = non_empty(f).filter(|p| p.starts_with('/')) {
                    if a.mount_for(path).is_none() {
                        cx.report(
                            obj,
                            f.value_node,
                            format!("{who}: the audit policy `{path}` is not under any volumeMount, so the apiserver cannot read it"),
                        );
                    }
                }
            }
        }
    }
}
