//! The local KEK file: key-encryption keys that stand in for a KMS plugin, so that KMS v1 and v2
//! values can be written and read without a KMS.
//!
//! ```yaml
//! apiVersion: secrets-guard.io/v1alpha1   # optional
//! kind: LocalKMS                          # optional
//! providers:
//! - name: vault               # the `kms.name` of the EncryptionConfiguration provider
//!   keys:                     # the first key wraps new DEKs and seeds
//!   - id: kek-2025-01         # KMS v2 `keyID` (1 to 1024 bytes); picks the key on read
//!     secret: <base64 of 32 random bytes>   # the AES-256 KEK
//!     annotations:            # optional (KMS v2): written to EncryptedObject.annotations,
//!       rotation.kms.example.com: "3"   #   keys: DNS subdomains with a dot (no `/`)
//! ```
//!
//! Wrapping (the plugin's `Encrypt`): `nonce(12) ‖ AES-256-GCM(KEK, nonce, DEK or seed,
//! AAD = key id)` — the layout and AAD of the upstream KMS v2 mock plugin
//! (kubernetes/kms `internal/plugins/_mock`). On read, KMS v2 picks the key whose `id` equals
//! the object's `keyID`; KMS v1 values carry no key id, so every key of the provider is tried in
//! order.

use std::fmt;

use super::kmsv2;
use crate::yaml::{parse_documents, Limits, Node};

/// The `kind` of the file.
pub const KIND: &str = "LocalKMS";
/// KEK size: AES-256.
pub const KEK_SIZE: usize = 32;

/// One key-encryption key.
#[derive(Clone, PartialEq, Eq)]
pub struct Kek {
    pub id: String,
    pub secret: Vec<u8>,
    /// KMS v2 annotations, in file order.
    pub annotations: Vec<(String, Vec<u8>)>,
}

impl fmt::Debug for Kek {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Kek")
            .field("id", &self.id)
            .field("secret", &format_args!("<{} bytes>", self.secret.len()))
            .field("annotations", &self.annotations)
            .finish()
    }
}

/// The keys of one KMS provider.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KekProvider {
    pub name: String,
    /// Never empty; the first one wraps.
    pub keys: Vec<Kek>,
}

/// A parsed KEK file.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct KekFile {
    pub providers: Vec<KekProvider>,
}

/// An invalid KEK file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct KekError(pub String);

impl fmt::Display for KekError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

impl std::error::Error for KekError {}

impl KekFile {
    /// Parse and validate the YAML (or JSON) text.
    pub fn parse(text: &str) -> Result<KekFile, KekError> {
        let mut root = None;
        let mut error = None;
        parse_documents(text, &Limits::default(), |d| match d {
            Ok(doc) if root.is_none() && error.is_none() => root = Some(doc.root),
            Err(e) if root.is_none() && error.is_none() => {
                error = Some(KekError(format!("{}:{}: {}", e.line, e.column, e.message)))
            }
            _ => {}
        });
        if let Some(e) = error {
            return Err(e);
        }
        let root = root.ok_or_else(|| KekError("the KEK file is empty".into()))?;
        if let Some(kind) = root.get("kind").and_then(Node::as_str) {
            if kind != KIND {
                return Err(KekError(format!(
                    "kind is `{kind}`; a KEK file has `kind: {KIND}` or no kind"
                )));
            }
        }
        let providers = root
            .get("providers")
            .filter(|n| n.is_seq())
            .ok_or_else(|| KekError("the KEK file needs a `providers` list".into()))?;
        let mut file = KekFile::default();
        for (i, p) in providers.items().iter().enumerate() {
            let at = |m: String| KekError(format!("providers[{i}]: {m}"));
            let name = p
                .get("name")
                .and_then(Node::as_str)
                .filter(|s| !s.is_empty())
                .ok_or_else(|| at("`name` (the kms provider's name) is missing".into()))?;
            if file.provider(name).is_some() {
                return Err(at(format!("provider `{name}` is listed twice")));
            }
            let keys = p
                .get("keys")
                .map(Node::items)
                .filter(|k| !k.is_empty())
                .ok_or_else(|| at("`keys` must list at least one key".into()))?;
            let mut out = KekProvider {
                name: name.to_string(),
                keys: vec![],
            };
            for (j, k) in keys.iter().enumerate() {
                let at = |m: String| KekError(format!("providers[{i}].keys[{j}]: {m}"));
                let id = k
                    .get("id")
                    .and_then(Node::as_str)
                    .ok_or_else(|| at("`id` is missing".into()))?;
                kmsv2::validate_key_id(id).map_err(at)?;
                if out.keys.iter().any(|k| k.id == id) {
                    return Err(at(format!("key id `{id}` is listed twice")));
                }
                let secret = k
                    .get("secret")
                    .and_then(Node::as_str)
                    .ok_or_else(|| at("`secret` is missing".into()))?;
                let secret = crate::rules::enc::model::decode_key(secret)
                    .ok_or_else(|| at("`secret` is not valid base64".into()))?;
                if secret.len() != KEK_SIZE {
                    return Err(at(format!(
                        "`secret` is {} bytes; a KEK is {KEK_SIZE} bytes (AES-256)",
                        secret.len()
                    )));
                }
                let mut annotations = vec![];
                if let Some(a) = k.get("annotations").filter(|n| !n.is_null()) {
                    if !a.is_map() {
                        return Err(at("`annotations` must be a mapping".into()));
                    }
                    for e in a.entries() {
                        let key = e.key.as_scalar().unwrap_or_default();
                        let v = e.value.as_str().ok_or_else(|| {
                            at(format!("annotation `{key}` must have a string value"))
                        })?;
                        annotations.push((key.to_string(), v.as_bytes().to_vec()));
                    }
                    let refs: Vec<(&str, &[u8])> = annotations
                        .iter()
                        .map(|(k, v)| (k.as_str(), v.as_slice()))
                        .collect();
                    kmsv2::validate_annotations(&refs).map_err(at)?;
                }
                out.keys.push(Kek {
                    id: id.to_string(),
                    secret,
                    annotations,
                });
            }
            file.providers.push(out);
        }
        Ok(file)
    }

    /// The keys of the KMS provider named `name`.
    pub fn provider(&self, name: &str) -> Option<&KekProvider> {
        self.providers.iter().find(|p| p.name == name)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    const FILE: &str = "\
apiVersion: secrets-guard.io/v1alpha1
kind: LocalKMS
providers:
- name: vault
  keys:
  - id: kek-2
    secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=
    annotations: {rotation.kms.example.com: \"2\"}
  - id: kek-1
    secret: ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=
";

    #[test]
    fn parses() {
        let f = KekFile::parse(FILE).unwrap();
        let p = f.provider("vault").unwrap();
        assert_eq!(p.keys.len(), 2);
        assert_eq!(p.keys[0].id, "kek-2");
        assert_eq!(p.keys[0].secret, (0u8..32).collect::<Vec<_>>());
        assert_eq!(
            p.keys[0].annotations,
            vec![("rotation.kms.example.com".to_string(), b"2".to_vec())]
        );
        assert!(f.provider("other").is_none());
        assert!(!format!("{f:?}").contains("AAECAw"));
    }

    #[test]
    fn rejects() {
        let err = |t: &str| KekFile::parse(t).unwrap_err().to_string();
        assert_eq!(err(""), "the KEK file is empty");
        assert_eq!(
            err("kind: Secret\n"),
            "kind is `Secret`; a KEK file has `kind: LocalKMS` or no kind"
        );
        assert_eq!(
            err("providers: {}\n"),
            "the KEK file needs a `providers` list"
        );
        assert_eq!(
            err("providers: [{keys: []}]\n"),
            "providers[0]: `name` (the kms provider's name) is missing"
        );
        assert_eq!(
            err("providers: [{name: a, keys: []}]\n"),
            "providers[0]: `keys` must list at least one key"
        );
        assert_eq!(
            err("providers: [{name: a, keys: [{secret: eA==}]}]\n"),
            "providers[0].keys[0]: `id` is missing"
        );
        assert_eq!(
            err("providers: [{name: a, keys: [{id: k, secret: eA==}]}]\n"),
            "providers[0].keys[0]: `secret` is 1 bytes; a KEK is 32 bytes (AES-256)"
        );
        assert_eq!(
            err("providers: [{name: a, keys: [{id: k, secret: '%%'}]}]\n"),
            "providers[0].keys[0]: `secret` is not valid base64"
        );
        let dup = FILE.replace("id: kek-1", "id: kek-2");
        assert_eq!(
            err(&dup),
            "providers[0].keys[1]: key id `kek-2` is listed twice"
        );
        let bad = FILE.replace("rotation.kms.example.com", "Rotation");
        assert!(err(&bad).contains("not a fully qualified domain name"));
        let twice = format!("{FILE}- name: vault\n  keys: [{{id: x, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}}]\n");
        assert_eq!(
            err(&twice),
            "providers[1]: provider `vault` is listed twice"
        );
    }
}
