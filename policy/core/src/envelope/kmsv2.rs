//! The KMS v2 `EncryptedObject` message (kubernetes/apiserver
//! `pkg/storage/value/encrypt/envelope/kmsv2/v2/api.proto`), and the upstream validation
//! (`ValidateEncryptedObject`, `kmsv2/envelope.go`).
//!
//! ```proto
//! message EncryptedObject {
//!   bytes encryptedData = 1;
//!   string keyID = 2;
//!   bytes encryptedDEKSource = 3;
//!   map<string, bytes> annotations = 4;
//!   EncryptedDEKSourceType encryptedDEKSourceType = 5;
//! }
//! ```
//!
//! Encoding follows Go's `proto.Marshal`: fields in number order, proto3 defaults (empty bytes,
//! `AES_GCM_KEY = 0`) omitted, annotations in the given order. Decoding accepts any field order,
//! keeps the last occurrence of a repeated scalar field, skips unknown fields and fields with an
//! unexpected wire type (as `proto.Unmarshal` does) and requires UTF-8 strings (proto3).

use std::fmt;

use super::proto::{self, ProtoError, Reader, WireValue};

/// Largest `keyID` the apiserver accepts (`KeyIDMaxSize`).
pub const KEY_ID_MAX_SIZE: usize = 1024;
/// Largest `encryptedDEKSource` (`encryptedDEKSourceMaxSize`).
pub const ENCRYPTED_DEK_SOURCE_MAX_SIZE: usize = 1024;
/// Largest total size of the annotations' keys and values (`annotationsMaxSize`).
pub const ANNOTATIONS_MAX_SIZE: usize = 32 * 1024;

/// What `encryptedDEKSource` decrypts to.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum DekSourceType {
    /// `AES_GCM_KEY = 0`: the AES-256-GCM DEK itself (key mode, Kubernetes 1.25–1.28).
    AesGcmKey,
    /// `HKDF_SHA256_XNONCE_AES_GCM_SEED = 1`: a 32-byte seed; every write derives its own key
    /// with HKDF-SHA256 from 32 random bytes stored before the nonce (seed mode, default since
    /// Kubernetes 1.29).
    HkdfSha256XNonceAesGcmSeed,
}

impl DekSourceType {
    /// The enum number.
    pub fn number(self) -> u64 {
        match self {
            DekSourceType::AesGcmKey => 0,
            DekSourceType::HkdfSha256XNonceAesGcmSeed => 1,
        }
    }

    /// The enum value's name in the `.proto` file.
    pub fn proto_name(self) -> &'static str {
        match self {
            DekSourceType::AesGcmKey => "AES_GCM_KEY",
            DekSourceType::HkdfSha256XNonceAesGcmSeed => "HKDF_SHA256_XNONCE_AES_GCM_SEED",
        }
    }

    /// `None` for a number the apiserver does not know.
    pub fn from_number(n: u64) -> Option<DekSourceType> {
        match n {
            0 => Some(DekSourceType::AesGcmKey),
            1 => Some(DekSourceType::HkdfSha256XNonceAesGcmSeed),
            _ => None,
        }
    }
}

/// Where a field sat in the encoded message (offsets relative to the start of the message).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct FieldSpan {
    pub number: u32,
    /// Offset of the field's tag.
    pub start: usize,
    /// Offset of its value.
    pub value_start: usize,
    /// Offset just past it.
    pub end: usize,
}

/// A decoded (or to-be-encoded) `EncryptedObject`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct EncryptedObject<'a> {
    /// Field 1: the data encrypted with the DEK (key mode: nonce ‖ ciphertext ‖ tag; seed mode:
    /// info ‖ nonce ‖ ciphertext ‖ tag).
    pub encrypted_data: &'a [u8],
    /// Field 2: the KMS key that wrapped the DEK or seed.
    pub key_id: &'a str,
    /// Field 3: the DEK or seed, encrypted by the KMS plugin.
    pub encrypted_dek_source: &'a [u8],
    /// Field 4: the plugin's annotations, in wire order.
    pub annotations: Vec<(&'a str, &'a [u8])>,
    /// Field 5, as a number (an unknown value is kept so that validation can name it).
    pub dek_source_type: u64,
    /// The fields as they were read, in wire order (empty for an object built to be encoded).
    pub spans: Vec<FieldSpan>,
}

/// Why an `EncryptedObject` is rejected.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ObjectError {
    /// The bytes are not a protobuf message.
    Proto(ProtoError),
    /// `ValidateEncryptedObject` fails; the message is upstream's.
    Invalid(String),
}

impl fmt::Display for ObjectError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ObjectError::Proto(e) => write!(f, "EncryptedObject is not valid protobuf: {e}"),
            ObjectError::Invalid(m) => write!(f, "invalid EncryptedObject: {m}"),
        }
    }
}

impl std::error::Error for ObjectError {}

impl<'a> EncryptedObject<'a> {
    /// The known DEK source type, if the number is one.
    pub fn source_type(&self) -> Option<DekSourceType> {
        DekSourceType::from_number(self.dek_source_type)
    }

    /// Decode and validate.
    pub fn decode(bytes: &'a [u8]) -> Result<EncryptedObject<'a>, ObjectError> {
        let o = EncryptedObject::decode_unvalidated(bytes)?;
        o.validate().map_err(ObjectError::Invalid)?;
        Ok(o)
    }

    /// Decode without the upstream validation (the inspector shows invalid objects too).
    pub fn decode_unvalidated(bytes: &'a [u8]) -> Result<EncryptedObject<'a>, ObjectError> {
        let mut o = EncryptedObject {
            encrypted_data: &[],
            key_id: "",
            encrypted_dek_source: &[],
            annotations: vec![],
            dek_source_type: 0,
            spans: vec![],
        };
        for field in Reader::new(bytes) {
            let field = field.map_err(ObjectError::Proto)?;
            o.spans.push(FieldSpan {
                number: field.number,
                start: field.start,
                value_start: field.value_start,
                end: field.end,
            });
            match (field.number, field.value) {
                (1, WireValue::Bytes(b)) => o.encrypted_data = b,
                (2, WireValue::Bytes(_)) => {
                    o.key_id = field
                        .string("keyID")
                        .map_err(ObjectError::Proto)?
                        .unwrap_or_default();
                }
                (3, WireValue::Bytes(b)) => o.encrypted_dek_source = b,
                (4, WireValue::Bytes(entry)) => {
                    let (k, v) = decode_map_entry(entry, field.value_start)?;
                    // A repeated key replaces the earlier value, as in a Go map.
                    o.annotations.retain(|(key, _)| *key != k);
                    o.annotations.push((k, v));
                }
                // proto3 enums are int32 on the wire.
                (5, WireValue::Varint(v)) => o.dek_source_type = u64::from(v as u32),
                _ => {}
            }
        }
        Ok(o)
    }

    /// The upstream checks, with upstream's messages.
    pub fn validate(&self) -> Result<(), String> {
        if self.source_type().is_none() {
            return Err(format!(
                "failed to validate encrypted DEK source type: unknown encryptedDEKSourceType: {}",
                self.dek_source_type as u32 as i32
            ));
        }
        if self.encrypted_data.is_empty() {
            return Err("encrypted data is empty".into());
        }
        if self.encrypted_dek_source.is_empty() {
            return Err(
                "failed to validate encrypted DEK source: encrypted DEK source is empty".into(),
            );
        }
        if self.encrypted_dek_source.len() > ENCRYPTED_DEK_SOURCE_MAX_SIZE {
            return Err(format!(
                "failed to validate encrypted DEK source: encrypted DEK source is {} bytes, which exceeds the max size of {ENCRYPTED_DEK_SOURCE_MAX_SIZE}",
                self.encrypted_dek_source.len()
            ));
        }
        validate_key_id(self.key_id)?;
        validate_annotations(&self.annotations)
    }

    /// Encode as Go's `proto.Marshal` does (see the module documentation).
    pub fn encode(&self) -> Vec<u8> {
        let mut out = Vec::with_capacity(
            self.encrypted_data.len() + self.encrypted_dek_source.len() + self.key_id.len() + 16,
        );
        if !self.encrypted_data.is_empty() {
            proto::put_bytes(&mut out, 1, self.encrypted_data);
        }
        if !self.key_id.is_empty() {
            proto::put_bytes(&mut out, 2, self.key_id.as_bytes());
        }
        if !self.encrypted_dek_source.is_empty() {
            proto::put_bytes(&mut out, 3, self.encrypted_dek_source);
        }
        for (k, v) in &self.annotations {
            let mut entry = vec![];
            proto::put_bytes(&mut entry, 1, k.as_bytes());
            proto::put_bytes(&mut entry, 2, v);
            proto::put_bytes(&mut out, 4, &entry);
        }
        if self.dek_source_type != 0 {
            proto::put_varint_field(&mut out, 5, self.dek_source_type);
        }
        out
    }
}

fn decode_map_entry(entry: &[u8], base: usize) -> Result<(&str, &[u8]), ObjectError> {
    let (mut key, mut value) = ("", &[][..]);
    for f in Reader::with_base(entry, base) {
        let f = f.map_err(ObjectError::Proto)?;
        match (f.number, f.value) {
            (1, WireValue::Bytes(_)) => {
                key = f
                    .string("annotations.key")
                    .map_err(ObjectError::Proto)?
                    .unwrap_or_default();
            }
            (2, WireValue::Bytes(b)) => value = b,
            _ => {}
        }
    }
    Ok((key, value))
}

/// `validateKeyID`.
pub fn validate_key_id(key_id: &str) -> Result<(), String> {
    if key_id.is_empty() {
        return Err("failed to validate key id: keyID is empty".into());
    }
    if key_id.len() > KEY_ID_MAX_SIZE {
        return Err(format!(
            "failed to validate key id: keyID is {} bytes, which exceeds the max size of {KEY_ID_MAX_SIZE}",
            key_id.len()
        ));
    }
    Ok(())
}

/// `validateAnnotations`: every key a fully qualified domain name, total size bounded.
pub fn validate_annotations(annotations: &[(&str, &[u8])]) -> Result<(), String> {
    let mut bad = vec![];
    let mut total = 0usize;
    for (k, v) in annotations {
        if !is_fully_qualified_domain_name(k) {
            bad.push(format!(
                "annotation key {k:?} is not a fully qualified domain name"
            ));
        }
        total += k.len() + v.len();
    }
    if !bad.is_empty() {
        return Err(format!(
            "failed to validate annotations: {}",
            bad.join("; ")
        ));
    }
    if total > ANNOTATIONS_MAX_SIZE {
        return Err(format!(
            "failed to validate annotations: annotations exceeds size of {ANNOTATIONS_MAX_SIZE} bytes ({total})"
        ));
    }
    Ok(())
}

/// Kubernetes `validation.IsFullyQualifiedDomainName`: a lower-case RFC 1123 subdomain of at
/// least two labels (a trailing `.` is allowed), at most 253 characters, labels of at most 63.
pub fn is_fully_qualified_domain_name(name: &str) -> bool {
    let name = name.strip_suffix('.').unwrap_or(name);
    if name.is_empty() || name.len() > 253 || !name.contains('.') {
        return false;
    }
    name.split('.').all(|label| {
        let b = label.as_bytes();
        !b.is_empty()
            && b.len() <= 63
            && b.iter()
                .all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || *c == b'-')
            && b[0] != b'-'
            && b[b.len() - 1] != b'-'
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn object<'a>(data: &'a [u8], key_id: &'a str, dek: &'a [u8]) -> EncryptedObject<'a> {
        EncryptedObject {
            encrypted_data: data,
            key_id,
            encrypted_dek_source: dek,
            annotations: vec![],
            dek_source_type: 0,
            spans: vec![],
        }
    }

    #[test]
    fn upstream_encode_decode_bytes() {
        // kmsv2 TestEncodeDecode's object: {EncryptedData: 01 02 03, KeyID: "1",
        // EncryptedDEKSource: 04 05 06} (storage-formats.md §7.1).
        let o = object(&[1, 2, 3], "1", &[4, 5, 6]);
        let bytes = o.encode();
        assert_eq!(
            bytes,
            [0x0a, 3, 1, 2, 3, 0x12, 1, b'1', 0x1a, 3, 4, 5, 6],
            "field order 1, 2, 3; type 0 omitted"
        );
        let back = EncryptedObject::decode(&bytes).unwrap();
        assert_eq!(back.encrypted_data, [1, 2, 3]);
        assert_eq!(back.key_id, "1");
        assert_eq!(back.encrypted_dek_source, [4, 5, 6]);
        assert_eq!(back.source_type(), Some(DekSourceType::AesGcmKey));
        assert_eq!(
            back.spans
                .iter()
                .map(|s| (s.number, s.start, s.end))
                .collect::<Vec<_>>(),
            [(1, 0, 5), (2, 5, 8), (3, 8, 13)]
        );
    }

    #[test]
    fn seed_type_and_annotations() {
        let mut o = object(b"data", "kek-1", b"wrapped");
        o.dek_source_type = 1;
        o.annotations = vec![("version.encryption.remote.io", b"1")];
        let bytes = o.encode();
        assert_eq!(&bytes[bytes.len() - 2..], [0x28, 0x01]);
        let back = EncryptedObject::decode(&bytes).unwrap();
        assert_eq!(
            back.source_type(),
            Some(DekSourceType::HkdfSha256XNonceAesGcmSeed)
        );
        assert_eq!(
            back.annotations,
            vec![("version.encryption.remote.io", &b"1"[..])]
        );
        // Entry: 22 <len> 0a <len> key 12 01 31.
        let entry_at = bytes.iter().position(|b| *b == 0x22).unwrap();
        assert_eq!(bytes[entry_at + 1] as usize, 2 + 28 + 3);
    }

    #[test]
    fn any_field_order_last_wins_unknown_skipped() {
        let mut bytes = vec![];
        proto::put_varint_field(&mut bytes, 5, 1);
        proto::put_bytes(&mut bytes, 3, b"dek");
        proto::put_bytes(&mut bytes, 2, b"old");
        proto::put_bytes(&mut bytes, 2, b"new");
        proto::put_bytes(&mut bytes, 9, b"unknown");
        proto::put_varint_field(&mut bytes, 1, 7); // wrong wire type: skipped as unknown
        proto::put_bytes(&mut bytes, 1, b"data");
        let o = EncryptedObject::decode(&bytes).unwrap();
        assert_eq!(o.key_id, "new");
        assert_eq!(o.encrypted_data, b"data");
        assert_eq!(o.encrypted_dek_source, b"dek");
        assert_eq!(
            o.source_type(),
            Some(DekSourceType::HkdfSha256XNonceAesGcmSeed)
        );
    }

    #[test]
    fn validation_messages() {
        let err = |o: &EncryptedObject<'_>| o.validate().unwrap_err();
        assert_eq!(err(&object(b"", "1", b"d")), "encrypted data is empty");
        assert!(err(&object(b"x", "1", b"")).contains("encrypted DEK source is empty"));
        assert!(err(&object(b"x", "", b"d")).contains("keyID is empty"));
        let long = "k".repeat(1025);
        assert!(err(&object(b"x", &long, b"d"))
            .contains("1025 bytes, which exceeds the max size of 1024"));
        let big = vec![0u8; 1025];
        assert!(err(&object(b"x", "1", &big)).contains("exceeds the max size of 1024"));
        let mut o = object(b"x", "1", b"d");
        o.dek_source_type = 7;
        assert!(err(&o).contains("unknown encryptedDEKSourceType: 7"));
        o.dek_source_type = 0;
        o.annotations = vec![("NotADomain", b"v")];
        assert!(err(&o).contains("not a fully qualified domain name"));
        let value = vec![0u8; 32 * 1024];
        o.annotations = vec![("a.b", &value)];
        assert!(err(&o).contains("exceeds size of 32768"));
        // Decode validates; decode_unvalidated does not.
        let bytes = object(b"", "1", b"d").encode();
        assert!(matches!(
            EncryptedObject::decode(&bytes),
            Err(ObjectError::Invalid(_))
        ));
        assert!(EncryptedObject::decode_unvalidated(&bytes).is_ok());
    }

    #[test]
    fn malformed() {
        assert!(matches!(
            EncryptedObject::decode(&[0x0a, 0x09, 1]),
            Err(ObjectError::Proto(ProtoError::Truncated { offset: 0 }))
        ));
        assert!(matches!(
            EncryptedObject::decode(&[0x12, 0x01, 0xff]),
            Err(ObjectError::Proto(ProtoError::InvalidUtf8 { .. }))
        ));
        assert!(matches!(
            EncryptedObject::decode(b"k8s:enc"),
            Err(ObjectError::Proto(_))
        ));
    }

    #[test]
    fn fqdn() {
        for ok in [
            "a.b",
            "version.encryption.remote.io",
            "local-kek.kms.kubernetes.io",
            "a.b.",
        ] {
            assert!(is_fully_qualified_domain_name(ok), "{ok}");
        }
        for bad in ["", "a", "A.b", "-a.b", "a-.b", "a..b", "a_b.c", "a.b.."] {
            assert!(!is_fully_qualified_domain_name(bad), "{bad}");
        }
    }
}
