//! What the apiserver encrypts: an object in its storage encoding (storage-formats.md §6).
//!
//! - Protobuf (kube-apiserver's default, `--storage-media-type=application/vnd.kubernetes.protobuf`):
//!   the magic `k8s\x00`, then a `runtime.Unknown` whose `raw` field holds the object's own
//!   protobuf message. [`Secret`] reads and writes `v1.Secret` exactly as the apiserver's gogo
//!   encoder does (field order, always-emitted fields, sorted maps).
//! - JSON (`--storage-media-type=application/json`): compact JSON and a newline.
//! - YAML (`application/yaml`) is read too.
//!
//! Before storing, the apiserver clears `resourceVersion` and `selfLink`; [`Secret::from_json`]
//! does the same, merges `stringData` into `data` (as the v1 → internal conversion does) and
//! defaults `type` to `Opaque`.

use std::collections::BTreeMap;
use std::fmt;

use serde_json::{Map, Value};

use super::proto::{self, ProtoError, Reader, WireValue};
use crate::yaml::{parse_documents, Limits};

/// The protobuf storage magic: `k8s` and encoding style 0 (`runtime.Unknown`).
pub const PROTOBUF_MAGIC: &[u8; 4] = b"k8s\x00";

/// Why stored bytes could not be decoded.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum StorageError {
    /// Still has a `k8s:enc:` prefix.
    StillEncrypted,
    /// Neither the protobuf magic, nor JSON, nor a YAML mapping.
    Unrecognized { head: String },
    /// Bad protobuf inside `what` (`runtime.Unknown`, `v1.Secret`, ...).
    Proto {
        what: &'static str,
        error: ProtoError,
    },
    /// Invalid JSON or YAML.
    Syntax(String),
    /// Decoded, but not a `v1` `Secret`.
    NotASecret { api_version: String, kind: String },
    /// A field with the wrong type or value (`data.password is not base64`, ...).
    Field(String),
}

impl fmt::Display for StorageError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            StorageError::StillEncrypted => {
                write!(f, "the data is still encrypted (it starts with `k8s:enc:`)")
            }
            StorageError::Unrecognized { head } => write!(
                f,
                "not a stored Kubernetes object: expected the protobuf magic `k8s\\x00` or JSON, found {head}"
            ),
            StorageError::Proto { what, error } => write!(f, "invalid {what}: {error}"),
            StorageError::Syntax(m) => write!(f, "{m}"),
            StorageError::NotASecret { api_version, kind } => write!(
                f,
                "the object is `{kind}` `{api_version}`, not a `Secret` `v1`"
            ),
            StorageError::Field(m) => write!(f, "{m}"),
        }
    }
}

impl std::error::Error for StorageError {}

/// A decoded `runtime.Unknown` (the protobuf storage envelope).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Unknown<'a> {
    pub api_version: &'a str,
    pub kind: &'a str,
    /// The object's own protobuf message.
    pub raw: &'a [u8],
    pub content_encoding: &'a str,
    pub content_type: &'a str,
    /// Where `raw` starts in the stored bytes.
    pub raw_offset: usize,
}

/// A stored object, decoded one level.
#[derive(Debug, Clone, PartialEq)]
pub enum Stored<'a> {
    /// `k8s\x00` + `runtime.Unknown`.
    Protobuf(Unknown<'a>),
    /// JSON (or YAML), as a JSON value.
    Json(Value),
}

impl Stored<'_> {
    /// `(apiVersion, kind)` of the object.
    pub fn type_meta(&self) -> (String, String) {
        match self {
            Stored::Protobuf(u) => (u.api_version.to_string(), u.kind.to_string()),
            Stored::Json(v) => (
                v.get("apiVersion")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
                v.get("kind")
                    .and_then(Value::as_str)
                    .unwrap_or_default()
                    .to_string(),
            ),
        }
    }

    /// The object as a `v1` `Secret`.
    pub fn secret(&self) -> Result<Secret, StorageError> {
        let (api_version, kind) = self.type_meta();
        if api_version != "v1" || kind != "Secret" {
            return Err(StorageError::NotASecret { api_version, kind });
        }
        match self {
            Stored::Protobuf(u) => Secret::decode_proto(u.raw),
            Stored::Json(v) => Secret::from_stored_json(v),
        }
    }
}

/// A short description of the first bytes, for error messages.
fn describe_head(bytes: &[u8]) -> String {
    if bytes.is_empty() {
        return "no data".into();
    }
    let head = &bytes[..bytes.len().min(8)];
    let hex: Vec<String> = head.iter().map(|b| format!("{b:02x}")).collect();
    format!(
        "bytes {}{}",
        hex.join(" "),
        if bytes.len() > 8 { " …" } else { "" }
    )
}

/// Decode stored bytes one level: the protobuf envelope, or JSON/YAML.
pub fn decode_stored(bytes: &[u8]) -> Result<Stored<'_>, StorageError> {
    if bytes.starts_with(super::layout::ENCRYPTED_PREFIX) {
        return Err(StorageError::StillEncrypted);
    }
    if let Some(rest) = bytes.strip_prefix(PROTOBUF_MAGIC.as_slice()) {
        return decode_unknown(rest, PROTOBUF_MAGIC.len()).map(Stored::Protobuf);
    }
    let trimmed = bytes.trim_ascii_start();
    if trimmed.starts_with(b"{") {
        return serde_json::from_slice::<Value>(bytes)
            .map(Stored::Json)
            .map_err(|e| StorageError::Syntax(format!("invalid JSON: {e}")));
    }
    // YAML storage (`--storage-media-type=application/yaml`): a mapping with a kind.
    if let Ok(text) = std::str::from_utf8(bytes) {
        if text.contains("kind:") {
            let mut root = None;
            let mut error = None;
            parse_documents(text, &Limits::default(), |d| match d {
                Ok(doc) if root.is_none() && error.is_none() => root = Some(doc.root.to_json()),
                Err(e) if root.is_none() && error.is_none() => error = Some(e),
                _ => {}
            });
            if let Some(e) = error {
                return Err(StorageError::Syntax(format!(
                    "invalid YAML at {}:{}: {}",
                    e.line, e.column, e.message
                )));
            }
            if let Some(v @ Value::Object(_)) = root {
                return Ok(Stored::Json(v));
            }
        }
    }
    Err(StorageError::Unrecognized {
        head: describe_head(bytes),
    })
}

fn decode_unknown(bytes: &[u8], base: usize) -> Result<Unknown<'_>, StorageError> {
    let err = |error| StorageError::Proto {
        what: "runtime.Unknown",
        error,
    };
    let mut u = Unknown {
        api_version: "",
        kind: "",
        raw: &[],
        content_encoding: "",
        content_type: "",
        raw_offset: base,
    };
    for f in Reader::with_base(bytes, base) {
        let f = f.map_err(err)?;
        match (f.number, f.value) {
            (1, WireValue::Bytes(tm)) => {
                for g in Reader::with_base(tm, f.value_start) {
                    let g = g.map_err(err)?;
                    match g.number {
                        1 => u.api_version = g.string("apiVersion").map_err(err)?.unwrap_or(""),
                        2 => u.kind = g.string("kind").map_err(err)?.unwrap_or(""),
                        _ => {}
                    }
                }
            }
            (2, WireValue::Bytes(raw)) => {
                u.raw = raw;
                u.raw_offset = f.value_start;
            }
            (3, WireValue::Bytes(_)) => {
                u.content_encoding = f.string("contentEncoding").map_err(err)?.unwrap_or("")
            }
            (4, WireValue::Bytes(_)) => {
                u.content_type = f.string("contentType").map_err(err)?.unwrap_or("")
            }
            _ => {}
        }
    }
    Ok(u)
}

/// `k8s\x00` + `runtime.Unknown{TypeMeta{apiVersion, kind}, raw, "", ""}`, byte for byte as the
/// apiserver writes it (all four fields, empty strings included).
pub fn encode_protobuf(api_version: &str, kind: &str, raw: &[u8]) -> Vec<u8> {
    let mut tm = vec![];
    proto::put_bytes(&mut tm, 1, api_version.as_bytes());
    proto::put_bytes(&mut tm, 2, kind.as_bytes());
    let mut out = Vec::with_capacity(raw.len() + tm.len() + 16);
    out.extend_from_slice(PROTOBUF_MAGIC);
    proto::put_bytes(&mut out, 1, &tm);
    proto::put_bytes(&mut out, 2, raw);
    proto::put_bytes(&mut out, 3, b"");
    proto::put_bytes(&mut out, 4, b"");
    out
}

/// A `metav1.Time`: seconds since the Unix epoch (the apiserver stores no fraction).
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord)]
pub struct Time {
    pub seconds: i64,
}

impl Time {
    /// RFC 3339 in UTC, as `metav1.Time` marshals to JSON: `2024-05-01T10:00:00Z`.
    pub fn to_rfc3339(self) -> String {
        let days = self.seconds.div_euclid(86_400);
        let secs = self.seconds.rem_euclid(86_400);
        let (y, m, d) = civil_from_days(days);
        format!(
            "{y:04}-{m:02}-{d:02}T{:02}:{:02}:{:02}Z",
            secs / 3600,
            secs % 3600 / 60,
            secs % 60
        )
    }

    /// Parse RFC 3339 (`Z` or a `±hh:mm` offset; a fraction of a second is dropped, as the
    /// apiserver stores whole seconds).
    pub fn parse_rfc3339(s: &str) -> Option<Time> {
        let b = s.as_bytes();
        let num = |r: std::ops::Range<usize>| -> Option<i64> {
            let part = b.get(r)?;
            if part.iter().all(u8::is_ascii_digit) {
                std::str::from_utf8(part).ok()?.parse().ok()
            } else {
                None
            }
        };
        if b.len() < 20 || b[4] != b'-' || b[7] != b'-' || !matches!(b[10], b'T' | b't') {
            return None;
        }
        if b[13] != b':' || b[16] != b':' {
            return None;
        }
        let (y, mo, d) = (num(0..4)?, num(5..7)?, num(8..10)?);
        let (h, mi, sec) = (num(11..13)?, num(14..16)?, num(17..19)?);
        if !(1..=12).contains(&mo) || d < 1 || d > days_in_month(y, mo) || h > 23 || mi > 59 {
            return None;
        }
        if sec > 59 {
            return None;
        }
        let mut i = 19;
        if b.get(i) == Some(&b'.') {
            i += 1;
            let start = i;
            while b.get(i).is_some_and(u8::is_ascii_digit) {
                i += 1;
            }
            if i == start {
                return None;
            }
        }
        let offset = match b.get(i..)? {
            [b'Z' | b'z'] => 0,
            [sign @ (b'+' | b'-'), _, _, b':', _, _] => {
                let oh = num(i + 1..i + 3)?;
                let om = num(i + 4..i + 6)?;
                if oh > 23 || om > 59 {
                    return None;
                }
                let o = oh * 3600 + om * 60;
                if *sign == b'-' {
                    -o
                } else {
                    o
                }
            }
            _ => return None,
        };
        let days = days_from_civil(y, mo, d);
        Some(Time {
            seconds: days * 86_400 + h * 3600 + mi * 60 + sec - offset,
        })
    }

    fn encode(self) -> Vec<u8> {
        // Timestamp{seconds = 1, nanos = 2}: both always written, nanos always 0.
        let mut out = vec![];
        proto::put_varint_field(&mut out, 1, self.seconds as u64);
        proto::put_varint_field(&mut out, 2, 0);
        out
    }

    /// An empty message is the zero time (`None`).
    fn decode(bytes: &[u8], base: usize) -> Result<Option<Time>, ProtoError> {
        if bytes.is_empty() {
            return Ok(None);
        }
        let mut seconds = 0i64;
        for f in Reader::with_base(bytes, base) {
            let f = f?;
            if let (1, WireValue::Varint(v)) = (f.number, f.value) {
                seconds = v as i64;
            }
        }
        Ok(Some(Time { seconds }))
    }
}

fn is_leap(y: i64) -> bool {
    (y % 4 == 0 && y % 100 != 0) || y % 400 == 0
}

fn days_in_month(y: i64, m: i64) -> i64 {
    match m {
        2 if is_leap(y) => 29,
        2 => 28,
        4 | 6 | 9 | 11 => 30,
        _ => 31,
    }
}

/// Days since 1970-01-01 of a proleptic Gregorian date (H. Hinnant's algorithm).
fn days_from_civil(y: i64, m: i64, d: i64) -> i64 {
    let y = if m <= 2 { y - 1 } else { y };
    let era = y.div_euclid(400);
    let yoe = y - era * 400;
    let mp = (m + 9) % 12;
    let doy = (153 * mp + 2) / 5 + d - 1;
    let doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
    era * 146_097 + doe - 719_468
}

/// The inverse of [`days_from_civil`].
fn civil_from_days(z: i64) -> (i64, i64, i64) {
    let z = z + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z - era * 146_097;
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let d = doy - (153 * mp + 2) / 5 + 1;
    let m = if mp < 10 { mp + 3 } else { mp - 9 };
    let y = yoe + era * 400 + i64::from(m <= 2);
    (y, m, d)
}

/// `metav1.OwnerReference`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct OwnerReference {
    pub api_version: String,
    pub kind: String,
    pub name: String,
    pub uid: String,
    pub controller: Option<bool>,
    pub block_owner_deletion: Option<bool>,
}

/// `metav1.ManagedFieldsEntry`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ManagedFieldsEntry {
    pub manager: String,
    pub operation: String,
    pub api_version: String,
    pub time: Option<Time>,
    pub fields_type: String,
    /// `fieldsV1`: raw JSON.
    pub fields_v1: Option<Vec<u8>>,
    pub subresource: String,
}

/// `metav1.ObjectMeta`, the fields a stored Secret can carry.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct ObjectMeta {
    pub name: String,
    pub generate_name: String,
    pub namespace: String,
    pub self_link: String,
    pub uid: String,
    pub resource_version: String,
    pub generation: i64,
    pub creation_timestamp: Option<Time>,
    pub deletion_timestamp: Option<Time>,
    pub deletion_grace_period_seconds: Option<i64>,
    pub labels: BTreeMap<String, String>,
    pub annotations: BTreeMap<String, String>,
    pub owner_references: Vec<OwnerReference>,
    pub finalizers: Vec<String>,
    pub managed_fields: Vec<ManagedFieldsEntry>,
}

/// A `v1.Secret`.
#[derive(Debug, Clone, PartialEq, Eq, Default)]
pub struct Secret {
    pub metadata: ObjectMeta,
    pub data: BTreeMap<String, Vec<u8>>,
    /// Write-only in the API; empty in what the apiserver stores.
    pub string_data: BTreeMap<String, String>,
    pub type_: String,
    pub immutable: Option<bool>,
}

fn put_string_map(out: &mut Vec<u8>, number: u32, map: &BTreeMap<String, String>) {
    for (k, v) in map {
        let mut entry = vec![];
        proto::put_bytes(&mut entry, 1, k.as_bytes());
        proto::put_bytes(&mut entry, 2, v.as_bytes());
        proto::put_bytes(out, number, &entry);
    }
}

fn put_bool(out: &mut Vec<u8>, number: u32, v: Option<bool>) {
    if let Some(v) = v {
        proto::put_varint_field(out, number, u64::from(v));
    }
}

impl OwnerReference {
    fn encode(&self) -> Vec<u8> {
        let mut out = vec![];
        proto::put_bytes(&mut out, 1, self.kind.as_bytes());
        proto::put_bytes(&mut out, 3, self.name.as_bytes());
        proto::put_bytes(&mut out, 4, self.uid.as_bytes());
        proto::put_bytes(&mut out, 5, self.api_version.as_bytes());
        put_bool(&mut out, 6, self.controller);
        put_bool(&mut out, 7, self.block_owner_deletion);
        out
    }

    fn decode(bytes: &[u8], base: usize) -> Result<OwnerReference, ProtoError> {
        let mut o = OwnerReference::default();
        for f in Reader::with_base(bytes, base) {
            let f = f?;
            match (f.number, f.value) {
                (1, WireValue::Bytes(_)) => o.kind = owned(f.string("kind")?),
                (3, WireValue::Bytes(_)) => o.name = owned(f.string("name")?),
                (4, WireValue::Bytes(_)) => o.uid = owned(f.string("uid")?),
                (5, WireValue::Bytes(_)) => o.api_version = owned(f.string("apiVersion")?),
                (6, WireValue::Varint(v)) => o.controller = Some(v != 0),
                (7, WireValue::Varint(v)) => o.block_owner_deletion = Some(v != 0),
                _ => {}
            }
        }
        Ok(o)
    }
}

impl ManagedFieldsEntry {
    fn encode(&self) -> Vec<u8> {
        let mut out = vec![];
        proto::put_bytes(&mut out, 1, self.manager.as_bytes());
        proto::put_bytes(&mut out, 2, self.operation.as_bytes());
        proto::put_bytes(&mut out, 3, self.api_version.as_bytes());
        if let Some(t) = self.time {
            proto::put_bytes(&mut out, 4, &t.encode());
        }
        proto::put_bytes(&mut out, 6, self.fields_type.as_bytes());
        if let Some(raw) = &self.fields_v1 {
            let mut f = vec![];
            proto::put_bytes(&mut f, 1, raw);
            proto::put_bytes(&mut out, 7, &f);
        }
        proto::put_bytes(&mut out, 8, self.subresource.as_bytes());
        out
    }

    fn decode(bytes: &[u8], base: usize) -> Result<ManagedFieldsEntry, ProtoError> {
        let mut m = ManagedFieldsEntry::default();
        for f in Reader::with_base(bytes, base) {
            let f = f?;
            match (f.number, f.value) {
                (1, WireValue::Bytes(_)) => m.manager = owned(f.string("manager")?),
                (2, WireValue::Bytes(_)) => m.operation = owned(f.string("operation")?),
                (3, WireValue::Bytes(_)) => m.api_version = owned(f.string("apiVersion")?),
                (4, WireValue::Bytes(b)) => m.time = Time::decode(b, f.value_start)?,
                (6, WireValue::Bytes(_)) => m.fields_type = owned(f.string("fieldsType")?),
                (7, WireValue::Bytes(b)) => {
                    let mut raw = vec![];
                    for g in Reader::with_base(b, f.value_start) {
                        let g = g?;
                        if let (1, WireValue::Bytes(r)) = (g.number, g.value) {
                            raw = r.to_vec();
                        }
                    }
                    m.fields_v1 = Some(raw);
                }
                (8, WireValue::Bytes(_)) => m.subresource = owned(f.string("subresource")?),
                _ => {}
            }
        }
        Ok(m)
    }
}

fn owned(s: Option<&str>) -> String {
    s.unwrap_or_default().to_string()
}

/// A `map<string, string>` or `map<string, bytes>` entry.
fn map_entry<'a>(
    bytes: &'a [u8],
    base: usize,
    map: &'static str,
) -> Result<(&'a str, &'a [u8]), ProtoError> {
    let (mut k, mut v) = ("", &[][..]);
    for f in Reader::with_base(bytes, base) {
        let f = f?;
        match (f.number, f.value) {
            (1, WireValue::Bytes(_)) => k = f.string(map)?.unwrap_or(""),
            (2, WireValue::Bytes(b)) => v = b,
            _ => {}
        }
    }
    Ok((k, v))
}

fn utf8_value(v: &[u8], offset: usize, map: &'static str) -> Result<String, ProtoError> {
    std::str::from_utf8(v)
        .map(str::to_string)
        .map_err(|_| ProtoError::InvalidUtf8 { offset, field: map })
}

impl ObjectMeta {
    /// Encode as the apiserver does: fields 1–8 always (empty strings and the zero time
    /// included), then the optional ones, maps sorted by key.
    pub fn encode_proto(&self) -> Vec<u8> {
        let mut out = vec![];
        proto::put_bytes(&mut out, 1, self.name.as_bytes());
        proto::put_bytes(&mut out, 2, self.generate_name.as_bytes());
        proto::put_bytes(&mut out, 3, self.namespace.as_bytes());
        proto::put_bytes(&mut out, 4, self.self_link.as_bytes());
        proto::put_bytes(&mut out, 5, self.uid.as_bytes());
        proto::put_bytes(&mut out, 6, self.resource_version.as_bytes());
        proto::put_varint_field(&mut out, 7, self.generation as u64);
        proto::put_bytes(
            &mut out,
            8,
            &self
                .creation_timestamp
                .map(Time::encode)
                .unwrap_or_default(),
        );
        if let Some(t) = self.deletion_timestamp {
            proto::put_bytes(&mut out, 9, &t.encode());
        }
        if let Some(s) = self.deletion_grace_period_seconds {
            proto::put_varint_field(&mut out, 10, s as u64);
        }
        put_string_map(&mut out, 11, &self.labels);
        put_string_map(&mut out, 12, &self.annotations);
        for o in &self.owner_references {
            proto::put_bytes(&mut out, 13, &o.encode());
        }
        for f in &self.finalizers {
            proto::put_bytes(&mut out, 14, f.as_bytes());
        }
        for m in &self.managed_fields {
            proto::put_bytes(&mut out, 17, &m.encode());
        }
        out
    }

    fn decode_proto(bytes: &[u8], base: usize) -> Result<ObjectMeta, ProtoError> {
        let mut m = ObjectMeta::default();
        for f in Reader::with_base(bytes, base) {
            let f = f?;
            let vs = f.value_start;
            match (f.number, f.value) {
                (1, WireValue::Bytes(_)) => m.name = owned(f.string("metadata.name")?),
                (2, WireValue::Bytes(_)) => {
                    m.generate_name = owned(f.string("metadata.generateName")?)
                }
                (3, WireValue::Bytes(_)) => m.namespace = owned(f.string("metadata.namespace")?),
                (4, WireValue::Bytes(_)) => m.self_link = owned(f.string("metadata.selfLink")?),
                (5, WireValue::Bytes(_)) => m.uid = owned(f.string("metadata.uid")?),
                (6, WireValue::Bytes(_)) => {
                    m.resource_version = owned(f.string("metadata.resourceVersion")?)
                }
                (7, WireValue::Varint(v)) => m.generation = v as i64,
                (8, WireValue::Bytes(b)) => m.creation_timestamp = Time::decode(b, vs)?,
                (9, WireValue::Bytes(b)) => m.deletion_timestamp = Time::decode(b, vs)?,
                (10, WireValue::Varint(v)) => m.deletion_grace_period_seconds = Some(v as i64),
                (11, WireValue::Bytes(b)) => {
                    let (k, v) = map_entry(b, vs, "metadata.labels")?;
                    m.labels
                        .insert(k.to_string(), utf8_value(v, vs, "metadata.labels")?);
                }
                (12, WireValue::Bytes(b)) => {
                    let (k, v) = map_entry(b, vs, "metadata.annotations")?;
                    m.annotations
                        .insert(k.to_string(), utf8_value(v, vs, "metadata.annotations")?);
                }
                (13, WireValue::Bytes(b)) => {
                    m.owner_references.push(OwnerReference::decode(b, vs)?)
                }
                (14, WireValue::Bytes(_)) => {
                    m.finalizers.push(owned(f.string("metadata.finalizers")?))
                }
                (17, WireValue::Bytes(b)) => {
                    m.managed_fields.push(ManagedFieldsEntry::decode(b, vs)?)
                }
                _ => {}
            }
        }
        Ok(m)
    }
}

impl Secret {
    /// Decode a `v1.Secret` protobuf message (the `raw` of its `runtime.Unknown`).
    pub fn decode_proto(raw: &[u8]) -> Result<Secret, StorageError> {
        let err = |error| StorageError::Proto {
            what: "v1.Secret",
            error,
        };
        let mut s = Secret::default();
        for f in Reader::new(raw) {
            let f = f.map_err(err)?;
            let vs = f.value_start;
            match (f.number, f.value) {
                (1, WireValue::Bytes(b)) => {
                    s.metadata = ObjectMeta::decode_proto(b, vs).map_err(err)?
                }
                (2, WireValue::Bytes(b)) => {
                    let (k, v) = map_entry(b, vs, "data").map_err(err)?;
                    s.data.insert(k.to_string(), v.to_vec());
                }
                (3, WireValue::Bytes(_)) => s.type_ = owned(f.string("type").map_err(err)?),
                (4, WireValue::Bytes(b)) => {
                    let (k, v) = map_entry(b, vs, "stringData").map_err(err)?;
                    s.string_data
                        .insert(k.to_string(), utf8_value(v, vs, "stringData").map_err(err)?);
                }
                (5, WireValue::Varint(v)) => s.immutable = Some(v != 0),
                _ => {}
            }
        }
        Ok(s)
    }

    /// Encode as the apiserver's gogo encoder does (storage-formats.md §6.3).
    pub fn encode_proto(&self) -> Vec<u8> {
        let mut out = vec![];
        proto::put_bytes(&mut out, 1, &self.metadata.encode_proto());
        for (k, v) in &self.data {
            let mut entry = vec![];
            proto::put_bytes(&mut entry, 1, k.as_bytes());
            proto::put_bytes(&mut entry, 2, v);
            proto::put_bytes(&mut out, 2, &entry);
        }
        proto::put_bytes(&mut out, 3, self.type_.as_bytes());
        put_string_map(&mut out, 4, &self.string_data);
        put_bool(&mut out, 5, self.immutable);
        out
    }

    /// The full protobuf storage encoding: `k8s\x00` + `runtime.Unknown`.
    pub fn to_storage_protobuf(&self) -> Vec<u8> {
        encode_protobuf("v1", "Secret", &self.encode_proto())
    }

    /// The JSON storage encoding: compact JSON in the Go struct's field order, and a newline.
    pub fn to_storage_json(&self) -> Vec<u8> {
        let mut root = Map::new();
        root.insert("kind".into(), "Secret".into());
        root.insert("apiVersion".into(), "v1".into());
        root.insert("metadata".into(), self.metadata.to_json(true));
        if let Some(i) = self.immutable {
            root.insert("immutable".into(), i.into());
        }
        if !self.data.is_empty() {
            root.insert("data".into(), data_json(&self.data));
        }
        if !self.string_data.is_empty() {
            root.insert("stringData".into(), string_map_json(&self.string_data));
        }
        if !self.type_.is_empty() {
            root.insert("type".into(), self.type_.clone().into());
        }
        let mut out = ordered_json(&Value::Object(root), &JSON_ORDER).into_bytes();
        out.push(b'\n');
        out
    }

    /// The object as `kubectl get -o json` shows it (`data` values in base64). `managedFields`
    /// are left out unless `managed_fields` is set, as kubectl does by default.
    pub fn to_json(&self, managed_fields: bool) -> Value {
        let mut root = Map::new();
        root.insert("apiVersion".into(), "v1".into());
        root.insert("kind".into(), "Secret".into());
        let mut meta = self.metadata.to_json(managed_fields);
        if let Value::Object(m) = &mut meta {
            if !managed_fields {
                m.remove("managedFields");
            }
        }
        root.insert("metadata".into(), meta);
        if let Some(i) = self.immutable {
            root.insert("immutable".into(), i.into());
        }
        if !self.data.is_empty() {
            root.insert("data".into(), data_json(&self.data));
        }
        if !self.string_data.is_empty() {
            root.insert("stringData".into(), string_map_json(&self.string_data));
        }
        if !self.type_.is_empty() {
            root.insert("type".into(), self.type_.clone().into());
        }
        Value::Object(root)
    }

    /// Build the Secret the apiserver would store from a manifest (`apiVersion: v1`, `kind:
    /// Secret`): `stringData` merged into `data`, `type` defaulted to `Opaque`, `resourceVersion`
    /// and `selfLink` cleared. Fields a Secret does not have are reported in the returned warnings
    /// and dropped, as the apiserver drops them.
    pub fn from_manifest(v: &Value) -> Result<(Secret, Vec<String>), StorageError> {
        let api_version = v.get("apiVersion").and_then(Value::as_str).unwrap_or("");
        let kind = v.get("kind").and_then(Value::as_str).unwrap_or("");
        if api_version != "v1" || kind != "Secret" {
            return Err(StorageError::NotASecret {
                api_version: api_version.into(),
                kind: kind.into(),
            });
        }
        let mut warnings = vec![];
        let mut s = Secret::from_json_fields(v, &mut warnings)?;
        for (k, val) in std::mem::take(&mut s.string_data) {
            s.data.insert(k, val.into_bytes());
        }
        if s.type_.is_empty() {
            s.type_ = "Opaque".into();
        }
        s.metadata.resource_version.clear();
        s.metadata.self_link.clear();
        Ok((s, warnings))
    }

    /// Read a Secret stored as JSON (or YAML), keeping every field as stored.
    pub fn from_stored_json(v: &Value) -> Result<Secret, StorageError> {
        Secret::from_json_fields(v, &mut vec![])
    }

    fn from_json_fields(v: &Value, warnings: &mut Vec<String>) -> Result<Secret, StorageError> {
        let obj = v
            .as_object()
            .ok_or_else(|| StorageError::Field("the Secret is not a mapping".into()))?;
        let mut s = Secret::default();
        for (k, val) in obj {
            match k.as_str() {
                "apiVersion" | "kind" => {}
                "metadata" if !val.is_null() => {
                    s.metadata = ObjectMeta::from_json(val, warnings)?;
                }
                "data" => {
                    for (key, b64) in map_of(val, "data")? {
                        if b64.is_null() {
                            // A null value is an empty one (Go: a nil []byte).
                            s.data.insert(key.clone(), vec![]);
                            continue;
                        }
                        let text = b64.as_str().ok_or_else(|| {
                            field_err(format!("data.{key} must be a base64 string"))
                        })?;
                        let bytes = crate::rules::enc::model::decode_key(text)
                            .ok_or_else(|| field_err(format!("data.{key} is not valid base64")))?;
                        s.data.insert(key.clone(), bytes);
                    }
                }
                "stringData" => {
                    for (key, val) in map_of(val, "stringData")? {
                        let text = val.as_str().ok_or_else(|| {
                            field_err(format!(
                                "stringData.{key} must be a string (quote numbers and booleans)"
                            ))
                        })?;
                        s.string_data.insert(key.clone(), text.to_string());
                    }
                }
                "type" => s.type_ = opt_string(val, "type")?,
                "immutable" => {
                    s.immutable = match val {
                        Value::Null => None,
                        Value::Bool(b) => Some(*b),
                        _ => return Err(field_err("immutable must be true or false".into())),
                    }
                }
                "metadata" => {}
                other => warnings.push(format!("unknown field `{other}` dropped")),
            }
        }
        Ok(s)
    }
}

fn field_err(m: String) -> StorageError {
    StorageError::Field(m)
}

fn map_of<'v>(v: &'v Value, name: &str) -> Result<Vec<(&'v String, &'v Value)>, StorageError> {
    match v {
        Value::Null => Ok(vec![]),
        Value::Object(m) => Ok(m.iter().collect()),
        _ => Err(field_err(format!("{name} must be a mapping"))),
    }
}

fn opt_string(v: &Value, name: &str) -> Result<String, StorageError> {
    match v {
        Value::Null => Ok(String::new()),
        Value::String(s) => Ok(s.clone()),
        _ => Err(field_err(format!("{name} must be a string"))),
    }
}

fn opt_bool(v: &Value, name: &str) -> Result<Option<bool>, StorageError> {
    match v {
        Value::Null => Ok(None),
        Value::Bool(b) => Ok(Some(*b)),
        _ => Err(field_err(format!("{name} must be true or false"))),
    }
}

fn opt_i64(v: &Value, name: &str) -> Result<Option<i64>, StorageError> {
    match v {
        Value::Null => Ok(None),
        Value::Number(n) => n
            .as_i64()
            .map(Some)
            .ok_or_else(|| field_err(format!("{name} must be an integer"))),
        _ => Err(field_err(format!("{name} must be an integer"))),
    }
}

fn opt_time(v: &Value, name: &str) -> Result<Option<Time>, StorageError> {
    match v {
        Value::Null => Ok(None),
        Value::String(s) => Time::parse_rfc3339(s).map(Some).ok_or_else(|| {
            field_err(format!(
                "{name} must be an RFC 3339 time such as 2024-05-01T10:00:00Z, not {s:?}"
            ))
        }),
        _ => Err(field_err(format!("{name} must be an RFC 3339 time string"))),
    }
}

fn string_map(v: &Value, name: &str) -> Result<BTreeMap<String, String>, StorageError> {
    map_of(v, name)?
        .into_iter()
        .map(|(k, val)| {
            val.as_str()
                .map(|s| (k.clone(), s.to_string()))
                .ok_or_else(|| {
                    field_err(format!(
                        "{name}.{k} must be a string (quote numbers and booleans)"
                    ))
                })
        })
        .collect()
}

fn list_of<'v>(v: &'v Value, name: &str) -> Result<&'v [Value], StorageError> {
    match v {
        Value::Null => Ok(&[]),
        Value::Array(a) => Ok(a),
        _ => Err(field_err(format!("{name} must be a list"))),
    }
}

impl ObjectMeta {
    fn from_json(v: &Value, warnings: &mut Vec<String>) -> Result<ObjectMeta, StorageError> {
        let obj = v
            .as_object()
            .ok_or_else(|| field_err("metadata must be a mapping".into()))?;
        let mut m = ObjectMeta::default();
        for (k, val) in obj {
            let name = format!("metadata.{k}");
            match k.as_str() {
                "name" => m.name = opt_string(val, &name)?,
                "generateName" => m.generate_name = opt_string(val, &name)?,
                "namespace" => m.namespace = opt_string(val, &name)?,
                "selfLink" => m.self_link = opt_string(val, &name)?,
                "uid" => m.uid = opt_string(val, &name)?,
                "resourceVersion" => m.resource_version = opt_string(val, &name)?,
                "generation" => m.generation = opt_i64(val, &name)?.unwrap_or(0),
                "creationTimestamp" => m.creation_timestamp = opt_time(val, &name)?,
                "deletionTimestamp" => m.deletion_timestamp = opt_time(val, &name)?,
                "deletionGracePeriodSeconds" => {
                    m.deletion_grace_period_seconds = opt_i64(val, &name)?
                }
                "labels" => m.labels = string_map(val, &name)?,
                "annotations" => m.annotations = string_map(val, &name)?,
                "finalizers" => {
                    for f in list_of(val, &name)? {
                        m.finalizers.push(
                            f.as_str()
                                .ok_or_else(|| field_err(format!("{name} must hold strings")))?
                                .to_string(),
                        );
                    }
                }
                "ownerReferences" => {
                    for (i, o) in list_of(val, &name)?.iter().enumerate() {
                        let n = |f: &str| format!("{name}[{i}].{f}");
                        let get = |f: &str| o.get(f).unwrap_or(&Value::Null);
                        if !o.is_object() {
                            return Err(field_err(format!("{name}[{i}] must be a mapping")));
                        }
                        m.owner_references.push(OwnerReference {
                            api_version: opt_string(get("apiVersion"), &n("apiVersion"))?,
                            kind: opt_string(get("kind"), &n("kind"))?,
                            name: opt_string(get("name"), &n("name"))?,
                            uid: opt_string(get("uid"), &n("uid"))?,
                            controller: opt_bool(get("controller"), &n("controller"))?,
                            block_owner_deletion: opt_bool(
                                get("blockOwnerDeletion"),
                                &n("blockOwnerDeletion"),
                            )?,
                        });
                    }
                }
                "managedFields" => {
                    for (i, e) in list_of(val, &name)?.iter().enumerate() {
                        let n = |f: &str| format!("{name}[{i}].{f}");
                        let get = |f: &str| e.get(f).unwrap_or(&Value::Null);
                        if !e.is_object() {
                            return Err(field_err(format!("{name}[{i}] must be a mapping")));
                        }
                        m.managed_fields.push(ManagedFieldsEntry {
                            manager: opt_string(get("manager"), &n("manager"))?,
                            operation: opt_string(get("operation"), &n("operation"))?,
                            api_version: opt_string(get("apiVersion"), &n("apiVersion"))?,
                            time: opt_time(get("time"), &n("time"))?,
                            fields_type: opt_string(get("fieldsType"), &n("fieldsType"))?,
                            fields_v1: match get("fieldsV1") {
                                Value::Null => None,
                                v => Some(v.to_string().into_bytes()),
                            },
                            subresource: opt_string(get("subresource"), &n("subresource"))?,
                        });
                    }
                }
                other => warnings.push(format!("unknown field `metadata.{other}` dropped")),
            }
        }
        Ok(m)
    }

    /// The JSON form (`omitempty` fields left out; a zero `creationTimestamp` is `null`, as Go
    /// writes it).
    pub fn to_json(&self, managed_fields: bool) -> Value {
        let mut m = Map::new();
        let mut s = |k: &str, v: &str| {
            if !v.is_empty() {
                m.insert(k.into(), v.into());
            }
        };
        s("name", &self.name);
        s("generateName", &self.generate_name);
        s("namespace", &self.namespace);
        s("selfLink", &self.self_link);
        s("uid", &self.uid);
        s("resourceVersion", &self.resource_version);
        if self.generation != 0 {
            m.insert("generation".into(), self.generation.into());
        }
        m.insert(
            "creationTimestamp".into(),
            self.creation_timestamp
                .map(|t| Value::String(t.to_rfc3339()))
                .unwrap_or(Value::Null),
        );
        if let Some(t) = self.deletion_timestamp {
            m.insert("deletionTimestamp".into(), t.to_rfc3339().into());
        }
        if let Some(g) = self.deletion_grace_period_seconds {
            m.insert("deletionGracePeriodSeconds".into(), g.into());
        }
        if !self.labels.is_empty() {
            m.insert("labels".into(), string_map_json(&self.labels));
        }
        if !self.annotations.is_empty() {
            m.insert("annotations".into(), string_map_json(&self.annotations));
        }
        if !self.owner_references.is_empty() {
            let list = self
                .owner_references
                .iter()
                .map(|o| {
                    let mut r = Map::new();
                    r.insert("apiVersion".into(), o.api_version.clone().into());
                    r.insert("kind".into(), o.kind.clone().into());
                    r.insert("name".into(), o.name.clone().into());
                    r.insert("uid".into(), o.uid.clone().into());
                    if let Some(c) = o.controller {
                        r.insert("controller".into(), c.into());
                    }
                    if let Some(b) = o.block_owner_deletion {
                        r.insert("blockOwnerDeletion".into(), b.into());
                    }
                    Value::Object(r)
                })
                .collect();
            m.insert("ownerReferences".into(), Value::Array(list));
        }
        if !self.finalizers.is_empty() {
            m.insert(
                "finalizers".into(),
                Value::Array(self.finalizers.iter().map(|f| f.clone().into()).collect()),
            );
        }
        if managed_fields && !self.managed_fields.is_empty() {
            let list = self
                .managed_fields
                .iter()
                .map(|e| {
                    let mut r = Map::new();
                    let mut s = |k: &str, v: &str| {
                        if !v.is_empty() {
                            r.insert(k.into(), v.into());
                        }
                    };
                    s("manager", &e.manager);
                    s("operation", &e.operation);
                    s("apiVersion", &e.api_version);
                    if let Some(t) = e.time {
                        r.insert("time".into(), t.to_rfc3339().into());
                    }
                    if !e.fields_type.is_empty() {
                        r.insert("fieldsType".into(), e.fields_type.clone().into());
                    }
                    if let Some(raw) = &e.fields_v1 {
                        let v = serde_json::from_slice(raw).unwrap_or_else(|_| {
                            Value::String(String::from_utf8_lossy(raw).into_owned())
                        });
                        r.insert("fieldsV1".into(), v);
                    }
                    if !e.subresource.is_empty() {
                        r.insert("subresource".into(), e.subresource.clone().into());
                    }
                    Value::Object(r)
                })
                .collect();
            m.insert("managedFields".into(), Value::Array(list));
        }
        Value::Object(m)
    }
}

fn data_json(data: &BTreeMap<String, Vec<u8>>) -> Value {
    use base64::Engine;
    Value::Object(
        data.iter()
            .map(|(k, v)| {
                (
                    k.clone(),
                    base64::engine::general_purpose::STANDARD.encode(v).into(),
                )
            })
            .collect(),
    )
}

fn string_map_json(map: &BTreeMap<String, String>) -> Value {
    Value::Object(
        map.iter()
            .map(|(k, v)| (k.clone(), v.clone().into()))
            .collect(),
    )
}

/// The Go struct field order of the JSON storage encoding, for the objects that have one; any
/// other mapping (labels, data, ...) is written with sorted keys, as Go writes maps.
const JSON_ORDER: [(&str, &[&str]); 4] = [
    (
        "",
        &[
            "kind",
            "apiVersion",
            "metadata",
            "immutable",
            "data",
            "stringData",
            "type",
        ],
    ),
    (
        "metadata",
        &[
            "name",
            "generateName",
            "namespace",
            "selfLink",
            "uid",
            "resourceVersion",
            "generation",
            "creationTimestamp",
            "deletionTimestamp",
            "deletionGracePeriodSeconds",
            "labels",
            "annotations",
            "ownerReferences",
            "finalizers",
            "managedFields",
        ],
    ),
    (
        "ownerReferences",
        &[
            "apiVersion",
            "kind",
            "name",
            "uid",
            "controller",
            "blockOwnerDeletion",
        ],
    ),
    (
        "managedFields",
        &[
            "manager",
            "operation",
            "apiVersion",
            "time",
            "fieldsType",
            "fieldsV1",
            "subresource",
        ],
    ),
];

/// Compact JSON with the struct field orders of [`JSON_ORDER`].
fn ordered_json(v: &Value, order: &[(&str, &[&str])]) -> String {
    fn write(out: &mut String, v: &Value, order: Option<&[&str]>, all: &[(&str, &[&str])]) {
        match v {
            Value::Object(m) => {
                out.push('{');
                let mut keys: Vec<&String> = m.keys().collect();
                if let Some(order) = order {
                    keys.sort_by_key(|k| order.iter().position(|o| o == k).unwrap_or(usize::MAX));
                }
                for (i, k) in keys.iter().enumerate() {
                    if i > 0 {
                        out.push(',');
                    }
                    out.push_str(&Value::String((*k).clone()).to_string());
                    out.push(':');
                    let child = all.iter().find(|(n, _)| n == k).map(|(_, o)| *o);
                    // fieldsV1 and maps: sorted keys, no struct order below them.
                    let child = if order.is_some() { child } else { None };
                    match (&m[k.as_str()], child) {
                        (Value::Array(items), Some(o)) => {
                            out.push('[');
                            for (j, item) in items.iter().enumerate() {
                                if j > 0 {
                                    out.push(',');
                                }
                                write(out, item, Some(o), all);
                            }
                            out.push(']');
                        }
                        (val, o) => write(out, val, o, all),
                    }
                }
                out.push('}');
            }
            other => out.push_str(&other.to_string()),
        }
    }
    let mut out = String::new();
    let root = order.iter().find(|(n, _)| n.is_empty()).map(|(_, o)| *o);
    write(&mut out, v, root, order);
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    fn hex(s: &str) -> Vec<u8> {
        (0..s.len())
            .step_by(2)
            .map(|i| u8::from_str_radix(&s[i..i + 2], 16).unwrap())
            .collect()
    }

    fn sample() -> Secret {
        let mut s = Secret::default();
        s.metadata.name = "db".into();
        s.metadata.namespace = "app".into();
        s.metadata.uid = "0b3d1f2e-0000-4000-8000-000000000001".into();
        s.metadata.creation_timestamp = Some(Time {
            seconds: 1_714_557_600,
        });
        s.data.insert("password".into(), b"s3cr3t".to_vec());
        s.data.insert("user".into(), b"admin".to_vec());
        s.type_ = "Opaque".into();
        s
    }

    #[test]
    fn secret_proto_bytes_are_the_apiservers() {
        let mut s = Secret::default();
        s.metadata.name = "s".into();
        s.metadata.namespace = "ns".into();
        s.data.insert("k".into(), b"v".to_vec());
        s.type_ = "Opaque".into();
        // metadata: name, generateName "", namespace, selfLink "", uid "", resourceVersion "",
        // generation 0, creationTimestamp (zero: empty message); data entry; type.
        let meta = "0a0173 1200 1a026e73 2200 2a00 3200 3800 4200".replace(' ', "");
        let expected = format!(
            "0a{:02x}{meta}12060a016b120176 1a064f7061717565",
            meta.len() / 2
        )
        .replace(' ', "");
        let expected = expected.as_str();
        assert_eq!(s.encode_proto(), hex(expected));
        assert_eq!(Secret::decode_proto(&s.encode_proto()).unwrap(), s);
    }

    #[test]
    fn runtime_unknown_envelope() {
        let stored = encode_protobuf("v1", "Secret", b"RAW");
        assert_eq!(
            stored,
            [
                &b"k8s\x00"[..],
                &[0x0a, 0x0c, 0x0a, 0x02],
                b"v1",
                &[0x12, 0x06],
                b"Secret",
                &[0x12, 0x03],
                b"RAW",
                &[0x1a, 0x00, 0x22, 0x00]
            ]
            .concat()
        );
        let Stored::Protobuf(u) = decode_stored(&stored).unwrap() else {
            panic!()
        };
        assert_eq!(
            (u.api_version, u.kind, u.raw, u.raw_offset),
            ("v1", "Secret", &b"RAW"[..], 20)
        );
    }

    #[test]
    fn full_round_trips() {
        let mut s = sample();
        s.metadata.labels.insert("app".into(), "db".into());
        s.metadata
            .annotations
            .insert("note".into(), "line1\nline2".into());
        s.metadata.finalizers.push("example.com/keep".into());
        s.metadata.generation = 3;
        s.metadata.deletion_timestamp = Some(Time {
            seconds: 1_800_000_000,
        });
        s.metadata.deletion_grace_period_seconds = Some(30);
        s.metadata.owner_references.push(OwnerReference {
            api_version: "apps/v1".into(),
            kind: "Deployment".into(),
            name: "web".into(),
            uid: "u-1".into(),
            controller: Some(true),
            block_owner_deletion: None,
        });
        s.metadata.managed_fields.push(ManagedFieldsEntry {
            manager: "kubectl".into(),
            operation: "Update".into(),
            api_version: "v1".into(),
            time: Some(Time {
                seconds: 1_714_557_600,
            }),
            fields_type: "FieldsV1".into(),
            fields_v1: Some(br#"{"f:data":{".":{}}}"#.to_vec()),
            subresource: String::new(),
        });
        s.immutable = Some(true);
        let stored = s.to_storage_protobuf();
        assert_eq!(decode_stored(&stored).unwrap().secret().unwrap(), s);
        let json = s.to_storage_json();
        assert!(json.ends_with(b"}\n"));
        let text = std::str::from_utf8(&json).unwrap();
        assert!(text.starts_with(r#"{"kind":"Secret","apiVersion":"v1","metadata":{"name":"db","namespace":"app","uid":"#), "{text}");
        assert!(text.contains(r#""immutable":true,"data":{"password":"czNjcjN0","user":"YWRtaW4="},"type":"Opaque"}"#), "{text}");
        assert!(text.contains(r#""ownerReferences":[{"apiVersion":"apps/v1","kind":"Deployment","name":"web","uid":"u-1","controller":true}]"#), "{text}");
        assert!(text.contains(r#""fieldsV1":{"f:data":{".":{}}}"#), "{text}");
        assert_eq!(decode_stored(&json).unwrap().secret().unwrap(), s);
    }

    #[test]
    fn manifest_to_stored_secret() {
        let v: Value = serde_json::json!({
            "apiVersion": "v1", "kind": "Secret",
            "metadata": {"name": "db", "namespace": "app", "resourceVersion": "12", "selfLink": "/x", "bogus": 1},
            "data": {"user": "YWRtaW4=", "password": "b2xk"},
            "stringData": {"password": "s3cr3t"},
            "status": {}
        });
        let (s, warnings) = Secret::from_manifest(&v).unwrap();
        assert_eq!(s.data["password"], b"s3cr3t", "stringData wins over data");
        assert_eq!(s.data["user"], b"admin");
        assert!(s.string_data.is_empty());
        assert_eq!(s.type_, "Opaque");
        assert_eq!(
            (
                s.metadata.resource_version.as_str(),
                s.metadata.self_link.as_str()
            ),
            ("", "")
        );
        assert_eq!(
            warnings,
            [
                "unknown field `metadata.bogus` dropped",
                "unknown field `status` dropped"
            ]
        );

        let bad = |v: Value| Secret::from_manifest(&v).unwrap_err().to_string();
        assert_eq!(
            bad(serde_json::json!({"apiVersion": "v1", "kind": "ConfigMap"})),
            "the object is `ConfigMap` `v1`, not a `Secret` `v1`"
        );
        assert_eq!(
            bad(serde_json::json!({"apiVersion": "v1", "kind": "Secret", "data": {"a": "!!"}})),
            "data.a is not valid base64"
        );
        assert_eq!(
            bad(serde_json::json!({"apiVersion": "v1", "kind": "Secret", "stringData": {"a": 1}})),
            "stringData.a must be a string (quote numbers and booleans)"
        );
        assert!(bad(serde_json::json!({"apiVersion": "v1", "kind": "Secret", "metadata": {"creationTimestamp": "yesterday"}}))
            .contains("RFC 3339"));
    }

    #[test]
    fn kubectl_json_view() {
        let v = sample().to_json(false);
        assert_eq!(
            v,
            serde_json::json!({
                "apiVersion": "v1", "kind": "Secret", "type": "Opaque",
                "metadata": {"name": "db", "namespace": "app", "uid": "0b3d1f2e-0000-4000-8000-000000000001",
                             "creationTimestamp": "2024-05-01T10:00:00Z"},
                "data": {"password": "czNjcjN0", "user": "YWRtaW4="}
            })
        );
    }

    #[test]
    fn recognises_encodings() {
        assert_eq!(
            decode_stored(b"k8s:enc:aescbc:v1:k:xx"),
            Err(StorageError::StillEncrypted)
        );
        assert!(
            matches!(decode_stored(b"\x00\x01garbage"), Err(StorageError::Unrecognized { head }) if head == "bytes 00 01 67 61 72 62 61 67 …")
        );
        assert!(
            matches!(decode_stored(b""), Err(StorageError::Unrecognized { head }) if head == "no data")
        );
        assert!(
            matches!(decode_stored(b"{\"kind\":"), Err(StorageError::Syntax(m)) if m.starts_with("invalid JSON"))
        );
        let yaml = b"apiVersion: v1\nkind: Secret\nmetadata:\n  name: y\ndata:\n  a: Yg==\n";
        let s = decode_stored(yaml).unwrap().secret().unwrap();
        assert_eq!(
            (s.metadata.name.as_str(), s.data["a"].as_slice()),
            ("y", &b"b"[..])
        );
        let cm = encode_protobuf("v1", "ConfigMap", b"");
        assert!(
            matches!(decode_stored(&cm).unwrap().secret(), Err(StorageError::NotASecret { kind, .. }) if kind == "ConfigMap")
        );
        // Truncated Unknown, truncated Secret.
        let stored = sample().to_storage_protobuf();
        assert!(matches!(
            decode_stored(&stored[..stored.len() - 3]),
            Err(StorageError::Proto {
                what: "runtime.Unknown",
                ..
            })
        ));
        let bad = encode_protobuf("v1", "Secret", &[0x0a, 0x05, 0x0a]);
        assert!(matches!(
            decode_stored(&bad).unwrap().secret(),
            Err(StorageError::Proto {
                what: "v1.Secret",
                ..
            })
        ));
    }

    #[test]
    fn rfc3339() {
        for (text, secs) in [
            ("1970-01-01T00:00:00Z", 0),
            ("2024-05-01T10:00:00Z", 1_714_557_600),
            ("2000-02-29T23:59:59Z", 951_868_799),
            ("0001-01-01T00:00:00Z", -62_135_596_800),
            ("1969-12-31T23:59:59Z", -1),
        ] {
            assert_eq!(
                Time::parse_rfc3339(text),
                Some(Time { seconds: secs }),
                "{text}"
            );
            assert_eq!(Time { seconds: secs }.to_rfc3339(), text);
        }
        assert_eq!(
            Time::parse_rfc3339("2024-05-01T12:00:00.123+02:00"),
            Some(Time {
                seconds: 1_714_557_600
            })
        );
        for bad in [
            "2024-02-30T00:00:00Z",
            "2024-05-01 10:00:00Z",
            "2024-05-01T10:00:00",
            "2024-13-01T00:00:00Z",
            "2024-05-01T10:00:00.Z",
            "2024-05-01T10:00:60Z",
        ] {
            assert_eq!(Time::parse_rfc3339(bad), None, "{bad}");
        }
        // Never panics on extreme values.
        let _ = Time { seconds: i64::MAX }.to_rfc3339();
        let _ = Time { seconds: i64::MIN }.to_rfc3339();
    }
}
