use super::model::describe;
use crate::k8s::workload::{pod_spec, secret_uses};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a workload whose `metadata.namespace` is explicitly `default` and that consumes at
    /// least one Secret (volume, projected source, `env`, `envFrom` or `imagePullSecrets`).
    /// Manifests without `metadata.namespace` are not judged: they land in whatever namespace
    /// they are applied to (`kubectl apply -n`, Kustomize, Helm), which the manifest cannot tell.
    ///
    /// ## Why is this bad?
    /// The Secrets it uses live in `default` too, the namespace every user and tool falls back
    /// to, where RBAC is often broad and many unrelated workloads run. Anyone allowed to create
    /// Pods in `default` can mount those Secrets. Kubernetes advises against creating Secrets in
    /// the `default` namespace; a dedicated namespace lets RBAC and policies isolate them.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: billing, namespace: default}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apps/v1
    /// kind: Deployment
    /// metadata: {name: billing, namespace: billing}
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets](https://kubernetes.io/docs/concepts/security/secrets-good-practices/)
    /// - [Namespaces](https://kubernetes.io/docs/concepts/overview/working-with-objects/namespaces/)
    /// - Checkov `CKV_K8S_21`, Trivy `KSV-0110`, kube-linter `use-namespace`
    pub struct DefaultNamespaceSecrets;
    id: "WL-015",
    title: "Workload in the default namespace consumes Secrets",
    severity: Low,
    area: Workload,
    cis: [],
    peers: ["CKV_K8S_21", "KS C-0212", "TRV KSV-0110", "KL use-namespace"],
    remediation: "Move the workload and its Secrets to a dedicated namespace.",
    kinds: crate::k8s::workload::WORKLOAD_KINDS,
    pass: [
        r#"
apiVersion: apps/v1
kind: Deployment
metadata: {name: billing}
spec:
  selector: {matchLabels: {app: billing}}
  template:
    metadata: {labels: {app: billing}}
    spec:
      containers:
        - name: billing
          image: busybox
          envFrom: [{secretRef: {name: billing}}]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: plain, namespace: default}
spec:
  containers:
    - name: app
      image: busybox
      env: [{name: MODE, value: demo}]
  volumes:
    - {name: conf, configMap: {name: conf}}
"#,
    ],
    fail: [
        r#"
apiVersion: batch/v1
kind: CronJob
metadata:
  name: invoices
  namespace: default # <-
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
              env:
                - name: TOKEN
                  valueFrom: {secretKeyRef: {name: api-token, key: token}}
          containers: [{name: run, image: busybox}]
"#,
        r#"
apiVersion: v1
kind: Pod
metadata: {name: web, namespace: "default"} # <-
spec:
  imagePullSecrets: [{name: registry}]
  containers: [{name: web, image: registry.example/web:1}]
  volumes:
    - {name: tls, secret: {secretName: web-tls}}
"#,
    ],
}

impl Rule for DefaultNamespaceSecrets {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if obj.namespace() != "default" {
            return;
        }
        let Some(spec) = pod_spec(obj) else { return };
        let mut names: Vec<String> = vec![];
        for u in secret_uses(spec) {
            let n = format!("`{}`", u.name);
            if !names.contains(&n) {
                names.push(n);
            }
        }
        if names.is_empty() {
            return;
        }
        let Some(at) = obj.root.at(&["metadata", "namespace"]) else {
            return;
        };
        let plural = if names.len() == 1 { "" } else { "s" };
        cx.report(
            obj,
            at,
            format!(
                "{} runs in namespace `default` and consumes Secret{plural} {} from it, where every workload and user of the shared namespace can reach them",
                describe(obj),
                names.join(", "),
            ),
        );
    }
}
