//! The "Audit log" tab: paste or drop `audit.k8s.io/v1` Events (JSON lines as the log backend
//! writes them, or an EventList as the webhook backend sends it) and see the AEV findings with
//! their line numbers, who accessed which Secrets, and a timeline of that access per user.
//!
//! The log is independent of the editor's manifests; it is kept while the tab is left but never
//! stored nor shared. The analysis is `secrets-guard audit-log`, run by the background worker
//! ([`crate::worker`], [`crate::audit_view::analyse`]) once typing pauses; replies to older
//! texts are ignored. Everything is rendered as text nodes and SVG elements.

use std::rc::Rc;

use gloo::file::callbacks::FileReader;
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

use crate::hooks::use_debounce;
use crate::markup::{self, Node};
use crate::state::{Action, AppState};
use crate::worker::{self, Request, Response};

/// The sample log of "Load sample": planted incidents (every AEV rule but AEV-003) and two
/// malformed lines, the CLI's test fixture.
pub const SAMPLE: &str = include_str!("../../../tests/fixtures/audit/incidents.jsonl");

/// Dropped files larger than this are not read.
pub const MAX_LOG_BYTES: u64 = 32 * 1024 * 1024;

/// How long typing must pause before the log is analysed again.
const ANALYSE_DEBOUNCE_MS: u32 = 300;

#[derive(Properties, PartialEq)]
pub struct AuditProps {
    /// The audit log (`AppState::audit_text`).
    pub text: AttrValue,
    /// The editor's evaluated text: its audit Policy and workloads, for the cross-check.
    pub manifests: AttrValue,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[derive(Debug, Clone, PartialEq, Default)]
struct Shown {
    /// The results, as the worker renders them.
    view: Option<Rc<Node>>,
    busy: bool,
    unavailable: bool,
}

/// The tab.
#[function_component(AuditLogView)]
pub fn audit_log_view(props: &AuditProps) -> Html {
    let shown = use_state(Shown::default);
    let latest = use_mut_ref(|| 0u32);
    // What was analysed last (or is being analysed), so that it is asked for once.
    let asked = use_mut_ref(|| None::<(AttrValue, Option<AttrValue>)>);
    // Cross-check with the editor's documents (its audit Policy, its workloads).
    let use_editor = use_state(|| true);
    let manifests = use_editor.then(|| props.manifests.clone());
    let readers = use_mut_ref(Vec::<FileReader>::new);
    let drop_note = use_state(|| None::<String>);
    let dragging = use_state(|| false);

    let analyse = {
        let shown = shown.clone();
        let latest = latest.clone();
        let asked = asked.clone();
        Callback::from(move |(text, manifests): (AttrValue, Option<AttrValue>)| {
            let key = (text.clone(), manifests.clone());
            if asked.borrow().as_ref() == Some(&key) {
                return;
            }
            *asked.borrow_mut() = Some(key);
            let id = {
                let mut l = latest.borrow_mut();
                *l = l.wrapping_add(1);
                *l
            };
            if text.trim().is_empty() {
                shown.set(Shown::default());
                return;
            }
            shown.set(Shown {
                busy: true,
                ..(*shown).clone()
            });
            let shown = shown.clone();
            let latest = latest.clone();
            worker::request(
                Request::AuditLog {
                    text: text.to_string(),
                    manifests: manifests.map(|m| m.to_string()),
                },
                move |response| {
                    if *latest.borrow() != id {
                        return;
                    }
                    shown.set(match response {
                        Response::AuditLog(view) => Shown {
                            view: Some(Rc::new(*view)),
                            busy: false,
                            unavailable: false,
                        },
                        _ => Shown {
                            view: None,
                            busy: false,
                            unavailable: true,
                        },
                    });
                },
            );
        })
    };
    // Typing: analyse once it pauses.
    let analyse_soon = {
        let analyse = analyse.clone();
        let key = (props.text.clone(), manifests.clone());
        use_debounce(
            ANALYSE_DEBOUNCE_MS,
            Callback::from(move |()| analyse.emit(key.clone())),
        )
    };
    // On opening the tab, and when the editor's documents or the cross-check change: analyse
    // what is there.
    {
        let analyse = analyse.clone();
        let text = props.text.clone();
        use_effect_with(manifests.clone(), move |manifests| {
            analyse.emit((text, manifests.clone()))
        });
    }

    let set_now = {
        let dispatch = props.dispatch.clone();
        let analyse = analyse.clone();
        let manifests = manifests.clone();
        Callback::from(move |text: String| {
            let text: Rc<str> = Rc::from(text);
            dispatch.dispatch(Action::SetAuditText(text.clone()));
            analyse.emit((AttrValue::from(text), manifests.clone()));
        })
    };
    let on_use_editor = {
        let use_editor = use_editor.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            use_editor.set(input.checked());
        })
    };
    let oninput = {
        let dispatch = props.dispatch.clone();
        let analyse_soon = analyse_soon.clone();
        Callback::from(move |e: InputEvent| {
            let area: HtmlTextAreaElement = e.target_unchecked_into();
            dispatch.dispatch(Action::SetAuditText(Rc::from(area.value())));
            analyse_soon.emit(());
        })
    };
    let on_sample = {
        let set_now = set_now.clone();
        let drop_note = drop_note.clone();
        Callback::from(move |_: MouseEvent| {
            drop_note.set(None);
            set_now.emit(SAMPLE.to_string());
        })
    };
    let on_clear = {
        let set_now = set_now.clone();
        let drop_note = drop_note.clone();
        Callback::from(move |_: MouseEvent| {
            drop_note.set(None);
            set_now.emit(String::new());
        })
    };
    let ondragover = {
        let dragging = dragging.clone();
        Callback::from(move |e: DragEvent| {
            // Claimed here: the page's own drop handling (import into the editor) leaves it.
            e.prevent_default();
            if let Some(dt) = e.data_transfer() {
                dt.set_drop_effect("copy");
            }
            dragging.set(true);
        })
    };
    let ondragleave = {
        let dragging = dragging.clone();
        Callback::from(move |_: DragEvent| dragging.set(false))
    };
    let ondrop = {
        let dragging = dragging.clone();
        let drop_note = drop_note.clone();
        let set_now = set_now.clone();
        let readers = readers.clone();
        Callback::from(move |e: DragEvent| {
            e.prevent_default();
            dragging.set(false);
            let Some(file) = e
                .data_transfer()
                .and_then(|dt| dt.files())
                .and_then(|list| list.get(0))
            else {
                // Dropped text (not a file) is the log itself.
                if let Some(text) = e.data_transfer().and_then(|dt| dt.get_data("text").ok()) {
                    if !text.is_empty() {
                        drop_note.set(None);
                        set_now.emit(text);
                    }
                }
                return;
            };
            if file.size() as u64 > MAX_LOG_BYTES {
                drop_note.set(Some(format!(
                    "{} is {} MiB; logs over {} MiB are not read here (use `secrets-guard audit-log`).",
                    file.name(),
                    (file.size() as u64) / (1024 * 1024),
                    MAX_LOG_BYTES / (1024 * 1024)
                )));
                return;
            }
            let file = gloo::file::File::from(file);
            let name = file.name();
            let drop_note = drop_note.clone();
            let set_now = set_now.clone();
            let readers_after = readers.clone();
            let reader = gloo::file::callbacks::read_as_text(&file, move |r| {
                match r {
                    Ok(text) => {
                        drop_note.set(Some(format!("Read {name}.")));
                        set_now.emit(text);
                    }
                    Err(e) => drop_note.set(Some(format!("{name} could not be read: {e}."))),
                }
                // Deferred: this callback runs inside the reader.
                yew::platform::spawn_local(async move {
                    readers_after.borrow_mut().clear();
                });
            });
            readers.borrow_mut().push(reader);
        })
    };

    let results = match &shown.view {
        _ if shown.unavailable => html! {
            <p class="audit-empty">{ "The analysis is not available in this build." }</p>
        },
        None if props.text.trim().is_empty() => html! {
            <p class="audit-empty">{ "Paste audit events above, drop a log file, or load the sample." }</p>
        },
        None => html! { <p class="audit-empty">{ "Analysing\u{2026}" }</p> },
        Some(view) => markup::render(view),
    };

    html! {
        <div class="audit" data-testid="audit" aria-busy={shown.busy.to_string()}>
            <p class="audit-intro">
                { "Kubernetes audit events, as the log backend writes them (one JSON Event per \
                   line) or as the webhook backend sends them (an EventList): the same analyses \
                   as `secrets-guard audit-log`. The log stays in this tab: it is not stored, \
                   shared, nor sent anywhere." }
            </p>
            <div class={classes!("audit-drop", dragging.then_some("drop-target"))}
                data-testid="audit-drop" {ondragover} {ondragleave} {ondrop}>
                <label for="audit-input" class="visually-hidden">{ "Audit events" }</label>
                <textarea id="audit-input" class="audit-input" data-testid="audit-input"
                    spellcheck="false" autocomplete="off" rows="8"
                    placeholder="Paste audit events (JSON lines or an EventList), or drop a log file here"
                    value={props.text.clone()} {oninput} />
                <div class="audit-actions">
                    <button type="button" data-testid="audit-sample" onclick={on_sample}>
                        { "Load sample" }</button>
                    <button type="button" data-testid="audit-clear" onclick={on_clear}>
                        { "Clear" }</button>
                    <label class="audit-use-editor">
                        <input type="checkbox" data-testid="audit-use-editor"
                            checked={*use_editor} onchange={on_use_editor} />
                        { " Cross-check with the editor's audit Policy and workloads" }
                    </label>
                    if let Some(note) = &*drop_note {
                        <span class="audit-note" data-testid="audit-note" role="status">{ note.clone() }</span>
                    }
                </div>
            </div>
            { results }
        </div>
    }
}
