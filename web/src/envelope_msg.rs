//! What the "Encryption at rest" tab and the background worker say to each other: plain serde
//! values (no `CryptoKey` crosses `postMessage`), compiled into both modules. The page keeps
//! only the UI; the worker writes, reads, rotates and measures ([`crate::envelope_worker`],
//! with [`crate::envelope_demo`], [`crate::envelope_lab`] and [`crate::webcrypto`]), and keeps
//! the keys of each write and the rotation store on its own side.

use secrets_guard_core::envelope::inspect::Inspection;
use serde::{Deserialize, Serialize};

use crate::envelope_demo::{Provider, Step};

/// Which Secret a write takes.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum SecretInput {
    /// The form's fields: name, namespace and `key=value` lines.
    Form(SecretForm),
    /// The first `v1` Secret of the editor's text.
    Editor { text: String },
    /// The editor's first Secret, or the form's when the editor has none (a finding's "See
    /// what this stores").
    EditorElseForm { text: String, form: SecretForm },
}

/// The Secret form's fields.
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct SecretForm {
    pub name: String,
    pub namespace: String,
    /// One `key=value` a line.
    pub data: String,
}

/// The form's fields for a Secret taken from the editor: name, namespace, and the `key=value`
/// lines when every value is one line of text.
pub type FormFields = (String, String, Option<String>);

/// A [`crate::worker::Request::EncWrite`]: `provider` writes `secret`, unless `write` is false
/// (then the Secret is only resolved, for the form).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteRequest {
    pub provider: Provider,
    pub secret: SecretInput,
    pub write: bool,
}

/// A write as the tab shows it; its keys stay in the worker under `id`.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Shown {
    /// What [`crate::worker::Request::EncOpen`] names to read the value back.
    pub id: u32,
    pub provider: Provider,
    pub steps: Vec<Step>,
    /// The etcd value.
    pub value: Vec<u8>,
}

/// The answer to a [`WriteRequest`].
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct WriteReply {
    /// For [`SecretInput::EditorElseForm`], the editor's Secret as the form shows it (the data
    /// only when every value is one line of text), when the editor has one.
    pub form: Option<FormFields>,
    pub outcome: WriteOutcome,
}

/// What became of a write.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum WriteOutcome {
    /// No Secret to write (the form or the editor): why.
    NoSecret(String),
    /// The provider could not write it: why.
    Failed(String),
    Written(Shown),
    /// `write` was false.
    Resolved,
}

/// What reading a value back gave.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub enum ReadOutcome {
    /// The Secret, as `kubectl get -o yaml` shows it.
    Secret(String),
    /// The cipher refused the value (or its layout is broken).
    Refused(String),
    /// The cipher returned bytes without error, but they are not the Secret any more.
    Altered(String),
}

/// A change of the rotation store ("Rotate the KMS key").
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
pub enum RotationOp {
    /// Write the three Secrets.
    Write,
    /// Rotate the KEK.
    Rotate,
    /// Read every value and write it again.
    Rewrite,
    /// Forget the apiserver's seed cache.
    Restart,
}

/// One stored value of the rotation store.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct StoredView {
    pub etcd_key: String,
    /// The KMS key its seed is wrapped with.
    pub key_id: String,
    /// The value's length in bytes.
    pub len: usize,
}

/// The rotation store as the tab shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RotationView {
    pub values: Vec<StoredView>,
    /// The KMS's key ids, oldest first; the last one is current.
    pub key_ids: Vec<String>,
    pub encrypt_calls: u32,
    pub decrypt_calls: u32,
    /// What the last change did.
    pub log: String,
}

impl RotationView {
    /// The key id new data is wrapped with.
    pub fn current_id(&self) -> &str {
        self.key_ids.last().map_or("", String::as_str)
    }
}

/// One measured run of writes.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct CostRun {
    pub writes: u32,
    /// Wall time of the writes (`performance.now()`), milliseconds.
    pub millis: f64,
    /// KMS `Encrypt` calls the writes made.
    pub kms_calls: u32,
    /// The length of the last value written.
    pub value_len: usize,
}

/// The two ways, measured on the same Secret and the same KMS.
#[derive(Debug, Clone, Copy, PartialEq, Serialize, Deserialize)]
pub struct Cost {
    /// KMS v1: a fresh DEK per write, wrapped by the KMS every time.
    pub dek_per_write: CostRun,
    /// KMS v2 seed mode: one seed wrapped once, a DEK derived per write with HKDF.
    pub cached_seed: CostRun,
}

/// "Read a value from etcd": what the form holds.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct PasteRequest {
    /// As pasted.
    pub value: String,
    /// `auto`, `base64`, `hex` or `raw`.
    pub encoding: String,
    pub etcd_key: String,
    /// The `EncryptionConfiguration` (or the editor's text holding one).
    pub config: String,
    /// A KEK file, or empty.
    pub kek: String,
}

/// What the view shows for a [`PasteRequest`]: the Secret as `kubectl get -o yaml` prints it,
/// or the error; and the value's bytes when they could be decoded (for the byte diagram).
#[derive(Debug, Clone, PartialEq, Eq, Default, Serialize, Deserialize)]
pub struct PasteReply {
    /// `Read by <location>: <via> (<encoding> input, etcd key <key>)`.
    pub status: Option<String>,
    /// Why the apiserver would rewrite the value.
    pub stale: Vec<String>,
    pub yaml: Option<String>,
    pub error: Option<String>,
    pub value: Option<Vec<u8>>,
    /// The value's layout, field by field (computed in the worker with the read).
    pub inspection: Option<Inspection>,
}
