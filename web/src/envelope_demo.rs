//! The flows of the "Encryption at rest" view: write a Secret as kube-apiserver does with a
//! provider (WebCrypto for the ciphers, the core's `envelope` layouts for every byte around
//! them), and read the value back.
//!
//! What each provider writes (`../shared/design/storage-formats.md`):
//! - `identity`: the plaintext storage encoding (`k8s\x00` + `runtime.Unknown`);
//! - `aescbc`: `k8s:enc:aescbc:v1:<key>:` + IV(16) + AES-CBC/PKCS#7, no authentication;
//! - `aesgcm`: `k8s:enc:aesgcm:v1:<key>:` + nonce(12) + ciphertext + tag, etcd key as AAD;
//! - KMS v2 seed mode: `k8s:enc:kms:v2:<name>:` + protobuf `EncryptedObject` whose data is
//!   info(32) ‖ nonce(12) ‖ ciphertext ‖ tag under HKDF-Expand-SHA256(seed, info), and whose
//!   `encryptedDEKSource` is the seed wrapped by a KEK in a simulated KMS (the local KEK
//!   file's wrapping: nonce(12) ‖ AES-256-GCM(KEK, nonce, seed, AAD = key id)).
//! - KMS v2 key mode (`encryptedDEKSourceType` = `AES_GCM_KEY`, Kubernetes 1.25–1.28): the same
//!   prefix and message, whose data is nonce(12) ‖ ciphertext ‖ tag under a random 32-byte
//!   AES-256-GCM DEK; the nonce is 4 random bytes ‖ the writer's counter (little-endian uint64,
//!   1,000,000,001 for a fresh apiserver), and `encryptedDEKSource` is the DEK itself, wrapped by
//!   the KEK as above.
//!
//! `secretbox` is listed but not run: WebCrypto has no XSalsa20-Poly1305.
//!
//! The page's module has only the providers ([`Provider`], [`Step`]) and [`flip`]: the flows
//! (feature `worker`) run in the playground's background worker, which keeps the keys of each
//! write ([`crate::envelope_worker`]).

#[cfg(feature = "worker")]
use std::rc::Rc;

use secrets_guard_core::envelope::kmsv2::DekSourceType;
#[cfg(feature = "worker")]
use secrets_guard_core::envelope::kmsv2::EncryptedObject;
#[cfg(feature = "worker")]
use secrets_guard_core::envelope::layout::{
    self, Body, CbcPayload, EtcdValue, GcmPayload, Scheme, SeedData, AES_BLOCK_SIZE,
    GCM_NONCE_SIZE, HKDF_INFO_SIZE, KEY_MODE_FIRST_COUNTER, TAG_SIZE,
};
#[cfg(feature = "worker")]
use secrets_guard_core::envelope::storage;
pub use secrets_guard_core::envelope::storage::Secret;
#[cfg(feature = "worker")]
use secrets_guard_core::yaml::{parse_documents, Limits};
use serde::{Deserialize, Serialize};
#[cfg(feature = "worker")]
use web_sys::CryptoKey;

#[cfg(feature = "worker")]
use crate::webcrypto::{self, AesMode};

/// The key name of the aescbc and aesgcm providers, and the KMS provider name.
pub const KEY_NAME: &str = "key1";
/// The KMS provider name.
pub const KMS_NAME: &str = "demo-kms";
/// The key id the simulated KMS reports for its KEK.
pub const KEK_ID: &str = "kek-1";

/// A provider of the view.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum Provider {
    Identity,
    AesCbc,
    AesGcm,
    /// KMS v2 seed mode (`HKDF_SHA256_XNONCE_AES_GCM_SEED`, the default since Kubernetes 1.29).
    KmsV2Seed,
    /// KMS v2 key mode (`AES_GCM_KEY`, Kubernetes 1.25–1.28): the KMS wraps the DEK itself.
    KmsV2Key,
    Secretbox,
}

impl Provider {
    /// Every provider, in the order the view lists them.
    pub const ALL: [Provider; 6] = [
        Provider::Identity,
        Provider::AesCbc,
        Provider::AesGcm,
        Provider::KmsV2Seed,
        Provider::KmsV2Key,
        Provider::Secretbox,
    ];

    /// Stable name (the `<select>`'s values).
    pub fn name(self) -> &'static str {
        match self {
            Provider::Identity => "identity",
            Provider::AesCbc => "aescbc",
            Provider::AesGcm => "aesgcm",
            Provider::KmsV2Seed => "kms-v2",
            Provider::KmsV2Key => "kms-v2-key",
            Provider::Secretbox => "secretbox",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Provider::Identity => "identity (no encryption)",
            Provider::AesCbc => "aescbc",
            Provider::AesGcm => "aesgcm",
            Provider::KmsV2Seed => "KMS v2 (seed mode)",
            Provider::KmsV2Key => "KMS v2 (key mode)",
            Provider::Secretbox => "secretbox (native only: WebCrypto has no XSalsa20)",
        }
    }

    /// Whether the browser can run it.
    pub fn runs_in_browser(self) -> bool {
        self != Provider::Secretbox
    }

    /// The KMS v2 mode (`encryptedDEKSourceType`) it writes; `None` for the other providers.
    pub fn kms_v2_mode(self) -> Option<DekSourceType> {
        match self {
            Provider::KmsV2Seed => Some(DekSourceType::HkdfSha256XNonceAesGcmSeed),
            Provider::KmsV2Key => Some(DekSourceType::AesGcmKey),
            _ => None,
        }
    }

    pub fn from_name(name: &str) -> Option<Provider> {
        Provider::ALL.into_iter().find(|p| p.name() == name)
    }
}

/// One step of a write, as the view lists it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Step {
    pub title: String,
    pub detail: String,
}

/// The keys a write used, kept to read its value back. They are non-extractable `CryptoKey`s:
/// the page can use them, nobody can read them.
#[cfg(feature = "worker")]
#[derive(Debug, Clone, PartialEq)]
pub struct Keys {
    pub provider: Provider,
    /// The aescbc or aesgcm key of the (simulated) `EncryptionConfiguration`.
    pub key: Option<CryptoKey>,
    /// The KEK inside the simulated KMS.
    pub kek: Option<CryptoKey>,
}

/// A write: the steps, the etcd value and the keys to read it back.
#[cfg(feature = "worker")]
#[derive(Debug, Clone, PartialEq)]
pub struct Written {
    pub etcd_key: String,
    pub steps: Vec<Step>,
    pub value: Vec<u8>,
    pub keys: Rc<Keys>,
}

/// The etcd key of a Secret: `/registry/secrets/<namespace>/<name>`.
#[cfg(feature = "worker")]
pub fn etcd_key(secret: &Secret) -> String {
    let ns = if secret.metadata.namespace.is_empty() {
        "default"
    } else {
        secret.metadata.namespace.as_str()
    };
    format!("/registry/secrets/{ns}/{}", secret.metadata.name)
}

/// A Secret built from the form: name, namespace and `key=value` lines.
#[cfg(feature = "worker")]
pub fn secret_from_form(name: &str, namespace: &str, data: &str) -> Result<Secret, String> {
    let name = name.trim();
    if name.is_empty() {
        return Err("the Secret needs a name".into());
    }
    let mut s = Secret::default();
    s.metadata.name = name.into();
    s.metadata.namespace = match namespace.trim() {
        "" => "default".into(),
        ns => ns.into(),
    };
    s.type_ = "Opaque".into();
    for (i, line) in data.lines().enumerate() {
        if line.trim().is_empty() {
            continue;
        }
        let (k, v) = line
            .split_once('=')
            .ok_or_else(|| format!("data line {}: write key=value", i + 1))?;
        s.data.insert(k.trim().into(), v.as_bytes().to_vec());
    }
    Ok(s)
}

/// The first `v1` Secret among the documents of `text` (the editor's text), as the apiserver
/// would store it (`stringData` merged into `data`, type defaulted).
#[cfg(feature = "worker")]
pub fn first_secret(text: &str) -> Result<Secret, String> {
    let mut found = None;
    parse_documents(text, &Limits::default(), |d| {
        if found.is_some() {
            return;
        }
        if let Ok(doc) = d {
            let v = doc.root.to_json();
            let is_secret = v.get("apiVersion").and_then(|a| a.as_str()) == Some("v1")
                && v.get("kind").and_then(|k| k.as_str()) == Some("Secret");
            if is_secret {
                found = Some(Secret::from_manifest(&v).map(|(s, _)| s));
            }
        }
    });
    match found {
        None => Err("the editor holds no v1 Secret".into()),
        Some(Err(e)) => Err(format!("the editor's first Secret: {e}")),
        Some(Ok(mut s)) => {
            if s.metadata.name.is_empty() {
                return Err("the editor's first Secret has no name".into());
            }
            if s.metadata.namespace.is_empty() {
                s.metadata.namespace = "default".into();
            }
            Ok(s)
        }
    }
}

#[cfg(feature = "worker")]
fn hex(b: &[u8]) -> String {
    secrets_guard_core::envelope::inspect::hex(b)
}

/// Write `secret` as `provider` does, with freshly generated non-extractable keys.
#[cfg(feature = "worker")]
pub async fn write(provider: Provider, secret: &Secret) -> Result<Written, String> {
    write_with_key(provider, secret, None).await
}

/// The aescbc/aesgcm key or the KMS KEK: generated, or imported from `raw` (32 bytes, e.g. the
/// `secret` of an `EncryptionConfiguration` key or of a local KEK file), non-extractable either way.
#[cfg(feature = "worker")]
async fn key(mode: AesMode, raw: Option<&[u8]>) -> Result<CryptoKey, String> {
    match raw {
        None => webcrypto::generate_aes(mode).await,
        Some(raw) => webcrypto::import_aes(mode, raw).await,
    }
}

/// The keys that read `provider`'s values, imported from `raw`: the aescbc or aesgcm key
/// (16, 24 or 32 bytes, the `secret` of an `EncryptionConfiguration` key) or the KMS KEK
/// `KEK_ID` (32 bytes, the `secret` of a local KEK file). Non-extractable, as every key here.
#[cfg(feature = "worker")]
pub async fn import_keys(provider: Provider, raw: &[u8]) -> Result<Keys, String> {
    let mut keys = Keys {
        provider,
        key: None,
        kek: None,
    };
    match provider {
        Provider::Identity | Provider::Secretbox => {}
        Provider::AesGcm => keys.key = Some(webcrypto::import_aes(AesMode::Gcm, raw).await?),
        Provider::AesCbc => keys.key = Some(webcrypto::import_aes(AesMode::Cbc, raw).await?),
        Provider::KmsV2Seed | Provider::KmsV2Key => {
            keys.kek = Some(webcrypto::import_aes(AesMode::Gcm, raw).await?)
        }
    }
    Ok(keys)
}

/// What the simulated KMS returns for a DEK or seed: `nonce(12) ‖ AES-256-GCM(KEK, nonce,
/// source, AAD = KEK_ID)`, as a local KEK file wraps.
#[cfg(feature = "worker")]
async fn kms_wrap(
    kek: &CryptoKey,
    source: &[u8],
    random: &mut Random<'_>,
) -> Result<Vec<u8>, String> {
    let mut wrapped = random(GCM_NONCE_SIZE)?;
    let sealed = webcrypto::gcm_seal(kek, &wrapped, KEK_ID.as_bytes(), source).await?;
    wrapped.extend(sealed);
    Ok(wrapped)
}

/// The value of a KMS v2 write: prefix and `EncryptedObject`.
#[cfg(feature = "worker")]
fn kms_v2_value(data: &[u8], wrapped: &[u8], mode: DekSourceType) -> Result<Vec<u8>, String> {
    let object = EncryptedObject {
        encrypted_data: data,
        key_id: KEK_ID,
        encrypted_dek_source: wrapped,
        annotations: vec![],
        dek_source_type: mode.number(),
        spans: vec![],
    };
    layout::encode(Scheme::KmsV2, KMS_NAME, &Body::KmsV2(object)).map_err(|e| e.to_string())
}

/// Write `secret` as `provider` does, with the aescbc/aesgcm key or the KMS KEK taken from
/// `raw` when it is given (so that a native reader holding the same key can read the value).
#[cfg(feature = "worker")]
pub async fn write_with_key(
    provider: Provider,
    secret: &Secret,
    raw: Option<&[u8]>,
) -> Result<Written, String> {
    write_with_random(provider, secret, raw, &mut webcrypto::random).await
}

/// A source of random bytes: the `n` bytes asked for, or why there are none.
#[cfg(feature = "worker")]
pub type Random<'a> = dyn FnMut(usize) -> Result<Vec<u8>, String> + 'a;

/// [`write_with_key`] with the random bytes (nonces, IVs, seed, HKDF info, DEK) taken from
/// `random`, in the order the native writer (`secrets_guard_core::envelope::rw::write`) draws
/// them, so that fixed bytes give the exact values of the known-answer vectors. The view always
/// uses `crypto.getRandomValues` ([`write`], [`write_with_key`]).
#[cfg(feature = "worker")]
pub async fn write_with_random(
    provider: Provider,
    secret: &Secret,
    raw: Option<&[u8]>,
    random: &mut Random<'_>,
) -> Result<Written, String> {
    let etcd_key = etcd_key(secret);
    let plaintext = secret.to_storage_protobuf();
    let mut steps = vec![Step {
        title: "Secret encoded for storage".into(),
        detail: format!(
            "{} bytes: protobuf magic k8s\\x00 + runtime.Unknown {{apiVersion v1, kind Secret, raw}}",
            plaintext.len()
        ),
    }];
    let mut keys = Keys {
        provider,
        key: None,
        kek: None,
    };
    let value = match provider {
        Provider::Secretbox => {
            return Err(
                "secretbox runs natively only (secrets-guard envelope encrypt): WebCrypto has no XSalsa20-Poly1305"
                    .into(),
            )
        }
        Provider::Identity => {
            steps.push(Step {
                title: "Stored as is".into(),
                detail: "identity writes the plaintext: anyone who reads etcd or a backup reads the Secret".into(),
            });
            plaintext
        }
        Provider::AesGcm => {
            let key = key(AesMode::Gcm, raw).await?;
            steps.push(Step {
                title: if raw.is_some() { "Key imported" } else { "Key generated" }.into(),
                detail: format!("AES-256-GCM key {KEY_NAME:?} of the EncryptionConfiguration (non-extractable CryptoKey)"),
            });
            let nonce = random(GCM_NONCE_SIZE)?;
            let sealed =
                webcrypto::gcm_seal(&key, &nonce, etcd_key.as_bytes(), &plaintext).await?;
            steps.push(Step {
                title: "Data encrypted".into(),
                detail: format!(
                    "AES-GCM, random 12-byte nonce {}, additional data {etcd_key:?}: {} bytes of ciphertext and a 16-byte tag",
                    hex(&nonce),
                    sealed.len().saturating_sub(16)
                ),
            });
            keys.key = Some(key);
            let body = Body::AesGcm(GcmPayload {
                nonce: &nonce,
                sealed: &sealed,
            });
            layout::encode(Scheme::AesGcm, KEY_NAME, &body).map_err(|e| e.to_string())?
        }
        Provider::AesCbc => {
            let key = key(AesMode::Cbc, raw).await?;
            steps.push(Step {
                title: if raw.is_some() { "Key imported" } else { "Key generated" }.into(),
                detail: format!("AES-256-CBC key {KEY_NAME:?} of the EncryptionConfiguration (non-extractable CryptoKey)"),
            });
            let iv = random(AES_BLOCK_SIZE)?;
            let ciphertext = webcrypto::cbc_encrypt(&key, &iv, &plaintext).await?;
            steps.push(Step {
                title: "Data encrypted".into(),
                detail: format!(
                    "AES-CBC with PKCS#7 padding, random IV {}: {} bytes; nothing authenticates them",
                    hex(&iv),
                    ciphertext.len()
                ),
            });
            keys.key = Some(key);
            let body = Body::AesCbc(CbcPayload {
                iv: &iv,
                ciphertext: &ciphertext,
            });
            layout::encode(Scheme::AesCbc, KEY_NAME, &body).map_err(|e| e.to_string())?
        }
        Provider::KmsV2Seed => {
            let kek = key(AesMode::Gcm, raw).await?;
            steps.push(Step {
                title: if raw.is_some() { "KEK imported into the KMS" } else { "KEK generated in the KMS" }.into(),
                detail: format!("AES-256-GCM key {KEK_ID:?}; it never leaves the (simulated) KMS"),
            });
            let seed = random(32)?;
            steps.push(Step {
                title: "Seed generated".into(),
                detail: "32 random bytes; the apiserver keeps the seed and derives a new DEK for every write".into(),
            });
            let info = random(HKDF_INFO_SIZE)?;
            let dek = webcrypto::hkdf_sha256_expand(&seed, &info).await?;
            let dek_key = webcrypto::import_aes(AesMode::Gcm, &dek).await?;
            steps.push(Step {
                title: "DEK derived".into(),
                detail: format!("HKDF-Expand-SHA256(seed, info = 32 random bytes {})", hex(&info)),
            });
            let nonce = random(GCM_NONCE_SIZE)?;
            let sealed =
                webcrypto::gcm_seal(&dek_key, &nonce, etcd_key.as_bytes(), &plaintext).await?;
            steps.push(Step {
                title: "Data encrypted".into(),
                detail: format!(
                    "AES-GCM with the DEK, nonce {}, additional data {etcd_key:?}",
                    hex(&nonce)
                ),
            });
            let wrapped = kms_wrap(&kek, &seed, random).await?;
            steps.push(Step {
                title: "Seed wrapped by the KMS".into(),
                detail: format!(
                    "the KMS encrypts the seed with its KEK: {} bytes (nonce ‖ AES-GCM(seed) ‖ tag), stored next to the data",
                    wrapped.len()
                ),
            });
            keys.kek = Some(kek);
            let mut data = vec![];
            SeedData {
                info: &info,
                gcm: GcmPayload {
                    nonce: &nonce,
                    sealed: &sealed,
                },
            }
            .write_to(&mut data);
            kms_v2_value(&data, &wrapped, DekSourceType::HkdfSha256XNonceAesGcmSeed)?
        }
        Provider::KmsV2Key => {
            let kek = key(AesMode::Gcm, raw).await?;
            steps.push(Step {
                title: if raw.is_some() { "KEK imported into the KMS" } else { "KEK generated in the KMS" }.into(),
                detail: format!("AES-256-GCM key {KEK_ID:?}; it never leaves the (simulated) KMS"),
            });
            let dek = random(32)?;
            let dek_key = webcrypto::import_aes(AesMode::Gcm, &dek).await?;
            steps.push(Step {
                title: "DEK generated".into(),
                detail: "32 random bytes, an AES-256-GCM key; the apiserver reuses it for many writes and counts them in the nonce".into(),
            });
            let head: [u8; 4] = random(4)?
                .try_into()
                .map_err(|_| "the random source returned the wrong length".to_string())?;
            let nonce = layout::key_mode_nonce(head, KEY_MODE_FIRST_COUNTER);
            let sealed =
                webcrypto::gcm_seal(&dek_key, &nonce, etcd_key.as_bytes(), &plaintext).await?;
            steps.push(Step {
                title: "Data encrypted".into(),
                detail: format!(
                    "AES-GCM with the DEK, nonce {} (4 random bytes ‖ write counter {KEY_MODE_FIRST_COUNTER} as little-endian uint64), additional data {etcd_key:?}",
                    hex(&nonce)
                ),
            });
            let wrapped = kms_wrap(&kek, &dek, random).await?;
            steps.push(Step {
                title: "DEK wrapped by the KMS".into(),
                detail: format!(
                    "the KMS encrypts the DEK with its KEK: {} bytes (nonce ‖ AES-GCM(DEK) ‖ tag), stored next to the data",
                    wrapped.len()
                ),
            });
            keys.kek = Some(kek);
            let mut data = vec![];
            GcmPayload {
                nonce: &nonce,
                sealed: &sealed,
            }
            .write_to(&mut data);
            kms_v2_value(&data, &wrapped, DekSourceType::AesGcmKey)?
        }
    };
    steps.push(Step {
        title: "Written to etcd".into(),
        detail: format!("{} bytes under {etcd_key}", value.len()),
    });
    Ok(Written {
        etcd_key,
        steps,
        value,
        keys: Rc::new(keys),
    })
}

/// Decode a storage plaintext (protobuf or JSON) as a `v1` Secret.
#[cfg(feature = "worker")]
pub fn secret_of(plaintext: &[u8]) -> Result<Secret, String> {
    let stored = storage::decode_stored(plaintext).map_err(|e| e.to_string())?;
    stored.secret().map_err(|e| e.to_string())
}

/// [`secret_of`], shown as `kubectl get -o yaml` would (the worker's answer to the tab's
/// "Decrypt"), or why the plaintext is not a Secret.
#[cfg(feature = "worker")]
pub fn secret_yaml(plaintext: &[u8]) -> Result<String, String> {
    secret_of(plaintext).map(|s| secrets_guard_core::envelope::yaml_out::to_yaml(&s.to_json(false)))
}

/// Read `value` (stored under `etcd_key`) back with the keys of a write: the Secret.
#[cfg(feature = "worker")]
pub async fn read(keys: &Keys, etcd_key: &str, value: &[u8]) -> Result<Secret, String> {
    secret_of(&open(keys, etcd_key, value).await?)
}

/// Take `value` apart and decrypt it with the keys of a write: the storage plaintext. Errors
/// are the layout's and the ciphers' (a failed authentication); what the plaintext decodes to is
/// [`secret_of`]'s business, so a caller can tell "the cipher refused" from "the cipher returned
/// altered bytes" (AES-CBC).
#[cfg(feature = "worker")]
pub async fn open(keys: &Keys, etcd_key: &str, value: &[u8]) -> Result<Vec<u8>, String> {
    let aad = etcd_key.as_bytes();
    let e = match layout::split(value).map_err(|e| e.to_string())? {
        EtcdValue::Plaintext(p) => return Ok(p.to_vec()),
        EtcdValue::Encrypted(e) => e,
    };
    let missing = || {
        format!(
            "these keys are for {}; the value is {} data",
            keys.provider.label(),
            e.scheme.label()
        )
    };
    let plaintext = match e.body().map_err(|e| e.to_string())? {
        Body::AesGcm(p) => {
            let key = keys
                .key
                .as_ref()
                .filter(|_| keys.provider == Provider::AesGcm);
            webcrypto::gcm_open(key.ok_or_else(missing)?, p.nonce, aad, p.sealed).await?
        }
        Body::AesCbc(p) => {
            let key = keys
                .key
                .as_ref()
                .filter(|_| keys.provider == Provider::AesCbc);
            webcrypto::cbc_decrypt(key.ok_or_else(missing)?, p.iv, p.ciphertext).await?
        }
        Body::KmsV2(o) => {
            let kek = keys.kek.as_ref().ok_or_else(missing)?;
            if o.key_id != KEK_ID {
                return Err(format!(
                    "the KMS has no key {:?} (its KEK is {KEK_ID:?})",
                    o.key_id
                ));
            }
            let what = match o.source_type() {
                Some(DekSourceType::HkdfSha256XNonceAesGcmSeed) => "seed",
                _ => "DEK",
            };
            let w = o.encrypted_dek_source;
            if w.len() < GCM_NONCE_SIZE + TAG_SIZE {
                return Err(format!(
                    "the wrapped {what} is {} bytes; the KMS wraps it as nonce(12) ‖ ciphertext ‖ tag(16)",
                    w.len()
                ));
            }
            let (wrap_nonce, wrapped) = w.split_at(GCM_NONCE_SIZE);
            let seed = webcrypto::gcm_open(kek, wrap_nonce, KEK_ID.as_bytes(), wrapped)
                .await
                .map_err(|e| format!("the KMS cannot unwrap the {what}: {e}"))?;
            // `EncryptedObject::decode` (in `body`) refuses unknown source types.
            let (key, gcm) = match o.source_type() {
                Some(DekSourceType::HkdfSha256XNonceAesGcmSeed) => {
                    let s = SeedData::parse(o.encrypted_data).map_err(|e| e.to_string())?;
                    (webcrypto::hkdf_sha256_expand(&seed, s.info).await?, s.gcm)
                }
                Some(DekSourceType::AesGcmKey) | None => {
                    let g =
                        layout::parse_key_mode_data(o.encrypted_data).map_err(|e| e.to_string())?;
                    (seed, g)
                }
            };
            let key = webcrypto::import_aes(AesMode::Gcm, &key).await?;
            webcrypto::gcm_open(&key, gcm.nonce, aad, gcm.sealed).await?
        }
        Body::Secretbox(_) | Body::KmsV1(_) => {
            return Err(format!(
                "{} values are read natively only (secrets-guard envelope decrypt)",
                e.scheme.label()
            ))
        }
    };
    Ok(plaintext)
}

/// `value` with the lowest bit of the byte at `index` flipped, for the tamper demo (nothing
/// changes when `index` is past the end).
pub fn flip(value: &[u8], index: usize) -> Vec<u8> {
    let mut v = value.to_vec();
    if let Some(b) = v.get_mut(index) {
        *b ^= 0x01;
    }
    v
}
