//! The examples gallery: every example as a card with its title, a note, whether it is a
//! manifest to copy or a flawed one, and the rules it raises. A click loads it into the editor
//! and shows its findings.

use yew::prelude::*;

use super::rule_docs::{inlines, render_inlines};
use crate::examples::{self, Example, Topic};
use crate::state::{Action, AppState, Tab};

#[derive(Properties, PartialEq)]
pub struct GalleryProps {
    pub dispatch: UseReducerDispatcher<AppState>,
    /// The editor's text, to mark the example that is loaded.
    pub text: AttrValue,
}

/// The gallery tab.
#[function_component(Gallery)]
pub fn gallery(props: &GalleryProps) -> Html {
    let sections = Topic::ALL.into_iter().map(|topic| {
        let cards = examples::all()
            .filter(|e| e.topic == topic)
            .map(|e| card(e, &props.dispatch, props.text.as_str() == e.text));
        html! {
            <section class="gallery-topic" aria-labelledby={format!("topic-{topic:?}")}>
                <h3 id={format!("topic-{topic:?}")}>{ topic.label() }</h3>
                <ul class="example-grid">{ for cards }</ul>
            </section>
        }
    });
    html! {
        <div class="gallery" data-testid="gallery">
            <p class="gallery-intro">
                { "Pick an example to load it into the editor (it replaces the editor's text). \
                   The first three are the examples of the article that started this project, \
                   with what they get wrong; the others cover every area, good and bad." }
            </p>
            { for sections }
        </div>
    }
}

fn card(e: &'static Example, dispatch: &UseReducerDispatcher<AppState>, loaded: bool) -> Html {
    let onclick = {
        let dispatch = dispatch.clone();
        Callback::from(move |_: MouseEvent| {
            dispatch.dispatch(Action::LoadText(e.text.to_string()));
            dispatch.dispatch(Action::SetTab(Tab::Findings));
        })
    };
    let (verdict_class, verdict) = if e.good {
        ("good", "Good practice")
    } else {
        ("bad", "Flawed")
    };
    let rules = if e.expected.is_empty() {
        html! { <span class="rule-chip none">{ "no findings" }</span> }
    } else {
        e.expected
            .iter()
            .map(|id| html! { <span class="rule-chip">{ *id }</span> })
            .collect::<Html>()
    };
    html! {
        <li>
            <button type="button" class={classes!("example-card", verdict_class, loaded.then_some("loaded"))}
                data-testid="example" data-example={e.id} data-good={e.good.to_string()}
                aria-current={loaded.then_some("true")} {onclick}>
                <span class="example-head">
                    <span class="example-title">{ e.title }</span>
                    <span class={classes!("verdict", verdict_class)}>{ verdict }</span>
                </span>
                <span class="example-note">{ render_inlines(&inlines(e.note)) }</span>
                <span class="example-rules" aria-label="Rules it raises">{ rules }</span>
            </button>
        </li>
    }
}
