//! Read and write etcd values the way kube-apiserver does (feature `envelope-crypto`).
//!
//! [`read`] is `TransformFromStorage` (kubernetes/apiserver `pkg/storage/value/transformer.go`):
//! every provider of the resource in config order whose prefix the value starts with is tried
//! (byte-prefix matching, no delimiter parsing), and inside `aesgcm`/`aescbc`/`secretbox` every
//! key whose `<name>:` follows; a failure moves on to the next match; `identity` reads anything
//! that does not start with `k8s:enc:` and is silently skipped otherwise. The result is *stale*
//! when the apiserver would rewrite it (not the first provider or key, an old KMS key, another
//! KMS v2 mode, KMS v1 data in the legacy AES-CBC layout).
//!
//! [`write`] is `TransformToStorage` with the first provider and its first key.
//!
//! KMS providers call a [`KmsService`] in place of the gRPC plugin; [`KekFile`] is one backed by
//! local key-encryption keys.

use std::fmt;

use super::config::{ProviderEntry, ProviderSpec, ResourceProviders};
use super::crypto::{self, CryptoError};
use super::kek::KekFile;
use super::kmsv2::{DekSourceType, EncryptedObject};
use super::layout::{
    self, CbcPayload, GcmPayload, KmsV1Payload, LayoutError, Scheme, SecretboxPayload, SeedData,
    GCM_NONCE_SIZE, HKDF_INFO_SIZE, SECRETBOX_NONCE_SIZE, TAG_SIZE,
};
use super::read_order::{self, Reader, Try};

/// A source of random bytes (the caller's: the core does no I/O).
pub type Rng<'a> = dyn FnMut(&mut [u8]) -> Result<(), String> + 'a;

/// What a KMS plugin returns from `Encrypt`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Wrapped {
    pub ciphertext: Vec<u8>,
    pub key_id: String,
    pub annotations: Vec<(String, Vec<u8>)>,
}

/// The KMS plugin API the envelope providers need.
pub trait KmsService {
    /// Wrap a DEK or seed with the provider's current key.
    fn encrypt(
        &self,
        provider: &str,
        plaintext: &[u8],
        rng: &mut Rng<'_>,
    ) -> Result<Wrapped, String>;
    /// Unwrap a DEK or seed. `key_id` is the KMS v2 `keyID`; KMS v1 has none.
    fn decrypt(
        &self,
        provider: &str,
        key_id: Option<&str>,
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, String>;
    /// The key new writes use (the KMS v2 `Status` key id).
    fn current_key_id(&self, provider: &str) -> Option<String>;
}

impl KmsService for KekFile {
    fn encrypt(
        &self,
        provider: &str,
        plaintext: &[u8],
        rng: &mut Rng<'_>,
    ) -> Result<Wrapped, String> {
        let p = self
            .provider(provider)
            .ok_or_else(|| format!("the KEK file has no provider `{provider}`"))?;
        let k = p
            .keys
            .first()
            .ok_or_else(|| format!("the KEK file has no key for provider `{provider}`"))?;
        let mut nonce = [0u8; GCM_NONCE_SIZE];
        rng(&mut nonce)?;
        let sealed = crypto::aes_gcm_seal(&k.secret, &nonce, k.id.as_bytes(), plaintext)
            .map_err(|e| e.to_string())?;
        Ok(Wrapped {
            ciphertext: [nonce.as_slice(), &sealed].concat(),
            key_id: k.id.clone(),
            annotations: k.annotations.clone(),
        })
    }

    fn decrypt(
        &self,
        provider: &str,
        key_id: Option<&str>,
        ciphertext: &[u8],
    ) -> Result<Vec<u8>, String> {
        let p = self
            .provider(provider)
            .ok_or_else(|| format!("the KEK file has no provider `{provider}`"))?;
        let candidates: Vec<_> = p
            .keys
            .iter()
            .filter(|k| key_id.is_none_or(|id| k.id == id))
            .collect();
        if candidates.is_empty() {
            let ids: Vec<&str> = p.keys.iter().map(|k| k.id.as_str()).collect();
            return Err(format!(
                "the KEK file has no key with id `{}` for provider `{provider}` (it has: {})",
                key_id.unwrap_or_default(),
                ids.join(", ")
            ));
        }
        if ciphertext.len() < GCM_NONCE_SIZE + TAG_SIZE {
            return Err(format!(
                "the wrapped DEK is {} bytes; a KEK-wrapped key is nonce(12) ‖ ciphertext ‖ tag(16)",
                ciphertext.len()
            ));
        }
        let (nonce, sealed) = ciphertext.split_at(GCM_NONCE_SIZE);
        for k in &candidates {
            if let Ok(pt) = crypto::aes_gcm_open(&k.secret, nonce, k.id.as_bytes(), sealed) {
                return Ok(pt);
            }
        }
        let ids: Vec<String> = candidates.iter().map(|k| format!("`{}`", k.id)).collect();
        Err(format!(
            "the wrapped DEK does not open with KEK {} of provider `{provider}` (authentication failed)",
            ids.join(", ")
        ))
    }

    fn current_key_id(&self, provider: &str) -> Option<String> {
        self.provider(provider)?.keys.first().map(|k| k.id.clone())
    }
}

/// Settings shared by reads and writes.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Options {
    /// How KMS v2 writes (seed mode since Kubernetes 1.29); reads of the other mode are stale.
    pub kms_v2_mode: DekSourceType,
}

impl Default for Options {
    fn default() -> Self {
        Options {
            kms_v2_mode: DekSourceType::HkdfSha256XNonceAesGcmSeed,
        }
    }
}

/// Why one provider (or key) could not read the value.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AttemptError {
    Layout(LayoutError),
    Crypto(CryptoError),
    /// The provider's prefix matched but none of its key names follows.
    NoMatchingKey {
        scheme: Scheme,
    },
    /// A KMS provider and no [`KmsService`].
    NoKms,
    /// The KMS refused to unwrap the DEK or seed.
    Kms(String),
    /// KMS v1: neither the AES-GCM nor the legacy AES-CBC reading works.
    KmsV1 {
        gcm: String,
        cbc: String,
    },
}

impl fmt::Display for AttemptError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            AttemptError::Layout(e) => write!(f, "{e}"),
            AttemptError::Crypto(e) => write!(f, "{e}"),
            AttemptError::NoMatchingKey { scheme } => {
                let kind = match scheme {
                    Scheme::Secretbox => "Secretbox",
                    _ => "AES",
                };
                write!(
                    f,
                    "no matching key was found for the provided {kind} transformer"
                )
            }
            AttemptError::NoKms => write!(
                f,
                "a KMS provider needs the KMS: give a KEK file (--kek) that stands in for it"
            ),
            AttemptError::Kms(m) => write!(f, "KMS: {m}"),
            AttemptError::KmsV1 { gcm, cbc } => {
                write!(
                    f,
                    "neither AES-GCM ({gcm}) nor legacy AES-CBC ({cbc}) reads the data"
                )
            }
        }
    }
}

/// One failed try.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Attempt {
    /// `resources[0].providers[1]`.
    pub location: String,
    /// `aesgcm key \`key1\``, `kms v2 \`vault\``.
    pub what: String,
    pub error: AttemptError,
}

/// Why a value cannot be read.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ReadError {
    /// No provider's prefix matches (upstream: "no matching prefix found"); `hint` says what
    /// the value looks like.
    NoMatchingPrefix { resource: String, hint: String },
    /// Providers matched and all failed, in the order tried.
    Failed(Vec<Attempt>),
}

impl fmt::Display for ReadError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            ReadError::NoMatchingPrefix { resource, hint } => {
                write!(
                    f,
                    "no matching prefix found among the providers of `{resource}`: {hint}"
                )
            }
            ReadError::Failed(attempts) => {
                f.write_str("no provider could read the value:")?;
                for a in attempts {
                    write!(f, "\n  {} {}: {}", a.location, a.what, a.error)?;
                }
                Ok(())
            }
        }
    }
}

impl std::error::Error for ReadError {}

/// A value read back.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Decrypted {
    /// The storage encoding of the object (see [`super::storage`]).
    pub plaintext: Vec<u8>,
    /// The provider that read it.
    pub location: String,
    /// `aescbc key \`key1\``, `kms v2 \`vault\` (seed mode, keyID \`kek-1\`)`, `identity`.
    pub via: String,
    /// Why the apiserver would rewrite it; empty when it is current.
    pub stale: Vec<String>,
}

/// Read `value`, stored under `etcd_key`, as the apiserver would with `providers`.
pub fn read(
    providers: &ResourceProviders,
    kms: Option<&dyn KmsService>,
    etcd_key: &[u8],
    value: &[u8],
    opts: &Options,
) -> Result<Decrypted, ReadError> {
    let mut attempts = vec![];
    for t in read_order::tries(providers, value) {
        let c = match t {
            Try::NoMatchingKey { location, scheme } => {
                attempts.push(Attempt {
                    location: location.to_string(),
                    what: scheme.label().to_string(),
                    error: AttemptError::NoMatchingKey { scheme },
                });
                continue;
            }
            Try::Read(c) => c,
        };
        let mut stale = c.stale;
        let result = match c.reader {
            Reader::Identity => Ok((value.to_vec(), None)),
            Reader::Local {
                scheme,
                key,
                payload,
            } => open_local(scheme, &key.secret, payload, etcd_key).map(|p| (p, None)),
            Reader::Kms {
                scheme,
                name,
                payload,
            } => match kms {
                None => Err(AttemptError::NoKms),
                Some(kms) if scheme == Scheme::KmsV1 => {
                    open_kms_v1(kms, name, payload, etcd_key, &mut stale)
                }
                Some(kms) => open_kms_v2(kms, name, payload, etcd_key, opts, &mut stale),
            }
            .map(|(p, detail)| (p, Some(detail))),
        };
        match result {
            Ok((plaintext, detail)) => {
                return Ok(Decrypted {
                    plaintext,
                    location: c.location.to_string(),
                    via: match detail {
                        Some(d) => format!("{} ({d})", c.what),
                        None => c.what,
                    },
                    stale,
                })
            }
            Err(error) => attempts.push(Attempt {
                location: c.location.to_string(),
                what: c.what,
                error,
            }),
        }
    }
    if attempts.is_empty() {
        Err(ReadError::NoMatchingPrefix {
            resource: providers.resource.clone(),
            hint: read_order::no_prefix_hint(providers, value),
        })
    } else {
        Err(ReadError::Failed(attempts))
    }
}

fn open_local(
    scheme: Scheme,
    key: &[u8],
    payload: &[u8],
    etcd_key: &[u8],
) -> Result<Vec<u8>, AttemptError> {
    match layout::parse_body(scheme, payload).map_err(AttemptError::Layout)? {
        layout::Body::AesGcm(p) => crypto::aes_gcm_open(key, p.nonce, etcd_key, p.sealed),
        layout::Body::AesCbc(p) => crypto::aes_cbc_decrypt(key, p.iv, p.ciphertext),
        layout::Body::Secretbox(p) => crypto::secretbox_open(key, p.nonce, p.sealed),
        // Local providers are aes* and secretbox only.
        layout::Body::KmsV1(_) | layout::Body::KmsV2(_) => {
            return Err(AttemptError::Layout(LayoutError::UnknownPrefix(
                scheme.prefix().to_string(),
            )))
        }
    }
    .map_err(AttemptError::Crypto)
}

fn open_kms_v1(
    kms: &dyn KmsService,
    name: &str,
    payload: &[u8],
    etcd_key: &[u8],
    stale: &mut Vec<String>,
) -> Result<(Vec<u8>, String), AttemptError> {
    let layout::Body::KmsV1(p) =
        layout::parse_body(Scheme::KmsV1, payload).map_err(AttemptError::Layout)?
    else {
        return Err(AttemptError::Layout(LayoutError::UnknownPrefix(
            Scheme::KmsV1.prefix().into(),
        )));
    };
    let dek = kms
        .decrypt(name, None, p.encrypted_dek)
        .map_err(AttemptError::Kms)?;
    // Written with AES-GCM since Kubernetes 1.25; older data is AES-CBC (read, then rewritten).
    let gcm = layout::parse_body(Scheme::AesGcm, p.data)
        .map_err(|e| e.to_string())
        .and_then(|b| match b {
            layout::Body::AesGcm(g) => {
                crypto::aes_gcm_open(&dek, g.nonce, etcd_key, g.sealed).map_err(|e| e.to_string())
            }
            _ => Err(String::new()),
        });
    match gcm {
        Ok(pt) => Ok((pt, "DEK per write, AES-GCM".into())),
        Err(gcm_err) => {
            let cbc = layout::parse_body(Scheme::AesCbc, p.data)
                .map_err(|e| e.to_string())
                .and_then(|b| match b {
                    layout::Body::AesCbc(c) => {
                        crypto::aes_cbc_decrypt(&dek, c.iv, c.ciphertext).map_err(|e| e.to_string())
                    }
                    _ => Err(String::new()),
                });
            match cbc {
                Ok(pt) => {
                    stale.push(
                        "KMS v1 data in the legacy AES-CBC layout (before Kubernetes 1.25)".into(),
                    );
                    Ok((pt, "DEK per write, legacy AES-CBC".into()))
                }
                Err(cbc_err) => Err(AttemptError::KmsV1 {
                    gcm: gcm_err,
                    cbc: cbc_err,
                }),
            }
        }
    }
}

fn open_kms_v2(
    kms: &dyn KmsService,
    name: &str,
    payload: &[u8],
    etcd_key: &[u8],
    opts: &Options,
    stale: &mut Vec<String>,
) -> Result<(Vec<u8>, String), AttemptError> {
    let o = EncryptedObject::decode(payload)
        .map_err(|e| AttemptError::Layout(LayoutError::KmsV2(e)))?;
    let source = kms
        .decrypt(name, Some(o.key_id), o.encrypted_dek_source)
        .map_err(AttemptError::Kms)?;
    let mode = o.source_type().unwrap_or(DekSourceType::AesGcmKey);
    let (plaintext, detail) = match mode {
        DekSourceType::AesGcmKey => {
            let g = layout::parse_key_mode_data(o.encrypted_data).map_err(AttemptError::Layout)?;
            let pt = crypto::aes_gcm_open(&source, g.nonce, etcd_key, g.sealed)
                .map_err(AttemptError::Crypto)?;
            (pt, format!("key mode, keyID `{}`", o.key_id))
        }
        DekSourceType::HkdfSha256XNonceAesGcmSeed => {
            let s = SeedData::parse(o.encrypted_data).map_err(AttemptError::Layout)?;
            let key = crypto::hkdf_sha256_expand(&source, s.info).map_err(AttemptError::Crypto)?;
            let pt = crypto::aes_gcm_open(&key, s.gcm.nonce, etcd_key, s.gcm.sealed)
                .map_err(AttemptError::Crypto)?;
            (pt, format!("seed mode, keyID `{}`", o.key_id))
        }
    };
    if let Some(current) = kms.current_key_id(name) {
        if current != o.key_id {
            stale.push(format!(
                "wrapped by KMS key `{}`, not the current key `{current}`",
                o.key_id
            ));
        }
    }
    if mode != opts.kms_v2_mode {
        stale.push(format!(
            "written in KMS v2 {} mode; new writes use {} mode",
            mode_name(mode),
            mode_name(opts.kms_v2_mode)
        ));
    }
    Ok((plaintext, detail))
}

fn mode_name(m: DekSourceType) -> &'static str {
    match m {
        DekSourceType::AesGcmKey => "key",
        DekSourceType::HkdfSha256XNonceAesGcmSeed => "seed",
    }
}

/// Why a value could not be written.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum WriteError {
    Crypto(CryptoError),
    Layout(LayoutError),
    NoKms,
    Kms(String),
    /// The KMS response makes an invalid `EncryptedObject` (upstream validates it).
    InvalidObject(String),
    Random(String),
}

impl fmt::Display for WriteError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            WriteError::Crypto(e) => write!(f, "{e}"),
            WriteError::Layout(e) => write!(f, "{e}"),
            WriteError::NoKms => write!(
                f,
                "a KMS provider needs the KMS: give a KEK file (--kek) that stands in for it"
            ),
            WriteError::Kms(m) => write!(f, "KMS: {m}"),
            WriteError::InvalidObject(m) => write!(f, "invalid EncryptedObject: {m}"),
            WriteError::Random(m) => write!(f, "no random bytes: {m}"),
        }
    }
}

impl std::error::Error for WriteError {}

pub use super::layout::KEY_MODE_FIRST_COUNTER;

fn random<const N: usize>(rng: &mut Rng<'_>) -> Result<[u8; N], WriteError> {
    let mut b = [0u8; N];
    rng(&mut b).map_err(WriteError::Random)?;
    Ok(b)
}

/// Encrypt `plaintext` (a storage encoding) as `provider` writes it under `etcd_key`.
pub fn write(
    provider: &ProviderEntry,
    kms: Option<&dyn KmsService>,
    etcd_key: &[u8],
    plaintext: &[u8],
    opts: &Options,
    rng: &mut Rng<'_>,
) -> Result<Vec<u8>, WriteError> {
    let c = WriteError::Crypto;
    match &provider.spec {
        ProviderSpec::Identity => Ok(plaintext.to_vec()),
        ProviderSpec::Local { scheme, keys } => {
            let Some(k) = keys.first() else {
                return Err(WriteError::Crypto(CryptoError::KeySize {
                    algorithm: "aes",
                    len: 0,
                }));
            };
            let body = match scheme {
                Scheme::AesGcm => {
                    let nonce: [u8; GCM_NONCE_SIZE] = random(rng)?;
                    let sealed =
                        crypto::aes_gcm_seal(&k.secret, &nonce, etcd_key, plaintext).map_err(c)?;
                    let mut out = vec![];
                    GcmPayload {
                        nonce: &nonce,
                        sealed: &sealed,
                    }
                    .write_to(&mut out);
                    out
                }
                Scheme::AesCbc => {
                    let iv: [u8; 16] = random(rng)?;
                    let ct = crypto::aes_cbc_encrypt(&k.secret, &iv, plaintext).map_err(c)?;
                    let mut out = vec![];
                    CbcPayload {
                        iv: &iv,
                        ciphertext: &ct,
                    }
                    .write_to(&mut out);
                    out
                }
                _ => {
                    let nonce: [u8; SECRETBOX_NONCE_SIZE] = random(rng)?;
                    let sealed = crypto::secretbox_seal(&k.secret, &nonce, plaintext).map_err(c)?;
                    let mut out = vec![];
                    SecretboxPayload {
                        nonce: &nonce,
                        sealed: &sealed,
                    }
                    .write_to(&mut out);
                    out
                }
            };
            Ok([layout::value_prefix(*scheme, &k.name), body].concat())
        }
        ProviderSpec::Kms { scheme, name } => {
            let kms = kms.ok_or(WriteError::NoKms)?;
            if *scheme == Scheme::KmsV1 {
                let dek: [u8; 32] = random(rng)?;
                let nonce: [u8; GCM_NONCE_SIZE] = random(rng)?;
                let sealed = crypto::aes_gcm_seal(&dek, &nonce, etcd_key, plaintext).map_err(c)?;
                let wrapped = kms.encrypt(name, &dek, rng).map_err(WriteError::Kms)?;
                let mut data = vec![];
                GcmPayload {
                    nonce: &nonce,
                    sealed: &sealed,
                }
                .write_to(&mut data);
                let mut out = layout::value_prefix(*scheme, name);
                KmsV1Payload {
                    encrypted_dek: &wrapped.ciphertext,
                    data: &data,
                }
                .write_to(&mut out)
                .map_err(WriteError::Layout)?;
                return Ok(out);
            }
            let source: [u8; 32] = random(rng)?;
            let mut data = vec![];
            match opts.kms_v2_mode {
                DekSourceType::HkdfSha256XNonceAesGcmSeed => {
                    let info: [u8; HKDF_INFO_SIZE] = random(rng)?;
                    let key = crypto::hkdf_sha256_expand(&source, &info).map_err(c)?;
                    let nonce: [u8; GCM_NONCE_SIZE] = random(rng)?;
                    let sealed =
                        crypto::aes_gcm_seal(&key, &nonce, etcd_key, plaintext).map_err(c)?;
                    SeedData {
                        info: &info,
                        gcm: GcmPayload {
                            nonce: &nonce,
                            sealed: &sealed,
                        },
                    }
                    .write_to(&mut data);
                }
                DekSourceType::AesGcmKey => {
                    // rand(4) ‖ uint64 little-endian counter, as the upstream writer does.
                    let nonce = layout::key_mode_nonce(random(rng)?, KEY_MODE_FIRST_COUNTER);
                    let sealed =
                        crypto::aes_gcm_seal(&source, &nonce, etcd_key, plaintext).map_err(c)?;
                    GcmPayload {
                        nonce: &nonce,
                        sealed: &sealed,
                    }
                    .write_to(&mut data);
                }
            }
            let wrapped = kms.encrypt(name, &source, rng).map_err(WriteError::Kms)?;
            let o = EncryptedObject {
                encrypted_data: &data,
                key_id: &wrapped.key_id,
                encrypted_dek_source: &wrapped.ciphertext,
                annotations: wrapped
                    .annotations
                    .iter()
                    .map(|(k, v)| (k.as_str(), v.as_slice()))
                    .collect(),
                dek_source_type: opts.kms_v2_mode.number(),
                spans: vec![],
            };
            o.validate().map_err(WriteError::InvalidObject)?;
            Ok([layout::value_prefix(*scheme, name), o.encode()].concat())
        }
    }
}

#[cfg(test)]
mod tests {
    use super::super::config::{providers_for, KeySpec};
    use super::*;

    const KEK: &str = "providers:\n- name: vault\n  keys:\n  - {id: kek-2, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}\n  - {id: kek-1, secret: ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=}\n- name: legacy\n  keys:\n  - {id: v1key, secret: QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=}\n";

    /// A deterministic byte stream, so that tests are reproducible.
    fn counter_rng() -> impl FnMut(&mut [u8]) -> Result<(), String> {
        let mut n = 0u8;
        move |b: &mut [u8]| {
            for x in b {
                n = n.wrapping_add(1);
                *x = n;
            }
            Ok(())
        }
    }

    fn config(providers: &str) -> ResourceProviders {
        let text = format!(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n{providers}"
        );
        providers_for(&text, "", "secrets").unwrap()
    }

    const KEY: &[u8] = b"/registry/secrets/default/s1";

    fn round_trip(providers: &str, opts: &Options) -> (Vec<u8>, Decrypted) {
        let rp = config(providers);
        let kek = KekFile::parse(KEK).unwrap();
        let mut rng = counter_rng();
        let value = write(
            &rp.providers[0],
            Some(&kek),
            KEY,
            b"plaintext",
            opts,
            &mut rng,
        )
        .unwrap();
        let back = read(&rp, Some(&kek), KEY, &value, opts).unwrap();
        assert_eq!(back.plaintext, b"plaintext");
        (value, back)
    }

    #[test]
    fn every_provider_round_trips() {
        let o = Options::default();
        let (v, d) = round_trip(
            "  - aesgcm: {keys: [{name: k1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}\n",
            &o,
        );
        assert!(v.starts_with(b"k8s:enc:aesgcm:v1:k1:"));
        assert_eq!(v.len(), 21 + 12 + 9 + 16);
        assert_eq!((d.via.as_str(), d.stale.len()), ("aesgcm key `k1`", 0));
        let (v, _) = round_trip(
            "  - aescbc: {keys: [{name: k1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}\n",
            &o,
        );
        assert_eq!(v.len(), 21 + 16 + 16);
        let (v, _) = round_trip("  - secretbox: {keys: [{name: k1, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}\n", &o);
        assert_eq!(v.len(), 24 + 24 + 16 + 9);
        let (v, d) = round_trip("  - kms: {name: legacy, endpoint: unix:///k}\n", &o);
        assert!(
            v.starts_with(b"k8s:enc:kms:v1:legacy:\x00\x3c"),
            "wrapped DEK: 12 + 32 + 16 bytes"
        );
        assert_eq!(d.via, "kms v1 `legacy` (DEK per write, AES-GCM)");
        let (v, d) = round_trip(
            "  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k}\n",
            &o,
        );
        let o2 = EncryptedObject::decode(&v[b"k8s:enc:kms:v2:vault:".len()..]).unwrap();
        assert_eq!(o2.key_id, "kek-2");
        assert_eq!(
            o2.source_type(),
            Some(DekSourceType::HkdfSha256XNonceAesGcmSeed)
        );
        assert_eq!(o2.encrypted_data.len(), 32 + 12 + 9 + 16);
        assert_eq!(d.via, "kms v2 `vault` (seed mode, keyID `kek-2`)");
        assert!(d.stale.is_empty());
        let key_mode = Options {
            kms_v2_mode: DekSourceType::AesGcmKey,
        };
        let (v, d) = round_trip(
            "  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k}\n",
            &key_mode,
        );
        let o3 = EncryptedObject::decode(&v[b"k8s:enc:kms:v2:vault:".len()..]).unwrap();
        assert_eq!(o3.dek_source_type, 0);
        assert_eq!(&o3.encrypted_data[4..12], &1_000_000_001u64.to_le_bytes());
        assert_eq!(d.via, "kms v2 `vault` (key mode, keyID `kek-2`)");
        // Read with the seed-mode writer configured: stale.
        let rp = config("  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k}\n");
        let kek = KekFile::parse(KEK).unwrap();
        let d = read(&rp, Some(&kek), KEY, &v, &o).unwrap();
        assert_eq!(
            d.stale,
            ["written in KMS v2 key mode; new writes use seed mode"]
        );
        let (v, d) = round_trip("  - identity: {}\n", &o);
        assert_eq!(
            (v.as_slice(), d.via.as_str()),
            (&b"plaintext"[..], "identity (plaintext)")
        );
    }

    #[test]
    fn upstream_vectors_through_the_read_path() {
        // Vector A as an aesgcm value: key "snorlax_awesomes", etcd key (AAD) "bamboo".
        let payload = "nyfI/OqKWMRn2OQ32/LYWVX5tL2RL075Z9eIoMsHeX2sCj8KCEVgXKhayFYrSuE=";
        use base64::Engine;
        let payload = base64::engine::general_purpose::STANDARD
            .decode(payload)
            .unwrap();
        let value = [b"k8s:enc:aesgcm:v1:snorlax:".as_slice(), &payload].concat();
        // base64("snorlax_awesomes") = c25vcmxheF9hd2Vzb21lcw==
        let rp =
            config("  - aesgcm: {keys: [{name: snorlax, secret: c25vcmxheF9hd2Vzb21lcw==}]}\n");
        let d = read(&rp, None, b"bamboo", &value, &Options::default()).unwrap();
        assert_eq!(d.plaintext, b"pandas are the best");
        let err = read(
            &rp,
            None,
            b"/registry/secrets/default/other",
            &value,
            &Options::default(),
        )
        .unwrap_err();
        assert!(
            err.to_string().contains("message authentication failed"),
            "{err}"
        );
    }

    #[test]
    fn apiserver_read_order() {
        // identity first: plaintext is read by it, encrypted data falls through to aescbc.
        let rp = config("  - identity: {}\n  - aescbc: {keys: [{name: old, secret: c2VjcmV0IGlzIHNlY3VyZQ==}, {name: new, secret: dGhpcyBpcyBwYXNzd29yZA==}]}\n");
        let mut rng = counter_rng();
        let aes = ProviderEntry {
            spec: ProviderSpec::Local {
                scheme: Scheme::AesCbc,
                keys: vec![KeySpec {
                    name: "new".into(),
                    secret: b"this is password".to_vec(),
                }],
            },
            location: "x".into(),
        };
        let v = write(&aes, None, KEY, b"data", &Options::default(), &mut rng).unwrap();
        let d = read(&rp, None, KEY, &v, &Options::default()).unwrap();
        assert_eq!(d.via, "aescbc key `new`");
        assert_eq!(d.stale.len(), 2, "{:?}", d.stale);
        let d = read(
            &rp,
            None,
            KEY,
            b"{\"kind\":\"Secret\"}",
            &Options::default(),
        )
        .unwrap();
        assert_eq!(
            (d.location.as_str(), d.stale.len()),
            ("resources[0].providers[0]", 0)
        );

        // Two aescbc providers with the same key name: the first fails, the second reads.
        let rp = config("  - aescbc: {keys: [{name: k, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}\n  - aescbc: {keys: [{name: k, secret: dGhpcyBpcyBwYXNzd29yZA==}]}\n");
        let mut v2 = b"k8s:enc:aescbc:v1:k:".to_vec();
        v2.extend_from_slice(&v[b"k8s:enc:aescbc:v1:new:".len()..]);
        let d = read(&rp, None, KEY, &v2, &Options::default()).unwrap();
        assert_eq!(d.location, "resources[0].providers[1]");

        // No identity: plaintext has no matching prefix.
        let err = read(&rp, None, KEY, b"k8s\x00plain", &Options::default()).unwrap_err();
        assert_eq!(
            err.to_string(),
            "no matching prefix found among the providers of `secrets`: the value is not encrypted, and no identity provider reads plaintext"
        );
        // A key name the provider does not have.
        let err = read(
            &rp,
            None,
            KEY,
            b"k8s:enc:aescbc:v1:zz:0123456789abcdef0123456789abcdef",
            &Options::default(),
        )
        .unwrap_err();
        let ReadError::Failed(a) = &err else {
            panic!("{err}")
        };
        assert_eq!(a.len(), 2);
        assert_eq!(
            a[0].error.to_string(),
            "no matching key was found for the provided AES transformer"
        );
        // identity skips encrypted data silently.
        let rp = config("  - identity: {}\n");
        let err = read(
            &rp,
            None,
            KEY,
            b"k8s:enc:secretbox:v1:k1:xxxx",
            &Options::default(),
        )
        .unwrap_err();
        assert!(
            matches!(err, ReadError::NoMatchingPrefix { ref hint, .. } if hint == "the value is secretbox data with key name `k1`, which no provider has")
        );
    }

    #[test]
    fn kms_failures() {
        let rp = config("  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k}\n");
        let kek = KekFile::parse(KEK).unwrap();
        let mut rng = counter_rng();
        let o = Options::default();
        let v = write(&rp.providers[0], Some(&kek), KEY, b"pt", &o, &mut rng).unwrap();
        assert_eq!(
            write(&rp.providers[0], None, KEY, b"pt", &o, &mut rng),
            Err(WriteError::NoKms)
        );
        let err = read(&rp, None, KEY, &v, &o).unwrap_err().to_string();
        assert!(err.contains("give a KEK file (--kek)"), "{err}");
        // Rotated KEK file: kek-2 gone.
        let rotated = KekFile::parse(&KEK.replace("kek-2", "kek-3")).unwrap();
        let err = read(&rp, Some(&rotated), KEY, &v, &o)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("no key with id `kek-2` for provider `vault` (it has: kek-3, kek-1)"),
            "{err}"
        );
        // Same id, other secret: authentication of the wrapped seed fails.
        let other = KekFile::parse(&KEK.replace(
            "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
            "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=",
        ))
        .unwrap();
        let err = read(&rp, Some(&other), KEY, &v, &o)
            .unwrap_err()
            .to_string();
        assert!(err.contains("does not open with KEK `kek-2`"), "{err}");
        // New current key: the old value is stale.
        let newer = KekFile::parse(&KEK.replace(
            "  - {id: kek-2",
            "  - {id: kek-9, secret: QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=}\n  - {id: kek-2",
        ))
        .unwrap();
        let d = read(&rp, Some(&newer), KEY, &v, &o).unwrap();
        assert_eq!(
            d.stale,
            ["wrapped by KMS key `kek-2`, not the current key `kek-9`"]
        );
        // Tampered ciphertext (last byte of the object is the type; flip inside the data).
        let mut t = v.clone();
        let at = b"k8s:enc:kms:v2:vault:".len() + 2 + 40;
        t[at] ^= 1;
        let err = read(&rp, Some(&kek), KEY, &t, &o).unwrap_err().to_string();
        assert!(err.contains("message authentication failed"), "{err}");
        // Wrong etcd key (AAD).
        let err = read(&rp, Some(&kek), b"/registry/secrets/default/s2", &v, &o)
            .unwrap_err()
            .to_string();
        assert!(err.contains("message authentication failed"), "{err}");
    }

    #[test]
    fn kms_v1_reads_legacy_cbc() {
        let rp = config("  - kms: {name: legacy, endpoint: unix:///k}\n");
        let kek = KekFile::parse(KEK).unwrap();
        let mut rng = counter_rng();
        let dek = [9u8; 32];
        let ct = crypto::aes_cbc_encrypt(&dek, &[1; 16], b"old data").unwrap();
        let wrapped = kek.encrypt("legacy", &dek, &mut rng).unwrap();
        let mut data = vec![];
        CbcPayload {
            iv: &[1; 16],
            ciphertext: &ct,
        }
        .write_to(&mut data);
        let mut v = layout::value_prefix(Scheme::KmsV1, "legacy");
        KmsV1Payload {
            encrypted_dek: &wrapped.ciphertext,
            data: &data,
        }
        .write_to(&mut v)
        .unwrap();
        let d = read(&rp, Some(&kek), KEY, &v, &Options::default()).unwrap();
        assert_eq!(d.plaintext, b"old data");
        assert_eq!(d.via, "kms v1 `legacy` (DEK per write, legacy AES-CBC)");
        assert_eq!(d.stale.len(), 1);
        // Garbage data: both readings fail, both reasons given.
        let mut bad = layout::value_prefix(Scheme::KmsV1, "legacy");
        KmsV1Payload {
            encrypted_dek: &wrapped.ciphertext,
            data: &[0u8; 40],
        }
        .write_to(&mut bad)
        .unwrap();
        let err = read(&rp, Some(&kek), KEY, &bad, &Options::default())
            .unwrap_err()
            .to_string();
        assert!(
            err.contains("neither AES-GCM (aes-gcm: message authentication failed"),
            "{err}"
        );
        assert!(
            err.contains("nor legacy AES-CBC (aescbc ciphertext is 24 bytes"),
            "{err}"
        );
    }
}
