use super::model::{gr_string, EncConfig};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a resource listed in a `resources[]` entry after an earlier entry already registered
    /// a wildcard that covers it: `*.<group>` (`*.` for the core group) or `*.*`. A repeated
    /// wildcard is masked by its first occurrence too.
    ///
    /// ## Why is this bad?
    /// Entries are matched in order and a wildcard takes every resource it covers, so the later
    /// entry could never apply. The apiserver refuses such a file when it builds the transformers:
    /// `resource "secrets" is masked by earlier rule "*."`. The docs: overlapping wildcards "are
    /// not allowed since part of the configuration would be ineffective". Usually the author
    /// meant the later, more specific entry (e.g. KMS for `secrets`) to win: put specific entries
    /// first.
    ///
    /// ## Example
    /// ```yaml
    /// resources:
    ///   - resources: ["*."]
    ///     providers: [{identity: {}}]
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    ///   - resources: ["*."]
    ///     providers: [{identity: {}}]
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Understanding the encryption at rest configuration](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration)
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/config.go` (`getTransformerOverridesAndKMSPluginProbes`)
    pub struct ResourceMasked;
    id: "ENC-018",
    title: "Resource is masked by an earlier wildcard entry",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Order entries from specific to general: exact resources first, then `*.<group>`, then `*.*`.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
  - resources: ['*.apps']
    providers: [{identity: {}}]
  - resources: ['*.']
    providers: [{identity: {}}]
  - resources: ['*.*']
    providers: [{identity: {}}]
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["*.apps"], "providers": [{"identity": {}}]},
               {"resources": ["secrets"], "providers": [{"identity": {}}]}]}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - "*."
    providers:
      - identity: {}
  - resources:
      - secrets # <-
    providers:
      - kms:
          apiVersion: v2
          name: kms-plugin
          endpoint: unix:///var/run/kms-plugin.sock
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ["*.*"]
    providers: [{identity: {}}]
  - resources: [deployments.apps, "*.*"] # <-
    providers: [{identity: {}}]
  - resources: ["*.*"] # <-
    providers: [{identity: {}}]
"#,
    ],
}

impl Rule for ResourceMasked {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for masked in &m.masked {
            // A wildcard in the same list is ENC-017 (`validateResourceOverlap`).
            if masked.by_entry == masked.entry {
                continue;
            }
            let Some(r) = m.masked_name(masked) else {
                continue;
            };
            let rule = if masked.by_any_group {
                "*.*".to_string()
            } else {
                gr_string("*", r.group)
            };
            cx.report(
                obj,
                r.node,
                format!(
                    "`{}` in resources[{}] can never apply because resources[{}] already covers it with `{rule}`: the apiserver refuses the file (`resource {:?} is masked by earlier rule {:?}`)",
                    r.text,
                    masked.entry,
                    masked.by_entry,
                    r.display(),
                    rule
                ),
            );
        }
    }
}
