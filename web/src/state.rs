//! The app's state: one value, changed only by `Action`s through `AppState::reduce`
//! (a `use_reducer` reducer, as in Yew's `function_todomvc`).

use std::rc::Rc;

use secrets_guard_core::admission::PolicySettings;
use secrets_guard_core::{Area, Severity};
use yew::Reducible;

use crate::components::encryption::provider_for_rule;
use crate::engine::{self, Evaluation};
use crate::envelope_demo::Provider;

/// The tabs of the right-hand pane.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Tab {
    #[default]
    Findings,
    Gallery,
    Settings,
    Admission,
    Encryption,
    Access,
    Audit,
}

impl Tab {
    pub const ALL: [Tab; 7] = [
        Tab::Findings,
        Tab::Gallery,
        Tab::Settings,
        Tab::Admission,
        Tab::Encryption,
        Tab::Access,
        Tab::Audit,
    ];

    /// Stable name (URL state, `data-testid="tab-<name>"`).
    pub fn name(self) -> &'static str {
        match self {
            Tab::Findings => "findings",
            Tab::Gallery => "gallery",
            Tab::Settings => "settings",
            Tab::Admission => "admission",
            Tab::Encryption => "encryption",
            Tab::Access => "access",
            Tab::Audit => "audit",
        }
    }

    pub fn label(self) -> &'static str {
        match self {
            Tab::Findings => "Findings",
            Tab::Gallery => "Examples",
            Tab::Settings => "Settings",
            Tab::Admission => "Admission preview",
            Tab::Encryption => "Encryption at rest",
            Tab::Access => "Access",
            Tab::Audit => "Audit log",
        }
    }

    pub fn from_name(name: &str) -> Option<Tab> {
        Tab::ALL.into_iter().find(|t| t.name() == name)
    }
}

/// Colour theme: follow the system (`prefers-color-scheme`) or forced.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum Theme {
    #[default]
    System,
    Light,
    Dark,
}

impl Theme {
    pub const ALL: [Theme; 3] = [Theme::System, Theme::Light, Theme::Dark];

    /// The theme the toggle switches to: system → light → dark → system.
    pub fn next(self) -> Theme {
        match self {
            Theme::System => Theme::Light,
            Theme::Light => Theme::Dark,
            Theme::Dark => Theme::System,
        }
    }

    /// Stable name (local storage).
    pub fn name(self) -> &'static str {
        match self {
            Theme::System => "system",
            Theme::Light => "light",
            Theme::Dark => "dark",
        }
    }

    pub fn from_name(name: &str) -> Option<Theme> {
        Theme::ALL.into_iter().find(|t| t.name() == name)
    }

    /// The theme actually shown (`<html data-theme>`): `"light"` or `"dark"`, given whether the
    /// system prefers a dark scheme.
    pub fn effective(self, system_prefers_dark: bool) -> &'static str {
        match self {
            Theme::Light => "light",
            Theme::Dark => "dark",
            Theme::System if system_prefers_dark => "dark",
            Theme::System => "light",
        }
    }
}

/// A span of the editor's text, 1-based lines and columns (as findings report them).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub struct Span {
    pub line: u32,
    pub column: u32,
    pub end_line: u32,
    pub end_column: u32,
}

/// How the findings panel groups findings.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Default)]
pub enum GroupBy {
    #[default]
    Severity,
    Area,
    Object,
}

impl GroupBy {
    pub const ALL: [GroupBy; 3] = [GroupBy::Severity, GroupBy::Area, GroupBy::Object];

    /// Stable name (the `group-by` select's option values).
    pub fn name(self) -> &'static str {
        match self {
            GroupBy::Severity => "severity",
            GroupBy::Area => "area",
            GroupBy::Object => "object",
        }
    }

    pub fn from_name(name: &str) -> Option<GroupBy> {
        GroupBy::ALL.into_iter().find(|g| g.name() == name)
    }
}

/// The findings panel's filter.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Filter {
    pub text: String,
    pub severity: Option<Severity>,
    pub area: Option<Area>,
    pub group: GroupBy,
}

#[derive(Debug, Clone)]
pub struct AppState {
    /// The editor's text: one or more YAML/JSON documents.
    pub text: String,
    pub settings: PolicySettings,
    pub tab: Tab,
    /// The latest evaluation of `text` with `settings`.
    pub evaluation: Rc<Evaluation>,
    /// The span the editor should select (set by clicking a finding).
    pub selection: Option<Span>,
    /// Counts `Select` actions, so that selecting the same span again selects it again.
    pub selection_serial: u64,
    pub theme: Theme,
    pub filter: Filter,
    /// The rule whose full documentation is open, if any.
    pub docs_rule: Option<&'static str>,
    /// Whether the keyboard-shortcut help is open.
    pub help_open: bool,
    /// How many times a share link was asked for (Ctrl/Cmd+S dispatches [`Action::Share`]);
    /// the share feature copies a link whenever this changes.
    pub share_requests: u32,
    /// The audit log pasted or dropped in the "Audit log" tab. Kept while the tab is left, but
    /// never stored nor shared: it is not part of the manifests.
    pub audit_text: Rc<str>,
    /// What the "Encryption at rest" tab should show when it opens, set by a finding's "See
    /// what this stores" ([`Action::SeeStores`]).
    pub enc_preset: Option<EncPreset>,
}

/// The "Encryption at rest" tab opened from a finding: the provider to show, the rule that
/// asked, and a serial so that asking again shows it again.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct EncPreset {
    pub provider: Provider,
    pub rule: &'static str,
    pub serial: u32,
}

impl PartialEq for AppState {
    fn eq(&self, other: &Self) -> bool {
        self.text == other.text
            && self.settings == other.settings
            && self.tab == other.tab
            && Rc::ptr_eq(&self.evaluation, &other.evaluation)
            && self.selection == other.selection
            && self.selection_serial == other.selection_serial
            && self.theme == other.theme
            && self.filter == other.filter
            && self.docs_rule == other.docs_rule
            && self.help_open == other.help_open
            && self.share_requests == other.share_requests
            && self.audit_text == other.audit_text
            && self.enc_preset == other.enc_preset
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
            selection: None,
            selection_serial: 0,
            theme: Theme::default(),
            filter: Filter::default(),
            docs_rule: None,
            help_open: false,
            share_requests: 0,
            audit_text: Rc::from(""),
            enc_preset: None,
        }
    }
}

pub enum Action {
    /// The editor's text changed (evaluation follows with `Evaluate`, debounced by the caller).
    SetText(String),
    /// Replace the text and evaluate it at once (examples, imports, shared links).
    LoadText(String),
    /// Re-evaluate the current text now.
    Evaluate,
    SetSettings(PolicySettings),
    SetTab(Tab),
    /// Select a span in the editor (clicking a finding).
    Select(Span),
    SetTheme(Theme),
    SetFilter(Filter),
    /// Open (or close, with `None`) a rule's full documentation.
    ShowDocs(Option<&'static str>),
    ShowHelp(bool),
    /// Close every open dialog (Escape).
    CloseDialogs,
    /// Copy a share link of the current state (Ctrl/Cmd+S): counted in `share_requests`, which
    /// the share feature watches.
    Share,
    /// Open the "Encryption at rest" tab with the provider a finding of this rule is about
    /// (see [`crate::components::encryption::provider_for_rule`]); nothing for other rules.
    SeeStores(&'static str),
    /// Open a shared state (a share link): text, settings and tab, evaluated at once.
    LoadShared(crate::share::SharedState),
    /// The "Audit log" tab's text changed.
    SetAuditText(Rc<str>),
}

impl Reducible for AppState {
    type Action = Action;

    fn reduce(self: Rc<Self>, action: Action) -> Rc<Self> {
        let mut next = (*self).clone();
        match action {
            Action::SetText(text) => next.text = text,
            Action::LoadText(text) => {
                next.text = text;
                next.selection = None;
                next.evaluation = Rc::new(engine::evaluate(&next.text, &next.settings));
            }
            Action::Evaluate => {
                next.evaluation = Rc::new(engine::evaluate(&next.text, &next.settings));
            }
            Action::SetSettings(settings) => {
                next.settings = settings;
                next.evaluation = Rc::new(engine::evaluate(&next.text, &next.settings));
            }
            Action::SetTab(tab) => next.tab = tab,
            Action::Select(span) => {
                next.selection = Some(span);
                next.selection_serial += 1;
            }
            Action::SetTheme(theme) => next.theme = theme,
            Action::SetFilter(filter) => next.filter = filter,
            Action::ShowDocs(rule) => next.docs_rule = rule,
            Action::ShowHelp(open) => next.help_open = open,
            Action::CloseDialogs => {
                if next.docs_rule.is_none() && !next.help_open {
                    // Nothing open: keep the same state, so nothing re-renders.
                    return self;
                }
                next.docs_rule = None;
                next.help_open = false;
            }
            Action::SetAuditText(text) => next.audit_text = text,
            Action::Share => next.share_requests = next.share_requests.wrapping_add(1),
            Action::SeeStores(rule) => {
                let Some(provider) = provider_for_rule(rule, &next.text) else {
                    return self;
                };
                next.tab = Tab::Encryption;
                next.enc_preset = Some(EncPreset {
                    provider,
                    rule,
                    serial: next.enc_preset.map_or(1, |p| p.serial.wrapping_add(1)),
                });
            }
            Action::LoadShared(shared) => {
                next.text = shared.text;
                next.settings = shared.settings;
                next.tab = shared.tab;
                next.selection = None;
                next.evaluation = Rc::new(engine::evaluate(&next.text, &next.settings));
            }
        }
        Rc::new(next)
    }
}
