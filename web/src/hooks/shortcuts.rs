//! Keyboard shortcuts, on the whole page: Ctrl/Cmd+Enter re-evaluates, Ctrl/Cmd+S asks for a
//! share link, `?` (outside text fields) opens the help, Escape closes dialogs.

use yew::prelude::*;

use crate::state::{Action, AppState};

/// A shortcut's effect.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Shortcut {
    Evaluate,
    Share,
    Help,
    CloseDialogs,
}

impl Shortcut {
    /// The action it dispatches.
    pub fn action(self) -> Action {
        match self {
            Shortcut::Evaluate => Action::Evaluate,
            Shortcut::Share => Action::Share,
            Shortcut::Help => Action::ShowHelp(true),
            Shortcut::CloseDialogs => Action::CloseDialogs,
        }
    }
}

/// The shortcuts as the help dialog lists them: alternative key combinations (each a list of
/// keys pressed together), then what they do.
pub const SHORTCUTS: &[(&[&[&str]], &str)] = &[
    (
        &[&["Ctrl", "Enter"], &["⌘", "Enter"]],
        "Re-evaluate the editor's text now",
    ),
    (
        &[&["Ctrl", "S"], &["⌘", "S"]],
        "Copy a share link of the current state",
    ),
    (&[&["?"]], "Show this help (outside text fields)"),
    (&[&["Esc"]], "Close a dialog"),
    (
        &[&["←"], &["→"]],
        "Move between the tabs (when a tab has focus)",
    ),
];

/// Modifier keys held with a key.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Modifiers {
    pub ctrl: bool,
    pub meta: bool,
    pub alt: bool,
    pub shift: bool,
}

/// The shortcut for `key` (a `KeyboardEvent.key`), if any. `in_text_field` says whether the
/// event comes from a text input, text area, select or editable element, where `?` is typed
/// rather than a shortcut.
pub fn shortcut(key: &str, mods: Modifiers, in_text_field: bool) -> Option<Shortcut> {
    let command = (mods.ctrl || mods.meta) && !mods.alt;
    match key {
        "Enter" if command => Some(Shortcut::Evaluate),
        "s" | "S" if command && !mods.shift => Some(Shortcut::Share),
        "?" if !mods.ctrl && !mods.meta && !mods.alt && !in_text_field => Some(Shortcut::Help),
        "Escape" if !command => Some(Shortcut::CloseDialogs),
        _ => None,
    }
}

/// Listen for the shortcuts on the window while the calling component is mounted.
#[hook]
pub fn use_shortcuts(dispatch: UseReducerDispatcher<AppState>) {
    use_effect_with((), move |_| {
        let listener = listen(dispatch);
        move || drop(listener)
    });
}

fn listen(dispatch: UseReducerDispatcher<AppState>) -> gloo::events::EventListener {
    use gloo::events::{EventListener, EventListenerOptions};
    use wasm_bindgen::JsCast;

    let window = gloo::utils::window();
    EventListener::new_with_options(
        &window,
        "keydown",
        EventListenerOptions::enable_prevent_default(),
        move |event| {
            let Some(event) = event.dyn_ref::<web_sys::KeyboardEvent>() else {
                return;
            };
            if event.is_composing() {
                return;
            }
            let mods = Modifiers {
                ctrl: event.ctrl_key(),
                meta: event.meta_key(),
                alt: event.alt_key(),
                shift: event.shift_key(),
            };
            let in_text_field = event
                .target()
                .and_then(|t| t.dyn_into::<web_sys::HtmlElement>().ok())
                .is_some_and(|el| {
                    matches!(el.tag_name().as_str(), "INPUT" | "TEXTAREA" | "SELECT")
                        || el.is_content_editable()
                });
            if let Some(s) = shortcut(&event.key(), mods, in_text_field) {
                // Escape also reaches an open <dialog>, which closes itself; the others would
                // otherwise save the page or type a character.
                if s != Shortcut::CloseDialogs {
                    event.prevent_default();
                }
                dispatch.dispatch(s.action());
            }
        },
    )
}

#[cfg(test)]
mod tests {
    use super::*;

    const CTRL: Modifiers = Modifiers {
        ctrl: true,
        meta: false,
        alt: false,
        shift: false,
    };
    const CMD: Modifiers = Modifiers {
        ctrl: false,
        meta: true,
        alt: false,
        shift: false,
    };
    const SHIFT: Modifiers = Modifiers {
        ctrl: false,
        meta: false,
        alt: false,
        shift: true,
    };
    const NONE: Modifiers = Modifiers {
        ctrl: false,
        meta: false,
        alt: false,
        shift: false,
    };

    #[test]
    fn ctrl_or_cmd_enter_evaluates_even_in_the_editor() {
        for mods in [CTRL, CMD] {
            assert_eq!(shortcut("Enter", mods, true), Some(Shortcut::Evaluate));
            assert_eq!(shortcut("Enter", mods, false), Some(Shortcut::Evaluate));
        }
        assert_eq!(shortcut("Enter", NONE, true), None);
        assert_eq!(
            shortcut("Enter", Modifiers { alt: true, ..CTRL }, true),
            None
        );
    }

    #[test]
    fn ctrl_or_cmd_s_shares() {
        for mods in [CTRL, CMD] {
            assert_eq!(shortcut("s", mods, true), Some(Shortcut::Share));
            assert_eq!(shortcut("S", mods, false), Some(Shortcut::Share));
        }
        assert_eq!(shortcut("s", NONE, false), None);
        assert_eq!(
            shortcut(
                "S",
                Modifiers {
                    shift: true,
                    ..CTRL
                },
                false
            ),
            None
        );
    }

    #[test]
    fn question_mark_opens_help_only_outside_text_fields() {
        assert_eq!(shortcut("?", SHIFT, false), Some(Shortcut::Help));
        assert_eq!(shortcut("?", NONE, false), Some(Shortcut::Help));
        assert_eq!(shortcut("?", SHIFT, true), None);
        assert_eq!(shortcut("?", CTRL, false), None);
        assert_eq!(shortcut("/", NONE, false), None);
    }

    #[test]
    fn escape_closes_dialogs_anywhere() {
        assert_eq!(shortcut("Escape", NONE, true), Some(Shortcut::CloseDialogs));
        assert_eq!(
            shortcut("Escape", SHIFT, false),
            Some(Shortcut::CloseDialogs)
        );
        assert!(matches!(
            Shortcut::CloseDialogs.action(),
            Action::CloseDialogs
        ));
        assert!(matches!(Shortcut::Help.action(), Action::ShowHelp(true)));
        assert!(matches!(Shortcut::Share.action(), Action::Share));
        assert!(matches!(Shortcut::Evaluate.action(), Action::Evaluate));
    }
}
