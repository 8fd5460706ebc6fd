use super::model::{describe, describe_container};
use crate::k8s::workload::{containers, pod_spec};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `securityContext.privileged: true` on any container of a Pod spec (`containers`,
    /// `initContainers`, `ephemeralContainers`) in every workload kind, CronJob included.
    ///
    /// ## Why is this bad?
    /// "Any containers that run with `privileged: true` on a node can access all Secrets used on
    /// that node." A privileged container has every capability and the host's devices: it can
    /// read the kubelet's tmpfs mounts holding the Secrets of every other Pod on the node, the
    /// kubelet's own credentials, and escape to the host.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: agent
    ///     securityContext:
    ///       privileged: true
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containers:
    ///   - name: agent
    ///     securityContext:
    ///       privileged: false
    ///       allowPrivilegeEscalation: false
    ///       capabilities: {drop: [ALL], add: [NET_ADMIN]}
    /// ```
    ///
    /// ## References
    /// - [Secrets: configure least-privilege access to Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#configure-least-privilege-access-to-secrets) (warning on privileged containers)
    /// - [Pod Security Standards: Baseline, privileged containers](https://kubernetes.io/docs/concepts/security/pod-security-standards/#baseline)
    /// - kube-linter `privileged-container`, Checkov `CKV_K8S_16`, Kubescape `C-0057`
    pub struct PrivilegedContainer;
    id: "WL-010",
    title: "Privileged container can read every Secret on its node",
    severity: High,
    area: Workload,
    cis: [],
    peers: ["KS C-0057", "CKV_K8S_16", "KL privileged-container"],
    remediation: "Remove `privileged: true`; grant only the specific capabilities the container needs.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: agent, namespace: monitoring}
spec:
  selector: {matchLabels: {app: agent}}
  template:
    metadata: {labels: {app: agent}}
    spec:
      initContainers:
        - name: init
          image: busybox
          securityContext: {privileged: false}
      containers:
        - name: agent
          image: registry.example/agent:1
          securityContext:
            allowPrivilegeEscalation: false
            capabilities: {add: [NET_ADMIN]}
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: quoted, namespace: app}
spec:
  containers:
    - name: app
      image: busybox
      securityContext: {privileged: "no"}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: priv, namespace: app}
spec:
  initContainers:
    - name: sysctl
      image: busybox
      securityContext:
        privileged: true # <-
  containers:
    - name: app
      image: busybox
  ephemeralContainers:
    - name: debug
      image: busybox
      securityContext: {privileged: True} # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: node-cleanup, namespace: ops}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: cleanup
              image: busybox
              securityContext:
                runAsUser: 0
                privileged: true # <-
"#,
    ],
}

impl Rule for PrivilegedContainer {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        for (list, c) in containers(spec) {
            let Some(p) = c.at(&["securityContext", "privileged"]) else {
                continue;
            };
            if p.as_bool() == Some(true) {
                cx.report(
                    obj,
                    p,
                    format!(
                        "{} {} is privileged: it can read the Secrets of every Pod on its node and the node's own credentials",
                        describe(obj),
                        describe_container(list, c),
                    ),
                );
            }
        }
    }
}
