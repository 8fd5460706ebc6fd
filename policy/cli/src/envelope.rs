//! `secrets-guard envelope`: decrypt, encrypt and inspect the values kube-apiserver stores in
//! etcd, with the core's `envelope` module (layouts, read order, RustCrypto primitives). This
//! file only reads files, draws random bytes and prints.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};

use clap::{Args, Subcommand, ValueEnum};
use secrets_guard_core::envelope::config::{self, ResourceProviders};
use secrets_guard_core::envelope::encoding::{self, InputEncoding, OutputEncoding};
use secrets_guard_core::envelope::inspect;
use secrets_guard_core::envelope::kek::KekFile;
use secrets_guard_core::envelope::kmsv2::DekSourceType;
use secrets_guard_core::envelope::rw::{self, KmsService, Options};
use secrets_guard_core::envelope::storage::{self, Secret, Stored};
use secrets_guard_core::envelope::yaml_out;
use secrets_guard_core::rules::enc::model::parse_group_resource;
use secrets_guard_core::yaml::{parse_documents, Limits};

/// Largest input read (etcd's default request limit is 1.5 MiB).
const MAX_INPUT: u64 = 64 * 1024 * 1024;

pub const ENVELOPE_AFTER_HELP: &str = "\
Decrypt and inspect what kube-apiserver stores in etcd, and write values it can read, byte for
byte in its formats: k8s:enc:aesgcm:v1:, k8s:enc:aescbc:v1:, k8s:enc:secretbox:v1:,
k8s:enc:kms:v1:, k8s:enc:kms:v2: (seed and key mode), and plaintext (identity).

Examples:
  etcdctl get /registry/secrets/default/db --print-value-only \\
    | secrets-guard envelope decrypt --config encryption.yaml --etcd-key /registry/secrets/default/db
  etcdctl get /registry/secrets/default/db -w json \\
    | secrets-guard envelope decrypt --config encryption.yaml --kek kek.yaml
  secrets-guard envelope encrypt --config encryption.yaml --etcd-key /registry/secrets/default/db \\
    --output-encoding raw secret.yaml | etcdctl put /registry/secrets/default/db
  secrets-guard envelope inspect value.b64

Exit status: 0 success, 2 usage or input error (unreadable, malformed or undecryptable value,
invalid configuration or KEK file).";

pub const KEK_HELP: &str = "\
The KEK file stands in for the KMS plugin of `kms` providers (KMS v1 and v2):

  apiVersion: secrets-guard.io/v1alpha1   # optional
  kind: LocalKMS                          # optional
  providers:
  - name: vault          # the kms provider's `name` in the EncryptionConfiguration
    keys:                # the first key wraps new DEKs and seeds
    - id: kek-2025-01    # KMS v2 keyID written to the value; selects the key on read
      secret: <base64 of 32 random bytes, e.g. `head -c 32 /dev/urandom | base64`>
      annotations:       # optional, KMS v2: EncryptedObject.annotations (DNS-name keys)
        version.kms.example.com: \"1\"

A key wraps a DEK or seed as nonce(12) || AES-256-GCM(KEK, nonce, DEK or seed, AAD = id), the
layout of the upstream KMS v2 mock plugin. KMS v2 values name their key by keyID; KMS v1 values
do not, so every key of the provider is tried.";

/// `secrets-guard envelope` subcommands.
#[derive(Subcommand)]
pub enum EnvelopeCommand {
    /// Decrypt an etcd value and print the Secret (as `kubectl get -o yaml` would).
    #[command(after_help = KEK_HELP)]
    Decrypt(DecryptArgs),
    /// Encrypt a Secret manifest into the etcd value kube-apiserver would write.
    #[command(after_help = KEK_HELP)]
    Encrypt(EncryptArgs),
    /// Show the layout of an etcd value field by field (no key needed, no secret shown).
    Inspect(InspectArgs),
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InEnc {
    /// etcdctl JSON, raw, hex or base64, whichever the input looks like.
    Auto,
    /// The exact bytes.
    Raw,
    Base64,
    Hex,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum OutEnc {
    Base64,
    Hex,
    /// The exact bytes (for `etcdctl put KEY` reading stdin).
    Raw,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum KmsV2Mode {
    /// HKDF-SHA256 seed, a derived key per write (Kubernetes 1.29+).
    Seed,
    /// The AES-GCM DEK itself (Kubernetes 1.25–1.28).
    Key,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum DecryptFormat {
    /// The object as YAML (Secrets as `kubectl get -o yaml` shows them).
    Yaml,
    /// The object as JSON.
    Json,
    /// The decrypted bytes as stored (`k8s\x00` + protobuf, or JSON).
    Raw,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum StorageEncoding {
    /// `k8s\x00` + runtime.Unknown + v1.Secret (kube-apiserver's default).
    Protobuf,
    /// Compact JSON and a newline (`--storage-media-type=application/json`).
    Json,
}

#[derive(Clone, Copy, PartialEq, Eq, ValueEnum)]
pub enum InspectFormat {
    Text,
    Json,
}

/// Flags shared by decrypt and encrypt.
#[derive(Args)]
pub struct KeyArgs {
    /// The EncryptionConfiguration (YAML or JSON) the apiserver runs with.
    #[arg(long, value_name = "FILE")]
    config: PathBuf,
    /// The etcd key of the value, e.g. /registry/secrets/NAMESPACE/NAME: the AAD of aesgcm and
    /// KMS values.
    #[arg(long, value_name = "KEY")]
    etcd_key: Option<String>,
    /// Local key-encryption keys standing in for the KMS plugin of `kms` providers (format
    /// below).
    #[arg(long, value_name = "FILE")]
    kek: Option<PathBuf>,
    /// The resource whose providers apply (`secrets`, `configmaps`, `widgets.example.com`)
    /// [default: from the etcd key /registry/<resource>/..., else secrets].
    #[arg(long, value_name = "RESOURCE")]
    resource: Option<String>,
    /// KMS v2 write mode (values of the other mode are reported stale on read).
    #[arg(long, value_enum, default_value_t = KmsV2Mode::Seed)]
    kms_v2_mode: KmsV2Mode,
}

#[derive(Args)]
pub struct DecryptArgs {
    #[command(flatten)]
    keys: KeyArgs,
    /// How the input is encoded.
    #[arg(long, value_enum, default_value_t = InEnc::Auto)]
    input_encoding: InEnc,
    /// What to print.
    #[arg(long, value_enum, default_value_t = DecryptFormat::Yaml)]
    format: DecryptFormat,
    /// Include metadata.managedFields (kubectl hides them by default).
    #[arg(long)]
    show_managed_fields: bool,
    /// The etcd value: a file, or `-` for stdin (the default).
    #[arg(value_name = "INPUT")]
    input: Option<PathBuf>,
}

#[derive(Args)]
pub struct EncryptArgs {
    #[command(flatten)]
    keys: KeyArgs,
    /// How the apiserver serializes the object before encrypting it.
    #[arg(long, value_enum, default_value_t = StorageEncoding::Protobuf)]
    storage_encoding: StorageEncoding,
    /// How to write the value.
    #[arg(long, value_enum, default_value_t = OutEnc::Base64)]
    output_encoding: OutEnc,
    /// Write the value to this file instead of stdout.
    #[arg(long, short, value_name = "FILE")]
    output: Option<PathBuf>,
    /// The Secret manifest (YAML or JSON): a file, or `-` for stdin (the default).
    #[arg(value_name = "INPUT")]
    input: Option<PathBuf>,
}

#[derive(Args)]
pub struct InspectArgs {
    /// How the input is encoded.
    #[arg(long, value_enum, default_value_t = InEnc::Auto)]
    input_encoding: InEnc,
    /// Output format.
    #[arg(long, value_enum, default_value_t = InspectFormat::Text)]
    format: InspectFormat,
    /// The etcd value: a file, or `-` for stdin (the default).
    #[arg(value_name = "INPUT")]
    input: Option<PathBuf>,
}

/// Run a subcommand: `Ok(exit status)` or a message for exit status 2.
pub fn run(cmd: EnvelopeCommand) -> Result<u8, String> {
    match cmd {
        EnvelopeCommand::Decrypt(a) => decrypt(a),
        EnvelopeCommand::Encrypt(a) => encrypt(a),
        EnvelopeCommand::Inspect(a) => inspect_cmd(a),
    }
}

fn read_input(path: Option<&Path>) -> Result<Vec<u8>, String> {
    let mut buf = vec![];
    let file = path.filter(|p| *p != Path::new("-"));
    let (name, res) = match file {
        None => (
            "stdin".to_string(),
            std::io::stdin()
                .lock()
                .take(MAX_INPUT + 1)
                .read_to_end(&mut buf),
        ),
        Some(p) => (
            p.display().to_string(),
            std::fs::File::open(p).and_then(|f| f.take(MAX_INPUT + 1).read_to_end(&mut buf)),
        ),
    };
    res.map_err(|e| format!("cannot read {name}: {e}"))?;
    if buf.len() as u64 > MAX_INPUT {
        return Err(format!("{name} is larger than {MAX_INPUT} bytes"));
    }
    Ok(buf)
}

fn read_text(path: &Path, what: &str) -> Result<String, String> {
    let bytes = read_input(Some(path)).map_err(|e| format!("{what}: {e}"))?;
    String::from_utf8(bytes).map_err(|_| format!("{what} {} is not UTF-8", path.display()))
}

fn in_enc(e: InEnc) -> InputEncoding {
    match e {
        InEnc::Auto => InputEncoding::Auto,
        InEnc::Raw => InputEncoding::Raw,
        InEnc::Base64 => InputEncoding::Base64,
        InEnc::Hex => InputEncoding::Hex,
    }
}

fn options(mode: KmsV2Mode) -> Options {
    Options {
        kms_v2_mode: match mode {
            KmsV2Mode::Seed => DekSourceType::HkdfSha256XNonceAesGcmSeed,
            KmsV2Mode::Key => DekSourceType::AesGcmKey,
        },
    }
}

fn note(msg: &str) {
    eprintln!("note: {msg}");
}

/// The configuration's providers for the resource, and the KEK file.
fn load(keys: &KeyArgs, etcd_key: &str) -> Result<(ResourceProviders, Option<KekFile>), String> {
    let resource = match &keys.resource {
        Some(r) => r.clone(),
        None => config::resource_of_etcd_key(etcd_key)
            .unwrap_or("secrets")
            .to_string(),
    };
    let (res, group) = parse_group_resource(&resource);
    let text = read_text(&keys.config, "--config")?;
    let providers = config::providers_for(&text, group, res)
        .map_err(|e| format!("--config {}: {e}", keys.config.display()))?;
    let kek = match &keys.kek {
        Some(p) => Some(
            KekFile::parse(&read_text(p, "--kek")?)
                .map_err(|e| format!("--kek {}: {e}", p.display()))?,
        ),
        None => None,
    };
    Ok((providers, kek))
}

fn decrypt(a: DecryptArgs) -> Result<u8, String> {
    let raw = read_input(a.input.as_deref())?;
    let input = encoding::decode_input(&raw, in_enc(a.input_encoding))?;
    let etcd_key = match (&a.keys.etcd_key, &input.etcd_key) {
        (Some(flag), Some(found)) if flag != found => {
            return Err(format!(
                "--etcd-key {flag} differs from the key in the etcdctl output ({found})"
            ))
        }
        (Some(k), _) | (None, Some(k)) => k.clone(),
        (None, None) => {
            return Err(
                "--etcd-key is required (the AAD of aesgcm and KMS values), e.g. --etcd-key /registry/secrets/NAMESPACE/NAME"
                    .into(),
            )
        }
    };
    let (providers, kek) = load(&a.keys, &etcd_key)?;
    for n in &input.notes {
        note(n);
    }
    let opts = options(a.keys.kms_v2_mode);
    let kms = kek.as_ref().map(|k| k as &dyn KmsService);
    let mut result = rw::read(&providers, kms, etcd_key.as_bytes(), &input.value, &opts);
    if result.is_err() {
        if let Some(alt) = &input.alternative {
            if let Ok(d) = rw::read(&providers, kms, etcd_key.as_bytes(), alt, &opts) {
                note("the trailing newline was part of the value after all");
                result = Ok(d);
            }
        }
    }
    let d = result.map_err(|e| format!("cannot decrypt {etcd_key}: {e}"))?;
    note(&format!("read by {}: {}", d.location, d.via));
    for s in &d.stale {
        note(&format!("stale, the apiserver would rewrite it: {s}"));
    }
    let out = match a.format {
        DecryptFormat::Raw => d.plaintext.clone(),
        DecryptFormat::Yaml | DecryptFormat::Json => {
            let stored =
                storage::decode_stored(&d.plaintext).map_err(|e| format!("decrypted, but {e}"))?;
            let value = match (stored.secret(), &stored) {
                (Ok(secret), _) => secret.to_json(a.show_managed_fields),
                // Other objects stored as JSON are shown as they are.
                (Err(_), Stored::Json(v)) => v.clone(),
                (Err(e), _) => {
                    return Err(format!(
                        "decrypted, but {e} (use --format raw for the bytes)"
                    ))
                }
            };
            if a.format == DecryptFormat::Yaml {
                yaml_out::to_yaml(&value).into_bytes()
            } else {
                let mut s = serde_json::to_string_pretty(&value).unwrap_or_default();
                s.push('\n');
                s.into_bytes()
            }
        }
    };
    write_out(None, &out)?;
    Ok(0)
}

/// The Secret manifest in `text` (one document).
fn manifest(text: &str) -> Result<serde_json::Value, String> {
    let mut docs = vec![];
    let mut error = None;
    parse_documents(text, &Limits::default(), |d| match d {
        Ok(doc) => docs.push(doc.root.to_json()),
        Err(e) => {
            if error.is_none() {
                error = Some(format!("{}:{}: {}", e.line, e.column, e.message));
            }
        }
    });
    if let Some(e) = error {
        return Err(format!("the Secret manifest is not valid YAML/JSON: {e}"));
    }
    match docs.len() {
        0 => Err("the input holds no Secret manifest".into()),
        1 => Ok(docs.remove(0)),
        n => Err(format!(
            "the input holds {n} documents; encrypt one Secret at a time"
        )),
    }
}

fn encrypt(a: EncryptArgs) -> Result<u8, String> {
    let etcd_key = a.keys.etcd_key.clone().ok_or(
        "--etcd-key is required: the value is bound to it (e.g. /registry/secrets/NAMESPACE/NAME)",
    )?;
    let (providers, kek) = load(&a.keys, &etcd_key)?;
    let raw = read_input(a.input.as_deref())?;
    let text =
        String::from_utf8(raw).map_err(|_| "the Secret manifest is not UTF-8".to_string())?;
    let (mut secret, warnings) =
        Secret::from_manifest(&manifest(&text)?).map_err(|e| format!("the input: {e}"))?;
    for w in warnings {
        note(&w);
    }
    fill_from_key(&mut secret, &etcd_key);
    let plaintext = match a.storage_encoding {
        StorageEncoding::Protobuf => secret.to_storage_protobuf(),
        StorageEncoding::Json => secret.to_storage_json(),
    };
    let writer = providers
        .writer()
        .ok_or("the configuration has no provider for the resource")?;
    let opts = options(a.keys.kms_v2_mode);
    let kms = kek.as_ref().map(|k| k as &dyn KmsService);
    let mut rng = |b: &mut [u8]| getrandom::fill(b).map_err(|e| e.to_string());
    let value = rw::write(
        writer,
        kms,
        etcd_key.as_bytes(),
        &plaintext,
        &opts,
        &mut rng,
    )
    .map_err(|e| {
        format!(
            "cannot encrypt with {} ({}): {e}",
            writer.location,
            writer.spec.label()
        )
    })?;
    note(&format!(
        "written by {} ({}){}",
        writer.location,
        writer.spec.label(),
        if providers.implicit_identity {
            ": no resources entry covers it, so it is stored in plaintext"
        } else {
            ""
        }
    ));
    let enc = match a.output_encoding {
        OutEnc::Base64 => OutputEncoding::Base64,
        OutEnc::Hex => OutputEncoding::Hex,
        OutEnc::Raw => OutputEncoding::Raw,
    };
    write_out(a.output.as_deref(), &encoding::encode_output(&value, enc))?;
    Ok(0)
}

/// The apiserver takes the namespace and name from the request: fill them from the etcd key
/// when the manifest leaves them out, and warn when they differ (the value would not be where
/// the apiserver looks for that Secret).
fn fill_from_key(secret: &mut Secret, etcd_key: &str) {
    let parts: Vec<&str> = etcd_key.trim_start_matches('/').split('/').collect();
    let [_, _, ns, name] = parts.as_slice() else {
        return;
    };
    let m = &mut secret.metadata;
    if m.namespace.is_empty() {
        m.namespace = (*ns).to_string();
    }
    if m.name.is_empty() {
        m.name = (*name).to_string();
    }
    if (m.namespace.as_str(), m.name.as_str()) != (*ns, *name) {
        note(&format!(
            "the Secret is {}/{} but the etcd key names {ns}/{name}; the apiserver reads that Secret from /registry/secrets/{}/{}",
            m.namespace, m.name, m.namespace, m.name
        ));
    }
}

fn inspect_cmd(a: InspectArgs) -> Result<u8, String> {
    let raw = read_input(a.input.as_deref())?;
    let input = encoding::decode_input(&raw, in_enc(a.input_encoding))?;
    let mut notes = input.notes.clone();
    let mut report = inspect::inspect(&input.value);
    if let Some(alt) = &input.alternative {
        let other = inspect::inspect(alt);
        if report.error.is_some() && other.error.is_none() {
            report = other;
            notes.push("the trailing newline is part of the value".into());
        }
    }
    let mut out = match a.format {
        InspectFormat::Text => {
            let mut s = format!("input: {} bytes, {}\n", raw.len(), input.encoding);
            for n in &notes {
                s += &format!("input: {n}\n");
            }
            s + &inspect::render_text(&report)
        }
        InspectFormat::Json => {
            let mut v = serde_json::to_value(&report).unwrap_or_default();
            v["input_encoding"] = input.encoding.into();
            serde_json::to_string_pretty(&v).unwrap_or_default()
        }
    };
    if !out.ends_with('\n') {
        out.push('\n');
    }
    write_out(None, out.as_bytes())?;
    Ok(if report.error.is_some() { 2 } else { 0 })
}

fn write_out(path: Option<&Path>, bytes: &[u8]) -> Result<(), String> {
    match path {
        Some(p) => {
            std::fs::write(p, bytes).map_err(|e| format!("cannot write {}: {e}", p.display()))
        }
        None => {
            let mut out = std::io::stdout().lock();
            // A closed pipe is not an error worth reporting.
            let _ = out.write_all(bytes).and_then(|_| out.flush());
            Ok(())
        }
    }
}
