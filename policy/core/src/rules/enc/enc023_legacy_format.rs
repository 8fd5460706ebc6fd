use super::model::{API_VERSION, KIND, LEGACY_KIND};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags encryption configuration files in the legacy pre-1.13 format (`kind:
    /// EncryptionConfig` with `apiVersion: v1`), and files whose `kind`/`apiVersion` pair is
    /// neither that nor `apiserver.config.k8s.io/v1` `EncryptionConfiguration`, e.g.
    /// `apiserver.config.k8s.io/v1beta1`, `apiVersion: v1` with `kind: EncryptionConfiguration`,
    /// or `kind: EncryptionConfig` in `apiserver.config.k8s.io`.
    ///
    /// ## Why is this bad?
    /// The legacy format belongs to the alpha feature of Kubernetes before 1.13 (used with
    /// `--experimental-encryption-provider-config`). Current apiservers still decode it for
    /// compatibility, but it is no longer documented and tools and reviewers expect the current
    /// format. A mixed or unknown `kind`/`apiVersion` is not registered at all: the apiserver
    /// cannot decode the file and does not start (reported at `high` severity).
    ///
    /// ## Example
    /// ```yaml
    /// kind: EncryptionConfig
    /// apiVersion: v1
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/)
    /// - [EncryptionConfiguration (v1) reference](https://kubernetes.io/docs/reference/config-api/apiserver-config.v1/)
    /// - kubernetes/apiserver `pkg/apis/apiserver/v1/register.go` (`EncryptionConfiguration` only in `apiserver.config.k8s.io/v1`; `EncryptionConfig` kept in `v1` "due to a docs bug")
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/testdata/valid-configs/legacy.yaml` (legacy format still decoded)
    pub struct LegacyFormat;
    id: "ENC-023",
    title: "Encryption configuration uses a legacy or unknown kind/apiVersion",
    severity: Medium,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Use `apiVersion: apiserver.config.k8s.io/v1` and `kind: EncryptionConfiguration`.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
"#,
        r#"
apiVersion: security.example.com/v1alpha1
kind: EncryptionConfig
metadata: {name: some-crd}
spec: {enabled: true}
"#,
    ],
    fail: [
        r#"
kind: EncryptionConfig # <-
apiVersion: v1
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1beta1 # <-
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers: [{identity: {}}]
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfig", # <-
 "resources": [{"resources": ["secrets"], "providers": [{"identity": {}}]}]}
"#,
    ],
}

impl Rule for LegacyFormat {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let kind_node = obj.root.get("kind").unwrap_or(&obj.root);
        let api_node = obj.root.get("apiVersion").unwrap_or(&obj.root);
        let api = obj.api_version();
        let group = obj.group();
        match obj.kind() {
            LEGACY_KIND if api == "v1" => {
                cx.report(
                    obj,
                    kind_node,
                    "`kind: EncryptionConfig` with `apiVersion: v1` is the legacy pre-1.13 format: still decoded for compatibility but undocumented; use `apiserver.config.k8s.io/v1` `EncryptionConfiguration`",
                )
                .with_fix(current_format(obj));
            }
            LEGACY_KIND if group == "apiserver.config.k8s.io" => {
                cx.report(
                    obj,
                    kind_node,
                    format!(
                        "`kind: EncryptionConfig` does not exist in `{api}`: the apiserver cannot decode the file; the kind is `EncryptionConfiguration`"
                    ),
                )
                .with_severity(Severity::High)
                .with_fix(current_format(obj));
            }
            KIND if api != API_VERSION
                && (group == "apiserver.config.k8s.io" || !api.contains('/')) =>
            {
                cx.report(
                    obj,
                    api_node,
                    format!(
                        "`{api}` has no `EncryptionConfiguration` kind: the apiserver cannot decode the file (only `{API_VERSION}` exists)"
                    ),
                )
                .with_severity(Severity::High);
            }
            _ => {}
        }
    }
}

/// The current `kind`/`apiVersion` pair: the legacy and the current format have the same
/// `resources` list, so only the header changes.
fn current_format(obj: &Object<'_>) -> Option<Fix> {
    let mut edits = vec![Edit::replace_scalar(obj.root.get("kind")?, KIND)?];
    if obj.api_version() != API_VERSION {
        edits.push(Edit::replace_scalar(
            obj.root.get("apiVersion")?,
            API_VERSION,
        )?);
    }
    Some(Fix::new(
        format!("Use `apiVersion: {API_VERSION}` and `kind: {KIND}`"),
        edits,
    ))
}

#[cfg(test)]
mod tests {
    use crate::{apply_fixes, evaluate, Settings};

    #[test]
    fn fixes() {
        let settings = Settings {
            enable: vec!["ENC-023".into()],
            ..Settings::default()
        };
        let legacy = "kind: EncryptionConfig\napiVersion: v1\nresources:\n  - resources: [secrets]\n    providers: [{identity: {}}]\n";
        let report = evaluate(&[("e.yaml", legacy)], &settings);
        assert_eq!(
            apply_fixes(legacy, &report.findings).text,
            "kind: EncryptionConfiguration\napiVersion: apiserver.config.k8s.io/v1\nresources:\n  - resources: [secrets]\n    providers: [{identity: {}}]\n"
        );
        // A wrong version of the current kind has no mechanical fix (is it a typo or a CRD?).
        let beta = "apiVersion: apiserver.config.k8s.io/v1beta1\nkind: EncryptionConfiguration\nresources: []\n";
        let report = evaluate(&[("e.yaml", beta)], &settings);
        assert!(report.findings[0].fix.is_none());
    }
}
