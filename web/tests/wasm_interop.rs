//! Interop of the browser's WebCrypto path with the native implementation, on the fixed
//! known-answer vectors of `tests/fixtures/envelope/vectors.json` (generated natively by
//! `policy/core/tests/envelope_vectors.rs`), in headless Chromium:
//!
//! - native → browser: every vector the browser can read (identity, aescbc, aesgcm, KMS v2 seed
//!   and key mode, both upstream vectors) decrypts with `envelope_demo::open`, i.e. WebCrypto's
//!   AES-GCM, AES-CBC and HMAC (this test crate does not call the core's RustCrypto path), to
//!   the exact plaintext and Secret;
//! - browser → native, byte for byte: the browser's writer, given the vector's random bytes,
//!   produces exactly the stored value the native writer produced;
//! - failures: tampered, truncated, wrong-key, wrong-KEK and wrong-etcd-key values fail in the
//!   browser with the exact messages below.
#![cfg(target_arch = "wasm32")]

use base64::Engine;
use secrets_guard_core::envelope::storage::Secret;
use secrets_guard_web::envelope_demo::{self, Provider};
use serde::Deserialize;
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

const FILE: &str = include_str!("../../tests/fixtures/envelope/vectors.json");

#[derive(Deserialize)]
struct Vectors {
    secret: serde_json::Value,
    vectors: Vec<Vector>,
}

#[derive(Deserialize)]
struct Vector {
    id: String,
    key_b64: Option<String>,
    etcd_key: String,
    plaintext_is: String,
    plaintext_b64: String,
    random: Vec<Random>,
    segments: Vec<Segment>,
    value_b64: String,
}

#[derive(Deserialize)]
struct Random {
    hex: String,
}

#[derive(Deserialize)]
struct Segment {
    name: String,
    hex: String,
}

fn file() -> Vectors {
    serde_json::from_str(FILE).expect("vectors.json")
}

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// The browser provider that reads a vector; `None` for the native-only ones.
fn provider(id: &str) -> Option<Provider> {
    Some(match id {
        "identity-protobuf" | "identity-json" => Provider::Identity,
        "aescbc" => Provider::AesCbc,
        "aesgcm" | "upstream-a-aesgcm" => Provider::AesGcm,
        "kms-v2-seed" | "upstream-b-kms-v2-seed" => Provider::KmsV2Seed,
        "kms-v2-key" => Provider::KmsV2Key,
        _ => return None,
    })
}

async fn keys(p: Provider, v: &Vector) -> envelope_demo::Keys {
    let raw = v.key_b64.as_deref().map(unb64).unwrap_or_default();
    envelope_demo::import_keys(p, &raw).await.expect("import")
}

#[wasm_bindgen_test]
async fn native_vectors_decrypt_with_webcrypto() {
    let f = file();
    let secret = Secret::from_stored_json(&f.secret).unwrap();
    let mut read = vec![];
    for v in &f.vectors {
        let Some(p) = provider(&v.id) else {
            continue;
        };
        let keys = keys(p, v).await;
        let value = unb64(&v.value_b64);
        let plaintext = envelope_demo::open(&keys, &v.etcd_key, &value)
            .await
            .unwrap_or_else(|e| panic!("{}: {e}", v.id));
        assert_eq!(plaintext, unb64(&v.plaintext_b64), "{}", v.id);
        if v.plaintext_is == "text" {
            assert_eq!(plaintext, b"pandas are the best", "{}", v.id);
        } else {
            assert_eq!(
                envelope_demo::read(&keys, &v.etcd_key, &value).await,
                Ok(secret.clone()),
                "{}",
                v.id
            );
        }
        read.push(v.id.as_str());
    }
    assert_eq!(
        read,
        [
            "identity-protobuf",
            "identity-json",
            "aescbc",
            "aesgcm",
            "kms-v2-seed",
            "kms-v2-key",
            "upstream-a-aesgcm",
            "upstream-b-kms-v2-seed"
        ]
    );
    // The native-only ones are refused with a pointer to the CLI.
    for (id, scheme) in [("secretbox", "secretbox"), ("kms-v1", "kms v1")] {
        let v = f.vectors.iter().find(|v| v.id == id).unwrap();
        let keys = envelope_demo::import_keys(Provider::Secretbox, &[])
            .await
            .unwrap();
        assert_eq!(
            envelope_demo::open(&keys, &v.etcd_key, &unb64(&v.value_b64)).await,
            Err(format!(
                "{scheme} values are read natively only (secrets-guard envelope decrypt)"
            ))
        );
    }
}

#[wasm_bindgen_test]
async fn the_browser_writer_gives_the_native_bytes() {
    let f = file();
    let secret = Secret::from_stored_json(&f.secret).unwrap();
    for id in [
        "identity-protobuf",
        "aescbc",
        "aesgcm",
        "kms-v2-seed",
        "kms-v2-key",
    ] {
        let v = f.vectors.iter().find(|v| v.id == id).unwrap();
        let p = provider(id).unwrap();
        let mut inputs = v.random.iter().map(|r| unhex(&r.hex));
        let mut random = |n: usize| {
            let next = inputs.next().ok_or("no random input left")?;
            if next.len() == n {
                Ok(next)
            } else {
                Err(format!(
                    "asked for {n} bytes, the next input has {}",
                    next.len()
                ))
            }
        };
        let raw = v.key_b64.as_deref().map(unb64);
        let w = envelope_demo::write_with_random(p, &secret, raw.as_deref(), &mut random)
            .await
            .unwrap_or_else(|e| panic!("{id}: {e}"));
        assert_eq!(w.etcd_key, v.etcd_key, "{id}");
        assert!(
            w.value == unb64(&v.value_b64),
            "{id}: the browser wrote another value"
        );
        assert!(inputs.next().is_none(), "{id}: every random input is used");
    }
}

/// Offset of the segment `name` in the value.
fn at(v: &Vector, name: &str) -> usize {
    let mut off = 0;
    for s in &v.segments {
        if s.name == name {
            return off;
        }
        off += s.hex.len() / 2;
    }
    panic!("{}: no segment {name}", v.id)
}

/// `value` with the first `from` replaced by `to` (same length).
fn replace_once(value: &[u8], from: &[u8], to: &[u8]) -> Vec<u8> {
    let at = value
        .windows(from.len())
        .position(|w| w == from)
        .expect("found");
    let mut v = value.to_vec();
    v[at..at + to.len()].copy_from_slice(to);
    v
}

fn flipped(value: &[u8], at: usize) -> Vec<u8> {
    envelope_demo::flip(value, at)
}

/// What the browser says about `value`: the error, or how the plaintext compares.
async fn outcome(keys: &envelope_demo::Keys, v: &Vector, etcd_key: &str, value: &[u8]) -> String {
    match envelope_demo::open(keys, etcd_key, value).await {
        Err(e) => e,
        Ok(p) if p == unb64(&v.plaintext_b64) => "read: the plaintext".into(),
        Ok(p) => {
            let pt = unb64(&v.plaintext_b64);
            let diff: Vec<usize> = (0..p.len().max(pt.len()))
                .filter(|i| p.get(*i) != pt.get(*i))
                .collect();
            let decoded = match envelope_demo::secret_of(&p) {
                Ok(_) => "decodes as a Secret".to_string(),
                Err(e) => format!("does not decode: {e}"),
            };
            format!(
                "read: altered plaintext ({} of {} bytes differ, first at {}); {decoded}",
                diff.len(),
                pt.len(),
                diff.first().copied().unwrap_or_default()
            )
        }
    }
}

#[wasm_bindgen_test]
async fn failures_are_clear_errors_in_the_browser() {
    let f = file();
    let other = vec![0xeeu8; 32];
    let mut got: Vec<(String, String)> = vec![];
    for id in ["aesgcm", "aescbc", "kms-v2-seed", "kms-v2-key"] {
        let v = f.vectors.iter().find(|v| v.id == id).unwrap();
        let p = provider(id).unwrap();
        let keys = keys(p, v).await;
        let value = unb64(&v.value_b64);
        let k = v.etcd_key.as_str();
        let n = value.len();
        let prefix = v.segments[0].hex.len() / 2;
        let mut cases: Vec<(String, Vec<u8>)> = vec![];
        for s in [
            "nonce",
            "nonce[0..4]",
            "iv",
            "ciphertext",
            "tag",
            "info",
            "kek nonce",
            "wrapped dek",
            "wrapped seed",
            "kek tag",
        ] {
            if v.segments.iter().any(|x| x.name == s) {
                cases.push((format!("flipped {s}[0]"), flipped(&value, at(v, s))));
            }
        }
        cases.push(("flipped last byte".into(), flipped(&value, n - 1)));
        for (what, cut) in [
            ("inside the prefix", 12),
            ("after the prefix", prefix),
            ("5 bytes after the prefix", prefix + 5),
            ("30 bytes after the prefix", prefix + 30),
            ("by 1 byte", n - 1),
            ("by 16 bytes", n - 16),
        ] {
            cases.push((format!("truncated {what}"), value[..cut].to_vec()));
        }
        if id.starts_with("kms-v2") {
            cases.push((
                "keyID kek-2".into(),
                replace_once(&value, b"kek-1", b"kek-2"),
            ));
        }
        if id == "kms-v2-seed" {
            let mut t = value.clone();
            t[n - 1] = 2;
            cases.push(("encryptedDEKSourceType 2".into(), t));
        }
        for (what, bytes) in cases {
            got.push((format!("{id}: {what}"), outcome(&keys, v, k, &bytes).await));
        }
        let wrong = envelope_demo::import_keys(p, &other).await.unwrap();
        let label = if id.starts_with("kms") {
            "wrong KEK"
        } else {
            "wrong key"
        };
        got.push((
            format!("{id}: {label}"),
            outcome(&wrong, v, k, &value).await,
        ));
        got.push((
            format!("{id}: wrong etcd key"),
            outcome(&keys, v, "/registry/secrets/prod/other", &value).await,
        ));
        // The keys of another provider.
        let mismatched = if id.starts_with("kms") {
            Provider::AesGcm
        } else {
            Provider::KmsV2Seed
        };
        let mismatched = envelope_demo::import_keys(mismatched, &other)
            .await
            .unwrap();
        got.push((
            format!("{id}: keys of another provider"),
            outcome(&mismatched, v, k, &value).await,
        ));
    }
    let got: Vec<(&str, &str)> = got.iter().map(|(a, b)| (a.as_str(), b.as_str())).collect();
    if got != EXPECTED {
        let table: String = got
            .iter()
            .map(|(a, b)| format!("    ({a:?}, {b:?}),\n"))
            .collect();
        panic!("the browser's failure messages differ; actual:\n{table}");
    }
}

/// Every failure case and what the browser says (reviewed by hand). The layout errors are the
/// core's, as natively; WebCrypto's own errors carry no detail (`OperationError`), so the view
/// says which step failed. AES-CBC does not bind the etcd key and does not notice a flipped IV
/// or first block; the altered plaintext then fails to decode as a stored object.
#[rustfmt::skip]
const EXPECTED: &[(&str, &str)] = &[
    ("aesgcm: flipped nonce[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: flipped ciphertext[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: flipped tag[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: flipped last byte", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: truncated inside the prefix", "unknown encryption prefix `k8s:enc:aesg` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("aesgcm: truncated after the prefix", "aesgcm payload is truncated: the AES-GCM nonce needs 12 bytes, only 0 left"),
    ("aesgcm: truncated 5 bytes after the prefix", "aesgcm payload is truncated: the AES-GCM nonce needs 12 bytes, only 5 left"),
    ("aesgcm: truncated 30 bytes after the prefix", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: truncated by 1 byte", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: truncated by 16 bytes", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: wrong key", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: wrong etcd key", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("aesgcm: keys of another provider", "these keys are for KMS v2 (seed mode); the value is aesgcm data"),
    ("aescbc: flipped iv[0]", "read: altered plaintext (1 of 168 bytes differ, first at 0); does not decode: not a stored Kubernetes object: expected the protobuf magic `k8s\\x00` or JSON, found bytes 6a 38 73 00 0a 0c 0a 02 …"),
    ("aescbc: flipped ciphertext[0]", "read: altered plaintext (17 of 168 bytes differ, first at 0); does not decode: not a stored Kubernetes object: expected the protobuf magic `k8s\\x00` or JSON, found bytes e1 75 6e e3 8d cc 58 e9 …"),
    ("aescbc: flipped last byte", "AES-CBC decryption failed: bad padding (OperationError)"),
    ("aescbc: truncated inside the prefix", "unknown encryption prefix `k8s:enc:aesc` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("aescbc: truncated after the prefix", "aescbc payload is truncated: the AES-CBC IV needs 16 bytes, only 0 left"),
    ("aescbc: truncated 5 bytes after the prefix", "aescbc payload is truncated: the AES-CBC IV needs 16 bytes, only 5 left"),
    ("aescbc: truncated 30 bytes after the prefix", "aescbc ciphertext is 14 bytes, not a non-zero multiple of the 16-byte block size"),
    ("aescbc: truncated by 1 byte", "aescbc ciphertext is 175 bytes, not a non-zero multiple of the 16-byte block size"),
    ("aescbc: truncated by 16 bytes", "AES-CBC decryption failed: bad padding (OperationError)"),
    ("aescbc: wrong key", "AES-CBC decryption failed: bad padding (OperationError)"),
    ("aescbc: wrong etcd key", "read: the plaintext"),
    ("aescbc: keys of another provider", "these keys are for KMS v2 (seed mode); the value is aescbc data"),
    ("kms-v2-seed: flipped nonce[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped ciphertext[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped tag[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped info[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped kek nonce[0]", "the KMS cannot unwrap the seed: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped wrapped seed[0]", "the KMS cannot unwrap the seed: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped kek tag[0]", "the KMS cannot unwrap the seed: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: flipped last byte", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: truncated inside the prefix", "unknown encryption prefix `k8s:enc:kms:` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("kms-v2-seed: truncated after the prefix", "kms v2 invalid EncryptedObject: encrypted data is empty"),
    ("kms-v2-seed: truncated 5 bytes after the prefix", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-seed: truncated 30 bytes after the prefix", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-seed: truncated by 1 byte", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 301"),
    ("kms-v2-seed: truncated by 16 bytes", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 238"),
    ("kms-v2-seed: keyID kek-2", "the KMS has no key \"kek-2\" (its KEK is \"kek-1\")"),
    ("kms-v2-seed: encryptedDEKSourceType 2", "kms v2 invalid EncryptedObject: failed to validate encrypted DEK source type: unknown encryptedDEKSourceType: 2"),
    ("kms-v2-seed: wrong KEK", "the KMS cannot unwrap the seed: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: wrong etcd key", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-seed: keys of another provider", "these keys are for aesgcm; the value is kms v2 data"),
    ("kms-v2-key: flipped nonce[0..4][0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: flipped ciphertext[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: flipped tag[0]", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: flipped kek nonce[0]", "the KMS cannot unwrap the DEK: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: flipped wrapped dek[0]", "the KMS cannot unwrap the DEK: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: flipped kek tag[0]", "the KMS cannot unwrap the DEK: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: flipped last byte", "the KMS cannot unwrap the DEK: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: truncated inside the prefix", "unknown encryption prefix `k8s:enc:kms:` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("kms-v2-key: truncated after the prefix", "kms v2 invalid EncryptedObject: encrypted data is empty"),
    ("kms-v2-key: truncated 5 bytes after the prefix", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-key: truncated 30 bytes after the prefix", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-key: truncated by 1 byte", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 206"),
    ("kms-v2-key: truncated by 16 bytes", "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 206"),
    ("kms-v2-key: keyID kek-2", "the KMS has no key \"kek-2\" (its KEK is \"kek-1\")"),
    ("kms-v2-key: wrong KEK", "the KMS cannot unwrap the DEK: authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: wrong etcd key", "authentication failed: the AES-GCM tag does not match (OperationError)"),
    ("kms-v2-key: keys of another provider", "these keys are for aesgcm; the value is kms v2 data"),
];
