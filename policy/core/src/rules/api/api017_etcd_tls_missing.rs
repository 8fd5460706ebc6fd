use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container that lacks any of `--etcd-certfile`, `--etcd-keyfile` and
    /// `--etcd-cafile` (or sets one to an empty value). One finding per container lists every
    /// missing flag.
    ///
    /// ## Why is this bad?
    /// The apiserver sends every Secret to etcd and reads it back. Without a client certificate
    /// and key, etcd cannot require mutual TLS, so anything that reaches the etcd port can read
    /// the whole keyspace. Without a CA file, the apiserver does not verify that it talks to the
    /// real etcd. The Secrets good-practices page asks to "configure encrypted SSL/TLS
    /// communication" with etcd.
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --etcd-servers=https://127.0.0.1:2379
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --etcd-servers=https://127.0.0.1:2379
    ///   - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
    ///   - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
    ///   - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
    /// ```
    ///
    /// ## References
    /// - [Operating etcd clusters: securing communication](https://kubernetes.io/docs/tasks/administer-cluster/configure-upgrade-etcd/#securing-communication)
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - CIS Kubernetes Benchmark 1.2.23 "Ensure that the --etcd-certfile and --etcd-keyfile arguments are set as appropriate", 1.2.26 "Ensure that the --etcd-cafile argument is set as appropriate"
    pub struct EtcdTlsMissing;
    id: "API-017",
    title: "kube-apiserver talks to etcd without mutual TLS",
    severity: Medium,
    area: Apiserver,
    cis: ["1.2.23", "1.2.26"],
    peers: ["kube-bench 1.2.23", "kube-bench 1.2.26", "CKV_K8S_99", "CKV_K8S_102", "KS C-0137", "KS C-0140"],
    remediation: "Set `--etcd-cafile`, `--etcd-certfile` and `--etcd-keyfile` (kubeadm: /etc/kubernetes/pki).",
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
        - --etcd-servers=https://127.0.0.1:2379
        - --etcd-cafile=/etc/kubernetes/pki/etcd/ca.crt
        - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
        - --etcd-keyfile=/etc/kubernetes/pki/apiserver-etcd-client.key
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
      args: [--etcd-cafile, /pki/ca.crt, --etcd-certfile, /pki/client.crt, --etcd-keyfile, /pki/client.key]
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
        - --etcd-servers=https://127.0.0.1:2379
        - --etcd-certfile=/etc/kubernetes/pki/apiserver-etcd-client.crt
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, --etcd-servers=http://10.0.0.5:2379] # <-
"#,
    ],
}

const ETCD_TLS: &[&str] = &["etcd-certfile", "etcd-keyfile", "etcd-cafile"];

impl Rule for EtcdTlsMissing {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let missing: Vec<String> = ETCD_TLS
                .iter()
                .filter(|n| a.set(n).is_none())
                .map(|n| format!("`--{n}`"))
                .collect();
            if missing.is_empty() {
                continue;
            }
            let verb = if missing.len() == 1 { "is" } else { "are" };
            cx.report(
                obj,
                a.anchor(),
                format!(
                    "{}: {} {verb} not set, so Secrets travel to etcd without mutually authenticated TLS",
                    a.subject(obj),
                    missing.join(", ")
                ),
            );
        }
    }
}
