//! A model of the `apiserver.config.k8s.io/v1` `EncryptionConfiguration` file (and the legacy
//! `v1` `EncryptionConfig`), shared by the ENC rules.
//!
//! It mirrors what kube-apiserver does with the file (kubernetes/apiserver
//! `pkg/server/options/encryptionconfig/config.go`):
//! - `resources[]` entries are read in file order. Each resource string is parsed like
//!   `schema.ParseGroupResource` (split at the first `.`: `secrets` and `secrets.` are the core
//!   group, `*.` is every core resource, `*.apps` every resource of `apps`, `*.*` everything).
//! - A resource is *masked* when an earlier `*.<group>` or `*.*` was already registered; the
//!   apiserver then refuses the file (`resource %q is masked by earlier rule %q`). Masked
//!   resources are not registered here, so the lookup below reflects the rules that take effect.
//! - The same exact resource in several entries gets the provider lists **concatenated** in file
//!   order, so the first entry's first provider writes.
//! - The transformer for a resource is the exact `resource.group` list, else `*.group`, else
//!   `*.*`, else the implicit `identity` (plaintext).
//!
//! Wrong types never panic: a resource that is not a string is skipped; a provider element that is
//! not a mapping has no provider type (ENC-016 reports it).

use crate::object::Object;
use crate::yaml::{Node, Style, Value};

/// The `kind`s the model reads (current and legacy).
pub const KIND: &str = "EncryptionConfiguration";
pub const LEGACY_KIND: &str = "EncryptionConfig";
pub const API_VERSION: &str = "apiserver.config.k8s.io/v1";

/// A provider type, in the order the apiserver's `prefixTransformersAndProbes` switch tests them
/// (the one it would use if an element held several).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ProviderKind {
    AesGcm,
    AesCbc,
    Secretbox,
    Kms,
    Identity,
}

impl ProviderKind {
    pub const ALL: [ProviderKind; 5] = [
        ProviderKind::AesGcm,
        ProviderKind::AesCbc,
        ProviderKind::Secretbox,
        ProviderKind::Kms,
        ProviderKind::Identity,
    ];

    /// The YAML key (case-sensitive, as the apiserver decodes it).
    pub fn key(self) -> &'static str {
        match self {
            ProviderKind::AesGcm => "aesgcm",
            ProviderKind::AesCbc => "aescbc",
            ProviderKind::Secretbox => "secretbox",
            ProviderKind::Kms => "kms",
            ProviderKind::Identity => "identity",
        }
    }

    pub fn from_key(key: &str) -> Option<ProviderKind> {
        ProviderKind::ALL.into_iter().find(|k| k.key() == key)
    }

    /// Providers whose key material sits in the file (`keys[].secret`).
    pub fn uses_local_keys(self) -> bool {
        matches!(
            self,
            ProviderKind::AesGcm | ProviderKind::AesCbc | ProviderKind::Secretbox
        )
    }

    /// Valid decoded key lengths (`aesKeySizes`, `secretBoxKeySizes` in the validator).
    pub fn key_sizes(self) -> &'static [usize] {
        match self {
            ProviderKind::AesGcm | ProviderKind::AesCbc => &[16, 24, 32],
            ProviderKind::Secretbox => &[32],
            ProviderKind::Kms | ProviderKind::Identity => &[],
        }
    }
}

/// One provider type key inside a `providers[]` element, with a non-null value.
#[derive(Debug, Clone, Copy)]
pub struct ProviderType<'n> {
    pub kind: ProviderKind,
    /// The key node (`identity`, `kms`, ...): findings about the provider point here.
    pub key: &'n Node<'n>,
    pub value: &'n Node<'n>,
}

/// One `providers[]` element.
#[derive(Debug)]
pub struct Provider<'n> {
    /// Index of the `resources[]` entry.
    pub entry: usize,
    /// Index in that entry's `providers`.
    pub index: usize,
    pub node: &'n Node<'n>,
    /// Recognised provider keys with a non-null value, in file order. A key whose value is null
    /// (`- identity:`) decodes to a nil pointer: the apiserver does not see that provider.
    pub types: Vec<ProviderType<'n>>,
}

impl<'n> Provider<'n> {
    /// The type the apiserver would use (the first in its switch order), if any.
    pub fn effective(&self) -> Option<&ProviderType<'n>> {
        ProviderKind::ALL
            .iter()
            .find_map(|k| self.types.iter().find(|t| t.kind == *k))
    }

    pub fn kind(&self) -> Option<ProviderKind> {
        self.effective().map(|t| t.kind)
    }

    /// The node findings about this provider point at: its type key, else the element.
    pub fn anchor(&self) -> &'n Node<'n> {
        self.effective().map(|t| t.key).unwrap_or(self.node)
    }

    /// `resources[0].providers[1]`.
    pub fn path(&self) -> String {
        format!("resources[{}].providers[{}]", self.entry, self.index)
    }
}

/// One string of a `resources[].resources` list.
#[derive(Debug, Clone, Copy)]
pub struct ResourceName<'n> {
    pub text: &'n str,
    pub node: &'n Node<'n>,
    pub resource: &'n str,
    pub group: &'n str,
}

impl ResourceName<'_> {
    /// `*.` or `*.<group>` or `*.*`.
    pub fn is_wildcard(&self) -> bool {
        self.resource == "*"
    }

    /// How the apiserver prints it (`grYAMLString`).
    pub fn display(&self) -> String {
        gr_string(self.resource, self.group)
    }
}

/// `schema.ParseGroupResource`: split at the first `.`.
pub fn parse_group_resource(s: &str) -> (&str, &str) {
    match s.split_once('.') {
        Some((resource, group)) => (resource, group),
        None => (s, ""),
    }
}

/// `grYAMLString`: `*.` for every core resource, else `resource` or `resource.group`.
pub fn gr_string(resource: &str, group: &str) -> String {
    if group.is_empty() {
        if resource == "*" {
            "*.".to_string()
        } else {
            resource.to_string()
        }
    } else {
        format!("{resource}.{group}")
    }
}

/// One `resources[]` entry.
#[derive(Debug)]
pub struct Entry<'n> {
    pub index: usize,
    pub node: &'n Node<'n>,
    /// The `resources` key of the entry.
    pub resources_key: Option<&'n Node<'n>>,
    pub resources_value: Option<&'n Node<'n>>,
    pub resources: Vec<ResourceName<'n>>,
    /// The `providers` key of the entry.
    pub providers_key: Option<&'n Node<'n>>,
    pub providers_value: Option<&'n Node<'n>>,
    pub providers: Vec<Provider<'n>>,
}

impl Entry<'_> {
    /// The node to point at for the whole entry: its `resources` key, else the entry.
    pub fn anchor(&self) -> &Node<'_> {
        self.resources_key.unwrap_or(self.node)
    }
}

/// A resource the apiserver refuses because an earlier `*.<group>` or `*.*` masks it.
#[derive(Debug, Clone, Copy)]
pub struct Masked {
    pub entry: usize,
    /// Index in the entry's `resources` model list.
    pub resource: usize,
    /// The entry that registered the masking wildcard.
    pub by_entry: usize,
    /// `true` for `*.*`, `false` for `*.<group>`.
    pub by_any_group: bool,
}

/// How a resource is covered.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Coverage {
    /// Named exactly (`secrets`).
    Exact,
    /// Through `*.<group>` (`*.` for the core group).
    GroupWildcard,
    /// Through `*.*`.
    AnyWildcard,
}

/// The providers that apply to one resource.
#[derive(Debug)]
pub struct Effective<'m, 'n> {
    pub coverage: Coverage,
    /// The entries whose provider lists are concatenated, in file order.
    pub entries: Vec<usize>,
    /// Their provider elements that have a provider type, in order: the first one writes.
    pub providers: Vec<&'m Provider<'n>>,
}

impl<'m, 'n> Effective<'m, 'n> {
    /// The provider that encrypts new writes.
    pub fn writer(&self) -> Option<&'m Provider<'n>> {
        self.providers.first().copied()
    }

    /// "resources[0]" or "resources[0] + resources[2], concatenated".
    pub fn describe_entries(&self) -> String {
        let list: Vec<String> = self
            .entries
            .iter()
            .map(|i| format!("resources[{i}]"))
            .collect();
        if list.len() > 1 {
            format!("{}, concatenated", list.join(" + "))
        } else {
            list.join("")
        }
    }

    /// How the resource was matched, for messages.
    pub fn describe_match(&self, resource: &str, group: &str) -> String {
        match self.coverage {
            Coverage::Exact => format!("`{}`", gr_string(resource, group)),
            Coverage::GroupWildcard => format!("`{}`", gr_string("*", group)),
            Coverage::AnyWildcard => "`*.*`".to_string(),
        }
    }
}

/// The parsed file.
#[derive(Debug)]
pub struct EncConfig<'n> {
    pub root: &'n Node<'n>,
    /// The top-level `resources` key.
    pub resources_key: Option<&'n Node<'n>>,
    pub entries: Vec<Entry<'n>>,
    /// `(resource, group)` → entries, registered in file order as the apiserver does.
    table: Vec<((&'n str, &'n str), Vec<usize>)>,
    pub masked: Vec<Masked>,
}

impl<'n> EncConfig<'n> {
    /// The model of `obj` when it is an `apiserver.config.k8s.io/v1` `EncryptionConfiguration`
    /// or a legacy `v1` `EncryptionConfig`; `None` for anything else.
    pub fn of(obj: &'n Object<'_>) -> Option<EncConfig<'n>> {
        let recognised = (obj.kind() == KIND && obj.api_version() == API_VERSION)
            || (obj.kind() == LEGACY_KIND && obj.api_version() == "v1");
        if !recognised {
            return None;
        }
        Some(EncConfig::parse(&obj.root))
    }

    /// Parse a document root (no kind/apiVersion check).
    pub fn parse(root: &'n Node<'n>) -> EncConfig<'n> {
        let mut entries = vec![];
        for (index, node) in root
            .get("resources")
            .map(Node::items)
            .unwrap_or(&[])
            .iter()
            .enumerate()
        {
            let resources_value = node.get("resources").filter(|n| !n.is_null());
            let resources = resources_value
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .filter_map(|n| {
                    let text = string_value(n)?;
                    let (resource, group) = parse_group_resource(text);
                    Some(ResourceName {
                        text,
                        node: n,
                        resource,
                        group,
                    })
                })
                .collect();
            let providers_value = node.get("providers").filter(|n| !n.is_null());
            let providers = providers_value
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .map(|(i, p)| Provider {
                    entry: index,
                    index: i,
                    node: p,
                    types: p
                        .entries()
                        .iter()
                        .filter(|e| !e.value.is_null())
                        .filter_map(|e| {
                            Some(ProviderType {
                                kind: ProviderKind::from_key(e.key.as_scalar()?)?,
                                key: &e.key,
                                value: &e.value,
                            })
                        })
                        .collect(),
                })
                .collect();
            entries.push(Entry {
                index,
                node,
                resources_key: node.key_node("resources"),
                resources_value,
                resources,
                providers_key: node.key_node("providers"),
                providers_value,
                providers,
            });
        }
        let mut table: Vec<((&'n str, &'n str), Vec<usize>)> = vec![];
        let mut masked = vec![];
        for entry in &entries {
            for (ri, r) in entry.resources.iter().enumerate() {
                let find = |table: &Vec<((&str, &str), Vec<usize>)>, key: (&str, &str)| {
                    table
                        .iter()
                        .find(|(k, _)| *k == key)
                        .and_then(|(_, v)| v.first().copied())
                };
                if let Some(by) = find(&table, ("*", r.group)) {
                    masked.push(Masked {
                        entry: entry.index,
                        resource: ri,
                        by_entry: by,
                        by_any_group: false,
                    });
                    continue;
                }
                if let Some(by) = find(&table, ("*", "*")) {
                    masked.push(Masked {
                        entry: entry.index,
                        resource: ri,
                        by_entry: by,
                        by_any_group: true,
                    });
                    continue;
                }
                let key = (r.resource, r.group);
                match table.iter_mut().find(|(k, _)| *k == key) {
                    Some((_, list)) => {
                        if !list.contains(&entry.index) {
                            list.push(entry.index);
                        }
                    }
                    None => table.push((key, vec![entry.index])),
                }
            }
        }
        EncConfig {
            root,
            resources_key: root.key_node("resources"),
            entries,
            table,
            masked,
        }
    }

    /// The providers that apply to `resource` in `group` (`""` = core): exact, then
    /// `*.group`, then `*.*`. `None` means the implicit `identity` (plaintext).
    pub fn effective(&self, group: &str, resource: &str) -> Option<Effective<'_, 'n>> {
        let lookup = |key: (&str, &str)| {
            self.table
                .iter()
                .find(|(k, _)| *k == key)
                .map(|(_, v)| v.clone())
        };
        let (coverage, entries) = if let Some(e) = lookup((resource, group)) {
            (Coverage::Exact, e)
        } else if let Some(e) = lookup(("*", group)) {
            (Coverage::GroupWildcard, e)
        } else if let Some(e) = lookup(("*", "*")) {
            (Coverage::AnyWildcard, e)
        } else {
            return None;
        };
        let providers = entries
            .iter()
            .filter_map(|i| self.entries.get(*i))
            .flat_map(|e| e.providers.iter())
            .filter(|p| p.kind().is_some())
            .collect();
        Some(Effective {
            coverage,
            entries,
            providers,
        })
    }

    /// The providers that apply to core-group `secrets`.
    pub fn secrets(&self) -> Option<Effective<'_, 'n>> {
        self.effective("", "secrets")
    }

    /// Every provider element of every entry, in file order.
    pub fn providers(&self) -> impl Iterator<Item = &Provider<'n>> {
        self.entries.iter().flat_map(|e| e.providers.iter())
    }

    /// Every `kms` provider (any `kms` key with a mapping value), in file order.
    pub fn kms(&self) -> impl Iterator<Item = Kms<'n>> + '_ {
        self.providers().flat_map(|p| {
            p.types
                .iter()
                .filter(|t| t.kind == ProviderKind::Kms)
                .map(move |t| Kms {
                    entry: p.entry,
                    index: p.index,
                    key: t.key,
                    value: t.value,
                })
        })
    }

    /// Every local-key provider (`aesgcm`, `aescbc`, `secretbox`), in file order.
    pub fn keyed(&self) -> impl Iterator<Item = (&Provider<'n>, ProviderType<'n>)> + '_ {
        self.providers().flat_map(|p| {
            p.types
                .iter()
                .filter(|t| t.kind.uses_local_keys())
                .map(move |t| (p, *t))
        })
    }

    /// Where to point a finding about the whole file: the top-level `resources` key, else `kind`.
    pub fn anchor(&self) -> &'n Node<'n> {
        self.resources_key
            .or_else(|| self.root.get("kind"))
            .unwrap_or(self.root)
    }

    /// The resource name a [`Masked`] refers to.
    pub fn masked_name(&self, m: &Masked) -> Option<&ResourceName<'n>> {
        self.entries.get(m.entry)?.resources.get(m.resource)
    }
}

/// A `kms` provider configuration.
#[derive(Debug, Clone, Copy)]
pub struct Kms<'n> {
    pub entry: usize,
    pub index: usize,
    /// The `kms` key.
    pub key: &'n Node<'n>,
    pub value: &'n Node<'n>,
}

impl<'n> Kms<'n> {
    /// A field's value, when present and not null.
    pub fn field(&self, name: &str) -> Option<&'n Node<'n>> {
        self.value.get(name).filter(|n| !n.is_null())
    }

    pub fn field_key(&self, name: &str) -> Option<&'n Node<'n>> {
        self.field(name)?;
        self.value.key_node(name)
    }

    /// The `apiVersion` after defaulting: absent, null or empty means `v1`.
    pub fn api_version(&self) -> &'n str {
        match self.field("apiVersion").and_then(Node::as_str) {
            None | Some("") => "v1",
            Some(v) => v,
        }
    }

    /// The `name`, when it is a non-empty string.
    pub fn name(&self) -> Option<&'n str> {
        self.field("name")
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
    }

    pub fn path(&self) -> String {
        format!("resources[{}].providers[{}].kms", self.entry, self.index)
    }

    /// `kms `name`` or `kms` for messages.
    pub fn label(&self) -> String {
        match self.name() {
            Some(n) => format!("KMS provider `{n}`"),
            None => "KMS provider".to_string(),
        }
    }
}

/// A string value as the apiserver's JSON decoding sees it: quoted scalars, and plain scalars
/// that YAML does not read as null, a boolean or a number.
pub fn string_value<'n>(node: &'n Node<'n>) -> Option<&'n str> {
    match &node.value {
        Value::Scalar(s) if s.style != Style::Plain => Some(&s.text),
        Value::Scalar(s) => match node.to_json() {
            serde_json::Value::String(_) => Some(&s.text),
            _ => None,
        },
        _ => None,
    }
}

/// Decode a key `secret` like Go's `base64.StdEncoding.DecodeString`: standard alphabet, padding
/// required, `\r`/`\n` ignored, non-zero trailing bits accepted.
pub fn decode_key(secret: &str) -> Option<Vec<u8>> {
    use base64::engine::{DecodePaddingMode, GeneralPurpose, GeneralPurposeConfig};
    use base64::{alphabet, Engine};
    const GO_STD: GeneralPurpose = GeneralPurpose::new(
        &alphabet::STANDARD,
        GeneralPurposeConfig::new()
            .with_decode_allow_trailing_bits(true)
            .with_decode_padding_mode(DecodePaddingMode::RequireCanonical),
    );
    let cleaned: String = secret
        .chars()
        .filter(|c| *c != '\r' && *c != '\n')
        .collect();
    GO_STD.decode(cleaned.as_bytes()).ok()
}

/// One `keys[]` item of an `aesgcm`/`aescbc`/`secretbox` provider.
#[derive(Debug, Clone, Copy)]
pub struct Key<'n> {
    pub kind: ProviderKind,
    /// `resources[0].providers[1].aescbc.keys[0]`.
    pub entry: usize,
    pub provider: usize,
    pub index: usize,
    pub node: &'n Node<'n>,
}

impl<'n> Key<'n> {
    pub fn name_node(&self) -> Option<&'n Node<'n>> {
        self.node.get("name").filter(|n| !n.is_null())
    }

    /// The `name`, when a non-empty string.
    pub fn name(&self) -> Option<&'n str> {
        self.name_node()
            .and_then(Node::as_str)
            .filter(|s| !s.is_empty())
    }

    pub fn secret_node(&self) -> Option<&'n Node<'n>> {
        self.node.get("secret").filter(|n| !n.is_null())
    }

    pub fn path(&self) -> String {
        format!(
            "resources[{}].providers[{}].{}.keys[{}]",
            self.entry,
            self.provider,
            self.kind.key(),
            self.index
        )
    }

    /// `aescbc key `key1`` for messages.
    pub fn label(&self) -> String {
        match self.name() {
            Some(n) => format!("{} key `{n}`", self.kind.key()),
            None => format!("{} key at {}", self.kind.key(), self.path()),
        }
    }
}

impl<'n> EncConfig<'n> {
    /// Every `keys[]` item of every local-key provider, in file order.
    pub fn keys(&self) -> impl Iterator<Item = Key<'n>> + '_ {
        self.keyed().flat_map(|(p, t)| {
            let (entry, provider) = (p.entry, p.index);
            t.value
                .get("keys")
                .map(Node::items)
                .unwrap_or(&[])
                .iter()
                .enumerate()
                .filter(|(_, n)| n.is_map())
                .map(move |(index, node)| Key {
                    kind: t.kind,
                    entry,
                    provider,
                    index,
                    node,
                })
        })
    }
}

/// Parse a Go `time.Duration` string (`3s`, `100ms`, `1m30s`, `-1h`, `0`) into nanoseconds.
pub fn parse_go_duration(s: &str) -> Result<f64, String> {
    let invalid = || format!("time: invalid duration \"{s}\"");
    let (neg, mut rest) = match s.strip_prefix('-') {
        Some(r) => (true, r),
        None => (false, s.strip_prefix('+').unwrap_or(s)),
    };
    if rest == "0" {
        return Ok(0.0);
    }
    if rest.is_empty() {
        return Err(invalid());
    }
    let mut total = 0.0f64;
    while !rest.is_empty() {
        let num_len = rest
            .bytes()
            .take_while(|b| b.is_ascii_digit() || *b == b'.')
            .count();
        let num = &rest[..num_len];
        if num.is_empty() || num == "." || num.matches('.').count() > 1 {
            return Err(invalid());
        }
        let value: f64 = num.parse().map_err(|_| invalid())?;
        rest = &rest[num_len..];
        let unit_len = rest
            .char_indices()
            .find(|(_, c)| c.is_ascii_digit() || *c == '.')
            .map(|(i, _)| i)
            .unwrap_or(rest.len());
        let unit = &rest[..unit_len];
        let scale = match unit {
            "ns" => 1.0,
            "us" | "µs" | "μs" => 1e3,
            "ms" => 1e6,
            "s" => 1e9,
            "m" => 60e9,
            "h" => 3600e9,
            "" => return Err(format!("time: missing unit in duration \"{s}\"")),
            _ => return Err(format!("time: unknown unit \"{unit}\" in duration \"{s}\"")),
        };
        total += value * scale;
        rest = &rest[unit_len..];
    }
    if total > 9.223_372_036_854_775e18 {
        return Err(invalid());
    }
    Ok(if neg { -total } else { total })
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::yaml::{parse_documents, Limits};

    fn with_model(text: &str, f: impl FnOnce(&EncConfig<'_>)) {
        let mut done = false;
        let mut f = Some(f);
        parse_documents(text, &Limits::default(), |d| {
            if let (Ok(doc), Some(f)) = (d, f.take()) {
                let m = EncConfig::parse(&doc.root);
                f(&m);
                done = true;
            }
        });
        assert!(done);
    }

    fn writer_kind(m: &EncConfig<'_>) -> Option<ProviderKind> {
        m.secrets().and_then(|e| e.writer()).and_then(|p| p.kind())
    }

    #[test]
    fn exact_then_group_then_any() {
        let y = "resources:\n- resources: ['*.*']\n  providers: [{aescbc: {keys: []}}]\n";
        with_model(y, |m| {
            let e = m.secrets().unwrap();
            assert_eq!(e.coverage, Coverage::AnyWildcard);
            assert_eq!(writer_kind(m), Some(ProviderKind::AesCbc));
        });
        let y = "resources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n- resources: ['*.']\n  providers: [{aesgcm: {}}]\n";
        with_model(y, |m| {
            assert_eq!(m.secrets().unwrap().coverage, Coverage::Exact);
            assert_eq!(writer_kind(m), Some(ProviderKind::Identity));
            assert_eq!(
                m.effective("", "configmaps").unwrap().coverage,
                Coverage::GroupWildcard
            );
            assert!(m.effective("apps", "deployments").is_none());
            assert!(m.masked.is_empty());
        });
    }

    #[test]
    fn concatenation_and_masking() {
        let y = "resources:\n- resources: [secrets]\n  providers: [{identity: {}}]\n- resources: [secrets.]\n  providers: [{kms: {name: a}}]\n";
        with_model(y, |m| {
            let e = m.secrets().unwrap();
            assert_eq!(e.entries, vec![0, 1]);
            assert_eq!(e.providers.len(), 2);
            assert_eq!(writer_kind(m), Some(ProviderKind::Identity));
        });
        let y = "resources:\n- resources: ['*.']\n  providers: [{aesgcm: {}}]\n- resources: [secrets, '*.']\n  providers: [{identity: {}}]\n";
        with_model(y, |m| {
            assert_eq!(m.masked.len(), 2);
            assert_eq!(m.masked_name(&m.masked[0]).unwrap().text, "secrets");
            assert_eq!(m.secrets().unwrap().coverage, Coverage::GroupWildcard);
            assert_eq!(writer_kind(m), Some(ProviderKind::AesGcm));
        });
    }

    #[test]
    fn null_and_multi_provider_types() {
        let y = "resources:\n- resources: [secrets]\n  providers:\n  - identity:\n  - {identity: {}, aescbc: {keys: []}}\n";
        with_model(y, |m| {
            let e = m.secrets().unwrap();
            assert_eq!(e.providers.len(), 1);
            assert_eq!(writer_kind(m), Some(ProviderKind::AesCbc));
        });
    }

    #[test]
    fn go_durations() {
        assert_eq!(parse_go_duration("3s"), Ok(3e9));
        assert_eq!(parse_go_duration("100ms"), Ok(1e8));
        assert_eq!(parse_go_duration("1m30s"), Ok(90e9));
        assert_eq!(parse_go_duration("1.5h"), Ok(5400e9));
        assert_eq!(parse_go_duration("-1s"), Ok(-1e9));
        assert_eq!(parse_go_duration("0"), Ok(0.0));
        assert_eq!(parse_go_duration("0s"), Ok(0.0));
        assert!(parse_go_duration("3").is_err());
        assert!(parse_go_duration("").is_err());
        assert!(parse_go_duration("s").is_err());
        assert!(parse_go_duration("1x").is_err());
        assert!(parse_go_duration("1..2s").is_err());
        assert!(parse_go_duration("µs").is_err());
    }
}
