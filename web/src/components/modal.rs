//! A modal dialog on the native `<dialog>` element: `showModal()` gives the focus trap, the
//! inert background and Escape for free; closing it (Escape, the close button, a click on the
//! backdrop) calls `on_close`, and focus returns to where it was before the dialog opened.

use wasm_bindgen::{JsCast, JsValue};
use web_sys::{HtmlDialogElement, HtmlElement};
use yew::prelude::*;

#[derive(Properties, PartialEq)]
pub struct ModalProps {
    /// `data-testid` of the `<dialog>`.
    pub testid: AttrValue,
    /// Id of the element that names the dialog (`aria-labelledby`).
    pub labelledby: AttrValue,
    pub on_close: Callback<()>,
    #[prop_or_default]
    pub class: Classes,
    #[prop_or_default]
    pub children: Html,
}

/// A modal dialog, open while it is rendered.
#[function_component(Modal)]
pub fn modal(props: &ModalProps) -> Html {
    let node = use_node_ref();
    {
        let node = node.clone();
        use_effect_with((), move |_| {
            let previous = gloo::utils::document().active_element();
            if let Some(dialog) = node.cast::<HtmlDialogElement>() {
                if !dialog.open() {
                    // Fails only when the element is not connected; then it is not shown at all.
                    let _ = dialog.show_modal();
                }
            }
            move || {
                if let Some(dialog) = node.cast::<HtmlDialogElement>() {
                    if dialog.open() {
                        dialog.close();
                    }
                }
                // Closing the dialog made the page interactive again: give the focus back
                // (at once, so that it cannot land after the user's next key).
                if let Some(el) = previous.and_then(|e| e.dyn_into::<HtmlElement>().ok()) {
                    let active = gloo::utils::document().active_element();
                    if el.is_connected() && active.as_ref() != Some(el.as_ref()) {
                        let _ = el.focus();
                    }
                }
            }
        });
    }
    let onclose = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: Event| on_close.emit(()))
    };
    // A click whose target is the <dialog> itself landed on the backdrop (the content fills
    // the dialog box).
    let onclick = {
        let on_close = props.on_close.clone();
        let node = node.clone();
        Callback::from(move |e: MouseEvent| {
            let dialog = node.get();
            let on_dialog = match (e.target(), dialog) {
                (Some(t), Some(d)) => JsValue::from(t) == JsValue::from(d),
                _ => false,
            };
            if on_dialog {
                on_close.emit(());
            }
        })
    };
    let close = {
        let on_close = props.on_close.clone();
        Callback::from(move |_: MouseEvent| on_close.emit(()))
    };
    html! {
        <dialog ref={node} class={classes!("modal", props.class.clone())}
            data-testid={props.testid.clone()} aria-labelledby={props.labelledby.clone()}
            {onclose} {onclick}>
            <div class="modal-inner">
                <button type="button" class="modal-close" data-testid="dialog-close"
                    aria-label="Close" title="Close (Esc)" onclick={close}>{ "×" }</button>
                { props.children.clone() }
            </div>
        </dialog>
    }
}
