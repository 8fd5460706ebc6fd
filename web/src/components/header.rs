//! The page header: name, what the page does, the help button and the theme toggle. Other
//! controls (the evaluation time, sharing) come in as children.

use yew::prelude::*;

use crate::state::{Action, AppState, Theme};

#[derive(Properties, PartialEq)]
pub struct HeaderProps {
    pub theme: Theme,
    pub dispatch: UseReducerDispatcher<AppState>,
    #[prop_or_default]
    pub children: Html,
}

/// What the toggle shows for a theme, and its accessible description.
pub fn theme_toggle_text(theme: Theme) -> (&'static str, &'static str, String) {
    let (icon, label) = match theme {
        Theme::System => ("◐", "Auto"),
        Theme::Light => ("☀", "Light"),
        Theme::Dark => ("☾", "Dark"),
    };
    let next = match theme.next() {
        Theme::System => "follow the system",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    let current = match theme {
        Theme::System => "follows the system",
        Theme::Light => "light",
        Theme::Dark => "dark",
    };
    (
        icon,
        label,
        format!("Colour theme: {current}. Switch to {next}"),
    )
}

#[function_component(Header)]
pub fn header(props: &HeaderProps) -> Html {
    let toggle = {
        let dispatch = props.dispatch.clone();
        let theme = props.theme;
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::SetTheme(theme.next())))
    };
    let help = {
        let dispatch = props.dispatch.clone();
        Callback::from(move |_: MouseEvent| dispatch.dispatch(Action::ShowHelp(true)))
    };
    let (icon, label, description) = theme_toggle_text(props.theme);
    html! {
        <header class="bar">
            <div class="brand">
                <span class="logo" aria-hidden="true">{ "◆" }</span>
                <h1>{ "secrets-guard" }<span class="brand-sub">{ " playground" }</span></h1>
            </div>
            <p class="tagline">{ "Checks for Kubernetes Secrets, run in this tab: nothing is uploaded." }</p>
            <div class="bar-actions">
                { props.children.clone() }
                <button type="button" class="icon-button" data-testid="help-button"
                    aria-label="Help and keyboard shortcuts" title="Help (?)" onclick={help}>
                    <span aria-hidden="true">{ "?" }</span>
                </button>
                <button type="button" class="icon-button theme-toggle" data-testid="theme-toggle"
                    data-theme-choice={props.theme.name()} aria-label={description.clone()}
                    title={description} onclick={toggle}>
                    <span aria-hidden="true" class="theme-icon">{ icon }</span>
                    <span class="theme-label">{ label }</span>
                </button>
            </div>
        </header>
    }
}
