use crate::k8s::audit::{outcomes, AuditPolicy, Level, RequestClass};
use crate::rules::aud::aud004_exec_proxy_unaudited::CLASSES as STREAMING;
use crate::rules::aud::common::{policy_label, CORE};
use crate::rules::prelude::*;

const TOKEN: RequestClass<'static> =
    RequestClass::sub(CORE, "serviceaccounts", "token", true, &["create"]);

declare_rule! {
    /// ## What it does
    /// Flags a rule that lists `pods`, `services`, `nodes` or `serviceaccounts` (core group) at
    /// `Metadata` or higher, does not list their sensitive subresources (`pods/exec`,
    /// `pods/attach`, `pods/portforward`, `pods/proxy`, `services/proxy`, `nodes/proxy`,
    /// `serviceaccounts/token`), and those subresources then match no rule of the policy.
    ///
    /// ## Why is this bad?
    /// "Resource `pods` doesn't match requests to any subresource of pods": a policy that audits
    /// `pods` looks like it covers `kubectl exec`, but exec, attach, port-forward, proxy and token
    /// requests fall through to the default level `None` and leave no trace. Use `pods/*`,
    /// `*/exec` or list the subresources.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: RequestResponse
    ///     resources:
    ///       - group: ""
    ///         resources: ["pods"]
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: RequestResponse
    ///     resources:
    ///       - group: ""
    ///         resources: ["pods", "pods/*"]
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing: audit policy example](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go` (`ruleMatchesResource`)
    pub struct SubresourcesNotCovered;
    id: "AUD-012",
    title: "Audit rule for a resource does not cover its subresources",
    severity: Medium,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Add `pods/*` (or the subresources) next to `pods`, or end the policy with a catch-all `- level: Metadata`.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: ""
        resources: ["pods"]
  - level: Metadata
    resources:
      - group: ""
        resources: ["pods/log", "pods/status"]
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["pods", "*/exec", "*/attach", "*/portforward", "*/proxy"]}]
  - level: None
    resources: [{group: "", resources: ["nodes"]}]
"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: RequestResponse
    resources:
      - group: ""
        resources:
          - "pods" # <-
          - "secrets"
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["pods/exec", "services"]}] # <-
  - level: Metadata
    resources: [{group: "", resources: ["serviceaccounts"]}] # <-
"#,
    ],
}

impl Rule for SubresourcesNotCovered {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        let mut uncovered: Vec<RequestClass<'static>> = vec![];
        for class in STREAMING.iter().chain([&TOKEN]) {
            if outcomes(&policy, class).iter().any(|o| o.rule.is_none()) {
                uncovered.push(*class);
            }
        }
        if uncovered.is_empty() {
            return;
        }
        for rule in &policy.rules {
            if rule.level.is_none_or(|l| l == Level::None) {
                continue;
            }
            for gr in rule.resources.iter().filter(|gr| gr.group.is_empty()) {
                for (res, node) in &gr.resources {
                    let missing: Vec<String> = uncovered
                        .iter()
                        .filter(|c| c.resource == *res)
                        .filter(|c| rule.entries_for(CORE, c.resource, c.subresource).is_empty())
                        .map(|c| format!("`{}`", c.display()))
                        .collect();
                    if missing.is_empty() {
                        continue;
                    }
                    cx.report(
                        obj,
                        node,
                        format!(
                            "{} rule {} lists `{res}`, which does not match its subresources: {} match no rule and are not audited",
                            policy_label(obj),
                            rule.index,
                            missing.join(", ")
                        ),
                    );
                }
            }
        }
    }
}
