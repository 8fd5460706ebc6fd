//! The worker's side of the "Encryption at rest" tab: it writes with WebCrypto
//! ([`crate::envelope_demo`]), reads back, runs the rotation store and the cost measurement
//! ([`crate::envelope_lab`]), and answers with the plain values of [`crate::envelope_msg`].
//!
//! `CryptoKey`s cannot travel by `postMessage` through the worker's codec, so they stay here, in
//! thread-local state: the keys of the last writes by id (what a later `EncOpen` names) and the
//! rotation store with its simulated KMS and seed cache. The page holds only what it shows.
//! Built with the `worker` feature only (the worker's module and the test builds).

use std::cell::{Cell, RefCell};
use std::rc::Rc;

use crate::envelope_demo::{self, etcd_key, first_secret, secret_from_form, Keys, Secret};
use crate::envelope_lab::{self, SeedCache, SimKms};
use crate::envelope_msg::{
    Cost, FormFields, ReadOutcome, RotationOp, RotationView, SecretForm, SecretInput, Shown,
    StoredView, WriteOutcome, WriteReply, WriteRequest,
};

/// How many writes keep their keys: the tab only reads back its latest one, a few more cover
/// writes answered out of order.
const KEPT_WRITES: usize = 8;

/// The keys of a write and where its value is stored (the AAD).
struct Kept {
    id: u32,
    keys: Rc<Keys>,
    etcd_key: String,
}

/// One stored value of the rotation store.
#[derive(Clone)]
struct Stored {
    etcd_key: String,
    value: Vec<u8>,
    /// The KMS key its seed is wrapped with.
    key_id: String,
}

/// The rotation store: the KMS, the apiserver's seed cache, the values.
#[derive(Clone)]
struct Store {
    kms: Rc<SimKms>,
    cache: SeedCache,
    values: Vec<Stored>,
    log: String,
}

thread_local! {
    static KEPT: RefCell<Vec<Kept>> = const { RefCell::new(Vec::new()) };
    static NEXT_ID: Cell<u32> = const { Cell::new(1) };
    static STORE: RefCell<Option<Store>> = const { RefCell::new(None) };
}

/// The form's `key=value` lines for `secret`, when every value is one line of text.
pub fn form_data(secret: &Secret) -> Option<String> {
    let mut lines = vec![];
    for (k, v) in &secret.data {
        let v = std::str::from_utf8(v).ok().filter(|v| !v.contains('\n'))?;
        lines.push(format!("{k}={v}"));
    }
    Some(lines.join("\n"))
}

fn from_form(f: &SecretForm) -> Result<Secret, String> {
    secret_from_form(&f.name, &f.namespace, &f.data)
}

/// The Secret a write takes, and the form's fields for an editor's Secret of
/// [`SecretInput::EditorElseForm`] (synchronous: no keys involved).
pub fn resolve(input: &SecretInput) -> (Result<Secret, String>, Option<FormFields>) {
    match input {
        SecretInput::Form(f) => (from_form(f), None),
        SecretInput::Editor { text } => (first_secret(text), None),
        SecretInput::EditorElseForm { text, form } => match first_secret(text) {
            Ok(s) => {
                let fields = (
                    s.metadata.name.clone(),
                    s.metadata.namespace.clone(),
                    form_data(&s),
                );
                (Ok(s), Some(fields))
            }
            Err(_) => (from_form(form), None),
        },
    }
}

/// Answer a [`WriteRequest`]: write with fresh keys, keep them under a new id.
pub async fn write(r: &WriteRequest) -> WriteReply {
    let (secret, form) = resolve(&r.secret);
    let secret = match secret {
        Ok(s) => s,
        Err(e) => {
            return WriteReply {
                form,
                outcome: WriteOutcome::NoSecret(e),
            }
        }
    };
    if !r.write {
        return WriteReply {
            form,
            outcome: WriteOutcome::Resolved,
        };
    }
    let outcome = match envelope_demo::write(r.provider, &secret).await {
        Err(e) => WriteOutcome::Failed(e),
        Ok(w) => {
            let id = NEXT_ID.with(|n| {
                let id = n.get();
                n.set(id.wrapping_add(1));
                id
            });
            KEPT.with(|k| {
                let mut k = k.borrow_mut();
                k.push(Kept {
                    id,
                    keys: w.keys.clone(),
                    etcd_key: w.etcd_key.clone(),
                });
                let excess = k.len().saturating_sub(KEPT_WRITES);
                k.drain(..excess);
            });
            WriteOutcome::Written(Shown {
                id,
                provider: w.keys.provider,
                steps: w.steps,
                value: w.value,
            })
        }
    };
    WriteReply { form, outcome }
}

/// Read `value` back with the keys of write `id`: the Secret, or why not (the cipher refused,
/// or returned bytes that are no Secret).
pub async fn open(id: u32, value: &[u8]) -> ReadOutcome {
    let kept = KEPT.with(|k| {
        k.borrow()
            .iter()
            .find(|k| k.id == id)
            .map(|k| (k.keys.clone(), k.etcd_key.clone()))
    });
    let Some((keys, etcd_key)) = kept else {
        return ReadOutcome::Refused("the keys of this write are gone: encrypt again".into());
    };
    match envelope_demo::open(&keys, &etcd_key, value).await {
        Err(e) => ReadOutcome::Refused(e),
        Ok(plaintext) => match envelope_demo::secret_yaml(&plaintext) {
            Ok(yaml) => ReadOutcome::Secret(yaml),
            Err(e) => ReadOutcome::Altered(e),
        },
    }
}

/// The Secrets the rotation store writes.
fn store_secrets() -> Vec<Secret> {
    [
        ("db-credentials", "prod", "username=admin\npassword=s3cr3t"),
        ("api-token", "prod", "token=3f9a1c7e"),
        (
            "tls-client",
            "payments",
            "tls.key=-----BEGIN PRIVATE KEY-----",
        ),
    ]
    .iter()
    .filter_map(|(n, ns, d)| secret_from_form(n, ns, d).ok())
    .collect()
}

fn calls(n: u32, what: &str) -> String {
    format!("{n} KMS {what} call{}", if n == 1 { "" } else { "s" })
}

fn view(s: &Store) -> RotationView {
    RotationView {
        values: s
            .values
            .iter()
            .map(|v| StoredView {
                etcd_key: v.etcd_key.clone(),
                key_id: v.key_id.clone(),
                len: v.value.len(),
            })
            .collect(),
        key_ids: s.kms.key_ids().into_iter().map(String::from).collect(),
        encrypt_calls: s.kms.encrypt_calls(),
        decrypt_calls: s.kms.decrypt_calls(),
        log: s.log.clone(),
    }
}

/// Change the rotation store with `op`. `continued` says that the tab shows the store (so a
/// write adds to it); otherwise a write starts a new one (a new KMS) and the other changes have
/// nothing to change. The store changes only when `op` succeeds.
pub async fn rotation(op: RotationOp, continued: bool) -> Result<RotationView, String> {
    let current = if continued {
        STORE.with(|s| s.borrow().clone())
    } else {
        None
    };
    let next = match op {
        RotationOp::Write => write_store(current).await?,
        RotationOp::Rotate => {
            let mut s = current.ok_or("write the Secrets first")?;
            let old = s.kms.current_id().to_string();
            s.kms = Rc::new(s.kms.rotated().await?);
            s.log = format!(
                "The KMS now wraps with {}; {old} stays in the KMS so that old values still read. \
                 The apiserver sees the new key id in the KMS status and makes a new seed for its next write.",
                s.kms.current_id()
            );
            s
        }
        RotationOp::Rewrite => {
            let mut s = current.ok_or("write the Secrets first")?;
            let (enc, dec) = (s.kms.encrypt_calls(), s.kms.decrypt_calls());
            let mut values = vec![];
            for v in &s.values {
                let (plaintext, _) =
                    envelope_lab::read_kms_v2(&s.kms, &mut s.cache, &v.etcd_key, &v.value).await?;
                let (value, key_id) =
                    envelope_lab::seed_write(&s.kms, &mut s.cache, &v.etcd_key, &plaintext).await?;
                values.push(Stored {
                    etcd_key: v.etcd_key.clone(),
                    value,
                    key_id,
                });
            }
            s.values = values;
            s.log = format!(
                "Rewrote {} values (read, then written again): {} and {}; every value is now under {}.",
                s.values.len(),
                calls(s.kms.decrypt_calls() - dec, "Decrypt"),
                calls(s.kms.encrypt_calls() - enc, "Encrypt"),
                s.kms.current_id()
            );
            s
        }
        RotationOp::Restart => {
            let mut s = current.ok_or("write the Secrets first")?;
            s.cache = SeedCache::default();
            s.log = "The apiserver restarted: it holds no seed any more, so its next read of each \
                     wrapped seed asks the KMS to decrypt it, and its next write makes a new seed."
                .into();
            s
        }
    };
    let shown = view(&next);
    STORE.with(|s| *s.borrow_mut() = Some(next));
    Ok(shown)
}

async fn write_store(current: Option<Store>) -> Result<Store, String> {
    let kms = match current.as_ref().map(|s| s.kms.clone()) {
        Some(k) => k,
        None => Rc::new(SimKms::new().await?),
    };
    let mut cache = current.map(|s| s.cache).unwrap_or_default();
    let (before, mut values) = (kms.encrypt_calls(), vec![]);
    for s in store_secrets() {
        let (value, key_id) = envelope_lab::write_kms_v2(&kms, &mut cache, &s).await?;
        values.push(Stored {
            etcd_key: etcd_key(&s),
            value,
            key_id,
        });
    }
    let log = format!(
        "Wrote {} Secrets under KEK {}: {} (one seed, wrapped once, a key derived per write).",
        values.len(),
        kms.current_id(),
        calls(kms.encrypt_calls() - before, "Encrypt")
    );
    Ok(Store {
        kms,
        cache,
        values,
        log,
    })
}

/// The cost measurement: `writes` writes each way of the tab's Secret.
pub async fn cost(writes: u32) -> Result<Cost, String> {
    let s = secret_from_form("db-credentials", "prod", "username=admin\npassword=s3cr3t")?;
    envelope_lab::measure_cost(&s, writes).await
}

#[cfg(test)]
mod tests {
    use super::*;

    fn form(name: &str, data: &str) -> SecretForm {
        SecretForm {
            name: name.into(),
            namespace: "prod".into(),
            data: data.into(),
        }
    }

    const EDITOR: &str = "apiVersion: v1\nkind: Secret\nmetadata: {name: billing-db, namespace: finance}\nstringData: {password: hunter22}\n";

    #[test]
    fn the_secret_of_a_write_comes_from_the_form_or_the_editor() {
        let (s, fields) = resolve(&SecretInput::Form(form("db", "a=1\nb=2")));
        let s = s.unwrap();
        assert_eq!(etcd_key(&s), "/registry/secrets/prod/db");
        assert_eq!(s.data.len(), 2);
        assert_eq!(fields, None);
        let (s, _) = resolve(&SecretInput::Form(form(" ", "")));
        assert_eq!(s.unwrap_err(), "the Secret needs a name");
        let (s, _) = resolve(&SecretInput::Form(form("db", "no equals")));
        assert_eq!(s.unwrap_err(), "data line 1: write key=value");
        let (s, _) = resolve(&SecretInput::Editor {
            text: "kind: ConfigMap\napiVersion: v1\n".into(),
        });
        assert_eq!(s.unwrap_err(), "the editor holds no v1 Secret");
    }

    #[test]
    fn a_findings_write_fills_the_form_with_the_editors_secret() {
        let (s, fields) = resolve(&SecretInput::EditorElseForm {
            text: EDITOR.into(),
            form: form("db", "a=1"),
        });
        assert_eq!(
            etcd_key(&s.unwrap()),
            "/registry/secrets/finance/billing-db"
        );
        assert_eq!(
            fields,
            Some((
                "billing-db".to_string(),
                "finance".to_string(),
                Some("password=hunter22".to_string())
            ))
        );
        // A value of several lines does not fit the form: the write still takes the editor's.
        let multi = EDITOR.replace("{password: hunter22}", "{pem: \"a\\nb\"}");
        let (s, fields) = resolve(&SecretInput::EditorElseForm {
            text: multi,
            form: form("db", "a=1"),
        });
        assert_eq!(s.unwrap().data["pem"], b"a\nb");
        assert_eq!(fields.unwrap().2, None);
        // No Secret in the editor: the form's.
        let (s, fields) = resolve(&SecretInput::EditorElseForm {
            text: "kind: Pod\n".into(),
            form: form("db", "a=1"),
        });
        assert_eq!(etcd_key(&s.unwrap()), "/registry/secrets/prod/db");
        assert_eq!(fields, None);
    }
}
