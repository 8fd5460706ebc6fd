//! "Rotate the KEK", in the "Encryption at rest" tab: three Secrets written with KMS v2 (seed
//! mode) through the tab's simulated KMS; rotating the KEK makes the stored values stale (they
//! stay readable: the KMS keeps the old key), and a rewrite (`kubectl get secrets -A -o json |
//! kubectl replace -f -`) re-encrypts them under the current key. The KMS call counters show
//! what the apiserver's seed cache saves.

use std::future::Future;
use std::pin::Pin;
use std::rc::Rc;

use yew::prelude::*;

use crate::envelope_demo::{self, etcd_key, Secret};
use crate::envelope_lab::{self, SeedCache, SimKms};

/// One stored value.
#[derive(Debug, Clone, PartialEq)]
struct Stored {
    etcd_key: String,
    value: Vec<u8>,
    /// The KMS key its seed is wrapped with.
    key_id: String,
}

/// The store: the KMS, the apiserver's seed cache, the values.
#[derive(Debug, Clone, PartialEq)]
struct Store {
    kms: Rc<SimKms>,
    cache: SeedCache,
    values: Vec<Stored>,
    /// What the last action did.
    log: String,
}

/// The Secrets the store writes.
fn secrets() -> Vec<Secret> {
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
    .filter_map(|(n, ns, d)| envelope_demo::secret_from_form(n, ns, d).ok())
    .collect()
}

/// An async change of the store, from the store as it is (none before the first write).
type Op = Rc<dyn Fn(Option<Rc<Store>>) -> Pin<Box<dyn Future<Output = Result<Store, String>>>>>;

fn calls(n: u32, what: &str) -> String {
    format!("{n} KMS {what} call{}", if n == 1 { "" } else { "s" })
}

/// The rotation section (a hook that renders, so that the tab needs no more components).
#[hook]
pub fn use_rotation_section() -> Html {
    let store = use_state(|| None::<Rc<Store>>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    // Run one async change of the store.
    let run = {
        let (store, busy, error) = (store.clone(), busy.clone(), error.clone());
        move |op: Op| {
            let (store, busy, error) = (store.clone(), busy.clone(), error.clone());
            Callback::from(move |_: MouseEvent| {
                let current = (*store).clone();
                let (store, busy, error, op) =
                    (store.clone(), busy.clone(), error.clone(), op.clone());
                busy.set(true);
                yew::platform::spawn_local(async move {
                    match op(current).await {
                        Ok(s) => {
                            store.set(Some(Rc::new(s)));
                            error.set(None);
                        }
                        Err(e) => error.set(Some(e)),
                    }
                    busy.set(false);
                });
            })
        }
    };

    let on_write = run(Rc::new(move |current: Option<Rc<Store>>| {
        Box::pin(async move {
            let kms = match current.as_ref().map(|s| s.kms.clone()) {
                Some(k) => k,
                None => Rc::new(SimKms::new().await?),
            };
            let mut cache = current
                .as_ref()
                .map(|s| s.cache.clone())
                .unwrap_or_default();
            let (before, mut values) = (kms.encrypt_calls(), vec![]);
            for s in secrets() {
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
        })
    }));
    let on_rotate = run(Rc::new(|current: Option<Rc<Store>>| {
        Box::pin(async move {
            let mut s = (*current.ok_or("write the Secrets first")?).clone();
            let old = s.kms.current_id().to_string();
            s.kms = Rc::new(s.kms.rotated().await?);
            s.log = format!(
                "The KMS now wraps with {}; {old} stays in the KMS so that old values still read. \
                 The apiserver sees the new key id in the KMS status and makes a new seed for its next write.",
                s.kms.current_id()
            );
            Ok(s)
        })
    }));
    let on_rewrite = run(Rc::new(|current: Option<Rc<Store>>| {
        Box::pin(async move {
            let mut s = (*current.ok_or("write the Secrets first")?).clone();
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
            Ok(s)
        })
    }));
    let on_restart = run(Rc::new(|current: Option<Rc<Store>>| {
        Box::pin(async move {
            let mut s = (*current.ok_or("write the Secrets first")?).clone();
            s.cache = SeedCache::default();
            s.log = "The apiserver restarted: it holds no seed any more, so its next read of each \
                     wrapped seed asks the KMS to decrypt it, and its next write makes a new seed."
                .into();
            Ok(s)
        })
    }));

    let rows = store.as_ref().map(|s| {
        let current = s.kms.current_id();
        s.values
            .iter()
            .map(|v| {
                let stale = v.key_id != current;
                let status = if stale {
                    format!("stale: wrapped by {}, not the current {current}", v.key_id)
                } else {
                    "current".to_string()
                };
                html! {
                    <tr data-testid="enc-stored" data-etcd-key={v.etcd_key.clone()}
                        data-key-id={v.key_id.clone()} data-stale={stale.to_string()}
                        class={classes!(stale.then_some("stale"))}>
                        <td><code>{ v.etcd_key.clone() }</code></td>
                        <td><code>{ v.key_id.clone() }</code></td>
                        <td class="enc-len">{ format!("{} B", v.value.len()) }</td>
                        <td data-testid="enc-stored-status">{ status }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });

    let kms_line = store.as_ref().map(|s| {
        format!(
            "KMS keys: {} (current: {}) · calls so far: {}, {}",
            s.kms.key_ids().join(", "),
            s.kms.current_id(),
            calls(s.kms.encrypt_calls(), "Encrypt"),
            calls(s.kms.decrypt_calls(), "Decrypt"),
        )
    });

    let has = store.is_some();
    html! {
        <section class="enc-section" data-testid="enc-rotation">
            <h3>{ "Rotate the KMS key (KEK)" }</h3>
            <p class="hint">
                { "A KMS rotates its key-encryption key; the apiserver keeps writing, and values \
                   written before stay readable because the KMS keeps the old key. They are \
                   stale: the apiserver rewrites a value under the current key only when the \
                   object is written again." }
            </p>
            <div class="enc-actions">
                <button type="button" class="primary" data-testid="enc-store-write" disabled={*busy}
                    onclick={on_write}>{ "Write 3 Secrets (KMS v2)" }</button>
                <button type="button" data-testid="enc-rotate" disabled={*busy || !has}
                    onclick={on_rotate}>{ "Rotate the KEK" }</button>
                <button type="button" data-testid="enc-rewrite" disabled={*busy || !has}
                    onclick={on_rewrite}>{ "Rewrite all Secrets" }</button>
                <button type="button" data-testid="enc-restart" disabled={*busy || !has}
                    onclick={on_restart}>{ "Restart the apiserver" }</button>
            </div>
            <p class="hint"><code>{ "kubectl get secrets -A -o json | kubectl replace -f -" }</code>
                { " is the rewrite: every Secret read and written again, as the apiserver does." }</p>
            if let Some(e) = &*error {
                <p class="enc-error" data-testid="enc-store-error">{ e.clone() }</p>
            }
            if let Some(line) = kms_line {
                <p class="enc-kms" data-testid="enc-kms">{ line }</p>
            }
            if let Some(rows) = rows {
                <div class="enc-diagram-scroll">
                <table class="enc-diagram enc-store" data-testid="enc-store">
                    <thead><tr><th>{ "etcd key" }</th><th>{ "KEK" }</th><th>{ "length" }</th>
                        <th>{ "status" }</th></tr></thead>
                    <tbody>{ rows }</tbody>
                </table>
                </div>
            }
            if let Some(s) = &*store {
                <p class="enc-flips" data-testid="enc-store-log">{ s.log.clone() }</p>
            }
        </section>
    }
}
