//! "Read a value from etcd", in the "Encryption at rest" tab: paste what `etcdctl get` printed
//! (base64, hex, raw text or `-w json`), the `EncryptionConfiguration` (by default the editor's)
//! and, for KMS values, the KEK file that stands in for the KMS; the playground's worker finds
//! the provider and key the way kube-apiserver reads ([`crate::envelope_lab::read_pasted`]), and
//! the tab shows the Secret as `kubectl get -o yaml` does, with the value's byte diagram.

use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::encryption::byte_table;
use crate::envelope_msg::{PasteReply, PasteRequest};
use crate::worker::{self, Request, Response};

/// The current value of a text field, a text area or a select.
fn field_value(r: &NodeRef) -> String {
    if let Some(e) = r.cast::<HtmlTextAreaElement>() {
        e.value()
    } else if let Some(e) = r.cast::<HtmlSelectElement>() {
        e.value()
    } else {
        r.cast::<HtmlInputElement>()
            .map(|e| e.value())
            .unwrap_or_default()
    }
}

/// The paste section (a hook that renders, so that the tab needs no more components): `text`
/// is the editor's (its EncryptionConfiguration is the default).
#[hook]
pub fn use_paste_section(text: AttrValue) -> Html {
    // The form's fields are read when "Decrypt" is pressed.
    let fields: [NodeRef; 5] = Default::default();
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<PasteReply>);
    // Reads done (`data-reads` on the section, for tests that wait for the next result).
    let reads = use_state(|| 0u32);

    // The etcd key's starting text, set once (a `value` attribute would put it back on every
    // render, over what the user typed).
    {
        let key = fields[2].clone();
        use_effect_with((), move |_| {
            if let Some(input) = key.cast::<HtmlInputElement>() {
                input.set_value("/registry/secrets/default/");
            }
        });
    }

    let on_decrypt = {
        let (fields, busy, outcome, reads) =
            (fields.clone(), busy.clone(), outcome.clone(), reads.clone());
        Callback::from(move |_: MouseEvent| {
            let [value, encoding, etcd_key, config, kek] = fields.each_ref().map(field_value);
            let config = if config.trim().is_empty() {
                text.to_string()
            } else {
                config
            };
            let (busy, outcome, reads) = (busy.clone(), outcome.clone(), reads.clone());
            busy.set(true);
            // Read in the worker (WebCrypto there too): the reader stays out of the page's module.
            let request = Request::ReadPasted(PasteRequest {
                value,
                encoding,
                etcd_key,
                config,
                kek,
            });
            worker::request(request, move |response| {
                outcome.set(Some(match response {
                    Response::Pasted(reply) => reply,
                    _ => PasteReply {
                        error: Some("the playground's worker could not read the value".into()),
                        ..PasteReply::default()
                    },
                }));
                reads.set(*reads + 1);
                busy.set(false);
            });
        })
    };

    let (status, diagram_value) = match &*outcome {
        None => (Html::default(), None),
        Some(r) => {
            let stale = r.stale.iter().map(|s| html! { <li>{ s.clone() }</li> });
            let shown = match (&r.error, &r.status, &r.yaml) {
                (Some(e), _, _) => html! {
                    <p class="enc-error enc-pre" data-testid="enc-paste-error">{ e.clone() }</p>
                },
                (None, Some(status), Some(yaml)) => html! {
                    <>
                        <p class="enc-ok" data-testid="enc-paste-status">{ status.clone() }</p>
                        if !r.stale.is_empty() {
                            <ul class="enc-notes" data-testid="enc-paste-stale">
                                <li>{ "Stale: the apiserver would rewrite it on the next write." }</li>
                                { for stale }
                            </ul>
                        }
                        <pre class="enc-secret" data-testid="enc-paste-secret">{ yaml.clone() }</pre>
                    </>
                },
                _ => Html::default(),
            };
            (shown, r.value.clone().zip(r.inspection.clone()))
        }
    };
    let diagram = diagram_value.map(|(v, i)| {
        html! {
            <>
                <p class="hint">{ format!("The value: {} bytes, {}", i.length, i.format) }</p>
                { byte_table(&v, &i, &[], "enc-paste-diagram", "enc-paste-segment") }
            </>
        }
    });

    html! {
        <section class="enc-section" data-testid="enc-paste" data-reads={reads.to_string()}>
            <h3>{ "Read a value from etcd" }</h3>
            <p class="hint">
                { "Paste what etcdctl printed for a Secret, and the tab reads it as the apiserver \
                   does: the first provider (then key) whose prefix the value starts with, in the \
                   configuration's order. Nothing leaves the browser." }
            </p>
            <div class="enc-paste-form">
                <div class="field wide">
                    <label for="enc-paste-value">{ "etcd value (base64, hex, raw text or etcdctl -w json)" }</label>
                    <textarea id="enc-paste-value" data-testid="enc-paste-value" rows="3"
                        ref={fields[0].clone()} />
                </div>
                <div class="field">
                    <label for="enc-paste-encoding">{ "Encoding" }</label>
                    <select id="enc-paste-encoding" data-testid="enc-paste-encoding" ref={fields[1].clone()}>
                        { for ["auto", "base64", "hex", "raw"].iter().map(|e| html! {
                            <option value={*e}>{ *e }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="enc-paste-key">{ "etcd key" }</label>
                    <input id="enc-paste-key" type="text" data-testid="enc-paste-key"
                        ref={fields[2].clone()} />
                </div>
                <div class="field wide">
                    <label for="enc-paste-config">{ "EncryptionConfiguration (empty: the editor's)" }</label>
                    <textarea id="enc-paste-config" data-testid="enc-paste-config" rows="4"
                        placeholder="Empty: the EncryptionConfiguration in the editor"
                        ref={fields[3].clone()} />
                </div>
                <div class="field wide">
                    <label for="enc-paste-kek">{ "KEK file for KMS values (optional: the --kek file of secrets-guard envelope)" }</label>
                    <textarea id="enc-paste-kek" data-testid="enc-paste-kek" rows="3"
                        ref={fields[4].clone()} />
                </div>
                <div class="enc-actions">
                    <button type="button" class="primary" data-testid="enc-paste-decrypt"
                        disabled={*busy} onclick={on_decrypt}>{ "Decrypt" }</button>
                </div>
            </div>
            { status }
            { diagram.unwrap_or_default() }
        </section>
    }
}
