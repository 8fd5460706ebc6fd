use crate::k8s::audit::is_audit_policy;
use crate::rules::aud::common::policy_label;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an audit `Policy` with no `rules`, an empty `rules` list or `rules: null`.
    ///
    /// ## Why is this bad?
    /// "A policy with no (0) rules is treated as illegal": the apiserver refuses to start
    /// (`loaded illegal policy with 0 rules`). If the flag is removed to get the control plane up,
    /// nothing is audited at all.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// omitStages: ["RequestReceived"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// omitStages: ["RequestReceived"]
    /// rules:
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/reader.go`
    pub struct PolicyWithoutRules;
    id: "AUD-008",
    title: "Audit policy has no rules",
    severity: High,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Add rules, ending with a catch-all `- level: Metadata`.",
    kinds: ["Policy"],
    pass: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n",
        "{\"apiVersion\": \"audit.k8s.io/v1\", \"kind\": \"Policy\", \"rules\": [{\"level\": \"None\"}]}",
    ],
    fail: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: [] # <-\n",
        "apiVersion: audit.k8s.io/v1 # <-\nkind: Policy\nomitStages: [RequestReceived]\n",
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules: # <-\n",
    ],
}

impl Rule for PolicyWithoutRules {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if !is_audit_policy(obj) {
            return;
        }
        match obj.root.entry("rules") {
            None => {
                cx.report(
                    obj,
                    &obj.root,
                    format!(
                        "{} has no `rules`: the apiserver rejects a policy with 0 rules",
                        policy_label(obj)
                    ),
                );
            }
            Some(e) if e.value.is_null() || (e.value.is_seq() && e.value.items().is_empty()) => {
                cx.report(
                    obj,
                    &e.key,
                    format!(
                        "{} has an empty `rules` list: the apiserver rejects a policy with 0 rules",
                        policy_label(obj)
                    ),
                );
            }
            Some(_) => {}
        }
    }
}
