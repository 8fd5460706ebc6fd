use crate::k8s::audit::AuditPolicy;
use crate::rules::aud::common::policy_label;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags rules with `nonResourceURLs` (such as `/healthz`, `/metrics`, `/version`) whose level
    /// is `Request` or `RequestResponse`.
    ///
    /// ## Why is this bad?
    /// Per the Auditing docs, `Request` and `RequestResponse` do not apply to non-resource
    /// requests: no body is logged for them. The rule does not do what its author
    /// expected (the events hold metadata only), which matters when reviewing what the audit log
    /// contains.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: RequestResponse
    ///     nonResourceURLs: ["/metrics"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     nonResourceURLs: ["/metrics"]
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy levels](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    pub struct BodiesOnNonResourceUrls;
    id: "AUD-013",
    title: "Request bodies cannot be logged for non-resource URLs",
    severity: Info,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Use `level: Metadata` for `nonResourceURLs` rules.",
    kinds: ["Policy"],
    pass: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n    nonResourceURLs: [\"/metrics\"]\n  - level: RequestResponse\n",
        "{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\", \"rules\": [{\"level\": \"None\", \"nonResourceURLs\": [\"/healthz*\"]}]}",
    ],
    fail: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: RequestResponse # <-\n    nonResourceURLs: [\"/metrics\"]\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - nonResourceURLs:\n      - \"/version\"\n    level: Request # <-\n",
    ],
}

impl Rule for BodiesOnNonResourceUrls {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        for rule in &policy.rules {
            let Some(level) = rule.level.filter(|l| l.logs_bodies()) else {
                continue;
            };
            if rule.non_resource_urls.is_empty() {
                continue;
            }
            cx.report(
                obj,
                rule.level_at(),
                format!(
                    "{} rule {} sets `level: {}` for non-resource URLs, but bodies are never logged for non-resource requests: the events hold metadata only",
                    policy_label(obj),
                    rule.index,
                    level.as_str(),
                ),
            );
        }
    }
}
