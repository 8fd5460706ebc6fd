//! "Read a value from etcd", in the "Encryption at rest" tab: paste what `etcdctl get` printed
//! (base64, hex, raw text or `-w json`), the `EncryptionConfiguration` (by default the editor's)
//! and, for KMS values, the KEK file that stands in for the KMS; the tab finds the provider and
//! key the way kube-apiserver reads ([`crate::envelope_lab::read_pasted`]) and shows the Secret
//! as `kubectl get -o yaml` does, with the value's byte diagram.

use std::rc::Rc;

use secrets_guard_core::envelope::inspect;
use secrets_guard_core::envelope::kek::KekFile;
use secrets_guard_core::envelope::yaml_out;
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::encryption::byte_table;
use crate::envelope_demo::secret_of;
use crate::envelope_lab::{self, KmsKeys, PasteError, PastedRead, SimKms};

#[derive(Properties, PartialEq)]
pub struct PasteProps {
    /// The editor's text: its EncryptionConfiguration is the default.
    pub text: AttrValue,
    /// The tab's simulated KMS, if it has been used.
    pub kms: Option<Rc<SimKms>>,
}

/// What the last read gave.
#[derive(Debug, Clone, PartialEq)]
enum Outcome {
    Read { read: PastedRead, yaml: String },
    Failed(PasteError),
}

/// The paste section.
#[function_component(EncPaste)]
pub fn enc_paste(props: &PasteProps) -> Html {
    let value = use_state(String::new);
    let encoding = use_state(|| "auto".to_string());
    let etcd_key = use_state(|| "/registry/secrets/default/".to_string());
    let config = use_state(String::new);
    let kek = use_state(String::new);
    let busy = use_state(|| false);
    let outcome = use_state(|| None::<Outcome>);
    // Reads done (`data-reads` on the section, for tests that wait for the next result).
    let reads = use_state(|| 0u32);

    let on_decrypt = {
        let (value, encoding, etcd_key, config, kek, busy, outcome, reads) = (
            value.clone(),
            encoding.clone(),
            etcd_key.clone(),
            config.clone(),
            kek.clone(),
            busy.clone(),
            outcome.clone(),
            reads.clone(),
        );
        let (text, kms) = (props.text.clone(), props.kms.clone());
        Callback::from(move |_: MouseEvent| {
            let (value, enc, key) = (
                (*value).clone(),
                envelope_lab::input_encoding(&encoding),
                (*etcd_key).clone(),
            );
            let config = if config.trim().is_empty() {
                text.to_string()
            } else {
                (*config).clone()
            };
            let kek = (*kek).clone();
            let (kms, busy, outcome, reads) =
                (kms.clone(), busy.clone(), outcome.clone(), reads.clone());
            busy.set(true);
            yew::platform::spawn_local(async move {
                let kek_file = match kek.trim() {
                    "" => Ok(None),
                    t => KekFile::parse(t)
                        .map(Some)
                        .map_err(|e| format!("KEK file: {e}")),
                };
                let result = match kek_file {
                    Err(message) => Outcome::Failed(PasteError {
                        message,
                        value: None,
                    }),
                    Ok(kek_file) => {
                        let keys = KmsKeys {
                            kek_file: kek_file.as_ref(),
                            tab: kms.as_deref(),
                        };
                        match envelope_lab::read_pasted(&value, enc, &key, &config, &keys).await {
                            Err(e) => Outcome::Failed(e),
                            Ok(read) => match secret_of(&read.plaintext) {
                                Ok(s) => Outcome::Read {
                                    yaml: yaml_out::to_yaml(&s.to_json(false)),
                                    read,
                                },
                                Err(e) => Outcome::Failed(PasteError {
                                    message: format!(
                                        "{} read the value, but it is no v1 Secret: {e}",
                                        read.via
                                    ),
                                    value: Some(read.input.value),
                                }),
                            },
                        }
                    }
                };
                outcome.set(Some(result));
                reads.set(*reads + 1);
                busy.set(false);
            });
        })
    };

    let text_area = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            state.set(e.target_unchecked_into::<HtmlTextAreaElement>().value())
        })
    };
    let on_key = {
        let etcd_key = etcd_key.clone();
        Callback::from(move |e: InputEvent| {
            etcd_key.set(e.target_unchecked_into::<HtmlInputElement>().value())
        })
    };
    let on_encoding = {
        let encoding = encoding.clone();
        Callback::from(move |e: Event| {
            encoding.set(e.target_unchecked_into::<HtmlSelectElement>().value())
        })
    };

    let (status, diagram_value) = match &*outcome {
        None => (Html::default(), None),
        Some(Outcome::Failed(e)) => (
            html! { <p class="enc-error enc-pre" data-testid="enc-paste-error">{ e.message.clone() }</p> },
            e.value.clone(),
        ),
        Some(Outcome::Read { read, yaml }) => {
            let stale = read.stale.iter().map(|s| html! { <li>{ s.clone() }</li> });
            (
                html! {
                    <>
                        <p class="enc-ok" data-testid="enc-paste-status">
                            { format!("Read by {}: {} ({} input, etcd key {})", read.location,
                                read.via, read.input.encoding, read.etcd_key) }
                        </p>
                        if !read.stale.is_empty() {
                            <ul class="enc-notes" data-testid="enc-paste-stale">
                                <li>{ "Stale: the apiserver would rewrite it on the next write." }</li>
                                { for stale }
                            </ul>
                        }
                        <pre class="enc-secret" data-testid="enc-paste-secret">{ yaml.clone() }</pre>
                    </>
                },
                Some(read.input.value.clone()),
            )
        }
    };
    let diagram = diagram_value.map(|v| {
        let i = inspect::inspect(&v);
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
                        value={(*value).clone()} oninput={text_area(&value)} />
                </div>
                <div class="field">
                    <label for="enc-paste-encoding">{ "Encoding" }</label>
                    <select id="enc-paste-encoding" data-testid="enc-paste-encoding" onchange={on_encoding}>
                        { for ["auto", "base64", "hex", "raw"].iter().map(|e| html! {
                            <option value={*e} selected={*encoding == *e}>{ *e }</option>
                        }) }
                    </select>
                </div>
                <div class="field">
                    <label for="enc-paste-key">{ "etcd key" }</label>
                    <input id="enc-paste-key" type="text" data-testid="enc-paste-key"
                        value={(*etcd_key).clone()} oninput={on_key} />
                </div>
                <div class="field wide">
                    <label for="enc-paste-config">{ "EncryptionConfiguration (empty: the editor's)" }</label>
                    <textarea id="enc-paste-config" data-testid="enc-paste-config" rows="4"
                        placeholder="Empty: the EncryptionConfiguration in the editor"
                        value={(*config).clone()} oninput={text_area(&config)} />
                </div>
                <div class="field wide">
                    <label for="enc-paste-kek">{ "KEK file for KMS values (optional: the --kek file of secrets-guard envelope)" }</label>
                    <textarea id="enc-paste-kek" data-testid="enc-paste-kek" rows="3"
                        value={(*kek).clone()} oninput={text_area(&kek)} />
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
