use super::model::EncConfig;
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aesgcm`, `aescbc` or `secretbox` provider with no keys, a key without a
    /// `name`, or two keys with the same `name` in one provider.
    ///
    /// ## Why is this bad?
    /// An empty key list and an empty name are rejected (`at least one keys is required`,
    /// `name is a mandatory field for a key`), so the apiserver does not start. Duplicate names
    /// are **not** caught by the validator, but every value is stored with the prefix
    /// `k8s:enc:<provider>:v1:<name>:`, and on read the first key with a matching prefix is
    /// tried: two keys with one name make rotation ambiguous, and data written with the other key
    /// cannot be decrypted.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys:
    ///         - name: key1
    ///           secret: <new key>
    ///         - name: key1
    ///           secret: <old key>
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys:
    ///         - name: key2
    ///           secret: <new key>
    ///         - name: key1
    ///           secret: <old key>
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Rotating a decryption key](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#rotating-a-decryption-key)
    /// - kubernetes/apiserver `pkg/apis/apiserver/validation/validation_encryption.go` (`validateKeys`, `validateKey`)
    /// - kubernetes/apiserver `pkg/server/options/encryptionconfig/config.go` (`aesPrefixTransformer`: prefix `name + ":"`)
    pub struct KeyListInvalid;
    id: "ENC-014",
    title: "Provider has no keys, an unnamed key or duplicate key names",
    severity: Medium,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Give every provider at least one key and every key a unique `name`.",
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
            - name: key2
              secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU=
            - name: key1
              secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=
      - aescbc:
          keys:
            - name: key1
              secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=
      - identity: {}
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"aesgcm": {"keys": [{"name": "k1", "secret": "qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw="}]}}]}]}
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
      - aescbc:
          keys:
            - name: key1
              secret: TWII//3hiz0ec7F/aTUOR5iyDy4ZkInIFTKIFKP0p+Y=
            - name: key1 # <-
              secret: WSnwIxor8pmzM4h9GKsXNoipKFaE8fOReEvvKHRLoA8=
            - secret: mfjs24hjcLwjI3o0CgP6n2CtLhMp2/j+C9nNducucHU= # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox: {} # <-
      - aesgcm:
          keys: [] # <-
"#,
    ],
}

impl Rule for KeyListInvalid {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for (p, t) in m.keyed() {
            let keys = t.value.get("keys").filter(|n| !n.is_null());
            if keys.map(Node::items).unwrap_or(&[]).is_empty() {
                let at = keys.and_then(|_| t.value.key_node("keys")).unwrap_or(t.key);
                cx.report(
                    obj,
                    at,
                    format!(
                        "`{}` provider at {} has no keys: the apiserver rejects the file (`at least one keys is required`)",
                        t.kind.key(),
                        p.path()
                    ),
                );
            }
        }
        let mut seen: Vec<((usize, usize, &str), &str)> = vec![];
        for key in m.keys() {
            let Some(name) = key.name() else {
                let at = key
                    .name_node()
                    .filter(|n| n.as_str().is_some())
                    .unwrap_or(key.node);
                cx.report(
                    obj,
                    at,
                    format!(
                        "{} key at {} has no `name`: the apiserver rejects the file (`name is a mandatory field for a key`)",
                        key.kind.key(),
                        key.path()
                    ),
                );
                continue;
            };
            let scope = (key.entry, key.provider, key.kind.key());
            if seen.iter().any(|(s, n)| *s == scope && *n == name) {
                cx.report(
                    obj,
                    key.name_node().unwrap_or(key.node),
                    format!(
                        "{} key name `{name}` is used twice in this provider: both keys write the prefix `{name}:`, so reads pick the first one and key rotation is ambiguous",
                        key.kind.key()
                    ),
                );
            } else {
                seen.push((scope, name));
            }
        }
    }
}
