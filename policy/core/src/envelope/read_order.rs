//! Which provider (and key) kube-apiserver tries on a stored value, in which order, without any
//! cryptography: the crypto-free half of `TransformFromStorage` (kubernetes/apiserver
//! `pkg/storage/value/transformer.go`, `../shared/design/storage-formats.md` §1.3).
//!
//! Every provider of the resource, in config order, whose prefix the value starts with (a
//! byte-prefix test, no delimiter parsing) is a try; inside `aesgcm`/`aescbc`/`secretbox` every
//! key whose `<name>:` follows is one, and a provider whose prefix matched with none of its keys
//! is a "no matching key" failure. `identity` is a try only for values that do not start with
//! `k8s:enc:` (it refuses encrypted data, and that refusal is never reported). The first try
//! that decrypts wins; its value is stale when it is not the first provider or not the first key.
//!
//! The native read path (`rw::read`, feature `envelope-crypto`) and the playground (WebCrypto)
//! both walk [`tries`], so they find the same provider and key for the same value.

use super::config::{KeySpec, ProviderSpec, ResourceProviders};
use super::layout::{self, Scheme, ENCRYPTED_PREFIX};

/// What reads the value in one try, and the bytes after the prefixes it matched.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Reader<'a> {
    /// The value as it is (plaintext).
    Identity,
    /// An `aesgcm`, `aescbc` or `secretbox` key; `payload` follows `<prefix><key name>:`.
    Local {
        scheme: Scheme,
        key: &'a KeySpec,
        payload: &'a [u8],
    },
    /// A KMS provider ([`Scheme::KmsV1`] or [`Scheme::KmsV2`]); `payload` follows its prefix.
    Kms {
        scheme: Scheme,
        name: &'a str,
        payload: &'a [u8],
    },
}

/// One provider (and key) to try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Candidate<'a> {
    /// `resources[0].providers[1]`.
    pub location: &'a str,
    /// `aesgcm key \`key1\``, `kms v2 \`vault\``, `identity (plaintext)`.
    pub what: String,
    pub reader: Reader<'a>,
    /// Why the apiserver would rewrite the value if this try reads it (not the provider or key
    /// that writes); KMS key ids and modes add their own reasons once the KMS has answered.
    pub stale: Vec<String>,
}

/// One step of the read order.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Try<'a> {
    /// Try to decrypt with this candidate.
    Read(Candidate<'a>),
    /// The provider's prefix matched but none of its key names follows (upstream: "no matching
    /// key was found for the provided AES transformer").
    NoMatchingKey { location: &'a str, scheme: Scheme },
}

/// The tries for `value`, in the order the apiserver makes them. Empty means "no matching
/// prefix found" (see [`no_prefix_hint`]).
pub fn tries<'a>(providers: &'a ResourceProviders, value: &'a [u8]) -> Vec<Try<'a>> {
    let mut out = vec![];
    for (i, p) in providers.providers.iter().enumerate() {
        let prefix = p.spec.prefix();
        let Some(rest) = value.strip_prefix(prefix.as_slice()) else {
            continue;
        };
        let mut stale = vec![];
        if i != 0 {
            stale.push(format!(
                "read by {} ({}), not by the provider that writes ({})",
                p.location,
                p.spec.label(),
                providers.providers[0].location
            ));
        }
        let location = p.location.as_str();
        match &p.spec {
            ProviderSpec::Identity => {
                if !value.starts_with(ENCRYPTED_PREFIX) {
                    out.push(Try::Read(Candidate {
                        location,
                        what: "identity (plaintext)".into(),
                        reader: Reader::Identity,
                        stale,
                    }));
                }
            }
            ProviderSpec::Local { scheme, keys } => {
                let before = out.len();
                for (j, k) in keys.iter().enumerate() {
                    let Some(payload) = rest
                        .strip_prefix(k.name.as_bytes())
                        .and_then(|r| r.strip_prefix(b":"))
                    else {
                        continue;
                    };
                    let mut stale = stale.clone();
                    if j != 0 {
                        stale.push(format!(
                            "encrypted with key `{}`, not the first key `{}`",
                            k.name, keys[0].name
                        ));
                    }
                    out.push(Try::Read(Candidate {
                        location,
                        what: format!("{} key `{}`", scheme.label(), k.name),
                        reader: Reader::Local {
                            scheme: *scheme,
                            key: k,
                            payload,
                        },
                        stale,
                    }));
                }
                if out.len() == before {
                    out.push(Try::NoMatchingKey {
                        location,
                        scheme: *scheme,
                    });
                }
            }
            ProviderSpec::Kms { scheme, name } => out.push(Try::Read(Candidate {
                location,
                what: p.spec.label(),
                reader: Reader::Kms {
                    scheme: *scheme,
                    name,
                    payload: rest,
                },
                stale,
            })),
        }
    }
    out
}

/// What the value is, for "no matching prefix found among the providers of `<resource>`".
pub fn no_prefix_hint(providers: &ResourceProviders, value: &[u8]) -> String {
    for other in &providers.others {
        let prefix = other.spec.prefix();
        let Some(rest) = value.strip_prefix(prefix.as_slice()) else {
            continue;
        };
        let what = match &other.spec {
            ProviderSpec::Identity => continue,
            ProviderSpec::Local { scheme, keys } => {
                match keys
                    .iter()
                    .find(|k| rest.starts_with(format!("{}:", k.name).as_bytes()))
                {
                    Some(k) => format!("{} key `{}`", scheme.label(), k.name),
                    None => continue,
                }
            }
            ProviderSpec::Kms { .. } => other.spec.label(),
        };
        return format!(
            "the value was written by {} ({what}), which does not apply to `{}`",
            other.location, providers.resource
        );
    }
    match layout::split(value) {
        Ok(layout::EtcdValue::Plaintext(_)) => {
            "the value is not encrypted, and no identity provider reads plaintext".into()
        }
        Ok(layout::EtcdValue::Encrypted(e)) => format!(
            "the value is {} data with {} `{}`, which no provider has",
            e.scheme.label(),
            e.scheme.name_kind(),
            e.name
        ),
        Err(e) => e.to_string(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::envelope::config::providers_for;

    const CONFIG: &str = "\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aescbc:
      keys:
      - {name: new, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}
      - {name: old, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}
  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k}
  - identity: {}
- resources: [configmaps]
  providers:
  - aesgcm:
      keys:
      - {name: cm, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}
";

    fn whats(t: &[Try<'_>]) -> Vec<String> {
        t.iter()
            .map(|t| match t {
                Try::Read(c) => format!("{} {}", c.location, c.what),
                Try::NoMatchingKey { location, .. } => format!("{location} no key"),
            })
            .collect()
    }

    #[test]
    fn prefixes_keys_and_staleness_in_read_order() {
        let p = providers_for(CONFIG, "", "secrets").unwrap();
        let v = b"k8s:enc:aescbc:v1:old:0123456789abcdef";
        let t = tries(&p, v);
        assert_eq!(whats(&t), ["resources[0].providers[0] aescbc key `old`"]);
        let Try::Read(c) = &t[0] else { panic!() };
        assert_eq!(
            c.stale,
            ["encrypted with key `old`, not the first key `new`"]
        );
        let Reader::Local { payload, key, .. } = &c.reader else {
            panic!()
        };
        assert_eq!(
            (*payload, key.name.as_str()),
            (&b"0123456789abcdef"[..], "old")
        );

        // A key name no key has: "no matching key"; identity never reads k8s:enc: data.
        let t = tries(&p, b"k8s:enc:aescbc:v1:gone:xyz");
        assert_eq!(whats(&t), ["resources[0].providers[0] no key"]);

        let t = tries(&p, b"k8s:enc:kms:v2:vault:\x0a\x01x");
        assert_eq!(whats(&t), ["resources[0].providers[1] kms v2 `vault`"]);
        let Try::Read(c) = &t[0] else { panic!() };
        assert_eq!(c.stale.len(), 1);
        assert!(c.stale[0].starts_with("read by resources[0].providers[1] (kms v2 `vault`)"));

        let t = tries(&p, b"k8s\x00plain");
        assert_eq!(
            whats(&t),
            ["resources[0].providers[2] identity (plaintext)"]
        );
    }

    #[test]
    fn hints_when_no_prefix_matches() {
        let p = providers_for(CONFIG, "", "secrets").unwrap();
        let v = b"k8s:enc:aesgcm:v1:cm:abc";
        assert!(tries(&p, v).is_empty());
        assert_eq!(
            no_prefix_hint(&p, v),
            "the value was written by resources[1].providers[0] (aesgcm key `cm`), which does not apply to `secrets`"
        );
        assert_eq!(
            no_prefix_hint(&p, b"k8s:enc:secretbox:v1:k1:abc"),
            "the value is secretbox data with key name `k1`, which no provider has"
        );
        let only_aes = providers_for(CONFIG, "", "configmaps").unwrap();
        assert_eq!(
            no_prefix_hint(&only_aes, b"k8s\x00plain"),
            "the value is not encrypted, and no identity provider reads plaintext"
        );
    }
}
