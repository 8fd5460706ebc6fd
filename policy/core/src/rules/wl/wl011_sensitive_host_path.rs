use super::model::{describe, is_static_pod};
use crate::k8s::workload::pod_spec;
use crate::rules::prelude::*;

/// Host directories that hold Secrets, and why.
const SENSITIVE: &[(&[&str], &str)] = &[
    (
        &["var", "lib", "kubelet"],
        "the tmpfs mounts with the Secrets of every Pod on the node, and the kubelet's credentials",
    ),
    (
        &["etc", "kubernetes"],
        "the encryption-at-rest configuration and its keys, the cluster PKI and admin kubeconfigs",
    ),
    (
        &["var", "lib", "etcd"],
        "etcd's data, with every Secret of the cluster",
    ),
];

/// Sub-directories of `/var/lib/kubelet` that hold only plugin sockets.
const KUBELET_SOCKET_DIRS: &[&str] = &["device-plugins", "plugins_registry", "pod-resources"];

declare_rule! {
    /// ## What it does
    /// Flags `hostPath` volumes whose path (normalised: repeated or trailing `/`, `.` and `..`
    /// resolved) is `/`, `/var/lib/kubelet`, `/etc/kubernetes` or `/var/lib/etcd`, a directory
    /// inside one of the last three, or a parent directory that contains them (`/var`,
    /// `/var/lib`, `/etc`). Not reported: `/var/lib/kubelet/device-plugins`,
    /// `/var/lib/kubelet/plugins_registry` and `/var/lib/kubelet/pod-resources`, which hold only
    /// the sockets that device and CSI plugins register with; and the control plane's own static
    /// Pods (a `Pod` in `kube-system` labelled `tier: control-plane`, or carrying the kubelet's
    /// `kubernetes.io/config.mirror` / `kubernetes.io/config.source: file` annotations), which
    /// must mount `/etc/kubernetes/pki` and `/var/lib/etcd`.
    ///
    /// ## Why is this bad?
    /// Secrets reach a node only as tmpfs mounts under `/var/lib/kubelet/pods/`, the encryption
    /// keys that protect Secrets in etcd are in `/etc/kubernetes` on control-plane nodes, and etcd
    /// itself stores every Secret under `/var/lib/etcd`. A Pod mounting any of these bypasses
    /// RBAC and encryption at rest entirely: encryption "fails to protect against a host
    /// compromise".
    ///
    /// ## Example
    /// ```yaml
    /// volumes:
    ///   - name: kubelet
    ///     hostPath: {path: /var/lib/kubelet, type: Directory}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// volumes:
    ///   - name: plugins
    ///     hostPath: {path: /var/lib/kubelet/plugins_registry, type: Directory}
    /// ```
    ///
    /// ## References
    /// - [Encrypting confidential data at rest](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/) (keys on the host, host compromise)
    /// - [Secrets: information security for Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#information-security-for-secrets) (tmpfs on the node)
    /// - [Volumes: hostPath](https://kubernetes.io/docs/concepts/storage/volumes/#hostpath)
    /// - kube-linter `sensitive-host-mounts`, Kubescape `C-0020`
    pub struct SensitiveHostPath;
    id: "WL-011",
    title: "hostPath mount exposes node-level Secrets",
    severity: High,
    area: Workload,
    cis: [],
    peers: ["KL sensitive-host-mounts", "KS C-0020"],
    remediation: "Remove the hostPath volume, or mount only the narrow sub-directory the workload needs.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: DaemonSet
metadata: {name: device-plugin, namespace: kube-system}
spec:
  selector: {matchLabels: {app: dp}}
  template:
    metadata: {labels: {app: dp}}
    spec:
      containers:
        - name: dp
          image: registry.example/dp:1
          volumeMounts: [{name: dp, mountPath: /var/lib/kubelet/device-plugins}]
      volumes:
        - {name: dp, hostPath: {path: /var/lib/kubelet/device-plugins}}
        - {name: logs, hostPath: {path: /var/log}}
        - {name: lib, hostPath: {path: /var/lib/kubeletx}}
"#,
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  hostNetwork: true
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      volumeMounts: [{name: k8s-certs, mountPath: /etc/kubernetes/pki, readOnly: true}]
  volumes:
    - name: k8s-certs
      hostPath: {path: /etc/kubernetes/pki, type: DirectoryOrCreate}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: node-shell, namespace: ops}
spec:
  containers:
    - name: shell
      image: busybox
  volumes:
    - name: root
      hostPath:
        path: / # <-
    - name: kubelet
      hostPath: {path: /var/lib/kubelet/pods/, type: Directory} # <-
    - name: sneaky
      hostPath:
        path: /var/log/../lib//etcd # <-
    - name: parent
      hostPath:
        path: /etc # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup-etc, namespace: ops}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: backup, image: busybox}]
          volumes:
            - name: k8s
              hostPath:
                path: /etc/kubernetes # <-
"#,
    ],
}

impl Rule for SensitiveHostPath {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        if is_static_pod(obj) {
            return;
        }
        for v in spec.get("volumes").map(Node::items).unwrap_or_default() {
            let Some(node) = v.at(&["hostPath", "path"]) else {
                continue;
            };
            let Some(path) = node.as_str() else { continue };
            let Some(why) = judge(path) else { continue };
            cx.report(
                obj,
                node,
                format!(
                    "{} mounts host path `{path}` (volume `{}`), {why}",
                    describe(obj),
                    v.get("name").and_then(Node::as_str).unwrap_or("?"),
                ),
            );
        }
    }
}

/// Why mounting `path` from the host exposes Secrets, if it does.
fn judge(path: &str) -> Option<String> {
    if !path.starts_with('/') {
        return None;
    }
    let mut comps: Vec<&str> = vec![];
    for c in path.split('/') {
        match c {
            "" | "." => {}
            ".." => {
                comps.pop();
            }
            c => comps.push(c),
        }
    }
    if comps.is_empty() {
        return Some(
            "the node's whole filesystem: every Pod's Secrets under /var/lib/kubelet, and on control-plane nodes the encryption keys under /etc/kubernetes and etcd's data"
                .into(),
        );
    }
    let mut contained = vec![];
    for (root, what) in SENSITIVE {
        if comps.len() >= root.len() && comps[..root.len()] == **root {
            let rest = &comps[root.len()..];
            if root.last() == Some(&"kubelet")
                && rest
                    .first()
                    .is_some_and(|d| KUBELET_SOCKET_DIRS.contains(d))
            {
                return None;
            }
            let dir = format!("/{}", root.join("/"));
            return Some(if rest.is_empty() {
                format!("which holds {what}")
            } else {
                format!("inside {dir}, which holds {what}")
            });
        }
        if root.len() > comps.len() && root[..comps.len()] == comps[..] {
            contained.push(format!("/{} ({what})", root.join("/")));
        }
    }
    if contained.is_empty() {
        None
    } else {
        Some(format!("which contains {}", contained.join(" and ")))
    }
}

#[cfg(test)]
mod tests {
    use super::judge;

    #[test]
    fn paths() {
        for p in [
            "/",
            "//",
            "/var",
            "/var/lib/",
            "/etc",
            "/var/lib/kubelet",
            "/etc/kubernetes/pki",
            "/var/lib/etcd/member",
            "/var/./lib/kubelet/pods",
        ] {
            assert!(judge(p).is_some(), "{p}");
        }
        for p in [
            "/var/log",
            "/etc/ssl",
            "/var/lib/kubelet/device-plugins",
            "/var/lib/kubelet/plugins_registry/x",
            "/var/lib/docker",
            "relative",
            "/etc/kubernetesx",
            "/run/containerd",
        ] {
            assert!(judge(p).is_none(), "{p}");
        }
        assert!(judge("/var/lib").is_some_and(|w| w.contains("kubelet") && w.contains("etcd")));
    }
}
