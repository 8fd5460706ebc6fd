use crate::k8s::apiserver;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a kube-apiserver container whose `--encryption-provider-config` file (an absolute
    /// path) is not under any of the container's `volumeMounts`, or is under a writable mount
    /// (a `hostPath`, `emptyDir` or other volume without `readOnly: true`; `secret`, `configMap`
    /// and `projected` volumes are always read-only). The deepest mount covering the path counts.
    /// Relative paths are not checked.
    ///
    /// ## Why is this bad?
    /// A static Pod sees only the host directories it mounts. A file that is not mounted does not
    /// exist for the apiserver, which then fails to start. The documentation mounts the directory
    /// that holds the configuration with `readOnly: true`. The file holds the encryption keys (or
    /// the KMS plugin socket path): a writable mount lets anything that compromises the container
    /// replace the keys or switch the first provider to `identity`.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: kube-apiserver
    ///     command:
    ///       - kube-apiserver
    ///       - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
    ///     volumeMounts:
    ///       - {name: k8s-certs, mountPath: /etc/kubernetes/pki, readOnly: true}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containers:
    ///   - name: kube-apiserver
    ///     command:
    ///       - kube-apiserver
    ///       - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
    ///     volumeMounts:
    ///       - {name: enc, mountPath: /etc/kubernetes/enc, readOnly: true}
    /// volumes:
    ///   - name: enc
    ///     hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: use the new encryption configuration file](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#use-the-new-encryption-configuration-file)
    /// - [Volumes: hostPath](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    pub struct EncryptionConfigNotMounted;
    id: "API-002",
    title: "Encryption configuration file not mounted read-only into kube-apiserver",
    severity: Medium,
    area: Apiserver,
    cis: [],
    peers: [],
    remediation: "Mount the directory holding the EncryptionConfiguration into the apiserver container with `readOnly: true`.",
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
        - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml
      volumeMounts:
        - name: k8s
          mountPath: /etc/kubernetes
          readOnly: false
        - name: enc
          mountPath: /etc/kubernetes/enc/
          readOnly: true
  volumes:
    - {name: k8s, hostPath: {path: /etc/kubernetes}}
    - {name: enc, hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}}
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
          args: [--encryption-provider-config, /etc/enc/config.yaml]
          volumeMounts: [{name: enc, mountPath: /etc/enc}]
      volumes:
        - name: enc
          secret: {secretName: tenant-a-encryption-config}
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
      command:
        - kube-apiserver
        - --encryption-provider-config=/etc/kubernetes/enc/enc.yaml # <-
      volumeMounts:
        - {name: k8s-certs, mountPath: /etc/kubernetes/pki, readOnly: true}
  volumes:
    - {name: k8s-certs, hostPath: {path: /etc/kubernetes/pki, type: DirectoryOrCreate}}
"#,
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
        - --encryption-provider-config
        - /etc/kubernetes/enc/enc.yaml
      volumeMounts:
        - name: enc # <-
          mountPath: /etc/kubernetes/enc
  volumes:
    - {name: enc, hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}}
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: kube-apiserver, namespace: kube-system}
spec:
  containers:
    - name: kube-apiserver
      command: [kube-apiserver, --encryption-provider-config=/etc/kubernetes/enc/enc.yaml]
      volumeMounts:
        - name: enc
          mountPath: /etc/kubernetes/enc
          readOnly: false # <-
  volumes:
    - {name: enc, hostPath: {path: /etc/kubernetes/enc}}
"#,
    ],
}

impl Rule for EncryptionConfigNotMounted {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        for a in apiserver::find(obj) {
            let Some(f) = a.get("encryption-provider-config") else {
                continue;
            };
            let path = f.text().trim();
            if f.value.is_none() || !path.starts_with('/') {
                continue;
            }
            match a.mount_for(path) {
                None => {
                    cx.report(
                        obj,
                        f.value_node,
                        format!(
                            "{}: the encryption configuration `{path}` is not under any volumeMount, so the apiserver cannot read it",
                            a.subject(obj)
                        ),
                    );
                }
                Some(m) if !m.read_only => {
                    let at = m.node.get("readOnly").unwrap_or(m.node);
                    cx.report(
                        obj,
                        at,
                        format!(
                            "{}: the encryption configuration `{path}` is mounted writable (`{}` without `readOnly: true`), so a compromised container can change the keys",
                            a.subject(obj),
                            m.mount_path
                        ),
                    );
                }
                Some(_) => {}
            }
        }
    }
}
