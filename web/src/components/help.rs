//! The help dialog (`?`): what the playground does, its keyboard shortcuts, and what it keeps
//! in this browser.

use yew::prelude::*;

use super::modal::Modal;
use crate::hooks::shortcuts::SHORTCUTS;

#[derive(Properties, PartialEq)]
pub struct HelpProps {
    pub on_close: Callback<()>,
    /// Whether the editor text, settings and tab are kept in local storage.
    pub remember: bool,
    pub on_remember: Callback<bool>,
}

/// The dialog `help-dialog`.
#[function_component(Help)]
pub fn help(props: &HelpProps) -> Html {
    let on_remember = {
        let cb = props.on_remember.clone();
        Callback::from(move |e: Event| {
            let input: web_sys::HtmlInputElement = e.target_unchecked_into();
            cb.emit(input.checked());
        })
    };
    html! {
        <Modal testid="help-dialog" class="help" labelledby="help-title" on_close={props.on_close.clone()}>
            <h2 id="help-title">{ "secrets-guard playground" }</h2>
            <p>
                { "Paste Kubernetes YAML or JSON (manifests, an EncryptionConfiguration, an audit \
                   Policy, the kube-apiserver static Pod) and see what puts your Secrets at risk. \
                   Findings are computed in this tab by the same engine as the CLI and the \
                   admission policy: nothing you type is sent anywhere." }
            </p>
            <h3>{ "Keyboard shortcuts" }</h3>
            <table class="shortcuts">
                <thead><tr><th scope="col">{ "Keys" }</th><th scope="col">{ "Action" }</th></tr></thead>
                <tbody>
                    { for SHORTCUTS.iter().map(|(combos, what)| html! {
                        <tr>
                            <td>{ for combos.iter().enumerate().map(|(i, keys)| html! {
                                <>
                                    if i > 0 { { " or " } }
                                    { for keys.iter().enumerate().map(|(j, k)| html! {
                                        <>
                                            if j > 0 { { "+" } }
                                            <kbd>{ *k }</kbd>
                                        </>
                                    }) }
                                </>
                            }) }</td>
                            <td>{ *what }</td>
                        </tr>
                    }) }
                </tbody>
            </table>
            <h3>{ "Findings" }</h3>
            <p>
                { "Click a finding to select its code in the editor, and \"Rule docs\" for the \
                   rule's full documentation (the text of " }
                <code>{ "secrets-guard explain" }</code>
                { "). The counts filter by severity; the fields above the list filter and group \
                   it." }
            </p>
            <h3>{ "Saved in this browser" }</h3>
            <label class="remember">
                <input type="checkbox" data-testid="remember-toggle" checked={props.remember}
                    onchange={on_remember} />
                { " Keep my text, settings and selected tab in this browser's local storage" }
            </label>
            <p class="hint">
                { "They stay on this device only. Turning this off deletes what was saved. \
                   The colour theme is always remembered." }
            </p>
        </Modal>
    }
}
