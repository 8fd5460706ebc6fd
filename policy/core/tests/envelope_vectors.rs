//! Known-answer vectors for every storage format, kept in the repo at
//! `tests/fixtures/envelope/vectors.json` and shared with the browser's interop tests
//! (`web/tests/wasm_interop.rs`, WebCrypto in headless Chromium).
//!
//! Each vector fixes the provider (an `EncryptionConfiguration` provider entry with its key, or a
//! KMS provider with its KEK in the fixture's `kek_file`), the etcd key (the AES-GCM additional
//! data), the plaintext, and every random byte the writer draws ([`rw::write`] takes its random
//! source as a parameter: here the vector's `random` list, in the order the writer asks for it).
//! `segments` splits the stored value into its parts and says where each byte comes from.
//!
//! The tests:
//! - [`the_file_is_generated_from_the_fixed_inputs`]: the file is exactly what [`generate`]
//!   writes (`SG_UPDATE_VECTORS=1 cargo test -p secrets-guard-core --test envelope_vectors`
//!   rewrites it after a deliberate change).
//! - [`known_answers`]: for every vector read from the file, writing the plaintext with the
//!   fixed inputs gives exactly `value`, reading `value` gives the plaintext (and the Secret),
//!   and the segments add up to `value`.
//! - [`upstream_vectors`]: the two recorded upstream outputs (storage-formats.md §7.1) are
//!   reproduced byte for byte by the writer.
//! - [`failures_are_clear_errors`]: tampered, truncated, wrong-key, wrong-KEK and wrong-etcd-key
//!   inputs fail with the exact messages below, never a panic.
#![cfg(feature = "envelope-crypto")]

use std::path::Path;

use base64::Engine;
use secrets_guard_core::envelope::config::{providers_for, ResourceProviders};
use secrets_guard_core::envelope::kek::KekFile;
use secrets_guard_core::envelope::kmsv2::{DekSourceType, EncryptedObject};
use secrets_guard_core::envelope::layout::{
    self, Body, EtcdValue, GCM_NONCE_SIZE, HKDF_INFO_SIZE, KEY_MODE_FIRST_COUNTER, TAG_SIZE,
};
use secrets_guard_core::envelope::rw::{self, Options};
use secrets_guard_core::envelope::storage::{self, Secret};
use serde::{Deserialize, Serialize};
use serde_json::{json, Value};

const FILE: &str = include_str!("../../../tests/fixtures/envelope/vectors.json");

/// The fixture file.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Vectors {
    about: Vec<String>,
    /// The Secret every `secret-*` plaintext encodes, as `kubectl get -o json` shows it.
    secret: Value,
    /// Its protobuf storage encoding (`k8s\x00` + `runtime.Unknown`), base64.
    secret_protobuf_b64: String,
    /// Its JSON storage encoding.
    secret_json: String,
    /// The local KEK file (secrets-guard's stand-in for a KMS plugin) of the KMS vectors.
    kek_file: String,
    vectors: Vec<Vector>,
}

/// One known answer.
#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Vector {
    id: String,
    about: String,
    /// One `providers:` list item of an `EncryptionConfiguration` for `secrets`.
    provider: String,
    /// KMS v2 only: `seed` (HKDF_SHA256_XNONCE_AES_GCM_SEED) or `key` (AES_GCM_KEY).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    kms_v2_mode: Option<String>,
    /// The aescbc/aesgcm/secretbox key, or the KMS provider's KEK (as in `kek_file`), base64.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    key_b64: Option<String>,
    /// The etcd key the value is stored under (AES-GCM's additional data).
    etcd_key: String,
    /// `secret-protobuf`, `secret-json` or `text`.
    plaintext_is: String,
    plaintext_b64: String,
    /// Every random byte the writer draws, in the order it draws them.
    random: Vec<Random>,
    /// The stored value, part by part.
    segments: Vec<Segment>,
    /// The exact value the apiserver stores in etcd, base64.
    value_b64: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Random {
    name: String,
    hex: String,
}

#[derive(Debug, Serialize, Deserialize, PartialEq)]
struct Segment {
    name: String,
    /// Where the bytes come from; `random:<name>` is the vector's random input of that name.
    from: String,
    hex: String,
}

fn b64(b: &[u8]) -> String {
    base64::engine::general_purpose::STANDARD.encode(b)
}

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

fn hex(b: &[u8]) -> String {
    b.iter().map(|x| format!("{x:02x}")).collect()
}

fn unhex(s: &str) -> Vec<u8> {
    (0..s.len())
        .step_by(2)
        .map(|i| u8::from_str_radix(&s[i..i + 2], 16).expect("hex"))
        .collect()
}

/// `n` bytes counting up from `start` (wrapping): easy to recognise in a hex dump.
fn seq(start: u8, n: usize) -> Vec<u8> {
    (0..n).map(|i| start.wrapping_add(i as u8)).collect()
}

/// The Secret of the vectors.
fn the_secret() -> Value {
    json!({
        "apiVersion": "v1",
        "kind": "Secret",
        "metadata": {
            "name": "db-credentials",
            "namespace": "prod",
            "uid": "3f1c6a0e-8d2b-4c59-9a7e-2b5d1f0c4e81",
            "creationTimestamp": "2026-01-15T09:30:00Z",
            "labels": {"app": "billing"}
        },
        "data": {"password": "czNjcjN0", "username": "YWRtaW4="},
        "type": "Opaque"
    })
}

fn secret_of_file(v: &Vectors) -> Secret {
    Secret::from_stored_json(&v.secret).expect("the fixture's Secret")
}

const ETCD_KEY: &str = "/registry/secrets/prod/db-credentials";
const KMS_V2: &str = "demo-kms";
const KMS_V1: &str = "legacy";

fn kek_v2() -> Vec<u8> {
    seq(0x00, 32)
}

fn kek_v1() -> Vec<u8> {
    seq(0x20, 32)
}

fn kek_file() -> String {
    format!(
        "providers:\n- name: {KMS_V2}\n  keys:\n  - {{id: kek-1, secret: {}}}\n- name: {KMS_V1}\n  keys:\n  - {{id: v1-kek, secret: {}}}\n",
        b64(&kek_v2()),
        b64(&kek_v1())
    )
}

/// The fixed inputs of one vector.
struct Input {
    id: &'static str,
    about: &'static str,
    provider: String,
    kms_v2_mode: Option<&'static str>,
    key: Option<Vec<u8>>,
    etcd_key: &'static str,
    plaintext_is: &'static str,
    plaintext: Vec<u8>,
    random: Vec<(&'static str, Vec<u8>)>,
}

fn local(scheme: &str, name: &str, key: &[u8]) -> String {
    format!(
        "{scheme}: {{keys: [{{name: {name}, secret: {}}}]}}",
        b64(key)
    )
}

fn kms(v2: bool, name: &str) -> String {
    if v2 {
        format!("kms: {{apiVersion: v2, name: {name}, endpoint: unix:///var/run/kms/{name}.sock}}")
    } else {
        format!("kms: {{name: {name}, endpoint: unix:///var/run/kms/{name}.sock}}")
    }
}

/// Upstream vector A's nonce, and vector B's seed, info and nonce (storage-formats.md §7.1).
const UPSTREAM_A_NONCE: &str = "9f27c8fcea8a58c467d8e437";
const UPSTREAM_A_PAYLOAD: &str = "9f27c8fcea8a58c467d8e437dbf2d85955f9b4bd912f4ef967d788a0cb07797dac0a3f0a0845605ca85ac8562b4ae1";
const UPSTREAM_B_SEED: &str = "5d40323a820ff95561675e3b95e81867c5fdd561d35a88a2d08b08aa9d4fcf5c";
const UPSTREAM_B_INFO: &str = "2442759e33945fbad709db577a0f037fd8a709fc76979b8942209debcecb9d57";
const UPSTREAM_B_NONCE: &str = "efe3d6ff6a1ef6ee9a5003b9";
const UPSTREAM_B_PAYLOAD: &str = "2442759e33945fbad709db577a0f037fd8a709fc76979b8942209debcecb9d57efe3d6ff6a1ef6ee9a5003b9833b3043cec1e47b35175b151107a8d2416b0e296bbf66b5d102fcefdf9a78f293d271";

fn inputs(secret: &Secret) -> Vec<Input> {
    let pb = secret.to_storage_protobuf();
    let sj = secret.to_storage_json();
    let pandas = b"pandas are the best".to_vec();
    vec![
        Input {
            id: "identity-protobuf",
            about: "identity: the protobuf storage encoding as is",
            provider: "identity: {}".into(),
            kms_v2_mode: None,
            key: None,
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb.clone(),
            random: vec![],
        },
        Input {
            id: "identity-json",
            about: "identity: the JSON storage encoding as is (what an apiserver with --storage-media-type=application/json writes)",
            provider: "identity: {}".into(),
            kms_v2_mode: None,
            key: None,
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-json",
            plaintext: sj,
            random: vec![],
        },
        Input {
            id: "aescbc",
            about: "aescbc, AES-256: IV(16) ‖ AES-CBC(PKCS#7(plaintext)); no authentication, the etcd key is not used",
            provider: local("aescbc", "key1", &seq(0x60, 32)),
            kms_v2_mode: None,
            key: Some(seq(0x60, 32)),
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb.clone(),
            random: vec![("iv", seq(0xb0, 16))],
        },
        Input {
            id: "aesgcm",
            about: "aesgcm, AES-256: nonce(12) ‖ ciphertext ‖ tag(16), additional data = etcd key",
            provider: local("aesgcm", "key1", &seq(0x40, 32)),
            kms_v2_mode: None,
            key: Some(seq(0x40, 32)),
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb.clone(),
            random: vec![("nonce", seq(0xa0, 12))],
        },
        Input {
            id: "secretbox",
            about: "secretbox: nonce(24) ‖ XSalsa20-Poly1305 tag(16) ‖ ciphertext; the etcd key is not used",
            provider: local("secretbox", "key1", &seq(0x80, 32)),
            kms_v2_mode: None,
            key: Some(seq(0x80, 32)),
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb.clone(),
            random: vec![("nonce", seq(0xc0, 24))],
        },
        Input {
            id: "kms-v1",
            about: "KMS v1: uint16 BE length ‖ encrypted DEK ‖ nonce(12) ‖ AES-GCM(DEK, etcd key) ‖ tag; the KMS (the KEK file's `legacy` key v1-kek) wraps the DEK",
            provider: kms(false, KMS_V1),
            kms_v2_mode: None,
            key: Some(kek_v1()),
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb.clone(),
            random: vec![
                ("dek", seq(0xe0, 32)),
                ("nonce", seq(0x10, 12)),
                ("kek_nonce", seq(0x1c, 12)),
            ],
        },
        Input {
            id: "kms-v2-seed",
            about: "KMS v2 seed mode (HKDF_SHA256_XNONCE_AES_GCM_SEED): EncryptedObject{encryptedData = info(32) ‖ nonce(12) ‖ ciphertext ‖ tag under HKDF-Expand-SHA256(seed, info), keyID, encryptedDEKSource = the wrapped seed, type 1}",
            provider: kms(true, KMS_V2),
            kms_v2_mode: Some("seed"),
            key: Some(kek_v2()),
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb.clone(),
            random: vec![
                ("seed", seq(0x30, 32)),
                ("info", seq(0x50, 32)),
                ("nonce", seq(0x70, 12)),
                ("kek_nonce", seq(0x7c, 12)),
            ],
        },
        Input {
            id: "kms-v2-key",
            about: "KMS v2 key mode (AES_GCM_KEY, the proto3 default, so no field 5): EncryptedObject{encryptedData = nonce(12) ‖ ciphertext ‖ tag under the DEK, keyID, encryptedDEKSource = the wrapped DEK}; nonce = 4 random bytes ‖ write counter as uint64 LE",
            provider: kms(true, KMS_V2),
            kms_v2_mode: Some("key"),
            key: Some(kek_v2()),
            etcd_key: ETCD_KEY,
            plaintext_is: "secret-protobuf",
            plaintext: pb,
            random: vec![
                ("dek", seq(0x90, 32)),
                ("nonce_random", seq(0xd0, 4)),
                ("kek_nonce", seq(0xd4, 12)),
            ],
        },
        Input {
            id: "upstream-a-aesgcm",
            about: "upstream vector A (apiserver aes_test.go TestGCMLegacyDataCompatibility): AES-128 key `snorlax_awesomes`, additional data `bamboo`; the payload after the prefix is upstream's recorded output",
            provider: local("aesgcm", "snorlax", b"snorlax_awesomes"),
            kms_v2_mode: None,
            key: Some(b"snorlax_awesomes".to_vec()),
            etcd_key: "bamboo",
            plaintext_is: "text",
            plaintext: pandas.clone(),
            random: vec![("nonce", unhex(UPSTREAM_A_NONCE))],
        },
        Input {
            id: "upstream-b-kms-v2-seed",
            about: "upstream vector B (apiserver aes_test.go TestExtendedNonceGCMLegacyDataCompatibility) inside a KMS v2 seed-mode value: encryptedData is upstream's recorded output for its seed, additional data `bamboo`; the seed is wrapped by KEK kek-1",
            provider: kms(true, KMS_V2),
            kms_v2_mode: Some("seed"),
            key: Some(kek_v2()),
            etcd_key: "bamboo",
            plaintext_is: "text",
            plaintext: pandas,
            random: vec![
                ("seed", unhex(UPSTREAM_B_SEED)),
                ("info", unhex(UPSTREAM_B_INFO)),
                ("nonce", unhex(UPSTREAM_B_NONCE)),
                ("kek_nonce", seq(0xf0, 12)),
            ],
        },
    ]
}

fn config(provider: &str) -> ResourceProviders {
    providers_for(
        &format!(
            "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - {provider}\n"
        ),
        "",
        "secrets",
    )
    .expect("config")
}

fn options(mode: Option<&str>) -> Options {
    Options {
        kms_v2_mode: match mode {
            Some("key") => DekSourceType::AesGcmKey,
            _ => DekSourceType::HkdfSha256XNonceAesGcmSeed,
        },
    }
}

/// Write `plaintext` with the provider and the KEK file; the writer's random source is
/// `random`, each input asked for whole and in order, and every input used.
fn write_value(
    provider: &str,
    mode: Option<&str>,
    etcd_key: &str,
    plaintext: &[u8],
    random: Vec<(String, Vec<u8>)>,
) -> Vec<u8> {
    let rp = config(provider);
    let kek = KekFile::parse(&kek_file()).expect("kek file");
    let mut next = 0usize;
    let mut rng = |out: &mut [u8]| {
        let (name, bytes) = random
            .get(next)
            .ok_or_else(|| format!("the writer asked for more than the {} inputs", random.len()))?;
        if bytes.len() != out.len() {
            return Err(format!(
                "the writer asked for {} bytes; the next input `{name}` has {}",
                out.len(),
                bytes.len()
            ));
        }
        out.copy_from_slice(bytes);
        next += 1;
        Ok(())
    };
    let value = rw::write(
        &rp.providers[0],
        Some(&kek),
        etcd_key.as_bytes(),
        plaintext,
        &options(mode),
        &mut rng,
    )
    .expect("write");
    assert_eq!(next, random.len(), "every random input is used");
    value
}

fn seg(name: &str, from: &str, bytes: &[u8]) -> Segment {
    Segment {
        name: name.into(),
        from: from.into(),
        hex: hex(bytes),
    }
}

/// `nonce(12) ‖ ciphertext ‖ tag(16)` of AES-GCM under `key`.
fn gcm_segments(out: &mut Vec<Segment>, bytes: &[u8], nonce_from: &str, what: &str) {
    let (nonce, rest) = bytes.split_at(GCM_NONCE_SIZE);
    let (ct, tag) = rest.split_at(rest.len() - TAG_SIZE);
    if nonce_from == "key-mode" {
        out.push(seg("nonce[0..4]", "random:nonce_random", &nonce[..4]));
        out.push(seg(
            "nonce[4..12]",
            &format!("write counter {KEY_MODE_FIRST_COUNTER} (a fresh apiserver's first write) as uint64 little-endian"),
            &nonce[4..],
        ));
    } else {
        out.push(seg("nonce", nonce_from, nonce));
    }
    out.push(seg(
        "ciphertext",
        &format!("AES-GCM ciphertext: {what}"),
        ct,
    ));
    out.push(seg("tag", "AES-GCM tag (16 bytes)", tag));
}

/// The KEK file's wrapping of the DEK or seed (the random input `what`).
fn kek_wrap_segments(out: &mut Vec<Segment>, wrapped: &[u8], what: &str) {
    let (nonce, rest) = wrapped.split_at(GCM_NONCE_SIZE);
    let (ct, tag) = rest.split_at(rest.len() - TAG_SIZE);
    out.push(seg("kek nonce", "random:kek_nonce", nonce));
    out.push(seg(
        &format!("wrapped {what}"),
        &format!(
            "AES-256-GCM ciphertext: AES-GCM(KEK, kek nonce, {what} (random input `{what}`), additional data = key id)"
        ),
        ct,
    ));
    out.push(seg("kek tag", "AES-GCM tag of the wrapping", tag));
}

/// The stored value split into its parts.
fn segments(value: &[u8], plaintext_is: &str) -> Vec<Segment> {
    let mut out = vec![];
    let e = match layout::split(value).expect("layout") {
        EtcdValue::Plaintext(p) => {
            out.push(seg(
                "plaintext",
                &format!("the storage encoding ({plaintext_is}), stored as is"),
                p,
            ));
            return out;
        }
        EtcdValue::Encrypted(e) => e,
    };
    out.push(seg(
        "prefix",
        &format!("`{}` + {} + `:`", e.scheme.prefix(), e.scheme.name_kind()),
        &value[..e.payload_offset],
    ));
    let data = "AES-GCM(key, nonce, plaintext, additional data = etcd key)";
    match e.body().expect("body") {
        Body::AesGcm(_) => gcm_segments(&mut out, e.payload, "random:nonce", data),
        Body::AesCbc(p) => {
            out.push(seg("iv", "random:iv", p.iv));
            out.push(seg(
                "ciphertext",
                "AES-CBC(key, iv, plaintext + PKCS#7 padding)",
                p.ciphertext,
            ));
        }
        Body::Secretbox(p) => {
            out.push(seg("nonce", "random:nonce", p.nonce));
            out.push(seg(
                "tag",
                "Poly1305 tag of XSalsa20-Poly1305(key, nonce, plaintext)",
                p.tag(),
            ));
            out.push(seg(
                "ciphertext",
                "XSalsa20 ciphertext of the plaintext",
                p.ciphertext(),
            ));
        }
        Body::KmsV1(p) => {
            out.push(seg(
                "dek length",
                "length of the encrypted DEK, uint16 big-endian",
                &(p.encrypted_dek.len() as u16).to_be_bytes(),
            ));
            kek_wrap_segments(&mut out, p.encrypted_dek, "dek");
            gcm_segments(
                &mut out,
                p.data,
                "random:nonce",
                "AES-GCM(DEK, nonce, plaintext, additional data = etcd key)",
            );
        }
        Body::KmsV2(o) => {
            let payload = e.payload;
            let key_mode = o.source_type() == Some(DekSourceType::AesGcmKey);
            for s in &o.spans {
                let field = match s.number {
                    1 => "encryptedData",
                    2 => "keyID",
                    3 => "encryptedDEKSource",
                    4 => "annotations",
                    5 => "encryptedDEKSourceType",
                    _ => "unknown",
                };
                out.push(seg(
                    &format!(
                        "field {} tag{}",
                        s.number,
                        if s.number == 5 { "" } else { " and length" }
                    ),
                    &format!("protobuf EncryptedObject.{field}"),
                    &payload[s.start..s.value_start],
                ));
                let v = &payload[s.value_start..s.end];
                match s.number {
                    1 if key_mode => gcm_segments(
                        &mut out,
                        v,
                        "key-mode",
                        "AES-GCM(DEK, nonce, plaintext, additional data = etcd key)",
                    ),
                    1 => {
                        let (info, rest) = v.split_at(HKDF_INFO_SIZE);
                        out.push(seg("info", "random:info", info));
                        gcm_segments(&mut out, rest, "random:nonce", "AES-GCM(HKDF-Expand-SHA256(seed, info, 32), nonce, plaintext, additional data = etcd key)");
                    }
                    2 => out.push(seg("keyID", "the KEK's id in the KEK file", v)),
                    3 => kek_wrap_segments(&mut out, v, if key_mode { "dek" } else { "seed" }),
                    5 => out.push(seg(
                        "encryptedDEKSourceType",
                        "1 = HKDF_SHA256_XNONCE_AES_GCM_SEED (varint)",
                        v,
                    )),
                    _ => out.push(seg("value", "field value", v)),
                }
            }
        }
    }
    out
}

/// The fixture file, from the fixed inputs.
fn generate() -> String {
    let secret_json = the_secret();
    let secret = Secret::from_stored_json(&secret_json).expect("the Secret");
    let mut vectors = vec![];
    for i in inputs(&secret) {
        let random: Vec<(String, Vec<u8>)> = i
            .random
            .iter()
            .map(|(n, b)| (n.to_string(), b.clone()))
            .collect();
        let value = write_value(&i.provider, i.kms_v2_mode, i.etcd_key, &i.plaintext, random);
        vectors.push(Vector {
            id: i.id.into(),
            about: i.about.into(),
            provider: i.provider.clone(),
            kms_v2_mode: i.kms_v2_mode.map(str::to_string),
            key_b64: i.key.as_deref().map(b64),
            etcd_key: i.etcd_key.into(),
            plaintext_is: i.plaintext_is.into(),
            plaintext_b64: b64(&i.plaintext),
            random: i
                .random
                .iter()
                .map(|(n, b)| Random {
                    name: n.to_string(),
                    hex: hex(b),
                })
                .collect(),
            segments: segments(&value, i.plaintext_is),
            value_b64: b64(&value),
        });
    }
    let file = Vectors {
        about: [
            "Known-answer vectors of the etcd storage formats of kube-apiserver encryption at rest (../shared/design/storage-formats.md).",
            "Generated by policy/core/tests/envelope_vectors.rs with the native writer (secrets_guard_core::envelope::rw::write) and a fixed random source: `random` lists every random byte the writer draws, in order.",
            "Regenerate after a deliberate change: SG_UPDATE_VECTORS=1 cargo test -p secrets-guard-core --test envelope_vectors.",
            "Checked by: the native known-answer tests (same file), the browser's WebCrypto in headless Chromium (web/tests/wasm_interop.rs: aescbc, aesgcm, KMS v2 seed and key mode, both upstream vectors), `secrets-guard envelope decrypt` (policy/cli/tests/envelope_vectors.rs), and independently of the Rust code by tests/fixtures/envelope/check_vectors.py (Python cryptography; not run by make test).",
            "Keys are byte sequences that count up (00 01 02 ..., 40 41 42 ...) so that they are recognisable; the KMS vectors' KEKs are in kek_file and key_b64. Never use them for real data.",
            "The upstream vectors reproduce the recorded outputs of kubernetes/apiserver pkg/storage/value/encrypt/aes/aes_test.go (storage-formats.md section 7.1) byte for byte.",
        ]
        .map(str::to_string)
        .to_vec(),
        secret: secret_json,
        secret_protobuf_b64: b64(&secret.to_storage_protobuf()),
        secret_json: String::from_utf8(secret.to_storage_json()).expect("UTF-8"),
        kek_file: kek_file(),
        vectors,
    };
    let mut text = serde_json::to_string_pretty(&file).expect("JSON");
    text.push('\n');
    text
}

fn file() -> Vectors {
    serde_json::from_str(FILE).expect("vectors.json")
}

fn vector<'a>(v: &'a Vectors, id: &str) -> &'a Vector {
    v.vectors
        .iter()
        .find(|x| x.id == id)
        .unwrap_or_else(|| panic!("no vector {id}"))
}

#[test]
fn the_file_is_generated_from_the_fixed_inputs() {
    let generated = generate();
    if std::env::var_os("SG_UPDATE_VECTORS").is_some() {
        let path = Path::new(env!("CARGO_MANIFEST_DIR"))
            .join("../../tests/fixtures/envelope/vectors.json");
        std::fs::write(&path, &generated).expect("write vectors.json");
        return;
    }
    assert!(
        generated == FILE,
        "tests/fixtures/envelope/vectors.json differs from what the fixed inputs give; after a deliberate change run SG_UPDATE_VECTORS=1 cargo test -p secrets-guard-core --test envelope_vectors"
    );
}

#[test]
fn known_answers() {
    let f = file();
    let secret = secret_of_file(&f);
    assert_eq!(unb64(&f.secret_protobuf_b64), secret.to_storage_protobuf());
    assert_eq!(f.secret_json.as_bytes(), secret.to_storage_json());
    let kek = KekFile::parse(&f.kek_file).expect("kek file");
    let mut ids = vec![];
    for v in &f.vectors {
        ids.push(v.id.as_str());
        let value = unb64(&v.value_b64);
        let plaintext = unb64(&v.plaintext_b64);
        let random: Vec<(String, Vec<u8>)> = v
            .random
            .iter()
            .map(|r| (r.name.clone(), unhex(&r.hex)))
            .collect();
        // Write: exactly the stored value.
        let written = write_value(
            &v.provider,
            v.kms_v2_mode.as_deref(),
            &v.etcd_key,
            &plaintext,
            random.clone(),
        );
        assert!(written == value, "{}: the writer gives another value", v.id);
        // Read: the plaintext, current (not stale), and the Secret.
        let d = rw::read(
            &config(&v.provider),
            Some(&kek),
            v.etcd_key.as_bytes(),
            &value,
            &options(v.kms_v2_mode.as_deref()),
        )
        .unwrap_or_else(|e| panic!("{}: {e}", v.id));
        assert_eq!(d.plaintext, plaintext, "{}", v.id);
        assert!(d.stale.is_empty(), "{}: {:?}", v.id, d.stale);
        match v.plaintext_is.as_str() {
            "secret-protobuf" => {
                assert_eq!(plaintext, secret.to_storage_protobuf(), "{}", v.id);
                let s = storage::decode_stored(&d.plaintext)
                    .unwrap()
                    .secret()
                    .unwrap();
                assert_eq!(s, secret, "{}", v.id);
            }
            "secret-json" => {
                assert_eq!(plaintext, secret.to_storage_json(), "{}", v.id);
                let s = storage::decode_stored(&d.plaintext)
                    .unwrap()
                    .secret()
                    .unwrap();
                assert_eq!(s, secret, "{}", v.id);
            }
            other => assert_eq!(other, "text", "{}", v.id),
        }
        // The segments add up to the value, and the random ones are the random inputs.
        let joined: String = v.segments.iter().map(|s| s.hex.as_str()).collect();
        assert_eq!(joined, hex(&value), "{}: segments", v.id);
        for s in &v.segments {
            if let Some(name) = s.from.strip_prefix("random:") {
                let r = random
                    .iter()
                    .find(|(n, _)| n == name)
                    .unwrap_or_else(|| panic!("{}: no random input {name}", v.id));
                assert_eq!(unhex(&s.hex), r.1, "{}: segment {}", v.id, s.name);
            }
        }
        // The KMS vectors' key_b64 is the KEK of the KEK file.
        if v.provider.starts_with("kms:") {
            let name = if v.provider.contains("v2") {
                KMS_V2
            } else {
                KMS_V1
            };
            let k = &kek.provider(name).unwrap().keys[0];
            assert_eq!(unb64(v.key_b64.as_deref().unwrap()), k.secret, "{}", v.id);
        }
    }
    assert_eq!(
        ids,
        [
            "identity-protobuf",
            "identity-json",
            "aescbc",
            "aesgcm",
            "secretbox",
            "kms-v1",
            "kms-v2-seed",
            "kms-v2-key",
            "upstream-a-aesgcm",
            "upstream-b-kms-v2-seed"
        ],
        "every provider has a vector"
    );
}

#[test]
fn upstream_vectors() {
    let f = file();
    let a = vector(&f, "upstream-a-aesgcm");
    let value = unb64(&a.value_b64);
    assert_eq!(
        hex(value.strip_prefix(b"k8s:enc:aesgcm:v1:snorlax:").unwrap()),
        UPSTREAM_A_PAYLOAD
    );
    let b = vector(&f, "upstream-b-kms-v2-seed");
    let value = unb64(&b.value_b64);
    let o =
        EncryptedObject::decode(value.strip_prefix(b"k8s:enc:kms:v2:demo-kms:").unwrap()).unwrap();
    assert_eq!(hex(o.encrypted_data), UPSTREAM_B_PAYLOAD);
    assert_eq!(
        o.source_type(),
        Some(DekSourceType::HkdfSha256XNonceAesGcmSeed)
    );
    // Key mode's nonce ends with the first write counter.
    let k = vector(&f, "kms-v2-key");
    let value = unb64(&k.value_b64);
    let o =
        EncryptedObject::decode(value.strip_prefix(b"k8s:enc:kms:v2:demo-kms:").unwrap()).unwrap();
    assert_eq!(o.dek_source_type, 0);
    assert_eq!(&o.encrypted_data[..4], [0xd0, 0xd1, 0xd2, 0xd3]);
    assert_eq!(&o.encrypted_data[4..12], 1_000_000_001u64.to_le_bytes());
}

/// What `rw::read` says about `value` (with `provider` and `kek_file`): its error, or, when it
/// reads, `read: ` and whether the plaintext is the vector's.
fn read_outcome(
    v: &Vector,
    provider: &str,
    kek_file: &str,
    etcd_key: &str,
    value: &[u8],
) -> String {
    let kek = KekFile::parse(kek_file).expect("kek file");
    match rw::read(
        &config(provider),
        Some(&kek),
        etcd_key.as_bytes(),
        value,
        &options(v.kms_v2_mode.as_deref()),
    ) {
        Err(e) => e.to_string(),
        Ok(d) if d.plaintext == unb64(&v.plaintext_b64) => "read: the plaintext".into(),
        Ok(d) => {
            let pt = unb64(&v.plaintext_b64);
            let diff: Vec<usize> = (0..d.plaintext.len().max(pt.len()))
                .filter(|i| d.plaintext.get(*i) != pt.get(*i))
                .collect();
            let secret = match storage::decode_stored(&d.plaintext).map(|s| s.secret()) {
                Ok(Ok(_)) => "decodes as a Secret".to_string(),
                Ok(Err(e)) | Err(e) => format!("does not decode: {e}"),
            };
            format!(
                "read: altered plaintext ({} of {} bytes differ, first at {}); {secret}",
                diff.len(),
                pt.len(),
                diff.first().copied().unwrap_or_default()
            )
        }
    }
}

fn flipped(value: &[u8], at: usize) -> Vec<u8> {
    let mut v = value.to_vec();
    v[at] ^= 0x01;
    v
}

/// A 32-byte key other than every key of the vectors.
fn other_key() -> String {
    b64(&seq(0xee, 32))
}

#[test]
fn failures_are_clear_errors() {
    let f = file();
    let kek = f.kek_file.as_str();
    let mut cases: Vec<(String, String)> = vec![];
    let mut case = |label: &str, outcome: String| cases.push((label.to_string(), outcome));
    let with_key =
        |v: &Vector, key: &str| v.provider.replace(v.key_b64.as_deref().unwrap_or("-"), key);
    // The KEK file with kek-1 (KMS v2) and v1-kek (KMS v1) replaced by another secret.
    let wrong_kek = kek
        .replace(&b64(&kek_v2()), &other_key())
        .replace(&b64(&kek_v1()), &other_key());
    let renamed_kek = kek.replace("id: kek-1", "id: kek-2");

    for id in [
        "aesgcm",
        "aescbc",
        "secretbox",
        "kms-v1",
        "kms-v2-seed",
        "kms-v2-key",
    ] {
        let v = vector(&f, id);
        let value = unb64(&v.value_b64);
        let p = v.provider.as_str();
        let k = v.etcd_key.as_str();
        let prefix = hex_len(&v.segments[0].hex);
        let n = value.len();
        let at = |name: &str| -> usize {
            let mut off = 0;
            for s in &v.segments {
                if s.name == name {
                    return off;
                }
                off += hex_len(&s.hex);
            }
            panic!("{id}: no segment {name}")
        };
        case(
            &format!("{id}: as stored"),
            read_outcome(v, p, kek, k, &value),
        );
        // Tampered: one bit of the first byte of each part.
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
            "dek length",
        ] {
            if v.segments.iter().any(|x| x.name == s) {
                case(
                    &format!("{id}: flipped {s}[0]"),
                    read_outcome(v, p, kek, k, &flipped(&value, at(s))),
                );
            }
        }
        case(
            &format!("{id}: flipped last byte"),
            read_outcome(v, p, kek, k, &flipped(&value, n - 1)),
        );
        // Truncated.
        for (what, cut) in [
            ("inside the prefix", 12),
            ("inside the name", prefix - 2),
            ("after the prefix", prefix),
            ("5 bytes after the prefix", prefix + 5),
            ("30 bytes after the prefix", prefix + 30),
            ("by 1 byte", n - 1),
            ("by 16 bytes", n - 16),
        ] {
            case(
                &format!("{id}: truncated {what}"),
                read_outcome(v, p, kek, k, &value[..cut]),
            );
        }
        if id.starts_with("kms-v2") {
            // Another key id (same length), and for seed mode an unknown source type.
            let renamed = replace_once(&value, b"kek-1", b"kek-2");
            case(
                &format!("{id}: keyID kek-2"),
                read_outcome(v, p, kek, k, &renamed),
            );
        }
        if id == "kms-v2-seed" {
            let mut t = value.clone();
            t[n - 1] = 2;
            case(
                &format!("{id}: encryptedDEKSourceType 2"),
                read_outcome(v, p, kek, k, &t),
            );
            // Without its last field (encryptedDEKSourceType = 1) the object reads as key mode:
            // the seed is taken for the DEK, and AES-GCM refuses.
            case(
                &format!("{id}: truncated by 2 bytes (drops encryptedDEKSourceType)"),
                read_outcome(v, p, kek, k, &value[..n - 2]),
            );
        }
        // Wrong key, wrong KEK, wrong etcd key.
        if id.starts_with("kms") {
            case(
                &format!("{id}: wrong KEK"),
                read_outcome(v, p, &wrong_kek, k, &value),
            );
            if id.starts_with("kms-v2") {
                case(
                    &format!("{id}: KEK file without its key id"),
                    read_outcome(v, p, &renamed_kek, k, &value),
                );
            }
        } else {
            case(
                &format!("{id}: wrong key"),
                read_outcome(v, &with_key(v, &other_key()), kek, k, &value),
            );
        }
        case(
            &format!("{id}: wrong etcd key"),
            read_outcome(v, p, kek, "/registry/secrets/prod/other", &value),
        );
    }
    let got: Vec<(&str, &str)> = cases
        .iter()
        .map(|(a, b)| (a.as_str(), b.as_str()))
        .collect();
    if got != EXPECTED_FAILURES {
        for (a, b) in &got {
            println!("    ({a:?}, {b:?}),");
        }
        panic!("the failure messages differ (the actual ones are printed above)");
    }
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

fn hex_len(h: &str) -> usize {
    h.len() / 2
}

/// Every failure case and what the native reader says (reviewed by hand: each names the part
/// that failed; AES-CBC and secretbox do not bind the etcd key, and AES-CBC does not notice a
/// flipped IV or first block).
#[rustfmt::skip]
const EXPECTED_FAILURES: &[(&str, &str)] = &[
    ("aesgcm: as stored", "read: the plaintext"),
    ("aesgcm: flipped nonce[0]", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: flipped ciphertext[0]", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: flipped tag[0]", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: flipped last byte", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: truncated inside the prefix", "no matching prefix found among the providers of `secrets`: unknown encryption prefix `k8s:enc:aesg` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("aesgcm: truncated inside the name", "no provider could read the value:\n  resources[0].providers[0] aesgcm: no matching key was found for the provided AES transformer"),
    ("aesgcm: truncated after the prefix", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aesgcm payload is truncated: the AES-GCM nonce needs 12 bytes, only 0 left"),
    ("aesgcm: truncated 5 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aesgcm payload is truncated: the AES-GCM nonce needs 12 bytes, only 5 left"),
    ("aesgcm: truncated 30 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: truncated by 1 byte", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: truncated by 16 bytes", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: wrong key", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aesgcm: wrong etcd key", "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("aescbc: as stored", "read: the plaintext"),
    ("aescbc: flipped iv[0]", "read: altered plaintext (1 of 168 bytes differ, first at 0); does not decode: not a stored Kubernetes object: expected the protobuf magic `k8s\\x00` or JSON, found bytes 6a 38 73 00 0a 0c 0a 02 …"),
    ("aescbc: flipped ciphertext[0]", "read: altered plaintext (17 of 168 bytes differ, first at 0); does not decode: not a stored Kubernetes object: expected the protobuf magic `k8s\\x00` or JSON, found bytes e1 75 6e e3 8d cc 58 e9 …"),
    ("aescbc: flipped last byte", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aes-cbc: invalid padding on input: wrong key or tampered data"),
    ("aescbc: truncated inside the prefix", "no matching prefix found among the providers of `secrets`: unknown encryption prefix `k8s:enc:aesc` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("aescbc: truncated inside the name", "no provider could read the value:\n  resources[0].providers[0] aescbc: no matching key was found for the provided AES transformer"),
    ("aescbc: truncated after the prefix", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aescbc payload is truncated: the AES-CBC IV needs 16 bytes, only 0 left"),
    ("aescbc: truncated 5 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aescbc payload is truncated: the AES-CBC IV needs 16 bytes, only 5 left"),
    ("aescbc: truncated 30 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aescbc ciphertext is 14 bytes, not a non-zero multiple of the 16-byte block size"),
    ("aescbc: truncated by 1 byte", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aescbc ciphertext is 175 bytes, not a non-zero multiple of the 16-byte block size"),
    ("aescbc: truncated by 16 bytes", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aes-cbc: invalid padding on input: wrong key or tampered data"),
    ("aescbc: wrong key", "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aes-cbc: invalid padding on input: wrong key or tampered data"),
    ("aescbc: wrong etcd key", "read: the plaintext"),
    ("secretbox: as stored", "read: the plaintext"),
    ("secretbox: flipped nonce[0]", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: flipped ciphertext[0]", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: flipped tag[0]", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: flipped last byte", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: truncated inside the prefix", "no matching prefix found among the providers of `secrets`: unknown encryption prefix `k8s:enc:secr` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("secretbox: truncated inside the name", "no provider could read the value:\n  resources[0].providers[0] secretbox: no matching key was found for the provided Secretbox transformer"),
    ("secretbox: truncated after the prefix", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox payload is truncated: the XSalsa20 nonce needs 24 bytes, only 0 left"),
    ("secretbox: truncated 5 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox payload is truncated: the XSalsa20 nonce needs 24 bytes, only 5 left"),
    ("secretbox: truncated 30 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox payload is truncated: the Poly1305 tag needs 16 bytes, only 6 left"),
    ("secretbox: truncated by 1 byte", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: truncated by 16 bytes", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: wrong key", "no provider could read the value:\n  resources[0].providers[0] secretbox key `key1`: secretbox: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("secretbox: wrong etcd key", "read: the plaintext"),
    ("kms-v1: as stored", "read: the plaintext"),
    ("kms-v1: flipped nonce[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 180 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v1: flipped ciphertext[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 180 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v1: flipped tag[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 180 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v1: flipped kek nonce[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: KMS: the wrapped DEK does not open with KEK `v1-kek` of provider `legacy` (authentication failed)"),
    ("kms-v1: flipped wrapped dek[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: KMS: the wrapped DEK does not open with KEK `v1-kek` of provider `legacy` (authentication failed)"),
    ("kms-v1: flipped kek tag[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: KMS: the wrapped DEK does not open with KEK `v1-kek` of provider `legacy` (authentication failed)"),
    ("kms-v1: flipped dek length[0]", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: kms v1 payload is truncated: its length prefix declares a 316-byte encrypted DEK, only 256 bytes follow"),
    ("kms-v1: flipped last byte", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 180 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v1: truncated inside the prefix", "no matching prefix found among the providers of `secrets`: unknown encryption prefix `k8s:enc:kms:` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("kms-v1: truncated inside the name", "no matching prefix found among the providers of `secrets`: kms v1 value has no `:` after the provider name that follows `k8s:enc:kms:v1:`"),
    ("kms-v1: truncated after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: kms v1 payload is truncated: the DEK length prefix needs 2 bytes, only 0 left"),
    ("kms-v1: truncated 5 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: kms v1 payload is truncated: its length prefix declares a 60-byte encrypted DEK, only 3 bytes follow"),
    ("kms-v1: truncated 30 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: kms v1 payload is truncated: its length prefix declares a 60-byte encrypted DEK, only 28 bytes follow"),
    ("kms-v1: truncated by 1 byte", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 179 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v1: truncated by 16 bytes", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 164 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v1: wrong KEK", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: KMS: the wrapped DEK does not open with KEK `v1-kek` of provider `legacy` (authentication failed)"),
    ("kms-v1: wrong etcd key", "no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 180 bytes, not a non-zero multiple of the 16-byte block size) reads the data"),
    ("kms-v2-seed: as stored", "read: the plaintext"),
    ("kms-v2-seed: flipped nonce[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-seed: flipped ciphertext[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-seed: flipped tag[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-seed: flipped info[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-seed: flipped kek nonce[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-seed: flipped wrapped seed[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-seed: flipped kek tag[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-seed: flipped last byte", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-seed: truncated inside the prefix", "no matching prefix found among the providers of `secrets`: unknown encryption prefix `k8s:enc:kms:` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("kms-v2-seed: truncated inside the name", "no matching prefix found among the providers of `secrets`: kms v2 value has no `:` after the provider name that follows `k8s:enc:kms:v2:`"),
    ("kms-v2-seed: truncated after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 invalid EncryptedObject: encrypted data is empty"),
    ("kms-v2-seed: truncated 5 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-seed: truncated 30 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-seed: truncated by 1 byte", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 301"),
    ("kms-v2-seed: truncated by 16 bytes", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 238"),
    ("kms-v2-seed: keyID kek-2", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the KEK file has no key with id `kek-2` for provider `demo-kms` (it has: kek-1)"),
    ("kms-v2-seed: encryptedDEKSourceType 2", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 invalid EncryptedObject: failed to validate encrypted DEK source type: unknown encryptedDEKSourceType: 2"),
    ("kms-v2-seed: truncated by 2 bytes (drops encryptedDEKSourceType)", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-seed: wrong KEK", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-seed: KEK file without its key id", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the KEK file has no key with id `kek-1` for provider `demo-kms` (it has: kek-2)"),
    ("kms-v2-seed: wrong etcd key", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-key: as stored", "read: the plaintext"),
    ("kms-v2-key: flipped nonce[0..4][0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-key: flipped ciphertext[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-key: flipped tag[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
    ("kms-v2-key: flipped kek nonce[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-key: flipped wrapped dek[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-key: flipped kek tag[0]", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-key: flipped last byte", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-key: truncated inside the prefix", "no matching prefix found among the providers of `secrets`: unknown encryption prefix `k8s:enc:kms:` (known: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:, k8s:enc:kms:v1:, k8s:enc:kms:v2:)"),
    ("kms-v2-key: truncated inside the name", "no matching prefix found among the providers of `secrets`: kms v2 value has no `:` after the provider name that follows `k8s:enc:kms:v2:`"),
    ("kms-v2-key: truncated after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 invalid EncryptedObject: encrypted data is empty"),
    ("kms-v2-key: truncated 5 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-key: truncated 30 bytes after the prefix", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"),
    ("kms-v2-key: truncated by 1 byte", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 206"),
    ("kms-v2-key: truncated by 16 bytes", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 206"),
    ("kms-v2-key: keyID kek-2", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the KEK file has no key with id `kek-2` for provider `demo-kms` (it has: kek-1)"),
    ("kms-v2-key: wrong KEK", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)"),
    ("kms-v2-key: KEK file without its key id", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the KEK file has no key with id `kek-1` for provider `demo-kms` (it has: kek-2)"),
    ("kms-v2-key: wrong etcd key", "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)"),
];
