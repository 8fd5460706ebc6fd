//! Audit policy (catalog section A.5): the `audit.k8s.io` `Policy` given to
//! `--audit-policy-file`, evaluated with [`crate::k8s::audit`], and the removed `AuditSink`.
//!
//! AUD-016 (audit webhook kubeconfig) is not here: it needs the `--audit-webhook-config-file`
//! flag and the kubeconfig file together.

use crate::rule::Rule;

mod common;

mod aud001_secret_bodies_logged;
mod aud002_credential_bodies_logged;
mod aud003_secret_reads_unaudited;
mod aud004_exec_proxy_unaudited;
mod aud005_workload_writes_unaudited;
mod aud006_escalation_unaudited;
mod aud007_policy_api_version;
mod aud008_policy_without_rules;
mod aud009_policy_schema;
mod aud010_response_complete_omitted;
mod aud011_secret_rule_names_only;
mod aud012_subresources_not_covered;
mod aud013_bodies_on_non_resource_urls;
mod aud014_no_catch_all;
mod aud015_audit_sink;
mod aud017_good_practices_sample;

pub use aud001_secret_bodies_logged::SecretBodiesLogged;
pub use aud002_credential_bodies_logged::CredentialBodiesLogged;
pub use aud003_secret_reads_unaudited::SecretReadsUnaudited;
pub use aud004_exec_proxy_unaudited::ExecProxyUnaudited;
pub use aud005_workload_writes_unaudited::WorkloadWritesUnaudited;
pub use aud006_escalation_unaudited::EscalationUnaudited;
pub use aud007_policy_api_version::PolicyApiVersion;
pub use aud008_policy_without_rules::PolicyWithoutRules;
pub use aud009_policy_schema::PolicySchema;
pub use aud010_response_complete_omitted::ResponseCompleteOmitted;
pub use aud011_secret_rule_names_only::SecretRuleNamesOnly;
pub use aud012_subresources_not_covered::SubresourcesNotCovered;
pub use aud013_bodies_on_non_resource_urls::BodiesOnNonResourceUrls;
pub use aud014_no_catch_all::NoCatchAll;
pub use aud015_audit_sink::AuditSinkRemoved;
pub use aud017_good_practices_sample::GoodPracticesSample;

pub static RULES: &[&dyn Rule] = &[
    &SecretBodiesLogged,
    &CredentialBodiesLogged,
    &SecretReadsUnaudited,
    &ExecProxyUnaudited,
    &WorkloadWritesUnaudited,
    &EscalationUnaudited,
    &PolicyApiVersion,
    &PolicyWithoutRules,
    &PolicySchema,
    &ResponseCompleteOmitted,
    &SecretRuleNamesOnly,
    &SubresourcesNotCovered,
    &BodiesOnNonResourceUrls,
    &NoCatchAll,
    &AuditSinkRemoved,
    &GoodPracticesSample,
];

#[cfg(test)]
mod tests {
    use crate::{evaluate, Settings};

    /// `/work/shared/seed/examples/3-audit-logging.yaml`, verbatim.
    const SEED: &str = r#"# From the seed article, section "Audit Logging" (indentation restored; content unchanged).
apiVersion: auditregistration.k8s.io/v1
kind: AuditSink
metadata:
  name: my-audit-sink
spec:
  webhook:
    url:
    service:
      name: audit-service
      namespace: default
    caBundle: <base64-encoded-ca-cert>
  policy:
    level: RequestResponse
    resources:
      - group: ""
        resources: ["secrets"]
"#;

    #[test]
    fn seed_audit_sink() {
        let report = evaluate(&[("3-audit-logging.yaml", SEED)], &Settings::default());
        assert!(report.errors.is_empty(), "{:?}", report.errors);
        let aud: Vec<(&str, u32)> = report
            .findings
            .iter()
            .filter(|f| f.rule.starts_with("AUD-"))
            .map(|f| (f.rule, f.line))
            .collect();
        assert!(aud.contains(&("AUD-015", 2)), "{aud:?}");
        assert!(aud.contains(&("AUD-001", 14)), "{aud:?}");
        let f015 = report.findings.iter().find(|f| f.rule == "AUD-015");
        assert!(f015.is_some_and(|f| f.message.contains("never existed")));
    }
}
