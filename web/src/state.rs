//! The app's state: one value, changed only by `Action`s through `AppState::reduce`
//! (a `use_reducer` reducer, as in Yew's `function_todomvc`).

use std::rc::Rc;

use secrets_guard_core::admission::PolicySettings;
use yew::Reducible;

use crate::engine::{self, Evaluation};

/// The tabs of the right-hand pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Findings,
    Gallery,
    Settings,
    Admission,
}

#[derive(Debug, Clone)]
pub struct AppState {
    /// The editor's text: one or more YAML/JSON documents.
    pub text: String,
    pub settings: PolicySettings,
    pub tab: Tab,
    /// The latest evaluation of `text` with `settings`.
    pub evaluation: Rc<Evaluation>,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.settings == other.settings
            && self.tab == other.tab
            && Rc::ptr_eq(&self.evaluation, &other.evaluation)
    }
}

impl AppState {
    pub fn new(text: String, settings: PolicySettings) -> Self {
        let evaluation = Rc::new(engine::evaluate(&text, &settings));
        AppState {
            text,
            settings,
            tab: Tab::default(),
            evaluation,
        }
    }
}

pub enum Action {
    /// The editor's text changed (evaluation follows with `Evaluate`, debounced by the caller).
    SetText(String),
    /// Re-evaluate the current text now.
    Evaluate,
    SetSettings(PolicySettings),
    SetTab(Tab),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetText(text) => next.text = text,
            Action::Evaluate => {
                next.evaluation = Rc::new(engine::evaluate(&next.text, &next.settings));
            }
            Action::SetSettings(settings) => {
                next.settings = settings;
                next.evaluation = Rc::new(engine::evaluate(&next.text, &next.settings));
            }
            Action::SetTab(tab) => next.tab = tab,
        }
        Rc::new(next)
    }
}
