//! The audit event rules AEV-001 to AEV-010 (catalog section A.6), one per file. Each file
//! declares the rule's documentation and metadata with [`declare_rule!`](crate::declare_rule)
//! (`input: AuditEvents`), exactly like the manifest rules, and holds its check: a function of
//! one event, or a type for rules that keep state across events. [`Analyzer`] runs them.
//!
//! These rules are not in [`crate::registry::rules`]: they read events, not objects, and never
//! run on manifests. [`crate::registry::all_metas`] lists both kinds for `secrets-guard rules`,
//! `explain` and the generated docs.
//!
//! Inline cases are JSON lines of events; a case may start with manifests (an audit Policy,
//! Pods, workloads) ended by a line `# events`. Lines ending in ` # <-` are the exact lines the
//! rule must report (the marker is removed before reading).
//!
//! [`Analyzer`]: super::Analyzer

use crate::audit_events::event::Event;
use crate::rule::RuleMeta;

pub mod aev001_secret_data_logged;
pub mod aev002_cluster_wide_secret_list;
pub mod aev003_secret_read_spree;
pub mod aev004_anonymous_secret_access;
pub mod aev005_forbidden_secret_burst;
pub mod aev006_token_minting;
pub mod aev007_impersonated_secret_access;
pub mod aev008_exec_into_secret_pod;
pub mod aev009_rbac_write_grants_secrets;
pub mod aev010_audit_level_mismatch;

pub use aev001_secret_data_logged::{aev_001, SecretDataLogged};
pub use aev002_cluster_wide_secret_list::{aev_002, ClusterWideSecretList};
pub use aev003_secret_read_spree::{Aev003, SecretReadSpree};
pub use aev004_anonymous_secret_access::{aev_004, AnonymousSecretAccess};
pub use aev005_forbidden_secret_burst::{Aev005, ForbiddenSecretBurst};
pub use aev006_token_minting::{aev_006, TokenMinting};
pub use aev007_impersonated_secret_access::{aev_007, ImpersonatedSecretAccess};
pub use aev008_exec_into_secret_pod::{Aev008, ExecIntoSecretPod};
pub use aev009_rbac_write_grants_secrets::{aev_009, RbacWriteGrantsSecrets};
pub use aev010_audit_level_mismatch::{
    Aev010, AuditLevelMismatch, GapKind, PolicyCheck, PolicyGap, MAX_GAPS,
};

/// Every audit event rule, by id.
pub static RULES: &[&RuleMeta] = &[
    &SecretDataLogged::META,
    &ClusterWideSecretList::META,
    &SecretReadSpree::META,
    &AnonymousSecretAccess::META,
    &ForbiddenSecretBurst::META,
    &TokenMinting::META,
    &ImpersonatedSecretAccess::META,
    &ExecIntoSecretPod::META,
    &RbacWriteGrantsSecrets::META,
    &AuditLevelMismatch::META,
];

/// The audit event rule with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static RuleMeta> {
    RULES
        .iter()
        .copied()
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

/// A finding of one analysis: its rule id and message.
pub type Hit = Option<(&'static str, String)>;

/// `status 200`, or `no status`.
pub(crate) fn outcome(e: &Event) -> String {
    e.code()
        .map_or_else(|| "no status".to_string(), |c| format!("status {c}"))
}

/// Not refused (no status counts as success).
pub(crate) fn succeeded(e: &Event) -> bool {
    e.code().is_none_or(|c| c < 400)
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::audit_events::{Analyzer, AuditContext, AuditSettings};

    /// The docs and ids of every rule (these included) are checked by the registry's
    /// `ids_are_unique_and_well_formed`; here, what makes these event rules.
    #[test]
    fn ids_sorted_and_event_only() {
        for w in RULES.windows(2) {
            assert!(w[0].id < w[1].id);
        }
        assert_eq!(RULES.len(), 10);
        for m in RULES {
            assert!(m.id.starts_with("AEV-"), "{}", m.id);
            assert_eq!(m.input, crate::rule::RuleInput::AuditEvents);
            assert!(!m.is_cross_object() && m.kinds.is_empty());
            assert!(m.explain().contains("- Looks at: audit events"));
            // Not a manifest rule.
            assert!(crate::registry::find(m.id).is_none());
        }
    }

    /// Run one inline case: (findings of `rule` as lines, marked lines).
    fn run_case(rule: &str, case: &str) -> (Vec<u64>, Vec<u64>) {
        let (manifests, events) = match case.split_once("\n# events\n") {
            Some((m, e)) => (m, e),
            None => ("", case),
        };
        let mut marked = vec![];
        let mut text = String::new();
        for (i, l) in events.lines().enumerate() {
            match l.strip_suffix(" # <-") {
                Some(l) => {
                    marked.push(i as u64 + 1);
                    text += l;
                }
                None => text += l,
            }
            text.push('\n');
        }
        let cx = AuditContext::from_sources(&[("case.yaml", manifests)]);
        assert!(cx.errors().is_empty(), "{rule}: {:?}", cx.errors());
        let mut a = Analyzer::with_context(AuditSettings::default(), cx);
        a.begin_source("case.log");
        a.feed(text.as_bytes());
        let r = a.finish();
        assert!(r.malformed.is_empty(), "{rule}: {:?}", r.malformed);
        let mut lines: Vec<u64> = r
            .findings
            .iter()
            .filter(|f| f.rule == rule)
            .map(|f| f.line)
            .collect();
        lines.dedup();
        (lines, marked)
    }

    #[test]
    fn inline_cases() {
        let mut failures = vec![];
        for m in RULES {
            for (i, case) in m.pass.iter().enumerate() {
                let (lines, _) = run_case(m.id, case);
                if !lines.is_empty() {
                    failures.push(format!("{} pass[{i}] fired on lines {lines:?}", m.id));
                }
            }
            for (i, case) in m.fail.iter().enumerate() {
                let (lines, marked) = run_case(m.id, case);
                if lines.is_empty() || lines != marked {
                    failures.push(format!(
                        "{} fail[{i}]: reported lines {lines:?}, marked {marked:?}",
                        m.id
                    ));
                }
            }
        }
        assert!(failures.is_empty(), "{}", failures.join("\n"));
    }

    /// Cut and byte-flipped events of the AEV-008 and AEV-010 cases, read with their manifests
    /// (a Policy, a workload), never panic.
    #[test]
    fn mangled_events_with_context_never_panic() {
        for m in [&ExecIntoSecretPod::META, &AuditLevelMismatch::META] {
            for case in m.fail {
                let (manifests, events) = case.split_once("\n# events\n").unwrap_or(("", case));
                let events = events.replace(" # <-", "");
                let bytes = events.as_bytes();
                for at in (0..bytes.len()).step_by(7) {
                    let mut flipped = bytes.to_vec();
                    flipped[at] ^= 0x20;
                    let cx = AuditContext::from_sources(&[("m.yaml", manifests)]);
                    let mut a = Analyzer::with_context(AuditSettings::default(), cx);
                    a.feed(&bytes[..at]);
                    a.feed(b"\n");
                    a.feed(&flipped);
                    let _ = a.finish();
                }
            }
        }
    }
}
