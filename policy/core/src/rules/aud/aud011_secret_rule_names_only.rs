use crate::k8s::audit::{outcomes, AuditPolicy, Level};
use crate::rules::aud::common::{policy_label, SECRETS};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a rule that audits `secrets` only for the names in `resourceNames` when requests for
    /// other Secrets match no rule at all.
    ///
    /// ## Why is this bad?
    /// `resourceNames` narrows the rule to those objects (and to requests that carry a name, so
    /// not a plain `list`). Every other Secret falls through to the default level `None`: the
    /// policy looks like it audits Secrets, but reads of all the others leave no trace.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    ///     resources:
    ///       - group: ""
    ///         resources: ["secrets"]
    ///         resourceNames: ["db-password"]
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
    /// - [Audit Policy configuration (v1): GroupResources](https://kubernetes.io/docs/reference/config-api/apiserver-audit.v1/#audit-k8s-io-v1-GroupResources)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go` (`ruleMatchesResource`)
    pub struct SecretRuleNamesOnly;
    id: "AUD-011",
    title: "Audit rule for Secrets is limited to named Secrets",
    severity: Medium,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Add a rule for all `secrets` (without `resourceNames`) or a catch-all `- level: Metadata`.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["secrets"]
        resourceNames: ["public-ca"]
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets"], resourceNames: ["a", "b"]}]
  - level: Metadata
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources:
      - group: ""
        resources: ["secrets"]
        resourceNames: ["db-password"] # <-
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["configmaps"]},
                {group: "", resources: ["secrets"], resourceNames: ["tls"]}] # <-
  - level: Metadata
    resources: [{group: "apps"}]
"#,
    ],
}

impl Rule for SecretRuleNamesOnly {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        let all = outcomes(&policy, &SECRETS);
        let Some(fallthrough) = all.iter().find(|o| o.rule.is_none()) else {
            return;
        };
        for rule in &policy.rules {
            if rule.level.is_none_or(|l| l == Level::None) {
                continue;
            }
            let entries = rule.entries_for("", "secrets", "");
            if entries.is_empty()
                || entries
                    .iter()
                    .any(|gr| gr.resources.is_empty() || gr.resource_names.is_empty())
            {
                continue;
            }
            let Some(gr) = entries.first() else { continue };
            let names: Vec<String> = gr
                .resource_names
                .iter()
                .take(5)
                .map(|(n, _)| format!("`{n}`"))
                .collect();
            let at = gr.node.key_node("resourceNames").unwrap_or(gr.node);
            cx.report(
                obj,
                at,
                format!(
                    "{} rule {} audits only the Secrets named {}: other Secrets match no rule (e.g. {}) and are not audited",
                    policy_label(obj),
                    rule.index,
                    names.join(", "),
                    fallthrough.witness.describe(&SECRETS)
                ),
            );
        }
    }
}
