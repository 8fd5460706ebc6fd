use super::model::{describe, describe_container};
use crate::k8s::workload::{containers, pod_spec};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags environment variables filled from a Secret key (`env[].valueFrom.secretKeyRef`) in
    /// any container of a Pod spec: `containers`, `initContainers` and `ephemeralContainers`, in
    /// every workload kind (Pod, PodTemplate, Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// ReplicationController, Job, CronJob).
    ///
    /// ## Why is this bad?
    /// Environment variables are easy to leak: they can be read from `/proc/<pid>/environ`, end
    /// up in crash dumps and debug output, are inherited by every child process and are often
    /// logged by frameworks on startup. Kubernetes recommends mounting Secrets as files instead
    /// (CIS 5.4.1 "Prefer using secrets as files over secrets as environment variables"). A file
    /// mount can also be updated in place when the Secret is rotated; an environment variable
    /// keeps its value until the container restarts.
    ///
    /// ## Example
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       env:
    ///         - name: DB_PASSWORD
    ///           valueFrom:
    ///             secretKeyRef: {name: db, key: password}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// spec:
    ///   containers:
    ///     - name: app
    ///       volumeMounts:
    ///         - {name: db, mountPath: /etc/db, readOnly: true}
    ///   volumes:
    ///     - name: db
    ///       secret: {secretName: db, items: [{key: password, path: password}]}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Secrets: using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - CIS Kubernetes Benchmark 5.4.1 "Prefer using secrets as files over secrets as environment variables"
    /// - Kyverno `other/disallow-secrets-from-env-vars` (checks `spec.containers` only), kube-linter `read-secret-from-env-var`, Checkov `CKV_K8S_35`
    pub struct SecretEnvVar;
    id: "WL-001",
    title: "Secret exposed as an environment variable",
    severity: Medium,
    area: Workload,
    cis: ["5.4.1"],
    peers: ["CKV_K8S_35", "KY disallow-secrets-from-env-vars/secrets-not-from-env-vars", "KL read-secret-from-env-var", "KS C-0207"],
    remediation: "Mount the Secret as a read-only volume and read the value from the file.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: files, namespace: app}
spec:
  containers:
    - name: app
      image: registry.example/app:1.0
      env:
        - name: MODE
          value: production
        - name: LEVEL
          valueFrom:
            configMapKeyRef: {name: settings, key: level}
      volumeMounts:
        - {name: creds, mountPath: /etc/creds, readOnly: true}
  volumes:
    - name: creds
      secret: {secretName: app-creds}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: report, namespace: app}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: report
              image: registry.example/report:1.0
              env: "not a list"
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Pod
metadata: {name: env-pod, namespace: app}
spec:
  initContainers:
    - name: migrate
      image: registry.example/migrate:1.0
      env:
        - name: DB_PASSWORD
          valueFrom:
            secretKeyRef:
              name: db
              key: password # <-
  containers:
    - name: app
      image: registry.example/app:1.0
      env:
        - name: API_TOKEN
          valueFrom:
            secretKeyRef: {name: api, key: token} # <-
  ephemeralContainers:
    - name: debug
      image: busybox
      env:
        - name: TOKEN
          valueFrom:
            secretKeyRef:
              name: api # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: app}
spec:
  schedule: "0 1 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: registry.example/backup:1.0
              env:
                - name: AWS_SECRET_ACCESS_KEY
                  valueFrom:
                    secretKeyRef:
                      name: s3
                      key: secret-key # <-
"#,
        r#"{"apiVersion": "apps/v1", "kind": "Deployment",
 "metadata": {"name": "web", "namespace": "app"},
 "spec": {"template": {"spec": {"containers": [{"name": "web", "image": "nginx",
   "env": [{"name": "PASS", "valueFrom": {"secretKeyRef": {"name": "web", "key": "pass"}}}]}]}}}}
"#,
    ],
}

impl Rule for SecretEnvVar {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(spec) = pod_spec(obj) else { return };
        for (list, c) in containers(spec) {
            for e in c.get("env").map(Node::items).unwrap_or_default() {
                let Some(r) = e.at(&["valueFrom", "secretKeyRef"]) else {
                    continue;
                };
                let var = e.get("name").and_then(Node::as_str).unwrap_or("?");
                let secret = r.get("name").and_then(Node::as_str).unwrap_or("?");
                let key = r.get("key").and_then(Node::as_str);
                let at = r.get("key").or_else(|| r.get("name")).unwrap_or(r);
                let what = match key {
                    Some(k) => format!("key `{k}` of Secret `{secret}`"),
                    None => format!("Secret `{secret}`"),
                };
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} {} puts {what} into environment variable `{var}`, readable through /proc/<pid>/environ, crash dumps and child processes",
                        describe(obj),
                        describe_container(list, c),
                    ),
                );
            }
        }
    }
}
