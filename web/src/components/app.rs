//! The root component: header, editor pane, and the tabbed right-hand pane.

use yew::prelude::*;

use crate::examples;
use crate::state::{Action, AppState, Tab};

#[function_component(App)]
pub fn app() -> Html {
    let state = use_reducer(|| AppState::new(examples::seed_document(), Default::default()));
    let oninput = {
        let state = state.dispatcher();
        Callback::from(move |e: InputEvent| {
            let area: web_sys::HtmlTextAreaElement = e.target_unchecked_into();
            state.dispatch(Action::SetText(area.value()));
            state.dispatch(Action::Evaluate);
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
            <super::findings::Findings evaluation={state.evaluation.clone()} />
        },
        Tab::Gallery | Tab::Settings | Tab::Admission => html! {},
    };
    html! {
        <div class="app">
            <header class="bar">
                <h1>{ "secrets-guard playground" }</h1>
                <span class="eval-time" data-testid="eval-time">
                    { format!("{:.1} ms", state.evaluation.millis) }
                </span>
            </header>
            <main class="panes">
                <section class="editor-pane" aria-label="Manifests">
                    <textarea data-testid="editor" aria-label="YAML manifests" spellcheck="false"
                        value={state.text.clone()} {oninput} />
                </section>
                <section class="side-pane" aria-label="Results">
                    <nav role="tablist" class="tabs">{ for tabs }</nav>
                    { pane }
                </section>
            </main>
        </div>
    }
}
