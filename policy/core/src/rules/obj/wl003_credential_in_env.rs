use crate::k8s::credentials::{scan_pair, Confidence};
use crate::k8s::workload::{container_name, containers, pod_spec, WORKLOAD_KINDS};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags literal credentials in `env[].value` of every container, init container and
    /// ephemeral container of a workload (Pod, Deployment, StatefulSet, DaemonSet, ReplicaSet,
    /// ReplicationController, Job, CronJob, PodTemplate). A value is a credential when it has a
    /// known token format (AWS access key id, GitHub/GitLab/Slack/Stripe token, GCP API key, PEM
    /// private key, JWT, URL with `user:password@`, ...), also after base64-decoding, or when the
    /// variable's name names a credential (`DB_PASSWORD`, `apiKey`, `CLIENT_SECRET`) and the value
    /// looks like a real secret rather than a number, flag, path, URL, resource name or
    /// placeholder such as `changeme` or `$(VAR)`. `valueFrom` references are not flagged.
    ///
    /// ## Why is this bad?
    /// The credential is stored in plain text in the manifest, in version control, in etcd as
    /// part of the workload object and in every copy of it: anyone who can read the Deployment
    /// (`view` role, CI logs, `kubectl describe`) can read the credential, and rotating it means
    /// redeploying. Name-based matches are reported with severity medium.
    ///
    /// ## Example
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     value: S3cr3tPa55
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// env:
    ///   - name: DB_PASSWORD
    ///     valueFrom:
    ///       secretKeyRef: {name: db-credentials, key: password}
    /// ```
    /// Or better, mount the Secret as a file (see WL-001).
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Using Secrets as environment variables](https://kubernetes.io/docs/concepts/configuration/secret/#using-secrets-as-environment-variables)
    /// - Kubescape C-0012 "Applications credentials in configuration files" (`rule-credentials-in-env-var`)
    /// - kube-linter `env-var-secret`; Polaris `sensitiveContainerEnvVar`; Kubewarden `env-variable-secrets-scanner`
    pub struct CredentialInEnv;
    id: "WL-003",
    title: "Literal credential in a container environment variable",
    severity: High,
    area: Workload,
    cis: [],
    peers: ["KS C-0012", "KS C-0259", "KL env-var-secret", "POL sensitiveContainerEnvVar", "KW env-variable-secrets-scanner"],
    remediation: "Move the value into a Secret and reference it with `valueFrom.secretKeyRef` (or mount it as a file).",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      containers:
        - name: app
          image: registry.example.io/shop/web:1.4.2
          env:
            - name: DB_PASSWORD
              valueFrom:
                secretKeyRef: {name: db-credentials, key: password}
            - name: PASSWORD_MIN_LENGTH
              value: "12"
            - name: SECRET_NAME
              value: web-tls
            - name: TOKEN_TTL
              value: "3600"
            - name: KEYCLOAK_URL
              value: https://sso.example.com
            - name: SECRET_FILE
              value: /etc/secret/x
            - name: PASSWORD_ENABLED
              value: "true"
            - name: API_TOKEN
              value: $(API_TOKEN_FROM_FILE)
            - name: DATABASE_URL
              value: postgres://app@db.shop.svc:5432/shop
"#,
        r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "worker", "namespace": "jobs"},
  "spec": {
    "containers": [{
      "name": "w",
      "image": "busybox:1.36",
      "env": [
        {"name": "ADMIN_PASSWORD", "value": "changeme"},
        {"name": "GITHUB_TOKEN", "value": "${GITHUB_TOKEN}"},
        {"name": "RETRIES", "value": 3}
      ]
    }]
  }
}"#,
    ],
    fail: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: web, namespace: shop}
spec:
  selector: {matchLabels: {app: web}}
  template:
    metadata: {labels: {app: web}}
    spec:
      initContainers:
        - name: migrate
          image: registry.example.io/shop/migrate:1.4.2
          env:
            - name: DATABASE_URL
              value: postgres://app:S3cr3tPa55@db.shop.svc:5432/shop # <-
      containers:
        - name: app
          image: registry.example.io/shop/web:1.4.2
          env:
            - name: AWS_ACCESS_KEY_ID
              value: AKIAZ3MSJV4WWQNJXK7Q # <-
            - name: DB_PASSWORD
              value: S3cr3tPa55 # <-
"#,
        r#"
apiVersion: batch/v1
kind: CronJob
metadata: {name: backup, namespace: ops}
spec:
  schedule: "0 3 * * *"
  jobTemplate:
    spec:
      template:
        spec:
          restartPolicy: OnFailure
          containers:
            - name: backup
              image: registry.example.io/ops/backup:2.0
              env:
                - {name: CONFIG_B64, value: "Z2l0aHViX3Rva2VuPWdocF80ZjhLZDlzTG0yUXc3WHoxUnQ1WWIzTmM2VmgwR2o4UGEyVWU="} # <-
"#,
        r#"{
  "apiVersion": "v1",
  "kind": "Pod",
  "metadata": {"name": "debug", "namespace": "ops"},
  "spec": {
    "containers": [{"name": "app", "image": "app:1"}],
    "ephemeralContainers": [{
      "name": "dbg",
      "image": "busybox:1.36",
      "env": [{"name": "SLACK_WEBHOOK", "value": "https://hooks.slack.com/services/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"}]
    }]
  }
}"#,
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: app}
spec:
  template:
    spec:
      containers:
      - name: app
        env:
        - name: SECRET_BLAH
          value: secretsquirrels # <-
"#,
    ],
}

impl Rule for CredentialInEnv {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if !WORKLOAD_KINDS.contains(&obj.kind()) {
            return;
        }
        let Some(spec) = pod_spec(obj) else {
            return;
        };
        for (list, c) in containers(spec) {
            for e in c.get("env").map(Node::items).unwrap_or_default() {
                if e.get("valueFrom").is_some() {
                    continue;
                }
                let (Some(name), Some(value_node)) =
                    (e.get("name").and_then(Node::as_str), e.get("value"))
                else {
                    continue;
                };
                let Some(value) = value_node.as_str() else {
                    continue;
                };
                let Some(d) = scan_pair(name, value) else {
                    continue;
                };
                let f = cx.report(
                    obj,
                    value_node,
                    format!(
                        "{} `{}` {} `{}` sets env `{name}` to a literal {}: anyone who can read the workload can read it",
                        obj.kind(),
                        obj.name(),
                        match list.field() {
                            "containers" => "container",
                            "initContainers" => "init container",
                            _ => "ephemeral container",
                        },
                        container_name(c),
                        d.describe(),
                    ),
                );
                if d.confidence == Confidence::Medium {
                    f.with_severity(Severity::Medium);
                }
            }
        }
    }
}
