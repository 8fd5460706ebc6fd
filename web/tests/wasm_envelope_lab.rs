//! The "Encryption at rest" experiments in headless Chromium: the simulated KMS's rotation and
//! exact call counts, the cost measurement's call counts, and pasted values written natively
//! (the core's RustCrypto writer, as `secrets-guard envelope encrypt`) read by the browser in
//! the apiserver's read order with the same provider, key and staleness as the native reader.
#![cfg(target_arch = "wasm32")]

use secrets_guard_core::envelope::config::providers_for;
use secrets_guard_core::envelope::encoding::InputEncoding;
use secrets_guard_core::envelope::kek::KekFile;
use secrets_guard_core::envelope::kmsv2::DekSourceType;
use secrets_guard_core::envelope::rw;
use secrets_guard_core::envelope::{inspect, yaml_out};
use secrets_guard_web::envelope_demo::{self, Secret};
use secrets_guard_web::envelope_lab::{
    self, input_encoding, PasteReply, PasteRequest, SeedCache, SimKms,
};
use secrets_guard_web::envelope_msg::{RotationOp, RotationView};
use secrets_guard_web::worker::{answer, Request, Response};
use wasm_bindgen_test::{wasm_bindgen_test, wasm_bindgen_test_configure};

wasm_bindgen_test_configure!(run_in_browser);

fn secret(name: &str) -> Secret {
    envelope_demo::secret_from_form(name, "prod", "username=admin\npassword=s3cr3t").unwrap()
}

#[wasm_bindgen_test]
async fn kek_rotation_stale_values_and_exact_kms_calls() {
    let kms = SimKms::new().await.unwrap();
    let mut cache = SeedCache::default();
    let names = ["a", "b", "c"];
    let mut stored = vec![];
    for n in names {
        let (value, key_id) = envelope_lab::write_kms_v2(&kms, &mut cache, &secret(n))
            .await
            .unwrap();
        assert_eq!(key_id, "kek-1");
        assert!(value.starts_with(b"k8s:enc:kms:v2:demo-kms:"));
        stored.push(value);
    }
    // One seed for the three writes: one Encrypt call.
    assert_eq!((kms.encrypt_calls(), kms.decrypt_calls()), (1, 0));

    let kms = kms.rotated().await.unwrap();
    assert_eq!(kms.key_ids(), ["kek-1", "kek-2"]);
    assert_eq!(kms.current_id(), "kek-2");
    // The counters are the same KMS's.
    assert_eq!(kms.encrypt_calls(), 1);

    // Read with the apiserver's cache: the seed is known, no Decrypt call.
    for (n, v) in names.iter().zip(&stored) {
        let key = format!("/registry/secrets/prod/{n}");
        let (plaintext, key_id) = envelope_lab::read_kms_v2(&kms, &mut cache, &key, v)
            .await
            .unwrap();
        assert_eq!(plaintext, secret(n).to_storage_protobuf());
        assert_eq!(key_id, "kek-1");
    }
    assert_eq!(kms.decrypt_calls(), 0);

    // After a restart: one Decrypt call for the shared seed, then a new seed under kek-2.
    let mut cache = SeedCache::default();
    for (n, v) in names.iter().zip(&stored) {
        let key = format!("/registry/secrets/prod/{n}");
        let (plaintext, _) = envelope_lab::read_kms_v2(&kms, &mut cache, &key, v)
            .await
            .unwrap();
        let s = envelope_demo::secret_of(&plaintext).unwrap();
        let (_, key_id) = envelope_lab::write_kms_v2(&kms, &mut cache, &s)
            .await
            .unwrap();
        assert_eq!(key_id, "kek-2");
    }
    assert_eq!((kms.encrypt_calls(), kms.decrypt_calls()), (2, 1));

    // A KMS without the old key cannot read: the old key is what keeps stale values readable.
    let other = SimKms::new().await.unwrap().rotated().await.unwrap();
    let err = envelope_lab::read_kms_v2(
        &other,
        &mut SeedCache::default(),
        "/registry/secrets/prod/a",
        &stored[0],
    )
    .await
    .unwrap_err();
    assert!(err.starts_with("authentication failed"), "{err}");
}

#[wasm_bindgen_test]
async fn the_cost_measurement_counts_kms_calls_exactly() {
    let c = envelope_lab::measure_cost(&secret("db"), 25).await.unwrap();
    assert_eq!((c.dek_per_write.writes, c.cached_seed.writes), (25, 25));
    assert_eq!(c.dek_per_write.kms_calls, 25);
    assert_eq!(c.cached_seed.kms_calls, 1);
    assert!(c.dek_per_write.millis > 0.0 && c.cached_seed.millis > 0.0);
    let plaintext = secret("db").to_storage_protobuf().len();
    // KMS v1: prefix, uint16 length, wrapped DEK (12 + 32 + 16), nonce, ciphertext, tag.
    assert_eq!(
        c.dek_per_write.value_len,
        "k8s:enc:kms:v1:demo-kms:".len() + 2 + 60 + 12 + plaintext + 16
    );
    assert!(c.cached_seed.value_len > plaintext + 32 + 12 + 16);
}

const KEY_A: &str = "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=";
const KEY_B: &str = "ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=";

fn config() -> String {
    format!(
        "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm: {{keys: [{{name: new, secret: {KEY_A}}}, {{name: old, secret: {KEY_B}}}]}}\n  - aescbc: {{keys: [{{name: cbc, secret: {KEY_B}}}]}}\n  - kms: {{apiVersion: v2, name: vault, endpoint: unix:///k}}\n  - kms: {{name: legacy, endpoint: unix:///l}}\n  - secretbox: {{keys: [{{name: sb, secret: {KEY_A}}}]}}\n  - identity: {{}}\n"
    )
}

fn kek_text() -> String {
    format!(
        "providers:\n- name: vault\n  keys:\n  - {{id: kek-2, secret: {KEY_A}}}\n  - {{id: kek-1, secret: {KEY_B}}}\n- name: legacy\n  keys:\n  - {{id: v1, secret: {KEY_B}}}\n"
    )
}

/// A native write by provider `index` of [`config`] (its first key), as the CLI writes.
fn native_write(index: usize, mode: DekSourceType, swap_keys: bool) -> Vec<u8> {
    let rp = providers_for(&config(), "", "secrets").unwrap();
    let mut entry = rp.providers[index].clone();
    if swap_keys {
        if let secrets_guard_core::envelope::config::ProviderSpec::Local { keys, .. } =
            &mut entry.spec
        {
            keys.reverse();
        }
    }
    let kek = KekFile::parse(&kek_text()).unwrap();
    let mut n = 0u8;
    let mut rng = |b: &mut [u8]| {
        for x in b {
            n = n.wrapping_add(7);
            *x = n;
        }
        Ok(())
    };
    rw::write(
        &entry,
        Some(&kek),
        KEY.as_bytes(),
        &secret("db").to_storage_protobuf(),
        &rw::Options { kms_v2_mode: mode },
        &mut rng,
    )
    .unwrap()
}

const KEY: &str = "/registry/secrets/prod/db";

#[wasm_bindgen_test]
async fn natively_written_values_read_in_the_same_order_as_natively() {
    use base64::Engine as _;
    let rp = providers_for(&config(), "", "secrets").unwrap();
    let kek = KekFile::parse(&kek_text()).unwrap();
    let seed = DekSourceType::HkdfSha256XNonceAesGcmSeed;
    let cases = [
        ("aesgcm first key", native_write(0, seed, false)),
        ("aesgcm second key", native_write(0, seed, true)),
        ("aescbc", native_write(1, seed, false)),
        ("kms v2 seed", native_write(2, seed, false)),
        (
            "kms v2 key",
            native_write(2, DekSourceType::AesGcmKey, false),
        ),
        ("kms v1", native_write(3, seed, false)),
        ("identity", native_write(5, seed, false)),
    ];
    for (what, value) in cases {
        let native = rw::read(&rp, Some(&kek), KEY.as_bytes(), &value, &Default::default())
            .unwrap_or_else(|e| panic!("{what}: native read: {e}"));
        let text = base64::engine::general_purpose::STANDARD.encode(&value);
        let read =
            envelope_lab::read_pasted(&text, InputEncoding::Auto, KEY, &config(), Some(&kek))
                .await
                .unwrap_or_else(|e| panic!("{what}: {}", e.message));
        assert_eq!(read.plaintext, native.plaintext, "{what}");
        assert_eq!(
            (read.location.as_str(), read.via.as_str()),
            (native.location.as_str(), native.via.as_str()),
            "{what}"
        );
        assert_eq!(read.stale, native.stale, "{what}");
        assert_eq!(read.input.encoding, "base64");
    }
}

#[wasm_bindgen_test]
async fn paste_replies_and_errors() {
    use base64::Engine as _;
    let value = native_write(1, DekSourceType::HkdfSha256XNonceAesGcmSeed, false);
    let hex: String = value.iter().map(|b| format!("{b:02x}")).collect();
    let request = |value: &str, encoding: &str, kek: &str| PasteRequest {
        value: value.into(),
        encoding: encoding.into(),
        etcd_key: KEY.into(),
        config: config(),
        kek: kek.into(),
    };
    let r = envelope_lab::paste_reply(&request(&hex, "hex", "")).await;
    assert_eq!(
        r,
        PasteReply {
            status: Some(format!(
                "Read by resources[0].providers[1]: aescbc key `cbc` (hex input, etcd key {KEY})"
            )),
            stale: vec!["read by resources[0].providers[1] (aescbc), not by the provider that writes (resources[0].providers[0])".into()],
            yaml: Some(yaml_out::to_yaml(&secret("db").to_json(false))),
            error: None,
            value: Some(value.clone()),
            inspection: Some(inspect::inspect(&value)),
        }
    );

    // KMS without its KEK; secretbox; a broken KEK file; bad hex.
    let kms = native_write(2, DekSourceType::HkdfSha256XNonceAesGcmSeed, false);
    let kms_b64 = base64::engine::general_purpose::STANDARD.encode(&kms);
    let r = envelope_lab::paste_reply(&request(&kms_b64, "base64", "")).await;
    assert_eq!(
        r.error.as_deref(),
        Some("no provider could read the value:\n  resources[0].providers[2] kms v2 `vault`: the KEK \"kek-2\" of KMS provider `vault` is not known here: the KMS keeps its keys. Paste the KEK file that stands in for it (the `--kek` file of `secrets-guard envelope`)")
    );
    assert_eq!(r.value.as_deref(), Some(kms.as_slice()));
    let sb = native_write(4, DekSourceType::HkdfSha256XNonceAesGcmSeed, false);
    let sb_hex: String = sb.iter().map(|b| format!("{b:02x}")).collect();
    let r = envelope_lab::paste_reply(&request(&sb_hex, "auto", "")).await;
    assert_eq!(
        r.error.as_deref(),
        Some("no provider could read the value:\n  resources[0].providers[4] secretbox key `sb`: secretbox (XSalsa20-Poly1305) is not in WebCrypto: read this value natively with `secrets-guard envelope decrypt`")
    );
    let r = envelope_lab::paste_reply(&request(&hex, "hex", "providers: 3\n")).await;
    assert_eq!(
        r.error.as_deref(),
        Some("KEK file: the KEK file needs a `providers` list")
    );
    let r = envelope_lab::paste_reply(&request("xyz", "hex", "")).await;
    assert_eq!(r.error.as_deref(), Some("the input is not valid hex"));
    assert_eq!(input_encoding("whatever"), InputEncoding::Auto);
}

/// The tab's rotation section, through the worker's answers: the store lives on the worker's
/// side, and every change answers with what the section shows.
#[wasm_bindgen_test]
async fn the_rotation_store_in_the_worker() {
    async fn change(op: RotationOp, continued: bool) -> RotationView {
        match answer(Request::Rotation { op, continued }).await {
            Response::Rotation(Ok(v)) => v,
            other => panic!("{op:?}: {other:?}"),
        }
    }
    let keys = [
        "/registry/secrets/prod/db-credentials",
        "/registry/secrets/prod/api-token",
        "/registry/secrets/payments/tls-client",
    ];
    let v = change(RotationOp::Write, false).await;
    assert_eq!(
        v.values
            .iter()
            .map(|s| (s.etcd_key.as_str(), s.key_id.as_str()))
            .collect::<Vec<_>>(),
        keys.map(|k| (k, "kek-1"))
    );
    assert_eq!(
        (v.key_ids.clone(), v.encrypt_calls, v.decrypt_calls),
        (vec!["kek-1".to_string()], 1, 0)
    );
    assert_eq!(
        v.log,
        "Wrote 3 Secrets under KEK kek-1: 1 KMS Encrypt call (one seed, wrapped once, a key derived per write)."
    );
    let v = change(RotationOp::Rotate, true).await;
    assert_eq!(v.current_id(), "kek-2");
    assert!(v.values.iter().all(|s| s.key_id == "kek-1"));
    let v = change(RotationOp::Rewrite, true).await;
    assert_eq!(
        v.log,
        "Rewrote 3 values (read, then written again): 0 KMS Decrypt calls and 1 KMS Encrypt call; every value is now under kek-2."
    );
    change(RotationOp::Rotate, true).await;
    change(RotationOp::Restart, true).await;
    let v = change(RotationOp::Rewrite, true).await;
    assert_eq!(
        v.log,
        "Rewrote 3 values (read, then written again): 1 KMS Decrypt call and 1 KMS Encrypt call; every value is now under kek-3."
    );
    assert_eq!((v.encrypt_calls, v.decrypt_calls), (3, 1));
    assert!(v.values.iter().all(|s| s.key_id == "kek-3"));
    // Not continued (the tab shows no store): a write starts a new KMS.
    let v = change(RotationOp::Write, false).await;
    assert_eq!((v.key_ids, v.encrypt_calls), (vec!["kek-1".to_string()], 1));
    // The cost, measured in the worker: exact KMS calls, and time from the global scope's clock.
    let Response::Cost(Ok(c)) = answer(Request::Cost { writes: 5 }).await else {
        panic!("no cost")
    };
    assert_eq!((c.dek_per_write.kms_calls, c.cached_seed.kms_calls), (5, 1));
    assert!(c.dek_per_write.millis > 0.0 && c.cached_seed.millis > 0.0);
}
