use std::collections::BTreeSet;

use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Cross-object: flags a workload that refers to a Secret (through a `secret` volume, a
    /// `projected` `secret` source, `env[].valueFrom.secretKeyRef`, `envFrom[].secretRef` or
    /// `imagePullSecrets`) that is not in the input and is not marked `optional: true`.
    ///
    /// To avoid reporting every Secret of a repository that keeps Secrets elsewhere (sealed,
    /// external, created by an operator or by hand), the rule only judges a namespace when the
    /// input contains at least one `Secret` object in that namespace (a manifest without
    /// `metadata.namespace` counts as `default`, for workloads and Secrets alike). Each missing
    /// Secret is reported once per workload, at its first reference.
    ///
    /// ## Why is this bad?
    /// A Pod that needs a missing, non-optional Secret does not start: the kubelet keeps it in
    /// `ContainerCreating` (volumes) or `CreateContainerConfigError` (environment). A missing
    /// image pull Secret makes pulls from a private registry fail. Usually the name is misspelt
    /// or the Secret was renamed, and the manifests drifted apart.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata: {name: db-credentials, namespace: app}
    /// ---
    /// # in the Pod spec, namespace app
    /// env:
    ///   - name: PASSWORD
    ///     valueFrom: {secretKeyRef: {name: db-credential, key: password}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// env:
    ///   - name: PASSWORD
    ///     valueFrom: {secretKeyRef: {name: db-credentials, key: password}}
    /// ```
    ///
    /// ## References
    /// - [Secrets: optional Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#restriction-secret-must-exist)
    /// - [Pull an image from a private registry](https://kubernetes.io/docs/tasks/configure-pod-container/pull-image-private-registry/)
    /// - kube-linter `env-value-from`
    pub struct MissingSecret;
    id: "WL-013",
    title: "Workload refers to a Secret that is not in the input",
    severity: Low,
    area: Workload,
    cis: [],
    peers: ["KL env-value-from"],
    remediation: "Fix the Secret name, add the Secret, or mark the reference `optional: true`.",
    kinds: [],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db, namespace: app}
stringData: {password: example}
---
apiVersion: v1
kind: Pod
metadata: {name: app, namespace: app}
spec:
  containers:
    - name: app
      image: busybox
      env:
        - name: PASSWORD
          valueFrom: {secretKeyRef: {name: db, key: password}}
        - name: EXTRA
          valueFrom: {secretKeyRef: {name: extra, key: x, optional: true}}
  volumes:
    - {name: maybe, secret: {secretName: maybe, optional: true}}
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: no-secrets-here, namespace: jobs}
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
              envFrom: [{secretRef: {name: managed-elsewhere}}]
---
apiVersion: v1
kind: Secret
metadata: {name: unrelated, namespace: other}
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: db-credentials, namespace: app}
stringData: {password: example}
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: api, namespace: app}
spec:
  selector: {matchLabels: {app: api}}
  template:
    metadata: {labels: {app: api}}
    spec:
      imagePullSecrets:
        - name: registry # <-
      initContainers:
        - name: migrate
          image: busybox
          env:
            - name: PASSWORD
              valueFrom:
                secretKeyRef:
                  name: db-credential
                  key: password
      containers:
        - name: api
          image: busybox
          envFrom:
            - secretRef: {name: db-credential} # <-
            - secretRef: {name: db-credentials}
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: tls}
type: kubernetes.io/tls
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: renew}
spec:
  schedule: "@weekly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          containers: [{name: renew, image: busybox}]
          volumes:
            - name: creds
              projected:
                sources:
                  - secret: {name: tls}
                  - secret: {name: acme-account, optional: false} # <-
"#,
    ],
}

impl Rule for MissingSecret {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, _access: &Access<'_>, cx: &mut Ctx<'_>) {
        let namespaces: BTreeSet<&str> = inv.secrets.iter().map(|s| s.namespace.as_str()).collect();
        let exists = |ns: &str, name: &str| {
            inv.secrets
                .iter()
                .any(|s| s.namespace == ns && s.object.name.as_deref() == Some(name))
        };
        for w in &inv.workloads {
            if !namespaces.contains(w.namespace.as_str()) {
                continue;
            }
            let mut seen: BTreeSet<&str> = BTreeSet::new();
            for s in &w.secrets {
                if s.optional || exists(&w.namespace, &s.name) || !seen.insert(s.name.as_str()) {
                    continue;
                }
                let effect = if s.how == "imagePullSecrets" {
                    "pulls from a private registry that need it will fail"
                } else {
                    "the Pod will not start"
                };
                cx.report_at(
                    s.location.clone(),
                    &w.object,
                    format!(
                        "{} `{}` refers to Secret `{}` ({}), which is not in the input (other Secrets of namespace `{}` are) and is not optional: {effect}",
                        w.object.kind,
                        w.object.name.as_deref().unwrap_or(""),
                        s.name,
                        s.how,
                        w.namespace,
                    ),
                );
            }
        }
    }
}
