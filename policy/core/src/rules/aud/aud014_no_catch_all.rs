use crate::k8s::audit::{decide, AuditPolicy, AuditRequest, Level, Target};
use crate::rules::aud::common::policy_label;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an audit policy that records nothing for "ordinary" requests: a request by an
    /// authenticated user on a resource the policy does not name (in a namespace it does not
    /// name) matches no rule, or matches a `level: None` rule. In practice: the policy does not
    /// end with a catch-all `- level: Metadata` (or higher) rule.
    ///
    /// ## Why is this bad?
    /// Without a catch-all, every resource the policy forgot, including those added later by
    /// CRDs and new API versions, falls through to the default level `None`. CIS 3.2.2: "For
    /// most requests, minimally logging at the Metadata level is recommended".
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources: [{group: "", resources: ["secrets"]}]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - CIS Kubernetes Benchmark 3.2.2
    pub struct NoCatchAll;
    id: "AUD-014",
    title: "Audit policy has no catch-all Metadata rule",
    severity: Low,
    area: Audit,
    cis: ["3.2.2"],
    peers: [],
    remediation: "End the policy with a catch-all `- level: Metadata` rule.",
    kinds: ["Policy"],
    pass: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: None\n    nonResourceURLs: [\"/healthz*\"]\n  - level: Metadata\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Request\n    userGroups: [\"system:authenticated\"]\n",
    ],
    fail: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: # <-\n  - level: Metadata\n    resources: [{group: \"\", resources: [\"secrets\"]}]\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n    resources: [{group: \"\"}, {group: apps}]\n  - level: None # <-\n",
    ],
}

impl Rule for NoCatchAll {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        if policy.rules.is_empty() {
            return;
        }
        let groups = ["system:authenticated"];
        let req = AuditRequest {
            user: "\u{0}other-user",
            groups: &groups,
            verb: "get",
            target: Target::Resource {
                namespace: "\u{0}other-namespace",
                group: "\u{0}other.example.com",
                resource: "\u{0}others",
                subresource: "",
                name: "\u{0}other-name",
            },
        };
        let d = decide(&policy, &req);
        if d.level != Level::None {
            return;
        }
        match d.rule.and_then(|i| policy.rule(i)) {
            Some(r) if r.level.is_none() => {}
            Some(r) => {
                cx.report(
                    obj,
                    r.level_at(),
                    format!(
                        "{} rule {} has `level: None` and catches requests to resources the policy does not name: most requests are not audited",
                        policy_label(obj),
                        r.index
                    ),
                );
            }
            None => {
                cx.report(
                    obj,
                    policy.rules_at(),
                    format!(
                        "{} has no catch-all rule at `Metadata` or higher: requests to resources it does not name get the default level None",
                        policy_label(obj)
                    ),
                );
            }
        }
    }
}
