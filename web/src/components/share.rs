//! Sharing: the share button and dialog (a link that carries the whole state in its fragment,
//! see [`crate::share`]), the notice shown when a link is opened, and the clipboard helper.
//!
//! The dialog says plainly that the link carries the text, offers to redact secret values first
//! (on by default when there are some; [`secrets_guard_core::redact`]), and refuses links over
//! the size limit. Ctrl/Cmd+S ([`crate::state::Action::Share`]) opens the dialog and copies the
//! link at once.

use secrets_guard_core::admission::PolicySettings;
use secrets_guard_core::redact::{redact, Redaction};
use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::share::{self, SharedState, SizeCheck, MAX_FRAGMENT_CHARS, WARN_FRAGMENT_CHARS};
use crate::state::{Action, AppState, Tab};

/// Copy `text` to the clipboard; `done` gets whether it worked.
pub fn copy_text_then(text: &str, done: Callback<bool>) {
    let Some(window) = web_sys::window() else {
        done.emit(false);
        return;
    };
    let promise = window.navigator().clipboard().write_text(text);
    yew::platform::spawn_local(async move {
        let ok = wasm_bindgen_futures::JsFuture::from(promise).await.is_ok();
        done.emit(ok);
    });
}

/// Copy `text` to the clipboard, without waiting for the result.
pub fn copy_text(text: &str) {
    copy_text_then(text, Callback::noop());
}

/// The page's address without its fragment.
fn page_base() -> String {
    web_sys::window()
        .and_then(|w| w.location().href().ok())
        .map(|h| h.split('#').next().unwrap_or("").to_string())
        .unwrap_or_default()
}

/// The current fragment (with its `#`), if any.
fn current_hash() -> String {
    web_sys::window()
        .and_then(|w| w.location().hash().ok())
        .unwrap_or_default()
}

/// Drop the fragment from the address bar (without reloading or adding a history entry): once a
/// link is opened, the work goes on from there and a reload should not bring the link back.
fn clear_hash() {
    if let Some(w) = web_sys::window() {
        let loc = w.location();
        let url = format!(
            "{}{}",
            loc.pathname().unwrap_or_default(),
            loc.search().unwrap_or_default()
        );
        if let Ok(h) = w.history() {
            let _ = h.replace_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(&url));
        }
    }
}

/// The state a share link in the page's address describes, if it has a valid one: the app
/// starts from it, before anything stored from a previous visit.
pub fn initial_shared_state() -> Option<SharedState> {
    let hash = current_hash();
    share::is_share_fragment(&hash)
        .then(|| share::decode(&hash).ok())
        .flatten()
        .map(|d| d.state)
}

/// What the dialog would share: the link (or why there is none) and what went into it.
#[derive(Debug, Clone, PartialEq)]
pub struct Prepared {
    /// The fragment, when the size allows a link.
    pub fragment: Option<String>,
    /// The fragment's length, in characters.
    pub chars: usize,
    pub size: SizeCheck,
    /// Secret values in the text (before redaction).
    pub secret_values: usize,
    /// Documents that could not be parsed (their text is not redacted).
    pub unparsed: usize,
    /// Whether the shared text was redacted.
    pub redacted: bool,
    /// Lines of the shared text.
    pub lines: usize,
}

/// Prepare a link for `text`, `settings` and `tab`, redacting first when asked.
pub fn prepare(
    text: &str,
    settings: &PolicySettings,
    tab: Tab,
    redaction: &Redaction,
    redact_values: bool,
) -> Prepared {
    let shared_text = if redact_values && redaction.values > 0 {
        redaction.text.clone()
    } else {
        text.to_string()
    };
    let fragment = share::encode(&SharedState {
        text: shared_text,
        settings: settings.clone(),
        tab,
    });
    let chars = fragment.chars().count();
    let size = SizeCheck::of(chars);
    Prepared {
        fragment: (size != SizeCheck::TooLong).then_some(fragment),
        chars,
        size,
        secret_values: redaction.values,
        unparsed: redaction.unparsed,
        redacted: redact_values && redaction.values > 0,
        lines: text.lines().count(),
    }
}

/// What the warning says, sentence by sentence.
pub fn warning_lines(p: &Prepared) -> Vec<String> {
    let mut out = vec![format!(
        "The link carries the text itself ({} line{}, compressed), the settings and the selected tab. \
         Anyone who has the link can read all of it. Nothing is uploaded: the link is the only copy.",
        p.lines,
        if p.lines == 1 { "" } else { "s" }
    )];
    match (p.secret_values, p.redacted) {
        (0, _) => out.push("No secret values were found in the text.".into()),
        (n, true) => out.push(format!(
            "{n} secret value{} replaced by REDACTED in the link (your editor keeps them).",
            if n == 1 { " is" } else { "s are" }
        )),
        (n, false) => out.push(format!(
            "The text holds {n} secret value{} (Secret data or detected credentials), and the link carries {}.",
            if n == 1 { "" } else { "s" },
            if n == 1 { "it" } else { "them" }
        )),
    }
    if p.unparsed > 0 {
        out.push(format!(
            "{} part{} of the text could not be parsed and {} shared as written, without redaction.",
            p.unparsed,
            if p.unparsed == 1 { "" } else { "s" },
            if p.unparsed == 1 { "is" } else { "are" }
        ));
    }
    match p.size {
        SizeCheck::Fine => {}
        SizeCheck::Long => out.push(format!(
            "The link is {} characters long: some chat tools and e-mail clients cut links longer than {} KiB. Check that it arrives whole.",
            p.chars,
            WARN_FRAGMENT_CHARS / 1024
        )),
        SizeCheck::TooLong => out.push(format!(
            "No link: it would be {} characters, over the {} KiB limit that browsers and chat tools handle reliably. \
             Share fewer documents, or export the findings instead.",
            p.chars,
            MAX_FRAGMENT_CHARS / 1024
        )),
    }
    out
}

#[derive(Properties, PartialEq)]
pub struct ShareProps {
    pub text: AttrValue,
    pub settings: PolicySettings,
    pub tab: Tab,
    /// [`AppState::share_requests`]: a change opens the dialog and copies the link.
    pub share_requests: u32,
    pub dispatch: UseReducerDispatcher<AppState>,
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
enum CopyState {
    Idle,
    Copied,
    Failed,
}

/// The share button, its dialog, and the notice about an opened link.
#[function_component(Share)]
pub fn share_button(props: &ShareProps) -> Html {
    let open = use_state(|| false);
    let redact_on = use_state(|| None::<bool>);
    let copy_state = use_state(|| CopyState::Idle);
    let dialog = use_node_ref();

    // Redaction and encoding read the whole text: done only while the dialog is open (and once
    // per Ctrl/Cmd+S below), never on the keystrokes typed while it is closed.
    let redaction = use_memo((props.text.clone(), *open), |(text, open)| {
        open.then(|| redact(text))
    });
    let redact_values =
        redact_on.unwrap_or(redaction.as_ref().as_ref().is_some_and(|r| r.values > 0));
    let prepared = use_memo(
        (
            props.text.clone(),
            props.settings.clone(),
            props.tab,
            redact_values,
            *open,
        ),
        {
            let redaction = redaction.clone();
            move |(text, settings, tab, redact_values, _)| {
                redaction
                    .as_ref()
                    .as_ref()
                    .map(|r| prepare(text, settings, *tab, r, *redact_values))
            }
        },
    );
    let url = prepared
        .as_ref()
        .as_ref()
        .and_then(|p| p.fragment.as_ref())
        .map(|f| share::share_url(&page_base(), f));

    // Ctrl/Cmd+S: open and copy. The link is made here from the current state, as the dialog
    // may have been closed until now.
    {
        let open = open.clone();
        let copy_state = copy_state.clone();
        let (text, settings, tab, redact_on) = (
            props.text.clone(),
            props.settings.clone(),
            props.tab,
            *redact_on,
        );
        use_effect_with(props.share_requests, move |n| {
            if *n > 0 {
                open.set(true);
                let redaction = redact(&text);
                let redact_values = redact_on.unwrap_or(redaction.values > 0);
                let url = prepare(&text, &settings, tab, &redaction, redact_values)
                    .fragment
                    .map(|f| share::share_url(&page_base(), &f));
                match url {
                    Some(u) => {
                        let copy_state = copy_state.clone();
                        copy_text_then(
                            &u,
                            Callback::from(move |ok| {
                                copy_state.set(if ok {
                                    CopyState::Copied
                                } else {
                                    CopyState::Failed
                                })
                            }),
                        );
                    }
                    None => copy_state.set(CopyState::Failed),
                }
            }
        });
    }
    // The native dialog: modal while open.
    {
        let dialog = dialog.clone();
        use_effect_with(*open, move |open| {
            if let Some(d) = dialog.cast::<web_sys::HtmlDialogElement>() {
                if *open && !d.open() {
                    let _ = d.show_modal();
                } else if !*open && d.open() {
                    d.close();
                }
            }
        });
    }

    let on_open = {
        let open = open.clone();
        let copy_state = copy_state.clone();
        Callback::from(move |_: MouseEvent| {
            copy_state.set(CopyState::Idle);
            open.set(true);
        })
    };
    let on_close = {
        let open = open.clone();
        Callback::from(move |_: MouseEvent| open.set(false))
    };
    // Escape or the dialog closing itself.
    let on_dialog_close = {
        let open = open.clone();
        Callback::from(move |_: Event| open.set(false))
    };
    let on_redact = {
        let redact_on = redact_on.clone();
        let copy_state = copy_state.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            redact_on.set(Some(input.checked()));
            copy_state.set(CopyState::Idle);
        })
    };
    let on_copy = {
        let copy_state = copy_state.clone();
        let url = url.clone();
        Callback::from(move |_: MouseEvent| {
            if let Some(u) = &url {
                let copy_state = copy_state.clone();
                copy_text_then(
                    u,
                    Callback::from(move |ok| {
                        copy_state.set(if ok {
                            CopyState::Copied
                        } else {
                            CopyState::Failed
                        })
                    }),
                );
            }
        })
    };
    let on_focus_link = Callback::from(|e: FocusEvent| {
        if let Some(input) = e
            .target()
            .and_then(|t| t.dyn_into::<web_sys::HtmlInputElement>().ok())
        {
            input.select();
        }
    });

    html! {
        <>
            <button type="button" class="share-button" data-testid="share-button"
                aria-haspopup="dialog" title="Share a link (Ctrl/⌘+S)" onclick={on_open}>
                { "Share" }
            </button>
            <dialog ref={dialog} class="share-dialog modal" data-testid="share-dialog"
                aria-labelledby="share-title" onclose={on_dialog_close}>
                if let Some(p) = prepared.as_ref() {
                    <div class="modal-inner">
                        <button type="button" class="modal-close" aria-label="Close" title="Close (Esc)"
                            onclick={on_close.clone()}>{ "×" }</button>
                        <h2 id="share-title">{ "Share this playground" }</h2>
                        <div class={classes!("share-warning", (p.secret_values > 0 && !p.redacted).then_some("danger"))}
                            data-testid="share-warning" role="note">
                            { for warning_lines(p).into_iter().map(|l| html! { <p>{ l }</p> }) }
                        </div>
                        <label class="share-redact">
                            <input type="checkbox" data-testid="share-redact" checked={redact_values}
                                disabled={p.secret_values == 0} onchange={on_redact} />
                            { format!(" Redact secret values ({} found): Secret data and stringData, detected credentials", p.secret_values) }
                        </label>
                        if let Some(u) = &url {
                            <label class="share-link-label" for="share-link">{ "Link" }</label>
                            <div class="share-link-row">
                                <input id="share-link" type="text" readonly=true data-testid="share-link"
                                    value={u.clone()} onfocus={on_focus_link} />
                                <button type="button" class="primary" data-testid="copy-share-link" onclick={on_copy}>
                                    { match *copy_state {
                                        CopyState::Copied => "Copied",
                                        CopyState::Failed => "Copy again",
                                        CopyState::Idle => "Copy link",
                                    } }
                                </button>
                            </div>
                            <p class="share-status" role="status" data-testid="share-status">
                                { match *copy_state {
                                    CopyState::Copied => "The link is on the clipboard.".to_string(),
                                    CopyState::Failed => "The clipboard refused: select the link and copy it.".to_string(),
                                    CopyState::Idle => String::new(),
                                } }
                            </p>
                        } else {
                            <p class="share-too-long" data-testid="share-too-long" role="alert">
                                { format!("No link: {} characters is over the {} KiB limit.", p.chars, MAX_FRAGMENT_CHARS / 1024) }
                            </p>
                        }
                        <p class="share-meta">
                            { format!("{} characters · share format {} · engine {}", p.chars, share::FORMAT_VERSION, secrets_guard_core::VERSION) }
                        </p>
                    </div>
                }
            </dialog>
        </>
    }
}

#[derive(Properties, PartialEq)]
pub struct ShareNoticeProps {
    pub dispatch: UseReducerDispatcher<AppState>,
}

/// The outcome of opening a link: nothing, a note (another engine version) or an error.
#[derive(Debug, Clone, PartialEq)]
enum Notice {
    Note(String),
    Error(String),
}

/// Tells what happened to a share link in the address: opened from another engine version (a
/// note), or not readable (the error, and the page starts as usual). Also opens a link pasted
/// into the address bar of an open page (`hashchange`).
#[function_component(ShareNotice)]
pub fn share_notice(props: &ShareNoticeProps) -> Html {
    let notice = use_state(|| None::<Notice>);
    {
        let notice = notice.clone();
        let dispatch = props.dispatch.clone();
        use_effect_with((), move |_| {
            // On load the app already started from a valid link (see `initial_shared_state`).
            let hash = current_hash();
            if share::is_share_fragment(&hash) {
                match share::decode(&hash) {
                    Ok(d) => notice.set(d.engine_note().map(Notice::Note)),
                    Err(e) => notice.set(Some(Notice::Error(format!(
                        "The share link could not be opened: {e}."
                    )))),
                }
                clear_hash();
            }
            let listener =
                gloo::events::EventListener::new(&gloo::utils::window(), "hashchange", {
                    let notice = notice.clone();
                    move |_| {
                        let hash = current_hash();
                        if !share::is_share_fragment(&hash) {
                            return;
                        }
                        match share::decode(&hash) {
                            Ok(d) => {
                                notice.set(d.engine_note().map(Notice::Note));
                                dispatch.dispatch(Action::LoadShared(d.state));
                            }
                            Err(e) => notice.set(Some(Notice::Error(format!(
                                "The share link could not be opened: {e}."
                            )))),
                        }
                        clear_hash();
                    }
                });
            move || drop(listener)
        });
    }
    let dismiss = {
        let notice = notice.clone();
        Callback::from(move |_: MouseEvent| notice.set(None))
    };
    match &*notice {
        None => html! {},
        Some(n) => {
            let (class, testid, role, text) = match n {
                Notice::Note(t) => ("share-notice note", "share-note", "status", t),
                Notice::Error(t) => ("share-notice error", "share-error", "alert", t),
            };
            html! {
                <div class={class} data-testid={testid} role={role}>
                    <p>{ text.clone() }</p>
                    <button type="button" aria-label="Dismiss" onclick={dismiss}>{ "×" }</button>
                </div>
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::examples;

    #[test]
    fn prepare_redacts_by_choice_and_warns() {
        let text = "apiVersion: v1\nkind: Secret\nmetadata: {name: db}\nstringData: {password: hunter2hunter2}\n";
        let r = redact(text);
        let settings = PolicySettings::default();
        let on = prepare(text, &settings, Tab::Findings, &r, true);
        assert!(on.redacted);
        let shared = share::decode(on.fragment.as_ref().unwrap()).unwrap().state;
        assert!(!shared.text.contains("hunter2hunter2"));
        assert!(shared.text.contains("password: \"REDACTED\""));
        let lines = warning_lines(&on);
        assert!(lines[0].starts_with("The link carries the text itself (4 lines, compressed)"));
        assert_eq!(
            lines[1],
            "1 secret value is replaced by REDACTED in the link (your editor keeps them)."
        );

        let off = prepare(text, &settings, Tab::Findings, &r, false);
        assert!(!off.redacted);
        let shared = share::decode(off.fragment.as_ref().unwrap()).unwrap().state;
        assert_eq!(shared.text, text);
        assert!(warning_lines(&off)[1].contains("holds 1 secret value"));
    }

    #[test]
    fn seed_link_and_size_refusal() {
        let seed = examples::seed_document();
        let r = redact(&seed);
        assert_eq!(r.values, 0);
        let p = prepare(&seed, &PolicySettings::default(), Tab::Admission, &r, true);
        assert_eq!(p.size, SizeCheck::Fine);
        assert!(!p.redacted);
        assert_eq!(
            warning_lines(&p)[1],
            "No secret values were found in the text."
        );
        // Incompressible text beyond the limit: no link, and the warning says why.
        let mut x: u64 = 1;
        let noise: String = (0..120_000)
            .map(|_| {
                x = x
                    .wrapping_mul(6364136223846793005)
                    .wrapping_add(1442695040888963407);
                char::from(b'a' + ((x >> 33) % 26) as u8)
            })
            .collect();
        let big = format!("a: {noise}\n");
        let p = prepare(
            &big,
            &PolicySettings::default(),
            Tab::Findings,
            &redact(&big),
            true,
        );
        assert_eq!(p.size, SizeCheck::TooLong);
        assert!(p.fragment.is_none());
        assert!(warning_lines(&p)
            .last()
            .unwrap()
            .starts_with("No link: it would be"));
    }
}
