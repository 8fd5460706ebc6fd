//! The "Access" tab: who can read Secrets in which namespace, and how (direct, implicit,
//! escalation), as a subject × namespace matrix computed from the editor's documents; a cell
//! shows the evidence paths behind it as an SVG graph (subject → binding → role → rule).
//!
//! The analysis is `secrets-guard who-can read-secrets`, run by the background worker
//! ([`crate::worker`], [`crate::access_view`]), which also renders the matrix and the graph as
//! markup ([`crate::markup`]; the page's bundle has a budget). It runs again whenever the
//! evaluated text changes while the tab is open (the editor debounces typing) or another cell
//! is picked; replies to older requests are ignored.

use std::rc::Rc;

use wasm_bindgen::JsCast;
use yew::prelude::*;

use crate::markup::{self, Node};
use crate::worker::{self, Request, Response};

#[derive(Properties, PartialEq)]
pub struct AccessProps {
    /// The evaluated text of the editor.
    pub text: AttrValue,
}

/// What the tab shows: the latest markup, whether a newer one is on its way.
#[derive(Debug, Clone, PartialEq, Default)]
struct Shown {
    view: Option<Rc<Node>>,
    busy: bool,
    unavailable: bool,
}

/// The selected cell: (subject, namespace column), by label, so that it survives an edit.
type Selected = Option<(String, String)>;

/// The (subject, column) of the matrix cell a click landed in, if it hit a cell's button.
fn clicked_cell(e: &MouseEvent) -> Selected {
    let target = e.target()?.dyn_into::<web_sys::Element>().ok()?;
    let cell = target
        .closest("[data-testid=access-cell] button")
        .ok()
        .flatten()?
        .closest("[data-testid=access-cell]")
        .ok()
        .flatten()?;
    Some((
        cell.get_attribute("data-subject")?,
        cell.get_attribute("data-namespace")?,
    ))
}

/// The tab.
#[function_component(AccessView)]
pub fn access_view(props: &AccessProps) -> Html {
    let shown = use_state(Shown::default);
    // The id of the latest request: replies to older ones are stale.
    let latest = use_mut_ref(|| 0u32);
    let selected = use_state(|| None::<(String, String)>);
    {
        let shown = shown.clone();
        let latest = latest.clone();
        let key = (props.text.clone(), (*selected).clone());
        use_effect_with(key, move |(text, selected)| {
            let id = {
                let mut l = latest.borrow_mut();
                *l = l.wrapping_add(1);
                *l
            };
            shown.set(Shown {
                busy: true,
                ..(*shown).clone()
            });
            let asked = Request::Access {
                text: text.to_string(),
                selected: selected.clone(),
            };
            worker::request(asked, move |response| {
                if *latest.borrow() != id {
                    return;
                }
                shown.set(match response {
                    Response::Access(view) => Shown {
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
            });
        });
    }
    let onclick = {
        let selected = selected.clone();
        Callback::from(move |e: MouseEvent| {
            if let Some(cell) = clicked_cell(&e) {
                selected.set(Some(cell));
            }
        })
    };

    let legend = html! {
        <ul class="access-legend" aria-label="Legend">
            <li><span class="swatch how-direct" aria-hidden="true"></span>
                { "direct: get, list or watch on secrets" }</li>
            <li><span class="swatch how-implicit" aria-hidden="true"></span>
                { "implicit: through Pods (create, exec/attach, nodes/proxy)" }</li>
            <li><span class="swatch how-escalation" aria-hidden="true"></span>
                { "escalation: another identity or more permissions first" }</li>
        </ul>
    };
    let body = match &shown.view {
        _ if shown.unavailable => html! {
            <p class="access-empty">{ "The analysis is not available in this build." }</p>
        },
        None => {
            html! { <p class="access-empty">{ "Analysing the editor's documents\u{2026}" }</p> }
        }
        Some(view) => markup::render(view),
    };
    html! {
        <div class="access" data-testid="access" aria-busy={shown.busy.to_string()}>
            <p class="access-intro">
                { "Who can read Secrets, where, and how, from the RBAC objects in the editor \
                   (as `secrets-guard who-can read-secrets` answers). Pick a cell to see its \
                   evidence paths." }
            </p>
            { legend }
            <div class="access-body" {onclick}>{ body }</div>
        </div>
    }
}
