use crate::k8s::audit::{is_audit_policy, AUDIT_API_VERSION};
use crate::rules::aud::common::policy_label;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an audit `Policy` whose `apiVersion` is not `audit.k8s.io/v1`, such as
    /// `audit.k8s.io/v1beta1` or `audit.k8s.io/v1alpha1`.
    ///
    /// ## Why is this bad?
    /// The v1alpha1 and v1beta1 audit APIs were deprecated in 1.19 and removed in 1.24. Current
    /// apiservers accept only `audit.k8s.io/v1` and refuse to start with any other version
    /// (`unknown group version field ... in policy`), so the control plane does not come up, or,
    /// if the flag is dropped to get it running, nothing is audited.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1beta1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: audit.k8s.io/v1
    /// kind: Policy
    /// rules:
    ///   - level: Metadata
    /// ```
    ///
    /// ## References
    /// - [Auditing](https://kubernetes.io/docs/tasks/debug/debug-cluster/audit/)
    /// - kubernetes `staging/src/k8s.io/apiserver/pkg/audit/policy/reader.go`
    /// - kubernetes/kubernetes PR #98858 (audit v1alpha1/v1beta1 removal)
    pub struct PolicyApiVersion;
    id: "AUD-007",
    title: "Audit policy uses a removed API version",
    severity: High,
    area: Audit,
    cis: [],
    peers: [],
    remediation: "Use `apiVersion: audit.k8s.io/v1`.",
    kinds: ["Policy"],
    pass: [
        "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n",
        "{\"apiVersion\": \"policy.example.com/v1beta1\", \"kind\": \"Policy\", \"rules\": []}",
    ],
    fail: [
        "apiVersion: audit.k8s.io/v1beta1 # <-\nkind: Policy\nrules:\n  - level: Metadata\n",
        "{\"kind\": \"Policy\",\n \"apiVersion\": \"audit.k8s.io/v1alpha1\", # <-\n \"rules\": [{\"level\": \"Metadata\"}]}",
    ],
}

impl Rule for PolicyApiVersion {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        if !is_audit_policy(obj) || obj.api_version() == AUDIT_API_VERSION {
            return;
        }
        let Some(at) = obj.root.get("apiVersion") else {
            return;
        };
        cx.report(
            obj,
            at,
            format!(
                "{} uses `{}`: only `{AUDIT_API_VERSION}` is accepted since Kubernetes 1.24, so the apiserver refuses to load it",
                policy_label(obj),
                obj.api_version()
            ),
        )
        .with_fix(
            // v1alpha1 and v1beta1 Policies have the same fields as v1.
            Edit::replace_scalar(at, AUDIT_API_VERSION).map(|e| {
                Fix::new(format!("Use `apiVersion: {AUDIT_API_VERSION}`"), vec![e])
            }),
        );
    }
}

#[cfg(test)]
mod tests {
    use crate::{apply_fixes, evaluate, Settings};

    #[test]
    fn fixes() {
        let settings = Settings {
            enable: vec!["AUD-007".into()],
            ..Settings::default()
        };
        for (text, want) in [
            (
                "apiVersion: audit.k8s.io/v1beta1\nkind: Policy\nrules:\n  - level: Metadata\n",
                "apiVersion: audit.k8s.io/v1\nkind: Policy\nrules:\n  - level: Metadata\n",
            ),
            (
                r#"{"kind": "Policy", "apiVersion": "audit.k8s.io/v1alpha1", "rules": []}"#,
                r#"{"kind": "Policy", "apiVersion": "audit.k8s.io/v1", "rules": []}"#,
            ),
        ] {
            let report = evaluate(&[("p.yaml", text)], &settings);
            assert_eq!(apply_fixes(text, &report.findings).text, want);
        }
    }
}
