//! "Rotate the KEK", in the "Encryption at rest" tab: three Secrets written with KMS v2 (seed
//! mode) through the tab's simulated KMS; rotating the KEK makes the stored values stale (they
//! stay readable: the KMS keeps the old key), and a rewrite (`kubectl get secrets -A -o json |
//! kubectl replace -f -`) re-encrypts them under the current key. The KMS call counters show
//! what the apiserver's seed cache saves.

use yew::prelude::*;

use crate::envelope_msg::{RotationOp, RotationView};
use crate::worker::{self, Request, Response};

fn calls(n: u32, what: &str) -> String {
    format!("{n} KMS {what} call{}", if n == 1 { "" } else { "s" })
}

/// The rotation section (a hook that renders, so that the tab needs no more components). The
/// store (its simulated KMS, whose keys cannot leave the worker, the seed cache and the values)
/// lives in the background worker ([`crate::envelope_worker::rotation`]); the section shows the
/// snapshot each change answers with.
#[hook]
pub fn use_rotation_section() -> Html {
    let store = use_state(|| None::<RotationView>);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);

    // Ask the worker for one change of the store.
    let run = {
        let (store, busy, error) = (store.clone(), busy.clone(), error.clone());
        move |op: RotationOp| {
            let (store, busy, error) = (store.clone(), busy.clone(), error.clone());
            Callback::from(move |_: MouseEvent| {
                let (store, busy, error) = (store.clone(), busy.clone(), error.clone());
                busy.set(true);
                let continued = store.is_some();
                worker::request(Request::Rotation { op, continued }, move |response| {
                    match response {
                        Response::Rotation(Ok(s)) => {
                            store.set(Some(s));
                            error.set(None);
                        }
                        Response::Rotation(Err(e)) => error.set(Some(e)),
                        _ => error.set(Some("the background worker did not answer".into())),
                    }
                    busy.set(false);
                });
            })
        }
    };
    let on_write = run(RotationOp::Write);
    let on_rotate = run(RotationOp::Rotate);
    let on_rewrite = run(RotationOp::Rewrite);
    let on_restart = run(RotationOp::Restart);

    let rows = store.as_ref().map(|s| {
        let current = s.current_id();
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
                        <td class="enc-len">{ format!("{} B", v.len) }</td>
                        <td data-testid="enc-stored-status">{ status }</td>
                    </tr>
                }
            })
            .collect::<Html>()
    });

    let kms_line = store.as_ref().map(|s| {
        format!(
            "KMS keys: {} (current: {}) · calls so far: {}, {}",
            s.key_ids.join(", "),
            s.current_id(),
            calls(s.encrypt_calls, "Encrypt"),
            calls(s.decrypt_calls, "Decrypt"),
        )
    });

    let has = store.is_some();
    html! {
        <section class="enc-section" data-testid="enc-rotation" aria-busy={busy.to_string()}>
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
