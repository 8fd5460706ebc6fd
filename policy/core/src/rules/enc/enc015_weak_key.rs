use super::model::{decode_key, EncConfig};
use crate::rules::prelude::*;

declare_rule! {
    /// ## What it does
    /// Flags an `aesgcm`, `aescbc` or `secretbox` key that is publicly known or obviously not
    /// random:
    /// - a key from the Kubernetes documentation or upstream test fixtures, such as
    ///   `c2VjcmV0IGlzIHNlY3VyZQ==` ("secret is secure") or
    ///   `YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=` ("abcdef…123456");
    /// - a low-entropy key: all bytes equal, very few distinct bytes (at most a quarter of the
    ///   key length), or a counting sequence such as `00 01 02 …`;
    /// - a key that decodes to printable text (a passphrase rather than random bytes; reported at
    ///   `high` severity). 16 random bytes are all printable with a probability below 1 in 7
    ///   million.
    ///
    /// The message never repeats the key.
    ///
    /// ## Why is this bad?
    /// Encryption with a known or guessable key gives no confidentiality: anyone with an etcd
    /// backup decrypts every Secret. The docs' example key comes with "Do not use this for your
    /// own cluster!", yet such keys get copied into real configurations.
    ///
    /// ## Example
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys:
    ///         - name: key1
    ///           secret: c2VjcmV0IGlzIHNlY3VyZQ==
    /// ```
    ///
    /// ## Use instead
    /// ```yaml
    /// providers:
    ///   - aescbc:
    ///       keys:
    ///         - name: key1
    ///           secret: <output of: head -c 32 /dev/urandom | base64>
    /// ```
    ///
    /// ## References
    /// - [Encrypting Confidential Data at Rest: Generate the encryption key](https://kubernetes.io/docs/tasks/administer-cluster/encrypt-data/#generate-key-no-kms)
    /// - kubernetes/kubernetes `staging/src/k8s.io/apiserver/pkg/server/options/encryptionconfig/testdata/` (the fixture keys)
    pub struct WeakKey;
    id: "ENC-015",
    title: "Encryption key is publicly known or not random",
    severity: Critical,
    area: EncryptionAtRest,
    cis: [],
    peers: [],
    remediation: "Replace the key with 32 random bytes (`head -c 32 /dev/urandom | base64`), rotate, and rewrite all Secrets.",
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
"#,
        r#"{"apiVersion": "apiserver.config.k8s.io/v1", "kind": "EncryptionConfiguration",
 "resources": [{"resources": ["secrets"],
   "providers": [{"aescbc": {"keys": [{"name": "k1", "secret": "WSnwIxor8pmzM4h9GKsXNoipKFaE8fOReEvvKHRLoA8="}]}}]}]}
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
              secret: c2VjcmV0IGlzIHNlY3VyZQ== # <-
            - name: key2
              secret: dGhpcyBpcyBwYXNzd29yZA== # <-
      - secretbox:
          keys:
            - name: key1
              secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY= # <-
"#,
        r#"
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
  - resources: [secrets]
    providers:
      - secretbox:
          keys:
            - {name: zeros, secret: AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=} # <-
            - {name: counting, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=} # <-
            - {name: text, secret: bXkgdmVyeSBsb25nIGFuZCBzZWNyZXQgcGFzc3BocmFzZQ==} # <-
            - {name: random, secret: qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=}
"#,
    ],
}

/// Keys published in the Kubernetes docs (encrypt-data page) and upstream test fixtures.
const KNOWN_KEYS: &[&str] = &[
    "c2VjcmV0IGlzIHNlY3VyZQ==",
    "dGhpcyBpcyBwYXNzd29yZA==",
    "YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=",
    "c2VjcmV0IGlzIHNlY3VyZSwgb3IgaXMgaXQ/Cg==",
    "c2VjcmV0IGlzIHNlY3VyZSwgSSB0aGluaw==",
];

/// Why these key bytes are not random, if they are obviously not.
fn weakness(bytes: &[u8]) -> Option<(&'static str, Severity)> {
    if bytes.len() < 8 {
        return None;
    }
    let mut seen = [false; 256];
    for b in bytes {
        seen[usize::from(*b)] = true;
    }
    let distinct = seen.iter().filter(|s| **s).count();
    if distinct == 1 {
        return Some(("all its bytes are equal", Severity::Critical));
    }
    if distinct * 4 <= bytes.len() {
        return Some((
            "it has very few distinct byte values (low entropy)",
            Severity::Critical,
        ));
    }
    let step = bytes[1].wrapping_sub(bytes[0]);
    if bytes.windows(2).all(|w| w[1].wrapping_sub(w[0]) == step) {
        return Some((
            "its bytes form a counting sequence (low entropy)",
            Severity::Critical,
        ));
    }
    if bytes.iter().all(|b| (0x20..=0x7e).contains(b)) {
        return Some((
            "it decodes to printable text: a passphrase, not random key bytes",
            Severity::High,
        ));
    }
    None
}

impl Rule for WeakKey {
    rule_meta!();

    fn check(&self, obj: &Object<'_>, cx: &mut Ctx<'_>) {
        let Some(m) = EncConfig::of(obj) else {
            return;
        };
        for key in m.keys() {
            let Some(node) = key.secret_node() else {
                continue;
            };
            let Some(secret) = node.as_str() else {
                continue;
            };
            let trimmed: String = secret
                .chars()
                .filter(|c| *c != '\r' && *c != '\n')
                .collect();
            if KNOWN_KEYS.contains(&trimmed.as_str()) {
                cx.report(
                    obj,
                    node,
                    format!(
                        "{} is a key published in the Kubernetes documentation and test fixtures: anyone can decrypt data written with it",
                        key.label()
                    ),
                );
                continue;
            }
            let Some(bytes) = decode_key(secret) else {
                continue;
            };
            if let Some((why, severity)) = weakness(&bytes) {
                cx.report(
                    obj,
                    node,
                    format!(
                        "{} is not a random key: {why}; it can be guessed, so encryption with it protects nothing",
                        key.label()
                    ),
                )
                .with_severity(severity);
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weak_bytes() {
        assert!(weakness(&[7; 32]).is_some());
        assert!(weakness(&(0u8..32).collect::<Vec<_>>()).is_some());
        assert!(weakness(b"0123456789abcdef0123456789abcdef").is_some());
        assert!(weakness(&[1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2, 1, 2]).is_some());
        let random = decode_key("qvHOb6Z8Tk9GqQKDlNN3g+Omn906uIKB+q25ahqGGsw=").unwrap();
        assert!(weakness(&random).is_none());
        assert!(weakness(&[1, 2, 3]).is_none());
    }
}
