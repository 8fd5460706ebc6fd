//! Secret and ConfigMap contents, as the rules of this area read them.

use crate::k8s::credentials::{decode_base64_k8s, printable_text};
use crate::object::Object;
use crate::yaml::{Node, Style, Value};

/// Which field an entry came from.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Field {
    /// Secret `data` / ConfigMap `binaryData`: base64-encoded bytes.
    Base64,
    /// Secret `stringData` / ConfigMap `data`: plain text.
    Plain,
}

/// One key of a Secret or ConfigMap.
#[derive(Debug, Clone)]
pub struct Entry<'o, 'a> {
    pub field: Field,
    /// `data`, `stringData` or `binaryData`.
    pub field_name: &'static str,
    pub key: &'o str,
    pub key_node: &'o Node<'a>,
    pub value: &'o Node<'a>,
}

impl<'o, 'a> Entry<'o, 'a> {
    /// Where to point a finding about the value: the value itself, or its key when the value is
    /// a block scalar (`|`), whose span starts on the line after the key.
    pub fn anchor(&self) -> &'o Node<'a> {
        match &self.value.value {
            Value::Scalar(s) if s.style == Style::Block => self.key_node,
            _ => self.value,
        }
    }

    /// The raw bytes: decoded for base64 fields (`None` when not valid base64), the text for
    /// plain fields (`None` for non-scalars).
    pub fn bytes(&self) -> Option<Vec<u8>> {
        let s = self.value.as_str().or_else(|| {
            // An explicit null/empty value is an empty string to the API server.
            self.value.is_null().then_some("")
        })?;
        match self.field {
            Field::Plain => Some(s.as_bytes().to_vec()),
            Field::Base64 => decode_base64_k8s(s),
        }
    }

    /// The value as printable text (decoded for base64 fields).
    pub fn text(&self) -> Option<String> {
        let b = self.bytes()?;
        if b.is_empty() {
            return Some(String::new());
        }
        printable_text(&b).map(str::to_string)
    }
}

fn entries_of<'o, 'a>(
    obj: &'o Object<'a>,
    field_name: &'static str,
    field: Field,
    out: &mut Vec<Entry<'o, 'a>>,
) {
    if let Some(m) = obj.root.get(field_name) {
        for e in m.entries() {
            if let Some(key) = e.key.as_scalar() {
                out.push(Entry {
                    field,
                    field_name,
                    key,
                    key_node: &e.key,
                    value: &e.value,
                });
            }
        }
    }
}

/// Entries of a Secret: `data` (base64) then `stringData` (plain).
pub fn secret_entries<'o, 'a>(obj: &'o Object<'a>) -> Vec<Entry<'o, 'a>> {
    let mut out = vec![];
    entries_of(obj, "data", Field::Base64, &mut out);
    entries_of(obj, "stringData", Field::Plain, &mut out);
    out
}

/// Entries of a ConfigMap: `data` (plain) then `binaryData` (base64).
pub fn configmap_entries<'o, 'a>(obj: &'o Object<'a>) -> Vec<Entry<'o, 'a>> {
    let mut out = vec![];
    entries_of(obj, "data", Field::Plain, &mut out);
    entries_of(obj, "binaryData", Field::Base64, &mut out);
    out
}

/// The Secret's type (`Opaque` when absent or empty).
pub fn secret_type<'o>(obj: &'o Object<'_>) -> &'o str {
    obj.root
        .get("type")
        .and_then(Node::as_str)
        .filter(|t| !t.is_empty())
        .unwrap_or("Opaque")
}

/// The node to point at for the type (the `type` value, else the `kind` value).
pub fn type_node<'o, 'a>(obj: &'o Object<'a>) -> &'o Node<'a> {
    obj.root
        .get("type")
        .or_else(|| obj.root.get("kind"))
        .unwrap_or(&obj.root)
}

/// The effective value of a Secret key: `stringData` wins over `data`, as on the API server.
pub fn secret_value<'e, 'o, 'a>(
    entries: &'e [Entry<'o, 'a>],
    key: &str,
) -> Option<&'e Entry<'o, 'a>> {
    entries
        .iter()
        .rev()
        .find(|e| e.key == key && e.field == Field::Plain)
        .or_else(|| entries.iter().rev().find(|e| e.key == key))
}

/// Whether a Secret (or ConfigMap) holds at least one key.
pub fn has_key(entries: &[Entry<'_, '_>], key: &str) -> bool {
    entries.iter().any(|e| e.key == key)
}
