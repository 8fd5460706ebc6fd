//! What the playground keeps in the browser's local storage between visits: the editor's
//! text, the settings and the selected tab (unless the user turned that off in the help
//! dialog), and the colour theme. Nothing else is stored, and nothing leaves the browser.
//!
//! Keys are versioned (`secrets-guard/v1/…`); a value that no longer parses is ignored and
//! the default is used.

use secrets_guard_core::admission::PolicySettings;
use yew::prelude::*;

use crate::state::{AppState, Tab, Theme};

const TEXT: &str = "secrets-guard/v1/text";
const SETTINGS: &str = "secrets-guard/v1/settings";
const TAB: &str = "secrets-guard/v1/tab";
const THEME: &str = "secrets-guard/v1/theme";
/// `"off"` when the user asked not to keep their work.
const REMEMBER: &str = "secrets-guard/v1/remember";

/// What a previous visit left, each part only when present and valid.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Stored {
    pub text: Option<String>,
    pub settings: Option<PolicySettings>,
    pub tab: Option<Tab>,
    pub theme: Option<Theme>,
}

impl Stored {
    /// Read the stored values through `get` (a key → value lookup).
    pub fn decode(get: impl Fn(&str) -> Option<String>) -> Stored {
        Stored {
            text: get(TEXT),
            settings: get(SETTINGS).and_then(|s| PolicySettings::from_json(s.as_bytes()).ok()),
            tab: get(TAB).and_then(|s| Tab::from_name(&s)),
            theme: get(THEME).and_then(|s| Theme::from_name(&s)),
        }
    }

    /// The app's state on load: what was stored, defaults for the rest (the seed document
    /// when no text was stored).
    pub fn into_state(self, default_text: impl FnOnce() -> String) -> AppState {
        let text = self.text.unwrap_or_else(default_text);
        let mut state = AppState::new(text, self.settings.unwrap_or_default());
        state.tab = self.tab.unwrap_or_default();
        state.theme = self.theme.unwrap_or_default();
        state
    }
}

/// The settings as stored (the policy's settings JSON).
pub fn encode_settings(settings: &PolicySettings) -> String {
    serde_json::to_string(settings).unwrap_or_default()
}

fn storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn get(key: &str) -> Option<String> {
    storage()?.get_item(key).ok().flatten()
}

fn set(key: &str, value: &str) {
    if let Some(s) = storage() {
        if s.set_item(key, value).is_err() {
            // Full (a very large paste) or disabled (some private modes): the page still works.
            gloo::console::warn!(format!(
                "secrets-guard: could not save {key} in local storage"
            ));
        }
    }
}

/// Read what a previous visit stored (nothing of the work when remembering is off).
pub fn load() -> Stored {
    let remember = remembering();
    Stored::decode(|key| (remember || key == THEME).then(|| get(key)).flatten())
}

/// Whether the text, settings and tab are kept between visits (on unless turned off).
pub fn remembering() -> bool {
    get(REMEMBER).as_deref() != Some("off")
}

/// Turn keeping the work on or off; off deletes what was stored.
pub fn set_remembering(on: bool) {
    let Some(s) = storage() else { return };
    if on {
        let _ = s.remove_item(REMEMBER);
    } else {
        for key in [TEXT, SETTINGS, TAB] {
            let _ = s.remove_item(key);
        }
        let _ = s.set_item(REMEMBER, "off");
    }
}

/// Save the text, settings and tab whenever they change (while `remember` is on), and the
/// theme always. What the page opened with is not written back: it came from storage already,
/// or from a share link, which must not replace the work kept here until the user changes it.
#[hook]
pub fn use_persistence(state: &AppState, remember: bool) {
    let text_seen = use_mut_ref(|| false);
    use_effect_with((state.text.clone(), remember), move |(text, remember)| {
        if text_seen.replace(true) && *remember {
            set(TEXT, text);
        }
    });
    let settings_seen = use_mut_ref(|| false);
    use_effect_with(
        (state.settings.clone(), remember),
        move |(settings, remember)| {
            if settings_seen.replace(true) && *remember {
                set(SETTINGS, &encode_settings(settings));
            }
        },
    );
    let tab_seen = use_mut_ref(|| false);
    use_effect_with((state.tab, remember), move |&(tab, remember)| {
        if tab_seen.replace(true) && remember {
            set(TAB, tab.name());
        }
    });
    let theme_seen = use_mut_ref(|| false);
    use_effect_with(state.theme, move |theme| {
        if theme_seen.replace(true) {
            set(THEME, theme.name());
        }
    });
}

#[cfg(test)]
mod tests {
    use std::collections::HashMap;

    use secrets_guard_core::Severity;

    use super::*;

    fn decode(pairs: &[(&str, &str)]) -> Stored {
        let map: HashMap<String, String> = pairs
            .iter()
            .map(|(k, v)| (k.to_string(), v.to_string()))
            .collect();
        Stored::decode(|k| map.get(k).cloned())
    }

    #[test]
    fn nothing_stored_gives_the_seed_document_and_defaults() {
        let state = decode(&[]).into_state(|| "seed".into());
        assert_eq!(state.text, "seed");
        assert_eq!(state.settings, PolicySettings::default());
        assert_eq!(state.tab, Tab::Findings);
        assert_eq!(state.theme, Theme::System);
    }

    #[test]
    fn stored_values_round_trip() {
        let settings = PolicySettings {
            reject_at: Severity::Critical,
            disable: vec!["OBJ-008".into()],
            ..PolicySettings::default()
        };
        let stored = decode(&[
            (TEXT, "kind: Secret\n"),
            (SETTINGS, &encode_settings(&settings)),
            (TAB, "gallery"),
            (THEME, "dark"),
        ]);
        assert_eq!(
            stored,
            Stored {
                text: Some("kind: Secret\n".into()),
                settings: Some(settings.clone()),
                tab: Some(Tab::Gallery),
                theme: Some(Theme::Dark),
            }
        );
        let state = stored.into_state(|| unreachable!("text was stored"));
        assert_eq!(state.text, "kind: Secret\n");
        assert_eq!(state.settings, settings);
        assert_eq!(state.tab, Tab::Gallery);
        assert_eq!(state.theme, Theme::Dark);
        // The stored settings apply to the first evaluation.
        assert!(state
            .evaluation
            .report
            .findings
            .iter()
            .all(|f| f.rule != "OBJ-008"));
    }

    #[test]
    fn invalid_values_fall_back_to_defaults() {
        let stored = decode(&[
            (SETTINGS, "{\"reject_at\": \"catastrophic\"}"),
            (TAB, "nope"),
            (THEME, "sepia"),
        ]);
        assert_eq!(stored, Stored::default());
        // Settings that parse but contradict each other are not restored either.
        let stored = decode(&[(SETTINGS, "{\"reject_at\": \"low\", \"warn_at\": \"high\"}")]);
        assert_eq!(stored.settings, None);
    }

    #[test]
    fn an_empty_stored_text_is_kept() {
        let state = decode(&[(TEXT, "")]).into_state(|| "seed".into());
        assert_eq!(state.text, "");
    }
}
