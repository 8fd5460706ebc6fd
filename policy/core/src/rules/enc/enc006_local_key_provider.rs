use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an effective write provider for Secrets that keeps its key in the file
    /// (`aescbc`, `aesgcm` or `secretbox`) instead of a KMS.
    ///
    /// ## Why is this bad?
    /// The key that protects every Secret sits in plain form in the configuration file on each
    /// control-plane host ("key material accessible from control plane host"). Anyone who can read
    /// that file, or a backup of the host, can decrypt an etcd backup. The docs: "Storing the raw
    /// encryption key in the EncryptionConfig only moderately improves your security posture";
    /// a `kms` provider keeps the key-encryption key in an external KMS.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - secretbox:
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
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/) (caution on local keys)
    /// - [Using a KMS provider for data encryption](https://kubernetes.io/docs/tasks/administer-cluster/kms-provider/)
    pub struct LocalKeyProvider;
    id: "ENC-006",
    title: "Secrets encrypted with a key stored on the control plane",
    severity: Low,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Use a `kms` (apiVersion v2) provider so the key-encryption key stays in an external KMS.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
      - secretbox:
          keys: [{name: key1, secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=}]
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers: [{identity: {}}]
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
      - secretbox: # <-
          keys:
            - name: key1
              secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: ['*.']
    providers:
      - aesgcm: {keys: [{name: k1, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}]} # <-
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
"#,
    ],
}

impl Rule for LocalKeyProvider {
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
        let Some(kind) = writer.kind().filter(|k| k.uses_local_keys()) else {
            return;
        };
        cx.report(
            obj,
            writer.anchor(),
            format!(
                "secrets are encrypted by `{}` with a key stored in this file on the control-plane hosts: whoever reads the file can decrypt etcd backups; prefer a `kms` v2 provider",
                kind.key()
            ),
        );
    }
}
