//! The secrets-guard playground: paste manifests, see findings computed in the tab by the same
//! core as the CLI and the Kubewarden policy. Nothing the user types leaves the browser.
//!
//! Layout (after Yew's `function_todomvc`): `state` holds the reducer (one `AppState`, changed
//! only through `Action`s), `engine` runs the core, `components/` renders, `hooks/` wraps
//! browser APIs.

pub mod components;
pub mod engine;
pub mod examples;
pub mod hooks;
pub mod share;
pub mod state;

/// Mount the app on `<body>`.
pub fn start() {
    yew::Renderer::<components::app::App>::new().render();
}
