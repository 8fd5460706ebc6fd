use super::model::{describe, describe_container, is_static_pod};
use crate::k8s::workload::containers;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a static Pod that uses a Secret or ConfigMap: a `secret` or `configMap` volume, a
    /// `secret`/`configMap` source of a `projected` volume, `env[].valueFrom.secretKeyRef` /
    /// `configMapKeyRef`, or `envFrom[].secretRef` / `configMapRef`, in any container list.
    ///
    /// A manifest does not say that it is a static Pod, so the rule uses this heuristic: a `Pod`
    /// that carries the kubelet's mirror-Pod annotation `kubernetes.io/config.mirror` or
    /// `kubernetes.io/config.source: file` (or `http`), as in a dump of a running cluster; or a
    /// `Pod` in namespace `kube-system` labelled `tier: control-plane`, as every kubeadm
    /// control-plane manifest in `/etc/kubernetes/manifests` is (kube-apiserver,
    /// kube-controller-manager, kube-scheduler, etcd). Other static Pods are not recognised.
    ///
    /// ## Why is this bad?
    /// "You cannot use ConfigMaps or Secrets with static Pods": the kubelet runs them without the
    /// API server, and the API server refuses their mirror Pods when they reference API objects.
    /// The component then starts without the configuration or credentials the manifest seems to
    /// give it. Control-plane components read such files from the host (`hostPath`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Pod
    /// metadata:
    ///   name: kube-apiserver
    ///   namespace: kube-system
    ///   labels: {component: kube-apiserver, tier: control-plane}
    /// spec:
    ///   volumes:
    ///     - {name: enc, secret: {secretName: encryption-config}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   volumes:
    ///     - name: enc
    ///       hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}
    /// ```
    ///
    /// ## References
    /// - [Secrets: using Secrets with static Pods](https://kubernetes.io/docs/concepts/configuration/secret/#restriction-static-pod)
    /// - [Create static Pods](https://kubernetes.io/docs/tasks/configure-pod-container/static-pod/)
    pub struct StaticPodSecret;
    id: "WL-014",
    title: "Static Pod uses a Secret or ConfigMap",
    severity: Low,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Read the file from the host with a `hostPath` volume; static Pods cannot use Secrets or ConfigMaps.",
    kinds: ["Pod"],
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      command: [kube-apiserver, --encryption-provider-config=/etc/kubernetes/enc/enc.yaml]
      volumeMounts: [{name: enc, mountPath: /etc/kubernetes/enc, readOnly: true}]
  volumes:
    - {name: enc, hostPath: {path: /etc/kubernetes/enc, type: DirectoryOrCreate}}
"#,
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: coredns-abc
  namespace: kube-system
  labels: {k8s-app: kube-dns}
spec:
  containers: [{name: coredns, image: registry.k8s.io/coredns/coredns:v1.11.1}]
  volumes:
    - {name: config, configMap: {name: coredns}}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: kube-apiserver
  namespace: kube-system
  labels: {component: kube-apiserver, tier: control-plane}
spec:
  containers:
    - name: kube-apiserver
      image: registry.k8s.io/kube-apiserver:v1.31.0
      env:
        - name: KMS_TOKEN
          valueFrom:
            secretKeyRef: {name: kms, key: token} # <-
  volumes:
    - name: enc
      secret: {secretName: encryption-config} # <-
    - name: audit
      configMap: # <-
        name: audit-policy
"#,
        r#"
apiVersion: v1
kind: Pod
metadata:
  name: my-static-web
  namespace: web
  annotations:
    kubernetes.io/config.source: file
    kubernetes.io/config.mirror: 3f8b0a3c
spec:
  containers:
    - name: web
      image: nginx
      envFrom:
        - configMapRef: {name: web-settings} # <-
  volumes:
    - name: all
      projected:
        sources:
          - secret: {name: web-tls} # <-
"#,
    ],
}

impl Rule for StaticPodSecret {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if !is_static_pod(obj) {
            return;
        }
        let Some(spec) = obj.root.get("spec").filter(|s| s.is_map()) else {
            return;
        };
        let who = describe(obj);
        let name_of = |n: Option<&Node<'_>>, k: &str| {
            n.and_then(|n| n.get(k))
                .and_then(Node::as_str)
                .unwrap_or("?")
                .to_string()
        };
        for v in spec.get("volumes").map(Node::items).unwrap_or_default() {
            let vol = v.get("name").and_then(Node::as_str).unwrap_or("?");
            for (field, what, name_key) in [
                ("secret", "Secret", "secretName"),
                ("configMap", "ConfigMap", "name"),
            ] {
                if let Some(k) = v.key_node(field) {
                    let name = name_of(v.get(field), name_key);
                    cx.report(
                        obj,
                        k,
                        format!("static {who} mounts {what} `{name}` (volume `{vol}`), which the kubelet cannot provide to a static Pod"),
                    );
                }
            }
            for src in v
                .at(&["projected", "sources"])
                .map(Node::items)
                .unwrap_or_default()
            {
                for (field, what) in [("secret", "Secret"), ("configMap", "ConfigMap")] {
                    if let Some(k) = src.key_node(field) {
                        let name = name_of(src.get(field), "name");
                        cx.report(
                            obj,
                            k,
                            format!("static {who} projects {what} `{name}` (volume `{vol}`), which the kubelet cannot provide to a static Pod"),
                        );
                    }
                }
            }
        }
        for (list, c) in containers(spec) {
            let cname = describe_container(list, c);
            for e in c.get("env").map(Node::items).unwrap_or_default() {
                let Some(vf) = e.get("valueFrom") else {
                    continue;
                };
                for (field, what) in [("secretKeyRef", "Secret"), ("configMapKeyRef", "ConfigMap")]
                {
                    if let Some(k) = vf.key_node(field) {
                        let name = name_of(vf.get(field), "name");
                        cx.report(
                            obj,
                            k,
                            format!("static {who} {cname} reads {what} `{name}` into an environment variable, which the kubelet cannot provide to a static Pod"),
                        );
                    }
                }
            }
            for e in c.get("envFrom").map(Node::items).unwrap_or_default() {
                for (field, what) in [("secretRef", "Secret"), ("configMapRef", "ConfigMap")] {
                    if let Some(k) = e.key_node(field) {
                        let name = name_of(e.get(field), "name");
                        cx.report(
                            obj,
                            k,
                            format!("static {who} {cname} imports {what} `{name}` with `envFrom`, which the kubelet cannot provide to a static Pod"),
                        );
                    }
                }
            }
        }
    }
}
