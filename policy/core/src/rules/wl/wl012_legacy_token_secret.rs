use crate::rules::prelude::*;

const TOKEN_TYPE: &str = "kubernetes.io/service-account-token";

declare_rule! {
    /// ## What it does
    /// Cross-object: flags a workload that consumes a Secret of type
    /// `kubernetes.io/service-account-token` from the same input, through a `secret` volume, a
    /// `projected` volume's `secret` source, `env[].valueFrom.secretKeyRef` or
    /// `envFrom[].secretRef`. The Secret must be in the input (matched by namespace and name) for
    /// the type to be known.
    ///
    /// ## Why is this bad?
    /// A legacy service-account token Secret holds a token that never expires and is not bound
    /// to any Pod: it stays valid after the Pod is deleted, until the Secret itself is deleted,
    /// and anyone who copies it keeps the ServiceAccount's permissions. The kubelet gives Pods
    /// short-lived, audience-bound, automatically rotated tokens through a projected
    /// `serviceAccountToken` volume instead.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: v1
    /// kind: Secret
    /// metadata:
    ///   name: build-robot-token
    ///   annotations: {kubernetes.io/service-account.name: build-robot}
    /// type: kubernetes.io/service-account-token
    /// ---
    /// # in the Pod spec
    /// volumes:
    ///   - {name: token, secret: {secretName: build-robot-token}}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// serviceAccountName: build-robot
    /// volumes:
    ///   - name: token
    ///     projected:
    ///       sources:
    ///         - serviceAccountToken: {path: token, expirationSeconds: 3600, audience: vault}
    /// ```
    ///
    /// ## References
    /// - [Secrets: service account token Secrets](https://kubernetes.io/docs/concepts/configuration/secret/#serviceaccount-token-secrets)
    /// - [Service account token volume projection](https://kubernetes.io/docs/tasks/configure-pod-container/configure-service-account/#launch-a-pod-using-service-account-token-projection)
    pub struct LegacyTokenSecret;
    id: "WL-012",
    title: "Pod uses a long-lived service-account token Secret",
    severity: High,
    area: Workload,
    cis: [],
    peers: [],
    remediation: "Use a projected `serviceAccountToken` volume (short-lived, bound to the Pod) and delete the token Secret.",
    kinds: [],
    pass: [
        r#"
apiVersion: v1
kind: Secret
metadata: {name: robot-token, namespace: ci}
type: kubernetes.io/service-account-token
---
apiVersion: v1
kind: Pod
metadata: {name: other-namespace, namespace: build}
spec:
  containers: [{name: app, image: busybox}]
  volumes:
    - {name: token, secret: {secretName: robot-token}}
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: app-creds, namespace: ci}
type: Opaque
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: job, namespace: ci}
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
              envFrom: [{secretRef: {name: app-creds}}]
          volumes:
            - name: token
              projected:
                sources: [{serviceAccountToken: {path: token, expirationSeconds: 3600}}]
"#,
    ],
    fail: [
        r#"
apiVersion: v1
kind: Secret
metadata:
  name: robot-token
  namespace: ci
  annotations: {kubernetes.io/service-account.name: robot}
type: kubernetes.io/service-account-token
---
apiVersion: apps/v1
kind: Deployment
metadata: {name: builder, namespace: ci}
spec:
  selector: {matchLabels: {app: builder}}
  template:
    metadata: {labels: {app: builder}}
    spec:
      containers:
        - name: builder
          image: busybox
      volumes:
        - name: token
          secret:
            secretName: robot-token # <-
"#,
        r#"
apiVersion: v1
kind: Secret
metadata: {name: robot-token}
type: kubernetes.io/service-account-token
---
apiVersion: batch/v1
kind: CronJob
metadata: {name: deployer}
spec:
  schedule: "@hourly"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: Never
          initContainers:
            - name: login
              image: busybox
              env:
                - name: TOKEN
                  valueFrom:
                    secretKeyRef:
                      name: robot-token # <-
                      key: token
          containers: [{name: deploy, image: busybox}]
"#,
    ],
}

impl Rule for LegacyTokenSecret {
    rule_meta!();

    fn check_inventory(&self, inv: &Inventory, _access: &Access<'_>, cx: &mut Ctx<'_>) {
        // Only token Secrets can match: look among those (in input order), not every Secret.
        let tokens: Vec<_> = inv
            .secrets
            .iter()
            .filter(|x| x.secret_type == TOKEN_TYPE)
            .collect();
        if tokens.is_empty() {
            return;
        }
        for w in &inv.workloads {
            for s in &w.secrets {
                if !matches!(s.how, "volume" | "projected" | "env" | "envFrom") {
                    continue;
                }
                let Some(secret) = tokens.iter().find(|x| {
                    x.namespace == w.namespace && x.object.name.as_deref() == Some(s.name.as_str())
                }) else {
                    continue;
                };
                let sa = secret
                    .service_account
                    .as_deref()
                    .map(|a| format!(" of ServiceAccount `{a}`"))
                    .unwrap_or_default();
                let how = match s.how {
                    "volume" => "mounts",
                    "projected" => "mounts (projected)",
                    "env" => "reads into an environment variable",
                    _ => "injects through `envFrom`",
                };
                cx.report_at(
                    s.location.clone(),
                    &w.object,
                    format!(
                        "{} `{}` {how} Secret `{}`, a legacy `{TOKEN_TYPE}`{sa}: a non-expiring token not bound to the Pod",
                        w.object.kind,
                        w.object.name.as_deref().unwrap_or(""),
                        s.name,
                    ),
                );
            }
        }
    }
}
