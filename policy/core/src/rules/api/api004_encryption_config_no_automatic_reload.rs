use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container that sets `--encryption-provider-config` without
    /// `--encryption-provider-config-automatic-reload=true` (the default is `false`).
    ///
    /// ## Why is this bad?
    /// Without automatic reloading, the apiserver reads the encryption configuration only at start.
    /// Every key rotation step (add the new key, make it first, re-encrypt, drop the old key) then
    /// needs a restart of every apiserver, which makes rotation rare. This is context, not a
    /// vulnerability: with reloading on, KMS plugin names must be unique across the file (ENC-012).
    ///
    /// ## Example
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// command:
    ///   - kube-apiserver
    ///   - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
    ///   - --encryption-provider-config-automatic-reload=true
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: configure automatic reloading](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#configure-automatic-reloading)
    /// - [kube-apiserver reference](https://kubernetes.io/docs/reference/command-line-tools-reference/kube-apiserver/)
    pub struct EncryptionConfigNoAutomaticReload;
    id: "API-004",
    title: "Encryption configuration is not reloaded automatically",
    severity: Info,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Add `--encryption-provider-config-automatic-reload=true` so key rotation needs no apiserver restart.",
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
        - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
        - --encryption-provider-config-automatic-reload
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
      args: ["--encryption-provider-config=/etc/kubernetes/enc/enc.yaml",
             "--encryption-provider-config-automatic-reload=True"]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, --etcd-servers=https://127.0.0.1:2379]
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
        - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
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
        - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
        - --encryption-provider-config-automatic-reload=false # <-
"#,
    ],
}

impl Rule for EncryptionConfigNoAutomaticReload {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let configured = a.set("encryption-provider-config").is_some();
            if !configured {
                continue;
            }
            match a.get("encryption-provider-config-automatic-reload") {
                Some(f) if f.as_bool() == Some(true) => {}
                Some(f) if f.as_bool() == Some(false) => {
                    cx.report(
                        obj,
                        f.value_node,
                        format!(
                            "{}: `--encryption-provider-config-automatic-reload` is `{}`, so every encryption key rotation step needs an apiserver restart",
                            a.subject(obj),
                            f.text()
                        ),
                    );
                }
                Some(_) => {}
                None => {
                    cx.report(
                        obj,
                        a.anchor(),
                        format!(
                            "{}: `--encryption-provider-config-automatic-reload` is not set (default false), so every encryption key rotation step needs an apiserver restart",
                            a.subject(obj)
                        ),
                    );
                }
            }
        }
    }
}
