//! Describe an etcd value field by field, without any key: the prefix, the key or provider name,
//! nonces, IVs, tags, lengths, the protobuf fields of a KMS v2 `EncryptedObject`, or the
//! `runtime.Unknown` envelope and Secret summary of a plaintext value. Each [`Segment`] is a
//! byte range, so a front end can draw the value as an annotated byte diagram.
//!
//! Secret values are never shown: for plaintext Secrets only the data keys and their lengths.

use serde::{Deserialize, Serialize};

use super::kmsv2::{DekSourceType, EncryptedObject};
use super::layout::{self, Body, EtcdValue, Scheme, GCM_NONCE_SIZE, HKDF_INFO_SIZE, TAG_SIZE};
use super::storage::{self, Stored};

/// One byte range of the value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Segment {
    pub start: usize,
    pub end: usize,
    /// Nesting level (0 for the top, 1 inside a protobuf field, ...).
    pub depth: u8,
    /// `prefix`, `nonce`, `field 2 keyID`, ...
    pub label: String,
    /// The value shown for it: text, hex, or a length.
    pub detail: String,
}

/// A described value.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Inspection {
    pub length: usize,
    /// `aesgcm`, `kms v2`, `plaintext (protobuf)`, ...
    pub format: String,
    pub segments: Vec<Segment>,
    /// Remarks (what the lengths imply, which mode, ...).
    pub notes: Vec<String>,
    /// Set when the value is malformed; the segments then cover what could be read.
    pub error: Option<String>,
}

/// Hex of `b`.
pub fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

struct Builder {
    out: Inspection,
}

impl Builder {
    fn seg(&mut self, start: usize, len: usize, depth: u8, label: &str, detail: String) {
        self.out.segments.push(Segment {
            start,
            end: start + len,
            depth,
            label: label.into(),
            detail,
        });
    }

    fn note(&mut self, n: String) {
        self.out.notes.push(n);
    }

    fn gcm(&mut self, at: usize, depth: u8, g: &layout::GcmPayload<'_>) {
        self.seg(at, g.nonce.len(), depth, "nonce", hex(g.nonce));
        let ct = g.ciphertext();
        self.seg(
            at + g.nonce.len(),
            ct.len(),
            depth,
            "ciphertext",
            format!("{} bytes (= the plaintext's length)", ct.len()),
        );
        self.seg(
            at + g.nonce.len() + ct.len(),
            TAG_SIZE,
            depth,
            "tag",
            hex(g.tag()),
        );
    }
}

fn printable(b: &[u8]) -> String {
    match std::str::from_utf8(b) {
        Ok(s) if s.chars().all(|c| !c.is_control()) => format!("{s:?}"),
        _ => format!("0x{}", hex(b)),
    }
}

/// Describe `value`.
pub fn inspect(value: &[u8]) -> Inspection {
    let mut b = Builder {
        out: Inspection {
            length: value.len(),
            format: String::new(),
            segments: vec![],
            notes: vec![],
            error: None,
        },
    };
    match layout::split(value) {
        Err(e) => {
            b.out.format = "unknown".into();
            b.out.error = Some(e.to_string());
        }
        Ok(EtcdValue::Plaintext(p)) => plaintext(&mut b, p),
        Ok(EtcdValue::Encrypted(e)) => {
            b.out.format = e.scheme.label().into();
            let plen = e.scheme.prefix().len();
            b.seg(0, plen, 0, "prefix", e.scheme.prefix().to_string());
            b.seg(
                plen,
                e.name.len() + 1,
                0,
                e.scheme.name_kind(),
                format!("{:?} (followed by `:`)", e.name),
            );
            let at = e.payload_offset;
            if e.scheme == Scheme::KmsV2 {
                // Show the fields of an invalid object too, then say why it is invalid.
                match EncryptedObject::decode_unvalidated(e.payload) {
                    Ok(o) => {
                        kms_v2(&mut b, at, &o);
                        if let Err(m) = o.validate() {
                            b.out.error = Some(format!("kms v2 invalid EncryptedObject: {m}"));
                        }
                    }
                    Err(err) => b.out.error = Some(format!("kms v2 {err}")),
                }
                return b.out;
            }
            match e.body() {
                Err(err) => b.out.error = Some(err.to_string()),
                Ok(Body::AesGcm(g)) => {
                    b.gcm(at, 0, &g);
                    b.note("AAD: the etcd key (e.g. /registry/secrets/<namespace>/<name>)".into());
                }
                Ok(Body::AesCbc(c)) => {
                    b.seg(at, c.iv.len(), 0, "IV", hex(c.iv));
                    let n = c.ciphertext.len();
                    b.seg(
                        at + c.iv.len(),
                        n,
                        0,
                        "ciphertext",
                        format!(
                            "{n} bytes, {} blocks (PKCS#7: plaintext of {} to {} bytes)",
                            n / 16,
                            n - 16,
                            n - 1
                        ),
                    );
                    b.note(
                        "no MAC: tampering is not detected (only as a padding error, sometimes)"
                            .into(),
                    );
                }
                Ok(Body::Secretbox(s)) => {
                    b.seg(at, s.nonce.len(), 0, "nonce", hex(s.nonce));
                    b.seg(
                        at + s.nonce.len(),
                        TAG_SIZE,
                        0,
                        "tag (Poly1305)",
                        hex(s.tag()),
                    );
                    let ct = s.ciphertext();
                    b.seg(
                        at + s.nonce.len() + TAG_SIZE,
                        ct.len(),
                        0,
                        "ciphertext (XSalsa20)",
                        format!("{} bytes (= the plaintext's length)", ct.len()),
                    );
                }
                Ok(Body::KmsV1(k)) => {
                    let n = k.encrypted_dek.len();
                    b.seg(at, 2, 0, "DEK length", format!("{n} (uint16 big-endian)"));
                    b.seg(
                        at + 2,
                        n,
                        0,
                        "encrypted DEK",
                        format!("{n} bytes, from the KMS plugin"),
                    );
                    let d = at + 2 + n;
                    match layout::parse_body(Scheme::AesGcm, k.data) {
                        Ok(Body::AesGcm(g)) => {
                            b.gcm(d, 0, &g);
                            b.note("data read as AES-GCM (KMS v1 writes since Kubernetes 1.25); older data is AES-CBC".into());
                        }
                        _ => {
                            b.seg(
                                d,
                                k.data.len(),
                                0,
                                "data",
                                format!("{} bytes", k.data.len()),
                            );
                        }
                    }
                }
                Ok(Body::KmsV2(_)) => {}
            }
        }
    }
    b.out
}

fn kms_v2(b: &mut Builder, at: usize, o: &EncryptedObject<'_>) {
    b.note("payload: protobuf EncryptedObject (k8s.io/apiserver kmsv2/v2)".into());
    for s in &o.spans {
        let header = s.value_start - s.start;
        let start = at + s.start;
        match s.number {
            1 => {
                let len = o.encrypted_data.len();
                b.seg(
                    start,
                    header,
                    1,
                    "field 1 encryptedData",
                    format!("tag 0x0a, {len} bytes"),
                );
                let d = at + s.value_start;
                match o.source_type() {
                    Some(DekSourceType::HkdfSha256XNonceAesGcmSeed) => {
                        if let Ok(sd) = layout::SeedData::parse(o.encrypted_data) {
                            b.seg(d, HKDF_INFO_SIZE, 2, "HKDF info", hex(sd.info));
                            b.gcm(d + HKDF_INFO_SIZE, 2, &sd.gcm);
                        }
                    }
                    _ => {
                        if let Ok(g) = layout::parse_key_mode_data(o.encrypted_data) {
                            b.gcm(d, 2, &g);
                            let counter = g
                                .nonce
                                .get(4..GCM_NONCE_SIZE)
                                .and_then(|c| <[u8; 8]>::try_from(c).ok().map(u64::from_le_bytes));
                            if let Some(c) = counter {
                                b.note(format!(
                                    "key mode nonce: random(4) ‖ counter {c} (uint64 little-endian; upstream starts at 1000000001)"
                                ));
                            }
                        }
                    }
                }
            }
            2 => b.seg(
                start,
                s.end - s.start,
                1,
                "field 2 keyID",
                format!("{:?}", o.key_id),
            ),
            3 => {
                let n = o.encrypted_dek_source.len();
                b.seg(
                    start,
                    header,
                    1,
                    "field 3 encryptedDEKSource",
                    format!("tag 0x1a, {n} bytes"),
                );
                let what = match o.source_type() {
                    Some(DekSourceType::HkdfSha256XNonceAesGcmSeed) => "the seed",
                    _ => "the DEK",
                };
                b.seg(
                    at + s.value_start,
                    n,
                    2,
                    "wrapped",
                    format!("{what}, encrypted by the KMS plugin"),
                );
            }
            4 => {
                let entry = o
                    .annotations
                    .iter()
                    .map(|(k, v)| format!("{k}={}", printable(v)))
                    .collect::<Vec<_>>()
                    .join(", ");
                b.seg(start, s.end - s.start, 1, "field 4 annotations", entry);
            }
            5 => {
                let name = o
                    .source_type()
                    .map(DekSourceType::proto_name)
                    .unwrap_or("unknown");
                b.seg(
                    start,
                    s.end - s.start,
                    1,
                    "field 5 encryptedDEKSourceType",
                    format!("{} ({name})", o.dek_source_type),
                );
            }
            n => b.seg(
                start,
                s.end - s.start,
                1,
                &format!("field {n} (unknown)"),
                String::new(),
            ),
        }
    }
    let mode = match o.source_type() {
        Some(DekSourceType::HkdfSha256XNonceAesGcmSeed) => {
            "seed mode: key = HKDF-Expand-SHA256(seed, info, 32), AES-256-GCM, AAD = etcd key"
        }
        _ => "key mode (field 5 absent = AES_GCM_KEY): AES-256-GCM with the DEK, AAD = etcd key",
    };
    b.note(mode.into());
}

fn plaintext(b: &mut Builder, p: &[u8]) {
    match storage::decode_stored(p) {
        Err(e) => {
            b.out.format = "plaintext (unrecognised)".into();
            b.out.error = Some(e.to_string());
        }
        Ok(Stored::Json(v)) => {
            b.out.format = "plaintext (JSON)".into();
            let kind = v.get("kind").and_then(|k| k.as_str()).unwrap_or("?");
            b.seg(0, p.len(), 0, "JSON object", format!("kind {kind}"));
            if let Ok(s) = Stored::Json(v).secret() {
                secret_summary(b, &s);
            }
            b.note(
                "not encrypted: the identity provider wrote it, or no provider covers the resource"
                    .into(),
            );
        }
        Ok(Stored::Protobuf(u)) => {
            b.out.format = "plaintext (protobuf)".into();
            b.seg(
                0,
                4,
                0,
                "magic",
                "\"k8s\\x00\" (protobuf, runtime.Unknown)".into(),
            );
            b.seg(
                4,
                u.raw_offset - 4,
                1,
                "typeMeta + raw header",
                format!("apiVersion {:?}, kind {:?}", u.api_version, u.kind),
            );
            b.seg(
                u.raw_offset,
                u.raw.len(),
                1,
                "raw",
                format!("{} bytes: the {} message", u.raw.len(), u.kind),
            );
            let tail = u.raw_offset + u.raw.len();
            if tail < p.len() {
                b.seg(
                    tail,
                    p.len() - tail,
                    1,
                    "contentEncoding, contentType",
                    format!("{:?}, {:?}", u.content_encoding, u.content_type),
                );
            }
            match Stored::Protobuf(u).secret() {
                Ok(s) => secret_summary(b, &s),
                Err(storage::StorageError::NotASecret { .. }) => {}
                Err(e) => b.out.error = Some(e.to_string()),
            }
            b.note(
                "not encrypted: the identity provider wrote it, or no provider covers the resource"
                    .into(),
            );
        }
    }
}

fn secret_summary(b: &mut Builder, s: &storage::Secret) {
    b.note(format!(
        "Secret {}/{} type {:?}",
        if s.metadata.namespace.is_empty() {
            "-"
        } else {
            &s.metadata.namespace
        },
        s.metadata.name,
        s.type_
    ));
    let keys: Vec<String> = s
        .data
        .iter()
        .map(|(k, v)| format!("{k} ({} bytes)", v.len()))
        .collect();
    b.note(format!(
        "data keys (values not shown): {}",
        if keys.is_empty() {
            "none".into()
        } else {
            keys.join(", ")
        }
    ));
}

/// Render as a table: offset, length, field, value; then notes and the error.
pub fn render_text(i: &Inspection) -> String {
    let mut out = format!("format: {}\nlength: {} bytes\n\n", i.format, i.length);
    if !i.segments.is_empty() {
        let rows: Vec<(String, &Segment)> = i
            .segments
            .iter()
            .map(|s| {
                (
                    format!("{}{}", "  ".repeat(usize::from(s.depth)), s.label),
                    s,
                )
            })
            .collect();
        let w = rows
            .iter()
            .map(|(l, _)| l.chars().count())
            .max()
            .unwrap_or(5)
            .max(5);
        out += &format!("{:>6}  {:>6}  {:w$}  value\n", "offset", "length", "field");
        for (label, s) in &rows {
            out += &format!(
                "{:>6}  {:>6}  {label:w$}  {}\n",
                s.start,
                s.end - s.start,
                s.detail
            );
        }
    }
    if !i.notes.is_empty() {
        out.push('\n');
        for n in &i.notes {
            out += &format!("note: {n}\n");
        }
    }
    if let Some(e) = &i.error {
        out += &format!("\nerror: {e}\n");
    }
    out
}

#[cfg(test)]
mod tests {
    use super::super::kmsv2::EncryptedObject;
    use super::*;

    fn labels(i: &Inspection) -> Vec<(usize, usize, &str)> {
        i.segments
            .iter()
            .map(|s| (s.start, s.end, s.label.as_str()))
            .collect()
    }

    #[test]
    fn aesgcm_layout() {
        let mut v = b"k8s:enc:aesgcm:v1:key1:".to_vec();
        v.extend_from_slice(&[0xab; 12]);
        v.extend_from_slice(&[0; 19]);
        v.extend_from_slice(&[0xcd; 16]);
        let i = inspect(&v);
        assert_eq!(i.format, "aesgcm");
        assert_eq!(
            labels(&i),
            [
                (0, 18, "prefix"),
                (18, 23, "key name"),
                (23, 35, "nonce"),
                (35, 54, "ciphertext"),
                (54, 70, "tag")
            ]
        );
        assert_eq!(i.segments[2].detail, "ab".repeat(12));
        assert!(i.error.is_none());
        let text = render_text(&i);
        assert!(text.contains("    23      12  nonce       abab"), "{text}");
    }

    #[test]
    fn kms_v2_fields() {
        let mut data = vec![1u8; 32];
        data.extend_from_slice(&[2; 12]);
        data.extend_from_slice(&[3; 5 + 16]);
        let o = EncryptedObject {
            encrypted_data: &data,
            key_id: "kek-1",
            encrypted_dek_source: &[7; 60],
            annotations: vec![("v.kms.example.com", b"1")],
            dek_source_type: 1,
            spans: vec![],
        };
        let v = [b"k8s:enc:kms:v2:vault:".as_slice(), &o.encode()].concat();
        let i = inspect(&v);
        let l: Vec<&str> = i.segments.iter().map(|s| s.label.as_str()).collect();
        assert_eq!(
            l,
            [
                "prefix",
                "provider name",
                "field 1 encryptedData",
                "HKDF info",
                "nonce",
                "ciphertext",
                "tag",
                "field 2 keyID",
                "field 3 encryptedDEKSource",
                "wrapped",
                "field 4 annotations",
                "field 5 encryptedDEKSourceType"
            ]
        );
        let f5 = i.segments.last().unwrap();
        assert_eq!(f5.detail, "1 (HKDF_SHA256_XNONCE_AES_GCM_SEED)");
        assert_eq!(f5.end, v.len());
        assert_eq!(i.segments[3].start, 21 + 2);
        assert_eq!(i.segments[10].detail, "v.kms.example.com=\"1\"");
        assert!(i.notes.iter().any(|n| n.starts_with("seed mode")));
    }

    #[test]
    fn plaintext_secret_hides_values() {
        let mut s = storage::Secret::default();
        s.metadata.name = "db".into();
        s.metadata.namespace = "app".into();
        s.data.insert("password".into(), b"hunter2".to_vec());
        s.type_ = "Opaque".into();
        let i = inspect(&s.to_storage_protobuf());
        assert_eq!(i.format, "plaintext (protobuf)");
        let text = render_text(&i);
        assert!(
            text.contains("data keys (values not shown): password (7 bytes)"),
            "{text}"
        );
        assert!(
            !text.contains("hunter2") && !text.contains("aHVudGVyMg"),
            "{text}"
        );
        let j = inspect(&s.to_storage_json());
        assert_eq!(j.format, "plaintext (JSON)");
    }

    #[test]
    fn malformed_values_keep_what_was_read() {
        let i = inspect(b"k8s:enc:aescbc:v1:k1:0123456789abcdef0123");
        assert_eq!(labels(&i).len(), 2);
        assert_eq!(
            i.error.as_deref(),
            Some("aescbc ciphertext is 4 bytes, not a non-zero multiple of the 16-byte block size")
        );
        let i = inspect(b"k8s:enc:nope:v1:k:");
        assert!(i
            .error
            .unwrap()
            .starts_with("unknown encryption prefix `k8s:enc:nope:v1:`"));
        let i = inspect(b"k8s:enc:kms:v2:p:\x12\x01k");
        assert_eq!(labels(&i)[2], (17, 20, "field 2 keyID"));
        assert_eq!(
            i.error.as_deref(),
            Some("kms v2 invalid EncryptedObject: encrypted data is empty")
        );
        let i = inspect(b"\x01\x02");
        assert_eq!(i.format, "plaintext (unrecognised)");
    }
}
