//! The root component: header, editor pane, and the tabbed right-hand pane.

use yew::prelude::*;

use super::admission::AdmissionPreview;
use super::editor::Editor;
use super::import_export::ImportExport;
use super::settings::SettingsForm;
use super::share::{self, Share, ShareNotice};
use crate::examples;
use crate::hooks::use_debounce;
use crate::state::{Action, AppState, Tab};

/// How long the editor waits after the last keystroke before evaluating.
pub const EVALUATE_DEBOUNCE_MS: u32 = 150;

#[function_component(App)]
pub fn app() -> Html {
    // A share link in the address wins over everything else (see `share::initial_shared_state`).
    let state = use_reducer(|| {
        let mut state = AppState::new(examples::seed_document(), Default::default());
        if let Some(shared) = share::initial_shared_state() {
            state.text = shared.text;
            state.settings = shared.settings;
            state.tab = shared.tab;
            state.evaluation =
                std::rc::Rc::new(crate::engine::evaluate(&state.text, &state.settings));
        }
        state
    });
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
    let tabs = Tab::ALL.into_iter().map(|tab| {
        let onclick = {
            let state = state.dispatcher();
            Callback::from(move |_| state.dispatch(Action::SetTab(tab)))
        };
        html! {
            <button role="tab" aria-selected={(state.tab == tab).to_string()}
                data-testid={format!("tab-{}", tab.name())} {onclick}>
                { tab.label() }
            </button>
        }
    });
    let pane = match state.tab {
        Tab::Findings => html! {
            <super::findings::Findings evaluation={state.evaluation.clone()} dispatch={state.dispatcher()} />
        },
        Tab::Settings => html! {
            <SettingsForm settings={state.settings.clone()} dispatch={state.dispatcher()} />
        },
        Tab::Admission => html! {
            <AdmissionPreview text={AttrValue::from(state.evaluation.source.to_string())}
                settings={state.settings.clone()} />
        },
        Tab::Gallery => html! {},
    };
    html! {
        <div class="app">
            <header class="bar">
                <h1>{ "secrets-guard playground" }</h1>
                <span class="eval-time" data-testid="eval-time">
                    { format!("{:.1} ms", state.evaluation.millis) }
                </span>
                // Sharing, import and export.
                <ImportExport text={AttrValue::from(state.text.clone())}
                    evaluation={state.evaluation.clone()} dispatch={state.dispatcher()} />
                <Share text={AttrValue::from(state.text.clone())} settings={state.settings.clone()}
                    tab={state.tab} share_requests={state.share_requests} dispatch={state.dispatcher()} />
            </header>
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
                    <nav role="tablist" class="tabs">{ for tabs }</nav>
                    { pane }
                </section>
            </main>
        </div>
    }
}
