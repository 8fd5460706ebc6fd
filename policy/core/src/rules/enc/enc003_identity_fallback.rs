use super::model::{EncConfig, ProviderKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags `identity` listed after the first provider in the provider list that applies to
    /// Secrets (a read fallback).
    ///
    /// ## Why is this bad?
    /// Every provider in the list is tried when reading, so `identity` keeps plaintext Secrets in
    /// etcd readable. The docs allow this only "during initial migration": once all Secrets have
    /// been rewritten (`kubectl get secrets --all-namespaces -o json | kubectl replace -f -`) the
    /// fallback should go, so plaintext data planted in or left in etcd is not served, and a
    /// reordering mistake cannot make `identity` the write provider.
    ///
    /// ## Example
    /// ```yaml
    /// apiVersion: apiserver.config.k8s.io/v1
    /// kind: EncryptionConfiguration
    /// resources:
    ///   - resources: [secrets]
    ///     providers:
    ///       - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms.sock}
    ///       - identity: {}
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
    /// - [Encrypting Confidential Data at Rest: Ensure all relevant data are encrypted](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#ensure-all-secrets-are-encrypted)
    /// - kubernetes/apiserver `pkg/storage/value/encrypt/identity/identity.go`
    pub struct IdentityFallback;
    id: "ENC-003",
    title: "identity kept as a fallback provider for Secrets",
    severity: Low,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "After rewriting all Secrets with the new provider, remove `identity` from their provider list.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - kms: {apiVersion: v2, name: kms-plugin, endpoint: unix:///var/run/kms-plugin.sock}
  - resources: ['*.']
    providers:
      - aesgcm: {keys: [{name: k1, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}]}
      - identity: {}
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
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
    providers:
      - kms:
          name: my-kms-provider
          endpoint: unix:///var/run/kms.sock
      - identity: {} # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox:
          keys: [{name: key1, secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=}]
  - resources: [secrets]
    providers: [{identity: {}}] # <-
"#,
    ],
}

impl Rule for IdentityFallback {
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
        let write_kind = writer.kind().map(|k| k.key()).unwrap_or("?");
        for p in eff.providers.iter().skip(1) {
            if p.kind() != Some(ProviderKind::Identity) {
                continue;
            }
            cx.report(
                obj,
                p.anchor(),
                format!(
                    "`identity` at {} is a read fallback for secrets after `{write_kind}`: plaintext Secrets in etcd stay readable; remove it once all Secrets were rewritten",
                    p.path(),
                ),
            );
        }
    }
}
