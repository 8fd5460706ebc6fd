use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `kms` providers that use KMS v1: `apiVersion: v1`, or no `apiVersion` at all (the
    /// default is `v1`).
    ///
    /// ## Why is this bad?
    /// KMS v1 is deprecated since Kubernetes 1.28 and disabled by default since 1.29. On current
    /// apiservers the file is refused unless the deprecated feature gate is turned back on:
    /// `KMSv1 is deprecated and will only receive security updates going forward. Use KMSv2
    /// instead. Set --feature-gates=KMSv1=true to use the deprecated KMSv1 feature.` This applies
    /// to every `kms` provider in the file, also read-only fallbacks. KMS v2 is also much faster
    /// (one DEK seed per key rotation instead of a KMS call per write).
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - kms:
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
    ///       timeout: 3s
    /// ```
    ///
    /// ## References
    /// - [Using a KMS provider for data encryption](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/) (KMS v1 deprecation)
    /// - kubernetes/apiserver `pkg/apis/apiserver/v1/defaults.go` (`defaultAPIVersion = "v1"`)
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/config.go` (`kmsPrefixTransformer`, feature gate `KMSv1`)
    pub struct KmsV1;
    id: "ENC-007",
    title: "KMS provider uses the deprecated KMS v1 API",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Set `apiVersion: v2` on the `kms` provider (drop `cachesize`) and run a KMS v2 plugin.",
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
      - identity: {}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"kms": {"apiVersion": "v2", "name": "p", "endpoint": "unix:///tmp/p.sock"}}]}]}
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
      - kms: # <-
          name: my-kms-provider
          endpoint: unix:///var/run/kms.sock
          cachesize: 100
      - identity: {}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: new, endpoint: "unix:///var/run/new.sock"}
      - kms:
          apiVersion: v1 # <-
          name: old
          endpoint: unix:///var/run/old.sock
"#,
    ],
}

impl Rule for KmsV1 {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for kms in m.kms() {
            if kms.api_version() != "v1" {
                continue;
            }
            let explicit = kms
                .field("apiVersion")
                .filter(|n| n.as_str().is_some_and(|s| !s.is_empty()));
            let how = if explicit.is_some() {
                "uses `apiVersion: v1` (KMS v1), which is"
            } else {
                "has no `apiVersion`, so it defaults to KMS v1, which is"
            };
            cx.report(
                obj,
                explicit.unwrap_or(kms.key),
                format!(
                    "{} at {} {how} deprecated since 1.28 and disabled by default since 1.29: the apiserver refuses it unless `--feature-gates=KMSv1=true` is set; use `apiVersion: v2`",
                    kms.label(),
                    kms.path(),
                ),
            );
        }
    }
}
