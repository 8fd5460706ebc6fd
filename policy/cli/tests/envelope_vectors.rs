//! `secrets-guard envelope decrypt` on the known-answer vectors of
//! `tests/fixtures/envelope/vectors.json` (every provider), and a few of their failure cases:
//! exit code 2 and the exact message, never a crash.

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use base64::Engine;
use serde_json::Value;

const BIN: &str = env!("CARGO_BIN_EXE_secrets-guard");
const FILE: &str = include_str!("../../../tests/fixtures/envelope/vectors.json");

fn unb64(s: &str) -> Vec<u8> {
    base64::engine::general_purpose::STANDARD
        .decode(s)
        .expect("base64")
}

fn vectors() -> Value {
    serde_json::from_str(FILE).expect("vectors.json")
}

fn vector<'a>(f: &'a Value, id: &str) -> &'a Value {
    f["vectors"]
        .as_array()
        .unwrap()
        .iter()
        .find(|v| v["id"] == id)
        .unwrap_or_else(|| panic!("no vector {id}"))
}

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
        let p: PathBuf = self.dir.path().join(name);
        std::fs::write(&p, content).expect("write");
        p.to_string_lossy().into_owned()
    }

    /// `envelope decrypt` of `value` with the vector's provider, the fixture's KEK file (or
    /// `kek`), and `etcd_key`.
    fn decrypt(
        &self,
        v: &Value,
        kek: &str,
        etcd_key: &str,
        value: &[u8],
        extra: &[&str],
    ) -> Output {
        let config = self.write(
            "config.yaml",
            format!(
                "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - {}\n",
                v["provider"].as_str().unwrap()
            ),
        );
        let kek = self.write("kek.yaml", kek);
        let input = self.write("value.bin", value);
        let mode = v["kms_v2_mode"].as_str().unwrap_or("seed");
        let mut args = vec![
            "envelope",
            "decrypt",
            "--config",
            &config,
            "--kek",
            &kek,
            "--etcd-key",
            etcd_key,
            "--kms-v2-mode",
            mode,
            "--input-encoding",
            "raw",
        ];
        args.extend_from_slice(extra);
        args.push(&input);
        Command::new(BIN)
            .args(&args)
            .stdin(Stdio::null())
            .output()
            .expect("run")
    }
}

fn stderr(o: &Output) -> String {
    String::from_utf8_lossy(&o.stderr).into_owned()
}

/// The vectors' Secret as `envelope decrypt` prints it.
const SECRET_YAML: &str = "\
apiVersion: v1
data:
  password: czNjcjN0
  username: YWRtaW4=
kind: Secret
metadata:
  creationTimestamp: \"2026-01-15T09:30:00Z\"
  labels:
    app: billing
  name: db-credentials
  namespace: prod
  uid: 3f1c6a0e-8d2b-4c59-9a7e-2b5d1f0c4e81
type: Opaque
";

#[test]
fn every_vector_decrypts_with_the_cli() {
    let f = vectors();
    let kek = f["kek_file"].as_str().unwrap();
    let fx = Fx::new();
    let mut n = 0;
    for v in f["vectors"].as_array().unwrap() {
        let id = v["id"].as_str().unwrap();
        let key = v["etcd_key"].as_str().unwrap();
        let value = unb64(v["value_b64"].as_str().unwrap());
        let o = fx.decrypt(v, kek, key, &value, &["--format", "raw"]);
        assert_eq!(o.status.code(), Some(0), "{id}: {}", stderr(&o));
        assert!(
            o.stdout == unb64(v["plaintext_b64"].as_str().unwrap()),
            "{id}: another plaintext"
        );
        assert!(!stderr(&o).contains("stale"), "{id}: {}", stderr(&o));
        if v["plaintext_is"] != "text" {
            let o = fx.decrypt(v, kek, key, &value, &[]);
            assert_eq!(o.status.code(), Some(0), "{id}: {}", stderr(&o));
            assert_eq!(String::from_utf8_lossy(&o.stdout), SECRET_YAML, "{id}");
        }
        n += 1;
    }
    assert_eq!(n, 10);
}

#[test]
fn failures_of_the_vectors_are_clear_cli_errors() {
    let f = vectors();
    let kek = f["kek_file"].as_str().unwrap();
    let fx = Fx::new();
    let key = "/registry/secrets/prod/db-credentials";
    let value = |v: &Value| unb64(v["value_b64"].as_str().unwrap());
    let fails = |o: Output, expected: &str| {
        assert_eq!(o.status.code(), Some(2), "{}", stderr(&o));
        assert!(o.stdout.is_empty());
        assert_eq!(
            stderr(&o),
            format!("error: cannot decrypt {key}: {expected}\n")
        );
    };

    // aesgcm: a flipped ciphertext byte.
    let v = vector(&f, "aesgcm");
    let mut t = value(v);
    t[40] ^= 1;
    fails(
        fx.decrypt(v, kek, key, &t, &[]),
        "no provider could read the value:\n  resources[0].providers[0] aesgcm key `key1`: aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)",
    );
    // aescbc: a flipped last byte breaks the padding; another etcd key goes unnoticed.
    let v = vector(&f, "aescbc");
    let mut t = value(v);
    let n = t.len();
    t[n - 1] ^= 1;
    fails(
        fx.decrypt(v, kek, key, &t, &[]),
        "no provider could read the value:\n  resources[0].providers[0] aescbc key `key1`: aes-cbc: invalid padding on input: wrong key or tampered data",
    );
    let o = fx.decrypt(v, kek, "/registry/secrets/prod/other", &value(v), &[]);
    assert_eq!(o.status.code(), Some(0), "{}", stderr(&o));
    // KMS v2 key mode truncated inside the protobuf.
    let v = vector(&f, "kms-v2-key");
    let t = value(v);
    fails(
        fx.decrypt(v, kek, key, &t[..t.len() - 16], &[]),
        "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: kms v2 EncryptedObject is not valid protobuf: truncated protobuf field at byte 206",
    );
    // KMS v2 seed mode with another KEK under the same id.
    let v = vector(&f, "kms-v2-seed");
    let wrong = kek.replace(
        "AAECAwQFBgcICQoLDA0ODxAREhMUFRYXGBkaGxwdHh8=",
        "7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u7u4=",
    );
    fails(
        fx.decrypt(v, &wrong, key, &value(v), &[]),
        "no provider could read the value:\n  resources[0].providers[0] kms v2 `demo-kms`: KMS: the wrapped DEK does not open with KEK `kek-1` of provider `demo-kms` (authentication failed)",
    );
    // KMS v1 under another etcd key.
    let v = vector(&f, "kms-v1");
    let o = fx.decrypt(v, kek, "/registry/secrets/prod/other", &value(v), &[]);
    assert_eq!(o.status.code(), Some(2));
    assert_eq!(
        stderr(&o),
        "error: cannot decrypt /registry/secrets/prod/other: no provider could read the value:\n  resources[0].providers[0] kms v1 `legacy`: neither AES-GCM (aes-gcm: message authentication failed (wrong key, wrong etcd key, or tampered data)) nor legacy AES-CBC (aescbc ciphertext is 180 bytes, not a non-zero multiple of the 16-byte block size) reads the data\n"
    );
}
