//! The byte layouts of encrypted etcd values (storage-formats.md §0–§5):
//!
//! | provider | value |
//! |---|---|
//! | `aesgcm` | `k8s:enc:aesgcm:v1:<key>:` nonce(12) ‖ ciphertext ‖ tag(16) |
//! | `aescbc` | `k8s:enc:aescbc:v1:<key>:` IV(16) ‖ AES-CBC(PKCS#7(plaintext)) |
//! | `secretbox` | `k8s:enc:secretbox:v1:<key>:` nonce(24) ‖ tag(16) ‖ ciphertext |
//! | `kms` v1 | `k8s:enc:kms:v1:<name>:` uint16 BE len ‖ encrypted DEK ‖ AES-GCM (or legacy AES-CBC) payload |
//! | `kms` v2 | `k8s:enc:kms:v2:<name>:` protobuf [`EncryptedObject`] |
//!
//! Anything that does not start with `k8s:enc:` is plaintext (the `identity` provider).
//!
//! [`split`] reads a value on its own, so it takes the key or provider name up to the first `:`
//! (a KMS v1 name may itself contain `:`; the apiserver matches configured names as byte
//! prefixes instead, see [`super::config`]). [`parse_body`] checks the lengths of the payload
//! that follows a known prefix.

use std::fmt;

use super::kmsv2::{EncryptedObject, ObjectError};

/// Every encrypted value starts with this.
pub const ENCRYPTED_PREFIX: &[u8] = b"k8s:enc:";

/// AES-GCM nonce size.
pub const GCM_NONCE_SIZE: usize = 12;
/// AES-GCM and Poly1305 tag size.
pub const TAG_SIZE: usize = 16;
/// AES block (and CBC IV) size.
pub const AES_BLOCK_SIZE: usize = 16;
/// XSalsa20 nonce size.
pub const SECRETBOX_NONCE_SIZE: usize = 24;
/// HKDF info size in KMS v2 seed mode.
pub const HKDF_INFO_SIZE: usize = 32;

/// An encrypted value's format, named by its prefix.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Scheme {
    AesGcm,
    AesCbc,
    Secretbox,
    KmsV1,
    KmsV2,
}

impl Scheme {
    pub const ALL: [Scheme; 5] = [
        Scheme::AesGcm,
        Scheme::AesCbc,
        Scheme::Secretbox,
        Scheme::KmsV1,
        Scheme::KmsV2,
    ];

    /// The value prefix, before the key or provider name.
    pub fn prefix(self) -> &'static str {
        match self {
            Scheme::AesGcm => "k8s:enc:aesgcm:v1:",
            Scheme::AesCbc => "k8s:enc:aescbc:v1:",
            Scheme::Secretbox => "k8s:enc:secretbox:v1:",
            Scheme::KmsV1 => "k8s:enc:kms:v1:",
            Scheme::KmsV2 => "k8s:enc:kms:v2:",
        }
    }

    /// How messages name it: `aesgcm`, `kms v2`, ...
    pub fn label(self) -> &'static str {
        match self {
            Scheme::AesGcm => "aesgcm",
            Scheme::AesCbc => "aescbc",
            Scheme::Secretbox => "secretbox",
            Scheme::KmsV1 => "kms v1",
            Scheme::KmsV2 => "kms v2",
        }
    }

    /// What the name after the prefix is.
    pub fn name_kind(self) -> &'static str {
        match self {
            Scheme::KmsV1 | Scheme::KmsV2 => "provider name",
            _ => "key name",
        }
    }

    /// The scheme whose prefix `value` starts with.
    pub fn of(value: &[u8]) -> Option<Scheme> {
        Scheme::ALL
            .into_iter()
            .find(|s| value.starts_with(s.prefix().as_bytes()))
    }
}

/// A malformed encrypted value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum LayoutError {
    /// Starts with `k8s:enc:` but no known provider prefix follows.
    UnknownPrefix(String),
    /// No `:` ends the key or provider name.
    MissingName { scheme: Scheme },
    /// The key or provider name is empty.
    EmptyName { scheme: Scheme },
    /// The key or provider name is not UTF-8.
    NameNotUtf8 { scheme: Scheme },
    /// The payload is shorter than its fixed parts.
    TooShort {
        scheme: Scheme,
        what: &'static str,
        need: usize,
        have: usize,
    },
    /// An AES-CBC ciphertext that is not a whole number of blocks.
    NotBlockAligned { len: usize },
    /// A KMS v1 DEK length prefix that points past the end.
    KmsV1DekLength { declared: usize, have: usize },
    /// A KMS v1 encrypted DEK of 0 or more than 65535 bytes.
    KmsV1DekSize { len: usize },
    /// A bad KMS v2 `EncryptedObject`.
    KmsV2(ObjectError),
}

impl fmt::Display for LayoutError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            LayoutError::UnknownPrefix(p) => write!(
                f,
                "unknown encryption prefix `{p}` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"
            ),
            LayoutError::MissingName { scheme } => write!(
                f,
                "{} value has no `:` after the {} that follows `{}`",
                scheme.label(),
                scheme.name_kind(),
                scheme.prefix()
            ),
            LayoutError::EmptyName { scheme } => {
                write!(f, "{} value has an empty {}", scheme.label(), scheme.name_kind())
            }
            LayoutError::NameNotUtf8 { scheme } => write!(
                f,
                "{} value's {} is not UTF-8",
                scheme.label(),
                scheme.name_kind()
            ),
            LayoutError::TooShort {
                scheme,
                what,
                need,
                have,
            } => write!(
                f,
                "{} payload is truncated: {what} needs {need} bytes, only {have} left",
                scheme.label()
            ),
            LayoutError::NotBlockAligned { len } => write!(
                f,
                "aescbc ciphertext is {len} bytes, not a non-zero multiple of the 16-byte block size"
            ),
            LayoutError::KmsV1DekLength { declared, have } => write!(
                f,
                "kms v1 payload is truncated: its length prefix declares a {declared}-byte encrypted DEK, only {have} bytes follow"
            ),
            LayoutError::KmsV1DekSize { len } => write!(
                f,
                "kms v1 encrypted DEK is {len} bytes; it must be 1 to 65535 bytes (uint16 length prefix)"
            ),
            LayoutError::KmsV2(e) => write!(f, "kms v2 {e}"),
        }
    }
}

impl std::error::Error for LayoutError {}

/// An AES-GCM payload: `nonce(12) ‖ ciphertext ‖ tag(16)`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct GcmPayload<'a> {
    pub nonce: &'a [u8],
    /// Ciphertext followed by the tag, as AEAD APIs take it.
    pub sealed: &'a [u8],
}

impl<'a> GcmPayload<'a> {
    fn parse(scheme: Scheme, payload: &'a [u8]) -> Result<Self, LayoutError> {
        need(scheme, "the AES-GCM nonce", GCM_NONCE_SIZE, payload.len())?;
        let (nonce, sealed) = payload.split_at(GCM_NONCE_SIZE);
        need(scheme, "the AES-GCM tag", TAG_SIZE, sealed.len())?;
        Ok(GcmPayload { nonce, sealed })
    }

    pub fn ciphertext(&self) -> &'a [u8] {
        &self.sealed[..self.sealed.len().saturating_sub(TAG_SIZE)]
    }

    pub fn tag(&self) -> &'a [u8] {
        &self.sealed[self.sealed.len().saturating_sub(TAG_SIZE)..]
    }

    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.nonce);
        out.extend_from_slice(self.sealed);
    }
}

/// An AES-CBC payload: `IV(16) ‖ ciphertext` (PKCS#7-padded, so at least one block).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct CbcPayload<'a> {
    pub iv: &'a [u8],
    pub ciphertext: &'a [u8],
}

impl<'a> CbcPayload<'a> {
    fn parse(scheme: Scheme, payload: &'a [u8]) -> Result<Self, LayoutError> {
        need(scheme, "the AES-CBC IV", AES_BLOCK_SIZE, payload.len())?;
        let (iv, ciphertext) = payload.split_at(AES_BLOCK_SIZE);
        if ciphertext.is_empty() || ciphertext.len() % AES_BLOCK_SIZE != 0 {
            return Err(LayoutError::NotBlockAligned {
                len: ciphertext.len(),
            });
        }
        Ok(CbcPayload { iv, ciphertext })
    }

    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.iv);
        out.extend_from_slice(self.ciphertext);
    }
}

/// A NaCl secretbox payload: `nonce(24) ‖ tag(16) ‖ ciphertext`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SecretboxPayload<'a> {
    pub nonce: &'a [u8],
    /// Poly1305 tag followed by the ciphertext (NaCl's layout).
    pub sealed: &'a [u8],
}

impl<'a> SecretboxPayload<'a> {
    fn parse(payload: &'a [u8]) -> Result<Self, LayoutError> {
        let s = Scheme::Secretbox;
        need(s, "the XSalsa20 nonce", SECRETBOX_NONCE_SIZE, payload.len())?;
        let (nonce, sealed) = payload.split_at(SECRETBOX_NONCE_SIZE);
        need(s, "the Poly1305 tag", TAG_SIZE, sealed.len())?;
        Ok(SecretboxPayload { nonce, sealed })
    }

    pub fn tag(&self) -> &'a [u8] {
        &self.sealed[..TAG_SIZE.min(self.sealed.len())]
    }

    pub fn ciphertext(&self) -> &'a [u8] {
        &self.sealed[TAG_SIZE.min(self.sealed.len())..]
    }

    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.nonce);
        out.extend_from_slice(self.sealed);
    }
}

/// A KMS v1 payload: `uint16 BE len(encDEK) ‖ encDEK ‖ data`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct KmsV1Payload<'a> {
    /// The DEK as the KMS plugin encrypted it.
    pub encrypted_dek: &'a [u8],
    /// The data encrypted with the DEK: an AES-GCM payload (written since Kubernetes 1.25) or
    /// an AES-CBC one (older writes).
    pub data: &'a [u8],
}

impl<'a> KmsV1Payload<'a> {
    fn parse(payload: &'a [u8]) -> Result<Self, LayoutError> {
        need(Scheme::KmsV1, "the DEK length prefix", 2, payload.len())?;
        let declared = usize::from(u16::from_be_bytes([payload[0], payload[1]]));
        let rest = &payload[2..];
        if declared > rest.len() {
            return Err(LayoutError::KmsV1DekLength {
                declared,
                have: rest.len(),
            });
        }
        if declared == 0 {
            return Err(LayoutError::KmsV1DekSize { len: 0 });
        }
        let (encrypted_dek, data) = rest.split_at(declared);
        Ok(KmsV1Payload {
            encrypted_dek,
            data,
        })
    }

    pub fn write_to(&self, out: &mut Vec<u8>) -> Result<(), LayoutError> {
        let len = u16::try_from(self.encrypted_dek.len())
            .ok()
            .filter(|l| *l > 0)
            .ok_or(LayoutError::KmsV1DekSize {
                len: self.encrypted_dek.len(),
            })?;
        out.extend_from_slice(&len.to_be_bytes());
        out.extend_from_slice(self.encrypted_dek);
        out.extend_from_slice(self.data);
        Ok(())
    }
}

/// KMS v2 seed mode `encryptedData`: `info(32) ‖ nonce(12) ‖ ciphertext ‖ tag(16)`; the AES-GCM
/// key is HKDF-Expand-SHA256(seed, info, 32).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct SeedData<'a> {
    pub info: &'a [u8],
    pub gcm: GcmPayload<'a>,
}

impl<'a> SeedData<'a> {
    pub fn parse(encrypted_data: &'a [u8]) -> Result<Self, LayoutError> {
        need(
            Scheme::KmsV2,
            "the HKDF info of seed mode",
            HKDF_INFO_SIZE,
            encrypted_data.len(),
        )?;
        let (info, rest) = encrypted_data.split_at(HKDF_INFO_SIZE);
        Ok(SeedData {
            info,
            gcm: GcmPayload::parse(Scheme::KmsV2, rest)?,
        })
    }

    pub fn write_to(&self, out: &mut Vec<u8>) {
        out.extend_from_slice(self.info);
        self.gcm.write_to(out);
    }
}

/// The KMS v2 key mode writer's first nonce counter (`zero + 1`, upstream `aes.go`): a fresh
/// apiserver process starts at 1,000,000,001 and counts up with every write.
pub const KEY_MODE_FIRST_COUNTER: u64 = 1_000_000_001;

/// The nonce of a KMS v2 key mode write: 4 random bytes ‖ the writer's counter as a
/// little-endian uint64 (upstream `aes.go`, `NewGCMTransformerWithUniqueKeyUnsafe`).
pub fn key_mode_nonce(random: [u8; 4], counter: u64) -> [u8; GCM_NONCE_SIZE] {
    let mut nonce = [0u8; GCM_NONCE_SIZE];
    nonce[..4].copy_from_slice(&random);
    nonce[4..].copy_from_slice(&counter.to_le_bytes());
    nonce
}

/// KMS v2 key mode `encryptedData`: a plain AES-GCM payload.
pub fn parse_key_mode_data(encrypted_data: &[u8]) -> Result<GcmPayload<'_>, LayoutError> {
    GcmPayload::parse(Scheme::KmsV2, encrypted_data)
}

fn need(scheme: Scheme, what: &'static str, need: usize, have: usize) -> Result<(), LayoutError> {
    if have < need {
        Err(LayoutError::TooShort {
            scheme,
            what,
            need,
            have,
        })
    } else {
        Ok(())
    }
}

/// A payload after its prefix, with its lengths checked.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Body<'a> {
    AesGcm(GcmPayload<'a>),
    AesCbc(CbcPayload<'a>),
    Secretbox(SecretboxPayload<'a>),
    KmsV1(KmsV1Payload<'a>),
    KmsV2(EncryptedObject<'a>),
}

/// Parse the payload that follows `scheme`'s prefix and name.
pub fn parse_body(scheme: Scheme, payload: &[u8]) -> Result<Body<'_>, LayoutError> {
    Ok(match scheme {
        Scheme::AesGcm => Body::AesGcm(GcmPayload::parse(scheme, payload)?),
        Scheme::AesCbc => Body::AesCbc(CbcPayload::parse(scheme, payload)?),
        Scheme::Secretbox => Body::Secretbox(SecretboxPayload::parse(payload)?),
        Scheme::KmsV1 => Body::KmsV1(KmsV1Payload::parse(payload)?),
        Scheme::KmsV2 => Body::KmsV2(EncryptedObject::decode(payload).map_err(LayoutError::KmsV2)?),
    })
}

/// An encrypted value split into prefix, name and payload.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Encrypted<'a> {
    pub scheme: Scheme,
    /// The key name (aes*, secretbox) or KMS provider name.
    pub name: &'a str,
    /// Where the payload starts in the value.
    pub payload_offset: usize,
    pub payload: &'a [u8],
}

impl<'a> Encrypted<'a> {
    /// The payload with its lengths checked.
    pub fn body(&self) -> Result<Body<'a>, LayoutError> {
        parse_body(self.scheme, self.payload)
    }
}

/// An etcd value: plaintext or encrypted.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum EtcdValue<'a> {
    /// No `k8s:enc:` prefix: what the `identity` provider stores.
    Plaintext(&'a [u8]),
    Encrypted(Encrypted<'a>),
}

/// Split a value into prefix, name and payload (see the module documentation about names).
pub fn split(value: &[u8]) -> Result<EtcdValue<'_>, LayoutError> {
    if !value.starts_with(ENCRYPTED_PREFIX) {
        return Ok(EtcdValue::Plaintext(value));
    }
    let Some(scheme) = Scheme::of(value) else {
        // Show the prefix up to its version (`k8s:enc:foo:v1:`), at most 40 bytes.
        let head = &value[..value.len().min(40)];
        let mut colons = 0;
        let end = head
            .iter()
            .position(|b| {
                colons += usize::from(*b == b':');
                colons == 4
            })
            .map(|i| i + 1)
            .unwrap_or(head.len());
        return Err(LayoutError::UnknownPrefix(
            String::from_utf8_lossy(&head[..end]).into_owned(),
        ));
    };
    let rest = &value[scheme.prefix().len()..];
    let colon = rest
        .iter()
        .position(|b| *b == b':')
        .ok_or(LayoutError::MissingName { scheme })?;
    if colon == 0 {
        return Err(LayoutError::EmptyName { scheme });
    }
    let name =
        std::str::from_utf8(&rest[..colon]).map_err(|_| LayoutError::NameNotUtf8 { scheme })?;
    let payload_offset = scheme.prefix().len() + colon + 1;
    Ok(EtcdValue::Encrypted(Encrypted {
        scheme,
        name,
        payload_offset,
        payload: &value[payload_offset..],
    }))
}

/// `prefix ‖ name ‖ ":"`.
pub fn value_prefix(scheme: Scheme, name: &str) -> Vec<u8> {
    let mut out = Vec::with_capacity(scheme.prefix().len() + name.len() + 1);
    out.extend_from_slice(scheme.prefix().as_bytes());
    out.extend_from_slice(name.as_bytes());
    out.push(b':');
    out
}

/// Encode a complete value: prefix, name and body.
pub fn encode(scheme: Scheme, name: &str, body: &Body<'_>) -> Result<Vec<u8>, LayoutError> {
    let mut out = value_prefix(scheme, name);
    match body {
        Body::AesGcm(p) => p.write_to(&mut out),
        Body::AesCbc(p) => p.write_to(&mut out),
        Body::Secretbox(p) => p.write_to(&mut out),
        Body::KmsV1(p) => p.write_to(&mut out)?,
        Body::KmsV2(o) => out.extend_from_slice(&o.encode()),
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn encrypted(value: &[u8]) -> Encrypted<'_> {
        match split(value).unwrap() {
            EtcdValue::Encrypted(e) => e,
            EtcdValue::Plaintext(_) => panic!("plaintext"),
        }
    }

    #[test]
    fn plaintext_is_anything_without_the_prefix() {
        for v in [
            &b"k8s\x00\x0a\x00"[..],
            b"{\"kind\":\"Secret\"}\n",
            b"",
            b"k8s:en",
        ] {
            assert_eq!(split(v), Ok(EtcdValue::Plaintext(v)));
        }
    }

    #[test]
    fn gcm_split_and_round_trip() {
        let mut v = b"k8s:enc:aesgcm:v1:key1:".to_vec();
        v.extend_from_slice(&[7; 12]);
        v.extend_from_slice(b"ciphertext");
        v.extend_from_slice(&[9; 16]);
        let e = encrypted(&v);
        assert_eq!(
            (e.scheme, e.name, e.payload_offset),
            (Scheme::AesGcm, "key1", 23)
        );
        let Body::AesGcm(p) = e.body().unwrap() else {
            panic!()
        };
        assert_eq!(p.nonce, [7; 12]);
        assert_eq!(p.ciphertext(), b"ciphertext");
        assert_eq!(p.tag(), [9; 16]);
        assert_eq!(encode(Scheme::AesGcm, "key1", &Body::AesGcm(p)).unwrap(), v);
    }

    #[test]
    fn short_payloads() {
        let e = encrypted(b"k8s:enc:aesgcm:v1:k:12345678901");
        assert_eq!(
            e.body(),
            Err(LayoutError::TooShort {
                scheme: Scheme::AesGcm,
                what: "the AES-GCM nonce",
                need: 12,
                have: 11
            })
        );
        let e = encrypted(b"k8s:enc:aesgcm:v1:k:123456789012tag");
        assert!(matches!(
            e.body(),
            Err(LayoutError::TooShort {
                what: "the AES-GCM tag",
                ..
            })
        ));
        let mut v = b"k8s:enc:aescbc:v1:k:".to_vec();
        v.extend_from_slice(&[0; 16 + 17]);
        assert_eq!(
            encrypted(&v).body(),
            Err(LayoutError::NotBlockAligned { len: 17 })
        );
        let mut v = b"k8s:enc:aescbc:v1:k:".to_vec();
        v.extend_from_slice(&[0; 16]);
        assert_eq!(
            encrypted(&v).body(),
            Err(LayoutError::NotBlockAligned { len: 0 })
        );
        let mut v = b"k8s:enc:secretbox:v1:k:".to_vec();
        v.extend_from_slice(&[0; 24 + 15]);
        assert!(matches!(
            encrypted(&v).body(),
            Err(LayoutError::TooShort {
                what: "the Poly1305 tag",
                need: 16,
                have: 15,
                ..
            })
        ));
        v.push(0);
        let Body::Secretbox(p) = encrypted(&v).body().unwrap() else {
            panic!()
        };
        assert_eq!((p.tag().len(), p.ciphertext().len()), (16, 0));
    }

    #[test]
    fn kms_v1_length_prefix_is_big_endian() {
        let mut v = b"k8s:enc:kms:v1:my:kms:".to_vec();
        v.extend_from_slice(&[0x01, 0x02]);
        v.extend_from_slice(&[0xee; 0x0102]);
        v.extend_from_slice(b"data");
        // The name stops at the first colon.
        let e = encrypted(&v);
        assert_eq!(e.name, "my");
        let v2: Vec<u8> = [b"k8s:enc:kms:v1:mykms:".as_slice(), &v[22..]].concat();
        let Body::KmsV1(p) = encrypted(&v2).body().unwrap() else {
            panic!()
        };
        assert_eq!((p.encrypted_dek.len(), p.data), (258, &b"data"[..]));
        assert_eq!(encode(Scheme::KmsV1, "mykms", &Body::KmsV1(p)).unwrap(), v2);
        assert_eq!(
            encrypted(b"k8s:enc:kms:v1:p:\x00\x05abc").body(),
            Err(LayoutError::KmsV1DekLength {
                declared: 5,
                have: 3
            })
        );
        assert_eq!(
            encrypted(b"k8s:enc:kms:v1:p:\x00").body(),
            Err(LayoutError::TooShort {
                scheme: Scheme::KmsV1,
                what: "the DEK length prefix",
                need: 2,
                have: 1
            })
        );
        let big = vec![0u8; 65536];
        let p = KmsV1Payload {
            encrypted_dek: &big,
            data: b"",
        };
        assert_eq!(
            encode(Scheme::KmsV1, "p", &Body::KmsV1(p)),
            Err(LayoutError::KmsV1DekSize { len: 65536 })
        );
    }

    #[test]
    fn prefixes_and_names() {
        assert_eq!(
            split(b"k8s:enc:aesgcm:v2:k:xx"),
            Err(LayoutError::UnknownPrefix("k8s:enc:aesgcm:v2:".into()))
        );
        assert_eq!(
            split(b"k8s:enc:rot13"),
            Err(LayoutError::UnknownPrefix("k8s:enc:rot13".into()))
        );
        assert_eq!(
            split(b"k8s:enc:aescbc:v1:key1"),
            Err(LayoutError::MissingName {
                scheme: Scheme::AesCbc
            })
        );
        assert_eq!(
            split(b"k8s:enc:kms:v2::abc"),
            Err(LayoutError::EmptyName {
                scheme: Scheme::KmsV2
            })
        );
        assert_eq!(
            split(b"k8s:enc:secretbox:v1:\xff:abc"),
            Err(LayoutError::NameNotUtf8 {
                scheme: Scheme::Secretbox
            })
        );
        assert!(LayoutError::MissingName {
            scheme: Scheme::AesCbc
        }
        .to_string()
        .contains("no `:` after the key name"));
    }

    #[test]
    fn kms_v2_and_seed_data() {
        let mut data = vec![1u8; 32];
        data.extend_from_slice(&[2; 12]);
        data.extend_from_slice(b"ct");
        data.extend_from_slice(&[3; 16]);
        let o = EncryptedObject {
            encrypted_data: &data,
            key_id: "k",
            encrypted_dek_source: b"wrapped",
            annotations: vec![],
            dek_source_type: 1,
            spans: vec![],
        };
        let v = encode(Scheme::KmsV2, "vault", &Body::KmsV2(o)).unwrap();
        let Body::KmsV2(back) = encrypted(&v).body().unwrap() else {
            panic!()
        };
        let seed = SeedData::parse(back.encrypted_data).unwrap();
        assert_eq!(
            (seed.info, seed.gcm.nonce, seed.gcm.ciphertext()),
            (&[1u8; 32][..], &[2u8; 12][..], &b"ct"[..])
        );
        assert!(matches!(
            SeedData::parse(&data[..40]),
            Err(LayoutError::TooShort {
                what: "the AES-GCM nonce",
                ..
            })
        ));
        assert!(matches!(
            encrypted(b"k8s:enc:kms:v2:vault:\x0a\x05ab").body(),
            Err(LayoutError::KmsV2(ObjectError::Proto(_)))
        ));
        assert!(matches!(
            encrypted(b"k8s:enc:kms:v2:vault:\x12\x01k").body(),
            Err(LayoutError::KmsV2(ObjectError::Invalid(m))) if m == "encrypted data is empty"
        ));
    }
}
