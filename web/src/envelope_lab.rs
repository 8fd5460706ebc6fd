//! The "Encryption at rest" view's experiments beyond one write: a simulated KMS whose KEK
//! rotates, a small store of KMS v2 values that go stale and are rewritten, the measured cost of
//! a DEK per write (KMS v1) against a cached seed (KMS v2), and reading a pasted etcd value with
//! an `EncryptionConfiguration` in the apiserver's read order.
//!
//! The read order is the core's ([`secrets_guard_core::envelope::read_order`], the same walk as
//! `secrets-guard envelope decrypt`); the ciphers are WebCrypto's ([`crate::webcrypto`]).
//!
//! The simulated KMS wraps like the local KEK file of the CLI (`--kek`):
//! `nonce(12) ‖ AES-256-GCM(KEK, nonce, plaintext, AAD = key id)`, so a value written here and one
//! written natively with a KEK file read the same way.
//!
//! It runs in the playground's background worker only (feature `worker`; the page's module
//! links none of it): the tab asks through [`crate::envelope_worker`].

use std::cell::Cell;
use std::rc::Rc;

use secrets_guard_core::envelope::config::{self, ResourceProviders};
use secrets_guard_core::envelope::encoding::{self, DecodedInput, InputEncoding};
use secrets_guard_core::envelope::inspect;
use secrets_guard_core::envelope::kek::KekFile;
use secrets_guard_core::envelope::kmsv2::{DekSourceType, EncryptedObject};
use secrets_guard_core::envelope::layout::{
    self, Body, GcmPayload, KmsV1Payload, Scheme, SeedData, GCM_NONCE_SIZE, HKDF_INFO_SIZE,
};
use secrets_guard_core::envelope::read_order::{self, Reader, Try};
use web_sys::CryptoKey;

use crate::envelope_demo::{etcd_key, Secret, KMS_NAME};
pub use crate::envelope_msg::{Cost, CostRun, PasteReply, PasteRequest};
use crate::webcrypto::{self, AesMode};

/// A KMS inside the page: KEKs by key id (non-extractable), the newest one current, old ones
/// kept for reading as a real KMS keeps old key versions. Counts its `Encrypt` and `Decrypt`
/// calls.
#[derive(Debug, Clone)]
pub struct SimKms {
    /// Oldest first; the last one wraps new data.
    keys: Vec<(String, CryptoKey)>,
    encrypt_calls: Rc<Cell<u32>>,
    decrypt_calls: Rc<Cell<u32>>,
}

impl PartialEq for SimKms {
    fn eq(&self, other: &Self) -> bool {
        self.keys == other.keys
            && Rc::ptr_eq(&self.encrypt_calls, &other.encrypt_calls)
            && Rc::ptr_eq(&self.decrypt_calls, &other.decrypt_calls)
    }
}

/// The wrapping of the simulated KMS and of KEK files: `nonce(12) ‖ AES-GCM(seed, AAD = key id)`.
async fn wrap_with(kek: &CryptoKey, key_id: &str, plaintext: &[u8]) -> Result<Vec<u8>, String> {
    let nonce = webcrypto::random(GCM_NONCE_SIZE)?;
    let sealed = webcrypto::gcm_seal(kek, &nonce, key_id.as_bytes(), plaintext).await?;
    Ok([nonce, sealed].concat())
}

async fn unwrap_with(kek: &CryptoKey, key_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, String> {
    if wrapped.len() < GCM_NONCE_SIZE + 16 {
        return Err(format!(
            "the wrapped key is {} bytes; a KEK-wrapped key is nonce(12) ‖ ciphertext ‖ tag(16)",
            wrapped.len()
        ));
    }
    let (nonce, sealed) = wrapped.split_at(GCM_NONCE_SIZE);
    webcrypto::gcm_open(kek, nonce, key_id.as_bytes(), sealed).await
}

impl SimKms {
    /// A KMS with one fresh KEK, `kek-1`.
    pub async fn new() -> Result<SimKms, String> {
        Ok(SimKms {
            keys: vec![("kek-1".into(), webcrypto::generate_aes(AesMode::Gcm).await?)],
            encrypt_calls: Rc::default(),
            decrypt_calls: Rc::default(),
        })
    }

    /// The same KMS with a new current KEK `kek-<n+1>`; the old ones still decrypt. The call
    /// counters are shared with `self`.
    pub async fn rotated(&self) -> Result<SimKms, String> {
        let mut next = self.clone();
        let id = format!("kek-{}", self.keys.len() + 1);
        next.keys
            .push((id, webcrypto::generate_aes(AesMode::Gcm).await?));
        Ok(next)
    }

    /// The key id new data is wrapped with (the KMS v2 `Status` key id).
    pub fn current_id(&self) -> &str {
        self.keys.last().map_or("", |(id, _)| id.as_str())
    }

    /// Every key id, oldest first.
    pub fn key_ids(&self) -> Vec<&str> {
        self.keys.iter().map(|(id, _)| id.as_str()).collect()
    }

    /// `Encrypt` calls so far.
    pub fn encrypt_calls(&self) -> u32 {
        self.encrypt_calls.get()
    }

    /// `Decrypt` calls so far.
    pub fn decrypt_calls(&self) -> u32 {
        self.decrypt_calls.get()
    }

    /// `Encrypt`: wrap with the current KEK; the key id and the wrapped bytes.
    pub async fn encrypt(&self, plaintext: &[u8]) -> Result<(String, Vec<u8>), String> {
        let (id, kek) = self.keys.last().ok_or("the KMS has no key")?;
        self.encrypt_calls.set(self.encrypt_calls.get() + 1);
        Ok((id.clone(), wrap_with(kek, id, plaintext).await?))
    }

    /// `Decrypt` with the KEK `key_id` names.
    pub async fn decrypt(&self, key_id: &str, wrapped: &[u8]) -> Result<Vec<u8>, String> {
        let kek = self.kek(key_id).ok_or_else(|| {
            format!(
                "the KMS has no key {key_id:?} (it has: {})",
                self.key_ids().join(", ")
            )
        })?;
        self.decrypt_calls.set(self.decrypt_calls.get() + 1);
        unwrap_with(kek, key_id, wrapped).await
    }

    fn kek(&self, key_id: &str) -> Option<&CryptoKey> {
        self.keys
            .iter()
            .find(|(id, _)| id == key_id)
            .map(|(_, k)| k)
    }
}

/// What the apiserver keeps between KMS v2 writes and reads: the current seed (wrapped once, by
/// one `Encrypt` call, reused for every write until the KMS key id changes) and the seeds it
/// has unwrapped, by wrapped bytes (so reading again costs no `Decrypt` call).
#[derive(Debug, Clone, Default, PartialEq)]
pub struct SeedCache {
    /// Key id, seed, wrapped seed.
    current: Option<(String, Vec<u8>, Vec<u8>)>,
    /// Wrapped seed, seed.
    unwrapped: Vec<(Vec<u8>, Vec<u8>)>,
}

impl SeedCache {
    fn seed(&self, wrapped: &[u8]) -> Option<&Vec<u8>> {
        self.unwrapped
            .iter()
            .find(|(w, _)| w == wrapped)
            .map(|(_, s)| s)
    }
}

/// Write `secret` with KMS v2 in seed mode: the value and the key id its seed is wrapped with.
/// A new seed (one KMS `Encrypt` call) only when there is none yet or the KMS key changed.
pub async fn write_kms_v2(
    kms: &SimKms,
    cache: &mut SeedCache,
    secret: &Secret,
) -> Result<(Vec<u8>, String), String> {
    seed_write(kms, cache, &etcd_key(secret), &secret.to_storage_protobuf()).await
}

/// [`write_kms_v2`] of a storage plaintext (what a rewrite re-encrypts: the apiserver decodes
/// the object it read and encodes it again, which gives a Secret's bytes back unchanged).
pub async fn seed_write(
    kms: &SimKms,
    cache: &mut SeedCache,
    etcd_key: &str,
    plaintext: &[u8],
) -> Result<(Vec<u8>, String), String> {
    let fresh = cache
        .current
        .as_ref()
        .is_none_or(|(id, _, _)| id != kms.current_id());
    if fresh {
        let seed = webcrypto::random(32)?;
        let (id, wrapped) = kms.encrypt(&seed).await?;
        cache.unwrapped.push((wrapped.clone(), seed.clone()));
        cache.current = Some((id, seed, wrapped));
    }
    let (key_id, seed, wrapped) = cache.current.as_ref().ok_or("no seed")?;
    let info = webcrypto::random(HKDF_INFO_SIZE)?;
    let dek = webcrypto::hkdf_sha256_expand(seed, &info).await?;
    let dek = webcrypto::import_aes(AesMode::Gcm, &dek).await?;
    let nonce = webcrypto::random(GCM_NONCE_SIZE)?;
    let sealed = webcrypto::gcm_seal(&dek, &nonce, etcd_key.as_bytes(), plaintext).await?;
    let mut data = vec![];
    SeedData {
        info: &info,
        gcm: GcmPayload {
            nonce: &nonce,
            sealed: &sealed,
        },
    }
    .write_to(&mut data);
    let object = EncryptedObject {
        encrypted_data: &data,
        key_id,
        encrypted_dek_source: wrapped,
        annotations: vec![],
        dek_source_type: DekSourceType::HkdfSha256XNonceAesGcmSeed.number(),
        spans: vec![],
    };
    let value =
        layout::encode(Scheme::KmsV2, KMS_NAME, &Body::KmsV2(object)).map_err(|e| e.to_string())?;
    Ok((value, key_id.clone()))
}

/// Read a KMS v2 value of [`write_kms_v2`]: the storage plaintext and the key id. Unwrapping a
/// seed the cache does not hold is one KMS `Decrypt` call.
pub async fn read_kms_v2(
    kms: &SimKms,
    cache: &mut SeedCache,
    etcd_key: &str,
    value: &[u8],
) -> Result<(Vec<u8>, String), String> {
    let rest = value
        .strip_prefix(layout::value_prefix(Scheme::KmsV2, KMS_NAME).as_slice())
        .ok_or("not a value of the simulated KMS provider")?;
    let o = EncryptedObject::decode(rest).map_err(|e| e.to_string())?;
    let seed = match cache.seed(o.encrypted_dek_source) {
        Some(seed) => seed.clone(),
        None => {
            let seed = kms.decrypt(o.key_id, o.encrypted_dek_source).await?;
            cache
                .unwrapped
                .push((o.encrypted_dek_source.to_vec(), seed.clone()));
            seed
        }
    };
    let plaintext = open_kms_v2_object(&o, &seed, etcd_key).await?;
    Ok((plaintext, o.key_id.to_string()))
}

/// AES-GCM open with raw key bytes.
async fn gcm_raw(key: &[u8], g: &GcmPayload<'_>, etcd_key: &str) -> Result<Vec<u8>, String> {
    let key = webcrypto::import_aes(AesMode::Gcm, key).await?;
    webcrypto::gcm_open(&key, g.nonce, etcd_key.as_bytes(), g.sealed).await
}

/// AES-CBC decryption with raw key bytes.
async fn cbc_raw(key: &[u8], iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    let key = webcrypto::import_aes(AesMode::Cbc, key).await?;
    webcrypto::cbc_decrypt(&key, iv, ciphertext).await
}

/// Unwrap with the first of `keks` that opens `wrapped`.
async fn unwrap_any(keks: &[(String, CryptoKey)], wrapped: &[u8]) -> Result<Vec<u8>, String> {
    let mut last = "no KEK".to_string();
    for (id, kek) in keks {
        match unwrap_with(kek, id, wrapped).await {
            Ok(k) => return Ok(k),
            Err(e) => last = e,
        }
    }
    Err(format!("KMS: the KEK does not unwrap the key: {last}"))
}

/// Decrypt an `EncryptedObject`'s data with its unwrapped DEK (key mode) or seed (seed mode).
async fn open_kms_v2_object(
    o: &EncryptedObject<'_>,
    source: &[u8],
    etcd_key: &str,
) -> Result<Vec<u8>, String> {
    let (key, gcm) = match o.source_type() {
        Some(DekSourceType::HkdfSha256XNonceAesGcmSeed) => {
            let s = SeedData::parse(o.encrypted_data).map_err(|e| e.to_string())?;
            (webcrypto::hkdf_sha256_expand(source, s.info).await?, s.gcm)
        }
        _ => (
            source.to_vec(),
            layout::parse_key_mode_data(o.encrypted_data).map_err(|e| e.to_string())?,
        ),
    };
    gcm_raw(&key, &gcm, etcd_key).await
}

/// A KMS v1 write: a fresh 32-byte DEK, AES-GCM with the etcd key as AAD, the DEK wrapped by
/// the KMS (one `Encrypt` call), `k8s:enc:kms:v1:<name>:` + uint16 len ‖ wrapped DEK ‖ data.
async fn dek_per_write(kms: &SimKms, etcd_key: &str, plaintext: &[u8]) -> Result<Vec<u8>, String> {
    let dek = webcrypto::random(32)?;
    let key = webcrypto::import_aes(AesMode::Gcm, &dek).await?;
    let nonce = webcrypto::random(GCM_NONCE_SIZE)?;
    let sealed = webcrypto::gcm_seal(&key, &nonce, etcd_key.as_bytes(), plaintext).await?;
    let (_, wrapped) = kms.encrypt(&dek).await?;
    let mut data = vec![];
    GcmPayload {
        nonce: &nonce,
        sealed: &sealed,
    }
    .write_to(&mut data);
    let mut out = layout::value_prefix(Scheme::KmsV1, KMS_NAME);
    KmsV1Payload {
        encrypted_dek: &wrapped,
        data: &data,
    }
    .write_to(&mut out)
    .map_err(|e| e.to_string())?;
    Ok(out)
}

/// Measure `writes` writes of `secret` each way with a fresh KMS, after one untimed warm-up
/// write each way (so that neither run pays for first-use costs). The times are the browser's.
pub async fn measure_cost(secret: &Secret, writes: u32) -> Result<Cost, String> {
    let key = etcd_key(secret);
    let plaintext = secret.to_storage_protobuf();

    let kms = SimKms::new().await?;
    dek_per_write(&kms, &key, &plaintext).await?;
    seed_write(&kms, &mut SeedCache::default(), &key, &plaintext).await?;

    let kms = SimKms::new().await?;
    let start = crate::engine::now();
    let mut last = vec![];
    for _ in 0..writes {
        last = dek_per_write(&kms, &key, &plaintext).await?;
    }
    let dek_per_write = CostRun {
        writes,
        millis: crate::engine::now() - start,
        kms_calls: kms.encrypt_calls(),
        value_len: last.len(),
    };

    let kms = SimKms::new().await?;
    let mut cache = SeedCache::default();
    let start = crate::engine::now();
    for _ in 0..writes {
        last = seed_write(&kms, &mut cache, &key, &plaintext).await?.0;
    }
    let cached_seed = CostRun {
        writes,
        millis: crate::engine::now() - start,
        kms_calls: kms.encrypt_calls(),
        value_len: last.len(),
    };
    Ok(Cost {
        dek_per_write,
        cached_seed,
    })
}

/// A value read from the paste form.
#[derive(Debug, Clone, PartialEq)]
pub struct PastedRead {
    /// The value's bytes and how the input was encoded.
    pub input: DecodedInput,
    /// The etcd key used as AAD.
    pub etcd_key: String,
    /// The storage plaintext.
    pub plaintext: Vec<u8>,
    /// `resources[0].providers[1]`.
    pub location: String,
    /// `aesgcm key \`key1\``, `kms v2 \`vault\` (seed mode, keyID \`kek-1\`)`.
    pub via: String,
    /// Why the apiserver would rewrite the value; empty when current.
    pub stale: Vec<String>,
}

/// Why a pasted value was not read: a message, and the decoded value when the input itself
/// was readable (so the byte diagram can still show it).
#[derive(Debug, Clone, PartialEq)]
pub struct PasteError {
    pub message: String,
    pub value: Option<Vec<u8>>,
}

impl PasteError {
    fn input(message: impl Into<String>) -> PasteError {
        PasteError {
            message: message.into(),
            value: None,
        }
    }
}

/// How the paste form's value is encoded: `auto`, `base64`, `hex` or `raw`.
pub fn input_encoding(name: &str) -> InputEncoding {
    match name {
        "base64" => InputEncoding::Base64,
        "hex" => InputEncoding::Hex,
        "raw" => InputEncoding::Raw,
        _ => InputEncoding::Auto,
    }
}

/// Decode the pasted value: base64, hex, raw text, or `etcdctl get -w json` output.
pub fn decode_pasted(text: &str, enc: InputEncoding) -> Result<DecodedInput, String> {
    if text.trim().is_empty() {
        return Err("paste an etcd value (base64, hex, raw text or `etcdctl get -w json`)".into());
    }
    let d = encoding::decode_input(text.as_bytes(), enc)?;
    let looks_like_value = d.value.starts_with(b"k8s") || d.value.starts_with(b"{");
    if enc == InputEncoding::Auto && d.encoding == "raw" && !looks_like_value {
        return Err(
            "the value is not valid base64 or hex, and as raw text it is no etcd value (those start with `k8s`)"
                .into(),
        );
    }
    Ok(d)
}

/// The providers the pasted configuration applies to the etcd key's resource.
fn providers(config_text: &str, etcd_key: &str) -> Result<ResourceProviders, String> {
    let resource = config::resource_of_etcd_key(etcd_key).unwrap_or("secrets");
    let group = resource.split_once('.').map_or("", |(_, g)| g);
    let resource = resource.split('.').next().unwrap_or(resource);
    config::providers_for(config_text, group, resource)
        .map_err(|e| format!("EncryptionConfiguration: {e}"))
}

/// The KEKs of a pasted KEK file that may unwrap for KMS `provider` (`key_id` for KMS v2, any
/// for v1), as `(id, key)`, and the id new writes would use (the file's first); an error naming
/// what is missing.
async fn keks(
    file: Option<&KekFile>,
    provider: &str,
    key_id: Option<&str>,
) -> Result<(Vec<(String, CryptoKey)>, Option<String>), String> {
    let mut out = vec![];
    let p = file.and_then(|f| f.provider(provider));
    for k in p.iter().flat_map(|p| &p.keys) {
        if key_id.is_none_or(|id| id == k.id) {
            out.push((
                k.id.clone(),
                webcrypto::import_aes(AesMode::Gcm, &k.secret).await?,
            ));
        }
    }
    if out.is_empty() {
        let which = match key_id {
            Some(id) => format!("the KEK {id:?} of KMS provider `{provider}`"),
            None => format!("a KEK of KMS provider `{provider}`"),
        };
        return Err(format!(
            "{which} is not known here: the KMS keeps its keys. Paste the KEK file that stands \
             in for it (the `--kek` file of `secrets-guard envelope`)"
        ));
    }
    Ok((out, p.and_then(|p| p.keys.first()).map(|k| k.id.clone())))
}

/// Read `value_text` (stored under `etcd_key`, unless the input is `etcdctl -w json` and
/// carries its key) with the providers `config_text` applies, in the apiserver's read order;
/// KMS providers unwrap with the KEKs of `kms` (a KEK file, the CLI's `--kek`).
pub async fn read_pasted(
    value_text: &str,
    enc: InputEncoding,
    etcd_key: &str,
    config_text: &str,
    kms: Option<&KekFile>,
) -> Result<PastedRead, PasteError> {
    let input = decode_pasted(value_text, enc).map_err(PasteError::input)?;
    let etcd_key = input
        .etcd_key
        .clone()
        .unwrap_or_else(|| etcd_key.trim().to_string());
    if etcd_key.is_empty() {
        return Err(PasteError::input(
            "give the value's etcd key (/registry/secrets/<namespace>/<name>): aesgcm and KMS authenticate it",
        ));
    }
    let fail = |message: String| PasteError {
        message,
        value: Some(input.value.clone()),
    };
    let providers = providers(config_text, &etcd_key).map_err(fail)?;
    let value = input.value.as_slice();
    let tries = read_order::tries(&providers, value);
    if tries.is_empty() {
        return Err(fail(format!(
            "no matching prefix found among the providers of `{}`: {}",
            providers.resource,
            read_order::no_prefix_hint(&providers, value)
        )));
    }
    let mut failures = vec![];
    for t in tries {
        let c = match t {
            Try::NoMatchingKey { location, scheme } => {
                let kind = if scheme == Scheme::Secretbox {
                    "Secretbox"
                } else {
                    "AES"
                };
                failures.push(format!(
                    "{location} {}: no matching key was found for the provided {kind} transformer",
                    scheme.label()
                ));
                continue;
            }
            Try::Read(c) => c,
        };
        let mut stale = c.stale.clone();
        let result = match c.reader {
            Reader::Identity => Ok((value.to_vec(), None)),
            Reader::Local {
                scheme,
                key,
                payload,
            } => open_local(scheme, &key.secret, payload, &etcd_key)
                .await
                .map(|p| (p, None)),
            Reader::Kms {
                scheme: Scheme::KmsV1,
                name,
                payload,
            } => open_kms_v1(kms, name, payload, &etcd_key, &mut stale)
                .await
                .map(|(p, d)| (p, Some(d))),
            Reader::Kms { name, payload, .. } => {
                open_kms_v2(kms, name, payload, &etcd_key, &mut stale)
                    .await
                    .map(|(p, d)| (p, Some(d)))
            }
        };
        match result {
            Ok((plaintext, detail)) => {
                return Ok(PastedRead {
                    plaintext,
                    location: c.location.to_string(),
                    via: match detail {
                        Some(d) => format!("{} ({d})", c.what),
                        None => c.what,
                    },
                    stale,
                    etcd_key,
                    input,
                })
            }
            Err(e) => failures.push(format!("{} {}: {e}", c.location, c.what)),
        }
    }
    Err(fail(format!(
        "no provider could read the value:\n  {}",
        failures.join("\n  ")
    )))
}

async fn open_local(
    scheme: Scheme,
    key: &[u8],
    payload: &[u8],
    etcd_key: &str,
) -> Result<Vec<u8>, String> {
    match layout::parse_body(scheme, payload).map_err(|e| e.to_string())? {
        Body::AesGcm(p) => gcm_raw(key, &p, etcd_key).await,
        Body::AesCbc(p) => cbc_raw(key, p.iv, p.ciphertext).await,
        _ => Err(
            "secretbox (XSalsa20-Poly1305) is not in WebCrypto: read this value natively with \
             `secrets-guard envelope decrypt`"
                .into(),
        ),
    }
}

async fn open_kms_v2(
    kms: Option<&KekFile>,
    name: &str,
    payload: &[u8],
    etcd_key: &str,
    stale: &mut Vec<String>,
) -> Result<(Vec<u8>, String), String> {
    let o = EncryptedObject::decode(payload).map_err(|e| e.to_string())?;
    let (keks, current) = keks(kms, name, Some(o.key_id)).await?;
    let source = unwrap_any(&keks, o.encrypted_dek_source).await?;
    let plaintext = open_kms_v2_object(&o, &source, etcd_key).await?;
    let mode = o.source_type().unwrap_or(DekSourceType::AesGcmKey);
    if let Some(current) = current.filter(|c| c != o.key_id) {
        stale.push(format!(
            "wrapped by KMS key `{}`, not the current key `{current}`",
            o.key_id
        ));
    }
    let mode = if mode == DekSourceType::AesGcmKey {
        stale.push("written in KMS v2 key mode; new writes use seed mode".into());
        "key mode"
    } else {
        "seed mode"
    };
    Ok((plaintext, format!("{mode}, keyID `{}`", o.key_id)))
}

async fn open_kms_v1(
    kms: Option<&KekFile>,
    name: &str,
    payload: &[u8],
    etcd_key: &str,
    stale: &mut Vec<String>,
) -> Result<(Vec<u8>, String), String> {
    let Body::KmsV1(p) = layout::parse_body(Scheme::KmsV1, payload).map_err(|e| e.to_string())?
    else {
        return Err("not a KMS v1 payload".into());
    };
    let (keks, _) = keks(kms, name, None).await?;
    let dek = unwrap_any(&keks, p.encrypted_dek).await?;
    let gcm = match layout::parse_body(Scheme::AesGcm, p.data) {
        Ok(Body::AesGcm(g)) => gcm_raw(&dek, &g, etcd_key).await,
        Ok(_) => Err("not an AES-GCM payload".into()),
        Err(e) => Err(e.to_string()),
    };
    let gcm_err = match gcm {
        Ok(pt) => return Ok((pt, "DEK per write, AES-GCM".into())),
        Err(e) => e,
    };
    let cbc = match layout::parse_body(Scheme::AesCbc, p.data) {
        Ok(Body::AesCbc(c)) => cbc_raw(&dek, c.iv, c.ciphertext).await,
        Ok(_) => Err("not an AES-CBC payload".into()),
        Err(e) => Err(e.to_string()),
    };
    match cbc {
        Ok(pt) => {
            stale.push("KMS v1 data in the legacy AES-CBC layout (before Kubernetes 1.25)".into());
            Ok((pt, "DEK per write, legacy AES-CBC".into()))
        }
        Err(cbc_err) => Err(format!(
            "neither AES-GCM ({gcm_err}) nor legacy AES-CBC ({cbc_err}) reads the data"
        )),
    }
}

/// Answer a [`PasteRequest`] (in the playground's worker: see `crate::worker`).
pub async fn paste_reply(r: &PasteRequest) -> PasteReply {
    let mut reply = read_reply(r).await;
    reply.inspection = reply.value.as_deref().map(inspect::inspect);
    reply
}

async fn read_reply(r: &PasteRequest) -> PasteReply {
    let failed = |message: String, value: Option<Vec<u8>>| PasteReply {
        error: Some(message),
        value,
        ..PasteReply::default()
    };
    let kek_file = match r.kek.trim() {
        "" => None,
        t => match KekFile::parse(t) {
            Ok(f) => Some(f),
            Err(e) => return failed(format!("KEK file: {e}"), None),
        },
    };
    let enc = input_encoding(&r.encoding);
    match read_pasted(&r.value, enc, &r.etcd_key, &r.config, kek_file.as_ref()).await {
        Err(e) => failed(e.message, e.value),
        Ok(read) => match crate::envelope_demo::secret_of(&read.plaintext) {
            Ok(s) => PasteReply {
                status: Some(format!(
                    "Read by {}: {} ({} input, etcd key {})",
                    read.location, read.via, read.input.encoding, read.etcd_key
                )),
                stale: read.stale,
                yaml: Some(secrets_guard_core::envelope::yaml_out::to_yaml(
                    &s.to_json(false),
                )),
                error: None,
                value: Some(read.input.value),
                inspection: None,
            },
            Err(e) => failed(
                format!("{} read the value, but it is no v1 Secret: {e}", read.via),
                Some(read.input.value),
            ),
        },
    }
}
