use super::model::{EncConfig, ProviderKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `EncryptionConfiguration` whose **effective write provider** for Secrets is
    /// `identity`. The effective list is the one the apiserver uses: the entry naming `secrets`
    /// exactly, else `*.`, else `*.*`; entries that name `secrets` more than once are concatenated
    /// in file order. The first provider of that list encrypts every write.
    ///
    /// ## Why is this bad?
    /// "The first provider in the list is used to encrypt resources written into the storage", and
    /// `identity` means "plain text, in other words NO encryption". Secrets land in etcd and its
    /// backups unencrypted even though an encryption config is in place. kube-bench only looks at
    /// the last `providers:` block and Kubescape C-0142 passes as soon as a strong provider appears
    /// anywhere, so both miss this.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - identity: {}
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
    ///       - identity: {} # only while existing Secrets are rewritten, then remove
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Understanding the encryption at rest configuration](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#understanding-the-encryption-at-rest-configuration)
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/config.go` (`getTransformerOverridesAndKMSPluginProbes`, `transformerFromOverrides`)
    /// - CIS Kubernetes Benchmark 1.2.28 "Ensure that encryption providers are appropriately configured"
    pub struct IdentityWritesSecrets;
    id: "ENC-002",
    title: "Secrets are written with the identity (plaintext) provider",
    severity: Critical,
    area: EncryptionAtRest,
    cis: ["1.2.28"],
    peers: ["kube-bench 1.2.28", "KS C-0142"],
    remediation: "Move a real provider (`kms` v2, or `secretbox`/`aescbc`) before `identity` in the list that applies to `secrets`.",
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
      - identity: {}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox:
          keys: [{name: key1, secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=}]
  - resources: ['*.']
    providers:
      - identity: {}
"#,
    ],
    fail: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources:
      - secrets
      - configmaps
    providers:
      - identity: {} # <-
      - aesgcm:
          keys:
            - name: key1
              secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - identity: {} # <-
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: "unix:///var/run/kms-plugin.sock"}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["*.*"],
   "providers": [{"identity": {}}, {"secretbox": {"keys": [{"name": "k1", "secret": "mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU="}]}}]}]}
"#,
    ],
}

impl Rule for IdentityWritesSecrets {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        let Some(eff) = m.secrets() else {
            return;
        };
        let Some(writer) = eff.writer() else {
            return;
        };
        if writer.kind() != Some(ProviderKind::Identity) {
            return;
        }
        cx.report(
            obj,
            writer.anchor(),
            format!(
                "`identity` is the first provider for secrets (matched by {} in {}), so new and updated Secrets are written to etcd in plaintext",
                eff.describe_match("secrets", ""),
                eff.describe_entries(),
            ),
        );
    }
}
