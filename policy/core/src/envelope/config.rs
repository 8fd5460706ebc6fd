//! The providers an `EncryptionConfiguration` applies to one resource, with their keys, in the
//! order the apiserver tries them (kubernetes/apiserver `pkg/server/options/encryptionconfig`):
//! the resource's entry (exact name, then `*.<group>`, then `*.*`; entries naming the same
//! resource concatenated), its providers in file order, each provider's keys in file order. The
//! first provider's first key writes. No entry means the implicit `identity`.
//!
//! The file is read with the core's YAML loader and [`crate::rules::enc::model`], the model the
//! ENC rules use. Key secrets are decoded like Go's `base64.StdEncoding` and their sizes checked
//! (AES 16/24/32 bytes, secretbox 32), as the apiserver does at start-up.

use std::fmt;

use super::layout::Scheme;
use crate::rules::enc::model::{self, EncConfig, Kms, Provider as ModelProvider, ProviderKind};
use crate::yaml::{parse_documents, Limits, Node};

/// One key of an `aesgcm`, `aescbc` or `secretbox` provider.
#[derive(Clone, PartialEq, Eq)]
pub struct KeySpec {
    pub name: String,
    /// The decoded secret.
    pub secret: Vec<u8>,
}

impl fmt::Debug for KeySpec {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("KeySpec")
            .field("name", &self.name)
            .field("secret", &format_args!("<{} bytes>", self.secret.len()))
            .finish()
    }
}

/// What a provider element is.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ProviderSpec {
    /// Plaintext.
    Identity,
    /// `aesgcm`, `aescbc` or `secretbox` with its keys (at least one).
    Local { scheme: Scheme, keys: Vec<KeySpec> },
    /// A KMS provider: [`Scheme::KmsV1`] or [`Scheme::KmsV2`].
    Kms { scheme: Scheme, name: String },
}

impl ProviderSpec {
    /// The value prefix this provider reads and writes (empty for identity). For local-key
    /// providers this is the outer prefix; each key adds `<name>:`.
    pub fn prefix(&self) -> Vec<u8> {
        match self {
            ProviderSpec::Identity => vec![],
            ProviderSpec::Local { scheme, .. } => scheme.prefix().as_bytes().to_vec(),
            ProviderSpec::Kms { scheme, name } => super::layout::value_prefix(*scheme, name),
        }
    }

    /// `aescbc`, `kms v2 \`vault\``, `identity`.
    pub fn label(&self) -> String {
        match self {
            ProviderSpec::Identity => "identity".into(),
            ProviderSpec::Local { scheme, .. } => scheme.label().into(),
            ProviderSpec::Kms { scheme, name } => format!("{} `{name}`", scheme.label()),
        }
    }
}

/// A provider element and where it is in the file.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ProviderEntry {
    pub spec: ProviderSpec,
    /// `resources[0].providers[1]`, or `(implicit identity)`.
    pub location: String,
}

/// The providers that apply to one resource.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct ResourceProviders {
    /// `secrets`, `configmaps`, `widgets.example.com`.
    pub resource: String,
    /// In read order; the first writes. Never empty.
    pub providers: Vec<ProviderEntry>,
    /// No entry covers the resource: it is stored in plaintext.
    pub implicit_identity: bool,
    /// `resources[0]` or `resources[0] + resources[2], concatenated`.
    pub entries: String,
    /// The file's other usable providers (for hints when no prefix matches).
    pub others: Vec<ProviderEntry>,
}

impl ResourceProviders {
    /// The provider that writes.
    pub fn writer(&self) -> Option<&ProviderEntry> {
        self.providers.first()
    }
}

/// An unusable configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ConfigError {
    /// YAML syntax error.
    Syntax {
        line: u32,
        column: u32,
        message: String,
    },
    /// No document is an `EncryptionConfiguration`.
    NotFound,
    /// A provider the resource uses is invalid; `location` names it.
    Invalid { location: String, message: String },
}

impl fmt::Display for ConfigError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ConfigError::Syntax {
                line,
                column,
                message,
            } => write!(f, "{line}:{column}: {message}"),
            ConfigError::NotFound => write!(
                f,
                "no `kind: EncryptionConfiguration` (apiVersion: apiserver.config.k8s.io/v1) document found"
            ),
            ConfigError::Invalid { location, message } => write!(f, "{location}: {message}"),
        }
    }
}

impl std::error::Error for ConfigError {}

/// The providers `text` (an `EncryptionConfiguration`, possibly among other documents) applies
/// to `resource` in `group` (`""` for the core group, as for `secrets`).
pub fn providers_for(
    text: &str,
    group: &str,
    resource: &str,
) -> Result<ResourceProviders, ConfigError> {
    let mut result = None;
    let mut syntax = None;
    parse_documents(text, &Limits::default(), |d| {
        if result.is_some() {
            return;
        }
        match d {
            Err(e) => {
                if syntax.is_none() {
                    syntax = Some(ConfigError::Syntax {
                        line: e.line,
                        column: e.column,
                        message: e.message,
                    });
                }
            }
            Ok(doc) => {
                let kind = doc.root.get("kind").and_then(Node::as_str);
                let api = doc.root.get("apiVersion").and_then(Node::as_str);
                let recognised = (kind == Some(model::KIND) && api == Some(model::API_VERSION))
                    || (kind == Some(model::LEGACY_KIND) && api == Some("v1"));
                if recognised {
                    let m = EncConfig::parse(&doc.root);
                    result = Some(build(&m, group, resource));
                }
            }
        }
    });
    match (result, syntax) {
        (Some(r), _) => r,
        (None, Some(e)) => Err(e),
        (None, None) => Err(ConfigError::NotFound),
    }
}

fn build(m: &EncConfig<'_>, group: &str, resource: &str) -> Result<ResourceProviders, ConfigError> {
    let display = model::gr_string(resource, group);
    let Some(effective) = m.effective(group, resource) else {
        return Ok(ResourceProviders {
            resource: display,
            providers: vec![ProviderEntry {
                spec: ProviderSpec::Identity,
                location: "(implicit identity: no resources entry covers it)".into(),
            }],
            implicit_identity: true,
            entries: String::new(),
            others: m.providers().filter_map(|p| spec_of(p).ok()).collect(),
        });
    };
    let mut providers = vec![];
    for p in &effective.providers {
        providers.push(spec_of(p)?);
    }
    let used: Vec<(usize, usize)> = effective
        .providers
        .iter()
        .map(|p| (p.entry, p.index))
        .collect();
    let others = m
        .providers()
        .filter(|p| !used.contains(&(p.entry, p.index)))
        .filter_map(|p| spec_of(p).ok())
        .collect();
    if providers.is_empty() {
        return Err(ConfigError::Invalid {
            location: effective.describe_entries(),
            message: format!("no provider applies to `{display}`"),
        });
    }
    Ok(ResourceProviders {
        resource: display,
        providers,
        implicit_identity: false,
        entries: effective.describe_entries(),
        others,
    })
}

fn spec_of(p: &ModelProvider<'_>) -> Result<ProviderEntry, ConfigError> {
    let location = p.path();
    let invalid = |message: String| ConfigError::Invalid {
        location: location.clone(),
        message,
    };
    let t = p
        .effective()
        .ok_or_else(|| invalid("the provider element has no provider type".into()))?;
    let spec = match t.kind {
        ProviderKind::Identity => ProviderSpec::Identity,
        ProviderKind::AesGcm | ProviderKind::AesCbc | ProviderKind::Secretbox => {
            let scheme = match t.kind {
                ProviderKind::AesGcm => Scheme::AesGcm,
                ProviderKind::AesCbc => Scheme::AesCbc,
                _ => Scheme::Secretbox,
            };
            let mut keys = vec![];
            for (i, k) in t
                .value
                .get("keys")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
            {
                let at = |m: &str| invalid(format!("{}.keys[{i}]: {m}", t.kind.key()));
                let name = k
                    .get("name")
                    .and_then(model::string_value)
                    .filter(|n| !n.is_empty())
                    .ok_or_else(|| at("the key has no name"))?;
                let secret = k
                    .get("secret")
                    .and_then(model::string_value)
                    .ok_or_else(|| at(&format!("key `{name}` has no secret")))?;
                let bytes = model::decode_key(secret)
                    .ok_or_else(|| at(&format!("key `{name}`: the secret is not valid base64")))?;
                let sizes = t.kind.key_sizes();
                if !sizes.contains(&bytes.len()) {
                    let allowed: Vec<String> = sizes.iter().map(usize::to_string).collect();
                    return Err(at(&format!(
                        "key `{name}` is {} bytes; {} keys must be {} bytes",
                        bytes.len(),
                        t.kind.key(),
                        allowed.join(", ")
                    )));
                }
                keys.push(KeySpec {
                    name: name.to_string(),
                    secret: bytes,
                });
            }
            if keys.is_empty() {
                return Err(invalid(format!("{} provider has no keys", t.kind.key())));
            }
            ProviderSpec::Local { scheme, keys }
        }
        ProviderKind::Kms => {
            let kms = Kms {
                entry: p.entry,
                index: p.index,
                key: t.key,
                value: t.value,
            };
            let name = kms
                .name()
                .ok_or_else(|| invalid("kms provider has no name".into()))?;
            let scheme = match kms.api_version() {
                "v1" => Scheme::KmsV1,
                "v2" => {
                    if name.contains(':') {
                        return Err(invalid(format!(
                            "kms v2 provider name `{name}` must not contain `:`"
                        )));
                    }
                    Scheme::KmsV2
                }
                other => return Err(invalid(format!("kms apiVersion `{other}` is not v1 or v2"))),
            };
            ProviderSpec::Kms {
                scheme,
                name: name.to_string(),
            }
        }
    };
    Ok(ProviderEntry { spec, location })
}

/// Split `/registry/secrets/ns/name`-style etcd keys: the resource is the segment after the
/// prefix (`/registry` by default). `None` when the key does not look like one.
pub fn resource_of_etcd_key(key: &str) -> Option<&str> {
    let rest = key.strip_prefix("/registry/")?;
    let resource = rest.split('/').next()?;
    (!resource.is_empty()).then_some(resource)
}

#[cfg(test)]
mod tests {
    use super::*;

    const CONFIG: &str = "\
apiVersion: apiserver.config.k8s.io/v1
kind: EncryptionConfiguration
resources:
- resources: [secrets]
  providers:
  - aesgcm:
      keys:
      - {name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}
      - {name: key2, secret: dGhpcyBpcyBwYXNzd29yZA==}
  - kms: {apiVersion: v2, name: vault, endpoint: unix:///tmp/kms.sock}
  - identity: {}
- resources: [configmaps]
  providers:
  - secretbox:
      keys:
      - {name: key1, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}
";

    #[test]
    fn providers_in_read_order() {
        let r = providers_for(CONFIG, "", "secrets").unwrap();
        assert_eq!(r.resource, "secrets");
        assert_eq!(r.entries, "resources[0]");
        assert_eq!(r.providers.len(), 3);
        let ProviderSpec::Local { scheme, keys } = &r.providers[0].spec else {
            panic!()
        };
        assert_eq!(*scheme, Scheme::AesGcm);
        assert_eq!(keys[0].name, "key1");
        assert_eq!(keys[0].secret, b"secret is secure");
        assert_eq!(keys[1].secret, b"this is password");
        assert_eq!(
            r.providers[1].spec,
            ProviderSpec::Kms {
                scheme: Scheme::KmsV2,
                name: "vault".into()
            }
        );
        assert_eq!(r.providers[1].spec.prefix(), b"k8s:enc:kms:v2:vault:");
        assert_eq!(r.providers[2].location, "resources[0].providers[2]");
        assert_eq!(r.others.len(), 1);
        assert_eq!(r.others[0].location, "resources[1].providers[0]");
        // The secret never shows in Debug output.
        assert!(!format!("{:?}", r).contains("secret is secure"));
    }

    #[test]
    fn implicit_identity_and_errors() {
        let r = providers_for(CONFIG, "apps", "deployments").unwrap();
        assert!(r.implicit_identity);
        assert_eq!(r.providers[0].spec, ProviderSpec::Identity);
        assert_eq!(r.others.len(), 4);

        assert_eq!(
            providers_for("kind: Pod\n", "", "secrets"),
            Err(ConfigError::NotFound)
        );
        assert!(matches!(
            providers_for("a: [\n", "", "secrets"),
            Err(ConfigError::Syntax { .. })
        ));
        let bad = CONFIG.replace("c2VjcmV0IGlzIHNlY3VyZQ==", "c2hvcnQ=");
        assert_eq!(
            providers_for(&bad, "", "secrets").unwrap_err().to_string(),
            "resources[0].providers[0]: aesgcm.keys[0]: key `key1` is 5 bytes; aesgcm keys must be 16, 24, 32 bytes"
        );
        let bad = CONFIG.replace("c2VjcmV0IGlzIHNlY3VyZQ==", "not base64!");
        assert!(providers_for(&bad, "", "secrets")
            .unwrap_err()
            .to_string()
            .contains("not valid base64"));
        let bad = CONFIG.replace("name: vault", "name: 'va:ult'");
        assert!(providers_for(&bad, "", "secrets")
            .unwrap_err()
            .to_string()
            .contains("must not contain `:`"));
        // The broken configmaps provider does not matter for secrets.
        let other = CONFIG.replace("YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=", "eA==");
        assert_eq!(
            providers_for(&other, "", "secrets").unwrap().others.len(),
            0
        );
    }

    #[test]
    fn kms_v1_default_and_etcd_keys() {
        let c = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: ['*.*']\n  providers:\n  - kms: {name: 'old:kms', endpoint: unix:///k}\n";
        let r = providers_for(c, "", "secrets").unwrap();
        assert_eq!(r.providers[0].spec.prefix(), b"k8s:enc:kms:v1:old:kms:");
        assert_eq!(
            resource_of_etcd_key("/registry/secrets/ns/name"),
            Some("secrets")
        );
        assert_eq!(resource_of_etcd_key("/other/secrets/ns/name"), None);
    }
}
