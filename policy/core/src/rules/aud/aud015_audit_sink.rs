use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `AuditSink` objects (`auditregistration.k8s.io`, "dynamic auditing").
    ///
    /// ## Why is this bad?
    /// `AuditSink` only ever existed as `auditregistration.k8s.io/v1alpha1`, behind the alpha
    /// `DynamicAuditing` feature gate, and was removed in Kubernetes 1.19 (there never was a `v1`
    /// or `v1beta1`). Applying one fails with "no matches for kind", so the webhook it describes
    /// receives no audit events at all. Its `spec.policy` also had no per-resource rules: a
    /// `level` there applied to every request, so `spec.policy.resources` never limited anything.
    /// And a webhook pointing at an in-cluster `Service` makes the apiserver depend on a workload
    /// it must itself admit: a circular dependency that loses events whenever that Pod is down.
    ///
    /// Besides the `apiVersion`, the rule points at `spec.policy.resources` (ignored) and at
    /// `spec.webhook.service` (circular dependency) when they are present.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: auditregistration.k8s.io/v1alpha1
    /// kind: AuditSink
    /// metadata:
    ///   name: my-audit-sink
    /// spec:
    ///   policy:
    ///     level: Metadata
    ///   webhook:
    ///     clientConfig:
    ///       url: https://audit.example.com/k8s
    /// ```
    ///
    /// ## Use instead
    /// A static policy file passed with `--audit-policy-file`, and the webhook backend configured
    /// with `--audit-webhook-config-file` (a kubeconfig with the server URL, CA and client
    /// credentials):
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets", "configmaps"]}]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: webhook backend](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#webhook-backend)
    /// - kubernetes/kubernetes PR #91502 (1.19: "`auditregistration.k8s.io/v1alpha1` API have been removed")
    /// - kubernetes/website PR #22544 (dynamic audit docs removed)
    pub struct AuditSinkRemoved;
    id: "AUD-015",
    title: "AuditSink (dynamic audit) no longer exists",
    severity: High,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Use a static `audit.k8s.io/v1` Policy (`--audit-policy-file`) with the webhook backend (`--audit-webhook-config-file`).",
    kinds: ["AuditSink"],
    pass: [
        "apiVersion: audit.example.com/v1\nkind: AuditSink\nmetadata: {name: custom-crd}\nspec: {}\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n",
    ],
    fail: [
        "apiVersion: auditregistration.k8s.io/v1alpha1 # <-\nkind: AuditSink\nmetadata: {name: sink}\nspec:\n  policy: {level: Metadata}\n",
        "{\"kind\": \"AuditSink\",\n \"apiVersion\": \"auditregistration.k8s.io/v1beta1\", # <-\n \"metadata\": {\"name\": \"sink\"}}",
        r#"
apiVersion: auditregistration.k8s.io/v1 # <-
kind: AuditSink
metadata:
  name: my-audit-sink
spec:
  webhook:
    service: # <-
      name: audit-service
      namespace: default
  policy:
    level: Metadata
    resources: # <-
      - group: ""
        resources: ["secrets"]
"#,
    ],
}

impl Rule for AuditSinkRemoved {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if obj.group() != "auditregistration.k8s.io" {
            return;
        }
        let Some(at) = obj.root.get("apiVersion") else {
            return;
        };
        let version = obj.api_version();
        let why = if version == "auditregistration.k8s.io/v1alpha1" {
            "`auditregistration.k8s.io/v1alpha1` was an alpha API (DynamicAuditing gate) removed in Kubernetes 1.19".to_string()
        } else {
            format!("`{version}` never existed: AuditSink was only ever `auditregistration.k8s.io/v1alpha1`, an alpha API removed in Kubernetes 1.19")
        };
        cx.report(
            obj,
            at,
            format!(
                "AuditSink `{}`: {why}; the apiserver rejects the object and nothing is sent to its webhook",
                obj.name()
            ),
        );
        if let Some(key) = obj
            .root
            .at(&["spec", "policy"])
            .and_then(|p| p.key_node("resources"))
        {
            cx.report(
                obj,
                key,
                "AuditSink policies had no per-resource rules (only `level` and `stages`): `resources` was never honoured, so the level applied to every request",
            );
        }
        let webhook = obj.root.at(&["spec", "webhook"]);
        let service = webhook.and_then(|w| w.key_node("service")).or_else(|| {
            webhook
                .and_then(|w| w.get("clientConfig"))
                .and_then(|c| c.key_node("service"))
        });
        if let Some(key) = service {
            cx.report(
                obj,
                key,
                "the audit webhook targets an in-cluster Service: the apiserver would depend on a Pod it must itself admit (a circular dependency that drops events when that Pod is down); use a URL reachable from the control plane",
            );
        }
    }
}
