//! The "Encryption at rest" flows with WebCrypto in headless Chromium: every provider's value
//! takes apart with the core's layout decoder, reads back to the same Secret in the browser, and
//! reads back natively too (the core's RustCrypto read path, as the apiserver reads, given the
//! same key); tampering is caught by AES-GCM and KMS v2 and not by AES-CBC. The same through
//! the worker's answers (`EncWrite`, `EncOpen`), which keep each write's keys.
#![cfg(target_arch = "wasm32")]

use secrets_guard_core::envelope::config::providers_for;
use secrets_guard_core::envelope::kek::KekFile;
use secrets_guard_core::envelope::kmsv2::DekSourceType;
use secrets_guard_core::envelope::layout::{self, Body, EtcdValue, Scheme};
use secrets_guard_core::envelope::rw;
use secrets_guard_web::envelope_demo::{self, Provider, Secret};
use secrets_guard_web::envelope_msg::{
    ReadOutcome, SecretForm, SecretInput, WriteOutcome, WriteRequest,
};
use secrets_guard_web::worker::{answer, Request, Response};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

/// Bytes 0..32, and their base64 for the native configuration.
const KEY: [u8; 32] = {
    let mut k = [0u8; 32];
    let mut i = 0;
    while i < 32 {
        k[i] = i as u8;
        i += 1;
    }
    k
};
const KEY_B64: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";

fn secret() -> Secret {
    envelope_demo::secret_from_form("db-credentials", "prod", "username=admin\npassword=s3cr3t")
        .unwrap()
}

/// The native read of `value` with an EncryptionConfiguration holding `providers` and the same
/// key (as a local KEK file for KMS v2): the Secret and how it was read.
fn native_read(providers: &str, etcd_key: &str, value: &[u8]) -> (Secret, String) {
    let config = format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n{providers}"
    );
    let rp = providers_for(&config, "", "secrets").unwrap();
    let kek = KekFile::parse(&format!(
        "providers:\n- name: demo-kms\n  keys:\n  - {{id: kek-1, secret: {KEY_B64}}}\n"
    ))
    .unwrap();
    let d = rw::read(
        &rp,
        Some(&kek),
        etcd_key.as_bytes(),
        value,
        &rw::Options::default(),
    )
    .unwrap_or_else(|e| panic!("native read: {e}"));
    (envelope_demo::secret_of(&d.plaintext).unwrap(), d.via)
}

async fn round_trip(provider: Provider, native: &str, via: &str) -> envelope_demo::Written {
    let s = secret();
    let w = envelope_demo::write_with_key(provider, &s, Some(&KEY))
        .await
        .unwrap();
    assert_eq!(w.etcd_key, "/registry/secrets/prod/db-credentials");
    assert_eq!(
        envelope_demo::read(&w.keys, &w.etcd_key, &w.value)
            .await
            .unwrap(),
        s
    );
    let (back, how) = native_read(native, &w.etcd_key, &w.value);
    assert_eq!(back, s);
    assert_eq!(how, via);
    w
}

#[wasm_bindgen_test]
async fn identity_stores_the_protobuf_encoding() {
    let w = round_trip(
        Provider::Identity,
        "  - identity: {}\n",
        "identity (plaintext)",
    )
    .await;
    assert_eq!(w.value, secret().to_storage_protobuf());
    assert!(w.value.starts_with(b"k8s\x00"));
    assert_eq!(
        layout::split(&w.value).unwrap(),
        EtcdValue::Plaintext(&w.value)
    );
}

#[wasm_bindgen_test]
async fn aesgcm_layout_and_reads() {
    let w = round_trip(
        Provider::AesGcm,
        &format!("  - aesgcm: {{keys: [{{name: key1, secret: {KEY_B64}}}]}}\n"),
        "aesgcm key `key1`",
    )
    .await;
    let EtcdValue::Encrypted(e) = layout::split(&w.value).unwrap() else {
        panic!("not encrypted")
    };
    assert_eq!((e.scheme, e.name), (Scheme::AesGcm, "key1"));
    let Body::AesGcm(p) = e.body().unwrap() else {
        panic!("not aesgcm")
    };
    assert_eq!(p.nonce.len(), 12);
    let plaintext = secret().to_storage_protobuf();
    assert_eq!(p.sealed.len(), plaintext.len() + 16);

    // A flipped ciphertext byte, nonce byte or tag byte: authentication fails.
    for at in [e.payload_offset, e.payload_offset + 12, w.value.len() - 1] {
        let tampered = envelope_demo::flip(&w.value, at);
        let err = envelope_demo::open(&w.keys, &w.etcd_key, &tampered)
            .await
            .unwrap_err();
        assert!(
            err.starts_with("authentication failed: the AES-GCM tag does not match"),
            "{err}"
        );
    }
    // The same value under another etcd key (the AAD): refused too.
    let err = envelope_demo::open(&w.keys, "/registry/secrets/prod/other", &w.value)
        .await
        .unwrap_err();
    assert!(err.starts_with("authentication failed"), "{err}");
}

#[wasm_bindgen_test]
async fn aescbc_layout_reads_and_does_not_notice_a_flipped_iv() {
    let w = round_trip(
        Provider::AesCbc,
        &format!("  - aescbc: {{keys: [{{name: key1, secret: {KEY_B64}}}]}}\n"),
        "aescbc key `key1`",
    )
    .await;
    let EtcdValue::Encrypted(e) = layout::split(&w.value).unwrap() else {
        panic!("not encrypted")
    };
    assert_eq!((e.scheme, e.name), (Scheme::AesCbc, "key1"));
    let Body::AesCbc(p) = e.body().unwrap() else {
        panic!("not aescbc")
    };
    assert_eq!(p.iv.len(), 16);
    let plaintext = secret().to_storage_protobuf();
    assert_eq!(p.ciphertext.len(), (plaintext.len() / 16 + 1) * 16);

    // Flip a bit of the IV's byte 15: decryption succeeds and the plaintext's byte 15 flips.
    let tampered = envelope_demo::flip(&w.value, e.payload_offset + 15);
    let back = envelope_demo::open(&w.keys, &w.etcd_key, &tampered)
        .await
        .unwrap();
    assert_eq!(back.len(), plaintext.len());
    let diffs: Vec<usize> = (0..back.len())
        .filter(|i| back[*i] != plaintext[*i])
        .collect();
    assert_eq!(diffs, vec![15]);
    assert_eq!(back[15], plaintext[15] ^ 1);
}

#[wasm_bindgen_test]
async fn kms_v2_seed_mode_layout_and_reads() {
    let w = round_trip(
        Provider::KmsV2Seed,
        "  - kms: {apiVersion: v2, name: demo-kms, endpoint: unix:///k}\n",
        "kms v2 `demo-kms` (seed mode, keyID `kek-1`)",
    )
    .await;
    let EtcdValue::Encrypted(e) = layout::split(&w.value).unwrap() else {
        panic!("not encrypted")
    };
    assert_eq!((e.scheme, e.name), (Scheme::KmsV2, "demo-kms"));
    let Body::KmsV2(o) = e.body().unwrap() else {
        panic!("not kms v2")
    };
    assert_eq!(o.key_id, "kek-1");
    assert_eq!(
        o.source_type(),
        Some(DekSourceType::HkdfSha256XNonceAesGcmSeed)
    );
    let plaintext = secret().to_storage_protobuf();
    assert_eq!(o.encrypted_data.len(), 32 + 12 + plaintext.len() + 16);
    // The seed, wrapped: nonce(12) ‖ 32 bytes ‖ tag(16).
    assert_eq!(o.encrypted_dek_source.len(), 12 + 32 + 16);

    // A flipped byte of the encrypted data: authentication fails.
    let at = w.value.len() / 2;
    let err = envelope_demo::open(&w.keys, &w.etcd_key, &envelope_demo::flip(&w.value, at))
        .await
        .unwrap_err();
    assert!(err.contains("authentication failed"), "{err}");
}

#[wasm_bindgen_test]
async fn kms_v2_key_mode_layout_and_reads() {
    let w = round_trip(
        Provider::KmsV2Key,
        "  - kms: {apiVersion: v2, name: demo-kms, endpoint: unix:///k}\n",
        "kms v2 `demo-kms` (key mode, keyID `kek-1`)",
    )
    .await;
    let EtcdValue::Encrypted(e) = layout::split(&w.value).unwrap() else {
        panic!("not encrypted")
    };
    assert_eq!((e.scheme, e.name), (Scheme::KmsV2, "demo-kms"));
    let Body::KmsV2(o) = e.body().unwrap() else {
        panic!("not kms v2")
    };
    assert_eq!(o.key_id, "kek-1");
    assert_eq!(o.source_type(), Some(DekSourceType::AesGcmKey));
    // proto3 default: AES_GCM_KEY = 0 is not on the wire (no field 5).
    assert!(o.spans.iter().all(|s| s.number != 5));
    let plaintext = secret().to_storage_protobuf();
    // nonce(12) ‖ ciphertext ‖ tag(16); the nonce ends with the first write counter.
    assert_eq!(o.encrypted_data.len(), 12 + plaintext.len() + 16);
    assert_eq!(&o.encrypted_data[4..12], &1_000_000_001u64.to_le_bytes());
    // The DEK, wrapped: nonce(12) ‖ 32 bytes ‖ tag(16).
    assert_eq!(o.encrypted_dek_source.len(), 12 + 32 + 16);

    // A flipped byte of the encrypted data, or of the wrapped DEK.
    let data_at = e.payload_offset + o.spans[0].value_start + 20;
    let err = envelope_demo::open(
        &w.keys,
        &w.etcd_key,
        &envelope_demo::flip(&w.value, data_at),
    )
    .await
    .unwrap_err();
    assert!(
        err.starts_with("authentication failed: the AES-GCM tag does not match"),
        "{err}"
    );
    let dek_at = e.payload_offset + o.spans[2].value_start + 20;
    let err = envelope_demo::open(&w.keys, &w.etcd_key, &envelope_demo::flip(&w.value, dek_at))
        .await
        .unwrap_err();
    assert!(
        err.starts_with("the KMS cannot unwrap the DEK: authentication failed"),
        "{err}"
    );
    // Read with keys imported from the same KEK bytes.
    let keys = envelope_demo::import_keys(Provider::KmsV2Key, &KEY)
        .await
        .unwrap();
    assert_eq!(
        envelope_demo::read(&keys, &w.etcd_key, &w.value)
            .await
            .unwrap(),
        secret()
    );
}

#[wasm_bindgen_test]
async fn generated_keys_read_back_and_secretbox_is_native_only() {
    for p in [
        Provider::AesGcm,
        Provider::AesCbc,
        Provider::KmsV2Seed,
        Provider::KmsV2Key,
    ] {
        let s = secret();
        let w = envelope_demo::write(p, &s).await.unwrap();
        assert_eq!(
            envelope_demo::read(&w.keys, &w.etcd_key, &w.value)
                .await
                .unwrap(),
            s
        );
    }
    let err = envelope_demo::write(Provider::Secretbox, &secret())
        .await
        .unwrap_err();
    assert!(err.starts_with("secretbox runs natively only"), "{err}");
}

#[wasm_bindgen_test]
fn the_editors_first_secret() {
    let text = "apiVersion: v1\nkind: ConfigMap\nmetadata: {name: c}\n---\napiVersion: v1\nkind: Secret\nmetadata: {name: api}\nstringData: {token: abc}\n";
    let s = envelope_demo::first_secret(text).unwrap();
    assert_eq!(
        (s.metadata.name.as_str(), s.metadata.namespace.as_str()),
        ("api", "default")
    );
    assert_eq!(s.data.get("token").map(Vec::as_slice), Some(&b"abc"[..]));
    assert_eq!(envelope_demo::etcd_key(&s), "/registry/secrets/default/api");
    assert_eq!(
        envelope_demo::first_secret("kind: ConfigMap\napiVersion: v1\n").unwrap_err(),
        "the editor holds no v1 Secret"
    );
}

/// What the tab asks the worker (answered in place here, as the worker answers): a write's
/// keys stay on the worker's side, named by the write's id.
async fn ask(request: Request) -> Response {
    answer(request).await
}

#[wasm_bindgen_test]
async fn the_worker_writes_and_reads_back_with_the_keys_it_keeps() {
    let form = SecretForm {
        name: "db-credentials".into(),
        namespace: "prod".into(),
        data: "username=admin\npassword=s3cr3t".into(),
    };
    let mut ids = vec![];
    for p in [
        Provider::Identity,
        Provider::AesGcm,
        Provider::AesCbc,
        Provider::KmsV2Seed,
        Provider::KmsV2Key,
    ] {
        let Response::EncWritten(reply) = ask(Request::EncWrite(WriteRequest {
            provider: p,
            secret: SecretInput::Form(form.clone()),
            write: true,
        }))
        .await
        else {
            panic!("not a write")
        };
        assert_eq!(reply.form, None);
        let WriteOutcome::Written(w) = reply.outcome else {
            panic!("{p:?}: {:?}", reply.outcome)
        };
        assert_eq!(w.provider, p);
        assert_eq!(w.steps.first().unwrap().title, "Secret encoded for storage");
        assert_eq!(
            w.steps.last().unwrap().detail,
            format!(
                "{} bytes under /registry/secrets/prod/db-credentials",
                w.value.len()
            )
        );
        let Response::EncOpened(ReadOutcome::Secret(yaml)) = ask(Request::EncOpen {
            id: w.id,
            value: w.value.clone(),
        })
        .await
        else {
            panic!("{p:?}: not read back")
        };
        assert!(yaml.contains("  password: czNjcjN0\n"), "{yaml}");
        // A flipped byte of the AES-GCM tag is refused; AES-CBC's flipped IV reads altered bytes.
        let last = w.value.len() - 1;
        let tampered = match p {
            Provider::AesGcm => Some((last, "authentication failed")),
            Provider::AesCbc => Some(("k8s:enc:aescbc:v1:key1:".len() + 2, "")),
            _ => None,
        };
        if let Some((at, refused)) = tampered {
            let read = ask(Request::EncOpen {
                id: w.id,
                value: envelope_demo::flip(&w.value, at),
            })
            .await;
            match read {
                Response::EncOpened(ReadOutcome::Refused(e)) if !refused.is_empty() => {
                    assert!(e.starts_with(refused), "{e}")
                }
                Response::EncOpened(ReadOutcome::Altered(e)) if refused.is_empty() => {
                    assert!(!e.is_empty())
                }
                other => panic!("{p:?}: {other:?}"),
            }
        }
        ids.push(w.id);
    }
    // Each write has its own keys: the AES-GCM value does not read with the aescbc write's.
    let Response::EncWritten(reply) = ask(Request::EncWrite(WriteRequest {
        provider: Provider::AesGcm,
        secret: SecretInput::Form(form),
        write: true,
    }))
    .await
    else {
        panic!("not a write")
    };
    let WriteOutcome::Written(gcm) = reply.outcome else {
        panic!("not written")
    };
    assert_eq!(
        ask(Request::EncOpen {
            id: ids[2],
            value: gcm.value,
        })
        .await,
        Response::EncOpened(ReadOutcome::Refused(
            "these keys are for aescbc; the value is aesgcm data".into()
        ))
    );
    // secretbox: the worker says why it does not write.
    let Response::EncWritten(reply) = ask(Request::EncWrite(WriteRequest {
        provider: Provider::Secretbox,
        secret: SecretInput::Editor {
            text: "apiVersion: v1\nkind: Secret\nmetadata: {name: api}\nstringData: {t: a}\n"
                .into(),
        },
        write: true,
    }))
    .await
    else {
        panic!("not a write")
    };
    assert!(
        matches!(&reply.outcome, WriteOutcome::Failed(e) if e.starts_with("secretbox runs natively only")),
        "{:?}",
        reply.outcome
    );
}
