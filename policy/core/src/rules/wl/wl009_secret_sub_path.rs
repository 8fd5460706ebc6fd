use super::model::{describe, describe_container, mounts_of, secret_volumes};
use crate::k8s::workload::{containers, pod_spec};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `volumeMounts` with `subPath` or `subPathExpr` that mount a Secret volume (a `secret`
    /// volume, or a `projected` volume with a `secret` source), in any container of a Pod spec
    /// (`containers`, `initContainers`, `ephemeralContainers`) of every workload kind.
    ///
    /// ## Why is this bad?
    /// "A container using a Secret as a subPath volume mount does not receive automated Secret
    /// updates." When the Secret is rotated (a renewed certificate, a revoked password), the
    /// container keeps the old value until it is restarted, so rotation silently fails or a
    /// revoked credential stays in use.
    ///
    /// ## Example
    /// ```yaml
    /// volumeMounts:
    ///   - name: tls
    ///     mountPath: /etc/nginx/tls.key
    ///     subPath: tls.key
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// volumeMounts:
    ///   - name: tls
    ///     mountPath: /etc/nginx/tls
    ///     readOnly: true
    /// ```
    ///
    /// ## References
    /// - [Secrets: using Secrets as files from a Pod](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-files-from-a-pod) (note on `subPath`)
    /// - [Volumes: using subPath](https://kubernetes.io/docs/concepts/storage/volumes/#using-subpath)
    pub struct SecretSubPath;
    id: "WL-009",
    title: "Secret mounted with subPath does not receive updates",
    severity: Low,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Mount the whole Secret volume on a directory (use `items` to pick keys) instead of `subPath`.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: dir-mount, namespace: web}
spec:
  containers:
    - name: nginx
      image: nginx
      volumeMounts:
        - {name: tls, mountPath: /etc/nginx/tls, readOnly: true}
        - {name: conf, mountPath: /etc/nginx/nginx.conf, subPath: nginx.conf}
  volumes:
    - name: tls
      secret: {secretName: web-tls, items: [{key: tls.key, path: tls.key}]}
    - name: conf
      configMap: {name: nginx-conf}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: export, namespace: web}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: export
              image: busybox
              volumeMounts: [{name: data, mountPath: /data, subPath: export}]
          volumes:
            - {name: data, emptyDir: {}}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: sub-path, namespace: web}
spec:
  initContainers:
    - name: init
      image: busybox
      volumeMounts:
        - name: tls
          mountPath: /tls/ca.crt
          subPath: ca.crt # <-
  containers:
    - name: nginx
      image: nginx
      volumeMounts:
        - {name: tls, mountPath: /etc/nginx/tls.key, subPath: tls.key} # <-
  ephemeralContainers:
    - name: debug
      image: busybox
      volumeMounts:
        - {name: tls, mountPath: /debug/tls.crt, subPathExpr: "$(CERT)"} # <-
  volumes:
    - name: tls
      secret: {secretName: web-tls}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: renew, namespace: web}
spec:
  schedule: "@weekly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: renew
              image: busybox
              volumeMounts:
                - name: creds
                  mountPath: /creds/token
                  subPath: token # <-
          volumes:
            - name: creds
              projected:
                sources: [{secret: {name: acme}}]
"#,
    ],
}

impl Rule for SecretSubPath {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        let vols = secret_volumes(spec);
        if vols.is_empty() {
            return;
        }
        for (list, c) in containers(spec) {
            for v in &vols {
                for m in mounts_of(c, v.name) {
                    let sub = ["subPath", "subPathExpr"].into_iter().find_map(|k| {
                        m.get(k)
                            .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()))
                            .map(|n| (k, n))
                    });
                    let Some((field, node)) = sub else { continue };
                    cx.report(
                        obj,
                        node,
                        format!(
                            "{} {} mounts volume `{}` ({}) with `{field}: {}`: the file is not updated when the Secret changes",
                            describe(obj),
                            describe_container(list, c),
                            v.name,
                            v.secret_list(),
                            node.as_str().unwrap_or(""),
                        ),
                    );
                }
            }
        }
    }
}
