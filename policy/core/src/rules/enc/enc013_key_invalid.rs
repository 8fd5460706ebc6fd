use super::model::{decode_key, EncConfig, ProviderKind};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aesgcm`, `aescbc` or `secretbox` key whose `secret` is missing, not valid
    /// base64 (standard alphabet, with padding), or does not decode to a valid key length:
    /// 16, 24 or 32 bytes for `aesgcm`/`aescbc`, exactly 32 bytes for `secretbox`.
    /// An `aescbc` key of 16 or 24 bytes is reported at `medium` severity: the validator accepts
    /// it, but the docs and the API reference require 32 bytes (AES-256) for AES-CBC.
    ///
    /// ## Why is this bad?
    /// The apiserver rejects the file (`secrets must be base64 encoded`, `secret is not of the
    /// expected length, got %d, expected one of %v`, `secret is a mandatory field for a key`) and
    /// does not start, or ignores the new file on reload. A common cause is a key generated
    /// with `head -c 32 /dev/urandom | base64 -w0` on one host and pasted with a line break or
    /// a missing `=`.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - secretbox:
    ///       keys:
    ///         - name: key1
    ///           secret: dGhpcyBpcyBwYXNzd29yZA   # no padding, 16 bytes
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - secretbox:
    ///       keys:
    ///         - name: key1
    ///           secret: <output of: head -c 32 /dev/urandom | base64>
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Generate the encryption key](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#generate-key-no-kms)
    /// - [EncryptionConfiguration (v1) reference: Key](https://kubernetes.io/docs/reference/config-api/apiserver-config.v1/#apiserver-config-k8s-io-v1-Key)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateKey`, `aesKeySizes`, `secretBoxKeySizes`)
    pub struct KeyInvalid;
    id: "ENC-013",
    title: "Encryption key is not base64 or has the wrong length",
    severity: High,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Generate keys with `head -c 32 /dev/urandom | base64` and paste them on one line.",
    kinds: ["EncryptionConfiguration", "EncryptionConfig"],
    pass: [
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox:
          keys:
            - name: key1
              secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=
      - aesgcm:
          keys:
            - name: key1
              secret: LQywfLdK0zrMa5QdkrUBRg==
            - name: key2
              secret: EkwlNIEW5+FFssAZFqH/5roeHsZm27+/
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"aescbc": {"keys": [{"name": "k1", "secret": "TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y="}]}}]}]}
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
      - secretbox:
          keys:
            - name: key1
              secret: LQywfLdK0zrMa5QdkrUBRg== # <-
            - name: key2
              secret: "mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU" # <-
            - name: key3
              secret: "not base64!" # <-
            - name: key4 # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - aescbc:
          keys:
            - {name: key1, secret: LQywfLdK0zrMa5QdkrUBRg==} # <-
            - {name: key2, secret: "c2hvcnQ="} # <-
"#,
    ],
}

impl Rule for KeyInvalid {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for key in m.keys() {
            let node = key.secret_node();
            let secret = node.and_then(Node::as_str).unwrap_or("");
            if secret.is_empty() {
                cx.report(
                    obj,
                    node.filter(|n| n.as_str().is_some()).unwrap_or(key.node),
                    format!(
                        "{} has no `secret`: the apiserver rejects the file (`secret is a mandatory field for a key`)",
                        key.label()
                    ),
                );
                continue;
            }
            let at = node.unwrap_or(key.node);
            let Some(bytes) = decode_key(secret) else {
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} `secret` is not valid base64 (standard alphabet with `=` padding): the apiserver rejects the file (`secrets must be base64 encoded`)",
                        key.label()
                    ),
                );
                continue;
            };
            let sizes = key.kind.key_sizes();
            let len = bytes.len();
            if !sizes.contains(&len) {
                let expected: Vec<String> = sizes.iter().map(|s| s.to_string()).collect();
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} decodes to {len} bytes: the apiserver rejects the file (`secret is not of the expected length, got {len}, expected one of [{}]`)",
                        key.label(),
                        expected.join(" ")
                    ),
                );
            } else if key.kind == ProviderKind::AesCbc && len != 32 {
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} is {len} bytes: the validator accepts it, but the docs require 32-byte (AES-256) keys for aescbc",
                        key.label()
                    ),
                )
                .with_severity(Severity::Medium);
            }
        }
    }
}
