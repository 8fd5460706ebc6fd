use crate::k8s::audit::{AuditPolicy, Level};
use crate::rules::aud::common::policy_label;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Recognises the audit policy sample of the official "Good practices for Kubernetes Secrets"
    /// page ("Enable audit logging for Secret access"): a rule with `level: RequestResponse` whose
    /// `resources` hold `group: ""` with exactly `resources: ["secrets"]`.
    ///
    /// ## Why is this bad?
    /// The sample is copied widely because it comes from kubernetes.io, but `RequestResponse`
    /// writes every Secret's `data` into the audit log: each `get`, `list` and `watch` response
    /// and each write. It contradicts CIS 3.2.2 ("Care should be taken to only log Metadata for
    /// requests to Secrets, ConfigMaps, and TokenReviews") and the example policy of the Auditing
    /// page, which logs Secrets at `Metadata`. Reads are recorded just as well at `Metadata`.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: RequestResponse
    ///     resources:
    ///       - group: ""
    ///         resources: ["secrets"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: ["secrets"]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Good practices for Kubernetes Secrets: Enable audit logging for Secret access](https://kubernetes.io/docs/concepts/security/secrets-good-practices/#enable-audit-logging-for-secret-access)
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct GoodPracticesSample;
    id: "AUD-017",
    title: "Audit policy copies the docs sample that logs Secret bodies",
    severity: Critical,
    area: Audit,
    cis: ["3.2.2"],
    peers: [],
    remediation: "Use `level: Metadata` for `secrets`, as CIS 3.2.2 and the Auditing page's example do.",
    kinds: ["Policy"],
    pass: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n    resources:\n      - group: \"\"\n        resources: [\"secrets\"]\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse\n    resources:\n      - group: \"\"\n        resources: [\"pods\", \"secrets/status\"]\n",
    ],
    fail: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse # <-\n    resources:\n      - group: \"\"\n        resources: [\"secrets\"]\n",
        "{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\", \"rules\": [\n  {\"level\": \"Metadata\", \"nonResourceURLs\": [\"/healthz\"]},\n  {\"resources\": [{\"resources\": [\"secrets\"]}], \"level\": \"RequestResponse\"}]} # <-",
    ],
}

impl Rule for GoodPracticesSample {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        for rule in &policy.rules {
            if rule.level != Some(Level::RequestResponse) {
                continue;
            }
            let sample = rule.resources.iter().any(|gr| {
                gr.group.is_empty()
                    && gr.resource_names.is_empty()
                    && gr.resources.len() == 1
                    && gr.resources.iter().all(|(r, _)| *r == "secrets")
            });
            if sample {
                cx.report(
                    obj,
                    rule.level_at(),
                    format!(
                        "{} rule {} is the \"Good practices for Kubernetes Secrets\" sample (`level: RequestResponse` on `secrets`): it writes Secret values to the audit log, contrary to CIS 3.2.2; use `Metadata`",
                        policy_label(obj),
                        rule.index
                    ),
                );
            }
        }
    }
}
