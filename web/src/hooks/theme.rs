//! The colour theme: `<html data-theme="light|dark">` always holds the effective theme, which
//! follows `prefers-color-scheme` (live) unless the user forced one with the toggle.

use gloo::events::EventListener;
use yew::prelude::*;

use crate::state::Theme;

const DARK_QUERY: &str = "(prefers-color-scheme: dark)";

/// Whether the system asks for a dark colour scheme.
pub fn system_prefers_dark() -> bool {
    gloo::utils::window()
        .match_media(DARK_QUERY)
        .ok()
        .flatten()
        .is_some_and(|m| m.matches())
}

/// Set `<html data-theme>` to the effective theme.
pub fn apply(theme: Theme) {
    let effective = theme.effective(system_prefers_dark());
    if let Some(root) = gloo::utils::document().document_element() {
        let _ = root.set_attribute("data-theme", effective);
    }
}

/// Keep `<html data-theme>` in step with `theme` and, while it is `System`, with the system's
/// preference.
#[hook]
pub fn use_theme(theme: Theme) {
    use_effect_with(theme, |&theme| {
        apply(theme);
        let listener = (theme == Theme::System)
            .then(|| gloo::utils::window().match_media(DARK_QUERY).ok().flatten())
            .flatten()
            .map(|query| EventListener::new(&query, "change", move |_| apply(Theme::System)));
        move || drop(listener)
    });
}
