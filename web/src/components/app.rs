//! The root component: header, editor pane, and the tabbed right-hand pane; the help and rule
//! documentation dialogs; the theme, keyboard shortcuts and local storage hooks.

use yew::prelude::*;

use super::access::AccessView;
use super::admission::AdmissionPreview;
use super::audit::AuditLogView;
use super::editor::Editor;
use super::encryption::EncryptionView;
use super::findings::Findings;
use super::gallery::Gallery;
use super::header::Header;
use super::help::Help;
use super::import_export::ImportExport;
use super::rule_docs::RuleDocs;
use super::settings::SettingsForm;
use super::share::{self, Share, ShareNotice};
use crate::examples;
use crate::hooks::shortcuts::use_shortcuts;
use crate::hooks::storage::{self, use_persistence};
use crate::hooks::theme::use_theme;
use crate::hooks::use_debounce;
use crate::state::{Action, Tab};

/// The tab a key press on the tab list moves to (arrow keys wrap, Home/End jump).
pub fn tab_after_key(current: Tab, key: &str) -> Option<Tab> {
    let i = Tab::ALL.iter().position(|&t| t == current)?;
    let n = Tab::ALL.len();
    match key {
        "ArrowRight" | "ArrowDown" => Some(Tab::ALL[(i + 1) % n]),
        "ArrowLeft" | "ArrowUp" => Some(Tab::ALL[(i + n - 1) % n]),
        "Home" => Some(Tab::ALL[0]),
        "End" => Some(Tab::ALL[n - 1]),
        _ => None,
    }
}

/// Move the keyboard focus to a tab's button.
fn focus_tab(tab: Tab) {
    let el = gloo::utils::document().get_element_by_id(&format!("tab-{}", tab.name()));
    if let Some(el) =
        el.and_then(|e| wasm_bindgen::JsCast::dyn_into::<web_sys::HtmlElement>(e).ok())
    {
        let _ = el.focus();
    }
}

/// How long the editor waits after the last keystroke before evaluating.
pub const EVALUATE_DEBOUNCE_MS: u32 = 150;

#[function_component(App)]
pub fn app() -> Html {
    // A share link in the address wins (see `share::initial_shared_state`); then what a previous
    // visit kept in local storage; else the seed article's examples.
    let state = use_reducer(|| {
        let mut stored = storage::load();
        if let Some(shared) = share::initial_shared_state() {
            stored.text = Some(shared.text);
            stored.settings = Some(shared.settings);
            stored.tab = Some(shared.tab);
        }
        stored.into_state(examples::seed_document)
    });
    let remember = use_state(storage::remembering);
    use_theme(state.theme);
    use_shortcuts(state.dispatcher());
    use_persistence(&state, *remember);

    // Typing sets the text at once and evaluates once typing pauses.
    let evaluate_soon = {
        let state = state.dispatcher();
        use_debounce(
            EVALUATE_DEBOUNCE_MS,
            Callback::from(move |()| state.dispatch(Action::Evaluate)),
        )
    };
    let on_change = {
        let state = state.dispatcher();
        use_callback(evaluate_soon, move |text: String, evaluate_soon| {
            state.dispatch(Action::SetText(text));
            evaluate_soon.emit(());
        })
    };

    // Each tab starts scrolled to its top.
    let panel = use_node_ref();
    {
        let panel = panel.clone();
        use_effect_with(state.tab, move |_| {
            if let Some(el) = panel.cast::<web_sys::Element>() {
                el.set_scroll_top(0);
            }
        });
    }

    let on_tab_key = {
        let dispatch = state.dispatcher();
        let current = state.tab;
        Callback::from(move |e: KeyboardEvent| {
            if let Some(tab) = tab_after_key(current, &e.key()) {
                e.prevent_default();
                dispatch.dispatch(Action::SetTab(tab));
                focus_tab(tab);
            }
        })
    };
    let tabs = Tab::ALL.into_iter().map(|tab| {
        let onclick = {
            let state = state.dispatcher();
            Callback::from(move |_| state.dispatch(Action::SetTab(tab)))
        };
        let selected = state.tab == tab;
        html! {
            <button type="button" role="tab" id={format!("tab-{}", tab.name())}
                aria-selected={selected.to_string()} aria-controls={format!("panel-{}", tab.name())}
                tabindex={if selected { "0" } else { "-1" }}
                data-testid={format!("tab-{}", tab.name())} {onclick}>
                { tab.label() }
                if tab == Tab::Findings {
                    <span class="tab-count">
                        { state.evaluation.report.active().count() }
                    </span>
                }
            </button>
        }
    });
    let pane = match state.tab {
        Tab::Findings => html! {
            <Findings evaluation={state.evaluation.clone()} filter={state.filter.clone()}
                dispatch={state.dispatcher()} />
        },
        Tab::Gallery => html! {
            <Gallery dispatch={state.dispatcher()} text={AttrValue::from(state.text.clone())} />
        },
        Tab::Settings => html! {
            <SettingsForm settings={state.settings.clone()} dispatch={state.dispatcher()} />
        },
        Tab::Admission => html! {
            <AdmissionPreview text={AttrValue::from(state.evaluation.source.to_string())}
                settings={state.settings.clone()} />
        },
        Tab::Encryption => html! {
            <EncryptionView text={AttrValue::from(state.text.clone())} preset={state.enc_preset} />
        },
        Tab::Access => html! {
            <AccessView text={AttrValue::from(state.evaluation.source.clone())} />
        },
        Tab::Audit => html! {
            <AuditLogView text={AttrValue::from(state.audit_text.clone())}
                manifests={AttrValue::from(state.evaluation.source.clone())}
                dispatch={state.dispatcher()} />
        },
    };

    let docs = state.docs_rule.map(|rule| {
        let dispatch = state.dispatcher();
        let on_close = Callback::from(move |()| dispatch.dispatch(Action::ShowDocs(None)));
        html! { <RuleDocs rule={rule} {on_close} /> }
    });
    let help = state.help_open.then(|| {
        let dispatch = state.dispatcher();
        let on_close = Callback::from(move |()| dispatch.dispatch(Action::ShowHelp(false)));
        let on_remember = {
            let remember = remember.clone();
            Callback::from(move |on: bool| {
                storage::set_remembering(on);
                remember.set(on);
            })
        };
        html! { <Help {on_close} remember={*remember} {on_remember} /> }
    });

    // For keyboard users: the editor keeps Tab for indentation, so this jumps past it.
    let skip_to_results = {
        let tab = state.tab;
        Callback::from(move |_: MouseEvent| focus_tab(tab))
    };

    html! {
        <div class="app">
            <button type="button" class="skip-link" onclick={skip_to_results}>{ "Skip to results" }</button>
            <Header theme={state.theme} dispatch={state.dispatcher()}>
                <span class="eval-time" data-testid="eval-time" title="Time of the last evaluation">
                    { format!("{:.1} ms", state.evaluation.millis) }
                </span>
                // Sharing, import and export.
                <ImportExport text={AttrValue::from(state.text.clone())}
                    evaluation={state.evaluation.clone()} settings={state.settings.clone()}
                    dispatch={state.dispatcher()} />
                <Share text={AttrValue::from(state.text.clone())} settings={state.settings.clone()}
                    tab={state.tab} share_requests={state.share_requests} dispatch={state.dispatcher()} />
            </Header>
            <ShareNotice dispatch={state.dispatcher()} />
            <main class="panes">
                <section class="editor-pane" aria-label="Manifests">
                    <Editor text={AttrValue::from(state.text.clone())}
                        evaluation={state.evaluation.clone()}
                        selection={state.selection}
                        selection_serial={state.selection_serial}
                        {on_change} />
                </section>
                <section class="side-pane" aria-label="Results">
                    <div role="tablist" class="tabs" aria-label="Results" onkeydown={on_tab_key}>
                        { for tabs }
                    </div>
                    <div ref={panel.clone()} role="tabpanel" class="tab-panel" id={format!("panel-{}", state.tab.name())}
                        aria-labelledby={format!("tab-{}", state.tab.name())} tabindex="0">
                        { pane }
                    </div>
                </section>
            </main>
            { docs.unwrap_or_default() }
            { help.unwrap_or_default() }
        </div>
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn arrow_keys_wrap_around_the_tabs() {
        assert_eq!(
            tab_after_key(Tab::Findings, "ArrowRight"),
            Some(Tab::Gallery)
        );
        assert_eq!(tab_after_key(Tab::Findings, "ArrowLeft"), Some(Tab::Audit));
        assert_eq!(
            tab_after_key(Tab::Encryption, "ArrowRight"),
            Some(Tab::Access)
        );
        assert_eq!(tab_after_key(Tab::Access, "ArrowRight"), Some(Tab::Audit));
        assert_eq!(tab_after_key(Tab::Audit, "ArrowRight"), Some(Tab::Findings));
        assert_eq!(tab_after_key(Tab::Gallery, "Home"), Some(Tab::Findings));
        assert_eq!(tab_after_key(Tab::Gallery, "End"), Some(Tab::Audit));
        assert_eq!(tab_after_key(Tab::Gallery, "a"), None);
    }
}
