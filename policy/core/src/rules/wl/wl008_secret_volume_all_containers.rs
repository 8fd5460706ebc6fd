use super::model::{describe, mounts_of, secret_volumes};
use crate::k8s::workload::{container_name, containers, pod_spec, ContainerList};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Reports (as information) a Secret volume (a `secret` volume, or a `projected` volume with
    /// a `secret` source) that is mounted into *every* container of a Pod spec that has at least
    /// two containers, counting `containers` and `initContainers` (ephemeral debug containers are
    /// not counted). A Pod whose containers mount the Secret selectively is not reported, nor is
    /// a single-container Pod.
    ///
    /// This is a deliberately narrow, low-noise signal: the manifest cannot say which container
    /// really needs the Secret, but a volume mounted everywhere in a multi-container Pod is the
    /// typical sign of a copy-pasted `volumeMounts` block or a sidecar that was given the
    /// application's credentials.
    ///
    /// ## Why is this bad?
    /// Each container that mounts a Secret can read it, so a compromise of any of them (a
    /// logging or proxy sidecar, an init container running third-party tooling) exposes it.
    /// Kubernetes recommends restricting Secret access to the specific containers that need it.
    ///
    /// ## Example
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
    ///   - name: log-shipper
    ///     volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
    /// volumes:
    ///   - {name: db, secret: {secretName: db-credentials}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// containers:
    ///   - name: app
    ///     volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
    ///   - name: log-shipper
    /// volumes:
    ///   - {name: db, secret: {secretName: db-credentials}}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets: restrict Secret access to specific containers](https://kubernetes.io/docs/concepts/security/secrets-good-practices/#restrict-secret-access-to-specific-containers)
    pub struct SecretVolumeAllContainers;
    id: "WL-008",
    title: "Secret volume mounted into every container",
    severity: Info,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Mount the Secret only into the containers that read it.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: selective, namespace: app}
spec:
  initContainers:
    - name: wait
      image: busybox
  containers:
    - name: app
      image: registry.example/app:1.0
      volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
    - name: proxy
      image: envoyproxy/envoy:v1.30.0
  volumes:
    - {name: db, secret: {secretName: db-credentials}}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: single, namespace: app}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: job
              image: busybox
              volumeMounts: [{name: creds, mountPath: /creds}]
          volumes:
            - {name: creds, secret: {secretName: creds}}
"#,
    ],
    fail: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: registry.example/app:1.0
          volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
        - name: log-shipper
          image: fluent/fluent-bit:3.0
          volumeMounts: [{name: db, mountPath: /etc/db, readOnly: true}]
      volumes:
        - name: db
          secret: # <-
            secretName: db-credentials
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: app}
spec:
  schedule: "@daily"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          initContainers:
            - name: fetch
              image: busybox
              volumeMounts: [{name: creds, mountPath: /creds}]
          containers:
            - name: backup
              image: busybox
              volumeMounts: [{name: creds, mountPath: /creds, subPath: s3}]
          volumes:
            - name: creds
              projected: # <-
                sources: [{secret: {name: s3}}, {configMap: {name: settings}}]
"#,
    ],
}

impl Rule for SecretVolumeAllContainers {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        let cs: Vec<&Node<'_>> = containers(spec)
            .filter(|(l, _)| *l != ContainerList::EphemeralContainers)
            .map(|(_, c)| c)
            .collect();
        if cs.len() < 2 {
            return;
        }
        for v in secret_volumes(spec) {
            if v.name == "?" {
                continue;
            }
            if cs.iter().all(|c| mounts_of(c, v.name).next().is_some()) {
                let names: Vec<String> = cs
                    .iter()
                    .map(|c| format!("`{}`", container_name(c)))
                    .collect();
                cx.report(
                    obj,
                    v.source_key,
                    format!(
                        "{} mounts volume `{}` ({}) into all {} containers ({}): each of them can read it",
                        describe(obj),
                        v.name,
                        v.secret_list(),
                        cs.len(),
                        names.join(", "),
                    ),
                );
            }
        }
    }
}
