use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a `kms` provider with `apiVersion: v2` that still sets `cachesize`.
    ///
    /// ## Why is this bad?
    /// `cachesize` (the number of cached data-encryption keys) exists only for KMS v1. KMS v2
    /// derives keys from a seed and has no such cache, and the validator rejects the field:
    /// `cachesize is not supported in v2`. The apiserver does not start (or keeps the old
    /// configuration on reload). This happens when a v1 config is moved to v2 by only changing
    /// `apiVersion`.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v2
    ///       name: my-kms-provider
    ///       endpoint: unix:///var/run/kms-provider.sock
    ///       cachesize: 100
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v2
    ///       name: my-kms-provider
    ///       endpoint: unix:///var/run/kms-provider.sock
    /// ```
    ///
    /// ## References
    /// - [Using a KMS provider for data encryption](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateKMSCacheSize`)
    pub struct KmsV2CacheSize;
    id: "ENC-009",
    title: "KMS v2 provider sets cachesize (rejected)",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Remove `cachesize` from KMS v2 providers.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms:
          apiVersion: v2
          name: kms-plugin
          endpoint: unix:///var/run/kms-plugin.sock
          timeout: 3s
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms:
          name: kms-v1
          endpoint: unix:///var/run/kms-plugin.sock
          cachesize: 100
      - kms: {apiVersion: v2, name: kms-v2, endpoint: "unix:///var/run/v2.sock", cachesize: ~}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - kms:
          apiVersion: v2
          name: my-kms-provider
          endpoint: unix:///var/run/kms.sock
          cachesize: 100 # <-
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"kms": {"apiVersion": "v2", "name": "p", "endpoint": "unix:///tmp/p.sock",
     "cachesize": 1000}}]}]} # <-
"#,
    ],
}

impl Rule for KmsV2CacheSize {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for kms in m.kms() {
            if kms.api_version() != "v2" {
                continue;
            }
            let Some(key) = kms.field_key("cachesize") else {
                continue;
            };
            cx.report(
                obj,
                key,
                format!(
                    "{} uses `apiVersion: v2` but sets `cachesize`: the apiserver rejects the file (`cachesize is not supported in v2`)",
                    kms.label()
                ),
            );
        }
    }
}
