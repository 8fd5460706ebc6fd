use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container (in a static Pod manifest or any workload) that has no
    /// `--encryption-provider-config` flag, or an empty one, in its `command` or `args`.
    ///
    /// ## Why is this bad?
    /// Without an `EncryptionConfiguration`, the apiserver writes Secrets to etcd in plain text:
    /// "By default, Secret objects are stored unencrypted in etcd". Anyone who can read etcd, its
    /// data directory or a backup of it reads every Secret in the cluster.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       command:
    ///         - kube-apiserver
    ///         - --etcd-servers=https://127.0.0.1:2379
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: kube-apiserver
    ///       command:
    ///         - kube-apiserver
    ///         - --etcd-servers=https://127.0.0.1:2379
    ///         - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - CIS Kubernetes Benchmark 1.2.27 "Ensure that the --encryption-provider-config argument is set as appropriate"
    pub struct EncryptionProviderConfigMissing;
    id: "API-001",
    title: "kube-apiserver does not encrypt Secrets at rest",
    severity: Critical,
    area: Apiserver,
    cis: ["1.2.27"],
    peers: ["kube-bench 1.2.27", "KS C-0141", "KS C-0066", "CKV_K8S_104", "TRV KCV-0030"],
    remediation: "Write an EncryptionConfiguration for `secrets` and pass it with `--encryption-provider-config`.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command:
        - kube-apiserver
        - --etcd-servers=https://127.0.0.1:2379
        - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
"#,
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: kube-apiserver, namespace: tenant-a}
spec:
  selector: {matchLabels: {app: kube-apiserver}}
  template:
    metadata: {labels: {app: kube-apiserver}}
    spec:
      containers:
        - name: apiserver
          image: registry.k8s.io/kube-apiserver:v1.31.0
          args:
            - --encryption-provider-config
            - /etc/kubernetes/enc/enc.yaml
"#,
        r#"{"apiVersion": "v1", "kind": "Pod",
 "metadata": {"name": "etcd", "namespace": "kube-system"},
 "spec": {"containers": [{"name": "etcd", "image": "registry.k8s.io/etcd:3.5.15-0",
   "command": ["etcd", "--client-cert-auth=true"]}]}}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: # <-
        - kube-apiserver
        - --etcd-servers=https://127.0.0.1:2379
        - --authorization-mode=Node,RBAC
"#,
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: kube-apiserver, namespace: tenant-a}
spec:
  selector: {matchLabels: {app: kube-apiserver}}
  template:
    metadata: {labels: {app: kube-apiserver}}
    spec:
      containers:
        - name: apiserver
          image: registry.k8s.io/kube-apiserver:v1.31.0
          args: ["--etcd-servers=https://etcd:2379", "--secure-port=6443"] # <-
"#,
        r#"{"apiVersion": "v1", "kind": "Pod",
 "metadata": {"name": "kube-apiserver", "namespace": "kube-system"},
 "spec": {"containers": [{"name": "kube-apiserver",
   "command": ["/usr/local/bin/kube-apiserver",
     "--encryption-provider-config="]}]}} # <-
"#,
    ],
}

impl Rule for EncryptionProviderConfigMissing {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            match a.get("encryption-provider-config") {
                Some(f) if !f.text().trim().is_empty() && f.value.is_some() => {}
                Some(f) => {
                    cx.report(
                        obj,
                        f.value_node,
                        format!(
                            "{}: `--encryption-provider-config` has no value, so Secrets are stored unencrypted in etcd",
                            a.subject(obj)
                        ),
                    );
                }
                None => {
                    cx.report(
                        obj,
                        a.anchor(),
                        format!(
                            "{}: `--encryption-provider-config` is not set, so Secrets are stored unencrypted in etcd",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
