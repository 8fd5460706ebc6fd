use super::model::{EncConfig, ProviderKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `aesgcm` as the effective write provider for Secrets (the first provider of the list
    /// that applies to `secrets`).
    ///
    /// ## Why is this bad?
    /// AES-GCM with a static key uses a random 96-bit nonce per write. The docs say the key "must
    /// be rotated every 200,000 writes" and rate it "not recommended for use except when an
    /// automated key rotation scheme is implemented": nonce reuse breaks both confidentiality and
    /// integrity. The key also sits in the file on the control-plane host. kube-bench and
    /// Kubescape do not accept `aesgcm` as an appropriate provider either.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - aesgcm:
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
    /// - [Encrypting Confidential Data at Rest: Available providers](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#providers)
    /// - kubernetes/apiserver `pkg/storage/value/encrypt/aes/aes.go`
    pub struct AesGcmWriteProvider;
    id: "ENC-004",
    title: "aesgcm encrypts Secrets (needs rotation every 200k writes)",
    severity: Medium,
    area: EncryptionAtRest,
    cis: [],
    peers: ["kube-bench 1.2.28", "KS C-0142"],
    remediation: "Use the `kms` v2 provider (or `secretbox`) as the first provider for `secrets`, or automate aesgcm key rotation.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox:
          keys: [{name: key1, secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=}]
      - aesgcm:
          keys: [{name: key1, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}]
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers: [{kms: {apiVersion: v2, name: p, endpoint: "unix:///kms.sock"}}]
  - resources: ['*.*']
    providers: [{aesgcm: {keys: [{name: key1, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}]}}]
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
      - aesgcm: # <-
          keys:
            - name: key1
              secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=
      - identity: {}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["*."],
   "providers": [{"aesgcm": {"keys": [{"name": "k1", "secret": "qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw="}]}}]}]}
"#,
    ],
}

impl Rule for AesGcmWriteProvider {
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
        if writer.kind() != Some(ProviderKind::AesGcm) {
            return;
        }
        cx.report(
            obj,
            writer.anchor(),
            format!(
                "`aesgcm` encrypts secrets (first provider of {}): with static keys it must be rotated every 200,000 writes, which the docs recommend only with automated rotation",
                eff.describe_entries()
            ),
        );
    }
}
