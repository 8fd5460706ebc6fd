use crate::k8s::audit::{outcomes, AuditPolicy, Level};
use crate::rules::aud::common::{policy_label, SECRETS};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `omitStages` that contain `ResponseComplete`, either policy-wide or on a rule that
    /// decides some request on `secrets` (first match wins) at a level other than `None`.
    ///
    /// ## Why is this bad?
    /// `ResponseComplete` is the stage at which the apiserver records a finished request, with
    /// its response code. Omitting it means a completed Secret read produces no event (at most
    /// a `RequestReceived` one, which policies usually omit too), so reads of Secrets go
    /// unrecorded. The policy's `omitStages` is added to every rule's.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// omitStages: ["RequestReceived", "ResponseComplete"]
    /// rules:
    ///   - level: Metadata
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
    /// - [Auditing: audit policy and stages](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/#audit-policy)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/checker.go` (`unionStages`)
    pub struct ResponseCompleteOmitted;
    id: "AUD-010",
    title: "Audit policy omits the ResponseComplete stage",
    severity: Medium,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Remove `ResponseComplete` from `omitStages`; omit only `RequestReceived`.",
    kinds: ["Policy"],
    pass: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages: ["RequestReceived"]
rules:
  - level: Metadata
    resources: [{group: "", resources: ["secrets"]}]
  - level: Metadata
    resources: [{group: "", resources: ["events"]}]
    omitStages: ["ResponseComplete"]
  - level: None
    omitStages: ["ResponseComplete"]
"#,
        r#"{"apiVersion": "audit.k8s.io/v1", "kind": "Policy", "omitStages": ["RequestReceived", "Panic"], "rules": [{"level": "Metadata"}]}"#,
    ],
    fail: [
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
omitStages:
  - RequestReceived
  - ResponseComplete # <-
rules:
  - level: Metadata
"#,
        r#"
apiVersion: audit.k8s.io/v1
kind: Policy
rules:
  - level: Metadata
    resources: [{group: "", resources: ["configmaps"]}]
  - level: Metadata
    omitStages: [RequestReceived, ResponseComplete] # <-
"#,
    ],
}

impl Rule for ResponseCompleteOmitted {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(policy) = AuditPolicy::from_object(obj) else {
            return;
        };
        for (s, n) in &policy.omit_stages {
            if *s == "ResponseComplete" {
                cx.report(
                    obj,
                    n,
                    format!(
                        "{} omits `ResponseComplete` for every rule: completed requests, Secret reads included, produce no audit event",
                        policy_label(obj)
                    ),
                );
            }
        }
        for o in outcomes(&policy, &SECRETS) {
            let Some(rule) = o.rule.and_then(|i| policy.rule(i)) else {
                continue;
            };
            if rule.level.is_none_or(|l| l == Level::None) {
                continue;
            }
            for (s, n) in &rule.omit_stages {
                if *s == "ResponseComplete" {
                    cx.report(
                        obj,
                        n,
                        format!(
                            "{} rule {} omits `ResponseComplete` and decides {}: completed Secret requests produce no audit event",
                            policy_label(obj),
                            rule.index,
                            o.witness.describe(&SECRETS)
                        ),
                    );
                }
            }
        }
    }
}
