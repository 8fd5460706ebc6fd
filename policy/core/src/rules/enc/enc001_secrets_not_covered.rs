use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `EncryptionConfiguration` in which no `resources[]` entry covers Secrets: none
    /// lists `secrets` (or `secrets.`), the core-group wildcard `*.`, or `*.*`.
    ///
    /// ## Why is this bad?
    /// Only the listed resources are encrypted. For any other resource the apiserver falls back to
    /// the implicit `identity` transformer, so Secrets are written to etcd in plaintext even though
    /// `--encryption-provider-config` is set. Anyone with etcd access or an etcd backup reads them.
    /// A file without any `resources` entry is also rejected (`at least one resources is required`).
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [configmaps]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets, configmaps]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/)
    /// - [EncryptionConfiguration (v1) reference](https://kubernetes.io/docs/reference/config-api/apiserver-config.v1/)
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/config.go` (`transformerFromOverrides` falls back to identity)
    /// - CIS Kubernetes Benchmark 1.2.28 "Ensure that encryption providers are appropriately configured"
    pub struct SecretsNotCovered;
    id: "ENC-001",
    title: "Encryption configuration does not cover Secrets",
    severity: Critical,
    area: EncryptionAtRest,
    cis: ["1.2.28"],
    peers: ["kube-bench 1.2.28", "KS C-0142", "KS C-0066"],
    remediation: "Add `secrets` to the `resources` list of an entry whose first provider is `kms` (v2).",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
    providers:
      - kms:
          apiVersion: v2
          name: kms-plugin
          endpoint: unix:///var/run/kms-plugin.sock
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["*.*"],
   "providers": [{"secretbox": {"keys": [{"name": "k1", "secret": "1z9wMNpT1cRfnY3mOA9tJJZkJqfqUCjYVq0Sx1Ag2Ww="}]}}]}]}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [configmaps, '*.']
    providers:
      - aescbc:
          keys:
            - name: key1
              secret: 1z9wMNpT1cRfnY3mOA9tJJZkJqfqUCjYVq0Sx1Ag2Ww=
"#,
        r#"
apiVersion: example.com/v1
kind: EncryptionConfiguration
spec: {}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources: # <-
  - resources: [configmaps, '*.apps']
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources: # <-
  - resources: [Secrets, secrets.apps]
    providers:
      - identity: {}
"#,
    ],
}

impl Rule for SecretsNotCovered {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        if m.secrets().is_some() {
            return;
        }
        let msg = if m.entries.is_empty() {
            format!(
                "{} has no `resources` entries: Secrets are stored in plaintext (and the apiserver rejects the file: `at least one resources is required`)",
                obj.kind()
            )
        } else {
            format!(
                "no `resources` entry of this {} lists `secrets`, `*.` or `*.*`: Secrets fall back to the implicit `identity` provider and are stored in plaintext in etcd",
                obj.kind()
            )
        };
        cx.report(obj, m.anchor(), msg);
    }
}
