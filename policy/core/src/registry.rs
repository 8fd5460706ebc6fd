//! The rule registry: every rule, by stable id.

use std::sync::OnceLock;

use crate::rule::{Rule, RuleMeta};
use crate::rules;

/// Every rule, sorted by id.
pub fn rules() -> &'static [&'static dyn Rule] {
    static ALL: OnceLock<Vec<&'static dyn Rule>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static dyn Rule> = [
            rules::enc::RULES,
            rules::api::RULES,
            rules::rbac::RULES,
            rules::rbg::RULES,
            rules::aud::RULES,
            rules::wl::RULES,
            rules::obj::RULES,
        ]
        .concat();
        all.sort_by(|a, b| a.meta().id.cmp(b.meta().id));
        all
    })
}

/// The metadata of every documented rule, sorted by id: the manifest rules of [`rules`] and the
/// audit event rules of [`crate::audit_events::rules`] (which never run on manifests). For
/// `secrets-guard rules`, `explain` and the generated docs.
pub fn all_metas() -> &'static [&'static RuleMeta] {
    static ALL: OnceLock<Vec<&'static RuleMeta>> = OnceLock::new();
    ALL.get_or_init(|| {
        let mut all: Vec<&'static RuleMeta> = rules().iter().map(|r| r.meta()).collect();
        all.extend(crate::audit_events::rules::RULES.iter().copied());
        all.sort_by(|a, b| a.id.cmp(b.id));
        all
    })
}

/// The metadata of the documented rule with this id (case-insensitive), manifest or audit
/// event rule.
pub fn find_meta(id: &str) -> Option<&'static RuleMeta> {
    all_metas()
        .iter()
        .copied()
        .find(|m| m.id.eq_ignore_ascii_case(id))
}

/// Positions (in [`rules`]) of the per-object rules that look at `kind`.
///
/// A linear pass over the registry's kind lists (a few hundred short comparisons): cheaper, in a
/// fresh Wasm instance per admission request, than building a lookup table first.
pub fn rules_for_kind(kind: &str) -> impl Iterator<Item = usize> + '_ {
    rules()
        .iter()
        .enumerate()
        .filter(move |(_, r)| r.meta().kinds.contains(&kind))
        .map(|(i, _)| i)
}

/// Positions (in [`rules`]) of the cross-object rules.
pub fn cross_object_rules() -> &'static [usize] {
    static CROSS: OnceLock<Vec<usize>> = OnceLock::new();
    CROSS.get_or_init(|| {
        rules()
            .iter()
            .enumerate()
            .filter(|(_, r)| r.meta().is_cross_object())
            .map(|(i, _)| i)
            .collect()
    })
}

/// The rule with this id (case-insensitive).
pub fn find(id: &str) -> Option<&'static dyn Rule> {
    rules()
        .iter()
        .copied()
        .find(|r| r.meta().id.eq_ignore_ascii_case(id))
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::{evaluate, Settings};

    #[test]
    fn all_metas_holds_both_kinds_once() {
        let all = all_metas();
        assert_eq!(
            all.len(),
            rules().len() + crate::audit_events::rules::RULES.len()
        );
        for w in all.windows(2) {
            assert!(w[0].id < w[1].id, "{} {}", w[0].id, w[1].id);
        }
        assert_eq!(find_meta("aev-008").map(|m| m.id), Some("AEV-008"));
        assert_eq!(find_meta("RBG-004").map(|m| m.id), Some("RBG-004"));
        assert!(find("AEV-008").is_none());
    }

    /// Every documented rule, manifest and audit-event ones alike.
    #[test]
    fn ids_are_unique_and_well_formed() {
        let all = all_metas();
        assert_eq!(
            all.len(),
            rules().len() + crate::audit_events::rules::RULES.len()
        );
        for w in all.windows(2) {
            assert_ne!(w[0].id, w[1].id, "duplicate rule id");
        }
        for m in all {
            let (prefix, num) = m.id.split_once('-').expect("id has a dash");
            assert!(
                ["ENC", "API", "RBAC", "RBG", "AUD", "AEV", "WL", "OBJ"].contains(&prefix),
                "{}",
                m.id
            );
            assert_eq!(num.len(), 3, "{}", m.id);
            let doc = m.doc();
            for section in [
                "## What it does",
                "## Why is this bad?",
                "## Example",
                "## Use instead",
                "## References",
            ] {
                assert!(doc.contains(section), "{} doc lacks `{section}`", m.id);
            }
            assert!(
                !m.pass.is_empty() && !m.fail.is_empty(),
                "{} needs pass and fail cases",
                m.id
            );
            assert!(!m.remediation.is_empty(), "{}", m.id);
        }
    }

    /// Every rule's inline cases: silent on `pass`, fires on `fail` (on exactly the lines marked
    /// `# <-`, when some are marked).
    #[test]
    fn inline_cases() {
        let mut failures = vec![];
        for r in rules() {
            let m = r.meta();
            let settings = Settings {
                enable: vec![m.id.to_string()],
                ..Settings::default()
            };
            for (i, case) in m.pass.iter().enumerate() {
                let report = evaluate(&[("pass.yaml", case)], &settings);
                if !report.errors.is_empty() {
                    failures.push(format!(
                        "{} pass[{i}]: input errors {:?}",
                        m.id, report.errors
                    ));
                }
                let hits: Vec<_> = report.findings.iter().filter(|f| f.rule == m.id).collect();
                if !hits.is_empty() {
                    failures.push(format!(
                        "{} pass[{i}] fired: {:?}",
                        m.id,
                        hits.iter()
                            .map(|f| (f.line, &f.message))
                            .collect::<Vec<_>>()
                    ));
                }
            }
            for (i, case) in m.fail.iter().enumerate() {
                let report = evaluate(&[("fail.yaml", case)], &settings);
                if !report.errors.is_empty() {
                    failures.push(format!(
                        "{} fail[{i}]: input errors {:?}",
                        m.id, report.errors
                    ));
                }
                let mut lines: Vec<u32> = report
                    .findings
                    .iter()
                    .filter(|f| f.rule == m.id)
                    .map(|f| f.line)
                    .collect();
                lines.sort();
                lines.dedup();
                // Suggested fixes must leave a readable document that this rule reports less on.
                let fixed = crate::apply_fixes(case, &report.findings);
                if !fixed.applied.is_empty() {
                    let after = evaluate(&[("fail.yaml", &fixed.text)], &settings);
                    let before_n = report.findings.iter().filter(|f| f.rule == m.id).count();
                    let after_n = after.findings.iter().filter(|f| f.rule == m.id).count();
                    if !after.errors.is_empty() || after_n >= before_n {
                        failures.push(format!(
                            "{} fail[{i}]: fix gave errors {:?} or no fewer findings ({before_n} -> {after_n}):\n{}",
                            m.id, after.errors, fixed.text
                        ));
                    }
                }
                if lines.is_empty() {
                    failures.push(format!("{} fail[{i}] did not fire", m.id));
                    continue;
                }
                let marked: Vec<u32> = case
                    .lines()
                    .enumerate()
                    .filter(|(_, l)| l.trim_end().ends_with("# <-"))
                    .map(|(n, _)| n as u32 + 1)
                    .collect();
                if !marked.is_empty() && marked != lines {
                    failures.push(format!(
                        "{} fail[{i}]: reported lines {lines:?}, marked {marked:?}",
                        m.id
                    ));
                }
            }
        }
        assert!(
            failures.is_empty(),
            "{} case failures:\n{}",
            failures.len(),
            failures.join("\n")
        );
    }
}
