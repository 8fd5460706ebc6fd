use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags a KMS v1 provider (`apiVersion: v1` or none) with `cachesize: 0`. A negative
    /// `cachesize` is reported at `info` severity: it is valid but turns the DEK cache off.
    ///
    /// ## Why is this bad?
    /// `cachesize` is the number of data-encryption keys KMS v1 keeps decrypted in memory
    /// (default 1000). Zero is rejected: `cachesize should be a positive value, or negative to
    /// disable`, so the apiserver does not start. A negative value disables the cache, so every
    /// read of an encrypted object calls the KMS plugin, which is slow and makes the apiserver
    /// depend on the KMS for every read.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms:
    ///       apiVersion: v1
    ///       name: my-kms-provider
    ///       endpoint: unix:///var/run/kms-provider.sock
    ///       cachesize: 0
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
    /// - kubernetes/apiserver `pkg/apis/apiserver/v1/defaults.go` (`defaultCacheSize = 1000`)
    pub struct KmsCacheSizeZero;
    id: "ENC-010",
    title: "KMS v1 cachesize is 0 (rejected)",
    severity: Medium,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Remove `cachesize` (default 1000) or set a positive value; better, move to KMS v2.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
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
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-v2, endpoint: "unix:///var/run/v2.sock"}
      - kms: {apiVersion: v1, name: kms-v1, endpoint: "unix:///var/run/v1.sock"}
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
          name: my-kms-provider
          endpoint: unix:///var/run/kms.sock
          cachesize: 0 # <-
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"kms": {"apiVersion": "v1", "name": "p", "endpoint": "unix:///tmp/p.sock",
     "cachesize": -1}}]}]} # <-
"#,
    ],
}

impl Rule for KmsCacheSizeZero {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for kms in m.kms() {
            if kms.api_version() != "v1" {
                continue;
            }
            let Some(node) = kms.field("cachesize") else {
                continue;
            };
            match node.as_i64() {
                Some(0) => {
                    cx.report(
                        obj,
                        node,
                        format!(
                            "{} has `cachesize: 0`: the apiserver rejects the file (`cachesize should be a positive value, or negative to disable`)",
                            kms.label()
                        ),
                    );
                }
                Some(n) if n < 0 => {
                    cx.report(
                        obj,
                        node,
                        format!(
                            "{} has `cachesize: {n}`, which disables the DEK cache: every read of an encrypted object calls the KMS plugin",
                            kms.label()
                        ),
                    )
                    .with_severity(Severity::Info);
                }
                _ => {}
            }
        }
    }
}
