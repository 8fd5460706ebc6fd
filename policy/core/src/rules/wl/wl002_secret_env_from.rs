use super::model::{describe, describe_container};
use crate::k8s::workload::{containers, pod_spec};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `envFrom[].secretRef`, which turns every key of a Secret into an environment
    /// variable, in any container of a Pod spec (`containers`, `initContainers`,
    /// `ephemeralContainers`) of every workload kind, CronJob included.
    ///
    /// ## Why is this bad?
    /// It has the exposure of a single Secret environment variable (`/proc/<pid>/environ`, crash
    /// dumps, child processes, startup logs) for *all* keys of the Secret at once, including keys
    /// added later that the container never needed. CIS 5.4.1 recommends Secrets as files.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       envFrom:
    ///         - secretRef: {name: app-credentials}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       volumeMounts:
    ///         - {name: creds, mountPath: /etc/creds, readOnly: true}
    ///   volumes:
    ///     - name: creds
    ///       secret: {secretName: app-credentials}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Secrets: using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - CIS Kubernetes Benchmark 5.4.1 "Prefer using secrets as files over secrets as environment variables"
    /// - Kyverno `other/disallow-secrets-from-env-vars` rule `secrets-not-from-envfrom` (checks `spec.containers` only), Checkov `CKV_K8S_35`
    pub struct SecretEnvFrom;
    id: "WL-002",
    title: "All keys of a Secret injected as environment variables",
    severity: Medium,
    area: Workload,
    cis: ["5.4.1"],
    peers: ["CKV_K8S_35", "KY disallow-secrets-from-env-vars/secrets-not-from-envfrom", "KS C-0207"],
    remediation: "Mount the Secret as a read-only volume instead of `envFrom.secretRef`.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: app}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - name: setup
          image: busybox
          envFrom:
            - configMapRef: {name: settings}
      containers:
        - name: web
          image: nginx
          envFrom:
            - configMapRef: {name: settings}
              prefix: APP_
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: odd, namespace: app}
spec:
  containers:
    - name: app
      image: busybox
      envFrom: {secretRef: {name: not-a-list}}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: env-from, namespace: app}
spec:
  initContainers:
    - name: setup
      image: busybox
      envFrom:
        - secretRef:
            name: setup-creds # <-
  containers:
    - name: app
      image: busybox
      envFrom:
        - configMapRef: {name: settings}
        - secretRef: {name: app-creds, optional: true} # <-
  ephemeralContainers:
    - name: debug
      image: busybox
      envFrom: [{secretRef: {name: app-creds}}] # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: sync, namespace: app}
spec:
  schedule: "*/5 * * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers:
            - name: sync
              image: registry.example/sync:2
              envFrom:
                - prefix: SYNC_
                  secretRef:
                    name: sync-creds # <-
"#,
    ],
}

impl Rule for SecretEnvFrom {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        for (list, c) in containers(spec) {
            for e in c.get("envFrom").map(Node::items).unwrap_or_default() {
                let Some(r) = e.get("secretRef") else {
                    continue;
                };
                let secret = r.get("name").and_then(Node::as_str).unwrap_or("?");
                let at = r.get("name").unwrap_or(r);
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} {} injects every key of Secret `{secret}` as environment variables, readable through /proc/<pid>/environ, crash dumps and child processes",
                        describe(obj),
                        describe_container(list, c),
                    ),
                );
            }
        }
    }
}
