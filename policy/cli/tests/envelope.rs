//! End-to-end tests of `secrets-guard envelope` (decrypt, encrypt, inspect).
//!
//! `tests/fixtures/envelope/` holds values built by an independent encoder (`independent.py`,
//! Python `cryptography`, from the layouts in storage-formats.md) around a Secret that a real
//! kube-apiserver stored (`oldSecret` of kubernetes/kubernetes
//! test/integration/controlplane/transformation/transformation_test.go), with the
//! EncryptionConfiguration and KEK file that read them.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use base64::Engine;
use secrets_guard_core::envelope::{crypto, kmsv2::EncryptedObject};

const BIN: &str = env!("CARGO_BIN_EXE_secrets-guard");
const KEY: &str = "/registry/secrets/secret-encryption-test/test-secret";

fn fixture(name: &str) -> PathBuf {
    Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/envelope")
        .join(name)
}

fn fixture_bytes(name: &str) -> Vec<u8> {
    let text = std::fs::read_to_string(fixture(name)).expect("fixture");
    b64(text.trim())
}

fn b64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

/// The upstream Secret as `envelope decrypt` prints it.
const UPSTREAM_YAML: &str = "\
apiVersion: v1
data:
  api_key: 8J+kl/CfkLw=
kind: Secret
metadata:
  creationTimestamp: \"2019-12-10T16:57:08Z\"
  name: test-secret
  namespace: secret-encryption-test
  uid: 72dfe5c4-1456-4239-b1ed-adffa2f1f7ba
type: Opaque
";

const MANIFEST: &str = "\
apiVersion: v1
kind: Secret
metadata:
  name: db
  namespace: app
  labels: {tier: data}
type: Opaque
data:
  user: YWRtaW4=
stringData:
  password: \"p@ss: w0rd\"
";

const MANIFEST_YAML: &str = "\
apiVersion: v1
data:
  password: cEBzczogdzByZA==
  user: YWRtaW4=
kind: Secret
metadata:
  creationTimestamp: null
  labels:
    tier: data
  name: db
  namespace: app
type: Opaque
";

const DB_KEY: &str = "/registry/secrets/app/db";

struct Fx {
    dir: tempfile::TempDir,
}

impl Fx {
    fn new() -> Self {
        Fx {
            dir: tempfile::tempdir().expect("tempdir"),
        }
    }

    fn write(&self, name: &str, content: impl AsRef<[u8]>) -> String {
        let p = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write");
        p.to_string_lossy().into_owned()
    }

    /// A config with these providers (YAML list items, indented by four spaces) for secrets.
    fn config(&self, providers: &str) -> String {
        self.write(
            "config.yaml",
            format!(
                "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n{providers}"
            ),
        )
    }
}

fn run(args: &[&str]) -> Output {
    Command::new(BIN)
        .args(args)
        .stdin(Stdio::null())
        .output()
        .expect("run")
}

fn run_stdin(args: &[&str], input: &[u8]) -> Output {
    let mut child = Command::new(BIN)
        .args(args)
        .stdin(Stdio::piped())
        .stdout(Stdio::piped())
        .stderr(Stdio::piped())
        .spawn()
        .expect("spawn");
    child
        .stdin
        .take()
        .expect("stdin")
        .write_all(input)
        .expect("write stdin");
    child.wait_with_output().expect("wait")
}

fn code(o: &Output) -> i32 {
    o.status.code().expect("exit code")
}

fn out(o: &Output) -> String {
    String::from_utf8_lossy(&o.stdout).into_owned()
}

fn err(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

fn fixture_args(extra: &[&str]) -> Vec<String> {
    let mut a: Vec<String> = vec![
        "envelope".into(),
        "decrypt".into(),
        "--config".into(),
        fixture("encryption.yaml").to_string_lossy().into_owned(),
        "--kek".into(),
        fixture("kek.yaml").to_string_lossy().into_owned(),
        "--etcd-key".into(),
        KEY.into(),
    ];
    a.extend(extra.iter().map(|s| s.to_string()));
    a
}

fn decrypt_fixture(extra: &[&str]) -> Output {
    let a = fixture_args(extra);
    let refs: Vec<&str> = a.iter().map(String::as_str).collect();
    run(&refs)
}

#[test]
fn decrypts_values_of_an_independent_encoder() {
    let cases = [
        (
            "aesgcm.b64",
            "resources[0].providers[0]: aesgcm key `key1`",
            0,
        ),
        (
            "aescbc.b64",
            "resources[0].providers[1]: aescbc key `key1`",
            1,
        ),
        (
            "kms-v2-seed.b64",
            "resources[0].providers[2]: kms v2 `vault` (seed mode, keyID `kek-1`)",
            1,
        ),
        (
            "kms-v2-key.b64",
            "resources[0].providers[2]: kms v2 `vault` (key mode, keyID `kek-1`)",
            2,
        ),
        (
            "kms-v1.b64",
            "resources[0].providers[3]: kms v1 `legacy` (DEK per write, AES-GCM)",
            1,
        ),
        (
            "plaintext.b64",
            "resources[0].providers[5]: identity (plaintext)",
            1,
        ),
    ];
    for (file, via, stale) in cases {
        let o = decrypt_fixture(&[fixture(file).to_str().unwrap()]);
        assert_eq!(code(&o), 0, "{file}: {}", err(&o));
        assert_eq!(out(&o), UPSTREAM_YAML, "{file}");
        assert!(
            err(&o).contains(&format!("note: read by {via}\n")),
            "{file}: {}",
            err(&o)
        );
        assert_eq!(
            err(&o).matches("note: stale").count(),
            stale,
            "{file}: {}",
            err(&o)
        );
    }
    // Raw output is the stored plaintext, byte for byte.
    let o = decrypt_fixture(&[
        "--format",
        "raw",
        fixture("kms-v2-seed.b64").to_str().unwrap(),
    ]);
    assert_eq!(o.stdout, fixture_bytes("plaintext.b64"));
    // JSON output.
    let o = decrypt_fixture(&["--format", "json", fixture("aescbc.b64").to_str().unwrap()]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["metadata"]["uid"], "72dfe5c4-1456-4239-b1ed-adffa2f1f7ba");
    assert_eq!(v["data"]["api_key"], "8J+kl/CfkLw=");
}

#[test]
fn upstream_vector_a_decrypts() {
    // TestGCMLegacyDataCompatibility: key "snorlax_awesomes", AAD "bamboo".
    let fx = Fx::new();
    let cfg = fx.config("  - aesgcm: {keys: [{name: k, secret: c25vcmxheF9hd2Vzb21lcw==}]}\n");
    let mut value = b"k8s:enc:aesgcm:v1:k:".to_vec();
    value.extend(b64(
        "nyfI/OqKWMRn2OQ32/LYWVX5tL2RL075Z9eIoMsHeX2sCj8KCEVgXKhayFYrSuE=",
    ));
    let input = fx.write("a.bin", &value);
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        "bamboo",
        "--format",
        "raw",
        &input,
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "pandas are the best");
    // The same value under another etcd key does not authenticate.
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        "/registry/secrets/x/y",
        &input,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("aes-gcm: message authentication failed"),
        "{}",
        err(&o)
    );
}

#[test]
fn upstream_vector_b_decrypts_inside_a_kms_v2_value() {
    // TestExtendedNonceGCMLegacyDataCompatibility's seed and payload, as the encryptedData of a
    // seed-mode EncryptedObject whose seed is wrapped by the fixture KEK `kek-1`.
    let seed = b64("XUAyOoIP+VVhZ147legYZ8X91WHTWoii0IsIqp1Pz1w=");
    let payload: Vec<u8> = (0..158)
        .step_by(2)
        .map(|i| {
            let hex = "2442759e33945fbad709db577a0f037fd8a709fc76979b8942209debcecb9d57efe3d6ff6a1ef6ee9a5003b9833b3043cec1e47b35175b151107a8d2416b0e296bbf66b5d102fcefdf9a78f293d271";
            u8::from_str_radix(&hex[i..i + 2], 16).unwrap()
        })
        .collect();
    let kek: Vec<u8> = (0u8..32).collect();
    let nonce = [7u8; 12];
    let wrapped = [
        nonce.as_slice(),
        &crypto::aes_gcm_seal(&kek, &nonce, b"kek-1", &seed).unwrap(),
    ]
    .concat();
    let object = EncryptedObject {
        encrypted_data: &payload,
        key_id: "kek-1",
        encrypted_dek_source: &wrapped,
        annotations: vec![],
        dek_source_type: 1,
        spans: vec![],
    };
    let value = [b"k8s:enc:kms:v2:vault:".as_slice(), &object.encode()].concat();
    let fx = Fx::new();
    let input = fx.write("b.bin", &value);
    let cfg = fixture("encryption.yaml");
    let kek_file = fixture("kek.yaml");
    let args = [
        "envelope",
        "decrypt",
        "--config",
        cfg.to_str().unwrap(),
        "--kek",
        kek_file.to_str().unwrap(),
        "--etcd-key",
        "bamboo",
        "--format",
        "raw",
        &input,
    ];
    let o = run(&args);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), "pandas are the best");
}

/// Encrypt MANIFEST with `providers`, check the value's prefix, decrypt it back.
fn round_trip(fx: &Fx, providers: &str, prefix: &str, extra: &[&str]) -> Vec<u8> {
    let cfg = fx.config(providers);
    let kek = fixture("kek.yaml");
    let manifest = fx.write("secret.yaml", MANIFEST);
    let mut args = vec![
        "envelope",
        "encrypt",
        "--config",
        &cfg,
        "--kek",
        kek.to_str().unwrap(),
        "--etcd-key",
        DB_KEY,
    ];
    args.extend_from_slice(extra);
    args.push(&manifest);
    let o = run(&args);
    assert_eq!(code(&o), 0, "{providers}: {}", err(&o));
    let value = b64(out(&o).trim());
    assert!(
        value.starts_with(prefix.as_bytes()),
        "{providers}: {}",
        String::from_utf8_lossy(&value)
    );
    let input = fx.write("value.bin", &value);
    let mut args = vec![
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--kek",
        kek.to_str().unwrap(),
        "--etcd-key",
        DB_KEY,
    ];
    // Reads expect the KMS v2 mode that writes (else the value is reported stale).
    if let Some(i) = extra.iter().position(|a| *a == "--kms-v2-mode") {
        args.extend_from_slice(&extra[i..i + 2]);
    }
    args.push(&input);
    let o = run(&args);
    assert_eq!(code(&o), 0, "{providers}: {}", err(&o));
    assert_eq!(out(&o), MANIFEST_YAML, "{providers}");
    assert!(!err(&o).contains("stale"), "{providers}: {}", err(&o));
    value
}

#[test]
fn round_trips_every_provider() {
    let fx = Fx::new();
    let v = round_trip(&fx, "  - aesgcm: {keys: [{name: key1, secret: QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=}]}\n", "k8s:enc:aesgcm:v1:key1:", &[]);
    let plaintext_len = v.len() - "k8s:enc:aesgcm:v1:key1:".len() - 28;
    let v = round_trip(
        &fx,
        "  - aescbc: {keys: [{name: key1, secret: YGFiY2RlZmdoaWprbG1ubw==}]}\n",
        "k8s:enc:aescbc:v1:key1:",
        &[],
    );
    assert_eq!(
        v.len() - "k8s:enc:aescbc:v1:key1:".len(),
        16 + (plaintext_len / 16 + 1) * 16
    );
    let v = round_trip(&fx, "  - secretbox: {keys: [{name: key1, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}\n", "k8s:enc:secretbox:v1:key1:", &[]);
    assert_eq!(
        v.len() - "k8s:enc:secretbox:v1:key1:".len(),
        24 + 16 + plaintext_len
    );
    let v = round_trip(
        &fx,
        "  - kms: {name: legacy, endpoint: unix:///k.sock}\n",
        "k8s:enc:kms:v1:legacy:",
        &[],
    );
    // uint16 BE length 60: nonce(12) + wrapped DEK(32) + tag(16).
    assert_eq!(&v[22..24], &[0, 60]);
    let v = round_trip(
        &fx,
        "  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k.sock}\n",
        "k8s:enc:kms:v2:vault:",
        &[],
    );
    let o = EncryptedObject::decode(&v[21..]).expect("EncryptedObject");
    assert_eq!((o.key_id, o.dek_source_type), ("kek-1", 1));
    assert_eq!(o.encrypted_data.len(), 32 + 12 + plaintext_len + 16);
    let v = round_trip(
        &fx,
        "  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k.sock}\n",
        "k8s:enc:kms:v2:vault:",
        &["--kms-v2-mode", "key"],
    );
    let o = EncryptedObject::decode(&v[21..]).expect("EncryptedObject");
    assert_eq!(o.dek_source_type, 0);
    assert_eq!(&o.encrypted_data[4..12], &1_000_000_001u64.to_le_bytes());
    let v = round_trip(&fx, "  - identity: {}\n", "k8s\x00", &[]);
    assert_eq!(v.len(), plaintext_len);
    // JSON storage: compact JSON and a newline, in the Go field order.
    let v = round_trip(&fx, "  - identity: {}\n", "{\"kind\":\"Secret\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"db\",\"namespace\":\"app\",\"creationTimestamp\":null,\"labels\":{\"tier\":\"data\"}}", &["--storage-encoding", "json"]);
    assert!(
        v.ends_with(b"\"type\":\"Opaque\"}\n"),
        "{}",
        String::from_utf8_lossy(&v)
    );
    // Two random writes never produce the same value.
    let a = round_trip(&fx, "  - aesgcm: {keys: [{name: key1, secret: QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=}]}\n", "k8s:enc:aesgcm:v1:key1:", &[]);
    let b = round_trip(&fx, "  - aesgcm: {keys: [{name: key1, secret: QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=}]}\n", "k8s:enc:aesgcm:v1:key1:", &[]);
    assert_ne!(a, b);
}

#[test]
fn encrypt_writes_what_the_apiserver_stores() {
    // Decrypt the upstream Secret to YAML, encrypt the YAML with identity: the protobuf bytes
    // are the apiserver's, except for ObjectMeta field 15 (`clusterName`, 7a 00), which the
    // 2019 apiserver still wrote and current versions no longer have.
    let fx = Fx::new();
    let o = decrypt_fixture(&[fixture("plaintext.b64").to_str().unwrap()]);
    let yaml = fx.write("upstream.yaml", out(&o));
    let cfg = fx.config("  - identity: {}\n");
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        &cfg,
        "--etcd-key",
        KEY,
        "--output-encoding",
        "raw",
        &yaml,
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let mut expected = fixture_bytes("plaintext.b64");
    let at = expected
        .windows(4)
        .position(|w| w == [0x10, 0x00, 0x7a, 0x00])
        .expect("clusterName")
        + 2;
    expected.drain(at..at + 2);
    // The enclosing lengths shrink by 2: Unknown.raw (0x7e) and Secret.metadata (0x5f).
    assert_eq!((expected[19], expected[21]), (0x7e, 0x5f));
    expected[19] -= 2;
    expected[21] -= 2;
    assert_eq!(o.stdout, expected);
}

#[test]
fn wrong_keys_are_clear_errors() {
    let fx = Fx::new();
    // aesgcm and secretbox keys of the right size but the wrong value.
    let cfg = fx.config("  - aesgcm: {keys: [{name: key1, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}\n");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        KEY,
        fixture("aesgcm.b64").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert_eq!(
        err(&o),
        format!("error: cannot decrypt {KEY}: no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)\n")
    );
    // aescbc with a wrong key: garbage, which the padding check usually catches.
    let cfg = fx.config("  - aescbc: {keys: [{name: key1, secret: c2VjcmV0IGlzIHNlY3VyZQ==}]}\n");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        KEY,
        fixture("aescbc.b64").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("aescbc key `key1`: aes-cbc: invalid"),
        "{}",
        err(&o)
    );
    // A key name the config does not have.
    let cfg = fx.config("  - aescbc: {keys: [{name: key2, secret: YGFiY2RlZmdoaWprbG1ubw==}]}\n");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        KEY,
        fixture("aescbc.b64").to_str().unwrap(),
    ]);
    assert!(err(&o).contains("resources[0].providers[0] aescbc: no matching key was found for the provided AES transformer"), "{}", err(&o));
    // A provider the resource does not use: no matching prefix, with a hint.
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        KEY,
        fixture("kms-v2-seed.b64").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("no matching prefix found among the providers of `secrets`: the value is kms v2 data with provider name `vault`, which no provider has"), "{}", err(&o));
    // KMS without a KEK file, and with a KEK file that lacks the key id.
    let enc = fixture("encryption.yaml");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        enc.to_str().unwrap(),
        "--etcd-key",
        KEY,
        fixture("kms-v2-seed.b64").to_str().unwrap(),
    ]);
    assert!(
        err(&o).contains("kms v2 `vault`: a KMS provider needs the KMS: give a KEK file (--kek)"),
        "{}",
        err(&o)
    );
    let other = fx.write("kek.yaml", "providers:\n- name: vault\n  keys:\n  - {id: kek-2, secret: AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=}\n");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        enc.to_str().unwrap(),
        "--kek",
        &other,
        "--etcd-key",
        KEY,
        fixture("kms-v2-seed.b64").to_str().unwrap(),
    ]);
    assert!(
        err(&o).contains(
            "KMS: the KEK file has no key with id `kek-1` for provider `vault` (it has: kek-2)"
        ),
        "{}",
        err(&o)
    );
    // The right id with the wrong secret.
    let wrong = fx.write("kek2.yaml", "providers:\n- name: vault\n  keys:\n  - {id: kek-1, secret: ICEiIyQlJicoKSorLC0uLzAxMjM0NTY3ODk6Ozw9Pj8=}\n");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        enc.to_str().unwrap(),
        "--kek",
        &wrong,
        "--etcd-key",
        KEY,
        fixture("kms-v2-seed.b64").to_str().unwrap(),
    ]);
    assert!(
        err(&o).contains("the wrapped DEK does not open with KEK `kek-1` of provider `vault`"),
        "{}",
        err(&o)
    );
}

#[test]
fn tampering() {
    let fx = Fx::new();
    let prefix = "k8s:enc:aesgcm:v1:key1:".len();
    // aesgcm: any flipped bit fails authentication.
    for at in [
        prefix,
        prefix + 12 + 3,
        fixture_bytes("aesgcm.b64").len() - 1,
    ] {
        let mut v = fixture_bytes("aesgcm.b64");
        v[at] ^= 1;
        let input = fx.write("t.bin", &v);
        let o = decrypt_fixture(&[&input]);
        assert_eq!(code(&o), 2, "{at}");
        assert!(
            err(&o).contains("aes-gcm: message authentication failed"),
            "{at}: {}",
            err(&o)
        );
    }
    // aescbc does not notice: a flipped IV bit flips the same bit of the first plaintext block
    // and the value decrypts "fine" (here `v1` becomes `w1`).
    let mut v = fixture_bytes("aescbc.b64");
    v[prefix + 8] ^= 1;
    let input = fx.write("iv.bin", &v);
    let o = decrypt_fixture(&["--format", "raw", &input]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let mut expected = fixture_bytes("plaintext.b64");
    expected[8] ^= 1;
    assert_eq!(o.stdout, expected);
    let o = decrypt_fixture(&[&input]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("decrypted, but the object is `Secret` `w1`, not a `Secret` `v1`"),
        "{}",
        err(&o)
    );
    // A flipped bit in the last block garbles the padding.
    let mut v = fixture_bytes("aescbc.b64");
    let n = v.len();
    v[n - 20] ^= 1;
    let input = fx.write("last.bin", &v);
    let o = decrypt_fixture(&[&input]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("aescbc key `key1`: aes-cbc: invalid padding on input"),
        "{}",
        err(&o)
    );
    // secretbox authenticates.
    let cfg = fx.config("  - secretbox: {keys: [{name: key1, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}\n");
    let manifest = fx.write("s.yaml", MANIFEST);
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        &cfg,
        "--etcd-key",
        DB_KEY,
        "--output-encoding",
        "raw",
        &manifest,
    ]);
    let mut v = o.stdout.clone();
    v[40] ^= 1;
    let input = fx.write("sb.bin", &v);
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        DB_KEY,
        &input,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("secretbox: message authentication failed"),
        "{}",
        err(&o)
    );
    // KMS v2: a flipped byte in the wrapped seed fails at the KEK.
    let mut v = fixture_bytes("kms-v2-seed.b64");
    let n = v.len();
    v[n - 40] ^= 1;
    let input = fx.write("kms.bin", &v);
    let o = decrypt_fixture(&[&input]);
    assert_eq!(code(&o), 2);
    // Truncated values.
    let v = fixture_bytes("aesgcm.b64");
    let input = fx.write("short.bin", &v[..prefix + 20]);
    let o = decrypt_fixture(&[&input]);
    assert!(
        err(&o)
            .contains("aesgcm payload is truncated: the AES-GCM tag needs 16 bytes, only 8 left"),
        "{}",
        err(&o)
    );
    let v = fixture_bytes("kms-v2-seed.b64");
    let input = fx.write("short2.bin", &v[..60]);
    let o = decrypt_fixture(&[&input]);
    assert!(
        err(&o).contains(
            "kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 0"
        ),
        "{}",
        err(&o)
    );
}

#[test]
fn inspect_shows_the_layout_without_keys() {
    let o = run(&[
        "envelope",
        "inspect",
        fixture("kms-v2-seed.b64").to_str().unwrap(),
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let text = out(&o);
    let expected_rows = [
        "     0      15  prefix                            k8s:enc:kms:v2:",
        "    15       6  provider name                     \"vault\" (followed by `:`)",
        "    21       3    field 1 encryptedData           tag 0x0a, 210 bytes",
        "    24      32      HKDF info                     c0c1c2c3c4c5c6c7c8c9cacbcccdcecfd0d1d2d3d4d5d6d7d8d9dadbdcdddedf",
        "    56      12      nonce                         e0e1e2e3e4e5e6e7e8e9eaeb",
        "    68     150      ciphertext                    150 bytes (= the plaintext's length)",
        "   218      16      tag                           510dcfcdfe11481cd5b4c1839b5ddc1f",
        "   234       7    field 2 keyID                   \"kek-1\"",
        "   241       2    field 3 encryptedDEKSource      tag 0x1a, 60 bytes",
        "   243      60      wrapped                       the seed, encrypted by the KMS plugin",
        "   303      30    field 4 annotations             version.kms.example.com=\"1\"",
        "   333       2    field 5 encryptedDEKSourceType  1 (HKDF_SHA256_XNONCE_AES_GCM_SEED)",
    ];
    for row in expected_rows {
        assert!(
            text.contains(&format!("{row}\n")),
            "missing {row:?} in\n{text}"
        );
    }
    assert!(
        text.starts_with("input: 449 bytes, base64\nformat: kms v2\nlength: 335 bytes\n"),
        "{text}"
    );
    // JSON, for front ends.
    let o = run(&[
        "envelope",
        "inspect",
        "--format",
        "json",
        fixture("aescbc.b64").to_str().unwrap(),
    ]);
    let v: serde_json::Value = serde_json::from_slice(&o.stdout).expect("json");
    assert_eq!(v["format"], "aescbc");
    assert_eq!(v["input_encoding"], "base64");
    assert_eq!(v["segments"][2]["label"], "IV");
    assert_eq!(
        v["segments"][2]["detail"],
        "b0b1b2b3b4b5b6b7b8b9babbbcbdbebf"
    );
    // Plaintext: names of data keys, never their values.
    let o = run(&[
        "envelope",
        "inspect",
        fixture("plaintext.b64").to_str().unwrap(),
    ]);
    let text = out(&o);
    assert!(
        text.contains("note: data keys (values not shown): api_key (8 bytes)"),
        "{text}"
    );
    assert!(!text.contains("8J+kl"), "{text}");
    // Malformed: exit 2 with the reason.
    let o = run_stdin(
        &["envelope", "inspect", "--input-encoding", "raw", "-"],
        b"k8s:enc:aescbc:v1:key1:short",
    );
    assert_eq!(code(&o), 2);
    assert!(
        out(&o).contains(
            "error: aescbc payload is truncated: the AES-CBC IV needs 16 bytes, only 5 left"
        ),
        "{}",
        out(&o)
    );
}

#[test]
fn input_and_output_encodings() {
    let fx = Fx::new();
    let raw = fixture_bytes("aesgcm.b64");
    let hex: String = raw.iter().map(|b| format!("{b:02x}")).collect();
    let etcdctl = format!(
        r#"{{"header":{{"cluster_id":1,"member_id":2,"revision":9,"raft_term":3}},"kvs":[{{"key":"{}","create_revision":9,"mod_revision":9,"version":1,"value":"{}"}}],"count":1}}"#,
        base64::engine::general_purpose::STANDARD.encode(KEY),
        base64::engine::general_purpose::STANDARD.encode(&raw)
    );
    let with_newline = [raw.as_slice(), b"\n"].concat();
    let cfg = fixture("encryption.yaml");
    let cfg = cfg.to_str().unwrap();
    for (name, input, key) in [
        ("raw", raw.clone(), true),
        ("etcdctl --print-value-only", with_newline.clone(), true),
        ("hex", hex.clone().into_bytes(), true),
        ("etcdctl -w json", etcdctl.clone().into_bytes(), false),
    ] {
        let mut args = vec!["envelope", "decrypt", "--config", cfg];
        if key {
            args.extend(["--etcd-key", KEY]);
        }
        args.push("-");
        let o = run_stdin(&args, &input);
        assert_eq!(code(&o), 0, "{name}: {}", err(&o));
        assert_eq!(out(&o), UPSTREAM_YAML, "{name}");
    }
    // Explicit encodings.
    let o = run_stdin(
        &[
            "envelope",
            "decrypt",
            "--config",
            cfg,
            "--etcd-key",
            KEY,
            "--input-encoding",
            "hex",
        ],
        hex.as_bytes(),
    );
    assert_eq!(code(&o), 0, "{}", err(&o));
    let o = run_stdin(
        &[
            "envelope",
            "decrypt",
            "--config",
            cfg,
            "--etcd-key",
            KEY,
            "--input-encoding",
            "raw",
        ],
        &with_newline,
    );
    assert_eq!(code(&o), 2, "raw keeps the newline, which breaks the tag");
    let o = run_stdin(
        &[
            "envelope",
            "decrypt",
            "--config",
            cfg,
            "--etcd-key",
            KEY,
            "--input-encoding",
            "base64",
        ],
        b"!!!",
    );
    assert_eq!(
        (code(&o), err(&o)),
        (2, "error: the input is not valid base64\n".to_string())
    );
    // The etcd key in etcdctl JSON must agree with --etcd-key.
    let o = run_stdin(
        &[
            "envelope",
            "decrypt",
            "--config",
            cfg,
            "--etcd-key",
            "/registry/secrets/a/b",
        ],
        etcdctl.as_bytes(),
    );
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("differs from the key in the etcdctl output"),
        "{}",
        err(&o)
    );
    // Output encodings of encrypt: base64 (default), hex, raw, to a file.
    let id = fx.config("  - identity: {}\n");
    let manifest = fx.write("s.yaml", MANIFEST);
    let enc = |extra: &[&str]| {
        let mut a = vec!["envelope", "encrypt", "--config", &id, "--etcd-key", DB_KEY];
        a.extend_from_slice(extra);
        a.push(&manifest);
        run(&a)
    };
    let raw_out = enc(&["--output-encoding", "raw"]).stdout;
    assert!(raw_out.starts_with(b"k8s\x00"));
    let hex_out = out(&enc(&["--output-encoding", "hex"]));
    assert!(hex_out.starts_with("6b387300") && hex_out.ends_with('\n'));
    assert_eq!(b64(out(&enc(&[])).trim()), raw_out);
    let path = fx.dir.path().join("value.bin");
    let o = enc(&["--output-encoding", "raw", "-o", path.to_str().unwrap()]);
    assert_eq!((code(&o), out(&o)), (0, String::new()));
    assert_eq!(std::fs::read(&path).unwrap(), raw_out);
}

#[test]
fn usage_and_input_errors() {
    let fx = Fx::new();
    let cfg = fixture("encryption.yaml");
    let cfg = cfg.to_str().unwrap();
    let value = fixture("aesgcm.b64");
    let value = value.to_str().unwrap();
    let o = run(&["envelope", "decrypt", "--config", cfg, value]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).starts_with("error: --etcd-key is required"),
        "{}",
        err(&o)
    );
    let o = run(&["envelope", "decrypt", "--etcd-key", KEY, value]);
    assert_eq!(code(&o), 2, "--config is required");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        "/nonexistent.yaml",
        "--etcd-key",
        KEY,
        value,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("--config: cannot read /nonexistent.yaml"),
        "{}",
        err(&o)
    );
    let bad = fx.write("bad.yaml", "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm: {keys: [{name: k, secret: c2hvcnQ=}]}\n");
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &bad,
        "--etcd-key",
        KEY,
        value,
    ]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("resources[0].providers[0]: aesgcm.keys[0]: key `k` is 5 bytes; aesgcm keys must be 16, 24, 32 bytes"), "{}", err(&o));
    let not_config = fx.write(
        "pod.yaml",
        "apiVersion: v1\nkind: Pod\nmetadata: {name: p}\n",
    );
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &not_config,
        "--etcd-key",
        KEY,
        value,
    ]);
    assert!(
        err(&o).contains("no `kind: EncryptionConfiguration`"),
        "{}",
        err(&o)
    );
    let bad_kek = fx.write(
        "kek.yaml",
        "providers:\n- name: vault\n  keys:\n  - {id: k, secret: c2hvcnQ=}\n",
    );
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        cfg,
        "--kek",
        &bad_kek,
        "--etcd-key",
        KEY,
        value,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("providers[0].keys[0]: `secret` is 5 bytes; a KEK is 32 bytes (AES-256)"),
        "{}",
        err(&o)
    );
    // encrypt: a non-Secret, several documents, a Secret with an invalid field, no KEK for KMS.
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        cfg,
        "--etcd-key",
        KEY,
        &not_config,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("the object is `Pod` `v1`, not a `Secret` `v1`"),
        "{}",
        err(&o)
    );
    let two = fx.write("two.yaml", format!("{MANIFEST}---\n{MANIFEST}"));
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        cfg,
        "--etcd-key",
        KEY,
        &two,
    ]);
    assert!(
        err(&o).contains("the input holds 2 documents; encrypt one Secret at a time"),
        "{}",
        err(&o)
    );
    let o = run(&["envelope", "encrypt", "--config", cfg, &two]);
    assert!(err(&o).contains("--etcd-key is required"), "{}", err(&o));
    let kms_first = fx.config("  - kms: {apiVersion: v2, name: vault, endpoint: unix:///k.sock}\n");
    let manifest = fx.write("s.yaml", MANIFEST);
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        &kms_first,
        "--etcd-key",
        DB_KEY,
        &manifest,
    ]);
    assert_eq!(code(&o), 2);
    assert!(err(&o).contains("cannot encrypt with resources[0].providers[0] (kms v2 `vault`): a KMS provider needs the KMS"), "{}", err(&o));
    // Help documents the KEK file.
    let o = run(&["envelope", "decrypt", "--help"]);
    assert!(out(&o).contains("kind: LocalKMS"), "{}", out(&o));
}

#[test]
fn encrypt_fills_namespace_and_name_from_the_etcd_key() {
    let fx = Fx::new();
    let id = fx.config("  - identity: {}\n");
    let manifest = fx.write(
        "s.yaml",
        "apiVersion: v1\nkind: Secret\nstringData: {a: b}\n",
    );
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        &id,
        "--etcd-key",
        DB_KEY,
        "--output-encoding",
        "raw",
        &manifest,
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    let value = fx.write("v.bin", &o.stdout);
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &id,
        "--etcd-key",
        DB_KEY,
        &value,
    ]);
    assert_eq!(
        out(&o),
        "apiVersion: v1\ndata:\n  a: Yg==\nkind: Secret\nmetadata:\n  creationTimestamp: null\n  name: db\n  namespace: app\ntype: Opaque\n"
    );
    // A Secret named differently from its key gets a warning.
    let other = fx.write(
        "o.yaml",
        "apiVersion: v1\nkind: Secret\nmetadata: {name: other, namespace: app}\n",
    );
    let o = run(&[
        "envelope",
        "encrypt",
        "--config",
        &id,
        "--etcd-key",
        DB_KEY,
        &other,
    ]);
    assert_eq!(code(&o), 0);
    assert!(
        err(&o).contains("the Secret is app/other but the etcd key names app/db"),
        "{}",
        err(&o)
    );
}

#[test]
fn the_resource_picks_the_providers() {
    // Secrets use aesgcm, ConfigMaps secretbox; a JSON-stored ConfigMap encrypted for
    // configmaps reads with --resource configmaps (or an etcd key under /registry/configmaps/),
    // not with the providers of secrets.
    use secrets_guard_core::envelope::{config, rw};
    let text = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - aesgcm: {keys: [{name: key1, secret: QEFCQ0RFRkdISUpLTE1OT1BRUlNUVVZXWFlaW1xdXl8=}]}\n- resources: [configmaps]\n  providers:\n  - secretbox: {keys: [{name: cm, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}\n";
    let fx = Fx::new();
    let cfg = fx.write("config.yaml", text);
    let providers = config::providers_for(text, "", "configmaps").expect("config");
    let cm = b"{\"kind\":\"ConfigMap\",\"apiVersion\":\"v1\",\"metadata\":{\"name\":\"settings\",\"namespace\":\"app\"},\"data\":{\"LOG_LEVEL\":\"info\"}}\n";
    let cm_key = "/registry/configmaps/app/settings";
    let mut rng = |b: &mut [u8]| {
        b.fill(3);
        Ok(())
    };
    let value = rw::write(
        &providers.providers[0],
        None,
        cm_key.as_bytes(),
        cm,
        &rw::Options::default(),
        &mut rng,
    )
    .expect("write");
    assert!(value.starts_with(b"k8s:enc:secretbox:v1:cm:"));
    let input = fx.write("cm.bin", &value);
    let expected = "apiVersion: v1\ndata:\n  LOG_LEVEL: info\nkind: ConfigMap\nmetadata:\n  name: settings\n  namespace: app\n";
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        cm_key,
        &input,
    ]);
    assert_eq!(code(&o), 0, "{}", err(&o));
    assert_eq!(out(&o), expected);
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        "/custom/cm",
        "--resource",
        "configmaps",
        &input,
    ]);
    // secretbox has no AAD: the value is not bound to its etcd key (aesgcm and KMS are).
    assert_eq!(
        (code(&o), out(&o)),
        (0, expected.to_string()),
        "{}",
        err(&o)
    );
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        "/custom/cm",
        "--resource",
        "configmaps",
        "--format",
        "raw",
        &input,
    ]);
    assert_eq!(o.stdout, cm);
    // Read as a Secret: the providers of secrets do not match; the hint names the entry.
    let o = run(&[
        "envelope",
        "decrypt",
        "--config",
        &cfg,
        "--etcd-key",
        "/custom/cm",
        "--resource",
        "secrets",
        &input,
    ]);
    assert_eq!(code(&o), 2);
    assert!(
        err(&o).contains("no matching prefix found among the providers of `secrets`: the value was written by resources[1].providers[0] (secretbox key `cm`), which does not apply to `secrets`"),
        "{}",
        err(&o)
    );
}
