//! WebCrypto (`SubtleCrypto`) for the "Encryption at rest" view: AES-GCM, AES-CBC, HMAC-SHA256
//! and `crypto.getRandomValues`, as small async functions over byte slices.
//!
//! Keys are generated or imported non-extractable: the page can use them but never read them
//! back. The core builds the playground without its RustCrypto primitives (`envelope-crypto`),
//! so every cipher of the view runs here, in the browser's own implementation.

use js_sys::{Array, ArrayBuffer, Object, Uint8Array};
use wasm_bindgen::{JsCast, JsValue};
use wasm_bindgen_futures::JsFuture;
use web_sys::{AesCbcParams, AesGcmParams, AesKeyGenParams, CryptoKey, HmacImportParams};

/// `crypto` of the global scope: the page's `window.crypto`, or the worker's `self.crypto`
/// (the playground's worker reads pasted values, see `crate::worker`).
fn crypto() -> Result<web_sys::Crypto, String> {
    js_sys::Reflect::get(&js_sys::global(), &JsValue::from_str("crypto"))
        .ok()
        .and_then(|c| c.dyn_into::<web_sys::Crypto>().ok())
        .ok_or_else(|| "WebCrypto is not available in this browser".to_string())
}

fn subtle() -> Result<web_sys::SubtleCrypto, String> {
    Ok(crypto()?.subtle())
}

/// A JavaScript error as text (`OperationError: ...` for a failed decryption).
fn js_error(e: JsValue) -> String {
    if let Some(err) = e.dyn_ref::<js_sys::Error>() {
        let name = String::from(err.name());
        let message = String::from(err.message());
        if message.is_empty() {
            name
        } else {
            format!("{name}: {message}")
        }
    } else {
        e.as_string().unwrap_or_else(|| format!("{e:?}"))
    }
}

fn usages(list: &[&str]) -> Array {
    list.iter().map(|u| JsValue::from_str(u)).collect()
}

async fn promise_bytes(p: Result<js_sys::Promise, JsValue>) -> Result<Vec<u8>, String> {
    let v = JsFuture::from(p.map_err(js_error)?)
        .await
        .map_err(js_error)?;
    let buf: ArrayBuffer = v.dyn_into().map_err(|_| "not an ArrayBuffer".to_string())?;
    Ok(Uint8Array::new(&buf).to_vec())
}

async fn promise_key(p: Result<js_sys::Promise, JsValue>) -> Result<CryptoKey, String> {
    let v = JsFuture::from(p.map_err(js_error)?)
        .await
        .map_err(js_error)?;
    v.dyn_into().map_err(|_| "not a CryptoKey".to_string())
}

/// `n` random bytes from `crypto.getRandomValues`.
pub fn random(n: usize) -> Result<Vec<u8>, String> {
    let mut out = vec![0u8; n];
    crypto()?
        .get_random_values_with_u8_array(&mut out)
        .map_err(js_error)?;
    Ok(out)
}

/// The two AES modes the view uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum AesMode {
    Gcm,
    Cbc,
}

impl AesMode {
    fn name(self) -> &'static str {
        match self {
            AesMode::Gcm => "AES-GCM",
            AesMode::Cbc => "AES-CBC",
        }
    }
}

/// A fresh non-extractable AES-256 key.
pub async fn generate_aes(mode: AesMode) -> Result<CryptoKey, String> {
    let params = AesKeyGenParams::new(mode.name(), 256);
    promise_key(subtle()?.generate_key_with_object(
        &params,
        false,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await
}

/// Import raw AES key bytes as a non-extractable key.
pub async fn import_aes(mode: AesMode, raw: &[u8]) -> Result<CryptoKey, String> {
    let data: Object = Uint8Array::from(raw).into();
    let algorithm = Object::new();
    js_sys::Reflect::set(&algorithm, &"name".into(), &mode.name().into()).map_err(js_error)?;
    promise_key(subtle()?.import_key_with_object(
        "raw",
        &data,
        &algorithm,
        false,
        &usages(&["encrypt", "decrypt"]),
    ))
    .await
}

fn gcm_params(nonce: &[u8], aad: &[u8]) -> AesGcmParams {
    let params = AesGcmParams::new_with_u8_array("AES-GCM", &Uint8Array::from(nonce));
    params.set_additional_data_u8_array(&Uint8Array::from(aad));
    params.set_tag_length(128);
    params
}

/// AES-GCM: `ciphertext ‖ tag(16)` of `plaintext` under `nonce` and `aad`.
pub async fn gcm_seal(
    key: &CryptoKey,
    nonce: &[u8],
    aad: &[u8],
    plaintext: &[u8],
) -> Result<Vec<u8>, String> {
    let params = gcm_params(nonce, aad);
    promise_bytes(subtle()?.encrypt_with_object_and_u8_array(&params, key, plaintext)).await
}

/// Open an AES-GCM `ciphertext ‖ tag`; fails when the tag does not authenticate the bytes.
pub async fn gcm_open(
    key: &CryptoKey,
    nonce: &[u8],
    aad: &[u8],
    sealed: &[u8],
) -> Result<Vec<u8>, String> {
    let params = gcm_params(nonce, aad);
    promise_bytes(subtle()?.decrypt_with_object_and_u8_array(&params, key, sealed))
        .await
        .map_err(|e| format!("authentication failed: the AES-GCM tag does not match ({e})"))
}

/// AES-CBC with PKCS#7 padding (WebCrypto's only padding, and the apiserver's).
pub async fn cbc_encrypt(key: &CryptoKey, iv: &[u8], plaintext: &[u8]) -> Result<Vec<u8>, String> {
    let params = AesCbcParams::new_with_u8_array("AES-CBC", &Uint8Array::from(iv));
    promise_bytes(subtle()?.encrypt_with_object_and_u8_array(&params, key, plaintext)).await
}

/// Decrypt AES-CBC; fails only when the padding is wrong (CBC authenticates nothing).
pub async fn cbc_decrypt(key: &CryptoKey, iv: &[u8], ciphertext: &[u8]) -> Result<Vec<u8>, String> {
    let params = AesCbcParams::new_with_u8_array("AES-CBC", &Uint8Array::from(iv));
    promise_bytes(subtle()?.decrypt_with_object_and_u8_array(&params, key, ciphertext))
        .await
        .map_err(|e| format!("AES-CBC decryption failed: bad padding ({e})"))
}

/// HKDF-Expand-SHA256(PRK = `seed`, `info`, L = 32) without an extract step, as KMS v2 seed
/// mode derives its per-write key. With L = 32 (one SHA-256 block) HKDF-Expand is exactly
/// `HMAC-SHA256(seed, info ‖ 0x01)` (RFC 5869 §2.3); WebCrypto's HKDF always extracts first,
/// so the expand step is computed with its HMAC.
pub async fn hkdf_sha256_expand(seed: &[u8], info: &[u8]) -> Result<Vec<u8>, String> {
    let data: Object = Uint8Array::from(seed).into();
    let params = HmacImportParams::new_with_str("HMAC", "SHA-256");
    let key = promise_key(subtle()?.import_key_with_object(
        "raw",
        &data,
        &params,
        false,
        &usages(&["sign"]),
    ))
    .await?;
    let mut message = info.to_vec();
    message.push(1);
    promise_bytes(subtle()?.sign_with_str_and_u8_array("HMAC", &key, &message)).await
}
