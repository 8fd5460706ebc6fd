//! The "Encryption at rest" tab: build a Secret (or take the editor's first one), pick a
//! provider, and watch what kube-apiserver writes to etcd, step by step: keys, encryption, the
//! final value as an annotated byte diagram (the core's `envelope::inspect`), copyable as base64
//! or hex. Then read it back, or flip a byte first and see AES-GCM refuse it while AES-CBC
//! returns altered bytes without noticing.
//!
//! Below, three experiments (hooks that render, in their own files): rotating the KMS key
//! ([`super::enc_rotation`]), a DEK per write against a cached seed ([`super::enc_cost`]) and
//! reading a pasted etcd value ([`super::enc_paste`]). A finding about a provider choice opens
//! the tab with that provider ([`SEE_STORES`], [`EncPreset`]).
//!
//! The page holds only the UI (and flipping a byte, which is pure): every write, read and
//! experiment runs in the background worker ([`crate::worker`]: `EncWrite`, `EncOpen`,
//! `Rotation`, `Cost`, `ReadPasted`, answered by [`crate::envelope_worker`] with WebCrypto), which
//! keeps the keys of each write, and the byte diagram's layout comes from there too (`Inspect`):
//! the ciphers' flows, the core's envelope layouts and its storage encoders and decoder stay out
//! of the page's module. The tab is `aria-busy` while it waits for the worker. Everything is
//! rendered as text nodes.

use std::rc::Rc;

use base64::Engine as _;
use secrets_guard_core::envelope::inspect::{self, Inspection};
use web_sys::{HtmlInputElement, HtmlSelectElement, HtmlTextAreaElement};
use yew::prelude::*;

use super::enc_cost::use_cost_section;
use super::enc_paste::use_paste_section;
use super::enc_rotation::use_rotation_section;
use super::share::copy_text;
use crate::envelope_demo::{self, Provider};
use crate::envelope_msg::{
    ReadOutcome, SecretForm, SecretInput, Shown, WriteOutcome, WriteRequest,
};
use crate::state::EncPreset;
use crate::worker::{self, Request, Response};
use secrets_guard_core::rules::enc::model::{self, ProviderKind};
use secrets_guard_core::yaml::{parse_documents, Limits, Node};

#[derive(Properties, PartialEq)]
pub struct EncryptionProps {
    /// The editor's text (to take its first Secret).
    pub text: AttrValue,
    /// Opened from a finding's "See what this stores": the provider to show.
    #[prop_or_default]
    pub preset: Option<EncPreset>,
}

/// The rules whose findings offer "See what this stores", and the provider each one is about;
/// `None` stands for the provider the editor's `EncryptionConfiguration` writes Secrets with.
/// The only place that maps rules to providers.
pub const SEE_STORES: [(&str, Option<Provider>); 7] = [
    // Secrets not covered by the configuration: stored as identity stores them.
    ("ENC-001", Some(Provider::Identity)),
    // identity first: Secrets written in plaintext.
    ("ENC-002", Some(Provider::Identity)),
    // identity kept as a fallback: it reads (and shows) plaintext values.
    ("ENC-003", Some(Provider::Identity)),
    ("ENC-004", Some(Provider::AesGcm)),
    ("ENC-005", Some(Provider::AesCbc)),
    // A key on the control plane: aescbc, aesgcm or secretbox, whichever writes.
    ("ENC-006", None),
    // KMS v1: the tab shows KMS v2, its replacement, and measures v1's DEK per write below.
    ("ENC-007", Some(Provider::KmsV2Seed)),
];

/// The provider the view shows for a finding of `rule` on `text` (the editor's), if the rule
/// is about one (see [`SEE_STORES`]).
pub fn provider_for_rule(rule: &str, text: &str) -> Option<Provider> {
    let (_, provider) = SEE_STORES.iter().find(|(id, _)| *id == rule)?;
    if provider.is_some() {
        return *provider;
    }
    // The provider that writes Secrets: the first of the `secrets` entry (the rules' own model,
    // already in the bundle; its keys need not be valid to say which provider it is).
    let mut kind = None;
    parse_documents(text, &Limits::default(), |d| {
        let Ok(doc) = d else { return };
        let k = doc.root.get("kind").and_then(Node::as_str);
        if kind.is_some() || !matches!(k, Some(model::KIND | model::LEGACY_KIND)) {
            return;
        }
        let m = model::EncConfig::parse(&doc.root);
        kind = m.effective("", "secrets").and_then(|e| {
            e.providers
                .first()
                .and_then(|p| p.effective())
                .map(|t| t.kind)
        });
    });
    Some(match kind? {
        ProviderKind::Identity => Provider::Identity,
        ProviderKind::AesGcm => Provider::AesGcm,
        ProviderKind::AesCbc => Provider::AesCbc,
        ProviderKind::Secretbox => Provider::Secretbox,
        ProviderKind::Kms => Provider::KmsV2Seed,
    })
}

/// A value's annotated byte diagram: one row per segment of the core's inspection (rows
/// holding a byte of `flipped` are marked tampered).
pub fn byte_table(
    value: &[u8],
    i: &Inspection,
    flipped: &[usize],
    table_testid: &'static str,
    row_testid: &'static str,
) -> Html {
    let rows = i.segments.iter().map(|s| {
        let tampered = flipped.iter().any(|f| (s.start..s.end).contains(f));
        html! {
            <tr data-testid={row_testid} data-label={s.label.clone()}
                data-length={(s.end - s.start).to_string()}
                class={classes!(format!("depth-{}", s.depth.min(3)), tampered.then_some("tampered"))}>
                <td class="enc-range">{ format!("{}–{}", s.start, s.end) }</td>
                <td class="enc-label">{ s.label.clone() }</td>
                <td class="enc-len">{ format!("{} B", s.end - s.start) }</td>
                <td class="enc-bytes"><code>{ bytes_preview(value, s.start, s.end) }</code></td>
                <td class="enc-detail">{ s.detail.clone() }</td>
            </tr>
        }
    });
    let notes = i.notes.iter().map(|n| html! { <li>{ n.clone() }</li> });
    html! {
        <>
            <div class="enc-diagram-scroll">
            <table class="enc-diagram" data-testid={table_testid}>
                <thead><tr><th>{ "bytes" }</th><th>{ "field" }</th><th>{ "length" }</th>
                    <th>{ "content" }</th><th>{ "meaning" }</th></tr></thead>
                <tbody>{ for rows }</tbody>
            </table>
            </div>
            if let Some(e) = &i.error {
                <p class="enc-error" data-testid="enc-layout-error">{ e.clone() }</p>
            }
            <ul class="enc-notes">{ for notes }</ul>
        </>
    }
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum Encoding {
    Base64,
    Hex,
}

fn encode(value: &[u8], encoding: Encoding) -> String {
    match encoding {
        Encoding::Base64 => base64::engine::general_purpose::STANDARD.encode(value),
        Encoding::Hex => inspect::hex(value),
    }
}

/// At most 24 bytes of hex, then an ellipsis.
fn bytes_preview(value: &[u8], start: usize, end: usize) -> String {
    let end = end.min(value.len());
    let start = start.min(end);
    let shown = &value[start..end.min(start + 24)];
    let mut s = shown
        .iter()
        .map(|b| format!("{b:02x}"))
        .collect::<Vec<_>>()
        .join(" ");
    if end - start > shown.len() {
        s.push_str(" …");
    }
    s
}

/// The first byte of the last segment labelled one of `labels`, if any.
fn segment_start(i: &Inspection, labels: &[&str]) -> Option<usize> {
    i.segments
        .iter()
        .rfind(|s| labels.contains(&s.label.as_str()) && s.end > s.start)
        .map(|s| s.start)
}

/// Why the view opened with this provider.
fn preset_note(p: EncPreset) -> String {
    let extra = if p.rule == "ENC-007" {
        " KMS v1 wraps a new DEK for every write (one KMS call each); below, what KMS v2, its \
         replacement, stores, and the measured cost of both ways."
    } else {
        ""
    };
    format!(
        "Opened from {}: what {} stores.{extra}",
        p.rule,
        p.provider.label()
    )
}

/// The tab.
#[function_component(EncryptionView)]
pub fn encryption_view(props: &EncryptionProps) -> Html {
    let name = use_state(|| "db-credentials".to_string());
    let namespace = use_state(|| "prod".to_string());
    let data = use_state(|| "username=admin\npassword=s3cr3t".to_string());
    let provider = use_state(|| Provider::AesGcm);
    let busy = use_state(|| false);
    let error = use_state(|| None::<String>);
    let written = use_state(|| None::<Rc<Shown>>);
    // The value shown: the written one, or a tampered copy.
    let value = use_state(|| Rc::new(Vec::<u8>::new()));
    let flipped = use_state(Vec::<usize>::new);
    let outcome = use_state(|| None::<ReadOutcome>);
    let encoding = use_state(|| Encoding::Base64);

    // Ask the worker to write (or, for a finding's provider that does not run here, only to
    // find the Secret for the form), and show its answer.
    let run: Rc<dyn Fn(WriteRequest)> = {
        let (busy, error, written, value, flipped, outcome) = (
            busy.clone(),
            error.clone(),
            written.clone(),
            value.clone(),
            flipped.clone(),
            outcome.clone(),
        );
        let (name, namespace, data) = (name.clone(), namespace.clone(), data.clone());
        Rc::new(move |request: WriteRequest| {
            busy.set(true);
            let (busy, error, written, value, flipped, outcome) = (
                busy.clone(),
                error.clone(),
                written.clone(),
                value.clone(),
                flipped.clone(),
                outcome.clone(),
            );
            let (name, namespace, data) = (name.clone(), namespace.clone(), data.clone());
            worker::request(Request::EncWrite(request), move |response| {
                let reply = match response {
                    Response::EncWritten(reply) => *reply,
                    _ => {
                        error.set(Some("the background worker did not answer".into()));
                        busy.set(false);
                        return;
                    }
                };
                // Opened from a finding: the form shows the editor's Secret.
                if let Some((n, ns, d)) = reply.form {
                    name.set(n);
                    namespace.set(ns);
                    if let Some(d) = d {
                        data.set(d);
                    }
                }
                match reply.outcome {
                    WriteOutcome::Resolved => {}
                    WriteOutcome::NoSecret(e) => error.set(Some(e)),
                    WriteOutcome::Written(w) => {
                        value.set(Rc::new(w.value.clone()));
                        written.set(Some(Rc::new(w)));
                        error.set(None);
                        outcome.set(None);
                        flipped.set(vec![]);
                    }
                    WriteOutcome::Failed(e) => {
                        written.set(None);
                        value.set(Rc::new(vec![]));
                        error.set(Some(e));
                        outcome.set(None);
                        flipped.set(vec![]);
                    }
                }
                busy.set(false);
            });
        })
    };

    let form = {
        let (name, namespace, data) = (name.clone(), namespace.clone(), data.clone());
        move || SecretForm {
            name: (*name).clone(),
            namespace: (*namespace).clone(),
            data: (*data).clone(),
        }
    };
    let on_encrypt = {
        let (run, provider, form) = (run.clone(), provider.clone(), form.clone());
        Callback::from(move |_: MouseEvent| {
            run(WriteRequest {
                provider: *provider,
                secret: SecretInput::Form(form()),
                write: true,
            })
        })
    };
    let on_from_editor = {
        let (text, provider, run) = (props.text.clone(), provider.clone(), run.clone());
        Callback::from(move |_: MouseEvent| {
            run(WriteRequest {
                provider: *provider,
                secret: SecretInput::Editor {
                    text: text.to_string(),
                },
                write: true,
            })
        })
    };

    // Opened from a finding: show its provider, and write the editor's first Secret (or the
    // form's) with it at once.
    {
        let provider = provider.clone();
        let (text, preset) = (props.text.clone(), props.preset);
        use_effect_with(preset.map(|p| p.serial), move |_| {
            if let Some(p) = preset {
                provider.set(p.provider);
                run(WriteRequest {
                    provider: p.provider,
                    secret: SecretInput::EditorElseForm {
                        text: text.to_string(),
                        form: form(),
                    },
                    write: p.provider.runs_in_browser(),
                });
            }
        });
    }
    let rotation = use_rotation_section();
    let cost = use_cost_section();
    let paste = use_paste_section(props.text.clone());

    let on_decrypt = {
        let (written, value, outcome, busy) = (
            written.clone(),
            value.clone(),
            outcome.clone(),
            busy.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            let Some(w) = (*written).clone() else { return };
            let (outcome, busy) = (outcome.clone(), busy.clone());
            busy.set(true);
            // The worker holds the write's keys: it decrypts and decodes the Secret, or says
            // why the cipher refused or what the altered bytes are not.
            let request = Request::EncOpen {
                id: w.id,
                value: value.to_vec(),
            };
            worker::request(request, move |response| {
                let result = match response {
                    Response::EncOpened(o) => o,
                    _ => ReadOutcome::Altered("the background worker did not answer".into()),
                };
                outcome.set(Some(result));
                busy.set(false);
            });
        })
    };

    // The byte diagram's layout, from the worker (the core's `envelope::inspect` is not in the
    // page's module): asked again whenever the value changes (written, or a byte flipped), and
    // used only while it describes the value shown.
    let inspected = use_state(|| None::<(Rc<Vec<u8>>, Rc<Inspection>)>);
    {
        let inspected = inspected.clone();
        use_effect_with((*value).clone(), move |value| {
            if !value.is_empty() {
                let value = value.clone();
                let request = Request::Inspect {
                    value: value.to_vec(),
                };
                worker::request(request, move |response| {
                    if let Response::Inspected(i) = response {
                        inspected.set(Some((value, Rc::new(*i))));
                    }
                });
            }
        });
    }
    let inspection = inspected
        .as_ref()
        .filter(|(v, _)| !value.is_empty() && **v == **value)
        .map(|(_, i)| i.clone());
    let inspecting = !value.is_empty() && inspection.is_none();

    let flip_at = {
        let (value, flipped, outcome) = (value.clone(), flipped.clone(), outcome.clone());
        Callback::from(move |index: usize| {
            value.set(Rc::new(envelope_demo::flip(&value, index)));
            let mut f = (*flipped).clone();
            f.push(index);
            flipped.set(f);
            outcome.set(None);
        })
    };
    let flip_button = |labels: &'static [&'static str],
                       text: &'static str,
                       testid: &'static str| {
        let at = inspection.as_ref().and_then(|i| segment_start(i, labels));
        let flip_at = flip_at.clone();
        html! {
            <button type="button" data-testid={testid} disabled={at.is_none() || *busy}
                onclick={Callback::from(move |_: MouseEvent| if let Some(at) = at { flip_at.emit(at) })}>
                { text }
            </button>
        }
    };
    let on_restore = {
        let (written, value, flipped, outcome) = (
            written.clone(),
            value.clone(),
            flipped.clone(),
            outcome.clone(),
        );
        Callback::from(move |_: MouseEvent| {
            if let Some(w) = &*written {
                value.set(Rc::new(w.value.clone()));
            }
            flipped.set(vec![]);
            outcome.set(None);
        })
    };

    let providers = Provider::ALL.into_iter().map(|p| {
        html! {
            <option value={p.name()} selected={*provider == p}>{ p.label() }</option>
        }
    });
    let on_provider = {
        let provider = provider.clone();
        Callback::from(move |e: Event| {
            let select: HtmlSelectElement = e.target_unchecked_into();
            if let Some(p) = Provider::from_name(&select.value()) {
                provider.set(p);
            }
        })
    };
    let text_input = |state: &UseStateHandle<String>| {
        let state = state.clone();
        Callback::from(move |e: InputEvent| {
            let input: HtmlInputElement = e.target_unchecked_into();
            state.set(input.value());
        })
    };
    let on_data = {
        let data = data.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            data.set(area.value());
        })
    };

    let steps = written.as_ref().map(|w| {
        let items = w.steps.iter().map(|s| {
            html! {
                <li data-testid="enc-step">
                    <strong>{ s.title.clone() }</strong>{ ": " }{ s.detail.clone() }
                </li>
            }
        });
        html! {
            <section class="enc-section">
                <h3>{ format!("What the apiserver does ({})", w.provider.label()) }</h3>
                <ol class="enc-steps" data-testid="enc-steps">{ for items }</ol>
            </section>
        }
    });

    let diagram = inspection.as_ref().map(|i| {
        let on_encoding = {
            let encoding = encoding.clone();
            Callback::from(move |e: Event| {
                let select: HtmlSelectElement = e.target_unchecked_into();
                encoding.set(if select.value() == "hex" { Encoding::Hex } else { Encoding::Base64 });
            })
        };
        let shown = encode(&value, *encoding);
        let on_copy = {
            let shown = shown.clone();
            Callback::from(move |_: MouseEvent| copy_text(&shown))
        };
        html! {
            <section class="enc-section">
                <h3>{ format!("The etcd value: {} bytes, {}", i.length, i.format) }</h3>
                { byte_table(&value, i, &flipped, "enc-diagram", "enc-segment") }
                <div class="enc-copy">
                    <label for="enc-encoding">{ "Copy as" }</label>
                    <select id="enc-encoding" data-testid="enc-encoding" onchange={on_encoding}>
                        <option value="base64" selected={*encoding == Encoding::Base64}>{ "base64" }</option>
                        <option value="hex" selected={*encoding == Encoding::Hex}>{ "hex" }</option>
                    </select>
                    <button type="button" data-testid="enc-copy" onclick={on_copy}>{ "Copy" }</button>
                </div>
                <pre class="enc-value" data-testid="enc-value">{ shown }</pre>
            </section>
        }
    });

    let read = written.as_ref().map(|_| {
        let result = match &*outcome {
            None => Html::default(),
            Some(ReadOutcome::Secret(yaml)) => html! {
                <>
                    <p class="enc-ok" data-testid="enc-read-status">{ "Decrypted: the Secret as kubectl shows it." }</p>
                    <pre class="enc-secret" data-testid="enc-secret">{ yaml.clone() }</pre>
                </>
            },
            Some(ReadOutcome::Refused(e)) => html! {
                <p class="enc-error" data-testid="enc-read-status">{ e.clone() }</p>
            },
            Some(ReadOutcome::Altered(e)) => html! {
                <p class="enc-error" data-testid="enc-read-status">
                    { format!("The cipher raised no error (nothing authenticates the bytes) and returned altered data: {e}") }
                </p>
            },
        };
        let flips = if flipped.is_empty() {
            "Value as written.".to_string()
        } else {
            let list: Vec<String> = flipped.iter().map(|f| f.to_string()).collect();
            format!("Tampered: lowest bit flipped at byte {}.", list.join(", "))
        };
        html! {
            <section class="enc-section">
                <h3>{ "Read it back" }</h3>
                <div class="enc-actions">
                    <button type="button" class="primary" data-testid="enc-decrypt"
                        disabled={*busy} onclick={on_decrypt}>{ "Decrypt" }</button>
                    { flip_button(&["nonce", "IV"], "Flip a nonce/IV byte", "enc-flip-nonce") }
                    { flip_button(&["ciphertext"], "Flip a ciphertext byte", "enc-flip-ciphertext") }
                    { flip_button(&["tag"], "Flip a tag byte", "enc-flip-tag") }
                    <button type="button" data-testid="enc-restore" disabled={flipped.is_empty()}
                        onclick={on_restore}>{ "Restore" }</button>
                </div>
                <p class="enc-flips" data-testid="enc-flips">{ flips }</p>
                { result }
            </section>
        }
    });

    html! {
        <div class="encryption" data-testid="encryption"
            aria-busy={(*busy || inspecting).to_string()}>
            <h2>{ "Encryption at rest" }</h2>
            <p class="intro">
                { "What kube-apiserver writes to etcd for a Secret, byte for byte. The ciphers run \
                   in this tab with WebCrypto (keys are non-extractable); the layouts are the \
                   core's, the same as the CLI's `secrets-guard envelope`. Nothing leaves the browser." }
            </p>
            if let Some(p) = props.preset {
                <p class="enc-preset" data-testid="enc-preset">{ preset_note(p) }</p>
            }
            <fieldset class="enc-secret-form">
                <legend>{ "Secret" }</legend>
                <div class="field">
                    <label for="enc-name">{ "Name" }</label>
                    <input id="enc-name" type="text" data-testid="enc-name" value={(*name).clone()}
                        oninput={text_input(&name)} />
                </div>
                <div class="field">
                    <label for="enc-namespace">{ "Namespace" }</label>
                    <input id="enc-namespace" type="text" data-testid="enc-namespace"
                        value={(*namespace).clone()} oninput={text_input(&namespace)} />
                </div>
                <div class="field wide">
                    <label for="enc-data">{ "Data (one key=value a line)" }</label>
                    <textarea id="enc-data" data-testid="enc-data" rows="3" value={(*data).clone()}
                        oninput={on_data} />
                </div>
                <div class="field wide">
                    <label for="enc-provider">{ "Provider" }</label>
                    <select id="enc-provider" data-testid="enc-provider" onchange={on_provider}>
                        { for providers }
                    </select>
                </div>
                <div class="enc-actions">
                    <button type="button" class="primary" data-testid="enc-encrypt"
                        disabled={*busy || !provider.runs_in_browser()} onclick={on_encrypt}>
                        { "Encrypt this Secret" }
                    </button>
                    <button type="button" data-testid="enc-from-editor"
                        disabled={*busy || !provider.runs_in_browser()} onclick={on_from_editor}>
                        { "Encrypt the editor's first Secret" }
                    </button>
                </div>
                if !provider.runs_in_browser() {
                    <p class="hint" data-testid="enc-native-only">
                        { "secretbox (XSalsa20-Poly1305) is not in WebCrypto: encrypt it with \
                           `secrets-guard envelope encrypt`, and inspect the value there." }
                    </p>
                }
            </fieldset>
            if let Some(e) = &*error {
                <p class="enc-error" data-testid="enc-error">{ e.clone() }</p>
            }
            { steps.unwrap_or_default() }
            { diagram.unwrap_or_default() }
            { read.unwrap_or_default() }
            { rotation }
            { cost }
            { paste }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use secrets_guard_core::admission::PolicySettings;

    use super::*;
    use crate::state::{Action, AppState, Tab};

    const CONFIG: &str = "apiVersion: apiserver.config.k8s.io/v1\nkind: EncryptionConfiguration\nresources:\n- resources: [secrets]\n  providers:\n  - secretbox: {keys: [{name: k, secret: YWJjZGVmZ2hpamtsbW5vcHFyc3R1dnd4eXoxMjM0NTY=}]}\n  - identity: {}\n";

    #[test]
    fn rules_map_to_the_provider_they_are_about() {
        let fixed = [
            ("ENC-001", Provider::Identity),
            ("ENC-002", Provider::Identity),
            ("ENC-003", Provider::Identity),
            ("ENC-004", Provider::AesGcm),
            ("ENC-005", Provider::AesCbc),
            ("ENC-007", Provider::KmsV2Seed),
        ];
        for (rule, p) in fixed {
            assert_eq!(provider_for_rule(rule, ""), Some(p), "{rule}");
        }
        // ENC-006: whichever local-key provider writes.
        assert_eq!(
            provider_for_rule("ENC-006", CONFIG),
            Some(Provider::Secretbox)
        );
        let aesgcm = CONFIG.replace("secretbox", "aesgcm");
        assert_eq!(
            provider_for_rule("ENC-006", &aesgcm),
            Some(Provider::AesGcm)
        );
        assert_eq!(provider_for_rule("ENC-006", "kind: Pod\n"), None);
        assert_eq!(provider_for_rule("ENC-008", CONFIG), None);
        assert_eq!(provider_for_rule("RBAC-001", CONFIG), None);
    }

    #[test]
    fn see_stores_opens_the_tab_with_the_provider() {
        let state = std::rc::Rc::new(AppState::new(CONFIG.into(), PolicySettings::default()));
        // A rule about no provider changes nothing.
        let same = yew::Reducible::reduce(state.clone(), Action::SeeStores("ENC-008"));
        assert!(std::rc::Rc::ptr_eq(&same, &state));
        let next = yew::Reducible::reduce(state, Action::SeeStores("ENC-006"));
        assert_eq!(next.tab, Tab::Encryption);
        let p = next.enc_preset.unwrap();
        assert_eq!(
            (p.provider, p.rule, p.serial),
            (Provider::Secretbox, "ENC-006", 1)
        );
        let again = yew::Reducible::reduce(next, Action::SeeStores("ENC-002"));
        let p = again.enc_preset.unwrap();
        assert_eq!((p.provider, p.serial), (Provider::Identity, 2));
        assert_eq!(
            preset_note(p),
            "Opened from ENC-002: what identity (no encryption) stores."
        );
    }
}
