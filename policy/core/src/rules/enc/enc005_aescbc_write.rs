use super::model::{EncConfig, ProviderKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `aescbc` as the effective write provider for Secrets (the first provider of the list
    /// that applies to `secrets`).
    ///
    /// ## Why is this bad?
    /// The Kubernetes docs now rate `aescbc` "Weak" and "not recommended due to CBC's
    /// vulnerability to padding oracle attacks": the ciphertext is not authenticated. The key
    /// also sits in plain form in the file on the control-plane host. Note the conflict: the CIS
    /// Benchmark (1.2.28), kube-bench and Kubescape still accept `aescbc` as appropriate.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - aescbc:
    ///           keys: [{name: key1, secret: <base64 32 bytes>}]
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
    ///       - aescbc: # kept only to read old data until it is rewritten
    ///           keys: [{name: key1, secret: <base64 32 bytes>}]
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Available providers](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers)
    /// - kubernetes/apiserver `pkg/storage/value/encrypt/aes/aes.go` (`NewCBCTransformer`)
    pub struct AesCbcWriteProvider;
    id: "ENC-005",
    title: "aescbc encrypts Secrets (rated weak: padding oracle)",
    severity: Medium,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Use the `kms` v2 provider (or `secretbox`) as the first provider for `secrets`; keep `aescbc` after it only to read old data.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
      - aescbc:
          keys: [{name: key1, secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=}]
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [configmaps]
    providers:
      - aescbc:
          keys: [{name: key1, secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=}]
  - resources: [secrets]
    providers:
      - secretbox:
          keys: [{name: key1, secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=}]
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
      - aescbc: # <-
          keys:
            - name: key1
              secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=
      - identity: {}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ['*.*']
    providers:
      - {aescbc: {keys: [{name: key1, secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=}]}} # <-
"#,
    ],
}

impl Rule for AesCbcWriteProvider {
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
        if writer.kind() != Some(ProviderKind::AesCbc) {
            return;
        }
        cx.report(
            obj,
            writer.anchor(),
            format!(
                "`aescbc` encrypts secrets (first provider of {}): the docs rate it weak because unauthenticated CBC is open to padding oracle attacks",
                eff.describe_entries()
            ),
        );
    }
}
